/*
 * analytics.c - RAG, direction of travel, XmR statistical process control and
 * confidence intervals: the arithmetic behind every scorecard, exception
 * report and locality comparison the server sends.
 *
 * Pure functions on numbers (see analytics.h for each contract).  The rules
 * are written so that a member can be told them in one sentence, and the
 * edge cases (on target, exactly at tolerance, a point on the mean, equal
 * neighbours in a trend, a target on a process limit, an interval touching
 * the benchmark) are decided here once, in documented ways, rather than by
 * whichever comparison a caller happens to write.  Inputs are validated
 * before any out-parameter is touched, so a failure writes nothing.
 *
 * Sources for the conventions: NHS England / NHS Improvement "Making Data
 * Count" (XmR with 2.66 mR-bar limits and four special-cause rules); the NHS-R community's
 * NHSRplotthedots package, an open implementation of it (R/ptd_spc_standard.R: limits and the 2/3
 * * 2.66 two-sigma lines; R/ptd_calculate_point_type.R: points on the mean and equal neighbours
 * break runs and trends; R/ptd_calculate_assurance_type.R: assurance from where the target lies
 * against the limits); its issue #194, where the Making Data Count team describe their single chart
 * tool (the two-of-three window on one side of the mean, only the points beyond two sigma
 * highlighted; improvement shown when a point signals both ways); Newcombe (1998), Statistics in
 * Medicine 17:857-872, for the Wilson score interval; the Public Health England "Technical Guide:
 * Confidence intervals" (2018) for Byar's method; and Public Health England's Fingertips for
 * comparing an area with a benchmark (the area's 95% interval against the benchmark's value).
 */
#include "analytics.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "error.h"

static bool polarity_valid(enum analytics_polarity p)
{
	return p == ANALYTICS_POLARITY_NONE || p == ANALYTICS_POLARITY_HIGHER_BETTER ||
	       p == ANALYTICS_POLARITY_LOWER_BETTER;
}

static bool decimals_valid(int decimals)
{
	return decimals >= 0 && decimals <= ANALYTICS_MAX_DECIMALS;
}

/* Half a unit in the last reported decimal place: differences smaller than
 * this do not show in the reported figure, so they are treated as none. */
static double half_unit(int decimals)
{
	return 0.5 * pow(10.0, -decimals);
}

/* ------------------------------------------------------------------ RAG */

static int rule_check(const struct analytics_rag_rule *rule)
{
	if (!rule || !polarity_valid(rule->polarity) || !decimals_valid(rule->decimals))
		return PMIF_EINVAL;
	if (!isfinite(rule->tolerance) || rule->tolerance < 0)
		return PMIF_EINVAL;
	if (rule->has_target && !isfinite(rule->target))
		return PMIF_EINVAL;
	return 0;
}

int analytics_rag(const struct analytics_rag_rule *rule, double value, enum analytics_rag *out)
{
	int rc = rule_check(rule);
	if (rc)
		return rc;
	if (!out || !isfinite(value))
		return PMIF_EINVAL;

	if (!rule->has_target || rule->polarity == ANALYTICS_POLARITY_NONE) {
		*out = ANALYTICS_RAG_GREY;
		return 0;
	}
	double shortfall = rule->polarity == ANALYTICS_POLARITY_HIGHER_BETTER
	                       ? rule->target - value
	                       : value - rule->target;
	double h = half_unit(rule->decimals);
	if (shortfall < h)
		*out = ANALYTICS_RAG_GREEN;
	else if (shortfall < rule->tolerance + h)
		*out = ANALYTICS_RAG_AMBER;
	else
		*out = ANALYTICS_RAG_RED;
	return 0;
}

int analytics_rag_period(const struct analytics_rag_rule *rule, bool has_value, double value,
                         enum analytics_rag *out)
{
	int rc = rule_check(rule);
	if (rc)
		return rc;
	if (!out)
		return PMIF_EINVAL;
	if (!has_value) {
		*out = ANALYTICS_RAG_NO_DATA;
		return 0;
	}
	return analytics_rag(rule, value, out);
}

