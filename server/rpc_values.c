/*
 * rpc_values.c - ValueSet, ValueGet, ValueHistory, ValueApprove, and who
 * owns a value (the scope hook the dispatcher checks for directorate
 * users).
 *
 * Members see approved values; submitted ones are shown too, marked
 * provisional, until the performance team signs them off.
 */
#include <string.h>

#include "error.h"
#include "framework.h"
#include "measures.h"
#include "periods_store.h"
#include "server.h"
#include "signoff.h"
#include "values_entry.h"
#include "values_sum.h"

static const char *rag_word(enum analytics_rag r)
{
	return analytics_rag_label(r);
}

/* Measure @p id, or a NOT_FOUND (or INTERNAL) status. */
static int get_measure(struct rpc_ctx *ctx, const char *id, const Pmif__Measure **m)
{
	int rc = entry_measure(&ctx->op, NULL, id, m);

	if (rc == PMIF_ENOTFOUND)
		return rpc_fail(ctx, PMIF__CODE__NOT_FOUND,
		                "there is no measure '%.40s': 'pmif measure list' shows them", id);
	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the framework could not be read");
	return 0;
}

/* The one owner of measure @p id, or a NOT_FOUND status. */
static int measure_owner(struct rpc_ctx *ctx, const char *id, const char ***dirs, size_t *n)
{
	const Pmif__Measure *m;
	const char **out;

	if (get_measure(ctx, id, &m) != 0)
		return ctx->op.code;
	out = ARENA_ARRAY(ctx->op.arena, const char *, 1);
	if (out == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	out[0] = m->directorate;
	*dirs = out;
	*n = 1;
	return 0;
}

int owner_of_value(struct rpc_ctx *ctx, const char ***dirs, size_t *n)
{
	const Pmif__ValueSetRequest *in = (const void *)ctx->in;

	return measure_owner(ctx, in->measure, dirs, n);
}

int rpc_value_set(struct rpc_ctx *ctx)
{
	const Pmif__ValueSetRequest *in = (const void *)ctx->in;
	Pmif__ValueSetReply *r = ARENA_NEW(ctx->op.arena, Pmif__ValueSetReply);
	struct entry_result res;
	struct locality_sum_result sum;

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (entry_apply(&ctx->op, NULL, in, false, &res) != 0)
		return ctx->op.code;
	/* the borough against the sum of its localities, with this value in */
	if (values_sum_check(&ctx->op, res.after, &sum) != 0)
		return ctx->op.code;
	for (size_t i = 0; i < res.check.n_warnings; i++)
		rpc_warn(ctx, "%s", res.check.warnings[i]);
	for (size_t i = 0; i < sum.n_warnings; i++)
		rpc_warn(ctx, "%s", sum.warnings[i]);
	pmif__value_set_reply__init(r);
	r->value = res.after;
	r->rag = (char *)rag_word(res.rag);
	r->rag_rule = arena_strdup(ctx->op.arena, res.rag_rule);
	r->changed = res.outcome != ENTRY_UNCHANGED;
	ctx->audit_key = arena_printf(ctx->op.arena, "value/%s/%s/%s", res.after->measure,
	                              res.after->period, res.after->locality);
	ctx->audit_before = res.before ? &res.before->base : NULL;
	ctx->audit_after = &res.after->base;
	if (!r->changed)
		ctx->audit_detail = "unchanged";
	return RPC_REPLY(ctx, r);
}

static Pmif__ValueLine *line_of(struct rpc_ctx *ctx, const Pmif__Measure *m, Pmif__ValueRecord *v)
{
	Pmif__ValueLine *l = ARENA_NEW(ctx->op.arena, Pmif__ValueLine);
	struct validate_measure rules;
	struct analytics_rag_rule rule;
	struct pmif_period p;
	enum analytics_rag rag = ANALYTICS_RAG_GREY;
	char text[ANALYTICS_RULE_TEXT_LEN] = "";

	if (l == NULL)
		return NULL;
	pmif__value_line__init(l);
	l->value = v;
	l->provisional = v->status != PMIF__VALUE_STATUS__APPROVED;
	if (pmif_period_parse(v->period, &p, NULL, 0) == 0) {
		measures_rules(m, &p, &rules);
		rule = (struct analytics_rag_rule){.polarity = rules.polarity,
		                                   .has_target = rules.has_target,
		                                   .target = rules.target,
		                                   .tolerance = rules.tolerance,
		                                   .decimals = rules.decimals,
		                                   .unit = validate_unit_text(rules.unit)};
		if (analytics_rag(&rule, v->value, &rag) != 0)
			rag = ANALYTICS_RAG_GREY;
		analytics_rag_rule_text(&rule, text, sizeof(text));
	}
	l->rag = (char *)rag_word(rag);
	l->rag_rule = arena_strdup(ctx->op.arena, text);
	return l;
}

int rpc_value_get(struct rpc_ctx *ctx)
{
	const Pmif__ValueGetRequest *in = (const void *)ctx->in;
	Pmif__ValueGetReply *r = ARENA_NEW(ctx->op.arena, Pmif__ValueGetReply);
	const Pmif__Measure *m;
	struct pmif_period p;
	uint8_t prefix[VALUES_KEY_MAX];
	ProtobufCMessage **vals;
	size_t n, plen;
	int rc;

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (get_measure(ctx, in->measure, &m) != 0)
		return ctx->op.code;
	memset(&p, 0, sizeof(p));
	if (in->period[0] && periods_parse(&ctx->op, in->period, &p) != 0)
		return ctx->op.code;
	plen = values_key(prefix, m->id, in->locality[0] ? in->locality : NULL, NULL);
	if (plen == 0)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT, "locality: the id is too long");
	rc = values_scan(&ctx->op, STORE_VALUES, &pmif__value_record__descriptor, prefix, plen,
	                 &vals, &n);
	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the values could not be read");
	pmif__value_get_reply__init(r);
	r->measure = m->id;
	r->title = m->title;
	{
		struct validate_measure rules;
		measures_rules(m, &p, &rules);
		r->unit = (char *)validate_unit_name(rules.unit);
	}
	r->decimals = (int32_t)m->decimals;
	r->values = ARENA_ARRAY(ctx->op.arena, Pmif__ValueLine *, n ? n : 1);
	for (size_t i = 0; i < n; i++) {
		Pmif__ValueRecord *v = (Pmif__ValueRecord *)vals[i];
		if (in->period[0] && strcmp(v->period, in->period) != 0)
			continue;
		r->values[r->n_values++] = line_of(ctx, m, v);
	}
	return RPC_REPLY(ctx, r);
}

