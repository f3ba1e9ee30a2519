/*
 * users.h - user records: lookup, storage and the public view of them.
 */
#ifndef PMIF_USERS_H
#define PMIF_USERS_H

#include "auth.h"
#include "rpc.h"

/** Is @p name acceptable as a user name (1-64 of a-z 0-9 . _ -, starting
 *  with a letter)?  If not, sets an INVALID_ARGUMENT status and returns it. */
int users_check_name(struct rpc_ctx *ctx, const char *name);

/** The user @p name in ctx->txn, or NOT_FOUND status. */
int users_get(struct rpc_ctx *ctx, const char *name, Pmif__UserRecord **out);

/** Store @p u in ctx->txn (a write transaction). */
int users_put(struct rpc_ctx *ctx, const Pmif__UserRecord *u);

/** The view of @p u that leaves the server: no salt, no hash. */
Pmif__UserInfo *users_info(struct arena *a, const Pmif__UserRecord *u);

/** Copy a computed password hash into @p u (memory from @p a). */
void users_set_password(struct arena *a, Pmif__UserRecord *u, const struct auth_password *p);

/** The stored hash of @p u as an auth_password, or NULL if it has none. */
int users_password(const Pmif__UserRecord *u, struct auth_password *out);

/** Check a role and its directorates for a user: directorate users need at
 *  least one directorate, others none. Sets INVALID_ARGUMENT on failure. */
int users_check_role(struct rpc_ctx *ctx, Pmif__Role role, char **dirs, size_t n_dirs);

#endif
