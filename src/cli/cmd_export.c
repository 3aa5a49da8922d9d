/*
 * cmd_export.c - rbm export csv|json|xlsx|datapackage: a cycle's approved
 * results as tidy tables (export/table.h; columns in docs/exports.md).
 */
#include <getopt.h>

#include "cli.h"

#include "../export/table.h"

#include <stdlib.h>
#include <string.h>

struct export_opts {
	const char *cycle, *level, *output;
};

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct export_opts *e = ctx;
	(void)cli;
	if (opt == 'c')
		e->cycle = arg;
	else if (opt == 'l')
		e->level = arg;
	else if (opt == 'o')
		e->output = arg;
	return -1;
}

/* format: "csv", "json", "xlsx" or "datapackage". */
static int run_format(struct rbm_cli *cli, const struct rbm_cmd *c, const char *format, int argc,
		      char **argv)
{
	static const struct option extra[] = {{"cycle", required_argument, NULL, 'c'},
					      {"level", required_argument, NULL, 'l'},
					      {"output", required_argument, NULL, 'o'},
					      {NULL, 0, NULL, 0}};
	struct export_opts eo = {0};
	struct rbm_cli_opts o = {.want_lang = true};
	int r = rbm_cli_parse(cli, c, argc, argv, &o, "o:", extra, on_opt, &eo);
	if (r >= 0)
		return r;
	bool package = strcmp(format, "datapackage") == 0, workbook = strcmp(format, "xlsx") == 0;
	if (o.first < argc) {
		rbm_cli_error(cli, "%s: unexpected argument '%s'", c->name, argv[o.first]);
		fprintf(cli->err, "usage: rbm %s %s\n", c->name, c->usage);
		return RBM_EXIT_USAGE;
	}
	if (eo.cycle == NULL || eo.output == NULL) {
		rbm_cli_error(cli, "%s: needs --cycle YEAR and -o %s", c->name, package ? "DIR" : "FILE");
		fprintf(cli->err, "usage: rbm %s %s\n", c->name, c->usage);
		return RBM_EXIT_USAGE;
	}
	char what[64];
	snprintf(what, sizeof what, "%s: --cycle", c->name);
	int year;
	if (!rbm_cli_year(cli, what, eo.cycle, &year))
		return RBM_EXIT_USAGE;
	/* Which levels: --level, else value (CSV, JSON) or all four (XLSX, data package). */
	enum rbm_export_level levels[RBM_EXPORT_LEVEL_COUNT];
	size_t nlevels = 0;
	if (eo.level && package) {
		rbm_cli_error(cli, "%s: a data package holds every level: leave out --level", c->name);
		return RBM_EXIT_USAGE;
	}
	if (eo.level) {
		if (!rbm_export_level_parse(eo.level, &levels[0])) {
			rbm_cli_error(cli, "%s: --level: unknown level '%s' (expected value, indicator, outcome or domain)",
				      c->name, eo.level);
			return RBM_EXIT_USAGE;
		}
		nlevels = 1;
	} else if (package || workbook) {
		for (int l = 0; l < RBM_EXPORT_LEVEL_COUNT; l++)
			levels[nlevels++] = (enum rbm_export_level)l;
	} else {
		levels[nlevels++] = RBM_EXPORT_VALUE;
	}
	bool to_stdout = strcmp(eo.output, "-") == 0;
	if (to_stdout && (package || workbook)) {
		rbm_cli_error(cli, "%s: -o -: only CSV and JSON go to standard output", c->name);
		return RBM_EXIT_USAGE;
	}

	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	struct rbm_places *places = NULL;
	struct rbm_measure *m = NULL;
	struct rbm_export_table *tables[RBM_EXPORT_LEVEL_COUNT] = {0};
	struct rbm_diag d;
	rbm_diag_init(&d);
	int code = rbm_cli_open_all(cli, &s, &p, &places);
	if (code >= 0)
		goto out;
	enum rbm_rc rc = rbm_measure_load(s, p, places, &m, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	rc = rbm_export_check(s, m, year, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		if (rc == RBM_ENOENT) /* no such cycle, or nothing approved: bad input */
			code = RBM_EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < nlevels; i++) {
		rc = rbm_export_table_build(m, p, places, year, levels[i], o.lang, &tables[i], &d);
		if (rc != RBM_OK) {
			code = rbm_cli_fail(cli, rc, &d);
			goto out;
		}
	}
	const struct rbm_export_table *const *tv = (const struct rbm_export_table *const *)tables;
	if (package) {
		rc = rbm_export_datapackage(tv, nlevels, eo.output, &d);
	} else if (to_stdout) {
		struct rbm_buf b;
		rbm_buf_init(&b, 0);
		rc = rbm_export_render(tables[0], format, &b, &d);
		if (rc == RBM_OK && (fwrite(b.data ? b.data : "", 1, b.len, cli->out) != b.len || fflush(cli->out) != 0)) {
			rbm_diag_add(&d, NULL, NULL, "cannot write to standard output");
			rc = RBM_EIO;
		}
		rbm_buf_free(&b);
	} else {
		rc = rbm_export_write(tv, nlevels, format, eo.output, &d);
	}
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	if (!to_stdout) {
		fprintf(cli->out, "%s:", eo.output);
		for (size_t i = 0; i < nlevels; i++)
			fprintf(cli->out, "%s %zu %s row%s", i ? "," : "", tables[i]->rows_len,
				rbm_export_level_name(tables[i]->level), tables[i]->rows_len == 1 ? "" : "s");
		fprintf(cli->out, " (cycle %d, %s)\n", year, rbm_lang_tag(o.lang));
	}
	code = RBM_EXIT_OK;
out:
	for (size_t i = 0; i < RBM_EXPORT_LEVEL_COUNT; i++)
		rbm_export_table_free(tables[i]);
	rbm_measure_free(m);
	rbm_places_free(places);
	rbm_plan_free(p);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

static int run_csv(struct rbm_cli *cli, int argc, char **argv)
{
	return run_format(cli, &rbm_cmd_export_csv, "csv", argc, argv);
}

static int run_json(struct rbm_cli *cli, int argc, char **argv)
{
	return run_format(cli, &rbm_cmd_export_json, "json", argc, argv);
}

static int run_xlsx(struct rbm_cli *cli, int argc, char **argv)
{
	return run_format(cli, &rbm_cmd_export_xlsx, "xlsx", argc, argv);
}

static int run_datapackage(struct rbm_cli *cli, int argc, char **argv)
{
	return run_format(cli, &rbm_cmd_export_datapackage, "datapackage", argc, argv);
}

#define LEVELS                                                                                     \
	"\nLevels: value (one row per indicator, office, place, period and category; 'rbm values\n" \
	"import' reads it back), indicator (baseline, target, actual, progress, status),\n"         \
	"outcome and domain (indicators by status, countries, cities and offices).\n"               \
	"Only approved data count, as in 'rbm results'; codes stay as they are, titles and\n"      \
	"names come in --lang (default en). docs/exports.md describes every column.\n"

const struct rbm_cmd rbm_cmd_export_csv = {
	"export csv",
	"--cycle YEAR [--level value|indicator|outcome|domain] [--lang L] -o FILE|-",
	"a cycle's approved results as one tidy CSV table (RFC 4180, UTF-8)",
	"One level (default value) as CSV: a header row, CRLF line ends, '.' decimals,\n"
	"no thousands separators, an empty field for null. -o - writes to standard output;\n"
	"a file is written whole or not at all.\n" LEVELS,
	run_csv,
};

const struct rbm_cmd rbm_cmd_export_json = {
	"export json",
	"--cycle YEAR [--level value|indicator|outcome|domain] [--lang L] -o FILE|-",
	"a cycle's approved results as one JSON table, with its columns described",
	"One level (default value) as {\"cycle\", \"level\", \"lang\", \"plan\", \"columns\": [{\"name\",\n"
	"\"type\", \"required\", \"description\"}], \"rows\": [{column: value}]}; null for null.\n" LEVELS,
	run_json,
};

const struct rbm_cmd rbm_cmd_export_xlsx = {
	"export xlsx",
	"--cycle YEAR [--level value|indicator|outcome|domain] [--lang L] -o FILE",
	"a cycle's approved results as an Excel workbook, a sheet per level",
	"Every level (or only --level) as a sheet with a frozen header row and number cells,\n"
	"and a sheet \"columns\" that describes every column.\n" LEVELS,
	run_xlsx,
};

const struct rbm_cmd rbm_cmd_export_datapackage = {
	"export datapackage",
	"--cycle YEAR [--lang L] -o DIR",
	"a cycle's approved results as a Frictionless Data Package (typed CSV tables)",
	"DIR/datapackage.json (profile tabular-data-package, a Table Schema per table) and\n"
	"DIR/value.csv, indicator.csv, outcome.csv, domain.csv. The folder is written beside\n"
	"DIR and renamed into place; an existing DIR is replaced only when it holds nothing\n"
	"but an earlier data package.\n" LEVELS,
	run_datapackage,
};
