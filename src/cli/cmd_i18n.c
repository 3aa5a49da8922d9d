/*
 * cmd_i18n.c - rbm i18n status|export|import: translations of plan titles and report text.
 */
#include <getopt.h>

#include "cli.h"

#include "../publish/i18n.h"

#include <stdlib.h>
#include <string.h>

static int on_out(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	(void)cli;
	if (opt == 'o')
		*(const char **)ctx = arg;
	return -1;
}

static int run_status(struct rbm_cli *cli, int argc, char **argv)
{
	struct rbm_cli_opts o = {.want_lang = true};
	int r = rbm_cli_parse(cli, &rbm_cmd_i18n_status, argc, argv, &o, NULL, NULL, NULL, NULL);
	if (r >= 0)
		return r;
	bool one = false;
	for (int i = 1; i < argc; i++)
		one |= strncmp(argv[i], "--lang", 6) == 0;
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	int code = rbm_cli_open_plan(cli, &s, &p);
	if (code >= 0)
		return code;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_i18n_item *v = NULL;
	size_t n = 0;
	enum rbm_rc rc = rbm_i18n_status(s, &v, &n, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	size_t missing[RBM_LANG_COUNT] = {0}, stale[RBM_LANG_COUNT] = {0};
	for (size_t i = 0; i < n; i++) {
		for (int l = 0; l < RBM_LANG_COUNT; l++) {
			if (l == RBM_LANG_EN || (one && l != (int)o.lang))
				continue;
			if (v[i].state[l] == RBM_I18N_CURRENT)
				continue;
			bool st = v[i].state[l] == RBM_I18N_STALE;
			fprintf(cli->out, "%s %d %s %s: %s\n", v[i].report, v[i].cycle, v[i].key,
				rbm_lang_tag((enum rbm_lang)l), st ? "stale (the English changed since)" : "missing");
			(st ? stale : missing)[l]++;
		}
	}
	/* The plan's titles. */
	struct rbm_missing *mv = NULL;
	size_t mn = 0;
	unsigned want = one ? 1u << o.lang : ((1u << RBM_LANG_COUNT) - 1) & ~(1u << RBM_LANG_EN);
	rbm_plan_missing(p, want, &mv, &mn);
	size_t plan_missing[RBM_LANG_COUNT] = {0};
	for (size_t i = 0; i < mn; i++)
		for (int l = 0; l < RBM_LANG_COUNT; l++)
			plan_missing[l] += (mv[i].langs >> l) & 1u;
	free(mv);
	fprintf(cli->out, "report text: %zu paragraphs in English\n", n);
	for (int l = 0; l < RBM_LANG_COUNT; l++) {
		if (l == RBM_LANG_EN || (one && l != (int)o.lang))
			continue;
		fprintf(cli->out, "%s: %zu missing, %zu stale; plan texts missing: %zu\n",
			rbm_lang_tag((enum rbm_lang)l), missing[l], stale[l], plan_missing[l]);
	}
	code = RBM_EXIT_OK;
out:
	rbm_i18n_items_free(v, n);
	rbm_diag_free(&d);
	rbm_plan_free(p);
	rbm_store_close(s);
	return code;
}

static int run_export(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"output", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0}};
	const char *outp = NULL;
	struct rbm_cli_opts o = {.want_lang = true};
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-o") == 0)
			argv[i] = "--output";
	int r = rbm_cli_parse(cli, &rbm_cmd_i18n_export, argc, argv, &o, NULL, extra, on_out, &outp);
	if (r >= 0)
		return r;
	bool one = false;
	for (int i = 1; i < argc; i++)
		one |= strncmp(argv[i], "--lang", 6) == 0;
	if (!one || o.lang == RBM_LANG_EN || outp == NULL) {
		rbm_cli_error(cli, "i18n export: needs --lang (ar, zh, fr, ru or es) and -o FILE");
		return RBM_EXIT_USAGE;
	}
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	size_t units = 0, untranslated = 0;
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &s, &d);
	if (rc == RBM_OK)
		rc = rbm_i18n_export(s, o.lang, outp, &units, &untranslated, &d);
	int code = RBM_EXIT_OK;
	if (rc == RBM_OK)
		fprintf(cli->out, "%s: XLIFF 2.0, en -> %s, %zu units, %zu to translate\n", outp,
			rbm_lang_tag(o.lang), units, untranslated);
	else
		code = rbm_cli_fail(cli, rc, &d);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

static int run_import(struct rbm_cli *cli, int argc, char **argv)
{
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_i18n_import, argc, argv, &o, NULL, NULL, NULL, NULL);
	if (r >= 0)
		return r;
	if (argc - o.first != 1) {
		rbm_cli_error(cli, "i18n import: needs exactly one FILE (XLIFF 2.0)");
		return RBM_EXIT_USAGE;
	}
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	size_t stored = 0;
	struct rbm_actor who = rbm_cli_actor();
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &s, &d);
	if (rc == RBM_OK)
		rc = rbm_i18n_import(s, argv[o.first], who.user, &stored, &d);
	int code = RBM_EXIT_OK;
	if (rc == RBM_OK)
		fprintf(cli->out, "%s: %zu translations stored\n", argv[o.first], stored);
	else {
		code = rbm_cli_fail(cli, rc, &d);
		rbm_cli_error(cli, "%s: nothing was stored", argv[o.first]);
	}
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_i18n_status = {
	"i18n status", "[--lang L]",
	"which report paragraphs and plan titles are missing or stale in each language",
	"A translation is stale when the English it was made from has changed since\n"
	"(rbm compares the hash of the English text recorded with the translation).\n",
	run_status,
};

const struct rbm_cmd rbm_cmd_i18n_export = {
	"i18n export", "--lang L -o FILE.xlf",
	"write the report text as XLIFF 2.0 for a translation tool",
	"Each English paragraph is a unit's source; current translations are its target\n"
	"(state 'translated'), missing or stale ones have none (state 'initial').\n",
	run_export,
};

const struct rbm_cmd rbm_cmd_i18n_import = {
	"i18n import", "FILE.xlf",
	"read translations back from an XLIFF 2.0 file",
	"All or nothing: a unit whose English source has changed since the export is refused.\n",
	run_import,
};
