/*
 * make_corpus.c - write the seed corpora and dictionaries of the fuzz
 * targets: make_corpus OUTDIR.
 *
 * Makes OUTDIR/fuzz_frame/, OUTDIR/fuzz_handshake/, OUTDIR/fuzz_dispatch/
 * (one seed per file) and OUTDIR/<target>.dict.  Seeds are built with the
 * real frame, Noise and protobuf code and the fixed keys of fixtures.h, so
 * they are valid for the targets: sealed frames open, message 2 answers the
 * client's fixed ephemeral, tokens name sessions of the dispatch store.
 * The build runs this; nothing binary is kept in the source tree.
 *
 * Seeds of fuzz_dispatch that may hash a password get a request id chosen
 * so the target's scrypt gate lets them through (fixtures.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fixtures.h"
#include "frame.h"
#include "noise.h"
#include "pmif.pb-c.h"

static const char *outdir;
static unsigned written;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "make_corpus: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

static void make_dir(const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		die("cannot create '%s': %s", path, strerror(errno));
}

/* Write one seed: @p head (a mode byte, or none if -1) then @p buf. */
static void seed(const char *target, const char *name, int head, const uint8_t *buf, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", outdir, target, name);
	f = fopen(path, "wb");
	if (f == NULL)
		die("cannot write '%s': %s", path, strerror(errno));
	if (head >= 0)
		fputc(head, f);
	if (len > 0 && fwrite(buf, 1, len, f) != len)
		die("cannot write '%s'", path);
	if (fclose(f) != 0)
		die("cannot write '%s'", path);
	written++;
}

/* One dictionary line: name="bytes", escaped as libFuzzer reads it. */
static void dict_entry(FILE *f, const char *name, const void *p, size_t len)
{
	const uint8_t *b = p;

	fprintf(f, "%s=\"", name);
	for (size_t i = 0; i < len; i++) {
		if (b[i] == '"' || b[i] == '\\')
			fprintf(f, "\\%c", b[i]);
		else if (b[i] >= 0x20 && b[i] < 0x7f)
			fputc(b[i], f);
		else
			fprintf(f, "\\x%02x", b[i]);
	}
	fprintf(f, "\"\n");
}

static FILE *dict_open(const char *target)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.dict", outdir, target);
	f = fopen(path, "w");
	if (f == NULL)
		die("cannot write '%s': %s", path, strerror(errno));
	fprintf(f, "# %s dictionary, written by make_corpus\n", target);
	return f;
}

static void frame_headers_dict(FILE *f)
{
	static const char *const names[] = {"hello", "welcome", "data", "refused"};
	uint8_t hdr[PMIF_FRAME_HEADER];

	for (int t = PMIF_FRAME_HELLO; t <= PMIF_FRAME_REFUSED; t++) {
		char name[32];
		pmif_frame_header(hdr, (enum pmif_frame_type)t, 0, 0);
		snprintf(name, sizeof(name), "magic_%s", names[t - 1]);
		dict_entry(f, name, hdr, 4);
	}
}

/* ---- fuzz_frame ------------------------------------------------------- */

static void sealed_seed(const char *target, const char *name, int head, uint64_t channel,
                        uint64_t nonce, const char *text)
{
	struct pmif_noise_cipher key;
	size_t len = strlen(text), cap = pmif_frame_sealed_size(len), n;
	uint8_t *buf = malloc(cap);

	if (buf == NULL)
		die("out of memory");
	fuzz_cipher(&key, fuzz_key_c2s);
	if (pmif_frame_seal(&key, channel, nonce, (const uint8_t *)text, len, buf, cap, &n) != 0)
		die("cannot seal a frame");
	seed(target, name, head, buf, n);
	free(buf);
}

