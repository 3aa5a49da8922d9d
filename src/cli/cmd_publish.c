/*
 * cmd_publish.c - rbm report publish|unpublish|publications: which reports
 * the public sees (publish/publication.h).
 */
#include <getopt.h>

#include "cli.h"

#include "../publish/publication.h"

#include <string.h>

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	(void)cli;
	if (opt == 'c')
		*(const char **)ctx = arg;
	return -1;
}

static int set(struct rbm_cli *cli, const struct rbm_cmd *c, int argc, char **argv, bool published)
{
	static const struct option extra[] = {{"cycle", required_argument, NULL, 'c'}, {NULL, 0, NULL, 0}};
	const char *cycle = NULL;
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, c, argc, argv, &o, NULL, extra, on_opt, &cycle);
	if (r >= 0)
		return r;
	if (argc - o.first != 1 || !rbm_publication_report_known(argv[o.first])) {
		rbm_cli_error(cli, "%s: name the report: highlights or annual", c->name);
		fprintf(cli->err, "usage: rbm %s %s\n", c->name, c->usage);
		return RBM_EXIT_USAGE;
	}
	const char *report = argv[o.first];
	int year;
	if (cycle == NULL) {
		rbm_cli_error(cli, "%s: needs --cycle YEAR", c->name);
		return RBM_EXIT_USAGE;
	}
	char what[64];
	snprintf(what, sizeof what, "%s: --cycle", c->name);
	if (!rbm_cli_year(cli, what, cycle, &year))
		return RBM_EXIT_USAGE;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_actor who = rbm_cli_actor();
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &s, &d);
	bool no_cycle = false;
	if (rc == RBM_OK) {
		rc = rbm_publication_set(s, report, year, published, &who, &d);
		no_cycle = rc == RBM_ENOENT;
	}
	int code = RBM_EXIT_OK;
	if (rc == RBM_OK) {
		fprintf(cli->out, "report %s %d %s\n", report, year, published ? "published" : "unpublished");
	} else {
		code = rbm_cli_fail(cli, rc, &d);
		/* A cycle that does not exist is bad input, like an unknown report. */
		if (no_cycle)
			code = RBM_EXIT_USAGE;
	}
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

static int run_publish(struct rbm_cli *cli, int argc, char **argv)
{
	return set(cli, &rbm_cmd_report_publish, argc, argv, true);
}

static int run_unpublish(struct rbm_cli *cli, int argc, char **argv)
{
	return set(cli, &rbm_cmd_report_unpublish, argc, argv, false);
}

static int run_list(struct rbm_cli *cli, int argc, char **argv)
{
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_report_publications, argc, argv, &o, NULL, NULL, NULL, NULL);
	if (r >= 0)
		return r;
	if (argc - o.first != 0) {
		rbm_cli_error(cli, "%s: takes no operands", rbm_cmd_report_publications.name);
		return RBM_EXIT_USAGE;
	}
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_publication *v = NULL;
	size_t n = 0;
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &s, &d);
	if (rc == RBM_OK)
		rc = rbm_publication_list(s, &v, &n, &d);
	int code = RBM_EXIT_OK;
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
	} else {
		for (size_t i = 0; i < n; i++)
			fprintf(cli->out, "%d  %-10s  published %s by %s\n", v[i].year, v[i].report,
				v[i].published_at, v[i].published_by);
		fprintf(cli->out, "%zu report%s published\n", n, n == 1 ? "" : "s");
	}
	rbm_publication_list_free(v, n);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_report_publish = {
	"report publish",
	"highlights|annual --cycle YEAR",
	"publish a report: the web server shows it to the public",
	"Marks the report of the cycle as published, in the audit log too (report.publish).\n"
	"The web server's public pages are to show only published reports. Publishing a\n"
	"published report is refused; 'rbm report unpublish' undoes it.\n",
	run_publish,
};

const struct rbm_cmd rbm_cmd_report_unpublish = {
	"report unpublish",
	"highlights|annual --cycle YEAR",
	"withdraw a published report from the public",
	"Marks the report of the cycle as not published, in the audit log too\n"
	"(report.unpublish, with when and by whom it had been published).\n",
	run_unpublish,
};

const struct rbm_cmd rbm_cmd_report_publications = {
	"report publications",
	"",
	"list the published reports",
	"One line per published report, newest cycle first: the year, the report, when and by whom.\n",
	run_list,
};
