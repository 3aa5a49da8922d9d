/*
 * page_reports.c - the reports, online and as downloads:
 *   GET  /reports                          every cycle's highlights note and annual
 *                                          report: published ones for the public,
 *                                          drafts too for signed-in users
 *   GET  /reports/{year}/{report}          the online version (?lang=), built from
 *                                          the figures as they are now
 *   GET  /reports/{year}/rbm.css           its stylesheet
 *   GET  /reports/{year}/{report}/{file}   a download: REPORT.LANG.FORMAT, FORMAT
 *                                          pdf, html, docx, xlsx or md
 *   POST /reports/{year}/{report}/publish  _action=publish|unpublish (editors)
 *   GET  /api/v1/reports                   the list as JSON, with download links
 * Anyone reads a published report; an unpublished one is answered 404 to
 * the public, as if it did not exist.
 */
#include "web_int.h"

#include "../measure/measure.h"
#include "../publish/publication.h"
#include "../publish/render.h"
#include "../publish/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPORT_MAX ((size_t)48 << 20) /* bytes of one rendered report */

static const char *const reports[] = {"highlights", "annual"};

static const char *report_title(enum rbm_lang lang, const char *report)
{
	return strcmp(report, "annual") == 0 ? rbm_i18n_gettext(lang, "Annual progress report")
					      : rbm_i18n_gettext(lang, "Highlights");
}

/* Whether the caller may read report of year: published, or anyone signed in. */
static bool may_read(struct rbm_web_req *req, const char *report, int year, bool *published)
{
	char at[21];
	struct rbm_diag d;
	rbm_diag_init(&d);
	*published = false;
	rbm_publication_get(req->app->store, report, year, published, at, &d);
	rbm_diag_free(&d);
	return *published || rbm_web_req_user(req) != NULL;
}

/* The {year} and {report} parameters; false when they name no report of a cycle. */
static bool params(struct rbm_web_req *req, int *year, const char **report, struct rbm_cycle *cycle)
{
	*year = rbm_web__year_param(req);
	*report = rbm_web_param(req, "report");
	if (*year == 0 || *report == NULL || !rbm_publication_report_known(*report))
		return false;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_collect_cycle_get(req->app->store, *year, cycle, &d);
	rbm_diag_free(&d);
	return rc == RBM_OK;
}

/* Builds report in lang and renders it in format into out. */
static enum rbm_rc build(struct rbm_web_req *req, const struct rbm_cycle *cycle, const char *report,
			 enum rbm_lang lang, const char *format, bool draft, struct rbm_buf *out,
			 struct rbm_diag *d)
{
	const struct rbm_web_app *app = req->app;
	const struct rbm_measure *m = NULL;
	const struct rbm_figures *figs = NULL;
	enum rbm_rc rc = rbm_web__measure(req, &m, &figs, d);
	if (rc != RBM_OK)
		return rc;
	char dir[4096];
	snprintf(dir, sizeof dir, "%s/reports/%s", app->data_dir, app->plan->code);
	/* Unpublished, a report is a draft: missing text is marked, not refused. */
	struct rbm_report_ctx ctx = {app->store, app->plan, app->places, m, figs, cycle, dir, false, draft};
	struct rbm_doc *doc = NULL;
	size_t fallbacks = 0;
	rc = rbm_report_build(&ctx, report, lang, &doc, &fallbacks, d);
	if (rc != RBM_OK)
		return rc;
	/* The language switcher links the same page in the other languages. */
	const char *alt[RBM_LANG_COUNT + 1] = {0};
	for (int l = 0; l < RBM_LANG_COUNT; l++) {
		char *a = rbm_arena_alloc(req->arena, 128);
		snprintf(a, 128, "%s=/reports/%d/%s?lang=%s", rbm_lang_tag((enum rbm_lang)l), cycle->year, report,
			 rbm_lang_tag((enum rbm_lang)l));
		alt[l] = a;
	}
	rc = rbm_publish_render(doc, format, alt, out, d);
	rbm_doc_free(doc);
	return rc;
}

static enum rbm_rc serve(struct rbm_web_req *req, struct rbm_web_resp *resp, const char *format,
			 enum rbm_lang lang, const char *download)
{
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	int year;
	const char *report;
	struct rbm_cycle cycle = {0};
	bool published;
	if (!params(req, &year, &report, &cycle) || !may_read(req, report, year, &published)) {
		rbm_collect_cycle_free(&cycle);
		return rbm_web_resp_error(req, resp, 404, "There is no published report at this address.");
	}
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf out;
	rbm_buf_init(&out, REPORT_MAX);
	/*
	 * Built as a draft even once published: a paragraph whose text went
	 * missing since (or that 'rbm report publish' let through) is marked, not
	 * a failure to the reader.
	 */
	enum rbm_rc rc = build(req, &cycle, report, lang, format, true, &out, &d);
	rbm_collect_cycle_free(&cycle);
	if (rc == RBM_OK) {
		resp->status = 200;
		resp->content_type = rbm_publish_format_mime(format);
		rbm_buf_free(&resp->body);
		resp->body = out;
		rbm_web_resp_header(resp, "Content-Language", rbm_lang_tag(lang));
		rbm_web_resp_header(resp, "Cache-Control", published ? "public, no-cache" : "private, no-cache");
		if (download) {
			char cd[160];
			snprintf(cd, sizeof cd, "attachment; filename=\"%s\"", download);
			rbm_web_resp_header(resp, "Content-Disposition", cd);
		}
	} else {
		rbm_buf_free(&out);
		if (d.len)
			fprintf(stderr, "rbm: report %s %d: %s\n", report, year, d.entries[0].reason);
	}
	rbm_diag_free(&d);
	return rc;
}

