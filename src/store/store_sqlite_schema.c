/*
 * store_sqlite_schema.c - the SQLite schema, as numbered migrations.
 *
 * Migration N takes a database at version N-1 to version N. They are
 * applied in order, each recorded in schema_migrations, all in one
 * transaction. Never edit a released migration: add the next one.
 */
#include "store_sqlite_int.h"

static const char *const v1[] = {
	"CREATE TABLE schema_migrations (\n"
	"  version INTEGER PRIMARY KEY,\n"
	"  description TEXT NOT NULL,\n"
	"  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))\n"
	");\n",
	"CREATE TABLE plans (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  code TEXT NOT NULL UNIQUE,\n"
	"  first_year INTEGER NOT NULL,\n"
	"  last_year INTEGER NOT NULL CHECK (last_year >= first_year),\n"
	"  illustrative_indicators INTEGER NOT NULL DEFAULT 0,\n"
	"  approved_by TEXT,\n"
	"  threshold_achieved REAL NOT NULL DEFAULT 100,\n"
	"  threshold_on_track REAL NOT NULL DEFAULT 75,\n"
	"  unofficial INTEGER NOT NULL DEFAULT 0,\n"
	"  unverified INTEGER NOT NULL DEFAULT 0,\n"
	"  sources TEXT,\n"
	"  loaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now'))\n"
	");\n",
	/* Multilingual texts of every element: (owner, owner_id) names the row. */
	"CREATE TABLE texts (\n"
	"  plan_id INTEGER REFERENCES plans(id) ON DELETE CASCADE,\n"
	"  owner TEXT NOT NULL,\n"
	"  owner_id INTEGER NOT NULL,\n"
	"  field TEXT NOT NULL,\n"
	"  lang TEXT NOT NULL CHECK (lang IN ('ar','zh','en','fr','ru','es')),\n"
	"  body TEXT NOT NULL,\n"
	"  PRIMARY KEY (owner, owner_id, field, lang)\n"
	");\n"
	"CREATE INDEX texts_plan ON texts(plan_id);\n",
	"CREATE TABLE levels (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,\n"
	"  depth INTEGER NOT NULL,\n"
	"  key TEXT NOT NULL,\n"
	"  unofficial INTEGER NOT NULL DEFAULT 0,\n"
	"  unverified INTEGER NOT NULL DEFAULT 0,\n"
	"  sources TEXT,\n"
	"  UNIQUE (plan_id, depth)\n"
	");\n",
	"CREATE TABLE results (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,\n"
	"  parent_id INTEGER REFERENCES results(id) ON DELETE CASCADE,\n"
	"  position INTEGER NOT NULL,\n"
	"  level INTEGER NOT NULL,\n"
	"  code TEXT NOT NULL,\n"
	"  unofficial INTEGER NOT NULL DEFAULT 0,\n"
	"  unverified INTEGER NOT NULL DEFAULT 0,\n"
	"  sources TEXT,\n"
	"  UNIQUE (plan_id, code)\n"
	");\n",
	"CREATE TABLE disaggregations (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,\n"
	"  position INTEGER NOT NULL,\n"
	"  code TEXT NOT NULL,\n"
	"  unofficial INTEGER NOT NULL DEFAULT 0,\n"
	"  unverified INTEGER NOT NULL DEFAULT 0,\n"
	"  sources TEXT,\n"
	"  UNIQUE (plan_id, code)\n"
	");\n",
	"CREATE TABLE categories (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  disaggregation_id INTEGER NOT NULL REFERENCES disaggregations(id) ON DELETE CASCADE,\n"
	"  position INTEGER NOT NULL,\n"
	"  code TEXT NOT NULL,\n"
	"  unofficial INTEGER NOT NULL DEFAULT 0,\n"
	"  unverified INTEGER NOT NULL DEFAULT 0,\n"
	"  sources TEXT,\n"
	"  UNIQUE (disaggregation_id, code)\n"
	");\n",
	"CREATE TABLE indicators (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,\n"
	"  result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,\n"
	"  position INTEGER NOT NULL,\n"
	"  code TEXT NOT NULL,\n"
	"  unit TEXT NOT NULL CHECK (unit IN ('number','people','percent','currency','yesno','text')),\n"
	"  currency TEXT,\n"
	"  aggregation TEXT NOT NULL CHECK (aggregation IN ('sum','max','min','mean','latest','count_units')),\n"
	"  count_of TEXT CHECK (count_of IN ('country','city')),\n"
	"  place_combine TEXT NOT NULL DEFAULT 'sum' CHECK (place_combine IN ('sum','max')),\n"
	"  direction TEXT NOT NULL DEFAULT 'increase' CHECK (direction IN ('increase','decrease')),\n"
	"  baseline_value REAL,\n"
	"  baseline_year INTEGER,\n"
	"  illustrative INTEGER NOT NULL DEFAULT 0,\n"
	"  unofficial INTEGER NOT NULL DEFAULT 0,\n"
	"  unverified INTEGER NOT NULL DEFAULT 0,\n"
	"  sources TEXT,\n"
	"  UNIQUE (plan_id, code)\n"
	");\n",
	"CREATE TABLE targets (\n"
	"  indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,\n"
	"  year INTEGER NOT NULL,\n"
	"  value REAL NOT NULL,\n"
	"  PRIMARY KEY (indicator_id, year)\n"
	");\n",
	"CREATE TABLE indicator_disaggregations (\n"
	"  indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,\n"
	"  disaggregation_id INTEGER NOT NULL REFERENCES disaggregations(id) ON DELETE CASCADE,\n"
	"  position INTEGER NOT NULL,\n"
	"  PRIMARY KEY (indicator_id, disaggregation_id)\n"
	");\n"
	/* Programmes, themes, drivers of change and enablers. */,
	"CREATE TABLE tags (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('programme','theme','driver','enabler')),\n"
	"  position INTEGER NOT NULL,\n"
	"  code TEXT NOT NULL,\n"
	"  number INTEGER,\n"
	"  subkind TEXT,\n"
	"  unofficial INTEGER NOT NULL DEFAULT 0,\n"
	"  unverified INTEGER NOT NULL DEFAULT 0,\n"
	"  sources TEXT,\n"
	"  UNIQUE (plan_id, kind, code)\n"
	");\n",
	"CREATE TABLE result_tags (\n"
	"  result_id INTEGER NOT NULL REFERENCES results(id) ON DELETE CASCADE,\n"
	"  tag_id INTEGER NOT NULL REFERENCES tags(id) ON DELETE CASCADE,\n"
	"  position INTEGER NOT NULL,\n"
	"  PRIMARY KEY (result_id, tag_id)\n"
	");\n",
	"CREATE TABLE offices (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,\n"
	"  position INTEGER NOT NULL,\n"
	"  code TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('headquarters','hq_unit','regional','liaison','country')),\n"
	"  parent_id INTEGER REFERENCES offices(id) ON DELETE CASCADE,\n"
	"  seat TEXT,\n"
	"  unofficial INTEGER NOT NULL DEFAULT 0,\n"
	"  unverified INTEGER NOT NULL DEFAULT 0,\n"
	"  sources TEXT,\n"
	"  UNIQUE (plan_id, code)\n"
	");\n",
	"CREATE TABLE office_places (\n"
	"  office_id INTEGER NOT NULL REFERENCES offices(id) ON DELETE CASCADE,\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('country','region')),\n"
	"  position INTEGER NOT NULL,\n"
	"  code TEXT NOT NULL,\n"
	"  PRIMARY KEY (office_id, kind, code)\n"
	");\n",
	"CREATE TABLE office_indicators (\n"
	"  office_id INTEGER NOT NULL REFERENCES offices(id) ON DELETE CASCADE,\n"
	"  indicator_id INTEGER NOT NULL REFERENCES indicators(id) ON DELETE CASCADE,\n"
	"  position INTEGER NOT NULL,\n"
	"  PRIMARY KEY (office_id, indicator_id)\n"
	");\n",
	"CREATE TABLE cities (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  plan_id INTEGER NOT NULL REFERENCES plans(id) ON DELETE CASCADE,\n"
	"  position INTEGER NOT NULL,\n"
	"  code TEXT NOT NULL,\n"
	"  country TEXT NOT NULL,\n"
	"  unofficial INTEGER NOT NULL DEFAULT 0,\n"
	"  unverified INTEGER NOT NULL DEFAULT 0,\n"
	"  sources TEXT,\n"
	"  UNIQUE (plan_id, code)\n"
	");\n",
	NULL,
};

