/*
 * noise.h - the Noise Protocol Framework (revision 34) for PMIF channels.
 *
 * One cipher suite only, 25519_ChaChaPoly_SHA256, built on OpenSSL 3 EVP.
 * The handshake is driven by a table of message patterns, so the three
 * patterns PMIF uses (NN, NK, NX) share one implementation of the spec's
 * HandshakeState, SymmetricState and CipherState.
 *
 * Conventions: every function returns 0 or a negative PMIF_E* code from
 * error.h and writes its out-parameters only on success.  A failed handshake
 * read or write leaves the handshake exactly as it was; callers should still
 * treat any handshake error as fatal for the session.  Secrets held by this
 * module are wiped with OPENSSL_cleanse when they are no longer needed;
 * secrets copied out to the caller (private keys, cipher states) are the
 * caller's to wipe, e.g. with pmif_noise_cipher_clear().
 */
#ifndef PMIF_NOISE_H
#define PMIF_NOISE_H

#include <stddef.h>
#include <stdint.h>

#define PMIF_NOISE_KEYLEN  32    /* X25519 keys, cipher keys, hash output */
#define PMIF_NOISE_TAGLEN  16    /* Poly1305 tag */
#define PMIF_NOISE_MAX_MSG 65535 /* largest Noise message, tag included */

enum pmif_noise_pattern {
	PMIF_NOISE_NN, /* no static keys */
	PMIF_NOISE_NK, /* responder static known to the initiator beforehand */
	PMIF_NOISE_NX, /* responder static sent (encrypted) in message 2 */
};

/*
 * A CipherState.  Plain data so callers can persist and restore it; has_key
 * nonzero means k holds a key, n is the next nonce to use.  The nonce
 * 2^64-1 is reserved and never used.
 */
struct pmif_noise_cipher {
	uint8_t k[PMIF_NOISE_KEYLEN];
	uint64_t n;
	int has_key;
};

/* A HandshakeState; opaque, created by pmif_noise_handshake_new(). */
struct pmif_noise_handshake;

/**
 * Generate an X25519 key pair from the OpenSSL private RNG.
 *
 * @param priv  receives the 32-byte private key (caller wipes it)
 * @param pub   receives the 32-byte public key
 * @return 0, PMIF_EINVAL if a pointer is NULL, PMIF_ECRYPTO if the RNG or
 *         X25519 failed.
 */
int pmif_noise_keypair_generate(uint8_t priv[32], uint8_t pub[32]);

/**
 * Derive the X25519 public key of @p priv (any 32 bytes; clamped as X25519
 * specifies).
 *
 * @return 0, PMIF_EINVAL if a pointer is NULL, PMIF_ECRYPTO if OpenSSL failed.
 */
int pmif_noise_public_from_private(const uint8_t priv[32], uint8_t pub[32]);

/**
 * Create a HandshakeState for Noise_<pattern>_25519_ChaChaPoly_SHA256 and run
 * the spec's Initialize(): protocol name, prologue, pre-messages.
 *
 * @param out           receives the new state; the caller owns it and frees
 *                      it with pmif_noise_handshake_free()
 * @param pattern       PMIF_NOISE_NN, PMIF_NOISE_NK or PMIF_NOISE_NX
 * @param initiator     nonzero for the initiator, 0 for the responder
 * @param prologue      bytes both sides must agree on (NULL if prologue_len 0);
 *                      hashed immediately, not kept
 * @param s_priv        local static private key (32 bytes), copied.  Must be
 *                      non-NULL exactly when the role uses a static key (the
 *                      NK and NX responder) and NULL otherwise.
 * @param rs_pub        remote static public key known beforehand (32 bytes),
 *                      copied.  Must be non-NULL exactly for the NK initiator;
 *                      a key the pattern transmits (NX) is learnt from the
 *                      handshake and checked by the caller afterwards with
 *                      pmif_noise_handshake_remote_static().
 * @param e_priv        fixed ephemeral private key (test vectors only), copied;
 *                      NULL generates a fresh one with RAND_priv_bytes().
 * @return 0; PMIF_EINVAL for a bad pattern, NULL out, or a static key given
 *         or missing against the rules above; PMIF_ENOMEM; PMIF_ECRYPTO.
 */
