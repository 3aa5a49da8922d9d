/*
 * cmd_help.c - rbm help [COMMAND]: the usage, or one command's help.
 */
#include "cli.h"

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	if (argc <= 1) {
		rbm_cli_print_usage(cli->out);
		return RBM_EXIT_OK;
	}
	int used = 0;
	const struct rbm_cmd *c = rbm_cli_find(argc - 1, argv + 1, &used);
	if (c == NULL) {
		rbm_cli_error(cli, "help: unknown command '%s'", argv[1]);
		return RBM_EXIT_USAGE;
	}
	rbm_cli_print_help(cli->out, c);
	return RBM_EXIT_OK;
}

const struct rbm_cmd rbm_cmd_help = {
	"help", "[COMMAND]", "show help for rbm or for one command", "", run,
};
