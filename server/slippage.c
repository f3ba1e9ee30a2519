/*
 * slippage.c - the slippage RAG of an intervention's milestones and a
 * risk against its target (see slippage.h for the rule).  Pure.
 */
#include "slippage.h"

#include <stdio.h>
#include <string.h>

#include "error.h"

/* How bad one open milestone is as of @p as_of. */
static enum slip_rag one(const struct slip_milestone *m, int32_t as_of, bool progress,
                         const struct slip_rule *rule)
{
	int32_t late = as_of - m->due;

	if (late > rule->red_after_days)
		return SLIP_RED;
	if (late > 0)
		return SLIP_AMBER;
	if (-late <= rule->due_soon_days && !progress)
		return SLIP_AMBER;
	return SLIP_GREEN;
}

int slip_judge(const struct slip_milestone *ms, size_t n, int32_t as_of, bool progress,
               const struct slip_rule *rule, struct slip_result *out)
{
	struct slip_result r = {.rag = SLIP_NONE, .decisive = -1, .days_late = 0};
	bool open = false;

	if ((ms == NULL && n > 0) || rule == NULL || out == NULL || rule->red_after_days < 0 ||
	    rule->due_soon_days < 0)
		return PMIF_EINVAL;
	for (size_t i = 0; i < n; i++) {
		enum slip_rag g;
		int32_t late = as_of - ms[i].due;

		if (ms[i].has_done && ms[i].done <= as_of)
			continue;
		g = one(&ms[i], as_of, progress, rule);
		/* the worst wins; among equals the most overdue */
		if (!open || g > r.rag || (g == r.rag && late > r.days_late)) {
			r.rag = g;
			r.decisive = (long)i;
			r.days_late = late;
		}
		open = true;
	}
	if (!open && n > 0)
		r.rag = SLIP_COMPLETE;
	*out = r;
	return 0;
}

const char *slip_rag_word(enum slip_rag r)
{
	switch (r) {
	case SLIP_GREEN: return "green";
	case SLIP_AMBER: return "amber";
	case SLIP_RED: return "red";
	case SLIP_COMPLETE: return "complete";
	case SLIP_NONE: break;
	}
	return "none";
}

void slip_rule_text(const struct slip_rule *rule, char *buf, size_t cap)
{
	snprintf(buf, cap,
	         "Red: a milestone more than %d days overdue; Amber: a milestone up to %d days "
	         "overdue, or due within %d days with no progress update this period; Green: "
	         "every open milestone on time; Complete: every milestone done",
	         (int)rule->red_after_days, (int)rule->red_after_days, (int)rule->due_soon_days);
}

const char *slip_risk_target(uint32_t score, uint32_t target_l, uint32_t target_i)
{
	if (target_l == 0 || target_i == 0)
		return "no target";
	if (score == 0)
		return "not assessed";
	return score <= target_l * target_i ? "at target" : "above target";
}
