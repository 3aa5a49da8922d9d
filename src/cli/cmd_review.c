/*
 * cmd_review.c - rbm review approve|return ID: the reviewer's decisions.
 */
#include <getopt.h>

#include "cli.h"

#include <stdlib.h>
#include <string.h>

struct review_opts {
	const char *comment, *rev;
};

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct review_opts *r = ctx;
	(void)cli;
	if (opt == 'c')
		r->comment = arg;
	else if (opt == 'r')
		r->rev = arg;
	return -1;
}

static int review(struct rbm_cli *cli, const struct rbm_cmd *c, int argc, char **argv, bool approve)
{
	static const struct option extra[] = {{"comment", required_argument, NULL, 'c'},
					      {"rev", required_argument, NULL, 'r'},
					      {NULL, 0, NULL, 0}};
	struct review_opts ro = {0};
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, c, argc, argv, &o, NULL, extra, on_opt, &ro);
	if (r >= 0)
		return r;
	char *end;
	long long id = argc - o.first == 1 ? strtoll(argv[o.first], &end, 10) : 0;
	if (argc - o.first != 1 || *end || id <= 0) {
		rbm_cli_error(cli, "%s: needs one submission ID (see 'rbm submissions list')", c->name);
		return RBM_EXIT_USAGE;
	}
	int base = -1;
	if (ro.rev && (base = atoi(ro.rev)) <= 0) {
		rbm_cli_error(cli, "%s: --rev: expected the revision you reviewed, got '%s'", c->name, ro.rev);
		return RBM_EXIT_USAGE;
	}
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_actor who = rbm_cli_actor();
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &s, &d);
	if (rc == RBM_OK)
		rc = approve ? rbm_collect_approve(s, id, base, &who, &d)
			     : rbm_collect_return(s, id, base, ro.comment, &who, &d);
	int code = RBM_EXIT_OK;
	if (rc == RBM_OK)
		fprintf(cli->out, "submission %lld %s\n", id, approve ? "approved" : "returned to the office");
	else
		code = rbm_cli_fail(cli, rc, &d);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

static int run_approve(struct rbm_cli *cli, int argc, char **argv)
{
	return review(cli, &rbm_cmd_review_approve, argc, argv, true);
}

static int run_return(struct rbm_cli *cli, int argc, char **argv)
{
	return review(cli, &rbm_cmd_review_return, argc, argv, false);
}

const struct rbm_cmd rbm_cmd_review_approve = {
	"review approve",
	"ID [--rev N]",
	"approve a submitted submission: its figures count from now on",
	"  --rev N   the revision you reviewed: refused if the submission has changed since\n",
	run_approve,
};

const struct rbm_cmd rbm_cmd_review_return = {
	"review return",
	"ID --comment TEXT [--rev N]",
	"return a submitted submission to its office with a comment",
	"  --comment TEXT  what the office should change (required)\n"
	"  --rev N         the revision you reviewed: refused if it has changed since\n",
	run_return,
};
