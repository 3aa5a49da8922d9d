/*
 * engine.c - loading the data values into columns, and what they are named.
 */
#include "measure_int.h"

#include "../core/alloc.h"

#include <stdlib.h>
#include <string.h>

static const char *const dim_names[RBM_DIM_COUNT] = {
	"quarter", "office", "region", "country", "city", "domain", "outcome", "flagship", "theme",
	"category"};

const char *rbm_dim_name(enum rbm_dim d)
{
	return (unsigned)d < RBM_DIM_COUNT ? dim_names[d] : "?";
}

bool rbm_dim_parse(const char *s, enum rbm_dim *out)
{
	for (int i = 0; s && i < RBM_DIM_COUNT; i++)
		if (strcmp(s, dim_names[i]) == 0) {
			*out = (enum rbm_dim)i;
			return true;
		}
	return false;
}

void rbm_measure_query_init(struct rbm_measure_query *q)
{
	memset(q, 0, sizeof *q);
	q->disaggregation = q->domain = q->outcome = q->office = q->region = RBM_NONE;
	q->want_places = true;
}

void rbm_measure_free(struct rbm_measure *m)
{
	if (m == NULL)
		return;
	free(m->ind);
	free(m->year);
	free(m->quarter);
	free(m->office);
	free(m->country);
	free(m->city);
	free(m->cat);
	free(m->tags);
	free(m->val);
	free(m->ind_start);
	rbm_strmap_free(&m->cities);
	free(m->cat_dis);
	free(m->cat_idx);
	free(m->tag_start);
	free(m->tag_item);
	free(m->office_region);
	free(m->ind_domain);
	free(m->ind_outcome);
	free(m);
}

size_t rbm_measure_rows(const struct rbm_measure *m)
{
	return m->n;
}

size_t rbm_measure_bytes(const struct rbm_measure *m)
{
	size_t row = sizeof *m->ind + sizeof *m->year + sizeof *m->quarter + sizeof *m->office +
		     sizeof *m->country + sizeof *m->city + sizeof *m->cat + sizeof *m->tags +
		     sizeof *m->val;
	return m->n * row + (m->p->indicators_len + 1) * sizeof *m->ind_start +
	       m->ntagsets * sizeof *m->tag_start + m->cities.cap * sizeof(uint32_t) +
	       m->cities.len * (sizeof(char *) + 16);
}

static long long generation(struct rbm_store *s)
{
	struct rbm_query *q = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	long long g = -1;
	if (rbm_store_query(s, "SELECT generation FROM data_generation WHERE id = 1", &q, &d) == RBM_OK &&
	    rbm_query_step(q, &d) == RBM_OK)
		g = rbm_query_int(q, 0);
	rbm_query_free(q);
	rbm_diag_free(&d);
	return g;
}

bool rbm_measure_fresh(const struct rbm_measure *m, struct rbm_store *s)
{
	return generation(s) == m->generation;
}

/* A small map from (revision, outcome) to a tag set. */
struct tagkey {
	long long rev;
	uint32_t outcome;
	uint32_t set;
};

static size_t tk_hash(long long rev, uint32_t outcome, size_t cap)
{
	uint64_t h = (uint64_t)rev * 0x9E3779B97F4A7C15u ^ (uint64_t)outcome * 0xC2B2AE3D27D4EB4Fu;
	return (size_t)(h >> 17) & (cap - 1);
}

struct tagmap {
	struct tagkey *slots;
	size_t cap, len;
};

static struct tagkey *tk_slot(struct tagmap *t, long long rev, uint32_t outcome)
{
	if ((t->len + 1) * 2 > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct tagkey *v = rbm_xcalloc(cap, sizeof *v);
		for (size_t i = 0; i < t->cap; i++) {
			if (t->slots[i].rev == 0)
				continue;
			size_t at = tk_hash(t->slots[i].rev, t->slots[i].outcome, cap);
			while (v[at].rev)
				at = (at + 1) & (cap - 1);
			v[at] = t->slots[i];
		}
		free(t->slots);
		t->slots = v;
		t->cap = cap;
	}
	size_t at = tk_hash(rev, outcome, t->cap);
	while (t->slots[at].rev && !(t->slots[at].rev == rev && t->slots[at].outcome == outcome))
		at = (at + 1) & (t->cap - 1);
	return &t->slots[at];
}

