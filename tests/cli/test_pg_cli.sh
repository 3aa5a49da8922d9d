# test_pg_cli.sh - rbm on a real PostgreSQL server, as a user runs it: init, the 2021 sample
# collection replayed by data/samples/2021/load.sh, every report command equal to the same on
# SQLite, rbm serve (two processes on one database, two reviewers approving the same submissions
# at once: one wins, the other gets a 409), rbm db copy both ways, and the bad input of issue 8:
# wrong URLs, a refused connection, a wrong password, a missing database, a server restarted in
# the middle of an import (nothing half-stored; the import runs again), a newer schema.
# tests/harness/pg.sh starts a throw-away server and removes it afterwards.
. tests/harness/cli.sh
. tests/harness/server.sh
. tests/harness/pg.sh

if ! pg_start; then
	echo "not ok 1 - a PostgreSQL server for the CLI tests"
	exit 1
fi
SAMPLE=data/samples/2021
PG=$(pg_url rbm)

# same NAME ARGS...: rbm ARGS on the SQLite sample and on the PostgreSQL one print the same.
same() {
	name=$1
	shift
	"$RBM" "$@" --db "$T/sample.db" >"$T/sqlite.out" 2>&1
	a=$?
	"$RBM" "$@" --db "$PG" >"$T/pg.out" 2>&1
	b=$?
	if [ $a -ne 0 ] || [ $b -ne 0 ]; then
		fail "$name" "exit status $a on SQLite, $b on PostgreSQL: $(head -c 300 "$T/pg.out")"
	elif ! cmp -s "$T/sqlite.out" "$T/pg.out"; then
		fail "$name" "the outputs differ: $(diff "$T/sqlite.out" "$T/pg.out" | head -n 6)"
	elif grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$T/pg.out"; then
		fail "$name" "sanitizer report"
	else
		ok "$name ($(wc -l <"$T/pg.out") lines)"
	fi
}

# psql_int DB SQL: one number from the server.
psql_int() {
	pg_psql "$1" -At -c "$2"
}

# --- init and the sample, on both back-ends (at the sample's time, so that audit logs compare)
export RBM_NOW=2022-01-03T08:00:00Z
run init --db "$PG"
expect "rbm init --db postgresql://..." 0 'plan SP-2020-2023 loaded'
run init --db "$PG"
expect "rbm init again changes nothing" 0
k=$(psql_int rbm "SELECT count(*) FROM schema_migrations")
if [ "$k" = "$("$RBM" version | sed -n 's/.*schema \([0-9]*\).*/\1/p')" ]; then ok "every migration recorded ($k)"; else fail "migrations" "$k recorded"; fi
unset RBM_NOW
if RBM=$RBM $SAMPLE/load.sh "$PG" >"$T/load-pg.log" 2>&1; then
	ok "the 2021 sample loads into PostgreSQL ($(tail -n 1 "$T/load-pg.log" | cut -c1-60))"
else
	fail "the 2021 sample loads into PostgreSQL" "$(tail -n 3 "$T/load-pg.log")"
fi
if RBM=$RBM $SAMPLE/load.sh "$T/sample.db" >"$T/load-sqlite.log" 2>&1; then
	ok "the 2021 sample loads into SQLite"
else
	fail "the 2021 sample loads into SQLite" "$(tail -n 3 "$T/load-sqlite.log")"
fi
if RBM=$RBM $SAMPLE/load.sh "$PG" >"$T/load-pg2.log" 2>&1 && grep -q 'not imported again' "$T/load-pg2.log"; then
	ok "loading the sample again changes nothing"
else
	fail "loading the sample again" "$(tail -n 3 "$T/load-pg2.log")"
