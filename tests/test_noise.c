/*
 * test_noise.c - cmocka tests for common/noise.c.
 *
 * The core test replays every cacophony vector for
 * Noise_{NN,NK,NX}_25519_ChaChaPoly_SHA256 from the JSON file given as
 * argv[1] (else $PMIF_NOISE_VECTORS, else ../shared/testdata/
 * noise-vectors.json relative to the repo root): both roles run with the
 * vector's keys, every message must match byte for byte, the payload must
 * come back and the handshake hash must agree.  The rest covers what vectors
 * cannot: tampering, truncation, call order, nonces, limits and garbage.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "error.h"
#include "noise.h"

#define NPATTERNS 3
#define SENTINEL  ((size_t)0xdeadbeef)

static const char *vectors_path = "../shared/testdata/noise-vectors.json";

static const char *const protocol_names[NPATTERNS] = {
    [PMIF_NOISE_NN] = "Noise_NN_25519_ChaChaPoly_SHA256",
    [PMIF_NOISE_NK] = "Noise_NK_25519_ChaChaPoly_SHA256",
    [PMIF_NOISE_NX] = "Noise_NX_25519_ChaChaPoly_SHA256",
};

/* ---- helpers ---------------------------------------------------------- */

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The hex string v[key] decoded into a malloc'd buffer (never NULL, even
 * when empty), or NULL if the key is absent.  Malformed hex fails the test.
 */
static uint8_t *hex_field(const json_t *v, const char *key, size_t *len)
{
	const json_t *j = json_object_get(v, key);
	const char *s;
	size_t n, i;
	uint8_t *buf;

	if (j == NULL)
		return NULL;
	assert_true(json_is_string(j));
	s = json_string_value(j);
	n = strlen(s);
	assert_true(n % 2 == 0);
	buf = malloc(n / 2 + 1);
	assert_non_null(buf);
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);

		assert_true(hi >= 0 && lo >= 0);
		buf[i] = (uint8_t)((unsigned)hi << 4 | (unsigned)lo);
	}
	*len = n / 2;
	return buf;
}

/* As hex_field() for a key that is absent or exactly 32 bytes. */
static uint8_t *key_field(const json_t *v, const char *key)
{
	size_t len = 0;
	uint8_t *k = hex_field(v, key, &len);

	if (k != NULL)
		assert_int_equal(len, 32);
	return k;
}

/* Deterministic xorshift64* so a garbage-test failure can be reproduced. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static void rng_fill(uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)(rng() >> 56);
}

/* A fresh initiator/responder pair for @p pat with random keys. */
static void new_pair(enum pmif_noise_pattern pat, struct pmif_noise_handshake **ini,
                     struct pmif_noise_handshake **resp, uint8_t resp_pub[32])
{
	static const uint8_t prologue[] = "pmif test";
	uint8_t priv[32], pub[32];
	int needs_s = pat != PMIF_NOISE_NN;

	assert_int_equal(pmif_noise_keypair_generate(priv, pub), 0);
	assert_int_equal(pmif_noise_handshake_new(ini, pat, 1, prologue, sizeof prologue, NULL,
	                                          pat == PMIF_NOISE_NK ? pub : NULL, NULL),
	                 0);
	assert_int_equal(pmif_noise_handshake_new(resp, pat, 0, prologue, sizeof prologue,
	                                          needs_s ? priv : NULL, NULL, NULL),
	                 0);
	if (resp_pub != NULL)
		memcpy(resp_pub, pub, 32);
}

/* Move one handshake message from @p from to @p to, checking the payload. */
static void pass_message(struct pmif_noise_handshake *from, struct pmif_noise_handshake *to)
{
	static const uint8_t payload[] = "hello";
	uint8_t msg[256], got[256];
	size_t len = 0, glen = 0;

	assert_int_equal(
	    pmif_noise_handshake_write(from, payload, sizeof payload, msg, sizeof msg, &len), 0);
	assert_int_equal(pmif_noise_handshake_read(to, msg, len, got, sizeof got, &glen), 0);
	assert_int_equal(glen, sizeof payload);
	assert_memory_equal(got, payload, sizeof payload);
}

/* Run a pair to completion and split it. */
static void complete_pair(struct pmif_noise_handshake *ini, struct pmif_noise_handshake *resp,
                          struct pmif_noise_cipher ic[2], struct pmif_noise_cipher rc[2])
{
	uint8_t hi[32], hr[32];

	pass_message(ini, resp);
	pass_message(resp, ini);
	assert_int_equal(pmif_noise_handshake_done(ini), 1);
	assert_int_equal(pmif_noise_handshake_done(resp), 1);
	assert_int_equal(pmif_noise_handshake_split(ini, &ic[0], &ic[1], hi), 0);
	assert_int_equal(pmif_noise_handshake_split(resp, &rc[0], &rc[1], hr), 0);
	assert_memory_equal(hi, hr, 32);
	assert_memory_equal(ic[0].k, rc[0].k, 32);
	assert_memory_equal(ic[1].k, rc[1].k, 32);
	assert_memory_not_equal(ic[0].k, ic[1].k, 32);
}

/* A keyed transport cipher with random key at nonce 0. */
static void random_cipher(struct pmif_noise_cipher *c)
{
	memset(c, 0, sizeof *c);
	rng_fill(c->k, sizeof c->k);
	c->has_key = 1;
}

/* ---- test vectors ----------------------------------------------------- */