int rpc_value_history(struct rpc_ctx *ctx)
{
	const Pmif__ValueHistoryRequest *in = (const void *)ctx->in;
	Pmif__ValueHistoryReply *r = ARENA_NEW(ctx->op.arena, Pmif__ValueHistoryReply);
	const Pmif__Measure *m;
	struct pmif_period p;
	Pmif__ValueRecord **revs;
	size_t n;
	int rc;

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (get_measure(ctx, in->measure, &m) != 0)
		return ctx->op.code;
	if (periods_parse(&ctx->op, in->period, &p) != 0)
		return ctx->op.code;
	rc = values_history(&ctx->op, m->id, in->locality[0] ? in->locality : VALUES_BOROUGH, &p,
	                    &revs, &n);
	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the values could not be read");
	if (n == 0)
		return rpc_fail(ctx, PMIF__CODE__NOT_FOUND, "%s has no value for %s%s%s yet", m->id,
		                in->period, in->locality[0] ? " in " : "", in->locality);
	pmif__value_history_reply__init(r);
	r->revisions = revs;
	r->n_revisions = n;
	return RPC_REPLY(ctx, r);
}

int rpc_value_approve(struct rpc_ctx *ctx)
{
	const Pmif__ValueApproveRequest *in = (const void *)ctx->in;
	Pmif__ValueApproveReply *r = ARENA_NEW(ctx->op.arena, Pmif__ValueApproveReply);
	struct pmif_period p;
	Pmif__Period *period;

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__value_approve_reply__init(r);
	if (periods_get(&ctx->op, in->period, &period) != 0 ||
	    periods_parse(&ctx->op, in->period, &p) != 0)
		return ctx->op.code;
	if (in->measure[0]) {
		const char *loc = in->locality[0] ? in->locality : VALUES_BOROUGH;
		Pmif__ValueRecord *v;
		const Pmif__Measure *m;

		if (entry_measure(&ctx->op, NULL, in->measure, &m) != 0)
			return rpc_fail(
			    ctx, PMIF__CODE__NOT_FOUND,
			    "there is no measure '%.40s': 'pmif measure list' shows them",
			    in->measure);
		if (values_find(&ctx->op, m->id, loc, &p, &v) != 0)
			return rpc_fail(ctx, PMIF__CODE__NOT_FOUND,
			                "%s has no value for %s in %s to approve", m->id,
			                in->period, loc);
		if (signoff_approve_one(&ctx->op, v, r) != 0)
			return ctx->op.code;
		ctx->audit_key =
		    arena_printf(ctx->op.arena, "value/%s/%s/%s", m->id, in->period, loc);
	} else {
		/* a directorate's period, or with no directorate every one's */
		const char *dir = in->directorate[0] ? in->directorate : NULL;

		if (signoff_approve(&ctx->op, dir, &p, r) != 0)
			return ctx->op.code;
		ctx->audit_key =
		    arena_printf(ctx->op.arena, "values/%s/%s", dir ? dir : "*", in->period);
	}
	ctx->audit_detail = arena_printf(ctx->op.arena, "approved %u, already approved %u",
	                                 r->approved, r->already_approved);
	return RPC_REPLY(ctx, r);
}
