/*
 * page_offices.c - GET /api/v1/offices: headquarters, the regional and
 * country offices of the stored plan, in plan order, each with its name in
 * the language asked for (?lang= or Accept-Language; English where the plan
 * has no translation, and "name_lang" says which language was given).
 */
#include "web_int.h"

#include "../plan/plan.h"

static json_t *office_json(const struct rbm_plan *p, const struct rbm_office *o,
			   enum rbm_lang lang)
{
	const char *name = o->title.s[lang];
	enum rbm_lang given = lang;
	if (name == NULL) {
		name = o->title.s[RBM_LANG_EN];
		given = RBM_LANG_EN;
	}
	json_t *j = json_object();
	if (j == NULL)
		return NULL;
	json_object_set_new(j, "code", json_string(o->code));
	json_object_set_new(j, "name", name ? json_string(name) : json_null());
	json_object_set_new(j, "name_lang", name ? json_string(rbm_lang_tag(given)) : json_null());
	json_object_set_new(j, "kind", json_string(rbm_office_kind_name(o->kind)));
	json_object_set_new(j, "parent", o->parent == RBM_NONE ? json_null()
							       : json_string(p->offices[o->parent].code));
	json_object_set_new(j, "seat", o->seat ? json_string(o->seat) : json_null());
	json_object_set_new(j, "countries", rbm_web__json_strings(o->countries, o->countries_len));
	return j;
}

enum rbm_rc rbm_web__offices(struct rbm_web_req *req, struct rbm_web_resp *resp)
{
	const struct rbm_plan *p = req->app ? req->app->plan : NULL;
	if (p == NULL)
		return rbm_web__no_plan(req, resp);
	enum rbm_lang lang = rbm_web_lang(req);
	json_t *arr = json_array();
	for (size_t i = 0; arr && i < p->offices_len; i++)
		json_array_append_new(arr, office_json(p, &p->offices[i], lang));
	if (arr == NULL)
		return RBM_ENOMEM;
	rbm_web_resp_header(resp, "Content-Language", rbm_lang_tag(lang));
	rbm_web_resp_header(resp, "Vary", "Accept-Language");
	rbm_web_resp_header(resp, "Cache-Control", "no-cache");
	enum rbm_rc rc = rbm_web_resp_json(resp, 200, arr);
	json_decref(arr);
	return rc;
}