enum unit_kind {
	UNIT_BARE,    /* "12" */
	UNIT_PERCENT, /* "85%", tolerance in points */
	UNIT_POUNDS,  /* "£250" */
	UNIT_NAMED,   /* "9.5 days" */
};

static enum unit_kind unit_classify(const char *unit)
{
	if (!unit || !*unit || !strcasecmp(unit, "count") || !strcasecmp(unit, "score"))
		return UNIT_BARE;
	if (!strcmp(unit, "%") || !strcasecmp(unit, "percent"))
		return UNIT_PERCENT;
	if (!strcmp(unit, "£"))
		return UNIT_POUNDS;
	return UNIT_NAMED;
}

/* @p v to @p decimals places, trailing zeros dropped: 85, 9.5, 0.25.  buf
 * must hold any finite double: 309 integer digits, sign, point, decimals. */
#define NUMBER_TEXT_LEN (320 + ANALYTICS_MAX_DECIMALS)
static void number_text(char *buf, double v, int decimals)
{
	snprintf(buf, NUMBER_TEXT_LEN, "%.*f", decimals, v);
	if (strchr(buf, '.')) {
		char *end = buf + strlen(buf) - 1;
		while (*end == '0')
			*end-- = '\0';
		if (*end == '.')
			*end = '\0';
	}
	if (!strcmp(buf, "-0"))
		strcpy(buf, "0");
}

/* The pieces around a number: prefix, separator and suffix. */
struct unit_text {
	const char *pre, *sep, *post;
};

static struct unit_text unit_text(enum unit_kind kind, const char *unit, bool tolerance,
                                  const char *number)
{
	struct unit_text t = {"", "", ""};
	switch (kind) {
	case UNIT_BARE: break;
	case UNIT_PERCENT:
		if (tolerance) {
			t.sep = " ";
			t.post = strcmp(number, "1") ? "points" : "point";
		} else {
			t.post = "%";
		}
		break;
	case UNIT_POUNDS: t.pre = "£"; break;
	case UNIT_NAMED:
		t.sep = " ";
		t.post = unit;
		break;
	}
	return t;
}

int analytics_rag_rule_text(const struct analytics_rag_rule *rule, char *buf, size_t len)
{
	int rc = rule_check(rule);
	if (rc)
		return rc;
	if (!buf || len == 0)
		return PMIF_EINVAL;

	int n;
	if (rule->polarity == ANALYTICS_POLARITY_NONE) {
		n = snprintf(buf, len, "context measure: no polarity, no RAG");
	} else if (!rule->has_target) {
		n = snprintf(buf, len, "no target set: shown grey");
	} else {
		bool higher = rule->polarity == ANALYTICS_POLARITY_HIGHER_BETTER;
		const char *good = higher ? "higher is better" : "lower is better";
		enum unit_kind kind = unit_classify(rule->unit);
		char target[NUMBER_TEXT_LEN], tol[NUMBER_TEXT_LEN];
		number_text(target, rule->target, rule->decimals);
		number_text(tol, rule->tolerance, rule->decimals);
		struct unit_text tu = unit_text(kind, rule->unit, false, target);
		struct unit_text ou = unit_text(kind, rule->unit, true, tol);

		if (rule->tolerance == 0)
			n = snprintf(buf, len, "target %s%s%s%s, no amber band, %s", tu.pre, target,
			             tu.sep, tu.post, good);
		else
			n = snprintf(buf, len, "target %s%s%s%s, amber within %s%s%s%s %s, %s",
			             tu.pre, target, tu.sep, tu.post, ou.pre, tol, ou.sep, ou.post,
			             higher ? "below" : "above", good);
	}
	if (n < 0 || (size_t)n >= len) {
		buf[0] = '\0';
		return PMIF_ETOOBIG;
	}
	return 0;
}

const char *analytics_rag_label(enum analytics_rag rag)
{
	switch (rag) {
	case ANALYTICS_RAG_GREY: return "grey";
	case ANALYTICS_RAG_RED: return "red";
	case ANALYTICS_RAG_AMBER: return "amber";
	case ANALYTICS_RAG_GREEN: return "green";
	case ANALYTICS_RAG_NO_DATA: return "no data";
	}
	return "unknown";
}

