/*
 * api_survey.c - the survey through the API, as the survey page does it:
 *   GET /api/v1/surveys/{year}/{office}  the questions (name, type, label
 *       and hint in ?lang=, required, choices list, limits) and the answers
 *       of the current revision, with the submission's state
 *   PUT /api/v1/surveys/{year}/{office}  {"answers": {"v_1_1_a": "5000",
 *       "o_1_1_countries": ["KEN"]}, "submit": true, "base_rev": 1}
 *       stores a new revision; 422 with every problem by field, 409 when
 *       base_rev is not the current revision.
 */
#include "web_int.h"

#include "../collect/collect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *type_name(enum rbm_question_type t)
{
	switch (t) {
	case RBM_Q_INTEGER: return "integer";
	case RBM_Q_DECIMAL: return "decimal";
	case RBM_Q_TEXT: return "text";
	case RBM_Q_SELECT_ONE: return "select_one";
	case RBM_Q_SELECT_MULTIPLE: return "select_multiple";
	default: return NULL;
	}
}

static json_t *state(const struct rbm_web_survey *s)
{
	if (s->sub.id == 0)
		return json_pack("{s:n, s:s, s:i}", "id", "status", "not started", "rev", 0);
	return json_pack("{s:I, s:s, s:i, s:s?}", "id", (json_int_t)s->sub.id, "status",
			 rbm_status_name(s->sub.status), "rev", s->sub.rev, "comment", s->sub.comment);
}

enum rbm_rc rbm_web__api_survey(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	struct rbm_web_survey s = {0};
	bool answered;
	enum rbm_rc rc = rbm_web__survey_load(req, resp, &s, &answered);
	if (rc == RBM_OK && !answered)
		rc = rbm_web__survey_stored(req, &s);
	if (rc != RBM_OK || answered) {
		rbm_web__survey_free(&s);
		return rc;
	}
	json_t *qs = json_array();
	for (size_t i = 0; i < s.form->questions_len; i++) {
		const struct rbm_question *q = &s.form->questions[i];
		const char *type = type_name(q->type);
		if (type == NULL)
			continue;
		json_t *j = json_pack("{s:s, s:s, s:s, s:b}", "name", q->name, "type", type, "label",
				      rbm_text_get(&q->label, lang), "required", q->required);
		if (!rbm_text_empty(&q->hint))
			json_object_set_new(j, "hint", json_string(rbm_text_get(&q->hint, lang)));
		if (q->list)
			json_object_set_new(j, "list", json_string(q->list));
		if (q->has_min)
			json_object_set_new(j, "min", json_real(q->min));
		if (q->has_max)
			json_object_set_new(j, "max", json_real(q->max));
		if (q->whole)
			json_object_set_new(j, "whole", json_true());
		if (s.values[i])
			json_object_set_new(j, "answer", json_string(s.values[i]));
		json_array_append_new(qs, j);
	}
	json_t *lists = json_object();
	for (size_t i = 0; i < s.form->lists_len; i++) {
		json_t *l = json_array();
		for (size_t k = 0; k < s.form->lists[i].choices_len; k++)
			json_array_append_new(l, json_pack("{s:s, s:s}", "name", s.form->lists[i].choices[k].name,
							   "label",
							   rbm_text_get(&s.form->lists[i].choices[k].label, lang)));
		json_object_set_new(lists, s.form->lists[i].name, l);
	}
	json_t *j = json_pack("{s:s, s:s, s:i, s:s, s:s, s:b, s:o, s:o, s:o}", "form_id", s.form->id, "version",
			      s.form->version, "cycle", s.year, "office", s.office, "lang", rbm_lang_tag(lang),
			      "editable", rbm_web__survey_editable(&s), "submission", state(&s), "questions", qs,
			      "lists", lists);
	rc = rbm_web_resp_json(resp, 200, j);
	json_decref(j);
	rbm_web__survey_free(&s);
	return rc;
}