static uint32_t tk_find(const struct tagmap *t, long long rev, uint32_t outcome)
{
	if (t->cap == 0)
		return RBM_KEY_NONE;
	size_t at = tk_hash(rev, outcome, t->cap);
	while (t->slots[at].rev) {
		if (t->slots[at].rev == rev && t->slots[at].outcome == outcome)
			return t->slots[at].set;
		at = (at + 1) & (t->cap - 1);
	}
	return RBM_KEY_NONE;
}

/* The result at level `level` above r, or RBM_KEY_NONE. */
static uint32_t ancestor_at(const struct rbm_plan *p, size_t r, unsigned level)
{
	for (size_t at = r; at != RBM_NONE; at = p->results[at].parent)
		if (p->results[at].level == level)
			return (uint32_t)at;
	return RBM_KEY_NONE;
}

/* Reads the programme and theme tags of the revisions behind data values. */
static enum rbm_rc load_tags(struct rbm_measure *m, struct rbm_store *s, struct tagmap *t,
			     struct rbm_diag *d)
{
	const struct rbm_plan *p = m->p;
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(
		s, "SELECT revision_id, result, kind, code FROM revision_tags "
		   "WHERE kind IN ('programme', 'theme') AND revision_id IN "
		   "(SELECT DISTINCT revision_id FROM data_values WHERE revision_id IS NOT NULL) "
		   "ORDER BY revision_id, result", &q, d);
	if (rc != RBM_OK)
		return rc;
	size_t cap_sets = 0, cap_items = 0, nitems = 0;
	long long last_rev = 0;
	uint32_t last_out = RBM_KEY_NONE;
	while ((rc = rbm_query_step(q, d)) == RBM_OK) {
		long long rev = rbm_query_int(q, 0);
		size_t r = rbm_plan_find_result(p, rbm_query_text(q, 1));
		const char *kind = rbm_query_text(q, 2), *code = rbm_query_text(q, 3);
		if (r == RBM_NONE)
			continue;
		uint16_t item = RBM_MEASURE__NONE16;
		if (strcmp(kind, "programme") == 0) {
			for (size_t k = 0; k < p->programmes_len; k++)
				if (strcmp(p->programmes[k].code, code) == 0)
					item = (uint16_t)k;
		} else {
			for (size_t k = 0; k < p->themes_len; k++)
				if (strcmp(p->themes[k].code, code) == 0)
					item = (uint16_t)(0x8000 | k);
		}
		if (item == RBM_MEASURE__NONE16)
			continue;
		if (rev != last_rev || (uint32_t)r != last_out) {
			rbm_xgrow(&m->tag_start, &cap_sets, m->ntagsets + 2, sizeof *m->tag_start);
			m->tag_start[m->ntagsets] = (uint32_t)nitems;
			struct tagkey *k = tk_slot(t, rev, (uint32_t)r);
			*k = (struct tagkey){rev, (uint32_t)r, (uint32_t)m->ntagsets};
			t->len++;
			m->ntagsets++;
			last_rev = rev;
			last_out = (uint32_t)r;
		}
		rbm_xgrow(&m->tag_item, &cap_items, nitems + 1, sizeof *m->tag_item);
		m->tag_item[nitems++] = item;
	}
	rbm_query_free(q);
	rbm_xgrow(&m->tag_start, &cap_sets, m->ntagsets + 1, sizeof *m->tag_start);
	m->tag_start[m->ntagsets] = (uint32_t)nitems;
	return rc == RBM_ENOENT ? RBM_OK : rc;
}

