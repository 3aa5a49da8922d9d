/*
 * gen_values.c - the benchmark's synthetic data values, as a CSV for 'rbm values import'
 * (a measurement input, not a test).
 *
 * Usage: gen_values PLANDIR ROWS OUT.csv
 *
 * Reads PLANDIR/indicators.csv, offices.csv and cities.csv (written by gen_plan) and writes ROWS
 * rows of indicator,year,quarter,office,country,city,disaggregation,category,value, deterministically
 * (a fixed seed: a smaller file is a prefix of a larger one). Rows come in reports: one office's
 * value for one indicator, year, period and place, followed, for disaggregated indicators, by its
 * categories (female and male, then four age groups) as separate rows that add up to the total.
 *   - indicators are drawn Zipf-skewed (s = 1.1, by the rank gen_plan gave them): the heaviest
 *     holds ~20 % of the rows, the ten heaviest ~55 %;
 *   - years 2016-2023; annual indicators report the year (quarter "" or "0", alternately),
 *     quarterly ones quarters 1-4, mixed ones either;
 *   - offices report on their own places: a country office on its country (55 % one of its cities,
 *     10 % no place at all: an office-level value), a regional office on its region's countries or
 *     on none, headquarters on any country or none;
 *   - values fit the unit: people whole >= 0, percent 0-100, others multiples of 0.25 (all exact in
 *     binary, so every engine's sums are exact); some zeros, which count_units must not count.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_YEAR 2016
#define NYEARS 8
#define MAXIND 4096
#define MAXOFF 1024
#define MAXCITY 65536
#define ZIPF_S 1.1

static uint64_t seed = 0xB0A710ADu;

static inline uint64_t rnd(void)
{
	uint64_t z = (seed += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static inline unsigned below(unsigned n)
{
	return (unsigned)(((rnd() >> 32) * n) >> 32);
}

static inline double unit_rand(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

enum unit { U_NUMBER, U_PEOPLE, U_PERCENT };
enum freq { F_ANNUAL, F_QUARTERLY, F_MIXED };

struct ind {
	char code[32];
	enum unit unit;
	bool count;      /* count_units: more zeros */
	int dis;         /* 0 none, 1 sex, 2 sex and age */
	enum freq freq;
	int rank;
};

struct office {
	char code[16];
	int kind;        /* 0 headquarters, 1 regional, 2 country */
	int region;      /* index of its regional office, -1 for HQ */
	int country;     /* index into countries, -1 */
};

static struct ind inds[MAXIND];
static int nind;
static struct office offices[MAXOFF];
static int noff;
static char countries[MAXOFF][4];
static int ncountries;
static char cities[MAXCITY][8];
static int city_country[MAXCITY];
static int ncities;
/* Cities per country: cities_of[country_start[c] .. country_start[c + 1]). */
static int country_start[MAXOFF + 1], cities_of[MAXCITY];
/* Country offices per regional office. */
static int region_start[MAXOFF + 1], offices_of[MAXOFF];
static int country_offices[MAXOFF], ncountry_offices, regional[MAXOFF], nregional, hq = -1;
/* Zipf: cumulative weights by rank, and the indicator at each rank. */
static double zipf_cdf[MAXIND];
static int ind_at_rank[MAXIND];

/* Splits one CSV line (no quoting: gen_plan writes none) in place; returns the field count. */
static int split(char *line, char **f, int max)
{
	int n = 0;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *p = line; n < max;) {
		f[n++] = p;
		char *c = strchr(p, ',');
		if (c == NULL)
			break;
		*c = '\0';
		p = c + 1;
	}
	return n;
}

static FILE *open_in(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	char line[512];
	if (fgets(line, sizeof line, f) == NULL) { /* the header */
		fprintf(stderr, "gen_values: %s is empty\n", path);
		exit(1);
	}
	return f;
}

static int country_index(const char *a3, bool add)
{
	for (int c = 0; c < ncountries; c++)
		if (strcmp(countries[c], a3) == 0)
			return c;
	if (!add) {
		fprintf(stderr, "gen_values: unknown country %s\n", a3);
		exit(1);
	}
	memcpy(countries[ncountries], a3, 4);
	return ncountries++;
}

