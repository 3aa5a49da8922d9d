/*
 * store_plan.c - storing and reading plans and places, for every back-end.
 *
 * Written on the portable query interface (rbm_store_query), so SQLite and
 * PostgreSQL share it. A plan is written whole in one transaction: its row,
 * then its levels, tags, disaggregations, results (parents first),
 * indicators, offices and cities, each element's texts in the texts table.
 * Rows get their ids from INSERT ... RETURNING id (SQLite 3.35 and later,
 * PostgreSQL). Reading a plan back builds the same struct rbm_plan, inside
 * one read transaction (a consistent snapshot); the round-trip tests compare
 * canonical JSON.
 */
#include "store_int.h"

#include "../core/alloc.h"
#include "../core/arena.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers ---- */

static const char *dup_text(struct rbm_query *q, int col, struct rbm_arena *a)
{
	const char *t = rbm_query_text(q, col);
	return t ? rbm_arena_strdup(a, t) : NULL;
}

/* Runs an INSERT ... RETURNING id; resets it for new bindings. */
static enum rbm_rc insert_id(struct rbm_query *q, long long *id, struct rbm_diag *d)
{
	enum rbm_rc rc = rbm_query_step(q, d);
	if (rc == RBM_OK)
		*id = rbm_query_int(q, 0);
	else if (rc == RBM_ENOENT) {
		rbm_diag_add(d, NULL, NULL, "database error: an INSERT returned no id");
		rc = RBM_ESTORE;
	}
	rbm_query_reset(q);
	return rc;
}

/* Prepares each of n statements; on failure frees those made. */
static enum rbm_rc prepare_all(struct rbm_store *s, struct rbm_diag *d, size_t n,
			       const char *const *sql, struct rbm_query **q)
{
	for (size_t i = 0; i < n; i++) {
		enum rbm_rc rc = rbm_store_query(s, sql[i], &q[i], d);
		if (rc != RBM_OK) {
			for (size_t k = 0; k < i; k++) {
				rbm_query_free(q[k]);
				q[k] = NULL;
			}
			return rc;
		}
	}
	return RBM_OK;
}

static void free_all(size_t n, struct rbm_query **q)
{
	for (size_t i = 0; i < n; i++)
		rbm_query_free(q[i]);
}

/* Binds unofficial, unverified and sources (a JSON array, or NULL) at i, i+1, i+2. */
static void bind_meta(struct rbm_query *q, int i, const struct rbm_meta *m)
{
	rbm_query_bind_int(q, i, (long long)m->unofficial);
	rbm_query_bind_int(q, i + 1, m->unverified);
	if (m->sources_len) {
		json_t *a = json_array();
		for (size_t k = 0; k < m->sources_len; k++)
			json_array_append_new(a, json_string(m->sources[k]));
		char *js = json_dumps(a, JSON_COMPACT);
		rbm_query_bind_text(q, i + 2, js);
		free(js);
		json_decref(a);
	} else {
		rbm_query_bind_text(q, i + 2, NULL);
	}
}

static void col_meta(struct rbm_query *q, int i, struct rbm_meta *m, struct rbm_arena *a)
{
	m->unofficial = (unsigned)rbm_query_int(q, i);
	m->unverified = rbm_query_int(q, i + 1) != 0;
	const char *js = rbm_query_text(q, i + 2);
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

/* ---- writing ---- */

struct writer {
	struct rbm_store *s;
	struct rbm_diag *d;
	long long plan_id; /* 0 for places */
	struct rbm_query *text;
};

static enum rbm_rc put_text(struct writer *w, const char *owner, long long id, const char *field,
			    const struct rbm_text *t)
{
	for (int l = 0; l < RBM_LANG_COUNT; l++) {
		if (t->s[l] == NULL)
			continue;
		if (w->plan_id)
			rbm_query_bind_int(w->text, 1, w->plan_id);
		else
			rbm_query_bind_text(w->text, 1, NULL);
		rbm_query_bind_text(w->text, 2, owner);
		rbm_query_bind_int(w->text, 3, id);
		rbm_query_bind_text(w->text, 4, field);
		rbm_query_bind_text(w->text, 5, rbm_lang_tag((enum rbm_lang)l));
		rbm_query_bind_text(w->text, 6, t->s[l]);
		enum rbm_rc rc = rbm_query_exec(w->text, w->d);
		if (rc != RBM_OK)
			return rc;
	}
	return RBM_OK;
}

#define TEXT_INSERT \
	"INSERT INTO texts(plan_id, owner, owner_id, field, lang, body) VALUES (?,?,?,?,?,?)"

static enum rbm_rc put_tags(struct writer *w, const char *kind, const struct rbm_tag *v, size_t n,
			    long long *ids)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(w->s, "INSERT INTO tags(plan_id, kind, position, code, number, "
						"subkind, unofficial, unverified, sources) "
						"VALUES (?,?,?,?,?,?,?,?,?) RETURNING id", &q, w->d);
	for (size_t i = 0; rc == RBM_OK && i < n; i++) {
		rbm_query_bind_int(q, 1, w->plan_id);
		rbm_query_bind_text(q, 2, kind);
		rbm_query_bind_int(q, 3, (long long)i);
		rbm_query_bind_text(q, 4, v[i].code);
		if (v[i].number)
			rbm_query_bind_int(q, 5, v[i].number);
		rbm_query_bind_text(q, 6, v[i].kind);
		bind_meta(q, 7, &v[i].meta);
		if ((rc = insert_id(q, &ids[i], w->d)) != RBM_OK ||
		    (rc = put_text(w, "tag", ids[i], "title", &v[i].title)) != RBM_OK ||
		    (rc = put_text(w, "tag", ids[i], "short_title", &v[i].short_title)) != RBM_OK ||
		    (rc = put_text(w, "tag", ids[i], "description", &v[i].description)) != RBM_OK)
			break;
		rc = put_text(w, "tag", ids[i], "note", &v[i].meta.note);
	}
	rbm_query_free(q);
	return rc;
}

struct plan_ids {
	long long *programmes, *themes, *drivers, *enablers, *disaggs, *results, *offices,
		*indicators;
};

static enum rbm_rc put_plan_rows(struct writer *w, const struct rbm_plan *p, struct plan_ids *ids)
{
	struct rbm_diag *d = w->d;
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(w->s, "INSERT INTO plans(code, first_year, last_year, "
						"illustrative_indicators, approved_by, threshold_achieved, "
						"threshold_on_track, unofficial, unverified, sources) "
						"VALUES (?,?,?,?,?,?,?,?,?,?) RETURNING id", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, p->code);
	rbm_query_bind_int(q, 2, p->first_year);
	rbm_query_bind_int(q, 3, p->last_year);
	rbm_query_bind_int(q, 4, p->illustrative_indicators);
	rbm_query_bind_text(q, 5, p->approved_by);
	rbm_query_bind_double(q, 6, p->threshold_achieved);
	rbm_query_bind_double(q, 7, p->threshold_on_track);
	bind_meta(q, 8, &p->meta);
	rc = insert_id(q, &w->plan_id, d);
	rbm_query_free(q);
	q = NULL;
	if (rc != RBM_OK)
		return rc;
	/* Only a plan that has them writes the IATI columns (schema 8): one without is stored as before. */
	if (p->iati.org_ref) {
		rc = rbm_store_query(w->s, "UPDATE plans SET iati_org_ref = ?, iati_org_type = ?, "
					   "iati_activity_prefix = ? WHERE id = ?", &q, d);
		if (rc == RBM_OK) {
			rbm_query_bind_text(q, 1, p->iati.org_ref);
			rbm_query_bind_text(q, 2, p->iati.org_type);
			rbm_query_bind_text(q, 3, p->iati.activity_prefix);
			rbm_query_bind_int(q, 4, w->plan_id);
			rc = rbm_query_exec(q, d);
		}
		rbm_query_free(q);
		q = NULL;
		if (rc != RBM_OK)
			return rc;
	}
	if ((rc = put_text(w, "plan", w->plan_id, "title", &p->title)) != RBM_OK ||
	    (rc = put_text(w, "plan", w->plan_id, "subtitle", &p->subtitle)) != RBM_OK ||
	    (rc = put_text(w, "plan", w->plan_id, "description", &p->description)) != RBM_OK ||
	    (rc = put_text(w, "plan", w->plan_id, "about_note", &p->about_note)) != RBM_OK ||
	    (rc = put_text(w, "plan", w->plan_id, "iati_org_name", &p->iati.org_name)) != RBM_OK ||
	    (rc = put_text(w, "plan", w->plan_id, "note", &p->meta.note)) != RBM_OK)
		return rc;

