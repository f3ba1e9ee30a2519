/*
 * values_store.c - data entry records in LMDB (see values.h, store.h).
 */
#include <string.h>

#include <lmdb.h>

#include "error.h"
#include "framework.h"
#include "server.h"
#include "store.h"
#include "values.h"

size_t values_key(uint8_t buf[VALUES_KEY_MAX], const char *a, const char *b,
                  const struct pmif_period *p)
{
	size_t la = strlen(a), lb = b ? strlen(b) : 0, n = 0;
	uint32_t k;

	if (la + 1 + (b ? lb + 1 : 0) + 4 > VALUES_KEY_MAX)
		return 0;
	memcpy(buf, a, la + 1);
	n = la + 1;
	if (b) {
		memcpy(buf + n, b, lb + 1);
		n += lb + 1;
	}
	if (p) {
		k = pmif_period_key(p);
		buf[n++] = (uint8_t)(k >> 24);
		buf[n++] = (uint8_t)(k >> 16);
		buf[n++] = (uint8_t)(k >> 8);
		buf[n++] = (uint8_t)k;
	}
	return n;
}

static uint32_t key_period(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int find(struct op_ctx *op, enum store_db db, const ProtobufCMessageDescriptor *d,
                const char *a, const char *b, const struct pmif_period *p, ProtobufCMessage **out)
{
	uint8_t key[VALUES_KEY_MAX];
	size_t n = values_key(key, a, b, p);

	if (n == 0)
		return PMIF_ENOTFOUND;
	return store_get_pb(op->store, op->txn, db, key, n, d, &op->arena->pb, out);
}

int values_find(struct op_ctx *op, const char *measure, const char *locality,
                const struct pmif_period *p, Pmif__ValueRecord **out)
{
	return find(op, STORE_VALUES, &pmif__value_record__descriptor, measure, locality, p,
	            (ProtobufCMessage **)out);
}

int values_put(struct op_ctx *op, const Pmif__ValueRecord *v)
{
	struct pmif_period p;

	if (pmif_period_parse(v->period, &p, NULL, 0) != 0)
		return op_fail(op, PMIF__CODE__INTERNAL,
		               "a value with a bad period reached the store");
	return values_put_at(op, v, &p, NULL);
}

int values_bulk_begin(struct op_ctx *op, struct values_bulk *b)
{
	MDB_dbi *dbi = op->store->dbi;
	int rc = mdb_cursor_open(op->txn, dbi[STORE_VALUES], &b->values);

	if (rc != 0)
		return store_error(rc);
	rc = mdb_cursor_open(op->txn, dbi[STORE_VALUE_HISTORY], &b->history);
	if (rc != 0) {
		mdb_cursor_close(b->values);
		return store_error(rc);
	}
	return 0;
}

void values_bulk_end(struct values_bulk *b)
{
	mdb_cursor_close(b->history);
	mdb_cursor_close(b->values);
}

/* Put @p k -> @p d in @p dbi, or with @p cur as the last key if it sorts
 * after every key there: LMDB then fills pages instead of splitting them
 * in half, and a cursor still at the end skips the search from the root.
 * Otherwise (MDB_KEYEXIST) as usual. */
static int put(MDB_txn *txn, MDB_dbi dbi, MDB_cursor *cur, MDB_val *k, MDB_val *d)
{
	int rc;

	if (cur == NULL)
		return mdb_put(txn, dbi, k, d, 0);
	rc = mdb_cursor_put(cur, k, d, MDB_APPEND);
	return rc == MDB_KEYEXIST ? mdb_cursor_put(cur, k, d, 0) : rc;
}

int values_put_at(struct op_ctx *op, const Pmif__ValueRecord *v, const struct pmif_period *p,
                  struct values_bulk *bulk)
{
	MDB_dbi *dbi = op->store->dbi;
	uint8_t key[VALUES_KEY_MAX + 4], small[512], *buf = small;
	MDB_val k, d;
	size_t n, len;
	int rc;

	n = values_key(key, v->measure, v->locality, p);
	if (n == 0)
		return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
		               "the measure or locality id is too long");
	/* pack once for both the current value and its revision */
	len = protobuf_c_message_get_packed_size(&v->base);
	if (len > sizeof(small) && (buf = arena_alloc(op->arena, len)) == NULL)
		return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	protobuf_c_message_pack(&v->base, buf);
	k = (MDB_val){n, key};
	d = (MDB_val){len, buf};
	rc = put(op->txn, dbi[STORE_VALUES], bulk ? bulk->values : NULL, &k, &d);
	if (rc == 0) {
		key[n] = (uint8_t)(v->revision >> 24);
		key[n + 1] = (uint8_t)(v->revision >> 16);
		key[n + 2] = (uint8_t)(v->revision >> 8);
		key[n + 3] = (uint8_t)v->revision;
		k = (MDB_val){n + 4, key};
		d = (MDB_val){len, buf};
		rc = put(op->txn, dbi[STORE_VALUE_HISTORY], bulk ? bulk->history : NULL, &k, &d);
	}
	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the value could not be saved (%s)",
		               pmif_strerror(store_error(rc)));
	return 0;
}

