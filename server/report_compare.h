/*
 * report_compare.h - comparison with similar councils in the reports:
 * the position a borough MeasureLine carries (scorecard, packs) and the
 * CompareReport of 'pmif report compare'.  Rules in compare.h, the sets
 * in comparators_store.h.
 *
 * Like the rest of report.h: op->txn, op->arena, op_fail() statuses.
 */
#ifndef PMIF_REPORT_COMPARE_H
#define PMIF_REPORT_COMPARE_H

#include "period.h"
#include "pmif.pb-c.h"
#include "rpc.h"

/**
 * Set @p l->compare (a borough line of @p m for its own period @p lp) when
 * a comparator set exists for that measure and period; leave it unset
 * otherwise.  A set whose figures cannot be ranked (a stored value that is
 * not finite) is INTERNAL.
 */
int report_compare_attach(struct op_ctx *op, const Pmif__Measure *m, const struct pmif_period *lp,
                          Pmif__MeasureLine *l);

/**
 * The comparison of @p m in the report period @p p: this council's line,
 * its position, every council ranked (best first, this one among them)
 * and the national / regional figures.  With no set for the measure's
 * period, the report says so (status COMPARE_NONE, no rows): not an
 * error, since members may ask before one is loaded.
 */
int report_compare_build(struct op_ctx *op, const Pmif__Measure *m, const struct pmif_period *p,
                         Pmif__CompareReport **out);

#endif
