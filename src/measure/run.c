/*
 * run.c - answering a query: per indicator, group the rows, combine them per
 * place, then apply the indicator's rule across places (see measure.h).
 */
#include "measure_int.h"

#include "../core/alloc.h"
#include "../core/sort.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- a map from fixed-width u32 keys to accumulators ---- */

struct acc {
	double v;     /* the combined value */
	double sum;   /* mean: the sum */
	int32_t period;
	uint32_t places, rows;
};

struct accmap {
	size_t width; /* u32 per key */
	uint32_t *keys;
	struct acc *vals;
	uint8_t *used;
	size_t cap, len;
	uint32_t *slots; /* the used slots, in order of first use: clearing and walking touch only them */
	size_t slots_cap;
};

static uint64_t key_hash(const uint32_t *k, size_t w)
{
	uint64_t h = 0x9E3779B97F4A7C15u;
	for (size_t i = 0; i < w; i++)
		h = (h ^ k[i]) * 0xBF58476D1CE4E5B9u, h ^= h >> 31;
	return h;
}

static void map_init(struct accmap *m, size_t width)
{
	memset(m, 0, sizeof *m);
	m->width = width;
}

static void map_clear(struct accmap *m)
{
	for (size_t i = 0; i < m->len; i++)
		m->used[m->slots[i]] = 0;
	m->len = 0;
}

static void map_free(struct accmap *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
	free(m->slots);
}

static struct acc *map_get(struct accmap *m, const uint32_t *k, bool *fresh);

static void map_grow(struct accmap *m)
{
	struct accmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 1024;
	m->keys = rbm_xmalloc(m->cap * m->width * sizeof *m->keys);
	m->vals = rbm_xmalloc(m->cap * sizeof *m->vals);
	m->used = rbm_xcalloc(m->cap, 1);
	m->slots = NULL;
	m->slots_cap = 0;
	m->len = 0;
	/* Re-insert in the old order of first use, so that walks stay in that order. */
	for (size_t i = 0; i < old.len; i++) {
		bool fresh;
		uint32_t s = old.slots[i];
		*map_get(m, old.keys + (size_t)s * old.width, &fresh) = old.vals[s];
	}
	map_free(&old);
}

static struct acc *map_get(struct accmap *m, const uint32_t *k, bool *fresh)
{
	if ((m->len + 1) * 2 > m->cap)
		map_grow(m);
	size_t at = (size_t)key_hash(k, m->width) & (m->cap - 1);
	while (m->used[at]) {
		if (memcmp(m->keys + at * m->width, k, m->width * sizeof *k) == 0) {
			*fresh = false;
			return &m->vals[at];
		}
		at = (at + 1) & (m->cap - 1);
	}
	m->used[at] = 1;
	memcpy(m->keys + at * m->width, k, m->width * sizeof *k);
	rbm_xgrow(&m->slots, &m->slots_cap, m->len + 1, sizeof *m->slots);
	m->slots[m->len++] = (uint32_t)at;
	*fresh = true;
	memset(&m->vals[at], 0, sizeof m->vals[at]);
	return &m->vals[at];
}

/* ---- the query ---- */

struct plan_ctx {
	const struct rbm_measure *m;
	const struct rbm_measure_query *q;
	unsigned by;
	size_t ngroup;          /* u32s in a group key: year + one per grouped dimension */
	enum rbm_dim dims[RBM_DIM_COUNT];
	size_t ndims;
};

/* The key of dimension dim for row r (tag dimensions: item t of the row's set). */
static uint32_t dim_key(const struct rbm_measure *m, enum rbm_dim dim, size_t r, uint32_t tag_item)
{
	switch (dim) {
	case RBM_DIM_QUARTER: return m->quarter[r];
	case RBM_DIM_OFFICE: return m->office[r];
	case RBM_DIM_REGION:
		return m->office_region[m->office[r]] == RBM_MEASURE__NONE16 ? RBM_KEY_NONE
									    : m->office_region[m->office[r]];
	case RBM_DIM_COUNTRY: return m->country[r] == RBM_MEASURE__NONE16 ? RBM_KEY_NONE : m->country[r];
	case RBM_DIM_CITY: return m->city[r];
	case RBM_DIM_DOMAIN: return m->ind_domain[m->ind[r]];
	case RBM_DIM_OUTCOME: return m->ind_outcome[m->ind[r]];
	case RBM_DIM_FLAGSHIP:
	case RBM_DIM_THEME: return tag_item;
	case RBM_DIM_CATEGORY: return m->cat[r];
	case RBM_DIM_COUNT: break;
	}
	return RBM_KEY_NONE;
}

