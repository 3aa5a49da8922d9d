/*
 * iati.h - a plan's results as an IATI 2.03 activity file (docs/exports.md, "IATI").
 *
 * One iati-activity for the plan as a whole and one per programme of the
 * plan, identified from the plan's "iati" object (reporting organisation,
 * activity prefix). Each carries its outcomes (result type 2) with their
 * indicators: measure, baseline, and one period per year with the plan's
 * target and the approved actual (the figure 'rbm results' gives), and the
 * countries behind each actual as activity locations. Written with libxml2's
 * xmlTextWriter; the file validates against IATI's iati-activities-schema.xsd.
 *
 * Ownership: the built document is the caller's (free() it). Nothing is
 * written to disk until rbm_export_iati_write(), which writes beside the
 * target and renames, so a failure leaves no partial file.
 */
#ifndef RBM_EXPORT_IATI_H
#define RBM_EXPORT_IATI_H

#include "../core/diag.h"
#include "../core/rbm.h"
#include "../measure/measure.h"
#include "../plan/plan.h"
#include "../store/store.h"

#include <stddef.h>

struct rbm_export_iati_opts {
	int cycle;              /* the reporting cycle published: it must exist and have data */
	int year_from, year_to; /* one period per year; both 0: the cycle's year alone */
	const char *now;        /* generated-datetime, YYYY-MM-DDTHH:MM:SSZ; NULL: rbm_store_now() */
};

struct rbm_export_iati_summary {
	size_t activities, results, indicators, periods, actuals;
	size_t skipped; /* indicators left out (text, or not on an outcome), each named in warnings */
};

/*
 * Builds the IATI file for o into *out (NUL-terminated UTF-8, free() it)
 * and *out_len. m is the engine loaded from s. Indicators left out are
 * named in warnings (one entry each). Returns RBM_EINVAL, with the reason
 * in d, when the plan has no "iati" object, when the years lie outside the
 * plan period or do not include the cycle, when the cycle does not exist,
 * or when it has no approved data; RBM_ESTORE or RBM_ENOMEM on failures.
 * *out, *out_len and *sum are set only on success.
 */
enum rbm_rc rbm_export_iati_build(struct rbm_store *s, const struct rbm_plan *p,
				  const struct rbm_places *places, const struct rbm_measure *m,
				  const struct rbm_export_iati_opts *o, char **out, size_t *out_len,
				  struct rbm_export_iati_summary *sum, struct rbm_diag *warnings,
				  struct rbm_diag *d);

/*
 * Writes data to path: into a new temporary file in path's folder, then
 * renamed over path, so that path holds either its old content or the whole
 * new one. RBM_EIO with the reason (the folder is missing, not writable, the
 * disk is full) in d, naming path.
 */
enum rbm_rc rbm_export_iati_write(const char *path, const char *data, size_t len,
				 struct rbm_diag *d);

#endif
