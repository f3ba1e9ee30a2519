/*
 * util.c - samples and percentiles, result lines, /proc readings and the
 * closed-loop load runner (see bench.h).
 */
#include <dirent.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>

#include "bench.h"
#include "frame.h"

void bench_samples_add(struct bench_samples *s, double us)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		double *grown = realloc(s->us, cap * sizeof(*grown));
		if (grown == NULL)
			return; /* a lost sample, not a crash */
		s->us = grown;
		s->cap = cap;
	}
	s->us[s->n++] = us;
}

void bench_samples_merge(struct bench_samples *to, struct bench_samples *from)
{
	for (size_t i = 0; i < from->n; i++)
		bench_samples_add(to, from->us[i]);
	from->n = 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

double bench_pct(struct bench_samples *s, double p)
{
	size_t rank;

	if (s->n == 0)
		return 0;
	qsort(s->us, s->n, sizeof(double), cmp_double);
	rank = (size_t)(p / 100.0 * (double)s->n + 0.999999);
	if (rank < 1)
		rank = 1;
	if (rank > s->n)
		rank = s->n;
	return s->us[rank - 1];
}

void bench_samples_clear(struct bench_samples *s)
{
	s->n = 0;
}

void bench_samples_free(struct bench_samples *s)
{
	free(s->us);
	memset(s, 0, sizeof(*s));
}

double bench_now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e6 + (double)t.tv_nsec / 1e3;
}

void bench_sleep_us(double us)
{
	struct timespec t = {.tv_sec = (time_t)(us / 1e6),
	                     .tv_nsec = (long)((us - (double)(time_t)(us / 1e6) * 1e6) * 1e3)};
	while (nanosleep(&t, &t) != 0)
		;
}

void bench_emit(const char *name, const char *fmt, ...)
{
	va_list ap;

	flockfile(stdout);
	printf("name=%s ", name);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	funlockfile(stdout);
}

void bench_note(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pmif-bench: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
}

size_t bench_parse_list(const char *s, unsigned *out, size_t cap)
{
	size_t n = 0;

	while (s && *s && n < cap) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);
		if (end == s)
			break;
		if (v > 0)
			out[n++] = (unsigned)v;
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}

const char *bench_opt(int argc, char **argv, const char *name, const char *dflt)
{
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], name) == 0)
			return argv[i + 1];
	return dflt;
}

double bench_opt_num(int argc, char **argv, const char *name, double dflt)
{
	const char *v = bench_opt(argc, argv, name, NULL);
	return v ? strtod(v, NULL) : dflt;
}

/* ------------------------------------------------------------ /proc */

long bench_rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

long long bench_write_bytes(pid_t pid)
{
	char path[64], line[256];
	long long v = -1;
	FILE *f;

	if (pid > 0)
		snprintf(path, sizeof(path), "/proc/%d/io", (int)pid);
	else
		snprintf(path, sizeof(path), "/proc/self/io");
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "write_bytes: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

long bench_map_rss_kb(pid_t pid, const char *suffix)
{
	char path[64], line[1024];
	long total = 0, kb;
	bool in = false;
	size_t sl = strlen(suffix);
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b;
		if (sscanf(line, "%lx-%lx ", &a, &b) == 2 && strchr(line, ' ')) {
			size_t len = strcspn(line, "\n");
			line[len] = '\0';
			in = len >= sl && strcmp(line + len - sl, suffix) == 0;
		} else if (in && sscanf(line, "Rss: %ld kB", &kb) == 1) {
			total += kb;
		}
	}
	fclose(f);
	return total;
}

/* utime + stime (fields 14 and 15) of a /proc stat file. */
static int stat_ticks(const char *path, unsigned long long *ticks)
{
	char buf[1024], *p;
	unsigned long long ut, st;
	FILE *f = fopen(path, "r");
	size_t n;

	if (f == NULL)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')'); /* the command name may hold spaces */
	if (p == NULL ||
	    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return -1;
	*ticks = ut + st;
	return 0;
}

