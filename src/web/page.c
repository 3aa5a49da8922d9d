/*
 * page.c - writing a response: headers, text and JSON bodies, the page
 * layout every HTML page shares, and error answers (an HTML page, or an
 * RFC 9457 problem for /api/). All user text goes through publish/html.h.
 */
#include "web_int.h"

#include "../core/i18n.h"
#include "../core/utf8.h"
#include "../publish/html.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void rbm_web_resp_init(struct rbm_web_resp *resp, struct rbm_arena *arena)
{
	memset(resp, 0, sizeof *resp);
	resp->arena = arena;
	rbm_buf_init(&resp->body, RBM_WEB_RESP_MAX);
}

void rbm_web_resp_cleanup(struct rbm_web_resp *resp)
{
	if (resp == NULL)
		return;
	rbm_buf_free(&resp->body);
}

static bool header_safe(const char *s)
{
	for (const char *p = s; *p; p++)
		if (*p == '\r' || *p == '\n')
			return false;
	return true;
}

enum rbm_rc rbm_web_resp_header(struct rbm_web_resp *resp, const char *name, const char *value)
{
	if (name == NULL || value == NULL || *name == '\0' || !header_safe(name) ||
	    !header_safe(value) || strchr(name, ':'))
		return RBM_EINVAL;
	char *v = rbm_arena_strdup(resp->arena, value);
	for (size_t i = 0; i < resp->headers_len; i++) {
		if (strcasecmp(resp->headers[i].name, name) == 0) {
			resp->headers[i].value = v;
			return RBM_OK;
		}
	}
	if (resp->headers_len >= RBM_WEB_MAX_HEADERS)
		return RBM_ETOOBIG;
	resp->headers[resp->headers_len++] =
		(struct rbm_web_kv){rbm_arena_strdup(resp->arena, name), v};
	return RBM_OK;
}

enum rbm_rc rbm_web_resp_add_header(struct rbm_web_resp *resp, const char *name,
				    const char *value)
{
	if (name == NULL || value == NULL || *name == '\0' || !header_safe(name) ||
	    !header_safe(value) || strchr(name, ':'))
		return RBM_EINVAL;
	if (resp->headers_len >= RBM_WEB_MAX_HEADERS)
		return RBM_ETOOBIG;
	resp->headers[resp->headers_len++] = (struct rbm_web_kv){
		rbm_arena_strdup(resp->arena, name), rbm_arena_strdup(resp->arena, value)};
	return RBM_OK;
}

enum rbm_rc rbm_web_resp_redirect(struct rbm_web_resp *resp, const char *location)
{
	enum rbm_rc rc = rbm_web_resp_header(resp, "Location", location);
	if (rc != RBM_OK)
		return rc;
	resp->etag = NULL;
	return rbm_web_resp_text(resp, 303, "text/plain; charset=utf-8", "See Other\n");
}

const char *rbm_web_resp_get_header(const struct rbm_web_resp *resp, const char *name)
{
	for (size_t i = 0; i < resp->headers_len; i++)
		if (strcasecmp(resp->headers[i].name, name) == 0)
			return resp->headers[i].value;
	return NULL;
}

enum rbm_rc rbm_web_resp_text(struct rbm_web_resp *resp, int status, const char *content_type,
			      const char *text)
{
	resp->status = status;
	resp->content_type = content_type;
	rbm_buf_reset(&resp->body);
	return rbm_buf_adds(&resp->body, text ? text : "");
}

enum rbm_rc rbm_web_resp_json(struct rbm_web_resp *resp, int status, const json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ENCODE_ANY);
	if (s == NULL)
		return RBM_ENOMEM;
	rbm_buf_reset(&resp->body);
	enum rbm_rc rc = rbm_buf_adds(&resp->body, s);
	if (rc == RBM_OK)
		rc = rbm_buf_addc(&resp->body, '\n');
	free(s);
	if (rc == RBM_OK) {
		resp->status = status;
		resp->content_type = "application/json; charset=utf-8";
	}
	return rc;
}

json_t *rbm_web__json_body(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	const char *ct = req->content_type;
	if (ct == NULL || strncasecmp(ct, "application/json", 16) != 0) {
		rbm_web_resp_error(req, resp, 415, "The body must be JSON (Content-Type: application/json).");
		return NULL;
	}
	json_error_t e;
	json_t *j = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &e);
	if (j == NULL || !json_is_object(j)) {
		char why[300];
		if (j == NULL)
			snprintf(why, sizeof why, "The body is not valid JSON: line %d, column %d: %s", e.line,
				 e.column, e.text);
		else
			snprintf(why, sizeof why, "The body must be a JSON object.");
		json_decref(j);
		rbm_web_resp_error(req, resp, 400, why);
		return NULL;
	}
	return j;
}

