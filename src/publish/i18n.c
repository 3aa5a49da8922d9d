/*
 * i18n.c - translation status and XLIFF 2.0 (libxml2).
 */
#include "i18n.h"

#include "../core/alloc.h"
#include "editorial.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <stdlib.h>
#include <string.h>

#define XLIFF_NS "urn:oasis:names:tc:xliff:document:2.0"

void rbm_i18n_items_free(struct rbm_i18n_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].report);
		free(v[i].key);
	}
	free(v);
}

enum rbm_rc rbm_i18n_status(struct rbm_store *s, struct rbm_i18n_item **out, size_t *out_len,
			    struct rbm_diag *d)
{
	struct rbm_query *q = NULL, *t = NULL;
	enum rbm_rc rc = rbm_store_query(s, "SELECT report, cycle, key, body FROM editorial WHERE lang = 'en' "
					    "ORDER BY report, cycle, key", &q, d);
	if (rc == RBM_OK)
		rc = rbm_store_query(s, "SELECT lang, source_hash FROM editorial WHERE report = ? AND cycle = ? "
					"AND key = ? AND lang <> 'en'", &t, d);
	struct rbm_i18n_item *v = NULL;
	size_t n = 0, cap = 0;
	while (rc == RBM_OK && (rc = rbm_query_step(q, d)) == RBM_OK) {
		rbm_xgrow(&v, &cap, n + 1, sizeof *v);
		struct rbm_i18n_item *it = &v[n++];
		it->report = rbm_xstrdup(rbm_query_text(q, 0));
		it->cycle = (int)rbm_query_int(q, 1);
		it->key = rbm_xstrdup(rbm_query_text(q, 2));
		char h[65];
		rbm_editorial_hash(rbm_query_text(q, 3), h);
		for (int l = 0; l < RBM_LANG_COUNT; l++)
			it->state[l] = l == RBM_LANG_EN ? RBM_I18N_CURRENT : RBM_I18N_MISSING;
		rbm_query_bind_text(t, 1, it->report);
		rbm_query_bind_int(t, 2, it->cycle);
		rbm_query_bind_text(t, 3, it->key);
		enum rbm_rc r2;
		while ((r2 = rbm_query_step(t, d)) == RBM_OK) {
			enum rbm_lang l;
			const char *src = rbm_query_text(t, 1);
			if (rbm_lang_parse(rbm_query_text(t, 0), &l))
				it->state[l] = src && strcmp(src, h) == 0 ? RBM_I18N_CURRENT : RBM_I18N_STALE;
		}
		rbm_query_reset(t);
		if (r2 != RBM_ENOENT)
			rc = r2;
	}
	rbm_query_free(q);
	rbm_query_free(t);
	if (rc != RBM_ENOENT) {
		rbm_i18n_items_free(v, n);
		return rc;
	}
	*out = v;
	*out_len = n;
	return RBM_OK;
}

enum rbm_rc rbm_i18n_export(struct rbm_store *s, enum rbm_lang lang, const char *path,
			    size_t *units, size_t *untranslated, struct rbm_diag *d)
{
	struct rbm_query *q = NULL;
	*units = *untranslated = 0;
	enum rbm_rc rc = rbm_store_query(
		s, "SELECT e.report, e.cycle, e.key, e.body, t.body, t.source_hash FROM editorial e "
		   "LEFT JOIN editorial t ON t.report = e.report AND t.cycle = e.cycle AND t.key = e.key "
		   "AND t.lang = ? WHERE e.lang = 'en' ORDER BY e.report, e.cycle, e.key", &q, d);
	if (rc != RBM_OK)
		return rc;
	rbm_query_bind_text(q, 1, rbm_lang_tag(lang));
	xmlTextWriterPtr w = xmlNewTextWriterFilename(path, 0);
	if (w == NULL) {
		rbm_diag_add(d, path, NULL, "cannot create the file");
		rbm_query_free(q);
		return RBM_EIO;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, BAD_CAST "xliff");
	xmlTextWriterWriteAttribute(w, BAD_CAST "xmlns", BAD_CAST XLIFF_NS);
	xmlTextWriterWriteAttribute(w, BAD_CAST "version", BAD_CAST "2.0");
	xmlTextWriterWriteAttribute(w, BAD_CAST "srcLang", BAD_CAST "en");
	xmlTextWriterWriteAttribute(w, BAD_CAST "trgLang", BAD_CAST rbm_lang_tag(lang));
	char file_id[64] = "";
	while ((rc = rbm_query_step(q, d)) == RBM_OK) {
		char fid[64], uid[256];
		snprintf(fid, sizeof fid, "%s-%lld", rbm_query_text(q, 0), rbm_query_int(q, 1));
		if (strcmp(fid, file_id) != 0) {
			if (file_id[0])
				xmlTextWriterEndElement(w);
			xmlTextWriterStartElement(w, BAD_CAST "file");
			xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST fid);
			snprintf(file_id, sizeof file_id, "%s", fid);
		}
		snprintf(uid, sizeof uid, "%s", rbm_query_text(q, 2));
		const char *en = rbm_query_text(q, 3), *tr = rbm_query_text(q, 4), *src = rbm_query_text(q, 5);
		char h[65];
		rbm_editorial_hash(en, h);
		bool current = tr && src && strcmp(src, h) == 0;
		xmlTextWriterStartElement(w, BAD_CAST "unit");
		xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST uid);
		xmlTextWriterStartElement(w, BAD_CAST "segment");
		xmlTextWriterWriteAttribute(w, BAD_CAST "state", BAD_CAST(current ? "translated" : "initial"));
		xmlTextWriterWriteElement(w, BAD_CAST "source", BAD_CAST en);
		if (tr && current)
			xmlTextWriterWriteElement(w, BAD_CAST "target", BAD_CAST tr);
		xmlTextWriterEndElement(w);
		xmlTextWriterEndElement(w);
		(*units)++;
		*untranslated += !current;
	}
	if (file_id[0])
		xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
	int end = xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	rbm_query_free(q);
	if (end < 0) {
		rbm_diag_add(d, path, NULL, "cannot write the file");
		return RBM_EIO;
	}
	return rc == RBM_ENOENT ? RBM_OK : rc;
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

