/*
 * store_readers.h - the store while it is served: long-lived readers, and
 * running an operation on the store with every one of them stopped.
 *
 * A worker keeps one read-only transaction for its whole life, reset after
 * each request and renewed for the next (cheaper than a new one).  Now and
 * then the store must be closed and opened again (after a failed commit,
 * so the next group starts from the last durable state; after a bulk
 * write, to hand LMDB's dirty pages back to the system) or its map grown,
 * and LMDB allows neither while any transaction of the environment is
 * alive.  So a long-lived reader is registered with its store
 * (store_reader_init); while its transaction is live it holds the store's
 * lock shared, and store_quiesce() takes the lock exclusively, aborts
 * every registered reader's transaction and only then runs the operation.
 * A reader whose transaction was aborted simply begins a new one next
 * time.  The lock prefers writers: a steady stream of reads never keeps a
 * reopen waiting.
 *
 * The writer thread (writer.h) grows and reopens the store through
 * store_quiesce(); a store nobody registered with (tools, most tests)
 * behaves exactly like one without readers.
 */
#ifndef PMIF_STORE_READERS_H
#define PMIF_STORE_READERS_H

#include <stdbool.h>

#include <lmdb.h>

struct store;

/* One long-lived reader: the caller owns the memory, which must stay put
 * until store_reader_release(). */
struct store_reader {
	struct store *store;
	MDB_txn *txn;              /* NULL: none yet, or aborted by a quiesce */
	bool live;                 /* txn is begun or renewed (not reset) */
	bool locked;               /* holding the store's lock shared */
	struct store_reader *next; /* the store's list of readers */
};

/** Register @p r as a reader of @p s, with no transaction yet. */
void store_reader_init(struct store_reader *r, struct store *s);

/**
 * Take the store's lock shared and begin (or renew) @p r's read-only
 * transaction: on success *txn is it, good until store_reader_end().  On
 * failure (a store_error() code) the lock is still held: call
 * store_reader_end() either way.  Never wait for the writer between the
 * two: it may need the lock exclusively.
 */
int store_reader_begin(struct store_reader *r, MDB_txn **txn);

/** Reset @p r's transaction and let go of the lock; idempotent. */
void store_reader_end(struct store_reader *r);

/** End @p r if need be, abort its transaction for good and unregister
 *  it; the memory of @p r may then go. */
void store_reader_release(struct store_reader *r);

/**
 * Run @p op(@p s) once no registered reader is reading and every one of
 * their transactions is aborted; returns what @p op returned.  Call it
 * from a thread that holds no transaction of @p s and no reader's lock
 * (the writer thread between groups).
 */
int store_quiesce(struct store *s, int (*op)(struct store *s));

/**
 * store_reopen() with the readers stopped, tried up to 5 times 100 ms
 * apart, all with the lock held (no reader sees the environment while it
 * is closed).  0, or the last attempt's code: then the store is unusable.
 */
int store_reopen_quiesced(struct store *s);

/* For store.c: set up and tear down @p s's lock and reader list. */
int store_readers_init(struct store *s);
void store_readers_clear(struct store *s);

#endif