	rc = rbm_store_query(w->s, "INSERT INTO levels(plan_id, depth, key, unofficial, unverified, "
				   "sources) VALUES (?,?,?,?,?,?) RETURNING id", &q, d);
	for (size_t i = 0; rc == RBM_OK && i < p->levels_len; i++) {
		long long id = 0;
		rbm_query_bind_int(q, 1, w->plan_id);
		rbm_query_bind_int(q, 2, (long long)i);
		rbm_query_bind_text(q, 3, p->levels[i].key);
		bind_meta(q, 4, &p->levels[i].meta);
		if ((rc = insert_id(q, &id, d)) == RBM_OK &&
		    (rc = put_text(w, "level", id, "title", &p->levels[i].title)) == RBM_OK)
			rc = put_text(w, "level", id, "note", &p->levels[i].meta.note);
	}
	rbm_query_free(q);
	if (rc != RBM_OK)
		return rc;

	if ((rc = put_tags(w, "programme", p->programmes, p->programmes_len, ids->programmes)) ||
	    (rc = put_tags(w, "theme", p->themes, p->themes_len, ids->themes)) ||
	    (rc = put_tags(w, "driver", p->drivers, p->drivers_len, ids->drivers)) ||
	    (rc = put_tags(w, "enabler", p->enablers, p->enablers_len, ids->enablers)))
		return rc;

	static const char *const sql[] = {
		"INSERT INTO disaggregations(plan_id, position, code, unofficial, unverified, sources) "
		"VALUES (?,?,?,?,?,?) RETURNING id",
		"INSERT INTO categories(disaggregation_id, position, code, unofficial, unverified, "
		"sources) VALUES (?,?,?,?,?,?) RETURNING id",
	};
	struct rbm_query *st[2] = {NULL, NULL};
	rc = prepare_all(w->s, d, 2, sql, st);
	for (size_t i = 0; rc == RBM_OK && i < p->disaggregations_len; i++) {
		const struct rbm_disaggregation *g = &p->disaggregations[i];
		rbm_query_bind_int(st[0], 1, w->plan_id);
		rbm_query_bind_int(st[0], 2, (long long)i);
		rbm_query_bind_text(st[0], 3, g->code);
		bind_meta(st[0], 4, &g->meta);
		if ((rc = insert_id(st[0], &ids->disaggs[i], d)) != RBM_OK ||
		    (rc = put_text(w, "disaggregation", ids->disaggs[i], "title", &g->title)) != RBM_OK ||
		    (rc = put_text(w, "disaggregation", ids->disaggs[i], "note", &g->meta.note)) != RBM_OK)
			break;
		for (size_t c = 0; rc == RBM_OK && c < g->categories_len; c++) {
			long long cid = 0;
			rbm_query_bind_int(st[1], 1, ids->disaggs[i]);
			rbm_query_bind_int(st[1], 2, (long long)c);
			rbm_query_bind_text(st[1], 3, g->categories[c].code);
			bind_meta(st[1], 4, &g->categories[c].meta);
			if ((rc = insert_id(st[1], &cid, d)) == RBM_OK &&
			    (rc = put_text(w, "category", cid, "title", &g->categories[c].title)) == RBM_OK)
				rc = put_text(w, "category", cid, "note", &g->categories[c].meta.note);
		}
	}
	free_all(2, st);
	return rc;
}

static enum rbm_rc put_results(struct writer *w, const struct rbm_plan *p, struct plan_ids *ids)
{
	static const char *const sql[] = {
		"INSERT INTO results(plan_id, parent_id, position, level, code, unofficial, "
		"unverified, sources) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
		"INSERT INTO result_tags(result_id, tag_id, position) VALUES (?,?,?)",
	};
	struct rbm_query *st[2] = {NULL, NULL};
	struct rbm_diag *d = w->d;
	enum rbm_rc rc = prepare_all(w->s, d, 2, sql, st);
	for (size_t i = 0; rc == RBM_OK && i < p->results_len; i++) {
		const struct rbm_result *r = &p->results[i];
		rbm_query_bind_int(st[0], 1, w->plan_id);
		if (r->parent != RBM_NONE)
			rbm_query_bind_int(st[0], 2, ids->results[r->parent]);
		rbm_query_bind_int(st[0], 3, (long long)i);
		rbm_query_bind_int(st[0], 4, (long long)r->level);
		rbm_query_bind_text(st[0], 5, r->code);
		bind_meta(st[0], 6, &r->meta);
		if ((rc = insert_id(st[0], &ids->results[i], d)) != RBM_OK)
			break;
		long long id = ids->results[i];
		if ((rc = put_text(w, "result", id, "title", &r->title)) ||
		    (rc = put_text(w, "result", id, "short_title", &r->short_title)) ||
		    (rc = put_text(w, "result", id, "description", &r->description)) ||
		    (rc = put_text(w, "result", id, "note", &r->meta.note)))
			break;
		long long pos = 0;
		for (size_t k = 0; rc == RBM_OK && k < r->programmes_len + r->themes_len; k++) {
			bool prog = k < r->programmes_len;
			rbm_query_bind_int(st[1], 1, id);
			rbm_query_bind_int(st[1], 2, prog ? ids->programmes[r->programmes[k]]
							  : ids->themes[r->themes[k - r->programmes_len]]);
			rbm_query_bind_int(st[1], 3, pos++);
			rc = rbm_query_exec(st[1], d);
		}
	}
	free_all(2, st);
	return rc;
}

