/*
 * report.h - building a report from its definition, the editorial text and
 * the measured figures (docs/reports.md).
 */
#ifndef RBM_PUBLISH_REPORT_H
#define RBM_PUBLISH_REPORT_H

#include "../collect/collect.h"
#include "../measure/measure.h"
#include "doc.h"

struct rbm_report_ctx {
	struct rbm_store *s;
	const struct rbm_plan *p;
	const struct rbm_places *places;
	const struct rbm_measure *m;
	const struct rbm_figures *figs;
	const struct rbm_cycle *cycle;
	const char *dir;     /* the plan's report folder: definitions and labels.json */
	bool strict;         /* a text missing in the language is an error, not an English fallback */
	/*
	 * A draft (not strict): a paragraph with no text in any language is
	 * shown as a marked placeholder and counted in *fallbacks, not an error,
	 * so that a report can be previewed before its text is written.
	 */
	bool draft;
};

/*
 * Builds report id ("highlights", "annual") in lang. Problems (a definition
 * that does not parse, with its line; a placeholder naming an unknown
 * figure, with the paragraph; a missing text) go to d. Texts shown in
 * English for want of a translation are marked and counted in *fallbacks.
 */
enum rbm_rc rbm_report_build(const struct rbm_report_ctx *c, const char *id, enum rbm_lang lang,
			     struct rbm_doc **out, size_t *fallbacks, struct rbm_diag *d);

#endif
