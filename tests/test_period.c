/*
 * test_period.c - tests for common/period.c, the financial-year periods.
 *
 * The oracles are independent of the implementation wherever possible: the
 * chronological order within a financial year is written out by hand, date
 * ranges are checked by walking the calendar day by day, and containment
 * and ordering are cross-checked against those date ranges.  Bad input is
 * covered by a table of strings with the reason each must give, and by a
 * seeded random garbage loop that may never crash and may only accept text
 * that formats back to itself.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>

#include <cmocka.h>

#include "error.h"
#include "period.h"

#define FORMS "use YYYY-YY, YYYY-YY-H1/H2 or YYYY-YY-Q1..Q4"

/* The seven periods of one financial year in chronological order. */
static const struct {
	uint8_t kind, index;
} year_order[7] = {
    {PMIF_PERIOD_YEAR, 0},    {PMIF_PERIOD_HALF, 1}, {PMIF_PERIOD_QUARTER, 1},
    {PMIF_PERIOD_QUARTER, 2}, {PMIF_PERIOD_HALF, 2}, {PMIF_PERIOD_QUARTER, 3},
    {PMIF_PERIOD_QUARTER, 4},
};

/* A value no successful call writes, to prove out-params stay untouched. */
static const struct pmif_period sentinel = {0xBEEF, 0xAA, 0xBB};

static struct pmif_period mk(unsigned year, unsigned kind, unsigned index)
{
	struct pmif_period p = {(uint16_t)year, (uint8_t)kind, (uint8_t)index};

	return p;
}

/* Parse @s, failing the test if it is refused. */
static struct pmif_period must_parse(const char *s)
{
	struct pmif_period p = sentinel;
	char msg[PMIF_PERIOD_MSGLEN] = "";

	if (pmif_period_parse(s, &p, msg, sizeof(msg)) != 0)
		fail_msg("'%s' refused: %s", s, msg);
	return p;
}

static void assert_period(const struct pmif_period *p, unsigned year, unsigned kind, unsigned index)
{
	assert_int_equal(p->year, year);
	assert_int_equal(p->kind, kind);
	assert_int_equal(p->index, index);
}

static void assert_untouched(const struct pmif_period *p)
{
	assert_memory_equal(p, &sentinel, sizeof(*p));
}

/* Every valid period from financial year @y0 to @y1, in chronological order. */
static size_t all_periods(unsigned y0, unsigned y1, struct pmif_period *out)
{
	size_t n = 0;

	for (unsigned y = y0; y <= y1; y++)
		for (int i = 0; i < 7; i++)
			out[n++] = mk(y, year_order[i].kind, year_order[i].index);
	return n;
}

#define ALL_YEARS (PMIF_PERIOD_YEAR_MAX - PMIF_PERIOD_YEAR_MIN + 1)

/* Deterministic xorshift so a failure reproduces. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(void)
{
	/* Masked so the shifts drop no bits: clean under -fsanitize=integer too. */
	rng_state ^= (rng_state & (UINT64_MAX >> 13)) << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= (rng_state & (UINT64_MAX >> 17)) << 17;
	return (uint32_t)(rng_state >> 32);
}

/* yyyymmdd, for comparing dates as integers. */
static long ymd(int y, int m, int d)
{
	return (long)y * 10000 + m * 100 + d;
}

static int month_days(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

static void next_day(int *y, int *m, int *d)
{
	if (++*d > month_days(*y, *m)) {
		*d = 1;
		if (++*m > 12) {
			*m = 1;
			++*y;
		}
	}
}

static void period_span(const struct pmif_period *p, long *start, long *end)
{
	int sy, sm, sd, ey, em, ed;

	pmif_period_dates(p, &sy, &sm, &sd, &ey, &em, &ed);
	*start = ymd(sy, sm, sd);
	*end = ymd(ey, em, ed);
}

/* ---- parse and format ---- */

static void test_roundtrip_every_period(void **state)
{
	static struct pmif_period all[ALL_YEARS * 7];
	size_t n = all_periods(PMIF_PERIOD_YEAR_MIN, PMIF_PERIOD_YEAR_MAX, all);
	char buf[PMIF_PERIOD_STRLEN];
	char expect[32];

	(void)state;
	assert_int_equal(n, ALL_YEARS * 7);
	for (size_t i = 0; i < n; i++) {
		const struct pmif_period *p = &all[i];
		struct pmif_period q = sentinel;

		assert_true(pmif_period_valid(p));
		/* Build the expected text independently of pmif_period_format(). */
		snprintf(expect, sizeof(expect), "%04u-%02u", p->year, (p->year + 1u) % 100);
		if (p->kind != PMIF_PERIOD_YEAR)
			snprintf(expect + 7, sizeof(expect) - 7, "-%c%u",
			         p->kind == PMIF_PERIOD_HALF ? 'H' : 'Q', p->index);
		pmif_period_format(p, buf);
		assert_string_equal(buf, expect);
		assert_true(strlen(buf) < PMIF_PERIOD_STRLEN);
		assert_int_equal(pmif_period_parse(buf, &q, NULL, 0), 0);
		assert_memory_equal(&q, p, sizeof(q));

		q = sentinel;
		assert_int_equal(pmif_period_from_key(pmif_period_key(p), &q), 0);
		assert_memory_equal(&q, p, sizeof(q));
	}
}

/* Text and period, checked in both directions. */
static const struct {
	const char *text;
	unsigned year, kind, index;
} good_cases[] = {
    {"2021-22", 2021, PMIF_PERIOD_YEAR, 0},       {"1999-00", 1999, PMIF_PERIOD_YEAR, 0},
    {"2000-01-H2", 2000, PMIF_PERIOD_HALF, 2},    {"2009-10-Q4", 2009, PMIF_PERIOD_QUARTER, 4},
    {"2099-00-Q3", 2099, PMIF_PERIOD_QUARTER, 3}, {"2021-22-H1", 2021, PMIF_PERIOD_HALF, 1},
    {"2021-22-Q1", 2021, PMIF_PERIOD_QUARTER, 1}, {"1990-91", 1990, PMIF_PERIOD_YEAR, 0},
    {"2199-00-Q4", 2199, PMIF_PERIOD_QUARTER, 4},
};

static void test_parse_format_examples(void **state)
{
	char buf[PMIF_PERIOD_STRLEN];
	char msg[32] = "untouched";
	struct pmif_period p;

	(void)state;
	for (size_t i = 0; i < sizeof(good_cases) / sizeof(good_cases[0]); i++) {
		p = must_parse(good_cases[i].text);
		assert_period(&p, good_cases[i].year, good_cases[i].kind, good_cases[i].index);
		p = mk(good_cases[i].year, good_cases[i].kind, good_cases[i].index);
		pmif_period_format(&p, buf);
		assert_string_equal(buf, good_cases[i].text);
	}
	/* The message buffer is left alone on success. */
	assert_int_equal(pmif_period_parse("2021-22-Q2", &p, msg, sizeof(msg)), 0);
	assert_string_equal(msg, "untouched");
}

static void test_format_invalid(void **state)
{
	const struct pmif_period bad[] = {
	    mk(2021, PMIF_PERIOD_QUARTER, 5),
	    mk(2021, PMIF_PERIOD_QUARTER, 0),
	    mk(2021, PMIF_PERIOD_HALF, 3),
	    mk(2021, PMIF_PERIOD_YEAR, 1),
	    mk(2021, 0, 0),
	    mk(2021, 4, 1),
	    mk(PMIF_PERIOD_YEAR_MIN - 1, PMIF_PERIOD_YEAR, 0),
	    mk(PMIF_PERIOD_YEAR_MAX + 1, PMIF_PERIOD_YEAR, 0),
	};
	char buf[PMIF_PERIOD_STRLEN];

	(void)state;
	/* Invalid periods format as "invalid", never as something parseable. */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_false(pmif_period_valid(&bad[i]));
		memset(buf, 'Z', sizeof(buf));
		pmif_period_format(&bad[i], buf);
		assert_string_equal(buf, "invalid");
	}
	pmif_period_format(NULL, buf);
	assert_string_equal(buf, "invalid");
	pmif_period_format(&bad[0], NULL); /* must not crash */
}