static enum rbm_rc put_indicators(struct writer *w, const struct rbm_plan *p, struct plan_ids *ids)
{
	static const char *const sql[] = {
		"INSERT INTO indicators(plan_id, result_id, position, code, unit, currency, "
		"aggregation, count_of, place_combine, direction, baseline_value, baseline_year, "
		"illustrative, unofficial, unverified, sources) "
		"VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
		"INSERT INTO targets(indicator_id, year, value) VALUES (?,?,?)",
		"INSERT INTO indicator_disaggregations(indicator_id, disaggregation_id, position) "
		"VALUES (?,?,?)",
	};
	struct rbm_query *st[3] = {NULL, NULL, NULL};
	struct rbm_diag *d = w->d;
	enum rbm_rc rc = prepare_all(w->s, d, 3, sql, st);
	for (size_t i = 0; rc == RBM_OK && i < p->indicators_len; i++) {
		const struct rbm_indicator *ind = &p->indicators[i];
		struct rbm_query *q = st[0];
		rbm_query_bind_int(q, 1, w->plan_id);
		rbm_query_bind_int(q, 2, ids->results[ind->result]);
		rbm_query_bind_int(q, 3, (long long)i);
		rbm_query_bind_text(q, 4, ind->code);
		rbm_query_bind_text(q, 5, rbm_unit_name(ind->unit));
		rbm_query_bind_text(q, 6, ind->currency);
		rbm_query_bind_text(q, 7, rbm_aggregation_name(ind->aggregation));
		rbm_query_bind_text(q, 8, ind->count_of == RBM_COUNT_NONE ? NULL
									  : rbm_count_of_name(ind->count_of));
		rbm_query_bind_text(q, 9, rbm_place_combine_name(ind->place_combine));
		rbm_query_bind_text(q, 10, rbm_direction_name(ind->direction));
		if (ind->has_baseline) {
			rbm_query_bind_double(q, 11, ind->baseline_value);
			rbm_query_bind_int(q, 12, ind->baseline_year);
		}
		rbm_query_bind_int(q, 13, ind->illustrative);
		bind_meta(q, 14, &ind->meta);
		if ((rc = insert_id(q, &ids->indicators[i], d)) != RBM_OK)
			break;
		long long id = ids->indicators[i];
		if ((rc = put_text(w, "indicator", id, "title", &ind->title)) ||
		    (rc = put_text(w, "indicator", id, "definition", &ind->definition)) ||
		    (rc = put_text(w, "indicator", id, "note", &ind->meta.note)))
			break;
		for (size_t k = 0; rc == RBM_OK && k < ind->targets_len; k++) {
			rbm_query_bind_int(st[1], 1, id);
			rbm_query_bind_int(st[1], 2, ind->targets[k].year);
			rbm_query_bind_double(st[1], 3, ind->targets[k].value);
			rc = rbm_query_exec(st[1], d);
		}
		for (size_t k = 0; rc == RBM_OK && k < ind->disaggregations_len; k++) {
			rbm_query_bind_int(st[2], 1, id);
			rbm_query_bind_int(st[2], 2, ids->disaggs[ind->disaggregations[k]]);
			rbm_query_bind_int(st[2], 3, (long long)k);
			rc = rbm_query_exec(st[2], d);
		}
	}
	free_all(3, st);
	return rc;
}

static enum rbm_rc put_offices(struct writer *w, const struct rbm_plan *p, struct plan_ids *ids)
{
	static const char *const sql[] = {
		"INSERT INTO offices(plan_id, position, code, kind, seat, unofficial, unverified, "
		"sources) VALUES (?,?,?,?,?,?,?,?) RETURNING id",
		"INSERT INTO office_places(office_id, kind, position, code) VALUES (?,?,?,?)",
		"UPDATE offices SET parent_id = ? WHERE id = ?",
		"INSERT INTO office_indicators(office_id, indicator_id, position) VALUES (?,?,?)",
		"INSERT INTO cities(plan_id, position, code, country, unofficial, unverified, sources) "
		"VALUES (?,?,?,?,?,?,?) RETURNING id",
	};
	enum { OFFICE, PLACE, PARENT, INDICATOR, CITY, N };
	struct rbm_query *st[N] = {NULL};
	struct rbm_diag *d = w->d;
	enum rbm_rc rc = prepare_all(w->s, d, N, sql, st);
	for (size_t i = 0; rc == RBM_OK && i < p->offices_len; i++) {
		const struct rbm_office *o = &p->offices[i];
		rbm_query_bind_int(st[OFFICE], 1, w->plan_id);
		rbm_query_bind_int(st[OFFICE], 2, (long long)i);
		rbm_query_bind_text(st[OFFICE], 3, o->code);
		rbm_query_bind_text(st[OFFICE], 4, rbm_office_kind_name(o->kind));
		rbm_query_bind_text(st[OFFICE], 5, o->seat);
		bind_meta(st[OFFICE], 6, &o->meta);
		if ((rc = insert_id(st[OFFICE], &ids->offices[i], d)) != RBM_OK)
			break;
		long long id = ids->offices[i];
		if ((rc = put_text(w, "office", id, "title", &o->title)) ||
		    (rc = put_text(w, "office", id, "note", &o->meta.note)))
			break;
		for (size_t k = 0; rc == RBM_OK && k < o->countries_len + o->regions_len; k++) {
			bool country = k < o->countries_len;
			rbm_query_bind_int(st[PLACE], 1, id);
			rbm_query_bind_text(st[PLACE], 2, country ? "country" : "region");
			rbm_query_bind_int(st[PLACE], 3, (long long)k);
			rbm_query_bind_text(st[PLACE], 4,
					    country ? o->countries[k] : o->regions[k - o->countries_len]);
			rc = rbm_query_exec(st[PLACE], d);
		}
		for (size_t k = 0; rc == RBM_OK && k < o->indicators_len; k++) {
			rbm_query_bind_int(st[INDICATOR], 1, id);
			rbm_query_bind_int(st[INDICATOR], 2, ids->indicators[o->indicators[k]]);
			rbm_query_bind_int(st[INDICATOR], 3, (long long)k);
			rc = rbm_query_exec(st[INDICATOR], d);
		}
	}
	/* Parents may come after their children in the file: link them last. */
	for (size_t i = 0; rc == RBM_OK && i < p->offices_len; i++) {
		if (p->offices[i].parent == RBM_NONE)
			continue;
		rbm_query_bind_int(st[PARENT], 1, ids->offices[p->offices[i].parent]);
		rbm_query_bind_int(st[PARENT], 2, ids->offices[i]);
		rc = rbm_query_exec(st[PARENT], d);
	}
	for (size_t i = 0; rc == RBM_OK && i < p->cities_len; i++) {
		const struct rbm_city *c = &p->cities[i];
		long long id = 0;
		rbm_query_bind_int(st[CITY], 1, w->plan_id);
		rbm_query_bind_int(st[CITY], 2, (long long)i);
		rbm_query_bind_text(st[CITY], 3, c->code);
		rbm_query_bind_text(st[CITY], 4, c->country);
		bind_meta(st[CITY], 5, &c->meta);
		if ((rc = insert_id(st[CITY], &id, d)) == RBM_OK &&
		    (rc = put_text(w, "city", id, "title", &c->title)) == RBM_OK)
			rc = put_text(w, "city", id, "note", &c->meta.note);
	}
	free_all(N, st);
	return rc;
}

static long long *ids_new(size_t n)
{
	return rbm_xcalloc(n ? n : 1, sizeof(long long));
}

/* Writes the whole plan; the caller holds the transaction. */
static enum rbm_rc put_plan_all(struct writer *w, const struct rbm_plan *p)
{
	struct plan_ids ids = {
		ids_new(p->programmes_len), ids_new(p->themes_len),  ids_new(p->drivers_len),
		ids_new(p->enablers_len),   ids_new(p->disaggregations_len),
		ids_new(p->results_len),    ids_new(p->offices_len),     ids_new(p->indicators_len),
	};
	enum rbm_rc rc = put_plan_rows(w, p, &ids);
	if (rc == RBM_OK)
		rc = put_results(w, p, &ids);
	if (rc == RBM_OK)
		rc = put_indicators(w, p, &ids);
	if (rc == RBM_OK)
		rc = put_offices(w, p, &ids);
	free(ids.programmes);
	free(ids.themes);
	free(ids.drivers);
	free(ids.enablers);
	free(ids.disaggs);
	free(ids.results);
	free(ids.offices);
	free(ids.indicators);
	return rc;
}

