/*
 * page_openapi.c - GET /api/v1/openapi.json: the OpenAPI 3.1 description
 * of the JSON API (DATA/web/openapi.json). tests/web/test_openapi.c checks
 * it against the route table, and tests/web/test_contract.sh checks real
 * answers against its schemas.
 */
#include "web_int.h"

#include "../core/fs.h"

#include <stdio.h>
#include <stdlib.h>

#define OPENAPI_MAX ((size_t)1 << 20)

enum rbm_rc rbm_web__openapi(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/web/openapi.json", req->app->data_dir ? req->app->data_dir : ".");
	char *text = NULL;
	size_t len = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_fs_read(path, OPENAPI_MAX, &text, &len, &d);
	rbm_diag_free(&d);
	if (rc != RBM_OK)
		return rbm_web_resp_error(req, resp, 404, "The API description is not installed.");
	resp->status = 200;
	resp->content_type = "application/json; charset=utf-8";
	rbm_web_resp_header(resp, "Cache-Control", "public, max-age=300");
	rc = rbm_buf_add(&resp->body, text, len);
	free(text);
	return rc;
}
