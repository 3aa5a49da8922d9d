/*
 * export_csv.c - a table as CSV (RFC 4180): a header row of the column
 * names, then one record per row; CRLF line ends, UTF-8 with no byte-order
 * mark, fields quoted only when they hold a comma, a quote or a line
 * break; null is an empty field, numbers as rbm_export__number() writes
 * them. The caller holds the C numeric locale.
 */
#include "export_int.h"

#include <string.h>

struct w {
	struct rbm_buf *b;
	bool full; /* an append passed the buffer's cap */
};

static void add(struct w *w, const char *s, size_t n)
{
	if (!w->full && rbm_buf_add(w->b, s, n) != RBM_OK)
		w->full = true;
}

static void field(struct w *w, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		add(w, s, strlen(s));
		return;
	}
	add(w, "\"", 1);
	for (const char *p = s; *p;) {
		size_t run = strcspn(p, "\"");
		add(w, p, run);
		p += run;
		if (*p == '"') {
			add(w, "\"\"", 2);
			p++;
		}
	}
	add(w, "\"", 1);
}

enum rbm_rc rbm_export__csv(const struct rbm_export_table *t, struct rbm_buf *out)
{
	struct w w = {out, false};
	size_t before = out->len;
	for (size_t c = 0; c < t->columns_len; c++) {
		if (c)
			add(&w, ",", 1);
		field(&w, t->columns[c].name);
	}
	add(&w, "\r\n", 2);
	char num[RBM_EXPORT__NUMBER_MAX];
	for (size_t r = 0; r < t->rows_len && !w.full; r++) {
		for (size_t c = 0; c < t->columns_len; c++) {
			const struct rbm_export_cell *x = rbm_export_cell(t, r, c);
			if (c)
				add(&w, ",", 1);
			if (x->null)
				continue;
			if (t->columns[c].type == RBM_EXPORT_STRING) {
				field(&w, x->s ? x->s : "");
			} else {
				rbm_export__number(x->x, num);
				add(&w, num, strlen(num));
			}
		}
		add(&w, "\r\n", 2);
	}
	if (w.full) {
		out->len = before;
		if (out->data)
			out->data[before] = '\0';
		return RBM_ETOOBIG;
	}
	return RBM_OK;
}