static bool row_passes(const struct plan_ctx *c, size_t r)
{
	const struct rbm_measure *m = c->m;
	const struct rbm_measure_query *q = c->q;
	if (q->year_from && m->year[r] < q->year_from)
		return false;
	if (q->year_to && m->year[r] > q->year_to)
		return false;
	if (c->by & (1u << RBM_DIM_CATEGORY)) {
		if (m->cat[r] == RBM_MEASURE__NONE16 || m->cat_dis[m->cat[r]] != q->disaggregation)
			return false;
	} else if (m->cat[r] != RBM_MEASURE__NONE16) {
		return false;
	}
	if (q->office != RBM_NONE && m->office[r] != q->office)
		return false;
	if (q->region != RBM_NONE && m->office_region[m->office[r]] != q->region)
		return false;
	if (q->domain != RBM_NONE && m->ind_domain[m->ind[r]] != q->domain)
		return false;
	if (q->outcome != RBM_NONE && m->ind_outcome[m->ind[r]] != q->outcome)
		return false;
	if (q->country && (m->country[r] == RBM_MEASURE__NONE16 ||
			   strcmp(m->places->countries[m->country[r]].alpha3, q->country) != 0))
		return false;
	return true;
}

/* The place of row r under ind's rule: two u32s; false when the row has none to count. */
static bool place_of(const struct rbm_measure *m, const struct rbm_indicator *ind, size_t r,
		     uint32_t place[2])
{
	if (ind->aggregation == RBM_AGG_COUNT_UNITS) {
		if (ind->count_of == RBM_COUNT_CITY) {
			if (m->city[r] == RBM_KEY_NONE)
				return false;
			place[0] = m->city[r];
			place[1] = 0;
		} else {
			if (m->country[r] == RBM_MEASURE__NONE16)
				return false;
			place[0] = RBM_KEY_NONE;
			place[1] = m->country[r];
		}
		return true;
	}
	place[0] = m->city[r];
	place[1] = m->country[r] == RBM_MEASURE__NONE16 ? 0x80000000u | m->office[r] : m->country[r];
	return true;
}

/* Stage 1: one row into its place's accumulator. */
static void combine(struct acc *a, bool fresh, const struct rbm_indicator *ind, double v, int32_t period)
{
	if (fresh) {
		a->v = v;
		a->period = period;
		a->rows = 1;
		return;
	}
	a->rows++;
	if (ind->aggregation == RBM_AGG_LATEST) {
		if (period < a->period)
			return;
		if (period > a->period) {
			a->v = v;
			a->period = period;
			return;
		}
	}
	if (ind->place_combine == RBM_COMBINE_MAX)
		a->v = v > a->v ? v : a->v;
	else
		a->v += v;
}

/* Stage 2: one place's combined value into its group. */
static void fold(struct acc *g, bool fresh, const struct rbm_indicator *ind, const struct acc *pl)
{
	double c = pl->v;
	if (fresh) {
		memset(g, 0, sizeof *g);
		g->v = ind->aggregation == RBM_AGG_COUNT_UNITS ? 0 : c;
		g->sum = c;
		if (ind->aggregation == RBM_AGG_COUNT_UNITS)
			g->v = c > 0 ? 1 : 0;
		g->places = 1;
		g->rows = pl->rows;
		return;
	}
	g->places++;
	g->rows += pl->rows;
	switch (ind->aggregation) {
	case RBM_AGG_SUM:
	case RBM_AGG_LATEST: g->v += c; break;
	case RBM_AGG_MAX: g->v = c > g->v ? c : g->v; break;
	case RBM_AGG_MIN: g->v = c < g->v ? c : g->v; break;
	case RBM_AGG_MEAN: g->sum += c; break;
	case RBM_AGG_COUNT_UNITS: g->v += c > 0 ? 1 : 0; break;
	}
}

