/*
 * cmd_report.c - rbm report highlights|annual: render reports in six languages.
 */
#include <getopt.h>

#include "cli.h"

#include "../core/alloc.h"
#include "../core/fs.h"
#include "../measure/measure.h"
#include "../publish/render.h"
#include "../publish/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct report_opts {
	const char *cycle, *lang, *format, *outdir;
	bool strict;
};

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct report_opts *r = ctx;
	(void)cli;
	switch (opt) {
	case 'c': r->cycle = arg; break;
	case 'l': r->lang = arg; break;
	case 'f': r->format = arg; break;
	case 'o': r->outdir = arg; break;
	case 's': r->strict = true; break;
	}
	return -1;
}

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {
		{"cycle", required_argument, NULL, 'c'},  {"lang", required_argument, NULL, 'l'},
		{"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
		{"strict", no_argument, NULL, 's'},	  {NULL, 0, NULL, 0}};
	struct report_opts ro = {NULL, "all", "all", NULL, false};
	struct rbm_cli_opts o = {0};
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-o") == 0)
			argv[i] = "--output";
	int r = rbm_cli_parse(cli, &rbm_cmd_report, argc, argv, &o, NULL, extra, on_opt, &ro);
	if (r >= 0)
		return r;
	if (argc - o.first != 1 || (strcmp(argv[o.first], "highlights") != 0 && strcmp(argv[o.first], "annual") != 0)) {
		rbm_cli_error(cli, "report: name the report: highlights or annual");
		fprintf(cli->err, "usage: rbm %s %s\n", rbm_cmd_report.name, rbm_cmd_report.usage);
		return RBM_EXIT_USAGE;
	}
	const char *id = argv[o.first];
	int year;
	if (ro.cycle == NULL || ro.outdir == NULL) {
		rbm_cli_error(cli, "report: needs --cycle YEAR and -o DIR");
		return RBM_EXIT_USAGE;
	}
	if (!rbm_cli_year(cli, "report: --cycle", ro.cycle, &year))
		return RBM_EXIT_USAGE;
	bool langs[RBM_LANG_COUNT] = {0}, fmts[5] = {0};
	if (strcmp(ro.lang, "all") == 0) {
		for (int l = 0; l < RBM_LANG_COUNT; l++)
			langs[l] = true;
	} else {
		enum rbm_lang l;
		if (!rbm_lang_parse(ro.lang, &l)) {
			rbm_cli_error(cli, "report: --lang: expected ar, zh, en, fr, ru, es or all, got '%s'", ro.lang);
			return RBM_EXIT_USAGE;
		}
		langs[l] = true;
	}
	bool known = strcmp(ro.format, "all") == 0;
	for (int k = 0; k < 5; k++) {
		fmts[k] = known || strcmp(ro.format, rbm_publish_formats[k]) == 0;
		known |= fmts[k];
	}
	if (!known) {
		rbm_cli_error(cli, "report: --format: expected pdf, html, docx, xlsx, md or all, got '%s'", ro.format);
		return RBM_EXIT_USAGE;
	}
	struct stat st;
	if (stat(ro.outdir, &st) != 0 && mkdir(ro.outdir, 0777) != 0) {
		rbm_cli_error(cli, "report: %s: cannot create the folder: %s", ro.outdir, strerror(errno));
		return RBM_EXIT_FAILURE;
	}
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	struct rbm_places *places = NULL;
	struct rbm_measure *m = NULL;
	struct rbm_figures *figs = NULL;
	struct rbm_cycle cycle = {0};
	struct rbm_diag d;
	rbm_diag_init(&d);
	char *dir = NULL, *figpath = NULL;
	int code = rbm_cli_open_all(cli, &s, &p, &places);
	if (code >= 0)
		return code;
	code = RBM_EXIT_FAILURE;
	enum rbm_rc rc = rbm_collect_cycle_get(s, year, &cycle, &d);
	if (rc == RBM_OK)
		rc = rbm_measure_load(s, p, places, &m, &d);
	dir = rbm_xasprintf("%s/reports/%s", rbm_fs_data_dir(), p->code);
	figpath = rbm_xasprintf("%s/figures.json", dir);
	if (rc == RBM_OK && rbm_fs_is_file(figpath))
		rc = rbm_figures_load(figpath, p, &figs, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	struct rbm_report_ctx ctx = {s, p, places, m, figs, &cycle, dir, ro.strict, false};
	/* The language switcher links every page of the report rendered in this run. */
	char *alt_buf[RBM_LANG_COUNT + 1] = {0};
	size_t nalt = 0;
	for (int l = 0; l < RBM_LANG_COUNT; l++)
		if (langs[l])
			alt_buf[nalt++] = rbm_xasprintf("%s=%s.%s.html", rbm_lang_tag((enum rbm_lang)l), id,
							rbm_lang_tag((enum rbm_lang)l));
	size_t total = 0, done = 0, warned = 0;
	for (int l = 0; l < RBM_LANG_COUNT; l++)
		for (int k = 0; k < 5; k++)
			total += langs[l] && fmts[k];
	bool tty = isatty(2);
	code = RBM_EXIT_OK;
	for (int l = 0; l < RBM_LANG_COUNT && code == RBM_EXIT_OK; l++) {
		if (!langs[l])
			continue;
		struct rbm_doc *doc = NULL;
		size_t fallbacks = 0;
		rc = rbm_report_build(&ctx, id, (enum rbm_lang)l, &doc, &fallbacks, &d);
		if (rc != RBM_OK) {
			code = rbm_cli_fail(cli, rc, &d);
			break;
		}
		if (fallbacks) {
			rbm_cli_error(cli, "warning: %s (%s): %zu paragraph%s shown in English, marked (use --strict to refuse)",
				      id, rbm_lang_tag((enum rbm_lang)l), fallbacks, fallbacks == 1 ? "" : "s");
			warned++;
		}
		for (int k = 0; k < 5 && code == RBM_EXIT_OK; k++) {
			if (!fmts[k])
				continue;
			char *path = rbm_xasprintf("%s/%s.%s.%s", ro.outdir, id, rbm_lang_tag((enum rbm_lang)l),
						   rbm_publish_formats[k]);
			if (tty)
				fprintf(stderr, "\rrbm: rendering %zu/%zu %s\033[K", done + 1, total, path);
			rc = rbm_publish_write(doc, rbm_publish_formats[k], path, (const char *const *)alt_buf, &d);
			if (rc != RBM_OK)
				code = rbm_cli_fail(cli, rc, &d);
			else
				fprintf(cli->out, "%s\n", path);
			done++;
			free(path);
		}
		rbm_doc_free(doc);
	}
	if (tty)
		fprintf(stderr, "\r\033[K");
	for (size_t i = 0; i < nalt; i++)
		free(alt_buf[i]);
	if (code == RBM_EXIT_OK)
		fprintf(cli->out, "%zu file%s written to %s%s\n", done, done == 1 ? "" : "s", ro.outdir,
			warned ? " (with English fallbacks)" : "");
out:
	free(dir);
	free(figpath);
	rbm_collect_cycle_free(&cycle);
	rbm_figures_free(figs);
	rbm_measure_free(m);
	rbm_places_free(places);
	rbm_plan_free(p);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_report = {
	"report",
	"highlights|annual --cycle YEAR [--lang L|all] [--format pdf|html|docx|xlsx|md|all] -o DIR [--strict]",
	"render the highlights note or the annual progress report",
	"Builds the report from its definition (data/reports/PLAN-CODE/), the editorial text\n"
	"('rbm editorial import') and the approved results, in each language, and writes\n"
	"DIR/REPORT.LANG.FORMAT. A paragraph missing in a language is shown in English with a\n"
	"visible mark and a warning; --strict makes that an error.\n",
	run,
};