int bench_cpu_read(pid_t pid, struct bench_cpu *out)
{
	char path[96];
	DIR *d;
	struct dirent *e;

	memset(out, 0, sizeof(*out));
	out->wall_us = bench_now_us();
	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (stat_ticks(path, &out->total) != 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL && out->n < BENCH_MAX_THREADS) {
		char tpath[300];
		pid_t tid = (pid_t)atoi(e->d_name);
		if (tid <= 0)
			continue;
		snprintf(tpath, sizeof(tpath), "/proc/%d/task/%d/stat", (int)pid, (int)tid);
		if (stat_ticks(tpath, &out->ticks[out->n]) == 0)
			out->tid[out->n++] = tid;
	}
	closedir(d);
	return 0;
}

double bench_cpu_cores(const struct bench_cpu *a, const struct bench_cpu *b, double *top)
{
	double hz = (double)sysconf(_SC_CLK_TCK), secs = (b->wall_us - a->wall_us) / 1e6;
	unsigned long long best = 0;

	if (secs <= 0 || b->total < a->total)
		return 0;
	for (size_t i = 0; i < b->n; i++) {
		unsigned long long before = 0;
		for (size_t j = 0; j < a->n; j++)
			if (a->tid[j] == b->tid[i])
				before = a->ticks[j];
		if (b->ticks[i] >= before && b->ticks[i] - before > best)
			best = b->ticks[i] - before;
	}
	if (top)
		*top = (double)best / hz / secs;
	return (double)(b->total - a->total) / hz / secs;
}

int bench_machine_ticks(unsigned long long *busy, unsigned long long *total)
{
	unsigned long long v[10] = {0};
	FILE *f = fopen("/proc/stat", "r");
	int n;

	if (f == NULL)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2],
	           &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]);
	fclose(f);
	if (n < 8)
		return -1;
	/* user nice system idle iowait irq softirq steal (guest is in user) */
	*total = v[0] + v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7];
	*busy = *total - v[3] - v[4];
	return 0;
}

/* ------------------------------------------------------------ load runner */

struct load_shared {
	bench_op op;
	void *arg;
	atomic_int phase; /* 0 warm-up, 1 measuring, 2 stop */
	atomic_uint ready;
};

struct load_thread {
	struct load_shared *sh;
	unsigned idx;
	pthread_t t;
	unsigned long long ok, errors;
	bool failed;
	struct bench_samples lat;
};

unsigned long long bench_self_ticks(void)
{
	unsigned long long t = 0;
	stat_ticks("/proc/self/stat", &t);
	return t;
}

static void *load_main(void *p)
{
	struct load_thread *lt = p;
	struct load_shared *sh = lt->sh;

	atomic_fetch_add(&sh->ready, 1);
	while (atomic_load(&sh->phase) != 2) {
		double t0 = bench_now_us();
		int rc = sh->op(sh->arg, lt->idx);

		if (rc < 0) {
			lt->failed = true;
			break;
		}
		/* throughput: the calls that completed inside the window */
		if (atomic_load(&sh->phase) == 1) {
			if (rc == 0) {
				lt->ok++;
				bench_samples_add(&lt->lat, bench_now_us() - t0);
			} else {
				lt->errors++;
			}
		}
	}
	return NULL;
}

void bench_load_add(struct bench_load *acc, const struct bench_load *l,
                    struct bench_samples *samples)
{
	double t = acc->seconds + l->seconds;

	if (t <= 0)
		return;
	acc->cpu_cores = (acc->cpu_cores * acc->seconds + l->cpu_cores * l->seconds) / t;
	acc->cpu_top = (acc->cpu_top * acc->seconds + l->cpu_top * l->seconds) / t;
	acc->self_cpu = (acc->self_cpu * acc->seconds + l->self_cpu * l->seconds) / t;
	acc->machine_busy = (acc->machine_busy * acc->seconds + l->machine_busy * l->seconds) / t;
	acc->seconds = t;
	acc->ok += l->ok;
	acc->errors += l->errors;
	acc->failed_threads += l->failed_threads;
	acc->ops_per_s = (double)acc->ok / t;
	if (l->rss_max_kb > acc->rss_max_kb)
		acc->rss_max_kb = l->rss_max_kb;
	if (samples) {
		acc->median_us = bench_pct(samples, 50);
		acc->p99_us = bench_pct(samples, 99);
	}
}

