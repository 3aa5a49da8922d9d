/*
 * content.c - one office's answers: canonical JSON, its hash, and checks.
 */
#include "collect.h"

#include "../core/alloc.h"
#include "../core/sort.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static void strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void rbm_collect_content_free(struct rbm_content *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->values_len; i++) {
		free(c->values[i].city);
		free(c->values[i].text);
		if (c->value_where)
			free(c->value_where[i]);
	}
	free(c->values);
	free(c->value_where);
	for (size_t i = 0; i < c->outcomes_len; i++) {
		struct rbm_outcome_report *o = &c->outcomes[i];
		free(o->narrative);
		strings_free(o->countries, o->countries_len);
		strings_free(o->cities, o->cities_len);
		strings_free(o->programmes, o->programmes_len);
		strings_free(o->themes, o->themes_len);
	}
	free(c->outcomes);
	memset(c, 0, sizeof *c);
}

void rbm_collect_content_add(struct rbm_content *c, const struct rbm_value *v, const char *where)
{
	size_t cap = c->values_cap;
	rbm_xgrow(&c->values, &c->values_cap, c->values_len + 1, sizeof *v);
	if (c->values_cap != cap || c->value_where == NULL)
		c->value_where = rbm_xrealloc(c->value_where, c->values_cap, sizeof *c->value_where);
	c->values[c->values_len] = *v;
	c->value_where[c->values_len] = where ? rbm_xstrdup(where) : NULL;
	c->values_len++;
}

/* ---- canonical JSON ---- */

static const char *category_code(const struct rbm_plan *p, const struct rbm_value *v)
{
	if (v->disaggregation == RBM_NONE)
		return "";
	return p->disaggregations[v->disaggregation].categories[v->category].code;
}

static int cmp_value(const void *a, const void *b, void *ctx)
{
	const struct rbm_value *x = a, *y = b;
	const struct rbm_plan *p = ctx;
	int c = strcmp(p->indicators[x->indicator].code, p->indicators[y->indicator].code);
	if (c == 0)
		c = strcmp(x->country, y->country);
	if (c == 0)
		c = strcmp(x->city ? x->city : "", y->city ? y->city : "");
	if (c == 0) {
		const char *dx = x->disaggregation == RBM_NONE ? "" : p->disaggregations[x->disaggregation].code;
		const char *dy = y->disaggregation == RBM_NONE ? "" : p->disaggregations[y->disaggregation].code;
		c = strcmp(dx, dy);
	}
	if (c == 0)
		c = strcmp(category_code(p, x), category_code(p, y));
	return c;
}

static int cmp_outcome(const void *a, const void *b, void *ctx)
{
	const struct rbm_outcome_report *x = a, *y = b;
	const struct rbm_plan *p = ctx;
	return strcmp(p->results[x->result].code, p->results[y->result].code);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static json_t *codes_json(char **v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_str);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static json_t *number_json(double x)
{
	if (x == floor(x) && fabs(x) < 9007199254740992.0)
		return json_integer((json_int_t)x);
	return json_real(x);
}

char *rbm_collect_content_json(const struct rbm_plan *p, const struct rbm_content *c)
{
	/* Sorted in place: the order of answers carries no meaning. */
	struct rbm_content *m = (struct rbm_content *)c;
	if (m->value_where) {
		/* Places of origin no longer match once sorted; they served the checks. */
		for (size_t i = 0; i < m->values_len; i++)
			free(m->value_where[i]);
		free(m->value_where);
		m->value_where = NULL;
	}
	rbm_sort(m->values, m->values_len, sizeof *m->values, cmp_value, (void *)p);
	rbm_sort(m->outcomes, m->outcomes_len, sizeof *m->outcomes, cmp_outcome, (void *)p);
	json_t *o = json_object();
	json_t *vals = json_array();
	for (size_t i = 0; i < c->values_len; i++) {
		const struct rbm_value *v = &c->values[i];
		json_t *x = json_object();
		json_object_set_new(x, "indicator", json_string(p->indicators[v->indicator].code));
		if (v->country[0])
			json_object_set_new(x, "country", json_string(v->country));
		if (v->city)
			json_object_set_new(x, "city", json_string(v->city));
		if (v->disaggregation != RBM_NONE) {
			json_object_set_new(x, "disaggregation",
					    json_string(p->disaggregations[v->disaggregation].code));
			json_object_set_new(x, "category", json_string(category_code(p, v)));
		}
		if (v->text)
			json_object_set_new(x, "text", json_string(v->text));
		else
			json_object_set_new(x, "value", number_json(v->value));
		json_array_append_new(vals, x);
	}
	json_object_set_new(o, "values", vals);
	json_t *outs = json_array();
	for (size_t i = 0; i < c->outcomes_len; i++) {
		struct rbm_outcome_report *r = &m->outcomes[i];
		json_t *x = json_object();
		json_object_set_new(x, "outcome", json_string(p->results[r->result].code));
		if (r->narrative) {
			json_object_set_new(x, "narrative", json_string(r->narrative));
			json_object_set_new(x, "lang", json_string(rbm_lang_tag(r->lang)));
		}
		if (r->countries_len)
			json_object_set_new(x, "countries", codes_json(r->countries, r->countries_len));
		if (r->cities_len)
			json_object_set_new(x, "cities", codes_json(r->cities, r->cities_len));
		if (r->programmes_len)
			json_object_set_new(x, "programmes", codes_json(r->programmes, r->programmes_len));
		if (r->themes_len)
			json_object_set_new(x, "themes", codes_json(r->themes, r->themes_len));
		json_array_append_new(outs, x);
	}
	json_object_set_new(o, "outcomes", outs);
	char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
	json_decref(o);
	char *r = rbm_xstrdup(s);
	free(s);
	return r;
}

void rbm_collect_content_hash(const struct rbm_plan *p, const struct rbm_content *c, char out[65])
{
	char *json = rbm_collect_content_json(p, c);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)json, strlen(json));
	sodium_bin2hex(out, 65, h, sizeof h);
	free(json);
}

