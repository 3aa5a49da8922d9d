/*
 * cmd_user.c - rbm user add|passwd|list and rbm token create: the people
 * and programs who may use the web application and its API.
 *
 * Passwords never come from the command line, where any user of the
 * machine could read them: they come from $RBM_PASSWORD, else a line of
 * standard input when it is not a terminal, else the terminal, asked twice
 * with echo off.
 */
#include <getopt.h>

#include "cli.h"

#include "../auth/auth.h"

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define ROLES "administrator, editor, reviewer, reporter or viewer"

/* Room for one byte more than a password may have, and the NUL. */
#define PW_CAP (RBM_AUTH_PASSWORD_MAX + 2)

/* Reads one line of f into buf (without its end of line); false when it is longer than buf. */
static bool read_line(FILE *f, char *buf, size_t cap, bool *got)
{
	size_t n = 0;
	int c;
	bool fits = true;
	*got = false;
	while ((c = getc(f)) != EOF && c != '\n') {
		*got = true;
		if (n + 1 < cap)
			buf[n++] = (char)c;
		else
			fits = false;
	}
	if (c == '\n')
		*got = true;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	buf[n] = '\0';
	return fits;
}

/* Asks for a line on the terminal with echo off. */
static bool ask(struct rbm_cli *cli, const char *prompt, char *buf, size_t cap, bool *got)
{
	struct termios old, quiet;
	int fd = fileno(stdin);
	bool restore = tcgetattr(fd, &old) == 0;
	fputs(prompt, cli->err);
	fflush(cli->err);
	if (restore) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	bool fits = read_line(stdin, buf, cap, got);
	if (restore)
		tcsetattr(fd, TCSAFLUSH, &old);
	fputc('\n', cli->err);
	return fits;
}

/*
 * The new password into buf (PW_CAP bytes). Returns -1 to go on, or an exit
 * code (after printing why).
 */
static int read_password(struct rbm_cli *cli, const char *cmd, char *buf)
{
	const char *env = getenv("RBM_PASSWORD");
	bool got = true, fits = true;
	if (env) {
		fits = strlen(env) < PW_CAP;
		if (fits)
			memcpy(buf, env, strlen(env) + 1);
	} else if (!isatty(fileno(stdin))) {
		fits = read_line(stdin, buf, PW_CAP, &got);
	} else {
		char again[PW_CAP];
		fits = ask(cli, "New password: ", buf, PW_CAP, &got);
		if (fits && got) {
			bool got2;
			bool fits2 = ask(cli, "Again: ", again, sizeof again, &got2);
			bool same = fits2 && got2 && strcmp(buf, again) == 0;
			sodium_memzero(again, sizeof again);
			if (!same) {
				rbm_cli_error(cli, "%s: the passwords differ; nothing changed", cmd);
				return RBM_EXIT_USAGE;
			}
		}
	}
	if (!got) {
		rbm_cli_error(cli, "%s: no password: set RBM_PASSWORD or give it as a line on standard input",
			      cmd);
		return RBM_EXIT_USAGE;
	}
	if (!fits) {
		rbm_cli_error(cli, "the password is too long: at most %d bytes", RBM_AUTH_PASSWORD_MAX);
		return RBM_EXIT_USAGE;
	}
	return -1;
}

/* Parses the options of c and exactly one NAME operand into *name. */
static int one_name(struct rbm_cli *cli, const struct rbm_cmd *c, int argc, char **argv,
		    struct rbm_cli_opts *o, const struct option *extra,
		    int (*on_extra)(struct rbm_cli *, int, const char *, void *), void *ctx,
		    const char **name)
{
	int r = rbm_cli_parse(cli, c, argc, argv, o, NULL, extra, on_extra, ctx);
	if (r >= 0)
		return r;
	if (argc - o->first != 1) {
		rbm_cli_error(cli, "%s: needs exactly one user NAME", c->name);
		fprintf(cli->err, "usage: rbm %s %s\n", c->name, c->usage);
		return RBM_EXIT_USAGE;
	}
	*name = argv[o->first];
	struct rbm_diag d;
	rbm_diag_init(&d);
	enum rbm_rc rc = rbm_auth_check_name(*name, &d);
	int code = rc == RBM_OK ? -1 : rbm_cli_fail(cli, rc, &d);
	rbm_diag_free(&d);
	return code;
}

/* ---- user add ---- */

struct add_opts {
	const char *role, *office, *region;
};

static int on_add_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct add_opts *a = ctx;
	(void)cli;
	if (opt == 'r')
		a->role = arg;
	else if (opt == 'o')
		a->office = arg;
	else if (opt == 'g')
		a->region = arg;
	return -1;
}

