/*
 * test_analytics.c - unit tests for server/analytics.c: RAG edges for both
 * polarities, direction of travel, XmR limits and each special-cause rule on
 * a series built to trigger it alone, assurance, Wilson and Byar intervals
 * against published and independently computed figures, locality
 * comparison, and garbage input.
 *
 * Where an expected number is not from a publication it was computed
 * independently of this C code, with python3 from the formulas (and, for
 * exact Poisson limits, by bisection on the Poisson distribution function);
 * each such figure says so.
 */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "analytics.h"
#include "error.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* cmocka's assert_float_equal() works in float; these checks need double. */
#define assert_near(a, b, eps)                                                                     \
	do {                                                                                       \
		double a_ = (a), b_ = (b);                                                         \
		if (!(fabs(a_ - b_) <= (eps)))                                                     \
			fail_msg("%s = %.12g, want %.12g +/- %g", #a, a_, b_, (double)(eps));      \
	} while (0)

/* ------------------------------------------------------------------ RAG */

static enum analytics_rag rag_of(const struct analytics_rag_rule *rule, double value)
{
	enum analytics_rag rag = (enum analytics_rag) - 1;
	assert_int_equal(analytics_rag(rule, value, &rag), 0);
	return rag;
}

static void test_rag_higher_better_edges(void **state)
{
	(void)state;
	struct analytics_rag_rule r = {.polarity = ANALYTICS_POLARITY_HIGHER_BETTER,
	                               .has_target = true,
	                               .target = 85,
	                               .tolerance = 5,
	                               .decimals = 1,
	                               .unit = "%"};
	assert_int_equal(rag_of(&r, 85.0), ANALYTICS_RAG_GREEN);  /* on target */
	assert_int_equal(rag_of(&r, 97.2), ANALYTICS_RAG_GREEN);  /* better */
	assert_int_equal(rag_of(&r, 84.96), ANALYTICS_RAG_GREEN); /* reads 85.0 */
	assert_int_equal(rag_of(&r, 84.9), ANALYTICS_RAG_AMBER);  /* just worse */
	assert_int_equal(rag_of(&r, 80.0), ANALYTICS_RAG_AMBER);  /* at tolerance */
	assert_int_equal(rag_of(&r, 79.9), ANALYTICS_RAG_RED);    /* just beyond */
	assert_int_equal(rag_of(&r, 0), ANALYTICS_RAG_RED);
}

static void test_rag_lower_better_edges(void **state)
{
	(void)state;
	struct analytics_rag_rule r = {.polarity = ANALYTICS_POLARITY_LOWER_BETTER,
	                               .has_target = true,
	                               .target = 9.5,
	                               .tolerance = 0.5,
	                               .decimals = 1,
	                               .unit = "days"};
	assert_int_equal(rag_of(&r, 9.5), ANALYTICS_RAG_GREEN);  /* on target */
	assert_int_equal(rag_of(&r, 7.0), ANALYTICS_RAG_GREEN);  /* better */
	assert_int_equal(rag_of(&r, 9.6), ANALYTICS_RAG_AMBER);  /* just worse */
	assert_int_equal(rag_of(&r, 10.0), ANALYTICS_RAG_AMBER); /* at tolerance */
	assert_int_equal(rag_of(&r, 10.1), ANALYTICS_RAG_RED);   /* just beyond */
}

/* In binary floating point 1.1 - 0.9 is 0.20000000000000007, a hair more
 * than a tolerance of 0.2; a naive comparison would say red. */
static void test_rag_rounding_at_tolerance(void **state)
{
	(void)state;
	struct analytics_rag_rule r = {.polarity = ANALYTICS_POLARITY_HIGHER_BETTER,
	                               .has_target = true,
	                               .target = 1.1,
	                               .tolerance = 0.2,
	                               .decimals = 1};
	assert_true(1.1 - 0.9 > 0.2);
	assert_int_equal(rag_of(&r, 0.9), ANALYTICS_RAG_AMBER);
	assert_int_equal(rag_of(&r, 0.8), ANALYTICS_RAG_RED);
}

static void test_rag_zero_tolerance(void **state)
{
	(void)state;
	struct analytics_rag_rule r = {.polarity = ANALYTICS_POLARITY_HIGHER_BETTER,
	                               .has_target = true,
	                               .target = 12,
	                               .decimals = 0};
	assert_int_equal(rag_of(&r, 12), ANALYTICS_RAG_GREEN);
	assert_int_equal(rag_of(&r, 11.6), ANALYTICS_RAG_GREEN); /* reads 12 */
	assert_int_equal(rag_of(&r, 11), ANALYTICS_RAG_RED);     /* no amber band */
}

static void test_rag_grey(void **state)
{
	(void)state;
	struct analytics_rag_rule none = {.polarity = ANALYTICS_POLARITY_HIGHER_BETTER,
	                                  .has_target = false,
	                                  .target = NAN, /* ignored without a target */
	                                  .decimals = 0};
	assert_int_equal(rag_of(&none, 3), ANALYTICS_RAG_GREY);
	struct analytics_rag_rule context = {.polarity = ANALYTICS_POLARITY_NONE,
	                                     .has_target = true,
	                                     .target = 400,
	                                     .tolerance = 10};
	assert_int_equal(rag_of(&context, 0), ANALYTICS_RAG_GREY);
	assert_int_equal(rag_of(&context, 1e9), ANALYTICS_RAG_GREY);
}

/* No value is NO_DATA whatever the rule: with a target, without one, for a
 * context measure; never GREY, never RED. */
static void test_rag_no_data(void **state)
{
	(void)state;
	struct analytics_rag_rule rules[] = {
	    {.polarity = ANALYTICS_POLARITY_HIGHER_BETTER,
	     .has_target = true,
	     .target = 85,
	     .tolerance = 5,
	     .decimals = 1},
	    {.polarity = ANALYTICS_POLARITY_LOWER_BETTER, .has_target = false, .decimals = 0},
	    {.polarity = ANALYTICS_POLARITY_NONE, .has_target = false, .decimals = 0}};
	enum analytics_rag want_with_value[] = {ANALYTICS_RAG_RED, ANALYTICS_RAG_GREY,
	                                        ANALYTICS_RAG_GREY};
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		enum analytics_rag rag = ANALYTICS_RAG_GREEN;
		assert_int_equal(analytics_rag_period(&rules[i], false, NAN, &rag), 0);
		assert_int_equal(rag, ANALYTICS_RAG_NO_DATA);
		assert_int_equal(analytics_rag_period(&rules[i], true, 10, &rag), 0);
		assert_int_equal(rag, want_with_value[i]);
	}
	/* the rule is checked even with no value; out untouched on error */
	enum analytics_rag rag = ANALYTICS_RAG_AMBER;
	struct analytics_rag_rule bad = rules[0];
	bad.tolerance = -1;
	assert_int_equal(analytics_rag_period(&bad, false, 0, &rag), PMIF_EINVAL);
	assert_int_equal(analytics_rag_period(NULL, false, 0, &rag), PMIF_EINVAL);
	assert_int_equal(analytics_rag_period(&rules[0], false, 0, NULL), PMIF_EINVAL);
	assert_int_equal(analytics_rag_period(&rules[0], true, NAN, &rag), PMIF_EINVAL);
	assert_int_equal(rag, ANALYTICS_RAG_AMBER);
}

