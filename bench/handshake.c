/*
 * handshake.c - what a fresh channel costs, and the server's memory.
 *
 *   pmif-bench handshake --pmif URL --fp FP --user USER [--n N] [--logins L]
 *       N HELLO/WELCOME round trips alone (the Noise_NX handshake on an
 *       open connection: X25519 twice on each side, one channel slot), then
 *       L fresh channels each with a Login (handshake + scrypt + a durable
 *       session write).  Password in BENCH_PASSWORD.
 *   pmif-bench rss --pid PID [--label NAME]
 *       VmRSS of PID and the resident part of its LMDB map (data.mdb).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

int bench_cmd_handshake(int argc, char **argv)
{
	const char *url = bench_opt(argc, argv, "--pmif", NULL);
	const char *fp = bench_opt(argc, argv, "--fp", NULL);
	const char *user = bench_opt(argc, argv, "--user", "admin");
	const char *password = getenv("BENCH_PASSWORD");
	unsigned n = (unsigned)bench_opt_num(argc, argv, "--n", 300);
	unsigned logins = (unsigned)bench_opt_num(argc, argv, "--logins", 10);
	struct bench_samples hs = {0}, hl = {0}, lo = {0};
	unsigned busy_refusals = 0;
	struct bench_chan c;
	char why[512];
	bool busy;

	if (url == NULL || fp == NULL || password == NULL) {
		fprintf(stderr,
		        "usage: pmif-bench handshake --pmif URL --fp FP --user USER [--n N] "
		        "[--logins L]   (password in BENCH_PASSWORD)\n");
		return 2;
	}
	if (bench_chan_connect(&c, url, 10000) != 0 ||
	    bench_chan_handshake(&c, fp, why, sizeof(why), &busy) != 0) {
		bench_note("cannot reach %s", url);
		return 1;
	}
	for (unsigned i = 0; i < n; i++) {
		double t0 = bench_now_us();
		if (bench_chan_handshake(&c, fp, why, sizeof(why), &busy) != 0) {
			if (!busy) {
				bench_note("handshake failed: %s", why);
				return 1;
			}
			busy_refusals++;
			bench_sleep_us(50000);
			continue;
		}
		bench_samples_add(&hs, bench_now_us() - t0);
	}
	bench_emit("handshake.hello", "n=%zu median_us=%.1f p99_us=%.1f busy_refusals=%u", hs.n,
	           bench_pct(&hs, 50), bench_pct(&hs, 99), busy_refusals);
	for (unsigned i = 0; i < logins; i++) {
		struct bench_reply r;
		double t0 = bench_now_us(), t1;
		if (bench_chan_handshake(&c, fp, why, sizeof(why), &busy) != 0) {
			bench_note("handshake failed: %s", why);
			return 1;
		}
		t1 = bench_now_us();
		if (bench_login(&c, user, password, &r) != 0) {
			bench_note("login failed: %s %s", bench_code_name(r.code), r.message);
			return 1;
		}
		bench_samples_add(&hl, bench_now_us() - t0);
		bench_samples_add(&lo, bench_now_us() - t1);
	}
	bench_emit("handshake.login",
	           "n=%zu median_us=%.1f p99_us=%.1f login_median_us=%.1f login_p99_us=%.1f", hl.n,
	           bench_pct(&hl, 50), bench_pct(&hl, 99), bench_pct(&lo, 50), bench_pct(&lo, 99));
	bench_chan_close(&c);
	bench_samples_free(&hs);
	bench_samples_free(&hl);
	bench_samples_free(&lo);
	return 0;
}

int bench_cmd_rss(int argc, char **argv)
{
	pid_t pid = (pid_t)bench_opt_num(argc, argv, "--pid", 0);
	const char *label = bench_opt(argc, argv, "--label", "idle");
	char name[64];
	long rss, map;

	if (pid <= 0) {
		fprintf(stderr, "usage: pmif-bench rss --pid PID [--label NAME]\n");
		return 2;
	}
	rss = bench_rss_kb(pid);
	map = bench_map_rss_kb(pid, "/data.mdb");
	if (rss < 0) {
		bench_note("no process %d", (int)pid);
		return 1;
	}
	snprintf(name, sizeof(name), "rss.%s", label);
	bench_emit(name, "rss_kb=%ld map_kb=%ld other_kb=%ld", rss, map, rss - (map > 0 ? map : 0));
	return 0;
}
