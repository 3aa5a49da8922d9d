# test_publish_cli.sh - rbm report publish|unpublish|publications: which reports the
# public sees, each change in the audit log; unknown reports and cycles refused.
. tests/harness/cli.sh

SMALL=tests/cases/plans/small.json
export RBM_NOW=2022-03-01T09:30:00Z
export RBM_USER=tester
db=$T/p.db
"$RBM" init --db "$db" --plan "$SMALL" >/dev/null 2>&1
"$RBM" cycle open 2021 --from 2022-01-15 --to 2022-03-31 --db "$db" >/dev/null 2>&1

run report publications --db "$db"
expect "nothing published at first" 0 "^0 reports published$"

run report publish annual --cycle 2021 --db "$db"
expect "publish the annual report" 0 "^report annual 2021 published$"
run report publications --db "$db"
expect "it is listed with when and by whom" 0 "^2021  annual      published 2022-03-01T09:30:00Z by tester$"
[ "$(sqlite3 "$db" "SELECT report || ' ' || year || ' ' || published_by FROM publications")" = "annual 2021 tester" ] &&
	ok "one row in publications" || fail "one row in publications" "$(sqlite3 "$db" "SELECT * FROM publications")"

run report publish annual --cycle 2021 --db "$db"
expect "publishing twice is refused" 1 "" "^rbm: the annual report of 2021 is published already \(since 2022-03-01T09:30:00Z, by tester\)$"

run report publish highlights --db "$db" --cycle 2021
expect "publish the highlights (options after the report)" 0 "^report highlights 2021 published$"
run report publications --db "$db"
expect "two reports published" 0 "^2 reports published$"

export RBM_NOW=2022-03-05T12:00:00Z
run report unpublish highlights --cycle 2021 --db "$db"
expect "unpublish the highlights" 0 "^report highlights 2021 unpublished$"
run report unpublish highlights --cycle 2021 --db "$db"
expect "unpublishing twice is refused" 1 "" "^rbm: the highlights report of 2021 is not published$"
run report publications --db "$db"
expect "one report left" 0 "^1 report published$"

run audit --db "$db"
expect "the audit log has report.publish" 0 "tester +cli +report\.publish +report annual 2021$"
grep -Eq "2022-03-05T12:00:00Z tester +cli +report\.unpublish +report highlights 2021: published since 2022-03-01T09:30:00Z by tester$" "$out" &&
	ok "the audit log has report.unpublish, with when and by whom it had been published" ||
	fail "the audit log has report.unpublish" "missing"
run audit verify --db "$db"
expect "the audit chain verifies" 0

# Bad input: exit 2 with an "rbm: ..." message; nothing written.
rows=$(sqlite3 "$db" "SELECT count(*) FROM audit_log")
run report publish annual --cycle 2030 --db "$db"
expect "a cycle that does not exist" 2 "" "^rbm: there is no reporting cycle for 2030"
run report unpublish annual --cycle 2030 --db "$db"
expect "unpublish: a cycle that does not exist" 2 "" "^rbm: there is no reporting cycle for 2030"
run report publish yearly --cycle 2021 --db "$db"
expect "an unknown report" 2 "" "^rbm: report publish: name the report: highlights or annual$"
run report publish --cycle 2021 --db "$db"
expect "no report named" 2 "" "^usage: rbm report publish highlights\|annual --cycle YEAR$"
run report publish annual --db "$db"
expect "no --cycle" 2 "" "^rbm: report publish: needs --cycle YEAR$"
run report publish annual --cycle next --db "$db"
expect "a --cycle that is no year" 2 "" "^rbm: report publish: --cycle: expected a year such as 2021, got 'next'$"
run report publish annual highlights --cycle 2021 --db "$db"
expect "two reports at once" 2 "" "name the report"
[ "$(sqlite3 "$db" "SELECT count(*) FROM audit_log")" = "$rows" ] && ok "refusals write nothing" ||
	fail "refusals write nothing" "the audit log grew"
run report publish annual --cycle 2021 --db "$T/none.db"
expect "a database that does not exist" 1 "" "^rbm: "

# Help; 'rbm report highlights' is still the report command (tests/cli/test_report_cli.sh renders).
run help report publish
expect "help report publish" 0 "^usage: rbm report publish highlights\|annual --cycle YEAR"
run --help
expect "the command list has publish and unpublish" 0 "report unpublish"
run report highlights --db "$db" --cycle 2021 --format odt -o "$T/out"
expect "report highlights is not taken for a sub-command" 2 "" "^rbm: report: --format: expected pdf, html, docx, xlsx, md or all, got 'odt'$"