static void test_rag_invalid(void **state)
{
	(void)state;
	const struct analytics_rag_rule good = {.polarity = ANALYTICS_POLARITY_LOWER_BETTER,
	                                        .has_target = true,
	                                        .target = 5,
	                                        .tolerance = 1,
	                                        .decimals = 1};
	enum analytics_rag rag = ANALYTICS_RAG_AMBER;
	assert_int_equal(analytics_rag(&good, NAN, &rag), PMIF_EINVAL);
	assert_int_equal(analytics_rag(&good, INFINITY, &rag), PMIF_EINVAL);
	assert_int_equal(analytics_rag(&good, -INFINITY, &rag), PMIF_EINVAL);
	assert_int_equal(analytics_rag(NULL, 1, &rag), PMIF_EINVAL);
	assert_int_equal(analytics_rag(&good, 1, NULL), PMIF_EINVAL);

	struct analytics_rag_rule bad = good;
	bad.target = NAN;
	assert_int_equal(analytics_rag(&bad, 1, &rag), PMIF_EINVAL);
	bad = good;
	bad.tolerance = -0.1;
	assert_int_equal(analytics_rag(&bad, 1, &rag), PMIF_EINVAL);
	bad.tolerance = NAN;
	assert_int_equal(analytics_rag(&bad, 1, &rag), PMIF_EINVAL);
	bad.tolerance = INFINITY;
	assert_int_equal(analytics_rag(&bad, 1, &rag), PMIF_EINVAL);
	bad = good;
	bad.polarity = (enum analytics_polarity)7;
	assert_int_equal(analytics_rag(&bad, 1, &rag), PMIF_EINVAL);
	bad = good;
	bad.decimals = -1;
	assert_int_equal(analytics_rag(&bad, 1, &rag), PMIF_EINVAL);
	bad.decimals = ANALYTICS_MAX_DECIMALS + 1;
	assert_int_equal(analytics_rag(&bad, 1, &rag), PMIF_EINVAL);
	/* Out-parameters are written only on success. */
	assert_int_equal(rag, ANALYTICS_RAG_AMBER);
}

static void expect_rule_text(const struct analytics_rag_rule *r, const char *want)
{
	char buf[ANALYTICS_RULE_TEXT_LEN];
	assert_int_equal(analytics_rag_rule_text(r, buf, sizeof buf), 0);
	assert_string_equal(buf, want);
}

static void test_rag_rule_text(void **state)
{
	(void)state;
	struct analytics_rag_rule r = {.polarity = ANALYTICS_POLARITY_HIGHER_BETTER,
	                               .has_target = true,
	                               .target = 85,
	                               .tolerance = 5,
	                               .decimals = 1,
	                               .unit = "%"};
	expect_rule_text(&r, "target 85%, amber within 5 points below, higher is better");
	r.tolerance = 1;
	expect_rule_text(&r, "target 85%, amber within 1 point below, higher is better");
	r.unit = "percent";
	r.tolerance = 2.5;
	expect_rule_text(&r, "target 85%, amber within 2.5 points below, higher is better");

	struct analytics_rag_rule days = {.polarity = ANALYTICS_POLARITY_LOWER_BETTER,
	                                  .has_target = true,
	                                  .target = 9.5,
	                                  .tolerance = 0.5,
	                                  .decimals = 1,
	                                  .unit = "days"};
	expect_rule_text(&days, "target 9.5 days, amber within 0.5 days above, lower is better");

	struct analytics_rag_rule money = {.polarity = ANALYTICS_POLARITY_LOWER_BETTER,
	                                   .has_target = true,
	                                   .target = 250,
	                                   .tolerance = 25,
	                                   .decimals = 2,
	                                   .unit = "£"};
	expect_rule_text(&money, "target £250, amber within £25 above, lower is better");

	struct analytics_rag_rule rate = {.polarity = ANALYTICS_POLARITY_LOWER_BETTER,
	                                  .has_target = true,
	                                  .target = 4.25,
	                                  .tolerance = 0.3,
	                                  .decimals = 2,
	                                  .unit = "per 1,000"};
	expect_rule_text(
	    &rate, "target 4.25 per 1,000, amber within 0.3 per 1,000 above, lower is better");

	struct analytics_rag_rule count = {.polarity = ANALYTICS_POLARITY_HIGHER_BETTER,
	                                   .has_target = true,
	                                   .target = 12,
	                                   .decimals = 0,
	                                   .unit = "count"};
	expect_rule_text(&count, "target 12, no amber band, higher is better");
	count.has_target = false;
	expect_rule_text(&count, "no target set: shown grey");
	count.has_target = true;
	count.polarity = ANALYTICS_POLARITY_NONE;
	expect_rule_text(&count, "context measure: no polarity, no RAG");

	struct analytics_rag_rule neg = {.polarity = ANALYTICS_POLARITY_HIGHER_BETTER,
	                                 .has_target = true,
	                                 .target = -0.0001,
	                                 .tolerance = 0.25,
	                                 .decimals = 2};
	expect_rule_text(&neg, "target 0, amber within 0.25 below, higher is better");
}

static void test_rag_rule_text_limits(void **state)
{
	(void)state;
	/* The documented size holds numbers below 10^12 at full precision
	 * and a 32-byte unit name. */
	struct analytics_rag_rule r = {.polarity = ANALYTICS_POLARITY_HIGHER_BETTER,
	                               .has_target = true,
	                               .target = -999999999999.123456,
	                               .tolerance = 999999999999.123456,
	                               .decimals = ANALYTICS_MAX_DECIMALS,
	                               .unit = "abcdefghijklmnopqrstuvwxyz012345"};
	char buf[ANALYTICS_RULE_TEXT_LEN];
	assert_int_equal(strlen(r.unit), 32);
	assert_int_equal(analytics_rag_rule_text(&r, buf, sizeof buf), 0);

	char small[16];
	assert_int_equal(analytics_rag_rule_text(&r, small, sizeof small), PMIF_ETOOBIG);
	assert_string_equal(small, "");
	assert_int_equal(analytics_rag_rule_text(&r, buf, 0), PMIF_EINVAL);
	assert_int_equal(analytics_rag_rule_text(&r, NULL, 10), PMIF_EINVAL);
	assert_int_equal(analytics_rag_rule_text(NULL, buf, sizeof buf), PMIF_EINVAL);
	r.tolerance = NAN;
	assert_int_equal(analytics_rag_rule_text(&r, buf, sizeof buf), PMIF_EINVAL);

	/* The largest double still formats (into a big enough buffer). */
	r.tolerance = DBL_MAX;
	char big[1024];
	assert_int_equal(analytics_rag_rule_text(&r, big, sizeof big), 0);
	assert_int_equal(analytics_rag_rule_text(&r, buf, sizeof buf), PMIF_ETOOBIG);
}

