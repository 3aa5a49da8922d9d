/*
 * store_sqlite_int.h - private to the SQLite back-end's files.
 *
 * store_sqlite.c holds the connection, migrations and queries;
 * store_sqlite_schema.c is the schema. The helpers below report failures
 * to a struct rbm_diag, naming the database file.
 */
#ifndef RBM_STORE_STORE_SQLITE_INT_H
#define RBM_STORE_STORE_SQLITE_INT_H

#include "store.h"

#include <sqlite3.h>
#include <stddef.h>

struct rbm_store__sq {
	sqlite3 *db;
	char *path;
	int depth; /* nesting of rbm_store__sq_begin() */
};

struct rbm_store__sq_migration {
	int version;
	const char *description;
	const char *const *sql; /* statements, NULL-terminated */
};

extern const struct rbm_store__sq_migration rbm_store__sq_migrations[];
extern const size_t rbm_store__sq_migrations_len;

/* Adds "database error while WHAT: sqlite's message"; returns RBM_ESTORE. */
enum rbm_rc rbm_store__sq_fail(struct rbm_store__sq *s, struct rbm_diag *d, const char *what);
enum rbm_rc rbm_store__sq_exec(struct rbm_store__sq *s, const char *sql, const char *what,
			       struct rbm_diag *d);
/* NULL (and a problem in d) when sql does not compile. */
sqlite3_stmt *rbm_store__sq_prep(struct rbm_store__sq *s, const char *sql, struct rbm_diag *d);
/* Binds v, or NULL when v is NULL. */
void rbm_store__sq_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Steps a statement that returns no rows, then resets and clears it. */
enum rbm_rc rbm_store__sq_run(struct rbm_store__sq *s, sqlite3_stmt *st, const char *what,
			      struct rbm_diag *d);
/* Transactions nest: only the outermost BEGIN and COMMIT reach SQLite. */
enum rbm_rc rbm_store__sq_begin(struct rbm_store__sq *s, bool write, struct rbm_diag *d);
enum rbm_rc rbm_store__sq_commit(struct rbm_store__sq *s, struct rbm_diag *d);
/* Rolls back the outermost transaction (a no-op outside one). */
void rbm_store__sq_rollback(struct rbm_store__sq *s);

#endif
