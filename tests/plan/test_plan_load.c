/*
 * test_plan_load.c - the plan loader: valid plans, and every kind of bad input.
 */
#include "harness/test.h"
#include "harness/fixtures.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/fs.h"
#include "plan/plan.h"

#include <jansson.h>
#include <stdlib.h>

#define SMALL "tests/cases/plans/small.json"
#define BUNDLED "data/plans/unhabitat-2020-2023.json"

#define places test_places

/* Parses text; returns rc and all problems joined by newlines in *msgs (free it). */
static enum rbm_rc parse(const char *text, size_t len, char **msgs, struct rbm_plan **out)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_plan *p = NULL;
	enum rbm_rc rc = rbm_plan_parse(text, len, "plan.json", places(), &p, &d);
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	for (size_t i = 0; i < d.len; i++)
		rbm_buf_addf(&b, "%s: %s%s%s\n", d.entries[i].file, d.entries[i].where ? d.entries[i].where : "",
			     d.entries[i].where ? ": " : "", d.entries[i].reason);
	if (d.dropped)
		rbm_buf_addf(&b, "... and %zu more\n", d.dropped);
	*msgs = rbm_buf_take(&b);
	rbm_diag_free(&d);
	if (out)
		*out = p;
	else
		rbm_plan_free(p);
	return rc;
}

static json_t *small_json(void)
{
	json_error_t err;
	json_t *j = json_load_file(SMALL, JSON_PRESERVE_ORDER, &err);
	if (j == NULL) {
		printf("# %s: %s\n", SMALL, err.text);
		exit(2);
	}
	return j;
}

/* Parses a modified small plan; the problems go to *msgs. */
static enum rbm_rc parse_json(json_t *j, char **msgs)
{
	char *s = json_dumps(j, JSON_PRESERVE_ORDER);
	enum rbm_rc rc = parse(s, strlen(s), msgs, NULL);
	free(s);
	json_decref(j);
	return rc;
}

/* The first outcome's first indicator of the small plan. */
static json_t *indicator(json_t *j, size_t outcome, size_t ind)
{
	json_t *dom = json_array_get(json_object_get(j, "domains"), 0);
	json_t *out = json_array_get(json_object_get(dom, "outcomes"), outcome);
	return json_array_get(json_object_get(out, "indicators"), ind);
}

static void small_plan_loads(void)
{
	char *text = test_read_file(SMALL, NULL), *msgs;
	struct rbm_plan *p = NULL;
	enum rbm_rc rc = parse(text, strlen(text), &msgs, &p);
	free(text);
	if (rc != RBM_OK)
		printf("# %s", msgs);
	free(msgs);
	CHECK_INT(rc, RBM_OK);
	CHECK_STR(p->code, "TEST-2020");
	CHECK_INT(p->first_year, 2020);
	CHECK_INT(p->results_len, 4);
	CHECK_INT(p->indicators_len, 6);
	CHECK_STR(p->levels[0].key, "domains");
	/* Children follow parents; indicators point at their result. */
	size_t o11 = rbm_plan_find_result(p, "1.1");
	CHECK(o11 != RBM_NONE);
	CHECK_STR(p->results[p->results[o11].parent].code, "1");
	size_t a = rbm_plan_find_indicator(p, "1.1.a");
	CHECK_INT(p->indicators[a].result, o11);
	/* Targets sorted by year though written 2021 before 2020. */
	CHECK_INT(p->indicators[a].targets_len, 2);
	CHECK_INT(p->indicators[a].targets[0].year, 2020);
	CHECK(p->indicators[a].targets[1].value == 2500000);
	CHECK_INT(p->indicators[a].unit, RBM_UNIT_PEOPLE);
	CHECK_INT(p->indicators[a].disaggregations_len, 1);
	/* Fallback to English, and what is missing. */
	CHECK_STR(rbm_text_get(&p->title, RBM_LANG_ZH), "测试计划");
	CHECK_STR(rbm_text_get(&p->title, RBM_LANG_AR), "Test plan");
	CHECK(p->programmes[0].meta.unofficial == (1u << RBM_LANG_ZH));
	CHECK(p->programmes[1].meta.unverified);
	/* Offices: the parent given after the child resolves. */
	size_t ken = rbm_plan_find_office(p, "KEN");
	CHECK_STR(p->offices[p->offices[ken].parent].code, "ROAF");
	CHECK_INT(p->offices[rbm_plan_find_office(p, "HQ")].parent, RBM_NONE);
	rbm_plan_free(p);
}

