/*
 * page_editor.c - the editor's report workspace:
 *   GET  /editor                           the newest cycle's annual report
 *   GET  /editor/{year}/{report}           every paragraph, its state in each
 *                                          language (current, stale: the
 *                                          English changed since, missing)
 *   GET  /editor/{year}/{report}?key=K&lang=L   one paragraph: the English
 *                                          beside the language, to edit
 *   POST /editor/{year}/{report}           key, lang, text: stores it
 *   GET  /api/v1/editorial/{year}/{report}             the same as JSON
 *   PUT  /api/v1/editorial/{year}/{report}/{key}/{lang} {"text": "..."}
 * Texts go through publish's editorial store, which marks translations
 * stale when the English they were made from changes.
 */
#include "web_int.h"

#include "../publish/editorial.h"
#include "../publish/i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX (64 << 10) /* bytes of one paragraph */

static const char *const state_names[] = {"missing", "stale", "current"};

static bool report_param(struct rbm_web_req *req, int *year, const char **report)
{
	*year = rbm_web__year_param(req);
	*report = rbm_web_param(req, "report");
	if (*report == NULL)
		*report = "annual";
	return *year && (strcmp(*report, "annual") == 0 || strcmp(*report, "highlights") == 0);
}

static char *text_of(struct rbm_web_req *req, const char *report, int year, const char *key, enum rbm_lang l,
		     bool *stale)
{
	char *t = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	rbm_editorial_get(req->app->store, report, year, key, l, &t, stale, &d);
	rbm_diag_free(&d);
	return t;
}

static enum rbm_rc edit_form(struct rbm_web_req *req, struct rbm_web_resp *resp, int year, const char *report,
			     const char *key, enum rbm_lang target, int status, const char *done)
{
	enum rbm_lang lang = rbm_web_lang(req);
	bool stale = false;
	char *en = text_of(req, report, year, key, RBM_LANG_EN, &stale);
	char *tr = target == RBM_LANG_EN ? NULL : text_of(req, report, year, key, target, &stale);
	char title[256];
	snprintf(title, sizeof title, "%s · %s · %s", report, key, rbm_lang_tag(target));
	enum rbm_rc rc = rbm_web_page_begin(req, resp, status, title);
	struct rbm_buf *b = &resp->body;
	rbm_buf_adds(b, "<h1>");
	rbm_html_text(b, title);
	rbm_buf_addf(b, "</h1>\n<p><a href=\"/editor/%d/%s\">", year, report);
	rbm_html_text(b, TR("Back to every paragraph"));
	rbm_buf_adds(b, "</a></p>\n");
	if (done) {
		rbm_buf_adds(b, "<p class=\"notice\" role=\"status\">");
		rbm_html_text(b, done);
		rbm_buf_adds(b, "</p>\n");
	}
	if (target != RBM_LANG_EN) {
		rbm_buf_adds(b, "<h2>English</h2>\n<div class=\"source\" lang=\"en\" dir=\"ltr\">");
		rbm_html_text(b, en ? en : "");
		rbm_buf_adds(b, "</div>\n");
		if (stale) {
			rbm_buf_adds(b, "<p class=\"error\">");
			rbm_html_text(b, TR("The English changed since this translation was made: check it and save it again."));
			rbm_buf_adds(b, "</p>\n");
		}
	}
	rbm_buf_addf(b, "<form method=\"post\" action=\"/editor/%d/%s\">", year, report);
	rbm_web__csrf_field(req, b);
	rbm_buf_adds(b, "<input type=\"hidden\" name=\"key\" value=\"");
	rbm_html_text(b, key);
	rbm_buf_addf(b, "\"/><input type=\"hidden\" name=\"lang\" value=\"%s\"/>", rbm_lang_tag(target));
	rbm_buf_addf(b, "<p><label for=\"text\">%s</label><textarea id=\"text\" name=\"text\" rows=\"10\" lang=\"%s\" dir=\"%s\">",
		     rbm_lang_tag(target), rbm_lang_tag(target), target == RBM_LANG_AR ? "rtl" : "ltr");
	const char *cur = target == RBM_LANG_EN ? en : tr;
	rbm_html_text(b, cur ? cur : "");
	rbm_buf_adds(b, "</textarea></p><p><button type=\"submit\">");
	rbm_html_text(b, TR("Save"));
	rbm_buf_adds(b, "</button></p></form>\n");
	free(en);
	free(tr);
	if (rc == RBM_OK)
		rc = rbm_web_page_end(resp);
	return rc;
}

