/*
 * gen_plan.c - the benchmark's synthetic plan (a measurement input, not a test).
 *
 * Usage: gen_plan COUNTRIES_CSV OUTDIR
 *
 * Writes, deterministically (a fixed seed):
 *   OUTDIR/plan.json       a plan in rbm's format (docs/plan-format.md): 4 domains x 3 outcomes x
 *                          4 outputs, 504 indicators (10 per output, 2 per outcome), every rule
 *                          (sum, max, min, mean, latest, count_units of country and of city), both
 *                          place_combine values, some decreasing, some without targets, units
 *                          number/people/percent, disaggregations sex (2) and age (4), targets for
 *                          2016-2023; HQ, 8 regional offices, 200 country offices (real ISO alpha-3
 *                          codes, the first 200 of COUNTRIES_CSV), 10,000 cities C00001...
 *   OUTDIR/indicators.csv  code,rule,count_of,place_combine,unit,domain,direction,dis,freq,rank
 *                          (dis: "", "sex" or "sex+age"; freq: annual, quarterly or mixed; rank: the
 *                          indicator's place in the Zipf order gen_values draws rows by)
 *   OUTDIR/offices.csv     code,region,kind,country (region: the regional office, "" for HQ)
 *   OUTDIR/targets.csv     indicator,year,target,baseline,direction (baseline "" when none)
 *   OUTDIR/cities.csv      code,country
 * The CSVs are the plan as tables, for the SQL side of bench/run.sh and for gen_values.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_YEAR 2016
#define LAST_YEAR 2023
#define NCOUNTRIES 200
#define NREGIONS 8
#define NCITIES 10000
#define NDOMAINS 4
#define NOUTCOMES 3
#define NOUTPUTS 4
#define PER_OUTPUT 10
#define PER_OUTCOME 2
#define NIND (NDOMAINS * NOUTCOMES * (NOUTPUTS * PER_OUTPUT + PER_OUTCOME))

static uint64_t seed = 0x5EED2016u;

static uint64_t rnd(void)
{
	uint64_t z = (seed += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static unsigned below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

static double unit_rand(void)
{
	return (double)(rnd() >> 11) / 9007199254740992.0;
}

enum rule { R_SUM, R_MAX, R_MIN, R_MEAN, R_LATEST, R_COUNT_COUNTRY, R_COUNT_CITY, R_N };
static const char *const rule_names[R_N] = {"sum", "max", "min", "mean", "latest", "count_units",
					    "count_units"};

struct ind {
	char code[24];
	int domain;
	enum rule rule;
	const char *unit, *combine, *direction, *dis, *freq;
	int rank;
	bool has_targets, has_baseline;
	double target[LAST_YEAR - FIRST_YEAR + 1], baseline;
};

static struct ind inds[NIND];
static char countries[NCOUNTRIES][4];

static FILE *open_out(const char *dir, const char *name)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	return f;
}

static void close_out(FILE *f)
{
	if (ferror(f) || fclose(f) != 0) {
		perror("gen_plan: write");
		exit(1);
	}
}

static void read_countries(const char *path)
{
	FILE *f = fopen(path, "r");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
	char line[4096];
	size_t n = 0;
	if (fgets(line, sizeof line, f) == NULL) /* the header */
		exit(1);
	while (n < NCOUNTRIES && fgets(line, sizeof line, f)) {
		if (strlen(line) < 4 || line[3] != ',')
			continue;
		memcpy(countries[n], line, 3);
		countries[n][3] = '\0';
		n++;
	}
	fclose(f);
	if (n < NCOUNTRIES) {
		fprintf(stderr, "gen_plan: %s: only %zu countries\n", path, n);
		exit(1);
	}
}

/* Rounds to what the unit allows: people and counts of places whole, others to a quarter (exact in
 * binary, so sums are exact in every engine). */
static double fit(const char *unit, bool whole, double x)
{
	if (whole)
		return (double)(long long)(x + 0.5);
	if (strcmp(unit, "percent") == 0) {
		x = x < 0 ? 0 : x > 100 ? 100 : x;
		return (double)(long long)(x * 4 + 0.5) / 4;
	}
	if (strcmp(unit, "people") == 0)
		return (double)(long long)(x + 0.5);
	return (double)(long long)(x * 4 + 0.5) / 4;
}

