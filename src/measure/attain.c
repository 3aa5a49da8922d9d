/*
 * attain.c - actuals against the year's targets: progress and status.
 */
#include "measure_int.h"

#include "../core/alloc.h"

#include <math.h>
#include <stdlib.h>

static const char *const attain_names[] = {"achieved", "on track", "behind", "no data", "no target"};

const char *rbm_attain_name(enum rbm_attain a)
{
	return (unsigned)a < 5 ? attain_names[a] : "?";
}

static bool target_for(const struct rbm_indicator *ind, int year, double *out)
{
	for (size_t i = 0; i < ind->targets_len; i++)
		if (ind->targets[i].year == year) {
			*out = ind->targets[i].value;
			return true;
		}
	return false;
}

void rbm_measure_attain(const struct rbm_plan *p, const struct rbm_indicator *ind, int year,
			bool has_actual, double actual, struct rbm_attainment *a)
{
	a->year = year;
	a->has_actual = has_actual;
	a->actual = actual;
	a->has_target = target_for(ind, year, &a->target);
	a->has_baseline = ind->has_baseline;
	a->baseline = ind->baseline_value;
	a->percent = NAN;
	if (!a->has_target) {
		a->status = RBM_ATTAIN_NO_TARGET;
		return;
	}
	if (!has_actual) {
		a->status = RBM_ATTAIN_NO_DATA;
		return;
	}
	/* Levels (percentages, means) and decreases move from the baseline; counts and flows are actual/target. */
	bool level = ind->unit == RBM_UNIT_PERCENT || ind->aggregation == RBM_AGG_MEAN ||
		     ind->direction == RBM_DIR_DECREASE;
	double t = a->target, x = actual;
	if (level && a->has_baseline && t != a->baseline) {
		a->percent = (x - a->baseline) / (t - a->baseline) * 100.0;
	} else if (ind->direction == RBM_DIR_DECREASE) {
		a->percent = x <= t ? 100.0 : (x > 0 ? t / x * 100.0 : 0.0);
	} else if (t != 0) {
		a->percent = x / t * 100.0;
	} else {
		a->percent = x >= t ? 100.0 : 0.0; /* a target of zero is met by anything at or above it */
	}
	if (a->percent >= p->threshold_achieved)
		a->status = RBM_ATTAIN_ACHIEVED;
	else if (a->percent >= p->threshold_on_track)
		a->status = RBM_ATTAIN_ON_TRACK;
	else
		a->status = RBM_ATTAIN_BEHIND;
}

enum rbm_rc rbm_measure_attainment(const struct rbm_measure *m, int year,
				   struct rbm_attainment **out, struct rbm_diag *d)
{
	const struct rbm_plan *p = m->p;
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.year_from = q.year_to = year;
	q.want_places = false; /* attainment needs the figures, not their places */
	struct rbm_measure_table t;
	enum rbm_rc rc = rbm_measure_run(m, &q, &t, d);
	if (rc != RBM_OK)
		return rc;
	struct rbm_attainment *v = rbm_xcalloc(p->indicators_len + 1, sizeof *v);
	for (size_t i = 0; i < p->indicators_len; i++) {
		const struct rbm_measure_row *row = NULL;
		for (size_t k = 0; k < t.len; k++)
			if (t.rows[k].indicator == i)
				row = &t.rows[k];
		v[i].indicator = i;
		rbm_measure_attain(p, &p->indicators[i], year, row != NULL, row ? row->value : 0, &v[i]);
		v[i].places = row ? row->places : 0;
		v[i].rows = row ? row->rows : 0;
	}
	rbm_measure_table_free(&t);
	*out = v;
	return RBM_OK;
}
