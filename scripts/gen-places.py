#!/usr/bin/env python3
"""Generate rbm's bundled places data (data/places/) from the shared standards.

Usage, from the repository root:

    python3 scripts/gen-places.py ../shared/standards data/places

Reads (paths relative to the standards directory):
    iso3166-m49.csv                       lukes/ISO-3166-Countries-with-Regional-Codes, all/all.csv
    country-names/UNSD-M49-<lang>.csv     UNSD M49 overview in ar, cn (= zh), en, es, fr, ru
    country-names/umpirsky-country-<lang>.csv   umpirsky/country-list (CLDR names), fallback only
    LICENSES/                             licence texts

Writes (into the output directory):
    countries.csv   one row per country or area in iso3166-m49.csv, sorted by alpha3
    regions.csv     the world, regions, sub-regions and intermediate regions, sorted by m49
    LICENSES/       the licence texts of the sources the two files derive from

Both CSV files are RFC 4180, UTF-8 without BOM, LF line ends, a header line, fields quoted
only when needed. Python 3 standard library only. The output is deterministic.
"""

import collections
import csv
import os
import re
import shutil
import sys

LANGS = ["ar", "zh", "en", "fr", "ru", "es"]  # column order in the outputs
UNSD_FILE_LANG = {"ar": "ar", "zh": "cn", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}

COUNTRY_COLUMNS = (["alpha3", "alpha2", "m49", "region", "subregion", "intermediate",
                    "ldc", "lldc", "sids"] + ["name_" + l for l in LANGS])
REGION_COLUMNS = ["m49", "parent", "level"] + ["name_" + l for l in LANGS]

# (code column, name column, level) in the UNSD files, outermost first
UNSD_LEVELS = [
    ("Global Code", "Global Name", "world"),
    ("Region Code", "Region Name", "region"),
    ("Sub-region Code", "Sub-region Name", "subregion"),
    ("Intermediate Region Code", "Intermediate Region Name", "intermediate"),
]

LICENCE_FILES = [
    "lukes-ISO-3166-Countries-with-Regional-Codes-LICENSE.md",  # CC BY-SA 4.0
    "umpirsky-country-list-LICENSE.txt",                        # MIT
]

M49_RE = re.compile(r"^[0-9]{3}$")
A2_RE = re.compile(r"^[A-Z]{2}$")
A3_RE = re.compile(r"^[A-Z]{3}$")

problems = []


# Names the source gets wrong for UN documents, with the reason.
NAME_OVERRIDES = {
    # UNSD-M49-en.csv has "Ivory Coast"; the UN's English short name (UNTERM, and the
    # UNSD table in every other language) is Côte d'Ivoire.
    ("CIV", "en"): "Côte d’Ivoire",
}


def fail(msg):
    problems.append(msg)


