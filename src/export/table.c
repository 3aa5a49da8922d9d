/*
 * table.c - the tidy tables of a cycle, built from the measure engine: the
 * columns of each level (the one place they are defined; docs/exports.md
 * describes the same) and the four builders.
 *
 * The value level asks the engine for each indicator's figure grouped by
 * office, country, city, quarter and (one disaggregation at a time)
 * category. Each such group holds one place as one office reported it, so
 * its figure is the place's combined value (place_combine), or for
 * count_units 1 or 0; loading the rows back with 'rbm values import' and
 * measuring again gives the same figures for every rule (see
 * tests/export/test_export_roundtrip.c). Indicators that count countries
 * are not split by city: their place is the country.
 */
#include "export_int.h"

#include "../collect/collect.h"
#include "../core/alloc.h"
#include "../core/sort.h"
#include "../core/strmap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- columns ---- */

#define S RBM_EXPORT_STRING
#define I RBM_EXPORT_INTEGER
#define N RBM_EXPORT_NUMBER
#define Y RBM_EXPORT_YEAR

#define D_CYCLE "The reporting cycle: the year reported on."
#define D_DOMAIN "Code of the domain of change (the plan's top-level result)."
#define D_DOMAIN_TITLE "Title of the domain of change, in the export's language."
#define D_OUTCOME "Code of the outcome (the plan's second-level result); empty for an indicator set on a domain itself."
#define D_OUTCOME_TITLE "Title of the outcome, in the export's language."
#define D_INDICATOR "Code of the indicator."
#define D_INDICATOR_TITLE "Title of the indicator, in the export's language."
#define D_UNIT "What the indicator counts: number, people, percent, currency or yesno."
#define D_CURRENCY "ISO 4217 code of a currency indicator's values; empty for other units."
#define D_RULE "How the indicator's values make one figure across places: sum, max, min, mean, latest (the sum of each place's latest value) or count_units (the number of places with a value above 0)."
#define D_YEAR "The year the figures are for (the cycle's year)."
#define D_INDICATORS "Indicators of the result (and of the results below it) that have numeric values."
#define D_ACHIEVED "Of those, indicators whose progress reached the plan's achieved threshold."
#define D_ON_TRACK "Indicators whose progress reached the on-track threshold but not the achieved one."
#define D_BEHIND "Indicators with a target and an actual whose progress is below the on-track threshold."
#define D_NO_DATA "Indicators with a target for the year but no approved value."
#define D_NO_TARGET "Indicators with no target for the year."
#define D_COUNTRIES "Distinct countries where at least one of the result's indicators has a figure above 0."
#define D_CITIES "Distinct cities where at least one of the result's indicators has a figure above 0."
#define D_OFFICES "Distinct offices with at least one approved value for the result's indicators."
#define D_VALUES_RESULT "Approved data values behind the result's indicators' figures."

enum { V_CYCLE, V_DOMAIN, V_DOMAIN_TITLE, V_OUTCOME, V_OUTCOME_TITLE, V_INDICATOR, V_INDICATOR_TITLE,
       V_UNIT, V_CURRENCY, V_RULE, V_YEAR, V_QUARTER, V_OFFICE, V_OFFICE_NAME, V_REGION, V_REGION_NAME,
       V_COUNTRY, V_COUNTRY_NAME, V_M49, V_M49_NAME, V_CITY, V_CITY_NAME, V_DIS, V_DIS_LABEL, V_CAT,
       V_CAT_LABEL, V_VALUE, V_VALUES, V_N };

