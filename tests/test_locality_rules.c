/*
 * test_locality_rules.c - the keying check of localities against the
 * borough, and the words of a locality exception (server/locality_rules.c).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "locality_rules.h"

/* FSM-UPTAKE 2022-23-Q4 as the demo data has it: the parts add up. */
static struct locality_part parts[4] = {
    {"Birtley", true, 85.2, true, 1888, 2215},
    {"Chopwell", true, 84.2, true, 1392, 1653},
    {"Central", true, 85.3, true, 3595, 4216},
    {"Felling", true, 83.6, true, 2494, 2982},
};

static struct locality_sum_input fsm(void)
{
	struct locality_sum_input in = {
	    .measure = "FSM-UPTAKE",
	    .period = "2022-23-Q4",
	    .borough_entered = true,
	    .borough = {"the borough", true, 84.7, true, 9369, 11066},
	    .parts = parts,
	    .n_parts = 4,
	};
	return in;
}

static void test_number_text(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(locality_number_text(b, sizeof(b), 1234, 0, NULL), "1,234");
	assert_string_equal(locality_number_text(b, sizeof(b), 52, 1, "%"), "52.0%");
	assert_string_equal(locality_number_text(b, sizeof(b), 12.5, 1, "per 1,000"),
	                    "12.5 per 1,000");
	assert_string_equal(locality_number_text(b, sizeof(b), 1250, 0, "£"), "£1,250");
	assert_string_equal(locality_number_text(b, sizeof(b), -1250, 0, "£"), "-£1,250");
	assert_string_equal(locality_number_text(b, sizeof(b), -1234.5, 1, ""), "-1,234.5");
	assert_string_equal(locality_number_text(b, sizeof(b), -0.01, 1, NULL), "0.0");
	assert_string_equal(locality_number_text(b, sizeof(b), 1000000, 0, NULL), "1,000,000");
	assert_string_equal(locality_number_text(b, sizeof(b), 999, 0, "days"), "999 days");
	assert_string_equal(locality_number_text(b, sizeof(b), 3.14159, 99, NULL), "3.141590");
	assert_string_equal(locality_number_text(b, 4, 123456, 0, NULL), "123");
}

static void test_number_text_garbage(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(locality_number_text(b, sizeof(b), NAN, 1, "%"), "nan");
	assert_string_equal(locality_number_text(b, sizeof(b), INFINITY, 1, NULL), "inf");
	locality_number_text(b, sizeof(b), 1e300, 2, NULL);
	assert_true(strlen(b) < sizeof(b));
	b[0] = 'x';
	assert_ptr_equal(locality_number_text(b, 0, 5, 0, NULL), b);
	assert_int_equal(b[0], 'x');
}

static void test_short_name(void **state)
{
	char b[64];

	(void)state;
	assert_string_equal(
	    locality_short_name(b, sizeof(b), "Birtley & South (Birtley, Lamesley, Wrekenton)"),
	    "Birtley & South");
	assert_string_equal(locality_short_name(b, sizeof(b), "Felling"), "Felling");
	assert_string_equal(locality_short_name(b, sizeof(b), " (odd)"), " (odd)");
	assert_string_equal(locality_short_name(b, sizeof(b), NULL), "");
	assert_string_equal(locality_short_name(b, 4, "Chopwell"), "Cho");
}

static void test_sum_agrees(void **state)
{
	struct locality_sum_input in = fsm();
	struct locality_sum_result r;

	(void)state;
	assert_int_equal(locality_sum_check(&in, &r), 0);
	assert_int_equal(r.n_warnings, 0);
	in.borough.numerator += LOCALITY_SUM_SLACK / 2; /* rounding, not a keying error */
	assert_int_equal(locality_sum_check(&in, &r), 0);
	assert_int_equal(r.n_warnings, 0);
}