struct bad_case {
	const char *input;
	const char *reason; /* must appear in the message */
};

static const struct bad_case bad_cases[] = {
    {"2021-23", "the second year must follow the first (e.g. 2021-22)"},
    {"2021-21", "the second year must follow the first (e.g. 2021-22)"},
    {"1999-01", "the second year must follow the first (e.g. 1999-00)"},
    {"2021-22-Q5", "a quarter must be Q1, Q2, Q3 or Q4"},
    {"2021-22-Q0", "a quarter must be Q1, Q2, Q3 or Q4"},
    {"2021-22-Q11", "a quarter must be Q1, Q2, Q3 or Q4"},
    {"2021-22-Q01", "a quarter must be Q1, Q2, Q3 or Q4"},
    {"2021-22-Q", "a quarter must be Q1, Q2, Q3 or Q4"},
    {"2021-22-Q+1", "a quarter must be Q1, Q2, Q3 or Q4"},
    {"2021-22-H3", "a half must be H1 or H2"},
    {"2021-22-H0", "a half must be H1 or H2"},
    {"2021-22-H", "a half must be H1 or H2"},
    {"2021-22-H12", "a half must be H1 or H2"},
    {"21-22", "the first year must have four digits (e.g. 2021-22)"},
    {"20210-22", "the first year must have four digits"},
    {"+2021-22", "the first year must have four digits"},
    {"abcd-ef", "the first year must have four digits"},
    {"\xef\xbc\x92\xef\xbc\x90\xef\xbc\x92\xef\xbc\x91-22", "the first year must have four digits"},
    {"", "it is empty"},
    {"2021-22-", "the half or quarter is missing after the last '-' (e.g. 2021-22-Q1)"},
    {"2021-22-q1", "the Q must be uppercase (e.g. 2021-22-Q1)"},
    {"2021-22-h2", "the H must be uppercase (e.g. 2021-22-H1)"},
    {" 2021-22", "it must not have spaces before or after it"},
    {"2021-22 ", "it must not have spaces before or after it"},
    {"\t2021-22-Q1", "it must not have spaces before or after it"},
    {"2021-22-Q1\n", "it must not have spaces before or after it"},
    {"2021 -22", "the two years must be joined by '-' (e.g. 2021-22)"},
    {"2021/22", "the two years must be joined by '-' (e.g. 2021-22)"},
    {"2021", "the second year is missing (e.g. 2021-22)"},
    {"2021-2", "the second year must have two digits (e.g. 2021-22)"},
    {"2021-", "the second year must have two digits"},
    {"2021-2022", "the second year must have two digits (e.g. 2021-22)"},
    {"2021-+2", "the second year must have two digits"},
    {"1989-90", "the first year must be from 1990 to 2199"},
    {"2200-01", "the first year must be from 1990 to 2199"},
    {"0000-01", "the first year must be from 1990 to 2199"},
    {"9999-00", "the first year must be from 1990 to 2199"},
    {"2021-22Q1", "a '-' must come before the half or quarter (e.g. 2021-22-Q1)"},
    {"2021-22H1", "a '-' must come before the half or quarter"},
    {"2021-22 Q1", "only -H1, -H2 or -Q1..-Q4 may follow the years"},
    {"2021-22x", "only -H1, -H2 or -Q1..-Q4 may follow the years"},
    {"2021-22/Q1", "only -H1, -H2 or -Q1..-Q4 may follow the years"},
    {"2021-22-X1", "only H1, H2 or Q1..Q4 may follow the years"},
    {"2021-22--Q1", "only H1, H2 or Q1..Q4 may follow the years"},
    {"2021-22-Y", "only H1, H2 or Q1..Q4 may follow the years"},
    {"2021-22-Q1x", "nothing may follow the half or quarter"},
    {"2021-22-Q1-", "nothing may follow the half or quarter"},
    {"2021-22-H2Q1", "nothing may follow the half or quarter"},
};

static void test_bad_strings(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		struct pmif_period p = sentinel;
		char msg[PMIF_PERIOD_MSGLEN];

		memset(msg, 'Z', sizeof(msg));
		if (pmif_period_parse(c->input, &p, msg, sizeof(msg)) != PMIF_EINVAL)
			fail_msg("'%s' was not refused", c->input);
		assert_untouched(&p);
		assert_non_null(memchr(msg, '\0', sizeof(msg)));
		if (!strstr(msg, c->reason))
			fail_msg("'%s': message \"%s\" lacks \"%s\"", c->input, msg, c->reason);
		assert_non_null(strstr(msg, "' is not a period: "));
		assert_non_null(strstr(msg, FORMS));
		assert_int_equal(msg[0], '\'');
		/* One sentence that ends with the forms. */
		assert_string_equal(msg + strlen(msg) - strlen(FORMS), FORMS);
		assert_null(strchr(msg, '\n'));
		/* Without a message buffer the answer is the same. */
		assert_int_equal(pmif_period_parse(c->input, &p, NULL, 0), PMIF_EINVAL);
		assert_int_equal(pmif_period_parse(c->input, &p, msg, 0), PMIF_EINVAL);
		assert_untouched(&p);
	}
}

static void test_bad_message_exact(void **state)
{
	struct pmif_period p = sentinel;
	char msg[PMIF_PERIOD_MSGLEN];

	(void)state;
	assert_int_equal(pmif_period_parse("2021-23", &p, msg, sizeof(msg)), PMIF_EINVAL);
	assert_string_equal(msg, "'2021-23' is not a period: the second year must follow the "
	                         "first (e.g. 2021-22); " FORMS);
	assert_int_equal(pmif_period_parse("2021-22-q1", &p, msg, sizeof(msg)), PMIF_EINVAL);
	assert_string_equal(msg, "'2021-22-q1' is not a period: the Q must be uppercase "
	                         "(e.g. 2021-22-Q1); " FORMS);
	assert_int_equal(pmif_period_parse("", &p, msg, sizeof(msg)), PMIF_EINVAL);
	assert_string_equal(msg, "'' is not a period: it is empty; " FORMS);
	assert_int_equal(pmif_period_parse(NULL, &p, msg, sizeof(msg)), PMIF_EINVAL);
	assert_string_equal(msg, "no period given; " FORMS);
	assert_untouched(&p);
}

