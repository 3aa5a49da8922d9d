/*
 * submission.c - the submission lifecycle: save, submit, approve, return.
 *
 * draft -> submitted -> approved, or submitted -> returned (with a comment)
 * -> submitted again. Each change of content is a new revision; nothing is
 * overwritten. A change made from an old revision is refused. Each step is
 * one transaction with its audit entry.
 */
#include "collect_int.h"

#include "../core/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {"draft", "submitted", "returned", "approved"};

const char *rbm_status_name(enum rbm_status s)
{
	return (unsigned)s < 4 ? status_names[s] : "?";
}

bool rbm_status_parse(const char *s, enum rbm_status *out)
{
	for (int i = 0; s && i < 4; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*out = (enum rbm_status)i;
			return true;
		}
	return false;
}

void rbm_collect_submission_free(struct rbm_submission *s)
{
	if (s == NULL)
		return;
	free(s->office);
	free(s->uuid);
	free(s->updated_at);
	free(s->comment);
	memset(s, 0, sizeof *s);
}

void rbm_collect_submissions_free(struct rbm_submission *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rbm_collect_submission_free(&v[i]);
	free(v);
}

void rbm_collect_revision_free(struct rbm_revision *r)
{
	if (r == NULL)
		return;
	free(r->created_at);
	free(r->created_by);
	free(r->channel);
	free(r->source);
	free(r->submitted_at);
	free(r->content_json);
	memset(r, 0, sizeof *r);
}

static char *dup(const char *s)
{
	return s ? rbm_xstrdup(s) : NULL;
}

#define SUB_COLS                                                                        \
	"s.id, c.year, s.office, (SELECT uuid FROM revisions r WHERE r.submission_id = s.id " \
	"AND r.rev = s.rev), s.status, s.rev, s.approved_rev, s.updated_at, s.comment"

static void read_sub(struct rbm_query *q, struct rbm_submission *s)
{
	memset(s, 0, sizeof *s);
	s->id = rbm_query_int(q, 0);
	s->year = (int)rbm_query_int(q, 1);
	s->office = dup(rbm_query_text(q, 2));
	s->uuid = dup(rbm_query_text(q, 3));
	rbm_status_parse(rbm_query_text(q, 4), &s->status);
	s->rev = (int)rbm_query_int(q, 5);
	s->approved_rev = (int)rbm_query_int(q, 6);
	s->updated_at = dup(rbm_query_text(q, 7));
	s->comment = dup(rbm_query_text(q, 8));
}

enum rbm_rc rbm_collect_submission_get(struct rbm_store *s, long long id,
				       struct rbm_submission *out, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT " SUB_COLS " FROM submissions s JOIN cycles c "
					    "ON c.id = s.cycle_id WHERE s.id = ?", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_int(q, 1, id);
	rc = rbm_query_step(q, d);
	if (rc == RBM_OK)
		read_sub(q, out);
	else if (rc == RBM_ENOENT)
		rbm_diag_add(d, NULL, NULL, "no submission %lld (see 'rbm submissions list')", id);
	rbm_query_free(q);
	return rc;
}

const char *rbm_collect_region_of(const struct rbm_plan *p, size_t office)
{
	for (size_t at = office; at != RBM_NONE; at = p->offices[at].parent)
		if (p->offices[at].kind == RBM_OFFICE_REGIONAL)
			return p->offices[at].code;
	return NULL;
}

/* True when office (a code) is region or reports through it. */
static bool in_region(const struct rbm_plan *p, const char *office, const char *region)
{
	for (size_t at = rbm_plan_find_office(p, office); at != RBM_NONE; at = p->offices[at].parent)
		if (strcmp(p->offices[at].code, region) == 0)
			return true;
	return false;
}