static void test_rag_labels(void **state)
{
	(void)state;
	assert_string_equal(analytics_rag_label(ANALYTICS_RAG_GREY), "grey");
	assert_string_equal(analytics_rag_label(ANALYTICS_RAG_RED), "red");
	assert_string_equal(analytics_rag_label(ANALYTICS_RAG_AMBER), "amber");
	assert_string_equal(analytics_rag_label(ANALYTICS_RAG_GREEN), "green");
	assert_string_equal(analytics_rag_label(ANALYTICS_RAG_NO_DATA), "no data");
	assert_string_equal(analytics_rag_label((enum analytics_rag)99), "unknown");
}

/* ---------------------------------------------------- direction of travel */

static enum analytics_direction dir_of(double cur, double cmp, enum analytics_polarity p,
                                       int decimals)
{
	enum analytics_direction d = (enum analytics_direction) - 1;
	assert_int_equal(analytics_direction(cur, true, cmp, p, decimals, &d), 0);
	return d;
}

static void test_direction_polarities(void **state)
{
	(void)state;
	const enum analytics_polarity hi = ANALYTICS_POLARITY_HIGHER_BETTER;
	const enum analytics_polarity lo = ANALYTICS_POLARITY_LOWER_BETTER;
	const enum analytics_polarity no = ANALYTICS_POLARITY_NONE;

	assert_int_equal(dir_of(86, 85, hi, 0), ANALYTICS_DIRECTION_IMPROVING);
	assert_int_equal(dir_of(84, 85, hi, 0), ANALYTICS_DIRECTION_WORSENING);
	assert_int_equal(dir_of(86, 85, lo, 0), ANALYTICS_DIRECTION_WORSENING);
	assert_int_equal(dir_of(84, 85, lo, 0), ANALYTICS_DIRECTION_IMPROVING);
	assert_int_equal(dir_of(86, 85, no, 0), ANALYTICS_DIRECTION_HIGHER);
	assert_int_equal(dir_of(84, 85, no, 0), ANALYTICS_DIRECTION_LOWER);
	assert_int_equal(dir_of(85, 85, no, 0), ANALYTICS_DIRECTION_NO_CHANGE);
}

static void test_direction_equality(void **state)
{
	(void)state;
	const enum analytics_polarity hi = ANALYTICS_POLARITY_HIGHER_BETTER;
	const enum analytics_polarity lo = ANALYTICS_POLARITY_LOWER_BETTER;

	assert_int_equal(dir_of(85, 85, hi, 1), ANALYTICS_DIRECTION_NO_CHANGE);
	assert_int_equal(dir_of(85.04, 85, hi, 1), ANALYTICS_DIRECTION_NO_CHANGE);
	assert_int_equal(dir_of(84.96, 85, lo, 1), ANALYTICS_DIRECTION_NO_CHANGE);
	assert_int_equal(dir_of(85.1, 85, hi, 1), ANALYTICS_DIRECTION_IMPROVING);
	assert_int_equal(dir_of(84.9, 85, lo, 1), ANALYTICS_DIRECTION_IMPROVING);
	/* The same change is real at two decimals. */
	assert_int_equal(dir_of(85.04, 85, hi, 2), ANALYTICS_DIRECTION_IMPROVING);
	/* 0.1 + 0.2 is not 0.3 in binary; at any reported precision it is. */
	assert_int_equal(dir_of(0.1 + 0.2, 0.3, lo, ANALYTICS_MAX_DECIMALS),
	                 ANALYTICS_DIRECTION_NO_CHANGE);
}

static void test_direction_missing_comparator(void **state)
{
	(void)state;
	enum analytics_direction d = ANALYTICS_DIRECTION_IMPROVING;
	assert_int_equal(
	    analytics_direction(7, false, NAN, ANALYTICS_POLARITY_HIGHER_BETTER, 0, &d), 0);
	assert_int_equal(d, ANALYTICS_DIRECTION_NOT_COMPARABLE);
	d = ANALYTICS_DIRECTION_IMPROVING;
	assert_int_equal(analytics_direction(7, false, 0, ANALYTICS_POLARITY_NONE, 0, &d), 0);
	assert_int_equal(d, ANALYTICS_DIRECTION_NOT_COMPARABLE);
}

static void test_direction_invalid(void **state)
{
	(void)state;
	const enum analytics_polarity hi = ANALYTICS_POLARITY_HIGHER_BETTER;
	enum analytics_direction d = ANALYTICS_DIRECTION_HIGHER;
	assert_int_equal(analytics_direction(NAN, true, 1, hi, 0, &d), PMIF_EINVAL);
	assert_int_equal(analytics_direction(NAN, false, 1, hi, 0, &d), PMIF_EINVAL);
	assert_int_equal(analytics_direction(1, true, NAN, hi, 0, &d), PMIF_EINVAL);
	assert_int_equal(analytics_direction(1, true, -INFINITY, hi, 0, &d), PMIF_EINVAL);
	assert_int_equal(analytics_direction(INFINITY, true, 1, hi, 0, &d), PMIF_EINVAL);
	assert_int_equal(analytics_direction(1, true, 1, hi, -1, &d), PMIF_EINVAL);
	assert_int_equal(analytics_direction(1, true, 1, hi, 99, &d), PMIF_EINVAL);
	assert_int_equal(analytics_direction(1, true, 1, (enum analytics_polarity) - 3, 0, &d),
	                 PMIF_EINVAL);
	assert_int_equal(analytics_direction(1, true, 1, hi, 0, NULL), PMIF_EINVAL);
	assert_int_equal(d, ANALYTICS_DIRECTION_HIGHER);
}

static void test_direction_labels(void **state)
{
	(void)state;
	assert_string_equal(analytics_direction_label(ANALYTICS_DIRECTION_NOT_COMPARABLE),
	                    "not comparable");
	assert_string_equal(analytics_direction_label(ANALYTICS_DIRECTION_IMPROVING), "improving");
	assert_string_equal(analytics_direction_label(ANALYTICS_DIRECTION_WORSENING), "worsening");
	assert_string_equal(analytics_direction_label(ANALYTICS_DIRECTION_NO_CHANGE), "no change");
	assert_string_equal(analytics_direction_label(ANALYTICS_DIRECTION_HIGHER), "higher");
	assert_string_equal(analytics_direction_label(ANALYTICS_DIRECTION_LOWER), "lower");
	assert_string_equal(analytics_direction_label((enum analytics_direction)42), "unknown");
}

/* ------------------------------------------ statistical process control */

#define SPC_MAX 32

struct chart {
	struct analytics_spc spc;
	struct analytics_spc_point pts[SPC_MAX];
};

static void chart(struct chart *c, const double *x, size_t n, enum analytics_polarity p,
                  bool has_target, double target)
{
	assert_true(n <= SPC_MAX);
	memset(c, 0, sizeof *c);
	assert_int_equal(analytics_spc(x, n, p, has_target, target, &c->spc, c->pts), 0);
	assert_int_equal(c->spc.n, n);
}

/* Assert that exactly the points @p idx (count @p k) carry @p rule, on the
 * high side if @p high else the low, and that no point carries anything
 * else. */
