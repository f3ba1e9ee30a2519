/*
 * test_writer.c - tests for server/writer.c, the group-commit writer.
 *
 * Jobs record the id of the transaction they ran in (a nested transaction
 * has its parent's id), so a test can tell which jobs shared a group.  A
 * "gate" job holds the writer thread still while other threads queue up
 * behind it, which makes the next group's membership deterministic.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ftw.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "fixture_store.h"
#include "log.h"
#include "store.h"
#include "writer.h"

#define NTHREADS 32
#define NJOBS    25

struct fixture {
	struct fixture_store fs;
	struct writer *writer;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	fixture_store_make(&f->fs, "writer");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	writer_stop(f->writer);
	fixture_store_remove(&f->fs);
	free(f);
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* ---- jobs ------------------------------------------------------------- */

struct put_job {
	struct store *store;
	char key[32];
	char val[32];
	int result;    /* what the job returns after writing */
	size_t txn_id; /* the transaction it ran in */
	int ran;
	int rc; /* what writer_submit returned */
};

static int put_fn(void *arg, MDB_txn *txn)
{
	struct put_job *j = arg;
	MDB_val k = {strlen(j->key), j->key}, v = {strlen(j->val), j->val};
	int rc = mdb_put(txn, j->store->dbi[STORE_META], &k, &v, 0);

	j->ran++;
	j->txn_id = mdb_txn_id(txn);
	if (rc != 0)
		return store_error(rc);
	return j->result;
}

static void put_init(struct put_job *j, struct store *s, int t, int i, int result)
{
	memset(j, 0, sizeof(*j));
	j->store = s;
	snprintf(j->key, sizeof(j->key), "t%02d-j%03d", t, i);
	snprintf(j->val, sizeof(j->val), "value %d/%d", t, i);
	j->result = result;
}

/* 1 if @p key holds @p val, 0 if absent; fails the test on anything else. */
static int has_value(struct store *s, const char *key, const char *val)
{
	MDB_txn *txn;
	MDB_val k = {strlen(key), (void *)key}, v;
	int rc, found;

	assert_int_equal(store_read_begin(s, &txn), 0);
	rc = mdb_get(txn, s->dbi[STORE_META], &k, &v);
	assert_true(rc == 0 || rc == MDB_NOTFOUND);
	found = rc == 0;
	if (found) {
		assert_int_equal(v.mv_size, strlen(val));
		assert_memory_equal(v.mv_data, val, v.mv_size);
	}
	mdb_txn_abort(txn);
	return found;
}

/* The gate: holds the writer thread until released (or 10 s pass).  It
 * writes a key, so its group commits and the next group gets a new id. */
struct gate {
	struct store *store;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int running;
	int open;
	size_t txn_id;
};

static struct gate *gate_new(struct store *s)
{
	struct gate *g = calloc(1, sizeof(*g));

	assert_non_null(g);
	g->store = s;
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->cond, NULL);
	return g;
}

static void gate_free(struct gate *g)
{
	pthread_mutex_destroy(&g->lock);
	pthread_cond_destroy(&g->cond);
	free(g);
}

static int gate_fn(void *arg, MDB_txn *txn)
{
	struct gate *g = arg;
	struct timespec deadline;
	MDB_val k = {4, "gate"}, v = {4, "open"};

	if (mdb_put(txn, g->store->dbi[STORE_META], &k, &v, 0) != 0)
		return PMIF_ESTORE;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += 10;
	pthread_mutex_lock(&g->lock);
	g->running = 1;
	g->txn_id = mdb_txn_id(txn);
	pthread_cond_broadcast(&g->cond);
	while (!g->open)
		if (pthread_cond_timedwait(&g->cond, &g->lock, &deadline) != 0)
			break;
	pthread_mutex_unlock(&g->lock);
	return 0;
}

static void gate_wait_running(struct gate *g)
{
	pthread_mutex_lock(&g->lock);
	while (!g->running)
		pthread_cond_wait(&g->cond, &g->lock);
	pthread_mutex_unlock(&g->lock);
}