enum rbm_rc rbm_measure_load(struct rbm_store *s, const struct rbm_plan *p,
			     const struct rbm_places *places, struct rbm_measure **out,
			     struct rbm_diag *d)
{
	enum rbm_rc rc;
	struct rbm_measure *m = rbm_xcalloc(1, sizeof *m);
	struct rbm_strmap inds, offices, countries, cats;
	struct tagmap tags = {0};
	struct rbm_query *q = NULL;
	uint32_t *perm = NULL;
	rbm_strmap_init(&inds);
	rbm_strmap_init(&offices);
	rbm_strmap_init(&countries);
	rbm_strmap_init(&cats);
	rbm_strmap_init(&m->cities);
	m->p = p;
	m->places = places;

	/* Dictionaries from the plan: the codes map to the plan's own indices. */
	for (size_t i = 0; i < p->indicators_len; i++)
		rbm_strmap_intern(&inds, p->indicators[i].code);
	for (size_t i = 0; i < p->offices_len; i++)
		rbm_strmap_intern(&offices, p->offices[i].code);
	for (size_t i = 0; i < places->countries_len; i++)
		rbm_strmap_intern(&countries, places->countries[i].alpha3);
	for (size_t g = 0; g < p->disaggregations_len; g++)
		m->ncat += p->disaggregations[g].categories_len;
	m->cat_dis = rbm_xcalloc(m->ncat + 1, sizeof *m->cat_dis);
	m->cat_idx = rbm_xcalloc(m->ncat + 1, sizeof *m->cat_idx);
	for (size_t g = 0; g < p->disaggregations_len; g++)
		for (size_t c = 0; c < p->disaggregations[g].categories_len; c++) {
			char key[80];
			snprintf(key, sizeof key, "%s:%s", p->disaggregations[g].code,
				 p->disaggregations[g].categories[c].code);
			uint32_t id = rbm_strmap_intern(&cats, key);
			m->cat_dis[id] = (uint16_t)g;
			m->cat_idx[id] = (uint16_t)c;
		}
	for (size_t i = 0; i < p->cities_len; i++)
		rbm_strmap_intern(&m->cities, p->cities[i].code);
	m->office_region = rbm_xcalloc(p->offices_len + 1, sizeof *m->office_region);
	for (size_t i = 0; i < p->offices_len; i++) {
		m->office_region[i] = RBM_MEASURE__NONE16;
		for (size_t at = i; at != RBM_NONE; at = p->offices[at].parent)
			if (p->offices[at].kind == RBM_OFFICE_REGIONAL)
				m->office_region[i] = (uint16_t)at;
	}
	m->ind_domain = rbm_xcalloc(p->indicators_len + 1, sizeof *m->ind_domain);
	m->ind_outcome = rbm_xcalloc(p->indicators_len + 1, sizeof *m->ind_outcome);
	for (size_t i = 0; i < p->indicators_len; i++) {
		m->ind_domain[i] = ancestor_at(p, p->indicators[i].result, 0);
		m->ind_outcome[i] = ancestor_at(p, p->indicators[i].result, 1);
	}

