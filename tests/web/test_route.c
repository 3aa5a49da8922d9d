/*
 * test_route.c - the web front-end without a server: the route table,
 * pattern matching and parameters, 404/405, role refusals (HTML, and RFC
 * 9457 problems for /api/), path traversal, ETag/304, and the request
 * helpers (query, languages, gzip negotiation). Pages are rendered into a
 * buffer exactly as the server would send them.
 */
#include "harness/test.h"

#include "web/web.h"
#include "web/web_int.h"

#include <jansson.h>
#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* ---- one request, rendered ---- */

struct ex {
	struct rbm_arena *arena;
	struct rbm_web_req req;
	struct rbm_web_resp resp;
};

/* Readies a request for method and target ("/path?query"). */
static void ex_begin(struct ex *x, const struct rbm_web_app *app, const char *method,
		     const char *target)
{
	x->arena = rbm_arena_new();
	const char *q = strchr(target, '?');
	char *path = rbm_arena_alloc(x->arena, strlen(target) + 1);
	size_t plen = q ? (size_t)(q - target) : strlen(target);
	memcpy(path, target, plen);
	rbm_web_req_init(&x->req, app, x->arena, method, path);
	if (q)
		rbm_web_req_set_query(&x->req, q + 1);
	rbm_web_resp_init(&x->resp, x->arena);
}

static void ex_end(struct ex *x)
{
	rbm_web_resp_cleanup(&x->resp);
	rbm_arena_free(x->arena);
	memset(x, 0, sizeof *x);
}

/* Renders method target through app's routes; the answer is in x->resp. */
static void render(struct ex *x, const struct rbm_web_app *app, const char *method,
		   const char *target)
{
	ex_begin(x, app, method, target);
	rbm_web_dispatch(&x->req, &x->resp);
}

static const char *body(const struct ex *x)
{
	return rbm_buf_str(&x->resp.body);
}