/* An answer as text: strings as given, numbers printed, arrays of strings joined by spaces. */
static char *answer_text(json_t *v)
{
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_integer(v)) {
		char buf[32];
		snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		return strdup(buf);
	}
	if (json_is_real(v)) {
		char buf[64];
		snprintf(buf, sizeof buf, "%.17g", json_real_value(v));
		return strdup(buf);
	}
	if (json_is_boolean(v))
		return strdup(json_is_true(v) ? "yes" : "no");
	if (json_is_array(v)) {
		struct rbm_buf b;
		rbm_buf_init(&b, RBM_WEB_BODY_MAX);
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e) {
			if (!json_is_string(e)) {
				rbm_buf_free(&b);
				return NULL;
			}
			rbm_buf_addf(&b, "%s%s", i ? " " : "", json_string_value(e));
		}
		char *s = strdup(b.data ? b.data : "");
		rbm_buf_free(&b);
		return s;
	}
	return NULL;
}

enum rbm_rc rbm_web__api_survey_put(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	json_t *body = rbm_web__json_body(req, resp);
	if (body == NULL)
		return RBM_OK;
	struct rbm_web_survey s = {0};
	bool answered;
	enum rbm_rc rc = rbm_web__survey_load(req, resp, &s, &answered);
	if (rc != RBM_OK || answered) {
		json_decref(body);
		rbm_web__survey_free(&s);
		return rc;
	}
	json_t *answers = json_object_get(body, "answers"), *submit = json_object_get(body, "submit");
	json_t *base = json_object_get(body, "base_rev");
	if (!json_is_object(answers) || (submit && !json_is_boolean(submit)) || (base && !json_is_integer(base))) {
		json_decref(body);
		rbm_web__survey_free(&s);
		return rbm_web_resp_error(req, resp, 400,
					  "Expected {\"answers\": {NAME: VALUE, ...}, \"submit\": true|false, "
					  "\"base_rev\": N}.");
	}
	size_t n = json_object_size(answers), na = 0;
	struct rbm_answer *a = calloc(n + 1, sizeof *a);
	char **texts = calloc(n + 1, sizeof *texts);
	json_t *errors = json_array();
	const char *name;
	json_t *v;
	json_object_foreach(answers, name, v) {
		char *t = answer_text(v);
		if (t == NULL) {
			json_array_append_new(errors, json_pack("{s:s, s:s}", "field", name, "detail",
								"expected a string, a number, true/false or a list of strings"));
			continue;
		}
		texts[na] = t;
		a[na] = (struct rbm_answer){name, t, NULL, NULL};
		na++;
	}
	struct rbm_diag d;
	rbm_diag_init(&d);
	if (json_array_size(errors) == 0) {
		rc = rbm_web__survey_store(req, &s, a, na, json_is_true(submit),
					   base ? (int)json_integer_value(base) : -1, &d);
		if (rc == RBM_EINVAL || rc == RBM_ECONFLICT) {
			for (size_t i = 0; i < s.form->questions_len; i++)
				if (s.errors[i])
					json_array_append_new(errors, json_pack("{s:s, s:s}", "field", s.form->questions[i].name,
										"detail", s.errors[i]));
			for (size_t k = 0; k < d.len; k++)
				if (d.entries[k].where == NULL)
					json_array_append_new(errors, json_pack("{s:s}", "detail", d.entries[k].reason));
		}
	} else {
		rc = RBM_EINVAL;
	}
	if (rc == RBM_OK) {
		json_decref(errors);
		rbm_web__survey_free(&s);
		memset(&s, 0, sizeof s);
		rc = rbm_web__api_survey(req, resp);
	} else if (rc == RBM_EINVAL || rc == RBM_ECONFLICT) {
		rc = rbm_web__problem(req, resp, rc == RBM_EINVAL ? 422 : 409,
				      rc == RBM_EINVAL ? "Nothing was saved: some answers need a correction."
						       : (d.len ? d.entries[0].reason : "The submission changed meanwhile."),
				      errors);
	} else {
		json_decref(errors);
	}
	rbm_diag_free(&d);
	for (size_t i = 0; i < na; i++)
		free(texts[i]);
	free(texts);
	free(a);
	rbm_web__survey_free(&s);
	json_decref(body);
	return rc;
}