static void test_bad_message_sanitised_and_truncated(void **state)
{
	struct pmif_period p = sentinel;
	char msg[PMIF_PERIOD_MSGLEN];
	char small[10];

	(void)state;
	/* Control and high bytes never reach the message. */
	assert_int_equal(pmif_period_parse("20\x1b[2J21-22", &p, msg, sizeof(msg)), PMIF_EINVAL);
	assert_non_null(strstr(msg, "'20?[2J21-22'"));
	assert_int_equal(pmif_period_parse("2021-22-\xff\x01", &p, msg, sizeof(msg)), PMIF_EINVAL);
	assert_non_null(strstr(msg, "'2021-22-?"
	                            "?'"));
	for (const char *m = msg; *m; m++)
		assert_true(*m >= 0x20 && *m < 0x7f);

	/* A small buffer gets a truncated, NUL-terminated prefix. */
	memset(small, 'Z', sizeof(small));
	assert_int_equal(pmif_period_parse("2021-23", &p, small, sizeof(small)), PMIF_EINVAL);
	assert_string_equal(small, "'2021-23'");
	memset(small, 'Z', sizeof(small));
	assert_int_equal(pmif_period_parse("2021-23", &p, small, 1), PMIF_EINVAL);
	assert_int_equal(small[0], '\0');
	assert_int_equal(small[1], 'Z');
	assert_untouched(&p);
}

static void test_very_long_string(void **state)
{
	size_t len = 1u << 20;
	char *s = malloc(len + 1);
	struct pmif_period p = sentinel;
	char msg[PMIF_PERIOD_MSGLEN];

	(void)state;
	assert_non_null(s);
	memset(s, 'x', len);
	s[len] = '\0';
	assert_int_equal(pmif_period_parse(s, &p, msg, sizeof(msg)), PMIF_EINVAL);
	assert_non_null(strstr(msg, "'xxxxxxxxxxxxxxxxxxxxxxxx...' is not a period"));

	/* A valid prefix followed by a lot of anything. */
	memcpy(s, "2021-22-Q1", 10);
	assert_int_equal(pmif_period_parse(s, &p, msg, sizeof(msg)), PMIF_EINVAL);
	assert_non_null(strstr(msg, "nothing may follow the half or quarter"));

	/* All digits; then a valid period padded with trailing spaces. */
	memset(s, '2', len);
	assert_int_equal(pmif_period_parse(s, &p, msg, sizeof(msg)), PMIF_EINVAL);
	assert_non_null(strstr(msg, "four digits"));
	memset(s, ' ', len);
	memcpy(s, "2021-22", 7);
	assert_int_equal(pmif_period_parse(s, &p, msg, sizeof(msg)), PMIF_EINVAL);
	assert_true(strlen(msg) < sizeof(msg) - 1);
	assert_untouched(&p);
	free(s);
}

/*
 * Random bytes, and random edits of valid periods: parse must never crash,
 * must accept only text that formats back to exactly itself, must leave
 * the out-param alone when refusing, and must always explain a refusal in
 * full within PMIF_PERIOD_MSGLEN.
 */
static void check_garbage(const char *s, size_t *accepted)
{
	struct pmif_period p = sentinel;
	char msg[PMIF_PERIOD_MSGLEN];
	char buf[PMIF_PERIOD_STRLEN];
	int rc = pmif_period_parse(s, &p, msg, sizeof(msg));

	if (rc == 0) {
		assert_true(pmif_period_valid(&p));
		pmif_period_format(&p, buf);
		if (strcmp(buf, s) != 0)
			fail_msg("accepted '%s' but it formats as '%s'", s, buf);
		++*accepted;
		return;
	}
	assert_int_equal(rc, PMIF_EINVAL);
	assert_untouched(&p);
	assert_true(strlen(msg) < sizeof(msg) - 1);
	assert_non_null(strstr(msg, FORMS));
	for (const char *m = msg; *m; m++)
		assert_true(*m >= 0x20 && *m < 0x7f);
}

static void test_garbage(void **state)
{
	static const char alphabet[] = "0123456789-HQhq \t/+";
	static const char *templates[] = {"2021-22", "1999-00-H2", "2021-22-Q4", "2199-00-Q1",
	                                  "1990-91-H1"};
	size_t accepted_random = 0, accepted_mutated = 0;
	char s[24];

	(void)state;
	for (int iter = 0; iter < 300000; iter++) {
		size_t len = rnd() % 16;

		for (size_t i = 0; i < len; i++) {
			uint32_t r = rnd();

			/* Mostly plausible characters, sometimes any byte. */
			s[i] = (r & 3) ? alphabet[(r >> 2) % (sizeof(alphabet) - 1)]
			               : (char)(1 + (r >> 2) % 255);
		}
		s[len] = '\0';
		check_garbage(s, &accepted_random);
	}

	for (int iter = 0; iter < 300000; iter++) {
		const char *t = templates[rnd() % (sizeof(templates) / sizeof(templates[0]))];
		size_t len = strlen(t);
		uint32_t pos, r = rnd();

		memcpy(s, t, len + 1);
		switch (r % 4) {
		case 0: /* substitute one byte */ s[rnd() % len] = (char)(1 + rnd() % 255); break;
		case 1: /* substitute one byte with a plausible character */
			s[rnd() % len] = alphabet[rnd() % (sizeof(alphabet) - 1)];
			break;
		case 2: /* delete one byte */
			pos = rnd() % len;
			memmove(s + pos, s + pos + 1, len - pos);
			break;
		case 3: /* insert one byte */
			pos = rnd() % (len + 1);
			memmove(s + pos + 1, s + pos, len - pos + 1);
			s[pos] = alphabet[rnd() % (sizeof(alphabet) - 1)];
			break;
		}
		check_garbage(s, &accepted_mutated);
	}
	/* The loop must have exercised both outcomes. */
	assert_true(accepted_mutated > 1000);
	print_message("garbage: %zu random and %zu mutated strings accepted\n", accepted_random,
	              accepted_mutated);
}

/* Every single-byte substitution of a valid period, exhaustively. */
static void test_every_single_byte_substitution(void **state)
{
	static const char *templates[] = {"2021-22", "2021-22-H1", "2021-22-Q3", "1999-00-Q4"};
	size_t accepted = 0;
	char s[16];

	(void)state;
	for (size_t t = 0; t < sizeof(templates) / sizeof(templates[0]); t++) {
		size_t len = strlen(templates[t]);

		for (size_t pos = 0; pos < len; pos++) {
			for (int b = 1; b < 256; b++) {
				memcpy(s, templates[t], len + 1);
				s[pos] = (char)b;
				check_garbage(s, &accepted);
			}
		}
	}
	assert_true(accepted > 0);
}

/* ---- order and keys ---- */

static void test_order_within_year(void **state)
{
	struct pmif_period all[7 * 3];
	size_t n = all_periods(2020, 2022, all);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			int c = pmif_period_compare(&all[i], &all[j]);
			int expect = (i > j) - (i < j);

			if ((c > 0) - (c < 0) != expect) {
				char a[PMIF_PERIOD_STRLEN], b[PMIF_PERIOD_STRLEN];

				pmif_period_format(&all[i], a);
				pmif_period_format(&all[j], b);
				fail_msg("compare(%s, %s) = %d", a, b, c);
			}
			assert_int_equal(pmif_period_key(&all[i]) < pmif_period_key(&all[j]),
			                 i < j);
		}
	}
}