/* True when the body is well-formed XML (the pages are polyglot HTML). */
static bool well_formed(const struct ex *x)
{
	xmlDocPtr doc = xmlReadMemory(x->resp.body.data, (int)x->resp.body.len, "page.html", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlFreeDoc(doc);
	return doc != NULL;
}

static struct rbm_web_app default_app(void)
{
	struct rbm_web_app app = {0};
	app.data_dir = "data";
	return app;
}

/* ---- a table of our own, with roles ---- */

static int auth_calls;

/* The hook: "Bearer ROLE" signs in as a user holding ROLE. */
static const struct rbm_web_user *fake_auth(struct rbm_web_req *req, void *ctx)
{
	(void)ctx;
	auth_calls++;
	static const struct {
		const char *token;
		struct rbm_web_user user;
	} users[] = {
		{"Bearer viewer", {"vera", RBM_WEB_VIEWER, NULL, NULL, NULL}},
		{"Bearer reporter", {"rita", RBM_WEB_REPORTER, NULL, NULL, NULL}},
		{"Bearer reviewer", {"rene", RBM_WEB_REVIEWER, NULL, NULL, NULL}},
		{"Bearer editor", {"eddy", RBM_WEB_EDITOR, NULL, NULL, NULL}},
		{"Bearer admin", {"ada", RBM_WEB_ADMIN, NULL, NULL, NULL}},
		/* A browser's session: state-changing requests must carry its CSRF token. */
		{"Session reviewer", {"rosa", RBM_WEB_REVIEWER, NULL,
				      "1111111111111111111111111111111111111111111111111111111111111111", "s"}},
	};
	for (size_t i = 0; req->authorization && i < sizeof users / sizeof *users; i++)
		if (strcmp(req->authorization, users[i].token) == 0)
			return &users[i].user;
	return NULL;
}

/* Echoes the route parameters and the user: "cycle=2021 id=7 user=ada". */
static enum rbm_rc echo(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	for (size_t i = 0; i < req->params_len; i++)
		rbm_buf_addf(&b, "%s=%s ", req->params[i].name, req->params[i].value);
	const struct rbm_web_user *u = rbm_web_req_user(req);
	rbm_buf_addf(&b, "user=%s", u ? u->name : "-");
	enum rbm_rc rc = rbm_web_resp_text(resp, 200, "text/plain; charset=utf-8", rbm_buf_str(&b));
	rbm_buf_free(&b);
	return rc;
}

static enum rbm_rc missing(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	(void)req;
	(void)resp;
	return RBM_ENOENT;
}

static enum rbm_rc silent(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	(void)req;
	(void)resp;
	return RBM_OK;
}

static const struct rbm_web_route table[] = {
	{RBM_WEB_GET, "/", RBM_WEB_PUBLIC, echo, "home"},
	{RBM_WEB_GET, "/results/{cycle}", RBM_WEB_VIEWER, echo, "results"},
	{RBM_WEB_GET, "/api/v1/results/{cycle}", RBM_WEB_VIEWER, echo, "results"},
	{RBM_WEB_POST, "/api/v1/submissions/{id}/approve", RBM_WEB_REVIEWER, echo, "approve"},
	{RBM_WEB_GET, "/api/v1/submissions/{id}", RBM_WEB_REPORTER, echo, "read"},
	{RBM_WEB_PUT, "/api/v1/submissions/{id}", RBM_WEB_REPORTER, echo, "write"},
	{RBM_WEB_GET, "/admin/users", RBM_WEB_ADMIN, echo, "users"},
	{RBM_WEB_GET, "/files/{path...}", RBM_WEB_PUBLIC, echo, "files"},
	{RBM_WEB_GET, "/missing", RBM_WEB_PUBLIC, missing, "handler says ENOENT"},
	{RBM_WEB_GET, "/silent", RBM_WEB_PUBLIC, silent, "handler answers nothing"},
	{RBM_WEB_GET, NULL, RBM_WEB_PUBLIC, NULL, NULL},
};

static struct rbm_web_app table_app(void)
{
	struct rbm_web_app app = {0};
	app.routes = table;
	app.authenticate = fake_auth;
	return app;
}

/* ---- matching ---- */

static void match_patterns(void)
{
	struct rbm_arena *a = rbm_arena_new();
	struct rbm_web_kv p[RBM_WEB_MAX_PARAMS];
	size_t n = 99;
	CHECK_INT(rbm_web_route_match("/healthz", "/healthz", a, p, &n), RBM_OK);
	CHECK_INT(n, 0);
	CHECK_INT(rbm_web_route_match("/", "/", a, p, &n), RBM_OK);
	CHECK_INT(rbm_web_route_match("/healthz", "/healthz/", a, p, &n), RBM_ENOENT);
	CHECK_INT(rbm_web_route_match("/healthz", "/health", a, p, &n), RBM_ENOENT);
	CHECK_INT(rbm_web_route_match("/healthz", "/healthzz", a, p, &n), RBM_ENOENT);
	CHECK_INT(rbm_web_route_match("/healthz", "healthz", a, p, &n), RBM_ENOENT);
	CHECK_INT(rbm_web_route_match("/a/{x}/b/{y}", "/a/1/b/two%20words", a, p, &n), RBM_OK);
	CHECK_INT(n, 2);
	CHECK_STR(p[0].name, "x");
	CHECK_STR(p[0].value, "1");
	CHECK_STR(p[1].name, "y");
	CHECK_STR(p[1].value, "two words");
	/* A {param} is one non-empty segment; an encoded slash stays inside it. */
	CHECK_INT(rbm_web_route_match("/a/{x}", "/a/", a, p, &n), RBM_ENOENT);
	CHECK_INT(rbm_web_route_match("/a/{x}", "/a/1/2", a, p, &n), RBM_ENOENT);
	CHECK_INT(rbm_web_route_match("/a/{x}", "/a/1%2F2", a, p, &n), RBM_OK);
	CHECK_STR(p[0].value, "1/2");
	/* {rest...} takes the rest of the path, maybe empty. */
	CHECK_INT(rbm_web_route_match("/s/{path...}", "/s/css/rbm.css", a, p, &n), RBM_OK);
	CHECK_INT(n, 1);
	CHECK_STR(p[0].name, "path");
	CHECK_STR(p[0].value, "css/rbm.css");
	CHECK_INT(rbm_web_route_match("/s/{path...}", "/s/", a, p, &n), RBM_OK);
	CHECK_STR(p[0].value, "");
	CHECK_INT(rbm_web_route_match("/s/{path...}", "/s", a, p, &n), RBM_ENOENT);
	/* Malformed escapes and encoded NULs are errors, not mismatches. */
	CHECK_INT(rbm_web_route_match("/a/{x}", "/a/%zz", a, p, &n), RBM_EINVAL);
	CHECK_INT(rbm_web_route_match("/a/{x}", "/a/%4", a, p, &n), RBM_EINVAL);
	CHECK_INT(rbm_web_route_match("/a/{x}", "/a/x%00y", a, p, &n), RBM_EINVAL);
	rbm_arena_free(a);
}

static void url_decoding(void)
{
	struct rbm_arena *a = rbm_arena_new();
	char *s;
	CHECK_INT(rbm_web_url_decode(a, "a%20b+c%2B", 10, true, &s), RBM_OK);
	CHECK_STR(s, "a b c+");
	CHECK_INT(rbm_web_url_decode(a, "a+b", 3, false, &s), RBM_OK);
	CHECK_STR(s, "a+b");
	CHECK_INT(rbm_web_url_decode(a, "%E2%82%ac", 9, false, &s), RBM_OK);
	CHECK_STR(s, "\xe2\x82\xac");
	s = NULL;
	CHECK_INT(rbm_web_url_decode(a, "%00", 3, false, &s), RBM_EINVAL);
	CHECK(s == NULL);
	CHECK_INT(rbm_web_url_decode(a, "%", 1, false, &s), RBM_EINVAL);
	CHECK_INT(rbm_web_url_decode(a, "%g1", 3, false, &s), RBM_EINVAL);
	rbm_arena_free(a);
}

/* ---- the real table ---- */

static void healthz_and_version(void)
{
	struct rbm_web_app app = default_app();
	struct ex x;
	render(&x, &app, "GET", "/healthz");
	CHECK_INT(x.resp.status, 200);
	CHECK_STR(body(&x), "ok\n");
	CHECK_STR(x.resp.content_type, "text/plain; charset=utf-8");
	CHECK_STR(rbm_web_resp_get_header(&x.resp, "Cache-Control"), "no-store");
	CHECK(x.resp.etag != NULL);
	ex_end(&x);

	render(&x, &app, "HEAD", "/healthz");
	CHECK_INT(x.resp.status, 200);
	CHECK_STR(body(&x), "ok\n"); /* the server sends the headers only */
	ex_end(&x);

	render(&x, &app, "GET", "/api/v1/version");
	CHECK_INT(x.resp.status, 200);
	CHECK_STR(x.resp.content_type, "application/json; charset=utf-8");
	json_error_t e;
	json_t *j = json_loads(body(&x), 0, &e);
	CHECK(j != NULL);
	CHECK_STR(json_string_value(json_object_get(j, "name")), "rbm");
	CHECK_STR(json_string_value(json_object_get(j, "version")), RBM_VERSION);
	CHECK_INT(json_integer_value(json_object_get(j, "api")), 1);
	CHECK(json_integer_value(json_object_get(j, "schema")) > 0);
	json_decref(j);
	ex_end(&x);
}

/* GET /api/v1/plan serves the app's plan JSON as is, and a problem when there is none. */
static void plan_route(void)
{
	struct rbm_web_app app = default_app();
	struct ex x;
	render(&x, &app, "GET", "/api/v1/plan");
	CHECK_INT(x.resp.status, 404);
	CHECK_STR(x.resp.content_type, "application/problem+json");
	CHECK(strstr(body(&x), "holds no plan yet") != NULL);
	ex_end(&x);
	render(&x, &app, "GET", "/api/v1/offices"); /* the offices come from the plan */
	CHECK_INT(x.resp.status, 404);
	CHECK(strstr(body(&x), "holds no plan yet") != NULL);
	ex_end(&x);

	app.plan_json = "{\"code\": \"TEST-2020\"}\n";
	render(&x, &app, "GET", "/api/v1/plan");
	CHECK_INT(x.resp.status, 200);
	CHECK_STR(x.resp.content_type, "application/json; charset=utf-8");
	CHECK_STR(body(&x), app.plan_json);
	CHECK_STR(rbm_web_resp_get_header(&x.resp, "Cache-Control"), "no-cache");
	ex_end(&x);

	render(&x, &app, "POST", "/api/v1/plan"); /* the plan is changed with 'rbm init', not here */
	CHECK_INT(x.resp.status, 405);
	ex_end(&x);
}

/* GET /api/v1/cycles needs the database: without one it says so (503), as a problem. */
static void cycles_without_database(void)
{
	struct rbm_web_app app = default_app();
	struct ex x;
	render(&x, &app, "GET", "/api/v1/cycles");
	CHECK_INT(x.resp.status, 503);
	CHECK_STR(x.resp.content_type, "application/problem+json");
	CHECK(strstr(body(&x), "no database open") != NULL);
	ex_end(&x);
}

static void not_found_and_method(void)
{
	struct rbm_web_app app = default_app();
	struct ex x;
	render(&x, &app, "GET", "/no/such/page");
	CHECK_INT(x.resp.status, 404);
	CHECK_STR(x.resp.content_type, "text/html; charset=utf-8");
	CHECK_HAS(body(&x), "<h1>404 Not Found</h1>");
	CHECK_HAS(body(&x), "<html lang=\"en\" dir=\"ltr\">");
	CHECK(well_formed(&x));
	CHECK(x.resp.etag == NULL); /* only 200s get one */
	ex_end(&x);

	render(&x, &app, "GET", "/api/v1/none");
	CHECK_INT(x.resp.status, 404);
	CHECK_STR(x.resp.content_type, "application/problem+json");
	CHECK_STR(body(&x), "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
			    "\"detail\":\"There is no page at this address.\",\"instance\":\"/api/v1/none\"}\n");
	ex_end(&x);

	render(&x, &app, "POST", "/healthz");
	CHECK_INT(x.resp.status, 405);
	CHECK_STR(rbm_web_resp_get_header(&x.resp, "Allow"), "GET, HEAD, OPTIONS");
	CHECK(well_formed(&x));
	ex_end(&x);

	render(&x, &app, "DELETE", "/api/v1/version");
	CHECK_INT(x.resp.status, 405);
	CHECK_STR(x.resp.content_type, "application/problem+json");
	CHECK_HAS(body(&x), "\"title\":\"Method Not Allowed\",\"status\":405");
	ex_end(&x);

	render(&x, &app, "PROPFIND", "/healthz");
	CHECK_INT(x.resp.status, 405);
	ex_end(&x);

	render(&x, &app, "OPTIONS", "/api/v1/version");
	CHECK_INT(x.resp.status, 204);
	CHECK_STR(body(&x), "");
	CHECK_STR(rbm_web_resp_get_header(&x.resp, "Allow"), "GET, HEAD, OPTIONS");
	ex_end(&x);

	/* Several methods on one path: Allow lists them all. */
	struct rbm_web_app t = table_app();
	render(&x, &t, "DELETE", "/api/v1/submissions/7");
	CHECK_INT(x.resp.status, 405);
	CHECK_STR(rbm_web_resp_get_header(&x.resp, "Allow"), "GET, HEAD, PUT, OPTIONS");
	ex_end(&x);
}

static void params_reach_the_handler(void)
{
	struct rbm_web_app app = table_app();
	struct ex x;
	render(&x, &app, "GET", "/");
	CHECK_INT(x.resp.status, 200);
	CHECK_STR(body(&x), "user=-");
	ex_end(&x);

	ex_begin(&x, &app, "POST", "/api/v1/submissions/42/approve");
	x.req.authorization = "Bearer reviewer";
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 200);
	CHECK_STR(body(&x), "id=42 user=rene");
	ex_end(&x);

	render(&x, &app, "GET", "/files/a/b%20c.txt");
	CHECK_STR(body(&x), "path=a/b c.txt user=-");
	ex_end(&x);

	/* A handler's error becomes the matching status; an empty answer is a 500. */
	render(&x, &app, "GET", "/missing");
	CHECK_INT(x.resp.status, 404);
	ex_end(&x);
	render(&x, &app, "GET", "/silent");
	CHECK_INT(x.resp.status, 500);
	ex_end(&x);
}

