/*
 * cmd_form.c - rbm form show: the survey an office answers, as text.
 */
#include <getopt.h>

#include "cli.h"

#include <stdlib.h>
#include <string.h>

struct form_opts {
	const char *cycle, *office, *output;
};

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct form_opts *f = ctx;
	(void)cli;
	if (opt == 'c')
		f->cycle = arg;
	else if (opt == 'o')
		f->office = arg;
	else if (opt == 'w')
		f->output = arg;
	return -1;
}

static const char *type_name(enum rbm_question_type t)
{
	switch (t) {
	case RBM_Q_BEGIN_GROUP: return "group";
	case RBM_Q_END_GROUP: return "end";
	case RBM_Q_INTEGER: return "integer";
	case RBM_Q_DECIMAL: return "decimal";
	case RBM_Q_TEXT: return "text";
	case RBM_Q_SELECT_ONE: return "select one";
	case RBM_Q_SELECT_MULTIPLE: return "select multiple";
	case RBM_Q_CALCULATE: return "calculate";
	case RBM_Q_NOTE: return "note";
	}
	return "?";
}


static int run(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"cycle", required_argument, NULL, 'c'},
					      {"office", required_argument, NULL, 'o'},
					      {NULL, 0, NULL, 0}};
	struct form_opts fo = {0};
	struct rbm_cli_opts o = {.want_lang = true};
	int r = rbm_cli_parse(cli, &rbm_cmd_form_show, argc, argv, &o, NULL, extra, on_opt, &fo);
	if (r >= 0)
		return r;
	int year;
	if (fo.cycle == NULL || fo.office == NULL) {
		rbm_cli_error(cli, "form show: needs --cycle YEAR and --office CODE");
		return RBM_EXIT_USAGE;
	}
	if (!rbm_cli_year(cli, "form show: --cycle", fo.cycle, &year))
		return RBM_EXIT_USAGE;
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	struct rbm_places *places = NULL;
	int code = rbm_cli_open_all(cli, &s, &p, &places);
	if (code >= 0)
		return code;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_form *f = NULL;
	enum rbm_rc rc = rbm_collect_form(p, places, year, fo.office, &f, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	enum rbm_lang L = o.lang;
	fprintf(cli->out, "%s\nform %s, version %s\n", rbm_text_get(&f->title, L), f->id, f->version);
	int depth = 0;
	size_t asked = 0;
	for (size_t i = 0; i < f->questions_len; i++) {
		const struct rbm_question *q = &f->questions[i];
		if (q->type == RBM_Q_END_GROUP) {
			depth--;
			continue;
		}
		if (q->type == RBM_Q_CALCULATE)
			continue;
		if (q->type == RBM_Q_BEGIN_GROUP) {
			fprintf(cli->out, "\n%*s%s\n", depth * 2, "", rbm_text_get(&q->label, L));
			depth++;
			continue;
		}
		asked++;
		fprintf(cli->out, "%*s%s  [%s%s%s%s]\n", depth * 2, "", rbm_text_get(&q->label, L),
			type_name(q->type), q->list ? " " : "", q->list ? q->list : "",
			q->required ? ", required" : "");
		fprintf(cli->out, "%*s  name %s", depth * 2, "", q->name);
		const char *hint = rbm_text_get(&q->hint, L);
		if (hint)
			fprintf(cli->out, "; %s", hint);
		if (q->constraint)
			fprintf(cli->out, "; constraint %s", q->constraint);
		if (q->relevant)
			fprintf(cli->out, "; when %s", q->relevant);
		fputc('\n', cli->out);
	}
	fprintf(cli->out, "\n%zu questions\n", asked);
	code = RBM_EXIT_OK;
out:
	rbm_collect_form_free(f);
	rbm_diag_free(&d);
	rbm_places_free(places);
	rbm_plan_free(p);
	rbm_store_close(s);
	return code;
}