static void gate_open(struct gate *g)
{
	pthread_mutex_lock(&g->lock);
	g->open = 1;
	pthread_cond_broadcast(&g->cond);
	pthread_mutex_unlock(&g->lock);
}

struct gate_thread {
	pthread_t thread;
	struct writer *w;
	struct gate *g;
	int rc;
};

static void *gate_main(void *arg)
{
	struct gate_thread *gt = arg;

	gt->rc = writer_submit(gt->w, gate_fn, gt->g);
	return NULL;
}

/* Start a thread whose job holds the writer; returns once it holds it. */
static void gate_start(struct gate_thread *gt, struct writer *w, struct gate *g)
{
	gt->w = w;
	gt->g = g;
	gt->rc = 1;
	assert_int_equal(pthread_create(&gt->thread, NULL, gate_main, gt), 0);
	gate_wait_running(g);
}

/* ---- the concurrent test ---------------------------------------------- */

struct worker {
	pthread_t thread;
	struct writer *w;
	struct store *s;
	int t;
	atomic_int *arrived;
	struct put_job jobs[NJOBS];
};

/* Which jobs fail on purpose: thread 7's first (in the gated group) and a
 * few in the free-running part. */
static int should_fail(int t, int i)
{
	return (t == 7 && i == 0) || (t == 3 && i == 11) || (t == 30 && i == 24);
}

static void *worker_main(void *arg)
{
	struct worker *wk = arg;

	for (int i = 0; i < NJOBS; i++) {
		struct put_job *j = &wk->jobs[i];

		put_init(j, wk->s, wk->t, i, should_fail(wk->t, i) ? PMIF_EPERM : 0);
		if (i == 0)
			atomic_fetch_add(wk->arrived, 1);
		j->rc = writer_submit(wk->w, put_fn, j);
	}
	return NULL;
}

static void test_concurrent_group_commit(void **state)
{
	struct fixture *f = *state;
	struct worker *wk = calloc(NTHREADS, sizeof(*wk));
	struct gate *g = gate_new(f->fs.store);
	struct gate_thread gt;
	atomic_int arrived = 0;
	unsigned long long groups, jobs;
	size_t first_group;
	int shared = 0;

	assert_non_null(wk);
	assert_int_equal(writer_start(f->fs.store, 64, &f->writer), 0);
	gate_start(&gt, f->writer, g);
	for (int t = 0; t < NTHREADS; t++) {
		wk[t].w = f->writer;
		wk[t].s = f->fs.store;
		wk[t].t = t;
		wk[t].arrived = &arrived;
		assert_int_equal(pthread_create(&wk[t].thread, NULL, worker_main, &wk[t]), 0);
	}
	/* every thread's first job queues behind the gate: one group */
	while (atomic_load(&arrived) < NTHREADS)
		sleep_ms(5);
	sleep_ms(200);
	gate_open(g);
	for (int t = 0; t < NTHREADS; t++)
		pthread_join(wk[t].thread, NULL);
	pthread_join(gt.thread, NULL);
	assert_int_equal(gt.rc, 0);

	for (int t = 0; t < NTHREADS; t++) {
		for (int i = 0; i < NJOBS; i++) {
			struct put_job *j = &wk[t].jobs[i];

			assert_int_equal(j->ran, 1);
			if (should_fail(t, i)) {
				assert_int_equal(j->rc, PMIF_EPERM);
				assert_false(has_value(f->fs.store, j->key, j->val));
			} else {
				assert_int_equal(j->rc, 0);
				assert_true(has_value(f->fs.store, j->key, j->val));
			}
		}
	}

	/* the failed job shared its group with jobs that were kept */
	first_group = wk[7].jobs[0].txn_id;
	assert_true(first_group > g->txn_id);
	for (int t = 0; t < NTHREADS; t++)
		if (t != 7 && wk[t].jobs[0].txn_id == first_group)
			shared++;
	assert_true(shared >= 1);
	print_message("the failed job's group held %d other jobs\n", shared);

	writer_stats(f->writer, &groups, &jobs);
	print_message("%llu jobs in %llu groups\n", jobs, groups);
	assert_int_equal(jobs, NTHREADS * NJOBS + 1);
	assert_true(groups < jobs);
	assert_true(groups >= (jobs + 63) / 64);
	gate_free(g);
	free(wk);
}

