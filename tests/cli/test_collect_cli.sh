# test_collect_cli.sh - collecting results as a user does it from the command line:
# reporting cycles, the survey form, imports (rbm JSON and CSV, KoBoToolbox and
# ODK Central exports), bad input refused whole, review, progress and the audit trail.
. tests/harness/cli.sh

SMALL=tests/cases/plans/small.json
export RBM_NOW=2022-02-01T10:00:00Z
export RBM_USER=tester

# has NAME PATTERN: the last run's stdout matches PATTERN (grep -E)
has() {
	if grep -Eq -- "$2" "$out"; then ok "$1"; else fail "$1" "stdout lacks /$2/"; fi
}

# lacks NAME PATTERN: the last run's stdout does not match PATTERN
lacks() {
	if grep -Eq -- "$2" "$out"; then fail "$1" "stdout has /$2/"; else ok "$1"; fi
}

# newdb FILE [PLAN]: a database with the plan (default: the small plan) and the
# cycle 2021 open from 2022-01-15 to 2022-03-31.
newdb() {
	if [ -n "${2:-}" ]; then
		"$RBM" init --db "$1" --plan "$2" >/dev/null 2>&1
	else
		"$RBM" init --db "$1" >/dev/null 2>&1
	fi
	"$RBM" cycle open 2021 --from 2022-01-15 --to 2022-03-31 --db "$1" >/dev/null 2>&1
}

# ---------------------------------------------------------------- cycles
db=$T/cycles.db
run init --db "$db" --plan "$SMALL"
expect "init with the small plan" 0 "plan TEST-2020 loaded"

run cycle open 2021 --from 2022-01-15 --to 2022-03-31 --db "$db"
expect "cycle open" 0 "^cycle 2021 open: submissions accepted from 2022-01-15 to 2022-03-31, all offices$"
run cycle open 2022 --from 2023-01-10 --to 2023-02-28 --offices KEN,ROAF --db "$db"
expect "cycle open --offices" 0 "^cycle 2022 open: submissions accepted from 2023-01-10 to 2023-02-28, 2 offices$"
run cycle open 2020 --from 2021-03-15 --to 2021-01-31 --db "$db"
expect "cycle open: --from after --to" 2 "" "^rbm: --to 2021-01-31 comes before --from 2021-03-15$"
run cycle open 2020 --from 2022-02-30 --to 2022-03-31 --db "$db"
expect "cycle open: a day that does not exist (2022-02-30)" 2 "" '^rbm: --from: expected a date YYYY-MM-DD, got "2022-02-30"$'
run cycle open 2020 --from 2021-01-15 --to 2021-13-01 --db "$db"
expect "cycle open: a month that does not exist" 2 "" '^rbm: --to: expected a date YYYY-MM-DD, got "2021-13-01"$'
run cycle open 2020 --from 2021-01-15 --to 2021-03-31 --offices KEN,XYZ --db "$db"
expect "cycle open: unknown office in --offices" 2 "" '^rbm: --offices: unknown office "XYZ"$'
run cycle open 2030 --from 2031-01-15 --to 2031-03-31 --db "$db"
expect "cycle open: a year outside the plan" 2 "" "^rbm: 2030 lies outside the plan period 2020-2023$"
run cycle open 2020 --from 2021-01-15 --db "$db"
expect "cycle open without --to" 2 "" "^rbm: cycle open: needs --from DATE and --to DATE"
run cycle open 2021 --from 2022-01-15 --to 2022-03-31 --db "$db"
expect "cycle open twice" 1 "" "^rbm: the cycle 2021 exists already"

run cycle list --db "$db"
expect "cycle list" 0 "^2021  open    2022-01-15 to 2022-03-31  all offices$"
has "cycle list: the offices of a cycle" "^2022  open    2023-01-10 to 2023-02-28  KEN,ROAF$"
has "cycle list: refused openings left nothing behind" "^2 cycles$"

