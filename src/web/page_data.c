/*
 * page_data.c - open data: a cycle's approved results as tables others' tools read.
 *   GET /data                          the cycles and their files
 *   GET /data/{year}/{file}            LEVEL.csv|json|xlsx (LEVEL value, indicator,
 *                                      outcome, domain) in ?lang=, datapackage.json
 *                                      (a Frictionless Data Package whose resources are
 *                                      the LEVEL.csv beside it), or iati.xml (IATI 2.03,
 *                                      every year of the plan up to the cycle's)
 *   GET /api/v1/data                   the same list as JSON
 * The tables are built by src/export from approved data only. A cycle's data are
 * public once its annual report is published; signed-in users see every cycle.
 */
#include "web_int.h"

#include "../export/iati.h"
#include "../export/table.h"
#include "../measure/measure.h"
#include "../publish/publication.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DATA_MAX ((size_t)64 << 20)

static const char *const levels[] = {"value", "indicator", "outcome", "domain"};

/* Whether the caller may have year's data: published annual report, or signed in. */
static bool may_have(struct rbm_web_req *req, int year)
{
	if (rbm_web_req_user(req))
		return true;
	bool published = false;
	struct rbm_diag d;
	rbm_diag_init(&d);
	rbm_publication_get(req->app->store, "annual", year, &published, NULL, &d);
	rbm_diag_free(&d);
	return published;
}

/* The years whose data the caller may have, newest first, into years (at most cap). */
static size_t visible_years(struct rbm_web_req *req, int *years, size_t cap)
{
	struct rbm_cycle *v = NULL;
	size_t n = 0, k = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	rbm_collect_cycle_list(req->app->store, &v, &n, &d);
	rbm_diag_free(&d);
	for (size_t i = n; i-- > 0 && k < cap;)
		if (may_have(req, v[i].year))
			years[k++] = v[i].year;
	rbm_collect_cycles_free(v, n);
	return k;
}

enum rbm_rc rbm_web__data(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	int years[64];
	size_t n = visible_years(req, years, 64);
	enum rbm_rc rc = rbm_web_page_begin(req, resp, 200, TR("Open data"));
	struct rbm_buf *b = &resp->body;
	rbm_buf_adds(b, "<h1>");
	rbm_html_text(b, TR("Open data"));
	rbm_buf_adds(b, "</h1>\n<p>");
	rbm_html_text(b, TR("Approved results of each reporting cycle as tables: one row per indicator, place, year "
			    "and category at the value level, and summaries by indicator, outcome and domain. The "
			    "columns are described in each file and in the data package."));
	rbm_buf_adds(b, "</p>\n");
	if (n == 0) {
		rbm_buf_adds(b, "<p class=\"muted\">");
		rbm_html_text(b, TR("No data have been published yet."));
		rbm_buf_adds(b, "</p>\n");
	}
	for (size_t i = 0; i < n; i++) {
		rbm_buf_addf(b, "<section class=\"data\" id=\"data-%d\"><h2>%d</h2>\n<table class=\"downloads\"><tbody>\n",
			     years[i], years[i]);
		for (size_t l = 0; l < 4; l++) {
			rbm_buf_addf(b, "<tr><th scope=\"row\">%s</th><td>", rbm_i18n_gettext(lang, levels[l]));
			for (const char *const *f = rbm_export_formats; *f; f++)
				rbm_buf_addf(b, "<a href=\"/data/%d/%s.%s?lang=%s\">%s</a> ", years[i], levels[l], *f,
					     rbm_lang_tag(lang), *f);
			rbm_buf_adds(b, "</td></tr>\n");
		}
		rbm_buf_addf(b, "<tr><th scope=\"row\">%s</th><td><a href=\"/data/%d/datapackage.json\">datapackage.json</a></td></tr>\n",
			     TR("Data package"), years[i]);
		rbm_buf_addf(b, "<tr><th scope=\"row\">IATI 2.03</th><td><a href=\"/data/%d/iati.xml\">iati.xml</a></td></tr>\n",
			     years[i]);
		rbm_buf_adds(b, "</tbody></table></section>\n");
	}
	if (rc == RBM_OK)
		rc = rbm_web_page_end(resp);
	return rc;
}

/* Builds the table of level for year in lang. */
static enum rbm_rc table(struct rbm_web_req *req, int year, enum rbm_export_level level, enum rbm_lang lang,
			 struct rbm_export_table **out, struct rbm_diag *d)
{
	const struct rbm_measure *m = NULL;
	enum rbm_rc rc = rbm_web__measure(req, &m, NULL, d);
	if (rc == RBM_OK)
		rc = rbm_export_check(req->app->store, m, year, d);
	if (rc == RBM_OK)
		rc = rbm_export_table_build(m, req->app->plan, req->app->places, year, level, lang, out, d);
	return rc;
}

