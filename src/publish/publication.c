/*
 * publication.c - publishing and unpublishing reports: the publications
 * table (schema version 7) and its audit entries.
 */
#include "publication.h"

#include "../core/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const reports[] = {"highlights", "annual"};

bool rbm_publication_report_known(const char *report)
{
	for (size_t i = 0; report && i < sizeof reports / sizeof *reports; i++)
		if (strcmp(report, reports[i]) == 0)
			return true;
	return false;
}

static enum rbm_rc check_report(const char *report, struct rbm_diag *d)
{
	if (rbm_publication_report_known(report))
		return RBM_OK;
	rbm_diag_add(d, NULL, NULL, "unknown report '%s' (expected highlights or annual)",
		     report ? report : "");
	return RBM_EINVAL;
}

/* Reads the row of report and year: *found, and its time and author (free() *by). */
static enum rbm_rc read_row(struct rbm_store *s, const char *report, int year, bool *found,
			    char at[21], char **by, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT published_at, published_by FROM publications "
					    "WHERE report = ? AND year = ?", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, report);
	rbm_query_bind_int(q, 2, year);
	rc = rbm_query_step(q, d);
	*found = rc == RBM_OK;
	at[0] = '\0';
	if (rc == RBM_OK) {
		snprintf(at, 21, "%s", rbm_query_text(q, 0) ? rbm_query_text(q, 0) : "");
		if (by)
			*by = rbm_xstrdup(rbm_query_text(q, 1) ? rbm_query_text(q, 1) : "");
	}
	rbm_query_free(q);
	return rc == RBM_ENOENT ? RBM_OK : rc;
}

enum rbm_rc rbm_publication_set(struct rbm_store *s, const char *report, int year, bool published,
				const struct rbm_actor *who, struct rbm_diag *d)
{
	enum rbm_rc rc = check_report(report, d);
	if (rc != RBM_OK)
		return rc;
	if ((rc = rbm_store_begin(s, d)) != RBM_OK)
		return rc;
	struct rbm_cycle c = {0};
	struct rbm_query *q = NULL;
	char *by = NULL, at[21], now[21], object[64], detail[128] = "";
	bool found = false;
	if ((rc = rbm_collect_cycle_get(s, year, &c, d)) != RBM_OK)
		goto out;
	if ((rc = read_row(s, report, year, &found, at, &by, d)) != RBM_OK)
		goto out;
	if (found == published) {
		if (published)
			rbm_diag_add(d, NULL, NULL, "the %s report of %d is published already (since %s, by %s)",
				     report, year, at, by);
		else
			rbm_diag_add(d, NULL, NULL, "the %s report of %d is not published", report, year);
		rc = RBM_ECONFLICT;
		goto out;
	}
	rbm_store_now(now);
	if (published) {
		rc = rbm_store_query(s, "INSERT INTO publications(report, year, published_at, published_by) "
					"VALUES (?,?,?,?)", &q, d);
		if (rc == RBM_OK) {
			rbm_query_bind_text(q, 1, report);
			rbm_query_bind_int(q, 2, year);
			rbm_query_bind_text(q, 3, now);
			rbm_query_bind_text(q, 4, who->user);
		}
	} else {
		snprintf(detail, sizeof detail, "published since %s by %.64s", at, by);
		rc = rbm_store_query(s, "DELETE FROM publications WHERE report = ? AND year = ?", &q, d);
		if (rc == RBM_OK) {
			rbm_query_bind_text(q, 1, report);
			rbm_query_bind_int(q, 2, year);
		}
	}
	if (rc == RBM_OK)
		rc = rbm_query_exec(q, d);
	if (rc != RBM_OK)
		goto out;
	snprintf(object, sizeof object, "report %s %d", report, year);
	struct rbm_audit_event e = {
		.actor = who->user,
		.channel = who->channel,
		.address = who->address,
		.action = published ? "report.publish" : "report.unpublish",
		.object = object,
		.detail = detail[0] ? detail : NULL,
	};
	rc = rbm_store_audit_append(s, &e, d);
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
out:
	if (rc != RBM_OK)
		rbm_store_rollback(s);
	rbm_query_free(q);
	free(by);
	rbm_collect_cycle_free(&c);
	return rc;
}

enum rbm_rc rbm_publication_get(struct rbm_store *s, const char *report, int year, bool *published,
				char published_at[21], struct rbm_diag *d)
{
	enum rbm_rc rc = check_report(report, d);
	if (rc != RBM_OK)
		return rc;
	bool found;
	char at[21];
	rc = read_row(s, report, year, &found, at, NULL, d);
	if (rc != RBM_OK)
		return rc;
	*published = found;
	if (published_at)
		memcpy(published_at, at, sizeof at);
	return RBM_OK;
}

enum rbm_rc rbm_publication_list(struct rbm_store *s, struct rbm_publication **out,
				 size_t *out_len, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	struct rbm_publication *v = NULL;
	size_t n = 0, cap = 0;
	enum rbm_rc rc = rbm_store_query(s, "SELECT report, year, published_at, published_by "
					    "FROM publications ORDER BY year DESC, report", &q, d);
	if (rc != RBM_OK)
		return rc;
	while ((rc = rbm_query_step(q, d)) == RBM_OK) {
		rbm_xgrow(&v, &cap, n + 1, sizeof *v);
		struct rbm_publication *p = &v[n++];
		const char *r = rbm_query_text(q, 0), *at = rbm_query_text(q, 2), *by = rbm_query_text(q, 3);
		snprintf(p->report, sizeof p->report, "%s", r ? r : "");
		p->year = (int)rbm_query_int(q, 1);
		snprintf(p->published_at, sizeof p->published_at, "%s", at ? at : "");
		p->published_by = rbm_xstrdup(by ? by : "");
	}
	rbm_query_free(q);
	if (rc != RBM_ENOENT) {
		rbm_publication_list_free(v, n);
		return rc;
	}
	*out = v;
	*out_len = n;
	return RBM_OK;
}

void rbm_publication_list_free(struct rbm_publication *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].published_by);
	free(v);
}
