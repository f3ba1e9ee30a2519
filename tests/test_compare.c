/*
 * test_compare.c - unit tests for server/compare.c: rank and quartile
 * among similar councils with ties (and near-ties below the reported
 * precision), both polarities and none, too few comparators, the words
 * and the column label, and garbage input (NaN, unknown polarity, NULL).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "compare.h"
#include "error.h"

static const double sixteen[15] = {50, 60, 70, 80, 90, 55, 65, 75, 85, 95, 52, 62, 72, 82, 92};

static struct compare_result pos(double ours, const double *others, size_t n,
                                 enum analytics_polarity pol, int decimals)
{
	struct compare_result r;

	assert_int_equal(compare_position(ours, others, n, pol, decimals, &r), 0);
	return r;
}

static void test_polarity(void **state)
{
	struct compare_result r;

	(void)state;
	/* 91 is beaten by 92 and 95 only */
	r = pos(91, sixteen, 15, ANALYTICS_POLARITY_HIGHER_BETTER, 0);
	assert_int_equal(r.status, COMPARE_RANKED);
	assert_int_equal(r.rank, 3);
	assert_int_equal(r.of, 16);
	assert_int_equal(r.quartile, 1);
	/* the same figure when lower is better: 13 councils are lower */
	r = pos(91, sixteen, 15, ANALYTICS_POLARITY_LOWER_BETTER, 0);
	assert_int_equal(r.rank, 14);
	assert_int_equal(r.quartile, 4);
	/* the best and the worst of each */
	assert_int_equal(pos(99, sixteen, 15, ANALYTICS_POLARITY_HIGHER_BETTER, 0).rank, 1);
	assert_int_equal(pos(99, sixteen, 15, ANALYTICS_POLARITY_LOWER_BETTER, 0).rank, 16);
	assert_int_equal(pos(1, sixteen, 15, ANALYTICS_POLARITY_LOWER_BETTER, 0).rank, 1);
	/* no polarity: placed by value, highest first, and marked not judged */
	r = pos(91, sixteen, 15, ANALYTICS_POLARITY_NONE, 0);
	assert_int_equal(r.status, COMPARE_NO_POLARITY);
	assert_int_equal(r.rank, 3);
}

static void test_ties(void **state)
{
	const double v[] = {10, 20, 20, 30};
	uint32_t ranks[4];
	struct compare_result r;

	(void)state;
	assert_int_equal(compare_ranks(v, 4, ANALYTICS_POLARITY_HIGHER_BETTER, 0, ranks), 0);
	assert_int_equal(ranks[0], 4);
	assert_int_equal(ranks[1], 2);
	assert_int_equal(ranks[2], 2);
	assert_int_equal(ranks[3], 1);
	assert_int_equal(compare_ranks(v, 4, ANALYTICS_POLARITY_LOWER_BETTER, 0, ranks), 0);
	assert_int_equal(ranks[0], 1);
	assert_int_equal(ranks[1], 2);
	assert_int_equal(ranks[2], 2);
	assert_int_equal(ranks[3], 4);
	/* a tie with a comparator shares the better rank */
	r = pos(20, v, 4, ANALYTICS_POLARITY_HIGHER_BETTER, 0);
	assert_int_equal(r.rank, 2);
	assert_int_equal(r.of, 5);
	/* 20.04 and 20 both read 20.0 to one decimal: a tie; to two, not */
	assert_int_equal(pos(19.96, v, 4, ANALYTICS_POLARITY_HIGHER_BETTER, 1).rank, 2);
	assert_int_equal(pos(19.96, v, 4, ANALYTICS_POLARITY_HIGHER_BETTER, 2).rank, 4);
	/* everyone equal: everyone first */
	{
		const double same[] = {5, 5, 5};
		r = pos(5, same, 3, ANALYTICS_POLARITY_LOWER_BETTER, 0);
		assert_int_equal(r.rank, 1);
		assert_int_equal(r.quartile, 1);
	}
}

