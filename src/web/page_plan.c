/*
 * page_plan.c - GET /api/v1/plan: the results framework the database holds,
 * as the canonical plan-format JSON of docs/plan-format.md, the same bytes
 * 'rbm plan show --format json' prints. The plan is public: member states
 * and partners read the framework the report measures against.
 */
#include "web_int.h"

enum rbm_rc rbm_web__no_plan(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	return rbm_web_resp_error(req, resp, 404,
				  "The database holds no plan yet; load one with 'rbm init --plan FILE'.");
}

enum rbm_rc rbm_web__plan(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	if (req->app == NULL || req->app->plan_json == NULL)
		return rbm_web__no_plan(req, resp);
	rbm_web_resp_header(resp, "Cache-Control", "no-cache");
	return rbm_web_resp_text(resp, 200, "application/json; charset=utf-8", req->app->plan_json);
}
