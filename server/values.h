/*
 * values.h - the values in the store: the current value of each
 * (measure, locality, period) and every revision of it.  Key layouts are
 * in store.h.  The rest of a quarter's update (commentary, risks...) is in
 * entries.h, which shares values_key() and values_scan().
 *
 * All functions work in op->txn and allocate from op->arena; those that
 * return a status set it with op_fail and return it (0 on success), the
 * *_find ones return 0, PMIF_ENOTFOUND or another PMIF_E* quietly.
 */
#ifndef PMIF_VALUES_H
#define PMIF_VALUES_H

#include <stdbool.h>
#include <stddef.h>

#include "period.h"
#include "op.h"
#include "store.h"
#include "validate.h"
#include "values.pb-c.h"

/* Largest key any of these databases uses. */
#define VALUES_KEY_MAX 160

/** The borough-wide locality id. */
#define VALUES_BOROUGH "borough"

/** Key "a NUL b NUL be32(period)" (b may be NULL: "a NUL be32(period)");
 *  @p p NULL leaves the period off (a prefix).  Returns its length, 0 if
 *  it does not fit. */
size_t values_key(uint8_t buf[VALUES_KEY_MAX], const char *a, const char *b,
                  const struct pmif_period *p);

/** The current value of (measure, locality, period). */
int values_find(struct op_ctx *op, const char *measure, const char *locality,
                const struct pmif_period *p, Pmif__ValueRecord **out);

/** Store @p v as the current value and as revision v->revision. */
int values_put(struct op_ctx *op, const Pmif__ValueRecord *v);

/** Cursors for putting many values in key order (a large import). */
struct values_bulk {
	MDB_cursor *values, *history;
};

/** Open @p b in op->txn; 0 or a PMIF_E* code.  values_bulk_end() before
 *  the transaction ends. */
int values_bulk_begin(struct op_ctx *op, struct values_bulk *b);
void values_bulk_end(struct values_bulk *b);

/**
 * values_put() for a caller that has already parsed v->period as @p p.
 * With @p bulk (may be NULL) the caller puts many values in key order,
 * most of them after every key stored so far: each is appended where it
 * can be, so pages fill up instead of splitting in half and the search
 * from the root is skipped.  What is stored is the same either way.
 */
int values_put_at(struct op_ctx *op, const Pmif__ValueRecord *v, const struct pmif_period *p,
                  struct values_bulk *bulk);

/** One stored value as numbers, with its record's bytes for the rest. */
struct value_point {
	uint32_t key; /* pmif_period_key() of its period */
	double value;
	bool has_fraction;
	double numerator, denominator;
	int status; /* Pmif__ValueStatus */
	uint32_t revision;
	const void *raw; /* the packed ValueRecord, valid for the read's txn */
	size_t raw_len;
};

/**
 * The numeric fields of a packed ValueRecord, without unpacking it (no
 * allocation); key is left 0.  PMIF_ESTORE when the bytes are not a
 * well-formed protobuf message.
 */
int values_decode_numbers(const void *buf, size_t len, struct value_point *out);

/**
 * The series of (measure, locality) in periods of @p kind, up to and
 * including @p last (NULL: all), ascending, as points in @p a.  Records
 * that do not decode are skipped ('pmifd check' names them).
 */
int values_series_points(struct op_ctx *op, const char *measure, const char *locality,
                         enum pmif_period_kind kind, const struct pmif_period *last,
                         struct arena *a, struct value_point **out, size_t *n);

/**
 * values_series_points() with no @p last, as two arrays from @p a:
 * ascending period keys (pmif_period_key) in *keys and the current value
 * of each in *vals.  Returns 0, PMIF_ENOMEM or a store error;
 * out-parameters are written only on success.
 */
int values_series_numbers(struct op_ctx *op, const char *measure, const char *locality,
                          enum pmif_period_kind kind, struct arena *a, uint32_t **keys,
                          double **vals, size_t *n);

/** The whole record behind @p pt (unpacked into the request's arena). */
int values_point_record(struct op_ctx *op, const struct value_point *pt, Pmif__ValueRecord **out);

/** Every revision of (measure, locality, period), oldest first. */
int values_history(struct op_ctx *op, const char *measure, const char *locality,
                   const struct pmif_period *p, Pmif__ValueRecord ***out, size_t *n);

/** Does measure @p id have any value at all? (1 yes, 0 no, < 0 error) */
int values_exist(struct op_ctx *op, const char *measure);

/** Every record of @p db whose key starts with @p prefix (none: all),
 *  unpacked with @p desc, in key order; *out is an arena array.  The
 *  record stores of entries.h list with it too. */
int values_scan(struct op_ctx *op, enum store_db db, const ProtobufCMessageDescriptor *desc,
                const void *prefix, size_t prefix_len, ProtobufCMessage ***out, size_t *n);

#endif
