/*
 * test_auth.c - tests for server/auth.c: scrypt passwords, one-time
 * passwords, session tokens and the session rebind secret and proof (the
 * login throttle is tests/test_throttle.c).
 *
 * scrypt at N = 2^17 costs ~0.4 s and 128 MiB, so this file runs only a
 * handful of real hashes.  To see what auth.c asks of scrypt without paying
 * for it, the test defines EVP_PBE_scrypt itself: the linker binds auth.c's
 * call to this definition, which records the parameters, passes ordinary
 * requests on to OpenSSL's (dlsym RTLD_NEXT), and refuses - without
 * allocating - any request for more memory than SPY_MEMORY_LIMIT.  A
 * password starting with FAKE_PREFIX is not hashed at all but held for a
 * moment, to watch the cap on concurrent hashes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "auth.h"
#include "error.h"
#include "rebind.h"

/* Twice the memory of our own hashes. */
#define SPY_MEMORY_LIMIT ((uint64_t)256 << 20)
#define FAKE_PREFIX      "fake-hash:"
#define PASSWORD         "correct horse battery staple"

/* ---- the scrypt spy ---------------------------------------------------- */

typedef int (*scrypt_fn)(const char *, size_t, const unsigned char *, size_t, uint64_t, uint64_t,
                         uint64_t, uint64_t, unsigned char *, size_t);

static atomic_int spy_calls;     /* every call */
static atomic_int spy_real;      /* passed on to OpenSSL */
static atomic_int spy_oversized; /* asked for more than SPY_MEMORY_LIMIT */
static atomic_int spy_in_flight, spy_max_in_flight;
static uint64_t spy_last_n, spy_last_r, spy_last_p, spy_last_maxmem;
static pthread_mutex_t spy_lock = PTHREAD_MUTEX_INITIALIZER;

int EVP_PBE_scrypt(const char *pass, size_t passlen, const unsigned char *salt, size_t saltlen,
                   uint64_t N, uint64_t r, uint64_t p, uint64_t maxmem, unsigned char *key,
                   size_t keylen)
{
	static scrypt_fn real;
	int now, max, ok;

	atomic_fetch_add(&spy_calls, 1);
	pthread_mutex_lock(&spy_lock);
	spy_last_n = N;
	spy_last_r = r;
	spy_last_p = p;
	spy_last_maxmem = maxmem;
	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "EVP_PBE_scrypt");
	pthread_mutex_unlock(&spy_lock);
	if (real == NULL)
		return 0;
	if (N == 0 || r == 0 || 128 * r > SPY_MEMORY_LIMIT / N) {
		atomic_fetch_add(&spy_oversized, 1);
		return 0;
	}
	now = atomic_fetch_add(&spy_in_flight, 1) + 1;
	max = atomic_load(&spy_max_in_flight);
	while (now > max && !atomic_compare_exchange_weak(&spy_max_in_flight, &max, now))
		;
	if (passlen >= strlen(FAKE_PREFIX) && memcmp(pass, FAKE_PREFIX, strlen(FAKE_PREFIX)) == 0) {
		struct timespec ts = {0, 60 * 1000000L};
		nanosleep(&ts, NULL);
		memset(key, 0x5a, keylen);
		ok = 1;
	} else {
		atomic_fetch_add(&spy_real, 1);
		ok = real(pass, passlen, salt, saltlen, N, r, p, maxmem, key, keylen);
	}
	atomic_fetch_sub(&spy_in_flight, 1);
	return ok;
}

/* ---- passwords --------------------------------------------------------- */

static struct auth_password good; /* hash of PASSWORD, made once */

