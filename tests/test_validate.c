/*
 * test_validate.c - every refusal rule of validate_value() and its keying
 * warnings, each with the value just inside and just outside the rule.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "validate.h"

static struct validate_measure percent_measure(void)
{
	struct validate_measure m = {
	    .id = "FSM-UPTAKE",
	    .unit = VALIDATE_PERCENT,
	    .polarity = ANALYTICS_POLARITY_HIGHER_BETTER,
	    .decimals = 1,
	    .has_target = true,
	    .target = 80,
	    .tolerance = 2,
	};
	return m;
}

static int check(const struct validate_measure *m, double v, const char *note,
                 struct validate_result *r)
{
	struct validate_input in = {.value = v, .note = note};
	return validate_value(m, &in, r);
}

static void test_percent_range(void **state)
{
	struct validate_measure m = percent_measure();
	struct validate_result r;

	(void)state;
	assert_int_equal(check(&m, 0, "n", &r), 0);
	assert_int_equal(check(&m, 100, NULL, &r), 0);
	assert_int_equal(check(&m, 100.01, NULL, &r), PMIF_EINVAL);
	assert_non_null(strstr(r.error, "0 to 100"));
	assert_int_equal(check(&m, -0.1, "n", &r), PMIF_EINVAL);
	assert_non_null(strstr(r.error, "value:"));
}

static void test_count_whole(void **state)
{
	struct validate_measure m = percent_measure();
	struct validate_result r;

	(void)state;
	m.unit = VALIDATE_COUNT;
	m.polarity = ANALYTICS_POLARITY_NONE;
	m.has_target = false;
	m.decimals = 0;
	assert_int_equal(check(&m, 391, NULL, &r), 0);
	assert_int_equal(check(&m, 391.5, NULL, &r), PMIF_EINVAL);
	assert_non_null(strstr(r.error, "whole number"));
	assert_int_equal(check(&m, -1, NULL, &r), PMIF_EINVAL);
}

static void test_not_finite(void **state)
{
	struct validate_measure m = percent_measure();
	struct validate_result r;
	struct validate_input in = {.value = 50,
	                            .has_numerator = true,
	                            .numerator = NAN,
	                            .has_denominator = true,
	                            .denominator = 10};

	(void)state;
	assert_int_equal(check(&m, NAN, "n", &r), PMIF_EINVAL);
	assert_int_equal(check(&m, INFINITY, "n", &r), PMIF_EINVAL);
	assert_int_equal(check(&m, -INFINITY, "n", &r), PMIF_EINVAL);
	assert_int_equal(validate_value(&m, &in, &r), PMIF_EINVAL);
	assert_non_null(strstr(r.error, "numerator"));
	in.numerator = 5;
	in.denominator = INFINITY;
	assert_int_equal(validate_value(&m, &in, &r), PMIF_EINVAL);
	assert_non_null(strstr(r.error, "denominator"));
}

static void test_fraction(void **state)
{
	struct validate_measure m = percent_measure();
	struct validate_result r;
	struct validate_input in = {.value = 81.3,
	                            .has_numerator = true,
	                            .numerator = 813,
	                            .has_denominator = true,
	                            .denominator = 1000};

	(void)state;
	assert_int_equal(validate_value(&m, &in, &r), 0);
	/* rounding to one decimal: 2/3 = 66.666.. -> 66.7 accepted, 66.6 not */
	m.target = 50;
	in.numerator = 2;
	in.denominator = 3;
	in.value = 66.7;
	assert_int_equal(validate_value(&m, &in, &r), 0);
	in.value = 66.6;
	assert_int_equal(validate_value(&m, &in, &r), PMIF_EINVAL);
	assert_non_null(strstr(r.error, "does not match"));
	/* numerator above denominator */
	in.numerator = 4;
	in.value = 100;
	assert_int_equal(validate_value(&m, &in, &r), PMIF_EINVAL);
	assert_non_null(strstr(r.error, "more than the denominator"));
	/* one without the other */
	in.has_denominator = false;
	assert_int_equal(validate_value(&m, &in, &r), PMIF_EINVAL);
	assert_non_null(strstr(r.error, "together"));
	/* zero denominator */
	in.has_denominator = true;
	in.denominator = 0;
	assert_int_equal(validate_value(&m, &in, &r), PMIF_EINVAL);
	assert_non_null(strstr(r.error, "above 0"));
	/* rates per 1,000 */
	m.unit = VALIDATE_RATE_PER_1000;
	m.polarity = ANALYTICS_POLARITY_LOWER_BETTER;
	m.target = 10;
	m.decimals = 2;
	in.numerator = 412;
	in.denominator = 201000;
	in.value = 2.05;
	assert_int_equal(validate_value(&m, &in, &r), 0);
	in.value = 2.06;
	assert_int_equal(validate_value(&m, &in, &r), PMIF_EINVAL);
}