enum rbm_rc rbm_collect_submissions(struct rbm_store *s, const struct rbm_plan *p,
				    const struct rbm_submission_filter *f,
				    struct rbm_submission **out, size_t *out_len, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(
		s, "SELECT " SUB_COLS " FROM submissions s JOIN cycles c ON c.id = s.cycle_id "
		   "WHERE (? = 0 OR c.year = ?) AND (CAST(? AS TEXT) IS NULL OR s.office = ?) "
		   "AND (CAST(? AS TEXT) IS NULL OR s.status = ?) ORDER BY c.year, s.office", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_int(q, 1, f->year);
	rbm_query_bind_int(q, 2, f->year);
	rbm_query_bind_text(q, 3, f->office);
	rbm_query_bind_text(q, 4, f->office);
	const char *st = f->has_status ? rbm_status_name(f->status) : NULL;
	rbm_query_bind_text(q, 5, st);
	rbm_query_bind_text(q, 6, st);
	struct rbm_submission *v = NULL;
	size_t n = 0, cap = 0;
	while ((rc = rbm_query_step(q, d)) == RBM_OK) {
		rbm_xgrow(&v, &cap, n + 1, sizeof *v);
		read_sub(q, &v[n]);
		if (f->region && !in_region(p, v[n].office, f->region)) {
			rbm_collect_submission_free(&v[n]);
			continue;
		}
		n++;
	}
	rbm_query_free(q);
	if (rc != RBM_ENOENT) {
		rbm_collect_submissions_free(v, n);
		return rc;
	}
	*out = v;
	*out_len = n;
	return RBM_OK;
}

enum rbm_rc rbm_collect_revision_get(struct rbm_store *s, long long id, int rev,
				     struct rbm_revision *out, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(
		s, "SELECT r.rev, r.created_at, r.created_by, r.channel, r.source, r.hash, r.late, "
		   "r.content, r.submitted_at FROM revisions r JOIN submissions s ON s.id = r.submission_id "
		   "WHERE r.submission_id = ? AND r.rev = (CASE WHEN ? = 0 THEN s.rev ELSE ? END)", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_int(q, 1, id);
	rbm_query_bind_int(q, 2, rev);
	rbm_query_bind_int(q, 3, rev);
	rc = rbm_query_step(q, d);
	if (rc == RBM_OK) {
		memset(out, 0, sizeof *out);
		out->rev = (int)rbm_query_int(q, 0);
		out->created_at = dup(rbm_query_text(q, 1));
		out->created_by = dup(rbm_query_text(q, 2));
		out->channel = dup(rbm_query_text(q, 3));
		out->source = dup(rbm_query_text(q, 4));
		snprintf(out->hash, sizeof out->hash, "%s", rbm_query_text(q, 5));
		out->late = rbm_query_int(q, 6) != 0;
		out->content_json = dup(rbm_query_text(q, 7));
		out->submitted_at = dup(rbm_query_text(q, 8));
	} else if (rc == RBM_ENOENT) {
		rbm_diag_add(d, NULL, NULL, "submission %lld has no revision %d", id, rev);
	}
	rbm_query_free(q);
	return rc;
}

/* ---- writing ---- */

static void audit(struct rbm_audit_event *e, const struct rbm_actor *who, const char *action,
		  const char *object, const char *office, const char *before, const char *after,
		  const char *detail)
{
	*e = (struct rbm_audit_event){who->user, who->channel, who->address, action, object,
				      office, before, after, detail};
}

static enum rbm_rc add_event(struct rbm_store *s, long long id, int rev, const char *action,
			     const struct rbm_actor *who, const char *comment, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	char now[21];
	rbm_store_now(now);
	enum rbm_rc rc = rbm_store_query(s, "INSERT INTO submission_events(submission_id, rev, action, "
					    "actor, channel, comment, at) VALUES (?,?,?,?,?,?,?)", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_int(q, 1, id);
	rbm_query_bind_int(q, 2, rev);
	rbm_query_bind_text(q, 3, action);
	rbm_query_bind_text(q, 4, who->user);
	rbm_query_bind_text(q, 5, who->channel);
	rbm_query_bind_text(q, 6, comment);
	rbm_query_bind_text(q, 7, now);
	rc = rbm_query_exec(q, d);
	rbm_query_free(q);
	return rc;
}

/* Writes the revision's rows: the canonical JSON and the values, outcomes and tags. */
static enum rbm_rc put_revision(struct rbm_store *s, const struct rbm_plan *p, long long sub,
				int rev, const char *uuid, const char *hash, const char *json,
				const struct rbm_content *c, const struct rbm_actor *who,
				const char *source, const char *submitted_at, bool late,
				struct rbm_diag *d)
{
	struct rbm_query *q = NULL, *v = NULL, *o = NULL, *t = NULL;
	char now[21];
	rbm_store_now(now);
	enum rbm_rc rc = rbm_store_query(s, "INSERT INTO revisions(submission_id, rev, uuid, hash, "
					    "content, created_at, created_by, channel, source, late, "
					    "submitted_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_int(q, 1, sub);
	rbm_query_bind_int(q, 2, rev);
	rbm_query_bind_text(q, 3, uuid);
	rbm_query_bind_text(q, 4, hash);
	rbm_query_bind_text(q, 5, json);
	rbm_query_bind_text(q, 6, now);
	rbm_query_bind_text(q, 7, who->user);
	rbm_query_bind_text(q, 8, who->channel);
	rbm_query_bind_text(q, 9, source);
	rbm_query_bind_int(q, 10, late);
	rbm_query_bind_text(q, 11, submitted_at);
	rc = rbm_query_exec(q, d);
	rbm_query_free(q);
	long long id = rbm_store_last_id(s);
	if (rc == RBM_OK)
		rc = rbm_store_query(s, "INSERT INTO revision_values(revision_id, indicator, country, "
					"city, disaggregation, category, value, text) "
					"VALUES (?,?,?,?,?,?,?,?)", &v, d);
	for (size_t i = 0; rc == RBM_OK && i < c->values_len; i++) {
		const struct rbm_value *x = &c->values[i];
		rbm_query_bind_int(v, 1, id);
		rbm_query_bind_text(v, 2, p->indicators[x->indicator].code);
		rbm_query_bind_text(v, 3, x->country[0] ? x->country : NULL);
		rbm_query_bind_text(v, 4, x->city);
		if (x->disaggregation != RBM_NONE) {
			const struct rbm_disaggregation *g = &p->disaggregations[x->disaggregation];
			rbm_query_bind_text(v, 5, g->code);
			rbm_query_bind_text(v, 6, g->categories[x->category].code);
		} else {
			rbm_query_bind_text(v, 5, NULL);
			rbm_query_bind_text(v, 6, NULL);
		}
		rbm_query_bind_double(v, 7, x->value);
		rbm_query_bind_text(v, 8, x->text);
		rc = rbm_query_exec(v, d);
	}
	if (rc == RBM_OK)
		rc = rbm_store_query(s, "INSERT INTO revision_outcomes(revision_id, result, narrative, lang) "
					"VALUES (?,?,?,?)", &o, d);
	if (rc == RBM_OK)
		rc = rbm_store_query(s, "INSERT INTO revision_tags(revision_id, result, kind, code) "
					"VALUES (?,?,?,?)", &t, d);
	for (size_t i = 0; rc == RBM_OK && i < c->outcomes_len; i++) {
		const struct rbm_outcome_report *r = &c->outcomes[i];
		const char *code = p->results[r->result].code;
		rbm_query_bind_int(o, 1, id);
		rbm_query_bind_text(o, 2, code);
		rbm_query_bind_text(o, 3, r->narrative);
		rbm_query_bind_text(o, 4, r->narrative ? rbm_lang_tag(r->lang) : NULL);
		rc = rbm_query_exec(o, d);
		struct {
			const char *kind;
			char **v;
			size_t n;
		} tags[] = {{"country", r->countries, r->countries_len},
			    {"city", r->cities, r->cities_len},
			    {"programme", r->programmes, r->programmes_len},
			    {"theme", r->themes, r->themes_len}};
		for (size_t k = 0; k < 4; k++)
			for (size_t j = 0; rc == RBM_OK && j < tags[k].n; j++) {
				rbm_query_bind_int(t, 1, id);
				rbm_query_bind_text(t, 2, code);
				rbm_query_bind_text(t, 3, tags[k].kind);
				rbm_query_bind_text(t, 4, tags[k].v[j]);
				rc = rbm_query_exec(t, d);
			}
	}
	rbm_query_free(v);
	rbm_query_free(o);
	rbm_query_free(t);
	return rc;
}

/* The current state of the office's submission in the cycle; *id 0 when none. */
static enum rbm_rc find(struct rbm_store *s, long long cycle, const char *office, long long *id,
			enum rbm_status *status, int *rev, char hash[65], struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT s.id, s.status, s.rev, r.hash FROM submissions s "
					    "JOIN revisions r ON r.submission_id = s.id AND r.rev = s.rev "
					    "WHERE s.cycle_id = ? AND s.office = ?", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_int(q, 1, cycle);
	rbm_query_bind_text(q, 2, office);
	*id = 0;
	rc = rbm_query_step(q, d);
	if (rc == RBM_OK) {
		*id = rbm_query_int(q, 0);
		rbm_status_parse(rbm_query_text(q, 1), status);
		*rev = (int)rbm_query_int(q, 2);
		snprintf(hash, 65, "%s", rbm_query_text(q, 3));
	}
	rbm_query_free(q);
	return rc == RBM_ENOENT ? RBM_OK : rc;
}

enum rbm_rc rbm_collect_save(struct rbm_store *s, const struct rbm_plan *p,
			     const struct rbm_places *places, const struct rbm_save *req,
			     const struct rbm_actor *who, long long *id_out, bool *changed,
			     struct rbm_diag *d)
{
	struct rbm_cycle cycle = {0};
	char *json = NULL;
	char hash[65], old_hash[65] = "", now[21], object[64];
	bool wrote = false;
	enum rbm_rc rc;
	size_t oi = rbm_plan_find_office(p, req->office);
	if (oi == RBM_NONE) {
		rbm_diag_add(d, NULL, NULL, "unknown office \"%s\"", req->office);
		return RBM_EINVAL;
	}
	if (req->late && !who->admin) {
		rbm_diag_add(d, NULL, NULL, "only an administrator may accept a late submission");
		return RBM_EINVAL;
	}
	if ((rc = rbm_store_begin(s, d)) != RBM_OK)
		return rc;
	if ((rc = rbm_collect_cycle_get(s, req->year, &cycle, d)) != RBM_OK)
		goto out;
	rbm_store_now(now);
	const char *when = req->submitted_at && strlen(req->submitted_at) >= 10 ? req->submitted_at : now;
	bool outside = false;
	rc = rbm_collect__admissible(p, &cycle, req->office, when, req->late, &outside, NULL, NULL, d);
	if (rc != RBM_OK)
		goto out;
	if ((rc = rbm_collect_content_check(p, places, &cycle, oi, req->content, NULL, NULL, d)) != RBM_OK)
		goto out;
	long long id = 0;
	enum rbm_status status = RBM_STATUS_DRAFT;
	int rev = 0;
	if ((rc = find(s, cycle.id, req->office, &id, &status, &rev, old_hash, d)) != RBM_OK)
		goto out;
	if (id && req->base_rev >= 0 && req->base_rev != rev) {
		rbm_diag_add(d, NULL, NULL,
			     "submission %lld changed since revision %d (it is at revision %d now); "
			     "reload it and make the change again",
			     id, req->base_rev, rev);
		rc = RBM_ECONFLICT;
		goto out;
	}
	json = rbm_collect_content_json(p, req->content);
	rbm_collect_content_hash(p, req->content, hash);
	bool same = id && strcmp(hash, old_hash) == 0;
	enum rbm_status next = req->submit ? RBM_STATUS_SUBMITTED : RBM_STATUS_DRAFT;
	if (same && (status == RBM_STATUS_APPROVED || status == next ||
		     (status == RBM_STATUS_SUBMITTED && !req->submit))) {
		*id_out = id;
		goto out; /* nothing new */
	}
	if (id == 0) {
		struct rbm_query *q = NULL;
		rc = rbm_store_query(s, "INSERT INTO submissions(cycle_id, office, status, rev, updated_at) "
					"VALUES (?,?,?,?,?)", &q, d);
		if (rc == RBM_OK) {
			rbm_query_bind_int(q, 1, cycle.id);
			rbm_query_bind_text(q, 2, req->office);
			rbm_query_bind_text(q, 3, rbm_status_name(next));
			rbm_query_bind_int(q, 4, 1);
			rbm_query_bind_text(q, 5, now);
			rc = rbm_query_exec(q, d);
			rbm_query_free(q);
		}
		id = rbm_store_last_id(s);
	}
	int new_rev = same ? rev : rev + 1;
	if (rc == RBM_OK && !same)
		rc = put_revision(s, p, id, new_rev, req->uuid, hash, json, req->content, who,
				  req->source, req->submitted_at, outside, d);
	if (rc == RBM_OK) {
		struct rbm_query *q = NULL;
		rc = rbm_store_query(s, "UPDATE submissions SET status = ?, rev = ?, updated_at = ?, "
					"comment = CASE WHEN ? = 1 THEN comment ELSE NULL END WHERE id = ?", &q, d);
		if (rc == RBM_OK) {
			rbm_query_bind_text(q, 1, rbm_status_name(next));
			rbm_query_bind_int(q, 2, new_rev);
			rbm_query_bind_text(q, 3, now);
			rbm_query_bind_int(q, 4, next == RBM_STATUS_DRAFT);
			rbm_query_bind_int(q, 5, id);
			rc = rbm_query_exec(q, d);
			rbm_query_free(q);
		}
	}
	const char *action = req->submit ? (status == RBM_STATUS_RETURNED ? "resubmit" : "submit") : "save";
	if (rc == RBM_OK)
		rc = add_event(s, id, new_rev, action, who, outside ? "accepted late" : NULL, d);
	snprintf(object, sizeof object, "submission %lld rev %d", id, new_rev);
	char act[40], detail[160];
	snprintf(act, sizeof act, "submission.%s", action);
	snprintf(detail, sizeof detail, "cycle %d%s%s%s", req->year, req->source ? ", from " : "",
		 req->source ? req->source : "", outside ? ", accepted late" : "");
	struct rbm_audit_event e;
	audit(&e, who, act, object, req->office, old_hash[0] ? old_hash : NULL, hash, detail);
	if (rc == RBM_OK)
		rc = rbm_store_audit_append(s, &e, d);
	if (rc == RBM_OK) {
		*id_out = id;
		wrote = true;
	}
out:
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	if (rc != RBM_OK) {
		rbm_store_rollback(s);
		wrote = false;
	}
	if (changed)
		*changed = wrote;
	free(json);
	rbm_collect_cycle_free(&cycle);
	return rc;
}

enum rbm_rc rbm_collect__admissible(const struct rbm_plan *p, const struct rbm_cycle *c,
				    const char *office,
				    const char *when, bool late, bool *outside, const char *file,
				    const char *where, struct rbm_diag *d)
{
	if (!rbm_collect_cycle_has_office(p, c, office)) {
		rbm_diag_add(d, file, where, "office %s does not take part in the cycle %d", office,
			     c->year);
		return RBM_EINVAL;
	}
	char day[11];
	snprintf(day, sizeof day, "%.10s", when);
	*outside = c->closed || strcmp(day, c->opens) < 0 || strcmp(day, c->closes) > 0;
	if (!*outside || late)
		return RBM_OK;
	if (c->closed)
		rbm_diag_add(d, file, where,
			     "the cycle %d is closed: submissions are refused (an administrator may "
			     "accept this one with --late)",
			     c->year);
	else
		rbm_diag_add(d, file, where,
			     "the cycle %d accepts submissions from %s to %s; this one is dated %s (an "
			     "administrator may accept it with --late)",
			     c->year, c->opens, c->closes, day);
	return RBM_EINVAL;
}

/*
 * Replaces the submission's data values with those of its approved
 * revision rev, and counts a change of the data.
 */
static enum rbm_rc derive_values(struct rbm_store *s, long long id, int rev, struct rbm_diag *d)
{
	static const char *const sql[] = {
		"DELETE FROM data_values WHERE revision_id IN "
		"(SELECT id FROM revisions WHERE submission_id = ?1)",
		"INSERT INTO data_values(year, quarter, indicator, office, country, city, disaggregation, "
		"category, value, text, revision_id, source) "
		"SELECT c.year, 0, v.indicator, s.office, v.country, v.city, v.disaggregation, v.category, "
		"v.value, v.text, r.id, 'submission ' || s.id || ' rev ' || r.rev "
		"FROM revision_values v JOIN revisions r ON r.id = v.revision_id "
		"JOIN submissions s ON s.id = r.submission_id JOIN cycles c ON c.id = s.cycle_id "
		"WHERE s.id = ?1 AND r.rev = ?2",
		"UPDATE data_generation SET generation = generation + 1 WHERE id = 1",
	};
	enum rbm_rc rc = RBM_OK;
	for (size_t i = 0; rc == RBM_OK && i < sizeof sql / sizeof *sql; i++) {
		struct rbm_query *q = NULL;
		rc = rbm_store_query(s, sql[i], &q, d);
		if (rc != RBM_OK)
			break;
		if (i < 2)
			rbm_query_bind_int(q, 1, id);
		if (i == 1)
			rbm_query_bind_int(q, 2, rev);
		rc = rbm_query_exec(q, d);
		rbm_query_free(q);
	}
	return rc;
}

/* Moves a submitted submission to approved or returned. */
static enum rbm_rc review(struct rbm_store *s, long long id, int base_rev, bool approve,
			  const char *comment, const struct rbm_actor *who, struct rbm_diag *d)
{
	struct rbm_submission sub = {0};
	struct rbm_revision rev = {0};
	if (!approve && (comment == NULL || comment[strspn(comment, " \t\r\n")] == '\0')) {
		rbm_diag_add(d, NULL, NULL, "a return needs a comment telling the office what to change");
		return RBM_EINVAL;
	}
	enum rbm_rc rc = rbm_store_begin(s, d);
	if (rc != RBM_OK)
		return rc;
	if ((rc = rbm_collect_submission_get(s, id, &sub, d)) != RBM_OK)
		goto out;
	if (base_rev >= 0 && base_rev != sub.rev) {
		rbm_diag_add(d, NULL, NULL,
			     "submission %lld changed since revision %d (it is at revision %d now); "
			     "look at it again before you decide",
			     id, base_rev, sub.rev);
		rc = RBM_ECONFLICT;
		goto out;
	}
	if (sub.status != RBM_STATUS_SUBMITTED) {
		rbm_diag_add(d, NULL, NULL,
			     "submission %lld is %s: only a submitted submission can be %s", id,
			     sub.status == RBM_STATUS_DRAFT ? "a draft" : rbm_status_name(sub.status),
			     approve ? "approved" : "returned");
		rc = RBM_ECONFLICT;
		goto out;
	}
	if ((rc = rbm_collect_revision_get(s, id, sub.rev, &rev, d)) != RBM_OK)
		goto out;
	char now[21];
	rbm_store_now(now);
	struct rbm_query *q = NULL;
	rc = rbm_store_query(s, approve ? "UPDATE submissions SET status = 'approved', approved_rev = rev, "
					  "comment = ?, updated_at = ? WHERE id = ? AND rev = ?"
					: "UPDATE submissions SET status = 'returned', comment = ?, "
					  "updated_at = ? WHERE id = ? AND rev = ?", &q, d);
	if (rc == RBM_OK) {
		rbm_query_bind_text(q, 1, comment);
		rbm_query_bind_text(q, 2, now);
		rbm_query_bind_int(q, 3, id);
		rbm_query_bind_int(q, 4, sub.rev);
		rc = rbm_query_exec(q, d);
		rbm_query_free(q);
	}
	if (rc == RBM_OK && approve)
		rc = derive_values(s, id, sub.rev, d);
	if (rc == RBM_OK)
		rc = add_event(s, id, sub.rev, approve ? "approve" : "return", who, comment, d);
	char object[64];
	snprintf(object, sizeof object, "submission %lld rev %d", id, sub.rev);
	struct rbm_audit_event e;
	audit(&e, who, approve ? "submission.approve" : "submission.return", object, sub.office,
	      rev.hash, rev.hash, comment);
	if (rc == RBM_OK)
		rc = rbm_store_audit_append(s, &e, d);
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
out:
	if (rc != RBM_OK)
		rbm_store_rollback(s);
	rbm_collect_submission_free(&sub);
	rbm_collect_revision_free(&rev);
	return rc;
}

enum rbm_rc rbm_collect_approve(struct rbm_store *s, long long id, int base_rev,
				const struct rbm_actor *who, struct rbm_diag *d)
{
	return review(s, id, base_rev, true, NULL, who, d);
}

enum rbm_rc rbm_collect_return(struct rbm_store *s, long long id, int base_rev,
			       const char *comment, const struct rbm_actor *who,
			       struct rbm_diag *d)
{
	return review(s, id, base_rev, false, comment, who, d);
}

/* ---- progress ---- */

size_t *rbm_collect_participants(const struct rbm_plan *p, const struct rbm_cycle *c, size_t *n)
{
	size_t *v = rbm_xcalloc(p->offices_len + 1, sizeof *v);
	*n = 0;
	for (size_t i = 0; i < p->offices_len; i++) {
		const struct rbm_office *o = &p->offices[i];
		if (rbm_collect_cycle_has_office(p, c, o->code))
			v[(*n)++] = i;
	}
	return v;
}

void rbm_collect_progress_free(struct rbm_progress_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].office);
		free(v[i].region);
	}
	free(v);
}

enum rbm_rc rbm_collect_progress(struct rbm_store *s, const struct rbm_plan *p, int year,
				 struct rbm_progress_row **out, size_t *out_len,
				 struct rbm_diag *d)
{
	struct rbm_cycle c;
	enum rbm_rc rc = rbm_collect_cycle_get(s, year, &c, d);
	if (rc != RBM_OK)
		return rc;
	struct rbm_submission_filter f = {.year = year};
	struct rbm_submission *subs = NULL;
	size_t nsubs = 0, n = 0;
	rc = rbm_collect_submissions(s, p, &f, &subs, &nsubs, d);
	if (rc != RBM_OK) {
		rbm_collect_cycle_free(&c);
		return rc;
	}
	size_t *who = rbm_collect_participants(p, &c, &n);
	struct rbm_progress_row *v = rbm_xcalloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		const struct rbm_office *o = &p->offices[who[i]];
		const char *region = rbm_collect_region_of(p, who[i]);
		v[i].office = rbm_xstrdup(o->code);
		v[i].region = rbm_xstrdup(region ? region : "HQ");
		for (size_t k = 0; k < nsubs; k++)
			if (strcmp(subs[k].office, o->code) == 0) {
				v[i].started = true;
				v[i].status = subs[k].status;
			}
	}
	free(who);
	rbm_collect_submissions_free(subs, nsubs);
	rbm_collect_cycle_free(&c);
	*out = v;
	*out_len = n;
	return RBM_OK;
}

size_t rbm_collect_progress_state(const struct rbm_progress_row *r)
{
	return r->started ? 1 + (size_t)r->status : 0;
}

const char *rbm_collect_progress_state_name(size_t state)
{
	static const char *const names[RBM_PROGRESS_STATES] = {"not started", "draft", "submitted",
								"returned", "approved"};
	return state < RBM_PROGRESS_STATES ? names[state] : "?";
}

size_t rbm_collect_progress_count(const struct rbm_progress_row *v, size_t n, const char *region,
				  size_t counts[RBM_PROGRESS_STATES], size_t *responded)
{
	size_t m = 0;
	memset(counts, 0, RBM_PROGRESS_STATES * sizeof *counts);
	for (size_t i = 0; i < n; i++) {
		if (region && strcmp(v[i].region, region) != 0)
			continue;
		counts[rbm_collect_progress_state(&v[i])]++;
		m++;
	}
	*responded = counts[2] + counts[3] + counts[4];
	return m;
}
