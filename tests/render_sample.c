/*
 * render_sample.c - pmif-render-sample OUTDIR: fabricate a realistic set
 * of reports (a Families OSC committee pack, a Cabinet pack, a scorecard,
 * exceptions, completeness, two trends, a locality comparison and a
 * comparison with similar councils) the way
 * pmifd would send them, and write each in every format to OUTDIR.
 *
 * For looking at the renderers without a server, and for their tests
 * (test_render.c includes this file with RENDER_SAMPLE_NO_MAIN).  The
 * numbers are invented but shaped like a council's: 16 quarters from
 * 2019-20-Q1 to 2022-23-Q4, targets by year, some values provisional,
 * special causes, risks that moved.  The judgements (RAG, direction, SPC)
 * are worked out here only so the sample is consistent; in PMIF the
 * server makes them.  Everything is allocated from one arena,
 * sample_free() releases it.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "render.h"

/* ---- arena ---- */

static void **arena;
static size_t arena_n, arena_cap;

static void *alloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (p != NULL && arena_n == arena_cap) {
		size_t cap = arena_cap ? 2 * arena_cap : 256;
		void **a = realloc(arena, cap * sizeof(*a));

		if (a == NULL) {
			free(p);
			p = NULL;
		} else {
			arena = a;
			arena_cap = cap;
		}
	}
	if (p == NULL) {
		fprintf(stderr, "pmif-render-sample: out of memory\n");
		exit(1);
	}
	arena[arena_n++] = p;
	return p;
}

static void sample_free(void)
{
	for (size_t i = 0; i < arena_n; i++)
		free(arena[i]);
	free(arena);
	arena = NULL;
	arena_n = arena_cap = 0;
}

