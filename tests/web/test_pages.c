/*
 * test_pages.c - every page of the web application rendered against a real
 * SQLite database (the small test plan, a 2021 cycle with two approved
 * submissions), in each of the six languages: answered, well-formed (the
 * pages are polyglot XHTML, so a stray '<' from unescaped text would show),
 * with lang and dir set; then the survey and review forms as a user posts
 * them: a refused answer shown next to its field, a good one stored, a
 * decision recorded.
 */
#include "harness/fixtures.h"
#include "harness/test.h"

#include "auth/auth.h"
#include "collect/collect.h"
#include "plan/plan.h"
#include "store/store.h"
#include "web/web.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SMALL "tests/cases/plans/small.json"

static const struct rbm_actor cli = {"test", "cli", "local", true};

struct env {
	struct rbm_store *s;
	struct rbm_plan *p;
	struct rbm_web_cache *cache;
	struct rbm_web_app app;
};

/* The signed-in user every request here has: an administrator, or a reporter of KEN. */
static struct rbm_user admin_rec = {"ada", RBM_AUTH_ADMINISTRATOR, NULL, NULL, "2022-01-01T00:00:00Z", false};
static struct rbm_user reporter_rec = {"rita", RBM_AUTH_REPORTER, "KEN", NULL, "2022-01-01T00:00:00Z", false};
static struct rbm_web_user admin_user = {"ada", RBM_WEB_ADMIN, &admin_rec, NULL, NULL};
static struct rbm_web_user reporter_user = {"rita", RBM_WEB_REPORTER, &reporter_rec, NULL, NULL};
static struct rbm_web_user *signed_in = &admin_user;

static const struct rbm_web_user *hook(struct rbm_web_req *req, void *ctx)
{
	(void)req;
	(void)ctx;
	return signed_in;
}

static bool setup(struct env *e)
{
	memset(e, 0, sizeof *e);
	char db[512];
	snprintf(db, sizeof db, "%s/pages.db", test_tmpdir());
	unlink(db);
	setenv("RBM_NOW", "2022-02-01T10:00:00Z", 1);
	static const char json[] =
		"{\"rbm_submissions\": 1, \"submissions\": ["
		"{\"uuid\": \"k\", \"cycle\": 2021, \"office\": \"KEN\", \"values\": ["
		"{\"indicator\": \"1.1.a\", \"value\": 2500}, {\"indicator\": \"1.1.b\", \"value\": 1}],"
		"\"outcomes\": [{\"outcome\": \"1.1\", \"narrative\": \"Kiosks <b>&amp;</b> taps\", \"lang\": \"en\","
		" \"programmes\": [\"FP1\"]}]},"
		"{\"uuid\": \"r\", \"cycle\": 2021, \"office\": \"ROAF\", \"values\": ["
		"{\"indicator\": \"1.1.b\", \"country\": \"UGA\", \"value\": 1}]}]}";
	char subs[512];
	snprintf(subs, sizeof subs, "%s", test_write_file("subs.json", json, strlen(json)));
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_import_opts io = {0};
	struct rbm_import_result res;
	bool ok = rbm_plan_load(SMALL, test_places(), &e->p, &d) == RBM_OK &&
		  rbm_store_open(db, RBM_STORE_CREATE, &e->s, &d) == RBM_OK &&
		  rbm_store_put_places(e->s, test_places(), &d) == RBM_OK &&
		  rbm_store_put_plan(e->s, e->p, false, NULL, &d) == RBM_OK &&
		  rbm_collect_cycle_open(e->s, e->p, 2021, "2022-01-10", "2022-02-28", NULL, 0, false, &cli, &d) == RBM_OK &&
		  rbm_collect_import(e->s, e->p, test_places(), subs, &io, &cli, &res, &d) == RBM_OK &&
		  rbm_collect_approve(e->s, 2, -1, &cli, &d) == RBM_OK;
	rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	e->cache = rbm_web_cache_new();
	e->app.data_dir = "data";
	e->app.store = e->s;
	e->app.plan = e->p;
	e->app.places = test_places();
	e->app.cache = e->cache;
	e->app.authenticate = hook;
	return ok;
}