run cycle close 2021 --db "$db"
expect "cycle close" 0 "^cycle 2021 closed$"
run cycle list --db "$db"
expect "cycle list shows the closed cycle" 0 "^2021  closed  2022-01-15 to 2022-03-31  all offices$"
run cycle close 2021 --db "$db"
expect "cycle close twice" 1 "" "^rbm: the cycle 2021 is closed already$"
run cycle close 2023 --db "$db"
expect "cycle close: no such cycle" 1 "" "^rbm: there is no reporting cycle for 2023"
run cycle reopen 2021 --to 2022-01-01 --db "$db"
expect "cycle reopen --to before the opening date" 2 "" "^rbm: --to 2022-01-01 comes before the opening date 2022-01-15$"
run cycle reopen 2021 --to 2022-04-31 --db "$db"
expect "cycle reopen --to a bad date" 2 "" '^rbm: --to: expected a date YYYY-MM-DD, got "2022-04-31"$'
run cycle reopen 2021 --to 2022-04-30 --db "$db"
expect "cycle reopen --to" 0 "^cycle 2021 reopened$"
run cycle list --db "$db"
expect "cycle list after reopen: new closing date" 0 "^2021  open    2022-01-15 to 2022-04-30  all offices$"
run cycle reopen 2021 --db "$db"
expect "cycle reopen of an open cycle" 1 "" "^rbm: the cycle 2021 is open already$"
run cycle close 2021 --db "$db"
run cycle reopen 2021 --db "$db"
expect "cycle reopen without --to" 0 "^cycle 2021 reopened$"
run cycle list --db "$db"
expect "cycle reopen without --to keeps the closing date" 0 "^2021  open    2022-01-15 to 2022-04-30  all offices$"

# ---------------------------------------------------------------- the form
run form show --cycle 2021 --office KEN --db "$db"
expect "form show for KEN" 0 "^Results survey 2021: Kenya office$"
has "form show: v_1_1_a" "name v_1_1_a;"
has "form show: v_1_1_a's female question" "name v_1_1_a__female;"
has "form show: v_1_1_a's male question" "name v_1_1_a__male;"
has "form show: the outcome's narrative" "name o_1_1_narrative;"
has "form show: KEN's text indicator 1.2.d" "name v_1_2_d$"
lacks "form show: KEN does not report on 1.2.b" "name v_1_2_b"
lacks "form show: KEN does not report on 1.2.c" "name v_1_2_c"
run form show --cycle 2021 --office XYZ --db "$db"
expect "form show: unknown office" 1 "" '^rbm: unknown office "XYZ"'
run form show --cycle 2021 --db "$db"
expect "form show without --office" 2 "" "^rbm: form show: needs --cycle YEAR and --office CODE$"
run form show --cycle 2021 --office KEN --lang fr --db "$db"
expect "form show --lang fr" 0 "^Enquête sur les résultats 2021 : Kenya office$"
has "form show --lang fr: French hints" "name v_1_1_a; Nombre de personnes \(nombre entier, 0 ou plus\)"
has "form show --lang fr: French narrative question" "Qu'a accompli votre bureau au titre de ce résultat en 2021"

# ---------------------------------------------------------------- rbm JSON
db=$T/json.db
newdb "$db" "$SMALL"
cat >"$T/ken.json" <<'EOF'
{"rbm_submissions": 1, "submissions": [
 {"uuid": "ken-2021-a", "cycle": 2021, "office": "KEN", "submitted_at": "2022-02-10T09:14:00Z",
  "status": "submitted", "_note": "keys starting with _ are ignored",
  "values": [{"indicator": "1.1.a", "value": 120000},
             {"indicator": "1.1.a", "category": "female", "value": 64000},
             {"indicator": "1.2.a", "value": 12.5},
             {"indicator": "1.2.d", "text": "Kiosks opened."}],
  "outcomes": [{"outcome": "1.1", "narrative": "Water kiosks in three settlements.", "lang": "en",
                "countries": ["KEN"], "cities": ["KEN-NBO"], "programmes": ["FP1"], "themes": ["gender"]}]}
]}
EOF
run import "$T/ken.json" --db "$db"
expect "import rbm JSON" 0 "ken\.json: rbm-json, 1 submission: 1 stored, 0 unchanged$"
run import "$T/ken.json" --db "$db"
expect "import the same JSON again changes nothing" 0 "ken\.json: rbm-json, 1 submission: 0 stored, 1 unchanged$"
run submissions list --db "$db"
expect "submissions list after a repeated import" 0 "^1 +2021  KEN +submitted rev 1 "
sed 's/"value": 120000/"value": 130000/' "$T/ken.json" >"$T/ken2.json"
run import "$T/ken2.json" --db "$db"
expect "import changed content" 0 "ken2\.json: rbm-json, 1 submission: 1 stored, 0 unchanged$"
run submissions list --db "$db"
expect "changed content is a new revision of the same submission" 0 "^1 +2021  KEN +submitted rev 2 "
has "still one submission" "^1 submission$"
run submission show 1 --db "$db"
expect "submission show: the current revision" 0 "^submission 1: office KEN, cycle 2021, submitted, revision 2 of 2$"
has "submission show: the new value" "^  1\.1\.a KEN +130000$"
has "submission show: the text answer" '^  1\.2\.d KEN +"Kiosks opened\."$'
has "submission show: the outcome's tags" "^    programmes: FP1$"
run submission show 1 --rev 1 --db "$db"
expect "submission show --rev 1" 0 "^submission 1: office KEN, cycle 2021, submitted, revision 1 of 2$"
has "submission show --rev 1: the old value" "^  1\.1\.a KEN +120000$"
run submission show 1 --diff 1..2 --db "$db"
expect "submission show --diff: the old value" 0 "^- 1\.1\.a KEN +120000$"
has "submission show --diff: the new value" "^\+ 1\.1\.a KEN +130000$"
has "submission show --diff: one change" "^1 change$"
lacks "submission show --diff: unchanged values left out" "female"
run submission show 1 --rev 7 --db "$db"
expect "submission show: no such revision" 1 "" "^rbm: submission 1 has no revision 7$"
run submission show 99 --db "$db"
expect "submission show: no such submission" 1 "" "^rbm: no submission 99"

