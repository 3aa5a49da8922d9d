# test_authz.sh - who may do what: tests/web/authz.tsv drives every route of 'rbm serve --help'
# against every actor (the public, a viewer, reporters of their own and of another office,
# reviewers of the region and of another region, an editor, an administrator) on a real server,
# and asserts allowed, refused or hidden for each (issue 6). A route that no row exercises fails,
# so a new route cannot be added without its authorisation row. Then, with real cookie sessions:
# CSRF on state-changing forms, an expired session, and unknown bearer tokens.
#
# The database: the bundled plan, the 2021 sample collection, cycle 2022 open from today for 30
# days for KEN, BRA and ROAF, the 2021 highlights published, one user per actor, each with an API
# token. Writes in the table fail validation after authorisation, so allowed ones change nothing.
cd "$(dirname "$0")/../.." || exit 2
. tests/harness/cli.sh
. tests/harness/server.sh # start_server; the server is killed on exit, whatever the path

TABLE=${AUTHZ_TABLE:-tests/web/authz.tsv}
db=$T/rbm.db
log=$T/server.err
failed=0
started=$(date +%s)
export RBM_DATA_DIR="${RBM_DATA_DIR:-$PWD/data}"
PW=correct-horse-42
TAB=$(printf '\t')

# bad NAME WHY [BODYFILE]: a failed check, why, and the first 200 bytes of the answer's body.
bad() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	echo "# $2"
	if [ -n "${3:-}" ] && [ -s "$3" ]; then
		echo "# body: $(head -c 200 "$3" | tr '\n\r' '  ')"
	fi
}
# bail NAME WHY [LOG]: the setup failed; nothing else can be checked.
bail() {
	bad "$1" "$2"
	[ -n "${3:-}" ] && [ -f "$3" ] && tail -n 15 "$3" | sed 's/^/#   /'
	exit 1
}
# setup NAME: the last 'run' must have succeeded (expect says why not); else stop here.
setup() {
	expect "$1" 0
	[ "$status" -eq 0 ] || exit 1
}

# --- the database
run init --db "$db"
setup "authz: a database with the bundled plan"
if RBM=$RBM data/samples/2021/load.sh "$db" >"$T/load.log" 2>&1; then
	ok "authz: the 2021 sample collection loads"
else
	bail "authz: the 2021 sample collection loads" "data/samples/2021/load.sh failed" "$T/load.log"
fi
run cycle open 2022 --from "$(date +%F)" --to "$(date -d '+30 days' +%F)" --offices KEN,BRA,ROAF --db "$db"
setup "authz: cycle 2022 open from today for KEN, BRA and ROAF"
# The report text of 2021 (load.sh imports none), so that the published highlights render.
run editorial import data/samples/2021/editorial/highlights.json --db "$db"
setup "authz: the 2021 highlights text imports"
run editorial import data/samples/2021/editorial/annual.json --db "$db"
setup "authz: the 2021 annual report text imports"
run report publish highlights --cycle 2021 --db "$db"
setup "authz: the 2021 highlights published"

# actor_user ACTOR: the user name behind a column of the table.
actor_user() {
	case $1 in
	viewer) echo viewer ;;
	reporter_own) echo amina ;;
	reporter_other) echo pedro ;;
	reviewer_region) echo rafael ;;
	reviewer_other) echo rosa ;;
	editor) echo editor ;;
	admin) echo admin ;;
	*) echo "" ;;
	esac
}
# add_user NAME ROLE [--office O | --region R]: the password from $RBM_PASSWORD; an API token
# for the user in $T/token.NAME.
add_user() {
	u_name=$1 u_role=$2
	shift 2
	RBM_PASSWORD=$PW run user add "$u_name" --role "$u_role" "$@" --db "$db"
	setup "authz: user $u_name, $u_role${1:+ $*}"
	run token create "$u_name" --label authz --db "$db"
	setup "authz: an API token for $u_name"
	grep -m1 '^rbm_[0-9a-f]*$' "$out" >"$T/token.$u_name"
	[ -s "$T/token.$u_name" ] || bail "authz: the token of $u_name" "no rbm_... line in: $(head -c 200 "$out")"
}
add_user admin administrator
add_user editor editor
add_user rafael reviewer --region ROAF
add_user rosa reviewer --region ROLAC
add_user amina reporter --office KEN
add_user pedro reporter --office BRA
add_user viewer viewer

