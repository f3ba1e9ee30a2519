/*
 * serve.c - pmifd's transport loop: one raw nanomsg REP socket bound to
 * every --listen URL, N worker threads receiving from it in parallel, the
 * writer thread, and a main thread that waits for signals: SIGHUP
 * re-reads the settings, SIGTERM/SIGINT stop.
 *
 * Each frame is handled here up to the channel: HELLO runs the responder
 * side of the Noise_NX handshake and answers WELCOME; DATA is checked and
 * decrypted by the channel table, handed to the dispatcher, and the reply
 * sealed on the same channel.  Anything else gets a REFUSED frame (or, if
 * it is not even a frame, nothing at all); nothing is decoded as protobuf
 * before its frame has been authenticated.
 *
 * A stop is graceful: the main thread sets srv->stopping and waits (at
 * most stop_timeout seconds) until srv->in_flight, the requests received
 * and not yet answered, is zero.  Meanwhile the workers go on receiving
 * and refuse whatever arrives ("the server is stopping"), so a client is
 * told rather than left to time out.  A request counts itself in before
 * it looks at srv->stopping, and the main thread sets srv->stopping
 * before it reads the count (both sequentially consistent), so a request
 * is either refused or waited for.  Writes are answered from the writer
 * thread once durable, so when the count is zero everything acknowledged
 * is committed and nothing is left queued.
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>
#include <openssl/crypto.h>

#include "auth.h"
#include "channels.h"
#include "clock.h"
#include "dispatch.h"
#include "error.h"
#include "frame.h"
#include "keys.h"
#include "log.h"
#include "maintenance.h"
#include "noise.h"
#include "reply_cache.h"
#include "rpc.h"
#include "server.h"
#include "store.h"
#include "throttle.h"
#include "writer.h"

/* Handshakes allowed per second across all sources (pre-auth work cap). */
#define HANDSHAKES_PER_SECOND 2000
/* A cached report is recomputed after this long even if no data changed,
 * so its "generated" time and the current quarter stay fresh. */
#define REPORT_CACHE_TTL 60
/* After a request this large the worker's receive buffer is handed back. */
#define BIG_REQUEST ((size_t)1 << 20)
/* nanomsg writes a sent message out on its own thread, and nn_term() drops
 * what it has not written yet (it has no linger): the last replies are
 * given this long to leave before the sockets close. */
#define REPLY_LINGER_MS 200

struct worker {
	struct server *srv;
	int sock;
	pthread_t thread;
	struct dispatch_worker dw;
	uint8_t *buf; /* plaintext of the current request */
};

/* Send @p msg (from nn_allocmsg, all of it) as the reply to the request
 * whose routing header is @p control; both are consumed. */
static void send_msg(int sock, void *control, void *msg)
{
	struct nn_msghdr hdr = {0};
	struct nn_iovec iov;

	iov.iov_base = &msg;
	iov.iov_len = NN_MSG;
	hdr.msg_iov = &iov;
	hdr.msg_iovlen = 1;
	hdr.msg_control = &control;
	hdr.msg_controllen = NN_MSG;
	if (nn_sendmsg(sock, &hdr, 0) < 0) {
		/* the peer may have gone; the message and header are still ours */
		nn_freemsg(msg);
		nn_freemsg(control);
	}
}

/* Send a copy of @p len bytes of @p data as the reply. */
static void send_reply(int sock, void *control, const void *data, size_t len)
{
	void *msg = nn_allocmsg(len, 0);

	if (msg == NULL) {
		nn_freemsg(control);
		return;
	}
	memcpy(msg, data, len);
	send_msg(sock, control, msg);
}

static void refuse(int sock, void *control, uint64_t channel, enum pmif_refusal why,
                   const char *text)
{
	uint8_t buf[256];
	size_t n = pmif_frame_refusal(buf, sizeof(buf), channel, why, text);

	send_reply(sock, control, buf, n);
}

static void refuse_stopping(int sock, void *control, uint64_t channel)
{
	refuse(sock, control, channel, PMIF_REFUSED_BUSY,
	       "the server is stopping: try again when it is back");
}

static bool handshake_allowed(struct server *srv)
{
	uint64_t now = clock_now(), start = atomic_load(&srv->hs_window_start);

	if (now != start && atomic_compare_exchange_strong(&srv->hs_window_start, &start, now))
		atomic_store(&srv->hs_in_window, 0);
	return atomic_fetch_add(&srv->hs_in_window, 1) < HANDSHAKES_PER_SECOND;
}

