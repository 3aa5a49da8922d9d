/*
 * publication.h - which reports the public sees.
 *
 * A report ("highlights" or "annual") of a reporting cycle is either
 * published or not; the web server shows the public only published ones.
 * Publishing and unpublishing are each one transaction with their entry
 * in the audit log ("report.publish", "report.unpublish", object
 * "report annual 2021"), so the log holds the whole history; the table
 * publications holds the current state (schema version 7).
 */
#ifndef RBM_PUBLISH_PUBLICATION_H
#define RBM_PUBLISH_PUBLICATION_H

#include "../collect/collect.h"
#include "../core/diag.h"
#include "../store/store.h"

/* True when report names a report that can be published: "highlights" or "annual". */
bool rbm_publication_report_known(const char *report);

/*
 * Publishes (published true) or unpublishes report of the cycle for year,
 * as who, in one transaction with its audit entry.
 *   RBM_EINVAL     report is not "highlights" or "annual"
 *   RBM_ENOENT     there is no reporting cycle for year
 *   RBM_ECONFLICT  the report is in that state already ("... is published
 *                  already", "... is not published"); nothing is written
 *   RBM_ESTORE     the database failed; nothing is written
 * Problems go to d.
 */
enum rbm_rc rbm_publication_set(struct rbm_store *s, const char *report, int year, bool published,
				const struct rbm_actor *who, struct rbm_diag *d);

/*
 * Whether report of year is published, and when (YYYY-MM-DDTHH:MM:SSZ,
 * "" when not published; published_at may be NULL). A year without a
 * cycle is simply not published. Out-parameters are set only on success.
 * RBM_EINVAL for an unknown report.
 */
enum rbm_rc rbm_publication_get(struct rbm_store *s, const char *report, int year, bool *published,
				char published_at[21], struct rbm_diag *d);

/* One published report. */
struct rbm_publication {
	char report[16];       /* "highlights", "annual" */
	int year;              /* the cycle's year */
	char published_at[21]; /* YYYY-MM-DDTHH:MM:SSZ */
	char *published_by;    /* the user who published it */
};

/*
 * Every published report, newest cycle first, then by report id. *out is
 * the caller's: free it with rbm_publication_list_free(*out, *out_len).
 */
enum rbm_rc rbm_publication_list(struct rbm_store *s, struct rbm_publication **out,
				 size_t *out_len, struct rbm_diag *d);
void rbm_publication_list_free(struct rbm_publication *v, size_t n);

#endif
