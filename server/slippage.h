/*
 * slippage.h - how far an intervention has slipped: the RAG of its
 * milestones against their due dates, and a risk's place against its
 * target score.  Pure functions on numbers and dates: no I/O, no store,
 * no allocation, no global state, safe from any worker thread.
 *
 * Dates are whole days since 1970-01-01 (UTC, proleptic Gregorian), made
 * from "YYYY-MM-DD" by pmif_day_parse() (day.h).
 *
 * The slippage rule (the words slip_rule_text() writes, and docs say):
 *   - no milestones                                     -> none ("no milestones")
 *   - every milestone completed on or before the as-of day -> Complete
 *   - an open milestone more than red_after_days overdue -> Red
 *   - an open milestone 1..red_after_days overdue        -> Amber
 *   - an open milestone due within due_soon_days with no
 *     progress update recorded for the period           -> Amber
 *   - otherwise                                         -> Green
 * "Open" means not completed by the as-of day; a milestone completed late
 * no longer counts against the intervention.  The worst applies.
 */
#ifndef PMIF_SLIPPAGE_H
#define PMIF_SLIPPAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** Defaults of struct slip_rule. */
#define SLIP_RED_AFTER_DAYS 30
#define SLIP_DUE_SOON_DAYS  14

enum slip_rag {
	SLIP_NONE = 0, /* no milestones: nothing to judge slippage by */
	SLIP_GREEN = 1,
	SLIP_AMBER = 2,
	SLIP_RED = 3,
	SLIP_COMPLETE = 4,
};

/** One milestone: due day, and the day it was completed (has_done). */
struct slip_milestone {
	int32_t due;
	bool has_done;
	int32_t done;
};

/** The thresholds; both >= 0. */
struct slip_rule {
	int32_t red_after_days;
	int32_t due_soon_days;
};

/** The judgement: the RAG, and which milestone decided it (index, or -1)
 *  and by how many days it is overdue (negative: days until due). */
struct slip_result {
	enum slip_rag rag;
	long decisive;
	int32_t days_late;
};

/**
 * Judge @p n milestones @p ms as of day @p as_of; @p progress says whether
 * a progress update was recorded for the period.  PMIF_EINVAL when @p ms
 * is NULL with n > 0, or @p rule has a negative threshold.
 */
int slip_judge(const struct slip_milestone *ms, size_t n, int32_t as_of, bool progress,
               const struct slip_rule *rule, struct slip_result *out);

/** The RAG's word: "green", "amber", "red", "complete", "none" (static). */
const char *slip_rag_word(enum slip_rag r);

/** The rule in words ("Red: a milestone more than 30 days overdue; ..."), into buf. */
void slip_rule_text(const struct slip_rule *rule, char *buf, size_t cap);

/**
 * A risk against its target score (likelihood x impact, each 1-5):
 * "no target" (either target 0), "at target" (score <= target),
 * "above target" (score > target), "not assessed" (score 0).  Static.
 */
const char *slip_risk_target(uint32_t score, uint32_t target_l, uint32_t target_i);

#endif