enum rbm_rc rbm_web__editor(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	int year;
	const char *report;
	if (!report_param(req, &year, &report))
		return rbm_web_resp_error(req, resp, 404, "There is no such report.");
	const char *key = rbm_web_query(req, "key"), *l = rbm_web_query(req, "edit");
	enum rbm_lang target;
	if (key && l && rbm_lang_parse(l, &target))
		return edit_form(req, resp, year, report, key, target, 200, NULL);
	struct rbm_i18n_item *items = NULL;
	size_t n = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_i18n_status(req->app->store, &items, &n, &d);
	rbm_diag_free(&d);
	if (rc != RBM_OK)
		return rc;
	char title[160];
	snprintf(title, sizeof title, "%s %d", strcmp(report, "annual") == 0 ? TR("Annual progress report") : TR("Highlights"),
		 year);
	rc = rbm_web_page_begin(req, resp, 200, title);
	struct rbm_buf *b = &resp->body;
	rbm_buf_adds(b, "<h1>");
	rbm_html_text(b, title);
	rbm_buf_adds(b, "</h1>\n<p>");
	rbm_html_text(b, TR("Preview:"));
	for (int k = 0; k < RBM_LANG_COUNT; k++)
		rbm_buf_addf(b, " <a href=\"/reports/%d/%s?lang=%s\">%s</a>", year, report, rbm_lang_tag((enum rbm_lang)k),
			     rbm_lang_tag((enum rbm_lang)k));
	rbm_buf_adds(b, "</p>\n<table class=\"editorial\"><thead><tr><th>");
	rbm_html_text(b, TR("Paragraph"));
	rbm_buf_adds(b, "</th>");
	for (int k = 0; k < RBM_LANG_COUNT; k++)
		rbm_buf_addf(b, "<th>%s</th>", rbm_lang_tag((enum rbm_lang)k));
	rbm_buf_adds(b, "</tr></thead><tbody>\n");
	size_t shown = 0, todo[RBM_LANG_COUNT] = {0};
	for (size_t i = 0; i < n; i++) {
		if (items[i].cycle != year || strcmp(items[i].report, report) != 0)
			continue;
		shown++;
		rbm_buf_adds(b, "<tr><th scope=\"row\">");
		rbm_html_text(b, items[i].key);
		rbm_buf_adds(b, "</th>");
		for (int k = 0; k < RBM_LANG_COUNT; k++) {
			enum rbm_i18n_state st = k == RBM_LANG_EN ? RBM_I18N_CURRENT : items[i].state[k];
			todo[k] += st != RBM_I18N_CURRENT;
			rbm_buf_addf(b, "<td><a href=\"/editor/%d/%s?key=", year, report);
			rbm_html_text(b, items[i].key);
			rbm_buf_addf(b, "&amp;edit=%s\">", rbm_lang_tag((enum rbm_lang)k));
			rbm_web__status_badge(b, lang, state_names[st]);
			rbm_buf_adds(b, "</a></td>");
		}
		rbm_buf_adds(b, "</tr>\n");
	}
	rbm_buf_adds(b, "</tbody></table>\n");
	if (shown == 0) {
		rbm_buf_adds(b, "<p class=\"muted\">");
		rbm_html_text(b, TR("No text has been written for this report yet ('rbm editorial import')."));
		rbm_buf_adds(b, "</p>\n");
	} else {
		rbm_buf_adds(b, "<p class=\"muted\" id=\"todo\">");
		for (int k = 0; k < RBM_LANG_COUNT; k++) {
			if (k == RBM_LANG_EN)
				continue;
			char line[96];
			snprintf(line, sizeof line, "%s: %zu/%zu ", rbm_lang_tag((enum rbm_lang)k), shown - todo[k], shown);
			rbm_html_text(b, line);
		}
		rbm_buf_adds(b, "</p>\n");
	}
	rbm_i18n_items_free(items, n);
	if (rc == RBM_OK)
		rc = rbm_web_page_end(resp);
	return rc;
}