/* ---- reading texts ---- */

/* Where a text read back goes: the row id and field of its owner. */
struct text_target {
	long long id;
	const char *field;
	struct rbm_text *text;
};

static int cmp_target(const void *a, const void *b)
{
	const struct text_target *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return strcmp(x->field, y->field);
}

/* Reads every text of one owner kind (of plan plan_id; places when 0) into the targets. */
static enum rbm_rc read_texts(struct rbm_store *s, long long plan_id, const char *owner,
			      struct text_target *t, size_t n, struct rbm_arena *a,
			      struct rbm_diag *d)
{
	if (n == 0)
		return RBM_OK;
	qsort(t, n, sizeof *t, cmp_target);
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, plan_id ? "SELECT owner_id, field, lang, body FROM texts "
						      "WHERE plan_id = ? AND owner = ?"
						    : "SELECT owner_id, field, lang, body FROM texts "
						      "WHERE plan_id IS NULL AND owner = ?",
					 &q, d);
	if (rc != RBM_OK)
		return rc;
	int i = 1;
	if (plan_id)
		rbm_query_bind_int(q, i++, plan_id);
	rbm_query_bind_text(q, i, owner);
	while ((rc = rbm_query_step(q, d)) == RBM_OK) {
		const char *field = rbm_query_text(q, 1), *tag = rbm_query_text(q, 2);
		if (field == NULL || tag == NULL)
			continue;
		struct text_target key = {rbm_query_int(q, 0), field, NULL};
		struct text_target *hit = bsearch(&key, t, n, sizeof *t, cmp_target);
		enum rbm_lang lang;
		if (hit && rbm_lang_parse(tag, &lang))
			hit->text->s[lang] = dup_text(q, 3, a);
	}
	rbm_query_free(q);
	return rc == RBM_ENOENT ? RBM_OK : rc;
}

/* ---- places ---- */

enum rbm_rc rbm_store__put_places(struct rbm_store *s, const struct rbm_places *p,
				  struct rbm_diag *d)
{
	static const char *const sql[] = {
		TEXT_INSERT,
		"INSERT INTO regions(m49, parent, level) VALUES (?,?,?) RETURNING id",
		"INSERT INTO countries(alpha3, alpha2, m49, region, subregion, intermediate, ldc, lldc, "
		"sids) VALUES (?,?,?,?,?,?,?,?,?) RETURNING id",
		"DELETE FROM texts WHERE owner IN ('country','region')",
		"DELETE FROM countries",
		"DELETE FROM regions",
	};
	struct rbm_query *st[6] = {NULL};
	struct writer w = {s, d, 0, NULL};
	enum rbm_rc rc = rbm_store_begin(s, d);
	if (rc != RBM_OK)
		return rc;
	rc = prepare_all(s, d, 6, sql, st);
	for (int i = 3; rc == RBM_OK && i < 6; i++)
		rc = rbm_query_exec(st[i], d);
	w.text = st[0];
	for (size_t i = 0; rc == RBM_OK && i < p->regions_len; i++) {
		const struct rbm_region *r = &p->regions[i];
		long long id = 0;
		rbm_query_bind_text(st[1], 1, r->m49);
		rbm_query_bind_text(st[1], 2, r->parent[0] ? r->parent : NULL);
		rbm_query_bind_text(st[1], 3, r->level);
		if ((rc = insert_id(st[1], &id, d)) == RBM_OK)
			rc = put_text(&w, "region", id, "name", &r->name);
	}
	for (size_t i = 0; rc == RBM_OK && i < p->countries_len; i++) {
		const struct rbm_country *c = &p->countries[i];
		long long id = 0;
		struct rbm_query *q = st[2];
		rbm_query_bind_text(q, 1, c->alpha3);
		rbm_query_bind_text(q, 2, c->alpha2);
		rbm_query_bind_text(q, 3, c->m49);
		rbm_query_bind_text(q, 4, c->region[0] ? c->region : NULL);
		rbm_query_bind_text(q, 5, c->subregion[0] ? c->subregion : NULL);
		rbm_query_bind_text(q, 6, c->intermediate[0] ? c->intermediate : NULL);
		rbm_query_bind_int(q, 7, c->ldc);
		rbm_query_bind_int(q, 8, c->lldc);
		rbm_query_bind_int(q, 9, c->sids);
		if ((rc = insert_id(q, &id, d)) == RBM_OK)
			rc = put_text(&w, "country", id, "name", &c->name);
	}
	free_all(6, st);
	if (rc == RBM_ECONFLICT) /* a constraint or trigger refused a row */
		rc = RBM_ESTORE;
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	if (rc != RBM_OK)
		rbm_store_rollback(s);
	return rc;
}

static void copy_code(char *dst, size_t cap, const char *src)
{
	snprintf(dst, cap, "%s", src ? src : "");
}

enum rbm_rc rbm_store__get_places(struct rbm_store *s, struct rbm_places **out,
				  struct rbm_diag *d)
{
	struct rbm_places *p = rbm_places_new();
	struct text_target *t = NULL;
	size_t tcap = 0, n = 0;
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_begin_read(s, d);
	if (rc != RBM_OK) {
		rbm_places_free(p);
		return rc;
	}
	rc = rbm_store_query(s, "SELECT id, m49, parent, level FROM regions ORDER BY m49", &q, d);
	while (rc == RBM_OK && (rc = rbm_query_step(q, d)) == RBM_OK) {
		rbm_xgrow(&p->regions, &p->regions_cap, p->regions_len + 1, sizeof *p->regions);
		struct rbm_region *r = &p->regions[p->regions_len++];
		memset(r, 0, sizeof *r);
		copy_code(r->m49, sizeof r->m49, rbm_query_text(q, 1));
		copy_code(r->parent, sizeof r->parent, rbm_query_text(q, 2));
		r->level = dup_text(q, 3, p->arena);
		rbm_xgrow(&t, &tcap, n + 1, sizeof *t);
		t[n++] = (struct text_target){rbm_query_int(q, 0), "name", NULL};
	}
	rbm_query_free(q);
	q = NULL;
	if (rc != RBM_ENOENT)
		goto out;
	for (size_t i = 0; i < n; i++)
		t[i].text = &p->regions[i].name;
	if ((rc = read_texts(s, 0, "region", t, n, p->arena, d)) != RBM_OK)
		goto out;
	n = 0;
	rc = rbm_store_query(s, "SELECT id, alpha3, alpha2, m49, region, subregion, intermediate, "
				"ldc, lldc, sids FROM countries ORDER BY alpha3", &q, d);
	while (rc == RBM_OK && (rc = rbm_query_step(q, d)) == RBM_OK) {
		rbm_xgrow(&p->countries, &p->countries_cap, p->countries_len + 1,
			  sizeof *p->countries);
		struct rbm_country *c = &p->countries[p->countries_len++];
		memset(c, 0, sizeof *c);
		copy_code(c->alpha3, sizeof c->alpha3, rbm_query_text(q, 1));
		copy_code(c->alpha2, sizeof c->alpha2, rbm_query_text(q, 2));
		copy_code(c->m49, sizeof c->m49, rbm_query_text(q, 3));
		copy_code(c->region, sizeof c->region, rbm_query_text(q, 4));
		copy_code(c->subregion, sizeof c->subregion, rbm_query_text(q, 5));
		copy_code(c->intermediate, sizeof c->intermediate, rbm_query_text(q, 6));
		c->ldc = (int)rbm_query_int(q, 7);
		c->lldc = (int)rbm_query_int(q, 8);
		c->sids = (int)rbm_query_int(q, 9);
		rbm_xgrow(&t, &tcap, n + 1, sizeof *t);
		t[n++] = (struct text_target){rbm_query_int(q, 0), "name", NULL};
	}
	rbm_query_free(q);
	q = NULL;
	if (rc != RBM_ENOENT)
		goto out;
	for (size_t i = 0; i < n; i++)
		t[i].text = &p->countries[i].name;
	if ((rc = read_texts(s, 0, "country", t, n, p->arena, d)) != RBM_OK)
		goto out;
	rc = rbm_store_commit(s, d);
out:
	if (rc != RBM_OK) {
		rbm_store_rollback(s);
		rbm_places_free(p);
	} else {
		*out = p;
	}
	free(t);
	return rc;
}

