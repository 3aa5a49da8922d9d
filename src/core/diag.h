/*
 * diag.h - user-facing problem reports.
 *
 * A struct rbm_diag collects problems where they are found, each with the
 * file, the place in it (a JSON path, or a row and column), the field and
 * the reason. Importers and loaders record every problem and commit nothing
 * when there is any. Past RBM_DIAG_MAX entries only a count is kept.
 *
 * Printed form, one line each:  FILE: WHERE: reason
 */
#ifndef RBM_CORE_DIAG_H
#define RBM_CORE_DIAG_H

#include "rbm.h"

#include <stdio.h>

#define RBM_DIAG_MAX 1000

struct rbm_diag_entry {
	char *file;  /* may be NULL */
	char *where; /* JSON path, "row 3, column 2", "line 7", ...; may be NULL */
	char *reason;
};

struct rbm_diag {
	struct rbm_diag_entry *entries;
	size_t len;
	size_t cap;
	size_t dropped; /* problems past RBM_DIAG_MAX */
	size_t max;     /* 0: RBM_DIAG_MAX */
};

void rbm_diag_init(struct rbm_diag *d);
void rbm_diag_free(struct rbm_diag *d);
/* Adds a problem. file and where may be NULL. */
void rbm_diag_add(struct rbm_diag *d, const char *file, const char *where,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
size_t rbm_diag_count(const struct rbm_diag *d);
/* Prints every entry as "prefix" FILE: WHERE: reason, then a count of dropped ones. */
void rbm_diag_print(const struct rbm_diag *d, FILE *out, const char *prefix);

#endif