static void run_vector(const json_t *v, enum pmif_noise_pattern pat)
{
	struct pmif_noise_handshake *hs[2] = {NULL, NULL}; /* [0] initiator, [1] responder */
	struct pmif_noise_cipher cs[2][2];                 /* [side][0] sends, [side][1] receives */
	size_t iplen = 0, rplen = 0, hlen = 0, i;
	uint8_t *ipro = hex_field(v, "init_prologue", &iplen);
	uint8_t *rpro = hex_field(v, "resp_prologue", &rplen);
	uint8_t *ie = key_field(v, "init_ephemeral"), *re = key_field(v, "resp_ephemeral");
	uint8_t *is = key_field(v, "init_static"), *rs = key_field(v, "resp_static");
	uint8_t *irs = key_field(v, "init_remote_static");
	uint8_t *rrs = key_field(v, "resp_remote_static");
	uint8_t *hash = hex_field(v, "handshake_hash", &hlen);
	const json_t *msgs = json_object_get(v, "messages");
	struct pmif_noise_cipher c1, c2;
	uint8_t h[2][32], pub[32], got_rs[32];

	memset(cs, 0, sizeof cs);
	assert_non_null(ipro);
	assert_non_null(rpro);
	assert_non_null(hash);
	assert_int_equal(hlen, 32);
	assert_true(json_is_array(msgs));

	assert_int_equal(pmif_noise_handshake_new(&hs[0], pat, 1, ipro, iplen, is, irs, ie), 0);
	assert_int_equal(pmif_noise_handshake_new(&hs[1], pat, 0, rpro, rplen, rs, rrs, re), 0);

	for (i = 0; i < json_array_size(msgs); i++) {
		const json_t *m = json_array_get(msgs, i);
		size_t plen = 0, clen = 0, outlen = SENTINEL, glen = SENTINEL;
		uint8_t *payload = hex_field(m, "payload", &plen);
		uint8_t *ct = hex_field(m, "ciphertext", &clen);
		/* Messages alternate, the initiator first, through the transport phase. */
		int from = (int)(i % 2), to = 1 - from;
		uint8_t *out, *got;

		assert_non_null(payload);
		assert_non_null(ct);
		out = malloc(clen + 64);
		got = malloc(plen + 64);
		assert_non_null(out);
		assert_non_null(got);
		if (!pmif_noise_handshake_done(hs[from])) {
			assert_int_equal(pmif_noise_handshake_write(hs[from], payload, plen, out,
			                                            clen + 64, &outlen),
			                 0);
			assert_int_equal(outlen, clen);
			assert_memory_equal(out, ct, clen);
			assert_int_equal(
			    pmif_noise_handshake_read(hs[to], ct, clen, got, plen + 64, &glen), 0);
			if (pmif_noise_handshake_done(hs[from])) {
				assert_true(pmif_noise_handshake_done(hs[to]));
				assert_int_equal(pmif_noise_handshake_split(hs[0], &c1, &c2, h[0]),
				                 0);
				cs[0][0] = c1, cs[0][1] = c2;
				assert_int_equal(pmif_noise_handshake_split(hs[1], &c1, &c2, h[1]),
				                 0);
				cs[1][0] = c2, cs[1][1] = c1;
				assert_memory_equal(h[0], hash, 32);
				assert_memory_equal(h[1], hash, 32);
			}
		} else {
			uint64_t n = cs[from][0].n;

			assert_int_equal(pmif_noise_encrypt(&cs[from][0], NULL, 0, payload, plen,
			                                    out, clen + 64, &outlen),
			                 0);
			assert_int_equal(outlen, clen);
			assert_memory_equal(out, ct, clen);
			assert_int_equal(cs[from][0].n, n + 1);
			assert_int_equal(pmif_noise_decrypt(&cs[to][1], NULL, 0, ct, clen, got,
			                                    plen + 64, &glen),
			                 0);
		}
		assert_int_equal(glen, plen);
		assert_memory_equal(got, payload, plen);
		free(got);
		free(out);
		free(ct);
		free(payload);
	}
	assert_true(pmif_noise_handshake_done(hs[0]) && pmif_noise_handshake_done(hs[1]));

	/* The initiator of NK and NX knows the responder's static key at the end. */
	if (rs != NULL) {
		assert_int_equal(pmif_noise_public_from_private(rs, pub), 0);
		assert_int_equal(pmif_noise_handshake_remote_static(hs[0], got_rs), 0);
		assert_memory_equal(got_rs, pub, 32);
	}

	pmif_noise_handshake_free(hs[1]);
	pmif_noise_handshake_free(hs[0]);
	free(hash);
	free(rrs);
	free(irs);
	free(rs);
	free(is);
	free(re);
	free(ie);
	free(rpro);
	free(ipro);
}

static void test_vectors(void **state)
{
	json_error_t err;
	json_t *root, *vectors;
	size_t count[NPATTERNS] = {0}, i;
	int p;

	(void)state;
	root = json_load_file(vectors_path, 0, &err);
	if (root == NULL)
		fail_msg("cannot load \"%s\": %s (line %d)", vectors_path, err.text, err.line);
	vectors = json_object_get(root, "vectors");
	assert_true(json_is_array(vectors));
	for (i = 0; i < json_array_size(vectors); i++) {
		const json_t *v = json_array_get(vectors, i);
		const char *name = json_string_value(json_object_get(v, "protocol_name"));

		assert_non_null(name);
		for (p = 0; p < NPATTERNS; p++) {
			if (strcmp(name, protocol_names[p]) == 0) {
				run_vector(v, (enum pmif_noise_pattern)p);
				count[p]++;
			}
		}
	}
	for (p = 0; p < NPATTERNS; p++) {
		print_message("%s: %zu vector(s) passed\n", protocol_names[p], count[p]);
		assert_true(count[p] > 0);
	}
	json_decref(root);
}

/* ---- keys ------------------------------------------------------------- */

