/*
 * users_store.h - the user records (db "users", keyed by the user's name):
 * the name a record may have, get, put, a walk over all of them, and the
 * view of a record that leaves the server and its password hash.
 *
 * Functions taking a struct op_ctx work in op->txn; those that fail with
 * a status say so.  Records returned live in op->arena and die with the
 * request.  Who may change a user, and how, is rpc_users.c's.
 */
#ifndef PMIF_USERS_STORE_H
#define PMIF_USERS_STORE_H

#include <stdbool.h>

#include "auth.h"
#include "rpc.h"

/** Is @p name acceptable as a user name (1-64 of a-z 0-9 . _ -, starting
 *  with a letter)?  If not, sets an INVALID_ARGUMENT status and returns it. */
int users_check_name(struct op_ctx *op, const char *name);

/** The user @p name in op->txn, or NOT_FOUND status (INTERNAL if the
 *  store cannot be read).  *out is from op->arena. */
int users_get(struct op_ctx *op, const char *name, Pmif__UserRecord **out);

/** Store @p u in op->txn (a write transaction); INTERNAL status if it
 *  cannot be saved.  @p u is not kept. */
int users_put(struct op_ctx *op, const Pmif__UserRecord *u);

/** Called by users_each() for one record: return false to stop. */
typedef bool (*users_fn)(void *arg, const Pmif__UserRecord *u);

/**
 * Call @p fn for every user record in op->txn, in name order, each
 * unpacked with @p alloc; with @p alloc NULL each is unpacked with malloc
 * and freed once @p fn returns, so @p fn must not keep it.  Records that do
 * not unpack are skipped.  Returns 0 (also when @p fn stopped the walk) or
 * PMIF_ESTORE if the store cannot be read; sets no status: the caller says
 * what failed.
 */
int users_each(struct op_ctx *op, ProtobufCAllocator *alloc, users_fn fn, void *arg);

/** The view of @p u that leaves the server: no salt, no hash.  It points
 *  into @p u's fields (memory from @p a); NULL when out of memory. */
Pmif__UserInfo *users_info(struct arena *a, const Pmif__UserRecord *u);

/** Copy a computed password hash into @p u (memory from @p a). */
void users_set_password(struct arena *a, Pmif__UserRecord *u, const struct auth_password *p);

/** The stored hash of @p u as an auth_password, or PMIF_ENOTFOUND if it
 *  has none. */
int users_password(const Pmif__UserRecord *u, struct auth_password *out);

#endif
