/*
 * cache.c - what requests share beyond the plan: the lock that requests
 * touching the database take turns on, and the measured data, loaded on
 * first use and again whenever the store's data have changed since (an
 * approval, a bulk load), so that a dashboard does not reread every value.
 */
#include "web_int.h"

#include "../core/alloc.h"
#include "../core/fs.h"
#include "../measure/measure.h"
#include "../plan/plan.h"

#include <stdio.h>
#include <stdlib.h>

struct rbm_web_cache *rbm_web_cache_new(void)
{
	struct rbm_web_cache *c = rbm_xcalloc(1, sizeof *c);
	pthread_mutex_init(&c->lock, NULL);
	return c;
}

void rbm_web_cache_free(struct rbm_web_cache *c)
{
	if (c == NULL)
		return;
	rbm_measure_free(c->m);
	rbm_figures_free(c->figs);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

enum rbm_rc rbm_web__measure(struct rbm_web_req *req, const struct rbm_measure **out,
			     const struct rbm_figures **figs, struct rbm_diag *d)
{
	const struct rbm_web_app *app = req->app;
	struct rbm_web_cache *c = app->cache;
	if (c == NULL || app->store == NULL || app->plan == NULL) {
		rbm_diag_add(d, NULL, NULL, "no database to measure");
		return RBM_EIO;
	}
	if (c->m && !rbm_measure_fresh(c->m, app->store)) {
		rbm_measure_free(c->m);
		c->m = NULL;
	}
	if (c->m == NULL) {
		enum rbm_rc rc = rbm_measure_load(app->store, app->plan, app->places, &c->m, d);
		if (rc != RBM_OK)
			return rc;
	}
	if (!c->figs_loaded) {
		c->figs_loaded = true;
		char path[4096];
		snprintf(path, sizeof path, "%s/reports/%s/figures.json", app->data_dir,
			 app->plan->code);
		if (rbm_fs_is_file(path) && rbm_figures_load(path, app->plan, &c->figs, d) != RBM_OK)
			return RBM_EINVAL;
	}
	*out = c->m;
	if (figs)
		*figs = c->figs;
	return RBM_OK;
}