/* ---------------------------------------------------- direction of travel */

int analytics_direction(double current, bool has_comparator, double comparator,
                        enum analytics_polarity polarity, int decimals,
                        enum analytics_direction *out)
{
	if (!out || !isfinite(current) || !polarity_valid(polarity) || !decimals_valid(decimals))
		return PMIF_EINVAL;
	if (has_comparator && !isfinite(comparator))
		return PMIF_EINVAL;

	if (!has_comparator) {
		*out = ANALYTICS_DIRECTION_NOT_COMPARABLE;
		return 0;
	}
	double change = current - comparator;
	if (fabs(change) < half_unit(decimals)) {
		*out = ANALYTICS_DIRECTION_NO_CHANGE;
		return 0;
	}
	bool rose = change > 0;
	switch (polarity) {
	case ANALYTICS_POLARITY_HIGHER_BETTER:
		*out = rose ? ANALYTICS_DIRECTION_IMPROVING : ANALYTICS_DIRECTION_WORSENING;
		break;
	case ANALYTICS_POLARITY_LOWER_BETTER:
		*out = rose ? ANALYTICS_DIRECTION_WORSENING : ANALYTICS_DIRECTION_IMPROVING;
		break;
	case ANALYTICS_POLARITY_NONE:
		*out = rose ? ANALYTICS_DIRECTION_HIGHER : ANALYTICS_DIRECTION_LOWER;
		break;
	}
	return 0;
}

const char *analytics_direction_label(enum analytics_direction dir)
{
	switch (dir) {
	case ANALYTICS_DIRECTION_NOT_COMPARABLE: return "not comparable";
	case ANALYTICS_DIRECTION_IMPROVING: return "improving";
	case ANALYTICS_DIRECTION_WORSENING: return "worsening";
	case ANALYTICS_DIRECTION_NO_CHANGE: return "no change";
	case ANALYTICS_DIRECTION_HIGHER: return "higher";
	case ANALYTICS_DIRECTION_LOWER: return "lower";
	}
	return "unknown";
}

/* ------------------------------------------ statistical process control */

/* +1 above the centre line, -1 below, 0 on it (within @p tol). */
static int side_of(double x, double centre, double tol)
{
	if (x > centre + tol)
		return 1;
	if (x < centre - tol)
		return -1;
	return 0;
}

static void flag(struct analytics_spc_point *p, size_t from, size_t to, int side, unsigned rule)
{
	for (size_t k = from; k < to; k++) {
		if (side > 0)
			p[k].high |= rule;
		else
			p[k].low |= rule;
	}
}

/* Runs: maximal stretches of points on one side of the mean. */
static void mark_runs(const double *x, size_t n, double mean, double tol,
                      struct analytics_spc_point *p)
{
	size_t start = 0;
	int s = side_of(x[0], mean, tol);
	for (size_t i = 1; i <= n; i++) {
		int si = i < n ? side_of(x[i], mean, tol) : 2; /* 2: past the end */
		if (si == s)
			continue;
		if (s != 0 && i - start >= ANALYTICS_SPC_RUN_POINTS)
			flag(p, start, i, s, ANALYTICS_SPC_RUN);
		start = i;
		s = si;
	}
}

/* Trends: maximal stretches where each point is strictly above (or each
 * strictly below) the one before; a turning point belongs to both the
 * stretch it ends and the one it starts. */
static void mark_trends(const double *x, size_t n, struct analytics_spc_point *p)
{
	size_t start = 0; /* first point of the current stretch */
	int dir = 0;      /* +1 rising, -1 falling, 0 flat or not begun */
	for (size_t i = 1; i <= n; i++) {
		int d = 0;
		if (i < n)
			d = x[i] > x[i - 1] ? 1 : x[i] < x[i - 1] ? -1 : 0;
		if (i < n && d != 0 && d == dir)
			continue;
		if (dir != 0 && i - start >= ANALYTICS_SPC_TREND_POINTS)
			flag(p, start, i, dir, ANALYTICS_SPC_TREND);
		dir = d;
		start = i - 1;
	}
}