static void roles_refuse(void)
{
	struct rbm_web_app app = table_app();
	struct ex x;

	/* Nobody signed in: a browser asking for a page goes to the sign-in form and back. */
	auth_calls = 0;
	render(&x, &app, "GET", "/results/2021");
	CHECK_INT(x.resp.status, 303);
	CHECK_INT(auth_calls, 1);
	CHECK_STR(rbm_web_resp_get_header(&x.resp, "Location"), "/signin?next=/results/2021");
	ex_end(&x);
	/* A form posted without a session: 401 as a page. */
	render(&x, &app, "POST", "/results/2021");
	CHECK(x.resp.status == 401 || x.resp.status == 405);
	ex_end(&x);

	render(&x, &app, "GET", "/api/v1/results/2021");
	CHECK_INT(x.resp.status, 401);
	CHECK_STR(x.resp.content_type, "application/problem+json");
	CHECK_STR(body(&x), "{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,"
			    "\"detail\":\"Sign in to see this page.\",\"instance\":\"/api/v1/results/2021\"}\n");
	ex_end(&x);

	/* Signed in, but not the role: 403 names both roles. */
	ex_begin(&x, &app, "POST", "/api/v1/submissions/42/approve");
	x.req.authorization = "Bearer reporter";
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 403);
	CHECK_STR(x.resp.content_type, "application/problem+json");
	CHECK_STR(body(&x), "{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
			    "\"detail\":\"This needs the reviewer role; you are a reporter.\","
			    "\"instance\":\"/api/v1/submissions/42/approve\"}\n");
	ex_end(&x);

	ex_begin(&x, &app, "GET", "/admin/users");
	x.req.authorization = "Bearer editor";
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 403);
	CHECK_HAS(body(&x), "<h1>403 Forbidden</h1>");
	CHECK(well_formed(&x));
	ex_end(&x);

	/* An unknown token is nobody. */
	ex_begin(&x, &app, "GET", "/api/v1/results/2021");
	x.req.authorization = "Bearer forged";
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 401);
	ex_end(&x);

	/* Any signed-in user is a viewer; an administrator passes everything. */
	const char *viewers[] = {"Bearer viewer", "Bearer reporter", "Bearer reviewer",
				 "Bearer editor", "Bearer admin"};
	for (size_t i = 0; i < 5; i++) {
		ex_begin(&x, &app, "GET", "/api/v1/results/2021");
		x.req.authorization = viewers[i];
		rbm_web_dispatch(&x.req, &x.resp);
		CHECK_INT(x.resp.status, 200);
		CHECK_HAS(body(&x), "cycle=2021 user=");
		ex_end(&x);
	}
	auth_calls = 0;
	ex_begin(&x, &app, "GET", "/admin/users");
	x.req.authorization = "Bearer admin";
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 200);
	CHECK_STR(body(&x), "user=ada");
	CHECK_INT(auth_calls, 1); /* asked once, though the router and the handler both wanted it */
	ex_end(&x);

	/* No hook: nobody is ever signed in. */
	app.authenticate = NULL;
	ex_begin(&x, &app, "GET", "/admin/users");
	x.req.authorization = "Bearer admin";
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 303); /* to the sign-in form */
	ex_end(&x);
}

