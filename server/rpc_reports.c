/*
 * rpc_reports.c - the report RPCs: scorecard, exceptions, completeness,
 * trend, locality comparison and committee pack.
 *
 * Every report is computed afresh on each call from the one read
 * transaction the dispatcher opened, so all its numbers come from a
 * single consistent snapshot; nothing is cached between calls.  The cost
 * is one range scan per measure line (its series up to the period, read
 * once and used for the value, the comparators, SPC and the sparkline),
 * plus single-key gets for commentary and the pack's updates, budgets and
 * assessments, and one scan each of the framework tables involved.  A
 * committee pack reuses its scorecard's lines for the exceptions and the
 * sections rather than computing them again.  Each reply says how long
 * it took (server_time_us) so the cost stays visible.
 *
 * Filters (ReportFilter): an id that does not exist is NOT_FOUND; a
 * period that is not a period is INVALID_ARGUMENT with period.h's
 * sentence; see report.h for what each selects.
 */
#include <string.h>
#include <time.h>

#include "error.h"
#include "framework.h"
#include "measures.h"
#include "periods_store.h"
#include "report.h"
#include "values.h"

static bool given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

/* "Scorecard, 2022-23-Q3: Families OSC, PO1 ..., Birtley" */
static char *title(struct rpc_ctx *ctx, const char *what, const struct report_sel *sel)
{
	const char *parts[4] = {
	    sel->committee ? sel->committee->name : NULL,
	    sel->objective ? sel->objective->title : NULL,
	    sel->directorate ? sel->directorate->name : NULL,
	    sel->locality ? sel->locality->name : NULL,
	};
	char *t = arena_printf(ctx->op.arena, "%s, %s", what, sel->filter->period);
	bool first = true;

	for (size_t i = 0; t && i < 4; i++) {
		if (parts[i] == NULL)
			continue;
		t = arena_printf(ctx->op.arena, "%s%s%s", t, first ? ": " : ", ", parts[i]);
		first = false;
	}
	return t;
}

int rpc_report_scorecard(struct rpc_ctx *ctx)
{
	uint64_t t0 = report_clock_us();
	struct report_sel sel;
	Pmif__ObjectiveSection **secs;
	Pmif__Scorecard *sc;
	size_t n;
	int rc;

	if ((rc = report_select(&ctx->op, (const Pmif__ReportFilter *)ctx->in, true, &sel)) != 0 ||
	    (rc = report_sections(&ctx->op, &sel, &secs, &n)) != 0)
		return rc;
	sc = report_scorecard_of(&ctx->op, &sel, secs, n, title(ctx, "Scorecard", &sel));
	if (sc == NULL || sc->title == NULL)
		return report_nomem(&ctx->op);
	sc->server_time_us = report_clock_us() - t0;
	return RPC_REPLY(ctx, sc);
}

int rpc_report_exceptions(struct rpc_ctx *ctx)
{
	uint64_t t0 = report_clock_us();
	struct report_sel sel;
	Pmif__ObjectiveSection **secs;
	Pmif__ExceptionReport *r;
	Pmif__LocalityReport **reps;
	size_t n, n_reps;
	int rc;

	if ((rc = report_select(&ctx->op, (const Pmif__ReportFilter *)ctx->in, true, &sel)) != 0 ||
	    (rc = report_sections(&ctx->op, &sel, &secs, &n)) != 0)
		return rc;
	r = report_exceptions_of(&ctx->op, &sel, secs, n, title(ctx, "Exceptions", &sel));
	if (r == NULL || r->title == NULL)
		return report_nomem(&ctx->op);
	if ((rc = report_locality_section(&ctx->op, &sel, secs, n, &reps, &n_reps)) != 0 ||
	    (rc = report_locality_exceptions(&ctx->op, &sel, secs, n, reps, n_reps, r)) != 0)
		return rc;
	r->server_time_us = report_clock_us() - t0;
	return RPC_REPLY(ctx, r);
}

/* ---------------------------------------------------------- completeness */

/* An item names its owner itself, so a row of it read alone (CSV, a
 * pack's no-data list) still says who owes the value. */
static int add_item(struct rpc_ctx *ctx, Pmif__DirectorateCompleteness *d, size_t cap,
                    const Pmif__Measure *m, const char *locality, const char *period,
                    const char *status)
{
	Pmif__MissingItem *it = ARENA_NEW(ctx->op.arena, Pmif__MissingItem);

	if (it == NULL || d->n_items >= cap)
		return report_nomem(&ctx->op);
	pmif__missing_item__init(it);
	it->measure_id = m->id;
	it->title = m->title;
	it->locality = (char *)locality;
	it->status = (char *)status;
	it->directorate = d->directorate;
	it->directorate_name = d->name;
	it->period = (char *)period;
	d->items[d->n_items++] = it;
	return 0;
}

