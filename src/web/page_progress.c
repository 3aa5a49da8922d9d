/*
 * page_progress.c - GET /progress and /progress/{year}: collection progress
 * by region and office, with the response rate (an office has responded
 * once it has submitted), as collect counts it for 'rbm cycle status'.
 */
#include "web_int.h"

#include "../collect/collect.h"
#include "../publish/locale.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The newest cycle's year, or 0 when there is none. */
int rbm_web__latest_year(struct rbm_web_req *req)
{
	struct rbm_cycle *v = NULL;
	size_t n = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	rbm_collect_cycle_list(req->app->store, &v, &n, &d);
	rbm_diag_free(&d);
	int year = 0;
	for (size_t i = 0; i < n; i++)
		year = v[i].year > year ? v[i].year : year;
	rbm_collect_cycles_free(v, n);
	return year;
}

/* The {year} parameter, or the newest cycle's for a route without one; 0 when bad. */
int rbm_web__year_param(struct rbm_web_req *req)
{
	const char *y = rbm_web_param(req, "year");
	if (y == NULL)
		return rbm_web__latest_year(req);
	char *end;
	long v = strtol(y, &end, 10);
	return *y && *end == '\0' && v >= 1900 && v <= 2200 ? (int)v : 0;
}

enum rbm_rc rbm_web__progress(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	const struct rbm_web_app *app = req->app;
	if (app->plan == NULL || app->store == NULL)
		return rbm_web__no_plan(req, resp);
	int year = rbm_web__year_param(req);
	struct rbm_progress_row *v = NULL;
	size_t n = 0;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = year ? rbm_collect_progress(app->store, app->plan, year, &v, &n, &d) : RBM_ENOENT;
	rbm_diag_free(&d);
	if (rc == RBM_ENOENT)
		return rbm_web_resp_error(req, resp, 404, "There is no reporting cycle for this year.");
	if (rc != RBM_OK)
		return rc;
	char title[160];
	snprintf(title, sizeof title, TR("Collection progress %d"), year);
	rc = rbm_web_page_begin(req, resp, 200, title);
	struct rbm_buf *b = &resp->body;
	rbm_buf_adds(b, "<h1>");
	rbm_html_text(b, title);
	rbm_buf_adds(b, "</h1>\n");
	size_t all[RBM_PROGRESS_STATES], responded;
	rbm_collect_progress_count(v, n, NULL, all, &responded);
	char pct[32], line[256];
	rbm_fmt_percent(lang, n ? 100.0 * (double)responded / (double)n : 0, pct, sizeof pct);
	snprintf(line, sizeof line, TR("%zu of %zu offices have responded (%s); %zu approved."), responded, n, pct, all[4]);
	rbm_buf_adds(b, "<p class=\"lead\" id=\"rate\">");
	rbm_html_text(b, line);
	rbm_buf_adds(b, "</p>\n");
	/* Regions in plan order, then headquarters. */
	const char *labels[64], *texts[64];
	double rates[64];
	char text_buf[64][96];
	const char *codes[64];
	size_t nr = 0;
	for (size_t oi = 0; oi <= app->plan->offices_len && nr < 64; oi++) {
		const char *region = oi < app->plan->offices_len ? app->plan->offices[oi].code : "HQ";
		if (oi < app->plan->offices_len && app->plan->offices[oi].kind != RBM_OFFICE_REGIONAL)
			continue;
		size_t counts[RBM_PROGRESS_STATES], r;
		size_t m = rbm_collect_progress_count(v, n, region, counts, &r);
		if (m == 0)
			continue;
		codes[nr] = region;
		labels[nr] = oi < app->plan->offices_len ? rbm_web__office_name(req, region, lang) : TR("Headquarters");
		rates[nr] = 100.0 * (double)r / (double)m;
		rbm_fmt_percent(lang, rates[nr], pct, sizeof pct);
		snprintf(text_buf[nr], sizeof text_buf[nr], "%s (%zu/%zu)", pct, r, m);
		texts[nr] = text_buf[nr];
		nr++;
	}
	rbm_web__svg_bars(b, lang, TR("Response rate by region"), labels, rates, texts, nr, 100);
	for (size_t k = 0; k < nr; k++) {
		rbm_buf_adds(b, "<h2>");
		rbm_html_text(b, labels[k]);
		rbm_buf_adds(b, " <span class=\"muted\">");
		rbm_html_text(b, texts[k]);
		rbm_buf_adds(b, "</span></h2>\n<table class=\"progress\"><thead><tr><th>");
		rbm_html_text(b, TR("Office"));
		rbm_buf_adds(b, "</th><th>");
		rbm_html_text(b, TR("State"));
		rbm_buf_adds(b, "</th></tr></thead><tbody>\n");
		for (size_t i = 0; i < n; i++) {
			if (strcmp(v[i].region, codes[k]) != 0)
				continue;
			rbm_buf_adds(b, "<tr><td>");
			rbm_html_text(b, rbm_web__office_name(req, v[i].office, lang));
			rbm_buf_adds(b, " <span class=\"muted\">");
			rbm_html_text(b, v[i].office);
			rbm_buf_adds(b, "</span></td><td>");
			rbm_web__status_badge(b, lang, rbm_collect_progress_state_name(rbm_collect_progress_state(&v[i])));
			rbm_buf_adds(b, "</td></tr>\n");
		}
		rbm_buf_adds(b, "</tbody></table>\n");
	}
	rbm_collect_progress_free(v, n);
	if (rc == RBM_OK)
		rc = rbm_web_page_end(resp);
	return rc;
}
