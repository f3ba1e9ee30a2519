/*
 * soak.c - the soak (issue 13): many clients, each a thread with its own
 * REQ socket, Noise channel and login (as in load.c), for a long time, each
 * mixing reads and durable writes in a fixed ratio, back to back.  Every
 * interval it prints the requests, errors, p50 and p99 latency, and the
 * server's memory and CPU; at the end it gives four verdicts and exits 1
 * if any fails, naming the figure that did:
 *
 *   errors  none: every reply OK and none missing (a timeout is an error);
 *           each error is printed with the server's message (the first 20)
 *   acks    every acknowledged write is in the store exactly once: the audit
 *           trail grew by exactly the number of acks, every acked request id
 *           is in the request-id table (load.c's check, store_view.h), and
 *           each key a client wrote holds the value last acknowledged for it
 *   p99     stable: after the warm-up, the median of the per-interval p99s of
 *           the last third of the intervals is at most FACTOR (2) times the
 *           median of those of the first third.  Medians of intervals, so
 *           one interval hit by a neighbour's job on a shared machine moves
 *           neither; a server that slows as it runs (a growing structure, a
 *           leak that costs time) moves both thirds apart and fails it
 *   rss     flat: the server's own memory, VmRSS minus the resident pages of
 *           its data.mdb mapping (the store's file: it grows with the data
 *           written, and the kernel may drop it at will), sampled every
 *           second, never more than TOL (10%) above the highest sample of
 *           the warm-up.  The highest, not the last: pmifd's own memory
 *           moves up and down by 1-1.5 MB of ~13.5 MB here (replies come and
 *           go; the heaps are trimmed once a minute), so one sample's phase
 *           would decide the verdict; a leak raises every peak after it.
 *           VmRSS and the map's share are printed too.
 *
 * The warm-up is the first W intervals (default: a tenth of the run and at
 * least 10 s, one interval at least): LMDB's map, malloc's arenas, the
 * report cache and nanomsg's buffers grow to their working size there.
 *
 *   pmif-bench soak --pmif URL --fp FP --user USER --data DIR --pid PMIFD_PID
 *                   [--clients 64] [--seconds 600] [--interval 10]
 *                   [--warmup-intervals W] [--ratio 9] [--measures 1000]
 *                   [--timeout-ms 10000] [--p99-factor 2] [--rss-tolerance 0.10]
 *                   [--no-rss-check]
 *
 * The store must hold the framework from 'pmif-bench fw-gen ... --sizes
 * PO3:10,PO4:100,PO1:*' (measures BENCH-00001..N) with its values imported
 * (csv-gen, csv-import): reads are of those; writes are new values for the
 * quarters of 2024-25, client i writing its own measures (8 at most) in
 * every locality, so no two clients write the same key.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "pmif.pb-c.h"
#include "store_view.h"

/* The reads, taken in turn; "{t}" is the client's first measure. */
static const struct bench_rpc reads[] = {
    {"WhoAmI", "whoami", {{0}}},
    {"FrameworkGet", "measure show", {{"kind", "MEASURE"}, {"id", "{t}"}}},
    {"ReportScorecard",
     "scorecard, one objective (10 measures, the quarter being written)",
     {{"objective", "PO3"}, {"period", "2024-25-Q1"}}},
    {"ValueGet", "a measure's values", {{"measure", "{t}"}}},
    {"ValueHistory",
     "a value's history",
     {{"measure", "{t}"}, {"period", "2023-24-Q4"}, {"locality", "borough"}}},
    {"ReportExceptions",
     "exceptions, one objective (100 measures)",
     {{"objective", "PO4"}, {"period", "2023-24-Q4"}}},
    {"ReportScorecard",
     "scorecard, a council objective",
     {{"objective", "PO2"}, {"period", "2023-24-Q4"}}},
};
#define N_READS (sizeof(reads) / sizeof(reads[0]))

