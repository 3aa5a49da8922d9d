/*
 * cmd_submissions.c - rbm submissions list, rbm submission show: what
 * offices sent, each revision, and the difference between two.
 */
#include <getopt.h>

#include "cli.h"

#include <stdlib.h>
#include <string.h>

struct list_opts {
	const char *cycle, *status, *office, *region;
};

static int on_list_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct list_opts *l = ctx;
	(void)cli;
	switch (opt) {
	case 'c': l->cycle = arg; break;
	case 's': l->status = arg; break;
	case 'o': l->office = arg; break;
	case 'r': l->region = arg; break;
	}
	return -1;
}

static int run_list(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {
		{"cycle", required_argument, NULL, 'c'},  {"status", required_argument, NULL, 's'},
		{"office", required_argument, NULL, 'o'}, {"region", required_argument, NULL, 'r'},
		{NULL, 0, NULL, 0}};
	struct list_opts lo = {0};
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_submissions_list, argc, argv, &o, NULL, extra, on_list_opt, &lo);
	if (r >= 0)
		return r;
	struct rbm_submission_filter f = {0};
	if (lo.cycle && !rbm_cli_year(cli, "submissions list: --cycle", lo.cycle, &f.year))
		return RBM_EXIT_USAGE;
	if (lo.status) {
		if (!rbm_status_parse(lo.status, &f.status)) {
			rbm_cli_error(cli, "submissions list: --status: expected draft, submitted, returned or approved, got '%s'",
				      lo.status);
			return RBM_EXIT_USAGE;
		}
		f.has_status = true;
	}
	f.office = lo.office;
	f.region = lo.region;
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	int code = rbm_cli_open_plan(cli, &s, &p);
	if (code >= 0)
		return code;
	if (lo.region && rbm_plan_find_office(p, lo.region) == RBM_NONE) {
		rbm_cli_error(cli, "submissions list: --region: unknown office '%s'", lo.region);
		code = RBM_EXIT_USAGE;
		goto out;
	}
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_submission *v = NULL;
	size_t n = 0;
	enum rbm_rc rc = rbm_collect_submissions(s, p, &f, &v, &n, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
	} else {
		for (size_t i = 0; i < n; i++)
			fprintf(cli->out, "%-5lld %d  %-8s %-9s rev %d%s  %s%s%s\n", v[i].id, v[i].year,
				v[i].office, rbm_status_name(v[i].status), v[i].rev,
				v[i].approved_rev && v[i].approved_rev != v[i].rev ? " (approved rev earlier)" : "",
				v[i].updated_at, v[i].comment ? "  comment: " : "", v[i].comment ? v[i].comment : "");
		fprintf(cli->out, "%zu submission%s\n", n, n == 1 ? "" : "s");
		code = RBM_EXIT_OK;
	}
	rbm_collect_submissions_free(v, n);
	rbm_diag_free(&d);
out:
	rbm_plan_free(p);
	rbm_store_close(s);
	return code;
}

/* ---- show ---- */

struct show_opts {
	const char *rev, *diff;
};

static int on_show_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct show_opts *so = ctx;
	(void)cli;
	if (opt == 'r')
		so->rev = arg;
	else if (opt == 'd')
		so->diff = arg;
	return -1;
}

/* "1.1.a KEN female" for a value. */
static void value_key(const struct rbm_plan *p, const struct rbm_value *v, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s%s%s%s%s%s", p->indicators[v->indicator].code, v->country[0] ? " " : "",
		 v->country, v->city ? " " : "", v->city ? v->city : "",
		 v->disaggregation != RBM_NONE ? " " : "",
		 v->disaggregation != RBM_NONE
			 ? p->disaggregations[v->disaggregation].categories[v->category].code
			 : "");
}

static void print_value(FILE *out, const struct rbm_value *v)
{
	if (v->text)
		fprintf(out, "\"%s\"", v->text);
	else
		fprintf(out, "%.15g", v->value);
}