static char *str(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *str(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = alloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

#define NEW(T, init) memcpy(alloc(sizeof(T)), &(T)init, sizeof(T))
#define ARRAY(T, n)  ((T *)alloc(sizeof(T) * (n)))

/* ---- the calendar: 16 quarters ---- */

#define NQ 16
static const char *quarter(size_t i)
{
	static char q[NQ][12];

	if (!q[0][0])
		for (size_t k = 0; k < NQ; k++)
			snprintf(q[k], sizeof(q[k]), "%d-%02d-Q%zu", 2019 + (int)(k / 4),
			         (20 + (int)(k / 4)) % 100, k % 4 + 1);
	return q[i < NQ ? i : NQ - 1];
}

/* Deterministic noise. */
static double noise(unsigned *seed)
{
	double s = 0;

	for (int i = 0; i < 4; i++) {
		*seed = *seed * 1103515245u + 12345u;
		s += (double)((*seed >> 8) & 0xffff) / 65535.0;
	}
	return (s - 2.0) * 1.7; /* about N(0,1) */
}

/* ---- measures ---- */

struct spec {
	const char *id, *title, *objective, *directorate, *unit, *polarity;
	int decimals;
	double target, tolerance, target_step; /* final-year target; change per earlier year */
	double start, drift, sd;               /* series shape */
	int shift_at;                          /* quarter where the level shifts (0: none) */
	double shift;
	bool provisional_last;
	const char *note;
};

static const struct spec specs[] = {
    {"FSM-UPTAKE", "Free school meal take-up (eligible pupils taking a meal)", "PO1", "CAF",
     "percent", "higher", 1, 84.0, 2.0, 1.0, 79.0, 0.35, 0.8, 13, -2.6, true,
     "Summer-term census fell in rural schools where meals are transported in; Chopwell & West "
     "is the lowest locality."},
    {"SCHOOLS-GOOD-OUTST", "Schools judged good or outstanding by Ofsted (%)", "PO1", "CAF",
     "percent", "higher", 1, 91.0, 2.0, 0.5, 88.5, 0.3, 0.5, 0, 0, false, NULL},
    {"LAC-NUMBER", "Number of looked-after children", "PO1", "CAF", "count", "none", 0, NAN, 0, 0,
     452, -0.9, 4, 0, 0, false, NULL},
    {"EARLY-ED-2YO", "Eligible two-year-olds taking up a funded early education place (%)", "PO1",
     "CAF", "percent", "higher", 1, 85.0, 2.0, 1.0, 76.0, 0.45, 1.2, 0, 0, true, NULL},
    {"PERM-EXCLUSIONS", "Permanent exclusions from Gateshead schools", "PO1", "CAF", "count",
     "lower", 0, 6, 2, 0, 5, 0.3, 1.4, 10, 3, false,
     "Reflects the national rise in exclusions since the pandemic; three academies account for "
     "most."},
    {"CSC-REREFERRALS", "Re-referrals to children's social care within 12 months (%)", "PO1", "CAF",
     "percent", "lower", 1, 19.0, 2.0, 0.5, 23.0, -0.2, 0.9, 0, 0, false, NULL},
    {"NEET-16-17", "16-17 year olds not in education, employment or training, or not known (%)",
     "PO2", "CAF", "percent", "lower", 1, 5.0, 0.5, 0.2, 6.1, -0.05, 0.25, 0, 0, false, NULL},
    {"YOUTH-ATTEND-RATE",
     "Attendances at council-supported youth provision per 1,000 young "
     "people aged 11-19",
     "PO2", "CAF", "rate_per_1000", "higher", 1, 460, 25, 10, 380, 5.5, 14, 0, 0, true, NULL},
    {"DA-INCIDENTS", "Domestic abuse incidents and crimes reported to police per 1,000 residents",
     "PO2", "CAF", "rate_per_1000", "none", 2, NAN, 0, 0, 7.8, 0.05, 0.3, 0, 0, false, NULL},
    {"ASC-DIRECT-PAY", "Adults receiving long-term social care through a direct payment (%)", "PO2",
     "CAF", "percent", "higher", 1, 27.5, 1.5, 0.5, 25.8, 0.02, 0.5, 12, -1.4, false,
     "Two large personal-assistant agencies closed in the autumn; people moved to commissioned "
     "home care while new PAs are recruited."},
    {"EMPLOYMENT-RATE", "Employment rate of residents aged 16-64 (%)", "PO3", "EIG", "percent",
     "higher", 1, 74.5, 1.0, 0.5, 72.0, 0.12, 0.5, 0, 0, false, NULL},
    {"CLAIMANT-RATE", "Claimant count as a percentage of residents aged 16-64", "PO3", "EIG",
     "percent", "lower", 1, 4.8, 0.3, 0.2, 4.2, 0.0, 0.15, 4, 2.0, false, NULL},
    {"INTO-WORK-1TO1",
     "Residents supported into work through locality-based 1:1 employment "
     "support",
     "PO3", "EIG", "count", "higher", 0, 125, 10, 5, 70, 3.6, 8, 0, 0, true, NULL},
    {"WELFARE-GAIN-GBP",
     "Additional annual household income secured through welfare rights and "
     "debt advice (\u00a3)",
     "PO4", "RD", "gbp", "higher", 0, 1350000, 100000, 50000, 1100000, 16000, 45000, 0, 0, false,
     NULL},
    {"FUNDED-30H-TAKEUP", "Validated 30-hours childcare codes taking up a funded place (%)", "PO4",
     "CAF", "percent", "higher", 1, 91.5, 1.5, 0.5, 89.0, 0.1, 0.6, 0, 0, false, NULL},
    {"HARDSHIP-GRANTS", "Low-income households receiving hardship grant support", "PO4", "RD",
     "count", "none", 0, NAN, 0, 0, 900, 45, 60, 0, 0, true, NULL},
    {"REPAIRS-DAYS", "Average days to complete responsive repairs to council homes", "PO5", "HEHC",
     "days", "lower", 1, 10.5, 1.0, 0.5, 9.0, 0.28, 0.5, 0, 0, false,
     "Backlog from trade vacancies; the Housing Improvement Plan adds two mobile teams from "
     "January."},
    {"FLY-TIPPING-RATE", "Fly-tipping incidents per 1,000 residents", "PO5", "HEHC",
     "rate_per_1000", "lower", 2, 5.1, 0.3, 0.2, 6.4, -0.08, 0.25, 0, 0, false, NULL},
    {"RECYCLING-RATE", "Household waste sent for reuse, recycling or composting (%)", "PO5", "HEHC",
     "percent", "higher", 1, 38, 1.5, 1.0, 34.0, 0.12, 0.9, 0, 0, false, NULL},
    {"ASB-RATE", "Anti-social behaviour incidents per 1,000 residents", "PO5", "HEHC",
     "rate_per_1000", "lower", 2, 8.0, 0.5, 0.3, 9.6, -0.1, 0.4, 0, 0, false, NULL},
    {"HEALTH-CHECKS", "Eligible residents offered an NHS Health Check who received one (%)", "PO6",
     "HEHC", "percent", "higher", 1, 45, 5, 2, 30, 1.2, 2.5, 0, 0, true, NULL},
    {"HOMELESS-PREVENT", "Homelessness cases prevented or relieved (%)", "PO6", "HEHC", "percent",
     "higher", 1, 66, 3, 1, 63, 0.15, 1.8, 0, 0, false, NULL},
    {"TEMP-ACCOM", "Households in temporary accommodation at the end of the quarter", "PO6", "HEHC",
     "count", "lower", 0, 35, 5, 0, 28, 0.9, 3, 0, 0, false,
     "Demand rose with the cost of living and more private-rented sector evictions; the "
     "housing options team has added two prevention officers, the council has bought twelve "
     "homes for families who would otherwise be in bed and breakfast, and a review of every "
     "placement over six weeks reports to the Housing OSC in the autumn."},
    {"REABLEMENT-91",
     "Older people still at home 91 days after hospital discharge into "
     "reablement (%)",
     "PO6", "CAF", "percent", "higher", 1, 86.0, 2.0, 0.5, 83.0, 0.15, 1.0, 0, 0, false, NULL},
    {"SICKNESS-DAYS", "Average working days lost to sickness absence per FTE (rolling 12 months)",
     "BS-EMP", "RD", "days", "lower", 1, 10.0, 0.5, 0.5, 9.2, 0.11, 0.2, 9, 0.6, true,
     "Mental health and musculoskeletal absence lead; a briefing note on sickness levels was "
     "requested by Corporate Resources OSC."},
    {"STAFF-LEAVERS", "Employees leaving the council", "BS-EMP", "RD", "count", "lower", 0, 64, 6,
     0, 52, 1.4, 5, 0, 0, false,
     "293 leavers in the year; care and trades recruitment and retention are the pressure points."},
    {"STAFF-APPRAISALS", "Employees with a completed appraisal in the last 12 months (%)", "BS-EMP",
     "RD", "percent", "higher", 1, 85, 5, 2, 71, 0.7, 2, 0, 0, false, NULL},
    {"COMPLAINTS-ON-TIME", "Stage 1 complaints answered within 10 working days (%)", "BS-CX", "RD",
     "percent", "higher", 1, 88, 3, 1, 84, 0.2, 1.5, 0, 0, false, NULL},
    {"DIGITAL-SELF-SERVE", "Customer transactions completed online through self-service (%)",
     "BS-CX", "RD", "percent", "higher", 1, 64, 3, 3, 48, 1.1, 1.3, 0, 0, false, NULL},
    {"CALLS-ANSWERED", "Calls to the customer contact centre answered (%)", "BS-CX", "RD",
     "percent", "higher", 1, 90, 3, 0, 91, -0.15, 1.2, 0, 0, true, NULL},
    {"INVOICES-30DAYS", "Undisputed invoices paid within 30 days (%)", "BS-FGR", "RD", "percent",
     "higher", 1, 95, 2, 0.5, 93.5, 0.08, 0.6, 0, 0, false, NULL},
    {"FOI-ON-TIME", "Freedom of Information and EIR requests answered within 20 working days (%)",
     "BS-FGR", "RD", "percent", "higher", 1, 90, 3, 0, 86, 0.1, 1.8, 0, 0, false, NULL},
    {"CQC-GOOD-OUTST", "Adult social care providers rated good or outstanding by CQC (%)", "BS-EXT",
     "CAF", "percent", "higher", 1, 86, 2, 1, 82, 0.25, 0.8, 0, 0, false, NULL},
};
#define NSPEC (sizeof(specs) / sizeof(specs[0]))

static const struct {
	const char *id, *title, *kind;
} objectives[] = {
    {"PO1", "Give every child the best start to life", "policy"},
    {"PO2",
     "Enable all young people and adults to maximise their capabilities and have control "
     "over their lives",
     "policy"},
    {"PO3", "Create the conditions for fair employment and good work for all", "policy"},
    {"PO4",
     "Ensure a healthy standard of living for all, in accordance with international law on "
     "economic and social rights",
     "policy"},
    {"PO5", "Create and develop healthy and sustainable communities and places", "policy"},
    {"PO6", "Strengthen the role and impact of ill health prevention", "policy"},
    {"BS-EMP", "Employees", "scorecard"},
    {"BS-CX", "Customer experience", "scorecard"},
    {"BS-FGR", "Finance, governance & risk", "scorecard"},
    {"BS-EXT", "External assessment", "scorecard"},
};
#define NOBJ (sizeof(objectives) / sizeof(objectives[0]))

static double round_to(double v, int decimals)
{
	double k = pow(10, decimals);

	return round(v * k) / k;
}

/* The series of a spec: values for the 16 quarters. */
static void series(const struct spec *s, size_t idx, double *v)
{
	unsigned seed = 7919u * (unsigned)(idx + 1);

	for (size_t i = 0; i < NQ; i++) {
		double x = s->start + s->drift * (double)i + s->sd * noise(&seed);

		if (s->shift_at > 0 && (int)i >= s->shift_at)
			x += s->shift;
		if (strcmp(s->unit, "percent") == 0)
			x = fmin(fmax(x, 0), 100);
		if (x < 0)
			x = 0;
		v[i] = round_to(x, s->decimals);
	}
}

/* The target in force for quarter i (targets rise year by year). */
static double target_for(const struct spec *s, size_t i)
{
	double years_before = (double)(3 - (int)(i / 4));
	bool higher = strcmp(s->polarity, "higher") == 0;

	return s->target - (higher ? 1 : -1) * s->target_step * years_before;
}

static const char *unit_num(char *buf, size_t cap, const struct spec *s, double v)
{
	char n[64];

	render_value(n, v, s->unit, s->decimals);
	snprintf(buf, cap, "%s", n);
	return buf;
}

static char *rule_text(const struct spec *s, double target)
{
	char t[80], tol[80];
	bool higher = strcmp(s->polarity, "higher") == 0;
	const char *good = higher ? "higher is better" : "lower is better";

	if (strcmp(s->polarity, "none") == 0)
		return str("context measure: no polarity, no RAG");
	unit_num(t, sizeof(t), s, target);
	if (strcmp(s->unit, "percent") == 0)
		snprintf(tol, sizeof(tol), "%.*f points", s->decimals, s->tolerance);
	else
		unit_num(tol, sizeof(tol), s, s->tolerance);
	return str("target %s, amber within %s %s, %s", t, tol, higher ? "below" : "above", good);
}

static Pmif__Rag rag_of(const struct spec *s, double v, double t)
{
	bool higher = strcmp(s->polarity, "higher") == 0;
	double gap;

	if (strcmp(s->polarity, "none") == 0 || isnan(t))
		return PMIF__RAG__RAG_GREY;
	gap = higher ? t - v : v - t;
	if (gap <= 1e-9)
		return PMIF__RAG__RAG_GREEN;
	return gap <= s->tolerance + 1e-9 ? PMIF__RAG__RAG_AMBER : PMIF__RAG__RAG_RED;
}

static Pmif__Direction direction(const struct spec *s, double now, double then)
{
	bool higher = strcmp(s->polarity, "higher") == 0;

	if (fabs(now - then) < 1e-9)
		return PMIF__DIRECTION__DIRECTION_NO_CHANGE;
	if (strcmp(s->polarity, "none") == 0)
		return now > then ? PMIF__DIRECTION__DIRECTION_HIGHER
		                  : PMIF__DIRECTION__DIRECTION_LOWER;
	return (now > then) == higher ? PMIF__DIRECTION__DIRECTION_IMPROVING
	                              : PMIF__DIRECTION__DIRECTION_WORSENING;
}

/* XmR limits and rule flags (1 beyond limits, 2 run of 7, 4 trend of 6). */
struct spc {
	double mean, upl, lpl, u2, l2;
	unsigned high[NQ], low[NQ];
};

static void xmr(const double *v, size_t n, struct spc *s)
{
	double sum = 0, mr = 0;

	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	for (size_t i = 1; i < n; i++)
		mr += fabs(v[i] - v[i - 1]);
	s->mean = sum / (double)n;
	mr /= (double)(n - 1);
	s->upl = s->mean + 2.66 * mr;
	s->lpl = s->mean - 2.66 * mr;
	s->u2 = s->mean + 2.66 * mr * 2 / 3;
	s->l2 = s->mean - 2.66 * mr * 2 / 3;
	for (size_t i = 0; i < n; i++) {
		if (v[i] > s->upl)
			s->high[i] |= 1;
		if (v[i] < s->lpl)
			s->low[i] |= 1;
		if (i >= 6) {
			bool above = true, below = true, up = true, down = true;

			for (size_t k = i - 6; k <= i; k++) {
				above = above && v[k] > s->mean;
				below = below && v[k] < s->mean;
			}
			for (size_t k = i - 5; k <= i; k++) {
				up = up && v[k] > v[k - 1];
				down = down && v[k] < v[k - 1];
			}
			if (above)
				for (size_t k = i - 6; k <= i; k++)
					s->high[k] |= 2;
			if (below)
				for (size_t k = i - 6; k <= i; k++)
					s->low[k] |= 2;
			if (up)
				for (size_t k = i - 6; k <= i; k++)
					s->high[k] |= 4;
			if (down)
				for (size_t k = i - 6; k <= i; k++)
					s->low[k] |= 4;
		}
	}
}

static Pmif__Variation variation_of(const struct spec *s, const struct spc *x, size_t i)
{
	bool hi = x->high[i] != 0, lo = x->low[i] != 0;

	if (!hi && !lo)
		return PMIF__VARIATION__VARIATION_COMMON_CAUSE;
	if (strcmp(s->polarity, "none") == 0)
		return hi ? PMIF__VARIATION__VARIATION_NEUTRAL_HIGH
		          : PMIF__VARIATION__VARIATION_NEUTRAL_LOW;
	return hi == (strcmp(s->polarity, "higher") == 0) ? PMIF__VARIATION__VARIATION_IMPROVEMENT
	                                                  : PMIF__VARIATION__VARIATION_CONCERN;
}

static const char *rule_words(unsigned bits)
{
	return bits & 1   ? "a point beyond the process limits"
	       : bits & 2 ? "a run of 7 on one side of the mean"
	       : bits & 4 ? "6 points rising or falling"
	                  : "2 of 3 points beyond two sigma";
}

static Pmif__SeriesPoint *point(const struct spec *s, const double *v, const struct spc *x,
                                size_t i)
{
	Pmif__SeriesPoint *p = NEW(Pmif__SeriesPoint, PMIF__SERIES_POINT__INIT);

	p->period = str("%s", quarter(i));
	p->has_value = true;
	p->value = v[i];
	p->provisional = s->provisional_last && i == NQ - 1;
	p->flags_high = x ? x->high[i] : 0;
	p->flags_low = x ? x->low[i] : 0;
	if (!isnan(s->target)) {
		p->has_target = true;
		p->target = target_for(s, i);
	}
	return p;
}

/* A measure's line for the last quarter. */
/* The measure whose latest value is not in yet: No data, not Grey. */
#define NO_DATA_ID "SCHOOLS-GOOD-OUTST"

/* Take the latest value away from @p m, as pmifd sends a line with none. */
static void no_value(Pmif__MeasureLine *m)
{
	m->has_value = false;
	m->value = 0;
	m->provisional = false;
	m->rag = PMIF__RAG__RAG_NO_DATA;
	m->vs_previous = m->vs_last_year = PMIF__DIRECTION__DIRECTION_NOT_COMPARABLE;
	m->variation = PMIF__VARIATION__VARIATION_NOT_ASSESSED;
	m->spc_summary = str("no value for %s", m->period);
	m->sparkline[m->n_sparkline - 1]->has_value = false;
	m->sparkline[m->n_sparkline - 1]->value = 0;
	m->exception = false;
	m->n_exception_reasons = 0;
}

/* Among similar councils: rank 5 of 16, second quartile, illustrative,
 * as pmifd would say it for an FSM line. */
static Pmif__ComparePosition *position(const Pmif__MeasureLine *m)
{
	Pmif__ComparePosition *c = NEW(Pmif__ComparePosition, PMIF__COMPARE_POSITION__INIT);

	c->status = PMIF__COMPARE_STATUS__COMPARE_RANKED;
	c->rank = 5;
	c->of = 16;
	c->quartile = 2;
	c->comparators = 15;
	c->label = str("5th of 16 similar councils, second quartile (higher is better)");
	c->short_label = str("5/16 Q2");
	c->period = str("%s", m->period);
	c->source = str("sample comparator set: made-up figures for 15 fictional neighbours");
	c->as_of = str("2023-05-31");
	c->illustrative = true;
	return c;
}

static Pmif__MeasureLine *measure_line(size_t idx)
{
	const struct spec *s = &specs[idx];
	Pmif__MeasureLine *m = NEW(Pmif__MeasureLine, PMIF__MEASURE_LINE__INIT);
	double v[NQ];
	struct spc x;
	size_t last = NQ - 1;

	series(s, idx, v);
	xmr(v, NQ, &x);
	m->measure_id = str("%s", s->id);
	m->title = str("%s", s->title);
	m->objective_id = str("%s", s->objective);
	m->directorate = str("%s", s->directorate);
	m->unit = str("%s", s->unit);
	m->polarity = str("%s", s->polarity);
	m->decimals = s->decimals;
	m->locality = str("borough");
	m->period = str("%s", quarter(last));
	m->has_value = true;
	m->value = v[last];
	m->provisional = s->provisional_last;
	m->frequency = str("quarterly");
	m->kind = str("strategic");
	if (!isnan(s->target)) {
		m->has_target = true;
		m->target = target_for(s, last);
		m->tolerance = s->tolerance;
	}
	m->rag = rag_of(s, v[last], m->has_target ? m->target : NAN);
	m->rag_rule = m->has_target || strcmp(s->polarity, "none") == 0
	                  ? rule_text(s, m->target)
	                  : str("no target set: shown grey");
	m->has_previous = true;
	m->previous_value = v[last - 1];
	m->previous_period = str("%s", quarter(last - 1));
	m->vs_previous = direction(s, v[last], v[last - 1]);
	m->has_last_year = true;
	m->last_year_value = v[last - 4];
	m->last_year_period = str("%s", quarter(last - 4));
	m->vs_last_year = direction(s, v[last], v[last - 4]);
	m->variation = variation_of(s, &x, last);
	if (m->variation == PMIF__VARIATION__VARIATION_COMMON_CAUSE)
		m->spc_summary = str("common cause variation");
	else
		m->spc_summary =
		    str("special cause variation: %s (%s)",
		        m->variation == PMIF__VARIATION__VARIATION_CONCERN       ? "concern"
		        : m->variation == PMIF__VARIATION__VARIATION_IMPROVEMENT ? "improvement"
		                                                                 : "neutral",
		        rule_words(x.high[last] | x.low[last]));
	m->n_sparkline = 8;
	m->sparkline = ARRAY(Pmif__SeriesPoint *, 8);
	for (size_t i = 0; i < 8; i++)
		m->sparkline[i] = point(s, v, NULL, NQ - 8 + i);
	if (s->note)
		m->note = str("%s", s->note);
	{
		const char *why[3];
		size_t n = 0;

		if (m->rag == PMIF__RAG__RAG_RED)
			why[n++] = "red";
		if (m->variation == PMIF__VARIATION__VARIATION_CONCERN)
			why[n++] = "special cause concern";
		if (m->vs_previous == PMIF__DIRECTION__DIRECTION_WORSENING &&
		    m->vs_last_year == PMIF__DIRECTION__DIRECTION_WORSENING)
			why[n++] = "worsening";
		m->exception = n > 0;
		m->n_exception_reasons = n;
		m->exception_reasons = ARRAY(char *, n ? n : 1);
		for (size_t i = 0; i < n; i++)
			m->exception_reasons[i] = str("%s", why[i]);
	}
	if (strcmp(s->id, NO_DATA_ID) == 0)
		no_value(m);
	if (strcmp(s->id, "FSM-UPTAKE") == 0)
		m->compare = position(m);
	return m;
}

/* ---- objectives ---- */

static const char *commentary_for(const char *id)
{
	if (strcmp(id, "PO1") == 0)
		return "Free school meal take-up fell to its lowest level for two years this "
		       "quarter and "
		       "is now red: the drop is concentrated in Chopwell & West, where meals are "
		       "transported into small rural schools, and the SPC chart shows a run below "
		       "the "
		       "mean rather than one bad census. Re-referrals to children's social care "
		       "keep "
		       "improving as families stepped down to Early Help are less likely to "
		       "return. The "
		       "number of looked-after children is context, read alongside the Reducing "
		       "the "
		       "Number of Children in Care Strategy, not a target. Ask: is the rural meals "
		       "pilot funded for the spring term?";
	if (strcmp(id, "PO2") == 0)
		return "Youth provision attendance is rising with the new detached youth work in "
		       "Felling & East, though still short of target. Direct payments dropped "
		       "after two "
		       "personal-assistant agencies closed; the recovery plan recruits PAs through "
		       "the "
		       "Community Wealth Building employment route.";
	if (strcmp(id, "BS-EMP") == 0)
		return "Sickness absence has been above the mean for seven quarters, a real change "
		       "not "
		       "noise: the Workforce Strategy's wellbeing strand and the briefing note on "
		       "sickness levels requested by OSC come to the next meeting.";
	if (strcmp(id, "PO5") == 0)
		return "Repair times lengthened as trade vacancies went unfilled; the Housing "
		       "Improvement Plan adds two mobile teams and an apprentice intake from "
		       "January.";
	return "Performance is broadly stable this quarter; see the measures for where it has "
	       "moved.";
}

static Pmif__InterventionLine *intervention(const char *id, const char *title, const char *dir,
                                            const char *status, const char *text)
{
	Pmif__InterventionLine *in = NEW(Pmif__InterventionLine, PMIF__INTERVENTION_LINE__INIT);

	in->intervention_id = str("%s", id);
	in->title = str("%s", title);
	in->directorate = str("%s", dir);
	in->status = str("%s", status);
	in->text = str("%s", text);
	in->period = str("%s", quarter(NQ - 1));
	in->updated_by = str("officer, %s", dir);
	/* the slippage the server would judge from a plan of three milestones */
	in->owner = str("Service Manager, %s", dir);
	in->milestones = 3;
	in->milestones_done = strcmp(status, "complete") == 0 ? 3 : 1;
	in->rag = str("%s", strcmp(status, "on-track") == 0    ? "green"
	                    : strcmp(status, "at-risk") == 0   ? "amber"
	                    : strcmp(status, "off-track") == 0 ? "red"
	                                                       : "complete");
	in->next_milestone =
	    str("%s", in->milestones_done < 3 ? "Pilot reviewed by the board" : "");
	in->next_due = str("%s", in->milestones_done < 3 ? "2023-03-10" : "");
	in->rag_reason =
	    str("%s", strcmp(in->rag, "amber") == 0   ? "milestone 2 'Pilot reviewed by "
	                                                "the board' is 21 days overdue"
	              : strcmp(in->rag, "red") == 0   ? "milestone 2 'Pilot reviewed by "
	                                                "the board' is 45 days overdue"
	              : strcmp(in->rag, "green") == 0 ? "the next milestone is due 2023-06-30"
	                                              : "every milestone is done");
	in->as_of = str("2023-03-31");
	in->rag_rule =
	    str("Red: a milestone more than 30 days overdue; Amber: a milestone up to 30 "
	        "days overdue, or due within 14 days with no progress update this "
	        "period; Green: every open milestone on time; Complete: every milestone "
	        "done");
	return in;
}

static Pmif__RiskLine *risk(const char *id, const char *title, const char *dir, unsigned l,
                            unsigned im, unsigned prev, const char *mitigation)
{
	Pmif__RiskLine *r = NEW(Pmif__RiskLine, PMIF__RISK_LINE__INIT);

	r->risk_id = str("%s", id);
	r->title = str("%s", title);
	r->directorate = str("%s", dir);
	r->likelihood = l;
	r->impact = im;
	r->score = l * im;
	r->has_previous = prev > 0;
	r->previous_score = prev;
	r->previous_period = str("%s", prev ? quarter(NQ - 2) : "");
	r->movement = str("%s", prev == 0       ? "new"
	                        : l * im > prev ? "up"
	                        : l * im < prev ? "down"
	                                        : "no change");
	r->mitigation = str("%s", mitigation);
	/* the previous assessment: the factors of prev nearest to (l, im) */
	for (unsigned pl = 1, best = 99; prev && pl <= 5; pl++) {
		unsigned d = pl > l ? pl - l : l - pl;
		if (prev % pl == 0 && prev / pl <= 5 && d < best) {
			best = d;
			r->previous_likelihood = pl;
			r->previous_impact = prev / pl;
		}
	}
	r->owner = str("Head of Service, %s", dir);
	r->objective_id = str("PO1");
	if (l > 2) {
		r->target_likelihood = 2;
		r->target_impact = im;
		r->target_score = 2 * im;
	}
	r->against_target = str("%s", l > 2 ? "above target" : "no target");
	return r;
}

static Pmif__ResourceLine *resource(const char *subject, const char *label, double budget,
                                    double spend)
{
	Pmif__ResourceLine *r = NEW(Pmif__ResourceLine, PMIF__RESOURCE_LINE__INIT);

	r->subject_id = str("%s", subject);
	r->label = str("%s", label);
	r->year = str("2022-23");
	r->budget = budget;
	r->spend = spend;
	r->variance = spend - budget;
	return r;
}

static void fill_extras(Pmif__ObjectiveSection *o)
{
	if (strcmp(o->objective_id, "PO1") == 0) {
		o->n_outcomes = 3;
		o->outcomes = ARRAY(char *, 3);
		o->outcomes[0] =
		    str("The circumstances which result in adverse childhood experiences "
		        "are prevented");
		o->outcomes[1] = str("All children start school ready to learn");
		o->outcomes[2] = str("All permanent school exclusions are prevented");
		o->n_interventions = 3;
		o->interventions = ARRAY(Pmif__InterventionLine *, 3);
		o->interventions[0] = intervention(
		    "PO1-IN3", "C&F Early Help Strategy: support to families when they need it",
		    "CAF", "on-track",
		    "Family hubs open in all four localities; 412 families supported this "
		    "quarter.");
		o->interventions[1] = intervention(
		    "PO1-IN5", "Rural free school meals delivery pilot", "CAF", "at-risk",
		    "Transport contract for Chopwell schools delayed to the spring term.");
		o->interventions[2] =
		    intervention("PO1-IN7", "Reducing the Number of Children in Care Strategy",
		                 "CAF", "off-track",
		                 "Placement sufficiency review slipped; in-house fostering "
		                 "recruitment below plan.");
		o->n_risks = 2;
		o->risks = ARRAY(Pmif__RiskLine *, 2);
		o->risks[0] = risk("SR-04", "Insufficient local placements for children in care",
		                   "CAF", 4, 4, 12,
		                   "Sufficiency strategy; in-house fostering campaign; regional "
		                   "commissioning.");
		o->risks[1] =
		    risk("SR-09", "Rising school exclusions widen the attainment gap", "CAF", 3, 3,
		         12, "Inclusion panel; alternative provision review with academies.");
		o->n_resources = 2;
		o->resources = ARRAY(Pmif__ResourceLine *, 2);
		o->resources[0] = resource("PO1-IN3", "Early Help family hubs", 2450000, 1890000);
		o->resources[1] =
		    resource("PO1-IN7", "Children in care placements", 18600000, 20150000);
		o->n_case_studies = 1;
		o->case_studies = ARRAY(Pmif__CaseStudyLine *, 1);
		o->case_studies[0] = NEW(Pmif__CaseStudyLine, PMIF__CASE_STUDY_LINE__INIT);
		o->case_studies[0]->case_study_id = str("CS-17");
		o->case_studies[0]->title = str("Back on his feet through the Birtley Hub");
		o->case_studies[0]->locality = str("Birtley & South");
		o->case_studies[0]->period = str("%s", quarter(NQ - 1));
		o->case_studies[0]->story = str(
		    "A young father who would not have approached the council directly came to the "
		    "Birtley Hub about a food parcel. The hub acted as the \"middle man\": it "
		    "sorted his "
		    "benefits, a school meal claim for his two children, and a move into shared "
		    "housing. He now volunteers at the hub's Friday caf\u00e9.");
		o->case_studies[0]->n_measures = 1;
		o->case_studies[0]->measures = ARRAY(char *, 1);
		o->case_studies[0]->measures[0] = str("FSM-UPTAKE");
	} else if (strcmp(o->objective_id, "PO2") == 0 || strcmp(o->objective_id, "BS-EMP") == 0) {
		bool emp = o->objective_id[0] == 'B';

		o->n_interventions = 2;
		o->interventions = ARRAY(Pmif__InterventionLine *, 2);
		o->interventions[0] =
		    emp ? intervention("BS-EMP-IN1", "Workforce Strategy: wellbeing strand", "RD",
		                       "at-risk",
		                       "Occupational health contract re-let; backlog of "
		                       "referrals clearing.")
		        : intervention("PO2-IN9",
		                       "Prioritise preventing and reducing violence and "
		                       "domestic abuse",
		                       "CAF", "on-track",
		                       "Safe accommodation duty met; IDVA caseloads "
		                       "within guidance.");
		o->interventions[1] =
		    emp ? intervention("BS-EMP-IN2", "Trades apprenticeship intake", "RD",
		                       "complete", "24 apprentices started in September.")
		        : intervention("PO2-IN6", "Support people through locality case working",
		                       "CAF", "", "");
		o->n_risks = 1;
		o->risks = ARRAY(Pmif__RiskLine *, 1);
		o->risks[0] =
		    emp ? risk("SR-02", "Recruitment and retention in care and trades", "RD", 4, 4,
		               16, "Workforce Strategy; market supplements; career routes.")
		        : risk("SR-11", "Youth provision funding ends in March", "CAF", 3, 4, 0,
		               "Bid to the National Lottery Youth Investment Fund.");
		o->n_resources = 1;
		o->resources = ARRAY(Pmif__ResourceLine *, 1);
		o->resources[0] =
		    emp ? resource("BS-EMP", "Organisational development", 640000, 512000)
		        : resource("PO2", "Youth services", 1250000, 1190000);
	}
}

/* The section for objective @p k, with every matching measure. */
static Pmif__ObjectiveSection *section(size_t k, bool extras)
{
	Pmif__ObjectiveSection *o = NEW(Pmif__ObjectiveSection, PMIF__OBJECTIVE_SECTION__INIT);
	size_t n = 0;

	o->objective_id = str("%s", objectives[k].id);
	o->title = str("%s", objectives[k].title);
	o->kind = str("%s", objectives[k].kind);
	for (size_t i = 0; i < NSPEC; i++)
		n += strcmp(specs[i].objective, objectives[k].id) == 0;
	o->measures = ARRAY(Pmif__MeasureLine *, n ? n : 1);
	for (size_t i = 0; i < NSPEC; i++) {
		Pmif__MeasureLine *m;

		if (strcmp(specs[i].objective, objectives[k].id) != 0)
			continue;
		m = measure_line(i);
		o->measures[o->n_measures++] = m;
		switch (m->rag) {
		case PMIF__RAG__RAG_RED: o->red++; break;
		case PMIF__RAG__RAG_AMBER: o->amber++; break;
		case PMIF__RAG__RAG_GREEN: o->green++; break;
		case PMIF__RAG__RAG_NO_DATA: o->no_data++; break;
		default: o->grey++;
		}
	}
	o->commentary = str("%s", commentary_for(o->objective_id));
	o->commentary_by = str("Strategic Director's commentary, %s", quarter(NQ - 1));
	if (extras)
		fill_extras(o);
	return o;
}

static Pmif__ReportFilter *filter(const char *committee)
{
	Pmif__ReportFilter *f = NEW(Pmif__ReportFilter, PMIF__REPORT_FILTER__INIT);

	f->period = str("%s", quarter(NQ - 1));
	f->committee = str("%s", committee ? committee : "");
	return f;
}

/* A scorecard over objectives [from, to). */
static Pmif__Scorecard *scorecard(size_t from, size_t to, bool extras, const char *committee)
{
	Pmif__Scorecard *s = NEW(Pmif__Scorecard, PMIF__SCORECARD__INIT);

	s->title = str("Performance scorecard %s", quarter(NQ - 1));
	s->filter = filter(committee);
	s->generated_unix = 1683883800; /* 2023-05-12 09:30 UTC */
	s->objectives = ARRAY(Pmif__ObjectiveSection *, to - from);
	for (size_t k = from; k < to; k++) {
		Pmif__ObjectiveSection *o = section(k, extras);

		s->objectives[s->n_objectives++] = o;
		s->red += o->red;
		s->amber += o->amber;
		s->green += o->green;
		s->grey += o->grey;
		s->no_data += o->no_data;
		for (size_t i = 0; i < o->n_measures; i++)
			s->provisional += o->measures[i]->provisional;
	}
	return s;
}

static Pmif__ExceptionReport *exceptions_of(const Pmif__Scorecard *s)
{
	Pmif__ExceptionReport *x = NEW(Pmif__ExceptionReport, PMIF__EXCEPTION_REPORT__INIT);
	size_t n = 0;

	x->title = str("Exception report %s", quarter(NQ - 1));
	x->filter = s->filter;
	for (size_t k = 0; k < s->n_objectives; k++)
		for (size_t i = 0; i < s->objectives[k]->n_measures; i++)
			n += s->objectives[k]->measures[i]->exception;
	x->exceptions = ARRAY(Pmif__MeasureLine *, n ? n : 1);
	/* red first, then concern, then worsening: most severe first */
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < s->n_objectives; k++)
			for (size_t i = 0; i < s->objectives[k]->n_measures; i++) {
				Pmif__MeasureLine *m = s->objectives[k]->measures[i];

				if (m->exception && (m->rag == PMIF__RAG__RAG_RED) == (pass == 0))
					x->exceptions[x->n_exceptions++] = m;
			}
	return x;
}

/* One committee action as pmifd sends it in a pack (judged on 2023-05-10). */
static Pmif__ActionView *sample_action(const char *id, const char *committee, const char *text,
                                       const char *owner, const char *owner_name,
                                       Pmif__ActionStatus status, const char *due, unsigned late,
                                       const char *note)
{
	Pmif__ActionView *v = NEW(Pmif__ActionView, PMIF__ACTION_VIEW__INIT);
	Pmif__ActionRecord *a = NEW(Pmif__ActionRecord, PMIF__ACTION_RECORD__INIT);
	bool closed = status == PMIF__ACTION_STATUS__ACTION_DONE;

	a->id = str("%s", id);
	a->committee = str("%s", committee);
	a->meeting = str("2022-11-21");
	a->text = str("%s", text);
	a->directorate = str("%s", owner);
	a->due = str("%s", due);
	a->status = status;
	a->note = str("%s", note);
	a->closed_on = str("%s", closed ? "2023-02-14" : "");
	v->action = a;
	v->status = str("%s", closed                                              ? "done"
	                      : status == PMIF__ACTION_STATUS__ACTION_IN_PROGRESS ? "in progress"
	                                                                          : "open");
	v->overdue = late > 0;
	v->days_overdue = late;
	v->due_label = closed ? str("due %s; done 2023-02-14", due)
	               : late ? str("overdue: due %s, %u days ago", due, late)
	                      : str("due %s", due);
	v->committee_name = str("%s", committee);
	v->directorate_name = str("%s", owner_name);
	return v;
}

/* The pack's actions from previous meetings: the Families OSC's three (one
 * overdue, one not yet due, one done this quarter), Cabinet's one. */
static void sample_actions(Pmif__CommitteePack *p, bool cabinet)
{
	p->actions_as_of = str("2023-05-10");
	p->actions = ARRAY(Pmif__ActionView *, 3);
	if (cabinet) {
		p->actions[p->n_actions++] = sample_action(
		    "A-7", "CABINET",
		    "Report on the locality working approach, developed with councillors and "
		    "communities from the outset, starting with the Birtley and Chopwell pilots.",
		    "EIG", "Economy, Innovation and Growth",
		    PMIF__ACTION_STATUS__ACTION_IN_PROGRESS, "2023-03-31", 40,
		    "Birtley locality plan agreed with ward councillors.");
		return;
	}
	p->actions[p->n_actions++] =
	    sample_action("A-3", "FAMILIES-OSC",
	                  "A briefing note on free school meal take-up in the rural schools of "
	                  "Chopwell and West, "
	                  "where meals are transported in.",
	                  "CAF", "Children, Adults and Families",
	                  PMIF__ACTION_STATUS__ACTION_IN_PROGRESS, "2023-03-31", 40,
	                  "Draft with the school meals service; transport costs being checked.");
	p->actions[p->n_actions++] = sample_action(
	    "A-4", "FAMILIES-OSC", "Invite the Virtual School Head to the next meeting.", "CAF",
	    "Children, Adults and Families", PMIF__ACTION_STATUS__ACTION_OPEN, "2023-06-30", 0, "");
	p->actions[p->n_actions++] = sample_action(
	    "A-2", "FAMILIES-OSC", "Circulate the Ofsted grading of each school by locality.",
	    "CAF", "Children, Adults and Families", PMIF__ACTION_STATUS__ACTION_DONE, "2023-01-31",
	    0, "Circulated to members on 14 February 2023.");
}

static Pmif__LocalityReport *sample_locality(void);

/* The pack's locality section and its locality exception: FSM-UPTAKE's
 * comparison (Chopwell significantly worse), and a count that is not
 * compared. */
static void sample_pack_localities(Pmif__CommitteePack *p)
{
	Pmif__LocalityReport *fsm = sample_locality(), *lac = sample_locality();
	Pmif__ExceptionReport *x = p->exceptions;
	Pmif__MeasureLine *m = measure_line(0), **grown;

	lac->measure = measure_line(0);
	lac->measure->measure_id = str("LAC-NUMBER");
	lac->measure->title = str("Number of looked-after children");
	lac->measure->unit = str("count");
	lac->measure->decimals = 0;
	lac->borough->value = 428;
	lac->borough->comparison_label = str("the benchmark");
	for (size_t i = 0; i < lac->n_localities; i++) {
		Pmif__LocalityLine *l = lac->localities[i];

		l->value = (double)(82 + 40 * i);
		l->lower = l->value - 2 * sqrt(l->value);
		l->upper = l->value + 2 * sqrt(l->value);
		l->method = str("Byar");
		l->comparison = PMIF__COMPARISON__COMPARISON_NOT_COMPARED;
		l->comparison_label =
		    str("not compared: a locality's count is part of the borough's "
		        "total (the interval shows its range by chance alone)");
	}
	p->n_localities = 2;
	p->localities = ARRAY(Pmif__LocalityReport *, 2);
	p->localities[0] = fsm;
	p->localities[1] = lac;
	/* Chopwell, as pmifd words a locality exception */
	m->locality = str("chopwell");
	m->locality_name = str("Chopwell & West");
	m->value = fsm->localities[1]->value;
	m->exception = true;
	m->n_exception_reasons = 1;
	m->exception_reasons = ARRAY(char *, 1);
	m->exception_reasons[0] = str(
	    "significantly worse than the borough in Chopwell & West: %.1f%% (95%% interval "
	    "%.2f%% to %.2f%%, Wilson score) against the borough's %.1f%%",
	    m->value, fsm->localities[1]->lower, fsm->localities[1]->upper, fsm->borough->value);
	grown = ARRAY(Pmif__MeasureLine *, x->n_exceptions + 1);
	memcpy(grown, x->exceptions, sizeof(*grown) * x->n_exceptions);
	grown[x->n_exceptions++] = m;
	x->exceptions = grown;
	x->locality_exceptions = 1;
}

static Pmif__CommitteePack *sample_pack(bool cabinet)
{
	Pmif__CommitteePack *p = NEW(Pmif__CommitteePack, PMIF__COMMITTEE_PACK__INIT);
	Pmif__Scorecard *s =
	    cabinet ? scorecard(0, NOBJ, true, "CABINET") : scorecard(0, 2, true, "FAMILIES-OSC");

	p->committee_id = str("%s", cabinet ? "CABINET" : "FAMILIES-OSC");
	p->committee_name =
	    str("%s", cabinet ? "Cabinet" : "Families Overview and Scrutiny Committee");
	p->title = cabinet ? str("Six-monthly performance report to Cabinet, %s", quarter(NQ - 1))
	                   : str("Families OSC performance pack, %s", quarter(NQ - 1));
	p->cabinet = cabinet;
	p->filter = s->filter;
	p->summary = s;
	p->exceptions = exceptions_of(s);
	p->n_objectives = s->n_objectives;
	p->objectives = s->objectives;
	/* what has no data, with its owner, as pmifd lists it */
	p->no_data = ARRAY(Pmif__MissingItem *, s->no_data ? s->no_data : 1);
	for (size_t k = 0; k < s->n_objectives; k++)
		for (size_t i = 0; i < s->objectives[k]->n_measures; i++) {
			const Pmif__MeasureLine *m = s->objectives[k]->measures[i];
			Pmif__MissingItem *it;

			if (m->rag != PMIF__RAG__RAG_NO_DATA)
				continue;
			it = NEW(Pmif__MissingItem, PMIF__MISSING_ITEM__INIT);
			it->measure_id = m->measure_id;
			it->title = m->title;
			it->locality = m->locality;
			it->period = m->period;
			it->status = str("missing");
			it->directorate = m->directorate;
			it->directorate_name = str("Children, Adults and Families");
			p->no_data[p->n_no_data++] = it;
		}
	sample_actions(p, cabinet);
	sample_pack_localities(p);
	return p;
}

static Pmif__Scorecard *sample_scorecard(void)
{
	return scorecard(0, NOBJ, false, NULL);
}

static Pmif__ExceptionReport *sample_exceptions(void)
{
	return exceptions_of(scorecard(0, NOBJ, false, NULL));
}

static Pmif__CompletenessReport *sample_completeness(void)
{
	static const struct {
		const char *id, *name;
		unsigned expected, approved, submitted;
	} d[] = {
	    {"CAF", "Children, Adults & Families", 44, 30, 9},
	    {"RD", "Resources & Digital", 22, 19, 3},
	    {"EIG", "Economy, Innovation & Growth", 9, 4, 2},
	    {"HEHC", "Housing, Environment & Healthy Communities", 31, 31, 0},
	};
	Pmif__CompletenessReport *r =
	    NEW(Pmif__CompletenessReport, PMIF__COMPLETENESS_REPORT__INIT);
	const char *loc[] = {"borough", "birtley", "chopwell", "central", "felling"};

	r->title = str("Completeness of %s returns", quarter(NQ - 1));
	r->filter = filter(NULL);
	r->due_date = str("2023-04-28");
	r->overdue = true;
	r->period_state = str("open");
	r->n_directorates = 4;
	r->directorates = ARRAY(Pmif__DirectorateCompleteness *, 4);
	for (size_t i = 0; i < 4; i++) {
		Pmif__DirectorateCompleteness *c =
		    NEW(Pmif__DirectorateCompleteness, PMIF__DIRECTORATE_COMPLETENESS__INIT);
		size_t n = 0;

		c->directorate = str("%s", d[i].id);
		c->name = str("%s", d[i].name);
		c->expected = d[i].expected;
		c->approved = d[i].approved;
		c->submitted = d[i].submitted;
		c->missing = d[i].expected - d[i].approved - d[i].submitted;
		c->items = ARRAY(Pmif__MissingItem *, c->missing + c->submitted + 1);
		for (size_t k = 0; k < NSPEC && n < c->missing + c->submitted; k++) {
			Pmif__MissingItem *it;

			if (strcmp(specs[k].directorate, d[i].id) != 0)
				continue;
			for (size_t l = 0; l < 5 && n < c->missing + c->submitted; l++) {
				it = NEW(Pmif__MissingItem, PMIF__MISSING_ITEM__INIT);
				it->measure_id = str("%s", specs[k].id);
				it->title = str("%s", specs[k].title);
				it->locality = str("%s", loc[l]);
				it->status =
				    str("%s", n < c->missing ? "missing" : "awaiting sign-off");
				c->items[n++] = it;
			}
		}
		c->n_items = n;
		r->directorates[i] = c;
	}
	return r;
}

static Pmif__TrendReport *sample_trend(const char *id)
{
	Pmif__TrendReport *t = NEW(Pmif__TrendReport, PMIF__TREND_REPORT__INIT);
	size_t idx = 0;
	const struct spec *s;
	double v[NQ];
	struct spc x;

	for (size_t i = 0; i < NSPEC; i++)
		if (strcmp(specs[i].id, id) == 0)
			idx = i;
	s = &specs[idx];
	series(s, idx, v);
	xmr(v, NQ, &x);
	t->measure = measure_line(idx);
	t->title = str("Trend: %s", s->title);
	t->filter = filter(NULL);
	t->filter->from_period = str("%s", quarter(0));
	t->filter->to_period = str("%s", quarter(NQ - 1));
	t->filter->measure = str("%s", s->id);
	t->n_points = NQ;
	t->points = ARRAY(Pmif__SeriesPoint *, NQ);
	for (size_t i = 0; i < NQ; i++)
		t->points[i] = point(s, v, &x, i);
	t->spc = NEW(Pmif__SpcSummary, PMIF__SPC_SUMMARY__INIT);
	t->spc->n = NQ;
	t->spc->mean = x.mean;
	t->spc->upl = x.upl;
	t->spc->lpl = x.lpl;
	t->spc->upper_2sigma = x.u2;
	t->spc->lower_2sigma = x.l2;
	t->spc->variation = t->measure->variation;
	t->spc->summary = str("%s", t->measure->spc_summary);
	if (strcmp(s->polarity, "none") == 0) {
		t->spc->assurance = PMIF__ASSURANCE__ASSURANCE_NO_POLARITY;
		t->spc->assurance_label = str("no assurance assessment: a context measure");
	} else if ((strcmp(s->polarity, "higher") == 0 && s->target > x.upl) ||
	           (strcmp(s->polarity, "lower") == 0 && s->target < x.lpl)) {
		t->spc->assurance = PMIF__ASSURANCE__ASSURANCE_CONSISTENT_FAIL;
		t->spc->assurance_label =
		    str("the target lies outside the process limits: the process "
		        "will consistently fail it without a change in approach");
	} else {
		t->spc->assurance = PMIF__ASSURANCE__ASSURANCE_HIT_AND_MISS;
		t->spc->assurance_label =
		    str("the target lies inside the process limits: it will be "
		        "hit and missed by chance");
	}
	return t;
}

/* Wilson score interval for k of n, in percent. */
static void wilson(double k, double n, double *lo, double *hi)
{
	double z = 1.959964, p = k / n, d = 1 + z * z / n;
	double c = p + z * z / (2 * n), e = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n));

	*lo = 100 * (c - e) / d;
	*hi = 100 * (c + e) / d;
}

