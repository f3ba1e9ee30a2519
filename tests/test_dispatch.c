/*
 * test_dispatch.c - server/dispatch.c driven directly, without a network:
 * packed Requests in, packed Replies out, against a real temp store with a
 * running writer thread.
 *
 * Users are put straight into the store (their hash made once with
 * auth_password_hash); sessions other than the ones the Login tests make
 * are written straight into the store as well, so the expensive scrypt
 * runs only a handful of times.  The tests share one store and run in
 * order; each uses its own users and request ids.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <ftw.h>
#include <sys/stat.h>
#include <time.h>

#include "audit.h"
#include "auth.h"
#include "dispatch.h"
#include "error.h"
#include "fixture_store.h"
#include "log.h"
#include "pmif.pb-c.h"
#include "rpc.h"
#include "server.h"
#include "store.h"
#include "throttle.h"
#include "store.pb-c.h"
#include "writer.h"

#define PASSWORD "a password long enough"

static const ProtobufCServiceDescriptor *svc = &pmif__pmif__descriptor;
static uint8_t binding_a[32], binding_b[32]; /* two channels' handshake hashes */

static struct fixture_store fs;
static struct server srv;
static struct dispatch_worker worker;
static struct auth_password pw;
static uint8_t root_token[AUTH_TOKEN_LEN];
static int root_logged_in;
/* replies whose request log line (dispatch_result) gave another code */
static int log_mismatches;
static char log_mismatch_note[256];

/* ---- store set-up ------------------------------------------------------- */

static void put_user_txn(MDB_txn *txn, const char *name, Pmif__Role role, const char *dir1)
{
	Pmif__UserRecord u = PMIF__USER_RECORD__INIT;
	char *dirs[1] = {(char *)dir1};

	u.name = (char *)name;
	u.role = role;
	if (dir1) {
		u.directorates = dirs;
		u.n_directorates = 1;
	}
	u.created_unix = (uint64_t)time(NULL);
	u.generation = 1;
	u.scrypt_log2_n = pw.log2_n;
	u.scrypt_r = pw.r;
	u.scrypt_p = pw.p;
	u.salt.data = pw.salt;
	u.salt.len = sizeof(pw.salt);
	u.hash.data = pw.hash;
	u.hash.len = sizeof(pw.hash);
	assert_int_equal(store_put_pb(srv.store, txn, STORE_USERS, name, strlen(name), &u.base), 0);
}

/* A session for @p user straight into the store (through the writer). */
struct session_job {
	uint8_t token[AUTH_TOKEN_LEN];
	const char *user;
	uint64_t created, last_used, generation;
	const uint8_t *binding;
};

static int session_fn(void *arg, MDB_txn *txn)
{
	struct session_job *j = arg;
	Pmif__SessionRecord s = PMIF__SESSION_RECORD__INIT;
	uint8_t key[32];

	auth_token_hash(j->token, sizeof(j->token), key);
	s.user = (char *)j->user;
	s.created_unix = j->created;
	s.last_used_unix = j->last_used;
	s.user_generation = j->generation;
	s.channel_binding.data = (uint8_t *)j->binding;
	s.channel_binding.len = 32;
	return store_put_pb(srv.store, txn, STORE_SESSIONS, key, 32, &s.base);
}

static void make_session(uint8_t token[AUTH_TOKEN_LEN], const char *user, uint64_t created,
                         uint64_t last_used, uint64_t generation)
{
	struct session_job j = {.user = user,
	                        .created = created,
	                        .last_used = last_used,
	                        .generation = generation,
	                        .binding = binding_a};

	assert_int_equal(auth_token_new(j.token), 0);
	assert_int_equal(writer_submit(srv.writer, session_fn, &j), 0);
	memcpy(token, j.token, AUTH_TOKEN_LEN);
}

static Pmif__SessionRecord *get_session(const uint8_t token[AUTH_TOKEN_LEN])
{
	uint8_t key[32];
	MDB_txn *txn;
	ProtobufCMessage *m = NULL;
	int rc;

	auth_token_hash(token, AUTH_TOKEN_LEN, key);
	assert_int_equal(store_read_begin(srv.store, &txn), 0);
	rc = store_get_pb(srv.store, txn, STORE_SESSIONS, key, 32,
	                  &pmif__session_record__descriptor, NULL, &m);
	mdb_txn_abort(txn);
	return rc == 0 ? (Pmif__SessionRecord *)m : NULL;
}

