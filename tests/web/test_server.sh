# test_server.sh - 'rbm serve' as a browser, a monitor and a misbehaving client see it:
# a real server on a free loopback port, spoken to with curl and raw sockets.
. tests/harness/cli.sh
. tests/harness/server.sh

db=$T/rbm.db
log=$T/server.err

run init --db "$db" --plan tests/cases/plans/small.json
expect "a database to serve" 0
run cycle open 2021 --from 2022-01-15 --to 2022-03-31 --db "$db"
expect "a cycle to list" 0
run cycle open 2022 --from 2023-01-16 --to 2023-02-28 --offices KEN,ROAF --db "$db"
expect "a cycle for some offices only" 0

# --- usage errors come before any socket is opened
run serve --db "$db" --port 70000
expect "serve --port out of range" 2 "" "^rbm: serve: --port: expected a number from 0 to 65535, got '70000'"
run serve --db "$db" --bind nowhere --port 0
expect "serve --bind needs an address" 2 "" "^rbm: --bind: 'nowhere' is not an IPv4 or IPv6 address"
run serve --db "$T/none.db" --port 0
expect "serve without a database" 1 "" "no database here"
run serve --help
expect "serve --help lists the route table" 0 "GET +/healthz +public"

# --- start on a free port (--port 0), one worker thread, a short idle timeout
start_server "$db" --threads 1 --timeout 2
out=$T/body
err=$T/headers
if [ -z "$port" ] || ! kill -0 "$pid" 2>/dev/null; then
	fail "rbm serve starts and prints its address" "no server; stderr: $(head -c 300 "$log")"
	echo "not ok - the server tests need a server"
	exit 1
fi
ok "rbm serve starts and prints its address"

# get NAME WANT_STATUS [CURL ARGS...]: one request; headers to $err, body to $out.
code=""
get() {
	name=$1 want=$2
	shift 2
	rm -f "$out" "$err"
	code=$(curl -s --path-as-is --max-time 5 -D "$err" -o "$out" -w '%{http_code}' "$@")
	if [ "$code" = "$want" ]; then ok "$name"; else fail "$name" "status $code, expected $want"; fi
}
# has NAME PATTERN FILE: grep -Ei PATTERN in FILE.
has() {
	if grep -Eiq -- "$2" "$3"; then ok "$1"; else fail "$1" "no /$2/ in $(basename "$3")"; fi
}

# --- health and version
get "GET /healthz is 200" 200 "$B/healthz"
[ "$(cat "$out")" = "ok" ] && ok "/healthz says ok" || fail "/healthz says ok" "body: $(head -c 80 "$out")"
has "/healthz is text/plain" '^content-type: text/plain; charset=utf-8' "$err"
get "GET /api/v1/version is 200" 200 "$B/api/v1/version"
has "/api/v1/version is JSON" '^content-type: application/json' "$err"
has "/api/v1/version names rbm's version" '"version":"[0-9]+\.[0-9]+\.[0-9]+"' "$out"
get "HEAD /healthz is 200" 200 -I "$B/healthz"
has "HEAD tells the length" '^content-length: 3' "$err"
get "GET /api/v1/plan is 200" 200 "$B/api/v1/plan"
has "/api/v1/plan is JSON" '^content-type: application/json; charset=utf-8' "$err"
"$RBM" plan show --db "$db" --format json >"$T/plan.json" 2>/dev/null
if [ -s "$T/plan.json" ] && cmp -s "$out" "$T/plan.json"; then
	ok "/api/v1/plan is the bytes 'rbm plan show --format json' prints"
else
	fail "/api/v1/plan is the bytes 'rbm plan show --format json' prints" \
		"$(wc -c <"$out") bytes served, $(wc -c <"$T/plan.json") printed"
fi
get "GET /api/v1/cycles is 200" 200 "$B/api/v1/cycles"
has "/api/v1/cycles is JSON" '^content-type: application/json; charset=utf-8' "$err"
has "/api/v1/cycles lists the open cycles with their windows and offices" \
	'^\[\{"year":2021,"opens":"2022-01-15","closes":"2022-03-31","state":"open","any_place":false,"offices":null\},\{"year":2022,"opens":"2023-01-16","closes":"2023-02-28","state":"open","any_place":false,"offices":\["KEN","ROAF"\]\}\]$' "$out"
run cycle close 2021 --db "$db"
expect "the cycle closes while the server runs" 0
get "GET /api/v1/cycles again is 200" 200 "$B/api/v1/cycles"
has "/api/v1/cycles reads the database live: the cycle is closed now" '"state":"closed"' "$out"
get "GET /api/v1/offices?lang=fr is 200" 200 "$B/api/v1/offices?lang=fr"
has "/api/v1/offices answers in the language asked" '^content-language: fr' "$err"
has "/api/v1/offices: a country office, its parent and countries, English where French is missing" \
	'\{"code":"KEN","name":"Kenya office","name_lang":"en","kind":"country","parent":"ROAF","seat":null,"countries":\["KEN"\]\}' "$out"