static void test_hash_and_verify(void **state)
{
	struct auth_password other;
	int calls;

	(void)state;
	calls = atomic_load(&spy_real);
	assert_int_equal(auth_password_hash(PASSWORD, &good), 0);
	assert_int_equal(atomic_load(&spy_real), calls + 1);
	/* OWASP's parameters, and what was used is what is recorded */
	assert_int_equal(good.log2_n, AUTH_SCRYPT_LOG2_N);
	assert_int_equal(good.r, AUTH_SCRYPT_R);
	assert_int_equal(good.p, AUTH_SCRYPT_P);
	assert_true(good.log2_n >= 17 && good.r >= 8 && good.p >= 1);
	assert_true(spy_last_n == (1ull << good.log2_n));
	assert_true(spy_last_r == good.r && spy_last_p == good.p);
	assert_true(spy_last_maxmem >= 128 * spy_last_r * spy_last_n);

	assert_int_equal(auth_password_verify(PASSWORD, &good), 0);
	assert_int_equal(auth_password_verify(PASSWORD "!", &good), PMIF_EAUTH);

	/* a second hash of the same password has another salt and hash
	 * (checked without hashing again: a copy with another salt fails) */
	other = good;
	other.salt[0] ^= 0x01;
	assert_int_equal(auth_password_verify(PASSWORD, &other), PMIF_EAUTH);
	assert_int_equal(atomic_load(&spy_real), calls + 4);
}

static void test_known_answer(void **state)
{
	/* scrypt(PASSWORD, salt 00..0f, N=2^17, r=8, p=1, 32) from Python's
	 * hashlib.scrypt: the stored parameters mean what they say */
	struct auth_password kat = {
	    .log2_n = 17,
	    .r = 8,
	    .p = 1,
	    .hash = {0x1b, 0x29, 0x46, 0xda, 0x71, 0xf4, 0x11, 0x79, 0xe8, 0x3b, 0x99,
	             0xdc, 0x33, 0x84, 0x2d, 0x15, 0x74, 0x1b, 0x87, 0xc4, 0x12, 0x1c,
	             0x8c, 0x7f, 0x37, 0x81, 0xc1, 0xdf, 0x86, 0x4f, 0xb5, 0x8b},
	};

	(void)state;
	for (int i = 0; i < AUTH_SALT_LEN; i++)
		kat.salt[i] = (uint8_t)i;
	assert_int_equal(auth_password_verify(PASSWORD, &kat), 0);
}

static void test_tampered_hash(void **state)
{
	struct auth_password t = good;

	(void)state;
	t.hash[AUTH_HASH_LEN - 1] ^= 0x80;
	assert_int_equal(auth_password_verify(PASSWORD, &t), PMIF_EAUTH);
}

/* Parameters outside what we write: refused before any hashing. */
static void test_tampered_parameters_refused(void **state)
{
	static const uint32_t bad[][3] = {
	    {0, 8, 1},     {1, 8, 1},           {13, 8, 1},         {21, 8, 1}, {32, 8, 1},
	    {63, 8, 1},    {64, 8, 1},          {UINT32_MAX, 8, 1}, {17, 0, 1}, {17, 17, 1},
	    {17, 1024, 1}, {17, UINT32_MAX, 1}, {17, 8, 0},         {17, 8, 5}, {17, 8, UINT32_MAX},
	};
	int calls = atomic_load(&spy_calls);
	unsigned long long checks = auth_checks_run();

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct auth_password t = good;

		t.log2_n = bad[i][0];
		t.r = bad[i][1];
		t.p = bad[i][2];
		assert_int_equal(auth_password_verify(PASSWORD, &t), PMIF_EAUTH);
	}
	assert_int_equal(atomic_load(&spy_calls), calls);
	assert_int_equal(auth_checks_run(), checks);
}

/*
 * auth.c says a tampered record "must not make us allocate gigabytes", but
 * its bounds (log2_n <= 20, r <= 16, p <= 4) still allow 128 * 16 * 2^20
 * bytes = 2 GiB, sixteen times our own hash, and 64 times its work.  Any
 * record we would not have written must be refused as cheaply as above.
 */
static void test_tampered_parameters_no_huge_allocation(void **state)
{
	static const uint32_t big[][3] = {{20, 16, 4}, {20, 8, 1}, {18, 16, 1}, {19, 8, 1}};
	int oversized = atomic_load(&spy_oversized);

	(void)state;
	for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++) {
		struct auth_password t = good;
		int rc;

		t.log2_n = big[i][0];
		t.r = big[i][1];
		t.p = big[i][2];
		rc = auth_password_verify(PASSWORD, &t);
		if (atomic_load(&spy_oversized) != oversized)
			print_error("log2_n=%u r=%u p=%u made verify ask scrypt for %llu MiB\n",
			            t.log2_n, t.r, t.p,
			            (unsigned long long)(spy_last_maxmem >> 20));
		assert_int_equal(atomic_load(&spy_oversized), oversized);
		assert_int_equal(rc, PMIF_EAUTH);
	}
}