enum rbm_rc rbm_web__report(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	return serve(req, resp, "html", rbm_web_lang(req), NULL);
}

enum rbm_rc rbm_web__report_css(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	(void)req;
	size_t len;
	const char *css = rbm_publish_html_css(&len);
	resp->status = 200;
	resp->content_type = "text/css; charset=utf-8";
	rbm_web_resp_header(resp, "Cache-Control", "public, max-age=3600");
	return rbm_buf_add(&resp->body, css, len);
}

enum rbm_rc rbm_web__report_file(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	/* Exactly REPORT.LANG.FORMAT: nothing else is a name here. */
	const char *file = rbm_web_param(req, "file"), *report = rbm_web_param(req, "report");
	char name[64], tag[8], fmt[8];
	enum rbm_lang lang;
	size_t rl = strlen(report);
	if (strlen(file) >= sizeof name || strncmp(file, report, rl) != 0 || file[rl] != '.' ||
	    sscanf(file + rl + 1, "%2[a-z].%4[a-z]", tag, fmt) != 2 || !rbm_lang_parse(tag, &lang) ||
	    !rbm_publish_format_known(fmt))
		return rbm_web_resp_error(req, resp, 404, "There is no such file.");
	snprintf(name, sizeof name, "%s.%s.%s", report, tag, fmt);
	if (strcmp(name, file) != 0)
		return rbm_web_resp_error(req, resp, 404, "There is no such file.");
	return serve(req, resp, fmt, lang, name);
}

enum rbm_rc rbm_web__report_publish(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	int year;
	const char *report;
	struct rbm_cycle cycle = {0};
	if (!params(req, &year, &report, &cycle)) {
		rbm_collect_cycle_free(&cycle);
		return rbm_web_resp_error(req, resp, 404, "There is no such report.");
	}
	const char *action = rbm_web_form(req, "_action");
	if (action == NULL || (strcmp(action, "publish") != 0 && strcmp(action, "unpublish") != 0)) {
		rbm_collect_cycle_free(&cycle);
		return rbm_web_resp_error(req, resp, 400, "_action: expected publish or unpublish.");
	}
	struct rbm_actor who = rbm_web__actor(req);
	struct rbm_diag d;
	rbm_diag_init(&d);
	if (strcmp(action, "publish") == 0) {
		/* Only a report whose every paragraph has text goes out: build it as the public would get it. */
		struct rbm_buf probe;
		rbm_buf_init(&probe, REPORT_MAX);
		enum rbm_rc built = build(req, &cycle, report, RBM_LANG_EN, "md", false, &probe, &d);
		rbm_buf_free(&probe);
		if (built != RBM_OK) {
			char why[400];
			snprintf(why, sizeof why, "The report cannot be published yet: %s%s%s",
				 d.len && d.entries[0].where ? d.entries[0].where : "",
				 d.len && d.entries[0].where ? ": " : "", d.len ? d.entries[0].reason : "it does not build");
			rbm_diag_free(&d);
			rbm_collect_cycle_free(&cycle);
			return rbm_web_resp_error(req, resp, 422, why);
		}
	}
	enum rbm_rc rc = rbm_publication_set(req->app->store, report, year, strcmp(action, "publish") == 0, &who, &d);
	rbm_collect_cycle_free(&cycle);
	char why[300];
	snprintf(why, sizeof why, "%s", d.len ? d.entries[0].reason : "");
	rbm_diag_free(&d);
	if (rc == RBM_OK || rc == RBM_ECONFLICT)
		return rbm_web_resp_redirect(resp, "/reports");
	return rc == RBM_EINVAL ? rbm_web_resp_error(req, resp, 422, why) : rc;
}