struct out_row {
	uint32_t *key; /* year then dims */
	struct acc a;
};

static int cmp_out(const void *x, const void *y, void *ctx)
{
	const struct out_row *a = x, *b = y;
	size_t w = *(const size_t *)ctx;
	for (size_t i = 0; i < w; i++)
		if (a->key[i] != b->key[i])
			return a->key[i] < b->key[i] ? -1 : 1;
	return 0;
}

/* ---- the direct path: dense arrays, one pass ----
 *
 * When places need not be counted and the rule and place_combine agree
 * (sum of sums, max of maxima), or the rule counts places of a small kind
 * (countries, cities), rows accumulate straight into a dense array indexed
 * by year and the grouped keys: no hashing, one pass over the columns.
 */

/* How many ids dimension dim can take (+1 for "none"). */
static size_t dim_card(const struct rbm_measure *m, enum rbm_dim dim)
{
	const struct rbm_plan *p = m->p;
	switch (dim) {
	case RBM_DIM_QUARTER: return 6; /* 0-4, and none */
	case RBM_DIM_OFFICE:
	case RBM_DIM_REGION: return p->offices_len + 1;
	case RBM_DIM_COUNTRY: return m->places->countries_len + 1;
	case RBM_DIM_CITY: return m->cities.len + 1;
	case RBM_DIM_DOMAIN:
	case RBM_DIM_OUTCOME: return p->results_len + 1;
	case RBM_DIM_FLAGSHIP: return p->programmes_len + 1;
	case RBM_DIM_THEME: return p->themes_len + 1;
	case RBM_DIM_CATEGORY: return m->ncat + 1;
	case RBM_DIM_COUNT: break;
	}
	return 1;
}

#define DENSE_MAX ((size_t)1 << 22)

struct dense {
	size_t groups;      /* years x dims */
	size_t card[RBM_DIM_COUNT];
	double *val;
	uint32_t *rows;
	uint8_t *used;
	size_t nplaces;     /* count_units: places per group */
	double *pval;       /* count_units: combined value per group and place */
	uint8_t *pused;
};

/* The dense index of row r's group, or SIZE_MAX when a key is missing. */
static size_t dense_index(const struct plan_ctx *c, const struct dense *dn, size_t r)
{
	const struct rbm_measure *m = c->m;
	size_t g = (size_t)(m->year[r] - m->year_min);
	for (size_t k = 0; k < c->ndims; k++) {
		uint32_t v = dim_key(m, c->dims[k], r, RBM_KEY_NONE);
		size_t id = v == RBM_KEY_NONE ? 0 : (size_t)v + 1;
		if (id >= dn->card[k])
			return SIZE_MAX;
		g = g * dn->card[k] + id;
	}
	return g;
}

