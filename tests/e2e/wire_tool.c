/*
 * wire_tool.c - pmif-wire: speaks the PMIF wire protocol by hand, for the
 * end-to-end tests of what a well-behaved pmif never does.
 *
 *   pmif-wire garbage URL                  malformed and oversized messages
 *   pmif-wire replay URL FP USER           (password on stdin) log in, send a
 *                                          write, then replay / alter / cut it
 *   pmif-wire bruteforce URL FP USER N     N wrong-password logins, counted
 *   pmif-wire token STATEFILE              the session token in a pmif state file
 *   pmif-wire stolen URL FP TOKENHEX       present a token on a new channel
 *   pmif-wire resend URL FP USER MEASURE PERIOD VALUE
 *                                          (password on stdin) one ValueSet sent
 *                                          twice with the same request id
 *   pmif-wire tamper DATADIR SEQ           alter audit entry SEQ in the store
 *
 * Output is one "key=value" or "item: outcome" line per step for the test
 * scripts to check.  Exit 0 when the tool itself worked, 1 otherwise.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lmdb.h>
#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>
#include <openssl/rand.h>

#include "error.h"
#include "frame.h"
#include "noise.h"
#include "pbjson.h"
#include "pmif.pb-c.h"
#include "store.pb-c.h"

struct chan {
	int sock;
	uint64_t id;
	struct pmif_noise_cipher tx, rx;
	uint64_t next;
	uint8_t token[64];
	size_t token_len;
};

static int open_sock(const char *url, int timeout_ms)
{
	int s = nn_socket(AF_SP, NN_REQ), resend = 600000, max = PMIF_FRAME_MAX;

	if (s < 0)
		return -1;
	nn_setsockopt(s, NN_REQ, NN_REQ_RESEND_IVL, &resend, sizeof(resend));
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, &max, sizeof(max));
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &timeout_ms, sizeof(int));
	nn_setsockopt(s, NN_SOL_SOCKET, NN_SNDTIMEO, &timeout_ms, sizeof(int));
	if (nn_connect(s, url) < 0) {
		nn_close(s);
		return -1;
	}
	return s;
}

/* Send, receive; describe the answer in @p what. Returns bytes or -1. */
static int roundtrip(int s, const void *buf, size_t len, uint8_t **reply, char *what, size_t cap)
{
	int n;

	if (nn_send(s, buf, len, 0) < 0) {
		snprintf(what, cap, "send failed (%s)", nn_strerror(nn_errno()));
		return -1;
	}
	n = nn_recv(s, reply, NN_MSG, 0);
	if (n < 0) {
		snprintf(what, cap, "no answer");
		return -1;
	}
	{
		struct pmif_frame f;
		if (pmif_frame_decode(*reply, (size_t)n, &f) != 0)
			snprintf(what, cap, "undecodable answer");
		else if (f.type == PMIF_FRAME_REFUSED)
			snprintf(what, cap, "refused(%d): %.*s", f.len ? f.payload[0] : 0,
			         (int)(f.len > 1 ? f.len - 1 : 0), f.payload + 1);
		else
			snprintf(what, cap, "frame type %d", f.type);
	}
	return n;
}

