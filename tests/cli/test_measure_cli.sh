# test_measure_cli.sh - rbm results, explain and values import, run as a user runs them.
. tests/harness/cli.sh

SMALL=tests/cases/plans/small.json
db=$T/m.db
export RBM_NOW=2022-02-01T10:00:00Z

run init --db "$db" --plan $SMALL
expect "init with the small plan" 0
run cycle open 2021 --db "$db" --from 2022-01-10 --to 2022-02-28
expect "open 2021" 0

# KEN reports through ROAF; ROAF reports a value for KEN too (max per place for 1.2.b would apply).
cat >"$T/subs.json" <<'JSON'
{"rbm_submissions": 1, "submissions": [
 {"uuid": "ken", "cycle": 2021, "office": "KEN", "submitted_at": "2022-02-10T09:00:00Z",
  "values": [{"indicator": "1.1.a", "value": 1500000}, {"indicator": "1.1.a", "category": "female", "value": 800000},
             {"indicator": "1.1.a", "category": "male", "value": 700000}, {"indicator": "1.1.b", "value": 1},
             {"indicator": "1.2.a", "value": 28}],
  "outcomes": [{"outcome": "1.1", "narrative": "Kiosks.", "lang": "en", "programmes": ["FP1"]}]},
 {"uuid": "roaf", "cycle": 2021, "office": "ROAF", "submitted_at": "2022-02-11T09:00:00Z",
  "values": [{"indicator": "1.1.a", "country": "UGA", "value": 1400000}, {"indicator": "1.1.b", "country": "UGA", "value": 1},
             {"indicator": "1.1.b", "country": "TZA", "value": 0}]}
]}
JSON
run import --db "$db" "$T/subs.json"
expect "import two submissions" 0 "2 stored"

# Nothing approved yet: no data counts.
run results --db "$db" --cycle 2021
expect "results before approval: no data" 0 "1\.1\.a .*actual +- .*no data"

run review approve 1 --db "$db"
expect "approve KEN" 0
run results --db "$db" --cycle 2021 --indicator 1.1.a --format csv
expect "only the approved submission counts" 0 "^1\.1\.a,2021,people,sum,1500000,2500000,0,60\.00,behind,1$"
run review approve 2 --db "$db"
expect "approve ROAF" 0

run results --db "$db" --cycle 2021 --figures tests/cases/figures-small.json
expect "results: a domain's headline figures" 0 "^  People reached +2,900,000$"
grep -Eq "^  Countries reached +2$" "$out" && ok "countries reached: KEN and UGA (TZA's 0 does not count)" || fail "countries reached" "line missing"
grep -Eq "^  Indicators achieved +1$" "$out" && ok "indicators achieved in domain 1" || fail "indicators achieved" "line missing"
grep -Eq "1\.1\.a +sum +actual +2,900,000 +target +2,500,000 +116 % +achieved" "$out" && ok "attainment of 1.1.a" || fail "attainment of 1.1.a" "line missing"
grep -Eq "1\.1\.b +count_units +actual +2 +target +40 +5 % +behind" "$out" && ok "count_units of countries" || fail "count_units of countries" "line missing"
grep -Eq "1\.2\.a +mean +actual +28 +target +- +- +no target" "$out" && ok "no target for 2021" || fail "no target for 2021" "line missing"
grep -Eq "^2021: 1 achieved, 0 on track, 1 behind, [0-9]+ no data, [0-9]+ no target" "$out" && ok "the buckets line" || fail "the buckets line" "line missing"
printf '{"rbm_figures": 1, "figures": [{"name": "x", "measure": "value", "indicators": ["7.7"]}]}' >"$T/badfig.json"
run results --db "$db" --cycle 2021 --figures "$T/badfig.json"
expect "a figure naming an unknown indicator" 2 "" "badfig.json: \\$\\.figures\\[0\\]: indicators\\[0\\]: unknown indicator \"7\\.7\""

run results --db "$db" --cycle 2021 --by region --indicator 1.1.a --format csv
expect "by region" 0 "^1\.1\.a,2021,ROAF,2900000,2,2$"
run results --db "$db" --cycle 2021 --by sex --indicator 1.1.a --format csv
expect "by sex" 0 "^1\.1\.a,2021,female,800000,1,1$"
run results --db "$db" --cycle 2021 --by country,sex --indicator 1.1.a --format csv
expect "by country and sex" 0 "^1\.1\.a,2021,KEN,male,700000,1,1$"
run results --db "$db" --cycle 2021 --by flagship --indicator 1.1.a --format csv
expect "by flagship: only the values of outcomes tagged FP1" 0 "^1\.1\.a,2021,FP1,1500000,1,1$"
run results --db "$db" --cycle 2021 --by office --format json
expect "json" 0 '"office": "ROAF"'