static const char *str_or_empty(json_t *v)
{
	return json_is_string(v) ? json_string_value(v) : "";
}

static char **strings_from(json_t *a, size_t *n)
{
	*n = json_array_size(a);
	char **v = rbm_xcalloc(*n ? *n : 1, sizeof *v);
	for (size_t i = 0; i < *n; i++)
		v[i] = rbm_xstrdup(json_string_value(json_array_get(a, i)) ? json_string_value(json_array_get(a, i)) : "");
	return v;
}

enum rbm_rc rbm_collect_content_parse(const struct rbm_plan *p, const char *json,
				      struct rbm_content *out, struct rbm_diag *d)
{
	json_error_t err;
	json_t *o = json_loads(json, 0, &err);
	if (o == NULL) {
		rbm_diag_add(d, NULL, NULL, "stored content is not JSON: %s", err.text);
		return RBM_ESTORE;
	}
	memset(out, 0, sizeof *out);
	json_t *vals = json_object_get(o, "values"), *outs = json_object_get(o, "outcomes");
	for (size_t i = 0; i < json_array_size(vals); i++) {
		json_t *x = json_array_get(vals, i);
		struct rbm_value v = {0};
		v.indicator = rbm_plan_find_indicator(p, str_or_empty(json_object_get(x, "indicator")));
		v.disaggregation = v.category = RBM_NONE;
		if (v.indicator == RBM_NONE)
			continue; /* an indicator the plan no longer has */
		const char *country = json_string_value(json_object_get(x, "country"));
		if (country)
			snprintf(v.country, sizeof v.country, "%s", country);
		const char *city = json_string_value(json_object_get(x, "city"));
		v.city = city ? rbm_xstrdup(city) : NULL;
		const char *dis = json_string_value(json_object_get(x, "disaggregation"));
		const char *cat = json_string_value(json_object_get(x, "category"));
		for (size_t g = 0; dis && cat && g < p->disaggregations_len; g++) {
			if (strcmp(p->disaggregations[g].code, dis) != 0)
				continue;
			for (size_t k = 0; k < p->disaggregations[g].categories_len; k++)
				if (strcmp(p->disaggregations[g].categories[k].code, cat) == 0) {
					v.disaggregation = g;
					v.category = k;
				}
		}
		const char *text = json_string_value(json_object_get(x, "text"));
		v.text = text ? rbm_xstrdup(text) : NULL;
		v.value = json_number_value(json_object_get(x, "value"));
		rbm_collect_content_add(out, &v, NULL);
	}
	for (size_t i = 0; i < json_array_size(outs); i++) {
		json_t *x = json_array_get(outs, i);
		struct rbm_outcome_report r = {0};
		r.result = rbm_plan_find_result(p, str_or_empty(json_object_get(x, "outcome")));
		if (r.result == RBM_NONE)
			continue;
		const char *n = json_string_value(json_object_get(x, "narrative"));
		r.narrative = n ? rbm_xstrdup(n) : NULL;
		r.lang = RBM_LANG_EN;
		rbm_lang_parse(json_string_value(json_object_get(x, "lang")), &r.lang);
		r.countries = strings_from(json_object_get(x, "countries"), &r.countries_len);
		r.cities = strings_from(json_object_get(x, "cities"), &r.cities_len);
		r.programmes = strings_from(json_object_get(x, "programmes"), &r.programmes_len);
		r.themes = strings_from(json_object_get(x, "themes"), &r.themes_len);
		rbm_xgrow(&out->outcomes, &out->outcomes_cap, out->outcomes_len + 1, sizeof r);
		out->outcomes[out->outcomes_len++] = r;
	}
	json_decref(o);
	return RBM_OK;
}