enum rbm_rc rbm_web__data_file(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	int year = rbm_web__year_param(req);
	const char *file = rbm_web_param(req, "file");
	char name[32] = "", fmt[8] = "";
	enum rbm_export_level level = RBM_EXPORT_VALUE;
	bool package = strcmp(file, "datapackage.json") == 0, iati = strcmp(file, "iati.xml") == 0;
	if (!package && !iati && (sscanf(file, "%15[a-z].%5[a-z]", name, fmt) != 2 || !rbm_export_level_parse(name, &level) ||
			 rbm_export_media_type(fmt) == NULL)) {
		return rbm_web_resp_error(req, resp, 404, "There is no such file.");
	}
	char again[64];
	snprintf(again, sizeof again, "%s.%s", name, fmt);
	if ((!package && !iati && strcmp(again, file) != 0) || year == 0 || !may_have(req, year))
		return rbm_web_resp_error(req, resp, 404, "There is no such file.");
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf out;
	rbm_buf_init(&out, DATA_MAX);
	enum rbm_rc rc = RBM_OK;
	enum rbm_lang lang = rbm_web_lang(req);
	if (iati) {
		/* Every year of the plan from its first to the cycle's, one period each. */
		const struct rbm_measure *m = NULL;
		rc = rbm_web__measure(req, &m, NULL, &d);
		struct rbm_export_iati_opts o = {year, req->app->plan->first_year, year, NULL};
		struct rbm_export_iati_summary sum;
		struct rbm_diag warnings;
		rbm_diag_init(&warnings);
		char *xml = NULL;
		size_t len = 0;
		if (rc == RBM_OK)
			rc = rbm_export_iati_build(req->app->store, req->app->plan, req->app->places, m, &o, &xml,
						   &len, &sum, &warnings, &d);
		if (rc == RBM_OK)
			rc = rbm_buf_add(&out, xml, len);
		free(xml);
		rbm_diag_free(&warnings);
	} else if (package) {
		struct rbm_export_table *t[4] = {0};
		for (int l = 0; l < 4 && rc == RBM_OK; l++)
			rc = table(req, year, (enum rbm_export_level)l, lang, &t[l], &d);
		if (rc == RBM_OK)
			rc = rbm_export_datapackage_json((const struct rbm_export_table *const *)t, 4, &out, &d);
		for (int l = 0; l < 4; l++)
			rbm_export_table_free(t[l]);
	} else {
		struct rbm_export_table *t = NULL;
		rc = table(req, year, level, lang, &t, &d);
		if (rc == RBM_OK)
			rc = rbm_export_render(t, fmt, &out, &d);
		rbm_export_table_free(t);
	}
	if (rc == RBM_OK) {
		resp->status = 200;
		resp->content_type = iati ? "application/xml; charset=utf-8"
			 : package ? "application/json; charset=utf-8"
				   : rbm_export_media_type(fmt);
		rbm_buf_free(&resp->body);
		resp->body = out;
		rbm_web_resp_header(resp, "Content-Language", rbm_lang_tag(lang));
		if (!package && !iati) {
			char cd[128];
			snprintf(cd, sizeof cd, "attachment; filename=\"%d-%s\"", year, file);
			rbm_web_resp_header(resp, "Content-Disposition", cd);
		}
		rbm_diag_free(&d);
		return RBM_OK;
	}
	rbm_buf_free(&out);
	char why[300];
	snprintf(why, sizeof why, "%s", d.len ? d.entries[0].reason : "");
	rbm_diag_free(&d);
	if (rc == RBM_ENOENT || (iati && rc == RBM_EINVAL))
		return rbm_web_resp_error(req, resp, 404, why);
	return rc;
}

enum rbm_rc rbm_web__api_data(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	if (req->app->plan == NULL || req->app->store == NULL)
		return rbm_web__no_plan(req, resp);
	/* A bad ?page or ?per_page is answered before any work. */
	size_t page, per;
	if (!rbm_web__paging(req, resp, &page, &per))
		return RBM_OK;
	int years[64];
	size_t n = visible_years(req, years, 64);
	json_t *all = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *files = json_object();
		for (size_t l = 0; l < 4; l++)
			for (const char *const *f = rbm_export_formats; *f; f++) {
				char name[32], url[64];
				snprintf(name, sizeof name, "%s.%s", levels[l], *f);
				snprintf(url, sizeof url, "/data/%d/%s", years[i], name);
				json_object_set_new(files, name, json_string(url));
			}
		char url[64];
		snprintf(url, sizeof url, "/data/%d/datapackage.json", years[i]);
		json_object_set_new(files, "datapackage.json", json_string(url));
		snprintf(url, sizeof url, "/data/%d/iati.xml", years[i]);
		json_object_set_new(files, "iati.xml", json_string(url));
		json_array_append_new(all, json_pack("{s:i, s:o}", "cycle", years[i], "files", files));
	}
	return rbm_web__paged(req, resp, all, page, per);
}
