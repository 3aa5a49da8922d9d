/*
 * export_json.c - a table as one JSON object:
 *
 *   {"cycle": 2021, "level": "value", "lang": "en", "plan": "CODE",
 *    "columns": [{"name": ..., "type": ..., "required": ..., "description": ...}, ...],
 *    "rows": [{"cycle": 2021, "domain": "1", ..., "quarter": null, ...}, ...]}
 *
 * Every row has every column, in column order, null for null; year and
 * integer columns are JSON integers. Written here rather than through
 * jansson because jansson prints every real at one fixed precision: this
 * way numbers have the same shortest exact text as in the CSV ("0.1", not
 * "0.10000000000000001"). Strings are escaped per RFC 8259 (quote,
 * backslash, control characters); the table's strings are valid UTF-8
 * already (table.c replaces bad bytes). One column or row per line.
 */
#include "export_int.h"

#include <stdio.h>
#include <string.h>

struct w {
	struct rbm_buf *b;
	bool full;
};

static void add(struct w *w, const char *s, size_t n)
{
	if (!w->full && rbm_buf_add(w->b, s, n) != RBM_OK)
		w->full = true;
}

static void adds(struct w *w, const char *s)
{
	add(w, s, strlen(s));
}

static void str(struct w *w, const char *s)
{
	add(w, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t run = 0;
		while (p[run] >= 0x20 && p[run] != '"' && p[run] != '\\')
			run++;
		add(w, (const char *)p, run);
		p += run;
		if (*p == '\0')
			break;
		char esc[8];
		switch (*p) {
		case '"': adds(w, "\\\""); break;
		case '\\': adds(w, "\\\\"); break;
		case '\n': adds(w, "\\n"); break;
		case '\r': adds(w, "\\r"); break;
		case '\t': adds(w, "\\t"); break;
		case '\b': adds(w, "\\b"); break;
		case '\f': adds(w, "\\f"); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04x", *p);
			adds(w, esc);
		}
		p++;
	}
	add(w, "\"", 1);
}

enum rbm_rc rbm_export__json(const struct rbm_export_table *t, struct rbm_buf *out)
{
	struct w w = {out, false};
	size_t before = out->len;
	char num[RBM_EXPORT__NUMBER_MAX];
	snprintf(num, sizeof num, "%d", t->cycle);
	adds(&w, "{\"cycle\": ");
	adds(&w, num);
	adds(&w, ", \"level\": ");
	str(&w, rbm_export_level_name(t->level));
	adds(&w, ", \"lang\": ");
	str(&w, rbm_lang_tag(t->lang));
	adds(&w, ", \"plan\": ");
	str(&w, t->plan_code ? t->plan_code : "");
	adds(&w, ",\n \"columns\": [");
	for (size_t c = 0; c < t->columns_len; c++) {
		const struct rbm_export_column *col = &t->columns[c];
		adds(&w, c ? ",\n  {\"name\": " : "\n  {\"name\": ");
		str(&w, col->name);
		adds(&w, ", \"type\": ");
		str(&w, rbm_export_type_name(col->type));
		adds(&w, col->required ? ", \"required\": true" : ", \"required\": false");
		adds(&w, ", \"description\": ");
		str(&w, col->description);
		adds(&w, "}");
	}
	adds(&w, "],\n \"rows\": [");
	for (size_t r = 0; r < t->rows_len && !w.full; r++) {
		adds(&w, r ? ",\n  {" : "\n  {");
		for (size_t c = 0; c < t->columns_len; c++) {
			const struct rbm_export_cell *x = rbm_export_cell(t, r, c);
			if (c)
				adds(&w, ", ");
			str(&w, t->columns[c].name);
			adds(&w, ": ");
			if (x->null) {
				adds(&w, "null");
			} else if (t->columns[c].type == RBM_EXPORT_STRING) {
				str(&w, x->s ? x->s : "");
			} else {
				rbm_export__number(x->x, num);
				adds(&w, num[0] ? num : "null");
			}
		}
		adds(&w, "}");
	}
	adds(&w, "]}\n");
	if (w.full) {
		out->len = before;
		if (out->data)
			out->data[before] = '\0';
		return RBM_ETOOBIG;
	}
	return RBM_OK;
}
