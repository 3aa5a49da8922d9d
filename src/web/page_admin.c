/*
 * page_admin.c - administration: reporting cycles, users and offices.
 *   GET  /admin            cycles (open, close, reopen), users (add), offices
 *   POST /admin/cycles     _action=open (year, from, to, offices) | close | reopen (year, to)
 *   POST /admin/users      add (name, role, office, region, password)
 * and the same through the API:
 *   GET  /api/v1/users     POST /api/v1/users {"name","role","office","region","password"}
 *   POST /api/v1/cycles {"year","from","to","offices":[...]}
 *   POST /api/v1/cycles/{year}/close     POST /api/v1/cycles/{year}/reopen {"to"}
 * Every change goes through collect or auth, audited as the signed-in user.
 */
#include "web_int.h"

#include "../collect/collect.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void input(struct rbm_buf *b, const char *id, const char *label, const char *type, const char *extra)
{
	rbm_buf_addf(b, "<p><label for=\"%s\">", id);
	rbm_html_text(b, label);
	rbm_buf_addf(b, "</label><input id=\"%s\" name=\"%s\" type=\"%s\" %s/></p>\n", id, id, type, extra);
}

static enum rbm_rc page(struct rbm_web_req *req, struct rbm_web_resp *resp, int status, const char *problem,
			const char *done)
{
	enum rbm_lang lang = rbm_web_lang(req);
	const struct rbm_web_app *app = req->app;
	if (app->plan == NULL || app->store == NULL)
		return rbm_web__no_plan(req, resp);
	struct rbm_cycle *cycles = NULL;
	size_t nc = 0;
	struct rbm_user *users = NULL;
	size_t nu = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_collect_cycle_list(app->store, &cycles, &nc, &d);
	if (rc == RBM_OK)
		rc = rbm_auth_user_list(app->store, &users, &nu, &d);
	rbm_diag_free(&d);
	if (rc != RBM_OK) {
		rbm_collect_cycles_free(cycles, nc);
		return rc;
	}
	rc = rbm_web_page_begin(req, resp, status, TR("Administration"));
	struct rbm_buf *b = &resp->body;
	rbm_buf_adds(b, "<h1>");
	rbm_html_text(b, TR("Administration"));
	rbm_buf_adds(b, "</h1>\n");
	if (problem) {
		rbm_buf_adds(b, "<p class=\"error\" role=\"alert\">");
		rbm_html_text(b, problem);
		rbm_buf_adds(b, "</p>\n");
	}
	if (done) {
		rbm_buf_adds(b, "<p class=\"notice\" role=\"status\">");
		rbm_html_text(b, done);
		rbm_buf_adds(b, "</p>\n");
	}
	/* Cycles. */
	rbm_buf_adds(b, "<h2 id=\"cycles\">");
	rbm_html_text(b, TR("Reporting cycles"));
	rbm_buf_adds(b, "</h2>\n<table><thead><tr><th>");
	rbm_html_text(b, TR("Cycle"));
	rbm_buf_adds(b, "</th><th>");
	rbm_html_text(b, TR("Window"));
	rbm_buf_adds(b, "</th><th>");
	rbm_html_text(b, TR("State"));
	rbm_buf_adds(b, "</th><th class=\"num\">");
	rbm_html_text(b, TR("Offices"));
	rbm_buf_adds(b, "</th><th></th></tr></thead><tbody>\n");
	for (size_t i = 0; i < nc; i++) {
		size_t np = 0;
		free(rbm_collect_participants(app->plan, &cycles[i], &np));
		rbm_buf_addf(b, "<tr><td><a href=\"/progress/%d\">%d</a></td><td>", cycles[i].year, cycles[i].year);
		rbm_html_text(b, rbm_web__date(req, lang, cycles[i].opens));
		rbm_buf_adds(b, " – ");
		rbm_html_text(b, rbm_web__date(req, lang, cycles[i].closes));
		rbm_buf_adds(b, "</td><td>");
		rbm_web__status_badge(b, lang, cycles[i].closed ? "closed" : "open");
		rbm_buf_addf(b, "</td><td class=\"num\">%zu</td><td><form method=\"post\" action=\"/admin/cycles\" class=\"inline\">", np);
		rbm_web__csrf_field(req, b);
		rbm_buf_addf(b, "<input type=\"hidden\" name=\"year\" value=\"%d\"/>", cycles[i].year);
		rbm_buf_addf(b, "<button type=\"submit\" name=\"_action\" value=\"%s\" class=\"secondary\">",
			     cycles[i].closed ? "reopen" : "close");
		rbm_html_text(b, cycles[i].closed ? TR("Reopen") : TR("Close"));
		rbm_buf_adds(b, "</button></form></td></tr>\n");
	}
	rbm_buf_adds(b, "</tbody></table>\n<details><summary>");
	rbm_html_text(b, TR("Open a reporting cycle"));
	rbm_buf_adds(b, "</summary><form method=\"post\" action=\"/admin/cycles\">");
	rbm_web__csrf_field(req, b);
	rbm_buf_adds(b, "<input type=\"hidden\" name=\"_action\" value=\"open\"/>");
	input(b, "year", TR("Year reported on"), "text", "inputmode=\"numeric\" required=\"required\"");
	input(b, "from", TR("First day"), "date", "required=\"required\"");
	input(b, "to", TR("Last day"), "date", "required=\"required\"");
	input(b, "offices", TR("Offices (codes separated by commas; empty: all)"), "text", "");
	rbm_buf_adds(b, "<p><button type=\"submit\">");
	rbm_html_text(b, TR("Open"));
	rbm_buf_adds(b, "</button></p></form></details>\n");
	/* Users. */
	rbm_buf_adds(b, "<h2 id=\"users\">");
	rbm_html_text(b, TR("Users"));
	rbm_buf_adds(b, "</h2>\n<table><thead><tr><th>");
	rbm_html_text(b, TR("User name"));
	rbm_buf_adds(b, "</th><th>");
	rbm_html_text(b, TR("Role"));
	rbm_buf_adds(b, "</th><th>");
	rbm_html_text(b, TR("Office or region"));
	rbm_buf_adds(b, "</th><th>");
	rbm_html_text(b, TR("Since"));
	rbm_buf_adds(b, "</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < nu; i++) {
		rbm_buf_adds(b, "<tr><td>");
		rbm_html_text(b, users[i].name);
		rbm_buf_adds(b, "</td><td>");
		rbm_html_text(b, rbm_i18n_gettext(lang, rbm_auth_role_name(users[i].role)));
		rbm_buf_adds(b, "</td><td>");
		const char *where = users[i].office ? users[i].office : users[i].region;
		if (where)
			rbm_html_text(b, rbm_web__office_name(req, where, lang));
		else if (users[i].role == RBM_AUTH_REVIEWER)
			rbm_html_text(b, TR("every region"));
		rbm_buf_adds(b, "</td><td>");
		rbm_html_text(b, users[i].created_at);
		rbm_buf_adds(b, "</td></tr>\n");
	}
	rbm_buf_adds(b, "</tbody></table>\n<details><summary>");
	rbm_html_text(b, TR("Add a user"));
	rbm_buf_adds(b, "</summary><form method=\"post\" action=\"/admin/users\">");
	rbm_web__csrf_field(req, b);
	input(b, "name", TR("User name"), "text", "required=\"required\" autocomplete=\"off\"");
	rbm_buf_adds(b, "<p><label for=\"role\">");
	rbm_html_text(b, TR("Role"));
	rbm_buf_adds(b, "</label><select id=\"role\" name=\"role\">");
	for (int r = 0; r < RBM_AUTH_ROLE_COUNT; r++) {
		rbm_buf_addf(b, "<option value=\"%s\">", rbm_auth_role_name((enum rbm_role)r));
		rbm_html_text(b, rbm_i18n_gettext(lang, rbm_auth_role_name((enum rbm_role)r)));
		rbm_buf_adds(b, "</option>");
	}
	rbm_buf_adds(b, "</select></p>");
	input(b, "office", TR("Office (reporters)"), "text", "");
	input(b, "region", TR("Region (reviewers; empty: every region)"), "text", "");
	input(b, "password", TR("Password (10 characters or more)"), "password", "autocomplete=\"new-password\" required=\"required\"");
	rbm_buf_adds(b, "<p><button type=\"submit\">");
	rbm_html_text(b, TR("Add"));
	rbm_buf_adds(b, "</button></p></form></details>\n");
	/* Offices. */
	rbm_buf_adds(b, "<h2 id=\"offices\">");
	rbm_html_text(b, TR("Offices"));
	rbm_buf_adds(b, "</h2>\n<table><thead><tr><th>");
	rbm_html_text(b, TR("Office"));
	rbm_buf_adds(b, "</th><th>");
	rbm_html_text(b, TR("Reports through"));
	rbm_buf_adds(b, "</th><th>");
	rbm_html_text(b, TR("Countries"));
	rbm_buf_adds(b, "</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < app->plan->offices_len; i++) {
		const struct rbm_office *o = &app->plan->offices[i];
		rbm_buf_adds(b, "<tr><td>");
		rbm_html_text(b, rbm_text_get(&o->title, lang));
		rbm_buf_adds(b, " <span class=\"muted\">");
		rbm_html_text(b, o->code);
		rbm_buf_adds(b, "</span></td><td>");
		if (o->parent != RBM_NONE)
			rbm_html_text(b, app->plan->offices[o->parent].code);
		rbm_buf_adds(b, "</td><td>");
		for (size_t k = 0; k < o->countries_len; k++) {
			rbm_buf_adds(b, k ? " " : "");
			rbm_html_text(b, o->countries[k]);
		}
		rbm_buf_adds(b, "</td></tr>\n");
	}
	rbm_buf_adds(b, "</tbody></table>\n");
	rbm_collect_cycles_free(cycles, nc);
	rbm_auth_users_free(users, nu);
	if (rc == RBM_OK)
		rc = rbm_web_page_end(resp);
	return rc;
}

