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

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
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

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int actions_date_parse(const char *text, int32_t *days)
{
	struct pmif_period p;
	int y, m, d;

	if (text == NULL || strlen(text) != 10 || text[4] != '-' || text[7] != '-')
		return PMIF_EINVAL;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (text[i] < '0' || text[i] > '9'))
			return PMIF_EINVAL;
	y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
	m = (text[5] - '0') * 10 + (text[6] - '0');
	d = (text[8] - '0') * 10 + (text[9] - '0');
	/* period.c knows which days exist and which years are supported */
	if (pmif_period_of_date(y, m, d, PMIF_PERIOD_YEAR, &p) != 0)
		return PMIF_EINVAL;
	*days = days_from_civil(y, m, d);
	return 0;
}

void actions_date_format(int32_t days, char buf[ACTIONS_DATE_LEN])
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(buf, ACTIONS_DATE_LEN, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
	         (unsigned)d % 100u);
}

int32_t actions_day_of(uint64_t t)
{
	return (int32_t)(t / 86400);
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
