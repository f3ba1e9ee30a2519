/*
 * bench.h - what the pieces of pmif-bench share: latency samples and
 * percentiles, "key=value" result lines, /proc readings of another
 * process (RSS, CPU), a closed-loop load runner, and a minimal PMIF client
 * (handshake, seal, login, call) in the manner of tests/e2e/wire_tool.c.
 *
 * Every figure pmif-bench prints is measured here, in this run: nothing is
 * a constant.  Output lines look like
 *   name=read.WhoAmI median_us=61.2 p99_us=140.0 ...
 * one result per line, so bench/run.sh (and anyone) can grep them.
 */
#ifndef PMIF_BENCH_H
#define PMIF_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <protobuf-c/protobuf-c.h>

#include "noise.h"

/* ------------------------------------------------------------ samples */

/* A growable list of latencies in microseconds. */
struct bench_samples {
	double *us;
	size_t n, cap;
};

void bench_samples_add(struct bench_samples *s, double us);
/** Move every sample of @p from into @p to (from is left empty). */
void bench_samples_merge(struct bench_samples *to, struct bench_samples *from);
/** The @p p-th percentile (0..100) by nearest rank; sorts; 0 when empty. */
double bench_pct(struct bench_samples *s, double p);
void bench_samples_clear(struct bench_samples *s);
void bench_samples_free(struct bench_samples *s);

/** Monotonic clock in microseconds. */
double bench_now_us(void);
void bench_sleep_us(double us);

