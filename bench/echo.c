/*
 * echo.c - the floor: a bare nanomsg REQ/REP echo.
 *
 * The server is built like pmifd's transport (serve.c): one raw REP socket,
 * N threads receiving from it and replying with nn_sendmsg, a fresh
 * nn_allocmsg per reply.  It does no crypto, no protobuf and no store, so
 * its round trip is what the transport alone costs.  Each request says how
 * large its reply must be ("ECHO", be32 size), so the floor carries the
 * same bytes as the PMIF call it stands beside.
 *
 *   pmif-bench echo-server URL [--workers N]
 *   pmif-bench floor --echo URL --req BYTES --rep BYTES [--n N]
 *                    [--clients 1,8,...] [--seconds S] [--pid ECHO_PID]
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>

#include "bench.h"
#include "floor.h"
#include "frame.h"

static void *echo_worker(void *arg)
{
	int sock = *(int *)arg;

	for (;;) {
		struct nn_msghdr hdr = {0};
		struct nn_iovec iov;
		void *body = NULL, *control = NULL, *msg;
		size_t rep;
		int n;

		iov.iov_base = &body;
		iov.iov_len = NN_MSG;
		hdr.msg_iov = &iov;
		hdr.msg_iovlen = 1;
		hdr.msg_control = &control;
		hdr.msg_controllen = NN_MSG;
		n = nn_recvmsg(sock, &hdr, 0);
		if (n < 0) {
			if (nn_errno() == ETERM || nn_errno() == EBADF)
				break;
			continue;
		}
		rep = (size_t)n;
		if (n >= BENCH_ECHO_MIN && memcmp(body, "ECHO", 4) == 0) {
			const uint8_t *p = (const uint8_t *)body + 4;
			rep = (size_t)p[0] << 24 | (size_t)p[1] << 16 | (size_t)p[2] << 8 | p[3];
			if (rep > PMIF_FRAME_MAX)
				rep = (size_t)n;
		}
		msg = nn_allocmsg(rep ? rep : 1, 0);
		if (msg) {
			/* the same copy pmifd's send_reply makes */
			memset(msg, 0, rep);
			memcpy(msg, body, rep < (size_t)n ? rep : (size_t)n);
			iov.iov_base = &msg;
			iov.iov_len = NN_MSG;
			hdr.msg_control = &control;
			hdr.msg_controllen = NN_MSG;
			if (nn_sendmsg(sock, &hdr, 0) < 0) {
				nn_freemsg(msg);
				nn_freemsg(control);
			}
		} else {
			nn_freemsg(control);
		}
		nn_freemsg(body);
	}
	return NULL;
}

int bench_cmd_echo_server(int argc, char **argv)
{
	unsigned workers = (unsigned)bench_opt_num(argc, argv, "--workers", 0);
	int sock, max = PMIF_FRAME_MAX, sig;
	pthread_t *t;
	sigset_t sigs;

	if (argc < 2) {
		fprintf(stderr, "usage: pmif-bench echo-server URL [--workers N]\n");
		return 2;
	}
	if (workers == 0)
		workers = (unsigned)sysconf(_SC_NPROCESSORS_ONLN); /* as pmifd */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	sock = nn_socket(AF_SP_RAW, NN_REP);
	if (sock < 0 || nn_setsockopt(sock, NN_SOL_SOCKET, NN_RCVMAXSIZE, &max, sizeof(max)) < 0 ||
	    nn_bind(sock, argv[1]) < 0) {
		bench_note("echo-server cannot listen on %s: %s", argv[1], nn_strerror(nn_errno()));
		return 1;
	}
	t = calloc(workers, sizeof(*t));
	for (unsigned i = 0; t && i < workers; i++)
		pthread_create(&t[i], NULL, echo_worker, &sock);
	while (sigwait(&sigs, &sig) != 0)
		;
	nn_term();
	for (unsigned i = 0; t && i < workers; i++)
		pthread_join(t[i], NULL);
	free(t);
	nn_close(sock);
	return 0;
}

void bench_echo_prepare(uint8_t *buf, size_t req, size_t rep)
{
	memset(buf, 0xa5, req);
	memcpy(buf, "ECHO", 4);
	buf[4] = (uint8_t)(rep >> 24);
	buf[5] = (uint8_t)(rep >> 16);
	buf[6] = (uint8_t)(rep >> 8);
	buf[7] = (uint8_t)rep;
}

int bench_echo_roundtrip(int sock, uint8_t *buf, size_t req, size_t rep)
{
	void *reply = NULL;
	int n;

	if (nn_send(sock, buf, req, 0) < 0)
		return -1;
	n = nn_recv(sock, &reply, NN_MSG, 0);
	if (n < 0)
		return -1;
	nn_freemsg(reply);
	return (size_t)n == rep ? 0 : 1;
}