static void frame_corpus(void)
{
	static const char *const T = "fuzz_frame";
	uint8_t buf[PMIF_FRAME_HEADER + 64];
	size_t n;
	FILE *d;

	sealed_seed(T, "data-empty", -1, 1, 0, "");
	sealed_seed(T, "data-hello", -1, 0x10001, 1, "hello");
	sealed_seed(T, "data-max-counter", -1, 42, PMIF_FRAME_MAX_COUNTER,
	            "the largest frame counter there is");
	sealed_seed(T, "data-text", -1, UINT64_MAX, 77,
	            "a longer plaintext that spans a few dozen bytes of the frame body, "
	            "sealed under the fixed client-to-server key");
	pmif_frame_header(buf, PMIF_FRAME_HELLO, 0, 0);
	memset(buf + PMIF_FRAME_HEADER, 0x5a, 32);
	seed(T, "hello", -1, buf, PMIF_FRAME_HEADER + 32);
	pmif_frame_header(buf, PMIF_FRAME_WELCOME, 9, 0);
	memset(buf + PMIF_FRAME_HEADER, 0xa5, 64);
	seed(T, "welcome", -1, buf, PMIF_FRAME_HEADER + 64);
	n = pmif_frame_refusal(buf, sizeof(buf), 3, PMIF_REFUSED_REPLAY, "nonce already used");
	seed(T, "refused", -1, buf, n);
	/* first byte 0x?e or 0x?f: the round trip seals about one or two chunks */
	seed(T, "round-trip-1-chunk", -1, (const uint8_t *)"\x0e\x10\x01\x00plaintext", 13);
	seed(T, "round-trip-2-chunks", -1, (const uint8_t *)"\x0f\xf0\x05\x00plaintext", 13);
	seed(T, "round-trip-max-counter", -1,
	     (const uint8_t *)"\x00\x00\x01\x00"
	                      "abc",
	     7);

	d = dict_open(T);
	frame_headers_dict(d);
	dict_entry(d, "max_counter", "\x00\x0f\xff\xff\xff\xff\xff\xfe", 8);
	fclose(d);
}

/* ---- fuzz_handshake --------------------------------------------------- */

static void handshake_corpus(void)
{
	static const char *const T = "fuzz_handshake";
	struct pmif_noise_handshake *c = NULL, *s = NULL;
	uint8_t msg1[64], msg2[128], frame[PMIF_FRAME_HEADER + 128], other[32];
	size_t n1 = 0, n2 = 0, n = 0;
	FILE *d;

	if (pmif_noise_handshake_new(&c, PMIF_NOISE_NX, 1, (const uint8_t *)PMIF_NOISE_PROLOGUE,
	                             strlen(PMIF_NOISE_PROLOGUE), NULL, NULL,
	                             fuzz_client_ephemeral_priv) != 0 ||
	    pmif_noise_handshake_new(&s, PMIF_NOISE_NX, 0, (const uint8_t *)PMIF_NOISE_PROLOGUE,
	                             strlen(PMIF_NOISE_PROLOGUE), fuzz_server_static_priv, NULL,
	                             fuzz_server_ephemeral_priv) != 0 ||
	    pmif_noise_handshake_write(c, NULL, 0, msg1, sizeof(msg1), &n1) != 0 ||
	    pmif_noise_handshake_read(s, msg1, n1, NULL, 0, &n) != 0 ||
	    pmif_noise_handshake_write(s, NULL, 0, msg2, sizeof(msg2), &n2) != 0)
		die("cannot run the fixed handshake");
	pmif_noise_handshake_free(c);
	pmif_noise_handshake_free(s);

	seed(T, "server-msg1", 0, msg1, n1);
	memcpy(msg1 + n1, "payload", 7);
	seed(T, "server-msg1-payload", 0, msg1, n1 + 7);
	seed(T, "client-msg2", 1, msg2, n2);
	pmif_frame_header(frame, PMIF_FRAME_WELCOME, 0x2a0001, 0);
	memcpy(frame + PMIF_FRAME_HEADER, msg2, n2);
	seed(T, "client-welcome", 2, frame, PMIF_FRAME_HEADER + n2);
	for (int why = PMIF_REFUSED_MALFORMED; why <= PMIF_REFUSED_BUSY; why++) {
		char name[32];
		n = pmif_frame_refusal(frame, sizeof(frame), 0, (enum pmif_refusal)why,
		                       "too many handshakes: try again shortly");
		snprintf(name, sizeof(name), "client-refused-%d", why);
		seed(T, name, 2, frame, n);
	}
	seed(T, "client-refused-empty", 2, frame, PMIF_FRAME_HEADER);
	pmif_frame_header(frame, PMIF_FRAME_HELLO, 0, 0);
	memcpy(frame + PMIF_FRAME_HEADER, msg1, 32);
	seed(T, "server-hello", 3, frame, PMIF_FRAME_HEADER + 32);
	for (int i = 0; i < 32; i++)
		other[i] = (uint8_t)(0xe0 ^ i);
	memcpy(frame + PMIF_FRAME_HEADER, other, 32);
	seed(T, "server-hello-other", 3, frame, PMIF_FRAME_HEADER + 32);

	d = dict_open(T);
	frame_headers_dict(d);
	dict_entry(d, "client_e", msg1, 32);
	dict_entry(d, "server_e", msg2, 32);
	fclose(d);
}

