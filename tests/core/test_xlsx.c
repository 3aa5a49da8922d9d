/*
 * test_xlsx.c - the XLSX reader: two real XLSForm workbooks, workbooks built
 * here with libzip to reach each feature, and every kind of bad input.
 *
 * Sheets are rendered as text, one line per reported row: "ROW:cell|cell",
 * with numbers marked by a leading '#'. Problems are rendered as
 * "FILE: WHERE: reason" with FILE reduced to its base name.
 */
#include "harness/test.h"

#include "core/alloc.h"
#include "core/buf.h"
#include "core/xlsx.h"

#include <stdint.h>
#include <stdlib.h>
#include <zip.h>

#define SPEC "../shared/standards/xlsform/examples/xlsform_spec_test.xlsx"
#define I8N "../shared/standards/xlsform/examples/I8n_lang_choicefilter.xlsx"

#define NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_R "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PR "http://schemas.openxmlformats.org/package/2006/relationships"
#define REL_SHEET NS_R "/worksheet"
#define REL_SST NS_R "/sharedStrings"

/* ---- Helpers ---- */

struct part {
	const char *name;
	const char *data;
	size_t len; /* 0: strlen(data) */
};

/*
 * Writes a zip of parts into the test folder, deflated but for the part
 * named stored (may be NULL); returns its path (static, reused).
 */
static const char *make_zip_stored(const char *file, const struct part *parts, size_t n,
				   const char *stored)
{
	static char path[512];
	snprintf(path, sizeof path, "%s/%s", test_tmpdir(), file);
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	if (z == NULL) {
		printf("# zip_open %s: error %d\n", path, err);
		exit(2);
	}
	for (size_t i = 0; i < n; i++) {
		size_t len = parts[i].len ? parts[i].len : strlen(parts[i].data);
		bool store = stored && strcmp(parts[i].name, stored) == 0;
		zip_source_t *s = zip_source_buffer(z, parts[i].data, len, 0);
		zip_int64_t idx = s ? zip_file_add(z, parts[i].name, s, ZIP_FL_OVERWRITE) : -1;
		if (idx < 0 || zip_set_file_compression(z, (zip_uint64_t)idx,
						    store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, store ? 0 : 1) != 0) {
			printf("# zip_file_add %s: %s\n", parts[i].name, zip_strerror(z));
			exit(2);
		}
	}
	if (zip_close(z) != 0) {
		printf("# zip_close %s: %s\n", path, zip_strerror(z));
		exit(2);
	}
	return path;
}

static const char *make_zip(const char *file, const struct part *parts, size_t n)
{
	return make_zip_stored(file, parts, n, NULL);
}

static enum rbm_rc dump_row(void *ctx, size_t row, const struct rbm_xlsx_cell *cells, size_t n)
{
	struct rbm_buf *b = ctx;
	rbm_buf_addf(b, "%zu:", row);
	for (size_t i = 0; i < n; i++)
		rbm_buf_addf(b, "%s%s%s", i ? "|" : "", cells[i].is_number ? "#" : "", cells[i].text);
	rbm_buf_addc(b, '\n');
	return RBM_OK;
}

/* The problems in d, one "FILE: WHERE: reason" line each, FILE as a base name (free it). */
static char *problems(const struct rbm_diag *d)
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	for (size_t i = 0; i < d->len; i++) {
		const struct rbm_diag_entry *e = &d->entries[i];
		const char *base = e->file ? strrchr(e->file, '/') : NULL;
		rbm_buf_addf(&b, "%s: %s%s%s\n", base ? base + 1 : e->file ? e->file : "-",
			     e->where ? e->where : "", e->where ? ": " : "", e->reason);
	}
	return rbm_buf_take(&b);
}

/*
 * Opens path and reads the sheet named sheet. Returns the first failure's rc;
 * *rows gets the rows read (even on failure), *msgs the problems (free both).
 */
static enum rbm_rc read_sheet(const char *path, const struct rbm_xlsx_limits *lim,
			      const char *sheet, char **rows, char **msgs)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	struct rbm_xlsx *x = NULL;
	enum rbm_rc rc = rbm_xlsx_open(path, lim, &x, &d);
	if (rc != RBM_OK)
		goto out;
	size_t i = rbm_xlsx_find_sheet(x, sheet);
	if (i == RBM_XLSX_NONE) {
		rbm_diag_add(&d, NULL, NULL, "test: no sheet %s", sheet);
		rc = RBM_ENOENT;
		goto out;
	}
	rc = rbm_xlsx_read_sheet(x, i, dump_row, &b, &d);
out:
	rbm_xlsx_close(x);
	*rows = rbm_buf_take(&b);
	*msgs = problems(&d);
	rbm_diag_free(&d);
	return rc;
}

/* The line of rows that starts with prefix ("12:"), or "" (static, reused). */
static const char *row_line(const char *rows, const char *prefix)
{
	static char line[4096];
	size_t plen = strlen(prefix);
	for (const char *s = rows; *s;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		if (len >= plen && strncmp(s, prefix, plen) == 0) {
			if (len >= sizeof line)
				len = sizeof line - 1;
			memcpy(line, s, len);
			line[len] = '\0';
			return line;
		}
		s += len + (nl ? 1 : 0);
	}
	return "";
}

