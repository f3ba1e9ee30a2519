/*
 * report_actions.c - a committee pack's "Actions from previous meetings":
 * what the committee asked for that is still open or in progress (overdue
 * ones marked, in words, on the day the pack is run), and what was closed
 * since the pack's period began, with the owner's note, so that members
 * see each closure reported back (actions.h has the rules).
 */
#include <stdio.h>
#include <string.h>

#include "actions.h"
#include "actions_store.h"
#include "day.h"
#include "report.h"

int report_pack_actions(struct op_ctx *op, const struct report_sel *sel, Pmif__ActionView ***out,
                        size_t *n, char **as_of)
{
	int32_t today = pmif_day_of_unix(op->now), start = 0;
	char *day = arena_alloc(op->arena, PMIF_DAY_STRLEN), first[PMIF_DAY_STRLEN];
	Pmif__ActionRecord **all;
	Pmif__ActionView **views;
	size_t na, nv = 0;
	int y, m, d;

	if (day == NULL)
		return report_nomem(op);
	pmif_period_dates(&sel->period, &y, &m, &d, NULL, NULL, NULL);
	snprintf(first, sizeof(first), "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
	         (unsigned)d % 100u);
	if (actions_date_parse(first, &start) != 0)
		start = 0;
	if (actions_all(op, &all, &na) != 0)
		return op->code;
	if ((views = ARENA_ARRAY(op->arena, Pmif__ActionView *, na ? na : 1)) == NULL)
		return report_nomem(op);
	for (size_t i = 0; i < na; i++) {
		const Pmif__ActionRecord *a = all[i];

		if (sel->committee == NULL || strcmp(a->committee, sel->committee->id) != 0 ||
		    (sel->directorate && strcmp(a->directorate, sel->directorate->id) != 0) ||
		    !actions_in_pack(a, start))
			continue;
		if ((views[nv] = actions_view(op, all[i], today)) == NULL)
			return report_nomem(op);
		nv++;
	}
	pmif_day_format(today, day);
	*out = views;
	*n = nv;
	*as_of = day;
	return 0;
}
