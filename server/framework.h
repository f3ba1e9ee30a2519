/*
 * framework.h - the framework's records as data.
 *
 * Seven kinds of record (directorate, committee, locality, objective,
 * outcome, intervention, measure) are described by one table
 * (framework_kinds.c): for each kind its database, protobuf descriptor,
 * id rule and fields; for each field its type (text, reference, enum,
 * number, targets...), whether it is required, what it refers to and its
 * limits.  Everything else is generic code driven by that table:
 *
 *   framework_kinds.c   the table; a record's id, position and retired
 *                       flag; problem lists; comparing two records field
 *                       by field; pure, no store
 *   framework_fields.c  parsing a field from the framework file (JSON) or
 *                       from what a user typed (FieldValue), checking a
 *                       whole record; pure, no store
 *   framework_store.c   get/put/delete in LMDB with the reference index
 *                       ("framework_refs", see store.h), listing by a
 *                       reference as a range scan, "who still refers to
 *                       this?", per-record audit entries
 *   framework_load.c    the framework file: parse and check it whole
 *                       (pure), then apply it: add, change, retire or
 *                       delete, and create its periods
 *   rpc_framework.c     the RPCs: show, list, get, add, edit, retire, restore
 *   rpc_periods.c       periods: list, open, lock, unlock
 *
 * An invariant every writer keeps: an active (not retired) record refers
 * only to active records, so whatever members read is whole.
 *
 * Field names are the same everywhere: in the .proto, in the framework
 * file, in FieldValue and (with '-' for '_') in pmif's options, so a
 * message naming a field names what the user wrote.
 */
#ifndef PMIF_FRAMEWORK_H
#define PMIF_FRAMEWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "arena.h"
#include "period.h"
#include "pmif.pb-c.h"
#include "rpc.h"
#include "store.h"

typedef Pmif__FrameworkRecord__Kind fw_kind_id;

#define FW_DIRECTORATE  PMIF__FRAMEWORK_RECORD__KIND__DIRECTORATE
#define FW_COMMITTEE    PMIF__FRAMEWORK_RECORD__KIND__COMMITTEE
#define FW_LOCALITY     PMIF__FRAMEWORK_RECORD__KIND__LOCALITY
#define FW_OBJECTIVE    PMIF__FRAMEWORK_RECORD__KIND__OBJECTIVE
#define FW_OUTCOME      PMIF__FRAMEWORK_RECORD__KIND__OUTCOME
#define FW_INTERVENTION PMIF__FRAMEWORK_RECORD__KIND__INTERVENTION
#define FW_MEASURE      PMIF__FRAMEWORK_RECORD__KIND__MEASURE
#define FW_NKINDS       7

/* Kinds in an order where everything a record refers to comes before it. */
extern const fw_kind_id fw_order[FW_NKINDS];

/* Largest magnitude of any baseline or target. */
#define FW_NUMBER_LIMIT 1e12

/* Largest framework file accepted (the request must fit in one frame). */
#define FW_MAX_FILE ((size_t)3 << 20)

enum fw_type {
	FT_ID,       /* the record's id (string): the kind's id rule */
	FT_REF,      /* string: the id of one record of fw_field.ref */
	FT_REFS,     /* repeated string: ids of records of fw_field.ref */
	FT_LINE,     /* string: one line of text */
	FT_TEXT,     /* string: text, newlines allowed */
	FT_LINES,    /* repeated string: lines of text */
	FT_ENUM,     /* enum: one of fw_field.words */
	FT_NUMBER,   /* double: finite, within [min, max] */
	FT_INT,      /* uint32: whole number within [min, max] */
	FT_BOOL,     /* bool */
	FT_TARGETS,  /* repeated Target: per financial year, in year order */
	FT_BASELINE, /* Baseline or unset */
};

enum fw_field_flags {
	FF_REQUIRED = 1u << 0, /* must be non-empty / set */
	FF_PARENT = 1u << 1,   /* in the file, taken from the enclosing objective */
};

