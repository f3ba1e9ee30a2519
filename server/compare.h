/*
 * compare.h - where this council stands among similar councils: rank and
 * quartile among a comparator set (LG Inform / CIPFA nearest neighbours
 * style), and the words a member reads for it.
 *
 * Pure functions on numbers, like analytics.h: no I/O, no store, no
 * allocation, no global state.  Each returns 0 or a negative PMIF_E* code
 * and writes its out-parameters only on success; NaN and infinities are
 * PMIF_EINVAL.
 *
 * The rules, so that every report says the same:
 *   - Rank 1 is the best: the highest value when higher is better, the
 *     lowest when lower is better; for a measure with no polarity (a
 *     context measure) rank 1 is simply the highest, and nothing is
 *     called better or worse.
 *   - Ties share the better rank (standard competition ranking: 1, 2, 2,
 *     4).  Two values tie when they differ by less than half a unit in the
 *     measure's last decimal place (analytics.h), so a difference that
 *     cannot show in the reported figure never moves a rank.
 *   - The quartile is the quarter of the ranking the rank falls in:
 *     ceil(4 * rank / of), so with 16 councils ranks 1-4 are the top
 *     quartile (1) and 13-16 the bottom (4).
 *   - Fewer than COMPARE_MIN_OTHERS other councils give no rank at all
 *     (COMPARE_TOO_FEW): a quartile of three is not a quartile.
 */
#ifndef PMIF_COMPARE_H
#define PMIF_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analytics.h"

/** Fewest other councils a rank is given among. */
#define COMPARE_MIN_OTHERS 3

enum compare_status {
	COMPARE_RANKED = 1,
	COMPARE_TOO_FEW = 2,
	COMPARE_NO_POLARITY = 4, /* ranked by value (1 = highest), not judged */
};

struct compare_result {
	enum compare_status status;
	uint32_t rank;     /* 1.. of; 0 when too few */
	uint32_t of;       /* councils ranked, this one included */
	uint32_t quartile; /* 1..4; 0 when too few */
};

/**
 * The competition ranks of the @p n values @p v (rank 1 best, as the file
 * comment says), into @p ranks (n of them, in the order of @p v).
 * @p decimals is the measure's precision (0..ANALYTICS_MAX_DECIMALS).
 * PMIF_EINVAL for a NULL array with n > 0, a non-finite value, an unknown
 * polarity or decimals out of range.
 */
int compare_ranks(const double *v, size_t n, enum analytics_polarity pol, int decimals,
                  uint32_t *ranks);

/** The quartile of @p rank among @p of (1..4), or 0 when rank is 0, of is
 *  0 or rank > of. */
uint32_t compare_quartile(uint32_t rank, uint32_t of);

/**
 * Where @p ours stands among the @p n other councils' values @p others:
 * rank and quartile, or COMPARE_TOO_FEW (rank and quartile 0, @c of still
 * n + 1) when n < COMPARE_MIN_OTHERS.  Errors as compare_ranks().
 */
int compare_position(double ours, const double *others, size_t n, enum analytics_polarity pol,
                     int decimals, struct compare_result *out);

/** "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st"... into
 *  @p buf (at least 16 bytes); returns @p buf. */
char *compare_ordinal(char *buf, size_t cap, uint32_t n);

/** "top quartile", "second quartile", "third quartile", "bottom quartile"
 *  (for no polarity: "highest quartile" ... "lowest quartile"); "" for 0.
 *  Static. */
const char *compare_quartile_word(uint32_t quartile, enum analytics_polarity pol);

/**
 * The sentence a member reads, into @p buf:
 *   "3rd of 16 similar councils, top quartile (higher is better)"
 *   "3rd highest of 16 similar councils, highest quartile (no better or worse: a context measure)"
 *   "not ranked: only 2 other councils to compare with (at least 3 are needed)"
 * Returns 0, or PMIF_EINVAL for a NULL argument.  Truncates to @p cap.
 */
int compare_label(char *buf, size_t cap, const struct compare_result *r,
                  enum analytics_polarity pol);

/** "3/16 Q1" (or "3/16" with no polarity, "too few"), for a column. */
int compare_short_label(char *buf, size_t cap, const struct compare_result *r);

#endif
