/*
 * writer.h - the single LMDB writer, with group commit.
 *
 * Workers hand a write to writer_submit() and block until it is durable.
 * The writer thread takes every job that is waiting, runs each in its own
 * nested transaction of one parent transaction, and commits the parent
 * once (one pair of fsyncs for the whole group).  A job that fails has its
 * nested transaction aborted and does not disturb its neighbours; if the
 * parent commit itself fails, every job in the group fails with
 * PMIF_ESTORE and none of them was applied.
 *
 * When a job (or the commit) finds the map full (MDB_MAP_FULL), the whole
 * group is abandoned, the map grown (store_grow) and the group run again,
 * until it fits or the map is at its ceiling; then the job that does not
 * fit fails with PMIF_EMAPFULL and the rest of the group goes on.  So a
 * job may run more than once: everything it does must be in @p txn, or
 * harmless to do again.
 *
 * After a parent commit that failed writing, the store is reopened, so the
 * next group starts from the last durable state.  Both the growth and the
 * reopen run with every registered reader stopped (store_quiesce(),
 * store_readers.h), between groups, with no write transaction open.
 */
#ifndef PMIF_WRITER_H
#define PMIF_WRITER_H

#include <lmdb.h>
#include <time.h>

struct store;
struct writer;

/**
 * A write: runs on the writer thread with @p txn (a nested transaction).
 * Return 0 to keep what it wrote, or a negative PMIF_E* code to discard it.
 * It may be run again, in a new txn, after the map grew (see above).
 */
typedef int (*writer_fn)(void *arg, MDB_txn *txn);

/** Start the writer thread for @p store.  At most @p max_batch jobs per commit. */
int writer_start(struct store *store, unsigned max_batch, struct writer **out);

/** Finish queued jobs, stop the thread and free; safe on NULL. */
void writer_stop(struct writer *w);

/**
 * Run @p fn(arg, txn) in the next group and wait until that group has
 * committed.  Returns what @p fn returned, or PMIF_EDISKFULL, PMIF_EMAPFULL,
 * PMIF_EDISKIO or PMIF_ESTORE if the group's commit failed (nothing of it
 * applied), or PMIF_ESTATE if the writer is stopping.
 */
int writer_submit(struct writer *w, writer_fn fn, void *arg);

/** Called once the group holding an asynchronous job has committed (or
 *  failed), on the writer thread, outside any transaction; @p rc as for
 *  writer_submit().  It may submit further asynchronous jobs. */
typedef void (*writer_done_fn)(void *arg, int rc);

/**
 * Queue @p fn(arg, txn) for the next group without waiting; @p done(arg,
 * rc) runs after the group's commit.  This is how a worker hands a write
 * over and goes back to receiving: the reply is sent from @p done, only
 * once the write is durable.  Returns 0, or PMIF_ESTATE (stopping) /
 * PMIF_ENOMEM, in which case @p done is not called.
 */
int writer_submit_async(struct writer *w, writer_fn fn, writer_done_fn done, void *arg);

/** Since when the store refuses writes (disk full, size ceiling, I/O
 *  error: *rc the PMIF_E* code), or 0 when the last group committed. */
time_t writer_refused(struct writer *w, int *rc);

/** Groups committed and jobs run so far (for logs and benchmarks). */
void writer_stats(struct writer *w, unsigned long long *groups, unsigned long long *jobs);

#endif
