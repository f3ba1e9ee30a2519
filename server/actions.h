/*
 * actions.h - the rules of committee actions (pure: no store, no RPC
 * context), so that they can be tested alone and every caller applies the
 * same ones.
 *
 * A committee resolves or asks for something at a meeting ("that a
 * briefing note be provided on sickness absence"); the action is owned by
 * a directorate, has a due date, and a status: open, in progress, done or
 * dropped.  Done and dropped are "closed": closing needs a note saying
 * what was done or why not.  An action is overdue when it is not closed
 * and its due date is before the day it is judged on.  A committee's pack
 * lists its actions still open or in progress, and those closed since the
 * first day of the pack's period, so a closure is reported back once.
 *
 * Dates are "YYYY-MM-DD" and are handled as days since 1970-01-01 (UTC).
 */
#ifndef PMIF_ACTIONS_H
#define PMIF_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "actions.pb-c.h"

/* Longest text of an action (its resolution) and of its note. */
#define ACTIONS_TEXT_MAX 2000
#define ACTIONS_NOTE_MAX 4000
/* Room for actions_due_label()'s text. */
#define ACTIONS_LABEL_LEN 80

/**
 * The status a user typed: "open", "in-progress" (or "in progress"),
 * "done", "dropped".  0 and *out, or PMIF_EINVAL (*out untouched).
 */
int actions_status_parse(const char *word, Pmif__ActionStatus *out);

/** The status in words for people: "open", "in progress", "done",
 *  "dropped" ("unknown" for anything else). */
const char *actions_status_word(Pmif__ActionStatus s);

/** Done or dropped. */
bool actions_closed(Pmif__ActionStatus s);

/**
 * A calendar date "YYYY-MM-DD" that exists, within the years periods
 * support (1990-04-01 to 2200-03-31), as days since 1970-01-01.  0 and
 * *days, or PMIF_EINVAL (*days untouched).
 */
int actions_date_parse(const char *text, int32_t *days);

/**
 * Is @p a overdue on day @p today: not closed and due before it?  With
 * @p days (may be NULL) set to how many days past due (0 when not).  An
 * action whose due date does not parse is not overdue.
 */
bool actions_overdue(const Pmif__ActionRecord *a, int32_t today, uint32_t *days);

/**
 * The due date in words, judged on @p today: "overdue: due 2022-09-30, 12
 * days ago", "due 2022-09-30, today", "due 2022-09-30", or for a closed
 * action "due 2022-09-30; done 2022-09-12".
 */
void actions_due_label(const Pmif__ActionRecord *a, int32_t today, char buf[ACTIONS_LABEL_LEN]);

/**
 * Does @p a belong in a pack whose period starts on day @p period_start:
 * still open or in progress, or closed on or after that day?
 */
bool actions_in_pack(const Pmif__ActionRecord *a, int32_t period_start);

/**
 * What is wrong with recording an action met on @p meeting and due on
 * @p due (both already parsed) on day @p today, as one sentence, or NULL
 * when nothing is: a meeting after today has not happened yet, and an
 * action cannot be due before the meeting that asked for it.
 */
const char *actions_check_dates(int32_t meeting, int32_t due, int32_t today);

/**
 * What is wrong with moving an action from @p from to @p to with @p note
 * (the note given with the change, "" for none), or NULL: closing (to done
 * or dropped from anything else) needs a note saying what was done or why
 * it was dropped.
 */
const char *actions_check_change(Pmif__ActionStatus from, Pmif__ActionStatus to, const char *note);

#endif
