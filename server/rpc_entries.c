/*
 * rpc_entries.c - the rest of a quarter's update: commentary (the "so
 * what") per objective and period, intervention progress, case studies,
 * risks and their reassessment each period, resources (budget and spend).
 *
 * Scope (the owner hooks the dispatcher checks for directorate users): an
 * intervention or risk belongs to its directorate; commentary and case
 * studies on an objective belong to every directorate that owns a measure
 * or an intervention under it; resources are the performance team's.
 */
#include <string.h>

#include "entries.h"
#include "error.h"
#include "framework.h"
#include "periods_store.h"
#include "server.h"
#include "slippage.h"
#include "words.h"

#define TEXT_MAX 20000

static int get_objective(struct rpc_ctx *ctx, const char *id, const Pmif__Objective **out)
{
	ProtobufCMessage *rec;

	if (fw_get(&ctx->op, fw_kind(FW_OBJECTIVE), id, &rec) != 0)
		return ctx->op.code;
	*out = (const Pmif__Objective *)rec;
	return 0;
}

/* Directorates owning a measure or intervention under @p objective. */
static int objective_owners(struct rpc_ctx *ctx, const char *objective, const char ***dirs,
                            size_t *n)
{
	static const fw_kind_id kinds[] = {FW_MEASURE, FW_INTERVENTION};
	struct fw_filter f = {.kind = FW_OBJECTIVE, .id = objective};
	const Pmif__Objective *o;
	const char **out = ARENA_ARRAY(ctx->op.arena, const char *, 32);
	size_t count = 0;

	if (out == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (get_objective(ctx, objective, &o) != 0)
		return ctx->op.code;
	for (size_t k = 0; k < 2; k++) {
		ProtobufCMessage **recs;
		size_t nr;

		if (fw_list(&ctx->op, fw_kind(kinds[k]), &f, 1, false, &recs, &nr) != 0)
			return ctx->op.code;
		for (size_t i = 0; i < nr; i++) {
			const char *d = k == 0 ? ((Pmif__Measure *)recs[i])->directorate
			                       : ((Pmif__Intervention *)recs[i])->directorate;
			bool seen = false;
			for (size_t j = 0; j < count && !seen; j++)
				seen = strcmp(out[j], d) == 0;
			if (!seen && count < 32)
				out[count++] = d;
		}
	}
	/* A directorate user may write if one of theirs is among the owners:
	 * the dispatcher needs every listed owner to be theirs, so hand it
	 * only the caller's own ones when there are any. */
	if (ctx->op.actor.role == PMIF__ROLE__DIRECTORATE) {
		for (size_t j = 0; j < count; j++)
			for (size_t c = 0; c < ctx->op.actor.n_directorates; c++)
				if (strcmp(out[j], ctx->op.actor.directorates[c]) == 0) {
					out[0] = out[j];
					*dirs = out;
					*n = 1;
					return 0;
				}
	}
	if (count == 0)
		out[count++] = "the performance team";
	*dirs = out;
	*n = 1;
	return 0;
}

int owner_of_commentary(struct rpc_ctx *ctx, const char ***dirs, size_t *n)
{
	const Pmif__CommentarySetRequest *in = (const void *)ctx->in;

	return objective_owners(ctx, in->objective, dirs, n);
}

int owner_of_case_study(struct rpc_ctx *ctx, const char ***dirs, size_t *n)
{
	const Pmif__CaseStudyRecord *in = (const void *)ctx->in;

	return objective_owners(ctx, in->objective, dirs, n);
}

static int one_owner(struct rpc_ctx *ctx, const char *d, const char ***dirs, size_t *n)
{
	const char **out = ARENA_ARRAY(ctx->op.arena, const char *, 1);

	if (out == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	out[0] = d;
	*dirs = out;
	*n = 1;
	return 0;
}

int owner_of_intervention_update(struct rpc_ctx *ctx, const char ***dirs, size_t *n)
{
	const Pmif__InterventionUpdateRequest *in = (const void *)ctx->in;
	ProtobufCMessage *rec;

	if (fw_get(&ctx->op, fw_kind(FW_INTERVENTION), in->intervention, &rec) != 0)
		return ctx->op.code;
	return one_owner(ctx, ((Pmif__Intervention *)rec)->directorate, dirs, n);
}

int owner_of_new_risk(struct rpc_ctx *ctx, const char ***dirs, size_t *n)
{
	const Pmif__RiskAddRequest *in = (const void *)ctx->in;

	if (in->risk == NULL)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT, "the risk is missing");
	return one_owner(ctx, in->risk->directorate, dirs, n);
}

static int get_risk(struct rpc_ctx *ctx, const char *id, Pmif__RiskRecord **out)
{
	int rc = risk_get(&ctx->op, id, out);

	if (rc == PMIF_ENOTFOUND)
		return rpc_fail(ctx, PMIF__CODE__NOT_FOUND,
		                "there is no risk '%.40s': 'pmif risk list' shows them", id);
	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the risk register could not be read");
	return 0;
}

int owner_of_risk(struct rpc_ctx *ctx, const char ***dirs, size_t *n)
{
	const Pmif__RiskUpdateRequest *in = (const void *)ctx->in;
	Pmif__RiskRecord *r;

	if (get_risk(ctx, in->id, &r) != 0)
		return ctx->op.code;
	return one_owner(ctx, r->directorate, dirs, n);
}

/* A period that exists and, for directorate users, is open. */
static int writable_period(struct rpc_ctx *ctx, const char *text, struct pmif_period *p)
{
	Pmif__Period *period;

	if (periods_get(&ctx->op, text, &period) != 0 || periods_parse(&ctx->op, text, p) != 0)
		return ctx->op.code;
	if (period->state != PMIF__PERIOD__STATE__OPEN && ctx->op.actor.role != PMIF__ROLE__ADMIN)
		return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
		                "period %s is locked, so nothing can be entered for it: an "
		                "administrator can reopen it with 'pmif admin period unlock %s'",
		                text, text);
	return 0;
}