static void role_rule(void)
{
	struct rbm_web_user u = {"u", RBM_WEB_VIEWER, NULL, NULL, NULL};
	CHECK(rbm_web_role_allows(NULL, RBM_WEB_PUBLIC));
	CHECK(!rbm_web_role_allows(NULL, RBM_WEB_VIEWER));
	CHECK(rbm_web_role_allows(&u, RBM_WEB_VIEWER));
	CHECK(!rbm_web_role_allows(&u, RBM_WEB_REPORTER));
	u.role = RBM_WEB_REVIEWER;
	CHECK(rbm_web_role_allows(&u, RBM_WEB_REVIEWER));
	CHECK(!rbm_web_role_allows(&u, RBM_WEB_REPORTER)); /* roles are not a ladder */
	CHECK(!rbm_web_role_allows(&u, RBM_WEB_EDITOR));
	CHECK(!rbm_web_role_allows(&u, RBM_WEB_ADMIN));
	u.role = RBM_WEB_ADMIN;
	for (int r = RBM_WEB_PUBLIC; r <= RBM_WEB_ADMIN; r++)
		CHECK(rbm_web_role_allows(&u, (enum rbm_web_role)r));
	u.role = RBM_WEB_PUBLIC; /* a hook that returns a "public" user signs nobody in */
	CHECK(!rbm_web_role_allows(&u, RBM_WEB_VIEWER));
	CHECK_STR(rbm_web_role_name(RBM_WEB_ADMIN), "administrator");
}

/* ---- static files and traversal ---- */

static void static_files(void)
{
	struct rbm_web_app app = default_app();
	struct ex x;
	render(&x, &app, "GET", "/static/rbm.css");
	CHECK_INT(x.resp.status, 200);
	CHECK_STR(x.resp.content_type, "text/css; charset=utf-8");
	size_t len;
	char *css = test_read_file("data/web/rbm.css", &len);
	CHECK(css != NULL);
	CHECK_INT(x.resp.body.len, len);
	CHECK(memcmp(x.resp.body.data, css, len) == 0);
	free(css);
	CHECK(x.resp.etag != NULL);
	char etag[64];
	snprintf(etag, sizeof etag, "%s", x.resp.etag);
	ex_end(&x);

	/* The same ETag again: 304. Another: 200. */
	ex_begin(&x, &app, "GET", "/static/rbm.css");
	x.req.if_none_match = etag;
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 304);
	CHECK_STR(x.resp.etag, etag);
	ex_end(&x);
	ex_begin(&x, &app, "GET", "/static/rbm.css");
	x.req.if_none_match = "\"something-else\"";
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 200);
	ex_end(&x);

	render(&x, &app, "GET", "/static/none.css");
	CHECK_INT(x.resp.status, 404);
	ex_end(&x);
	render(&x, &app, "GET", "/static/");
	CHECK_INT(x.resp.status, 404);
	ex_end(&x);
}

