# test_bad_input.sh - what the issue's "bad input" list throws at rbm serve, on the bundled plan
# with the 2021 sample: malformed JSON and form bodies, oversized bodies, traversal in download
# names, script in narratives and comments, SQL metacharacters in every field, 1,000 rapid
# sign-in attempts. Each is refused (or stored verbatim and shown escaped), the database stays
# consistent, and the server keeps answering others.
. tests/harness/cli.sh
. tests/harness/server.sh

db=$T/rbm.db
if ! sample_db "$db"; then
	echo "not ok - bad input: the sample database"
	exit 1
fi
if ! start_server "$db" --threads 2; then
	echo "not ok - bad input: rbm serve starts"
	exit 1
fi
ok "bad input: rbm serve starts on the sample"
amina=$(token amina)
rafael=$(token rafael)
admin=$(token admin)
out=$T/body

# req NAME WANT [CURL ARGS...]: one request, its status against WANT; the body in $out.
req() {
	name=$1
	want=$2
	shift 2
	code=$(curl -s -o "$out" -w '%{http_code}' "$@")
	if [ "$code" = "$want" ]; then
		ok "$name ($code)"
	else
		fail "$name" "status $code, expected $want: $(head -c 300 "$out")"
	fi
}
has() {
	if grep -q -- "$2" "$out"; then ok "$1"; else fail "$1" "no '$2' in: $(head -c 300 "$out")"; fi
}
hasnt() {
	if grep -q -- "$2" "$out"; then fail "$1" "'$2' in: $(head -c 300 "$out")"; else ok "$1"; fi
}
count() {
	sqlite3 "$db" "$1"
}

# --- malformed JSON: 400 naming where it stops; wrong shapes: 400 naming the member
before=$(count "SELECT count(*) FROM revisions")
req "JSON cut short is refused" 400 -X PUT -H "Authorization: Bearer $amina" -H 'Content-Type: application/json' \
	--data '{"answers": {"v_1_1_a": 12' "$B/api/v1/surveys/2022/KEN"
has "the problem names line and column" 'line 1, column'
req "a JSON body that is not an object is refused" 400 -X PUT -H "Authorization: Bearer $amina" \
	-H 'Content-Type: application/json' --data '[1,2]' "$B/api/v1/surveys/2022/KEN"
req "answers of the wrong type are refused" 400 -X PUT -H "Authorization: Bearer $amina" \
	-H 'Content-Type: application/json' --data '{"answers": 5}' "$B/api/v1/surveys/2022/KEN"
has "the problem names the member" 'answers'
req "a duplicate key is refused" 400 -X PUT -H "Authorization: Bearer $amina" -H 'Content-Type: application/json' \
	--data '{"answers": {}, "answers": {}}' "$B/api/v1/surveys/2022/KEN"
req "JSON sent as text/plain is a 415" 415 -X PUT -H "Authorization: Bearer $amina" -H 'Content-Type: text/plain' \
	--data '{"answers": {}}' "$B/api/v1/surveys/2022/KEN"
req "an answer of the wrong kind is a 422 naming the field" 422 -X PUT -H "Authorization: Bearer $amina" \
	-H 'Content-Type: application/json' --data '{"answers": {"v_1_1_a": {"x": 1}}}' "$B/api/v1/surveys/2022/KEN"
has "the field is named" '"field":"v_1_1_a"'
[ "$(count "SELECT count(*) FROM revisions")" = "$before" ] && ok "no malformed request stored a revision" ||
	fail "no malformed request stored a revision" "revisions: $before -> $(count "SELECT count(*) FROM revisions")"

# --- malformed form bodies
req "a form body with a broken escape is refused" 400 -X POST -H "Authorization: Bearer $admin" \
	-H 'Content-Type: application/x-www-form-urlencoded' --data '_action=open&year=%zz' "$B/admin/cycles"
has "the page says why" 'percent-encoded'
python3 -c 'import sys; sys.stdout.write("&".join("f%d=1" % i for i in range(5000)))' >"$T/many"
req "a form with 5,000 fields is refused" 413 -X POST -H "Authorization: Bearer $admin" \
	-H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$T/many" "$B/admin/cycles"

# --- oversized bodies: 413 before the body is read, and the server goes on
head -c 1100000 /dev/zero | tr '\0' 'a' >"$T/big"
req "a 1.1 MB JSON body is a 413" 413 -X PUT -H "Authorization: Bearer $amina" -H 'Content-Type: application/json' \
	--data-binary @"$T/big" "$B/api/v1/surveys/2022/KEN"
req "the server answers others after it" 200 "$B/healthz"

# --- traversal in download names and paths
for p in "/reports/2021/annual/..%2F..%2Fetc%2Fpasswd" "/reports/2021/annual/annual.en.pdf%00.txt" \
	"/reports/2021/annual/annual.en..pdf" "/reports/2021/annual/annual.EN.pdf" "/reports/2021/%2e%2e/annual" \
	"/reports/2021/annual/annual.en.exe" "/static/..%2f..%2fMakefile"; do
	code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $admin" "$B$p")
	case $code in
	400 | 404) ok "traversal refused: $p ($code)" ;;
	*) fail "traversal refused: $p" "status $code: $(head -c 200 "$out")" ;;
	esac
done

