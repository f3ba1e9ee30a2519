/*
 * comparators_store.h - the comparator sets (db "comparators"): other
 * councils' and the national or regional figures for a measure and
 * period, with the source and date they came from.
 *
 * Key: measure NUL be32(pmif_period_key), so a measure's sets are one
 * range scan in period order.  A set is written whole: an import replaces
 * the set of every (measure, period) it names and leaves the others.
 *
 * Every function works in op->txn and allocates from op->arena
 * (records returned die with the request).  Functions that return a
 * status set it with op_fail() and return it, 0 on success; what a
 * figure must satisfy is not here (compare_import.c), nor how a council
 * is ranked (compare.h).
 */
#ifndef PMIF_COMPARATORS_STORE_H
#define PMIF_COMPARATORS_STORE_H

#include <stddef.h>

#include "compare.pb-c.h"
#include "period.h"
#include "rpc.h"

/**
 * The set of @p measure for period @p p: 0 with *out, PMIF_ENOTFOUND
 * (quietly: no status set) when there is none, or INTERNAL when the
 * store cannot be read.
 */
int comparators_get(struct op_ctx *op, const char *measure, const struct pmif_period *p,
                    Pmif__ComparatorSetRecord **out);

/** Store @p rec (its measure and period, parsed) in op->txn, replacing
 *  any set there; *replaced says whether there was one.  @p rec is not
 *  kept. */
int comparators_put(struct op_ctx *op, const Pmif__ComparatorSetRecord *rec, bool *replaced);

/**
 * Every set of @p measure (NULL: of every measure), in key order (measure,
 * then period).  Records that do not unpack are left out.  *out (arena)
 * holds *n records.
 */
int comparators_list(struct op_ctx *op, const char *measure, Pmif__ComparatorSetRecord ***out,
                     size_t *n);

#endif
