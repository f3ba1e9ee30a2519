/*
 * framework_store.c - framework records in LMDB (see framework.h and the
 * key layout in store.h): get, put and delete with the reference index
 * kept in step, listing by reference as a range scan, "does anything
 * still refer to this record?", positions, the framework's own info, and
 * per-record audit entries for bulk changes.
 *
 * Every function works in op->txn and, on failure, sets the status with
 * rpc_fail and returns it.  Records come back unpacked into op->arena.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "error.h"
#include "framework.h"
#include "server.h"
#include "store.pb-c.h"
#include "users_store.h"

/* LMDB's largest key (the default of mdb_env_get_maxkeysize). */
#define KEY_MAX 511

static struct store *st(struct op_ctx *op)
{
	return op->store;
}

static int internal(struct op_ctx *op, const char *what)
{
	return op_fail(op, PMIF__CODE__INTERNAL, "the framework store could not be %s", what);
}

/* ---------------------------------------------------------- records */

int fw_find(struct op_ctx *op, const struct fw_kind *k, const char *id, ProtobufCMessage **out)
{
	size_t len = strlen(id);

	if (len == 0 || len > KEY_MAX)
		return PMIF_ENOTFOUND;
	return store_get_pb(st(op), op->txn, k->db, id, len, k->desc, &op->arena->pb, out);
}

const char *fw_list_hint(struct op_ctx *op, const struct fw_kind *k)
{
	if (op->actor.role != PMIF__ROLE__ADMIN) {
		if (k->kind == FW_MEASURE)
			return ": 'pmif measure list' shows them";
		if (k->kind == FW_OBJECTIVE || k->kind == FW_OUTCOME || k->kind == FW_INTERVENTION)
			return ": 'pmif framework show' shows them";
	}
	/* FrameworkList is open to every role: this command works for all */
	return arena_printf(op->arena, ": 'pmif admin %s list' shows them", k->name);
}

int fw_get(struct op_ctx *op, const struct fw_kind *k, const char *id, ProtobufCMessage **out)
{
	int rc = fw_find(op, k, id, out);

	if (rc == PMIF_ENOTFOUND)
		return op_fail(op, PMIF__CODE__NOT_FOUND, "there is no %s '%s'%s", k->name,
		               fw_quote(op->arena, id), fw_list_hint(op, k));
	if (rc != 0)
		return internal(op, "read");
	return 0;
}

/* "<kind>.<field>" NUL target NUL [id]: the key's length, 0 if too long. */
static size_t ref_key(uint8_t *buf, const struct fw_kind *k, const struct fw_field *f,
                      const char *target, const char *id)
{
	int n = snprintf((char *)buf, KEY_MAX + 1, "%s.%s", k->name, f->name);
	size_t tl = strlen(target), il = id ? strlen(id) : 0;
	size_t len = (size_t)n + 1 + tl + 1 + il;

	if (n < 0 || len > KEY_MAX)
		return 0;
	memcpy(buf + n + 1, target, tl);
	buf[n + 1 + tl] = '\0';
	memcpy(buf + n + 2 + tl, id ? id : "", il);
	return len;
}

/* Add (@p add) or remove every reference @p rec holds. */
static int refs_update(struct op_ctx *op, const struct fw_kind *k, const ProtobufCMessage *rec,
                       bool add)
{
	MDB_dbi dbi = st(op)->dbi[STORE_FRAMEWORK_REFS];
	const char *id = fw_id(rec);
	uint8_t key[KEY_MAX + 1];

	for (const struct fw_field *f = k->fields; f->name; f++) {
		char *const *vals;
		char *one;
		size_t n;

		if (f->type != FT_REF && f->type != FT_REFS)
			continue;
		n = fw_strings(rec, f, &vals, &one);
		for (size_t i = 0; i < n; i++) {
			MDB_val kv = {ref_key(key, k, f, vals[i], id), key}, v = {0, ""};
			int rc;

			if (kv.mv_size == 0)
				return PMIF_ETOOBIG;
			rc = add ? mdb_put(op->txn, dbi, &kv, &v, 0)
			         : mdb_del(op->txn, dbi, &kv, NULL);
			if (rc != 0 && !(rc == MDB_NOTFOUND && !add))
				return store_error(rc);
		}
	}
	return 0;
}