static const struct rbm_export_column value_cols[V_N] = {
	{"cycle", Y, true, D_CYCLE},
	{"domain", S, true, D_DOMAIN},
	{"domain_title", S, true, D_DOMAIN_TITLE},
	{"outcome", S, false, D_OUTCOME},
	{"outcome_title", S, false, D_OUTCOME_TITLE},
	{"indicator", S, true, D_INDICATOR},
	{"indicator_title", S, true, D_INDICATOR_TITLE},
	{"unit", S, true, D_UNIT},
	{"currency", S, false, D_CURRENCY},
	{"rule", S, true, D_RULE},
	{"year", Y, true, "The year of the values."},
	{"quarter", I, false, "The quarter (1-4) of quarterly values; empty for values of the whole year."},
	{"office", S, true, "Code of the office that reported the values."},
	{"office_name", S, true, "Name of the reporting office, in the export's language."},
	{"region", S, false,
	 "Code of the regional office the reporting office works through (a regional office is its own); "
	 "empty for headquarters and offices outside any region. The same grouping as 'rbm results --by region'."},
	{"region_name", S, false, "Name of that regional office, in the export's language."},
	{"country", S, false, "ISO 3166-1 alpha-3 code of the country; empty for values reported for an office as a whole."},
	{"country_name", S, false, "Name of the country, in the export's language."},
	{"m49_region", S, false, "UN M49 code of the country's region: 002 Africa, 009 Oceania, 019 Americas, 142 Asia, 150 Europe."},
	{"m49_region_name", S, false, "Name of that M49 region, in the export's language."},
	{"city", S, false,
	 "Code of the city; empty for values of a country or office as a whole, and always for indicators that count countries."},
	{"city_name", S, false, "Name of the city in the plan, in the export's language; empty for a city the plan does not list."},
	{"disaggregation", S, false, "Code of the disaggregation (such as sex or age) of a category's row; empty for the total."},
	{"disaggregation_label", S, false, "Title of the disaggregation, in the export's language."},
	{"category", S, false, "Code of the category (such as female); empty for the total."},
	{"category_label", S, false, "Title of the category, in the export's language."},
	{"value", N, true,
	 "The values of the place in the period, combined as the indicator combines one place's values (sum, or max); "
	 "for an indicator that counts places (rule count_units), 1 when they come to more than 0, else 0."},
	{"values", I, true, "How many approved data values the row combines."},
};

enum { I_CYCLE, I_DOMAIN, I_DOMAIN_TITLE, I_OUTCOME, I_OUTCOME_TITLE, I_INDICATOR, I_INDICATOR_TITLE,
       I_UNIT, I_CURRENCY, I_RULE, I_DIRECTION, I_YEAR, I_BASELINE, I_BASELINE_YEAR, I_TARGET,
       I_ACTUAL, I_PERCENT, I_STATUS, I_PLACES, I_VALUES, I_N };

static const struct rbm_export_column indicator_cols[I_N] = {
	{"cycle", Y, true, D_CYCLE},
	{"domain", S, true, D_DOMAIN},
	{"domain_title", S, true, D_DOMAIN_TITLE},
	{"outcome", S, false, D_OUTCOME},
	{"outcome_title", S, false, D_OUTCOME_TITLE},
	{"indicator", S, true, D_INDICATOR},
	{"indicator_title", S, true, D_INDICATOR_TITLE},
	{"unit", S, true, D_UNIT},
	{"currency", S, false, D_CURRENCY},
	{"rule", S, true, D_RULE},
	{"direction", S, true, "Which way the indicator is meant to move: increase or decrease."},
	{"year", Y, true, D_YEAR},
	{"baseline", N, false, "The indicator's baseline value; empty when the plan gives none."},
	{"baseline_year", Y, false, "The year of the baseline."},
	{"target", N, false, "The plan's target for the year; empty when there is none."},
	{"actual", N, false, "What the approved values come to under the indicator's rule; empty when there is no approved value."},
	{"percent", N, false,
	 "Progress towards the target in percent: actual/target for counts and flows, the distance travelled from the "
	 "baseline to the target for levels (percentages, means) and decreasing indicators; empty without target or actual."},
	{"status", S, true, "achieved, on_track, behind, no_data or no_target, by the plan's thresholds."},
	{"places", I, true, "How many places (countries, cities, or offices for values with no place) the actual combines."},
	{"values", I, true, "How many approved data values the actual combines."},
};

enum { O_CYCLE, O_DOMAIN, O_DOMAIN_TITLE, O_OUTCOME, O_OUTCOME_TITLE, O_YEAR, O_INDICATORS, O_ACHIEVED,
       O_ON_TRACK, O_BEHIND, O_NO_DATA, O_NO_TARGET, O_COUNTRIES, O_CITIES, O_OFFICES, O_VALUES, O_N };

static const struct rbm_export_column outcome_cols[O_N] = {
	{"cycle", Y, true, D_CYCLE},
	{"domain", S, true, D_DOMAIN},
	{"domain_title", S, true, D_DOMAIN_TITLE},
	{"outcome", S, true, "Code of the outcome."},
	{"outcome_title", S, true, D_OUTCOME_TITLE},
	{"year", Y, true, D_YEAR},
	{"indicators", I, true, D_INDICATORS},
	{"achieved", I, true, D_ACHIEVED},
	{"on_track", I, true, D_ON_TRACK},
	{"behind", I, true, D_BEHIND},
	{"no_data", I, true, D_NO_DATA},
	{"no_target", I, true, D_NO_TARGET},
	{"countries", I, true, D_COUNTRIES},
	{"cities", I, true, D_CITIES},
	{"offices", I, true, D_OFFICES},
	{"values", I, true, D_VALUES_RESULT},
};

