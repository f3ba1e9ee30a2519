/*
 * dispatch.c - decode, authenticate, authorize, run, audit (see dispatch.h).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "clock.h"
#include "dispatch.h"
#include "error.h"
#include "frame.h"
#include "log.h"
#include "reply_cache.h"
#include "rpc.h"
#include "server.h"
#include "session_auth.h"
#include "store.h"
#include "words.h"
#include "writer.h"

/* Request-scoped memory cap: far above any honest request (a million-row
 * import needs a few hundred MiB). */
#define ARENA_LIMIT ((size_t)1 << 30)
/* A write whose request is this large is a bulk write (an import, a
 * framework load): afterwards the store is reopened to hand LMDB's
 * dirty-page cache back to the system (store_reopen). */
#define BULK_WRITE ((size_t)1 << 20)

/* Pack the reply for @p ctx into malloc'd memory.  @p redact replaces a
 * secret body by a note (what the request-id cache keeps). */
static int pack_reply(struct rpc_ctx *ctx, int redact, uint8_t **out, size_t *outlen)
{
	Pmif__Reply r = PMIF__REPLY__INIT;
	uint8_t *body = NULL;
	size_t len;

	r.code = ctx->op.code;
	r.message = ctx->op.message ? ctx->op.message : "";
	r.warnings = ctx->op.warnings;
	r.n_warnings = ctx->op.n_warnings;
	if (ctx->op.code == PMIF__CODE__OK && ctx->out) {
		if (redact) {
			r.code = PMIF__CODE__ALREADY_EXISTS;
			r.message =
			    "this request was already carried out; its answer held a secret "
			    "that is not kept, so run the command again";
		} else {
			len = protobuf_c_message_get_packed_size(ctx->out);
			if (len > PMIF_FRAME_MAX_PLAINTEXT - 4096) {
				r.code = PMIF__CODE__RESOURCE_EXHAUSTED;
				r.message = "the answer is too large to send: narrow the query";
			} else {
				body = malloc(len ? len : 1);
				if (body == NULL)
					return PMIF_ENOMEM;
				protobuf_c_message_pack(ctx->out, body);
				r.body.data = body;
				r.body.len = len;
			}
		}
	}
	len = pmif__reply__get_packed_size(&r);
	*out = malloc(len ? len : 1);
	if (*out == NULL) {
		free(body);
		return PMIF_ENOMEM;
	}
	pmif__reply__pack(&r, *out);
	*outlen = len;
	free(body);
	return 0;
}