int fw_put(struct op_ctx *op, const struct fw_kind *k, const ProtobufCMessage *old,
           const ProtobufCMessage *rec)
{
	const char *id = fw_id(rec);
	int rc = old ? refs_update(op, k, old, false) : 0;

	if (rc == 0)
		rc = store_put_pb(st(op), op->txn, k->db, id, strlen(id), rec);
	if (rc == 0)
		rc = refs_update(op, k, rec, true);
	return rc ? internal(op, "written") : 0;
}

int fw_delete(struct op_ctx *op, const struct fw_kind *k, const ProtobufCMessage *rec)
{
	const char *id = fw_id(rec);
	int rc = refs_update(op, k, rec, false);

	if (rc == 0)
		rc = store_del(st(op), op->txn, k->db, id, strlen(id));
	return rc ? internal(op, "written") : 0;
}

/* ---------------------------------------------------------- references */

/* Call @p fn for each id under the prefix of (@p k, @p f, @p target) until
 * it returns non-zero (which is returned); 0 when all were seen. */
typedef int (*ref_fn)(struct op_ctx *op, const char *id, void *arg);

static int refs_scan(struct op_ctx *op, const struct fw_kind *k, const struct fw_field *f,
                     const char *target, ref_fn fn, void *arg)
{
	uint8_t prefix[KEY_MAX + 1];
	size_t plen = ref_key(prefix, k, f, target, NULL);
	MDB_cursor *cur;
	MDB_val kv = {plen, prefix}, v;
	int rc = 0, mrc;

	if (plen == 0)
		return 0; /* no such key can exist */
	if (mdb_cursor_open(op->txn, st(op)->dbi[STORE_FRAMEWORK_REFS], &cur) != 0)
		return internal(op, "read");
	for (mrc = mdb_cursor_get(cur, &kv, &v, MDB_SET_RANGE); mrc == 0 && rc == 0;
	     mrc = mdb_cursor_get(cur, &kv, &v, MDB_NEXT)) {
		char *id;

		if (kv.mv_size <= plen || memcmp(kv.mv_data, prefix, plen) != 0)
			break;
		id = arena_alloc(op->arena, kv.mv_size - plen + 1);
		if (id == NULL) {
			rc = op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
			break;
		}
		memcpy(id, (char *)kv.mv_data + plen, kv.mv_size - plen);
		rc = fn(op, id, arg);
	}
	mdb_cursor_close(cur);
	return rc;
}

struct referrer_state {
	const struct fw_kind *k; /* the referring kind */
	bool active_only;
	const char *what;
};

/* 1 (stop) at the first referrer that counts. */
static int referrer_one(struct op_ctx *op, const char *id, void *arg)
{
	struct referrer_state *rs = arg;
	ProtobufCMessage *rec;

	if (rs->active_only) {
		int rc = fw_find(op, rs->k, id, &rec);
		if (rc == PMIF_ENOTFOUND || (rc == 0 && fw_retired(rec)))
			return 0;
		if (rc != 0)
			return internal(op, "read");
	}
	rs->what = arena_printf(op->arena, "%s %s", rs->k->name, id);
	return 1;
}

int fw_referrer(struct op_ctx *op, const struct fw_kind *k, const char *id, bool active_only,
                const char **what)
{
	*what = NULL;
	for (int i = 1; i <= FW_NKINDS; i++) {
		struct referrer_state rs = {.k = fw_kind((fw_kind_id)i),
		                            .active_only = active_only};

		for (const struct fw_field *f = rs.k->fields; f->name; f++) {
			int rc;

			if ((f->type != FT_REF && f->type != FT_REFS) || f->ref != k->kind)
				continue;
			rc = refs_scan(op, rs.k, f, id, referrer_one, &rs);
			if (rc == 1) {
				*what = rs.what;
				return 0;
			}
			if (rc != 0)
				return rc;
		}
	}
	if (!active_only && k->extra_use)
		return k->extra_use(op, k, id, what);
	return 0;
}

/* A directorate users belong to is in use (users.c does not ask whether a
 * directorate exists, so this is the only link). */
struct directorate_use {
	struct arena *a;
	const char *id;
	const char **what;
};

