/*
 * report_line.c - one measure's line in a report: which period it shows,
 * its series read once, and every judgement on it (RAG with its rule,
 * direction of travel, SPC, sparkline, exception reasons).
 *
 * A line costs one range scan (the measure's series in one locality up to
 * the period) and a few pure analytics calls on at most the measure's
 * whole history; the previous period, the same period last year and the
 * sparkline's points are found in the series already read by binary
 * search on the period keys, never by another read.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "framework.h"
#include "measures.h"
#include "report.h"
#include "report_compare.h"
#include "values.h"

int report_nomem(struct op_ctx *op)
{
	return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory building the report");
}

uint64_t report_clock_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---------------------------------------------------------- periods */

static long end_day(const struct pmif_period *p)
{
	int y, m, d;

	pmif_period_dates(p, NULL, NULL, NULL, &y, &m, &d);
	return (long)y * 10000 + m * 100 + d;
}

int report_period_for(const struct pmif_period *p, enum pmif_period_kind kind,
                      struct pmif_period *out)
{
	struct pmif_period c;
	int y, m, d;

	if (!pmif_period_valid(p))
		return PMIF_EINVAL;
	if (p->kind == kind) {
		*out = *p;
		return 0;
	}
	/* the period of @p kind holding p's last day ends on or after it */
	pmif_period_dates(p, NULL, NULL, NULL, &y, &m, &d);
	if (pmif_period_of_date(y, m, d, kind, &c) != 0)
		return PMIF_EINVAL;
	if (end_day(&c) > end_day(p) && pmif_period_previous(&c, &c) != 0)
		return PMIF_EINVAL;
	*out = c;
	return 0;
}

char *report_period_text(struct arena *a, const struct pmif_period *p)
{
	char buf[PMIF_PERIOD_STRLEN];

	pmif_period_format(p, buf);
	return arena_strdup(a, buf);
}

/* ---------------------------------------------------------- series */

int report_series_read(struct op_ctx *op, const Pmif__Measure *m, const char *locality,
                       const struct pmif_period *last, struct report_series *out)
{
	struct value_point *pts = NULL;
	size_t n = 0, kept = 0;

	if (values_series_points(op, m->id, locality, measures_period_kind(m), last, op->arena,
	                         &pts, &n) != 0)
		return op->code != PMIF__CODE__OK
		           ? (int)op->code
		           : op_fail(op, PMIF__CODE__INTERNAL, "the values could not be read");
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return 0;
	out->pts = pts;
	out->periods = ARENA_ARRAY(op->arena, struct pmif_period, n);
	if (!out->periods)
		return report_nomem(op);
	for (size_t i = 0; i < n; i++) {
		struct pmif_period p;

		if (!isfinite(pts[i].value) || pmif_period_from_key(pts[i].key, &p) != 0)
			continue;
		/* keep the keys strictly ascending whatever the store holds */
		if (kept && pts[i].key <= pts[kept - 1].key)
			continue;
		out->pts[kept] = pts[i];
		out->periods[kept] = p;
		kept++;
	}
	out->n = kept;
	return 0;
}