static void test_dummy_verify(void **state)
{
	int calls = atomic_load(&spy_real);

	(void)state;
	/* an unknown user costs a full hash and always fails, even with the
	 * password of a real user */
	assert_int_equal(auth_password_verify(PASSWORD, NULL), PMIF_EAUTH);
	assert_int_equal(atomic_load(&spy_real), calls + 1);
	assert_true(spy_last_n == (1ull << AUTH_SCRYPT_LOG2_N));
	assert_true(spy_last_r == AUTH_SCRYPT_R && spy_last_p == AUTH_SCRYPT_P);
}

struct hasher {
	pthread_t thread;
	int rc;
	struct auth_password out;
};

static void *hasher_main(void *arg)
{
	struct hasher *h = arg;

	h->rc = auth_password_hash(FAKE_PREFIX "concurrent", &h->out);
	return NULL;
}

static void test_concurrent_hash_cap(void **state)
{
	struct hasher h[6];

	(void)state;
	atomic_store(&spy_max_in_flight, 0);
	for (int i = 0; i < 6; i++)
		assert_int_equal(pthread_create(&h[i].thread, NULL, hasher_main, &h[i]), 0);
	for (int i = 0; i < 6; i++) {
		pthread_join(h[i].thread, NULL);
		assert_int_equal(h[i].rc, 0);
	}
	/* auth_init(2, ...) in main: never more than two at once */
	assert_int_equal(atomic_load(&spy_max_in_flight), 2);
	/* and every hash got its own salt */
	for (int i = 1; i < 6; i++)
		assert_memory_not_equal(h[0].out.salt, h[i].out.salt, AUTH_SALT_LEN);
}

static void test_weakness(void **state)
{
	char buf[AUTH_MAX_PASSWORD + 2];
	const char *why;

	(void)state;
	why = auth_password_weakness("");
	assert_non_null(why);
	assert_non_null(strstr(why, "short"));
	assert_non_null(auth_password_weakness("123456789"));
	assert_null(auth_password_weakness("1234567890"));
	memset(buf, 'x', sizeof(buf));
	buf[AUTH_MAX_PASSWORD] = '\0';
	assert_null(auth_password_weakness(buf));
	buf[AUTH_MAX_PASSWORD] = 'x';
	buf[AUTH_MAX_PASSWORD + 1] = '\0';
	why = auth_password_weakness(buf);
	assert_non_null(why);
	assert_non_null(strstr(why, "long"));
	/* garbage bytes are judged by length alone, never crash */
	for (int i = 0; i < 40; i++)
		buf[i] = (char)(0x80 + i * 3);
	buf[40] = '\0';
	assert_null(auth_password_weakness(buf));
	buf[5] = '\0';
	assert_non_null(auth_password_weakness(buf));
}

static void test_one_time_password(void **state)
{
	static const char alphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";
	enum { N = 1000 };
	char(*otp)[32] = calloc(N, 32);
	unsigned seen[256] = {0};
	char small[24];

	(void)state;
	assert_non_null(otp);
	for (int i = 0; i < N; i++) {
		assert_int_equal(auth_one_time_password(otp[i], 32), 0);
		/* xxxxx-xxxxx-xxxxx-xxxxx */
		assert_int_equal(strlen(otp[i]), 23);
		for (int k = 0; k < 23; k++) {
			if (k % 6 == 5) {
				assert_int_equal(otp[i][k], '-');
			} else {
				assert_non_null(strchr(alphabet, otp[i][k]));
				seen[(unsigned char)otp[i][k]]++;
			}
		}
		assert_null(strpbrk(otp[i], "01lIO"));
		assert_null(auth_password_weakness(otp[i]));
	}
	/* unique, and every symbol turns up */
	for (int i = 0; i < N; i++)
		for (int k = i + 1; k < N; k++)
			assert_string_not_equal(otp[i], otp[k]);
	for (const char *a = alphabet; *a; a++)
		assert_true(seen[(unsigned char)*a] > 300);
	/* too small a buffer is refused, the smallest that fits works */
	assert_int_equal(auth_one_time_password(small, 23), PMIF_ETOOBIG);
	assert_int_equal(auth_one_time_password(small, 0), PMIF_ETOOBIG);
	assert_int_equal(auth_one_time_password(small, 24), 0);
	assert_int_equal(strlen(small), 23);
	free(otp);
}

