# test_contract.sh - the JSON API against its OpenAPI 3.1 description: the description names
# exactly the routes 'rbm serve --help' lists, and a real server's answers (the bundled plan and
# the 2021 sample, cycle 2022 open for KEN and ROAF) validate against the schemas it gives, errors too.
# The checking is tests/web/contract.py, with Debian's python3-jsonschema (Draft 2020-12).
. tests/harness/cli.sh
. tests/harness/server.sh

db=$T/rbm.db
PY=/usr/bin/python3
if ! $PY -c 'import jsonschema' 2>/dev/null; then
	echo "not ok - python3-jsonschema is installed (scripts/install-deps.sh installs it)"
	exit 1
fi

if sample_db "$db"; then
	ok "contract: the sample database (2021 collection, cycle 2022 open for KEN, a user per role)"
else
	echo "not ok - contract: the sample database"
	exit 1
fi
for r in highlights annual; do
	run report publish $r --cycle 2021 --db "$db"
	expect "contract: the 2021 $r is published" 0
done
run editorial import data/samples/2021/editorial/annual.json --db "$db"
expect "contract: the 2021 annual text" 0
# contract.py knows the users by role.
awk '{ sub(/^rafael$/, "reviewer", $1); sub(/^amina$/, "reporter", $1); print }' "$T/tokens" >"$T/roles"
ken=$("$RBM" submissions list --cycle 2021 --office KEN --db "$db" | awk '$1 ~ /^[0-9]+$/ { print $1; exit }')
echo "KEN_ID ${ken:-0}" >>"$T/roles"
"$RBM" serve --help >"$T/routes"

if ! start_server "$db" --threads 2; then
	echo "not ok - contract: rbm serve starts"
	exit 1
fi
ok "contract: rbm serve starts"
$PY tests/web/contract.py "$B" data/web/openapi.json "$T/routes" "$T/roles"
if server_clean; then
	ok "contract: the server answered everything without a sanitizer report"
else
	fail "contract: the server answered everything without a sanitizer report" "$(tail -n 12 "$T/server.err")"
fi