/* ---- checks ---- */

/* The countries an office reports on: its own list and its regions' countries. */
bool rbm_collect_office_covers(const struct rbm_plan *p, const struct rbm_places *places,
			       size_t office, const char *country)
{
	const struct rbm_office *o = &p->offices[office];
	if (o->countries_len == 0 && o->regions_len == 0)
		return true; /* headquarters and units: anywhere */
	for (size_t i = 0; i < o->countries_len; i++)
		if (strcmp(o->countries[i], country) == 0)
			return true;
	const struct rbm_country *c = rbm_places_country(places, country);
	for (size_t i = 0; c && i < o->regions_len; i++)
		if (rbm_places_country_in(places, c, o->regions[i]))
			return true;
	return false;
}

static bool city_known(const struct rbm_plan *p, const char *city, const char **country)
{
	for (size_t i = 0; i < p->cities_len; i++)
		if (strcmp(p->cities[i].code, city) == 0) {
			*country = p->cities[i].country;
			return true;
		}
	return false;
}

enum rbm_rc rbm_collect_content_check(const struct rbm_plan *p, const struct rbm_places *places,
				      const struct rbm_cycle *cycle, size_t office,
				      const struct rbm_content *c, const char *file,
				      const char *at, struct rbm_diag *d)
{
	const char *where = at;
	size_t before = rbm_diag_count(d);
	const char *oc = p->offices[office].code;
	bool restrict_places = cycle == NULL || !cycle->any_place;
	for (size_t i = 0; i < c->values_len; i++) {
		const struct rbm_value *v = &c->values[i];
		const struct rbm_indicator *ind = &p->indicators[v->indicator];
		double x = v->value;
		const char *where = c->value_where && c->value_where[i] ? c->value_where[i] : at;
		if (!isfinite(x)) {
			rbm_diag_add(d, file, where, "indicator %s: the value is not a finite number", ind->code);
			continue;
		}
		if (ind->unit == RBM_UNIT_TEXT) {
			if (v->text == NULL)
				rbm_diag_add(d, file, where, "indicator %s: a text indicator needs a text answer",
					     ind->code);
		} else if (v->text) {
			rbm_diag_add(d, file, where, "indicator %s: expected a number, got text", ind->code);
		} else if (ind->unit == RBM_UNIT_PEOPLE && (x < 0 || x != floor(x))) {
			rbm_diag_add(d, file, where,
				     "indicator %s: a number of people must be a whole number >= 0, got %g",
				     ind->code, x);
		} else if (ind->unit == RBM_UNIT_PERCENT && (x < 0 || x > 100)) {
			rbm_diag_add(d, file, where, "indicator %s: a percentage must lie in 0-100, got %g",
				     ind->code, x);
		} else if (ind->unit == RBM_UNIT_YESNO && x != 0 && x != 1) {
			rbm_diag_add(d, file, where, "indicator %s: a yes/no value must be 0 or 1, got %g",
				     ind->code, x);
		} else if (ind->aggregation == RBM_AGG_COUNT_UNITS && x < 0) {
			rbm_diag_add(d, file, where, "indicator %s: a negative value cannot be counted, got %g",
				     ind->code, x);
		}
		if (v->country[0]) {
			if (rbm_places_country(places, v->country) == NULL)
				rbm_diag_add(d, file, where, "indicator %s: unknown country \"%s\"", ind->code,
					     v->country);
			else if (restrict_places &&
				 !rbm_collect_office_covers(p, places, office, v->country))
				rbm_diag_add(d, file, where,
					     "indicator %s: country %s lies outside the places office %s "
					     "reports on",
					     ind->code, v->country, oc);
		}
		if (v->city) {
			const char *cc = NULL;
			if (!city_known(p, v->city, &cc))
				rbm_diag_add(d, file, where, "indicator %s: unknown city \"%s\"", ind->code, v->city);
			else if (v->country[0] && strcmp(cc, v->country) != 0)
				rbm_diag_add(d, file, where, "indicator %s: city %s is not in %s", ind->code,
					     v->city, v->country);
			else if (restrict_places && !rbm_collect_office_covers(p, places, office, cc))
				rbm_diag_add(d, file, where,
					     "indicator %s: city %s lies outside the places office %s reports on",
					     ind->code, v->city, oc);
		}
		if (v->disaggregation != RBM_NONE) {
			bool declared = false;
			for (size_t k = 0; k < ind->disaggregations_len; k++)
				declared |= ind->disaggregations[k] == v->disaggregation;
			if (!declared)
				rbm_diag_add(d, file, where, "indicator %s is not disaggregated by %s", ind->code,
					     p->disaggregations[v->disaggregation].code);
		}
		/* Two values for the same cell. */
		for (size_t k = 0; k < i; k++) {
			const struct rbm_value *u = &c->values[k];
			if (u->indicator == v->indicator && strcmp(u->country, v->country) == 0 &&
			    strcmp(u->city ? u->city : "", v->city ? v->city : "") == 0 &&
			    u->disaggregation == v->disaggregation && u->category == v->category) {
				rbm_diag_add(d, file, where, "indicator %s: two values for the same place and category",
					     ind->code);
				break;
			}
		}
	}
	/* Categories of one disaggregation add up to no more than the total (sum rules). */
	for (size_t i = 0; i < c->values_len; i++) {
		const struct rbm_value *t = &c->values[i];
		const struct rbm_indicator *ind = &p->indicators[t->indicator];
		if (t->disaggregation != RBM_NONE || ind->aggregation != RBM_AGG_SUM || t->text ||
		    t->value < 0)
			continue;
		for (size_t g = 0; g < ind->disaggregations_len; g++) {
			double sum = 0;
			for (size_t k = 0; k < c->values_len; k++) {
				const struct rbm_value *v = &c->values[k];
				if (v->indicator == t->indicator && v->disaggregation == ind->disaggregations[g] &&
				    strcmp(v->country, t->country) == 0 &&
				    strcmp(v->city ? v->city : "", t->city ? t->city : "") == 0)
					sum += v->value;
			}
			if (sum > t->value * (1 + 1e-9))
				rbm_diag_add(d, file, where,
					     "indicator %s: the values by %s add up to %.15g, more than the total %.15g",
					     ind->code, p->disaggregations[ind->disaggregations[g]].code, sum, t->value);
		}
	}
	for (size_t i = 0; i < c->outcomes_len; i++) {
		const struct rbm_outcome_report *r = &c->outcomes[i];
		const char *code = p->results[r->result].code;
		for (size_t k = 0; k < r->countries_len; k++) {
			if (rbm_places_country(places, r->countries[k]) == NULL)
				rbm_diag_add(d, file, where, "outcome %s: unknown country \"%s\"", code, r->countries[k]);
			else if (restrict_places && !rbm_collect_office_covers(p, places, office, r->countries[k]))
				rbm_diag_add(d, file, where,
					     "outcome %s: country %s lies outside the places office %s reports on",
					     code, r->countries[k], oc);
		}
		for (size_t k = 0; k < r->cities_len; k++) {
			const char *cc;
			if (!city_known(p, r->cities[k], &cc))
				rbm_diag_add(d, file, where, "outcome %s: unknown city \"%s\"", code, r->cities[k]);
		}
		for (size_t k = 0; k < r->programmes_len; k++) {
			bool ok = false;
			for (size_t t = 0; t < p->programmes_len; t++)
				ok |= strcmp(p->programmes[t].code, r->programmes[k]) == 0;
			if (!ok)
				rbm_diag_add(d, file, where, "outcome %s: unknown programme \"%s\"", code,
					     r->programmes[k]);
		}
		for (size_t k = 0; k < r->themes_len; k++) {
			bool ok = false;
			for (size_t t = 0; t < p->themes_len; t++)
				ok |= strcmp(p->themes[t].code, r->themes[k]) == 0;
			if (!ok)
				rbm_diag_add(d, file, where, "outcome %s: unknown theme \"%s\"", code, r->themes[k]);
		}
	}
	return rbm_diag_count(d) > before ? RBM_EINVAL : RBM_OK;
}
