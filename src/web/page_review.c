/*
 * page_review.c - the reviewer's queue and one submission under review:
 *   GET  /review              submissions of the reviewer's region, by state
 *   GET  /review/{id}         one submission: its revisions side by side
 *                             (?a=REV&b=REV; by default the one before the
 *                             current and the current), approve or return
 *   POST /review/{id}         _action=approve|return, comment, _rev
 * Who may see and act is auth's rule (rbm_auth_may): a reviewer covers its
 * region's offices, an administrator every office. Approving or returning
 * an old revision (someone changed it meanwhile) is refused as a conflict.
 */
#include "web_int.h"

#include "../collect/collect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum rbm_rc rbm_web__review_queue(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	const struct rbm_web_app *app = req->app;
	if (app->plan == NULL || app->store == NULL)
		return rbm_web__no_plan(req, resp);
	const struct rbm_web_user *w = rbm_web_req_user(req);
	const struct rbm_user *u = w ? w->data : NULL;
	const char *year = rbm_web_query(req, "year"), *status = rbm_web_query(req, "status");
	struct rbm_submission_filter f = {0};
	f.year = year ? atoi(year) : 0;
	f.region = u && u->role == RBM_AUTH_REVIEWER ? u->region : NULL;
	f.has_status = true;
	f.status = RBM_STATUS_SUBMITTED;
	if (status && strcmp(status, "all") == 0)
		f.has_status = false;
	else if (status && !rbm_status_parse(status, &f.status))
		return rbm_web_resp_error(req, resp, 400, "status: expected draft, submitted, returned, approved or all.");
	struct rbm_submission *subs = NULL;
	size_t n = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_collect_submissions(app->store, app->plan, &f, &subs, &n, &d);
	rbm_diag_free(&d);
	if (rc != RBM_OK)
		return rc;
	rc = rbm_web_page_begin(req, resp, 200, TR("Review"));
	struct rbm_buf *b = &resp->body;
	rbm_buf_adds(b, "<h1>");
	rbm_html_text(b, TR("Submissions to review"));
	rbm_buf_adds(b, "</h1>\n<p class=\"filters\">");
	static const char *const states[] = {"submitted", "returned", "approved", "draft", "all"};
	for (size_t i = 0; i < sizeof states / sizeof *states; i++) {
		bool here = (!f.has_status && strcmp(states[i], "all") == 0) ||
			    (f.has_status && strcmp(states[i], rbm_status_name(f.status)) == 0);
		rbm_buf_addf(b, "<a href=\"/review?status=%s", states[i]);
		if (f.year)
			rbm_buf_addf(b, "&amp;year=%d", f.year); /* the filter keeps the year asked for */
		rbm_buf_addf(b, "\"%s>", here ? " aria-current=\"true\"" : "");
		rbm_html_text(b, rbm_i18n_gettext(lang, states[i]));
		rbm_buf_adds(b, "</a> ");
	}
	rbm_buf_adds(b, "</p>\n");
	if (n == 0) {
		rbm_buf_adds(b, "<p class=\"muted\">");
		rbm_html_text(b, TR("Nothing waits here."));
		rbm_buf_adds(b, "</p>\n");
	} else {
		rbm_buf_adds(b, "<table class=\"queue\"><thead><tr><th>");
		rbm_html_text(b, TR("Office"));
		rbm_buf_adds(b, "</th><th class=\"num\">");
		rbm_html_text(b, TR("Cycle"));
		rbm_buf_adds(b, "</th><th>");
		rbm_html_text(b, TR("State"));
		rbm_buf_adds(b, "</th><th class=\"num\">");
		rbm_html_text(b, TR("Revision"));
		rbm_buf_adds(b, "</th><th>");
		rbm_html_text(b, TR("Last changed"));
		rbm_buf_adds(b, "</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < n; i++) {
			rbm_buf_addf(b, "<tr><td><a href=\"/review/%lld\">", subs[i].id);
			rbm_html_text(b, rbm_web__office_name(req, subs[i].office, lang));
			rbm_buf_adds(b, "</a> <span class=\"muted\">");
			rbm_html_text(b, subs[i].office);
			rbm_buf_addf(b, "</span></td><td class=\"num\">%d</td><td>", subs[i].year);
			rbm_web__status_badge(b, lang, rbm_status_name(subs[i].status));
			rbm_buf_addf(b, "</td><td class=\"num\">%d</td><td>", subs[i].rev);
			rbm_html_text(b, subs[i].updated_at);
			rbm_buf_adds(b, "</td></tr>\n");
		}
		rbm_buf_adds(b, "</tbody></table>\n");
	}
	rbm_collect_submissions_free(subs, n);
	if (rc == RBM_OK)
		rc = rbm_web_page_end(resp);
	return rc;
}

