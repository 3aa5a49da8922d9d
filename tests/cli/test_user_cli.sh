# test_user_cli.sh - users and API tokens from the command line: rbm user add,
# user passwd, user list and token create; passwords from $RBM_PASSWORD or standard
# input and never from the command line; refusals with exit codes 1 and 2.
. tests/harness/cli.sh

SMALL=tests/cases/plans/small.json
export RBM_NOW=2022-02-01T10:00:00Z
export RBM_USER=tester
unset RBM_PASSWORD
PW="correct horse battery"

# has NAME PATTERN: the last run's stdout matches PATTERN (grep -E)
has() {
	if grep -Eq -- "$2" "$out"; then ok "$1"; else fail "$1" "stdout lacks /$2/"; fi
}

# runpw PASSWORD ARGS...: runs rbm with $RBM_PASSWORD set for that one command
runpw() {
	pw=$1
	shift
	RBM_PASSWORD="$pw" "$RBM" "$@" >"$out" 2>"$err" </dev/null
	status=$?
}

# sql NAME QUERY WANT: sqlite3 on $db prints WANT
sql() {
	got=$(sqlite3 "$db" "$2")
	if [ "$got" = "$3" ]; then ok "$1"; else fail "$1" "sqlite3 '$2' gave '$got', expected '$3'"; fi
}

db=$T/users.db
"$RBM" init --db "$db" --plan "$SMALL" >/dev/null 2>&1

# ---------------------------------------------------------------- user add
runpw "$PW" user add ana --role administrator --db "$db"
expect "user add: an administrator, password from RBM_PASSWORD" 0 "^user ana added: administrator$"
printf '%s\n' "$PW" >"$T/pw"
run user add kofi --role reporter --office KEN --db "$db" <"$T/pw"
expect "user add: a reporter, password from standard input" 0 "^user kofi added: reporter of the office KEN$"
printf 'first line is the password\nsecond line is not\n' >"$T/pw2"
run user add rita --role reviewer --region ROAF --db "$db" <"$T/pw2"
expect "user add: a reviewer of a region" 0 "^user rita added: reviewer of the region ROAF$"
printf 'a password with CRLF\r\n' >"$T/pw3"
run user add rex --role reviewer --db "$db" <"$T/pw3"
expect "user add: a reviewer of every region (CRLF line)" 0 "^user rex added: reviewer of every region$"
runpw "$PW" user add eda --role editor --db "$db"
expect "user add: an editor" 0 "^user eda added: editor$"
runpw "$PW" user add vic.tor_2-x --role viewer --db "$db"
expect "user add: a viewer, a name with . _ -" 0 "^user vic.tor_2-x added: viewer$"

sql "passwords are stored as Argon2id hashes" \
	"SELECT count(*) FROM users WHERE password_hash LIKE '\$argon2id\$v=19\$%'" 6
sql "no password is stored in the clear" \
	"SELECT count(*) FROM users WHERE instr(password_hash, 'horse') OR instr(password_hash, 'password')" 0
sql "each user add is audited" "SELECT count(*) FROM audit_log WHERE action = 'user.add' AND actor = 'tester'" 6
sql "the audit trail names the scope, never the password" \
	"SELECT detail FROM audit_log WHERE object = 'user kofi'" "role reporter, office KEN"
sql "no password in the audit trail" "SELECT count(*) FROM audit_log WHERE instr(coalesce(detail, ''), 'horse')" 0

