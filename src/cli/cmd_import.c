/*
 * cmd_import.c - rbm import FILE: submissions from rbm JSON/CSV or KoBo/ODK exports.
 */
#include <getopt.h>

#include "cli.h"

#include <stdlib.h>
#include <string.h>

struct import_cli {
	const char *cycle, *office;
	bool dry_run, late;
};

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct import_cli *ic = ctx;
	(void)cli;
	switch (opt) {
	case 'c': ic->cycle = arg; break;
	case 'o': ic->office = arg; break;
	case 'n': ic->dry_run = true; break;
	case 'l': ic->late = true; break;
	}
	return -1;
}

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {
		{"cycle", required_argument, NULL, 'c'}, {"office", required_argument, NULL, 'o'},
		{"dry-run", no_argument, NULL, 'n'},     {"late", no_argument, NULL, 'l'},
		{NULL, 0, NULL, 0}};
	struct import_cli ic = {0};
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_import, argc, argv, &o, NULL, extra, on_opt, &ic);
	if (r >= 0)
		return r;
	if (argc - o.first != 1) {
		rbm_cli_error(cli, "import: needs exactly one FILE");
		fprintf(cli->err, "usage: rbm %s %s\n", rbm_cmd_import.name, rbm_cmd_import.usage);
		return RBM_EXIT_USAGE;
	}
	struct rbm_import_opts io = {0};
	if (ic.cycle && !rbm_cli_year(cli, "import: --cycle", ic.cycle, &io.year))
		return RBM_EXIT_USAGE;
	io.office = ic.office;
	io.dry_run = ic.dry_run;
	io.late = ic.late;
	io.progress = true;
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	struct rbm_places *places = NULL;
	int code = rbm_cli_open_all(cli, &s, &p, &places);
	if (code >= 0)
		return code;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_actor who = rbm_cli_actor();
	struct rbm_import_result res;
	const char *file = argv[o.first];
	enum rbm_rc rc = rbm_collect_import(s, p, places, file, &io, &who, &res, &d);
	if (rc == RBM_OK) {
		fprintf(cli->out, "%s: %s, %zu submission%s: %zu %s, %zu unchanged%s\n", file,
			res.format ? res.format : "?", res.records, res.records == 1 ? "" : "s",
			res.created, io.dry_run ? "would be stored" : "stored", res.unchanged,
			io.dry_run ? " (dry run: nothing was stored)" : "");
		code = RBM_EXIT_OK;
	} else {
		code = rbm_cli_fail(cli, rc, &d);
		rbm_cli_error(cli, "%s: %zu problem%s; nothing was imported", file, rbm_diag_count(&d),
			      rbm_diag_count(&d) == 1 ? "" : "s");
	}
	rbm_diag_free(&d);
	rbm_places_free(places);
	rbm_plan_free(p);
	rbm_store_close(s);
	return code;
}

const struct rbm_cmd rbm_cmd_import = {
	"import",
	"FILE [--cycle YEAR] [--office CODE] [--dry-run] [--late]",
	"import submissions: rbm JSON or CSV, KoBoToolbox or ODK exports (CSV, XLSX)",
	"Detects the format from the file: rbm JSON (docs/submission-format.md), rbm CSV\n"
	"(one row per answer: uuid,cycle,office,submitted_at,status,question,value[,country]),\n"
	"or a KoBoToolbox / ODK Central export of an rbm form (CSV or XLSX; group paths with\n"
	"'/' or '-'; select_multiple as one column or split 0/1 columns).\n"
	"\n"
	"The import is one transaction: every problem is reported with its row and column,\n"
	"and if there is any, nothing is stored. Importing the same submission again (same\n"
	"uuid, same content) changes nothing; changed content becomes a new revision.\n"
	"\n"
	"  --cycle YEAR    the cycle, when the file does not say (column rbm_cycle)\n"
	"  --office CODE   the office, when the file does not say (column rbm_office)\n"
	"  --dry-run       check everything, store nothing\n"
	"  --late          accept submissions dated outside the cycle's window\n",
	run,
};
