/*
 * periods_store.h - the period records (db "periods"): parsing a period's
 * name, reading, writing and listing its record, and creating the periods
 * a framework's years need.
 *
 * A period is keyed by pmif_period_key() as 4 bytes big-endian, so a
 * year's seven periods (year, H1, H2, Q1..Q4) sit together in order and a
 * year's are found by a range from its key.  Every period string goes
 * through common/period.h, whose parse messages are what the user sees.
 *
 * Every function here works in op->txn and answers a failure with a
 * status (rpc_fail) and returns it; records returned live in op->arena
 * and die with the request.  The rules about periods (who may enter into a
 * locked one, when one may be locked) are not here: see values_entry.c,
 * rpc_entries.c and signoff.c.
 */
#ifndef PMIF_PERIODS_STORE_H
#define PMIF_PERIODS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "period.h"
#include "rpc.h"

/** Parse @p text as a period: INVALID_ARGUMENT with period.h's message. */
int periods_parse(struct op_ctx *op, const char *text, struct pmif_period *out);

/** The stored period @p text (parsed first): INVALID_ARGUMENT or NOT_FOUND;
 *  INTERNAL if the store cannot be read.  *out is from op->arena. */
int periods_get(struct op_ctx *op, const char *text, Pmif__Period **out);

/** Store @p rec as period @p p in op->txn (a write transaction); INTERNAL
 *  if it cannot be saved.  @p rec is not kept. */
int periods_put(struct op_ctx *op, const struct pmif_period *p, const Pmif__Period *rec);

/**
 * The stored periods in key order, all of them or, when @p year is not
 * NULL (a period of kind PMIF_PERIOD_YEAR), that year's; only those in
 * state @p want unless it is PMIF__PERIOD__STATE__STATE_UNSET.  Records
 * that do not unpack are left out, and so is the tail if memory runs out
 * while growing the list.  *out (from op->arena) holds *n records.
 * RESOURCE_EXHAUSTED or INTERNAL on failure.
 */
int periods_list(struct op_ctx *op, const struct pmif_period *year, Pmif__Period__State want,
                 Pmif__Period ***out, size_t *n);

/** Create, locked, every period of the years @p first to @p last (both
 *  years) that is missing; an existing period keeps its state.  *added
 *  counts those made. */
int periods_ensure(struct op_ctx *op, const struct pmif_period *first,
                   const struct pmif_period *last, uint32_t *added);

#endif
