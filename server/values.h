/*
 * values.h - data entry records in the store: values (current and every
 * revision), commentary, intervention updates, case studies, risks and
 * their assessments, resources.  Key layouts are in store.h.
 *
 * All functions work in ctx->txn and allocate from ctx->arena; those that
 * return a status set it with rpc_fail and return it (0 on success), the
 * *_find ones return 0, PMIF_ENOTFOUND or another PMIF_E* quietly.
 */
#ifndef PMIF_VALUES_H
#define PMIF_VALUES_H

#include <stdbool.h>
#include <stddef.h>

#include "period.h"
#include "rpc.h"
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
int values_find(struct rpc_ctx *ctx, const char *measure, const char *locality,
                const struct pmif_period *p, Pmif__ValueRecord **out);

/** Store @p v as the current value and as revision v->revision. */
int values_put(struct rpc_ctx *ctx, const Pmif__ValueRecord *v);

/** Cursors for putting many values in key order (a large import). */
struct values_bulk {
	MDB_cursor *values, *history;
};

/** Open @p b in ctx->txn; 0 or a PMIF_E* code.  values_bulk_end() before
 *  the transaction ends. */
int values_bulk_begin(struct rpc_ctx *ctx, struct values_bulk *b);
void values_bulk_end(struct values_bulk *b);

/**
 * values_put() for a caller that has already parsed v->period as @p p.
 * With @p bulk (may be NULL) the caller puts many values in key order,
 * most of them after every key stored so far: each is appended where it
 * can be, so pages fill up instead of splitting in half and the search
 * from the root is skipped.  What is stored is the same either way.
 */
int values_put_at(struct rpc_ctx *ctx, const Pmif__ValueRecord *v, const struct pmif_period *p,
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
int values_series_points(struct rpc_ctx *ctx, const char *measure, const char *locality,
                         enum pmif_period_kind kind, const struct pmif_period *last,
                         struct arena *a, struct value_point **out, size_t *n);

/**
 * values_series_points() with no @p last, as two arrays from @p a:
 * ascending period keys (pmif_period_key) in *keys and the current value
 * of each in *vals.  Returns 0, PMIF_ENOMEM or a store error;
 * out-parameters are written only on success.
 */
int values_series_numbers(struct rpc_ctx *ctx, const char *measure, const char *locality,
                          enum pmif_period_kind kind, struct arena *a, uint32_t **keys,
                          double **vals, size_t *n);

/** The whole record behind @p pt (unpacked into the request's arena). */
int values_point_record(struct rpc_ctx *ctx, const struct value_point *pt, Pmif__ValueRecord **out);

/** Every revision of (measure, locality, period), oldest first. */
int values_history(struct rpc_ctx *ctx, const char *measure, const char *locality,
                   const struct pmif_period *p, Pmif__ValueRecord ***out, size_t *n);

/** Does measure @p id have any value at all? (1 yes, 0 no, < 0 error) */
int values_exist(struct rpc_ctx *ctx, const char *measure);

/** Keyed records: get (quietly) and put. */
int commentary_find(struct rpc_ctx *ctx, const char *objective, const struct pmif_period *p,
                    Pmif__CommentaryRecord **out);
int intervention_update_find(struct rpc_ctx *ctx, const char *intervention,
                             const struct pmif_period *p, Pmif__InterventionUpdateRecord **out);
int risk_assessment_find(struct rpc_ctx *ctx, const char *risk, const struct pmif_period *p,
                         Pmif__RiskAssessmentRecord **out);
/** The latest assessment of @p risk strictly before @p p (any kind), if any. */
int risk_assessment_before(struct rpc_ctx *ctx, const char *risk, const struct pmif_period *p,
                           Pmif__RiskAssessmentRecord **out);

/** Every record of @p db (risks, case studies, resources...), unpacked
 *  with @p desc, in key order; *out is an arena array. */
int values_scan(struct rpc_ctx *ctx, enum store_db db, const ProtobufCMessageDescriptor *desc,
                const void *prefix, size_t prefix_len, ProtobufCMessage ***out, size_t *n);

#endif
