/*
 * test_audit.c - tests for server/audit.c, the hash-chained audit trail.
 *
 * Each test starts from a fresh temp store holding N entries appended with
 * audit_append(), then damages the trail behind the module's back (raw
 * LMDB writes) the way someone with the data files could, and checks that
 * audit_verify() points at the right entry.  The chain itself is checked
 * against an independent recomputation of the documented hash rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ftw.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include "audit.h"
#include "error.h"
#include "log.h"
#include "store.h"

#define N 10

struct fixture {
	char dir[64];
	struct store *store;
};

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int append(struct store *s, MDB_txn *txn, uint64_t i)
{
	Pmif__AuditEntry e = PMIF__AUDIT_ENTRY__INIT;
	char user[32], key[32], before[64], after[64];
	uint8_t rid[16];
	int rc;

	snprintf(user, sizeof(user), "user%llu", (unsigned long long)i);
	snprintf(key, sizeof(key), "user/u%llu", (unsigned long long)i);
	snprintf(before, sizeof(before), "{\"disabled\":false,\"n\":%llu}", (unsigned long long)i);
	snprintf(after, sizeof(after), "{\"disabled\":true,\"n\":%llu}", (unsigned long long)i);
	memset(rid, (int)i, sizeof(rid));
	e.time_unix_us = 1700000000000000ull + i;
	e.user = user;
	e.role = PMIF__ROLE__ADMIN;
	e.method = "UserDisable";
	e.key = key;
	e.before = before;
	e.after = after;
	e.request_id.data = rid;
	e.request_id.len = sizeof(rid);
	e.code = i % 4 == 3 ? PMIF__CODE__UNAUTHENTICATED : PMIF__CODE__OK;
	e.detail = i % 2 ? "odd" : "";
	rc = audit_append(s, txn, &e);
	/* the entry's chain fields are not kept pointing at audit's memory */
	assert_null(e.hash.data);
	assert_int_equal(e.hash.len, 0);
	assert_null(e.prev_hash.data);
	if (rc == 0)
		assert_int_equal(e.seq, i);
	return rc;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char path[128];
	MDB_txn *txn;

	assert_non_null(f);
	strcpy(f->dir, "/tmp/pmif-test-audit-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(path, sizeof(path), "%s/store", f->dir);
	assert_int_equal(store_create(path, &f->store), 0);
	/* two transactions, so the head survives a commit in between */
	assert_int_equal(mdb_txn_begin(f->store->env, NULL, 0, &txn), 0);
	for (uint64_t i = 1; i <= N / 2; i++)
		assert_int_equal(append(f->store, txn, i), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	assert_int_equal(mdb_txn_begin(f->store->env, NULL, 0, &txn), 0);
	for (uint64_t i = N / 2 + 1; i <= N; i++)
		assert_int_equal(append(f->store, txn, i), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	store_close(f->store);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static struct audit_report verify(struct store *s)
{
	struct audit_report r;
	MDB_txn *txn;

	memset(&r, 0xAA, sizeof(r));
	assert_int_equal(store_read_begin(s, &txn), 0);
	assert_int_equal(audit_verify(s, txn, &r), 0);
	mdb_txn_abort(txn);
	if (r.first_bad)
		assert_true(strlen(r.why) > 0 && strlen(r.why) < sizeof(r.why));
	return r;
}

/* The stored entry @p seq, unpacked (caller frees). */
static Pmif__AuditEntry *load(struct store *s, uint64_t seq)
{
	uint8_t key[8];
	ProtobufCMessage *m = NULL;
	MDB_txn *txn;

	store_key_u64(key, seq);
	assert_int_equal(store_read_begin(s, &txn), 0);
	assert_int_equal(
	    store_get_pb(s, txn, STORE_AUDIT, key, 8, &pmif__audit_entry__descriptor, NULL, &m), 0);
	mdb_txn_abort(txn);
	return (Pmif__AuditEntry *)m;
}

/* Overwrite entry @p seq with @p e as is (no rehash). */
static void store_raw(struct store *s, uint64_t seq, const Pmif__AuditEntry *e)
{
	uint8_t key[8];
	MDB_txn *txn;

	store_key_u64(key, seq);
	assert_int_equal(mdb_txn_begin(s->env, NULL, 0, &txn), 0);
	assert_int_equal(store_put_pb(s, txn, STORE_AUDIT, key, 8, &e->base), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
}

static void delete_raw(struct store *s, uint64_t seq)
{
	uint8_t key[8];
	MDB_txn *txn;

	store_key_u64(key, seq);
	assert_int_equal(mdb_txn_begin(s->env, NULL, 0, &txn), 0);
	assert_int_equal(store_del(s, txn, STORE_AUDIT, key, 8), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
}

/* SHA-256 of @p e packed with its hash field empty (audit.h's rule),
 * computed here independently of audit.c. */
static void rehash(Pmif__AuditEntry *e, uint8_t out[32])
{
	ProtobufCBinaryData saved = e->hash;
	size_t len;
	uint8_t *buf;
	unsigned int n = 32;

	e->hash.data = NULL;
	e->hash.len = 0;
	len = pmif__audit_entry__get_packed_size(e);
	buf = malloc(len);
	assert_non_null(buf);
	pmif__audit_entry__pack(e, buf);
	assert_int_equal(EVP_Digest(buf, len, out, &n, EVP_sha256(), NULL), 1);
	free(buf);
	e->hash = saved;
}

/* ---- tests ------------------------------------------------------------ */

static void test_intact(void **state)
{
	struct fixture *f = *state;
	struct audit_report r = verify(f->store);
	uint8_t prev[32] = {0}, h[32];

	assert_int_equal(r.entries, N);
	assert_int_equal(r.first_bad, 0);
	/* every entry follows the documented rule */
	for (uint64_t i = 1; i <= N; i++) {
		Pmif__AuditEntry *e = load(f->store, i);

		assert_int_equal(e->seq, i);
		assert_string_equal(e->method, "UserDisable");
		assert_int_equal(e->prev_hash.len, 32);
		assert_memory_equal(e->prev_hash.data, prev, 32);
		assert_int_equal(e->hash.len, 32);
		rehash(e, h);
		assert_memory_equal(e->hash.data, h, 32);
		memcpy(prev, h, 32);
		pmif__audit_entry__free_unpacked(e, NULL);
	}
}

static void test_empty_trail(void **state)
{
	char path[128];
	struct fixture *f = *state;
	struct store *s;
	struct audit_report r;

	snprintf(path, sizeof(path), "%s/empty", f->dir);
	assert_int_equal(store_create(path, &s), 0);
	r = verify(s);
	assert_int_equal(r.entries, 0);
	assert_int_equal(r.first_bad, 0);
	store_close(s);
}

static void test_altered_field(void **state)
{
	static const uint64_t which[] = {1, 4, N};
	struct fixture *f = *state;

	for (size_t w = 0; w < sizeof(which) / sizeof(which[0]); w++) {
		Pmif__AuditEntry *e = load(f->store, which[w]);
		char *orig = e->after;
		struct audit_report r;

		e->after = "{\"disabled\":false}";
		store_raw(f->store, which[w], e);
		r = verify(f->store);
		assert_int_equal(r.first_bad, which[w]);
		assert_non_null(strstr(r.why, "altered"));
		/* putting it back heals the chain */
		e->after = orig;
		store_raw(f->store, which[w], e);
		assert_int_equal(verify(f->store).first_bad, 0);
		pmif__audit_entry__free_unpacked(e, NULL);
	}
}

static void test_altered_other_fields(void **state)
{
	struct fixture *f = *state;
	Pmif__AuditEntry *e = load(f->store, 6);
	Pmif__AuditEntry copy = *e;
	struct audit_report r;

	/* the user, the code, the time: any field counts */
	copy.user = "someone-else";
	store_raw(f->store, 6, &copy);
	assert_int_equal(verify(f->store).first_bad, 6);
	copy = *e;
	copy.code = PMIF__CODE__OK + 1;
	store_raw(f->store, 6, &copy);
	assert_int_equal(verify(f->store).first_bad, 6);
	copy = *e;
	copy.time_unix_us++;
	store_raw(f->store, 6, &copy);
	assert_int_equal(verify(f->store).first_bad, 6);
	/* an entry claiming another sequence number */
	copy = *e;
	copy.seq = 7;
	store_raw(f->store, 6, &copy);
	r = verify(f->store);
	assert_int_equal(r.first_bad, 6);
	/* a hash that is not 32 bytes */
	copy = *e;
	copy.hash.len = 31;
	store_raw(f->store, 6, &copy);
	assert_int_equal(verify(f->store).first_bad, 6);
	pmif__audit_entry__free_unpacked(e, NULL);
}

static void test_altered_and_rehashed(void **state)
{
	struct fixture *f = *state;
	Pmif__AuditEntry *e = load(f->store, 4);
	uint8_t h[32];
	struct audit_report r;

	char *orig = e->after;

	/* a forger who recomputes the entry's own hash fools that entry... */
	e->after = "{\"disabled\":false}";
	rehash(e, h);
	memcpy(e->hash.data, h, 32);
	store_raw(f->store, 4, e);
	r = verify(f->store);
	/* ...but not the next one, whose prev_hash no longer matches */
	assert_int_equal(r.first_bad, 5);
	assert_non_null(strstr(r.why, "does not follow"));
	assert_true(r.entries >= 4);
	e->after = orig;
	pmif__audit_entry__free_unpacked(e, NULL);
}

static void test_last_altered_and_rehashed(void **state)
{
	struct fixture *f = *state;
	Pmif__AuditEntry *e = load(f->store, N);
	uint8_t h[32];
	struct audit_report r;

	char *orig = e->after;

	/* the last entry has no successor: the head record catches it, and
	 * the reason given must not send the reader looking for removed
	 * entries when all of them are there */
	e->after = "{\"disabled\":false}";
	rehash(e, h);
	memcpy(e->hash.data, h, 32);
	store_raw(f->store, N, e);
	e->after = orig;
	pmif__audit_entry__free_unpacked(e, NULL);
	r = verify(f->store);
	assert_int_equal(r.first_bad, N);
	assert_int_equal(r.entries, N);
	if (strstr(r.why, "removed"))
		print_error("misleading reason: %s\n", r.why);
	assert_null(strstr(r.why, "removed"));
}

static void test_last_deleted(void **state)
{
	struct fixture *f = *state;
	struct audit_report r;

	delete_raw(f->store, N);
	r = verify(f->store);
	assert_int_equal(r.entries, N - 1);
	assert_int_equal(r.first_bad, N);
	assert_non_null(strstr(r.why, "removed"));
}

static void test_last_three_deleted(void **state)
{
	struct fixture *f = *state;
	struct audit_report r;

	delete_raw(f->store, N);
	delete_raw(f->store, N - 1);
	delete_raw(f->store, N - 2);
	r = verify(f->store);
	assert_int_equal(r.entries, N - 3);
	assert_int_equal(r.first_bad, N - 2);
	assert_non_null(strstr(r.why, "removed"));
}

static void test_middle_deleted(void **state)
{
	struct fixture *f = *state;
	struct audit_report r;

	delete_raw(f->store, 4);
	r = verify(f->store);
	assert_int_equal(r.first_bad, 4);
	assert_non_null(strstr(r.why, "missing"));
}

static void test_first_deleted(void **state)
{
	struct fixture *f = *state;

	delete_raw(f->store, 1);
	assert_int_equal(verify(f->store).first_bad, 1);
}

static void test_all_deleted(void **state)
{
	struct fixture *f = *state;
	struct audit_report r;

	for (uint64_t i = 1; i <= N; i++)
		delete_raw(f->store, i);
	r = verify(f->store);
	assert_int_equal(r.entries, 0);
	assert_int_not_equal(r.first_bad, 0);
}

static void test_swapped(void **state)
{
	struct fixture *f = *state;
	Pmif__AuditEntry *a = load(f->store, 3), *b = load(f->store, 7);

	store_raw(f->store, 3, b);
	store_raw(f->store, 7, a);
	assert_int_equal(verify(f->store).first_bad, 3);
	pmif__audit_entry__free_unpacked(a, NULL);
	pmif__audit_entry__free_unpacked(b, NULL);
}

static void test_append_after_verify_continues_chain(void **state)
{
	struct fixture *f = *state;
	MDB_txn *txn;
	struct audit_report r;

	assert_int_equal(mdb_txn_begin(f->store->env, NULL, 0, &txn), 0);
	assert_int_equal(append(f->store, txn, N + 1), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	r = verify(f->store);
	assert_int_equal(r.entries, N + 1);
	assert_int_equal(r.first_bad, 0);
	/* an aborted append leaves no trace, not even in the head */
	assert_int_equal(mdb_txn_begin(f->store->env, NULL, 0, &txn), 0);
	assert_int_equal(append(f->store, txn, N + 2), 0);
	mdb_txn_abort(txn);
	r = verify(f->store);
	assert_int_equal(r.entries, N + 1);
	assert_int_equal(r.first_bad, 0);
}

static void test_garbage(void **state)
{
	struct fixture *f = *state;
	uint8_t key[8];
	MDB_txn *txn;
	MDB_val k = {8, key}, v = {4, "\x0a\x7f\x00\x01"};
	MDB_val hk = {10, "audit_head"}, hv = {5, "short"};
	struct audit_report r;

	/* an entry that is not a record at all */
	store_key_u64(key, 5);
	assert_int_equal(mdb_txn_begin(f->store->env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_put(txn, f->store->dbi[STORE_AUDIT], &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	r = verify(f->store);
	assert_int_equal(r.first_bad, 5);
	assert_non_null(strstr(r.why, "readable"));

	/* a key that is not 8 bytes sorts in among the others */
	assert_int_equal(mdb_txn_begin(f->store->env, NULL, 0, &txn), 0);
	k.mv_size = 3;
	assert_int_equal(mdb_put(txn, f->store->dbi[STORE_AUDIT], &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	r = verify(f->store);
	assert_int_not_equal(r.first_bad, 0);

	/* a head record of the wrong size: the store cannot be read as a
	 * trail, and appends refuse too */
	assert_int_equal(mdb_txn_begin(f->store->env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_put(txn, f->store->dbi[STORE_META], &hk, &hv, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	assert_int_equal(store_read_begin(f->store, &txn), 0);
	assert_int_equal(audit_verify(f->store, txn, &r), PMIF_ESTORE);
	mdb_txn_abort(txn);
	assert_int_equal(mdb_txn_begin(f->store->env, NULL, 0, &txn), 0);
	assert_int_equal(append(f->store, txn, N + 1), PMIF_ESTORE);
	mdb_txn_abort(txn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_intact, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty_trail, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_altered_field, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_altered_other_fields, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_altered_and_rehashed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_last_altered_and_rehashed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_last_deleted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_last_three_deleted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_middle_deleted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_first_deleted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_all_deleted, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_swapped, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_append_after_verify_continues_chain, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
	};

	log_set_quiet(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
