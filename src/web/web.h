/*
 * web.h - rbm's web front-end: requests, responses, the route table and the
 * server around them.
 *
 * A request arrives as a struct rbm_web_req (filled by server.c from
 * libmicrohttpd, or by a test from a string), goes through the one route
 * table (route.c: method + path pattern -> handler + required role), and
 * its handler renders into a struct rbm_web_resp. Everything but server.c
 * runs without a live server, so tests render pages directly (as cgit's
 * tests run cgit with QUERY_STRING).
 *
 * Like cli/, web/ is a front-end: it calls the library's public headers and
 * nothing in the library includes this one.
 *
 * Ownership: every string of a request, and every header value given to a
 * response, lives in the request's arena (req->arena) and is released with
 * it, after the response has been sent; handlers make no individual frees
 * (h2o's per-request pool). The response body is the response's own
 * struct rbm_buf, released by rbm_web_resp_cleanup() (the server takes it
 * over instead). Strings passed in as const char * are borrowed.
 */
#ifndef RBM_WEB_WEB_H
#define RBM_WEB_WEB_H

#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/diag.h"
#include "../core/rbm.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct rbm_store;

/* ---- limits ---- */

#define RBM_WEB_BODY_MAX ((size_t)1 << 20)  /* default request body limit: larger is 413 */
#define RBM_WEB_RESP_MAX ((size_t)64 << 20) /* a response body may not grow past this */
#define RBM_WEB_MAX_QUERY 64                /* query parameters; more is 400 */
#define RBM_WEB_MAX_PARAMS 8                /* {params} in one route pattern */
#define RBM_WEB_MAX_HEADERS 16              /* extra response headers */
#define RBM_WEB_PATH_MAX 2048               /* bytes of a request path; longer is 414 */

/* ---- methods and roles ---- */

enum rbm_web_method {
	RBM_WEB_GET,
	RBM_WEB_HEAD,
	RBM_WEB_POST,
	RBM_WEB_PUT,
	RBM_WEB_PATCH,
	RBM_WEB_DELETE,
	RBM_WEB_OPTIONS,
	RBM_WEB_OTHER
};

/* "GET", ...; "OTHER" for RBM_WEB_OTHER. */
const char *rbm_web_method_name(enum rbm_web_method m);
/* The method named s (case-sensitive, as HTTP is); RBM_WEB_OTHER when unknown. */
enum rbm_web_method rbm_web_method_parse(const char *s);

/*
 * Roles, as the route table requires them and as a signed-in user holds
 * them (the same five as src/auth/auth.h, plus PUBLIC for routes that need
 * nobody signed in). The router's rule is coarse:
 *   PUBLIC   anyone, signed in or not
 *   VIEWER   any signed-in user (every role reads results)
 *   other    a user holding exactly that role, or an administrator
 * Finer rules (which office a reporter answers for, which region a reviewer
 * covers) are the handler's, through auth's rbm_auth_may().
 */
enum rbm_web_role {
	RBM_WEB_PUBLIC,
	RBM_WEB_VIEWER,
	RBM_WEB_REPORTER,
	RBM_WEB_REVIEWER,
	RBM_WEB_EDITOR,
	RBM_WEB_ADMIN
};

/* "public", "viewer", "reporter", "reviewer", "editor", "administrator". */
const char *rbm_web_role_name(enum rbm_web_role r);

/* The signed-in user, as the authentication hook reports it. */
struct rbm_web_user {
	const char *name;       /* for the access log and the audit log */
	enum rbm_web_role role; /* never RBM_WEB_PUBLIC */
	void *data;             /* the auth module's own record (e.g. a struct rbm_user), or NULL */
	/*
	 * The session's CSRF token, which every state-changing request made with
	 * the session cookie must carry (form field _csrf or X-CSRF-Token); NULL
	 * for an API client signed in with a bearer token (no cookie, no CSRF).
	 */
	const char *csrf;
	const char *session; /* the session token (for signing out); NULL with a bearer token */
};

