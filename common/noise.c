/*
 * noise.c - Noise Protocol Framework rev. 34, suite 25519_ChaChaPoly_SHA256.
 *
 * The three layers follow the spec's sections 5.1-5.3 one to one:
 * CipherState (AEAD with a counter nonce), SymmetricState (ck, h, MixKey,
 * MixHash, EncryptAndHash, DecryptAndHash, Split) and HandshakeState, which
 * interprets a message pattern from the table below token by token.  The
 * primitives (OpenSSL 3 EVP calls) are in noise_crypto.c.
 *
 * The HandshakeState is plain data (raw key bytes, no OpenSSL objects), so a
 * message is processed on a copy that replaces the state only on success:
 * a bad message leaves the handshake untouched and the copy is wiped.
 */
#include "noise.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "error.h"
#include "noise_crypto.h"

#define NONCE_MAX UINT64_MAX /* reserved: never used for a message */

/* ---- message patterns ------------------------------------------------- */

enum token { TOK_END = 0, TOK_E, TOK_S, TOK_EE, TOK_ES, TOK_SE, TOK_SS };

#define MAX_MESSAGES 3
#define MAX_TOKENS   5 /* per message, TOK_END included */

/*
 * A handshake pattern.  Messages alternate starting with the initiator, as
 * in every Noise pattern, so message i is the initiator's when i is even.
 * Pre-messages are limited to static keys, all that NK-style patterns need.
 */
struct pattern {
	const char *protocol_name;
	int pre_initiator_s; /* "-> s" before "..." */
	int pre_responder_s; /* "<- s" before "..." */
	size_t nmessages;
	enum token messages[MAX_MESSAGES][MAX_TOKENS];
};

static const struct pattern patterns[] = {
    [PMIF_NOISE_NN] = {.protocol_name = "Noise_NN_25519_ChaChaPoly_SHA256",
                       .nmessages = 2,
                       .messages = {{TOK_E}, {TOK_E, TOK_EE}}},
    [PMIF_NOISE_NK] = {.protocol_name = "Noise_NK_25519_ChaChaPoly_SHA256",
                       .pre_responder_s = 1,
                       .nmessages = 2,
                       .messages = {{TOK_E, TOK_ES}, {TOK_E, TOK_EE}}},
    [PMIF_NOISE_NX] = {.protocol_name = "Noise_NX_25519_ChaChaPoly_SHA256",
                       .nmessages = 2,
                       .messages = {{TOK_E}, {TOK_E, TOK_EE, TOK_S, TOK_ES}}},
};

/* ---- state ------------------------------------------------------------ */

struct symmetric {
	uint8_t ck[HASHLEN];
	uint8_t h[HASHLEN];
	struct pmif_noise_cipher cs;
};

struct keypair {
	uint8_t priv[DHLEN];
	uint8_t pub[DHLEN];
	int present;
};

struct pmif_noise_handshake {
	const struct pattern *pat;
	int initiator;
	size_t next;    /* index of the next message to write or read */
	int split_done; /* Split() ran; ck and private keys are wiped */
	struct symmetric sym;
	struct keypair s;
	struct keypair e;
	uint8_t rs[DHLEN];
	int has_rs;
	uint8_t re[DHLEN];
	int has_re;
	uint8_t e_fixed[DHLEN]; /* test-vector ephemeral, used by the "e" token */
	int has_e_fixed;
};

/* ---- CipherState (spec 5.1) -------------------------------------------- */

static void cipher_init_key(struct pmif_noise_cipher *cs, const uint8_t k[PMIF_NOISE_KEYLEN])
{
	memcpy(cs->k, k, PMIF_NOISE_KEYLEN);
	cs->n = 0;
	cs->has_key = 1;
}

/*
 * EncryptWithAd(): ciphertext = plaintext while there is no key.  @p out
 * has room for len (+ TAGLEN with a key) and does not overlap @p pt.
 */
static int cipher_encrypt_ad(struct pmif_noise_cipher *cs, const uint8_t *ad, size_t adlen,
                             const uint8_t *pt, size_t len, uint8_t *out)
{
	int rc;

	if (!cs->has_key) {
		if (len > 0)
			memcpy(out, pt, len);
		return 0;
	}
	if (cs->n == NONCE_MAX)
		return PMIF_ESTATE;
	if ((rc = noise_aead(1, cs->k, cs->n, ad, adlen, pt, len, out)) != 0)
		return rc;
	cs->n++;
	return 0;
}