static void test_order_examples(void **state)
{
	struct pmif_period a, b;

	(void)state;
	/* Across the year boundary. */
	a = must_parse("2020-21-Q4");
	b = must_parse("2021-22-Q1");
	assert_true(pmif_period_compare(&a, &b) < 0);
	assert_true(pmif_period_compare(&b, &a) > 0);
	b = must_parse("2021-22");
	assert_true(pmif_period_compare(&a, &b) < 0);
	a = must_parse("2020-21");
	b = must_parse("2020-21-Q4");
	assert_true(pmif_period_compare(&a, &b) < 0);
	a = must_parse("1999-00-Q4");
	b = must_parse("2000-01");
	assert_true(pmif_period_compare(&a, &b) < 0);
	/* Same start: the longer first. */
	a = must_parse("2021-22-H2");
	b = must_parse("2021-22-Q3");
	assert_true(pmif_period_compare(&a, &b) < 0);
	b = must_parse("2021-22-Q2");
	assert_true(pmif_period_compare(&a, &b) > 0);
	assert_int_equal(pmif_period_compare(&a, &a), 0);
	b = a;
	assert_int_equal(pmif_period_compare(&a, &b), 0);
	/* Invalid and NULL sort first and equal each other. */
	b = mk(2021, PMIF_PERIOD_QUARTER, 9);
	assert_true(pmif_period_compare(&b, &a) < 0);
	assert_true(pmif_period_compare(&a, NULL) > 0);
	assert_int_equal(pmif_period_compare(NULL, &b), 0);
}

static int cmp_periods(const void *a, const void *b)
{
	return pmif_period_compare(a, b);
}

/* Compare big-endian key bytes, as LMDB's default comparator would. */
static int cmp_be_keys(const void *a, const void *b)
{
	uint32_t ka = pmif_period_key(a), kb = pmif_period_key(b);
	unsigned char ba[4] = {ka >> 24, ka >> 16 & 0xff, ka >> 8 & 0xff, ka & 0xff};
	unsigned char bb[4] = {kb >> 24, kb >> 16 & 0xff, kb >> 8 & 0xff, kb & 0xff};

	return memcmp(ba, bb, 4);
}

static void shuffle(struct pmif_period *a, size_t n)
{
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rnd() % (i + 1);
		struct pmif_period t = a[i];

		a[i] = a[j];
		a[j] = t;
	}
}

static void test_key_sort_equals_compare(void **state)
{
	static struct pmif_period expect[ALL_YEARS * 7], work[ALL_YEARS * 7];
	size_t n = all_periods(PMIF_PERIOD_YEAR_MIN, PMIF_PERIOD_YEAR_MAX, expect);

	(void)state;
	for (int round = 0; round < 3; round++) {
		memcpy(work, expect, n * sizeof(work[0]));
		shuffle(work, n);
		qsort(work, n, sizeof(work[0]), cmp_periods);
		assert_memory_equal(work, expect, n * sizeof(work[0]));

		shuffle(work, n);
		qsort(work, n, sizeof(work[0]), cmp_be_keys);
		assert_memory_equal(work, expect, n * sizeof(work[0]));
	}
	for (size_t i = 1; i < n; i++)
		assert_true(pmif_period_key(&expect[i - 1]) < pmif_period_key(&expect[i]));
}

static void test_key_values(void **state)
{
	struct pmif_period p = sentinel, bad;

	(void)state;
	p = must_parse("2021-22-Q3");
	assert_int_equal(pmif_period_key(&p), 0x07E50203u);
	p = must_parse("2021-22");
	assert_int_equal(pmif_period_key(&p), 0x07E50001u);
	p = must_parse("2021-22-H2");
	assert_int_equal(pmif_period_key(&p), 0x07E50202u);

	bad = mk(2021, PMIF_PERIOD_QUARTER, 0);
	assert_int_equal(pmif_period_key(&bad), 0);
	assert_int_equal(pmif_period_key(NULL), 0);

	/* Keys no valid period produces are refused. */
	p = sentinel;
	assert_int_equal(pmif_period_from_key(0, &p), PMIF_EINVAL);
	assert_int_equal(pmif_period_from_key(0xFFFFFFFFu, &p), PMIF_EINVAL);
	assert_int_equal(pmif_period_from_key(0x07E50000u, &p), PMIF_EINVAL); /* kind 0 */
	assert_int_equal(pmif_period_from_key(0x07E50004u, &p), PMIF_EINVAL); /* kind 4 */
	assert_int_equal(pmif_period_from_key(0x07E50101u, &p), PMIF_EINVAL); /* year at Q2 */
	assert_int_equal(pmif_period_from_key(0x07E50102u, &p), PMIF_EINVAL); /* half at Q2 */
	assert_int_equal(pmif_period_from_key(0x07E50403u, &p), PMIF_EINVAL); /* quarter 5 */
	assert_int_equal(pmif_period_from_key(0x07E51003u, &p), PMIF_EINVAL);
	assert_int_equal(pmif_period_from_key((uint32_t)(PMIF_PERIOD_YEAR_MIN - 1) << 16 | 1, &p),
	                 PMIF_EINVAL);
	assert_int_equal(pmif_period_from_key((uint32_t)(PMIF_PERIOD_YEAR_MAX + 1) << 16 | 1, &p),
	                 PMIF_EINVAL);
	assert_untouched(&p);
	assert_int_equal(pmif_period_from_key(0x07E50203u, NULL), PMIF_EINVAL);

	/* Exhaustive over the low 16 bits of one year: exactly 7 keys decode. */
	size_t ok = 0;
	for (uint32_t low = 0; low <= 0xFFFF; low++) {
		struct pmif_period q;

		if (pmif_period_from_key(0x07E50000u | low, &q) == 0) {
			assert_int_equal(pmif_period_key(&q), 0x07E50000u | low);
			ok++;
		}
	}
	assert_int_equal(ok, 7);
}

/* ---- arithmetic ---- */

static void expect_step(const char *from,
                        int (*fn)(const struct pmif_period *, struct pmif_period *), const char *to)
{
	struct pmif_period p = must_parse(from), q = sentinel;
	char buf[PMIF_PERIOD_STRLEN];

	assert_int_equal(fn(&p, &q), 0);
	pmif_period_format(&q, buf);
	if (strcmp(buf, to) != 0)
		fail_msg("from %s expected %s, got %s", from, to, buf);
}

static void expect_step_fails(const char *from,
                              int (*fn)(const struct pmif_period *, struct pmif_period *))
{
	struct pmif_period p = must_parse(from), q = sentinel;

	assert_int_equal(fn(&p, &q), PMIF_EINVAL);
	assert_untouched(&q);
}

static void test_previous_next_examples(void **state)
{
	(void)state;
	expect_step("2021-22-Q1", pmif_period_previous, "2020-21-Q4");
	expect_step("2021-22-Q2", pmif_period_previous, "2021-22-Q1");
	expect_step("2021-22-Q4", pmif_period_previous, "2021-22-Q3");
	expect_step("2021-22-H1", pmif_period_previous, "2020-21-H2");
	expect_step("2021-22-H2", pmif_period_previous, "2021-22-H1");
	expect_step("2021-22", pmif_period_previous, "2020-21");
	expect_step("2000-01", pmif_period_previous, "1999-00");
	expect_step("2020-21-Q4", pmif_period_next, "2021-22-Q1");
	expect_step("2021-22-Q3", pmif_period_next, "2021-22-Q4");
	expect_step("2020-21-H2", pmif_period_next, "2021-22-H1");
	expect_step("1999-00", pmif_period_next, "2000-01");
	expect_step("1999-00-Q4", pmif_period_next, "2000-01-Q1");

	/* The ends of the supported range. */
	expect_step_fails("1990-91", pmif_period_previous);
	expect_step_fails("1990-91-H1", pmif_period_previous);
	expect_step_fails("1990-91-Q1", pmif_period_previous);
	expect_step("1990-91-Q2", pmif_period_previous, "1990-91-Q1");
	expect_step_fails("2199-00", pmif_period_next);
	expect_step_fails("2199-00-H2", pmif_period_next);
	expect_step_fails("2199-00-Q4", pmif_period_next);
	expect_step("2199-00-Q3", pmif_period_next, "2199-00-Q4");
}