/* Collect the records of @p db under @p prefix whose key suffix passes
 * @p keep (may be NULL), unpacked into an arena array. */
static int scan(struct op_ctx *op, enum store_db db, const ProtobufCMessageDescriptor *desc,
                const uint8_t *prefix, size_t plen,
                int (*keep)(const uint8_t *rest, size_t len, const void *arg), const void *arg,
                ProtobufCMessage ***out, size_t *n)
{
	MDB_cursor *cur;
	MDB_val k = {plen, (void *)prefix}, v;
	ProtobufCMessage **arr = NULL;
	size_t cap = 0, count = 0;
	int rc = mdb_cursor_open(op->txn, op->store->dbi[db], &cur);

	if (rc != 0)
		return store_error(rc);
	for (rc = mdb_cursor_get(cur, &k, &v, plen ? MDB_SET_RANGE : MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		ProtobufCMessage *m;

		if (plen && (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0))
			break;
		if (keep && !keep((const uint8_t *)k.mv_data + plen, k.mv_size - plen, arg))
			continue;
		m = protobuf_c_message_unpack(desc, &op->arena->pb, v.mv_size, v.mv_data);
		if (m == NULL)
			continue; /* 'pmifd check' reports unreadable records */
		if (count == cap) {
			ProtobufCMessage **grown;
			cap = arena_next_cap(cap, 32);
			grown = arena_regrow(op->arena, arr, count, cap, sizeof(*grown));
			if (grown == NULL) {
				mdb_cursor_close(cur);
				return PMIF_ENOMEM;
			}
			arr = grown;
		}
		arr[count++] = m;
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_error(rc);
	*out = arr;
	*n = count;
	return 0;
}

int values_scan(struct op_ctx *op, enum store_db db, const ProtobufCMessageDescriptor *desc,
                const void *prefix, size_t prefix_len, ProtobufCMessage ***out, size_t *n)
{
	return scan(op, db, desc, prefix, prefix_len, NULL, NULL, out, n);
}

struct series_filter {
	enum pmif_period_kind kind;
	uint32_t last; /* 0: no limit */
};

static int keep_series(const uint8_t *rest, size_t len, const void *arg)
{
	const struct series_filter *f = arg;
	struct pmif_period p;
	uint32_t key;

	if (len != 4)
		return 0;
	key = key_period(rest);
	if (pmif_period_from_key(key, &p) != 0 || p.kind != f->kind)
		return 0;
	return f->last == 0 || key <= f->last;
}

/* ---- series as numbers -------------------------------------------------
 *
 * A series read for a report or a check needs a handful of numbers per
 * value, not the whole record: protobuf-c's unpack allocates and copies
 * every string of it (measure, period, locality, note, who, when) and cost
 * ~3,000 instructions a record, most of a scorecard's time.  protobuf-c
 * has no partial decode, so this walks the record's wire format for the
 * numeric fields of ValueRecord (proto/values.proto) and skips the rest;
 * test_values_decode checks it against protobuf-c on every kind of record.
 * The whole record stays reachable through the point's raw bytes.
 */

/* A varint at *p (advanced past it); -1 if it runs past @p end or is over
 * 10 bytes. */
static inline int read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out)
{
	uint64_t v = 0;

	if (*p < end && **p < 0x80) { /* tags and short lengths: one byte */
		*out = *(*p)++;
		return 0;
	}
	for (int shift = 0; shift < 70 && *p < end; shift += 7) {
		uint8_t b = *(*p)++;
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*out = v;
			return 0;
		}
	}
	return -1;
}

static inline double read_double(const uint8_t *p)
{
	uint64_t bits = 0;
	double d;

	for (int i = 7; i >= 0; i--)
		bits = bits << 8 | p[i]; /* little-endian on the wire */
	memcpy(&d, &bits, sizeof(d));
	return d;
}

int values_decode_numbers(const void *buf, size_t len, struct value_point *out)
{
	const uint8_t *p = buf, *end = p + len;

	memset(out, 0, sizeof(*out));
	while (p < end) {
		uint64_t tag, v;
		unsigned field, wire;

		if (read_varint(&p, end, &tag) != 0)
			return PMIF_ESTORE;
		field = (unsigned)(tag >> 3);
		wire = (unsigned)(tag & 7);
		if (field == 0)
			return PMIF_ESTORE;
		/* a field of ours in the wrong wire type is not a ValueRecord */
		if (((field == 5 || field == 9 || field == 14) && wire != 0) ||
		    ((field == 4 || field == 6 || field == 7) && wire != 1))
			return PMIF_ESTORE;
		switch (wire) {
		case 0: /* varint */
			if (read_varint(&p, end, &v) != 0)
				return PMIF_ESTORE;
			if (field == 5)
				out->has_fraction = v != 0;
			else if (field == 9)
				out->status = (int)(int32_t)v;
			else if (field == 14)
				out->revision = (uint32_t)v;
			break;
		case 1: /* 64-bit */
			if (end - p < 8)
				return PMIF_ESTORE;
			if (field == 4)
				out->value = read_double(p);
			else if (field == 6)
				out->numerator = read_double(p);
			else if (field == 7)
				out->denominator = read_double(p);
			p += 8;
			break;
		case 2: /* length-delimited: strings here, skipped */
			if (read_varint(&p, end, &v) != 0 || v > (uint64_t)(end - p))
				return PMIF_ESTORE;
			p += v;
			break;
		case 5: /* 32-bit */
			if (end - p < 4)
				return PMIF_ESTORE;
			p += 4;
			break;
		default: return PMIF_ESTORE; /* groups and reserved types: not ours */
		}
	}
	out->raw = buf;
	out->raw_len = len;
	return 0;
}

