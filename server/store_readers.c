/*
 * store_readers.c - long-lived readers and the store quiesced for a
 * reopen or a map growth (see store_readers.h).
 */
#include <pthread.h>
#include <unistd.h>

#include "error.h"
#include "store.h"
#include "store_readers.h"

int store_readers_init(struct store *s)
{
	pthread_rwlockattr_t attr;
	int rc;

	s->readers = NULL;
	if (pthread_rwlockattr_init(&attr) != 0)
		return PMIF_ENOMEM;
	/* writer-preferring: a steady stream of reads must not keep a reopen
	 * waiting for ever */
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	rc = pthread_rwlock_init(&s->lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	return rc == 0 ? 0 : PMIF_ENOMEM;
}

void store_readers_clear(struct store *s)
{
	pthread_rwlock_destroy(&s->lock);
}

void store_reader_init(struct store_reader *r, struct store *s)
{
	r->store = s;
	r->txn = NULL;
	r->live = false;
	r->locked = false;
	pthread_rwlock_wrlock(&s->lock);
	r->next = s->readers;
	s->readers = r;
	pthread_rwlock_unlock(&s->lock);
}

int store_reader_begin(struct store_reader *r, MDB_txn **txn)
{
	struct store *s = r->store;
	int rc;

	pthread_rwlock_rdlock(&s->lock);
	r->locked = true;
	rc = r->txn ? mdb_txn_renew(r->txn) : mdb_txn_begin(s->env, NULL, MDB_RDONLY, &r->txn);
	r->live = rc == 0;
	if (rc == 0)
		*txn = r->txn;
	return store_error(rc);
}

void store_reader_end(struct store_reader *r)
{
	if (r->live)
		mdb_txn_reset(r->txn);
	r->live = false;
	if (r->locked)
		pthread_rwlock_unlock(&r->store->lock);
	r->locked = false;
}

void store_reader_release(struct store_reader *r)
{
	struct store *s = r->store;

	store_reader_end(r);
	pthread_rwlock_wrlock(&s->lock);
	if (r->txn)
		mdb_txn_abort(r->txn);
	r->txn = NULL;
	for (struct store_reader **p = &s->readers; *p; p = &(*p)->next) {
		if (*p == r) {
			*p = r->next;
			break;
		}
	}
	pthread_rwlock_unlock(&s->lock);
}

/* Abort every registered reader's transaction; the caller holds the lock
 * exclusively, so none of them is reading. */
static void end_reads_locked(struct store *s)
{
	for (struct store_reader *r = s->readers; r; r = r->next) {
		if (r->txn)
			mdb_txn_abort(r->txn);
		r->txn = NULL;
	}
}

int store_quiesce(struct store *s, int (*op)(struct store *s))
{
	int rc;

	pthread_rwlock_wrlock(&s->lock);
	end_reads_locked(s);
	rc = op(s);
	pthread_rwlock_unlock(&s->lock);
	return rc;
}

/* store_reopen(), patiently: a reopen that fails (the disk busy or
 * briefly short of memory) is tried again before the caller gives up. */
static int reopen_patiently(struct store *s)
{
	int rc = 0;

	for (int attempt = 0; attempt < 5; attempt++) {
		rc = store_reopen(s);
		if (rc == 0)
			break;
		usleep(100000);
	}
	return rc;
}

int store_reopen_quiesced(struct store *s)
{
	return store_quiesce(s, reopen_patiently);
}
