/*
 * measures.h - what a measure record (Pmif__Measure, from the framework
 * store) says about its values, read off the record: the target for a
 * period's year, the polarity the analytics judge by, the period kind it
 * is reported for, and the rules validate.h checks a value against.
 *
 * Pure: no store, no allocation; @p m is only read, and what is returned
 * may point into it (it lives as long as @p m).
 */
#ifndef PMIF_MEASURES_H
#define PMIF_MEASURES_H

#include <stdbool.h>

#include "analytics.h"
#include "period.h"
#include "pmif.pb-c.h"
#include "validate.h"

/** The target of @p m for the financial year of @p p; false if none. */
bool measures_target(const Pmif__Measure *m, const struct pmif_period *p, double *target);

/** What validate.h needs about @p m, for the value's period @p p. */
void measures_rules(const Pmif__Measure *m, const struct pmif_period *p,
                    struct validate_measure *out);

/** The analytics polarity of @p m. */
enum analytics_polarity measures_polarity(const Pmif__Measure *m);

/** The period kind a measure of @p m's frequency is reported for. */
enum pmif_period_kind measures_period_kind(const Pmif__Measure *m);

#endif
