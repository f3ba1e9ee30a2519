/*
 * store_view.h - a read-only look at pmifd's own store, beside the running
 * server, to check what its acknowledgements claimed: how many audit
 * entries there are, the last committed transaction id, and whether each
 * acknowledged request id is in the request-id table (written in the same
 * transaction as the change it acknowledges).
 *
 * Shared by the throughput load (load.c) and the soak (soak.c), so that
 * both check acknowledged writes the same way.
 */
#ifndef PMIF_BENCH_STORE_VIEW_H
#define PMIF_BENCH_STORE_VIEW_H

#include <stddef.h>
#include <stdint.h>

#include <lmdb.h>

/* The request ids of acknowledged writes, in the order they were acked. */
struct bench_acks {
	uint8_t (*rid)[16];
	size_t n, cap;
};

/** Keep @p rid; 0, or -1 when out of memory (the ack is then not kept). */
int bench_acks_add(struct bench_acks *a, const uint8_t rid[16]);
void bench_acks_free(struct bench_acks *a); /* safe on an empty list */

struct bench_store_view {
	MDB_env *env;
	MDB_dbi audit, requests;
};

/** Open the store in @p dir read-only (MDB_NOTLS, beside the server);
 *  0, or -1 with the reason on stderr. */
int bench_store_view_open(struct bench_store_view *v, const char *dir);
void bench_store_view_close(struct bench_store_view *v); /* safe after a failed open */

/** Audit entries and the last committed transaction id, now (0 and 0 when
 *  the store cannot be read). */
void bench_store_view_counts(struct bench_store_view *v, size_t *audit, size_t *txnid);

/** How many of the request ids in @p a are in the request table for
 *  @p user (the key is user NUL rid). */
size_t bench_store_view_found(struct bench_store_view *v, const char *user,
                              const struct bench_acks *a);

#endif
