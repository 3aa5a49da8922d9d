/*
 * locale.c - ICU formatting and collation for the six languages.
 */
#include "locale.h"

#include "../core/alloc.h"
#include "../core/sort.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/udat.h>
#include <unicode/udatpg.h>
#include <unicode/ulistformatter.h>
#include <unicode/unumberformatter.h>
#include <unicode/ustring.h>

const char *rbm_locale_id(enum rbm_lang lang)
{
	static const char *const ids[RBM_LANG_COUNT] = {"ar-u-nu-latn", "zh-Hans", "en-GB", "fr", "ru", "es"};
	return (unsigned)lang < RBM_LANG_COUNT ? ids[lang] : "en";
}

/* UTF-16 to UTF-8 into out; "" on failure. */
static void to_utf8(const UChar *s, int32_t n, char *out, size_t cap)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t len = 0;
	u_strToUTF8(out, (int32_t)cap - 1, &len, s, n, &st);
	if (U_FAILURE(st) || len >= (int32_t)cap)
		len = 0;
	out[len] = '\0';
}

static void fallback(double x, int max_frac, char *out, size_t cap)
{
	snprintf(out, cap, "%.*f", x == floor(x) ? 0 : max_frac, x);
}

/* Formats x with an ICU number skeleton (UTF-8 ASCII). */
static bool skeleton_fmt(enum rbm_lang lang, const char *skeleton, double x, char *out, size_t cap)
{
	UChar sk[128];
	u_uastrcpy(sk, skeleton);
	UErrorCode st = U_ZERO_ERROR;
	UNumberFormatter *f = unumf_openForSkeletonAndLocale(sk, -1, rbm_locale_id(lang), &st);
	UFormattedNumber *r = unumf_openResult(&st);
	UChar buf[256];
	int32_t n = 0;
	if (U_SUCCESS(st)) {
		unumf_formatDouble(f, x, r, &st);
		n = unumf_resultToString(r, buf, 256, &st);
	}
	unumf_closeResult(r);
	unumf_close(f);
	if (U_FAILURE(st) || n <= 0 || n >= 256)
		return false;
	to_utf8(buf, n, out, cap);
	return out[0] != '\0';
}

void rbm_fmt_number(enum rbm_lang lang, double x, int max_frac, char *out, size_t cap)
{
	char sk[64];
	if (max_frac <= 0)
		snprintf(sk, sizeof sk, "precision-integer");
	else
		snprintf(sk, sizeof sk, ".%.*s", max_frac > 6 ? 6 : max_frac, "######");
	if (!skeleton_fmt(lang, sk, x, out, cap))
		fallback(x, max_frac, out, cap);
}

/* Chinese UN documents put a space between the figure and 万 or 亿: "290 万". */
static void space_cjk_unit(char *s, size_t cap)
{
	static const char *const units[] = {"万", "亿"};
	for (size_t u = 0; u < 2; u++) {
		char *p = strstr(s, units[u]);
		if (p && p > s && p[-1] >= '0' && p[-1] <= '9' && strlen(s) + 2 < cap) {
			memmove(p + 1, p, strlen(p) + 1);
			*p = ' ';
		}
	}
}

void rbm_fmt_compact(enum rbm_lang lang, double x, char *out, size_t cap)
{
	/*
	 * Rounded words only for large figures: millions ("2.9 million"), or in
	 * Chinese from 万 up ("54 万"); below that UN documents write the number.
	 */
	if (fabs(x) < (lang == RBM_LANG_ZH ? 10000 : 1000000)) {
		rbm_fmt_number(lang, x, 0, out, cap);
		return;
	}
	if (!skeleton_fmt(lang, lang == RBM_LANG_ZH ? "compact-short" : "compact-long", x, out, cap))
		fallback(x, 0, out, cap);
	if (lang == RBM_LANG_ZH)
		space_cjk_unit(out, cap);
}

void rbm_fmt_percent(enum rbm_lang lang, double pct, char *out, size_t cap)
{
	if (!skeleton_fmt(lang, "percent precision-integer", pct, out, cap))
		snprintf(out, cap, "%.0f%%", pct);
}

