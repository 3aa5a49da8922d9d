/*
 * web_int.h - private to src/web/: the handlers the route table lists.
 *
 * Each page or API file (page_<name>.c, static.c) defines its handlers
 * here as rbm_web__<name>, and route.c lists them in rbm_web_routes[].
 */
#ifndef RBM_WEB_WEB_INT_H
#define RBM_WEB_WEB_INT_H

#include "web.h"

#include "../core/i18n.h"
#include "../publish/html.h"

#include <pthread.h>

#include "../auth/auth.h"
#include "../collect/collect.h"

struct rbm_measure;
struct rbm_figures;

struct rbm_web_cache {
	pthread_mutex_t lock;
	struct rbm_measure *m;    /* NULL until first asked for, or after the data changed */
	struct rbm_figures *figs; /* NULL when the plan defines none */
	bool figs_loaded;
};

/*
 * cache.c: the measured data and figure definitions (figs may be NULL), kept
 * in app->cache and reloaded when stale. Called with the cache's lock held
 * (rbm_web_dispatch holds it for every route but static files and /healthz).
 */
enum rbm_rc rbm_web__measure(struct rbm_web_req *req, const struct rbm_measure **out,
			     const struct rbm_figures **figs, struct rbm_diag *d);

/* page_health.c: GET /healthz, "ok" as text (liveness for load balancers). */
enum rbm_rc rbm_web__healthz(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_health.c: GET /api/v1/version, the versions of rbm, its API and schema as JSON. */
enum rbm_rc rbm_web__version(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_plan.c: GET /api/v1/plan, the stored plan as canonical plan-format JSON. */
enum rbm_rc rbm_web__plan(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_plan.c: the 404 the routes that need a plan answer when the database holds none. */
enum rbm_rc rbm_web__no_plan(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_cycles.c: GET /api/v1/cycles, the reporting cycles with their windows and state. */
enum rbm_rc rbm_web__cycles(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_offices.c: GET /api/v1/offices, the plan's offices with names in the asked language. */
enum rbm_rc rbm_web__offices(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* static.c: GET /static/{path...}, a file under DATA/web/. */
enum rbm_rc rbm_web__static(struct rbm_web_req *req, struct rbm_web_resp *resp);

/*
 * session.c: true when the signed-in user (or nobody) may take action on
 * office (see rbm_auth_may); a user from a test's own hook may do what an
 * administrator may when it is one, else nothing.
 */
bool rbm_web__may(struct rbm_web_req *req, enum rbm_action action, const char *office);
/* session.c: the signed-in user as collect's actor: channel "web" (cookie) or "api" (token). */
struct rbm_actor rbm_web__actor(struct rbm_web_req *req);
/* session.c: adds a Set-Cookie for name=value (Path=/, SameSite=Strict, Secure behind TLS). */
void rbm_web__set_cookie(struct rbm_web_req *req, struct rbm_web_resp *resp, const char *name,
			 const char *value, long max_age, bool http_only);

/* page_signin.c: GET /signin, POST /signin, POST /signout. */
enum rbm_rc rbm_web__signin_page(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__signin(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__signout(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_home.c: GET /, the tasks of the signed-in user's role, or the published reports. */
enum rbm_rc rbm_web__home(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_survey.c: GET and POST /survey/{year}/{office}. */
enum rbm_rc rbm_web__survey(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__survey_save(struct rbm_web_req *req, struct rbm_web_resp *resp);

/* page_survey.c: one office's survey in one cycle, as the page and the API work on it. */
struct rbm_web_survey {
	int year;
	const char *office;
	struct rbm_cycle cycle;
	struct rbm_form *form;
	struct rbm_submission sub; /* id 0: none yet */
	char **values;             /* per question: the answer shown, or NULL */
	const char **errors;       /* per question: the problem with it, or NULL */
	struct rbm_buf general;    /* problems not about one field */
};

/*
 * Reads the {year} and {office} parameters, checks that the user may answer
 * for the office, reads the cycle, the form and the office's submission.
 * When the request cannot go on (no such survey, not allowed) it answers
 * (404, 403) and sets *answered.
 */
enum rbm_rc rbm_web__survey_load(struct rbm_web_req *req, struct rbm_web_resp *resp,
				  struct rbm_web_survey *s, bool *answered);
/* Fills s->values with the current revision's answers (none without a submission). */
enum rbm_rc rbm_web__survey_stored(struct rbm_web_req *req, struct rbm_web_survey *s);
/* True while the office may still change its answers (no submission, draft, returned). */
bool rbm_web__survey_editable(const struct rbm_web_survey *s);
/*
 * Turns answers into content and saves it as a new revision (submitted or a
 * draft) from base_rev (-1: no check). On RBM_EINVAL or RBM_ECONFLICT each
 * problem is in s->errors next to its question or in s->general, and in d.
 */
enum rbm_rc rbm_web__survey_store(struct rbm_web_req *req, struct rbm_web_survey *s,
				  const struct rbm_answer *answers, size_t na, bool submit,
				  int base_rev, struct rbm_diag *d);
void rbm_web__survey_free(struct rbm_web_survey *s);

/* page_review.c: GET /review, GET and POST /review/{id}. */
enum rbm_rc rbm_web__review_queue(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__review(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__review_decide(struct rbm_web_req *req, struct rbm_web_resp *resp);

/*
 * svg.c: charts as inline SVG inside a <figure> with the title as caption.
 * _states: per row, stacked bars of indicator states (counts in the order
 * achieved, on track, behind, no data, no target) with a legend; _bars: one
 * bar per row, values up to max (0: the largest), texts printed beside;
 * _years: per year a dashed target and a filled actual (NaN: none).
 */
void rbm_web__svg_states(struct rbm_buf *b, enum rbm_lang lang, const char *title,
			 const char *const *labels, const size_t (*counts)[5], size_t n);
void rbm_web__svg_bars(struct rbm_buf *b, enum rbm_lang lang, const char *title,
		       const char *const *labels, const double *values, const char *const *texts,
		       size_t n, double max);
void rbm_web__svg_years(struct rbm_buf *b, enum rbm_lang lang, const char *title, const int *years,
			const double *actual, const double *target, size_t n);

/* page_progress.c: GET /progress[/{year}], collection progress and response rates. */
enum rbm_rc rbm_web__progress(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_results.c: GET /results[/{year}] (dashboard), /results/{year}/{indicator}. */
enum rbm_rc rbm_web__results(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__indicator(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* page_progress.c: the newest cycle's year (0: none); the {year} parameter or that (0: bad). */
int rbm_web__latest_year(struct rbm_web_req *req);
int rbm_web__year_param(struct rbm_web_req *req);

/* api_submissions.c, api_survey.c, api_results.c: the JSON API of the pages above. */
enum rbm_rc rbm_web__api_submissions(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_submission(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_approve(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_return(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_survey(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_survey_put(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_results(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_progress(struct rbm_web_req *req, struct rbm_web_resp *resp);
/* api_submissions.c: ?page= and ?per_page= (false after answering 400); a page of all (taken over). */
bool rbm_web__paging(struct rbm_web_req *req, struct rbm_web_resp *resp, size_t *page, size_t *per);
enum rbm_rc rbm_web__paged(struct rbm_web_req *req, struct rbm_web_resp *resp, json_t *all, size_t page,
			   size_t per);

/* page_admin.c: administration pages and their API. */
enum rbm_rc rbm_web__admin(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__admin_cycles(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__admin_users(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_users(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_user_add(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_cycle_open(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_cycle_close(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_cycle_reopen(struct rbm_web_req *req, struct rbm_web_resp *resp);

/* page_editor.c: the editor's workspace and its API. */
enum rbm_rc rbm_web__editor(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__editor_save(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_editorial(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_editorial_put(struct rbm_web_req *req, struct rbm_web_resp *resp);

/* page_reports.c: the reports online and as downloads, publishing, and their API. */
enum rbm_rc rbm_web__reports(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__report(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__report_css(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__report_file(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__report_publish(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_reports(struct rbm_web_req *req, struct rbm_web_resp *resp);

/* page_openapi.c: GET /api/v1/openapi.json, the API's OpenAPI 3.1 description. */
enum rbm_rc rbm_web__openapi(struct rbm_web_req *req, struct rbm_web_resp *resp);

/* page_data.c: open data downloads (tables and data package) and their API list. */
enum rbm_rc rbm_web__data(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__data_file(struct rbm_web_req *req, struct rbm_web_resp *resp);
enum rbm_rc rbm_web__api_data(struct rbm_web_req *req, struct rbm_web_resp *resp);

/* page_home.c: the office's name in lang (its code when unknown). */
const char *rbm_web__office_name(const struct rbm_web_req *req, const char *code, enum rbm_lang lang);
struct rbm_cycle;
/* page_home.c: YYYY-MM-DD as a date in lang ("24 novembre 2026"), in the request's arena. */
const char *rbm_web__date(struct rbm_web_req *req, enum rbm_lang lang, const char *ymd);
/* page_home.c: true when cycle c accepts submissions today. */
bool rbm_web__cycle_open(const struct rbm_cycle *c);
/* page_home.c: a status ("draft", "submitted", ...) as a coloured badge in lang. */
void rbm_web__status_badge(struct rbm_buf *b, enum rbm_lang lang, const char *status);

/* page.c: the hidden _csrf field of a form, for a user signed in with a session. */
void rbm_web__csrf_field(struct rbm_web_req *req, struct rbm_buf *b);

/* A user-interface string in the page's language (lang in scope); xgettext keyword TR. */
#define TR(msgid) rbm_i18n_gettext(lang, msgid)

/*
 * page.c: an RFC 9457 problem whose "errors" member (taken over; may be
 * NULL) lists problems with single fields: [{"field": ..., "detail": ...}].
 */
enum rbm_rc rbm_web__problem(const struct rbm_web_req *req, struct rbm_web_resp *resp, int status,
			     const char *detail, json_t *errors);
/*
 * page.c: the request body as a JSON object; NULL after answering 415 (not
 * JSON), or 400 naming the line and column where it stops parsing.
 */
json_t *rbm_web__json_body(struct rbm_web_req *req, struct rbm_web_resp *resp);

/* page.c: the n strings of v as a JSON array (NULL when out of memory). */
json_t *rbm_web__json_strings(const char *const *v, size_t n);

/*
 * True when rel is a safe relative file name under a served folder:
 * non-empty, not absolute, '/'-separated segments that are neither empty,
 * ".", ".." nor hidden (".x"), with no backslash or control character.
 */
bool rbm_web__safe_relpath(const char *rel);

#endif