# ---------------------------------------------------------------- rbm CSV
db=$T/csv.db
newdb "$db" "$SMALL"
cat >"$T/long.csv" <<'EOF'
uuid,cycle,office,submitted_at,status,question,value
ken-csv-1,2021,KEN,2022-02-10T09:14:00Z,submitted,v_1_1_a,120000
ken-csv-1,2021,KEN,2022-02-10T09:14:00Z,submitted,v_1_1_a__female,64000
ken-csv-1,2021,KEN,2022-02-10T09:14:00Z,submitted,v_1_2_a,40
ken-csv-1,2021,KEN,2022-02-10T09:14:00Z,submitted,o_1_1_narrative,"Residents' groups ran water kiosks, in three settlements."
ken-csv-1,2021,KEN,2022-02-10T09:14:00Z,submitted,o_1_1_lang,en
roaf-csv-1,2021,ROAF,2022-02-11T09:00:00Z,submitted,v_1_2_b,yes
roaf-csv-1,2021,ROAF,2022-02-11T09:00:00Z,submitted,v_1_2_c,250000.50
EOF
run import "$T/long.csv" --db "$db"
expect "import rbm CSV" 0 "long\.csv: rbm-csv, 2 submissions: 2 stored, 0 unchanged$"
run submission show 1 --db "$db"
expect "rbm CSV: the values" 0 "^  1\.1\.a KEN female +64000$"
has "rbm CSV: a quoted narrative with a comma" "^  outcome 1\.1 \(en\): Residents' groups ran water kiosks, in three settlements\.$"
run submission show 2 --db "$db"
expect "rbm CSV: the second submission, a yes/no and an amount" 0 "^  1\.2\.b +1$"
has "rbm CSV: an amount with decimals" "^  1\.2\.c +250000\.5$"
run import "$T/long.csv" --db "$db"
expect "import the same CSV again changes nothing" 0 "rbm-csv, 2 submissions: 0 stored, 2 unchanged$"

# ---------------------------------------------------------------- KoBoToolbox and ODK Central exports
db=$T/kobo.db
newdb "$db" "$SMALL"
# KoBo: a BOM, CRLF line ends, group paths, a split select_multiple, KoBo's own columns.
printf '\357\273\277' >"$T/kobo.csv"
awk '{ printf "%s\r\n", $0 }' >>"$T/kobo.csv" <<'EOF'
start,end,d_1/o_1_1/v_1_1_a,d_1/o_1_1/v_1_1_a__female,d_1/o_1_1/v_1_1_a__male,d_1/o_1_1/o_1_1_narrative,d_1/o_1_1/o_1_1_lang,d_1/o_1_1/o_1_1_programmes,d_1/o_1_1/o_1_1_programmes/FP1,d_1/o_1_1/o_1_1_programmes/FP2,d_1/o_1_2/v_1_2_a,rbm_office,rbm_cycle,_id,_uuid,_submission_time,_validation_status,_notes,_tags,_index,__version__
2022-02-09T08:00:00.000+03:00,2022-02-09T09:00:00.000+03:00,5000,2600,2400,"Kiosks, taps and ""water"" points",en,,1,0,33.3,KEN,2021,101,3f1c0e2a-kobo-1,2022-02-10T09:14:00,,[],[],1,vAbc123
EOF
run import "$T/kobo.csv" --db "$db"
expect "import a KoBoToolbox CSV (BOM, CRLF, group paths)" 0 "kobo\.csv: kobo-csv, 1 submission: 1 stored, 0 unchanged$"
run submission show 1 --db "$db"
expect "KoBo: the office and cycle from rbm_office, rbm_cycle" 0 "^submission 1: office KEN, cycle 2021, submitted"
has "KoBo: a value under a group path" "^  1\.1\.a KEN +5000$"
has "KoBo: a category" "^  1\.1\.a KEN male +2400$"
has "KoBo: a decimal" "^  1\.2\.a KEN +33\.3$"
has "KoBo: a quoted narrative with quotes and a comma" '^  outcome 1\.1 \(en\): Kiosks, taps and "water" points$'
has "KoBo: split select_multiple columns, 1 chosen and 0 not" "^    programmes: FP1$"
if [ "$(sqlite3 "$db" "SELECT uuid FROM revisions WHERE submission_id = 1" 2>&1)" = "3f1c0e2a-kobo-1" ]; then
	ok "KoBo: the uuid from _uuid"