int values_series_points(struct op_ctx *op, const char *measure, const char *locality,
                         enum pmif_period_kind kind, const struct pmif_period *last,
                         struct arena *a, struct value_point **out, size_t *n)
{
	uint8_t prefix[VALUES_KEY_MAX];
	size_t plen = values_key(prefix, measure, locality, NULL), count = 0, cap = 0;
	struct series_filter f = {.kind = kind, .last = last ? pmif_period_key(last) : 0};
	struct value_point *pts = NULL;
	MDB_cursor *cur;
	MDB_val k = {plen, prefix}, v;
	int rc, fail = 0;

	*out = NULL;
	*n = 0;
	if (plen == 0)
		return 0;
	rc = mdb_cursor_open(op->txn, op->store->dbi[STORE_VALUES], &cur);
	if (rc != 0)
		return store_error(rc);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const uint8_t *rest = (const uint8_t *)k.mv_data + plen;
		struct value_point pt;

		if (k.mv_size < plen || memcmp(k.mv_data, prefix, plen) != 0)
			break;
		if (!keep_series(rest, k.mv_size - plen, &f))
			continue;
		if (values_decode_numbers(v.mv_data, v.mv_size, &pt) != 0)
			continue; /* as a record protobuf-c cannot read: 'pmifd check' names it */
		pt.key = key_period(rest);
		if (count == cap) {
			struct value_point *grown;
			cap = arena_next_cap(cap, 16);
			grown = arena_regrow(a, pts, count, cap, sizeof(*grown));
			if (grown == NULL) {
				fail = PMIF_ENOMEM;
				break;
			}
			pts = grown;
		}
		pts[count++] = pt;
	}
	mdb_cursor_close(cur);
	if (fail)
		return fail;
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_error(rc);
	*out = pts;
	*n = count;
	return 0;
}

int values_point_record(struct op_ctx *op, const struct value_point *pt, Pmif__ValueRecord **out)
{
	*out = pmif__value_record__unpack(&op->arena->pb, pt->raw_len, pt->raw);
	return *out ? 0 : PMIF_ESTORE;
}

int values_series_numbers(struct op_ctx *op, const char *measure, const char *locality,
                          enum pmif_period_kind kind, struct arena *a, uint32_t **keys,
                          double **vals, size_t *n)
{
	struct value_point *pts;
	uint32_t *ks = NULL;
	double *vs = NULL;
	size_t count;
	int rc = values_series_points(op, measure, locality, kind, NULL, a, &pts, &count);

	if (rc != 0)
		return rc;
	if (count) {
		ks = ARENA_ARRAY(a, uint32_t, count);
		vs = ARENA_ARRAY(a, double, count);
		if (ks == NULL || vs == NULL)
			return PMIF_ENOMEM;
	}
	for (size_t i = 0; i < count; i++) {
		ks[i] = pts[i].key;
		vs[i] = pts[i].value;
	}
	*keys = ks;
	*vals = vs;
	*n = count;
	return 0;
}

int values_history(struct op_ctx *op, const char *measure, const char *locality,
                   const struct pmif_period *p, Pmif__ValueRecord ***out, size_t *n)
{
	uint8_t prefix[VALUES_KEY_MAX];
	size_t plen = values_key(prefix, measure, locality, p);

	if (plen == 0) {
		*out = NULL;
		*n = 0;
		return 0;
	}
	return scan(op, STORE_VALUE_HISTORY, &pmif__value_record__descriptor, prefix, plen, NULL,
	            NULL, (ProtobufCMessage ***)out, n);
}

int values_exist(struct op_ctx *op, const char *measure)
{
	uint8_t prefix[VALUES_KEY_MAX];
	size_t plen = strlen(measure) + 1;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc, found;

	if (plen > VALUES_KEY_MAX)
		return 0;
	memcpy(prefix, measure, plen);
	k.mv_size = plen;
	k.mv_data = prefix;
	rc = mdb_cursor_open(op->txn, op->store->dbi[STORE_VALUES], &cur);
	if (rc != 0)
		return store_error(rc);
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	found = rc == 0 && k.mv_size >= plen && memcmp(k.mv_data, prefix, plen) == 0;
	mdb_cursor_close(cur);
	return rc == 0 || rc == MDB_NOTFOUND ? found : store_error(rc);
}

int fw_measure_values(struct op_ctx *op, const struct fw_kind *k, const char *id, const char **what)
{
	int rc = values_exist(op, id);

	(void)k;
	if (rc < 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the values could not be read");
	if (rc > 0)
		*what = "its values";
	return 0;
}
