/*
 * page_survey.c - GET and POST /survey/{year}/{office}: an office answers
 * the results survey in the browser.
 *
 * The questions are the ones collect generates for the office and cycle
 * (the same as the XLSForm an office fills offline), grouped by domain and
 * outcome. Saving reads the posted fields as answers to those questions
 * (rbm_collect_answers) and stores them as a new revision
 * (rbm_collect_save): a draft, or submitted for review. Every problem is
 * shown next to its field, in the page's language where the form has a
 * message for it; nothing is stored while any remains.
 */
#include "web_int.h"

#include "../collect/collect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_AS_CHECKBOXES 24 /* longer choice lists are shown as a multiple <select> */


void rbm_web__survey_free(struct rbm_web_survey *s)
{
	if (s->form) {
		rbm_collect_form_values_free(s->values, s->form->questions_len);
		free(s->errors);
	}
	rbm_collect_form_free(s->form);
	rbm_collect_cycle_free(&s->cycle);
	rbm_collect_submission_free(&s->sub);
	rbm_buf_free(&s->general);
}

/* Reads the cycle, the form and the office's submission; answers 404/403 itself. */
enum rbm_rc rbm_web__survey_load(struct rbm_web_req *req, struct rbm_web_resp *resp,
				  struct rbm_web_survey *s, bool *answered)
{
	*answered = false;
	const struct rbm_web_app *app = req->app;
	if (app->plan == NULL || app->store == NULL)
		return *answered = true, rbm_web__no_plan(req, resp);
	const char *year = rbm_web_param(req, "year");
	s->office = rbm_web_param(req, "office");
	char *end;
	long y = strtol(year, &end, 10);
	if (*end != '\0' || y < 1900 || y > 2200 || rbm_plan_find_office(app->plan, s->office) == RBM_NONE)
		return *answered = true, rbm_web_resp_error(req, resp, 404, "There is no such survey.");
	s->year = (int)y;
	if (!rbm_web__may(req, RBM_ACT_EDIT_SUBMISSION, s->office))
		return *answered = true,
		       rbm_web_resp_error(req, resp, 403, "You may answer only your own office's survey.");
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_collect_cycle_get(app->store, s->year, &s->cycle, &d);
	if (rc == RBM_OK && !rbm_collect_cycle_has_office(app->plan, &s->cycle, s->office))
		rc = RBM_ENOENT;
	if (rc == RBM_OK)
		rc = rbm_collect_form(app->plan, app->places, s->year, s->office, &s->form, &d);
	struct rbm_submission *subs = NULL;
	size_t ns = 0;
	struct rbm_submission_filter f = {s->year, s->office, NULL, false, RBM_STATUS_DRAFT};
	if (rc == RBM_OK)
		rc = rbm_collect_submissions(app->store, app->plan, &f, &subs, &ns, &d);
	if (rc == RBM_OK && ns) {
		s->sub = subs[0];
		memset(&subs[0], 0, sizeof subs[0]);
	}
	rbm_collect_submissions_free(subs, ns);
	rbm_diag_free(&d);
	if (rc == RBM_ENOENT)
		return *answered = true,
		       rbm_web_resp_error(req, resp, 404, "This office is not asked for results in this cycle.");
	if (rc != RBM_OK)
		return rc;
	s->errors = calloc(s->form->questions_len + 1, sizeof *s->errors);
	rbm_buf_init(&s->general, 64 << 10);
	return s->errors ? RBM_OK : RBM_ENOMEM;
}

/* The stored answers of the current revision. */
enum rbm_rc rbm_web__survey_stored(struct rbm_web_req *req, struct rbm_web_survey *s)
{
	if (s->sub.id == 0) {
		s->values = calloc(s->form->questions_len + 1, sizeof *s->values);
		return s->values ? RBM_OK : RBM_ENOMEM;
	}
	struct rbm_revision r = {0};
	struct rbm_content c = {0};
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_collect_revision_get(req->app->store, s->sub.id, 0, &r, &d);
	if (rc == RBM_OK)
		rc = rbm_collect_content_parse(req->app->plan, r.content_json, &c, &d);
	if (rc == RBM_OK)
		s->values = rbm_collect_form_values(req->app->plan, s->form, &c);
	rbm_collect_content_free(&c);
	rbm_collect_revision_free(&r);
	rbm_diag_free(&d);
	return rc;
}