else
	fail "KoBo: the uuid from _uuid" "revisions.uuid is '$(sqlite3 "$db" "SELECT uuid FROM revisions" 2>&1)'"
fi
run import "$T/kobo.csv" --db "$db"
expect "KoBo: the same export again changes nothing" 0 "kobo-csv, 1 submission: 0 stored, 1 unchanged$"

cat >"$T/odk.csv" <<'EOF'
SubmissionDate,start,end,o_1_1-v_1_1_a,o_1_1-v_1_1_a__female,o_1_2-v_1_2_a,o_1_2-v_1_2_d,rbm_office,rbm_cycle,meta-instanceID,KEY,SubmitterID,SubmitterName,AttachmentsPresent,AttachmentsExpected,Status,ReviewState,DeviceID,Edits,FormVersion
2022-02-11T10:00:00.000Z,,,700,300,55.5,Story told,ROAF,2021,uuid:9a1b2c3d-odk-1,uuid:9a1b2c3d-odk-1,5,amina,0,0,,,,0,v1
EOF
run import "$T/odk.csv" --db "$db"
expect "import an ODK Central CSV ('-' group paths)" 0 "odk\.csv: odk-csv, 1 submission: 1 stored, 0 unchanged$"
run submission show 2 --db "$db"
expect "ODK: the office from rbm_office" 0 "^submission 2: office ROAF, cycle 2021, submitted"
has "ODK: a value under a '-' group path" "^  1\.1\.a +700$"
has "ODK: a category" "^  1\.1\.a female +300$"
has "ODK: a text answer" '^  1\.2\.d +"Story told"$'
if [ "$(sqlite3 "$db" "SELECT uuid FROM revisions WHERE submission_id = 2" 2>&1)" = "9a1b2c3d-odk-1" ]; then
	ok "ODK: the uuid from instanceID, 'uuid:' dropped"
else
	fail "ODK: the uuid from instanceID, 'uuid:' dropped" "revisions.uuid is '$(sqlite3 "$db" "SELECT uuid FROM revisions WHERE submission_id = 2" 2>&1)'"
fi
run import "$T/odk.csv" --db "$db"
expect "ODK: the same export again changes nothing" 0 "odk-csv, 1 submission: 0 stored, 1 unchanged$"

# ---------------------------------------------------------------- bad input: refused whole
# Each bad file starts with a good submission (ROAF), so that a half-done import shows.
db=$T/bad.db
newdb "$db" "$SMALL"
"$RBM" cycle open 2020 --from 2021-01-15 --to 2021-03-31 --db "$db" >/dev/null 2>&1
"$RBM" cycle close 2020 --db "$db" >/dev/null 2>&1
cat >"$T/base.json" <<'EOF'
{"rbm_submissions": 1, "submissions": [
 {"uuid": "base", "cycle": 2021, "office": "KEN", "submitted_at": "2022-02-01T09:00:00Z",
  "values": [{"indicator": "1.1.a", "value": 1000}]}]}
EOF
run import "$T/base.json" --db "$db"
expect "bad input: a first submission is stored" 0 "1 stored"

# refused NAME FILE STDERR_PATTERN [IMPORT_OPTION...]: exit 2, the message, nothing stored
refused() {
	r_name=$1 r_file=$2 r_pat=$3
	shift 3
	"$RBM" submissions list --db "$db" >"$T/before" 2>&1
	run import "$r_file" --db "$db" "$@"
	expect "$r_name" 2 "" "$r_pat"
	run submissions list --db "$db"
	if cmp -s "$out" "$T/before"; then
		ok "$r_name: nothing stored"
	else
		fail "$r_name: nothing stored" "submissions list changed"
	fi
}

KOBO_HEAD='d_1/o_1_1/v_1_1_a,d_1/o_1_1/v_1_1_b,rbm_office,rbm_cycle,_id,_uuid,_submission_time'
cat >"$T/bad-text.csv" <<EOF
$KOBO_HEAD
10,,ROAF,2021,1,roaf-good,2022-02-10T09:00:00
100,lots,KEN,2021,2,ken-bad,2022-02-10T09:00:00
EOF
refused "text in a number column (KoBo CSV)" "$T/bad-text.csv" \
	'^rbm: .*/bad-text\.csv: row 3, column (d_1/o_1_1/)?v_1_1_b: expected a number, got "lots"$'