/* True when user (NULL: nobody signed in) passes the route rule for required. */
bool rbm_web_role_allows(const struct rbm_web_user *user, enum rbm_web_role required);

/* ---- the application every request shares ---- */

struct rbm_web_req;
struct rbm_web_route;

/*
 * Shared by every worker thread. store is one connection, and the store's
 * transactions are per connection: when lock is set, rbm_web_dispatch()
 * holds it while it authenticates and runs a route, so requests that touch
 * the database take turns (static files and /healthz do not wait).
 */
struct rbm_plan;
struct rbm_places;
struct rbm_web_cache;

struct rbm_web_app {
	const char *data_dir;    /* rbm's data folder; static files come from DATA/web/ */
	struct rbm_store *store; /* the open database, or NULL (handlers that need it answer 503) */
	/*
	 * The stored plan as canonical plan-format JSON, made once before the
	 * threads start (read-only after); NULL when the database holds no plan.
	 */
	const char *plan_json;
	const struct rbm_plan *plan; /* the same plan, read-only; NULL with plan_json */
	const struct rbm_places *places; /* countries and regions, read-only; NULL without a plan */
	/*
	 * Measured data and figure definitions kept between requests (reloaded
	 * when the store's data change), and the lock above; NULL: none (tests
	 * of pages that need no store).
	 */
	struct rbm_web_cache *cache;
	/*
	 * The authentication hook: the user signed in on req (from its Cookie or
	 * Authorization header), or NULL. NULL hook: nobody is ever signed in.
	 * Called at most once per request (see rbm_web_req_user), from a server
	 * thread; the returned user must stay valid until the request's arena is
	 * freed (allocate it there).
	 */
	const struct rbm_web_user *(*authenticate)(struct rbm_web_req *req, void *ctx);
	void *auth_ctx;
	size_t body_max;                   /* request body limit; 0: RBM_WEB_BODY_MAX */
	const struct rbm_web_route *routes; /* the table; NULL: rbm_web_routes */
};

/*
 * The cache behind app->cache: a lock that requests touching the database
 * take turns on, the measured data (reloaded when the store's data change)
 * and the plan's figure definitions.
 */
struct rbm_web_cache *rbm_web_cache_new(void);
void rbm_web_cache_free(struct rbm_web_cache *c);

/*
 * The authentication hook rbm serve uses: a bearer token (Authorization:
 * Bearer rbm_...) or the rbm_session cookie, checked through src/auth
 * against app->store. ctx is unused.
 */
const struct rbm_web_user *rbm_web_authenticate(struct rbm_web_req *req, void *ctx);

/* ---- requests ---- */

struct rbm_web_kv {
	const char *name;
	const char *value;
};

struct rbm_web_req {
	const struct rbm_web_app *app;
	struct rbm_arena *arena; /* this request's memory, freed after the response is sent */
	enum rbm_web_method method;
	const char *method_name; /* as sent, e.g. "GET" */
	const char *path;        /* as sent: still percent-encoded, without the query */
	/* Query parameters, percent-decoded ('+' is a space), in order sent. */
	struct rbm_web_kv query[RBM_WEB_MAX_QUERY];
	size_t query_len;
	/* The matched route's {params}, percent-decoded; set by the router. */
	struct rbm_web_kv params[RBM_WEB_MAX_PARAMS];
	size_t params_len;
	/* Request headers the front-end reads; NULL when absent. */
	const char *accept;
	const char *accept_language;
	const char *accept_encoding;
	const char *cookie;
	const char *authorization;
	const char *if_none_match;
	const char *content_type;
	const char *csrf_token;        /* X-CSRF-Token, for scripts using the session cookie */
	const char *forwarded_proto;   /* X-Forwarded-Proto: "https" behind a TLS proxy */
	/* The body (NUL-terminated; "" when none), at most app->body_max bytes. */
	const char *body;
	size_t body_len;
	const char *client; /* the peer's address, e.g. "127.0.0.1"; "-" when unknown */
	/* The signed-in user: read it through rbm_web_req_user(). */
	const struct rbm_web_user *user;
	bool user_known; /* the hook has been asked */
	/* The urlencoded form body, parsed on first use (rbm_web_form). */
	struct rbm_web_kv *form;
	size_t form_len;
	bool form_parsed;
	/* RBM_OK, or why the request itself is malformed (answered 400 by the router). */
	enum rbm_rc bad;
	const char *bad_why;
};

