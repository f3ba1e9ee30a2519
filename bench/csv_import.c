/*
 * csv_import.c - the CSV import benchmark.
 *
 *   pmif-bench csv-gen FILE [--rows N]
 *       rows "measure,period,locality,value,numerator,denominator,note":
 *       measures BENCH-00001... x the 20 quarters 2019-20-Q1..2023-24-Q4 x
 *       the five demo localities, every (measure, period, locality) once;
 *       every row has a note (red values need one), one in 16 with a comma
 *       and doubled quotes, so the parser has real CSV to read.  Deterministic: the same N gives
 * the same file. pmif-bench sqlite-import FILE DB sqlite3 (default durability: rollback journal,
 * synchronous=FULL) imports FILE into a table with a unique index on (measure, period, locality) in
 * one transaction, parsing with libcsv; values/s. pmif-bench csv-import FILE --pmif URL --fp FP
 * --user USER the same file through PMIF's ValueImport when this build has it (the table below says
 * how its request is built), else "n/a".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

#ifdef BENCH_HAVE_SQLITE
#include <csv.h>
#include <sqlite3.h>
#endif

static const char *const localities[] = {"borough", "birtley", "chopwell", "central", "felling"};
#define N_LOCALITIES 5
#define N_QUARTERS   20

/* Import a file: "{t}" is its path, the whole file or a chunk of it. */
static const struct bench_rpc import_rpc = {
    "ValueImport", "value import", {{"csv", "@{t}"}, {"file_name", "{t}"}}};

int bench_cmd_csv_gen(int argc, char **argv)
{
	unsigned long rows = (unsigned long)bench_opt_num(argc, argv, "--rows", 1000000);
	uint64_t x = 0x9e3779b97f4a7c15ull;
	FILE *f;

	if (argc < 2 || argv[1][0] == '-') {
		fprintf(stderr, "usage: pmif-bench csv-gen FILE [--rows N]\n");
		return 2;
	}
	f = fopen(argv[1], "w");
	if (f == NULL) {
		bench_note("cannot write %s", argv[1]);
		return 1;
	}
	fprintf(f, "measure,period,locality,value,numerator,denominator,note\n");
	for (unsigned long i = 0; i < rows; i++) {
		unsigned long m = i / (N_QUARTERS * N_LOCALITIES) + 1;
		unsigned q = (unsigned)(i / N_LOCALITIES % N_QUARTERS);
		const char *loc = localities[i % N_LOCALITIES];
		unsigned den, num;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		den = 500 + (unsigned)(x % 9500);
		num = (unsigned)((x >> 20) % (den + 1));
		fprintf(f, "BENCH-%05lu,%u-%02u-Q%u,%s,%.1f,%u,%u,%s\n", m, 2019 + q / 4,
		        (20 + q / 4) % 100, q % 4 + 1, loc, 100.0 * num / den, num, den,
		        i % 16 == 7 ? "\"Rose after a change of method, see \"\"note\"\" 3\""
		                    : "generated for the benchmark");
	}
	if (fclose(f) != 0) {
		bench_note("cannot write %s", argv[1]);
		return 1;
	}
	bench_emit("csv.gen", "rows=%lu file=%s", rows, argv[1]);
	return 0;
}

#ifdef BENCH_HAVE_SQLITE
struct sq {
	sqlite3_stmt *ins;
	int field;
	unsigned long rows;
	int rc;
	bool header;
};

static void on_field(void *s, size_t len, void *arg)
{
	struct sq *q = arg;

	if (!q->header && q->field < 7) {
		if (q->field >= 3 && q->field <= 5)
			sqlite3_bind_double(q->ins, q->field + 1, strtod(s, NULL));
		else if (q->field == 6 && len == 0)
			sqlite3_bind_null(q->ins, 7);
		else
			sqlite3_bind_text(q->ins, q->field + 1, s, (int)len, SQLITE_TRANSIENT);
	}
	q->field++;
}

