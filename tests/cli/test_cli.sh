# test_cli.sh - rbm's commands run as a user runs them: output, exit codes, messages.
. tests/harness/cli.sh

SMALL=tests/cases/plans/small.json
db=$T/rbm.db

# --- help, version, usage errors
run --help
expect "rbm --help lists commands and exit codes" 0 "plan missing-translations"
grep -q "2  bad input or usage" "$out" && ok "--help documents exit status 2" || fail "--help documents exit status 2" "missing"
run help init
expect "rbm help init" 0 "usage: rbm init"
run init --help
expect "rbm init --help" 0 "--replace"
run version
expect "rbm version" 0 "^rbm [0-9]+\.[0-9]+\.[0-9]+ \(database schema [0-9]+"
run frobnicate
expect "unknown command is a usage error" 2 "" "^rbm: unknown command 'frobnicate'"
run plan frobnicate
expect "unknown subcommand is a usage error" 2 "" "^rbm: unknown command 'plan frobnicate'"
run
expect "no command is a usage error" 2 "" "usage: rbm"
run plan check
expect "plan check without FILE" 2 "" "^rbm: plan check: needs exactly one FILE"
run plan show --lang xx --db "$db"
expect "unknown --lang" 2 "" "^rbm: --lang: unknown language 'xx'"
run plan show --bogus
expect "unknown option" 2 "" "^rbm: plan show: unknown option '--bogus'"

# --- no database yet
run plan show --db "$db"
expect "plan show without a database" 1 "" "^rbm: .*rbm.db: no database here \(create one with 'rbm init'\)"
[ ! -e "$db" ] && ok "a read command creates no database" || fail "a read command creates no database" "file exists"

# --- init with the bundled plan
run init --db "$db"
expect "init with the bundled plan" 0 "plan SP-2020-2023 loaded \(4 domains, 12 outcomes, [0-9]+ outputs?|plan SP-2020-2023 loaded \(4 domains, 12 outcomes, [0-9]+ indicators, 5 programmes"
run init --db "$db"
expect "init again changes nothing" 0 "holds plan SP-2020-2023 already; nothing changed"
RBM_DB=$db run plan show
expect "RBM_DB names the database" 0 "^SP-2020-2023"

run plan show --db "$db"
expect "plan show in English" 0 "^Domain of change 1  Reduced spatial inequality and poverty"
grep -q "^  Outcome 1.1  Increased and equal access to basic services" "$out" && ok "outcomes under domains" || fail "outcomes under domains" "no outcome 1.1"
grep -Eq "^4 domains, 12 outcomes, [0-9]+ indicators, 5 programmes" "$out" && ok "summary counts" || fail "summary counts" "no summary"
run plan show --db "$db" --lang zh
expect "plan show in Chinese" 0 "^变革领域 1  减少城乡连续体各社区中的空间不平等和贫困现象$"
grep -Eq "^  FP2 +以人为本的智慧城市( \(to be confirmed\))?$" "$out" && ok "official Chinese flagship title, unmarked" || fail "official Chinese flagship title, unmarked" "missing"
run plan show --db "$db" --lang fr
expect "plan show in French marks unofficial translations" 0 " \*$"
run plan show --db "$db" --format json
expect "plan show --format json" 0 '"rbm_plan": 1'
cp "$out" "$T/exported.json"
run plan check "$T/exported.json"
expect "the JSON export is itself a valid plan" 0 "ok: plan SP-2020-2023"

run plan missing-translations --db "$db" --lang en
expect "no English text is missing" 0 "^0 texts missing a translation: en 0$"
run plan missing-translations --db "$db"
expect "missing translations, all languages" 0 "texts? missing a translation: ar [0-9]+, zh [0-9]+, en 0, fr [0-9]+, ru [0-9]+, es [0-9]+"

run offices list --db "$db"
expect "offices list" 0 "^HQ "
grep -q "^  ROAF " "$out" && ok "regional offices under headquarters" || fail "regional offices under headquarters" "no ROAF"
grep -Eq "^    KEN +country" "$out" && ok "country offices under their regional office" || fail "country offices under their regional office" "no KEN"
grep -Eq "offices: 1 headquarters, [0-9]+ headquarters units, 4 regional" "$out" && ok "office counts" || fail "office counts" "no counts"

run places list --db "$db" --region 419
expect "places in Latin America and the Caribbean" 0 "^BRA  BR  Brazil"
grep -q "^KEN" "$out" && fail "KEN is not in region 419" "listed" || ok "KEN is not in region 419"
run places list --db "$db" --region Afrique --lang fr
expect "a region by its French name" 0 "^KEN  KE  Kenya  Afrique orientale$"
run places list --db "$db"
expect "all places" 0 "^249 countries$"
run places list --db "$db" --region Atlantis
expect "an unknown region" 2 "" "^rbm: places list: --region: no UN M49 region 'Atlantis'"