static int garbage(const char *url)
{
	uint8_t *big = calloc(1, PMIF_FRAME_MAX + (1u << 20)), buf[256], hdr[PMIF_FRAME_HEADER];
	struct {
		const char *name;
		size_t len;
	} items[] = {{"empty", 0},      {"one byte", 1},     {"random 19", 19},
	             {"random 20", 20}, {"random 100", 100}, {"random 65536", 65536}};
	char what[256];

	if (big == NULL)
		return 1;
	RAND_bytes(big, 65536);
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		int s = open_sock(url, 1500);
		uint8_t *reply = NULL;
		if (roundtrip(s, big, items[i].len, &reply, what, sizeof(what)) >= 0)
			nn_freemsg(reply);
		printf("%s: %s\n", items[i].name, what);
		nn_close(s);
	}
	/* well-formed headers with bad contents */
	struct {
		const char *name;
		int type, version;
		size_t payload;
	} frames[] = {{"bad version", PMIF_FRAME_HELLO, 9, 32},
	              {"bad type", 77, PMIF_FRAME_VERSION, 32},
	              {"short hello", PMIF_FRAME_HELLO, PMIF_FRAME_VERSION, 31},
	              {"long hello", PMIF_FRAME_HELLO, PMIF_FRAME_VERSION, 33},
	              {"data unknown channel", PMIF_FRAME_DATA, PMIF_FRAME_VERSION, 100},
	              {"data too short", PMIF_FRAME_DATA, PMIF_FRAME_VERSION, 3},
	              {"welcome to server", PMIF_FRAME_WELCOME, PMIF_FRAME_VERSION, 80}};
	for (size_t i = 0; i < sizeof(frames) / sizeof(frames[0]); i++) {
		int s = open_sock(url, 1500);
		uint8_t *reply = NULL;

		pmif_frame_header(hdr, PMIF_FRAME_HELLO, 12345, 0);
		hdr[2] = (uint8_t)frames[i].version;
		hdr[3] = (uint8_t)frames[i].type;
		memcpy(buf, hdr, sizeof(hdr));
		RAND_bytes(buf + sizeof(hdr), (int)frames[i].payload);
		if (roundtrip(s, buf, sizeof(hdr) + frames[i].payload, &reply, what,
		              sizeof(what)) >= 0)
			nn_freemsg(reply);
		printf("%s: %s\n", frames[i].name, what);
		nn_close(s);
	}
	/* larger than NN_RCVMAXSIZE: the server drops the connection */
	{
		int s = open_sock(url, 1500);
		uint8_t *reply = NULL;
		pmif_frame_header(big, PMIF_FRAME_DATA, 1, 1);
		if (roundtrip(s, big, PMIF_FRAME_MAX + (1u << 20), &reply, what, sizeof(what)) >= 0)
			nn_freemsg(reply);
		printf("oversized: %s\n", what);
		nn_close(s);
	}
	free(big);
	return 0;
}

static int handshake(struct chan *c, const char *url, const char *fp_expected)
{
	struct pmif_noise_handshake *hs = NULL;
	uint8_t out[PMIF_FRAME_HEADER + 64], *reply = NULL, rs[32];
	char fp[PMIF_FINGERPRINT_LEN], what[256];
	struct pmif_frame f;
	size_t n;
	int len;

	memset(c, 0, sizeof(*c));
	c->sock = open_sock(url, 10000);
	if (c->sock < 0)
		return -1;
	pmif_noise_handshake_new(&hs, PMIF_NOISE_NX, 1, (const uint8_t *)PMIF_NOISE_PROLOGUE,
	                         strlen(PMIF_NOISE_PROLOGUE), NULL, NULL, NULL);
	pmif_noise_handshake_write(hs, NULL, 0, out + PMIF_FRAME_HEADER, 64, &n);
	pmif_frame_header(out, PMIF_FRAME_HELLO, 0, 0);
	len = roundtrip(c->sock, out, PMIF_FRAME_HEADER + n, &reply, what, sizeof(what));
	if (len < 0 || pmif_frame_decode(reply, (size_t)len, &f) != 0 ||
	    f.type != PMIF_FRAME_WELCOME ||
	    pmif_noise_handshake_read(hs, f.payload, f.len, NULL, 0, &n) != 0 ||
	    pmif_noise_handshake_remote_static(hs, rs) != 0) {
		fprintf(stderr, "handshake failed: %s\n", what);
		return -1;
	}
	pmif_key_fingerprint(rs, fp);
	if (strcmp(fp, fp_expected) != 0) {
		fprintf(stderr, "server key %s is not the expected %s\n", fp, fp_expected);
		return -1;
	}
	c->id = f.channel;
	pmif_noise_handshake_split(hs, &c->tx, &c->rx, NULL);
	pmif_noise_handshake_free(hs);
	nn_freemsg(reply);
	return 0;
}

