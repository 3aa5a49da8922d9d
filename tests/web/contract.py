#!/usr/bin/python3
"""contract.py - the JSON API against its OpenAPI 3.1 description (data/web/openapi.json).

Run by tests/web/test_contract.sh with a live server. Checks, printing TAP lines:
  1. the description and the route table (`rbm serve --help`) name the same /api/ routes,
     with the same methods and the same least role (x-rbm-role);
  2. every operation, called on the real server as a user allowed to, answers a status the
     description lists, with a body that validates against the schema given for it;
  3. errors are RFC 9457 problems that validate against the Problem schema.

Usage: contract.py BASE OPENAPI ROUTES TOKENS
  BASE     http://127.0.0.1:PORT
  OPENAPI  the description
  ROUTES   the output of 'rbm serve --help'
  TOKENS   lines "NAME TOKEN" (admin, editor, reviewer, reporter, viewer) and "KEN_ID N"
"""
import json
import re
import sys
import urllib.error
import urllib.request

from jsonschema import Draft202012Validator
from jsonschema.validators import RefResolver

BASE, OPENAPI, ROUTES, TOKENS = sys.argv[1:5]
doc = json.load(open(OPENAPI, encoding="utf-8"))
resolver = RefResolver.from_schema(doc)
n = 0
failed = 0


def tap(ok, name, why=""):
    global n, failed
    n += 1
    print(f"{'ok' if ok else 'not ok'} {n} - {name}")
    if not ok:
        failed += 1
        for line in str(why).splitlines()[:6]:
            print(f"# {line}")


def validate(schema, value):
    """None when value fits schema (refs resolved in the document), else the first error."""
    v = Draft202012Validator(schema, resolver=resolver)
    errors = sorted(v.iter_errors(value), key=lambda e: list(e.path))
    if not errors:
        return None
    e = errors[0]
    return f"{'/'.join(str(p) for p in e.path) or '(root)'}: {e.message[:300]}"


# ---- 1. the description and the route table
routes = {}
for line in open(ROUTES, encoding="utf-8"):
    m = re.match(r"^\s+(GET|POST|PUT|PATCH|DELETE)\s+(/api/\S+)\s+(\S+)", line)
    if m:
        routes[(m.group(1).lower(), m.group(2))] = m.group(3)
described = {}
for path, item in doc["paths"].items():
    for method, o in item.items():
        described[(method, path)] = o
tap(doc.get("openapi", "").startswith("3.1"), "the description is OpenAPI 3.1", doc.get("openapi"))
for key, role in sorted(routes.items()):
    o = described.get(key)
    tap(o is not None, f"route {key[0].upper()} {key[1]} is described", "missing from openapi.json")
    if o is not None:
        tap(o.get("x-rbm-role") == role, f"{key[0].upper()} {key[1]}: role {role} as described",
            f"described as {o.get('x-rbm-role')}")
for key in sorted(described):
    tap(key in routes, f"described {key[0].upper()} {key[1]} is a route", "no such route in rbm serve --help")

# ---- 2. real answers
tokens = {}
for line in open(TOKENS, encoding="utf-8"):
    k, v = line.split()
    tokens[k] = v