/* DecryptWithAd(): the nonce advances only when the tag verifies. */
static int cipher_decrypt_ad(struct pmif_noise_cipher *cs, const uint8_t *ad, size_t adlen,
                             const uint8_t *ct, size_t len, uint8_t *out)
{
	int rc;

	if (!cs->has_key) {
		if (len > 0)
			memcpy(out, ct, len);
		return 0;
	}
	if (cs->n == NONCE_MAX)
		return PMIF_ESTATE;
	if (len < TAGLEN)
		return PMIF_EINVAL;
	if ((rc = noise_aead(0, cs->k, cs->n, ad, adlen, ct, len, out)) != 0)
		return rc;
	cs->n++;
	return 0;
}

/* ---- SymmetricState (spec 5.2) ----------------------------------------- */

static int symmetric_init(struct symmetric *sym, const char *protocol_name)
{
	size_t len = strlen(protocol_name);
	int rc;

	memset(sym, 0, sizeof *sym);
	if (len <= HASHLEN) {
		memcpy(sym->h, protocol_name, len);
	} else if ((rc = noise_sha256((const uint8_t *)protocol_name, len, NULL, 0, sym->h)) != 0) {
		return rc;
	}
	memcpy(sym->ck, sym->h, HASHLEN);
	return 0;
}

static int mix_hash(struct symmetric *sym, const uint8_t *data, size_t len)
{
	return noise_sha256(sym->h, HASHLEN, data, len, sym->h);
}

static int mix_key(struct symmetric *sym, const uint8_t *ikm, size_t len)
{
	uint8_t ck[HASHLEN], k[HASHLEN];
	int rc;

	if ((rc = noise_hkdf2(sym->ck, ikm, len, ck, k)) == 0) {
		memcpy(sym->ck, ck, HASHLEN);
		cipher_init_key(&sym->cs, k); /* HASHLEN == 32: no truncation */
	}
	OPENSSL_cleanse(k, sizeof k);
	OPENSSL_cleanse(ck, sizeof ck);
	return rc;
}

/* @p out gets len (+ TAGLEN with a key) bytes and must not overlap @p pt. */
static int encrypt_and_hash(struct symmetric *sym, const uint8_t *pt, size_t len, uint8_t *out)
{
	size_t ctlen = len + (sym->cs.has_key ? TAGLEN : 0);
	int rc;

	if ((rc = cipher_encrypt_ad(&sym->cs, sym->h, HASHLEN, pt, len, out)) != 0)
		return rc;
	return mix_hash(sym, out, ctlen);
}

/* @p out gets len (- TAGLEN with a key) bytes and must not overlap @p ct. */
static int decrypt_and_hash(struct symmetric *sym, const uint8_t *ct, size_t len, uint8_t *out)
{
	int rc;

	/* DECRYPT uses the old h as ad; MixHash(ciphertext) comes after. */
	if ((rc = cipher_decrypt_ad(&sym->cs, sym->h, HASHLEN, ct, len, out)) != 0)
		return rc;
	return mix_hash(sym, ct, len);
}

/* ---- HandshakeState (spec 5.3) ----------------------------------------- */

/* Does this role need a local static key anywhere in the pattern? */
static int uses_local_static(const struct pattern *pat, int initiator)
{
	size_t i, j;

	if (initiator ? pat->pre_initiator_s : pat->pre_responder_s)
		return 1;
	for (i = 0; i < pat->nmessages; i++) {
		int mine = (i % 2 == 0) == (initiator != 0);

		for (j = 0; pat->messages[i][j] != TOK_END; j++) {
			enum token t = pat->messages[i][j];

			if ((t == TOK_S && mine) || t == TOK_SS || (t == TOK_ES && !initiator) ||
			    (t == TOK_SE && initiator))
				return 1;
		}
	}
	return 0;
}

