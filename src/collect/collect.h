/*
 * collect.h - yearly reporting cycles, survey forms, submissions, review
 * and the audit trail.
 *
 * Every January-February the secretariat opens a cycle for the past year;
 * each participating office answers a survey generated from the plan. An
 * answer set (struct rbm_content) is stored as a new revision of the
 * office's submission; a submission moves draft -> submitted -> approved,
 * or -> returned (with a reviewer's comment) -> submitted again. Nothing is
 * overwritten: every revision is kept, and every change appends to a
 * hash-chained audit log.
 *
 * Ownership: structs returned through out-parameters are freed with their
 * rbm_collect_*_free function; strings inside them belong to them.
 */
#ifndef RBM_COLLECT_COLLECT_H
#define RBM_COLLECT_COLLECT_H

#include "../core/diag.h"
#include "../core/rbm.h"
#include "../plan/plan.h"
#include "../store/store.h"

/* Who acts, and through what. */
struct rbm_actor {
	const char *user;    /* e.g. "amina" */
	const char *channel; /* "cli", "web" or "api" */
	const char *address; /* where from: "local", an IP address */
	bool admin;          /* may accept late submissions, open cycles */
};

/* ---- cycles ---- */

struct rbm_cycle {
	long long id;
	int year;            /* the year reported on */
	char opens[11];      /* YYYY-MM-DD, first day submissions are accepted */
	char closes[11];     /* YYYY-MM-DD, last day */
	bool closed;
	bool any_place;      /* false: values must lie in the office's countries */
	char **offices;      /* participating office codes; NULL with offices_len 0: all */
	size_t offices_len;
};

void rbm_collect_cycle_free(struct rbm_cycle *c);
void rbm_collect_cycles_free(struct rbm_cycle *v, size_t n);

/*
 * Opens the cycle for year, accepting submissions from..to (YYYY-MM-DD).
 * offices: NULL for all offices, else codes of the plan's offices.
 */
enum rbm_rc rbm_collect_cycle_open(struct rbm_store *s, const struct rbm_plan *p, int year,
				   const char *from, const char *to, const char *const *offices,
				   size_t offices_len, bool any_place, const struct rbm_actor *who,
				   struct rbm_diag *d);
enum rbm_rc rbm_collect_cycle_close(struct rbm_store *s, int year, const struct rbm_actor *who,
				    struct rbm_diag *d);
enum rbm_rc rbm_collect_cycle_reopen(struct rbm_store *s, int year, const char *to,
				     const struct rbm_actor *who, struct rbm_diag *d);
enum rbm_rc rbm_collect_cycle_get(struct rbm_store *s, int year, struct rbm_cycle *out,
				  struct rbm_diag *d);
enum rbm_rc rbm_collect_cycle_list(struct rbm_store *s, struct rbm_cycle **out, size_t *out_len,
				   struct rbm_diag *d);
/*
 * True when office (a code) takes part in cycle c: one of its offices, or,
 * when it names none, any office but headquarters itself and liaison offices.
 */
bool rbm_collect_cycle_has_office(const struct rbm_plan *p, const struct rbm_cycle *c,
				  const char *office);

/* ---- the survey form ---- */

enum rbm_question_type {
	RBM_Q_BEGIN_GROUP,
	RBM_Q_END_GROUP,
	RBM_Q_INTEGER,
	RBM_Q_DECIMAL,
	RBM_Q_TEXT,
	RBM_Q_SELECT_ONE,
	RBM_Q_SELECT_MULTIPLE,
	RBM_Q_CALCULATE,
	RBM_Q_NOTE
};

/* What a question's answer means in a submission. */
enum rbm_question_role {
	RBM_ROLE_NONE,       /* groups, notes */
	RBM_ROLE_OFFICE,     /* the office code (a calculate) */
	RBM_ROLE_CYCLE,      /* the cycle year (a calculate) */
	RBM_ROLE_VALUE,      /* an indicator value, total or one category */
	RBM_ROLE_CITIES_OF,  /* the cities an indicator counts (count_units of city) */
	RBM_ROLE_NARRATIVE,  /* an outcome's narrative */
	RBM_ROLE_LANG,       /* the narrative's language */
	RBM_ROLE_COUNTRIES,  /* an outcome's countries */
	RBM_ROLE_CITIES,     /* an outcome's cities */
	RBM_ROLE_PROGRAMMES, /* an outcome's flagship programmes */
	RBM_ROLE_THEMES      /* an outcome's themes */
};

