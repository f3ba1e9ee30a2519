/*
 * plans.c - intervention plans: the record store (one record per
 * intervention: its owner and milestones) and the plan judged with the
 * slippage rule as of a day.  No RPC code here: rpc_plans.c and
 * report_pack.c both call it.
 */
#include "plans.h"

#include <stdio.h>
#include <string.h>

#include "day.h"
#include "error.h"
#include "framework.h"
#include "period.h"
#include "server.h"
#include "values.h"

const struct slip_rule plans_rule = {SLIP_RED_AFTER_DAYS, SLIP_DUE_SOON_DAYS};

int plans_get(struct op_ctx *op, const char *intervention, Pmif__InterventionPlanRecord **out)
{
	return store_get_pb(op->store, op->txn, STORE_INTERVENTION_PLANS, intervention,
	                    strlen(intervention), &pmif__intervention_plan_record__descriptor,
	                    &op->arena->pb, (ProtobufCMessage **)out);
}

int plans_put(struct op_ctx *op, const Pmif__InterventionPlanRecord *rec)
{
	return store_put_pb(op->store, op->txn, STORE_INTERVENTION_PLANS, rec->intervention,
	                    strlen(rec->intervention), &rec->base);
}

int32_t plans_as_of(const struct op_ctx *op, const struct pmif_period *p)
{
	int32_t today = pmif_day_of_unix(op->now), end;
	int sy, sm, sd, ey, em, ed;
	char buf[16];

	if (p == NULL)
		return today;
	pmif_period_dates(p, &sy, &sm, &sd, &ey, &em, &ed);
	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", ey, em, ed);
	if (pmif_day_parse(buf, &end) != 0)
		return today;
	return end < today ? end : today;
}

/* A milestone's state as of @p as_of, and its days late. */
static const char *milestone_state(const Pmif__Milestone *m, int32_t as_of, int32_t *late)
{
	int32_t due = 0, done = 0;
	bool has_done =
	    m->completed[0] && pmif_day_parse(m->completed, &done) == 0 && done <= as_of;

	pmif_day_parse(m->due, &due);
	*late = (has_done ? done : as_of) - due;
	if (has_done)
		return *late > 0 ? "done late" : "done";
	if (*late > 0)
		return "overdue";
	if (-*late <= plans_rule.due_soon_days)
		return "due soon";
	return "on time";
}

/* "milestone 2 'Pilot' is 12 days overdue" and the like. */
static char *reason(struct op_ctx *op, const Pmif__InterventionPlanView *v,
                    const struct slip_result *r, bool has_update)
{
	const Pmif__Milestone *m;

	switch (r->rag) {
	case SLIP_NONE: return "no milestones have been set";
	case SLIP_COMPLETE: return "every milestone is done";
	default: break;
	}
	if (r->decisive < 0 || (size_t)r->decisive >= v->n_milestones)
		return "every open milestone is on time";
	m = v->milestones[r->decisive]->milestone;
	if (r->days_late > 0)
		return arena_printf(op->arena, "milestone %u '%.60s' is %d day%s overdue (due %s)",
		                    m->number, m->title, (int)r->days_late,
		                    r->days_late == 1 ? "" : "s", m->due);
	if (r->rag == SLIP_AMBER && !has_update)
		return arena_printf(op->arena,
		                    "milestone %u '%.60s' is due %s, in %d days, and there is no "
		                    "progress update this period",
		                    m->number, m->title, m->due, (int)-r->days_late);
	return arena_printf(op->arena, "the next milestone, %u '%.60s', is due %s", m->number,
	                    m->title, m->due);
}

Pmif__InterventionPlanView *plans_view(struct op_ctx *op, const Pmif__Intervention *iv,
                                       const Pmif__InterventionPlanRecord *rec, int32_t as_of,
                                       bool has_update)
{
	Pmif__InterventionPlanView *v = ARENA_NEW(op->arena, Pmif__InterventionPlanView);
	size_t n = rec ? rec->n_milestones : 0;
	struct slip_milestone *ms = ARENA_ARRAY(op->arena, struct slip_milestone, n ? n : 1);
	struct slip_result r;
	char day[16];

	if (v == NULL || ms == NULL)
		return NULL;
	pmif__intervention_plan_view__init(v);
	v->intervention = iv->id;
	v->title = iv->title;
	v->objective = iv->objective;
	v->directorate = iv->directorate;
	v->owner = rec ? rec->owner : "";
	v->has_update = has_update;
	pmif_day_format(as_of, day);
	v->as_of = arena_strdup(op->arena, day);
	v->milestones = ARENA_ARRAY(op->arena, Pmif__MilestoneView *, n ? n : 1);
	if (v->as_of == NULL || v->milestones == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		Pmif__MilestoneView *mv = ARENA_NEW(op->arena, Pmif__MilestoneView);
		const Pmif__Milestone *m = rec->milestones[i];

		if (mv == NULL)
			return NULL;
		pmif__milestone_view__init(mv);
		mv->milestone = (Pmif__Milestone *)m;
		mv->state = (char *)milestone_state(m, as_of, &mv->days_late);
		v->milestones[v->n_milestones++] = mv;
		ms[i].due = 0;
		pmif_day_parse(m->due, &ms[i].due);
		ms[i].has_done = m->completed[0] && pmif_day_parse(m->completed, &ms[i].done) == 0;
	}
	if (slip_judge(ms, n, as_of, has_update, &plans_rule, &r) != 0)
		return NULL;
	v->rag = (char *)slip_rag_word(r.rag);
	v->rag_reason = reason(op, v, &r, has_update);
	return v;
}
