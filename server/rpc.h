/*
 * rpc.h - what a request handler sees, and the method table.
 *
 * The dispatcher (dispatch.c) alone decodes, authenticates, authorizes,
 * enforces idempotency and audits; by the time a handler runs,
 * ctx->op.actor is a live user allowed to call the method, ctx->in is the
 * decoded input and ctx->op.txn is open (read-only for reads, a nested
 * write transaction for writes).  A handler fills ctx->out, or calls
 * rpc_fail(), and for writes says what it changed in ctx->audit_*.  All
 * memory comes from ctx->op.arena.  The rules it calls take &ctx->op.
 */
#ifndef PMIF_RPC_H
#define PMIF_RPC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lmdb.h>

#include "arena.h"
#include "op.h"
#include "actions.pb-c.h"
#include "pmif.pb-c.h"
#include "store.pb-c.h"

struct server;

struct rpc_method;

struct rpc_ctx {
	/* the operation the domain code sees: store, txn, arena, now, the
	 * caller as its actor, the status (op.h) */
	struct op_ctx op;
	struct server *srv;
	const struct rpc_method *method;
	const ProtobufCMessage *in;
	ProtobufCMessage *out;
	bool authenticated;
	const uint8_t *binding; /* the channel's handshake hash, 32 bytes */
	ProtobufCBinaryData token;
	ProtobufCBinaryData binding_proof; /* may move the session here (rebind.h) */
	/* what a write changed, for the audit entry */
	const char *audit_key;
	const ProtobufCMessage *audit_before;
	const ProtobufCMessage *audit_after;
	const char *audit_detail;
	const char *audit_user; /* for Login: the name tried */
	/* handler's own state between prepare and handle */
	void *prep;
};

/* A handler returns 0 (OK) or the status code it set with rpc_fail. */
typedef int (*rpc_handler)(struct rpc_ctx *ctx);

enum rpc_role_bits {
	RPC_ADMIN = 1u << PMIF__ROLE__ADMIN,
	RPC_DIRECTORATE = 1u << PMIF__ROLE__DIRECTORATE,
	RPC_MEMBER = 1u << PMIF__ROLE__MEMBER,
	RPC_ANY_ROLE = RPC_ADMIN | RPC_DIRECTORATE | RPC_MEMBER,
	RPC_PUBLIC = 1u << 31, /* no session needed */
};

enum rpc_flags {
	RPC_WRITE = 1u << 0,           /* runs on the writer, audited */
	RPC_AUDIT_FAILURES = 1u << 1,  /* failures are audited too (logins) */
	RPC_SECRET_REPLY = 1u << 2,    /* reply holds a secret: not kept for resends */
	RPC_NO_REPLAY_CACHE = 1u << 3, /* not answered from the request-id cache */
	RPC_SNAPSHOT_CACHE = 1u << 4,  /* a read answered from reply_cache.h when nothing changed */
};

/*
 * Who owns what a request would change: fills *dirs with the directorate
 * ids (arena memory) that own every record the request touches.  The
 * dispatcher lets a directorate user through only if each is one of
 * theirs.  May set a status (NOT_FOUND for an unknown measure...) and
 * return it; the request then fails with it.
 */
typedef int (*rpc_owner_fn)(struct rpc_ctx *ctx, const char ***dirs, size_t *n);

struct rpc_method {
	const char *name; /* as in the service definition */
	const char *does; /* for people: "which may not <does>" ("sign off values") */
	rpc_handler handle;
	rpc_handler prepare; /* optional: runs on the worker before a write */
	rpc_owner_fn owner;  /* scope for directorate users; NULL: role alone */
	unsigned roles;      /* enum rpc_role_bits */
	unsigned flags;      /* enum rpc_flags */
	size_t max_request;  /* largest input body accepted, bytes */
};

/**
 * The table entry for method @p index of the Pmif service descriptor, or
 * NULL when the index is out of range or has no entry (refused).
 */
const struct rpc_method *rpc_method_at(unsigned index);

/** Build the index; fails (PMIF_ESTATE) naming any method without an entry
 *  or any entry without a method.  Called once at start-up. */
int rpc_table_init(void);

