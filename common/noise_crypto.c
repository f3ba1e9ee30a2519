/*
 * noise_crypto.c - the primitives of Noise_*_25519_ChaChaPoly_SHA256 on
 * OpenSSL 3: X25519 through EVP_PKEY, ChaCha20-Poly1305 through EVP_CIPHER
 * (a cipher context per thread, the algorithm fetched once), SHA-256
 * through EVP_MD and HMAC through EVP_MAC; and the key and hash entry
 * points of noise.h that need no handshake.
 */
#include <assert.h>
#include <pthread.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "error.h"
#include "noise_crypto.h"

/* ---- primitives: X25519, ChaCha20-Poly1305, SHA-256, HMAC-SHA256 ------ */

int noise_x25519_public(const uint8_t priv[DHLEN], uint8_t pub[DHLEN])
{
	EVP_PKEY *pk;
	size_t len = DHLEN;
	int rc = PMIF_ECRYPTO;

	pk = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, DHLEN);
	if (pk == NULL)
		goto out;
	if (EVP_PKEY_get_raw_public_key(pk, pub, &len) != 1 || len != DHLEN)
		goto out;
	rc = 0;
out:
	EVP_PKEY_free(pk);
	return rc;
}

/*
 * DH(priv, pub).  OpenSSL refuses an all-zero result (a low-order remote
 * point); that is bad input from the peer, so it maps to PMIF_EINVAL.
 */
int noise_x25519(const uint8_t priv[DHLEN], const uint8_t pub[DHLEN], uint8_t out[DHLEN])
{
	EVP_PKEY *local = NULL, *remote = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t len = DHLEN;
	int rc = PMIF_ECRYPTO;

	local = EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv, DHLEN);
	remote = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, pub, DHLEN);
	if (local == NULL || remote == NULL)
		goto out;
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, local, NULL);
	if (ctx == NULL || EVP_PKEY_derive_init(ctx) != 1 ||
	    EVP_PKEY_derive_set_peer_ex(ctx, remote, 0) != 1)
		goto out;
	if (EVP_PKEY_derive(ctx, out, &len) != 1 || len != DHLEN) {
		OPENSSL_cleanse(out, DHLEN);
		rc = PMIF_EINVAL;
		goto out;
	}
	rc = 0;
out:
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(remote);
	EVP_PKEY_free(local);
	return rc;
}

/*
 * The algorithms are fetched from the provider once and shared by every
 * thread (OpenSSL's fetched objects are immutable and reference counted);
 * fetching per call cost more than the encryption itself.  Each thread
 * also keeps one cipher and one digest context and re-keys it per call:
 * making and freeing a context per message cost as much as the cipher.
 * The contexts are freed when their thread exits.
 */
struct thread_ctx {
	EVP_CIPHER_CTX *cipher;
	int cipher_ready; /* the cipher is set; later inits pass only key and IV */
	EVP_MD_CTX *md;
};

static pthread_once_t fetch_once = PTHREAD_ONCE_INIT;
static pthread_key_t thread_key;
static EVP_CIPHER *chachapoly;
static EVP_MD *sha256_md;

static void thread_ctx_free(void *arg)
{
	struct thread_ctx *t = arg;

	EVP_CIPHER_CTX_free(t->cipher);
	EVP_MD_CTX_free(t->md);
	free(t);
}

static void fetch_algorithms(void)
{
	chachapoly = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL);
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
	if (pthread_key_create(&thread_key, thread_ctx_free) != 0)
		chachapoly = NULL; /* every AEAD call then fails with PMIF_ECRYPTO */
}

/* This thread's contexts, made on first use; NULL when out of memory. */
static struct thread_ctx *thread_ctx(void)
{
	struct thread_ctx *t;

	pthread_once(&fetch_once, fetch_algorithms);
	if (chachapoly == NULL || sha256_md == NULL)
		return NULL;
	t = pthread_getspecific(thread_key);
	if (t != NULL)
		return t;
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return NULL;
	t->cipher = EVP_CIPHER_CTX_new();
	t->md = EVP_MD_CTX_new();
	if (t->cipher == NULL || t->md == NULL || pthread_setspecific(thread_key, t) != 0) {
		thread_ctx_free(t);
		return NULL;
	}
	return t;
}

/*
 * ENCRYPT(k, n, ad, plaintext) or DECRYPT(k, n, ad, ciphertext) with the
 * 96-bit nonce 0x00000000 || LE64(n).  Encryption writes len + TAGLEN bytes,
 * decryption len - TAGLEN (the caller guarantees len >= TAGLEN).  @p out is
 * either @p in itself or does not overlap it; after PMIF_EAUTH it is wiped.
 */
int noise_aead(int enc, const uint8_t k[PMIF_NOISE_KEYLEN], uint64_t n, const uint8_t *ad,
               size_t adlen, const uint8_t *in, size_t len, uint8_t *out)
{
	struct thread_ctx *t = thread_ctx();
	EVP_CIPHER_CTX *ctx;
	uint8_t iv[12] = {0};
	size_t body = enc ? len : len - TAGLEN;
	int outl, i;

	assert(adlen <= INT_MAX && len <= MAXMSG && (enc || len >= TAGLEN));
	if (t == NULL)
		return PMIF_ECRYPTO;
	ctx = t->cipher;
	for (i = 0; i < 8; i++)
		iv[4 + i] = (uint8_t)(n >> (8 * i));
	if (EVP_CipherInit_ex2(ctx, t->cipher_ready ? NULL : chachapoly, k, iv, enc, NULL) != 1)
		goto fail;
	t->cipher_ready = 1;
	if (adlen > 0 && EVP_CipherUpdate(ctx, NULL, &outl, ad, (int)adlen) != 1)
		goto fail;
	if (body > 0 && EVP_CipherUpdate(ctx, out, &outl, in, (int)body) != 1)
		goto fail;
	if (!enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, TAGLEN,
	                                (void *)(uintptr_t)(in + body)) != 1)
		goto fail;
	if (EVP_CipherFinal_ex(ctx, out + body, &outl) != 1) {
		if (body > 0)
			OPENSSL_cleanse(out, body);
		return enc ? PMIF_ECRYPTO : PMIF_EAUTH;
	}
	if (enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, TAGLEN, out + body) != 1)
		goto fail;
	return 0;
