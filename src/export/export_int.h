/*
 * export_int.h - what src/export/'s files share: number text, the C
 * numeric locale, and the writers behind rbm_export_render().
 */
#ifndef RBM_EXPORT_EXPORT_INT_H
#define RBM_EXPORT_EXPORT_INT_H

#include "table.h"

#include <locale.h>

/* The C numeric locale for the calling thread, whatever setlocale() chose ('.' decimals). */
struct rbm_export__locale {
	locale_t c, old;
};
void rbm_export__locale_enter(struct rbm_export__locale *l);
void rbm_export__locale_leave(struct rbm_export__locale *l);

#define RBM_EXPORT__NUMBER_MAX 40

/*
 * x as the shortest decimal text that reads back to the same double:
 * "2900000", "0.1", "33.333333333333336", "1e+300"; whole numbers below
 * 1e15 without exponent or point. Needs the C numeric locale.
 */
void rbm_export__number(double x, char out[RBM_EXPORT__NUMBER_MAX]);

/* The status codes of the indicator level ("on_track", ...), by enum rbm_attain. */
const char *rbm_export__status(enum rbm_attain a);

/* t as CSV, or as JSON, appended to out; RBM_ETOOBIG when out's cap is passed. */
enum rbm_rc rbm_export__csv(const struct rbm_export_table *t, struct rbm_buf *out);
enum rbm_rc rbm_export__json(const struct rbm_export_table *t, struct rbm_buf *out);

/* The workbook of tables, written to path (created or truncated); problems in d. */
enum rbm_rc rbm_export__xlsx(const struct rbm_export_table *const *tables, size_t n,
			     const char *path, struct rbm_diag *d);

/*
 * data (len bytes) into path whole or not at all: a temporary file beside
 * it, then renamed over it. RBM_EIO with "PATH: cannot create: REASON" or
 * "PATH: cannot write: REASON" in d.
 */
enum rbm_rc rbm_export__write_file(const char *path, const void *data, size_t len,
				   struct rbm_diag *d);

/* The temporary name beside path that rbm_export__write_file uses (free() it). */
char *rbm_export__part_name(const char *path);

#endif
