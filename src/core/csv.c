/*
 * csv.c - streaming RFC 4180 reader.
 */
#include "csv.h"

#include "alloc.h"
#include "buf.h"
#include "utf8.h"

#include <stdlib.h>
#include <string.h>

struct rbm_csv {
	FILE *f;
	char *name;
	size_t line;        /* current physical line */
	size_t record_line; /* first line of the last record */
	size_t max_field;
	size_t max_fields;
	bool started;
	struct rbm_buf text;   /* all fields, NUL-separated */
	size_t *offsets;       /* start of each field in text */
	size_t offsets_cap;
	char **fields;
	size_t fields_cap;
};

struct rbm_csv *rbm_csv_open(FILE *f, const char *name)
{
	struct rbm_csv *c = rbm_xcalloc(1, sizeof *c);
	c->f = f;
	c->name = rbm_xstrdup(name ? name : "-");
	c->line = 1;
	c->max_field = 1 << 20;
	c->max_fields = 10000;
	rbm_buf_init(&c->text, 0);
	return c;
}

void rbm_csv_close(struct rbm_csv *c)
{
	if (c == NULL)
		return;
	rbm_buf_free(&c->text);
	free(c->offsets);
	free(c->fields);
	free(c->name);
	free(c);
}

void rbm_csv_set_limits(struct rbm_csv *c, size_t max_field, size_t max_fields)
{
	c->max_field = max_field;
	c->max_fields = max_fields;
}

size_t rbm_csv_line(const struct rbm_csv *c)
{
	return c->record_line;
}

static enum rbm_rc end_field(struct rbm_csv *c, size_t *nf, size_t start, struct rbm_diag *d)
{
	if (*nf >= c->max_fields) {
		rbm_diag_add(d, c->name, NULL, "line %zu: more than %zu fields", c->record_line,
			     c->max_fields);
		return RBM_EINVAL;
	}
	rbm_xgrow(&c->offsets, &c->offsets_cap, *nf + 1, sizeof *c->offsets);
	c->offsets[(*nf)++] = start;
	return rbm_buf_addc(&c->text, '\0');
}

enum rbm_rc rbm_csv_next(struct rbm_csv *c, char ***fields, size_t *n, struct rbm_diag *d)
{
	int ch;
	if (!c->started) {
		c->started = true;
		int b0 = getc(c->f);
		if (b0 == 0xEF) {
			int b1 = getc(c->f), b2 = getc(c->f);
			if (b1 != 0xBB || b2 != 0xBF) {
				rbm_diag_add(d, c->name, "line 1", "not valid UTF-8 at the start of the file");
				return RBM_EINVAL;
			}
		} else if (b0 != EOF) {
			ungetc(b0, c->f);
		}
	}
	rbm_buf_reset(&c->text);
	size_t nf = 0, start = 0, flen = 0;
	bool quoted = false, after_quote = false, any = false;
	c->record_line = c->line;
	for (;;) {
		ch = getc(c->f);
		if (ch == EOF) {
			if (ferror(c->f)) {
				rbm_diag_add(d, c->name, NULL, "read error at line %zu", c->line);
				return RBM_EIO;
			}
			if (quoted) {
				rbm_diag_add(d, c->name, NULL,
					     "line %zu: a quoted field is not closed before the end of the file",
					     c->record_line);
				return RBM_EINVAL;
			}
			if (!any)
				return RBM_ENOENT;
			break;
		}
		any = true;
		if (quoted) {
			if (ch == '"') {
				int next = getc(c->f);
				if (next == '"') {
					ch = '"';
				} else {
					if (next != EOF)
						ungetc(next, c->f);
					quoted = false;
					after_quote = true;
					continue;
				}
			} else if (ch == '\n') {
				c->line++;
			}
		} else {
			if (ch == ',') {
				if (end_field(c, &nf, start, d) != RBM_OK)
					return RBM_EINVAL;
				start = c->text.len;
				flen = 0;
				after_quote = false;
				continue;
			}
			if (ch == '\r') {
				int next = getc(c->f);
				if (next != '\n' && next != EOF)
					ungetc(next, c->f);
				c->line++;
				break;
			}
			if (ch == '\n') {
				c->line++;
				break;
			}
			if (ch == '"' && flen == 0 && !after_quote) {
				quoted = true;
				continue;
			}
			if (after_quote) {
				rbm_diag_add(d, c->name, NULL,
					     "line %zu, field %zu: text after a closing quote", c->record_line,
					     nf + 1);
				return RBM_EINVAL;
			}
		}
		if (++flen > c->max_field) {
			rbm_diag_add(d, c->name, NULL, "line %zu, field %zu: longer than %zu bytes",
				     c->record_line, nf + 1, c->max_field);
			return RBM_EINVAL;
		}
		if (rbm_buf_addc(&c->text, (char)ch) != RBM_OK) {
			rbm_diag_add(d, c->name, NULL, "line %zu: record too large", c->record_line);
			return RBM_ETOOBIG;
		}
	}
	if (end_field(c, &nf, start, d) != RBM_OK)
		return RBM_EINVAL;
	rbm_xgrow(&c->fields, &c->fields_cap, nf, sizeof *c->fields);
	for (size_t i = 0; i < nf; i++) {
		c->fields[i] = c->text.data + c->offsets[i];
		size_t bad;
		size_t len = (i + 1 < nf ? c->offsets[i + 1] - 1 : c->text.len - 1) - c->offsets[i];
		if (!rbm_utf8_valid(c->fields[i], len, &bad)) {
			rbm_diag_add(d, c->name, NULL,
				     "line %zu, field %zu: not valid UTF-8 (byte 0x%02X at offset %zu); save the file as UTF-8",
				     c->record_line, i + 1, (unsigned char)c->fields[i][bad], bad);
			return RBM_EINVAL;
		}
	}
	*fields = c->fields;
	*n = nf;
	return RBM_OK;
}