static Pmif__LocalityLine *loc_line(const char *id, const char *name, double k, double n,
                                    double borough, bool prov)
{
	Pmif__LocalityLine *l = NEW(Pmif__LocalityLine, PMIF__LOCALITY_LINE__INIT);

	l->locality = str("%s", id);
	l->name = str("%s", name);
	l->has_value = true;
	l->value = round_to(100 * k / n, 1);
	l->provisional = prov;
	l->has_interval = true;
	wilson(k, n, &l->lower, &l->upper);
	l->numerator = k;
	l->denominator = n;
	l->method = str("Wilson score");
	if (isnan(borough)) {
		l->comparison = PMIF__COMPARISON__COMPARISON_NOT_COMPARED;
	} else if (l->upper < borough) {
		l->comparison = PMIF__COMPARISON__COMPARISON_WORSE;
		l->comparison_label = str("significantly worse than the borough");
	} else if (l->lower > borough) {
		l->comparison = PMIF__COMPARISON__COMPARISON_BETTER;
		l->comparison_label = str("significantly better than the borough");
	} else {
		l->comparison = PMIF__COMPARISON__COMPARISON_SIMILAR;
		l->comparison_label = str("similar to the borough");
	}
	return l;
}

static Pmif__LocalityReport *sample_locality(void)
{
	Pmif__LocalityReport *r = NEW(Pmif__LocalityReport, PMIF__LOCALITY_REPORT__INIT);
	size_t idx = 0;

	r->title = str("Free school meal take-up by locality, %s", quarter(NQ - 1));
	r->filter = filter(NULL);
	r->filter->measure = str("FSM-UPTAKE");
	r->measure = measure_line(idx);
	r->borough = loc_line("borough", "Gateshead (borough-wide)", 6512, 8010, NAN, true);
	r->n_localities = 4;
	r->localities = ARRAY(Pmif__LocalityLine *, 4);
	r->localities[0] = loc_line("birtley", "Birtley & South (Birtley, Lamesley, Wrekenton)",
	                            1391, 1640, r->borough->value, false);
	r->localities[1] = loc_line("chopwell",
	                            "Chopwell & West (Chopwell, Rowlands Gill, Ryton, "
	                            "Blaydon, Whickham)",
	                            1105, 1402, r->borough->value, true);
	r->localities[2] = loc_line("central",
	                            "Central Gateshead (town centre, Bensham, Saltwell, "
	                            "Low Fell)",
	                            2433, 2980, r->borough->value, false);
	r->localities[3] =
	    loc_line("felling", "Felling & East (Felling, Pelaw, Heworth, Windy Nook)", 1583, 1988,
	             r->borough->value, false);
	return r;
}