/* Two of three: every window of 3 on one side of the mean with 2 or more
 * beyond that side's two-sigma line; the points beyond it are flagged. */
static void mark_two_of_three(const double *x, size_t n, const struct analytics_spc *c, double tol,
                              struct analytics_spc_point *p)
{
	for (size_t i = 0; i + 2 < n; i++) {
		int s = side_of(x[i], c->mean, tol);
		if (s == 0 || side_of(x[i + 1], c->mean, tol) != s ||
		    side_of(x[i + 2], c->mean, tol) != s)
			continue;
		bool beyond[3];
		int count = 0;
		for (size_t k = 0; k < 3; k++) {
			double v = x[i + k];
			beyond[k] = s > 0 ? v > c->upper_2sigma + tol : v < c->lower_2sigma - tol;
			count += beyond[k];
		}
		if (count < 2)
			continue;
		for (size_t k = 0; k < 3; k++)
			if (beyond[k])
				flag(p, i + k, i + k + 1, s, ANALYTICS_SPC_TWO_OF_THREE);
	}
}

static enum analytics_variation point_variation(const struct analytics_spc_point *p,
                                                enum analytics_polarity polarity, int level)
{
	bool high = p->high != 0, low = p->low != 0;
	if (!high && !low)
		return ANALYTICS_VARIATION_COMMON_CAUSE;
	switch (polarity) {
	case ANALYTICS_POLARITY_HIGHER_BETTER:
		return high ? ANALYTICS_VARIATION_IMPROVEMENT : ANALYTICS_VARIATION_CONCERN;
	case ANALYTICS_POLARITY_LOWER_BETTER:
		return low ? ANALYTICS_VARIATION_IMPROVEMENT : ANALYTICS_VARIATION_CONCERN;
	case ANALYTICS_POLARITY_NONE: break;
	}
	if (high && low)
		high = level >= 0;
	return high ? ANALYTICS_VARIATION_NEUTRAL_HIGH : ANALYTICS_VARIATION_NEUTRAL_LOW;
}

static enum analytics_assurance assurance(const struct analytics_spc *c, double tol,
                                          enum analytics_polarity polarity, bool has_target,
                                          double target)
{
	if (polarity == ANALYTICS_POLARITY_NONE)
		return ANALYTICS_ASSURANCE_NO_POLARITY;
	if (!has_target)
		return ANALYTICS_ASSURANCE_NO_TARGET;
	if (c->insufficient)
		return ANALYTICS_ASSURANCE_NOT_ASSESSED;
	bool higher = polarity == ANALYTICS_POLARITY_HIGHER_BETTER;
	if (target < c->lpl - tol)
		return higher ? ANALYTICS_ASSURANCE_CONSISTENT_PASS
		              : ANALYTICS_ASSURANCE_CONSISTENT_FAIL;
	if (target > c->upl + tol)
		return higher ? ANALYTICS_ASSURANCE_CONSISTENT_FAIL
		              : ANALYTICS_ASSURANCE_CONSISTENT_PASS;
	return ANALYTICS_ASSURANCE_HIT_AND_MISS;
}

