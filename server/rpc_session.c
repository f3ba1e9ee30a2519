/*
 * rpc_session.c - Health, Login, Logout, WhoAmI and PasswordChange.
 *
 * Login checks the password on the worker (prepare), where scrypt may take
 * its time without holding up the writer, then creates the session on the
 * writer.  A session is bound to the channel it was made on; the rebind
 * secret in the login reply lets its client move it to a new channel
 * (after a restart, say) by proving it holds that secret (dispatch.c).
 */
#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "error.h"
#include "writer.h"
#include "server.h"
#include "store.h"
#include "throttle.h"
#include "users_store.h"

int rpc_health(struct rpc_ctx *ctx)
{
	Pmif__HealthReply *r = ARENA_NEW(ctx->op.arena, Pmif__HealthReply);

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__health_reply__init(r);
	r->version = PMIF_VERSION;
	r->schema_version = STORE_SCHEMA_VERSION;
	r->uptime_seconds = (uint64_t)(time(NULL) - ctx->srv->started);
	r->workers = ctx->srv->workers;
	if (ctx->srv->writer) {
		int why = 0;
		time_t since = writer_refused(ctx->srv->writer, &why);

		if (since) {
			r->writes_refused_since = (uint64_t)since;
			r->writes_refused_reason = (char *)pmif_strerror(why);
		}
	}
	return RPC_REPLY(ctx, r);
}

static int check_password_or_throttle(struct rpc_ctx *ctx, const char *name, const char *password,
                                      const Pmif__UserRecord *u)
{
	struct auth_password stored;
	unsigned wait = throttle_wait(ctx->srv->throttle, name, ctx->op.now);
	int rc;

	if (wait > 0) {
		ctx->audit_detail = "refused without a password check: too many attempts";
		return rpc_fail(ctx, PMIF__CODE__UNAUTHENTICATED,
		                "too many failed logins for '%.64s': try again in %u second%s",
		                name, wait, wait == 1 ? "" : "s");
	}
	rc = auth_password_verify(password, u && users_password(u, &stored) == 0 ? &stored : NULL);
	OPENSSL_cleanse(&stored, sizeof(stored));
	if (rc == PMIF_EBUSY)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED,
		                "the server is busy checking passwords: try again in a moment");
	throttle_record(ctx->srv->throttle, name, rc == 0, ctx->op.now);
	if (rc != 0) {
		ctx->audit_detail = "wrong password or unknown user";
		return rpc_fail(ctx, PMIF__CODE__UNAUTHENTICATED, "wrong user name or password");
	}
	return 0;
}

int rpc_login_prepare(struct rpc_ctx *ctx)
{
	const Pmif__LoginRequest *in = (const void *)ctx->in;
	Pmif__UserRecord *u = NULL;

	ctx->audit_user = arena_printf(ctx->op.arena, "%.64s", in->user);
	ctx->audit_key = arena_printf(ctx->op.arena, "user/%.64s", in->user);
	if (strlen(in->user) == 0 || strlen(in->user) > 64 ||
	    strlen(in->password) > AUTH_MAX_PASSWORD) {
		ctx->audit_detail = "malformed login";
		return rpc_fail(ctx, PMIF__CODE__UNAUTHENTICATED, "wrong user name or password");
	}
	if (users_get(&ctx->op, in->user, &u) != 0)
		u = NULL;
	ctx->op.code = PMIF__CODE__OK;
	ctx->op.message = NULL;
	if (check_password_or_throttle(ctx, in->user, in->password, u) != 0)
		return ctx->op.code;
	if (u->disabled) {
		ctx->audit_detail = "account disabled";
		return rpc_fail(ctx, PMIF__CODE__UNAUTHENTICATED,
		                "the account '%s' is disabled: ask an administrator", u->name);
	}
	ctx->prep = u;
	return 0;
}

