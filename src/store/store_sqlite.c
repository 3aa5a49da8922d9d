/*
 * store_sqlite.c - the SQLite storage back-end.
 *
 * One file, WAL journal, foreign keys on, synchronous=FULL so that a write
 * rbm reports as done survives a power cut. Every write runs inside one
 * BEGIN IMMEDIATE ... COMMIT; any failure rolls the whole write back. Plans
 * and places are stored by store_plan.c, through the query interface here.
 */
#include "store_int.h"
#include "store_sqlite_int.h"

#include "../core/alloc.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- helpers ---- */

enum rbm_rc rbm_store__sq_fail(struct rbm_store__sq *s, struct rbm_diag *d, const char *what)
{
	rbm_diag_add(d, s->path, NULL, "database error while %s: %s", what, sqlite3_errmsg(s->db));
	return RBM_ESTORE;
}

enum rbm_rc rbm_store__sq_exec(struct rbm_store__sq *s, const char *sql, const char *what, struct rbm_diag *d)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return rbm_store__sq_fail(s, d, what);
	return RBM_OK;
}

sqlite3_stmt *rbm_store__sq_prep(struct rbm_store__sq *s, const char *sql, struct rbm_diag *d)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
		rbm_store__sq_fail(s, d, "preparing a statement");
		return NULL;
	}
	return st;
}

void rbm_store__sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

/* Runs a bound statement that returns no rows, then resets it. */
enum rbm_rc rbm_store__sq_run(struct rbm_store__sq *s, sqlite3_stmt *st, const char *what, struct rbm_diag *d)
{
	int r = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (r != SQLITE_DONE)
		return rbm_store__sq_fail(s, d, what);
	return RBM_OK;
}

enum rbm_rc rbm_store__sq_begin(struct rbm_store__sq *s, bool write, struct rbm_diag *d)
{
	if (s->depth++ > 0)
		return RBM_OK;
	enum rbm_rc rc = rbm_store__sq_exec(s, write ? "BEGIN IMMEDIATE" : "BEGIN",
					    "starting a transaction", d);
	if (rc != RBM_OK)
		s->depth = 0;
	return rc;
}

enum rbm_rc rbm_store__sq_commit(struct rbm_store__sq *s, struct rbm_diag *d)
{
	if (s->depth == 0) {
		rbm_diag_add(d, s->path, NULL, "the transaction was rolled back");
		return RBM_ESTORE;
	}
	if (--s->depth > 0)
		return RBM_OK;
	return rbm_store__sq_exec(s, "COMMIT", "committing", d);
}