static int audit_from_ctx(struct rpc_ctx *ctx, MDB_txn *txn)
{
	Pmif__AuditEntry e = PMIF__AUDIT_ENTRY__INIT;
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	e.time_unix_us = (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
	e.user = (char *)(ctx->authenticated ? ctx->op.actor.name
	                                     : (ctx->audit_user ? ctx->audit_user : ""));
	e.role = ctx->authenticated ? ctx->op.actor.role : PMIF__ROLE__ROLE_NONE;
	e.method = (char *)ctx->method->name;
	e.key = (char *)(ctx->audit_key ? ctx->audit_key : "");
	e.request_id = ctx->op.request_id;
	e.code = ctx->op.code;
	e.detail = (char *)(ctx->audit_detail
	                        ? ctx->audit_detail
	                        : (ctx->op.code ? (ctx->op.message ? ctx->op.message : "") : ""));
	/* the records go in packed; their JSON is rendered when the trail is read */
	return audit_append_images(ctx->op.store, txn, &e, ctx->audit_before, ctx->audit_after);
}

/* Key of the request-id cache: user name, NUL, the 16-byte id. */
static size_t request_key(const struct rpc_ctx *ctx, uint8_t *key, size_t cap)
{
	size_t ulen = strlen(ctx->op.actor.name);

	if (ulen + 1 + ctx->op.request_id.len > cap)
		return 0;
	memcpy(key, ctx->op.actor.name, ulen + 1);
	memcpy(key + ulen + 1, ctx->op.request_id.data, ctx->op.request_id.len);
	return ulen + 1 + ctx->op.request_id.len;
}

struct write_state {
	struct rpc_ctx *ctx;
	uint8_t *cached; /* reply found in the request-id cache */
	size_t cached_len;
};

static void fail_unsaved(struct rpc_ctx *ctx, int rc);

static int write_job(void *arg, MDB_txn *txn)
{
	struct write_state *ws = arg;
	struct rpc_ctx *ctx = ws->ctx;
	struct server *srv = ctx->srv;
	bool cache = ctx->authenticated && ctx->op.request_id.len == 16 &&
	             !(ctx->method->flags & RPC_NO_REPLAY_CACHE);
	uint8_t key[128];
	size_t klen = cache ? request_key(ctx, key, sizeof(key)) : 0;
	int rc;

	/* run again after the map grew (writer.h): from a clean outcome; the
	 * audit fields stay, as prepare may have set them and the handler
	 * sets its own again */
	free(ws->cached);
	ws->cached = NULL;
	ctx->op.code = PMIF__CODE__OK;
	ctx->op.message = NULL;
	ctx->out = NULL;
	ctx->op.warnings = NULL;
	ctx->op.n_warnings = 0;
	if (klen) {
		Pmif__RequestRecord *rec;
		rc = store_get_pb(srv->store, txn, STORE_REQUESTS, key, klen,
		                  &pmif__request_record__descriptor, &ctx->op.arena->pb,
		                  (ProtobufCMessage **)&rec);
		if (rc == 0) {
			ws->cached = malloc(rec->reply.len ? rec->reply.len : 1);
			if (ws->cached == NULL)
				return PMIF_ENOMEM;
			memcpy(ws->cached, rec->reply.data, rec->reply.len);
			ws->cached_len = rec->reply.len;
			return PMIF_EEXIST; /* nothing to keep */
		}
		if (rc != PMIF_ENOTFOUND)
			return rc;
	}
	ctx->op.txn = txn;
	store_failure_take();
	rc = ctx->method->handle(ctx);
	if (rc != 0) {
		/* the store full or failing beneath the handler: say so */
		rc = store_failure_take();
		if (rc != 0) {
			fail_unsaved(ctx, rc);
			return rc;
		}
		return PMIF_EINVAL; /* status is in ctx; discard the nested txn */
	}
	rc = audit_from_ctx(ctx, txn);
	if (rc == 0 && klen) {
		Pmif__RequestRecord rec = PMIF__REQUEST_RECORD__INIT;
		uint8_t *packed;
		size_t plen;

		rc = pack_reply(ctx, ctx->method->flags & RPC_SECRET_REPLY, &packed, &plen);
		if (rc == 0) {
			rec.time_unix = ctx->op.now;
			rec.reply.data = packed;
			rec.reply.len = plen;
			rc = store_put_pb(srv->store, txn, STORE_REQUESTS, key, klen, &rec.base);
			free(packed);
		}
	}
	if (rc == PMIF_EDISKFULL || rc == PMIF_EMAPFULL || rc == PMIF_EDISKIO)
		fail_unsaved(ctx, rc);
	else if (rc != 0)
		rpc_fail(ctx, PMIF__CODE__INTERNAL, "the server could not record the change (%s)",
		         pmif_strerror(rc));
	return rc;
}

/* Record a refused login or password check: in its own nested txn, after
 * the handler's own writes (if any) were discarded. */
static int audit_failure_job(void *arg, MDB_txn *txn)
{
	return audit_from_ctx(arg, txn);
}

/* A directorate user may change only what their directorates own. */
static int check_scope(struct rpc_ctx *ctx, const struct rpc_method *m)
{
	const char **owners = NULL;
	size_t n = 0;
	char mine[256] = "";

	if (m->owner(ctx, &owners, &n) != 0)
		return ctx->op.code;
	for (size_t i = 0; i < n; i++) {
		bool ok = false;
		for (size_t k = 0; k < ctx->op.actor.n_directorates && !ok; k++)
			ok = strcmp(owners[i], ctx->op.actor.directorates[k]) == 0;
		if (ok)
			continue;
		for (size_t k = 0; k < ctx->op.actor.n_directorates; k++) {
			if (k)
				strncat(mine, ", ", sizeof(mine) - strlen(mine) - 1);
			strncat(mine, ctx->op.actor.directorates[k],
			        sizeof(mine) - strlen(mine) - 1);
		}
		return rpc_fail(
		    ctx, PMIF__CODE__PERMISSION_DENIED,
		    "'%s' may change only what %s own%s; this belongs to %s: ask %s or an "
		    "administrator",
		    ctx->op.actor.name, mine, ctx->op.actor.n_directorates == 1 ? "s" : "",
		    owners[i], owners[i]);
	}
	return 0;
}

/*
 * Everything one request needs until its reply is sent.  On the heap, so
 * a write can outlive the worker's call: the worker hands it to the writer
 * and goes back to receiving, and the reply leaves from the writer thread
 * once the group holding the write has committed (group commit needs many
 * writes waiting at once, more than there are workers).
 */
struct pending {
	struct arena arena;
	struct rpc_ctx ctx;
	struct write_state ws;
	uint8_t binding[32];
	struct dispatch_result res;
	struct dispatch_reply_to later; /* how to answer; send NULL: synchronous */
	struct dispatch_worker *worker; /* the worker that took it */
	bool bulk;                      /* request of BULK_WRITE bytes or more */
	/* a read answered by snapshot (reply_cache.h) */
	struct reply_key key;
	uint64_t snapshot; /* the read's LMDB transaction id */
	bool cacheable;    /* key and snapshot are set */
	uint8_t *hit;      /* the cached reply, when there was one */
	size_t hit_len;
};

void dispatch_worker_init(struct dispatch_worker *w, struct server *srv)
{
	w->srv = srv;
	store_reader_init(&w->reader, srv->store);
}

void dispatch_worker_release(struct dispatch_worker *w)
{
	store_reader_release(&w->reader);
}

/*
 * Reopen the store after a bulk write, on the writer thread between groups
 * (no write transaction is open), to hand LMDB's dirty pages back.  A
 * store that cannot be reopened leaves nothing to serve from; everything
 * acknowledged is already durable.
 */
static void store_recycle(struct server *srv)
{
	struct timespec t0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = store_reopen_quiesced(srv->store);
	if (rc == 0) {
		log_info("store reopened after a bulk write, to return its memory (%lld ms)",
		         clock_usec_since(&t0) / 1000);
		return;
	}
	log_error("the store could not be reopened after a bulk write (%s): stopping; every "
	          "acknowledged change is on disk, start pmifd again",
	          pmif_strerror(rc));
	_exit(EXIT_FAILURE);
}

/* Pack the reply (or hand back the cached first one), then free. */
static void finish(struct pending *p, uint8_t **reply, size_t *reply_len)
{
	struct rpc_ctx *ctx = &p->ctx;

	if (p->res.user[0] == '\0' && ctx->audit_user)
		snprintf(p->res.user, sizeof(p->res.user), "%s", ctx->audit_user);
	if (p->hit) {
		*reply = p->hit;
		*reply_len = p->hit_len;
		p->hit = NULL;
		p->res.code = PMIF__CODE__OK;
		p->res.cached = true;
	} else if (p->ws.cached) {
		/* a resent write: the first answer, as it was */
		Pmif__Reply *first =
		    pmif__reply__unpack(&p->arena.pb, p->ws.cached_len, p->ws.cached);
		*reply = p->ws.cached;
		*reply_len = p->ws.cached_len;
		p->res.code = first ? (int)first->code : 0;
	} else {
		p->res.code = ctx->op.code;
		if (pack_reply(ctx, 0, reply, reply_len) != 0)
			*reply = NULL;
		else if (p->cacheable && ctx->op.code == PMIF__CODE__OK && ctx->op.n_warnings == 0)
			reply_cache_put(ctx->srv->replies, &p->key, p->snapshot, ctx->op.now,
			                *reply, *reply_len);
	}
}

/* Free a request's memory.  Not trimmed here: a big report asked for
 * again would fault every page in anew; the once-a-minute tick trims
 * (serve.c), and a bulk write trims at once (store_recycle). */
static void release(struct pending *p)
{
	arena_release(&p->arena);
	free(p);
}

/* Asynchronous path: send the reply and free everything. */
static void complete(struct pending *p)
{
	uint8_t *reply = NULL;
	size_t len = 0;

	finish(p, &reply, &len);
	p->later.send(p->later.cookie, reply, len, &p->res);
	free(reply);
	release(p);
}

/* After a bulk write: free the request, hand the store's memory back, and
 * only then answer, so the client's "done" means the memory is back too. */
static void complete_bulk(struct pending *p)
{
	struct server *srv = p->ctx.srv;
	struct dispatch_reply_to later = p->later;
	struct dispatch_result res;
	uint8_t *reply = NULL;
	size_t len = 0;

	finish(p, &reply, &len);
	res = p->res;
	release(p);
	store_recycle(srv);
	later.send(later.cookie, reply, len, &res);
	free(reply);
}

/* The pending request a writer job's argument belongs to. */
#define PENDING_OF(ptr, member) ((struct pending *)((char *)(ptr)-offsetof(struct pending, member)))

static void audit_failure_done(void *arg, int rc)
{
	(void)rc; /* the refusal stands whether or not its audit entry was kept */
	complete(PENDING_OF(arg, ctx));
}

/* A write the store did not keep: say why and what to do. */
static void fail_unsaved(struct rpc_ctx *ctx, int rc)
{
	switch (rc) {
	case PMIF_EDISKFULL:
		rpc_fail(ctx, PMIF__CODE__STORE_DISK_FULL,
		         "the server's disk is full: nothing was saved; tell the administrator");
		break;
	case PMIF_EMAPFULL:
		rpc_fail(ctx, PMIF__CODE__STORE_MAP_FULL,
		         "the store has reached its size ceiling (--map-max %zu MB): nothing was "
		         "saved; tell the administrator to raise --map-max",
		         ctx->op.store->map_max >> 20);
		break;
	case PMIF_EDISKIO:
		rpc_fail(ctx, PMIF__CODE__STORE_IO_ERROR,
		         "the server's disk failed (input/output error): nothing was saved; tell "
		         "the administrator");
		break;
	default:
		rpc_fail(ctx, PMIF__CODE__UNAVAILABLE,
		         "the server could not save the change (%s): try again", pmif_strerror(rc));
	}
}

/* A write's outcome, on the writer thread after its group's commit. */
static void write_done(void *arg, int rc)
{
	struct pending *p = PENDING_OF(arg, ws);
	struct rpc_ctx *ctx = &p->ctx;

	if (p->ws.cached || rc == 0) {
		if (p->bulk && rc == 0 && !p->ws.cached)
			complete_bulk(p);
		else
			complete(p);
		return;
	}
	if (ctx->op.code == PMIF__CODE__OK)
		fail_unsaved(ctx, rc);
	if ((ctx->method->flags & RPC_AUDIT_FAILURES) &&
	    writer_submit_async(ctx->srv->writer, audit_failure_job, audit_failure_done, ctx) == 0)
		return;
	complete(p);
}

/*
 * Run the handler: reads here, writes on the writer.  Returns 1 when the
 * write went to the writer asynchronously (the reply comes later), else 0
 * with the outcome in p->ctx (and p->ws.cached for a resent write).
 */
static int run(struct pending *p, const struct rpc_method *m)
{
	struct rpc_ctx *ctx = &p->ctx;
	int rc;

	if (!(m->flags & RPC_WRITE)) {
		if ((m->flags & RPC_SNAPSHOT_CACHE) && ctx->authenticated && ctx->srv->replies) {
			p->key.user = ctx->op.actor.name;
			p->snapshot = mdb_txn_id(ctx->op.txn);
			p->cacheable = true;
			if (reply_cache_get(ctx->srv->replies, &p->key, p->snapshot, ctx->op.now,
			                    &p->hit, &p->hit_len))
				return 0;
		}
		m->handle(ctx);
		return 0;
	}
	if (m->prepare && m->prepare(ctx) != 0)
		goto failed;
	if (p->later.send &&
	    writer_submit_async(ctx->srv->writer, write_job, write_done, &p->ws) == 0)
		return 1;
	/* never wait for the writer while reading: it may need the store lock */
	store_reader_end(&p->worker->reader);
	rc = writer_submit(ctx->srv->writer, write_job, &p->ws);
	if (p->ws.cached || rc == 0)
		return 0;
	if (ctx->op.code == PMIF__CODE__OK)
		fail_unsaved(ctx, rc);
failed:
	if (m->flags & RPC_AUDIT_FAILURES) {
		if (p->later.send && writer_submit_async(ctx->srv->writer, audit_failure_job,
		                                         audit_failure_done, ctx) == 0)
			return 1;
		store_reader_end(&p->worker->reader);
		writer_submit(ctx->srv->writer, audit_failure_job, ctx);
	}
	return 0;
}

/* Everything up to running the handler: decode, authenticate, authorize.
 * 0 to run it, or a status already set in p->ctx. */
static int admit(struct pending *p, const uint8_t *req, size_t len, const struct rpc_method **out)
{
	const ProtobufCServiceDescriptor *svc = &pmif__pmif__descriptor;
	struct rpc_ctx *ctx = &p->ctx;
	const struct rpc_method *m;
	Pmif__Request *r = pmif__request__unpack(&p->arena.pb, len, req);

	if (r == NULL)
		return rpc_fail(
		    ctx, PMIF__CODE__INVALID_ARGUMENT,
		    "the request could not be decoded: is the client the same version as "
		    "the server?");
	m = rpc_method_at(r->method);
	if (m == NULL)
		return rpc_fail(ctx, PMIF__CODE__UNIMPLEMENTED,
		                "this server has no method number %u: upgrade the server or use a "
		                "matching client",
		                r->method);
	ctx->method = m;
	ctx->op.method = m->name;
	p->res.method = m->name;
	ctx->op.request_id = r->request_id;
	ctx->token = r->token;
	ctx->binding_proof = r->binding_proof;
	p->bulk = r->body.len >= BULK_WRITE;
	p->key.method = r->method;
	p->key.body = r->body.data;
	p->key.body_len = r->body.len;
	if (r->body.len > m->max_request)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "the request to %s is %zu bytes, more than the %zu allowed",
		                m->does, r->body.len, m->max_request);
	ctx->in = protobuf_c_message_unpack(svc->methods[r->method].input, &p->arena.pb,
	                                    r->body.len, r->body.data);
	if (ctx->in == NULL)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "the request to %s could not be decoded: is the client the "
		                "same version as the server?",
		                m->does);
	if (!(m->roles & RPC_PUBLIC)) {
		if (session_authenticate(ctx) != 0)
			return ctx->op.code;
		snprintf(p->res.user, sizeof(p->res.user), "%s", ctx->op.actor.name);
		if (!(m->roles & (1u << ctx->op.actor.role)))
			return rpc_fail(ctx, PMIF__CODE__PERMISSION_DENIED,
			                "'%s' has the %s role, which may not %s: ask an "
			                "administrator if you need it",
			                ctx->op.actor.name,
			                pmif_role_word(ctx->op.actor.role, "user"), m->does);
	}
	if (m->owner && ctx->op.actor.role == PMIF__ROLE__DIRECTORATE && check_scope(ctx, m) != 0)
		return ctx->op.code;
	*out = m;
	return 0;
}

