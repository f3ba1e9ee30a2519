/*
 * auth.h - passwords, session tokens and rebind secrets.
 *
 * Passwords are hashed with scrypt (OpenSSL EVP_PBE_scrypt), N = 2^17,
 * r = 8, p = 1 (OWASP's recommended minimum), a 16-byte random salt per
 * user and a 32-byte output.  Each hash needs 128 MiB, so at most
 * auth_max_hashes run at once (default: the core count); the rest wait.
 * Unknown users are checked against a dummy hash of the same cost.
 *
 * Session tokens are 32 bytes from RAND_bytes; the store keeps only their
 * SHA-256.  A session's rebind secret (common/rebind.h) is derived, never
 * stored: K = HMAC-SHA256(server static private key, "pmif-rebind-key-v1"),
 * secret = HMAC-SHA256(K, "pmif-rebind-secret-v1" || SHA-256(token)); so
 * the store and its backups alone never give it, and a new server key ends
 * every session's ability to move to a new channel.
 *
 * The hash limiter and the dummy are process-wide (auth_init, once); the
 * login throttle is an object of its own, throttle.h.
 */
#ifndef PMIF_AUTH_H
#define PMIF_AUTH_H

#include <stddef.h>
#include <stdint.h>

#include "rebind.h"

#define AUTH_SCRYPT_LOG2_N 17
#define AUTH_SCRYPT_R      8
#define AUTH_SCRYPT_P      1
#define AUTH_SALT_LEN      16
#define AUTH_HASH_LEN      32
#define AUTH_TOKEN_LEN     32
/* Most memory a stored hash's parameters may ask scrypt for. */
#define AUTH_SCRYPT_MAX_MEM  ((uint64_t)256 << 20)
#define AUTH_MIN_PASSWORD    10
#define AUTH_MAX_PASSWORD    1024

#define AUTH_REBIND_KEY_LABEL    "pmif-rebind-key-v1"
#define AUTH_REBIND_SECRET_LABEL "pmif-rebind-secret-v1"

/* Session lifetimes, in seconds. */
#define AUTH_SESSION_IDLE     (30 * 60)
#define AUTH_SESSION_ABSOLUTE (12 * 60 * 60)

struct auth_password {
	uint32_t log2_n, r, p;
	uint8_t salt[AUTH_SALT_LEN];
	uint8_t hash[AUTH_HASH_LEN];
};

/** Set up the process-wide hash limiter (at most @p max_hashes scrypt
 *  runs at once; 0: the core count) and the dummy.  Call once per process,
 *  before the first hash. */
int auth_init(unsigned max_hashes);

/** Hash @p password with a fresh salt into @p out.  PMIF_EBUSY if no hash
 *  slot frees up within 30 s. */
int auth_password_hash(const char *password, struct auth_password *out);

/** 0 when @p password matches @p stored, PMIF_EAUTH when not.  With
 *  @p stored NULL, does a full-cost check against a dummy and returns
 *  PMIF_EAUTH, so unknown users cost the same time. */
int auth_password_verify(const char *password, const struct auth_password *stored);

/** Why @p password is not acceptable as a new password, or NULL if it is. */
const char *auth_password_weakness(const char *password);

/** A readable one-time password (about 100 bits) into @p buf (>= 32 bytes). */
int auth_one_time_password(char *buf, size_t cap);

/** A new random token. */
int auth_token_new(uint8_t token[AUTH_TOKEN_LEN]);

/** SHA-256 of @p token, the key it is stored under. */
void auth_token_hash(const uint8_t *token, size_t len, uint8_t out[32]);

/** The key every rebind secret is derived from, from the server's static
 *  private key (made once at start).  0 or PMIF_ECRYPTO. */
int auth_rebind_key(const uint8_t static_priv[32], uint8_t key[32]);

/** The rebind secret of the session stored under @p token_hash, given to
 *  the client at login.  0 or PMIF_ECRYPTO. */
int auth_rebind_secret(const uint8_t key[32], const uint8_t token_hash[32],
                       uint8_t secret[PMIF_REBIND_LEN]);

/** 0 when @p proof (@p len bytes) is the session's proof for the channel
 *  whose handshake hash is @p h (compared in constant time), else
 *  PMIF_EAUTH. */
int auth_rebind_check(const uint8_t key[32], const uint8_t token_hash[32], const uint8_t h[32],
                      const uint8_t *proof, size_t len);

/** Password checks run since start (for tests via the log and for bench). */
unsigned long long auth_checks_run(void);

#endif
