/*
 * rpc_users.c - the admin's user RPCs: add, list, show, disable, enable,
 * reset-password, set-role.  The records themselves are users_store.c's.
 *
 * Disabling or resetting a password bumps the user's generation, which ends
 * every session they have on their next request; a role change applies to
 * them on their next request (the dispatcher reads the role afresh).
 */
#include <ctype.h>
#include <string.h>

#include <openssl/crypto.h>

#include "auth.h"
#include "error.h"
#include "framework.h"
#include "server.h"
#include "users_store.h"

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

/* Check a role and its directorates for a user: directorate users need at
 * least one directorate, others none. Sets INVALID_ARGUMENT on failure. */
static int check_role(struct rpc_ctx *ctx, Pmif__Role role, char **dirs, size_t n_dirs)
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
			return ctx->op.code;
		rc = fw_find(&ctx->op, fw_kind(FW_DIRECTORATE), dirs[i], &rec);
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
	struct password_prep *p = ARENA_NEW(ctx->op.arena, struct password_prep);
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
	Pmif__UserPasswordReply *r = ARENA_NEW(ctx->op.arena, Pmif__UserPasswordReply);

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__user_password_reply__init(r);
	r->user = users_info(ctx->op.arena, u);
	r->one_time_password = p->otp[0] ? arena_strdup(ctx->op.arena, p->otp) : "";
	return RPC_REPLY(ctx, r);
}

int rpc_user_add_prepare(struct rpc_ctx *ctx)
{
	const Pmif__UserAddRequest *in = (const void *)ctx->in;

	if (users_check_name(&ctx->op, in->name) != 0 ||
	    check_role(ctx, in->role, in->directorates, in->n_directorates) != 0)
		return ctx->op.code;
	return prepare_password(ctx, in->password);
}

int rpc_user_add(struct rpc_ctx *ctx)
{
	const Pmif__UserAddRequest *in = (const void *)ctx->in;
	struct password_prep *p = ctx->prep;
	Pmif__UserRecord *u, u_new = PMIF__USER_RECORD__INIT;

	if (users_get(&ctx->op, in->name, &u) == 0)
		return rpc_fail(ctx, PMIF__CODE__ALREADY_EXISTS,
		                "user '%s' already exists: use 'pmif admin user show %s'", in->name,
		                in->name);
	if (ctx->op.code != PMIF__CODE__NOT_FOUND)
		return ctx->op.code;
	ctx->op.code = PMIF__CODE__OK;
	ctx->op.message = NULL;
	u = arena_memdup(ctx->op.arena, &u_new, sizeof(u_new));
	u->name = in->name;
	u->role = in->role;
	u->directorates = in->directorates;
	u->n_directorates = in->n_directorates;
	u->created_unix = ctx->op.now;
	u->must_change_password = p->otp[0] != '\0';
	u->generation = 1;
	users_set_password(ctx->op.arena, u, &p->pw);
	if (users_put(&ctx->op, u) != 0)
		return ctx->op.code;
	ctx->audit_key = arena_printf(ctx->op.arena, "user/%s", u->name);
	ctx->audit_after = &users_info(ctx->op.arena, u)->base;
	return password_reply(ctx, u);
}

struct user_list {
	struct arena *a;
	Pmif__UserInfo **users;
	size_t n, cap;
};

static bool list_one(void *arg, const Pmif__UserRecord *u)
{
	struct user_list *l = arg;

	if (l->n == l->cap) {
		Pmif__UserInfo **grown =
		    arena_regrow(l->a, l->users, l->n, l->cap * 2, sizeof(*grown));
		if (grown == NULL)
			return false;
		l->users = grown;
		l->cap *= 2;
	}
	l->users[l->n++] = users_info(l->a, u);
	return true;
}

int rpc_user_list(struct rpc_ctx *ctx)
{
	Pmif__UserListReply *r = ARENA_NEW(ctx->op.arena, Pmif__UserListReply);
	struct user_list l = {.a = ctx->op.arena, .cap = 16};

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__user_list_reply__init(r);
	l.users = ARENA_ARRAY(ctx->op.arena, Pmif__UserInfo *, l.cap);
	if (users_each(&ctx->op, &ctx->op.arena->pb, list_one, &l) != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the user store could not be read");
	r->users = l.users;
	r->n_users = l.n;
	return RPC_REPLY(ctx, r);
}

int rpc_user_show(struct rpc_ctx *ctx)
{
	const Pmif__UserName *in = (const void *)ctx->in;
	Pmif__UserRecord *u;

	if (users_get(&ctx->op, in->name, &u) != 0)
		return ctx->op.code;
	return RPC_REPLY(ctx, users_info(ctx->op.arena, u));
}

/* Load @p name for a change, keeping the before-image for the audit. */
static int load_for_change(struct rpc_ctx *ctx, const char *name, Pmif__UserRecord **out)
{
	Pmif__UserRecord *u;

	if (users_get(&ctx->op, name, &u) != 0)
		return ctx->op.code;
	ctx->audit_key = arena_printf(ctx->op.arena, "user/%s", name);
	ctx->audit_before = &users_info(ctx->op.arena, u)->base;
	/* the before-image points into u's fields: change a copy */
	*out = arena_memdup(ctx->op.arena, u, sizeof(*u));
	return 0;
}

static int finish_change(struct rpc_ctx *ctx, Pmif__UserRecord *u)
{
	if (users_put(&ctx->op, u) != 0)
		return ctx->op.code;
	ctx->audit_after = &users_info(ctx->op.arena, u)->base;
	return RPC_REPLY(ctx, users_info(ctx->op.arena, u));
}

static int set_disabled(struct rpc_ctx *ctx, bool disabled)
{
	const Pmif__UserName *in = (const void *)ctx->in;
	Pmif__UserRecord *u;

	if (disabled && strcmp(in->name, ctx->op.actor.name) == 0)
		return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
		                "you cannot disable your own account: ask another administrator");
	if (load_for_change(ctx, in->name, &u) != 0)
		return ctx->op.code;
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

	if (users_check_name(&ctx->op, in->name) != 0)
		return ctx->op.code;
	return prepare_password(ctx, in->password);
}

int rpc_user_reset_password(struct rpc_ctx *ctx)
{
	const Pmif__UserResetPasswordRequest *in = (const void *)ctx->in;
	struct password_prep *p = ctx->prep;
	Pmif__UserRecord *u;

	if (load_for_change(ctx, in->name, &u) != 0)
		return ctx->op.code;
	users_set_password(ctx->op.arena, u, &p->pw);
	u->must_change_password = p->otp[0] != '\0';
	u->generation++;
	if (users_put(&ctx->op, u) != 0)
		return ctx->op.code;
	ctx->audit_after = &users_info(ctx->op.arena, u)->base;
	ctx->audit_detail = "password reset";
	return password_reply(ctx, u);
}

int rpc_user_set_role(struct rpc_ctx *ctx)
{
	const Pmif__UserSetRoleRequest *in = (const void *)ctx->in;
	Pmif__UserRecord *u;

	if (check_role(ctx, in->role, in->directorates, in->n_directorates) != 0)
		return ctx->op.code;
	if (strcmp(in->name, ctx->op.actor.name) == 0)
		return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
		                "you cannot change your own role: ask another administrator");
	if (load_for_change(ctx, in->name, &u) != 0)
		return ctx->op.code;
	u->role = in->role;
	u->directorates = in->directorates;
	u->n_directorates = in->n_directorates;
	return finish_change(ctx, u);
}