/* Version 2: the places offices report on, from ISO 3166-1 and UN M49. */
static const char *const v2[] = {
	"CREATE TABLE regions (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  m49 TEXT NOT NULL UNIQUE,\n"
	"  parent TEXT,\n"
	"  level TEXT NOT NULL CHECK (level IN ('world','region','subregion','intermediate'))\n"
	");\n",
	"CREATE TABLE countries (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  alpha3 TEXT NOT NULL UNIQUE CHECK (length(alpha3) = 3),\n"
	"  alpha2 TEXT NOT NULL,\n"
	"  m49 TEXT NOT NULL,\n"
	"  region TEXT,\n"
	"  subregion TEXT,\n"
	"  intermediate TEXT,\n"
	"  ldc INTEGER NOT NULL DEFAULT 0,\n"
	"  lldc INTEGER NOT NULL DEFAULT 0,\n"
	"  sids INTEGER NOT NULL DEFAULT 0\n"
	");\n",
	"CREATE INDEX countries_region ON countries(region);\n",
	NULL,
};

/* Version 3: reporting cycles, submissions and their revisions, the audit log. */
static const char *const v3[] = {
	"CREATE TABLE cycles (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  year INTEGER NOT NULL UNIQUE,\n"
	"  opens TEXT NOT NULL,\n"
	"  closes TEXT NOT NULL CHECK (closes >= opens),\n"
	"  closed INTEGER NOT NULL DEFAULT 0,\n"
	"  any_place INTEGER NOT NULL DEFAULT 0,\n"
	"  all_offices INTEGER NOT NULL DEFAULT 1,\n"
	"  created_at TEXT NOT NULL\n"
	");\n",
	"CREATE TABLE cycle_offices (\n"
	"  cycle_id INTEGER NOT NULL REFERENCES cycles(id) ON DELETE CASCADE,\n"
	"  office TEXT NOT NULL,\n"
	"  PRIMARY KEY (cycle_id, office)\n"
	");\n",
	/* One submission per office and cycle; its content lives in revisions. */
	"CREATE TABLE submissions (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  cycle_id INTEGER NOT NULL REFERENCES cycles(id),\n"
	"  office TEXT NOT NULL,\n"
	"  status TEXT NOT NULL CHECK (status IN ('draft','submitted','returned','approved')),\n"
	"  rev INTEGER NOT NULL,\n"
	"  approved_rev INTEGER NOT NULL DEFAULT 0,\n"
	"  comment TEXT,\n"
	"  updated_at TEXT NOT NULL,\n"
	"  UNIQUE (cycle_id, office)\n"
	");\n",
	"CREATE TABLE revisions (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  submission_id INTEGER NOT NULL REFERENCES submissions(id),\n"
	"  rev INTEGER NOT NULL,\n"
	"  uuid TEXT,\n"
	"  hash TEXT NOT NULL,\n"
	"  content TEXT NOT NULL,\n"
	"  created_at TEXT NOT NULL,\n"
	"  submitted_at TEXT,\n"
	"  created_by TEXT NOT NULL,\n"
	"  channel TEXT NOT NULL,\n"
	"  source TEXT,\n"
	"  late INTEGER NOT NULL DEFAULT 0,\n"
	"  UNIQUE (submission_id, rev)\n"
	");\n",
	"CREATE INDEX revisions_uuid ON revisions(uuid);\n",
	/* Values and tags of each revision, for measuring without parsing JSON. */
	"CREATE TABLE revision_values (\n"
	"  revision_id INTEGER NOT NULL REFERENCES revisions(id),\n"
	"  indicator TEXT NOT NULL,\n"
	"  country TEXT,\n"
	"  city TEXT,\n"
	"  disaggregation TEXT,\n"
	"  category TEXT,\n"
	"  value REAL NOT NULL CHECK (value BETWEEN -1e300 AND 1e300),\n"
	"  text TEXT\n"
	");\n",
	"CREATE INDEX revision_values_revision ON revision_values(revision_id);\n",
	"CREATE TABLE revision_outcomes (\n"
	"  revision_id INTEGER NOT NULL REFERENCES revisions(id),\n"
	"  result TEXT NOT NULL,\n"
	"  narrative TEXT,\n"
	"  lang TEXT\n"
	");\n",
	"CREATE TABLE revision_tags (\n"
	"  revision_id INTEGER NOT NULL REFERENCES revisions(id),\n"
	"  result TEXT NOT NULL,\n"
	"  kind TEXT NOT NULL CHECK (kind IN ('country','city','programme','theme')),\n"
	"  code TEXT NOT NULL\n"
	");\n",
	/* Forms brought in from XLSForm files ('rbm form import'). */
	"CREATE TABLE forms (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  form_id TEXT NOT NULL,\n"
	"  version TEXT NOT NULL,\n"
	"  title TEXT,\n"
	"  source TEXT,\n"
	"  definition TEXT NOT NULL,\n"
	"  imported_at TEXT NOT NULL,\n"
	"  UNIQUE (form_id, version)\n"
	");\n",
	"CREATE TABLE submission_events (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  submission_id INTEGER NOT NULL REFERENCES submissions(id),\n"
	"  rev INTEGER NOT NULL,\n"
	"  action TEXT NOT NULL,\n"
	"  actor TEXT NOT NULL,\n"
	"  channel TEXT NOT NULL,\n"
	"  comment TEXT,\n"
	"  at TEXT NOT NULL\n"
	");\n",
	"CREATE TABLE audit_log (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  at TEXT NOT NULL,\n"
	"  actor TEXT NOT NULL,\n"
	"  channel TEXT NOT NULL,\n"
	"  address TEXT,\n"
	"  action TEXT NOT NULL,\n"
	"  object TEXT NOT NULL,\n"
	"  office TEXT,\n"
	"  before_hash TEXT,\n"
	"  after_hash TEXT,\n"
	"  detail TEXT,\n"
	"  prev TEXT NOT NULL,\n"
	"  hash TEXT NOT NULL\n"
	");\n",
	/* Nothing stored about a submission or the audit trail is ever changed. */
	"CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log\n"
	"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;\n",
	"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log\n"
	"BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;\n",
	"CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions\n"
	"BEGIN SELECT RAISE(ABORT, 'revisions are never changed'); END;\n",
	"CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions\n"
	"BEGIN SELECT RAISE(ABORT, 'revisions are never deleted'); END;\n",
	NULL,
};

