# test_export_iati.sh - rbm export iati: the IATI 2.03 file validated with xmllint against IATI's XSD and
# checked against IATI's rules and codelists (tests/harness/iati_rules.py), its figures against 'rbm results',
# on the 2021 sample and on a small multi-year plan; and every kind of bad input.
. tests/harness/cli.sh

STD="$(dirname "$PWD")/shared/standards"
XSD="$STD/iati-2.03/iati-activities-schema.xsd"

# valid NAME FILE: the file validates against iati-activities-schema.xsd.
valid() {
	if xmllint --noout --schema "$XSD" "$2" >"$T/xsd.out" 2>&1; then
		ok "$1"
	else
		miss "$1" "$(grep -v ' validates$' "$T/xsd.out" | head -n 3)"
	fi
}

# rules NAME FILE: the IATI rules and codelists an XSD does not check.
rules() {
	if python3 tests/harness/iati_rules.py "$2" "$STD" >"$T/rules.out" 2>&1; then
		ok "$1"
	else
		miss "$1" "$(head -n 5 "$T/rules.out")"
	fi
}

xp() { xmllint --xpath "$2" "$1" 2>/dev/null; }

# miss NAME WHY: a failed check of a file (fail would show the last command's output too).
miss() {
	n=$((n + 1))
	echo "not ok $n - $1"
	echo "#   $2"
}

# same NAME GOT WANT
same() {
	if [ "$2" = "$3" ]; then ok "$1"; else miss "$1" "got '$2', expected '$3'"; fi
}

# matches NAME XML YEAR RESULTS_JSON: the plan activity's periods of YEAR carry exactly the actuals and
# targets 'rbm results --format json' gives (numbers compared as numbers; no period when both are null).
matches() {
	if python3 - "$2" "$3" "$4" >"$T/cmp.out" 2>&1 <<'PY'; then
import json, sys, xml.etree.ElementTree as ET
xml, year, res = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
plan = ET.parse(xml).getroot().find("iati-activity")
inds = {i.find("reference").get("code"): i for i in plan.iter("indicator")}
bad = []
for row in res:
    ind = inds.get(row["indicator"])
    if ind is None:
        bad.append(f"{row['indicator']}: not in the plan activity")
        continue
    per = [p for p in ind.findall("period") if p.find("period-start").get("iso-date") == f"{year}-01-01"]
    for key, tag in (("actual", "actual"), ("target", "target")):
        els = per[0].findall(tag) if per else []
        want = row[key]
        if want is None and els:
            bad.append(f"{row['indicator']} {year}: {tag} {els[0].get('value')} where rbm results has none")
        elif want is not None and (len(els) != 1 or float(els[0].get("value")) != float(want)):
            bad.append(f"{row['indicator']} {year}: {tag} {[e.get('value') for e in els]}, rbm results {want}")
    if row["actual"] is None and row["target"] is None and per:
        bad.append(f"{row['indicator']} {year}: a period with neither target nor actual")
print("\n".join(bad))
sys.exit(1 if bad else 0)
PY
		ok "$1"
	else
		miss "$1" "$(head -n 5 "$T/cmp.out")"
	fi
}

# ---- the 2021 sample ----

db=$T/s.db
RBM_DB=$db RBM="$RBM" sh data/samples/2021/load.sh "$db" >/dev/null 2>&1
[ -s "$db" ] && ok "the 2021 sample loads" || fail "the 2021 sample loads" "no database"
export RBM_NOW=2022-03-15T12:00:00Z

run export iati --db "$db" --cycle 2021 --cycles 2020-2023 -o "$T/sample.xml"
expect "export iati: the 2021 sample with periods 2020-2023" 0 \
	"sample\.xml: 6 IATI activities, [0-9]+ results, [0-9]+ indicators, [0-9]+ periods \(2020-2023\)"
valid "iati-1.1 the sample's file validates against iati-activities-schema.xsd" "$T/sample.xml"
rules "iati-1.2 and passes IATI's rules and codelists checked locally" "$T/sample.xml"

