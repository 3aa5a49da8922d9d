/*
 * cmd_cycle.c - rbm cycle open|close|reopen|list|status: reporting cycles.
 */
#include <getopt.h>

#include "cli.h"

#include "../core/alloc.h"

#include <stdlib.h>
#include <string.h>

struct open_opts {
	const char *from, *to, *offices;
	bool any_place;
};

static int on_open_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct open_opts *o = ctx;
	(void)cli;
	if (opt == 'f')
		o->from = arg;
	else if (opt == 't')
		o->to = arg;
	else if (opt == 'o')
		o->offices = arg;
	else if (opt == 'a')
		o->any_place = true;
	return -1;
}

/* Runs fn after the common steps: options, one YEAR operand, the store. */
static int with_year(struct rbm_cli *cli, const struct rbm_cmd *c, int argc, char **argv,
		     const struct option *extra, int (*on_extra)(struct rbm_cli *, int, const char *, void *),
		     void *ctx, int *year)
{
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, c, argc, argv, &o, NULL, extra, on_extra, ctx);
	if (r >= 0)
		return r;
	if (argc - o.first != 1) {
		rbm_cli_error(cli, "%s: needs exactly one YEAR", c->name);
		fprintf(cli->err, "usage: rbm %s %s\n", c->name, c->usage);
		return RBM_EXIT_USAGE;
	}
	return rbm_cli_year(cli, c->name, argv[o.first], year) ? -1 : RBM_EXIT_USAGE;
}

static int run_open(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {
		{"from", required_argument, NULL, 'f'},   {"to", required_argument, NULL, 't'},
		{"offices", required_argument, NULL, 'o'}, {"any-place", no_argument, NULL, 'a'},
		{NULL, 0, NULL, 0}};
	struct open_opts oo = {0};
	int year;
	int r = with_year(cli, &rbm_cmd_cycle_open, argc, argv, extra, on_open_opt, &oo, &year);
	if (r >= 0)
		return r;
	if (oo.from == NULL || oo.to == NULL) {
		rbm_cli_error(cli, "cycle open: needs --from DATE and --to DATE (YYYY-MM-DD)");
		return RBM_EXIT_USAGE;
	}
	/* --offices all | KEN,UGA,ROAF */
	char **list = NULL;
	size_t n = 0;
	char *copy = NULL;
	if (oo.offices && strcmp(oo.offices, "all") != 0) {
		copy = rbm_xstrdup(oo.offices);
		list = rbm_xcalloc(strlen(copy) + 1, sizeof *list);
		for (char *tok = strtok(copy, ", "); tok; tok = strtok(NULL, ", "))
			list[n++] = tok;
	}
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	int code = rbm_cli_open_plan(cli, &s, &p);
	if (code < 0) {
		struct rbm_diag d;
		rbm_diag_init(&d);
		struct rbm_actor who = rbm_cli_actor();
		enum rbm_rc rc = rbm_collect_cycle_open(s, p, year, oo.from, oo.to, (const char *const *)list,
							n, oo.any_place, &who, &d);
		if (rc == RBM_OK) {
			fprintf(cli->out, "cycle %d open: submissions accepted from %s to %s, ", year, oo.from, oo.to);
			if (n)
				fprintf(cli->out, "%zu office%s\n", n, n == 1 ? "" : "s");
			else
				fprintf(cli->out, "all offices\n");
			code = RBM_EXIT_OK;
		} else {
			code = rbm_cli_fail(cli, rc, &d);
		}
		rbm_diag_free(&d);
	}
	rbm_plan_free(p);
	rbm_store_close(s);
	free(list);
	free(copy);
	return code;
}

static int on_to_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	(void)cli;
	if (opt == 't')
		*(const char **)ctx = arg;
	return -1;
}

static int close_or_reopen(struct rbm_cli *cli, const struct rbm_cmd *c, int argc, char **argv,
			   bool close)
{
	static const struct option extra[] = {{"to", required_argument, NULL, 't'}, {NULL, 0, NULL, 0}};
	const char *to = NULL;
	int year;
	int r = with_year(cli, c, argc, argv, close ? NULL : extra, close ? NULL : on_to_opt, &to, &year);
	if (r >= 0)
		return r;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_actor who = rbm_cli_actor();
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &s, &d);
	if (rc == RBM_OK)
		rc = close ? rbm_collect_cycle_close(s, year, &who, &d)
			   : rbm_collect_cycle_reopen(s, year, to, &who, &d);
	int code = RBM_EXIT_OK;
	if (rc == RBM_OK)
		fprintf(cli->out, "cycle %d %s\n", year, close ? "closed" : "reopened");
	else
		code = rbm_cli_fail(cli, rc, &d);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

static int run_close(struct rbm_cli *cli, int argc, char **argv)
{
	return close_or_reopen(cli, &rbm_cmd_cycle_close, argc, argv, true);
}

