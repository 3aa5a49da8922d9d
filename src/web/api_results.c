/*
 * api_results.c - figures through the API, as the dashboard and the
 * progress page show them:
 *   GET /api/v1/results/{year}    every indicator against the year's target
 *                                 (approved submissions only)
 *   GET /api/v1/progress/{year}   every participating office's state, the
 *                                 counts by state and the response rate
 */
#include "web_int.h"

#include "../collect/collect.h"
#include "../measure/measure.h"

#include <math.h>
#include <stdio.h>

enum rbm_rc rbm_web__api_results(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	const struct rbm_web_app *app = req->app;
	if (app->plan == NULL || app->store == NULL)
		return rbm_web__no_plan(req, resp);
	int year = rbm_web__year_param(req);
	if (year == 0)
		return rbm_web_resp_error(req, resp, 404, "There is no such year.");
	const struct rbm_measure *m = NULL;
	struct rbm_attainment *att = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_web__measure(req, &m, NULL, &d);
	if (rc == RBM_OK)
		rc = rbm_measure_attainment(m, year, &att, &d);
	rbm_diag_free(&d);
	if (rc != RBM_OK)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < app->plan->indicators_len; i++) {
		const struct rbm_indicator *ind = &app->plan->indicators[i];
		json_t *j = json_pack("{s:s, s:s, s:s, s:s, s:s}", "indicator", ind->code, "title",
				      rbm_text_get(&ind->title, lang), "result", app->plan->results[ind->result].code,
				      "unit", rbm_unit_name(ind->unit), "status", rbm_attain_name(att[i].status));
		json_object_set_new(j, "baseline", att[i].has_baseline ? json_real(att[i].baseline) : json_null());
		json_object_set_new(j, "target", att[i].has_target ? json_real(att[i].target) : json_null());
		json_object_set_new(j, "actual", att[i].has_actual ? json_real(att[i].actual) : json_null());
		json_object_set_new(j, "percent", att[i].has_actual && att[i].has_target && isfinite(att[i].percent)
							  ? json_real(att[i].percent)
							  : json_null());
		json_object_set_new(j, "places", json_integer(att[i].places));
		json_object_set_new(j, "values", json_integer(att[i].rows));
		json_array_append_new(items, j);
	}
	free(att);
	json_t *j = json_pack("{s:i, s:s, s:s, s:o}", "cycle", year, "lang", rbm_lang_tag(lang), "basis",
			      "approved submissions", "indicators", items);
	rc = rbm_web_resp_json(resp, 200, j);
	json_decref(j);
	return rc;
}

enum rbm_rc rbm_web__api_progress(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	const struct rbm_web_app *app = req->app;
	if (app->plan == NULL || app->store == NULL)
		return rbm_web__no_plan(req, resp);
	int year = rbm_web__year_param(req);
	struct rbm_progress_row *v = NULL;
	size_t n = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = year ? rbm_collect_progress(app->store, app->plan, year, &v, &n, &d) : RBM_ENOENT;
	rbm_diag_free(&d);
	if (rc == RBM_ENOENT)
		return rbm_web_resp_error(req, resp, 404, "There is no reporting cycle for this year.");
	if (rc != RBM_OK)
		return rc;
	json_t *offices = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(offices, json_pack("{s:s, s:s, s:s}", "office", v[i].office, "region",
							 v[i].region, "state",
							 rbm_collect_progress_state_name(rbm_collect_progress_state(&v[i]))));
	size_t counts[RBM_PROGRESS_STATES], responded;
	rbm_collect_progress_count(v, n, NULL, counts, &responded);
	json_t *by = json_object();
	for (size_t k = 0; k < RBM_PROGRESS_STATES; k++)
		json_object_set_new(by, rbm_collect_progress_state_name(k), json_integer((json_int_t)counts[k]));
	rbm_collect_progress_free(v, n);
	json_t *j = json_pack("{s:i, s:I, s:I, s:f, s:o, s:o}", "cycle", year, "offices", (json_int_t)n, "responded",
			      (json_int_t)responded, "response_rate", n ? 100.0 * (double)responded / (double)n : 0.0,
			      "by_state", by, "rows", offices);
	rc = rbm_web_resp_json(resp, 200, j);
	json_decref(j);
	return rc;
}