/* The domain level: the outcome level's columns less the outcome's. */
enum { M_CYCLE, M_DOMAIN, M_DOMAIN_TITLE, M_YEAR, M_N = O_N - 2 };

static const struct rbm_export_column domain_cols[M_N] = {
	{"cycle", Y, true, D_CYCLE},
	{"domain", S, true, D_DOMAIN},
	{"domain_title", S, true, D_DOMAIN_TITLE},
	{"year", Y, true, D_YEAR},
	{"indicators", I, true, D_INDICATORS},
	{"achieved", I, true, D_ACHIEVED},
	{"on_track", I, true, D_ON_TRACK},
	{"behind", I, true, D_BEHIND},
	{"no_data", I, true, D_NO_DATA},
	{"no_target", I, true, D_NO_TARGET},
	{"countries", I, true, D_COUNTRIES},
	{"cities", I, true, D_CITIES},
	{"offices", I, true, D_OFFICES},
	{"values", I, true, D_VALUES_RESULT},
};

#undef S
#undef I
#undef N
#undef Y

static const char *const level_names[RBM_EXPORT_LEVEL_COUNT] = {"value", "indicator", "outcome", "domain"};

const char *rbm_export_level_name(enum rbm_export_level level)
{
	return (unsigned)level < RBM_EXPORT_LEVEL_COUNT ? level_names[level] : "?";
}

bool rbm_export_level_parse(const char *s, enum rbm_export_level *out)
{
	for (int l = 0; s && l < RBM_EXPORT_LEVEL_COUNT; l++)
		if (strcmp(s, level_names[l]) == 0) {
			*out = (enum rbm_export_level)l;
			return true;
		}
	return false;
}

const char *rbm_export_type_name(enum rbm_export_type type)
{
	static const char *const names[] = {"string", "integer", "number", "year"};
	return (unsigned)type < 4 ? names[type] : "?";
}

const struct rbm_export_column *rbm_export_columns(enum rbm_export_level level, size_t *len)
{
	switch (level) {
	case RBM_EXPORT_VALUE: *len = V_N; return value_cols;
	case RBM_EXPORT_INDICATOR: *len = I_N; return indicator_cols;
	case RBM_EXPORT_OUTCOME: *len = O_N; return outcome_cols;
	case RBM_EXPORT_DOMAIN: *len = M_N; return domain_cols;
	case RBM_EXPORT_LEVEL_COUNT: break;
	}
	*len = 0;
	return NULL;
}

const char *rbm_export__status(enum rbm_attain a)
{
	static const char *const codes[] = {"achieved", "on_track", "behind", "no_data", "no_target"};
	return (unsigned)a < 5 ? codes[a] : "?";
}

const struct rbm_export_cell *rbm_export_cell(const struct rbm_export_table *t, size_t r, size_t c)
{
	return &t->cells[r * t->columns_len + c];
}

/* ---- the table being built ---- */

struct build {
	struct rbm_export_table *t;
	size_t cap; /* rows */
	const struct rbm_plan *p;
	const struct rbm_places *places;
	const struct rbm_measure *m;
	enum rbm_lang lang;
	struct rbm_buf clean; /* scratch for strings that are not valid UTF-8 */
};

/* The length of the valid UTF-8 sequence at s (n bytes left), 0 when there is none. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len;
	unsigned long c, min;
	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xE0) == 0xC0)
		len = 2, c = s[0] & 0x1Fu, min = 0x80;
	else if ((s[0] & 0xF0) == 0xE0)
		len = 3, c = s[0] & 0x0Fu, min = 0x800;
	else if ((s[0] & 0xF8) == 0xF0)
		len = 4, c = s[0] & 0x07u, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3Fu);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return len;
}

/* s itself when it is valid UTF-8, else a copy in b->clean with U+FFFD for each bad byte. */
static const char *valid_utf8(struct build *b, const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n = strlen(s), i = 0;
	while (i < n) {
		size_t l = utf8_len(u + i, n - i);
		if (l == 0)
			break;
		i += l;
	}
	if (i == n)
		return s;
	rbm_buf_reset(&b->clean);
	for (i = 0; i < n;) {
		size_t l = utf8_len(u + i, n - i);
		if (l == 0) {
			rbm_buf_adds(&b->clean, "\xEF\xBF\xBD");
			i++;
		} else {
			rbm_buf_add(&b->clean, u + i, l);
			i += l;
		}
	}
	return rbm_buf_str(&b->clean);
}

