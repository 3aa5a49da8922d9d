/*
 * answers.c - from a form's answers (text, as forms and spreadsheets hold
 * them) to checked content.
 */
#include "collect_int.h"

#include "../core/alloc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct rbm_outcome_report *outcome(struct rbm_content *c, size_t result)
{
	for (size_t i = 0; i < c->outcomes_len; i++)
		if (c->outcomes[i].result == result)
			return &c->outcomes[i];
	rbm_xgrow(&c->outcomes, &c->outcomes_cap, c->outcomes_len + 1, sizeof *c->outcomes);
	struct rbm_outcome_report *r = &c->outcomes[c->outcomes_len++];
	memset(r, 0, sizeof *r);
	r->result = result;
	r->lang = RBM_LANG_EN;
	return r;
}

static bool in_list(const struct rbm_choice_list *l, const char *name)
{
	for (size_t i = 0; l && i < l->choices_len; i++)
		if (strcmp(l->choices[i].name, name) == 0)
			return true;
	return false;
}

/* Trims ASCII spaces at both ends into buf. */
static const char *trim(const char *s, char *buf, size_t cap)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/* Splits a select_multiple answer; each choice checked against the list. */
static char **split(const char *s, const struct rbm_choice_list *l, size_t *n, bool *ok,
		    const char *file, const char *where, struct rbm_diag *d)
{
	char **v = NULL;
	size_t cap = 0;
	*n = 0;
	*ok = true;
	const char *p = s;
	while (*p) {
		while (*p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ' ')
			e++;
		if (e > p) {
			char *name = rbm_xstrndup(p, (size_t)(e - p));
			if (!in_list(l, name)) {
				rbm_diag_add(d, file, where, "\"%s\" is not one of the choices in the list %s",
					     name, l ? l->name : "?");
				*ok = false;
				free(name);
			} else {
				rbm_xgrow(&v, &cap, *n + 1, sizeof *v);
				v[(*n)++] = name;
			}
		}
		p = e;
	}
	return v;
}

static void append(char ***v, size_t *n, char **add, size_t add_n)
{
	*v = rbm_xrealloc(*v, *n + add_n + 1, sizeof **v);
	for (size_t i = 0; i < add_n; i++)
		(*v)[(*n)++] = add[i];
	free(add);
}