static void expect_only(const struct chart *c, unsigned rule, bool high, const size_t *idx,
                        size_t k)
{
	for (size_t i = 0; i < c->spc.n; i++) {
		bool want = false;
		for (size_t j = 0; j < k; j++)
			want |= idx[j] == i;
		unsigned h = want && high ? rule : 0, l = want && !high ? rule : 0;
		if (c->pts[i].high != h || c->pts[i].low != l)
			fail_msg("point %zu: high %#x low %#x, want high %#x low %#x", i,
			         c->pts[i].high, c->pts[i].low, h, l);
	}
}

static void expect_none(const struct chart *c)
{
	expect_only(c, 0, true, NULL, 0);
	for (size_t i = 0; i < c->spc.n; i++)
		assert_int_equal(c->pts[i].variation, ANALYTICS_VARIATION_COMMON_CAUSE);
	assert_int_equal(c->spc.variation, ANALYTICS_VARIATION_COMMON_CAUSE);
}

/*
 * Hand-checked limits.  x = 8 10 9 11 10 12 11 9 10 8 10 12 (n = 12)
 *   sum = 120, mean = 120 / 12 = 10
 *   moving ranges |x[i] - x[i-1]| = 2 1 2 1 2 1 2 1 2 2 2, sum 18, over 11
 *   mR-bar = 18 / 11 = 1.636363...
 *   UPL = 10 + 2.66 * 18/11 = 10 + 47.88/11 = 14.352727...
 *   LPL = 10 - 47.88/11 = 5.647272...
 *   two sigma = 10 +/- (2/3)(2.66)(18/11) = 10 +/- 31.92/11
 *             = 12.901818... and 7.098181...
 * No point is beyond either line; the longest run on one side is 2 (10 is
 * on the mean); the longest rise is 8 10 12 (3 points): nothing is flagged.
 */
static const double hand[] = {8, 10, 9, 11, 10, 12, 11, 9, 10, 8, 10, 12};

static void test_spc_hand_checked_limits(void **state)
{
	(void)state;
	struct chart c;
	chart(&c, hand, ARRAY_LEN(hand), ANALYTICS_POLARITY_HIGHER_BETTER, false, 0);
	assert_false(c.spc.insufficient);
	assert_near(c.spc.mean, 10.0, 1e-12);
	assert_near(c.spc.mr_bar, 18.0 / 11.0, 1e-12);
	assert_near(c.spc.upl, 10.0 + 47.88 / 11.0, 1e-12);
	assert_near(c.spc.lpl, 10.0 - 47.88 / 11.0, 1e-12);
	assert_near(c.spc.upper_2sigma, 10.0 + 31.92 / 11.0, 1e-12);
	assert_near(c.spc.lower_2sigma, 10.0 - 31.92 / 11.0, 1e-12);
	assert_near(c.spc.upl, 14.352727, 1e-6);
	assert_near(c.spc.lower_2sigma, 7.098182, 1e-6);
	expect_none(&c);
	assert_int_equal(c.spc.assurance, ANALYTICS_ASSURANCE_NO_TARGET);
}

/* Beyond limits, nothing else.  High: mean 12.75, mR-bar 7.2667, UPL
 * 32.08, so 40 (index 8) is above it; the alternating baseline keeps every
 * run and trend short and no other point nears two sigma (25.64).  Low, the
 * mirror: mean 9.3125, LPL -8.95, so -15 is below it. */
static void test_spc_beyond_limits(void **state)
{
	(void)state;
	static const double high[] = {9, 13, 10, 14, 9, 12, 8, 13, 40, 9, 14, 10, 13, 8, 12, 10};
	static const double low[] = {9, 13, 10, 14, 9, 12, 8, 13, -15, 9, 14, 10, 13, 8, 12, 10};
	static const size_t at[] = {8};
	struct chart c;
	chart(&c, high, ARRAY_LEN(high), ANALYTICS_POLARITY_HIGHER_BETTER, false, 0);
	assert_near(c.spc.upl, 32.079333, 1e-6);
	expect_only(&c, ANALYTICS_SPC_BEYOND_LIMITS, true, at, 1);
	assert_int_equal(c.pts[8].variation, ANALYTICS_VARIATION_IMPROVEMENT);
	assert_int_equal(c.spc.variation, ANALYTICS_VARIATION_COMMON_CAUSE);

	chart(&c, low, ARRAY_LEN(low), ANALYTICS_POLARITY_HIGHER_BETTER, false, 0);
	assert_near(c.spc.lpl, -8.952833, 1e-6);
	expect_only(&c, ANALYTICS_SPC_BEYOND_LIMITS, false, at, 1);
	assert_int_equal(c.pts[8].variation, ANALYTICS_VARIATION_CONCERN);
}

/* Run of 7: mean 10.125; indices 6..12 (12 11 12 11 12 11 12) are all
 * above it and zig-zag, so no trend; two sigma is 12.61, above them all. */
static void test_spc_run_of_seven(void **state)
{
	(void)state;
	static const double x[] = {8, 10, 8, 9, 8, 10, 12, 11, 12, 11, 12, 11, 12, 9, 10, 9};
	static const size_t at[] = {6, 7, 8, 9, 10, 11, 12};
	struct chart c;
	chart(&c, x, ARRAY_LEN(x), ANALYTICS_POLARITY_LOWER_BETTER, false, 0);
	assert_near(c.spc.mean, 10.125, 1e-12);
	expect_only(&c, ANALYTICS_SPC_RUN, true, at, ARRAY_LEN(at));
	assert_int_equal(c.pts[6].variation, ANALYTICS_VARIATION_CONCERN);
}

/* Six rising: 8 9 10 11 12 13 at indices 6..11; they straddle the mean
 * (10.1875) so no run, and 13 alone is beyond two sigma (12.55). */
static void test_spc_six_rising(void **state)
{
	(void)state;
	static const double x[] = {10, 11, 9, 11, 10, 9, 8, 9, 10, 11, 12, 13, 10, 11, 9, 10};
	static const size_t at[] = {6, 7, 8, 9, 10, 11};
	struct chart c;
	chart(&c, x, ARRAY_LEN(x), ANALYTICS_POLARITY_HIGHER_BETTER, false, 0);
	expect_only(&c, ANALYTICS_SPC_TREND, true, at, ARRAY_LEN(at));
	assert_int_equal(c.pts[11].variation, ANALYTICS_VARIATION_IMPROVEMENT);
}

/* Six falling: the mirror, 12 11 10 9 8 7 at indices 6..11 (mean 9.8125). */
static void test_spc_six_falling(void **state)
{
	(void)state;
	static const double x[] = {10, 9, 11, 9, 10, 11, 12, 11, 10, 9, 8, 7, 10, 9, 11, 10};
	static const size_t at[] = {6, 7, 8, 9, 10, 11};
	struct chart c;
	chart(&c, x, ARRAY_LEN(x), ANALYTICS_POLARITY_HIGHER_BETTER, false, 0);
	expect_only(&c, ANALYTICS_SPC_TREND, false, at, ARRAY_LEN(at));
	assert_int_equal(c.pts[6].variation, ANALYTICS_VARIATION_CONCERN);
}

