/*
 * test_import_csv.c - the values CSV splitter: header, quoting, line
 * numbers, field counts, sizes, garbage.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <csv.h>

#include "arena.h"
#include "error.h"
#include "import_csv.h"

#define HDR IMPORT_CSV_HEADER "\n"

/* The parser cuts its text up in place: give it a copy that lives in @p a. */
static int parse(const char *text, struct arena *a, struct import_csv *out)
{
	char *copy = arena_strdup(a, text);

	assert_non_null(copy);
	return import_csv_parse(copy, strlen(text), 1000000, 100, a, out);
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

/* Another file's header (the comparator CSV): its own shape, its own
 * words in the messages, and the values header refused for it. */
static void test_other_header(void **state)
{
	static const char hdr[] = "measure,period,comparator,value,kind";
	char text[] = "measure,period,comparator,value,kind\n"
	              "FSM-UPTAKE,2022-23-Q3,\"Neighbour, A\",84.1,council\n"
	              "FSM-UPTAKE,2022-23-Q3,England,81.5\n";
	char values[] = IMPORT_CSV_HEADER "\n";
	char empty[] = "";
	struct arena a;
	struct import_csv c;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(import_csv_parse_as(hdr, 5, text, strlen(text), 100, 100, &a, &c), 0);
	assert_int_equal(c.n_rows, 1);
	assert_string_equal(c.rows[0].field[2], "Neighbour, A");
	assert_string_equal(c.rows[0].field[4], "council");
	assert_null(c.rows[0].field[5]); /* past the shape: not set */
	assert_int_equal(c.n_problems, 1);
	assert_int_equal(c.problems[0].line, 3);
	assert_string_equal(
	    c.problems[0].message,
	    "has 4 fields, but a row needs 5 (measure,period,comparator,value,kind)");
	assert_int_equal(import_csv_parse_as(hdr, 5, values, strlen(values), 100, 100, &a, &c), 0);
	assert_int_equal(c.n_problems, 1);
	assert_non_null(strstr(c.problems[0].message, "the header must be exactly '"
	                                              "measure,period,comparator,value,kind'"));
	assert_int_equal(import_csv_parse_as(hdr, 5, empty, 0, 100, 100, &a, &c), 0);
	assert_non_null(strstr(c.problems[0].message, "the first line must be 'measure,period,"
	                                              "comparator,value,kind'"));
	assert_int_equal(import_csv_parse_as(hdr, 0, text, strlen(text), 100, 100, &a, &c),
	                 PMIF_EINVAL);
	assert_int_equal(
	    import_csv_parse_as(hdr, IMPORT_CSV_FIELDS + 1, text, strlen(text), 100, 100, &a, &c),
	    PMIF_EINVAL);
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
	char *buf = malloc(cap), *copy;
	size_t off = (size_t)snprintf(buf, cap, HDR);
	struct arena a;
	struct import_csv c;

	(void)state;
	for (int i = 0; i < 10000; i++)
		off +=
		    (size_t)snprintf(buf + off, cap - off, "M%d,2022-23-Q1,borough,%d,,,\n", i, i);
	copy = malloc(off);
	assert_non_null(copy);
	memcpy(copy, buf, off);
	arena_init(&a, 0);
	assert_int_equal(import_csv_parse(buf, off, 1000000, 100, &a, &c), 0);
	assert_int_equal(c.n_rows, 10000);
	assert_int_equal(c.rows[9999].line, 10001);
	assert_string_equal(c.rows[5000].field[IMP_MEASURE], "M5000");
	/* plain lines are cut up in place, not copied */
	assert_true(c.rows[5000].field[IMP_MEASURE] >= buf &&
	            c.rows[5000].field[IMP_MEASURE] < buf + off);
	arena_release(&a);
	arena_init(&a, 0);
	assert_int_equal(import_csv_parse(copy, off, 100, 100, &a, &c), PMIF_ETOOBIG);
	arena_release(&a);
	free(copy);
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
		import_csv_parse((char *)buf, n, 1000, 10, &a, &c);
		assert_true(c.n_rows == 0 || c.rows != NULL);
		arena_release(&a);
	}
}

