# server.sh - start 'rbm serve' for a test script and always stop it (source after cli.sh).
#
#   start_server DB [ARGS...]   serves DB on a free loopback port with ARGS; sets $pid, $port
#                               and $B (http://127.0.0.1:PORT); its stderr goes to $T/server.err.
#                               Returns 1 (server gone, or no address in 10 s) after printing why.
#   stop_server                 kills it (also run on EXIT, with $T removed).
#   server_clean                true when the server is alive and its log has no sanitizer report.
pid=""
port=""
B=""

stop_server() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	fi
	pid=""
}
trap 'stop_server; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM

start_server() {
	db=$1
	shift
	"$RBM" serve --db "$db" --bind 127.0.0.1 --port 0 "$@" >"$T/serve.out" 2>"$T/server.err" &
	pid=$!
	port=""
	i=0
	while [ $i -lt 100 ]; do
		port=$(sed -n 's|^rbm: serving http://127\.0\.0\.1:\([0-9][0-9]*\)/ (Ctrl-C to stop)$|\1|p' \
			"$T/serve.out" 2>/dev/null)
		if [ -n "$port" ] && curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz"; then
			break
		fi
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	B=http://127.0.0.1:$port
	if [ -z "$port" ] || ! kill -0 "$pid" 2>/dev/null; then
		echo "# rbm serve did not start: $(head -c 300 "$T/server.err")"
		return 1
	fi
	return 0
}

server_clean() {
	kill -0 "$pid" 2>/dev/null && ! grep -q 'runtime error\|AddressSanitizer\|LeakSanitizer' "$T/server.err"
}

# sample_db DB: the bundled plan, the 2021 sample collection, cycle 2022 open from today for
# KEN and ROAF, and one user per role with the password correct-horse-42: admin, editor,
# rafael (reviewer, ROAF), amina (reporter, KEN), viewer; an API token for each in
# $T/tokens as "NAME TOKEN" lines. Returns 1 after printing why when a step fails.
sample_db() {
	sdb=$1
	"$RBM" init --db "$1" >"$T/sample.log" 2>&1 &&
		RBM=$RBM data/samples/2021/load.sh "$1" >>"$T/sample.log" 2>&1 &&
		"$RBM" cycle open 2022 --from "$(date +%F)" --to "$(date -d '+30 days' +%F)" \
			--offices KEN,ROAF --db "$1" >>"$T/sample.log" 2>&1 || {
		echo "# the sample database: $(tail -n 3 "$T/sample.log")"
		return 1
	}
	: >"$T/tokens"
	for u in "admin administrator" "editor editor" "rafael reviewer --region ROAF" \
		"amina reporter --office KEN" "viewer viewer"; do
		# shellcheck disable=SC2086
		set -- $u
		name=$1
		shift
		RBM_PASSWORD=correct-horse-42 "$RBM" user add "$name" --role "$@" --db "$sdb" >>"$T/sample.log" 2>&1 &&
			tok=$("$RBM" token create "$name" --db "$sdb" 2>>"$T/sample.log" | grep -o 'rbm_[0-9a-f]*' | head -n 1)
		if [ -z "${tok:-}" ]; then
			echo "# the sample database: no user or token for $name: $(tail -n 2 "$T/sample.log")"
			return 1
		fi
		echo "$name $tok" >>"$T/tokens"
	done
	return 0
}

# token NAME: the API token sample_db made for NAME.
token() {
	awk -v n="$1" '$1 == n { print $2 }' "$T/tokens"
}