run plan show --db "$db" --format json
programmes=$(python3 -c 'import json, sys; print(len(json.load(open(sys.argv[1]))["programmes"]))' "$out")
same "iati-1.3 one activity for the plan and one per programme" \
	"$(xp "$T/sample.xml" 'count(//iati-activity)')" "$((programmes + 1))"
same "iati-1.4 the plan's activity identifier comes from the plan" \
	"$(xp "$T/sample.xml" 'string((//iati-activity)[1]/iati-identifier)')" "XX-ILLUSTRATIVE-UNHABITAT-SP-2020-2023"
same "iati-1.5 a programme's is the prefix and its code" \
	"$(xp "$T/sample.xml" 'string((//iati-activity)[2]/iati-identifier)')" "XX-ILLUSTRATIVE-UNHABITAT-SP-2020-2023-FP1"
same "iati-1.6 the plan's activity carries every outcome" \
	"$(xp "$T/sample.xml" 'count((//iati-activity)[1]/result[@type="2"])')" "12"
same "iati-1.7 FP1's carries the outcomes tagged FP1 (1.1, 1.2, 1.3)" \
	"$(xp "$T/sample.xml" 'concat((//iati-activity)[2]/result[1]/reference/@code, " ", (//iati-activity)[2]/result[2]/reference/@code, " ", (//iati-activity)[2]/result[3]/reference/@code, " ", count((//iati-activity)[2]/result))')" \
	"1.1 1.2 1.3 3"
for l in ar zh en fr ru es; do
	k=$(xp "$T/sample.xml" "count((//iati-activity)[1]/title/narrative[@xml:lang='$l'])")
	[ "$k" = 1 ] || miss "iati-1.8 the plan's title in $l" "$k narratives"
done
same "iati-1.8 the plan's title in six languages, each with xml:lang" \
	"$(xp "$T/sample.xml" 'count((//iati-activity)[1]/title/narrative[@xml:lang])')" 6
same "iati-1.9 every result title and indicator title in six languages" \
	"$(xp "$T/sample.xml" 'count(//result[count(title/narrative)=6]/indicator[count(title/narrative)=6])')" \
	"$(xp "$T/sample.xml" 'count(//result/indicator)')"

run results --db "$db" --cycle 2021 --format json
cp "$out" "$T/res2021.json"
matches "iati-1.10 every 2021 actual and target is what 'rbm results' reports" "$T/sample.xml" 2021 "$T/res2021.json"
got=$(xp "$T/sample.xml" 'string((//iati-activity)[1]/result/indicator[reference/@code="1.1.a"]/period[period-start/@iso-date="2021-01-01"]/actual/@value)')
run explain --db "$db" --cycle 2021 --indicator 1.1.a
expect "iati-1.11 1.1.a's 2021 actual is the figure 'rbm explain' derives ($got)" 0 "sum over [0-9]+ places = $got\$"
run results --db "$db" --cycle 2021 --indicator 1.1.a --by country --format csv
want=$(awk -F, 'NR > 1 { print $3 }' "$out" | while read -r a3; do awk -F, -v c="$a3" '$1 == c { print $2 }' data/places/countries.csv; done | sort | tr '\n' ' ')
have=$(xp "$T/sample.xml" '(//iati-activity)[1]/result/indicator[reference/@code="1.1.a"]/period[period-start/@iso-date="2021-01-01"]/actual/location/@ref' |
	sed 's/ ref="\([A-Z]*\)"/\1\n/g' | sed '/^$/d' | sort | tr '\n' ' ')
same "iati-1.12 1.1.a's 2021 actual names the countries 'rbm results --by country' gives" "$have" "$want"
same "iati-1.13 percentages as measure 2, counts as measure 1" \
	"$(xp "$T/sample.xml" 'concat(string((//indicator[reference/@code="1.1.d"])[1]/@measure), string((//indicator[reference/@code="1.1.a"])[1]/@measure))')" "21"
same "iati-1.14 2020 has targets but no actual: no cycle's data" \
	"$(xp "$T/sample.xml" 'count(//period[period-start/@iso-date="2020-01-01"]/actual)')" 0
