/*
 * page_home.c - GET /: what the visitor can do now. The public sees the
 * published reports; a signed-in user sees the tasks of their role in the
 * open reporting cycles: a reporter its office's survey and its state, a
 * reviewer the submissions waiting in its region, an editor the report
 * text, an administrator the cycles and their response rates.
 */
#include "web_int.h"

#include "../collect/collect.h"
#include "../publish/locale.h"
#include "../publish/publication.h"

#include <stdio.h>
#include <string.h>

const char *rbm_web__office_name(const struct rbm_web_req *req, const char *code, enum rbm_lang lang)
{
	size_t i = req->app->plan ? rbm_plan_find_office(req->app->plan, code) : RBM_NONE;
	return i == RBM_NONE ? code : rbm_text_get(&req->app->plan->offices[i].title, lang);
}

const char *rbm_web__date(struct rbm_web_req *req, enum rbm_lang lang, const char *ymd)
{
	int y, m, d;
	if (ymd == NULL || sscanf(ymd, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return ymd ? ymd : "";
	char *out = rbm_arena_alloc(req->arena, 96);
	rbm_fmt_date(lang, y, m, d, out, 96);
	return out;
}

bool rbm_web__cycle_open(const struct rbm_cycle *c)
{
	char today[21];
	rbm_store_now(today);
	today[10] = '\0';
	return !c->closed && strcmp(today, c->opens) >= 0 && strcmp(today, c->closes) <= 0;
}

void rbm_web__status_badge(struct rbm_buf *b, enum rbm_lang lang, const char *status)
{
	rbm_buf_adds(b, "<span class=\"badge badge-");
	for (const char *c = status; *c; c++) /* "not started" -> badge-not-started */
		rbm_buf_addc(b, *c == ' ' ? '-' : *c);
	rbm_buf_adds(b, "\">");
	rbm_html_text(b, rbm_i18n_gettext(lang, status));
	rbm_buf_adds(b, "</span>");
}

static void reporter_tasks(struct rbm_web_req *req, struct rbm_buf *b, enum rbm_lang lang,
			   const struct rbm_user *u, const struct rbm_cycle *cycles, size_t n)
{
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		const struct rbm_cycle *c = &cycles[i];
		if (u->office == NULL || !rbm_collect_cycle_has_office(req->app->plan, c, u->office))
			continue;
		struct rbm_submission_filter f = {c->year, u->office, NULL, false, RBM_STATUS_DRAFT};
		struct rbm_submission *subs = NULL;
		size_t ns = 0;
		struct rbm_diag d;
		rbm_diag_init(&d);
		rbm_collect_submissions(req->app->store, req->app->plan, &f, &subs, &ns, &d);
		rbm_diag_free(&d);
		any = true;
		rbm_buf_adds(b, "<li class=\"task\"><a href=\"/survey/");
		rbm_buf_addf(b, "%d/", c->year);
		rbm_html_text(b, u->office);
		rbm_buf_adds(b, "\">");
		char line[256];
		snprintf(line, sizeof line, TR("Results survey %d"), c->year);
		rbm_html_text(b, line);
		rbm_buf_adds(b, " — ");
		rbm_html_text(b, rbm_web__office_name(req, u->office, lang));
		rbm_buf_adds(b, "</a> ");
		rbm_web__status_badge(b, lang, ns ? rbm_status_name(subs[0].status) : "not started");
		rbm_buf_adds(b, " <span class=\"muted\">");
		snprintf(line, sizeof line, TR("open %s to %s"), rbm_web__date(req, lang, c->opens),
			 rbm_web__date(req, lang, c->closes));
		rbm_html_text(b, line);
		if (!rbm_web__cycle_open(c)) {
			rbm_buf_adds(b, " · ");
			rbm_html_text(b, TR("closed"));
		}
		rbm_buf_adds(b, "</span>");
		if (ns && subs[0].status == RBM_STATUS_RETURNED && subs[0].comment) {
			rbm_buf_adds(b, "<blockquote class=\"comment\">");
			rbm_html_text(b, subs[0].comment);
			rbm_buf_adds(b, "</blockquote>");
		}
		rbm_buf_adds(b, "</li>\n");
		rbm_collect_submissions_free(subs, ns);
	}
	if (!any) {
		rbm_buf_adds(b, "<li class=\"muted\">");
		rbm_html_text(b, TR("No reporting cycle asks your office for results."));
		rbm_buf_adds(b, "</li>\n");
	}
}

static void reviewer_tasks(struct rbm_web_req *req, struct rbm_buf *b, enum rbm_lang lang,
			   const struct rbm_user *u, const struct rbm_cycle *cycles, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct rbm_submission_filter f = {cycles[i].year, NULL, u ? u->region : NULL, true,
						  RBM_STATUS_SUBMITTED};
		struct rbm_submission *subs = NULL;
		size_t ns = 0;
		struct rbm_diag d;
		rbm_diag_init(&d);
		rbm_collect_submissions(req->app->store, req->app->plan, &f, &subs, &ns, &d);
		rbm_diag_free(&d);
		char line[256];
		snprintf(line, sizeof line, TR("%d: %zu submissions wait for your review"), cycles[i].year, ns);
		rbm_buf_addf(b, "<li class=\"task\"><a href=\"/review?year=%d\">", cycles[i].year);
		rbm_html_text(b, line);
		rbm_buf_adds(b, "</a></li>\n");
		rbm_collect_submissions_free(subs, ns);
	}
}