enum rbm_rc rbm_web__admin(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	return page(req, resp, 200, NULL, NULL);
}

/* Splits "KEN, ROAF" into codes in the request's arena; *n of them. */
static const char **codes(struct rbm_web_req *req, const char *list, size_t *n)
{
	*n = 0;
	if (list == NULL)
		return NULL;
	size_t cap = strlen(list) / 2 + 2;
	const char **v = rbm_arena_alloc(req->arena, cap * sizeof *v);
	char *copy = rbm_arena_strdup(req->arena, list), *save = NULL;
	for (char *t = strtok_r(copy, ", \t\r\n", &save); t && *n < cap; t = strtok_r(NULL, ", \t\r\n", &save))
		v[(*n)++] = t;
	return v;
}

/* Opens, closes or reopens a cycle; the first problem into why. */
static enum rbm_rc cycle_action(struct rbm_web_req *req, const char *action, const char *year_s,
				const char *from, const char *to, const char *const *offices, size_t n,
				char *why, size_t why_len)
{
	char *end;
	long year = year_s ? strtol(year_s, &end, 10) : 0;
	if (year_s == NULL || *year_s == '\0' || *end != '\0' || year < 1900 || year > 2200) {
		snprintf(why, why_len, "year: expected a year such as 2022");
		return RBM_EINVAL;
	}
	struct rbm_actor who = rbm_web__actor(req);
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc;
	if (strcmp(action, "open") == 0)
		rc = rbm_collect_cycle_open(req->app->store, req->app->plan, (int)year, from ? from : "", to ? to : "",
					    n ? offices : NULL, n, false, &who, &d);
	else if (strcmp(action, "close") == 0)
		rc = rbm_collect_cycle_close(req->app->store, (int)year, &who, &d);
	else if (strcmp(action, "reopen") == 0)
		rc = rbm_collect_cycle_reopen(req->app->store, (int)year, to && *to ? to : NULL, &who, &d);
	else {
		snprintf(why, why_len, "_action: expected open, close or reopen");
		rc = RBM_EINVAL;
	}
	if (rc != RBM_OK && d.len)
		snprintf(why, why_len, "%s%s%s", d.entries[0].where ? d.entries[0].where : "",
			 d.entries[0].where ? ": " : "", d.entries[0].reason);
	rbm_diag_free(&d);
	return rc;
}

