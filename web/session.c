/*
 * session.c - the browser session table and its checks (see session.h).
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "error.h"
#include "pbjson.h"
#include "session.h"

bool random_hex_id(char out[SESSION_ID_HEX + 1])
{
	uint8_t b[SESSION_ID_HEX / 2];

	if (RAND_bytes(b, sizeof(b)) != 1)
		return false;
	pmif_hex(b, sizeof(b), out);
	OPENSSL_cleanse(b, sizeof(b));
	return true;
}

int session_table_init(struct session_table *t, size_t cap)
{
	memset(t, 0, sizeof(*t));
	t->slot = calloc(cap ? cap : 1, sizeof(*t->slot));
	if (t->slot == NULL)
		return PMIF_ENOMEM;
	t->cap = cap;
	pthread_mutex_init(&t->mu, NULL);
	return 0;
}

static void session_free(struct web_session *s)
{
	channel_close(&s->ch);
	pthread_mutex_destroy(&s->lock);
	OPENSSL_cleanse(s, sizeof(*s));
	free(s);
}

/* Drop a reference under t->mu; true when it was the last. */
static bool unref_locked(struct web_session *s)
{
	return --s->refs == 0;
}

/* Take slot @p i's session out under t->mu; returns it if it must be freed. */
static struct web_session *remove_locked(struct session_table *t, size_t i)
{
	struct web_session *s = t->slot[i];

	t->slot[i] = NULL;
	s->ended = true;
	return unref_locked(s) ? s : NULL;
}

void session_table_release(struct session_table *t)
{
	for (size_t i = 0; t->slot && i < t->cap; i++) {
		if (t->slot[i]) {
			struct web_session *s = remove_locked(t, i);
			if (s)
				session_free(s);
		}
	}
	free(t->slot);
	t->slot = NULL;
	if (t->cap)
		pthread_mutex_destroy(&t->mu);
	t->cap = 0;
}

bool session_expired(const struct web_session *s, uint64_t now)
{
	return now >= s->absolute_until || now > s->last_used + s->idle_seconds;
}

struct web_session *session_new(uint64_t now, uint64_t idle_seconds, uint64_t absolute_until)
{
	struct web_session *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	if (!random_hex_id(s->id)) {
		free(s);
		return NULL;
	}
	s->ch.sock = -1;
	pthread_mutex_init(&s->lock, NULL);
	s->refs = 1;
	s->last_used = now;
	s->idle_seconds = idle_seconds;
	s->absolute_until = absolute_until;
	return s;
}

/* End expired sessions under t->mu; those to free go to @p dead. */
static size_t sweep_locked(struct session_table *t, uint64_t now, struct web_session **dead,
                           size_t *n_dead)
{
	size_t n = 0;

	for (size_t i = 0; i < t->cap; i++) {
		if (t->slot[i] && session_expired(t->slot[i], now)) {
			struct web_session *s = remove_locked(t, i);
			if (s)
				dead[(*n_dead)++] = s;
			n++;
		}
	}
	return n;
}

/* Sweep, freeing outside the lock (closing a channel may take a moment). */
static size_t sweep(struct session_table *t, uint64_t now, bool lock)
{
	struct web_session **dead = calloc(t->cap ? t->cap : 1, sizeof(*dead));
	size_t n_dead = 0, n;

	if (dead == NULL)
		return 0;
	if (lock)
		pthread_mutex_lock(&t->mu);
	n = sweep_locked(t, now, dead, &n_dead);
	if (lock)
		pthread_mutex_unlock(&t->mu);
	for (size_t i = 0; i < n_dead; i++)
		session_free(dead[i]);
	free(dead);
	return n;
}

size_t session_sweep(struct session_table *t, uint64_t now)
{
	return sweep(t, now, true);
}

int session_add(struct session_table *t, struct web_session *s, uint64_t now)
{
	int rc = PMIF_EBUSY;

	sweep(t, now, true);
	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slot[i] == NULL) {
			t->slot[i] = s;
			s->refs++;
			rc = 0;
			break;
		}
	}
	pthread_mutex_unlock(&t->mu);
	return rc;
}

struct web_session *session_get(struct session_table *t, const char *id, uint64_t now)
{
	struct web_session *found = NULL, *dead = NULL;

	if (id == NULL || strlen(id) != SESSION_ID_HEX)
		return NULL;
	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < t->cap; i++) {
		struct web_session *s = t->slot[i];

		if (s == NULL || CRYPTO_memcmp(s->id, id, SESSION_ID_HEX) != 0)
			continue;
		if (session_expired(s, now)) {
			dead = remove_locked(t, i);
		} else {
			s->last_used = now;
			s->refs++;
			found = s;
		}
		break;
	}
	pthread_mutex_unlock(&t->mu);
	if (dead)
		session_free(dead);
	return found;
}

void session_put(struct session_table *t, struct web_session *s)
{
	bool last;

	if (s == NULL)
		return;
	pthread_mutex_lock(&t->mu);
	last = unref_locked(s);
	pthread_mutex_unlock(&t->mu);
	if (last)
		session_free(s);
}

void session_end(struct session_table *t, struct web_session *s)
{
	struct web_session *dead = NULL;

	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < t->cap; i++) {
		if (t->slot[i] == s) {
			dead = remove_locked(t, i);
			break;
		}
	}
	pthread_mutex_unlock(&t->mu);
	if (dead)
		session_free(dead);
}

size_t session_count(struct session_table *t)
{
	size_t n = 0;

	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < t->cap; i++)
		n += t->slot[i] != NULL;
	pthread_mutex_unlock(&t->mu);
	return n;
}

bool session_cookie_parse(const char *value, char out[SESSION_ID_HEX + 1])
{
	size_t i;

	if (value == NULL)
		return false;
	for (i = 0; value[i]; i++) {
		char c = value[i];
		if (i >= SESSION_ID_HEX || !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return false;
	}
	if (i != SESSION_ID_HEX)
		return false;
	memcpy(out, value, SESSION_ID_HEX + 1);
	return true;
}

void csrf_token(const uint8_t key[32], const char *purpose, const char *id, char out[65])
{
	uint8_t mac[32];
	unsigned int len = sizeof(mac);
	size_t pl = strlen(purpose), il = strlen(id);
	unsigned char *msg = malloc(pl + 1 + il + 1);

	out[0] = '\0';
	if (msg == NULL)
		return;
	memcpy(msg, purpose, pl);
	msg[pl] = ':';
	memcpy(msg + pl + 1, id, il);
	if (HMAC(EVP_sha256(), key, 32, msg, pl + 1 + il, mac, &len) != NULL)
		pmif_hex(mac, sizeof(mac), out);
	free(msg);
}

bool csrf_check(const uint8_t key[32], const char *purpose, const char *id, const char *token)
{
	char want[65];

	if (token == NULL || id == NULL || strlen(token) != 64)
		return false;
	csrf_token(key, purpose, id, want);
	return want[0] && CRYPTO_memcmp(want, token, 64) == 0;
}