int pmif_noise_handshake_new(struct pmif_noise_handshake **out, enum pmif_noise_pattern pattern,
                             int initiator, const uint8_t *prologue, size_t prologue_len,
                             const uint8_t *s_priv, const uint8_t *rs_pub, const uint8_t *e_priv)
{
	struct pmif_noise_handshake *hs = NULL;
	const struct pattern *pat;
	int remote_pre, rc;

	if (out == NULL || (prologue == NULL && prologue_len > 0))
		return PMIF_EINVAL;
	if ((int)pattern < 0 || (size_t)pattern >= sizeof patterns / sizeof patterns[0])
		return PMIF_EINVAL;
	pat = &patterns[pattern];
	remote_pre = initiator ? pat->pre_responder_s : pat->pre_initiator_s;
	if ((s_priv != NULL) != uses_local_static(pat, initiator) ||
	    (rs_pub != NULL) != (remote_pre != 0))
		return PMIF_EINVAL;

	hs = calloc(1, sizeof *hs);
	if (hs == NULL)
		return PMIF_ENOMEM;
	hs->pat = pat;
	hs->initiator = initiator != 0;
	if (s_priv != NULL) {
		memcpy(hs->s.priv, s_priv, DHLEN);
		if ((rc = noise_x25519_public(hs->s.priv, hs->s.pub)) != 0)
			goto out;
		hs->s.present = 1;
	}
	if (rs_pub != NULL) {
		memcpy(hs->rs, rs_pub, DHLEN);
		hs->has_rs = 1;
	}
	if (e_priv != NULL) {
		memcpy(hs->e_fixed, e_priv, DHLEN);
		hs->has_e_fixed = 1;
	}
	if ((rc = symmetric_init(&hs->sym, pat->protocol_name)) != 0)
		goto out;
	if ((rc = mix_hash(&hs->sym, prologue, prologue_len)) != 0)
		goto out;
	/* Pre-messages: the initiator's first, each side hashing the same keys. */
	if (pat->pre_initiator_s &&
	    (rc = mix_hash(&hs->sym, hs->initiator ? hs->s.pub : hs->rs, DHLEN)) != 0)
		goto out;
	if (pat->pre_responder_s &&
	    (rc = mix_hash(&hs->sym, hs->initiator ? hs->rs : hs->s.pub, DHLEN)) != 0)
		goto out;
	*out = hs;
	hs = NULL;
out:
	pmif_noise_handshake_free(hs);
	return rc;
}

void pmif_noise_handshake_free(struct pmif_noise_handshake *hs)
{
	if (hs != NULL)
		OPENSSL_clear_free(hs, sizeof *hs);
}

int pmif_noise_handshake_done(const struct pmif_noise_handshake *hs)
{
	return hs != NULL && hs->next >= hs->pat->nmessages;
}

/* 0 if @p hs may write (writing != 0) or read the next message, else PMIF_ESTATE. */
static int check_turn(const struct pmif_noise_handshake *hs, int writing)
{
	int initiators_turn = hs->next % 2 == 0;

	if (hs->split_done || hs->next >= hs->pat->nmessages)
		return PMIF_ESTATE;
	if (initiators_turn != (writing ? hs->initiator : !hs->initiator))
		return PMIF_ESTATE;
	return 0;
}

/*
 * Bytes taken by the tokens of the next message, before the payload, and
 * whether a key will be in place for the payload.  Computed from the
 * pattern alone so neither side trusts a length from the wire.
 */
static size_t token_bytes(const struct pmif_noise_handshake *hs, int *key_for_payload)
{
	const enum token *t = hs->pat->messages[hs->next];
	int has_key = hs->sym.cs.has_key;
	size_t n = 0;

	for (; *t != TOK_END; t++) {
		switch (*t) {
		case TOK_E: n += DHLEN; break;
		case TOK_S: n += DHLEN + (has_key ? TAGLEN : 0); break;
		default: has_key = 1; break; /* every DH token runs MixKey */
		}
	}
	*key_for_payload = has_key;
	return n;
}