static void test_quartiles(void **state)
{
	(void)state;
	assert_int_equal(compare_quartile(1, 16), 1);
	assert_int_equal(compare_quartile(4, 16), 1);
	assert_int_equal(compare_quartile(5, 16), 2);
	assert_int_equal(compare_quartile(8, 16), 2);
	assert_int_equal(compare_quartile(9, 16), 3);
	assert_int_equal(compare_quartile(13, 16), 4);
	assert_int_equal(compare_quartile(16, 16), 4);
	assert_int_equal(compare_quartile(1, 4), 1);
	assert_int_equal(compare_quartile(4, 4), 4);
	assert_int_equal(compare_quartile(3, 5), 3);
	assert_int_equal(compare_quartile(0, 5), 0);
	assert_int_equal(compare_quartile(6, 5), 0);
	assert_int_equal(compare_quartile(1, 0), 0);
}

static void test_too_few(void **state)
{
	const double two[] = {1, 2};
	struct compare_result r;
	char buf[160];

	(void)state;
	r = pos(3, two, 2, ANALYTICS_POLARITY_HIGHER_BETTER, 0);
	assert_int_equal(r.status, COMPARE_TOO_FEW);
	assert_int_equal(r.rank, 0);
	assert_int_equal(r.quartile, 0);
	assert_int_equal(r.of, 3);
	assert_int_equal(compare_label(buf, sizeof(buf), &r, ANALYTICS_POLARITY_HIGHER_BETTER), 0);
	assert_string_equal(
	    buf, "not ranked: only 2 other councils to compare with (at least 3 are needed)");
	assert_int_equal(compare_short_label(buf, sizeof(buf), &r), 0);
	assert_string_equal(buf, "too few");
	r = pos(3, NULL, 0, ANALYTICS_POLARITY_LOWER_BETTER, 0);
	assert_int_equal(r.status, COMPARE_TOO_FEW);
	assert_int_equal(r.of, 1);
	/* exactly the minimum is ranked */
	r = pos(3, sixteen, COMPARE_MIN_OTHERS, ANALYTICS_POLARITY_LOWER_BETTER, 0);
	assert_int_equal(r.status, COMPARE_RANKED);
	assert_int_equal(r.rank, 1);
}

static void test_words(void **state)
{
	struct compare_result r;
	char buf[200], ord[16];

	(void)state;
	assert_string_equal(compare_ordinal(ord, sizeof(ord), 1), "1st");
	assert_string_equal(compare_ordinal(ord, sizeof(ord), 2), "2nd");
	assert_string_equal(compare_ordinal(ord, sizeof(ord), 3), "3rd");
	assert_string_equal(compare_ordinal(ord, sizeof(ord), 4), "4th");
	assert_string_equal(compare_ordinal(ord, sizeof(ord), 11), "11th");
	assert_string_equal(compare_ordinal(ord, sizeof(ord), 12), "12th");
	assert_string_equal(compare_ordinal(ord, sizeof(ord), 13), "13th");
	assert_string_equal(compare_ordinal(ord, sizeof(ord), 21), "21st");
	assert_string_equal(compare_ordinal(ord, sizeof(ord), 112), "112th");
	r = pos(91, sixteen, 15, ANALYTICS_POLARITY_HIGHER_BETTER, 0);
	assert_int_equal(compare_label(buf, sizeof(buf), &r, ANALYTICS_POLARITY_HIGHER_BETTER), 0);
	assert_string_equal(buf, "3rd of 16 similar councils, top quartile (higher is better)");
	assert_int_equal(compare_short_label(buf, sizeof(buf), &r), 0);
	assert_string_equal(buf, "3/16 Q1");
	r = pos(91, sixteen, 15, ANALYTICS_POLARITY_LOWER_BETTER, 0);
	assert_int_equal(compare_label(buf, sizeof(buf), &r, ANALYTICS_POLARITY_LOWER_BETTER), 0);
	assert_string_equal(buf, "14th of 16 similar councils, bottom quartile (lower is better)");
	r = pos(91, sixteen, 15, ANALYTICS_POLARITY_NONE, 0);
	assert_int_equal(compare_label(buf, sizeof(buf), &r, ANALYTICS_POLARITY_NONE), 0);
	assert_string_equal(buf, "3rd highest of 16 similar councils, highest quartile (no better "
	                         "or worse: a context measure)");
	assert_int_equal(compare_short_label(buf, sizeof(buf), &r), 0);
	assert_string_equal(buf, "3/16");
	assert_string_equal(compare_quartile_word(2, ANALYTICS_POLARITY_LOWER_BETTER),
	                    "second quartile");
	assert_string_equal(compare_quartile_word(9, ANALYTICS_POLARITY_LOWER_BETTER), "");
	/* a small buffer truncates, never overflows */
	assert_int_equal(compare_label(buf, 8, &r, ANALYTICS_POLARITY_NONE), 0);
	assert_int_equal(strlen(buf), 7);
}

