# pg.sh - a throw-away PostgreSQL server for a test script (source it; after cli.sh and server.sh
# when those are used too). It installs nothing: scripts/install-deps.sh installs postgresql.
#
#   pg_start          initdb into a fresh temporary directory (as the postgres user when run as
#                     root, since initdb refuses root), starts the server listening only on a Unix
#                     socket in that directory (no TCP), creates the database "rbm" and exports
#                     RBM_TEST_PG_URL (postgresql:///rbm?host=DIR&user=USER). Sets $PG_DIR and
#                     $PG_USER. Returns 1 after printing why.
#   pg_url NAME       the URL of database NAME on that server
#   pg_createdb NAME  creates database NAME (UTF-8) and prints its URL
#   pg_psql DB ARGS   psql on database DB, quiet, stopping at the first error
#   pg_restart        stops the server (fast: sessions are cut) and starts it again
#   pg_stop           stops the server and removes the directory; also run on EXIT, with
#                     stop_server (server.sh) and the removal of $T (cli.sh) when those are in use.
#
# The server trusts local connections, except for the role rbm_pw, which must give the password
# "right-password" (SCRAM): the wrong-password tests use it. For speed, it does not fsync
# (a throw-away server); PG_DURABLE=1 keeps PostgreSQL's durable defaults (bench/storage.sh).
PG_DIR=""
PG_USER=""
PG_BIN=""

_pg_as() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_stop() {
	if [ -n "$PG_DIR" ] && [ -d "$PG_DIR" ]; then
		if [ -f "$PG_DIR/data/postmaster.pid" ]; then
			_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1
		fi
		rm -rf "$PG_DIR"
	fi
	PG_DIR=""
}

_pg_cleanup() {
	pg_stop
	if command -v stop_server >/dev/null 2>&1; then
		stop_server
	fi
	if [ -n "${T:-}" ]; then
		rm -rf "$T"
	fi
}
trap _pg_cleanup EXIT
trap 'exit 1' INT TERM HUP

pg_url() {
	echo "postgresql:///$1?host=$PG_DIR&user=$PG_USER"
}

pg_psql() {
	_db=$1
	shift
	psql -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -U "$PG_USER" -d "$_db" "$@"
}

pg_createdb() {
	pg_psql postgres -c "CREATE DATABASE \"$1\" TEMPLATE template0 ENCODING 'UTF8'" >/dev/null &&
		pg_url "$1"
}

_pg_ctl_start() {
	_fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ "${PG_DURABLE:-}" = 1 ] && _fast=""
	_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w -t 60 \
		-o "-k $PG_DIR -c listen_addresses='' $_fast" start >/dev/null
}

pg_restart() {
	_pg_as "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null && _pg_ctl_start
}

pg_start() {
	PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
	if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
		echo "# no PostgreSQL server found under /usr/lib/postgresql (scripts/install-deps.sh installs it)"
		return 1
	fi
	# The folder holds the socket (a path of at most 107 bytes) and, as root, belongs to postgres,
	# which must be able to reach it: else /tmp.
	_base=${TMPDIR:-/tmp}
	if [ ${#_base} -gt 60 ] || { [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$_base"; }; then
		_base=/tmp
	fi
	PG_DIR=$(mktemp -d "$_base/rbm-pg.XXXXXX") || return 1
	if [ "$(id -u)" -eq 0 ]; then
		PG_USER=postgres
		chown postgres: "$PG_DIR"
	else
		PG_USER=$(id -un)
	fi
	if ! _pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_USER" -E UTF8 --locale=C.UTF-8 \
		--auth=trust -N >"$PG_DIR/initdb.log" 2>&1; then
		echo "# initdb failed: $(tail -n 3 "$PG_DIR/initdb.log")"
		return 1
	fi
	printf '%s\n' "local all rbm_pw scram-sha-256" "local all all trust" \
		>"$PG_DIR/data/pg_hba.conf"
	if ! _pg_ctl_start; then
		echo "# the PostgreSQL server did not start: $(tail -n 3 "$PG_DIR/log" 2>/dev/null)"
		return 1
	fi
	if ! pg_psql postgres -c "CREATE ROLE rbm_pw LOGIN PASSWORD 'right-password'" >/dev/null ||
		! pg_createdb rbm >/dev/null; then
		echo "# could not create the test database"
		return 1
	fi
	RBM_TEST_PG_URL=$(pg_url rbm)
	export RBM_TEST_PG_URL
	return 0
}
