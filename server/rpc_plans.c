/*
 * rpc_plans.c - intervention plans as people manage them: who owns an
 * intervention (a named person or role), its milestones with due dates,
 * marking one complete, and the plans listed with their slippage RAG.
 *
 * Scope: an intervention's plan belongs to the intervention's directorate
 * (the owner hooks below); the dispatcher checks it, as for progress
 * updates.  Milestones are not period data, so a locked period does not
 * stop them.
 */
#include <string.h>

#include "day.h"
#include "entries.h"
#include "error.h"
#include "framework.h"
#include "periods_store.h"
#include "plans.h"
#include "server.h"
#include "values.h"

#define OWNER_MAX 120
#define TITLE_MAX 200

static int get_intervention(struct rpc_ctx *ctx, const char *id, Pmif__Intervention **out)
{
	ProtobufCMessage *rec;

	if (fw_get(&ctx->op, fw_kind(FW_INTERVENTION), id, &rec) != 0)
		return ctx->op.code;
	*out = (Pmif__Intervention *)rec;
	return 0;
}

static int owner_of(struct rpc_ctx *ctx, const char *intervention, const char ***dirs, size_t *n)
{
	Pmif__Intervention *iv = NULL;
	const char **out = ARENA_ARRAY(ctx->op.arena, const char *, 1);

	if (out == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (get_intervention(ctx, intervention, &iv) != 0)
		return ctx->op.code;
	out[0] = iv->directorate;
	*dirs = out;
	*n = 1;
	return 0;
}

int owner_of_intervention_owner(struct rpc_ctx *ctx, const char ***dirs, size_t *n)
{
	return owner_of(ctx, ((const Pmif__InterventionOwnerRequest *)ctx->in)->intervention, dirs,
	                n);
}

int owner_of_milestone_add(struct rpc_ctx *ctx, const char ***dirs, size_t *n)
{
	return owner_of(ctx, ((const Pmif__MilestoneAddRequest *)ctx->in)->intervention, dirs, n);
}

int owner_of_milestone_complete(struct rpc_ctx *ctx, const char ***dirs, size_t *n)
{
	return owner_of(ctx, ((const Pmif__MilestoneCompleteRequest *)ctx->in)->intervention, dirs,
	                n);
}

/* The intervention and a copy of its plan (an empty one when it has none). */
static int load(struct rpc_ctx *ctx, const char *id, Pmif__Intervention **iv,
                Pmif__InterventionPlanRecord **old, Pmif__InterventionPlanRecord **rec)
{
	int rc;

	*old = NULL;
	if (get_intervention(ctx, id, iv) != 0)
		return ctx->op.code;
	rc = plans_get(&ctx->op, (*iv)->id, old);
	if (rc != 0 && rc != PMIF_ENOTFOUND)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL,
		                "the intervention's plan could not be read");
	if (rc != 0)
		*old = NULL;
	*rec = ARENA_NEW(ctx->op.arena, Pmif__InterventionPlanRecord);
	if (*rec == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (*old)
		**rec = **old;
	else {
		pmif__intervention_plan_record__init(*rec);
		(*rec)->intervention = (*iv)->id;
	}
	return 0;
}

/* Save @p rec, audit it against @p old, reply with its view as of today. */
static int save(struct rpc_ctx *ctx, Pmif__Intervention *iv, Pmif__InterventionPlanRecord *old,
                Pmif__InterventionPlanRecord *rec, const char *detail)
{
	Pmif__InterventionPlanView *v;

	rec->author = (char *)ctx->op.actor.name;
	rec->updated_unix = ctx->op.now;
	if (plans_put(&ctx->op, rec) != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL,
		                "the intervention's plan could not be saved");
	ctx->audit_key = arena_printf(ctx->op.arena, "intervention-plan/%s", iv->id);
	ctx->audit_before = old ? &old->base : NULL;
	ctx->audit_after = &rec->base;
	ctx->audit_detail = (char *)detail;
	v = plans_view(&ctx->op, iv, rec, plans_as_of(&ctx->op, NULL), false);
	if (v == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	return RPC_REPLY(ctx, v);
}

static int check_words(struct rpc_ctx *ctx, const char *field, const char *s, size_t max,
                       const char *example)
{
	if (s[0] == '\0')
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT, "%s: it is empty: give %s",
		                field, example);
	if (strlen(s) > max)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "%s: longer than %zu characters: shorten it", field, max);
	return 0;
}

