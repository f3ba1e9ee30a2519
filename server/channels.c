/*
 * channels.c - bounded in-memory channel table (see channels.h).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "channels.h"
#include "error.h"

#define SLOT_BITS 16
#define SLOT_MASK ((1u << SLOT_BITS) - 1)

struct channel {
	pthread_mutex_t lock;
	bool used;
	uint64_t id;
	struct pmif_noise_cipher rx, tx;
	uint64_t rx_next; /* lowest nonce still acceptable */
	uint8_t h[32];
	uint64_t last_used;
};

struct channels {
	pthread_mutex_t alloc_lock; /* serializes channels_add */
	unsigned cap;
	atomic_uint idle; /* a reload may change it (channels_set_idle) */
	struct channel *slots;
};

int channels_new(unsigned max_channels, unsigned idle_seconds, struct channels **out)
{
	struct channels *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return PMIF_ENOMEM;
	if (max_channels == 0 || max_channels > (1u << SLOT_BITS))
		max_channels = 1u << SLOT_BITS;
	t->cap = max_channels;
	t->idle = idle_seconds ? idle_seconds : 3600;
	t->slots = calloc(t->cap, sizeof(*t->slots));
	if (t->slots == NULL) {
		free(t);
		return PMIF_ENOMEM;
	}
	for (unsigned i = 0; i < t->cap; i++)
		pthread_mutex_init(&t->slots[i].lock, NULL);
	pthread_mutex_init(&t->alloc_lock, NULL);
	*out = t;
	return 0;
}

void channels_free(struct channels *t)
{
	if (t == NULL)
		return;
	for (unsigned i = 0; i < t->cap; i++)
		pthread_mutex_destroy(&t->slots[i].lock);
	OPENSSL_cleanse(t->slots, sizeof(*t->slots) * t->cap);
	free(t->slots);
	pthread_mutex_destroy(&t->alloc_lock);
	free(t);
}

int channels_add(struct channels *t, const struct pmif_noise_cipher *rx,
                 const struct pmif_noise_cipher *tx, const uint8_t h[32], uint64_t now,
                 uint64_t *id)
{
	unsigned best = 0;
	uint64_t best_age = 0, rnd;
	bool found = false;

	if (RAND_bytes((unsigned char *)&rnd, sizeof(rnd)) != 1)
		return PMIF_ECRYPTO;
	pthread_mutex_lock(&t->alloc_lock);
	/* a free slot, else an idle one, else the least recently used */
	for (unsigned i = 0; i < t->cap && !found; i++) {
		struct channel *c = &t->slots[i];
		uint64_t age;

		if (pthread_mutex_trylock(&c->lock) != 0)
			continue; /* in use right now: not a candidate */
		if (!c->used) {
			best = i;
			found = true;
		} else {
			age = now >= c->last_used ? now - c->last_used + 1 : 1;
			if (age > best_age) {
				best_age = age;
				best = i;
			}
		}
		pthread_mutex_unlock(&c->lock);
	}
	if (!found && best_age == 0) {
		pthread_mutex_unlock(&t->alloc_lock);
		return PMIF_EBUSY;
	}
	{
		struct channel *c = &t->slots[best];

		pthread_mutex_lock(&c->lock);
		c->used = true;
		/* never 0 in the random part, so no id is 0 */
		c->id = ((rnd << SLOT_BITS) | (1ull << SLOT_BITS)) | best;
		c->rx = *rx;
		c->tx = *tx;
		c->rx_next = rx->n;
		memcpy(c->h, h, 32);
		c->last_used = now;
		*id = c->id;
		pthread_mutex_unlock(&c->lock);
	}
	pthread_mutex_unlock(&t->alloc_lock);
	return 0;
}

int channels_open_frame(struct channels *t, const struct pmif_frame *f, uint64_t now, uint8_t *pt,
                        size_t cap, size_t *ptlen, struct channel_grant *grant)
{
	unsigned slot = (unsigned)(f->channel & SLOT_MASK);
	struct channel *c;
	int rc;

	if (slot >= t->cap)
		return PMIF_ENOTFOUND;
	c = &t->slots[slot];
	pthread_mutex_lock(&c->lock);
	if (!c->used || c->id != f->channel) {
		rc = PMIF_ENOTFOUND;
	} else if (now > c->last_used + atomic_load(&t->idle)) {
		OPENSSL_cleanse(&c->rx, sizeof(c->rx));
		OPENSSL_cleanse(&c->tx, sizeof(c->tx));
		c->used = false;
		rc = PMIF_ENOTFOUND;
	} else if (f->nonce < c->rx_next || f->nonce == UINT64_MAX) {
		rc = PMIF_EREPLAY;
	} else if (c->tx.n == UINT64_MAX) {
		rc = PMIF_EREPLAY; /* nonces exhausted: the client must handshake again */
	} else {
		rc = pmif_frame_open(&c->rx, f, pt, cap, ptlen);
		if (rc == 0) {
			c->rx_next = f->nonce + 1;
			c->last_used = now;
			grant->id = c->id;
			grant->tx = c->tx;
			grant->tx_nonce = c->tx.n++;
			memcpy(grant->binding, c->h, 32);
		}
	}
	pthread_mutex_unlock(&c->lock);
	return rc;
}

unsigned channels_count(struct channels *t)
{
	unsigned n = 0;

	for (unsigned i = 0; i < t->cap; i++) {
		pthread_mutex_lock(&t->slots[i].lock);
		n += t->slots[i].used;
		pthread_mutex_unlock(&t->slots[i].lock);
	}
	return n;
}

void channels_set_idle(struct channels *t, unsigned idle_seconds)
{
	if (t && idle_seconds)
		atomic_store(&t->idle, idle_seconds);
}
