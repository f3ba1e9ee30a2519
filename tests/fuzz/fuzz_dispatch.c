/*
 * fuzz_dispatch.c - libFuzzer target for decrypt -> decode -> dispatch
 * (server/channels.c, server/dispatch.c and every RPC handler) against a
 * real LMDB store and writer thread.
 *
 * LLVMFuzzerInitialize makes a store in a fresh directory under /tmp with
 * four users (admin, directorate, member, disabled) sharing one scrypt
 * hash computed once, and seven sessions (fixtures.h) bound to the fixed
 * channel binding.  Each input is then:
 *
 *   byte 0   mode: bits 0-1 pick the transport, bit 2 sends the request
 *            twice (a resend with the same request id)
 *   rest     a packed Request, or for transport 2 a whole wire frame
 *
 *   transport 0  dispatch_request() on the plaintext with the binding
 *   transport 1  sealed on a fresh channel at its next counter, opened by
 *                channels_open_frame() as serve.c's handle_data does,
 *                dispatched, and the reply sealed on the channel's tx key
 *                and opened again as the client would
 *   transport 2  the bytes as a DATA frame (a zero channel id is replaced
 *                by the channel's) through channels_open_frame()
 *   transport 3  as 1, after checking that the frame sealed with the
 *                reply key (reflected) and the frame with a wrong channel
 *                id are refused without spending the counter
 *
 * Properties checked: every reply is a decodable Reply; a failure says
 * why; an OK reply's body decodes as the method's output; a replayed frame
 * is refused; a resent write is answered with the first reply (or, for a
 * secret reply, not carried out again); the audit chain stays intact and
 * every stored record decodes.  After any input that wrote, the store is
 * put back to the baseline so inputs do not depend on each other.
 *
 * Requests that may reach scrypt (0.4 s per hash) are let through for only
 * one input in FUZZ_SCRYPT_ONE_IN (fixtures.h), and only the first time
 * this process sees that input; the rest are rejected (return -1, not
 * added to the corpus) so the campaign runs at hundreds of inputs per
 * second instead of a few.  Run a saved input alone to reproduce it: the
 * gate depends only on its bytes.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <lmdb.h>

#include "audit.h"
#include "auth.h"
#include "clock.h"
#include "channels.h"
#include "dispatch.h"
#include "error.h"
#include "fixtures.h"
#include "frame.h"
#include "log.h"
#include "rpc.h"
#include "server.h"
#include "store.h"
#include "throttle.h"
#include "writer.h"

static char tmpdir[64], storedir[96];
static struct server srv;
static struct dispatch_worker worker;
static struct auth_password shared_pw;
static unsigned long long jobs_at_baseline;
static unsigned scrypt_one_in = FUZZ_SCRYPT_ONE_IN;
static unsigned long long hashing_run, hashing_skipped;
static bool verbose; /* PMIF_FUZZ_VERBOSE: say what each call got back */

/* ---- the baseline store ----------------------------------------------- */

static void put_user(MDB_txn *txn, const char *name, Pmif__Role role, const char *dir,
                     bool disabled, uint64_t now)
{
	Pmif__UserRecord u = PMIF__USER_RECORD__INIT;
	char *dirs[1] = {(char *)dir};

	u.name = (char *)name;
	u.role = role;
	u.directorates = dir ? dirs : NULL;
	u.n_directorates = dir ? 1 : 0;
	u.disabled = disabled;
	u.created_unix = now;
	u.generation = 1;
	u.scrypt_log2_n = shared_pw.log2_n;
	u.scrypt_r = shared_pw.r;
	u.scrypt_p = shared_pw.p;
	u.salt.data = shared_pw.salt;
	u.salt.len = sizeof(shared_pw.salt);
	u.hash.data = shared_pw.hash;
	u.hash.len = sizeof(shared_pw.hash);
	FUZZ_CHECK(store_put_pb(srv.store, txn, STORE_USERS, name, strlen(name), &u.base) == 0);
}

static void put_session(MDB_txn *txn, enum fuzz_token t, const char *user, uint64_t generation,
                        const uint8_t *binding, uint64_t last_used, uint64_t now)
{
	Pmif__SessionRecord s = PMIF__SESSION_RECORD__INIT;
	uint8_t key[32];

	auth_token_hash((const uint8_t *)fuzz_tokens[t], AUTH_TOKEN_LEN, key);
	s.user = (char *)user;
	s.created_unix = now;
	s.last_used_unix = last_used;
	s.user_generation = generation;
	s.channel_binding.data = (uint8_t *)binding;
	s.channel_binding.len = 32;
	FUZZ_CHECK(store_put_pb(srv.store, txn, STORE_SESSIONS, key, 32, &s.base) == 0);
}

