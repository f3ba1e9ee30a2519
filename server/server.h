/*
 * server.h - what the whole of pmifd shares while serving.
 */
#ifndef PMIF_SERVER_H
#define PMIF_SERVER_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

struct store;
struct writer;
struct channels;
struct dispatch_worker;
struct reply_cache;

struct server_config {
	const char *data_dir;
	const char *listen[8];
	unsigned n_listen;
	unsigned workers;          /* 0: one per core */
	unsigned max_channels;     /* open channels held in memory */
	unsigned channel_idle;     /* seconds before an unused channel is dropped */
	unsigned login_window;     /* throttle window, seconds */
	unsigned max_batch;        /* writes per group commit */
	unsigned session_idle;     /* seconds a session may go unused */
	unsigned session_absolute; /* seconds a session may last at all */
	int quiet;                 /* no per-request log lines */
	unsigned report_cache_mb;  /* report answers kept by snapshot; 0: none */
	unsigned map_mb;           /* the store's map at start, MiB */
	unsigned map_max_mb;       /* the ceiling it may grow to, MiB */
};

struct server {
	struct server_config cfg;
	struct store *store;
	struct writer *writer;
	struct channels *channels;
	struct reply_cache *replies; /* NULL: every report is computed */
	uint8_t static_priv[32];
	uint8_t static_pub[32];
	uint8_t rebind_key[32]; /* from static_priv: sessions' rebind secrets (auth.h) */
	time_t started;
	unsigned workers;
	/*
	 * Held shared by a worker while its read transaction is live, and
	 * exclusively by the writer thread while it reopens the store after a
	 * bulk write (dispatch.c); @p readers are the workers' read
	 * transactions, which the reopen ends.
	 */
	pthread_rwlock_t store_lock;
	struct dispatch_worker **readers;
	unsigned n_readers;
};

/** Serve until SIGTERM or SIGINT; returns 0 after a clean stop. */
int server_run(struct server_config *cfg);

/** Seconds since the epoch (UTC). */
uint64_t server_now(void);

#endif