/* Threads about to submit (counted just before writer_submit), so a test
 * can wait until everything it started is queued behind a gate. */
static atomic_int arrivals;

static void wait_arrivals(int n)
{
	while (atomic_load(&arrivals) < n)
		sleep_ms(5);
	sleep_ms(100); /* from "about to submit" to queued */
}

/* Three jobs in one gated group: the middle one writes, then fails. */
struct one_thread {
	pthread_t thread;
	struct writer *w;
	struct put_job *j;
};

static void *one_main(void *arg)
{
	struct one_thread *o = arg;

	atomic_fetch_add(&arrivals, 1);
	o->j->rc = writer_submit(o->w, put_fn, o->j);
	return NULL;
}

static void test_failed_job_discarded(void **state)
{
	struct fixture *f = *state;
	struct gate *g = gate_new(f->fs.store);
	struct gate_thread gt;
	struct put_job jobs[3];
	struct one_thread th[3];
	/* the middle job fails with an ordinary code, with a code no PMIF
	 * function returns, and with a positive value */
	static const int failures[] = {PMIF_EEXIST, -12345, 7};

	assert_int_equal(writer_start(f->fs.store, 16, &f->writer), 0);
	for (size_t round = 0; round < 3; round++) {
		g->running = g->open = 0;
		atomic_store(&arrivals, 0);
		gate_start(&gt, f->writer, g);
		for (int i = 0; i < 3; i++) {
			put_init(&jobs[i], f->fs.store, 50 + (int)round, i,
			         i == 1 ? failures[round] : 0);
			th[i].w = f->writer;
			th[i].j = &jobs[i];
			assert_int_equal(pthread_create(&th[i].thread, NULL, one_main, &th[i]), 0);
		}
		wait_arrivals(3);
		gate_open(g);
		for (int i = 0; i < 3; i++)
			pthread_join(th[i].thread, NULL);
		pthread_join(gt.thread, NULL);

		assert_int_equal(jobs[0].rc, 0);
		assert_int_equal(jobs[1].rc, failures[round]);
		assert_int_equal(jobs[2].rc, 0);
		assert_true(has_value(f->fs.store, jobs[0].key, jobs[0].val));
		assert_false(has_value(f->fs.store, jobs[1].key, jobs[1].val));
		assert_true(has_value(f->fs.store, jobs[2].key, jobs[2].val));
		/* and all three really were one group */
		assert_true(jobs[0].txn_id == jobs[1].txn_id);
		assert_true(jobs[1].txn_id == jobs[2].txn_id);
	}
	gate_free(g);
}

/* Jobs in one group see the writes of the jobs before them. */
struct counter_arg {
	struct store *store;
};

static int increment_fn(void *arg, MDB_txn *txn)
{
	struct counter_arg *c = arg;
	MDB_val k = {7, "counter"}, v;
	uint64_t n = 0;
	int rc = mdb_get(txn, c->store->dbi[STORE_META], &k, &v);

	if (rc == 0 && v.mv_size == 8)
		memcpy(&n, v.mv_data, 8);
	else if (rc != MDB_NOTFOUND)
		return PMIF_ESTORE;
	n++;
	v.mv_size = 8;
	v.mv_data = &n;
	return store_error(mdb_put(txn, c->store->dbi[STORE_META], &k, &v, 0));
}

struct inc_thread {
	pthread_t thread;
	struct writer *w;
	struct counter_arg *c;
	int failures;
};