int rpc_login(struct rpc_ctx *ctx)
{
	Pmif__UserRecord *checked = ctx->prep, *u;
	Pmif__SessionRecord s = PMIF__SESSION_RECORD__INIT;
	Pmif__LoginReply *r = ARENA_NEW(ctx->op.arena, Pmif__LoginReply);
	uint8_t token[AUTH_TOKEN_LEN], key[32], secret[PMIF_REBIND_LEN];

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	/* the user may have changed since the password was checked */
	if (users_get(&ctx->op, checked->name, &u) != 0 || u->disabled ||
	    u->generation != checked->generation)
		return rpc_fail(ctx, PMIF__CODE__UNAUTHENTICATED,
		                "the account changed while logging in: try again");
	if (auth_token_new(token) != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "no random numbers available");
	auth_token_hash(token, sizeof(token), key);
	if (auth_rebind_secret(ctx->srv->rebind_key, key, secret) != 0) {
		OPENSSL_cleanse(token, sizeof(token));
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the session could not be made");
	}
	s.user = u->name;
	s.created_unix = ctx->op.now;
	s.last_used_unix = ctx->op.now;
	s.user_generation = u->generation;
	s.channel_binding.data = (uint8_t *)ctx->binding;
	s.channel_binding.len = 32;
	if (store_put_pb(ctx->op.store, ctx->op.txn, STORE_SESSIONS, key, 32, &s.base) != 0) {
		OPENSSL_cleanse(token, sizeof(token));
		OPENSSL_cleanse(secret, sizeof(secret));
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the session could not be saved");
	}
	u->last_login_unix = ctx->op.now;
	if (users_put(&ctx->op, u) != 0) {
		OPENSSL_cleanse(token, sizeof(token));
		OPENSSL_cleanse(secret, sizeof(secret));
		return ctx->op.code;
	}
	pmif__login_reply__init(r);
	r->token.data = arena_memdup(ctx->op.arena, token, sizeof(token));
	r->token.len = sizeof(token);
	r->rebind_secret.data = arena_memdup(ctx->op.arena, secret, sizeof(secret));
	r->rebind_secret.len = sizeof(secret);
	OPENSSL_cleanse(token, sizeof(token));
	OPENSSL_cleanse(secret, sizeof(secret));
	r->user = users_info(ctx->op.arena, u);
	r->idle_expiry_seconds = atomic_load(&ctx->srv->session_idle);
	r->absolute_expiry_unix = ctx->op.now + atomic_load(&ctx->srv->session_absolute);
	r->must_change_password = u->must_change_password;
	ctx->audit_detail = "logged in";
	return RPC_REPLY(ctx, r);
}

int rpc_logout(struct rpc_ctx *ctx)
{
	uint8_t key[32];
	Pmif__Empty *r = ARENA_NEW(ctx->op.arena, Pmif__Empty);

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__empty__init(r);
	auth_token_hash(ctx->token.data, ctx->token.len, key);
	if (store_del(ctx->op.store, ctx->op.txn, STORE_SESSIONS, key, 32) != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the session could not be ended");
	ctx->audit_key = arena_printf(ctx->op.arena, "user/%s", ctx->op.actor.name);
	ctx->audit_detail = "logged out";
	return RPC_REPLY(ctx, r);
}

int rpc_whoami(struct rpc_ctx *ctx)
{
	Pmif__WhoAmIReply *r = ARENA_NEW(ctx->op.arena, Pmif__WhoAmIReply);
	Pmif__UserRecord *u;

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (users_get(&ctx->op, ctx->op.actor.name, &u) != 0)
		return ctx->op.code;
	pmif__who_am_ireply__init(r);
	r->user = users_info(ctx->op.arena, u);
	r->session_started_unix = ctx->op.actor.session_created;
	r->session_expires_unix = ctx->op.actor.session_expires;
	return RPC_REPLY(ctx, r);
}

int rpc_password_change_prepare(struct rpc_ctx *ctx)
{
	const Pmif__PasswordChangeRequest *in = (const void *)ctx->in;
	struct auth_password *pw = ARENA_NEW(ctx->op.arena, struct auth_password);
	const char *why;
	Pmif__UserRecord *u;
	int rc;

	ctx->audit_key = arena_printf(ctx->op.arena, "user/%s", ctx->op.actor.name);
	if (pw == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if ((why = auth_password_weakness(in->new_password)) != NULL)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT, "%s", why);
	if (users_get(&ctx->op, ctx->op.actor.name, &u) != 0)
		return ctx->op.code;
	if (check_password_or_throttle(ctx, ctx->op.actor.name, in->old_password, u) != 0)
		return ctx->op.code;
	rc = auth_password_hash(in->new_password, pw);
	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED,
		                "the server is busy checking passwords: try again in a moment");
	ctx->prep = pw;
	return 0;
}

int rpc_password_change(struct rpc_ctx *ctx)
{
	Pmif__UserRecord *u;
	Pmif__Empty *r = ARENA_NEW(ctx->op.arena, Pmif__Empty);

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (users_get(&ctx->op, ctx->op.actor.name, &u) != 0)
		return ctx->op.code;
	users_set_password(ctx->op.arena, u, ctx->prep);
	u->must_change_password = false;
	u->generation++; /* ends every session, this one included */
	if (users_put(&ctx->op, u) != 0)
		return ctx->op.code;
	pmif__empty__init(r);
	ctx->audit_detail = "password changed";
	return RPC_REPLY(ctx, r);
}
