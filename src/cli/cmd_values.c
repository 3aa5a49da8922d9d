/*
 * cmd_values.c - rbm values import: data values in bulk (history, benchmarks).
 */
#include "cli.h"

#include "../measure/measure.h"

#include <stdlib.h>
#include <string.h>

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_values_import, argc, argv, &o, NULL, NULL, NULL, NULL);
	if (r >= 0)
		return r;
	if (argc - o.first != 1) {
		rbm_cli_error(cli, "values import: needs exactly one FILE (CSV)");
		return RBM_EXIT_USAGE;
	}
	const char *file = argv[o.first];
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	struct rbm_places *places = NULL;
	int code = rbm_cli_open_all(cli, &s, &p, &places);
	if (code >= 0)
		return code;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_values_result res;
	struct rbm_actor who = rbm_cli_actor();
	enum rbm_rc rc = rbm_store_begin(s, &d);
	if (rc == RBM_OK)
		rc = rbm_measure_values_import(s, p, places, file, true, &res, &d);
	if (rc == RBM_OK) {
		char detail[64];
		snprintf(detail, sizeof detail, "%zu values", res.rows);
		struct rbm_audit_event e = {who.user, who.channel, who.address, "values.import", file,
					    NULL, NULL, NULL, detail};
		rc = rbm_store_audit_append(s, &e, &d);
	}
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, &d);
	else
		rbm_store_rollback(s);
	if (rc == RBM_OK) {
		fprintf(cli->out, "%s: %zu values stored\n", file, res.rows);
		code = RBM_EXIT_OK;
	} else {
		code = rbm_cli_fail(cli, rc, &d);
		rbm_cli_error(cli, "%s: nothing was stored", file);
	}
	rbm_diag_free(&d);
	rbm_places_free(places);
	rbm_plan_free(p);
	rbm_store_close(s);
	return code;
}

const struct rbm_cmd rbm_cmd_values_import = {
	"values import",
	"FILE",
	"load data values in bulk from CSV (history, benchmarks), outside the survey",
	"The CSV has the columns indicator, year, office, value, and optionally quarter\n"
	"(1-4), country (alpha-3), city, disaggregation and category. Values are checked\n"
	"(known codes, finite numbers that fit the unit), all in one transaction: any\n"
	"problem, and nothing is stored. They count in results like approved values, with\n"
	"the source 'bulk:FILE' in 'rbm explain'.\n",
	run,
};
