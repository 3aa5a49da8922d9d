/*
 * store_sqlite.c - the SQLite storage back-end.
 *
 * One file, WAL journal, foreign keys on, synchronous=FULL so that a write
 * rbm reports as done survives a power cut. Every write runs inside one
 * BEGIN IMMEDIATE ... COMMIT; any failure rolls the whole write back.
 */
#include "store_int.h"
#include "store_sqlite_int.h"

#include "../core/alloc.h"
#include "../core/arena.h"

#include <errno.h>
#include <jansson.h>
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

const char *rbm_store__sq_col_text(sqlite3_stmt *st, int i, struct rbm_arena *a)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? rbm_arena_strdup(a, (const char *)t) : NULL;
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

/* ---- texts and provenance ---- */

enum rbm_rc rbm_store__sq_put_text(struct rbm_store__sq_writer *w, const char *owner, sqlite3_int64 id,
			    const char *field, const struct rbm_text *t)
{
	for (int l = 0; l < RBM_LANG_COUNT; l++) {
		if (t->s[l] == NULL)
			continue;
		if (w->plan_id)
			sqlite3_bind_int64(w->text, 1, w->plan_id);
		else
			sqlite3_bind_null(w->text, 1);
		sqlite3_bind_text(w->text, 2, owner, -1, SQLITE_STATIC);
		sqlite3_bind_int64(w->text, 3, id);
		sqlite3_bind_text(w->text, 4, field, -1, SQLITE_STATIC);
		sqlite3_bind_text(w->text, 5, rbm_lang_tag((enum rbm_lang)l), -1, SQLITE_STATIC);
		sqlite3_bind_text(w->text, 6, t->s[l], -1, SQLITE_TRANSIENT);
		enum rbm_rc rc = rbm_store__sq_run(w->s, w->text, "storing a text", w->d);
		if (rc != RBM_OK)
			return rc;
	}
	return RBM_OK;
}

/* Binds unofficial, unverified, sources at i, i+1, i+2. */
void rbm_store__sq_bind_meta(sqlite3_stmt *st, int i, const struct rbm_meta *m)
{
	sqlite3_bind_int(st, i, (int)m->unofficial);
	sqlite3_bind_int(st, i + 1, m->unverified);
	if (m->sources_len) {
		json_t *a = json_array();
		for (size_t k = 0; k < m->sources_len; k++)
			json_array_append_new(a, json_string(m->sources[k]));
		char *js = json_dumps(a, JSON_COMPACT);
		sqlite3_bind_text(st, i + 2, js, -1, SQLITE_TRANSIENT);
		free(js);
		json_decref(a);
	} else {
		sqlite3_bind_null(st, i + 2);
	}
}

void rbm_store__sq_col_meta(sqlite3_stmt *st, int i, struct rbm_meta *m, struct rbm_arena *a)
{
	m->unofficial = (unsigned)sqlite3_column_int(st, i);
	m->unverified = sqlite3_column_int(st, i + 1) != 0;
	const char *js = (const char *)sqlite3_column_text(st, i + 2);
	if (js == NULL)
		return;
	json_t *arr = json_loads(js, 0, NULL);
	size_t n = json_array_size(arr);
	m->sources = rbm_arena_alloc(a, (n ? n : 1) * sizeof *m->sources);
	for (size_t k = 0; k < n; k++)
		m->sources[k] = rbm_arena_strdup(a, json_string_value(json_array_get(arr, k)));
	m->sources_len = n;
	json_decref(arr);
}

/* ---- places ---- */