/* The risk report: every risk of the committee pack's objectives. */
static Pmif__RiskReport *sample_risks(void)
{
	Pmif__CommitteePack *k = sample_pack(false);
	Pmif__RiskReport *r = NEW(Pmif__RiskReport, PMIF__RISK_REPORT__INIT);
	size_t n = 0;

	for (size_t i = 0; i < k->n_objectives; i++)
		n += k->objectives[i]->n_risks;
	r->title = str("Strategic risks: Families OSC, %s", quarter(NQ - 1));
	r->filter = k->filter;
	r->risks = ARRAY(Pmif__RiskLine *, n ? n : 1);
	for (size_t i = 0; i < k->n_objectives; i++)
		for (size_t j = 0; j < k->objectives[i]->n_risks; j++) {
			Pmif__RiskLine *l = k->objectives[i]->risks[j];
			r->risks[r->n_risks++] = l;
			r->above_target += strcmp(l->against_target, "above target") == 0;
			r->moved_up += strcmp(l->movement, "up") == 0;
			r->moved_down += strcmp(l->movement, "down") == 0;
		}
	return r;
}

/* The comparison pmifd sends for FSM-UPTAKE: 15 neighbours around this
 * council's value (one tie), the national and regional figures. */
static Pmif__CompareReport *sample_compare(void)
{
	Pmif__CompareReport *r = NEW(Pmif__CompareReport, PMIF__COMPARE_REPORT__INIT);
	Pmif__MeasureLine *m = measure_line(0);
	static const double offsets[15] = {3.1,  2.4,  1.9,  0.8,  0.0,  -0.4, -0.9, -1.3,
	                                   -1.8, -2.2, -2.9, -3.5, -4.0, -4.8, -6.1};
	size_t at = 0;

	r->measure = m;
	r->position = m->compare;
	r->title = str("Comparison with similar councils, %s: %s", m->period, m->title);
	r->filter = filter(NULL);
	r->filter->measure = str("%s", m->measure_id);
	r->n_rows = 16;
	r->rows = ARRAY(Pmif__CompareRow *, 16);
	for (size_t i = 0; i < 15; i++) {
		Pmif__CompareRow *row = NEW(Pmif__CompareRow, PMIF__COMPARE_ROW__INIT);

		row->name = str("Neighbour %c", (char)('A' + i));
		row->value = round((m->value + offsets[i]) * 10) / 10;
		row->kind = str("council");
		row->rank = (uint32_t)(i < 4 ? i + 1 : i + 2);
		if (i == 4) { /* the tie: it shares this council's rank */
			Pmif__CompareRow *us = NEW(Pmif__CompareRow, PMIF__COMPARE_ROW__INIT);

			row->rank = 5;
			us->name = str("This council");
			us->value = m->value;
			us->kind = str("council");
			us->rank = 5;
			us->this_council = true;
			r->rows[at++] = us;
		}
		r->rows[at++] = row;
	}
	r->n_references = 2;
	r->references = ARRAY(Pmif__CompareRow *, 2);
	for (size_t i = 0; i < 2; i++) {
		Pmif__CompareRow *ref = NEW(Pmif__CompareRow, PMIF__COMPARE_ROW__INIT);

		ref->name = str("%s", i ? "North East" : "England");
		ref->kind = str("%s", i ? "regional" : "national");
		ref->value = m->value + (i ? 0.8 : -2.1);
		r->references[i] = ref;
	}
	return r;
}