static void test_garbage(void **state)
{
	const double bad[] = {1, NAN, 3, 4};
	const double inf[] = {1, 2, INFINITY, 4};
	struct compare_result r = {.rank = 77};
	uint32_t ranks[4] = {0};

	(void)state;
	assert_int_equal(
	    compare_position(NAN, sixteen, 15, ANALYTICS_POLARITY_HIGHER_BETTER, 0, &r),
	    PMIF_EINVAL);
	assert_int_equal(compare_position(1, bad, 4, ANALYTICS_POLARITY_HIGHER_BETTER, 0, &r),
	                 PMIF_EINVAL);
	assert_int_equal(compare_position(1, inf, 4, ANALYTICS_POLARITY_LOWER_BETTER, 0, &r),
	                 PMIF_EINVAL);
	/* a bad figure is refused even when too few to rank */
	assert_int_equal(compare_position(1, bad, 2, ANALYTICS_POLARITY_HIGHER_BETTER, 0, &r),
	                 PMIF_EINVAL);
	assert_int_equal(compare_position(1, sixteen, 15, (enum analytics_polarity)9, 0, &r),
	                 PMIF_EINVAL);
	assert_int_equal(compare_position(1, sixteen, 15, ANALYTICS_POLARITY_HIGHER_BETTER, 7, &r),
	                 PMIF_EINVAL);
	assert_int_equal(compare_position(1, sixteen, 15, ANALYTICS_POLARITY_HIGHER_BETTER, -1, &r),
	                 PMIF_EINVAL);
	assert_int_equal(compare_position(1, NULL, 4, ANALYTICS_POLARITY_HIGHER_BETTER, 0, &r),
	                 PMIF_EINVAL);
	assert_int_equal(
	    compare_position(1, sixteen, 15, ANALYTICS_POLARITY_HIGHER_BETTER, 0, NULL),
	    PMIF_EINVAL);
	assert_int_equal(r.rank, 77); /* untouched on failure */
	assert_int_equal(compare_ranks(bad, 4, ANALYTICS_POLARITY_HIGHER_BETTER, 0, ranks),
	                 PMIF_EINVAL);
	assert_int_equal(compare_ranks(NULL, 3, ANALYTICS_POLARITY_HIGHER_BETTER, 0, ranks),
	                 PMIF_EINVAL);
	assert_int_equal(compare_ranks(NULL, 0, ANALYTICS_POLARITY_HIGHER_BETTER, 0, NULL), 0);
	assert_int_equal(compare_label(NULL, 10, &r, ANALYTICS_POLARITY_NONE), PMIF_EINVAL);
	assert_int_equal(compare_short_label((char *)ranks, 0, &r), PMIF_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_polarity),  cmocka_unit_test(test_ties),
	    cmocka_unit_test(test_quartiles), cmocka_unit_test(test_too_few),
	    cmocka_unit_test(test_words),     cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
