/*
 * xlsx.h - a streaming reader of Excel workbooks (.xlsx, Office Open XML).
 *
 * rbm_xlsx_open() reads the workbook's small parts: the sheet names in
 * order (xl/workbook.xml), where each sheet lives (xl/_rels/workbook.xml.rels)
 * and the shared strings. rbm_xlsx_read_sheet() then streams one sheet, row
 * by row, through a callback: the zip entry is inflated in chunks and parsed
 * with expat as it comes, so memory stays bounded by one row however large
 * the sheet. Only cell values are read (no styles, dates stay numbers,
 * formulas give their cached value).
 *
 * Hostile files are expected: every part is checked against the limits
 * below, both by the sizes the zip's central directory states and by
 * counting the bytes actually inflated, so a lying header cannot get past.
 * A DOCTYPE in any part is refused (no entity expansion).
 *
 * Ownership: the workbook owns every string it hands out. Sheet names live
 * until rbm_xlsx_close(); the cells passed to a row callback live until the
 * callback returns.
 */
#ifndef RBM_CORE_XLSX_H
#define RBM_CORE_XLSX_H

#include "diag.h"
#include "rbm.h"

#include <stdbool.h>
#include <stddef.h>

/* An open workbook. */
struct rbm_xlsx;

/* A field left 0 takes its default. */
struct rbm_xlsx_limits {
	size_t max_entry_bytes; /* largest uncompressed XML part read (default 256 MiB) */
	size_t max_ratio;       /* largest uncompressed/compressed ratio of a part (default 200):
				   zip bombs; parts up to RBM_XLSX_RATIO_GRACE bytes are exempt */
	size_t max_cell_bytes;  /* longest cell text, or shared string (default 1 MiB) */
	size_t max_columns;     /* widest row (default 16384, Excel's XFD) */
};

#define RBM_XLSX_DEFAULT_MAX_ENTRY_BYTES ((size_t)256 << 20)
#define RBM_XLSX_DEFAULT_MAX_RATIO ((size_t)200)
#define RBM_XLSX_DEFAULT_MAX_CELL_BYTES ((size_t)1 << 20)
#define RBM_XLSX_DEFAULT_MAX_COLUMNS ((size_t)16384)
/* Parts this small are not held to max_ratio: they may compress well, and cannot be bombs. */
#define RBM_XLSX_RATIO_GRACE ((size_t)1 << 20)

/*
 * Opens the workbook at path: reads xl/workbook.xml (the sheet names, in
 * order), xl/_rels/workbook.xml.rels (each sheet's part) and the shared
 * strings. limits may be NULL for the defaults. On RBM_OK sets *out (free it
 * with rbm_xlsx_close()). Otherwise adds a problem to d naming the file and
 * the part, e.g. "form.xlsx: xl/workbook.xml: line 3: not well-formed", and
 * returns:
 *   RBM_ENOENT   the file does not exist
 *   RBM_EIO      the file cannot be read
 *   RBM_EINVAL   not a zip (or truncated), no xl/workbook.xml, malformed XML
 *   RBM_ETOOBIG  a part exceeds a limit
 */
enum rbm_rc rbm_xlsx_open(const char *path, const struct rbm_xlsx_limits *limits,
			  struct rbm_xlsx **out, struct rbm_diag *d);

/* Closes the workbook; accepts NULL. */
void rbm_xlsx_close(struct rbm_xlsx *x);

size_t rbm_xlsx_sheet_count(const struct rbm_xlsx *x);

/* The name of sheet i (0-based, in workbook order); NULL when i is out of range. */
const char *rbm_xlsx_sheet_name(const struct rbm_xlsx *x, size_t i);

#define RBM_XLSX_NONE ((size_t)-1)

/*
 * The index of the first sheet whose name equals name, ignoring ASCII case
 * and surrounding spaces; RBM_XLSX_NONE if there is none.
 */
size_t rbm_xlsx_find_sheet(const struct rbm_xlsx *x, const char *name);

struct rbm_xlsx_cell {
	/*
	 * The value as text, "" when empty: shared and inline strings as
	 * written (rich-text runs joined, phonetic runs left out); numbers as
	 * written in the XML ("2500000", "0.5", "1E-3"; dates are serial
	 * numbers); booleans "1" or "0"; errors such as "#N/A"; formulas
	 * their cached value.
	 */
	const char *text;
	/* t="n", or no t attribute, with a value. */
	bool is_number;
};

/*
 * Called once for each row that has a non-empty cell, with the row's 1-based
 * number and its cells from column A up to the last non-empty one (cells
 * missing in between are ""). Rows absent from the XML, or whose cells are
 * all empty, are not reported: callers see the gap in the row numbers. Rows
 * come in the order the sheet lists them (ascending in any file Excel
 * writes). Return RBM_OK to go on; anything else stops the reading and is
 * returned by rbm_xlsx_read_sheet().
 */
typedef enum rbm_rc (*rbm_xlsx_row_fn)(void *ctx, size_t row, const struct rbm_xlsx_cell *cells,
				       size_t n);

/*
 * Streams sheet i through fn. Malformed XML, a truncated or corrupt entry,
 * a bad cell reference or shared-string index give RBM_EINVAL, and a limit
 * exceeded RBM_ETOOBIG, each with a problem in d naming the file, the part
 * and the line. A sheet index out of range is RBM_EINVAL too.
 */
enum rbm_rc rbm_xlsx_read_sheet(struct rbm_xlsx *x, size_t i, rbm_xlsx_row_fn fn, void *ctx,
				struct rbm_diag *d);

#endif