static int run_add(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"role", required_argument, NULL, 'r'},
					      {"office", required_argument, NULL, 'o'},
					      {"region", required_argument, NULL, 'g'},
					      {NULL, 0, NULL, 0}};
	const struct rbm_cmd *c = &rbm_cmd_user_add;
	struct add_opts ao = {0};
	struct rbm_cli_opts o = {0};
	const char *name = NULL;
	int code = one_name(cli, c, argc, argv, &o, extra, on_add_opt, &ao, &name);
	if (code >= 0)
		return code;
	enum rbm_role role;
	if (ao.role == NULL) {
		rbm_cli_error(cli, "%s: needs --role ROLE (%s)", c->name, ROLES);
		return RBM_EXIT_USAGE;
	}
	if (!rbm_auth_role_parse(ao.role, &role)) {
		rbm_cli_error(cli, "--role: unknown role '%s' (expected %s)", ao.role, ROLES);
		return RBM_EXIT_USAGE;
	}
	if (ao.office && ao.region) {
		rbm_cli_error(cli, "%s: give --office (a reporter's) or --region (a reviewer's), not both",
			      c->name);
		return RBM_EXIT_USAGE;
	}
	struct rbm_store *s = NULL;
	struct rbm_plan *p = NULL;
	if ((code = rbm_cli_open_plan(cli, &s, &p)) >= 0)
		return code;
	char pw[PW_CAP];
	struct rbm_diag d;
	rbm_diag_init(&d);
	if ((code = read_password(cli, c->name, pw)) < 0) {
		struct rbm_actor who = rbm_cli_actor();
		enum rbm_rc rc = rbm_auth_user_add(s, p, name, role, ao.office, ao.region, pw, &who, &d);
		if (rc != RBM_OK) {
			code = rbm_cli_fail(cli, rc, &d);
		} else {
			code = RBM_EXIT_OK;
			fprintf(cli->out, "user %s added: %s", name, rbm_auth_role_name(role));
			if (role == RBM_AUTH_REPORTER)
				fprintf(cli->out, " of the office %s", ao.office);
			else if (role == RBM_AUTH_REVIEWER && ao.region && *ao.region)
				fprintf(cli->out, " of the region %s", ao.region);
			else if (role == RBM_AUTH_REVIEWER)
				fputs(" of every region", cli->out);
			fputc('\n', cli->out);
		}
	}
	sodium_memzero(pw, sizeof pw);
	rbm_diag_free(&d);
	rbm_plan_free(p);
	rbm_store_close(s);
	return code;
}

/* ---- user passwd ---- */

static int run_passwd(struct rbm_cli *cli, int argc, char **argv)
{
	const struct rbm_cmd *c = &rbm_cmd_user_passwd;
	struct rbm_cli_opts o = {0};
	const char *name = NULL;
	int code = one_name(cli, c, argc, argv, &o, NULL, NULL, NULL, &name);
	if (code >= 0)
		return code;
	char pw[PW_CAP];
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_user u = {0};
	/* Refuse an unknown name before asking for a password. */
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &s, &d);
	if (rc == RBM_OK)
		rc = rbm_auth_user_get(s, name, &u, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
	} else if ((code = read_password(cli, c->name, pw)) < 0) {
		struct rbm_actor who = rbm_cli_actor();
		rc = rbm_auth_passwd(s, name, pw, &who, &d);
		if (rc == RBM_OK) {
			fprintf(cli->out, "password of %s changed; its sessions are signed out\n", name);
			code = RBM_EXIT_OK;
		} else {
			code = rbm_cli_fail(cli, rc, &d);
		}
	}
	sodium_memzero(pw, sizeof pw);
	rbm_auth_user_cleanup(&u);
	rbm_diag_free(&d);
	rbm_store_close(s);
	return code;
}

/* ---- user list ---- */