static void test_x25519(void **state)
{
	/* RFC 7748 section 6.1, Alice. */
	static const uint8_t priv[32] = {0x77, 0x07, 0x6d, 0x0a, 0x73, 0x18, 0xa5, 0x7d,
	                                 0x3c, 0x16, 0xc1, 0x72, 0x51, 0xb2, 0x66, 0x45,
	                                 0xdf, 0x4c, 0x2f, 0x87, 0xeb, 0xc0, 0x99, 0x2a,
	                                 0xb1, 0x77, 0xfb, 0xa5, 0x1d, 0xb9, 0x2c, 0x2a};
	static const uint8_t want[32] = {0x85, 0x20, 0xf0, 0x09, 0x89, 0x30, 0xa7, 0x54,
	                                 0x74, 0x8b, 0x7d, 0xdc, 0xb4, 0x3e, 0xf7, 0x5a,
	                                 0x0d, 0xbf, 0x3a, 0x0d, 0x26, 0x38, 0x1a, 0xf4,
	                                 0xeb, 0xa4, 0xa9, 0x8e, 0xaa, 0x9b, 0x4e, 0x6a};
	uint8_t pub[32], p1[32], s1[32], p2[32];

	(void)state;
	assert_int_equal(pmif_noise_public_from_private(priv, pub), 0);
	assert_memory_equal(pub, want, 32);
	assert_int_equal(pmif_noise_keypair_generate(s1, p1), 0);
	assert_int_equal(pmif_noise_public_from_private(s1, p2), 0);
	assert_memory_equal(p1, p2, 32);
	assert_int_equal(pmif_noise_public_from_private(NULL, pub), PMIF_EINVAL);
	assert_int_equal(pmif_noise_keypair_generate(s1, NULL), PMIF_EINVAL);
}

/* ---- handshake -------------------------------------------------------- */

static void test_roundtrip_all_patterns(void **state)
{
	struct pmif_noise_cipher ic[2], rc[2];
	struct pmif_noise_handshake *ini, *resp;
	uint8_t pub[32], rs[32], ct[64], pt[64], h[32];
	size_t len, plen;
	int p;

	(void)state;
	for (p = 0; p < NPATTERNS; p++) {
		new_pair((enum pmif_noise_pattern)p, &ini, &resp, pub);
		complete_pair(ini, resp, ic, rc);
		assert_int_equal(pmif_noise_handshake_hash(ini, h), 0);
		if (p == PMIF_NOISE_NN) {
			assert_int_equal(pmif_noise_handshake_remote_static(ini, rs), PMIF_ESTATE);
		} else {
			assert_int_equal(pmif_noise_handshake_remote_static(ini, rs), 0);
			assert_memory_equal(rs, pub, 32);
		}
		assert_int_equal(pmif_noise_handshake_remote_static(resp, rs), PMIF_ESTATE);
		/* Both directions, in place. */
		memcpy(pt, "abc", 3);
		assert_int_equal(pmif_noise_encrypt(&ic[0], NULL, 0, pt, 3, pt, sizeof pt, &len),
		                 0);
		assert_int_equal(len, 3 + PMIF_NOISE_TAGLEN);
		assert_int_equal(pmif_noise_decrypt(&rc[0], NULL, 0, pt, len, pt, sizeof pt, &plen),
		                 0);
		assert_int_equal(plen, 3);
		assert_memory_equal(pt, "abc", 3);
		assert_int_equal(pmif_noise_encrypt(&rc[1], (const uint8_t *)"ad", 2, NULL, 0, ct,
		                                    sizeof ct, &len),
		                 0);
		assert_int_equal(
		    pmif_noise_decrypt(&ic[1], (const uint8_t *)"ad", 2, ct, len, NULL, 0, &plen),
		    0);
		assert_int_equal(plen, 0);
		pmif_noise_handshake_free(resp);
		pmif_noise_handshake_free(ini);
	}
}

static void test_new_rejects_bad_arguments(void **state)
{
	struct pmif_noise_handshake *hs = NULL;
	uint8_t k[32] = {1};

	(void)state;
	assert_int_equal(
	    pmif_noise_handshake_new(NULL, PMIF_NOISE_NN, 1, NULL, 0, NULL, NULL, NULL),
	    PMIF_EINVAL);
	assert_int_equal(
	    pmif_noise_handshake_new(&hs, (enum pmif_noise_pattern)7, 1, NULL, 0, NULL, NULL, NULL),
	    PMIF_EINVAL);
	assert_int_equal(pmif_noise_handshake_new(&hs, PMIF_NOISE_NN, 1, NULL, 3, NULL, NULL, NULL),
	                 PMIF_EINVAL);
	/* NK initiator needs the responder's key; NK/NX responders need theirs. */
	assert_int_equal(pmif_noise_handshake_new(&hs, PMIF_NOISE_NK, 1, NULL, 0, NULL, NULL, NULL),
	                 PMIF_EINVAL);
	assert_int_equal(pmif_noise_handshake_new(&hs, PMIF_NOISE_NK, 0, NULL, 0, NULL, NULL, NULL),
	                 PMIF_EINVAL);
	assert_int_equal(pmif_noise_handshake_new(&hs, PMIF_NOISE_NX, 0, NULL, 0, NULL, NULL, NULL),
	                 PMIF_EINVAL);
	/* Keys the pattern does not use are refused, not silently ignored. */
	assert_int_equal(pmif_noise_handshake_new(&hs, PMIF_NOISE_NN, 1, NULL, 0, k, NULL, NULL),
	                 PMIF_EINVAL);
	assert_int_equal(pmif_noise_handshake_new(&hs, PMIF_NOISE_NX, 1, NULL, 0, NULL, k, NULL),
	                 PMIF_EINVAL);
	assert_int_equal(pmif_noise_handshake_new(&hs, PMIF_NOISE_NK, 0, NULL, 0, k, k, NULL),
	                 PMIF_EINVAL);
	assert_null(hs);
	pmif_noise_handshake_free(NULL);
}