run explain --db "$db" --cycle 2021 --indicator 1.1.a
expect "explain lists every value and its source" 0 "ROAF +UGA .*1400000 +submission 2 rev 1, uuid roaf"
grep -q "then sum over 2 places = 2900000" "$out" && ok "explain states the rule and the figure" || fail "explain states the rule" "missing"
run explain --db "$db" --cycle 2021 --indicator 1.1.b --country KEN
expect "explain one country" 0 "count the places with a value > 0 over 1 place = 1"

# Bad queries.
run results --db "$db" --cycle 2021 --indicator 9.9.z
expect "unknown indicator" 2 "" "^rbm: results: --indicator: unknown indicator '9\.9\.z'"
run results --db "$db" --cycle 2021 --by galaxy
expect "unknown dimension" 2 "" "unknown dimension 'galaxy'"
run results --db "$db" --cycle 2030
expect "year outside the plan" 2 "" "lies outside the plan period 2020-2023"
run results --db "$db" --cycle 2022
expect "a year without a cycle" 2 "" "there is no reporting cycle for 2022"
run explain --db "$db" --cycle 2021 --indicator 1.1.a --country XXX
expect "explain: unknown country" 2 "" "unknown country 'XXX'"

# Bulk values: history for 2020, checked, one transaction.
printf 'indicator,year,office,country,value\n1.1.a,2020,KEN,KEN,900000\n1.1.a,2020,ROAF,UGA,300000\n' >"$T/v.csv"
run values import --db "$db" "$T/v.csv"
expect "values import" 0 "2 values stored"
printf 'indicator,year,office,country,value\n1.1.a,2020,KEN,KEN,5\n1.1.a,2020,KEN,KEN,nan\n1.1.a,2020,KEN,KEN,inf\n9.9,2020,KEN,KEN,1\n1.1.a,2020,KEN,KEN,-3\n1.2.a,2020,KEN,KEN,140\n' >"$T/bad.csv"
run values import --db "$db" "$T/bad.csv"
expect "bad values: NaN refused" 2 "" "line 3, column value: expected a finite number, got \"nan\""
grep -q 'line 4, column value: expected a finite number, got "inf"' "$err" && ok "infinity refused" || fail "infinity refused" "missing"
grep -q 'line 5, column indicator: unknown indicator "9.9"' "$err" && ok "unknown indicator refused" || fail "unknown indicator refused" "missing"
grep -q 'line 6, column value: a number of people must be a whole number >= 0, got -3' "$err" && ok "negative people refused" || fail "negative people refused" "missing"
grep -q 'line 7, column value: a percentage must lie in 0-100, got 140' "$err" && ok "percentage over 100 refused" || fail "percentage over 100 refused" "missing"
run results --db "$db" --cycle 2021 --indicator 1.1.a --format csv
expect "2021 unchanged by 2020 history" 0 "^1\.1\.a,2021,people,sum,2900000,"
n=$(sqlite3 "$db" "SELECT count(*) FROM data_values WHERE year = 2020")
[ "$n" = 2 ] && ok "a refused bulk load stored nothing" || fail "a refused bulk load stored nothing" "$n rows for 2020"

# An approval of a new revision replaces the submission's values.
cat >"$T/fix.json" <<'JSON'
{"rbm_submissions": 1, "submissions": [
 {"uuid": "ken-2", "cycle": 2021, "office": "KEN", "submitted_at": "2022-02-12T09:00:00Z",
  "values": [{"indicator": "1.1.a", "value": 1600000}, {"indicator": "1.1.b", "value": 1}]}]}
JSON
run import --db "$db" "$T/fix.json"
expect "a new revision" 0 "1 stored"
run results --db "$db" --cycle 2021 --indicator 1.1.a --format csv
expect "until approved, the approved revision counts" 0 "^1\.1\.a,2021,people,sum,2900000,"
run review approve 1 --db "$db"
expect "approve revision 2" 0
run results --db "$db" --cycle 2021 --indicator 1.1.a --format csv
expect "then the new revision counts, and only it" 0 "^1\.1\.a,2021,people,sum,3000000,"

# Categories the plan does not have never count as totals, and are refused on import.
printf 'indicator,year,office,country,disaggregation,category,value\n1.1.a,2022,KEN,KEN,sex,femal,5\n1.1.a,2022,KEN,KEN,colour,blue,7\n' >"$T/cats.csv"
run values import --db "$db" "$T/cats.csv"
expect "an unknown category is refused" 2 "" "line 2, column category: \"femal\" is not a category of sex"
grep -q 'line 3, column disaggregation: indicator 1.1.a is not disaggregated by "colour"' "$err" && ok "an unknown disaggregation is refused" || fail "an unknown disaggregation is refused" "missing"
sqlite3 "$db" "INSERT INTO data_values(year, quarter, indicator, office, country, disaggregation, category, value, source) VALUES (2021, 0, '1.1.a', 'KEN', 'KEN', 'sex', 'femal', 999, 'test')"
run results --db "$db" --cycle 2021 --indicator 1.1.a --format csv
expect "a stored value of an unknown category does not reach the total" 0 "^1\.1\.a,2021,people,sum,3000000,"
