/*
 * route.c - the route table and the one function that answers a request
 * through it: match method + path, check the role, run the handler, then
 * entity tags and 304 (after cgit's cmd.c table of commands).
 *
 * Adding a page: write its handler in page_<name>.c, declare it in
 * web_int.h, and list it below with its method, pattern and role.
 */
#include "web_int.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

const struct rbm_web_route rbm_web_routes[] = {
	{RBM_WEB_GET, "/", RBM_WEB_PUBLIC, rbm_web__home,
	 "home: the signed-in user's tasks in the open cycles, the published reports"},
	{RBM_WEB_GET, "/signin", RBM_WEB_PUBLIC, rbm_web__signin_page, "the sign-in form"},
	{RBM_WEB_POST, "/signin", RBM_WEB_PUBLIC, rbm_web__signin,
	 "sign in (name, password): sets the session cookie; throttled"},
	{RBM_WEB_POST, "/signout", RBM_WEB_VIEWER, rbm_web__signout, "sign out: ends the session"},
	{RBM_WEB_GET, "/survey/{year}/{office}", RBM_WEB_REPORTER, rbm_web__survey,
	 "an office's results survey, with its answers so far"},
	{RBM_WEB_POST, "/survey/{year}/{office}", RBM_WEB_REPORTER, rbm_web__survey_save,
	 "save the survey as a draft (_action=save) or submit it (_action=submit)"},
	{RBM_WEB_GET, "/review", RBM_WEB_REVIEWER, rbm_web__review_queue,
	 "the submissions of the reviewer's region, by state (?status=, ?year=)"},
	{RBM_WEB_GET, "/review/{id}", RBM_WEB_REVIEWER, rbm_web__review,
	 "one submission: revisions side by side (?a=, ?b=), approve or return"},
	{RBM_WEB_POST, "/review/{id}", RBM_WEB_REVIEWER, rbm_web__review_decide,
	 "approve (_action=approve) or return with a comment (_action=return)"},
	{RBM_WEB_GET, "/progress", RBM_WEB_VIEWER, rbm_web__progress,
	 "collection progress of the newest cycle"},
	{RBM_WEB_GET, "/progress/{year}", RBM_WEB_VIEWER, rbm_web__progress,
	 "collection progress by region and office, with the response rate"},
	{RBM_WEB_GET, "/results", RBM_WEB_VIEWER, rbm_web__results,
	 "the results dashboard of the newest cycle"},
	{RBM_WEB_GET, "/results/{year}", RBM_WEB_VIEWER, rbm_web__results,
	 "the results dashboard: attainment per domain and outcome, countries reached"},
	{RBM_WEB_GET, "/results/{year}/{indicator}", RBM_WEB_VIEWER, rbm_web__indicator,
	 "one indicator: targets and actuals by year, by region, its submissions"},
	{RBM_WEB_GET, "/healthz", RBM_WEB_PUBLIC, rbm_web__healthz,
	 "liveness: \"ok\" as text, for load balancers and monitors"},
	{RBM_WEB_GET, "/api/v1/version", RBM_WEB_PUBLIC, rbm_web__version,
	 "the versions of rbm, its API and its database schema, as JSON"},
	{RBM_WEB_GET, "/api/v1/openapi.json", RBM_WEB_PUBLIC, rbm_web__openapi,
	 "the OpenAPI 3.1 description of this API"},
	{RBM_WEB_GET, "/api/v1/plan", RBM_WEB_PUBLIC, rbm_web__plan,
	 "the results framework as canonical plan-format JSON (docs/plan-format.md)"},
	{RBM_WEB_GET, "/api/v1/cycles", RBM_WEB_PUBLIC, rbm_web__cycles,
	 "the reporting cycles: year, window, open or closed, offices taking part"},
	{RBM_WEB_GET, "/api/v1/offices", RBM_WEB_PUBLIC, rbm_web__offices,
	 "the plan's offices: code, name (?lang=), kind, parent, seat, countries"},
	{RBM_WEB_GET, "/api/v1/submissions", RBM_WEB_VIEWER, rbm_web__api_submissions,
	 "submissions the caller may read (?cycle ?office ?region ?status ?page ?per_page)"},
	{RBM_WEB_GET, "/api/v1/submissions/{id}", RBM_WEB_VIEWER, rbm_web__api_submission,
	 "one submission with its revisions and current answers"},
	{RBM_WEB_POST, "/api/v1/submissions/{id}/approve", RBM_WEB_REVIEWER, rbm_web__api_approve,
	 "approve a submitted revision ({\"base_rev\": N})"},
	{RBM_WEB_POST, "/api/v1/submissions/{id}/return", RBM_WEB_REVIEWER, rbm_web__api_return,
	 "return a submission with a comment ({\"base_rev\": N, \"comment\": ...})"},
	{RBM_WEB_GET, "/api/v1/surveys/{year}/{office}", RBM_WEB_REPORTER, rbm_web__api_survey,
	 "an office's survey: questions, choice lists, answers so far, state"},
	{RBM_WEB_PUT, "/api/v1/surveys/{year}/{office}", RBM_WEB_REPORTER, rbm_web__api_survey_put,
	 "save answers as a draft or submit them ({\"answers\", \"submit\", \"base_rev\"})"},
	{RBM_WEB_GET, "/api/v1/results/{year}", RBM_WEB_VIEWER, rbm_web__api_results,
	 "every indicator against the year's target, from approved submissions"},
	{RBM_WEB_GET, "/api/v1/progress/{year}", RBM_WEB_VIEWER, rbm_web__api_progress,
	 "collection progress: each office's state, counts, response rate"},
	{RBM_WEB_GET, "/admin", RBM_WEB_ADMIN, rbm_web__admin, "administration: cycles, users, offices"},
	{RBM_WEB_POST, "/admin/cycles", RBM_WEB_ADMIN, rbm_web__admin_cycles,
	 "open (year, from, to, offices), close or reopen a reporting cycle"},
	{RBM_WEB_POST, "/admin/users", RBM_WEB_ADMIN, rbm_web__admin_users,
	 "add a user (name, role, office, region, password)"},
	{RBM_WEB_GET, "/api/v1/users", RBM_WEB_ADMIN, rbm_web__api_users, "the users and their roles"},
	{RBM_WEB_POST, "/api/v1/users", RBM_WEB_ADMIN, rbm_web__api_user_add,
	 "add a user ({\"name\", \"role\", \"office\", \"region\", \"password\"})"},
	{RBM_WEB_POST, "/api/v1/cycles", RBM_WEB_ADMIN, rbm_web__api_cycle_open,
	 "open a reporting cycle ({\"year\", \"from\", \"to\", \"offices\"})"},
	{RBM_WEB_POST, "/api/v1/cycles/{year}/close", RBM_WEB_ADMIN, rbm_web__api_cycle_close,
	 "close a reporting cycle"},
	{RBM_WEB_POST, "/api/v1/cycles/{year}/reopen", RBM_WEB_ADMIN, rbm_web__api_cycle_reopen,
	 "reopen a reporting cycle ({\"to\": DATE} optional)"},
	{RBM_WEB_GET, "/editor", RBM_WEB_EDITOR, rbm_web__editor,
	 "the report text of the newest cycle's annual report, per language"},
	{RBM_WEB_GET, "/editor/{year}/{report}", RBM_WEB_EDITOR, rbm_web__editor,
	 "every paragraph and its translation state; ?key=&edit=LANG to edit one"},
	{RBM_WEB_POST, "/editor/{year}/{report}", RBM_WEB_EDITOR, rbm_web__editor_save,
	 "store one paragraph in one language (key, lang, text)"},
	{RBM_WEB_GET, "/api/v1/editorial/{year}/{report}", RBM_WEB_EDITOR, rbm_web__api_editorial,
	 "every paragraph of a report with its text and state in each language"},
	{RBM_WEB_PUT, "/api/v1/editorial/{year}/{report}/{key}/{lang}", RBM_WEB_EDITOR,
	 rbm_web__api_editorial_put, "store one paragraph in one language ({\"text\": ...})"},
	{RBM_WEB_GET, "/reports", RBM_WEB_PUBLIC, rbm_web__reports,
	 "the reports: published ones, and drafts for signed-in users, with downloads"},
	{RBM_WEB_GET, "/reports/{year}/rbm.css", RBM_WEB_PUBLIC, rbm_web__report_css,
	 "the online report's stylesheet"},
	{RBM_WEB_GET, "/reports/{year}/{report}", RBM_WEB_PUBLIC, rbm_web__report,
	 "the online report or highlights note (?lang=); public once published"},
	{RBM_WEB_GET, "/reports/{year}/{report}/{file}", RBM_WEB_PUBLIC, rbm_web__report_file,
	 "a download: REPORT.LANG.pdf|html|docx|xlsx|md; public once published"},
	{RBM_WEB_POST, "/reports/{year}/{report}/publish", RBM_WEB_EDITOR, rbm_web__report_publish,
	 "publish (_action=publish) or unpublish a report"},
	{RBM_WEB_GET, "/api/v1/reports", RBM_WEB_PUBLIC, rbm_web__api_reports,
	 "the reports the caller may read, with their download addresses"},
	{RBM_WEB_GET, "/data", RBM_WEB_PUBLIC, rbm_web__data,
	 "open data: each cycle's approved results as CSV, JSON, XLSX and a data package"},
	{RBM_WEB_GET, "/data/{year}/{file}", RBM_WEB_PUBLIC, rbm_web__data_file,
	 "LEVEL.csv|json|xlsx (?lang=) or datapackage.json; public once the annual report is"},
	{RBM_WEB_GET, "/api/v1/data", RBM_WEB_PUBLIC, rbm_web__api_data,
	 "the cycles whose data the caller may have, with the address of every file"},
	{RBM_WEB_GET, "/static/{path...}", RBM_WEB_PUBLIC, rbm_web__static,
	 "stylesheets, scripts and images from DATA/web/"},
	{RBM_WEB_GET, NULL, RBM_WEB_PUBLIC, NULL, NULL},
};