static void teardown(struct env *e)
{
	rbm_web_cache_free(e->cache);
	rbm_plan_free(e->p);
	rbm_store_close(e->s);
	unsetenv("RBM_NOW");
}

struct ex {
	struct rbm_arena *arena;
	struct rbm_web_req req;
	struct rbm_web_resp resp;
};

static void ex_begin(struct ex *x, const struct rbm_web_app *app, const char *method, const char *target)
{
	x->arena = rbm_arena_new();
	const char *q = strchr(target, '?');
	char *path = rbm_arena_alloc(x->arena, strlen(target) + 1);
	size_t plen = q ? (size_t)(q - target) : strlen(target);
	memcpy(path, target, plen);
	path[plen] = '\0';
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

/* Posts form (urlencoded) to target; the answer is in x->resp. */
static void post(struct ex *x, const struct rbm_web_app *app, const char *target, const char *form)
{
	ex_begin(x, app, "POST", target);
	x->req.content_type = "application/x-www-form-urlencoded";
	x->req.body = form;
	x->req.body_len = strlen(form);
	rbm_web_dispatch(&x->req, &x->resp);
}

static bool well_formed(const struct ex *x)
{
	xmlDocPtr doc = xmlReadMemory(x->resp.body.data, (int)x->resp.body.len, "page.html", NULL,
				      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	xmlFreeDoc(doc);
	return doc != NULL;
}

static void every_page_in_every_language(void)
{
	struct env e;
	CHECK(setup(&e));
	static const char *const pages[] = {
		"/", "/signin", "/survey/2021/KEN", "/review", "/review?status=all", "/review/1", "/review/1?a=0&b=1",
		"/progress", "/progress/2021", "/results", "/results/2021", "/results/2021/1.1.a",
		"/results/2021/1.2.b", "/editor/2021/annual", "/admin", "/data", "/reports",
	};
	static const char *const tags[] = {"ar", "zh", "en", "fr", "ru", "es"};
	for (size_t l = 0; l < 6; l++) {
		for (size_t i = 0; i < sizeof pages / sizeof *pages; i++) {
			char target[128];
			snprintf(target, sizeof target, "%s%slang=%s", pages[i], strchr(pages[i], '?') ? "&" : "?", tags[l]);
			struct ex x;
			ex_begin(&x, &e.app, "GET", target);
			rbm_web_dispatch(&x.req, &x.resp);
			char want[64];
			snprintf(want, sizeof want, "<html lang=\"%s\" dir=\"%s\">", tags[l], l == 0 ? "rtl" : "ltr");
			if (x.resp.status != 200 || !well_formed(&x) || strstr(rbm_buf_str(&x.resp.body), want) == NULL) {
				printf("# %s: status %d, well-formed %d\n", target, x.resp.status, well_formed(&x));
				CHECK(false);
			}
			/* Text from the database is escaped wherever it is shown. */
			CHECK(strstr(rbm_buf_str(&x.resp.body), "<b>&amp;</b>") == NULL);
			ex_end(&x);
		}
	}
	/* The narrative is on the review page, escaped. */
	struct ex x;
	ex_begin(&x, &e.app, "GET", "/review/1");
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_HAS(rbm_buf_str(&x.resp.body), "Kiosks &lt;b&gt;&amp;amp;&lt;/b&gt; taps");
	ex_end(&x);
	/* The dashboard draws its charts; the indicator page its years and sources. */
	ex_begin(&x, &e.app, "GET", "/results/2021/1.1.a");
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_HAS(rbm_buf_str(&x.resp.body), "<svg");
	CHECK_HAS(rbm_buf_str(&x.resp.body), "2,500");
	ex_end(&x);
	teardown(&e);
}

static void survey_and_review_forms(void)
{
	struct env e;
	CHECK(setup(&e));
	struct ex x;
	struct rbm_submission sub = {0};
	struct rbm_diag d;
	rbm_diag_init(&d);

	/* A reporter of KEN: not another office's survey. */
	signed_in = &reporter_user;
	ex_begin(&x, &e.app, "GET", "/survey/2021/ROAF");
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 403);
	ex_end(&x);
	/* Submission 1 (KEN) waits for review: read-only, a change is refused as a conflict. */
	post(&x, &e.app, "/survey/2021/KEN", "_action=save&_rev=1&v_1_1_a=3000");
	CHECK_INT(x.resp.status, 409);
	CHECK_HAS(rbm_buf_str(&x.resp.body), "waits for review");
	ex_end(&x);

	/* An administrator returns it; the reporter then corrects it. */
	signed_in = &admin_user;
	post(&x, &e.app, "/review/1", "_action=return&_rev=1&comment=");
	CHECK_INT(x.resp.status, 422); /* a return needs a comment */
	ex_end(&x);
	post(&x, &e.app, "/review/1", "_action=return&_rev=1&comment=Split+by+sex+please");
	CHECK_INT(x.resp.status, 303);
	ex_end(&x);
	signed_in = &reporter_user;
	ex_begin(&x, &e.app, "GET", "/survey/2021/KEN?lang=fr");
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_INT(x.resp.status, 200);
	CHECK_HAS(rbm_buf_str(&x.resp.body), "Split by sex please");
	CHECK_HAS(rbm_buf_str(&x.resp.body), "value=\"2500\""); /* the answers so far */
	ex_end(&x);
	/* Two problems: both shown by their fields, nothing stored. */
	post(&x, &e.app, "/survey/2021/KEN?lang=fr", "_action=submit&_rev=1&v_1_1_a=12.5&v_1_2_a=140");
	CHECK_INT(x.resp.status, 422);
	CHECK_HAS(rbm_buf_str(&x.resp.body), "id=\"e-v_1_1_a\"");
	CHECK_HAS(rbm_buf_str(&x.resp.body), "id=\"e-v_1_2_a\"");
	CHECK_HAS(rbm_buf_str(&x.resp.body), "value=\"12.5\""); /* what was typed stays */
	CHECK(well_formed(&x));
	ex_end(&x);
	CHECK_INT(rbm_collect_submission_get(e.s, 1, &sub, &d), RBM_OK);
	CHECK_INT(sub.rev, 1);
	CHECK_INT(sub.status, RBM_STATUS_RETURNED);
	rbm_collect_submission_free(&sub);
	/* A good one: stored as revision 2, submitted; then approved. */
	post(&x, &e.app, "/survey/2021/KEN", "_action=submit&_rev=1&v_1_1_a=2600&v_1_1_a__female=1300&o_1_1_narrative=x&o_1_1_lang=en");
	CHECK_INT(x.resp.status, 303);
	CHECK_STR(rbm_web_resp_get_header(&x.resp, "Location"), "/survey/2021/KEN?done=submitted");
	ex_end(&x);
	CHECK_INT(rbm_collect_submission_get(e.s, 1, &sub, &d), RBM_OK);
	CHECK_INT(sub.rev, 2);
	CHECK_INT(sub.status, RBM_STATUS_SUBMITTED);
	rbm_collect_submission_free(&sub);
	signed_in = &admin_user;
	ex_begin(&x, &e.app, "GET", "/review/1");
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_HAS(rbm_buf_str(&x.resp.body), "class=\"changed\"");
	ex_end(&x);
	post(&x, &e.app, "/review/1", "_action=approve&_rev=1"); /* an old revision */
	CHECK_INT(x.resp.status, 409);
	ex_end(&x);
	post(&x, &e.app, "/review/1", "_action=approve&_rev=2");
	CHECK_INT(x.resp.status, 303);
	ex_end(&x);
	CHECK_INT(rbm_collect_submission_get(e.s, 1, &sub, &d), RBM_OK);
	CHECK_INT(sub.status, RBM_STATUS_APPROVED);
	CHECK_INT(sub.approved_rev, 2);
	rbm_collect_submission_free(&sub);
	/* The dashboard follows the approval (the measured data reload). */
	ex_begin(&x, &e.app, "GET", "/results/2021?lang=en");
	rbm_web_dispatch(&x.req, &x.resp);
	CHECK_HAS(rbm_buf_str(&x.resp.body), "2,600");
	ex_end(&x);
	rbm_diag_free(&d);
	teardown(&e);
}

TEST_MAIN(T(every_page_in_every_language), T(survey_and_review_forms))