/* Two of three: mean 10.9375, mR-bar 1.6, upper two sigma 13.7748, UPL
 * 15.19.  Indices 10..12 are 14 11 14, all above the mean, and the two 14s
 * are beyond two sigma but inside the limit: they are flagged, the 11
 * between them is not. */
static void test_spc_two_of_three(void **state)
{
	(void)state;
	static const double x[] = {10, 11, 10, 11, 10, 11, 10, 11, 10, 11, 14, 11, 14, 10, 11, 10};
	static const size_t at[] = {10, 12};
	struct chart c;
	chart(&c, x, ARRAY_LEN(x), ANALYTICS_POLARITY_NONE, false, 0);
	assert_near(c.spc.upper_2sigma, 10.9375 + 1.6 * 2.66 * 2 / 3, 1e-12);
	expect_only(&c, ANALYTICS_SPC_TWO_OF_THREE, true, at, ARRAY_LEN(at));
	assert_int_equal(c.pts[10].variation, ANALYTICS_VARIATION_NEUTRAL_HIGH);
}

/* Near misses trigger nothing.  Runs: mean exactly 10; six points above, one
 * on the mean, six above, six below, one on the mean, six below.  Trends:
 * five rising (9 .. 11), an equal pair, two more rising; later five falling
 * (12 .. 10), an equal pair, two more falling. */
static void test_spc_near_misses(void **state)
{
	(void)state;
	static const double runs[] = {11, 12, 11, 12, 11, 12, 10, 12, 11, 12, 11, 12, 11,
	                              9,  8,  9,  8,  9,  8,  10, 8,  9,  8,  9,  8,  9};
	static const double trends[] = {10, 11, 10, 11, 10, 11,   9,  9.5,  10, 10.5, 11,  11, 11.5,
	                                12, 10, 11, 10, 12, 11.5, 11, 10.5, 10, 10,   9.5, 9,  10};
	struct chart c;
	chart(&c, runs, ARRAY_LEN(runs), ANALYTICS_POLARITY_HIGHER_BETTER, false, 0);
	assert_true(c.spc.mean == 10.0);
	expect_none(&c);
	chart(&c, trends, ARRAY_LEN(trends), ANALYTICS_POLARITY_HIGHER_BETTER, false, 0);
	expect_none(&c);
}

/* A mean that is 0.1-ish in binary must still see a point "on" it. */
static void test_spc_on_mean_despite_rounding(void **state)
{
	(void)state;
	/* Mean 0.3 in exact arithmetic; six above and six below it around
	 * one point at 0.3: no run of 7 either side. */
	static const double x[] = {0.4, 0.5, 0.4, 0.5, 0.4, 0.5, 0.3, 0.4, 0.5, 0.4, 0.5, 0.4, 0.5,
	                           0.1, 0.2, 0.1, 0.2, 0.1, 0.2, 0.3, 0.1, 0.2, 0.1, 0.2, 0.1, 0.2};
	struct chart c;
	chart(&c, x, ARRAY_LEN(x), ANALYTICS_POLARITY_HIGHER_BETTER, false, 0);
	for (size_t i = 0; i < ARRAY_LEN(x); i++)
		assert_int_equal(c.pts[i].high & ANALYTICS_SPC_RUN, 0);
	for (size_t i = 0; i < ARRAY_LEN(x); i++)
		assert_int_equal(c.pts[i].low & ANALYTICS_SPC_RUN, 0);
}

static void test_spc_insufficient(void **state)
{
	(void)state;
	struct chart c;
	chart(&c, hand, ANALYTICS_SPC_MIN_POINTS - 1, ANALYTICS_POLARITY_HIGHER_BETTER, true, 9);
	assert_true(c.spc.insufficient);
	assert_int_equal(c.spc.variation, ANALYTICS_VARIATION_NOT_ASSESSED);
	assert_int_equal(c.spc.assurance, ANALYTICS_ASSURANCE_NOT_ASSESSED);
	assert_true(c.spc.mean == 0 && c.spc.upl == 0 && c.spc.lpl == 0);
	for (size_t i = 0; i < ANALYTICS_SPC_MIN_POINTS - 1; i++) {
		assert_int_equal(c.pts[i].high | c.pts[i].low, 0);
		assert_int_equal(c.pts[i].variation, ANALYTICS_VARIATION_NOT_ASSESSED);
	}
	assert_string_equal(analytics_variation_label(c.spc.variation),
	                    "fewer than 12 points: limits not computed");

	struct analytics_spc s;
	assert_int_equal(analytics_spc(NULL, 0, ANALYTICS_POLARITY_NONE, false, 0, &s, NULL), 0);
	assert_true(s.insufficient);
	assert_int_equal(s.n, 0);
	assert_int_equal(s.assurance, ANALYTICS_ASSURANCE_NO_POLARITY);

	chart(&c, hand, ANALYTICS_SPC_MIN_POINTS, ANALYTICS_POLARITY_HIGHER_BETTER, true, 9);
	assert_false(c.spc.insufficient);
}

/* The latest point's variation by polarity.  In "conflict" the last seven
 * points are below the mean (14.18) and rising: a run signalling low and a
 * trend signalling high at once. */
static void test_spc_latest_variation(void **state)
{
	(void)state;
	static const double spike[] = {9, 13, 10, 14, 9, 12, 8, 13, 9, 14, 10, 13, 8, 12, 10, 40};
	static const double conflict[] = {15, 17, 15, 17, 15, 17,   15, 17,  15,
	                                  17, 9,  10, 11, 12, 12.5, 13, 13.5};
	struct chart c;
	chart(&c, spike, ARRAY_LEN(spike), ANALYTICS_POLARITY_HIGHER_BETTER, false, 0);
	assert_int_equal(c.pts[15].high, ANALYTICS_SPC_BEYOND_LIMITS);
	assert_int_equal(c.spc.variation, ANALYTICS_VARIATION_IMPROVEMENT);
	chart(&c, spike, ARRAY_LEN(spike), ANALYTICS_POLARITY_LOWER_BETTER, false, 0);
	assert_int_equal(c.spc.variation, ANALYTICS_VARIATION_CONCERN);
	chart(&c, spike, ARRAY_LEN(spike), ANALYTICS_POLARITY_NONE, false, 0);
	assert_int_equal(c.spc.variation, ANALYTICS_VARIATION_NEUTRAL_HIGH);

	chart(&c, conflict, ARRAY_LEN(conflict), ANALYTICS_POLARITY_HIGHER_BETTER, false, 0);
	assert_int_equal(c.pts[16].high, ANALYTICS_SPC_TREND);
	assert_int_equal(c.pts[16].low, ANALYTICS_SPC_RUN);
	assert_int_equal(c.spc.variation, ANALYTICS_VARIATION_IMPROVEMENT);
	chart(&c, conflict, ARRAY_LEN(conflict), ANALYTICS_POLARITY_LOWER_BETTER, false, 0);
	assert_int_equal(c.spc.variation, ANALYTICS_VARIATION_IMPROVEMENT);
	chart(&c, conflict, ARRAY_LEN(conflict), ANALYTICS_POLARITY_NONE, false, 0);
	assert_int_equal(c.spc.variation, ANALYTICS_VARIATION_NEUTRAL_LOW);
	/* Index 10 (9) is below the LPL (9.11) and index 11 (10) below the
	 * lower two-sigma line (10.80): a point beyond a limit counts towards
	 * two of three. */
	assert_int_equal(c.pts[10].low, ANALYTICS_SPC_BEYOND_LIMITS | ANALYTICS_SPC_RUN |
	                                    ANALYTICS_SPC_TWO_OF_THREE);
	assert_int_equal(c.pts[11].low, ANALYTICS_SPC_RUN | ANALYTICS_SPC_TWO_OF_THREE);
	assert_int_equal(c.pts[10].high, ANALYTICS_SPC_TREND);
	/* The first ten points are a run above the mean too. */
	assert_int_equal(c.pts[0].high, ANALYTICS_SPC_RUN);
	assert_int_equal(c.pts[9].high, ANALYTICS_SPC_RUN);
}

