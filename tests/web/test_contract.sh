# test_contract.sh - the JSON API against its OpenAPI 3.1 description: the description names
# exactly the routes 'rbm serve --help' lists, and a real server's answers (the bundled plan and
# the 2021 sample, cycle 2022 open for KEN) validate against the schemas it gives, errors too.
# The checking is tests/web/contract.py, with Debian's python3-jsonschema (Draft 2020-12).
. tests/harness/cli.sh
. tests/harness/server.sh

db=$T/rbm.db
PY=/usr/bin/python3
if ! $PY -c 'import jsonschema' 2>/dev/null; then
	echo "not ok - python3-jsonschema is installed (scripts/install-deps.sh installs it)"
	exit 1
fi

run init --db "$db"
expect "contract: a database with the bundled plan" 0
if RBM=$RBM data/samples/2021/load.sh "$db" >"$T/load.log" 2>&1; then
	ok "contract: the 2021 sample collection loads"
else
	fail "contract: the 2021 sample collection loads" "$(tail -n 5 "$T/load.log")"
	exit 1
fi
for r in highlights annual; do
	run report publish $r --cycle 2021 --db "$db"
	expect "contract: the 2021 $r is published" 0
done
run editorial import data/samples/2021/editorial/annual.json --db "$db"
expect "contract: the 2021 annual text" 0
run cycle open 2022 --from "$(date +%F)" --to "$(date -d '+30 days' +%F)" --offices KEN --db "$db"
expect "contract: cycle 2022 open for KEN" 0

# One user per role, and an API token for each.
: >"$T/tokens"
for u in "admin administrator" "editor editor" "reviewer reviewer --region ROAF" \
	"reporter reporter --office KEN" "viewer viewer"; do
	set -- $u
	name=$1
	shift
	RBM_PASSWORD=correct-horse-42 "$RBM" user add "$name" --role "$@" --db "$db" >/dev/null 2>&1
	tok=$("$RBM" token create "$name" --db "$db" 2>/dev/null | grep -o 'rbm_[0-9a-f]*' | head -n 1)
	if [ -z "$tok" ]; then
		fail "contract: a token for $name" "rbm token create gave none"
		exit 1
	fi
	echo "$name $tok" >>"$T/tokens"
done
ken=$("$RBM" submissions list --cycle 2021 --office KEN --db "$db" | awk '$1 ~ /^[0-9]+$/ { print $1; exit }')
echo "KEN_ID ${ken:-0}" >>"$T/tokens"
"$RBM" serve --help >"$T/routes"

if ! start_server "$db" --threads 2; then
	echo "not ok - contract: rbm serve starts"
	exit 1
fi
ok "contract: rbm serve starts"
$PY tests/web/contract.py "$B" data/web/openapi.json "$T/routes" "$T/tokens"
if server_clean; then
	ok "contract: the server answered everything without a sanitizer report"
else
	fail "contract: the server answered everything without a sanitizer report" "$(tail -n 12 "$T/server.err")"
fi
