#!/bin/sh
# web.sh - a short load check of 'rbm serve' with wrk: requests per second and latency
# percentiles (p50, p99) for the results dashboard (HTML, signed in), the results API (JSON,
# bearer token), a submission's API page, the public online report and /healthz (the server's
# floor), on the bundled plan with the 2021 sample. A measurement, never a test.
#
# Usage: bench/web.sh [SECONDS] [CONNECTIONS]   (defaults 10 and 16; make bench-web runs it)
# Prints a Markdown table and appends it, with the machine's figures, to bench/web-results.md.
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-10}
CONNS=${2:-16}
RBM=${RBM:-build/rbm}
export RBM_DATA_DIR="$PWD/data"
command -v wrk >/dev/null || { echo "rbm: web.sh: wrk is missing (scripts/install-deps.sh)" >&2; exit 1; }
T=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$T"' EXIT

"$RBM" init --db "$T/rbm.db" >/dev/null
RBM=$RBM data/samples/2021/load.sh "$T/rbm.db" >/dev/null 2>&1
"$RBM" editorial import data/samples/2021/editorial/annual.json --db "$T/rbm.db" >/dev/null
"$RBM" report publish annual --cycle 2021 --db "$T/rbm.db" >/dev/null
printf 'correct-horse-42\n' | "$RBM" user add bench --role administrator --db "$T/rbm.db" >/dev/null
tok=$("$RBM" token create bench --db "$T/rbm.db" | grep -o 'rbm_[0-9a-f]*' | head -n 1)
ken=$("$RBM" submissions list --cycle 2021 --office KEN --db "$T/rbm.db" | awk '$1 ~ /^[0-9]+$/ { print $1; exit }')

"$RBM" serve --db "$T/rbm.db" --port 0 >"$T/out" 2>/dev/null &
pid=$!
port=""
while [ -z "$port" ]; do
	sleep 0.1
	port=$(sed -n 's|^rbm: serving http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$T/out")
done
B=http://127.0.0.1:$port
cores=$(nproc)
threads=$((cores < 4 ? cores : 4))

# one NAME PATH [HEADER]: a wrk run; prints a table row.
one() {
	name=$1
	path=$2
	shift 2
	if [ $# -gt 0 ]; then
		wrk -t"$threads" -c"$CONNS" -d"${SECS}s" --latency -H "$1" "$B$path" >"$T/wrk" 2>&1
	else
		wrk -t"$threads" -c"$CONNS" -d"${SECS}s" --latency "$B$path" >"$T/wrk" 2>&1
	fi
	rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$T/wrk")
	p50=$(awk '$1 == "50%" { print $2 }' "$T/wrk")
	p99=$(awk '$1 == "99%" { print $2 }' "$T/wrk")
	errs=$(awk '/Non-2xx or 3xx responses:/ { print $NF }' "$T/wrk")
	printf '| %-34s | %8s | %8s | %8s | %6s |\n' "$name" "$rps" "$p50" "$p99" "${errs:-0}"
}

{
	echo
	echo "## $(date -u +%Y-%m-%d) · $(uname -m), $cores cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) · wrk $threads threads, $CONNS connections, ${SECS} s each"
	echo
	echo "| route | req/s | p50 | p99 | non-2xx |"
	echo "|---|---:|---:|---:|---:|"
	one "GET /healthz (floor: no database)" /healthz
	one "GET /results/2021 (dashboard, HTML)" /results/2021 "Authorization: Bearer $tok"
	one "GET /api/v1/results/2021 (JSON)" /api/v1/results/2021 "Authorization: Bearer $tok"
	one "GET /api/v1/submissions/$ken (JSON)" "/api/v1/submissions/$ken" "Authorization: Bearer $tok"
	one "GET /reports/2021/annual (public HTML)" /reports/2021/annual
} | tee -a bench/web-results.md