/* A word of an enum's vocabulary and its value. */
struct fw_word {
	const char *text;
	int value;
};

struct fw_field {
	const char *name; /* the .proto field, the file's key */
	enum fw_type type;
	unsigned flags;
	fw_kind_id ref;              /* FT_REF, FT_REFS */
	const struct fw_word *words; /* FT_ENUM; ends with text NULL */
	size_t max_len;              /* text types: bytes per value */
	size_t max_n;                /* repeated types: most values */
	double min, max;             /* FT_NUMBER, FT_INT */
};

struct fw_check;
struct fw_kind;

/* "Is @p id, of kind @p k, in use in a way the reference index does not
 * record?" (users of a directorate; later: values of a measure).  Returns
 * 0 with *what set to a description ("user dan") if so and left alone if
 * not, or a status. */
typedef int (*fw_extra_use_fn)(struct op_ctx *op, const struct fw_kind *k, const char *id,
                               const char **what);

struct fw_kind {
	fw_kind_id kind;
	const char *name;   /* "measure": commands, audit keys, messages */
	const char *plural; /* "measures": the file's array */
	enum store_db db;
	const ProtobufCMessageDescriptor *desc;
	bool lower_id;                 /* ids are a-z (else A-Z) */
	size_t id_max;                 /* longest id */
	const struct fw_field *fields; /* ends with name NULL; the id first */
	/* rules across fields (may be NULL) */
	void (*check)(struct fw_check *c, const ProtobufCMessage *rec);
	fw_extra_use_fn extra_use; /* may be NULL */
};

/** The table entry for @p kind, or NULL when it is not a kind. */
const struct fw_kind *fw_kind(fw_kind_id kind);

/** The field @p name of @p k ('-' and '_' alike), or NULL. */
const struct fw_field *fw_field(const struct fw_kind *k, const char *name);

/** Check the table against the protobuf descriptors (every field exists
 *  with the type its fw_type needs): 0 or PMIF_ESTATE, naming the first
 *  mismatch in @p why.  For the tests. */
int fw_table_check(char *why, size_t cap);

/* ---------------------------------------------------------- records */

/** A new record of @p k with every field at its default, from @p a. */
ProtobufCMessage *fw_new(struct arena *a, const struct fw_kind *k);
/** A shallow copy of @p rec (its pointers shared): change fields of the
 *  copy only by pointing them at new memory. */
ProtobufCMessage *fw_copy(struct arena *a, const ProtobufCMessage *rec);
const char *fw_id(const ProtobufCMessage *rec);
void fw_set_id(ProtobufCMessage *rec, const char *id);
bool fw_retired(const ProtobufCMessage *rec);
void fw_set_retired(ProtobufCMessage *rec, bool retired);
uint32_t fw_position(const ProtobufCMessage *rec);
void fw_set_position(ProtobufCMessage *rec, uint32_t pos);
/** The string value(s) of field @p f of @p rec: FT_REF/FT_ID give one (or
 *  none when empty), FT_REFS all.  *vals points into @p rec. */
size_t fw_strings(const ProtobufCMessage *rec, const struct fw_field *f, char *const **vals,
                  char **one);
/** @p rec wrapped in a FrameworkRecord (from @p a). */
Pmif__FrameworkRecord *fw_wrap(struct arena *a, const struct fw_kind *k, ProtobufCMessage *rec);

/* ---------------------------------------------------------- problems */

/* Everything wrong with a file or a request, one sentence each. */
struct fw_problems {
	struct arena *arena;
	char **msg;
	size_t n, cap;
	size_t n_unknown_ref; /* how many name a record that does not exist */
};