static void test_previous_next_exhaustive(void **state)
{
	static struct pmif_period all[ALL_YEARS * 7];
	size_t n = all_periods(PMIF_PERIOD_YEAR_MIN, PMIF_PERIOD_YEAR_MAX, all);
	struct pmif_period last[4] = {{0}}; /* last seen period of each kind, by kind */

	(void)state;
	/* Walking all periods in order, each one's previous is the last of its kind seen. */
	for (size_t i = 0; i < n; i++) {
		struct pmif_period *p = &all[i], q = sentinel, r = sentinel;

		if (last[p->kind].kind) {
			assert_int_equal(pmif_period_previous(p, &q), 0);
			assert_memory_equal(&q, &last[p->kind], sizeof(q));
			assert_int_equal(pmif_period_next(&q, &r), 0);
			assert_memory_equal(&r, p, sizeof(r));
		} else {
			assert_int_equal(pmif_period_previous(p, &q), PMIF_EINVAL);
			assert_untouched(&q);
		}
		last[p->kind] = *p;
	}

	/* Aliased in and out. */
	struct pmif_period a = must_parse("2021-22-Q1");
	assert_int_equal(pmif_period_previous(&a, &a), 0);
	assert_period(&a, 2020, PMIF_PERIOD_QUARTER, 4);
	assert_int_equal(pmif_period_next(&a, &a), 0);
	assert_period(&a, 2021, PMIF_PERIOD_QUARTER, 1);
}

static void test_same_last_year(void **state)
{
	static struct pmif_period all[ALL_YEARS * 7];
	size_t n = all_periods(PMIF_PERIOD_YEAR_MIN, PMIF_PERIOD_YEAR_MAX, all);

	(void)state;
	expect_step("2021-22-Q3", pmif_period_same_last_year, "2020-21-Q3");
	expect_step("2021-22-H1", pmif_period_same_last_year, "2020-21-H1");
	expect_step("2000-01", pmif_period_same_last_year, "1999-00");
	expect_step("2000-01-Q4", pmif_period_same_last_year, "1999-00-Q4");
	expect_step_fails("1990-91-Q4", pmif_period_same_last_year);
	expect_step("1991-92-Q4", pmif_period_same_last_year, "1990-91-Q4");

	/* Same kind and index, one year earlier, for every period but the first year's. */
	for (size_t i = 7; i < n; i++) {
		struct pmif_period q = sentinel;

		assert_int_equal(pmif_period_same_last_year(&all[i], &q), 0);
		assert_period(&q, all[i].year - 1u, all[i].kind, all[i].index);
	}
}

static void expect_parent(const char *from, enum pmif_period_kind kind, const char *to)
{
	struct pmif_period p = must_parse(from), q = sentinel;
	char buf[PMIF_PERIOD_STRLEN];

	assert_int_equal(pmif_period_parent(&p, kind, &q), 0);
	pmif_period_format(&q, buf);
	if (strcmp(buf, to) != 0)
		fail_msg("%s parent %s: expected %s, got %s", from, pmif_period_kind_name(kind), to,
		         buf);
}

static void test_parent(void **state)
{
	struct pmif_period p, q = sentinel;

	(void)state;
	expect_parent("2021-22-Q1", PMIF_PERIOD_HALF, "2021-22-H1");
	expect_parent("2021-22-Q2", PMIF_PERIOD_HALF, "2021-22-H1");
	expect_parent("2021-22-Q3", PMIF_PERIOD_HALF, "2021-22-H2");
	expect_parent("2021-22-Q4", PMIF_PERIOD_HALF, "2021-22-H2");
	expect_parent("2021-22-Q4", PMIF_PERIOD_YEAR, "2021-22");
	expect_parent("2021-22-H2", PMIF_PERIOD_YEAR, "2021-22");
	expect_parent("1999-00-Q4", PMIF_PERIOD_YEAR, "1999-00");
	/* Asking for one's own kind is the identity. */
	expect_parent("2021-22-Q3", PMIF_PERIOD_QUARTER, "2021-22-Q3");
	expect_parent("2021-22-H1", PMIF_PERIOD_HALF, "2021-22-H1");
	expect_parent("2021-22", PMIF_PERIOD_YEAR, "2021-22");

	/* No single finer parent; no such kind. */
	p = must_parse("2021-22");
	assert_int_equal(pmif_period_parent(&p, PMIF_PERIOD_HALF, &q), PMIF_EINVAL);
	assert_int_equal(pmif_period_parent(&p, PMIF_PERIOD_QUARTER, &q), PMIF_EINVAL);
	p = must_parse("2021-22-H1");
	assert_int_equal(pmif_period_parent(&p, PMIF_PERIOD_QUARTER, &q), PMIF_EINVAL);
	assert_int_equal(pmif_period_parent(&p, (enum pmif_period_kind)0, &q), PMIF_EINVAL);
	assert_int_equal(pmif_period_parent(&p, (enum pmif_period_kind)4, &q), PMIF_EINVAL);
	p = mk(2021, PMIF_PERIOD_QUARTER, 5);
	assert_int_equal(pmif_period_parent(&p, PMIF_PERIOD_YEAR, &q), PMIF_EINVAL);
	assert_untouched(&q);

	/* The parent always contains the child. */
	static struct pmif_period all[7 * 5];
	size_t n = all_periods(2019, 2023, all);
	for (size_t i = 0; i < n; i++) {
		for (int k = PMIF_PERIOD_YEAR; k <= all[i].kind; k++) {
			assert_int_equal(pmif_period_parent(&all[i], k, &q), 0);
			assert_true(pmif_period_contains(&q, &all[i]));
		}
	}
}

static void expect_completes(const char *from, const char *a, const char *b)
{
	struct pmif_period p = must_parse(from), out[2];
	char buf[PMIF_PERIOD_STRLEN];
	size_t n = 99;

	assert_int_equal(pmif_period_completes(&p, out, &n), 0);
	assert_int_equal(n, (size_t)(a != NULL) + (b != NULL));
	for (size_t i = 0; i < n; i++) {
		pmif_period_format(&out[i], buf);
		assert_string_equal(buf, i == 0 ? a : b);
	}
}

