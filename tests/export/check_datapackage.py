#!/usr/bin/python3
"""check_datapackage.py - checks a Frictionless Data Package folder against the rules of the
Data Package and Table Schema specifications (v1) that can be checked without the network:

  the descriptor: its shape, against a JSON Schema written here for the parts rbm uses
  (Debian's python3-jsonschema, Draft 2020-12): profile, name, resources with unique names,
  relative paths, Table Schemas with known field types, primary and foreign keys naming fields;
  the data: UTF-8 without a byte-order mark, a header row equal to the field names, every
  record as wide as the header, every value parsing as its field's type (after missingValues),
  required fields present, enum and minimum/maximum constraints, primary keys unique and never
  null, foreign keys found in the resource they reference (rows whose key fields are all null
  are skipped, as frictionless-py does).

Usage: check_datapackage.py DIR [UNIQUE_SPEC ...]
  UNIQUE_SPEC "resource:field,field,..." also checks that these fields are unique together
  (null counting as a value): keys that a Table Schema cannot declare because they may be null.
Prints "ok" lines, or a problem per line and exits 1.
"""
import csv
import json
import os
import re
import sys

import jsonschema

NAME = r"^[a-z0-9._-]+$"
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["profile", "name", "resources"],
    "properties": {
        "profile": {"const": "tabular-data-package"},
        "name": {"type": "string", "pattern": NAME},
        "title": {"type": "string"},
        "description": {"type": "string"},
        "licenses": {"type": "array"},
        "resources": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "path", "schema", "profile"],
                "properties": {
                    "profile": {"const": "tabular-data-resource"},
                    "name": {"type": "string", "pattern": NAME},
                    "path": {"type": "string", "pattern": r"^(?!/)(?!.*\.\.)[^\\]+$"},
                    "format": {"const": "csv"},
                    "mediatype": {"const": "text/csv"},
                    "encoding": {"enum": ["utf-8", "UTF-8"]},
                    "dialect": {
                        "type": "object",
                        "properties": {
                            "delimiter": {"type": "string", "minLength": 1, "maxLength": 1},
                            "lineTerminator": {"type": "string"},
                            "quoteChar": {"type": "string", "minLength": 1, "maxLength": 1},
                            "doubleQuote": {"type": "boolean"},
                            "header": {"type": "boolean"},
                        },
                    },
                    "schema": {
                        "type": "object",
                        "required": ["fields"],
                        "properties": {
                            "fields": {
                                "type": "array",
                                "minItems": 1,
                                "items": {
                                    "type": "object",
                                    "required": ["name", "type"],
                                    "properties": {
                                        "name": {"type": "string", "minLength": 1},
                                        "type": {"enum": ["string", "integer", "number", "year"]},
                                        "description": {"type": "string", "minLength": 1},
                                        "constraints": {
                                            "type": "object",
                                            "additionalProperties": False,
                                            "properties": {
                                                "required": {"type": "boolean"},
                                                "enum": {"type": "array", "minItems": 1},
                                                "minimum": {"type": "number"},
                                                "maximum": {"type": "number"},
                                            },
                                        },
                                    },
                                },
                            },
                            "missingValues": {"type": "array", "items": {"type": "string"}},
                            "primaryKey": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                            "foreignKeys": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["fields", "reference"],
                                    "properties": {
                                        "fields": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                                        "reference": {
                                            "type": "object",
                                            "required": ["resource", "fields"],
                                            "properties": {
                                                "resource": {"type": "string"},
                                                "fields": {"type": "array", "items": {"type": "string"}},
                                            },
                                        },
                                    },
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}

INTEGER = re.compile(r"^[+-]?[0-9]+$")
NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$|^(NaN|INF|-INF)$")
YEAR = re.compile(r"^-?[0-9]{4}$")

problems = []


def problem(msg):
    problems.append(msg)
    print("problem: " + msg)


def parse(kind, text):
    """The value of text as a field of type kind, or raise ValueError."""
    if kind == "string":
        return text
    if kind == "integer":
        if not INTEGER.match(text):
            raise ValueError
        return int(text)
    if kind == "number":
        if not NUMBER.match(text):
            raise ValueError
        return float(text)
    if kind == "year":
        if not YEAR.match(text):
            raise ValueError
        return int(text)
    raise ValueError


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    folder = sys.argv[1]
    with open(os.path.join(folder, "datapackage.json"), encoding="utf-8") as f:
        desc = json.load(f)
    jsonschema.validate(desc, SCHEMA, cls=jsonschema.Draft202012Validator)
    print("ok - the descriptor has the shape of a tabular data package")

    names = [r["name"] for r in desc["resources"]]
    if len(set(names)) != len(names):
        problem("resource names repeat: %s" % names)
    tables = {}
    for res in desc["resources"]:
        name, schema = res["name"], res["schema"]
        fields = schema["fields"]
        fnames = [f["name"] for f in fields]
        if len(set(fnames)) != len(fnames):
            problem("%s: field names repeat" % name)
        for key in schema.get("primaryKey", []):
            if key not in fnames:
                problem("%s: primary key field %s is not a field" % (name, key))
        missing = schema.get("missingValues", [""])
        dialect = res.get("dialect", {})
        raw = open(os.path.join(folder, res["path"]), "rb").read()
        if raw.startswith(b"\xef\xbb\xbf"):
            problem("%s: starts with a byte-order mark" % name)
        text = raw.decode("utf-8")  # raises on bad UTF-8
        term = dialect.get("lineTerminator", "\r\n")
        if text and not text.endswith(term):
            problem("%s: the last record does not end with %r" % (name, term))
        reader = csv.reader(text.splitlines(keepends=True), delimiter=dialect.get("delimiter", ","),
                            quotechar=dialect.get("quoteChar", '"'), doublequote=dialect.get("doubleQuote", True),
                            strict=True)
        records = list(reader)
        if not records or records[0] != fnames:
            problem("%s: the header row is not the field names" % name)
            continue
        rows = []
        for line, rec in enumerate(records[1:], start=2):
            if len(rec) != len(fields):
                problem("%s: row %d has %d fields, the header %d" % (name, line, len(rec), len(fields)))
                continue
            row = {}
            for f, cell in zip(fields, rec):
                cons = f.get("constraints", {})
                if cell in missing:
                    if cons.get("required") or f["name"] in schema.get("primaryKey", []):
                        problem("%s: row %d: %s is required" % (name, line, f["name"]))
                    row[f["name"]] = None
                    continue
                try:
                    v = parse(f["type"], cell)
                except ValueError:
                    problem("%s: row %d: %s: %r is not a %s" % (name, line, f["name"], cell, f["type"]))
                    continue
                if "enum" in cons and v not in cons["enum"]:
                    problem("%s: row %d: %s: %r is not one of %s" % (name, line, f["name"], v, cons["enum"]))
                if "minimum" in cons and v < cons["minimum"]:
                    problem("%s: row %d: %s: %r is below %s" % (name, line, f["name"], v, cons["minimum"]))
                if "maximum" in cons and v > cons["maximum"]:
                    problem("%s: row %d: %s: %r is above %s" % (name, line, f["name"], v, cons["maximum"]))
                row[f["name"]] = v
            rows.append(row)
        pk = schema.get("primaryKey")
        if pk:
            seen = set()
            for i, row in enumerate(rows, start=2):
                key = tuple(row.get(k) for k in pk)
                if key in seen:
                    problem("%s: row %d: primary key %s repeats" % (name, i, key))
                seen.add(key)
        tables[name] = (res, rows)
        print("ok - %s: %d rows parse as their types, required fields present%s" %
              (name, len(rows), ", primary key unique" if pk else ""))

    for name, (res, rows) in tables.items():
        for fk in res["schema"].get("foreignKeys", []):
            ref = fk["reference"]
            if ref["resource"] not in tables:
                problem("%s: foreign key to a missing resource %s" % (name, ref["resource"]))
                continue
            targets = {tuple(r.get(k) for k in ref["fields"]) for r in tables[ref["resource"]][1]}
            bad = 0
            for row in rows:
                key = tuple(row.get(k) for k in fk["fields"])
                if all(v is None for v in key):
                    continue
                if key not in targets:
                    bad += 1
            if bad:
                problem("%s: %d rows' %s are not in %s" % (name, bad, fk["fields"], ref["resource"]))
            else:
                print("ok - %s: foreign key %s found in %s" % (name, ",".join(fk["fields"]), ref["resource"]))

    for spec in sys.argv[2:]:
        name, fields = spec.split(":", 1)
        keys = fields.split(",")
        rows = tables[name][1]
        seen = set()
        for row in rows:
            key = tuple(row.get(k) for k in keys)
            if key in seen:
                problem("%s: %s repeats: %s" % (name, fields, key))
            seen.add(key)
        print("ok - %s: %s unique" % (name, fields))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