/*
 * Readies req for a request for method and path (percent-encoded, no query;
 * copied into arena). Every header is NULL, the body empty, client "-".
 */
void rbm_web_req_init(struct rbm_web_req *req, const struct rbm_web_app *app,
		      struct rbm_arena *arena, const char *method, const char *path);

/*
 * Adds one query parameter given percent-encoded; decodes it into the
 * arena. RBM_EINVAL for a bad escape or an encoded NUL, RBM_ETOOBIG past
 * RBM_WEB_MAX_QUERY; either also marks the request bad.
 */
enum rbm_rc rbm_web_req_add_query(struct rbm_web_req *req, const char *name, const char *value);

/* Adds every parameter of a query string "a=1&b=2" (no '?'), as above. */
enum rbm_rc rbm_web_req_set_query(struct rbm_web_req *req, const char *query);

/* The first query parameter called name, or NULL. Borrowed from the arena. */
const char *rbm_web_query(const struct rbm_web_req *req, const char *name);
/* The route parameter {name}, or NULL. Borrowed from the arena. */
const char *rbm_web_param(const struct rbm_web_req *req, const char *name);

/*
 * The user signed in on req, or NULL: asks app->authenticate once and
 * remembers the answer. The router asks before running a route that needs
 * a role; a public page may ask to show who is signed in.
 */
const struct rbm_web_user *rbm_web_req_user(struct rbm_web_req *req);

/*
 * The value of cookie name in the Cookie header, or NULL (copied into the
 * arena; quotes around the value removed).
 */
const char *rbm_web_cookie(const struct rbm_web_req *req, const char *name);

#define RBM_WEB_MAX_FORM 4096 /* fields of one form body; more is 400 */

/*
 * The first field called name of an application/x-www-form-urlencoded body,
 * or NULL (also when the body is not one). Parsed once into the arena; a
 * malformed body or one with more than RBM_WEB_MAX_FORM fields has no
 * fields and rbm_web_form_bad() says why.
 */
const char *rbm_web_form(struct rbm_web_req *req, const char *name);
/* Every field of the form body, in order sent (a name may repeat: checkboxes). */
size_t rbm_web_form_fields(struct rbm_web_req *req, const struct rbm_web_kv **out);
/* NULL when the form body parsed (or there is none), else why it did not. */
const char *rbm_web_form_bad(struct rbm_web_req *req);

/* True for paths under /api/: those answer in JSON, errors as RFC 9457 problems. */
bool rbm_web_is_api(const struct rbm_web_req *req);

/*
 * The language to answer in: ?lang=xx if it is one of the six, else the
 * rbm_lang cookie (set when a page is asked for with ?lang=), else the
 * first of the six in Accept-Language by preference (q-values honoured,
 * "fr-CA" counts as fr), else English.
 */
enum rbm_lang rbm_web_lang(const struct rbm_web_req *req);

/*
 * Percent-decodes s[0..len) into a new NUL-terminated string in arena (and
 * '+' into a space when plus). RBM_EINVAL for a malformed escape or when the
 * result would hold a NUL byte; *out is set only on success.
 */
enum rbm_rc rbm_web_url_decode(struct rbm_arena *arena, const char *s, size_t len, bool plus,
			       char **out);

/* ---- responses ---- */