fail:
	/* a context left half-initialised is set up from scratch next time */
	EVP_CIPHER_CTX_reset(ctx);
	t->cipher_ready = 0;
	if (!enc && body > 0)
		OPENSSL_cleanse(out, body);
	return PMIF_ECRYPTO;
}

/* out = SHA256(a || b) */
int noise_sha256(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen, uint8_t out[HASHLEN])
{
	struct thread_ctx *t = thread_ctx();
	unsigned int outl = 0;

	if (t == NULL || EVP_DigestInit_ex2(t->md, sha256_md, NULL) != 1)
		return PMIF_ECRYPTO;
	if (alen > 0 && EVP_DigestUpdate(t->md, a, alen) != 1)
		return PMIF_ECRYPTO;
	if (blen > 0 && EVP_DigestUpdate(t->md, b, blen) != 1)
		return PMIF_ECRYPTO;
	if (EVP_DigestFinal_ex(t->md, out, &outl) != 1 || outl != HASHLEN)
		return PMIF_ECRYPTO;
	return 0;
}

/* out = HMAC-SHA256(key, a || b) */
int noise_hmac_sha256(const uint8_t key[HASHLEN], const uint8_t *a, size_t alen, const uint8_t *b,
                      size_t blen, uint8_t out[HASHLEN])
{
	static char digest[] = "SHA256";
	OSSL_PARAM params[2];
	EVP_MAC *mac = NULL;
	EVP_MAC_CTX *ctx = NULL;
	size_t outl = 0;
	int rc = PMIF_ECRYPTO;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0);
	params[1] = OSSL_PARAM_construct_end();
	mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (mac == NULL || (ctx = EVP_MAC_CTX_new(mac)) == NULL)
		goto out;
	if (EVP_MAC_init(ctx, key, HASHLEN, params) != 1)
		goto out;
	if (alen > 0 && EVP_MAC_update(ctx, a, alen) != 1)
		goto out;
	if (blen > 0 && EVP_MAC_update(ctx, b, blen) != 1)
		goto out;
	if (EVP_MAC_final(ctx, out, &outl, HASHLEN) != 1 || outl != HASHLEN)
		goto out;
	rc = 0;
out:
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	return rc;
}

int pmif_hmac_sha256(const uint8_t key[32], const void *a, size_t alen, const void *b, size_t blen,
                     uint8_t out[32])
{
	if (key == NULL || out == NULL || (alen && a == NULL) || (blen && b == NULL))
		return PMIF_EINVAL;
	return noise_hmac_sha256(key, a, alen, b, blen, out);
}

/* HKDF(chaining_key, input_key_material, 2) as spec section 4.3 defines it. */
int noise_hkdf2(const uint8_t ck[HASHLEN], const uint8_t *ikm, size_t ikmlen, uint8_t out1[HASHLEN],
                uint8_t out2[HASHLEN])
{
	static const uint8_t one = 0x01, two = 0x02;
	uint8_t temp[HASHLEN], o1[HASHLEN], o2[HASHLEN];
	int rc;

	if ((rc = noise_hmac_sha256(ck, ikm, ikmlen, NULL, 0, temp)) != 0)
		goto out;
	if ((rc = noise_hmac_sha256(temp, &one, 1, NULL, 0, o1)) != 0)
		goto out;
	if ((rc = noise_hmac_sha256(temp, o1, HASHLEN, &two, 1, o2)) != 0)
		goto out;
	memcpy(out1, o1, HASHLEN);
	memcpy(out2, o2, HASHLEN);
out:
	OPENSSL_cleanse(o2, sizeof o2);
	OPENSSL_cleanse(o1, sizeof o1);
	OPENSSL_cleanse(temp, sizeof temp);
	return rc;
}

/* ---- keys ------------------------------------------------------------- */

int pmif_noise_keypair_generate(uint8_t priv[32], uint8_t pub[32])
{
	uint8_t sk[DHLEN], pk[DHLEN];
	int rc = PMIF_ECRYPTO;

	if (priv == NULL || pub == NULL)
		return PMIF_EINVAL;
	if (RAND_priv_bytes(sk, DHLEN) != 1)
		goto out;
	if ((rc = noise_x25519_public(sk, pk)) != 0)
		goto out;
	memcpy(priv, sk, DHLEN);
	memcpy(pub, pk, DHLEN);
out:
	OPENSSL_cleanse(sk, sizeof sk);
	return rc;
}

int pmif_noise_public_from_private(const uint8_t priv[32], uint8_t pub[32])
{
	uint8_t pk[DHLEN];
	int rc;

	if (priv == NULL || pub == NULL)
		return PMIF_EINVAL;
	if ((rc = noise_x25519_public(priv, pk)) == 0)
		memcpy(pub, pk, DHLEN);
	return rc;
}

int pmif_sha256(const void *data, size_t len, uint8_t out[32])
{
	return noise_sha256(data, len, NULL, 0, out);
}
