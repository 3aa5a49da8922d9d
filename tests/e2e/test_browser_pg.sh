# test_browser_pg.sh - the browser scenarios of test_browser.sh again, with the database on a
# throw-away PostgreSQL server (tests/harness/pg.sh): the web application's every page, form and
# decision through the PostgreSQL back-end.
cd "$(dirname "$0")/../.." || exit 2
. tests/harness/pg.sh
if ! pg_start; then
	echo "not ok 1 - e2e on PostgreSQL: a server"
	exit 1
fi
RBM_E2E_DB=$(pg_createdb e2e) sh tests/e2e/test_browser.sh
