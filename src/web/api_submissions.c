/*
 * api_submissions.c - the JSON API for what the survey and review pages do:
 *   GET  /api/v1/submissions                    list (?cycle ?office ?region ?status, paged)
 *   GET  /api/v1/submissions/{id}               one, with its revisions and current answers
 *   POST /api/v1/submissions/{id}/approve       {"base_rev": N}
 *   POST /api/v1/submissions/{id}/return        {"base_rev": N, "comment": "..."}
 *   GET  /api/v1/surveys/{year}/{office}        the office's form and answers so far
 *   PUT  /api/v1/surveys/{year}/{office}        {"answers": {...}, "submit": bool, "base_rev": N}
 * Lists hold only what the caller may read: a reporter its office's
 * submissions, a reviewer its region's, an administrator every one.
 */
#include "web_int.h"

#include "../collect/collect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PER_PAGE 50
#define PER_PAGE_MAX 500

/* ?page= and ?per_page=; false after answering 400. */
bool rbm_web__paging(struct rbm_web_req *req, struct rbm_web_resp *resp, size_t *page, size_t *per)
{
	const char *p = rbm_web_query(req, "page"), *pp = rbm_web_query(req, "per_page");
	char *end;
	long v;
	*page = 1;
	*per = PER_PAGE;
	if (p) {
		v = strtol(p, &end, 10);
		if (*p == '\0' || *end != '\0' || v < 1 || v > 1000000)
			return rbm_web_resp_error(req, resp, 400, "page: expected a whole number from 1."), false;
		*page = (size_t)v;
	}
	if (pp) {
		v = strtol(pp, &end, 10);
		if (*pp == '\0' || *end != '\0' || v < 1 || v > PER_PAGE_MAX)
			return rbm_web_resp_error(req, resp, 400, "per_page: expected a whole number from 1 to 500."),
			       false;
		*per = (size_t)v;
	}
	return true;
}

/* {"items": [...], "page", "per_page", "total"} with a Link to the next page. */
enum rbm_rc rbm_web__paged(struct rbm_web_req *req, struct rbm_web_resp *resp, json_t *all, size_t page,
			   size_t per)
{
	size_t total = json_array_size(all), from = (page - 1) * per;
	json_t *items = json_array();
	for (size_t i = from; i < total && i < from + per; i++)
		json_array_append(items, json_array_get(all, i));
	json_t *j = json_pack("{s:o, s:I, s:I, s:I}", "items", items, "page", (json_int_t)page, "per_page",
			      (json_int_t)per, "total", (json_int_t)total);
	if (from + per < total) {
		char link[600];
		snprintf(link, sizeof link, "<%s?page=%zu&per_page=%zu>; rel=\"next\"", req->path, page + 1, per);
		rbm_web_resp_header(resp, "Link", link);
	}
	enum rbm_rc rc = rbm_web_resp_json(resp, 200, j);
	json_decref(j);
	json_decref(all);
	return rc;
}

static json_t *submission_json(const struct rbm_submission *s)
{
	return json_pack("{s:I, s:i, s:s, s:s?, s:s, s:i, s:i, s:s, s:s?}", "id", (json_int_t)s->id, "cycle",
			 s->year, "office", s->office, "uuid", s->uuid, "status", rbm_status_name(s->status),
			 "rev", s->rev, "approved_rev", s->approved_rev, "updated_at", s->updated_at, "comment",
			 s->comment);
}

enum rbm_rc rbm_web__api_submissions(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	const struct rbm_web_app *app = req->app;
	if (app->plan == NULL || app->store == NULL)
		return rbm_web__no_plan(req, resp);
	size_t page, per;
	if (!rbm_web__paging(req, resp, &page, &per))
		return RBM_OK;
	struct rbm_submission_filter f = {0};
	const char *cycle = rbm_web_query(req, "cycle"), *status = rbm_web_query(req, "status");
	f.year = cycle ? atoi(cycle) : 0;
	f.office = rbm_web_query(req, "office");
	f.region = rbm_web_query(req, "region");
	if (status) {
		if (!rbm_status_parse(status, &f.status))
			return rbm_web_resp_error(req, resp, 400,
						  "status: expected draft, submitted, returned or approved.");
		f.has_status = true;
	}
	struct rbm_submission *v = NULL;
	size_t n = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_collect_submissions(app->store, app->plan, &f, &v, &n, &d);
	rbm_diag_free(&d);
	if (rc != RBM_OK)
		return rc;
	json_t *all = json_array();
	for (size_t i = 0; i < n; i++)
		if (rbm_web__may(req, RBM_ACT_READ_SUBMISSION, v[i].office))
			json_array_append_new(all, submission_json(&v[i]));
	rbm_collect_submissions_free(v, n);
	return rbm_web__paged(req, resp, all, page, per);
}

