/*
 * load.c - throughput against concurrent clients, each a thread with its
 * own REQ socket, its own Noise channel and its own login:
 *
 *   reads:  a read RPC (WhoAmI) back to back, beside the echo floor's
 *           throughput with as many clients and the same bytes;
 *   writes: a cheap audited write, every acknowledgement counted and then
 *           checked in the store itself: the audit trail must have grown by
 *           exactly the number of acks, and every acked request id must be
 *           in the request-id table written in the same transaction;
 *   crash:  (--crash) writers running while the server is killed with
 *           SIGKILL; every write acknowledged before the kill must be there.
 *
 * Also the server's RSS before, during (peak) and after the load, its CPU
 * use (cores, and the busiest thread's share) and how many LMDB commits
 * the writes took (the environment's last transaction id, read from a
 * read-only handle on the same store).
 *
 *   pmif-bench load --pmif URL --fp FP --user USER --echo URL --data DIR
 *                   --pid PMIFD_PID [--echo-pid PID] [--clients 1,8,32,128]
 *                   [--seconds S] [--warmup S] [--read WhoAmI]
 *                   [--write ValueSet|UserDisable,UserEnable] [--rounds R] --lmdb-dir DIR
 *                   [--crash] [--only read|write]
 *
 * Each figure alternates R windows of the floor (echo server; or LMDB's
 * single-commit rate in a fresh environment under DIR) with R windows of
 * PMIF, S/R seconds each, so both see the same machine.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "floor.h"
#include "store_view.h"
#include "pmif.pb-c.h"

/* Write RPCs, tried in the order of --write; "{t}" is the client's target:
 * client i uses subst[i % n_subst]. */
static const char *const target_users[] = {"bench-t0", "bench-t1", "bench-t2", "bench-t3"};
static const char *const localities[] = {"borough", "birtley", "chopwell", "central", "felling"};
struct write_rpc {
	struct bench_rpc rpc;
	const char *const *subst;
	unsigned n_subst;
};
static const struct write_rpc writes[] = {
    {{"ValueSet",
      "value set (audited, revisioned)",
      {{"measure", "FSM-UPTAKE"},
       {"period", "2022-23-Q4"},
       {"locality", "{t}"},
       {"value", "84.5"}}},
     localities,
     5},
    {{"UserDisable", "admin user disable (audited)", {{"name", "{t}"}}}, target_users, 4},
    {{"UserEnable", "admin user enable (audited)", {{"name", "{t}"}}}, target_users, 4},
};
static const struct bench_rpc reads[] = {
    {"WhoAmI", "whoami (session + user read)", {{0}}},
    {"Health", "health (no session)", {{0}}},
};
#define MAX_COUNTS    16
#define LOGIN_THREADS 4

struct client {
	struct bench_chan chan;
	/* the write methods and inputs this client alternates between */
	ProtobufCMessage *in[4];
	const ProtobufCMethodDescriptor *m[4];
	unsigned n_ops, next;
	struct bench_acks acks; /* every acknowledged write, warm-up included */
	unsigned long long write_errors;
	char last_error[256];
};

struct load {
	const char *url, *fp, *user, *echo, *data;
	pid_t pid, echo_pid;
	struct client *cl;
	unsigned n_cl;
	atomic_uint next_login;
	atomic_int login_failed;
	const struct bench_rpc *read_rpc;
	ProtobufCMessage *read_in;
	const ProtobufCMethodDescriptor *read_m;
	size_t req_bytes, rep_bytes;
	struct bench_store_view view;
	atomic_int stop_all;          /* crash test: the server is gone */
	const char *write_list;       /* the write methods in use */
	long long server_bytes;       /* written by the server in the last write runs */
	double lmdb_bytes_per_commit; /* written by the LMDB floor, per commit */
};

/* ------------------------------------------------------------ store view */

