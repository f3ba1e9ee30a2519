/*
 * rpc_report_risks.c - the risk report: every risk of the selected
 * objectives (a committee's, one objective's, a directorate's or all) with
 * its score for the period, the assessment before it (the heat map's
 * movement arrows) and its target; the counts above target and moved.
 * Any role reads it; everything is computed here, the client lays it out.
 */
#include <string.h>

#include "entries.h"
#include "error.h"
#include "report.h"
#include "server.h"
#include "values.h"

static bool selected(const struct report_sel *sel, const Pmif__RiskRecord *k)
{
	if (k->retired || (sel->directorate && strcmp(sel->directorate->id, k->directorate) != 0))
		return false;
	for (size_t i = 0; i < sel->n_objectives; i++)
		if (strcmp(sel->objectives[i]->id, k->objective) == 0)
			return true;
	return false;
}

int rpc_report_risks(struct rpc_ctx *ctx)
{
	uint64_t t0 = report_clock_us();
	const Pmif__ReportFilter *f = (const Pmif__ReportFilter *)ctx->in;
	Pmif__RiskReport *r = ARENA_NEW(ctx->op.arena, Pmif__RiskReport);
	struct report_sel sel;
	Pmif__RiskRecord **recs;
	size_t nr;
	int rc;

	if (r == NULL)
		return report_nomem(&ctx->op);
	pmif__risk_report__init(r);
	if ((rc = report_select(&ctx->op, f, true, &sel)) != 0)
		return rc;
	if (risks_list(&ctx->op, &recs, &nr) != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the risk register could not be read");
	r->risks = ARENA_ARRAY(ctx->op.arena, Pmif__RiskLine *, nr ? nr : 1);
	if (r->risks == NULL)
		return report_nomem(&ctx->op);
	/* in objective order, then as stored (by id) */
	for (size_t o = 0; o < sel.n_objectives; o++)
		for (size_t i = 0; i < nr; i++) {
			Pmif__RiskRecord *k = recs[i];
			Pmif__RiskLine *l;

			if (strcmp(k->objective, sel.objectives[o]->id) != 0 || !selected(&sel, k))
				continue;
			if ((rc = report_risk_line(&ctx->op, &sel.period, k, &l)) != 0)
				return rc;
			r->risks[r->n_risks++] = l;
			r->above_target += strcmp(l->against_target, "above target") == 0;
			r->moved_up += strcmp(l->movement, "up") == 0;
			r->moved_down += strcmp(l->movement, "down") == 0;
		}
	r->title = arena_printf(ctx->op.arena, "Strategic risks%s%s, %s", sel.committee ? ": " : "",
	                        sel.committee ? sel.committee->name : "", f->period);
	r->filter = report_filter_copy(ctx->op.arena, f);
	if (r->title == NULL || r->filter == NULL)
		return report_nomem(&ctx->op);
	r->server_time_us = report_clock_us() - t0;
	return RPC_REPLY(ctx, r);
}