void fw_problems_init(struct fw_problems *p, struct arena *a);
/** Add "PATH.FIELD: sentence" (either part may be NULL or empty). */
void fw_problem(struct fw_problems *p, const char *path, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/** Set op's status from @p p: NOT_FOUND when every problem is an unknown
 *  reference, else INVALID_ARGUMENT; the message starts with @p intro
 *  (may be NULL) and lists as many problems as fit.  Returns the code. */
int fw_problems_fail(struct op_ctx *op, const struct fw_problems *p, const char *intro);

/* ---------------------------------------------------------- checking */

/* How a record is checked: where problems go, the path that prefixes
 * them, and where references are looked up. */
struct fw_check {
	struct fw_problems *problems;
	struct arena *arena;
	const char *path; /* "measures[3]", or "" for a request */
	/* The active record @p id of @p kind, or NULL when it cannot be
	 * referred to: *missing says whether it does not exist (else it is
	 * retired), and *why ends the "there is no ..." sentence, e.g.
	 * " in the file: add it, or correct the id". */
	const ProtobufCMessage *(*lookup)(void *arg, fw_kind_id kind, const char *id,
	                                  const char **why, bool *missing);
	void *arg;
	/* fields (bit i: the kind's fields[i]) whose value was already refused
	 * when it was read: not checked again, nor the rules across fields */
	uint32_t skip;
};

/** Check every field of @p rec and the rules across them; problems go to
 *  c->problems. */
void fw_check_record(struct fw_check *c, const struct fw_kind *k, const ProtobufCMessage *rec);

/** Set field @p f of @p rec from the file's JSON value @p v (null leaves
 *  the default).  Type problems go to c->problems. */
void fw_set_json(struct fw_check *c, const struct fw_kind *k, ProtobufCMessage *rec,
                 const struct fw_field *f, json_t *v);

/** Set field @p f of @p rec from what a user typed (see FieldValue in
 *  pmif.proto); targets merge into the ones @p rec has. */
void fw_set_text(struct fw_check *c, const struct fw_kind *k, ProtobufCMessage *rec,
                 const struct fw_field *f, char **values, size_t n);

/** Names of the fields of @p k that differ between @p a and @p b (the id,
 *  position and retired flag are not compared) into @p out; the count. */
size_t fw_diff(const struct fw_kind *k, const ProtobufCMessage *a, const ProtobufCMessage *b,
               const char **out, size_t cap);

/** @p s made safe to put in a message: at most 40 bytes (then "..."),
 *  control bytes and the bytes of invalid UTF-8 shown as '?'. */
const char *fw_quote(struct arena *a, const char *s);
/** ": 'pmif ... list' shows them": the list command for kind @p k that the
 * caller's role would use (a member is not sent to an admin command when
 * another shows the same records). */
const char *fw_list_hint(struct op_ctx *op, const struct fw_kind *k);

/** "count, percent, ..." for an enum field (static storage per field). */
const char *fw_words_list(const struct fw_field *f, char *buf, size_t cap);
/** The word for an enum value, or "?" */
const char *fw_word(const struct fw_field *f, int value);
/** The entry of @p f's vocabulary for @p text, or NULL; @p loose takes
 *  '-' and '_' alike (what users type). */
const struct fw_word *fw_word_find(const struct fw_field *f, const char *text, bool loose);

/* ---------------------------------------------------------- store
 * All in op->txn.  Functions that return a status set it with rpc_fail
 * (NOT_FOUND, INTERNAL ...) and return it; 0 on success. */

/** The record @p id of @p k; NOT_FOUND status names the list command. */
int fw_get(struct op_ctx *op, const struct fw_kind *k, const char *id, ProtobufCMessage **out);
/** The directorate's extra use (fw_extra_use_fn): a user belongs to it. */
int fw_directorate_users(struct op_ctx *op, const struct fw_kind *k, const char *id,
                         const char **what);
/** The measure's extra use (fw_extra_use_fn): it has values, so it is
 *  retired, never deleted (values_store.c). */
int fw_measure_values(struct op_ctx *op, const struct fw_kind *k, const char *id,
                      const char **what);
/** Like fw_get but quiet: 0, PMIF_ENOTFOUND, or another PMIF_E* code. */
int fw_find(struct op_ctx *op, const struct fw_kind *k, const char *id, ProtobufCMessage **out);
/** Store @p rec, replacing @p old (NULL for a new record), and bring the
 *  reference index up to date. */
int fw_put(struct op_ctx *op, const struct fw_kind *k, const ProtobufCMessage *old,
           const ProtobufCMessage *rec);
/** Delete @p rec and its references. */
int fw_delete(struct op_ctx *op, const struct fw_kind *k, const ProtobufCMessage *rec);

/**
 * Does anything refer to @p id of @p k?  With @p active_only, only active
 * records count (and not the extra uses).  Returns 0 with *what set to a
 * description of the first referrer ("measure FSM-UPTAKE"), or to NULL
 * when nothing refers to it; or a status.
 */
int fw_referrer(struct op_ctx *op, const struct fw_kind *k, const char *id, bool active_only,
                const char **what);

/* What to list: kind, and ids that must be referred to (NULL or empty:
 * no filter by that kind). */
struct fw_filter {
	fw_kind_id kind;
	const char *id;
};

/**
 * The records of @p k that refer to every filter's id, retired ones only
 * with @p include_retired, sorted by position then id.  A filter whose
 * kind @p k cannot refer to gives INVALID_ARGUMENT; an unknown filter id
 * NOT_FOUND.
 */
int fw_list(struct op_ctx *op, const struct fw_kind *k, const struct fw_filter *filters,
            size_t n_filters, bool include_retired, ProtobufCMessage ***out, size_t *n);

/** One more than the largest position of @p k's records. */
int fw_next_position(struct op_ctx *op, const struct fw_kind *k, uint32_t *out);

/** The FrameworkInfo of the last file loaded (an empty one if none). */
int fw_info_get(struct op_ctx *op, Pmif__FrameworkInfo **out);
int fw_info_put(struct op_ctx *op, const Pmif__FrameworkInfo *info);

/** Append an audit entry for one record a bulk change touched (the
 *  request's own entry is the dispatcher's). */
int fw_audit(struct op_ctx *op, const struct fw_kind *k, const char *id,
             const ProtobufCMessage *before, const ProtobufCMessage *after);

/* ---------------------------------------------------------- the file */

/* A framework file, parsed and checked: records of each kind in file
 * order (positions set), and the framework's own fields. */
struct fw_model {
	Pmif__FrameworkInfo *info;
	struct pmif_period first_year, last_year;
	ProtobufCMessage **recs[FW_NKINDS + 1];  /* indexed by kind, file order */
	ProtobufCMessage **by_id[FW_NKINDS + 1]; /* the same, sorted by id */
	size_t n[FW_NKINDS + 1];
	size_t total;
};

/** The record @p id of @p kind in @p m, or NULL. */
ProtobufCMessage *fw_model_find(const struct fw_model *m, fw_kind_id kind, const char *id);

/**
 * Parse and check the framework file @p text (@p len bytes) into @p out,
 * every allocation from @p a.  Pure: no store.  Returns 0, or PMIF_EINVAL
 * with every problem in @p problems (JSON path first, or the line and
 * column for a syntax error); PMIF_ENOMEM.
 */
int fw_parse(struct arena *a, const char *text, size_t len, struct fw_model *out,
             struct fw_problems *problems);

/**
 * Make the store's framework what @p m says, in op->txn: add and change
 * records, retire absent ones still referred to, delete the rest, create
 * the periods first_year..last_year that are missing (locked).  Loading
 * the same model twice changes nothing the second time.  Each change gets
 * its own audit entry.  On success *out says what changed.
 */
int fw_apply(struct op_ctx *op, const struct fw_model *m, Pmif__FrameworkLoadReply **out);

#endif