/*
 * Version 4: the data values that measurement reads. Approving a submission
 * derives its approved revision's values here (replacing its earlier ones);
 * a bulk load of values ('rbm values import') adds rows with no revision.
 * data_generation counts changes, so a loaded engine knows when it is stale.
 */
static const char *const v4[] = {
	"CREATE TABLE data_values (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  year INTEGER NOT NULL,\n"
	"  quarter INTEGER NOT NULL DEFAULT 0 CHECK (quarter BETWEEN 0 AND 4),\n"
	"  indicator TEXT NOT NULL,\n"
	"  office TEXT NOT NULL,\n"
	"  country TEXT,\n"
	"  city TEXT,\n"
	"  disaggregation TEXT,\n"
	"  category TEXT,\n"
	"  value REAL NOT NULL CHECK (value BETWEEN -1e300 AND 1e300),\n"
	"  text TEXT,\n"
	"  revision_id INTEGER REFERENCES revisions(id),\n"
	"  source TEXT NOT NULL\n"
	");\n",
	"CREATE INDEX data_values_revision ON data_values(revision_id) WHERE revision_id IS NOT NULL;\n",
	"CREATE INDEX data_values_indicator ON data_values(indicator, year);\n",
	"CREATE TABLE data_generation (\n"
	"  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
	"  generation INTEGER NOT NULL\n"
	");\n",
	"INSERT INTO data_generation(id, generation) VALUES (1, 0);\n",
	NULL,
};