/* How many acked request ids of every client are in the request table. */
static size_t store_view_verify(struct load *L, size_t *acked)
{
	size_t found = 0;

	*acked = 0;
	for (unsigned i = 0; i < L->n_cl; i++) {
		found += bench_store_view_found(&L->view, L->user, &L->cl[i].acks);
		*acked += L->cl[i].acks.n;
	}
	return found;
}

static void acks_clear(struct load *L)
{
	for (unsigned i = 0; i < L->n_cl; i++) {
		L->cl[i].acks.n = 0;
		L->cl[i].write_errors = 0;
	}
}

/* ------------------------------------------------------------ set-up */

static void *login_main(void *arg)
{
	struct load *L = arg;
	char why[512];

	for (;;) {
		unsigned i = atomic_fetch_add(&L->next_login, 1);
		if (i >= L->n_cl || atomic_load(&L->login_failed))
			break;
		if (bench_session(&L->cl[i].chan, L->url, L->fp, L->user, 60000, why,
		                  sizeof(why)) != 0) {
			bench_note("client %u: %s", i, why);
			atomic_store(&L->login_failed, 1);
		}
	}
	return NULL;
}

/* Make the users the user-admin writes act on; an existing one is fine. */
static int make_targets(struct load *L)
{
	const ProtobufCMethodDescriptor *m = bench_method("UserAdd");

	for (unsigned t = 0; t < sizeof(target_users) / sizeof(target_users[0]); t++) {
		Pmif__UserAddRequest in = PMIF__USER_ADD_REQUEST__INIT;
		struct bench_reply r;

		in.name = (char *)target_users[t];
		in.role = PMIF__ROLE__MEMBER;
		in.password = "bench target password";
		if (bench_call(&L->cl[0].chan, m, &in.base, &r) != 0 ||
		    (r.code != 0 && r.code != PMIF__CODE__ALREADY_EXISTS)) {
			bench_note("cannot make write target %s: %s %s", target_users[t],
			           bench_code_name(r.code), r.message);
			return -1;
		}
	}
	return 0;
}

static void drop_writes(struct load *L)
{
	for (unsigned i = 0; i < L->n_cl; i++) {
		for (unsigned k = 0; k < L->cl[i].n_ops; k++)
			bench_msg_free(L->cl[i].in[k]);
		L->cl[i].n_ops = 0;
	}
}

/* Prepare each client's alternating write inputs from @p list ("M1,M2"),
 * then try one: -1 (and nothing prepared) if any step fails. */
static int prepare_writes(struct load *L, const char *list)
{
	char buf[256], *save = NULL, why[256];
	struct bench_reply r;
	bool users = false;

	for (unsigned i = 0; i < L->n_cl; i++) {
		struct client *c = &L->cl[i];

		snprintf(buf, sizeof(buf), "%s", list);
		c->n_ops = 0;
		for (char *name = strtok_r(buf, ",", &save); name && c->n_ops < 4;
		     name = strtok_r(NULL, ",", &save)) {
			const struct write_rpc *w = NULL;
			for (size_t k = 0; k < sizeof(writes) / sizeof(writes[0]); k++)
				if (strcmp(writes[k].rpc.method, name) == 0)
					w = &writes[k];
			c->m[c->n_ops] = bench_method(name);
			if (w == NULL || c->m[c->n_ops] == NULL) {
				bench_note("write %s: %s", name,
				           w ? "not in this build's Pmif service"
				             : "no entry in load.c's write table");
				goto fail;
			}
			users |= w->subst == target_users;
			if (bench_msg_build(c->m[c->n_ops], &w->rpc, w->subst[i % w->n_subst],
			                    &c->in[c->n_ops], why, sizeof(why)) != 0) {
				bench_note("write %s: %s", name, why);
				goto fail;
			}
			c->n_ops++;
		}
		if (c->n_ops == 0)
			goto fail;
	}
	if (users && make_targets(L) != 0)
		goto fail;
	if (bench_call(&L->cl[0].chan, L->cl[0].m[0], L->cl[0].in[0], &r) != 0 || r.code != 0) {
		bench_note("write %s does not work here: %s %s", list, bench_code_name(r.code),
		           r.message);
		goto fail;
	}
	L->write_list = list;
	return 0;
fail:
	drop_writes(L);
	return -1;
}