static const char *const localities[] = {"borough", "birtley", "chopwell", "central", "felling"};
#define N_LOC         5
#define N_QUARTERS    4 /* of 2024-25: after the imported history */
#define MAX_MEASURES  8 /* a client's own measures */
#define MAX_INTERVALS 10000
#define MAX_PRINTED   20 /* errors printed with their message */
#define LOGIN_THREADS 4

struct client {
	struct soak *S;
	unsigned idx;
	pthread_t t;
	struct bench_chan chan;
	ProtobufCMessage *read_in[N_READS];
	char measure[MAX_MEASURES][24];
	unsigned n_measures, n_keys;
	double *last;    /* per key: the value last acknowledged */
	bool *acked;     /* per key: some write acknowledged */
	bool *uncertain; /* per key: a write whose answer never came */
	unsigned long long ops, writes;
	unsigned fails_in_row;
	bool gone; /* stopped: the server stopped answering */
	struct bench_acks acks;
	/* the current interval's figures, handed over under mu */
	pthread_mutex_t mu;
	struct bench_samples rlat, wlat;
	unsigned long long n_req, n_writes, n_err;
};

struct interval {
	double t_s, req_per_s, p50, p99, read_p99, write_p99;
	unsigned long long req, writes, errors;
	long rss_kb, map_kb, own_kb, own_max_kb;
	double server_cpu, others;
	unsigned alive;
};

struct soak {
	const char *url, *fp, *user, *data;
	pid_t pid;
	unsigned n_cl, ratio, n_measures;
	int timeout_ms;
	struct client *cl;
	const ProtobufCMethodDescriptor *read_m[N_READS];
	const ProtobufCMethodDescriptor *set_m, *get_m;
	atomic_int stop;
	atomic_uint next_login, printed;
	atomic_int login_failed;
	struct bench_store_view view;
};

/* Keep a server message fit for a key="..." value. */
static void unquote(char *s)
{
	for (; *s; s++)
		if (*s == '"' || *s == '\n')
			*s = '\'';
}

static void print_error(struct soak *S, const struct client *c, const char *what,
                        const struct bench_reply *r)
{
	char msg[sizeof(r->message)];

	if (atomic_fetch_add(&S->printed, 1) >= MAX_PRINTED)
		return;
	snprintf(msg, sizeof(msg), "%s", r->message);
	unquote(msg);
	bench_emit("soak.error", "client=%u op=%llu call=%s code=%s message=\"%s\"", c->idx, c->ops,
	           what, r->code < 0 ? "no-answer" : bench_code_name(r->code), msg);
}

/* ------------------------------------------------------------ keys */

/* Key k of a client: measure, quarter and locality. */
static void key_of(const struct client *c, unsigned k, const char **measure, char period[16],
                   const char **locality)
{
	*measure = c->measure[k / (N_QUARTERS * N_LOC)];
	snprintf(period, 16, "2024-25-Q%u", k / N_LOC % N_QUARTERS + 1);
	*locality = localities[k % N_LOC];
}

static int key_index(const struct client *c, const char *measure, const char *period,
                     const char *locality)
{
	unsigned m, q, l;

	if (strncmp(period, "2024-25-Q", 9) != 0 || period[9] < '1' || period[9] > '4' ||
	    period[10] != '\0')
		return -1;
	q = (unsigned)(period[9] - '1');
	for (m = 0; m < c->n_measures && strcmp(c->measure[m], measure) != 0; m++)
		;
	for (l = 0; l < N_LOC && strcmp(localities[l], locality[0] ? locality : "borough") != 0;
	     l++)
		;
	if (m == c->n_measures || l == N_LOC)
		return -1;
	return (int)((m * N_QUARTERS + q) * N_LOC + l);
}

/* ------------------------------------------------------------ operations */

/* One ValueSet: the next key of this client, a value that differs from the
 * one this client last wrote there (so each is a real revision). */
