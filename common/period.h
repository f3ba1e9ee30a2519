/*
 * period.h - UK financial-year reporting periods.
 *
 * Every value PMIF stores belongs to a reporting period of the council's
 * financial year, which runs from 1 April to 31 March.  A period is a whole
 * financial year ("2021-22": 1 April 2021 to 31 March 2022), a half
 * ("2021-22-H1" April-September, "2021-22-H2" October-March) or a quarter
 * ("2021-22-Q1" April-June, Q2 July-September, Q3 October-December,
 * Q4 January-March).
 *
 * The text form is strict and canonical: parse accepts exactly what format
 * writes, so format(parse(s)) == s for every accepted s.  In particular the
 * H and Q are uppercase only and no surrounding spaces are allowed; a
 * lowercase "2021-22-q1" is refused with a message showing the uppercase
 * spelling.  One spelling per period keeps LMDB keys, exports and audit
 * records unambiguous.
 *
 * Supported financial years start in PMIF_PERIOD_YEAR_MIN (1990, i.e.
 * "1990-91") through PMIF_PERIOD_YEAR_MAX (2199, i.e. "2199-00", which ends
 * on 31 March 2200).  Arithmetic that would leave that range fails with
 * PMIF_EINVAL.
 *
 * Periods are totally ordered by start date, and at the same start date the
 * longer period comes first.  Within one financial year the order is:
 * year, H1, Q1, Q2, H2, Q3, Q4.  pmif_period_key() encodes that order in a
 * uint32 so that big-endian keys sort in LMDB exactly as
 * pmif_period_compare() does.
 *
 * All functions are pure (no global state) and safe to call from any
 * thread.  None keeps a pointer it was given.
 */
#ifndef PMIF_PERIOD_H
#define PMIF_PERIOD_H

#include <stddef.h>
#include <stdint.h>

/** First calendar year of the earliest supported financial year (1990-91). */
#define PMIF_PERIOD_YEAR_MIN 1990
/** First calendar year of the latest supported financial year (2199-00). */
#define PMIF_PERIOD_YEAR_MAX 2199

/** Buffer size for pmif_period_format(), including the NUL. */
#define PMIF_PERIOD_STRLEN 12

/** A message buffer of this size always holds a whole pmif_period_parse() message. */
#define PMIF_PERIOD_MSGLEN 256

enum pmif_period_kind {
	PMIF_PERIOD_YEAR = 1,
	PMIF_PERIOD_HALF = 2,
	PMIF_PERIOD_QUARTER = 3,
};

/**
 * One reporting period.  A period is valid when year is in
 * [PMIF_PERIOD_YEAR_MIN, PMIF_PERIOD_YEAR_MAX], kind is a pmif_period_kind,
 * and index is 0 for a year, 1-2 for a half, 1-4 for a quarter.
 */
struct pmif_period {
	uint16_t year; /* first calendar year of the financial year: 2021 for 2021-22 */
	uint8_t kind;  /* enum pmif_period_kind */
	uint8_t index; /* 0 for a year, 1-2 for a half, 1-4 for a quarter */
};

/**
 * Is @p p a valid period (see struct pmif_period)?
 *
 * @return 1 if valid, 0 if not or if @p p is NULL.
 */
int pmif_period_valid(const struct pmif_period *p);

/**
 * Parse the text form of a period: "YYYY-YY", "YYYY-YY-H1", "YYYY-YY-H2" or
 * "YYYY-YY-Q1" to "YYYY-YY-Q4".  The match is exact: no surrounding spaces,
 * uppercase H and Q only, the second year must be the first plus one modulo
 * 100 ("1999-00" is valid, "2021-23" is not) and the first year must be in
 * the supported range.
 *
 * @param s      NUL-terminated text; may be NULL (refused).  Not kept.
 * @param out    written only on success; must not be NULL (PMIF_EINVAL,
 *               with no message: that is a programming error, not bad text).
 * @param msg    if not NULL and @p msgcap > 0, receives on failure one
 *               NUL-terminated sentence saying what is wrong and naming the
 *               expected forms, e.g. "'2021-23' is not a period: the second
 *               year must follow the first (e.g. 2021-22); use YYYY-YY,
 *               YYYY-YY-H1/H2 or YYYY-YY-Q1..Q4".  Truncated to fit
 *               (PMIF_PERIOD_MSGLEN is always enough).  Untouched on success.
 *               Unprintable bytes of @p s are shown as '?' and long input is
 *               shortened, so the message is safe to print or log.
 * @param msgcap size of @p msg in bytes.
 * @return 0, or PMIF_EINVAL if @p s is NULL or not a period, or @p out is NULL.
 */