/* ---- roles ---- */

const char *rbm_web_role_name(enum rbm_web_role r)
{
	switch (r) {
	case RBM_WEB_PUBLIC: return "public";
	case RBM_WEB_VIEWER: return "viewer";
	case RBM_WEB_REPORTER: return "reporter";
	case RBM_WEB_REVIEWER: return "reviewer";
	case RBM_WEB_EDITOR: return "editor";
	case RBM_WEB_ADMIN: return "administrator";
	}
	return "?";
}

bool rbm_web_role_allows(const struct rbm_web_user *user, enum rbm_web_role required)
{
	if (required == RBM_WEB_PUBLIC)
		return true;
	if (user == NULL || user->role == RBM_WEB_PUBLIC)
		return false;
	return required == RBM_WEB_VIEWER || user->role == required || user->role == RBM_WEB_ADMIN;
}

const struct rbm_web_user *rbm_web_req_user(struct rbm_web_req *req)
{
	if (!req->user_known) {
		req->user_known = true;
		req->user = NULL;
		if (req->app && req->app->authenticate)
			req->user = req->app->authenticate(req, req->app->auth_ctx);
	}
	return req->user;
}

/* ---- matching ---- */

/* The segment starting at s: its length up to '/' or the end. */
static size_t seg_len(const char *s)
{
	const char *slash = strchr(s, '/');
	return slash ? (size_t)(slash - s) : strlen(s);
}

