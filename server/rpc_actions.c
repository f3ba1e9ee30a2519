/*
 * rpc_actions.c - committee actions: what a committee resolved or asked
 * for at a meeting, owned by a directorate, with a due date and a status.
 *
 * Who does what is the method table's: administrators record actions
 * (ActionAdd) and correct what was recorded (ActionEdit); the owning
 * directorate, or an administrator, reports progress and closes them
 * (ActionUpdate, whose owner hook is the action's directorate); every
 * role reads them (ActionList).  The rules (statuses, dates, what closing
 * needs, overdue) are actions.h's; the records are actions_store.h's.
 */
#include <string.h>

#include "actions.h"
#include "actions_store.h"
#include "day.h"
#include "framework.h"
#include "rpc.h"

static int nomem(struct rpc_ctx *ctx)
{
	return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
}

static int32_t today(const struct rpc_ctx *ctx)
{
	return pmif_day_of_unix(ctx->op.now);
}

/* @p text as a date for @p field, or an INVALID_ARGUMENT status. */
static int date_arg(struct rpc_ctx *ctx, const char *field, const char *text, int32_t *days)
{
	if (text[0] == '\0')
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "the %s date is missing: give it as YYYY-MM-DD", field);
	if (actions_date_parse(text, days) != 0)
		return rpc_fail(
		    ctx, PMIF__CODE__INVALID_ARGUMENT,
		    "the %s date '%.20s' is not a date: write YYYY-MM-DD, e.g. 2022-09-30", field,
		    text);
	return 0;
}

static int text_arg(struct rpc_ctx *ctx, const char *field, const char *text, size_t max,
                    bool required)
{
	if (required && text[0] == '\0')
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "the action's %s is empty: say what the committee asked for",
		                field);
	if (strlen(text) > max)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "the action's %s is longer than %zu characters: shorten it", field,
		                max);
	return 0;
}

/* @p id names a live record of kind @p kind (its word for people: @p what). */
static int live(struct rpc_ctx *ctx, fw_kind_id kind, const char *what, const char *id)
{
	ProtobufCMessage *rec;
	bool retired;

	if (fw_get(&ctx->op, fw_kind(kind), id, &rec) != 0)
		return ctx->op.code;
	retired = kind == FW_COMMITTEE ? ((Pmif__Committee *)rec)->retired
	                               : ((Pmif__Directorate *)rec)->retired;
	if (retired)
		return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
		                "%s %s is retired: give the one that has taken over its work", what,
		                id);
	return 0;
}

/* The committee and directorate given (either may be "" for an edit that
 * keeps it) exist and are not retired; @p adding needs both. */
static int check_refs(struct rpc_ctx *ctx, const char *committee, const char *directorate,
                      bool adding)
{
	if (adding && committee[0] == '\0')
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "the committee is missing: give --committee ID ('pmif admin "
		                "committee list' shows them)");
	if (adding && directorate[0] == '\0')
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "the owning directorate is missing: give --directorate ID");
	if (committee[0] && live(ctx, FW_COMMITTEE, "committee", committee) != 0)
		return ctx->op.code;
	if (directorate[0] && live(ctx, FW_DIRECTORATE, "directorate", directorate) != 0)
		return ctx->op.code;
	return 0;
}

/* The meeting and due dates of @p a are dates and make sense together. */
static int check_dates(struct rpc_ctx *ctx, const Pmif__ActionRecord *a)
{
	int32_t meeting, due;
	const char *why;

	if (date_arg(ctx, "meeting", a->meeting, &meeting) != 0 ||
	    date_arg(ctx, "due", a->due, &due) != 0)
		return ctx->op.code;
	if ((why = actions_check_dates(meeting, due, today(ctx))) != NULL)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT, "%s", why);
	return 0;
}

static int reply(struct rpc_ctx *ctx, Pmif__ActionRecord *a)
{
	Pmif__ActionView *v = actions_view(&ctx->op, a, today(ctx));

	return v ? RPC_REPLY(ctx, v) : nomem(ctx);
}