static void scope(const struct rbm_user *u, char *buf, size_t cap)
{
	if (u->role == RBM_AUTH_REPORTER)
		snprintf(buf, cap, "office %s", u->office ? u->office : "?");
	else if (u->role == RBM_AUTH_REVIEWER && u->region)
		snprintf(buf, cap, "region %s", u->region);
	else if (u->role == RBM_AUTH_REVIEWER)
		snprintf(buf, cap, "every region");
	else
		snprintf(buf, cap, "-");
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static int run_list(struct rbm_cli *cli, int argc, char **argv)
{
	struct rbm_cli_opts o = {.want_format = true, .formats = "text|json"};
	int r = rbm_cli_parse(cli, &rbm_cmd_user_list, argc, argv, &o, NULL, NULL, NULL, NULL);
	if (r >= 0)
		return r;
	if (o.first < argc) {
		rbm_cli_error(cli, "user list: unexpected argument '%s'", argv[o.first]);
		return RBM_EXIT_USAGE;
	}
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	struct rbm_user *v = NULL;
	size_t n = 0;
	int code = RBM_EXIT_OK;
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &s, &d);
	if (rc == RBM_OK)
		rc = rbm_auth_user_list(s, &v, &n, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
	} else if (strcmp(o.format, "json") == 0) {
		json_t *a = json_array();
		for (size_t i = 0; i < n; i++) {
			json_t *x = json_object();
			json_object_set_new(x, "name", json_string(v[i].name));
			json_object_set_new(x, "role", json_string(rbm_auth_role_name(v[i].role)));
			json_object_set_new(x, "office", str_or_null(v[i].office));
			json_object_set_new(x, "region", str_or_null(v[i].region));
			json_object_set_new(x, "created_at", str_or_null(v[i].created_at));
			json_object_set_new(x, "disabled", json_boolean(v[i].disabled));
			json_array_append_new(a, x);
		}
		char *text = json_dumps(a, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		fprintf(cli->out, "%s\n", text);
		free(text);
		json_decref(a);
	} else {
		for (size_t i = 0; i < n; i++) {
			char sc[96];
			scope(&v[i], sc, sizeof sc);
			fprintf(cli->out, "%-20s  %-13s  %-16s  %s%s\n", v[i].name,
				rbm_auth_role_name(v[i].role), sc, v[i].created_at ? v[i].created_at : "",
				v[i].disabled ? "  disabled" : "");
		}
		fprintf(cli->out, "%zu user%s\n", n, n == 1 ? "" : "s");
	}
	rbm_auth_users_free(v, n);
	rbm_diag_free(&d);
	rbm_store_close(s);
	return code;
}

/* ---- token create ---- */

static int on_token_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	(void)cli;
	if (opt == 'l')
		*(const char **)ctx = arg;
	return -1;
}

static int run_token(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"label", required_argument, NULL, 'l'},
					      {NULL, 0, NULL, 0}};
	const struct rbm_cmd *c = &rbm_cmd_token_create;
	struct rbm_cli_opts o = {0};
	const char *name = NULL, *label = NULL;
	int code = one_name(cli, c, argc, argv, &o, extra, on_token_opt, &label, &name);
	if (code >= 0)
		return code;
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *s = NULL;
	char token[RBM_AUTH_API_TOKEN_SIZE];
	struct rbm_actor who = rbm_cli_actor();
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &s, &d);
	if (rc == RBM_OK)
		rc = rbm_auth_token_create(s, name, label, &who, token, &d);
	if (rc == RBM_OK) {
		fprintf(cli->out, "%s\n", token);
		sodium_memzero(token, sizeof token);
		code = RBM_EXIT_OK;
	} else {
		code = rbm_cli_fail(cli, rc, &d);
	}
	rbm_diag_free(&d);
	rbm_store_close(s);
	return code;
}

#define PASSWORD_HELP                                                                      \
	"The password is read from $RBM_PASSWORD, else as one line of standard input when\n" \
	"that is not a terminal, else asked for twice on the terminal; never from the\n"     \
	"command line, where other users of the machine could read it. It needs at\n"        \
	"least 10 characters.\n"

const struct rbm_cmd rbm_cmd_user_add = {
	"user add",
	"NAME --role ROLE [--office CODE | --region CODE]",
	"add a user of the web application, with a role and a password",
	"  --role ROLE     administrator (plan, cycles, users), editor (report text and\n"
	"                  translations), reviewer (approves or returns submissions),\n"
	"                  reporter (answers for one office) or viewer (reads results)\n"
	"  --office CODE   the office a reporter answers for (required for reporters)\n"
	"  --region CODE   the regional office whose offices a reviewer reviews;\n"
	"                  without it the reviewer reviews every region\n"
	"\n"
	"NAME is 1 to 64 characters of a-z, 0-9, '.', '_' and '-'.\n" PASSWORD_HELP,
	run_add,
};

const struct rbm_cmd rbm_cmd_user_passwd = {
	"user passwd",
	"NAME",
	"set a user's password (signs the user out everywhere)",
	PASSWORD_HELP,
	run_passwd,
};

const struct rbm_cmd rbm_cmd_user_list = {
	"user list",
	"[--format text|json]",
	"the users, their roles and the office or region each covers",
	"",
	run_list,
};

const struct rbm_cmd rbm_cmd_token_create = {
	"token create",
	"NAME [--label TEXT]",
	"make an API token that acts as user NAME (shown once; only its hash is kept)",
	"  --label TEXT   what the token is for, to tell tokens apart\n"
	"\n"
	"The token is printed on standard output, alone on its line. Only a hash of it is\n"
	"kept, so it cannot be shown again: store it where the program that uses it can\n"
	"read it, and send it as 'Authorization: Bearer TOKEN'.\n",
	run_token,
};
