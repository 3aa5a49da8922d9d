# test_export.sh - rbm export csv|json|xlsx|datapackage, run as a user runs them, on the 2021 sample:
# the tables and their formats; the value level read back into a fresh database with 'rbm values
# import' gives the same results; the data package checked against the Table Schema rules that can
# be checked locally (tests/export/check_datapackage.py); the workbook opened by LibreOffice; bad
# input (cycles, levels, languages, output paths), with nothing half-written.
. tests/harness/cli.sh

PY=/usr/bin/python3
db=$T/sample.db
{ "$RBM" init --db "$db" && RBM=$RBM data/samples/2021/load.sh "$db"; } >"$T/load.log" 2>&1 ||
	fail "the 2021 sample loads" "$(tail -n 3 "$T/load.log")"

# ---- CSV ----
run export csv --db "$db" --cycle 2021 -o "$T/value.csv"
expect "export csv: the value level by default" 0 "value\.csv: [0-9]+ value rows \(cycle 2021, en\)"
head_want='cycle,domain,domain_title,outcome,outcome_title,indicator,indicator_title,unit,currency,rule,year,quarter,office,office_name,region,region_name,country,country_name,m49_region,m49_region_name,city,city_name,disaggregation,disaggregation_label,category,category_label,value,values'
[ "$(head -n 1 "$T/value.csv")" = "$(printf '%s\r' "$head_want")" ] &&
	ok "value level: the documented columns, CRLF" || fail "value level header" "$(head -n 1 "$T/value.csv")"
n_values=$(sqlite3 "$db" "SELECT count(*) FROM data_values WHERE year = 2021")
sum=$($PY -c 'import csv, sys; print(sum(int(r["values"]) for r in csv.DictReader(open(sys.argv[1], newline=""))))' "$T/value.csv")
[ "$sum" = "$n_values" ] && ok "value level: every approved value of 2021 behind its rows ($sum)" ||
	fail "value level: values behind the rows" "$sum rows of values, $n_values data values"
grep -q '^2021,1,.*,1\.1\.a,.*,KEN,Kenya,002,Africa,,,sex,Sex,female,Female,[0-9]*,1.$' "$T/value.csv" &&
	ok "value level: a category row with codes and labels" || fail "a category row" "no KEN female row for 1.1.a"

run export csv --db "$db" --cycle 2021 --level value -o -
cmp -s "$out" "$T/value.csv" && ok "export csv -o -: the same bytes on standard output" ||
	fail "export csv -o -" "differs from the file"

for level in indicator outcome domain; do
	run export csv --db "$db" --cycle 2021 --level $level -o "$T/$level.csv"
	expect "export csv --level $level" 0 "$level\.csv: [0-9]+ $level rows"
done
grep -q '^cycle,domain,domain_title,outcome,outcome_title,indicator,indicator_title,unit,currency,rule,direction,year,baseline,baseline_year,target,actual,percent,status,places,values' "$T/indicator.csv" &&
	ok "indicator level: the documented columns" || fail "indicator level header" "$(head -n 1 "$T/indicator.csv")"
# The indicator level agrees with 'rbm results' (actual, target, status).
run results --db "$db" --cycle 2021 --format csv
cp "$out" "$T/results.csv"
if $PY - "$T/indicator.csv" "$T/results.csv" <<'PY'; then ok "indicator level: the actuals, targets and statuses of rbm results"; else fail "indicator level against rbm results" "see above"; fi
import csv, sys
ind = {r["indicator"]: r for r in csv.DictReader(open(sys.argv[1], newline=""))}
res = list(csv.DictReader(open(sys.argv[2], newline="")))
assert len(res) == len(ind), (len(res), len(ind))
for r in res:
    i = ind[r["indicator"]]
    for a, b in (("actual", "actual"), ("target", "target")):
        assert (r[a] == "") == (i[b] == ""), (r, i)
        assert r[a] == "" or abs(float(r[a]) - float(i[b])) <= 1e-9 * max(1, abs(float(r[a]))), (r, i)
    assert r["status"].replace(" ", "_") == i["status"], (r["status"], i["status"])
PY

# ---- the round trip: value level -> rbm values import into a fresh database -> the same results ----
fresh=$T/fresh.db
run init --db "$fresh"
expect "a fresh database with the same plan" 0
run cycle open 2021 --db "$fresh" --from 2022-01-10 --to 2022-02-28
expect "its cycle 2021" 0
run values import --db "$fresh" "$T/value.csv"
expect "rbm values import reads the value level as it is" 0 "[0-9]+ values stored"
for by in "" region country office city sex age "country,sex" domain; do
	run results --db "$db" --cycle 2021 ${by:+--by "$by"} --format csv
	cut -d, -f1-9 "$out" >"$T/a.txt"
	run results --db "$fresh" --cycle 2021 ${by:+--by "$by"} --format csv
	cut -d, -f1-9 "$out" >"$T/b.txt"
	if [ -s "$T/a.txt" ] && cmp -s "$T/a.txt" "$T/b.txt"; then
		ok "round trip: rbm results ${by:+--by $by }the same"
	else
		fail "round trip: rbm results ${by:+--by $by}" "$(diff "$T/a.txt" "$T/b.txt" | head -n 5)"
	fi
