/*
 * cmd_plan_check.c - rbm plan check FILE: validate a plan definition.
 */
#include "cli.h"

#include "../core/fs.h"

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_plan_check, argc, argv, &o, NULL, NULL, NULL, NULL);
	if (r >= 0)
		return r;
	if (argc - o.first != 1) {
		rbm_cli_error(cli, "plan check: needs exactly one FILE");
		fprintf(cli->err, "usage: rbm %s %s\n", rbm_cmd_plan_check.name, rbm_cmd_plan_check.usage);
		return RBM_EXIT_USAGE;
	}
	const char *file = argv[o.first];
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_places *places = NULL;
	struct rbm_plan *plan = NULL;
	int code;
	enum rbm_rc rc = rbm_places_load(rbm_fs_data_dir(), &places, &d);
	if (rc != RBM_OK) {
		rbm_cli_fail(cli, rc, &d);
		code = RBM_EXIT_FAILURE;
		goto out;
	}
	rc = rbm_plan_load(file, places, &plan, &d);
	if (rc != RBM_OK) {
		rbm_diag_print(&d, cli->err, "rbm: ");
		rbm_cli_error(cli, "%s: %zu problem%s", file, rbm_diag_count(&d),
			      rbm_diag_count(&d) == 1 ? "" : "s");
		code = rc == RBM_EIO ? RBM_EXIT_FAILURE : RBM_EXIT_USAGE;
		goto out;
	}
	char summary[512];
	rbm_cli_plan_summary(plan, summary, sizeof summary);
	fprintf(cli->out, "%s: ok: plan %s, %d-%d: %s\n", file, plan->code, plan->first_year,
		plan->last_year, summary);
	code = RBM_EXIT_OK;
out:
	rbm_plan_free(plan);
	rbm_places_free(places);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_plan_check = {
	"plan check",
	"FILE",
	"validate a plan definition file and report every problem",
	"Checks FILE against the plan format (docs/plan-format.md): JSON syntax and UTF-8,\n"
	"types, unique codes, references, years within the plan period, rules that fit\n"
	"units, known languages, countries and regions. Prints one line per problem,\n"
	"FILE: JSONPATH: reason, and exits 2 if there is any; prints a summary and exits 0\n"
	"if there is none. The database is not used.\n",
	run,
};