# ---------------------------------------------------------------- refusals
runpw "$PW" user add ana --role viewer --db "$db"
expect "user add: a name taken" 1 "" "^rbm: the user \"ana\" exists already \(see 'rbm user list'; 'rbm user passwd ana' sets a new password\)$"
runpw "$PW" user add Bad --role viewer --db "$db"
expect "user add: a bad name" 2 "" "^rbm: user name \"Bad\": use 1 to 64 characters of a-z, 0-9, '\.', '_' and '-'$"
run user add nopw --role viewer --db "$db" </dev/null
expect "user add: no password at all" 2 "" "^rbm: user add: no password: set RBM_PASSWORD or give it as a line on standard input$"
runpw "short" user add shorty --role viewer --db "$db"
expect "user add: a short password" 2 "" "^rbm: the password is too short: at least 10 characters$"
printf '\n' >"$T/empty"
run user add shorty --role viewer --db "$db" <"$T/empty"
expect "user add: an empty line" 2 "" "^rbm: the password is too short: at least 10 characters$"
head -c 2000 /dev/zero | tr '\0' x >"$T/long"
run user add lengthy --role viewer --db "$db" <"$T/long"
expect "user add: a password too long" 2 "" "^rbm: the password is too long: at most 1024 bytes$"
run user add argv --role viewer --password "$PW" --db "$db" </dev/null
expect "user add: no password on the command line" 2 "" "^rbm: user add: unknown option '--password'$"
runpw "$PW" user add norole --db "$db"
expect "user add: no --role" 2 "" "^rbm: user add: needs --role ROLE \(administrator, editor, reviewer, reporter or viewer\)$"
runpw "$PW" user add boss --role boss --db "$db"
expect "user add: an unknown role" 2 "" "^rbm: --role: unknown role 'boss' \(expected administrator, editor, reviewer, reporter or viewer\)$"
runpw "$PW" user add amina --role reporter --db "$db"
expect "user add: a reporter without an office" 2 "" "^rbm: a reporter needs the office it reports for \(--office CODE\)$"
runpw "$PW" user add amina --role reporter --office XYZ --db "$db"
expect "user add: an unknown office" 2 "" "^rbm: unknown office \"XYZ\" \(see 'rbm offices list'\)$"
runpw "$PW" user add rosa --role reviewer --region KEN --db "$db"
expect "user add: a region that is no regional office" 2 "" "^rbm: \"KEN\" is not a regional office; a reviewer's region is one of: ROAF$"
runpw "$PW" user add rosa --role reviewer --office KEN --region ROAF --db "$db"
expect "user add: --office and --region" 2 "" "^rbm: user add: give --office \(a reporter's\) or --region \(a reviewer's\), not both$"
runpw "$PW" user add eddy --role editor --office KEN --db "$db"
expect "user add: an office for an editor" 2 "" "^rbm: an office is only for reporters, not for the role editor$"
runpw "$PW" user add --role viewer --db "$db"
expect "user add: no NAME" 2 "" "^rbm: user add: needs exactly one user NAME$"
runpw "$PW" user add one two --role viewer --db "$db"
expect "user add: two NAMEs" 2 "" "^rbm: user add: needs exactly one user NAME$"
runpw "$PW" user add ghost --role viewer --db "$T/none.db"
expect "user add: no database" 1 "" "^rbm: "
sql "refused additions stored nothing" "SELECT count(*) FROM users" 6
sql "refused additions audited nothing" "SELECT count(*) FROM audit_log WHERE action LIKE 'user.%'" 6

# ---------------------------------------------------------------- user list
run user list --db "$db"
expect "user list" 0 "^ana +administrator +- +2022-02-01T10:00:00Z$"
has "user list: a reporter's office" "^kofi +reporter +office KEN +2022-02-01T10:00:00Z$"
has "user list: a reviewer's region" "^rita +reviewer +region ROAF +"
has "user list: a reviewer of every region" "^rex +reviewer +every region +"
has "user list: the count" "^6 users$"
run user list --format json --db "$db"
expect "user list --format json" 0 '"name": "kofi"'
if python3 -c 'import json,sys; u=json.load(open(sys.argv[1])); assert [x["name"] for x in u]==["ana","eda","kofi","rex","rita","vic.tor_2-x"]; assert u[2]["office"]=="KEN" and u[2]["region"] is None and u[2]["disabled"] is False' "$out" 2>/dev/null; then
	ok "user list --format json parses, with every user"
else
	fail "user list --format json parses, with every user" "python3 could not read it"
fi
if grep -q 'argon2\|password' "$out"; then fail "user list shows no hashes" "it does"; else ok "user list shows no hashes"; fi
run user list --format csv --db "$db"
expect "user list: an unknown format" 2 "" "^rbm: --format: unknown format 'csv' \(expected text\|json\)$"
run user list extra --db "$db"
expect "user list: an extra argument" 2 "" "^rbm: user list: unexpected argument 'extra'$"
run user list --db "$T/empty.db"
expect "user list: no database" 1 "" "^rbm: "