/* A new row, every cell null. */
static struct rbm_export_cell *new_row(struct build *b)
{
	struct rbm_export_table *t = b->t;
	if (t->rows_len == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		t->cells = rbm_xrealloc(t->cells, b->cap * t->columns_len, sizeof *t->cells);
	}
	struct rbm_export_cell *row = &t->cells[t->rows_len++ * t->columns_len];
	for (size_t c = 0; c < t->columns_len; c++)
		row[c] = (struct rbm_export_cell){true, NULL, 0};
	return row;
}

static void put_s(struct build *b, struct rbm_export_cell *row, size_t col, const char *s)
{
	if (s == NULL)
		return;
	uint32_t k = rbm_strmap_intern(b->t->strings, valid_utf8(b, s));
	row[col] = (struct rbm_export_cell){false, b->t->strings->keys[k], 0};
}

static void put_x(struct rbm_export_cell *row, size_t col, double x)
{
	row[col] = (struct rbm_export_cell){false, NULL, x};
}

/* The result at level among r and its ancestors, RBM_NONE when there is none. */
static size_t ancestor_at(const struct rbm_plan *p, size_t r, unsigned level)
{
	for (; r != RBM_NONE; r = p->results[r].parent)
		if (p->results[r].level == level)
			return r;
	return RBM_NONE;
}

/* The codes and titles of the domain and (c_outcome not RBM_NONE) the outcome a result lies in. */
static void put_result(struct build *b, struct rbm_export_cell *row, size_t result, size_t c_domain,
		       size_t c_outcome)
{
	const struct rbm_plan *p = b->p;
	size_t dom = ancestor_at(p, result, 0), out = ancestor_at(p, result, 1);
	if (dom != RBM_NONE) {
		put_s(b, row, c_domain, p->results[dom].code);
		put_s(b, row, c_domain + 1, rbm_text_get(&p->results[dom].title, b->lang));
	}
	if (out != RBM_NONE && c_outcome != RBM_NONE) {
		put_s(b, row, c_outcome, p->results[out].code);
		put_s(b, row, c_outcome + 1, rbm_text_get(&p->results[out].title, b->lang));
	}
}

/* indicator, indicator_title, unit, currency, rule from column c on. */
static void put_indicator(struct build *b, struct rbm_export_cell *row, size_t i, size_t c)
{
	const struct rbm_indicator *ind = &b->p->indicators[i];
	put_s(b, row, c, ind->code);
	put_s(b, row, c + 1, rbm_text_get(&ind->title, b->lang));
	put_s(b, row, c + 2, rbm_unit_name(ind->unit));
	if (ind->unit == RBM_UNIT_CURRENCY)
		put_s(b, row, c + 3, ind->currency);
	put_s(b, row, c + 4, rbm_aggregation_name(ind->aggregation));
}

/* ---- value level ---- */

struct vrow {
	size_t ind;
	int year;
	uint32_t quarter, office, country; /* country: places index, RBM_KEY_NONE last */
	const char *city;                  /* NULL: none */
	size_t dis, cat;                   /* RBM_NONE: the total */
	double value;
	uint32_t rows;
};

static int cmp_size(size_t a, size_t b)
{
	/* RBM_NONE (the total) first. */
	if (a == b)
		return 0;
	if (a == RBM_NONE)
		return -1;
	if (b == RBM_NONE)
		return 1;
	return a < b ? -1 : 1;
}

static int cmp_vrow(const void *x, const void *y, void *ctx)
{
	const struct vrow *a = x, *b = y;
	(void)ctx;
	if (a->ind != b->ind)
		return a->ind < b->ind ? -1 : 1;
	if (a->year != b->year)
		return a->year < b->year ? -1 : 1;
	if (a->quarter != b->quarter)
		return a->quarter < b->quarter ? -1 : 1;
	if (a->office != b->office)
		return a->office < b->office ? -1 : 1;
	if (a->country != b->country)
		return a->country < b->country ? -1 : 1;
	if ((a->city == NULL) != (b->city == NULL))
		return a->city == NULL ? -1 : 1;
	int c = a->city ? strcmp(a->city, b->city) : 0;
	if (c)
		return c;
	if ((c = cmp_size(a->dis, b->dis)) != 0)
		return c;
	return cmp_size(a->cat, b->cat);
}