/* ------------------------------------------------------------ operations */

static int read_op(void *arg, unsigned i)
{
	struct load *L = arg;
	struct bench_reply r;

	if (bench_call(&L->cl[i].chan, L->read_m, L->read_in, &r) != 0)
		return -1;
	return r.code == 0 ? 0 : 1;
}

/* Keep a server message fit for a key="..." value. */
static void unquote(char *s)
{
	for (; *s; s++)
		if (*s == '"' || *s == '\n')
			*s = '\'';
}

static int write_op(void *arg, unsigned i)
{
	struct load *L = arg;
	struct client *c = &L->cl[i];
	unsigned k = c->next++ % c->n_ops;
	struct bench_reply r;

	if (atomic_load(&L->stop_all))
		return -1;
	if (bench_call(&c->chan, c->m[k], c->in[k], &r) != 0) {
		snprintf(c->last_error, sizeof(c->last_error), "%s", r.message);
		unquote(c->last_error);
		return -1;
	}
	if (r.code != 0) {
		c->write_errors++;
		snprintf(c->last_error, sizeof(c->last_error), "%s: %.200s",
		         bench_code_name(r.code), r.message);
		unquote(c->last_error);
		return 1;
	}
	bench_acks_add(&c->acks, r.rid);
	return 0;
}

/* Cores other processes used during a run (the machine's weather). */
static double others(const struct bench_load *l)
{
	double o =
	    l->machine_busy * (double)sysconf(_SC_NPROCESSORS_ONLN) - l->cpu_cores - l->self_cpu;
	return o > 0 ? o : 0;
}

static void emit_store(const char *name, unsigned clients, const struct bench_load *l,
                       struct load *L, size_t audit0, size_t txn0, double lmdb_rate,
                       double lmdb_median, double lmdb_p99)
{
	size_t audit1, txn1, acked, found;
	unsigned long long errors = 0;
	const char *last = "";

	bench_store_view_counts(&L->view, &audit1, &txn1);
	found = store_view_verify(L, &acked);
	for (unsigned i = 0; i < clients; i++) {
		errors += L->cl[i].write_errors;
		if (L->cl[i].last_error[0])
			last = L->cl[i].last_error;
	}
	bench_emit(
	    name,
	    "method=%s clients=%u ops_per_s=%.0f median_us=%.1f p99_us=%.1f window_ok=%llu "
	    "failed_threads=%u acks=%zu errors=%llu audit_delta=%zu verified=%zu lost=%zu "
	    "commits=%zu acks_per_commit=%.2f server_cpu=%.2f server_top_thread=%.2f "
	    "machine_busy=%.2f others_cores=%.2f rss_max_kb=%ld lmdb_commits_per_s=%.0f "
	    "lmdb_median_us=%.1f lmdb_p99_us=%.1f ratio=%.2f kib_per_commit=%.1f "
	    "lmdb_kib_per_commit=%.1f last_error=\"%.80s\"",
	    L->write_list, clients, l ? l->ops_per_s : 0, l ? l->median_us : 0, l ? l->p99_us : 0,
	    l ? l->ok : 0, l ? l->failed_threads : 0, acked, errors, audit1 - audit0, found,
	    acked - found, txn1 - txn0, txn1 > txn0 ? (double)acked / (double)(txn1 - txn0) : 0.0,
	    l ? l->cpu_cores : 0, l ? l->cpu_top : 0, l ? l->machine_busy : 0, l ? others(l) : 0,
	    l ? l->rss_max_kb : -1L, lmdb_rate, lmdb_median, lmdb_p99,
	    l && lmdb_rate > 0 ? l->ops_per_s / lmdb_rate : 0,
	    l && txn1 > txn0 ? (double)L->server_bytes / 1024.0 / (double)(txn1 - txn0) : 0.0,
	    l ? L->lmdb_bytes_per_commit / 1024.0 : 0.0, last);
}

