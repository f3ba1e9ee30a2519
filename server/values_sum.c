/*
 * values_sum.c - the keying check of one entered value against the sum
 * of its measure's localities (values_sum.h): the borough's figure, every
 * active locality's, then locality_sum_check().
 */
#include <string.h>

#include "error.h"
#include "framework.h"
#include "values_entry.h"
#include "values_sum.h"

#define NAME_LEN 64 /* of a locality's short name in a warning */

/* The figures of @p rec (NULL: no value) as a locality_part. */
static struct locality_part part_of(const char *name, const Pmif__ValueRecord *rec)
{
	struct locality_part p = {.name = name};

	if (rec != NULL) {
		p.has_value = true;
		p.value = rec->value;
		p.has_fraction = rec->has_fraction;
		p.numerator = rec->numerator;
		p.denominator = rec->denominator;
	}
	return p;
}

/* The current value of @p m in @p locality, or NULL when there is none. */
static int current(struct op_ctx *op, const char *m, const char *locality,
                   const struct pmif_period *p, Pmif__ValueRecord **out)
{
	int rc = values_find(op, m, locality, p, out);

	if (rc == PMIF_ENOTFOUND) {
		*out = NULL;
		return 0;
	}
	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the values could not be read");
	return 0;
}

int values_sum_check(struct op_ctx *op, const Pmif__ValueRecord *v, struct locality_sum_result *out)
{
	struct locality_sum_input in = {0};
	struct locality_part *parts;
	const Pmif__Measure *m;
	ProtobufCMessage **locs;
	Pmif__ValueRecord *rec;
	struct pmif_period p;
	size_t nl;
	int rc;

	out->n_warnings = 0;
	rc = entry_measure(op, NULL, v->measure, &m);
	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the framework could not be read");
	if (!m->by_locality || pmif_period_parse(v->period, &p, NULL, 0) != 0)
		return 0;
	if (fw_list(op, fw_kind(FW_LOCALITY), NULL, 0, false, &locs, &nl) != 0)
		return op->code;
	if ((parts = ARENA_ARRAY(op->arena, struct locality_part, nl + 1)) == NULL)
		return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (current(op, m->id, VALUES_BOROUGH, &p, &rec) != 0)
		return op->code;
	in.borough = part_of("the borough", rec);
	for (size_t i = 0; i < nl; i++) {
		const Pmif__Locality *loc = (const Pmif__Locality *)locs[i];
		char *name;

		if (strcmp(loc->id, VALUES_BOROUGH) == 0)
			continue;
		if (current(op, m->id, loc->id, &p, &rec) != 0)
			return op->code;
		name = arena_alloc(op->arena, NAME_LEN);
		if (name == NULL)
			return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
		locality_short_name(name, NAME_LEN,
		                    loc->name && loc->name[0] ? loc->name : loc->id);
		parts[in.n_parts++] = part_of(name, rec);
	}
	in.measure = m->id;
	in.period = v->period;
	in.count = m->unit == PMIF__MEASURE__UNIT__COUNT;
	in.borough_entered = strcmp(v->locality, VALUES_BOROUGH) == 0;
	in.parts = parts;
	if (locality_sum_check(&in, out) != 0)
		out->n_warnings = 0; /* a figure the store should never hold: nothing to say */
	return 0;
}
