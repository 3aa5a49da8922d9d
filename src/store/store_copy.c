/*
 * store_copy.c - copying a whole database between back-ends (rbm db copy).
 *
 * Written on the portable query interface, so any back-end copies to any
 * other, each table through a bulk insert (COPY on PostgreSQL). Rows keep
 * their ids (the audit log's hash chain, and every reference, stay as they
 * were); the source is read from one snapshot and the target written in one
 * transaction, so a failed copy stores nothing.
 */
#include "store_int.h"

#include "../core/alloc.h"

#include <stdlib.h>
#include <string.h>

/*
 * rbm's tables, parents before children. A column that refers to its own
 * table (offices whose parent comes later in the file) is copied in a second
 * pass, once every row exists.
 */
static const struct table {
	const char *name;
	const char *order; /* ORDER BY for a stable copy */
	const char *self;  /* a column referring to the table itself, or NULL */
} tables[] = {
	{"schema_migrations", "version", NULL},
	{"plans", "id", NULL},
	{"texts", "owner, owner_id, field, lang", NULL},
	{"levels", "id", NULL},
	{"results", "id", "parent_id"},
	{"disaggregations", "id", NULL},
	{"categories", "id", NULL},
	{"indicators", "id", NULL},
	{"targets", "indicator_id, year", NULL},
	{"indicator_disaggregations", "indicator_id, disaggregation_id", NULL},
	{"tags", "id", NULL},
	{"result_tags", "result_id, tag_id", NULL},
	{"offices", "id", "parent_id"},
	{"office_places", "office_id, kind, code", NULL},
	{"office_indicators", "office_id, indicator_id", NULL},
	{"cities", "id", NULL},
	{"regions", "id", NULL},
	{"countries", "id", NULL},
	{"cycles", "id", NULL},
	{"cycle_offices", "cycle_id, office", NULL},
	{"submissions", "id", NULL},
	{"revisions", "id", NULL},
	{"revision_values", NULL, NULL},
	{"revision_outcomes", NULL, NULL},
	{"revision_tags", NULL, NULL},
	{"forms", "id", NULL},
	{"submission_events", "id", NULL},
	{"audit_log", "id", NULL},
	{"data_values", "id", NULL},
	{"data_generation", "id", NULL},
	{"editorial", "id", NULL},
	{"users", "id", NULL},
	{"sessions", "id", NULL},
	{"api_tokens", "id", NULL},
	{"sign_in_attempts", NULL, NULL},
	{"publications", "report, year", NULL},
};

#define NTABLES (sizeof tables / sizeof *tables)

const char *rbm_store_table(size_t i)
{
	return i < NTABLES ? tables[i].name : NULL;
}

static const struct table *find_table(const char *name)
{
	for (size_t i = 0; i < NTABLES; i++)
		if (strcmp(tables[i].name, name) == 0)
			return &tables[i];
	return NULL;
}

enum rbm_rc rbm_store_count(struct rbm_store *s, const char *table, long long *out,
			    struct rbm_diag *d)
{
	if (find_table(table) == NULL) {
		rbm_diag_add(d, NULL, NULL, "no table \"%s\" in rbm's schema", table);
		return RBM_EINVAL;
	}
	char *sql = rbm_xasprintf("SELECT count(*) FROM %s", table);
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, sql, &q, d);
	free(sql);
	if (rc == RBM_OK && (rc = rbm_query_step(q, d)) == RBM_OK)
		*out = rbm_query_int(q, 0);
	rbm_query_free(q);
	return rc;
}

/* Adds column col of the row q stands on as value i of the bulk insert, of the same kind. */
static void bulk_cell(struct rbm_bulk *b, int i, struct rbm_query *q, int col)
{
	switch (rbm_query_kind(q, col)) {
	case RBM_COL_NULL:
		rbm_bulk_text(b, i, NULL);
		break;
	case RBM_COL_INT:
		rbm_bulk_int(b, i, rbm_query_int(q, col));
		break;
	case RBM_COL_DOUBLE:
		rbm_bulk_double(b, i, rbm_query_double(q, col));
		break;
	case RBM_COL_TEXT:
		rbm_bulk_text(b, i, rbm_query_text(q, col));
		break;
	}
}

/* Starts the bulk insert of t with the columns of q's row (quoted); finds id and t->self. */
static enum rbm_rc start_bulk(struct rbm_store *to, const struct table *t, struct rbm_query *q,
			      int *self, int *id, struct rbm_bulk **b, struct rbm_diag *d)
{
	int n = rbm_query_columns(q);
	char **cols = rbm_xcalloc((size_t)n + 1, sizeof *cols);
	for (int c = 0; c < n; c++) {
		const char *name = rbm_query_column_name(q, c);
		if (t->self && strcmp(name, t->self) == 0)
			*self = c;
		if (strcmp(name, "id") == 0)
			*id = c;
		cols[c] = rbm_xasprintf("\"%s\"", name);
	}
	enum rbm_rc rc = rbm_store_bulk_begin(to, t->name, (const char *const *)cols, n, b, d);
	for (int c = 0; c < n; c++)
		free(cols[c]);
	free(cols);
	return rc;
}