done
for level in indicator outcome domain; do
	run export csv --db "$fresh" --cycle 2021 --level $level -o "$T/fresh-$level.csv"
	cmp -s "$T/$level.csv" "$T/fresh-$level.csv" && ok "round trip: the $level level the same" ||
		fail "round trip: the $level level" "$(diff "$T/$level.csv" "$T/fresh-$level.csv" | head -n 5)"
done

# ---- JSON ----
run export json --db "$db" --cycle 2021 --level indicator -o "$T/indicator.json"
expect "export json" 0 "indicator\.json: [0-9]+ indicator rows"
if $PY - "$T/indicator.json" "$T/indicator.csv" <<'PY'; then ok "json: columns described, every row as in the CSV, typed"; else fail "json shape" "see above"; fi
import csv, json, sys
doc = json.load(open(sys.argv[1]))
assert list(doc) == ["cycle", "level", "lang", "plan", "columns", "rows"], list(doc)
assert doc["cycle"] == 2021 and doc["level"] == "indicator" and doc["lang"] == "en", doc
names = [c["name"] for c in doc["columns"]]
assert all(set(c) == {"name", "type", "required", "description"} for c in doc["columns"])
rows = list(csv.DictReader(open(sys.argv[2], newline="")))
assert names == list(rows[0]) and len(rows) == len(doc["rows"])
types = {c["name"]: c["type"] for c in doc["columns"]}
for j, c in zip(doc["rows"], rows):
    assert list(j) == names
    for k in names:
        if c[k] == "":
            assert j[k] is None, (k, j[k])
        elif types[k] == "string":
            assert j[k] == c[k], (k, j[k], c[k])
        elif types[k] in ("integer", "year"):
            assert type(j[k]) is int and j[k] == int(c[k]), (k, j[k])
        else:
            assert float(j[k]) == float(c[k]), (k, j[k], c[k])
PY

# docs/exports.md describes every column of every level, with its type and whether it is required.
for level in value indicator outcome domain; do
	"$RBM" export json --db "$db" --cycle 2021 --level $level -o - >"$T/cols-$level.json" 2>/dev/null
done
if $PY - "$T" docs/exports.md <<'PY'; then ok "docs/exports.md lists every column of every level as the exports describe it"; else fail "docs/exports.md columns" "see above"; fi
import json, os, sys
doc = open(sys.argv[2], encoding="utf-8").read()
for level in ("value", "indicator", "outcome", "domain"):
    part = doc.split("**%s level**" % level, 1)[1].split("\n\n**", 1)[0].split("\n\n", 2)[1]
    cols = json.load(open(os.path.join(sys.argv[1], "cols-%s.json" % level)))["columns"]
    want = ["| `%s` | %s | %s |" % (c["name"], c["type"], "yes" if c["required"] else "") for c in cols]
    got = ["|".join(l.split("|")[:4]) + "|" for l in part.splitlines()[2:]]
    assert got == want, (level, [x for x in want if x not in got], [x for x in got if x not in want])
PY

# ---- languages ----
run export csv --db "$db" --cycle 2021 --level domain --lang fr -o "$T/domain-fr.csv"
expect "export csv --lang fr" 0 "\(cycle 2021, fr\)"
if $PY - "$T/domain.csv" "$T/domain-fr.csv" <<'PY'; then ok "--lang fr: the same codes and counts, French titles"; else fail "--lang fr" "see above"; fi
import csv, sys
en = list(csv.DictReader(open(sys.argv[1], newline="")))
fr = list(csv.DictReader(open(sys.argv[2], newline="")))
assert len(en) == len(fr)
for a, b in zip(en, fr):
    assert {k: v for k, v in a.items() if k != "domain_title"} == {k: v for k, v in b.items() if k != "domain_title"}
assert any(a["domain_title"] != b["domain_title"] for a, b in zip(en, fr))
PY

