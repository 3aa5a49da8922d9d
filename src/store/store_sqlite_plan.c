/*
 * store_sqlite_plan.c - storing and reading plans in SQLite.
 *
 * A plan is written whole in one transaction: its row, then its levels,
 * tags, disaggregations, results (parents first), indicators, offices and
 * cities, each element's texts in the texts table. Reading it back builds
 * the same struct rbm_plan (the round-trip test compares canonical JSON).
 */
#include "store_int.h"
#include "store_sqlite_int.h"

#include "../core/alloc.h"
#include "../core/arena.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing ---- */

static enum rbm_rc put_tags(struct rbm_store__sq_writer *w, const char *kind, const struct rbm_tag *v, size_t n,
			    sqlite3_int64 *ids)
{
	sqlite3_stmt *st = rbm_store__sq_prep(w->s, "INSERT INTO tags(plan_id, kind, position, code, number, "
				      "subkind, unofficial, unverified, sources) "
				      "VALUES (?,?,?,?,?,?,?,?,?)", w->d);
	if (st == NULL)
		return RBM_ESTORE;
	enum rbm_rc rc = RBM_OK;
	for (size_t i = 0; rc == RBM_OK && i < n; i++) {
		sqlite3_bind_int64(st, 1, w->plan_id);
		sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
		rbm_store__sq_bind_text(st, 4, v[i].code);
		if (v[i].number)
			sqlite3_bind_int(st, 5, v[i].number);
		rbm_store__sq_bind_text(st, 6, v[i].kind);
		rbm_store__sq_bind_meta(st, 7, &v[i].meta);
		rc = rbm_store__sq_run(w->s, st, "storing a programme, theme, driver or enabler", w->d);
		if (rc != RBM_OK)
			break;
		ids[i] = sqlite3_last_insert_rowid(w->s->db);
		rc = rbm_store__sq_put_text(w, "tag", ids[i], "title", &v[i].title);
		if (rc == RBM_OK)
			rc = rbm_store__sq_put_text(w, "tag", ids[i], "short_title", &v[i].short_title);
		if (rc == RBM_OK)
			rc = rbm_store__sq_put_text(w, "tag", ids[i], "description", &v[i].description);
		if (rc == RBM_OK)
			rc = rbm_store__sq_put_text(w, "tag", ids[i], "note", &v[i].meta.note);
	}
	sqlite3_finalize(st);
	return rc;
}

struct plan_ids {
	sqlite3_int64 *programmes, *themes, *drivers, *enablers, *disaggs, *results, *offices,
		*indicators;
};

static enum rbm_rc put_plan_rows(struct rbm_store__sq_writer *w, const struct rbm_plan *p, struct plan_ids *ids)
{
	struct rbm_store__sq *s = w->s;
	struct rbm_diag *d = w->d;
	enum rbm_rc rc;
	sqlite3_stmt *st = rbm_store__sq_prep(s, "INSERT INTO plans(code, first_year, last_year, "
				   "illustrative_indicators, approved_by, threshold_achieved, "
				   "threshold_on_track, unofficial, unverified, sources) "
				   "VALUES (?,?,?,?,?,?,?,?,?,?)", d);
	if (st == NULL)
		return RBM_ESTORE;
	rbm_store__sq_bind_text(st, 1, p->code);
	sqlite3_bind_int(st, 2, p->first_year);
	sqlite3_bind_int(st, 3, p->last_year);
	sqlite3_bind_int(st, 4, p->illustrative_indicators);
	rbm_store__sq_bind_text(st, 5, p->approved_by);
	sqlite3_bind_double(st, 6, p->threshold_achieved);
	sqlite3_bind_double(st, 7, p->threshold_on_track);
	rbm_store__sq_bind_meta(st, 8, &p->meta);
	rc = rbm_store__sq_run(s, st, "storing the plan", d);
	sqlite3_finalize(st);
	if (rc != RBM_OK)
		return rc;
	w->plan_id = sqlite3_last_insert_rowid(s->db);
	/* Only a plan that has them writes the IATI columns (schema 8): one without is stored as before. */
	if (p->iati.org_ref) {
		st = rbm_store__sq_prep(s, "UPDATE plans SET iati_org_ref = ?, iati_org_type = ?, "
					   "iati_activity_prefix = ? WHERE id = ?", d);
		if (st == NULL)
			return RBM_ESTORE;
		rbm_store__sq_bind_text(st, 1, p->iati.org_ref);
		rbm_store__sq_bind_text(st, 2, p->iati.org_type);
		rbm_store__sq_bind_text(st, 3, p->iati.activity_prefix);
		sqlite3_bind_int64(st, 4, w->plan_id);
		rc = rbm_store__sq_run(s, st, "storing the plan's IATI identifiers", d);
		sqlite3_finalize(st);
		if (rc != RBM_OK)
			return rc;
	}
	if ((rc = rbm_store__sq_put_text(w, "plan", w->plan_id, "title", &p->title)) != RBM_OK ||
	    (rc = rbm_store__sq_put_text(w, "plan", w->plan_id, "subtitle", &p->subtitle)) != RBM_OK ||
	    (rc = rbm_store__sq_put_text(w, "plan", w->plan_id, "description", &p->description)) != RBM_OK ||
	    (rc = rbm_store__sq_put_text(w, "plan", w->plan_id, "about_note", &p->about_note)) != RBM_OK ||
	    (rc = rbm_store__sq_put_text(w, "plan", w->plan_id, "iati_org_name", &p->iati.org_name)) != RBM_OK ||
	    (rc = rbm_store__sq_put_text(w, "plan", w->plan_id, "note", &p->meta.note)) != RBM_OK)
		return rc;