static void traversal_refused(void)
{
	/* A data folder with a secret beside web/, and a link from web/ to it. */
	char dir[512], path[600], target[600];
	snprintf(dir, sizeof dir, "%s/data", test_tmpdir());
	snprintf(path, sizeof path, "%s/web", dir);
	CHECK(mkdir(dir, 0700) == 0 && mkdir(path, 0700) == 0);
	snprintf(path, sizeof path, "%s/secret.txt", dir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	fputs("the secret\n", f);
	fclose(f);
	snprintf(target, sizeof target, "%s/web/link.txt", dir);
	CHECK(symlink(path, target) == 0);
	snprintf(path, sizeof path, "%s/web/ok.txt", dir);
	f = fopen(path, "w");
	CHECK(f != NULL);
	fputs("fine\n", f);
	fclose(f);

	struct rbm_web_app app = {0};
	app.data_dir = dir;
	struct ex x;
	render(&x, &app, "GET", "/static/ok.txt");
	CHECK_INT(x.resp.status, 200);
	CHECK_STR(body(&x), "fine\n");
	ex_end(&x);

	static const struct {
		const char *target;
		int status;
	} cases[] = {
		{"/static/../secret.txt", 400},
		{"/static/%2e%2e/secret.txt", 400},
		{"/static/%2E%2E/secret.txt", 400},
		{"/static/.%2e/secret.txt", 400},
		{"/static/..%2fsecret.txt", 400},
		{"/static/ok.txt/../../secret.txt", 400},
		{"/static/./ok.txt", 400},
		{"/static//etc/passwd", 400},
		{"/static/%2fetc/passwd", 400},
		{"/static/%2Fetc%2Fpasswd", 400},
		{"/static/ok.txt%00.css", 400},
		{"/static/%00", 400},
		{"/static/.hidden", 400},
		{"/static/a\\..\\secret.txt", 400},
		{"/static/%zz", 400},
		{"/../secret.txt", 400},
		{"/static/link.txt", 404}, /* a link out of web/ is as good as absent */
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		render(&x, &app, "GET", cases[i].target);
		if (x.resp.status != cases[i].status || strstr(body(&x), "the secret")) {
			test_fail(__FILE__, __LINE__, "%s: status %d, expected %d", cases[i].target,
				  x.resp.status, cases[i].status);
			ex_end(&x);
			return;
		}
		ex_end(&x);
	}

	CHECK(rbm_web__safe_relpath("rbm.css"));
	CHECK(rbm_web__safe_relpath("img/logo.svg"));
	CHECK(!rbm_web__safe_relpath(""));
	CHECK(!rbm_web__safe_relpath(NULL));
	CHECK(!rbm_web__safe_relpath("/etc/passwd"));
	CHECK(!rbm_web__safe_relpath("a//b"));
	CHECK(!rbm_web__safe_relpath("a/"));
	CHECK(!rbm_web__safe_relpath("../x"));
	CHECK(!rbm_web__safe_relpath("a/../x"));
	CHECK(!rbm_web__safe_relpath("a/./x"));
	CHECK(!rbm_web__safe_relpath(".git/config"));
	CHECK(!rbm_web__safe_relpath("a\\b"));
	CHECK(!rbm_web__safe_relpath("a\nb"));
}

/* ---- request helpers ---- */

static void query_parameters(void)
{
	struct rbm_web_app app = default_app();
	struct ex x;
	ex_begin(&x, &app, "GET", "/x?a=1&b=two+words&c=%41%2B&flag&&=empty&a=again");
	CHECK_INT(x.req.bad, RBM_OK);
	CHECK_STR(rbm_web_query(&x.req, "a"), "1");
	CHECK_STR(rbm_web_query(&x.req, "b"), "two words");
	CHECK_STR(rbm_web_query(&x.req, "c"), "A+");
	CHECK_STR(rbm_web_query(&x.req, "flag"), "");
	CHECK_STR(rbm_web_query(&x.req, ""), "empty");
	CHECK(rbm_web_query(&x.req, "d") == NULL);
	CHECK_INT(x.req.query_len, 6);
	ex_end(&x);

	/* An encoded NUL or a bad escape makes the request bad: 400 before any route. */
	render(&x, &app, "GET", "/healthz?a=%00");
	CHECK_INT(x.resp.status, 400);
	CHECK_HAS(body(&x), "not well percent-encoded");
	ex_end(&x);
	render(&x, &app, "GET", "/api/v1/version?x=%G0");
	CHECK_INT(x.resp.status, 400);
	CHECK_STR(x.resp.content_type, "application/problem+json");
	ex_end(&x);

	/* Too many parameters. */
	struct rbm_buf q;
	rbm_buf_init(&q, 0);
	rbm_buf_adds(&q, "/healthz?");
	for (int i = 0; i <= RBM_WEB_MAX_QUERY; i++)
		rbm_buf_addf(&q, "p%d=%d&", i, i);
	render(&x, &app, "GET", rbm_buf_str(&q));
	rbm_buf_free(&q);
	CHECK_INT(x.resp.status, 400);
	CHECK_HAS(body(&x), "too many query parameters");
	ex_end(&x);
}

static void languages(void)
{
	struct rbm_web_app app = default_app();
	static const struct {
		const char *accept, *query;
		enum rbm_lang want;
	} cases[] = {
		{NULL, NULL, RBM_LANG_EN},
		{"fr", NULL, RBM_LANG_FR},
		{"fr-CA,fr;q=0.9,en;q=0.8", NULL, RBM_LANG_FR},
		{"de-DE, es;q=0.5, ar;q=0.7", NULL, RBM_LANG_AR},
		{"zh-Hans-CN", NULL, RBM_LANG_ZH},
		{"RU", NULL, RBM_LANG_RU},
		{"de, ja", NULL, RBM_LANG_EN},
		{"fr;q=0, es", NULL, RBM_LANG_ES},
		{"*;q=0.5, ru;q=0.1", NULL, RBM_LANG_RU},
		{"es;q=0.5, fr;q=0.5", NULL, RBM_LANG_ES}, /* a tie: the first */
		{"fr", "lang=zh", RBM_LANG_ZH},
		{"fr", "lang=xx", RBM_LANG_FR},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct ex x;
		char target[64];
		snprintf(target, sizeof target, "/x%s%s", cases[i].query ? "?" : "",
			 cases[i].query ? cases[i].query : "");
		ex_begin(&x, &app, "GET", target);
		x.req.accept_language = cases[i].accept;
		enum rbm_lang got = rbm_web_lang(&x.req);
		ex_end(&x);
		if (got != cases[i].want) {
			test_fail(__FILE__, __LINE__, "Accept-Language '%s': %s, expected %s",
				  cases[i].accept ? cases[i].accept : "(none)", rbm_lang_tag(got),
				  rbm_lang_tag(cases[i].want));
			return;
		}
	}
	/* Arabic pages run right to left. */
	struct ex x;
	ex_begin(&x, &app, "GET", "/none");
	x.req.accept_language = "ar";
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_HAS(body(&x), "<html lang=\"ar\" dir=\"rtl\">");
	CHECK_STR(rbm_web_resp_get_header(&x.resp, "Content-Language"), "ar");
	CHECK(well_formed(&x));
	ex_end(&x);
}

static void encodings(void)
{
	CHECK(!rbm_web_accepts_gzip(NULL));
	CHECK(!rbm_web_accepts_gzip(""));
	CHECK(rbm_web_accepts_gzip("gzip"));
	CHECK(rbm_web_accepts_gzip("deflate, gzip;q=0.5, br"));
	CHECK(rbm_web_accepts_gzip("GZIP"));
	CHECK(rbm_web_accepts_gzip("x-gzip"));
	CHECK(rbm_web_accepts_gzip("*"));
	CHECK(!rbm_web_accepts_gzip("gzip;q=0"));
	CHECK(!rbm_web_accepts_gzip("gzip;q=0.000, *"));
	CHECK(!rbm_web_accepts_gzip("identity"));
	CHECK(!rbm_web_accepts_gzip("br, deflate"));
	CHECK(!rbm_web_accepts_gzip("*;q=0"));
	CHECK(rbm_web_compressible("text/html; charset=utf-8"));
	CHECK(rbm_web_compressible("application/problem+json"));
	CHECK(rbm_web_compressible("image/svg+xml"));
	CHECK(!rbm_web_compressible("image/png"));
	CHECK(!rbm_web_compressible(NULL));

	/* gzip round trip through zlib. */
	struct rbm_buf in, gz;
	rbm_buf_init(&in, 0);
	rbm_buf_init(&gz, 0);
	for (int i = 0; i < 2000; i++)
		rbm_buf_addf(&in, "line %d of a compressible text\n", i);
	CHECK_INT(rbm_web_gzip(in.data, in.len, &gz), RBM_OK);
	CHECK(gz.len < in.len / 4);
	CHECK((unsigned char)gz.data[0] == 0x1f && (unsigned char)gz.data[1] == 0x8b);
	unsigned char *back = malloc(in.len + 1);
	z_stream z;
	memset(&z, 0, sizeof z);
	CHECK(inflateInit2(&z, 15 + 16) == Z_OK);
	z.next_in = (unsigned char *)gz.data;
	z.avail_in = (uInt)gz.len;
	z.next_out = back;
	z.avail_out = (uInt)in.len + 1;
	int zr = inflate(&z, Z_FINISH);
	size_t out_len = z.total_out;
	inflateEnd(&z);
	CHECK_INT(zr, Z_STREAM_END);
	CHECK_INT(out_len, in.len);
	CHECK(memcmp(back, in.data, in.len) == 0);
	free(back);
	/* Past the output's cap: ETOOBIG. */
	struct rbm_buf small;
	rbm_buf_init(&small, 16);
	CHECK_INT(rbm_web_gzip(in.data, in.len, &small), RBM_ETOOBIG);
	rbm_buf_free(&small);
	rbm_buf_free(&in);
	rbm_buf_free(&gz);
}

static void etags(void)
{
	CHECK(rbm_web_etag_matches("W/\"abc\"", "W/\"abc\""));
	CHECK(rbm_web_etag_matches("\"abc\"", "W/\"abc\"")); /* weak comparison */
	CHECK(rbm_web_etag_matches("\"x\", W/\"abc\"", "W/\"abc\""));
	CHECK(rbm_web_etag_matches("*", "W/\"abc\""));
	CHECK(!rbm_web_etag_matches("\"abcd\"", "W/\"abc\""));
	CHECK(!rbm_web_etag_matches("abc", "W/\"abc\""));
	CHECK(!rbm_web_etag_matches("\"abc", "W/\"abc\""));
	CHECK(!rbm_web_etag_matches(NULL, "W/\"abc\""));
	CHECK(!rbm_web_etag_matches("", "W/\"abc\""));

	/* Only 200s to GET and HEAD get an ETag and a 304. */
	struct rbm_web_app app = default_app();
	struct ex x;
	ex_begin(&x, &app, "POST", "/healthz");
	x.req.if_none_match = "*";
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 405);
	CHECK(x.resp.etag == NULL);
	ex_end(&x);
	ex_begin(&x, &app, "HEAD", "/healthz");
	x.req.if_none_match = "*";
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 304);
	ex_end(&x);
}