/*
 * Version 5: the editorial text of reports, per report, cycle, paragraph and
 * language. source_hash is the SHA-256 of the English text a translation was
 * made from: when the English changes, the translation is stale.
 */
static const char *const v5[] = {
	"CREATE TABLE editorial (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  report TEXT NOT NULL,\n"
	"  cycle INTEGER NOT NULL,\n"
	"  key TEXT NOT NULL,\n"
	"  lang TEXT NOT NULL CHECK (lang IN ('ar','zh','en','fr','ru','es')),\n"
	"  body TEXT NOT NULL,\n"
	"  source_hash TEXT,\n"
	"  updated_at TEXT NOT NULL,\n"
	"  updated_by TEXT NOT NULL,\n"
	"  UNIQUE (report, cycle, key, lang)\n"
	");\n",
	NULL,
};

/*
 * Version 6: users, their sign-in sessions and API tokens, and failed
 * sign-ins (for throttling). Passwords are stored as Argon2id hashes and
 * tokens as BLAKE2b hashes, never in the clear. Times compared with the
 * clock (sessions, tokens' last use, attempts) are seconds since the Unix
 * epoch; created_at of users and tokens is YYYY-MM-DDTHH:MM:SSZ.
 */
static const char *const v6[] = {
	"CREATE TABLE users (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  name TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 64),\n"
	"  role TEXT NOT NULL CHECK (role IN ('administrator','editor','reviewer','reporter','viewer')),\n"
	"  office TEXT CHECK (role = 'reporter' OR office IS NULL),\n"
	"  region TEXT CHECK (role = 'reviewer' OR region IS NULL),\n"
	"  password_hash TEXT NOT NULL,\n"
	"  created_at TEXT NOT NULL,\n"
	"  disabled INTEGER NOT NULL DEFAULT 0,\n"
	"  CHECK (role <> 'reporter' OR office IS NOT NULL)\n"
	");\n",
	"CREATE TABLE sessions (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  token_hash TEXT NOT NULL UNIQUE,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  csrf TEXT NOT NULL,\n"
	"  created_at INTEGER NOT NULL,\n"
	"  expires_at INTEGER NOT NULL,\n"
	"  address TEXT\n"
	");\n",
	"CREATE INDEX sessions_user ON sessions(user_id);\n",
	"CREATE TABLE api_tokens (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  token_hash TEXT NOT NULL UNIQUE,\n"
	"  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,\n"
	"  label TEXT,\n"
	"  created_at TEXT NOT NULL,\n"
	"  last_used INTEGER\n"
	");\n",
	/* key: "account:NAME" or "address:ADDRESS" */
	"CREATE TABLE sign_in_attempts (\n"
	"  key TEXT NOT NULL,\n"
	"  at INTEGER NOT NULL\n"
	");\n",
	"CREATE INDEX sign_in_attempts_key ON sign_in_attempts(key, at);\n",
	NULL,
};

