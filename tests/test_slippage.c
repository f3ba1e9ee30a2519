/*
 * test_slippage.c - unit tests for server/slippage.c: the slippage RAG at
 * each edge of the rule (due today, one day overdue, the last Amber day,
 * the first Red day, due soon with and without progress, completed late,
 * completed after the as-of day), the worst milestone deciding, the
 * risk-target words, the day arithmetic, and garbage input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "day.h"
#include "error.h"
#include "slippage.h"

static const struct slip_rule rule = {SLIP_RED_AFTER_DAYS, SLIP_DUE_SOON_DAYS};

static int32_t day(const char *s)
{
	int32_t d = 0;

	assert_int_equal(pmif_day_parse(s, &d), 0);
	return d;
}

static enum slip_rag judge1(const char *due, const char *done, const char *as_of, bool progress)
{
	struct slip_milestone m = {.due = day(due)};
	struct slip_result r;

	if (done) {
		m.has_done = true;
		m.done = day(done);
	}
	assert_int_equal(slip_judge(&m, 1, day(as_of), progress, &rule, &r), 0);
	return r.rag;
}

static void test_days(void **state)
{
	char buf[16];
	int32_t d;

	(void)state;
	assert_int_equal(day("1970-01-01"), 0);
	assert_int_equal(day("2023-03-31") - day("2023-03-01"), 30);
	assert_int_equal(day("2024-03-01") - day("2024-02-28"), 2); /* leap year */
	assert_int_equal(day("2023-03-01") - day("2023-02-28"), 1);
	assert_int_equal(pmif_day_parse("2023-02-29", &d), PMIF_EINVAL);
	assert_int_equal(pmif_day_parse("2100-02-29", &d), PMIF_EINVAL);
	assert_int_equal(pmif_day_parse("2000-02-29", &d), 0);
	pmif_day_format(day("2022-12-31"), buf);
	assert_string_equal(buf, "2022-12-31");
	pmif_day_format(day("2000-02-29"), buf);
	assert_string_equal(buf, "2000-02-29");
	assert_int_equal(pmif_day_of_unix(86400ULL * 19000 + 3600), 19000);
}

static void test_edges(void **state)
{
	(void)state;
	/* due in the future, beyond "soon": green with or without progress */
	assert_int_equal(judge1("2023-06-30", NULL, "2023-03-31", false), SLIP_GREEN);
	/* due within 14 days: amber without progress, green with */
	assert_int_equal(judge1("2023-04-14", NULL, "2023-03-31", false), SLIP_AMBER);
	assert_int_equal(judge1("2023-04-14", NULL, "2023-03-31", true), SLIP_GREEN);
	assert_int_equal(judge1("2023-04-15", NULL, "2023-03-31", false), SLIP_GREEN);
	/* due today is not overdue */
	assert_int_equal(judge1("2023-03-31", NULL, "2023-03-31", true), SLIP_GREEN);
	/* 1 and 30 days overdue: amber; 31: red */
	assert_int_equal(judge1("2023-03-30", NULL, "2023-03-31", true), SLIP_AMBER);
	assert_int_equal(judge1("2023-03-01", NULL, "2023-03-31", true), SLIP_AMBER);
	assert_int_equal(judge1("2023-02-28", NULL, "2023-03-31", true), SLIP_RED);
	/* completed (even late) by the as-of day: complete */
	assert_int_equal(judge1("2023-01-01", "2023-03-01", "2023-03-31", false), SLIP_COMPLETE);
	/* completed after the as-of day: still open then */
	assert_int_equal(judge1("2023-01-01", "2023-04-20", "2023-03-31", true), SLIP_RED);
}

static void test_worst_decides(void **state)
{
	struct slip_milestone ms[3] = {
	    {.due = day("2023-01-10"), .has_done = true, .done = day("2023-01-09")},
	    {.due = day("2023-03-20")},
	    {.due = day("2023-02-01")},
	};
	struct slip_result r;

	(void)state;
	assert_int_equal(slip_judge(ms, 3, day("2023-03-31"), true, &rule, &r), 0);
	assert_int_equal(r.rag, SLIP_RED);
	assert_int_equal(r.decisive, 2);
	assert_int_equal(r.days_late, 58);
	/* without the red one, the amber one decides */
	assert_int_equal(slip_judge(ms, 2, day("2023-03-31"), true, &rule, &r), 0);
	assert_int_equal(r.rag, SLIP_AMBER);
	assert_int_equal(r.decisive, 1);
	assert_int_equal(r.days_late, 11);
	/* only the completed one */
	assert_int_equal(slip_judge(ms, 1, day("2023-03-31"), false, &rule, &r), 0);
	assert_int_equal(r.rag, SLIP_COMPLETE);
	assert_int_equal(r.decisive, -1);
	/* none */
	assert_int_equal(slip_judge(NULL, 0, day("2023-03-31"), false, &rule, &r), 0);
	assert_int_equal(r.rag, SLIP_NONE);
	assert_string_equal(slip_rag_word(r.rag), "none");
}

static void test_words(void **state)
{
	char text[400];

	(void)state;
	assert_string_equal(slip_rag_word(SLIP_RED), "red");
	assert_string_equal(slip_rag_word(SLIP_COMPLETE), "complete");
	assert_string_equal(slip_rag_word((enum slip_rag)42), "none");
	slip_rule_text(&rule, text, sizeof(text));
	assert_non_null(strstr(text, "more than 30 days overdue"));
	assert_non_null(strstr(text, "within 14 days"));
	assert_string_equal(slip_risk_target(12, 0, 3), "no target");
	assert_string_equal(slip_risk_target(0, 2, 3), "not assessed");
	assert_string_equal(slip_risk_target(6, 2, 3), "at target");
	assert_string_equal(slip_risk_target(4, 2, 3), "at target");
	assert_string_equal(slip_risk_target(8, 2, 3), "above target");
}

static void test_garbage(void **state)
{
	static const char *const bad[] = {"",           "2023-1-01",  "2023/01/01",
	                                  "2023-13-01", "2023-00-10", "2023-04-31",
	                                  "1969-12-31", "20a3-01-01", "2023-01-011"};
	struct slip_rule neg = {-1, 14};
	struct slip_result r = {.rag = SLIP_GREEN};
	int32_t d = 77;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(pmif_day_parse(bad[i], &d), PMIF_EINVAL);
	assert_int_equal(pmif_day_parse(NULL, &d), PMIF_EINVAL);
	assert_int_equal(d, 77); /* not written on failure */
	assert_int_equal(slip_judge(NULL, 2, 0, false, &rule, &r), PMIF_EINVAL);
	assert_int_equal(slip_judge(NULL, 0, 0, false, &neg, &r), PMIF_EINVAL);
	assert_int_equal(slip_judge(NULL, 0, 0, false, NULL, &r), PMIF_EINVAL);
	assert_int_equal(r.rag, SLIP_GREEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_days),          cmocka_unit_test(test_edges),
	    cmocka_unit_test(test_worst_decides), cmocka_unit_test(test_words),
	    cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