same "iati-1.15 a programme's results are marked not for aggregation, the plan's not" \
	"$(xp "$T/sample.xml" 'concat(count((//iati-activity)[1]/result[@aggregation-status]), " ", count((//iati-activity)[position() > 1]/result[@aggregation-status="0"]) = count((//iati-activity)[position() > 1]/result))')" \
	"0 true"

run export iati --db "$db" --cycle 2021 -o -
expect "-o - writes to standard output; the default period is the cycle's year" 0 "<iati-activities version=\"2\.03\""
cp "$out" "$T/stdout.xml"
valid "iati-1.16 that file validates too" "$T/stdout.xml"
same "iati-1.17 with one period per indicator (2021)" \
	"$(xp "$T/stdout.xml" 'count(//period[period-start/@iso-date!="2021-01-01"])')" 0

# ---- bad input ----

run export iati --db "$db" --cycle 2023 -o "$T/none.xml"
expect "iati-2.1 a cycle that does not exist: exit 2, named" 2 "" "^rbm: there is no reporting cycle for 2023"
[ ! -e "$T/none.xml" ] && ok "iati-2.1 and no file" || fail "iati-2.1 no file" "none.xml written"
run cycle open 2022 --db "$db" --from 2023-01-10 --to 2023-02-28
expect "open cycle 2022" 0
run export iati --db "$db" --cycle 2022 -o "$T/none.xml"
expect "iati-2.2 a cycle with no approved data: exit 2, named" 2 "" "^rbm: cycle 2022 has no approved data yet"
run export iati --db "$db" --cycle 2030 -o "$T/none.xml"
expect "iati-2.3 a cycle outside the plan period" 2 "" "^rbm: export iati: --cycle 2030 lies outside the plan period 2020-2023"
run export iati --db "$db" --cycle 2021 --cycles 2019-2021 -o "$T/none.xml"
expect "iati-2.4 years outside the plan period" 2 "" "^rbm: export iati: --cycles 2019-2021 lies outside the plan period"
run export iati --db "$db" --cycle 2021 --cycles 2022-2023 -o "$T/none.xml"
expect "iati-2.5 years that leave out the cycle" 2 "" "^rbm: export iati: --cycles 2022-2023 does not include --cycle 2021"
run export iati --db "$db" --cycle 2021 --cycles 2023-2020 -o "$T/none.xml"
expect "iati-2.6 years backwards" 2 "" "^rbm: export iati: --cycles: 2023 comes after 2020"
run export iati --db "$db" --cycle 2021 --cycles last -o "$T/none.xml"
expect "iati-2.7 years that are not years" 2 "" "^rbm: export iati: --cycles: expected a year such as 2021, got 'last'"
run export iati --db "$db" --cycle 2021
expect "iati-2.8 no -o" 2 "" "^rbm: export iati: needs --cycle YEAR and -o FILE"
run export iati --db "$db" -o "$T/none.xml"
expect "iati-2.9 no --cycle" 2 "" "^rbm: export iati: needs --cycle YEAR and -o FILE"
run export iati --db "$db" --cycle 2021 -o "$T/missing/dir/r.xml"
expect "iati-2.10 -o in a missing folder: exit 1" 1 "" \
	"^rbm: .*/missing/dir/r\.xml: cannot create a file in the folder .*/missing/dir: No such file or directory$"
if [ "$(id -u)" -ne 0 ]; then
	mkdir "$T/ro" && chmod 555 "$T/ro"
	run export iati --db "$db" --cycle 2021 -o "$T/ro/r.xml"
	expect "iati-2.11 -o in a folder without write permission: exit 1" 1 "" "cannot create a file in the folder .*/ro: Permission denied$"
	chmod 755 "$T/ro"
else # root writes anywhere on a normal file system; /sys refuses even root
	run export iati --db "$db" --cycle 2021 -o /sys/rbm-results.xml
	expect "iati-2.11 -o in a folder without write permission: exit 1" 1 "" \
		"cannot create a file in the folder /sys: (Permission denied|Read-only file system)$"