enum rbm_rc rbm_web_route_match(const char *pattern, const char *path, struct rbm_arena *arena,
				struct rbm_web_kv *params, size_t *params_len)
{
	if (pattern[0] != '/' || path[0] != '/')
		return RBM_ENOENT;
	const char *pp = pattern + 1, *sp = path + 1;
	size_t n = 0;
	struct rbm_web_kv found[RBM_WEB_MAX_PARAMS];
	for (;;) {
		size_t plen = seg_len(pp), slen = seg_len(sp);
		bool param = plen >= 2 && pp[0] == '{' && pp[plen - 1] == '}';
		bool rest = param && plen >= 5 && memcmp(pp + plen - 4, "...}", 4) == 0;
		if (param && n >= RBM_WEB_MAX_PARAMS)
			return RBM_ENOENT; /* a pattern with too many parameters matches nothing */
		if (rest) {
			char *v;
			if (rbm_web_url_decode(arena, sp, strlen(sp), false, &v) != RBM_OK)
				return RBM_EINVAL;
			size_t nlen = plen - 5;
			char *name = rbm_arena_alloc(arena, nlen + 1);
			memcpy(name, pp + 1, nlen);
			found[n++] = (struct rbm_web_kv){name, v};
			break;
		}
		if (param) {
			if (slen == 0)
				return RBM_ENOENT;
			char *v;
			if (rbm_web_url_decode(arena, sp, slen, false, &v) != RBM_OK)
				return RBM_EINVAL;
			size_t nlen = plen - 2;
			char *name = rbm_arena_alloc(arena, nlen + 1);
			memcpy(name, pp + 1, nlen);
			found[n++] = (struct rbm_web_kv){name, v};
		} else if (plen != slen || memcmp(pp, sp, plen) != 0) {
			return RBM_ENOENT;
		}
		pp += plen;
		sp += slen;
		if (*pp == '\0' && *sp == '\0')
			break;
		if (*pp == '\0' || *sp == '\0')
			return RBM_ENOENT;
		pp++; /* both at '/' */
		sp++;
	}
	memcpy(params, found, n * sizeof *found);
	*params_len = n;
	return RBM_OK;
}

