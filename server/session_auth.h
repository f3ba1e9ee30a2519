/*
 * session_auth.h - the dispatcher's authentication step: the session
 * behind a request's token, checked and (now and then) touched.
 *
 * A session is found by the SHA-256 of its token.  It must be bound to the
 * request's channel, or the request must carry a good proof that its
 * client holds the session's rebind secret (auth.h), in which case the
 * session moves to this channel.  It must be within its idle and absolute
 * lifetimes (server.h, a reload may change them), and its user enabled and
 * of the generation the session was made for.  Only dispatch.c calls this:
 * a handler never checks who its caller is.
 */
#ifndef PMIF_SESSION_AUTH_H
#define PMIF_SESSION_AUTH_H

struct rpc_ctx;

/**
 * Authenticate the request in @p ctx (token, binding, binding_proof and now
 * set; txn a read transaction).  0 with ctx->caller filled and
 * ctx->authenticated set, or the UNAUTHENTICATED (INTERNAL when the store
 * cannot be read) status set in @p ctx and returned.  A stale last-used
 * time or a rebind is written later through the writer, without waiting.
 */
int session_authenticate(struct rpc_ctx *ctx);

#endif
