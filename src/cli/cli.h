/*
 * cli.h - the rbm command line: the command table and what commands share.
 *
 * Each src/cli/cmd_<verb>.c exports one const struct rbm_cmd, listed in
 * cmd.c's table (as tmux lists its cmd-*.c). A command returns an exit code.
 */
#ifndef RBM_CLI_CLI_H
#define RBM_CLI_CLI_H

#include "../collect/collect.h"
#include "../core/diag.h"
#include "../core/rbm.h"
#include "../plan/plan.h"
#include "../store/store.h"

#include <getopt.h>
#include <stdio.h>

/* Exit codes, documented in 'rbm --help'. */
enum rbm_exit {
	RBM_EXIT_OK = 0,
	RBM_EXIT_FAILURE = 1, /* the work failed: database, files, conflicts */
	RBM_EXIT_USAGE = 2    /* bad input or usage: arguments, invalid files */
};

struct rbm_cli {
	const char *db; /* --db, $RBM_DB, or ./rbm.db: a SQLite file or a postgres:// URL */
	FILE *out;
	FILE *err;
};

struct rbm_cmd {
	const char *name;    /* "init", "plan show", ... */
	const char *usage;   /* arguments after the name */
	const char *summary; /* one line */
	const char *help;    /* the rest of 'rbm help NAME' */
	int (*run)(struct rbm_cli *cli, int argc, char **argv);
};

extern const struct rbm_cmd rbm_cmd_init, rbm_cmd_plan_show, rbm_cmd_plan_check,
	rbm_cmd_plan_missing, rbm_cmd_offices_list, rbm_cmd_places_list, rbm_cmd_version,
	rbm_cmd_help, rbm_cmd_cycle_open, rbm_cmd_cycle_close, rbm_cmd_cycle_reopen,
	rbm_cmd_cycle_list, rbm_cmd_cycle_status, rbm_cmd_form_show, rbm_cmd_form_export,
	rbm_cmd_form_import, rbm_cmd_import,
	rbm_cmd_submissions_list, rbm_cmd_submission_show, rbm_cmd_review_approve,
	rbm_cmd_review_return, rbm_cmd_audit, rbm_cmd_audit_verify, rbm_cmd_results,
	rbm_cmd_explain, rbm_cmd_values_import, rbm_cmd_editorial_import, rbm_cmd_report,
	rbm_cmd_i18n_status, rbm_cmd_i18n_export, rbm_cmd_i18n_import, rbm_cmd_serve;
extern const struct rbm_cmd rbm_cmd_report_publish, rbm_cmd_report_unpublish,
	rbm_cmd_report_publications;
extern const struct rbm_cmd rbm_cmd_user_add, rbm_cmd_user_passwd, rbm_cmd_user_list,
	rbm_cmd_token_create;
extern const struct rbm_cmd rbm_cmd_export_iati;
extern const struct rbm_cmd rbm_cmd_db_copy;
extern const struct rbm_cmd rbm_cmd_export_csv, rbm_cmd_export_json, rbm_cmd_export_xlsx,
	rbm_cmd_export_datapackage;

/* The table, NULL-terminated. */
extern const struct rbm_cmd *const rbm_cli_cmds[];

/* Finds the command named by argv[0] (and argv[1] for two-word names); sets *used. */
const struct rbm_cmd *rbm_cli_find(int argc, char **argv, int *used);
void rbm_cli_print_usage(FILE *f);
void rbm_cli_print_help(FILE *f, const struct rbm_cmd *c);

/* Prints "rbm: message" on cli->err. */
void rbm_cli_error(struct rbm_cli *cli, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints every problem in d as "rbm: ..." and returns the exit code for rc. */
int rbm_cli_fail(struct rbm_cli *cli, enum rbm_rc rc, const struct rbm_diag *d);
/* The exit code for rc. */
int rbm_cli_exit(enum rbm_rc rc);

/*
 * Parses the options common to commands: --db FILE, --lang L, --format F,
 * --help. Returns -1 to go on, or an exit code to stop with. Unknown
 * options are usage errors. *first is the index of the first operand.
 */
struct rbm_cli_opts {
	bool want_lang, want_format;
	const char *formats;  /* "text|json", for messages */
	enum rbm_lang lang;
	const char *format;
	int first;
};
int rbm_cli_parse(struct rbm_cli *cli, const struct rbm_cmd *c, int argc, char **argv,
		  struct rbm_cli_opts *o, const char *extra_short, const struct option *extra,
		  int (*on_extra)(struct rbm_cli *cli, int opt, const char *arg, void *ctx),
		  void *ctx);

/* Opens cli->db (must exist) and reads its plan; prints problems. */
int rbm_cli_open_plan(struct rbm_cli *cli, struct rbm_store **store, struct rbm_plan **plan);

/* Opens cli->db and reads its plan and places; prints problems. */
int rbm_cli_open_all(struct rbm_cli *cli, struct rbm_store **store, struct rbm_plan **plan,
		     struct rbm_places **places);

/*
 * Who acts from the command line: $RBM_USER, else $USER, through "cli",
 * from "local". Whoever can write the database file administers it, so
 * the command line acts as an administrator.
 */
struct rbm_actor rbm_cli_actor(void);

/* Parses a year argument (e.g. "2021"); prints a usage error and returns false if it is not one. */
bool rbm_cli_year(struct rbm_cli *cli, const char *cmd, const char *arg, int *out);

/* "4 domains, 12 outcomes, 36 indicators, ..." into buf. */
void rbm_cli_plan_summary(const struct rbm_plan *p, char *buf, size_t cap);

#endif
