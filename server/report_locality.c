/*
 * report_locality.c - one measure in one period, each strategic locality
 * against the borough, as Public Health England's Fingertips compares an
 * area with its benchmark: the locality's 95% confidence interval against
 * the borough's value.
 *
 * The interval depends on the unit:
 *   percent with numerator/denominator   Wilson score on the proportion, x100
 *   rate per 1,000 with numerator/den.   Byar on the events, per 1,000 of the
 *                                        denominator (the population)
 *   count                                Byar on the count itself
 * Anything else (days, pounds, scores, a percentage without its counts)
 * has no interval and is not compared: the line says why, so nobody reads
 * a difference into noise.  A count gets its interval but is not compared
 * either: the localities' counts add up to the borough's, and a part is
 * always significantly below the whole.  Rates are what compare.
 */
#include <math.h>
#include <string.h>

#include "error.h"
#include "framework.h"
#include "measures.h"
#include "report.h"
#include "values.h"

/* Fill @p l's interval from @p v; *why says why there is none. */
static void interval(const Pmif__Measure *m, const Pmif__ValueRecord *v, Pmif__LocalityLine *l,
                     const char **why)
{
	struct analytics_ci ci;
	int rc;

	*why = NULL;
	if (v->has_fraction) {
		l->numerator = v->numerator;
		l->denominator = v->denominator;
	}
	switch (m->unit) {
	case PMIF__MEASURE__UNIT__PERCENT:
		if (!v->has_fraction) {
			*why = "no numerator and denominator to give a confidence interval";
			return;
		}
		rc = analytics_wilson(v->numerator, v->denominator, &ci);
		ci.lower *= 100;
		ci.upper *= 100;
		l->method = "Wilson score";
		break;
	case PMIF__MEASURE__UNIT__RATE_PER_1000:
		if (!v->has_fraction) {
			*why = "no numerator and denominator to give a confidence interval";
			return;
		}
		rc = analytics_byar_rate(v->numerator, v->denominator, 1000, &ci);
		l->method = "Byar";
		break;
	case PMIF__MEASURE__UNIT__COUNT:
		rc = analytics_byar(v->value, &ci);
		l->method = "Byar";
		break;
	case PMIF__MEASURE__UNIT__DAYS:
		*why = "no confidence interval for an average number of days";
		return;
	case PMIF__MEASURE__UNIT__GBP:
		*why = "no confidence interval for an amount in pounds";
		return;
	default: *why = "no confidence interval for a score"; return;
	}
	if (rc != 0) {
		l->method = "";
		*why = "the numerator and denominator do not give a confidence interval";
		return;
	}
	l->has_interval = true;
	l->lower = ci.lower;
	l->upper = ci.upper;
}

static Pmif__Comparison comparison(enum analytics_comparison c)
{
	switch (c) {
	case ANALYTICS_COMPARISON_SIMILAR: return PMIF__COMPARISON__COMPARISON_SIMILAR;
	case ANALYTICS_COMPARISON_BETTER: return PMIF__COMPARISON__COMPARISON_BETTER;
	case ANALYTICS_COMPARISON_WORSE: return PMIF__COMPARISON__COMPARISON_WORSE;
	case ANALYTICS_COMPARISON_HIGHER: return PMIF__COMPARISON__COMPARISON_HIGHER;
	case ANALYTICS_COMPARISON_LOWER: return PMIF__COMPARISON__COMPARISON_LOWER;
	}
	return PMIF__COMPARISON__COMPARISON_NOT_COMPARED;
}

/* The line of locality @p loc (record @p v, may be NULL), compared with
 * the borough's value when @p has_bench. */
