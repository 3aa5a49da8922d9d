/*
 * csv.h - a streaming RFC 4180 reader.
 *
 * Reads one record at a time from a FILE with bounded memory: a UTF-8 BOM at
 * the start is skipped, CRLF and LF both end records, quoted fields may hold
 * commas, quotes ("") and line breaks. A field longer than max_field bytes
 * or a record with more than max_fields fields is an error, not a crash.
 */
#ifndef RBM_CORE_CSV_H
#define RBM_CORE_CSV_H

#include "diag.h"
#include "rbm.h"

#include <stdio.h>

struct rbm_csv;

struct rbm_csv *rbm_csv_open(FILE *f, const char *name);
void rbm_csv_close(struct rbm_csv *c);
void rbm_csv_set_limits(struct rbm_csv *c, size_t max_field, size_t max_fields);

/*
 * Reads the next record. On RBM_OK, *fields points to *n NUL-terminated
 * fields, valid until the next call. At the end of input returns RBM_ENOENT.
 * On a malformed record returns RBM_EINVAL and adds a problem to d.
 */
enum rbm_rc rbm_csv_next(struct rbm_csv *c, char ***fields, size_t *n, struct rbm_diag *d);

/* The line on which the last record read began (1-based). */
size_t rbm_csv_line(const struct rbm_csv *c);

#endif
