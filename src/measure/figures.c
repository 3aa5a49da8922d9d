/*
 * figures.c - headline figures defined as data, evaluated by the engine.
 */
#include "measure_int.h"

#include "../core/alloc.h"
#include "../core/arena.h"
#include "../core/fs.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void rbm_figures_free(struct rbm_figures *f)
{
	if (f == NULL)
		return;
	rbm_arena_free(f->arena);
	free(f);
}

const struct rbm_figure *rbm_figures_find(const struct rbm_figures *f, const char *name)
{
	for (size_t i = 0; i < f->len; i++)
		if (strcmp(f->v[i].name, name) == 0)
			return &f->v[i];
	return NULL;
}

enum rbm_rc rbm_figures_load(const char *path, const struct rbm_plan *p,
			     struct rbm_figures **out, struct rbm_diag *d)
{
	char *data = NULL;
	size_t len = 0;
	enum rbm_rc rc = rbm_fs_read(path, 4 << 20, &data, &len, d);
	if (rc != RBM_OK)
		return rc;
	json_error_t err;
	json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &err);
	free(data);
	if (root == NULL) {
		char where[64];
		snprintf(where, sizeof where, "line %d, column %d", err.line, err.column);
		rbm_diag_add(d, path, where, "invalid JSON: %s", err.text);
		return RBM_EINVAL;
	}
	size_t before = rbm_diag_count(d);
	json_t *figs = json_object_get(root, "figures");
	if (json_integer_value(json_object_get(root, "rbm_figures")) != 1 || !json_is_array(figs)) {
		rbm_diag_add(d, path, "$", "expected {\"rbm_figures\": 1, \"figures\": [...]}");
		json_decref(root);
		return RBM_EINVAL;
	}
	struct rbm_figures *f = rbm_xcalloc(1, sizeof *f);
	f->arena = rbm_arena_new();
	f->v = rbm_arena_alloc(f->arena, (json_array_size(figs) + 1) * sizeof *f->v);
	static const char *const measures[] = {"value", "countries", "cities", "offices", "indicators"};
	for (size_t i = 0; i < json_array_size(figs); i++) {
		json_t *x = json_array_get(figs, i);
		char where[64];
		snprintf(where, sizeof where, "$.figures[%zu]", i);
		struct rbm_figure *g = &f->v[f->len];
		const char *name = json_string_value(json_object_get(x, "name"));
		const char *measure = json_string_value(json_object_get(x, "measure"));
		if (name == NULL || *name == '\0') {
			rbm_diag_add(d, path, where, "missing \"name\"");
			continue;
		}
		if (rbm_figures_find(f, name))
			rbm_diag_add(d, path, where, "duplicate figure \"%s\"", name);
		g->name = rbm_arena_strdup(f->arena, name);
		int mk = -1;
		for (int k = 0; measure && k < 5; k++)
			if (strcmp(measure, measures[k]) == 0)
				mk = k;
		if (mk < 0)
			rbm_diag_add(d, path, where, "measure: expected one of value, countries, cities, offices, indicators");
		g->measure = mk < 0 ? RBM_FIG_VALUE : (enum rbm_figure_measure)mk;
		json_t *inds = json_object_get(x, "indicators");
		g->indicators = rbm_arena_alloc(f->arena, (json_array_size(inds) + 1) * sizeof(size_t));
		for (size_t k = 0; k < json_array_size(inds); k++) {
			const char *code = json_string_value(json_array_get(inds, k));
			size_t at = code ? rbm_plan_find_indicator(p, code) : RBM_NONE;
			if (at == RBM_NONE)
				rbm_diag_add(d, path, where, "indicators[%zu]: unknown indicator \"%s\"", k,
					     code ? code : "?");
			else
				g->indicators[g->indicators_len++] = at;
		}
		if ((g->measure == RBM_FIG_VALUE || g->measure == RBM_FIG_COUNTRIES ||
		     g->measure == RBM_FIG_CITIES) && g->indicators_len == 0)
			rbm_diag_add(d, path, where, "the measure %s needs \"indicators\"", measures[g->measure]);
		g->status = -1;
		const char *st = json_string_value(json_object_get(x, "status"));
		for (int k = 0; st && k < 5; k++)
			if (strcmp(st, rbm_attain_name((enum rbm_attain)k)) == 0)
				g->status = k;
		if (st && g->status < 0)
			rbm_diag_add(d, path, where, "status: expected achieved, on track, behind, no data or no target");
		json_t *title = json_object_get(x, "title");
		const char *lk;
		json_t *lv;
		json_object_foreach(title, lk, lv) {
			enum rbm_lang l;
			if (rbm_lang_parse(lk, &l) && json_is_string(lv))
				g->title.s[l] = rbm_arena_strdup(f->arena, json_string_value(lv));
		}
		f->len++;
	}
	json_decref(root);
	if (rbm_diag_count(d) > before) {
		rbm_figures_free(f);
		return RBM_EINVAL;
	}
	*out = f;
	return RBM_OK;
}

