/*
 * plans.h - an intervention's plan: who manages it (a named person or
 * role) and its milestones, stored one record per intervention in the
 * "intervention_plans" database; and the plan judged as of a day with the
 * slippage rule (slippage.h).  For the plan handlers (rpc_plans.c) and
 * the packs (report_pack.c).
 *
 * Memory: everything returned lives in op->arena and dies with the
 * request.
 */
#ifndef PMIF_PLANS_H
#define PMIF_PLANS_H

#include <stdbool.h>
#include <stdint.h>

#include "period.h"
#include "rpc.h"
#include "slippage.h"

/** Most milestones one intervention may have. */
#define PLANS_MAX_MILESTONES 50

/** The rule packs and lists judge by (slippage.h defaults). */
extern const struct slip_rule plans_rule;

/** The plan of @p intervention: 0, PMIF_ENOTFOUND (none yet), or another PMIF_E*. */
int plans_get(struct op_ctx *op, const char *intervention, Pmif__InterventionPlanRecord **out);

/** Store @p rec under its intervention: 0 or a PMIF_E* code. */
int plans_put(struct op_ctx *op, const Pmif__InterventionPlanRecord *rec);

/**
 * The day a period's slippage is judged on: the period's last day, or
 * today (op->now) when that is sooner; today when @p p is NULL.
 */
int32_t plans_as_of(const struct op_ctx *op, const struct pmif_period *p);

/**
 * The view of intervention @p iv with plan @p rec (NULL: no plan yet),
 * judged as of day @p as_of; @p has_update: a progress update was
 * recorded for the period.  NULL when out of memory.
 */
Pmif__InterventionPlanView *plans_view(struct op_ctx *op, const Pmif__Intervention *iv,
                                       const Pmif__InterventionPlanRecord *rec, int32_t as_of,
                                       bool has_update);

#endif
