/*
 * session_auth.c - who is calling: the session behind a request's token
 * (see session_auth.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "error.h"
#include "rpc.h"
#include "server.h"
#include "session_auth.h"
#include "store.h"
#include "users_store.h"
#include "writer.h"

/* How stale a session's last-used time may get before it is rewritten. */
#define TOUCH_INTERVAL 60

struct touch_state {
	struct server *srv;
	uint8_t key[32];
	uint64_t now;
	bool rebind;         /* bind the session to @p binding */
	uint8_t binding[32]; /* the channel the request proved it on */
};

/* Refresh a session's idle clock and, after a good proof, bind it to the
 * new channel.  The record is read afresh: a session ended meanwhile
 * (logout, pruned) stays ended. */
static int touch_job(void *arg, MDB_txn *txn)
{
	struct touch_state *ts = arg;
	Pmif__SessionRecord *s;
	ProtobufCBinaryData was;
	int rc = store_get_pb(ts->srv->store, txn, STORE_SESSIONS, ts->key, 32,
	                      &pmif__session_record__descriptor, NULL, (ProtobufCMessage **)&s);

	if (rc != 0)
		return rc;
	if (ts->now > s->last_used_unix)
		s->last_used_unix = ts->now;
	was = s->channel_binding;
	if (ts->rebind) {
		s->channel_binding.data = ts->binding;
		s->channel_binding.len = 32;
	}
	rc = store_put_pb(ts->srv->store, txn, STORE_SESSIONS, ts->key, 32, &s->base);
	s->channel_binding = was; /* freed with the record */
	protobuf_c_message_free_unpacked(&s->base, NULL);
	return rc;
}

static void touch_done(void *arg, int rc)
{
	(void)rc;
	free(arg);
}

/*
 * May the session @p sess (stored under @p key) be used on this channel?
 * 0 when it is bound here, or when the request carries a good proof that
 * its client holds the session's rebind secret: then *rebind is set and
 * the caller moves the session here.  Otherwise a status in @p ctx.
 */
static int check_binding(struct rpc_ctx *ctx, const Pmif__SessionRecord *sess,
                         const uint8_t key[32], bool *rebind)
{
	*rebind = false;
	if (sess->channel_binding.len == 32 &&
	    memcmp(sess->channel_binding.data, ctx->binding, 32) == 0)
		return 0;
	if (ctx->binding_proof.len == 0)
		return rpc_fail(ctx, PMIF__CODE__UNAUTHENTICATED,
		                "this session belongs to another connection and this client did "
		                "not prove it may move it here (a session saved by an older pmif "
		                "cannot be moved): run 'pmif login %s' again",
		                sess->user);
	if (auth_rebind_check(ctx->srv->rebind_key, key, ctx->binding, ctx->binding_proof.data,
	                      ctx->binding_proof.len) != 0)
		return rpc_fail(ctx, PMIF__CODE__UNAUTHENTICATED,
		                "this session could not be moved to this connection: its proof did "
		                "not verify (the session file was altered, or the server's key was "
		                "replaced): run 'pmif login %s' again",
		                sess->user);
	*rebind = true;
	return 0;
}

/* @p seconds in the largest whole unit: "12 hours", "30 minutes", "5 seconds". */
static const char *span(unsigned seconds, char *buf, size_t cap)
{
	if (seconds % 3600 == 0 && seconds)
		snprintf(buf, cap, "%u hour%s", seconds / 3600, seconds == 3600 ? "" : "s");
	else if (seconds % 60 == 0 && seconds)
		snprintf(buf, cap, "%u minute%s", seconds / 60, seconds == 60 ? "" : "s");
	else
		snprintf(buf, cap, "%u second%s", seconds, seconds == 1 ? "" : "s");
	return buf;
}

int session_authenticate(struct rpc_ctx *ctx)
{
	struct server *srv = ctx->srv;
	Pmif__SessionRecord *sess;
	Pmif__UserRecord *user;
	uint8_t key[32];
	unsigned idle, absolute;
	char what[32];
	bool rebind;
	int rc;

	if (ctx->token.len != AUTH_TOKEN_LEN)
		return rpc_fail(ctx, PMIF__CODE__UNAUTHENTICATED,
		                "you are not logged in: run 'pmif login USER' first");
	auth_token_hash(ctx->token.data, ctx->token.len, key);
	rc = store_get_pb(srv->store, ctx->op.txn, STORE_SESSIONS, key, 32,
	                  &pmif__session_record__descriptor, &ctx->op.arena->pb,
	                  (ProtobufCMessage **)&sess);
	if (rc == PMIF_ENOTFOUND)
		return rpc_fail(ctx, PMIF__CODE__UNAUTHENTICATED,
		                "your session has ended (logged out or revoked): run 'pmif login "
		                "USER' again");
	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the session store could not be read");
	if (check_binding(ctx, sess, key, &rebind) != 0)
		return ctx->op.code;
	idle = atomic_load(&srv->session_idle); /* once: a reload may change it */
	absolute = atomic_load(&srv->session_absolute);
	if (ctx->op.now > sess->last_used_unix + idle)
		return rpc_fail(ctx, PMIF__CODE__UNAUTHENTICATED,
		                "your session expired after %s without use: run 'pmif login %s' "
		                "again",
		                span(idle, what, sizeof(what)), sess->user);
	if (ctx->op.now > sess->created_unix + absolute)
		return rpc_fail(ctx, PMIF__CODE__UNAUTHENTICATED,
		                "your session reached its limit of %s: run 'pmif login %s' again",
		                span(absolute, what, sizeof(what)), sess->user);
	rc = users_get(&ctx->op, sess->user, &user);
	if (rc != 0 || user->disabled)
		return rpc_fail(ctx, PMIF__CODE__UNAUTHENTICATED,
		                "the account '%s' is disabled: ask an administrator", sess->user);
	if (user->generation != sess->user_generation)
		return rpc_fail(ctx, PMIF__CODE__UNAUTHENTICATED,
		                "your session was revoked (password or account change): run 'pmif "
		                "login %s' again",
		                sess->user);
	ctx->authenticated = true;
	ctx->op.actor.name = user->name;
	ctx->op.actor.role = user->role;
	ctx->op.actor.directorates = user->directorates;
	ctx->op.actor.n_directorates = user->n_directorates;
	ctx->op.actor.session_created = sess->created_unix;
	ctx->op.actor.session_expires = sess->created_unix + absolute;
	if (rebind || ctx->op.now >= sess->last_used_unix + TOUCH_INTERVAL) {
		/* without making this request wait for a commit: a lost touch only
		 * brings the idle expiry a minute closer, and a lost rebind only
		 * means the client's next proof on this channel is checked again
		 * (it sends one with every request) */
		struct touch_state *ts = malloc(sizeof(*ts));
		if (ts) {
			ts->srv = srv;
			ts->now = ctx->op.now;
			ts->rebind = rebind;
			memcpy(ts->key, key, 32);
			memcpy(ts->binding, ctx->binding, 32);
			if (writer_submit_async(srv->writer, touch_job, touch_done, ts) != 0)
				free(ts);
		}
	}
	return 0;
}
