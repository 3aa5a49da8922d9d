/*
 * xlsx.c - streaming XLSX reader: libzip for the container, expat for the XML.
 *
 * Every part goes through read_part(), which inflates its zip entry in
 * chunks straight into expat's buffer and checks sizes on the way: first
 * the central directory's figures against the limits, then the bytes
 * actually inflated against those figures. Four parsers ride on it: the
 * workbook (sheet names and r:ids), its rels (where each part lives) and the
 * shared strings at open, and the sheets on demand. Element names are
 * matched by local name within the SpreadsheetML namespace (transitional or
 * strict, with any prefix or none), which expat's namespace mode resolves.
 */
#include "xlsx.h"

#include "alloc.h"
#include "buf.h"

#include <expat.h>
#include <zip.h>

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK 65536
#define NS_SEP '|'

#define WORKBOOK "xl/workbook.xml"
#define WORKBOOK_RELS "xl/_rels/workbook.xml.rels"
#define SHARED_STRINGS "xl/sharedStrings.xml"

static const char NS_MAIN[] = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
static const char NS_MAIN_STRICT[] = "http://purl.oclc.org/ooxml/spreadsheetml/main";

struct sheet {
	char *name;
	char *rid;  /* r:id, NULL when absent */
	char *part; /* the zip entry, NULL when the rels do not name one */
};

struct rbm_xlsx {
	zip_t *zip;
	char *path;
	struct rbm_xlsx_limits lim;
	struct sheet *sheets;
	size_t nsheets;
	size_t sheets_cap;
	struct rbm_buf sst; /* the shared strings, each NUL-terminated */
	size_t *sst_off;    /* start of each in sst */
	size_t nsst;
	size_t sst_cap;
};

/*
 * What every parser's state begins with. Handlers that find a problem call
 * fail(), which records it and stops expat; later events are ignored.
 */
struct parse {
	struct rbm_xlsx *x;
	const char *part;
	XML_Parser p;
	struct rbm_diag *d;
	enum rbm_rc rc;
};

/* ---- Small helpers ---- */

/* n bytes in words: "812 bytes", "1.5 MiB", "256 MiB". */
static const char *human(uint64_t n, char buf[32])
{
	static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB"};
	if (n < 1024) {
		snprintf(buf, 32, "%llu bytes", (unsigned long long)n);
		return buf;
	}
	double v = (double)n;
	size_t u = 0;
	while (v >= 1024 && u + 1 < sizeof units / sizeof *units) {
		v /= 1024;
		u++;
	}
	if (v < 10 && v != (double)(uint64_t)v)
		snprintf(buf, 32, "%.1f %s", v, units[u]);
	else
		snprintf(buf, 32, "%.0f %s", v, units[u]);
	return buf;
}

