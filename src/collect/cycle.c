/*
 * cycle.c - yearly reporting cycles: open, close, reopen, list.
 */
#include "collect.h"

#include "../core/alloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rbm_collect_cycle_free(struct rbm_cycle *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->offices_len; i++)
		free(c->offices[i]);
	free(c->offices);
	c->offices = NULL;
	c->offices_len = 0;
}

void rbm_collect_cycles_free(struct rbm_cycle *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rbm_collect_cycle_free(&v[i]);
	free(v);
}

bool rbm_collect_cycle_has_office(const struct rbm_plan *p, const struct rbm_cycle *c,
				  const char *office)
{
	if (c->offices_len == 0) {
		size_t i = rbm_plan_find_office(p, office);
		return i != RBM_NONE && p->offices[i].kind != RBM_OFFICE_HEADQUARTERS &&
		       p->offices[i].kind != RBM_OFFICE_LIAISON;
	}
	for (size_t i = 0; i < c->offices_len; i++)
		if (strcmp(c->offices[i], office) == 0)
			return true;
	return false;
}

/* A real calendar date written YYYY-MM-DD. */
static bool valid_date(const char *s)
{
	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return !(m == 2 && d == 29 && !leap);
}

static void event(struct rbm_audit_event *e, const struct rbm_actor *who, const char *action,
		  const char *object, const char *detail)
{
	memset(e, 0, sizeof *e);
	e->actor = who->user;
	e->channel = who->channel;
	e->address = who->address;
	e->action = action;
	e->object = object;
	e->detail = detail;
}

static enum rbm_rc read_cycle(struct rbm_store *s, struct rbm_query *q, struct rbm_cycle *c,
			      struct rbm_diag *d)
{
	memset(c, 0, sizeof *c);
	c->id = rbm_query_int(q, 0);
	c->year = (int)rbm_query_int(q, 1);
	snprintf(c->opens, sizeof c->opens, "%s", rbm_query_text(q, 2));
	snprintf(c->closes, sizeof c->closes, "%s", rbm_query_text(q, 3));
	c->closed = rbm_query_int(q, 4) != 0;
	c->any_place = rbm_query_int(q, 5) != 0;
	bool all = rbm_query_int(q, 6) != 0;
	if (all)
		return RBM_OK;
	struct rbm_query *o = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT office FROM cycle_offices WHERE cycle_id = ? "
					    "ORDER BY office", &o, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_int(o, 1, c->id);
	size_t cap = 0;
	while ((rc = rbm_query_step(o, d)) == RBM_OK) {
		rbm_xgrow(&c->offices, &cap, c->offices_len + 1, sizeof *c->offices);
		c->offices[c->offices_len++] = rbm_xstrdup(rbm_query_text(o, 0));
	}
	rbm_query_free(o);
	return rc == RBM_ENOENT ? RBM_OK : rc;
}

#define CYCLE_COLS "id, year, opens, closes, closed, any_place, all_offices"

enum rbm_rc rbm_collect_cycle_get(struct rbm_store *s, int year, struct rbm_cycle *out,
				  struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT " CYCLE_COLS " FROM cycles WHERE year = ?", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_int(q, 1, year);
	rc = rbm_query_step(q, d);
	if (rc == RBM_OK)
		rc = read_cycle(s, q, out, d);
	else if (rc == RBM_ENOENT)
		rbm_diag_add(d, NULL, NULL, "there is no reporting cycle for %d (open one with 'rbm cycle open %d')",
			     year, year);
	rbm_query_free(q);
	return rc;
}

enum rbm_rc rbm_collect_cycle_list(struct rbm_store *s, struct rbm_cycle **out, size_t *out_len,
				   struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT " CYCLE_COLS " FROM cycles ORDER BY year", &q, d);
	if (rc != RBM_OK)
		return rc;
	struct rbm_cycle *v = NULL;
	size_t n = 0, cap = 0;
	while ((rc = rbm_query_step(q, d)) == RBM_OK) {
		rbm_xgrow(&v, &cap, n + 1, sizeof *v);
		rc = read_cycle(s, q, &v[n++], d);
		if (rc != RBM_OK)
			break;
	}
	rbm_query_free(q);
	if (rc != RBM_ENOENT) {
		rbm_collect_cycles_free(v, n);
		return rc;
	}
	*out = v;
	*out_len = n;
	return RBM_OK;
}

