/*
 * db.h - the database a test runs on: a SQLite file in test_tmpdir(), or,
 * when RBM_TEST_PG_URL names a PostgreSQL server (tests/harness/pg.sh starts
 * one), a fresh database on that server. Tests written on these run on both
 * back-ends; tests/store/test_store_pg.sh runs them on PostgreSQL.
 */
#ifndef RBM_TEST_DB_H
#define RBM_TEST_DB_H

#include <stdbool.h>

/* True when the tests run on PostgreSQL. */
bool test_db_pg(void);
/* "SQLite" or "PostgreSQL". */
const char *test_db_backend(void);
/*
 * A fresh, empty database called name (a file, or a database dropped and
 * created again); returns its path or URL, valid until the program exits.
 * Exits the program when the server refuses.
 */
const char *test_db_new(const char *name);
/* PostgreSQL: the same, with ICU's en-US as the database's collation (not byte order). */
const char *test_db_new_icu(const char *name);
/* Runs sql on db through a connection of its own, as another program would. */
bool test_db_exec(const char *db, const char *sql);
/* The first column of the first row of sql on db, as an integer; -1 on failure. */
long long test_db_int(const char *db, const char *sql);

#endif
