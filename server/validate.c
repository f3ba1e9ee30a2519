/*
 * validate.c - value rules and keying-error warnings (see validate.h).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "validate.h"

static const char *const unit_names[] = {
    [VALIDATE_COUNT] = "count",
    [VALIDATE_PERCENT] = "percent",
    [VALIDATE_RATE_PER_1000] = "rate_per_1000",
    [VALIDATE_DAYS] = "days",
    [VALIDATE_GBP] = "gbp",
    [VALIDATE_SCORE] = "score",
};

const char *validate_unit_name(enum validate_unit u)
{
	return (unsigned)u < sizeof(unit_names) / sizeof(unit_names[0]) ? unit_names[u] : "unknown";
}

int validate_unit_parse(const char *s, enum validate_unit *out)
{
	for (size_t i = 0; i < sizeof(unit_names) / sizeof(unit_names[0]); i++)
		if (s && strcmp(s, unit_names[i]) == 0) {
			*out = (enum validate_unit)i;
			return 0;
		}
	return PMIF_EINVAL;
}

const char *validate_unit_text(enum validate_unit u)
{
	switch (u) {
	case VALIDATE_PERCENT: return "%";
	case VALIDATE_RATE_PER_1000: return "per 1,000";
	case VALIDATE_DAYS: return "days";
	case VALIDATE_GBP: return "£";
	default: return "";
	}
}

static int refuse(struct validate_result *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int refuse(struct validate_result *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->error, sizeof(out->error), fmt, ap);
	va_end(ap);
	return PMIF_EINVAL;
}

static void warn(struct validate_result *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void warn(struct validate_result *out, const char *fmt, ...)
{
	va_list ap;

	if (out->n_warnings == VALIDATE_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(out->warnings[out->n_warnings++], VALIDATE_MSG_LEN, fmt, ap);
	va_end(ap);
}

/* Half a unit in the last reported decimal place. */
static double half_unit(int decimals)
{
	return 0.5 * pow(10.0, -decimals);
}

static int check_ranges(const struct validate_measure *m, const struct validate_input *in,
                        struct validate_result *out)
{
	double v = in->value;

	if (!isfinite(v))
		return refuse(out, "value: '%.15g' is not a number: give a finite number", v);
	switch (m->unit) {
	case VALIDATE_PERCENT:
		if (v < 0 || v > 100)
			return refuse(out, "value: %.15g is not a percentage: %s takes 0 to 100", v,
			              m->id);
		break;
	case VALIDATE_COUNT:
		if (v < 0 || v != floor(v))
			return refuse(
			    out, "value: %.15g is not a count: %s takes a whole number, 0 or more",
			    v, m->id);
		break;
	case VALIDATE_DAYS:
	case VALIDATE_RATE_PER_1000:
		if (v < 0)
			return refuse(out, "value: %.15g is negative: %s takes %s of 0 or more", v,
			              m->id, m->unit == VALIDATE_DAYS ? "days" : "a rate");
		break;
	case VALIDATE_GBP:
	case VALIDATE_SCORE: break;
	}
	return 0;
}

static int check_fraction(const struct validate_measure *m, const struct validate_input *in,
                          struct validate_result *out)
{
	double num = in->numerator, den = in->denominator, scale, implied;

	if (!in->has_numerator && !in->has_denominator)
		return 0;
	if (in->has_numerator != in->has_denominator)
		return refuse(out,
		              "%s: give the numerator and the denominator together, or neither",
		              in->has_numerator ? "denominator" : "numerator");
	if (!isfinite(num))
		return refuse(out, "numerator: give a finite number");
	if (!isfinite(den))
		return refuse(out, "denominator: give a finite number");
	if (den <= 0)
		return refuse(out, "denominator: %.15g must be above 0", den);
	if (num < 0)
		return refuse(out, "numerator: %.15g must not be negative", num);
	if (num != floor(num) || den != floor(den))
		return refuse(out, "numerator and denominator must be whole numbers (counts of "
		                   "people or events)");
	if (m->unit == VALIDATE_PERCENT && num > den)
		return refuse(out,
		              "numerator: %.15g is more than the denominator %.15g: a proportion "
		              "cannot exceed 100%%",
		              num, den);
	if (m->unit != VALIDATE_PERCENT && m->unit != VALIDATE_RATE_PER_1000)
		return 0;
	scale = m->unit == VALIDATE_PERCENT ? 100.0 : 1000.0;
	implied = scale * num / den;
	/* the value is the fraction rounded to the measure's decimals */
	if (fabs(implied - in->value) > half_unit(m->decimals) * 1.0000001)
		return refuse(
		    out,
		    "value: %.15g does not match numerator/denominator %.15g/%.15g, which "
		    "gives %.*f: correct the value or the counts",
		    in->value, num, den, m->decimals, implied);
	return 0;
}

