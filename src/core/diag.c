/*
 * diag.c - collecting and printing problem reports.
 */
#include "diag.h"

#include "alloc.h"
#include "buf.h"

#include <stdarg.h>
#include <stdlib.h>

void rbm_diag_init(struct rbm_diag *d)
{
	d->entries = NULL;
	d->len = d->cap = d->dropped = 0;
	d->max = RBM_DIAG_MAX;
}

void rbm_diag_free(struct rbm_diag *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->len; i++) {
		free(d->entries[i].file);
		free(d->entries[i].where);
		free(d->entries[i].reason);
	}
	free(d->entries);
	d->entries = NULL;
	d->len = d->cap = d->dropped = 0;
}

void rbm_diag_add(struct rbm_diag *d, const char *file, const char *where,
		  const char *fmt, ...)
{
	if (d == NULL)
		return;
	if (d->len >= (d->max ? d->max : RBM_DIAG_MAX)) {
		d->dropped++;
		return;
	}
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	va_list ap;
	va_start(ap, fmt);
	rbm_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	rbm_xgrow(&d->entries, &d->cap, d->len + 1, sizeof *d->entries);
	struct rbm_diag_entry *e = &d->entries[d->len++];
	e->file = file ? rbm_xstrdup(file) : NULL;
	e->where = where ? rbm_xstrdup(where) : NULL;
	e->reason = rbm_buf_take(&b);
}

size_t rbm_diag_count(const struct rbm_diag *d)
{
	return d->len + d->dropped;
}

void rbm_diag_print(const struct rbm_diag *d, FILE *out, const char *prefix)
{
	for (size_t i = 0; i < d->len; i++) {
		const struct rbm_diag_entry *e = &d->entries[i];
		fputs(prefix ? prefix : "", out);
		if (e->file)
			fprintf(out, "%s: ", e->file);
		if (e->where)
			fprintf(out, "%s: ", e->where);
		fprintf(out, "%s\n", e->reason);
	}
	if (d->dropped)
		fprintf(out, "%s... and %zu more problem%s\n", prefix ? prefix : "",
			d->dropped, d->dropped == 1 ? "" : "s");
}
