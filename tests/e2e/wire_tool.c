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
 *   pmif-wire rules URL FP USER            (password on stdin) the wire rules of
 *                                          docs/SECURITY.md and docs/PROTOCOL.md,
 *                                          with frames sealed and opened by code
 *                                          written from the documents alone
 *
 * Output is one "key=value" or "item: outcome" line per step for the test
 * scripts to check.  Exit 0 when the tool itself worked, 1 otherwise.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lmdb.h>
#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
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
	uint8_t h[32]; /* handshake hash */
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
	pmif_noise_handshake_split(hs, &c->tx, &c->rx, c->h);
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

/* ------------------------------------------------------------------ rules
 *
 * The frame layout again, written from docs/SECURITY.md ("Frames, byte by
 * byte") without common/frame.c, so that what the documents say is what
 * the server does: each chunk i of n is ChaCha20-Poly1305 with the 96-bit
 * nonce 0x00000000 || le64(f * 4096 + i) and associated data = the 20-byte
 * header || be32(i) || be32(n).
 */
#define DOC_CHUNK 65519 /* plaintext bytes of a full chunk */
#define DOC_TAG   16

static void doc_be(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t doc_get_be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static int doc_aead(int enc, const uint8_t key[32], uint64_t n, const uint8_t ad[28],
                    const uint8_t *in, size_t len, uint8_t *out)
{
	EVP_CIPHER_CTX *x = EVP_CIPHER_CTX_new();
	uint8_t iv[12] = {0};
	int l, ok;

	for (int i = 0; i < 8; i++)
		iv[4 + i] = (uint8_t)(n >> (8 * i)); /* little-endian, after 4 zero bytes */
	ok = x && EVP_CipherInit_ex(x, EVP_chacha20_poly1305(), NULL, NULL, NULL, enc) &&
	     EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) &&
	     EVP_CipherInit_ex(x, NULL, NULL, key, iv, enc) &&
	     EVP_CipherUpdate(x, NULL, &l, ad, 28);
	if (ok && !enc)
		ok = EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_SET_TAG, DOC_TAG, (void *)(in + len));
	if (ok && len)
		ok = EVP_CipherUpdate(x, out, &l, in, (int)len);
	if (ok)
		ok = EVP_CipherFinal_ex(x, out + len, &l);
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(x, EVP_CTRL_AEAD_GET_TAG, DOC_TAG, out + len);
	EVP_CIPHER_CTX_free(x);
	return ok ? 0 : -1;
}

/* A DATA frame for @p pt on channel @p chan with frame counter @p f;
 * malloc'd, its length in *flen; *nchunks says how many chunks. */
static uint8_t *doc_seal(const uint8_t key[32], uint64_t chan, uint64_t f, const uint8_t *pt,
                         size_t len, size_t *flen, size_t *nchunks)
{
	size_t n = len == 0 ? 1 : (len + DOC_CHUNK - 1) / DOC_CHUNK, off = 20;
	uint8_t *out = malloc(20 + len + n * DOC_TAG), ad[28];

	if (out == NULL)
		return NULL;
	out[0] = 'P';
	out[1] = 'M';
	out[2] = 1;
	out[3] = 3;
	doc_be(out + 4, chan, 8);
	doc_be(out + 12, f, 8);
	memcpy(ad, out, 20);
	doc_be(ad + 24, n, 4);
	for (size_t i = 0; i < n; i++) {
		size_t part = len - i * DOC_CHUNK < DOC_CHUNK ? len - i * DOC_CHUNK : DOC_CHUNK;

		doc_be(ad + 20, i, 4);
		if (doc_aead(1, key, f * 4096 + i, ad, pt + i * DOC_CHUNK, part, out + off) != 0) {
			free(out);
			return NULL;
		}
		off += part + DOC_TAG;
	}
	*flen = off;
	*nchunks = n;
	return out;
}

/* Open the DATA frame @p fr: n from the payload length, every chunk but
 * the last 65,535 bytes.  malloc'd plaintext or NULL. */