static int run_export(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"cycle", required_argument, NULL, 'c'},
					      {"office", required_argument, NULL, 'o'},
					      {"output", required_argument, NULL, 'w'},
					      {NULL, 0, NULL, 0}};
	struct form_opts fo = {0};
	struct rbm_cli_opts o = {0};
	/* -o is the output, as in the 'rbm form export ... -o form.xlsx'. */
	optind = 1;
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "-o") == 0)
			argv[i] = "--output";
	int r = rbm_cli_parse(cli, &rbm_cmd_form_export, argc, argv, &o, NULL, extra, on_opt, &fo);
	if (r >= 0)
		return r;
	int year;
	if (fo.cycle == NULL || fo.office == NULL || fo.output == NULL) {
		rbm_cli_error(cli, "form export: needs --cycle YEAR, --office CODE and -o FILE");
		return RBM_EXIT_USAGE;
	}
	if (!rbm_cli_year(cli, "form export: --cycle", fo.cycle, &year))
		return RBM_EXIT_USAGE;
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	struct rbm_places *places = NULL;
	int code = rbm_cli_open_all(cli, &s, &p, &places);
	if (code >= 0)
		return code;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_form *f = NULL;
	enum rbm_rc rc = rbm_collect_form(p, places, year, fo.office, &f, &d);
	if (rc == RBM_OK)
		rc = rbm_collect_xlsform_write(f, fo.output, &d);
	if (rc == RBM_OK) {
		size_t n = 0;
		for (size_t i = 0; i < f->questions_len; i++)
			n += f->questions[i].type != RBM_Q_BEGIN_GROUP && f->questions[i].type != RBM_Q_END_GROUP &&
			     f->questions[i].type != RBM_Q_CALCULATE;
		fprintf(cli->out, "%s: XLSForm %s version %s, %zu questions, %zu choice lists, six languages\n",
			fo.output, f->id, f->version, n, f->lists_len);
		code = RBM_EXIT_OK;
	} else {
		code = rbm_cli_fail(cli, rc, &d);
	}
	rbm_collect_form_free(f);
	rbm_diag_free(&d);
	rbm_places_free(places);
	rbm_plan_free(p);
	rbm_store_close(s);
	return code;
}

static int run_import(struct rbm_cli *cli, int argc, char **argv)
{
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_form_import, argc, argv, &o, NULL, NULL, NULL, NULL);
	if (r >= 0)
		return r;
	if (argc - o.first != 1) {
		rbm_cli_error(cli, "form import: needs exactly one FILE (an XLSForm .xlsx)");
		return RBM_EXIT_USAGE;
	}
	const char *file = argv[o.first];
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_xlsform *x = NULL;
	struct rbm_store *s = NULL;
	bool changed = false;
	int code;
	enum rbm_rc rc = rbm_collect_xlsform_read(file, &x, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		rbm_cli_error(cli, "%s: %zu problem%s; the form was not imported", file, rbm_diag_count(&d),
			      rbm_diag_count(&d) == 1 ? "" : "s");
		goto out;
	}
	rc = rbm_store_open(cli->db, 0, &s, &d);
	struct rbm_actor who = rbm_cli_actor();
	if (rc == RBM_OK)
		rc = rbm_collect_xlsform_store(s, x, file, &who, &changed, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	size_t groups = 0, repeats = 0, questions = 0;
	for (size_t i = 0; i < x->questions_len; i++) {
		const char *t = x->questions[i].type ? x->questions[i].type : "";
		if (strncmp(t, "begin", 5) == 0)
			strstr(t, "repeat") ? repeats++ : groups++;
		else if (strncmp(t, "end", 3) != 0)
			questions++;
	}
	fprintf(cli->out, "%s: form %s version %s: %zu questions, %zu groups, %zu repeats, %zu choices, "
			  "%zu languages; %s\n",
		file, x->id ? x->id : "(no id)", x->version ? x->version : "(no version)", questions,
		groups, repeats, x->choices_len, x->langs_len, changed ? "stored" : "stored already, unchanged");
	code = RBM_EXIT_OK;
out:
	rbm_collect_xlsform_free(x);
	rbm_store_close(s);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_form_export = {
	"form export",
	"--cycle YEAR --office CODE -o FILE",
	"write the office's survey as an XLSForm for KoBoToolbox or ODK Collect",
	"Writes survey, choices and settings sheets with labels, hints and constraint\n"
	"messages in the six languages (label::English (en), ...), required, constraint,\n"
	"relevant and calculation columns, and form_id and version in settings\n"
	"(docs/xlsform.md). Upload it to KoBoToolbox or ODK Central; import the exported\n"
	"submissions with 'rbm import'.\n",
	run_export,
};

const struct rbm_cmd rbm_cmd_form_import = {
	"form import",
	"FILE",
	"read an organisation's own XLSForm, check it, and keep it",
	"Reads any XLSForm (label::English (en) or old label::english columns, groups and\n"
	"repeats, select_one/select_multiple with a choices sheet, constraints and relevance\n"
	"kept as text, extra sheets, empty rows, untidy headers), reports every problem with\n"
	"its sheet, row and column, and stores the form under its form_id and version.\n",
	run_import,
};

const struct rbm_cmd rbm_cmd_form_show = {
	"form show",
	"--cycle YEAR --office CODE [--lang L]",
	"show the survey an office answers in a cycle",
	"Prints the questions generated from the plan for the office: per domain and\n"
	"outcome, one question per indicator it reports on and per category of its\n"
	"disaggregations, with the unit's rule; then the outcome's narrative and its\n"
	"language, countries, cities, flagship programmes and themes.\n",
	run,
};
