#!/bin/sh
# test_store_pg.sh - the store's unit tests (tests/store/test_store.c) on a real PostgreSQL server:
# tests/harness/pg.sh starts a throw-away one (a Unix socket in a temporary folder, no TCP) and
# removes it afterwards; the same test program run by tests/run.sh alone tests SQLite.
cd "$(dirname "$0")/../.." || exit 2
. tests/harness/pg.sh
if ! pg_start; then
	echo "not ok 1 - a PostgreSQL server for the store tests"
	exit 1
fi
build/asan/tests/store/test_store
