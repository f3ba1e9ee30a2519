/*
 * rpc_users.c - the admin's user RPCs: add, list, show, disable, enable,
 * reset-password, set-role; and the user record helpers (users.h).
 *
 * Disabling or resetting a password bumps the user's generation, which ends
 * every session they have on their next request; a role change applies to
 * them on their next request (the dispatcher reads the role afresh).
 */
#include <ctype.h>
#include <string.h>

#include <lmdb.h>
#include <openssl/crypto.h>

#include "auth.h"
#include "error.h"
#include "framework.h"
#include "server.h"
#include "store.h"
#include "users.h"

int users_check_name(struct rpc_ctx *ctx, const char *name)
{
	size_t len = strlen(name);

	if (len == 0)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT, "the user name is empty");
	if (len > 64)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "the user name is longer than 64 characters");
	if (!islower((unsigned char)name[0]))
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "user name '%.64s' must start with a lowercase letter", name);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!(islower(c) || isdigit(c) || c == '.' || c == '_' || c == '-'))
			return rpc_fail(
			    ctx, PMIF__CODE__INVALID_ARGUMENT,
			    "user name '%.64s' may hold only a-z, 0-9, '.', '_' and '-'", name);
	}
	return 0;
}

int users_get(struct rpc_ctx *ctx, const char *name, Pmif__UserRecord **out)
{
	int rc =
	    store_get_pb(ctx->srv->store, ctx->txn, STORE_USERS, name, strlen(name),
	                 &pmif__user_record__descriptor, &ctx->arena->pb, (ProtobufCMessage **)out);

	if (rc == PMIF_ENOTFOUND)
		return rpc_fail(
		    ctx, PMIF__CODE__NOT_FOUND,
		    "there is no user '%.64s': 'pmif admin user list' shows who there is", name);
	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the user store could not be read");
	return 0;
}

int users_put(struct rpc_ctx *ctx, const Pmif__UserRecord *u)
{
	int rc = store_put_pb(ctx->srv->store, ctx->txn, STORE_USERS, u->name, strlen(u->name),
	                      &u->base);

	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the user could not be saved");
	return 0;
}

Pmif__UserInfo *users_info(struct arena *a, const Pmif__UserRecord *u)
{
	Pmif__UserInfo *i = ARENA_NEW(a, Pmif__UserInfo);

	if (i == NULL)
		return NULL;
	pmif__user_info__init(i);
	i->name = u->name;
	i->role = u->role;
	i->directorates = u->directorates;
	i->n_directorates = u->n_directorates;
	i->disabled = u->disabled;
	i->created_unix = u->created_unix;
	i->last_login_unix = u->last_login_unix;
	i->must_change_password = u->must_change_password;
	return i;
}

void users_set_password(struct arena *a, Pmif__UserRecord *u, const struct auth_password *p)
{
	u->scrypt_log2_n = p->log2_n;
	u->scrypt_r = p->r;
	u->scrypt_p = p->p;
	u->salt.data = arena_memdup(a, p->salt, sizeof(p->salt));
	u->salt.len = sizeof(p->salt);
	u->hash.data = arena_memdup(a, p->hash, sizeof(p->hash));
	u->hash.len = sizeof(p->hash);
}

int users_password(const Pmif__UserRecord *u, struct auth_password *out)
{
	if (u->salt.len != AUTH_SALT_LEN || u->hash.len != AUTH_HASH_LEN)
		return PMIF_ENOTFOUND;
	out->log2_n = u->scrypt_log2_n;
	out->r = u->scrypt_r;
	out->p = u->scrypt_p;
	memcpy(out->salt, u->salt.data, AUTH_SALT_LEN);
	memcpy(out->hash, u->hash.data, AUTH_HASH_LEN);
	return 0;
}

static int check_directorate_id(struct rpc_ctx *ctx, const char *id)
{
	size_t len = strlen(id);

	if (len == 0 || len > 24)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "directorate id '%.32s' must be 1 to 24 characters", id);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)id[i];
		if (!(isupper(c) || isdigit(c) || c == '-'))
			return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
			                "directorate id '%.32s' may hold only A-Z, 0-9 and '-'",
			                id);
	}
	return 0;
}

