/*
 * locality_rules.h - pure rules about a measure's localities and its
 * borough, on numbers only (no store, no I/O):
 *
 *   - the keying check: the localities' numerators and denominators (or,
 *     for a count, their values) add up to the borough's, so a borough
 *     figure that disagrees with the sum of its parts, or a locality
 *     figure that makes the sum disagree with the borough's, was probably
 *     keyed wrongly; that earns a warning (accepted, reported back, like
 *     validate.c's keying-error warnings), never a refusal;
 *   - how a locality exception is said in words: red there, or
 *     significantly worse than the borough, naming the locality, its value,
 *     its 95% interval and the borough's value.
 */
#ifndef PMIF_LOCALITY_RULES_H
#define PMIF_LOCALITY_RULES_H

#include <stdbool.h>
#include <stddef.h>

/* One area's figure for (measure, period). */
struct locality_part {
	const char *name; /* for messages ("Birtley"); NULL: unnamed */
	bool has_value;
	double value;
	bool has_fraction; /* numerator and denominator given */
	double numerator, denominator;
};

/* What the keying check compares. */
struct locality_sum_input {
	const char *measure;  /* id, for messages */
	const char *period;   /* text, for messages */
	bool count;           /* a count: the values themselves add up */
	bool borough_entered; /* the figure just entered is the borough's (else a locality's) */
	struct locality_part borough;
	const struct locality_part *parts; /* every active locality but the borough */
	size_t n_parts;
};

/* Parts that may differ from the whole before it counts as a disagreement:
 * the figures are whole numbers of people or events, so anything from
 * one up is a real difference and less is rounding. */
#define LOCALITY_SUM_SLACK 0.5

#define LOCALITY_MSG_LEN      480
#define LOCALITY_MAX_WARNINGS 3

struct locality_sum_result {
	char warnings[LOCALITY_MAX_WARNINGS][LOCALITY_MSG_LEN];
	size_t n_warnings;
};

/**
 * Compare the borough's figures with the sum of the localities'.  Checked
 * only when the borough has a value and every locality has one: a sum of
 * some of the localities says nothing yet.  Numerators and denominators
 * are compared when the borough and every locality have both; a count's
 * values are compared when @p in->count.  Each disagreement adds one
 * sentence to @p out (which is always filled) naming the measure, the
 * period, the sum with each locality's part, the borough's figure and
 * what to do.  Returns 0, or PMIF_EINVAL when @p in or @p out is NULL or
 * a figure is not finite (then nothing is compared).
 */
int locality_sum_check(const struct locality_sum_input *in, struct locality_sum_result *out);

/**
 * @p v as a sentence shows it: to @p decimals places (0..6), trailing
 * zeros kept, thousands separated by commas, with @p unit ("%" and "£"
 * joined, other words after a space; NULL or "" none): "1,234", "52.0%",
 * "12.5 per 1,000", "£1,250".  Returns @p buf.
 */
char *locality_number_text(char *buf, size_t cap, double v, int decimals, const char *unit);

/**
 * A locality's name as a sentence says it: up to its first " (" (the
 * places it takes in), "Birtley & South" for "Birtley & South (Birtley,
 * Lamesley, Wrekenton)"; the whole name when there is none, "" for NULL.
 * Into @p buf; returns @p buf.
 */
char *locality_short_name(char *buf, size_t cap, const char *name);

/* What a locality exception is about. */
struct locality_exception {
	const char *locality; /* its name */
	const char *unit;     /* as locality_number_text takes it */
	int decimals;
	double value;
	bool red;
	const char *rag_rule; /* the RAG rule in words, for "red"; may be NULL */
	bool worse;           /* significantly worse than the borough */
	double lower, upper;  /* the 95% interval, for "worse" */
	const char *method;   /* "Wilson score", "Byar"; may be NULL */
	double borough;       /* the borough's value, for "worse" */
};

/**
 * The reason for a red locality value, "red in Birtley: 38.0% (target
 * 45%, amber within 5 points below, higher is better)", into @p buf.
 * Returns 0, or PMIF_EINVAL when the exception is not red.
 */
int locality_red_reason(const struct locality_exception *e, char *buf, size_t cap);

/**
 * The reason for a locality significantly worse than the borough,
 * "significantly worse than the borough in Birtley: 38.0% (95% interval
 * 35.1% to 41.0%, Wilson score) against the borough's 52.0%", into
 * @p buf.  Returns 0, or PMIF_EINVAL when the exception is not "worse".
 */
int locality_worse_reason(const struct locality_exception *e, char *buf, size_t cap);

#endif
