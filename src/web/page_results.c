/*
 * page_results.c - the results dashboard, from approved submissions only:
 *   GET /results, /results/{year}     attainment per domain and outcome as
 *                                     charts, every indicator against its
 *                                     target, the countries reached
 *   GET /results/{year}/{indicator}   one indicator: targets and actuals
 *                                     over the years, by region, and the
 *                                     offices whose submissions make it up
 * The figures come from measure (the same engine as 'rbm results'); this
 * file only lays them out.
 */
#include "web_int.h"

#include "../collect/collect.h"
#include "../measure/measure.h"
#include "../publish/locale.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *unit_text(const struct rbm_indicator *ind, enum rbm_lang lang)
{
	switch (ind->unit) {
	case RBM_UNIT_PEOPLE: return rbm_i18n_gettext(lang, "people");
	case RBM_UNIT_PERCENT: return "%";
	case RBM_UNIT_YESNO: return rbm_i18n_gettext(lang, "yes/no");
	case RBM_UNIT_CURRENCY: return ind->currency ? ind->currency : "";
	default: return "";
	}
}

static void number_cell(struct rbm_buf *b, enum rbm_lang lang, bool has, double v)
{
	rbm_buf_adds(b, "<td class=\"num\">");
	if (has) {
		char num[64];
		rbm_fmt_number(lang, v, 2, num, sizeof num);
		rbm_html_text(b, num);
	} else {
		rbm_buf_adds(b, "<span class=\"muted\">—</span>");
	}
	rbm_buf_adds(b, "</td>");
}

static size_t state_of(enum rbm_attain a)
{
	switch (a) {
	case RBM_ATTAIN_ACHIEVED: return 0;
	case RBM_ATTAIN_ON_TRACK: return 1;
	case RBM_ATTAIN_BEHIND: return 2;
	case RBM_ATTAIN_NO_DATA: return 3;
	case RBM_ATTAIN_NO_TARGET: return 4;
	}
	return 3;
}

/* The domain (level-0 result) an indicator's result lies under. */
static size_t domain_of(const struct rbm_plan *p, size_t result)
{
	while (p->results[result].parent != RBM_NONE)
		result = p->results[result].parent;
	return result;
}

static void countries_reached(struct rbm_buf *b, enum rbm_lang lang, const struct rbm_measure *m,
			      int year)
{
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.year_from = q.year_to = year;
	q.by = 1u << RBM_DIM_COUNTRY;
	struct rbm_measure_table t = {0};
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_measure_run(m, &q, &t, &d);
	rbm_diag_free(&d);
	if (rc != RBM_OK)
		return;
	/* Distinct countries over every indicator. */
	uint32_t *seen = calloc(t.len + 1, sizeof *seen);
	size_t n = 0;
	for (size_t i = 0; i < t.len && seen; i++) {
		uint32_t k = t.rows[i].key[RBM_DIM_COUNTRY];
		bool dup = k == RBM_KEY_NONE;
		for (size_t j = 0; j < n && !dup; j++)
			dup = seen[j] == k;
		if (!dup)
			seen[n++] = k;
	}
	const char **names = calloc(n + 1, sizeof *names);
	for (size_t i = 0; i < n && names; i++)
		names[i] = rbm_measure_key_name(m, RBM_DIM_COUNTRY, seen[i], lang);
	if (names)
		rbm_collate_sort(lang, names, n);
	char line[160];
	snprintf(line, sizeof line, TR("Countries reached: %zu"), n);
	rbm_buf_adds(b, "<h2 id=\"countries\">");
	rbm_html_text(b, line);
	rbm_buf_adds(b, "</h2>\n<p class=\"countries\">");
	for (size_t i = 0; i < n && names; i++) {
		if (i)
			rbm_buf_adds(b, " · ");
		rbm_html_text(b, names[i]);
	}
	rbm_buf_adds(b, "</p>\n");
	free(names);
	free(seen);
	rbm_measure_table_free(&t);
}