/* The answers of revision rev of submission id, per question of f (NULL entries: none). */
static char **revision_values(struct rbm_web_req *req, const struct rbm_form *f, long long id, int rev)
{
	struct rbm_revision r = {0};
	struct rbm_content c = {0};
	struct rbm_diag d;
	rbm_diag_init(&d);
	char **v = NULL;
	if (rbm_collect_revision_get(req->app->store, id, rev, &r, &d) == RBM_OK &&
	    rbm_collect_content_parse(req->app->plan, r.content_json, &c, &d) == RBM_OK)
		v = rbm_collect_form_values(req->app->plan, f, &c);
	rbm_collect_content_free(&c);
	rbm_collect_revision_free(&r);
	rbm_diag_free(&d);
	return v;
}

static bool same(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

static void diff_cell(struct rbm_buf *b, const char *v)
{
	rbm_buf_adds(b, "<td>");
	if (v)
		rbm_html_text(b, v);
	else
		rbm_buf_adds(b, "<span class=\"muted\">—</span>");
	rbm_buf_adds(b, "</td>");
}

static enum rbm_rc page(struct rbm_web_req *req, struct rbm_web_resp *resp, long long id, int status,
			const char *problem)
{
	enum rbm_lang lang = rbm_web_lang(req);
	const struct rbm_web_app *app = req->app;
	struct rbm_submission sub = {0};
	struct rbm_form *form = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_collect_submission_get(app->store, id, &sub, &d);
	bool refused = rc == RBM_OK && !rbm_web__may(req, RBM_ACT_READ_SUBMISSION, sub.office);
	if (rc == RBM_OK && !refused)
		rc = rbm_collect_form(app->plan, app->places, sub.year, sub.office, &form, &d);
	rbm_diag_free(&d);
	if (rc == RBM_ENOENT || refused) {
		rbm_collect_submission_free(&sub);
		return rbm_web_resp_error(req, resp, refused ? 403 : 404,
					  refused ? "This submission is not in your region."
						  : "There is no such submission.");
	}
	if (rc != RBM_OK) {
		rbm_collect_submission_free(&sub);
		return rc;
	}
	const char *qa = rbm_web_query(req, "a"), *qb = rbm_web_query(req, "b");
	int rb = qb ? atoi(qb) : sub.rev, ra = qa ? atoi(qa) : sub.rev - 1;
	if (rb < 1 || rb > sub.rev)
		rb = sub.rev;
	if (ra < 0 || ra > sub.rev)
		ra = 0;
	char **va = ra ? revision_values(req, form, id, ra) : NULL;
	char **vb = revision_values(req, form, id, rb);
	char title[256];
	snprintf(title, sizeof title, "%s %d — %s", TR("Submission"), sub.year,
		 rbm_web__office_name(req, sub.office, lang));
	rc = rbm_web_page_begin(req, resp, status, title);
	struct rbm_buf *b = &resp->body;
	rbm_buf_adds(b, "<h1>");
	rbm_html_text(b, title);
	rbm_buf_adds(b, "</h1>\n<p class=\"state\">");
	rbm_web__status_badge(b, lang, rbm_status_name(sub.status));
	char line[256];
	snprintf(line, sizeof line, TR("revision %d, last changed %s"), sub.rev, sub.updated_at);
	rbm_buf_adds(b, " <span class=\"muted\">");
	rbm_html_text(b, line);
	rbm_buf_adds(b, "</span></p>\n");
	if (problem) {
		rbm_buf_adds(b, "<p class=\"error\" role=\"alert\">");
		rbm_html_text(b, problem);
		rbm_buf_adds(b, "</p>\n");
	}
	if (sub.comment) {
		rbm_buf_adds(b, "<div class=\"comment\"><strong>");
		rbm_html_text(b, TR("Last comment:"));
		rbm_buf_adds(b, "</strong><blockquote>");
		rbm_html_text(b, sub.comment);
		rbm_buf_adds(b, "</blockquote></div>\n");
	}
	/* Which revisions to compare. */
	rbm_buf_addf(b, "<form method=\"get\" action=\"/review/%lld\" class=\"compare\"><label>", id);
	rbm_html_text(b, TR("Compare revision"));
	rbm_buf_adds(b, " <select name=\"a\"><option value=\"0\">—</option>");
	for (int r = 1; r <= sub.rev; r++)
		rbm_buf_addf(b, "<option value=\"%d\"%s>%d</option>", r, r == ra ? " selected=\"selected\"" : "", r);
	rbm_buf_adds(b, "</select></label> <label>");
	rbm_html_text(b, TR("with revision"));
	rbm_buf_adds(b, " <select name=\"b\">");
	for (int r = 1; r <= sub.rev; r++)
		rbm_buf_addf(b, "<option value=\"%d\"%s>%d</option>", r, r == rb ? " selected=\"selected\"" : "", r);
	rbm_buf_adds(b, "</select></label> <button type=\"submit\" class=\"secondary\">");
	rbm_html_text(b, TR("Compare"));
	rbm_buf_adds(b, "</button></form>\n");
	size_t changed = 0;
	rbm_buf_adds(b, "<table class=\"diff\"><thead><tr><th>");
	rbm_html_text(b, TR("Question"));
	if (ra)
		rbm_buf_addf(b, "</th><th>%s %d", TR("Revision"), ra);
	rbm_buf_addf(b, "</th><th>%s %d</th></tr></thead>\n<tbody>\n", TR("Revision"), rb);
	for (size_t i = 0; i < form->questions_len && vb; i++) {
		const char *a = va ? va[i] : NULL, *bv = vb[i];
		const struct rbm_question *q = &form->questions[i];
		if ((a == NULL && bv == NULL) || q->role == RBM_ROLE_OFFICE || q->role == RBM_ROLE_CYCLE)
			continue;
		bool differs = ra && !same(a, bv);
		changed += differs;
		rbm_buf_addf(b, "<tr%s><th scope=\"row\">", differs ? " class=\"changed\"" : "");
		rbm_html_text(b, rbm_text_get(&q->label, lang));
		rbm_buf_adds(b, "</th>");
		if (ra)
			diff_cell(b, a);
		diff_cell(b, bv);
		rbm_buf_adds(b, "</tr>\n");
	}
	rbm_buf_adds(b, "</tbody></table>\n");
	if (ra) {
		snprintf(line, sizeof line, TR("%zu answers changed between revision %d and %d."), changed, ra, rb);
		rbm_buf_adds(b, "<p class=\"muted\" id=\"changed\">");
		rbm_html_text(b, line);
		rbm_buf_adds(b, "</p>\n");
	}
	if (sub.status == RBM_STATUS_SUBMITTED && rbm_web__may(req, RBM_ACT_REVIEW, sub.office)) {
		rbm_buf_addf(b, "<form method=\"post\" action=\"/review/%lld\" class=\"decide\">", id);
		rbm_web__csrf_field(req, b);
		rbm_buf_addf(b, "<input type=\"hidden\" name=\"_rev\" value=\"%d\"/>", sub.rev);
		rbm_buf_adds(b, "<p><label for=\"comment\">");
		rbm_html_text(b, TR("Comment to the office (needed to return it)"));
		rbm_buf_adds(b, "</label><textarea id=\"comment\" name=\"comment\" rows=\"4\"></textarea></p>"
				"<p class=\"actions\"><button type=\"submit\" name=\"_action\" value=\"approve\">");
		rbm_html_text(b, TR("Approve"));
		rbm_buf_adds(b, "</button> <button type=\"submit\" name=\"_action\" value=\"return\" class=\"secondary\">");
		rbm_html_text(b, TR("Return to the office"));
		rbm_buf_adds(b, "</button></p></form>\n");
	}
	rbm_collect_form_values_free(va, form->questions_len);
	rbm_collect_form_values_free(vb, form->questions_len);
	rbm_collect_form_free(form);
	rbm_collect_submission_free(&sub);
	if (rc == RBM_OK)
		rc = rbm_web_page_end(resp);
	return rc;
}

static bool submission_id(struct rbm_web_req *req, long long *id)
{
	const char *s = rbm_web_param(req, "id");
	char *end;
	*id = strtoll(s, &end, 10);
	return *s && *end == '\0' && *id > 0;
}

enum rbm_rc rbm_web__review(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	long long id;
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	if (!submission_id(req, &id))
		return rbm_web_resp_error(req, resp, 404, "There is no such submission.");
	return page(req, resp, id, 200, NULL);
}

enum rbm_rc rbm_web__review_decide(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	long long id;
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	if (!submission_id(req, &id))
		return rbm_web_resp_error(req, resp, 404, "There is no such submission.");
	struct rbm_submission sub = {0};
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_collect_submission_get(req->app->store, id, &sub, &d);
	bool may = rc == RBM_OK && rbm_web__may(req, RBM_ACT_REVIEW, sub.office);
	rbm_collect_submission_free(&sub);
	if (rc != RBM_OK || !may) {
		rbm_diag_free(&d);
		return rbm_web_resp_error(req, resp, rc != RBM_OK ? 404 : 403,
					  rc != RBM_OK ? "There is no such submission."
						       : "This submission is not in your region.");
	}
	const char *action = rbm_web_form(req, "_action"), *rev = rbm_web_form(req, "_rev");
	const char *comment = rbm_web_form(req, "comment");
	struct rbm_actor who = rbm_web__actor(req);
	int base = rev ? atoi(rev) : -1;
	if (action && strcmp(action, "approve") == 0)
		rc = rbm_collect_approve(req->app->store, id, base, &who, &d);
	else if (action && strcmp(action, "return") == 0)
		rc = rbm_collect_return(req->app->store, id, base, comment && *comment ? comment : NULL, &who, &d);
	else {
		rbm_diag_free(&d);
		return rbm_web_resp_error(req, resp, 400, "_action: expected approve or return.");
	}
	if (rc == RBM_OK) {
		rbm_diag_free(&d);
		char to[64];
		snprintf(to, sizeof to, "/review/%lld", id);
		return rbm_web_resp_redirect(resp, to);
	}
	char why[512];
	snprintf(why, sizeof why, "%s", d.len ? rbm_i18n_gettext(lang, d.entries[0].reason) : "");
	rbm_diag_free(&d);
	if (rc == RBM_EINVAL || rc == RBM_ECONFLICT)
		return page(req, resp, id, rc == RBM_EINVAL ? 422 : 409, why);
	return rc;
}