static int run_reopen(struct rbm_cli *cli, int argc, char **argv)
{
	return close_or_reopen(cli, &rbm_cmd_cycle_reopen, argc, argv, false);
}

static int run_list(struct rbm_cli *cli, int argc, char **argv)
{
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_cycle_list, argc, argv, &o, NULL, NULL, NULL, NULL);
	if (r >= 0)
		return r;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_cycle *v = NULL;
	size_t n = 0;
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &s, &d);
	if (rc == RBM_OK)
		rc = rbm_collect_cycle_list(s, &v, &n, &d);
	int code = RBM_EXIT_OK;
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
	} else {
		for (size_t i = 0; i < n; i++) {
			fprintf(cli->out, "%d  %-6s  %s to %s  ", v[i].year, v[i].closed ? "closed" : "open",
				v[i].opens, v[i].closes);
			if (v[i].offices_len == 0)
				fputs("all offices", cli->out);
			for (size_t k = 0; k < v[i].offices_len; k++)
				fprintf(cli->out, "%s%s", k ? "," : "", v[i].offices[k]);
			fputc('\n', cli->out);
		}
		fprintf(cli->out, "%zu cycle%s\n", n, n == 1 ? "" : "s");
	}
	rbm_collect_cycles_free(v, n);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

static int run_status(struct rbm_cli *cli, int argc, char **argv)
{
	int year;
	int r = with_year(cli, &rbm_cmd_cycle_status, argc, argv, NULL, NULL, NULL, &year);
	if (r >= 0)
		return r;
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	int code = rbm_cli_open_plan(cli, &s, &p);
	if (code >= 0)
		return code;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_progress_row *v = NULL;
	size_t n = 0;
	enum rbm_rc rc = rbm_collect_progress(s, p, year, &v, &n, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	/* Regions in plan order, then their offices. */
	for (size_t oi = 0; oi <= p->offices_len; oi++) {
		const char *region = oi < p->offices_len ? p->offices[oi].code : "HQ";
		if (oi < p->offices_len && p->offices[oi].kind != RBM_OFFICE_REGIONAL)
			continue;
		size_t counts[RBM_PROGRESS_STATES], resp;
		size_t m = rbm_collect_progress_count(v, n, region, counts, &resp);
		if (m == 0)
			continue;
		fprintf(cli->out, "%s: %zu offices, %zu responded (%.0f %%), %zu approved\n", region, m,
			resp, 100.0 * (double)resp / (double)m, counts[4]);
		for (size_t i = 0; i < n; i++)
			if (strcmp(v[i].region, region) == 0)
				fprintf(cli->out, "  %-10s %s\n", v[i].office,
					rbm_collect_progress_state_name(rbm_collect_progress_state(&v[i])));
	}
	size_t total[RBM_PROGRESS_STATES], responded;
	rbm_collect_progress_count(v, n, NULL, total, &responded);
	fprintf(cli->out, "all: %zu offices; not started %zu, draft %zu, submitted %zu, returned %zu, "
			  "approved %zu; response rate %.0f %%\n",
		n, total[0], total[1], total[2], total[3], total[4],
		n ? 100.0 * (double)responded / (double)n : 0.0);
	code = RBM_EXIT_OK;
out:
	rbm_collect_progress_free(v, n);
	rbm_diag_free(&d);
	rbm_plan_free(p);
	rbm_store_close(s);
	return code;
}

const struct rbm_cmd rbm_cmd_cycle_open = {
	"cycle open",
	"YEAR --from DATE --to DATE [--offices all|LIST] [--any-place]",
	"open the reporting cycle for YEAR",
	"Opens the cycle in which offices report the results of YEAR. Submissions dated\n"
	"outside --from..--to (YYYY-MM-DD) are refused unless an administrator accepts\n"
	"them with --late.\n"
	"\n"
	"  --offices LIST  the offices taking part, e.g. KEN,UGA,ROAF (default: all but\n"
	"                  headquarters itself and liaison offices)\n"
	"  --any-place     accept values for places outside an office's own countries\n",
	run_open,
};

const struct rbm_cmd rbm_cmd_cycle_close = {
	"cycle close", "YEAR", "close the reporting cycle for YEAR: refuse further submissions",
	"", run_close,
};

const struct rbm_cmd rbm_cmd_cycle_reopen = {
	"cycle reopen", "YEAR [--to DATE]", "reopen a closed cycle, optionally until a new date",
	"", run_reopen,
};

const struct rbm_cmd rbm_cmd_cycle_list = {
	"cycle list", "", "list the reporting cycles", "", run_list,
};

const struct rbm_cmd rbm_cmd_cycle_status = {
	"cycle status",
	"YEAR",
	"collection progress by region and office, with the response rate",
	"Shows each participating office under the regional office it reports through\n"
	"(HQ for the rest): not started, draft, submitted, returned or approved; per region\n"
	"and overall, the response rate (submitted, returned or approved) and approvals.\n",
	run_status,
};
