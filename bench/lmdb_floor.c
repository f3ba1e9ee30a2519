/*
 * lmdb_floor.c - the store's floors, in a fresh LMDB environment with the
 * default (fully durable) flags, on the same file system as the server's:
 *
 *   lmdb.commit  one small record per transaction, one mdb_txn_commit per
 *                write: what a server that commits every write alone can do
 *                (load.c also runs this between its write runs, so each
 *                write figure has a floor measured next to it);
 *   lmdb.read    a read transaction renewed and one mdb_get of a small
 *                record: the least a store read can cost.
 *
 *   pmif-bench lmdb --dir DIR [--n N] [--seconds S]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <lmdb.h>

#include "bench.h"
#include "floor.h"

#define RECORDS 10000

struct lmdb_floor {
	MDB_env *env;
	MDB_dbi dbi;
	uint64_t next; /* next key */
};

static void key_of(uint8_t k[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		k[i] = (uint8_t)v;
}

int lmdb_floor_open(const char *dir, struct lmdb_floor **out)
{
	struct lmdb_floor *f = calloc(1, sizeof(*f));
	MDB_txn *txn = NULL;
	int rc;

	if (f == NULL)
		return -1;
	mkdir(dir, 0700);
	rc = mdb_env_create(&f->env);
	if (rc == 0)
		rc = mdb_env_set_mapsize(f->env, (size_t)1 << 30);
	if (rc == 0)
		rc = mdb_env_open(f->env, dir, 0, 0600); /* default flags: durable commits */
	if (rc == 0)
		rc = mdb_txn_begin(f->env, NULL, 0, &txn);
	if (rc == 0)
		rc = mdb_dbi_open(txn, NULL, 0, &f->dbi);
	if (rc == 0)
		rc = mdb_txn_commit(txn);
	if (rc != 0) {
		bench_note("lmdb floor in %s: %s", dir, mdb_strerror(rc));
		lmdb_floor_close(f);
		return -1;
	}
	*out = f;
	return 0;
}

void lmdb_floor_close(struct lmdb_floor *f)
{
	if (f == NULL)
		return;
	if (f->env)
		mdb_env_close(f->env);
	free(f);
}

long lmdb_floor_commits(struct lmdb_floor *f, double seconds, unsigned max, struct bench_samples *s,
                        double *elapsed_us)
{
	uint8_t key[8], val[100];
	double t0 = bench_now_us();
	long done = 0;

	memset(val, 0x5a, sizeof(val));
	for (; (unsigned long)done < max && bench_now_us() - t0 < seconds * 1e6; done++) {
		double t = bench_now_us();
		MDB_val k = {8, key}, v = {sizeof(val), val};
		MDB_txn *txn;
		int rc;

		key_of(key, f->next++);
		if ((rc = mdb_txn_begin(f->env, NULL, 0, &txn)) != 0 ||
		    (rc = mdb_put(txn, f->dbi, &k, &v, 0)) != 0 ||
		    (rc = mdb_txn_commit(txn)) != 0) {
			bench_note("lmdb commit: %s", mdb_strerror(rc));
			return -1;
		}
		if (s)
			bench_samples_add(s, bench_now_us() - t);
	}
	*elapsed_us = bench_now_us() - t0;
	return done;
}

int bench_cmd_lmdb(int argc, char **argv)
{
	const char *dir = bench_opt(argc, argv, "--dir", NULL);
	unsigned n = (unsigned)bench_opt_num(argc, argv, "--n", 5000);
	double secs = bench_opt_num(argc, argv, "--seconds", 3), total;
	struct bench_samples s = {0};
	struct lmdb_floor *f;
	uint8_t key[8], val[100];
	MDB_txn *txn;
	long done;

	if (dir == NULL) {
		fprintf(stderr, "usage: pmif-bench lmdb --dir DIR [--n N] [--seconds S]\n");
		return 2;
	}
	if (lmdb_floor_open(dir, &f) != 0)
		return 1;
	done = lmdb_floor_commits(f, secs, n, &s, &total);
	if (done < 0)
		return 1;
	bench_emit("lmdb.commit",
	           "n=%ld median_us=%.1f p99_us=%.1f commits_per_s=%.0f record_bytes=%zu", done,
	           bench_pct(&s, 50), bench_pct(&s, 99), (double)done / (total / 1e6), sizeof(val));

	/* fill to RECORDS in one transaction, then time reads */
	memset(val, 0x5a, sizeof(val));
	if (mdb_txn_begin(f->env, NULL, 0, &txn) == 0) {
		for (uint64_t i = 0; i < RECORDS; i++) {
			MDB_val k = {8, key}, v = {sizeof(val), val};
			key_of(key, i);
			mdb_put(txn, f->dbi, &k, &v, 0);
		}
		mdb_txn_commit(txn);
	}
	if (mdb_txn_begin(f->env, NULL, MDB_RDONLY, &txn) == 0) {
		const unsigned reads = 200000;
		uint64_t x = 88172645463325252ull, found = 0;
		double t0;

		mdb_txn_reset(txn);
		t0 = bench_now_us();
		for (unsigned i = 0; i < reads; i++) {
			MDB_val k = {8, key}, v;
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			key_of(key, x % RECORDS);
			mdb_txn_renew(txn);
			found += mdb_get(txn, f->dbi, &k, &v) == 0;
			mdb_txn_reset(txn);
		}
		total = bench_now_us() - t0;
		mdb_txn_abort(txn);
		bench_emit("lmdb.read", "n=%u mean_us=%.3f found=%llu records=%d", reads,
		           total / reads, (unsigned long long)found, RECORDS);
	}
	lmdb_floor_close(f);
	bench_samples_free(&s);
	return 0;
}