enum rbm_rc rbm_web__results(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	const struct rbm_web_app *app = req->app;
	if (app->plan == NULL || app->store == NULL)
		return rbm_web__no_plan(req, resp);
	const struct rbm_plan *p = app->plan;
	int year = rbm_web__year_param(req);
	if (year == 0)
		return rbm_web_resp_error(req, resp, 404, "There is no reporting cycle yet.");
	const struct rbm_measure *m = NULL;
	struct rbm_attainment *att = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_web__measure(req, &m, NULL, &d);
	if (rc == RBM_OK)
		rc = rbm_measure_attainment(m, year, &att, &d);
	rbm_diag_free(&d);
	if (rc != RBM_OK)
		return rc;
	char title[160];
	snprintf(title, sizeof title, TR("Results %d"), year);
	rc = rbm_web_page_begin(req, resp, 200, title);
	struct rbm_buf *b = &resp->body;
	rbm_buf_adds(b, "<h1>");
	rbm_html_text(b, title);
	rbm_buf_adds(b, "</h1>\n<p class=\"muted\">");
	rbm_html_text(b, TR("From approved submissions only. Each figure links to the submissions behind it."));
	rbm_buf_adds(b, "</p>\n");
	/* Counts of indicator states per domain and per outcome (level 1). */
	size_t nres = p->results_len;
	size_t (*counts)[5] = calloc(nres + 1, sizeof *counts);
	const char **labels = calloc(nres + 1, sizeof *labels);
	if (counts == NULL || labels == NULL) {
		free(counts);
		free(labels);
		free(att);
		return RBM_ENOMEM;
	}
	for (size_t i = 0; i < p->indicators_len; i++) {
		size_t r = p->indicators[i].result, s = state_of(att[i].status);
		counts[r][s]++;
		for (size_t up = p->results[r].parent; up != RBM_NONE; up = p->results[up].parent)
			counts[up][s]++;
	}
	for (unsigned level = 0; level < 2; level++) {
		size_t n = 0;
		size_t (*rows)[5] = calloc(nres + 1, sizeof *rows);
		for (size_t r = 0; r < nres && rows; r++) {
			if (p->results[r].level != level)
				continue;
			const struct rbm_text *t = rbm_text_empty(&p->results[r].short_title) ? &p->results[r].title
											      : &p->results[r].short_title;
			char *l = rbm_arena_alloc(req->arena, 512);
			snprintf(l, 512, "%s %s", p->results[r].code, rbm_text_get(t, lang));
			labels[n] = l;
			memcpy(rows[n], counts[r], sizeof rows[n]);
			n++;
		}
		if (rows)
			rbm_web__svg_states(b, lang, level == 0 ? TR("Indicators by state, per domain of change")
								: TR("Indicators by state, per outcome"),
					    labels, (const size_t(*)[5])rows, n);
		free(rows);
	}
	/* Every indicator, under its domain. */
	rbm_buf_adds(b, "<h2>");
	rbm_html_text(b, TR("Indicators"));
	rbm_buf_adds(b, "</h2>\n<table class=\"indicators\"><thead><tr><th>");
	rbm_html_text(b, TR("Indicator"));
	rbm_buf_adds(b, "</th><th class=\"num\">");
	rbm_html_text(b, TR("Baseline"));
	rbm_buf_adds(b, "</th><th class=\"num\">");
	rbm_html_text(b, TR("Target"));
	rbm_buf_adds(b, "</th><th class=\"num\">");
	rbm_html_text(b, TR("Actual"));
	rbm_buf_adds(b, "</th><th class=\"num\">");
	rbm_html_text(b, TR("Progress"));
	rbm_buf_adds(b, "</th><th>");
	rbm_html_text(b, TR("State"));
	rbm_buf_adds(b, "</th></tr></thead>\n<tbody>\n");
	size_t last_domain = RBM_NONE;
	for (size_t i = 0; i < p->indicators_len; i++) {
		const struct rbm_indicator *ind = &p->indicators[i];
		size_t dom = domain_of(p, ind->result);
		if (dom != last_domain) {
			rbm_buf_adds(b, "<tr class=\"group\"><th colspan=\"6\">");
			rbm_html_text(b, p->results[dom].code);
			rbm_buf_adds(b, " ");
			rbm_html_text(b, rbm_text_get(&p->results[dom].title, lang));
			rbm_buf_adds(b, "</th></tr>\n");
			last_domain = dom;
		}
		rbm_buf_addf(b, "<tr id=\"i-%s\"><td><a href=\"/results/%d/", ind->code, year);
		rbm_html_text(b, ind->code);
		rbm_buf_adds(b, "\">");
		rbm_html_text(b, ind->code);
		rbm_buf_adds(b, "</a> ");
		rbm_html_text(b, rbm_text_get(&ind->title, lang));
		rbm_buf_adds(b, " <span class=\"muted\">");
		rbm_html_text(b, unit_text(ind, lang));
		rbm_buf_adds(b, "</span></td>");
		number_cell(b, lang, att[i].has_baseline, att[i].baseline);
		number_cell(b, lang, att[i].has_target, att[i].target);
		number_cell(b, lang, att[i].has_actual, att[i].actual);
		rbm_buf_adds(b, "<td class=\"num\">");
		if (att[i].has_actual && att[i].has_target) {
			char pct[32];
			rbm_fmt_percent(lang, att[i].percent, pct, sizeof pct);
			rbm_html_text(b, pct);
		}
		rbm_buf_adds(b, "</td><td>");
		rbm_web__status_badge(b, lang, rbm_attain_name(att[i].status));
		rbm_buf_adds(b, "</td></tr>\n");
	}
	rbm_buf_adds(b, "</tbody></table>\n");
	countries_reached(b, lang, m, year);
	free(counts);
	free(labels);
	free(att);
	if (rc == RBM_OK)
		rc = rbm_web_page_end(resp);
	return rc;
}

