/*
 * page_health.c - the answers monitors ask for: GET /healthz (is the
 * process serving?) and GET /api/v1/version (which rbm is it?).
 */
#include "web_int.h"

#include "../store/store.h"

enum rbm_rc rbm_web__healthz(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	(void)req;
	rbm_web_resp_header(resp, "Cache-Control", "no-store");
	return rbm_web_resp_text(resp, 200, "text/plain; charset=utf-8", "ok\n");
}

enum rbm_rc rbm_web__version(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	(void)req;
	json_t *j = json_pack("{s:s, s:s, s:i, s:i}", "name", "rbm", "version", RBM_VERSION, "api", 1,
			      "schema", rbm_store_schema_latest());
	if (j == NULL)
		return RBM_ENOMEM;
	rbm_web_resp_header(resp, "Cache-Control", "no-cache");
	enum rbm_rc rc = rbm_web_resp_json(resp, 200, j);
	json_decref(j);
	return rc;
}