int users_check_role(struct rpc_ctx *ctx, Pmif__Role role, char **dirs, size_t n_dirs)
{
	if (role != PMIF__ROLE__ADMIN && role != PMIF__ROLE__DIRECTORATE &&
	    role != PMIF__ROLE__MEMBER)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "the role must be admin, directorate or member");
	if (role == PMIF__ROLE__DIRECTORATE && n_dirs == 0)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "a directorate user needs at least one --directorate");
	if (role != PMIF__ROLE__DIRECTORATE && n_dirs > 0)
		return rpc_fail(
		    ctx, PMIF__CODE__INVALID_ARGUMENT,
		    "only directorate users belong to directorates: drop --directorate");
	if (n_dirs > 32)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "a user may belong to at most 32 directorates");
	for (size_t i = 0; i < n_dirs; i++) {
		ProtobufCMessage *rec;
		int rc;

		if (check_directorate_id(ctx, dirs[i]) != 0)
			return ctx->code;
		rc = fw_find(ctx, fw_kind(FW_DIRECTORATE), dirs[i], &rec);
		if (rc == PMIF_ENOTFOUND)
			return rpc_fail(
			    ctx, PMIF__CODE__NOT_FOUND,
			    "there is no directorate '%s': 'pmif admin directorate list' "
			    "shows them",
			    dirs[i]);
		if (rc != 0)
			return rpc_fail(ctx, PMIF__CODE__INTERNAL,
			                "the framework could not be read");
		if (fw_retired(rec))
			return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
			                "directorate '%s' is retired: restore it first, or choose "
			                "another",
			                dirs[i]);
	}
	return 0;
}

/* Shared by add and reset: the hash of the given password, or of a new
 * one-time password (returned in *otp). */
struct password_prep {
	struct auth_password pw;
	char otp[32];
};

static int prepare_password(struct rpc_ctx *ctx, const char *given)
{
	struct password_prep *p = ARENA_NEW(ctx->arena, struct password_prep);
	const char *why;
	int rc;

	if (p == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (given && given[0]) {
		if ((why = auth_password_weakness(given)) != NULL)
			return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT, "%s", why);
	} else {
		if (auth_one_time_password(p->otp, sizeof(p->otp)) != 0)
			return rpc_fail(ctx, PMIF__CODE__INTERNAL, "no random numbers available");
		given = p->otp;
	}
	rc = auth_password_hash(given, &p->pw);
	if (rc == PMIF_EBUSY)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED,
		                "the server is busy checking passwords: try again in a moment");
	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the password could not be hashed");
	ctx->prep = p;
	return 0;
}

static int password_reply(struct rpc_ctx *ctx, const Pmif__UserRecord *u)
{
	struct password_prep *p = ctx->prep;
	Pmif__UserPasswordReply *r = ARENA_NEW(ctx->arena, Pmif__UserPasswordReply);

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__user_password_reply__init(r);
	r->user = users_info(ctx->arena, u);
	r->one_time_password = p->otp[0] ? arena_strdup(ctx->arena, p->otp) : "";
	return RPC_REPLY(ctx, r);
}

int rpc_user_add_prepare(struct rpc_ctx *ctx)
{
	const Pmif__UserAddRequest *in = (const void *)ctx->in;

	if (users_check_name(ctx, in->name) != 0 ||
	    users_check_role(ctx, in->role, in->directorates, in->n_directorates) != 0)
		return ctx->code;
	return prepare_password(ctx, in->password);
}

int rpc_user_add(struct rpc_ctx *ctx)
{
	const Pmif__UserAddRequest *in = (const void *)ctx->in;
	struct password_prep *p = ctx->prep;
	Pmif__UserRecord *u, u_new = PMIF__USER_RECORD__INIT;

	if (users_get(ctx, in->name, &u) == 0)
		return rpc_fail(ctx, PMIF__CODE__ALREADY_EXISTS,
		                "user '%s' already exists: use 'pmif admin user show %s'", in->name,
		                in->name);
	if (ctx->code != PMIF__CODE__NOT_FOUND)
		return ctx->code;
	ctx->code = PMIF__CODE__OK;
	ctx->message = NULL;
	u = arena_memdup(ctx->arena, &u_new, sizeof(u_new));
	u->name = in->name;
	u->role = in->role;
	u->directorates = in->directorates;
	u->n_directorates = in->n_directorates;
	u->created_unix = ctx->now;
	u->must_change_password = p->otp[0] != '\0';
	u->generation = 1;
	users_set_password(ctx->arena, u, &p->pw);
	if (users_put(ctx, u) != 0)
		return ctx->code;
	ctx->audit_key = arena_printf(ctx->arena, "user/%s", u->name);
	ctx->audit_after = &users_info(ctx->arena, u)->base;
	return password_reply(ctx, u);
}