enum rbm_rc rbm_web__reports(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	const struct rbm_web_app *app = req->app;
	if (app->plan == NULL || app->store == NULL)
		return rbm_web__no_plan(req, resp);
	const struct rbm_web_user *u = rbm_web_req_user(req);
	bool editor = u && (u->role == RBM_WEB_EDITOR || u->role == RBM_WEB_ADMIN);
	struct rbm_cycle *cycles = NULL;
	size_t n = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_collect_cycle_list(app->store, &cycles, &n, &d);
	if (rc != RBM_OK) {
		rbm_diag_free(&d);
		return rc;
	}
	rc = rbm_web_page_begin(req, resp, 200, TR("Reports"));
	struct rbm_buf *b = &resp->body;
	rbm_buf_adds(b, "<h1>");
	rbm_html_text(b, TR("Reports"));
	rbm_buf_adds(b, "</h1>\n");
	size_t shown = 0;
	for (size_t i = n; i-- > 0;) {
		for (size_t r = 0; r < 2; r++) {
			bool published = false;
			char at[21] = "";
			rbm_publication_get(app->store, reports[r], cycles[i].year, &published, at, &d);
			if (!published && u == NULL)
				continue;
			shown++;
			rbm_buf_addf(b, "<section class=\"report\" id=\"%s-%d\"><h2><a href=\"/reports/%d/%s?lang=%s\">",
				     reports[r], cycles[i].year, cycles[i].year, reports[r], rbm_lang_tag(lang));
			char line[200];
			snprintf(line, sizeof line, "%s %d", report_title(lang, reports[r]), cycles[i].year);
			rbm_html_text(b, line);
			rbm_buf_adds(b, "</a></h2>\n<p>");
			if (published) {
				snprintf(line, sizeof line, TR("Published %.10s"), at);
				rbm_web__status_badge(b, lang, "published");
				rbm_buf_adds(b, " <span class=\"muted\">");
				rbm_html_text(b, line);
				rbm_buf_adds(b, "</span>");
			} else {
				rbm_web__status_badge(b, lang, "draft");
				rbm_buf_adds(b, " <span class=\"muted\">");
				rbm_html_text(b, TR("Not published: only signed-in users see it."));
				rbm_buf_adds(b, "</span>");
			}
			if (editor) {
				rbm_buf_addf(b, " <form method=\"post\" action=\"/reports/%d/%s/publish\" class=\"inline\">",
					     cycles[i].year, reports[r]);
				rbm_web__csrf_field(req, b);
				rbm_buf_addf(b, "<button type=\"submit\" name=\"_action\" value=\"%s\" class=\"secondary\">",
					     published ? "unpublish" : "publish");
				rbm_html_text(b, published ? TR("Unpublish") : TR("Publish"));
				rbm_buf_adds(b, "</button></form>");
			}
			rbm_buf_adds(b, "</p>\n<table class=\"downloads\"><tbody>\n");
			for (int l = 0; l < RBM_LANG_COUNT; l++) {
				rbm_buf_addf(b, "<tr><th scope=\"row\" lang=\"%s\">%s</th><td>", rbm_lang_tag((enum rbm_lang)l),
					     rbm_lang_tag((enum rbm_lang)l));
				for (const char *const *f = rbm_publish_formats; *f; f++)
					rbm_buf_addf(b, "<a href=\"/reports/%d/%s/%s.%s.%s\" download=\"\">%s</a> ", cycles[i].year,
						     reports[r], reports[r], rbm_lang_tag((enum rbm_lang)l), *f, *f);
				rbm_buf_adds(b, "</td></tr>\n");
			}
			rbm_buf_adds(b, "</tbody></table></section>\n");
		}
	}
	rbm_diag_free(&d);
	if (shown == 0) {
		rbm_buf_adds(b, "<p class=\"muted\">");
		rbm_html_text(b, TR("No report has been published yet."));
		rbm_buf_adds(b, "</p>\n");
	}
	rbm_collect_cycles_free(cycles, n);
	if (rc == RBM_OK)
		rc = rbm_web_page_end(resp);
	return rc;
}

enum rbm_rc rbm_web__api_reports(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	const struct rbm_web_app *app = req->app;
	if (app->plan == NULL || app->store == NULL)
		return rbm_web__no_plan(req, resp);
	/* A bad ?page or ?per_page is answered before any work. */
	size_t page, per;
	if (!rbm_web__paging(req, resp, &page, &per))
		return RBM_OK;
	const struct rbm_web_user *u = rbm_web_req_user(req);
	struct rbm_cycle *cycles = NULL;
	size_t n = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_collect_cycle_list(app->store, &cycles, &n, &d);
	json_t *all = json_array();
	for (size_t i = n; rc == RBM_OK && i-- > 0;)
		for (size_t r = 0; r < 2; r++) {
			bool published = false;
			char at[21] = "";
			rbm_publication_get(app->store, reports[r], cycles[i].year, &published, at, &d);
			if (!published && u == NULL)
				continue;
			json_t *files = json_object();
			for (int l = 0; l < RBM_LANG_COUNT; l++)
				for (const char *const *f = rbm_publish_formats; *f; f++) {
					char name[64], url[128];
					snprintf(name, sizeof name, "%s.%s.%s", reports[r], rbm_lang_tag((enum rbm_lang)l), *f);
					snprintf(url, sizeof url, "/reports/%d/%s/%s", cycles[i].year, reports[r], name);
					json_object_set_new(files, name, json_string(url));
				}
			json_array_append_new(all, json_pack("{s:s, s:i, s:b, s:s?, s:o}", "report", reports[r], "cycle",
							     cycles[i].year, "published", published, "published_at",
							     published ? at : NULL, "files", files));
		}
	rbm_diag_free(&d);
	rbm_collect_cycles_free(cycles, n);
	if (rc != RBM_OK) {
		json_decref(all);
		return rc;
	}
	return rbm_web__paged(req, resp, all, page, per);
}
