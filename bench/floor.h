/*
 * floor.h - the echo floor as a library for the benchmarks that stand
 * beside it (echo.c): latency and closed-loop throughput of REQ/REP round
 * trips of given sizes against `pmif-bench echo-server`.
 */
#ifndef PMIF_BENCH_FLOOR_H
#define PMIF_BENCH_FLOOR_H

#include <stddef.h>
#include <sys/types.h>

#include "bench.h"

/** @p n round trips of @p req bytes out, @p rep back, one socket; each
 *  latency appended to @p out.  0, or -1 when the floor did not answer. */
int floor_latency(const char *url, size_t req, size_t rep, unsigned n, struct bench_samples *out);

/** Throughput of @p threads clients, each with its own REQ socket, while
 *  watching process @p pid (the echo server; 0: none). */
int floor_tput(const char *url, size_t req, size_t rep, unsigned threads, double warmup_s,
               double seconds, pid_t pid, struct bench_load *out, struct bench_samples *keep);

/* The store's floor: a fresh LMDB environment with default (durable)
 * flags, one small record per transaction (lmdb_floor.c). */
struct lmdb_floor;
int lmdb_floor_open(const char *dir, struct lmdb_floor **out);
/** Commit one record per transaction for @p seconds (at most @p max);
 *  latencies into @p s (may be NULL).  Returns commits made, -1 on error;
 *  *elapsed_us the time taken. */
long lmdb_floor_commits(struct lmdb_floor *f, double seconds, unsigned max, struct bench_samples *s,
                        double *elapsed_us);
void lmdb_floor_close(struct lmdb_floor *f);

/** Print a throughput result line. */
void floor_emit_tput(const char *name, unsigned clients, const struct bench_load *l);

#endif