static void test_wrong_order(void **state)
{
	struct pmif_noise_handshake *ini, *resp;
	struct pmif_noise_cipher c1, c2;
	uint8_t msg[256], pl[64], h[32];
	size_t len = SENTINEL, plen = SENTINEL;
	int p;

	(void)state;
	for (p = 0; p < NPATTERNS; p++) {
		new_pair((enum pmif_noise_pattern)p, &ini, &resp, NULL);
		assert_int_equal(pmif_noise_handshake_done(ini), 0);
		assert_int_equal(pmif_noise_handshake_read(ini, msg, 48, pl, sizeof pl, &plen),
		                 PMIF_ESTATE);
		assert_int_equal(pmif_noise_handshake_write(resp, NULL, 0, msg, sizeof msg, &len),
		                 PMIF_ESTATE);
		assert_int_equal(pmif_noise_handshake_split(ini, &c1, &c2, h), PMIF_ESTATE);
		assert_int_equal(pmif_noise_handshake_hash(resp, h), PMIF_ESTATE);
		assert_int_equal(len, SENTINEL);
		assert_int_equal(plen, SENTINEL);

		pass_message(ini, resp);
		/* Same side twice in a row. */
		assert_int_equal(pmif_noise_handshake_write(ini, NULL, 0, msg, sizeof msg, &len),
		                 PMIF_ESTATE);
		assert_int_equal(pmif_noise_handshake_read(resp, msg, 48, pl, sizeof pl, &plen),
		                 PMIF_ESTATE);
		pass_message(resp, ini);

		/* Nothing more to write or read once done. */
		assert_int_equal(pmif_noise_handshake_write(ini, NULL, 0, msg, sizeof msg, &len),
		                 PMIF_ESTATE);
		assert_int_equal(pmif_noise_handshake_write(resp, NULL, 0, msg, sizeof msg, &len),
		                 PMIF_ESTATE);
		assert_int_equal(pmif_noise_handshake_read(ini, msg, 48, pl, sizeof pl, &plen),
		                 PMIF_ESTATE);
		assert_int_equal(pmif_noise_handshake_split(ini, &c1, &c1, h), PMIF_EINVAL);
		assert_int_equal(pmif_noise_handshake_split(ini, &c1, &c2, NULL), 0);
		assert_int_equal(pmif_noise_handshake_split(ini, &c1, &c2, h), PMIF_ESTATE);
		assert_int_equal(pmif_noise_handshake_hash(ini, h), 0);
		assert_int_equal(len, SENTINEL);
		assert_int_equal(plen, SENTINEL);
		pmif_noise_handshake_free(resp);
		pmif_noise_handshake_free(ini);
	}
}

/*
 * Flip each byte of each handshake message of each pattern, on a fresh pair
 * every time.  A flip under a MAC must be refused with the out-params and the
 * state untouched, so the genuine message still reads.  A flip in a message
 * sent in clear (NN and NX message 1) cannot be seen at once, but it changes
 * h, so the next message's MAC must fail.
 */
static void test_handshake_tamper(void **state)
{
	struct pmif_noise_handshake *hs[2];
	uint8_t msg[256], reply[256], pl[64];
	size_t len, rlen, plen, i;
	int p, m, rc;

	(void)state;
	for (p = 0; p < NPATTERNS; p++) {
		for (m = 0; m < 2; m++) {
			for (i = 0;; i++) {
				new_pair((enum pmif_noise_pattern)p, &hs[0], &hs[1], NULL);
				if (m == 1)
					pass_message(hs[0], hs[1]);
				assert_int_equal(
				    pmif_noise_handshake_write(hs[m], (const uint8_t *)"payload", 7,
				                               msg, sizeof msg, &len),
				    0);
				if (i == len) {
					pmif_noise_handshake_free(hs[1]);
					pmif_noise_handshake_free(hs[0]);
					break;
				}
				msg[i] ^= 0x01;
				memset(pl, 0xa5, sizeof pl);
				plen = SENTINEL;
				rc = pmif_noise_handshake_read(hs[1 - m], msg, len, pl, sizeof pl,
				                               &plen);
				if (rc == 0) {
					assert_true(m == 0 && p != PMIF_NOISE_NK);
					assert_int_equal(
					    pmif_noise_handshake_write(hs[1], NULL, 0, reply,
					                               sizeof reply, &rlen),
					    0);
					assert_int_equal(
					    pmif_noise_handshake_read(hs[0], reply, rlen, pl,
					                              sizeof pl, &plen),
					    PMIF_EAUTH);
				} else {
					assert_true(rc == PMIF_EAUTH || rc == PMIF_EINVAL);
					assert_int_equal(plen, SENTINEL);
					assert_int_equal(pl[0], 0xa5);
					msg[i] ^= 0x01;
					assert_int_equal(
					    pmif_noise_handshake_read(hs[1 - m], msg, len, pl,
					                              sizeof pl, &plen),
					    0);
					assert_int_equal(plen, 7);
					assert_memory_equal(pl, "payload", 7);
				}
				pmif_noise_handshake_free(hs[1]);
				pmif_noise_handshake_free(hs[0]);
			}
		}
	}
}