static Pmif__UserRecord *get_user(const char *name)
{
	MDB_txn *txn;
	ProtobufCMessage *m = NULL;
	int rc;

	assert_int_equal(store_read_begin(srv.store, &txn), 0);
	rc = store_get_pb(srv.store, txn, STORE_USERS, name, strlen(name),
	                  &pmif__user_record__descriptor, NULL, &m);
	mdb_txn_abort(txn);
	return rc == 0 ? (Pmif__UserRecord *)m : NULL;
}

/* Audit entries for @p method (and @p key, if not NULL); the last one's
 * code in *last_code. */
static int count_audit(const char *method, const char *key, int *last_code)
{
	MDB_txn *txn;
	MDB_cursor *cur;
	MDB_val k, v;
	int n = 0;

	assert_int_equal(store_read_begin(srv.store, &txn), 0);
	assert_int_equal(mdb_cursor_open(txn, srv.store->dbi[STORE_AUDIT], &cur), 0);
	for (int rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Pmif__AuditEntry *e = pmif__audit_entry__unpack(NULL, v.mv_size, v.mv_data);

		assert_non_null(e);
		if (strcmp(e->method, method) == 0 && (key == NULL || strcmp(e->key, key) == 0)) {
			n++;
			if (last_code)
				*last_code = e->code;
		}
		pmif__audit_entry__free_unpacked(e, NULL);
	}
	mdb_cursor_close(cur);
	mdb_txn_abort(txn);
	return n;
}

static uint64_t audit_total(void)
{
	MDB_txn *txn;
	MDB_stat st;

	assert_int_equal(store_read_begin(srv.store, &txn), 0);
	assert_int_equal(mdb_stat(txn, srv.store->dbi[STORE_AUDIT], &st), 0);
	mdb_txn_abort(txn);
	return st.ms_entries;
}

static int group_setup(void **state)
{
	MDB_txn *txn;

	(void)state;
	log_set_quiet(1);
	memset(binding_a, 0x11, sizeof(binding_a));
	memset(binding_b, 0x22, sizeof(binding_b));
	fixture_store_make(&fs, "dispatch");
	srv.store = fs.store;
	assert_int_equal(auth_init(2), 0);
	assert_int_equal(throttle_new(0, &srv.throttle), 0);
	/* the table is checked by test_rpc_table; a method still without an
	 * entry here is simply refused, which these tests do not call */
	(void)rpc_table_init();
	assert_non_null(rpc_method_at(0));

	assert_int_equal(auth_password_hash(PASSWORD, &pw), 0);
	assert_int_equal(mdb_txn_begin(srv.store->env, NULL, 0, &txn), 0);
	put_user_txn(txn, "root", PMIF__ROLE__ADMIN, NULL);
	put_user_txn(txn, "mem", PMIF__ROLE__MEMBER, NULL);
	put_user_txn(txn, "victim", PMIF__ROLE__MEMBER, NULL);
	put_user_txn(txn, "officer", PMIF__ROLE__DIRECTORATE, "CAF");
	put_user_txn(txn, "clock", PMIF__ROLE__MEMBER, NULL);
	assert_int_equal(mdb_txn_commit(txn), 0);

	memset(srv.static_priv, 0x33, sizeof(srv.static_priv));
	assert_int_equal(auth_rebind_key(srv.static_priv, srv.rebind_key), 0);
	srv.session_idle = 1800;
	srv.session_absolute = 43200;
	srv.started = time(NULL);
	srv.workers = 1;
	assert_int_equal(writer_start(srv.store, 64, &srv.writer), 0);
	dispatch_worker_init(&worker, &srv);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	dispatch_worker_release(&worker);
	writer_stop(srv.writer);
	throttle_free(srv.throttle);
	fixture_store_remove(&fs); /* srv.store too */
	return 0;
}

/* ---- calling ------------------------------------------------------------ */

static unsigned method_index(const char *name)
{
	const ProtobufCMethodDescriptor *d =
	    protobuf_c_service_descriptor_get_method_by_name(svc, name);

	assert_non_null(d);
	return (unsigned)(d - svc->methods);
}

struct reply {
	uint8_t *raw;
	size_t len;
	Pmif__Reply *r;
	struct dispatch_result res;
};

static void reply_free(struct reply *rep)
{
	if (rep->r)
		pmif__reply__free_unpacked(rep->r, NULL);
	free(rep->raw);
	memset(rep, 0, sizeof(*rep));
}