/* ---- Real workbooks ---- */

static void spec_test_workbook(void)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_xlsx *x = NULL;
	CHECK_INT(rbm_xlsx_open(SPEC, NULL, &x, &d), RBM_OK);
	CHECK_INT(rbm_xlsx_sheet_count(x), 4);
	CHECK_STR(rbm_xlsx_sheet_name(x, 0), "survey");
	CHECK_STR(rbm_xlsx_sheet_name(x, 3), "columns");
	CHECK(rbm_xlsx_sheet_name(x, 4) == NULL);
	CHECK_INT(rbm_xlsx_find_sheet(x, "survey"), 0);
	CHECK_INT(rbm_xlsx_find_sheet(x, "  Choices "), 1);
	CHECK_INT(rbm_xlsx_find_sheet(x, "SETTINGS"), 2);
	CHECK_INT(rbm_xlsx_find_sheet(x, "setting"), RBM_XLSX_NONE);
	CHECK_INT(rbm_xlsx_find_sheet(x, ""), RBM_XLSX_NONE);
	rbm_xlsx_close(x);
	CHECK_INT(d.len, 0);
	rbm_diag_free(&d);
}

static void spec_test_survey(void)
{
	char *rows, *msgs;
	enum rbm_rc rc = read_sheet(SPEC, NULL, "survey", &rows, &msgs);
	CHECK_STR(msgs, "");
	CHECK_INT(rc, RBM_OK);
	CHECK_HAS(row_line(rows, "1:"), "1:type|name|rows|repeat_count|label::english|hint|constraint|");
	CHECK_HAS(row_line(rows, "1:"), "|buttonText|noAppErrorString");
	CHECK_STR(row_line(rows, "2:"), "2:select_one yes_no|skip_to_end|||Skip to end");
	/* a number cell, and Chinese text from the shared strings */
	CHECK_STR(row_line(rows, "4:"), "4:text|my_name|#12.0||Enter your name");
	CHECK_HAS(row_line(rows, "6:"), "|ni hao|您好");
	CHECK_STR(row_line(rows, "55:"), "55:text|0|||boolean name test");
	/* the sheet's XML holds 1000 rows; the ones past 57 are all blank and not reported */
	CHECK_HAS(rows, "\n57:integer|launch|");
	CHECK_STR(strstr(rows, "\n57:") ? strchr(strstr(rows, "\n57:") + 1, '\n') : NULL, "\n");
	free(rows);
	free(msgs);
}

static void spec_test_choices_settings(void)
{
	char *rows, *msgs;
	CHECK_INT(read_sheet(SPEC, NULL, "choices", &rows, &msgs), RBM_OK);
	CHECK_STR(rows, "1:list_name|name|label|image|label::chinese\n"
			"2:yes_no|yes|Yes||是\n"
			"3:yes_no|no|No||没有\n"
			"4:a_b|a||a.jpg\n"
			"5:a_b|b||b.jpg\n");
	free(rows);
	free(msgs);
	CHECK_INT(read_sheet(SPEC, NULL, "settings", &rows, &msgs), RBM_OK);
	CHECK_STR(row_line(rows, "1:"), "1:form_title|form_id|public_key|submission_url|"
					"default_language|add_none_option|omit_instanceID|"
					"clean_text_values|instance_name");
	/* F2:H2 are boolean formulas: their cached values */
	CHECK_HAS(row_line(rows, "2:"), "2:Spec test|Spec test|MIIB");
	CHECK_HAS(row_line(rows, "2:"), "|0|0|1|");
	CHECK(strstr(rows, "\n3:") == NULL);
	free(rows);
	free(msgs);
}

static void i8n_workbook(void)
{
	char *rows, *msgs;
	CHECK_INT(read_sheet(I8N, NULL, "survey", &rows, &msgs), RBM_OK);
	CHECK_STR(row_line(rows, "1:"),
		  "1:type|name|label|label::English (en)|label::French (fr)|hint|hint::English (en)|"
		  "hint::French (fr)|constraint|constraint_message|required|appearance|default|"
		  "relevant|read_only|calculation|choice_filter");
	CHECK_STR(row_line(rows, "6:"), "6:end group|choice_filter_example");
	CHECK_HAS(row_line(rows, "7:"), "|Ceci est une réponse de base à la question vide.|");
	CHECK_STR(row_line(rows, "9:"), "9:integer|a_integer|Enter a integer:|Enter a integer:|"
					"Entrez un entier:||||||||#123");
	CHECK(strstr(rows, "\n14:") == NULL);
	free(rows);
	free(msgs);
	CHECK_INT(read_sheet(I8N, NULL, "choices", &rows, &msgs), RBM_OK);
	CHECK_STR(row_line(rows, "1:"), "1:list_name|name|label::English (en)|label::French (fr)");
	CHECK_STR(row_line(rows, "4:"), "4:yes_no|#99|Maybe|peut-être");
	CHECK_STR(row_line(rows, "10:"), "10:filter_example|#4|Option 4|Option 4");
	free(rows);
	free(msgs);
	CHECK_INT(read_sheet(I8N, NULL, "settings", &rows, &msgs), RBM_OK);
	CHECK_STR(rows, "1:form_title|form_id\n"
			"2:I8n label lang with choice filter|I8n_lang_choicefilter\n");
	free(rows);
	free(msgs);
}