/* ---- reading a plan ---- */

/* Row ids in the order of the plan's arrays. */
struct id_map {
	long long *id;
	size_t len, cap;
};

static void map_add(struct id_map *m, long long id)
{
	rbm_xgrow(&m->id, &m->cap, m->len + 1, sizeof *m->id);
	m->id[m->len++] = id;
}

static size_t map_find(const struct id_map *m, long long id)
{
	for (size_t i = 0; i < m->len; i++)
		if (m->id[i] == id)
			return i;
	return RBM_NONE;
}

struct reader {
	struct rbm_store *s;
	struct rbm_diag *d;
	struct rbm_plan *p;
	long long plan_id;
	struct text_target *t;
	size_t t_len, t_cap;
};

static void want_text(struct reader *r, long long id, const char *field, struct rbm_text *text)
{
	rbm_xgrow(&r->t, &r->t_cap, r->t_len + 1, sizeof *r->t);
	r->t[r->t_len++] = (struct text_target){id, field, text};
}

static enum rbm_rc flush_texts(struct reader *r, const char *owner)
{
	enum rbm_rc rc = read_texts(r->s, r->plan_id, owner, r->t, r->t_len, r->p->arena, r->d);
	r->t_len = 0;
	return rc;
}

/* Moves n elements of size from a heap array into the plan's arena (at least one slot). */
static void *to_arena(struct reader *r, void *v, size_t n, size_t size)
{
	void *a = rbm_arena_alloc(r->p->arena, (n ? n : 1) * size);
	if (n)
		memcpy(a, v, n * size);
	free(v);
	return a;
}

/* Runs "SELECT cols FROM table WHERE plan_id = ? ORDER BY position" (or another order). */
static enum rbm_rc select_plan_rows(struct reader *r, const char *sql, struct rbm_query **q)
{
	enum rbm_rc rc = rbm_store_query(r->s, sql, q, r->d);
	if (rc == RBM_OK)
		rbm_query_bind_int(*q, 1, r->plan_id);
	return rc;
}

static enum rbm_rc get_tags(struct reader *r, const char *kind, struct rbm_tag **out,
			    size_t *out_len, struct id_map *map)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = select_plan_rows(r, "SELECT id, code, number, subkind, unofficial, "
					     "unverified, sources FROM tags WHERE plan_id = ? AND "
					     "kind = ? ORDER BY position", &q);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 2, kind);
	size_t cap = 0, n = 0;
	struct rbm_tag *v = NULL;
	struct rbm_arena *a = r->p->arena;
	while ((rc = rbm_query_step(q, r->d)) == RBM_OK) {
		rbm_xgrow(&v, &cap, n + 1, sizeof *v);
		memset(&v[n], 0, sizeof *v);
		map_add(map, rbm_query_int(q, 0));
		v[n].code = dup_text(q, 1, a);
		v[n].number = (int)rbm_query_int(q, 2);
		v[n].kind = dup_text(q, 3, a);
		col_meta(q, 4, &v[n].meta, a);
		n++;
	}
	rbm_query_free(q);
	*out = to_arena(r, v, n, sizeof *v);
	*out_len = n;
	if (rc != RBM_ENOENT)
		return rc;
	for (size_t i = 0; i < n; i++) {
		want_text(r, map->id[i], "title", &(*out)[i].title);
		want_text(r, map->id[i], "short_title", &(*out)[i].short_title);
		want_text(r, map->id[i], "description", &(*out)[i].description);
		want_text(r, map->id[i], "note", &(*out)[i].meta.note);
	}
	return RBM_OK;
}

/* The codes (text column 0) a statement bound to one id selects, into an arena array. */
static enum rbm_rc get_codes(struct reader *r, struct rbm_query *q, long long id,
			     const char ***out, size_t *out_len)
{
	rbm_query_bind_int(q, 1, id);
	size_t n = 0, cap = 0;
	const char **v = NULL;
	enum rbm_rc rc;
	while ((rc = rbm_query_step(q, r->d)) == RBM_OK) {
		rbm_xgrow(&v, &cap, n + 1, sizeof *v);
		v[n++] = dup_text(q, 0, r->p->arena);
	}
	rbm_query_reset(q);
	*out = to_arena(r, v, n, sizeof *v);
	*out_len = n;
	return rc == RBM_ENOENT ? RBM_OK : rc;
}

static enum rbm_rc get_plan_row(struct reader *r)
{
	struct rbm_plan *p = r->p;
	struct rbm_arena *a = p->arena;
	struct rbm_query *q = NULL;
	enum rbm_rc rc = select_plan_rows(
		r, "SELECT code, first_year, last_year, illustrative_indicators, approved_by, "
		   "threshold_achieved, threshold_on_track, unofficial, unverified, sources, "
		   "iati_org_ref, iati_org_type, iati_activity_prefix FROM plans WHERE id = ?", &q);
	if (rc == RBM_OK && (rc = rbm_query_step(q, r->d)) == RBM_OK) {
		p->code = dup_text(q, 0, a);
		p->first_year = (int)rbm_query_int(q, 1);
		p->last_year = (int)rbm_query_int(q, 2);
		p->illustrative_indicators = rbm_query_int(q, 3) != 0;
		p->approved_by = dup_text(q, 4, a);
		p->threshold_achieved = rbm_query_double(q, 5);
		p->threshold_on_track = rbm_query_double(q, 6);
		col_meta(q, 7, &p->meta, a);
		p->iati.org_ref = dup_text(q, 10, a);
		p->iati.org_type = dup_text(q, 11, a);
		p->iati.activity_prefix = dup_text(q, 12, a);
	} else if (rc == RBM_ENOENT) {
		rbm_diag_add(r->d, NULL, NULL, "the plan was removed while it was read");
		rc = RBM_ENOENT;
	}
	rbm_query_free(q);
	if (rc != RBM_OK)
		return rc;
	want_text(r, r->plan_id, "title", &p->title);
	want_text(r, r->plan_id, "subtitle", &p->subtitle);
	want_text(r, r->plan_id, "description", &p->description);
	want_text(r, r->plan_id, "about_note", &p->about_note);
	want_text(r, r->plan_id, "iati_org_name", &p->iati.org_name);
	want_text(r, r->plan_id, "note", &p->meta.note);
	if ((rc = flush_texts(r, "plan")) != RBM_OK)
		return rc;