def call(method, path, who=None, body=None):
    data = None
    headers = {"Accept": "application/json"}
    if who:
        headers["Authorization"] = "Bearer " + tokens[who]
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    req = urllib.request.Request(BASE + path, data=data, method=method.upper(), headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def check(method, template, path, who, status_wanted, body=None):
    """Calls path; checks the status and validates the body against the documented response."""
    o = described[(method, template)]
    status, ctype, raw = call(method, path, who, body)
    name = f"{method.upper()} {path} as {who or 'public'} -> {status}"
    if status != status_wanted:
        tap(False, name, f"expected {status_wanted}; body {raw[:300]!r}")
        return None
    r = o["responses"].get(str(status))
    if r is None:
        tap(False, name, f"status {status} is not among the documented {sorted(o['responses'])}")
        return None
    if "$ref" in r:
        r = resolver.resolve(r["$ref"])[1]
    content = r.get("content", {})
    media = ctype.split(";")[0].strip()
    if media not in content:
        tap(False, name, f"Content-Type {ctype} is not documented ({sorted(content)})")
        return None
    try:
        value = json.loads(raw)
    except ValueError as e:
        tap(False, name, f"not JSON: {e}")
        return None
    err = validate(content[media]["schema"], value)
    tap(err is None, name + " fits its schema", err)
    return value


ken = tokens["KEN_ID"]
# Every GET, with a caller allowed to.
check("get", "/api/v1/version", "/api/v1/version", None, 200)
check("get", "/api/v1/openapi.json", "/api/v1/openapi.json", None, 200)
check("get", "/api/v1/plan", "/api/v1/plan", None, 200)
check("get", "/api/v1/cycles", "/api/v1/cycles", None, 200)
check("get", "/api/v1/offices", "/api/v1/offices?lang=fr", None, 200)
lst = check("get", "/api/v1/submissions", "/api/v1/submissions?cycle=2021&per_page=5", "admin", 200)
tap(bool(lst) and len(lst["items"]) == 5 and lst["total"] > 5, "submissions are paged (5 of many)", lst and lst.get("total"))
mine = check("get", "/api/v1/submissions", "/api/v1/submissions", "reporter", 200)
tap(bool(mine) and all(s["office"] == "KEN" for s in mine["items"]), "a reporter lists only its office's submissions",
    mine and [s["office"] for s in mine["items"]])
check("get", "/api/v1/submissions/{id}", f"/api/v1/submissions/{ken}", "reviewer", 200)
check("get", "/api/v1/surveys/{year}/{office}", "/api/v1/surveys/2022/KEN?lang=ar", "reporter", 200)
check("get", "/api/v1/results/{year}", "/api/v1/results/2021", "viewer", 200)
check("get", "/api/v1/progress/{year}", "/api/v1/progress/2021", "viewer", 200)
check("get", "/api/v1/users", "/api/v1/users", "admin", 200)
check("get", "/api/v1/editorial/{year}/{report}", "/api/v1/editorial/2021/annual?per_page=3", "editor", 200)
check("get", "/api/v1/reports", "/api/v1/reports", None, 200)
pub = check("get", "/api/v1/data", "/api/v1/data", None, 200)
tap(bool(pub) and [c["cycle"] for c in pub["items"]] == [2021], "the public has the data of published cycles only", pub)

# Writes: a good request and a refused one each, as the documented bodies say.
t = "/api/v1/surveys/{year}/{office}"
bad = check("put", t, "/api/v1/surveys/2022/KEN", "reporter", 422, {"answers": {"v_1_1_a": "-3", "v_1_1_d": 101}, "submit": False})
tap(bool(bad) and {e.get("field") for e in bad.get("errors", [])} >= {"v_1_1_a", "v_1_1_d"},
    "a 422 names each field that needs a correction", bad)
good = check("put", t, "/api/v1/surveys/2022/KEN", "reporter", 200, {"answers": {"v_1_1_a": 4100, "o_1_1_countries": ["KEN"]}, "submit": True, "base_rev": 0})
sub_id = good and good["submission"]["id"]
stale = check("post", "/api/v1/submissions/{id}/approve", f"/api/v1/submissions/{sub_id}/approve", "reviewer", 409, {"base_rev": 99})
check("post", "/api/v1/submissions/{id}/return", f"/api/v1/submissions/{sub_id}/return", "reviewer", 422, {"base_rev": 1})
check("post", "/api/v1/submissions/{id}/return", f"/api/v1/submissions/{sub_id}/return", "reviewer", 200, {"base_rev": 1, "comment": "Please add the countries."})
again = check("put", t, "/api/v1/surveys/2022/KEN", "reporter", 200, {"answers": {"v_1_1_a": 4200, "o_1_1_countries": ["KEN"]}, "submit": True, "base_rev": 1})
tap(bool(again) and again["submission"]["rev"] == 2 and again["submission"]["status"] == "submitted",
    "the corrected answers are revision 2, submitted again", again and again["submission"])
done = check("post", "/api/v1/submissions/{id}/approve", f"/api/v1/submissions/{sub_id}/approve", "reviewer", 200, {"base_rev": 2})
tap(bool(done) and done["status"] == "approved", "approved through the API", done)
res = check("get", "/api/v1/results/{year}", "/api/v1/results/2022", "viewer", 200)
row = res and next((i for i in res["indicators"] if i["indicator"] == "1.1.a"), None)
tap(bool(row) and row["actual"] == 4200, "the approved figure is in the results", row)
check("post", "/api/v1/cycles", "/api/v1/cycles", "admin", 409, {"year": 2021, "from": "2022-01-10", "to": "2022-02-28"})
check("post", "/api/v1/cycles", "/api/v1/cycles", "admin", 201, {"year": 2023, "from": "2024-01-10", "to": "2024-02-28"})
check("post", "/api/v1/cycles/{year}/close", "/api/v1/cycles/2023/close", "admin", 200)
check("post", "/api/v1/cycles/{year}/reopen", "/api/v1/cycles/2023/reopen", "admin", 200, {"to": "2024-03-31"})
check("post", "/api/v1/users", "/api/v1/users", "admin", 422, {"name": "short", "role": "viewer", "password": "short"})
check("post", "/api/v1/users", "/api/v1/users", "admin", 201, {"name": "api.viewer", "role": "viewer", "password": "a long enough one"})
check("put", "/api/v1/editorial/{year}/{report}/{key}/{lang}", "/api/v1/editorial/2021/annual/intro/fr", "editor", 200, {"text": "Texte révisé."})

# Errors are problems.
check("get", "/api/v1/submissions/{id}", "/api/v1/submissions/999999", "admin", 404)
check("get", "/api/v1/results/{year}", "/api/v1/results/2021", None, 401)
check("get", "/api/v1/users", "/api/v1/users", "viewer", 403)
check("get", "/api/v1/submissions", "/api/v1/submissions?per_page=9999", "admin", 400)
status, ctype, raw = call("put", "/api/v1/surveys/2022/KEN", "reporter", None)
tap(status == 415 and ctype.startswith("application/problem+json"), "a body that is not JSON is a 415 problem", (status, ctype))

print(f"# {n} checks")
sys.exit(1 if failed else 0)