/*
 * Checks the whole path once: well-formed escapes, no NUL, no "." or ".."
 * segment (raw or encoded), so that no route ever sees one. NULL when fine,
 * else why not.
 */
static const char *path_problem(struct rbm_arena *arena, const char *path)
{
	if (path[0] != '/')
		return "The path must begin with '/'.";
	const char *s = path + 1;
	for (;;) {
		size_t len = seg_len(s);
		char *seg;
		if (rbm_web_url_decode(arena, s, len, false, &seg) != RBM_OK)
			return "The path holds a malformed escape or a NUL byte.";
		if (strcmp(seg, ".") == 0 || strcmp(seg, "..") == 0)
			return "The path may not hold '.' or '..' segments.";
		s += len;
		if (*s == '\0')
			return NULL;
		s++;
	}
}

/* ---- answering ---- */

static int status_for(enum rbm_rc rc)
{
	switch (rc) {
	case RBM_EINVAL: return 400;
	case RBM_ENOENT: return 404;
	case RBM_ETOOBIG: return 413;
	case RBM_ECONFLICT: return 409;
	default: return 500;
	}
}

/* "GET, HEAD, POST" for the methods in mask (bit per enum rbm_web_method). */
static const char *allow_list(struct rbm_arena *arena, unsigned mask)
{
	char buf[128] = "";
	size_t used = 0;
	for (int m = RBM_WEB_GET; m < RBM_WEB_OTHER; m++) {
		if (!(mask & (1u << m)))
			continue;
		int w = snprintf(buf + used, sizeof buf - used, "%s%s", used ? ", " : "",
				 rbm_web_method_name((enum rbm_web_method)m));
		if (w > 0 && (size_t)w < sizeof buf - used)
			used += (size_t)w;
	}
	return rbm_arena_strdup(arena, buf);
}

/* A weak entity tag from the body: its length and 64-bit FNV-1a hash. */
static const char *body_etag(struct rbm_arena *arena, const struct rbm_buf *body)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < body->len; i++) {
		h ^= (unsigned char)body->data[i];
		h *= 0x100000001b3u;
	}
	char tag[64];
	snprintf(tag, sizeof tag, "W/\"%zx-%016" PRIx64 "\"", body->len, h);
	return rbm_arena_strdup(arena, tag);
}