fi
same "rbm results --cycle 2021: equal on both" results --cycle 2021
same "rbm results --by region,sex: equal on both" results --cycle 2021 --by region,sex --format csv
same "rbm results --format json: equal on both" results --cycle 2021 --format json
same "rbm explain: equal on both" explain --cycle 2021 --indicator 1.1.a
same "rbm submissions list: equal on both" submissions list --cycle 2021
same "rbm submission show --diff: equal on both" submission show 3 --diff 1..2
same "rbm cycle status: equal on both" cycle status 2021
same "rbm audit: equal on both" audit
same "rbm audit verify: equal on both" audit verify
same "rbm form show: equal on both" form show --cycle 2021 --office KEN --lang fr
same "rbm plan show --format json: equal on both" plan show --format json
run export csv --cycle 2021 --level indicator -o "$T/pg.csv" --db "$PG"
"$RBM" export csv --cycle 2021 --level indicator -o "$T/sqlite.csv" --db "$T/sample.db" >/dev/null 2>&1
if [ "$status" -eq 0 ] && cmp -s "$T/pg.csv" "$T/sqlite.csv"; then ok "rbm export csv: equal on both"; else fail "rbm export csv" "status $status or different files"; fi
for f in $SAMPLE/editorial/*.json; do
	"$RBM" editorial import "$f" --db "$PG" >/dev/null 2>&1
	"$RBM" editorial import "$f" --db "$T/sample.db" >/dev/null 2>&1
done
same "rbm i18n status: equal on both" i18n status
run report annual --cycle 2021 --lang all --format md -o "$T/rep-pg" --db "$PG"
"$RBM" report annual --cycle 2021 --lang all --format md -o "$T/rep-sqlite" --db "$T/sample.db" >/dev/null 2>&1
if [ "$status" -eq 0 ] && diff -r "$T/rep-pg" "$T/rep-sqlite" >/dev/null; then ok "rbm report annual: equal on both"; else fail "rbm report annual" "status $status or different files"; fi

# --- the audit log is append-only on the server too
if pg_psql rbm -c "UPDATE audit_log SET actor = 'mallory'" >"$T/psql.out" 2>&1; then
	fail "the audit log refuses UPDATE" "it was updated"
else
	grep -q 'the audit log is append-only' "$T/psql.out" && ok "the audit log refuses UPDATE (psql)" ||
		fail "the audit log refuses UPDATE" "$(cat "$T/psql.out")"
fi
if pg_psql rbm -c "TRUNCATE audit_log CASCADE" >/dev/null 2>&1; then fail "TRUNCATE" "allowed"; else ok "the audit log refuses TRUNCATE"; fi

# --- rbm serve on PostgreSQL: every page and API answer equal to SQLite's, for every role
for db in "$PG" "$T/sample.db"; do
	tag=pg
	[ "$db" = "$PG" ] || tag=sqlite
	export RBM_NOW=2022-03-02T08:00:00Z
	"$RBM" cycle open 2022 --from 2023-01-10 --to 2023-02-28 --offices KEN,ROAF --db "$db" >/dev/null 2>&1
	: >"$T/tokens.$tag"
	for u in "admin administrator" "editor editor" "rafael reviewer --region ROAF" \
		"amina reporter --office KEN" "viewer viewer"; do
		# shellcheck disable=SC2086
		set -- $u
		name=$1
		shift
		RBM_PASSWORD=correct-horse-42 "$RBM" user add "$name" --role "$@" --db "$db" >/dev/null 2>&1
		echo "$name $("$RBM" token create "$name" --db "$db" 2>/dev/null | grep -o 'rbm_[0-9a-f]*' | head -n 1)" >>"$T/tokens.$tag"
	done
	unset RBM_NOW
done
tok() { awk -v n="$2" '$1 == n { print $2 }' "$T/tokens.$1"; }
if start_server "$PG" --threads 2; then
	ok "rbm serve --db postgresql://... starts"
	pid_pg=$pid
	B_PG=$B
	pid=""
	code=$(curl -s -o "$T/h" -w '%{http_code}' "$B_PG/healthz")
	[ "$code" = 200 ] && ok "/healthz answers 200" || fail "/healthz" "status $code"
	if start_server "$T/sample.db" --threads 2; then
		for u in admin editor rafael amina viewer; do
			differ=""
			k=0
			for path in / /review /review/3 /progress /progress/2021 /results /results/2021 \
				/results/2021/1.1.a /api/v1/version /api/v1/plan /api/v1/cycles /api/v1/offices \
				"/api/v1/submissions?cycle=2021&per_page=5" /api/v1/submissions/3 \
				/api/v1/surveys/2022/KEN /api/v1/results/2021 /api/v1/progress/2021 /admin \
				/api/v1/users /editor /editor/2021/annual /api/v1/editorial/2021/annual /reports \
				/reports/2021/annual /api/v1/reports /data /api/v1/data /survey/2022/KEN; do
				a=$(curl -s -o "$T/page.pg" -w '%{http_code}' -H "Authorization: Bearer $(tok pg $u)" "$B_PG$path")
				b=$(curl -s -o "$T/page.sqlite" -w '%{http_code}' -H "Authorization: Bearer $(tok sqlite $u)" "$B$path")
				k=$((k + 1))
				if [ "$a" != "$b" ] || ! cmp -s "$T/page.pg" "$T/page.sqlite"; then
					differ="$differ $path ($a/$b)"
				fi
			done
			if [ -z "$differ" ]; then
				ok "rbm serve on PostgreSQL answers $k pages and API calls as $u exactly as on SQLite"
			else
				fail "pages as $u" "differ from SQLite's:$differ"
			fi
		done
		stop_server
	fi
	pid=$pid_pg
	# The database server restarts under a running rbm serve: the next request connects again.
	pg_restart
	code=$(curl -s -o "$T/after" -w '%{http_code}' -H "Authorization: Bearer $(tok pg viewer)" "$B_PG/api/v1/results/2021")
	if [ "$code" = 200 ] && grep -q "1.1.a" "$T/after"; then
		ok "rbm serve answers after the PostgreSQL server restarted"
	else
		fail "rbm serve after a database restart" "status $code: $(head -c 200 "$T/after")"
	fi
	server_clean && ok "the server on PostgreSQL ran clean" || fail "the server on PostgreSQL" "$(tail -n 5 "$T/server.err")"
	stop_server
else
	fail "rbm serve --db postgresql://..." "did not start"
fi

# --- two rbm serve processes on one database; two reviewers approve the same submissions at once
REV=$(pg_createdb review)
RBM_NOW=2022-01-10T08:00:00Z "$RBM" init --db "$REV" >/dev/null 2>&1
RBM_NOW=2022-01-10T08:00:00Z "$RBM" cycle open 2021 --from 2022-01-10 --to 2022-02-28 --db "$REV" >/dev/null 2>&1
RBM_NOW=2022-02-21T07:00:00Z "$RBM" import $SAMPLE/submissions-hq-regional.json --db "$REV" >/dev/null 2>&1
for u in rafael rosa; do
	RBM_PASSWORD=correct-horse-42 "$RBM" user add $u --role reviewer --db "$REV" >/dev/null 2>&1
	"$RBM" token create $u --db "$REV" 2>/dev/null | grep -o 'rbm_[0-9a-f]*' | head -n 1 >"$T/tok-$u"
done
"$RBM" submissions list --cycle 2021 --status submitted --db "$REV" | awk '$2 == "2021" { print $1, $6 }' >"$T/subs"
nsubs=$(wc -l <"$T/subs")
if [ "$nsubs" -ge 5 ] && start_server "$REV" --threads 2; then
	pid_a=$pid
	B_A=$B
	pid=""
	if start_server "$REV" --threads 2; then
		B_B=$B
		ok "two rbm serve processes on one database"
		while read -r id rev; do
			curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $(cat "$T/tok-rafael")" \
				-H 'Content-Type: application/json' --data "{\"base_rev\": $rev}" \
				"$B_A/api/v1/submissions/$id/approve" >"$T/a-$id" &
			curl -s -o /dev/null -w '%{http_code}\n' -X POST -H "Authorization: Bearer $(cat "$T/tok-rosa")" \
				-H 'Content-Type: application/json' --data "{\"base_rev\": $rev}" \
				"$B_B/api/v1/submissions/$id/approve" >"$T/b-$id" &
		done <"$T/subs"
		wait_for=0
		while [ $wait_for -lt 50 ] && [ "$(cat "$T"/a-* "$T"/b-* 2>/dev/null | wc -l)" -lt $((nsubs * 2)) ]; do
			sleep 0.2
			wait_for=$((wait_for + 1))
		done
		wins=$(cat "$T"/a-* "$T"/b-* | grep -c '^200$')
		conflicts=$(cat "$T"/a-* "$T"/b-* | grep -c '^409$')
		if [ "$wins" -eq "$nsubs" ] && [ "$conflicts" -eq "$nsubs" ]; then
			ok "each of $nsubs submissions approved by two reviewers at once: one 200, one 409"
		else
			fail "two reviewers at once" "$wins approvals and $conflicts conflicts for $nsubs submissions: $(cat "$T"/a-* "$T"/b-* | tr '\n' ' ')"
		fi
		k=$(psql_int review "SELECT count(*) FROM audit_log WHERE action = 'submission.approve'")
		[ "$k" -eq "$nsubs" ] && ok "one approval each in the audit log" || fail "approvals in the audit log" "$k"
		k=$(psql_int review "SELECT count(*) FROM submission_events WHERE action = 'approve'")
		[ "$k" -eq "$nsubs" ] && ok "one approval event each" || fail "approval events" "$k"
		run audit verify --db "$REV"
		expect "the audit chain holds after the race" 0
		stop_server
	else
		fail "a second rbm serve on the same database" "did not start"
	fi
	pid=$pid_a
	stop_server
else
	fail "two reviewers at once" "$nsubs submitted submissions, or rbm serve did not start"
fi

# --- rbm db copy, both ways
COPY=$(pg_createdb copy)
run db copy --from "$T/sample.db" --to "$COPY"
expect "rbm db copy SQLite -> PostgreSQL" 0 'the copy matches its source'
if grep -q 'measured figures (indicator, year, quarter): [0-9]* in each, all equal' "$out" &&
	grep -q '^  audit_log  *[0-9][0-9]* *[0-9][0-9]*$' "$out"; then
	ok "the copy's comparison: counts per table, measured figures, audit chain"
else
	fail "the copy's comparison" "$(head -c 300 "$out")"
fi
run db copy --from "$T/sample.db" --to "$COPY"
expect "a target holding data is refused" 1 '' 'holds data already \(1 row in plans\); use --replace'
run db copy --from "$PG" --to "$COPY" --replace
expect "rbm db copy --replace" 0 'the copy matches its source'
run db copy --from "$COPY" --to "$T/back.db"
expect "rbm db copy PostgreSQL -> SQLite" 0 'the copy matches its source'
"$RBM" results --cycle 2021 --format json --db "$T/back.db" >"$T/back.json" 2>&1
"$RBM" results --cycle 2021 --format json --db "$T/sample.db" >"$T/orig.json" 2>&1
cmp -s "$T/back.json" "$T/orig.json" && ok "results after the round trip equal the original's" || fail "round trip" "results differ"
RBM_NOW=2024-01-02T00:00:00Z "$RBM" cycle open 2023 --from 2024-01-02 --to 2024-02-28 --db "$COPY" >"$T/c" 2>&1 &&
	ok "the copy takes new rows (ids continue after the copied ones)" || fail "new rows after a copy" "$(cat "$T/c")"
run db copy --from "$T/absent.db" --to "$COPY"
expect "copying from a missing file is refused" 1 '' 'no database here'
run db copy --from "$T/sample.db"
expect "db copy needs --to" 2 '' 'needs --from DATABASE and --to DATABASE'

# --- bad input: URLs, a refused connection, a wrong password, a missing database
run results --cycle 2021 --db 'postgres://[::1/rbm'
expect "a malformed URL" 2 '' '^rbm: postgres://\[::1/rbm: not a valid PostgreSQL URL'
run results --cycle 2021 --db 'postgresql://localhost/rbm?colour=blue'
expect "an unknown URL parameter" 2 '' 'invalid URI query parameter: "colour"'
run results --cycle 2021 --db 'postgresql://rbm@127.0.0.1:1/rbm'
expect "a refused connection is tried again, then explained" 1 '' \
	'^rbm: cannot reach the PostgreSQL server at 127\.0\.0\.1:1: Connection refused \(tried 4 times\)$'
run results --cycle 2021 --db "postgresql:///rbm?host=$PG_DIR&user=rbm_pw&password=wrong-one"
expect "a wrong password" 2 '' "^rbm: cannot connect to the PostgreSQL server at $PG_DIR:5432: password authentication failed for user \"rbm_pw\"$"
if grep -q 'wrong-one' "$err"; then fail "the password stays secret" "$(cat "$err")"; else ok "the password is not shown"; fi
run results --cycle 2021 --db "$(pg_url nosuchdb)"
expect "a missing database" 2 '' 'database "nosuchdb" does not exist \(create it first'
EMPTY=$(pg_createdb empty)
run results --cycle 2021 --db "$EMPTY"
expect "an empty database needs rbm init" 1 '' "the database holds no rbm data yet \(create it with 'rbm init --db URL'\)"

# --- a server restarted in the middle of an import: nothing half-stored, and it runs again
IMP=$(pg_createdb import)
RBM_NOW=2022-01-10T08:00:00Z "$RBM" init --db "$IMP" >/dev/null 2>&1
RBM_NOW=2022-01-10T08:00:00Z "$RBM" cycle open 2021 --from 2022-01-10 --to 2022-02-28 --db "$IMP" >/dev/null 2>&1
audit_before=$(psql_int import "SELECT count(*) FROM audit_log")
# Another session holds the audit log, so the import stops at its first audit entry, mid-write.
pg_psql import -c "BEGIN; LOCK TABLE audit_log IN EXCLUSIVE MODE; SELECT pg_sleep(30); COMMIT" >/dev/null 2>&1 &
sleep 0.3
RBM_NOW=2022-02-21T07:10:00Z "$RBM" import $SAMPLE/submissions-countries-a.json --db "$IMP" >"$T/imp.out" 2>"$T/imp.err" &
imp=$!
i=0
while [ $i -lt 100 ] && [ "$(psql_int import "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'rbm' AND wait_event_type = 'Lock'")" != 1 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ $i -lt 100 ]; then ok "the import is waiting in the middle of its write"; else fail "the import waits" "it did not"; fi
pg_restart
wait $imp
st=$?
if [ $st -eq 1 ] && grep -q '^rbm: .*: lost the connection to the PostgreSQL server at .*(the change was not stored)$' "$T/imp.err" &&
	grep -q 'nothing was imported' "$T/imp.err"; then
	ok "the import fails cleanly when the server restarts"
else
	fail "the import when the server restarts" "status $st: $(cat "$T/imp.err")"
fi
k=$(psql_int import "SELECT (SELECT count(*) FROM submissions) + (SELECT count(*) FROM revisions) + (SELECT count(*) FROM revision_values)")
a=$(psql_int import "SELECT count(*) FROM audit_log")
if [ "$k" = 0 ] && [ "$a" = "$audit_before" ]; then ok "nothing of it was stored"; else fail "nothing half-stored" "$k rows, audit $a (was $audit_before)"; fi
export RBM_NOW=2022-02-21T07:10:00Z
run import $SAMPLE/submissions-countries-a.json --db "$IMP"
unset RBM_NOW
expect "the import runs again" 0 '34 stored'
run audit verify --db "$IMP"
expect "the audit chain holds" 0

# --- a schema from a newer rbm is refused, naming both versions
latest=$(psql_int rbm "SELECT max(version) FROM schema_migrations")
pg_psql rbm -c "INSERT INTO schema_migrations(version, description) VALUES ($((latest + 1)), 'from a newer rbm')"
run results --cycle 2021 --db "$PG"
expect "a newer schema is refused" 1 '' "the database has schema version $((latest + 1)), newer than this rbm knows \($latest\); use a newer rbm"
run init --db "$PG"
expect "rbm init refuses it too" 1 '' "schema version $((latest + 1))"