int pmif_noise_handshake_new(struct pmif_noise_handshake **out, enum pmif_noise_pattern pattern,
                             int initiator, const uint8_t *prologue, size_t prologue_len,
                             const uint8_t *s_priv, const uint8_t *rs_pub, const uint8_t *e_priv);

/** Wipe and free @p hs; safe on NULL. */
void pmif_noise_handshake_free(struct pmif_noise_handshake *hs);

/**
 * WriteMessage(): produce the next handshake message, carrying @p payload
 * (encrypted once the pattern has mixed in a DH result, plain before that).
 *
 * @param payload  may be NULL if len is 0; may overlap @p out
 * @param out      receives the message, at most PMIF_NOISE_MAX_MSG bytes
 * @param cap      size of @p out
 * @param outlen   receives the message length
 * @return 0; PMIF_EINVAL for NULL arguments; PMIF_ESTATE if it is not this
 *         side's turn, the handshake is done or was split; PMIF_ETOOBIG if the
 *         message would exceed @p cap or PMIF_NOISE_MAX_MSG; PMIF_ENOMEM;
 *         PMIF_ECRYPTO; PMIF_EINVAL if a DH with a remote key yields no shared
 *         secret (low-order point).  On failure @p hs is unchanged.
 */
int pmif_noise_handshake_write(struct pmif_noise_handshake *hs, const uint8_t *payload, size_t len,
                               uint8_t *out, size_t cap, size_t *outlen);

/**
 * ReadMessage(): consume the peer's next handshake message and recover its
 * payload.
 *
 * @param msg          the message as received (untrusted); may overlap
 *                     @p payload
 * @param payload      receives the payload; may be NULL if cap is 0
 * @param cap          size of @p payload
 * @param payload_len  receives the payload length
 * @return 0; PMIF_EINVAL for NULL arguments, a message too short for the
 *         pattern, or a remote key that yields no shared secret; PMIF_ESTATE
 *         if it is not this side's turn, the handshake is done or was split;
 *         PMIF_ETOOBIG if @p len exceeds PMIF_NOISE_MAX_MSG or the payload
 *         exceeds @p cap; PMIF_EAUTH if a MAC fails; PMIF_ENOMEM;
 *         PMIF_ECRYPTO.  On failure @p hs is unchanged.
 */
int pmif_noise_handshake_read(struct pmif_noise_handshake *hs, const uint8_t *msg, size_t len,
                              uint8_t *payload, size_t cap, size_t *payload_len);

/** 1 when every message of the pattern has been written or read, else 0 (0 for NULL). */
int pmif_noise_handshake_done(const struct pmif_noise_handshake *hs);

/**
 * Split(): derive the transport cipher states once the handshake is done.
 * Afterwards the chaining key, the handshake cipher and the local private keys
 * are wiped; the handshake hash and the remote static key stay readable.
 * May be called once.
 *
 * @param c1  receives the initiator->responder cipher (nonce 0)
 * @param c2  receives the responder->initiator cipher (nonce 0)
 * @param h   receives the 32-byte handshake hash, or NULL if not wanted
 * @return 0; PMIF_EINVAL for NULL @p hs, @p c1 or @p c2, or c1 == c2;
 *         PMIF_ESTATE if the handshake is not done or was already split;
 *         PMIF_ECRYPTO.
 */
int pmif_noise_handshake_split(struct pmif_noise_handshake *hs, struct pmif_noise_cipher *c1,
                               struct pmif_noise_cipher *c2, uint8_t h[32]);

/**
 * GetHandshakeHash(): copy the handshake hash h, for channel binding.
 *
 * @return 0; PMIF_EINVAL for NULL pointers; PMIF_ESTATE before the handshake
 *         is done.
 */
int pmif_noise_handshake_hash(const struct pmif_noise_handshake *hs, uint8_t h[32]);

/**
 * Copy the remote party's static public key (given to _new for NK, learnt
 * from message 2 for NX).
 *
 * @return 0; PMIF_EINVAL for NULL pointers; PMIF_ESTATE if it is not (yet)
 *         known.
 */
int pmif_noise_handshake_remote_static(const struct pmif_noise_handshake *hs, uint8_t rs[32]);