/* The reference: libcsv over the whole text at once, as the parser used
 * to feed it, keeping the records of exactly IMPORT_CSV_FIELDS fields
 * after the first (the header) with the parser's trimming. */
struct ref {
	char fields[64][IMPORT_CSV_FIELDS][64];
	size_t n, nf;
	bool header;
	char cur[IMPORT_CSV_FIELDS][64];
};

static void ref_field(void *data, size_t len, void *priv)
{
	struct ref *r = priv;
	const char *s = data ? data : "";

	if (r->nf < IMPORT_CSV_FIELDS) {
		while (len && (s[0] == ' ' || s[0] == '\t'))
			s++, len--;
		while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
			len--;
		snprintf(r->cur[r->nf], sizeof(r->cur[0]), "%.*s", (int)len, s);
	}
	r->nf++;
}

static void ref_record(int c, void *priv)
{
	struct ref *r = priv;

	(void)c;
	if (r->nf && !r->header)
		r->header = true;
	else if (r->nf == IMPORT_CSV_FIELDS && r->n < 64)
		memcpy(r->fields[r->n++], r->cur, sizeof(r->cur));
	r->nf = 0;
}

/* Lines without quotes are split without libcsv: the rows must be the
 * same as libcsv's for any mix of quotes, CRs, blanks and commas. */
static void test_plain_lines_match_libcsv(void **state)
{
	static const char *const bits[] = {"a",  "bc",      " ",        "\t", "\"",  "\"\"",
	                                   "\r", "\"x,y\"", "\"p\nq\"", "",   "7.5", "\r\n"};
	char text[4096];
	struct ref *r = calloc(1, sizeof(*r));

	(void)state;
	assert_non_null(r);
	srand(11);
	for (int round = 0; round < 3000; round++) {
		size_t len = 0;
		int lines = 1 + rand() % 8, quoted = rand() % 4 == 0;
		struct csv_parser p;
		struct arena a;
		struct import_csv c;
		bool ref_ok;

		len += (size_t)snprintf(text, sizeof(text), "%s\n", IMPORT_CSV_HEADER);
		for (int l = 0; l < lines; l++) {
			int fields = rand() % 5 ? IMPORT_CSV_FIELDS : 1 + rand() % 9;
			for (int f = 0; f < fields; f++) {
				int k = rand() % (quoted ? 12 : 4);
				len += (size_t)snprintf(text + len, sizeof(text) - len, "%s%s",
				                        f ? "," : "", bits[k]);
			}
			len += (size_t)snprintf(text + len, sizeof(text) - len, "%s",
			                        rand() % 3   ? "\n"
			                        : rand() % 2 ? "\r\n"
			                                     : "  \n");
		}
		if (rand() % 4 == 0)
			len--; /* no newline at the end */
		memset(r, 0, sizeof(*r));
		assert_int_equal(csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL), 0);
		ref_ok = csv_parse(&p, text, len, ref_field, ref_record, r) == len &&
		         csv_fini(&p, ref_field, ref_record, r) == 0;
		csv_free(&p);

		arena_init(&a, 0);
		assert_int_equal(import_csv_parse(text, len, 1000, 100, &a, &c), 0);
		if (ref_ok) {
			assert_int_equal(c.n_rows, r->n);
			for (size_t i = 0; i < c.n_rows; i++)
				for (int f = 0; f < IMPORT_CSV_FIELDS; f++)
					assert_string_equal(c.rows[i].field[f], r->fields[i][f]);
		} else {
			assert_true(c.n_problems > 0);
		}
		arena_release(&a);
	}
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_simple),       cmocka_unit_test(test_crlf_bom_multiline),
	    cmocka_unit_test(test_bad_header),   cmocka_unit_test(test_field_counts),
	    cmocka_unit_test(test_bad_quotes),   cmocka_unit_test(test_many_rows_and_limits),
	    cmocka_unit_test(test_garbage),      cmocka_unit_test(test_plain_lines_match_libcsv),
	    cmocka_unit_test(test_other_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
