/*
 * plan_json.c - writing a plan as canonical plan-format JSON.
 *
 * Keys come in a fixed order and defaults are written out, so that two
 * equal plans give byte-identical output (the store's round-trip test
 * compares plans this way).
 */
#include "plan.h"

#include "../core/alloc.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static json_t *text_json(const struct rbm_text *t)
{
	json_t *o = json_object();
	for (int l = 0; l < RBM_LANG_COUNT; l++)
		if (t->s[l])
			json_object_set_new(o, rbm_lang_tag((enum rbm_lang)l), json_string(t->s[l]));
	return o;
}

static void set_text(json_t *o, const char *key, const struct rbm_text *t)
{
	if (!rbm_text_empty(t))
		json_object_set_new(o, key, text_json(t));
}

static json_t *strings_json(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

/* Integers stay integers: 2500000 rather than 2500000.0. */
static json_t *number_json(double x)
{
	if (x == floor(x) && fabs(x) < 9007199254740992.0)
		return json_integer((json_int_t)x);
	return json_real(x);
}

static void set_meta(json_t *o, const struct rbm_meta *m)
{
	if (m->unofficial) {
		json_t *a = json_array();
		for (int l = 0; l < RBM_LANG_COUNT; l++)
			if (m->unofficial & (1u << l))
				json_array_append_new(a, json_string(rbm_lang_tag((enum rbm_lang)l)));
		json_object_set_new(o, "unofficial", a);
	}
	if (m->unverified)
		json_object_set_new(o, "verified", json_false());
	set_text(o, "note", &m->note);
	if (m->sources_len)
		json_object_set_new(o, "sources", strings_json(m->sources, m->sources_len));
}

static json_t *tag_json(const struct rbm_tag *t, bool with_kind)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(t->code));
	set_text(o, "title", &t->title);
	set_text(o, "short_title", &t->short_title);
	set_text(o, "description", &t->description);
	if (t->number)
		json_object_set_new(o, "number", json_integer(t->number));
	if (with_kind && t->kind)
		json_object_set_new(o, "kind", json_string(t->kind));
	set_meta(o, &t->meta);
	return o;
}

static json_t *tags_json(const struct rbm_tag *v, size_t n, bool with_kind)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, tag_json(&v[i], with_kind));
	return a;
}

static json_t *indicator_json(const struct rbm_plan *p, const struct rbm_indicator *ind)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(ind->code));
	set_text(o, "title", &ind->title);
	set_text(o, "definition", &ind->definition);
	json_object_set_new(o, "unit", json_string(rbm_unit_name(ind->unit)));
	if (ind->currency)
		json_object_set_new(o, "currency", json_string(ind->currency));
	json_object_set_new(o, "aggregation", json_string(rbm_aggregation_name(ind->aggregation)));
	if (ind->count_of != RBM_COUNT_NONE)
		json_object_set_new(o, "count_of", json_string(rbm_count_of_name(ind->count_of)));
	json_object_set_new(o, "place_combine",
			    json_string(rbm_place_combine_name(ind->place_combine)));
	json_object_set_new(o, "direction", json_string(rbm_direction_name(ind->direction)));
	if (ind->has_baseline) {
		json_t *b = json_object();
		json_object_set_new(b, "value", number_json(ind->baseline_value));
		json_object_set_new(b, "year", json_integer(ind->baseline_year));
		json_object_set_new(o, "baseline", b);
	}
	if (ind->targets_len) {
		json_t *t = json_object();
		for (size_t i = 0; i < ind->targets_len; i++) {
			char year[16];
			snprintf(year, sizeof year, "%d", ind->targets[i].year);
			json_object_set_new(t, year, number_json(ind->targets[i].value));
		}
		json_object_set_new(o, "targets", t);
	}
	if (ind->disaggregations_len) {
		json_t *a = json_array();
		for (size_t i = 0; i < ind->disaggregations_len; i++)
			json_array_append_new(
				a, json_string(p->disaggregations[ind->disaggregations[i]].code));
		json_object_set_new(o, "disaggregations", a);
	}
	if (ind->illustrative)
		json_object_set_new(o, "illustrative", json_true());
	set_meta(o, &ind->meta);
	return o;
}

static json_t *result_json(const struct rbm_plan *p, size_t index)
{
	const struct rbm_result *r = &p->results[index];
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(r->code));
	set_text(o, "title", &r->title);
	set_text(o, "short_title", &r->short_title);
	set_text(o, "description", &r->description);
	if (r->programmes_len) {
		json_t *a = json_array();
		for (size_t i = 0; i < r->programmes_len; i++)
			json_array_append_new(a, json_string(p->programmes[r->programmes[i]].code));
		json_object_set_new(o, "programmes", a);
	}
	if (r->themes_len) {
		json_t *a = json_array();
		for (size_t i = 0; i < r->themes_len; i++)
			json_array_append_new(a, json_string(p->themes[r->themes[i]].code));
		json_object_set_new(o, "themes", a);
	}
	set_meta(o, &r->meta);
	json_t *inds = json_array();
	for (size_t i = 0; i < p->indicators_len; i++)
		if (p->indicators[i].result == index)
			json_array_append_new(inds, indicator_json(p, &p->indicators[i]));
	if (json_array_size(inds))
		json_object_set_new(o, "indicators", inds);
	else
		json_decref(inds);
	if (r->level + 1 < p->levels_len) {
		json_t *kids = json_array();
		for (size_t i = index + 1; i < p->results_len; i++)
			if (p->results[i].parent == index)
				json_array_append_new(kids, result_json(p, i));
		if (json_array_size(kids))
			json_object_set_new(o, p->levels[r->level + 1].key, kids);
		else
			json_decref(kids);
	}
	return o;
}