static void reports_list(struct rbm_web_req *req, struct rbm_buf *b, enum rbm_lang lang,
			 bool everything)
{
	struct rbm_publication *pubs = NULL;
	size_t np = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	rbm_publication_list(req->app->store, &pubs, &np, &d);
	rbm_diag_free(&d);
	rbm_buf_adds(b, "<ul class=\"reports\">\n");
	size_t shown = 0;
	for (size_t i = 0; i < np; i++) {
		rbm_buf_addf(b, "<li><a href=\"/reports/%d/%s\">", pubs[i].year, pubs[i].report);
		char line[256];
		snprintf(line, sizeof line, "%s %d",
			 strcmp(pubs[i].report, "annual") == 0 ? TR("Annual progress report")
							       : TR("Highlights"),
			 pubs[i].year);
		rbm_html_text(b, line);
		rbm_buf_adds(b, "</a></li>\n");
		shown++;
	}
	rbm_publication_list_free(pubs, np);
	if (shown == 0) {
		rbm_buf_adds(b, "<li class=\"muted\">");
		rbm_html_text(b, TR("No report has been published yet."));
		rbm_buf_adds(b, "</li>\n");
	}
	rbm_buf_adds(b, "</ul>\n");
	if (everything) {
		rbm_buf_adds(b, "<p><a href=\"/reports\">");
		rbm_html_text(b, TR("Every report, with drafts and downloads"));
		rbm_buf_adds(b, "</a></p>\n");
	}
}

enum rbm_rc rbm_web__home(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	const struct rbm_web_user *w = rbm_web_req_user(req);
	const struct rbm_user *u = w ? w->data : NULL;
	const struct rbm_plan *plan = req->app->plan;
	enum rbm_rc rc = rbm_web_page_begin(req, resp, 200, plan ? rbm_text_get(&plan->title, lang) : "rbm");
	if (rc != RBM_OK)
		return rc;
	struct rbm_buf *b = &resp->body;
	rbm_buf_adds(b, "<h1>");
	rbm_html_text(b, plan ? rbm_text_get(&plan->title, lang) : TR("Results-based monitoring"));
	rbm_buf_adds(b, "</h1>\n");
	if (plan == NULL || req->app->store == NULL) {
		rbm_buf_adds(b, "<p class=\"notice\">");
		rbm_html_text(b, TR("The database holds no plan yet: load one with 'rbm init'."));
		rbm_buf_adds(b, "</p>\n");
		return rbm_web_page_end(resp);
	}
	struct rbm_cycle *cycles = NULL;
	size_t n = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	rbm_collect_cycle_list(req->app->store, &cycles, &n, &d);
	rbm_diag_free(&d);
	/* Newest first: the cycle being reported on leads. */
	for (size_t i = 0; i < n / 2; i++) {
		struct rbm_cycle t = cycles[i];
		cycles[i] = cycles[n - 1 - i];
		cycles[n - 1 - i] = t;
	}
	if (w) {
		rbm_buf_adds(b, "<h2>");
		rbm_html_text(b, TR("Your tasks"));
		rbm_buf_adds(b, "</h2>\n<ul class=\"tasks\">\n");
		if (w->role == RBM_WEB_REPORTER && u)
			reporter_tasks(req, b, lang, u, cycles, n);
		if (w->role == RBM_WEB_REVIEWER || w->role == RBM_WEB_ADMIN)
			reviewer_tasks(req, b, lang, u, cycles, n);
		if (w->role == RBM_WEB_EDITOR || w->role == RBM_WEB_ADMIN)
			for (size_t i = 0; i < n; i++) {
				char line[256];
				snprintf(line, sizeof line, TR("Write and translate the %d report text"), cycles[i].year);
				rbm_buf_addf(b, "<li class=\"task\"><a href=\"/editor/%d/annual\">", cycles[i].year);
				rbm_html_text(b, line);
				rbm_buf_adds(b, "</a></li>\n");
			}
		for (size_t i = 0; i < n; i++) {
			char line[256];
			snprintf(line, sizeof line, TR("Results %d"), cycles[i].year);
			rbm_buf_addf(b, "<li><a href=\"/results/%d\">", cycles[i].year);
			rbm_html_text(b, line);
			rbm_buf_addf(b, "</a> · <a href=\"/progress/%d\">", cycles[i].year);
			rbm_html_text(b, TR("Collection progress"));
			rbm_buf_adds(b, "</a></li>\n");
		}
		rbm_buf_adds(b, "</ul>\n");
	}
	rbm_buf_adds(b, "<h2>");
	rbm_html_text(b, TR("Published reports"));
	rbm_buf_adds(b, "</h2>\n");
	reports_list(req, b, lang, w != NULL);
	rbm_collect_cycles_free(cycles, n);
	return rbm_web_page_end(resp);
}