static int do_write(struct client *c, struct bench_reply *r)
{
	Pmif__ValueSetRequest in = PMIF__VALUE_SET_REQUEST__INIT;
	unsigned k = (unsigned)(c->writes % c->n_keys);
	unsigned long long round = c->writes / c->n_keys;
	const char *measure, *locality;
	char period[16], note[64];
	int rc;

	key_of(c, k, &measure, period, &locality);
	in.measure = (char *)measure;
	in.period = period;
	in.locality = (char *)locality;
	in.value = 10.0 + (double)(round % 800) / 10.0;
	snprintf(note, sizeof(note), "soak: client %u, write %llu", c->idx, c->writes);
	in.note = note;
	c->writes++;
	rc = bench_call(&c->chan, c->S->set_m, &in.base, r);
	if (rc != 0) {
		c->uncertain[k] = true; /* it may or may not have landed */
		return -1;
	}
	if (r->code != 0)
		return 1;
	bench_acks_add(&c->acks, r->rid);
	c->acked[k] = true;
	c->last[k] = in.value;
	return 0;
}

static void *client_main(void *arg)
{
	struct client *c = arg;
	struct soak *S = c->S;
	struct bench_reply r;
	unsigned long long nr = 0;

	while (!atomic_load(&S->stop)) {
		bool write = c->ops % (S->ratio + 1) == S->ratio;
		const char *what;
		double t0 = bench_now_us(), us;
		int rc;

		if (write) {
			what = "ValueSet";
			rc = do_write(c, &r);
		} else {
			unsigned k = (unsigned)(nr++ % N_READS);
			what = reads[k].method;
			rc = bench_call(&c->chan, S->read_m[k], c->read_in[k], &r);
			rc = rc != 0 ? -1 : r.code != 0;
		}
		us = bench_now_us() - t0;
		c->ops++;
		pthread_mutex_lock(&c->mu);
		c->n_req++;
		c->n_writes += write;
		if (rc == 0)
			bench_samples_add(write ? &c->wlat : &c->rlat, us);
		else
			c->n_err++;
		pthread_mutex_unlock(&c->mu);
		if (rc != 0)
			print_error(S, c, what, &r);
		/* a server that has stopped answering: stop asking */
		c->fails_in_row = rc < 0 ? c->fails_in_row + 1 : 0;
		if (c->fails_in_row >= 5) {
			c->gone = true;
			break;
		}
	}
	return NULL;
}

/* ------------------------------------------------------------ set-up */

static void *login_main(void *arg)
{
	struct soak *S = arg;
	char why[512];

	for (;;) {
		unsigned i = atomic_fetch_add(&S->next_login, 1);
		if (i >= S->n_cl || atomic_load(&S->login_failed))
			break;
		if (bench_session(&S->cl[i].chan, S->url, S->fp, S->user, S->timeout_ms, why,
		                  sizeof(why)) != 0) {
			bench_note("client %u: %s", i, why);
			atomic_store(&S->login_failed, 1);
		}
	}
	return NULL;
}

/* Client i's measures, keys and read requests. */
static int client_prepare(struct soak *S, struct client *c, unsigned i)
{
	unsigned per = S->n_measures / S->n_cl;
	char why[256];

	c->S = S;
	c->idx = i;
	c->n_measures = per < 1 ? 1 : per > MAX_MEASURES ? MAX_MEASURES : per;
	for (unsigned m = 0; m < c->n_measures; m++)
		snprintf(c->measure[m], sizeof(c->measure[m]), "BENCH-%05u",
		         (i * c->n_measures + m) % S->n_measures + 1);
	c->n_keys = c->n_measures * N_QUARTERS * N_LOC;
	c->last = calloc(c->n_keys, sizeof(*c->last));
	c->acked = calloc(c->n_keys, sizeof(*c->acked));
	c->uncertain = calloc(c->n_keys, sizeof(*c->uncertain));
	if (c->last == NULL || c->acked == NULL || c->uncertain == NULL)
		return -1;
	for (size_t k = 0; k < N_READS; k++)
		if (bench_msg_build(S->read_m[k], &reads[k], c->measure[0], &c->read_in[k], why,
		                    sizeof(why)) != 0) {
			bench_note("read %s: %s", reads[k].method, why);
			return -1;
		}
	return 0;
}