/* The attributes of indicator k, whose Zipf rank is rank. */
static void make_indicator(struct ind *in, int rank)
{
	in->rank = rank;
	/* The 14 heaviest indicators cover every rule twice; the rest draw one. */
	if (rank < 2 * R_N) {
		in->rule = (enum rule)(rank % R_N);
	} else {
		unsigned r = below(100);
		in->rule = r < 34 ? R_SUM : r < 44 ? R_MAX : r < 54 ? R_MIN : r < 68 ? R_MEAN
			   : r < 84 ? R_LATEST : r < 92 ? R_COUNT_COUNTRY : R_COUNT_CITY;
	}
	unsigned u = below(100);
	switch (in->rule) {
	case R_SUM: in->unit = u < 60 ? "people" : "number"; break;
	case R_MAX:
	case R_MIN: in->unit = u < 40 ? "number" : u < 70 ? "percent" : "people"; break;
	case R_MEAN: in->unit = u < 60 ? "percent" : u < 85 ? "number" : "people"; break;
	case R_LATEST: in->unit = u < 50 ? "people" : "number"; break;
	default: in->unit = "number"; break;
	}
	bool percent = strcmp(in->unit, "percent") == 0, people = strcmp(in->unit, "people") == 0;
	in->combine = below(100) < (percent ? 80 : 50) ? "max" : "sum";
	in->direction = below(100) < (people ? 5 : 20) ? "decrease" : "increase";
	unsigned dis = below(100);
	in->dis = people ? (dis < 60 ? "sex+age" : dis < 80 ? "sex" : "")
		  : (!percent && in->rule != R_COUNT_COUNTRY && in->rule != R_COUNT_CITY && dis < 10) ? "sex"
		  : "";
	unsigned fr = below(100);
	unsigned mixed = in->rule == R_LATEST ? 30 : 15;
	in->freq = fr < mixed ? "mixed" : fr < mixed + 35 ? "quarterly" : "annual";
	in->has_targets = below(100) < 85;
	in->has_baseline = below(100) < 70;
	/* A first-year target on the unit's scale, moving 5-15 % a year in the indicator's direction. */
	double t0;
	if (percent)
		t0 = 20 + unit_rand() * 60;
	else if (in->rule == R_COUNT_COUNTRY)
		t0 = 10 + below(150);
	else if (in->rule == R_COUNT_CITY)
		t0 = 100 + below(5000);
	else if (in->rule == R_SUM || in->rule == R_LATEST)
		t0 = (people ? 1e3 : 1e2) * (1 + unit_rand() * 1e4 * unit_rand());
	else
		t0 = people ? 100 + unit_rand() * 20000 : 10 + unit_rand() * 900;
	double step = 0.05 + unit_rand() * 0.10;
	bool down = strcmp(in->direction, "decrease") == 0;
	bool count = in->rule == R_COUNT_COUNTRY || in->rule == R_COUNT_CITY;
	for (int y = 0; y <= LAST_YEAR - FIRST_YEAR; y++) {
		double t = down ? t0 * (1 - step * y / 2) : t0 * (1 + step * y);
		in->target[y] = fit(in->unit, count, t < 0 ? 0 : t);
	}
	in->baseline = fit(in->unit, count, down ? t0 * 1.3 : t0 * 0.6);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gen_plan COUNTRIES_CSV OUTDIR\n");
		return 2;
	}
	read_countries(argv[1]);
	const char *dir = argv[2];

	/* Zipf ranks: a fixed shuffle of the indicators. */
	int rank_of[NIND];
	for (int i = 0; i < NIND; i++)
		rank_of[i] = i;
	for (int i = NIND - 1; i > 0; i--) {
		int j = (int)below((unsigned)i + 1), t = rank_of[i];
		rank_of[i] = rank_of[j];
		rank_of[j] = t;
	}

	FILE *pj = open_out(dir, "plan.json");
	fprintf(pj, "{\n\"rbm_plan\": 1,\n\"code\": \"SYNTH-2016-2023\",\n"
		    "\"title\": {\"en\": \"Synthetic plan for rbm's measure benchmark\"},\n"
		    "\"about\": {\"illustrative_indicators\": true, \"note\": {\"en\": \"Generated by "
		    "bench/gen_plan.c; every figure is made up.\"}},\n"
		    "\"first_year\": %d,\n\"last_year\": %d,\n"
		    "\"disaggregations\": [\n"
		    " {\"code\": \"sex\", \"title\": {\"en\": \"Sex\"}, \"categories\": [{\"code\": \"female\", "
		    "\"title\": {\"en\": \"Female\"}}, {\"code\": \"male\", \"title\": {\"en\": \"Male\"}}]},\n"
		    " {\"code\": \"age\", \"title\": {\"en\": \"Age group\"}, \"categories\": [{\"code\": "
		    "\"y0_14\", \"title\": {\"en\": \"0-14\"}}, {\"code\": \"y15_24\", \"title\": {\"en\": "
		    "\"15-24\"}}, {\"code\": \"y25_64\", \"title\": {\"en\": \"25-64\"}}, {\"code\": "
		    "\"y65_plus\", \"title\": {\"en\": \"65 and over\"}}]}\n],\n"
		    "\"domains\": [\n",
		FIRST_YEAR, LAST_YEAR);
	int k = 0;
	for (int d = 1; d <= NDOMAINS; d++) {
		fprintf(pj, "%s{\"code\": \"%d\", \"title\": {\"en\": \"Domain %d\"}, \"outcomes\": [\n",
			d > 1 ? ",\n" : "", d, d);
		for (int o = 1; o <= NOUTCOMES; o++) {
			fprintf(pj, "%s {\"code\": \"%d.%d\", \"title\": {\"en\": \"Outcome %d.%d\"}, ",
				o > 1 ? ",\n" : "", d, o, d, o);
			/* Outputs first, then the outcome's own indicators, so both levels hold some. */
			for (int part = 0; part < 2; part++) {
				int nout = part == 0 ? NOUTPUTS : 1;
				if (part == 0)
					fprintf(pj, "\"outputs\": [\n");
				else
					fprintf(pj, "],\n  \"indicators\": [");
				for (int u = 1; u <= nout; u++) {
					int per = part == 0 ? PER_OUTPUT : PER_OUTCOME;
					if (part == 0)
						fprintf(pj, "%s  {\"code\": \"%d.%d.%d\", \"title\": {\"en\": "
							    "\"Output %d.%d.%d\"}, \"indicators\": [",
							u > 1 ? ",\n" : "", d, o, u, d, o, u);
					for (int j = 0; j < per; j++, k++) {
						struct ind *in = &inds[k];
						if (part == 0)
							snprintf(in->code, sizeof in->code, "%d.%d.%d.%c", d, o, u,
								 'a' + j);
						else
							snprintf(in->code, sizeof in->code, "%d.%d.%c", d, o, 'a' + j);
						in->domain = d;
						make_indicator(in, rank_of[k]);
						fprintf(pj, "%s\n   {\"code\": \"%s\", \"title\": {\"en\": \"Indicator %s\"}, "
							    "\"unit\": \"%s\", \"aggregation\": \"%s\"",
							j ? "," : "", in->code, in->code, in->unit, rule_names[in->rule]);
						if (in->rule == R_COUNT_COUNTRY || in->rule == R_COUNT_CITY)
							fprintf(pj, ", \"count_of\": \"%s\"",
								in->rule == R_COUNT_CITY ? "city" : "country");
						fprintf(pj, ", \"place_combine\": \"%s\", \"direction\": \"%s\"",
							in->combine, in->direction);
						if (*in->dis)
							fprintf(pj, ", \"disaggregations\": [%s]",
								strcmp(in->dis, "sex") == 0 ? "\"sex\"" : "\"sex\", \"age\"");
						if (in->has_baseline)
							fprintf(pj, ", \"baseline\": {\"value\": %.17g, \"year\": %d}",
								in->baseline, FIRST_YEAR - 1);
						if (in->has_targets) {
							fprintf(pj, ", \"targets\": {");
							for (int y = 0; y <= LAST_YEAR - FIRST_YEAR; y++)
								fprintf(pj, "%s\"%d\": %.17g", y ? ", " : "", FIRST_YEAR + y,
									in->target[y]);
							fprintf(pj, "}");
						}
						fprintf(pj, "}");
					}
					if (part == 0)
						fprintf(pj, "]}");
				}
			}
			fprintf(pj, "]}");
		}
		fprintf(pj, "]}");
	}
	fprintf(pj, "\n],\n\"offices\": [\n {\"code\": \"HQ\", \"kind\": \"headquarters\", \"title\": "
		    "{\"en\": \"Headquarters\"}}");
	for (int r = 1; r <= NREGIONS; r++)
		fprintf(pj, ",\n {\"code\": \"RO%d\", \"kind\": \"regional\", \"parent\": \"HQ\", \"title\": "
			    "{\"en\": \"Regional office %d\"}}", r, r);
	for (int c = 0; c < NCOUNTRIES; c++)
		fprintf(pj, ",\n {\"code\": \"%s\", \"kind\": \"country\", \"parent\": \"RO%d\", \"title\": "
			    "{\"en\": \"Country office %s\"}, \"countries\": [\"%s\"]}",
			countries[c], 1 + c / (NCOUNTRIES / NREGIONS), countries[c], countries[c]);
	fprintf(pj, "\n],\n\"cities\": [");
	/* Cities over countries, skewed: weight 1/(1 + rank/20) on a fixed shuffle of the countries
	 * (from ~200 cities down to ~20). */
	double cw[NCOUNTRIES], total = 0;
	int corder[NCOUNTRIES];
	for (int c = 0; c < NCOUNTRIES; c++)
		corder[c] = c;
	for (int c = NCOUNTRIES - 1; c > 0; c--) {
		int j = (int)below((unsigned)c + 1), t = corder[c];
		corder[c] = corder[j];
		corder[j] = t;
	}
	for (int c = 0; c < NCOUNTRIES; c++) {
		cw[corder[c]] = 1.0 / (1.0 + c / 20.0);
		total += cw[corder[c]];
	}
	FILE *cc = open_out(dir, "cities.csv");
	fprintf(cc, "code,country\n");
	for (int i = 1; i <= NCITIES; i++) {
		double x = unit_rand() * total;
		int c = 0;
		while (c < NCOUNTRIES - 1 && x >= cw[c])
			x -= cw[c++];
		fprintf(pj, "%s\n {\"code\": \"C%05d\", \"country\": \"%s\", \"title\": {\"en\": \"City %d\"}}",
			i > 1 ? "," : "", i, countries[c], i);
		fprintf(cc, "C%05d,%s\n", i, countries[c]);
	}
	fprintf(pj, "\n]\n}\n");
	close_out(pj);
	close_out(cc);

	FILE *ic = open_out(dir, "indicators.csv");
	fprintf(ic, "code,rule,count_of,place_combine,unit,domain,direction,dis,freq,rank\n");
	FILE *tc = open_out(dir, "targets.csv");
	fprintf(tc, "indicator,year,target,baseline,direction\n");
	for (int i = 0; i < NIND; i++) {
		const struct ind *in = &inds[i];
		fprintf(ic, "%s,%s,%s,%s,%s,%d,%s,%s,%s,%d\n", in->code, rule_names[in->rule],
			in->rule == R_COUNT_COUNTRY ? "country" : in->rule == R_COUNT_CITY ? "city" : "",
			in->combine, in->unit, in->domain, in->direction, in->dis, in->freq, in->rank);
		if (!in->has_targets)
			continue;
		for (int y = 0; y <= LAST_YEAR - FIRST_YEAR; y++) {
			fprintf(tc, "%s,%d,%.17g,", in->code, FIRST_YEAR + y, in->target[y]);
			if (in->has_baseline)
				fprintf(tc, "%.17g", in->baseline);
			fprintf(tc, ",%s\n", in->direction);
		}
	}
	close_out(ic);
	close_out(tc);

	FILE *oc = open_out(dir, "offices.csv");
	fprintf(oc, "code,region,kind,country\nHQ,,headquarters,\n");
	for (int r = 1; r <= NREGIONS; r++)
		fprintf(oc, "RO%d,RO%d,regional,\n", r, r);
	for (int c = 0; c < NCOUNTRIES; c++)
		fprintf(oc, "%s,RO%d,country,%s\n", countries[c], 1 + c / (NCOUNTRIES / NREGIONS), countries[c]);
	close_out(oc);
	return 0;
}
