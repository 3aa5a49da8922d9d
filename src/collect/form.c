/*
 * form.c - the survey an office answers, generated from the plan.
 *
 * For each outcome: one numeric question per indicator the office reports
 * on (and one per category of each of its disaggregations), with the unit's
 * rule as a constraint; then the outcome's narrative, its language, the
 * countries and cities where the results happened, and the flagship
 * programmes and themes they served. Question names derive from codes
 * (indicator 1.1.a -> v_1_1_a, its female part -> v_1_1_a__female), so
 * they stay stable while the plan does.
 */
#include "collect_int.h"

#include "../core/alloc.h"
#include "../core/arena.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct builder {
	struct rbm_form *f;
	const struct rbm_plan *p;
	const struct rbm_places *places;
	size_t office;
	size_t qcap, lcap;
};

static char *astr(struct builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *astr(struct builder *b, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return rbm_arena_strdup(b->f->arena, buf);
}

/* "1.1.a" -> "1_1_a": XLSForm names take letters, digits, '_', '-' and '.', but '.' confuses paths. */
static char *name_part(struct builder *b, const char *code)
{
	char *s = rbm_arena_strdup(b->f->arena, code);
	for (char *c = s; *c; c++)
		if (*c == '.' || *c == '-')
			*c = '_';
	return s;
}

static struct rbm_question *add(struct builder *b, enum rbm_question_type type,
				enum rbm_question_role role, char *name)
{
	rbm_xgrow(&b->f->questions, &b->qcap, b->f->questions_len + 1, sizeof *b->f->questions);
	struct rbm_question *q = &b->f->questions[b->f->questions_len++];
	memset(q, 0, sizeof *q);
	q->type = type;
	q->role = role;
	q->name = name;
	q->indicator = q->disaggregation = q->category = q->result = RBM_NONE;
	return q;
}

/* A fixed label in every language, formatted with one int or string argument. */
static struct rbm_text label(struct builder *b, enum rbm_label key)
{
	(void)b;
	struct rbm_text t;
	for (int l = 0; l < RBM_LANG_COUNT; l++)
		t.s[l] = rbm_collect__label(key, (enum rbm_lang)l);
	return t;
}

static struct rbm_text label_int(struct builder *b, enum rbm_label key, int v)
{
	struct rbm_text t;
	for (int l = 0; l < RBM_LANG_COUNT; l++)
		t.s[l] = astr(b, rbm_collect__label(key, (enum rbm_lang)l), v);
	return t;
}

/* "Outcome 1.1: Increased and equal access ..." in every language the plan has. */
static struct rbm_text heading(struct builder *b, const struct rbm_result *r)
{
	struct rbm_text t = {{0}};
	const struct rbm_text *lt = &b->p->levels[r->level].title;
	for (int l = 0; l < RBM_LANG_COUNT; l++) {
		if (r->title.s[l] == NULL && lt->s[l] == NULL)
			continue;
		const char *sep = l == RBM_LANG_ZH ? "：" : l == RBM_LANG_FR ? " : " : ": ";
		t.s[l] = astr(b, "%s %s%s%s", rbm_text_get(lt, (enum rbm_lang)l), r->code, sep,
			      rbm_text_get(&r->title, (enum rbm_lang)l));
	}
	return t;
}

static struct rbm_text joined(struct builder *b, const struct rbm_text *x, const struct rbm_text *y)
{
	struct rbm_text t = {{0}};
	for (int l = 0; l < RBM_LANG_COUNT; l++)
		if (x->s[l] || y->s[l])
			t.s[l] = astr(b, "%s — %s", rbm_text_get(x, (enum rbm_lang)l),
				      rbm_text_get(y, (enum rbm_lang)l));
	return t;
}

static struct rbm_choice_list *add_list(struct builder *b, const char *name)
{
	rbm_xgrow(&b->f->lists, &b->lcap, b->f->lists_len + 1, sizeof *b->f->lists);
	struct rbm_choice_list *l = &b->f->lists[b->f->lists_len++];
	memset(l, 0, sizeof *l);
	l->name = rbm_arena_strdup(b->f->arena, name);
	return l;
}

/* Choices are few per list; the arena holds them, sized once. */
static void set_choices(struct builder *b, struct rbm_choice_list *l, size_t n)
{
	l->choices = rbm_arena_alloc(b->f->arena, (n ? n : 1) * sizeof *l->choices);
	l->choices_len = 0;
}

static void add_choice(struct rbm_choice_list *l, char *name, struct rbm_text label)
{
	l->choices[l->choices_len].name = name;
	l->choices[l->choices_len].label = label;
	l->choices_len++;
}

static void build_lists(struct builder *b)
{
	const struct rbm_plan *p = b->p;
	struct rbm_choice_list *l = add_list(b, "yesno");
	set_choices(b, l, 2);
	add_choice(l, "yes", label(b, RBM_LABEL_YES));
	add_choice(l, "no", label(b, RBM_LABEL_NO));

	l = add_list(b, "lang");
	set_choices(b, l, RBM_LANG_COUNT);
	for (int i = 0; i < RBM_LANG_COUNT; i++) {
		struct rbm_text t;
		for (int k = 0; k < RBM_LANG_COUNT; k++)
			t.s[k] = rbm_lang_name((enum rbm_lang)i);
		add_choice(l, (char *)rbm_lang_tag((enum rbm_lang)i), t);
	}

	size_t n = 0;
	for (size_t i = 0; i < b->places->countries_len; i++)
		n += rbm_collect_office_covers(p, b->places, b->office, b->places->countries[i].alpha3);
	l = add_list(b, "countries");
	set_choices(b, l, n);
	for (size_t i = 0; i < b->places->countries_len; i++) {
		const struct rbm_country *c = &b->places->countries[i];
		if (rbm_collect_office_covers(p, b->places, b->office, c->alpha3))
			add_choice(l, rbm_arena_strdup(b->f->arena, c->alpha3), c->name);
	}

	n = 0;
	for (size_t i = 0; i < p->cities_len; i++)
		n += rbm_collect_office_covers(p, b->places, b->office, p->cities[i].country);
	l = add_list(b, "cities");
	set_choices(b, l, n);
	for (size_t i = 0; i < p->cities_len; i++)
		if (rbm_collect_office_covers(p, b->places, b->office, p->cities[i].country))
			add_choice(l, (char *)p->cities[i].code, p->cities[i].title);

	l = add_list(b, "programmes");
	set_choices(b, l, p->programmes_len);
	for (size_t i = 0; i < p->programmes_len; i++)
		add_choice(l, (char *)p->programmes[i].code, p->programmes[i].title);
	l = add_list(b, "themes");
	set_choices(b, l, p->themes_len);
	for (size_t i = 0; i < p->themes_len; i++)
		add_choice(l, (char *)p->themes[i].code, p->themes[i].title);
}

/* Sets the type, hint and constraint a value question of ind takes. */
static void shape_value(struct builder *b, struct rbm_question *q, const struct rbm_indicator *ind)
{
	q->type = RBM_Q_DECIMAL;
	switch (ind->unit) {
	case RBM_UNIT_PEOPLE:
		q->type = RBM_Q_INTEGER;
		q->whole = true;
		q->has_min = true;
		q->constraint = ". >= 0";
		q->constraint_message = label(b, RBM_LABEL_MSG_PEOPLE);
		q->hint = label(b, RBM_LABEL_HINT_PEOPLE);
		break;
	case RBM_UNIT_PERCENT:
		q->has_min = q->has_max = true;
		q->max = 100;
		q->constraint = ". >= 0 and . <= 100";
		q->constraint_message = label(b, RBM_LABEL_MSG_PERCENT);
		q->hint = label(b, RBM_LABEL_HINT_PERCENT);
		break;
	case RBM_UNIT_YESNO:
		q->type = RBM_Q_SELECT_ONE;
		q->list = "yesno";
		q->hint = label(b, RBM_LABEL_HINT_YESNO);
		break;
	case RBM_UNIT_TEXT:
		q->type = RBM_Q_TEXT;
		break;
	case RBM_UNIT_CURRENCY:
		for (int l = 0; l < RBM_LANG_COUNT; l++)
			q->hint.s[l] = astr(b, rbm_collect__label(RBM_LABEL_HINT_CURRENCY, (enum rbm_lang)l),
					    ind->currency ? ind->currency : "");
		break;
	case RBM_UNIT_NUMBER:
		q->hint = label(b, RBM_LABEL_HINT_NUMBER);
		break;
	}
	if (ind->aggregation == RBM_AGG_COUNT_UNITS && !q->has_min && q->type != RBM_Q_SELECT_ONE &&
	    q->type != RBM_Q_TEXT) {
		q->has_min = true;
		q->constraint = ". >= 0";
		q->constraint_message = label(b, RBM_LABEL_MSG_NONNEG);
	}
}

static bool office_reports_on(const struct rbm_office *o, size_t ind)
{
	if (o->indicators_len == 0)
		return true;
	for (size_t i = 0; i < o->indicators_len; i++)
		if (o->indicators[i] == ind)
			return true;
	return false;
}

/* True when result r is within the subtree rooted at top. */
static bool under(const struct rbm_plan *p, size_t r, size_t top)
{
	for (size_t at = r; at != RBM_NONE; at = p->results[at].parent)
		if (at == top)
			return true;
	return false;
}

static void indicator_questions(struct builder *b, size_t k)
{
	const struct rbm_plan *p = b->p;
	const struct rbm_indicator *ind = &p->indicators[k];
	char *base = astr(b, "v_%s", name_part(b, ind->code));
	if (ind->aggregation == RBM_AGG_COUNT_UNITS && ind->count_of == RBM_COUNT_CITY) {
		struct rbm_question *q = add(b, RBM_Q_SELECT_MULTIPLE, RBM_ROLE_CITIES_OF, base);
		q->label = ind->title;
		q->hint = label(b, RBM_LABEL_CITIES_OF_HINT);
		q->list = "cities";
		q->indicator = k;
		return;
	}
	struct rbm_question *q = add(b, RBM_Q_DECIMAL, RBM_ROLE_VALUE, base);
	q->label = ind->title;
	q->indicator = k;
	shape_value(b, q, ind);
	for (size_t g = 0; g < ind->disaggregations_len; g++) {
		const struct rbm_disaggregation *dis = &p->disaggregations[ind->disaggregations[g]];
		for (size_t c = 0; c < dis->categories_len; c++) {
			struct rbm_question *cq = add(b, RBM_Q_DECIMAL, RBM_ROLE_VALUE,
						      astr(b, "%s__%s", base, dis->categories[c].code));
			cq->label = joined(b, &ind->title, &dis->categories[c].title);
			cq->indicator = k;
			cq->disaggregation = ind->disaggregations[g];
			cq->category = c;
			shape_value(b, cq, ind);
			cq->relevant = astr(b, "${%s} != ''", base);
		}
	}
}

static void outcome_questions(struct builder *b, size_t r)
{
	char *base = astr(b, "o_%s", name_part(b, b->p->results[r].code));
	struct rbm_question *q = add(b, RBM_Q_TEXT, RBM_ROLE_NARRATIVE, astr(b, "%s_narrative", base));
	q->label = label_int(b, RBM_LABEL_NARRATIVE, b->f->year);
	q->hint = label(b, RBM_LABEL_NARRATIVE_HINT);
	q->result = r;
	char *narrative = q->name;
	q = add(b, RBM_Q_SELECT_ONE, RBM_ROLE_LANG, astr(b, "%s_lang", base));
	q->label = label(b, RBM_LABEL_LANG);
	q->list = "lang";
	q->required = true;
	q->relevant = astr(b, "${%s} != ''", narrative);
	q->result = r;
	static const struct {
		enum rbm_question_role role;
		const char *suffix, *list;
		enum rbm_label label;
	} multi[] = {
		{RBM_ROLE_COUNTRIES, "countries", "countries", RBM_LABEL_COUNTRIES},
		{RBM_ROLE_CITIES, "cities", "cities", RBM_LABEL_CITIES},
		{RBM_ROLE_PROGRAMMES, "programmes", "programmes", RBM_LABEL_PROGRAMMES},
		{RBM_ROLE_THEMES, "themes", "themes", RBM_LABEL_THEMES},
	};
	for (size_t i = 0; i < sizeof multi / sizeof *multi; i++) {
		const struct rbm_choice_list *l = rbm_collect_form_list(b->f, multi[i].list);
		if (l == NULL || l->choices_len == 0)
			continue;
		q = add(b, RBM_Q_SELECT_MULTIPLE, multi[i].role, astr(b, "%s_%s", base, multi[i].suffix));
		q->label = label(b, multi[i].label);
		q->list = (char *)multi[i].list;
		q->result = r;
	}
}

/* The version changes whenever the plan or the office's part of it does. */
static char *form_version(struct builder *b)
{
	char *json = NULL;
	rbm_plan_to_json(b->p, &json);
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	crypto_hash_sha256_update(&st, (const unsigned char *)json, json ? strlen(json) : 0);
	crypto_hash_sha256_update(&st, (const unsigned char *)b->f->office, strlen(b->f->office));
	crypto_hash_sha256_final(&st, h);
	free(json);
	return astr(b, "%d.%02x%02x%02x%02x%02x", b->f->year, h[0], h[1], h[2], h[3], h[4]);
}

enum rbm_rc rbm_collect_form(const struct rbm_plan *p, const struct rbm_places *places,
			     int year, const char *office, struct rbm_form **out,
			     struct rbm_diag *d)
{
	size_t oi = rbm_plan_find_office(p, office);
	if (oi == RBM_NONE) {
		rbm_diag_add(d, NULL, NULL, "unknown office \"%s\" (see 'rbm offices list')", office);
		return RBM_ENOENT;
	}
	if (year < p->first_year || year > p->last_year) {
		rbm_diag_add(d, NULL, NULL, "%d lies outside the plan period %d-%d", year, p->first_year,
			     p->last_year);
		return RBM_EINVAL;
	}
	struct rbm_form *f = rbm_xcalloc(1, sizeof *f);
	f->arena = rbm_arena_new();
	struct builder b = {f, p, places, oi, 0, 0};
	f->year = year;
	f->office = rbm_arena_strdup(f->arena, office);
	f->id = astr(&b, "rbm_%d_%s", year, name_part(&b, office));
	f->version = form_version(&b);
	for (int l = 0; l < RBM_LANG_COUNT; l++)
		f->title.s[l] = astr(&b, rbm_collect__label(RBM_LABEL_TITLE, (enum rbm_lang)l), year,
				     rbm_text_get(&p->offices[oi].title, (enum rbm_lang)l));
	build_lists(&b);

	struct rbm_question *q = add(&b, RBM_Q_CALCULATE, RBM_ROLE_OFFICE, "rbm_office");
	q->calculation = astr(&b, "'%s'", office);
	q = add(&b, RBM_Q_CALCULATE, RBM_ROLE_CYCLE, "rbm_cycle");
	q->calculation = astr(&b, "%d", year);

	const struct rbm_office *o = &p->offices[oi];
	unsigned group_level = p->levels_len > 1 ? 1 : 0;
	for (size_t r = 0; r < p->results_len; r++) {
		const struct rbm_result *res = &p->results[r];
		if (res->level > group_level)
			continue;
		/* Indicators of this result's subtree (level 0: only its own). */
		size_t n = 0;
		for (size_t k = 0; k < p->indicators_len; k++) {
			size_t ir = p->indicators[k].result;
			bool mine = res->level == group_level ? under(p, ir, r) : ir == r;
			n += mine && office_reports_on(o, k);
		}
		if (res->level < group_level) {
			/* A domain: a group around its outcomes, if any of them asks anything. */
			size_t sub = 0;
			for (size_t k = 0; k < p->indicators_len; k++)
				sub += under(p, p->indicators[k].result, r) && office_reports_on(o, k);
			if (sub == 0 && o->indicators_len)
				continue;
			q = add(&b, RBM_Q_BEGIN_GROUP, RBM_ROLE_NONE, astr(&b, "d_%s", name_part(&b, res->code)));
			q->label = heading(&b, res);
			q->result = r;
			for (size_t k = 0; k < p->indicators_len; k++)
				if (p->indicators[k].result == r && office_reports_on(o, k))
					indicator_questions(&b, k);
			/* Close the domain when the next result at its level (or the end) comes. */
			continue;
		}
		if (n == 0 && o->indicators_len)
			continue;
		q = add(&b, RBM_Q_BEGIN_GROUP, RBM_ROLE_NONE, astr(&b, "o_%s", name_part(&b, res->code)));
		q->label = heading(&b, res);
		q->result = r;
		for (size_t k = 0; k < p->indicators_len; k++)
			if (under(p, p->indicators[k].result, r) && office_reports_on(o, k))
				indicator_questions(&b, k);
		outcome_questions(&b, r);
		add(&b, RBM_Q_END_GROUP, RBM_ROLE_NONE, NULL)->result = r;
	}
	/* Close the domain groups: rebuild the order with end_groups in place. */
	if (group_level == 1) {
		struct rbm_question *v = f->questions;
		size_t n = f->questions_len, cap = n + 64, len = 0;
		struct rbm_question *w = rbm_xcalloc(cap, sizeof *w);
		bool open = false;
		for (size_t i = 0; i < n; i++) {
			bool domain = v[i].type == RBM_Q_BEGIN_GROUP && p->results[v[i].result].level == 0;
			if (domain && open) {
				rbm_xgrow(&w, &cap, len + 1, sizeof *w);
				w[len] = (struct rbm_question){.type = RBM_Q_END_GROUP};
				w[len].indicator = w[len].disaggregation = w[len].category = w[len].result = RBM_NONE;
				len++;
			}
			open |= domain;
			rbm_xgrow(&w, &cap, len + 1, sizeof *w);
			w[len++] = v[i];
		}
		if (open) {
			rbm_xgrow(&w, &cap, len + 1, sizeof *w);
			w[len] = (struct rbm_question){.type = RBM_Q_END_GROUP};
			w[len].indicator = w[len].disaggregation = w[len].category = w[len].result = RBM_NONE;
			len++;
		}
		free(v);
		f->questions = w;
		f->questions_len = len;
	}
	*out = f;
	return RBM_OK;
}

void rbm_collect_form_free(struct rbm_form *f)
{
	if (f == NULL)
		return;
	free(f->questions);
	free(f->lists);
	rbm_arena_free(f->arena);
	free(f);
}

const struct rbm_question *rbm_collect_form_question(const struct rbm_form *f, const char *name)
{
	for (size_t i = 0; i < f->questions_len; i++)
		if (f->questions[i].name && strcmp(f->questions[i].name, name) == 0)
			return &f->questions[i];
	return NULL;
}

const struct rbm_choice_list *rbm_collect_form_list(const struct rbm_form *f, const char *name)
{
	for (size_t i = 0; i < f->lists_len; i++)
		if (strcmp(f->lists[i].name, name) == 0)
			return &f->lists[i];
	return NULL;
}
