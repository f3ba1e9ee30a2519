/*
 * auth.c - scrypt passwords, tokens and login throttling (see auth.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <stdbool.h>
#include <pthread.h>
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

#define THROTTLE_SLOTS  16384
#define THROTTLE_PROBES 64
#define NAME_MAX_LEN    64

#define THROTTLE_MAGIC 0x504d4946544852ull /* "PMIFTHR" */

struct throttle_entry {
	char name[NAME_MAX_LEN];
	uint64_t checks[AUTH_THROTTLE_CHECKS]; /* ring of check times */
	unsigned next;                         /* ring position */
	unsigned fails;                        /* consecutive failures */
	uint64_t not_before;
	uint64_t last;
};

/* DIR/throttle.map: a header, then the table, mapped shared. */
struct throttle_file {
	uint64_t magic;
	uint64_t slots;
	uint64_t entry_size;
	uint64_t reserved;
	struct throttle_entry table[THROTTLE_SLOTS];
};

static sem_t hash_slots;
static atomic_uint throttle_window = 300; /* a reload may change it */
static pthread_mutex_t throttle_lock = PTHREAD_MUTEX_INITIALIZER;
/* The table lives in memory until auth_throttle_open() maps it from the
 * data directory, so that a restart (or a crash) never clears a hold-off. */
static struct throttle_entry throttle_mem[THROTTLE_SLOTS];
static struct throttle_entry *throttle = throttle_mem;
static struct throttle_file *throttle_map;
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

void auth_set_window(unsigned window_seconds)
{
	if (window_seconds)
		atomic_store(&throttle_window, window_seconds);
}

int auth_init(unsigned max_hashes, unsigned window_seconds)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);

	if (max_hashes == 0)
		max_hashes = cores > 0 ? (unsigned)cores : 1;
	if (sem_init(&hash_slots, 0, max_hashes) != 0)
		return PMIF_EINVAL;
	auth_set_window(window_seconds);
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

static uint32_t name_hash(const char *name)
{
	/* FNV-1a over the whole name */
	uint32_t h = 2166136261u;

	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h;
}

/* An entry that no longer limits anyone may be given to another name. */
static bool stale(const struct throttle_entry *e, uint64_t now)
{
	return e->name[0] == '\0' || (e->last + throttle_window <= now && e->not_before <= now);
}

/*
 * The entry for @p name: its own, else a free or stale one near its hash.
 * An entry still limiting one name is never taken over by another, so a
 * guesser cannot clear a victim's delay by trying a colliding name.  NULL
 * when every nearby entry is busy: the caller then refuses (fails closed).
 */
static struct throttle_entry *entry_for(const char *name, uint64_t now)
{
	uint32_t h = name_hash(name);
	struct throttle_entry *spare = NULL;

	for (unsigned i = 0; i < THROTTLE_PROBES; i++) {
		struct throttle_entry *e = &throttle[(h + i) % THROTTLE_SLOTS];

		if (e->name[0] && strncmp(e->name, name, NAME_MAX_LEN - 1) == 0)
			return e;
		if (spare == NULL && stale(e, now))
			spare = e;
	}
	if (spare) {
		memset(spare, 0, sizeof(*spare));
		strncpy(spare->name, name, NAME_MAX_LEN - 1);
	}
	return spare;
}

int auth_throttle_open(const char *dir)
{
	char path[4096];
	struct throttle_file *f;
	struct stat st;
	int fd;

	if ((size_t)snprintf(path, sizeof path, "%s/throttle.map", dir) >= sizeof path)
		return PMIF_EINVAL;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return PMIF_EIO;
	/* blocks allocated now, not when a page is first written: a full disk
	 * must fail here, not as SIGBUS on a store to the mapping later */
	if (fstat(fd, &st) != 0 || ((size_t)st.st_size != sizeof(*f) && ftruncate(fd, 0) != 0) ||
	    (errno = posix_fallocate(fd, 0, sizeof(*f))) != 0) {
		int e = errno;

		close(fd);
		errno = e; /* for the caller's log line */
		return PMIF_EIO;
	}
	f = mmap(NULL, sizeof(*f), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (f == MAP_FAILED)
		return PMIF_EIO;
	pthread_mutex_lock(&throttle_lock);
	if (f->magic != THROTTLE_MAGIC || f->slots != THROTTLE_SLOTS ||
	    f->entry_size != sizeof(struct throttle_entry)) {
		/* new, or written by another build: start from what is in memory */
		memcpy(f->table, throttle, sizeof(f->table));
		f->slots = THROTTLE_SLOTS;
		f->entry_size = sizeof(struct throttle_entry);
		f->magic = THROTTLE_MAGIC;
	}
	throttle_map = f;
	throttle = f->table;
	pthread_mutex_unlock(&throttle_lock);
	return 0;
}

void auth_throttle_close(void)
{
	pthread_mutex_lock(&throttle_lock);
	if (throttle_map) {
		memcpy(throttle_mem, throttle_map->table, sizeof(throttle_mem));
		msync(throttle_map, sizeof(*throttle_map), MS_SYNC);
		munmap(throttle_map, sizeof(*throttle_map));
		throttle_map = NULL;
		throttle = throttle_mem;
	}
	pthread_mutex_unlock(&throttle_lock);
}

unsigned auth_throttle_wait(const char *user, uint64_t now)
{
	struct throttle_entry *e;
	uint64_t wait = 0, oldest = UINT64_MAX;
	unsigned recent = 0;

	pthread_mutex_lock(&throttle_lock);
	e = entry_for(user, now);
	if (e == NULL) {
		/* thousands of names under attack at once: slow everyone down */
		pthread_mutex_unlock(&throttle_lock);
		return 5;
	}
	if (e->not_before > now)
		wait = e->not_before - now;
	for (unsigned i = 0; i < AUTH_THROTTLE_CHECKS; i++) {
		if (e->checks[i] && e->checks[i] + throttle_window > now) {
			recent++;
			if (e->checks[i] < oldest)
				oldest = e->checks[i];
		}
	}
	if (recent >= AUTH_THROTTLE_CHECKS && oldest + throttle_window - now > wait)
		wait = oldest + throttle_window - now;
	pthread_mutex_unlock(&throttle_lock);
	return (unsigned)wait;
}

void auth_throttle_record(const char *user, int ok, uint64_t now)
{
	struct throttle_entry *e;

	pthread_mutex_lock(&throttle_lock);
	e = entry_for(user, now);
	if (e == NULL) {
		pthread_mutex_unlock(&throttle_lock);
		return;
	}
	e->last = now;
	if (!ok) {
		/* only failures fill the window: a good login proves the password,
		 * so it must never be refused for "too many failed logins" */
		e->checks[e->next] = now;
		e->next = (e->next + 1) % AUTH_THROTTLE_CHECKS;
	}
	if (ok) {
		e->fails = 0;
		e->not_before = 0;
	} else if (++e->fails >= 3) {
		unsigned shift = e->fails - 3 < 6 ? e->fails - 3 : 6;
		uint64_t delay = (uint64_t)1 << shift;
		e->not_before = now + (delay > 60 ? 60 : delay);
	}
	/* a crash leaves the kernel to write the page back; this covers a
	 * power cut soon after */
	if (throttle_map && !ok)
		msync(throttle_map, sizeof(*throttle_map), MS_ASYNC);
	pthread_mutex_unlock(&throttle_lock);
}

unsigned long long auth_checks_run(void)
{
	return atomic_load(&checks_run);
}