static int check_text(struct rpc_ctx *ctx, const char *field, const char *text, bool required)
{
	if (required && text[0] == '\0')
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "%s: it is empty: write something", field);
	if (strlen(text) > TEXT_MAX)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "%s: longer than %d characters: shorten it", field, TEXT_MAX);
	return 0;
}

/* A record store's failure to save, as the sentence for the caller. */
static int saved(struct rpc_ctx *ctx, int rc, const char *what)
{
	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the %s could not be saved", what);
	return 0;
}

int rpc_commentary_set(struct rpc_ctx *ctx)
{
	const Pmif__CommentarySetRequest *in = (const void *)ctx->in;
	Pmif__CommentaryRecord *old = NULL, *rec = ARENA_NEW(ctx->op.arena, Pmif__CommentaryRecord);
	const Pmif__Objective *o = NULL;
	struct pmif_period p;

	if (rec == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (get_objective(ctx, in->objective, &o) != 0 ||
	    writable_period(ctx, in->period, &p) != 0 ||
	    check_text(ctx, "text", in->text, true) != 0)
		return ctx->op.code;
	commentary_find(&ctx->op, o->id, &p, &old);
	pmif__commentary_record__init(rec);
	rec->objective = o->id;
	rec->period = in->period;
	rec->text = in->text;
	rec->author = (char *)ctx->op.actor.name;
	rec->updated_unix = ctx->op.now;
	rec->revision = old ? old->revision + 1 : 1;
	if (saved(ctx, commentary_put(&ctx->op, &p, rec), "commentary") != 0)
		return ctx->op.code;
	ctx->audit_key = arena_printf(ctx->op.arena, "commentary/%s/%s", o->id, in->period);
	ctx->audit_before = old ? &old->base : NULL;
	ctx->audit_after = &rec->base;
	return RPC_REPLY(ctx, rec);
}

int rpc_commentary_get(struct rpc_ctx *ctx)
{
	const Pmif__CommentaryGetRequest *in = (const void *)ctx->in;
	const Pmif__Objective *o = NULL;
	Pmif__CommentaryRecord *rec;
	struct pmif_period p;

	if (get_objective(ctx, in->objective, &o) != 0 ||
	    periods_parse(&ctx->op, in->period, &p) != 0)
		return ctx->op.code;
	if (commentary_find(&ctx->op, o->id, &p, &rec) != 0)
		return rpc_fail(ctx, PMIF__CODE__NOT_FOUND,
		                "there is no commentary on %s for %s yet", o->id, in->period);
	return RPC_REPLY(ctx, rec);
}

int rpc_intervention_update(struct rpc_ctx *ctx)
{
	const Pmif__InterventionUpdateRequest *in = (const void *)ctx->in;
	Pmif__InterventionUpdateRecord *old = NULL,
	                               *rec =
	                                   ARENA_NEW(ctx->op.arena, Pmif__InterventionUpdateRecord);
	ProtobufCMessage *iv;
	struct pmif_period p;

	if (rec == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (fw_get(&ctx->op, fw_kind(FW_INTERVENTION), in->intervention, &iv) != 0 ||
	    writable_period(ctx, in->period, &p) != 0 ||
	    check_text(ctx, "text", in->text, true) != 0)
		return ctx->op.code;
	if (pmif_progress_find(in->status) == NULL)
		return rpc_fail(
		    ctx, PMIF__CODE__INVALID_ARGUMENT,
		    "status: '%.20s' is not one of on-track, at-risk, off-track, complete",
		    in->status);
	intervention_update_find(&ctx->op, in->intervention, &p, &old);
	pmif__intervention_update_record__init(rec);
	rec->intervention = ((Pmif__Intervention *)iv)->id;
	rec->period = in->period;
	rec->status = in->status;
	rec->text = in->text;
	rec->author = (char *)ctx->op.actor.name;
	rec->updated_unix = ctx->op.now;
	if (saved(ctx, intervention_update_put(&ctx->op, &p, rec), "update") != 0)
		return ctx->op.code;
	ctx->audit_key =
	    arena_printf(ctx->op.arena, "intervention/%s/%s", rec->intervention, in->period);
	ctx->audit_before = old ? &old->base : NULL;
	ctx->audit_after = &rec->base;
	return RPC_REPLY(ctx, rec);
}

int rpc_intervention_updates(struct rpc_ctx *ctx)
{
	const Pmif__InterventionUpdateListRequest *in = (const void *)ctx->in;
	Pmif__InterventionUpdateList *r = ARENA_NEW(ctx->op.arena, Pmif__InterventionUpdateList);
	Pmif__InterventionUpdateRecord **recs;
	size_t n;

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (in->intervention[0]) {
		ProtobufCMessage *iv;
		if (fw_get(&ctx->op, fw_kind(FW_INTERVENTION), in->intervention, &iv) != 0)
			return ctx->op.code;
	}
	if (in->period[0]) {
		struct pmif_period p;
		if (periods_parse(&ctx->op, in->period, &p) != 0)
			return ctx->op.code;
	}
	if (intervention_updates_list(&ctx->op, in->intervention[0] ? in->intervention : NULL,
	                              &recs, &n) != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the updates could not be read");
	pmif__intervention_update_list__init(r);
	r->updates = ARENA_ARRAY(ctx->op.arena, Pmif__InterventionUpdateRecord *, n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		Pmif__InterventionUpdateRecord *u = recs[i];
		if (in->period[0] && strcmp(u->period, in->period) != 0)
			continue;
		if (in->objective[0]) {
			ProtobufCMessage *iv;
			if (fw_find(&ctx->op, fw_kind(FW_INTERVENTION), u->intervention, &iv) !=
			        0 ||
			    strcmp(((Pmif__Intervention *)iv)->objective, in->objective) != 0)
				continue;
		}
		r->updates[r->n_updates++] = u;
	}
	return RPC_REPLY(ctx, r);
}

int rpc_case_study_add(struct rpc_ctx *ctx)
{
	const Pmif__CaseStudyRecord *in = (const void *)ctx->in;
	Pmif__CaseStudyRecord *rec = arena_memdup(ctx->op.arena, in, sizeof(*in)), *old = NULL;
	const Pmif__Objective *o = NULL;
	struct pmif_period p;

	if (rec == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (in->id[0] == '\0' || strlen(in->id) > 32)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "id: give the case study an id of "
		                "1 to 32 characters, e.g. CS-12");
	if (get_objective(ctx, in->objective, &o) != 0 ||
	    writable_period(ctx, in->period, &p) != 0 ||
	    check_text(ctx, "title", in->title, true) != 0 ||
	    check_text(ctx, "story", in->story, true) != 0)
		return ctx->op.code;
	if (in->locality[0]) {
		ProtobufCMessage *l;
		if (fw_get(&ctx->op, fw_kind(FW_LOCALITY), in->locality, &l) != 0)
			return ctx->op.code;
	}
	for (size_t i = 0; i < in->n_measures; i++) {
		ProtobufCMessage *m;
		if (fw_get(&ctx->op, fw_kind(FW_MEASURE), in->measures[i], &m) != 0)
			return ctx->op.code;
	}
	case_study_get(&ctx->op, in->id, &old);
	rec->author = (char *)ctx->op.actor.name;
	rec->updated_unix = ctx->op.now;
	if (saved(ctx, case_study_put(&ctx->op, rec), "case study") != 0)
		return ctx->op.code;
	ctx->audit_key = arena_printf(ctx->op.arena, "case-study/%s", in->id);
	ctx->audit_before = old ? &old->base : NULL;
	ctx->audit_after = &rec->base;
	return RPC_REPLY(ctx, rec);
}

int rpc_case_study_list(struct rpc_ctx *ctx)
{
	const Pmif__CaseStudyListRequest *in = (const void *)ctx->in;
	Pmif__CaseStudyListReply *r = ARENA_NEW(ctx->op.arena, Pmif__CaseStudyListReply);
	Pmif__CaseStudyRecord **recs;
	size_t n;

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (case_studies_list(&ctx->op, &recs, &n) != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the case studies could not be read");
	pmif__case_study_list_reply__init(r);
	r->case_studies = ARENA_ARRAY(ctx->op.arena, Pmif__CaseStudyRecord *, n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		Pmif__CaseStudyRecord *c = recs[i];
		if ((in->objective[0] && strcmp(c->objective, in->objective) != 0) ||
		    (in->period[0] && strcmp(c->period, in->period) != 0))
			continue;
		r->case_studies[r->n_case_studies++] = c;
	}
	return RPC_REPLY(ctx, r);
}

static int check_score(struct rpc_ctx *ctx, const char *field, uint32_t v)
{
	if (v < 1 || v > 5)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "%s: %u is not a score from 1 to 5", field, v);
	return 0;
}

/* The view of @p r for period @p p: its score and movement. */
static Pmif__RiskView *risk_view(struct rpc_ctx *ctx, Pmif__RiskRecord *r,
                                 const struct pmif_period *p)
{
	Pmif__RiskView *v = ARENA_NEW(ctx->op.arena, Pmif__RiskView);
	Pmif__RiskAssessmentRecord *a = NULL, *prev = NULL;

	if (v == NULL)
		return NULL;
	pmif__risk_view__init(v);
	v->risk = r;
	v->target_score = r->target_likelihood * r->target_impact;
	v->against_target = (char *)slip_risk_target(0, r->target_likelihood, r->target_impact);
	if (p == NULL)
		return v;
	if (risk_assessment_find(&ctx->op, r->id, p, &a) == 0) {
		v->assessed = true;
		v->likelihood = a->likelihood;
		v->impact = a->impact;
		v->score = a->likelihood * a->impact;
	}
	if (risk_assessment_before(&ctx->op, r->id, p, &prev) == 0) {
		v->has_previous = true;
		v->previous_period = prev->period;
		v->previous_score = prev->likelihood * prev->impact;
		v->previous_likelihood = prev->likelihood;
		v->previous_impact = prev->impact;
	}
	if (!v->assessed)
		v->movement = "not assessed";
	else if (!v->has_previous)
		v->movement = "new";
	else if (v->score > v->previous_score)
		v->movement = "up";
	else if (v->score < v->previous_score)
		v->movement = "down";
	else
		v->movement = "no change";
	v->against_target =
	    (char *)slip_risk_target(v->score, r->target_likelihood, r->target_impact);
	return v;
}

/* The owner's name and the target (both target scores, or neither). */
static int check_owner_target(struct rpc_ctx *ctx, const Pmif__RiskRecord *r)
{
	if (strlen(r->owner) > 120)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "owner: longer than 120 characters: shorten it");
	if ((r->target_likelihood == 0) != (r->target_impact == 0))
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "target: give both --target-likelihood and --target-impact (1-5)");
	if (r->target_likelihood &&
	    (check_score(ctx, "target likelihood", r->target_likelihood) != 0 ||
	     check_score(ctx, "target impact", r->target_impact) != 0))
		return ctx->op.code;
	return 0;
}

static int assess(struct rpc_ctx *ctx, Pmif__RiskRecord *r, const char *period, uint32_t likelihood,
                  uint32_t impact, struct pmif_period *p)
{
	Pmif__RiskAssessmentRecord a = PMIF__RISK_ASSESSMENT_RECORD__INIT;

	if (writable_period(ctx, period, p) != 0 ||
	    check_score(ctx, "likelihood", likelihood) != 0 ||
	    check_score(ctx, "impact", impact) != 0)
		return ctx->op.code;
	a.risk = r->id;
	a.period = (char *)period;
	a.likelihood = likelihood;
	a.impact = impact;
	a.author = (char *)ctx->op.actor.name;
	a.updated_unix = ctx->op.now;
	return saved(ctx, risk_assessment_put(&ctx->op, p, &a), "assessment");
}

int rpc_risk_add(struct rpc_ctx *ctx)
{
	const Pmif__RiskAddRequest *in = (const void *)ctx->in;
	Pmif__RiskRecord *r, *old;
	const Pmif__Objective *o = NULL;
	ProtobufCMessage *d;

	if (in->risk == NULL || in->risk->id[0] == '\0' || strlen(in->risk->id) > 32)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "id: give the risk an id of 1 to 32 characters, e.g. R-12");
	r = arena_memdup(ctx->op.arena, in->risk, sizeof(*in->risk));
	if (get_objective(ctx, r->objective, &o) != 0 ||
	    fw_get(&ctx->op, fw_kind(FW_DIRECTORATE), r->directorate, &d) != 0 ||
	    check_text(ctx, "title", r->title, true) != 0 ||
	    check_text(ctx, "mitigation", r->mitigation, false) != 0 ||
	    check_owner_target(ctx, r) != 0)
		return ctx->op.code;
	if (risk_get(&ctx->op, r->id, &old) == 0)
		return rpc_fail(ctx, PMIF__CODE__ALREADY_EXISTS,
		                "risk %s already exists: reassess it with 'pmif risk update %s'",
		                r->id, r->id);
	r->retired = false;
	if (saved(ctx, risk_put(&ctx->op, r), "risk") != 0)
		return ctx->op.code;
	ctx->audit_key = arena_printf(ctx->op.arena, "risk/%s", r->id);
	ctx->audit_after = &r->base;
	return RPC_REPLY(ctx, risk_view(ctx, r, NULL));
}