int pmif_period_parse(const char *s, struct pmif_period *out, char *msg, size_t msgcap);

/**
 * Write the canonical text form of @p p ("2021-22", "2021-22-H1",
 * "2021-22-Q4") into @p buf, always NUL-terminated.  If @p p is NULL or not
 * valid, writes "invalid".  Does nothing if @p buf is NULL.
 */
void pmif_period_format(const struct pmif_period *p, char buf[PMIF_PERIOD_STRLEN]);

/**
 * Total order on periods: earlier start date first; at the same start date
 * the longer period first (year, then half, then quarter).  Equal only when
 * year, kind and index are all equal.  Invalid periods (and NULL) sort
 * before every valid period and compare equal to one another.
 *
 * @return negative, 0 or positive as @p a is before, equal to or after @p b.
 */
int pmif_period_compare(const struct pmif_period *a, const struct pmif_period *b);

/**
 * A uint32 whose numeric order is pmif_period_compare() order, for use as
 * (part of) an LMDB key: store it big-endian and byte order equals numeric
 * order.  Layout: year << 16 | start quarter within the year (0-3) << 8 |
 * kind.  For example 2021-22-Q3 is 0x07E50203.  Invalid periods give 0,
 * which no valid period uses.
 */
uint32_t pmif_period_key(const struct pmif_period *p);

/**
 * Decode a key made by pmif_period_key().
 *
 * @param out written only on success.
 * @return 0, or PMIF_EINVAL if @p key is not the key of a valid period.
 */
int pmif_period_from_key(uint32_t key, struct pmif_period *out);

/**
 * Move @p n periods of the same kind forward (n > 0) or back (n < 0):
 * 2021-22-Q1 plus -1 is 2020-21-Q4; 2021-22-H2 plus 1 is 2022-23-H1.
 *
 * @param out written only on success; may alias @p p.
 * @return 0, or PMIF_EINVAL if @p p is invalid or the result is outside the
 *         supported years.
 */
int pmif_period_add(const struct pmif_period *p, int32_t n, struct pmif_period *out);

/**
 * The period of the same kind just before @p p (Q1 -> previous year's Q4,
 * H1 -> previous year's H2, year -> previous year).
 *
 * @param out written only on success; may alias @p p.
 * @return 0, or PMIF_EINVAL if @p p is invalid or is the first supported.
 */
int pmif_period_previous(const struct pmif_period *p, struct pmif_period *out);

/**
 * The period of the same kind just after @p p (Q4 -> next year's Q1, ...).
 *
 * @param out written only on success; may alias @p p.
 * @return 0, or PMIF_EINVAL if @p p is invalid or is the last supported.
 */
int pmif_period_next(const struct pmif_period *p, struct pmif_period *out);

/**
 * The same period one financial year earlier (2021-22-Q3 -> 2020-21-Q3),
 * for year-on-year comparisons.
 *
 * @param out written only on success; may alias @p p.
 * @return 0, or PMIF_EINVAL if @p p is invalid or in the first supported year.
 */
int pmif_period_same_last_year(const struct pmif_period *p, struct pmif_period *out);