/* Offices with an approved submission in the cycle, within the params. */
static enum rbm_rc offices_reported(const struct rbm_measure *m, struct rbm_store *s, int year,
				    const struct rbm_figure_params *fp, double *out, struct rbm_diag *d)
{
	const struct rbm_plan *p = m->p;
	bool *seen = rbm_xcalloc(p->offices_len + 1, sizeof *seen);
	enum rbm_rc rc = RBM_OK;
	if (s) {
		struct rbm_query *q = NULL;
		rc = rbm_store_query(s, "SELECT s.office FROM submissions s JOIN cycles c ON c.id = s.cycle_id "
					"WHERE c.year = ? AND s.approved_rev > 0", &q, d);
		if (rc == RBM_OK) {
			rbm_query_bind_int(q, 1, year);
			while ((rc = rbm_query_step(q, d)) == RBM_OK) {
				size_t o = rbm_plan_find_office(p, rbm_query_text(q, 0));
				if (o != RBM_NONE)
					seen[o] = true;
			}
			rbm_query_free(q);
			rc = rc == RBM_ENOENT ? RBM_OK : rc;
		}
	} else {
		for (size_t r = 0; r < m->n; r++)
			if (m->year[r] == year)
				seen[m->office[r]] = true;
	}
	size_t n = 0;
	for (size_t o = 0; o < p->offices_len; o++) {
		if (!seen[o])
			continue;
		if (fp->region != RBM_NONE && m->office_region[o] != fp->region)
			continue;
		if (fp->office != RBM_NONE && o != fp->office)
			continue;
		n++;
	}
	free(seen);
	*out = (double)n;
	return rc;
}

