/*
 * measure_int.h - the engine's columns, private to src/measure/.
 */
#ifndef RBM_MEASURE_MEASURE_INT_H
#define RBM_MEASURE_MEASURE_INT_H

#include "measure.h"

#include "../core/strmap.h"

#define RBM_MEASURE__NONE16 UINT16_MAX

struct rbm_measure {
	const struct rbm_plan *p;
	const struct rbm_places *places;
	long long generation;

	/* One entry per data value, ordered by indicator then year (29 bytes a row). */
	size_t n;
	int year_min, year_max; /* of the rows held */
	uint32_t *ind;     /* plan indicator */
	uint16_t *year;
	uint8_t *quarter;
	uint16_t *office;  /* plan office */
	uint16_t *country; /* index into places->countries, NONE16: none */
	uint32_t *city;    /* index into cities, RBM_KEY_NONE: none */
	uint16_t *cat;     /* global category (see below), NONE16: the total */
	uint32_t *tags;    /* index into tag_start, RBM_KEY_NONE: no tags */
	double *val;
	size_t *ind_start; /* rows of indicator i: [ind_start[i], ind_start[i + 1]) */

	struct rbm_strmap cities;  /* city codes seen (not all are in the plan) */
	/* Global categories: id -> (disaggregation, category). */
	size_t ncat;
	uint16_t *cat_dis, *cat_idx;
	/* Tag sets: items [tag_start[t], tag_start[t + 1]) of tag_item; programmes are
	 * their index, themes 0x8000 | index. */
	size_t ntagsets;
	uint32_t *tag_start;
	uint16_t *tag_item;
	/* Per office: its regional office, NONE16 when none. Per indicator: its domain and outcome. */
	uint16_t *office_region;
	uint32_t *ind_domain, *ind_outcome;
};

#endif