static enum rbm_rc sq_put_places(void *impl, const struct rbm_places *p, struct rbm_diag *d)
{
	struct rbm_store__sq *s = impl;
	struct rbm_store__sq_writer w = {s, d, 0, NULL};
	sqlite3_stmt *rs = NULL, *cs = NULL;
	enum rbm_rc rc = rbm_store__sq_begin(s, true, d);
	if (rc != RBM_OK)
		return rc;
	rc = rbm_store__sq_exec(s,
		  "DELETE FROM texts WHERE owner IN ('country','region');"
		  "DELETE FROM countries; DELETE FROM regions;",
		  "clearing places", d);
	if (rc != RBM_OK)
		goto out;
	w.text = rbm_store__sq_prep(s, "INSERT INTO texts(plan_id, owner, owner_id, field, lang, body) "
			 "VALUES (?,?,?,?,?,?)", d);
	rs = rbm_store__sq_prep(s, "INSERT INTO regions(m49, parent, level) VALUES (?,?,?)", d);
	cs = rbm_store__sq_prep(s, "INSERT INTO countries(alpha3, alpha2, m49, region, subregion, intermediate, "
		     "ldc, lldc, sids) VALUES (?,?,?,?,?,?,?,?,?)", d);
	if (w.text == NULL || rs == NULL || cs == NULL) {
		rc = RBM_ESTORE;
		goto out;
	}
	for (size_t i = 0; rc == RBM_OK && i < p->regions_len; i++) {
		const struct rbm_region *r = &p->regions[i];
		rbm_store__sq_bind_text(rs, 1, r->m49);
		rbm_store__sq_bind_text(rs, 2, r->parent[0] ? r->parent : NULL);
		rbm_store__sq_bind_text(rs, 3, r->level);
		rc = rbm_store__sq_run(s, rs, "storing a region", d);
		if (rc == RBM_OK)
			rc = rbm_store__sq_put_text(&w, "region", sqlite3_last_insert_rowid(s->db), "name", &r->name);
	}
	for (size_t i = 0; rc == RBM_OK && i < p->countries_len; i++) {
		const struct rbm_country *c = &p->countries[i];
		rbm_store__sq_bind_text(cs, 1, c->alpha3);
		rbm_store__sq_bind_text(cs, 2, c->alpha2);
		rbm_store__sq_bind_text(cs, 3, c->m49);
		rbm_store__sq_bind_text(cs, 4, c->region[0] ? c->region : NULL);
		rbm_store__sq_bind_text(cs, 5, c->subregion[0] ? c->subregion : NULL);
		rbm_store__sq_bind_text(cs, 6, c->intermediate[0] ? c->intermediate : NULL);
		sqlite3_bind_int(cs, 7, c->ldc);
		sqlite3_bind_int(cs, 8, c->lldc);
		sqlite3_bind_int(cs, 9, c->sids);
		rc = rbm_store__sq_run(s, cs, "storing a country", d);
		if (rc == RBM_OK)
			rc = rbm_store__sq_put_text(&w, "country", sqlite3_last_insert_rowid(s->db), "name", &c->name);
	}
	if (rc == RBM_OK)
		rc = rbm_store__sq_commit(s, d);
out:
	sqlite3_finalize(w.text);
	sqlite3_finalize(rs);
	sqlite3_finalize(cs);
	if (rc != RBM_OK)
		rbm_store__sq_rollback(s);
	return rc;
}

static int cmp_target(const void *a, const void *b)
{
	const struct rbm_store__sq_text_target *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return strcmp(x->field, y->field);
}

/*
 * Reads every text of one owner kind (in plan plan_id, or places when 0)
 * into the targets, sorted here by id and field.
 */
enum rbm_rc rbm_store__sq_read_texts(struct rbm_store__sq *s, sqlite3_int64 plan_id, const char *owner,
			      struct rbm_store__sq_text_target *t, size_t n, struct rbm_arena *a,
			      struct rbm_diag *d)
{
	qsort(t, n, sizeof *t, cmp_target);
	sqlite3_stmt *st = rbm_store__sq_prep(s,
				plan_id ? "SELECT owner_id, field, lang, body FROM texts "
					  "WHERE plan_id = ?1 AND owner = ?2"
					: "SELECT owner_id, field, lang, body FROM texts "
					  "WHERE plan_id IS NULL AND owner = ?2",
				d);
	if (st == NULL)
		return RBM_ESTORE;
	if (plan_id)
		sqlite3_bind_int64(st, 1, plan_id);
	sqlite3_bind_text(st, 2, owner, -1, SQLITE_STATIC);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct rbm_store__sq_text_target key = {sqlite3_column_int64(st, 0),
					  (const char *)sqlite3_column_text(st, 1), NULL};
		struct rbm_store__sq_text_target *hit = bsearch(&key, t, n, sizeof *t, cmp_target);
		enum rbm_lang lang;
		if (hit && rbm_lang_parse((const char *)sqlite3_column_text(st, 2), &lang))
			hit->text->s[lang] = rbm_store__sq_col_text(st, 3, a);
	}
	sqlite3_finalize(st);
	return r == SQLITE_DONE ? RBM_OK : rbm_store__sq_fail(s, d, "reading texts");
}