cat >"$T/bad-neg.csv" <<'EOF'
SubmissionDate,o_1_1-v_1_1_a,rbm_office,rbm_cycle,meta-instanceID,KEY
2022-02-10T09:00:00.000Z,10,ROAF,2021,uuid:roaf-good,uuid:roaf-good
2022-02-10T09:00:00.000Z,-5,KEN,2021,uuid:ken-bad,uuid:ken-bad
EOF
refused "a negative number of people (ODK CSV)" "$T/bad-neg.csv" \
	'^rbm: .*/bad-neg\.csv: row 3, column (o_1_1-)?v_1_1_a: .*(>= 0|negative).*-5'

cat >"$T/bad-frac.json" <<'EOF'
{"rbm_submissions": 1, "submissions": [
 {"uuid": "roaf-good", "cycle": 2021, "office": "ROAF", "submitted_at": "2022-02-10T09:00:00Z",
  "values": [{"indicator": "1.1.a", "value": 10}]},
 {"uuid": "ken-bad", "cycle": 2021, "office": "KEN", "submitted_at": "2022-02-10T09:00:00Z",
  "values": [{"indicator": "1.1.a", "value": 12.5}]}]}
EOF
refused "a fractional number of people (JSON)" "$T/bad-frac.json" \
	'^rbm: .*/bad-frac\.json: \$\.submissions\[1\]\.values\[0\](\.value)?: .*whole number.*12\.5'

cat >"$T/bad-pct.csv" <<'EOF'
d_1/o_1_2/v_1_2_a,rbm_office,rbm_cycle,_uuid,_submission_time
50,ROAF,2021,roaf-good,2022-02-10T09:00:00
100.5,KEN,2021,ken-bad,2022-02-10T09:00:00
EOF
refused "a percentage over 100 (small plan 1.2.a, KoBo CSV)" "$T/bad-pct.csv" \
	'^rbm: .*/bad-pct\.csv: row 3, column (d_1/o_1_2/)?v_1_2_a: expected a number from 0 to 100, got "100\.5"$'

cat >"$T/bad-office.csv" <<'EOF'
uuid,cycle,office,submitted_at,status,question,value
roaf-good,2021,ROAF,2022-02-10T09:00:00Z,submitted,v_1_1_a,10
xyz-bad,2021,XYZ,2022-02-10T09:00:00Z,submitted,v_1_1_a,10
EOF
refused "an unknown office (rbm CSV)" "$T/bad-office.csv" \
	'^rbm: .*/bad-office\.csv: line 3(, column office)?: .*office "?XYZ'

cat >"$T/bad-ind.json" <<'EOF'
{"rbm_submissions": 1, "submissions": [
 {"uuid": "roaf-good", "cycle": 2021, "office": "ROAF", "submitted_at": "2022-02-10T09:00:00Z",
  "values": [{"indicator": "1.1.a", "value": 10}]},
 {"uuid": "ken-bad", "cycle": 2021, "office": "KEN", "submitted_at": "2022-02-10T09:00:00Z",
  "values": [{"indicator": "1.1.a", "value": 10}, {"indicator": "9.9.z", "value": 1}]}]}
EOF
refused "an unknown indicator (JSON)" "$T/bad-ind.json" \
	'^rbm: .*/bad-ind\.json: \$\.submissions\[1\]\.values\[1\](\.indicator)?: unknown indicator "9\.9\.z"$'

cat >"$T/bad-country.csv" <<'EOF'
uuid,cycle,office,submitted_at,status,question,value,country
roaf-good,2021,ROAF,2022-02-10T09:00:00Z,submitted,v_1_1_a,10,
ken-bad,2021,KEN,2022-02-10T09:00:00Z,submitted,v_1_1_a,10,KEN
ken-bad,2021,KEN,2022-02-10T09:00:00Z,submitted,v_1_1_b,3,XXX
EOF
refused "an unknown country code (rbm CSV, on the submission's second line)" "$T/bad-country.csv" \
	'^rbm: .*/bad-country\.csv: line 4\b.*country "?XXX'

cat >"$T/bad-uga.json" <<'EOF'
{"rbm_submissions": 1, "submissions": [
 {"uuid": "roaf-good", "cycle": 2021, "office": "ROAF", "submitted_at": "2022-02-10T09:00:00Z",
  "values": [{"indicator": "1.1.a", "value": 10}]},
 {"uuid": "ken-bad", "cycle": 2021, "office": "KEN", "submitted_at": "2022-02-10T09:00:00Z",
  "values": [{"indicator": "1.1.a", "value": 10, "country": "UGA"}]}]}
