#!/bin/sh
# run.sh - rbm's measure engine against SQLite and DuckDB on the same synthetic data, in one run
# (a measurement, never a test). Called by 'make bench'; prints one table per size and writes
# them to bench/results.md.
#
# Usage: bench/run.sh                    (or: make bench [SIZES="1000000 10000000 50000000"])
# Environment:
#   SIZES        numbers of data values, default "1000000 10000000"
#   RUNS         runs per query, the best counts (default 5); SQLITE_RUNS for SQLite alone
#   BENCH_DATA   folder for the generated data (kept); default a temporary folder, removed at the end
#
# Per size: bench/gen_values.c writes values.csv for bench/gen_plan.c's plan. Then
#   rbm     'rbm init --plan', then 'rbm values import values.csv' (ingest), then
#           bench/bench_measure.c: rbm_measure_load (load) and the workload, single-threaded;
#   SQLite  the sqlite3 shell: .import into a staging table, then the typed table dv (ingest), then
#           bench/sql/q1.sql .. q4.sql;
#   DuckDB  @duckdb/node-api (bench/duckdb.mjs): read_csv into dv and CHECKPOINT (ingest), then the
#           same SQL; once with every core, once with one thread ("DuckDB 1t").
# The workload: Q1 totals per indicator and year by each indicator's rule; Q2 the same per region;
# Q3 attainment in 2021 counted per domain and status; Q4 people reached by sex per region.
# bench/compare.mjs checks that all the answers agree (1e-6 relative) and the run fails if not.
set -eu
cd "$(dirname "$0")/.."
root=$PWD
SIZES=${SIZES:-"1000000 10000000"}
RUNS=${RUNS:-5}
SQLITE_RUNS=${SQLITE_RUNS:-$RUNS}
YEAR=2021 # the year of Q3 (bench/sql/q3.sql says it too)
cores=$(nproc)

say() { echo "bench: $*" >&2; }

# The compiler flags come from the Makefile: run alone, this goes through 'make bench'.
if [ -z "${BENCH_CFLAGS:-}" ] || [ -z "${BENCH_LIBS:-}" ]; then
	exec make --no-print-directory bench
fi

# Tools: the sqlite3 shell, GNU time (peak memory of a process), node and npm.
need=""
command -v sqlite3 >/dev/null 2>&1 || need="$need sqlite3"
[ -x /usr/bin/time ] || need="$need time"
command -v node >/dev/null 2>&1 || need="$need nodejs"
command -v npm >/dev/null 2>&1 || need="$need npm"
if [ -n "$need" ]; then
	say "installing Debian packages:$need"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $need >/dev/null
fi
say "npm ci --prefix bench"
npm ci --prefix bench --no-audit --no-fund --loglevel=error >/dev/null

# Build: the generators, and bench_measure linked with librbm.a like the tests.
CC=${BENCH_CC:-gcc}
mkdir -p build/bench
# shellcheck disable=SC2086
$CC $BENCH_CFLAGS -o build/bench/gen_plan bench/gen_plan.c
# shellcheck disable=SC2086
$CC $BENCH_CFLAGS -o build/bench/gen_values bench/gen_values.c -lm
# shellcheck disable=SC2086
$CC $BENCH_CFLAGS -o build/bench/bench_measure bench/bench_measure.c $BENCH_LIBS

if [ -n "${BENCH_DATA:-}" ]; then
	data=$BENCH_DATA
	mkdir -p "$data"
else
	data=$(mktemp -d "${TMPDIR:-/tmp}/rbm-bench-XXXXXX")
	trap 'rm -rf "$data"' EXIT
fi
data=$(cd "$data" && pwd)
export RBM_DATA_DIR="$root/data" RBM_USER=bench
mkdir -p "$data/plan"
build/bench/gen_plan data/places/countries.csv "$data/plan"
build/rbm plan check "$data/plan/plan.json" >&2

ms() { date +%s%N; }
secs() { echo "$1 $2" | awk '{ printf "%.3f", ($2 - $1) / 1e9 }'; }
get() { sed -n "s/^$1=//p" "$2" | head -n 1; }

# The tables, collected for bench/results.md.
report=$data/report.md
: >"$report"