# sub_id OFFICE: the id of the office's 2021 submission.
sub_id() {
	"$RBM" submissions list --cycle 2021 --office "$1" --db "$db" 2>/dev/null |
		awk -v o="$1" '$2 == "2021" && $3 == o { print $1; exit }'
}
KEN_ID=$(sub_id KEN)
BRA_ID=$(sub_id BRA)
case "$KEN_ID.$BRA_ID" in
*[!0-9.]* | .* | *.) bail "authz: the 2021 submissions of KEN and BRA" "ids '$KEN_ID' and '$BRA_ID'" ;;
esac
ok "authz: the 2021 submissions of KEN ($KEN_ID) and BRA ($BRA_ID)"

# --- the routes, as the server lists them
"$RBM" serve --help >"$T/help" 2>&1
awk '/^Routes:/ { on = 1; next }
	on && $1 ~ /^(GET|HEAD|POST|PUT|PATCH|DELETE)$/ && $2 ~ /^\// { print $1 "\t" $2 "\t" $3 }' \
	"$T/help" >"$T/routes"
nroutes=$(wc -l <"$T/routes" | tr -d ' ')
if [ "$nroutes" -gt 0 ]; then
	ok "authz: 'rbm serve --help' lists $nroutes routes"
else
	bail "authz: 'rbm serve --help' lists the routes" "none found" "$T/help"
fi

# --- the server, on a free port
start_server "$db" --threads 2 || bail "authz: rbm serve starts and prints its address" "no server" "$log"
ok "authz: rbm serve starts and prints its address"

# request METHOD PATH BODY [CURL ARGS...]: one request; sets $code and $loc (the redirect's
# target), the body in $T/body. BODY as in the table.
request() {
	r_method=$1 r_path=$2 r_body=$3
	shift 3
	set -- -s --path-as-is --max-time 120 -o "$T/body" -w '%{http_code} %{redirect_url}' \
		-X "$r_method" "$@"
	case $r_body in
	none) ;;
	form:*)
		set -- "$@" -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "${r_body#form:}"
		r_pre=$(printf '%s\n' "${r_body#form:}" | tr '&' '\n' | sed -n 's/^_pre=//p' | head -n 1)
		[ -n "$r_pre" ] && set -- "$@" -H "Cookie: rbm_pre=$r_pre"
		;;
	json:*) set -- "$@" -H 'Content-Type: application/json' --data-binary "${r_body#json:}" ;;
	*)
		code=bad-body loc=""
		return
		;;
	esac
	rm -f "$T/body"
	r=$(curl "$@" "$B$r_path")
	code=${r%% *}
	loc=${r#* }
}

# verdict [METHOD]: the letter for the last answer: A allowed, D refused, H hidden, X broken.
# A GET is allowed when it is answered (2xx, or a redirect elsewhere than /signin); a write also
# when it is refused by validation after authorisation (400, 409, 422...).
verdict() {
	case $code in
	401 | 403) echo D ;;
	404) echo H ;;
	3[0-9][0-9])
		case $loc in
		"$B/signin" | "$B/signin?"* | /signin | "/signin?"*) echo D ;;
		*) echo A ;;
		esac
		;;
	[12][0-9][0-9]) echo A ;;
	4[0-9][0-9])
		case ${1:-POST} in
		GET | HEAD) echo X ;;
		*) echo A ;;
		esac
		;;
	*) echo X ;;
	esac
}
word() {
	case $1 in
	A) echo allowed ;;
	D) echo refused ;;
	H) echo hidden ;;
	*) echo broken ;;
	esac
}

# subst TEXT: the placeholders of the table filled in.
subst() {
	printf '%s\n' "$1" | sed "s/{KEN_ID}/$KEN_ID/g; s/{BRA_ID}/$BRA_ID/g"
}

# --- the table
header=$(grep -v '^#' "$TABLE" | grep -m1 '^METHOD')
want_header="METHOD${TAB}PATH${TAB}BODY${TAB}public${TAB}viewer${TAB}reporter_own${TAB}reporter_other${TAB}reviewer_region${TAB}reviewer_other${TAB}editor${TAB}admin"
if [ "$header" = "$want_header" ]; then
	ok "authz: $TABLE names the eight actors in order"
else
	bail "authz: $TABLE names the eight actors in order" "header: $header"
fi
actors="public viewer reporter_own reporter_other reviewer_region reviewer_other editor admin"

