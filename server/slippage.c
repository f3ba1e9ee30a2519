/*
 * slippage.c - the slippage RAG of an intervention's milestones and a
 * risk against its target (see slippage.h for the rule).  Pure.
 */
#include "slippage.h"

#include <stdio.h>
#include <string.h>

#include "error.h"

/* Howard Hinnant's days_from_civil. */
static int32_t days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int slip_day_parse(const char *s, int32_t *out)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int y, m, d;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return PMIF_EINVAL;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return PMIF_EINVAL;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap(y) ? 1 : 0))
		return PMIF_EINVAL;
	*out = days_from_civil(y, m, d);
	return 0;
}

void slip_day_format(int32_t day, char *buf, size_t cap)
{
	int z = day + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1, m = mp + (mp < 10 ? 3 : -9);
	int y = yoe + era * 400 + (m <= 2);

	snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
}

int32_t slip_day_of_unix(uint64_t t)
{
	return (int32_t)(t / 86400);
}

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