int rpc_user_list(struct rpc_ctx *ctx)
{
	Pmif__UserListReply *r = ARENA_NEW(ctx->arena, Pmif__UserListReply);
	MDB_cursor *cur;
	MDB_val k, v;
	size_t n = 0, cap = 16;
	int mrc;

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__user_list_reply__init(r);
	r->users = ARENA_ARRAY(ctx->arena, Pmif__UserInfo *, cap);
	if (mdb_cursor_open(ctx->txn, ctx->srv->store->dbi[STORE_USERS], &cur) != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the user store could not be read");
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
	     mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Pmif__UserRecord *u =
		    pmif__user_record__unpack(&ctx->arena->pb, v.mv_size, v.mv_data);
		if (u == NULL)
			continue;
		if (n == cap) {
			Pmif__UserInfo **grown =
			    arena_regrow(ctx->arena, r->users, n, cap * 2, sizeof(*grown));
			if (grown == NULL)
				break;
			r->users = grown;
			cap *= 2;
		}
		r->users[n++] = users_info(ctx->arena, u);
	}
	mdb_cursor_close(cur);
	r->n_users = n;
	return RPC_REPLY(ctx, r);
}

int rpc_user_show(struct rpc_ctx *ctx)
{
	const Pmif__UserName *in = (const void *)ctx->in;
	Pmif__UserRecord *u;

	if (users_get(ctx, in->name, &u) != 0)
		return ctx->code;
	return RPC_REPLY(ctx, users_info(ctx->arena, u));
}

/* Load @p name for a change, keeping the before-image for the audit. */
static int load_for_change(struct rpc_ctx *ctx, const char *name, Pmif__UserRecord **out)
{
	Pmif__UserRecord *u;

	if (users_get(ctx, name, &u) != 0)
		return ctx->code;
	ctx->audit_key = arena_printf(ctx->arena, "user/%s", name);
	ctx->audit_before = &users_info(ctx->arena, u)->base;
	/* the before-image points into u's fields: change a copy */
	*out = arena_memdup(ctx->arena, u, sizeof(*u));
	return 0;
}

static int finish_change(struct rpc_ctx *ctx, Pmif__UserRecord *u)
{
	if (users_put(ctx, u) != 0)
		return ctx->code;
	ctx->audit_after = &users_info(ctx->arena, u)->base;
	return RPC_REPLY(ctx, users_info(ctx->arena, u));
}

static int set_disabled(struct rpc_ctx *ctx, bool disabled)
{
	const Pmif__UserName *in = (const void *)ctx->in;
	Pmif__UserRecord *u;

	if (disabled && strcmp(in->name, ctx->caller.name) == 0)
		return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
		                "you cannot disable your own account: ask another administrator");
	if (load_for_change(ctx, in->name, &u) != 0)
		return ctx->code;
	u->disabled = disabled;
	u->generation++;
	return finish_change(ctx, u);
}

int rpc_user_disable(struct rpc_ctx *ctx)
{
	return set_disabled(ctx, true);
}

int rpc_user_enable(struct rpc_ctx *ctx)
{
	return set_disabled(ctx, false);
}

int rpc_user_reset_password_prepare(struct rpc_ctx *ctx)
{
	const Pmif__UserResetPasswordRequest *in = (const void *)ctx->in;

	if (users_check_name(ctx, in->name) != 0)
		return ctx->code;
	return prepare_password(ctx, in->password);
}

int rpc_user_reset_password(struct rpc_ctx *ctx)
{
	const Pmif__UserResetPasswordRequest *in = (const void *)ctx->in;
	struct password_prep *p = ctx->prep;
	Pmif__UserRecord *u;

	if (load_for_change(ctx, in->name, &u) != 0)
		return ctx->code;
	users_set_password(ctx->arena, u, &p->pw);
	u->must_change_password = p->otp[0] != '\0';
	u->generation++;
	if (users_put(ctx, u) != 0)
		return ctx->code;
	ctx->audit_after = &users_info(ctx->arena, u)->base;
	ctx->audit_detail = "password reset";
	return password_reply(ctx, u);
}

int rpc_user_set_role(struct rpc_ctx *ctx)
{
	const Pmif__UserSetRoleRequest *in = (const void *)ctx->in;
	Pmif__UserRecord *u;

	if (users_check_role(ctx, in->role, in->directorates, in->n_directorates) != 0)
		return ctx->code;
	if (strcmp(in->name, ctx->caller.name) == 0)
		return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
		                "you cannot change your own role: ask another administrator");
	if (load_for_change(ctx, in->name, &u) != 0)
		return ctx->code;
	u->role = in->role;
	u->directorates = in->directorates;
	u->n_directorates = in->n_directorates;
	return finish_change(ctx, u);
}