/**
 * The period of @p kind that contains @p p: quarter -> half -> year.
 * Asking for @p p's own kind gives @p p itself.
 *
 * @param out written only on success; may alias @p p.
 * @return 0, or PMIF_EINVAL if @p p is invalid, @p kind is not a
 *         pmif_period_kind, or @p kind is shorter than @p p (a year has no
 *         single parent quarter).
 */
int pmif_period_parent(const struct pmif_period *p, enum pmif_period_kind kind,
                       struct pmif_period *out);

/**
 * The longer periods that @p p completes: those that contain @p p and end
 * on the day it ends, shortest first.  This is what signing off @p p rolls
 * into: 2021-22-Q2 completes 2021-22-H1; 2021-22-Q4 completes 2021-22-H2
 * and 2021-22; 2021-22-H2 completes 2021-22.  Q1, Q3, H1 and a year
 * complete nothing (*n is 0).
 *
 * @param out room for two periods; written only on success.
 * @param n   written only on success: how many of @p out were filled.
 * @return 0, or PMIF_EINVAL if @p p is invalid or @p out or @p n is NULL.
 */
int pmif_period_completes(const struct pmif_period *p, struct pmif_period out[2], size_t *n);

/**
 * Does @p outer cover every day of @p inner?  A period contains itself.
 *
 * @return 1 if so; 0 if not, or if either period is NULL or invalid.
 */
int pmif_period_contains(const struct pmif_period *outer, const struct pmif_period *inner);

/**
 * The first and last calendar days of @p p, inclusive: 2021-22-Q4 is
 * 2022-01-01 to 2022-03-31.  Months are 1-12, days 1-31.  Any out pointer
 * may be NULL.  If @p p is NULL or invalid, every non-NULL out is set to 0.
 */
void pmif_period_dates(const struct pmif_period *p, int *start_y, int *start_m, int *start_d,
                       int *end_y, int *end_m, int *end_d);

/**
 * The period of @p kind that the calendar date y-m-d falls in:
 * 2022-03-31 is in 2021-22-Q4, 2022-04-01 in 2022-23-Q1.
 *
 * @param out written only on success.
 * @return 0, or PMIF_EINVAL if the date does not exist (2023-02-29),
 *         @p kind is not a pmif_period_kind, or the date is outside the
 *         supported years (before 1990-04-01 or after 2200-03-31).
 */
int pmif_period_of_date(int y, int m, int d, enum pmif_period_kind kind, struct pmif_period *out);

/**
 * Parse @p s, "YYYY-MM-DD" naming a real day within the supported years
 * (1990-04-01 to 2200-03-31), into *days since 1970-01-01 (day.h): what
 * due dates, meetings and comparator dates must be.  0, or PMIF_EINVAL
 * (*days untouched).
 */
int pmif_period_day_parse(const char *s, int32_t *days);

/**
 * Number of steps from @p from to @p to, both of the same kind: 0 if equal,
 * 11 from 2019-20-Q1 to 2021-22-Q4, negative if @p to is earlier.  When
 * @p to is not earlier, the number of periods from @p from to @p to
 * inclusive is *out + 1.
 *
 * @param out written only on success.
 * @return 0, or PMIF_EINVAL if either period is invalid or their kinds differ.
 */
int pmif_period_distance(const struct pmif_period *from, const struct pmif_period *to,
                         int32_t *out);

/**
 * Fill @p out with every period of @p first's kind from @p first to @p last
 * inclusive, in order, e.g. the last eight quarters for a trend report.
 *
 * @param out  caller's array of @p cap periods; untouched on failure.
 * @param n    written only on success: number of periods stored.
 * @return 0; PMIF_EINVAL if either period is invalid, the kinds differ or
 *         @p last is before @p first; PMIF_ETOOBIG if more than @p cap
 *         periods are in the range.
 */
int pmif_period_range(const struct pmif_period *first, const struct pmif_period *last,
                      struct pmif_period *out, size_t cap, size_t *n);

/**
 * "year", "half" or "quarter"; "unknown" for anything else.  Never NULL,
 * static storage.
 */
const char *pmif_period_kind_name(enum pmif_period_kind kind);

#endif