struct rbm_web_resp {
	struct rbm_arena *arena;  /* the request's arena */
	int status;               /* 0 until set */
	const char *content_type; /* e.g. "text/html; charset=utf-8" */
	struct rbm_web_kv headers[RBM_WEB_MAX_HEADERS];
	size_t headers_len;
	struct rbm_buf body; /* capped at RBM_WEB_RESP_MAX */
	/*
	 * The entity tag, with its quotes (W/"..." or "..."), or NULL:
	 * rbm_web_dispatch() gives every 200 answer to GET or HEAD one made
	 * from the body, and answers 304 when If-None-Match matches it.
	 */
	const char *etag;
};

/* Readies resp; strings given to it are copied into arena. */
void rbm_web_resp_init(struct rbm_web_resp *resp, struct rbm_arena *arena);
/* Frees the body (resp may be NULL). */
void rbm_web_resp_cleanup(struct rbm_web_resp *resp);

/*
 * Adds a header (name and value copied). Replaces an earlier one of the same
 * name. RBM_EINVAL for a name or value with CR, LF or NUL; RBM_ETOOBIG past
 * RBM_WEB_MAX_HEADERS.
 */
enum rbm_rc rbm_web_resp_header(struct rbm_web_resp *resp, const char *name, const char *value);
/* Adds a header even when one of the same name is there (Set-Cookie). */
enum rbm_rc rbm_web_resp_add_header(struct rbm_web_resp *resp, const char *name,
				    const char *value);
/* Answers 303 See Other to location (a path on this site). */
enum rbm_rc rbm_web_resp_redirect(struct rbm_web_resp *resp, const char *location);
/* The header called name (any case), or NULL. */
const char *rbm_web_resp_get_header(const struct rbm_web_resp *resp, const char *name);

/* Answers status with text as the body, of content_type. */
enum rbm_rc rbm_web_resp_text(struct rbm_web_resp *resp, int status, const char *content_type,
			      const char *text);
/* Answers status with j as compact JSON and a newline (application/json; charset=utf-8). */
enum rbm_rc rbm_web_resp_json(struct rbm_web_resp *resp, int status, const json_t *j);

/*
 * Answers an error: for /api/ paths an RFC 9457 problem
 * (application/problem+json: type, title, status, detail, instance), else an
 * HTML page in the request's language. detail (may be NULL) is plain text;
 * it is escaped. 405 answers should carry Allow, 401 answers carry
 * WWW-Authenticate (added here).
 */
enum rbm_rc rbm_web_resp_error(struct rbm_web_req *req, struct rbm_web_resp *resp,
			       int status, const char *detail);

/* "Not Found" for 404, ...; "Error" for codes it does not know. */
const char *rbm_web_status_text(int status);

/*
 * The page layout: begins an HTML page (doctype, head with title and the
 * stylesheet, body, the site's header: navigation for the signed-in user's
 * role, the language switcher, who is signed in) for status in the request's language (lang and dir
 * set); the handler then appends its content to resp->body, escaping all
 * text through publish/html.h, and ends with rbm_web_page_end().
 */
enum rbm_rc rbm_web_page_begin(struct rbm_web_req *req, struct rbm_web_resp *resp,
			       int status, const char *title);
enum rbm_rc rbm_web_page_end(struct rbm_web_resp *resp);

/* ---- the route table ---- */

/*
 * A route: method + path pattern -> handler + required role. A pattern is
 * '/'-separated segments: literal ones match exactly; {name} matches one
 * non-empty segment, percent-decoded into the parameter name; a last
 * segment {name...} takes the rest of the path (maybe empty), decoded. The
 * first route in the table that matches both path and method wins. GET
 * routes answer HEAD too.
 *
 * A handler renders into resp and returns RBM_OK; when it returns an error
 * without having set resp->status, the router answers for it (EINVAL 400,
 * ENOENT 404, ETOOBIG 413, ECONFLICT 409, else 500).
 */
struct rbm_web_route {
	enum rbm_web_method method;
	const char *pattern; /* NULL ends a table */
	enum rbm_web_role role;
	enum rbm_rc (*handle)(struct rbm_web_req *req, struct rbm_web_resp *resp);
	const char *summary; /* one line, for documentation and 'rbm serve --help' */
};