bool rbm_web__survey_editable(const struct rbm_web_survey *s)
{
	return s->sub.id == 0 || s->sub.status == RBM_STATUS_DRAFT || s->sub.status == RBM_STATUS_RETURNED;
}

static bool chosen(const char *answer, const char *code)
{
	if (answer == NULL)
		return false;
	size_t n = strlen(code);
	for (const char *p = answer; (p = strstr(p, code)) != NULL; p += n)
		if ((p == answer || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return true;
	return false;
}

static void choices(struct rbm_buf *b, enum rbm_lang lang, const struct rbm_form *f,
		    const struct rbm_question *q, const char *id, const char *value, bool ro)
{
	const struct rbm_choice_list *l = rbm_collect_form_list(f, q->list);
	size_t n = l ? l->choices_len : 0;
	bool multiple = q->type == RBM_Q_SELECT_MULTIPLE;
	if (n > LIST_AS_CHECKBOXES || !multiple) {
		rbm_buf_addf(b, "<select id=\"%s\" name=\"%s\"%s%s%s>", id, q->name,
			     multiple ? " multiple=\"multiple\" size=\"8\"" : "", ro ? " disabled=\"disabled\"" : "",
			     "");
		if (!multiple)
			rbm_buf_adds(b, "<option value=\"\"></option>");
		for (size_t i = 0; i < n; i++) {
			rbm_buf_adds(b, "<option value=\"");
			rbm_html_text(b, l->choices[i].name);
			rbm_buf_addf(b, "\"%s>", chosen(value, l->choices[i].name) ? " selected=\"selected\"" : "");
			rbm_html_text(b, rbm_text_get(&l->choices[i].label, lang));
			rbm_buf_adds(b, "</option>");
		}
		rbm_buf_adds(b, "</select>");
		return;
	}
	rbm_buf_adds(b, "<span class=\"checks\">");
	for (size_t i = 0; i < n; i++) {
		rbm_buf_addf(b, "<label class=\"check\"><input type=\"checkbox\" name=\"%s\" value=\"", q->name);
		rbm_html_text(b, l->choices[i].name);
		rbm_buf_addf(b, "\"%s%s/> ", chosen(value, l->choices[i].name) ? " checked=\"checked\"" : "",
			     ro ? " disabled=\"disabled\"" : "");
		rbm_html_text(b, rbm_text_get(&l->choices[i].label, lang));
		rbm_buf_adds(b, "</label>");
	}
	rbm_buf_adds(b, "</span>");
}

static void question(struct rbm_buf *b, enum rbm_lang lang, const struct rbm_web_survey *s, size_t i, bool ro)
{
	const struct rbm_question *q = &s->form->questions[i];
	const char *value = s->values[i], *error = s->errors[i];
	char id[160];
	snprintf(id, sizeof id, "q-%s", q->name);
	bool sub = q->role == RBM_ROLE_VALUE && q->category != RBM_NONE;
	rbm_buf_addf(b, "<div class=\"field%s%s\" id=\"f-%s\">\n<label for=\"%s\">", sub ? " sub" : "",
		     error ? " invalid" : "", q->name, id);
	rbm_html_text(b, rbm_text_get(&q->label, lang));
	if (q->required)
		rbm_buf_adds(b, " <abbr class=\"required\" title=\"required\">*</abbr>");
	rbm_buf_adds(b, "</label>\n");
	if (!rbm_text_empty(&q->hint)) {
		rbm_buf_addf(b, "<small class=\"hint\" id=\"h-%s\">", q->name);
		rbm_html_text(b, rbm_text_get(&q->hint, lang));
		rbm_buf_adds(b, "</small>\n");
	}
	const char *dis = ro ? " disabled=\"disabled\"" : "";
	const char *inv = error ? " aria-invalid=\"true\"" : "";
	switch (q->type) {
	case RBM_Q_INTEGER:
	case RBM_Q_DECIMAL:
		rbm_buf_addf(b, "<input id=\"%s\" name=\"%s\" inputmode=\"%s\" aria-describedby=\"h-%s e-%s\"%s%s value=\"",
			     id, q->name, q->type == RBM_Q_INTEGER ? "numeric" : "decimal", q->name, q->name, dis, inv);
		rbm_html_text(b, value ? value : "");
		rbm_buf_adds(b, "\"/>\n");
		break;
	case RBM_Q_TEXT:
		if (q->role == RBM_ROLE_NARRATIVE) {
			rbm_buf_addf(b, "<textarea id=\"%s\" name=\"%s\" rows=\"5\" aria-describedby=\"h-%s e-%s\"%s%s>", id,
				     q->name, q->name, q->name, dis, inv);
			rbm_html_text(b, value ? value : "");
			rbm_buf_adds(b, "</textarea>\n");
		} else {
			rbm_buf_addf(b, "<input id=\"%s\" name=\"%s\"%s%s value=\"", id, q->name, dis, inv);
			rbm_html_text(b, value ? value : "");
			rbm_buf_adds(b, "\"/>\n");
		}
		break;
	case RBM_Q_SELECT_ONE:
	case RBM_Q_SELECT_MULTIPLE:
		choices(b, lang, s->form, q, id, value, ro);
		rbm_buf_adds(b, "\n");
		break;
	default:
		break;
	}
	if (error) {
		rbm_buf_addf(b, "<p class=\"field-error\" id=\"e-%s\" role=\"alert\">", q->name);
		rbm_html_text(b, error);
		rbm_buf_adds(b, "</p>\n");
	}
	rbm_buf_adds(b, "</div>\n");
}

static enum rbm_rc render(struct rbm_web_req *req, struct rbm_web_resp *resp, struct rbm_web_survey *s,
			  int status, const char *done)
{
	enum rbm_lang lang = rbm_web_lang(req);
	const struct rbm_form *f = s->form;
	enum rbm_rc rc = rbm_web_page_begin(req, resp, status, rbm_text_get(&f->title, lang));
	if (rc != RBM_OK)
		return rc;
	struct rbm_buf *b = &resp->body;
	rbm_buf_adds(b, "<h1>");
	rbm_html_text(b, rbm_text_get(&f->title, lang));
	rbm_buf_adds(b, "</h1>\n<p class=\"state\">");
	rbm_web__status_badge(b, lang, s->sub.id ? rbm_status_name(s->sub.status) : "not started");
	char line[256];
	if (s->sub.id) {
		snprintf(line, sizeof line, TR("revision %d, last changed %s"), s->sub.rev, s->sub.updated_at);
		rbm_buf_adds(b, " <span class=\"muted\">");
		rbm_html_text(b, line);
		rbm_buf_adds(b, "</span>");
	}
	snprintf(line, sizeof line, TR("open %s to %s"), rbm_web__date(req, lang, s->cycle.opens),
		 rbm_web__date(req, lang, s->cycle.closes));
	rbm_buf_adds(b, " <span class=\"muted\">· ");
	rbm_html_text(b, line);
	rbm_buf_adds(b, "</span></p>\n");
	if (done) {
		rbm_buf_adds(b, "<p class=\"notice\" role=\"status\">");
		rbm_html_text(b, strcmp(done, "submitted") == 0 ? TR("Submitted for review. Thank you.")
								 : TR("Draft saved."));
		rbm_buf_adds(b, "</p>\n");
	}
	if (s->sub.id && s->sub.status == RBM_STATUS_RETURNED && s->sub.comment) {
		rbm_buf_adds(b, "<div class=\"comment\" role=\"note\"><strong>");
		rbm_html_text(b, TR("The reviewer returned your submission:"));
		rbm_buf_adds(b, "</strong><blockquote>");
		rbm_html_text(b, s->sub.comment);
		rbm_buf_adds(b, "</blockquote></div>\n");
	}
	bool errors = s->general.len > 0;
	size_t nerr = 0;
	for (size_t i = 0; i < f->questions_len; i++)
		nerr += s->errors[i] != NULL;
	if (errors || nerr) {
		rbm_buf_adds(b, "<div class=\"error\" role=\"alert\" id=\"problems\"><p>");
		snprintf(line, sizeof line, TR("Nothing was saved: %zu answers need a correction."), nerr);
		rbm_html_text(b, nerr ? line : TR("Nothing was saved."));
		rbm_buf_adds(b, "</p>");
		if (errors)
			rbm_buf_add(b, s->general.data, s->general.len);
		rbm_buf_adds(b, "<ul>");
		for (size_t i = 0; i < f->questions_len; i++) {
			if (s->errors[i] == NULL)
				continue;
			rbm_buf_addf(b, "<li><a href=\"#f-%s\">", f->questions[i].name);
			rbm_html_text(b, rbm_text_get(&f->questions[i].label, lang));
			rbm_buf_adds(b, "</a></li>");
		}
		rbm_buf_adds(b, "</ul></div>\n");
	}
	bool ro = !rbm_web__survey_editable(s);
	if (ro) {
		rbm_buf_adds(b, "<p class=\"notice\">");
		rbm_html_text(b, s->sub.status == RBM_STATUS_APPROVED
					 ? TR("This submission is approved; it can no longer be changed here.")
					 : TR("This submission waits for review; it can be changed again if the reviewer returns it."));
		rbm_buf_adds(b, "</p>\n");
	}
	rbm_buf_addf(b, "<form method=\"post\" action=\"/survey/%d/", s->year);
	rbm_html_text(b, s->office);
	rbm_buf_adds(b, "\" class=\"survey\" novalidate=\"novalidate\">\n");
	rbm_web__csrf_field(req, b);
	rbm_buf_addf(b, "<input type=\"hidden\" name=\"_rev\" value=\"%d\"/>\n", s->sub.id ? s->sub.rev : 0);
	for (size_t i = 0; i < f->questions_len; i++) {
		const struct rbm_question *q = &f->questions[i];
		switch (q->type) {
		case RBM_Q_BEGIN_GROUP: {
			bool domain = q->result != RBM_NONE && req->app->plan->results[q->result].level == 0;
			rbm_buf_addf(b, "<section class=\"%s\" id=\"g-%s\">\n<h%d>", domain ? "domain" : "outcome",
				     q->name, domain ? 2 : 3);
			rbm_html_text(b, rbm_text_get(&q->label, lang));
			rbm_buf_addf(b, "</h%d>\n", domain ? 2 : 3);
			break;
		}
		case RBM_Q_END_GROUP:
			rbm_buf_adds(b, "</section>\n");
			break;
		case RBM_Q_CALCULATE:
			break;
		case RBM_Q_NOTE:
			rbm_buf_adds(b, "<p class=\"note\">");
			rbm_html_text(b, rbm_text_get(&q->label, lang));
			rbm_buf_adds(b, "</p>\n");
			break;
		default:
			question(b, lang, s, i, ro);
		}
	}
	if (!ro) {
		rbm_buf_adds(b, "<p class=\"actions\"><button type=\"submit\" name=\"_action\" value=\"save\" class=\"secondary\">");
		rbm_html_text(b, TR("Save draft"));
		rbm_buf_adds(b, "</button> <button type=\"submit\" name=\"_action\" value=\"submit\">");
		rbm_html_text(b, TR("Submit for review"));
		rbm_buf_adds(b, "</button></p>\n");
	}
	rbm_buf_adds(b, "</form>\n");
	return rbm_web_page_end(resp);
}

enum rbm_rc rbm_web__survey(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	struct rbm_web_survey s = {0};
	bool answered;
	enum rbm_rc rc = rbm_web__survey_load(req, resp, &s, &answered);
	if (rc == RBM_OK && !answered)
		rc = rbm_web__survey_stored(req, &s);
	if (rc == RBM_OK && !answered) {
		const char *done = rbm_web_query(req, "done");
		rc = render(req, resp, &s, 200,
			    done && (strcmp(done, "saved") == 0 || strcmp(done, "submitted") == 0) ? done : NULL);
	}
	rbm_web__survey_free(&s);
	return rc;
}

/* The question a problem's place ("column v_1_1_a", "..., column NAME") names, or RBM_NONE. */
static size_t question_of(const struct rbm_form *f, const char *where)
{
	const char *c = where ? strstr(where, "column ") : NULL;
	if (c == NULL)
		return RBM_NONE;
	c += 7;
	for (size_t i = 0; i < f->questions_len; i++)
		if (f->questions[i].name && strcmp(f->questions[i].name, c) == 0)
			return i;
	return RBM_NONE;
}

/* Puts each problem next to its question, in the page's language where the form has words for it. */
static void place_problems(struct rbm_web_survey *s, enum rbm_lang lang, const struct rbm_diag *d)
{
	for (size_t k = 0; k < d->len; k++) {
		const struct rbm_diag_entry *e = &d->entries[k];
		size_t i = question_of(s->form, e->where);
		if (i == RBM_NONE) {
			rbm_buf_adds(&s->general, "<p>");
			rbm_html_text(&s->general, rbm_i18n_gettext(lang, e->reason));
			rbm_buf_adds(&s->general, "</p>");
			continue;
		}
		const struct rbm_question *q = &s->form->questions[i];
		bool format = strncmp(e->reason, "expected", 8) == 0;
		s->errors[i] = format && !rbm_text_empty(&q->constraint_message)
				       ? rbm_text_get(&q->constraint_message, lang)
				       : rbm_i18n_gettext(lang, e->reason);
	}
}

enum rbm_rc rbm_web__survey_save(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	struct rbm_web_survey s = {0};
	bool answered;
	enum rbm_rc rc = rbm_web__survey_load(req, resp, &s, &answered);
	if (rc != RBM_OK || answered) {
		rbm_web__survey_free(&s);
		return rc;
	}
	const struct rbm_form *f = s.form;
	const struct rbm_web_kv *fields;
	size_t nf = rbm_web_form_fields(req, &fields);
	/* One answer per question: repeated fields (checkboxes) joined by spaces. */
	s.values = calloc(f->questions_len + 1, sizeof *s.values);
	struct rbm_answer *answers = calloc(f->questions_len + 1, sizeof *answers);
	size_t na = 0;
	if (s.values == NULL || answers == NULL) {
		free(answers);
		rbm_web__survey_free(&s);
		return RBM_ENOMEM;
	}
	for (size_t i = 0; i < f->questions_len; i++) {
		const struct rbm_question *q = &f->questions[i];
		if (q->name == NULL || q->type == RBM_Q_BEGIN_GROUP || q->type == RBM_Q_END_GROUP ||
		    q->type == RBM_Q_NOTE || q->type == RBM_Q_CALCULATE)
			continue;
		struct rbm_buf v;
		rbm_buf_init(&v, RBM_WEB_BODY_MAX);
		bool any = false;
		for (size_t k = 0; k < nf; k++) {
			if (strcmp(fields[k].name, q->name) != 0 || fields[k].value[0] == '\0')
				continue;
			rbm_buf_addf(&v, "%s%s", any ? " " : "", fields[k].value);
			any = true;
		}
		if (any) {
			s.values[i] = strdup(v.data);
			answers[na++] = (struct rbm_answer){q->name, s.values[i], NULL, NULL};
		}
		rbm_buf_free(&v);
	}
	const char *action = rbm_web_form(req, "_action");
	const char *base = rbm_web_form(req, "_rev");
	bool submit = action && strcmp(action, "submit") == 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	rc = rbm_web__survey_store(req, &s, answers, na, submit, base ? atoi(base) : -1, &d);
	if (rc == RBM_OK) {
		char to[256];
		snprintf(to, sizeof to, "/survey/%d/%s?done=%s", s.year, s.office, submit ? "submitted" : "saved");
		rc = rbm_web_resp_redirect(resp, to);
	} else if (rc == RBM_EINVAL || rc == RBM_ECONFLICT) {
		rc = render(req, resp, &s, rc == RBM_ECONFLICT ? 409 : 422, NULL);
	}
	rbm_diag_free(&d);
	free(answers);
	rbm_web__survey_free(&s);
	return rc;
}

enum rbm_rc rbm_web__survey_store(struct rbm_web_req *req, struct rbm_web_survey *s,
				  const struct rbm_answer *answers, size_t na, bool submit,
				  int base_rev, struct rbm_diag *d)
{
	enum rbm_lang lang = rbm_web_lang(req);
	const struct rbm_web_user *u = rbm_web_req_user(req);
	if (!rbm_web__survey_editable(s) && !(u && u->role == RBM_WEB_ADMIN)) {
		/* Submitted answers wait for the reviewer; approved ones are final until an administrator acts. */
		rbm_diag_add(d, NULL, NULL, s->sub.status == RBM_STATUS_APPROVED
						    ? "This submission is approved; it can no longer be changed here."
						    : "This submission waits for review; it can be changed again if the reviewer returns it.");
		place_problems(s, lang, d);
		return RBM_ECONFLICT;
	}
	struct rbm_content content = {0};
	enum rbm_rc rc = rbm_collect_answers(req->app->plan, s->form, answers, na, &content, NULL, NULL, d);
	if (rc == RBM_OK) {
		struct rbm_actor who = rbm_web__actor(req);
		struct rbm_save save = {s->year, s->office, NULL, &content, submit, base_rev, false,
					rbm_web_is_api(req) ? "api" : "web form", NULL};
		if (s->sub.id == 0 && save.base_rev == 0)
			save.base_rev = -1;
		long long id = 0;
		bool changed = false;
		rc = rbm_collect_save(req->app->store, req->app->plan, req->app->places, &save, &who, &id,
				      &changed, d);
	}
	if (rc == RBM_EINVAL || rc == RBM_ECONFLICT)
		place_problems(s, lang, d);
	rbm_collect_content_free(&content);
	return rc;
}
