/*
 * test_audit.c - tests for server/audit.c, the hash-chained audit trail.
 *
 * Each test starts from a fresh temp store holding N entries appended with
 * audit_append(), then damages the trail behind the module's back (raw
 * LMDB writes) the way someone with the data files could, and checks that
 * audit_verify() points at the right entry.  The chain itself is checked
 * against an independent recomputation of the documented hash rule.
 *
 * The setup's entries carry JSON text, as entries written before issue #7
 * did; the image tests append entries with packed record images after them
 * and check the JSON shown for those is what the old path stored.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* memmem */
#endif
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

#include <math.h>

#include <openssl/evp.h>

#include "arena.h"
#include "audit.h"
#include "error.h"
#include "fixture_store.h"
#include "framework.h"
#include "log.h"
#include "pbjson.h"
#include "pmif.pb-c.h"
#include "store.h"
#include "values.pb-c.h"

#define N 10

#define fixture fixture_store

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
	MDB_txn *txn;

	assert_non_null(f);
	fixture_store_make(f, "audit");
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

	fixture_store_remove(f);
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

/* ---- record images (entries written since issue #7) --------------------- */

/* Append one entry with images @p before / @p after in its own transaction;
 * its sequence number. */
static uint64_t append_images(struct store *s, const ProtobufCMessage *before,
                              const ProtobufCMessage *after)
{
	Pmif__AuditEntry e = PMIF__AUDIT_ENTRY__INIT;
	MDB_txn *txn;

	e.time_unix_us = 1800000000000000ull;
	e.user = "admin";
	e.role = PMIF__ROLE__ADMIN;
	e.method = "ValueSet";
	e.key = "value/X/2022-23-Q4/borough";
	e.detail = "";
	assert_int_equal(mdb_txn_begin(s->env, NULL, 0, &txn), 0);
	assert_int_equal(audit_append_images(s, txn, &e, before, after), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	/* nothing of the images is left pointing at audit's memory */
	assert_null(e.before_image);
	assert_null(e.after_image);
	assert_string_equal(e.image_type, "");
	assert_null(e.hash.data);
	assert_null(e.prev_hash.data);
	return e.seq;
}

/* What 'pmif admin audit' shows for entry @p seq. */
static void shown(struct store *s, struct arena *a, uint64_t seq, const char **before,
                  const char **after)
{
	Pmif__AuditEntry *e = load(s, seq);
	const char *b = NULL, *f = NULL;

	assert_int_equal(audit_images_json(a, e, &b, &f), 0);
	*before = arena_strdup(a, b);
	*after = arena_strdup(a, f);
	pmif__audit_entry__free_unpacked(e, NULL);
}

/* The old path's text for @p m, in the arena. */
static const char *old_json(struct arena *a, const ProtobufCMessage *m)
{
	char *t = pmif_pb_to_json_text(m);
	char *out;

	assert_non_null(t);
	out = arena_strdup(a, t);
	free(t);
	return out;
}

static void fill_value(Pmif__ValueRecord *v, double value, const char *note)
{
	pmif__value_record__init(v);
	v->measure = "FSM-UPTAKE";
	v->period = "2022-23-Q4";
	v->locality = "";
	v->value = value;
	v->has_fraction = true;
	v->numerator = 9395;
	v->denominator = 11066;
	v->note = (char *)note;
	v->status = PMIF__VALUE_STATUS__SUBMITTED;
	v->submitted_by = "olivia";
	v->submitted_unix = 1700000000;
	v->revision = 3;
}

static void test_images_shown_as_before(void **state)
{
	struct fixture *f = *state;
	Pmif__ValueRecord before, after;
	Pmif__Measure m = PMIF__MEASURE__INIT;
	Pmif__Baseline base = PMIF__BASELINE__INIT;
	Pmif__Target t1 = PMIF__TARGET__INIT, t2 = PMIF__TARGET__INIT, *targets[] = {&t1, &t2};
	char *committees[] = {"cabinet", "caf-scrutiny"};
	Pmif__Period empty = PMIF__PERIOD__INIT;
	Pmif__UserInfo u = PMIF__USER_INFO__INIT;
	char *dirs[] = {"CAF"};
	struct arena a;
	const char *b, *af;
	uint64_t seq;

	arena_init(&a, 1 << 20);
	/* a change: both images, with a note that is not valid UTF-8 */
	fill_value(&before, 84.9, "was \xff fine");
	fill_value(&after, 0.1 + 0.2, "Kitchen closed for six weeks \xe2\x80\x94 \"quoted\"");
	after.revision = 4;
	seq = append_images(f->store, &before.base, &after.base);
	assert_int_equal(seq, N + 1);
	shown(f->store, &a, seq, &b, &af);
	assert_string_equal(b, old_json(&a, &before.base));
	assert_string_equal(af, old_json(&a, &after.base));

	/* an addition: no record before shows as "", as the old path stored */
	after.value = NAN; /* JSON has none: null, either way */
	seq = append_images(f->store, NULL, &after.base);
	shown(f->store, &a, seq, &b, &af);
	assert_string_equal(b, "");
	assert_string_equal(af, old_json(&a, &after.base));
	assert_non_null(strstr(af, "\"value\":null"));

	/* a deletion; nested and repeated messages, enums, repeated strings */
	m.id = "FSM-UPTAKE";
	m.title = "Free school meals uptake";
	m.unit = PMIF__MEASURE__UNIT__PERCENT;
	m.polarity = PMIF__MEASURE__POLARITY__HIGHER;
	m.n_committees = 2;
	m.committees = committees;
	base.value = 80.25;
	base.period = "2019-20";
	m.baseline = &base;
	t1.year = "2022-23";
	t1.value = 84;
	t2.year = "2023-24";
	t2.value = 1e-7;
	m.n_targets = 2;
	m.targets = targets;
	m.tolerance = 2;
	m.position = 4000000000u;
	seq = append_images(f->store, &m.base, NULL);
	shown(f->store, &a, seq, &b, &af);
	assert_string_equal(b, old_json(&a, &m.base));
	assert_string_equal(af, "");

	/* a record whose fields are all defaults (packs to nothing) is still a
	 * record, not "no record" */
	seq = append_images(f->store, &empty.base, &empty.base);
	shown(f->store, &a, seq, &b, &af);
	assert_string_equal(b, old_json(&a, &empty.base));
	assert_string_equal(af, b);
	assert_string_not_equal(af, "");

	/* UserInfo: what the user RPCs audit */
	u.name = "olga";
	u.role = PMIF__ROLE__DIRECTORATE;
	u.n_directorates = 1;
	u.directorates = dirs;
	u.disabled = true;
	seq = append_images(f->store, NULL, &u.base);
	shown(f->store, &a, seq, &b, &af);
	assert_string_equal(af, old_json(&a, &u.base));

	/* neither image: a failure's entry */
	seq = append_images(f->store, NULL, NULL);
	shown(f->store, &a, seq, &b, &af);
	assert_string_equal(b, "");
	assert_string_equal(af, "");

	/* the old entries still show their text as stored */
	shown(f->store, &a, 3, &b, &af);
	assert_string_equal(b, "{\"disabled\":false,\"n\":3}");
	assert_string_equal(af, "{\"disabled\":true,\"n\":3}");
	assert_int_equal(verify(f->store).first_bad, 0);
	arena_release(&a);
}

static void test_big_image(void **state)
{
	struct fixture *f = *state;
	Pmif__FrameworkLoadReply r = PMIF__FRAMEWORK_LOAD_REPLY__INIT;
	Pmif__FrameworkLoadChange ch[400], *chp[400];
	char ids[400][16];
	struct arena a;
	const char *b, *af;
	uint64_t seq;

	/* far more than the writer packs on its stack */
	for (int i = 0; i < 400; i++) {
		pmif__framework_load_change__init(&ch[i]);
		snprintf(ids[i], sizeof(ids[i]), "M-%d", i);
		ch[i].kind = PMIF__FRAMEWORK_RECORD__KIND__MEASURE;
		ch[i].id = ids[i];
		chp[i] = &ch[i];
	}
	r.name = "gateshead.json";
	r.n_added = 400;
	r.added = chp;
	arena_init(&a, 1 << 22);
	seq = append_images(f->store, NULL, &r.base);
	shown(f->store, &a, seq, &b, &af);
	assert_true(strlen(af) > 4096);
	assert_string_equal(af, old_json(&a, &r.base));
	assert_int_equal(verify(f->store).first_bad, 0);
	arena_release(&a);
}

static void test_mixed_chain(void **state)
{
	struct fixture *f = *state;
	Pmif__ValueRecord v;
	MDB_txn *txn;
	uint8_t prev[32] = {0}, h[32];
	uint64_t n = N;

	/* old-style (JSON) and image entries, interleaved, in one chain */
	fill_value(&v, 12.5, "");
	for (int i = 0; i < 3; i++) {
		assert_int_equal(append_images(f->store, &v.base, &v.base), ++n);
		assert_int_equal(mdb_txn_begin(f->store->env, NULL, 0, &txn), 0);
		assert_int_equal(append(f->store, txn, ++n), 0);
		assert_int_equal(mdb_txn_commit(txn), 0);
	}
	assert_int_equal(append_images(f->store, NULL, &v.base), ++n);
	assert_int_equal(verify(f->store).first_bad, 0);
	assert_int_equal(verify(f->store).entries, n);
	/* every link follows the documented rule, whatever the entry holds */
	for (uint64_t i = 1; i <= n; i++) {
		Pmif__AuditEntry *e = load(f->store, i);

		assert_memory_equal(e->prev_hash.data, prev, 32);
		rehash(e, h);
		assert_memory_equal(e->hash.data, h, 32);
		memcpy(prev, h, 32);
		pmif__audit_entry__free_unpacked(e, NULL);
	}
}

static void test_stored_form(void **state)
{
	struct fixture *f = *state;
	Pmif__ValueRecord v;
	Pmif__AuditEntry *e;
	uint8_t key[8], h[32], *canon;
	MDB_txn *txn;
	MDB_val k = {8, key}, val;
	uint64_t seq;
	size_t len;

	fill_value(&v, 1, "n");
	seq = append_images(f->store, NULL, &v.base);
	e = load(f->store, seq);
	assert_string_equal(e->image_type, "pmif.ValueRecord");
	assert_string_equal(e->before, "");
	assert_string_equal(e->after, "");
	assert_null(e->before_image);
	assert_non_null(e->after_image);
	/* stored: the entry packed without its hash, then the hash field */
	e->hash.len = 0;
	len = pmif__audit_entry__get_packed_size(e);
	canon = malloc(len);
	assert_non_null(canon);
	pmif__audit_entry__pack(e, canon);
	e->hash.len = 32;
	rehash(e, h);
	store_key_u64(key, seq);
	assert_int_equal(store_read_begin(f->store, &txn), 0);
	assert_int_equal(mdb_get(txn, f->store->dbi[STORE_AUDIT], &k, &val), 0);
	assert_int_equal(val.mv_size, len + 34);
	assert_memory_equal(val.mv_data, canon, len);
	assert_int_equal(((uint8_t *)val.mv_data)[len], (13 << 3) | 2);
	assert_int_equal(((uint8_t *)val.mv_data)[len + 1], 32);
	assert_memory_equal((uint8_t *)val.mv_data + len + 2, h, 32);
	assert_memory_equal(e->hash.data, h, 32);
	mdb_txn_abort(txn);
	free(canon);
	pmif__audit_entry__free_unpacked(e, NULL);
}

static void test_image_tampered(void **state)
{
	struct fixture *f = *state;
	Pmif__ValueRecord before, after;
	Pmif__AuditEntry *e;
	uint8_t key[8], saved;
	MDB_txn *txn;
	MDB_val k = {8, key}, v;
	uint64_t seq;
	struct audit_report r;
	struct arena a;
	const char *b, *af;

	fill_value(&before, 50, "");
	fill_value(&after, 60, "");
	seq = append_images(f->store, &before.base, &after.base);
	append_images(f->store, &after.base, &before.base);

	/* change a byte of the after image through the record */
	e = load(f->store, seq);
	saved = e->after_image->pb.data[e->after_image->pb.len - 1];
	e->after_image->pb.data[e->after_image->pb.len - 1] ^= 1;
	store_raw(f->store, seq, e);
	r = verify(f->store);
	assert_int_equal(r.first_bad, seq);
	assert_non_null(strstr(r.why, "altered"));
	e->after_image->pb.data[e->after_image->pb.len - 1] = saved;
	store_raw(f->store, seq, e);
	assert_int_equal(verify(f->store).first_bad, 0);

	/* drop the before image: an addition it was not */
	{
		Pmif__AuditEntry copy = *e;
		copy.before_image = NULL;
		store_raw(f->store, seq, &copy);
		assert_int_equal(verify(f->store).first_bad, seq);
	}
	/* name another type */
	{
		Pmif__AuditEntry copy = *e;
		copy.image_type = "pmif.RiskRecord";
		store_raw(f->store, seq, &copy);
		assert_int_equal(verify(f->store).first_bad, seq);
	}
	store_raw(f->store, seq, e);
	assert_int_equal(verify(f->store).first_bad, 0);
	pmif__audit_entry__free_unpacked(e, NULL);

	/* flip a byte of the stored value where it lies, inside the image */
	store_key_u64(key, seq);
	assert_int_equal(mdb_txn_begin(f->store->env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_get(txn, f->store->dbi[STORE_AUDIT], &k, &v), 0);
	{
		uint8_t *copy = malloc(v.mv_size);
		const uint8_t *hit;

		assert_non_null(copy);
		memcpy(copy, v.mv_data, v.mv_size);
		hit = memmem(copy, v.mv_size, "FSM-UPTAKE", 10);
		assert_non_null(hit);
		copy[hit - copy] = 'G';
		v.mv_data = copy;
		assert_int_equal(mdb_put(txn, f->store->dbi[STORE_AUDIT], &k, &v, 0), 0);
		free(copy);
	}
	assert_int_equal(mdb_txn_commit(txn), 0);
	r = verify(f->store);
	assert_int_equal(r.first_bad, seq);

	/* an image that is not a record is shown as a note, not an error */
	e = load(f->store, seq);
	e->after_image->pb.data[0] = 0xff;
	arena_init(&a, 1 << 20);
	assert_int_equal(audit_images_json(&a, e, &b, &af), 0);
	assert_non_null(strstr(af, "cannot be read"));
	arena_release(&a);
	pmif__audit_entry__free_unpacked(e, NULL);
}

static void test_type_not_shown(void **state)
{
	struct fixture *f = *state;
	Pmif__UserRecord u = PMIF__USER_RECORD__INIT;
	Pmif__ValueRecord v;
	Pmif__Period p = PMIF__PERIOD__INIT;
	uint8_t hash[32];
	char hex[65];
	struct arena a;
	const char *b, *af;
	MDB_txn *txn;
	Pmif__AuditEntry e = PMIF__AUDIT_ENTRY__INIT;
	uint64_t seq;

	/* a record with a secret, had a handler audited it by mistake: kept
	 * (the chain holds) but never shown */
	memset(hash, 0x5a, sizeof(hash));
	pmif_hex(hash, sizeof(hash), hex);
	u.name = "olga";
	u.hash.data = hash;
	u.hash.len = sizeof(hash);
	u.salt.data = hash;
	u.salt.len = 16;
	seq = append_images(f->store, NULL, &u.base);
	arena_init(&a, 1 << 20);
	shown(f->store, &a, seq, &b, &af);
	assert_string_equal(b, "");
	assert_null(strstr(af, "5a5a"));
	assert_non_null(strstr(af, "pmif.UserRecord"));
	assert_int_equal(verify(f->store).first_bad, 0);
	arena_release(&a);

	/* images of two types in one entry are refused */
	fill_value(&v, 1, "");
	e.method = "x";
	assert_int_equal(mdb_txn_begin(f->store->env, NULL, 0, &txn), 0);
	assert_int_equal(audit_append_images(f->store, txn, &e, &v.base, &p.base), PMIF_EINVAL);
	mdb_txn_abort(txn);
}

/* Does @p d, or any message it holds, have a field named like a secret? */
static const char *secret_field(const ProtobufCMessageDescriptor *d, int depth)
{
	static const char *const secrets[] = {
	    "hash",   "salt",   "token",  "token_hash", "password",       "password_hash",
	    "secret", "tx_key", "rx_key", "key_hash",   "channel_binding", "rebind_secret"};

	assert_true(depth < 8);
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[i];

		for (size_t s = 0; s < sizeof(secrets) / sizeof(secrets[0]); s++)
			if (strcmp(fd->name, secrets[s]) == 0)
				return fd->name;
		if (fd->type == PROTOBUF_C_TYPE_MESSAGE) {
			const char *hit = secret_field(fd->descriptor, depth + 1);
			if (hit)
				return hit;
		}
	}
	return NULL;
}

static void test_image_types_complete(void **state)
{
	/* The types the handlers put in ctx->audit_before / audit_after (grep
	 * for them in server/rpc_*.c and framework_load.c when adding one). */
	static const ProtobufCMessageDescriptor *const handlers[] = {
	    &pmif__user_info__descriptor,                  /* rpc_users.c */
	    &pmif__value_record__descriptor,               /* rpc_values.c, import */
	    &pmif__commentary_record__descriptor,          /* rpc_entries.c */
	    &pmif__intervention_update_record__descriptor, /* rpc_entries.c */
	    &pmif__case_study_record__descriptor,          /* rpc_entries.c */
	    &pmif__risk_record__descriptor,                /* rpc_entries.c */
	    &pmif__resource_record__descriptor,            /* rpc_entries.c */
	    &pmif__action_record__descriptor,              /* rpc_actions.c */
	    &pmif__period__descriptor,                     /* rpc_periods.c */
	    &pmif__framework_load_reply__descriptor,       /* framework_load.c */
	};
	const ProtobufCMessageDescriptor *const *types;
	size_t n;

	(void)state;
	types = audit_image_types(&n);
	/* every framework kind: rpc_framework.c and fw_audit() write them all */
	for (int i = 0; i < FW_NKINDS; i++) {
		const struct fw_kind *k = fw_kind(fw_order[i]);

		assert_non_null(k);
		if (audit_image_type(k->desc->name) != k->desc)
			fail_msg("framework kind '%s' (%s) is missing from audit.c's image types",
			         k->name, k->desc->name);
	}
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (audit_image_type(handlers[i]->name) != handlers[i])
			fail_msg("%s is missing from audit.c's image types", handlers[i]->name);
	for (size_t i = 0; i < n; i++) {
		const char *hit = secret_field(types[i], 0);

		if (hit)
			fail_msg("%s has a field '%s': the audit trail must not show it",
			         types[i]->name, hit);
		for (size_t j = 0; j < i; j++)
			assert_ptr_not_equal(types[i], types[j]);
	}
	/* not shown: the records with secrets, and garbage names */
	assert_null(audit_image_type("pmif.UserRecord"));
	assert_null(audit_image_type("pmif.SessionRecord"));
	assert_null(audit_image_type(""));
	assert_null(audit_image_type("ValueRecord"));
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
	    cmocka_unit_test_setup_teardown(test_images_shown_as_before, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_big_image, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_mixed_chain, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stored_form, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_image_tampered, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_type_not_shown, setup, teardown),
	    cmocka_unit_test(test_image_types_complete),
	};

	log_set_quiet(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