static void read_plan(const char *dir)
{
	char line[512], *f[16];
	FILE *in = open_in(dir, "indicators.csv");
	while (fgets(line, sizeof line, in) && nind < MAXIND) {
		/* code,rule,count_of,place_combine,unit,domain,direction,dis,freq,rank */
		if (split(line, f, 16) < 10)
			continue;
		struct ind *d = &inds[nind++];
		snprintf(d->code, sizeof d->code, "%s", f[0]);
		d->unit = strcmp(f[4], "people") == 0 ? U_PEOPLE : strcmp(f[4], "percent") == 0 ? U_PERCENT : U_NUMBER;
		d->count = strcmp(f[1], "count_units") == 0;
		d->dis = strcmp(f[7], "sex+age") == 0 ? 2 : strcmp(f[7], "sex") == 0 ? 1 : 0;
		d->freq = strcmp(f[8], "quarterly") == 0 ? F_QUARTERLY : strcmp(f[8], "mixed") == 0 ? F_MIXED : F_ANNUAL;
		d->rank = atoi(f[9]);
	}
	fclose(in);
	FILE *of = open_in(dir, "offices.csv");
	char regions[MAXOFF][16];
	while (fgets(line, sizeof line, of) && noff < MAXOFF) {
		/* code,region,kind,country */
		if (split(line, f, 16) < 4)
			continue;
		struct office *o = &offices[noff];
		snprintf(o->code, sizeof o->code, "%s", f[0]);
		snprintf(regions[noff], sizeof regions[noff], "%s", f[1]);
		o->kind = strcmp(f[2], "headquarters") == 0 ? 0 : strcmp(f[2], "regional") == 0 ? 1 : 2;
		o->country = *f[3] ? country_index(f[3], true) : -1;
		noff++;
	}
	fclose(of);
	for (int i = 0; i < noff; i++) {
		offices[i].region = -1;
		for (int j = 0; j < noff && *regions[i]; j++)
			if (strcmp(offices[j].code, regions[i]) == 0)
				offices[i].region = j;
		if (offices[i].kind == 0)
			hq = i;
		else if (offices[i].kind == 1)
			regional[nregional++] = i;
		else if (offices[i].country >= 0)
			country_offices[ncountry_offices++] = i;
	}
	/* Country offices grouped by region (counting sort). */
	for (int k = 0; k < ncountry_offices; k++)
		region_start[offices[country_offices[k]].region + 1]++;
	for (int r = 0; r < noff; r++)
		region_start[r + 1] += region_start[r];
	int next[MAXOFF + 1];
	memcpy(next, region_start, sizeof next);
	for (int k = 0; k < ncountry_offices; k++)
		offices_of[next[offices[country_offices[k]].region]++] = country_offices[k];

	FILE *cf = open_in(dir, "cities.csv");
	while (fgets(line, sizeof line, cf) && ncities < MAXCITY) {
		if (split(line, f, 16) < 2)
			continue;
		snprintf(cities[ncities], sizeof cities[ncities], "%s", f[0]);
		city_country[ncities++] = country_index(f[1], false);
	}
	fclose(cf);
	for (int i = 0; i < ncities; i++)
		country_start[city_country[i] + 1]++;
	for (int c = 0; c < ncountries; c++)
		country_start[c + 1] += country_start[c];
	int cnext[MAXOFF + 1];
	memcpy(cnext, country_start, sizeof cnext);
	for (int i = 0; i < ncities; i++)
		cities_of[cnext[city_country[i]]++] = i;

	if (nind == 0 || hq < 0 || nregional == 0 || ncountry_offices == 0) {
		fprintf(stderr, "gen_values: %s: the plan tables are incomplete\n", dir);
		exit(1);
	}
	double total = 0;
	for (int r = 0; r < nind; r++) {
		total += pow(r + 1, -ZIPF_S);
		zipf_cdf[r] = total;
	}
	for (int r = 0; r < nind; r++)
		zipf_cdf[r] /= total;
	for (int i = 0; i < nind; i++)
		ind_at_rank[inds[i].rank < nind ? inds[i].rank : 0] = i;
}

static int draw_indicator(void)
{
	double u = unit_rand();
	int lo = 0, hi = nind - 1;
	while (lo < hi) {
		int mid = (lo + hi) / 2;
		if (zipf_cdf[mid] < u)
			lo = mid + 1;
		else
			hi = mid;
	}
	return ind_at_rank[lo];
}

/* ---- output ---- */

static char obuf[1 << 20];
static size_t olen;
static FILE *out;

static void flush(void)
{
	if (olen && fwrite(obuf, 1, olen, out) != olen) {
		perror("gen_values: write");
		exit(1);
	}
	olen = 0;
}

static inline void put(const char *s)
{
	size_t n = strlen(s);
	memcpy(obuf + olen, s, n);
	olen += n;
}

static inline void putc_(char c)
{
	obuf[olen++] = c;
}

