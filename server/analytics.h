/*
 * analytics.h - the numbers members are shown: RAG, direction of travel,
 * statistical process control (XmR, NHS "Making Data Count") and 95%
 * confidence intervals for locality comparison.
 *
 * Everything here is a pure function on numbers: no I/O, no store, no
 * allocation, no global state, safe to call from any worker thread.  Every
 * function returns 0 or a negative PMIF_E* code (error.h) and writes its
 * out-parameters only on success.  Every number that comes in is checked:
 * NaN and infinities are PMIF_EINVAL, never a colour.
 *
 * Precision.  Several rules need "equal"; a measure is reported to a fixed
 * number of decimal places (0..ANALYTICS_MAX_DECIMALS), and two values are
 * taken as equal when they differ by less than half a unit in that last
 * place (0.05 for one decimal).  So a difference that cannot show in the
 * reported figure never turns a RAG amber or a direction "worsening".
 *
 * Strings returned by the *_label() functions are static, lowercase and
 * never NULL.
 */
#ifndef PMIF_ANALYTICS_H
#define PMIF_ANALYTICS_H

#include <stdbool.h>
#include <stddef.h>

/** Most decimal places a measure may be reported to. */
#define ANALYTICS_MAX_DECIMALS 6

/** Which way is good for a measure. */
enum analytics_polarity {
	ANALYTICS_POLARITY_NONE = 0, /* context measure: no good direction */
	ANALYTICS_POLARITY_HIGHER_BETTER = 1,
	ANALYTICS_POLARITY_LOWER_BETTER = 2,
};

/* ------------------------------------------------------------------ RAG */

enum analytics_rag {
	ANALYTICS_RAG_GREY = 0, /* no target, or a measure without polarity */
	ANALYTICS_RAG_RED = 1,
	ANALYTICS_RAG_AMBER = 2,
	ANALYTICS_RAG_GREEN = 3,
	ANALYTICS_RAG_NO_DATA = 4, /* no value for the period: missing, not grey */
};

/**
 * How a measure's values are rated.  The caller owns the struct and @c unit;
 * neither is kept after a call returns.
 *
 * @c unit is the measure's unit as it should read in the rule text.  "%" or
 * "percent" print as "85%" with the tolerance in points ("5 points"); "£"
 * prints as a prefix ("£250"); NULL, "", "count" and "score" print the bare
 * number; any other name follows the number ("9.5 days", "4.1 per 1,000").
 */
struct analytics_rag_rule {
	enum analytics_polarity polarity;
	bool has_target;
	double target;    /* ignored unless has_target; then finite */
	double tolerance; /* amber band width in the measure's units: finite, >= 0 */
	int decimals;     /* 0..ANALYTICS_MAX_DECIMALS: the measure's precision */
	const char *unit; /* may be NULL */
};

/**
 * Rate @p value against @p rule.
 *
 * Let "shortfall" be how far @p value is on the worse side of the target
 * (target - value when higher is better, value - target when lower is
 * better; negative when better), and h half a unit in the last decimal place
 * (see the file comment).  Then:
 *   - GREEN  when shortfall < h: on target or better;
 *   - AMBER  when h <= shortfall < tolerance + h: worse, but within the
 *            tolerance, the tolerance itself included;
 *   - RED    when shortfall >= tolerance + h: beyond the tolerance;
 *   - GREY   when the rule has no target, or the polarity is NONE.
 * With tolerance 0 there is no amber band: anything worse than target is red.
 *
 * @return 0, with *@p out set; PMIF_EINVAL if @p rule or @p out is NULL,
 *         @p value is not finite, or the rule is invalid (unknown polarity,
 *         decimals out of range, tolerance negative or not finite, a target
 *         that is not finite).
 */
int analytics_rag(const struct analytics_rag_rule *rule, double value, enum analytics_rag *out);

/**
 * The RAG of a measure for a period: NO_DATA when it has no value there
 * (@p has_value false; @p value is then ignored), otherwise
 * analytics_rag().  A missing value is never GREY: grey says a value has
 * nothing to be judged against, no data says there is no value at all.
 *
 * @return 0, with *@p out set; PMIF_EINVAL as analytics_rag() (the rule is
 *         checked even when there is no value).
 */
int analytics_rag_period(const struct analytics_rag_rule *rule, bool has_value, double value,
                         enum analytics_rag *out);

/** Buffer size for analytics_rag_rule_text(); see there. */
#define ANALYTICS_RULE_TEXT_LEN 192