int dispatch_request(struct dispatch_worker *w, const uint8_t binding[32], const uint8_t *req,
                     size_t len, const struct dispatch_reply_to *later, uint8_t **reply,
                     size_t *reply_len, struct dispatch_result *res)
{
	struct server *srv = w->srv;
	struct pending *p = calloc(1, sizeof(*p));
	const struct rpc_method *m = NULL;
	int rc;

	*reply = NULL;
	res->method = "?";
	res->user[0] = '\0';
	if (p == NULL)
		return 0;
	arena_init(&p->arena, ARENA_LIMIT);
	memcpy(p->binding, binding, 32);
	p->ctx.srv = srv;
	p->ctx.op.store = srv->store;
	p->ctx.op.arena = &p->arena;
	p->ctx.binding = p->binding;
	p->ctx.op.now = clock_now();
	p->ws.ctx = &p->ctx;
	p->res.method = "?";
	p->worker = w;
	if (later)
		p->later = *later;

	rc = store_reader_begin(&w->reader, &p->ctx.op.txn);
	if (rc != 0) {
		rpc_fail(&p->ctx, PMIF__CODE__UNAVAILABLE,
		         "the store cannot be read right now: try again");
	} else if (admit(p, req, len, &m) == 0 && run(p, m) == 1) {
		/* the writer has it now: it replies through @p later */
		store_reader_end(&w->reader);
		return 1;
	}
	store_reader_end(&w->reader);
	finish(p, reply, reply_len);
	*res = p->res;
	release(p);
	return 0;
}