static void response_headers(void)
{
	struct rbm_arena *a = rbm_arena_new();
	struct rbm_web_resp r;
	rbm_web_resp_init(&r, a);
	CHECK_INT(rbm_web_resp_header(&r, "X-A", "1"), RBM_OK);
	CHECK_INT(rbm_web_resp_header(&r, "x-a", "2"), RBM_OK); /* replaces */
	CHECK_INT(r.headers_len, 1);
	CHECK_STR(rbm_web_resp_get_header(&r, "X-A"), "2");
	/* No header splitting. */
	CHECK_INT(rbm_web_resp_header(&r, "X-B", "a\r\nSet-Cookie: x=1"), RBM_EINVAL);
	CHECK_INT(rbm_web_resp_header(&r, "X-B\n", "a"), RBM_EINVAL);
	CHECK_INT(rbm_web_resp_header(&r, "X:B", "a"), RBM_EINVAL);
	CHECK_INT(rbm_web_resp_header(&r, "", "a"), RBM_EINVAL);
	for (int i = 1; i < RBM_WEB_MAX_HEADERS; i++) {
		char name[16];
		snprintf(name, sizeof name, "X-%d", i);
		CHECK_INT(rbm_web_resp_header(&r, name, "v"), RBM_OK);
	}
	CHECK_INT(rbm_web_resp_header(&r, "X-Last", "v"), RBM_ETOOBIG);
	rbm_web_resp_cleanup(&r);

	/* Every answer says nosniff; HTML pages carry a Content-Security-Policy. */
	struct rbm_web_app app = default_app();
	struct ex x;
	render(&x, &app, "GET", "/nope");
	CHECK_STR(rbm_web_resp_get_header(&x.resp, "X-Content-Type-Options"), "nosniff");
	CHECK_HAS(rbm_web_resp_get_header(&x.resp, "Content-Security-Policy"), "default-src 'self'");
	ex_end(&x);
	render(&x, &app, "GET", "/healthz");
	CHECK_STR(rbm_web_resp_get_header(&x.resp, "X-Content-Type-Options"), "nosniff");
	CHECK(rbm_web_resp_get_header(&x.resp, "Content-Security-Policy") == NULL);
	ex_end(&x);
	rbm_arena_free(a);
}

