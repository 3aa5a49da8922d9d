/*
 * places.c - loading and looking up countries and M49 regions.
 */
#include "places.h"

#include "../core/alloc.h"
#include "../core/arena.h"
#include "../core/csv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rbm_places *rbm_places_new(void)
{
	struct rbm_places *p = rbm_xcalloc(1, sizeof *p);
	p->arena = rbm_arena_new();
	return p;
}

void rbm_places_free(struct rbm_places *p)
{
	if (p == NULL)
		return;
	free(p->countries);
	free(p->regions);
	rbm_arena_free(p->arena);
	free(p);
}

/* Finds each wanted column in the header; all must be present. */
static enum rbm_rc map_header(char **fields, size_t n, const char *const *want, size_t want_len,
			      size_t *col, const char *file, struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_OK;
	for (size_t w = 0; w < want_len; w++) {
		col[w] = RBM_LANG_COUNT + 1000;
		for (size_t i = 0; i < n; i++)
			if (strcmp(fields[i], want[w]) == 0)
				col[w] = i;
		if (col[w] >= n) {
			rbm_diag_add(d, file, "line 1", "missing column '%s'", want[w]);
			rc = RBM_EINVAL;
		}
	}
	return rc;
}

static bool copy_code(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);
	if (n >= cap)
		return false;
	memcpy(dst, src, n + 1);
	return true;
}

static void set_names(struct rbm_arena *a, struct rbm_text *t, char **fields, const size_t *col)
{
	for (int l = 0; l < RBM_LANG_COUNT; l++)
		t->s[l] = fields[col[l]][0] ? rbm_arena_strdup(a, fields[col[l]]) : NULL;
}

typedef enum rbm_rc (*row_fn)(struct rbm_places *p, char **fields, const size_t *col,
			      const char *file, size_t line, struct rbm_diag *d);

static enum rbm_rc read_table(struct rbm_places *p, const char *path, const char *const *want,
			      size_t want_len, row_fn fn, struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_OK;
	struct rbm_csv *csv = NULL;
	size_t col[32];
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		rbm_diag_add(d, path, NULL, "cannot open: %s", strerror(errno));
		return RBM_EIO;
	}
	csv = rbm_csv_open(f, path);
	char **fields;
	size_t n;
	rc = rbm_csv_next(csv, &fields, &n, d);
	if (rc == RBM_ENOENT) {
		rbm_diag_add(d, path, NULL, "the file is empty");
		rc = RBM_EINVAL;
	}
	if (rc != RBM_OK)
		goto out;
	rc = map_header(fields, n, want, want_len, col, path, d);
	if (rc != RBM_OK)
		goto out;
	for (;;) {
		enum rbm_rc r = rbm_csv_next(csv, &fields, &n, d);
		if (r == RBM_ENOENT)
			break;
		if (r != RBM_OK) {
			rc = r;
			goto out;
		}
		if (n < want_len) {
			rbm_diag_add(d, path, NULL, "line %zu: %zu fields, expected at least %zu",
				     rbm_csv_line(csv), n, want_len);
			rc = RBM_EINVAL;
			continue;
		}
		r = fn(p, fields, col, path, rbm_csv_line(csv), d);
		if (r != RBM_OK)
			rc = r;
	}
out:
	rbm_csv_close(csv);
	fclose(f);
	return rc;
}

static enum rbm_rc country_row(struct rbm_places *p, char **fields, const size_t *col,
			       const char *file, size_t line, struct rbm_diag *d)
{
	struct rbm_country c;
	memset(&c, 0, sizeof c);
	if (strlen(fields[col[0]]) != 3 || !copy_code(c.alpha3, sizeof c.alpha3, fields[col[0]]) ||
	    !copy_code(c.alpha2, sizeof c.alpha2, fields[col[1]]) ||
	    !copy_code(c.m49, sizeof c.m49, fields[col[2]]) ||
	    !copy_code(c.region, sizeof c.region, fields[col[3]]) ||
	    !copy_code(c.subregion, sizeof c.subregion, fields[col[4]]) ||
	    !copy_code(c.intermediate, sizeof c.intermediate, fields[col[5]])) {
		rbm_diag_add(d, file, NULL, "line %zu: malformed country codes", line);
		return RBM_EINVAL;
	}
	c.ldc = strcmp(fields[col[6]], "1") == 0;
	c.lldc = strcmp(fields[col[7]], "1") == 0;
	c.sids = strcmp(fields[col[8]], "1") == 0;
	set_names(p->arena, &c.name, fields, col + 9);
	if (c.name.s[RBM_LANG_EN] == NULL) {
		rbm_diag_add(d, file, NULL, "line %zu: country %s has no English name", line, c.alpha3);
		return RBM_EINVAL;
	}
	rbm_xgrow(&p->countries, &p->countries_cap, p->countries_len + 1, sizeof c);
	p->countries[p->countries_len++] = c;
	return RBM_OK;
}

