/*
 * cmd.c - the command table, lookup, help and shared option handling.
 */
#include <getopt.h>

#include "cli.h"

#include "../collect/collect.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const struct rbm_cmd *const rbm_cli_cmds[] = {
	&rbm_cmd_init,
	&rbm_cmd_plan_show,
	&rbm_cmd_plan_check,
	&rbm_cmd_plan_missing,
	&rbm_cmd_offices_list,
	&rbm_cmd_places_list,
	&rbm_cmd_cycle_open,
	&rbm_cmd_cycle_close,
	&rbm_cmd_cycle_reopen,
	&rbm_cmd_cycle_list,
	&rbm_cmd_cycle_status,
	&rbm_cmd_form_show,
	&rbm_cmd_form_export,
	&rbm_cmd_form_import,
	&rbm_cmd_import,
	&rbm_cmd_submissions_list,
	&rbm_cmd_submission_show,
	&rbm_cmd_review_approve,
	&rbm_cmd_review_return,
	&rbm_cmd_audit,
	&rbm_cmd_audit_verify,
	&rbm_cmd_results,
	&rbm_cmd_explain,
	&rbm_cmd_values_import,
	&rbm_cmd_editorial_import,
	&rbm_cmd_report,
	&rbm_cmd_report_publish,
	&rbm_cmd_report_unpublish,
	&rbm_cmd_report_publications,
	&rbm_cmd_export_csv,
	&rbm_cmd_export_json,
	&rbm_cmd_export_xlsx,
	&rbm_cmd_export_datapackage,
	&rbm_cmd_export_iati,
	&rbm_cmd_i18n_status,
	&rbm_cmd_i18n_export,
	&rbm_cmd_i18n_import,
	&rbm_cmd_serve,
	&rbm_cmd_db_copy,
	&rbm_cmd_user_add,
	&rbm_cmd_user_passwd,
	&rbm_cmd_user_list,
	&rbm_cmd_token_create,
	&rbm_cmd_version,
	&rbm_cmd_help,
	NULL,
};

const struct rbm_cmd *rbm_cli_find(int argc, char **argv, int *used)
{
	/* Two-word names first: "audit verify" before "audit". */
	for (int words = 2; words >= 1; words--) {
		for (const struct rbm_cmd *const *c = rbm_cli_cmds; *c; c++) {
			const char *name = (*c)->name;
			const char *space = strchr(name, ' ');
			if (words == 1 && space == NULL && argc >= 1 && strcmp(argv[0], name) == 0) {
				*used = 1;
				return *c;
			}
			if (words == 2 && space && argc >= 2 &&
			    strlen(argv[0]) == (size_t)(space - name) &&
			    strncmp(argv[0], name, (size_t)(space - name)) == 0 &&
			    strcmp(argv[1], space + 1) == 0) {
				*used = 2;
				return *c;
			}
		}
	}
	return NULL;
}

void rbm_cli_print_usage(FILE *f)
{
	fputs("usage: rbm [--db DATABASE] COMMAND [ARGS]\n"
	      "\n"
	      "rbm monitors and reports the results of a strategic plan.\n"
	      "\n"
	      "Commands:\n",
	      f);
	for (const struct rbm_cmd *const *c = rbm_cli_cmds; *c; c++)
		fprintf(f, "  %-28s %s\n", (*c)->name, (*c)->summary);
	fputs("\n"
	      "Options:\n"
	      "  --db DATABASE  the database: a SQLite file, or a PostgreSQL server's\n"
	      "                 postgres://USER@HOST:PORT/NAME (default: $RBM_DB, else ./rbm.db)\n"
	      "  -h, --help     this help; 'rbm help COMMAND' for one command\n"
	      "  --version      the version\n"
	      "\n"
	      "Environment:\n"
	      "  RBM_DB         the database, when --db is not given\n"
	      "  RBM_DATA_DIR   rbm's bundled data (default: ../data beside the program)\n"
	      "\n"
	      "Exit status:\n"
	      "  0  success\n"
	      "  1  failure (database, files, conflicts)\n"
	      "  2  bad input or usage (arguments, invalid files)\n",
	      f);
}

void rbm_cli_print_help(FILE *f, const struct rbm_cmd *c)
{
	fprintf(f, "usage: rbm %s%s%s\n\n%s\n", c->name, *c->usage ? " " : "", c->usage, c->summary);
	if (c->help && *c->help)
		fprintf(f, "\n%s", c->help);
}

void rbm_cli_error(struct rbm_cli *cli, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("rbm: ", cli->err);
	vfprintf(cli->err, fmt, ap);
	fputc('\n', cli->err);
	va_end(ap);
}

int rbm_cli_exit(enum rbm_rc rc)
{
	switch (rc) {
	case RBM_OK: return RBM_EXIT_OK;
	case RBM_EINVAL:
	case RBM_ETOOBIG: return RBM_EXIT_USAGE;
	default: return RBM_EXIT_FAILURE;
	}
}

int rbm_cli_fail(struct rbm_cli *cli, enum rbm_rc rc, const struct rbm_diag *d)
{
	if (rbm_diag_count(d) == 0)
		rbm_cli_error(cli, "%s", rbm_rc_str(rc));
	rbm_diag_print(d, cli->err, "rbm: ");
	return rbm_cli_exit(rc);
}