/**
 * Write @p rule in words into @p buf (NUL-terminated), for example
 * "target 85%, amber within 5 points below, higher is better",
 * "target 9.5 days, amber within 0.5 days above, lower is better",
 * "target 12, no amber band, higher is better",
 * "no target set: shown grey", or "context measure: no polarity, no RAG".
 * Numbers are printed to the rule's decimals without trailing zeros.
 *
 * @param buf  caller's buffer; ANALYTICS_RULE_TEXT_LEN bytes hold every rule
 *             whose numbers are below 10^12 and whose unit name is at most
 *             32 bytes.
 * @return 0; PMIF_EINVAL for a NULL @p rule or @p buf, @p len 0 or an invalid
 *         rule (as analytics_rag()); PMIF_ETOOBIG when the text does not fit,
 *         in which case @p buf holds the empty string.
 */
int analytics_rag_rule_text(const struct analytics_rag_rule *rule, char *buf, size_t len);

/** "grey", "red", "amber", "green", "no data"; "unknown" for anything else. */
const char *analytics_rag_label(enum analytics_rag rag);

/* ---------------------------------------------------- direction of travel */

/**
 * Direction of travel.  With a polarity the direction is judged; without
 * one (a context measure) it is only described, as HIGHER or LOWER.
 */
enum analytics_direction {
	ANALYTICS_DIRECTION_NOT_COMPARABLE = 0, /* no comparator value */
	ANALYTICS_DIRECTION_IMPROVING = 1,
	ANALYTICS_DIRECTION_WORSENING = 2,
	ANALYTICS_DIRECTION_NO_CHANGE = 3, /* any polarity, NONE included */
	ANALYTICS_DIRECTION_HIGHER = 4,    /* polarity NONE only */
	ANALYTICS_DIRECTION_LOWER = 5,     /* polarity NONE only */
};

/**
 * Compare @p current with a comparator (the previous period, or the same
 * period last year: the caller chooses).  Values less than half a unit in
 * the last of @p decimals places apart are NO_CHANGE; otherwise a rise is
 * IMPROVING when higher is better, WORSENING when lower is better, HIGHER
 * when the measure has no polarity (and a fall the reverse).
 *
 * @param has_comparator  false when there is no comparator value: the result
 *                        is NOT_COMPARABLE and @p comparator is ignored.
 * @return 0, with *@p out set; PMIF_EINVAL if @p out is NULL, @p current (or
 *         @p comparator when present) is not finite, @p polarity is unknown or
 *         @p decimals is outside 0..ANALYTICS_MAX_DECIMALS.
 */
int analytics_direction(double current, bool has_comparator, double comparator,
                        enum analytics_polarity polarity, int decimals,
                        enum analytics_direction *out);

/** "not comparable", "improving", "worsening", "no change", "higher",
 *  "lower"; "unknown" for anything else. */
const char *analytics_direction_label(enum analytics_direction dir);

/* ------------------------------------------ statistical process control */

/** Fewest points from which XmR limits are computed (fixed, not an option). */
#define ANALYTICS_SPC_MIN_POINTS 12
/** Most points one call accepts: far beyond any measure's history. */
#define ANALYTICS_SPC_MAX_POINTS 1000000
/** Shift: this many or more consecutive points on one side of the mean. */
#define ANALYTICS_SPC_RUN_POINTS 7
/** Trend: this many or more consecutive points each strictly above (or each
 *  strictly below) the one before. */
#define ANALYTICS_SPC_TREND_POINTS 6
/** Process limits are mean +/- 2.66 mR-bar (three sigma, sigma = mR-bar/1.128). */
#define ANALYTICS_SPC_LIMIT_FACTOR 2.66
/** Two-sigma lines are mean +/- (2/3)(2.66) mR-bar = mean +/- 1.7733 mR-bar. */
#define ANALYTICS_SPC_TWO_SIGMA_FACTOR (ANALYTICS_SPC_LIMIT_FACTOR * 2.0 / 3.0)

/** The special-cause rules, as bits of analytics_spc_point.high and .low. */
enum analytics_spc_rule {
	ANALYTICS_SPC_BEYOND_LIMITS = 1u << 0, /* above the UPL or below the LPL */
	ANALYTICS_SPC_RUN = 1u << 1,           /* part of a run of 7+ on one side */
	ANALYTICS_SPC_TREND = 1u << 2,         /* part of 6+ rising or falling */
	ANALYTICS_SPC_TWO_OF_THREE = 1u << 3,  /* 2 of 3 beyond a two-sigma line */
};

/** What the variation at a point says, given the measure's polarity. */
enum analytics_variation {
	ANALYTICS_VARIATION_NOT_ASSESSED = 0, /* fewer than 12 points */
	ANALYTICS_VARIATION_COMMON_CAUSE = 1,
	ANALYTICS_VARIATION_IMPROVEMENT = 2,  /* special cause, on the good side */
	ANALYTICS_VARIATION_CONCERN = 3,      /* special cause, on the bad side */
	ANALYTICS_VARIATION_NEUTRAL_HIGH = 4, /* special cause, high; polarity NONE */
	ANALYTICS_VARIATION_NEUTRAL_LOW = 5,  /* special cause, low; polarity NONE */
};