/* The index of category code in disaggregation g, RBM_NONE when it has none such. */
static size_t find_category(const struct rbm_plan *p, size_t g, const char *code)
{
	for (size_t k = 0; k < p->disaggregations[g].categories_len; k++)
		if (strcmp(p->disaggregations[g].categories[k].code, code) == 0)
			return k;
	return RBM_NONE;
}

static bool has_disaggregation(const struct rbm_indicator *ind, size_t g)
{
	for (size_t k = 0; k < ind->disaggregations_len; k++)
		if (ind->disaggregations[k] == g)
			return true;
	return false;
}

/* Runs one query of the value level and adds its rows to *v. */
static enum rbm_rc value_query(struct build *b, int year, const size_t *inds, size_t n, unsigned by,
			       size_t dis, struct vrow **v, size_t *v_len, size_t *v_cap,
			       struct rbm_diag *d)
{
	if (n == 0)
		return RBM_OK;
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.year_from = q.year_to = year;
	q.indicators = inds;
	q.indicators_len = n;
	q.by = by;
	q.disaggregation = dis;
	struct rbm_measure_table t;
	enum rbm_rc rc = rbm_measure_run(b->m, &q, &t, d);
	if (rc != RBM_OK)
		return rc;
	for (size_t r = 0; r < t.len; r++) {
		const struct rbm_measure_row *row = &t.rows[r];
		struct vrow x = {row->indicator, row->year, row->key[RBM_DIM_QUARTER], row->key[RBM_DIM_OFFICE],
				 row->key[RBM_DIM_COUNTRY], NULL, RBM_NONE, RBM_NONE, row->value, row->rows};
		if (x.quarter == RBM_KEY_NONE)
			x.quarter = 0;
		if (row->key[RBM_DIM_CITY] != RBM_KEY_NONE)
			x.city = rbm_measure_key_code(b->m, RBM_DIM_CITY, row->key[RBM_DIM_CITY]);
		if (by & (1u << RBM_DIM_CATEGORY)) {
			x.dis = dis;
			x.cat = find_category(b->p, dis, rbm_measure_key_code(b->m, RBM_DIM_CATEGORY,
									     row->key[RBM_DIM_CATEGORY]));
			if (x.cat == RBM_NONE)
				continue; /* cannot happen: the engine knows only the plan's categories */
		}
		rbm_xgrow(v, v_cap, *v_len + 1, sizeof **v);
		(*v)[(*v_len)++] = x;
	}
	rbm_measure_table_free(&t);
	return RBM_OK;
}

/* The regional office that office works through (itself for one), RBM_NONE when none. */
static size_t region_of(const struct rbm_plan *p, size_t office)
{
	for (size_t at = office; at != RBM_NONE && at < p->offices_len; at = p->offices[at].parent)
		if (p->offices[at].kind == RBM_OFFICE_REGIONAL)
			return at;
	return RBM_NONE;
}