static void guarded(struct rbm_web_req *req, struct rbm_web_resp *resp,
		    const struct rbm_web_route *chosen);

static void run_route(struct rbm_web_req *req, struct rbm_web_resp *resp,
		      const struct rbm_web_route *table)
{
	if (req->bad != RBM_OK) {
		rbm_web_resp_error(req, resp, 400, req->bad_why);
		return;
	}
	if (strlen(req->path) > RBM_WEB_PATH_MAX) {
		rbm_web_resp_error(req, resp, 414, NULL);
		return;
	}
	const char *why = path_problem(req->arena, req->path);
	if (why) {
		rbm_web_resp_error(req, resp, 400, why);
		return;
	}

	const struct rbm_web_route *chosen = NULL;
	unsigned allowed = 0;
	for (const struct rbm_web_route *r = table; r->pattern; r++) {
		struct rbm_web_kv params[RBM_WEB_MAX_PARAMS];
		size_t n = 0;
		enum rbm_rc rc = rbm_web_route_match(r->pattern, req->path, req->arena, params, &n);
		if (rc == RBM_EINVAL) {
			rbm_web_resp_error(req, resp, 400, "The path holds a malformed escape.");
			return;
		}
		if (rc != RBM_OK)
			continue;
		allowed |= 1u << r->method;
		if (r->method == RBM_WEB_GET)
			allowed |= 1u << RBM_WEB_HEAD;
		bool fits = r->method == req->method ||
			    (r->method == RBM_WEB_GET && req->method == RBM_WEB_HEAD);
		if (fits && chosen == NULL) {
			chosen = r;
			memcpy(req->params, params, n * sizeof *params);
			req->params_len = n;
		}
	}
	if (allowed == 0) {
		rbm_web_resp_error(req, resp, 404, NULL);
		return;
	}
	if (chosen == NULL) {
		const char *allow = allow_list(req->arena, allowed | 1u << RBM_WEB_OPTIONS);
		if (req->method == RBM_WEB_OPTIONS) {
			rbm_web_resp_text(resp, 204, NULL, "");
		} else {
			rbm_web_resp_error(req, resp, 405, NULL);
		}
		rbm_web_resp_header(resp, "Allow", allow);
		return;
	}

	/* Requests that touch the database take turns on its one connection. */
	pthread_mutex_t *lock = NULL;
	if (req->app && req->app->cache && chosen->handle != rbm_web__static &&
	    chosen->handle != rbm_web__healthz) {
		lock = &req->app->cache->lock;
		pthread_mutex_lock(lock);
	}
	guarded(req, resp, chosen);
	if (lock)
		pthread_mutex_unlock(lock);
}

/* True when the request carries the session's CSRF token (field _csrf or X-CSRF-Token). */
static bool csrf_ok(struct rbm_web_req *req, const struct rbm_web_user *u)
{
	if (u->csrf == NULL)
		return true; /* a bearer token: no cookie, so no cross-site forgery */
	const char *given = req->csrf_token ? req->csrf_token : rbm_web_form(req, "_csrf");
	size_t n = strlen(u->csrf);
	return given && strlen(given) == n && sodium_memcmp(given, u->csrf, n) == 0;
}

/* Appends s percent-encoded for a query value (unreserved characters and '/' kept). */
static void next_escaped(struct rbm_buf *b, const char *s)
{
	for (const char *c = s; *c; c++) {
		if (strchr("/-_.~", *c) || (*c >= '0' && *c <= '9') || ((*c | 0x20) >= 'a' && (*c | 0x20) <= 'z'))
			rbm_buf_addc(b, *c);
		else
			rbm_buf_addf(b, "%%%02X", (unsigned char)*c);
	}
}