static void *inc_main(void *arg)
{
	struct inc_thread *it = arg;

	for (int i = 0; i < 20; i++)
		if (writer_submit(it->w, increment_fn, it->c) != 0)
			it->failures++;
	return NULL;
}

static uint64_t read_counter(struct store *s)
{
	MDB_txn *txn;
	MDB_val k = {7, "counter"}, v;
	uint64_t n = 0;

	assert_int_equal(store_read_begin(s, &txn), 0);
	assert_int_equal(mdb_get(txn, s->dbi[STORE_META], &k, &v), 0);
	assert_int_equal(v.mv_size, 8);
	memcpy(&n, v.mv_data, 8);
	mdb_txn_abort(txn);
	return n;
}

static void run_increments(struct fixture *f, unsigned max_batch, unsigned long long *groups,
                           unsigned long long *jobs)
{
	struct counter_arg c = {f->fs.store};
	struct inc_thread th[16];

	assert_int_equal(writer_start(f->fs.store, max_batch, &f->writer), 0);
	for (int t = 0; t < 16; t++) {
		th[t].w = f->writer;
		th[t].c = &c;
		th[t].failures = 0;
		assert_int_equal(pthread_create(&th[t].thread, NULL, inc_main, &th[t]), 0);
	}
	for (int t = 0; t < 16; t++) {
		pthread_join(th[t].thread, NULL);
		assert_int_equal(th[t].failures, 0);
	}
	writer_stats(f->writer, groups, jobs);
	writer_stop(f->writer);
	f->writer = NULL;
}

static void test_jobs_see_earlier_jobs(void **state)
{
	struct fixture *f = *state;
	unsigned long long groups, jobs;

	run_increments(f, 64, &groups, &jobs);
	assert_int_equal(read_counter(f->fs.store), 16 * 20);
	assert_int_equal(jobs, 16 * 20);
}

static void test_max_batch_one(void **state)
{
	struct fixture *f = *state;
	unsigned long long groups, jobs;

	/* with a batch of one every job is its own group */
	run_increments(f, 1, &groups, &jobs);
	assert_int_equal(read_counter(f->fs.store), 16 * 20);
	assert_int_equal(jobs, 16 * 20);
	assert_int_equal(groups, jobs);
}

/* Garbage from a job: keys LMDB refuses, and a value larger than the map. */
struct bad_job {
	struct store *store;
	struct writer *w;
	size_t klen;
	size_t vlen;
	int rc;
	pthread_t thread;
};

static int bad_fn(void *arg, MDB_txn *txn)
{
	struct bad_job *b = arg;
	char *key = calloc(1, b->klen + 1), *val = calloc(1, b->vlen + 1);
	MDB_val k = {b->klen, key}, v = {b->vlen, val};
	int rc;

	if (key == NULL || val == NULL) {
		free(key);
		free(val);
		return PMIF_ENOMEM;
	}
	memset(key, 'k', b->klen);
	rc = mdb_put(txn, b->store->dbi[STORE_META], &k, &v, 0);
	free(key);
	free(val);
	return store_error(rc);
}

static void *bad_main(void *arg)
{
	struct bad_job *b = arg;

	atomic_fetch_add(&arrivals, 1);
	b->rc = writer_submit(b->w, bad_fn, b);
	return NULL;
}