int rpc_risk_update(struct rpc_ctx *ctx)
{
	const Pmif__RiskUpdateRequest *in = (const void *)ctx->in;
	Pmif__RiskRecord *old, *r;
	struct pmif_period p;
	bool has_period = in->period[0] != '\0';

	if (get_risk(ctx, in->id, &old) != 0)
		return ctx->op.code;
	r = arena_memdup(ctx->op.arena, old, sizeof(*old));
	if (in->title[0])
		r->title = in->title;
	if (in->mitigation[0])
		r->mitigation = in->mitigation;
	if (in->owner[0])
		r->owner = in->owner;
	if (in->target_likelihood || in->target_impact) {
		r->target_likelihood = in->target_likelihood;
		r->target_impact = in->target_impact;
	}
	if (check_text(ctx, "title", r->title, true) != 0 ||
	    check_text(ctx, "mitigation", r->mitigation, false) != 0 ||
	    check_owner_target(ctx, r) != 0)
		return ctx->op.code;
	if (!has_period && (in->likelihood || in->impact))
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "give --period with the likelihood and impact it is assessed for");
	if (has_period && assess(ctx, r, in->period, in->likelihood, in->impact, &p) != 0)
		return ctx->op.code;
	if (saved(ctx, risk_put(&ctx->op, r), "risk") != 0)
		return ctx->op.code;
	ctx->audit_key = arena_printf(ctx->op.arena, "risk/%s%s%s", r->id, has_period ? "/" : "",
	                              has_period ? in->period : "");
	ctx->audit_before = &old->base;
	ctx->audit_after = &r->base;
	if (has_period)
		ctx->audit_detail = arena_printf(ctx->op.arena, "assessed likelihood %u impact %u",
		                                 in->likelihood, in->impact);
	return RPC_REPLY(ctx, risk_view(ctx, r, has_period ? &p : NULL));
}

