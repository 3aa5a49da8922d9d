/*
 * cmd_plan_missing.c - rbm plan missing-translations: texts lacking a language.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	struct rbm_cli_opts o = {.want_lang = true};
	int r = rbm_cli_parse(cli, &rbm_cmd_plan_missing, argc, argv, &o, NULL, NULL, NULL, NULL);
	if (r >= 0)
		return r;
	if (o.first < argc) {
		rbm_cli_error(cli, "plan missing-translations: unexpected argument '%s'", argv[o.first]);
		return RBM_EXIT_USAGE;
	}
	bool one = false;
	for (int i = 1; i < argc; i++)
		one |= strncmp(argv[i], "--lang", 6) == 0;
	unsigned want = one ? 1u << o.lang : ((1u << RBM_LANG_COUNT) - 1);
	struct rbm_store *store = NULL;
	struct rbm_plan *plan = NULL;
	int code = rbm_cli_open_plan(cli, &store, &plan);
	if (code >= 0)
		return code;
	struct rbm_missing *m = NULL;
	size_t n = 0;
	rbm_plan_missing(plan, want, &m, &n);
	size_t per_lang[RBM_LANG_COUNT] = {0};
	for (size_t i = 0; i < n; i++) {
		fprintf(cli->out, "%s %s %s:", m[i].kind, m[i].code, m[i].field);
		for (int l = 0; l < RBM_LANG_COUNT; l++) {
			if (m[i].langs & (1u << l)) {
				fprintf(cli->out, " %s", rbm_lang_tag((enum rbm_lang)l));
				per_lang[l]++;
			}
		}
		fputc('\n', cli->out);
	}
	fprintf(cli->out, "%zu text%s missing a translation", n, n == 1 ? "" : "s");
	const char *sep = ": ";
	for (int l = 0; l < RBM_LANG_COUNT; l++) {
		if (want & (1u << l)) {
			fprintf(cli->out, "%s%s %zu", sep, rbm_lang_tag((enum rbm_lang)l), per_lang[l]);
			sep = ", ";
		}
	}
	fputc('\n', cli->out);
	free(m);
	rbm_plan_free(plan);
	rbm_store_close(store);
	return RBM_EXIT_OK;
}

const struct rbm_cmd rbm_cmd_plan_missing = {
	"plan missing-translations",
	"[--lang L] [--db FILE]",
	"list the plan's texts that lack a language",
	"Lists every title, description and definition of the stored plan that is missing\n"
	"in one of the six languages (or in L only, with --lang), one line each:\n"
	"KIND CODE FIELD: LANGS, then a count per language. English is the fallback for\n"
	"any missing language.\n",
	run,
};