int rpc_action_add(struct rpc_ctx *ctx)
{
	const Pmif__ActionAddRequest *in = (const void *)ctx->in;
	Pmif__ActionRecord *a = ARENA_NEW(ctx->op.arena, Pmif__ActionRecord);
	char *id = arena_alloc(ctx->op.arena, ACTIONS_ID_MAX + 1);

	if (a == NULL || id == NULL)
		return nomem(ctx);
	pmif__action_record__init(a);
	a->committee = in->committee;
	a->meeting = in->meeting;
	a->text = in->text;
	a->directorate = in->directorate;
	a->due = in->due;
	a->note = in->note;
	if (check_refs(ctx, a->committee, a->directorate, true) != 0 ||
	    text_arg(ctx, "text", a->text, ACTIONS_TEXT_MAX, true) != 0 ||
	    text_arg(ctx, "note", a->note, ACTIONS_NOTE_MAX, false) != 0 ||
	    check_dates(ctx, a) != 0 || actions_next_id(&ctx->op, id) != 0)
		return ctx->op.code;
	a->id = id;
	a->status = PMIF__ACTION_STATUS__ACTION_OPEN;
	a->recorded_by = (char *)ctx->op.actor.name;
	a->recorded_unix = ctx->op.now;
	a->updated_by = a->recorded_by;
	a->updated_unix = ctx->op.now;
	a->closed_on = "";
	if (actions_put(&ctx->op, a) != 0)
		return ctx->op.code;
	ctx->audit_key = arena_printf(ctx->op.arena, "action/%s", a->id);
	ctx->audit_after = &a->base;
	return reply(ctx, a);
}

int owner_of_action(struct rpc_ctx *ctx, const char ***dirs, size_t *n)
{
	const Pmif__ActionUpdateRequest *in = (const void *)ctx->in;
	const char **out = ARENA_ARRAY(ctx->op.arena, const char *, 1);
	Pmif__ActionRecord *a;

	if (out == NULL)
		return nomem(ctx);
	if (actions_get(&ctx->op, in->id, &a) != 0)
		return ctx->op.code;
	out[0] = a->directorate;
	*dirs = out;
	*n = 1;
	return 0;
}

int rpc_action_update(struct rpc_ctx *ctx)
{
	const Pmif__ActionUpdateRequest *in = (const void *)ctx->in;
	Pmif__ActionRecord *old, *a;
	Pmif__ActionStatus to;
	char *closed;
	const char *why;

	if (actions_get(&ctx->op, in->id, &old) != 0)
		return ctx->op.code;
	to = old->status;
	if (in->status[0] == '\0' && in->note[0] == '\0')
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "nothing to change: give --status open|in-progress|done|dropped "
		                "and/or --note TEXT");
	if (in->status[0] && actions_status_parse(in->status, &to) != 0)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "status '%.20s' is not one of open, in-progress, done, dropped",
		                in->status);
	if (text_arg(ctx, "note", in->note, ACTIONS_NOTE_MAX, false) != 0)
		return ctx->op.code;
	if ((why = actions_check_change(old->status, to, in->note)) != NULL)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT, "%s", why);
	if ((a = arena_memdup(ctx->op.arena, old, sizeof(*old))) == NULL ||
	    (closed = arena_alloc(ctx->op.arena, PMIF_DAY_STRLEN)) == NULL)
		return nomem(ctx);
	if (actions_closed(to) && !actions_closed(old->status)) {
		pmif_day_format(today(ctx), closed);
		a->closed_on = closed;
	} else if (!actions_closed(to)) {
		a->closed_on = "";
	}
	a->status = to;
	if (in->note[0])
		a->note = in->note;
	a->updated_by = (char *)ctx->op.actor.name;
	a->updated_unix = ctx->op.now;
	if (actions_put(&ctx->op, a) != 0)
		return ctx->op.code;
	ctx->audit_key = arena_printf(ctx->op.arena, "action/%s", a->id);
	ctx->audit_before = &old->base;
	ctx->audit_after = &a->base;
	ctx->audit_detail = arena_printf(ctx->op.arena, "%s -> %s",
	                                 actions_status_word(old->status), actions_status_word(to));
	return reply(ctx, a);
}