static void print_content(FILE *out, const struct rbm_plan *p, const struct rbm_content *c)
{
	for (size_t i = 0; i < c->values_len; i++) {
		char key[160];
		value_key(p, &c->values[i], key, sizeof key);
		fprintf(out, "  %-28s ", key);
		print_value(out, &c->values[i]);
		fputc('\n', out);
	}
	for (size_t i = 0; i < c->outcomes_len; i++) {
		const struct rbm_outcome_report *r = &c->outcomes[i];
		fprintf(out, "  outcome %s", p->results[r->result].code);
		if (r->narrative)
			fprintf(out, " (%s): %s", rbm_lang_tag(r->lang), r->narrative);
		fputc('\n', out);
		struct {
			const char *name;
			char **v;
			size_t n;
		} lists[] = {{"countries", r->countries, r->countries_len},
			     {"cities", r->cities, r->cities_len},
			     {"programmes", r->programmes, r->programmes_len},
			     {"themes", r->themes, r->themes_len}};
		for (size_t k = 0; k < 4; k++) {
			if (lists[k].n == 0)
				continue;
			fprintf(out, "    %s:", lists[k].name);
			for (size_t j = 0; j < lists[k].n; j++)
				fprintf(out, " %s", lists[k].v[j]);
			fputc('\n', out);
		}
	}
}

static const struct rbm_value *find_value(const struct rbm_plan *p, const struct rbm_content *c,
					  const char *key)
{
	for (size_t i = 0; i < c->values_len; i++) {
		char k[160];
		value_key(p, &c->values[i], k, sizeof k);
		if (strcmp(k, key) == 0)
			return &c->values[i];
	}
	return NULL;
}

static const struct rbm_outcome_report *find_outcome(const struct rbm_content *c, size_t result)
{
	for (size_t i = 0; i < c->outcomes_len; i++)
		if (c->outcomes[i].result == result)
			return &c->outcomes[i];
	return NULL;
}

/* Prints what changed from a to b: "- key old", "+ key new". */
static size_t print_diff(FILE *out, const struct rbm_plan *p, const struct rbm_content *a,
			 const struct rbm_content *b)
{
	size_t n = 0;
	char key[160];
	for (size_t i = 0; i < a->values_len; i++) {
		value_key(p, &a->values[i], key, sizeof key);
		const struct rbm_value *w = find_value(p, b, key);
		if (w && w->value == a->values[i].value &&
		    strcmp(w->text ? w->text : "", a->values[i].text ? a->values[i].text : "") == 0)
			continue;
		fprintf(out, "- %-28s ", key);
		print_value(out, &a->values[i]);
		fputc('\n', out);
		if (w) {
			fprintf(out, "+ %-28s ", key);
			print_value(out, w);
			fputc('\n', out);
		}
		n++;
	}
	for (size_t i = 0; i < b->values_len; i++) {
		value_key(p, &b->values[i], key, sizeof key);
		if (find_value(p, a, key))
			continue;
		fprintf(out, "+ %-28s ", key);
		print_value(out, &b->values[i]);
		fputc('\n', out);
		n++;
	}
	for (size_t r = 0; r < p->results_len; r++) {
		const struct rbm_outcome_report *x = find_outcome(a, r), *y = find_outcome(b, r);
		const char *nx = x && x->narrative ? x->narrative : "", *ny = y && y->narrative ? y->narrative : "";
		if (strcmp(nx, ny) != 0) {
			if (*nx)
				fprintf(out, "- outcome %s narrative: %s\n", p->results[r].code, nx);
			if (*ny)
				fprintf(out, "+ outcome %s narrative: %s\n", p->results[r].code, ny);
			n++;
		}
	}
	return n;
}