static Pmif__LocalityLine *line(struct op_ctx *op, const Pmif__Measure *m,
                                const Pmif__Locality *loc, const Pmif__ValueRecord *v,
                                bool is_borough, bool has_bench, double bench, const char *period)
{
	Pmif__LocalityLine *l = ARENA_NEW(op->arena, Pmif__LocalityLine);
	enum analytics_comparison c;
	struct analytics_ci ci;
	const char *why = NULL;

	if (l == NULL)
		return NULL;
	pmif__locality_line__init(l);
	l->locality = loc->id;
	l->name = loc->name;
	if (v != NULL && isfinite(v->value)) {
		l->has_value = true;
		l->value = v->value;
		l->provisional = v->status != PMIF__VALUE_STATUS__APPROVED;
		interval(m, v, l, &why);
	}
	if (is_borough) {
		l->comparison_label = "the benchmark";
		return l;
	}
	if (!l->has_value)
		l->comparison_label =
		    arena_printf(op->arena, "not compared: no value for %s", period);
	else if (!l->has_interval)
		l->comparison_label = arena_printf(op->arena, "not compared: %s", why);
	else if (m->unit == PMIF__MEASURE__UNIT__COUNT)
		/* the localities' counts make up the borough's: a part is always
		 * "lower" than the whole, which says nothing */
		l->comparison_label = "not compared: a locality's count is part of the borough's "
		                      "total (the interval shows its range by chance alone)";
	else if (!has_bench)
		l->comparison_label =
		    arena_printf(op->arena, "not compared: no borough value for %s", period);
	else {
		ci.lower = l->lower;
		ci.upper = l->upper;
		if (analytics_compare_benchmark(&ci, bench, measures_polarity(m), &c) != 0) {
			l->comparison_label = "not compared: the interval is out of range";
		} else {
			l->comparison = comparison(c);
			l->comparison_label = arena_printf(
			    op->arena, "%s %s the borough", analytics_comparison_label(c),
			    c == ANALYTICS_COMPARISON_SIMILAR ? "to" : "than");
		}
	}
	return l->comparison_label ? l : NULL;
}

int report_locality_build(struct op_ctx *op, const Pmif__Measure *m, const struct pmif_period *p,
                          const char *only, Pmif__LocalityReport **out)
{
	Pmif__LocalityReport *r = ARENA_NEW(op->arena, Pmif__LocalityReport);
	struct report_series s;
	struct pmif_period lp;
	ProtobufCMessage **locs;
	const Pmif__ValueRecord *bv = NULL;
	Pmif__Locality *borough = NULL;
	size_t nl;
	long bi;
	int rc;

	if (r == NULL)
		return report_nomem(op);
	pmif__locality_report__init(r);
	if (!m->by_locality)
		return op_fail(op, PMIF__CODE__FAILED_PRECONDITION,
		               "measure %s is reported for the borough only, so it has no "
		               "locality values to compare",
		               m->id);
	if (report_period_for(p, measures_period_kind(m), &lp) != 0)
		return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
		               "measure %s has no period at or before this one", m->id);
	if ((rc = report_series_read(op, m, VALUES_BOROUGH, &lp, &s)) != 0 ||
	    (rc = report_line(op, m, VALUES_BOROUGH, &lp, &s, &r->measure)) != 0)
		return rc;
	if ((bi = report_series_find(&s, &lp)) >= 0) {
		Pmif__ValueRecord *rec;
		if (values_point_record(op, &s.pts[bi], &rec) == 0)
			bv = rec;
	}
	if (fw_list(op, fw_kind(FW_LOCALITY), NULL, 0, false, &locs, &nl) != 0)
		return op->code;
	if ((r->localities = ARENA_ARRAY(op->arena, Pmif__LocalityLine *, nl + 1)) == NULL)
		return report_nomem(op);
	for (size_t i = 0; i < nl; i++) {
		Pmif__Locality *loc = (Pmif__Locality *)locs[i];
		if (strcmp(loc->id, VALUES_BOROUGH) == 0)
			borough = loc;
	}
	if (borough == NULL) { /* a framework without a borough record */
		if ((borough = ARENA_NEW(op->arena, Pmif__Locality)) == NULL)
			return report_nomem(op);
		pmif__locality__init(borough);
		borough->id = VALUES_BOROUGH;
		borough->name = "Borough";
	}
	if ((r->borough = line(op, m, borough, bv, true, false, 0, r->measure->period)) == NULL)
		return report_nomem(op);
	for (size_t i = 0; i < nl; i++) {
		Pmif__Locality *loc = (Pmif__Locality *)locs[i];
		Pmif__ValueRecord *v = NULL;
		Pmif__LocalityLine *l;

		if (loc == borough || (only && strcmp(only, loc->id) != 0))
			continue;
		rc = values_find(op, m->id, loc->id, &lp, &v);
		if (rc != 0 && rc != PMIF_ENOTFOUND)
			return op_fail(op, PMIF__CODE__INTERNAL, "the values could not be read");
		l = line(op, m, loc, rc == 0 ? v : NULL, false, bv != NULL, bv ? bv->value : 0,
		         r->measure->period);
		if (l == NULL)
			return report_nomem(op);
		r->localities[r->n_localities++] = l;
	}
	*out = r;
	return 0;
}
