/*
 * op.h - what the domain code works in: one operation on the store.
 *
 * The rules, the record stores and the reports (framework_*.c, values_*.c,
 * report_*.c, periods_store.c, users_store.c, signoff.c ...) take a
 * struct op_ctx, never a request: an open transaction on the store, the
 * arena every result is allocated from, the time the operation is judged
 * at, who is acting, and the status it ends with.  A request handler passes
 * the one its struct rpc_ctx embeds (&ctx->op); `pmifd init` and the demo
 * loader fill one in directly.  Nothing here knows about the wire.
 */
#ifndef PMIF_OP_H
#define PMIF_OP_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <lmdb.h>

#include "arena.h"
#include "pmif.pb-c.h"

struct store;

/* Who is acting: a signed-in user, or the admin `pmifd init` names. */
struct op_actor {
	const char *name;
	Pmif__Role role;
	char **directorates;
	size_t n_directorates;
	uint64_t session_created; /* of the session the request came with; 0 outside one */
	uint64_t session_expires;
};

struct op_ctx {
	struct store *store;
	MDB_txn *txn; /* read-only for reads, a nested write transaction for writes */
	struct arena *arena;
	uint64_t now; /* wall-clock seconds the operation is judged at */
	struct op_actor actor;
	/* for the audit entries the domain writes itself (framework changes):
	 * the method that asked ("init" when NULL) and its request id */
	const char *method;
	ProtobufCBinaryData request_id;
	/* status: OK, or the code and the sentence for a person */
	Pmif__Code code;
	char *message;
	char **warnings; /* shown beside a successful reply */
	size_t n_warnings;
};

/** Set the status to @p code with a sentence for a person; returns code. */
int op_fail(struct op_ctx *op, Pmif__Code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int op_vfail(struct op_ctx *op, Pmif__Code code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/** Add a warning shown beside a successful reply. */
void op_warn(struct op_ctx *op, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void op_vwarn(struct op_ctx *op, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#endif