/* Seal a request for @p method into a malloc'd frame. */
static uint8_t *seal_request(struct chan *c, const char *method, const ProtobufCMessage *in,
                             size_t *flen)
{
	const ProtobufCServiceDescriptor *svc = &pmif__pmif__descriptor;
	const ProtobufCMethodDescriptor *m =
	    protobuf_c_service_descriptor_get_method_by_name(svc, method);
	Pmif__Request req = PMIF__REQUEST__INIT;
	uint8_t rid[16], body[4096], packed[8192], *frame;
	size_t plen;

	RAND_bytes(rid, sizeof(rid));
	req.method = (uint32_t)(m - svc->methods);
	req.request_id.data = rid;
	req.request_id.len = 16;
	req.token.data = c->token;
	req.token.len = c->token_len;
	req.body.len = protobuf_c_message_pack(in, body);
	req.body.data = body;
	plen = pmif__request__pack(&req, packed);
	*flen = pmif_frame_sealed_size(plen);
	frame = malloc(*flen);
	pmif_frame_seal(&c->tx, c->id, c->next++, packed, plen, frame, *flen, flen);
	return frame;
}

/* Send a sealed frame; on a DATA answer decode the Reply. */
static Pmif__Reply *send_frame(struct chan *c, const uint8_t *frame, size_t flen, char *what,
                               size_t cap)
{
	uint8_t *reply = NULL, pt[65536];
	struct pmif_frame f;
	size_t ptlen;
	Pmif__Reply *r = NULL;
	int n = roundtrip(c->sock, frame, flen, &reply, what, cap);

	if (n < 0)
		return NULL;
	if (pmif_frame_decode(reply, (size_t)n, &f) == 0 && f.type == PMIF_FRAME_DATA &&
	    pmif_frame_open(&c->rx, &f, pt, sizeof(pt), &ptlen) == 0) {
		r = pmif__reply__unpack(NULL, ptlen, pt);
		if (r)
			snprintf(what, cap, "reply code=%d %s", r->code, r->message);
	}
	nn_freemsg(reply);
	return r;
}

static Pmif__Reply *call(struct chan *c, const char *method, const ProtobufCMessage *in, char *what,
                         size_t cap)
{
	size_t flen;
	uint8_t *frame = seal_request(c, method, in, &flen);
	Pmif__Reply *r = send_frame(c, frame, flen, what, cap);

	free(frame);
	return r;
}

static int login(struct chan *c, const char *user, const char *password, char *what, size_t cap)
{
	Pmif__LoginRequest in = PMIF__LOGIN_REQUEST__INIT;
	Pmif__Reply *r;
	int code;

	in.user = (char *)user;
	in.password = (char *)password;
	r = call(c, "Login", &in.base, what, cap);
	if (r == NULL)
		return -1;
	code = r->code;
	if (code == 0) {
		Pmif__LoginReply *lr = pmif__login_reply__unpack(NULL, r->body.len, r->body.data);
		memcpy(c->token, lr->token.data, lr->token.len);
		c->token_len = lr->token.len;
		pmif__login_reply__free_unpacked(lr, NULL);
	}
	pmif__reply__free_unpacked(r, NULL);
	return code;
}

static int replay(const char *url, const char *fp, const char *user)
{
	struct chan c;
	char password[1100], what[512];
	Pmif__UserAddRequest add = PMIF__USER_ADD_REQUEST__INIT;
	Pmif__Reply *r;
	uint8_t *frame;
	size_t flen;
	char name[32];

	if (fgets(password, sizeof(password), stdin) == NULL)
		return 1;
	password[strcspn(password, "\r\n")] = '\0';
	if (handshake(&c, url, fp) != 0 || login(&c, user, password, what, sizeof(what)) != 0) {
		fprintf(stderr, "login failed: %s\n", what);
		return 1;
	}
	snprintf(name, sizeof(name), "replayed%u", (unsigned)rand() % 100000);
	add.name = name;
	add.role = PMIF__ROLE__MEMBER;
	frame = seal_request(&c, "UserAdd", &add.base, &flen);
	r = send_frame(&c, frame, flen, what, sizeof(what));
	printf("original: %s\n", what);
	if (r)
		pmif__reply__free_unpacked(r, NULL);
	/* the same bytes again, on the same and on a fresh socket */
	r = send_frame(&c, frame, flen, what, sizeof(what));
	printf("replay same socket: %s\n", what);
	if (r)
		pmif__reply__free_unpacked(r, NULL);
	{
		int s = open_sock(url, 3000);
		uint8_t *reply = NULL;
		if (roundtrip(s, frame, flen, &reply, what, sizeof(what)) >= 0)
			nn_freemsg(reply);
		printf("replay new socket: %s\n", what);
		nn_close(s);
	}
	free(frame);
	/* a fresh frame with one bit flipped in the ciphertext */
	frame = seal_request(&c, "UserAdd", &add.base, &flen);
	frame[flen - 20] ^= 0x01;
	r = send_frame(&c, frame, flen, what, sizeof(what));
	printf("bit flipped: %s\n", what);
	if (r)
		pmif__reply__free_unpacked(r, NULL);
	/* and one cut short */
	r = send_frame(&c, frame, flen - 7, what, sizeof(what));
	printf("truncated: %s\n", what);
	if (r)
		pmif__reply__free_unpacked(r, NULL);
	free(frame);
	/* the channel still works for an honest frame */
	{
		Pmif__Empty e = PMIF__EMPTY__INIT;
		r = call(&c, "WhoAmI", &e.base, what, sizeof(what));
		printf("honest after: %s\n", what);
		if (r)
			pmif__reply__free_unpacked(r, NULL);
	}
	printf("user=%s\n", name);
	nn_close(c.sock);
	return 0;
}