rows=0
: >"$T/rows"
grep -v '^#' "$TABLE" | grep -v '^METHOD' | grep -v '^[[:space:]]*$' >"$T/table"
while IFS=$TAB read -r method path body l1 l2 l3 l4 l5 l6 l7 l8 extra; do
	rows=$((rows + 1))
	path=$(subst "$path")
	body=$(subst "$body")
	printf '%s\t%s\n' "$method" "${path%%\?*}" >>"$T/rows"
	if [ -z "$l8" ] || [ -n "$extra" ]; then
		bad "authz: row $rows ($method $path) has a letter for each of the 8 actors" "letters: $l1 $l2 $l3 $l4 $l5 $l6 $l7 $l8 $extra"
		continue
	fi
	set -- "$l1" "$l2" "$l3" "$l4" "$l5" "$l6" "$l7" "$l8"
	for actor in $actors; do
		want=$1
		shift
		name="$method $path as $actor"
		case $want in
		A | D | H) ;;
		*)
			bad "$name" "the table says '$want': expected A, D or H"
			continue
			;;
		esac
		user=$(actor_user "$actor")
		if [ -n "$user" ]; then
			request "$method" "$path" "$body" -H "Authorization: Bearer $(cat "$T/token.$user")"
		else
			request "$method" "$path" "$body"
		fi
		got=$(verdict "$method")
		shown="$code${loc:+ to ${loc#"$B"}}"
		if [ "$got" = "$want" ]; then
			ok "$name: $(word "$got") ($shown)"
		else
			bad "$name: $(word "$want")" "got $shown ($(word "$got")), expected $(word "$want")" "$T/body"
		fi
	done
done <"$T/table"

# --- every route has a row; every row names a route (the first that matches, as the router picks)
awk -F '\t' '
	function matches(pat, path,   np, nq, ps, qs, i) {
		np = split(pat, ps, "/")
		nq = split(path, qs, "/")
		for (i = 2; i <= np; i++) {
			if (i > nq)
				return 0
			if (ps[i] ~ /^\{.*\.\.\.\}$/)
				return 1
			if (ps[i] ~ /^\{.*\}$/) {
				if (qs[i] == "")
					return 0
				continue
			}
			if (ps[i] != qs[i])
				return 0
		}
		return np == nq
	}
	FNR == NR { m[NR] = $1; p[NR] = $2; role[NR] = $3; count[NR] = 0; nr = NR; next }
	{
		found = 0
		for (i = 1; i <= nr; i++)
			if (m[i] == $1 && matches(p[i], $2)) { count[i]++; found = 1; break }
		if (!found)
			print "row\t" $1 "\t" $2
	}
	END { for (i = 1; i <= nr; i++) print "route\t" m[i] "\t" p[i] "\t" role[i] "\t" count[i] }
' "$T/routes" "$T/rows" >"$T/coverage"
while IFS=$TAB read -r kind method pattern role count; do
	if [ "$kind" = row ]; then
		bad "authz: the row $method $pattern exercises a route" "no route of 'rbm serve --help' matches it"
	elif [ "$count" -gt 0 ]; then
		ok "authz: route $method $pattern ($role) is exercised by $count row(s)"
	else
		bad "authz: route $method $pattern ($role) is exercised by a row of $TABLE" \
			"no row: add one with a letter for each actor"
	fi
done <"$T/coverage"

# --- a reporter's list of submissions holds only its office's; a viewer's holds none
# total QUERY USER: the "total" of GET /api/v1/submissions?QUERY as USER.
total() {
	request GET "/api/v1/submissions?$1" none -H "Authorization: Bearer $(cat "$T/token.$2")"
	sed -n 's/.*"total":\([0-9][0-9]*\).*/\1/p' "$T/body"
}
t=$(total "cycle=2021&office=KEN" amina)
[ "$t" = 1 ] && ok "authz: amina's list of KEN's 2021 submissions holds 1" ||
	bad "authz: amina's list of KEN's 2021 submissions holds 1" "status $code, total '$t'" "$T/body"
t=$(total "cycle=2021&office=KEN" pedro)
[ "$t" = 0 ] && ok "authz: pedro's list of KEN's 2021 submissions is empty" ||
	bad "authz: pedro's list of KEN's 2021 submissions is empty" "status $code, total '$t'" "$T/body"
t=$(total "cycle=2021&office=KEN" rosa)
[ "$t" = 0 ] && ok "authz: rosa's (ROLAC) list of KEN's 2021 submissions is empty" ||
	bad "authz: rosa's (ROLAC) list of KEN's 2021 submissions is empty" "status $code, total '$t'" "$T/body"