static void test_garbage_jobs(void **state)
{
	struct fixture *f = *state;
	struct gate *g = gate_new(f->fs.store);
	struct gate_thread gt;
	struct bad_job bad[3] = {
	    {.store = f->fs.store, .klen = 0, .vlen = 4},        /* empty key */
	    {.store = f->fs.store, .klen = 4000, .vlen = 4},     /* key too long */
	    {.store = f->fs.store, .klen = 4, .vlen = 8u << 20}, /* bigger than the map */
	};
	struct put_job good[2];
	struct one_thread th[2];
	MDB_envinfo info;
	MDB_stat st;

	/* shrink the map so a large value cannot fit (no txn is open now) */
	assert_int_equal(mdb_env_info(f->fs.store->env, &info), 0);
	assert_int_equal(mdb_env_stat(f->fs.store->env, &st), 0);
	assert_int_equal(
	    mdb_env_set_mapsize(f->fs.store->env, (info.me_last_pgno + 64) * (size_t)st.ms_psize),
	    0);
	/* and say that is the ceiling: the writer may not grow it */
	f->fs.store->map_size = f->fs.store->map_max =
	    (info.me_last_pgno + 64) * (size_t)st.ms_psize;
	assert_int_equal(writer_start(f->fs.store, 16, &f->writer), 0);

	atomic_store(&arrivals, 0);
	gate_start(&gt, f->writer, g);
	for (int i = 0; i < 2; i++) {
		put_init(&good[i], f->fs.store, 60, i, 0);
		th[i].w = f->writer;
		th[i].j = &good[i];
		assert_int_equal(pthread_create(&th[i].thread, NULL, one_main, &th[i]), 0);
	}
	for (int i = 0; i < 3; i++) {
		bad[i].w = f->writer;
		assert_int_equal(pthread_create(&bad[i].thread, NULL, bad_main, &bad[i]), 0);
	}
	wait_arrivals(5);
	gate_open(g);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i].thread, NULL);
	for (int i = 0; i < 3; i++)
		pthread_join(bad[i].thread, NULL);
	pthread_join(gt.thread, NULL);

	for (int i = 0; i < 3; i++)
		assert_int_not_equal(bad[i].rc, 0);
	assert_int_equal(bad[2].rc, PMIF_EMAPFULL);
	/* the garbage jobs did not take their neighbours down with them */
	for (int i = 0; i < 2; i++) {
		assert_int_equal(good[i].rc, 0);
		assert_true(has_value(f->fs.store, good[i].key, good[i].val));
	}
	assert_true(good[0].txn_id == good[1].txn_id);
	gate_free(g);
}

/* writer_stop() finishes what is queued and refuses anything new. */
struct stop_thread {
	pthread_t thread;
	struct writer *w;
	atomic_int started, done;
};

static void *stop_main(void *arg)
{
	struct stop_thread *st = arg;

	atomic_store(&st->started, 1);
	writer_stop(st->w);
	atomic_store(&st->done, 1);
	return NULL;
}

static void test_submit_during_stop_refused(void **state)
{
	struct fixture *f = *state;
	struct gate *g = gate_new(f->fs.store);
	struct gate_thread gt;
	struct stop_thread stopper = {.started = 0, .done = 0};
	struct put_job queued, refused;
	struct one_thread th;

	assert_int_equal(writer_start(f->fs.store, 8, &f->writer), 0);
	atomic_store(&arrivals, 0);
	gate_start(&gt, f->writer, g);
	put_init(&queued, f->fs.store, 70, 0, 0);
	th.w = f->writer;
	th.j = &queued;
	assert_int_equal(pthread_create(&th.thread, NULL, one_main, &th), 0);
	wait_arrivals(1); /* queued behind the gate */

	stopper.w = f->writer;
	assert_int_equal(pthread_create(&stopper.thread, NULL, stop_main, &stopper), 0);
	while (!atomic_load(&stopper.started))
		sleep_ms(5);
	sleep_ms(100); /* the writer is stopping, but still busy with the gate */
	assert_int_equal(atomic_load(&stopper.done), 0);

	put_init(&refused, f->fs.store, 70, 1, 0);
	assert_int_equal(writer_submit(f->writer, put_fn, &refused), PMIF_ESTATE);
	assert_int_equal(refused.ran, 0);

	gate_open(g);
	pthread_join(gt.thread, NULL);
	pthread_join(th.thread, NULL);
	pthread_join(stopper.thread, NULL);
	f->writer = NULL; /* freed by writer_stop */

	assert_int_equal(gt.rc, 0);
	assert_int_equal(queued.rc, 0);
	assert_int_equal(queued.ran, 1);
	assert_true(has_value(f->fs.store, queued.key, queued.val));
	assert_false(has_value(f->fs.store, refused.key, refused.val));
	writer_stop(NULL);
	gate_free(g);
}