/* Tokens ee, es, se, ss: MixKey(DH(local, remote)) per the spec's role table. */
static int mix_dh(struct pmif_noise_handshake *w, enum token t)
{
	const struct keypair *local;
	const uint8_t *remote;
	uint8_t shared[DHLEN];
	int local_s, remote_s, rc;

	switch (t) {
	case TOK_EE: local_s = 0, remote_s = 0; break;
	case TOK_ES: local_s = !w->initiator, remote_s = w->initiator; break;
	case TOK_SE: local_s = w->initiator, remote_s = !w->initiator; break;
	case TOK_SS: local_s = 1, remote_s = 1; break;
	default: return PMIF_EINVAL;
	}
	local = local_s ? &w->s : &w->e;
	remote = remote_s ? w->rs : w->re;
	if (!local->present || !(remote_s ? w->has_rs : w->has_re))
		return PMIF_ESTATE;
	if ((rc = noise_x25519(local->priv, remote, shared)) == 0)
		rc = mix_key(&w->sym, shared, DHLEN);
	OPENSSL_cleanse(shared, sizeof shared);
	return rc;
}

/* The "e" token on the writing side: (fixed or fresh) ephemeral, MixHash(e.pub). */
static int write_e(struct pmif_noise_handshake *w, uint8_t *buf)
{
	int rc;

	if (w->e.present)
		return PMIF_ESTATE;
	if (w->has_e_fixed)
		memcpy(w->e.priv, w->e_fixed, DHLEN);
	else if (RAND_priv_bytes(w->e.priv, DHLEN) != 1)
		return PMIF_ECRYPTO;
	if ((rc = noise_x25519_public(w->e.priv, w->e.pub)) != 0)
		return rc;
	w->e.present = 1;
	memcpy(buf, w->e.pub, DHLEN);
	return mix_hash(&w->sym, w->e.pub, DHLEN);
}

int pmif_noise_handshake_write(struct pmif_noise_handshake *hs, const uint8_t *payload, size_t len,
                               uint8_t *out, size_t cap, size_t *outlen)
{
	struct pmif_noise_handshake w;
	const enum token *t;
	uint8_t *buf = NULL;
	size_t need = 0, pos = 0;
	int key_for_payload, rc;

	memset(&w, 0, sizeof w);
	if (hs == NULL || (payload == NULL && len > 0) || out == NULL || outlen == NULL)
		return PMIF_EINVAL;
	if ((rc = check_turn(hs, 1)) != 0)
		return rc;
	if (len > MAXMSG)
		return PMIF_ETOOBIG;
	need = token_bytes(hs, &key_for_payload) + len + (key_for_payload ? TAGLEN : 0);
	if (need > MAXMSG || need > cap)
		return PMIF_ETOOBIG;
	buf = malloc(need);
	if (buf == NULL)
		return PMIF_ENOMEM;

	w = *hs;
	for (t = w.pat->messages[w.next]; *t != TOK_END; t++) {
		switch (*t) {
		case TOK_E:
			rc = write_e(&w, buf + pos);
			pos += DHLEN;
			break;
		case TOK_S:
			rc = w.s.present ? encrypt_and_hash(&w.sym, w.s.pub, DHLEN, buf + pos)
			                 : PMIF_ESTATE;
			pos += DHLEN + (w.sym.cs.has_key ? TAGLEN : 0);
			break;
		default: rc = mix_dh(&w, *t); break;
		}
		if (rc != 0)
			goto out;
	}
	if ((rc = encrypt_and_hash(&w.sym, payload, len, buf + pos)) != 0)
		goto out;
	assert(pos + len + (key_for_payload ? TAGLEN : 0) == need);
	memcpy(out, buf, need);
	*outlen = need;
	w.next++;
	*hs = w;
out:
	OPENSSL_cleanse(&w, sizeof w);
	OPENSSL_clear_free(buf, need);
	return rc;
}