static int bruteforce(const char *url, const char *fp, const char *user, int n)
{
	struct chan c;
	char what[512], pw[64];
	int checked = 0, throttled = 0, other = 0;

	if (handshake(&c, url, fp) != 0)
		return 1;
	for (int i = 0; i < n; i++) {
		snprintf(pw, sizeof(pw), "wrong-password-%d", i);
		login(&c, user, pw, what, sizeof(what));
		if (strstr(what, "wrong user name or password"))
			checked++;
		else if (strstr(what, "too many failed logins"))
			throttled++;
		else
			other++;
	}
	printf("checked=%d throttled=%d other=%d\n", checked, throttled, other);
	nn_close(c.sock);
	return 0;
}

static int token(const char *path)
{
	uint8_t buf[4096];
	char hex[200];
	FILE *f = fopen(path, "rb");
	size_t n;
	Pmif__ClientState *s;

	if (f == NULL)
		return 1;
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	s = pmif__client_state__unpack(NULL, n, buf);
	if (s == NULL || s->token.len == 0 || s->token.len > 64)
		return 1;
	pmif_hex(s->token.data, s->token.len, hex);
	printf("%s\n", hex);
	pmif__client_state__free_unpacked(s, NULL);
	return 0;
}

static int resend(char **argv)
{
	struct chan c;
	char password[1100], what[512], what2[512];
	Pmif__ValueSetRequest in = PMIF__VALUE_SET_REQUEST__INIT;
	const ProtobufCServiceDescriptor *svc = &pmif__pmif__descriptor;
	Pmif__Request req = PMIF__REQUEST__INIT;
	uint8_t rid[16], body[4096], packed[8192];
	size_t plen;
	Pmif__Reply *r1, *r2;

	if (fgets(password, sizeof(password), stdin) == NULL)
		return 1;
	password[strcspn(password, "\r\n")] = '\0';
	if (handshake(&c, argv[2], argv[3]) != 0 ||
	    login(&c, argv[4], password, what, sizeof(what)) != 0)
		return 1;
	in.measure = argv[5];
	in.period = argv[6];
	in.value = atof(argv[7]);
	in.locality = "";
	in.note = "resent";
	RAND_bytes(rid, sizeof(rid));
	req.method = (uint32_t)(protobuf_c_service_descriptor_get_method_by_name(svc, "ValueSet") -
	                        svc->methods);
	req.request_id.data = rid;
	req.request_id.len = 16;
	req.token.data = c.token;
	req.token.len = c.token_len;
	req.body.len = pmif__value_set_request__pack(&in, body);
	req.body.data = body;
	plen = pmif__request__pack(&req, packed);
	/* the same request, twice, each in its own frame (its own nonce) */
	for (int i = 0; i < 2; i++) {
		size_t flen = pmif_frame_sealed_size(plen);
		uint8_t *frame = malloc(flen);
		pmif_frame_seal(&c.tx, c.id, c.next++, packed, plen, frame, flen, &flen);
		if (i == 0)
			r1 = send_frame(&c, frame, flen, what, sizeof(what));
		else
			r2 = send_frame(&c, frame, flen, what2, sizeof(what2));
		free(frame);
	}
	printf("first: %s\nsecond: %s\n", what, what2);
	printf("same reply: %s\n",
	       r1 && r2 && r1->body.len == r2->body.len &&
	               memcmp(r1->body.data, r2->body.data, r1->body.len) == 0 &&
	               r1->code == r2->code
	           ? "yes"
	           : "no");
	if (r1)
		pmif__reply__free_unpacked(r1, NULL);
	if (r2)
		pmif__reply__free_unpacked(r2, NULL);
	nn_close(c.sock);
	return 0;
}