int analytics_spc(const double *values, size_t n, enum analytics_polarity polarity, bool has_target,
                  double target, struct analytics_spc *out, struct analytics_spc_point *points)
{
	if (!out || !polarity_valid(polarity))
		return PMIF_EINVAL;
	if (n > ANALYTICS_SPC_MAX_POINTS)
		return PMIF_ETOOBIG;
	if (n > 0 && (!values || !points))
		return PMIF_EINVAL;
	if (has_target && !isfinite(target))
		return PMIF_EINVAL;
	for (size_t i = 0; i < n; i++)
		if (!isfinite(values[i]))
			return PMIF_EINVAL;

	struct analytics_spc c = {.n = n};
	if (n < ANALYTICS_SPC_MIN_POINTS) {
		c.insufficient = true;
		c.variation = ANALYTICS_VARIATION_NOT_ASSESSED;
		c.assurance = assurance(&c, 0, polarity, has_target, target);
		for (size_t i = 0; i < n; i++)
			points[i] = (struct analytics_spc_point){
			    .variation = ANALYTICS_VARIATION_NOT_ASSESSED};
		*out = c;
		return 0;
	}

	double sum = 0, sum_abs = 0, sum_mr = 0;
	for (size_t i = 0; i < n; i++) {
		sum += values[i];
		sum_abs += fabs(values[i]);
		if (i > 0)
			sum_mr += fabs(values[i] - values[i - 1]);
	}
	c.mean = sum / (double)n;
	c.mr_bar = sum_mr / (double)(n - 1);
	c.upl = c.mean + ANALYTICS_SPC_LIMIT_FACTOR * c.mr_bar;
	c.lpl = c.mean - ANALYTICS_SPC_LIMIT_FACTOR * c.mr_bar;
	c.upper_2sigma = c.mean + ANALYTICS_SPC_TWO_SIGMA_FACTOR * c.mr_bar;
	c.lower_2sigma = c.mean - ANALYTICS_SPC_TWO_SIGMA_FACTOR * c.mr_bar;
	if (!isfinite(sum_abs) || !isfinite(c.upl) || !isfinite(c.lpl))
		return PMIF_EINVAL;
	/* Rounding in the sums can move the mean or a line off a value that,
	 * in exact arithmetic, lies on it (14 points of 4.2 average
	 * 4.2000000000000002); a billionth of the typical magnitude absorbs
	 * that (n <= 10^6 additions of relative error 1.1e-16 each) and is far
	 * below any difference a measure reports.  Every comparison with a
	 * computed line allows it. */
	double tol = 1e-9 * (sum_abs / (double)n);

	for (size_t i = 0; i < n; i++) {
		points[i] = (struct analytics_spc_point){0};
		if (values[i] > c.upl + tol)
			points[i].high |= ANALYTICS_SPC_BEYOND_LIMITS;
		else if (values[i] < c.lpl - tol)
			points[i].low |= ANALYTICS_SPC_BEYOND_LIMITS;
	}
	mark_runs(values, n, c.mean, tol, points);
	mark_trends(values, n, points);
	mark_two_of_three(values, n, &c, tol, points);
	for (size_t i = 0; i < n; i++)
		points[i].variation =
		    point_variation(&points[i], polarity, side_of(values[i], c.mean, tol));

	c.variation = points[n - 1].variation;
	c.assurance = assurance(&c, tol, polarity, has_target, target);
	*out = c;
	return 0;
}

const char *analytics_spc_rule_label(enum analytics_spc_rule rule)
{
	switch (rule) {
	case ANALYTICS_SPC_BEYOND_LIMITS: return "beyond the process limits";
	case ANALYTICS_SPC_RUN: return "run of 7 or more on one side of the mean";
	case ANALYTICS_SPC_TREND: return "6 or more rising or falling";
	case ANALYTICS_SPC_TWO_OF_THREE: return "2 of 3 beyond two sigma";
	}
	return "unknown";
}

const char *analytics_variation_label(enum analytics_variation var)
{
	switch (var) {
	case ANALYTICS_VARIATION_NOT_ASSESSED: return "fewer than 12 points: limits not computed";
	case ANALYTICS_VARIATION_COMMON_CAUSE: return "common cause variation";
	case ANALYTICS_VARIATION_IMPROVEMENT: return "special cause variation: improvement";
	case ANALYTICS_VARIATION_CONCERN: return "special cause variation: concern";
	case ANALYTICS_VARIATION_NEUTRAL_HIGH:
		return "special cause variation: higher, neither improvement nor concern";
	case ANALYTICS_VARIATION_NEUTRAL_LOW:
		return "special cause variation: lower, neither improvement nor concern";
	}
	return "unknown";
}

const char *analytics_assurance_label(enum analytics_assurance a)
{
	switch (a) {
	case ANALYTICS_ASSURANCE_NOT_ASSESSED: return "fewer than 12 points: no assurance";
	case ANALYTICS_ASSURANCE_NO_TARGET: return "no target: no assurance";
	case ANALYTICS_ASSURANCE_NO_POLARITY: return "context measure: no polarity, no assurance";
	case ANALYTICS_ASSURANCE_HIT_AND_MISS:
		return "may or may not meet the target (hit and miss)";
	case ANALYTICS_ASSURANCE_CONSISTENT_PASS: return "will consistently meet the target";
	case ANALYTICS_ASSURANCE_CONSISTENT_FAIL: return "will consistently fail the target";
	}
	return "unknown";
}