# --- script in narratives and comments: stored verbatim, shown escaped everywhere
script='<script>alert(1)</script><img src=x onerror=alert(2)>'
body=$(python3 -c 'import json, sys; print(json.dumps({"answers": {"v_1_1_a": 10, "o_1_1_narrative": sys.argv[1] + " O'"'"'Brien; DROP TABLE submissions; --", "o_1_1_lang": "en"}, "submit": True}))' "$script")
req "a narrative with script and SQL is accepted as text" 200 -X PUT -H "Authorization: Bearer $amina" \
	-H 'Content-Type: application/json' --data "$body" "$B/api/v1/surveys/2022/KEN"
id=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["submission"]["id"])' "$out")
req "the survey page shows it" 200 -H "Authorization: Bearer $amina" "$B/survey/2022/KEN"
has "escaped on the survey page" '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;'
hasnt "never raw on the survey page" '<script>alert'
req "the reviewer's page shows it" 200 -H "Authorization: Bearer $rafael" "$B/review/$id"
has "escaped on the review page" '&lt;script&gt;alert(1)'
hasnt "never raw on the review page" '<img src=x'
req "a return comment with script and SQL" 200 -X POST -H "Authorization: Bearer $rafael" \
	-H 'Content-Type: application/json' --data "{\"base_rev\": 1, \"comment\": \"$script' OR 1=1; --\"}" \
	"$B/api/v1/submissions/$id/return"
req "the reporter's home page shows the comment" 200 -H "Authorization: Bearer $amina" "$B/"
has "the comment is escaped on the home page" "&lt;script&gt;alert(1)&lt;/script&gt;.*OR 1=1; --"
hasnt "never raw on the home page" '<img src=x'
stored=$(count "SELECT comment FROM submissions WHERE id = $id")
[ "$stored" = "$script' OR 1=1; --" ] && ok "the comment is stored verbatim" || fail "the comment is stored verbatim" "$stored"
[ "$(count "SELECT count(*) FROM submissions")" -ge 75 ] && ok "no table was dropped" || fail "no table was dropped" ""

# --- SQL metacharacters in every kind of field
for q in "cycle=2021'%20OR%201=1--" "office=KEN'%3B%20DROP%20TABLE%20users%3B--" "status=approved'--" "region=%22%20OR%20%22%22=%22"; do
	code=$(curl -s -o "$out" -w '%{http_code}' -H "Authorization: Bearer $admin" "$B/api/v1/submissions?$q")
	case $code in
	200 | 400) ok "SQL in ?$q is only a value ($code)" ;;
	*) fail "SQL in ?$q is only a value" "status $code" ;;
	esac
done
req "SQL in a user name is refused by the name rule" 422 -X POST -H "Authorization: Bearer $admin" \
	-H 'Content-Type: application/json' --data "{\"name\": \"x'; DROP TABLE users; --\", \"role\": \"viewer\", \"password\": \"long enough pass\"}" \
	"$B/api/v1/users"
req "SQL in a path parameter is a 404" 404 -H "Authorization: Bearer $admin" "$B/api/v1/submissions/1%20OR%201=1"
req "SQL in an editorial key is refused by the key rule" 422 -X PUT -H "Authorization: Bearer $(token editor)" \
	-H 'Content-Type: application/json' --data '{"text": "x"}' "$B/api/v1/editorial/2021/annual/k'%3B--/en"
[ "$(count "SELECT count(*) FROM users")" = 5 ] && ok "users are intact" || fail "users are intact" "$(count "SELECT count(*) FROM users")"

# --- 1,000 rapid sign-in attempts: throttled, the right password refused while throttled, others served
curl -s -c "$T/jar" -o "$out" "$B/signin"
pre=$(sed -n 's/.*name="_pre" value="\([0-9a-f]*\)".*/\1/p' "$out" | head -n 1)
: >"$T/many.cfg"
i=0
while [ $i -lt 1000 ]; do
	echo "url = \"$B/signin\"" >>"$T/many.cfg"
	echo "output = /dev/null" >>"$T/many.cfg"
	i=$((i + 1))
done
t0=$(date +%s)
curl -s -H "Cookie: rbm_pre=$pre" -d "_pre=$pre&name=amina&password=wrong-password-1" -w '%{http_code}\n' -K "$T/many.cfg" >"$T/codes"
t1=$(date +%s)
n401=$(grep -c '^401$' "$T/codes")
n429=$(grep -c '^429$' "$T/codes")
if [ "$n401" -le 20 ] && [ $((n401 + n429)) -eq 1000 ]; then
	ok "1,000 wrong passwords: $n401 checked, $n429 throttled ($((t1 - t0)) s)"
else
	fail "1,000 wrong passwords are throttled" "401: $n401, 429: $n429, others: $(grep -vc '^40[19]$\|^429$' "$T/codes")"
fi
req "the right password is refused while throttled" 429 -H "Cookie: rbm_pre=$pre" \
	-d "_pre=$pre&name=amina&password=correct-horse-42" "$B/signin"
req "others are still served during the storm" 200 -H "Authorization: Bearer $rafael" "$B/api/v1/results/2021"

if server_clean; then
	ok "bad input: the server is alive and sanitizer-clean"
else
	fail "bad input: the server is alive and sanitizer-clean" "$(tail -n 12 "$T/server.err")"
fi