static inline void put_uint(uint64_t v)
{
	char t[24];
	int n = 0;
	do
		t[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		obuf[olen++] = t[--n];
}

/* A value in ticks: whole people, or quarters. */
static inline void put_ticks(uint64_t ticks, bool quarters)
{
	if (!quarters) {
		put_uint(ticks);
		return;
	}
	put_uint(ticks / 4);
	static const char *const frac[] = {"", ".25", ".5", ".75"};
	put(frac[ticks % 4]);
}

struct report {
	const struct ind *ind;
	int year, quarter;
	bool empty_quarter;
	const char *office, *country, *city;
};

static void put_row(const struct report *r, const char *dis, const char *cat, uint64_t ticks)
{
	put(r->ind->code);
	putc_(',');
	put_uint((uint64_t)r->year);
	putc_(',');
	if (r->quarter || !r->empty_quarter)
		put_uint((uint64_t)r->quarter);
	putc_(',');
	put(r->office);
	putc_(',');
	put(r->country);
	putc_(',');
	put(r->city);
	putc_(',');
	put(dis);
	putc_(',');
	put(cat);
	putc_(',');
	put_ticks(ticks, r->ind->unit != U_PEOPLE);
	putc_('\n');
	if (olen > sizeof obuf - 512)
		flush();
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: gen_values PLANDIR ROWS OUT.csv\n");
		return 2;
	}
	read_plan(argv[1]);
	char *end;
	unsigned long long rows = strtoull(argv[2], &end, 10);
	if (*end || rows == 0) {
		fprintf(stderr, "gen_values: ROWS must be a positive number\n");
		return 2;
	}
	out = fopen(argv[3], "w");
	if (out == NULL) {
		perror(argv[3]);
		return 1;
	}
	put("indicator,year,quarter,office,country,city,disaggregation,category,value\n");
	static const char *const ages[] = {"y0_14", "y15_24", "y25_64", "y65_plus"};
	unsigned long long written = 0, reports = 0;
	while (written < rows) {
		struct report r;
		r.ind = &inds[draw_indicator()];
		r.year = FIRST_YEAR + (int)below(NYEARS);
		bool quarterly = r.ind->freq == F_QUARTERLY || (r.ind->freq == F_MIXED && below(10) >= 4);
		r.quarter = quarterly ? 1 + (int)below(4) : 0;
		r.empty_quarter = (reports & 1) != 0;
		/* Who reports, and on which place. */
		unsigned who = below(100);
		int country = -1, city = -1;
		const struct office *o;
		if (who < 85) {
			o = &offices[country_offices[below((unsigned)ncountry_offices)]];
			unsigned where = below(100);
			if (where < 90)
				country = o->country;
			if (where < 55 && country_start[country + 1] > country_start[country])
				city = cities_of[country_start[country] +
						 (int)below((unsigned)(country_start[country + 1] - country_start[country]))];
		} else if (who < 97) {
			int ro = regional[below((unsigned)nregional)];
			o = &offices[ro];
			int n = region_start[ro + 1] - region_start[ro];
			if (n > 0 && below(10) < 6) {
				country = offices[offices_of[region_start[ro] + (int)below((unsigned)n)]].country;
				int nc = country_start[country + 1] - country_start[country];
				if (nc > 0 && below(10) < 4)
					city = cities_of[country_start[country] + (int)below((unsigned)nc)];
			}
		} else {
			o = &offices[hq];
			if (below(10) < 4)
				country = (int)below((unsigned)ncountries);
		}
		r.office = o->code;
		r.country = country >= 0 ? countries[country] : "";
		r.city = city >= 0 ? cities[city] : "";
		/* The value, in ticks. */
		uint64_t t;
		if (r.ind->count)
			t = below(4) == 0 ? 0 : 1 + below(100);
		else if (r.ind->unit == U_PERCENT)
			t = below(401);
		else if (below(20) == 0)
			t = 0;
		else if (r.ind->unit == U_PEOPLE)
			t = (uint64_t)exp(unit_rand() * log(20000.0));
		else
			t = below(4000);
		put_row(&r, "", "", t);
		written++;
		reports++;
		if (r.ind->dis >= 1 && written < rows) {
			uint64_t fem = (uint64_t)(t * (0.3 + 0.4 * unit_rand()));
			put_row(&r, "sex", "female", fem);
			if (++written < rows) {
				put_row(&r, "sex", "male", t - fem);
				written++;
			}
		}
		if (r.ind->dis == 2) {
			uint64_t left = t;
			for (int a = 0; a < 4 && written < rows; a++) {
				uint64_t part = a == 3 ? left : (uint64_t)(left * (0.15 + 0.3 * unit_rand()));
				put_row(&r, "age", ages[a], part);
				left -= part;
				written++;
			}
		}
	}
	flush();
	if (fclose(out) != 0) {
		perror(argv[3]);
		return 1;
	}
	return 0;
}