/* Empty every database and write the baseline, in one transaction. */
static void reset_store(void)
{
	Pmif__AuditEntry e = PMIF__AUDIT_ENTRY__INIT;
	uint64_t now = clock_now();
	uint32_t version = STORE_SCHEMA_VERSION;
	MDB_val k = {strlen("schema_version"), "schema_version"}, v = {4, &version};
	MDB_txn *txn;

	FUZZ_CHECK(mdb_txn_begin(srv.store->env, NULL, 0, &txn) == 0);
	for (int i = 0; i < STORE_NDB; i++)
		FUZZ_CHECK(mdb_drop(txn, srv.store->dbi[i], 0) == 0);
	FUZZ_CHECK(mdb_put(txn, srv.store->dbi[STORE_META], &k, &v, 0) == 0);
	put_user(txn, FUZZ_USER_ADMIN, PMIF__ROLE__ADMIN, NULL, false, now);
	put_user(txn, FUZZ_USER_DIR, PMIF__ROLE__DIRECTORATE, FUZZ_DIRECTORATE, false, now);
	put_user(txn, FUZZ_USER_MEMBER, PMIF__ROLE__MEMBER, NULL, false, now);
	put_user(txn, FUZZ_USER_OFF, PMIF__ROLE__MEMBER, NULL, true, now);
	put_session(txn, FUZZ_TOKEN_ADMIN, FUZZ_USER_ADMIN, 1, fuzz_binding, now, now);
	put_session(txn, FUZZ_TOKEN_DIR, FUZZ_USER_DIR, 1, fuzz_binding, now, now);
	put_session(txn, FUZZ_TOKEN_MEMBER, FUZZ_USER_MEMBER, 1, fuzz_binding, now, now);
	put_session(txn, FUZZ_TOKEN_OFF, FUZZ_USER_OFF, 1, fuzz_binding, now, now);
	put_session(txn, FUZZ_TOKEN_REVOKED, FUZZ_USER_ADMIN, 0, fuzz_binding, now, now);
	put_session(txn, FUZZ_TOKEN_ELSEWHERE, FUZZ_USER_ADMIN, 1, fuzz_other_binding, now, now);
	put_session(txn, FUZZ_TOKEN_IDLE, FUZZ_USER_ADMIN, 1, fuzz_binding,
	            now - AUTH_SESSION_IDLE - 60, now);
	e.time_unix_us = now * 1000000;
	e.user = FUZZ_USER_ADMIN;
	e.role = PMIF__ROLE__ADMIN;
	e.method = "init";
	e.key = "store";
	e.detail = "fuzzing baseline";
	FUZZ_CHECK(audit_append(srv.store, txn, &e) == 0);
	FUZZ_CHECK(mdb_txn_commit(txn) == 0);
}

/* After an input that wrote: the store must still be sound; then back to
 * the baseline. */
static void after_input(void)
{
	struct audit_report rep;
	unsigned long long groups, jobs;
	MDB_txn *txn;

	writer_stats(srv.writer, &groups, &jobs);
	if (jobs == jobs_at_baseline)
		return;
	FUZZ_CHECK(store_read_begin(srv.store, &txn) == 0);
	FUZZ_CHECK(audit_verify(srv.store, txn, &rep) == 0);
	if (rep.first_bad != 0)
		fprintf(stderr, "audit chain broken at %llu: %s\n",
		        (unsigned long long)rep.first_bad, rep.why);
	FUZZ_CHECK(rep.first_bad == 0);
	FUZZ_CHECK(store_check_records(srv.store, txn, NULL) == 0);
	mdb_txn_abort(txn);
	reset_store();
	jobs_at_baseline = jobs;
}

/* ---- the scrypt gate -------------------------------------------------- */

/* The role of the session @p t opens, or ROLE_NONE if it opens none:
 * only the fixed live sessions can be named by an input. */