enum rbm_rc rbm_web__admin_cycles(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	const char *action = rbm_web_form(req, "_action");
	size_t n;
	const char **offices = codes(req, rbm_web_form(req, "offices"), &n);
	char why[512] = "";
	enum rbm_rc rc = cycle_action(req, action ? action : "", rbm_web_form(req, "year"), rbm_web_form(req, "from"),
				      rbm_web_form(req, "to"), offices, n, why, sizeof why);
	if (rc == RBM_OK)
		return page(req, resp, 200, NULL, TR("Done."));
	if (rc == RBM_EINVAL || rc == RBM_ENOENT || rc == RBM_ECONFLICT)
		return page(req, resp, rc == RBM_ECONFLICT ? 409 : 422, why, NULL);
	return rc;
}

static enum rbm_rc user_add(struct rbm_web_req *req, const char *name, const char *role_s, const char *office,
			    const char *region, const char *password, char *why, size_t why_len)
{
	enum rbm_role role;
	if (role_s == NULL || !rbm_auth_role_parse(role_s, &role)) {
		snprintf(why, why_len, "role: expected administrator, editor, reviewer, reporter or viewer");
		return RBM_EINVAL;
	}
	struct rbm_actor who = rbm_web__actor(req);
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_auth_user_add(req->app->store, req->app->plan, name ? name : "", role,
					   office && *office ? office : NULL, region && *region ? region : NULL,
					   password ? password : "", &who, &d);
	if (rc != RBM_OK && d.len)
		snprintf(why, why_len, "%s", d.entries[0].reason);
	rbm_diag_free(&d);
	return rc;
}