#ifndef RENDER_SAMPLE_NO_MAIN

static const enum render_format formats[] = {RENDER_TABLE, RENDER_CSV, RENDER_JSON, RENDER_HTML,
                                             RENDER_PDF};
static const char *const ext[] = {"txt", "csv", "json", "html", "pdf"};

static int write_all(const char *dir, const char *name, const ProtobufCMessage *msg)
{
	static const struct render_options opt = {
	    .width = 100, .tty = -1, .utf8 = 1, .now = 1683883800};

	for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
		char path[4096];
		int rc;

		snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext[f]);
		rc = render_message(msg, formats[f], path, &opt);
		if (rc != 0) {
			fprintf(stderr, "pmif-render-sample: cannot write '%s': %s\n", path,
			        rc == PMIF_EIO ? strerror(errno) : pmif_strerror(rc));
			return 1;
		}
		printf("%s\n", path);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *dir;
	int rc = 0;

	if (argc != 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: pmif-render-sample OUTDIR\n"
		                "Writes a sample of every report in every format to OUTDIR.\n");
		return 2;
	}
	dir = argv[1];
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		fprintf(stderr, "pmif-render-sample: cannot create '%s': %s\n", dir,
		        strerror(errno));
		return 1;
	}
	rc = rc ? rc : write_all(dir, "pack", &sample_pack(false)->base);
	rc = rc ? rc : write_all(dir, "cabinet", &sample_pack(true)->base);
	rc = rc ? rc : write_all(dir, "scorecard", &sample_scorecard()->base);
	rc = rc ? rc : write_all(dir, "exceptions", &sample_exceptions()->base);
	rc = rc ? rc : write_all(dir, "completeness", &sample_completeness()->base);
	rc = rc ? rc : write_all(dir, "trend-fsm", &sample_trend("FSM-UPTAKE")->base);
	rc = rc ? rc : write_all(dir, "trend-sickness", &sample_trend("SICKNESS-DAYS")->base);
	rc = rc ? rc : write_all(dir, "trend-lac", &sample_trend("LAC-NUMBER")->base);
	rc = rc ? rc : write_all(dir, "locality", &sample_locality()->base);
	rc = rc ? rc : write_all(dir, "risks", &sample_risks()->base);
	rc = rc ? rc : write_all(dir, "compare", &sample_compare()->base);
	sample_free();
	return rc;
}

#endif