	st = rbm_store__sq_prep(s, "INSERT INTO levels(plan_id, depth, key, unofficial, unverified, "
				   "sources) VALUES (?,?,?,?,?,?)", d);
	if (st == NULL)
		return RBM_ESTORE;
	for (size_t i = 0; rc == RBM_OK && i < p->levels_len; i++) {
		sqlite3_bind_int64(st, 1, w->plan_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		rbm_store__sq_bind_text(st, 3, p->levels[i].key);
		rbm_store__sq_bind_meta(st, 4, &p->levels[i].meta);
		rc = rbm_store__sq_run(s, st, "storing a level", d);
		sqlite3_int64 id = sqlite3_last_insert_rowid(s->db);
		if (rc == RBM_OK)
			rc = rbm_store__sq_put_text(w, "level", id, "title", &p->levels[i].title);
		if (rc == RBM_OK)
			rc = rbm_store__sq_put_text(w, "level", id, "note", &p->levels[i].meta.note);
	}
	sqlite3_finalize(st);
	if (rc != RBM_OK)
		return rc;

	if ((rc = put_tags(w, "programme", p->programmes, p->programmes_len, ids->programmes)) ||
	    (rc = put_tags(w, "theme", p->themes, p->themes_len, ids->themes)) ||
	    (rc = put_tags(w, "driver", p->drivers, p->drivers_len, ids->drivers)) ||
	    (rc = put_tags(w, "enabler", p->enablers, p->enablers_len, ids->enablers)))
		return rc;

	st = rbm_store__sq_prep(s, "INSERT INTO disaggregations(plan_id, position, code, unofficial, unverified, "
		     "sources) VALUES (?,?,?,?,?,?)", d);
	sqlite3_stmt *cat = rbm_store__sq_prep(s, "INSERT INTO categories(disaggregation_id, position, code, "
				    "unofficial, unverified, sources) VALUES (?,?,?,?,?,?)", d);
	if (st == NULL || cat == NULL)
		rc = RBM_ESTORE;
	for (size_t i = 0; rc == RBM_OK && i < p->disaggregations_len; i++) {
		const struct rbm_disaggregation *g = &p->disaggregations[i];
		sqlite3_bind_int64(st, 1, w->plan_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		rbm_store__sq_bind_text(st, 3, g->code);
		rbm_store__sq_bind_meta(st, 4, &g->meta);
		rc = rbm_store__sq_run(s, st, "storing a disaggregation", d);
		if (rc != RBM_OK)
			break;
		ids->disaggs[i] = sqlite3_last_insert_rowid(s->db);
		rc = rbm_store__sq_put_text(w, "disaggregation", ids->disaggs[i], "title", &g->title);
		if (rc == RBM_OK)
			rc = rbm_store__sq_put_text(w, "disaggregation", ids->disaggs[i], "note", &g->meta.note);
		for (size_t c = 0; rc == RBM_OK && c < g->categories_len; c++) {
			sqlite3_bind_int64(cat, 1, ids->disaggs[i]);
			sqlite3_bind_int64(cat, 2, (sqlite3_int64)c);
			rbm_store__sq_bind_text(cat, 3, g->categories[c].code);
			rbm_store__sq_bind_meta(cat, 4, &g->categories[c].meta);
			rc = rbm_store__sq_run(s, cat, "storing a category", d);
			sqlite3_int64 cid = sqlite3_last_insert_rowid(s->db);
			if (rc == RBM_OK)
				rc = rbm_store__sq_put_text(w, "category", cid, "title", &g->categories[c].title);
			if (rc == RBM_OK)
				rc = rbm_store__sq_put_text(w, "category", cid, "note",
							    &g->categories[c].meta.note);
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(cat);
	return rc;
}

static enum rbm_rc put_results(struct rbm_store__sq_writer *w, const struct rbm_plan *p, struct plan_ids *ids)
{
	struct rbm_store__sq *s = w->s;
	struct rbm_diag *d = w->d;
	enum rbm_rc rc = RBM_OK;
	sqlite3_stmt *st = rbm_store__sq_prep(s, "INSERT INTO results(plan_id, parent_id, position, level, code, "
				   "unofficial, unverified, sources) VALUES (?,?,?,?,?,?,?,?)", d);
	sqlite3_stmt *tag = rbm_store__sq_prep(s, "INSERT INTO result_tags(result_id, tag_id, position) "
				    "VALUES (?,?,?)", d);
	if (st == NULL || tag == NULL)
		rc = RBM_ESTORE;
	for (size_t i = 0; rc == RBM_OK && i < p->results_len; i++) {
		const struct rbm_result *r = &p->results[i];
		sqlite3_bind_int64(st, 1, w->plan_id);
		if (r->parent != RBM_NONE)
			sqlite3_bind_int64(st, 2, ids->results[r->parent]);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
		sqlite3_bind_int(st, 4, (int)r->level);
		rbm_store__sq_bind_text(st, 5, r->code);
		rbm_store__sq_bind_meta(st, 6, &r->meta);
		rc = rbm_store__sq_run(s, st, "storing a result", d);
		if (rc != RBM_OK)
			break;
		sqlite3_int64 id = ids->results[i] = sqlite3_last_insert_rowid(s->db);
		if ((rc = rbm_store__sq_put_text(w, "result", id, "title", &r->title)) ||
		    (rc = rbm_store__sq_put_text(w, "result", id, "short_title", &r->short_title)) ||
		    (rc = rbm_store__sq_put_text(w, "result", id, "description", &r->description)) ||
		    (rc = rbm_store__sq_put_text(w, "result", id, "note", &r->meta.note)))
			break;
		size_t pos = 0;
		for (size_t k = 0; rc == RBM_OK && k < r->programmes_len; k++) {
			sqlite3_bind_int64(tag, 1, id);
			sqlite3_bind_int64(tag, 2, ids->programmes[r->programmes[k]]);
			sqlite3_bind_int64(tag, 3, (sqlite3_int64)pos++);
			rc = rbm_store__sq_run(s, tag, "tagging a result", d);
		}
		for (size_t k = 0; rc == RBM_OK && k < r->themes_len; k++) {
			sqlite3_bind_int64(tag, 1, id);
			sqlite3_bind_int64(tag, 2, ids->themes[r->themes[k]]);
			sqlite3_bind_int64(tag, 3, (sqlite3_int64)pos++);
			rc = rbm_store__sq_run(s, tag, "tagging a result", d);
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(tag);
	return rc;
}

static enum rbm_rc put_indicators(struct rbm_store__sq_writer *w, const struct rbm_plan *p,
				  struct plan_ids *ids)
{
	struct rbm_store__sq *s = w->s;
	struct rbm_diag *d = w->d;
	enum rbm_rc rc = RBM_OK;
	sqlite3_stmt *st = rbm_store__sq_prep(s, "INSERT INTO indicators(plan_id, result_id, position, code, unit, "
				   "currency, aggregation, count_of, place_combine, direction, "
				   "baseline_value, baseline_year, illustrative, unofficial, "
				   "unverified, sources) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", d);
	sqlite3_stmt *tg = rbm_store__sq_prep(s, "INSERT INTO targets(indicator_id, year, value) VALUES (?,?,?)", d);
	sqlite3_stmt *dg = rbm_store__sq_prep(s, "INSERT INTO indicator_disaggregations(indicator_id, "
				   "disaggregation_id, position) VALUES (?,?,?)", d);
	if (st == NULL || tg == NULL || dg == NULL)
		rc = RBM_ESTORE;
	for (size_t i = 0; rc == RBM_OK && i < p->indicators_len; i++) {
		const struct rbm_indicator *ind = &p->indicators[i];
		sqlite3_bind_int64(st, 1, w->plan_id);
		sqlite3_bind_int64(st, 2, ids->results[ind->result]);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
		rbm_store__sq_bind_text(st, 4, ind->code);
		rbm_store__sq_bind_text(st, 5, rbm_unit_name(ind->unit));
		rbm_store__sq_bind_text(st, 6, ind->currency);
		rbm_store__sq_bind_text(st, 7, rbm_aggregation_name(ind->aggregation));
		rbm_store__sq_bind_text(st, 8, ind->count_of == RBM_COUNT_NONE ? NULL : rbm_count_of_name(ind->count_of));
		rbm_store__sq_bind_text(st, 9, rbm_place_combine_name(ind->place_combine));
		rbm_store__sq_bind_text(st, 10, rbm_direction_name(ind->direction));
		if (ind->has_baseline) {
			sqlite3_bind_double(st, 11, ind->baseline_value);
			sqlite3_bind_int(st, 12, ind->baseline_year);
		}
		sqlite3_bind_int(st, 13, ind->illustrative);
		rbm_store__sq_bind_meta(st, 14, &ind->meta);
		rc = rbm_store__sq_run(s, st, "storing an indicator", d);
		if (rc != RBM_OK)
			break;
		sqlite3_int64 id = ids->indicators[i] = sqlite3_last_insert_rowid(s->db);
		if ((rc = rbm_store__sq_put_text(w, "indicator", id, "title", &ind->title)) ||
		    (rc = rbm_store__sq_put_text(w, "indicator", id, "definition", &ind->definition)) ||
		    (rc = rbm_store__sq_put_text(w, "indicator", id, "note", &ind->meta.note)))
			break;
		for (size_t k = 0; rc == RBM_OK && k < ind->targets_len; k++) {
			sqlite3_bind_int64(tg, 1, id);
			sqlite3_bind_int(tg, 2, ind->targets[k].year);
			sqlite3_bind_double(tg, 3, ind->targets[k].value);
			rc = rbm_store__sq_run(s, tg, "storing a target", d);
		}
		for (size_t k = 0; rc == RBM_OK && k < ind->disaggregations_len; k++) {
			sqlite3_bind_int64(dg, 1, id);
			sqlite3_bind_int64(dg, 2, ids->disaggs[ind->disaggregations[k]]);
			sqlite3_bind_int64(dg, 3, (sqlite3_int64)k);
			rc = rbm_store__sq_run(s, dg, "storing an indicator's disaggregation", d);
		}
	}
	sqlite3_finalize(st);
	sqlite3_finalize(tg);
	sqlite3_finalize(dg);
	return rc;
}

static enum rbm_rc put_offices(struct rbm_store__sq_writer *w, const struct rbm_plan *p, struct plan_ids *ids)
{
	struct rbm_store__sq *s = w->s;
	struct rbm_diag *d = w->d;
	enum rbm_rc rc = RBM_OK;
	sqlite3_stmt *st = rbm_store__sq_prep(s, "INSERT INTO offices(plan_id, position, code, kind, seat, "
				   "unofficial, unverified, sources) VALUES (?,?,?,?,?,?,?,?)", d);
	sqlite3_stmt *pl = rbm_store__sq_prep(s, "INSERT INTO office_places(office_id, kind, position, code) "
				   "VALUES (?,?,?,?)", d);
	sqlite3_stmt *par = rbm_store__sq_prep(s, "UPDATE offices SET parent_id = ? WHERE id = ?", d);
	sqlite3_stmt *oi = rbm_store__sq_prep(s, "INSERT INTO office_indicators(office_id, "
						 "indicator_id, position) VALUES (?,?,?)", d);
	sqlite3_stmt *ct = rbm_store__sq_prep(s, "INSERT INTO cities(plan_id, position, code, country, unofficial, "
				   "unverified, sources) VALUES (?,?,?,?,?,?,?)", d);
	if (st == NULL || pl == NULL || par == NULL || ct == NULL || oi == NULL)
		rc = RBM_ESTORE;
	for (size_t i = 0; rc == RBM_OK && i < p->offices_len; i++) {
		const struct rbm_office *o = &p->offices[i];
		sqlite3_bind_int64(st, 1, w->plan_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		rbm_store__sq_bind_text(st, 3, o->code);
		rbm_store__sq_bind_text(st, 4, rbm_office_kind_name(o->kind));
		rbm_store__sq_bind_text(st, 5, o->seat);
		rbm_store__sq_bind_meta(st, 6, &o->meta);
		rc = rbm_store__sq_run(s, st, "storing an office", d);
		if (rc != RBM_OK)
			break;
		sqlite3_int64 id = ids->offices[i] = sqlite3_last_insert_rowid(s->db);
		if ((rc = rbm_store__sq_put_text(w, "office", id, "title", &o->title)) ||
		    (rc = rbm_store__sq_put_text(w, "office", id, "note", &o->meta.note)))
			break;
		for (size_t k = 0; rc == RBM_OK && k < o->countries_len + o->regions_len; k++) {
			bool country = k < o->countries_len;
			sqlite3_bind_int64(pl, 1, id);
			sqlite3_bind_text(pl, 2, country ? "country" : "region", -1, SQLITE_STATIC);
			sqlite3_bind_int64(pl, 3, (sqlite3_int64)k);
			rbm_store__sq_bind_text(pl, 4, country ? o->countries[k] : o->regions[k - o->countries_len]);
			rc = rbm_store__sq_run(s, pl, "storing an office's places", d);
		}
		for (size_t k = 0; rc == RBM_OK && k < o->indicators_len; k++) {
			sqlite3_bind_int64(oi, 1, id);
			sqlite3_bind_int64(oi, 2, ids->indicators[o->indicators[k]]);
			sqlite3_bind_int64(oi, 3, (sqlite3_int64)k);
			rc = rbm_store__sq_run(s, oi, "storing an office's indicators", d);
		}
	}
	/* Parents may come after their children in the file: link them last. */
	for (size_t i = 0; rc == RBM_OK && i < p->offices_len; i++) {
		if (p->offices[i].parent == RBM_NONE)
			continue;
		sqlite3_bind_int64(par, 1, ids->offices[p->offices[i].parent]);
		sqlite3_bind_int64(par, 2, ids->offices[i]);
		rc = rbm_store__sq_run(s, par, "linking an office to its parent", d);
	}
	for (size_t i = 0; rc == RBM_OK && i < p->cities_len; i++) {
		const struct rbm_city *c = &p->cities[i];
		sqlite3_bind_int64(ct, 1, w->plan_id);
		sqlite3_bind_int64(ct, 2, (sqlite3_int64)i);
		rbm_store__sq_bind_text(ct, 3, c->code);
		rbm_store__sq_bind_text(ct, 4, c->country);
		rbm_store__sq_bind_meta(ct, 5, &c->meta);
		rc = rbm_store__sq_run(s, ct, "storing a city", d);
		if (rc != RBM_OK)
			break;
		sqlite3_int64 id = sqlite3_last_insert_rowid(s->db);
		if ((rc = rbm_store__sq_put_text(w, "city", id, "title", &c->title)) == RBM_OK)
			rc = rbm_store__sq_put_text(w, "city", id, "note", &c->meta.note);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(pl);
	sqlite3_finalize(par);
	sqlite3_finalize(oi);
	sqlite3_finalize(ct);
	return rc;
}

static sqlite3_int64 *ids_new(size_t n)
{
	return rbm_xcalloc(n ? n : 1, sizeof(sqlite3_int64));
}

/* Writes the whole plan; the caller holds the transaction. */
static enum rbm_rc put_plan_all(struct rbm_store__sq_writer *w, const struct rbm_plan *p)
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

/* ---- reading ---- */

/* Index of id in a sorted (id, index) map, or RBM_NONE. */
struct id_map {
	sqlite3_int64 *id;
	size_t *index;
	size_t len, cap_id, cap_index;
};

static void map_add(struct id_map *m, sqlite3_int64 id)
{
	rbm_xgrow(&m->id, &m->cap_id, m->len + 1, sizeof *m->id);
	m->id[m->len++] = id;
}

/* Rows come ORDER BY position, so ids map to indices by a search. */
static size_t map_find(const struct id_map *m, sqlite3_int64 id)
{
	for (size_t i = 0; i < m->len; i++)
		if (m->id[i] == id)
			return i;
	return RBM_NONE;
}

static void map_free(struct id_map *m)
{
	free(m->id);
	free(m->index);
}

struct reader {
	struct rbm_store__sq *s;
	struct rbm_diag *d;
	struct rbm_plan *p;
	sqlite3_int64 plan_id;
	struct rbm_store__sq_text_target *t;
	size_t t_len, t_cap;
};

static void want_text(struct reader *r, sqlite3_int64 id, const char *field, struct rbm_text *text)
{
	rbm_xgrow(&r->t, &r->t_cap, r->t_len + 1, sizeof *r->t);
	r->t[r->t_len++] = (struct rbm_store__sq_text_target){id, field, text};
}

static enum rbm_rc flush_texts(struct reader *r, const char *owner)
{
	enum rbm_rc rc = rbm_store__sq_read_texts(r->s, r->plan_id, owner, r->t, r->t_len, r->p->arena, r->d);
	r->t_len = 0;
	return rc;
}

static enum rbm_rc get_tags(struct reader *r, const char *kind, struct rbm_tag **out,
			    size_t *out_len, struct id_map *map)
{
	struct rbm_plan *p = r->p;
	sqlite3_stmt *st = rbm_store__sq_prep(r->s, "SELECT id, code, number, subkind, unofficial, unverified, "
				      "sources FROM tags WHERE plan_id = ? AND kind = ? "
				      "ORDER BY position", r->d);
	if (st == NULL)
		return RBM_ESTORE;
	sqlite3_bind_int64(st, 1, r->plan_id);
	sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
	size_t cap = 0, n = 0;
	struct rbm_tag *v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		rbm_xgrow(&v, &cap, n + 1, sizeof *v);
		memset(&v[n], 0, sizeof *v);
		map_add(map, sqlite3_column_int64(st, 0));
		v[n].code = rbm_store__sq_col_text(st, 1, p->arena);
		v[n].number = sqlite3_column_int(st, 2);
		v[n].kind = rbm_store__sq_col_text(st, 3, p->arena);
		rbm_store__sq_col_meta(st, 4, &v[n].meta, p->arena);
		n++;
	}
	sqlite3_finalize(st);
	/* Move into the arena so the plan owns it. */
	*out = rbm_arena_alloc(p->arena, (n ? n : 1) * sizeof *v);
	if (n)
		memcpy(*out, v, n * sizeof *v);
	*out_len = n;
	free(v);
	for (size_t i = 0; i < n; i++) {
		want_text(r, map->id[i], "title", &(*out)[i].title);
		want_text(r, map->id[i], "short_title", &(*out)[i].short_title);
		want_text(r, map->id[i], "description", &(*out)[i].description);
		want_text(r, map->id[i], "note", &(*out)[i].meta.note);
	}
	return RBM_OK;
}

/* Runs a SELECT of (text) code column 0 bound to one id into an arena array. */
static enum rbm_rc get_codes(struct reader *r, const char *sql, sqlite3_int64 id,
			     const char ***out, size_t *out_len)
{
	sqlite3_stmt *st = rbm_store__sq_prep(r->s, sql, r->d);
	if (st == NULL)
		return RBM_ESTORE;
	sqlite3_bind_int64(st, 1, id);
	size_t n = 0, cap = 0;
	const char **v = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		rbm_xgrow(&v, &cap, n + 1, sizeof *v);
		v[n++] = rbm_store__sq_col_text(st, 0, r->p->arena);
	}
	sqlite3_finalize(st);
	*out = rbm_arena_alloc(r->p->arena, (n ? n : 1) * sizeof *v);
	if (n)
		memcpy(*out, v, n * sizeof *v);
	*out_len = n;
	free(v);
	return RBM_OK;
}

/*
 * Counts the plan's rows in table into *count and returns a statement that
 * selects cols from them in position order (NULL on failure).
 */
static sqlite3_stmt *select_rows(struct reader *r, const char *table, const char *cols,
				 size_t *count)
{
	char sql[512];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE plan_id = ?", table);
	sqlite3_stmt *st = rbm_store__sq_prep(r->s, sql, r->d);
	if (st == NULL)
		return NULL;
	sqlite3_bind_int64(st, 1, r->plan_id);
	*count = sqlite3_step(st) == SQLITE_ROW ? (size_t)sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	snprintf(sql, sizeof sql, "SELECT %s FROM %s WHERE plan_id = ? ORDER BY position", cols, table);
	st = rbm_store__sq_prep(r->s, sql, r->d);
	if (st != NULL)
		sqlite3_bind_int64(st, 1, r->plan_id);
	return st;
}

static enum rbm_rc get_plan_all(struct reader *r)
{
	struct rbm_plan *p = r->p;
	struct rbm_arena *a = p->arena;
	enum rbm_rc rc = RBM_OK;
	struct id_map programmes = {0}, themes = {0}, drivers = {0}, enablers = {0}, disaggs = {0},
		      results = {0}, offices = {0};
	sqlite3_stmt *st = NULL;

	/* The plan row. */
	st = rbm_store__sq_prep(r->s, "SELECT code, first_year, last_year, illustrative_indicators, approved_by, "
			"threshold_achieved, threshold_on_track, unofficial, unverified, sources, "
			"iati_org_ref, iati_org_type, iati_activity_prefix "
			"FROM plans WHERE id = ?", r->d);
	if (st == NULL) {
		rc = RBM_ESTORE;
		goto out;
	}
	sqlite3_bind_int64(st, 1, r->plan_id);
	if (sqlite3_step(st) != SQLITE_ROW) {
		rc = rbm_store__sq_fail(r->s, r->d, "reading the plan");
		goto out;
	}
	p->code = rbm_store__sq_col_text(st, 0, a);
	p->first_year = sqlite3_column_int(st, 1);
	p->last_year = sqlite3_column_int(st, 2);
	p->illustrative_indicators = sqlite3_column_int(st, 3) != 0;
	p->approved_by = rbm_store__sq_col_text(st, 4, a);
	p->threshold_achieved = sqlite3_column_double(st, 5);
	p->threshold_on_track = sqlite3_column_double(st, 6);
	rbm_store__sq_col_meta(st, 7, &p->meta, a);
	p->iati.org_ref = rbm_store__sq_col_text(st, 10, a);
	p->iati.org_type = rbm_store__sq_col_text(st, 11, a);
	p->iati.activity_prefix = rbm_store__sq_col_text(st, 12, a);
	sqlite3_finalize(st);
	st = NULL;
	want_text(r, r->plan_id, "title", &p->title);
	want_text(r, r->plan_id, "subtitle", &p->subtitle);
	want_text(r, r->plan_id, "description", &p->description);
	want_text(r, r->plan_id, "about_note", &p->about_note);
	want_text(r, r->plan_id, "iati_org_name", &p->iati.org_name);
	want_text(r, r->plan_id, "note", &p->meta.note);
	if ((rc = flush_texts(r, "plan")) != RBM_OK)
		goto out;

	/* Levels. */
	st = rbm_store__sq_prep(r->s, "SELECT id, key, unofficial, unverified, sources FROM levels "
				      "WHERE plan_id = ? ORDER BY depth", r->d);
	if (st == NULL) {
		rc = RBM_ESTORE;
		goto out;
	}
	sqlite3_bind_int64(st, 1, r->plan_id);
	p->levels = rbm_arena_alloc(a, RBM_PLAN_MAX_LEVELS * sizeof *p->levels);
	while (sqlite3_step(st) == SQLITE_ROW && p->levels_len < RBM_PLAN_MAX_LEVELS) {
		struct rbm_level *lv = &p->levels[p->levels_len++];
		lv->key = rbm_store__sq_col_text(st, 1, a);
		rbm_store__sq_col_meta(st, 2, &lv->meta, a);
		want_text(r, sqlite3_column_int64(st, 0), "title", &lv->title);
		want_text(r, sqlite3_column_int64(st, 0), "note", &lv->meta.note);
	}
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = flush_texts(r, "level")) != RBM_OK)
		goto out;

	/* Tags. */
	if ((rc = get_tags(r, "programme", &p->programmes, &p->programmes_len, &programmes)) ||
	    (rc = get_tags(r, "theme", &p->themes, &p->themes_len, &themes)) ||
	    (rc = get_tags(r, "driver", &p->drivers, &p->drivers_len, &drivers)) ||
	    (rc = get_tags(r, "enabler", &p->enablers, &p->enablers_len, &enablers)) ||
	    (rc = flush_texts(r, "tag")))
		goto out;

	/* Disaggregations and their categories. */
	st = rbm_store__sq_prep(r->s, "SELECT id, code, unofficial, unverified, sources FROM disaggregations "
			"WHERE plan_id = ? ORDER BY position", r->d);
	if (st == NULL) {
		rc = RBM_ESTORE;
		goto out;
	}
	sqlite3_bind_int64(st, 1, r->plan_id);
	size_t cap = 0;
	struct rbm_disaggregation *dv = NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		rbm_xgrow(&dv, &cap, p->disaggregations_len + 1, sizeof *dv);
		struct rbm_disaggregation *g = &dv[p->disaggregations_len++];
		memset(g, 0, sizeof *g);
		map_add(&disaggs, sqlite3_column_int64(st, 0));
		g->code = rbm_store__sq_col_text(st, 1, a);
		rbm_store__sq_col_meta(st, 2, &g->meta, a);
	}
	sqlite3_finalize(st);
	st = NULL;
	p->disaggregations = rbm_arena_alloc(a, (p->disaggregations_len + 1) * sizeof *dv);
	if (p->disaggregations_len)
		memcpy(p->disaggregations, dv, p->disaggregations_len * sizeof *dv);
	free(dv);
	for (size_t i = 0; i < p->disaggregations_len; i++) {
		want_text(r, disaggs.id[i], "title", &p->disaggregations[i].title);
		want_text(r, disaggs.id[i], "note", &p->disaggregations[i].meta.note);
	}
	if ((rc = flush_texts(r, "disaggregation")) != RBM_OK)
		goto out;
	st = rbm_store__sq_prep(r->s, "SELECT id, code, unofficial, unverified, sources FROM categories "
			"WHERE disaggregation_id = ? ORDER BY position", r->d);
	if (st == NULL) {
		rc = RBM_ESTORE;
		goto out;
	}
	for (size_t i = 0; i < p->disaggregations_len; i++) {
		struct rbm_disaggregation *g = &p->disaggregations[i];
		sqlite3_bind_int64(st, 1, disaggs.id[i]);
		size_t n = 0;
		while (sqlite3_step(st) == SQLITE_ROW)
			n++;
		sqlite3_reset(st);
		g->categories = rbm_arena_alloc(a, (n + 1) * sizeof *g->categories);
		while (sqlite3_step(st) == SQLITE_ROW && g->categories_len < n) {
			struct rbm_category *c = &g->categories[g->categories_len++];
			c->code = rbm_store__sq_col_text(st, 1, a);
			rbm_store__sq_col_meta(st, 2, &c->meta, a);
			want_text(r, sqlite3_column_int64(st, 0), "title", &c->title);
			want_text(r, sqlite3_column_int64(st, 0), "note", &c->meta.note);
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	st = NULL;
	if ((rc = flush_texts(r, "category")) != RBM_OK)
		goto out;

	/* Results, in position order: parents come before children. */
	size_t nres = 0;
	st = select_rows(r, "results",
			 "id, parent_id, level, code, unofficial, unverified, sources", &nres);
	p->results = rbm_arena_alloc(a, (nres + 1) * sizeof *p->results);
	if (st == NULL) {
		rc = RBM_ESTORE;
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW && p->results_len < nres) {
		struct rbm_result *res = &p->results[p->results_len++];
		map_add(&results, sqlite3_column_int64(st, 0));
		res->parent = sqlite3_column_type(st, 1) == SQLITE_NULL
				      ? RBM_NONE
				      : map_find(&results, sqlite3_column_int64(st, 1));
		res->level = (unsigned)sqlite3_column_int(st, 2);
		res->code = rbm_store__sq_col_text(st, 3, a);
		rbm_store__sq_col_meta(st, 4, &res->meta, a);
	}
	sqlite3_finalize(st);
	st = NULL;
	for (size_t i = 0; i < p->results_len; i++) {
		struct rbm_result *res = &p->results[i];
		want_text(r, results.id[i], "title", &res->title);
		want_text(r, results.id[i], "short_title", &res->short_title);
		want_text(r, results.id[i], "description", &res->description);
		want_text(r, results.id[i], "note", &res->meta.note);
	}
	if ((rc = flush_texts(r, "result")) != RBM_OK)
		goto out;
	st = rbm_store__sq_prep(r->s, "SELECT t.id, t.kind FROM result_tags rt JOIN tags t ON t.id = rt.tag_id "
			"WHERE rt.result_id = ? ORDER BY rt.position", r->d);
	if (st == NULL) {
		rc = RBM_ESTORE;
		goto out;
	}
	for (size_t i = 0; i < p->results_len; i++) {
		struct rbm_result *res = &p->results[i];
		sqlite3_bind_int64(st, 1, results.id[i]);
		size_t n = 0;
		while (sqlite3_step(st) == SQLITE_ROW)
			n++;
		sqlite3_reset(st);
		res->programmes = rbm_arena_alloc(a, (n + 1) * sizeof(size_t));
		res->themes = rbm_arena_alloc(a, (n + 1) * sizeof(size_t));
		while (sqlite3_step(st) == SQLITE_ROW) {
			sqlite3_int64 tid = sqlite3_column_int64(st, 0);
			const char *kind = (const char *)sqlite3_column_text(st, 1);
			if (strcmp(kind, "programme") == 0)
				res->programmes[res->programmes_len++] = map_find(&programmes, tid);
			else if (strcmp(kind, "theme") == 0)
				res->themes[res->themes_len++] = map_find(&themes, tid);
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	st = NULL;

	/* Indicators. */
	size_t nind = 0;
	st = select_rows(r, "indicators",
			 "id, result_id, code, unit, currency, aggregation, count_of, place_combine, "
			 "direction, baseline_value, baseline_year, illustrative, unofficial, "
			 "unverified, sources",
			 &nind);
	p->indicators = rbm_arena_alloc(a, (nind + 1) * sizeof *p->indicators);
	sqlite3_int64 *ind_ids = rbm_xcalloc(nind + 1, sizeof *ind_ids);
	if (st == NULL) {
		free(ind_ids);
		rc = RBM_ESTORE;
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW && p->indicators_len < nind) {
		struct rbm_indicator *ind = &p->indicators[p->indicators_len];
		ind_ids[p->indicators_len++] = sqlite3_column_int64(st, 0);
		ind->result = map_find(&results, sqlite3_column_int64(st, 1));
		ind->code = rbm_store__sq_col_text(st, 2, a);
		rbm_unit_parse((const char *)sqlite3_column_text(st, 3), &ind->unit);
		ind->currency = rbm_store__sq_col_text(st, 4, a);
		rbm_aggregation_parse((const char *)sqlite3_column_text(st, 5), &ind->aggregation);
		ind->count_of = RBM_COUNT_NONE;
		if (sqlite3_column_type(st, 6) != SQLITE_NULL)
			rbm_count_of_parse((const char *)sqlite3_column_text(st, 6), &ind->count_of);
		rbm_place_combine_parse((const char *)sqlite3_column_text(st, 7), &ind->place_combine);
		rbm_direction_parse((const char *)sqlite3_column_text(st, 8), &ind->direction);
		ind->has_baseline = sqlite3_column_type(st, 9) != SQLITE_NULL;
		ind->baseline_value = sqlite3_column_double(st, 9);
		ind->baseline_year = sqlite3_column_int(st, 10);
		ind->illustrative = sqlite3_column_int(st, 11) != 0;
		rbm_store__sq_col_meta(st, 12, &ind->meta, a);
	}
	sqlite3_finalize(st);
	st = NULL;
	for (size_t i = 0; i < p->indicators_len; i++) {
		want_text(r, ind_ids[i], "title", &p->indicators[i].title);
		want_text(r, ind_ids[i], "definition", &p->indicators[i].definition);
		want_text(r, ind_ids[i], "note", &p->indicators[i].meta.note);
	}
	rc = flush_texts(r, "indicator");
	sqlite3_stmt *tg = rbm_store__sq_prep(r->s, "SELECT year, value FROM targets WHERE indicator_id = ? "
				      "ORDER BY year", r->d);
	sqlite3_stmt *dg = rbm_store__sq_prep(r->s, "SELECT disaggregation_id FROM indicator_disaggregations "
				      "WHERE indicator_id = ? ORDER BY position", r->d);
	if (tg == NULL || dg == NULL)
		rc = RBM_ESTORE;
	for (size_t i = 0; rc == RBM_OK && i < p->indicators_len; i++) {
		struct rbm_indicator *ind = &p->indicators[i];
		size_t tcap = 0;
		struct rbm_target *tv = NULL;
		sqlite3_bind_int64(tg, 1, ind_ids[i]);
		while (sqlite3_step(tg) == SQLITE_ROW) {
			rbm_xgrow(&tv, &tcap, ind->targets_len + 1, sizeof *tv);
			tv[ind->targets_len++] = (struct rbm_target){sqlite3_column_int(tg, 0),
								     sqlite3_column_double(tg, 1)};
		}
		sqlite3_reset(tg);
		ind->targets = rbm_arena_alloc(a, (ind->targets_len + 1) * sizeof *tv);
		if (ind->targets_len)
			memcpy(ind->targets, tv, ind->targets_len * sizeof *tv);
		free(tv);
		sqlite3_bind_int64(dg, 1, ind_ids[i]);
		ind->disaggregations = rbm_arena_alloc(a, (p->disaggregations_len + 1) * sizeof(size_t));
		while (sqlite3_step(dg) == SQLITE_ROW && ind->disaggregations_len < p->disaggregations_len)
			ind->disaggregations[ind->disaggregations_len++] =
				map_find(&disaggs, sqlite3_column_int64(dg, 0));
		sqlite3_reset(dg);
	}
	sqlite3_finalize(tg);
	sqlite3_finalize(dg);
	free(ind_ids);
	if (rc != RBM_OK)
		goto out;

	/* Offices. */
	size_t noff = 0;
	st = select_rows(r, "offices",
			 "id, code, kind, parent_id, seat, unofficial, unverified, sources", &noff);
	p->offices = rbm_arena_alloc(a, (noff + 1) * sizeof *p->offices);
	sqlite3_int64 *parents = rbm_xcalloc(noff + 1, sizeof *parents);
	if (st == NULL) {
		free(parents);
		rc = RBM_ESTORE;
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW && p->offices_len < noff) {
		struct rbm_office *o = &p->offices[p->offices_len];
		parents[p->offices_len++] = sqlite3_column_int64(st, 3);
		map_add(&offices, sqlite3_column_int64(st, 0));
		o->code = rbm_store__sq_col_text(st, 1, a);
		rbm_office_kind_parse((const char *)sqlite3_column_text(st, 2), &o->kind);
		o->seat = rbm_store__sq_col_text(st, 4, a);
		rbm_store__sq_col_meta(st, 5, &o->meta, a);
	}
	sqlite3_finalize(st);
	st = NULL;
	for (size_t i = 0; i < p->offices_len; i++) {
		struct rbm_office *o = &p->offices[i];
		o->parent = parents[i] ? map_find(&offices, parents[i]) : RBM_NONE;
		if ((rc = get_codes(r, "SELECT code FROM office_places WHERE office_id = ? AND "
				       "kind = 'country' ORDER BY position",
				    offices.id[i], &o->countries, &o->countries_len)) ||
		    (rc = get_codes(r, "SELECT code FROM office_places WHERE office_id = ? AND "
				       "kind = 'region' ORDER BY position",
				    offices.id[i], &o->regions, &o->regions_len)))
			break;
		want_text(r, offices.id[i], "title", &o->title);
		want_text(r, offices.id[i], "note", &o->meta.note);
		const char **pos;
		size_t npos;
		if ((rc = get_codes(r, "SELECT i.position FROM office_indicators oi JOIN indicators i "
				       "ON i.id = oi.indicator_id WHERE oi.office_id = ? "
				       "ORDER BY oi.position",
				    offices.id[i], &pos, &npos)))
			break;
		o->indicators = rbm_arena_alloc(a, (npos + 1) * sizeof(size_t));
		for (size_t k = 0; k < npos; k++) {
			size_t at = (size_t)strtoull(pos[k], NULL, 10);
			if (at < p->indicators_len)
				o->indicators[o->indicators_len++] = at;
		}
	}
	free(parents);
	if (rc != RBM_OK || (rc = flush_texts(r, "office")) != RBM_OK)
		goto out;

	/* Cities. */
	size_t ncity = 0;
	st = select_rows(r, "cities",
			 "id, code, country, unofficial, unverified, sources", &ncity);
	p->cities = rbm_arena_alloc(a, (ncity + 1) * sizeof *p->cities);
	if (st == NULL) {
		rc = RBM_ESTORE;
		goto out;
	}
	while (sqlite3_step(st) == SQLITE_ROW && p->cities_len < ncity) {
		struct rbm_city *c = &p->cities[p->cities_len++];
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		c->code = rbm_store__sq_col_text(st, 1, a);
		c->country = rbm_store__sq_col_text(st, 2, a);
		rbm_store__sq_col_meta(st, 3, &c->meta, a);
		want_text(r, id, "title", &c->title);
		want_text(r, id, "note", &c->meta.note);
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = flush_texts(r, "city");
out:
	sqlite3_finalize(st);
	map_free(&programmes);
	map_free(&themes);
	map_free(&drivers);
	map_free(&enablers);
	map_free(&disaggs);
	map_free(&results);
	map_free(&offices);
	return rc;
}

static enum rbm_rc find_plan(struct rbm_store__sq *s, const char *code, sqlite3_int64 *out,
			     struct rbm_diag *d)
{
	sqlite3_stmt *st = rbm_store__sq_prep(s, code ? "SELECT id FROM plans WHERE code = ?"
					: "SELECT id FROM plans ORDER BY id DESC LIMIT 1", d);
	if (st == NULL)
		return RBM_ESTORE;
	if (code)
		sqlite3_bind_text(st, 1, code, -1, SQLITE_TRANSIENT);
	int r = sqlite3_step(st);
	if (r == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (r == SQLITE_ROW)
		return RBM_OK;
	if (r == SQLITE_DONE)
		return RBM_ENOENT;
	return rbm_store__sq_fail(s, d, "finding the plan");
}

enum rbm_rc rbm_store__sq_get_plan(void *impl, const char *code, struct rbm_plan **out,
			       struct rbm_diag *d)
{
	struct rbm_store__sq *s = impl;
	sqlite3_int64 id;
	enum rbm_rc rc = find_plan(s, code, &id, d);
	if (rc == RBM_ENOENT) {
		if (code)
			rbm_diag_add(d, s->path, NULL, "no plan with code \"%s\"", code);
		else
			rbm_diag_add(d, s->path, NULL, "the database holds no plan (load one with 'rbm init --plan FILE')");
		return rc;
	}
	if (rc != RBM_OK)
		return rc;
	struct reader r = {s, d, rbm_plan_new(), id, NULL, 0, 0};
	/* One read transaction: a consistent snapshot. */
	rc = rbm_store__sq_begin(s, false, d);
	if (rc == RBM_OK) {
		rc = get_plan_all(&r);
		rbm_store__sq_commit(s, d);
	}
	free(r.t);
	if (rc != RBM_OK) {
		rbm_plan_free(r.p);
		return rc;
	}
	*out = r.p;
	return RBM_OK;
}

enum rbm_rc rbm_store__sq_put_plan(void *impl, const struct rbm_plan *p, bool replace, bool *changed,
			       struct rbm_diag *d)
{
	struct rbm_store__sq *s = impl;
	struct rbm_store__sq_writer w = {s, d, 0, NULL};
	char *old_json = NULL, *new_json = NULL;
	struct rbm_plan *old = NULL;
	bool wrote = false;
	enum rbm_rc rc = rbm_store__sq_begin(s, true, d);
	if (rc != RBM_OK)
		return rc;
	sqlite3_int64 old_id;
	rc = find_plan(s, p->code, &old_id, d);
	if (rc == RBM_OK) {
		/* Stored already: the same plan changes nothing. */
		struct reader r = {s, d, rbm_plan_new(), old_id, NULL, 0, 0};
		rc = get_plan_all(&r);
		free(r.t);
		old = r.p;
		if (rc != RBM_OK)
			goto out;
		if ((rc = rbm_plan_to_json(old, &old_json)) != RBM_OK ||
		    (rc = rbm_plan_to_json(p, &new_json)) != RBM_OK)
			goto out;
		if (strcmp(old_json, new_json) == 0)
			goto out;
		if (!replace) {
			rbm_diag_add(d, s->path, NULL,
				     "holds a different plan \"%s\" already (use --replace to replace it)",
				     p->code);
			rc = RBM_ECONFLICT;
			goto out;
		}
		sqlite3_stmt *del = rbm_store__sq_prep(s, "DELETE FROM plans WHERE id = ?", d);
		if (del == NULL) {
			rc = RBM_ESTORE;
			goto out;
		}
		sqlite3_bind_int64(del, 1, old_id);
		rc = rbm_store__sq_run(s, del, "removing the old plan", d);
		sqlite3_finalize(del);
		if (rc != RBM_OK)
			goto out;
	} else if (rc != RBM_ENOENT) {
		goto out;
	}
	w.text = rbm_store__sq_prep(s, "INSERT INTO texts(plan_id, owner, owner_id, field, lang, body) "
			 "VALUES (?,?,?,?,?,?)", d);
	if (w.text == NULL) {
		rc = RBM_ESTORE;
		goto out;
	}
	rc = put_plan_all(&w, p);
	wrote = rc == RBM_OK;
out:
	sqlite3_finalize(w.text);
	free(old_json);
	free(new_json);
	rbm_plan_free(old);
	if (rc == RBM_OK)
		rc = rbm_store__sq_commit(s, d);
	if (rc != RBM_OK) {
		rbm_store__sq_rollback(s);
		wrote = false;
	}
	if (changed)
		*changed = wrote;
	return rc;
}
