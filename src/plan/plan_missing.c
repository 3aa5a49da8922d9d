/*
 * plan_missing.c - which texts of a plan lack which languages.
 */
#include "plan.h"

#include "../core/alloc.h"

#include <stdlib.h>

struct list {
	struct rbm_missing *v;
	size_t len, cap;
	unsigned want;
};

static void check(struct list *l, const char *kind, const char *code, const char *field,
		  const struct rbm_text *t)
{
	if (rbm_text_empty(t))
		return;
	unsigned missing = l->want & ~rbm_text_langs(t);
	if (missing == 0)
		return;
	rbm_xgrow(&l->v, &l->cap, l->len + 1, sizeof *l->v);
	l->v[l->len++] = (struct rbm_missing){kind, code, field, missing};
}

static void check_tags(struct list *l, const char *kind, const struct rbm_tag *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		check(l, kind, v[i].code, "title", &v[i].title);
		check(l, kind, v[i].code, "short_title", &v[i].short_title);
		check(l, kind, v[i].code, "description", &v[i].description);
	}
}

void rbm_plan_missing(const struct rbm_plan *p, unsigned want, struct rbm_missing **out,
		      size_t *out_len)
{
	struct list l = {NULL, 0, 0, want};
	check(&l, "plan", p->code, "title", &p->title);
	check(&l, "plan", p->code, "subtitle", &p->subtitle);
	check(&l, "plan", p->code, "description", &p->description);
	check(&l, "plan", p->code, "about.note", &p->about_note);
	check(&l, "plan", p->code, "iati.reporting_org.name", &p->iati.org_name);
	for (size_t i = 0; i < p->levels_len; i++)
		check(&l, "level", p->levels[i].key, "title", &p->levels[i].title);
	for (size_t i = 0; i < p->results_len; i++) {
		const struct rbm_result *r = &p->results[i];
		const char *kind = p->levels[r->level].key;
		check(&l, kind, r->code, "title", &r->title);
		check(&l, kind, r->code, "short_title", &r->short_title);
		check(&l, kind, r->code, "description", &r->description);
		for (size_t k = 0; k < p->indicators_len; k++) {
			const struct rbm_indicator *ind = &p->indicators[k];
			if (ind->result != i)
				continue;
			check(&l, "indicator", ind->code, "title", &ind->title);
			check(&l, "indicator", ind->code, "definition", &ind->definition);
		}
	}
	for (size_t i = 0; i < p->disaggregations_len; i++) {
		const struct rbm_disaggregation *g = &p->disaggregations[i];
		check(&l, "disaggregation", g->code, "title", &g->title);
		for (size_t c = 0; c < g->categories_len; c++)
			check(&l, "category", g->categories[c].code, "title", &g->categories[c].title);
	}
	check_tags(&l, "programme", p->programmes, p->programmes_len);
	check_tags(&l, "theme", p->themes, p->themes_len);
	check_tags(&l, "driver", p->drivers, p->drivers_len);
	check_tags(&l, "enabler", p->enablers, p->enablers_len);
	for (size_t i = 0; i < p->offices_len; i++)
		check(&l, "office", p->offices[i].code, "title", &p->offices[i].title);
	for (size_t i = 0; i < p->cities_len; i++)
		check(&l, "city", p->cities[i].code, "title", &p->cities[i].title);
	*out = l.v;
	*out_len = l.len;
}
