/*
 * page_cycles.c - GET /api/v1/cycles: the reporting cycles, oldest first,
 * with the window in which offices report and whether the cycle is closed.
 * Public: the calendar of reporting is no secret, and offices plan by it.
 */
#include "web_int.h"

#include "../collect/collect.h"

enum rbm_rc rbm_web__cycles(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	if (req->app == NULL || req->app->store == NULL)
		return rbm_web_resp_error(req, resp, 503, "The server has no database open.");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_cycle *v = NULL;
	size_t n = 0;
	enum rbm_rc rc = rbm_collect_cycle_list(req->app->store, &v, &n, &d);
	rbm_diag_free(&d); /* the database's words stay in the server's log, not the answer */
	if (rc != RBM_OK)
		return rc;

	json_t *arr = json_array();
	for (size_t i = 0; arr && i < n; i++) {
		/* null: every office takes part by default */
		json_t *offices = v[i].offices_len == 0
					  ? json_null()
					  : rbm_web__json_strings((const char *const *)v[i].offices,
								  v[i].offices_len);
		json_array_append_new(arr, json_pack("{s:i, s:s, s:s, s:s, s:b, s:o}", "year", v[i].year,
						     "opens", v[i].opens, "closes", v[i].closes, "state",
						     v[i].closed ? "closed" : "open", "any_place",
						     v[i].any_place, "offices", offices));
	}
	rbm_collect_cycles_free(v, n);
	if (arr == NULL)
		return RBM_ENOMEM;
	rbm_web_resp_header(resp, "Cache-Control", "no-cache");
	rc = rbm_web_resp_json(resp, 200, arr);
	json_decref(arr);
	return rc;
}
