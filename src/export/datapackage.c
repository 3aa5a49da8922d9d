/*
 * datapackage.c - tables as a Frictionless Data Package
 * (https://specs.frictionlessdata.io/): a folder with datapackage.json and
 * one CSV per level, so that open-data portals and tools load them as
 * typed tables.
 *
 * The descriptor (jansson) has the profile tabular-data-package and one
 * tabular-data-resource per table, whose Table Schema gives each field's
 * name, type (string, integer, number, year), description and, for
 * columns never null, constraints.required; status carries its enum. The
 * indicator, outcome and domain resources have primary keys (code and
 * year); the value resource has none, because Table Schema forbids nulls
 * in a primary key and a value row's natural key (indicator, year,
 * quarter, office, country, city, disaggregation, category) is partly
 * empty by design. Foreign keys tie value and indicator rows to their
 * indicator, outcome and domain rows when those resources are present.
 *
 * The folder is written as a temporary sibling, then renamed into place.
 */
#include "export_int.h"

#include "../core/alloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const titles[RBM_EXPORT_LEVEL_COUNT] = {
	"Values by indicator, office, place, period and category",
	"Indicators: baseline, target, actual, progress and status",
	"Outcomes: indicators by status, and the places and offices behind them",
	"Domains of change: indicators by status, and the places and offices behind them",
};

static bool has_level(const struct rbm_export_table *const *tables, size_t n, enum rbm_export_level l)
{
	for (size_t i = 0; i < n; i++)
		if (tables[i]->level == l)
			return true;
	return false;
}

static json_t *strings(const char *a, const char *b)
{
	json_t *arr = json_array();
	json_array_append_new(arr, json_string(a));
	if (b)
		json_array_append_new(arr, json_string(b));
	return arr;
}

/* A foreign key: fields (one or two) -> the same fields of resource. */
static void foreign(json_t *fks, const char *resource, const char *a, const char *b)
{
	json_t *fk = json_object();
	json_object_set_new(fk, "fields", strings(a, b));
	json_t *ref = json_object();
	json_object_set_new(ref, "resource", json_string(resource));
	json_object_set_new(ref, "fields", strings(a, b));
	json_object_set_new(fk, "reference", ref);
	json_array_append_new(fks, fk);
}

static json_t *schema(const struct rbm_export_table *t, const struct rbm_export_table *const *tables, size_t n)
{
	json_t *s = json_object(), *fields = json_array();
	for (size_t c = 0; c < t->columns_len; c++) {
		const struct rbm_export_column *col = &t->columns[c];
		json_t *f = json_object();
		json_object_set_new(f, "name", json_string(col->name));
		json_object_set_new(f, "type", json_string(rbm_export_type_name(col->type)));
		json_object_set_new(f, "description", json_string(col->description));
		json_t *cons = json_object();
		if (col->required)
			json_object_set_new(cons, "required", json_true());
		if (strcmp(col->name, "status") == 0) {
			json_t *e = json_array();
			for (int k = 0; k < 5; k++)
				json_array_append_new(e, json_string(rbm_export__status((enum rbm_attain)k)));
			json_object_set_new(cons, "enum", e);
		}
		if (strcmp(col->name, "quarter") == 0) {
			json_object_set_new(cons, "minimum", json_integer(1));
			json_object_set_new(cons, "maximum", json_integer(4));
		}
		if (json_object_size(cons))
			json_object_set_new(f, "constraints", cons);
		else
			json_decref(cons);
		json_array_append_new(fields, f);
	}
	json_object_set_new(s, "fields", fields);
	json_object_set_new(s, "missingValues", strings("", NULL));
	switch (t->level) {
	case RBM_EXPORT_INDICATOR: json_object_set_new(s, "primaryKey", strings("indicator", "year")); break;
	case RBM_EXPORT_OUTCOME: json_object_set_new(s, "primaryKey", strings("outcome", "year")); break;
	case RBM_EXPORT_DOMAIN: json_object_set_new(s, "primaryKey", strings("domain", "year")); break;
	default: break;
	}
	json_t *fks = json_array();
	if (t->level == RBM_EXPORT_VALUE && has_level(tables, n, RBM_EXPORT_INDICATOR))
		foreign(fks, "indicator", "indicator", "year");
	if (t->level <= RBM_EXPORT_INDICATOR && has_level(tables, n, RBM_EXPORT_OUTCOME))
		foreign(fks, "outcome", "outcome", NULL);
	if (t->level <= RBM_EXPORT_OUTCOME && has_level(tables, n, RBM_EXPORT_DOMAIN))
		foreign(fks, "domain", "domain", NULL);
	if (json_array_size(fks))
		json_object_set_new(s, "foreignKeys", fks);
	else
		json_decref(fks);
	return s;
}

