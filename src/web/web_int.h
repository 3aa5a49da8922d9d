/*
 * web_int.h - private to src/web/: the handlers the route table lists.
 *
 * Each page or API file (page_<name>.c, static.c) defines its handlers
 * here as rbm_web__<name>, and route.c lists them in rbm_web_routes[].
 */
#ifndef RBM_WEB_WEB_INT_H
#define RBM_WEB_WEB_INT_H

#include "web.h"

/* page_health.c: GET /healthz, "ok" as text (liveness for load balancers). */
enum rbm_rc rbm_web__healthz(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_health.c: GET /api/v1/version, the versions of rbm, its API and schema as JSON. */
enum rbm_rc rbm_web__version(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_plan.c: GET /api/v1/plan, the stored plan as canonical plan-format JSON. */
enum rbm_rc rbm_web__plan(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_plan.c: the 404 the routes that need a plan answer when the database holds none. */
enum rbm_rc rbm_web__no_plan(const struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_cycles.c: GET /api/v1/cycles, the reporting cycles with their windows and state. */
enum rbm_rc rbm_web__cycles(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_offices.c: GET /api/v1/offices, the plan's offices with names in the asked language. */
enum rbm_rc rbm_web__offices(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* static.c: GET /static/{path...}, a file under DATA/web/. */
enum rbm_rc rbm_web__static(struct rbm_web_req *req, struct rbm_web_resp *resp);

/* page.c: the n strings of v as a JSON array (NULL when out of memory). */
json_t *rbm_web__json_strings(const char *const *v, size_t n);

/*
 * True when rel is a safe relative file name under a served folder:
 * non-empty, not absolute, '/'-separated segments that are neither empty,
 * ".", ".." nor hidden (".x"), with no backslash or control character.
 */
bool rbm_web__safe_relpath(const char *rel);

#endif