EOF
refused "a country outside the office's places: KEN reporting UGA (JSON)" "$T/bad-uga.json" \
	'^rbm: .*/bad-uga\.json: \$\.submissions\[1\]\.values\[0\](\.country)?: .*UGA lies outside the places office KEN reports on'

{
	echo 'uuid,cycle,office,submitted_at,status,question,value'
	echo 'roaf-good,2021,ROAF,2022-02-10T09:00:00Z,submitted,v_1_1_a,10'
	printf 'ken-bad,2021,KEN,2022-02-10T09:00:00Z,submitted,o_1_1_narrative,Caf\351 and kiosks\n'
	echo 'ken-bad,2021,KEN,2022-02-10T09:00:00Z,submitted,o_1_1_lang,en'
} >"$T/bad-utf8.csv"
refused "invalid UTF-8 in a CSV" "$T/bad-utf8.csv" \
	'^rbm: .*/bad-utf8\.csv: line 3\b.*UTF-8'

: >"$T/empty.csv"
refused "an empty file" "$T/empty.csv" '^rbm: .*/empty\.csv: .*empty'

XLSX=../shared/standards/xlsform/examples/xlsform_spec_test.xlsx
if [ -f "$XLSX" ]; then
	head -c 4000 "$XLSX" >"$T/cut.xlsx"
else # a zip's local header and nothing after it
	printf 'PK\003\004\024\000\000\000\010\000' >"$T/cut.xlsx"
fi
refused "a truncated XLSX" "$T/cut.xlsx" '^rbm: .*/cut\.xlsx: .*(truncated|zip)'

cat >"$T/bad-dup.csv" <<'EOF'
uuid,cycle,office,submitted_at,status,question,value
dup-1,2021,KEN,2022-02-10T09:00:00Z,submitted,v_1_1_a,10
roaf-good,2021,ROAF,2022-02-10T09:00:00Z,submitted,v_1_1_a,10
dup-1,2021,KEN,2022-02-10T09:00:00Z,submitted,v_1_1_a,11
EOF
refused "one uuid twice with different content" "$T/bad-dup.csv" \
	'^rbm: .*/bad-dup\.csv: line 4: uuid dup-1 appears at line 2 already, with different content$'

cat >"$T/late.csv" <<'EOF'
uuid,cycle,office,submitted_at,status,question,value
roaf-good,2021,ROAF,2022-02-10T09:00:00Z,submitted,v_1_1_a,10
ken-late,2021,KEN,2022-04-02T09:00:00Z,submitted,v_1_1_a,2000
EOF
refused "a submission dated after the window" "$T/late.csv" \
	'^rbm: .*/late\.csv: line 3: the cycle 2021 accepts submissions from 2022-01-15 to 2022-03-31; this one is dated 2022-04-02'

cat >"$T/closed.csv" <<'EOF'
uuid,cycle,office,submitted_at,status,question,value
roaf-good,2021,ROAF,2022-02-10T09:00:00Z,submitted,v_1_1_a,10
ken-2020,2020,KEN,2021-02-10T09:00:00Z,submitted,v_1_1_a,2000
EOF
refused "a submission to a closed cycle" "$T/closed.csv" \
	'^rbm: .*/closed\.csv: line 3: the cycle 2020 is closed'

cat >"$T/hq.csv" <<'EOF'
uuid,cycle,office,submitted_at,status,question,value
hq-1,2021,HQ,2022-02-10T09:00:00Z,submitted,v_1_1_a,10
EOF
refused "headquarters does not take part in a cycle for all offices" "$T/hq.csv" \
	'^rbm: .*/hq\.csv: line 2: office HQ does not take part in the cycle 2021'

# --dry-run and --late on a database of their own, whatever the cases above left behind.
db=$T/late.db
newdb "$db" "$SMALL"
"$RBM" import "$T/base.json" --db "$db" >/dev/null 2>&1
"$RBM" submissions list --db "$db" >"$T/before" 2>&1
run import "$T/late.csv" --db "$db" --late --dry-run
expect "--dry-run checks and reports" 0 "late\.csv: rbm-csv, 2 submissions: .*dry run"
lacks "--dry-run does not claim to have stored anything" " [1-9][0-9]* stored"
run submissions list --db "$db"
if cmp -s "$out" "$T/before"; then ok "--dry-run stores nothing"; else fail "--dry-run stores nothing" "submissions list changed"; fi