static void test_nk_wrong_server_key(void **state)
{
	struct pmif_noise_handshake *ini, *resp;
	uint8_t s_priv[32], s_pub[32], other_priv[32], other_pub[32], msg[128], pl[16];
	size_t len, plen = SENTINEL;

	(void)state;
	assert_int_equal(pmif_noise_keypair_generate(s_priv, s_pub), 0);
	assert_int_equal(pmif_noise_keypair_generate(other_priv, other_pub), 0);
	assert_int_equal(
	    pmif_noise_handshake_new(&ini, PMIF_NOISE_NK, 1, NULL, 0, NULL, other_pub, NULL), 0);
	assert_int_equal(
	    pmif_noise_handshake_new(&resp, PMIF_NOISE_NK, 0, NULL, 0, s_priv, NULL, NULL), 0);
	assert_int_equal(pmif_noise_handshake_write(ini, NULL, 0, msg, sizeof msg, &len), 0);
	assert_int_equal(len, 32 + PMIF_NOISE_TAGLEN);
	assert_int_equal(pmif_noise_handshake_read(resp, msg, len, pl, sizeof pl, &plen),
	                 PMIF_EAUTH);
	assert_int_equal(plen, SENTINEL);
	assert_int_equal(pmif_noise_handshake_done(resp), 0);
	pmif_noise_handshake_free(resp);
	pmif_noise_handshake_free(ini);
}

/* A low-order remote key (here 0) gives an all-zero DH result: refused. */
static void test_low_order_point(void **state)
{
	static const uint8_t zero[32];
	struct pmif_noise_handshake *ini, *resp;
	uint8_t msg[128], pl[16];
	size_t len = SENTINEL, plen = SENTINEL;

	(void)state;
	new_pair(PMIF_NOISE_NN, &ini, &resp, NULL);
	assert_int_equal(pmif_noise_handshake_write(ini, NULL, 0, msg, sizeof msg, &len), 0);
	memset(msg, 0, 48);
	assert_int_equal(pmif_noise_handshake_read(ini, msg, 48, pl, sizeof pl, &plen),
	                 PMIF_EINVAL);
	assert_int_equal(plen, SENTINEL);
	pmif_noise_handshake_free(resp);
	pmif_noise_handshake_free(ini);

	assert_int_equal(
	    pmif_noise_handshake_new(&ini, PMIF_NOISE_NK, 1, NULL, 0, NULL, zero, NULL), 0);
	len = SENTINEL;
	assert_int_equal(pmif_noise_handshake_write(ini, NULL, 0, msg, sizeof msg, &len),
	                 PMIF_EINVAL);
	assert_int_equal(len, SENTINEL);
	pmif_noise_handshake_free(ini);
}

static void test_handshake_truncated(void **state)
{
	struct pmif_noise_handshake *ini, *resp;
	uint8_t msg[256], pl[64];
	size_t len, plen, cut;
	int p, rc;

	(void)state;
	for (p = 0; p < NPATTERNS; p++) {
		new_pair((enum pmif_noise_pattern)p, &ini, &resp, NULL);
		plen = SENTINEL;
		pass_message(ini, resp);
		assert_int_equal(pmif_noise_handshake_write(resp, (const uint8_t *)"xy", 2, msg,
		                                            sizeof msg, &len),
		                 0);
		/* Message 2 always carries a MAC: every truncation must fail. */
		for (cut = 0; cut < len; cut++) {
			rc = pmif_noise_handshake_read(ini, msg, cut, pl, sizeof pl, &plen);
			assert_true(rc == PMIF_EINVAL || rc == PMIF_EAUTH);
			assert_int_equal(plen, SENTINEL);
		}
		/* Shorter than the tokens (ephemeral, NX's encrypted static, tag). */
		rc = pmif_noise_handshake_read(ini, msg, len - 3, pl, sizeof pl, &plen);
		assert_int_equal(rc, PMIF_EINVAL);
		rc = pmif_noise_handshake_read(ini, msg, 31, pl, sizeof pl, &plen);
		assert_int_equal(rc, PMIF_EINVAL);
		assert_int_equal(pmif_noise_handshake_read(ini, msg, len, pl, sizeof pl, &plen), 0);
		assert_int_equal(plen, 2);
		pmif_noise_handshake_free(resp);
		pmif_noise_handshake_free(ini);
	}
}

static void test_handshake_limits(void **state)
{
	struct pmif_noise_handshake *ini, *resp;
	uint8_t *big, *msg, pl[8];
	size_t len = SENTINEL, plen = SENTINEL;

	(void)state;
	big = calloc(1, PMIF_NOISE_MAX_MSG + 1);
	msg = malloc(PMIF_NOISE_MAX_MSG + 1);
	assert_non_null(big);
	assert_non_null(msg);
	new_pair(PMIF_NOISE_NK, &ini, &resp, NULL);
	/* NK message 1 is e (32) + payload + tag (16). */
	assert_int_equal(pmif_noise_handshake_write(ini, big, PMIF_NOISE_MAX_MSG - 47, msg,
	                                            PMIF_NOISE_MAX_MSG + 1, &len),
	                 PMIF_ETOOBIG);
	assert_int_equal(pmif_noise_handshake_write(ini, big, 10, msg, 57, &len), PMIF_ETOOBIG);
	assert_int_equal(pmif_noise_handshake_write(ini, big, SIZE_MAX, msg, SIZE_MAX, &len),
	                 PMIF_ETOOBIG);
	assert_int_equal(len, SENTINEL);
	assert_int_equal(pmif_noise_handshake_write(ini, big, PMIF_NOISE_MAX_MSG - 48, msg,
	                                            PMIF_NOISE_MAX_MSG, &len),
	                 0);
	assert_int_equal(len, PMIF_NOISE_MAX_MSG);
	assert_int_equal(
	    pmif_noise_handshake_read(resp, msg, PMIF_NOISE_MAX_MSG + 1, pl, sizeof pl, &plen),
	    PMIF_ETOOBIG);
	assert_int_equal(pmif_noise_handshake_read(resp, msg, len, pl, sizeof pl, &plen),
	                 PMIF_ETOOBIG);
	assert_int_equal(plen, SENTINEL);
	assert_int_equal(pmif_noise_handshake_read(resp, msg, len, big, PMIF_NOISE_MAX_MSG, &plen),
	                 0);
	assert_int_equal(plen, PMIF_NOISE_MAX_MSG - 48);
	/* In place: the payload buffer overlaps the message. */
	assert_int_equal(pmif_noise_handshake_write(resp, NULL, 0, msg, 48, &len), 0);
	assert_int_equal(pmif_noise_handshake_read(ini, msg, len, msg, len, &plen), 0);
	assert_int_equal(plen, 0);
	pmif_noise_handshake_free(resp);
	pmif_noise_handshake_free(ini);
	free(msg);
	free(big);
}