/* ---- tokens ------------------------------------------------------------ */

static int popcount8(uint8_t b)
{
	int n = 0;

	for (; b; b &= (uint8_t)(b - 1))
		n++;
	return n;
}

static void test_tokens(void **state)
{
	enum { N = 200 };
	static uint8_t tok[N][AUTH_TOKEN_LEN];
	static const uint8_t zero[AUTH_TOKEN_LEN];
	long ones = 0;

	(void)state;
	assert_int_equal(AUTH_TOKEN_LEN, 32);
	for (int i = 0; i < N; i++) {
		memset(tok[i], 0, AUTH_TOKEN_LEN);
		assert_int_equal(auth_token_new(tok[i]), 0);
		assert_memory_not_equal(tok[i], zero, AUTH_TOKEN_LEN);
		for (int k = 0; k < AUTH_TOKEN_LEN; k++)
			ones += popcount8(tok[i][k]);
	}
	for (int i = 0; i < N; i++)
		for (int k = i + 1; k < N; k++)
			assert_memory_not_equal(tok[i], tok[k], AUTH_TOKEN_LEN);
	/* N * 256 bits, half of them ones: the mean is 25600, sd 80 */
	assert_true(ones > 25600 - 800 && ones < 25600 + 800);
}

static void test_token_hash(void **state)
{
	static const uint8_t sha_zero32[32] = {0x66, 0x68, 0x7a, 0xad, 0xf8, 0x62, 0xbd, 0x77,
	                                       0x6c, 0x8f, 0xc1, 0x8b, 0x8e, 0x9f, 0x8e, 0x20,
	                                       0x08, 0x97, 0x14, 0x85, 0x6e, 0xe2, 0x33, 0xb3,
	                                       0x90, 0x2a, 0x59, 0x1d, 0x0d, 0x5f, 0x29, 0x25};
	static const uint8_t sha_abc[32] = {0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
	                                    0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
	                                    0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
	                                    0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
	uint8_t tok[AUTH_TOKEN_LEN] = {0}, a[32], b[32];

	(void)state;
	auth_token_hash(tok, sizeof(tok), a);
	assert_memory_equal(a, sha_zero32, 32);
	auth_token_hash((const uint8_t *)"abc", 3, a);
	assert_memory_equal(a, sha_abc, 32);
	/* stable for the same token, different for another */
	assert_int_equal(auth_token_new(tok), 0);
	auth_token_hash(tok, sizeof(tok), a);
	auth_token_hash(tok, sizeof(tok), b);
	assert_memory_equal(a, b, 32);
	tok[0] ^= 1;
	auth_token_hash(tok, sizeof(tok), b);
	assert_memory_not_equal(a, b, 32);
	/* length is part of it */
	auth_token_hash(tok, sizeof(tok) - 1, a);
	assert_memory_not_equal(a, b, 32);
}

/* HMAC-SHA256 by OpenSSL's one-shot HMAC(), independent of noise.c. */
static void ref_hmac(const uint8_t key[32], const char *label, const uint8_t *data, size_t len,
                     uint8_t out[32])
{
	uint8_t msg[128];
	unsigned outl = 0;
	size_t ll = strlen(label);

	assert_true(ll + len <= sizeof(msg));
	memcpy(msg, label, ll);
	if (len)
		memcpy(msg + ll, data, len);
	assert_non_null(HMAC(EVP_sha256(), key, 32, msg, ll + len, out, &outl));
	assert_int_equal(outl, 32);
}

/*
 * The rebind key, secret and proof are exactly what docs/PROTOCOL.md and
 * docs/SECURITY.md say (checked against an independent HMAC), a proof is
 * good for its own channel only, and the secret depends on the server key
 * and the session.
 */
static void test_rebind(void **state)
{
	uint8_t priv[32], priv2[32], k[32], k2[32], want[32], th[32], th2[32];
	uint8_t secret[32], secret2[32], h1[32], h2[32], proof[32], bad[32];

	(void)state;
	memset(priv, 0x5a, sizeof(priv));
	memset(priv2, 0x5b, sizeof(priv2));
	memset(h1, 0x01, sizeof(h1));
	memset(h2, 0x02, sizeof(h2));
	auth_token_hash((const uint8_t *)"token one, 32 bytes long .......", 32, th);
	auth_token_hash((const uint8_t *)"token two, 32 bytes long .......", 32, th2);

	/* K = HMAC(priv, "pmif-rebind-key-v1") */
	assert_int_equal(auth_rebind_key(priv, k), 0);
	ref_hmac(priv, "pmif-rebind-key-v1", NULL, 0, want);
	assert_memory_equal(k, want, 32);
	/* secret = HMAC(K, "pmif-rebind-secret-v1" || token hash) */
	assert_int_equal(auth_rebind_secret(k, th, secret), 0);
	ref_hmac(k, "pmif-rebind-secret-v1", th, 32, want);
	assert_memory_equal(secret, want, 32);
	/* proof = HMAC(secret, "pmif-rebind-proof-v1" || handshake hash) */
	assert_int_equal(pmif_rebind_proof(secret, h1, proof), 0);
	ref_hmac(secret, "pmif-rebind-proof-v1", h1, 32, want);
	assert_memory_equal(proof, want, 32);

	/* the proof is good on its channel, and on no other */
	assert_int_equal(auth_rebind_check(k, th, h1, proof, 32), 0);
	assert_int_equal(auth_rebind_check(k, th, h2, proof, 32), PMIF_EAUTH);
	/* nor for another session, nor under another server key */
	assert_int_equal(auth_rebind_check(k, th2, h1, proof, 32), PMIF_EAUTH);
	assert_int_equal(auth_rebind_key(priv2, k2), 0);
	assert_memory_not_equal(k, k2, 32);
	assert_int_equal(auth_rebind_check(k2, th, h1, proof, 32), PMIF_EAUTH);
	/* another session's secret differs */
	assert_int_equal(auth_rebind_secret(k, th2, secret2), 0);
	assert_memory_not_equal(secret, secret2, 32);
	/* a proof with any one bit flipped, cut short, or empty is refused */
	for (int i = 0; i < 32 * 8; i++) {
		memcpy(bad, proof, 32);
		bad[i / 8] ^= (uint8_t)(1u << (i % 8));
		assert_int_equal(auth_rebind_check(k, th, h1, bad, 32), PMIF_EAUTH);
	}
	assert_int_equal(auth_rebind_check(k, th, h1, proof, 31), PMIF_EAUTH);
	assert_int_equal(auth_rebind_check(k, th, h1, proof, 0), PMIF_EAUTH);
	assert_int_equal(auth_rebind_check(k, th, h1, NULL, 0), PMIF_EAUTH);
	/* a proof made with a tampered secret is refused */
	memcpy(bad, secret, 32);
	bad[0] ^= 1;
	assert_int_equal(pmif_rebind_proof(bad, h1, proof), 0);
	assert_int_equal(auth_rebind_check(k, th, h1, proof, 32), PMIF_EAUTH);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hash_and_verify),
	    cmocka_unit_test(test_known_answer),
	    cmocka_unit_test(test_tampered_hash),
	    cmocka_unit_test(test_tampered_parameters_refused),
	    cmocka_unit_test(test_tampered_parameters_no_huge_allocation),
	    cmocka_unit_test(test_dummy_verify),
	    cmocka_unit_test(test_concurrent_hash_cap),
	    cmocka_unit_test(test_weakness),
	    cmocka_unit_test(test_one_time_password),
	    cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_token_hash),
	    cmocka_unit_test(test_rebind),
	};

	if (auth_init(2) != 0) {
		fprintf(stderr, "auth_init failed\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
