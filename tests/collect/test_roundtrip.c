/*
 * test_roundtrip.c - the offline round trip: the survey exported as an
 * XLSForm, read back, filled in as KoBoToolbox would export it (CSV and
 * XLSX, group paths in headers), and imported.
 */
#include "harness/fixtures.h"
#include "harness/test.h"

#include "collect/collect.h"
#include "core/buf.h"
#include "plan/plan.h"
#include "store/store.h"

#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define BUNDLED "data/plans/unhabitat-2020-2023.json"

static const struct rbm_actor admin = {"ana", "cli", "local", true};

/* An answer that fits a question of the XLSForm read back. */
static const char *fill(const struct rbm_xlsform *x, const struct rbm_xlsform_question *q,
			char *buf, size_t cap)
{
	const char *t = q->type;
	/* Categories (v_..__female) stay below the total so that they add up. */
	if (strstr(q->name, "__") && (strcmp(t, "integer") == 0 || strcmp(t, "decimal") == 0))
		return "1";
	if (strcmp(t, "integer") == 0)
		return "12";
	if (strcmp(t, "decimal") == 0)
		return q->constraint && strstr(q->constraint, "100") ? "55.5" : "3";
	if (strcmp(t, "text") == 0)
		return "Written offline, imported later.";
	if (strncmp(t, "select_one", 10) == 0 || strncmp(t, "select_multiple", 15) == 0) {
		if (strcmp(q->list, "lang") == 0)
			return "en";
		if (strcmp(q->list, "yesno") == 0)
			return "yes";
		for (size_t i = 0; i < x->choices_len; i++)
			if (strcmp(x->choices[i].list, q->list) == 0) {
				snprintf(buf, cap, "%s", x->choices[i].name);
				return buf;
			}
	}
	return "";
}

/* Header paths like KoBoToolbox's: every open group's name, then the question's. */
static void headers_and_row(const struct rbm_xlsform *x, struct rbm_buf *head, struct rbm_buf *row,
			    char ***cells_head, char ***cells_row, size_t *n)
{
	char path[16][64];
	int depth = 0;
	*n = 0;
	*cells_head = calloc(x->questions_len + 4, sizeof(char *));
	*cells_row = calloc(x->questions_len + 4, sizeof(char *));
	for (size_t i = 0; i < x->questions_len; i++) {
		const struct rbm_xlsform_question *q = &x->questions[i];
		if (strncmp(q->type, "begin", 5) == 0) {
			snprintf(path[depth++], 64, "%s", q->name);
			continue;
		}
		if (strncmp(q->type, "end", 3) == 0) {
			depth--;
			continue;
		}
		char h[512] = "", v[128];
		for (int k = 0; k < depth; k++) {
			strcat(h, path[k]);
			strcat(h, "/");
		}
		strcat(h, q->name);
		const char *val = strcmp(q->type, "calculate") == 0
					  ? (strcmp(q->name, "rbm_office") == 0 ? "KEN" : "2021")
					  : fill(x, q, v, sizeof v);
		rbm_buf_addf(head, "%s%s", *n ? "," : "", h);
		rbm_buf_addf(row, "%s\"%s\"", *n ? "," : "", val);
		(*cells_head)[*n] = strdup(h);
		(*cells_row)[*n] = strdup(val);
		(*n)++;
	}
}