/* A decoded query part, encoded for the next page's query and again for the next= value. */
static void escape_twice(struct rbm_buf *b, const char *s)
{
	struct rbm_buf once;
	rbm_buf_init(&once, 4096);
	next_escaped(&once, s);
	next_escaped(b, once.len ? rbm_buf_str(&once) : "");
	rbm_buf_free(&once);
}

static void guarded(struct rbm_web_req *req, struct rbm_web_resp *resp,
		    const struct rbm_web_route *chosen)
{
	bool writes = req->method != RBM_WEB_GET && req->method != RBM_WEB_HEAD &&
		      req->method != RBM_WEB_OPTIONS;
	if (writes) {
		const char *why = rbm_web_form_bad(req);
		if (why) {
			rbm_web_resp_error(req, resp, req->bad == RBM_ETOOBIG ? 413 : 400, why);
			return;
		}
	}
	if (chosen->role != RBM_WEB_PUBLIC) {
		const struct rbm_web_user *u = rbm_web_req_user(req);
		if (u == NULL && !rbm_web_is_api(req) && req->method == RBM_WEB_GET) {
			/* A browser is sent to the sign-in page, and back here after it. */
			struct rbm_buf to;
			rbm_buf_init(&to, 4096);
			rbm_buf_adds(&to, "/signin?next=");
			next_escaped(&to, req->path);
			for (size_t i = 0; i < req->query_len; i++) {
				/* The query comes back too, encoded again: "?a=1&b=x%20y" escaped as a whole. */
				rbm_buf_adds(&to, i ? "%26" : "%3F");
				escape_twice(&to, req->query[i].name);
				rbm_buf_adds(&to, "%3D");
				escape_twice(&to, req->query[i].value);
			}
			rbm_web_resp_redirect(resp, to.len && to.data ? to.data : "/signin");
			rbm_buf_free(&to);
			return;
		}
		if (u == NULL) {
			rbm_web_resp_error(req, resp, 401, "Sign in to see this page.");
			return;
		}
		if (!rbm_web_role_allows(u, chosen->role)) {
			/* In the page's language for pages; problems under /api/ stay English. */
			enum rbm_lang lang = rbm_web_is_api(req) ? RBM_LANG_EN : rbm_web_lang(req);
			char detail[320];
			snprintf(detail, sizeof detail, TR("This needs the %s role; you are a %s."),
				 TR(rbm_web_role_name(chosen->role)), TR(rbm_web_role_name(u->role)));
			rbm_web_resp_error(req, resp, 403, detail);
			return;
		}
		if (writes && !csrf_ok(req, u)) {
			rbm_web_resp_error(req, resp, 403,
					   "The form is out of date or came from another site (its CSRF "
					   "token does not match your session); reload the page and try again.");
			return;
		}
	}

	enum rbm_rc rc = chosen->handle(req, resp);
	if (resp->status == 0)
		rbm_web_resp_error(req, resp, rc == RBM_OK ? 500 : status_for(rc),
				   rc == RBM_OK ? "The page answered nothing." : NULL);
}

void rbm_web_dispatch(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	const struct rbm_web_route *table =
		req->app && req->app->routes ? req->app->routes : rbm_web_routes;
	run_route(req, resp, table);

	rbm_web_resp_header(resp, "X-Content-Type-Options", "nosniff");
	if (resp->content_type && strncmp(resp->content_type, "text/html", 9) == 0) {
		rbm_web_resp_header(resp, "Content-Security-Policy",
				    "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
		rbm_web_resp_header(resp, "Referrer-Policy", "same-origin");
	}

	if (resp->status != 200 || (req->method != RBM_WEB_GET && req->method != RBM_WEB_HEAD))
		return;
	if (resp->etag == NULL)
		resp->etag = body_etag(resp->arena, &resp->body);
	if (rbm_web_etag_matches(req->if_none_match, resp->etag)) {
		/*
		 * HTTP sends no body with a 304, but the body stays: the server reports
		 * its length, as RFC 9110 8.6 asks of a Content-Length in a 304.
		 */
		resp->status = 304;
	}
}
