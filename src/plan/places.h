/*
 * places.h - countries and UN M49 regions, with names in six languages.
 *
 * Loaded from rbm's bundled data (data/places/countries.csv and regions.csv,
 * generated from ISO 3166-1 and the UN Statistics Division's M49 tables).
 */
#ifndef RBM_PLAN_PLACES_H
#define RBM_PLAN_PLACES_H

#include "../core/diag.h"
#include "../core/rbm.h"
#include "../core/text.h"

#include <stddef.h>

struct rbm_country {
	char alpha3[4];
	char alpha2[3];
	char m49[4];
	char region[4];       /* M49 region, "" when none */
	char subregion[4];
	char intermediate[4];
	bool ldc, lldc, sids;
	struct rbm_text name;
};

struct rbm_region {
	char m49[4];
	char parent[4]; /* "" for the world */
	const char *level; /* world | region | subregion | intermediate */
	struct rbm_text name;
};

struct rbm_places {
	struct rbm_arena *arena;
	struct rbm_country *countries; /* sorted by alpha3 */
	size_t countries_len;
	struct rbm_region *regions;    /* sorted by m49 */
	size_t regions_len;
	size_t countries_cap, regions_cap; /* capacity, for loaders */
};

/* Reads countries.csv and regions.csv in dir. */
enum rbm_rc rbm_places_load(const char *dir, struct rbm_places **out, struct rbm_diag *d);
/* An empty set, for callers that fill it (the store). */
struct rbm_places *rbm_places_new(void);
void rbm_places_free(struct rbm_places *p);

const struct rbm_country *rbm_places_country(const struct rbm_places *p, const char *alpha3);
const struct rbm_region *rbm_places_region(const struct rbm_places *p, const char *m49);
/* True when the country lies in the M49 region m49 (at any level, or the world). */
bool rbm_places_country_in(const struct rbm_places *p, const struct rbm_country *c,
			   const char *m49);

#endif
