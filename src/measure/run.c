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
	if (m->len)
		memset(m->used, 0, m->cap);
	m->len = 0;
}

static void map_free(struct accmap *m)
{
	free(m->keys);
	free(m->vals);
	free(m->used);
}

static struct acc *map_get(struct accmap *m, const uint32_t *k, bool *fresh);

static void map_grow(struct accmap *m)
{
	struct accmap old = *m;
	m->cap = old.cap ? old.cap * 2 : 1024;
	m->keys = rbm_xmalloc(m->cap * m->width * sizeof *m->keys);
	m->vals = rbm_xmalloc(m->cap * sizeof *m->vals);
	m->used = rbm_xcalloc(m->cap, 1);
	m->len = 0;
	for (size_t i = 0; i < old.cap; i++) {
		if (!old.used[i])
			continue;
		bool fresh;
		*map_get(m, old.keys + i * old.width, &fresh) = old.vals[i];
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
	m->len++;
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
	size_t nsel = q->indicators ? q->indicators_len : p->indicators_len;
	for (size_t si = 0; si < nsel; si++) {
		size_t i = q->indicators ? q->indicators[si] : si;
		const struct rbm_indicator *ind = &p->indicators[i];
		if (ind->unit == RBM_UNIT_TEXT)
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
		for (size_t s = 0; s < places.cap; s++) {
			if (!places.used[s])
				continue;
			bool fresh;
			struct acc *g = map_get(&groups, places.keys + s * places.width, &fresh);
			fold(g, fresh, ind, &places.vals[s]);
		}
		/* Out, sorted by year and keys. */
		struct out_row *rows = rbm_xcalloc(groups.len + 1, sizeof *rows);
		size_t n = 0;
		for (size_t s = 0; s < groups.cap; s++)
			if (groups.used[s])
				rows[n++] = (struct out_row){groups.keys + s * groups.width, groups.vals[s]};
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
	return RBM_OK;
}