static enum rbm_rc store_text(struct rbm_web_req *req, int year, const char *report, const char *key,
			      const char *l, const char *text, enum rbm_lang *target, char *why, size_t why_len)
{
	if (key == NULL || *key == '\0' || l == NULL || !rbm_lang_parse(l, target) || text == NULL) {
		snprintf(why, why_len, "needs key, lang (ar, zh, en, fr, ru, es) and text");
		return RBM_EINVAL;
	}
	/* Keys name the report definition's paragraphs: "method", "domain1", "outcome_1.1". */
	size_t n = strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");
	if (key[n] != '\0' || n > 64) {
		snprintf(why, why_len, "key: 1 to 64 letters, digits, '.', '_' or '-'");
		return RBM_EINVAL;
	}
	if (strlen(text) > TEXT_MAX) {
		snprintf(why, why_len, "text: longer than %d bytes", TEXT_MAX);
		return RBM_ETOOBIG;
	}
	struct rbm_diag d;
	rbm_diag_init(&d);
	const struct rbm_web_user *u = rbm_web_req_user(req);
	enum rbm_rc rc = rbm_editorial_set(req->app->store, report, year, key, *target, text, u ? u->name : "web", &d);
	if (rc != RBM_OK && d.len)
		snprintf(why, why_len, "%s", d.entries[0].reason);
	rbm_diag_free(&d);
	return rc;
}

enum rbm_rc rbm_web__editor_save(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	int year;
	const char *report;
	if (!report_param(req, &year, &report))
		return rbm_web_resp_error(req, resp, 404, "There is no such report.");
	const char *key = rbm_web_form(req, "key");
	enum rbm_lang target = RBM_LANG_EN;
	char why[512] = "";
	enum rbm_rc rc = store_text(req, year, report, key, rbm_web_form(req, "lang"), rbm_web_form(req, "text"),
				    &target, why, sizeof why);
	if (rc == RBM_OK)
		return edit_form(req, resp, year, report, key, target, 200, TR("Saved."));
	if (rc == RBM_EINVAL || rc == RBM_ETOOBIG)
		return rbm_web_resp_error(req, resp, rc == RBM_ETOOBIG ? 413 : 422, why);
	return rc;
}

enum rbm_rc rbm_web__api_editorial(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	int year;
	const char *report;
	if (!report_param(req, &year, &report))
		return rbm_web_resp_error(req, resp, 404, "There is no such report.");
	/* A bad ?page or ?per_page is answered before any work. */
	size_t page, per;
	if (!rbm_web__paging(req, resp, &page, &per))
		return RBM_OK;
	struct rbm_i18n_item *items = NULL;
	size_t n = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_i18n_status(req->app->store, &items, &n, &d);
	rbm_diag_free(&d);
	if (rc != RBM_OK)
		return rc;
	json_t *all = json_array();
	for (size_t i = 0; i < n; i++) {
		if (items[i].cycle != year || strcmp(items[i].report, report) != 0)
			continue;
		json_t *langs = json_object();
		for (int k = 0; k < RBM_LANG_COUNT; k++) {
			bool stale = false;
			char *t = text_of(req, report, year, items[i].key, (enum rbm_lang)k, &stale);
			enum rbm_i18n_state st = k == RBM_LANG_EN ? RBM_I18N_CURRENT : items[i].state[k];
			json_object_set_new(langs, rbm_lang_tag((enum rbm_lang)k),
					    json_pack("{s:s, s:s?}", "state", state_names[st], "text", t));
			free(t);
		}
		json_array_append_new(all, json_pack("{s:s, s:o}", "key", items[i].key, "languages", langs));
	}
	rbm_i18n_items_free(items, n);
	return rbm_web__paged(req, resp, all, page, per);
}

enum rbm_rc rbm_web__api_editorial_put(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	int year;
	const char *report;
	if (!report_param(req, &year, &report))
		return rbm_web_resp_error(req, resp, 404, "There is no such report.");
	json_t *body = rbm_web__json_body(req, resp);
	if (body == NULL)
		return RBM_OK;
	json_t *t = json_object_get(body, "text");
	enum rbm_lang target;
	char why[512] = "";
	enum rbm_rc rc = store_text(req, year, report, rbm_web_param(req, "key"), rbm_web_param(req, "lang"),
				    json_is_string(t) ? json_string_value(t) : NULL, &target, why, sizeof why);
	if (rc == RBM_OK) {
		json_t *ok = json_pack("{s:s, s:s, s:s}", "key", rbm_web_param(req, "key"), "lang",
				       rbm_lang_tag(target), "state", "current");
		rc = rbm_web_resp_json(resp, 200, ok);
		json_decref(ok);
	} else if (rc == RBM_EINVAL || rc == RBM_ETOOBIG) {
		rc = rbm_web_resp_error(req, resp, rc == RBM_ETOOBIG ? 413 : 422, why);
	}
	json_decref(body);
	return rc;
}
