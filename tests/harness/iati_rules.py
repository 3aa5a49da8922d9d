#!/usr/bin/env python3
"""iati_rules.py - the IATI rules an XSD cannot check, for rbm's IATI export (tests/cli/test_export_iati.sh).

    python3 tests/harness/iati_rules.py FILE.xml SHARED_STANDARDS_DIR

Checks codes against IATI's codelists in SHARED_STANDARDS_DIR/iati-codelists (ResultType, IndicatorMeasure,
RegionVocabulary, Country, Region) and UN M49 codes in SHARED_STANDARDS_DIR/iso3166-m49.csv; identifiers (each
iati-identifier prefixed by its reporting-org/@ref and "-", unique, one reporting organisation per file, related
activities that exist); narratives (xml:lang one of the six UN languages, text not empty); periods (valid dates,
start before end, no year twice); percentages (0-100, recipient countries and regions summing to 100 per
activity); values (numbers, percentages in 0-100); result locations that name an activity location.
Prints every problem, then "N problems"; exits 1 when there is any.
"""
import csv
import datetime
import sys
import xml.etree.ElementTree as ET

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGS = {"ar", "zh", "en", "fr", "ru", "es"}


def codes(path, active_only=True):
    out = set()
    for item in ET.parse(path).getroot().iter("codelist-item"):
        if active_only and item.get("status") == "withdrawn":
            continue
        out.add(item.findtext("code"))
    return out


def main():
    path, std = sys.argv[1], sys.argv[2]
    cl = std + "/iati-codelists/"
    result_types = codes(cl + "ResultType.xml")
    measures = codes(cl + "IndicatorMeasure.xml")
    region_vocabs = codes(cl + "RegionVocabulary.xml")
    countries = codes(cl + "Country.xml")
    dac_regions = codes(cl + "Region.xml")
    m49 = {"001"}
    with open(std + "/iso3166-m49.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            for k in ("region-code", "sub-region-code", "intermediate-region-code"):
                if row[k]:
                    m49.add(row[k])

    problems = []

    def bad(where, why):
        problems.append(f"{where}: {why}")

    root = ET.parse(path).getroot()
    if root.tag != "iati-activities" or root.get("version") != "2.03":
        bad("iati-activities", "not version 2.03")
    acts = root.findall("iati-activity")
    ids = [a.findtext("iati-identifier") for a in acts]
    if len(set(ids)) != len(ids):
        bad("iati-identifier", "identifiers repeat")
    refs = {a.find("reporting-org").get("ref") for a in acts}
    if len(refs) != 1:
        bad("reporting-org", f"{len(refs)} reporting organisations in one file")

    for n in root.iter("narrative"):
        lang = n.get(XML_LANG)
        if lang is not None and lang not in LANGS:
            bad("narrative", f"xml:lang {lang!r} is not one of the six UN languages")
        if not (n.text or "").strip():
            bad("narrative", "empty")

    for a in acts:
        aid = a.findtext("iati-identifier")
        ref = a.find("reporting-org").get("ref")
        if not aid.startswith(ref + "-") or len(aid) == len(ref) + 1:
            bad(aid, f"identifier not prefixed by the reporting organisation {ref}-")
        for r in a.findall("related-activity"):
            if r.get("ref") not in ids:
                bad(aid, f"related activity {r.get('ref')} is not in the file")
        total = 0.0
        for rc in a.findall("recipient-country"):
            if rc.get("code") not in countries:
                bad(aid, f"recipient-country {rc.get('code')} is not in IATI's Country codelist")
            if rc.get("percentage") is not None:
                total += float(rc.get("percentage"))
        for rr in a.findall("recipient-region"):
            vocab = rr.get("vocabulary", "1")
            if vocab not in region_vocabs:
                bad(aid, f"region vocabulary {vocab} is not in RegionVocabulary")
            if vocab == "1" and rr.get("code") not in dac_regions:
                bad(aid, f"recipient-region {rr.get('code')} is not in IATI's Region codelist")
            if vocab == "2" and rr.get("code") not in m49:
                bad(aid, f"recipient-region {rr.get('code')} is not a UN M49 region")
            if rr.get("percentage") is not None:
                total += float(rr.get("percentage"))
        for el in a.findall("recipient-country") + a.findall("recipient-region"):
            p = el.get("percentage")
            if p is not None and not 0 <= float(p) <= 100:
                bad(aid, f"percentage {p} outside 0-100")
        if a.findall("recipient-country") + a.findall("recipient-region") and abs(total - 100) > 1e-9:
            bad(aid, f"recipient percentages sum to {total}, not 100")
        locations = set()
        for loc in a.findall("location"):
            if loc.get("ref") not in countries:
                bad(aid, f"location {loc.get('ref')} is not an IATI country code")
            locations.add(loc.get("ref"))
        for res in a.findall("result"):
            if res.get("type") not in result_types:
                bad(aid, f"result type {res.get('type')} is not in ResultType")
            for ind in res.findall("indicator"):
                code = ind.find("reference").get("code") if ind.find("reference") is not None else "?"
                where = f"{aid} indicator {code}"
                measure = ind.get("measure")
                if measure not in measures:
                    bad(where, f"measure {measure} is not in IndicatorMeasure")
                for b in ind.findall("baseline"):
                    if int(b.get("year")) < 1:
                        bad(where, "baseline year not positive")
                years = set()
                valued = list(ind.findall("baseline"))
                for per in ind.findall("period"):
                    try:
                        start = datetime.date.fromisoformat(per.find("period-start").get("iso-date"))
                        end = datetime.date.fromisoformat(per.find("period-end").get("iso-date"))
                    except ValueError as e:
                        bad(where, f"period date: {e}")
                        continue
                    if not start < end:
                        bad(where, f"period starts {start}, not before its end {end}")
                    if start.year in years:
                        bad(where, f"two periods in {start.year}")
                    years.add(start.year)
                    valued += per.findall("target") + per.findall("actual")
                for v in valued:
                    x = v.get("value")
                    if x is None:
                        bad(where, f"{v.tag} without a value")
                        continue
                    try:
                        num = float(x)
                    except ValueError:
                        bad(where, f"{v.tag} value {x!r} is not a number")
                        continue
                    if "e" in x.lower():
                        bad(where, f"{v.tag} value {x!r} uses an exponent")
                    if measure == "2" and not 0 <= num <= 100:
                        bad(where, f"{v.tag} percentage {x} outside 0-100")
                    for loc in v.findall("location"):
                        if loc.get("ref") not in locations:
                            bad(where, f"{v.tag} names location {loc.get('ref')}, not an activity location")

    for p in problems:
        print(p)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