static Pmif__Role token_role(ProtobufCBinaryData t)
{
	static const Pmif__Role roles[FUZZ_NTOKENS] = {
	    [FUZZ_TOKEN_ADMIN] = PMIF__ROLE__ADMIN,
	    [FUZZ_TOKEN_DIR] = PMIF__ROLE__DIRECTORATE,
	    [FUZZ_TOKEN_MEMBER] = PMIF__ROLE__MEMBER,
	};

	for (int i = 0; i < FUZZ_NTOKENS; i++)
		if (t.len == AUTH_TOKEN_LEN && memcmp(t.data, fuzz_tokens[i], AUTH_TOKEN_LEN) == 0)
			return roles[i];
	return PMIF__ROLE__ROLE_NONE;
}

/* As users_check_name() accepts. */
static bool plausible_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > 64 || name[0] < 'a' || name[0] > 'z')
		return false;
	return strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789._-") == len;
}

static bool plausible_password(const char *p, bool empty_ok)
{
	size_t len = strlen(p);

	return (empty_ok && len == 0) || (len >= AUTH_MIN_PASSWORD && len <= AUTH_MAX_PASSWORD);
}

/*
 * Could @p req make the server hash a password?  Only Login,
 * PasswordChange, UserAdd and UserResetPassword do, in their prepare step,
 * and only past their cheap checks (size, session, role, name, password
 * length); this over-approximates those checks, so a request it says no
 * to never reaches scrypt.
 */
static bool may_hash(const uint8_t *req, size_t len)
{
	const ProtobufCServiceDescriptor *svc = &pmif__pmif__descriptor;
	const struct rpc_method *m;
	ProtobufCMessage *body = NULL;
	Pmif__Request *r = pmif__request__unpack(NULL, len, req);
	bool yes = false;

	if (r == NULL)
		return false;
	m = rpc_method_at(r->method);
	if (m == NULL || m->prepare == NULL || r->body.len > m->max_request)
		goto out;
	if (!(m->roles & RPC_PUBLIC) && !(m->roles & (1u << token_role(r->token))))
		goto out;
	body = protobuf_c_message_unpack(svc->methods[r->method].input, NULL, r->body.len,
	                                 r->body.data);
	if (body == NULL)
		goto out;
	if (strcmp(m->name, "Login") == 0) {
		const Pmif__LoginRequest *in = (const void *)body;
		yes = in->user[0] && strlen(in->user) <= 64 &&
		      strlen(in->password) <= AUTH_MAX_PASSWORD;
	} else if (strcmp(m->name, "PasswordChange") == 0) {
		const Pmif__PasswordChangeRequest *in = (const void *)body;
		yes = plausible_password(in->new_password, false);
	} else if (strcmp(m->name, "UserAdd") == 0) {
		const Pmif__UserAddRequest *in = (const void *)body;
		bool role_ok =
		    in->role == PMIF__ROLE__DIRECTORATE
		        ? in->n_directorates > 0
		        : (in->role == PMIF__ROLE__ADMIN || in->role == PMIF__ROLE__MEMBER) &&
		              in->n_directorates == 0;
		yes = plausible_name(in->name) && role_ok && plausible_password(in->password, true);
	} else if (strcmp(m->name, "UserResetPassword") == 0) {
		const Pmif__UserResetPasswordRequest *in = (const void *)body;
		yes = plausible_name(in->name) && plausible_password(in->password, true);
	}
	/* any other prepare step (FrameworkLoad's, say) hashes nothing: a new
	 * method that does hash passwords must be added above, or it runs
	 * ungated and the campaign slows down to a few inputs per second */
out:
	if (body)
		protobuf_c_message_free_unpacked(body, NULL);
	pmif__request__free_unpacked(r, NULL);
	return yes;
}

/*
 * Let one input in scrypt_one_in through, and each of those only once:
 * libFuzzer often runs a corpus input again unchanged (a mutation that
 * changed nothing), and each rerun would cost another 0.4-1.2 s.
 */
static bool scrypt_gate(const uint8_t *data, size_t size)
{
	static uint64_t seen[4096];
	uint32_t h = fuzz_hash(data, size);
	uint64_t tag = ((uint64_t)h << 32) | (uint32_t)size | 1;
	uint64_t *slot = &seen[(h / scrypt_one_in) % 4096];

	if (h % scrypt_one_in != 0 || *slot == tag)
		return false;
	*slot = tag;
	return true;
}

/* ---- one call --------------------------------------------------------- */

struct call {
	uint8_t *reply;
	size_t len;
	Pmif__Code code;
};

/* The channel of one input: a table with one slot, the client's view. */
struct chan {
	struct channels *table;
	uint64_t id;
	uint64_t next;    /* the client's next frame counter */
	uint64_t rx_next; /* lowest reply counter the client still accepts */
	struct pmif_noise_cipher c2s, s2c;
};