run import "$T/late.csv" --db "$db" --late
expect "a late submission accepted with --late" 0 "late\.csv: rbm-csv, 2 submissions: 2 stored, 0 unchanged$"
run submission show 1 --db "$db"
expect "submission show says the revision was accepted late" 0 "^revision 2: .* from late\.csv, submitted by the office [0-9T:Z-]+, accepted late$"
has "the late revision's value" "^  1\.1\.a KEN +2000$"

# ---------------------------------------------------------------- review
db=$T/life.db
newdb "$db" "$SMALL"
"$RBM" cycle open 2020 --from 2021-01-15 --to 2022-03-31 --db "$db" >/dev/null 2>&1
cat >"$T/life.json" <<'EOF'
{"rbm_submissions": 1, "submissions": [
 {"uuid": "ken-1", "cycle": 2021, "office": "KEN", "submitted_at": "2022-02-10T09:00:00Z",
  "values": [{"indicator": "1.1.a", "value": 1000}]},
 {"uuid": "roaf-1", "cycle": 2021, "office": "ROAF", "submitted_at": "2022-02-10T09:00:00Z",
  "values": [{"indicator": "1.1.a", "value": 500}]}]}
EOF
run import "$T/life.json" --db "$db"
expect "review: two submissions" 0 "2 stored"
run review approve 1 --db "$db"
expect "approve a submitted submission" 0 "^submission 1 approved$"
run submissions list --db "$db" --status approved
expect "submissions list --status approved" 0 "^1 +2021  KEN +approved +rev 1 "
run review approve 1 --db "$db"
expect "approve again" 1 "" "^rbm: submission 1 is approved: only a submitted submission can be approved$"
run review return 2 --db "$db"
expect "return without --comment" 2 "" "^rbm: a return needs a comment"
run review return 2 --comment "   " --db "$db"
expect "return with a blank comment" 2 "" "^rbm: a return needs a comment"
run review return 2 --comment "Please split 1.1.a by sex." --db "$db"
expect "return with a comment" 0 "^submission 2 returned to the office$"
run submissions list --db "$db"
expect "submissions list shows the return and its comment" 0 "^2 +2021  ROAF +returned +rev 1 .*comment: Please split 1\.1\.a by sex\.$"
run submission show 2 --db "$db"
expect "submission show shows the reviewer's comment" 0 "^reviewer's comment: Please split 1\.1\.a by sex\.$"

cat >"$T/draft.json" <<'EOF'
{"rbm_submissions": 1, "submissions": [
 {"uuid": "ken-2020", "cycle": 2020, "office": "KEN", "submitted_at": "2022-01-20T09:00:00Z", "status": "draft",
  "values": [{"indicator": "1.1.a", "value": 10}]}]}
EOF
run import "$T/draft.json" --db "$db"
expect "import a draft" 0 "1 stored"
run submissions list --db "$db" --cycle 2020
expect "the draft is listed as a draft" 0 "^3 +2020  KEN +draft +rev 1 "
run review approve 3 --db "$db"
expect "approve a draft is refused" 1 "" "^rbm: submission 3 is a draft: only a submitted submission can be approved$"

# ROAF corrects its returned submission: revision 2, submitted again.
sed 's/"value": 500/"value": 450/' "$T/life.json" >"$T/life2.json"
run import "$T/life2.json" --db "$db"
expect "resubmit after a return" 0 "1 stored, 1 unchanged$"
run submissions list --db "$db" --office ROAF
expect "the resubmission is submitted at revision 2, comment cleared" 0 "^2 +2021  ROAF +submitted rev 2 +[0-9T:Z-]+$"
run review approve 2 --rev 1 --db "$db"
expect "approve --rev with a stale revision" 1 "" "^rbm: submission 2 changed since revision 1 \(it is at revision 2 now\)"
run review return 2 --rev 1 --comment "x" --db "$db"
expect "return --rev with a stale revision" 1 "" "changed since revision 1"
run submissions list --db "$db" --office ROAF
expect "a refused review changes nothing" 0 "^2 +2021  ROAF +submitted rev 2 "

# ---------------------------------------------------------------- progress
run cycle status 2021 --db "$db"
expect "cycle status: per region" 0 "^ROAF: 2 offices, 2 responded \(100 %\), 1 approved$"
has "cycle status: an office's state" "^  KEN +approved$"
has "cycle status: the response rate" "^all: 2 offices; not started 0, draft 0, submitted 1, returned 0, approved 1; response rate 100 %$"
run cycle status 2020 --db "$db"
expect "cycle status: a draft has not responded" 0 "^ROAF: 2 offices, 0 responded \(0 %\), 0 approved$"
has "cycle status: not started" "^  ROAF +not started$"
has "cycle status 2020: the response rate" "^all: 2 offices; not started 1, draft 1, submitted 0, returned 0, approved 0; response rate 0 %$"
run cycle status 2023 --db "$db"
expect "cycle status: no such cycle" 1 "" "^rbm: there is no reporting cycle for 2023"