static enum rbm_rc build_values(struct build *b, int year, struct rbm_diag *d)
{
	const struct rbm_plan *p = b->p;
	enum rbm_rc rc = RBM_OK;
	/* Two sets: indicators that count countries (no city), and the rest. */
	size_t *sets[2], lens[2] = {0, 0};
	sets[0] = rbm_xcalloc(p->indicators_len + 1, sizeof *sets[0]);
	sets[1] = rbm_xcalloc(p->indicators_len + 1, sizeof *sets[1]);
	size_t *sub = rbm_xcalloc(p->indicators_len + 1, sizeof *sub);
	for (size_t i = 0; i < p->indicators_len; i++) {
		const struct rbm_indicator *ind = &p->indicators[i];
		if (ind->unit == RBM_UNIT_TEXT)
			continue;
		int k = ind->aggregation == RBM_AGG_COUNT_UNITS && ind->count_of == RBM_COUNT_COUNTRY;
		sets[k][lens[k]++] = i;
	}
	struct vrow *v = NULL;
	size_t v_len = 0, v_cap = 0;
	unsigned base = (1u << RBM_DIM_OFFICE) | (1u << RBM_DIM_COUNTRY) | (1u << RBM_DIM_QUARTER);
	for (int k = 0; k < 2 && rc == RBM_OK; k++) {
		unsigned by = base | (k == 0 ? 1u << RBM_DIM_CITY : 0);
		rc = value_query(b, year, sets[k], lens[k], by, RBM_NONE, &v, &v_len, &v_cap, d);
		for (size_t g = 0; g < p->disaggregations_len && rc == RBM_OK; g++) {
			size_t n = 0;
			for (size_t j = 0; j < lens[k]; j++)
				if (has_disaggregation(&p->indicators[sets[k][j]], g))
					sub[n++] = sets[k][j];
			rc = value_query(b, year, sub, n, by | (1u << RBM_DIM_CATEGORY), g, &v, &v_len, &v_cap, d);
		}
	}
	if (rc != RBM_OK)
		goto out;
	rbm_sort(v, v_len, sizeof *v, cmp_vrow, NULL);
	/* Cities the plan names, for their titles. */
	struct rbm_strmap cities;
	rbm_strmap_init(&cities);
	for (size_t c = 0; c < p->cities_len; c++)
		rbm_strmap_intern(&cities, p->cities[c].code);
	for (size_t r = 0; r < v_len; r++) {
		const struct vrow *x = &v[r];
		const struct rbm_indicator *ind = &p->indicators[x->ind];
		struct rbm_export_cell *row = new_row(b);
		put_x(row, V_CYCLE, year);
		put_result(b, row, ind->result, V_DOMAIN, V_OUTCOME);
		put_indicator(b, row, x->ind, V_INDICATOR);
		put_x(row, V_YEAR, x->year);
		if (x->quarter)
			put_x(row, V_QUARTER, x->quarter);
		if (x->office < p->offices_len) {
			put_s(b, row, V_OFFICE, p->offices[x->office].code);
			put_s(b, row, V_OFFICE_NAME, rbm_text_get(&p->offices[x->office].title, b->lang));
			size_t reg = region_of(p, x->office);
			if (reg != RBM_NONE) {
				put_s(b, row, V_REGION, p->offices[reg].code);
				put_s(b, row, V_REGION_NAME, rbm_text_get(&p->offices[reg].title, b->lang));
			}
		}
		if (x->country != RBM_KEY_NONE && x->country < b->places->countries_len) {
			const struct rbm_country *c = &b->places->countries[x->country];
			put_s(b, row, V_COUNTRY, c->alpha3);
			put_s(b, row, V_COUNTRY_NAME, rbm_text_get(&c->name, b->lang));
			const struct rbm_region *reg = c->region[0] ? rbm_places_region(b->places, c->region) : NULL;
			if (reg) {
				put_s(b, row, V_M49, reg->m49);
				put_s(b, row, V_M49_NAME, rbm_text_get(&reg->name, b->lang));
			}
		}
		if (x->city) {
			put_s(b, row, V_CITY, x->city);
			uint32_t at = rbm_strmap_find(&cities, x->city);
			if (at != UINT32_MAX)
				put_s(b, row, V_CITY_NAME, rbm_text_get(&p->cities[at].title, b->lang));
		}
		if (x->dis != RBM_NONE) {
			const struct rbm_disaggregation *g = &p->disaggregations[x->dis];
			put_s(b, row, V_DIS, g->code);
			put_s(b, row, V_DIS_LABEL, rbm_text_get(&g->title, b->lang));
			put_s(b, row, V_CAT, g->categories[x->cat].code);
			put_s(b, row, V_CAT_LABEL, rbm_text_get(&g->categories[x->cat].title, b->lang));
		}
		put_x(row, V_VALUE, x->value);
		put_x(row, V_VALUES, x->rows);
	}
	rbm_strmap_free(&cities);
out:
	free(v);
	free(sub);
	free(sets[0]);
	free(sets[1]);
	return rc;
}

/* ---- indicator level ---- */