struct rbm_question {
	enum rbm_question_type type;
	enum rbm_question_role role;
	char *name;          /* stable: v_1_1_a, v_1_1_a__female, o_1_1_narrative, ... */
	struct rbm_text label, hint, constraint_message;
	char *list;          /* choice list, for selects */
	bool required;
	char *constraint;    /* XLSForm expression, e.g. ". >= 0 and . <= 100" */
	char *relevant;
	char *calculation;
	size_t indicator;    /* RBM_NONE unless a value */
	size_t disaggregation, category; /* RBM_NONE for the total */
	size_t result;       /* the outcome, for outcome questions */
	/* Rules the constraint expresses, for validation in C. */
	bool whole;
	bool has_min, has_max;
	double min, max;
};

struct rbm_choice {
	char *name;
	struct rbm_text label;
};

struct rbm_choice_list {
	char *name;
	struct rbm_choice *choices;
	size_t choices_len;
};

struct rbm_form {
	char *id;       /* form_id, e.g. rbm_2021_KEN */
	char *version;  /* changes when the plan or cycle does */
	struct rbm_text title;
	char *office;
	int year;
	struct rbm_question *questions;
	size_t questions_len;
	struct rbm_choice_list *lists;
	size_t lists_len;
	struct rbm_arena *arena;
};

/* Generates the survey for office (a code) in the cycle for year. */
enum rbm_rc rbm_collect_form(const struct rbm_plan *p, const struct rbm_places *places,
			     int year, const char *office, struct rbm_form **out,
			     struct rbm_diag *d);
void rbm_collect_form_free(struct rbm_form *f);
const struct rbm_question *rbm_collect_form_question(const struct rbm_form *f,
						     const char *name);
const struct rbm_choice_list *rbm_collect_form_list(const struct rbm_form *f, const char *name);

/* ---- answers ---- */

struct rbm_value {
	size_t indicator;      /* index into plan->indicators */
	char country[4];       /* alpha-3, "" when not attributed to a country */
	char *city;            /* city code, or NULL */
	size_t disaggregation; /* RBM_NONE for the total */
	size_t category;
	double value;
	char *text;            /* the answer of a text indicator (value 0), else NULL */
};

struct rbm_outcome_report {
	size_t result;      /* index into plan->results */
	char *narrative;    /* may be NULL */
	enum rbm_lang lang; /* the narrative's language */
	char **countries, **cities, **programmes, **themes;
	size_t countries_len, cities_len, programmes_len, themes_len;
};

/* One office's answers for one cycle. */
struct rbm_content {
	struct rbm_value *values;
	size_t values_len, values_cap;
	char **value_where;   /* where each value came from, for problems; NULL entries allowed */
	struct rbm_outcome_report *outcomes;
	size_t outcomes_len, outcomes_cap;
};

void rbm_collect_content_free(struct rbm_content *c);
/* Appends v (taking its strings) with where it came from (copied; may be NULL). */
void rbm_collect_content_add(struct rbm_content *c, const struct rbm_value *v, const char *where);
/* Canonical JSON (values and outcomes sorted by code), stable across runs. */
char *rbm_collect_content_json(const struct rbm_plan *p, const struct rbm_content *c);
/* Reads canonical JSON back (for stored revisions). */
enum rbm_rc rbm_collect_content_parse(const struct rbm_plan *p, const char *json,
				      struct rbm_content *out, struct rbm_diag *d);
/* SHA-256 of the canonical JSON, as 64 hex digits plus NUL. */
void rbm_collect_content_hash(const struct rbm_plan *p, const struct rbm_content *c, char out[65]);

/*
 * Checks content against the plan and the office's form: known indicators
 * and categories, values that fit units (whole people >= 0, percentages
 * 0-100, yes/no 0 or 1), categories adding up to no more than the total,
 * places known and, unless the cycle allows any place, inside the office's
 * countries. Every problem goes to d under file and where (a prefix such
 * as "row 12"); returns RBM_EINVAL if there is any.
 */