static void test_borough_numerator_off(void **state)
{
	struct locality_sum_input in = fsm();
	struct locality_sum_result r;

	(void)state;
	in.borough.numerator = 9396; /* two digits swapped */
	assert_int_equal(locality_sum_check(&in, &r), 0);
	assert_int_equal(r.n_warnings, 1);
	assert_string_equal(
	    r.warnings[0], "the borough's numerator for FSM-UPTAKE in 2022-23-Q4 is 9,396, but the "
	                   "localities' add up to 9,369 (Birtley 1,888, Chopwell 1,392, Central "
	                   "3,595, Felling 2,494): check the borough and locality numerators were "
	                   "keyed correctly");
	in.borough.denominator = 11093;
	assert_int_equal(locality_sum_check(&in, &r), 0);
	assert_int_equal(r.n_warnings, 2);
	assert_non_null(
	    strstr(r.warnings[1], "denominator for FSM-UPTAKE in 2022-23-Q4 is 11,093"));
	assert_non_null(strstr(r.warnings[1], "add up to 11,066"));
}

static void test_locality_makes_it_disagree(void **state)
{
	struct locality_part p[4];
	struct locality_sum_input in = fsm();
	struct locality_sum_result r;

	(void)state;
	memcpy(p, parts, sizeof(p));
	p[2].denominator = 421.6; /* a decimal point slipped */
	in.parts = p;
	in.borough_entered = false;
	assert_int_equal(locality_sum_check(&in, &r), 0);
	assert_int_equal(r.n_warnings, 1);
	assert_string_equal(
	    r.warnings[0], "with this value the localities' denominators for FSM-UPTAKE in "
	                   "2022-23-Q4 add up to 7,271.60 (Birtley 2,215, Chopwell 1,653, Central "
	                   "421.60, Felling 2,982), but the borough's is 11,066: check the borough "
	                   "and locality denominators were keyed correctly");
}

static void test_sum_incomplete(void **state)
{
	struct locality_part p[4];
	struct locality_sum_input in = fsm();
	struct locality_sum_result r;

	(void)state;
	memcpy(p, parts, sizeof(p));
	in.parts = p;
	in.borough.numerator = 1; /* would disagree, were the parts all there */
	p[3].has_value = false;   /* Felling not entered yet */
	assert_int_equal(locality_sum_check(&in, &r), 0);
	assert_int_equal(r.n_warnings, 0);
	p[3].has_value = true;
	p[3].has_fraction = false; /* Felling's value without its counts */
	assert_int_equal(locality_sum_check(&in, &r), 0);
	assert_int_equal(r.n_warnings, 0);
	p[3].has_fraction = true;
	in.borough.has_fraction = false;
	assert_int_equal(locality_sum_check(&in, &r), 0);
	assert_int_equal(r.n_warnings, 0);
	in.borough.has_value = false;
	assert_int_equal(locality_sum_check(&in, &r), 0);
	assert_int_equal(r.n_warnings, 0);
	in = fsm();
	in.n_parts = 0; /* no strategic localities defined */
	in.parts = NULL;
	in.borough.numerator = 1;
	assert_int_equal(locality_sum_check(&in, &r), 0);
	assert_int_equal(r.n_warnings, 0);
}

static void test_counts(void **state)
{
	struct locality_part p[2] = {{"North", true, 120, false, 0, 0},
	                             {"South", true, 95, false, 0, 0}};
	struct locality_sum_input in = {.measure = "LAC-NUMBER",
	                                .period = "2022-23-Q3",
	                                .count = true,
	                                .borough_entered = true,
	                                .borough = {"the borough", true, 215, false, 0, 0},
	                                .parts = p,
	                                .n_parts = 2};
	struct locality_sum_result r;

	(void)state;
	assert_int_equal(locality_sum_check(&in, &r), 0);
	assert_int_equal(r.n_warnings, 0);
	in.borough.value = 251;
	assert_int_equal(locality_sum_check(&in, &r), 0);
	assert_int_equal(r.n_warnings, 1);
	assert_string_equal(
	    r.warnings[0], "the borough's count for LAC-NUMBER in 2022-23-Q3 is 251, but the "
	                   "localities' add up to 215 (North 120, South 95): check the borough and "
	                   "locality counts were keyed correctly");
	in.count = false; /* a rate's values do not add up: nothing to say */
	assert_int_equal(locality_sum_check(&in, &r), 0);
	assert_int_equal(r.n_warnings, 0);
}