/* Assurance on the hand-checked series: LPL 5.647, UPL 14.353. */
static void test_spc_assurance(void **state)
{
	(void)state;
	const size_t n = ARRAY_LEN(hand);
	const enum analytics_polarity hi = ANALYTICS_POLARITY_HIGHER_BETTER;
	const enum analytics_polarity lo = ANALYTICS_POLARITY_LOWER_BETTER;
	struct chart c;

	chart(&c, hand, n, hi, true, 5);
	assert_int_equal(c.spc.assurance, ANALYTICS_ASSURANCE_CONSISTENT_PASS);
	chart(&c, hand, n, hi, true, 15);
	assert_int_equal(c.spc.assurance, ANALYTICS_ASSURANCE_CONSISTENT_FAIL);
	chart(&c, hand, n, hi, true, 10);
	assert_int_equal(c.spc.assurance, ANALYTICS_ASSURANCE_HIT_AND_MISS);
	chart(&c, hand, n, hi, true, c.spc.upl); /* on a limit: inside */
	assert_int_equal(c.spc.assurance, ANALYTICS_ASSURANCE_HIT_AND_MISS);

	chart(&c, hand, n, lo, true, 15);
	assert_int_equal(c.spc.assurance, ANALYTICS_ASSURANCE_CONSISTENT_PASS);
	chart(&c, hand, n, lo, true, 5);
	assert_int_equal(c.spc.assurance, ANALYTICS_ASSURANCE_CONSISTENT_FAIL);
	chart(&c, hand, n, lo, true, 10);
	assert_int_equal(c.spc.assurance, ANALYTICS_ASSURANCE_HIT_AND_MISS);
	chart(&c, hand, n, lo, true, c.spc.lpl);
	assert_int_equal(c.spc.assurance, ANALYTICS_ASSURANCE_HIT_AND_MISS);

	chart(&c, hand, n, lo, false, 0);
	assert_int_equal(c.spc.assurance, ANALYTICS_ASSURANCE_NO_TARGET);
	chart(&c, hand, n, ANALYTICS_POLARITY_NONE, true, 5);
	assert_int_equal(c.spc.assurance, ANALYTICS_ASSURANCE_NO_POLARITY);

	assert_string_equal(analytics_assurance_label(ANALYTICS_ASSURANCE_HIT_AND_MISS),
	                    "may or may not meet the target (hit and miss)");
	assert_string_equal(analytics_assurance_label(ANALYTICS_ASSURANCE_CONSISTENT_FAIL),
	                    "will consistently fail the target");
	assert_string_equal(analytics_assurance_label((enum analytics_assurance)77), "unknown");
}

/* A flat series: mR-bar 0, every limit on the mean, every point on it. */
static void test_spc_flat(void **state)
{
	(void)state;
	double x[14];
	for (size_t i = 0; i < ARRAY_LEN(x); i++)
		x[i] = 4.2;
	struct chart c;
	chart(&c, x, ARRAY_LEN(x), ANALYTICS_POLARITY_HIGHER_BETTER, true, 4.2);
	assert_true(c.spc.mr_bar == 0);
	expect_none(&c);
	assert_int_equal(c.spc.assurance, ANALYTICS_ASSURANCE_HIT_AND_MISS);
}

static void test_spc_garbage(void **state)
{
	(void)state;
	const enum analytics_polarity hi = ANALYTICS_POLARITY_HIGHER_BETTER;
	double x[16];
	memcpy(x, hand, sizeof hand);
	x[12] = x[13] = x[14] = x[15] = 10;
	struct analytics_spc s = {.n = 12345};
	struct analytics_spc_point p[16];
	memset(p, 0xA5, sizeof p);
	const struct analytics_spc_point before = p[0];

	x[5] = NAN;
	assert_int_equal(analytics_spc(x, 16, hi, false, 0, &s, p), PMIF_EINVAL);
	x[5] = -INFINITY;
	assert_int_equal(analytics_spc(x, 16, hi, false, 0, &s, p), PMIF_EINVAL);
	x[5] = 12;
	assert_int_equal(analytics_spc(x, 16, hi, true, NAN, &s, p), PMIF_EINVAL);
	assert_int_equal(analytics_spc(x, 16, hi, true, INFINITY, &s, p), PMIF_EINVAL);
	assert_int_equal(analytics_spc(NULL, 16, hi, false, 0, &s, p), PMIF_EINVAL);
	assert_int_equal(analytics_spc(x, 16, hi, false, 0, &s, NULL), PMIF_EINVAL);
	assert_int_equal(analytics_spc(x, 16, hi, false, 0, NULL, p), PMIF_EINVAL);
	assert_int_equal(analytics_spc(x, 16, (enum analytics_polarity)3, false, 0, &s, p),
	                 PMIF_EINVAL);
	/* A negative count passed through size_t is huge: refused unread. */
	assert_int_equal(analytics_spc(x, (size_t)-1, hi, false, 0, &s, p), PMIF_ETOOBIG);
	assert_int_equal(analytics_spc(x, ANALYTICS_SPC_MAX_POINTS + 1, hi, false, 0, &s, p),
	                 PMIF_ETOOBIG);
	/* Finite values whose sum or ranges overflow. */
	for (size_t i = 0; i < 16; i++)
		x[i] = i % 2 ? DBL_MAX : -DBL_MAX;
	assert_int_equal(analytics_spc(x, 16, hi, false, 0, &s, p), PMIF_EINVAL);
	for (size_t i = 0; i < 16; i++)
		x[i] = DBL_MAX;
	assert_int_equal(analytics_spc(x, 16, hi, false, 0, &s, p), PMIF_EINVAL);

	/* Nothing was written by any failure. */
	assert_int_equal(s.n, 12345);
	assert_memory_equal(&p[0], &before, sizeof before);
}

/* The largest accepted series works, in linear time: a repeating pattern
 * with no signal except where it is built in. */