/* Column 1 is "A", 27 "AA". */
static const char *col_name(size_t col, char buf[16])
{
	char tmp[16];
	size_t n = 0;
	while (col > 0 && n < sizeof tmp - 1) {
		col--;
		tmp[n++] = (char)('A' + col % 26);
		col /= 26;
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Parses a decimal number of 1 or more digits, with nothing else but surrounding spaces. */
static bool parse_size(const char *s, size_t len, size_t *out)
{
	while (len > 0 && is_space(*s)) {
		s++;
		len--;
	}
	while (len > 0 && is_space(s[len - 1]))
		len--;
	if (len == 0)
		return false;
	size_t v = 0;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		size_t digit = (size_t)(s[i] - '0');
		if (v > (SIZE_MAX - digit) / 10)
			return false;
		v = v * 10 + digit;
	}
	*out = v;
	return true;
}

/* ---- Names and attributes in expat's namespace mode ("uri|local") ---- */

/* The local name when name is in SpreadsheetML or in no namespace, else NULL. */
static const char *main_name(const XML_Char *name)
{
	const char *sep = strrchr(name, NS_SEP);
	if (sep == NULL)
		return name;
	size_t n = (size_t)(sep - name);
	if ((n == sizeof NS_MAIN - 1 && memcmp(name, NS_MAIN, n) == 0) ||
	    (n == sizeof NS_MAIN_STRICT - 1 && memcmp(name, NS_MAIN_STRICT, n) == 0))
		return sep + 1;
	return NULL;
}

/* The local name, whatever the namespace. */
static const char *local_name(const XML_Char *name)
{
	const char *sep = strrchr(name, NS_SEP);
	return sep ? sep + 1 : name;
}

/* The value of the attribute named name without a prefix, or NULL. */
static const char *attr(const XML_Char **atts, const char *name)
{
	for (size_t i = 0; atts[i]; i += 2)
		if (strcmp(atts[i], name) == 0)
			return atts[i + 1];
	return NULL;
}

/* The value of a prefixed attribute with this local name (r:id), or NULL. */
static const char *attr_ns(const XML_Char **atts, const char *local)
{
	for (size_t i = 0; atts[i]; i += 2) {
		const char *sep = strrchr(atts[i], NS_SEP);
		if (sep && strcmp(sep + 1, local) == 0)
			return atts[i + 1];
	}
	return NULL;
}

/* ---- Reading one part ---- */

static void fail(struct parse *ps, enum rbm_rc rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Records a problem at the parser's current line and stops it. */
static void fail(struct parse *ps, enum rbm_rc rc, const char *fmt, ...)
{
	if (ps->rc != RBM_OK)
		return;
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	va_list ap;
	va_start(ap, fmt);
	rbm_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	rbm_diag_add(ps->d, ps->x->path, ps->part, "line %llu: %s",
		     (unsigned long long)XML_GetCurrentLineNumber(ps->p), rbm_buf_str(&b));
	rbm_buf_free(&b);
	ps->rc = rc;
	XML_StopParser(ps->p, XML_FALSE);
}

/* Stops the parser with rc and no problem of its own (a row callback's answer). */
static void stop(struct parse *ps, enum rbm_rc rc)
{
	ps->rc = rc;
	XML_StopParser(ps->p, XML_FALSE);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
			       const XML_Char *pubid, int has_internal_subset)
{
	(void)name;
	(void)sysid;
	(void)pubid;
	(void)has_internal_subset;
	fail(ud, RBM_EINVAL, "a DOCTYPE is not allowed in a workbook");
}

/*
 * Makes ps's parser. ud is the parser's whole state, which begins with ps.
 * Returns false when expat cannot allocate one.
 */
static bool new_parser(struct parse *ps, void *ud, XML_StartElementHandler start,
		       XML_EndElementHandler end, XML_CharacterDataHandler text)
{
	ps->p = XML_ParserCreateNS(NULL, NS_SEP);
	if (ps->p == NULL) {
		rbm_diag_add(ps->d, ps->x->path, ps->part, "out of memory");
		ps->rc = RBM_ENOMEM;
		return false;
	}
	XML_SetUserData(ps->p, ud);
	XML_SetElementHandler(ps->p, start, end);
	if (text)
		XML_SetCharacterDataHandler(ps->p, text);
	XML_SetStartDoctypeDeclHandler(ps->p, on_doctype);
	return true;
}

static zip_int64_t locate(zip_t *z, const char *name)
{
	zip_int64_t i = zip_name_locate(z, name, 0);
	if (i < 0) /* part names are case-insensitive (OPC) */
		i = zip_name_locate(z, name, ZIP_FL_NOCASE);
	return i;
}

/* True when size is more than ratio times comp. */
static bool too_compressed(uint64_t size, uint64_t comp, size_t ratio)
{
	if (comp == 0)
		return size > 0;
	if (comp > UINT64_MAX / ratio)
		return false;
	return size > comp * ratio;
}

/*
 * Inflates ps->part into ps->p. When the zip has no such entry, sets
 * *missing and returns RBM_ENOENT with no problem recorded: the caller says
 * why the part was wanted. Every other failure is recorded in ps->d.
 */
static enum rbm_rc read_part(struct parse *ps, bool *missing)
{
	struct rbm_xlsx *x = ps->x;
	const struct rbm_xlsx_limits *lim = &x->lim;
	const char *path = x->path, *part = ps->part;
	enum rbm_rc rc = RBM_OK;
	zip_file_t *zf = NULL;
	char h1[32], h2[32];

	*missing = false;
	zip_int64_t idx = locate(x->zip, part);
	if (idx < 0) {
		*missing = true;
		rc = RBM_ENOENT;
		goto out;
	}
	zip_stat_t st;
	zip_stat_init(&st);
	if (zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st) != 0) {
		rbm_diag_add(ps->d, path, part, "cannot read: %s", zip_strerror(x->zip));
		rc = RBM_EINVAL;
		goto out;
	}
	if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE)) {
		rbm_diag_add(ps->d, path, part, "the zip does not state the entry's size");
		rc = RBM_EINVAL;
		goto out;
	}
	if (st.size > RBM_XLSX_RATIO_GRACE && too_compressed(st.size, st.comp_size, lim->max_ratio)) {
		rbm_diag_add(ps->d, path, part,
			     "uncompressed size %s exceeds %zu times its compressed size %s (a zip bomb?)",
			     human(st.size, h1), lim->max_ratio, human(st.comp_size, h2));
		rc = RBM_ETOOBIG;
		goto out;
	}
	if (st.size > lim->max_entry_bytes) {
		rbm_diag_add(ps->d, path, part, "uncompressed size %s exceeds the limit of %s",
			     human(st.size, h1), human(lim->max_entry_bytes, h2));
		rc = RBM_ETOOBIG;
		goto out;
	}
	zf = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0);
	if (zf == NULL) {
		rbm_diag_add(ps->d, path, part, "cannot read: %s", zip_strerror(x->zip));
		rc = RBM_EINVAL;
		goto out;
	}
	/* st.size has passed the limits: inflating no more than it bounds the work. */
	uint64_t total = 0;
	for (;;) {
		void *chunk = XML_GetBuffer(ps->p, CHUNK);
		if (chunk == NULL) {
			rbm_diag_add(ps->d, path, part, "out of memory");
			rc = RBM_ENOMEM;
			goto out;
		}
		zip_int64_t n = zip_fread(zf, chunk, CHUNK);
		if (n < 0) {
			rbm_diag_add(ps->d, path, part, "corrupt or truncated: %s", zip_file_strerror(zf));
			rc = RBM_EINVAL;
			goto out;
		}
		total += (uint64_t)n;
		if (total > st.size) {
			rbm_diag_add(ps->d, path, part,
				     "inflates to more than the %s its zip header states (a zip bomb?)",
				     human(st.size, h1));
			rc = RBM_EINVAL;
			goto out;
		}
		if (XML_ParseBuffer(ps->p, (int)n, n == 0) != XML_STATUS_OK) {
			if (ps->rc != RBM_OK) {
				rc = ps->rc;
			} else {
				rbm_diag_add(ps->d, path, part, "line %llu, column %llu: %s",
					     (unsigned long long)XML_GetCurrentLineNumber(ps->p),
					     (unsigned long long)XML_GetCurrentColumnNumber(ps->p) + 1,
					     XML_ErrorString(XML_GetErrorCode(ps->p)));
				rc = RBM_EINVAL;
			}
			goto out;
		}
		if (n == 0)
			break;
	}
	if (total < st.size) {
		rbm_diag_add(ps->d, path, part, "inflates to %s, less than the %s its zip header states",
			     human(total, h1), human(st.size, h2));
		rc = RBM_EINVAL;
		goto out;
	}