/* ---- the map grows under the writer ----------------------------------- */

struct blob_job {
	struct store *store;
	struct writer *writer;
	const char *prefix;
	int n;    /* values of 64 KiB */
	int runs; /* how often the writer ran it */
	int rc;
};

static int blob_fn(void *arg, MDB_txn *txn)
{
	static char blob[64 * 1024];
	struct blob_job *j = arg;
	int rc = 0;

	j->runs++;
	memset(blob, 'b', sizeof(blob));
	for (int i = 0; rc == 0 && i < j->n; i++) {
		char key[32];
		MDB_val k = {(size_t)snprintf(key, sizeof(key), "%s-%d", j->prefix, i), key};
		MDB_val v = {sizeof(blob), blob};
		rc = store_error(mdb_put(txn, j->store->dbi[STORE_REQUESTS], &k, &v, 0));
	}
	return rc;
}

static void *blob_main(void *arg)
{
	struct blob_job *j = arg;

	j->rc = writer_submit(j->writer, blob_fn, j);
	return NULL;
}

/*
 * A write that does not fit: its group is run again after each growth
 * until it fits (1 -> 2 -> 4 MiB for 3 MiB), beside a small one; past the
 * ceiling it fails, the writer says writes are refused, and a small write
 * after it still goes in.
 */
static void test_map_grows_and_reruns(void **state)
{
	struct fixture *f = *state;
	struct store_options opt = {.map_size = (size_t)1 << 20, .map_max = (size_t)8 << 20};
	struct blob_job big = {.prefix = "big", .n = 48}, small = {.prefix = "small", .n = 1};
	pthread_t a, b;
	char path[128];
	int rc;

	store_close(f->fs.store);
	f->fs.store = NULL;
	snprintf(path, sizeof(path), "%s/store", f->fs.dir);
	assert_int_equal(store_open_with(path, &opt, &f->fs.store), 0);
	assert_int_equal(f->fs.store->map_size, (size_t)1 << 20);
	assert_int_equal(writer_start(f->fs.store, 16, &f->writer), 0);
	big.store = small.store = f->fs.store;
	big.writer = small.writer = f->writer;
	assert_int_equal(pthread_create(&a, NULL, blob_main, &big), 0);
	assert_int_equal(pthread_create(&b, NULL, blob_main, &small), 0);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	assert_int_equal(big.rc, 0);
	assert_int_equal(small.rc, 0);
	assert_int_equal(f->fs.store->map_size, (size_t)4 << 20);
	assert_true(big.runs >= 3); /* in 1 MiB, in 2 MiB, in 4 MiB */
	assert_int_equal(writer_refused(f->writer, NULL), 0);

	/* 6 MiB more cannot fit under 8 MiB: refused, the map at its ceiling */
	big.prefix = "more";
	big.n = 96;
	big.runs = 0;
	rc = writer_submit(f->writer, blob_fn, &big);
	assert_int_equal(rc, PMIF_EMAPFULL);
	assert_int_equal(f->fs.store->map_size, (size_t)8 << 20);
	assert_true(writer_refused(f->writer, &rc) != 0);
	assert_int_equal(rc, PMIF_EMAPFULL);
	/* a small write still goes in, and the store accepts writes again */
	small.prefix = "after";
	assert_int_equal(writer_submit(f->writer, blob_fn, &small), 0);
	assert_int_equal(writer_refused(f->writer, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_concurrent_group_commit, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_failed_job_discarded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_jobs_see_earlier_jobs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_max_batch_one, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_garbage_jobs, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_submit_during_stop_refused, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_map_grows_and_reruns, setup, teardown),
	};

	log_set_quiet(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