/* First index whose key is greater than @p key. */
static size_t upper_bound(const struct report_series *s, uint32_t key)
{
	size_t lo = 0, hi = s->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->pts[mid].key <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long report_series_find(const struct report_series *s, const struct pmif_period *p)
{
	uint32_t key = pmif_period_key(p);
	size_t i = upper_bound(s, key);

	return i > 0 && s->pts[i - 1].key == key ? (long)(i - 1) : -1;
}

size_t report_series_upto(const struct report_series *s, const struct pmif_period *p)
{
	return upper_bound(s, pmif_period_key(p));
}

/* ---------------------------------------------------------- words */

static const char *word(const char *field, int value)
{
	const struct fw_field *f = fw_field(fw_kind(FW_MEASURE), field);

	return f ? fw_word(f, value) : "?";
}

const char *report_unit_word(const Pmif__Measure *m)
{
	return word("unit", m->unit);
}

const char *report_polarity_word(const Pmif__Measure *m)
{
	return word("polarity", m->polarity);
}

const char *report_frequency_word(const Pmif__Measure *m)
{
	return word("frequency", m->frequency);
}

const char *report_kind_word(const Pmif__Measure *m)
{
	return word("kind", m->kind);
}

const char *report_rule_unit(const Pmif__Measure *m)
{
	switch (m->unit) {
	case PMIF__MEASURE__UNIT__PERCENT: return "%";
	case PMIF__MEASURE__UNIT__DAYS: return "days";
	case PMIF__MEASURE__UNIT__GBP: return "£";
	case PMIF__MEASURE__UNIT__RATE_PER_1000: return "per 1,000";
	default: return NULL;
	}
}

int report_decimals(const Pmif__Measure *m)
{
	return m->decimals > ANALYTICS_MAX_DECIMALS ? ANALYTICS_MAX_DECIMALS : (int)m->decimals;
}

/* ---------------------------------------------------------- SPC */

int report_spc_run(struct op_ctx *op, const Pmif__Measure *m, const struct report_series *s,
                   size_t from, size_t to, bool has_target, double target, struct report_spc *out)
{
	size_t n = to > from ? to - from : 0;
	double *v = NULL;

	memset(out, 0, sizeof(*out));
	out->from = from;
	out->to = from + n;
	if (n) {
		v = ARENA_ARRAY(op->arena, double, n);
		out->points = ARENA_ARRAY(op->arena, struct analytics_spc_point, n);
		if (!v || !out->points)
			return report_nomem(op);
		for (size_t i = 0; i < n; i++)
			v[i] = s->pts[from + i].value;
	}
	/* a failure (values too large to chart) leaves the line without SPC */
	out->ok = analytics_spc(v, n, measures_polarity(m), has_target && isfinite(target), target,
	                        &out->spc, out->points) == 0;
	return 0;
}

/* Which side of the chart a variation is about. */
static bool high_side(enum analytics_variation var, enum analytics_polarity pol)
{
	switch (var) {
	case ANALYTICS_VARIATION_IMPROVEMENT: return pol != ANALYTICS_POLARITY_LOWER_BETTER;
	case ANALYTICS_VARIATION_CONCERN: return pol == ANALYTICS_POLARITY_LOWER_BETTER;
	case ANALYTICS_VARIATION_NEUTRAL_HIGH: return true;
	default: return false;
	}
}

const char *report_spc_text(struct arena *a, const Pmif__Measure *m, const struct report_spc *r,
                            size_t i)
{
	static const struct {
		unsigned bit;
		const char *high, *low;
	} rules[] = {
	    {ANALYTICS_SPC_BEYOND_LIMITS, "above the upper process limit",
	     "below the lower process limit"},
	    {ANALYTICS_SPC_RUN, "run of 7 or more above the mean",
	     "run of 7 or more below the mean"},
	    {ANALYTICS_SPC_TREND, "6 or more rising", "6 or more falling"},
	    {ANALYTICS_SPC_TWO_OF_THREE, "2 of 3 above two sigma", "2 of 3 below two sigma"},
	};
	const struct analytics_spc_point *pt;
	enum analytics_variation var;
	char buf[320];
	size_t len;
	unsigned bits;
	bool high, any = false;

	if (!r->ok)
		return "not charted: the values are out of range";
	if (r->spc.insufficient || i < r->from || i >= r->to)
		return analytics_variation_label(ANALYTICS_VARIATION_NOT_ASSESSED);
	pt = &r->points[i - r->from];
	var = pt->variation;
	if (var == ANALYTICS_VARIATION_COMMON_CAUSE || var == ANALYTICS_VARIATION_NOT_ASSESSED)
		return analytics_variation_label(var);
	high = high_side(var, measures_polarity(m));
	bits = high ? pt->high : pt->low;
	len = (size_t)snprintf(buf, sizeof(buf), "%s", analytics_variation_label(var));
	for (size_t k = 0; k < sizeof(rules) / sizeof(rules[0]) && len < sizeof(buf); k++) {
		if (!(bits & rules[k].bit))
			continue;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s", any ? "; " : " (",
		                        high ? rules[k].high : rules[k].low);
		any = true;
	}
	if (any && len < sizeof(buf) - 1)
		strcat(buf, ")");
	return arena_strdup(a, buf);
}

/* ---------------------------------------------------------- the line */

Pmif__SeriesPoint *report_point(struct arena *a, const Pmif__Measure *m,
                                const struct report_series *s, const struct report_spc *r,
                                const struct pmif_period *p)
{
	Pmif__SeriesPoint *pt = ARENA_NEW(a, Pmif__SeriesPoint);
	long i;
	double t;

	if (pt == NULL)
		return NULL;
	pmif__series_point__init(pt);
	if ((pt->period = report_period_text(a, p)) == NULL)
		return NULL;
	if ((i = report_series_find(s, p)) >= 0) {
		pt->has_value = true;
		pt->value = s->pts[i].value;
		pt->provisional = s->pts[i].status != PMIF__VALUE_STATUS__APPROVED;
		if (r && r->ok && !r->spc.insufficient && (size_t)i >= r->from &&
		    (size_t)i < r->to) {
			pt->flags_high = r->points[i - r->from].high;
			pt->flags_low = r->points[i - r->from].low;
		}
	}
	if (measures_target(m, p, &t) && isfinite(t)) {
		pt->has_target = true;
		pt->target = t;
	}
	return pt;
}

/* Direction of @p cur against the value of period @p cp, if the series has one. */
static Pmif__Direction direction(const Pmif__Measure *m, const struct report_series *s,
                                 bool has_cur, double cur, const struct pmif_period *cp,
                                 protobuf_c_boolean *has, double *val)
{
	enum analytics_direction d = ANALYTICS_DIRECTION_NOT_COMPARABLE;
	long i = report_series_find(s, cp);

	if (i < 0)
		return PMIF__DIRECTION__DIRECTION_NOT_COMPARABLE;
	*has = true;
	*val = s->pts[i].value;
	if (has_cur &&
	    analytics_direction(cur, true, *val, measures_polarity(m), report_decimals(m), &d) != 0)
		d = ANALYTICS_DIRECTION_NOT_COMPARABLE;
	return (Pmif__Direction)d;
}

static int sparkline(struct op_ctx *op, const Pmif__Measure *m, const struct report_series *s,
                     const struct report_spc *r, const struct pmif_period *lp, Pmif__MeasureLine *l)
{
	struct pmif_period first, p;
	size_t n = 0;

	/* the last eight periods, but none before the series starts (and
	 * only the period itself when nothing is known up to it) */
	if (pmif_period_add(lp, -(REPORT_SPARK_POINTS - 1), &first) != 0 ||
	    report_series_upto(s, lp) == 0)
		first = *lp;
	else if (pmif_period_compare(&first, &s->periods[0]) < 0)
		first = s->periods[0];
	l->sparkline = ARENA_ARRAY(op->arena, Pmif__SeriesPoint *, REPORT_SPARK_POINTS);
	if (l->sparkline == NULL)
		return report_nomem(op);
	p = first;
	while (n < REPORT_SPARK_POINTS && pmif_period_compare(&p, lp) <= 0) {
		if ((l->sparkline[n++] = report_point(op->arena, m, s, r, &p)) == NULL)
			return report_nomem(op);
		if (pmif_period_next(&p, &p) != 0)
			break;
	}
	l->n_sparkline = n;
	return 0;
}

static int add_reason(struct op_ctx *op, Pmif__MeasureLine *l, const char *why)
{
	if (l->exception_reasons == NULL) {
		l->exception_reasons = ARENA_ARRAY(op->arena, char *, 3);
		if (l->exception_reasons == NULL)
			return report_nomem(op);
	}
	l->exception_reasons[l->n_exception_reasons++] = (char *)why;
	l->exception = true;
	return 0;
}

static void line_attributes(Pmif__MeasureLine *l, const Pmif__Measure *m, const char *locality)
{
	l->measure_id = m->id;
	l->title = m->title;
	l->objective_id = m->objective;
	l->directorate = m->directorate;
	l->unit = (char *)report_unit_word(m);
	l->polarity = (char *)report_polarity_word(m);
	l->decimals = (int32_t)m->decimals;
	l->locality = (char *)locality;
	l->tolerance = m->tolerance;
	l->frequency = (char *)report_frequency_word(m);
	l->kind = (char *)report_kind_word(m);
}

int report_line(struct op_ctx *op, const Pmif__Measure *m, const char *locality,
                const struct pmif_period *lp, const struct report_series *s,
                Pmif__MeasureLine **out)
{
	Pmif__MeasureLine *l = ARENA_NEW(op->arena, Pmif__MeasureLine);
	struct analytics_rag_rule rule = {0};
	struct report_spc spc;
	struct pmif_period prev, last_year;
	char text[ANALYTICS_RULE_TEXT_LEN];
	enum analytics_rag rag;
	size_t upto;
	long cur;
	int rc;

	if (l == NULL)
		return report_nomem(op);
	pmif__measure_line__init(l);
	line_attributes(l, m, locality);
	if ((l->period = report_period_text(op->arena, lp)) == NULL)
		return report_nomem(op);

	/* the value: approved, or submitted and shown as provisional */
	cur = report_series_find(s, lp);
	if (cur >= 0) {
		Pmif__ValueRecord *v;
		l->has_value = true;
		l->value = s->pts[cur].value;
		l->provisional = s->pts[cur].status != PMIF__VALUE_STATUS__APPROVED;
		/* the note: the one record of the series read whole */
		if (values_point_record(op, &s->pts[cur], &v) == 0)
			l->note = v->note;
	}

	/* target, RAG and the rule in words */
	rule.polarity = measures_polarity(m);
	rule.has_target = measures_target(m, lp, &rule.target) && isfinite(rule.target);
	rule.tolerance = isfinite(m->tolerance) && m->tolerance >= 0 ? m->tolerance : 0;
	rule.decimals = report_decimals(m);
	rule.unit = report_rule_unit(m);
	l->has_target = rule.has_target;
	l->target = rule.has_target ? rule.target : 0;
	if (analytics_rag_period(&rule, l->has_value, l->value, &rag) != 0)
		rag = l->has_value ? ANALYTICS_RAG_GREY : ANALYTICS_RAG_NO_DATA;
	l->rag = (Pmif__Rag)rag;
	if (analytics_rag_rule_text(&rule, text, sizeof(text)) == 0 &&
	    (l->rag_rule = arena_strdup(op->arena, text)) == NULL)
		return report_nomem(op);

	/* direction of travel */
	if (pmif_period_previous(lp, &prev) == 0) {
		if ((l->previous_period = report_period_text(op->arena, &prev)) == NULL)
			return report_nomem(op);
		l->vs_previous = direction(m, s, l->has_value, l->value, &prev, &l->has_previous,
		                           &l->previous_value);
	}
	if (pmif_period_same_last_year(lp, &last_year) == 0) {
		if ((l->last_year_period = report_period_text(op->arena, &last_year)) == NULL)
			return report_nomem(op);
		l->vs_last_year = direction(m, s, l->has_value, l->value, &last_year,
		                            &l->has_last_year, &l->last_year_value);
	}

	/* SPC over the whole series up to the period */
	upto = report_series_upto(s, lp);
	if ((rc = report_spc_run(op, m, s, 0, upto, rule.has_target, rule.target, &spc)) != 0)
		return rc;
	if (cur >= 0) {
		if (spc.ok && !spc.spc.insufficient)
			l->variation = (Pmif__Variation)spc.points[cur].variation;
		l->spc_summary = (char *)report_spc_text(op->arena, m, &spc, (size_t)cur);
	} else {
		l->spc_summary = arena_printf(op->arena, "no value for %s", l->period);
	}
	if (l->spc_summary == NULL)
		return report_nomem(op);
	if ((rc = sparkline(op, m, s, &spc, lp, l)) != 0)
		return rc;

	/* exception: red, special cause concern, or worse than last period */
	if (l->rag == PMIF__RAG__RAG_RED && (rc = add_reason(op, l, "red")) != 0)
		return rc;
	if (l->variation == PMIF__VARIATION__VARIATION_CONCERN &&
	    (rc = add_reason(op, l, "special cause concern")) != 0)
		return rc;
	if (l->vs_previous == PMIF__DIRECTION__DIRECTION_WORSENING &&
	    (rc = add_reason(op, l, "worsening")) != 0)
		return rc;
	/* among similar councils: comparator sets are borough figures */
	if (strcmp(locality, VALUES_BOROUGH) == 0 &&
	    (rc = report_compare_attach(op, m, lp, l)) != 0)
		return rc;
	*out = l;
	return 0;
}

int report_line_for(struct op_ctx *op, const Pmif__Measure *m, const char *locality,
                    const struct pmif_period *p, Pmif__MeasureLine **out)
{
	struct report_series s;
	struct pmif_period lp;
	int rc;

	if (report_period_for(p, measures_period_kind(m), &lp) != 0) {
		/* nothing of its kind ends by then (the first supported year):
		 * the period it is in, which can have no value yet */
		int y, mo, d;

		pmif_period_dates(p, &y, &mo, &d, NULL, NULL, NULL);
		if (pmif_period_of_date(y, mo, d, measures_period_kind(m), &lp) != 0)
			return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
			               "measure %s has no period at or before this one", m->id);
	}
	if ((rc = report_series_read(op, m, locality, &lp, &s)) != 0)
		return rc;
	return report_line(op, m, locality, &lp, &s, out);
}
