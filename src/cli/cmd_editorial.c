/*
 * cmd_editorial.c - rbm editorial import: the report text editors write.
 */
#include "cli.h"

#include "../publish/editorial.h"

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_editorial_import, argc, argv, &o, NULL, NULL, NULL, NULL);
	if (r >= 0)
		return r;
	if (argc - o.first != 1) {
		rbm_cli_error(cli, "editorial import: needs exactly one FILE");
		return RBM_EXIT_USAGE;
	}
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	size_t n = 0;
	struct rbm_actor who = rbm_cli_actor();
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &s, &d);
	if (rc == RBM_OK)
		rc = rbm_editorial_import(s, argv[o.first], who.user, &n, &d);
	int code = RBM_EXIT_OK;
	if (rc == RBM_OK)
		fprintf(cli->out, "%s: %zu texts stored\n", argv[o.first], n);
	else
		code = rbm_cli_fail(cli, rc, &d);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_editorial_import = {
	"editorial import",
	"FILE",
	"store report text from a file: paragraphs per language, with their placeholders",
	"FILE is JSON: {\"rbm_editorial\": 1, \"report\": \"highlights\", \"cycle\": 2021,\n"
	"\"paragraphs\": {KEY: {LANG: TEXT}}} (docs/reports.md). English is stored first;\n"
	"each translation records the English text it was made from, so that a later change\n"
	"of the English shows it as stale in 'rbm i18n status'.\n",
	run,
};
