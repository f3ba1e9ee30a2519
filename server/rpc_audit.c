/*
 * rpc_audit.c - the audit trail for administrators: list entries (by time
 * and user, paged) and verify the hash chain.  The before and after records
 * are shown as JSON text, rendered here from the packed images newer
 * entries keep (audit_images_json).
 */
#include <string.h>

#include <lmdb.h>

#include "audit.h"
#include "error.h"
#include "pbjson.h"
#include "rpc.h"
#include "server.h"
#include "store.h"
#include "values.pb-c.h"
#include "words.h"

#define AUDIT_PAGE_DEFAULT 1000
#define AUDIT_PAGE_MAX     5000

static Pmif__AuditView *view_of(struct arena *a, const Pmif__AuditEntry *e)
{
	Pmif__AuditView *v = ARENA_NEW(a, Pmif__AuditView);
	const char *code = pmif_pb_enum_name(&pmif__code__descriptor, (int)e->code);
	const char *before, *after;
	char *hex;

	if (v == NULL)
		return NULL;
	pmif__audit_view__init(v);
	v->seq = e->seq;
	v->time_unix_us = e->time_unix_us;
	v->user = e->user;
	v->role = (char *)pmif_role_word(e->role, "");
	v->method = e->method;
	v->key = e->key;
	if (audit_images_json(a, e, &before, &after) != 0)
		return NULL;
	v->before = (char *)before;
	v->after = (char *)after;
	hex = arena_alloc(a, 2 * e->request_id.len + 1);
	if (hex)
		pmif_hex(e->request_id.data, e->request_id.len, hex);
	v->request_id = hex ? hex : "";
	v->code = (char *)(code ? code : "UNKNOWN");
	v->detail = e->detail;
	return v;
}

/* The first entry to list: after after_seq, or (newest first) the newest
 * before before_seq; @p k holds the start key. */
static int first_entry(MDB_cursor *cur, MDB_val *k, MDB_val *v, const Pmif__AuditListRequest *in)
{
	int mrc;

	if (!in->newest_first)
		return mdb_cursor_get(cur, k, v, MDB_SET_RANGE);
	if (in->before_seq == 0)
		return mdb_cursor_get(cur, k, v, MDB_LAST);
	mrc = mdb_cursor_get(cur, k, v, MDB_SET_RANGE);
	if (mrc == MDB_NOTFOUND)
		return mdb_cursor_get(cur, k, v, MDB_LAST);
	return mrc == 0 ? mdb_cursor_get(cur, k, v, MDB_PREV) : mrc;
}

int rpc_audit_list(struct rpc_ctx *ctx)
{
	const Pmif__AuditListRequest *in = (const void *)ctx->in;
	Pmif__AuditListReply *r = ARENA_NEW(ctx->op.arena, Pmif__AuditListReply);
	uint32_t limit = in->limit ? in->limit : AUDIT_PAGE_DEFAULT;
	MDB_cursor *cur;
	MDB_val k, v;
	uint8_t start[8];
	int mrc;

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (limit > AUDIT_PAGE_MAX)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "limit: at most %d entries a page; page on with --after",
		                AUDIT_PAGE_MAX);
	pmif__audit_list_reply__init(r);
	r->entries = ARENA_ARRAY(ctx->op.arena, Pmif__AuditView *, limit);
	if (r->entries == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (mdb_cursor_open(ctx->op.txn, ctx->op.store->dbi[STORE_AUDIT], &cur) != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the audit trail could not be read");
	store_key_u64(start, in->newest_first ? in->before_seq : in->after_seq + 1);
	k.mv_size = 8;
	k.mv_data = start;
	for (mrc = first_entry(cur, &k, &v, in); mrc == 0;
	     mrc = mdb_cursor_get(cur, &k, &v, in->newest_first ? MDB_PREV : MDB_NEXT)) {
		Pmif__AuditEntry *e =
		    pmif__audit_entry__unpack(&ctx->op.arena->pb, v.mv_size, v.mv_data);

		if (e == NULL)
			continue; /* 'admin audit verify' names a damaged entry */
		if (e->time_unix_us / 1000000 < in->since_unix)
			continue;
		if (in->user[0] && strcmp(in->user, e->user) != 0)
			continue;
		if (r->n_entries == limit) {
			r->more = true;
			break;
		}
		r->entries[r->n_entries] = view_of(ctx->op.arena, e);
		if (r->entries[r->n_entries] == NULL) {
			mdb_cursor_close(cur);
			return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
		}
		r->n_entries++;
	}
	mdb_cursor_close(cur);
	return RPC_REPLY(ctx, r);
}

int rpc_audit_verify(struct rpc_ctx *ctx)
{
	Pmif__AuditVerifyReply *r = ARENA_NEW(ctx->op.arena, Pmif__AuditVerifyReply);
	struct audit_report rep;

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (audit_verify(ctx->op.store, ctx->op.txn, &rep) != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the audit trail could not be read");
	pmif__audit_verify_reply__init(r);
	r->intact = rep.first_bad == 0;
	r->entries = rep.entries;
	r->first_bad = rep.first_bad;
	r->why = arena_strdup(ctx->op.arena, rep.why);
	return RPC_REPLY(ctx, r);
}