/** Whether the process can be relied on to meet its target. */
enum analytics_assurance {
	ANALYTICS_ASSURANCE_NOT_ASSESSED = 0, /* fewer than 12 points */
	ANALYTICS_ASSURANCE_NO_TARGET = 1,
	ANALYTICS_ASSURANCE_NO_POLARITY = 2,
	ANALYTICS_ASSURANCE_HIT_AND_MISS = 3,    /* LPL <= target <= UPL */
	ANALYTICS_ASSURANCE_CONSISTENT_PASS = 4, /* both limits on the good side */
	ANALYTICS_ASSURANCE_CONSISTENT_FAIL = 5, /* both limits on the bad side */
};

/** One point of an XmR chart. */
struct analytics_spc_point {
	unsigned high; /* analytics_spc_rule bits flagging the point on the high side */
	unsigned low;  /* ... and on the low side */
	enum analytics_variation variation;
};

/** An XmR chart summary.  When insufficient, the numbers are all 0 and the
 *  variation is NOT_ASSESSED. */
struct analytics_spc {
	size_t n;
	bool insufficient; /* n < ANALYTICS_SPC_MIN_POINTS: limits not computed */
	double mean;
	double mr_bar;                      /* mean moving range: average |x[i] - x[i-1]| */
	double upl, lpl;                    /* mean +/- 2.66 mr_bar */
	double upper_2sigma, lower_2sigma;  /* mean +/- 1.7733 mr_bar */
	enum analytics_variation variation; /* of the latest point, values[n-1] */
	enum analytics_assurance assurance;
};

/**
 * XmR chart of @p values (chronological, oldest first), following the NHS
 * "Making Data Count" rules.
 *
 * Baseline: the mean and limits come from all @p n points; the caller picks
 * the window (for instance, the periods since a process change).  Fewer than
 * ANALYTICS_SPC_MIN_POINTS (12) points: the result is flagged insufficient
 * ("fewer than 12 points: limits not computed"), every point is
 * NOT_ASSESSED and no rule is tested; that is a success, not an error.
 *
 * Rules (each flags the points that make it up, on a side):
 *   - beyond limits: x > UPL (high) or x < LPL (low); a point exactly on a
 *     limit is inside;
 *   - run: 7 or more consecutive points all above (high) or all below (low)
 *     the mean.  A point on the mean belongs to neither side and breaks the
 *     run;
 *   - trend: 6 or more consecutive points each strictly higher (high) or
 *     strictly lower (low) than the one before.  An equal neighbour breaks
 *     the trend, as in the NHS-R NHSRplotthedots implementation, which takes
 *     the sign of each difference (0 for equal points);
 *   - two of three: 3 consecutive points all on the same side of the mean,
 *     at least 2 of them beyond the two-sigma line on that side; only the
 *     points beyond the line are flagged (as in the Making Data Count single
 *     chart tool).  A point beyond a process limit is beyond the two-sigma
 *     line too, so it counts.
 *
 * "On" a computed line (mean, limit, two-sigma line) allows for rounding in
 * computing it: within a billionth of the series' mean absolute value, far
 * below any difference a measure reports.  This applies to the target in
 * the assurance test too.
 *
 * Variation of a flagged point: high is IMPROVEMENT when higher is better,
 * CONCERN when lower is better, NEUTRAL_HIGH with no polarity (low the
 * reverse); unflagged points are COMMON_CAUSE.  A point flagged on both
 * sides (say, the end of a run below the mean that is also the end of a
 * rising trend) is IMPROVEMENT, as in the Making Data Count single chart
 * tool; with no polarity it takes the side it lies on relative to the mean
 * (high when on it).  The high and low bits keep both signals for reports.
 *
 * Assurance needs a polarity, a target and 12 points (checked in that order:
 * NO_POLARITY, NO_TARGET, NOT_ASSESSED).  Then a target between LPL and
 * UPL inclusive is HIT_AND_MISS; higher is better: target < LPL is
 * CONSISTENT_PASS and target > UPL CONSISTENT_FAIL; lower is better: target
 * > UPL is CONSISTENT_PASS and target < LPL CONSISTENT_FAIL.
 *
 * @param values  @p n finite numbers; may be NULL when @p n is 0.
 * @param points  caller's array of @p n elements, one per value, filled in
 *                on success; may be NULL when @p n is 0.
 * @param target  ignored unless @p has_target; then finite.
 * @return 0, with *@p out and @p points filled in; PMIF_EINVAL for a NULL
 *         @p out (or NULL arrays with n > 0), a value or target that is not
 *         finite, an unknown polarity, or values so large that the mean or
 *         limits overflow; PMIF_ETOOBIG when @p n > ANALYTICS_SPC_MAX_POINTS
 *         (a negative count converted to size_t lands here).
 */