static uint8_t *doc_open(const uint8_t key[32], const uint8_t *fr, size_t flen, size_t *ptlen)
{
	size_t plen = flen - 20, n = (plen + DOC_CHUNK + DOC_TAG - 1) / (DOC_CHUNK + DOC_TAG),
	       done = 0;
	uint64_t f = doc_get_be64(fr + 12);
	uint8_t *pt, ad[28];

	if (flen < 20 + DOC_TAG || plen - (n - 1) * (DOC_CHUNK + DOC_TAG) < DOC_TAG)
		return NULL;
	pt = malloc(plen);
	memcpy(ad, fr, 20);
	doc_be(ad + 24, n, 4);
	for (size_t i = 0; pt && i < n; i++) {
		size_t clen = i + 1 < n ? DOC_CHUNK + DOC_TAG : plen - i * (DOC_CHUNK + DOC_TAG);

		doc_be(ad + 20, i, 4);
		if (doc_aead(0, key, f * 4096 + i, ad, fr + 20 + i * (DOC_CHUNK + DOC_TAG),
		             clen - DOC_TAG, pt + done) != 0) {
			free(pt);
			return NULL;
		}
		done += clen - DOC_TAG;
	}
	*ptlen = done;
	return pt;
}

/* A packed Request (malloc'd): a fresh request id unless @p no_id. */
static uint8_t *doc_request(uint32_t method, const uint8_t *token, size_t tlen, const uint8_t *body,
                            size_t blen, const uint8_t *proof, bool no_id, size_t *len)
{
	Pmif__Request req = PMIF__REQUEST__INIT;
	uint8_t rid[16], *out;

	RAND_bytes(rid, sizeof(rid));
	req.method = method;
	if (!no_id) {
		req.request_id.data = rid;
		req.request_id.len = 16;
	}
	req.token.data = (uint8_t *)token;
	req.token.len = tlen;
	req.body.data = (uint8_t *)body;
	req.body.len = blen;
	if (proof) {
		req.binding_proof.data = (uint8_t *)proof;
		req.binding_proof.len = 32;
	}
	*len = pmif__request__get_packed_size(&req);
	out = malloc(*len ? *len : 1);
	if (out)
		pmif__request__pack(&req, out);
	return out;
}

static uint32_t doc_method(const char *name)
{
	const ProtobufCServiceDescriptor *svc = &pmif__pmif__descriptor;
	return (uint32_t)(protobuf_c_service_descriptor_get_method_by_name(svc, name) -
	                  svc->methods);
}

/* Send @p len bytes of @p buf on @p sock; describe the answer in @p what;
 * a DATA answer on @p c's channel is opened and its Reply returned. */
static Pmif__Reply *doc_probe(int sock, const struct chan *c, const uint8_t *buf, size_t len,
                              char *what, size_t cap)
{
	uint8_t *reply = NULL, *pt;
	uint64_t sent = len >= 12 ? doc_get_be64(buf + 4) : 0;
	Pmif__Reply *r = NULL;
	size_t ptlen;
	int n;

	if (nn_send(sock, buf, len, 0) < 0) {
		snprintf(what, cap, "send failed");
		return NULL;
	}
	if ((n = nn_recv(sock, &reply, NN_MSG, 0)) < 0) {
		snprintf(what, cap, "no answer");
		return NULL;
	}
	if (n < 20 || reply[0] != 'P' || reply[1] != 'M' || reply[2] != 1) {
		snprintf(what, cap, "undecodable answer");
	} else if (reply[3] == 4) {
		uint64_t ch = doc_get_be64(reply + 4), ctr = doc_get_be64(reply + 12);
		snprintf(what, cap, "refused(%d) channel=%s counter=%llu text='%.*s' textlen=%d%s",
		         n > 20 ? reply[20] : -1,
		         ch == 0 ? "0" : (ch == sent ? "as-sent" : "other"),
		         (unsigned long long)ctr, n > 21 ? n - 21 : 0, (const char *)reply + 21,
		         n > 21 ? n - 21 : 0,
		         n > 21 && memchr(reply + 21, 0, (size_t)n - 21) ? " has-NUL" : "");
	} else if (reply[3] == 3 && c) {
		uint64_t ch = doc_get_be64(reply + 4), ctr = doc_get_be64(reply + 12);
		pt = ch == c->id ? doc_open(c->rx.k, reply, (size_t)n, &ptlen) : NULL;
		r = pt ? pmif__reply__unpack(NULL, ptlen, pt) : NULL;
		if (r)
			snprintf(what, cap, "reply counter=%llu code=%d %s",
			         (unsigned long long)ctr, r->code, r->message);
		else
			snprintf(what, cap, "DATA that does not open");
		free(pt);
	} else {
		snprintf(what, cap, "frame type %d", reply[3]);
	}
	nn_freemsg(reply);
	return r;
}