/* One directorate: every value it owes for the period. */
static int owed(struct rpc_ctx *ctx, const struct report_sel *sel, Pmif__Directorate *dir,
                char **locs, size_t nl, Pmif__DirectorateCompleteness **out)
{
	Pmif__DirectorateCompleteness *d = ARENA_NEW(ctx->op.arena, Pmif__DirectorateCompleteness);
	char *period = report_period_text(ctx->op.arena, &sel->period);
	size_t cap = 0;

	if (d == NULL || period == NULL)
		return report_nomem(&ctx->op);
	pmif__directorate_completeness__init(d);
	d->directorate = dir->id;
	d->name = dir->name;
	for (size_t i = 0; i < sel->n_measures; i++)
		if (strcmp(sel->measures[i]->directorate, dir->id) == 0)
			cap += sel->measures[i]->by_locality ? nl : 1;
	if ((d->items = ARENA_ARRAY(ctx->op.arena, Pmif__MissingItem *, cap + 1)) == NULL)
		return report_nomem(&ctx->op);
	for (size_t i = 0; i < sel->n_measures; i++) {
		const Pmif__Measure *m = sel->measures[i];

		if (strcmp(m->directorate, dir->id) != 0 ||
		    measures_period_kind(m) != (enum pmif_period_kind)sel->period.kind)
			continue;
		/* locs[0] is the borough, or the one locality the filter names
		 * (then only measures reported by locality were selected) */
		for (size_t k = 0; k < (m->by_locality ? nl : 1); k++) {
			Pmif__ValueRecord *v = NULL;
			int rc;

			d->expected++;
			rc = values_find(&ctx->op, m->id, locs[k], &sel->period, &v);
			if (rc != 0 && rc != PMIF_ENOTFOUND)
				return rpc_fail(ctx, PMIF__CODE__INTERNAL,
				                "the values could not be read");
			if (rc == PMIF_ENOTFOUND) {
				d->missing++;
				rc = add_item(ctx, d, cap, m, locs[k], period, "missing");
			} else if (v->status == PMIF__VALUE_STATUS__APPROVED) {
				d->approved++;
			} else {
				d->submitted++;
				rc = add_item(ctx, d, cap, m, locs[k], period, "awaiting sign-off");
			}
			if (rc != 0)
				return rc;
		}
	}
	*out = d;
	return 0;
}

int rpc_report_completeness(struct rpc_ctx *ctx)
{
	uint64_t t0 = report_clock_us();
	Pmif__CompletenessReport *r = ARENA_NEW(ctx->op.arena, Pmif__CompletenessReport);
	ProtobufCMessage **dirs, **locrecs;
	struct report_sel sel;
	size_t nd, nl, ndl = 0, open = 0;
	char **locs, today[16];
	struct tm tm;
	time_t now;
	int rc;

	if (r == NULL)
		return report_nomem(&ctx->op);
	pmif__completeness_report__init(r);
	if ((rc = report_select(&ctx->op, (const Pmif__ReportFilter *)ctx->in, true, &sel)) != 0)
		return rc;
	if (sel.directorate) {
		dirs = (ProtobufCMessage **)&sel.directorate;
		nd = 1;
	} else if (fw_list(&ctx->op, fw_kind(FW_DIRECTORATE), NULL, 0, false, &dirs, &nd) != 0) {
		return ctx->op.code;
	}
	/* the localities values are owed for: the borough first, then each
	 * active strategic locality (or only the one asked for) */
	if (fw_list(&ctx->op, fw_kind(FW_LOCALITY), NULL, 0, false, &locrecs, &nl) != 0)
		return ctx->op.code;
	if ((locs = ARENA_ARRAY(ctx->op.arena, char *, nl + 1)) == NULL)
		return report_nomem(&ctx->op);
	locs[ndl++] = (char *)sel.locality_id;
	for (size_t i = 0; i < nl && !sel.locality; i++) {
		char *id = ((Pmif__Locality *)locrecs[i])->id;
		if (strcmp(id, VALUES_BOROUGH) != 0)
			locs[ndl++] = id;
	}
	r->title = title(ctx, "Completeness", &sel);
	r->filter = report_filter_copy(ctx->op.arena, sel.filter);
	r->directorates = ARENA_ARRAY(ctx->op.arena, Pmif__DirectorateCompleteness *, nd + 1);
	if (r->title == NULL || r->filter == NULL || r->directorates == NULL)
		return report_nomem(&ctx->op);
	for (size_t i = 0; i < nd; i++) {
		Pmif__DirectorateCompleteness *d = NULL;

		if ((rc = owed(ctx, &sel, (Pmif__Directorate *)dirs[i], locs, ndl, &d)) != 0)
			return rc;
		open += d->missing + d->submitted;
		r->directorates[r->n_directorates++] = d;
	}
	r->due_date = sel.period_rec->due;
	r->period_state = sel.period_rec->state == PMIF__PERIOD__STATE__OPEN ? "open" : "locked";
	now = (time_t)ctx->op.now;
	gmtime_r(&now, &tm);
	strftime(today, sizeof(today), "%Y-%m-%d", &tm);
	r->overdue = given(r->due_date) && strcmp(today, r->due_date) > 0 && open > 0;
	r->server_time_us = report_clock_us() - t0;
	return RPC_REPLY(ctx, r);
}