	rc = select_plan_rows(r, "SELECT id, key, unofficial, unverified, sources FROM levels "
				 "WHERE plan_id = ? ORDER BY depth", &q);
	p->levels = rbm_arena_alloc(a, RBM_PLAN_MAX_LEVELS * sizeof *p->levels);
	while (rc == RBM_OK && (rc = rbm_query_step(q, r->d)) == RBM_OK) {
		if (p->levels_len == RBM_PLAN_MAX_LEVELS)
			continue;
		struct rbm_level *lv = &p->levels[p->levels_len++];
		lv->key = dup_text(q, 1, a);
		col_meta(q, 2, &lv->meta, a);
		want_text(r, rbm_query_int(q, 0), "title", &lv->title);
		want_text(r, rbm_query_int(q, 0), "note", &lv->meta.note);
	}
	rbm_query_free(q);
	if (rc != RBM_ENOENT)
		return rc;
	return flush_texts(r, "level");
}

static enum rbm_rc get_disaggregations(struct reader *r, struct id_map *disaggs)
{
	struct rbm_plan *p = r->p;
	struct rbm_arena *a = p->arena;
	struct rbm_query *q = NULL;
	size_t cap = 0;
	struct rbm_disaggregation *dv = NULL;
	enum rbm_rc rc = select_plan_rows(r, "SELECT id, code, unofficial, unverified, sources "
					     "FROM disaggregations WHERE plan_id = ? ORDER BY position",
					  &q);
	while (rc == RBM_OK && (rc = rbm_query_step(q, r->d)) == RBM_OK) {
		rbm_xgrow(&dv, &cap, p->disaggregations_len + 1, sizeof *dv);
		struct rbm_disaggregation *g = &dv[p->disaggregations_len++];
		memset(g, 0, sizeof *g);
		map_add(disaggs, rbm_query_int(q, 0));
		g->code = dup_text(q, 1, a);
		col_meta(q, 2, &g->meta, a);
	}
	rbm_query_free(q);
	q = NULL;
	p->disaggregations = to_arena(r, dv, p->disaggregations_len, sizeof *dv);
	if (rc != RBM_ENOENT)
		return rc;
	for (size_t i = 0; i < p->disaggregations_len; i++) {
		want_text(r, disaggs->id[i], "title", &p->disaggregations[i].title);
		want_text(r, disaggs->id[i], "note", &p->disaggregations[i].meta.note);
	}
	if ((rc = flush_texts(r, "disaggregation")) != RBM_OK)
		return rc;
	rc = rbm_store_query(r->s, "SELECT id, code, unofficial, unverified, sources FROM categories "
				   "WHERE disaggregation_id = ? ORDER BY position", &q, r->d);
	for (size_t i = 0; rc == RBM_OK && i < p->disaggregations_len; i++) {
		struct rbm_disaggregation *g = &p->disaggregations[i];
		struct rbm_category *cv = NULL;
		struct id_map ids = {0};
		size_t ccap = 0;
		rbm_query_bind_int(q, 1, disaggs->id[i]);
		while ((rc = rbm_query_step(q, r->d)) == RBM_OK) {
			rbm_xgrow(&cv, &ccap, g->categories_len + 1, sizeof *cv);
			struct rbm_category *c = &cv[g->categories_len++];
			memset(c, 0, sizeof *c);
			map_add(&ids, rbm_query_int(q, 0));
			c->code = dup_text(q, 1, a);
			col_meta(q, 2, &c->meta, a);
		}
		rbm_query_reset(q);
		g->categories = to_arena(r, cv, g->categories_len, sizeof *cv);
		for (size_t k = 0; k < g->categories_len; k++) {
			want_text(r, ids.id[k], "title", &g->categories[k].title);
			want_text(r, ids.id[k], "note", &g->categories[k].meta.note);
		}
		free(ids.id);
		if (rc == RBM_ENOENT)
			rc = RBM_OK;
	}
	rbm_query_free(q);
	if (rc != RBM_OK)
		return rc;
	return flush_texts(r, "category");
}

static enum rbm_rc get_results(struct reader *r, struct id_map *results,
			       const struct id_map *programmes, const struct id_map *themes)
{
	struct rbm_plan *p = r->p;
	struct rbm_arena *a = p->arena;
	struct rbm_query *q = NULL;
	size_t cap = 0;
	struct rbm_result *v = NULL;
	/* In position order: parents come before children. */
	enum rbm_rc rc = select_plan_rows(r, "SELECT id, parent_id, level, code, unofficial, "
					     "unverified, sources FROM results WHERE plan_id = ? "
					     "ORDER BY position", &q);
	while (rc == RBM_OK && (rc = rbm_query_step(q, r->d)) == RBM_OK) {
		rbm_xgrow(&v, &cap, p->results_len + 1, sizeof *v);
		struct rbm_result *res = &v[p->results_len++];
		memset(res, 0, sizeof *res);
		map_add(results, rbm_query_int(q, 0));
		res->parent = rbm_query_is_null(q, 1) ? RBM_NONE
						      : map_find(results, rbm_query_int(q, 1));
		res->level = (unsigned)rbm_query_int(q, 2);
		res->code = dup_text(q, 3, a);
		col_meta(q, 4, &res->meta, a);
	}
	rbm_query_free(q);
	q = NULL;
	p->results = to_arena(r, v, p->results_len, sizeof *v);
	if (rc != RBM_ENOENT)
		return rc;
	for (size_t i = 0; i < p->results_len; i++) {
		struct rbm_result *res = &p->results[i];
		want_text(r, results->id[i], "title", &res->title);
		want_text(r, results->id[i], "short_title", &res->short_title);
		want_text(r, results->id[i], "description", &res->description);
		want_text(r, results->id[i], "note", &res->meta.note);
	}
	if ((rc = flush_texts(r, "result")) != RBM_OK)
		return rc;
	rc = rbm_store_query(r->s, "SELECT t.id, t.kind FROM result_tags rt JOIN tags t ON "
				   "t.id = rt.tag_id WHERE rt.result_id = ? ORDER BY rt.position",
			     &q, r->d);
	for (size_t i = 0; rc == RBM_OK && i < p->results_len; i++) {
		struct rbm_result *res = &p->results[i];
		size_t pcap = 0, tcap = 0;
		size_t *pv = NULL, *tv = NULL;
		rbm_query_bind_int(q, 1, results->id[i]);
		while ((rc = rbm_query_step(q, r->d)) == RBM_OK) {
			long long tid = rbm_query_int(q, 0);
			const char *kind = rbm_query_text(q, 1);
			if (kind && strcmp(kind, "programme") == 0) {
				rbm_xgrow(&pv, &pcap, res->programmes_len + 1, sizeof *pv);
				pv[res->programmes_len++] = map_find(programmes, tid);
			} else if (kind && strcmp(kind, "theme") == 0) {
				rbm_xgrow(&tv, &tcap, res->themes_len + 1, sizeof *tv);
				tv[res->themes_len++] = map_find(themes, tid);
			}
		}
		rbm_query_reset(q);
		res->programmes = to_arena(r, pv, res->programmes_len, sizeof *pv);
		res->themes = to_arena(r, tv, res->themes_len, sizeof *tv);
		if (rc == RBM_ENOENT)
			rc = RBM_OK;
	}
	rbm_query_free(q);
	return rc;
}