void rbm_fmt_date(enum rbm_lang lang, int year, int month, int day, char *out, size_t cap)
{
	UErrorCode st = U_ZERO_ERROR;
	const char *loc = rbm_locale_id(lang);
	UDateTimePatternGenerator *g = udatpg_open(loc, &st);
	UChar skel[16], pat[64], res[128];
	u_uastrcpy(skel, "yMMMMd");
	int32_t plen = udatpg_getBestPattern(g, skel, -1, pat, 64, &st);
	udatpg_close(g);
	UDateFormat *f = udat_open(UDAT_PATTERN, UDAT_PATTERN, loc, u"UTC", -1, pat, plen, &st);
	UCalendar *c = ucal_open(u"UTC", -1, loc, UCAL_GREGORIAN, &st);
	int32_t n = 0;
	if (U_SUCCESS(st)) {
		ucal_clear(c);
		ucal_setDateTime(c, year, month - 1, day, 12, 0, 0, &st);
		UDate when = ucal_getMillis(c, &st);
		n = udat_format(f, when, res, 128, NULL, &st);
	}
	ucal_close(c);
	udat_close(f);
	if (U_FAILURE(st) || n <= 0 || n >= 128) {
		snprintf(out, cap, "%04d-%02d-%02d", year, month, day);
	} else if (lang == RBM_LANG_ZH) {
		/* UN Chinese documents space the figures: "2022 年 1 月 10 日". */
		snprintf(out, cap, "%d 年 %d 月 %d 日", year, month, day);
	} else {
		to_utf8(res, n, out, cap);
	}
}

void rbm_fmt_list(enum rbm_lang lang, const char *const *items, size_t n, char *out, size_t cap)
{
	out[0] = '\0';
	if (n == 0)
		return;
	UErrorCode st = U_ZERO_ERROR;
	UChar **u = rbm_xcalloc(n, sizeof *u);
	int32_t *len = rbm_xcalloc(n, sizeof *len);
	for (size_t i = 0; i < n; i++) {
		int32_t need = 0;
		UErrorCode s2 = U_ZERO_ERROR;
		u_strFromUTF8(NULL, 0, &need, items[i], -1, &s2);
		u[i] = rbm_xcalloc((size_t)need + 1, sizeof **u);
		s2 = U_ZERO_ERROR;
		u_strFromUTF8(u[i], need + 1, &len[i], items[i], -1, &s2);
	}
	UListFormatter *lf = ulistfmt_openForType(rbm_locale_id(lang), ULISTFMT_TYPE_AND,
						  ULISTFMT_WIDTH_WIDE, &st);
	int32_t need = U_SUCCESS(st) ? ulistfmt_format(lf, (const UChar *const *)u, len, (int32_t)n, NULL, 0, &st) : 0;
	if (st == U_BUFFER_OVERFLOW_ERROR)
		st = U_ZERO_ERROR;
	UChar *res = rbm_xcalloc((size_t)need + 1, sizeof *res);
	if (U_SUCCESS(st))
		ulistfmt_format(lf, (const UChar *const *)u, len, (int32_t)n, res, need + 1, &st);
	if (U_SUCCESS(st))
		to_utf8(res, need, out, cap);
	if (U_FAILURE(st) || out[0] == '\0') {
		size_t o = 0;
		for (size_t i = 0; i < n && o + 3 < cap; i++)
			o += (size_t)snprintf(out + o, cap - o, "%s%s", i ? ", " : "", items[i]);
	}
	ulistfmt_close(lf);
	free(res);
	for (size_t i = 0; i < n; i++)
		free(u[i]);
	free(u);
	free(len);
}

static int cmp_coll(const void *a, const void *b, void *ctx)
{
	UErrorCode st = U_ZERO_ERROR;
	UCollationResult r = ucol_strcollUTF8(ctx, *(const char *const *)a, -1, *(const char *const *)b, -1, &st);
	return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

void rbm_collate_sort(enum rbm_lang lang, const char **items, size_t n)
{
	UErrorCode st = U_ZERO_ERROR;
	UCollator *c = ucol_open(rbm_locale_id(lang), &st);
	if (U_SUCCESS(st))
		rbm_sort(items, n, sizeof *items, cmp_coll, c);
	ucol_close(c);
}