# ---------------------------------------------------------------- user passwd
before=$(sqlite3 "$db" "SELECT password_hash FROM users WHERE name = 'kofi'")
printf 'a brand new password\n' >"$T/new"
run user passwd kofi --db "$db" <"$T/new"
expect "user passwd from standard input" 0 "^password of kofi changed; its sessions are signed out$"
after=$(sqlite3 "$db" "SELECT password_hash FROM users WHERE name = 'kofi'")
if [ "$before" != "$after" ] && [ "${after#\$argon2id\$}" != "$after" ]; then
	ok "user passwd stores a new Argon2id hash"
else
	fail "user passwd stores a new Argon2id hash" "before $before, after $after"
fi
runpw "another new one" user passwd kofi --db "$db"
expect "user passwd from RBM_PASSWORD" 0 "^password of kofi changed"
sql "user passwd is audited" "SELECT count(*) FROM audit_log WHERE action = 'user.passwd' AND object = 'user kofi'" 2
runpw "$PW" user passwd nobody --db "$db"
expect "user passwd: no such user" 1 "" "^rbm: there is no user \"nobody\" \(see 'rbm user list'\)$"
run user passwd nobody --db "$db" </dev/null
expect "user passwd: an unknown user is refused before the password is read" 1 "" "^rbm: there is no user \"nobody\""
runpw "short" user passwd kofi --db "$db"
expect "user passwd: a short password" 2 "" "^rbm: the password is too short: at least 10 characters$"
run user passwd kofi --db "$db" </dev/null
expect "user passwd: no password" 2 "" "^rbm: user passwd: no password: set RBM_PASSWORD or give it as a line on standard input$"
run user passwd kofi --password x --db "$db" </dev/null
expect "user passwd: no password on the command line" 2 "" "^rbm: user passwd: unknown option '--password'$"
run user passwd --db "$db" </dev/null
expect "user passwd: no NAME" 2 "" "^rbm: user passwd: needs exactly one user NAME$"
runpw "$PW" user passwd 'Not/A/Name' --db "$db"
expect "user passwd: a bad name" 2 "" "^rbm: user name \"Not/A/Name\""
sql "refused passwd changed nothing" "SELECT count(*) FROM audit_log WHERE action = 'user.passwd'" 2

# ---------------------------------------------------------------- token create
run token create kofi --label "kobo sync" --db "$db"
expect "token create" 0 "^rbm_[0-9a-f]{64}$"
token=$(cat "$out")
if [ "$(wc -l <"$out")" -eq 1 ]; then ok "token create prints the token alone"; else fail "token create prints the token alone" "more lines"; fi
sql "token create stores one token, with its label" "SELECT label FROM api_tokens" "kobo sync"
sql "token create stores a hash, not the token" \
	"SELECT count(*) FROM api_tokens WHERE token_hash = '$token' OR token_hash = '${token#rbm_}' OR length(token_hash) <> 64" 0
if sqlite3 "$db" .dump | grep -q "${token#rbm_}"; then
	fail "the token appears nowhere in the database" "found it"
else
	ok "the token appears nowhere in the database"
fi
sql "token create is audited" "SELECT detail FROM audit_log WHERE action = 'token.create' AND object = 'user kofi'" "kobo sync"
run token create kofi --db "$db"
expect "token create without a label" 0 "^rbm_[0-9a-f]{64}$"
if [ "$(cat "$out")" != "$token" ]; then ok "each token is new"; else fail "each token is new" "same token twice"; fi
run token create nobody --db "$db"
expect "token create: no such user" 1 "" "^rbm: there is no user \"nobody\" \(see 'rbm user list'\)$"
run token create --db "$db"
expect "token create: no NAME" 2 "" "^rbm: token create: needs exactly one user NAME$"
run token create 'BAD NAME' --db "$db"
expect "token create: a bad name" 2 "" "^rbm: user name \"BAD NAME\""
sql "refused tokens stored nothing" "SELECT count(*) FROM api_tokens" 2

# ---------------------------------------------------------------- audit and help
run audit verify --db "$db"
expect "the audit chain holds after user changes" 0
run audit --db "$db"
expect "rbm audit shows user changes" 0 "tester +cli +user\.add +user kofi"
run help user add
expect "rbm help user add" 0 "RBM_PASSWORD"
has "rbm help user add: the roles" "administrator \(plan, cycles, users\)"
run --help
expect "rbm --help lists the user commands" 0 "^  user add "
has "rbm --help lists token create" "^  token create "
run user add --help
expect "rbm user add --help" 0 "^usage: rbm user add NAME --role ROLE"