/* ---- fuzz_dispatch ---------------------------------------------------- */

#define MODE_DIRECT 0
#define MODE_SEALED 1
#define MODE_RAW    2
#define MODE_CHECKS 3
#define MODE_RESEND 4

enum gate { CHEAP, HASHES };

static unsigned method_index(const char *name)
{
	const ProtobufCMethodDescriptor *m =
	    protobuf_c_service_descriptor_get_method_by_name(&pmif__pmif__descriptor, name);

	if (m == NULL)
		die("no method %s", name);
	return (unsigned)(m - pmif__pmif__descriptor.methods);
}

/*
 * Write the seed: mode byte, then the Request for @p method with @p token
 * (enum fuzz_token, or -1 for none) and @p body.  For HASHES the last
 * request id bytes are chosen so the scrypt gate passes.
 */
static void request_seed(const char *name, int mode, const char *method, int token,
                         const ProtobufCMessage *body, enum gate gate)
{
	Pmif__Request r = PMIF__REQUEST__INIT;
	uint8_t rid[16], *buf;
	size_t blen = body ? protobuf_c_message_get_packed_size(body) : 0, len;

	memcpy(rid, "fuzz-request-id-", 16);
	r.method = method_index(method);
	r.request_id.data = rid;
	r.request_id.len = sizeof(rid);
	if (token >= 0) {
		r.token.data = (uint8_t *)fuzz_tokens[token];
		r.token.len = 32;
	}
	r.body.data = malloc(blen ? blen : 1);
	if (r.body.data == NULL)
		die("out of memory");
	if (body)
		protobuf_c_message_pack(body, r.body.data);
	r.body.len = blen;
	len = pmif__request__get_packed_size(&r);
	buf = malloc(len + 1);
	if (buf == NULL)
		die("out of memory");
	for (uint32_t salt = 0;; salt++) {
		memcpy(rid + 12, &salt, 4);
		buf[0] = (uint8_t)mode;
		pmif__request__pack(&r, buf + 1);
		if (gate == CHEAP || fuzz_hash(buf, len + 1) % FUZZ_SCRYPT_ONE_IN == 0)
			break;
	}
	seed("fuzz_dispatch", name, -1, buf, len + 1);
	free(buf);
	free(r.body.data);
}