static void handle_hello(struct worker *w, void *control, const struct pmif_frame *f)
{
	struct server *srv = w->srv;
	struct pmif_noise_handshake *hs = NULL;
	struct pmif_noise_cipher c_rx, c_tx;
	uint8_t out[PMIF_FRAME_HEADER + 128], h[32];
	size_t n;
	uint64_t id;
	int rc;

	/* NX message 1 is the bare ephemeral key, with an empty payload. */
	if (f->len != 32) {
		refuse(w->sock, control, 0, PMIF_REFUSED_MALFORMED,
		       "handshake message has the wrong size");
		return;
	}
	if (atomic_load(&srv->stopping)) {
		refuse_stopping(w->sock, control, 0);
		return;
	}
	if (!handshake_allowed(srv)) {
		refuse(w->sock, control, 0, PMIF_REFUSED_BUSY,
		       "too many handshakes: try again shortly");
		return;
	}
	rc = pmif_noise_handshake_new(&hs, PMIF_NOISE_NX, 0, (const uint8_t *)PMIF_NOISE_PROLOGUE,
	                              strlen(PMIF_NOISE_PROLOGUE), srv->static_priv, NULL, NULL);
	if (rc == 0)
		rc = pmif_noise_handshake_read(hs, f->payload, f->len, NULL, 0, &n);
	if (rc == 0)
		rc = pmif_noise_handshake_write(hs, NULL, 0, out + PMIF_FRAME_HEADER,
		                                sizeof(out) - PMIF_FRAME_HEADER, &n);
	if (rc == 0)
		rc = pmif_noise_handshake_split(hs, &c_rx, &c_tx, h);
	pmif_noise_handshake_free(hs);
	if (rc == 0)
		rc = channels_add(srv->channels, &c_rx, &c_tx, h, clock_now(), &id);
	OPENSSL_cleanse(&c_rx, sizeof(c_rx));
	OPENSSL_cleanse(&c_tx, sizeof(c_tx));
	if (rc != 0) {
		refuse(w->sock, control, 0,
		       rc == PMIF_EBUSY ? PMIF_REFUSED_BUSY : PMIF_REFUSED_MALFORMED,
		       "handshake failed");
		return;
	}
	pmif_frame_header(out, PMIF_FRAME_WELCOME, id, 0);
	send_reply(w->sock, control, out, PMIF_FRAME_HEADER + n);
}

/* A reply on its way: where it goes and the channel key to seal it with. */
struct reply_slot {
	struct server *srv;
	int sock;
	void *control; /* nanomsg routing header of the request */
	struct channel_grant grant;
	struct timespec t0;
};

/* Seal @p reply on the slot's channel, send it, log the request, free. */
static void send_reply_slot(void *cookie, const uint8_t *reply, size_t rlen,
                            const struct dispatch_result *res)
{
	struct reply_slot *slot = cookie;
	size_t olen = pmif_frame_sealed_size(rlen), sealed = 0;
	uint8_t *out = reply ? nn_allocmsg(olen, 0) : NULL; /* sealed in place: no copy */

	if (out &&
	    pmif_frame_seal(&slot->grant.tx, slot->grant.id, slot->grant.tx_nonce, reply, rlen, out,
	                    olen, &sealed) == 0 &&
	    sealed == olen) {
		send_msg(slot->sock, slot->control, out);
	} else {
		if (out)
			nn_freemsg(out);
		nn_freemsg(slot->control);
	}
	if (!atomic_load(&slot->srv->quiet))
		log_info("rpc %s user=%s code=%d us=%lld%s", res->method,
		         res->user[0] ? res->user : "-", res->code, clock_usec_since(&slot->t0),
		         res->cached ? " cached" : "");
	atomic_fetch_sub(&slot->srv->in_flight, 1); /* after the send: a stop waits for it */
	OPENSSL_cleanse(&slot->grant, sizeof(slot->grant));
	free(slot);
}

/* Count a request in, unless the server is stopping (see the top). */
static bool request_begin(struct server *srv)
{
	atomic_fetch_add(&srv->in_flight, 1);
	if (!atomic_load(&srv->stopping))
		return true;
	atomic_fetch_sub(&srv->in_flight, 1);
	return false;
}

