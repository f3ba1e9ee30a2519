/*
 * audit.c - append and verify the hash-chained audit trail, and show the
 * record images its entries hold (see audit.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "audit.h"
#include "error.h"
#include "noise.h"
#include "pbjson.h"
#include "pmif.pb-c.h"
#include "store.h"
#include "values.pb-c.h"

#define HEAD_KEY "audit_head"
/* The hash field as the writer appends it: tag of field 13, length-delimited
 * (13 << 3 | 2), its length, the 32 bytes. */
#define HASH_TAG       ((13 << 3) | 2)
#define HASH_FIELD_LEN 34
/* Images up to this size (both together) are packed on the writer's stack. */
#define IMAGE_STACK 4096

/*
 * The message types whose images the trail shows: every type a handler
 * sets as ctx->audit_before / audit_after (rpc_users: UserInfo, never the
 * UserRecord with its password hash; rpc_values: ValueRecord; rpc_entries;
 * rpc_periods; rpc_actions: ActionRecord; framework load: its reply) and every framework kind, which
 * rpc_framework and fw_audit() write.  test_audit fails when a framework
 * kind or a handler's type is missing, or a type here has a secret field.
 */
static const ProtobufCMessageDescriptor *const image_types[] = {
    &pmif__user_info__descriptor,
    &pmif__value_record__descriptor,
    &pmif__commentary_record__descriptor,
    &pmif__intervention_update_record__descriptor,
    &pmif__case_study_record__descriptor,
    &pmif__risk_record__descriptor,
    &pmif__resource_record__descriptor,
    &pmif__action_record__descriptor,
    &pmif__period__descriptor,
    &pmif__framework_load_reply__descriptor,
    &pmif__directorate__descriptor,
    &pmif__committee__descriptor,
    &pmif__locality__descriptor,
    &pmif__objective__descriptor,
    &pmif__outcome__descriptor,
    &pmif__intervention__descriptor,
    &pmif__measure__descriptor,
};

#define N_IMAGE_TYPES (sizeof(image_types) / sizeof(image_types[0]))

const ProtobufCMessageDescriptor *const *audit_image_types(size_t *n)
{
	*n = N_IMAGE_TYPES;
	return image_types;
}

const ProtobufCMessageDescriptor *audit_image_type(const char *name)
{
	for (size_t i = 0; i < N_IMAGE_TYPES; i++)
		if (strcmp(image_types[i]->name, name) == 0)
			return image_types[i];
	return NULL;
}

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

/* SHA-256 of @p e packed with its hash field empty (how audit_verify()
 * checks an entry, whatever order its fields were stored in). */
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
	uint8_t key[8], hash[32], *p;
	MDB_val k = {sizeof(key), key}, v;
	size_t len;
	int rc = head_get(s, txn, &h);

	if (rc != 0)
		return rc;
	e->seq = h.seq + 1;
	e->prev_hash.data = h.hash;
	e->prev_hash.len = 32;
	e->hash.data = NULL;
	e->hash.len = 0;
	/* Pack once, straight into the page: the entry without its hash, hashed
	 * where it lies, then the hash field after it (see audit.h). */
	len = pmif__audit_entry__get_packed_size(e);
	store_key_u64(key, e->seq);
	v.mv_size = len + HASH_FIELD_LEN;
	rc = store_error(mdb_put(txn, s->dbi[STORE_AUDIT], &k, &v, MDB_RESERVE));
	if (rc == 0) {
		p = v.mv_data;
		pmif__audit_entry__pack(e, p);
		rc = pmif_sha256(p, len, hash);
		p[len] = HASH_TAG;
		p[len + 1] = 32;
		memcpy(p + len + 2, hash, 32);
	}
	e->prev_hash.data = NULL;
	e->prev_hash.len = 0;
	if (rc != 0)
		return rc;
	h.seq++;
	memcpy(h.hash, hash, 32);
	return head_put(s, txn, &h);
}

int audit_append_images(struct store *s, MDB_txn *txn, Pmif__AuditEntry *e,
                        const ProtobufCMessage *before, const ProtobufCMessage *after)
{
	Pmif__AuditImage bi = PMIF__AUDIT_IMAGE__INIT, ai = PMIF__AUDIT_IMAGE__INIT;
	const ProtobufCMessage *any = before ? before : after;
	uint8_t stack[IMAGE_STACK], *buf = stack, *heap = NULL;
	size_t blen, alen;
	int rc;

	if (before && after && before->descriptor != after->descriptor)
		return PMIF_EINVAL;
	blen = before ? protobuf_c_message_get_packed_size(before) : 0;
	alen = after ? protobuf_c_message_get_packed_size(after) : 0;
	if (blen + alen > sizeof(stack)) {
		heap = malloc(blen + alen);
		if (heap == NULL)
			return PMIF_ENOMEM;
		buf = heap;
	}
	if (before) {
		bi.pb.data = buf;
		bi.pb.len = protobuf_c_message_pack(before, buf);
		e->before_image = &bi;
	}
	if (after) {
		ai.pb.data = buf + blen;
		ai.pb.len = protobuf_c_message_pack(after, buf + blen);
		e->after_image = &ai;
	}
	e->image_type = (char *)(any ? any->descriptor->name : "");
	e->before = (char *)"";
	e->after = (char *)"";
	rc = audit_append(s, txn, e);
	e->image_type = (char *)"";
	e->before_image = NULL;
	e->after_image = NULL;
	free(heap);
	return rc;
}

/* One image of an entry of type @p type as JSON text in @p a ("" for
 * none); NULL only when out of memory. */
static const char *image_json(struct arena *a, const char *type, const Pmif__AuditImage *img)
{
	const ProtobufCMessageDescriptor *d;
	ProtobufCMessage *m;
	char *text;
	const char *out;

	if (img == NULL)
		return "";
	d = audit_image_type(type);
	if (d == NULL)
		return arena_printf(a, "(a %.64s record: not shown)", type);
	m = protobuf_c_message_unpack(d, &a->pb, img->pb.len, img->pb.data);
	if (m == NULL)
		return arena_printf(a,
		                    "(a %.64s record that cannot be read: 'pmif admin audit "
		                    "verify' checks the trail)",
		                    type);
	text = pmif_pb_to_json_text(m);
	out = text ? arena_strdup(a, text) : NULL;
	free(text);
	return out;
}

int audit_images_json(struct arena *a, const Pmif__AuditEntry *e, const char **before,
                      const char **after)
{
	const char *b, *f;

	if (e->image_type == NULL || e->image_type[0] == '\0') {
		*before = e->before ? e->before : "";
		*after = e->after ? e->after : "";
		return 0;
	}
	b = image_json(a, e->image_type, e->before_image);
	f = image_json(a, e->image_type, e->after_image);
	if (b == NULL || f == NULL)
		return PMIF_ENOMEM;
	*before = b;
	*after = f;
	return 0;
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