for size in $SIZES; do
	d=$data/$size
	rm -rf "$d"
	mkdir -p "$d/ans"
	say "$size values: generating"
	t0=$(ms)
	build/bench/gen_values "$data/plan" "$size" "$d/values.csv"
	gen_s=$(secs "$t0" "$(ms)")
	csv_mb=$(du -m "$d/values.csv" | cut -f1)

	# ---- rbm ----
	say "$size values: rbm"
	build/rbm init --plan "$data/plan/plan.json" --db "$d/rbm.db" >/dev/null
	t0=$(ms)
	/usr/bin/time -f '%M' -o "$d/rbm_ingest.time" build/rbm --db "$d/rbm.db" values import "$d/values.csv" >/dev/null
	rbm_ingest=$(secs "$t0" "$(ms)")
	rbm_ingest_kb=$(tail -n 1 "$d/rbm_ingest.time")
	mkdir -p "$d/ans/rbm"
	build/bench/bench_measure "$d/rbm.db" "$d/ans/rbm" "$RUNS" "$YEAR" >"$d/rbm.out"
	mkdir -p "$d/ans/rbm_direct"
	cp "$d/ans/rbm/q1_direct.csv" "$d/ans/rbm_direct/q1.csv"

	# ---- SQLite ----
	say "$size values: SQLite"
	t0=$(ms)
	(cd "$d" && /usr/bin/time -f '%M' -o sqlite_ingest.time sqlite3 sqlite.db <"$root/bench/sql/sqlite_ingest.sql")
	sq_ingest=$(secs "$t0" "$(ms)")
	sq_ingest_kb=$(tail -n 1 "$d/sqlite_ingest.time")
	mkdir -p "$d/ans/sqlite"
	{
		echo ".bail on"
		echo ".output /dev/null"
		echo "PRAGMA cache_size = -1048576;"
		echo "PRAGMA mmap_size = 2147418112;"
		echo "PRAGMA temp_store = MEMORY;"
		echo ".output stdout"
		echo ".mode csv"
		echo ".headers off"
		echo ".timer on"
		for q in q1 q2 q3 q4; do
			r=0
			while [ "$r" -lt "$SQLITE_RUNS" ]; do
				if [ "$r" -eq 0 ]; then echo ".once ans/sqlite/$q.csv"; else echo ".once /dev/null"; fi
				cat "bench/sql/$q.sql"
				r=$((r + 1))
			done
		done
	} >"$d/sqlite_queries.sql"
	(cd "$d" && /usr/bin/time -f '%M' -o sqlite_queries.time sqlite3 sqlite.db <sqlite_queries.sql >sqlite.out)
	sq_query_kb=$(tail -n 1 "$d/sqlite_queries.time")
	# The best of each query's runs, from the shell's "Run Time: real S ..." lines, in order.
	grep '^Run Time: real' "$d/sqlite.out" | awk -v runs="$SQLITE_RUNS" '
		{ q = int((NR - 1) / runs) + 1; t = $4 + 0; if (!(q in best) || t < best[q]) best[q] = t }
		END { for (q = 1; q <= 4; q++) printf "q%d_s=%.3f\n", q, best[q] }' >"$d/sqlite.times"
	sq_bytes=$(sqlite3 "$d/sqlite.db" "SELECT sum(pgsize) FROM dbstat WHERE name = 'dv'")
	sq_version=$(sqlite3 --version | cut -d' ' -f1)

	# ---- DuckDB, every core and one thread ----
	say "$size values: DuckDB ($cores threads)"
	node bench/duckdb.mjs "$d" "$data/plan" "$d/ans/duckdb" "$cores" "$RUNS" >"$d/duckdb.out"
	say "$size values: DuckDB (1 thread)"
	node bench/duckdb.mjs "$d" "$data/plan" "$d/ans/duckdb1" 1 "$RUNS" >"$d/duckdb1.out"

	# ---- the same answers? ----
	say "$size values: comparing answers"
	node bench/compare.mjs rbm="$d/ans/rbm" SQLite="$d/ans/sqlite" DuckDB="$d/ans/duckdb" \
		"DuckDB-1t=$d/ans/duckdb1" >"$d/compare.out" || {
		cat "$d/compare.out"
		say "$size values: THE ENGINES DISAGREE (answers kept in $d/ans)"
		trap - EXIT
		exit 1
	}
	node bench/compare.mjs rbm="$d/ans/rbm" rbm-dense="$d/ans/rbm_direct" -- q1.csv >>"$d/compare.out" || {
		cat "$d/compare.out"
		say "$size values: rbm's two paths disagree (answers kept in $d/ans)"
		trap - EXIT
		exit 1
	}
	checked=$(grep -c ' = ' "$d/compare.out")

	# ---- the table ----
	label=$(echo "$size" | awk '{ if ($1 >= 1e6 && $1 % 1e6 == 0) printf "%dM", $1 / 1e6;
		else if ($1 >= 1e3 && $1 % 1e3 == 0) printf "%dk", $1 / 1e3; else print $1 }')
	rq() { get "$1" "$d/rbm.out"; }
	sqq() { get "$1" "$d/sqlite.times"; }
	dq() { get "$1" "$d/duckdb.out"; }
	d1q() { get "$1" "$d/duckdb1.out"; }
	rbm_rows=$(rq rows)
	if [ "$rbm_rows" != "$size" ] || [ "$(dq rows)" != "$size" ] || [ "$(d1q rows)" != "$size" ]; then
		say "$size values: rows held differ: rbm $rbm_rows, DuckDB $(dq rows), DuckDB 1t $(d1q rows)"
		exit 1
	fi
	rbm_kb=$(rq peak_rss_kb)
	[ "$rbm_ingest_kb" -gt "$rbm_kb" ] && rbm_peak=$rbm_ingest_kb || rbm_peak=$rbm_kb
	[ "$sq_ingest_kb" -gt "$sq_query_kb" ] && sq_peak=$sq_ingest_kb || sq_peak=$sq_query_kb
	tab=$d/table.md
	awk -v label="$label" -v rows="$rbm_rows" \
		-v r_in="$rbm_ingest" -v r_ld="$(rq load_s)" -v r1="$(rq q1_s)" -v r2="$(rq q2_s)" \
		-v r3="$(rq q3_s)" -v r4="$(rq q4_s)" -v r_kb="$rbm_peak" -v r_b="$(rq bytes)" \
		-v s_in="$sq_ingest" -v s1="$(sqq q1_s)" -v s2="$(sqq q2_s)" -v s3="$(sqq q3_s)" \
		-v s4="$(sqq q4_s)" -v s_kb="$sq_peak" -v s_b="$sq_bytes" \
		-v d_in="$(dq ingest_s)" -v d1="$(dq q1_s)" -v d2="$(dq q2_s)" -v d3="$(dq q3_s)" \
		-v d4="$(dq q4_s)" -v d_kb="$(dq peak_rss_kb)" -v d_b="$(dq bytes)" \
		-v e_in="$(d1q ingest_s)" -v e1="$(d1q q1_s)" -v e2="$(d1q q2_s)" -v e3="$(d1q q3_s)" \
		-v e4="$(d1q q4_s)" -v e_kb="$(d1q peak_rss_kb)" -v e_b="$(d1q bytes)" -v cores="$cores" '
	function row(name, in_, ld, q1, q2, q3, q4, kb, b) {
		tot[name] = q1 + q2 + q3 + q4
		printf "%-8s %-12s %8.2f %7s %8.3f %8.3f %8.3f %8.3f %8.3f %8.0f MiB %8.1f\n", label, name, in_,
			ld == "" ? "-" : sprintf("%.2f", ld), q1, q2, q3, q4, tot[name], kb / 1024, b / rows
	}
	function ratio(name, a_in, a1, a2, a3, a4, a_kb, a_b, b_in, b1, b2, b3, b4, b_kb, b_b) {
		printf "%-21s %8.2f %7s %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f     %8.2f\n", "ratio " name, a_in / b_in, "",
			a1 / b1, a2 / b2, a3 / b3, a4 / b4, (a1 + a2 + a3 + a4) / (b1 + b2 + b3 + b4), a_kb / b_kb, a_b / b_b
	}
	BEGIN {
		printf "%-8s %-12s %8s %7s %8s %8s %8s %8s %8s %12s %8s\n", "values", "engine", "ingest", "load",
			"Q1", "Q2", "Q3", "Q4", "total", "peak RSS", "bytes/value"
		row("rbm", r_in, r_ld, r1, r2, r3, r4, r_kb, r_b)
		row("SQLite", s_in, "", s1, s2, s3, s4, s_kb, s_b)
		row("DuckDB", d_in, "", d1, d2, d3, d4, d_kb, d_b)
		row("DuckDB 1t", e_in, "", e1, e2, e3, e4, e_kb, e_b)
		ratio("rbm/SQLite", r_in, r1, r2, r3, r4, r_kb, r_b, s_in, s1, s2, s3, s4, s_kb, s_b)
		ratio("rbm/DuckDB", r_in, r1, r2, r3, r4, r_kb, r_b, d_in, d1, d2, d3, d4, d_kb, d_b)
		ratio("rbm/DuckDB 1t", r_in, r1, r2, r3, r4, r_kb, r_b, e_in, e1, e2, e3, e4, e_kb, e_b)
		printf "cores: %d\n", cores
	}' >"$tab"
	{
		echo
		cat "$tab"
	} >&2
	{
		echo "### $label values ($rbm_rows rows, values.csv $csv_mb MB, generated in $gen_s s)"
		echo
		echo '```'
		cat "$tab"
		echo '```'
		echo
		echo "- answers: all engines agree ($checked answer sets compared, numbers to 1e-6 relative)."
		echo "- rbm: ingest peak RSS $((rbm_ingest_kb / 1024)) MiB, load + queries $((rbm_kb / 1024)) MiB;" \
			"Q1 without counting places (the dense path attainment takes): $(printf '%.3f' "$(rq q1_direct_s)") s."
		echo "- SQLite: ingest peak RSS $((sq_ingest_kb / 1024)) MiB, queries $((sq_query_kb / 1024)) MiB; best of $SQLITE_RUNS runs."
		echo "- DuckDB $(dq version): database file $(($(dq bytes) / 1048576)) MiB ($cores threads)," \
			"$(($(d1q bytes) / 1048576)) MiB (1 thread); peak RSS includes node and the DuckDB library (~90 MiB before any data)."
		echo
	} >>"$report"
	if [ -z "${BENCH_DATA:-}" ]; then
		rm -f "$d/values.csv" "$d"/*.db "$d"/*.db-* "$d"/*.duckdb "$d"/*.duckdb.wal
	fi
done

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
{
	echo "# rbm measure benchmark"
	echo
	echo "Written by \`make bench\` (bench/run.sh) on $(date -u +%Y-%m-%d): $cpu, $cores cores, $mem;"
	echo "SQLite $sq_version (sqlite3 shell), DuckDB $(get version "$data/$(echo "$SIZES" | awk '{ print $NF }')/duckdb.out")"
	echo "(@duckdb/node-api), $($CC --version | head -n 1). A measurement of one machine, not a test."
	echo
	echo "The same synthetic plan (bench/gen_plan.c: 504 indicators under 4 domains x 3 outcomes, every"
	echo "rule, 209 offices, 200 countries, 10,000 cities) and data values (bench/gen_values.c:"
	echo "2016-2023, annual and quarterly, sex and age categories, Zipf-skewed over indicators) in each"
	echo "engine. Columns, in seconds unless named:"
	echo
	echo "- **ingest**: the CSV into the engine's storage. rbm: \`rbm values import\` (every row checked,"
	echo "  one transaction, two indexes, WAL with synchronous=FULL). SQLite: \`.import\` into a staging"
	echo "  table, then the typed table. DuckDB: \`read_csv\` into a table, then CHECKPOINT."
	echo "- **load**: rbm only, \`rbm_measure_load\`: the values from SQLite into memory, as columns."
	echo "- **Q1** totals per indicator and year, each indicator by its rule; **Q2** the same per"
	echo "  region; **Q3** attainment in $YEAR, counted per domain and status; **Q4** people reached by sex"
	echo "  per region. Best of $RUNS runs (SQLite $SQLITE_RUNS). rbm runs on one core (the engine is"
	echo "  single-threaded); SQLite too; DuckDB on all $cores cores, and again on one thread (DuckDB 1t)."
	echo "  The SQL is bench/sql/q1.sql .. q4.sql, the same text in both; SQLite with a 1 GiB page cache"
	echo "  and memory-mapped I/O."
	echo "- **total**: Q1 + Q2 + Q3 + Q4 (not ingest or load)."
	echo "- **peak RSS**: the largest of the engine's processes (rbm: the import and bench_measure;"
	echo "  SQLite: the import and the queries; DuckDB: one node process for both)."
	echo "- **bytes/value**: rbm: \`rbm_measure_bytes()\` / rows, in memory; SQLite: the pages of the table"
	echo "  dv (dbstat); DuckDB: the database file. Ratios below 1 favour rbm."
	echo
	cat "$report"
} >bench/results.md
say "wrote bench/results.md"
