/*
 * validate.h - the rules a submitted value must meet, and the warnings it
 * earns, as pure functions on numbers (no store, no I/O).
 *
 * Refusals (validate_value() returns PMIF_EINVAL with one sentence naming
 * the field and the rule):
 *   - value, numerator, denominator must be finite numbers;
 *   - percent: 0 to 100; count: a whole number, not negative; days and
 *     rates: not negative;
 *   - numerator and denominator come together; the denominator is above 0,
 *     the numerator not negative; for a percent the numerator is at most
 *     the denominator; for percent and rate_per_1000 the value must equal
 *     100 (or 1000) x numerator / denominator to the measure's decimals;
 *   - a value rated red against its target, or that makes the series show
 *     special-cause concern, needs a note saying why.
 * Warnings (accepted, reported back):
 *   - far outside the measure's history: beyond twice the distance of the
 *     XmR process limits from the mean (or, with fewer than 12 points of
 *     history, more than 10 times the largest or less than a tenth of the
 *     smallest value seen);
 *   - orders of magnitude away from the target (10 times or more, either
 *     way): the classic keying error of a unit or a misplaced decimal point.
 */
#ifndef PMIF_VALIDATE_H
#define PMIF_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "analytics.h"

enum validate_unit {
	VALIDATE_COUNT,
	VALIDATE_PERCENT,
	VALIDATE_RATE_PER_1000,
	VALIDATE_DAYS,
	VALIDATE_GBP,
	VALIDATE_SCORE,
};

/** What validation needs to know about a measure and its past values. */
struct validate_measure {
	const char *id; /* for messages */
	enum validate_unit unit;
	enum analytics_polarity polarity;
	int decimals;    /* 0..ANALYTICS_MAX_DECIMALS */
	bool has_target; /* a target for the value's year */
	double target;
	double tolerance;
	const double *history; /* earlier values of the series, oldest first */
	size_t n_history;
};

/** A submitted value. */
struct validate_input {
	double value;
	bool has_numerator;
	double numerator;
	bool has_denominator;
	double denominator;
	const char *note; /* may be NULL or empty */
};

#define VALIDATE_MSG_LEN      320
#define VALIDATE_MAX_WARNINGS 4

struct validate_result {
	char error[VALIDATE_MSG_LEN]; /* set when refused */
	char warnings[VALIDATE_MAX_WARNINGS][VALIDATE_MSG_LEN];
	size_t n_warnings;
	enum analytics_rag rag;             /* of the value */
	enum analytics_variation variation; /* of the value as the latest point */
};

/**
 * Check @p in for measure @p m.  Returns 0 (accepted; warnings may be set)
 * or PMIF_EINVAL (refused; out->error says why).  @p out is always filled.
 */
int validate_value(const struct validate_measure *m, const struct validate_input *in,
                   struct validate_result *out);

/** The unit's name as the framework file writes it ("rate_per_1000"), and back. */
const char *validate_unit_name(enum validate_unit u);
int validate_unit_parse(const char *s, enum validate_unit *out);

/** How the unit reads in sentences and rule texts ("%", "days", "£"). */
const char *validate_unit_text(enum validate_unit u);

#endif
