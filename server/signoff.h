/*
 * signoff.h - signing a period off: the values still awaiting sign-off
 * when a period is locked, approving a directorate's (or every
 * directorate's) period, and the roll-up an officer sees after approving
 * a Q2, Q4 or H2: the half-year and year it completes, and for the
 * measures reported for those (six-monthly, annual), which values are
 * there, approved, awaiting sign-off or missing.
 *
 * Nothing here computes a value from other periods: the framework does
 * not say how a measure aggregates, so a half-yearly or annual value is
 * only ever what a directorate entered.
 *
 * All functions work in op->txn, allocate from op->arena (nothing
 * returned outlives the request) and return 0 or the status they set
 * with op_fail().
 */
#ifndef PMIF_SIGNOFF_H
#define PMIF_SIGNOFF_H

#include <stddef.h>
#include <stdint.h>

#include "period.h"
#include "rpc.h"
#include "values.pb-c.h"

/** Values awaiting sign-off in one directorate. */
struct signoff_count {
	const char *directorate; /* its id, valid for the request */
	uint32_t count;
};

/**
 * The values of period @p p that are not approved, by the directorate that
 * owns their measure (retired measures and directorates included: their
 * values are shown as provisional too), in framework order, only
 * directorates that have any.
 *
 * @param out   an arena array of *n counts; written only on success.
 * @param total written only on success: the sum of the counts.
 */
int signoff_pending(struct op_ctx *op, const struct pmif_period *p, struct signoff_count **out,
                    size_t *n, uint32_t *total);

/** "CAF 3, RD 2" for @p n counts, in op->arena; NULL when out of memory. */
char *signoff_pending_text(struct op_ctx *op, const struct signoff_count *c, size_t n);

/**
 * Approve @p v, the current revision of its value, as a new revision,
 * counting it in r->approved (or r->already_approved, changing nothing,
 * when it is approved already).
 */
int signoff_approve_one(struct op_ctx *op, const Pmif__ValueRecord *v, Pmif__ValueApproveReply *r);

/**
 * Approve every value of period @p p whose measure @p directorate owns
 * (NULL: every directorate's), counting into @p r; then, when @p p
 * completes longer periods (pmif_period_completes()), fill r->completes
 * with them and r->signoff with, for each directorate that is not retired,
 * @p p and each of those periods in turn.  An unknown @p directorate is
 * NOT_FOUND, before anything is approved.
 */
int signoff_approve(struct op_ctx *op, const char *directorate, const struct pmif_period *p,
                    Pmif__ValueApproveReply *r);

#endif