/* The {id} parameter's submission, if the user may read it; else answers 404 or 403. */
static bool load(struct rbm_web_req *req, struct rbm_web_resp *resp, struct rbm_submission *s,
		 enum rbm_action action)
{
	const char *p = rbm_web_param(req, "id");
	char *end;
	long long id = strtoll(p, &end, 10);
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = *p && *end == '\0' && id > 0 ? rbm_collect_submission_get(req->app->store, id, s, &d)
						      : RBM_ENOENT;
	rbm_diag_free(&d);
	if (rc != RBM_OK) {
		rbm_web_resp_error(req, resp, 404, "There is no such submission.");
		return false;
	}
	if (!rbm_web__may(req, action, s->office)) {
		rbm_collect_submission_free(s);
		rbm_web_resp_error(req, resp, 403, action == RBM_ACT_REVIEW
							   ? "You may not review this office's submissions."
							   : "You may not read this office's submissions.");
		return false;
	}
	return true;
}

enum rbm_rc rbm_web__api_submission(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	struct rbm_submission s = {0};
	if (!load(req, resp, &s, RBM_ACT_READ_SUBMISSION))
		return RBM_OK;
	json_t *j = submission_json(&s);
	json_t *revs = json_array();
	struct rbm_diag d;
	rbm_diag_init(&d);
	for (int r = 1; r <= s.rev; r++) {
		struct rbm_revision rv = {0};
		if (rbm_collect_revision_get(req->app->store, s.id, r, &rv, &d) != RBM_OK)
			continue;
		json_t *content = json_loads(rv.content_json, 0, NULL);
		json_array_append_new(revs, json_pack("{s:i, s:s, s:s, s:s, s:s?, s:s, s:b, s:o*}", "rev", rv.rev,
						      "created_at", rv.created_at, "created_by", rv.created_by,
						      "channel", rv.channel, "source", rv.source, "hash", rv.hash,
						      "late", rv.late, "content", r == s.rev ? content : NULL));
		if (r != s.rev)
			json_decref(content);
		rbm_collect_revision_free(&rv);
	}
	rbm_diag_free(&d);
	json_object_set_new(j, "revisions", revs);
	rbm_collect_submission_free(&s);
	enum rbm_rc rc = rbm_web_resp_json(resp, 200, j);
	json_decref(j);
	return rc;
}

static enum rbm_rc decide(struct rbm_web_req *req, struct rbm_web_resp *resp, bool approve)
{
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	json_t *body = rbm_web__json_body(req, resp);
	if (body == NULL)
		return RBM_OK;
	struct rbm_submission s = {0};
	if (!load(req, resp, &s, RBM_ACT_REVIEW)) {
		json_decref(body);
		return RBM_OK;
	}
	json_t *base = json_object_get(body, "base_rev"), *comment = json_object_get(body, "comment");
	if ((base && !json_is_integer(base)) || (comment && !json_is_string(comment))) {
		json_decref(body);
		rbm_collect_submission_free(&s);
		return rbm_web_resp_error(req, resp, 400, "base_rev must be a whole number and comment a string.");
	}
	struct rbm_actor who = rbm_web__actor(req);
	struct rbm_diag d;
	rbm_diag_init(&d);
	int b = base ? (int)json_integer_value(base) : -1;
	enum rbm_rc rc = approve ? rbm_collect_approve(req->app->store, s.id, b, &who, &d)
				 : rbm_collect_return(req->app->store, s.id, b,
						      comment ? json_string_value(comment) : NULL, &who, &d);
	long long id = s.id;
	rbm_collect_submission_free(&s);
	if (rc == RBM_OK) {
		/* The submission as it is now. */
		rc = rbm_collect_submission_get(req->app->store, id, &s, &d);
		if (rc == RBM_OK) {
			json_t *j = submission_json(&s);
			rc = rbm_web_resp_json(resp, 200, j);
			json_decref(j);
		}
		rbm_collect_submission_free(&s);
	} else if (rc == RBM_EINVAL || rc == RBM_ECONFLICT) {
		rc = rbm_web_resp_error(req, resp, rc == RBM_EINVAL ? 422 : 409, d.len ? d.entries[0].reason : NULL);
	}
	rbm_diag_free(&d);
	json_decref(body);
	return rc;
}

enum rbm_rc rbm_web__api_approve(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	return decide(req, resp, true);
}

enum rbm_rc rbm_web__api_return(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	return decide(req, resp, false);
}
