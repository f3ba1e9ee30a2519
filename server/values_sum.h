/*
 * values_sum.h - the keying check of a value just entered against the
 * other areas of its measure and period: do the localities' numerators
 * and denominators (a count's values) still add up to the borough's?
 * The figures are read in op->txn, so the value entered in the same
 * transaction is seen; the comparison itself is locality_rules.c's.
 */
#ifndef PMIF_VALUES_SUM_H
#define PMIF_VALUES_SUM_H

#include "locality_rules.h"
#include "rpc.h"
#include "values.h"

/**
 * Check the areas of @p v's measure and period once @p v is stored (a
 * measure reported borough-wide only has nothing to check).  Warnings go
 * to @p out (always filled); nothing is refused.  Returns 0, or op's
 * status set when the framework or the values cannot be read.
 */
int values_sum_check(struct op_ctx *op, const Pmif__ValueRecord *v,
                     struct locality_sum_result *out);

#endif
