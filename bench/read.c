/*
 * read.c - read RPC latency through the whole PMIF path (Noise channel,
 * session check, store read, sealed reply) beside the echo floor carrying
 * the same bytes, measured in alternating blocks so that both see the same
 * machine weather.
 *
 *   pmif-bench read --pmif URL --fp FP --user USER --echo URL
 *                   [--n N] [--rounds R] [--framework FILE]
 *
 * The workload is the table below: one line per read, by method name and
 * request fields.  A method this build's service descriptor does not have,
 * or that the server answers with an error, is reported "n/a" with the
 * reason, so adding a read the server gains later is one line here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "floor.h"
#include "pmif.pb-c.h"

static const struct bench_rpc reads[] = {
    {"Health", "health (no session)", {{0}}},
    {"WhoAmI", "whoami (session + user read)", {{0}}},
    {"FrameworkGet", "measure show", {{"kind", "MEASURE"}, {"id", "FSM-UPTAKE"}}},
    {"ReportScorecard",
     "scorecard, one objective",
     {{"objective", "PO2"}, {"period", "2022-23-Q4"}}},
};

/* Run once before measuring when --framework FILE is given and this build
 * has the method ("{t}" is the file). */
static const struct bench_rpc setup[] = {
    {"FrameworkLoad", "load the framework", {{"text", "@{t}"}, {"file_name", "{t}"}}},
};

/* Quote-free text for a reason="..." value. */
static const char *clean(char *s)
{
	for (char *p = s; *p; p++)
		if (*p == '"' || *p == '\n')
			*p = '\'';
	return s;
}

static void na(const struct bench_rpc *rpc, const char *fmt, const char *a, const char *b)
{
	char why[512];

	snprintf(why, sizeof(why), fmt, a, b);
	bench_emit("read.latency", "method=%s what=\"%s\" status=n/a reason=\"%s\"", rpc->method,
	           rpc->what, clean(why));
}

static void run_setup(struct bench_chan *c, const char *file)
{
	for (size_t i = 0; i < sizeof(setup) / sizeof(setup[0]); i++) {
		const ProtobufCMethodDescriptor *m = bench_method(setup[i].method);
		ProtobufCMessage *in;
		struct bench_reply r;
		char why[256];

		if (m == NULL)
			continue;
		if (bench_msg_build(m, &setup[i], file, &in, why, sizeof(why)) != 0) {
			bench_note("setup %s: %s", setup[i].method, why);
			continue;
		}
		if (bench_call(c, m, in, &r) == 0)
			bench_note("setup %s: %s %s", setup[i].method, bench_code_name(r.code),
			           r.message);
		bench_msg_free(in);
	}
}

/* Time @p n calls into @p s; 0, or -1 when one failed. */
static int time_calls(struct bench_chan *c, const ProtobufCMethodDescriptor *m,
                      const ProtobufCMessage *in, unsigned n, struct bench_samples *s)
{
	struct bench_reply r;

	for (unsigned i = 0; i < n; i++) {
		double t0 = bench_now_us();
		if (bench_call(c, m, in, &r) != 0 || r.code != 0)
			return -1;
		bench_samples_add(s, bench_now_us() - t0);
	}
	return 0;
}

static void measure(struct bench_chan *c, const struct bench_rpc *rpc, const char *echo, unsigned n,
                    unsigned rounds)
{
	const ProtobufCMethodDescriptor *m = bench_method(rpc->method);
	struct bench_samples ps = {0}, fs = {0};
	ProtobufCMessage *in = NULL;
	struct bench_reply r;
	char why[256];
	unsigned per = n / rounds ? n / rounds : 1;

	if (m == NULL) {
		na(rpc, "this build's Pmif service has no method %s%s", rpc->method, "");
		return;
	}
	if (bench_msg_build(m, rpc, NULL, &in, why, sizeof(why)) != 0) {
		na(rpc, "request builder: %s%s", why, "");
		return;
	}
	if (bench_call(c, m, in, &r) != 0 || r.code != 0) {
		na(rpc, "the server answered %s: %s",
		   r.code < 0 ? "nothing" : bench_code_name(r.code), r.message);
		goto out;
	}
	/* warm both paths up, then alternate blocks */
	if (time_calls(c, m, in, per / 5 + 10, &ps) != 0 ||
	    floor_latency(echo, r.req_bytes, r.rep_bytes, per / 5 + 10, &fs) != 0) {
		na(rpc, "a warm-up call failed%s%s", "", "");
		goto out;
	}
	bench_samples_clear(&ps);
	bench_samples_clear(&fs);
	for (unsigned i = 0; i < rounds; i++) {
		if (floor_latency(echo, r.req_bytes, r.rep_bytes, per, &fs) != 0 ||
		    time_calls(c, m, in, per, &ps) != 0) {
			na(rpc, "a call failed while measuring%s%s", "", "");
			goto out;
		}
	}
	{
		double pm = bench_pct(&ps, 50), pp = bench_pct(&ps, 99);
		double fm = bench_pct(&fs, 50), fp = bench_pct(&fs, 99);
		bench_emit("read.latency",
		           "method=%s what=\"%s\" status=ok req_bytes=%zu rep_bytes=%zu n=%zu "
		           "median_us=%.1f p99_us=%.1f floor_median_us=%.1f floor_p99_us=%.1f "
		           "ratio=%.2f",
		           rpc->method, rpc->what, r.req_bytes, r.rep_bytes, ps.n, pm, pp, fm, fp,
		           fm > 0 ? pm / fm : 0);
	}
out:
	bench_msg_free(in);
	bench_samples_free(&ps);
	bench_samples_free(&fs);
}

int bench_cmd_read(int argc, char **argv)
{
	const char *url = bench_opt(argc, argv, "--pmif", NULL);
	const char *fp = bench_opt(argc, argv, "--fp", NULL);
	const char *user = bench_opt(argc, argv, "--user", "admin");
	const char *echo = bench_opt(argc, argv, "--echo", NULL);
	const char *framework = bench_opt(argc, argv, "--framework", NULL);
	unsigned n = (unsigned)bench_opt_num(argc, argv, "--n", 5000);
	unsigned rounds = (unsigned)bench_opt_num(argc, argv, "--rounds", 5);
	int timeout_ms = (int)bench_opt_num(argc, argv, "--timeout", 10000);
	struct bench_chan c;
	char why[512];

	if (url == NULL || fp == NULL || echo == NULL) {
		fprintf(stderr,
		        "usage: pmif-bench read --pmif URL --fp FP --user USER --echo URL "
		        "[--n N] [--rounds R] [--framework FILE] [--timeout MS]   (password in "
		        "BENCH_PASSWORD)\n");
		return 2;
	}
	if (rounds == 0)
		rounds = 1;
	if (bench_session(&c, url, fp, user, timeout_ms, why, sizeof(why)) != 0) {
		bench_note("%s", why);
		return 1;
	}
	if (framework)
		run_setup(&c, framework);
	for (size_t i = 0; i < sizeof(reads) / sizeof(reads[0]); i++)
		measure(&c, &reads[i], echo, n, rounds);
	bench_chan_close(&c);
	return 0;
}