/* ---------------------------------------------------------- trend */

static int measure_arg(struct rpc_ctx *ctx, const Pmif__ReportFilter *f, Pmif__Measure **m)
{
	if (!given(f->measure))
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT, "a measure is required");
	return fw_get(&ctx->op, fw_kind(FW_MEASURE), f->measure, (ProtobufCMessage **)m);
}

/* The locality of a one-measure report: the borough unless given. */
static int locality_arg(struct rpc_ctx *ctx, const Pmif__ReportFilter *f, const Pmif__Measure *m,
                        const char **out)
{
	ProtobufCMessage *loc;

	*out = VALUES_BOROUGH;
	if (!given(f->locality) || strcmp(f->locality, VALUES_BOROUGH) == 0)
		return 0;
	if (fw_get(&ctx->op, fw_kind(FW_LOCALITY), f->locality, &loc) != 0)
		return ctx->op.code;
	if (!m->by_locality)
		return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
		                "measure %s is reported for the borough only, not by locality",
		                m->id);
	*out = f->locality;
	return 0;
}

/* The period of @p kind in which @p p starts: where a trend from @p p begins. */
static int period_from(const struct pmif_period *p, enum pmif_period_kind kind,
                       struct pmif_period *out)
{
	int y, m, d;

	pmif_period_dates(p, &y, &m, &d, NULL, NULL, NULL);
	return pmif_period_of_date(y, m, d, kind, out);
}

/* Periods from and to as given, in the measure's own kind: from is the
 * period @p f's from starts in, to the latest one ending by @p f's to. */
static int trend_range(struct rpc_ctx *ctx, const Pmif__ReportFilter *f, const Pmif__Measure *m,
                       struct pmif_period *from, struct pmif_period *to, bool *has_from,
                       bool *has_to)
{
	enum pmif_period_kind kind = measures_period_kind(m);
	struct pmif_period p;

	*has_from = *has_to = false;
	if (given(f->from_period)) {
		if (periods_parse(&ctx->op, f->from_period, &p) != 0)
			return ctx->op.code;
		if (period_from(&p, kind, from) != 0)
			return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
			                "from: %s is out of range", f->from_period);
		*has_from = true;
	}
	if (given(f->to_period)) {
		if (periods_parse(&ctx->op, f->to_period, &p) != 0)
			return ctx->op.code;
		if (report_period_for(&p, kind, to) != 0)
			return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
			                "to: measure %s has no period at or before %s", m->id,
			                f->to_period);
		*has_to = true;
	}
	if (*has_from && *has_to && pmif_period_compare(from, to) > 0)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "from (%s) is after to (%s): nothing to show", f->from_period,
		                f->to_period);
	return 0;
}

/* The latest finished period of @p kind today: what a trend with no data shows. */
static void period_today(uint64_t now, enum pmif_period_kind kind, struct pmif_period *out)
{
	time_t t = (time_t)now;
	struct tm tm;
	struct pmif_period c = {.year = 2022, .kind = PMIF_PERIOD_YEAR};

	gmtime_r(&t, &tm);
	if (pmif_period_of_date(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, kind, &c) == 0)
		pmif_period_previous(&c, &c);
	*out = c;
}