	m->generation = generation(s);
	/* One snapshot, read only: loading holds up no writer. */
	if ((rc = rbm_store_begin_read(s, d)) != RBM_OK)
		goto out;
	if ((rc = load_tags(m, s, &tags, d)) != RBM_OK) {
		rbm_store_rollback(s);
		goto out;
	}
	rc = rbm_store_query(s, "SELECT count(*) FROM data_values", &q, d);
	size_t total = 0;
	if (rc == RBM_OK && (rc = rbm_query_step(q, d)) == RBM_OK)
		total = (size_t)rbm_query_int(q, 0);
	rbm_query_free(q);
	q = NULL;
	if (rc == RBM_OK)
		rc = rbm_store_query(s, "SELECT indicator, year, quarter, office, country, city, "
					"disaggregation || ':' || category, value, revision_id "
					"FROM data_values WHERE text IS NULL", &q, d);
	if (rc != RBM_OK) {
		rbm_store_rollback(s);
		goto out;
	}
	uint32_t *ind = rbm_xmalloc((total + 1) * sizeof *ind);
	uint16_t *year = rbm_xmalloc((total + 1) * sizeof *year);
	uint8_t *quarter = rbm_xmalloc(total + 1);
	uint16_t *office = rbm_xmalloc((total + 1) * sizeof *office);
	uint16_t *country = rbm_xmalloc((total + 1) * sizeof *country);
	uint32_t *city = rbm_xmalloc((total + 1) * sizeof *city);
	uint16_t *cat = rbm_xmalloc((total + 1) * sizeof *cat);
	uint32_t *tag = rbm_xmalloc((total + 1) * sizeof *tag);
	double *val = rbm_xmalloc((total + 1) * sizeof *val);
	size_t n = 0, skipped = 0;
	while (n < total && (rc = rbm_query_step(q, d)) == RBM_OK) {
		uint32_t i = rbm_strmap_find(&inds, rbm_query_text(q, 0));
		uint32_t o = rbm_strmap_find(&offices, rbm_query_text(q, 3));
		if (i == UINT32_MAX || o == UINT32_MAX) {
			skipped++; /* an indicator or office the plan no longer has */
			continue;
		}
		const char *cc = rbm_query_text(q, 4), *ci = rbm_query_text(q, 5), *ca = rbm_query_text(q, 6);
		uint32_t c = cc ? rbm_strmap_find(&countries, cc) : UINT32_MAX;
		ind[n] = i;
		year[n] = (uint16_t)rbm_query_int(q, 1);
		quarter[n] = (uint8_t)rbm_query_int(q, 2);
		office[n] = (uint16_t)o;
		country[n] = c == UINT32_MAX ? RBM_MEASURE__NONE16 : (uint16_t)c;
		city[n] = ci ? rbm_strmap_intern(&m->cities, ci) : RBM_KEY_NONE;
		uint32_t k = ca ? rbm_strmap_find(&cats, ca) : UINT32_MAX;
		if (ca && k == UINT32_MAX) {
			skipped++; /* a category the plan does not have: never a total */
			continue;
		}
		cat[n] = k == UINT32_MAX ? RBM_MEASURE__NONE16 : (uint16_t)k;
		tag[n] = rbm_query_is_null(q, 8) ? RBM_KEY_NONE
						 : tk_find(&tags, rbm_query_int(q, 8), m->ind_outcome[i]);
		val[n] = rbm_query_double(q, 7);
		n++;
	}
	rbm_query_free(q);
	q = NULL;
	rbm_store_rollback(s); /* a read: nothing to keep */
	if (rc != RBM_OK && rc != RBM_ENOENT) {
		free(ind), free(year), free(quarter), free(office), free(country), free(city), free(cat),
			free(tag), free(val);
		goto out;
	}
	rc = RBM_OK;
	(void)skipped;

	/* Order by indicator (counting sort), keeping the store's order within one. */
	size_t ni = p->indicators_len;
	m->ind_start = rbm_xcalloc(ni + 2, sizeof *m->ind_start);
	for (size_t r = 0; r < n; r++)
		m->ind_start[ind[r] + 1]++;
	for (size_t i = 0; i < ni; i++)
		m->ind_start[i + 1] += m->ind_start[i];
	perm = rbm_xmalloc((n + 1) * sizeof *perm);
	size_t *next = rbm_xcalloc(ni + 1, sizeof *next);
	memcpy(next, m->ind_start, ni * sizeof *next);
	for (size_t r = 0; r < n; r++)
		perm[next[ind[r]]++] = (uint32_t)r;
	free(next);
	m->n = n;
#define PERMUTE(src, field, type)                                            \
	do {                                                                 \
		type *dst = rbm_xmalloc((n + 1) * sizeof *dst);              \
		for (size_t r = 0; r < n; r++)                               \
			dst[r] = src[perm[r]];                               \
		free(src);                                                   \
		m->field = dst;                                              \
	} while (0)
	PERMUTE(ind, ind, uint32_t);
	PERMUTE(year, year, uint16_t);
	PERMUTE(quarter, quarter, uint8_t);
	PERMUTE(office, office, uint16_t);
	PERMUTE(country, country, uint16_t);
	PERMUTE(city, city, uint32_t);
	PERMUTE(cat, cat, uint16_t);
	PERMUTE(tag, tags, uint32_t);
	PERMUTE(val, val, double);
#undef PERMUTE
	m->year_min = 9999;
	m->year_max = 0;
	for (size_t r = 0; r < n; r++) {
		if (m->year[r] < m->year_min)
			m->year_min = m->year[r];
		if (m->year[r] > m->year_max)
			m->year_max = m->year[r];
	}
	*out = m;
	m = NULL;
out:
	free(perm);
	free(tags.slots);
	rbm_strmap_free(&inds);
	rbm_strmap_free(&offices);
	rbm_strmap_free(&countries);
	rbm_strmap_free(&cats);
	rbm_measure_free(m);
	return rc;
}

