/*
 * store.c - choosing a storage back-end and forwarding to it.
 *
 * A postgres:// or postgresql:// URL selects PostgreSQL (store_pg.c),
 * anything else is a SQLite file (store_sqlite.c). Plans and places are
 * stored by store_plan.c on the portable query interface, for both.
 */
#include "store_int.h"

#include "../core/alloc.h"
#include "../core/buf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool rbm_store_is_postgres(const char *url)
{
	return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0;
}

enum rbm_rc rbm_store_open(const char *url, int flags, struct rbm_store **out,
			   struct rbm_diag *d)
{
	const struct rbm_store_ops *ops =
		rbm_store_is_postgres(url) ? &rbm_store__pg_ops : &rbm_store__sqlite_ops;
	void *impl = NULL;
	enum rbm_rc rc = ops->open(url, flags, &impl, d);
	if (rc != RBM_OK)
		return rc;
	struct rbm_store *s = rbm_xmalloc(sizeof *s);
	s->ops = ops;
	s->impl = impl;
	*out = s;
	return RBM_OK;
}

void rbm_store_close(struct rbm_store *s)
{
	if (s == NULL)
		return;
	s->ops->close(s->impl);
	free(s);
}

const char *rbm_store_backend(const struct rbm_store *s)
{
	return s->ops->name;
}

const char *rbm_store__name(struct rbm_store *s)
{
	return s->ops->display(s->impl);
}

int rbm_store_schema_latest(void)
{
	return RBM_STORE__SCHEMA_LATEST;
}

enum rbm_rc rbm_store_schema_version(struct rbm_store *s, int *out, struct rbm_diag *d)
{
	return s->ops->schema_version(s->impl, out, d);
}

enum rbm_rc rbm_store_migrate(struct rbm_store *s, int target, struct rbm_diag *d)
{
	return s->ops->migrate(s->impl, target, d);
}

enum rbm_rc rbm_store_put_places(struct rbm_store *s, const struct rbm_places *places,
				 struct rbm_diag *d)
{
	return rbm_store__put_places(s, places, d);
}

enum rbm_rc rbm_store_get_places(struct rbm_store *s, struct rbm_places **out,
				 struct rbm_diag *d)
{
	return rbm_store__get_places(s, out, d);
}

enum rbm_rc rbm_store_put_plan(struct rbm_store *s, const struct rbm_plan *plan, bool replace,
			       bool *changed, struct rbm_diag *d)
{
	return rbm_store__put_plan(s, plan, replace, changed, d);
}

enum rbm_rc rbm_store_get_plan(struct rbm_store *s, const char *code, struct rbm_plan **out,
			       struct rbm_diag *d)
{
	return rbm_store__get_plan(s, code, out, d);
}

enum rbm_rc rbm_store_begin(struct rbm_store *s, struct rbm_diag *d)
{
	return s->ops->begin(s->impl, d);
}

enum rbm_rc rbm_store_begin_read(struct rbm_store *s, struct rbm_diag *d)
{
	return s->ops->begin_read(s->impl, d);
}

enum rbm_rc rbm_store_commit(struct rbm_store *s, struct rbm_diag *d)
{
	return s->ops->commit(s->impl, d);
}

void rbm_store_rollback(struct rbm_store *s)
{
	s->ops->rollback(s->impl);
}

enum rbm_rc rbm_store_query(struct rbm_store *s, const char *sql, struct rbm_query **out,
			    struct rbm_diag *d)
{
	void *stmt = NULL;
	enum rbm_rc rc = s->ops->prepare(s->impl, sql, &stmt, d);
	if (rc != RBM_OK)
		return rc;
	struct rbm_query *q = rbm_xmalloc(sizeof *q);
	q->store = s;
	q->stmt = stmt;
	*out = q;
	return RBM_OK;
}

void rbm_query_free(struct rbm_query *q)
{
	if (q == NULL)
		return;
	q->store->ops->finalize(q->stmt);
	free(q);
}

void rbm_query_bind_int(struct rbm_query *q, int i, long long v)
{
	q->store->ops->bind_int(q->stmt, i, v);
}

void rbm_query_bind_double(struct rbm_query *q, int i, double v)
{
	q->store->ops->bind_double(q->stmt, i, v);
}

void rbm_query_bind_text(struct rbm_query *q, int i, const char *v)
{
	q->store->ops->bind_text(q->stmt, i, v);
}

enum rbm_rc rbm_query_step(struct rbm_query *q, struct rbm_diag *d)
{
	return q->store->ops->step(q->store->impl, q->stmt, d);
}

enum rbm_rc rbm_query_exec(struct rbm_query *q, struct rbm_diag *d)
{
	enum rbm_rc rc = rbm_query_step(q, d);
	rbm_query_reset(q);
	return rc == RBM_ENOENT ? RBM_OK : rc;
}

void rbm_query_reset(struct rbm_query *q)
{
	q->store->ops->reset(q->stmt);
}

long long rbm_query_int(struct rbm_query *q, int col)
{
	return q->store->ops->col_int(q->stmt, col);
}