out:
	if (zf)
		zip_fclose(zf);
	return rc;
}

/* ---- xl/workbook.xml: the sheets ---- */

struct wb_parse {
	struct parse ps;
	bool in_sheets;
};

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct wb_parse *w = ud;
	struct rbm_xlsx *x = w->ps.x;
	const char *l = main_name(name);
	if (w->ps.rc != RBM_OK || l == NULL)
		return;
	if (strcmp(l, "sheets") == 0) {
		w->in_sheets = true;
	} else if (w->in_sheets && strcmp(l, "sheet") == 0) {
		const char *sname = attr(atts, "name"), *rid = attr_ns(atts, "id");
		if (sname == NULL) {
			fail(&w->ps, RBM_EINVAL, "sheet %zu has no name", x->nsheets + 1);
			return;
		}
		rbm_xgrow(&x->sheets, &x->sheets_cap, x->nsheets + 1, sizeof *x->sheets);
		struct sheet *s = &x->sheets[x->nsheets++];
		s->name = rbm_xstrdup(sname);
		s->rid = rid ? rbm_xstrdup(rid) : NULL;
		s->part = NULL;
	}
}

static void XMLCALL wb_end(void *ud, const XML_Char *name)
{
	struct wb_parse *w = ud;
	const char *l = main_name(name);
	if (l && strcmp(l, "sheets") == 0)
		w->in_sheets = false;
}

static enum rbm_rc read_workbook(struct rbm_xlsx *x, struct rbm_diag *d)
{
	struct wb_parse w = {.ps = {.x = x, .part = WORKBOOK, .d = d}};
	enum rbm_rc rc = RBM_OK;
	bool missing;
	if (!new_parser(&w.ps, &w, wb_start, wb_end, NULL)) {
		rc = w.ps.rc;
		goto out;
	}
	rc = read_part(&w.ps, &missing);
	if (missing) {
		rbm_diag_add(d, x->path, WORKBOOK, "missing: not an Excel workbook (.xlsx)");
		rc = RBM_EINVAL;
	}
out:
	if (w.ps.p)
		XML_ParserFree(w.ps.p);
	return rc;
}