enum rbm_rc rbm_web__admin_users(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	char why[512] = "";
	enum rbm_rc rc = user_add(req, rbm_web_form(req, "name"), rbm_web_form(req, "role"), rbm_web_form(req, "office"),
				  rbm_web_form(req, "region"), rbm_web_form(req, "password"), why, sizeof why);
	if (rc == RBM_OK)
		return page(req, resp, 200, NULL, TR("Done."));
	if (rc == RBM_EINVAL || rc == RBM_ECONFLICT)
		return page(req, resp, rc == RBM_ECONFLICT ? 409 : 422, why, NULL);
	return rc;
}

/* ---- the API ---- */

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

static enum rbm_rc answer(struct rbm_web_req *req, struct rbm_web_resp *resp, enum rbm_rc rc, const char *why,
			  int ok_status, json_t *ok)
{
	if (rc == RBM_OK) {
		rc = rbm_web_resp_json(resp, ok_status, ok);
	} else if (rc == RBM_EINVAL || rc == RBM_ENOENT || rc == RBM_ECONFLICT) {
		rc = rbm_web_resp_error(req, resp, rc == RBM_ECONFLICT ? 409 : rc == RBM_ENOENT ? 404 : 422, why);
	}
	json_decref(ok);
	return rc;
}

enum rbm_rc rbm_web__api_users(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	if (req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	/* A bad ?page or ?per_page is answered before any work. */
	size_t page, per;
	if (!rbm_web__paging(req, resp, &page, &per))
		return RBM_OK;
	struct rbm_user *users = NULL;
	size_t n = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_auth_user_list(req->app->store, &users, &n, &d);
	rbm_diag_free(&d);
	if (rc != RBM_OK)
		return rc;
	json_t *all = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(all, json_pack("{s:s, s:s, s:s?, s:s?, s:s, s:b}", "name", users[i].name, "role",
						     rbm_auth_role_name(users[i].role), "office", users[i].office,
						     "region", users[i].region, "created_at", users[i].created_at,
						     "disabled", users[i].disabled));
	rbm_auth_users_free(users, n);
	return rbm_web__paged(req, resp, all, page, per);
}

enum rbm_rc rbm_web__api_user_add(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	json_t *body = rbm_web__json_body(req, resp);
	if (body == NULL)
		return RBM_OK;
	char why[512] = "";
	enum rbm_rc rc = user_add(req, str(body, "name"), str(body, "role"), str(body, "office"), str(body, "region"),
				  str(body, "password"), why, sizeof why);
	json_t *ok = rc == RBM_OK ? json_pack("{s:s, s:s}", "name", str(body, "name"), "role", str(body, "role")) : NULL;
	json_decref(body);
	return answer(req, resp, rc, why, 201, ok);
}

enum rbm_rc rbm_web__api_cycle_open(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	json_t *body = rbm_web__json_body(req, resp);
	if (body == NULL)
		return RBM_OK;
	json_t *y = json_object_get(body, "year"), *offices = json_object_get(body, "offices");
	char year[16] = "";
	if (json_is_integer(y))
		snprintf(year, sizeof year, "%" JSON_INTEGER_FORMAT, json_integer_value(y));
	size_t n = json_array_size(offices);
	const char **v = rbm_arena_alloc(req->arena, (n + 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = json_is_string(json_array_get(offices, i)) ? json_string_value(json_array_get(offices, i)) : "";
	char why[512] = "";
	enum rbm_rc rc = cycle_action(req, "open", year, str(body, "from"), str(body, "to"), v, n, why, sizeof why);
	json_t *ok = rc == RBM_OK ? json_pack("{s:O, s:s}", "year", y, "state", "open") : NULL;
	json_decref(body);
	return answer(req, resp, rc, why, 201, ok);
}

static enum rbm_rc cycle_change(struct rbm_web_req *req, struct rbm_web_resp *resp, const char *action)
{
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	const char *to = NULL;
	json_t *body = NULL;
	if (req->body_len) {
		body = rbm_web__json_body(req, resp);
		if (body == NULL)
			return RBM_OK;
		to = str(body, "to");
	}
	char why[512] = "";
	enum rbm_rc rc = cycle_action(req, action, rbm_web_param(req, "year"), NULL, to, NULL, 0, why, sizeof why);
	json_t *ok = rc == RBM_OK ? json_pack("{s:s, s:s}", "year", rbm_web_param(req, "year"), "state",
					      strcmp(action, "close") == 0 ? "closed" : "open")
				  : NULL;
	json_decref(body);
	return answer(req, resp, rc, why, 200, ok);
}

enum rbm_rc rbm_web__api_cycle_close(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	return cycle_change(req, resp, "close");
}

enum rbm_rc rbm_web__api_cycle_reopen(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	return cycle_change(req, resp, "reopen");
}
