/*
 * period.c - UK financial-year reporting periods: parsing, formatting,
 * ordering, arithmetic and calendar dates.
 *
 * Internally a period is seen as a run of financial quarters: it starts at
 * quarter q0 (0-3) of its financial year and spans 4 (year), 2 (half) or
 * 1 (quarter) quarters.  Ordering, keys, containment and dates all follow
 * from that.  Arithmetic numbers the periods of one kind consecutively from
 * the first supported year ("linear index"), so moving by n periods never
 * needs special cases at year boundaries.
 *
 * The parser walks the text left to right and stops at the first thing that
 * is wrong, so its message can say exactly what that was.  It reads at most
 * a few dozen bytes of its input, however long the string is.
 */
#include "period.h"

#include <stdio.h>
#include <string.h>

#include "day.h"
#include "error.h"

/* The forms named at the end of every parse error message. */
#define PERIOD_FORMS "use YYYY-YY, YYYY-YY-H1/H2 or YYYY-YY-Q1..Q4"

/* How many bytes of bad input a parse error message quotes. */
#define QUOTE_MAX 24

/* How far the parser looks for the end of the input (to spot trailing spaces). */
#define SCAN_MAX 64

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* ASCII whitespace only: the C library's isspace() depends on the locale. */
static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m == 2 && is_leap(y))
		return 29;
	return days[m - 1];
}

static int kind_valid(int kind)
{
	return kind == PMIF_PERIOD_YEAR || kind == PMIF_PERIOD_HALF || kind == PMIF_PERIOD_QUARTER;
}

/* Periods of @kind in one financial year. */
static int per_year(int kind)
{
	return kind == PMIF_PERIOD_YEAR ? 1 : kind == PMIF_PERIOD_HALF ? 2 : 4;
}

/* Quarters spanned by one period of @kind. */
static int span_quarters(int kind)
{
	return 4 / per_year(kind);
}

/* Financial quarter (0-3) in which valid @p starts. */
static int start_quarter(const struct pmif_period *p)
{
	if (p->kind == PMIF_PERIOD_YEAR)
		return 0;
	return (p->index - 1) * span_quarters(p->kind);
}

/* Position of valid @p among all supported periods of its kind. */
static int64_t linear_index(const struct pmif_period *p)
{
	int slot = p->kind == PMIF_PERIOD_YEAR ? 0 : p->index - 1;

	return (int64_t)(p->year - PMIF_PERIOD_YEAR_MIN) * per_year(p->kind) + slot;
}

/* Inverse of linear_index(); 0 or PMIF_EINVAL if @lin is out of range. */
static int from_linear(int64_t lin, int kind, struct pmif_period *out)
{
	int per = per_year(kind);
	int64_t total = (int64_t)(PMIF_PERIOD_YEAR_MAX - PMIF_PERIOD_YEAR_MIN + 1) * per;

	if (lin < 0 || lin >= total)
		return PMIF_EINVAL;
	out->year = (uint16_t)(PMIF_PERIOD_YEAR_MIN + lin / per);
	out->kind = (uint8_t)kind;
	out->index = (uint8_t)(kind == PMIF_PERIOD_YEAR ? 0 : lin % per + 1);
	return 0;
}

int pmif_period_valid(const struct pmif_period *p)
{
	if (!p || p->year < PMIF_PERIOD_YEAR_MIN || p->year > PMIF_PERIOD_YEAR_MAX)
		return 0;
	switch (p->kind) {
	case PMIF_PERIOD_YEAR: return p->index == 0;
	case PMIF_PERIOD_HALF: return p->index >= 1 && p->index <= 2;
	case PMIF_PERIOD_QUARTER: return p->index >= 1 && p->index <= 4;
	}
	return 0;
}

/*
 * Copy at most QUOTE_MAX bytes of @s into @q (QUOTE_MAX + 4 bytes) for an
 * error message, unprintable bytes as '?', and "..." if @s is longer, so
 * that hostile input cannot inject control characters into logs.
 */