enum rbm_rc rbm_collect_content_check(const struct rbm_plan *p, const struct rbm_places *places,
				      const struct rbm_cycle *cycle, size_t office,
				      const struct rbm_content *c, const char *file,
				      const char *where, struct rbm_diag *d);

/* One answer to a form's question, as text (as a form or a spreadsheet holds it). */
struct rbm_answer {
	const char *name;    /* the question's name */
	const char *value;   /* "" or NULL: not answered */
	const char *country; /* for a value: the country it is for (alpha-3), or NULL */
	const char *where;   /* where the answer is, e.g. "line 7"; NULL: the record's place */
};

/*
 * Turns answers to form f into content: numbers parsed and checked against
 * each question's rule, choices checked against their lists, select_multiple
 * answers split on spaces. Values of an office that reports on exactly one
 * country are attributed to it. Answers named like questions (v_..., o_...)
 * that the form lacks are errors; other names are ignored (metadata). Every
 * problem goes to d as "WHERE, column NAME: reason".
 */
enum rbm_rc rbm_collect_answers(const struct rbm_plan *p, const struct rbm_form *f,
				const struct rbm_answer *a, size_t n, struct rbm_content *out,
				const char *file, const char *where, struct rbm_diag *d);

/*
 * The answers content gives to form f's questions, as a form shows them:
 * one string per question (parallel to f->questions; NULL when the content
 * says nothing for it). Values of the same question over several countries
 * are added up; yes/no as "yes" or "no"; lists as space-separated codes.
 * Free with rbm_collect_form_values_free(v, f->questions_len).
 */
char **rbm_collect_form_values(const struct rbm_plan *p, const struct rbm_form *f,
			       const struct rbm_content *c);
void rbm_collect_form_values_free(char **v, size_t n);

/* ---- import ---- */

struct rbm_import_opts {
	int year;           /* 0: from the file */
	const char *office; /* NULL: from the file */
	bool dry_run;       /* check and report, store nothing */
	bool late;          /* accept submissions outside the window (administrators) */
	bool progress;      /* a progress line on stderr */
};

struct rbm_import_result {
	const char *format; /* "rbm-json", "rbm-csv", "kobo-csv", "odk-csv", "kobo-xlsx" */
	size_t records;     /* submissions read */
	size_t created, revised, unchanged;
};

/*
 * Imports a file of submissions, detecting its format: rbm JSON, rbm CSV,
 * KoBoToolbox or ODK Central CSV and XLSX exports. One transaction: on any
 * problem nothing is stored, and every problem (up to a limit, then a
 * count) goes to d with file, row, column and reason.
 */
enum rbm_rc rbm_collect_import(struct rbm_store *s, const struct rbm_plan *p,
			       const struct rbm_places *places, const char *path,
			       const struct rbm_import_opts *o, const struct rbm_actor *who,
			       struct rbm_import_result *res, struct rbm_diag *d);

/* True when country (alpha-3) lies among the places office reports on. */
bool rbm_collect_office_covers(const struct rbm_plan *p, const struct rbm_places *places,
			       size_t office, const char *country);

/* ---- submissions ---- */

enum rbm_status { RBM_STATUS_DRAFT, RBM_STATUS_SUBMITTED, RBM_STATUS_RETURNED,
		  RBM_STATUS_APPROVED };
const char *rbm_status_name(enum rbm_status s);
bool rbm_status_parse(const char *s, enum rbm_status *out);

struct rbm_revision {
	int rev;
	char *created_at;
	char *created_by;
	char *channel;
	char *source;  /* e.g. the imported file's name */
	char *submitted_at; /* when the office submitted (offline forms), or NULL */
	char hash[65];
	bool late;
	char *content_json;
};

struct rbm_submission {
	long long id;
	int year;
	char *office;
	char *uuid;        /* the external identifier (KoBo _uuid, ODK instanceID) */
	enum rbm_status status;
	int rev;           /* the current revision */
	int approved_rev;  /* 0 when never approved */
	char *updated_at;
	char *comment;     /* the last reviewer's comment, or NULL */
};