enum rbm_rc rbm_collect_cycle_open(struct rbm_store *s, const struct rbm_plan *p, int year,
				   const char *from, const char *to, const char *const *offices,
				   size_t offices_len, bool any_place, const struct rbm_actor *who,
				   struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_OK;
	if (year < p->first_year || year > p->last_year) {
		rbm_diag_add(d, NULL, NULL, "%d lies outside the plan period %d-%d", year, p->first_year,
			     p->last_year);
		rc = RBM_EINVAL;
	}
	if (!valid_date(from)) {
		rbm_diag_add(d, NULL, NULL, "--from: expected a date YYYY-MM-DD, got \"%s\"", from ? from : "");
		rc = RBM_EINVAL;
	}
	if (!valid_date(to)) {
		rbm_diag_add(d, NULL, NULL, "--to: expected a date YYYY-MM-DD, got \"%s\"", to ? to : "");
		rc = RBM_EINVAL;
	}
	if (rc == RBM_OK && strcmp(to, from) < 0) {
		rbm_diag_add(d, NULL, NULL, "--to %s comes before --from %s", to, from);
		rc = RBM_EINVAL;
	}
	for (size_t i = 0; i < offices_len; i++) {
		if (rbm_plan_find_office(p, offices[i]) == RBM_NONE) {
			rbm_diag_add(d, NULL, NULL, "--offices: unknown office \"%s\"", offices[i]);
			rc = RBM_EINVAL;
		}
	}
	if (rc != RBM_OK)
		return rc;
	struct rbm_query *q = NULL;
	char object[32], detail[96];
	snprintf(object, sizeof object, "cycle %d", year);
	if (offices_len)
		snprintf(detail, sizeof detail, "from %s to %s, %zu office%s", from, to, offices_len,
			 offices_len == 1 ? "" : "s");
	else
		snprintf(detail, sizeof detail, "from %s to %s, all offices", from, to);
	if ((rc = rbm_store_begin(s, d)) != RBM_OK)
		return rc;
	rc = rbm_store_query(s, "SELECT count(*) FROM cycles WHERE year = ?", &q, d);
	if (rc == RBM_OK) {
		rbm_query_bind_int(q, 1, year);
		rc = rbm_query_step(q, d);
		if (rc == RBM_OK && rbm_query_int(q, 0) > 0) {
			rbm_diag_add(d, NULL, NULL, "the cycle %d exists already (see 'rbm cycle list'; "
						    "'rbm cycle reopen %d' opens a closed one)",
				     year, year);
			rc = RBM_ECONFLICT;
		}
		rbm_query_free(q);
		q = NULL;
	}
	char now[21];
	rbm_store_now(now);
	if (rc == RBM_OK)
		rc = rbm_store_query(s, "INSERT INTO cycles(year, opens, closes, any_place, all_offices, "
					"created_at) VALUES (?,?,?,?,?,?)", &q, d);
	if (rc == RBM_OK) {
		rbm_query_bind_int(q, 1, year);
		rbm_query_bind_text(q, 2, from);
		rbm_query_bind_text(q, 3, to);
		rbm_query_bind_int(q, 4, any_place);
		rbm_query_bind_int(q, 5, offices_len == 0);
		rbm_query_bind_text(q, 6, now);
		rc = rbm_query_exec(q, d);
		rbm_query_free(q);
		q = NULL;
	}
	long long id = rbm_store_last_id(s);
	if (rc == RBM_OK && offices_len)
		rc = rbm_store_query(s, "INSERT INTO cycle_offices(cycle_id, office) VALUES (?,?)", &q, d);
	for (size_t i = 0; rc == RBM_OK && i < offices_len; i++) {
		rbm_query_bind_int(q, 1, id);
		rbm_query_bind_text(q, 2, offices[i]);
		rc = rbm_query_exec(q, d);
	}
	rbm_query_free(q);
	struct rbm_audit_event e;
	event(&e, who, "cycle.open", object, detail);
	if (rc == RBM_OK)
		rc = rbm_store_audit_append(s, &e, d);
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	if (rc != RBM_OK)
		rbm_store_rollback(s);
	return rc;
}

/* Sets closed (and, when to is given, the closing date) of the cycle for year. */
static enum rbm_rc set_closed(struct rbm_store *s, int year, bool closed, const char *to,
			      const struct rbm_actor *who, struct rbm_diag *d)
{
	struct rbm_cycle c;
	if (to && !valid_date(to)) {
		rbm_diag_add(d, NULL, NULL, "--to: expected a date YYYY-MM-DD, got \"%s\"", to);
		return RBM_EINVAL;
	}
	enum rbm_rc rc = rbm_store_begin(s, d);
	if (rc != RBM_OK)
		return rc;
	rc = rbm_collect_cycle_get(s, year, &c, d);
	if (rc != RBM_OK)
		goto out;
	rbm_collect_cycle_free(&c);
	if (c.closed == closed) {
		rbm_diag_add(d, NULL, NULL, "the cycle %d is %s already", year, closed ? "closed" : "open");
		rc = RBM_ECONFLICT;
		goto out;
	}
	if (to && strcmp(to, c.opens) < 0) {
		rbm_diag_add(d, NULL, NULL, "--to %s comes before the opening date %s", to, c.opens);
		rc = RBM_EINVAL;
		goto out;
	}
	struct rbm_query *q = NULL;
	rc = rbm_store_query(s, "UPDATE cycles SET closed = ?, closes = coalesce(?, closes) "
				"WHERE year = ?", &q, d);
	if (rc == RBM_OK) {
		rbm_query_bind_int(q, 1, closed);
		rbm_query_bind_text(q, 2, to);
		rbm_query_bind_int(q, 3, year);
		rc = rbm_query_exec(q, d);
		rbm_query_free(q);
	}
	char object[32], detail[64] = "";
	snprintf(object, sizeof object, "cycle %d", year);
	if (to)
		snprintf(detail, sizeof detail, "open until %s", to);
	struct rbm_audit_event e;
	event(&e, who, closed ? "cycle.close" : "cycle.reopen", object, to ? detail : NULL);
	if (rc == RBM_OK)
		rc = rbm_store_audit_append(s, &e, d);
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
out:
	if (rc != RBM_OK)
		rbm_store_rollback(s);
	return rc;
}

enum rbm_rc rbm_collect_cycle_close(struct rbm_store *s, int year, const struct rbm_actor *who,
				    struct rbm_diag *d)
{
	return set_closed(s, year, true, NULL, who, d);
}

enum rbm_rc rbm_collect_cycle_reopen(struct rbm_store *s, int year, const char *to,
				     const struct rbm_actor *who, struct rbm_diag *d)
{
	return set_closed(s, year, false, to, who, d);
}
