/*
 * server.h - what the whole of pmifd shares while serving.
 */
#ifndef PMIF_SERVER_H
#define PMIF_SERVER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

struct store;
struct writer;
struct channels;
struct reply_cache;
struct throttle;
struct maintenance;

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
	unsigned stop_timeout;     /* seconds a stop waits for requests in flight */
	/*
	 * On SIGHUP: fill *next with the settings as they read now (@p now
	 * where a change needs a restart), logging what changed; 0, or -1
	 * after logging why the old settings stay.  NULL: SIGHUP is ignored.
	 */
	int (*reload)(void *arg, const struct server_config *now, struct server_config *next);
	void *reload_arg;
};

struct server {
	struct server_config cfg; /* as started: never written while serving */
	/*
	 * What a reload may change, read by any thread (so atomic); set from
	 * cfg at start by server_settings_apply().
	 */
	atomic_uint session_idle;     /* seconds a session may go unused */
	atomic_uint session_absolute; /* seconds a session may last at all */
	atomic_int quiet;             /* no per-request log lines */
	/* requests received and not yet answered; while stopping, new ones
	 * are refused (serve.c) */
	atomic_uint in_flight;
	atomic_bool stopping;
	struct store *store;
	struct writer *writer;
	struct channels *channels;
	struct reply_cache *replies; /* NULL: every report is computed */
	struct throttle *throttle;   /* the login throttle (throttle.h) */
	struct maintenance *maintenance; /* the housekeeping's cursors (maintenance.h) */
	/* handshakes in the current second (serve.c: a pre-auth work cap) */
	atomic_uint_fast64_t hs_window_start;
	atomic_uint hs_in_window;
	uint8_t static_priv[32];
	uint8_t static_pub[32];
	uint8_t rebind_key[32]; /* from static_priv: sessions' rebind secrets (auth.h) */
	time_t started;
	unsigned workers;
};

/**
 * Take @p cfg's reloadable settings (session times, quiet, and the login
 * window, channel idle time and report cache size of the objects that
 * keep them) into @p srv; safe while serving.
 */
void server_settings_apply(struct server *srv, const struct server_config *cfg);

/**
 * Serve until SIGTERM or SIGINT, re-reading the settings on SIGHUP (see
 * server_config.reload).  A stop answers the requests in flight (for at
 * most cfg->stop_timeout seconds), refusing new ones meanwhile, then
 * closes the store; returns 0 after a clean stop.
 */
int server_run(struct server_config *cfg);

#endif
