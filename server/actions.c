/*
 * actions.c - the rules of committee actions: statuses, dates, overdue,
 * what a pack lists, what a change needs (see actions.h).
 */
#include <stdio.h>
#include <string.h>

#include "actions.h"
#include "error.h"
#include "period.h"

static const struct {
	const char *typed, *word;
	Pmif__ActionStatus status;
} statuses[] = {
    {"open", "open", PMIF__ACTION_STATUS__ACTION_OPEN},
    {"in-progress", "in progress", PMIF__ACTION_STATUS__ACTION_IN_PROGRESS},
    {"in progress", "in progress", PMIF__ACTION_STATUS__ACTION_IN_PROGRESS},
    {"done", "done", PMIF__ACTION_STATUS__ACTION_DONE},
    {"dropped", "dropped", PMIF__ACTION_STATUS__ACTION_DROPPED},
};

#define N_STATUSES (sizeof(statuses) / sizeof(statuses[0]))

int actions_status_parse(const char *word, Pmif__ActionStatus *out)
{
	for (size_t i = 0; word && i < N_STATUSES; i++)
		if (strcmp(word, statuses[i].typed) == 0) {
			*out = statuses[i].status;
			return 0;
		}
	return PMIF_EINVAL;
}

const char *actions_status_word(Pmif__ActionStatus s)
{
	for (size_t i = 0; i < N_STATUSES; i++)
		if (statuses[i].status == s)
			return statuses[i].word;
	return "unknown";
}

bool actions_closed(Pmif__ActionStatus s)
{
	return s == PMIF__ACTION_STATUS__ACTION_DONE || s == PMIF__ACTION_STATUS__ACTION_DROPPED;
}

int actions_date_parse(const char *text, int32_t *days)
{
	return pmif_period_day_parse(text, days);
}

bool actions_overdue(const Pmif__ActionRecord *a, int32_t today, uint32_t *days)
{
	int32_t due;
	bool late =
	    !actions_closed(a->status) && actions_date_parse(a->due, &due) == 0 && due < today;

	if (days)
		*days = late ? (uint32_t)(today - due) : 0;
	return late;
}

void actions_due_label(const Pmif__ActionRecord *a, int32_t today, char buf[ACTIONS_LABEL_LEN])
{
	uint32_t late;
	int32_t due;

	if (actions_closed(a->status))
		snprintf(buf, ACTIONS_LABEL_LEN, "due %.10s; %s %.10s", a->due,
		         actions_status_word(a->status), a->closed_on);
	else if (actions_overdue(a, today, &late))
		snprintf(buf, ACTIONS_LABEL_LEN, "overdue: due %.10s, %u day%s ago", a->due, late,
		         late == 1 ? "" : "s");
	else if (actions_date_parse(a->due, &due) == 0 && due == today)
		snprintf(buf, ACTIONS_LABEL_LEN, "due %.10s, today", a->due);
	else
		snprintf(buf, ACTIONS_LABEL_LEN, "due %.10s", a->due);
}

bool actions_in_pack(const Pmif__ActionRecord *a, int32_t period_start)
{
	int32_t closed;

	if (!actions_closed(a->status))
		return true;
	return actions_date_parse(a->closed_on, &closed) == 0 && closed >= period_start;
}

const char *actions_check_dates(int32_t meeting, int32_t due, int32_t today)
{
	if (meeting > today)
		return "the meeting date is after today: record an action once the meeting has "
		       "asked for it";
	if (due < meeting)
		return "the due date is before the meeting that asked for it: give a due date on "
		       "or after the meeting";
	return NULL;
}

const char *actions_check_change(Pmif__ActionStatus from, Pmif__ActionStatus to, const char *note)
{
	if (actions_closed(to) && !actions_closed(from) && (note == NULL || note[0] == '\0'))
		return to == PMIF__ACTION_STATUS__ACTION_DONE
		           ? "closing an action needs a note: say what was done with --note"
		           : "dropping an action needs a note: say why with --note";
	return NULL;
}
