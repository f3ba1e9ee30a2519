/*
 * test_actions.c - unit tests for server/actions.c: the statuses as typed
 * and as words, dates (real days only, leap years, the supported years)
 * and their round trip through days, overdue on either side of the due
 * date, the due date in words, what a pack lists (open ones always,
 * closed ones only since the period began), what recording and closing
 * need; and garbage (no date, dates that are not dates, statuses outside
 * the enum).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "actions.h"
#include "day.h"
#include "error.h"

static int32_t day(const char *text)
{
	int32_t d = -1;

	assert_int_equal(actions_date_parse(text, &d), 0);
	return d;
}

static Pmif__ActionRecord action(Pmif__ActionStatus s, const char *due, const char *closed)
{
	Pmif__ActionRecord a = PMIF__ACTION_RECORD__INIT;

	a.id = "A-1";
	a.status = s;
	a.due = (char *)due;
	a.closed_on = (char *)closed;
	return a;
}

static void test_statuses(void **state)
{
	static const struct {
		const char *typed, *word;
		Pmif__ActionStatus s;
	} cases[] = {{"open", "open", PMIF__ACTION_STATUS__ACTION_OPEN},
	             {"in-progress", "in progress", PMIF__ACTION_STATUS__ACTION_IN_PROGRESS},
	             {"in progress", "in progress", PMIF__ACTION_STATUS__ACTION_IN_PROGRESS},
	             {"done", "done", PMIF__ACTION_STATUS__ACTION_DONE},
	             {"dropped", "dropped", PMIF__ACTION_STATUS__ACTION_DROPPED}};
	Pmif__ActionStatus s = PMIF__ACTION_STATUS__ACTION_STATUS_UNSET;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(actions_status_parse(cases[i].typed, &s), 0);
		assert_int_equal(s, cases[i].s);
		assert_string_equal(actions_status_word(s), cases[i].word);
	}
	assert_false(actions_closed(PMIF__ACTION_STATUS__ACTION_OPEN));
	assert_false(actions_closed(PMIF__ACTION_STATUS__ACTION_IN_PROGRESS));
	assert_true(actions_closed(PMIF__ACTION_STATUS__ACTION_DONE));
	assert_true(actions_closed(PMIF__ACTION_STATUS__ACTION_DROPPED));
	/* garbage leaves the status as it was */
	s = PMIF__ACTION_STATUS__ACTION_DONE;
	assert_int_equal(actions_status_parse("closed", &s), PMIF_EINVAL);
	assert_int_equal(actions_status_parse("Done", &s), PMIF_EINVAL);
	assert_int_equal(actions_status_parse("", &s), PMIF_EINVAL);
	assert_int_equal(actions_status_parse(NULL, &s), PMIF_EINVAL);
	assert_int_equal(s, PMIF__ACTION_STATUS__ACTION_DONE);
	assert_string_equal(actions_status_word((Pmif__ActionStatus)99), "unknown");
	assert_string_equal(actions_status_word(PMIF__ACTION_STATUS__ACTION_STATUS_UNSET),
	                    "unknown");
}

static void test_dates(void **state)
{
	static const char *const bad[] = {
	    "",           "2022-9-30",  "2022-09-31",  "2023-02-29",  "2022-13-01",
	    "2022-00-10", "2022/09/30", "22-09-30",    "2022-09-30x", "1989-12-31",
	    "2200-04-01", "abcd-ef-gh", " 2022-09-30", "2022-09-3"};
	char buf[PMIF_DAY_STRLEN];
	int32_t d = 7;

	(void)state;
	assert_int_equal(day("1990-04-01"), 7395);
	assert_int_equal(day("2022-09-30") - day("2022-06-13"), 109);
	assert_int_equal(day("2024-03-01") - day("2024-02-28"), 2); /* leap year */
	assert_int_equal(day("2023-03-01") - day("2023-02-28"), 1);
	assert_int_equal(day("2100-03-01") - day("2100-02-28"), 1); /* not a leap year */
	day("2024-02-29");
	day("2200-03-31");
	for (const char *s = "2021-04-01"; s; s = NULL) {
		pmif_day_format(day(s), buf);
		assert_string_equal(buf, s);
	}
	for (int32_t k = day("1999-12-25"); k < day("2001-03-05"); k += 17) {
		pmif_day_format(k, buf);
		assert_int_equal(day(buf), k);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(actions_date_parse(bad[i], &d), PMIF_EINVAL);
		assert_int_equal(d, 7);
	}
	assert_int_equal(actions_date_parse(NULL, &d), PMIF_EINVAL);
	/* 2022-09-30T23:59:59Z and the next second */
	assert_int_equal(pmif_day_of_unix(1664582399), day("2022-09-30"));
	assert_int_equal(pmif_day_of_unix(1664582400), day("2022-10-01"));
}