void rbm_collect_submission_free(struct rbm_submission *s);
void rbm_collect_submissions_free(struct rbm_submission *v, size_t n);
void rbm_collect_revision_free(struct rbm_revision *r);

struct rbm_submission_filter {
	int year;                  /* 0: any */
	const char *office;        /* NULL: any */
	const char *region;        /* an office code whose descendants count; NULL: any */
	bool has_status;
	enum rbm_status status;
};

enum rbm_rc rbm_collect_submissions(struct rbm_store *s, const struct rbm_plan *p,
				    const struct rbm_submission_filter *f,
				    struct rbm_submission **out, size_t *out_len, struct rbm_diag *d);
enum rbm_rc rbm_collect_submission_get(struct rbm_store *s, long long id,
				       struct rbm_submission *out, struct rbm_diag *d);
/* Revision rev (0: the current one). */
enum rbm_rc rbm_collect_revision_get(struct rbm_store *s, long long id, int rev,
				     struct rbm_revision *out, struct rbm_diag *d);

/*
 * Saves content as a new revision of the office's submission for the cycle
 * (creating it when there is none), as a draft or submitted. base_rev is the
 * revision the change was made from (-1: do not check): a change from an old
 * revision is refused with RBM_ECONFLICT. Same content as the current
 * revision changes nothing (*id_out still set, *changed false).
 */
struct rbm_save {
	int year;
	const char *office;
	const char *uuid;      /* may be NULL: one is made */
	const struct rbm_content *content;
	bool submit;           /* false: save as a draft */
	int base_rev;
	bool late;             /* accept outside the window (administrators only) */
	const char *source;    /* file name, "form", ... */
	const char *submitted_at; /* when the office submitted (offline forms); NULL: now */
};
enum rbm_rc rbm_collect_save(struct rbm_store *s, const struct rbm_plan *p,
			     const struct rbm_places *places, const struct rbm_save *req,
			     const struct rbm_actor *who, long long *id_out, bool *changed,
			     struct rbm_diag *d);
enum rbm_rc rbm_collect_approve(struct rbm_store *s, long long id, int base_rev,
				const struct rbm_actor *who, struct rbm_diag *d);
enum rbm_rc rbm_collect_return(struct rbm_store *s, long long id, int base_rev,
			       const char *comment, const struct rbm_actor *who,
			       struct rbm_diag *d);

/* The offices that take part in cycle c: its list, or every office but
 * headquarters itself and liaison offices. Indices into p->offices. */
size_t *rbm_collect_participants(const struct rbm_plan *p, const struct rbm_cycle *c, size_t *n);
/* The regional office office reports through, or NULL (headquarters). */
const char *rbm_collect_region_of(const struct rbm_plan *p, size_t office);

/* ---- collection progress ---- */

struct rbm_progress_row {
	char *office;
	char *region;   /* the regional office it reports through, or "HQ" */
	bool started;
	enum rbm_status status;
};

enum rbm_rc rbm_collect_progress(struct rbm_store *s, const struct rbm_plan *p, int year,
				 struct rbm_progress_row **out, size_t *out_len,
				 struct rbm_diag *d);
void rbm_collect_progress_free(struct rbm_progress_row *v, size_t n);

/* The states of collection: not started, draft, submitted, returned, approved. */
#define RBM_PROGRESS_STATES 5
/* The state of row r: 0 not started, else 1 + its status. */
size_t rbm_collect_progress_state(const struct rbm_progress_row *r);
/* "not started", "draft", "submitted", "returned", "approved". */
const char *rbm_collect_progress_state_name(size_t state);
/*
 * Counts the rows of region (a regional office's code, "HQ", or NULL for
 * every row) by state into counts; returns how many rows counted. An office
 * has responded when it has submitted (submitted, returned or approved).
 */
size_t rbm_collect_progress_count(const struct rbm_progress_row *v, size_t n, const char *region,
				  size_t counts[RBM_PROGRESS_STATES], size_t *responded);

/* ---- XLSForm ---- */