static bool directorate_user(void *arg, const Pmif__UserRecord *u)
{
	struct directorate_use *d = arg;

	for (size_t i = 0; i < u->n_directorates; i++)
		if (strcmp(u->directorates[i], d->id) == 0) {
			*d->what = arena_printf(d->a, "user %s", u->name);
			return false;
		}
	return true;
}

int fw_directorate_users(struct op_ctx *op, const struct fw_kind *k, const char *id,
                         const char **what)
{
	struct directorate_use d = {.a = op->arena, .id = id, .what = what};

	(void)k;
	if (users_each(op, NULL, directorate_user, &d) != 0)
		return internal(op, "read");
	return 0;
}

/* ---------------------------------------------------------- listing */

struct list_state {
	const struct fw_kind *k;
	ProtobufCMessage **recs;
	size_t n, cap;
};

static int list_push(struct op_ctx *op, struct list_state *ls, ProtobufCMessage *rec)
{
	if (ls->n == ls->cap) {
		size_t cap = arena_next_cap(ls->cap, 32);
		ProtobufCMessage **grown =
		    arena_regrow(op->arena, ls->recs, ls->n, cap, sizeof(*grown));

		if (grown == NULL)
			return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
		ls->recs = grown;
		ls->cap = cap;
	}
	ls->recs[ls->n++] = rec;
	return 0;
}

static int list_by_ref(struct op_ctx *op, const char *id, void *arg)
{
	struct list_state *ls = arg;
	ProtobufCMessage *rec;
	int rc = fw_find(op, ls->k, id, &rec);

	if (rc == PMIF_ENOTFOUND)
		return 0; /* an index entry without its record: skip it */
	if (rc != 0)
		return internal(op, "read");
	return list_push(op, ls, rec);
}

static int list_all(struct op_ctx *op, struct list_state *ls)
{
	MDB_cursor *cur;
	MDB_val kv, v;
	int mrc, rc = 0;

	if (mdb_cursor_open(op->txn, st(op)->dbi[ls->k->db], &cur) != 0)
		return internal(op, "read");
	for (mrc = mdb_cursor_get(cur, &kv, &v, MDB_FIRST); mrc == 0 && rc == 0;
	     mrc = mdb_cursor_get(cur, &kv, &v, MDB_NEXT)) {
		ProtobufCMessage *rec =
		    protobuf_c_message_unpack(ls->k->desc, &op->arena->pb, v.mv_size, v.mv_data);
		if (rec == NULL)
			rc = internal(op, "read");
		else
			rc = list_push(op, ls, rec);
	}
	mdb_cursor_close(cur);
	return rc;
}

/* A record with its sort key read once: fw_position() and fw_id() find
 * their field by name, too slow to call in every comparison of 10,000. */
struct positioned {
	uint32_t position;
	const char *id;
	ProtobufCMessage *rec;
};

static int by_position(const void *x, const void *y)
{
	const struct positioned *a = x, *b = y;

	if (a->position != b->position)
		return a->position < b->position ? -1 : 1;
	return strcmp(a->id, b->id);
}

/* Sort @p recs by position, then id. */
static int sort_by_position(struct op_ctx *op, ProtobufCMessage **recs, size_t n)
{
	struct positioned *tmp = ARENA_ARRAY(op->arena, struct positioned, n);

	if (tmp == NULL)
		return PMIF_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		tmp[i].position = fw_position(recs[i]);
		tmp[i].id = fw_id(recs[i]);
		tmp[i].rec = recs[i];
	}
	qsort(tmp, n, sizeof(*tmp), by_position);
	for (size_t i = 0; i < n; i++)
		recs[i] = tmp[i].rec;
	return 0;
}

static bool holds(const ProtobufCMessage *rec, const struct fw_field *f, const char *id)
{
	char *const *vals;
	char *one;
	size_t n = fw_strings(rec, f, &vals, &one);

	for (size_t i = 0; i < n; i++)
		if (strcmp(vals[i], id) == 0)
			return true;
	return false;
}

/* The field of @p k that refers to kind @p to, or NULL. */
static const struct fw_field *ref_field(const struct fw_kind *k, fw_kind_id to)
{
	for (const struct fw_field *f = k->fields; f->name; f++)
		if ((f->type == FT_REF || f->type == FT_REFS) && f->ref == to)
			return f;
	return NULL;
}

