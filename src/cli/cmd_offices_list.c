/*
 * cmd_offices_list.c - rbm offices list: the organisational units as a tree.
 */
#include "cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void print_office(FILE *out, const struct rbm_plan *p, size_t i, int depth,
			 enum rbm_lang lang)
{
	const struct rbm_office *o = &p->offices[i];
	fprintf(out, "%*s%-10s %-12s %s", depth * 2, "", o->code, rbm_office_kind_name(o->kind),
		rbm_text_get(&o->title, lang));
	if (o->seat)
		fprintf(out, " (%s)", o->seat);
	if (o->countries_len + o->regions_len) {
		fputs(" - reports on", out);
		for (size_t k = 0; k < o->regions_len; k++)
			fprintf(out, " M49:%s", o->regions[k]);
		for (size_t k = 0; k < o->countries_len; k++)
			fprintf(out, " %s", o->countries[k]);
	}
	fputc('\n', out);
	for (size_t k = 0; k < p->offices_len; k++)
		if (p->offices[k].parent == i)
			print_office(out, p, k, depth + 1, lang);
}

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	struct rbm_cli_opts o = {.want_lang = true, .want_format = true, .formats = "text|json"};
	int r = rbm_cli_parse(cli, &rbm_cmd_offices_list, argc, argv, &o, NULL, NULL, NULL, NULL);
	if (r >= 0)
		return r;
	if (o.first < argc) {
		rbm_cli_error(cli, "offices list: unexpected argument '%s'", argv[o.first]);
		return RBM_EXIT_USAGE;
	}
	struct rbm_store *store = NULL;
	struct rbm_plan *p = NULL;
	int code = rbm_cli_open_plan(cli, &store, &p);
	if (code >= 0)
		return code;
	if (strcmp(o.format, "json") == 0) {
		json_t *a = json_array();
		for (size_t i = 0; i < p->offices_len; i++) {
			const struct rbm_office *of = &p->offices[i];
			json_t *x = json_object();
			json_object_set_new(x, "code", json_string(of->code));
			json_object_set_new(x, "kind", json_string(rbm_office_kind_name(of->kind)));
			json_object_set_new(x, "title", json_string(rbm_text_get(&of->title, o.lang)));
			json_object_set_new(x, "parent", of->parent == RBM_NONE
								 ? json_null()
								 : json_string(p->offices[of->parent].code));
			json_array_append_new(a, x);
		}
		char *s = json_dumps(a, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		fprintf(cli->out, "%s\n", s);
		free(s);
		json_decref(a);
	} else {
		for (size_t i = 0; i < p->offices_len; i++)
			if (p->offices[i].parent == RBM_NONE)
				print_office(cli->out, p, i, 0, o.lang);
		size_t kinds[5] = {0};
		for (size_t i = 0; i < p->offices_len; i++)
			kinds[p->offices[i].kind]++;
		fprintf(cli->out, "%zu offices: %zu headquarters, %zu headquarters units, %zu regional, "
				  "%zu liaison, %zu country\n",
			p->offices_len, kinds[RBM_OFFICE_HEADQUARTERS], kinds[RBM_OFFICE_HQ_UNIT],
			kinds[RBM_OFFICE_REGIONAL], kinds[RBM_OFFICE_LIAISON], kinds[RBM_OFFICE_COUNTRY]);
	}
	rbm_plan_free(p);
	rbm_store_close(store);
	return RBM_EXIT_OK;
}

const struct rbm_cmd rbm_cmd_offices_list = {
	"offices list",
	"[--lang L] [--format text|json] [--db FILE]",
	"list the organisational units: headquarters, regional and country offices",
	"Prints the offices of the stored plan as a tree (each under the office it reports\n"
	"through), with the places each reports on, then a count per kind.\n",
	run,
};