/* rbm's routes, ended by an entry whose pattern is NULL. */
extern const struct rbm_web_route rbm_web_routes[];

/*
 * Answers req into resp (initialised by rbm_web_resp_init): 400 for a
 * malformed request, 404 when no route's pattern matches the path, 405 with
 * Allow when patterns match but not the method (OPTIONS answers 204 with
 * Allow), 401 when the route needs a signed-in user and there is none, 403
 * when the user's role is not enough; else the handler's answer. Then every
 * 200 to GET or HEAD gets an ETag, and a matching If-None-Match turns it
 * into a 304 (which keeps its body: HTTP sends none, but the server states
 * the length a 200 would have had). Always leaves resp->status set.
 */
void rbm_web_dispatch(struct rbm_web_req *req, struct rbm_web_resp *resp);

/*
 * Matches path (percent-encoded) against pattern; on a match fills
 * params/params_len (decoded, in arena) and returns RBM_OK. RBM_ENOENT when
 * it does not match, RBM_EINVAL when a segment is malformed (a bad escape,
 * an encoded NUL).
 */
enum rbm_rc rbm_web_route_match(const char *pattern, const char *path, struct rbm_arena *arena,
				struct rbm_web_kv *params, size_t *params_len);

/* ---- content negotiation helpers, used by the server ---- */

/* True when Accept-Encoding accepts gzip (absent, q=0 or "identity" only: false). */
bool rbm_web_accepts_gzip(const char *accept_encoding);
/* True for content types worth compressing: text/..., JSON, JavaScript, SVG, XML. */
bool rbm_web_compressible(const char *content_type);
/* gzips in[0..len) into out (appended). RBM_ETOOBIG past out's cap. */
enum rbm_rc rbm_web_gzip(const void *in, size_t len, struct rbm_buf *out);
/* True when the If-None-Match value matches etag (weak comparison; "*" matches). */
bool rbm_web_etag_matches(const char *if_none_match, const char *etag);

/* ---- the server (server.c, on libmicrohttpd) ---- */

struct rbm_web_server_opts {
	const char *bind;          /* an IPv4 or IPv6 address; NULL: "127.0.0.1" */
	unsigned port;             /* 0: any free port (see rbm_web_server_port) */
	unsigned threads;          /* worker threads; 0: one per CPU, 2 to 16 */
	unsigned timeout_s;        /* a connection idle this long is closed; 0: 30 */
	unsigned max_conns;        /* open connections at once; 0: 512 */
	unsigned max_conns_per_ip; /* 0: no limit per address (behind a proxy all share one) */
	size_t conn_memory;        /* per-connection memory for headers; 0: 64 KiB */
	unsigned drain_s;          /* shutdown waits this long for requests in flight; 0: 10 */
	FILE *log;                 /* access log and server errors; NULL: stderr */
	bool quiet;                /* no access log */
};

struct rbm_web_server;

/*
 * Starts serving app (which must outlive the server) with worker threads.
 * Blocks SIGINT and SIGTERM in the calling thread first, so that the
 * workers never take them and rbm_web_server_wait() can; the old mask
 * comes back in rbm_web_server_stop(). RBM_EINVAL for a bad address,
 * RBM_EIO when the address cannot be bound (reported in d).
 */
enum rbm_rc rbm_web_server_start(const struct rbm_web_app *app,
				 const struct rbm_web_server_opts *opts,
				 struct rbm_web_server **out, struct rbm_diag *d);
/* The port the server listens on. */
unsigned rbm_web_server_port(const struct rbm_web_server *s);
/* Waits for SIGINT or SIGTERM; returns the signal's number. */
int rbm_web_server_wait(struct rbm_web_server *s);
/*
 * Stops gracefully: stops accepting connections, lets the requests in
 * flight finish (up to drain_s seconds, or until another SIGINT/SIGTERM),
 * closes every connection, frees s (may be NULL), restores the signal mask.
 * The caller then closes what app uses (the database).
 */
void rbm_web_server_stop(struct rbm_web_server *s);

#endif