/*
 * Random bytes of random length fed to every reading position of every
 * pattern must never crash and only ever produce a documented status.
 */
static void test_handshake_garbage(void **state)
{
	static uint8_t buf[PMIF_NOISE_MAX_MSG + 2];
	struct pmif_noise_handshake *ini, *resp;
	uint8_t first[128], pl[256];
	size_t len, flen, plen;
	int p, pos, iter, rc;

	(void)state;
	for (p = 0; p < NPATTERNS; p++) {
		for (pos = 0; pos < 2; pos++) {
			for (iter = 0; iter < 200; iter++) {
				new_pair((enum pmif_noise_pattern)p, &ini, &resp, NULL);
				if (iter % 50 == 49)
					len = PMIF_NOISE_MAX_MSG + (size_t)(rng() % 2);
				else
					len = (size_t)(rng() % 200);
				rng_fill(buf, len);
				memset(pl, 0xa5, sizeof pl);
				plen = SENTINEL;
				if (pos == 0) {
					rc = pmif_noise_handshake_read(resp, buf, len, pl,
					                               sizeof pl, &plen);
				} else {
					assert_int_equal(
					    pmif_noise_handshake_write(ini, NULL, 0, first,
					                               sizeof first, &flen),
					    0);
					rc = pmif_noise_handshake_read(ini, buf, len, pl, sizeof pl,
					                               &plen);
				}
				if (rc == 0) {
					/* Only NN/NX message 1 has no MAC to fail. */
					assert_true(pos == 0 && p != PMIF_NOISE_NK);
					assert_int_equal(plen, len - 32);
				} else {
					assert_true(rc == PMIF_EINVAL || rc == PMIF_EAUTH ||
					            rc == PMIF_ETOOBIG);
					assert_int_equal(plen, SENTINEL);
					assert_int_equal(pl[0], 0xa5);
				}
				pmif_noise_handshake_free(resp);
				pmif_noise_handshake_free(ini);
			}
		}
	}
}

/* ---- transport -------------------------------------------------------- */

static void test_transport_bitflip(void **state)
{
	struct pmif_noise_cipher enc, dec;
	uint8_t ct[64], pt[64];
	size_t len, plen, i;
	int bit;

	(void)state;
	random_cipher(&enc);
	dec = enc;
	assert_int_equal(pmif_noise_encrypt(&enc, (const uint8_t *)"hdr", 3,
	                                    (const uint8_t *)"secret", 6, ct, sizeof ct, &len),
	                 0);
	assert_int_equal(len, 6 + PMIF_NOISE_TAGLEN);
	assert_int_equal(enc.n, 1);
	for (i = 0; i < len; i++) {
		for (bit = 0; bit < 8; bit++) {
			ct[i] ^= (uint8_t)(1u << bit);
			memset(pt, 0xa5, sizeof pt);
			plen = SENTINEL;
			assert_int_equal(pmif_noise_decrypt(&dec, (const uint8_t *)"hdr", 3, ct,
			                                    len, pt, sizeof pt, &plen),
			                 PMIF_EAUTH);
			ct[i] ^= (uint8_t)(1u << bit);
			assert_int_equal(dec.n, 0);
			assert_int_equal(plen, SENTINEL);
			/* no unauthenticated plaintext: its bytes wiped, the rest untouched */
			for (size_t k = 0; k < sizeof pt; k++)
				assert_int_equal(pt[k], k < 6 ? 0 : 0xa5);
		}
	}
	/* Wrong associated data fails too; then the genuine message passes. */
	assert_int_equal(
	    pmif_noise_decrypt(&dec, (const uint8_t *)"hdR", 3, ct, len, pt, sizeof pt, &plen),
	    PMIF_EAUTH);
	assert_int_equal(dec.n, 0);
	assert_int_equal(
	    pmif_noise_decrypt(&dec, (const uint8_t *)"hdr", 3, ct, len, pt, sizeof pt, &plen), 0);
	assert_int_equal(dec.n, 1);
	assert_int_equal(plen, 6);
	assert_memory_equal(pt, "secret", 6);
	/* A replay at the next nonce fails. */
	assert_int_equal(
	    pmif_noise_decrypt(&dec, (const uint8_t *)"hdr", 3, ct, len, pt, sizeof pt, &plen),
	    PMIF_EAUTH);
	assert_int_equal(dec.n, 1);
}

static void test_transport_truncated(void **state)
{
	struct pmif_noise_cipher enc, dec;
	uint8_t ct[64], pt[64];
	size_t len, plen = SENTINEL, cut;
	int rc;

	(void)state;
	random_cipher(&enc);
	dec = enc;
	assert_int_equal(pmif_noise_encrypt(&enc, NULL, 0, (const uint8_t *)"0123456789", 10, ct,
	                                    sizeof ct, &len),
	                 0);
	for (cut = 0; cut < len; cut++) {
		rc = pmif_noise_decrypt(&dec, NULL, 0, ct, cut, pt, sizeof pt, &plen);
		assert_int_equal(rc, cut < PMIF_NOISE_TAGLEN ? PMIF_EINVAL : PMIF_EAUTH);
		assert_int_equal(dec.n, 0);
		assert_int_equal(plen, SENTINEL);
	}
	assert_int_equal(pmif_noise_decrypt(&dec, NULL, 0, ct, len, pt, sizeof pt, &plen), 0);
}