static void client_release(struct client *c)
{
	for (size_t k = 0; k < N_READS; k++)
		bench_msg_free(c->read_in[k]);
	free(c->last);
	free(c->acked);
	free(c->uncertain);
	bench_acks_free(&c->acks);
	bench_samples_free(&c->rlat);
	bench_samples_free(&c->wlat);
	bench_chan_close(&c->chan);
	pthread_mutex_destroy(&c->mu);
}

/* Methods, clients, logins; then each read and one write tried once, so a
 * store the soak cannot run on fails now rather than after the run. */
static int setup(struct soak *S)
{
	pthread_t t[LOGIN_THREADS];
	struct bench_reply r;
	double t0 = bench_now_us();

	S->set_m = bench_method("ValueSet");
	S->get_m = bench_method("ValueGet");
	for (size_t k = 0; k < N_READS; k++)
		if ((S->read_m[k] = bench_method(reads[k].method)) == NULL) {
			bench_note("this build's Pmif service has no %s", reads[k].method);
			return -1;
		}
	if (S->set_m == NULL || S->get_m == NULL)
		return -1;
	for (unsigned i = 0; i < S->n_cl; i++)
		if (client_prepare(S, &S->cl[i], i) != 0)
			return -1;
	atomic_init(&S->next_login, 0);
	atomic_init(&S->login_failed, 0);
	for (int i = 0; i < LOGIN_THREADS; i++)
		pthread_create(&t[i], NULL, login_main, S);
	for (int i = 0; i < LOGIN_THREADS; i++)
		pthread_join(t[i], NULL);
	if (atomic_load(&S->login_failed))
		return -1;
	bench_emit("soak.setup", "clients=%u login_threads=%d seconds=%.1f", S->n_cl, LOGIN_THREADS,
	           (bench_now_us() - t0) / 1e6);
	for (size_t k = 0; k < N_READS; k++)
		if (bench_call(&S->cl[0].chan, S->read_m[k], S->cl[0].read_in[k], &r) != 0 ||
		    r.code != 0) {
			bench_note("read %s (%s) does not work on this store: %s %s",
			           reads[k].method, reads[k].what,
			           r.code < 0 ? "no answer" : bench_code_name(r.code), r.message);
			return -1;
		}
	return 0;
}

/* ------------------------------------------------------------ checks */

/* Each key of client @p c holds the value last acknowledged for it (keys
 * with an unanswered write are skipped).  Returns the keys that do not,
 * *checked the keys compared; -1 when the values cannot be read. */