/*
 * Writes form f as an XLSForm workbook at path (docs/xlsform.md): sheets
 * survey (type, name, label::/hint::/constraint_message:: in the six
 * languages, required, constraint, relevant, calculation, appearance),
 * choices (list_name, name, label::) and settings (form_title, form_id,
 * version, default_language), each with a bold, frozen header row. A
 * language a text lacks leaves its cell empty. The file is replaced if it
 * exists. Returns RBM_EIO, with a problem naming path, when the file cannot
 * be created or written (missing folder, no permission, disk full), and
 * RBM_EINVAL when a text exceeds a cell's 32767 characters.
 */
enum rbm_rc rbm_collect_xlsform_write(const struct rbm_form *f, const char *path,
				      struct rbm_diag *d);

/*
 * Any XLSForm, as its sheets write it: the generic form rbm reads before it
 * compares a form with its own or takes one in. Every string is the
 * caller's through rbm_collect_xlsform_free(); a string is NULL where its
 * cell is empty, and so is a translation a row lacks.
 */
struct rbm_xlsform_question {
	char *type;          /* as written, trimmed: "integer", "begin group", "select_one yes_no" */
	char *name;          /* NULL only for end group / end repeat without one */
	char *list;          /* select_one/select_multiple/rank: the list name; *_from_file: the file */
	char **labels;       /* indexed like rbm_xlsform.langs */
	char **hints;
	char **constraint_messages;
	char *required, *constraint, *relevant, *calculation, *appearance, *repeat_count;
	size_t row;          /* its row in the survey sheet (1-based) */
	int depth;           /* groups and repeats around it; a begin or end row is outside its own */
};

struct rbm_xlsform_choice {
	char *list, *name;
	char **labels;       /* indexed like rbm_xlsform.langs */
	size_t row;          /* its row in the choices sheet */
};

struct rbm_xlsform {
	char *title, *id, *version, *default_language; /* from the settings sheet, or NULL */
	/*
	 * The languages of label::, hint:: and constraint_message:: columns as
	 * written ("English (en)", "english"; "" for a plain label column), the
	 * survey's labels first; two spellings differing only in case are one.
	 */
	char **langs;
	size_t langs_len;
	struct rbm_xlsform_question *questions; /* every non-empty row, end rows too */
	size_t questions_len;
	struct rbm_xlsform_choice *choices;
	size_t choices_len;
};

/*
 * Reads the XLSForm at path: sheets survey, choices and settings (names
 * matched ignoring case; other sheets ignored), headers matched ignoring
 * case and surrounding spaces, with the usual aliases ("list name",
 * "jr:constraintMsg", "bind::relevant", ...). It checks what makes a form
 * unusable: a row with a name or label but no type, a missing name (end
 * rows excepted), the same name twice among the children of one group, a
 * group or repeat left open or an end without a begin, a select whose list
 * is not in the choices sheet, choices without a list or a name, and the
 * same choice twice in a list (unless settings allow_choice_duplicates).
 * Every problem goes to d as "FILE: survey row N, column C: reason" and the
 * result is RBM_EINVAL; a file that is not a workbook gives the XLSX
 * reader's code and problem (see xlsx.h); more than RBM_XLSFORM_MAX_ROWS
 * rows in a sheet or RBM_XLSFORM_MAX_LANGS languages give RBM_ETOOBIG.
 * On RBM_OK sets *out (free it with rbm_collect_xlsform_free()).
 */
#define RBM_XLSFORM_MAX_ROWS ((size_t)1000000)
#define RBM_XLSFORM_MAX_LANGS ((size_t)64)
enum rbm_rc rbm_collect_xlsform_read(const char *path, struct rbm_xlsform **out,
				     struct rbm_diag *d);
/* Frees x and every string in it; accepts NULL. */
void rbm_collect_xlsform_free(struct rbm_xlsform *x);

/*
 * Stores an imported XLSForm (its questions, choices and settings as JSON)
 * under its form_id and version, with an audit entry. The same form_id and
 * version again with the same definition changes nothing (*changed false);
 * with a different one it is refused (RBM_ECONFLICT): raise the version.
 */
enum rbm_rc rbm_collect_xlsform_store(struct rbm_store *s, const struct rbm_xlsform *x,
				      const char *source, const struct rbm_actor *who,
				      bool *changed, struct rbm_diag *d);

#endif
