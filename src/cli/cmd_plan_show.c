/*
 * cmd_plan_show.c - rbm plan show: the plan's outline in one language.
 *
 * Text output marks a translation made by the plan's authors with "*" and
 * an English fallback with "[en]", so a reader knows what is official.
 */
#include <getopt.h>

#include "cli.h"

#include "../core/fs.h"

#include <stdlib.h>
#include <string.h>

struct show {
	FILE *out;
	const struct rbm_plan *p;
	enum rbm_lang lang;
	bool any_unofficial, any_fallback;
};

/* Prints t in the chosen language with its mark. */
static void put_text(struct show *s, const struct rbm_text *t, const struct rbm_meta *m)
{
	const char *txt = rbm_text_get(t, s->lang);
	fputs(txt ? txt : "", s->out);
	if (s->lang == RBM_LANG_EN || txt == NULL)
		return;
	if (t->s[s->lang] == NULL) {
		fputs(" [en]", s->out);
		s->any_fallback = true;
	} else if (m && (m->unofficial & (1u << s->lang))) {
		fputs(" *", s->out);
		s->any_unofficial = true;
	}
}

static void print_number(FILE *out, double x)
{
	fprintf(out, "%.15g", x);
}

static void show_indicator(struct show *s, const struct rbm_indicator *ind, int indent)
{
	fprintf(s->out, "%*s%s  ", indent, "", ind->code);
	put_text(s, &ind->title, &ind->meta);
	fprintf(s->out, "\n%*s%s, %s", indent + 4, "", rbm_unit_name(ind->unit),
		rbm_aggregation_name(ind->aggregation));
	if (ind->count_of != RBM_COUNT_NONE)
		fprintf(s->out, " of %s", rbm_count_of_name(ind->count_of));
	if (ind->direction == RBM_DIR_DECREASE)
		fputs(", decrease", s->out);
	if (ind->has_baseline) {
		fputs("; baseline ", s->out);
		print_number(s->out, ind->baseline_value);
		fprintf(s->out, " (%d)", ind->baseline_year);
	}
	if (ind->targets_len) {
		fputs("; targets", s->out);
		for (size_t i = 0; i < ind->targets_len; i++) {
			fprintf(s->out, "%s %d: ", i ? "," : "", ind->targets[i].year);
			print_number(s->out, ind->targets[i].value);
		}
	}
	if (ind->illustrative)
		fputs("; illustrative", s->out);
	fputc('\n', s->out);
}

static void show_result(struct show *s, size_t index, int indent)
{
	const struct rbm_plan *p = s->p;
	const struct rbm_result *r = &p->results[index];
	fprintf(s->out, "%*s", indent, "");
	put_text(s, &p->levels[r->level].title, NULL);
	fprintf(s->out, " %s  ", r->code);
	put_text(s, &r->title, &r->meta);
	fputc('\n', s->out);
	for (size_t i = 0; i < p->indicators_len; i++)
		if (p->indicators[i].result == index)
			show_indicator(s, &p->indicators[i], indent + 4);
	for (size_t i = index + 1; i < p->results_len; i++)
		if (p->results[i].parent == index)
			show_result(s, i, indent + 2);
}

static void show_tags(struct show *s, const char *heading, const struct rbm_tag *v, size_t n)
{
	if (n == 0)
		return;
	fprintf(s->out, "\n%s\n", heading);
	for (size_t i = 0; i < n; i++) {
		fprintf(s->out, "  %-6s ", v[i].code);
		put_text(s, &v[i].title, &v[i].meta);
		if (v[i].meta.unverified)
			fputs(" (to be confirmed)", s->out);
		fputc('\n', s->out);
	}
}

static void show_text(struct show *s)
{
	const struct rbm_plan *p = s->p;
	fprintf(s->out, "%s  ", p->code);
	put_text(s, &p->title, &p->meta);
	fprintf(s->out, " (%d-%d)\n", p->first_year, p->last_year);
	if (!rbm_text_empty(&p->subtitle)) {
		fputs("  ", s->out);
		put_text(s, &p->subtitle, &p->meta);
		fputc('\n', s->out);
	}
	if (p->illustrative_indicators && !rbm_text_empty(&p->about_note)) {
		fputs("  Note: ", s->out);
		put_text(s, &p->about_note, &p->meta);
		fputc('\n', s->out);
	}
	fputc('\n', s->out);
	for (size_t i = 0; i < p->results_len; i++)
		if (p->results[i].parent == RBM_NONE)
			show_result(s, i, 0);
	show_tags(s, "Programmes", p->programmes, p->programmes_len);
	show_tags(s, "Themes", p->themes, p->themes_len);
	show_tags(s, "Drivers of change", p->drivers, p->drivers_len);
	show_tags(s, "Enablers", p->enablers, p->enablers_len);
	char summary[512];
	rbm_cli_plan_summary(p, summary, sizeof summary);
	fprintf(s->out, "\n%s\n", summary);
	if (s->any_unofficial)
		fprintf(s->out, "* translation by the plan's authors, not official\n");
	if (s->any_fallback)
		fprintf(s->out, "[en] not available in %s; shown in English\n", rbm_lang_tag(s->lang));
}

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	(void)cli;
	if (opt == 'f')
		*(const char **)ctx = arg;
	return -1;
}

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"file", required_argument, NULL, 'f'},
					      {NULL, 0, NULL, 0}};
	const char *file = NULL;
	struct rbm_cli_opts o = {.want_lang = true, .want_format = true, .formats = "text|json"};
	int r = rbm_cli_parse(cli, &rbm_cmd_plan_show, argc, argv, &o, NULL, extra, on_opt, &file);
	if (r >= 0)
		return r;
	if (o.first < argc) {
		rbm_cli_error(cli, "plan show: unexpected argument '%s'", argv[o.first]);
		return RBM_EXIT_USAGE;
	}
	struct rbm_store *store = NULL;
	struct rbm_plan *plan = NULL;
	if (file) {
		struct rbm_diag d;
		rbm_diag_init(&d);
		struct rbm_places *places = NULL;
		enum rbm_rc rc = rbm_places_load(rbm_fs_data_dir(), &places, &d);
		if (rc == RBM_OK)
			rc = rbm_plan_load(file, places, &plan, &d);
		rbm_places_free(places);
		int code = rc == RBM_OK ? -1 : rbm_cli_fail(cli, rc, &d);
		rbm_diag_free(&d);
		if (code >= 0)
			return code;
	} else {
		int code = rbm_cli_open_plan(cli, &store, &plan);
		if (code >= 0)
			return code;
	}
	if (strcmp(o.format, "json") == 0) {
		char *json = NULL;
		if (rbm_plan_to_json(plan, &json) == RBM_OK)
			fprintf(cli->out, "%s\n", json);
		free(json);
	} else {
		struct show s = {cli->out, plan, o.lang, false, false};
		show_text(&s);
	}
	rbm_plan_free(plan);
	rbm_store_close(store);
	return RBM_EXIT_OK;
}

const struct rbm_cmd rbm_cmd_plan_show = {
	"plan show",
	"[--lang L] [--format text|json] [--file FILE] [--db FILE]",
	"print the plan: its results, indicators, programmes and themes",
	"Prints the plan stored in the database (or, with --file, a plan definition file).\n"
	"\n"
	"  --lang L          ar, zh, en, fr, ru or es (default en); a text missing in L is\n"
	"                    shown in English and marked [en]; a translation by the plan's\n"
	"                    authors rather than an official one is marked *\n"
	"  --format F        text (an outline) or json (the canonical plan definition)\n",
	run,
};