static void chan_open(struct chan *c)
{
	memset(c, 0, sizeof(*c));
	fuzz_cipher(&c->c2s, fuzz_key_c2s);
	fuzz_cipher(&c->s2c, fuzz_key_s2c);
	FUZZ_CHECK(channels_new(1, 3600, &c->table) == 0);
	FUZZ_CHECK(channels_add(c->table, &c->c2s, &c->s2c, fuzz_binding, clock_now(), &c->id) ==
	           0);
}

/* Every reply must decode; a failure must say why; an OK body must decode
 * as the output of the method asked for (@p method, or -1 if unknown). */
static void check_reply(struct call *c, int method)
{
	const ProtobufCServiceDescriptor *svc = &pmif__pmif__descriptor;
	Pmif__Reply *r;

	FUZZ_CHECK(c->reply != NULL);
	FUZZ_CHECK(c->len <= PMIF_FRAME_MAX_PLAINTEXT);
	r = pmif__reply__unpack(NULL, c->len, c->reply);
	FUZZ_CHECK(r != NULL);
	c->code = r->code;
	if (verbose)
		fprintf(stderr, "fuzz_dispatch: %s -> code %d%s%s\n",
		        method >= 0 ? svc->methods[method].name : "?", r->code,
		        r->message[0] ? ": " : "", r->message);
	if (r->code != PMIF__CODE__OK) {
		FUZZ_CHECK(r->message[0] != '\0');
	} else if (method >= 0) {
		ProtobufCMessage *out = protobuf_c_message_unpack(svc->methods[method].output, NULL,
		                                                  r->body.len, r->body.data);
		FUZZ_CHECK(out != NULL);
		protobuf_c_message_free_unpacked(out, NULL);
	}
	pmif__reply__free_unpacked(r, NULL);
}

static void dispatch(const uint8_t binding[32], const uint8_t *req, size_t len, struct call *out)
{
	struct dispatch_result res;

	dispatch_request(&worker, binding, req, len, NULL, &out->reply, &out->len, &res);
	FUZZ_CHECK(res.method != NULL && memchr(res.user, '\0', sizeof(res.user)) != NULL);
}

static uint8_t *seal(const struct pmif_noise_cipher *key, uint64_t id, uint64_t nonce,
                     const uint8_t *pt, size_t len, struct pmif_frame *f)
{
	size_t flen = pmif_frame_sealed_size(len);
	uint8_t *frame = malloc(flen);

	FUZZ_CHECK(frame != NULL);
	FUZZ_CHECK(pmif_frame_seal(key, id, nonce, pt, len, frame, flen, &flen) == 0);
	FUZZ_CHECK(pmif_frame_decode(frame, flen, f) == 0);
	return frame;
}

/* Frames that must be refused without spending the counter. */
static void refused_frames(struct chan *c, const uint8_t *req, size_t len)
{
	struct channel_grant g;
	struct pmif_frame f;
	uint8_t *frame, *pt = malloc(len + 1);
	size_t ptlen;

	FUZZ_CHECK(pt != NULL);
	frame = seal(&c->s2c, c->id, c->next, req, len, &f);
	FUZZ_CHECK(channels_open_frame(c->table, &f, clock_now(), pt, len + 1, &ptlen, &g) ==
	           PMIF_EAUTH);
	free(frame);
	frame = seal(&c->c2s, c->id ^ (UINT64_C(1) << 40), c->next, req, len, &f);
	FUZZ_CHECK(channels_open_frame(c->table, &f, clock_now(), pt, len + 1, &ptlen, &g) ==
	           PMIF_ENOTFOUND);
	free(frame);
	free(pt);
}

