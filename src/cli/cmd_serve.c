/*
 * cmd_serve.c - rbm serve: the web application on libmicrohttpd, until
 * SIGINT or SIGTERM. The pages and the server live in src/web/; this only
 * reads the options, opens the database, and closes it after the server
 * has let its last request finish.
 */
#include <getopt.h>

#include "cli.h"

#include "../core/fs.h"
#include "../plan/places.h"
#include "../web/web.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

struct serve_opts {
	const char *bind, *port, *threads, *timeout;
};

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	struct serve_opts *s = ctx;
	(void)cli;
	if (opt == 'b')
		s->bind = arg;
	else if (opt == 'p')
		s->port = arg;
	else if (opt == 't')
		s->threads = arg;
	else if (opt == 'T')
		s->timeout = arg;
	return -1;
}

/* Parses a whole decimal number in [lo, hi]; prints a usage error otherwise. */
static bool number(struct rbm_cli *cli, const char *opt, const char *arg, long lo, long hi,
		   unsigned *out)
{
	char *end;
	long v = arg ? strtol(arg, &end, 10) : 0;
	if (arg == NULL || *arg == '\0' || *end != '\0' || v < lo || v > hi) {
		rbm_cli_error(cli, "serve: %s: expected a number from %ld to %ld, got '%s'", opt, lo, hi,
			      arg ? arg : "");
		return false;
	}
	*out = (unsigned)v;
	return true;
}

/* The plan as 'rbm plan show --format json' prints it: canonical JSON and a newline. */
static enum rbm_rc plan_document(const struct rbm_plan *plan, char **out)
{
	char *json = NULL;
	enum rbm_rc rc = rbm_plan_to_json(plan, &json);
	if (rc != RBM_OK)
		return rc;
	size_t len = strlen(json);
	char *doc = realloc(json, len + 2);
	if (doc == NULL) {
		free(json);
		return RBM_ENOMEM;
	}
	doc[len] = '\n';
	doc[len + 1] = '\0';
	*out = doc;
	return RBM_OK;
}

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"bind", required_argument, NULL, 'b'},
					      {"port", required_argument, NULL, 'p'},
					      {"threads", required_argument, NULL, 't'},
					      {"timeout", required_argument, NULL, 'T'},
					      {NULL, 0, NULL, 0}};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			/* The help lists the route table: what is served, and to whom. */
			rbm_cli_print_help(cli->out, &rbm_cmd_serve);
			fputs("\nRoutes:\n", cli->out);
			for (const struct rbm_web_route *rt = rbm_web_routes; rt->pattern; rt++)
				fprintf(cli->out, "  %-7s %-46s %-13s %s\n", rbm_web_method_name(rt->method),
					rt->pattern, rbm_web_role_name(rt->role), rt->summary);
			return RBM_EXIT_OK;
		}
	}
	struct serve_opts so = {"127.0.0.1", "8080", NULL, NULL};
	struct rbm_cli_opts o = {0};
	int r = rbm_cli_parse(cli, &rbm_cmd_serve, argc, argv, &o, NULL, extra, on_opt, &so);
	if (r >= 0)
		return r;
	if (o.first < argc) {
		rbm_cli_error(cli, "serve: takes no arguments, got '%s'", argv[o.first]);
		return RBM_EXIT_USAGE;
	}
	struct rbm_web_server_opts wo = {0};
	wo.bind = so.bind;
	if (!number(cli, "--port", so.port, 0, 65535, &wo.port) ||
	    (so.threads && !number(cli, "--threads", so.threads, 1, 256, &wo.threads)) ||
	    (so.timeout && !number(cli, "--timeout", so.timeout, 1, 3600, &wo.timeout_s)))
		return RBM_EXIT_USAGE;

	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *store = NULL;
	struct rbm_web_server *srv = NULL;
	struct rbm_plan *plan = NULL;
	struct rbm_places *places = NULL;
	struct rbm_web_cache *cache = NULL;
	char *plan_json = NULL;
	int code = RBM_EXIT_OK;
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &store, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	/* The plan, once, before any thread starts: the API serves it read-only. */
	rc = rbm_store_get_plan(store, NULL, &plan, &d);
	if (rc == RBM_OK)
		rc = plan_document(plan, &plan_json);
	if (rc == RBM_OK)
		rc = rbm_store_get_places(store, &places, &d);
	if (rc == RBM_ENOENT) { /* no plan yet: serve anyway, /api/v1/plan answers 404 */
		rbm_diag_free(&d);
		rbm_diag_init(&d);
		rc = RBM_OK;
	}
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	struct rbm_web_app app = {0};
	app.data_dir = rbm_fs_data_dir(); /* resolved once, before any thread starts */
	app.store = store;
	app.plan_json = plan_json;
	app.plan = plan;
	app.places = places;
	app.cache = cache = rbm_web_cache_new();
	app.authenticate = rbm_web_authenticate;
	rc = rbm_web_server_start(&app, &wo, &srv, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	bool v6 = strchr(wo.bind, ':') != NULL;
	fprintf(cli->out, "rbm: serving http://%s%s%s:%u/ (Ctrl-C to stop)\n", v6 ? "[" : "", wo.bind,
		v6 ? "]" : "", rbm_web_server_port(srv));
	fflush(cli->out);
	int sig = rbm_web_server_wait(srv);
	fprintf(cli->err, "rbm: %s: stopping once the requests in flight are answered\n",
		sig == SIGTERM ? "SIGTERM" : "SIGINT");
	rbm_web_server_stop(srv);
	fprintf(cli->err, "rbm: stopped\n");
out:
	rbm_web_cache_free(cache);
	rbm_places_free(places);
	free(plan_json);
	rbm_plan_free(plan);
	rbm_store_close(store);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_serve = {
	"serve",
	"[--bind ADDRESS] [--port PORT] [--threads N] [--timeout SECONDS]",
	"serve the web application until Ctrl-C (SIGINT) or SIGTERM",
	"Options:\n"
	"  --bind ADDRESS     the IPv4 or IPv6 address to listen on (default 127.0.0.1)\n"
	"  --port PORT        the TCP port (default 8080; 0: any free port, printed)\n"
	"  --threads N        worker threads (default: one per CPU, 2 to 16)\n"
	"  --timeout SECONDS  close a connection idle this long (default 30)\n"
	"\n"
	"Each request is logged on stderr: address, method, path, status, bytes,\n"
	"milliseconds. Request bodies over 1 MiB are refused (413). On SIGINT or\n"
	"SIGTERM rbm stops accepting connections, lets the requests in flight finish\n"
	"(at most 10 seconds; a second signal stops at once), closes the database\n"
	"and exits 0.\n",
	run,
};