static void roundtrip(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_plan *p = NULL;
	struct rbm_store *s = NULL;
	struct rbm_form *f = NULL;
	struct rbm_xlsform *x = NULL;
	char db[512], form[512], csv[512], xlsx[512];
	snprintf(db, sizeof db, "%s/rt.db", test_tmpdir());
	snprintf(form, sizeof form, "%s/ken.xlsx", test_tmpdir());
	snprintf(xlsx, sizeof xlsx, "%s/kobo-export.xlsx", test_tmpdir());
	setenv("RBM_NOW", "2022-02-01T10:00:00Z", 1);
	CHECK_INT(rbm_plan_load(BUNDLED, test_places(), &p, &d), RBM_OK);
	CHECK_INT(rbm_store_open(db, RBM_STORE_CREATE, &s, &d), RBM_OK);
	CHECK_INT(rbm_store_put_places(s, test_places(), &d), RBM_OK);
	CHECK_INT(rbm_store_put_plan(s, p, false, NULL, &d), RBM_OK);
	CHECK_INT(rbm_collect_cycle_open(s, p, 2021, "2022-01-10", "2022-02-28", NULL, 0, false, &admin, &d), RBM_OK);
	/* Export, and read back with the XLSForm reader. */
	CHECK_INT(rbm_collect_form(p, test_places(), 2021, "KEN", &f, &d), RBM_OK);
	CHECK_INT(rbm_collect_xlsform_write(f, form, &d), RBM_OK);
	CHECK_INT(rbm_collect_xlsform_read(form, &x, &d), RBM_OK);
	/* Fill every question as an office would, and export as KoBoToolbox does. */
	struct rbm_buf head, row;
	rbm_buf_init(&head, 0);
	rbm_buf_init(&row, 0);
	char **hc, **rc;
	size_t n;
	headers_and_row(x, &head, &row, &hc, &rc, &n);
	CHECK(n > 100);
	rbm_buf_adds(&head, ",_id,_uuid,_submission_time,_index\n");
	rbm_buf_adds(&row, ",1,rt-1,2022-02-03T10:00:00,1\n");
	rbm_buf_add(&head, row.data, row.len);
	snprintf(csv, sizeof csv, "%s", test_write_file("kobo-export.csv", head.data, head.len));
	/* Import it: every value question became a value. */
	struct rbm_import_opts o = {0};
	struct rbm_import_result res;
	enum rbm_rc irc = rbm_collect_import(s, p, test_places(), csv, &o, &admin, &res, &d);
	rbm_diag_print(&d, stdout, "# ");
	CHECK_INT(irc, RBM_OK);
	CHECK_INT(res.created, 1);
	struct rbm_revision rev = {0};
	struct rbm_content c = {0};
	CHECK_INT(rbm_collect_revision_get(s, 1, 0, &rev, &d), RBM_OK);
	CHECK_INT(rbm_collect_content_parse(p, rev.content_json, &c, &d), RBM_OK);
	size_t values = 0, narratives = 0;
	for (size_t i = 0; i < f->questions_len; i++) {
		values += f->questions[i].role == RBM_ROLE_VALUE || f->questions[i].role == RBM_ROLE_CITIES_OF;
		narratives += f->questions[i].role == RBM_ROLE_NARRATIVE;
	}
	CHECK_INT(c.values_len, values);
	CHECK_INT(c.outcomes_len, narratives);
	rbm_collect_content_free(&c);
	rbm_collect_revision_free(&rev);
	/* The same answers as a KoBoToolbox XLSX export: unchanged. */
	lxw_workbook *wb = workbook_new(xlsx);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "rbm_2021_KEN");
	for (size_t i = 0; i < n; i++) {
		worksheet_write_string(ws, 0, (lxw_col_t)i, hc[i], NULL);
		char *end;
		double num = strtod(rc[i], &end);
		if (*rc[i] && *end == '\0')
			worksheet_write_number(ws, 1, (lxw_col_t)i, num, NULL);
		else
			worksheet_write_string(ws, 1, (lxw_col_t)i, rc[i], NULL);
	}
	worksheet_write_string(ws, 0, (lxw_col_t)n, "_uuid", NULL);
	worksheet_write_string(ws, 1, (lxw_col_t)n, "rt-1", NULL);
	worksheet_write_string(ws, 0, (lxw_col_t)n + 1, "_submission_time", NULL);
	worksheet_write_string(ws, 1, (lxw_col_t)n + 1, "2022-02-03T10:00:00", NULL);
	workbook_add_worksheet(wb, "repeat_sheet");
	CHECK(workbook_close(wb) == LXW_NO_ERROR);
	CHECK_INT(rbm_collect_import(s, p, test_places(), xlsx, &o, &admin, &res, &d), RBM_OK);
	rbm_diag_print(&d, stdout, "# ");
	CHECK_STR(res.format, "kobo-xlsx");
	CHECK_INT(res.unchanged, 1);
	for (size_t i = 0; i < n; i++) {
		free(hc[i]);
		free(rc[i]);
	}
	free(hc);
	free(rc);
	rbm_buf_free(&head);
	rbm_buf_free(&row);
	rbm_collect_xlsform_free(x);
	rbm_collect_form_free(f);
	rbm_store_close(s);
	rbm_plan_free(p);
	rbm_diag_free(&d);
}

TEST_MAIN(T(roundtrip))