def read_csv(path):
    """Read a CSV file into a list of dicts. utf-8-sig drops the BOM of UNSD-M49-en.csv.
    Every value stays a string: Namibia's alpha-2 "NA" is not a null."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def write_csv(path, columns, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(columns)
        for row in rows:
            w.writerow([row[c] for c in columns])


def flag(value, where):
    v = value.strip().lower()
    if v == "x":
        return "1"
    if v == "":
        return "0"
    fail("%s: unexpected flag value %r" % (where, value))
    return "0"


def code(value, where):
    v = value.strip()
    if v and not M49_RE.match(v):
        fail("%s: M49 code %r is not three digits" % (where, value))
    return v


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: %s STANDARDS_DIR OUT_DIR\n" % argv[0])
        return 2
    src, out = argv[1], argv[2]
    names_dir = os.path.join(src, "country-names")

    iso = read_csv(os.path.join(src, "iso3166-m49.csv"))
    unsd = {l: read_csv(os.path.join(names_dir, "UNSD-M49-%s.csv" % UNSD_FILE_LANG[l]))
            for l in LANGS}
    cldr = {}
    for l in LANGS:
        cldr[l] = {r["id"].strip(): r["value"].strip()
                   for r in read_csv(os.path.join(names_dir, "umpirsky-country-%s.csv" % l))}

    unsd_by_a3 = {}
    for l in LANGS:
        m = {}
        for i, r in enumerate(unsd[l]):
            a3 = r["ISO-alpha3 Code"].strip()
            if a3:
                if a3 in m:
                    fail("UNSD-M49-%s.csv row %d: duplicate alpha-3 %s" % (UNSD_FILE_LANG[l], i + 2, a3))
                m[a3] = r
        unsd_by_a3[l] = m

    # ---- regions: every code that appears in the UNSD files, names by majority per language
    level_of = {}
    parent_of = collections.defaultdict(collections.Counter)
    names = {l: collections.defaultdict(collections.Counter) for l in LANGS}
    for l in LANGS:
        for i, r in enumerate(unsd[l]):
            where = "UNSD-M49-%s.csv row %d" % (UNSD_FILE_LANG[l], i + 2)
            parent = ""
            for ccol, ncol, level in UNSD_LEVELS:
                c = code(r[ccol], where)
                n = r[ncol].strip()
                if not c:
                    if n:
                        fail("%s: %s %r without a code" % (where, ncol, n))
                    continue
                if level_of.setdefault(c, level) != level:
                    fail("%s: code %s is both %s and %s" % (where, c, level_of[c], level))
                if l == "en":
                    parent_of[c][parent] += 1
                if n:
                    names[l][c][n] += 1
                parent = c
    regions = []
    for c in sorted(level_of):
        row = {"m49": c, "level": level_of[c]}
        parents = parent_of[c]
        if len(parents) > 1:
            sys.stderr.write("warning: region %s has several parents %s; using the most common\n"
                             % (c, dict(parents)))
        row["parent"] = parents.most_common(1)[0][0]
        for l in LANGS:
            counts = names[l][c]
            if not counts:
                fail("region %s: no %s name" % (c, l))
                row["name_" + l] = ""
                continue
            if len(counts) > 1:
                # e.g. one hand-added row spelling a sub-region differently from all the others
                sys.stderr.write("warning: region %s has several %s names %s; using the most common\n"
                                 % (c, l, dict(counts)))
            # most common; ties go to the name seen first (Counter keeps insertion order)
            row["name_" + l] = counts.most_common(1)[0][0]
        regions.append(row)
    for row in regions:
        want = {"world": "", "region": "001"}.get(row["level"])
        if want is not None and row["parent"] != want:
            fail("region %s (%s): parent %r, expected %r" % (row["m49"], row["level"], row["parent"], want))
        if row["level"] in ("subregion", "intermediate"):
            p = next((x for x in regions if x["m49"] == row["parent"]), None)
            up = {"subregion": "region", "intermediate": "subregion"}[row["level"]]
            if p is None or p["level"] != up:
                fail("region %s (%s): parent %r is not a %s" % (row["m49"], row["level"], row["parent"], up))
    known_regions = {r["m49"]: r["level"] for r in regions}

    # ---- countries: one row per row of iso3166-m49.csv
    countries = []
    seen = set()
    fallback = collections.Counter()
    for i, r in enumerate(iso):
        where = "iso3166-m49.csv row %d" % (i + 2)
        a3 = r["alpha-3"].strip()
        a2 = r["alpha-2"].strip()
        if not A3_RE.match(a3):
            fail("%s: bad alpha-3 %r" % (where, a3))
        if not A2_RE.match(a2):
            fail("%s: bad alpha-2 %r" % (where, a2))
        if a3 in seen:
            fail("%s: duplicate alpha-3 %s" % (where, a3))
        seen.add(a3)
        row = {
            "alpha3": a3,
            "alpha2": a2,
            "m49": code(r["country-code"], where),
            # Region codes come from iso3166-m49.csv (the lukes list), which leaves AQ and TW
            # without a region, as UN M49 does. (The UNSD-M49 copies carry a hand-added TW row
            # placed under 142/030; it is used for TW's names only.)
            "region": code(r["region-code"], where),
            "subregion": code(r["sub-region-code"], where),
            "intermediate": code(r["intermediate-region-code"], where),
        }
        if not row["m49"]:
            fail("%s: no M49 code" % where)
        for col, lvl in (("region", "region"), ("subregion", "subregion"), ("intermediate", "intermediate")):
            if row[col] and known_regions.get(row[col]) != lvl:
                fail("%s: %s %s is not a known %s in the UNSD files" % (where, col, row[col], lvl))
        u_en = unsd_by_a3["en"].get(a3)
        if u_en is not None:
            if u_en["M49 Code"].strip() != row["m49"]:
                fail("%s: M49 %s here, %s in UNSD" % (where, row["m49"], u_en["M49 Code"]))
            if u_en["ISO-alpha2 Code"].strip() != a2:
                fail("%s: alpha-2 %s here, %s in UNSD" % (where, a2, u_en["ISO-alpha2 Code"]))
            for col, ucol in (("region", "Region Code"), ("subregion", "Sub-region Code"),
                              ("intermediate", "Intermediate Region Code")):
                if u_en[ucol].strip() != row[col]:
                    sys.stderr.write("note: %s %s is %r in iso3166-m49.csv but %r in UNSD-M49-en.csv; "
                                     "keeping %r\n" % (a3, col, row[col], u_en[ucol].strip(), row[col]))
            row["ldc"] = flag(u_en["Least Developed Countries (LDC)"], where)
            row["lldc"] = flag(u_en["Land Locked Developing Countries (LLDC)"], where)
            row["sids"] = flag(u_en["Small Island Developing States (SIDS)"], where)
        else:
            row["ldc"] = row["lldc"] = row["sids"] = "0"
        for l in LANGS:
            name = ""
            u = unsd_by_a3[l].get(a3)
            if u is not None:
                name = u["Country or Area"].strip()
                if u["M49 Code"].strip() != row["m49"]:
                    fail("%s: M49 differs in UNSD-M49-%s.csv" % (where, UNSD_FILE_LANG[l]))
            if not name:
                name = cldr[l].get(a2, "")
                if name:
                    fallback["cldr-" + l] += 1
            if not name:
                name = r["name"].strip()
                if name:
                    fallback["iso-en-" + l] += 1
            if not name:
                fail("%s: no %s name for %s" % (where, l, a3))
            name = NAME_OVERRIDES.get((a3, l), name)
            row["name_" + l] = name
        countries.append(row)
    countries.sort(key=lambda x: x["alpha3"])

    if problems:
        for p in problems:
            sys.stderr.write("error: %s\n" % p)
        sys.stderr.write("%d problems; nothing written\n" % len(problems))
        return 1

    os.makedirs(out, exist_ok=True)
    write_csv(os.path.join(out, "countries.csv"), COUNTRY_COLUMNS, countries)
    write_csv(os.path.join(out, "regions.csv"), REGION_COLUMNS, regions)
    lic_out = os.path.join(out, "LICENSES")
    os.makedirs(lic_out, exist_ok=True)
    for name in LICENCE_FILES:
        shutil.copyfile(os.path.join(src, "LICENSES", name), os.path.join(lic_out, name))

    levels = collections.Counter(r["level"] for r in regions)
    sys.stderr.write("countries.csv: %d rows; regions.csv: %d rows (%s)\n" % (
        len(countries), len(regions),
        ", ".join("%s %d" % (k, levels[k]) for k in ("world", "region", "subregion", "intermediate"))))
    if fallback:
        sys.stderr.write("names not in UNSD files: %s\n" % dict(sorted(fallback.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