udb=$T/bundled.db
newdb "$udb"
cat >"$T/pct.csv" <<'EOF'
uuid,cycle,office,submitted_at,status,question,value
ken-u,2021,KEN,2022-02-10T09:00:00Z,submitted,v_1_1_a,100
ken-u,2021,KEN,2022-02-10T09:00:00Z,submitted,v_1_1_d,100.5
EOF
db=$udb
refused "a percentage over 100 (bundled plan 1.1.d, on the submission's second line)" "$T/pct.csv" \
	'^rbm: .*/pct\.csv: line 3, .*v_1_1_d.*: expected a number from 0 to 100, got "100\.5"$'
sed 's/100\.5/99.5/' "$T/pct.csv" >"$T/pct-ok.csv"
run import "$T/pct-ok.csv" --db "$udb"
expect "bundled plan: a percentage within 0-100" 0 "1 stored"
run cycle status 2021 --db "$udb"
expect "cycle status (bundled plan): Africa" 0 "^ROAF: [0-9]+ offices, 1 responded \([0-9]+ %\), 0 approved$"
has "cycle status (bundled plan): Asia and the Pacific" "^ROAP: [0-9]+ offices, 0 responded \(0 %\), 0 approved$"
has "cycle status (bundled plan): the response rate" "^all: [0-9]+ offices; not started [0-9]+, draft 0, submitted 1, returned 0, approved 0; response rate [0-9]+ %$"
if [ "$(awk '/^[^ ]/ { r = $1 } /^  KEN / { print r }' "$out")" = "ROAF:" ]; then
	ok "cycle status (bundled plan): KEN under ROAF"
else
	fail "cycle status (bundled plan): KEN under ROAF" "KEN not under ROAF"
fi
lacks "cycle status (bundled plan): liaison offices do not take part" "^  LO-"

# ---------------------------------------------------------------- audit
run audit --db "$db"
expect "audit: the cycle opening" 0 "^2 +2022-02-01T10:00:00Z tester +cli +cycle\.open +cycle 2021"
db=$T/life.db
run audit --db "$db"
expect "audit: cycle.open" 0 "cycle\.open +cycle 2021"
has "audit: submission.submit" "submission\.submit +submission 1 rev 1 \[KEN\]: cycle 2021, from life\.json"
has "audit: submission.approve" "submission\.approve +submission 1 rev 1 \[KEN\]"
has "audit: submission.return with its comment" "submission\.return +submission 2 rev 1 \[ROAF\]: Please split"
has "audit: submission.resubmit" "submission\.resubmit +submission 2 rev 2 \[ROAF\]"
has "audit: the actor and channel" "^1 +2022-02-01T10:00:00Z tester +cli +plan\.load"
run audit --office KEN --db "$db"
expect "audit --office KEN" 0 "submission\.approve +submission 1 rev 1 \[KEN\]"
if grep -v '^[0-9]* entr' "$out" | grep -vq '\[KEN\]'; then
	fail "audit --office KEN lists only KEN's entries" "another entry listed"
else
	ok "audit --office KEN lists only KEN's entries"
fi
run audit --since 2022-02-02 --db "$db"
expect "audit --since after every entry" 0 "^0 entries$"

run audit verify --db "$db"
expect "audit verify" 0 "^audit log intact: [0-9]+ entries, every hash matches$"
sqlite3 "$db" "UPDATE audit_log SET actor='mallory' WHERE id=2" >"$out" 2>"$err"
status=$?
if [ "$status" -ne 0 ] && grep -q "append-only" "$err"; then ok "the audit log refuses UPDATE"; else fail "the audit log refuses UPDATE" "sqlite3 exit $status"; fi
sqlite3 "$db" "DELETE FROM audit_log WHERE id=2" >"$out" 2>"$err"
status=$?
if [ "$status" -ne 0 ] && grep -q "append-only" "$err"; then ok "the audit log refuses DELETE"; else fail "the audit log refuses DELETE" "sqlite3 exit $status"; fi
run audit verify --db "$db"
expect "audit verify after refused changes" 0 "^audit log intact"
sqlite3 "$db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor='mallory' WHERE id=2" >"$out" 2>"$err"
status=$?
if [ "$status" -eq 0 ]; then ok "tampering: the trigger dropped, an entry altered"; else fail "tampering: the trigger dropped, an entry altered" "sqlite3 exit $status"; fi
run audit verify --db "$db"
expect "audit verify names the altered row" 1 "" "^rbm: audit log row 2\b.*(altered|does not match)"