/* Hand @p req (@p len bytes) to the dispatcher; the reply must decode. */
static void dispatch_raw(const uint8_t *binding, const uint8_t *req, size_t len, struct reply *rep)
{
	memset(rep, 0, sizeof(*rep));
	dispatch_request(&worker, binding, req, len, NULL, &rep->raw, &rep->len, &rep->res);
	assert_non_null(rep->raw);
	rep->r = pmif__reply__unpack(NULL, rep->len, rep->raw);
	assert_non_null(rep->r);
	if (rep->res.code != (int)rep->r->code) {
		log_mismatches++;
		snprintf(log_mismatch_note, sizeof(log_mismatch_note),
		         "%s answered code %d (%s) but its log line says code %d", rep->res.method,
		         rep->r->code, rep->r->message, rep->res.code);
	}
	assert_non_null(rep->res.method);
	if (rep->r->code != PMIF__CODE__OK)
		assert_true(rep->r->message != NULL && rep->r->message[0] != '\0');
}

/* Build a Request for @p method and dispatch it. */
static void call(unsigned method, const uint8_t *token, size_t token_len, const uint8_t *rid,
                 const ProtobufCMessage *in, const uint8_t *binding, struct reply *rep)
{
	Pmif__Request req = PMIF__REQUEST__INIT;
	uint8_t *body = NULL, *packed;
	size_t len;

	req.method = method;
	if (rid) {
		req.request_id.data = (uint8_t *)rid;
		req.request_id.len = 16;
	}
	if (token) {
		req.token.data = (uint8_t *)token;
		req.token.len = token_len;
	}
	if (in) {
		req.body.len = protobuf_c_message_get_packed_size(in);
		body = malloc(req.body.len + 1);
		assert_non_null(body);
		protobuf_c_message_pack(in, body);
		req.body.data = body;
	}
	len = pmif__request__get_packed_size(&req);
	packed = malloc(len + 1);
	assert_non_null(packed);
	pmif__request__pack(&req, packed);
	dispatch_raw(binding, packed, len, rep);
	free(packed);
	free(body);
}

static void call_named(const char *method, const uint8_t *token, const uint8_t *rid,
                       const ProtobufCMessage *in, const uint8_t *binding, struct reply *rep)
{
	call(method_index(method), token, token ? AUTH_TOKEN_LEN : 0, rid, in, binding, rep);
}

/* Unpack the reply body as @p method's output (caller frees). */
static ProtobufCMessage *body_as(const char *method, const struct reply *rep)
{
	const ProtobufCMethodDescriptor *d =
	    protobuf_c_service_descriptor_get_method_by_name(svc, method);
	ProtobufCMessage *m;

	assert_int_equal(rep->r->code, PMIF__CODE__OK);
	m = protobuf_c_message_unpack(d->output, NULL, rep->r->body.len, rep->r->body.data);
	assert_non_null(m);
	return m;
}

static void expect_code(const struct reply *rep, Pmif__Code code)
{
	if (rep->r->code != code)
		fail_msg("%s: expected code %d, got %d (%s)", rep->res.method, code, rep->r->code,
		         rep->r->message);
}

static void login_root(void)
{
	Pmif__LoginRequest in = PMIF__LOGIN_REQUEST__INIT;
	Pmif__LoginReply *out;
	struct reply rep;

	if (root_logged_in)
		return;
	in.user = "root";
	in.password = PASSWORD;
	call_named("Login", NULL, NULL, &in.base, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__OK);
	out = (Pmif__LoginReply *)body_as("Login", &rep);
	assert_int_equal(out->token.len, AUTH_TOKEN_LEN);
	memcpy(root_token, out->token.data, AUTH_TOKEN_LEN);
	/* the rebind secret is the one derived from the server key and the token */
	{
		uint8_t th[32], want[PMIF_REBIND_LEN];

		auth_token_hash(root_token, AUTH_TOKEN_LEN, th);
		assert_int_equal(auth_rebind_secret(srv.rebind_key, th, want), 0);
		assert_int_equal(out->rebind_secret.len, PMIF_REBIND_LEN);
		assert_memory_equal(out->rebind_secret.data, want, PMIF_REBIND_LEN);
	}
	pmif__login_reply__free_unpacked(out, NULL);
	reply_free(&rep);
	root_logged_in = 1;
}

/* ---- tests -------------------------------------------------------------- */