static int check_date(struct rpc_ctx *ctx, const char *field, const char *s)
{
	int32_t d;

	if (pmif_day_parse(s, &d) != 0)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "%s: '%.20s' is not a date: write YYYY-MM-DD, e.g. 2023-06-30",
		                field, s);
	return 0;
}

int rpc_intervention_owner_set(struct rpc_ctx *ctx)
{
	const Pmif__InterventionOwnerRequest *in = (const void *)ctx->in;
	Pmif__InterventionPlanRecord *old = NULL, *rec = NULL;
	Pmif__Intervention *iv = NULL;

	if (load(ctx, in->intervention, &iv, &old, &rec) != 0 ||
	    check_words(ctx, "owner", in->owner, OWNER_MAX,
	                "the person or role who manages it, e.g. 'Head of Early Help'") != 0)
		return ctx->op.code;
	rec->owner = in->owner;
	return save(ctx, iv, old, rec, arena_printf(ctx->op.arena, "owner %.120s", in->owner));
}

int rpc_milestone_add(struct rpc_ctx *ctx)
{
	const Pmif__MilestoneAddRequest *in = (const void *)ctx->in;
	Pmif__InterventionPlanRecord *old = NULL, *rec = NULL;
	Pmif__Intervention *iv = NULL;
	Pmif__Milestone *m, **grown;
	uint32_t number = 0;

	if (load(ctx, in->intervention, &iv, &old, &rec) != 0 ||
	    check_words(ctx, "title", in->title, TITLE_MAX, "what will be done by the date") != 0 ||
	    check_date(ctx, "due", in->due) != 0)
		return ctx->op.code;
	if (rec->n_milestones >= PLANS_MAX_MILESTONES)
		return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
		                "intervention %s has %d milestones already, the most it may have: "
		                "complete or fold some together",
		                iv->id, PLANS_MAX_MILESTONES);
	m = ARENA_NEW(ctx->op.arena, Pmif__Milestone);
	grown = ARENA_ARRAY(ctx->op.arena, Pmif__Milestone *, rec->n_milestones + 1);
	if (m == NULL || grown == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < rec->n_milestones; i++) {
		grown[i] = rec->milestones[i];
		if (grown[i]->number > number)
			number = grown[i]->number;
	}
	pmif__milestone__init(m);
	m->number = number + 1;
	m->title = in->title;
	m->due = in->due;
	m->added_by = (char *)ctx->op.actor.name;
	grown[rec->n_milestones] = m;
	rec->milestones = grown;
	rec->n_milestones++;
	return save(ctx, iv, old, rec,
	            arena_printf(ctx->op.arena, "milestone %u due %s", m->number, m->due));
}