/* Runs q for one indicator; the table's rows in *t. */
static enum rbm_rc run_one(const struct rbm_measure *m, size_t ind, int from, int to, unsigned by,
			   struct rbm_measure_table *t)
{
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.indicators = &ind;
	q.indicators_len = 1;
	q.year_from = from;
	q.year_to = to;
	q.by = by;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_measure_run(m, &q, t, &d);
	rbm_diag_free(&d);
	return rc;
}

enum rbm_rc rbm_web__indicator(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	enum rbm_lang lang = rbm_web_lang(req);
	const struct rbm_web_app *app = req->app;
	if (app->plan == NULL || app->store == NULL)
		return rbm_web__no_plan(req, resp);
	const struct rbm_plan *p = app->plan;
	int year = rbm_web__year_param(req);
	size_t ii = rbm_plan_find_indicator(p, rbm_web_param(req, "indicator"));
	if (year == 0 || ii == RBM_NONE)
		return rbm_web_resp_error(req, resp, 404, "There is no such indicator.");
	const struct rbm_indicator *ind = &p->indicators[ii];
	const struct rbm_measure *m = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_web__measure(req, &m, NULL, &d);
	rbm_diag_free(&d);
	if (rc != RBM_OK)
		return rc;
	char title[600];
	snprintf(title, sizeof title, "%s %s", ind->code, rbm_text_get(&ind->title, lang));
	rc = rbm_web_page_begin(req, resp, 200, title);
	struct rbm_buf *b = &resp->body;
	rbm_buf_adds(b, "<h1>");
	rbm_html_text(b, title);
	rbm_buf_adds(b, "</h1>\n");
	if (!rbm_text_empty(&ind->definition)) {
		rbm_buf_adds(b, "<p>");
		rbm_html_text(b, rbm_text_get(&ind->definition, lang));
		rbm_buf_adds(b, "</p>\n");
	}
	/* Targets and actuals over the plan's years. */
	int first = p->first_year, last = p->last_year;
	size_t ny = last >= first ? (size_t)(last - first + 1) : 0;
	int years[64];
	double actual[64], target[64];
	ny = ny > 64 ? 64 : ny;
	struct rbm_measure_table t = {0};
	run_one(m, ii, first, last, 0, &t);
	for (size_t k = 0; k < ny; k++) {
		years[k] = first + (int)k;
		actual[k] = target[k] = NAN;
		for (size_t i = 0; i < ind->targets_len; i++)
			if (ind->targets[i].year == years[k])
				target[k] = ind->targets[i].value;
		for (size_t i = 0; i < t.len; i++)
			if (t.rows[i].year == years[k])
				actual[k] = t.rows[i].value;
	}
	rbm_measure_table_free(&t);
	rbm_web__svg_years(b, lang, TR("Targets and actuals by year"), years, actual, target, ny);
	rbm_buf_adds(b, "<table class=\"years\"><thead><tr><th>");
	rbm_html_text(b, TR("Year"));
	rbm_buf_adds(b, "</th><th class=\"num\">");
	rbm_html_text(b, TR("Target"));
	rbm_buf_adds(b, "</th><th class=\"num\">");
	rbm_html_text(b, TR("Actual"));
	rbm_buf_adds(b, "</th></tr></thead><tbody>\n");
	for (size_t k = 0; k < ny; k++) {
		rbm_buf_addf(b, "<tr><td>%d</td>", years[k]);
		number_cell(b, lang, !isnan(target[k]), target[k]);
		number_cell(b, lang, !isnan(actual[k]), actual[k]);
		rbm_buf_adds(b, "</tr>\n");
	}
	rbm_buf_adds(b, "</tbody></table>\n");
	/* By region, in the year. */
	memset(&t, 0, sizeof t);
	if (run_one(m, ii, year, year, 1u << RBM_DIM_REGION, &t) == RBM_OK && t.len) {
		const char **labels = rbm_arena_alloc(req->arena, (t.len + 1) * sizeof *labels);
		const char **texts = rbm_arena_alloc(req->arena, (t.len + 1) * sizeof *texts);
		double *values = rbm_arena_alloc(req->arena, (t.len + 1) * sizeof *values);
		for (size_t i = 0; i < t.len; i++) {
			uint32_t k = t.rows[i].key[RBM_DIM_REGION];
			labels[i] = k == RBM_KEY_NONE ? TR("Headquarters") : rbm_measure_key_name(m, RBM_DIM_REGION, k, lang);
			values[i] = t.rows[i].value;
			char *num = rbm_arena_alloc(req->arena, 64);
			rbm_fmt_number(lang, values[i], 2, num, 64);
			texts[i] = num;
		}
		char line[160];
		snprintf(line, sizeof line, TR("By region, %d"), year);
		rbm_buf_adds(b, "<h2>");
		rbm_html_text(b, line);
		rbm_buf_adds(b, "</h2>\n");
		rbm_web__svg_bars(b, lang, line, labels, values, texts, t.len, 0);
	}
	rbm_measure_table_free(&t);
	/* The offices whose approved submissions make up the year's figure. */
	memset(&t, 0, sizeof t);
	if (run_one(m, ii, year, year, 1u << RBM_DIM_OFFICE, &t) == RBM_OK) {
		struct rbm_submission *subs = NULL;
		size_t ns = 0;
		struct rbm_submission_filter f = {year, NULL, NULL, false, RBM_STATUS_DRAFT};
		rbm_diag_init(&d);
		rbm_collect_submissions(app->store, p, &f, &subs, &ns, &d);
		rbm_diag_free(&d);
		char line[160];
		snprintf(line, sizeof line, TR("Submissions behind the %d figure"), year);
		rbm_buf_adds(b, "<h2>");
		rbm_html_text(b, line);
		rbm_buf_adds(b, "</h2>\n<table class=\"sources\"><thead><tr><th>");
		rbm_html_text(b, TR("Office"));
		rbm_buf_adds(b, "</th><th class=\"num\">");
		rbm_html_text(b, TR("Value"));
		rbm_buf_adds(b, "</th><th>");
		rbm_html_text(b, TR("Submission"));
		rbm_buf_adds(b, "</th></tr></thead><tbody>\n");
		for (size_t i = 0; i < t.len; i++) {
			uint32_t k = t.rows[i].key[RBM_DIM_OFFICE];
			const char *code = k == RBM_KEY_NONE ? "" : rbm_measure_key_code(m, RBM_DIM_OFFICE, k);
			rbm_buf_adds(b, "<tr><td>");
			rbm_html_text(b, rbm_web__office_name(req, code, lang));
			rbm_buf_adds(b, "</td>");
			number_cell(b, lang, true, t.rows[i].value);
			rbm_buf_adds(b, "<td>");
			for (size_t s = 0; s < ns; s++) {
				if (strcmp(subs[s].office, code) != 0)
					continue;
				if (rbm_web__may(req, RBM_ACT_READ_SUBMISSION, code))
					rbm_buf_addf(b, "<a href=\"/review/%lld\">#%lld, %s %d</a>", subs[s].id, subs[s].id,
						     TR("approved revision"), subs[s].approved_rev);
				else
					rbm_buf_addf(b, "#%lld, %s %d", subs[s].id, TR("approved revision"),
						     subs[s].approved_rev);
			}
			rbm_buf_adds(b, "</td></tr>\n");
		}
		rbm_buf_adds(b, "</tbody></table>\n");
		rbm_collect_submissions_free(subs, ns);
	}
	rbm_measure_table_free(&t);
	if (rc == RBM_OK)
		rc = rbm_web_page_end(resp);
	return rc;
}