int pmif_noise_handshake_read(struct pmif_noise_handshake *hs, const uint8_t *msg, size_t len,
                              uint8_t *payload, size_t cap, size_t *payload_len)
{
	struct pmif_noise_handshake w;
	const enum token *t;
	uint8_t *plain = NULL;
	size_t fixed, plen = 0, pos = 0, n;
	int key_for_payload, rc;

	memset(&w, 0, sizeof w);
	if (hs == NULL || msg == NULL || (payload == NULL && cap > 0) || payload_len == NULL)
		return PMIF_EINVAL;
	if ((rc = check_turn(hs, 0)) != 0)
		return rc;
	if (len > MAXMSG)
		return PMIF_ETOOBIG;
	fixed = token_bytes(hs, &key_for_payload) + (key_for_payload ? TAGLEN : 0);
	if (len < fixed)
		return PMIF_EINVAL;
	plen = len - fixed;
	if (plen > cap)
		return PMIF_ETOOBIG;
	plain = malloc(plen > 0 ? plen : 1);
	if (plain == NULL)
		return PMIF_ENOMEM;

	w = *hs;
	for (t = w.pat->messages[w.next]; *t != TOK_END; t++) {
		switch (*t) {
		case TOK_E:
			if (w.has_re) {
				rc = PMIF_ESTATE;
				break;
			}
			memcpy(w.re, msg + pos, DHLEN);
			w.has_re = 1;
			pos += DHLEN;
			rc = mix_hash(&w.sym, w.re, DHLEN);
			break;
		case TOK_S:
			if (w.has_rs) {
				rc = PMIF_ESTATE;
				break;
			}
			n = DHLEN + (w.sym.cs.has_key ? TAGLEN : 0);
			rc = decrypt_and_hash(&w.sym, msg + pos, n, w.rs);
			w.has_rs = rc == 0;
			pos += n;
			break;
		default: rc = mix_dh(&w, *t); break;
		}
		if (rc != 0)
			goto out;
	}
	if ((rc = decrypt_and_hash(&w.sym, msg + pos, len - pos, plain)) != 0)
		goto out;
	if (plen > 0)
		memcpy(payload, plain, plen);
	*payload_len = plen;
	w.next++;
	*hs = w;
out:
	OPENSSL_cleanse(&w, sizeof w);
	OPENSSL_clear_free(plain, plen > 0 ? plen : 1);
	return rc;
}

int pmif_noise_handshake_split(struct pmif_noise_handshake *hs, struct pmif_noise_cipher *c1,
                               struct pmif_noise_cipher *c2, uint8_t h[32])
{
	uint8_t k1[HASHLEN], k2[HASHLEN];
	int rc;

	if (hs == NULL || c1 == NULL || c2 == NULL || c1 == c2)
		return PMIF_EINVAL;
	if (hs->split_done || !pmif_noise_handshake_done(hs))
		return PMIF_ESTATE;
	if ((rc = noise_hkdf2(hs->sym.ck, NULL, 0, k1, k2)) != 0)
		goto out;
	cipher_init_key(c1, k1);
	cipher_init_key(c2, k2);
	if (h != NULL)
		memcpy(h, hs->sym.h, HASHLEN);
	/* The handshake's secrets have served their purpose. */
	OPENSSL_cleanse(hs->sym.ck, sizeof hs->sym.ck);
	OPENSSL_cleanse(&hs->sym.cs, sizeof hs->sym.cs);
	OPENSSL_cleanse(&hs->s, sizeof hs->s);
	OPENSSL_cleanse(&hs->e, sizeof hs->e);
	OPENSSL_cleanse(hs->e_fixed, sizeof hs->e_fixed);
	hs->has_e_fixed = 0;
	hs->split_done = 1;
out:
	OPENSSL_cleanse(k2, sizeof k2);
	OPENSSL_cleanse(k1, sizeof k1);
	return rc;
}

int pmif_noise_handshake_hash(const struct pmif_noise_handshake *hs, uint8_t h[32])
{
	if (hs == NULL || h == NULL)
		return PMIF_EINVAL;
	if (!pmif_noise_handshake_done(hs))
		return PMIF_ESTATE;
	memcpy(h, hs->sym.h, HASHLEN);
	return 0;
}

int pmif_noise_handshake_remote_static(const struct pmif_noise_handshake *hs, uint8_t rs[32])
{
	if (hs == NULL || rs == NULL)
		return PMIF_EINVAL;
	if (!hs->has_rs)
		return PMIF_ESTATE;
	memcpy(rs, hs->rs, DHLEN);
	return 0;
}

/* ---- transport -------------------------------------------------------- */

/*
 * Shared body of the four transport calls.  The AEAD writes straight into
 * @p out when it is @p in itself or apart from it, else (a partial
 * overlap) through a scratch buffer.  On failure no unauthenticated
 * plaintext is left in @p out.
 */