static void bundled_plan_loads(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_plan *p = NULL;
	enum rbm_rc rc = rbm_plan_load(BUNDLED, places(), &p, &d);
	rbm_diag_print(&d, stdout, "# ");
	rbm_diag_free(&d);
	CHECK_INT(rc, RBM_OK);
	size_t per_level[3] = {0};
	for (size_t i = 0; i < p->results_len; i++)
		if (p->results[i].level < 3)
			per_level[p->results[i].level]++;
	CHECK_INT(per_level[0], 4);
	CHECK_INT(per_level[1], 12);
	CHECK_INT(p->programmes_len, 5);
	CHECK(p->illustrative_indicators);
	/* Every outcome carries 2-4 illustrative indicators. */
	for (size_t i = 0; i < p->results_len; i++) {
		if (p->results[i].level != 1)
			continue;
		size_t n = 0;
		for (size_t k = 0; k < p->indicators_len; k++)
			if (p->indicators[k].result == i) {
				n++;
				CHECK(p->indicators[k].illustrative);
			}
		CHECK(n >= 2 && n <= 4);
	}
	/* The official Chinese titles are there and not marked unofficial. */
	size_t d1 = rbm_plan_find_result(p, "1");
	CHECK_STR(p->results[d1].title.s[RBM_LANG_ZH], "减少城乡连续体各社区中的空间不平等和贫困现象");
	CHECK(!(p->results[d1].meta.unofficial & (1u << RBM_LANG_ZH)));
	CHECK(p->results[d1].meta.unofficial & (1u << RBM_LANG_FR));
	size_t regional = 0, country = 0;
	for (size_t i = 0; i < p->offices_len; i++) {
		regional += p->offices[i].kind == RBM_OFFICE_REGIONAL;
		country += p->offices[i].kind == RBM_OFFICE_COUNTRY;
	}
	CHECK_INT(regional, 4);
	CHECK(country >= 45);
	/* Its IATI identifiers are illustrative, and say so; the name is in six languages. */
	CHECK_STR(p->iati.org_ref, "XX-ILLUSTRATIVE-UNHABITAT");
	CHECK_INT(rbm_text_langs(&p->iati.org_name), (1u << RBM_LANG_COUNT) - 1);
	CHECK_HAS(p->about_note.s[RBM_LANG_EN], "The IATI identifiers under \"iati\"");
	rbm_plan_free(p);
}

static void empty_file(void)
{
	char *msgs;
	CHECK_INT(parse("", 0, &msgs, NULL), RBM_EINVAL);
	CHECK_HAS(msgs, "plan.json: the file is empty");
	free(msgs);
	CHECK_INT(parse(" \n\t ", 4, &msgs, NULL), RBM_EINVAL);
	CHECK_HAS(msgs, "empty");
	free(msgs);
}

static void invalid_json(void)
{
	char *msgs;
	const char *t = "{\n \"rbm_plan\": 1,\n \"code\": \"X\"\n \"title\": {}\n}";
	CHECK_INT(parse(t, strlen(t), &msgs, NULL), RBM_EINVAL);
	CHECK_HAS(msgs, "plan.json: line 4, column");
	CHECK_HAS(msgs, "invalid JSON");
	free(msgs);
	/* Not an object at all. */
	CHECK_INT(parse("[1,2]", 5, &msgs, NULL), RBM_EINVAL);
	CHECK_HAS(msgs, "plan.json: $: expected an object (the plan), got an array");
	free(msgs);
	/* The same key twice is ambiguous: refused. */
	t = "{\"rbm_plan\": 1, \"rbm_plan\": 1}";
	CHECK_INT(parse(t, strlen(t), &msgs, NULL), RBM_EINVAL);
	CHECK_HAS(msgs, "duplicate object key");
	free(msgs);
}