void rbm_store__sq_rollback(struct rbm_store__sq *s)
{
	if (s->depth == 0)
		return;
	s->depth = 0;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- the portable query interface ---- */

static enum rbm_rc sq_begin(void *impl, struct rbm_diag *d)
{
	return rbm_store__sq_begin(impl, true, d);
}

static enum rbm_rc sq_begin_read(void *impl, struct rbm_diag *d)
{
	return rbm_store__sq_begin(impl, false, d);
}

static enum rbm_rc sq_commit(void *impl, struct rbm_diag *d)
{
	return rbm_store__sq_commit(impl, d);
}

static void sq_rollback(void *impl)
{
	rbm_store__sq_rollback(impl);
}

static enum rbm_rc sq_prepare(void *impl, const char *sql, void **stmt, struct rbm_diag *d)
{
	sqlite3_stmt *st = rbm_store__sq_prep(impl, sql, d);
	if (st == NULL)
		return RBM_ESTORE;
	*stmt = st;
	return RBM_OK;
}

static void sq_finalize(void *stmt)
{
	sqlite3_finalize(stmt);
}

static void sq_bind_int(void *stmt, int i, long long v)
{
	sqlite3_bind_int64(stmt, i, v);
}

static void sq_bind_double(void *stmt, int i, double v)
{
	sqlite3_bind_double(stmt, i, v);
}

static void sq_bind_text(void *stmt, int i, const char *v)
{
	rbm_store__sq_bind_text(stmt, i, v);
}

static enum rbm_rc sq_step(void *impl, void *stmt, struct rbm_diag *d)
{
	int r = sqlite3_step(stmt);
	if (r == SQLITE_ROW)
		return RBM_OK;
	if (r == SQLITE_DONE)
		return RBM_ENOENT;
	struct rbm_store__sq *s = impl;
	rbm_diag_add(d, s->path, NULL, "database error: %s", sqlite3_errmsg(s->db));
	sqlite3_reset(stmt);
	return r == SQLITE_CONSTRAINT || (r & 0xff) == SQLITE_CONSTRAINT ? RBM_ECONFLICT : RBM_ESTORE;
}

static void sq_reset(void *stmt)
{
	sqlite3_reset(stmt);
	sqlite3_clear_bindings(stmt);
}

static long long sq_col_int(void *stmt, int col)
{
	return sqlite3_column_int64(stmt, col);
}

static double sq_col_double(void *stmt, int col)
{
	return sqlite3_column_double(stmt, col);
}

static const char *sq_col_text(void *stmt, int col)
{
	return (const char *)sqlite3_column_text(stmt, col);
}

static bool sq_col_is_null(void *stmt, int col)
{
	return sqlite3_column_type(stmt, col) == SQLITE_NULL;
}

static int sq_col_count(void *stmt)
{
	return sqlite3_data_count(stmt);
}

static const char *sq_col_name(void *stmt, int col)
{
	return sqlite3_column_name(stmt, col);
}

static enum rbm_col_kind sq_col_kind(void *stmt, int col)
{
	switch (sqlite3_column_type(stmt, col)) {
	case SQLITE_INTEGER:
		return RBM_COL_INT;
	case SQLITE_FLOAT:
		return RBM_COL_DOUBLE;
	case SQLITE_NULL:
		return RBM_COL_NULL;
	default:
		return RBM_COL_TEXT;
	}
}

static const char *sq_display(void *impl)
{
	return ((struct rbm_store__sq *)impl)->path;
}

static long long sq_last_id(void *impl)
{
	return sqlite3_last_insert_rowid(((struct rbm_store__sq *)impl)->db);
}

/* ---- open, close, migrations ---- */

static enum rbm_rc sq_schema_version(void *impl, int *out, struct rbm_diag *d)
{
	struct rbm_store__sq *s = impl;
	sqlite3_stmt *st = rbm_store__sq_prep(s,
				"SELECT count(*) FROM sqlite_master WHERE type='table' AND "
				"name='schema_migrations'",
				d);
	if (st == NULL)
		return RBM_ESTORE;
	int has = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (!has) {
		*out = 0;
		return RBM_OK;
	}
	st = rbm_store__sq_prep(s, "SELECT coalesce(max(version), 0) FROM schema_migrations", d);
	if (st == NULL)
		return RBM_ESTORE;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return rbm_store__sq_fail(s, d, "reading the schema version");
	}
	*out = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return RBM_OK;
}

static enum rbm_rc sq_migrate(void *impl, int target, struct rbm_diag *d)
{
	struct rbm_store__sq *s = impl;
	enum rbm_rc rc;
	int latest = RBM_STORE__SCHEMA_LATEST;
	if (target <= 0)
		target = latest;
	if (target > latest) {
		rbm_diag_add(d, s->path, NULL, "schema version %d is unknown (latest is %d)", target,
			     latest);
		return RBM_EINVAL;
	}
	rc = rbm_store__sq_begin(s, true, d);
	if (rc != RBM_OK)
		return rc;
	int version;
	rc = sq_schema_version(s, &version, d);
	if (rc != RBM_OK)
		goto fail;
	if (version > latest) {
		rbm_diag_add(d, s->path, NULL,
			     "the database has schema version %d, newer than this rbm knows (%d); "
			     "use a newer rbm",
			     version, latest);
		rc = RBM_EVERSION;
		goto fail;
	}
	for (size_t i = 0; i < rbm_store__sq_migrations_len; i++) {
		const struct rbm_store__sq_migration *m = &rbm_store__sq_migrations[i];
		if (m->version <= version || m->version > target)
			continue;
		char what[64];
		snprintf(what, sizeof what, "applying migration %d", m->version);
		for (const char *const *sql = m->sql; rc == RBM_OK && *sql; sql++)
			rc = rbm_store__sq_exec(s, *sql, what, d);
		if (rc != RBM_OK)
			goto fail;
		sqlite3_stmt *st = rbm_store__sq_prep(
			s, "INSERT INTO schema_migrations(version, description) VALUES (?, ?)", d);
		if (st == NULL) {
			rc = RBM_ESTORE;
			goto fail;
		}
		sqlite3_bind_int(st, 1, m->version);
		sqlite3_bind_text(st, 2, m->description, -1, SQLITE_STATIC);
		rc = rbm_store__sq_run(s, st, what, d);
		sqlite3_finalize(st);
		if (rc != RBM_OK)
			goto fail;
	}
	return rbm_store__sq_commit(s, d);
fail:
	rbm_store__sq_rollback(s);
	return rc;
}

