/*
 * collect_int.h - private to src/collect/.
 */
#ifndef RBM_COLLECT_COLLECT_INT_H
#define RBM_COLLECT_COLLECT_INT_H

#include "collect.h"

enum rbm_label {
	RBM_LABEL_TITLE,          /* %d year, %s office */
	RBM_LABEL_NARRATIVE,      /* %d year */
	RBM_LABEL_NARRATIVE_HINT,
	RBM_LABEL_LANG,
	RBM_LABEL_COUNTRIES,
	RBM_LABEL_CITIES,
	RBM_LABEL_PROGRAMMES,
	RBM_LABEL_THEMES,
	RBM_LABEL_CITIES_OF_HINT,
	RBM_LABEL_HINT_PEOPLE,
	RBM_LABEL_HINT_PERCENT,
	RBM_LABEL_HINT_NUMBER,
	RBM_LABEL_HINT_CURRENCY,  /* %s currency */
	RBM_LABEL_HINT_YESNO,
	RBM_LABEL_MSG_PEOPLE,
	RBM_LABEL_MSG_PERCENT,
	RBM_LABEL_MSG_NONNEG,
	RBM_LABEL_YES,
	RBM_LABEL_NO,
	RBM_LABEL_COUNT
};

/* The fixed wording of the survey; a printf format where noted. */
const char *rbm_collect__label(enum rbm_label key, enum rbm_lang lang);

/*
 * Whether the cycle accepts a submission from office dated day (YYYY-MM-DD...):
 * open, within its window, and the office taking part. A late one is
 * accepted when late is set; *outside tells whether it was late. Problems go
 * to d under file and where.
 */
enum rbm_rc rbm_collect__admissible(const struct rbm_plan *p, const struct rbm_cycle *c,
				    const char *office,
				    const char *day, bool late, bool *outside, const char *file,
				    const char *where, struct rbm_diag *d);

#endif