static void handle_data(struct worker *w, void *control, const struct pmif_frame *f)
{
	struct server *srv = w->srv;
	struct reply_slot *slot = calloc(1, sizeof(*slot));
	struct dispatch_reply_to later = {.send = send_reply_slot, .cookie = slot};
	struct dispatch_result res;
	uint8_t *reply = NULL;
	size_t ptlen, rlen = 0;
	int rc;

	if (slot == NULL) {
		nn_freemsg(control);
		return;
	}
	if (!request_begin(srv)) {
		free(slot);
		refuse_stopping(w->sock, control, f->channel);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &slot->t0);
	slot->srv = srv;
	slot->sock = w->sock;
	slot->control = control;
	rc = channels_open_frame(srv->channels, f, clock_now(), w->buf, PMIF_FRAME_MAX, &ptlen,
	                         &slot->grant);
	if (rc != 0) {
		free(slot);
		atomic_fetch_sub(&srv->in_flight, 1);
		if (rc == PMIF_ENOTFOUND)
			refuse(w->sock, control, f->channel, PMIF_REFUSED_UNKNOWN_CHANNEL,
			       "unknown or expired channel: handshake again");
		else if (rc == PMIF_EREPLAY)
			refuse(w->sock, control, f->channel, PMIF_REFUSED_REPLAY,
			       "frame refused: its nonce was already used");
		else
			refuse(w->sock, control, f->channel, PMIF_REFUSED_AUTH,
			       "frame refused: it failed authentication");
		return;
	}
	rc = dispatch_request(&w->dw, slot->grant.binding, w->buf, ptlen, &later, &reply, &rlen,
	                      &res);
	OPENSSL_cleanse(w->buf, ptlen);
	if (ptlen >= BIG_REQUEST)
		madvise(w->buf, ptlen, MADV_DONTNEED); /* the pages go back, zero on next touch */
	if (rc == 1)
		return; /* a write: the writer replies once it is durable */
	send_reply_slot(slot, reply, rlen, &res);
	if (reply)
		OPENSSL_cleanse(reply, rlen);
	free(reply);
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	for (;;) {
		struct nn_msghdr hdr = {0};
		struct nn_iovec iov;
		struct pmif_frame f;
		void *body = NULL, *control = NULL;
		int n;

		iov.iov_base = &body;
		iov.iov_len = NN_MSG;
		hdr.msg_iov = &iov;
		hdr.msg_iovlen = 1;
		hdr.msg_control = &control;
		hdr.msg_controllen = NN_MSG;
		n = nn_recvmsg(w->sock, &hdr, 0);
		if (n < 0) {
			if (nn_errno() == ETERM || nn_errno() == EBADF)
				break;
			continue;
		}
		if (pmif_frame_decode(body, (size_t)n, &f) != 0) {
			/* not ours at all: say nothing, keep nothing */
			nn_freemsg(body);
			nn_freemsg(control);
			continue;
		}
		switch (f.type) {
		case PMIF_FRAME_HELLO: handle_hello(w, control, &f); break;
		case PMIF_FRAME_DATA: handle_data(w, control, &f); break;
		default:
			refuse(w->sock, control, f.channel, PMIF_REFUSED_MALFORMED,
			       "unexpected frame type");
		}
		nn_freemsg(body);
	}
	dispatch_worker_release(&w->dw);
	return NULL;
}

static int open_socket(struct server *srv)
{
	int sock = nn_socket(AF_SP_RAW, NN_REP);
	int maxsize = PMIF_FRAME_MAX;

	if (sock < 0) {
		log_error("cannot create the socket: %s", nn_strerror(nn_errno()));
		return -1;
	}
	nn_setsockopt(sock, NN_SOL_SOCKET, NN_RCVMAXSIZE, &maxsize, sizeof(maxsize));
	for (unsigned i = 0; i < srv->cfg.n_listen; i++) {
		if (nn_bind(sock, srv->cfg.listen[i]) < 0) {
			log_error("cannot listen on '%s': %s", srv->cfg.listen[i],
			          nn_strerror(nn_errno()));
			nn_close(sock);
			return -1;
		}
		log_info("listening on %s", srv->cfg.listen[i]);
	}
	return sock;
}

void server_settings_apply(struct server *srv, const struct server_config *cfg)
{
	atomic_store(&srv->session_idle, cfg->session_idle);
	atomic_store(&srv->session_absolute, cfg->session_absolute);
	atomic_store(&srv->quiet, cfg->quiet);
	throttle_set_window(srv->throttle, cfg->login_window);
	channels_set_idle(srv->channels, cfg->channel_idle);
	reply_cache_set_limit(srv->replies, (size_t)cfg->report_cache_mb << 20);
}