static void test_completes(void **state)
{
	static struct pmif_period all[7 * 5];
	struct pmif_period out[2], bad = mk(2021, PMIF_PERIOD_QUARTER, 5);
	size_t n = 7, count = all_periods(2019, 2023, all);

	(void)state;
	expect_completes("2022-23-Q4", "2022-23-H2", "2022-23");
	expect_completes("2022-23-Q2", "2022-23-H1", NULL);
	expect_completes("2022-23-H2", "2022-23", NULL);
	expect_completes("2199-00-Q4", "2199-00-H2", "2199-00");
	expect_completes("2022-23-Q1", NULL, NULL);
	expect_completes("2022-23-Q3", NULL, NULL);
	expect_completes("2022-23-H1", NULL, NULL);
	expect_completes("2022-23", NULL, NULL);
	assert_int_equal(pmif_period_completes(&bad, out, &n), PMIF_EINVAL);
	assert_int_equal(pmif_period_completes(NULL, out, &n), PMIF_EINVAL);
	assert_int_equal(pmif_period_completes(&all[0], NULL, &n), PMIF_EINVAL);
	assert_int_equal(pmif_period_completes(&all[0], out, NULL), PMIF_EINVAL);
	assert_int_equal(n, 7); /* untouched on failure */

	/* Against the calendar: exactly the longer periods containing p that
	 * end on its last day, shortest first. */
	for (size_t i = 0; i < count; i++) {
		int ey, em, ed, oy, om, od;
		size_t want = 0;

		assert_int_equal(pmif_period_completes(&all[i], out, &n), 0);
		pmif_period_dates(&all[i], NULL, NULL, NULL, &ey, &em, &ed);
		for (size_t j = 0; j < count; j++) {
			pmif_period_dates(&all[j], NULL, NULL, NULL, &oy, &om, &od);
			if (all[j].kind < all[i].kind && pmif_period_contains(&all[j], &all[i]) &&
			    oy == ey && om == em && od == ed) {
				assert_true(want < n);
				/* all[] is in order, and the year sorts before its half */
				assert_int_equal(pmif_period_compare(&out[n - 1 - want], &all[j]),
				                 0);
				want++;
			}
		}
		assert_int_equal(n, want);
	}
}

static void test_contains_examples(void **state)
{
	struct pmif_period y = must_parse("2021-22"), h1 = must_parse("2021-22-H1"),
	                   h2 = must_parse("2021-22-H2"), q1 = must_parse("2021-22-Q1"),
	                   q3 = must_parse("2021-22-Q3"), q4 = must_parse("2021-22-Q4"),
	                   prev = must_parse("2020-21-Q4"), next = must_parse("2022-23");
	struct pmif_period bad = mk(2021, PMIF_PERIOD_HALF, 3);

	(void)state;
	assert_int_equal(pmif_period_contains(&y, &y), 1);
	assert_int_equal(pmif_period_contains(&y, &h2), 1);
	assert_int_equal(pmif_period_contains(&y, &q4), 1);
	assert_int_equal(pmif_period_contains(&h1, &q1), 1);
	assert_int_equal(pmif_period_contains(&h1, &q3), 0);
	assert_int_equal(pmif_period_contains(&h2, &q3), 1);
	assert_int_equal(pmif_period_contains(&h2, &q4), 1);
	assert_int_equal(pmif_period_contains(&q4, &q4), 1);
	assert_int_equal(pmif_period_contains(&q4, &h2), 0);
	assert_int_equal(pmif_period_contains(&h2, &y), 0);
	assert_int_equal(pmif_period_contains(&y, &prev), 0);
	assert_int_equal(pmif_period_contains(&y, &next), 0);
	assert_int_equal(pmif_period_contains(&next, &y), 0);
	assert_int_equal(pmif_period_contains(&y, &bad), 0);
	assert_int_equal(pmif_period_contains(&bad, &bad), 0);
	assert_int_equal(pmif_period_contains(NULL, &y), 0);
	assert_int_equal(pmif_period_contains(&y, NULL), 0);
}

/* Containment and order agree with the calendar dates of every pair. */
static void test_contains_and_order_match_dates(void **state)
{
	struct pmif_period all[7 * 4];
	size_t n = all_periods(1998, 2001, all);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		long is, ie;

		period_span(&all[i], &is, &ie);
		for (size_t j = 0; j < n; j++) {
			long js, je;
			int c = pmif_period_compare(&all[i], &all[j]);

			period_span(&all[j], &js, &je);
			assert_int_equal(pmif_period_contains(&all[i], &all[j]),
			                 is <= js && je <= ie);
			/* Start date ascending, then end date descending. */
			if (is != js)
				assert_true((c < 0) == (is < js) && c != 0);
			else if (ie != je)
				assert_true((c < 0) == (ie > je) && c != 0);
			else
				assert_int_equal(c, 0);
		}
	}
}

/* ---- dates ---- */

static void expect_dates(const char *s, long start, long end)
{
	struct pmif_period p = must_parse(s);
	long a, b;

	period_span(&p, &a, &b);
	if (a != start || b != end)
		fail_msg("%s: expected %ld..%ld, got %ld..%ld", s, start, end, a, b);
}

static void test_dates_examples(void **state)
{
	struct pmif_period bad = mk(2021, PMIF_PERIOD_YEAR, 2);
	int sy = 9, sm = 9, sd = 9, ey = 9, em = 9, ed = 9;

	(void)state;
	expect_dates("2021-22", 20210401, 20220331);
	expect_dates("2021-22-H1", 20210401, 20210930);
	expect_dates("2021-22-H2", 20211001, 20220331);
	expect_dates("2021-22-Q1", 20210401, 20210630);
	expect_dates("2021-22-Q2", 20210701, 20210930);
	expect_dates("2021-22-Q3", 20211001, 20211231);
	expect_dates("2021-22-Q4", 20220101, 20220331);
	expect_dates("1999-00", 19990401, 20000331);
	expect_dates("1999-00-Q4", 20000101, 20000331);
	expect_dates("1990-91-Q1", 19900401, 19900630);
	expect_dates("2199-00-Q4", 22000101, 22000331);

	/* NULL outs are allowed; invalid periods give zeros. */
	pmif_period_dates(&bad, &sy, NULL, &sd, NULL, &em, NULL);
	assert_int_equal(sy, 0);
	assert_int_equal(sd, 0);
	assert_int_equal(em, 0);
	pmif_period_dates(NULL, &sy, &sm, &sd, &ey, &em, &ed);
	assert_int_equal(sy + sm + sd + ey + em + ed, 0);
	bad = must_parse("2021-22-Q4");
	pmif_period_dates(&bad, NULL, NULL, NULL, &ey, NULL, &ed);
	assert_int_equal(ey, 2022);
	assert_int_equal(ed, 31);
}

/*
 * Walk every day from 1 April 1990 to 31 March 2200.  For each kind the
 * periods must tile the calendar: each day is in the period of_date names,
 * that period starts the day after the previous one ended, and it is the
 * next() of the previous one.
 */
static void test_every_day(void **state)
{
	struct pmif_period cur[4] = {{0}};
	long cur_end[4] = {0};
	int y = 1990, m = 4, d = 1;
	long days = 0;

	(void)state;
	for (; ymd(y, m, d) <= 22000331; next_day(&y, &m, &d), days++) {
		long today = ymd(y, m, d);

		for (int k = PMIF_PERIOD_YEAR; k <= PMIF_PERIOD_QUARTER; k++) {
			struct pmif_period p = sentinel;
			long s, e;

			assert_int_equal(pmif_period_of_date(y, m, d, k, &p), 0);
			assert_int_equal(p.kind, k);
			if (cur[k].kind && memcmp(&p, &cur[k], sizeof(p)) == 0) {
				assert_true(today <= cur_end[k]);
				continue;
			}
			/* A new period begins today. */
			period_span(&p, &s, &e);
			if (s != today)
				fail_msg("%ld starts a new %s but its period starts %ld", today,
				         pmif_period_kind_name(k), s);
			if (cur[k].kind) {
				struct pmif_period nx;

				assert_int_equal(pmif_period_next(&cur[k], &nx), 0);
				assert_memory_equal(&nx, &p, sizeof(p));
			} else {
				assert_int_equal(today, 19900401);
			}
			cur[k] = p;
			cur_end[k] = e;
		}
	}
	assert_int_equal(days, 76701); /* 210 years of 365 days plus 51 leap days */
	for (int k = PMIF_PERIOD_YEAR; k <= PMIF_PERIOD_QUARTER; k++) {
		assert_int_equal(cur_end[k], 22000331);
		assert_int_equal(cur[k].year, PMIF_PERIOD_YEAR_MAX);
	}
}

