/*
 * page_signin.c - GET and POST /signin, POST /signout.
 *
 * The sign-in form repeats a random value that GET /signin also sets as the
 * rbm_pre cookie: a form posted from another site cannot know it, so no
 * site can sign a browser in to an account of its choosing. A good sign-in
 * makes a new session (auth deletes the user's earlier ones) and sets it as
 * the rbm_session cookie; throttling (per account and per address) is
 * auth's.
 */
#include "web_int.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* True for a local path that is safe to send the browser to after signing in. */
static bool local_path(const char *p)
{
	if (p == NULL || p[0] != '/' || p[1] == '/' || p[1] == '\\')
		return false;
	for (const char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == '\\')
			return false;
	return strlen(p) < 512;
}

static enum rbm_rc form(struct rbm_web_req *req, struct rbm_web_resp *resp, int status,
			const char *name, const char *error)
{
	enum rbm_lang lang = rbm_web_lang(req);
	char pre[RBM_AUTH_TOKEN_SIZE];
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(pre, sizeof pre, raw, sizeof raw);
	rbm_web__set_cookie(req, resp, "rbm_pre", pre, 3600, true);
	enum rbm_rc rc = rbm_web_page_begin(req, resp, status, TR("Sign in"));
	if (rc != RBM_OK)
		return rc;
	struct rbm_buf *b = &resp->body;
	rbm_buf_adds(b, "<h1>");
	rbm_html_text(b, TR("Sign in"));
	rbm_buf_adds(b, "</h1>\n");
	if (error) {
		rbm_buf_adds(b, "<p class=\"error\" role=\"alert\">");
		rbm_html_text(b, error);
		rbm_buf_adds(b, "</p>\n");
	}
	const char *next = rbm_web_query(req, "next");
	if (next == NULL)
		next = rbm_web_form(req, "next");
	rbm_buf_adds(b, "<form method=\"post\" action=\"/signin\" class=\"signin\">\n");
	rbm_buf_addf(b, "<input type=\"hidden\" name=\"_pre\" value=\"%s\"/>\n", pre);
	if (local_path(next)) {
		rbm_buf_adds(b, "<input type=\"hidden\" name=\"next\" value=\"");
		rbm_html_text(b, next);
		rbm_buf_adds(b, "\"/>\n");
	}
	rbm_buf_adds(b, "<p><label for=\"name\">");
	rbm_html_text(b, TR("User name"));
	rbm_buf_adds(b, "</label><input id=\"name\" name=\"name\" autocomplete=\"username\" required=\"required\" value=\"");
	rbm_html_text(b, name ? name : "");
	rbm_buf_adds(b, "\"/></p>\n<p><label for=\"password\">");
	rbm_html_text(b, TR("Password"));
	rbm_buf_adds(b, "</label><input id=\"password\" name=\"password\" type=\"password\" "
			"autocomplete=\"current-password\" required=\"required\"/></p>\n<p><button type=\"submit\">");
	rbm_html_text(b, TR("Sign in"));
	rbm_buf_adds(b, "</button></p>\n</form>\n");
	return rbm_web_page_end(resp);
}

enum rbm_rc rbm_web__signin_page(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	return form(req, resp, 200, NULL, NULL);
}

enum rbm_rc rbm_web__signin(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	if (req->app->store == NULL)
		return rbm_web_resp_error(req, resp, 503, "No database is open.");
	const char *pre = rbm_web_cookie(req, "rbm_pre"), *given = rbm_web_form(req, "_pre");
	const char *name = rbm_web_form(req, "name"), *password = rbm_web_form(req, "password");
	if (pre == NULL || given == NULL || strlen(pre) != strlen(given) ||
	    sodium_memcmp(pre, given, strlen(pre)) != 0)
		return form(req, resp, 403, name,
			    TR("The sign-in form has expired or came from another site; please sign in again."));
	if (name == NULL || password == NULL || *name == '\0' || *password == '\0')
		return form(req, resp, 400, name, TR("Give your user name and password."));
	char token[RBM_AUTH_TOKEN_SIZE], csrf[RBM_AUTH_TOKEN_SIZE];
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_auth_sign_in(req->app->store, name, password, req->client,
					  (long long)time(NULL), token, csrf, &d);
	const char *why = d.len ? d.entries[0].reason : "";
	char msg[256];
	snprintf(msg, sizeof msg, "%s", why);
	rbm_diag_free(&d);
	if (rc == RBM_ECONFLICT) {
		rbm_web_resp_header(resp, "Retry-After", "900");
		return form(req, resp, 429, name, TR("Too many failed attempts; try again in 15 minutes."));
	}
	if (rc == RBM_EINVAL || rc == RBM_ENOENT)
		return form(req, resp, 401, name, TR("Wrong user name or password."));
	if (rc != RBM_OK)
		return rbm_web_resp_error(req, resp, 500, msg);
	rbm_web__set_cookie(req, resp, "rbm_session", token, RBM_AUTH_SESSION_SECONDS, true);
	rbm_web__set_cookie(req, resp, "rbm_pre", "", 0, true);
	const char *next = rbm_web_form(req, "next");
	return rbm_web_resp_redirect(resp, local_path(next) ? next : "/");
}

enum rbm_rc rbm_web__signout(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	const struct rbm_web_user *u = rbm_web_req_user(req);
	if (u && u->session) {
		struct rbm_diag d;
		rbm_diag_init(&d);
		rbm_auth_sign_out(req->app->store, u->session, &d);
		rbm_diag_free(&d);
	}
	rbm_web__set_cookie(req, resp, "rbm_session", "", 0, true);
	return rbm_web_resp_redirect(resp, "/");
}