t=$(total "cycle=2021" viewer)
[ "$t" = 0 ] && ok "authz: the viewer's list of submissions is empty" ||
	bad "authz: the viewer's list of submissions is empty" "status $code, total '$t'" "$T/body"

# --- cookie sessions: sign in as a browser does, then CSRF on the forms that change things
# signin USER: a session for USER in the cookie jar $T/jar.USER (GET /signin, then POST it).
signin() {
	jar=$T/jar.$1
	rm -f "$jar"
	curl -s --max-time 10 -c "$jar" -b "$jar" -o "$T/signin.html" "$B/signin"
	pre=$(sed -n 's/.*name="_pre" value="\([0-9a-f]*\)".*/\1/p' "$T/signin.html" | head -n 1)
	r=$(curl -s --max-time 10 -c "$jar" -b "$jar" -o "$T/body" -w '%{http_code} %{redirect_url}' \
		--data-urlencode "_pre=$pre" --data-urlencode "name=$1" --data-urlencode "password=$PW" "$B/signin")
	if [ -n "$pre" ] && [ "$r" = "303 $B/" ] && grep -q 'rbm_session' "$jar"; then
		ok "authz: $1 signs in with the form (303 to /, a session cookie)"
	else
		bad "authz: $1 signs in with the form (303 to /, a session cookie)" "pre '$pre', answer '$r'" "$T/body"
	fi
}
# csrf_token USER PAGE: the _csrf hidden field of PAGE, read with USER's session.
csrf_token() {
	curl -s --max-time 60 -b "$T/jar.$1" -o "$T/page.html" "$B$2"
	sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/page.html" | head -n 1
}
# csrf_checks USER PATH FORM PAGE: POST FORM to PATH with USER's session without _csrf, with a
# forged one, with the page's one in the form and in the X-CSRF-Token header.
FORGED=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
# csrf_refused NAME: the last answer is the router's 403 for a CSRF token that does not match.
csrf_refused() {
	if [ "$code" = 403 ] && grep -q 'CSRF' "$T/body"; then
		ok "authz: $1: refused (403, CSRF)"
	else
		bad "authz: $1: refused (403, CSRF)" "got $code $loc" "$T/body"
	fi
}
csrf_checks() {
	user=$1 path=$2 form=$3 page=$4
	jar=$T/jar.$user
	tok=$(csrf_token "$user" "$page")
	if [ ${#tok} -eq 64 ]; then
		ok "authz: $page as $user carries a _csrf field"
	else
		bad "authz: $page as $user carries a _csrf field" "found '$tok'" "$T/page.html"
	fi
	[ "$tok" = "$FORGED" ] && FORGED=fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210
	request POST "$path" "form:$form" -b "$jar"
	csrf_refused "POST $path as $user (cookie) without _csrf"
	request POST "$path" "form:$form&_csrf=$FORGED" -b "$jar"
	csrf_refused "POST $path as $user (cookie) with a forged _csrf"
	request POST "$path" "form:$form" -b "$jar" -H "X-CSRF-Token: $FORGED"
	csrf_refused "POST $path as $user (cookie) with a forged X-CSRF-Token"
	case $path in
	/signout) ;; # the right token signs out: checked last, below
	*)
		request POST "$path" "form:$form" -b "$jar" -H "X-CSRF-Token: $tok"
		v=$(verdict)
		[ "$v" = A ] && ok "authz: POST $path as $user (cookie) with the right X-CSRF-Token: allowed ($code)" ||
			bad "authz: POST $path as $user (cookie) with the right X-CSRF-Token: allowed" "got $code $loc" "$T/body"
		request POST "$path" "form:$form&_csrf=$tok" -b "$jar"
		v=$(verdict)
		[ "$v" = A ] && ok "authz: POST $path as $user (cookie) with the right _csrf: allowed ($code)" ||
			bad "authz: POST $path as $user (cookie) with the right _csrf: allowed" "got $code $loc" "$T/body"
		;;
	esac
}
signin amina
csrf_checks amina /survey/2022/KEN "_action=save&v_1_1_a=-5" /survey/2022/KEN
signin rafael
csrf_checks rafael "/review/$KEN_ID" "_action=neither&_rev=999" "/review/$KEN_ID"
signin admin
csrf_checks admin /admin/cycles "_action=open&year=2021&from=2022-01-10&to=2022-02-28" /admin
signin viewer
csrf_checks viewer /signout "" /results/2021
tok=$(csrf_token viewer /results/2021)
request POST /signout "form:_csrf=$tok" -b "$T/jar.viewer"
[ "$code" = 303 ] && [ "$loc" = "$B/" ] && ok "authz: POST /signout as viewer (cookie) with the right _csrf: signed out (303 to /)" ||
	bad "authz: POST /signout as viewer (cookie) with the right _csrf: signed out (303 to /)" "got $code $loc" "$T/body"