/* ---- xl/_rels/workbook.xml.rels: where the parts live ---- */

struct rel {
	char *id;
	char *type;
	char *target;
};

struct rels_parse {
	struct parse ps;
	struct rel *rels;
	size_t n;
	size_t cap;
};

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct rels_parse *r = ud;
	if (r->ps.rc != RBM_OK || strcmp(local_name(name), "Relationship") != 0)
		return;
	const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
	const char *mode = attr(atts, "TargetMode");
	if (id == NULL || target == NULL || (mode && strcmp(mode, "External") == 0))
		return;
	rbm_xgrow(&r->rels, &r->cap, r->n + 1, sizeof *r->rels);
	struct rel *e = &r->rels[r->n++];
	e->id = rbm_xstrdup(id);
	e->type = rbm_xstrdup(type ? type : "");
	e->target = rbm_xstrdup(target);
}

static void XMLCALL rels_end(void *ud, const XML_Char *name)
{
	(void)ud;
	(void)name;
}

static void rels_cleanup(struct rels_parse *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->rels[i].id);
		free(r->rels[i].type);
		free(r->rels[i].target);
	}
	free(r->rels);
	if (r->ps.p)
		XML_ParserFree(r->ps.p);
}

/*
 * The zip entry a target names: absolute ("/xl/worksheets/sheet1.xml") from
 * the package root, else relative to xl/ (where workbook.xml lives), with
 * "." and ".." segments resolved. NULL when it climbs out of the package.
 */