enum rbm_rc rbm_export_datapackage_json(const struct rbm_export_table *const *tables, size_t n,
					struct rbm_buf *out, struct rbm_diag *d)
{
	if (n == 0) {
		rbm_diag_add(d, NULL, NULL, "a data package needs at least one table");
		return RBM_EINVAL;
	}
	const struct rbm_export_table *t0 = tables[0];
	/* name: lower-case letters, digits, '-', '_' and '.' only. */
	char *name = rbm_xasprintf("rbm-%s-%d", t0->plan_code, t0->cycle);
	for (char *p = name; *p; p++) {
		unsigned char c = (unsigned char)*p;
		*p = isalnum(c) && c < 0x80 ? (char)tolower(c) : (strchr("-_.", c) ? *p : '-');
	}
	char *title = rbm_xasprintf("%s: results of reporting cycle %d", t0->plan_title, t0->cycle);
	char *desc = rbm_xasprintf(
		"What the offices reported for %d, as approved: values by place and period, indicators against their "
		"targets, and outcomes and domains of change by status.%s Exported by rbm; every column is described in "
		"its resource's schema.",
		t0->cycle,
		t0->illustrative ? " The plan says its indicators, baselines and targets are illustrative." : "");
	json_t *root = json_object();
	json_object_set_new(root, "profile", json_string("tabular-data-package"));
	json_object_set_new(root, "name", json_string(name));
	json_object_set_new(root, "title", json_string(title));
	json_object_set_new(root, "description", json_string(desc));
	json_t *res = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct rbm_export_table *t = tables[i];
		const char *level = rbm_export_level_name(t->level);
		char *path = rbm_xasprintf("%s.csv", level);
		json_t *r = json_object();
		json_object_set_new(r, "profile", json_string("tabular-data-resource"));
		json_object_set_new(r, "name", json_string(level));
		json_object_set_new(r, "path", json_string(path));
		json_object_set_new(r, "title", json_string(titles[t->level]));
		json_object_set_new(r, "format", json_string("csv"));
		json_object_set_new(r, "mediatype", json_string("text/csv"));
		json_object_set_new(r, "encoding", json_string("utf-8"));
		json_t *dialect = json_object();
		json_object_set_new(dialect, "delimiter", json_string(","));
		json_object_set_new(dialect, "lineTerminator", json_string("\r\n"));
		json_object_set_new(dialect, "quoteChar", json_string("\""));
		json_object_set_new(dialect, "doubleQuote", json_true());
		json_object_set_new(dialect, "header", json_true());
		json_object_set_new(r, "dialect", dialect);
		json_object_set_new(r, "schema", schema(t, tables, n));
		json_array_append_new(res, r);
		free(path);
	}
	json_object_set_new(root, "resources", res);
	char *text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	enum rbm_rc rc = RBM_OK;
	if (text == NULL || rbm_buf_adds(out, text) != RBM_OK || rbm_buf_addc(out, '\n') != RBM_OK) {
		rbm_diag_add(d, NULL, NULL, "the data package's descriptor is larger than the limit");
		rc = RBM_ETOOBIG;
	}
	free(text);
	free(desc);
	free(title);
	free(name);
	return rc;
}

/* True when name is one a data package of ours holds. */
static bool ours(const char *name)
{
	if (strcmp(name, "datapackage.json") == 0)
		return true;
	for (int l = 0; l < RBM_EXPORT_LEVEL_COUNT; l++) {
		size_t len = strlen(rbm_export_level_name((enum rbm_export_level)l));
		if (strncmp(name, rbm_export_level_name((enum rbm_export_level)l), len) == 0 &&
		    strcmp(name + len, ".csv") == 0)
			return true;
	}
	return false;
}

