/*
 * cmd_db.c - rbm db copy: a whole database from one back-end to another.
 *
 * Copies with rbm_store_copy (every table, ids kept, one transaction on the
 * target), then checks the copy against its source: the rows of every table,
 * every figure the measure engine computes (each indicator, year and
 * quarter, with the rows behind it), and the audit log's hash chain.
 */
#include <getopt.h>

#include "cli.h"

#include "../measure/measure.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct copy_opts {
	const char *from, *to;
	bool replace;
};

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct copy_opts *c = ctx;
	(void)cli;
	switch (opt) {
	case 'f': c->from = arg; break;
	case 't': c->to = arg; break;
	case 'r': c->replace = true; break;
	}
	return -1;
}

/* Every figure the engine computes (no grouping, every year), from one store. */
static enum rbm_rc measure_all(struct rbm_store *s, struct rbm_measure_table *t, bool *has_plan,
			       struct rbm_diag *d)
{
	struct rbm_plan *p = NULL;
	struct rbm_places *places = NULL;
	struct rbm_measure *m = NULL;
	long long plans = 0;
	enum rbm_rc rc = rbm_store_count(s, "plans", &plans, d);
	*has_plan = plans > 0;
	if (rc != RBM_OK || !*has_plan)
		return rc;
	rc = rbm_store_get_plan(s, NULL, &p, d);
	if (rc == RBM_OK)
		rc = rbm_store_get_places(s, &places, d);
	if (rc == RBM_OK)
		rc = rbm_measure_load(s, p, places, &m, d);
	if (rc == RBM_OK) {
		struct rbm_measure_query q;
		rbm_measure_query_init(&q);
		q.by = 1u << RBM_DIM_QUARTER;
		rc = rbm_measure_run(m, &q, t, d);
	}
	rbm_measure_free(m);
	rbm_places_free(places);
	rbm_plan_free(p);
	return rc;
}

static bool same_value(double a, double b)
{
	return a == b || fabs(a - b) <= 1e-9 * fmax(fabs(a), fabs(b));
}