static long check_values(struct soak *S, struct client *c, size_t *checked)
{
	long wrong = 0;
	bool *seen = calloc(c->n_keys, sizeof(*seen));

	if (seen == NULL)
		return -1;
	for (unsigned m = 0; m < c->n_measures; m++) {
		Pmif__ValueGetRequest in = PMIF__VALUE_GET_REQUEST__INIT;
		Pmif__ValueGetReply *rep;
		struct bench_reply r;

		in.measure = c->measure[m];
		if (bench_call(&c->chan, S->get_m, &in.base, &r) != 0 || r.code != 0 ||
		    (rep = pmif__value_get_reply__unpack(NULL, r.body.len, r.body.data)) == NULL) {
			bench_note("client %u: ValueGet %s: %s %s", c->idx, c->measure[m],
			           r.code < 0 ? "no answer" : bench_code_name(r.code), r.message);
			free(seen);
			return -1;
		}
		for (size_t v = 0; v < rep->n_values; v++) {
			const Pmif__ValueRecord *vr = rep->values[v]->value;
			int k = vr ? key_index(c, vr->measure, vr->period, vr->locality) : -1;
			if (k < 0)
				continue;
			seen[k] = true;
			if (c->acked[k] && !c->uncertain[k] && vr->value != c->last[k]) {
				if (wrong++ < 5)
					bench_note(
					    "client %u: %s %s %s holds %g, the last ack was for %g",
					    c->idx, vr->measure, vr->period, vr->locality,
					    vr->value, c->last[k]);
			}
		}
		pmif__value_get_reply__free_unpacked(rep, NULL);
	}
	for (unsigned k = 0; k < c->n_keys; k++) {
		if (!c->acked[k] || c->uncertain[k])
			continue;
		++*checked;
		if (!seen[k] && wrong++ < 5) {
			const char *measure, *locality;
			char period[16];
			key_of(c, k, &measure, period, &locality);
			bench_note("client %u: %s %s %s acknowledged but not in the store", c->idx,
			           measure, period, locality);
		}
	}
	free(seen);
	return wrong;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Median of the p99s of intervals [from, to). */
static double median_p99(const struct interval *iv, unsigned from, unsigned to)
{
	double v[MAX_INTERVALS];
	unsigned n = 0;

	for (unsigned i = from; i < to; i++)
		v[n++] = iv[i].p99;
	if (n == 0)
		return 0;
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static double mean_rate(const struct interval *iv, unsigned from, unsigned to)
{
	double s = 0;

	for (unsigned i = from; i < to; i++)
		s += iv[i].req_per_s;
	return to > from ? s / (to - from) : 0;
}

static void check_emit(const char *check, bool pass, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void check_emit(const char *check, bool pass, const char *fmt, ...)
{
	char figure[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(figure, sizeof(figure), fmt, ap);
	va_end(ap);
	bench_emit("soak.check", "check=%s status=%s %s", check, pass ? "pass" : "FAIL", figure);
}

/* ------------------------------------------------------------ the run */

/* Collect and clear every client's figures for the interval just ended. */
static void harvest(struct soak *S, struct interval *out, struct bench_samples *all,
                    struct bench_samples *rd, struct bench_samples *wr)
{
	bench_samples_clear(all);
	bench_samples_clear(rd);
	bench_samples_clear(wr);
	for (unsigned i = 0; i < S->n_cl; i++) {
		struct client *c = &S->cl[i];

		pthread_mutex_lock(&c->mu);
		out->req += c->n_req;
		out->writes += c->n_writes;
		out->errors += c->n_err;
		c->n_req = c->n_writes = c->n_err = 0;
		for (size_t k = 0; k < c->rlat.n; k++) {
			bench_samples_add(all, c->rlat.us[k]);
			bench_samples_add(rd, c->rlat.us[k]);
		}
		for (size_t k = 0; k < c->wlat.n; k++) {
			bench_samples_add(all, c->wlat.us[k]);
			bench_samples_add(wr, c->wlat.us[k]);
		}
		bench_samples_clear(&c->rlat);
		bench_samples_clear(&c->wlat);
		pthread_mutex_unlock(&c->mu);
		out->alive += !c->gone;
	}
	out->p50 = bench_pct(all, 50);
	out->p99 = bench_pct(all, 99);
	out->read_p99 = bench_pct(rd, 99);
	out->write_p99 = bench_pct(wr, 99);
}

/* The server's own memory now: VmRSS minus the data.mdb mapping's pages. */
static long own_kb(pid_t pid, long *rss, long *map)
{
	*rss = bench_rss_kb(pid);
	*map = bench_map_rss_kb(pid, "/data.mdb");
	return *rss < 0 ? -1 : *rss - (*map > 0 ? *map : 0);
}

/* CPU of everything but the server and this process, in cores. */
struct weather {
	unsigned long long busy, total, self;
	struct bench_cpu server;
};

static void weather_read(pid_t pid, struct weather *w)
{
	bench_machine_ticks(&w->busy, &w->total);
	w->self = bench_self_ticks();
	bench_cpu_read(pid, &w->server);
}

static void weather_between(const struct weather *a, const struct weather *b, double *server,
                            double *others)
{
	double hz = (double)sysconf(_SC_CLK_TCK), ncpu = (double)sysconf(_SC_NPROCESSORS_ONLN);
	double secs = (b->server.wall_us - a->server.wall_us) / 1e6, o;

	*server = bench_cpu_cores(&a->server, &b->server, NULL);
	*others = 0;
	if (b->total <= a->total || secs <= 0)
		return;
	o = (double)(b->busy - a->busy) / (double)(b->total - a->total) * ncpu - *server -
	    (double)(b->self - a->self) / hz / secs;
	*others = o > 0 ? o : 0;
}

static int run(struct soak *S, struct interval *iv, unsigned n_iv, double interval_s)
{
	struct bench_samples all = {0}, rd = {0}, wr = {0};
	struct weather *w0 = calloc(1, sizeof(*w0)), *w1 = calloc(1, sizeof(*w1)), *tmp;
	double start;
	unsigned started = 0;

	if (w0 == NULL || w1 == NULL) {
		free(w0);
		free(w1);
		return -1;
	}
	weather_read(S->pid, w0);
	start = bench_now_us();
	for (; started < S->n_cl; started++)
		if (pthread_create(&S->cl[started].t, NULL, client_main, &S->cl[started]) != 0)
			break;
	for (unsigned n = 0; n < n_iv && started == S->n_cl; n++) {
		struct interval *o = &iv[n];
		double end = start + (n + 1) * interval_s * 1e6;
		long rss, map, own;

		memset(o, 0, sizeof(*o));
		/* the server's own memory every second, its peak kept */
		for (double now = bench_now_us(); now < end; now = bench_now_us()) {
			bench_sleep_us(end - now < 1e6 ? end - now : 1e6);
			if ((own = own_kb(S->pid, &rss, &map)) > o->own_max_kb)
				o->own_max_kb = own;
		}
		harvest(S, o, &all, &rd, &wr);
		o->own_kb = own_kb(S->pid, &o->rss_kb, &o->map_kb);
		if (o->own_kb > o->own_max_kb)
			o->own_max_kb = o->own_kb;
		o->t_s = (bench_now_us() - start) / 1e6;
		o->req_per_s = (double)o->req / interval_s;
		weather_read(S->pid, w1);
		weather_between(w0, w1, &o->server_cpu, &o->others);
		tmp = w0, w0 = w1, w1 = tmp;
		bench_emit("soak.interval",
		           "interval=%u t_s=%.0f requests=%llu req_per_s=%.0f writes=%llu "
		           "errors=%llu p50_us=%.0f p99_us=%.0f read_p99_us=%.0f "
		           "write_p99_us=%.0f rss_kb=%ld map_kb=%ld own_kb=%ld own_max_kb=%ld "
		           "server_cpu=%.2f others_cores=%.2f clients=%u",
		           n + 1, o->t_s, o->req, o->req_per_s, o->writes, o->errors, o->p50,
		           o->p99, o->read_p99, o->write_p99, o->rss_kb, o->map_kb, o->own_kb,
		           o->own_max_kb, o->server_cpu, o->others, o->alive);
	}
	atomic_store(&S->stop, 1);
	for (unsigned i = 0; i < started; i++)
		pthread_join(S->cl[i].t, NULL);
	bench_samples_free(&all);
	bench_samples_free(&rd);
	bench_samples_free(&wr);
	free(w0);
	free(w1);
	if (started < S->n_cl) {
		bench_note("cannot start client thread %u", started);
		return -1;
	}
	return 0;
}

/* The verdicts; 0 when all pass. */
static int verdicts(struct soak *S, const struct interval *iv, unsigned n_iv, unsigned warm,
                    double factor, double tol, bool rss_check, size_t audit0)
{
	unsigned long long errors = 0, requests = 0, writes = 0;
	unsigned alive = S->n_cl, third = (n_iv - warm) / 3, failed = 0;
	size_t acked = 0, found = 0, audit1, txn1, checked = 0;
	long wrong = 0, base = 0, peak = 0;
	unsigned peak_at = 0;
	double first, last;
	char names[128] = "";

	for (unsigned n = 0; n < n_iv; n++) {
		errors += iv[n].errors;
		requests += iv[n].req;
		writes += iv[n].writes;
	}
	for (unsigned i = 0; i < S->n_cl; i++)
		alive -= S->cl[i].gone;
	/* errors */
	if (errors != 0 || alive != S->n_cl) {
		failed |= 1;
		strcat(names, " errors");
	}
	check_emit("errors", !(failed & 1),
	           "errors=%llu of requests=%llu clients_stopped=%u (the first %d printed above "
	           "as name=soak.error)",
	           errors, requests, S->n_cl - alive, MAX_PRINTED);
	/* acks */
	bench_store_view_counts(&S->view, &audit1, &txn1);
	for (unsigned i = 0; i < S->n_cl; i++) {
		long w = check_values(S, &S->cl[i], &checked);
		acked += S->cl[i].acks.n;
		found += bench_store_view_found(&S->view, S->user, &S->cl[i].acks);
		wrong += w < 0 ? 1 : w;
	}
	if (acked == 0 || audit1 - audit0 != acked || found != acked || wrong != 0) {
		failed |= 2;
		strcat(names, " acks");
	}
	check_emit("acks", !(failed & 2),
	           "acks=%zu audit_delta=%zu request_ids_found=%zu keys_checked=%zu "
	           "keys_wrong=%ld writes_sent=%llu",
	           acked, audit1 - audit0, found, checked, wrong, writes);
	/* p99: medians of the thirds after the warm-up */
	first = median_p99(iv, warm, warm + third);
	last = median_p99(iv, n_iv - third, n_iv);
	if (!(last <= factor * first)) {
		failed |= 4;
		strcat(names, " p99");
	}
	check_emit("p99", !(failed & 4),
	           "first_third_p99_us=%.0f last_third_p99_us=%.0f ratio=%.2f limit=%.2f "
	           "intervals=%u..%u,%u..%u first_req_per_s=%.0f last_req_per_s=%.0f",
	           first, last, first > 0 ? last / first : 0, factor, warm + 1, warm + third,
	           n_iv - third + 1, n_iv, mean_rate(iv, warm, warm + third),
	           mean_rate(iv, n_iv - third, n_iv));
	/* rss: the server's own memory after the warm-up against its peak in it */
	for (unsigned n = 0; n < warm; n++)
		if (iv[n].own_max_kb > base)
			base = iv[n].own_max_kb;
	for (unsigned n = warm; n < n_iv; n++)
		if (iv[n].own_max_kb > peak) {
			peak = iv[n].own_max_kb;
			peak_at = n + 1;
		}
	if (rss_check && !(base > 0 && (double)peak <= (1.0 + tol) * (double)base)) {
		failed |= 8;
		strcat(names, " rss");
	}
	check_emit("rss", !(failed & 8),
	           "%sown_kb_warmup_peak=%ld own_kb_peak_after=%ld (interval %u) "
	           "own_kb_warmup_end=%ld own_kb_end=%ld growth=%.1f%% limit=%.0f%% "
	           "vmrss_kb_warmup_end=%ld vmrss_kb_end=%ld map_kb_warmup_end=%ld map_kb_end=%ld",
	           rss_check ? "" : "skipped=\"--no-rss-check\" ", base, peak, peak_at,
	           iv[warm - 1].own_kb, iv[n_iv - 1].own_kb,
	           base > 0 ? 100.0 * (double)(peak - base) / (double)base : 0, 100 * tol,
	           iv[warm - 1].rss_kb, iv[n_iv - 1].rss_kb, iv[warm - 1].map_kb,
	           iv[n_iv - 1].map_kb);
	bench_emit("soak.result", "status=%s failed=\"%s\" clients=%u intervals=%u warmup=%u",
	           failed ? "FAIL" : "pass", names[0] ? names + 1 : "", S->n_cl, n_iv, warm);
	return failed ? 1 : 0;
}

int bench_cmd_soak(int argc, char **argv)
{
	struct soak S = {
	    .url = bench_opt(argc, argv, "--pmif", NULL),
	    .fp = bench_opt(argc, argv, "--fp", NULL),
	    .user = bench_opt(argc, argv, "--user", "admin"),
	    .data = bench_opt(argc, argv, "--data", NULL),
	    .pid = (pid_t)bench_opt_num(argc, argv, "--pid", 0),
	    .n_cl = (unsigned)bench_opt_num(argc, argv, "--clients", 64),
	    .ratio = (unsigned)bench_opt_num(argc, argv, "--ratio", 9),
	    .n_measures = (unsigned)bench_opt_num(argc, argv, "--measures", 1000),
	    .timeout_ms = (int)bench_opt_num(argc, argv, "--timeout-ms", 10000),
	};
	double seconds = bench_opt_num(argc, argv, "--seconds", 600);
	double interval_s = bench_opt_num(argc, argv, "--interval", 10);
	double factor = bench_opt_num(argc, argv, "--p99-factor", 2);
	double tol = bench_opt_num(argc, argv, "--rss-tolerance", 0.10);
	unsigned n_iv = interval_s > 0 ? (unsigned)(seconds / interval_s + 0.5) : 0;
	unsigned warm_dflt = (n_iv + 9) / 10, warm;
	struct interval *iv = NULL;
	bool rss_check = true;
	size_t audit0, txn0;
	int rc = 1;

	for (int i = 1; i < argc; i++)
		rss_check &= strcmp(argv[i], "--no-rss-check") != 0;
	if (interval_s > 0 && warm_dflt * interval_s < 10)
		warm_dflt = (unsigned)(10 / interval_s + 0.999);
	warm = (unsigned)bench_opt_num(argc, argv, "--warmup-intervals", warm_dflt);
	if (warm < 1)
		warm = 1;
	if (!S.url || !S.fp || !S.data || S.pid <= 0 || S.n_cl == 0 || S.n_measures == 0 ||
	    n_iv > MAX_INTERVALS || n_iv < warm + 3) {
		fprintf(
		    stderr,
		    "usage: pmif-bench soak --pmif URL --fp FP --user USER --data DIR --pid PID "
		    "[--clients N] [--seconds S] [--interval S] [--warmup-intervals W] "
		    "[--ratio R] [--measures N] [--timeout-ms MS] [--p99-factor F] "
		    "[--rss-tolerance T] [--no-rss-check]   (password in BENCH_PASSWORD; "
		    "at least W + 3 intervals)\n");
		return 2;
	}
	S.cl = calloc(S.n_cl, sizeof(*S.cl));
	iv = calloc(n_iv, sizeof(*iv));
	atomic_init(&S.stop, 0);
	atomic_init(&S.printed, 0);
	for (unsigned i = 0; S.cl && i < S.n_cl; i++) {
		S.cl[i].chan.sock = -1;
		pthread_mutex_init(&S.cl[i].mu, NULL);
	}
	if (S.cl == NULL || iv == NULL || bench_store_view_open(&S.view, S.data) != 0)
		goto out;
	if (setup(&S) != 0)
		goto out;
	bench_store_view_counts(&S.view, &audit0, &txn0);
	{
		struct bench_reply r;
		if (do_write(&S.cl[0], &r) != 0) {
			bench_note("ValueSet does not work on this store: %s %s",
			           r.code < 0 ? "no answer" : bench_code_name(r.code), r.message);
			goto out;
		}
	}
	bench_emit("soak.start",
	           "clients=%u seconds=%.0f interval_s=%.0f intervals=%u warmup_intervals=%u "
	           "ratio=%u:1 reads=%zu measures=%u keys_per_client=%u p99_factor=%.2f "
	           "rss_tolerance=%.2f rss_check=%d",
	           S.n_cl, seconds, interval_s, n_iv, warm, S.ratio, N_READS, S.n_measures,
	           S.cl[0].n_keys, factor, tol, rss_check);
	if (run(&S, iv, n_iv, interval_s) != 0)
		goto out;
	rc = verdicts(&S, iv, n_iv, warm, factor, tol, rss_check, audit0);
out:
	for (unsigned i = 0; S.cl && i < S.n_cl; i++)
		client_release(&S.cl[i]);
	free(S.cl);
	free(iv);
	bench_store_view_close(&S.view);
	return rc;
}
