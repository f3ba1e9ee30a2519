/*
 * test_measures.c - unit tests for server/measures.c: a measure's target
 * for the year of each kind of period, its polarity and period kind for
 * every enum value (and ones outside the enum), the validation rules read
 * off it, and garbage input (a period that is not one, a measure with no
 * targets).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "measures.h"

static struct pmif_period period(const char *text)
{
	struct pmif_period p;

	assert_int_equal(pmif_period_parse(text, &p, NULL, 0), 0);
	return p;
}

static Pmif__Target t2122 = {PROTOBUF_C_MESSAGE_INIT(&pmif__target__descriptor), "2021-22", 80.0};
static Pmif__Target t2223 = {PROTOBUF_C_MESSAGE_INIT(&pmif__target__descriptor), "2022-23", 85.5};
static Pmif__Target *targets[] = {&t2122, &t2223};

static Pmif__Measure measure(void)
{
	Pmif__Measure m = PMIF__MEASURE__INIT;

	m.id = "PI-01";
	m.unit = PMIF__MEASURE__UNIT__PERCENT;
	m.polarity = PMIF__MEASURE__POLARITY__HIGHER;
	m.frequency = PMIF__MEASURE__FREQUENCY__QUARTERLY;
	m.n_targets = 2;
	m.targets = targets;
	m.tolerance = 2.5;
	m.decimals = 1;
	return m;
}

static void test_target(void **state)
{
	Pmif__Measure m = measure();
	struct pmif_period y = period("2022-23"), h = period("2021-22-H2"),
	                   q = period("2022-23-Q4"), none = period("2023-24-Q1");
	double t = -1;

	(void)state;
	assert_true(measures_target(&m, &y, &t));
	assert_true(t == 85.5);
	assert_true(measures_target(&m, &h, &t));
	assert_true(t == 80.0);
	assert_true(measures_target(&m, &q, &t));
	assert_true(t == 85.5);
	t = -1;
	assert_false(measures_target(&m, &none, &t));
	assert_true(t == -1); /* untouched when there is none */
}

static void test_polarity_and_kind(void **state)
{
	Pmif__Measure m = measure();

	(void)state;
	assert_int_equal(measures_polarity(&m), ANALYTICS_POLARITY_HIGHER_BETTER);
	m.polarity = PMIF__MEASURE__POLARITY__LOWER;
	assert_int_equal(measures_polarity(&m), ANALYTICS_POLARITY_LOWER_BETTER);
	m.polarity = PMIF__MEASURE__POLARITY__NONE;
	assert_int_equal(measures_polarity(&m), ANALYTICS_POLARITY_NONE);
	m.polarity = PMIF__MEASURE__POLARITY__POLARITY_UNSET;
	assert_int_equal(measures_polarity(&m), ANALYTICS_POLARITY_NONE);

	assert_int_equal(measures_period_kind(&m), PMIF_PERIOD_QUARTER);
	m.frequency = PMIF__MEASURE__FREQUENCY__SIX_MONTHLY;
	assert_int_equal(measures_period_kind(&m), PMIF_PERIOD_HALF);
	m.frequency = PMIF__MEASURE__FREQUENCY__ANNUAL;
	assert_int_equal(measures_period_kind(&m), PMIF_PERIOD_YEAR);
	m.frequency = PMIF__MEASURE__FREQUENCY__FREQUENCY_UNSET;
	assert_int_equal(measures_period_kind(&m), PMIF_PERIOD_QUARTER);
}

static void test_rules(void **state)
{
	Pmif__Measure m = measure();
	struct pmif_period q = period("2021-22-Q2"), late = period("2030-31-Q1");
	struct validate_measure v;

	(void)state;
	memset(&v, 0xa5, sizeof(v));
	measures_rules(&m, &q, &v);
	assert_string_equal(v.id, "PI-01");
	assert_int_equal(v.unit, VALIDATE_PERCENT);
	assert_int_equal(v.polarity, ANALYTICS_POLARITY_HIGHER_BETTER);
	assert_int_equal(v.decimals, 1);
	assert_true(v.tolerance == 2.5);
	assert_true(v.has_target);
	assert_true(v.target == 80.0);
	assert_null(v.history);
	assert_int_equal(v.n_history, 0);

	m.unit = PMIF__MEASURE__UNIT__DAYS;
	measures_rules(&m, &late, &v);
	assert_int_equal(v.unit, VALIDATE_DAYS);
	assert_false(v.has_target);
	m.unit = PMIF__MEASURE__UNIT__UNIT_UNSET;
	measures_rules(&m, &late, &v);
	assert_int_equal(v.unit, VALIDATE_COUNT);
}

static void test_garbage(void **state)
{
	Pmif__Measure m = measure();
	struct pmif_period bad = {.year = 1, .kind = 99, .index = 7};
	struct validate_measure v;
	double t = -1;

	(void)state;
	assert_false(measures_target(&m, &bad, &t));
	assert_true(t == -1);
	m.n_targets = 0;
	m.targets = NULL;
	m.polarity = (Pmif__Measure__Polarity)42;
	m.frequency = (Pmif__Measure__Frequency)42;
	m.unit = (Pmif__Measure__Unit)42;
	assert_int_equal(measures_polarity(&m), ANALYTICS_POLARITY_NONE);
	assert_int_equal(measures_period_kind(&m), PMIF_PERIOD_QUARTER);
	measures_rules(&m, &bad, &v);
	assert_int_equal(v.unit, VALIDATE_COUNT);
	assert_false(v.has_target);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_target),
	    cmocka_unit_test(test_polarity_and_kind),
	    cmocka_unit_test(test_rules),
	    cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