/* Prints the comparison of source and copy; false when they differ. */
static bool check(struct rbm_cli *cli, struct rbm_store *from, struct rbm_store *to,
		  struct rbm_diag *d)
{
	bool same = true;
	long long total = 0;
	fprintf(cli->out, "  %-28s %12s %12s\n", "table", rbm_store_backend(from),
		rbm_store_backend(to));
	for (size_t i = 0; rbm_store_table(i); i++) {
		const char *t = rbm_store_table(i);
		long long a = -1, b = -1;
		if (rbm_store_count(from, t, &a, d) != RBM_OK || rbm_store_count(to, t, &b, d) != RBM_OK)
			return false;
		fprintf(cli->out, "  %-28s %12lld %12lld%s\n", t, a, b, a == b ? "" : "  DIFFERENT");
		same &= a == b;
		total += b;
	}
	fprintf(cli->out, "  %-28s %12s %12lld\n", "rows", "", total);
	struct rbm_measure_table ta = {0}, tb = {0};
	bool plan_a = false, plan_b = false;
	if (measure_all(from, &ta, &plan_a, d) != RBM_OK || measure_all(to, &tb, &plan_b, d) != RBM_OK) {
		rbm_measure_table_free(&ta);
		rbm_measure_table_free(&tb);
		return false;
	}
	if (plan_a != plan_b || ta.len != tb.len) {
		fprintf(cli->out, "measured figures: %zu in the source, %zu in the copy: DIFFERENT\n",
			ta.len, tb.len);
		same = false;
	} else if (plan_a) {
		size_t differ = 0;
		double sum = 0;
		for (size_t i = 0; i < ta.len; i++) {
			const struct rbm_measure_row *x = &ta.rows[i], *y = &tb.rows[i];
			bool eq = x->indicator == y->indicator && x->year == y->year &&
				  x->key[RBM_DIM_QUARTER] == y->key[RBM_DIM_QUARTER] &&
				  x->rows == y->rows && x->places == y->places &&
				  same_value(x->value, y->value);
			differ += !eq;
			sum += x->value;
		}
		fprintf(cli->out, "measured figures (indicator, year, quarter): %zu in each, %s (sum %.6g)\n",
			ta.len, differ ? "DIFFERENT" : "all equal", sum);
		same &= differ == 0;
	} else {
		fputs("measured figures: none (no plan)\n", cli->out);
	}
	rbm_measure_table_free(&ta);
	rbm_measure_table_free(&tb);
	size_t n = 0;
	long long bad = 0;
	enum rbm_rc rc = rbm_store_audit_verify(to, &n, &bad, d);
	if (rc == RBM_OK)
		fprintf(cli->out, "audit log: %zu rows, the hash chain holds in the copy\n", n);
	else
		same = false;
	return same;
}

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"from", required_argument, NULL, 'f'},
					      {"to", required_argument, NULL, 't'},
					      {"replace", no_argument, NULL, 'r'},
					      {NULL, 0, NULL, 0}};
	struct copy_opts co = {0};
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_db_copy, argc, argv, &o, NULL, extra, on_opt, &co);
	if (r >= 0)
		return r;
	if (o.first < argc) {
		rbm_cli_error(cli, "db copy: takes no arguments, got '%s'", argv[o.first]);
		return RBM_EXIT_USAGE;
	}
	if (co.from == NULL || co.to == NULL) {
		rbm_cli_error(cli, "db copy: needs --from DATABASE and --to DATABASE");
		fprintf(cli->err, "usage: rbm %s %s\n", rbm_cmd_db_copy.name, rbm_cmd_db_copy.usage);
		return RBM_EXIT_USAGE;
	}
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *from = NULL, *to = NULL;
	int code = RBM_EXIT_FAILURE;
	enum rbm_rc rc = rbm_store_open(co.from, 0, &from, &d);
	if (rc == RBM_OK)
		rc = rbm_store_open(co.to, RBM_STORE_CREATE, &to, &d);
	if (rc == RBM_OK)
		rc = rbm_store_copy(from, to, co.replace, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	fprintf(cli->out, "copied %s (%s) to %s (%s); checking the copy:\n", co.from,
		rbm_store_backend(from), co.to, rbm_store_backend(to));
	if (!check(cli, from, to, &d)) {
		rbm_diag_print(&d, cli->err, "rbm: ");
		rbm_cli_error(cli, "db copy: the copy differs from its source (see above)");
		goto out;
	}
	fputs("the copy matches its source\n", cli->out);
	code = RBM_EXIT_OK;
out:
	rbm_store_close(to);
	rbm_store_close(from);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_db_copy = {
	"db copy",
	"--from DATABASE --to DATABASE [--replace]",
	"copy a whole database between SQLite and PostgreSQL, and check the copy",
	"A DATABASE is a SQLite file or a postgres:// URL (docs/storage.md). Every\n"
	"table is copied with its ids, so the audit log's hash chain and every\n"
	"reference stay as they were; the source is read from one snapshot and the\n"
	"target written in one transaction, so a failed copy stores nothing. Then\n"
	"the copy is checked against its source: the rows of every table, every\n"
	"figure 'rbm results' computes from them (each indicator, year and\n"
	"quarter), and the audit log's chain; the comparison is printed.\n"
	"\n"
	"Options:\n"
	"  --from DATABASE   the database to copy (it must exist)\n"
	"  --to DATABASE     where to copy it: a new SQLite file, or a PostgreSQL\n"
	"                    database (which must exist; rbm makes the tables)\n"
	"  --replace         replace what the target holds; without it a target\n"
	"                    holding any data is refused\n"
	"\n"
	"Examples:\n"
	"  rbm db copy --from rbm.db --to postgresql://rbm@db.example.org/rbm\n"
	"  rbm db copy --from postgresql://rbm@db.example.org/rbm --to backup.db\n",
	run,
};