/*
 * Version 7: which reports of which cycle are published. A row means the
 * report is published (when, by whom); unpublishing deletes it. The audit
 * log keeps the history (report.publish, report.unpublish).
 */
static const char *const v7[] = {
	"CREATE TABLE publications (\n"
	"  report TEXT NOT NULL CHECK (report IN ('highlights','annual')),\n"
	"  year INTEGER NOT NULL REFERENCES cycles(year),\n"
	"  published_at TEXT NOT NULL,\n"
	"  published_by TEXT NOT NULL,\n"
	"  PRIMARY KEY (report, year)\n"
	");\n",
	NULL,
};

/*
 * Version 8: how a plan is published to IATI (the plan format's optional
 * "iati" object). The reporting organisation's name is a text of the plan
 * (field iati_org_name); NULL columns: the plan has no "iati".
 */
static const char *const v8[] = {
	"ALTER TABLE plans ADD COLUMN iati_org_ref TEXT;\n",
	"ALTER TABLE plans ADD COLUMN iati_org_type TEXT;\n",
	"ALTER TABLE plans ADD COLUMN iati_activity_prefix TEXT;\n",
	NULL,
};

const struct rbm_store__sq_migration rbm_store__sq_migrations[] = {
	{1, "results framework: plans, results, indicators, tags, offices, cities, texts", v1},
	{2, "places: countries and UN M49 regions", v2},
	{3, "collection: cycles, submissions, revisions, audit log", v3},
	{4, "measurement: data values derived from approved submissions", v4},
	{5, "publishing: editorial text of reports in six languages", v5},
	{6, "access: users, sessions, API tokens, sign-in attempts", v6},
	{7, "publishing: which reports of which cycle the public sees", v7},
	{8, "open data: a plan's IATI reporting organisation and activity identifier", v8},
};

const size_t rbm_store__sq_migrations_len =
	sizeof rbm_store__sq_migrations / sizeof *rbm_store__sq_migrations;
