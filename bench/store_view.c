/*
 * store_view.c - the read-only look at pmifd's store that checks
 * acknowledged writes (see store_view.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "store_view.h"

int bench_acks_add(struct bench_acks *a, const uint8_t rid[16])
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 1024;
		void *grown = realloc(a->rid, cap * 16);
		if (grown == NULL)
			return -1;
		a->rid = grown;
		a->cap = cap;
	}
	memcpy(a->rid[a->n++], rid, 16);
	return 0;
}

void bench_acks_free(struct bench_acks *a)
{
	free(a->rid);
	memset(a, 0, sizeof(*a));
}

int bench_store_view_open(struct bench_store_view *v, const char *dir)
{
	MDB_txn *txn;
	int rc;

	memset(v, 0, sizeof(*v));
	rc = mdb_env_create(&v->env);
	if (rc == 0)
		rc = mdb_env_set_maxdbs(v->env, 64);
	if (rc == 0)
		rc = mdb_env_set_maxreaders(v->env, 512);
	if (rc == 0)
		rc = mdb_env_open(v->env, dir, MDB_RDONLY | MDB_NOTLS, 0600);
	if (rc == 0)
		rc = mdb_txn_begin(v->env, NULL, MDB_RDONLY, &txn);
	if (rc == 0) {
		rc = mdb_dbi_open(txn, "audit", 0, &v->audit);
		if (rc == 0)
			rc = mdb_dbi_open(txn, "requests", 0, &v->requests);
		if (rc == 0)
			rc = mdb_txn_commit(txn);
		else
			mdb_txn_abort(txn);
	}
	if (rc != 0) {
		bench_note("cannot open the store in %s read-only: %s", dir, mdb_strerror(rc));
		bench_store_view_close(v);
		return -1;
	}
	return 0;
}

void bench_store_view_close(struct bench_store_view *v)
{
	if (v->env)
		mdb_env_close(v->env);
	v->env = NULL;
}

void bench_store_view_counts(struct bench_store_view *v, size_t *audit, size_t *txnid)
{
	MDB_txn *txn;
	MDB_stat st;
	MDB_envinfo info;

	*audit = 0;
	*txnid = 0;
	if (mdb_txn_begin(v->env, NULL, MDB_RDONLY, &txn) != 0)
		return;
	if (mdb_stat(txn, v->audit, &st) == 0)
		*audit = st.ms_entries;
	mdb_txn_abort(txn);
	if (mdb_env_info(v->env, &info) == 0)
		*txnid = info.me_last_txnid;
}

size_t bench_store_view_found(struct bench_store_view *v, const char *user,
                              const struct bench_acks *a)
{
	size_t found = 0, ulen = strlen(user);
	uint8_t key[128];
	MDB_txn *txn;

	if (ulen + 17 > sizeof(key) || mdb_txn_begin(v->env, NULL, MDB_RDONLY, &txn) != 0)
		return 0;
	memcpy(key, user, ulen + 1);
	for (size_t k = 0; k < a->n; k++) {
		MDB_val kv = {ulen + 17, key}, val;
		memcpy(key + ulen + 1, a->rid[k], 16);
		found += mdb_get(txn, v->requests, &kv, &val) == 0;
	}
	mdb_txn_abort(txn);
	return found;
}