static int tamper(const char *dir, uint64_t seq)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi dbi;
	MDB_val k, v;
	uint8_t key[8], buf[65536];
	Pmif__AuditEntry *e;
	size_t n;
	int rc;

	for (int i = 7; i >= 0; i--, seq >>= 8)
		key[i] = (uint8_t)seq;
	if (mdb_env_create(&env) != 0 || mdb_env_set_maxdbs(env, 64) != 0 ||
	    mdb_env_set_mapsize(env, (size_t)16 << 30) != 0 || mdb_env_open(env, dir, 0, 0600) != 0)
		return 1;
	rc = mdb_txn_begin(env, NULL, 0, &txn);
	if (rc == 0)
		rc = mdb_dbi_open(txn, "audit", 0, &dbi);
	k.mv_size = 8;
	k.mv_data = key;
	if (rc == 0)
		rc = mdb_get(txn, dbi, &k, &v);
	if (rc != 0) {
		fprintf(stderr, "no audit entry there: %s\n", mdb_strerror(rc));
		return 1;
	}
	e = pmif__audit_entry__unpack(NULL, v.mv_size, v.mv_data);
	if (e == NULL)
		return 1;
	{
		char *orig = e->detail;
		e->detail = "quietly rewritten";
		n = pmif__audit_entry__pack(e, buf);
		e->detail = orig;
		pmif__audit_entry__free_unpacked(e, NULL);
	}
	v.mv_size = n;
	v.mv_data = buf;
	rc = mdb_put(txn, dbi, &k, &v, 0);
	if (rc == 0)
		rc = mdb_txn_commit(txn);
	mdb_env_close(env);
	printf("tampered: %s\n", rc == 0 ? "yes" : mdb_strerror(rc));
	return rc != 0;
}

static int stolen(const char *url, const char *fp, const char *hex)
{
	struct chan c;
	Pmif__Empty e = PMIF__EMPTY__INIT;
	Pmif__Reply *r;
	char what[512];
	size_t len = strlen(hex) / 2;

	if (len == 0 || len > sizeof(c.token) || handshake(&c, url, fp) != 0)
		return 1;
	for (size_t i = 0; i < len; i++) {
		unsigned v;
		sscanf(hex + 2 * i, "%2x", &v);
		c.token[i] = (uint8_t)v;
	}
	c.token_len = len;
	r = call(&c, "WhoAmI", &e.base, what, sizeof(what));
	printf("stolen token: %s\n", what);
	if (r)
		pmif__reply__free_unpacked(r, NULL);
	nn_close(c.sock);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 8 && strcmp(argv[1], "resend") == 0)
		return resend(argv);
	if (argc == 4 && strcmp(argv[1], "tamper") == 0)
		return tamper(argv[2], strtoull(argv[3], NULL, 10));
	if (argc == 5 && strcmp(argv[1], "stolen") == 0)
		return stolen(argv[2], argv[3], argv[4]);
	if (argc == 3 && strcmp(argv[1], "garbage") == 0)
		return garbage(argv[2]);
	if (argc == 5 && strcmp(argv[1], "replay") == 0)
		return replay(argv[2], argv[3], argv[4]);
	if (argc == 6 && strcmp(argv[1], "bruteforce") == 0)
		return bruteforce(argv[2], argv[3], argv[4], atoi(argv[5]));
	if (argc == 3 && strcmp(argv[1], "token") == 0)
		return token(argv[2]);
	fprintf(stderr, "usage: pmif-wire garbage URL | replay URL FP USER | bruteforce URL FP "
	                "USER N | token STATEFILE | stolen URL FP TOKENHEX\n");
	return 2;
}