int rpc_risk_list(struct rpc_ctx *ctx)
{
	const Pmif__RiskListRequest *in = (const void *)ctx->in;
	Pmif__RiskListReply *r = ARENA_NEW(ctx->op.arena, Pmif__RiskListReply);
	Pmif__RiskRecord **recs;
	struct pmif_period p;
	size_t n;

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (in->period[0] && periods_parse(&ctx->op, in->period, &p) != 0)
		return ctx->op.code;
	if (risks_list(&ctx->op, &recs, &n) != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the risk register could not be read");
	pmif__risk_list_reply__init(r);
	r->period = in->period;
	r->risks = ARENA_ARRAY(ctx->op.arena, Pmif__RiskView *, n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		Pmif__RiskRecord *k = recs[i];
		if ((in->objective[0] && strcmp(k->objective, in->objective) != 0) ||
		    (in->directorate[0] && strcmp(k->directorate, in->directorate) != 0))
			continue;
		r->risks[r->n_risks++] = risk_view(ctx, k, in->period[0] ? &p : NULL);
	}
	return RPC_REPLY(ctx, r);
}

int rpc_resource_set(struct rpc_ctx *ctx)
{
	const Pmif__ResourceSetRequest *in = (const void *)ctx->in;
	Pmif__ResourceRecord *rec, *old = NULL;
	struct pmif_period y;
	ProtobufCMessage *subject;

	if (in->resource == NULL)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT, "the resource is missing");
	rec = arena_memdup(ctx->op.arena, in->resource, sizeof(*in->resource));
	if (periods_parse(&ctx->op, rec->year, &y) != 0)
		return ctx->op.code;
	if (y.kind != PMIF_PERIOD_YEAR)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "year: budgets are per financial year, e.g. 2022-23, not %s",
		                rec->year);
	if (fw_find(&ctx->op, fw_kind(FW_OBJECTIVE), rec->subject, &subject) != 0 &&
	    fw_find(&ctx->op, fw_kind(FW_INTERVENTION), rec->subject, &subject) != 0)
		return rpc_fail(ctx, PMIF__CODE__NOT_FOUND,
		                "subject: there is no objective or intervention '%.40s'",
		                rec->subject);
	if (!(rec->budget >= 0 && rec->budget < 1e13) || !(rec->spend >= 0 && rec->spend < 1e13))
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "budget and spend must be amounts in pounds, 0 or more");
	resource_get(&ctx->op, rec->subject, rec->year, &old);
	rec->author = (char *)ctx->op.actor.name;
	rec->updated_unix = ctx->op.now;
	if (saved(ctx, resource_put(&ctx->op, rec), "resource") != 0)
		return ctx->op.code;
	ctx->audit_key = arena_printf(ctx->op.arena, "resource/%s/%s", rec->subject, rec->year);
	ctx->audit_before = old ? &old->base : NULL;
	ctx->audit_after = &rec->base;
	return RPC_REPLY(ctx, rec);
}

int rpc_resource_list(struct rpc_ctx *ctx)
{
	const Pmif__ResourceListRequest *in = (const void *)ctx->in;
	Pmif__ResourceListReply *r = ARENA_NEW(ctx->op.arena, Pmif__ResourceListReply);
	Pmif__ResourceRecord **recs;
	size_t n;

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (resources_list(&ctx->op, in->subject[0] ? in->subject : NULL, &recs, &n) != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the resources could not be read");
	pmif__resource_list_reply__init(r);
	r->resources = ARENA_ARRAY(ctx->op.arena, Pmif__ResourceRecord *, n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		Pmif__ResourceRecord *x = recs[i];
		if (in->year[0] && strcmp(x->year, in->year) != 0)
			continue;
		r->resources[r->n_resources++] = x;
	}
	return RPC_REPLY(ctx, r);
}