static void expect_of_date(int y, int m, int d, enum pmif_period_kind kind, const char *s)
{
	struct pmif_period p = sentinel;
	char buf[PMIF_PERIOD_STRLEN];

	assert_int_equal(pmif_period_of_date(y, m, d, kind, &p), 0);
	pmif_period_format(&p, buf);
	if (strcmp(buf, s) != 0)
		fail_msg("%04d-%02d-%02d %s: expected %s, got %s", y, m, d,
		         pmif_period_kind_name(kind), s, buf);
}

static void expect_no_date(int y, int m, int d, enum pmif_period_kind kind)
{
	struct pmif_period p = sentinel;

	assert_int_equal(pmif_period_of_date(y, m, d, kind, &p), PMIF_EINVAL);
	assert_untouched(&p);
}

static void test_of_date_boundaries(void **state)
{
	(void)state;
	expect_of_date(2022, 3, 31, PMIF_PERIOD_QUARTER, "2021-22-Q4");
	expect_of_date(2022, 3, 31, PMIF_PERIOD_HALF, "2021-22-H2");
	expect_of_date(2022, 3, 31, PMIF_PERIOD_YEAR, "2021-22");
	expect_of_date(2022, 4, 1, PMIF_PERIOD_QUARTER, "2022-23-Q1");
	expect_of_date(2022, 4, 1, PMIF_PERIOD_HALF, "2022-23-H1");
	expect_of_date(2022, 4, 1, PMIF_PERIOD_YEAR, "2022-23");
	expect_of_date(2021, 6, 30, PMIF_PERIOD_QUARTER, "2021-22-Q1");
	expect_of_date(2021, 7, 1, PMIF_PERIOD_QUARTER, "2021-22-Q2");
	expect_of_date(2021, 9, 30, PMIF_PERIOD_HALF, "2021-22-H1");
	expect_of_date(2021, 10, 1, PMIF_PERIOD_HALF, "2021-22-H2");
	expect_of_date(2021, 12, 31, PMIF_PERIOD_QUARTER, "2021-22-Q3");
	expect_of_date(2022, 1, 1, PMIF_PERIOD_QUARTER, "2021-22-Q4");
	expect_of_date(2022, 1, 1, PMIF_PERIOD_YEAR, "2021-22");
	expect_of_date(2000, 1, 1, PMIF_PERIOD_YEAR, "1999-00");
	expect_of_date(2024, 2, 29, PMIF_PERIOD_QUARTER, "2023-24-Q4");
	expect_of_date(2000, 2, 29, PMIF_PERIOD_QUARTER, "1999-00-Q4");
	expect_of_date(1990, 4, 1, PMIF_PERIOD_QUARTER, "1990-91-Q1");
	expect_of_date(2200, 3, 31, PMIF_PERIOD_QUARTER, "2199-00-Q4");

	/* Days that do not exist. */
	expect_no_date(2023, 2, 29, PMIF_PERIOD_QUARTER);
	expect_no_date(2100, 2, 29, PMIF_PERIOD_QUARTER);
	expect_no_date(2021, 4, 31, PMIF_PERIOD_QUARTER);
	expect_no_date(2021, 0, 1, PMIF_PERIOD_QUARTER);
	expect_no_date(2021, 13, 1, PMIF_PERIOD_QUARTER);
	expect_no_date(2021, 1, 0, PMIF_PERIOD_QUARTER);
	expect_no_date(2021, 1, 32, PMIF_PERIOD_QUARTER);
	expect_no_date(2021, -1, -1, PMIF_PERIOD_QUARTER);
	/* Outside the supported years. */
	expect_no_date(1990, 3, 31, PMIF_PERIOD_YEAR);
	expect_no_date(2200, 4, 1, PMIF_PERIOD_YEAR);
	expect_no_date(0, 1, 1, PMIF_PERIOD_YEAR);
	expect_no_date(INT_MIN, 1, 1, PMIF_PERIOD_YEAR);
	expect_no_date(INT_MAX, 12, 31, PMIF_PERIOD_YEAR);
	/* No such kind, nowhere to write. */
	expect_no_date(2021, 5, 1, (enum pmif_period_kind)0);
	expect_no_date(2021, 5, 1, (enum pmif_period_kind)4);
	assert_int_equal(pmif_period_of_date(2021, 5, 1, PMIF_PERIOD_YEAR, NULL), PMIF_EINVAL);
}

/* ---- add, distance, range ---- */

static void test_add_and_distance(void **state)
{
	struct pmif_period p = must_parse("2021-22-Q4"), q = sentinel, r;
	char buf[PMIF_PERIOD_STRLEN];
	int32_t dist = 12345;

	(void)state;
	/* "The last eight quarters" ending 2021-22-Q4 start at 2020-21-Q1. */
	assert_int_equal(pmif_period_add(&p, -7, &q), 0);
	pmif_period_format(&q, buf);
	assert_string_equal(buf, "2020-21-Q1");
	assert_int_equal(pmif_period_add(&p, 0, &q), 0);
	assert_memory_equal(&q, &p, sizeof(q));
	assert_int_equal(pmif_period_add(&p, 5, &q), 0);
	pmif_period_format(&q, buf);
	assert_string_equal(buf, "2023-24-Q1");
	r = must_parse("2021-22-H1");
	assert_int_equal(pmif_period_add(&r, -3, &q), 0);
	pmif_period_format(&q, buf);
	assert_string_equal(buf, "2019-20-H2");

	r = must_parse("2019-20-Q1");
	assert_int_equal(pmif_period_distance(&r, &p, &dist), 0);
	assert_int_equal(dist, 11);
	assert_int_equal(pmif_period_distance(&p, &r, &dist), 0);
	assert_int_equal(dist, -11);
	assert_int_equal(pmif_period_distance(&p, &p, &dist), 0);
	assert_int_equal(dist, 0);
	r = must_parse("1990-91");
	q = must_parse("2199-00");
	assert_int_equal(pmif_period_distance(&r, &q, &dist), 0);
	assert_int_equal(dist, ALL_YEARS - 1);

	/* Out of range and mismatched kinds. */
	q = sentinel;
	assert_int_equal(pmif_period_add(&p, INT32_MAX, &q), PMIF_EINVAL);
	assert_int_equal(pmif_period_add(&p, INT32_MIN, &q), PMIF_EINVAL);
	assert_int_equal(pmif_period_add(&p, -(2021 - 1990) * 4 - 4, &q), PMIF_EINVAL);
	assert_untouched(&q);
	assert_int_equal(pmif_period_add(&p, -(2021 - 1990) * 4 - 3, &q), 0);
	pmif_period_format(&q, buf);
	assert_string_equal(buf, "1990-91-Q1");
	r = must_parse("2021-22-H1");
	dist = 12345;
	assert_int_equal(pmif_period_distance(&r, &p, &dist), PMIF_EINVAL);
	assert_int_equal(dist, 12345);
	assert_int_equal(pmif_period_distance(&r, &r, NULL), PMIF_EINVAL);

	/* add(distance(a, b)) takes a to b, for every same-kind pair in six years. */
	struct pmif_period all[7 * 6];
	size_t n = all_periods(2018, 2023, all);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < n; j++) {
			if (all[i].kind != all[j].kind)
				continue;
			assert_int_equal(pmif_period_distance(&all[i], &all[j], &dist), 0);
			assert_int_equal(pmif_period_add(&all[i], dist, &q), 0);
			assert_memory_equal(&q, &all[j], sizeof(q));
			assert_int_equal(dist<0, i> j);
		}
	}
}