/* Seal @p pt at counter @p f on @p c, send, print "@p name: outcome". */
static Pmif__Reply *doc_step(struct chan *c, const char *name, uint64_t f, const uint8_t *pt,
                             size_t len)
{
	size_t flen, nch;
	uint8_t *fr = doc_seal(c->tx.k, c->id, f, pt, len, &flen, &nch);
	char what[600];
	Pmif__Reply *r;

	if (fr == NULL)
		return NULL;
	r = doc_probe(c->sock, c, fr, flen, what, sizeof(what));
	printf("%s: chunks=%zu frame=%zu %s\n", name, nch, flen, what);
	free(fr);
	return r;
}

static void doc_free(Pmif__Reply *r)
{
	if (r)
		pmif__reply__free_unpacked(r, NULL);
}

/* Raw bytes with a fresh socket, a 1-second receive timeout. */
static void doc_raw(const char *url, const char *name, const uint8_t *buf, size_t len)
{
	int s = open_sock(url, 1000);
	char what[600];

	doc_free(doc_probe(s, NULL, buf, len, what, sizeof(what)));
	printf("%s: %s\n", name, what);
	nn_close(s);
}

static int rules(const char *url, const char *fp, const char *user)
{
	const ProtobufCServiceDescriptor *svc = &pmif__pmif__descriptor;
	struct chan a, b;
	char password[1100];
	uint8_t *pt, big[65536 + 20], proof[32], token[64], secret[32];
	size_t len, tlen = 0;
	Pmif__Reply *r;

	if (fgets(password, sizeof(password), stdin) == NULL)
		return 1;
	password[strcspn(password, "\r\n")] = '\0';
	if (handshake(&a, url, fp) != 0)
		return 1;

	/* counters: the first is 0 each way; ahead is fine, back never */
	doc_free(doc_step(&a, "empty plaintext", 0, NULL, 0)); /* an empty Request: method 0 */
	pt = doc_request(doc_method("Health"), NULL, 0, NULL, 0, NULL, false, &len);
	doc_free(doc_step(&a, "skip ahead to 10", 10, pt, len));
	doc_free(doc_step(&a, "back to 5", 5, pt, len));
	doc_free(doc_step(&a, "10 again", 10, pt, len));
	free(pt);

	/* bad lengths on a live channel, then the counter they carried */
	RAND_bytes(big, sizeof(big));
	doc_be(big, 0x504d0103, 4);
	doc_be(big + 4, a.id, 8);
	doc_be(big + 12, 11, 8);
	{
		char what[600];
		doc_free(doc_probe(a.sock, &a, big, 20 + 15, what, sizeof(what)));
		printf("payload of 15 bytes: %s\n", what);
		doc_free(doc_probe(a.sock, &a, big, 20 + 65536, what, sizeof(what)));
		printf("payload of 65536 bytes: %s\n", what);
		doc_free(doc_probe(a.sock, &a, big, 20 + 16, what, sizeof(what)));
		printf("16 bytes of random tag: %s\n", what);
	}
	pt = doc_request(doc_method("Health"), NULL, 0, NULL, 0, NULL, true, &len);
	doc_free(doc_step(&a, "11 after the refusals, no request id", 11, pt, len));
	free(pt);
	pt = doc_request(doc_method("Health"), NULL, 0, NULL, 0, NULL, false, &len);
	doc_free(doc_step(&a, "counter 2^52-1", (UINT64_C(1) << 52) - 1, pt, len));
	free(pt);

	/* two chunks: a Request of more than 65,519 bytes (a long token;
	 * Health reads none) */
	{
		uint8_t *tok = malloc(70000);
		memset(tok, 'x', 70000);
		pt = doc_request(doc_method("Health"), tok, 70000, NULL, 0, NULL, false, &len);
		doc_free(doc_step(&a, "two chunks", 12, pt, len));
		free(pt);
		free(tok);
	}

	/* method index: one past the last, far past, and a body over the limit */
	pt = doc_request((uint32_t)svc->n_methods, NULL, 0, NULL, 0, NULL, false, &len);
	printf("n_methods=%u\n", svc->n_methods);
	doc_free(doc_step(&a, "method n_methods", 13, pt, len));
	free(pt);
	pt = doc_request(100000, NULL, 0, NULL, 0, NULL, false, &len);
	doc_free(doc_step(&a, "method 100000", 14, pt, len));
	free(pt);
	{
		uint8_t body[65];
		memset(body, 0, sizeof(body)); /* 65 bytes; Health allows 64 */
		pt = doc_request(doc_method("Health"), NULL, 0, body, sizeof(body), NULL, false,
		                 &len);
		doc_free(doc_step(&a, "Health body of 65 bytes", 15, pt, len));
		free(pt);
	}

	/* REFUSED frames: header fields and text */
	{
		uint8_t fr[20 + 100];
		size_t flen, nch;
		uint8_t *sealed;

		sealed = doc_seal(a.tx.k, a.id ^ (UINT64_C(1) << 40), 16, NULL, 0, &flen, &nch);
		doc_raw(url, "stale channel id", sealed, flen);
		free(sealed);
		memset(fr, 0, sizeof(fr));
		doc_be(fr, 0x504d0102, 4); /* a WELCOME sent to the server */
		doc_be(fr + 4, a.id, 8);
		doc_raw(url, "welcome to server", fr, 20 + 96);
		doc_be(fr, 0x504d0101, 4); /* HELLO, 33 bytes */
		doc_be(fr + 4, 0, 8);
		doc_raw(url, "hello of 33", fr, 20 + 33);
		/* and no answer at all */
		doc_raw(url, "19 bytes", fr, 19);
		doc_be(fr, 0x504e0101, 4);
		doc_raw(url, "bad magic", fr, 20 + 32);
		doc_be(fr, 0x504d0201, 4);
		doc_raw(url, "version 2", fr, 20 + 32);
		doc_be(fr, 0x504d0105, 4);
		doc_raw(url, "type 5", fr, 20 + 32);
	}

	/* a session moved with the documented proof */
	{
		Pmif__LoginRequest in = PMIF__LOGIN_REQUEST__INIT;
		uint8_t body[2048];
		size_t blen;
		unsigned int mlen = 32;
		uint8_t data[52];

		in.user = (char *)user;
		in.password = password;
		blen = pmif__login_request__pack(&in, body);
		pt = doc_request(doc_method("Login"), NULL, 0, body, blen, NULL, false, &len);
		r = doc_step(&a, "login", 17, pt, len);
		free(pt);
		if (r && r->code == 0) {
			Pmif__LoginReply *lr =
			    pmif__login_reply__unpack(NULL, r->body.len, r->body.data);
			if (lr && lr->token.len <= sizeof(token) && lr->rebind_secret.len == 32) {
				memcpy(token, lr->token.data, lr->token.len);
				tlen = lr->token.len;
				memcpy(secret, lr->rebind_secret.data, 32);
				printf("token=%zu bytes rebind_secret=%zu bytes\n", lr->token.len,
				       lr->rebind_secret.len);
			}
			if (lr)
				pmif__login_reply__free_unpacked(lr, NULL);
		}
		doc_free(r);
		if (tlen == 0)
			return 1;
		if (handshake(&b, url, fp) != 0)
			return 1;
		pt = doc_request(doc_method("WhoAmI"), token, tlen, NULL, 0, NULL, false, &len);
		doc_free(doc_step(&b, "other channel, no proof", 0, pt, len));
		free(pt);
		memcpy(data, "pmif-rebind-proof-v1", 20);
		memcpy(data + 20, a.h, 32); /* a proof for the wrong channel */
		HMAC(EVP_sha256(), secret, 32, data, sizeof(data), proof, &mlen);
		pt = doc_request(doc_method("WhoAmI"), token, tlen, NULL, 0, proof, false, &len);
		doc_free(doc_step(&b, "other channel, proof for the first", 1, pt, len));
		free(pt);
		memcpy(data + 20, b.h, 32);
		HMAC(EVP_sha256(), secret, 32, data, sizeof(data), proof, &mlen);
		pt = doc_request(doc_method("WhoAmI"), token, tlen, NULL, 0, proof, false, &len);
		doc_free(doc_step(&b, "other channel, its own proof", 2, pt, len));
		free(pt);
		nn_close(b.sock);
	}
	nn_close(a.sock);
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
	if (argc == 5 && strcmp(argv[1], "rules") == 0)
		return rules(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: pmif-wire garbage URL | replay URL FP USER | bruteforce URL FP "
	                "USER N | token STATEFILE | stolen URL FP TOKENHEX | rules URL FP USER\n");
	return 2;
}