fi
mkdir -p "$T/outdir/results.xml"
run export iati --db "$db" --cycle 2021 -o "$T/outdir/results.xml"
expect "iati-2.12 -o naming a folder: exit 1" 1 "" "outdir/results\.xml: cannot create: Is a directory$"
[ "$(ls -A "$T/outdir")" = results.xml ] && ok "iati-2.12 and no temporary file left behind" ||
	fail "iati-2.12 no temporary file left" "$(ls -A "$T/outdir")"
mkdir -p "$T/keep" && echo old >"$T/keep/results.xml"
run export iati --db "$db" --cycle 2022 -o "$T/keep/results.xml"
same "iati-2.13 a refused export leaves an existing file as it was" "$(cat "$T/keep/results.xml")" old
run export iati --db "$db" --cycle 2021 -o "$T/keep/results.xml"
expect "iati-2.14 a good export replaces it" 0 "results\.xml: 6 IATI activities"
[ "$(ls -A "$T/keep")" = results.xml ] && xmllint --noout "$T/keep/results.xml" 2>/dev/null &&
	ok "iati-2.14 whole, with nothing else in the folder" || fail "iati-2.14 whole file" "$(ls -A "$T/keep")"

db0=$T/noiati.db
run init --db "$db0" --plan tests/cases/plans/small.json
expect "init with a plan that has no iati object" 0
run export iati --db "$db0" --cycle 2021 -o "$T/none.xml"
expect "iati-2.15 a plan without an iati object: exit 2, named" 2 "" \
	'^rbm: plan TEST-2020 has no "iati" object: set its reporting organisation and activity prefix'

# ---- a small multi-year plan, values for 2020-2023 ----

python3 - tests/cases/plans/small.json "$T/plan.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["iati"] = {"reporting_org": {"ref": "XX-TEST-1", "type": "40",
                               "name": {"en": "Test organisation", "fr": "Organisation d'essai"}},
             "activity_prefix": "XX-TEST-1-TEST-2020"}
p["domains"][0]["outcomes"][0]["programmes"] = ["FP1"]
p["domains"][0]["outcomes"][1]["programmes"] = ["FP2"]
p["domains"][1]["outcomes"] = [{"code": "2.1", "title": {"en": "Prosperity", "fr": "Prospérité"},
    "indicators": [{"code": "2.1.a", "title": {"en": "Plans adopted"}, "unit": "number", "aggregation": "sum",
                    "targets": {"2020": 5, "2021": 6, "2022": 7, "2023": 8}}]}]
json.dump(p, open(sys.argv[2], "w"), ensure_ascii=False, indent=1)
PY
mdb=$T/m.db
run init --db "$mdb" --plan "$T/plan.json"
expect "init with a multi-year plan that has an iati object" 0
for y in 2020 2021 2022 2023; do
	run cycle open $y --db "$mdb" --from $((y + 1))-01-10 --to $((y + 1))-02-28
	[ "$status" -eq 0 ] || fail "open cycle $y" "exit $status"
done
{
	echo indicator,year,office,country,value
	for y in 2020 2021 2022 2023; do
		echo "1.1.a,$y,KEN,KEN,$((y * 100))"
		echo "1.1.a,$y,ROAF,UGA,$((y * 10))"
		echo "1.1.b,$y,KEN,KEN,1"
		echo "1.1.b,$y,ROAF,UGA,1"
		echo "1.2.a,$y,KEN,KEN,28.5"
		echo "1.2.b,$y,KEN,KEN,1"
		echo "1.2.c,$y,KEN,KEN,1200000.25"
		echo "2.1.a,$y,HQ,,7"
	done
} >"$T/values.csv"
run values import --db "$mdb" "$T/values.csv"
expect "values for 2020-2023" 0 "32 values stored"
run export iati --db "$mdb" --cycle 2021 --cycles 2020-2023 -o "$T/multi.xml"
expect "iati-3.1 export iati over four years" 0 "multi\.xml: 3 IATI activities, 5 results, 11 indicators, 44 periods \(2020-2023\), 44 actual values"
grep -q "^rbm: warning: indicator 1.2.d (unit text) left out: IATI indicators here are numbers" "$err" &&
	ok "iati-3.2 the text indicator is left out with a warning naming it" || fail "iati-3.2 text indicator warning" "missing"