/* ------------------------------------------------------------ crash test */

struct crash_thread {
	struct load *L;
	unsigned i;
	pthread_t t;
};

static void *crash_main(void *arg)
{
	struct crash_thread *ct = arg;

	while (write_op(ct->L, ct->i) >= 0)
		;
	return NULL;
}

static bool process_gone(pid_t pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return true;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && (p[2] == 'Z' || p[2] == 'X');
}

static void crash_test(struct load *L, unsigned clients, double run_s)
{
	struct crash_thread *ct = calloc(clients, sizeof(*ct));
	size_t audit0, txn0;

	if (ct == NULL)
		return;
	acks_clear(L);
	bench_store_view_counts(&L->view, &audit0, &txn0);
	for (unsigned i = 0; i < clients; i++)
		bench_set_timeout(L->cl[i].chan.sock, 2000);
	for (unsigned i = 0; i < clients; i++) {
		ct[i] = (struct crash_thread){.L = L, .i = i};
		pthread_create(&ct[i].t, NULL, crash_main, &ct[i]);
	}
	bench_sleep_us(run_s * 1e6);
	kill(L->pid, SIGKILL);
	for (int w = 0; w < 500 && !process_gone(L->pid); w++)
		bench_sleep_us(10000);
	atomic_store(&L->stop_all, 1);
	for (unsigned i = 0; i < clients; i++)
		pthread_join(ct[i].t, NULL);
	emit_store("crash.write", clients, NULL, L, audit0, txn0, 0, 0, 0);
	free(ct);
}

/* ------------------------------------------------------------ command */

static int setup_clients(struct load *L)
{
	pthread_t t[LOGIN_THREADS];
	double t0 = bench_now_us();

	atomic_init(&L->next_login, 0);
	atomic_init(&L->login_failed, 0);
	for (int i = 0; i < LOGIN_THREADS; i++)
		pthread_create(&t[i], NULL, login_main, L);
	for (int i = 0; i < LOGIN_THREADS; i++)
		pthread_join(t[i], NULL);
	if (atomic_load(&L->login_failed))
		return -1;
	bench_emit("load.setup", "clients=%u login_threads=%d seconds=%.1f", L->n_cl, LOGIN_THREADS,
	           (bench_now_us() - t0) / 1e6);
	return 0;
}

static int pick_read(struct load *L, const char *name)
{
	struct bench_reply r;
	char why[256];

	for (size_t k = 0; k < sizeof(reads) / sizeof(reads[0]); k++)
		if (strcmp(reads[k].method, name) == 0)
			L->read_rpc = &reads[k];
	if (L->read_rpc == NULL || (L->read_m = bench_method(name)) == NULL) {
		bench_note("read %s: not in load.c's read table or this build", name);
		return -1;
	}
	if (bench_msg_build(L->read_m, L->read_rpc, NULL, &L->read_in, why, sizeof(why)) != 0 ||
	    bench_call(&L->cl[0].chan, L->read_m, L->read_in, &r) != 0 || r.code != 0) {
		bench_note("read %s does not work: %s", name, r.message);
		return -1;
	}
	L->req_bytes = r.req_bytes;
	L->rep_bytes = r.rep_bytes;
	return 0;
}