static enum rbm_rc sq_get_places(void *impl, struct rbm_places **out, struct rbm_diag *d)
{
	struct rbm_store__sq *s = impl;
	enum rbm_rc rc = RBM_OK;
	struct rbm_places *p = rbm_places_new();
	struct rbm_store__sq_text_target *t = NULL;
	sqlite3_stmt *st = rbm_store__sq_prep(s, "SELECT id, m49, coalesce(parent,''), level FROM regions "
				   "ORDER BY m49", d);
	if (st == NULL) {
		rc = RBM_ESTORE;
		goto out;
	}
	size_t tcap = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		rbm_xgrow(&p->regions, &p->regions_cap, p->regions_len + 1, sizeof *p->regions);
		struct rbm_region *r = &p->regions[p->regions_len++];
		memset(r, 0, sizeof *r);
		snprintf(r->m49, sizeof r->m49, "%s", sqlite3_column_text(st, 1));
		snprintf(r->parent, sizeof r->parent, "%s", sqlite3_column_text(st, 2));
		r->level = rbm_store__sq_col_text(st, 3, p->arena);
		rbm_xgrow(&t, &tcap, p->regions_len, sizeof *t);
		t[p->regions_len - 1] = (struct rbm_store__sq_text_target){sqlite3_column_int64(st, 0), "name", NULL};
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < p->regions_len; i++)
		t[i].text = &p->regions[i].name;
	rc = rbm_store__sq_read_texts(s, 0, "region", t, p->regions_len, p->arena, d);
	if (rc != RBM_OK)
		goto out;
	st = rbm_store__sq_prep(s, "SELECT id, alpha3, alpha2, m49, coalesce(region,''), coalesce(subregion,''), "
		     "coalesce(intermediate,''), ldc, lldc, sids FROM countries ORDER BY alpha3", d);
	if (st == NULL) {
		rc = RBM_ESTORE;
		goto out;
	}
	size_t n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		rbm_xgrow(&p->countries, &p->countries_cap, p->countries_len + 1,
			  sizeof *p->countries);
		struct rbm_country *c = &p->countries[p->countries_len++];
		memset(c, 0, sizeof *c);
		snprintf(c->alpha3, sizeof c->alpha3, "%s", sqlite3_column_text(st, 1));
		snprintf(c->alpha2, sizeof c->alpha2, "%s", sqlite3_column_text(st, 2));
		snprintf(c->m49, sizeof c->m49, "%s", sqlite3_column_text(st, 3));
		snprintf(c->region, sizeof c->region, "%s", sqlite3_column_text(st, 4));
		snprintf(c->subregion, sizeof c->subregion, "%s", sqlite3_column_text(st, 5));
		snprintf(c->intermediate, sizeof c->intermediate, "%s", sqlite3_column_text(st, 6));
		c->ldc = sqlite3_column_int(st, 7);
		c->lldc = sqlite3_column_int(st, 8);
		c->sids = sqlite3_column_int(st, 9);
		rbm_xgrow(&t, &tcap, n + 1, sizeof *t);
		t[n++] = (struct rbm_store__sq_text_target){sqlite3_column_int64(st, 0), "name", NULL};
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++)
		t[i].text = &p->countries[i].name;
	rc = rbm_store__sq_read_texts(s, 0, "country", t, n, p->arena, d);
	if (rc != RBM_OK)
		goto out;
	*out = p;
	p = NULL;
out:
	free(t);
	rbm_places_free(p);
	return rc;
}

const struct rbm_store_ops rbm_store__sqlite_ops = {
	.name = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.schema_version = sq_schema_version,
	.migrate = sq_migrate,
	.put_places = sq_put_places,
	.get_places = sq_get_places,
	.put_plan = rbm_store__sq_put_plan,
	.get_plan = rbm_store__sq_get_plan,
	.begin = sq_begin,
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
	.last_id = sq_last_id,
};