request GET /api/v1/results/2021 none -b "$T/jar.viewer"
[ "$code" = 401 ] && ok "authz: the signed-out session no longer reads the API (401)" ||
	bad "authz: the signed-out session no longer reads the API (401)" "got $code $loc" "$T/body"

# --- an expired session: the pages send the browser to sign in, the API answers 401
signin editor
request GET /results/2021 none -b "$T/jar.editor"
[ "$code" = 200 ] && ok "authz: GET /results/2021 with editor's session: 200" ||
	bad "authz: GET /results/2021 with editor's session: 200" "got $code $loc" "$T/body"
if sqlite3 -cmd '.timeout 5000' "$db" "UPDATE sessions SET expires_at = 0" 2>"$T/sqlite.err"; then
	ok "authz: every session expired in the database"
else
	bad "authz: every session expired in the database" "$(head -c 200 "$T/sqlite.err")"
fi
request GET /results/2021 none -b "$T/jar.editor"
[ "$code" = 303 ] && [ "$loc" = "$B/signin?next=/results/2021" ] &&
	ok "authz: GET /results/2021 with an expired session: 303 to /signin?next=/results/2021" ||
	bad "authz: GET /results/2021 with an expired session: 303 to /signin?next=/results/2021" "got $code $loc" "$T/body"
request GET /api/v1/results/2021 none -b "$T/jar.editor"
[ "$code" = 401 ] && ok "authz: GET /api/v1/results/2021 with an expired session: 401" ||
	bad "authz: GET /api/v1/results/2021 with an expired session: 401" "got $code $loc" "$T/body"
grep -q '"status":401' "$T/body" && ok "authz: the 401 is a problem document" ||
	bad "authz: the 401 is a problem document" "no \"status\":401" "$T/body"
request POST /admin/cycles "form:_action=open&year=2021" -b "$T/jar.admin"
[ "$code" = 401 ] && ok "authz: POST /admin/cycles with an expired session: 401" ||
	bad "authz: POST /admin/cycles with an expired session: 401" "got $code $loc" "$T/body"

# --- bearer tokens that are not ones
for auth in "Bearer rbm_0000000000000000000000000000000000000000000000000000000000000000" \
	"Bearer $(cat "$T/token.admin")x" "Bearer not-a-token" "Bearer " "Basic YWRtaW46Y29ycmVjdC1ob3JzZS00Mg=="; do
	request GET /api/v1/users none -H "Authorization: $auth"
	shown=$(printf '%s' "$auth" | cut -c 1-24)
	[ "$code" = 401 ] && ok "authz: GET /api/v1/users with 'Authorization: $shown...': 401" ||
		bad "authz: GET /api/v1/users with 'Authorization: $shown...': 401" "got $code $loc" "$T/body"
done
request PUT /api/v1/surveys/2022/KEN 'json:{"answers":{"v_1_1_a":-5}}' -H "Authorization: Bearer rbm_unknown"
[ "$code" = 401 ] && ok "authz: PUT /api/v1/surveys/2022/KEN with an unknown token: 401" ||
	bad "authz: PUT /api/v1/surveys/2022/KEN with an unknown token: 401" "got $code $loc" "$T/body"

# --- the server survived, without a sanitizer report
if ! kill -0 "$pid" 2>/dev/null; then
	bad "authz: rbm serve ran through every check" "the server is gone" "$log"
	tail -n 15 "$log" | sed 's/^/#   /'
elif grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$log"; then
	bad "authz: rbm serve ran through every check without a sanitizer report" \
		"$(grep -m1 'runtime error\|AddressSanitizer\|LeakSanitizer' "$log")"
	grep -A 12 'runtime error\|AddressSanitizer\|LeakSanitizer' "$log" | head -n 15 | sed 's/^/#   /'
else
	ok "authz: rbm serve ran through every check without a sanitizer report"
fi
echo "# $rows rows, $nroutes routes, $n checks, $failed failed, $(($(date +%s) - started)) s"
[ "$failed" -eq 0 ]