static void sq_close(void *impl)
{
	struct rbm_store__sq *s = impl;
	if (s == NULL)
		return;
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

static enum rbm_rc sq_open(const char *url, int flags, void **impl, struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_OK;
	struct rbm_store__sq *s = rbm_xcalloc(1, sizeof *s);
	s->path = rbm_xstrdup(url);
	struct stat st;
	if (stat(url, &st) != 0) {
		if (!(flags & RBM_STORE_CREATE)) {
			rbm_diag_add(d, url, NULL, "no database here (create one with 'rbm init')");
			rc = RBM_ENOENT;
			goto out;
		}
	} else if (!S_ISREG(st.st_mode)) {
		rbm_diag_add(d, url, NULL, "not a database file");
		rc = RBM_EINVAL;
		goto out;
	}
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX |
		     ((flags & RBM_STORE_CREATE) ? SQLITE_OPEN_CREATE : 0);
	if (sqlite3_open_v2(url, &s->db, oflags, NULL) != SQLITE_OK) {
		rbm_diag_add(d, url, NULL, "cannot open the database: %s",
			     s->db ? sqlite3_errmsg(s->db) : "out of memory");
		rc = RBM_ESTORE;
		goto out;
	}
	sqlite3_busy_timeout(s->db, 5000);
	sqlite3_extended_result_codes(s->db, 1);
	/* A file that is not SQLite fails here, on the first read. */
	rc = rbm_store__sq_exec(s, "PRAGMA journal_mode=WAL", "opening (is this an rbm database?)", d);
	if (rc == RBM_OK)
		rc = rbm_store__sq_exec(s, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA cache_size=-65536",
					"setting up", d);
	if (rc != RBM_OK)
		goto out;
	int version;
	rc = sq_schema_version(s, &version, d);
	if (rc != RBM_OK)
		goto out;
	if (version > RBM_STORE__SCHEMA_LATEST) {
		rbm_diag_add(d, url, NULL,
			     "the database has schema version %d, newer than this rbm knows (%d); "
			     "use a newer rbm",
			     version, RBM_STORE__SCHEMA_LATEST);
		rc = RBM_EVERSION;
		goto out;
	}
	if (!(flags & RBM_STORE_NO_MIGRATE) && version < RBM_STORE__SCHEMA_LATEST) {
		rc = sq_migrate(s, 0, d);
		if (rc != RBM_OK)
			goto out;
	}
	*impl = s;
	s = NULL;
out:
	sq_close(s);
	return rc;
}

const struct rbm_store_ops rbm_store__sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.schema_version = sq_schema_version,
	.migrate = sq_migrate,
	.display = sq_display,
	.begin = sq_begin,
	.begin_read = sq_begin_read,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.bind_int = sq_bind_int,
	.bind_double = sq_bind_double,
	.bind_text = sq_bind_text,
	.step = sq_step,
	.reset = sq_reset,
	.col_int = sq_col_int,
	.col_double = sq_col_double,
	.col_text = sq_col_text,
	.col_is_null = sq_col_is_null,
	.col_count = sq_col_count,
	.col_name = sq_col_name,
	.col_kind = sq_col_kind,
	.last_id = sq_last_id,
};
