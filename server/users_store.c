/*
 * users_store.c - the user records (db "users", keyed by the user's name):
 * check a name, get, put, walk them all, and the view and password hash of
 * a record (see users_store.h).
 *
 * The admin's RPCs that change users are in rpc_users.c; logging in and
 * changing one's own password in rpc_session.c.
 */
#include <ctype.h>
#include <string.h>

#include <lmdb.h>

#include "error.h"
#include "server.h"
#include "store.h"
#include "users_store.h"

int users_check_name(struct op_ctx *op, const char *name)
{
	size_t len = strlen(name);

	if (len == 0)
		return op_fail(op, PMIF__CODE__INVALID_ARGUMENT, "the user name is empty");
	if (len > 64)
		return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
		               "the user name is longer than 64 characters");
	if (!islower((unsigned char)name[0]))
		return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
		               "user name '%.64s' must start with a lowercase letter", name);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (!(islower(c) || isdigit(c) || c == '.' || c == '_' || c == '-'))
			return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
			               "user name '%.64s' may hold only a-z, 0-9, '.', '_' and '-'",
			               name);
	}
	return 0;
}

int users_get(struct op_ctx *op, const char *name, Pmif__UserRecord **out)
{
	int rc =
	    store_get_pb(op->store, op->txn, STORE_USERS, name, strlen(name),
	                 &pmif__user_record__descriptor, &op->arena->pb, (ProtobufCMessage **)out);

	if (rc == PMIF_ENOTFOUND)
		return op_fail(
		    op, PMIF__CODE__NOT_FOUND,
		    "there is no user '%.64s': 'pmif admin user list' shows who there is", name);
	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the user store could not be read");
	return 0;
}

int users_put(struct op_ctx *op, const Pmif__UserRecord *u)
{
	int rc = store_put_pb(op->store, op->txn, STORE_USERS, u->name, strlen(u->name), &u->base);

	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the user could not be saved");
	return 0;
}

int users_each(struct op_ctx *op, ProtobufCAllocator *alloc, users_fn fn, void *arg)
{
	MDB_cursor *cur;
	MDB_val k, v;
	int mrc;
	bool more = true;

	if (mdb_cursor_open(op->txn, op->store->dbi[STORE_USERS], &cur) != 0)
		return PMIF_ESTORE;
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0 && more;
	     mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Pmif__UserRecord *u = pmif__user_record__unpack(alloc, v.mv_size, v.mv_data);

		if (u == NULL)
			continue;
		more = fn(arg, u);
		if (alloc == NULL)
			pmif__user_record__free_unpacked(u, NULL);
	}
	mdb_cursor_close(cur);
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