int rpc_action_edit(struct rpc_ctx *ctx)
{
	const Pmif__ActionEditRequest *in = (const void *)ctx->in;
	Pmif__ActionRecord *old, *a;

	if (actions_get(&ctx->op, in->id, &old) != 0)
		return ctx->op.code;
	if (!in->committee[0] && !in->meeting[0] && !in->text[0] && !in->directorate[0] &&
	    !in->due[0])
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "nothing to change: give --committee, --meeting, --text, "
		                "--directorate or --due");
	if ((a = arena_memdup(ctx->op.arena, old, sizeof(*old))) == NULL)
		return nomem(ctx);
	if (in->committee[0])
		a->committee = in->committee;
	if (in->meeting[0])
		a->meeting = in->meeting;
	if (in->text[0])
		a->text = in->text;
	if (in->directorate[0])
		a->directorate = in->directorate;
	if (in->due[0])
		a->due = in->due;
	if (check_refs(ctx, in->committee, in->directorate, false) != 0 ||
	    text_arg(ctx, "text", a->text, ACTIONS_TEXT_MAX, true) != 0 || check_dates(ctx, a) != 0)
		return ctx->op.code;
	a->updated_by = (char *)ctx->op.actor.name;
	a->updated_unix = ctx->op.now;
	if (actions_put(&ctx->op, a) != 0)
		return ctx->op.code;
	ctx->audit_key = arena_printf(ctx->op.arena, "action/%s", a->id);
	ctx->audit_before = &old->base;
	ctx->audit_after = &a->base;
	return reply(ctx, a);
}

/* Does @p a pass every filter of @p in, judged on @p day? */
static bool listed(const Pmif__ActionListRequest *in, const Pmif__ActionRecord *a, bool by_status,
                   Pmif__ActionStatus status, int32_t day)
{
	return (!in->committee[0] || strcmp(a->committee, in->committee) == 0) &&
	       (!in->directorate[0] || strcmp(a->directorate, in->directorate) == 0) &&
	       (!by_status || a->status == status) &&
	       (!in->overdue || actions_overdue(a, day, NULL));
}

int rpc_action_list(struct rpc_ctx *ctx)
{
	const Pmif__ActionListRequest *in = (const void *)ctx->in;
	Pmif__ActionListReply *r = ARENA_NEW(ctx->op.arena, Pmif__ActionListReply);
	char *as_of = arena_alloc(ctx->op.arena, PMIF_DAY_STRLEN);
	Pmif__ActionStatus status = PMIF__ACTION_STATUS__ACTION_STATUS_UNSET;
	Pmif__ActionRecord **all;
	ProtobufCMessage *rec;
	size_t n;

	if (r == NULL || as_of == NULL)
		return nomem(ctx);
	if (in->status[0] && actions_status_parse(in->status, &status) != 0)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "status '%.20s' is not one of open, in-progress, done, dropped",
		                in->status);
	if ((in->committee[0] &&
	     fw_get(&ctx->op, fw_kind(FW_COMMITTEE), in->committee, &rec) != 0) ||
	    (in->directorate[0] &&
	     fw_get(&ctx->op, fw_kind(FW_DIRECTORATE), in->directorate, &rec) != 0) ||
	    actions_all(&ctx->op, &all, &n) != 0)
		return ctx->op.code;
	pmif__action_list_reply__init(r);
	pmif_day_format(today(ctx), as_of);
	r->as_of = as_of;
	if ((r->actions = ARENA_ARRAY(ctx->op.arena, Pmif__ActionView *, n ? n : 1)) == NULL)
		return nomem(ctx);
	for (size_t i = 0; i < n; i++) {
		if (!listed(in, all[i], in->status[0] != '\0', status, today(ctx)))
			continue;
		if ((r->actions[r->n_actions] = actions_view(&ctx->op, all[i], today(ctx))) == NULL)
			return nomem(ctx);
		r->n_actions++;
	}
	return RPC_REPLY(ctx, r);
}