static void dispatch_corpus(void)
{
	static const char *const T = "fuzz_dispatch";
	Pmif__LoginRequest login = PMIF__LOGIN_REQUEST__INIT;
	Pmif__PasswordChangeRequest pwc = PMIF__PASSWORD_CHANGE_REQUEST__INIT;
	Pmif__UserAddRequest add = PMIF__USER_ADD_REQUEST__INIT;
	Pmif__UserName un = PMIF__USER_NAME__INIT;
	Pmif__UserResetPasswordRequest reset = PMIF__USER_RESET_PASSWORD_REQUEST__INIT;
	Pmif__UserSetRoleRequest role = PMIF__USER_SET_ROLE_REQUEST__INIT;
	char *ops[2] = {FUZZ_DIRECTORATE, "HR-2"};
	struct pmif_noise_cipher key;
	uint8_t frame[PMIF_FRAME_HEADER + 64];
	size_t n;
	FILE *d;

	/* public */
	request_seed("health", MODE_DIRECT, "Health", -1, NULL, CHEAP);
	request_seed("health-sealed", MODE_SEALED, "Health", -1, NULL, CHEAP);
	request_seed("health-checks", MODE_CHECKS | MODE_RESEND, "Health", -1, NULL, CHEAP);
	login.user = FUZZ_USER_ADMIN;
	login.password = FUZZ_PASSWORD;
	request_seed("login-ok", MODE_DIRECT, "Login", -1, &login.base, HASHES);
	login.password = "wrong-password";
	request_seed("login-wrong", MODE_SEALED, "Login", -1, &login.base, HASHES);
	login.user = "nobody";
	request_seed("login-unknown", MODE_DIRECT, "Login", -1, &login.base, HASHES);
	login.user = "";
	request_seed("login-malformed", MODE_DIRECT, "Login", -1, &login.base, CHEAP);

	/* any role */
	request_seed("logout", MODE_SEALED, "Logout", FUZZ_TOKEN_MEMBER, NULL, CHEAP);
	request_seed("logout-resend", MODE_DIRECT | MODE_RESEND, "Logout", FUZZ_TOKEN_ADMIN, NULL,
	             CHEAP);
	for (int t = 0; t < FUZZ_NTOKENS; t++) {
		char name[32];
		snprintf(name, sizeof(name), "whoami-%d", t);
		request_seed(name, t % 2 ? MODE_SEALED : MODE_DIRECT, "WhoAmI", t, NULL, CHEAP);
	}
	request_seed("whoami-no-token", MODE_DIRECT, "WhoAmI", -1, NULL, CHEAP);
	pwc.old_password = FUZZ_PASSWORD;
	pwc.new_password = "another-password-2";
	request_seed("password-change", MODE_DIRECT, "PasswordChange", FUZZ_TOKEN_MEMBER, &pwc.base,
	             HASHES);
	pwc.new_password = "short";
	request_seed("password-change-weak", MODE_SEALED, "PasswordChange", FUZZ_TOKEN_MEMBER,
	             &pwc.base, CHEAP);

	/* admin */
	add.name = "newbie";
	add.role = PMIF__ROLE__MEMBER;
	add.password = "newbie-password-3";
	request_seed("user-add", MODE_DIRECT | MODE_RESEND, "UserAdd", FUZZ_TOKEN_ADMIN, &add.base,
	             HASHES);
	add.name = "newdir";
	add.role = PMIF__ROLE__DIRECTORATE;
	add.directorates = ops;
	add.n_directorates = 2;
	add.password = "";
	request_seed("user-add-directorate", MODE_DIRECT, "UserAdd", FUZZ_TOKEN_ADMIN, &add.base,
	             HASHES);
	add.role = PMIF__ROLE__MEMBER;
	request_seed("user-add-member-dirs", MODE_DIRECT, "UserAdd", FUZZ_TOKEN_ADMIN, &add.base,
	             CHEAP);
	add.name = "Bad Name";
	request_seed("user-add-bad-name", MODE_SEALED, "UserAdd", FUZZ_TOKEN_ADMIN, &add.base,
	             CHEAP);
	request_seed("user-add-member", MODE_DIRECT, "UserAdd", FUZZ_TOKEN_MEMBER, &add.base,
	             CHEAP);
	request_seed("user-list", MODE_DIRECT, "UserList", FUZZ_TOKEN_ADMIN, NULL, CHEAP);
	request_seed("user-list-sealed", MODE_SEALED, "UserList", FUZZ_TOKEN_ADMIN, NULL, CHEAP);
	request_seed("user-list-member", MODE_DIRECT, "UserList", FUZZ_TOKEN_MEMBER, NULL, CHEAP);
	un.name = FUZZ_USER_DIR;
	request_seed("user-show", MODE_DIRECT, "UserShow", FUZZ_TOKEN_ADMIN, &un.base, CHEAP);
	un.name = "nobody";
	request_seed("user-show-missing", MODE_SEALED, "UserShow", FUZZ_TOKEN_ADMIN, &un.base,
	             CHEAP);
	un.name = FUZZ_USER_MEMBER;
	request_seed("user-disable", MODE_DIRECT | MODE_RESEND, "UserDisable", FUZZ_TOKEN_ADMIN,
	             &un.base, CHEAP);
	un.name = FUZZ_USER_ADMIN;
	request_seed("user-disable-self", MODE_SEALED, "UserDisable", FUZZ_TOKEN_ADMIN, &un.base,
	             CHEAP);
	un.name = FUZZ_USER_OFF;
	request_seed("user-enable", MODE_SEALED | MODE_RESEND, "UserEnable", FUZZ_TOKEN_ADMIN,
	             &un.base, CHEAP);
	reset.name = FUZZ_USER_MEMBER;
	request_seed("user-reset-password", MODE_DIRECT, "UserResetPassword", FUZZ_TOKEN_ADMIN,
	             &reset.base, HASHES);
	reset.password = "x";
	request_seed("user-reset-password-weak", MODE_DIRECT, "UserResetPassword", FUZZ_TOKEN_ADMIN,
	             &reset.base, CHEAP);
	role.name = FUZZ_USER_MEMBER;
	role.role = PMIF__ROLE__DIRECTORATE;
	role.directorates = ops;
	role.n_directorates = 1;
	request_seed("user-set-role", MODE_CHECKS | MODE_RESEND, "UserSetRole", FUZZ_TOKEN_ADMIN,
	             &role.base, CHEAP);
	role.name = FUZZ_USER_ADMIN;
	role.role = PMIF__ROLE__MEMBER;
	role.n_directorates = 0;
	request_seed("user-set-role-self", MODE_DIRECT, "UserSetRole", FUZZ_TOKEN_ADMIN, &role.base,
	             CHEAP);

	/* not requests at all */
	seed(T, "garbage", MODE_DIRECT, (const uint8_t *)"\x08\xff\xff\xff\xff\x0f\x22\x05", 8);
	seed(T, "unknown-method", MODE_SEALED, (const uint8_t *)"\x08\x63", 2);
	fuzz_cipher(&key, fuzz_key_c2s);
	if (pmif_frame_seal(&key, 0, 0, (const uint8_t *)"\x08\x00", 2, frame, sizeof(frame), &n) !=
	    0)
		die("cannot seal a frame");
	seed(T, "raw-frame", MODE_RAW, frame, n);

	d = dict_open(T);
	for (int t = 0; t < FUZZ_NTOKENS; t++) {
		uint8_t field[34] = {0x1a, 0x20};
		char name[32];
		memcpy(field + 2, fuzz_tokens[t], 32);
		snprintf(name, sizeof(name), "token_%d", t);
		dict_entry(d, name, field, sizeof(field));
	}
	for (unsigned m = 0; m < pmif__pmif__descriptor.n_methods; m++) {
		uint8_t field[2] = {0x08, (uint8_t)m};
		char name[64];
		snprintf(name, sizeof(name), "method_%s", pmif__pmif__descriptor.methods[m].name);
		dict_entry(d, name, field, sizeof(field));
	}
	dict_entry(d, "request_id",
	           "\x12\x10"
	           "fuzz-request-id-",
	           18);
	dict_entry(d, "user_admin", FUZZ_USER_ADMIN, strlen(FUZZ_USER_ADMIN));
	dict_entry(d, "user_dir", FUZZ_USER_DIR, strlen(FUZZ_USER_DIR));
	dict_entry(d, "user_member", FUZZ_USER_MEMBER, strlen(FUZZ_USER_MEMBER));
	dict_entry(d, "user_off", FUZZ_USER_OFF, strlen(FUZZ_USER_OFF));
	dict_entry(d, "directorate", FUZZ_DIRECTORATE, strlen(FUZZ_DIRECTORATE));
	dict_entry(d, "role_admin", "\x10\x01", 2);
	dict_entry(d, "role_directorate", "\x10\x02", 2);
	dict_entry(d, "role_member", "\x10\x03", 2);
	fclose(d);
}

int main(int argc, char **argv)
{
	static const char *const targets[] = {"fuzz_frame", "fuzz_handshake", "fuzz_dispatch"};
	char path[4096];

	if (argc != 2) {
		fprintf(stderr, "usage: make_corpus OUTDIR\n");
		return 2;
	}
	outdir = argv[1];
	make_dir(outdir);
	for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", outdir, targets[i]);
		make_dir(path);
	}
	frame_corpus();
	handshake_corpus();
	dispatch_corpus();
	printf("make_corpus: %u seeds in %s\n", written, outdir);
	return 0;
}