/* Runs indicator i the direct way into out; false when it does not apply. */
static bool run_direct(const struct plan_ctx *c, size_t i, struct dense *dn,
		       struct rbm_measure_table *out)
{
	const struct rbm_measure *m = c->m;
	const struct rbm_indicator *ind = &m->p->indicators[i];
	bool sum = ind->aggregation == RBM_AGG_SUM && ind->place_combine == RBM_COMBINE_SUM;
	bool max = ind->aggregation == RBM_AGG_MAX && ind->place_combine == RBM_COMBINE_MAX;
	bool count = ind->aggregation == RBM_AGG_COUNT_UNITS;
	if (c->q->want_places || !(sum || max || count) || dn->groups == 0)
		return false;
	if (c->by & ((1u << RBM_DIM_FLAGSHIP) | (1u << RBM_DIM_THEME)))
		return false;
	size_t nplaces = 0;
	if (count) {
		nplaces = ind->count_of == RBM_COUNT_CITY ? m->cities.len : m->places->countries_len;
		if (nplaces == 0 || dn->groups * nplaces > DENSE_MAX * 4)
			return false;
		if (dn->nplaces != nplaces) {
			free(dn->pval);
			free(dn->pused);
			dn->pval = rbm_xcalloc(dn->groups * nplaces, sizeof *dn->pval);
			dn->pused = rbm_xcalloc(dn->groups * nplaces, 1);
			dn->nplaces = nplaces;
		} else {
			memset(dn->pused, 0, dn->groups * nplaces);
		}
	}
	memset(dn->used, 0, dn->groups);
	memset(dn->rows, 0, dn->groups * sizeof *dn->rows);
	bool pmax = ind->place_combine == RBM_COMBINE_MAX;
	for (size_t r = m->ind_start[i]; r < m->ind_start[i + 1]; r++) {
		if (!row_passes(c, r))
			continue;
		size_t g = dense_index(c, dn, r);
		if (g == SIZE_MAX)
			continue;
		double v = m->val[r];
		if (count) {
			uint32_t pl = ind->count_of == RBM_COUNT_CITY ? m->city[r]
				      : m->country[r] == RBM_MEASURE__NONE16 ? RBM_KEY_NONE
									      : m->country[r];
			if (pl == RBM_KEY_NONE)
				continue;
			size_t at = g * nplaces + pl;
			if (!dn->pused[at]) {
				dn->pused[at] = 1;
				dn->pval[at] = v;
			} else if (pmax) {
				dn->pval[at] = v > dn->pval[at] ? v : dn->pval[at];
			} else {
				dn->pval[at] += v;
			}
			dn->used[g] = 1;
			dn->rows[g]++;
			continue;
		}
		if (!dn->used[g]) {
			dn->used[g] = 1;
			dn->val[g] = v;
		} else if (max) {
			dn->val[g] = v > dn->val[g] ? v : dn->val[g];
		} else {
			dn->val[g] += v;
		}
		dn->rows[g]++;
	}
	for (size_t g = 0; g < dn->groups; g++) {
		if (!dn->used[g])
			continue;
		double v = dn->val[g];
		if (count) {
			v = 0;
			for (size_t pl = 0; pl < nplaces; pl++)
				v += dn->pused[g * nplaces + pl] && dn->pval[g * nplaces + pl] > 0;
		}
		rbm_xgrow(&out->rows, &out->cap, out->len + 1, sizeof *out->rows);
		struct rbm_measure_row *o = &out->rows[out->len++];
		o->indicator = i;
		size_t rest = g;
		for (int dm = 0; dm < RBM_DIM_COUNT; dm++)
			o->key[dm] = RBM_KEY_NONE;
		for (size_t k = c->ndims; k-- > 0;) {
			size_t id = rest % dn->card[k];
			rest /= dn->card[k];
			o->key[c->dims[k]] = id == 0 ? RBM_KEY_NONE : (uint32_t)(id - 1);
		}
		o->year = m->year_min + (int)rest;
		o->value = v;
		o->places = 0;
		o->rows = dn->rows[g];
	}
	return true;
}

void rbm_measure_table_free(struct rbm_measure_table *t)
{
	if (t == NULL)
		return;
	free(t->rows);
	memset(t, 0, sizeof *t);
}

