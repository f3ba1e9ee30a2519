/*
 * auth.c - scrypt passwords, tokens and rebind secrets (see auth.h).
 */
#include <errno.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/rand.h>

#include "auth.h"
#include "error.h"
#include "noise.h"
#include "rebind.h"

/*
 * Process-wide, and rightly so: each scrypt run takes 128 MiB, so the
 * number running at once is capped for the whole process (pmifd init
 * hashes too, with no server about); the dummy every unknown user is
 * checked against is made once and never changes; the count of checks
 * run is a statistic of the process.  All three are set up by auth_init().
 */
static sem_t hash_slots;
static atomic_ullong checks_run;
static struct auth_password dummy;

static int scrypt(const char *password, const uint8_t *salt, size_t saltlen, uint32_t log2_n,
                  uint32_t r, uint32_t p, uint8_t *out, size_t outlen)
{
	struct timespec deadline;
	uint64_t n = (uint64_t)1 << log2_n;
	/* scrypt needs 128 * r * N bytes; allow a little more */
	uint64_t maxmem = 128 * (uint64_t)r * n + (1u << 20);
	int ok;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 30;
	while (sem_timedwait(&hash_slots, &deadline) != 0)
		if (errno != EINTR)
			return PMIF_EBUSY;
	ok =
	    EVP_PBE_scrypt(password, strlen(password), salt, saltlen, n, r, p, maxmem, out, outlen);
	sem_post(&hash_slots);
	atomic_fetch_add(&checks_run, 1);
	return ok == 1 ? 0 : PMIF_ECRYPTO;
}

int auth_init(unsigned max_hashes)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (max_hashes == 0)
		max_hashes = cores > 0 ? (unsigned)cores : 1;
	if (sem_init(&hash_slots, 0, max_hashes) != 0)
		return PMIF_EINVAL;
	/* the dummy every unknown user is checked against */
	dummy.log2_n = AUTH_SCRYPT_LOG2_N;
	dummy.r = AUTH_SCRYPT_R;
	dummy.p = AUTH_SCRYPT_P;
	if (RAND_bytes(dummy.salt, sizeof(dummy.salt)) != 1 ||
	    RAND_bytes(dummy.hash, sizeof(dummy.hash)) != 1)
		return PMIF_ECRYPTO;
	return 0;
}

int auth_password_hash(const char *password, struct auth_password *out)
{
	struct auth_password p = {
	    .log2_n = AUTH_SCRYPT_LOG2_N, .r = AUTH_SCRYPT_R, .p = AUTH_SCRYPT_P};
	int rc;

	if (RAND_bytes(p.salt, sizeof(p.salt)) != 1)
		return PMIF_ECRYPTO;
	rc = scrypt(password, p.salt, sizeof(p.salt), p.log2_n, p.r, p.p, p.hash, sizeof(p.hash));
	if (rc == 0)
		*out = p;
	OPENSSL_cleanse(&p, sizeof(p));
	return rc;
}

int auth_password_verify(const char *password, const struct auth_password *stored)
{
	const struct auth_password *ref = stored ? stored : &dummy;
	uint8_t got[AUTH_HASH_LEN];
	int rc;

	/* refuse parameters we would never have written: a tampered record
	 * must not make us allocate gigabytes or spin for minutes */
	if (ref->log2_n < 14 || ref->log2_n > 20 || ref->r == 0 || ref->r > 16 || ref->p == 0 ||
	    ref->p > 4 || ((uint64_t)128 * ref->r << ref->log2_n) > AUTH_SCRYPT_MAX_MEM ||
	    ((uint64_t)ref->p * ref->r << ref->log2_n) >
	        ((uint64_t)4 * AUTH_SCRYPT_R << AUTH_SCRYPT_LOG2_N))
		return PMIF_EAUTH;
	rc = scrypt(password, ref->salt, sizeof(ref->salt), ref->log2_n, ref->r, ref->p, got,
	            sizeof(got));
	if (rc != 0)
		return rc;
	rc = CRYPTO_memcmp(got, ref->hash, sizeof(got)) == 0 && stored ? 0 : PMIF_EAUTH;
	OPENSSL_cleanse(got, sizeof(got));
	return rc;
}

const char *auth_password_weakness(const char *password)
{
	size_t len = strlen(password);

	if (len < AUTH_MIN_PASSWORD)
		return "the password is too short: use at least 10 characters";
	if (len > AUTH_MAX_PASSWORD)
		return "the password is too long: use at most 1024 characters";
	return NULL;
}

int auth_one_time_password(char *buf, size_t cap)
{
	/* no 0/O, 1/l/I: read aloud or copied from a screen without mistakes */
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	uint8_t rnd[20];

	if (cap < 24)
		return PMIF_ETOOBIG;
	if (RAND_bytes(rnd, sizeof(rnd)) != 1)
		return PMIF_ECRYPTO;
	/* 4 groups of 5 from 31 symbols: ~99 bits */
	for (int i = 0, o = 0; i < 20; i++) {
		buf[o++] = alphabet[rnd[i] % (sizeof(alphabet) - 1)];
		if (i % 5 == 4 && i < 19)
			buf[o++] = '-';
		buf[o] = '\0';
	}
	OPENSSL_cleanse(rnd, sizeof(rnd));
	return 0;
}

int auth_token_new(uint8_t token[AUTH_TOKEN_LEN])
{
	return RAND_bytes(token, AUTH_TOKEN_LEN) == 1 ? 0 : PMIF_ECRYPTO;
}

void auth_token_hash(const uint8_t *token, size_t len, uint8_t out[32])
{
	pmif_sha256(token, len, out);
}

int auth_rebind_key(const uint8_t static_priv[32], uint8_t key[32])
{
	return pmif_hmac_sha256(static_priv, AUTH_REBIND_KEY_LABEL, strlen(AUTH_REBIND_KEY_LABEL),
	                        NULL, 0, key);
}

int auth_rebind_secret(const uint8_t key[32], const uint8_t token_hash[32],
                       uint8_t secret[PMIF_REBIND_LEN])
{
	return pmif_hmac_sha256(key, AUTH_REBIND_SECRET_LABEL, strlen(AUTH_REBIND_SECRET_LABEL),
	                        token_hash, 32, secret);
}

int auth_rebind_check(const uint8_t key[32], const uint8_t token_hash[32], const uint8_t h[32],
                      const uint8_t *proof, size_t len)
{
	uint8_t secret[PMIF_REBIND_LEN], want[PMIF_REBIND_LEN];
	int rc = PMIF_EAUTH;

	if (len != PMIF_REBIND_LEN)
		return PMIF_EAUTH;
	if (auth_rebind_secret(key, token_hash, secret) == 0 &&
	    pmif_rebind_proof(secret, h, want) == 0)
		rc = CRYPTO_memcmp(want, proof, sizeof(want)) == 0 ? 0 : PMIF_EAUTH;
	OPENSSL_cleanse(secret, sizeof(secret));
	OPENSSL_cleanse(want, sizeof(want));
	return rc;
}

unsigned long long auth_checks_run(void)
{
	return atomic_load(&checks_run);
}