static int run_show(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"rev", required_argument, NULL, 'r'},
					      {"diff", required_argument, NULL, 'd'},
					      {NULL, 0, NULL, 0}};
	struct show_opts so = {0};
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_submission_show, argc, argv, &o, NULL, extra, on_show_opt, &so);
	if (r >= 0)
		return r;
	char *end;
	long long id = argc - o.first == 1 ? strtoll(argv[o.first], &end, 10) : 0;
	if (argc - o.first != 1 || *end || id <= 0) {
		rbm_cli_error(cli, "submission show: needs one submission ID (see 'rbm submissions list')");
		return RBM_EXIT_USAGE;
	}
	int rev = 0, ra = 0, rb = 0;
	if (so.rev && (rev = atoi(so.rev)) <= 0) {
		rbm_cli_error(cli, "submission show: --rev: expected a revision number, got '%s'", so.rev);
		return RBM_EXIT_USAGE;
	}
	if (so.diff && (sscanf(so.diff, "%d..%d", &ra, &rb) != 2 || ra <= 0 || rb <= 0)) {
		rbm_cli_error(cli, "submission show: --diff: expected A..B, two revision numbers, got '%s'",
			      so.diff);
		return RBM_EXIT_USAGE;
	}
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	int code = rbm_cli_open_plan(cli, &s, &p);
	if (code >= 0)
		return code;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_submission sub = {0};
	struct rbm_revision x = {0}, y = {0};
	struct rbm_content cx = {0}, cy = {0};
	enum rbm_rc rc = rbm_collect_submission_get(s, id, &sub, &d);
	if (rc == RBM_OK && so.diff) {
		rc = rbm_collect_revision_get(s, id, ra, &x, &d);
		if (rc == RBM_OK)
			rc = rbm_collect_revision_get(s, id, rb, &y, &d);
		if (rc == RBM_OK)
			rc = rbm_collect_content_parse(p, x.content_json, &cx, &d);
		if (rc == RBM_OK)
			rc = rbm_collect_content_parse(p, y.content_json, &cy, &d);
		if (rc == RBM_OK) {
			fprintf(cli->out, "submission %lld, %s %d: revision %d -> %d\n", id, sub.office,
				sub.year, ra, rb);
			size_t n = print_diff(cli->out, p, &cx, &cy);
			fprintf(cli->out, "%zu change%s\n", n, n == 1 ? "" : "s");
		}
	} else if (rc == RBM_OK) {
		rc = rbm_collect_revision_get(s, id, rev, &x, &d);
		if (rc == RBM_OK)
			rc = rbm_collect_content_parse(p, x.content_json, &cx, &d);
		if (rc == RBM_OK) {
			fprintf(cli->out, "submission %lld: office %s, cycle %d, %s, revision %d of %d",
				id, sub.office, sub.year, rbm_status_name(sub.status), x.rev, sub.rev);
			if (sub.approved_rev)
				fprintf(cli->out, ", approved revision %d", sub.approved_rev);
			fprintf(cli->out, "\nrevision %d: %s by %s (%s)%s%s%s%s%s\n", x.rev, x.created_at,
				x.created_by, x.channel, x.source ? " from " : "", x.source ? x.source : "",
				x.submitted_at ? ", submitted by the office " : "",
				x.submitted_at ? x.submitted_at : "", x.late ? ", accepted late" : "");
			if (sub.comment)
				fprintf(cli->out, "reviewer's comment: %s\n", sub.comment);
			print_content(cli->out, p, &cx);
		}
	}
	code = rc == RBM_OK ? RBM_EXIT_OK : rbm_cli_fail(cli, rc, &d);
	rbm_collect_content_free(&cx);
	rbm_collect_content_free(&cy);
	rbm_collect_revision_free(&x);
	rbm_collect_revision_free(&y);
	rbm_collect_submission_free(&sub);
	rbm_diag_free(&d);
	rbm_plan_free(p);
	rbm_store_close(s);
	return code;
}

const struct rbm_cmd rbm_cmd_submissions_list = {
	"submissions list",
	"[--cycle YEAR] [--status S] [--office CODE] [--region CODE]",
	"list submissions, by cycle, status, office or region",
	"  --status S     draft, submitted, returned or approved\n"
	"  --region CODE  a regional office: the submissions of the offices under it\n",
	run_list,
};

const struct rbm_cmd rbm_cmd_submission_show = {
	"submission show",
	"ID [--rev N] [--diff A..B]",
	"show a submission's answers, one revision, or what changed between two",
	"", run_show,
};