static void test_overdue(void **state)
{
	Pmif__ActionRecord open = action(PMIF__ACTION_STATUS__ACTION_OPEN, "2022-09-30", "");
	Pmif__ActionRecord going =
	    action(PMIF__ACTION_STATUS__ACTION_IN_PROGRESS, "2022-09-30", "");
	Pmif__ActionRecord done =
	    action(PMIF__ACTION_STATUS__ACTION_DONE, "2022-09-30", "2022-11-02");
	Pmif__ActionRecord broken = action(PMIF__ACTION_STATUS__ACTION_OPEN, "soon", "");
	char label[ACTIONS_LABEL_LEN];
	uint32_t late = 99;

	(void)state;
	assert_false(actions_overdue(&open, day("2022-09-30"), &late)); /* due today: not yet */
	assert_int_equal(late, 0);
	assert_true(actions_overdue(&open, day("2022-10-01"), &late));
	assert_int_equal(late, 1);
	assert_true(actions_overdue(&going, day("2022-11-14"), &late));
	assert_int_equal(late, 45);
	assert_false(actions_overdue(&done, day("2023-11-14"), &late));
	assert_int_equal(late, 0);
	assert_false(actions_overdue(&broken, day("2030-01-01"), NULL));

	actions_due_label(&open, day("2022-09-01"), label);
	assert_string_equal(label, "due 2022-09-30");
	actions_due_label(&open, day("2022-09-30"), label);
	assert_string_equal(label, "due 2022-09-30, today");
	actions_due_label(&open, day("2022-10-01"), label);
	assert_string_equal(label, "overdue: due 2022-09-30, 1 day ago");
	actions_due_label(&going, day("2022-11-14"), label);
	assert_string_equal(label, "overdue: due 2022-09-30, 45 days ago");
	actions_due_label(&done, day("2023-11-14"), label);
	assert_string_equal(label, "due 2022-09-30; done 2022-11-02");
}

static void test_pack(void **state)
{
	Pmif__ActionRecord open = action(PMIF__ACTION_STATUS__ACTION_OPEN, "2020-01-31", "");
	Pmif__ActionRecord done =
	    action(PMIF__ACTION_STATUS__ACTION_DONE, "2022-09-30", "2022-10-01");
	Pmif__ActionRecord dropped =
	    action(PMIF__ACTION_STATUS__ACTION_DROPPED, "2022-09-30", "2022-09-30");
	Pmif__ActionRecord no_date = action(PMIF__ACTION_STATUS__ACTION_DONE, "2022-09-30", "");
	int32_t q3 = day("2022-10-01");

	(void)state;
	assert_true(actions_in_pack(&open, q3));
	assert_true(actions_in_pack(&open, day("2199-01-01")));
	assert_true(actions_in_pack(&done, q3)); /* closed on the period's first day */
	assert_false(actions_in_pack(&done, day("2022-10-02")));
	assert_false(actions_in_pack(&dropped, q3)); /* closed the day before */
	assert_true(actions_in_pack(&dropped, day("2022-07-01")));
	assert_false(actions_in_pack(&no_date, q3));
}

static void test_checks(void **state)
{
	const Pmif__ActionStatus open = PMIF__ACTION_STATUS__ACTION_OPEN,
	                         going = PMIF__ACTION_STATUS__ACTION_IN_PROGRESS,
	                         done = PMIF__ACTION_STATUS__ACTION_DONE,
	                         dropped = PMIF__ACTION_STATUS__ACTION_DROPPED;
	int32_t m = day("2022-06-13");

	(void)state;
	assert_null(actions_check_dates(m, m, m));
	assert_null(actions_check_dates(m, m + 100, m + 1));
	assert_non_null(strstr(actions_check_dates(m + 1, m + 100, m), "after today"));
	assert_non_null(strstr(actions_check_dates(m, m - 1, m), "before the meeting"));

	assert_null(actions_check_change(open, going, ""));
	assert_null(actions_check_change(going, open, NULL));
	assert_null(actions_check_change(open, done, "sent"));
	assert_null(actions_check_change(going, dropped, "overtaken"));
	assert_null(actions_check_change(done, done, ""));    /* already closed: a note edit */
	assert_null(actions_check_change(done, dropped, "")); /* closed either way */
	assert_null(actions_check_change(done, open, ""));    /* reopened */
	assert_non_null(strstr(actions_check_change(open, done, ""), "say what was done"));
	assert_non_null(strstr(actions_check_change(going, done, NULL), "--note"));
	assert_non_null(strstr(actions_check_change(open, dropped, ""), "say why"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_statuses), cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_overdue),  cmocka_unit_test(test_pack),
	    cmocka_unit_test(test_checks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