static void test_range(void **state)
{
	struct pmif_period first = must_parse("2020-21-Q1"), last = must_parse("2021-22-Q4");
	struct pmif_period out[8], small[7];
	const char *expect[8] = {"2020-21-Q1", "2020-21-Q2", "2020-21-Q3", "2020-21-Q4",
	                         "2021-22-Q1", "2021-22-Q2", "2021-22-Q3", "2021-22-Q4"};
	char buf[PMIF_PERIOD_STRLEN];
	size_t n = 99;

	(void)state;
	assert_int_equal(pmif_period_range(&first, &last, out, 8, &n), 0);
	assert_int_equal(n, 8);
	for (size_t i = 0; i < n; i++) {
		pmif_period_format(&out[i], buf);
		assert_string_equal(buf, expect[i]);
	}

	/* One period. */
	assert_int_equal(pmif_period_range(&last, &last, out, 8, &n), 0);
	assert_int_equal(n, 1);
	assert_memory_equal(&out[0], &last, sizeof(last));

	/* Too small, backwards, mixed kinds, missing pointers: nothing written. */
	n = 99;
	memset(small, 0x5A, sizeof(small));
	assert_int_equal(pmif_period_range(&first, &last, small, 7, &n), PMIF_ETOOBIG);
	assert_int_equal(pmif_period_range(&first, &last, NULL, 0, &n), PMIF_ETOOBIG);
	assert_int_equal(pmif_period_range(&last, &first, small, 7, &n), PMIF_EINVAL);
	struct pmif_period y = must_parse("2021-22");
	assert_int_equal(pmif_period_range(&first, &y, small, 7, &n), PMIF_EINVAL);
	assert_int_equal(pmif_period_range(&first, &last, NULL, 8, &n), PMIF_EINVAL);
	assert_int_equal(pmif_period_range(&first, &last, small, 7, NULL), PMIF_EINVAL);
	assert_int_equal(pmif_period_range(NULL, &last, small, 7, &n), PMIF_EINVAL);
	assert_int_equal(n, 99);
	for (size_t i = 0; i < sizeof(small); i++)
		assert_int_equal(((unsigned char *)small)[i], 0x5A);

	/* The whole supported range of years. */
	static struct pmif_period years[ALL_YEARS];
	struct pmif_period a = must_parse("1990-91"), b = must_parse("2199-00");
	assert_int_equal(pmif_period_range(&a, &b, years, ALL_YEARS, &n), 0);
	assert_int_equal(n, ALL_YEARS);
	for (size_t i = 0; i < n; i++)
		assert_period(&years[i], PMIF_PERIOD_YEAR_MIN + (unsigned)i, PMIF_PERIOD_YEAR, 0);
}

/* ---- misc ---- */

static void test_kind_name(void **state)
{
	(void)state;
	assert_string_equal(pmif_period_kind_name(PMIF_PERIOD_YEAR), "year");
	assert_string_equal(pmif_period_kind_name(PMIF_PERIOD_HALF), "half");
	assert_string_equal(pmif_period_kind_name(PMIF_PERIOD_QUARTER), "quarter");
	assert_string_equal(pmif_period_kind_name((enum pmif_period_kind)0), "unknown");
	assert_string_equal(pmif_period_kind_name((enum pmif_period_kind)99), "unknown");
}

static void test_valid_and_null_arguments(void **state)
{
	struct pmif_period p = must_parse("2021-22-Q1"), q = sentinel;

	(void)state;
	assert_true(pmif_period_valid(&p));
	assert_false(pmif_period_valid(NULL));
	q = mk(2021, PMIF_PERIOD_HALF, 0);
	assert_false(pmif_period_valid(&q));
	q = mk(2021, PMIF_PERIOD_QUARTER, 5);
	assert_false(pmif_period_valid(&q));
	q = mk(2021, 4, 1);
	assert_false(pmif_period_valid(&q));

	assert_int_equal(pmif_period_parse("2021-22", NULL, NULL, 0), PMIF_EINVAL);
	assert_int_equal(pmif_period_previous(NULL, &q), PMIF_EINVAL);
	assert_int_equal(pmif_period_previous(&p, NULL), PMIF_EINVAL);
	assert_int_equal(pmif_period_next(NULL, &q), PMIF_EINVAL);
	assert_int_equal(pmif_period_next(&p, NULL), PMIF_EINVAL);
	assert_int_equal(pmif_period_same_last_year(NULL, &q), PMIF_EINVAL);
	assert_int_equal(pmif_period_same_last_year(&p, NULL), PMIF_EINVAL);
	assert_int_equal(pmif_period_parent(NULL, PMIF_PERIOD_YEAR, &q), PMIF_EINVAL);
	assert_int_equal(pmif_period_parent(&p, PMIF_PERIOD_YEAR, NULL), PMIF_EINVAL);
	assert_int_equal(pmif_period_add(NULL, 1, &q), PMIF_EINVAL);
	assert_int_equal(pmif_period_add(&p, 1, NULL), PMIF_EINVAL);

	/* Invalid periods are refused by everything that returns a status. */
	q = mk(2021, PMIF_PERIOD_QUARTER, 0);
	struct pmif_period r = sentinel;
	assert_int_equal(pmif_period_previous(&q, &r), PMIF_EINVAL);
	assert_int_equal(pmif_period_next(&q, &r), PMIF_EINVAL);
	assert_int_equal(pmif_period_same_last_year(&q, &r), PMIF_EINVAL);
	assert_int_equal(pmif_period_add(&q, 0, &r), PMIF_EINVAL);
	assert_untouched(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_roundtrip_every_period),
	    cmocka_unit_test(test_parse_format_examples),
	    cmocka_unit_test(test_format_invalid),
	    cmocka_unit_test(test_bad_strings),
	    cmocka_unit_test(test_bad_message_exact),
	    cmocka_unit_test(test_bad_message_sanitised_and_truncated),
	    cmocka_unit_test(test_very_long_string),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_every_single_byte_substitution),
	    cmocka_unit_test(test_order_within_year),
	    cmocka_unit_test(test_order_examples),
	    cmocka_unit_test(test_key_sort_equals_compare),
	    cmocka_unit_test(test_key_values),
	    cmocka_unit_test(test_previous_next_examples),
	    cmocka_unit_test(test_previous_next_exhaustive),
	    cmocka_unit_test(test_same_last_year),
	    cmocka_unit_test(test_parent),
	    cmocka_unit_test(test_completes),
	    cmocka_unit_test(test_contains_examples),
	    cmocka_unit_test(test_contains_and_order_match_dates),
	    cmocka_unit_test(test_dates_examples),
	    cmocka_unit_test(test_every_day),
	    cmocka_unit_test(test_of_date_boundaries),
	    cmocka_unit_test(test_add_and_distance),
	    cmocka_unit_test(test_range),
	    cmocka_unit_test(test_kind_name),
	    cmocka_unit_test(test_valid_and_null_arguments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