static bool has_note(const struct validate_input *in)
{
	const char *p = in->note;

	while (p && *p == ' ')
		p++;
	return p && *p;
}

/* RAG of the value and the SPC verdict on it as the newest point. */
static int judge(const struct validate_measure *m, const struct validate_input *in,
                 struct validate_result *out, struct analytics_spc *spc)
{
	struct analytics_rag_rule rule = {
	    .polarity = m->polarity,
	    .has_target = m->has_target,
	    .target = m->target,
	    .tolerance = m->tolerance,
	    .decimals = m->decimals,
	};
	double *series;
	struct analytics_spc_point *points;
	int rc;

	rc = analytics_rag(&rule, in->value, &out->rag);
	if (rc != 0)
		return refuse(out,
		              "%s has a target or tolerance that cannot be used: ask an "
		              "administrator to correct the measure",
		              m->id);
	series = malloc(sizeof(double) * (m->n_history + 1));
	points = malloc(sizeof(*points) * (m->n_history + 1));
	if (series == NULL || points == NULL) {
		free(series);
		free(points);
		return PMIF_ENOMEM;
	}
	if (m->n_history)
		memcpy(series, m->history, sizeof(double) * m->n_history);
	series[m->n_history] = in->value;
	rc = analytics_spc(series, m->n_history + 1, m->polarity, m->has_target, m->target, spc,
	                   points);
	if (rc != 0)
		spc->insufficient = true;
	out->variation =
	    rc == 0 ? points[m->n_history].variation : ANALYTICS_VARIATION_NOT_ASSESSED;
	free(series);
	free(points);
	return 0;
}

static void keying_warnings(const struct validate_measure *m, const struct validate_input *in,
                            const struct analytics_spc *spc, struct validate_result *out)
{
	double v = in->value;
	int d = m->decimals;

	if (m->has_target && m->target != 0 && v != 0) {
		double ratio = fabs(v / m->target);
		if (ratio >= 10 || ratio <= 0.1)
			warn(out,
			     "%.*f is about %.0f times %s the target %.*f: check the unit and the "
			     "decimal point",
			     d, v, ratio >= 10 ? ratio : 1 / ratio,
			     ratio >= 10 ? "" : "smaller than", d, m->target);
	}
	if (m->n_history == 0)
		return;
	if (!spc->insufficient) {
		double reach = 2 * (spc->upl - spc->mean);
		if (reach > 0 && fabs(v - spc->mean) > reach)
			warn(
			    out,
			    "%.*f is far outside this measure's history (mean %.*f, process limits "
			    "%.*f to %.*f): check it before it is approved",
			    d, v, d, spc->mean, d, spc->lpl, d, spc->upl);
	} else {
		double lo = m->history[0], hi = m->history[0];
		for (size_t i = 1; i < m->n_history; i++) {
			lo = fmin(lo, m->history[i]);
			hi = fmax(hi, m->history[i]);
		}
		if ((hi > 0 && v > 10 * hi) || (lo > 0 && v < lo / 10))
			warn(out,
			     "%.*f is far outside this measure's history (%.*f to %.*f so far): "
			     "check it before it is approved",
			     d, v, d, lo, d, hi);
	}
}

int validate_value(const struct validate_measure *m, const struct validate_input *in,
                   struct validate_result *out)
{
	/* stays "insufficient" if the history cannot be charted */
	struct analytics_spc spc = {.insufficient = true};
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = check_ranges(m, in, out)) != 0 || (rc = check_fraction(m, in, out)) != 0 ||
	    (rc = judge(m, in, out, &spc)) != 0)
		return rc;
	if (!has_note(in)) {
		if (out->rag == ANALYTICS_RAG_RED)
			return refuse(out,
			              "note: %.15g is red against the target for %s: add --note "
			              "saying why (the \"so what\" members will read)",
			              in->value, m->id);
		if (out->variation == ANALYTICS_VARIATION_CONCERN)
			return refuse(
			    out,
			    "note: %.15g makes %s show special-cause concern (statistical "
			    "process control): add --note saying why",
			    in->value, m->id);
	}
	keying_warnings(m, in, &spc, out);
	return 0;
}
