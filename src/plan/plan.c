/*
 * plan.c - creating, freeing and searching a plan.
 */
#include "plan.h"

#include "../core/alloc.h"
#include "../core/arena.h"

#include <stdlib.h>
#include <string.h>

struct rbm_plan *rbm_plan_new(void)
{
	struct rbm_plan *p = rbm_xcalloc(1, sizeof *p);
	p->arena = rbm_arena_new();
	p->threshold_achieved = 100;
	p->threshold_on_track = 75;
	return p;
}

void rbm_plan_free(struct rbm_plan *p)
{
	if (p == NULL)
		return;
	/* Every array lives in the arena. */
	rbm_arena_free(p->arena);
	free(p);
}

size_t rbm_plan_find_result(const struct rbm_plan *p, const char *code)
{
	for (size_t i = 0; i < p->results_len; i++)
		if (strcmp(p->results[i].code, code) == 0)
			return i;
	return RBM_NONE;
}

size_t rbm_plan_find_indicator(const struct rbm_plan *p, const char *code)
{
	for (size_t i = 0; i < p->indicators_len; i++)
		if (strcmp(p->indicators[i].code, code) == 0)
			return i;
	return RBM_NONE;
}

size_t rbm_plan_find_office(const struct rbm_plan *p, const char *code)
{
	for (size_t i = 0; i < p->offices_len; i++)
		if (strcmp(p->offices[i].code, code) == 0)
			return i;
	return RBM_NONE;
}
