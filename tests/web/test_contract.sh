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
# The open-data downloads a published cycle offers, as others' tools read them.
code=$(curl -s -o "$T/iati.xml" -w '%{http_code}' "$B/data/2021/iati.xml")
if [ "$code" = 200 ] && xmllint --noout --schema ../shared/standards/iati-2.03/iati-activities-schema.xsd \
	"$T/iati.xml" 2>"$T/xmllint.err"; then
	ok "contract: /data/2021/iati.xml validates against the IATI 2.03 schema"
else
	fail "contract: /data/2021/iati.xml validates against the IATI 2.03 schema" "status $code; $(tail -n 3 "$T/xmllint.err")"
fi
code=$(curl -s -o "$T/pkg.json" -w '%{http_code}' "$B/data/2021/datapackage.json")
n=$(/usr/bin/python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["resources"]))' "$T/pkg.json" 2>/dev/null)
if [ "$code" = 200 ] && [ "$n" = 4 ]; then
	ok "contract: /data/2021/datapackage.json describes the four tables"
else
	fail "contract: /data/2021/datapackage.json describes the four tables" "status $code, resources '$n'"
fi
for f in value indicator outcome domain; do
	code=$(curl -s -o "$T/$f.csv" -w '%{http_code}' "$B/data/2021/$f.csv")
	if [ "$code" = 200 ] && [ "$(wc -l <"$T/$f.csv")" -gt 1 ]; then
		ok "contract: /data/2021/$f.csv, the package's resource, is there"
	else
		fail "contract: /data/2021/$f.csv, the package's resource, is there" "status $code"
	fi
done

if server_clean; then
	ok "contract: the server answered everything without a sanitizer report"
else
	fail "contract: the server answered everything without a sanitizer report" "$(tail -n 12 "$T/server.err")"
fi