static enum rbm_rc copy_table(struct rbm_store *from, struct rbm_store *to,
			      const struct table *t, struct rbm_diag *d)
{
	struct rbm_query *q = NULL, *link = NULL;
	struct rbm_bulk *b = NULL;
	char *sql = rbm_xasprintf("SELECT * FROM %s%s%s", t->name, t->order ? " ORDER BY " : "",
				  t->order ? t->order : "");
	enum rbm_rc rc = rbm_store_query(from, sql, &q, d);
	free(sql);
	int self = -1, id = -1, n = 0;
	bool started = false;
	while (rc == RBM_OK && (rc = rbm_query_step(q, d)) == RBM_OK) {
		if (!started) {
			n = rbm_query_columns(q);
			if ((rc = start_bulk(to, t, q, &self, &id, &b, d)) != RBM_OK)
				break;
			started = true;
		}
		for (int c = 0; c < n; c++) {
			if (c == self && id >= 0)
				rbm_bulk_text(b, c + 1, NULL); /* linked in the second pass */
			else
				bulk_cell(b, c + 1, q, c);
		}
		rc = rbm_store_bulk_row(b, d);
	}
	if (rc == RBM_ENOENT)
		rc = RBM_OK;
	if (rc == RBM_OK && b) {
		rc = rbm_store_bulk_end(b, d);
		b = NULL;
	}
	rbm_store_bulk_free(b);
	/* Second pass: the references to rows of the same table. */
	if (rc == RBM_OK && started && self >= 0 && id >= 0) {
		sql = rbm_xasprintf("UPDATE %s SET %s = ? WHERE id = ?", t->name, t->self);
		rc = rbm_store_query(to, sql, &link, d);
		free(sql);
		if (rc == RBM_OK)
			rbm_query_reset(q);
		while (rc == RBM_OK && (rc = rbm_query_step(q, d)) == RBM_OK) {
			if (rbm_query_is_null(q, self))
				continue;
			rbm_query_bind_int(link, 1, rbm_query_int(q, self));
			rbm_query_bind_int(link, 2, rbm_query_int(q, id));
			rc = rbm_query_exec(link, d);
		}
		if (rc == RBM_ENOENT)
			rc = RBM_OK;
	}
	rbm_query_free(q);
	rbm_query_free(link);
	if (rc == RBM_OK && id >= 0 && to->ops->sync_ids)
		rc = to->ops->sync_ids(to->impl, t->name, d);
	return rc;
}

/* Drops every table of rbm's schema in to, children first, and makes the schema again. */
static enum rbm_rc drop_all(struct rbm_store *to, struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_OK;
	for (size_t i = NTABLES; rc == RBM_OK && i-- > 0;) {
		char *sql = rbm_xasprintf("DROP TABLE IF EXISTS %s", tables[i].name);
		struct rbm_query *q = NULL;
		rc = rbm_store_query(to, sql, &q, d);
		if (rc == RBM_OK)
			rc = rbm_query_exec(q, d);
		rbm_query_free(q);
		free(sql);
	}
	if (rc == RBM_OK)
		rc = rbm_store_migrate(to, 0, d);
	return rc;
}

enum rbm_rc rbm_store_copy(struct rbm_store *from, struct rbm_store *to, bool replace,
			   struct rbm_diag *d)
{
	int vf = 0, vt = 0;
	if (strcmp(rbm_store__name(from), rbm_store__name(to)) == 0) {
		rbm_diag_add(d, rbm_store__name(to), NULL, "is the database copied from");
		return RBM_EINVAL;
	}
	enum rbm_rc rc = rbm_store_schema_version(from, &vf, d);
	if (rc == RBM_OK)
		rc = rbm_store_schema_version(to, &vt, d);
	if (rc != RBM_OK)
		return rc;
	if (vf != vt) {
		rbm_diag_add(d, NULL, NULL,
			     "the databases have schema versions %d and %d; open both with this rbm first",
			     vf, vt);
		return RBM_EVERSION;
	}
	if (!replace) {
		/* Migrations seed schema_migrations and data_generation; anything else is data. */
		for (size_t i = 0; i < NTABLES; i++) {
			long long n = 0;
			if (strcmp(tables[i].name, "schema_migrations") == 0 ||
			    strcmp(tables[i].name, "data_generation") == 0)
				continue;
			if ((rc = rbm_store_count(to, tables[i].name, &n, d)) != RBM_OK)
				return rc;
			if (n > 0) {
				rbm_diag_add(d, rbm_store__name(to), NULL,
					     "holds data already (%lld row%s in %s); use --replace to "
					     "replace it all",
					     n, n == 1 ? "" : "s", tables[i].name);
				return RBM_ECONFLICT;
			}
		}
	}
	/* One snapshot of the source; one transaction on the target. */
	if ((rc = rbm_store_begin_read(from, d)) != RBM_OK)
		return rc;
	if ((rc = rbm_store_begin(to, d)) != RBM_OK) {
		rbm_store_rollback(from);
		return rc;
	}
	if (replace)
		rc = drop_all(to, d);
	for (size_t i = 0; rc == RBM_OK && i < NTABLES; i++) {
		if (strcmp(tables[i].name, "schema_migrations") == 0)
			continue; /* the target's own, already at the same version */
		long long n = 0;
		rc = rbm_store_count(to, tables[i].name, &n, d);
		if (rc == RBM_OK && n > 0) {
			char *sql = rbm_xasprintf("DELETE FROM %s", tables[i].name);
			struct rbm_query *q = NULL;
			if ((rc = rbm_store_query(to, sql, &q, d)) == RBM_OK)
				rc = rbm_query_exec(q, d);
			rbm_query_free(q);
			free(sql);
		}
		if (rc == RBM_OK)
			rc = copy_table(from, to, &tables[i], d);
	}
	if (rc == RBM_OK)
		rc = rbm_store_commit(to, d);
	else
		rbm_store_rollback(to);
	rbm_store_rollback(from);
	return rc;
}
