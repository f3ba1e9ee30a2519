/*
 * test_import_csv.c - the values CSV splitter: header, quoting, line
 * numbers, field counts, sizes, garbage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"
#include "error.h"
#include "import_csv.h"

#define HDR IMPORT_CSV_HEADER "\n"

static int parse(const char *text, struct arena *a, struct import_csv *out)
{
	return import_csv_parse(text, strlen(text), 1000000, 100, a, out);
}

static void test_simple(void **state)
{
	struct arena a;
	struct import_csv c;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(parse(HDR "FSM-UPTAKE,2022-23-Q1,borough,81.3,813,1000,\n"
	                           "LAC-NUMBER,2022-23-Q1, birtley ,91,,,\"rise, see note\"\n",
	                       &a, &c),
	                 0);
	assert_int_equal(c.n_problems, 0);
	assert_int_equal(c.n_rows, 2);
	assert_int_equal(c.rows[0].line, 2);
	assert_string_equal(c.rows[0].field[IMP_MEASURE], "FSM-UPTAKE");
	assert_string_equal(c.rows[0].field[IMP_DENOMINATOR], "1000");
	assert_string_equal(c.rows[0].field[IMP_NOTE], "");
	assert_int_equal(c.rows[1].line, 3);
	assert_string_equal(c.rows[1].field[IMP_LOCALITY], "birtley");
	assert_string_equal(c.rows[1].field[IMP_NOTE], "rise, see note");
	arena_release(&a);
}

static void test_crlf_bom_multiline(void **state)
{
	struct arena a;
	struct import_csv c;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(parse("\xEF\xBB\xBF" IMPORT_CSV_HEADER "\r\n"
	                       "A,2022-23-Q1,borough,1,,,\"two\r\nlines\"\r\n"
	                       "\r\n"
	                       "B,2022-23-Q1,borough,2,,,\r\n",
	                       &a, &c),
	                 0);
	assert_int_equal(c.n_problems, 0);
	assert_int_equal(c.n_rows, 2);
	assert_int_equal(c.rows[0].line, 2);
	assert_non_null(strstr(c.rows[0].field[IMP_NOTE], "lines"));
	/* the row after a two-line field and a blank line is on line 5 */
	assert_int_equal(c.rows[1].line, 5);
	assert_string_equal(c.rows[1].field[IMP_VALUE], "2");
	arena_release(&a);
}

static void test_bad_header(void **state)
{
	struct arena a;
	struct import_csv c;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(parse("measure,period,value\nA,2022-23-Q1,1\n", &a, &c), 0);
	assert_true(c.n_problems >= 1);
	assert_int_equal(c.problems[0].line, 1);
	assert_non_null(strstr(c.problems[0].message, "header must be exactly"));
	arena_release(&a);
	arena_init(&a, 0);
	assert_int_equal(parse("", &a, &c), 0);
	assert_int_equal(c.n_problems, 1);
	assert_non_null(strstr(c.problems[0].message, "empty"));
	arena_release(&a);
}

static void test_field_counts(void **state)
{
	struct arena a;
	struct import_csv c;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(parse(HDR "A,2022-23-Q1,borough,1,,,\n"
	                           "B,2022-23-Q1,borough,2\n"
	                           "C,2022-23-Q1,borough,3,,,,extra\n"
	                           "D,2022-23-Q1,borough,4,,,\n",
	                       &a, &c),
	                 0);
	assert_int_equal(c.n_rows, 2);
	assert_int_equal(c.n_problems, 2);
	assert_int_equal(c.problems[0].line, 3);
	assert_non_null(strstr(c.problems[0].message, "has 4 fields"));
	assert_int_equal(c.problems[1].line, 4);
	assert_int_equal(c.rows[1].line, 5);
	arena_release(&a);
}

static void test_bad_quotes(void **state)
{
	struct arena a;
	struct import_csv c;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(parse(HDR "A,2022-23-Q1,borough,1,,,\"open\n", &a, &c), 0);
	assert_int_equal(c.n_problems, 1);
	assert_int_equal(c.problems[0].line, 2);
	arena_release(&a);
	arena_init(&a, 0);
	assert_int_equal(parse(HDR "A,2022-23-Q1,borough,1,,,\"x\"y\n", &a, &c), 0);
	assert_int_equal(c.n_problems, 1);
	assert_int_equal(c.problems[0].line, 2);
	arena_release(&a);
}

static void test_many_rows_and_limits(void **state)
{
	size_t cap = 64 + 10000 * 48;
	char *buf = malloc(cap);
	size_t off = (size_t)snprintf(buf, cap, HDR);
	struct arena a;
	struct import_csv c;

	(void)state;
	for (int i = 0; i < 10000; i++)
		off +=
		    (size_t)snprintf(buf + off, cap - off, "M%d,2022-23-Q1,borough,%d,,,\n", i, i);
	arena_init(&a, 0);
	assert_int_equal(import_csv_parse(buf, off, 1000000, 100, &a, &c), 0);
	assert_int_equal(c.n_rows, 10000);
	assert_int_equal(c.rows[9999].line, 10001);
	assert_string_equal(c.rows[5000].field[IMP_MEASURE], "M5000");
	arena_release(&a);
	arena_init(&a, 0);
	assert_int_equal(import_csv_parse(buf, off, 100, 100, &a, &c), PMIF_ETOOBIG);
	arena_release(&a);
	free(buf);
}

static void test_garbage(void **state)
{
	unsigned char buf[4096];
	struct arena a;
	struct import_csv c;

	(void)state;
	srand(7);
	for (int round = 0; round < 200; round++) {
		size_t n = (size_t)(rand() % (int)sizeof(buf));
		for (size_t i = 0; i < n; i++)
			buf[i] = (unsigned char)rand();
		arena_init(&a, 0);
		import_csv_parse((const char *)buf, n, 1000, 10, &a, &c);
		assert_true(c.n_rows == 0 || c.rows != NULL);
		arena_release(&a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple),     cmocka_unit_test(test_crlf_bom_multiline),
	    cmocka_unit_test(test_bad_header), cmocka_unit_test(test_field_counts),
	    cmocka_unit_test(test_bad_quotes), cmocka_unit_test(test_many_rows_and_limits),
	    cmocka_unit_test(test_garbage),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