has "/api/v1/offices: headquarters has no parent, and a seat" \
	'\{"code":"HQ","name":"Headquarters","name_lang":"en","kind":"headquarters","parent":null,"seat":"Nairobi, Kenya","countries":\[\]\}' "$out"

# --- static files, gzip, ETag and 304
get "GET /static/rbm.css is 200" 200 "$B/static/rbm.css"
has "the stylesheet is text/css" '^content-type: text/css' "$err"
cmp -s "$out" data/web/rbm.css && ok "the stylesheet is served whole" || fail "the stylesheet is served whole" "differs"
if grep -qi '^content-encoding:' "$err"; then fail "no gzip unless asked" "encoded"; else ok "no gzip unless asked"; fi
get "gzip when asked" 200 -H 'Accept-Encoding: gzip' "$B/static/rbm.css"
has "gzip when asked: Content-Encoding" '^content-encoding: gzip' "$err"
has "gzip when asked: Vary" '^vary:.*accept-encoding' "$err"
gzip -dc <"$out" | cmp -s - data/web/rbm.css && ok "the gzipped stylesheet unpacks to the file" ||
	fail "the gzipped stylesheet unpacks to the file" "differs"
get "gzip;q=0 is refused gzip" 200 -H 'Accept-Encoding: gzip;q=0, identity' "$B/static/rbm.css"
if grep -qi '^content-encoding:' "$err"; then fail "gzip;q=0 means no gzip" "encoded"; else ok "gzip;q=0 means no gzip"; fi
get "curl --compressed" 200 --compressed "$B/api/v1/version"
etag=$(curl -s -D - -o /dev/null "$B/static/rbm.css" | tr -d '\r' | sed -n 's/^[Ee][Tt][Aa][Gg]: //p')
[ -n "$etag" ] && ok "the stylesheet has an ETag" || fail "the stylesheet has an ETag" "none"
get "If-None-Match with the ETag is 304" 304 -H "If-None-Match: $etag" "$B/static/rbm.css"
[ ! -s "$out" ] && ok "304 has no body" || fail "304 has no body" "$(wc -c <"$out") bytes"
has "304 states the length of the 200" "^content-length: $(wc -c <data/web/rbm.css | tr -d ' ')" "$err"
get "304 for gzip states the gzipped length" 304 -H 'Accept-Encoding: gzip' -H "If-None-Match: $etag" "$B/static/rbm.css"
has "304 for gzip names its encoding" '^content-encoding: gzip' "$err"
has "304 repeats the ETag" "^etag: W/" "$err"
get "If-None-Match with another ETag is 200" 200 -H 'If-None-Match: "other"' "$B/static/rbm.css"
get "a missing static file is 404" 404 "$B/static/none.css"

# --- 404, 405, problem+json, languages
get "an unknown page is 404" 404 "$B/no/such/page"
has "404 is an HTML page" '^content-type: text/html' "$err"
xmllint --noout "$out" 2>"$T/x.err" && ok "the 404 page is well-formed" || fail "the 404 page is well-formed" "$(head -3 "$T/x.err")"
get "an unknown API path is 404" 404 "$B/api/v1/nothing"
has "API errors are problem+json" '^content-type: application/problem\+json' "$err"
has "the problem has type, title and status" '"type":"about:blank".*"title":"Not Found".*"status":404' "$out"
get "POST to a GET route is 405" 405 -X POST -d 'x=1' "$B/healthz"
has "405 names the allowed methods" '^allow: GET, HEAD, OPTIONS' "$err"
get "DELETE /api/v1/version is 405" 405 -X DELETE "$B/api/v1/version"
has "405 on the API is problem+json" '"status":405' "$out"
get "OPTIONS answers 204" 204 -X OPTIONS "$B/healthz"
has "OPTIONS names the allowed methods" '^allow: GET, HEAD, OPTIONS' "$err"
get "pages follow Accept-Language" 404 -H 'Accept-Language: de;q=0.9, fr;q=0.8' "$B/nope"
has "a French page says lang=fr" '<html lang="fr" dir="ltr">' "$out"
get "Arabic pages run right to left" 404 "$B/nope?lang=ar"
has "an Arabic page says dir=rtl" '<html lang="ar" dir="rtl">' "$out"

# --- path traversal and malformed paths are refused
for p in "/static/../README.md" "/static/%2e%2e/%2e%2e/etc/passwd" "/static/%2E%2E/README.md" \
	"/static/..%2fREADME.md" "/static//etc/passwd" "/static/%2fetc/passwd" "/static/a%00.css" \
	"/static/.hidden" "/../../etc/passwd" "/static/rbm.css%00.txt" "/static/%zz"; do
	code=$(curl -s --path-as-is --max-time 5 -o "$out" -w '%{http_code}' "$B$p")
	case $code in
	400 | 404) ok "traversal refused: $p ($code)" ;;
	*) fail "traversal refused: $p" "status $code" ;;
	esac
	if grep -q "root:" "$out" || grep -q "results-based monitoring" "$out"; then
		fail "traversal leaks nothing: $p" "a file outside data/web was served"
	fi
