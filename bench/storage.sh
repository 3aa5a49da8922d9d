#!/bin/sh
# storage.sh - ingest and the report workload on SQLite and PostgreSQL side by side (a measurement,
# never a test). Called by 'make bench-storage'; prints one table per size and writes them to
# bench/storage-results.md.
#
# Usage: make bench-storage [SIZES="100000 1000000"]
# Environment:
#   SIZES   numbers of data values, default "100000 1000000"
#   RUNS    runs per query and of the report, the best counts (default 3)
#
# The data are bench/run.sh's: gen_plan's synthetic plan (504 indicators, 10,000 cities) and
# gen_values' values. Per size and back-end:
#   plan     'rbm init --plan' (places and the plan, thousands of rows with their ids)
#   ingest   'rbm values import values.csv' (checked row by row, one transaction)
#   load     rbm_measure_load: every value read from the database into the engine
#   Q1..Q4   the workload on the loaded engine (bench/bench_measure.c; the same on both back-ends)
#   report   'rbm results --cycle 2021' end to end: connect, read the plan, load, attainment
#   size     the database on disk (SQLite's file; PostgreSQL's pg_database_size)
# The engine's answers on both back-ends must be byte-identical, or the run fails.
# PostgreSQL is a throw-away server (tests/harness/pg.sh) on a Unix socket, with its durable
# defaults (fsync, synchronous_commit on), as SQLite runs with synchronous=FULL.
set -eu
cd "$(dirname "$0")/.."
root=$PWD
SIZES=${SIZES:-"100000 1000000"}
RUNS=${RUNS:-3}

say() { echo "bench: $*" >&2; }

if [ -z "${BENCH_CFLAGS:-}" ] || [ -z "${BENCH_LIBS:-}" ]; then
	exec make --no-print-directory bench-storage
fi
[ -x /usr/bin/time ] || { say "needs /usr/bin/time (apt-get install time)"; exit 1; }

CC=${BENCH_CC:-gcc}
mkdir -p build/bench
# shellcheck disable=SC2086
$CC $BENCH_CFLAGS -o build/bench/gen_plan bench/gen_plan.c
# shellcheck disable=SC2086
$CC $BENCH_CFLAGS -o build/bench/gen_values bench/gen_values.c -lm
# shellcheck disable=SC2086
$CC $BENCH_CFLAGS -o build/bench/bench_measure bench/bench_measure.c $BENCH_LIBS

PG_DURABLE=1
. tests/harness/pg.sh
data=$(mktemp -d "${TMPDIR:-/tmp}/rbm-bench-storage-XXXXXX")
trap 'pg_stop; rm -rf "$data"' EXIT
pg_start || exit 1
export RBM_DATA_DIR="$root/data" RBM_USER=bench
mkdir -p "$data/plan"
build/bench/gen_plan data/places/countries.csv "$data/plan"
pg_version=$(pg_psql postgres -At -c "SHOW server_version" | cut -d' ' -f1)
sq_version=$(sqlite3 --version 2>/dev/null | cut -d' ' -f1)

ms() { date +%s%N; }
secs() { echo "$1 $2" | awk '{ printf "%.3f", ($2 - $1) / 1e9 }'; }
get() { sed -n "s/^$1=//p" "$2" | head -n 1; }