static void escaped_pages(void)
{
	/* What a user sent never reaches a page unescaped. */
	struct rbm_web_app app = default_app();
	struct ex x;
	ex_begin(&x, &app, "GET", "/x");
	struct rbm_web_resp *r = &x.resp;
	CHECK_INT(rbm_web_page_begin(&x.req, r, 200, "<script>alert('t')</script> & co"), RBM_OK);
	CHECK_INT(rbm_web_page_end(r), RBM_OK);
	CHECK_HAS(body(&x), "<title>&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; co · rbm</title>");
	CHECK(strstr(body(&x), "<script>") == NULL);
	CHECK(well_formed(&x));
	ex_end(&x);

	ex_begin(&x, &app, "GET", "/x");
	CHECK_INT(rbm_web_resp_error(&x.req, &x.resp, 400, "bad <b>input</b> \"here\""), RBM_OK);
	CHECK_HAS(body(&x), "<p>bad &lt;b&gt;input&lt;/b&gt; &quot;here&quot;</p>");
	CHECK(well_formed(&x));
	ex_end(&x);

	/* A path that is not UTF-8 is left out of a problem rather than breaking its JSON. */
	render(&x, &app, "GET", "/api/\xff\xfe");
	CHECK_INT(x.resp.status, 404);
	json_error_t e;
	json_t *j = json_loads(body(&x), 0, &e);
	CHECK(j != NULL);
	CHECK(json_object_get(j, "instance") == NULL);
	json_decref(j);
	ex_end(&x);

	render(&x, &app, "GET", "/api/v1/\"quoted\"");
	j = json_loads(body(&x), 0, &e);
	CHECK(j != NULL);
	CHECK_STR(json_string_value(json_object_get(j, "instance")), "/api/v1/\"quoted\"");
	json_decref(j);
	ex_end(&x);

	/* A very long path is 414. */
	char *longp = malloc(RBM_WEB_PATH_MAX + 16);
	memset(longp, 'a', RBM_WEB_PATH_MAX + 8);
	longp[0] = '/';
	longp[RBM_WEB_PATH_MAX + 8] = '\0';
	render(&x, &app, "GET", longp);
	free(longp);
	CHECK_INT(x.resp.status, 414);
	ex_end(&x);
}

static void cookies(void)
{
	struct ex x;
	struct rbm_web_app app = default_app();
	ex_begin(&x, &app, "GET", "/");
	CHECK(rbm_web_cookie(&x.req, "rbm_session") == NULL); /* no Cookie header */
	x.req.cookie = "a=1; rbm_session=abc;rbm_lang=\"fr\" ; rbm_sessionx=no; b";
	CHECK_STR(rbm_web_cookie(&x.req, "rbm_session"), "abc");
	CHECK_STR(rbm_web_cookie(&x.req, "rbm_lang"), "fr"); /* quotes removed, blanks trimmed */
	CHECK_STR(rbm_web_cookie(&x.req, "a"), "1");
	CHECK(rbm_web_cookie(&x.req, "b") == NULL); /* a name without a value is no cookie */
	CHECK(rbm_web_cookie(&x.req, "rbm") == NULL);
	/* The language cookie comes after ?lang= and before Accept-Language. */
	x.req.accept_language = "es";
	CHECK_INT(rbm_web_lang(&x.req), RBM_LANG_FR);
	x.req.cookie = "rbm_lang=xx";
	CHECK_INT(rbm_web_lang(&x.req), RBM_LANG_ES);
	ex_end(&x);
}

static void form_bodies(void)
{
	struct ex x;
	struct rbm_web_app app = default_app();
	const struct rbm_web_kv *f;
	ex_begin(&x, &app, "POST", "/");
	x.req.content_type = "application/x-www-form-urlencoded";
	x.req.body = "a=1&b=x+y%21&a=2&&empty=&flag&c=%C3%A9";
	x.req.body_len = strlen(x.req.body);
	CHECK_STR(rbm_web_form(&x.req, "a"), "1"); /* the first of repeated fields */
	CHECK_STR(rbm_web_form(&x.req, "b"), "x y!");
	CHECK_STR(rbm_web_form(&x.req, "empty"), "");
	CHECK_STR(rbm_web_form(&x.req, "flag"), "");
	CHECK_STR(rbm_web_form(&x.req, "c"), "é");
	CHECK(rbm_web_form(&x.req, "z") == NULL);
	CHECK_INT(rbm_web_form_fields(&x.req, &f), 6);
	CHECK_STR(f[2].value, "2");
	CHECK(rbm_web_form_bad(&x.req) == NULL);
	ex_end(&x);

	/* A broken escape or an encoded NUL: no fields, and why. */
	const char *bad[] = {"a=%zz", "a=%0", "a%00=1", "a=%00"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ex_begin(&x, &app, "POST", "/");
		x.req.content_type = "application/x-www-form-urlencoded; charset=utf-8";
		x.req.body = bad[i];
		x.req.body_len = strlen(bad[i]);
		CHECK(rbm_web_form(&x.req, "a") == NULL);
		CHECK(rbm_web_form_bad(&x.req) != NULL);
		ex_end(&x);
	}

	/* Not a form: no fields, nothing wrong. */
	ex_begin(&x, &app, "POST", "/");
	x.req.content_type = "application/json";
	x.req.body = "a=1";
	x.req.body_len = 3;
	CHECK(rbm_web_form(&x.req, "a") == NULL);
	CHECK(rbm_web_form_bad(&x.req) == NULL);
	ex_end(&x);

	/* Past RBM_WEB_MAX_FORM fields: 413 through the router, before any handler. */
	struct rbm_buf big;
	rbm_buf_init(&big, 0);
	for (int i = 0; i <= RBM_WEB_MAX_FORM; i++)
		rbm_buf_addf(&big, "%sf%d=1", i ? "&" : "", i);
	struct rbm_web_app t = table_app();
	ex_begin(&x, &t, "POST", "/api/v1/submissions/7/approve");
	x.req.authorization = "Bearer reviewer";
	x.req.content_type = "application/x-www-form-urlencoded";
	x.req.body = rbm_buf_str(&big);
	x.req.body_len = big.len;
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 413);
	ex_end(&x);
	rbm_buf_free(&big);
}