enum rbm_rc rbm_collect_answers(const struct rbm_plan *p, const struct rbm_form *f,
				const struct rbm_answer *a, size_t n, struct rbm_content *out,
				const char *file, const char *where, struct rbm_diag *d)
{
	size_t before = rbm_diag_count(d);
	memset(out, 0, sizeof *out);
	size_t oi = rbm_plan_find_office(p, f->office);
	const struct rbm_office *o = &p->offices[oi];
	const char *own_country = o->countries_len == 1 && o->regions_len == 0 ? o->countries[0] : "";
	for (size_t i = 0; i < n; i++) {
		if (a[i].name == NULL || a[i].value == NULL)
			continue;
		char val[4096], at[512];
		trim(a[i].value, val, sizeof val);
		const char *place = a[i].where ? a[i].where : where;
		snprintf(at, sizeof at, "%s%scolumn %s", place ? place : "", place ? ", " : "", a[i].name);
		const struct rbm_question *q = rbm_collect_form_question(f, a[i].name);
		if (q == NULL) {
			if ((a[i].name[0] == 'v' || a[i].name[0] == 'o') && a[i].name[1] == '_')
				rbm_diag_add(d, file, at, "no question of the %s form has this name", f->id);
			continue;
		}
		if (val[0] == '\0')
			continue;
		const struct rbm_choice_list *list = q->list ? rbm_collect_form_list(f, q->list) : NULL;
		switch (q->role) {
		case RBM_ROLE_OFFICE:
			if (strcmp(val, f->office) != 0)
				rbm_diag_add(d, file, at, "the answers are for office %s, not %s", val, f->office);
			break;
		case RBM_ROLE_CYCLE:
			if (atoi(val) != f->year)
				rbm_diag_add(d, file, at, "the answers are for %s, not %d", val, f->year);
			break;
		case RBM_ROLE_VALUE: {
			struct rbm_value v = {0};
			v.indicator = q->indicator;
			v.disaggregation = q->disaggregation;
			v.category = q->category;
			snprintf(v.country, sizeof v.country, "%s",
				 a[i].country && a[i].country[0] ? a[i].country : own_country);
			if (q->type == RBM_Q_TEXT) {
				v.text = rbm_xstrdup(val);
			} else if (q->type == RBM_Q_SELECT_ONE) {
				if (strcmp(val, "yes") == 0 || strcmp(val, "1") == 0)
					v.value = 1;
				else if (strcmp(val, "no") == 0 || strcmp(val, "0") == 0)
					v.value = 0;
				else {
					rbm_diag_add(d, file, at, "expected yes or no, got \"%s\"", val);
					break;
				}
			} else {
				char *end;
				errno = 0;
				double x = strtod(val, &end);
				if (end == val || *end != '\0' || errno == ERANGE || !isfinite(x)) {
					rbm_diag_add(d, file, at, "expected a number, got \"%s\"", val);
					break;
				}
				if (q->whole && x != floor(x)) {
					rbm_diag_add(d, file, at, "expected a whole number, got \"%s\"", val);
					break;
				}
				if ((q->has_min && x < q->min) || (q->has_max && x > q->max)) {
					if (q->has_max)
						rbm_diag_add(d, file, at, "expected a number from %g to %g, got \"%s\"",
							     q->min, q->max, val);
					else
						rbm_diag_add(d, file, at, "expected a number >= %g, got \"%s\"", q->min, val);
					break;
				}
				v.value = x;
			}
			rbm_collect_content_add(out, &v, at);
			break;
		}
		case RBM_ROLE_CITIES_OF: {
			size_t k;
			bool ok;
			char **cities = split(val, list, &k, &ok, file, at, d);
			for (size_t c = 0; c < k; c++) {
				struct rbm_value v = {0};
				v.indicator = q->indicator;
				v.disaggregation = v.category = RBM_NONE;
				v.city = cities[c];
				v.value = 1;
				for (size_t t = 0; t < p->cities_len; t++)
					if (strcmp(p->cities[t].code, v.city) == 0)
						snprintf(v.country, sizeof v.country, "%s", p->cities[t].country);
				rbm_collect_content_add(out, &v, at);
			}
			free(cities);
			break;
		}
		case RBM_ROLE_NARRATIVE:
			free(outcome(out, q->result)->narrative);
			outcome(out, q->result)->narrative = rbm_xstrdup(a[i].value);
			break;
		case RBM_ROLE_LANG:
			if (!rbm_lang_parse(val, &outcome(out, q->result)->lang))
				rbm_diag_add(d, file, at, "\"%s\" is not one of ar, zh, en, fr, ru, es", val);
			break;
		case RBM_ROLE_COUNTRIES:
		case RBM_ROLE_CITIES:
		case RBM_ROLE_PROGRAMMES:
		case RBM_ROLE_THEMES: {
			size_t k;
			bool ok;
			char **v = split(val, list, &k, &ok, file, at, d);
			struct rbm_outcome_report *r = outcome(out, q->result);
			if (q->role == RBM_ROLE_COUNTRIES)
				append(&r->countries, &r->countries_len, v, k);
			else if (q->role == RBM_ROLE_CITIES)
				append(&r->cities, &r->cities_len, v, k);
			else if (q->role == RBM_ROLE_PROGRAMMES)
				append(&r->programmes, &r->programmes_len, v, k);
			else
				append(&r->themes, &r->themes_len, v, k);
			break;
		}
		case RBM_ROLE_NONE:
			break;
		}
	}
	/* A narrative needs its language; the language question is required. */
	for (size_t i = 0; i < out->outcomes_len; i++) {
		const struct rbm_outcome_report *r = &out->outcomes[i];
		if (r->narrative == NULL)
			continue;
		char name[128];
		snprintf(name, sizeof name, "o_%s_lang", p->results[r->result].code);
		for (char *c = name; *c; c++)
			if (*c == '.' || *c == '-')
				*c = '_';
		bool given = false;
		for (size_t k = 0; k < n; k++)
			given |= a[k].name && strcmp(a[k].name, name) == 0 && a[k].value && a[k].value[0];
		if (!given) {
			char at[512];
			snprintf(at, sizeof at, "%s%scolumn %s", where ? where : "", where ? ", " : "", name);
			rbm_diag_add(d, file, at, "a narrative needs its language (ar, zh, en, fr, ru or es)");
		}
	}
	if (rbm_diag_count(d) > before) {
		rbm_collect_content_free(out);
		return RBM_EINVAL;
	}
	return RBM_OK;
}

