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
