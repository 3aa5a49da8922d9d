/*
 * cmd_places_list.c - rbm places list: countries, optionally in one M49 region.
 */
#include <getopt.h>

#include "cli.h"

#include <ctype.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

static int on_opt(struct rbm_cli *cli, int opt, const char *arg, void *ctx)
{
	(void)cli;
	if (opt == 'r')
		*(const char **)ctx = arg;
	return -1;
}

/* A region given as an M49 code ("2", "002") or a name in any language. */
static const struct rbm_region *find_region(const struct rbm_places *p, const char *arg)
{
	bool digits = *arg != '\0' && strlen(arg) <= 3;
	for (const char *c = arg; *c; c++)
		digits &= isdigit((unsigned char)*c) != 0;
	if (digits) {
		char code[4];
		snprintf(code, sizeof code, "%03d", atoi(arg));
		return rbm_places_region(p, code);
	}
	for (size_t i = 0; i < p->regions_len; i++)
		for (int l = 0; l < RBM_LANG_COUNT; l++)
			if (p->regions[i].name.s[l] && strcasecmp(p->regions[i].name.s[l], arg) == 0)
				return &p->regions[i];
	return NULL;
}

static int run(struct rbm_cli *cli, int argc, char **argv)
{
	static const struct option extra[] = {{"region", required_argument, NULL, 'r'},
					      {NULL, 0, NULL, 0}};
	const char *region_arg = NULL;
	struct rbm_cli_opts o = {.want_lang = true};
	int r = rbm_cli_parse(cli, &rbm_cmd_places_list, argc, argv, &o, NULL, extra, on_opt,
			      &region_arg);
	if (r >= 0)
		return r;
	if (o.first < argc) {
		rbm_cli_error(cli, "places list: unexpected argument '%s'", argv[o.first]);
		return RBM_EXIT_USAGE;
	}
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_store *store = NULL;
	struct rbm_places *p = NULL;
	int code = RBM_EXIT_OK;
	enum rbm_rc rc = rbm_store_open(cli->db, 0, &store, &d);
	if (rc == RBM_OK)
		rc = rbm_store_get_places(store, &p, &d);
	if (rc != RBM_OK) {
		code = rbm_cli_fail(cli, rc, &d);
		goto out;
	}
	const struct rbm_region *region = NULL;
	if (region_arg) {
		region = find_region(p, region_arg);
		if (region == NULL) {
			rbm_cli_error(cli, "places list: --region: no UN M49 region '%s' (give a code such "
					   "as 002 or a name such as Africa)",
				      region_arg);
			code = RBM_EXIT_USAGE;
			goto out;
		}
		fprintf(cli->out, "%s %s\n", region->m49, rbm_text_get(&region->name, o.lang));
	}
	size_t n = 0;
	for (size_t i = 0; i < p->countries_len; i++) {
		const struct rbm_country *c = &p->countries[i];
		if (region && !rbm_places_country_in(p, c, region->m49))
			continue;
		/* The most precise region: intermediate (Eastern Africa), else sub-region. */
		const struct rbm_region *sub =
			rbm_places_region(p, c->intermediate[0] ? c->intermediate : c->subregion);
		fprintf(cli->out, "%s  %s  %s  %s\n", c->alpha3, c->alpha2,
			rbm_text_get(&c->name, o.lang), sub ? rbm_text_get(&sub->name, o.lang) : "-");
		n++;
	}
	fprintf(cli->out, "%zu countries\n", n);
out:
	rbm_places_free(p);
	rbm_store_close(store);
	rbm_diag_free(&d);
	return code;
}

const struct rbm_cmd rbm_cmd_places_list = {
	"places list",
	"[--region R] [--lang L] [--db FILE]",
	"list the countries offices report on, with their UN M49 regions",
	"Prints ISO 3166-1 alpha-3 and alpha-2 codes, the name and the M49 sub-region of\n"
	"each country (its intermediate region where M49 has one), in the chosen language.\n"
	"\n"
	"  --region R   only countries in R: an M49 code (002, 419, ...) or a region\n"
	"               name in any of the six languages (Africa, Afrique, ...)\n",
	run,
};