int bench_load_run(unsigned threads, bench_op op, void *arg, double warmup_s, double seconds,
                   pid_t pid, struct bench_load *out, struct bench_samples *keep)
{
	struct load_shared sh = {.op = op, .arg = arg};
	struct load_thread *lt = calloc(threads, sizeof(*lt));
	struct bench_samples all = {0};
	struct bench_cpu *c0 = malloc(sizeof(*c0)), *c1 = malloc(sizeof(*c1));
	double t0, t1;
	unsigned started = 0;
	unsigned long long mb0 = 0, mt0 = 0, mb1 = 0, mt1 = 0, s0, s1;
	long rss;

	memset(out, 0, sizeof(*out));
	if (lt == NULL || c0 == NULL || c1 == NULL) {
		free(lt);
		free(c0);
		free(c1);
		return -1;
	}
	atomic_init(&sh.phase, 0);
	atomic_init(&sh.ready, 0);
	for (; started < threads; started++) {
		lt[started].sh = &sh;
		lt[started].idx = started;
		if (pthread_create(&lt[started].t, NULL, load_main, &lt[started]) != 0)
			break;
	}
	while (atomic_load(&sh.ready) < started)
		bench_sleep_us(1000);
	bench_sleep_us(warmup_s * 1e6);
	bench_cpu_read(pid, c0);
	bench_machine_ticks(&mb0, &mt0);
	s0 = bench_self_ticks();
	t0 = bench_now_us();
	atomic_store(&sh.phase, 1);
	out->rss_max_kb = pid > 0 ? bench_rss_kb(pid) : -1;
	for (double now = t0; now - t0 < seconds * 1e6; now = bench_now_us()) {
		double left = seconds * 1e6 - (now - t0);
		bench_sleep_us(left < 100000 ? left : 100000);
		if (pid > 0 && (rss = bench_rss_kb(pid)) > out->rss_max_kb)
			out->rss_max_kb = rss;
	}
	atomic_store(&sh.phase, 2);
	t1 = bench_now_us();
	s1 = bench_self_ticks();
	bench_machine_ticks(&mb1, &mt1);
	bench_cpu_read(pid, c1);
	for (unsigned i = 0; i < started; i++) {
		pthread_join(lt[i].t, NULL);
		out->ok += lt[i].ok;
		out->errors += lt[i].errors;
		out->failed_threads += lt[i].failed;
		bench_samples_merge(&all, &lt[i].lat);
		bench_samples_free(&lt[i].lat);
	}
	out->failed_threads += threads - started;
	out->seconds = (t1 - t0) / 1e6;
	out->ops_per_s = (double)out->ok / out->seconds;
	out->median_us = bench_pct(&all, 50);
	out->p99_us = bench_pct(&all, 99);
	if (keep)
		bench_samples_merge(keep, &all);
	if (pid > 0)
		out->cpu_cores = bench_cpu_cores(c0, c1, &out->cpu_top);
	out->self_cpu = (double)(s1 - s0) / (double)sysconf(_SC_CLK_TCK) / out->seconds;
	out->machine_busy = mt1 > mt0 ? (double)(mb1 - mb0) / (double)(mt1 - mt0) : 0;
	bench_samples_free(&all);
	free(lt);
	free(c0);
	free(c1);
	return 0;
}

/* ------------------------------------------------------------ sockets */

void bench_set_timeout(int sock, int timeout_ms)
{
	nn_setsockopt(sock, NN_SOL_SOCKET, NN_RCVTIMEO, &timeout_ms, sizeof(int));
	nn_setsockopt(sock, NN_SOL_SOCKET, NN_SNDTIMEO, &timeout_ms, sizeof(int));
}

int bench_req_socket(const char *url, int timeout_ms)
{
	int s = nn_socket(AF_SP, NN_REQ), resend = 3600 * 1000, max = PMIF_FRAME_MAX;

	if (s < 0)
		return -1;
	/* like pmif: never let nanomsg resend on its own */
	nn_setsockopt(s, NN_REQ, NN_REQ_RESEND_IVL, &resend, sizeof(resend));
	nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVMAXSIZE, &max, sizeof(max));
	bench_set_timeout(s, timeout_ms);
	if (nn_connect(s, url) < 0) {
		nn_close(s);
		return -1;
	}
	return s;
}