static enum rbm_rc get_indicators(struct reader *r, const struct id_map *results,
				  const struct id_map *disaggs, struct id_map *inds)
{
	struct rbm_plan *p = r->p;
	struct rbm_arena *a = p->arena;
	struct rbm_query *q = NULL;
	size_t cap = 0;
	struct rbm_indicator *v = NULL;
	enum rbm_rc rc = select_plan_rows(
		r, "SELECT id, result_id, code, unit, currency, aggregation, count_of, place_combine, "
		   "direction, baseline_value, baseline_year, illustrative, unofficial, unverified, "
		   "sources FROM indicators WHERE plan_id = ? ORDER BY position", &q);
	while (rc == RBM_OK && (rc = rbm_query_step(q, r->d)) == RBM_OK) {
		rbm_xgrow(&v, &cap, p->indicators_len + 1, sizeof *v);
		struct rbm_indicator *ind = &v[p->indicators_len++];
		memset(ind, 0, sizeof *ind);
		map_add(inds, rbm_query_int(q, 0));
		ind->result = map_find(results, rbm_query_int(q, 1));
		ind->code = dup_text(q, 2, a);
		const char *t;
		if ((t = rbm_query_text(q, 3)))
			rbm_unit_parse(t, &ind->unit);
		ind->currency = dup_text(q, 4, a);
		if ((t = rbm_query_text(q, 5)))
			rbm_aggregation_parse(t, &ind->aggregation);
		ind->count_of = RBM_COUNT_NONE;
		if ((t = rbm_query_text(q, 6)))
			rbm_count_of_parse(t, &ind->count_of);
		if ((t = rbm_query_text(q, 7)))
			rbm_place_combine_parse(t, &ind->place_combine);
		if ((t = rbm_query_text(q, 8)))
			rbm_direction_parse(t, &ind->direction);
		ind->has_baseline = !rbm_query_is_null(q, 9);
		ind->baseline_value = rbm_query_double(q, 9);
		ind->baseline_year = (int)rbm_query_int(q, 10);
		ind->illustrative = rbm_query_int(q, 11) != 0;
		col_meta(q, 12, &ind->meta, a);
	}
	rbm_query_free(q);
	q = NULL;
	p->indicators = to_arena(r, v, p->indicators_len, sizeof *v);
	if (rc != RBM_ENOENT)
		return rc;
	for (size_t i = 0; i < p->indicators_len; i++) {
		want_text(r, inds->id[i], "title", &p->indicators[i].title);
		want_text(r, inds->id[i], "definition", &p->indicators[i].definition);
		want_text(r, inds->id[i], "note", &p->indicators[i].meta.note);
	}
	if ((rc = flush_texts(r, "indicator")) != RBM_OK)
		return rc;
	static const char *const sql[] = {
		"SELECT year, value FROM targets WHERE indicator_id = ? ORDER BY year",
		"SELECT disaggregation_id FROM indicator_disaggregations WHERE indicator_id = ? "
		"ORDER BY position",
	};
	struct rbm_query *st[2] = {NULL, NULL};
	rc = prepare_all(r->s, r->d, 2, sql, st);
	for (size_t i = 0; rc == RBM_OK && i < p->indicators_len; i++) {
		struct rbm_indicator *ind = &p->indicators[i];
		size_t tcap = 0, dcap = 0;
		struct rbm_target *tv = NULL;
		size_t *dv = NULL;
		rbm_query_bind_int(st[0], 1, inds->id[i]);
		while ((rc = rbm_query_step(st[0], r->d)) == RBM_OK) {
			rbm_xgrow(&tv, &tcap, ind->targets_len + 1, sizeof *tv);
			tv[ind->targets_len++] = (struct rbm_target){(int)rbm_query_int(st[0], 0),
								     rbm_query_double(st[0], 1)};
		}
		rbm_query_reset(st[0]);
		ind->targets = to_arena(r, tv, ind->targets_len, sizeof *tv);
		if (rc != RBM_ENOENT) {
			free(dv);
			break;
		}
		rbm_query_bind_int(st[1], 1, inds->id[i]);
		while ((rc = rbm_query_step(st[1], r->d)) == RBM_OK) {
			rbm_xgrow(&dv, &dcap, ind->disaggregations_len + 1, sizeof *dv);
			dv[ind->disaggregations_len++] = map_find(disaggs, rbm_query_int(st[1], 0));
		}
		rbm_query_reset(st[1]);
		ind->disaggregations = to_arena(r, dv, ind->disaggregations_len, sizeof *dv);
		if (rc == RBM_ENOENT)
			rc = RBM_OK;
	}
	free_all(2, st);
	return rc;
}

static enum rbm_rc get_offices(struct reader *r, const struct id_map *inds)
{
	struct rbm_plan *p = r->p;
	struct rbm_arena *a = p->arena;
	struct rbm_query *q = NULL;
	struct id_map offices = {0};
	long long *parents = NULL;
	size_t cap = 0, pcap = 0;
	struct rbm_office *v = NULL;
	enum rbm_rc rc = select_plan_rows(r, "SELECT id, code, kind, parent_id, seat, unofficial, "
					     "unverified, sources FROM offices WHERE plan_id = ? "
					     "ORDER BY position", &q);
	while (rc == RBM_OK && (rc = rbm_query_step(q, r->d)) == RBM_OK) {
		rbm_xgrow(&v, &cap, p->offices_len + 1, sizeof *v);
		rbm_xgrow(&parents, &pcap, p->offices_len + 1, sizeof *parents);
		struct rbm_office *o = &v[p->offices_len];
		memset(o, 0, sizeof *o);
		parents[p->offices_len++] = rbm_query_int(q, 3);
		map_add(&offices, rbm_query_int(q, 0));
		o->code = dup_text(q, 1, a);
		const char *kind = rbm_query_text(q, 2);
		if (kind)
			rbm_office_kind_parse(kind, &o->kind);
		o->seat = dup_text(q, 4, a);
		col_meta(q, 5, &o->meta, a);
	}
	rbm_query_free(q);
	q = NULL;
	p->offices = to_arena(r, v, p->offices_len, sizeof *v);
	static const char *const sql[] = {
		"SELECT code FROM office_places WHERE office_id = ? AND kind = 'country' "
		"ORDER BY position",
		"SELECT code FROM office_places WHERE office_id = ? AND kind = 'region' "
		"ORDER BY position",
		"SELECT indicator_id FROM office_indicators WHERE office_id = ? ORDER BY position",
	};
	struct rbm_query *st[3] = {NULL, NULL, NULL};
	if (rc == RBM_ENOENT)
		rc = prepare_all(r->s, r->d, 3, sql, st);
	for (size_t i = 0; rc == RBM_OK && i < p->offices_len; i++) {
		struct rbm_office *o = &p->offices[i];
		o->parent = parents[i] ? map_find(&offices, parents[i]) : RBM_NONE;
		if ((rc = get_codes(r, st[0], offices.id[i], &o->countries, &o->countries_len)) ||
		    (rc = get_codes(r, st[1], offices.id[i], &o->regions, &o->regions_len)))
			break;
		want_text(r, offices.id[i], "title", &o->title);
		want_text(r, offices.id[i], "note", &o->meta.note);
		size_t icap = 0;
		size_t *iv = NULL;
		rbm_query_bind_int(st[2], 1, offices.id[i]);
		while ((rc = rbm_query_step(st[2], r->d)) == RBM_OK) {
			size_t at = map_find(inds, rbm_query_int(st[2], 0));
			if (at == RBM_NONE)
				continue;
			rbm_xgrow(&iv, &icap, o->indicators_len + 1, sizeof *iv);
			iv[o->indicators_len++] = at;
		}
		rbm_query_reset(st[2]);
		o->indicators = to_arena(r, iv, o->indicators_len, sizeof *iv);
		if (rc == RBM_ENOENT)
			rc = RBM_OK;
	}
	free_all(3, st);
	free(parents);
	free(offices.id);
	if (rc != RBM_OK)
		return rc;
	return flush_texts(r, "office");
}