/* --------------------------------------------------- confidence intervals */

int analytics_wilson(double x, double n, struct analytics_ci *out)
{
	if (!out || !isfinite(x) || !isfinite(n) || x < 0 || n <= 0 || x > n)
		return PMIF_EINVAL;
	const double z = ANALYTICS_Z95, z2 = z * z;
	double p = x / n;
	double centre = p + z2 / (2 * n);
	double half = z * sqrt(p * (1 - p) / n + z2 / (4 * n * n));
	double denom = 1 + z2 / n;
	double lower = (centre - half) / denom, upper = (centre + half) / denom;
	if (!isfinite(lower) || !isfinite(upper))
		return PMIF_EINVAL;
	/* Clamp the rounding at the ends: 0/n has lower bound exactly 0. */
	out->lower = fmax(0.0, lower);
	out->upper = fmin(1.0, upper);
	return 0;
}

int analytics_byar(double observed, struct analytics_ci *out)
{
	if (!out || !isfinite(observed) || observed < 0)
		return PMIF_EINVAL;
	const double z = ANALYTICS_Z95, o = observed, o1 = observed + 1;
	double lower = 0;
	if (o > 0) {
		double a = 1 - 1 / (9 * o) - z / (3 * sqrt(o));
		lower = fmax(0.0, o * a * a * a);
	}
	/* No finite O overflows here: once b^3 exceeds 1 by more than
	 * rounding, O is below 1e32. */
	double b = 1 - 1 / (9 * o1) + z / (3 * sqrt(o1));
	out->lower = lower;
	out->upper = o1 * b * b * b;
	return 0;
}

int analytics_byar_rate(double observed, double denominator, double per, struct analytics_ci *out)
{
	struct analytics_ci c;
	int rc = analytics_byar(observed, &c);
	if (rc)
		return rc;
	if (!out || !isfinite(denominator) || denominator <= 0 || !isfinite(per) || per <= 0)
		return PMIF_EINVAL;
	double lower = per * c.lower / denominator, upper = per * c.upper / denominator;
	if (!isfinite(upper))
		return PMIF_EINVAL;
	out->lower = lower;
	out->upper = upper;
	return 0;
}

int analytics_compare_benchmark(const struct analytics_ci *ci, double benchmark,
                                enum analytics_polarity polarity, enum analytics_comparison *out)
{
	if (!ci || !out || !isfinite(ci->lower) || !isfinite(ci->upper) || ci->lower > ci->upper ||
	    !isfinite(benchmark) || !polarity_valid(polarity))
		return PMIF_EINVAL;

	int sig = ci->lower > benchmark ? 1 : ci->upper < benchmark ? -1 : 0;
	if (sig == 0)
		*out = ANALYTICS_COMPARISON_SIMILAR;
	else if (polarity == ANALYTICS_POLARITY_NONE)
		*out = sig > 0 ? ANALYTICS_COMPARISON_HIGHER : ANALYTICS_COMPARISON_LOWER;
	else if ((sig > 0) == (polarity == ANALYTICS_POLARITY_HIGHER_BETTER))
		*out = ANALYTICS_COMPARISON_BETTER;
	else
		*out = ANALYTICS_COMPARISON_WORSE;
	return 0;
}

const char *analytics_comparison_label(enum analytics_comparison cmp)
{
	switch (cmp) {
	case ANALYTICS_COMPARISON_SIMILAR: return "similar";
	case ANALYTICS_COMPARISON_BETTER: return "significantly better";
	case ANALYTICS_COMPARISON_WORSE: return "significantly worse";
	case ANALYTICS_COMPARISON_HIGHER: return "significantly higher";
	case ANALYTICS_COMPARISON_LOWER: return "significantly lower";
	}
	return "unknown";
}
