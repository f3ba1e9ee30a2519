/*
 * rpc_periods.c - the RPCs that list, open, lock and unlock reporting
 * periods.  The records themselves are periods_store.c's.
 *
 * Opening a period lets directorates enter values for it until it is
 * locked again; a lock is refused while values still await sign-off unless
 * it is forced.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "framework.h"
#include "period.h"
#include "periods_store.h"
#include "server.h"
#include "signoff.h"

/* ---------------------------------------------------------- the RPCs */

int rpc_period_list(struct rpc_ctx *ctx)
{
	const Pmif__PeriodListRequest *in = (const void *)ctx->in;
	Pmif__PeriodListReply *r = ARENA_NEW(ctx->op.arena, Pmif__PeriodListReply);
	Pmif__Period__State want = PMIF__PERIOD__STATE__STATE_UNSET;
	struct pmif_period year = {0};

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__period_list_reply__init(r);
	if (in->year[0]) {
		if (periods_parse(&ctx->op, in->year, &year) != 0)
			return ctx->op.code;
		if (year.kind != PMIF_PERIOD_YEAR)
			return rpc_fail(
			    ctx, PMIF__CODE__INVALID_ARGUMENT,
			    "year: '%s' is a %s: give a financial year, e.g. %.7s", in->year,
			    pmif_period_kind_name((enum pmif_period_kind)year.kind), in->year);
	}
	if (strcmp(in->state, "open") == 0)
		want = PMIF__PERIOD__STATE__OPEN;
	else if (strcmp(in->state, "locked") == 0)
		want = PMIF__PERIOD__STATE__LOCKED;
	else if (in->state[0])
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "state: '%s' is not open or locked",
		                fw_quote(ctx->op.arena, in->state));
	if (periods_list(&ctx->op, in->year[0] ? &year : NULL, want, &r->periods, &r->n_periods) !=
	    0)
		return ctx->op.code;
	return RPC_REPLY(ctx, r);
}

/* "YYYY-MM-DD", a real day in the supported years (period.h knows). */
static int parse_due(struct rpc_ctx *ctx, const char *s, int *y, int *m, int *d)
{
	struct pmif_period p;
	int used = 0;
	bool shape = strlen(s) == 10 && s[4] == '-' && s[7] == '-';

	for (int i = 0; shape && i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			shape = false;
	if (!shape || sscanf(s, "%4d-%2d-%2d%n", y, m, d, &used) != 3 || used != 10 ||
	    pmif_period_of_date(*y, *m, *d, PMIF_PERIOD_YEAR, &p) != 0)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "due: '%s' is not a date: write YYYY-MM-DD, e.g. 2021-07-31",
		                fw_quote(ctx->op.arena, s));
	return 0;
}

/* Before open period @p name is locked: refuse while values still await
 * sign-off, naming how many and whose, unless @p force (then warn, and
 * say so in the audit entry). */
static int check_signed_off(struct rpc_ctx *ctx, const char *name, bool force)
{
	struct signoff_count *c;
	struct pmif_period p;
	uint32_t total;
	size_t n;
	char *whose;

	if (periods_parse(&ctx->op, name, &p) != 0 ||
	    signoff_pending(&ctx->op, &p, &c, &n, &total) != 0)
		return ctx->op.code;
	if (total == 0)
		return 0;
	if ((whose = signoff_pending_text(&ctx->op, c, n)) == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (!force) {
		if (n == 1)
			return rpc_fail(
			    ctx, PMIF__CODE__FAILED_PRECONDITION,
			    "%s still has %u value%s awaiting sign-off (%s): approve "
			    "them with 'pmif value approve --period %s --directorate %s', "
			    "or lock anyway with --force",
			    name, total, total == 1 ? "" : "s", whose, name, c[0].directorate);
		return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
		                "%s still has %u values awaiting sign-off (%s): approve them with "
		                "'pmif value approve --period %s --directorate %s' (and so on for "
		                "each) or all at once with 'pmif value approve --period %s', or "
		                "lock anyway with --force",
		                name, total, whose, name, c[0].directorate, name);
	}
	rpc_warn(ctx, "%s is locked with %u value%s still awaiting sign-off (%s)", name, total,
	         total == 1 ? "" : "s", whose);
	ctx->audit_detail = arena_printf(ctx->op.arena, "forced: %u value%s awaiting sign-off (%s)",
	                                 total, total == 1 ? "" : "s", whose);
	return 0;
}

/* Move @p name to @p state (and @p due when not empty); a lock checks
 * sign-off first (check_signed_off, @p force). */
static int set_state(struct rpc_ctx *ctx, const char *name, Pmif__Period__State state,
                     const char *due, bool force)
{
	Pmif__Period *old, *p;
	struct pmif_period pp;
	int y, m, d, ey, em, ed;

	if (periods_get(&ctx->op, name, &old) != 0)
		return ctx->op.code;
	if (due && due[0]) {
		if (parse_due(ctx, due, &y, &m, &d) != 0)
			return ctx->op.code;
		pmif_period_parse(name, &pp, NULL, 0);
		pmif_period_dates(&pp, NULL, NULL, NULL, &ey, &em, &ed);
		if (y * 10000 + m * 100 + d <= ey * 10000 + em * 100 + ed)
			rpc_warn(
			    ctx,
			    "the due date %s is not after %s ends (%04d-%02d-%02d): entry usually "
			    "closes after the period",
			    due, name, ey, em, ed);
	}
	if (state == PMIF__PERIOD__STATE__LOCKED && old->state != state &&
	    check_signed_off(ctx, name, force) != 0)
		return ctx->op.code;
	p = arena_memdup(ctx->op.arena, old, sizeof(*old));
	if (p == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	p->state = state;
	if (due && due[0])
		p->due = (char *)due;
	if (p->state != old->state || strcmp(p->due, old->due) != 0) {
		p->changed_unix = ctx->op.now;
		p->changed_by = (char *)ctx->op.actor.name;
		pmif_period_parse(name, &pp, NULL, 0);
		if (periods_put(&ctx->op, &pp, p) != 0)
			return ctx->op.code;
	}
	ctx->audit_key = arena_printf(ctx->op.arena, "period/%s", p->id);
	ctx->audit_before = &old->base;
	ctx->audit_after = &p->base;
	return RPC_REPLY(ctx, p);
}

int rpc_period_open(struct rpc_ctx *ctx)
{
	const Pmif__PeriodOpenRequest *in = (const void *)ctx->in;

	return set_state(ctx, in->period, PMIF__PERIOD__STATE__OPEN, in->due, false);
}

int rpc_period_lock(struct rpc_ctx *ctx)
{
	const Pmif__PeriodName *in = (const void *)ctx->in;

	return set_state(ctx, in->period, PMIF__PERIOD__STATE__LOCKED, NULL, in->force);
}

int rpc_period_unlock(struct rpc_ctx *ctx)
{
	const Pmif__PeriodName *in = (const void *)ctx->in;

	return set_state(ctx, in->period, PMIF__PERIOD__STATE__OPEN, NULL, false);
}