int bench_cmd_load(int argc, char **argv)
{
	struct load L = {
	    .url = bench_opt(argc, argv, "--pmif", NULL),
	    .fp = bench_opt(argc, argv, "--fp", NULL),
	    .user = bench_opt(argc, argv, "--user", "admin"),
	    .echo = bench_opt(argc, argv, "--echo", NULL),
	    .data = bench_opt(argc, argv, "--data", NULL),
	    .pid = (pid_t)bench_opt_num(argc, argv, "--pid", 0),
	    .echo_pid = (pid_t)bench_opt_num(argc, argv, "--echo-pid", 0),
	};
	unsigned counts[MAX_COUNTS], maxc = 0;
	size_t nc =
	    bench_parse_list(bench_opt(argc, argv, "--clients", "1,8,32,128"), counts, MAX_COUNTS);
	double secs = bench_opt_num(argc, argv, "--seconds", 3);
	double warm = bench_opt_num(argc, argv, "--warmup", 0.5);
	unsigned rounds = (unsigned)bench_opt_num(argc, argv, "--rounds", 3);
	const char *lmdb_dir = bench_opt(argc, argv, "--lmdb-dir", NULL);
	const char *only = bench_opt(argc, argv, "--only", "");
	struct lmdb_floor *lf = NULL;
	bool crash = false;
	long rss_before, rss_peak = 0, map_before;

	for (int i = 1; i < argc; i++)
		crash |= strcmp(argv[i], "--crash") == 0;
	if (!L.url || !L.fp || !L.echo || !L.data || L.pid <= 0 || nc == 0) {
		fprintf(
		    stderr,
		    "usage: pmif-bench load --pmif URL --fp FP --user USER --echo URL --data DIR "
		    "--pid PID [--echo-pid PID] [--clients LIST] [--seconds S] [--warmup S] "
		    "[--read METHOD] [--write M1,M2] [--rounds R] --lmdb-dir DIR [--crash] "
		    "[--only read|write]   "
		    "(password in BENCH_PASSWORD)\n");
		return 2;
	}
	if (rounds == 0)
		rounds = 1;
	if (lmdb_dir == NULL) {
		bench_note("load needs --lmdb-dir DIR for the single-commit floor");
		return 2;
	}
	for (size_t i = 0; i < nc; i++)
		if (counts[i] > maxc)
			maxc = counts[i];
	L.n_cl = maxc;
	L.cl = calloc(maxc, sizeof(*L.cl));
	atomic_init(&L.stop_all, 0);
	if (L.cl == NULL || bench_store_view_open(&L.view, L.data) != 0 || setup_clients(&L) != 0 ||
	    pick_read(&L, bench_opt(argc, argv, "--read", "WhoAmI")) != 0)
		return 1;
	/* the real data-entry write where this build has it, else user admin */
	if (prepare_writes(&L, bench_opt(argc, argv, "--write", "ValueSet")) != 0 &&
	    prepare_writes(&L, "UserDisable,UserEnable") != 0)
		return 1;

	if (lmdb_floor_open(lmdb_dir, &lf) != 0)
		return 1;
	rss_before = bench_rss_kb(L.pid);
	map_before = bench_map_rss_kb(L.pid, "/data.mdb");
	for (size_t i = 0; i < nc && strcmp(only, "write") != 0; i++) {
		struct bench_load f = {0}, p = {0}, one;
		struct bench_samples fs = {0}, ps = {0};
		size_t audit0, txn0, audit1, txn1;

		/* alternate floor and PMIF windows: both see the same weather */
		bench_store_view_counts(&L.view, &audit0, &txn0);
		for (unsigned r = 0; r < rounds; r++) {
			if (floor_tput(L.echo, L.req_bytes, L.rep_bytes, counts[i], warm,
			               secs / rounds, L.echo_pid, &one, &fs) != 0)
				return 1;
			bench_load_add(&f, &one, &fs);
			bench_load_run(counts[i], read_op, &L, warm, secs / rounds, L.pid, &one,
			               &ps);
			bench_load_add(&p, &one, &ps);
		}
		bench_store_view_counts(&L.view, &audit1, &txn1);
		if (p.rss_max_kb > rss_peak)
			rss_peak = p.rss_max_kb;
		floor_emit_tput("floor.tput", counts[i], &f);
		bench_emit(
		    "tput.read",
		    "method=%s clients=%u req_bytes=%zu rep_bytes=%zu ops_per_s=%.0f "
		    "median_us=%.1f p99_us=%.1f ok=%llu errors=%llu failed_threads=%u "
		    "server_cpu=%.2f server_top_thread=%.2f server_us_per_op=%.1f "
		    "client_cpu=%.2f machine_busy=%.2f others_cores=%.2f rss_max_kb=%ld "
		    "commits=%zu floor_ops_per_s=%.0f floor_median_us=%.1f floor_p99_us=%.1f "
		    "floor_server_cpu=%.2f floor_server_us_per_op=%.1f floor_client_cpu=%.2f "
		    "floor_others_cores=%.2f ratio=%.2f",
		    L.read_rpc->method, counts[i], L.req_bytes, L.rep_bytes, p.ops_per_s,
		    p.median_us, p.p99_us, p.ok, p.errors, p.failed_threads, p.cpu_cores, p.cpu_top,
		    p.ops_per_s > 0 ? p.cpu_cores * 1e6 / p.ops_per_s : 0, p.self_cpu,
		    p.machine_busy, others(&p), p.rss_max_kb, txn1 - txn0, f.ops_per_s, f.median_us,
		    f.p99_us, f.cpu_cores, f.ops_per_s > 0 ? f.cpu_cores * 1e6 / f.ops_per_s : 0,
		    f.self_cpu, others(&f), f.ops_per_s > 0 ? p.ops_per_s / f.ops_per_s : 0);
		bench_samples_free(&fs);
		bench_samples_free(&ps);
	}
	for (size_t i = 0; i < nc && strcmp(only, "read") != 0; i++) {
		struct bench_load w = {0}, one;
		struct bench_samples ws = {0}, ls = {0};
		size_t audit0, txn0;
		double lmdb_us = 0;
		long lmdb_n = 0;

		long long sb = 0, lb = 0, b0;

		acks_clear(&L);
		bench_store_view_counts(&L.view, &audit0, &txn0);
		for (unsigned r = 0; r < rounds; r++) {
			double us;
			long n;

			b0 = bench_write_bytes(0);
			n = lmdb_floor_commits(lf, secs / rounds, 1u << 30, &ls, &us);
			if (n < 0)
				return 1;
			lb += bench_write_bytes(0) - b0;
			lmdb_n += n;
			lmdb_us += us;
			b0 = bench_write_bytes(L.pid);
			bench_load_run(counts[i], write_op, &L, warm, secs / rounds, L.pid, &one,
			               &ws);
			sb += bench_write_bytes(L.pid) - b0;
			bench_load_add(&w, &one, &ws);
		}
		L.server_bytes = sb;
		L.lmdb_bytes_per_commit = lmdb_n ? (double)lb / (double)lmdb_n : 0;
		if (w.rss_max_kb > rss_peak)
			rss_peak = w.rss_max_kb;
		emit_store("tput.write", counts[i], &w, &L, audit0, txn0, lmdb_n / (lmdb_us / 1e6),
		           bench_pct(&ls, 50), bench_pct(&ls, 99));
		bench_samples_free(&ws);
		bench_samples_free(&ls);
	}
	lmdb_floor_close(lf);
	bench_sleep_us(1e6); /* let the server settle before "after" */
	bench_emit("rss.load",
	           "before_kb=%ld before_map_kb=%ld peak_kb=%ld after_kb=%ld after_map_kb=%ld",
	           rss_before, map_before, rss_peak, bench_rss_kb(L.pid),
	           bench_map_rss_kb(L.pid, "/data.mdb"));
	if (crash)
		crash_test(&L, maxc < 32 ? maxc : 32, 1.0);
	for (unsigned i = 0; i < L.n_cl; i++) {
		for (unsigned k = 0; k < L.cl[i].n_ops; k++)
			bench_msg_free(L.cl[i].in[k]);
		bench_acks_free(&L.cl[i].acks);
		bench_chan_close(&L.cl[i].chan);
	}
	bench_msg_free(L.read_in);
	free(L.cl);
	bench_store_view_close(&L.view);
	return 0;
}