static char *resolve_target(const char *target)
{
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	char *res = NULL;
	const char *s = target;
	if (*s == '/')
		s++;
	else
		rbm_buf_adds(&b, "xl");
	while (*s) {
		const char *slash = strchr(s, '/');
		size_t len = slash ? (size_t)(slash - s) : strlen(s);
		if (len == 2 && s[0] == '.' && s[1] == '.') {
			if (b.len == 0)
				goto out;
			char *last = strrchr(b.data, '/');
			b.len = last ? (size_t)(last - b.data) : 0;
			b.data[b.len] = '\0';
		} else if (len > 0 && !(len == 1 && s[0] == '.')) {
			if (b.len > 0)
				rbm_buf_addc(&b, '/');
			rbm_buf_add(&b, s, len);
		}
		s += len;
		if (*s == '/')
			s++;
	}
	if (b.len > 0)
		res = rbm_buf_take(&b);
out:
	rbm_buf_free(&b);
	return res;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* Reads the rels; gives each sheet its part; sets *sst_part (free it; NULL: none). */
static enum rbm_rc read_rels(struct rbm_xlsx *x, char **sst_part, struct rbm_diag *d)
{
	struct rels_parse r = {.ps = {.x = x, .part = WORKBOOK_RELS, .d = d}};
	enum rbm_rc rc = RBM_OK;
	bool missing;
	*sst_part = NULL;
	if (!new_parser(&r.ps, &r, rels_start, rels_end, NULL)) {
		rc = r.ps.rc;
		goto out;
	}
	rc = read_part(&r.ps, &missing);
	if (missing) {
		rbm_diag_add(d, x->path, WORKBOOK_RELS, "missing, so the sheets cannot be found");
		rc = RBM_EINVAL;
	}
	if (rc != RBM_OK)
		goto out;
	for (size_t i = 0; i < x->nsheets; i++) {
		struct sheet *s = &x->sheets[i];
		for (size_t j = 0; s->rid && j < r.n && s->part == NULL; j++)
			if (strcmp(r.rels[j].id, s->rid) == 0)
				s->part = resolve_target(r.rels[j].target);
	}
	for (size_t j = 0; j < r.n && *sst_part == NULL; j++)
		if (ends_with(r.rels[j].type, "/sharedStrings"))
			*sst_part = resolve_target(r.rels[j].target);
	if (*sst_part == NULL && locate(x->zip, SHARED_STRINGS) >= 0)
		*sst_part = rbm_xstrdup(SHARED_STRINGS);
out:
	rels_cleanup(&r);
	return rc;
}

/* ---- xl/sharedStrings.xml ---- */

struct sst_parse {
	struct parse ps;
	bool in_si;
	bool in_t;
	size_t rph; /* depth inside phonetic runs, whose text is left out */
	struct rbm_buf cur;
};

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sst_parse *s = ud;
	const char *l = main_name(name);
	(void)atts;
	if (s->ps.rc != RBM_OK || l == NULL)
		return;
	if (strcmp(l, "si") == 0) {
		s->in_si = true;
		s->rph = 0;
		rbm_buf_reset(&s->cur);
	} else if (s->in_si && strcmp(l, "rPh") == 0) {
		s->rph++;
	} else if (s->in_si && s->rph == 0 && strcmp(l, "t") == 0) {
		s->in_t = true;
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct sst_parse *s = ud;
	struct rbm_xlsx *x = s->ps.x;
	const char *l = main_name(name);
	if (s->ps.rc != RBM_OK || l == NULL)
		return;
	if (strcmp(l, "t") == 0) {
		s->in_t = false;
	} else if (strcmp(l, "rPh") == 0) {
		if (s->rph > 0)
			s->rph--;
	} else if (strcmp(l, "si") == 0 && s->in_si) {
		s->in_si = false;
		rbm_xgrow(&x->sst_off, &x->sst_cap, x->nsst + 1, sizeof *x->sst_off);
		size_t off = x->sst.len;
		if (rbm_buf_add(&x->sst, s->cur.data ? s->cur.data : "", s->cur.len + 1) != RBM_OK) {
			fail(&s->ps, RBM_ETOOBIG, "the shared strings exceed %s in all",
			     human(x->sst.max, (char[32]){0}));
			return;
		}
		x->sst_off[x->nsst++] = off;
	}
}

static void XMLCALL sst_text(void *ud, const XML_Char *text, int len)
{
	struct sst_parse *s = ud;
	if (s->ps.rc != RBM_OK || !s->in_t)
		return;
	if (rbm_buf_add(&s->cur, text, (size_t)len) != RBM_OK)
		fail(&s->ps, RBM_ETOOBIG, "shared string %zu is longer than %s", s->ps.x->nsst,
		     human(s->ps.x->lim.max_cell_bytes, (char[32]){0}));
}

static enum rbm_rc read_shared_strings(struct rbm_xlsx *x, const char *part, struct rbm_diag *d)
{
	struct sst_parse s = {.ps = {.x = x, .part = part, .d = d}};
	enum rbm_rc rc = RBM_OK;
	bool missing;
	rbm_buf_init(&s.cur, x->lim.max_cell_bytes);
	if (!new_parser(&s.ps, &s, sst_start, sst_end, sst_text)) {
		rc = s.ps.rc;
		goto out;
	}
	rc = read_part(&s.ps, &missing);
	if (missing) {
		rbm_diag_add(d, x->path, part, "missing, though " WORKBOOK_RELS " names it");
		rc = RBM_EINVAL;
	}
out:
	if (s.ps.p)
		XML_ParserFree(s.ps.p);
	rbm_buf_free(&s.cur);
	return rc;
}

/* ---- Opening and closing ---- */

static void set_limits(struct rbm_xlsx_limits *lim, const struct rbm_xlsx_limits *given)
{
	lim->max_entry_bytes = given && given->max_entry_bytes ? given->max_entry_bytes
							     : RBM_XLSX_DEFAULT_MAX_ENTRY_BYTES;
	lim->max_ratio = given && given->max_ratio ? given->max_ratio : RBM_XLSX_DEFAULT_MAX_RATIO;
	lim->max_cell_bytes = given && given->max_cell_bytes ? given->max_cell_bytes
							   : RBM_XLSX_DEFAULT_MAX_CELL_BYTES;
	lim->max_columns = given && given->max_columns ? given->max_columns
						       : RBM_XLSX_DEFAULT_MAX_COLUMNS;
}

static enum rbm_rc open_zip(struct rbm_xlsx *x, struct rbm_diag *d)
{
	int zerr = 0;
	x->zip = zip_open(x->path, ZIP_RDONLY, &zerr);
	if (x->zip)
		return RBM_OK;
	zip_error_t ze;
	zip_error_init_with_code(&ze, zerr);
	enum rbm_rc rc;
	switch (zerr) {
	case ZIP_ER_NOENT:
		rbm_diag_add(d, x->path, NULL, "cannot open: no such file");
		rc = RBM_ENOENT;
		break;
	case ZIP_ER_OPEN:
	case ZIP_ER_READ:
	case ZIP_ER_SEEK:
	case ZIP_ER_MEMORY:
		rbm_diag_add(d, x->path, NULL, "cannot read: %s", zip_error_strerror(&ze));
		rc = RBM_EIO;
		break;
	default:
		rbm_diag_add(d, x->path, NULL,
			     "not an .xlsx file: not a zip archive, or a truncated one (%s)",
			     zip_error_strerror(&ze));
		rc = RBM_EINVAL;
		break;
	}
	zip_error_fini(&ze);
	return rc;
}

enum rbm_rc rbm_xlsx_open(const char *path, const struct rbm_xlsx_limits *limits,
			  struct rbm_xlsx **out, struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_OK;
	char *sst_part = NULL;
	struct rbm_xlsx *x = rbm_xcalloc(1, sizeof *x);
	x->path = rbm_xstrdup(path);
	set_limits(&x->lim, limits);
	rbm_buf_init(&x->sst, 0);

	rc = open_zip(x, d);
	if (rc != RBM_OK)
		goto out;
	rc = read_workbook(x, d);
	if (rc != RBM_OK)
		goto out;
	rc = read_rels(x, &sst_part, d);
	if (rc != RBM_OK)
		goto out;
	if (sst_part)
		rc = read_shared_strings(x, sst_part, d);
out:
	free(sst_part);
	if (rc != RBM_OK) {
		rbm_xlsx_close(x);
		return rc;
	}
	*out = x;
	return RBM_OK;
}

void rbm_xlsx_close(struct rbm_xlsx *x)
{
	if (x == NULL)
		return;
	for (size_t i = 0; i < x->nsheets; i++) {
		free(x->sheets[i].name);
		free(x->sheets[i].rid);
		free(x->sheets[i].part);
	}
	free(x->sheets);
	free(x->sst_off);
	rbm_buf_free(&x->sst);
	if (x->zip)
		zip_discard(x->zip);
	free(x->path);
	free(x);
}

size_t rbm_xlsx_sheet_count(const struct rbm_xlsx *x)
{
	return x->nsheets;
}

const char *rbm_xlsx_sheet_name(const struct rbm_xlsx *x, size_t i)
{
	return i < x->nsheets ? x->sheets[i].name : NULL;
}

/* Narrows s, len to leave out surrounding ASCII spaces. */
static void trim(const char **s, size_t *len)
{
	while (*len > 0 && is_space(**s)) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && is_space((*s)[*len - 1]))
		(*len)--;
}