json_t *rbm_web__json_strings(const char *const *v, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++)
		json_array_append_new(a, json_string(v[i]));
	return a;
}

static const struct {
	int status;
	const char *text;
} statuses[] = {
	{200, "OK"},
	{201, "Created"},
	{204, "No Content"},
	{301, "Moved Permanently"},
	{302, "Found"},
	{303, "See Other"},
	{304, "Not Modified"},
	{400, "Bad Request"},
	{401, "Unauthorized"},
	{403, "Forbidden"},
	{404, "Not Found"},
	{405, "Method Not Allowed"},
	{408, "Request Timeout"},
	{409, "Conflict"},
	{413, "Content Too Large"},
	{414, "URI Too Long"},
	{415, "Unsupported Media Type"},
	{422, "Unprocessable Content"},
	{429, "Too Many Requests"},
	{500, "Internal Server Error"},
	{501, "Not Implemented"},
	{503, "Service Unavailable"},
};

const char *rbm_web_status_text(int status)
{
	for (size_t i = 0; i < sizeof statuses / sizeof *statuses; i++)
		if (statuses[i].status == status)
			return statuses[i].text;
	return "Error";
}

/* What an HTML error page says when the caller gives no detail. */
static const char *default_detail(int status)
{
	switch (status) {
	case 400: return "The request is malformed.";
	case 401: return "Sign in to see this page.";
	case 403: return "Your account may not see this page.";
	case 404: return "There is no page at this address.";
	case 405: return "This address does not accept this method.";
	case 413: return "The request is too large.";
	case 414: return "The address is too long.";
	default: return status >= 500 ? "The server failed to answer; its log says why." : "";
	}
}

static enum rbm_rc problem(const struct rbm_web_req *req, struct rbm_web_resp *resp, int status,
			   const char *detail)
{
	return rbm_web__problem(req, resp, status, detail, NULL);
}

enum rbm_rc rbm_web__problem(const struct rbm_web_req *req, struct rbm_web_resp *resp, int status,
			     const char *detail, json_t *errors)
{
	/* RFC 9457: with type about:blank, title is the status phrase. */
	json_t *j = json_object();
	json_object_set_new(j, "type", json_string("about:blank"));
	json_object_set_new(j, "title", json_string(rbm_web_status_text(status)));
	json_object_set_new(j, "status", json_integer(status));
	if (detail && *detail && rbm_utf8_valid(detail, strlen(detail), NULL))
		json_object_set_new(j, "detail", json_string(detail));
	if (rbm_utf8_valid(req->path, strlen(req->path), NULL))
		json_object_set_new(j, "instance", json_string(req->path));
	if (errors)
		json_object_set_new(j, "errors", errors);
	enum rbm_rc rc = rbm_web_resp_json(resp, status, j);
	json_decref(j);
	resp->content_type = "application/problem+json";
	return rc;
}

enum rbm_rc rbm_web_resp_error(struct rbm_web_req *req, struct rbm_web_resp *resp,
			       int status, const char *detail)
{
	resp->etag = NULL;
	if (status == 401)
		rbm_web_resp_header(resp, "WWW-Authenticate", "Bearer realm=\"rbm\"");
	if (rbm_web_is_api(req))
		return problem(req, resp, status, detail ? detail : default_detail(status));

	enum rbm_lang lang = rbm_web_lang(req);
	const char *title = rbm_i18n_gettext(lang, rbm_web_status_text(status));
	enum rbm_rc rc = rbm_web_page_begin(req, resp, status, title);
	if (rc != RBM_OK)
		return rc;
	struct rbm_buf *b = &resp->body;
	rbm_buf_addf(b, "<h1>%d ", status);
	rbm_html_text(b, title);
	rbm_buf_adds(b, "</h1>\n<p>");
	rbm_html_text(b, rbm_i18n_gettext(lang, detail ? detail : default_detail(status)));
	rbm_buf_adds(b, "</p>\n");
	return rbm_web_page_end(resp);
}

/* The six languages, each named in itself, for the language switcher. */
static const char *const autonyms[RBM_LANG_COUNT] = {
	[RBM_LANG_AR] = "العربية", [RBM_LANG_ZH] = "中文",     [RBM_LANG_EN] = "English",
	[RBM_LANG_FR] = "Français", [RBM_LANG_RU] = "Русский", [RBM_LANG_ES] = "Español",
};

static void nav_link(struct rbm_buf *b, enum rbm_lang lang, const char *href, const char *label,
		     const char *path)
{
	bool here = strcmp(path, href) == 0 || (href[1] && strncmp(path, href, strlen(href)) == 0 &&
						path[strlen(href)] == '/');
	rbm_buf_addf(b, "<a href=\"%s\"%s>", href, here ? " aria-current=\"page\"" : "");
	rbm_html_text(b, rbm_i18n_gettext(lang, label));
	rbm_buf_adds(b, "</a>");
}