int rbm_cli_parse(struct rbm_cli *cli, const struct rbm_cmd *c, int argc, char **argv,
		  struct rbm_cli_opts *o, const char *extra_short, const struct option *extra,
		  int (*on_extra)(struct rbm_cli *cli, int opt, const char *arg, void *ctx),
		  void *ctx)
{
	enum { OPT_DB = 1000, OPT_LANG, OPT_FORMAT };
	struct option opts[32];
	size_t n = 0;
	opts[n++] = (struct option){"help", no_argument, NULL, 'h'};
	opts[n++] = (struct option){"db", required_argument, NULL, OPT_DB};
	if (o->want_lang)
		opts[n++] = (struct option){"lang", required_argument, NULL, OPT_LANG};
	if (o->want_format)
		opts[n++] = (struct option){"format", required_argument, NULL, OPT_FORMAT};
	for (const struct option *e = extra; e && e->name && n < 31; e++)
		opts[n++] = *e;
	opts[n] = (struct option){NULL, 0, NULL, 0};
	char shorts[32] = "h";
	if (extra_short)
		strncat(shorts, extra_short, sizeof shorts - strlen(shorts) - 1);

	o->lang = RBM_LANG_EN;
	if (o->format == NULL)
		o->format = "text";
	optind = 1;
	opterr = 0;
	int opt;
	while ((opt = getopt_long(argc, argv, shorts, opts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			rbm_cli_print_help(cli->out, c);
			return RBM_EXIT_OK;
		case OPT_DB:
			cli->db = optarg;
			break;
		case OPT_LANG:
			if (!rbm_lang_parse(optarg, &o->lang)) {
				rbm_cli_error(cli, "--lang: unknown language '%s' (expected ar, zh, en, fr, ru or es)",
					      optarg);
				return RBM_EXIT_USAGE;
			}
			break;
		case OPT_FORMAT: {
			/* Accept exactly one of the '|'-separated names in o->formats. */
			const char *f = o->formats;
			size_t len = strlen(optarg);
			bool ok = false;
			while (f && *f && !ok) {
				const char *bar = strchr(f, '|');
				size_t flen = bar ? (size_t)(bar - f) : strlen(f);
				ok = flen == len && strncmp(f, optarg, len) == 0;
				f = bar ? bar + 1 : NULL;
			}
			if (!ok) {
				rbm_cli_error(cli, "--format: unknown format '%s' (expected %s)", optarg,
					      o->formats);
				return RBM_EXIT_USAGE;
			}
			o->format = optarg;
			break;
		}
		case '?':
			if (optopt)
				rbm_cli_error(cli, "%s: unknown option or missing argument '-%c'", c->name,
					      optopt);
			else
				rbm_cli_error(cli, "%s: unknown option '%s'", c->name, argv[optind - 1]);
			fprintf(cli->err, "usage: rbm %s %s\n", c->name, c->usage);
			return RBM_EXIT_USAGE;
		case ':':
			rbm_cli_error(cli, "%s: option '%s' needs an argument", c->name, argv[optind - 1]);
			return RBM_EXIT_USAGE;
		default:
			if (on_extra) {
				int r = on_extra(cli, opt, optarg, ctx);
				if (r >= 0)
					return r;
			}
			break;
		}
	}
	o->first = optind;
	return -1;
}

int rbm_cli_open_plan(struct rbm_cli *cli, struct rbm_store **store, struct rbm_plan **plan)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_store_open(cli->db, 0, store, &d);
	if (rc == RBM_OK) {
		rc = rbm_store_get_plan(*store, NULL, plan, &d);
		if (rc != RBM_OK) {
			rbm_store_close(*store);
			*store = NULL;
		}
	}
	int code = rc == RBM_OK ? -1 : rbm_cli_fail(cli, rc, &d);
	rbm_diag_free(&d);
	return code;
}

void rbm_cli_plan_summary(const struct rbm_plan *p, char *buf, size_t cap)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t l = 0; l < p->levels_len; l++) {
		size_t n = 0;
		for (size_t i = 0; i < p->results_len; i++)
			n += p->results[i].level == l;
		if (n == 0)
			continue;
		int w = snprintf(buf + used, cap - used, "%s%zu %s", used ? ", " : "", n,
				 p->levels[l].key);
		if (w < 0 || (size_t)w >= cap - used)
			return;
		used += (size_t)w;
	}
	snprintf(buf + used, cap - used,
		 "%s%zu indicators, %zu programmes, %zu themes, %zu drivers, %zu enablers, "
		 "%zu offices, %zu cities",
		 used ? ", " : "", p->indicators_len, p->programmes_len, p->themes_len,
		 p->drivers_len, p->enablers_len, p->offices_len, p->cities_len);
}

int rbm_cli_open_all(struct rbm_cli *cli, struct rbm_store **store, struct rbm_plan **plan,
		     struct rbm_places **places)
{
	int code = rbm_cli_open_plan(cli, store, plan);
	if (code >= 0)
		return code;
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_store_get_places(*store, places, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		rbm_plan_free(*plan);
		rbm_store_close(*store);
		*plan = NULL;
		*store = NULL;
	}
	rbm_diag_free(&d);
	return code;
}

struct rbm_actor rbm_cli_actor(void)
{
	const char *user = getenv("RBM_USER");
	if (user == NULL || *user == '\0')
		user = getenv("USER");
	if (user == NULL || *user == '\0')
		user = "cli";
	return (struct rbm_actor){user, "cli", "local", true};
}

bool rbm_cli_year(struct rbm_cli *cli, const char *cmd, const char *arg, int *out)
{
	char *end;
	long y = arg ? strtol(arg, &end, 10) : 0;
	if (arg == NULL || *arg == '\0' || *end != '\0' || y < 1900 || y > 2200) {
		rbm_cli_error(cli, "%s: expected a year such as 2021, got '%s'", cmd, arg ? arg : "");
		return false;
	}
	*out = (int)y;
	return true;
}