/** Set the status to @p code with a message for a person; returns code. */
int rpc_fail(struct rpc_ctx *ctx, Pmif__Code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Add a warning shown beside a successful reply. */
void rpc_warn(struct rpc_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Set ctx->out; the message must be allocated from ctx->arena. */
#define RPC_REPLY(ctx, msg) ((ctx)->out = (ProtobufCMessage *)(msg), 0)

/* Handlers, one file per family. */
int rpc_health(struct rpc_ctx *ctx);
int rpc_login_prepare(struct rpc_ctx *ctx);
int rpc_login(struct rpc_ctx *ctx);
int rpc_logout(struct rpc_ctx *ctx);
int rpc_whoami(struct rpc_ctx *ctx);
int rpc_password_change_prepare(struct rpc_ctx *ctx);
int rpc_password_change(struct rpc_ctx *ctx);
int rpc_user_add_prepare(struct rpc_ctx *ctx);
int rpc_user_add(struct rpc_ctx *ctx);
int rpc_user_list(struct rpc_ctx *ctx);
int rpc_user_show(struct rpc_ctx *ctx);
int rpc_user_disable(struct rpc_ctx *ctx);
int rpc_user_enable(struct rpc_ctx *ctx);
int rpc_user_reset_password_prepare(struct rpc_ctx *ctx);
int rpc_user_reset_password(struct rpc_ctx *ctx);
int rpc_user_set_role(struct rpc_ctx *ctx);
int rpc_framework_load_prepare(struct rpc_ctx *ctx);
int rpc_framework_load(struct rpc_ctx *ctx);
int rpc_framework_show(struct rpc_ctx *ctx);
int rpc_framework_list(struct rpc_ctx *ctx);
int rpc_framework_get(struct rpc_ctx *ctx);
int rpc_framework_add(struct rpc_ctx *ctx);
int rpc_framework_edit(struct rpc_ctx *ctx);
int rpc_framework_retire(struct rpc_ctx *ctx);
int rpc_framework_restore(struct rpc_ctx *ctx);
int rpc_period_list(struct rpc_ctx *ctx);
int rpc_period_open(struct rpc_ctx *ctx);
int rpc_period_lock(struct rpc_ctx *ctx);
int rpc_period_unlock(struct rpc_ctx *ctx);

/* Data entry (rpc_values.c, rpc_import.c, rpc_entries.c, rpc_audit.c). */
int rpc_value_set(struct rpc_ctx *ctx);
int rpc_value_get(struct rpc_ctx *ctx);
int rpc_value_history(struct rpc_ctx *ctx);
int rpc_value_approve(struct rpc_ctx *ctx);
int rpc_value_import(struct rpc_ctx *ctx);
int rpc_value_import_check(struct rpc_ctx *ctx);
int rpc_commentary_set(struct rpc_ctx *ctx);
int rpc_commentary_get(struct rpc_ctx *ctx);
int rpc_intervention_update(struct rpc_ctx *ctx);
int rpc_intervention_updates(struct rpc_ctx *ctx);
int rpc_case_study_add(struct rpc_ctx *ctx);
int rpc_case_study_list(struct rpc_ctx *ctx);
int rpc_risk_add(struct rpc_ctx *ctx);
int rpc_risk_update(struct rpc_ctx *ctx);
int rpc_risk_list(struct rpc_ctx *ctx);
int rpc_resource_set(struct rpc_ctx *ctx);
int rpc_resource_list(struct rpc_ctx *ctx);
int rpc_audit_list(struct rpc_ctx *ctx);
int rpc_audit_verify(struct rpc_ctx *ctx);
int owner_of_value(struct rpc_ctx *ctx, const char ***dirs, size_t *n);
int owner_of_commentary(struct rpc_ctx *ctx, const char ***dirs, size_t *n);
int owner_of_intervention_update(struct rpc_ctx *ctx, const char ***dirs, size_t *n);
int owner_of_case_study(struct rpc_ctx *ctx, const char ***dirs, size_t *n);
int owner_of_new_risk(struct rpc_ctx *ctx, const char ***dirs, size_t *n);
int owner_of_risk(struct rpc_ctx *ctx, const char ***dirs, size_t *n);

/* Reports (rpc_reports.c): computed from one read transaction. */
int rpc_report_scorecard(struct rpc_ctx *ctx);
int rpc_report_exceptions(struct rpc_ctx *ctx);
int rpc_report_completeness(struct rpc_ctx *ctx);
int rpc_report_trend(struct rpc_ctx *ctx);
int rpc_report_locality(struct rpc_ctx *ctx);
int rpc_report_pack(struct rpc_ctx *ctx);
int rpc_report_risks(struct rpc_ctx *ctx);

/* Intervention plans (rpc_plans.c): owner, milestones, slippage. */
int rpc_intervention_owner_set(struct rpc_ctx *ctx);
int rpc_milestone_add(struct rpc_ctx *ctx);
int rpc_milestone_complete(struct rpc_ctx *ctx);
int rpc_intervention_plans(struct rpc_ctx *ctx);
int owner_of_intervention_owner(struct rpc_ctx *ctx, const char ***dirs, size_t *n);
int owner_of_milestone_add(struct rpc_ctx *ctx, const char ***dirs, size_t *n);
int owner_of_milestone_complete(struct rpc_ctx *ctx, const char ***dirs, size_t *n);

/* Committee actions (rpc_actions.c). */
int rpc_action_add(struct rpc_ctx *ctx);
int rpc_action_update(struct rpc_ctx *ctx);
int rpc_action_edit(struct rpc_ctx *ctx);
int rpc_action_list(struct rpc_ctx *ctx);
int owner_of_action(struct rpc_ctx *ctx, const char ***dirs, size_t *n);

/* Comparison with similar councils (rpc_compare.c). */
int rpc_comparator_import(struct rpc_ctx *ctx);
int rpc_comparator_list(struct rpc_ctx *ctx);
int rpc_report_compare(struct rpc_ctx *ctx);

#endif
