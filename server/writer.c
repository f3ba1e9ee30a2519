/*
 * writer.c - one writer thread, group commit (see writer.h).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "error.h"
#include "log.h"
#include "store.h"
#include "store_readers.h"
#include "writer.h"

struct job {
	writer_fn fn;
	void *arg;
	writer_done_fn on_done; /* asynchronous: called, then the job freed */
	int rc;
	bool done;
	struct job *next;
};

struct writer {
	struct store *store;
	unsigned max_batch;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work; /* signalled when a job is queued or on stop */
	pthread_cond_t done; /* broadcast when a group has committed */
	struct job *head, *tail;
	bool stopping;
	unsigned long long groups, jobs;
	time_t refused_since; /* first failed commit of the current run; 0 = none */
	int refused_rc;       /* its PMIF_E* code */
};

/* The store's own failures: disk full, size ceiling, disk I/O error. */
static bool storage_failure(int rc)
{
	return rc == PMIF_EDISKFULL || rc == PMIF_EMAPFULL || rc == PMIF_EDISKIO;
}

/* Note whether the store refuses writes, after a group. */
static void note_outcome(struct writer *w, int fail)
{
	pthread_mutex_lock(&w->lock);
	if (fail == 0) {
		if (w->refused_since)
			log_info("the store accepts writes again");
		w->refused_since = 0;
		w->refused_rc = 0;
	} else if (w->refused_since == 0) {
		w->refused_since = time(NULL);
		w->refused_rc = fail;
	}
	pthread_mutex_unlock(&w->lock);
}

/* The map is full and the store may grow: abandon the attempt and grow. */
static bool grow_wanted(struct writer *w, int rc, bool may_grow)
{
	return rc == PMIF_EMAPFULL && may_grow && w->store->map_size < w->store->map_max;
}

/*
 * One attempt at a group: every job in its own nested txn, one durable
 * commit.  Returns false when the attempt was abandoned, nothing of it
 * kept, because the map is full and may grow (@p may_grow): the caller
 * grows it and runs the group again.  Otherwise *fail is the group's
 * storage failure (0: none) and *reopen says the environment must be
 * reopened before the next group: a commit that failed writing (LMDB may
 * mark the environment failed: MDB_PANIC) or an environment already failed.
 */
static bool try_group(struct writer *w, struct job *batch, bool may_grow, int *fail, bool *reopen)
{
	MDB_txn *parent = NULL;
	int rc = mdb_txn_begin(w->store->env, NULL, 0, &parent), code;

	*fail = 0;
	*reopen = false;
	if (rc != 0) {
		log_error("cannot begin a write transaction: %s (code %d)", mdb_strerror(rc), rc);
		*fail = store_error(rc) == PMIF_ESTORE ? PMIF_EDISKIO : store_error(rc);
		for (struct job *j = batch; j; j = j->next)
			j->rc = *fail;
		*reopen = rc == MDB_PANIC || rc > 0;
		return true;
	}
	for (struct job *j = batch; j; j = j->next) {
		MDB_txn *child = NULL;

		j->rc = store_error(mdb_txn_begin(w->store->env, parent, 0, &child));
		if (j->rc == 0) {
			j->rc = j->fn(j->arg, child);
			if (j->rc == 0)
				j->rc = store_error(mdb_txn_commit(child));
			else
				mdb_txn_abort(child);
		}
		if (grow_wanted(w, j->rc, may_grow)) {
			mdb_txn_abort(parent);
			return false;
		}
		if (storage_failure(j->rc))
			*fail = j->rc;
	}
	rc = mdb_txn_commit(parent);
	if (rc == 0)
		return true;
	if (grow_wanted(w, store_error(rc), may_grow))
		return false; /* the failed commit freed the txn */
	code = store_error(rc);
	if (!storage_failure(code))
		code = PMIF_ESTORE;
	/* rc > 0 is the errno of a failed write or sync */
	log_error("group commit failed, nothing of it was saved: %s (%s%d)", mdb_strerror(rc),
	          rc > 0 ? "errno " : "code ", rc);
	for (struct job *j = batch; j; j = j->next)
		if (j->rc == 0)
			j->rc = code;
	*fail = code;
	*reopen = rc > 0;
	return true;
}