static void test_sum_garbage(void **state)
{
	struct locality_part p[4];
	struct locality_sum_input in = fsm();
	struct locality_sum_result r;

	(void)state;
	r.n_warnings = 7;
	assert_int_equal(locality_sum_check(NULL, &r), PMIF_EINVAL);
	assert_int_equal(r.n_warnings, 0);
	assert_int_equal(locality_sum_check(&in, NULL), PMIF_EINVAL);
	memcpy(p, parts, sizeof(p));
	in.parts = p;
	p[1].numerator = NAN;
	assert_int_equal(locality_sum_check(&in, &r), PMIF_EINVAL);
	assert_int_equal(r.n_warnings, 0);
	p[1].numerator = 1392;
	in.borough.value = INFINITY;
	assert_int_equal(locality_sum_check(&in, &r), PMIF_EINVAL);
	in = fsm();
	in.parts = NULL; /* parts claimed but not given */
	assert_int_equal(locality_sum_check(&in, &r), PMIF_EINVAL);
	/* a name far too long is cut, never overflows */
	{
		static char longname[2000];
		struct locality_part q[1] = {{longname, true, 1, true, 1, 2}};

		memset(longname, 'x', sizeof(longname) - 1);
		in = fsm();
		in.parts = q;
		in.n_parts = 1;
		assert_int_equal(locality_sum_check(&in, &r), 0);
		assert_int_equal(r.n_warnings, 2);
		assert_true(strlen(r.warnings[0]) < LOCALITY_MSG_LEN);
	}
}

static void test_reasons(void **state)
{
	struct locality_exception e = {.locality = "Central",
	                               .unit = "%",
	                               .decimals = 1,
	                               .value = 6.9,
	                               .red = true,
	                               .rag_rule = "target 5%, amber within 0.5 points above, "
	                                           "lower is better",
	                               .worse = true,
	                               .lower = 5.657,
	                               .upper = 8.49,
	                               .method = "Wilson score",
	                               .borough = 5.6};
	char b[LOCALITY_MSG_LEN];

	(void)state;
	assert_int_equal(locality_red_reason(&e, b, sizeof(b)), 0);
	assert_string_equal(
	    b, "red in Central: 6.9% (target 5%, amber within 0.5 points above, lower is better)");
	assert_int_equal(locality_worse_reason(&e, b, sizeof(b)), 0);
	assert_string_equal(b, "significantly worse than the borough in Central: 6.9% (95% "
	                       "interval 5.66% to 8.49%, Wilson score) against the borough's 5.6%");
	e.unit = "per 1,000";
	e.method = NULL;
	e.value = 442.3;
	e.lower = 422.66;
	e.upper = 462.58;
	e.borough = 463;
	assert_int_equal(locality_worse_reason(&e, b, sizeof(b)), 0);
	assert_string_equal(b, "significantly worse than the borough in Central: 442.3 per 1,000 "
	                       "(95% interval 422.66 to 462.58 per 1,000) against the borough's "
	                       "463.0 per 1,000");
	e.rag_rule = NULL;
	assert_int_equal(locality_red_reason(&e, b, sizeof(b)), 0);
	assert_string_equal(b, "red in Central: 442.3 per 1,000");
	e.red = e.worse = false;
	assert_int_equal(locality_red_reason(&e, b, sizeof(b)), PMIF_EINVAL);
	assert_int_equal(locality_worse_reason(&e, b, sizeof(b)), PMIF_EINVAL);
	assert_int_equal(locality_red_reason(NULL, b, sizeof(b)), PMIF_EINVAL);
	assert_int_equal(locality_worse_reason(&e, NULL, 0), PMIF_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_number_text),
	    cmocka_unit_test(test_number_text_garbage),
	    cmocka_unit_test(test_short_name),
	    cmocka_unit_test(test_sum_agrees),
	    cmocka_unit_test(test_borough_numerator_off),
	    cmocka_unit_test(test_locality_makes_it_disagree),
	    cmocka_unit_test(test_sum_incomplete),
	    cmocka_unit_test(test_counts),
	    cmocka_unit_test(test_sum_garbage),
	    cmocka_unit_test(test_reasons),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