static int transport(int enc, const struct pmif_noise_cipher *c, uint64_t n, const uint8_t *ad,
                     size_t adlen, const uint8_t *in, size_t len, uint8_t *out, size_t cap,
                     size_t *outlen)
{
	uint8_t *tmp = NULL;
	size_t result;
	int rc;

	if (c == NULL || (ad == NULL && adlen > 0) || (in == NULL && len > 0) || outlen == NULL)
		return PMIF_EINVAL;
	if (!c->has_key)
		return PMIF_ESTATE;
	if (n == NONCE_MAX)
		return PMIF_EINVAL;
	if (adlen > INT_MAX || len > MAXMSG || (enc && len > MAXMSG - TAGLEN))
		return PMIF_ETOOBIG;
	if (!enc && len < TAGLEN)
		return PMIF_EINVAL;
	result = enc ? len + TAGLEN : len - TAGLEN;
	if (result > cap)
		return PMIF_ETOOBIG;
	if (out == NULL && result > 0)
		return PMIF_EINVAL;
	if (out == in || result == 0 || in == NULL || out + result <= in || in + len <= out) {
		rc = noise_aead(enc, c->k, n, ad, adlen, in, len, out);
		if (rc == 0)
			*outlen = result;
		return rc;
	}
	tmp = malloc(result);
	if (tmp == NULL)
		return PMIF_ENOMEM;
	if ((rc = noise_aead(enc, c->k, n, ad, adlen, in, len, tmp)) == 0) {
		memcpy(out, tmp, result);
		*outlen = result;
	}
	OPENSSL_clear_free(tmp, result);
	return rc;
}

int pmif_noise_encrypt_at(const struct pmif_noise_cipher *c, uint64_t n, const uint8_t *ad,
                          size_t adlen, const uint8_t *pt, size_t len, uint8_t *out, size_t cap,
                          size_t *outlen)
{
	return transport(1, c, n, ad, adlen, pt, len, out, cap, outlen);
}

int pmif_noise_decrypt_at(const struct pmif_noise_cipher *c, uint64_t n, const uint8_t *ad,
                          size_t adlen, const uint8_t *ct, size_t len, uint8_t *out, size_t cap,
                          size_t *outlen)
{
	return transport(0, c, n, ad, adlen, ct, len, out, cap, outlen);
}

int pmif_noise_encrypt(struct pmif_noise_cipher *c, const uint8_t *ad, size_t adlen,
                       const uint8_t *pt, size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
	int rc;

	if (c == NULL)
		return PMIF_EINVAL;
	if (c->has_key && c->n == NONCE_MAX)
		return PMIF_ESTATE;
	if ((rc = transport(1, c, c->n, ad, adlen, pt, len, out, cap, outlen)) == 0)
		c->n++;
	return rc;
}

int pmif_noise_decrypt(struct pmif_noise_cipher *c, const uint8_t *ad, size_t adlen,
                       const uint8_t *ct, size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
	int rc;

	if (c == NULL)
		return PMIF_EINVAL;
	if (c->has_key && c->n == NONCE_MAX)
		return PMIF_ESTATE;
	if ((rc = transport(0, c, c->n, ad, adlen, ct, len, out, cap, outlen)) == 0)
		c->n++;
	return rc;
}

int pmif_noise_cipher_rekey(struct pmif_noise_cipher *c)
{
	static const uint8_t zeros[PMIF_NOISE_KEYLEN];
	uint8_t ct[PMIF_NOISE_KEYLEN + TAGLEN];
	int rc;

	if (c == NULL)
		return PMIF_EINVAL;
	if (!c->has_key)
		return PMIF_ESTATE;
	/* The one use of the reserved nonce 2^64-1 (spec section 4.2). */
	if ((rc = noise_aead(1, c->k, NONCE_MAX, NULL, 0, zeros, sizeof zeros, ct)) == 0)
		memcpy(c->k, ct, PMIF_NOISE_KEYLEN);
	OPENSSL_cleanse(ct, sizeof ct);
	return rc;
}

void pmif_noise_cipher_clear(struct pmif_noise_cipher *c)
{
	if (c != NULL)
		OPENSSL_cleanse(c, sizeof *c);
}
