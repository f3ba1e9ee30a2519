/*
 * reply_cache.h - answers to report requests, kept for the snapshot they
 * were computed from.
 *
 * A report is a pure function of the request, the caller and the store's
 * contents.  LMDB numbers every committed write transaction, and a read
 * transaction sees exactly the state of the last one before it began, so
 * an answer computed in snapshot N is the answer for any later read that
 * also sees snapshot N: nothing has been committed in between.  Any
 * commit at all (a value, a login, a session touch) moves the number on,
 * and every entry from before it stops matching.  Entries also expire
 * after a short time, so a report's "generated" time and the current
 * quarter are never more than that old.
 *
 * Committee members open the same packs and scorecards again and again
 * between the quarterly updates; this answers them without recomputing.
 * Bounded in bytes; a single mutex (entries are copied in and out).
 */
#ifndef PMIF_REPLY_CACHE_H
#define PMIF_REPLY_CACHE_H

#include <stddef.h>
#include <stdint.h>

struct reply_cache;

/** @p max_bytes of replies at most (0: the cache is off); entries older
 *  than @p ttl_seconds are not used. */
int reply_cache_new(size_t max_bytes, unsigned ttl_seconds, struct reply_cache **out);

void reply_cache_free(struct reply_cache *c); /* safe on NULL */

/** Keep at most @p max_bytes from now on (0: keep nothing), dropping
 *  answers until the cache fits; safe while serving and on NULL. */
void reply_cache_set_limit(struct reply_cache *c, size_t max_bytes);

/** What identifies an answer: the method, the caller, the request body. */
struct reply_key {
	unsigned method;
	const char *user;
	const uint8_t *body;
	size_t body_len;
};

/**
 * The reply stored for @p k at snapshot @p txnid no more than the TTL
 * before @p now: 1 with a malloc'd copy in *reply, else 0 (also on NULL
 * @p c or out of memory).
 */
int reply_cache_get(struct reply_cache *c, const struct reply_key *k, uint64_t txnid, uint64_t now,
                    uint8_t **reply, size_t *reply_len);

/** Keep a copy of @p reply for @p k at snapshot @p txnid (computed at
 *  @p now); silently not kept when too large or out of memory. */
void reply_cache_put(struct reply_cache *c, const struct reply_key *k, uint64_t txnid, uint64_t now,
                     const uint8_t *reply, size_t reply_len);

/** Hits and misses so far (for the log and tests). */
void reply_cache_stats(struct reply_cache *c, uint64_t *hits, uint64_t *misses);

#endif