# ---- XLSX, opened by LibreOffice ----
run export xlsx --db "$db" --cycle 2021 -o "$T/all.xlsx"
expect "export xlsx: every level" 0 "all\.xlsx: [0-9]+ value rows, [0-9]+ indicator rows, [0-9]+ outcome rows, [0-9]+ domain rows"
run export xlsx --db "$db" --cycle 2021 --lang ar --level outcome -o "$T/ar.xlsx"
expect "export xlsx --lang ar --level outcome" 0 "1[0-9]* outcome rows"
if command -v libreoffice >/dev/null 2>&1; then
	mkdir -p "$T/lo"
	(cd "$T/lo" && timeout 300 libreoffice -env:UserInstallation="file://$T/lo/profile" --headless \
		--convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
		--outdir "$T/lo" "$T/all.xlsx") >"$T/lo.log" 2>&1
	if $PY - "$T" <<'PY'; then ok "LibreOffice opens the workbook: every sheet as the CSV export, and the columns sheet"; else fail "LibreOffice reads the workbook" "$(tail -n 3 "$T/lo.log")"; fi
import csv, os, sys
t = sys.argv[1]
ncols = 0
for level in ("value", "indicator", "outcome", "domain"):
    ours = list(csv.reader(open(os.path.join(t, level + ".csv"), newline="")))
    lo = list(csv.reader(open(os.path.join(t, "lo", "all-%s.csv" % level), newline="")))
    assert len(ours) == len(lo), (level, len(ours), len(lo))
    ncols += len(ours[0])
    for a, b in zip(ours, lo):
        assert len(a) == len(b), (level, a, b)
        for x, y in zip(a, b):
            if x == y:
                continue
            fx, fy = float(x), float(y)  # numbers shown in the General format
            assert abs(fx - fy) <= 1e-6 * max(1, abs(fx)), (level, x, y)
cols = list(csv.reader(open(os.path.join(t, "lo", "all-columns.csv"), newline="")))
assert cols[0] == ["sheet", "column", "type", "required", "description"], cols[0]
assert len(cols) == ncols + 1, (len(cols), ncols)
PY
else
	echo "# skipped: libreoffice not installed (scripts/install-deps.sh installs libreoffice-calc-nogui)"
fi

# ---- the data package ----
run export datapackage --db "$db" --cycle 2021 -o "$T/pkg"
expect "export datapackage" 0 "pkg: [0-9]+ value rows, [0-9]+ indicator rows"
ls "$T/pkg" | tr '\n' ' ' >"$T/ls.txt"
[ "$(cat "$T/ls.txt")" = "datapackage.json domain.csv indicator.csv outcome.csv value.csv " ] &&
	ok "the package: datapackage.json and a CSV per level" || fail "the package's files" "$(cat "$T/ls.txt")"
cmp -s "$T/pkg/value.csv" "$T/value.csv" && ok "the package's value.csv is the CSV export" ||
	fail "the package's value.csv" "differs from export csv"
if $PY tests/export/check_datapackage.py "$T/pkg" \
	value:indicator,year,quarter,office,country,city,disaggregation,category >"$T/check.log" 2>&1; then
	ok "the package validates: types parse, required fields, keys unique, foreign keys found"
else
	fail "the package validates" "$(grep -v '^ok' "$T/check.log" | head -n 5)"
fi
run export datapackage --db "$db" --cycle 2021 -o "$T/pkg/"
expect "export datapackage again over an earlier package" 0
mkdir "$T/notes" && echo keep >"$T/notes/keep.txt"
run export datapackage --db "$db" --cycle 2021 -o "$T/notes"
expect "a folder that holds other files is left alone" 1 "" "notes: holds files that are not an rbm data package's: nothing was written"
[ "$(ls "$T/notes")" = keep.txt ] && ok "  and it holds what it held" || fail "the other folder" "$(ls "$T/notes")"

# ---- approved data only ----
export RBM_NOW=2023-02-01T10:00:00Z
run cycle open 2022 --db "$db" --from 2023-01-10 --to 2023-02-28 --offices KEN
expect "cycle 2022 opens" 0
run export csv --db "$db" --cycle 2022 -o "$T/none.csv"
expect "a cycle with no data: exit 2" 2 "" "^rbm: cycle 2022 has no approved data to export"
cat >"$T/sub.json" <<'JSON'
{"rbm_submissions": 1, "submissions": [
 {"uuid": "ken-2022", "cycle": 2022, "office": "KEN", "submitted_at": "2023-02-01T09:00:00Z",
  "values": [{"indicator": "1.1.a", "value": 1234}]}]}
JSON
run import --db "$db" "$T/sub.json"
expect "a submission for 2022" 0 "1 stored"
run export csv --db "$db" --cycle 2022 -o "$T/none.csv"
expect "a submitted, unapproved submission does not count" 2 "" "cycle 2022 has no approved data to export"
id=$("$RBM" submissions list --db "$db" --cycle 2022 --office KEN | awk '$2 == "2022" { print $1; exit }')
run review approve "$id" --db "$db"
expect "approve it" 0
run export csv --db "$db" --cycle 2022 -o "$T/2022.csv"
expect "once approved, it is exported" 0 "1 value row "
grep -q ',1\.1\.a,.*,KEN,.*,1234,1.$' "$T/2022.csv" && ok "  its value" || fail "the approved value" "$(cat "$T/2022.csv")"
unset RBM_NOW

