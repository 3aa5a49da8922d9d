/*
 * cmd_explain.c - rbm explain: the submissions and values behind a figure.
 */
#include <getopt.h>

#include "cli.h"

#include "../measure/measure.h"

#include <stdlib.h>
#include <string.h>

struct explain_opts {
	const char *cycle, *indicator, *country;
};

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct explain_opts *e = ctx;
	(void)cli;
	if (opt == 'c')
		e->cycle = arg;
	else if (opt == 'i')
		e->indicator = arg;
	else if (opt == 'n')
		e->country = arg;
	return -1;
}

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"cycle", required_argument, NULL, 'c'},
					      {"indicator", required_argument, NULL, 'i'},
					      {"country", required_argument, NULL, 'n'},
					      {NULL, 0, NULL, 0}};
	struct explain_opts eo = {0};
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_explain, argc, argv, &o, NULL, extra, on_opt, &eo);
	if (r >= 0)
		return r;
	int year;
	if (eo.cycle == NULL || eo.indicator == NULL) {
		rbm_cli_error(cli, "explain: needs --cycle YEAR and --indicator CODE");
		return RBM_EXIT_USAGE;
	}
	if (!rbm_cli_year(cli, "explain: --cycle", eo.cycle, &year))
		return RBM_EXIT_USAGE;
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	struct rbm_places *places = NULL;
	struct rbm_measure *m = NULL;
	struct rbm_query *q = NULL;
	struct rbm_diag d;
	rbm_diag_init(&d);
	int code = rbm_cli_open_all(cli, &s, &p, &places);
	if (code >= 0)
		return code;
	code = RBM_EXIT_USAGE;
	size_t ind = rbm_plan_find_indicator(p, eo.indicator);
	if (ind == RBM_NONE) {
		rbm_cli_error(cli, "explain: --indicator: unknown indicator '%s'", eo.indicator);
		goto out;
	}
	if (eo.country && rbm_places_country(places, eo.country) == NULL) {
		rbm_cli_error(cli, "explain: --country: unknown country '%s' (an ISO 3166-1 alpha-3 code)", eo.country);
		goto out;
	}
	const struct rbm_indicator *in = &p->indicators[ind];
	enum rbm_rc rc = rbm_store_query(
		s, "SELECT dv.office, dv.country, dv.city, dv.category, dv.value, dv.source, r.uuid, "
		   "r.submitted_at, s.id FROM data_values dv LEFT JOIN revisions r ON r.id = dv.revision_id "
		   "LEFT JOIN submissions s ON s.id = r.submission_id "
		   "WHERE dv.year = ? AND dv.indicator = ? AND (CAST(? AS TEXT) IS NULL OR dv.country = ?) AND dv.text IS NULL "
		   "ORDER BY dv.country NULLS FIRST, dv.office, dv.category NULLS FIRST", &q, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	rbm_query_bind_int(q, 1, year);
	rbm_query_bind_text(q, 2, in->code);
	rbm_query_bind_text(q, 3, eo.country);
	rbm_query_bind_text(q, 4, eo.country);
	fprintf(cli->out, "%s  %s\n", in->code, rbm_text_get(&in->title, RBM_LANG_EN));
	fprintf(cli->out, "%d%s%s: approved values, each with the submission it comes from\n", year,
		eo.country ? ", " : "", eo.country ? eo.country : "");
	fprintf(cli->out, "  %-8s %-4s %-10s %-8s %14s  %s\n", "office", "ctry", "city", "category", "value",
		"source");
	size_t n = 0;
	while ((rc = rbm_query_step(q, &d)) == RBM_OK) {
		const char *cat = rbm_query_text(q, 3);
		fprintf(cli->out, "  %-8s %-4s %-10s %-8s %14.15g  %s", rbm_query_text(q, 0),
			rbm_query_text(q, 1) ? rbm_query_text(q, 1) : "-",
			rbm_query_text(q, 2) ? rbm_query_text(q, 2) : "-", cat ? cat : "total",
			rbm_query_double(q, 4), rbm_query_text(q, 5));
		if (rbm_query_text(q, 6))
			fprintf(cli->out, ", uuid %s", rbm_query_text(q, 6));
		if (rbm_query_text(q, 7))
			fprintf(cli->out, ", submitted %s", rbm_query_text(q, 7));
		fputc('\n', cli->out);
		n++;
	}
	rbm_query_free(q);
	q = NULL;
	if (rc != RBM_ENOENT) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	/* The figure the engine makes of them, and how. */
	rc = rbm_measure_load(s, p, places, &m, &d);
	struct rbm_measure_query mq;
	rbm_measure_query_init(&mq);
	mq.year_from = mq.year_to = year;
	mq.indicators = &ind;
	mq.indicators_len = 1;
	mq.country = eo.country;
	struct rbm_measure_table t = {0};
	if (rc == RBM_OK)
		rc = rbm_measure_run(m, &mq, &t, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	double v = t.len ? t.rows[0].value : 0;
	unsigned places_n = t.len ? t.rows[0].places : 0, rows_n = t.len ? t.rows[0].rows : 0;
	rbm_measure_table_free(&t);
	const char *per_place = in->aggregation == RBM_AGG_COUNT_UNITS
					? (in->count_of == RBM_COUNT_CITY ? "city" : "country")
					: "place (country and city, or the office for values with no place)";
	fprintf(cli->out, "%zu values (%u totals counted; categories are shown, not added)\n", n, rows_n);
	fprintf(cli->out, "rule: per %s, offices' values combine by %s; then %s over %u place%s = %.15g\n",
		per_place, rbm_place_combine_name(in->place_combine),
		in->aggregation == RBM_AGG_COUNT_UNITS ? "count the places with a value > 0"
						       : rbm_aggregation_name(in->aggregation),
		places_n, places_n == 1 ? "" : "s", v);
	code = RBM_EXIT_OK;
out:
	rbm_query_free(q);
	rbm_measure_free(m);
	rbm_places_free(places);
	rbm_plan_free(p);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_explain = {
	"explain",
	"--cycle YEAR --indicator CODE [--country ISO3]",
	"list the approved values and submissions behind an indicator's figure",
	"Prints every data value of the indicator in the year (optionally one country):\n"
	"the office, place, category, value and the submission revision it comes from,\n"
	"then the rule that makes the figure of them and the figure itself.\n",
	run,
};
