/*
 * cmd_audit.c - rbm audit, rbm audit verify: the append-only trail of changes.
 */
#include <getopt.h>

#include "cli.h"

#include <stdlib.h>

struct audit_opts {
	const char *since, *office;
};

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct audit_opts *a = ctx;
	(void)cli;
	if (opt == 's')
		a->since = arg;
	else if (opt == 'o')
		a->office = arg;
	return -1;
}

static int run_list(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"since", required_argument, NULL, 's'},
					      {"office", required_argument, NULL, 'o'},
					      {NULL, 0, NULL, 0}};
	struct audit_opts ao = {0};
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_audit, argc, argv, &o, NULL, extra, on_opt, &ao);
	if (r >= 0)
		return r;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_audit_row *v = NULL;
	size_t n = 0;
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &s, &d);
	if (rc == RBM_OK)
		rc = rbm_store_audit_list(s, ao.since, ao.office, &v, &n, &d);
	int code = RBM_EXIT_OK;
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
	} else {
		for (size_t i = 0; i < n; i++) {
			fprintf(cli->out, "%-5lld %s %-10s %-4s %-22s %s", v[i].id, v[i].at, v[i].actor,
				v[i].channel, v[i].action, v[i].object);
			if (v[i].office)
				fprintf(cli->out, " [%s]", v[i].office);
			if (v[i].detail)
				fprintf(cli->out, ": %s", v[i].detail);
			if (v[i].after)
				fprintf(cli->out, " (%.12s)", v[i].after);
			fputc('\n', cli->out);
		}
		fprintf(cli->out, "%zu entr%s\n", n, n == 1 ? "y" : "ies");
	}
	rbm_store_audit_rows_free(v, n);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

static int run_verify(struct rbm_cli *cli, int argc, char **argv)
{
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_audit_verify, argc, argv, &o, NULL, NULL, NULL, NULL);
	if (r >= 0)
		return r;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	size_t count = 0;
	long long bad = 0;
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &s, &d);
	if (rc == RBM_OK)
		rc = rbm_store_audit_verify(s, &count, &bad, &d);
	int code = RBM_EXIT_OK;
	if (rc == RBM_OK)
		fprintf(cli->out, "audit log intact: %zu entries, every hash matches\n", count);
	else
		code = rbm_cli_fail(cli, rc, &d);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_audit = {
	"audit",
	"[--since DATE] [--office CODE]",
	"list the audit trail: who changed what, when, from where",
	"Every change (plan loads, cycle openings and closings, imports, submissions,\n"
	"approvals, returns) appends one entry with the actor, the channel (cli, web, api),\n"
	"the action, the object, and hashes of the state before and after. The log is\n"
	"append-only: the database refuses updates and deletions of it.\n",
	run_list,
};

const struct rbm_cmd rbm_cmd_audit_verify = {
	"audit verify",
	"",
	"check the audit log's hash chain; exit 1 naming the first altered entry",
	"", run_verify,
};