static void test_red_needs_note(void **state)
{
	struct validate_measure m = percent_measure();
	struct validate_result r;

	(void)state;
	/* target 80, tolerance 2, higher better: 78 amber, 77.9 red */
	assert_int_equal(check(&m, 78.0, NULL, &r), 0);
	assert_int_equal(r.rag, ANALYTICS_RAG_AMBER);
	assert_int_equal(check(&m, 77.9, NULL, &r), PMIF_EINVAL);
	assert_non_null(strstr(r.error, "note"));
	assert_non_null(strstr(r.error, "red"));
	assert_int_equal(check(&m, 77.9, "   ", &r), PMIF_EINVAL);
	assert_int_equal(check(&m, 77.9, "staff shortage in Q3", &r), 0);
	assert_int_equal(r.rag, ANALYTICS_RAG_RED);
	/* lower is better */
	m.polarity = ANALYTICS_POLARITY_LOWER_BETTER;
	assert_int_equal(check(&m, 82.0, NULL, &r), 0);
	assert_int_equal(check(&m, 82.1, NULL, &r), PMIF_EINVAL);
}

static void test_concern_needs_note(void **state)
{
	/* 20 stable points around 50, then a value far below the LPL */
	double hist[20];
	struct validate_measure m = percent_measure();
	struct validate_result r;

	(void)state;
	for (int i = 0; i < 20; i++)
		hist[i] = 50 + (i % 2 ? 1 : -1);
	m.history = hist;
	m.n_history = 20;
	m.has_target = false;
	assert_int_equal(check(&m, 51, NULL, &r), 0);
	assert_int_equal(r.variation, ANALYTICS_VARIATION_COMMON_CAUSE);
	assert_int_equal(check(&m, 30, NULL, &r), PMIF_EINVAL);
	assert_non_null(strstr(r.error, "special-cause concern"));
	assert_int_equal(check(&m, 30, "school closures", &r), 0);
	assert_int_equal(r.variation, ANALYTICS_VARIATION_CONCERN);
	/* the same jump upwards is improvement: no note needed */
	assert_int_equal(check(&m, 70, NULL, &r), 0);
	assert_int_equal(r.variation, ANALYTICS_VARIATION_IMPROVEMENT);
}

static void test_keying_warnings(void **state)
{
	double hist[20];
	struct validate_measure m = percent_measure();
	struct validate_result r;

	(void)state;
	m.unit = VALIDATE_DAYS;
	m.polarity = ANALYTICS_POLARITY_LOWER_BETTER;
	m.target = 9.5;
	m.tolerance = 0.5;
	/* 95 days against a target of 9.5: a decimal point slipped; red, so noted */
	assert_int_equal(check(&m, 95, "keyed as given", &r), 0);
	assert_int_equal(r.n_warnings, 1);
	assert_non_null(strstr(r.warnings[0], "10 times"));
	/* within range: no warning */
	assert_int_equal(check(&m, 9.6, NULL, &r), 0);
	assert_int_equal(r.n_warnings, 0);
	/* far outside a long history */
	for (int i = 0; i < 20; i++)
		hist[i] = 9 + 0.1 * (i % 3);
	m.history = hist;
	m.n_history = 20;
	assert_int_equal(check(&m, 2.0, NULL, &r), 0);
	assert_int_equal(r.n_warnings, 1);
	assert_non_null(strstr(r.warnings[0], "far outside"));
	/* short history: ten times the largest */
	m.n_history = 3;
	m.has_target = false;
	assert_int_equal(check(&m, 93, NULL, &r), 0);
	assert_int_equal(r.n_warnings, 1);
	assert_int_equal(check(&m, 12, NULL, &r), 0);
	assert_int_equal(r.n_warnings, 0);
}

static void test_units(void **state)
{
	enum validate_unit u;

	(void)state;
	assert_int_equal(validate_unit_parse("rate_per_1000", &u), 0);
	assert_int_equal(u, VALIDATE_RATE_PER_1000);
	assert_string_equal(validate_unit_name(VALIDATE_GBP), "gbp");
	assert_int_equal(validate_unit_parse("percentage", &u), PMIF_EINVAL);
	assert_int_equal(validate_unit_parse(NULL, &u), PMIF_EINVAL);
}

static void test_garbage(void **state)
{
	struct validate_measure m = percent_measure();
	struct validate_result r;
	double hist[3] = {NAN, 1, 2};

	(void)state;
	m.tolerance = NAN;
	assert_int_equal(check(&m, 50, NULL, &r), PMIF_EINVAL);
	m.tolerance = 1;
	m.decimals = 99;
	assert_int_equal(check(&m, 50, NULL, &r), PMIF_EINVAL);
	m.decimals = 1;
	m.history = hist;
	m.n_history = 3;
	/* a damaged history must not crash, nor block the value */
	assert_int_equal(check(&m, 85, NULL, &r), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_percent_range),   cmocka_unit_test(test_count_whole),
	    cmocka_unit_test(test_not_finite),      cmocka_unit_test(test_fraction),
	    cmocka_unit_test(test_red_needs_note),  cmocka_unit_test(test_concern_needs_note),
	    cmocka_unit_test(test_keying_warnings), cmocka_unit_test(test_units),
	    cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
