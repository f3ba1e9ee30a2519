/*
 * measures.c - what a measure record says, read off it: its target for a
 * year, its polarity, the period kind it is reported for, and the rules
 * its values are validated by (see measures.h).  Pure: no store.
 */
#include <string.h>

#include "measures.h"

bool measures_target(const Pmif__Measure *m, const struct pmif_period *p, double *target)
{
	struct pmif_period year;
	char name[PMIF_PERIOD_STRLEN];

	if (pmif_period_parent(p, PMIF_PERIOD_YEAR, &year) != 0)
		return false;
	pmif_period_format(&year, name);
	for (size_t i = 0; i < m->n_targets; i++)
		if (strcmp(m->targets[i]->year, name) == 0) {
			*target = m->targets[i]->value;
			return true;
		}
	return false;
}

enum analytics_polarity measures_polarity(const Pmif__Measure *m)
{
	switch (m->polarity) {
	case PMIF__MEASURE__POLARITY__HIGHER: return ANALYTICS_POLARITY_HIGHER_BETTER;
	case PMIF__MEASURE__POLARITY__LOWER: return ANALYTICS_POLARITY_LOWER_BETTER;
	default: return ANALYTICS_POLARITY_NONE;
	}
}

enum pmif_period_kind measures_period_kind(const Pmif__Measure *m)
{
	switch (m->frequency) {
	case PMIF__MEASURE__FREQUENCY__SIX_MONTHLY: return PMIF_PERIOD_HALF;
	case PMIF__MEASURE__FREQUENCY__ANNUAL: return PMIF_PERIOD_YEAR;
	default: return PMIF_PERIOD_QUARTER;
	}
}

void measures_rules(const Pmif__Measure *m, const struct pmif_period *p,
                    struct validate_measure *out)
{
	memset(out, 0, sizeof(*out));
	out->id = m->id;
	switch (m->unit) {
	case PMIF__MEASURE__UNIT__PERCENT: out->unit = VALIDATE_PERCENT; break;
	case PMIF__MEASURE__UNIT__RATE_PER_1000: out->unit = VALIDATE_RATE_PER_1000; break;
	case PMIF__MEASURE__UNIT__DAYS: out->unit = VALIDATE_DAYS; break;
	case PMIF__MEASURE__UNIT__GBP: out->unit = VALIDATE_GBP; break;
	case PMIF__MEASURE__UNIT__SCORE: out->unit = VALIDATE_SCORE; break;
	default: out->unit = VALIDATE_COUNT; break;
	}
	out->polarity = measures_polarity(m);
	out->decimals = (int)m->decimals;
	out->tolerance = m->tolerance;
	out->has_target = measures_target(m, p, &out->target);
}