int analytics_spc(const double *values, size_t n, enum analytics_polarity polarity, bool has_target,
                  double target, struct analytics_spc *out, struct analytics_spc_point *points);

/** "beyond the process limits", "run of 7 or more on one side of the mean",
 *  "6 or more rising or falling", "2 of 3 beyond two sigma"; @p rule is one
 *  bit; "unknown" for anything else. */
const char *analytics_spc_rule_label(enum analytics_spc_rule rule);

/** e.g. "special cause variation: concern", "common cause variation",
 *  "fewer than 12 points: limits not computed"; "unknown" otherwise. */
const char *analytics_variation_label(enum analytics_variation var);

/** e.g. "may or may not meet the target (hit and miss)", "will consistently
 *  meet the target", "no target: no assurance"; "unknown" otherwise. */
const char *analytics_assurance_label(enum analytics_assurance a);

/* --------------------------------------------------- confidence intervals */

/** The standard normal quantile for a two-sided 95% interval. */
#define ANALYTICS_Z95 1.959964

/** A confidence interval, lower <= upper. */
struct analytics_ci {
	double lower;
	double upper;
};

/**
 * 95% Wilson score interval for the proportion @p x / @p n, as proportions
 * in 0..1 (multiply by 100 for a percentage):
 *   (p + z^2/2n -/+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n),  p = x/n.
 * Counts need not be whole numbers (weighted counts are allowed).
 *
 * @return 0, with *@p out set; PMIF_EINVAL if @p out is NULL, either count
 *         is not finite, @p x < 0, @p n <= 0, @p x > @p n, or @p n is so
 *         small (below about 1e-300) that z^2/n overflows.
 */
int analytics_wilson(double x, double n, struct analytics_ci *out);

/**
 * 95% interval for an observed Poisson count @p observed by Byar's method
 * (Breslow and Day 1987, as in the Public Health England "Technical Guide:
 * Confidence intervals"):
 *   lower = O (1 - 1/(9O) - z/(3 sqrt O))^3,          0 when O = 0,
 *   upper = (O+1) (1 - 1/(9(O+1)) + z/(3 sqrt(O+1)))^3.
 * A lower bound below 0 (possible only for 0 < O < 1) is reported as 0.
 *
 * @return 0, with *@p out set; PMIF_EINVAL if @p out is NULL or @p observed is
 *         negative or not finite.
 */
int analytics_byar(double observed, struct analytics_ci *out);

/**
 * 95% interval for a rate per @p per (e.g. 1000) of @p observed events in a
 * population @p denominator: per * analytics_byar() bound / denominator.
 *
 * @return 0, with *@p out set; PMIF_EINVAL as analytics_byar(), or if
 *         @p denominator or @p per is not finite and positive, or the rate
 *         overflows.
 */
int analytics_byar_rate(double observed, double denominator, double per, struct analytics_ci *out);

/** A locality's value against the borough's. */
enum analytics_comparison {
	ANALYTICS_COMPARISON_SIMILAR = 0,
	ANALYTICS_COMPARISON_BETTER = 1, /* significantly better */
	ANALYTICS_COMPARISON_WORSE = 2,  /* significantly worse */
	ANALYTICS_COMPARISON_HIGHER = 3, /* significantly higher; polarity NONE */
	ANALYTICS_COMPARISON_LOWER = 4,  /* significantly lower; polarity NONE */
};

/**
 * Compare a locality's 95% interval @p ci with the borough's point value
 * @p benchmark, as Public Health England's Fingertips compares an area with
 * its benchmark: significantly higher when ci->lower > benchmark, lower when
 * ci->upper < benchmark, similar otherwise (an interval that touches the
 * benchmark is similar).  Higher is then BETTER or WORSE by @p polarity, or
 * HIGHER with no polarity (lower the reverse).
 *
 * @return 0, with *@p out set; PMIF_EINVAL if @p ci or @p out is NULL, a bound
 *         or @p benchmark is not finite, ci->lower > ci->upper, or the
 *         polarity is unknown.
 */
int analytics_compare_benchmark(const struct analytics_ci *ci, double benchmark,
                                enum analytics_polarity polarity, enum analytics_comparison *out);

/** "similar", "significantly better", "significantly worse", "significantly
 *  higher", "significantly lower"; "unknown" for anything else. */
const char *analytics_comparison_label(enum analytics_comparison cmp);

#endif