enum rbm_rc rbm_measure_run(const struct rbm_measure *m, const struct rbm_measure_query *q,
			    struct rbm_measure_table *out, struct rbm_diag *d)
{
	const struct rbm_plan *p = m->p;
	struct plan_ctx c = {m, q, q->by, 1, {0}, 0};
	if ((q->by & (1u << RBM_DIM_CATEGORY)) && q->disaggregation >= p->disaggregations_len) {
		rbm_diag_add(d, NULL, NULL, "grouping by category needs a disaggregation");
		return RBM_EINVAL;
	}
	for (int k = 0; k < RBM_DIM_COUNT; k++)
		if (q->by & (1u << k))
			c.dims[c.ndims++] = (enum rbm_dim)k;
	c.ngroup = 1 + c.ndims;
	memset(out, 0, sizeof *out);
	out->by = q->by;
	out->disaggregation = q->disaggregation;
	struct accmap places, groups;
	map_init(&places, c.ngroup + 2);
	map_init(&groups, c.ngroup);
	uint32_t key[RBM_DIM_COUNT + 3];
	bool tagdim = (q->by & ((1u << RBM_DIM_FLAGSHIP) | (1u << RBM_DIM_THEME))) != 0;
	/* Dense arrays for the direct path, when the groups are few enough. */
	struct dense dn;
	memset(&dn, 0, sizeof dn);
	if (!q->want_places && m->n) {
		size_t g = (size_t)(m->year_max - m->year_min + 1);
		for (size_t k = 0; k < c.ndims && g <= DENSE_MAX; k++) {
			dn.card[k] = dim_card(m, c.dims[k]);
			g *= dn.card[k];
		}
		if (g <= DENSE_MAX) {
			dn.groups = g;
			dn.val = rbm_xmalloc(g * sizeof *dn.val);
			dn.rows = rbm_xmalloc(g * sizeof *dn.rows);
			dn.used = rbm_xmalloc(g);
		}
	}
	size_t nsel = q->indicators ? q->indicators_len : p->indicators_len;
	for (size_t si = 0; si < nsel; si++) {
		size_t i = q->indicators ? q->indicators[si] : si;
		const struct rbm_indicator *ind = &p->indicators[i];
		if (ind->unit == RBM_UNIT_TEXT)
			continue;
		if (run_direct(&c, i, &dn, out))
			continue;
		map_clear(&places);
		map_clear(&groups);
		for (size_t r = m->ind_start[i]; r < m->ind_start[i + 1]; r++) {
			if (!row_passes(&c, r))
				continue;
			uint32_t place[2];
			if (!place_of(m, ind, r, place))
				continue;
			int32_t period = (int32_t)m->year[r] * 8 + m->quarter[r];
			/* A value tagged with several programmes counts under each. */
			uint32_t t0 = 0, t1 = 1;
			if (tagdim) {
				if (m->tags[r] == RBM_KEY_NONE)
					continue;
				t0 = m->tag_start[m->tags[r]];
				t1 = m->tag_start[m->tags[r] + 1];
			}
			for (uint32_t t = t0; t < t1; t++) {
				uint32_t item = tagdim ? m->tag_item[t] : RBM_KEY_NONE;
				bool ok = true;
				key[0] = m->year[r];
				for (size_t k = 0; k < c.ndims; k++) {
					uint32_t v = dim_key(m, c.dims[k], r, item);
					if (c.dims[k] == RBM_DIM_FLAGSHIP) {
						ok &= item != RBM_KEY_NONE && !(item & 0x8000);
						v = item;
					} else if (c.dims[k] == RBM_DIM_THEME) {
						ok &= item != RBM_KEY_NONE && (item & 0x8000);
						v = item & 0x7FFF;
					}
					key[1 + k] = v;
				}
				if (!ok)
					continue;
				key[c.ngroup] = place[0];
				key[c.ngroup + 1] = place[1];
				bool fresh;
				struct acc *a = map_get(&places, key, &fresh);
				combine(a, fresh, ind, m->val[r], period);
			}
		}
		for (size_t k = 0; k < places.len; k++) {
			uint32_t s = places.slots[k];
			bool fresh;
			struct acc *g = map_get(&groups, places.keys + (size_t)s * places.width, &fresh);
			fold(g, fresh, ind, &places.vals[s]);
		}
		/* Out, sorted by year and keys. */
		struct out_row *rows = rbm_xcalloc(groups.len + 1, sizeof *rows);
		size_t n = 0;
		for (size_t k = 0; k < groups.len; k++) {
			uint32_t s = groups.slots[k];
			rows[n++] = (struct out_row){groups.keys + (size_t)s * groups.width, groups.vals[s]};
		}
		rbm_sort(rows, n, sizeof *rows, cmp_out, &c.ngroup);
		rbm_xgrow(&out->rows, &out->cap, out->len + n, sizeof *out->rows);
		for (size_t k = 0; k < n; k++) {
			struct rbm_measure_row *o = &out->rows[out->len++];
			o->indicator = i;
			o->year = (int)rows[k].key[0];
			for (int dm = 0; dm < RBM_DIM_COUNT; dm++)
				o->key[dm] = RBM_KEY_NONE;
			for (size_t dk = 0; dk < c.ndims; dk++)
				o->key[c.dims[dk]] = rows[k].key[1 + dk];
			o->value = ind->aggregation == RBM_AGG_MEAN ? rows[k].a.sum / rows[k].a.places
								      : rows[k].a.v;
			o->places = rows[k].a.places;
			o->rows = rows[k].a.rows;
		}
		free(rows);
	}
	map_free(&places);
	map_free(&groups);
	free(dn.val);
	free(dn.rows);
	free(dn.used);
	free(dn.pval);
	free(dn.pused);
	return RBM_OK;
}
