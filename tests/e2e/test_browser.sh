# test_browser.sh - the web application in a real browser: Playwright drives Debian's Chromium,
# headless, through every tests/e2e/scenario_*.mjs against 'rbm serve' on a free loopback port.
#
# The database: the bundled plan, the 2021 sample collection (data/samples/2021/load.sh), cycle
# 2022 open from today for 30 days for KEN and ROAF, and one user per role, all with the password
# correct-horse-42: admin (administrator), editor (editor), amina (reporter, KEN), rafael
# (reviewer, region ROAF), viewer (viewer). Each scenario gets RBM_BASE (the server) and
# RBM_E2E_ARTIFACTS (build/e2e/NAME: its screenshots) and prints TAP lines, counted by tests/run.sh.
# Playwright comes from npm (tests/e2e/package-lock.json), installed by 'npm ci' when missing.
cd "$(dirname "$0")/../.." || exit 2
. tests/harness/cli.sh

E2E=tests/e2e
. tests/harness/server.sh

db=${RBM_E2E_DB:-$T/rbm.db} # test_browser_pg.sh runs it all again on PostgreSQL
log=$T/server.err
bad=0
export RBM_DATA_DIR="${RBM_DATA_DIR:-$PWD/data}"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# bail NAME WHY [LOG]: one failed line with its reason (and the log's last lines), then stop.
bail() {
	echo "not ok - $1"
	echo "#   $2"
	[ -n "${3:-}" ] && [ -f "$3" ] && tail -n 15 "$3" | sed 's/^/#   /'
	exit 1
}

# --- the tools: node, Chromium, and Playwright from npm (installed again when the lock is newer)
command -v node >/dev/null 2>&1 || bail "node is installed" "no node on PATH: run scripts/install-deps.sh"
[ -x /usr/bin/chromium ] || bail "chromium is installed" "no /usr/bin/chromium: run scripts/install-deps.sh"
stamp=$E2E/node_modules/.rbm-npm-ci
if [ ! -f "$stamp" ] || [ $E2E/package-lock.json -nt "$stamp" ]; then
	if ! (cd $E2E && npm ci --no-audit --no-fund --prefer-offline --loglevel=error) >"$T/npm.log" 2>&1; then
		bail "npm ci failed" "npm ci in $E2E failed" "$T/npm.log"
	fi
	touch "$stamp"
fi

# --- the database: plan, 2021 sample collection, an open 2022 cycle, a user per role
run init --db "$db"
expect "e2e: a database with the bundled plan" 0
[ "$status" -eq 0 ] || bad=1
if RBM=$RBM data/samples/2021/load.sh "$db" >"$T/load.log" 2>&1; then
	ok "e2e: the 2021 sample collection loads"
else
	bail "e2e: the 2021 sample collection loads" "data/samples/2021/load.sh failed" "$T/load.log"
fi
# The editors have written the 2022 report text (the 2021 sample's, moved to 2022).
sed 's/"cycle": 2021/"cycle": 2022/' data/samples/2021/editorial/annual.json >"$T/annual-2022.json"
run editorial import "$T/annual-2022.json" --db "$db"
expect "e2e: the 2022 annual report text imports" 0 "120 texts stored"
today=$(date +%F)
run cycle open 2022 --from "$today" --to "$(date -d '+30 days' +%F)" --offices KEN,ROAF --db "$db"
expect "e2e: cycle 2022 open from today for KEN and ROAF" 0
[ "$status" -eq 0 ] || bad=1
# add_user NAME ROLE [--office O | --region R]: the password from $RBM_PASSWORD, never asked.
add_user() {
	name=$1 role=$2
	shift 2
	RBM_PASSWORD=correct-horse-42 run user add "$name" --role "$role" "$@" --db "$db"
	expect "e2e: user $name, $role${1:+ $*}" 0
	[ "$status" -eq 0 ] || bad=1
}
add_user admin administrator
add_user editor editor
add_user amina reporter --office KEN
add_user rafael reviewer --region ROAF
add_user viewer viewer

# --- the server, on a free port
start_server "$db" --threads 2 || bail "e2e: rbm serve starts and prints its address" "no server" "$log"
ok "e2e: rbm serve starts and prints its address"

# --- the scenarios, each in its own node process; a crash without a "not ok" line is one
for s in $E2E/scenario_*.mjs; do
	[ -f "$s" ] || continue
	name=$(basename "$s" .mjs)
	name=${name#scenario_}
	artifacts=$PWD/build/e2e/$name
	rm -rf "$artifacts"
	mkdir -p "$artifacts"
	echo "# scenario $name (screenshots in build/e2e/$name)"
	RBM_BASE=http://127.0.0.1:$port RBM_E2E_ARTIFACTS=$artifacts \
		timeout 300 node "$s" >"$T/scenario.out" 2>"$T/scenario.err"
	status=$?
	[ "$status" -eq 0 ] || bad=1
	cat "$T/scenario.out"
	sed 's/^/# stderr: /' "$T/scenario.err" | head -n 20
	if [ "$status" -ne 0 ] && ! grep -q '^not ok ' "$T/scenario.out"; then
		echo "not ok - $name exited $status"
	fi
done

# --- the server survived every scenario, without a sanitizer report
if ! kill -0 "$pid" 2>/dev/null; then
	echo "not ok - e2e: rbm serve ran through the scenarios"
	bad=1
	tail -n 15 "$log" | sed 's/^/#   /'
elif grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$log"; then
	echo "not ok - e2e: rbm serve ran through the scenarios without a sanitizer report"
	bad=1
	grep -A 12 'runtime error\|AddressSanitizer\|LeakSanitizer' "$log" | head -n 15 | sed 's/^/#   /'
else
	ok "e2e: rbm serve ran through the scenarios without a sanitizer report"
fi
exit $bad