# ---- bad input ----
run export csv --db "$db" --cycle 2030 -o "$T/x.csv"
expect "a cycle that does not exist: exit 2" 2 "" "^rbm: there is no reporting cycle for 2030"
run export json --db "$db" --cycle twenty -o "$T/x.json"
expect "a cycle that is not a year" 2 "" "export json: --cycle: expected a year such as 2021, got 'twenty'"
run export csv --db "$db" -o "$T/x.csv"
expect "no --cycle" 2 "" "export csv: needs --cycle YEAR and -o FILE"
run export csv --db "$db" --cycle 2021
expect "no -o" 2 "" "export csv: needs --cycle YEAR and -o FILE"
run export csv --db "$db" --cycle 2021 --level galaxy -o "$T/x.csv"
expect "an unknown level" 2 "" "export csv: --level: unknown level 'galaxy' \(expected value, indicator, outcome or domain\)"
run export xlsx --db "$db" --cycle 2021 --lang xx -o "$T/x.xlsx"
expect "an unknown language" 2 "" "--lang: unknown language 'xx'"
run export datapackage --db "$db" --cycle 2021 --level value -o "$T/p2"
expect "a data package with --level" 2 "" "a data package holds every level"
run export xlsx --db "$db" --cycle 2021 -o -
expect "a workbook to standard output" 2 "" "only CSV and JSON go to standard output"
run export csv --db "$db" --cycle 2021 extra -o "$T/x.csv"
expect "an extra argument" 2 "" "unexpected argument 'extra'"
[ ! -e "$T/x.csv" ] && [ ! -e "$T/x.json" ] && [ ! -e "$T/x.xlsx" ] && [ ! -e "$T/p2" ] &&
	ok "refused exports write nothing" || fail "refused exports write nothing" "$(ls "$T")"
echo old >"$T/keep.csv"
run export csv --db "$db" --cycle 2030 -o "$T/keep.csv"
[ "$(cat "$T/keep.csv")" = old ] && ok "a refused export leaves an existing file as it was" ||
	fail "an existing file" "changed"

for fmt in csv json xlsx; do
	run export $fmt --db "$db" --cycle 2021 --level domain -o "$T/missing/out.$fmt"
	expect "export $fmt into a missing folder: exit 1" 1 "" "^rbm: $T/missing/out\.$fmt: cannot create: No such file or directory$"
done
run export datapackage --db "$db" --cycle 2021 -o "$T/missing/pkg"
expect "export datapackage into a missing folder: exit 1" 1 "" "^rbm: $T/missing/pkg: cannot create: No such file or directory$"
[ ! -e "$T/missing" ] && ok "  and nothing is made" || fail "missing folder" "made"
if [ "$(id -u)" -ne 0 ]; then
	mkdir "$T/ro" && chmod 555 "$T/ro"
	run export csv --db "$db" --cycle 2021 -o "$T/ro/out.csv"
	expect "a folder without write permission: exit 1" 1 "" "ro/out\.csv: cannot create: Permission denied"
	run export datapackage --db "$db" --cycle 2021 -o "$T/ro/pkg"
	expect "a package in a folder without write permission: exit 1" 1 "" "ro/pkg: cannot create: Permission denied"
	[ -z "$(ls -A "$T/ro")" ] && ok "  and nothing is left in it" || fail "read-only folder" "$(ls -A "$T/ro")"
	chmod 755 "$T/ro"
else
	# root writes anywhere it may; /sys refuses new files even to root.
	run export csv --db "$db" --cycle 2021 -o /sys/rbm-export-test.csv
	expect "a folder without write permission: exit 1" 1 "" "rbm-export-test\.csv: cannot create: (Permission denied|Operation not permitted|Read-only file system)"
	run export datapackage --db "$db" --cycle 2021 -o /sys/rbm-export-test
	expect "a package in a folder without write permission: exit 1" 1 "" "rbm-export-test: cannot create: (Permission denied|Operation not permitted|Read-only file system)"
fi
leftover=$(find "$T" -name '*.part-*' | head -n 3)
[ -z "$leftover" ] && ok "no temporary file or folder is left behind" || fail "temporary files left" "$leftover"

run help export datapackage
expect "rbm help export datapackage" 0 "usage: rbm export datapackage --cycle YEAR \[--lang L\] -o DIR"