enum rbm_rc rbm_web_page_begin(struct rbm_web_req *req, struct rbm_web_resp *resp, int status,
			       const char *title)
{
	enum rbm_lang lang = rbm_web_lang(req);
	resp->status = status;
	resp->content_type = "text/html; charset=utf-8";
	rbm_web_resp_header(resp, "Content-Language", rbm_lang_tag(lang));
	rbm_web_resp_header(resp, "Vary", "Accept-Language, Cookie");
	rbm_web_resp_header(resp, "Cache-Control", "private, no-cache");
	/* A language asked for in the address is remembered for the next pages. */
	const char *asked = rbm_web_query(req, "lang");
	if (asked && strcmp(asked, rbm_lang_tag(lang)) == 0)
		rbm_web__set_cookie(req, resp, "rbm_lang", asked, 365L * 24 * 3600, false);
	const struct rbm_web_user *u = rbm_web_req_user(req);
	struct rbm_buf *b = &resp->body;
	rbm_buf_reset(b);
	rbm_buf_addf(b,
		     "<!DOCTYPE html>\n"
		     "<html lang=\"%s\" dir=\"%s\">\n"
		     "<head>\n"
		     "<meta charset=\"utf-8\"/>\n"
		     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
		     "<title>",
		     rbm_lang_tag(lang), lang == RBM_LANG_AR ? "rtl" : "ltr");
	rbm_html_text(b, title);
	rbm_buf_adds(b, " · rbm</title>\n"
			"<link rel=\"stylesheet\" href=\"/static/rbm.css\"/>\n"
			"</head>\n"
			"<body>\n"
			"<header class=\"site\"><a class=\"brand\" href=\"/\">rbm</a>\n<nav>");
	const char *path = req->path;
	nav_link(b, lang, "/reports", "Reports", path);
	nav_link(b, lang, "/data", "Open data", path);
	if (u) {
		nav_link(b, lang, "/results", "Results", path);
		nav_link(b, lang, "/progress", "Progress", path);
		if (u->role == RBM_WEB_REVIEWER || u->role == RBM_WEB_ADMIN)
			nav_link(b, lang, "/review", "Review", path);
		if (u->role == RBM_WEB_EDITOR || u->role == RBM_WEB_ADMIN)
			nav_link(b, lang, "/editor", "Report text", path);
		if (u->role == RBM_WEB_ADMIN)
			nav_link(b, lang, "/admin", "Administration", path);
	}
	rbm_buf_adds(b, "</nav>\n<div class=\"langs\">");
	for (int l = 0; l < RBM_LANG_COUNT; l++) {
		rbm_buf_addf(b, "<a href=\"?lang=%s\" lang=\"%s\" hreflang=\"%s\"%s>", rbm_lang_tag((enum rbm_lang)l),
			     rbm_lang_tag((enum rbm_lang)l), rbm_lang_tag((enum rbm_lang)l),
			     (enum rbm_lang)l == lang ? " aria-current=\"true\"" : "");
		rbm_html_text(b, autonyms[l]);
		rbm_buf_adds(b, "</a>");
	}
	rbm_buf_adds(b, "</div>\n<div class=\"who\">");
	if (u) {
		rbm_buf_adds(b, "<span class=\"user\">");
		rbm_html_text(b, u->name);
		rbm_buf_adds(b, " · ");
		rbm_html_text(b, rbm_i18n_gettext(lang, rbm_web_role_name(u->role)));
		rbm_buf_adds(b, "</span>");
		if (u->csrf) {
			rbm_buf_adds(b, "<form method=\"post\" action=\"/signout\" class=\"inline\">");
			rbm_web__csrf_field(req, b);
			rbm_buf_adds(b, "<button type=\"submit\" class=\"link\">");
			rbm_html_text(b, rbm_i18n_gettext(lang, "Sign out"));
			rbm_buf_adds(b, "</button></form>");
		}
	} else {
		rbm_buf_adds(b, "<a href=\"/signin\">");
		rbm_html_text(b, rbm_i18n_gettext(lang, "Sign in"));
		rbm_buf_adds(b, "</a>");
	}
	return rbm_buf_adds(b, "</div>\n</header>\n<main>\n");
}

void rbm_web__csrf_field(struct rbm_web_req *req, struct rbm_buf *b)
{
	const struct rbm_web_user *u = rbm_web_req_user(req);
	if (u && u->csrf)
		rbm_buf_addf(b, "<input type=\"hidden\" name=\"_csrf\" value=\"%s\"/>", u->csrf);
}

enum rbm_rc rbm_web_page_end(struct rbm_web_resp *resp)
{
	/* buf has no sticky error: a body that hit its cap (64 MiB) most likely fails here too. */
	return rbm_buf_adds(&resp->body, "</main>\n</body>\n</html>\n");
}