static enum rbm_rc region_row(struct rbm_places *p, char **fields, const size_t *col,
			      const char *file, size_t line, struct rbm_diag *d)
{
	struct rbm_region r;
	memset(&r, 0, sizeof r);
	if (strlen(fields[col[0]]) != 3 || !copy_code(r.m49, sizeof r.m49, fields[col[0]]) ||
	    !copy_code(r.parent, sizeof r.parent, fields[col[1]])) {
		rbm_diag_add(d, file, NULL, "line %zu: malformed region codes", line);
		return RBM_EINVAL;
	}
	r.level = rbm_arena_strdup(p->arena, fields[col[2]]);
	set_names(p->arena, &r.name, fields, col + 3);
	if (r.name.s[RBM_LANG_EN] == NULL) {
		rbm_diag_add(d, file, NULL, "line %zu: region %s has no English name", line, r.m49);
		return RBM_EINVAL;
	}
	rbm_xgrow(&p->regions, &p->regions_cap, p->regions_len + 1, sizeof r);
	p->regions[p->regions_len++] = r;
	return RBM_OK;
}

static int cmp_country(const void *a, const void *b)
{
	return strcmp(((const struct rbm_country *)a)->alpha3, ((const struct rbm_country *)b)->alpha3);
}

static int cmp_region(const void *a, const void *b)
{
	return strcmp(((const struct rbm_region *)a)->m49, ((const struct rbm_region *)b)->m49);
}

enum rbm_rc rbm_places_load(const char *dir, struct rbm_places **out, struct rbm_diag *d)
{
	static const char *const ccols[] = {"alpha3", "alpha2", "m49", "region", "subregion",
					    "intermediate", "ldc", "lldc", "sids", "name_ar",
					    "name_zh", "name_en", "name_fr", "name_ru", "name_es"};
	static const char *const rcols[] = {"m49", "parent", "level", "name_ar", "name_zh",
					    "name_en", "name_fr", "name_ru", "name_es"};
	enum rbm_rc rc;
	struct rbm_places *p = rbm_places_new();
	char *path = rbm_xasprintf("%s/places/countries.csv", dir);
	rc = read_table(p, path, ccols, sizeof ccols / sizeof *ccols, country_row, d);
	free(path);
	if (rc != RBM_OK)
		goto out;
	path = rbm_xasprintf("%s/places/regions.csv", dir);
	rc = read_table(p, path, rcols, sizeof rcols / sizeof *rcols, region_row, d);
	free(path);
	if (rc != RBM_OK)
		goto out;
	qsort(p->countries, p->countries_len, sizeof *p->countries, cmp_country);
	qsort(p->regions, p->regions_len, sizeof *p->regions, cmp_region);
	*out = p;
	p = NULL;
out:
	rbm_places_free(p);
	return rc;
}

const struct rbm_country *rbm_places_country(const struct rbm_places *p, const char *alpha3)
{
	struct rbm_country key;
	if (p == NULL || !copy_code(key.alpha3, sizeof key.alpha3, alpha3))
		return NULL;
	return bsearch(&key, p->countries, p->countries_len, sizeof key, cmp_country);
}

const struct rbm_region *rbm_places_region(const struct rbm_places *p, const char *m49)
{
	struct rbm_region key;
	if (p == NULL || !copy_code(key.m49, sizeof key.m49, m49))
		return NULL;
	return bsearch(&key, p->regions, p->regions_len, sizeof key, cmp_region);
}

bool rbm_places_country_in(const struct rbm_places *p, const struct rbm_country *c,
			   const char *m49)
{
	(void)p;
	return strcmp(m49, "001") == 0 || strcmp(c->region, m49) == 0 ||
	       strcmp(c->subregion, m49) == 0 || strcmp(c->intermediate, m49) == 0;
}