/**
 * Transport EncryptWithAd(): encrypt at the cipher's nonce, then increment it.
 * Unlike the spec's keyless CipherState, a cipher without a key is refused
 * rather than passing plaintext through.
 *
 * @param ad      associated data, may be NULL if adlen is 0
 * @param pt      plaintext, may be NULL if len is 0; may overlap @p out
 * @param out     receives len + PMIF_NOISE_TAGLEN bytes
 * @param outlen  receives len + PMIF_NOISE_TAGLEN
 * @return 0; PMIF_EINVAL for NULL arguments; PMIF_ESTATE if @p c has no key
 *         or its nonce is exhausted (2^64-1); PMIF_ETOOBIG if the ciphertext
 *         would exceed @p cap or PMIF_NOISE_MAX_MSG, or adlen > INT_MAX;
 *         PMIF_ENOMEM; PMIF_ECRYPTO.
 */
int pmif_noise_encrypt(struct pmif_noise_cipher *c, const uint8_t *ad, size_t adlen,
                       const uint8_t *pt, size_t len, uint8_t *out, size_t cap, size_t *outlen);

/**
 * Transport DecryptWithAd(): decrypt at the cipher's nonce and increment it
 * on success only.
 *
 * @param ct      ciphertext with its tag (untrusted); may overlap @p out
 * @param out     receives len - PMIF_NOISE_TAGLEN bytes; may be NULL if
 *                that is 0
 * @param outlen  receives len - PMIF_NOISE_TAGLEN
 * @return 0; PMIF_EINVAL for NULL arguments or len < PMIF_NOISE_TAGLEN;
 *         PMIF_ESTATE if @p c has no key or its nonce is exhausted;
 *         PMIF_ETOOBIG if len exceeds PMIF_NOISE_MAX_MSG, the plaintext
 *         exceeds @p cap, or adlen > INT_MAX; PMIF_EAUTH if the tag does not
 *         verify (the nonce is then not advanced, and the bytes of @p out
 *         that would have held plaintext are wiped: in place, that is the
 *         ciphertext); PMIF_ENOMEM; PMIF_ECRYPTO.
 */
int pmif_noise_decrypt(struct pmif_noise_cipher *c, const uint8_t *ad, size_t adlen,
                       const uint8_t *ct, size_t len, uint8_t *out, size_t cap, size_t *outlen);

/**
 * As pmif_noise_encrypt() but at the explicit nonce @p n; c->n is neither
 * read nor changed.  Used by the channel layer, which carries the nonce in
 * its frame header and does its own replay checks.
 *
 * @return as pmif_noise_encrypt(), except PMIF_EINVAL for n == 2^64-1.
 */
int pmif_noise_encrypt_at(const struct pmif_noise_cipher *c, uint64_t n, const uint8_t *ad,
                          size_t adlen, const uint8_t *pt, size_t len, uint8_t *out, size_t cap,
                          size_t *outlen);

/**
 * As pmif_noise_decrypt() but at the explicit nonce @p n; c->n is neither
 * read nor changed.
 *
 * @return as pmif_noise_decrypt(), except PMIF_EINVAL for n == 2^64-1.
 */
int pmif_noise_decrypt_at(const struct pmif_noise_cipher *c, uint64_t n, const uint8_t *ad,
                          size_t adlen, const uint8_t *ct, size_t len, uint8_t *out, size_t cap,
                          size_t *outlen);

/**
 * Rekey(): replace c->k with the first 32 bytes of ENCRYPT(k, 2^64-1, "",
 * 32 zero bytes); c->n is unchanged.  Both parties must rekey at the same
 * point of the stream.
 *
 * @return 0; PMIF_EINVAL for NULL; PMIF_ESTATE if @p c has no key;
 *         PMIF_ECRYPTO (the key is then unchanged).
 */
int pmif_noise_cipher_rekey(struct pmif_noise_cipher *c);

/** SHA-256 of @p len bytes into @p out, with the algorithm fetched once
 *  per process and a digest context kept per thread.  0 or PMIF_ECRYPTO. */
int pmif_sha256(const void *data, size_t len, uint8_t out[32]);

/** HMAC-SHA256 with the 32-byte @p key over @p a followed by @p b (either
 *  may be empty) into @p out.  0, PMIF_EINVAL, or PMIF_ECRYPTO. */
int pmif_hmac_sha256(const uint8_t key[32], const void *a, size_t alen, const void *b, size_t blen,
                     uint8_t out[32]);

/** Wipe @p c (key, nonce, has_key); safe on NULL. */
void pmif_noise_cipher_clear(struct pmif_noise_cipher *c);

#endif
