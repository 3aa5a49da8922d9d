/*
 * main.c - rbm's entry point: global options, then the command.
 */
#include "cli.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct rbm_cli cli = {NULL, stdout, stderr};
	setlocale(LC_ALL, "");
	/*
	 * Numbers in and out stay in C form whatever the user's locale: files,
	 * CSV, JSON and SQL need '.' decimals, and strtod must read them so. Numbers
	 * for people are formatted through ICU in the language asked for.
	 */
	setlocale(LC_NUMERIC, "C");
	const char *env = getenv("RBM_DB");
	cli.db = env && *env ? env : "rbm.db";

	int i = 1;
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			cli.db = argv[i + 1];
			i += 2;
		} else if (strncmp(argv[i], "--db=", 5) == 0) {
			cli.db = argv[i] + 5;
			i++;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			rbm_cli_print_usage(stdout);
			return RBM_EXIT_OK;
		} else if (strcmp(argv[i], "--version") == 0) {
			return rbm_cmd_version.run(&cli, 1, (char *[]){"version", NULL});
		} else {
			rbm_cli_error(&cli, "unknown option '%s'", argv[i]);
			rbm_cli_print_usage(stderr);
			return RBM_EXIT_USAGE;
		}
	}
	if (i >= argc) {
		rbm_cli_print_usage(stderr);
		return RBM_EXIT_USAGE;
	}
	int used = 0;
	const struct rbm_cmd *c = rbm_cli_find(argc - i, argv + i, &used);
	if (c == NULL) {
		if (i + 1 < argc)
			rbm_cli_error(&cli, "unknown command '%s %s' (see 'rbm --help')", argv[i],
				      argv[i + 1]);
		else
			rbm_cli_error(&cli, "unknown command '%s' (see 'rbm --help')", argv[i]);
		return RBM_EXIT_USAGE;
	}
	/* The command sees its name as argv[0]. */
	int cargc = argc - i - used + 1;
	char **cargv = argv + i + used - 1;
	int rc = c->run(&cli, cargc, cargv);
	if (fflush(stdout) != 0) {
		rbm_cli_error(&cli, "cannot write the output");
		return RBM_EXIT_FAILURE;
	}
	return rc;
}