/* SIGHUP: read the settings again and apply what may change. */
static void reload(struct server *srv, struct server_config *now)
{
	struct server_config next;

	if (now->reload == NULL) {
		log_info("SIGHUP: no --config file to read again");
		return;
	}
	if (now->reload(now->reload_arg, now, &next) != 0)
		return;
	if (srv->replies == NULL && next.report_cache_mb != 0) {
		log_error("reload: the report cache was off at start: turning it on needs a "
		          "restart");
		next.report_cache_mb = 0;
	}
	server_settings_apply(srv, &next);
	*now = next;
}

static void sleep_ms(long ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/*
 * Stop taking requests and wait until those in flight have been answered,
 * for at most @p timeout seconds (see the top of the file).
 */
static void drain(struct server *srv, int sig, unsigned timeout)
{
	struct timespec t0;
	unsigned at_signal, left;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	atomic_store(&srv->stopping, true);
	at_signal = atomic_load(&srv->in_flight);
	log_info("signal %d: stopping; %u requests in flight", sig, at_signal);
	while ((left = atomic_load(&srv->in_flight)) > 0 &&
	       clock_usec_since(&t0) < (long long)timeout * 1000000)
		sleep_ms(10);
	if (left > 0)
		log_error("stopping: %u requests finished, %u still running after %u s: their "
		          "replies may be lost",
		          at_signal > left ? at_signal - left : 0, left, timeout);
	else
		log_info("stopping: %u requests finished in %lld ms", at_signal,
		         clock_usec_since(&t0) / 1000);
	if (at_signal > 0)
		sleep_ms(REPLY_LINGER_MS);
}

/* Wait for a stop signal (returned), reloading on SIGHUP and doing the
 * housekeeping once a minute. */
static int wait_for_stop(struct server *srv, const sigset_t *sigs, struct server_config *now)
{
	for (;;) {
		struct timespec tick = {.tv_sec = MAINTENANCE_INTERVAL};
		int sig = sigtimedwait(sigs, NULL, &tick);

		if (sig == SIGHUP) {
			reload(srv, now);
			continue;
		}
		if (sig > 0)
			return sig;
		if (errno == EAGAIN) {
			writer_submit(srv->writer, maintenance_job, srv);
			/* what big requests left in the heaps goes back */
			malloc_trim(0);
		}
	}
}

/* Block the signals the main thread waits for (every thread inherits the
 * mask), start the log, and set the allocator's policy for big blocks. */
static void process_setup(sigset_t *sigs)
{
	sigemptyset(sigs);
	sigaddset(sigs, SIGTERM);
	sigaddset(sigs, SIGINT);
	sigaddset(sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	log_start(); /* with the signals blocked, like every other thread */
	/* Blocks of 2 MiB and up (the received message of an import, its
	 * copies and row arrays, LMDB's dirty-page list) are mapped on their
	 * own, zero-filled only where touched, and unmapped when freed,
	 * so a bulk request's memory leaves with it; glibc would otherwise
	 * raise this threshold after the first big free and keep such blocks.
	 * Request arenas' 1 MiB chunks stay in the heap, reused from one
	 * request to the next without page faults. */
	mallopt(M_MMAP_THRESHOLD, 2 * 1024 * 1024);
}

/* Everything @p srv serves with but the socket and the workers: keys, the
 * store, the throttle, the channel table, the report cache, the writer. */
static int server_open(struct server *srv, const struct server_config *cfg)
{
	struct store_options opt = {.map_size = (size_t)cfg->map_mb << 20,
	                            .map_max = (size_t)cfg->map_max_mb << 20,
	                            .migrate = true};
	int rc;

	srv->workers = cfg->workers ? cfg->workers : (unsigned)sysconf(_SC_NPROCESSORS_ONLN);
	if (srv->workers == 0)
		srv->workers = 1;
	srv->started = time(NULL);
	rc = rpc_table_init();
	if (rc == 0)
		rc = keys_load(cfg->data_dir, srv->static_priv, srv->static_pub);
	if (rc == 0)
		rc = auth_rebind_key(srv->static_priv, srv->rebind_key);
	if (rc == 0)
		rc = store_open_with(cfg->data_dir, &opt, &srv->store);
	if (rc == PMIF_ENOTFOUND)
		log_error(
		    "there is no store in '%s': create one with 'pmifd init --data %s --admin "
		    "USER'",
		    cfg->data_dir, cfg->data_dir);
	if (rc == 0)
		rc = auth_init(0);
	if (rc == 0)
		rc = throttle_new(cfg->login_window, &srv->throttle);
	if (rc == 0 && throttle_open(srv->throttle, cfg->data_dir) != 0)
		log_error("the login throttle cannot be kept in %s/throttle.map (%s): it is kept "
		          "in memory, and a restart will clear it",
		          cfg->data_dir, strerror(errno));
	if (rc == 0)
		rc = maintenance_new(&srv->maintenance);
	if (rc == 0)
		rc = channels_new(cfg->max_channels, cfg->channel_idle, &srv->channels);
	if (rc == 0)
		rc = reply_cache_new((size_t)cfg->report_cache_mb << 20, REPORT_CACHE_TTL,
		                     &srv->replies);
	if (rc == 0)
		rc = writer_start(srv->store, cfg->max_batch, &srv->writer);
	if (rc == 0)
		server_settings_apply(srv, cfg);
	return rc;
}

/* Free what server_open() made (the writer already stopped); safe on a
 * part-made server. */
static void server_close(struct server *srv)
{
	channels_free(srv->channels);
	reply_cache_free(srv->replies);
	store_close(srv->store);
	throttle_free(srv->throttle);
	maintenance_free(srv->maintenance);
	OPENSSL_cleanse(srv->static_priv, sizeof(srv->static_priv));
	OPENSSL_cleanse(srv->rebind_key, sizeof(srv->rebind_key));
}

/*
 * Start srv->workers workers receiving on @p sock.  *workers (the caller
 * frees it, once the writer has stopped) and *started (how many threads
 * run) are set even on failure, so that workers_stop() can end those.
 */
static int workers_start(struct server *srv, int sock, struct worker **workers, unsigned *started)
{
	struct worker *ws = calloc(srv->workers, sizeof(*ws));

	*workers = ws;
	*started = 0;
	if (ws == NULL)
		return PMIF_ENOMEM;
	for (; *started < srv->workers; (*started)++) {
		struct worker *w = &ws[*started];
		w->srv = srv;
		w->sock = sock;
		/* address space only: pages are touched as far as requests reach,
		 * and handed back after a big one (handle_data) */
		w->buf = mmap(NULL, PMIF_FRAME_MAX, PROT_READ | PROT_WRITE,
		              MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (w->buf == MAP_FAILED) {
			w->buf = NULL;
			return PMIF_ENOMEM;
		}
		dispatch_worker_init(&w->dw, srv);
		if (pthread_create(&w->thread, NULL, worker_main, w) != 0) {
			dispatch_worker_release(&w->dw);
			munmap(w->buf, PMIF_FRAME_MAX);
			return PMIF_ENOMEM;
		}
	}
	return 0;
}

/* Wake the @p started workers out of nn_recvmsg (nn_term: ETERM) and wait
 * for them; each ends its read transaction on the way out. */
static void workers_stop(struct worker *workers, unsigned started)
{
	nn_term();
	for (unsigned i = 0; i < started; i++) {
		pthread_join(workers[i].thread, NULL);
		munmap(workers[i].buf, PMIF_FRAME_MAX);
	}
}

int server_run(struct server_config *cfg)
{
	struct server srv = {.cfg = *cfg};
	struct worker *workers = NULL;
	struct server_config now = *cfg; /* the main thread's: what a reload changes */
	sigset_t sigs;
	int sock = -1, sig, rc;
	unsigned started = 0;
	char fp[PMIF_FINGERPRINT_LEN];

	process_setup(&sigs);
	rc = server_open(&srv, cfg);
	if (rc == 0 && (sock = open_socket(&srv)) < 0)
		rc = PMIF_ETRANSPORT;
	if (rc == 0)
		rc = workers_start(&srv, sock, &workers, &started);
	if (rc == 0) {
		pmif_key_fingerprint(srv.static_pub, fp);
		log_info("pmifd %s serving with %u workers; server key %s; store map %zu MB "
		         "(ceiling %zu MB)",
		         PMIF_VERSION, srv.workers, fp, srv.store->map_size >> 20,
		         srv.store->map_max >> 20);
		sig = wait_for_stop(&srv, &sigs, &now);
		drain(&srv, sig, now.stop_timeout ? now.stop_timeout : 30);
	}
	if (workers)
		workers_stop(workers, started);
	/* the writer before the workers' memory: its last groups may still be
	 * sending replies */
	writer_stop(srv.writer);
	free(workers);
	if (sock >= 0)
		nn_close(sock);
	server_close(&srv);
	if (rc == 0)
		log_info("stopped cleanly");
	log_stop();
	return rc;
}