/* What serve.c's handle_data does, with the client's side around it. */
static void call_sealed(struct chan *c, const uint8_t *req, size_t len, struct call *out)
{
	struct channel_grant g;
	struct pmif_frame f, rf;
	uint8_t *frame, *pt, *scratch, *rframe, *back;
	size_t ptlen, blen;

	frame = seal(&c->c2s, c->id, c->next++, req, len, &f);
	pt = malloc(f.len);
	scratch = malloc(f.len);
	FUZZ_CHECK(pt != NULL && scratch != NULL);
	FUZZ_CHECK(channels_open_frame(c->table, &f, clock_now(), pt, f.len, &ptlen, &g) == 0);
	FUZZ_CHECK(ptlen == len && memcmp(pt, req, len) == 0);
	FUZZ_CHECK(g.id == c->id && memcmp(g.binding, fuzz_binding, 32) == 0);
	/* the same frame again is a replay */
	FUZZ_CHECK(channels_open_frame(c->table, &f, clock_now(), scratch, f.len, &blen, &g) ==
	           PMIF_EREPLAY);
	free(scratch);
	free(frame);

	dispatch(g.binding, pt, ptlen, out);
	free(pt);
	FUZZ_CHECK(out->reply != NULL);

	/* the reply goes back sealed on the channel; the client opens it */
	rframe = seal(&g.tx, g.id, g.tx_nonce, out->reply, out->len, &rf);
	FUZZ_CHECK(rf.channel == c->id && rf.nonce >= c->rx_next);
	c->rx_next = rf.nonce + 1;
	back = malloc(rf.len);
	FUZZ_CHECK(back != NULL);
	FUZZ_CHECK(pmif_frame_open(&c->s2c, &rf, back, rf.len, &blen) == 0);
	FUZZ_CHECK(blen == out->len && memcmp(back, out->reply, blen) == 0);
	free(back);
	free(rframe);
}

/* Transport 2: arbitrary bytes as a DATA frame on the channel. */
static void raw_frame(struct chan *c, const uint8_t *buf, size_t len)
{
	struct channel_grant g;
	struct pmif_frame f;
	struct call out = {0};
	uint8_t *copy, *pt;
	size_t ptlen;
	int rc;

	if (pmif_frame_decode(buf, len, &f) != 0 || f.type != PMIF_FRAME_DATA)
		return;
	copy = malloc(len);
	pt = malloc(f.len ? f.len : 1);
	FUZZ_CHECK(copy != NULL && pt != NULL);
	memcpy(copy, buf, len);
	if (f.channel == 0)
		pmif_frame_header(copy, PMIF_FRAME_DATA, c->id, f.nonce);
	FUZZ_CHECK(pmif_frame_decode(copy, len, &f) == 0);
	rc = channels_open_frame(c->table, &f, clock_now(), pt, f.len, &ptlen, &g);
	if (rc == 0) {
		dispatch(g.binding, pt, ptlen, &out);
		check_reply(&out, -1);
		free(out.reply);
	} else {
		FUZZ_CHECK(rc == PMIF_ENOTFOUND || rc == PMIF_EREPLAY || rc == PMIF_EAUTH ||
		           rc == PMIF_EINVAL);
	}
	free(pt);
	free(copy);
}

/* The method index @p req asks for, or -1; its request id length. */
static int method_of(const uint8_t *req, size_t len, size_t *idlen)
{
	Pmif__Request *r = pmif__request__unpack(NULL, len, req);
	int m = -1;

	*idlen = 0;
	if (r == NULL)
		return -1;
	if (rpc_method_at(r->method) != NULL)
		m = (int)r->method;
	*idlen = r->request_id.len;
	pmif__request__free_unpacked(r, NULL);
	return m;
}

static void one_call(struct chan *c, unsigned transport, const uint8_t *req, size_t len, int method,
                     struct call *out)
{
	if (transport == 0 || len > PMIF_FRAME_MAX_PLAINTEXT) {
		dispatch(fuzz_binding, req, len, out);
	} else {
		if (transport == 3)
			refused_frames(c, req, len);
		call_sealed(c, req, len, out);
	}
	check_reply(out, method);
}

/* A resent write must not be carried out twice. */
static void check_resend(int method, size_t idlen, const struct call *first,
                         const struct call *second)
{
	const struct rpc_method *m = method >= 0 ? rpc_method_at((unsigned)method) : NULL;

	if (m == NULL || !(m->flags & RPC_WRITE) || (m->flags & RPC_NO_REPLAY_CACHE) ||
	    idlen != 16 || first->code != PMIF__CODE__OK)
		return;
	if (m->flags & RPC_SECRET_REPLY) {
		FUZZ_CHECK(second->code != PMIF__CODE__OK);
	} else if (second->code == PMIF__CODE__OK) {
		FUZZ_CHECK(second->len == first->len &&
		           memcmp(second->reply, first->reply, first->len) == 0);
	}
}

/* ---- libFuzzer -------------------------------------------------------- */

/*
 * Unlink the store's files and directories once LMDB has them open: the
 * map and the lock stay usable until the process ends, and a crash (which
 * skips atexit) leaves nothing behind in /tmp.
 */
