/*
 * report_size.c - report time against framework size.
 *
 *   pmif-bench report-size --pmif URL --fp FP --user USER --period P
 *                          [--sizes PO3:10,PO4:100,PO5:1000,PO1:*] [--total N]
 *                          [--n CALLS]
 *
 * Expects a store made from `pmif-bench fw-gen` with the same --sizes (and
 * values from csv-gen imported), so each objective named holds a known
 * number of generated measures; "all" is the whole framework (N generated
 * plus the base's).  For each it calls the scorecard CALLS times and
 * prints the server's own time (the reply's server_time_us, read by name
 * through the descriptor) and the round trip.  Without the method in this
 * build it prints n/a.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const char *const method = "ReportScorecard";

/* The uint64 field @p name of the reply body, or 0. */
static uint64_t reply_u64(const ProtobufCMethodDescriptor *m, const struct bench_reply *r,
                          const char *name)
{
	const ProtobufCFieldDescriptor *fd =
	    protobuf_c_message_descriptor_get_field_by_name(m->output, name);
	ProtobufCMessage *out;
	uint64_t v = 0;

	if (fd == NULL || fd->type != PROTOBUF_C_TYPE_UINT64)
		return 0;
	out = protobuf_c_message_unpack(m->output, NULL, r->body.len, r->body.data);
	if (out == NULL)
		return 0;
	v = *(uint64_t *)((char *)out + fd->offset);
	protobuf_c_message_free_unpacked(out, NULL);
	return v;
}

static void point(struct bench_chan *c, const ProtobufCMethodDescriptor *m, const char *objective,
                  unsigned measures, const char *period, unsigned n)
{
	struct bench_rpc rpc = {method, "scorecard", {{"period", period}, {0}}};
	struct bench_samples srv = {0}, rtt = {0};
	ProtobufCMessage *in;
	struct bench_reply r;
	size_t rep_bytes = 0;
	char why[256];

	if (strcmp(objective, "all") != 0)
		rpc.fields[1] = (struct bench_field){"objective", objective};
	if (bench_msg_build(m, &rpc, NULL, &in, why, sizeof(why)) != 0) {
		bench_emit("report.scorecard", "objective=%s status=n/a reason=\"%s\"", objective,
		           why);
		return;
	}
	for (unsigned i = 0; i < n + 1; i++) {
		double t0 = bench_now_us();
		if (bench_call(c, m, in, &r) != 0 || r.code != 0) {
			for (char *p = r.message; *p; p++)
				if (*p == '"')
					*p = '\'';
			bench_emit(
			    "report.scorecard",
			    "objective=%s measures=%u status=n/a reason=\"the server answered %s: "
			    "%s\"",
			    objective, measures, bench_code_name(r.code), r.message);
			goto out;
		}
		if (i == 0)
			continue; /* the first call warms the caches */
		bench_samples_add(&rtt, bench_now_us() - t0);
		bench_samples_add(&srv, (double)reply_u64(m, &r, "server_time_us"));
		rep_bytes = r.rep_bytes;
	}
	bench_emit("report.scorecard",
	           "objective=%s measures=%u status=ok n=%zu server_median_us=%.0f "
	           "server_p99_us=%.0f rtt_median_us=%.0f rep_bytes=%zu",
	           objective, measures, srv.n, bench_pct(&srv, 50), bench_pct(&srv, 99),
	           bench_pct(&rtt, 50), rep_bytes);
out:
	bench_msg_free(in);
	bench_samples_free(&srv);
	bench_samples_free(&rtt);
}

int bench_cmd_report_size(int argc, char **argv)
{
	const char *url = bench_opt(argc, argv, "--pmif", NULL);
	const char *fp = bench_opt(argc, argv, "--fp", NULL);
	const char *user = bench_opt(argc, argv, "--user", "admin");
	const char *period = bench_opt(argc, argv, "--period", "2023-24-Q4");
	const char *sizes = bench_opt(argc, argv, "--sizes", "PO3:10,PO4:100,PO5:1000,PO1:*");
	unsigned total = (unsigned)bench_opt_num(argc, argv, "--total", 10000);
	unsigned n = (unsigned)bench_opt_num(argc, argv, "--n", 5), used = 0;
	const ProtobufCMethodDescriptor *m = bench_method(method);
	struct bench_chan c;
	char why[512];

	if (url == NULL || fp == NULL) {
		fprintf(stderr, "usage: pmif-bench report-size --pmif URL --fp FP --user USER "
		                "[--period P] [--sizes ...] [--total N] [--n CALLS]\n");
		return 2;
	}
	if (m == NULL) {
		bench_emit("report.scorecard",
		           "status=n/a reason=\"this build's Pmif service has no "
		           "%s\"",
		           method);
		return 0;
	}
	if (bench_session(&c, url, fp, user, 600000, why, sizeof(why)) != 0) {
		bench_note("%s", why);
		return 1;
	}
	for (const char *p = sizes; *p;) {
		size_t idlen = strcspn(p, ":");
		const char *count = p + idlen + (p[idlen] == ':');
		char id[32];
		unsigned k = *count == '*' ? (total > used ? total - used : 0)
		                           : (unsigned)strtoul(count, NULL, 10);

		snprintf(id, sizeof(id), "%.*s", (int)(idlen < sizeof(id) ? idlen : sizeof(id) - 1),
		         p);
		if (k > 0)
			point(&c, m, id, k, period, n);
		used += k;
		p = count + strcspn(count, ",");
		if (*p == ',')
			p++;
	}
	point(&c, m, "all", total, period, n);
	bench_chan_close(&c);
	return 0;
}