static void test_spc_huge(void **state)
{
	(void)state;
	const size_t n = ANALYTICS_SPC_MAX_POINTS;
	double *x = malloc(n * sizeof *x);
	struct analytics_spc_point *p = malloc(n * sizeof *p);
	assert_non_null(x);
	assert_non_null(p);
	static const double pattern[] = {8, 10, 9, 11, 10, 12, 11, 9, 10, 8, 10, 12};
	for (size_t i = 0; i < n; i++)
		x[i] = pattern[i % ARRAY_LEN(pattern)];
	x[n - 1] = 1e6;
	struct analytics_spc s;
	assert_int_equal(analytics_spc(x, n, ANALYTICS_POLARITY_LOWER_BETTER, true, 9, &s, p), 0);
	assert_false(s.insufficient);
	assert_int_equal(p[n - 1].high, ANALYTICS_SPC_BEYOND_LIMITS);
	assert_int_equal(s.variation, ANALYTICS_VARIATION_CONCERN);
	assert_int_equal(p[n / 2].high | p[n / 2].low, 0);
	free(p);
	free(x);
}

static void test_spc_labels(void **state)
{
	(void)state;
	assert_string_equal(analytics_spc_rule_label(ANALYTICS_SPC_BEYOND_LIMITS),
	                    "beyond the process limits");
	assert_string_equal(analytics_spc_rule_label(ANALYTICS_SPC_RUN),
	                    "run of 7 or more on one side of the mean");
	assert_string_equal(analytics_spc_rule_label(ANALYTICS_SPC_TREND),
	                    "6 or more rising or falling");
	assert_string_equal(analytics_spc_rule_label(ANALYTICS_SPC_TWO_OF_THREE),
	                    "2 of 3 beyond two sigma");
	assert_string_equal(analytics_spc_rule_label((enum analytics_spc_rule)3), "unknown");
	assert_string_equal(analytics_variation_label(ANALYTICS_VARIATION_CONCERN),
	                    "special cause variation: concern");
	assert_string_equal(analytics_variation_label(ANALYTICS_VARIATION_NEUTRAL_LOW),
	                    "special cause variation: lower, neither improvement nor concern");
	assert_string_equal(analytics_variation_label((enum analytics_variation) - 1), "unknown");
}

/* --------------------------------------------------- confidence intervals */

/*
 * Wilson score intervals against Newcombe RG, "Two-sided confidence
 * intervals for the single proportion: comparison of seven methods",
 * Statistics in Medicine 1998;17:857-872: the worked examples 81/263,
 * 15/148, 0/20, 1/29 and 29/29, method 3 (score, no continuity correction),
 * published to 4 decimal places.  The 9-place figures were computed
 * independently with python3 from the formula.
 */
static void test_wilson_newcombe(void **state)
{
	(void)state;
	static const struct {
		double x, n, pub_lo, pub_hi, lo, hi;
	} cases[] = {
	    {81, 263, 0.2553, 0.3662, 0.255288519, 0.366209577},
	    {15, 148, 0.0624, 0.1605, 0.062386399, 0.160487242},
	    {0, 20, 0.0000, 0.1611, 0.000000000, 0.161125160},
	    {1, 29, 0.0061, 0.1718, 0.006113214, 0.171755220},
	    {29, 29, 0.8830, 1.0000, 0.883030200, 1.000000000},
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		struct analytics_ci ci;
		assert_int_equal(analytics_wilson(cases[i].x, cases[i].n, &ci), 0);
		assert_near(ci.lower, cases[i].pub_lo, 0.00005);
		assert_near(ci.upper, cases[i].pub_hi, 0.00005);
		assert_near(ci.lower, cases[i].lo, 1e-9);
		assert_near(ci.upper, cases[i].hi, 1e-9);
		assert_true(ci.lower >= 0 && ci.upper <= 1);
	}
}