const char *rbm_measure_key_code(const struct rbm_measure *m, enum rbm_dim dim, uint32_t id)
{
	const struct rbm_plan *p = m->p;
	static const char *const quarters[] = {"year", "Q1", "Q2", "Q3", "Q4"};
	if (id == RBM_KEY_NONE)
		return "-";
	switch (dim) {
	case RBM_DIM_QUARTER: return id < 5 ? quarters[id] : "?";
	case RBM_DIM_OFFICE:
	case RBM_DIM_REGION: return id < p->offices_len ? p->offices[id].code : "?";
	case RBM_DIM_COUNTRY: return id < m->places->countries_len ? m->places->countries[id].alpha3 : "?";
	case RBM_DIM_CITY: return id < m->cities.len ? m->cities.keys[id] : "?";
	case RBM_DIM_DOMAIN:
	case RBM_DIM_OUTCOME: return id < p->results_len ? p->results[id].code : "?";
	case RBM_DIM_FLAGSHIP: return id < p->programmes_len ? p->programmes[id].code : "?";
	case RBM_DIM_THEME: return id < p->themes_len ? p->themes[id].code : "?";
	case RBM_DIM_CATEGORY:
		return id < m->ncat ? p->disaggregations[m->cat_dis[id]].categories[m->cat_idx[id]].code : "?";
	case RBM_DIM_COUNT: break;
	}
	return "?";
}

const char *rbm_measure_key_name(const struct rbm_measure *m, enum rbm_dim dim, uint32_t id,
				 enum rbm_lang lang)
{
	const struct rbm_plan *p = m->p;
	const char *s = NULL;
	if (id == RBM_KEY_NONE)
		return dim == RBM_DIM_REGION ? "headquarters" : "-";
	switch (dim) {
	case RBM_DIM_OFFICE:
	case RBM_DIM_REGION:
		if (id < p->offices_len)
			s = rbm_text_get(&p->offices[id].title, lang);
		break;
	case RBM_DIM_COUNTRY:
		if (id < m->places->countries_len)
			s = rbm_text_get(&m->places->countries[id].name, lang);
		break;
	case RBM_DIM_CITY:
		for (size_t i = 0; id < m->cities.len && i < p->cities_len; i++)
			if (strcmp(p->cities[i].code, m->cities.keys[id]) == 0)
				s = rbm_text_get(&p->cities[i].title, lang);
		break;
	case RBM_DIM_DOMAIN:
	case RBM_DIM_OUTCOME:
		if (id < p->results_len)
			s = rbm_text_get(&p->results[id].title, lang);
		break;
	case RBM_DIM_FLAGSHIP:
		if (id < p->programmes_len)
			s = rbm_text_get(&p->programmes[id].title, lang);
		break;
	case RBM_DIM_THEME:
		if (id < p->themes_len)
			s = rbm_text_get(&p->themes[id].title, lang);
		break;
	case RBM_DIM_CATEGORY:
		if (id < m->ncat)
			s = rbm_text_get(&p->disaggregations[m->cat_dis[id]].categories[m->cat_idx[id]].title, lang);
		break;
	case RBM_DIM_QUARTER:
	case RBM_DIM_COUNT:
		break;
	}
	return s ? s : rbm_measure_key_code(m, dim, id);
}