static void on_row(int c, void *arg)
{
	struct sq *q = arg;

	(void)c;
	if (q->header) {
		q->header = false;
	} else if (q->rc == SQLITE_OK) {
		if (sqlite3_step(q->ins) != SQLITE_DONE)
			q->rc = SQLITE_ERROR;
		else
			q->rows++;
		sqlite3_reset(q->ins);
	}
	q->field = 0;
}

int bench_cmd_sqlite_import(int argc, char **argv)
{
	struct sq q = {.header = true, .rc = SQLITE_OK};
	struct csv_parser p;
	sqlite3 *db = NULL;
	char buf[1 << 16];
	struct stat st;
	double t0, secs;
	size_t n;
	FILE *f;

	if (argc < 3) {
		fprintf(stderr, "usage: pmif-bench sqlite-import FILE.csv DB\n");
		return 2;
	}
	unlink(argv[2]);
	t0 = bench_now_us();
	f = fopen(argv[1], "rb");
	if (f == NULL || sqlite3_open(argv[2], &db) != SQLITE_OK ||
	    sqlite3_exec(db,
	                 "CREATE TABLE vals(measure TEXT NOT NULL, period TEXT NOT NULL, "
	                 "locality TEXT NOT NULL, value REAL, numerator REAL, denominator REAL, "
	                 "note TEXT);"
	                 "CREATE UNIQUE INDEX vals_key ON vals(measure, period, locality);"
	                 "BEGIN;",
	                 NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "INSERT INTO vals VALUES(?,?,?,?,?,?,?)", -1, &q.ins, NULL) !=
	        SQLITE_OK ||
	    csv_init(&p, CSV_STRICT | CSV_APPEND_NULL) != 0) {
		bench_note("sqlite import: %s", db ? sqlite3_errmsg(db) : "cannot open the file");
		return 1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0 && q.rc == SQLITE_OK)
		if (csv_parse(&p, buf, n, on_field, on_row, &q) != n) {
			bench_note("sqlite import: CSV error: %s", csv_strerror(csv_error(&p)));
			return 1;
		}
	csv_fini(&p, on_field, on_row, &q);
	csv_free(&p);
	fclose(f);
	sqlite3_finalize(q.ins);
	if (q.rc != SQLITE_OK || sqlite3_exec(db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK) {
		bench_note("sqlite import failed: %s", sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_close(db);
	secs = (bench_now_us() - t0) / 1e6;
	stat(argv[2], &st);
	bench_emit("csv.sqlite", "rows=%lu seconds=%.2f values_per_s=%.0f db_bytes=%lld version=%s",
	           q.rows, secs, q.rows / secs, (long long)st.st_size, sqlite3_libversion());
	return 0;
}
#else
int bench_cmd_sqlite_import(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	bench_emit("csv.sqlite", "status=skipped reason=\"pmif-bench was built without "
	                         "libsqlite3-dev and libcsv-dev\"");
	return 0;
}
#endif

/* Split @p csv into chunk files of at most @p chunk_bytes, each with the
 * header line; returns the number written as DIR/chunk-N.csv. */
static int split(const char *csv, const char *dir, size_t chunk_bytes)
{
	char header[256], line[1024], path[512];
	FILE *in = fopen(csv, "r"), *out = NULL;
	size_t size = 0;
	int chunks = 0;

	if (in == NULL || fgets(header, sizeof(header), in) == NULL) {
		if (in)
			fclose(in);
		return -1;
	}
	while (fgets(line, sizeof(line), in)) {
		if (out == NULL || size + strlen(line) > chunk_bytes) {
			if (out)
				fclose(out);
			snprintf(path, sizeof(path), "%s/chunk-%d.csv", dir, chunks++);
			if ((out = fopen(path, "w")) == NULL)
				break;
			fputs(header, out);
			size = strlen(header);
		}
		fputs(line, out);
		size += strlen(line);
	}
	if (out)
		fclose(out);
	fclose(in);
	return chunks;
}

/* Import the chunks of @p chunk_bytes (0: the whole file in one request,
 * as 'pmif value import' sends it); 0 with *secs, or -1 with why. */
static int import_chunks(struct bench_chan *c, const ProtobufCMethodDescriptor *m, const char *csv,
                         const char *tmp, size_t chunk_bytes, int *chunks, double *secs, char *why,
                         size_t cap)
{
	char path[512];
	double t0;
	int n = chunk_bytes ? split(csv, tmp, chunk_bytes) : 1, rc = 0;

	if (n <= 0) {
		snprintf(why, cap, "cannot split %s into %s", csv, tmp);
		return -1;
	}
	t0 = bench_now_us();
	for (int i = 0; i < n; i++) {
		ProtobufCMessage *in = NULL;
		struct bench_reply r;

		if (chunk_bytes)
			snprintf(path, sizeof(path), "%s/chunk-%d.csv", tmp, i);
		else
			snprintf(path, sizeof(path), "%s", csv);
		if (rc == 0 && bench_msg_build(m, &import_rpc, path, &in, why, cap) != 0) {
			rc = -1;
		} else if (rc == 0 && (bench_call(c, m, in, &r) != 0 || r.code != 0)) {
			for (char *p = r.message; *p; p++)
				if (*p == '"' || *p == '\n')
					*p = *p == '"' ? '\'' : ' ';
			snprintf(why, cap, "chunk %d of %d: the server answered %s: %.300s", i + 1,
			         n, bench_code_name(r.code), r.message);
			rc = -1;
		}
		bench_msg_free(in);
		if (chunk_bytes)
			unlink(path);
	}
	*secs = (bench_now_us() - t0) / 1e6;
	*chunks = n;
	return rc;
}

int bench_cmd_csv_import(int argc, char **argv)
{
	const char *url = bench_opt(argc, argv, "--pmif", NULL);
	const char *fp = bench_opt(argc, argv, "--fp", NULL);
	const char *user = bench_opt(argc, argv, "--user", "admin");
	const char *tmp = bench_opt(argc, argv, "--tmp", "/tmp");
	const ProtobufCMethodDescriptor *m = bench_method(import_rpc.method);
	unsigned long rows = (unsigned long)bench_opt_num(argc, argv, "--rows", 0);
	size_t small = (size_t)bench_opt_num(argc, argv, "--retry-mb", 8) << 20;
	struct bench_chan c;
	char why[512], first[512] = "";
	double secs;
	int chunks;

	if (argc < 2 || url == NULL || fp == NULL) {
		fprintf(stderr, "usage: pmif-bench csv-import FILE --pmif URL --fp FP --user USER "
		                "[--rows N] [--tmp DIR] [--retry-mb MB]\n");
		return 2;
	}
	if (m == NULL) {
		bench_emit("csv.pmif", "status=n/a reason=\"this build's Pmif service has no %s\"",
		           import_rpc.method);
		return 0;
	}
	if (bench_session(&c, url, fp, user, 600000, why, sizeof(why)) != 0) {
		bench_note("%s", why);
		return 1;
	}
	/* the whole file in one request, as 'pmif value import' sends it; if the
	 * server refuses that, say why and measure it in smaller requests */
	if (import_chunks(&c, m, argv[1], tmp, 0, &chunks, &secs, why, sizeof(why)) != 0) {
		snprintf(first, sizeof(first), "%s", why);
		if (import_chunks(&c, m, argv[1], tmp, small, &chunks, &secs, why, sizeof(why)) !=
		    0) {
			bench_emit("csv.pmif", "status=n/a reason=\"%s; in %zu MiB requests: %s\"",
			           first, small >> 20, why);
			bench_chan_close(&c);
			return 0;
		}
	}
	bench_emit("csv.pmif",
	           "status=ok rows=%lu chunks=%d seconds=%.2f values_per_s=%.0f "
	           "whole_file_refused=\"%s\"",
	           rows, chunks, secs, rows / secs, first);
	bench_chan_close(&c);
	return 0;
}