# --- bad plans: one clear line per problem, exit 2, database untouched
before=$(sha256sum "$db" | cut -d' ' -f1)
printf '' >"$T/empty.json"
printf '{"rbm_plan": 1,\n "code": "X"\n "title": {}}' >"$T/syntax.json"
printf '{"rbm_plan": 1, "code": "A\377"}' >"$T/utf8.json"
sed 's/"2021": 40/"2021": "40"/' $SMALL >"$T/type.json"
sed 's/"code": "1.1.b"/"code": "1.1.a"/' $SMALL >"$T/dup.json"
sed 's/"programmes": \["FP1"\]/"programmes": ["FP9"]/' $SMALL >"$T/dangling.json"
sed "s/\"fr\": \"Plan d'essai\"/\"de\": \"Testplan\"/" $SMALL >"$T/lang.json"
sed 's/"2023": 25/"2031": 25/' $SMALL >"$T/year.json"
{ printf '{"x": '; head -c 10000 /dev/zero | tr '\0' '['; head -c 10000 /dev/zero | tr '\0' ']'; printf '}'; } >"$T/deep.json"
{ printf '{"x": "'; head -c 52428800 /dev/zero | tr '\0' 'a'; printf '"}'; } >"$T/big.json"

check_bad() {
	file=$1 pattern=$2
	run plan check "$T/$file"
	expect "plan check $file" 2 "" "^rbm: .*$file: $pattern"
	run init --db "$db" --plan "$T/$file"
	expect "init --plan $file" 2 "" "^rbm: .*$file: $pattern"
	grep -q "^rbm: the database was not changed" "$err" && ok "init --plan $file says nothing changed" || fail "init --plan $file says nothing changed" "no notice"
}
check_bad empty.json "the file is empty"
check_bad syntax.json "line 3, column [0-9]+: invalid JSON"
check_bad utf8.json "line 1, column [0-9]+: invalid JSON: .*0xff"
check_bad type.json '\$\.domains\[0\]\.outcomes\[0\]\.indicators\[1\]\.targets\.2021: expected a number, got "40"'
check_bad dup.json '\$\.domains\[0\]\.outcomes\[0\]\.indicators\[1\]: duplicate indicator code "1.1.a"'
check_bad dangling.json '\$\.domains\[0\]\.programmes\[0\]: unknown programme "FP9"'
check_bad lang.json '\$\.title\.de: unknown language tag "de"'
check_bad year.json '.*targets\.2031: the year 2031 lies outside the plan period 2020-2023'
check_bad deep.json "line 1: the JSON nests deeper than 64 levels"
check_bad big.json "file is [0-9]+ bytes, larger than the limit of 16777216 bytes"
after=$(sha256sum "$db" | cut -d' ' -f1)
[ -s "$db" ] && [ "$before" = "$after" ] && ok "bad plans left the database untouched" || fail "bad plans left the database untouched" "checksum changed"

run init --db "$T/fresh.db" --plan "$T/dup.json"
expect "a bad plan creates no database" 2
[ ! -e "$T/fresh.db" ] && ok "no database file left behind" || fail "no database file left behind" "exists"

# --- a different plan with the same code needs --replace
sed 's/"last_year": 2023/"last_year": 2024/' $SMALL >"$T/small2024.json"
run init --db "$T/s.db" --plan $SMALL
expect "init a second database with the small plan" 0 "plan TEST-2020 loaded"
run init --db "$T/s.db" --plan "$T/small2024.json"
expect "a changed plan is refused without --replace" 1 "" "use --replace"
run init --db "$T/s.db" --plan "$T/small2024.json" --replace
expect "--replace replaces it" 0 "plan TEST-2020 loaded"
run plan show --db "$T/s.db"
expect "the replaced plan is shown" 0 "\(2020-2024\)"

# --- a database from a newer rbm
sqlite3 "$T/s.db" "INSERT INTO schema_migrations(version, description) VALUES (999, 'future')"
run plan show --db "$T/s.db"
expect "a newer schema is refused" 1 "" "schema version 999, newer than this rbm knows"

# --- the survey as an XLSForm, and an organisation's own XLSForm
run init --db "$T/f.db"
expect "init for forms" 0
run form export --db "$T/f.db" --cycle 2021 --office KEN -o "$T/ken.xlsx"
expect "form export writes an XLSForm" 0 "ken.xlsx: XLSForm rbm_2021_KEN version 2021\.[0-9a-f]+, [0-9]+ questions, 6 choice lists, six languages"
run form import --db "$T/f.db" "$T/ken.xlsx"
expect "form import reads it back" 0 "form rbm_2021_KEN version 2021\.[0-9a-f]+: [0-9]+ questions, [0-9]+ groups, 0 repeats, [0-9]+ choices, 6 languages; stored$"
run form import --db "$T/f.db" "$T/ken.xlsx"
expect "form import again changes nothing" 0 "stored already, unchanged$"
if [ -f ../shared/standards/xlsform/examples/xlsform_spec_test.xlsx ]; then
	run form import --db "$T/f.db" ../shared/standards/xlsform/examples/xlsform_spec_test.xlsx
	expect "a real-world XLSForm with repeats and old language columns" 0 "1 repeats, [0-9]+ choices, 3 languages; stored$"
fi
run form export --db "$T/f.db" --cycle 2021 --office KEN -o "$T/missing/dir/ken.xlsx"
expect "form export into a missing folder" 1 "" "^rbm: .*missing/dir/ken.xlsx: cannot create"
printf 'not a workbook' >"$T/junk.xlsx"
run form import --db "$T/f.db" "$T/junk.xlsx"
expect "form import of a file that is not a workbook" 2 "" "^rbm: .*junk.xlsx: .*; the form was not imported|^rbm: .*junk.xlsx"
run form export --db "$T/f.db" --cycle 2021 --office NOPE -o "$T/x.xlsx"
expect "form export for an unknown office" 1 "" "unknown office \"NOPE\""