int fw_list(struct op_ctx *op, const struct fw_kind *k, const struct fw_filter *filters,
            size_t n_filters, bool include_retired, ProtobufCMessage ***out, size_t *n)
{
	struct list_state ls = {.k = k};
	const struct fw_field *fields[8];
	size_t first = n_filters, kept = 0;
	int rc;

	if (n_filters > 8)
		return op_fail(op, PMIF__CODE__INVALID_ARGUMENT, "too many filters");
	for (size_t i = 0; i < n_filters; i++) {
		const struct fw_kind *fk = fw_kind(filters[i].kind);
		ProtobufCMessage *rec;

		fields[i] = NULL;
		if (filters[i].id == NULL || filters[i].id[0] == '\0')
			continue;
		fields[i] = ref_field(k, filters[i].kind);
		if (fk == NULL || fields[i] == NULL)
			return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
			               "%s cannot be filtered by %s: leave --%s out", k->plural,
			               fk ? fk->name : "that", fk ? fk->name : "it");
		if (fw_get(op, fk, filters[i].id, &rec) != 0)
			return op->code;
		if (first == n_filters)
			first = i;
	}
	rc = first < n_filters
	         ? refs_scan(op, k, fields[first], filters[first].id, list_by_ref, &ls)
	         : list_all(op, &ls);
	if (rc != 0)
		return op->code != PMIF__CODE__OK ? (int)op->code : internal(op, "read");
	for (size_t i = 0; i < ls.n; i++) {
		bool keep = include_retired || !fw_retired(ls.recs[i]);

		for (size_t j = 0; keep && j < n_filters; j++)
			if (fields[j] && j != first && !holds(ls.recs[i], fields[j], filters[j].id))
				keep = false;
		if (keep)
			ls.recs[kept++] = ls.recs[i];
	}
	if (kept > 1 && sort_by_position(op, ls.recs, kept) != 0)
		return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	*out = ls.recs;
	*n = kept;
	return 0;
}

int fw_next_position(struct op_ctx *op, const struct fw_kind *k, uint32_t *out)
{
	struct list_state ls = {.k = k};
	uint32_t max = 0;

	if (list_all(op, &ls) != 0)
		return op->code;
	for (size_t i = 0; i < ls.n; i++)
		if (fw_position(ls.recs[i]) > max)
			max = fw_position(ls.recs[i]);
	*out = max + 1;
	return 0;
}

/* ---------------------------------------------------------- info, audit */

#define INFO_KEY "framework"

int fw_info_get(struct op_ctx *op, Pmif__FrameworkInfo **out)
{
	int rc = store_get_pb(st(op), op->txn, STORE_META, INFO_KEY, strlen(INFO_KEY),
	                      &pmif__framework_info__descriptor, &op->arena->pb,
	                      (ProtobufCMessage **)out);

	if (rc == PMIF_ENOTFOUND) {
		*out = ARENA_NEW(op->arena, Pmif__FrameworkInfo);
		if (*out == NULL)
			return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
		pmif__framework_info__init(*out);
		return 0;
	}
	return rc ? internal(op, "read") : 0;
}

int fw_info_put(struct op_ctx *op, const Pmif__FrameworkInfo *info)
{
	if (store_put_pb(st(op), op->txn, STORE_META, INFO_KEY, strlen(INFO_KEY), &info->base))
		return internal(op, "written");
	return 0;
}

int fw_audit(struct op_ctx *op, const struct fw_kind *k, const char *id,
             const ProtobufCMessage *before, const ProtobufCMessage *after)
{
	Pmif__AuditEntry e = PMIF__AUDIT_ENTRY__INIT;
	struct timespec ts;
	int rc;

	clock_gettime(CLOCK_REALTIME, &ts);
	e.time_unix_us = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	e.user = (char *)(op->actor.name ? op->actor.name : "");
	e.role = op->actor.role;
	e.method = (char *)(op->method ? op->method : "init");
	e.key = arena_printf(op->arena, "%s/%s", k->name, id);
	e.request_id = op->request_id;
	e.code = PMIF__CODE__OK;
	e.detail = "";
	/* packed images: JSON is rendered when the trail is read (audit.h) */
	rc = e.key ? audit_append_images(st(op), op->txn, &e, before, after) : PMIF_ENOMEM;
	return rc ? internal(op, "audited") : 0;
}