static void test_garbage_request(void **state)
{
	static const uint8_t junk[][8] = {
	    {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, /* a varint that never ends */
	    {0x22, 0x7f, 0x00},                               /* body longer than the buffer */
	    {0x0f},                                           /* wire type 7 */
	    {0x08},                                           /* tag with no value */
	};
	static const size_t junk_len[] = {8, 3, 1, 1};
	uint64_t audited = audit_total();
	struct reply rep;

	(void)state;
	for (size_t i = 0; i < sizeof(junk_len) / sizeof(junk_len[0]); i++) {
		dispatch_raw(binding_a, junk[i], junk_len[i], &rep);
		expect_code(&rep, PMIF__CODE__INVALID_ARGUMENT);
		assert_int_equal(rep.r->body.len, 0);
		reply_free(&rep);
	}
	/* a valid envelope whose body is not the method's input */
	{
		Pmif__Request req = PMIF__REQUEST__INIT;
		uint8_t packed[64], bad_body[] = {0x0a, 0x50, 'x'};
		size_t len;

		req.method = method_index("UserShow");
		req.body.data = bad_body;
		req.body.len = sizeof(bad_body);
		len = pmif__request__pack(&req, packed);
		dispatch_raw(binding_a, packed, len, &rep);
		expect_code(&rep, PMIF__CODE__INVALID_ARGUMENT);
		reply_free(&rep);
	}
	/* seeded random requests: always a decodable reply, never a change */
	srand(1234);
	for (int i = 0; i < 3000; i++) {
		uint8_t buf[96];
		size_t len = (size_t)rand() % sizeof(buf);
		Pmif__Request *peek;
		int hashes = 0;

		for (size_t k = 0; k < len; k++)
			buf[k] = (uint8_t)rand();
		if (i % 2 && len > 2) {
			/* often a real method number up front */
			buf[0] = 0x08;
			buf[1] = (uint8_t)(rand() % 16);
		}
		/* skip what would run scrypt: that is not garbage's cost to test */
		peek = pmif__request__unpack(NULL, len, buf);
		if (peek) {
			const struct rpc_method *m = rpc_method_at(peek->method);
			hashes = m && m->prepare;
			pmif__request__free_unpacked(peek, NULL);
		}
		if (hashes)
			continue;
		dispatch_raw(binding_a, buf, len, &rep);
		reply_free(&rep);
	}
	assert_int_equal(audit_total(), audited);
}

static void test_unknown_method(void **state)
{
	static const unsigned bad[] = {0, 999, 256, 0x7fffffff, 0xffffffff};
	struct reply rep;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		unsigned m = i == 0 ? svc->n_methods : bad[i];

		call(m, NULL, 0, NULL, NULL, binding_a, &rep);
		expect_code(&rep, PMIF__CODE__UNIMPLEMENTED);
		reply_free(&rep);
	}
}

static void test_body_too_large(void **state)
{
	Pmif__Request req = PMIF__REQUEST__INIT;
	uint8_t body[65] = {0}, packed[128];
	size_t len;
	struct reply rep;

	(void)state;
	/* Health takes at most 64 bytes; the size is checked before decoding
	 * and before any session is looked at */
	req.method = method_index("Health");
	req.body.data = body;
	req.body.len = sizeof(body);
	len = pmif__request__pack(&req, packed);
	dispatch_raw(binding_a, packed, len, &rep);
	expect_code(&rep, PMIF__CODE__INVALID_ARGUMENT);
	assert_non_null(strstr(rep.r->message, "65 bytes"));
	reply_free(&rep);
	req.method = method_index("WhoAmI");
	len = pmif__request__pack(&req, packed);
	dispatch_raw(binding_a, packed, len, &rep);
	expect_code(&rep, PMIF__CODE__INVALID_ARGUMENT);
	reply_free(&rep);
	/* a Login body over its 2 KiB limit, so no password is checked */
	{
		Pmif__LoginRequest in = PMIF__LOGIN_REQUEST__INIT;
		char *big = malloc(3000);
		unsigned long long checks = auth_checks_run();

		assert_non_null(big);
		memset(big, 'p', 2999);
		big[2999] = '\0';
		in.user = "root";
		in.password = big;
		call_named("Login", NULL, NULL, &in.base, binding_a, &rep);
		expect_code(&rep, PMIF__CODE__INVALID_ARGUMENT);
		assert_int_equal(auth_checks_run(), checks);
		reply_free(&rep);
		free(big);
	}
}