int rpc_milestone_complete(struct rpc_ctx *ctx)
{
	const Pmif__MilestoneCompleteRequest *in = (const void *)ctx->in;
	Pmif__InterventionPlanRecord *old = NULL, *rec = NULL;
	Pmif__Intervention *iv = NULL;
	Pmif__Milestone *m = NULL, **copy;
	char today[16];
	const char *date = in->date;
	int32_t d;

	if (load(ctx, in->intervention, &iv, &old, &rec) != 0)
		return ctx->op.code;
	if (date[0] == '\0') {
		pmif_day_format(pmif_day_of_unix(ctx->op.now), today);
		date = today;
	} else if (check_date(ctx, "date", date) != 0) {
		return ctx->op.code;
	}
	pmif_day_parse(date, &d);
	if (d > pmif_day_of_unix(ctx->op.now))
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "date: %s is in the future: a milestone is completed on or before "
		                "today",
		                date);
	copy = ARENA_ARRAY(ctx->op.arena, Pmif__Milestone *,
	                   rec->n_milestones ? rec->n_milestones : 1);
	if (copy == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < rec->n_milestones; i++) {
		copy[i] = rec->milestones[i];
		if (copy[i]->number == in->number) {
			copy[i] = m = arena_memdup(ctx->op.arena, copy[i], sizeof(*copy[i]));
			if (m == NULL)
				return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED,
				                "out of memory");
		}
	}
	if (m == NULL)
		return rpc_fail(ctx, PMIF__CODE__NOT_FOUND,
		                "intervention %s has no milestone %u: 'pmif intervention plan %s' "
		                "lists them",
		                iv->id, in->number, iv->id);
	if (m->completed[0])
		return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
		                "milestone %u of %s was completed on %s already", m->number, iv->id,
		                m->completed);
	m->completed = arena_strdup(ctx->op.arena, date);
	m->completed_by = (char *)ctx->op.actor.name;
	rec->milestones = copy;
	return save(ctx, iv, old, rec,
	            arena_printf(ctx->op.arena, "milestone %u completed %s", m->number, date));
}

static bool wanted(const Pmif__InterventionPlanListRequest *in, const Pmif__Intervention *iv)
{
	return !iv->retired && (!in->intervention[0] || strcmp(in->intervention, iv->id) == 0) &&
	       (!in->objective[0] || strcmp(in->objective, iv->objective) == 0) &&
	       (!in->directorate[0] || strcmp(in->directorate, iv->directorate) == 0);
}

int rpc_intervention_plans(struct rpc_ctx *ctx)
{
	const Pmif__InterventionPlanListRequest *in = (const void *)ctx->in;
	Pmif__InterventionPlanList *r = ARENA_NEW(ctx->op.arena, Pmif__InterventionPlanList);
	struct pmif_period p;
	ProtobufCMessage **recs;
	size_t nr;
	int32_t as_of;
	char buf[400];

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (in->intervention[0]) {
		Pmif__Intervention *iv;
		if (get_intervention(ctx, in->intervention, &iv) != 0)
			return ctx->op.code;
	}
	if (in->period[0] && periods_parse(&ctx->op, in->period, &p) != 0)
		return ctx->op.code;
	if (fw_list(&ctx->op, fw_kind(FW_INTERVENTION), NULL, 0, false, &recs, &nr) != 0)
		return ctx->op.code;
	as_of = plans_as_of(&ctx->op, in->period[0] ? &p : NULL);
	pmif__intervention_plan_list__init(r);
	r->period = in->period;
	pmif_day_format(as_of, buf);
	r->as_of = arena_strdup(ctx->op.arena, buf);
	slip_rule_text(&plans_rule, buf, sizeof(buf));
	r->rag_rule = arena_strdup(ctx->op.arena, buf);
	r->plans = ARENA_ARRAY(ctx->op.arena, Pmif__InterventionPlanView *, nr ? nr : 1);
	if (r->plans == NULL || r->as_of == NULL || r->rag_rule == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < nr; i++) {
		Pmif__Intervention *iv = (Pmif__Intervention *)recs[i];
		Pmif__InterventionPlanRecord *plan = NULL;
		Pmif__InterventionUpdateRecord *u = NULL;
		int rc;

		if (!wanted(in, iv))
			continue;
		rc = plans_get(&ctx->op, iv->id, &plan);
		if (rc != 0 && rc != PMIF_ENOTFOUND)
			return rpc_fail(ctx, PMIF__CODE__INTERNAL,
			                "the intervention plans could not be read");
		bool has_update =
		    in->period[0] && intervention_update_find(&ctx->op, iv->id, &p, &u) == 0;
		r->plans[r->n_plans] =
		    plans_view(&ctx->op, iv, rc == 0 ? plan : NULL, as_of, has_update);
		if (r->plans[r->n_plans++] == NULL)
			return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	}
	return RPC_REPLY(ctx, r);
}