enum rbm_rc rbm_figure_eval(const struct rbm_measure *m, struct rbm_store *s,
			    const struct rbm_figures *f, int year, const char *placeholder,
			    double *out, struct rbm_diag *d)
{
	const struct rbm_plan *p = m->p;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", placeholder);
	char *save = NULL;
	char *name = strtok_r(buf, " ", &save);
	const struct rbm_figure *g = name ? rbm_figures_find(f, name) : NULL;
	if (g == NULL) {
		rbm_diag_add(d, NULL, NULL, "{%s}: unknown figure \"%s\"", placeholder, name ? name : "");
		return RBM_EINVAL;
	}
	struct rbm_figure_params fp = {RBM_NONE, RBM_NONE, RBM_NONE, RBM_NONE, NULL};
	for (char *kv = strtok_r(NULL, " ", &save); kv; kv = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(kv, '=');
		if (eq == NULL) {
			rbm_diag_add(d, NULL, NULL, "{%s}: expected key=value, got \"%s\"", placeholder, kv);
			return RBM_EINVAL;
		}
		*eq = '\0';
		const char *v = eq + 1;
		size_t at = RBM_NONE;
		if (strcmp(kv, "domain") == 0 || strcmp(kv, "outcome") == 0) {
			at = rbm_plan_find_result(p, v);
			if (at == RBM_NONE || p->results[at].level != (strcmp(kv, "domain") == 0 ? 0u : 1u)) {
				rbm_diag_add(d, NULL, NULL, "{%s}: unknown %s \"%s\"", placeholder, kv, v);
				return RBM_EINVAL;
			}
			*(strcmp(kv, "domain") == 0 ? &fp.domain : &fp.outcome) = at;
		} else if (strcmp(kv, "office") == 0 || strcmp(kv, "region") == 0) {
			at = rbm_plan_find_office(p, v);
			if (at == RBM_NONE) {
				rbm_diag_add(d, NULL, NULL, "{%s}: unknown office \"%s\"", placeholder, v);
				return RBM_EINVAL;
			}
			*(strcmp(kv, "office") == 0 ? &fp.office : &fp.region) = at;
		} else if (strcmp(kv, "country") == 0) {
			fp.country = v - buf + placeholder; /* points into placeholder, which outlives the call */
		} else {
			rbm_diag_add(d, NULL, NULL, "{%s}: unknown parameter \"%s\" (domain, outcome, region, office, country)",
				     placeholder, kv);
			return RBM_EINVAL;
		}
	}
	char country[4] = "";
	if (fp.country) {
		snprintf(country, sizeof country, "%.3s", fp.country);
		fp.country = country;
	}
	if (g->measure == RBM_FIG_OFFICES)
		return offices_reported(m, s, year, &fp, out, d);
	if (g->measure == RBM_FIG_INDICATORS) {
		struct rbm_attainment *a = NULL;
		enum rbm_rc rc = rbm_measure_attainment(m, year, &a, d);
		if (rc != RBM_OK)
			return rc;
		size_t n = 0;
		for (size_t i = 0; i < p->indicators_len; i++) {
			if (fp.domain != RBM_NONE && m->ind_domain[i] != fp.domain)
				continue;
			if (fp.outcome != RBM_NONE && m->ind_outcome[i] != fp.outcome)
				continue;
			if (g->status < 0 || (int)a[i].status == g->status)
				n++;
		}
		free(a);
		*out = (double)n;
		return RBM_OK;
	}
	/* value, countries, cities: over the figure's indicators within the params. */
	size_t *sel = rbm_xcalloc(g->indicators_len + 1, sizeof *sel);
	size_t nsel = 0;
	for (size_t k = 0; k < g->indicators_len; k++) {
		size_t i = g->indicators[k];
		if (fp.domain != RBM_NONE && m->ind_domain[i] != fp.domain)
			continue;
		if (fp.outcome != RBM_NONE && m->ind_outcome[i] != fp.outcome)
			continue;
		sel[nsel++] = i;
	}
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.year_from = q.year_to = year;
	q.indicators = sel;
	q.indicators_len = nsel;
	q.office = fp.office;
	q.region = fp.region;
	q.country = fp.country;
	enum rbm_rc rc = RBM_OK;
	if (g->measure == RBM_FIG_VALUE) {
		struct rbm_measure_table t;
		rc = rbm_measure_run(m, &q, &t, d);
		double sum = 0;
		for (size_t k = 0; rc == RBM_OK && k < t.len; k++)
			sum += t.rows[k].value;
		rbm_measure_table_free(&t);
		*out = sum;
	} else {
		/* Distinct places with a value > 0, by country or city, across the indicators. */
		q.by = 1u << (g->measure == RBM_FIG_COUNTRIES ? RBM_DIM_COUNTRY : RBM_DIM_CITY);
		struct rbm_measure_table t;
		rc = rbm_measure_run(m, &q, &t, d);
		size_t cap = g->measure == RBM_FIG_COUNTRIES ? m->places->countries_len : m->cities.len;
		bool *seen = rbm_xcalloc(cap + 1, sizeof *seen);
		size_t n = 0;
		enum rbm_dim dim = g->measure == RBM_FIG_COUNTRIES ? RBM_DIM_COUNTRY : RBM_DIM_CITY;
		for (size_t k = 0; rc == RBM_OK && k < t.len; k++) {
			uint32_t id = t.rows[k].key[dim];
			if (id != RBM_KEY_NONE && id < cap && t.rows[k].value > 0 && !seen[id]) {
				seen[id] = true;
				n++;
			}
		}
		free(seen);
		rbm_measure_table_free(&t);
		*out = (double)n;
	}
	free(sel);
	return rc;
}