static void test_health(void **state)
{
	struct reply rep;
	Pmif__HealthReply *h;

	(void)state;
	call_named("Health", NULL, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__OK);
	assert_string_equal(rep.res.method, "Health");
	h = (Pmif__HealthReply *)body_as("Health", &rep);
	assert_int_equal(h->schema_version, STORE_SCHEMA_VERSION);
	assert_string_equal(h->version, PMIF_VERSION);
	assert_int_equal(h->workers, 1);
	pmif__health_reply__free_unpacked(h, NULL);
	reply_free(&rep);
}

static void test_whoami_without_session(void **state)
{
	uint8_t token[AUTH_TOKEN_LEN];
	struct reply rep;

	(void)state;
	call_named("WhoAmI", NULL, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	assert_string_equal(rep.res.user, "");
	reply_free(&rep);
	/* a token of the wrong length, and a random one */
	assert_int_equal(auth_token_new(token), 0);
	call(method_index("WhoAmI"), token, 31, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	reply_free(&rep);
	call_named("WhoAmI", token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	reply_free(&rep);
}

static void test_login_and_binding(void **state)
{
	struct reply rep;
	Pmif__WhoAmIReply *who;
	Pmif__SessionRecord *s;
	int code = -1;

	(void)state;
	login_root();
	assert_int_equal(count_audit("Login", "user/root", &code), 1);
	assert_int_equal(code, PMIF__CODE__OK);
	/* the store keeps only the token's hash, bound to the channel */
	s = get_session(root_token);
	assert_non_null(s);
	assert_string_equal(s->user, "root");
	assert_int_equal(s->channel_binding.len, 32);
	assert_memory_equal(s->channel_binding.data, binding_a, 32);
	pmif__session_record__free_unpacked(s, NULL);

	call_named("WhoAmI", root_token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__OK);
	assert_string_equal(rep.res.user, "root");
	who = (Pmif__WhoAmIReply *)body_as("WhoAmI", &rep);
	assert_non_null(who->user);
	assert_string_equal(who->user->name, "root");
	assert_int_equal(who->user->role, PMIF__ROLE__ADMIN);
	assert_true(who->session_expires_unix == who->session_started_unix + 43200);
	pmif__who_am_ireply__free_unpacked(who, NULL);
	reply_free(&rep);

	/* the same token on another channel is refused... */
	call_named("WhoAmI", root_token, NULL, NULL, binding_b, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	reply_free(&rep);
	/* ...without harming the session on its own channel */
	call_named("WhoAmI", root_token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__OK);
	reply_free(&rep);
}

static void test_login_wrong_password(void **state)
{
	Pmif__LoginRequest in = PMIF__LOGIN_REQUEST__INIT;
	struct reply rep;
	int before = count_audit("Login", "user/mem", NULL), code = -1;

	(void)state;
	in.user = "mem";
	in.password = "not the password at all";
	call_named("Login", NULL, NULL, &in.base, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	assert_int_equal(rep.r->body.len, 0);
	reply_free(&rep);
	/* refused logins are audited */
	assert_int_equal(count_audit("Login", "user/mem", &code), before + 1);
	assert_int_equal(code, PMIF__CODE__UNAUTHENTICATED);
	/* an empty user name is refused without a password check */
	{
		unsigned long long checks = auth_checks_run();
		in.user = "";
		call_named("Login", NULL, NULL, &in.base, binding_a, &rep);
		expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
		assert_int_equal(auth_checks_run(), checks);
		reply_free(&rep);
	}
}

static void test_member_may_not_list_users(void **state)
{
	uint8_t token[AUTH_TOKEN_LEN];
	Pmif__UserName in = PMIF__USER_NAME__INIT;
	uint8_t rid[16] = {0x42};
	uint64_t audited;
	uint64_t now = (uint64_t)time(NULL);
	struct reply rep;

	(void)state;
	make_session(token, "mem", now, now, 1);
	call_named("WhoAmI", token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__OK);
	reply_free(&rep);
	call_named("UserList", token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__PERMISSION_DENIED);
	assert_string_equal(rep.res.user, "mem");
	assert_int_equal(rep.r->body.len, 0);
	reply_free(&rep);
	/* nor write: and a refused write changes nothing, audit included */
	audited = audit_total();
	in.name = "victim";
	call_named("UserDisable", token, rid, &in.base, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__PERMISSION_DENIED);
	reply_free(&rep);
	assert_int_equal(audit_total(), audited);
	{
		Pmif__UserRecord *u = get_user("victim");
		assert_false(u->disabled);
		pmif__user_record__free_unpacked(u, NULL);
	}
	/* a directorate officer may not either */
	make_session(token, "officer", now, now, 1);
	call_named("UserShow", token, NULL, &in.base, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__PERMISSION_DENIED);
	reply_free(&rep);
}

static void test_user_add_resent(void **state)
{
	static const uint8_t rid[16] = "add-newbie-0001";
	static const uint8_t rid2[16] = "add-newbie-0002";
	Pmif__UserAddRequest in = PMIF__USER_ADD_REQUEST__INIT;
	Pmif__UserPasswordReply *out;
	Pmif__UserRecord *u;
	struct reply first, second;

	(void)state;
	login_root();
	in.name = "newbie";
	in.role = PMIF__ROLE__MEMBER;
	in.password = "newbie's own password";
	call_named("UserAdd", root_token, rid, &in.base, binding_a, &first);
	expect_code(&first, PMIF__CODE__OK);
	out = (Pmif__UserPasswordReply *)body_as("UserAdd", &first);
	assert_string_equal(out->user->name, "newbie");
	assert_int_equal(out->user->role, PMIF__ROLE__MEMBER);
	assert_string_equal(out->one_time_password, "");
	pmif__user_password_reply__free_unpacked(out, NULL);

	/* the same request again: answered, not applied; its answer held a
	 * secret, so the documented note comes back instead of it */
	call_named("UserAdd", root_token, rid, &in.base, binding_a, &second);
	expect_code(&second, PMIF__CODE__ALREADY_EXISTS);
	assert_non_null(strstr(second.r->message, "already carried out"));
	assert_int_equal(second.r->body.len, 0);
	assert_int_equal(count_audit("UserAdd", "user/newbie", NULL), 1);
	u = get_user("newbie");
	assert_non_null(u);
	assert_int_equal(u->generation, 1);
	assert_false(u->must_change_password);
	pmif__user_record__free_unpacked(u, NULL);
	reply_free(&first);
	reply_free(&second);

	/* a new request for the same user is a conflict, not a second user */
	call_named("UserAdd", root_token, rid2, &in.base, binding_a, &second);
	expect_code(&second, PMIF__CODE__ALREADY_EXISTS);
	assert_null(strstr(second.r->message, "already carried out"));
	reply_free(&second);
	assert_int_equal(count_audit("UserAdd", "user/newbie", NULL), 1);
}

static void test_user_disable_resent_and_session_ends(void **state)
{
	static const uint8_t rid_dis[16] = "disable-victim-1";
	static const uint8_t rid_en[16] = "enable-victim-01";
	Pmif__UserName in = PMIF__USER_NAME__INIT;
	uint8_t victim_token[AUTH_TOKEN_LEN];
	uint64_t now = (uint64_t)time(NULL);
	struct reply first, second, rep;
	struct audit_report ar;
	MDB_txn *txn;
	Pmif__UserRecord *u;
	int code = -1;

	(void)state;
	login_root();
	make_session(victim_token, "victim", now, now, 1);
	call_named("WhoAmI", victim_token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__OK);
	reply_free(&rep);

	in.name = "victim";
	call_named("UserDisable", root_token, rid_dis, &in.base, binding_a, &first);
	expect_code(&first, PMIF__CODE__OK);
	call_named("UserDisable", root_token, rid_dis, &in.base, binding_a, &second);
	expect_code(&second, PMIF__CODE__OK);
	/* the resent request gets the first answer, byte for byte */
	assert_int_equal(second.len, first.len);
	assert_memory_equal(second.raw, first.raw, first.len);
	assert_int_equal(count_audit("UserDisable", "user/victim", &code), 1);
	assert_int_equal(code, PMIF__CODE__OK);
	u = get_user("victim");
	assert_true(u->disabled);
	assert_int_equal(u->generation, 2); /* bumped once, not twice */
	pmif__user_record__free_unpacked(u, NULL);
	reply_free(&first);
	reply_free(&second);

	/* the disabled user's next request is refused */
	call_named("WhoAmI", victim_token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	assert_non_null(strstr(rep.r->message, "disabled"));
	reply_free(&rep);

	/* enabling again does not revive the old session */
	call_named("UserEnable", root_token, rid_en, &in.base, binding_a, &first);
	expect_code(&first, PMIF__CODE__OK);
	call_named("UserEnable", root_token, rid_en, &in.base, binding_a, &second);
	assert_int_equal(second.len, first.len);
	assert_memory_equal(second.raw, first.raw, first.len);
	reply_free(&first);
	reply_free(&second);
	assert_int_equal(count_audit("UserEnable", "user/victim", NULL), 1);
	call_named("WhoAmI", victim_token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	reply_free(&rep);

	/* an admin cannot disable themself (and that is not audited) */
	in.name = "root";
	call_named("UserDisable", root_token, (const uint8_t *)"disable-myself-1", &in.base,
	           binding_a, &rep);
	expect_code(&rep, PMIF__CODE__FAILED_PRECONDITION);
	reply_free(&rep);
	assert_int_equal(count_audit("UserDisable", "user/root", NULL), 0);

	/* everything above left an intact chain */
	assert_int_equal(store_read_begin(srv.store, &txn), 0);
	assert_int_equal(audit_verify(srv.store, txn, &ar), 0);
	mdb_txn_abort(txn);
	assert_int_equal(ar.first_bad, 0);
	assert_true(ar.entries >= 4);
}

static void test_session_expiry(void **state)
{
	uint8_t token[AUTH_TOKEN_LEN];
	uint64_t now = (uint64_t)time(NULL);
	struct reply rep;

	(void)state;
	/* unused for longer than session_idle */
	make_session(token, "clock", now - 3600, now - 1802, 1);
	call_named("WhoAmI", token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	assert_non_null(strstr(rep.r->message, "expired"));
	reply_free(&rep);
	/* used recently, but older than session_absolute */
	make_session(token, "clock", now - 43202, now - 10, 1);
	call_named("WhoAmI", token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	assert_non_null(strstr(rep.r->message, "limit"));
	reply_free(&rep);
	/* of an older generation (password changed since) */
	make_session(token, "clock", now, now, 0);
	call_named("WhoAmI", token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	reply_free(&rep);
	/* of a user who no longer exists */
	make_session(token, "ghost", now, now, 1);
	call_named("WhoAmI", token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	reply_free(&rep);
}

static void test_session_touched(void **state)
{
	uint8_t token[AUTH_TOKEN_LEN];
	uint64_t now = (uint64_t)time(NULL);
	Pmif__SessionRecord *s;
	struct reply rep;

	(void)state;
	/* used 20 minutes ago: still valid, and now marked as used */
	make_session(token, "clock", now - 1200, now - 1200, 1);
	call_named("WhoAmI", token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__OK);
	reply_free(&rep);
	/* the touch is written behind the reply: give the writer a moment */
	for (int i = 0; i < 200; i++) {
		s = get_session(token);
		assert_non_null(s);
		if (s->last_used_unix >= now)
			break;
		pmif__session_record__free_unpacked(s, NULL);
		usleep(10000);
	}
	assert_true(s->last_used_unix >= now);
	assert_int_equal(s->created_unix, now - 1200);
	pmif__session_record__free_unpacked(s, NULL);
}

/* WhoAmI with @p token and the rebind proof @p proof (NULL: none) on
 * the channel @p binding. */
static void whoami_proved(const uint8_t *token, const uint8_t *proof, const uint8_t *binding,
                          struct reply *rep)
{
	Pmif__Request req = PMIF__REQUEST__INIT;
	uint8_t packed[256];

	req.method = method_index("WhoAmI");
	req.token.data = (uint8_t *)token;
	req.token.len = AUTH_TOKEN_LEN;
	if (proof) {
		req.binding_proof.data = (uint8_t *)proof;
		req.binding_proof.len = PMIF_REBIND_LEN;
	}
	assert_true(pmif__request__get_packed_size(&req) <= sizeof(packed));
	dispatch_raw(binding, packed, pmif__request__pack(&req, packed), rep);
}

/* The session's binding once the writer has caught up, compared with
 * @p want (waits up to 2 s for an asynchronous rebind). */
static int bound_to(const uint8_t token[AUTH_TOKEN_LEN], const uint8_t *want)
{
	for (int i = 0; i < 200; i++) {
		Pmif__SessionRecord *s = get_session(token);
		int same;

		assert_non_null(s);
		same =
		    s->channel_binding.len == 32 && memcmp(s->channel_binding.data, want, 32) == 0;
		pmif__session_record__free_unpacked(s, NULL);
		if (same)
			return 1;
		usleep(10000);
	}
	return 0;
}

/*
 * A session bound to channel A is used on channel B (a restart made the
 * client handshake again): refused without a proof or with a wrong one;
 * with the proof over B's handshake hash it is accepted and moved to B.
 */
static void test_session_rebind(void **state)
{
	uint8_t token[AUTH_TOKEN_LEN], th[32], secret[PMIF_REBIND_LEN], proof_a[PMIF_REBIND_LEN];
	uint8_t proof_b[PMIF_REBIND_LEN], bad[PMIF_REBIND_LEN];
	uint64_t now = (uint64_t)time(NULL);
	struct reply rep;

	(void)state;
	make_session(token, "clock", now, now, 1);
	auth_token_hash(token, sizeof(token), th);
	assert_int_equal(auth_rebind_secret(srv.rebind_key, th, secret), 0);
	assert_int_equal(pmif_rebind_proof(secret, binding_a, proof_a), 0);
	assert_int_equal(pmif_rebind_proof(secret, binding_b, proof_b), 0);

	/* no proof: today's refusal */
	whoami_proved(token, NULL, binding_b, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	assert_non_null(strstr(rep.r->message, "another connection"));
	assert_non_null(strstr(rep.r->message, "pmif login clock"));
	reply_free(&rep);
	/* the proof made for channel A does not move it to B */
	whoami_proved(token, proof_a, binding_b, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	assert_non_null(strstr(rep.r->message, "did not verify"));
	reply_free(&rep);
	/* nor does one made from a tampered secret */
	memcpy(bad, secret, sizeof(bad));
	bad[31] ^= 0x80;
	assert_int_equal(pmif_rebind_proof(bad, binding_b, bad), 0);
	whoami_proved(token, bad, binding_b, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	reply_free(&rep);
	assert_true(bound_to(token, binding_a));

	/* the right proof: accepted, and the session moves to B */
	whoami_proved(token, proof_b, binding_b, &rep);
	expect_code(&rep, PMIF__CODE__OK);
	assert_string_equal(rep.res.user, "clock");
	reply_free(&rep);
	assert_true(bound_to(token, binding_b));
	whoami_proved(token, NULL, binding_b, &rep);
	expect_code(&rep, PMIF__CODE__OK);
	reply_free(&rep);
	/* ...and the token alone no longer works on A */
	whoami_proved(token, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	reply_free(&rep);

	/* a proof does not revive an expired session, nor move it */
	make_session(token, "clock", now - 3600, now - 1802, 1);
	auth_token_hash(token, sizeof(token), th);
	assert_int_equal(auth_rebind_secret(srv.rebind_key, th, secret), 0);
	assert_int_equal(pmif_rebind_proof(secret, binding_b, proof_b), 0);
	whoami_proved(token, proof_b, binding_b, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	assert_non_null(strstr(rep.r->message, "expired"));
	reply_free(&rep);
	usleep(100000);
	assert_true(bound_to(token, binding_a));
}

static void test_logout(void **state)
{
	uint8_t token[AUTH_TOKEN_LEN];
	uint64_t now = (uint64_t)time(NULL);
	struct reply rep;
	Pmif__SessionRecord *s;

	(void)state;
	make_session(token, "clock", now, now, 1);
	call_named("Logout", token, (const uint8_t *)"logout-clock-001", NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__OK);
	reply_free(&rep);
	s = get_session(token);
	assert_null(s);
	assert_int_equal(count_audit("Logout", "user/clock", NULL), 1);
	call_named("WhoAmI", token, NULL, NULL, binding_a, &rep);
	expect_code(&rep, PMIF__CODE__UNAUTHENTICATED);
	reply_free(&rep);
}

/*
 * The request log line (dispatch_result.code) says what the client was
 * answered.  dispatch.c sets code 0 for every resent write answered from
 * the request-id cache, though the redacted answer to a resent UserAdd or
 * UserResetPassword is ALREADY_EXISTS.
 */
static void test_log_line_codes_match_replies(void **state)
{
	(void)state;
	if (log_mismatches)
		fail_msg("%d replies were logged with another code; last: %s", log_mismatches,
		         log_mismatch_note);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_garbage_request),
	    cmocka_unit_test(test_unknown_method),
	    cmocka_unit_test(test_body_too_large),
	    cmocka_unit_test(test_health),
	    cmocka_unit_test(test_whoami_without_session),
	    cmocka_unit_test(test_login_and_binding),
	    cmocka_unit_test(test_login_wrong_password),
	    cmocka_unit_test(test_member_may_not_list_users),
	    cmocka_unit_test(test_user_add_resent),
	    cmocka_unit_test(test_user_disable_resent_and_session_ends),
	    cmocka_unit_test(test_session_expiry),
	    cmocka_unit_test(test_session_touched),
	    cmocka_unit_test(test_session_rebind),
	    cmocka_unit_test(test_logout),
	    cmocka_unit_test(test_log_line_codes_match_replies),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