static void csrf_tokens(void)
{
	struct rbm_web_app app = table_app();
	struct ex x;
	const char *good = "1111111111111111111111111111111111111111111111111111111111111111";
	/* A session without the token, with a wrong one, with one of another length: 403. */
	const char *wrong[] = {NULL, "2111111111111111111111111111111111111111111111111111111111111111", "111", ""};
	for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
		ex_begin(&x, &app, "POST", "/api/v1/submissions/7/approve");
		x.req.authorization = "Session reviewer";
		x.req.csrf_token = wrong[i];
		rbm_web_dispatch(&x.req, &x.resp);
		CHECK_INT(x.resp.status, 403);
		CHECK_HAS(body(&x), "CSRF");
		ex_end(&x);
	}
	/* The header, or the form field. */
	ex_begin(&x, &app, "POST", "/api/v1/submissions/7/approve");
	x.req.authorization = "Session reviewer";
	x.req.csrf_token = good;
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 200);
	ex_end(&x);
	ex_begin(&x, &app, "POST", "/api/v1/submissions/7/approve");
	x.req.authorization = "Session reviewer";
	x.req.content_type = "application/x-www-form-urlencoded";
	char body_buf[128];
	snprintf(body_buf, sizeof body_buf, "_action=approve&_csrf=%s", good);
	x.req.body = body_buf;
	x.req.body_len = strlen(body_buf);
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 200);
	ex_end(&x);
	/* Reading needs no token; a bearer token needs none either. */
	render(&x, &app, "GET", "/results/2021");
	CHECK_INT(x.resp.status, 303);
	ex_end(&x);
	ex_begin(&x, &app, "GET", "/results/2021");
	x.req.authorization = "Session reviewer";
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 200);
	ex_end(&x);
	ex_begin(&x, &app, "POST", "/api/v1/submissions/7/approve");
	x.req.authorization = "Bearer reviewer";
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 200);
	ex_end(&x);
}

static void redirects_and_cookies_out(void)
{
	struct rbm_web_app app = table_app();
	struct ex x;
	/* The page asked for is where the sign-in leads back: its raw path, escaped once more. */
	render(&x, &app, "GET", "/results/20%2021");
	CHECK_INT(x.resp.status, 303);
	CHECK_STR(rbm_web_resp_get_header(&x.resp, "Location"), "/signin?next=/results/20%252021");
	ex_end(&x);
	/* With its query: the sign-in form's next= decodes to the address asked for. */
	render(&x, &app, "GET", "/results/2021?status=all&x=a+b%26c");
	CHECK_STR(rbm_web_resp_get_header(&x.resp, "Location"),
		  "/signin?next=/results/2021%3Fstatus%3Dall%26x%3Da%2520b%2526c");
	ex_end(&x);
	/* Several Set-Cookie headers stay several. */
	ex_begin(&x, &app, "GET", "/");
	CHECK_INT(rbm_web_resp_add_header(&x.resp, "Set-Cookie", "a=1"), RBM_OK);
	CHECK_INT(rbm_web_resp_add_header(&x.resp, "Set-Cookie", "b=2"), RBM_OK);
	CHECK_INT(rbm_web_resp_add_header(&x.resp, "Set-Cookie", "c=3\r\nX: y"), RBM_EINVAL);
	size_t n = 0;
	for (size_t i = 0; i < x.resp.headers_len; i++)
		n += strcmp(x.resp.headers[i].name, "Set-Cookie") == 0;
	CHECK_INT(n, 2);
	ex_end(&x);
}

static void route_table_is_sound(void)
{
	/* Every route has a pattern from '/', a handler and a summary; no two share method and pattern. */
	for (const struct rbm_web_route *r = rbm_web_routes; r->pattern; r++) {
		CHECK(r->pattern[0] == '/');
		CHECK(r->handle != NULL);
		CHECK(r->summary && *r->summary);
		for (const struct rbm_web_route *s = r + 1; s->pattern; s++)
			CHECK(!(r->method == s->method && strcmp(r->pattern, s->pattern) == 0));
	}
	CHECK_STR(rbm_web_method_name(rbm_web_method_parse("PATCH")), "PATCH");
	CHECK_INT(rbm_web_method_parse("get"), RBM_WEB_OTHER); /* methods are case-sensitive */
	CHECK_STR(rbm_web_status_text(413), "Content Too Large");
}

TEST_MAIN(T(match_patterns), T(url_decoding), T(healthz_and_version), T(plan_route), T(cycles_without_database),
	  T(not_found_and_method),
	  T(params_reach_the_handler), T(roles_refuse), T(role_rule), T(static_files),
	  T(traversal_refused), T(query_parameters), T(languages), T(encodings), T(etags),
	  T(response_headers), T(escaped_pages), T(cookies), T(form_bodies), T(csrf_tokens),
	  T(redirects_and_cookies_out), T(route_table_is_sound))
