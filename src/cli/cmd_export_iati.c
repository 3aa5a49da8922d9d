/*
 * cmd_export_iati.c - rbm export iati: the plan's results as an IATI 2.03
 * activity file (export/iati.h; docs/exports.md, "IATI").
 */
#include <getopt.h>

#include "cli.h"

#include "../export/iati.h"
#include "../measure/measure.h"

#include <stdlib.h>
#include <string.h>

struct iati_opts {
	const char *cycle, *cycles, *output;
};

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct iati_opts *x = ctx;
	(void)cli;
	if (opt == 'c')
		x->cycle = arg;
	else if (opt == 'y')
		x->cycles = arg;
	else if (opt == 'o')
		x->output = arg;
	return -1;
}

/* "2020-2023" or "2021" into *from and *to; prints a usage error and returns false otherwise. */
static bool parse_years(struct rbm_cli *cli, const char *arg, int *from, int *to)
{
	const char *dash = strchr(arg, '-');
	if (dash == NULL) {
		if (!rbm_cli_year(cli, "export iati: --cycles", arg, from))
			return false;
		*to = *from;
		return true;
	}
	char first[16];
	size_t n = (size_t)(dash - arg);
	if (n == 0 || n >= sizeof first) {
		rbm_cli_error(cli, "export iati: --cycles: expected years such as 2020-2023, got '%s'", arg);
		return false;
	}
	memcpy(first, arg, n);
	first[n] = '\0';
	if (!rbm_cli_year(cli, "export iati: --cycles", first, from) ||
	    !rbm_cli_year(cli, "export iati: --cycles", dash + 1, to))
		return false;
	if (*from > *to) {
		rbm_cli_error(cli, "export iati: --cycles: %d comes after %d", *from, *to);
		return false;
	}
	return true;
}

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"cycle", required_argument, NULL, 'c'},
					      {"cycles", required_argument, NULL, 'y'},
					      {"output", required_argument, NULL, 'o'},
					      {NULL, 0, NULL, 0}};
	struct iati_opts x = {0};
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_export_iati, argc, argv, &o, "o:", extra, on_opt, &x);
	if (r >= 0)
		return r;
	if (argc - o.first != 0) {
		rbm_cli_error(cli, "export iati: unexpected argument '%s'", argv[o.first]);
		fprintf(cli->err, "usage: rbm %s %s\n", rbm_cmd_export_iati.name, rbm_cmd_export_iati.usage);
		return RBM_EXIT_USAGE;
	}
	if (x.cycle == NULL || x.output == NULL || *x.output == '\0') {
		rbm_cli_error(cli, "export iati: needs --cycle YEAR and -o FILE");
		fprintf(cli->err, "usage: rbm %s %s\n", rbm_cmd_export_iati.name, rbm_cmd_export_iati.usage);
		return RBM_EXIT_USAGE;
	}
	struct rbm_export_iati_opts io = {0};
	if (!rbm_cli_year(cli, "export iati: --cycle", x.cycle, &io.cycle))
		return RBM_EXIT_USAGE;
	if (x.cycles && !parse_years(cli, x.cycles, &io.year_from, &io.year_to))
		return RBM_EXIT_USAGE;

	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	struct rbm_places *places = NULL;
	struct rbm_measure *m = NULL;
	struct rbm_diag d, warnings;
	rbm_diag_init(&d);
	rbm_diag_init(&warnings);
	char *doc = NULL;
	size_t len = 0;
	struct rbm_export_iati_summary sum = {0};
	int code = rbm_cli_open_all(cli, &s, &p, &places);
	if (code >= 0)
		goto out;
	code = RBM_EXIT_USAGE;
	if (io.cycle < p->first_year || io.cycle > p->last_year) {
		rbm_cli_error(cli, "export iati: --cycle %d lies outside the plan period %d-%d", io.cycle,
			      p->first_year, p->last_year);
		goto out;
	}
	if (x.cycles && (io.year_from < p->first_year || io.year_to > p->last_year)) {
		rbm_cli_error(cli, "export iati: --cycles %s lies outside the plan period %d-%d", x.cycles,
			      p->first_year, p->last_year);
		goto out;
	}
	if (x.cycles && (io.cycle < io.year_from || io.cycle > io.year_to)) {
		rbm_cli_error(cli, "export iati: --cycles %s does not include --cycle %d", x.cycles, io.cycle);
		goto out;
	}
	enum rbm_rc rc = rbm_measure_load(s, p, places, &m, &d);
	if (rc == RBM_OK)
		rc = rbm_export_iati_build(s, p, places, m, &io, &doc, &len, &sum, &warnings, &d);
	rbm_diag_print(&warnings, cli->err, "rbm: warning: ");
	if (rc == RBM_OK) {
		if (strcmp(x.output, "-") == 0) {
			if (fwrite(doc, 1, len, cli->out) != len) {
				rbm_diag_add(&d, "standard output", NULL, "cannot write");
				rc = RBM_EIO;
			}
		} else {
			rc = rbm_export_iati_write(x.output, doc, len, &d);
		}
	}
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	code = RBM_EXIT_OK;
	if (strcmp(x.output, "-") != 0)
		fprintf(cli->out,
			"%s: %zu IATI activities, %zu results, %zu indicators, %zu periods (%d-%d), "
			"%zu actual values%s\n",
			x.output, sum.activities, sum.results, sum.indicators, sum.periods,
			io.year_from ? io.year_from : io.cycle, io.year_to ? io.year_to : io.cycle,
			sum.actuals, sum.skipped ? "; indicators left out are named above" : "");
out:
	free(doc);
	rbm_measure_free(m);
	rbm_places_free(places);
	rbm_plan_free(p);
	rbm_store_close(s);
	rbm_diag_free(&warnings);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_export_iati = {
	"export iati",
	"--cycle YEAR [--cycles FROM-TO] -o FILE",
	"the results as an IATI 2.03 activity file (XML)",
	"Writes an iati-activities file: one activity for the plan and one per programme,\n"
	"identified from the plan's \"iati\" object, each with its outcomes (result type 2),\n"
	"their indicators, baselines, and one period per year of --cycles (default: the\n"
	"cycle's year) with the plan's target and the approved actual, as 'rbm results'\n"
	"gives it, and the countries behind it. Text indicators are left out, each with a\n"
	"warning. The cycle must exist and have approved data. The file is written whole\n"
	"beside FILE and renamed over it; -o - writes to standard output.\n"
	"What each element holds: docs/exports.md, \"IATI\".\n",
	run,
};