enum rbm_rc rbm_plan_to_json(const struct rbm_plan *p, char **out)
{
	json_t *o = json_object();
	json_object_set_new(o, "rbm_plan", json_integer(1));
	json_object_set_new(o, "code", json_string(p->code));
	set_text(o, "title", &p->title);
	set_text(o, "subtitle", &p->subtitle);
	set_text(o, "description", &p->description);
	json_object_set_new(o, "first_year", json_integer(p->first_year));
	json_object_set_new(o, "last_year", json_integer(p->last_year));
	set_meta(o, &p->meta);

	json_t *about = json_object();
	json_object_set_new(about, "illustrative_indicators", json_boolean(p->illustrative_indicators));
	set_text(about, "note", &p->about_note);
	if (p->approved_by)
		json_object_set_new(about, "approved_by", json_string(p->approved_by));
	json_object_set_new(o, "about", about);
	json_t *th = json_object();
	json_object_set_new(th, "achieved", number_json(p->threshold_achieved));
	json_object_set_new(th, "on_track", number_json(p->threshold_on_track));
	json_object_set_new(o, "thresholds", th);
	if (p->iati.org_ref) {
		json_t *iati = json_object(), *org = json_object();
		json_object_set_new(org, "ref", json_string(p->iati.org_ref));
		json_object_set_new(org, "type", json_string(p->iati.org_type));
		set_text(org, "name", &p->iati.org_name);
		json_object_set_new(iati, "reporting_org", org);
		json_object_set_new(iati, "activity_prefix", json_string(p->iati.activity_prefix));
		json_object_set_new(o, "iati", iati);
	}

	json_t *levels = json_array();
	for (size_t i = 0; i < p->levels_len; i++) {
		json_t *l = json_object();
		json_object_set_new(l, "key", json_string(p->levels[i].key));
		set_text(l, "title", &p->levels[i].title);
		set_meta(l, &p->levels[i].meta);
		json_array_append_new(levels, l);
	}
	json_object_set_new(o, "levels", levels);

	json_t *dis = json_array();
	for (size_t i = 0; i < p->disaggregations_len; i++) {
		const struct rbm_disaggregation *g = &p->disaggregations[i];
		json_t *d = json_object();
		json_object_set_new(d, "code", json_string(g->code));
		set_text(d, "title", &g->title);
		json_t *cats = json_array();
		for (size_t c = 0; c < g->categories_len; c++) {
			json_t *cat = json_object();
			json_object_set_new(cat, "code", json_string(g->categories[c].code));
			set_text(cat, "title", &g->categories[c].title);
			set_meta(cat, &g->categories[c].meta);
			json_array_append_new(cats, cat);
		}
		json_object_set_new(d, "categories", cats);
		set_meta(d, &g->meta);
		json_array_append_new(dis, d);
	}
	json_object_set_new(o, "disaggregations", dis);
	json_object_set_new(o, "programmes", tags_json(p->programmes, p->programmes_len, true));
	json_object_set_new(o, "themes", tags_json(p->themes, p->themes_len, true));
	json_object_set_new(o, "drivers", tags_json(p->drivers, p->drivers_len, false));
	json_object_set_new(o, "enablers", tags_json(p->enablers, p->enablers_len, false));

	json_t *offices = json_array();
	for (size_t i = 0; i < p->offices_len; i++) {
		const struct rbm_office *of = &p->offices[i];
		json_t *x = json_object();
		json_object_set_new(x, "code", json_string(of->code));
		set_text(x, "title", &of->title);
		json_object_set_new(x, "kind", json_string(rbm_office_kind_name(of->kind)));
		if (of->parent != RBM_NONE)
			json_object_set_new(x, "parent", json_string(p->offices[of->parent].code));
		if (of->seat)
			json_object_set_new(x, "seat", json_string(of->seat));
		if (of->countries_len)
			json_object_set_new(x, "countries", strings_json(of->countries, of->countries_len));
		if (of->regions_len)
			json_object_set_new(x, "regions", strings_json(of->regions, of->regions_len));
		if (of->indicators_len) {
			json_t *a = json_array();
			for (size_t k = 0; k < of->indicators_len; k++)
				json_array_append_new(a, json_string(p->indicators[of->indicators[k]].code));
			json_object_set_new(x, "indicators", a);
		}
		set_meta(x, &of->meta);
		json_array_append_new(offices, x);
	}
	json_object_set_new(o, "offices", offices);

	json_t *cities = json_array();
	for (size_t i = 0; i < p->cities_len; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "code", json_string(p->cities[i].code));
		json_object_set_new(x, "country", json_string(p->cities[i].country));
		set_text(x, "title", &p->cities[i].title);
		set_meta(x, &p->cities[i].meta);
		json_array_append_new(cities, x);
	}
	json_object_set_new(o, "cities", cities);

	json_t *tree = json_array();
	for (size_t i = 0; i < p->results_len; i++)
		if (p->results[i].parent == RBM_NONE)
			json_array_append_new(tree, result_json(p, i));
	if (p->levels_len)
		json_object_set_new(o, p->levels[0].key, tree);
	else
		json_decref(tree);

	char *s = json_dumps(o, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(o);
	if (s == NULL)
		return RBM_ENOMEM;
	*out = rbm_xstrdup(s);
	free(s);
	return RBM_OK;
}