static void remove_store_files(void)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/data.mdb", storedir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/lock.mdb", storedir);
	unlink(path);
	rmdir(storedir);
	rmdir(tmpdir);
}

static void cleanup(void)
{
	fprintf(stderr,
	        "fuzz_dispatch: %llu requests that may hash a password ran, %llu skipped; "
	        "%llu scrypt runs\n",
	        hashing_run, hashing_skipped, auth_checks_run());
	dispatch_worker_release(&worker);
	writer_stop(srv.writer);
	throttle_free(srv.throttle);
	store_close(srv.store);
	srv.throttle = NULL;
	srv.writer = NULL;
	srv.store = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *one_in = getenv("PMIF_FUZZ_SCRYPT_ONE_IN");
	unsigned long long groups;
	int rc;

	(void)argc;
	(void)argv;
	if (one_in && atoi(one_in) > 0)
		scrypt_one_in = (unsigned)atoi(one_in);
	verbose = getenv("PMIF_FUZZ_VERBOSE") != NULL;
	for (int i = 0; i < FUZZ_NTOKENS; i++)
		FUZZ_CHECK(strlen(fuzz_tokens[i]) == AUTH_TOKEN_LEN);
	log_set_quiet(1);
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/pmif-fuzz-XXXXXX");
	FUZZ_CHECK(mkdtemp(tmpdir) != NULL);
	snprintf(storedir, sizeof(storedir), "%s/store", tmpdir);

	srv.cfg.data_dir = storedir;
	srv.cfg.workers = 1;
	srv.cfg.max_channels = 1;
	srv.cfg.channel_idle = 3600;
	srv.cfg.login_window = 300;
	srv.cfg.max_batch = 64;
	srv.cfg.session_idle = AUTH_SESSION_IDLE;
	srv.cfg.session_absolute = AUTH_SESSION_ABSOLUTE;
	srv.cfg.quiet = 1;
	srv.session_idle = AUTH_SESSION_IDLE;
	srv.session_absolute = AUTH_SESSION_ABSOLUTE;
	srv.quiet = 1;
	srv.workers = 1;
	srv.started = time(NULL);
	FUZZ_CHECK(pmif_noise_public_from_private(fuzz_server_static_priv, srv.static_pub) == 0);
	memcpy(srv.static_priv, fuzz_server_static_priv, 32);

	rc = store_create(storedir, &srv.store);
	remove_store_files();
	FUZZ_CHECK(rc == 0);
	/* durability is not under test: no fsync per group commit */
	FUZZ_CHECK(mdb_env_set_flags(srv.store->env, MDB_NOSYNC, 1) == 0);
	/* a method without a table entry fails tests/test_rpc_table.c; here it
	 * just answers UNIMPLEMENTED, so fuzzing still covers the rest */
	if (rpc_table_init() != 0)
		fprintf(stderr,
		        "fuzz_dispatch: warning: the rpc table is incomplete (see above)\n");
	FUZZ_CHECK(auth_init(1) == 0);
	FUZZ_CHECK(throttle_new(srv.cfg.login_window, &srv.throttle) == 0);
	/* the one scrypt hash of the baseline, shared by every user */
	FUZZ_CHECK(auth_password_hash(FUZZ_PASSWORD, &shared_pw) == 0);
	FUZZ_CHECK(writer_start(srv.store, srv.cfg.max_batch, &srv.writer) == 0);
	dispatch_worker_init(&worker, &srv);
	reset_store();
	writer_stats(srv.writer, &groups, &jobs_at_baseline);
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct call first = {0}, second = {0};
	struct chan c;
	unsigned transport;
	const uint8_t *req;
	size_t len, idlen;
	int method;

	if (size < 1)
		return 0;
	transport = data[0] & 3;
	req = data + 1;
	len = size - 1;
	if (transport != 2 && may_hash(req, len)) {
		if (!scrypt_gate(data, size)) {
			hashing_skipped++;
			return -1;
		}
		hashing_run++;
	}
	chan_open(&c);
	if (transport == 2) {
		raw_frame(&c, req, len);
	} else {
		method = method_of(req, len, &idlen);
		one_call(&c, transport, req, len, method, &first);
		if (data[0] & 4) {
			one_call(&c, transport, req, len, method, &second);
			check_resend(method, idlen, &first, &second);
			free(second.reply);
		}
		free(first.reply);
	}
	channels_free(c.table);
	after_input();
	return 0;
}