int floor_latency(const char *url, size_t req, size_t rep, unsigned n, struct bench_samples *out)
{
	int sock = bench_req_socket(url, 5000);
	uint8_t *buf = malloc(req < BENCH_ECHO_MIN ? BENCH_ECHO_MIN : req);
	int rc = 0;

	if (sock < 0 || buf == NULL) {
		free(buf);
		return -1;
	}
	if (req < BENCH_ECHO_MIN)
		req = BENCH_ECHO_MIN;
	bench_echo_prepare(buf, req, rep);
	for (unsigned i = 0; i < n && rc == 0; i++) {
		double t0 = bench_now_us();
		rc = bench_echo_roundtrip(sock, buf, req, rep);
		if (rc == 0)
			bench_samples_add(out, bench_now_us() - t0);
	}
	free(buf);
	nn_close(sock);
	return rc;
}

struct floor_load {
	int *socks;
	uint8_t **bufs;
	size_t req, rep;
};

static int floor_op(void *arg, unsigned i)
{
	struct floor_load *fl = arg;
	return bench_echo_roundtrip(fl->socks[i], fl->bufs[i], fl->req, fl->rep) < 0 ? -1 : 0;
}

int floor_tput(const char *url, size_t req, size_t rep, unsigned threads, double warmup_s,
               double seconds, pid_t pid, struct bench_load *out, struct bench_samples *keep)
{
	struct floor_load fl = {.req = req < BENCH_ECHO_MIN ? BENCH_ECHO_MIN : req, .rep = rep};
	int rc = -1;
	unsigned made = 0;

	fl.socks = calloc(threads, sizeof(int));
	fl.bufs = calloc(threads, sizeof(uint8_t *));
	if (fl.socks == NULL || fl.bufs == NULL)
		goto out;
	for (; made < threads; made++) {
		fl.socks[made] = bench_req_socket(url, 10000);
		fl.bufs[made] = malloc(fl.req);
		if (fl.socks[made] < 0 || fl.bufs[made] == NULL) {
			free(fl.bufs[made]);
			if (fl.socks[made] >= 0)
				nn_close(fl.socks[made]);
			goto out;
		}
		bench_echo_prepare(fl.bufs[made], fl.req, rep);
	}
	rc = bench_load_run(threads, floor_op, &fl, warmup_s, seconds, pid, out, keep);
out:
	for (unsigned i = 0; i < made; i++) {
		nn_close(fl.socks[i]);
		free(fl.bufs[i]);
	}
	free(fl.socks);
	free(fl.bufs);
	return rc;
}

void floor_emit_tput(const char *name, unsigned clients, const struct bench_load *l)
{
	bench_emit(name,
	           "clients=%u ops_per_s=%.0f median_us=%.1f p99_us=%.1f ok=%llu errors=%llu "
	           "failed_threads=%u server_cpu=%.2f server_top_thread=%.2f server_us_per_op=%.1f "
	           "client_cpu=%.2f machine_busy=%.2f rss_max_kb=%ld",
	           clients, l->ops_per_s, l->median_us, l->p99_us, l->ok, l->errors,
	           l->failed_threads, l->cpu_cores, l->cpu_top,
	           l->ops_per_s > 0 ? l->cpu_cores * 1e6 / l->ops_per_s : 0, l->self_cpu,
	           l->machine_busy, l->rss_max_kb);
}

int bench_cmd_floor(int argc, char **argv)
{
	const char *url = bench_opt(argc, argv, "--echo", NULL);
	size_t req = (size_t)bench_opt_num(argc, argv, "--req", 64);
	size_t rep = (size_t)bench_opt_num(argc, argv, "--rep", 64);
	unsigned n = (unsigned)bench_opt_num(argc, argv, "--n", 5000), counts[16];
	size_t nc = bench_parse_list(bench_opt(argc, argv, "--clients", ""), counts, 16);
	double secs = bench_opt_num(argc, argv, "--seconds", 3);
	pid_t pid = (pid_t)bench_opt_num(argc, argv, "--pid", 0);
	struct bench_samples s = {0};

	if (url == NULL) {
		fprintf(stderr, "usage: pmif-bench floor --echo URL [--req B] [--rep B] [--n N] "
		                "[--clients LIST --seconds S --pid PID]\n");
		return 2;
	}
	floor_latency(url, req, rep, n / 10 + 1, &s); /* warm-up */
	bench_samples_clear(&s);
	if (floor_latency(url, req, rep, n, &s) != 0) {
		bench_note("the echo floor at %s did not answer", url);
		return 1;
	}
	bench_emit("floor.latency", "req_bytes=%zu rep_bytes=%zu n=%zu median_us=%.1f p99_us=%.1f",
	           req, rep, s.n, bench_pct(&s, 50), bench_pct(&s, 99));
	bench_samples_free(&s);
	for (size_t i = 0; i < nc; i++) {
		struct bench_load l;
		if (floor_tput(url, req, rep, counts[i], 0.3, secs, pid, &l, NULL) != 0)
			return 1;
		floor_emit_tput("floor.tput", counts[i], &l);
	}
	return 0;
}