static void test_transport_explicit_nonce(void **state)
{
	struct pmif_noise_cipher c;
	uint8_t ct[64], pt[64];
	size_t len, plen = SENTINEL;

	(void)state;
	random_cipher(&c);
	c.n = 3;
	assert_int_equal(
	    pmif_noise_encrypt_at(&c, 5, NULL, 0, (const uint8_t *)"frame", 5, ct, sizeof ct, &len),
	    0);
	assert_int_equal(pmif_noise_decrypt_at(&c, 4, NULL, 0, ct, len, pt, sizeof pt, &plen),
	                 PMIF_EAUTH);
	assert_int_equal(pmif_noise_decrypt_at(&c, 6, NULL, 0, ct, len, pt, sizeof pt, &plen),
	                 PMIF_EAUTH);
	assert_int_equal(pmif_noise_decrypt(&c, NULL, 0, ct, len, pt, sizeof pt, &plen),
	                 PMIF_EAUTH);
	assert_int_equal(plen, SENTINEL);
	assert_int_equal(pmif_noise_decrypt_at(&c, 5, NULL, 0, ct, len, pt, sizeof pt, &plen), 0);
	assert_int_equal(plen, 5);
	assert_memory_equal(pt, "frame", 5);
	assert_int_equal(c.n, 3);
	/* _at at n and the counter form at n agree. */
	c.n = 5;
	assert_int_equal(
	    pmif_noise_encrypt(&c, NULL, 0, (const uint8_t *)"frame", 5, pt, sizeof pt, &plen), 0);
	assert_int_equal(plen, len);
	assert_memory_equal(pt, ct, len);
	assert_int_equal(c.n, 6);
	assert_int_equal(pmif_noise_encrypt_at(&c, UINT64_MAX, NULL, 0, pt, 1, ct, sizeof ct, &len),
	                 PMIF_EINVAL);
	assert_int_equal(
	    pmif_noise_decrypt_at(&c, UINT64_MAX, NULL, 0, ct, 17, pt, sizeof pt, &plen),
	    PMIF_EINVAL);
}

static void test_nonce_exhaustion(void **state)
{
	struct pmif_noise_cipher enc, dec;
	uint8_t ct[64], pt[64];
	size_t len, plen;

	(void)state;
	random_cipher(&enc);
	enc.n = UINT64_MAX - 1;
	dec = enc;
	assert_int_equal(
	    pmif_noise_encrypt(&enc, NULL, 0, (const uint8_t *)"last", 4, ct, sizeof ct, &len), 0);
	assert_int_equal(enc.n, UINT64_MAX);
	assert_int_equal(
	    pmif_noise_encrypt(&enc, NULL, 0, (const uint8_t *)"more", 4, pt, sizeof pt, &plen),
	    PMIF_ESTATE);
	assert_int_equal(enc.n, UINT64_MAX);
	assert_int_equal(pmif_noise_decrypt(&dec, NULL, 0, ct, len, pt, sizeof pt, &plen), 0);
	assert_int_equal(dec.n, UINT64_MAX);
	assert_int_equal(pmif_noise_decrypt(&dec, NULL, 0, ct, len, pt, sizeof pt, &plen),
	                 PMIF_ESTATE);
}

static void test_transport_limits(void **state)
{
	struct pmif_noise_cipher c, keyless;
	uint8_t *buf, small[32];
	size_t len = SENTINEL, plen;

	(void)state;
	buf = calloc(1, PMIF_NOISE_MAX_MSG + 1);
	assert_non_null(buf);
	random_cipher(&c);
	memset(&keyless, 0, sizeof keyless);
	assert_int_equal(pmif_noise_encrypt(&keyless, NULL, 0, small, 1, small, sizeof small, &len),
	                 PMIF_ESTATE);
	assert_int_equal(
	    pmif_noise_decrypt(&keyless, NULL, 0, small, 17, small, sizeof small, &len),
	    PMIF_ESTATE);
	assert_int_equal(pmif_noise_encrypt(&c, NULL, 0, buf, PMIF_NOISE_MAX_MSG - 15, buf,
	                                    PMIF_NOISE_MAX_MSG + 1, &len),
	                 PMIF_ETOOBIG);
	assert_int_equal(pmif_noise_encrypt(&c, NULL, 0, small, 17, small, sizeof small, &len),
	                 PMIF_ETOOBIG);
	assert_int_equal(pmif_noise_encrypt(&c, NULL, 1, small, 1, small, sizeof small, &len),
	                 PMIF_EINVAL);
	assert_int_equal(
	    pmif_noise_encrypt(&c, small, (size_t)INT_MAX + 1, small, 1, small, sizeof small, &len),
	    PMIF_ETOOBIG);
	assert_int_equal(pmif_noise_decrypt(&c, NULL, 0, buf, PMIF_NOISE_MAX_MSG + 1, buf,
	                                    PMIF_NOISE_MAX_MSG + 1, &len),
	                 PMIF_ETOOBIG);
	assert_int_equal(len, SENTINEL);
	assert_int_equal(c.n, 0);
	/* The largest message fits exactly, in place. */
	assert_int_equal(pmif_noise_encrypt(&c, NULL, 0, buf, PMIF_NOISE_MAX_MSG - 16, buf,
	                                    PMIF_NOISE_MAX_MSG, &len),
	                 0);
	assert_int_equal(len, PMIF_NOISE_MAX_MSG);
	c.n = 0;
	assert_int_equal(
	    pmif_noise_decrypt(&c, NULL, 0, buf, len, buf, PMIF_NOISE_MAX_MSG - 17, &plen),
	    PMIF_ETOOBIG);
	assert_int_equal(c.n, 0);
	assert_int_equal(pmif_noise_decrypt(&c, NULL, 0, buf, len, buf, len, &plen), 0);
	assert_int_equal(plen, PMIF_NOISE_MAX_MSG - 16);
	assert_int_equal(buf[0], 0);
	assert_int_equal(buf[plen - 1], 0);
	free(buf);
}