size_t rbm_xlsx_find_sheet(const struct rbm_xlsx *x, const char *name)
{
	size_t nlen = strlen(name);
	trim(&name, &nlen);
	for (size_t i = 0; i < x->nsheets; i++) {
		const char *s = x->sheets[i].name;
		size_t slen = strlen(s);
		trim(&s, &slen);
		if (slen != nlen)
			continue;
		size_t k = 0;
		while (k < slen && ascii_lower(s[k]) == ascii_lower(name[k]))
			k++;
		if (k == slen)
			return i;
	}
	return RBM_XLSX_NONE;
}

/* ---- Sheets ---- */

enum cell_type {
	T_NUMBER,  /* t="n", or no t */
	T_SHARED,  /* t="s": <v> is an index into the shared strings */
	T_INLINE,  /* t="inlineStr": <is> */
	T_OTHER    /* t="b", "e", "str", "d": <v> as written */
};

/* A non-empty cell of the current row. */
struct pending {
	size_t col;
	size_t off; /* into rowbuf, or the shared string's index */
	bool shared;
	bool is_number;
};

struct sheet_parse {
	struct parse ps;
	rbm_xlsx_row_fn fn;
	void *ctx;
	bool in_data; /* <sheetData> */
	bool in_row;
	bool in_c;
	bool in_v;
	bool in_is;
	bool in_t;
	size_t rph;
	size_t row;   /* the current row's number */
	size_t col;   /* the current cell's column (1 is A) */
	size_t ncells;/* <c> elements in the current row */
	enum cell_type type;
	struct rbm_buf cur;    /* the current cell's text */
	struct rbm_buf rowbuf; /* the current row's texts, each NUL-terminated */
	struct pending *pend;
	size_t npend;
	size_t pend_cap;
	struct rbm_xlsx_cell *cells;
	size_t cells_cap;
};

