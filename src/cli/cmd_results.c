/*
 * cmd_results.c - rbm results: aggregates and attainment for a cycle.
 */
#include <getopt.h>

#include "cli.h"

#include "../core/alloc.h"
#include "../core/fs.h"
#include "../measure/measure.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct results_opts {
	const char *cycle, *by, *indicator, *figures;
};

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct results_opts *r = ctx;
	(void)cli;
	if (opt == 'c')
		r->cycle = arg;
	else if (opt == 'b')
		r->by = arg;
	else if (opt == 'i')
		r->indicator = arg;
	else if (opt == 'f')
		r->figures = arg;
	return -1;
}

/* 2899810 -> "2,899,810"; fractions keep up to two decimals. */
static void fmt_num(double x, char *out, size_t cap)
{
	if (isnan(x)) {
		snprintf(out, cap, "-");
		return;
	}
	char raw[64];
	bool whole = x == floor(x) && fabs(x) < 1e15;
	snprintf(raw, sizeof raw, whole ? "%.0f" : "%.2f", fabs(x));
	char *dot = strchr(raw, '.');
	size_t int_len = dot ? (size_t)(dot - raw) : strlen(raw);
	size_t o = 0;
	if (x < 0 && o + 1 < cap)
		out[o++] = '-';
	for (size_t i = 0; i < int_len && o + 2 < cap; i++) {
		if (i && (int_len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = raw[i];
	}
	for (const char *p = dot; p && *p && o + 1 < cap; p++)
		out[o++] = *p;
	out[o] = '\0';
}

/* Loads engine, figures; prints problems. */
static int open_engine(struct rbm_cli *cli, struct rbm_store **s, struct rbm_plan **p,
		       struct rbm_places **places, struct rbm_measure **m)
{
	int code = rbm_cli_open_all(cli, s, p, places);
	if (code >= 0)
		return code;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_measure_load(*s, *p, *places, m, &d);
	code = rc == RBM_OK ? -1 : rbm_cli_fail(cli, rc, &d);
	rbm_diag_free(&d);
	return code;
}

static bool indicator_in_cycle_checked(struct rbm_cli *cli, struct rbm_store *s, int year)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_cycle c;
	enum rbm_rc rc = rbm_collect_cycle_get(s, year, &c, &d);
	if (rc == RBM_OK)
		rbm_collect_cycle_free(&c);
	else
		rbm_cli_fail(cli, rc, &d);
	rbm_diag_free(&d);
	return rc == RBM_OK;
}

static void attainment_view(struct rbm_cli *cli, struct rbm_store *s, const struct rbm_plan *p,
			    const struct rbm_measure *m, const struct rbm_figures *figs, int year,
			    size_t only, enum rbm_lang lang, const char *format)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_attainment *a = NULL;
	if (rbm_measure_attainment(m, year, &a, &d) != RBM_OK) {
		rbm_cli_fail(cli, RBM_ESTORE, &d);
		rbm_diag_free(&d);
		return;
	}
	bool csv = strcmp(format, "csv") == 0, json = strcmp(format, "json") == 0;
	json_t *arr = json ? json_array() : NULL;
	if (csv)
		fputs("indicator,year,unit,rule,actual,target,baseline,percent,status,values\n", cli->out);
	for (size_t r = 0; r < p->results_len; r++) {
		if (p->results[r].level != 0)
			continue;
		if (!csv && !json && only == RBM_NONE) {
			fprintf(cli->out, "%s %s  %s\n", rbm_text_get(&p->levels[0].title, lang), p->results[r].code,
				rbm_text_get(&p->results[r].title, lang));
			/* The domain's headline figures, as the report will quote them. */
			for (size_t k = 0; figs && k < figs->len; k++) {
				char ph[96], num[48];
				snprintf(ph, sizeof ph, "%s domain=%s", figs->v[k].name, p->results[r].code);
				double v;
				struct rbm_diag quiet;
				rbm_diag_init(&quiet);
				if (rbm_figure_eval(m, s, figs, year, ph, &v, &quiet) == RBM_OK &&
				    (v != 0 || figs->v[k].measure == RBM_FIG_INDICATORS) &&
				    figs->v[k].measure != RBM_FIG_OFFICES) {
					fmt_num(v, num, sizeof num);
					fprintf(cli->out, "  %-28s %s\n", rbm_text_get(&figs->v[k].title, lang), num);
				}
				rbm_diag_free(&quiet);
			}
		}
		for (size_t i = 0; i < p->indicators_len; i++) {
			const struct rbm_indicator *ind = &p->indicators[i];
			size_t at = ind->result;
			while (at != RBM_NONE && p->results[at].parent != RBM_NONE)
				at = p->results[at].parent;
			if (at != r || (only != RBM_NONE && only != i) || ind->unit == RBM_UNIT_TEXT)
				continue;
			const struct rbm_attainment *x = &a[i];
			char act[48], tgt[48], base[48], pct[32];
			fmt_num(x->has_actual ? x->actual : NAN, act, sizeof act);
			fmt_num(x->has_target ? x->target : NAN, tgt, sizeof tgt);
			fmt_num(x->has_baseline ? x->baseline : NAN, base, sizeof base);
			if (isnan(x->percent))
				snprintf(pct, sizeof pct, "-");
			else
				snprintf(pct, sizeof pct, "%.0f %%", x->percent);
			if (csv) {
				fprintf(cli->out, "%s,%d,%s,%s,", ind->code, year, rbm_unit_name(ind->unit),
					rbm_aggregation_name(ind->aggregation));
				if (x->has_actual)
					fprintf(cli->out, "%.15g", x->actual);
				fputc(',', cli->out);
				if (x->has_target)
					fprintf(cli->out, "%.15g", x->target);
				fputc(',', cli->out);
				if (x->has_baseline)
					fprintf(cli->out, "%.15g", x->baseline);
				fputc(',', cli->out);
				if (!isnan(x->percent))
					fprintf(cli->out, "%.2f", x->percent);
				fprintf(cli->out, ",%s,%u\n", rbm_attain_name(x->status), x->rows);
			} else if (json) {
				json_t *o = json_object();
				json_object_set_new(o, "indicator", json_string(ind->code));
				json_object_set_new(o, "year", json_integer(year));
				json_object_set_new(o, "unit", json_string(rbm_unit_name(ind->unit)));
				json_object_set_new(o, "rule", json_string(rbm_aggregation_name(ind->aggregation)));
				json_object_set_new(o, "place_combine", json_string(rbm_place_combine_name(ind->place_combine)));
				json_object_set_new(o, "actual", x->has_actual ? json_real(x->actual) : json_null());
				json_object_set_new(o, "target", x->has_target ? json_real(x->target) : json_null());
				json_object_set_new(o, "baseline", x->has_baseline ? json_real(x->baseline) : json_null());
				json_object_set_new(o, "percent", isnan(x->percent) ? json_null() : json_real(x->percent));
				json_object_set_new(o, "status", json_string(rbm_attain_name(x->status)));
				json_object_set_new(o, "values", json_integer(x->rows));
				json_array_append_new(arr, o);
			} else {
				fprintf(cli->out, "    %-6s %-12s actual %14s  target %14s  %6s  %-9s  %s\n", ind->code,
					rbm_aggregation_name(ind->aggregation), act, tgt, pct,
					rbm_attain_name(x->status), rbm_text_get(&ind->title, lang));
			}
		}
	}
	if (json) {
		char *js = json_dumps(arr, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
		fprintf(cli->out, "%s\n", js);
		free(js);
		json_decref(arr);
	} else if (!csv && only == RBM_NONE) {
		size_t counts[5] = {0};
		for (size_t i = 0; i < p->indicators_len; i++)
			if (p->indicators[i].unit != RBM_UNIT_TEXT)
				counts[a[i].status]++;
		fprintf(cli->out, "%d: %zu achieved, %zu on track, %zu behind, %zu no data, %zu no target "
				  "(thresholds: achieved >= %g %%, on track >= %g %%)\n",
			year, counts[0], counts[1], counts[2], counts[3], counts[4], p->threshold_achieved,
			p->threshold_on_track);
	}
	free(a);
	rbm_diag_free(&d);
}

static void grouped_view(struct rbm_cli *cli, const struct rbm_plan *p, const struct rbm_measure *m,
			 const struct rbm_measure_table *t, enum rbm_lang lang, const char *format)
{
	bool csv = strcmp(format, "csv") == 0, json = strcmp(format, "json") == 0;
	json_t *arr = json ? json_array() : NULL;
	if (csv) {
		fputs("indicator,year", cli->out);
		for (int k = 0; k < RBM_DIM_COUNT; k++)
			if (t->by & (1u << k))
				fprintf(cli->out, ",%s", k == RBM_DIM_CATEGORY ? p->disaggregations[t->disaggregation].code
									       : rbm_dim_name((enum rbm_dim)k));
		fputs(",value,places,values\n", cli->out);
	}
	size_t last = RBM_NONE;
	for (size_t r = 0; r < t->len; r++) {
		const struct rbm_measure_row *row = &t->rows[r];
		const struct rbm_indicator *ind = &p->indicators[row->indicator];
		char num[48];
		fmt_num(row->value, num, sizeof num);
		if (csv) {
			fprintf(cli->out, "%s,%d", ind->code, row->year);
			for (int k = 0; k < RBM_DIM_COUNT; k++)
				if (t->by & (1u << k))
					fprintf(cli->out, ",%s", rbm_measure_key_code(m, (enum rbm_dim)k, row->key[k]));
			fprintf(cli->out, ",%.15g,%u,%u\n", row->value, row->places, row->rows);
		} else if (json) {
			json_t *o = json_object();
			json_object_set_new(o, "indicator", json_string(ind->code));
			json_object_set_new(o, "year", json_integer(row->year));
			for (int k = 0; k < RBM_DIM_COUNT; k++)
				if (t->by & (1u << k))
					json_object_set_new(o, k == RBM_DIM_CATEGORY ? p->disaggregations[t->disaggregation].code
										     : rbm_dim_name((enum rbm_dim)k),
							    json_string(rbm_measure_key_code(m, (enum rbm_dim)k, row->key[k])));
			json_object_set_new(o, "value", json_real(row->value));
			json_object_set_new(o, "places", json_integer(row->places));
			json_object_set_new(o, "values", json_integer(row->rows));
			json_array_append_new(arr, o);
		} else {
			if (row->indicator != last) {
				fprintf(cli->out, "%s  %s (%s)\n", ind->code, rbm_text_get(&ind->title, lang),
					rbm_aggregation_name(ind->aggregation));
				last = row->indicator;
			}
			fprintf(cli->out, "  %d", row->year);
			for (int k = 0; k < RBM_DIM_COUNT; k++)
				if (t->by & (1u << k))
					fprintf(cli->out, "  %s", rbm_measure_key_name(m, (enum rbm_dim)k, row->key[k], lang));
			fprintf(cli->out, "  %s\n", num);
		}
	}
	if (json) {
		char *js = json_dumps(arr, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
		fprintf(cli->out, "%s\n", js);
		free(js);
		json_decref(arr);
	} else if (!csv) {
		fprintf(cli->out, "%zu row%s\n", t->len, t->len == 1 ? "" : "s");
	}
}

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"cycle", required_argument, NULL, 'c'},
					      {"by", required_argument, NULL, 'b'},
					      {"indicator", required_argument, NULL, 'i'},
					      {"figures", required_argument, NULL, 'f'},
					      {NULL, 0, NULL, 0}};
	struct results_opts ro = {0};
	struct rbm_cli_opts o = {.want_lang = true, .want_format = true, .formats = "table|csv|json"};
	o.format = "table";
	int r = rbm_cli_parse(cli, &rbm_cmd_results, argc, argv, &o, NULL, extra, on_opt, &ro);
	if (r >= 0)
		return r;
	int year;
	if (ro.cycle == NULL) {
		rbm_cli_error(cli, "results: needs --cycle YEAR");
		return RBM_EXIT_USAGE;
	}
	if (!rbm_cli_year(cli, "results: --cycle", ro.cycle, &year))
		return RBM_EXIT_USAGE;
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	struct rbm_places *places = NULL;
	struct rbm_measure *m = NULL;
	struct rbm_figures *figs = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	int code = open_engine(cli, &s, &p, &places, &m);
	if (code >= 0)
		goto out;
	code = RBM_EXIT_USAGE;
	if (year < p->first_year || year > p->last_year) {
		rbm_cli_error(cli, "results: --cycle %d lies outside the plan period %d-%d", year,
			      p->first_year, p->last_year);
		goto out;
	}
	if (!indicator_in_cycle_checked(cli, s, year)) {
		code = RBM_EXIT_USAGE;
		goto out;
	}
	size_t only = RBM_NONE;
	if (ro.indicator && (only = rbm_plan_find_indicator(p, ro.indicator)) == RBM_NONE) {
		rbm_cli_error(cli, "results: --indicator: unknown indicator '%s' (see 'rbm plan show')", ro.indicator);
		goto out;
	}
	/* The plan's headline figures: --figures, else data/reports/PLAN/figures.json if there is one. */
	char *figpath = ro.figures ? rbm_xstrdup(ro.figures)
				   : rbm_xasprintf("%s/reports/%s/figures.json", rbm_fs_data_dir(), p->code);
	if ((ro.figures || rbm_fs_is_file(figpath)) && rbm_figures_load(figpath, p, &figs, &d) != RBM_OK) {
		code = rbm_cli_fail(cli, RBM_EINVAL, &d);
		free(figpath);
		goto out;
	}
	free(figpath);
	struct rbm_measure_query q;
	rbm_measure_query_init(&q);
	q.year_from = q.year_to = year;
	if (only != RBM_NONE) {
		q.indicators = &only;
		q.indicators_len = 1;
	}
	bool attainment = ro.by == NULL || strcmp(ro.by, "domain") == 0;
	if (ro.by && !attainment) {
		char *list = rbm_xstrdup(ro.by), *save = NULL;
		for (char *tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
			enum rbm_dim dim;
			size_t g = RBM_NONE;
			for (size_t k = 0; k < p->disaggregations_len; k++)
				if (strcmp(p->disaggregations[k].code, tok) == 0)
					g = k;
			if (strcmp(tok, "flagship") == 0 || strcmp(tok, "programme") == 0) {
				dim = RBM_DIM_FLAGSHIP;
			} else if (g != RBM_NONE) {
				dim = RBM_DIM_CATEGORY;
				if (q.disaggregation != RBM_NONE && q.disaggregation != g) {
					rbm_cli_error(cli, "results: --by: one disaggregation at a time");
					free(list);
					goto out;
				}
				q.disaggregation = g;
			} else if (!rbm_dim_parse(tok, &dim) || dim == RBM_DIM_CATEGORY) {
				rbm_cli_error(cli, "results: --by: unknown dimension '%s' (office, region, country, city, "
						   "domain, outcome, flagship, theme, quarter, or a disaggregation such as sex)", tok);
				free(list);
				goto out;
			}
			q.by |= 1u << dim;
		}
		free(list);
	}
	if (attainment) {
		attainment_view(cli, s, p, m, figs, year, only, o.lang, o.format);
	} else {
		struct rbm_measure_table t;
		if (rbm_measure_run(m, &q, &t, &d) != RBM_OK) {
			code = rbm_cli_fail(cli, RBM_EINVAL, &d);
			goto out;
		}
		grouped_view(cli, p, m, &t, o.lang, o.format);
		rbm_measure_table_free(&t);
	}
	code = RBM_EXIT_OK;
out:
	rbm_figures_free(figs);
	rbm_measure_free(m);
	rbm_places_free(places);
	rbm_plan_free(p);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_results = {
	"results",
	"--cycle YEAR [--by DIMS] [--indicator CODE] [--figures FILE] [--format table|csv|json] [--lang L]",
	"what offices achieved in a cycle: aggregates and attainment against targets",
	"Without --by (or with --by domain): per domain of change, its headline figures\n"
	"(--figures FILE, else data/reports/PLAN-CODE/figures.json) and each indicator's\n"
	"actual, target, progress and status\n"
	"(achieved, on track, behind, no data, no target). With --by: the indicators'\n"
	"aggregates grouped by any of office, region, country, city, domain, outcome,\n"
	"flagship, theme, quarter, or a disaggregation (sex, age), comma-separated.\n"
	"Only approved submissions count. 'rbm explain' shows the values behind a figure.\n",
	run,
};
