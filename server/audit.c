/*
 * audit.c - append and verify the hash-chained audit trail (see audit.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "audit.h"
#include "error.h"
#include "noise.h"
#include "store.h"

#define HEAD_KEY "audit_head"

struct head {
	uint64_t seq;
	uint8_t hash[32];
};

static int head_get(struct store *s, MDB_txn *txn, struct head *h)
{
	MDB_val k = {sizeof(HEAD_KEY) - 1, HEAD_KEY}, v;
	int rc = mdb_get(txn, s->dbi[STORE_META], &k, &v);

	if (rc == MDB_NOTFOUND) {
		memset(h, 0, sizeof(*h));
		return 0;
	}
	if (rc != 0)
		return store_error(rc);
	if (v.mv_size != 40)
		return PMIF_ESTORE;
	h->seq = store_key_get_u64(v.mv_data);
	memcpy(h->hash, (uint8_t *)v.mv_data + 8, 32);
	return 0;
}

static int head_put(struct store *s, MDB_txn *txn, const struct head *h)
{
	uint8_t buf[40];
	MDB_val k = {sizeof(HEAD_KEY) - 1, HEAD_KEY}, v = {sizeof(buf), buf};

	store_key_u64(buf, h->seq);
	memcpy(buf + 8, h->hash, 32);
	return store_error(mdb_put(txn, s->dbi[STORE_META], &k, &v, 0));
}

/* SHA-256 of @p e packed with its hash field empty. */
static int entry_hash(const Pmif__AuditEntry *e, uint8_t out[32])
{
	Pmif__AuditEntry copy = *e;
	size_t len;
	uint8_t *buf;
	int ok;

	copy.hash.len = 0;
	copy.hash.data = NULL;
	len = pmif__audit_entry__get_packed_size(&copy);
	buf = malloc(len ? len : 1);
	if (buf == NULL)
		return PMIF_ENOMEM;
	pmif__audit_entry__pack(&copy, buf);
	ok = pmif_sha256(buf, len, out);
	free(buf);
	return ok;
}

int audit_append(struct store *s, MDB_txn *txn, Pmif__AuditEntry *e)
{
	struct head h;
	uint8_t key[8], hash[32];
	int rc = head_get(s, txn, &h);

	if (rc != 0)
		return rc;
	e->seq = h.seq + 1;
	e->prev_hash.data = h.hash;
	e->prev_hash.len = 32;
	e->hash.data = NULL;
	e->hash.len = 0;
	rc = entry_hash(e, hash);
	if (rc != 0)
		return rc;
	e->hash.data = hash;
	e->hash.len = 32;
	store_key_u64(key, e->seq);
	rc = store_put_pb(s, txn, STORE_AUDIT, key, 8, &e->base);
	e->prev_hash.data = NULL;
	e->prev_hash.len = 0;
	e->hash.data = NULL;
	e->hash.len = 0;
	if (rc != 0)
		return rc;
	h.seq++;
	memcpy(h.hash, hash, 32);
	return head_put(s, txn, &h);
}

int audit_verify(struct store *s, MDB_txn *txn, struct audit_report *out)
{
	struct head head;
	MDB_cursor *cur;
	MDB_val k, v;
	uint8_t prev[32] = {0};
	uint64_t expect = 1;
	int rc = head_get(s, txn, &head), mrc;

	memset(out, 0, sizeof(*out));
	if (rc != 0)
		return rc;
	rc = store_error(mdb_cursor_open(txn, s->dbi[STORE_AUDIT], &cur));
	if (rc != 0)
		return rc;
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0 && !out->first_bad;
	     mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT), expect++) {
		Pmif__AuditEntry *e;
		uint8_t hash[32];
		uint64_t seq = k.mv_size == 8 ? store_key_get_u64(k.mv_data) : 0;

		out->entries++;
		if (seq != expect) {
			out->first_bad = expect;
			snprintf(out->why, sizeof(out->why), "entry %llu is missing",
			         (unsigned long long)expect);
			break;
		}
		e = pmif__audit_entry__unpack(NULL, v.mv_size, v.mv_data);
		if (e == NULL) {
			out->first_bad = seq;
			snprintf(out->why, sizeof(out->why), "entry %llu is not a readable record",
			         (unsigned long long)seq);
			break;
		}
		if (e->seq != seq) {
			out->first_bad = seq;
			snprintf(out->why, sizeof(out->why), "entry %llu says it is entry %llu",
			         (unsigned long long)seq, (unsigned long long)e->seq);
		} else if (e->prev_hash.len != 32 || memcmp(e->prev_hash.data, prev, 32) != 0) {
			out->first_bad = seq;
			snprintf(out->why, sizeof(out->why),
			         "entry %llu does not follow from the entry before it",
			         (unsigned long long)seq);
		} else if (entry_hash(e, hash) != 0 || e->hash.len != 32 ||
		           memcmp(e->hash.data, hash, 32) != 0) {
			out->first_bad = seq;
			snprintf(
			    out->why, sizeof(out->why),
			    "entry %llu was altered after it was written (its hash does not match)",
			    (unsigned long long)seq);
		} else {
			memcpy(prev, e->hash.data, 32);
		}
		pmif__audit_entry__free_unpacked(e, NULL);
	}
	mdb_cursor_close(cur);
	if (mrc != 0 && mrc != MDB_NOTFOUND)
		return store_error(mrc);
	if (!out->first_bad && out->entries != head.seq) {
		out->first_bad = out->entries < head.seq ? out->entries + 1 : head.seq + 1;
		snprintf(
		    out->why, sizeof(out->why),
		    "the trail ends at entry %llu but the store recorded %llu entries: entries "
		    "were %s",
		    (unsigned long long)out->entries, (unsigned long long)head.seq,
		    out->entries < head.seq ? "removed" : "added outside pmifd");
	} else if (!out->first_bad && memcmp(prev, head.hash, 32) != 0) {
		/* every link holds, but the last entry is not the one written */
		out->first_bad = out->entries ? out->entries : 1;
		snprintf(out->why, sizeof(out->why),
		         "entry %llu was altered after it was written (it no longer matches the "
		         "hash the store recorded for the last entry)",
		         (unsigned long long)out->first_bad);
	}
	return 0;
}