done
get "a NUL in a query parameter is 400" 400 "$B/healthz?a=%00"

# --- request bodies over the limit (1 MiB)
head -c 2000000 /dev/zero >"$T/big"
get "an oversized POST is 413" 413 --data-binary @"$T/big" "$B/api/v1/version"
has "413 on the API is problem+json" '"status":413' "$out"
get "an oversized chunked POST is 413" 413 -H 'Transfer-Encoding: chunked' --data-binary @"$T/big" "$B/api/v1/version"
head -c 12000000 /dev/zero >"$T/huge"
code=$(curl -s --max-time 10 -o /dev/null -w '%{http_code}' -H 'Transfer-Encoding: chunked' --data-binary @"$T/huge" "$B/api/v1/version")
case $code in
200) fail "a chunked body far past the limit is cut off" "status $code" ;;
*) ok "a chunked body far past the limit is cut off ($code)" ;;
esac
rm -f "$T/big" "$T/huge"
get "the server still answers after 413" 200 "$B/healthz"

# --- keep-alive: two requests, one connection
conns=$(curl -s -o /dev/null -o /dev/null -w '%{num_connects}\n' "$B/healthz" "$B/api/v1/version" | tr '\n' ' ')
[ "$conns" = "1 0 " ] && ok "keep-alive: the second request reuses the connection" ||
	fail "keep-alive: the second request reuses the connection" "new connections per request: $conns"

# --- slow clients: half a request on a raw socket holds no worker (there is one)
slow() { # slow N: sends half a request, then waits for the server to close the socket
	bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
		printf "GET /healthz HTTP/1.1\r\nHost: slow\r\n" >&3
		cat <&3 >/dev/null
		echo closed' slow "$port" >"$T/slow.$1" 2>&1 &
}
slow 1
s1=$!
slow 2
s2=$!
sleep 0.5
t0=$(date +%s)
get "a slow client does not block others" 200 --max-time 2 "$B/healthz"
get "nor do two" 200 --max-time 2 "$B/api/v1/version"
# --timeout 2: the server closes the idle half-request.
i=0
while [ $i -lt 80 ] && { kill -0 $s1 2>/dev/null || kill -0 $s2 2>/dev/null; }; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 $s1 2>/dev/null || kill -0 $s2 2>/dev/null; then
	fail "slow clients are dropped after the timeout" "still connected after 8 s"
	kill $s1 $s2 2>/dev/null
else
	ok "slow clients are dropped after the timeout ($(($(date +%s) - t0)) s)"
fi
wait $s1 $s2 2>/dev/null

# --- the access log: address, method, path, status, bytes, milliseconds
has "the access log has one line per request" '^127\.0\.0\.1 GET /healthz 200 3 [0-9]+\.[0-9]ms$' "$log"
has "the access log records refusals" '^127\.0\.0\.1 POST /api/v1/version 413 [0-9]+ [0-9.]+ms' "$log"
has "the access log keeps the path as sent" '^127\.0\.0\.1 GET /static/%2e%2e/%2e%2e/etc/passwd 400 ' "$log"

# --- SIGTERM: a request in flight is answered, new connections are refused, exit 0
bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
	printf "POST /api/v1/version HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n12345" >&3
	sleep 1.5
	printf "67890" >&3
	head -n 1 <&3' inflight "$port" >"$T/inflight" 2>&1 &
inflight=$!
sleep 0.5
kill -TERM "$pid"
sleep 0.5
if curl -s -o /dev/null --max-time 2 "$B/healthz"; then
	fail "after SIGTERM new connections are refused" "curl connected"
else
	ok "after SIGTERM new connections are refused"
fi
wait $inflight
has "the request in flight at SIGTERM is answered" '^HTTP/1\.1 405' "$T/inflight"
i=0
while [ $i -lt 100 ] && kill -0 "$pid" 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$pid" 2>/dev/null; then
	fail "SIGTERM stops the server" "still running after 10 s"
else
	wait "$pid"
	status=$?
	pid=""
	[ "$status" -eq 0 ] && ok "SIGTERM stops the server with exit status 0" ||
		fail "SIGTERM stops the server with exit status 0" "status $status; $(tail -5 "$log")"
fi
has "the server says it stopped" '^rbm: stopped$' "$log"
if grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$log"; then
	fail "the server is sanitizer-clean" "$(grep -m3 'runtime error\|Sanitizer' "$log")"
else
	ok "the server is sanitizer-clean"
fi