report=$data/report.md
: >"$report"
for size in $SIZES; do
	d=$data/$size
	mkdir -p "$d"
	say "$size values: generating"
	build/bench/gen_values "$data/plan" "$size" "$d/values.csv"
	label=$(echo "$size" | awk '{ if ($1 >= 1e6 && $1 % 1e6 == 0) printf "%dM", $1 / 1e6;
		else if ($1 >= 1e3 && $1 % 1e3 == 0) printf "%dk", $1 / 1e3; else print $1 }')
	for be in sqlite postgresql; do
		say "$size values: $be"
		if [ $be = sqlite ]; then
			db=$d/rbm.db
		else
			db=$(pg_createdb "b$size")
		fi
		t0=$(ms)
		build/rbm init --plan "$data/plan/plan.json" --db "$db" >/dev/null
		plan_s=$(secs "$t0" "$(ms)")
		t0=$(ms)
		/usr/bin/time -f '%M' -o "$d/$be.ingest.time" build/rbm --db "$db" values import "$d/values.csv" >/dev/null
		ingest_s=$(secs "$t0" "$(ms)")
		ingest_kb=$(tail -n 1 "$d/$be.ingest.time")
		mkdir -p "$d/ans-$be"
		build/bench/bench_measure "$db" "$d/ans-$be" "$RUNS" 2021 >"$d/$be.out"
		build/rbm cycle open 2021 --from 2022-01-10 --to 2022-02-28 --db "$db" >/dev/null
		best=""
		r=0
		while [ $r -lt "$RUNS" ]; do
			t0=$(ms)
			build/rbm results --cycle 2021 --format csv --db "$db" >"$d/$be.results.csv"
			t=$(secs "$t0" "$(ms)")
			if [ -z "$best" ] || [ "$(echo "$t $best" | awk '{ print ($1 < $2) }')" = 1 ]; then
				best=$t
			fi
			r=$((r + 1))
		done
		if [ $be = sqlite ]; then
			bytes=$(stat -c %s "$db")
		else
			bytes=$(pg_psql "b$size" -At -c "SELECT pg_database_size(current_database())")
		fi
		{
			echo "plan_s=$plan_s"
			echo "ingest_s=$ingest_s"
			echo "ingest_kb=$ingest_kb"
			echo "report_s=$best"
			echo "db_bytes=$bytes"
		} >>"$d/$be.out"
	done
	for f in "$d"/ans-sqlite/*.csv; do
		if ! cmp -s "$f" "$d/ans-postgresql/$(basename "$f")"; then
			say "$size values: the answers differ ($(basename "$f")); kept in $d"
			trap - EXIT
			exit 1
		fi
	done
	cmp -s "$d/sqlite.results.csv" "$d/postgresql.results.csv" || {
		say "$size values: 'rbm results' differs between the back-ends"
		exit 1
	}
	checked=$(cat "$d"/ans-sqlite/*.csv | wc -l)
	{
		printf '%-7s %-11s %7s %8s %7s %7s %7s %7s %7s %8s %9s %10s\n' values back-end plan ingest \
			load Q1 Q2 Q3 Q4 report "rows/s" "size MiB"
		for be in sqlite postgresql; do
			o=$d/$be.out
			awk -v label="$label" -v be="$be" -v size="$size" -v plan="$(get plan_s "$o")" \
				-v ing="$(get ingest_s "$o")" -v ld="$(get load_s "$o")" -v q1="$(get q1_s "$o")" \
				-v q2="$(get q2_s "$o")" -v q3="$(get q3_s "$o")" -v q4="$(get q4_s "$o")" \
				-v rep="$(get report_s "$o")" -v b="$(get db_bytes "$o")" 'BEGIN {
				printf "%-7s %-11s %7.2f %8.2f %7.3f %7.3f %7.3f %7.3f %7.3f %8.3f %9.0f %10.1f\n",
					label, be, plan, ing, ld, q1, q2, q3, q4, rep, size / ing, b / 1048576 }'
		done
		s=$d/sqlite.out p=$d/postgresql.out
		awk -v a="$(get plan_s "$p")" -v b="$(get plan_s "$s")" -v c="$(get ingest_s "$p")" \
			-v e="$(get ingest_s "$s")" -v f="$(get load_s "$p")" -v g="$(get load_s "$s")" \
			-v h="$(get report_s "$p")" -v i="$(get report_s "$s")" 'BEGIN {
			printf "%-19s %7.2f %8.2f %7.2f %39s\n", "ratio pg/sqlite", a / b, c / e, f / g,
				sprintf("%8.2f", h / i) }'
		echo "($checked answer lines identical on both back-ends)"
	} >"$d/table.txt"
	cat "$d/table.txt"
	{
		echo "### $label values"
		echo
		echo '```'
		cat "$d/table.txt"
		echo '```'
		echo
	} >>"$report"
done

{
	echo "# rbm on SQLite and on PostgreSQL: ingest and the report workload"
	echo
	echo "Made by \`make bench-storage\` (bench/storage.sh) on $(date -u +%Y-%m-%d), $(nproc) cores,"
	echo "SQLite $sq_version (synchronous=FULL, WAL), PostgreSQL $pg_version (a local server on a Unix socket,"
	echo "durable defaults), libpq $(pkg-config --modversion libpq). Seconds; the best of $RUNS runs for the"
	echo "queries and the report. plan: 'rbm init --plan' of the synthetic plan; ingest: 'rbm values"
	echo "import'; load: every value into the measure engine; Q1-Q4: the workload of bench/run.sh on the"
	echo "loaded engine; report: 'rbm results --cycle 2021' end to end."
	echo
	cat "$report"
} >bench/storage-results.md
say "wrote bench/storage-results.md"