static enum rbm_rc get_cities(struct reader *r)
{
	struct rbm_plan *p = r->p;
	struct rbm_arena *a = p->arena;
	struct rbm_query *q = NULL;
	struct id_map ids = {0};
	size_t cap = 0;
	struct rbm_city *v = NULL;
	enum rbm_rc rc = select_plan_rows(r, "SELECT id, code, country, unofficial, unverified, "
					     "sources FROM cities WHERE plan_id = ? ORDER BY position",
					  &q);
	while (rc == RBM_OK && (rc = rbm_query_step(q, r->d)) == RBM_OK) {
		rbm_xgrow(&v, &cap, p->cities_len + 1, sizeof *v);
		struct rbm_city *c = &v[p->cities_len++];
		memset(c, 0, sizeof *c);
		map_add(&ids, rbm_query_int(q, 0));
		c->code = dup_text(q, 1, a);
		c->country = dup_text(q, 2, a);
		col_meta(q, 3, &c->meta, a);
	}
	rbm_query_free(q);
	p->cities = to_arena(r, v, p->cities_len, sizeof *v);
	if (rc == RBM_ENOENT) {
		for (size_t i = 0; i < p->cities_len; i++) {
			want_text(r, ids.id[i], "title", &p->cities[i].title);
			want_text(r, ids.id[i], "note", &p->cities[i].meta.note);
		}
		rc = flush_texts(r, "city");
	}
	free(ids.id);
	return rc;
}

static enum rbm_rc get_plan_all(struct reader *r)
{
	struct rbm_plan *p = r->p;
	struct id_map programmes = {0}, themes = {0}, drivers = {0}, enablers = {0}, disaggs = {0},
		      results = {0}, inds = {0};
	enum rbm_rc rc;
	if ((rc = get_plan_row(r)) != RBM_OK ||
	    (rc = get_tags(r, "programme", &p->programmes, &p->programmes_len, &programmes)) ||
	    (rc = get_tags(r, "theme", &p->themes, &p->themes_len, &themes)) ||
	    (rc = get_tags(r, "driver", &p->drivers, &p->drivers_len, &drivers)) ||
	    (rc = get_tags(r, "enabler", &p->enablers, &p->enablers_len, &enablers)) ||
	    (rc = flush_texts(r, "tag")) || (rc = get_disaggregations(r, &disaggs)) ||
	    (rc = get_results(r, &results, &programmes, &themes)) ||
	    (rc = get_indicators(r, &results, &disaggs, &inds)) || (rc = get_offices(r, &inds)))
		goto out;
	rc = get_cities(r);
out:
	free(programmes.id);
	free(themes.id);
	free(drivers.id);
	free(enablers.id);
	free(disaggs.id);
	free(results.id);
	free(inds.id);
	return rc;
}

/* The id of the plan with this code (the newest when NULL): RBM_ENOENT when there is none. */
static enum rbm_rc find_plan(struct rbm_store *s, const char *code, long long *out,
			     struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, code ? "SELECT id FROM plans WHERE code = ?"
						 : "SELECT id FROM plans ORDER BY id DESC LIMIT 1",
					 &q, d);
	if (rc != RBM_OK)
		return rc;
	if (code)
		rbm_query_bind_text(q, 1, code);
	rc = rbm_query_step(q, d);
	if (rc == RBM_OK)
		*out = rbm_query_int(q, 0);
	rbm_query_free(q);
	return rc;
}

/* Reads plan id into a new plan; the caller holds the transaction. */
static enum rbm_rc read_plan(struct rbm_store *s, long long id, struct rbm_plan **out,
			     struct rbm_diag *d)
{
	struct reader r = {s, d, rbm_plan_new(), id, NULL, 0, 0};
	enum rbm_rc rc = get_plan_all(&r);
	free(r.t);
	if (rc != RBM_OK) {
		rbm_plan_free(r.p);
		return rc;
	}
	*out = r.p;
	return RBM_OK;
}

enum rbm_rc rbm_store__get_plan(struct rbm_store *s, const char *code, struct rbm_plan **out,
				struct rbm_diag *d)
{
	const char *name = rbm_store__name(s);
	/* One read transaction: a consistent snapshot. */
	enum rbm_rc rc = rbm_store_begin_read(s, d);
	if (rc != RBM_OK)
		return rc;
	long long id = 0;
	rc = find_plan(s, code, &id, d);
	if (rc == RBM_ENOENT) {
		if (code)
			rbm_diag_add(d, name, NULL, "no plan with code \"%s\"", code);
		else
			rbm_diag_add(d, name, NULL,
				     "the database holds no plan (load one with 'rbm init --plan FILE')");
	}
	if (rc == RBM_OK)
		rc = read_plan(s, id, out, d);
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	else
		rbm_store_rollback(s);
	return rc;
}

enum rbm_rc rbm_store__put_plan(struct rbm_store *s, const struct rbm_plan *p, bool replace,
				bool *changed, struct rbm_diag *d)
{
	struct writer w = {s, d, 0, NULL};
	char *old_json = NULL, *new_json = NULL;
	struct rbm_plan *old = NULL;
	bool wrote = false;
	enum rbm_rc rc = rbm_store_begin(s, d);
	if (rc != RBM_OK)
		return rc;
	long long old_id = 0;
	rc = find_plan(s, p->code, &old_id, d);
	if (rc == RBM_OK) {
		/* Stored already: the same plan changes nothing. */
		if ((rc = read_plan(s, old_id, &old, d)) != RBM_OK ||
		    (rc = rbm_plan_to_json(old, &old_json)) != RBM_OK ||
		    (rc = rbm_plan_to_json(p, &new_json)) != RBM_OK)
			goto out;
		if (strcmp(old_json, new_json) == 0)
			goto out;
		if (!replace) {
			rbm_diag_add(d, rbm_store__name(s), NULL,
				     "holds a different plan \"%s\" already (use --replace to replace it)",
				     p->code);
			rc = RBM_ECONFLICT;
			goto out;
		}
		struct rbm_query *del = NULL;
		if ((rc = rbm_store_query(s, "DELETE FROM plans WHERE id = ?", &del, d)) != RBM_OK)
			goto out;
		rbm_query_bind_int(del, 1, old_id);
		rc = rbm_query_exec(del, d);
		rbm_query_free(del);
		if (rc != RBM_OK)
			goto out;
	} else if (rc != RBM_ENOENT) {
		goto out;
	}
	if ((rc = rbm_store_query(s, TEXT_INSERT, &w.text, d)) != RBM_OK)
		goto out;
	rc = put_plan_all(&w, p);
	if (rc == RBM_ECONFLICT) /* a constraint or trigger refused a row of a valid plan */
		rc = RBM_ESTORE;
	wrote = rc == RBM_OK;
out:
	rbm_query_free(w.text);
	free(old_json);
	free(new_json);
	rbm_plan_free(old);
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	if (rc != RBM_OK) {
		rbm_store_rollback(s);
		wrote = false;
	}
	if (changed)
		*changed = wrote;
	return rc;
}