enum rbm_rc rbm_i18n_import(struct rbm_store *s, const char *path, const char *actor,
			    size_t *stored, struct rbm_diag *d)
{
	*stored = 0;
	xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL) {
		const xmlError *e = xmlGetLastError();
		char where[32];
		snprintf(where, sizeof where, "line %d", e ? e->line : 0);
		rbm_diag_add(d, path, where, "not well-formed XML: %s", e && e->message ? e->message : "?");
		return RBM_EINVAL;
	}
	enum rbm_rc rc = RBM_OK;
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlChar *version = root ? xmlGetProp(root, BAD_CAST "version") : NULL;
	xmlChar *trg = root ? xmlGetProp(root, BAD_CAST "trgLang") : NULL;
	enum rbm_lang lang;
	if (root == NULL || strcmp((const char *)root->name, "xliff") != 0 || version == NULL ||
	    strcmp((const char *)version, "2.0") != 0) {
		rbm_diag_add(d, path, NULL, "not an XLIFF 2.0 file (<xliff version=\"2.0\">)");
		rc = RBM_EINVAL;
	} else if (trg == NULL || !rbm_lang_parse((const char *)trg, &lang) || lang == RBM_LANG_EN) {
		rbm_diag_add(d, path, NULL, "trgLang must be one of ar, zh, fr, ru, es");
		rc = RBM_EINVAL;
	}
	if (rc == RBM_OK)
		rc = rbm_store_begin(s, d);
	for (xmlNodePtr f = root ? root->children : NULL; rc == RBM_OK && f; f = f->next) {
		if (f->type != XML_ELEMENT_NODE || strcmp((const char *)f->name, "file") != 0)
			continue;
		xmlChar *fid = xmlGetProp(f, BAD_CAST "id");
		char report[64] = "";
		int cycle = 0;
		const char *dash = fid ? strrchr((const char *)fid, '-') : NULL;
		if (dash) {
			snprintf(report, sizeof report, "%.*s", (int)(dash - (const char *)fid), fid);
			cycle = atoi(dash + 1);
		}
		for (xmlNodePtr u = f->children; rc == RBM_OK && u; u = u->next) {
			if (u->type != XML_ELEMENT_NODE || strcmp((const char *)u->name, "unit") != 0)
				continue;
			xmlChar *uid = xmlGetProp(u, BAD_CAST "id");
			xmlNodePtr seg = child(u, "segment");
			xmlChar *src = xmlNodeGetContent(child(seg, "source"));
			xmlNodePtr tn = child(seg, "target");
			xmlChar *tgt = tn ? xmlNodeGetContent(tn) : NULL;
			char where[64];
			snprintf(where, sizeof where, "line %ld, unit %s", (long)xmlGetLineNo(u), uid ? (const char *)uid : "?");
			if (tgt && *tgt && uid && src) {
				char *en = NULL;
				bool stale;
				rbm_editorial_get(s, report, cycle, (const char *)uid, RBM_LANG_EN, &en, &stale, d);
				if (en == NULL) {
					rbm_diag_add(d, path, where, "no English paragraph %s in %s %d", uid, report, cycle);
					rc = RBM_EINVAL;
				} else if (strcmp(en, (const char *)src) != 0) {
					rbm_diag_add(d, path, where,
						     "the English text changed since this file was exported: export again");
					rc = RBM_ECONFLICT;
				} else {
					rc = rbm_editorial_set(s, report, cycle, (const char *)uid, lang, (const char *)tgt,
							       actor, d);
					*stored += rc == RBM_OK;
				}
				free(en);
			}
			xmlFree(uid);
			xmlFree(src);
			xmlFree(tgt);
		}
		xmlFree(fid);
	}
	if (rc == RBM_OK) {
		char detail[64];
		snprintf(detail, sizeof detail, "%zu translations", *stored);
		struct rbm_audit_event e = {actor, "cli", "local", "i18n.import", path, NULL, NULL, NULL, detail};
		rc = rbm_store_audit_append(s, &e, d);
	}
	if (rc == RBM_OK)
		rc = rbm_store_commit(s, d);
	else
		rbm_store_rollback(s); /* a no-op when nothing was begun */
	xmlFree(version);
	xmlFree(trg);
	xmlFreeDoc(doc);
	return rc;
}
