/*
 * noise_crypto.h - the Noise suite's primitives (X25519, ChaCha20-Poly1305,
 * SHA-256, HMAC-SHA256, HKDF) on OpenSSL 3 EVP, for noise.c only; the
 * public entry points (keys, pmif_sha256, pmif_hmac_sha256) are in noise.h.
 * Every function returns 0 or PMIF_ECRYPTO / PMIF_EINVAL and wipes what it
 * derived on the way.
 */
#ifndef PMIF_NOISE_CRYPTO_H
#define PMIF_NOISE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include "noise.h"

#define DHLEN   PMIF_NOISE_KEYLEN
#define HASHLEN 32
#define TAGLEN  PMIF_NOISE_TAGLEN
#define MAXMSG  PMIF_NOISE_MAX_MSG

int noise_x25519_public(const uint8_t priv[DHLEN], uint8_t pub[DHLEN]);
/** The shared secret of @p priv and @p pub; an all-zero result is refused. */
int noise_x25519(const uint8_t priv[DHLEN], const uint8_t pub[DHLEN], uint8_t out[DHLEN]);
/** ChaCha20-Poly1305 with the spec's nonce (4 zero bytes, then @p n
 *  little-endian); @p enc 1 seals @p len bytes plus the tag, 0 opens. */
int noise_aead(int enc, const uint8_t k[PMIF_NOISE_KEYLEN], uint64_t n, const uint8_t *ad,
               size_t adlen, const uint8_t *in, size_t len, uint8_t *out);
/** SHA-256 of @p a then @p b. */
int noise_sha256(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen,
                 uint8_t out[HASHLEN]);
/** HMAC-SHA256 under @p key of @p a then @p b. */
int noise_hmac_sha256(const uint8_t key[HASHLEN], const uint8_t *a, size_t alen, const uint8_t *b,
                      size_t blen, uint8_t out[HASHLEN]);
/** HKDF(chaining key, input key material, 2 outputs), spec section 4.3. */
int noise_hkdf2(const uint8_t ck[HASHLEN], const uint8_t *ikm, size_t ikmlen, uint8_t out1[HASHLEN],
                uint8_t out2[HASHLEN]);

#endif
