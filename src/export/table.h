/*
 * table.h - open data: a cycle's results as tidy tables, and the formats
 * others' tools read (CSV, JSON, XLSX, a Frictionless Data Package).
 *
 * A table is one level of detail, built from the measure engine (approved
 * data only: the values of approved submissions and bulk-loaded values,
 * exactly what 'rbm results' counts):
 *
 *   value       one row per indicator x office x place (country, city) x
 *               period (year, quarter) x category (the total row has no
 *               disaggregation); rbm values import reads it back
 *   indicator   one row per indicator and year: baseline, target, actual,
 *               progress and status (rbm_measure_attainment)
 *   outcome     one row per outcome: its indicators counted by status,
 *               and the countries, cities and offices behind them
 *   domain      the same per domain of change
 *
 * Every level has fixed, documented columns (rbm_export_columns(),
 * docs/exports.md); codes are language-neutral, titles and names come in
 * the language the table was built in (English where a text lacks it).
 *
 * Ownership: a table owns its cells and their strings (copied, each
 * distinct string once), so it outlives the engine, plan and places it
 * was built from;
 * rbm_export_table_free() releases it. Column descriptions are static.
 * Rendering writes into a caller's struct rbm_buf (the web layer) or into
 * a file or folder that appears whole or not at all: a temporary beside
 * it, renamed over it.
 */
#ifndef RBM_EXPORT_TABLE_H
#define RBM_EXPORT_TABLE_H

#include "../core/buf.h"
#include "../core/diag.h"
#include "../core/rbm.h"
#include "../measure/measure.h"
#include "../plan/plan.h"
#include "../store/store.h"

#include <stdbool.h>
#include <stddef.h>

struct rbm_strmap;

enum rbm_export_level {
	RBM_EXPORT_VALUE,
	RBM_EXPORT_INDICATOR,
	RBM_EXPORT_OUTCOME,
	RBM_EXPORT_DOMAIN,
	RBM_EXPORT_LEVEL_COUNT
};

/* "value", "indicator", "outcome", "domain". */
const char *rbm_export_level_name(enum rbm_export_level level);
/* False for a name that is not a level. */
bool rbm_export_level_parse(const char *s, enum rbm_export_level *out);

/* Column types, named as Table Schema names them. */
enum rbm_export_type {
	RBM_EXPORT_STRING,
	RBM_EXPORT_INTEGER,
	RBM_EXPORT_NUMBER,
	RBM_EXPORT_YEAR
};

/* "string", "integer", "number", "year". */
const char *rbm_export_type_name(enum rbm_export_type type);

struct rbm_export_column {
	const char *name;
	enum rbm_export_type type;
	bool required;           /* never null */
	const char *description; /* English, one sentence or two */
};

/* The columns of a level, in order (static); *len gets their number. */
const struct rbm_export_column *rbm_export_columns(enum rbm_export_level level, size_t *len);

/* A cell: null, or a string (string columns) or a number (the others). */
struct rbm_export_cell {
	bool null;
	const char *s;
	double x;
};

struct rbm_export_table {
	enum rbm_export_level level;
	int cycle;
	enum rbm_lang lang;
	const char *plan_code, *plan_title;      /* the plan's code and title (in lang) */
	bool illustrative;                       /* the plan says its indicators are illustrative */
	const struct rbm_export_column *columns; /* rbm_export_columns(level) */
	size_t columns_len;
	struct rbm_export_cell *cells;           /* rows_len * columns_len, row after row */
	size_t rows_len;
	struct rbm_strmap *strings;              /* the cells' strings, each once */
};

/* The cell at row r, column c (both in range). */
const struct rbm_export_cell *rbm_export_cell(const struct rbm_export_table *t, size_t r,
					      size_t c);

/*
 * Checks that cycle can be exported: the reporting cycle exists in s and the
 * engine holds approved data for its year. RBM_ENOENT with the reason in d
 * ("there is no reporting cycle for 2030 ...", "cycle 2022 has no approved
 * data to export ...") when not; the store's rc when it fails.
 */
enum rbm_rc rbm_export_check(struct rbm_store *s, const struct rbm_measure *m, int cycle,
			     struct rbm_diag *d);

/*
 * Builds the table of one level for cycle (its year) from m, which was
 * loaded with p and places, with titles and names in lang. Sets *out on
 * RBM_OK (free it with rbm_export_table_free()); an engine failure is
 * returned with its problem in d.
 */
enum rbm_rc rbm_export_table_build(const struct rbm_measure *m, const struct rbm_plan *p,
				   const struct rbm_places *places, int cycle,
				   enum rbm_export_level level, enum rbm_lang lang,
				   struct rbm_export_table **out, struct rbm_diag *d);
/* Accepts NULL. */
void rbm_export_table_free(struct rbm_export_table *t);

/* The formats a table renders to, NULL-terminated: "csv", "json", "xlsx". */
extern const char *const rbm_export_formats[];
/* The media type of a format ("text/csv; charset=utf-8", ...); NULL for an unknown one. */
const char *rbm_export_media_type(const char *format);

/*
 * Appends table t in format ("csv", "json" or "xlsx") to out:
 *   csv   RFC 4180: a header row of column names, CRLF line ends, UTF-8
 *         without a byte-order mark, '.' decimals, no thousands
 *         separators, an empty field for null; numbers in the shortest
 *         form that reads back to the same double;
 *   json  {"cycle", "level", "lang", "plan", "columns": [{"name", "type",
 *         "required", "description"}], "rows": [{column: value, ...}]},
 *         every column in every row, null for null, numbers as in CSV;
 *   xlsx  a workbook with the table's sheet and the "columns" sheet.
 * Numbers never depend on the process's locale. RBM_EINVAL for an unknown
 * format, RBM_ETOOBIG when out's cap would be passed (out is then as it
 * was), RBM_EIO when the XLSX cannot be written to its temporary file
 * ($TMPDIR, else /tmp); each with its problem in d.
 */
enum rbm_rc rbm_export_render(const struct rbm_export_table *t, const char *format,
			      struct rbm_buf *out, struct rbm_diag *d);

/*
 * Writes tables into the file at path, whole or not at all (a temporary
 * file beside it, renamed over it). CSV and JSON take exactly one table;
 * XLSX one sheet per table, in the order given, then the "columns" sheet.
 * A file that cannot be created (a missing folder, no permission) is
 * RBM_EIO with "PATH: cannot create: REASON" in d, and leaves nothing.
 */
enum rbm_rc rbm_export_write(const struct rbm_export_table *const *tables, size_t n,
			     const char *format, const char *path, struct rbm_diag *d);

/*
 * The Frictionless Data Package of tables (one per level, any order) into
 * the folder dir: datapackage.json (profile tabular-data-package, a Table
 * Schema per resource) and LEVEL.csv for each table. Written into a
 * temporary folder beside dir and renamed to dir. An existing dir is
 * replaced only when it is empty or holds nothing but an earlier data
 * package's files (else RBM_ECONFLICT, and nothing changes); a folder that
 * cannot be created is RBM_EIO.
 */
enum rbm_rc rbm_export_datapackage(const struct rbm_export_table *const *tables, size_t n,
				   const char *dir, struct rbm_diag *d);

/* The data package's descriptor (datapackage.json) for tables, appended to out. */
enum rbm_rc rbm_export_datapackage_json(const struct rbm_export_table *const *tables, size_t n,
					struct rbm_buf *out, struct rbm_diag *d);

#endif