valid "iati-3.3 the multi-year file validates against iati-activities-schema.xsd" "$T/multi.xml"
rules "iati-3.4 and passes IATI's rules and codelists checked locally" "$T/multi.xml"
for y in 2020 2021 2022 2023; do
	run results --db "$mdb" --cycle $y --format json
	cp "$out" "$T/m$y.json"
	matches "iati-3.5 every $y actual and target is what 'rbm results' reports" "$T/multi.xml" $y "$T/m$y.json"
done
same "iati-3.6 one period per year, start 1 January, end 31 December" \
	"$(xp "$T/multi.xml" 'concat(count((//iati-activity)[1]//indicator[reference/@code="1.1.a"]/period), " ", string((//iati-activity)[1]//indicator[reference/@code="1.1.a"]/period[4]/period-start/@iso-date), " ", string((//iati-activity)[1]//indicator[reference/@code="1.1.a"]/period[4]/period-end/@iso-date))')" \
	"4 2023-01-01 2023-12-31"
same "iati-3.7 the sum of KEN's and UGA's values, with both as locations" \
	"$(xp "$T/multi.xml" 'concat(string((//iati-activity)[1]//indicator[reference/@code="1.1.a"]/period[2]/actual/@value), " ", string((//iati-activity)[1]//indicator[reference/@code="1.1.a"]/period[2]/actual/location[1]/@ref), " ", string((//iati-activity)[1]//indicator[reference/@code="1.1.a"]/period[2]/actual/location[2]/@ref))')" \
	"222310 KE UG"
same "iati-3.8 a percentage: measure 2, descending, baseline 2019 30.5" \
	"$(xp "$T/multi.xml" 'concat(string((//indicator[reference/@code="1.2.a"])[1]/@measure), " ", string((//indicator[reference/@code="1.2.a"])[1]/@ascending), " ", string((//indicator[reference/@code="1.2.a"])[1]/baseline/@year), " ", string((//indicator[reference/@code="1.2.a"])[1]/baseline/@value))')" \
	"2 0 2019 30.5"
same "iati-3.9 yes/no and currency as measure 1 (unit); numbers without exponents" \
	"$(xp "$T/multi.xml" 'concat(string((//indicator[reference/@code="1.2.b"])[1]/@measure), " ", string((//indicator[reference/@code="1.2.c"])[1]/@measure), " ", string((//indicator[reference/@code="1.2.c"])[1]/period[3]/target/@value), " ", string((//indicator[reference/@code="1.2.c"])[1]/period[3]/actual/@value))')" \
	"1 1 1500000 1200000.25"
same "iati-3.10 recipients: the plan (an office value without a country) World, FP1 Eastern Africa, FP2 Kenya" \
	"$(xp "$T/multi.xml" 'concat(string((//iati-activity)[1]/recipient-region/@code), " ", string((//iati-activity)[2]/recipient-region/@code), " ", string((//iati-activity)[2]/recipient-region/@vocabulary), " ", string((//iati-activity)[3]/recipient-country/@code), " ", string((//iati-activity)[3]/recipient-country/@percentage))')" \
	"001 014 2 KE 100"
same "iati-3.11 the plan names its programmes' activities as children, each its parent" \
	"$(xp "$T/multi.xml" 'concat(count((//iati-activity)[1]/related-activity[@type="2"]), " ", string((//iati-activity)[3]/related-activity[@type="1"]/@ref), " ", string((//iati-activity)[3]/@hierarchy))')" \
	"2 XX-TEST-1-TEST-2020 2"
same "iati-3.12 narratives in the languages the plan has (the title: zh, en, fr)" \
	"$(xp "$T/multi.xml" 'concat(string((//iati-activity)[1]/title/narrative[1]/@xml:lang), string((//iati-activity)[1]/title/narrative[2]/@xml:lang), string((//iati-activity)[1]/title/narrative[3]/@xml:lang), count((//iati-activity)[1]/title/narrative))')" \
	"zhenfr3"
same "iati-3.13 generated-datetime from the clock (RBM_NOW)" \
	"$(xp "$T/multi.xml" 'string(/iati-activities/@generated-datetime)')" "2022-03-15T12:00:00Z"