double rbm_query_double(struct rbm_query *q, int col)
{
	return q->store->ops->col_double(q->stmt, col);
}

const char *rbm_query_text(struct rbm_query *q, int col)
{
	return q->store->ops->col_text(q->stmt, col);
}

bool rbm_query_is_null(struct rbm_query *q, int col)
{
	return q->store->ops->col_is_null(q->stmt, col);
}

int rbm_query_columns(struct rbm_query *q)
{
	return q->store->ops->col_count(q->stmt);
}

const char *rbm_query_column_name(struct rbm_query *q, int col)
{
	return q->store->ops->col_name(q->stmt, col);
}

enum rbm_col_kind rbm_query_kind(struct rbm_query *q, int col)
{
	return q->store->ops->col_kind(q->stmt, col);
}

long long rbm_store_last_id(struct rbm_store *s)
{
	return s->ops->last_id(s->impl);
}

/* ---- bulk inserts ---- */

struct rbm_bulk {
	struct rbm_store *store;
	int n;
	char **values;        /* the row's values as text, for a back-end's own bulk insert */
	void *impl;           /* the back-end's bulk insert, or NULL: */
	struct rbm_query *ins; /* a prepared INSERT */
};

enum rbm_rc rbm_store_bulk_begin(struct rbm_store *s, const char *table, const char *const *cols,
				 int ncols, struct rbm_bulk **out, struct rbm_diag *d)
{
	struct rbm_bulk *b = rbm_xcalloc(1, sizeof *b);
	b->store = s;
	b->n = ncols;
	b->values = rbm_xcalloc((size_t)ncols + 1, sizeof *b->values);
	enum rbm_rc rc;
	if (s->ops->bulk_begin) {
		rc = s->ops->bulk_begin(s->impl, table, cols, ncols, &b->impl, d);
	} else {
		struct rbm_buf sql;
		rbm_buf_init(&sql, 0);
		rbm_buf_addf(&sql, "INSERT INTO %s(", table);
		for (int i = 0; i < ncols; i++)
			rbm_buf_addf(&sql, "%s%s", i ? ", " : "", cols[i]);
		rbm_buf_adds(&sql, ") VALUES (");
		for (int i = 0; i < ncols; i++)
			rbm_buf_adds(&sql, i ? ", ?" : "?");
		rbm_buf_adds(&sql, ")");
		rc = rbm_store_query(s, rbm_buf_str(&sql), &b->ins, d);
		rbm_buf_free(&sql);
	}
	if (rc != RBM_OK) {
		free(b->values);
		free(b);
		return rc;
	}
	*out = b;
	return RBM_OK;
}

static void bulk_set(struct rbm_bulk *b, int i, char *v)
{
	if (i < 1 || i > b->n) {
		free(v);
		return;
	}
	free(b->values[i - 1]);
	b->values[i - 1] = v;
}

void rbm_bulk_int(struct rbm_bulk *b, int i, long long v)
{
	if (b->ins)
		rbm_query_bind_int(b->ins, i, v);
	else
		bulk_set(b, i, rbm_xasprintf("%lld", v));
}

void rbm_bulk_double(struct rbm_bulk *b, int i, double v)
{
	if (b->ins)
		rbm_query_bind_double(b->ins, i, v);
	else if (isnan(v))
		bulk_set(b, i, rbm_xstrdup("NaN"));
	else if (isinf(v))
		bulk_set(b, i, rbm_xstrdup(v > 0 ? "Infinity" : "-Infinity"));
	else
		bulk_set(b, i, rbm_xasprintf("%.17g", v));
}

void rbm_bulk_text(struct rbm_bulk *b, int i, const char *v)
{
	if (b->ins)
		rbm_query_bind_text(b->ins, i, v);
	else
		bulk_set(b, i, v ? rbm_xstrdup(v) : NULL);
}

enum rbm_rc rbm_store_bulk_row(struct rbm_bulk *b, struct rbm_diag *d)
{
	if (b->ins)
		return rbm_query_exec(b->ins, d);
	enum rbm_rc rc = b->store->ops->bulk_row(b->impl, (const char *const *)b->values, d);
	for (int i = 0; i < b->n; i++) {
		free(b->values[i]);
		b->values[i] = NULL;
	}
	return rc;
}

static enum rbm_rc bulk_finish(struct rbm_bulk *b, bool ok, struct rbm_diag *d)
{
	if (b == NULL)
		return RBM_OK;
	enum rbm_rc rc = RBM_OK;
	if (b->ins)
		rbm_query_free(b->ins);
	else
		rc = b->store->ops->bulk_end(b->impl, ok, d);
	for (int i = 0; i < b->n; i++)
		free(b->values[i]);
	free(b->values);
	free(b);
	return rc;
}

enum rbm_rc rbm_store_bulk_end(struct rbm_bulk *b, struct rbm_diag *d)
{
	return bulk_finish(b, true, d);
}

void rbm_store_bulk_free(struct rbm_bulk *b)
{
	bulk_finish(b, false, NULL);
}
