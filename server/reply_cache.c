/*
 * reply_cache.c - report answers by snapshot (see reply_cache.h).
 *
 * Direct-mapped: a key's hash picks one slot, and a new answer replaces
 * whatever was there.  Entries of an older snapshot are dead weight until
 * replaced; when the byte budget would be exceeded, those are dropped
 * first, and if that is not enough the new answer is simply not kept.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "reply_cache.h"

#define SLOTS 256

struct entry {
	uint64_t hash;
	uint64_t txnid;
	uint64_t stored; /* seconds */
	unsigned method;
	char *user;
	uint8_t *body; /* the request body */
	size_t body_len;
	uint8_t *reply;
	size_t reply_len;
};

struct reply_cache {
	pthread_mutex_t lock;
	size_t max_bytes, bytes;
	unsigned ttl;
	uint64_t hits, misses;
	struct entry slots[SLOTS];
};

/* FNV-1a over the key's parts. */
static uint64_t fnv(uint64_t h, const void *data, size_t len)
{
	const uint8_t *p = data;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t key_hash(const struct reply_key *k)
{
	uint64_t h = 0xcbf29ce484222325ull;

	h = fnv(h, &k->method, sizeof(k->method));
	h = fnv(h, k->user, strlen(k->user) + 1);
	return fnv(h, k->body, k->body_len);
}

static size_t entry_bytes(const struct entry *e)
{
	return e->reply ? strlen(e->user) + 1 + e->body_len + e->reply_len : 0;
}

static void entry_clear(struct reply_cache *c, struct entry *e)
{
	c->bytes -= entry_bytes(e);
	free(e->user);
	free(e->body);
	free(e->reply);
	memset(e, 0, sizeof(*e));
}

static bool entry_matches(const struct entry *e, uint64_t hash, const struct reply_key *k)
{
	return e->reply && e->hash == hash && e->method == k->method &&
	       e->body_len == k->body_len && strcmp(e->user, k->user) == 0 &&
	       (k->body_len == 0 || memcmp(e->body, k->body, k->body_len) == 0);
}

int reply_cache_new(size_t max_bytes, unsigned ttl_seconds, struct reply_cache **out)
{
	struct reply_cache *c;

	*out = NULL;
	if (max_bytes == 0)
		return 0;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return PMIF_ENOMEM;
	pthread_mutex_init(&c->lock, NULL);
	c->max_bytes = max_bytes;
	c->ttl = ttl_seconds;
	*out = c;
	return 0;
}

void reply_cache_free(struct reply_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < SLOTS; i++)
		entry_clear(c, &c->slots[i]);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

void reply_cache_set_limit(struct reply_cache *c, size_t max_bytes)
{
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	c->max_bytes = max_bytes;
	for (size_t i = 0; i < SLOTS && c->bytes > c->max_bytes; i++)
		entry_clear(c, &c->slots[i]);
	pthread_mutex_unlock(&c->lock);
}

int reply_cache_get(struct reply_cache *c, const struct reply_key *k, uint64_t txnid, uint64_t now,
                    uint8_t **reply, size_t *reply_len)
{
	uint64_t hash;
	struct entry *e;
	int found = 0;

	if (c == NULL)
		return 0;
	hash = key_hash(k);
	e = &c->slots[hash % SLOTS];
	pthread_mutex_lock(&c->lock);
	if (entry_matches(e, hash, k) && e->txnid == txnid && now < e->stored + c->ttl) {
		*reply = malloc(e->reply_len ? e->reply_len : 1);
		if (*reply) {
			memcpy(*reply, e->reply, e->reply_len);
			*reply_len = e->reply_len;
			found = 1;
		}
	}
	if (found)
		c->hits++;
	else
		c->misses++;
	pthread_mutex_unlock(&c->lock);
	return found;
}

void reply_cache_put(struct reply_cache *c, const struct reply_key *k, uint64_t txnid, uint64_t now,
                     const uint8_t *reply, size_t reply_len)
{
	struct entry n = {.txnid = txnid, .stored = now, .method = k->method};
	struct entry *e;
	size_t need;

	if (c == NULL)
		return;
	n.hash = key_hash(k);
	n.body_len = k->body_len;
	n.reply_len = reply_len;
	need = strlen(k->user) + 1 + k->body_len + reply_len;
	pthread_mutex_lock(&c->lock);
	if (need > c->max_bytes / 8) {
		pthread_mutex_unlock(&c->lock);
		return; /* one answer may not crowd out the rest */
	}
	pthread_mutex_unlock(&c->lock);
	n.user = strdup(k->user);
	n.body = malloc(k->body_len ? k->body_len : 1);
	n.reply = malloc(reply_len ? reply_len : 1);
	if (n.user == NULL || n.body == NULL || n.reply == NULL) {
		free(n.user);
		free(n.body);
		free(n.reply);
		return;
	}
	memcpy(n.body, k->body, k->body_len);
	memcpy(n.reply, reply, reply_len);

	pthread_mutex_lock(&c->lock);
	e = &c->slots[n.hash % SLOTS];
	entry_clear(c, e);
	/* over budget: drop answers from older snapshots, which cannot match */
	for (size_t i = 0; i < SLOTS && c->bytes + need > c->max_bytes; i++)
		if (c->slots[i].reply && c->slots[i].txnid != txnid)
			entry_clear(c, &c->slots[i]);
	if (c->bytes + need <= c->max_bytes) {
		*e = n;
		c->bytes += need;
		n.reply = NULL; /* kept */
	}
	pthread_mutex_unlock(&c->lock);
	if (n.reply) {
		free(n.user);
		free(n.body);
		free(n.reply);
	}
}

void reply_cache_stats(struct reply_cache *c, uint64_t *hits, uint64_t *misses)
{
	*hits = *misses = 0;
	if (c == NULL)
		return;
	pthread_mutex_lock(&c->lock);
	*hits = c->hits;
	*misses = c->misses;
	pthread_mutex_unlock(&c->lock);
}