static void quote_input(const char *s, char *q)
{
	size_t i;

	for (i = 0; i < QUOTE_MAX && s[i]; i++)
		q[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	if (s[i]) {
		memcpy(q + i, "...", 3);
		i += 3;
	}
	q[i] = '\0';
}

static int refuse(const char *s, const char *why, char *msg, size_t msgcap)
{
	char q[QUOTE_MAX + 4];

	if (msg && msgcap > 0) {
		if (!s) {
			snprintf(msg, msgcap, "no period given; " PERIOD_FORMS);
		} else {
			quote_input(s, q);
			snprintf(msg, msgcap, "'%s' is not a period: %s; " PERIOD_FORMS, q, why);
		}
	}
	return PMIF_EINVAL;
}

/* Number of consecutive digits in @s, counting no further than 9. */
static int count_digits(const char *s)
{
	int n = 0;

	while (n < 9 && is_digit(s[n]))
		n++;
	return n;
}

static unsigned digits_value(const char *s, int n)
{
	unsigned v = 0;

	while (n-- > 0)
		v = v * 10 + (unsigned)(*s++ - '0');
	return v;
}

/* Write @v as exactly @n decimal digits, zero-padded, no NUL. */
static void put_digits(char *b, unsigned v, int n)
{
	while (n-- > 0) {
		b[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

int pmif_period_parse(const char *s, struct pmif_period *out, char *msg, size_t msgcap)
{
	struct pmif_period p;
	char why[96];
	char ex[8] = "2021-22"; /* the example in messages: the caller's own year once known */
	size_t len;
	unsigned y1, y2;
	char c;
	int n;

	if (!out)
		return PMIF_EINVAL;
	if (!s)
		return refuse(NULL, NULL, msg, msgcap);
	for (len = 0; len < SCAN_MAX && s[len]; len++)
		;
	if (len == 0)
		return refuse(s, "it is empty", msg, msgcap);
	if (is_space(s[0]) || (len < SCAN_MAX && is_space(s[len - 1])))
		return refuse(s, "it must not have spaces before or after it", msg, msgcap);

	if (count_digits(s) != 4)
		return refuse(s, "the first year must have four digits (e.g. 2021-22)", msg,
		              msgcap);
	y1 = digits_value(s, 4);
	if (y1 >= PMIF_PERIOD_YEAR_MIN && y1 <= PMIF_PERIOD_YEAR_MAX) {
		put_digits(ex, y1, 4);
		put_digits(ex + 5, (y1 + 1) % 100, 2);
	}
	if (s[4] == '\0') {
		snprintf(why, sizeof(why), "the second year is missing (e.g. %s)", ex);
		return refuse(s, why, msg, msgcap);
	}
	if (s[4] != '-') {
		snprintf(why, sizeof(why), "the two years must be joined by '-' (e.g. %s)", ex);
		return refuse(s, why, msg, msgcap);
	}
	if (count_digits(s + 5) != 2) {
		snprintf(why, sizeof(why), "the second year must have two digits (e.g. %s)", ex);
		return refuse(s, why, msg, msgcap);
	}
	y2 = digits_value(s + 5, 2);
	if (y1 < PMIF_PERIOD_YEAR_MIN || y1 > PMIF_PERIOD_YEAR_MAX) {
		snprintf(why, sizeof(why), "the first year must be from %d to %d",
		         PMIF_PERIOD_YEAR_MIN, PMIF_PERIOD_YEAR_MAX);
		return refuse(s, why, msg, msgcap);
	}
	if (y2 != (y1 + 1) % 100) {
		snprintf(why, sizeof(why), "the second year must follow the first (e.g. %s)", ex);
		return refuse(s, why, msg, msgcap);
	}
	p.year = (uint16_t)y1;

	if (s[7] == '\0') {
		p.kind = PMIF_PERIOD_YEAR;
		p.index = 0;
		*out = p;
		return 0;
	}
	c = s[7];
	if (c != '-') {
		if (c == 'H' || c == 'Q' || c == 'h' || c == 'q')
			snprintf(why, sizeof(why),
			         "a '-' must come before the half or quarter (e.g. %s-Q1)", ex);
		else
			snprintf(why, sizeof(why),
			         "only -H1, -H2 or -Q1..-Q4 may follow the years");
		return refuse(s, why, msg, msgcap);
	}

	c = s[8];
	if (c == '\0') {
		snprintf(why, sizeof(why),
		         "the half or quarter is missing after the last '-' (e.g. %s-Q1)", ex);
		return refuse(s, why, msg, msgcap);
	}
	if (c == 'h' || c == 'q') {
		snprintf(why, sizeof(why), "the %c must be uppercase (e.g. %s-%c1)", c - 'a' + 'A',
		         ex, c - 'a' + 'A');
		return refuse(s, why, msg, msgcap);
	}
	if (c != 'H' && c != 'Q')
		return refuse(s, "only H1, H2 or Q1..Q4 may follow the years", msg, msgcap);
	n = count_digits(s + 9);
	if (c == 'H') {
		if (n != 1 || s[9] < '1' || s[9] > '2')
			return refuse(s, "a half must be H1 or H2", msg, msgcap);
		p.kind = PMIF_PERIOD_HALF;
	} else {
		if (n != 1 || s[9] < '1' || s[9] > '4')
			return refuse(s, "a quarter must be Q1, Q2, Q3 or Q4", msg, msgcap);
		p.kind = PMIF_PERIOD_QUARTER;
	}
	if (s[10] != '\0')
		return refuse(s, "nothing may follow the half or quarter", msg, msgcap);
	p.index = (uint8_t)(s[9] - '0');
	*out = p;
	return 0;
}

void pmif_period_format(const struct pmif_period *p, char buf[PMIF_PERIOD_STRLEN])
{
	if (!buf)
		return;
	if (!pmif_period_valid(p)) {
		memcpy(buf, "invalid", sizeof("invalid"));
		return;
	}
	put_digits(buf, p->year, 4);
	buf[4] = '-';
	put_digits(buf + 5, (p->year + 1u) % 100, 2);
	if (p->kind == PMIF_PERIOD_YEAR) {
		buf[7] = '\0';
		return;
	}
	buf[7] = '-';
	buf[8] = p->kind == PMIF_PERIOD_HALF ? 'H' : 'Q';
	buf[9] = (char)('0' + p->index);
	buf[10] = '\0';
}

uint32_t pmif_period_key(const struct pmif_period *p)
{
	if (!pmif_period_valid(p))
		return 0;
	return (uint32_t)p->year << 16 | (uint32_t)start_quarter(p) << 8 | p->kind;
}

int pmif_period_from_key(uint32_t key, struct pmif_period *out)
{
	struct pmif_period p;
	unsigned q0 = key >> 8 & 0xff;
	unsigned kind = key & 0xff;
	unsigned span;

	if (!out || !kind_valid((int)kind))
		return PMIF_EINVAL;
	span = (unsigned)span_quarters((int)kind);
	if (q0 > 3 || q0 % span != 0)
		return PMIF_EINVAL;
	p.year = (uint16_t)(key >> 16);
	p.kind = (uint8_t)kind;
	p.index = (uint8_t)(kind == PMIF_PERIOD_YEAR ? 0 : q0 / span + 1);
	if (!pmif_period_valid(&p))
		return PMIF_EINVAL;
	*out = p;
	return 0;
}

int pmif_period_compare(const struct pmif_period *a, const struct pmif_period *b)
{
	uint32_t ka = pmif_period_key(a);
	uint32_t kb = pmif_period_key(b);

	return (ka > kb) - (ka < kb);
}

int pmif_period_add(const struct pmif_period *p, int32_t n, struct pmif_period *out)
{
	struct pmif_period r;
	int rc;

	if (!pmif_period_valid(p) || !out)
		return PMIF_EINVAL;
	rc = from_linear(linear_index(p) + n, p->kind, &r);
	if (rc != 0)
		return rc;
	*out = r;
	return 0;
}

int pmif_period_previous(const struct pmif_period *p, struct pmif_period *out)
{
	return pmif_period_add(p, -1, out);
}

int pmif_period_next(const struct pmif_period *p, struct pmif_period *out)
{
	return pmif_period_add(p, 1, out);
}

int pmif_period_same_last_year(const struct pmif_period *p, struct pmif_period *out)
{
	if (!pmif_period_valid(p))
		return PMIF_EINVAL;
	return pmif_period_add(p, -per_year(p->kind), out);
}

int pmif_period_parent(const struct pmif_period *p, enum pmif_period_kind kind,
                       struct pmif_period *out)
{
	struct pmif_period r;

	if (!pmif_period_valid(p) || !kind_valid((int)kind) || !out || (int)kind > p->kind)
		return PMIF_EINVAL;
	r.year = p->year;
	r.kind = (uint8_t)kind;
	if (kind == PMIF_PERIOD_YEAR)
		r.index = 0;
	else
		r.index = (uint8_t)(start_quarter(p) / span_quarters(kind) + 1);
	*out = r;
	return 0;
}

int pmif_period_completes(const struct pmif_period *p, struct pmif_period out[2], size_t *n)
{
	struct pmif_period r[2];
	size_t count = 0;
	int end;

	if (!pmif_period_valid(p) || !out || !n)
		return PMIF_EINVAL;
	end = start_quarter(p) + span_quarters(p->kind);
	/* a half, then the year: the next longer kind has the smaller number */
	for (int kind = p->kind - 1; kind >= PMIF_PERIOD_YEAR; kind--) {
		struct pmif_period up;

		if (pmif_period_parent(p, (enum pmif_period_kind)kind, &up) != 0)
			return PMIF_EINVAL;
		if (start_quarter(&up) + span_quarters(kind) == end)
			r[count++] = up;
	}
	memcpy(out, r, count * sizeof(r[0]));
	*n = count;
	return 0;
}

int pmif_period_contains(const struct pmif_period *outer, const struct pmif_period *inner)
{
	int64_t os, is;

	if (!pmif_period_valid(outer) || !pmif_period_valid(inner))
		return 0;
	os = (int64_t)outer->year * 4 + start_quarter(outer);
	is = (int64_t)inner->year * 4 + start_quarter(inner);
	return os <= is && is + span_quarters(inner->kind) <= os + span_quarters(outer->kind);
}

static void set_if(int *dst, int v)
{
	if (dst)
		*dst = v;
}

void pmif_period_dates(const struct pmif_period *p, int *start_y, int *start_m, int *start_d,
                       int *end_y, int *end_m, int *end_d)
{
	int first, last, ey, em;

	if (!pmif_period_valid(p)) {
		set_if(start_y, 0);
		set_if(start_m, 0);
		set_if(start_d, 0);
		set_if(end_y, 0);
		set_if(end_m, 0);
		set_if(end_d, 0);
		return;
	}
	/* Months counted from January of the financial year's first calendar year. */
	first = 3 + 3 * start_quarter(p);
	last = first + 3 * span_quarters(p->kind) - 1;
	ey = p->year + last / 12;
	em = last % 12 + 1;
	set_if(start_y, p->year + first / 12);
	set_if(start_m, first % 12 + 1);
	set_if(start_d, 1);
	set_if(end_y, ey);
	set_if(end_m, em);
	set_if(end_d, days_in_month(ey, em));
}

int pmif_period_of_date(int y, int m, int d, enum pmif_period_kind kind, struct pmif_period *out)
{
	struct pmif_period r;
	int fy, q0;

	/* Bound y first so that y - 1 below cannot overflow. */
	if (!out || !kind_valid((int)kind) || y < PMIF_PERIOD_YEAR_MIN ||
	    y > PMIF_PERIOD_YEAR_MAX + 1)
		return PMIF_EINVAL;
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return PMIF_EINVAL;
	fy = m >= 4 ? y : y - 1;
	if (fy < PMIF_PERIOD_YEAR_MIN || fy > PMIF_PERIOD_YEAR_MAX)
		return PMIF_EINVAL;
	q0 = (m + 8) % 12 / 3; /* April-June 0, ..., January-March 3 */
	r.year = (uint16_t)fy;
	r.kind = (uint8_t)kind;
	r.index = (uint8_t)(kind == PMIF_PERIOD_YEAR ? 0 : q0 / span_quarters(kind) + 1);
	*out = r;
	return 0;
}

int pmif_period_distance(const struct pmif_period *from, const struct pmif_period *to, int32_t *out)
{
	if (!pmif_period_valid(from) || !pmif_period_valid(to) || from->kind != to->kind || !out)
		return PMIF_EINVAL;
	/* At most 4 * 210 apart, so the difference always fits. */
	*out = (int32_t)(linear_index(to) - linear_index(from));
	return 0;
}

int pmif_period_range(const struct pmif_period *first, const struct pmif_period *last,
                      struct pmif_period *out, size_t cap, size_t *n)
{
	int32_t dist;
	size_t count, i;
	int64_t lin;
	int rc;

	rc = pmif_period_distance(first, last, &dist);
	if (rc != 0)
		return rc;
	if (dist < 0 || !n || (!out && cap > 0))
		return PMIF_EINVAL;
	count = (size_t)dist + 1;
	if (count > cap)
		return PMIF_ETOOBIG;
	lin = linear_index(first);
	for (i = 0; i < count; i++)
		(void)from_linear(lin + (int64_t)i, first->kind, &out[i]);
	*n = count;
	return 0;
}

const char *pmif_period_kind_name(enum pmif_period_kind kind)
{
	switch (kind) {
	case PMIF_PERIOD_YEAR: return "year";
	case PMIF_PERIOD_HALF: return "half";
	case PMIF_PERIOD_QUARTER: return "quarter";
	}
	return "unknown";
}

int pmif_period_day_parse(const char *s, int32_t *days)
{
	struct pmif_period p;
	int32_t n;
	int y, m, d;

	if (pmif_day_parse(s, &n) != 0)
		return PMIF_EINVAL;
	pmif_day_civil(n, &y, &m, &d);
	if (pmif_period_of_date(y, m, d, PMIF_PERIOD_YEAR, &p) != 0)
		return PMIF_EINVAL;
	*days = n;
	return 0;
}