/* Joins the n strings of v with spaces into a new string (NULL when n is 0). */
static char *joined(char *const *v, size_t n)
{
	if (n == 0)
		return NULL;
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(v[i]) + 1;
	char *s = rbm_xmalloc(len), *w = s;
	for (size_t i = 0; i < n; i++)
		w += sprintf(w, "%s%s", i ? " " : "", v[i]);
	return s;
}

static const struct rbm_outcome_report *find_outcome(const struct rbm_content *c, size_t result)
{
	for (size_t i = 0; i < c->outcomes_len; i++)
		if (c->outcomes[i].result == result)
			return &c->outcomes[i];
	return NULL;
}

static char *value_text(const struct rbm_question *q, const struct rbm_content *c)
{
	if (q->role == RBM_ROLE_CITIES_OF) {
		char **cities = rbm_xcalloc(c->values_len + 1, sizeof *cities);
		size_t n = 0;
		for (size_t i = 0; i < c->values_len; i++)
			if (c->values[i].indicator == q->indicator && c->values[i].city)
				cities[n++] = c->values[i].city;
		char *s = joined(cities, n);
		free(cities);
		return s;
	}
	bool any = false;
	double sum = 0;
	for (size_t i = 0; i < c->values_len; i++) {
		const struct rbm_value *v = &c->values[i];
		if (v->indicator != q->indicator || v->disaggregation != q->disaggregation ||
		    v->category != q->category || v->city)
			continue;
		if (v->text)
			return rbm_xstrdup(v->text);
		sum += v->value;
		any = true;
	}
	if (!any)
		return NULL;
	if (q->type == RBM_Q_SELECT_ONE)
		return rbm_xstrdup(sum != 0 ? "yes" : "no");
	return rbm_xasprintf("%.15g", sum);
}

char **rbm_collect_form_values(const struct rbm_plan *p, const struct rbm_form *f,
			       const struct rbm_content *c)
{
	(void)p;
	char **v = rbm_xcalloc(f->questions_len + 1, sizeof *v);
	for (size_t i = 0; i < f->questions_len; i++) {
		const struct rbm_question *q = &f->questions[i];
		const struct rbm_outcome_report *r = q->result != RBM_NONE ? find_outcome(c, q->result) : NULL;
		switch (q->role) {
		case RBM_ROLE_OFFICE: v[i] = rbm_xstrdup(f->office); break;
		case RBM_ROLE_CYCLE: v[i] = rbm_xasprintf("%d", f->year); break;
		case RBM_ROLE_VALUE:
		case RBM_ROLE_CITIES_OF: v[i] = value_text(q, c); break;
		case RBM_ROLE_NARRATIVE: v[i] = r && r->narrative ? rbm_xstrdup(r->narrative) : NULL; break;
		case RBM_ROLE_LANG: v[i] = r && r->narrative ? rbm_xstrdup(rbm_lang_tag(r->lang)) : NULL; break;
		case RBM_ROLE_COUNTRIES: v[i] = r ? joined(r->countries, r->countries_len) : NULL; break;
		case RBM_ROLE_CITIES: v[i] = r ? joined(r->cities, r->cities_len) : NULL; break;
		case RBM_ROLE_PROGRAMMES: v[i] = r ? joined(r->programmes, r->programmes_len) : NULL; break;
		case RBM_ROLE_THEMES: v[i] = r ? joined(r->themes, r->themes_len) : NULL; break;
		case RBM_ROLE_NONE: break;
		}
	}
	return v;
}

void rbm_collect_form_values_free(char **v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