static enum rbm_rc build_indicators(struct build *b, int year, struct rbm_diag *d)
{
	const struct rbm_plan *p = b->p;
	struct rbm_attainment *a = NULL;
	enum rbm_rc rc = rbm_measure_attainment(b->m, year, &a, d);
	if (rc != RBM_OK)
		return rc;
	/* The places behind each actual (attainment leaves them uncounted). */
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.year_from = q.year_to = year;
	struct rbm_measure_table t;
	rc = rbm_measure_run(b->m, &q, &t, d);
	if (rc != RBM_OK) {
		free(a);
		return rc;
	}
	uint32_t *places = rbm_xcalloc(p->indicators_len + 1, sizeof *places);
	for (size_t r = 0; r < t.len; r++)
		if (t.rows[r].indicator < p->indicators_len)
			places[t.rows[r].indicator] = t.rows[r].places;
	rbm_measure_table_free(&t);
	for (size_t i = 0; i < p->indicators_len; i++) {
		const struct rbm_indicator *ind = &p->indicators[i];
		if (ind->unit == RBM_UNIT_TEXT)
			continue;
		const struct rbm_attainment *x = &a[i];
		struct rbm_export_cell *row = new_row(b);
		put_x(row, I_CYCLE, year);
		put_result(b, row, ind->result, I_DOMAIN, I_OUTCOME);
		put_indicator(b, row, i, I_INDICATOR);
		put_s(b, row, I_DIRECTION, rbm_direction_name(ind->direction));
		put_x(row, I_YEAR, year);
		if (ind->has_baseline) {
			put_x(row, I_BASELINE, ind->baseline_value);
			if (ind->baseline_year)
				put_x(row, I_BASELINE_YEAR, ind->baseline_year);
		}
		if (x->has_target)
			put_x(row, I_TARGET, x->target);
		if (x->has_actual)
			put_x(row, I_ACTUAL, x->actual);
		if (!isnan(x->percent) && isfinite(x->percent))
			put_x(row, I_PERCENT, x->percent);
		put_s(b, row, I_STATUS, rbm_export__status(x->status));
		put_x(row, I_PLACES, x->has_actual ? places[i] : 0);
		put_x(row, I_VALUES, x->rows);
	}
	free(places);
	free(a);
	return RBM_OK;
}

/* ---- outcome and domain levels ---- */

/* Per result: counts, and the distinct countries, cities and offices behind its indicators. */
struct tally {
	size_t indicators, status[5], values;
	size_t reach[3]; /* countries, cities, offices */
};

/* Marks "result|code" as reached in seen; counts it once in tallies[result].reach[kind]. */
static void reach(struct rbm_strmap *seen, struct tally *tallies, size_t result, int kind,
		  const char *code)
{
	if (result == RBM_NONE || code == NULL)
		return;
	char *key = rbm_xasprintf("%zu|%d|%s", result, kind, code);
	size_t before = seen->len;
	rbm_strmap_intern(seen, key);
	if (seen->len > before)
		tallies[result].reach[kind]++;
	free(key);
}

static enum rbm_rc build_results(struct build *b, int year, unsigned level, struct rbm_diag *d)
{
	const struct rbm_plan *p = b->p;
	const struct rbm_measure *m = b->m;
	struct rbm_attainment *a = NULL;
	enum rbm_rc rc = rbm_measure_attainment(m, year, &a, d);
	if (rc != RBM_OK)
		return rc;
	struct tally *tallies = rbm_xcalloc(p->results_len + 1, sizeof *tallies);
	for (size_t i = 0; i < p->indicators_len; i++) {
		if (p->indicators[i].unit == RBM_UNIT_TEXT)
			continue;
		size_t at = ancestor_at(p, p->indicators[i].result, level);
		if (at == RBM_NONE)
			continue;
		tallies[at].indicators++;
		tallies[at].status[a[i].status]++;
		tallies[at].values += a[i].rows;
	}
	/* Countries and cities with a figure above 0, offices with any value (as figures.c counts). */
	struct rbm_strmap seen;
	rbm_strmap_init(&seen);
	static const enum rbm_dim kinds[3] = {RBM_DIM_COUNTRY, RBM_DIM_CITY, RBM_DIM_OFFICE};
	for (int k = 0; k < 3 && rc == RBM_OK; k++) {
		struct rbm_measure_query q;
		rbm_measure_query_init(&q);
		q.year_from = q.year_to = year;
		q.want_places = false;
		q.by = (1u << kinds[k]) | (1u << (level == 0 ? RBM_DIM_DOMAIN : RBM_DIM_OUTCOME));
		struct rbm_measure_table t;
		rc = rbm_measure_run(m, &q, &t, d);
		for (size_t r = 0; rc == RBM_OK && r < t.len; r++) {
			const struct rbm_measure_row *row = &t.rows[r];
			uint32_t id = row->key[kinds[k]];
			uint32_t res = row->key[level == 0 ? RBM_DIM_DOMAIN : RBM_DIM_OUTCOME];
			if (id == RBM_KEY_NONE || res == RBM_KEY_NONE || res >= p->results_len)
				continue;
			if (kinds[k] != RBM_DIM_OFFICE ? row->value > 0 : row->rows > 0)
				reach(&seen, tallies, res, k, rbm_measure_key_code(m, kinds[k], id));
		}
		if (rc == RBM_OK)
			rbm_measure_table_free(&t);
	}
	rbm_strmap_free(&seen);
	for (size_t r = 0; rc == RBM_OK && r < p->results_len; r++) {
		if (p->results[r].level != level)
			continue;
		const struct tally *x = &tallies[r];
		struct rbm_export_cell *row = new_row(b);
		put_x(row, O_CYCLE, year); /* the same first columns at both levels */
		put_result(b, row, r, O_DOMAIN, level == 1 ? O_OUTCOME : RBM_NONE);
		size_t c = level == 1 ? O_YEAR : M_YEAR;
		put_x(row, c++, year);
		put_x(row, c++, (double)x->indicators);
		for (int s = 0; s < 5; s++)
			put_x(row, c++, (double)x->status[s]);
		for (int k = 0; k < 3; k++)
			put_x(row, c++, (double)x->reach[k]);
		put_x(row, c++, (double)x->values);
	}
	free(tallies);
	free(a);
	return rc;
}

