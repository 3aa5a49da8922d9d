/*
 * cmd_version.c - rbm version: the program's and its libraries' versions.
 */
#include "cli.h"

#include <jansson.h>
#include <libpq-fe.h>
#include <sqlite3.h>

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_version, argc, argv, &o, NULL, NULL, NULL, NULL);
	if (r >= 0)
		return r;
	if (o.first < argc) {
		rbm_cli_error(cli, "version: takes no arguments");
		return RBM_EXIT_USAGE;
	}
	int pq = PQlibVersion();
	fprintf(cli->out, "rbm %s (database schema %d; SQLite %s; libpq %d.%d; jansson %s)\n",
		RBM_VERSION, rbm_store_schema_latest(), sqlite3_libversion(), pq / 10000, pq % 10000,
		JANSSON_VERSION);
	return RBM_EXIT_OK;
}

const struct rbm_cmd rbm_cmd_version = {
	"version", "", "print the version of rbm and of the libraries it uses", "", run,
};