/** Print one result line: "name=NAME " then the formatted rest, flushed. */
void bench_emit(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Print a diagnostic to stderr, prefixed "pmif-bench: ". */
void bench_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Parse "1,8,32,128" into @p out (at most @p cap); returns the count. */
size_t bench_parse_list(const char *s, unsigned *out, size_t cap);

/* ------------------------------------------------------------ /proc */

/** Bytes @p pid has caused to be written to storage (/proc/PID/io
 *  write_bytes; pid 0: this process), or -1. */
long long bench_write_bytes(pid_t pid);

/** VmRSS of @p pid in KiB, or -1. */
long bench_rss_kb(pid_t pid);
/** Resident KiB of the mappings of @p pid whose path ends in @p suffix
 *  (from /proc/PID/smaps), or -1. */
long bench_map_rss_kb(pid_t pid, const char *suffix);

#define BENCH_MAX_THREADS 512

/* CPU time of a process and of each of its threads, in clock ticks. */
struct bench_cpu {
	double wall_us;
	unsigned long long total;
	size_t n;
	pid_t tid[BENCH_MAX_THREADS];
	unsigned long long ticks[BENCH_MAX_THREADS];
};

/** Snapshot the CPU use of @p pid; 0 or -1 (pid 0: an empty snapshot). */
int bench_cpu_read(pid_t pid, struct bench_cpu *out);
/** Cores used between two snapshots (1.0 = one core busy all the time),
 *  and the busiest single thread's share in *top (may be NULL). */
double bench_cpu_cores(const struct bench_cpu *a, const struct bench_cpu *b, double *top);

/* ------------------------------------------------------------ load runner */

/*
 * A closed-loop load: @p threads threads each call op(arg, i) back to back.
 * After a warm-up the runner measures for @p seconds, samples the RSS and
 * CPU of @p pid (0: none) meanwhile, then stops every thread.  The
 * latencies of the window are also appended to @p keep (may be NULL).
 * op returns 0 for a completed call, 1 for a call the server answered with
 * an error, -1 when the thread cannot go on.
 */
typedef int (*bench_op)(void *arg, unsigned thread);

struct bench_load {
	double seconds;        /* measured */
	unsigned long long ok; /* completed in the window */
	unsigned long long errors;
	unsigned failed_threads;
	double ops_per_s;
	double median_us, p99_us;
	double cpu_cores, cpu_top; /* of the watched process */
	double self_cpu;           /* cores this (client) process used */
	double machine_busy;       /* share of all cores busy, from /proc/stat */
	long rss_max_kb;
};

/** CPU time this process has used, in clock ticks. */
unsigned long long bench_self_ticks(void);

/** Busy and total jiffies of the whole machine (/proc/stat "cpu" line). */
int bench_machine_ticks(unsigned long long *busy, unsigned long long *total);

int bench_load_run(unsigned threads, bench_op op, void *arg, double warmup_s, double seconds,
                   pid_t pid, struct bench_load *out, struct bench_samples *keep);

/** Add run @p l to the running total @p acc (rates and shares weighted by
 *  time; percentiles from @p samples, the merged latencies so far). */
void bench_load_add(struct bench_load *acc, const struct bench_load *l,
                    struct bench_samples *samples);

/* ------------------------------------------------------------ sockets */

/** A connected REQ socket with nanomsg's own resends off, or -1. */
int bench_req_socket(const char *url, int timeout_ms);
void bench_set_timeout(int sock, int timeout_ms);

/* ------------------------------------------------------------ PMIF client */

struct bench_chan {
	int sock;
	uint64_t id;
	struct pmif_noise_cipher tx, rx;
	uint64_t next;
	uint8_t token[64];
	size_t token_len;
	uint8_t *pt; /* reply plaintext buffer */
	size_t pt_cap;
};

/* What one call brought back. */
struct bench_reply {
	int code;                 /* Pmif__Code, or -1 when there was no usable answer */
	char message[256];        /* the server's message, or why there was no answer */
	size_t req_bytes;         /* sealed request frame */
	size_t rep_bytes;         /* reply frame */
	uint8_t rid[16];          /* the request id sent */
	ProtobufCBinaryData body; /* reply body; valid until the next call */
};

/** Open a socket to @p url (timeout in ms for each send and receive). */
int bench_chan_connect(struct bench_chan *c, const char *url, int timeout_ms);
/**
 * Run the Noise_NX handshake on c's socket (a fresh channel each time) and
 * check the server key against @p fp ("SHA256:..."; NULL: do not check).
 * Returns 0, or -1 with why in @p why; *busy set when the server refused
 * for load (too many handshakes) rather than for a fault.
 */
int bench_chan_handshake(struct bench_chan *c, const char *fp, char *why, size_t cap, bool *busy);
void bench_chan_close(struct bench_chan *c);

/** Call @p method with input @p in.  Returns 0 when a reply came (its code
 *  in r->code), -1 when none did. */
int bench_call(struct bench_chan *c, const ProtobufCMethodDescriptor *method,
               const ProtobufCMessage *in, struct bench_reply *r);
/** Log in; retries while the server is busy hashing or throttling.
 *  0, or -1 with the reason in r->message. */
int bench_login(struct bench_chan *c, const char *user, const char *password,
                struct bench_reply *r);

/** Connect, handshake and log in as @p user with the password in the
 *  environment variable BENCH_PASSWORD (never on the command line). */
int bench_session(struct bench_chan *c, const char *url, const char *fp, const char *user,
                  int timeout_ms, char *why, size_t cap);

/** The method @p name of this build's Pmif service, or NULL. */
const ProtobufCMethodDescriptor *bench_method(const char *name);
/** Name of a Pmif code ("OK", "NOT_FOUND", ...). */
const char *bench_code_name(int code);

/*
 * Request builders are data: a method name and up to four "field=value"
 * pairs, set by name through the generated descriptor so a table entry
 * compiles even before its method exists.  Values: strings as they are,
 * enums by value name ("MEASURE"), numbers in decimal, bools "true"/"false";
 * a repeated string field takes one value.  "{t}" in a value becomes the
 * caller's substitution (e.g. a per-thread user name).
 */
struct bench_field {
	const char *name;
	const char *value;
};

struct bench_rpc {
	const char *method;
	const char *what; /* for people: the user-level operation */
	struct bench_field fields[4];
};

/**
 * Build the input message of @p m from @p rpc's fields, with "{t}"
 * replaced by @p subst (may be NULL).  Returns 0 and *out (free with
 * bench_msg_free), or -1 with the reason in @p why.
 */
int bench_msg_build(const ProtobufCMethodDescriptor *m, const struct bench_rpc *rpc,
                    const char *subst, ProtobufCMessage **out, char *why, size_t cap);
void bench_msg_free(ProtobufCMessage *msg);

/* ------------------------------------------------------------ subcommands */

int bench_cmd_echo_server(int argc, char **argv);
int bench_cmd_floor(int argc, char **argv);
int bench_cmd_read(int argc, char **argv);
int bench_cmd_load(int argc, char **argv);
int bench_cmd_handshake(int argc, char **argv);
int bench_cmd_lmdb(int argc, char **argv);
int bench_cmd_rss(int argc, char **argv);
int bench_cmd_csv_gen(int argc, char **argv);
int bench_cmd_sqlite_import(int argc, char **argv);
int bench_cmd_csv_import(int argc, char **argv);
int bench_cmd_fw_gen(int argc, char **argv);
int bench_cmd_report_size(int argc, char **argv);
int bench_cmd_soak(int argc, char **argv);

/* The floor: a REQ/REP round trip of @p req bytes out and @p rep back.
 * Requests start with "ECHO" and the wanted reply size (be32). */
#define BENCH_ECHO_MIN 8
int bench_echo_roundtrip(int sock, uint8_t *buf, size_t req, size_t rep);
void bench_echo_prepare(uint8_t *buf, size_t req, size_t rep);

/* Options shared by subcommands: "--name value" pairs. */
const char *bench_opt(int argc, char **argv, const char *name, const char *dflt);
double bench_opt_num(int argc, char **argv, const char *name, double dflt);

#endif