/*
 * Run one group, growing the map and running it again as often as a write
 * finds the map full, up to its ceiling; past that the write that does
 * not fit fails with PMIF_EMAPFULL and the rest of its group goes on.
 * Returns true when the environment must be reopened (try_group).
 */
static bool run_group(struct writer *w, struct job *batch)
{
	bool may_grow = true, reopen;
	int fail;

	while (!try_group(w, batch, may_grow, &fail, &reopen)) {
		/* LMDB remaps the file: no reader's transaction may be alive */
		int rc = store_quiesce(w->store, store_grow);

		if (rc != 0)
			may_grow = false; /* said why; the writes that do not fit fail */
	}
	note_outcome(w, fail);
	return reopen;
}

/*
 * After a commit that failed writing: reopen the store, so the next group
 * starts from the last durable state.  A store that cannot be reopened
 * leaves nothing to serve from; everything acknowledged is on disk.
 */
static void recover(struct writer *w)
{
	int rc = store_reopen_quiesced(w->store);

	if (rc == 0) {
		log_info("store reopened after a failed commit");
		return;
	}
	log_error("the store could not be reopened after a failed commit (%s): stopping; every "
	          "acknowledged change is on disk, start pmifd again",
	          pmif_strerror(rc));
	_exit(EXIT_FAILURE);
}

static void *writer_main(void *arg)
{
	struct writer *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct job *batch, *last;
		unsigned n = 1;

		while (w->head == NULL && !w->stopping)
			pthread_cond_wait(&w->work, &w->lock);
		if (w->head == NULL)
			break;
		/* take up to max_batch waiting jobs */
		batch = last = w->head;
		while (last->next && n < w->max_batch) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (w->head == NULL)
			w->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&w->lock);

		if (run_group(w, batch))
			recover(w);

		/* asynchronous jobs first, outside the lock: their callbacks
		 * send replies and may queue more work */
		for (struct job *j = batch, *next; j; j = next) {
			next = j->next;
			if (j->on_done)
				j->on_done(j->arg, j->rc);
		}
		pthread_mutex_lock(&w->lock);
		for (struct job *j = batch, *next; j; j = next) {
			next = j->next;
			if (j->on_done)
				free(j);
			else
				j->done = true;
		}
		w->groups++;
		w->jobs += n;
		pthread_cond_broadcast(&w->done);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int writer_start(struct store *store, unsigned max_batch, struct writer **out)
{
	struct writer *w = calloc(1, sizeof(*w));

	if (w == NULL)
		return PMIF_ENOMEM;
	w->store = store;
	w->max_batch = max_batch ? max_batch : 1;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->work);
		pthread_cond_destroy(&w->done);
		free(w);
		return PMIF_ENOMEM;
	}
	*out = w;
	return 0;
}

void writer_stop(struct writer *w)
{
	if (w == NULL)
		return;
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->done);
	free(w);
}

int writer_submit(struct writer *w, writer_fn fn, void *arg)
{
	struct job j = {.fn = fn, .arg = arg};

	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		pthread_mutex_unlock(&w->lock);
		return PMIF_ESTATE;
	}
	if (w->tail)
		w->tail->next = &j;
	else
		w->head = &j;
	w->tail = &j;
	pthread_cond_signal(&w->work);
	while (!j.done)
		pthread_cond_wait(&w->done, &w->lock);
	pthread_mutex_unlock(&w->lock);
	return j.rc;
}

int writer_submit_async(struct writer *w, writer_fn fn, writer_done_fn done, void *arg)
{
	struct job *j = calloc(1, sizeof(*j));

	if (j == NULL)
		return PMIF_ENOMEM;
	j->fn = fn;
	j->arg = arg;
	j->on_done = done;
	pthread_mutex_lock(&w->lock);
	if (w->stopping) {
		pthread_mutex_unlock(&w->lock);
		free(j);
		return PMIF_ESTATE;
	}
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

void writer_stats(struct writer *w, unsigned long long *groups, unsigned long long *jobs)
{
	pthread_mutex_lock(&w->lock);
	*groups = w->groups;
	*jobs = w->jobs;
	pthread_mutex_unlock(&w->lock);
}

time_t writer_refused(struct writer *w, int *rc)
{
	time_t since;

	pthread_mutex_lock(&w->lock);
	since = w->refused_since;
	if (rc)
		*rc = w->refused_rc;
	pthread_mutex_unlock(&w->lock);
	return since;
}