static void test_transport_garbage(void **state)
{
	struct pmif_noise_cipher c;
	uint8_t buf[300], pt[300];
	size_t len, plen;
	int iter, rc;

	(void)state;
	random_cipher(&c);
	for (iter = 0; iter < 500; iter++) {
		len = (size_t)(rng() % sizeof buf);
		rng_fill(buf, len);
		plen = SENTINEL;
		rc = pmif_noise_decrypt_at(&c, rng() >> 1, NULL, 0, buf, len, pt, sizeof pt, &plen);
		assert_int_equal(rc, len < PMIF_NOISE_TAGLEN ? PMIF_EINVAL : PMIF_EAUTH);
		assert_int_equal(plen, SENTINEL);
	}
}

static void test_rekey(void **state)
{
	/*
	 * Known answers from an independent implementation (pyca/cryptography):
	 * key 00 01 .. 1f rekeyed, then "frame" sealed at nonce 5 with ad "hdr".
	 */
	static const uint8_t want_k[32] = {0x50, 0x83, 0x55, 0x43, 0xa2, 0x05, 0xb2, 0x2c,
	                                   0x93, 0x23, 0xf2, 0x02, 0x2b, 0xc4, 0xf6, 0x7d,
	                                   0x83, 0x8f, 0x90, 0xe6, 0x1d, 0x5c, 0xcf, 0x33,
	                                   0xc4, 0x51, 0x3e, 0x01, 0xf8, 0x5b, 0x50, 0x42};
	static const uint8_t want_ct[21] = {0x34, 0xbe, 0xc9, 0x65, 0x5d, 0x64, 0x66,
	                                    0x4f, 0x94, 0xdc, 0x30, 0x0b, 0x1c, 0x29,
	                                    0xc5, 0x02, 0x5d, 0x91, 0x64, 0x62, 0x27};
	struct pmif_noise_cipher a, b, old, keyless;
	uint8_t ct[64], pt[64];
	size_t len, plen, i;

	(void)state;
	memset(&a, 0, sizeof a);
	for (i = 0; i < 32; i++)
		a.k[i] = (uint8_t)i;
	a.has_key = 1;
	assert_int_equal(pmif_noise_cipher_rekey(&a), 0);
	assert_memory_equal(a.k, want_k, 32);
	assert_int_equal(pmif_noise_encrypt_at(&a, 5, (const uint8_t *)"hdr", 3,
	                                       (const uint8_t *)"frame", 5, ct, sizeof ct, &len),
	                 0);
	assert_int_equal(len, sizeof want_ct);
	assert_memory_equal(ct, want_ct, sizeof want_ct);

	random_cipher(&a);
	a.n = 7;
	b = a;
	old = a;
	assert_int_equal(pmif_noise_cipher_rekey(&a), 0);
	assert_int_equal(pmif_noise_cipher_rekey(&b), 0);
	assert_memory_equal(a.k, b.k, 32);
	assert_memory_not_equal(a.k, old.k, 32);
	assert_int_equal(a.n, 7);
	assert_int_equal(
	    pmif_noise_encrypt(&a, NULL, 0, (const uint8_t *)"k2", 2, ct, sizeof ct, &len), 0);
	assert_int_equal(pmif_noise_decrypt(&old, NULL, 0, ct, len, pt, sizeof pt, &plen),
	                 PMIF_EAUTH);
	assert_int_equal(pmif_noise_decrypt(&b, NULL, 0, ct, len, pt, sizeof pt, &plen), 0);
	memset(&keyless, 0, sizeof keyless);
	assert_int_equal(pmif_noise_cipher_rekey(&keyless), PMIF_ESTATE);
	pmif_noise_cipher_clear(&a);
	assert_int_equal(a.has_key, 0);
	assert_int_equal(a.n, 0);
	pmif_noise_cipher_clear(NULL);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_vectors),
	    cmocka_unit_test(test_x25519),
	    cmocka_unit_test(test_roundtrip_all_patterns),
	    cmocka_unit_test(test_new_rejects_bad_arguments),
	    cmocka_unit_test(test_wrong_order),
	    cmocka_unit_test(test_handshake_tamper),
	    cmocka_unit_test(test_nk_wrong_server_key),
	    cmocka_unit_test(test_low_order_point),
	    cmocka_unit_test(test_handshake_truncated),
	    cmocka_unit_test(test_handshake_limits),
	    cmocka_unit_test(test_handshake_garbage),
	    cmocka_unit_test(test_transport_bitflip),
	    cmocka_unit_test(test_transport_truncated),
	    cmocka_unit_test(test_transport_explicit_nonce),
	    cmocka_unit_test(test_nonce_exhaustion),
	    cmocka_unit_test(test_transport_limits),
	    cmocka_unit_test(test_transport_garbage),
	    cmocka_unit_test(test_rekey),
	};
	const char *env = getenv("PMIF_NOISE_VECTORS");

	if (argc > 1)
		vectors_path = argv[1];
	else if (env != NULL && env[0] != '\0')
		vectors_path = env;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