/* ---- Workbooks built here ---- */

static const char WORKBOOK[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	"<workbook xmlns=\"" NS "\" xmlns:r=\"" NS_R "\">\n"
	"<sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/>"
	"<sheet name=\" Other Sheet\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>";

/* rId1 relative, rId2 absolute. */
static const char RELS[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<Relationships xmlns=\"" NS_PR "\">"
	"<Relationship Id=\"rId3\" Type=\"" REL_SST "\" Target=\"sharedStrings.xml\"/>"
	"<Relationship Id=\"rId1\" Type=\"" REL_SHEET "\" Target=\"worksheets/sheet1.xml\"/>"
	"<Relationship Id=\"rId2\" Type=\"" REL_SHEET "\" Target=\"/xl/worksheets/other.xml\"/>"
	"<Relationship Id=\"rId9\" Type=\"" NS_R "/hyperlink\" Target=\"http://example.org/\" "
	"TargetMode=\"External\"/>"
	"</Relationships>";

static const char SST[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<sst xmlns=\"" NS "\" count=\"6\" uniqueCount=\"6\">\n"
	"<si><t>plain</t></si>\n"
	"<si><r><rPr><b/></rPr><t>rich </t></r><r><t>text</t></r></si>\n"
	"<si><t>漢字</t><rPh sb=\"0\" eb=\"2\"><t>かんじ</t></rPh><phoneticPr fontId=\"1\"/></si>\n"
	"<si><t xml:space=\"preserve\">  spaced\n  </t></si>\n"
	"<si><t/></si>\n"
	"<si><t>a &amp; b &lt;c&gt;</t></si>\n"
	"</sst>";

static const char SHEET1[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<worksheet xmlns=\"" NS "\"><dimension ref=\"A1:E10\"/><sheetData>\n"
	/* a gap: A1 and D1 only */
	"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"D1\" t=\"s\"><v>1</v></c></row>\n"
	/* cells out of order; numbers; phonetic runs left out */
	"<row r=\"2\" spans=\"1:3\"><c r=\"C2\" s=\"3\"><v>2500000</v></c><c r=\"A2\" t=\"s\"><v>2</v></c>"
	"<c r=\"B2\" t=\"n\"><v>0.5</v></c></row>\n"
	/* booleans, an error, a string formula, a number formula */
	"<row r=\"3\"><c r=\"A3\" t=\"b\"><v>1</v></c><c r=\"B3\" t=\"b\"><v>0</v></c>"
	"<c r=\"C3\" t=\"e\"><v>#N/A</v></c><c r=\"D3\" t=\"str\"><f>A1&amp;\"x\"</f><v>plainx</v></c>"
	"<c r=\"E3\"><f>1/1000</f><v>1E-3</v></c></row>\n"
	/* a styled empty cell and an empty shared string: an empty row, not reported */
	"<row r=\"4\"><c r=\"A4\" s=\"1\"/><c r=\"B4\" t=\"s\"><v>4</v></c><c r=\"C4\"><v></v></c></row>\n"
	/* inline strings, plain and rich; a cell without r follows the one before */
	"<row r=\"6\"><c r=\"B6\" t=\"inlineStr\"><is><t>inline</t></is></c>"
	"<c r=\"c6\" t=\"inlineStr\"><is><r><t>in</t></r><r><t xml:space=\"preserve\">line rich</t></r>"
	"<rPh sb=\"0\" eb=\"1\"><t>x</t></rPh></is></c>"
	"<c t=\"s\"><v> 3 </v></c></row>\n"
	/* a row without r follows the one before */
	"<row><c t=\"s\"><v>5</v></c></row>\n"
	/* rows out of order come as written */
	"<row r=\"10\"><c r=\"A10\"><v>10</v></c></row>\n"
	"<row r=\"9\"><c r=\"A9\"><v>9</v></c></row>\n"
	"</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B1\"/></mergeCells></worksheet>";

/* x:-prefixed names; a foreign element that looks like a row is ignored. */
static const char OTHER[] =
	"<x:worksheet xmlns:x=\"" NS "\" xmlns:o=\"urn:other\"><x:sheetData>"
	"<x:row r=\"2\"><x:c r=\"A2\" t=\"inlineStr\"><x:is><x:t>prefixed</x:t></x:is></x:c>"
	"<x:c r=\"B2\"><x:v>42</x:v></x:c><x:c r=\"C2\" t=\"s\"><x:v>5</x:v></x:c></x:row>"
	"<o:row r=\"3\"><o:c r=\"A3\"><o:v>foreign</o:v></o:c></o:row>"
	"</x:sheetData></x:worksheet>";

static const char *features_zip(void)
{
	const struct part parts[] = {
		{"[Content_Types].xml", "<Types/>", 0},
		{"xl/workbook.xml", WORKBOOK, 0},
		{"xl/_rels/workbook.xml.rels", RELS, 0},
		{"xl/sharedStrings.xml", SST, 0},
		{"xl/worksheets/sheet1.xml", SHEET1, 0},
		{"xl/worksheets/other.xml", OTHER, 0},
	};
	return make_zip("features.xlsx", parts, sizeof parts / sizeof *parts);
}

static void built_features(void)
{
	const char *path = features_zip();
	char *rows, *msgs;
	enum rbm_rc rc = read_sheet(path, NULL, "data", &rows, &msgs);
	CHECK_STR(msgs, "");
	CHECK_INT(rc, RBM_OK);
	CHECK_STR(rows, "1:plain|||rich text\n"
			"2:漢字|#0.5|#2500000\n"
			"3:1|0|#N/A|plainx|#1E-3\n"
			"6:|inline|inline rich|  spaced\n  \n"
			"7:a & b <c>\n"
			"10:#10\n"
			"9:#9\n");
	free(rows);
	free(msgs);
}

static void built_prefixed_absolute(void)
{
	const char *path = features_zip();
	char *rows, *msgs;
	enum rbm_rc rc = read_sheet(path, NULL, "other sheet", &rows, &msgs);
	CHECK_STR(msgs, "");
	CHECK_INT(rc, RBM_OK);
	CHECK_STR(rows, "2:prefixed|#42|a & b <c>\n");
	free(rows);
	free(msgs);
}

/* A whole workbook with x: prefixes, strict-namespace shared strings, and no sheetId order. */
static void built_prefixed_workbook(void)
{
	const struct part parts[] = {
		{"xl/workbook.xml",
		 "<x:workbook xmlns:x=\"" NS "\" xmlns:rel=\"" NS_R "\"><x:sheets>"
		 "<x:sheet name=\"Zeta\" sheetId=\"7\" rel:id=\"a\"/>"
		 "<x:sheet name=\"Alpha\" sheetId=\"1\" rel:id=\"b\"/></x:sheets></x:workbook>",
		 0},
		{"xl/_rels/workbook.xml.rels",
		 "<Relationships xmlns=\"" NS_PR "\">"
		 "<Relationship Id=\"a\" Type=\"" REL_SHEET "\" Target=\"./worksheets/../worksheets/z.xml\"/>"
		 "<Relationship Id=\"b\" Type=\"" REL_SHEET "\" Target=\"/xl/worksheets/a.xml\"/>"
		 "<Relationship Id=\"s\" Type=\"" REL_SST "\" Target=\"strings/shared.xml\"/>"
		 "</Relationships>",
		 0},
		{"xl/strings/shared.xml",
		 "<sst xmlns=\"http://purl.oclc.org/ooxml/spreadsheetml/main\"><si><t>strict</t></si></sst>", 0},
		{"xl/worksheets/z.xml",
		 "<x:worksheet xmlns:x=\"" NS "\"><x:sheetData><x:row r=\"1\"><x:c r=\"B1\" t=\"s\">"
		 "<x:v>0</x:v></x:c></x:row></x:sheetData></x:worksheet>",
		 0},
		{"xl/worksheets/a.xml", "<worksheet xmlns=\"" NS "\"><sheetData/></worksheet>", 0},
	};
	const char *path = make_zip("prefixed.xlsx", parts, sizeof parts / sizeof *parts);
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_xlsx *x = NULL;
	CHECK_INT(rbm_xlsx_open(path, NULL, &x, &d), RBM_OK);
	CHECK_INT(rbm_xlsx_sheet_count(x), 2);
	CHECK_STR(rbm_xlsx_sheet_name(x, 0), "Zeta");
	CHECK_STR(rbm_xlsx_sheet_name(x, 1), "Alpha");
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	enum rbm_rc rc0 = rbm_xlsx_read_sheet(x, 0, dump_row, &b, &d);
	enum rbm_rc rc1 = rbm_xlsx_read_sheet(x, 1, dump_row, &b, &d);
	/* reading twice gives the same */
	enum rbm_rc rc2 = rbm_xlsx_read_sheet(x, 0, dump_row, &b, &d);
	rbm_xlsx_close(x);
	char *rows = rbm_buf_take(&b);
	char *msgs = problems(&d);
	rbm_diag_free(&d);
	CHECK_STR(msgs, "");
	CHECK_INT(rc0, RBM_OK);
	CHECK_INT(rc1, RBM_OK);
	CHECK_INT(rc2, RBM_OK);
	CHECK_STR(rows, "1:|strict\n1:|strict\n");
	free(rows);
	free(msgs);
}

/* No shared strings at all; a sheet whose relationship is missing fails only when read. */
static void built_minimal(void)
{
	const struct part parts[] = {
		{"xl/workbook.xml",
		 "<workbook xmlns=\"" NS "\" xmlns:r=\"" NS_R "\"><sheets>"
		 "<sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Lost\" sheetId=\"2\" r:id=\"rId5\"/>"
		 "<sheet name=\"Gone\" sheetId=\"3\" r:id=\"rId2\"/></sheets></workbook>",
		 0},
		{"xl/_rels/workbook.xml.rels",
		 "<Relationships xmlns=\"" NS_PR "\">"
		 "<Relationship Id=\"rId1\" Type=\"" REL_SHEET "\" Target=\"worksheets/sheet1.xml\"/>"
		 "<Relationship Id=\"rId2\" Type=\"" REL_SHEET "\" Target=\"worksheets/sheet2.xml\"/>"
		 "</Relationships>",
		 0},
		{"xl/worksheets/sheet1.xml",
		 "<worksheet xmlns=\"" NS "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>only</t>"
		 "</is></c></row></sheetData></worksheet>",
		 0},
	};
	const char *path = make_zip("minimal.xlsx", parts, sizeof parts / sizeof *parts);
	char *rows, *msgs;
	CHECK_INT(read_sheet(path, NULL, "s", &rows, &msgs), RBM_OK);
	CHECK_STR(rows, "1:only\n");
	free(rows);
	free(msgs);
	CHECK_INT(read_sheet(path, NULL, "lost", &rows, &msgs), RBM_EINVAL);
	CHECK_STR(msgs, "minimal.xlsx: xl/_rels/workbook.xml.rels: no part for sheet \"Lost\" (r:id rId5)\n");
	free(rows);
	free(msgs);
	CHECK_INT(read_sheet(path, NULL, "gone", &rows, &msgs), RBM_EINVAL);
	CHECK_STR(msgs, "minimal.xlsx: xl/worksheets/sheet2.xml: missing, though sheet \"Gone\" is there\n");
	free(rows);
	free(msgs);

	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_xlsx *x = NULL;
	CHECK_INT(rbm_xlsx_open(path, NULL, &x, &d), RBM_OK);
	CHECK_INT(rbm_xlsx_read_sheet(x, 3, dump_row, NULL, &d), RBM_EINVAL);
	rbm_xlsx_close(x);
	msgs = problems(&d);
	rbm_diag_free(&d);
	CHECK_STR(msgs, "minimal.xlsx: there is no sheet 4 (the workbook has 3)\n");
	free(msgs);
}

/* A callback that stops at row 2 with its own rc. */
static enum rbm_rc stop_at_2(void *ctx, size_t row, const struct rbm_xlsx_cell *cells, size_t n)
{
	size_t *seen = ctx;
	(void)cells;
	(void)n;
	*seen = row;
	return row == 2 ? RBM_ECONFLICT : RBM_OK;
}

static void callback_stops(void)
{
	const char *path = features_zip();
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_xlsx *x = NULL;
	CHECK_INT(rbm_xlsx_open(path, NULL, &x, &d), RBM_OK);
	size_t seen = 0;
	enum rbm_rc rc = rbm_xlsx_read_sheet(x, 0, stop_at_2, &seen, &d);
	rbm_xlsx_close(x);
	CHECK_INT(rc, RBM_ECONFLICT);
	CHECK_INT(seen, 2);
	CHECK_INT(d.len, 0);
	rbm_diag_free(&d);
}

/* ---- Bad input ---- */

/* Opens path; returns rc and the problems in *msgs. */
static enum rbm_rc open_fails(const char *path, const struct rbm_xlsx_limits *lim, char **msgs)
{
	struct rbm_diag d;
	rbm_diag_init(&d);
	struct rbm_xlsx *x = NULL;
	enum rbm_rc rc = rbm_xlsx_open(path, lim, &x, &d);
	rbm_xlsx_close(x);
	*msgs = problems(&d);
	rbm_diag_free(&d);
	return rc;
}

static void bad_not_zip(void)
{
	const char *text = "type,name,label\ntext,q1,Question\n";
	const char *path = test_write_file("form.xlsx", text, strlen(text));
	char *msgs;
	CHECK_INT(open_fails(path, NULL, &msgs), RBM_EINVAL);
	CHECK_STR(msgs, "form.xlsx: not an .xlsx file: not a zip archive, or a truncated one "
			"(Not a zip archive)\n");
	free(msgs);
	CHECK_INT(open_fails("tests/cases/no-such-file.xlsx", NULL, &msgs), RBM_ENOENT);
	CHECK_STR(msgs, "no-such-file.xlsx: cannot open: no such file\n");
	free(msgs);
}

static void bad_truncated(void)
{
	size_t len;
	char *data = test_read_file(features_zip(), &len);
	CHECK(data != NULL);
	const char *path = test_write_file("half.xlsx", data, len / 2);
	free(data);
	char *msgs;
	CHECK_INT(open_fails(path, NULL, &msgs), RBM_EINVAL);
	CHECK_HAS(msgs, "half.xlsx: not an .xlsx file: not a zip archive, or a truncated one");
	free(msgs);
}

static void bad_no_workbook(void)
{
	const struct part parts[] = {{"word/document.xml", "<document/>", 0}};
	const char *path = make_zip("letter.xlsx", parts, 1);
	char *msgs;
	CHECK_INT(open_fails(path, NULL, &msgs), RBM_EINVAL);
	CHECK_STR(msgs, "letter.xlsx: xl/workbook.xml: missing: not an Excel workbook (.xlsx)\n");
	free(msgs);

	const struct part no_rels[] = {{"xl/workbook.xml", WORKBOOK, 0}};
	path = make_zip("norels.xlsx", no_rels, 1);
	CHECK_INT(open_fails(path, NULL, &msgs), RBM_EINVAL);
	CHECK_STR(msgs, "norels.xlsx: xl/_rels/workbook.xml.rels: missing, so the sheets cannot be found\n");
	free(msgs);
}

static void bad_xml(void)
{
	const struct part parts[] = {
		{"xl/workbook.xml", WORKBOOK, 0},
		{"xl/_rels/workbook.xml.rels", RELS, 0},
		{"xl/sharedStrings.xml", SST, 0},
		{"xl/worksheets/sheet1.xml",
		 "<worksheet xmlns=\"" NS "\">\n<sheetData>\n"
		 "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>\n"
		 "<row r=\"2\"><c r=\"A2\"><v>2</v></row>\n"
		 "</sheetData></worksheet>",
		 0},
		{"xl/worksheets/other.xml", "<worksheet xmlns=\"" NS "\"><sheetData>\n<row>", 0},
	};
	const char *path = make_zip("broken.xlsx", parts, sizeof parts / sizeof *parts);
	char *rows, *msgs;
	CHECK_INT(read_sheet(path, NULL, "Data", &rows, &msgs), RBM_EINVAL);
	CHECK_STR(rows, "1:#1\n");
	CHECK_STR(msgs, "broken.xlsx: xl/worksheets/sheet1.xml: line 4, column 32: mismatched tag\n");
	free(rows);
	free(msgs);
	/* an entry that ends early */
	CHECK_INT(read_sheet(path, NULL, "Other Sheet", &rows, &msgs), RBM_EINVAL);
	CHECK_STR(msgs, "broken.xlsx: xl/worksheets/other.xml: line 2, column 6: no element found\n");
	free(rows);
	free(msgs);

	/* malformed shared strings fail the open */
	const struct part bad_sst[] = {
		{"xl/workbook.xml", WORKBOOK, 0},
		{"xl/_rels/workbook.xml.rels", RELS, 0},
		{"xl/sharedStrings.xml", "<sst xmlns=\"" NS "\"><si><t>a & b</t></si></sst>", 0},
	};
	path = make_zip("badsst.xlsx", bad_sst, 3);
	CHECK_INT(open_fails(path, NULL, &msgs), RBM_EINVAL);
	CHECK_STR(msgs, "badsst.xlsx: xl/sharedStrings.xml: line 1, column 82: not well-formed (invalid token)\n");
	free(msgs);
}

/* Sheet XML that parses, but says impossible things. */
static void bad_cells(void)
{
	static const struct {
		const char *row;
		const char *msg;
	} cases[] = {
		{"<row r=\"1\"><c r=\"A1\" t=\"s\"><v>6</v></c></row>",
		 "cell A1: shared string 6 does not exist (there are 6)"},
		{"<row r=\"1\"><c r=\"B1\" t=\"s\"><v>x</v></c></row>",
		 "cell B1: shared string index \"x\" is not a number"},
		{"<row r=\"0\"><c r=\"A1\"><v>1</v></c></row>", "row number \"0\" is not a positive number"},
		{"<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>", "\"1A\" is not a cell reference"},
		{"<row r=\"1\"><c r=\"XFE1\"><v>1</v></c></row>", "cell XFE1 is past the limit of 16384 columns"},
		{"<row r=\"1\"><c r=\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1\"><v>1</v></c></row>",
		 "cell AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA1 is past the limit of 16384 columns"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *sheet = rbm_xasprintf("<worksheet xmlns=\"" NS "\">\n<sheetData>%s</sheetData></worksheet>",
					    cases[i].row);
		const struct part parts[] = {
			{"xl/workbook.xml", WORKBOOK, 0},
			{"xl/_rels/workbook.xml.rels", RELS, 0},
			{"xl/sharedStrings.xml", SST, 0},
			{"xl/worksheets/sheet1.xml", sheet, 0},
		};
		const char *path = make_zip("cells.xlsx", parts, 4);
		free(sheet);
		char *rows, *msgs;
		enum rbm_rc rc = read_sheet(path, NULL, "Data", &rows, &msgs);
		char *want = rbm_xasprintf("cells.xlsx: xl/worksheets/sheet1.xml: line 2: %s\n", cases[i].msg);
		bool ok = (rc == RBM_EINVAL || rc == RBM_ETOOBIG) && strcmp(msgs, want) == 0 && rows[0] == '\0';
		if (!ok)
			printf("# case %zu: rc %d, rows \"%s\"\n#   got  %s#   want %s", i, (int)rc, rows, msgs, want);
		free(want);
		free(rows);
		free(msgs);
		CHECK(ok);
	}
}

/* A DOCTYPE is refused, so entity expansion (billion laughs) cannot start. */
static void bad_doctype(void)
{
	const struct part parts[] = {
		{"xl/workbook.xml",
		 "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		 "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>\n"
		 "<workbook xmlns=\"" NS "\"><sheets><sheet name=\"&lol2;\"/></sheets></workbook>",
		 0},
	};
	const char *path = make_zip("lol.xlsx", parts, 1);
	char *msgs;
	CHECK_INT(open_fails(path, NULL, &msgs), RBM_EINVAL);
	CHECK_STR(msgs, "lol.xlsx: xl/workbook.xml: line 2: a DOCTYPE is not allowed in a workbook\n");
	free(msgs);
}

/* A sheet of SIZE bytes: an empty worksheet padded with spaces, which compress ~1000:1. */
#define BOMB_SIZE ((size_t)8 << 20)

static const char *bomb_zip(void)
{
	char *sheet = rbm_xmalloc(BOMB_SIZE);
	static const char head[] = "<worksheet xmlns=\"" NS "\"><sheetData>";
	static const char tail[] = "</sheetData></worksheet>";
	memset(sheet, ' ', BOMB_SIZE);
	memcpy(sheet, head, sizeof head - 1);
	memcpy(sheet + BOMB_SIZE - (sizeof tail - 1), tail, sizeof tail - 1);
	const struct part parts[] = {
		{"xl/workbook.xml", WORKBOOK, 0},
		{"xl/_rels/workbook.xml.rels", RELS, 0},
		{"xl/sharedStrings.xml", SST, 0},
		{"xl/worksheets/sheet1.xml", sheet, BOMB_SIZE},
	};
	const char *path = make_zip("bomb.xlsx", parts, 4);
	free(sheet);
	return path;
}

static void bad_zip_bomb(void)
{
	const char *path = bomb_zip();
	char *rows, *msgs;
	CHECK_INT(read_sheet(path, NULL, "Data", &rows, &msgs), RBM_ETOOBIG);
	CHECK_HAS(msgs, "bomb.xlsx: xl/worksheets/sheet1.xml: uncompressed size 8 MiB exceeds 200 times "
			"its compressed size ");
	CHECK_HAS(msgs, " (a zip bomb?)\n");
	free(rows);
	free(msgs);
	/* the ratio allowed, the size not */
	struct rbm_xlsx_limits lim = {.max_ratio = 100000, .max_entry_bytes = (size_t)4 << 20};
	CHECK_INT(read_sheet(path, &lim, "Data", &rows, &msgs), RBM_ETOOBIG);
	CHECK_STR(msgs, "bomb.xlsx: xl/worksheets/sheet1.xml: uncompressed size 8 MiB exceeds the limit "
			"of 4 MiB\n");
	free(rows);
	free(msgs);
	/* the limits apply at open too: the workbook part itself */
	lim = (struct rbm_xlsx_limits){.max_entry_bytes = 100};
	CHECK_INT(open_fails(path, &lim, &msgs), RBM_ETOOBIG);
	CHECK_HAS(msgs, "bomb.xlsx: xl/workbook.xml: uncompressed size ");
	CHECK_HAS(msgs, " bytes exceeds the limit of 100 bytes\n");
	free(msgs);
}

/* Finds the central directory record of name in a zip and sets its uncompressed size. */
static bool patch_central_size(char *zip, size_t len, const char *name, uint32_t size)
{
	size_t nlen = strlen(name);
	for (size_t i = 0; i + 46 + nlen <= len; i++) {
		if (memcmp(zip + i, "PK\1\2", 4) != 0)
			continue;
		unsigned char *h = (unsigned char *)zip + i;
		size_t fnlen = (size_t)h[28] | (size_t)h[29] << 8;
		if (fnlen == nlen && memcmp(h + 46, name, nlen) == 0) {
			for (int k = 0; k < 4; k++)
				h[24 + k] = (unsigned char)(size >> (8 * k));
			return true;
		}
	}
	return false;
}

/* The central directory says 100 bytes; the entry inflates to far more. */
static void bad_lying_header(void)
{
	char *sheet = rbm_xmalloc(BOMB_SIZE);
	memset(sheet, ' ', BOMB_SIZE);
	memcpy(sheet, "<worksheet>", 11);
	const struct part parts[] = {
		{"xl/workbook.xml", WORKBOOK, 0},
		{"xl/_rels/workbook.xml.rels", RELS, 0},
		{"xl/sharedStrings.xml", SST, 0},
		{"xl/worksheets/sheet1.xml", sheet, BOMB_SIZE},
	};
	size_t len;
	char *data = test_read_file(make_zip("liar.xlsx", parts, 4), &len);
	free(sheet);
	CHECK(data != NULL);
	bool patched = patch_central_size(data, len, "xl/worksheets/sheet1.xml", 100);
	const char *path = test_write_file("liar.xlsx", data, len);
	free(data);
	CHECK(patched);
	char *rows, *msgs;
	CHECK_INT(read_sheet(path, NULL, "Data", &rows, &msgs), RBM_EINVAL);
	CHECK_STR(msgs, "liar.xlsx: xl/worksheets/sheet1.xml: inflates to more than the 100 bytes its "
			"zip header states (a zip bomb?)\n");
	free(rows);
	free(msgs);
}

/* A byte changed inside a stored entry: the XML is fine, the CRC is not. */
static void bad_corrupt_entry(void)
{
	const struct part parts[] = {
		{"xl/workbook.xml", WORKBOOK, 0},
		{"xl/_rels/workbook.xml.rels", RELS, 0},
		{"xl/sharedStrings.xml", SST, 0},
		{"xl/worksheets/sheet1.xml", SHEET1, 0},
	};
	size_t len;
	char *data = test_read_file(make_zip_stored("crc.xlsx", parts, 4, "xl/worksheets/sheet1.xml"), &len);
	CHECK(data != NULL);
	char *at = NULL;
	for (size_t i = 0; i + 10 <= len && at == NULL; i++)
		if (memcmp(data + i, "<v>2500000", 10) == 0)
			at = data + i + 3;
	if (at)
		*at = '3';
	const char *path = test_write_file("crc.xlsx", data, len);
	free(data);
	CHECK(at != NULL);
	char *rows, *msgs;
	CHECK_INT(read_sheet(path, NULL, "Data", &rows, &msgs), RBM_EINVAL);
	CHECK_STR(msgs, "crc.xlsx: xl/worksheets/sheet1.xml: corrupt or truncated: CRC error\n");
	free(rows);
	free(msgs);
}

static void bad_limits(void)
{
	const char *path = features_zip();
	char *rows, *msgs;
	/* "rich text", shared string 1, is 9 bytes */
	struct rbm_xlsx_limits lim = {.max_cell_bytes = 8};
	CHECK_INT(read_sheet(path, &lim, "Data", &rows, &msgs), RBM_ETOOBIG);
	CHECK_STR(msgs, "features.xlsx: xl/sharedStrings.xml: line 4: shared string 1 is longer than "
			"8 bytes\n");
	free(rows);
	free(msgs);
	lim = (struct rbm_xlsx_limits){.max_columns = 3};
	CHECK_INT(read_sheet(path, &lim, "Data", &rows, &msgs), RBM_ETOOBIG);
	CHECK_STR(rows, "");
	CHECK_STR(msgs, "features.xlsx: xl/worksheets/sheet1.xml: line 3: cell D1 is past the limit "
			"of 3 columns\n");
	free(rows);
	free(msgs);

	const struct part parts[] = {
		{"xl/workbook.xml", WORKBOOK, 0},
		{"xl/_rels/workbook.xml.rels",
		 "<Relationships xmlns=\"" NS_PR "\">"
		 "<Relationship Id=\"rId1\" Type=\"" REL_SHEET "\" Target=\"worksheets/sheet1.xml\"/>"
		 "</Relationships>",
		 0},
		{"xl/worksheets/sheet1.xml",
		 "<worksheet xmlns=\"" NS "\"><sheetData>\n"
		 "<row><c t=\"inlineStr\"><is><t>1234567</t></is></c><c><v>12345678</v></c></row>\n"
		 "<row><c/><c/><c/><c/></row>\n"
		 "</sheetData></worksheet>",
		 0},
	};
	path = make_zip("limits.xlsx", parts, 3);
	lim = (struct rbm_xlsx_limits){.max_cell_bytes = 7};
	CHECK_INT(read_sheet(path, &lim, "Data", &rows, &msgs), RBM_ETOOBIG);
	CHECK_STR(msgs, "limits.xlsx: xl/worksheets/sheet1.xml: line 2: cell B1 is longer than 7 bytes\n");
	free(rows);
	free(msgs);
	lim = (struct rbm_xlsx_limits){.max_columns = 3};
	CHECK_INT(read_sheet(path, &lim, "Data", &rows, &msgs), RBM_ETOOBIG);
	CHECK_STR(rows, "1:1234567|#12345678\n");
	CHECK_STR(msgs, "limits.xlsx: xl/worksheets/sheet1.xml: line 3: row 2 has more than 3 cells\n");
	free(rows);
	free(msgs);
}

TEST_MAIN(T(spec_test_workbook), T(spec_test_survey), T(spec_test_choices_settings),
	  T(i8n_workbook), T(built_features), T(built_prefixed_absolute), T(built_prefixed_workbook),
	  T(built_minimal), T(callback_stops), T(bad_not_zip), T(bad_truncated), T(bad_no_workbook),
	  T(bad_xml), T(bad_doctype), T(bad_cells), T(bad_zip_bomb), T(bad_lying_header), T(bad_corrupt_entry),
	  T(bad_limits))