static void test_wilson_invalid(void **state)
{
	(void)state;
	struct analytics_ci ci = {-1, -1};
	assert_int_equal(analytics_wilson(0, 0, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_wilson(5, 4, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_wilson(-1, 4, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_wilson(1, -4, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_wilson(NAN, 4, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_wilson(1, NAN, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_wilson(1, INFINITY, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_wilson(INFINITY, INFINITY, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_wilson(1e-320, 1e-310, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_wilson(1, 2, NULL), PMIF_EINVAL);
	assert_true(ci.lower == -1 && ci.upper == -1);
}

/*
 * Byar's method.  Formula from the Public Health England "Technical Guide:
 * Confidence intervals" (Public Health Data Science, version 25 May 2018),
 * Appendix 1, after Breslow and Day (1987).  The Byar figures below were
 * computed independently with python3 from that formula (z = 1.959964); the
 * exact figures are exact Poisson limits, computed with python3 by bisection
 * on the Poisson distribution function (lower L: P(X >= O | L) = 0.025;
 * upper U: P(X <= O | U) = 0.025), which reproduce the familiar tabled
 * values (0: 0 to 3.689; 1: 0.0253 to 5.572; 10: 4.795 to 18.39).  The
 * Technical Guide states that for 95% intervals Byar's method is within
 * 0.2% of the exact value for numerators of 10 or more; that is checked
 * too.
 */
static void test_byar(void **state)
{
	(void)state;
	static const struct {
		double o, lo, hi, exact_lo, exact_hi;
	} cases[] = {
	    {0, 0.000000000, 3.668011869, 0.000000000, 3.688879454},
	    {1, 0.013072132, 5.563755626, 0.025317808, 5.571643391},
	    {10, 4.787449884, 18.391458678, 4.795388696, 18.390356042},
	    {65, 50.163187606, 82.849138692, 50.165627729, 82.847835816},
	    {289, 256.636613000, 324.314577944, 256.637637655, 324.313810817},
	    {1045, 982.593201328, 1110.331213506, 982.593709411, 1110.330776612},
	};
	struct analytics_ci ci;
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		assert_int_equal(analytics_byar(cases[i].o, &ci), 0);
		assert_near(ci.lower, cases[i].lo, 1e-8);
		assert_near(ci.upper, cases[i].hi, 1e-8);
		if (cases[i].o >= 10) {
			assert_true(fabs(ci.lower - cases[i].exact_lo) <=
			            0.002 * cases[i].exact_lo);
			assert_true(fabs(ci.upper - cases[i].exact_hi) <=
			            0.002 * cases[i].exact_hi);
		}
	}
	/* The largest count still has a finite interval around it. */
	assert_int_equal(analytics_byar(DBL_MAX, &ci), 0);
	assert_true(isfinite(ci.upper) && ci.lower <= DBL_MAX && ci.lower > 0);
	/* A fractional count below 1 would give a negative lower bound. */
	assert_int_equal(analytics_byar(0.5, &ci), 0);
	assert_true(ci.lower == 0);
	assert_true(ci.upper > 0.5);
}

/* 65 events in a population of 10,000, per 1,000: rate 6.5, interval
 * 1000 * (50.163187606, 82.849138692) / 10000. */
static void test_byar_rate(void **state)
{
	(void)state;
	struct analytics_ci ci;
	assert_int_equal(analytics_byar_rate(65, 10000, 1000, &ci), 0);
	assert_near(ci.lower, 5.0163187606, 1e-9);
	assert_near(ci.upper, 8.2849138692, 1e-9);
	assert_int_equal(analytics_byar_rate(0, 500, 100000, &ci), 0);
	assert_true(ci.lower == 0);
	assert_near(ci.upper, 3.668011869 * 200, 1e-6);
}

static void test_byar_invalid(void **state)
{
	(void)state;
	struct analytics_ci ci = {-1, -1};
	assert_int_equal(analytics_byar(-1, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_byar(NAN, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_byar(INFINITY, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_byar(3, NULL), PMIF_EINVAL);
	assert_int_equal(analytics_byar_rate(3, 0, 1000, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_byar_rate(3, -10, 1000, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_byar_rate(3, NAN, 1000, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_byar_rate(3, 100, 0, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_byar_rate(3, 100, INFINITY, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_byar_rate(3, 1e-300, 1e300, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_byar_rate(-3, 100, 1000, &ci), PMIF_EINVAL);
	assert_int_equal(analytics_byar_rate(3, 100, 1000, NULL), PMIF_EINVAL);
	assert_true(ci.lower == -1 && ci.upper == -1);
}

static enum analytics_comparison cmp_of(struct analytics_ci ci, double bench,
                                        enum analytics_polarity p)
{
	enum analytics_comparison c = (enum analytics_comparison) - 1;
	assert_int_equal(analytics_compare_benchmark(&ci, bench, p, &c), 0);
	return c;
}

static void test_compare_benchmark(void **state)
{
	(void)state;
	const enum analytics_polarity hi = ANALYTICS_POLARITY_HIGHER_BETTER;
	const enum analytics_polarity lo = ANALYTICS_POLARITY_LOWER_BETTER;
	const enum analytics_polarity no = ANALYTICS_POLARITY_NONE;
	const struct analytics_ci ci = {10, 12};

	assert_int_equal(cmp_of(ci, 9, hi), ANALYTICS_COMPARISON_BETTER);
	assert_int_equal(cmp_of(ci, 9, lo), ANALYTICS_COMPARISON_WORSE);
	assert_int_equal(cmp_of(ci, 9, no), ANALYTICS_COMPARISON_HIGHER);
	assert_int_equal(cmp_of(ci, 13, hi), ANALYTICS_COMPARISON_WORSE);
	assert_int_equal(cmp_of(ci, 13, lo), ANALYTICS_COMPARISON_BETTER);
	assert_int_equal(cmp_of(ci, 13, no), ANALYTICS_COMPARISON_LOWER);
	assert_int_equal(cmp_of(ci, 11, hi), ANALYTICS_COMPARISON_SIMILAR);
	assert_int_equal(cmp_of(ci, 11, no), ANALYTICS_COMPARISON_SIMILAR);
	/* An interval touching the benchmark is similar. */
	assert_int_equal(cmp_of(ci, 10, hi), ANALYTICS_COMPARISON_SIMILAR);
	assert_int_equal(cmp_of(ci, 12, lo), ANALYTICS_COMPARISON_SIMILAR);

	/* End to end: a locality with 81 of 263 (30.8%, Wilson 25.53% to
	 * 36.62%) against borough values. */
	struct analytics_ci w;
	assert_int_equal(analytics_wilson(81, 263, &w), 0);
	assert_int_equal(cmp_of(w, 0.20, hi), ANALYTICS_COMPARISON_BETTER);
	assert_int_equal(cmp_of(w, 0.30, hi), ANALYTICS_COMPARISON_SIMILAR);
	assert_int_equal(cmp_of(w, 0.40, hi), ANALYTICS_COMPARISON_WORSE);

	assert_string_equal(analytics_comparison_label(ANALYTICS_COMPARISON_SIMILAR), "similar");
	assert_string_equal(analytics_comparison_label(ANALYTICS_COMPARISON_BETTER),
	                    "significantly better");
	assert_string_equal(analytics_comparison_label(ANALYTICS_COMPARISON_LOWER),
	                    "significantly lower");
	assert_string_equal(analytics_comparison_label((enum analytics_comparison)9), "unknown");
}

static void test_compare_invalid(void **state)
{
	(void)state;
	const enum analytics_polarity hi = ANALYTICS_POLARITY_HIGHER_BETTER;
	enum analytics_comparison c = ANALYTICS_COMPARISON_LOWER;
	struct analytics_ci ci = {12, 10};
	assert_int_equal(analytics_compare_benchmark(&ci, 11, hi, &c), PMIF_EINVAL);
	ci = (struct analytics_ci){NAN, 10};
	assert_int_equal(analytics_compare_benchmark(&ci, 11, hi, &c), PMIF_EINVAL);
	ci = (struct analytics_ci){1, INFINITY};
	assert_int_equal(analytics_compare_benchmark(&ci, 11, hi, &c), PMIF_EINVAL);
	ci = (struct analytics_ci){1, 2};
	assert_int_equal(analytics_compare_benchmark(&ci, NAN, hi, &c), PMIF_EINVAL);
	assert_int_equal(analytics_compare_benchmark(&ci, 1, (enum analytics_polarity)5, &c),
	                 PMIF_EINVAL);
	assert_int_equal(analytics_compare_benchmark(NULL, 1, hi, &c), PMIF_EINVAL);
	assert_int_equal(analytics_compare_benchmark(&ci, 1, hi, NULL), PMIF_EINVAL);
	assert_int_equal(c, ANALYTICS_COMPARISON_LOWER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rag_higher_better_edges),
	    cmocka_unit_test(test_rag_lower_better_edges),
	    cmocka_unit_test(test_rag_rounding_at_tolerance),
	    cmocka_unit_test(test_rag_zero_tolerance),
	    cmocka_unit_test(test_rag_grey),
	    cmocka_unit_test(test_rag_no_data),
	    cmocka_unit_test(test_rag_invalid),
	    cmocka_unit_test(test_rag_rule_text),
	    cmocka_unit_test(test_rag_rule_text_limits),
	    cmocka_unit_test(test_rag_labels),
	    cmocka_unit_test(test_direction_polarities),
	    cmocka_unit_test(test_direction_equality),
	    cmocka_unit_test(test_direction_missing_comparator),
	    cmocka_unit_test(test_direction_invalid),
	    cmocka_unit_test(test_direction_labels),
	    cmocka_unit_test(test_spc_hand_checked_limits),
	    cmocka_unit_test(test_spc_beyond_limits),
	    cmocka_unit_test(test_spc_run_of_seven),
	    cmocka_unit_test(test_spc_six_rising),
	    cmocka_unit_test(test_spc_six_falling),
	    cmocka_unit_test(test_spc_two_of_three),
	    cmocka_unit_test(test_spc_near_misses),
	    cmocka_unit_test(test_spc_on_mean_despite_rounding),
	    cmocka_unit_test(test_spc_insufficient),
	    cmocka_unit_test(test_spc_latest_variation),
	    cmocka_unit_test(test_spc_assurance),
	    cmocka_unit_test(test_spc_flat),
	    cmocka_unit_test(test_spc_garbage),
	    cmocka_unit_test(test_spc_huge),
	    cmocka_unit_test(test_spc_labels),
	    cmocka_unit_test(test_wilson_newcombe),
	    cmocka_unit_test(test_wilson_invalid),
	    cmocka_unit_test(test_byar),
	    cmocka_unit_test(test_byar_rate),
	    cmocka_unit_test(test_byar_invalid),
	    cmocka_unit_test(test_compare_benchmark),
	    cmocka_unit_test(test_compare_invalid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
