/*
 * locale.h - numbers, percentages, dates, lists and sorting as each of the
 * six languages writes them (through ICU).
 *
 * Arabic uses the digits 0-9 (the "latn" numbering system), as UN Arabic
 * documents do; French and Russian group with a narrow space and use a
 * decimal comma; Chinese rounds large numbers in 万.
 */
#ifndef RBM_PUBLISH_LOCALE_H
#define RBM_PUBLISH_LOCALE_H

#include "../core/rbm.h"

#include <stddef.h>

/* The ICU locale rbm uses for lang, e.g. "ar-u-nu-latn", "zh-Hans". */
const char *rbm_locale_id(enum rbm_lang lang);

/* x with the language's grouping and decimal mark, at most max_frac decimals. */
void rbm_fmt_number(enum rbm_lang lang, double x, int max_frac, char *out, size_t cap);
/* A rounded, compact number: "2.9 million", "2,9 millions", "290 万". */
void rbm_fmt_compact(enum rbm_lang lang, double x, char *out, size_t cap);
/* A percentage given as 0-100: "116%", "116 %", "116٪". */
void rbm_fmt_percent(enum rbm_lang lang, double pct, char *out, size_t cap);
/* A date: "10 January 2022", "10 janvier 2022", "2022年1月10日". */
void rbm_fmt_date(enum rbm_lang lang, int year, int month, int day, char *out, size_t cap);
/* "a, b and c" in the language. */
void rbm_fmt_list(enum rbm_lang lang, const char *const *items, size_t n, char *out, size_t cap);
/* Sorts strings (UTF-8) by the language's collation. */
void rbm_collate_sort(enum rbm_lang lang, const char **items, size_t n);

#endif