/* 1: dir holds only our files (or nothing); 0: something else; -1: cannot read it (errno). */
static int only_ours(const char *dir)
{
	DIR *dh = opendir(dir);
	if (dh == NULL)
		return -1;
	int ok = 1;
	struct dirent *e;
	while ((e = readdir(dh)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && !ours(e->d_name))
			ok = 0;
	closedir(dh);
	return ok;
}

/* Removes our files from dir, then dir (left when anything else is in it). */
static void remove_ours(const char *dir)
{
	DIR *dh = opendir(dir);
	if (dh) {
		struct dirent *e;
		while ((e = readdir(dh)) != NULL)
			if (ours(e->d_name)) {
				char *p = rbm_xasprintf("%s/%s", dir, e->d_name);
				unlink(p);
				free(p);
			}
		closedir(dh);
	}
	rmdir(dir);
}

enum rbm_rc rbm_export_datapackage(const struct rbm_export_table *const *tables, size_t n,
				   const char *dir, struct rbm_diag *d)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (tables[i]->level == tables[j]->level) {
				rbm_diag_add(d, dir, NULL, "the %s level is given twice",
					     rbm_export_level_name(tables[i]->level));
				return RBM_EINVAL;
			}
	/* Refuse to replace a folder that holds anything but an earlier package, before writing anything. */
	struct stat st;
	bool exists = stat(dir, &st) == 0;
	if (exists && !S_ISDIR(st.st_mode)) {
		rbm_diag_add(d, dir, NULL, "exists and is not a folder: nothing was written");
		return RBM_ECONFLICT;
	}
	if (exists) {
		int o = only_ours(dir);
		if (o < 0) {
			rbm_diag_add(d, dir, NULL, "cannot read: %s", strerror(errno));
			return RBM_EIO;
		}
		if (o == 0) {
			rbm_diag_add(d, dir, NULL,
				     "holds files that are not an rbm data package's: nothing was written (choose a new "
				     "or empty folder)");
			return RBM_ECONFLICT;
		}
	}
	size_t dlen = strlen(dir);
	while (dlen > 1 && dir[dlen - 1] == '/')
		dlen--;
	char *target = rbm_xasprintf("%.*s", (int)dlen, dir), *old = NULL;
	/* The new package's folder beside the target (mkdir, so that the umask applies as to any folder). */
	char *tmp = NULL;
	enum rbm_rc rc = RBM_OK;
	for (int k = 0; tmp == NULL; k++) {
		tmp = rbm_xasprintf("%s.part-%ld-%d", target, (long)getpid(), k);
		if (mkdir(tmp, 0777) == 0)
			break;
		int err = errno;
		free(tmp);
		tmp = NULL;
		if (err != EEXIST || k == 99) {
			rbm_diag_add(d, dir, NULL, "cannot create: %s", strerror(err));
			free(target);
			return RBM_EIO;
		}
	}
	struct rbm_export__locale loc;
	rbm_export__locale_enter(&loc);
	struct rbm_buf b;
	rbm_buf_init(&b, 0);
	rc = rbm_export_datapackage_json(tables, n, &b, d);
	char *path = NULL;
	if (rc == RBM_OK) {
		path = rbm_xasprintf("%s/datapackage.json", tmp);
		rc = rbm_export__write_file(path, b.data, b.len, d);
		free(path);
		path = NULL;
	}
	for (size_t i = 0; i < n && rc == RBM_OK; i++) {
		rbm_buf_reset(&b);
		rc = rbm_export__csv(tables[i], &b);
		if (rc == RBM_ETOOBIG)
			rbm_diag_add(d, dir, NULL, "the %s level is larger than the limit", rbm_export_level_name(tables[i]->level));
		if (rc == RBM_OK) {
			path = rbm_xasprintf("%s/%s.csv", tmp, rbm_export_level_name(tables[i]->level));
			rc = rbm_export__write_file(path, b.data ? b.data : "", b.len, d);
			free(path);
			path = NULL;
		}
	}
	rbm_buf_free(&b);
	rbm_export__locale_leave(&loc);
	if (rc == RBM_OK && exists) {
		/* Move the earlier package aside, the new one in, then drop the old. */
		old = rbm_xasprintf("%s.old-%ld", target, (long)getpid());
		if (rename(target, old) != 0) {
			rbm_diag_add(d, dir, NULL, "cannot replace: %s", strerror(errno));
			rc = RBM_EIO;
			free(old);
			old = NULL;
		}
	}
	if (rc == RBM_OK && rename(tmp, target) != 0) {
		rbm_diag_add(d, dir, NULL, "cannot create: %s", strerror(errno));
		rc = RBM_EIO;
		if (old)
			rename(old, target); /* put the earlier package back */
		free(old);
		old = NULL;
	}
	if (rc != RBM_OK)
		remove_ours(tmp);
	if (old)
		remove_ours(old);
	free(old);
	free(tmp);
	free(target);
	return rc;
}