/* Parses a cell reference like "AB12" into its column; false when malformed. */
static bool parse_ref(const char *ref, size_t max_col, size_t *col, bool *too_wide)
{
	size_t c = 0;
	const char *s = ref;
	*too_wide = false;
	for (; (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'); s++) {
		if (c <= max_col) /* past max_col it only needs to stay past it */
			c = c * 26 + (size_t)(ascii_lower(*s) - 'a' + 1);
	}
	if (s == ref)
		return false;
	for (; *s >= '0' && *s <= '9'; s++)
		;
	if (*s != '\0')
		return false;
	*col = c;
	*too_wide = c > max_col;
	return true;
}

static void row_start(struct sheet_parse *sp, const XML_Char **atts)
{
	const char *r = attr(atts, "r");
	size_t n;
	if (r) {
		if (!parse_size(r, strlen(r), &n) || n == 0) {
			fail(&sp->ps, RBM_EINVAL, "row number \"%.40s\" is not a positive number", r);
			return;
		}
		sp->row = n;
	} else {
		sp->row++;
	}
	sp->in_row = true;
	sp->col = 0;
	sp->ncells = 0;
	sp->npend = 0;
	rbm_buf_reset(&sp->rowbuf);
}

static void cell_start(struct sheet_parse *sp, const XML_Char **atts)
{
	size_t max_col = sp->ps.x->lim.max_columns;
	const char *r = attr(atts, "r"), *t = attr(atts, "t");
	if (++sp->ncells > max_col) {
		fail(&sp->ps, RBM_ETOOBIG, "row %zu has more than %zu cells", sp->row, max_col);
		return;
	}
	if (r) {
		bool too_wide;
		if (!parse_ref(r, max_col, &sp->col, &too_wide)) {
			fail(&sp->ps, RBM_EINVAL, "\"%.40s\" is not a cell reference", r);
			return;
		}
		if (too_wide) {
			fail(&sp->ps, RBM_ETOOBIG, "cell %.40s is past the limit of %zu columns", r,
			     max_col);
			return;
		}
	} else if (++sp->col > max_col) {
		fail(&sp->ps, RBM_ETOOBIG, "row %zu is wider than the limit of %zu columns", sp->row,
		     max_col);
		return;
	}
	if (t == NULL || strcmp(t, "n") == 0)
		sp->type = T_NUMBER;
	else if (strcmp(t, "s") == 0)
		sp->type = T_SHARED;
	else if (strcmp(t, "inlineStr") == 0)
		sp->type = T_INLINE;
	else
		sp->type = T_OTHER;
	sp->in_c = true;
	rbm_buf_reset(&sp->cur);
}

static void cell_end(struct sheet_parse *sp)
{
	struct rbm_xlsx *x = sp->ps.x;
	char cn[16];
	sp->in_c = sp->in_v = sp->in_is = sp->in_t = false;
	sp->rph = 0;
	if (sp->cur.len == 0)
		return;
	struct pending pc = {.col = sp->col, .is_number = sp->type == T_NUMBER};
	if (sp->type == T_SHARED) {
		size_t idx;
		if (!parse_size(sp->cur.data, sp->cur.len, &idx)) {
			fail(&sp->ps, RBM_EINVAL, "cell %s%zu: shared string index \"%.40s\" is not a number",
			     col_name(sp->col, cn), sp->row, sp->cur.data);
			return;
		}
		if (idx >= x->nsst) {
			fail(&sp->ps, RBM_EINVAL,
			     "cell %s%zu: shared string %zu does not exist (there are %zu)",
			     col_name(sp->col, cn), sp->row, idx, x->nsst);
			return;
		}
		if (x->sst.data[x->sst_off[idx]] == '\0')
			return;
		pc.shared = true;
		pc.off = idx;
	} else {
		pc.off = sp->rowbuf.len;
		if (rbm_buf_add(&sp->rowbuf, sp->cur.data, sp->cur.len + 1) != RBM_OK) {
			fail(&sp->ps, RBM_ETOOBIG, "row %zu is too large", sp->row);
			return;
		}
	}
	rbm_xgrow(&sp->pend, &sp->pend_cap, sp->npend + 1, sizeof *sp->pend);
	sp->pend[sp->npend++] = pc;
}

static void row_end(struct sheet_parse *sp)
{
	struct rbm_xlsx *x = sp->ps.x;
	size_t n = 0;
	sp->in_row = false;
	for (size_t i = 0; i < sp->npend; i++)
		if (sp->pend[i].col > n)
			n = sp->pend[i].col;
	if (n == 0)
		return;
	rbm_xgrow(&sp->cells, &sp->cells_cap, n, sizeof *sp->cells);
	for (size_t i = 0; i < n; i++)
		sp->cells[i] = (struct rbm_xlsx_cell){.text = "", .is_number = false};
	for (size_t i = 0; i < sp->npend; i++) {
		const struct pending *pc = &sp->pend[i];
		const char *text = pc->shared ? x->sst.data + x->sst_off[pc->off]
					      : sp->rowbuf.data + pc->off;
		sp->cells[pc->col - 1] = (struct rbm_xlsx_cell){.text = text, .is_number = pc->is_number};
	}
	enum rbm_rc rc = sp->fn(sp->ctx, sp->row, sp->cells, n);
	if (rc != RBM_OK)
		stop(&sp->ps, rc);
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct sheet_parse *sp = ud;
	const char *l = main_name(name);
	if (sp->ps.rc != RBM_OK || l == NULL)
		return;
	if (strcmp(l, "sheetData") == 0)
		sp->in_data = true;
	else if (sp->in_data && !sp->in_row && strcmp(l, "row") == 0)
		row_start(sp, atts);
	else if (sp->in_row && !sp->in_c && strcmp(l, "c") == 0)
		cell_start(sp, atts);
	else if (sp->in_c && strcmp(l, "v") == 0)
		sp->in_v = true;
	else if (sp->in_c && strcmp(l, "is") == 0)
		sp->in_is = true;
	else if (sp->in_is && strcmp(l, "rPh") == 0)
		sp->rph++;
	else if (sp->in_is && sp->rph == 0 && strcmp(l, "t") == 0)
		sp->in_t = true;
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	struct sheet_parse *sp = ud;
	const char *l = main_name(name);
	if (sp->ps.rc != RBM_OK || l == NULL)
		return;
	if (strcmp(l, "sheetData") == 0)
		sp->in_data = false;
	else if (sp->in_row && strcmp(l, "row") == 0)
		row_end(sp);
	else if (sp->in_c && strcmp(l, "c") == 0)
		cell_end(sp);
	else if (strcmp(l, "v") == 0)
		sp->in_v = false;
	else if (strcmp(l, "is") == 0)
		sp->in_is = false;
	else if (strcmp(l, "rPh") == 0 && sp->rph > 0)
		sp->rph--;
	else if (strcmp(l, "t") == 0)
		sp->in_t = false;
}

static void XMLCALL sheet_text(void *ud, const XML_Char *text, int len)
{
	struct sheet_parse *sp = ud;
	char cn[16];
	if (sp->ps.rc != RBM_OK || !(sp->in_v || sp->in_t))
		return;
	if (rbm_buf_add(&sp->cur, text, (size_t)len) != RBM_OK)
		fail(&sp->ps, RBM_ETOOBIG, "cell %s%zu is longer than %s", col_name(sp->col, cn),
		     sp->row, human(sp->ps.x->lim.max_cell_bytes, (char[32]){0}));
}

enum rbm_rc rbm_xlsx_read_sheet(struct rbm_xlsx *x, size_t i, rbm_xlsx_row_fn fn, void *ctx,
				struct rbm_diag *d)
{
	enum rbm_rc rc = RBM_OK;
	bool missing;
	struct sheet_parse sp = {.ps = {.x = x, .d = d}, .fn = fn, .ctx = ctx};
	rbm_buf_init(&sp.cur, x->lim.max_cell_bytes);
	rbm_buf_init(&sp.rowbuf, 0);
	if (i >= x->nsheets) {
		rbm_diag_add(d, x->path, NULL, "there is no sheet %zu (the workbook has %zu)", i + 1,
			     x->nsheets);
		rc = RBM_EINVAL;
		goto out;
	}
	const struct sheet *s = &x->sheets[i];
	if (s->part == NULL) {
		rbm_diag_add(d, x->path, WORKBOOK_RELS, "no part for sheet \"%s\" (r:id %s)", s->name,
			     s->rid ? s->rid : "missing");
		rc = RBM_EINVAL;
		goto out;
	}
	sp.ps.part = s->part;
	if (!new_parser(&sp.ps, &sp, sheet_start, sheet_end, sheet_text)) {
		rc = sp.ps.rc;
		goto out;
	}
	rc = read_part(&sp.ps, &missing);
	if (missing) {
		rbm_diag_add(d, x->path, s->part, "missing, though sheet \"%s\" is there", s->name);
		rc = RBM_EINVAL;
	}
out:
	if (sp.ps.p)
		XML_ParserFree(sp.ps.p);
	free(sp.cells);
	free(sp.pend);
	rbm_buf_free(&sp.rowbuf);
	rbm_buf_free(&sp.cur);
	return rc;
}