static int spc_summary(struct rpc_ctx *ctx, const Pmif__Measure *m, const struct report_spc *r,
                       Pmif__SpcSummary **out)
{
	Pmif__SpcSummary *s = ARENA_NEW(ctx->op.arena, Pmif__SpcSummary);

	if (s == NULL)
		return report_nomem(&ctx->op);
	pmif__spc_summary__init(s);
	s->n = (uint32_t)(r->to - r->from);
	s->insufficient = !r->ok || r->spc.insufficient;
	if (!s->insufficient) {
		s->mean = r->spc.mean;
		s->upl = r->spc.upl;
		s->lpl = r->spc.lpl;
		s->upper_2sigma = r->spc.upper_2sigma;
		s->lower_2sigma = r->spc.lower_2sigma;
		s->variation = (Pmif__Variation)r->spc.variation;
	}
	s->assurance =
	    r->ok ? (Pmif__Assurance)r->spc.assurance : PMIF__ASSURANCE__ASSURANCE_NOT_ASSESSED;
	s->assurance_label =
	    (char *)analytics_assurance_label((enum analytics_assurance)s->assurance);
	s->summary = (char *)(r->to > r->from ? report_spc_text(ctx->op.arena, m, r, r->to - 1)
	                                      : "no values: limits not computed");
	if (s->summary == NULL)
		return report_nomem(&ctx->op);
	*out = s;
	return 0;
}

int rpc_report_trend(struct rpc_ctx *ctx)
{
	uint64_t t0 = report_clock_us();
	const Pmif__ReportFilter *f = (const Pmif__ReportFilter *)ctx->in;
	Pmif__TrendReport *r = ARENA_NEW(ctx->op.arena, Pmif__TrendReport);
	struct pmif_period from, to, *range;
	struct report_series s;
	struct report_spc spc;
	Pmif__Measure *m;
	const char *loc;
	bool has_from, has_to, has_target;
	size_t np = 0, i0, i1;
	double target = 0;
	int rc;

	if (r == NULL)
		return report_nomem(&ctx->op);
	pmif__trend_report__init(r);
	if ((rc = measure_arg(ctx, f, &m)) != 0 || (rc = locality_arg(ctx, f, m, &loc)) != 0 ||
	    (rc = trend_range(ctx, f, m, &from, &to, &has_from, &has_to)) != 0)
		return rc;
	if ((rc = report_series_read(&ctx->op, m, loc, has_to ? &to : NULL, &s)) != 0)
		return rc;
	if (!has_from && s.n)
		from = s.periods[0];
	if (!has_to && s.n)
		to = s.periods[s.n - 1];
	else if (!has_to)
		period_today(ctx->op.now, measures_period_kind(m), &to);
	if (!has_from && !s.n)
		from = to;
	if (pmif_period_compare(&from, &to) > 0)
		to = from; /* every value is before --from: an empty window there */

	/* the window [from, to] of the series, charted on its own */
	i1 = report_series_upto(&s, &to);
	i0 = report_series_upto(&s, &from);
	if (i0 > 0 && report_series_find(&s, &from) >= 0)
		i0--;
	if (i0 > i1)
		i0 = i1;
	has_target = measures_target(m, &to, &target);
	if ((rc = report_spc_run(&ctx->op, m, &s, i0, i1, has_target, target, &spc)) != 0 ||
	    (rc = spc_summary(ctx, m, &spc, &r->spc)) != 0)
		return rc;

	/* every period of the window, gaps included, so the axis is even */
	range = ARENA_ARRAY(ctx->op.arena, struct pmif_period, 1024);
	if (range == NULL)
		return report_nomem(&ctx->op);
	rc = pmif_period_range(&from, &to, range, 1024, &np);
	if (rc == PMIF_ETOOBIG)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "from %s to %s is too long a range: ask for fewer years",
		                f->from_period, f->to_period);
	if ((r->points = ARENA_ARRAY(ctx->op.arena, Pmif__SeriesPoint *, np + 1)) == NULL)
		return report_nomem(&ctx->op);
	for (size_t i = 0; rc == 0 && i < np; i++)
		if ((r->points[r->n_points++] =
		         report_point(ctx->op.arena, m, &s, &spc, &range[i])) == NULL)
			return report_nomem(&ctx->op);

	if ((rc = report_line(&ctx->op, m, loc, &to, &s, &r->measure)) != 0)
		return rc;
	if (has_from && r->measure->has_value) { /* judged on the chart's window */
		r->measure->variation = r->spc->variation;
		r->measure->spc_summary = r->spc->summary;
	}
	r->title = arena_printf(ctx->op.arena, "Trend: %s%s%s", m->title,
	                        strcmp(loc, VALUES_BOROUGH) ? ", " : "",
	                        strcmp(loc, VALUES_BOROUGH) ? loc : "");
	r->filter = report_filter_copy(ctx->op.arena, f);
	if (r->title == NULL || r->filter == NULL)
		return report_nomem(&ctx->op);
	r->server_time_us = report_clock_us() - t0;
	return RPC_REPLY(ctx, r);
}

/* ---------------------------------------------------------- locality */

