/*
 * cmd_init.c - rbm init: create or update a database with places and a plan.
 *
 * The plan is loaded and validated before the database is touched, so a
 * bad plan leaves an existing database exactly as it was.
 */
#include <getopt.h>

#include "cli.h"

#include "../core/alloc.h"
#include "../core/fs.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_PLAN "unhabitat-2020-2023"

struct init_opts {
	const char *plan;
	bool replace;
};

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct init_opts *io = ctx;
	(void)cli;
	if (opt == 'p')
		io->plan = arg;
	else if (opt == 'r')
		io->replace = true;
	return -1;
}

/* A NAME (no '/' and no '.json') names a bundled plan in data/plans/. */
static char *plan_path(const char *plan)
{
	size_t n = strlen(plan);
	if (strchr(plan, '/') || (n > 5 && strcmp(plan + n - 5, ".json") == 0) ||
	    rbm_fs_is_file(plan))
		return rbm_xstrdup(plan);
	return rbm_xasprintf("%s/plans/%s.json", rbm_fs_data_dir(), plan);
}

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {
		{"plan", required_argument, NULL, 'p'},
		{"replace", no_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	struct init_opts io = {DEFAULT_PLAN, false};
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_init, argc, argv, &o, NULL, extra, on_opt, &io);
	if (r >= 0)
		return r;
	if (o.first < argc) {
		rbm_cli_error(cli, "init: unexpected argument '%s'", argv[o.first]);
		return RBM_EXIT_USAGE;
	}
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_places *places = NULL;
	struct rbm_plan *plan = NULL;
	struct rbm_store *store = NULL;
	char *path = plan_path(io.plan);
	bool existed = access(cli->db, F_OK) == 0;
	bool changed = false;
	int code = RBM_EXIT_OK;

	enum rbm_rc rc = rbm_places_load(rbm_fs_data_dir(), &places, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		rbm_cli_error(cli, "rbm's bundled data is missing or damaged (set RBM_DATA_DIR?)");
		code = RBM_EXIT_FAILURE;
		goto out;
	}
	rc = rbm_plan_load(path, places, &plan, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		if (rc == RBM_ENOENT)
			code = RBM_EXIT_USAGE;
		rbm_cli_error(cli, "the database was not changed");
		goto out;
	}
	rc = rbm_store_open(cli->db, RBM_STORE_CREATE, &store, &d);
	if (rc == RBM_OK)
		rc = rbm_store_begin(store, &d);
	if (rc == RBM_OK)
		rc = rbm_store_put_places(store, places, &d);
	if (rc == RBM_OK)
		rc = rbm_store_put_plan(store, plan, io.replace, &changed, &d);
	if (rc == RBM_OK && changed) {
		/* The plan load and its audit entry are one transaction. */
		struct rbm_actor who = rbm_cli_actor();
		char object[96];
		snprintf(object, sizeof object, "plan %s", plan->code);
		struct rbm_audit_event e = {who.user, who.channel, who.address,
					    io.replace ? "plan.replace" : "plan.load", object, NULL,
					    NULL, NULL, path};
		rc = rbm_store_audit_append(store, &e, &d);
	}
	if (rc == RBM_OK)
		rc = rbm_store_commit(store, &d);
	else if (store)
		rbm_store_rollback(store);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		rbm_store_close(store);
		store = NULL;
		if (!existed) {
			/* Leave nothing behind that we made. */
			unlink(cli->db);
			char *wal = rbm_xasprintf("%s-wal", cli->db), *shm = rbm_xasprintf("%s-shm", cli->db);
			unlink(wal);
			unlink(shm);
			free(wal);
			free(shm);
		}
		goto out;
	}
	char summary[512];
	rbm_cli_plan_summary(plan, summary, sizeof summary);
	if (changed)
		fprintf(cli->out, "%s: plan %s loaded (%s; %zu countries, %zu regions)\n", cli->db,
			plan->code, summary, places->countries_len, places->regions_len);
	else
		fprintf(cli->out, "%s: holds plan %s already; nothing changed\n", cli->db, plan->code);
out:
	rbm_store_close(store);
	rbm_plan_free(plan);
	rbm_places_free(places);
	free(path);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_init = {
	"init",
	"[--db DATABASE] [--plan FILE|NAME] [--replace]",
	"create the database, or bring it up to date, with places and a plan",
	"Creates the database if it does not exist, applies schema migrations, stores the\n"
	"countries and UN M49 regions, and loads the plan. The plan is validated first: any\n"
	"problem is reported (every one, with its JSON path) and the database is not touched.\n"
	"\n"
	"  --plan FILE|NAME  a plan definition file, or the name of a bundled plan in\n"
	"                    data/plans/ (default: " DEFAULT_PLAN ")\n"
	"  --replace         replace a stored plan with the same code that differs\n"
	"  --db DATABASE     the database (default: $RBM_DB, else ./rbm.db): a SQLite\n"
	"                    file, created if need be, or a postgres:// URL naming a\n"
	"                    database that exists on the server (rbm makes its tables)\n",
	run,
};