static void invalid_utf8(void)
{
	char *msgs;
	const char t[] = "{\"rbm_plan\": 1, \"code\": \"A\xff\xfe\"}";
	CHECK_INT(parse(t, sizeof t - 1, &msgs, NULL), RBM_EINVAL);
	CHECK_HAS(msgs, "plan.json: line 1");
	CHECK_HAS(msgs, "0xff");
	free(msgs);
}

static void wrong_types_with_paths(void)
{
	json_t *j = small_json();
	json_object_set_new(json_object_get(indicator(j, 1, 0), "targets"), "2023", json_string("12%"));
	json_object_set_new(j, "first_year", json_string("2020"));
	json_object_set_new(indicator(j, 0, 1), "unit", json_integer(3));
	char *msgs;
	CHECK_INT(parse_json(j, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "plan.json: $.domains[0].outcomes[1].indicators[0].targets.2023: expected a number, got \"12%\"");
	CHECK_HAS(msgs, "plan.json: $.first_year: expected an integer, got \"2020\"");
	CHECK_HAS(msgs, "plan.json: $.domains[0].outcomes[0].indicators[1].unit: expected one of number, people, percent, currency, yesno, text, got 3");
	free(msgs);
}

static void every_problem_reported(void)
{
	json_t *j = small_json();
	json_object_set_new(j, "colour", json_string("blue"));
	json_object_del(json_object_get(j, "title"), "en");
	json_object_set_new(indicator(j, 0, 0), "aggregation", json_string("median"));
	char *msgs;
	CHECK_INT(parse_json(j, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "$.colour: unknown key \"colour\"");
	CHECK_HAS(msgs, "$.title: missing the English (en) text");
	CHECK_HAS(msgs, "$.domains[0].outcomes[0].indicators[0].aggregation: expected one of sum, max, min, mean, latest, count_units, got \"median\"");
	size_t lines = 0;
	for (const char *c = msgs; *c; c++)
		lines += *c == '\n';
	CHECK_INT(lines, 3);
	free(msgs);
}

static void duplicate_codes(void)
{
	json_t *j = small_json();
	json_object_set_new(indicator(j, 1, 1), "code", json_string("1.1.a"));
	json_t *outcome = json_array_get(json_object_get(json_array_get(json_object_get(j, "domains"), 0), "outcomes"), 1);
	json_object_set_new(outcome, "code", json_string("1"));
	json_object_set_new(json_array_get(json_object_get(j, "programmes"), 1), "code", json_string("FP1"));
	char *msgs;
	CHECK_INT(parse_json(j, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "$.domains[0].outcomes[1].indicators[1]: duplicate indicator code \"1.1.a\" (first at $.domains[0].outcomes[0].indicators[0])");
	CHECK_HAS(msgs, "$.domains[0].outcomes[1]: duplicate result code \"1\" (first at $.domains[0])");
	CHECK_HAS(msgs, "$.programmes[1]: duplicate programme code \"FP1\"");
	free(msgs);
}

static void dangling_references(void)
{
	json_t *j = small_json();
	json_t *dom = json_array_get(json_object_get(j, "domains"), 0);
	json_array_append_new(json_object_get(dom, "programmes"), json_string("FP9"));
	json_object_set_new(indicator(j, 0, 0), "disaggregations", json_pack("[s]", "age"));
	json_object_set_new(json_array_get(json_object_get(j, "offices"), 0), "parent", json_string("ROXX"));
	json_object_set_new(json_array_get(json_object_get(j, "cities"), 0), "country", json_string("XYZ"));
	json_object_set_new(json_array_get(json_object_get(j, "offices"), 2), "regions", json_pack("[s]", "999"));
	char *msgs;
	CHECK_INT(parse_json(j, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "$.domains[0].programmes[1]: unknown programme \"FP9\"");
	CHECK_HAS(msgs, "$.domains[0].outcomes[0].indicators[0].disaggregations[0]: unknown disaggregation \"age\"");
	CHECK_HAS(msgs, "$.offices[0].parent: unknown office \"ROXX\"");
	CHECK_HAS(msgs, "$.cities[0].country: unknown country \"XYZ\"");
	CHECK_HAS(msgs, "$.offices[2].regions[0]: unknown region \"999\"");
	free(msgs);
}

static void office_cycles_and_headquarters(void)
{
	json_t *j = small_json();
	json_t *offices = json_object_get(j, "offices");
	json_object_set_new(json_array_get(offices, 1), "parent", json_string("KEN"));
	char *msgs;
	CHECK_INT(parse_json(j, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "is its own ancestor");
	CHECK_HAS(msgs, "$.offices: no headquarters office");
	free(msgs);
}

static void unknown_language_tag(void)
{
	json_t *j = small_json();
	json_object_set_new(json_object_get(j, "title"), "de", json_string("Testplan"));
	json_object_set_new(json_array_get(json_object_get(j, "programmes"), 0), "unofficial",
			    json_pack("[s]", "pt"));
	char *msgs;
	CHECK_INT(parse_json(j, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "$.title.de: unknown language tag \"de\"");
	CHECK_HAS(msgs, "$.programmes[0].unofficial[0]: unknown language tag \"pt\"");
	free(msgs);
}

static void target_outside_plan_years(void)
{
	json_t *j = small_json();
	json_t *t = json_object_get(indicator(j, 0, 0), "targets");
	json_object_set_new(t, "2024", json_integer(5));
	json_object_set_new(t, "20x1", json_integer(5));
	char *msgs;
	CHECK_INT(parse_json(j, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "targets.2024: the year 2024 lies outside the plan period 2020-2023");
	CHECK_HAS(msgs, "targets.20x1: \"20x1\" is not a year");
	free(msgs);
	j = small_json();
	json_object_set_new(j, "last_year", json_integer(2019));
	CHECK_INT(parse_json(j, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "$.last_year: the last year 2019 comes before the first year 2020");
	free(msgs);
}

static void rules_that_do_not_fit_units(void)
{
	json_t *j = small_json();
	json_object_set_new(indicator(j, 1, 1), "aggregation", json_string("mean"));  /* yes/no mean */
	json_object_set_new(indicator(j, 1, 0), "aggregation", json_string("sum"));   /* percent sum */
	json_object_set_new(json_object_get(indicator(j, 0, 0), "targets"), "2022", json_real(10.5));
	json_object_set_new(json_object_get(indicator(j, 1, 0), "targets"), "2021", json_integer(120));
	json_object_del(indicator(j, 0, 1), "count_of");
	json_object_del(indicator(j, 1, 2), "currency");
	json_object_set_new(indicator(j, 1, 3), "targets", json_pack("{s:i}", "2021", 1));
	char *msgs;
	CHECK_INT(parse_json(j, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "indicators[1].aggregation: the rule \"mean\" cannot apply to the unit \"yesno\"");
	CHECK_HAS(msgs, "outcomes[1].indicators[0].aggregation: the rule \"sum\" cannot apply to the unit \"percent\"");
	CHECK_HAS(msgs, "targets.2022: 10.5: a number of people must be a whole number >= 0");
	CHECK_HAS(msgs, "targets.2021: 120: a percentage must lie in 0-100");
	CHECK_HAS(msgs, "the rule \"count_units\" needs \"count_of\"");
	CHECK_HAS(msgs, "the unit \"currency\" needs \"currency\"");
	CHECK_HAS(msgs, "a text indicator takes no targets or baseline");
	free(msgs);
}

static void fifty_megabytes(void)
{
	size_t n = 50u << 20;
	char *big = rbm_xmalloc(n);
	memset(big, ' ', n);
	big[0] = '{';
	big[n - 1] = '}';
	const char *path = test_write_file("big.json", big, n);
	free(big);
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_plan *p = NULL;
	enum rbm_rc rc = rbm_plan_load(path, places(), &p, &d);
	CHECK_INT(rc, RBM_ETOOBIG);
	CHECK(p == NULL);
	CHECK_INT(d.len, 1);
	CHECK_HAS(d.entries[0].reason, "larger than the limit of 16777216 bytes");
	rbm_diag_free(&d);
}

static void deep_nesting(void)
{
	size_t depth = 10000;
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	rbm_buf_adds(&b, "{\"rbm_plan\": 1, \"x\": ");
	for (size_t i = 0; i < depth; i++)
		rbm_buf_addc(&b, '[');
	for (size_t i = 0; i < depth; i++)
		rbm_buf_addc(&b, ']');
	rbm_buf_addc(&b, '}');
	char *msgs;
	CHECK_INT(parse(b.data, b.len, &msgs, NULL), RBM_EINVAL);
	CHECK_HAS(msgs, "plan.json: line 1: the JSON nests deeper than 64 levels");
	free(msgs);
	rbm_buf_free(&b);
}

static void missing_file(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_plan *p = NULL;
	CHECK_INT(rbm_plan_load("tests/cases/plans/no-such-plan.json", places(), &p, &d), RBM_ENOENT);
	CHECK_HAS(d.entries[0].reason, "cannot open: No such file or directory");
	rbm_diag_free(&d);
}

static void canonical_json_round_trip(void)
{
	char *text = test_read_file(SMALL, NULL), *msgs, *json1 = NULL, *json2 = NULL;
	struct rbm_plan *p = NULL, *q = NULL;
	CHECK_INT(parse(text, strlen(text), &msgs, &p), RBM_OK);
	free(text);
	free(msgs);
	CHECK_INT(rbm_plan_to_json(p, &json1), RBM_OK);
	/* The canonical form is itself a valid plan that gives the same form. */
	CHECK_INT(parse(json1, strlen(json1), &msgs, &q), RBM_OK);
	free(msgs);
	CHECK_INT(rbm_plan_to_json(q, &json2), RBM_OK);
	CHECK_STR(json1, json2);
	free(json1);
	free(json2);
	rbm_plan_free(p);
	rbm_plan_free(q);
}

static void missing_translations(void)
{
	char *text = test_read_file(SMALL, NULL), *msgs;
	struct rbm_plan *p = NULL;
	CHECK_INT(parse(text, strlen(text), &msgs, &p), RBM_OK);
	free(text);
	free(msgs);
	struct rbm_missing *m;
	size_t n;
	rbm_plan_missing(p, 1u << RBM_LANG_ZH, &m, &n);
	/* The plan title and domain 1 have Chinese; outcome 1.1 has not. */
	bool title = false, d1 = false, o11 = false;
	for (size_t i = 0; i < n; i++) {
		title |= strcmp(m[i].kind, "plan") == 0 && strcmp(m[i].field, "title") == 0;
		d1 |= strcmp(m[i].code, "1") == 0 && strcmp(m[i].field, "title") == 0;
		o11 |= strcmp(m[i].code, "1.1") == 0 && strcmp(m[i].kind, "outcomes") == 0;
	}
	free(m);
	CHECK(!title);
	CHECK(!d1);
	CHECK(o11);
	rbm_plan_missing(p, (1u << RBM_LANG_COUNT) - 1, &m, &n);
	for (size_t i = 0; i < n; i++)
		CHECK(m[i].langs != 0);
	free(m);
	rbm_plan_free(p);
}

/* The optional "iati" object: read, written back, and every malformed part reported. */
static json_t *with_iati(const char *ref, const char *type, const char *prefix)
{
	json_t *j = small_json();
	json_object_set_new(j, "iati",
			    json_pack("{s:{s:s, s:s, s:{s:s, s:s}}, s:s}", "reporting_org", "ref", ref,
				      "type", type, "name", "en", "Test organisation", "fr",
				      "Organisation d'essai", "activity_prefix", prefix));
	return j;
}

static void iati_publishing(void)
{
	json_t *j = with_iati("XX-TEST-1", "40", "XX-TEST-1-SP");
	char *msgs, *s = json_dumps(j, JSON_PRESERVE_ORDER);
	json_decref(j);
	struct rbm_plan *p = NULL;
	enum rbm_rc rc = parse(s, strlen(s), &msgs, &p);
	free(s);
	free(msgs);
	CHECK_INT(rc, RBM_OK);
	CHECK_STR(p->iati.org_ref, "XX-TEST-1");
	CHECK_STR(p->iati.org_type, "40");
	CHECK_STR(p->iati.activity_prefix, "XX-TEST-1-SP");
	CHECK_STR(p->iati.org_name.s[RBM_LANG_FR], "Organisation d'essai");
	char *json = NULL;
	CHECK_INT(rbm_plan_to_json(p, &json), RBM_OK);
	rbm_plan_free(p);
	CHECK_HAS(json, "\"iati\": {\n  \"reporting_org\": {\n   \"ref\": \"XX-TEST-1\",\n   \"type\": \"40\"");
	CHECK_HAS(json, "\"activity_prefix\": \"XX-TEST-1-SP\"");
	free(json);
	/* Without "iati", none. */
	s = test_read_file(SMALL, NULL);
	CHECK_INT(parse(s, strlen(s), &msgs, &p), RBM_OK);
	free(s);
	free(msgs);
	CHECK(p->iati.org_ref == NULL);
	CHECK_INT(rbm_plan_to_json(p, &json), RBM_OK);
	CHECK(strstr(json, "\"iati\"") == NULL);
	free(json);
	rbm_plan_free(p);

	CHECK_INT(parse_json(with_iati("XX TEST", "multilateral", "XX-TEST-1-SP"), &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "$.iati.reporting_org.ref: expected an organisation identifier: a registration "
			"agency's code, \"-\" and the number it issued (3-100 letters, digits, . _ -), got \"XX TEST\"");
	CHECK_HAS(msgs, "$.iati.reporting_org.type: expected a code of IATI's OrganisationType codelist "
			"(two digits, e.g. \"40\" for a multilateral organisation), got \"multilateral\"");
	free(msgs);
	CHECK_INT(parse_json(with_iati("XX-TEST-1", "40", "YY-TEST-1-SP"), &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "$.iati.activity_prefix: must begin with the reporting organisation's identifier "
			"\"XX-TEST-1\" and \"-\" (IATI activity identifiers are prefixed with it), got \"YY-TEST-1-SP\"");
	free(msgs);
	CHECK_INT(parse_json(with_iati("XX-TEST-1", "40", "XX-TEST-1"), &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "$.iati.activity_prefix: must begin with the reporting organisation's identifier");
	free(msgs);
	CHECK_INT(parse_json(with_iati("-X", "4", "X-"), &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "$.iati.reporting_org.ref: expected an organisation identifier");
	CHECK_HAS(msgs, "$.iati.reporting_org.type: expected a code");
	CHECK_HAS(msgs, "$.iati.activity_prefix: expected an activity identifier");
	free(msgs);

	j = with_iati("XX-TEST-1", "40", "XX-TEST-1-SP");
	json_t *iati = json_object_get(j, "iati");
	json_object_del(json_object_get(iati, "reporting_org"), "name");
	json_object_set_new(json_object_get(iati, "reporting_org"), "secondary", json_true());
	json_object_set_new(iati, "_comment", json_string("ignored"));
	json_object_set_new(iati, "prefix", json_string("X"));
	CHECK_INT(parse_json(j, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "$.iati.reporting_org: missing required key \"name\"");
	CHECK_HAS(msgs, "$.iati.reporting_org.secondary: unknown key \"secondary\"");
	CHECK_HAS(msgs, "$.iati.prefix: unknown key \"prefix\"");
	CHECK(strstr(msgs, "_comment") == NULL);
	free(msgs);
	j = small_json();
	json_object_set_new(j, "iati", json_string("XX-TEST-1"));
	CHECK_INT(parse_json(j, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "$.iati: expected an object, got \"XX-TEST-1\"");
	free(msgs);
	j = small_json();
	json_object_set_new(j, "iati", json_object());
	CHECK_INT(parse_json(j, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "$.iati: missing required key \"reporting_org\"");
	CHECK_HAS(msgs, "$.iati: missing required key \"activity_prefix\"");
	free(msgs);
}

TEST_MAIN(T(small_plan_loads), T(bundled_plan_loads), T(empty_file), T(invalid_json),
	  T(invalid_utf8), T(wrong_types_with_paths), T(every_problem_reported),
	  T(duplicate_codes), T(dangling_references), T(office_cycles_and_headquarters),
	  T(unknown_language_tag), T(target_outside_plan_years), T(rules_that_do_not_fit_units),
	  T(fifty_megabytes), T(deep_nesting), T(missing_file), T(canonical_json_round_trip),
	  T(missing_translations), T(iati_publishing))