int rpc_report_locality(struct rpc_ctx *ctx)
{
	uint64_t t0 = report_clock_us();
	const Pmif__ReportFilter *f = (const Pmif__ReportFilter *)ctx->in;
	Pmif__LocalityReport *r;
	Pmif__Period *prec;
	ProtobufCMessage *loc;
	struct pmif_period p;
	Pmif__Measure *m;
	const char *only = NULL;
	int rc;

	if ((rc = measure_arg(ctx, f, &m)) != 0)
		return rc;
	if (!given(f->period))
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "a period is required, e.g. --period 2022-23-Q3");
	if (periods_parse(&ctx->op, f->period, &p) != 0 ||
	    periods_get(&ctx->op, f->period, &prec) != 0)
		return ctx->op.code;
	if (given(f->locality) && strcmp(f->locality, VALUES_BOROUGH) != 0) {
		if (fw_get(&ctx->op, fw_kind(FW_LOCALITY), f->locality, &loc) != 0)
			return ctx->op.code;
		only = f->locality;
	}
	if ((rc = report_locality_build(&ctx->op, m, &p, only, &r)) != 0)
		return rc;
	r->title = arena_printf(ctx->op.arena, "Locality comparison, %s: %s", r->measure->period,
	                        m->title);
	r->filter = report_filter_copy(ctx->op.arena, f);
	if (r->title == NULL || r->filter == NULL)
		return report_nomem(&ctx->op);
	r->server_time_us = report_clock_us() - t0;
	return RPC_REPLY(ctx, r);
}

/* ---------------------------------------------------------- pack */

int rpc_report_pack(struct rpc_ctx *ctx)
{
	uint64_t t0 = report_clock_us();
	const Pmif__ReportFilter *f = (const Pmif__ReportFilter *)ctx->in;
	Pmif__CommitteePack *r = ARENA_NEW(ctx->op.arena, Pmif__CommitteePack);
	Pmif__ObjectiveSection **secs, **full;
	struct report_sel sel;
	size_t n;
	int rc;

	if (r == NULL)
		return report_nomem(&ctx->op);
	pmif__committee_pack__init(r);
	if (!given(f->committee))
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "a committee is required: --committee ID, or --cabinet");
	if ((rc = report_select(&ctx->op, f, true, &sel)) != 0 ||
	    (rc = report_sections(&ctx->op, &sel, &secs, &n)) != 0)
		return rc;
	r->cabinet = sel.committee->kind == PMIF__COMMITTEE__KIND__CABINET;
	r->committee_id = sel.committee->id;
	r->committee_name = sel.committee->name;
	r->title = arena_printf(ctx->op.arena, "%s: %s performance report, %s", sel.committee->name,
	                        r->cabinet ? "six-monthly" : "quarterly", f->period);
	r->filter = report_filter_copy(ctx->op.arena, f);
	r->summary = report_scorecard_of(&ctx->op, &sel, secs, n, title(ctx, "Summary", &sel));
	r->exceptions =
	    report_exceptions_of(&ctx->op, &sel, secs, n, title(ctx, "Exceptions", &sel));
	full = ARENA_ARRAY(ctx->op.arena, Pmif__ObjectiveSection *, n + 1);
	if (!r->title || !r->filter || !r->summary || !r->summary->title || !r->exceptions ||
	    !r->exceptions->title || !full)
		return report_nomem(&ctx->op);
	/* the full sections share the summary's lines and add the rest */
	for (size_t i = 0; i < n; i++) {
		if ((full[i] = ARENA_NEW(ctx->op.arena, Pmif__ObjectiveSection)) == NULL)
			return report_nomem(&ctx->op);
		*full[i] = *secs[i];
	}
	if ((rc = report_pack_extras(&ctx->op, &sel, full, n)) != 0 ||
	    (rc = report_pack_no_data(&ctx->op, secs, n, &r->no_data, &r->n_no_data)) != 0 ||
	    (rc = report_pack_actions(&ctx->op, &sel, &r->actions, &r->n_actions,
	                              &r->actions_as_of)) != 0 ||
	    (rc = report_locality_section(&ctx->op, &sel, secs, n, &r->localities,
	                                  &r->n_localities)) != 0 ||
	    (rc = report_locality_exceptions(&ctx->op, &sel, secs, n, r->localities,
	                                     r->n_localities, r->exceptions)) != 0)
		return rc;
	r->objectives = full;
	r->n_objectives = n;
	r->server_time_us = report_clock_us() - t0;
	r->summary->server_time_us = r->server_time_us;
	r->exceptions->server_time_us = r->server_time_us;
	return RPC_REPLY(ctx, r);
}