/* ---- the public calls ---- */

enum rbm_rc rbm_export_check(struct rbm_store *s, const struct rbm_measure *m, int cycle,
			     struct rbm_diag *d)
{
	struct rbm_cycle c;
	enum rbm_rc rc = rbm_collect_cycle_get(s, cycle, &c, d);
	if (rc != RBM_OK)
		return rc;
	rbm_collect_cycle_free(&c);
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.year_from = q.year_to = cycle;
	q.want_places = false;
	struct rbm_measure_table t;
	rc = rbm_measure_run(m, &q, &t, d);
	if (rc != RBM_OK)
		return rc;
	size_t rows = t.len;
	rbm_measure_table_free(&t);
	if (rows == 0) {
		rbm_diag_add(d, NULL, NULL,
			     "cycle %d has no approved data to export (approve submissions with 'rbm review approve', "
			     "or load values with 'rbm values import')",
			     cycle);
		return RBM_ENOENT;
	}
	return RBM_OK;
}

enum rbm_rc rbm_export_table_build(const struct rbm_measure *m, const struct rbm_plan *p,
				   const struct rbm_places *places, int cycle,
				   enum rbm_export_level level, enum rbm_lang lang,
				   struct rbm_export_table **out, struct rbm_diag *d)
{
	if ((unsigned)level >= RBM_EXPORT_LEVEL_COUNT) {
		rbm_diag_add(d, NULL, NULL, "unknown export level %d", (int)level);
		return RBM_EINVAL;
	}
	struct rbm_export_table *t = rbm_xcalloc(1, sizeof *t);
	t->level = level;
	t->cycle = cycle;
	t->lang = lang;
	t->columns = rbm_export_columns(level, &t->columns_len);
	t->strings = rbm_xcalloc(1, sizeof *t->strings);
	rbm_strmap_init(t->strings);
	struct build b = {t, 0, p, places, m, lang, {0}};
	rbm_buf_init(&b.clean, 0);
	/* The plan's code and title, interned like the cells' strings. */
	struct rbm_export_cell meta[2] = {{true, NULL, 0}, {true, NULL, 0}};
	put_s(&b, meta, 0, p->code);
	put_s(&b, meta, 1, rbm_text_get(&p->title, lang) ? rbm_text_get(&p->title, lang) : p->code);
	t->plan_code = meta[0].s ? meta[0].s : "";
	t->plan_title = meta[1].s ? meta[1].s : t->plan_code;
	t->illustrative = p->illustrative_indicators;
	enum rbm_rc rc;
	switch (level) {
	case RBM_EXPORT_VALUE: rc = build_values(&b, cycle, d); break;
	case RBM_EXPORT_INDICATOR: rc = build_indicators(&b, cycle, d); break;
	case RBM_EXPORT_OUTCOME: rc = build_results(&b, cycle, 1, d); break;
	default: rc = build_results(&b, cycle, 0, d); break;
	}
	rbm_buf_free(&b.clean);
	if (rc != RBM_OK) {
		rbm_export_table_free(t);
		return rc;
	}
	*out = t;
	return RBM_OK;
}

void rbm_export_table_free(struct rbm_export_table *t)
{
	if (t == NULL)
		return;
	if (t->strings) {
		rbm_strmap_free(t->strings);
		free(t->strings);
	}
	free(t->cells);
	free(t);
}
