/*
 * rpc_import.c - ValueImport and ValueImportCheck (the dry run): a values
 * CSV file applied all-or-nothing in one transaction.
 *
 * Every row goes through the same rules as ValueSet (values_entry.c).  The
 * whole file is checked before anything is kept: if any row is refused,
 * the reply lists each bad row by its line number and the write's
 * transaction is discarded, so nothing changes.  One audit entry records
 * the import; each value's revisions (who, when, old, new) are in its
 * history like any other entry.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "error.h"
#include "import_csv.h"
#include "server.h"
#include "values_entry.h"

#define IMPORT_MAX_ROWS     2000000
#define IMPORT_MAX_PROBLEMS 100
#define IMPORT_MAX_WARNINGS 20
/* Start a row's scratch memory afresh past this much. */
#define SCRATCH_RESET ((size_t)4 << 20)

struct import_state {
	struct import_csv csv;
	int parsed;
};

static struct import_state *parse(struct rpc_ctx *ctx)
{
	const Pmif__ValueImportRequest *in = (const void *)ctx->in;
	struct import_state *st = ctx->prep;

	if (st && st->parsed)
		return st;
	st = ARENA_NEW(ctx->arena, struct import_state);
	if (st == NULL)
		return NULL;
	if (import_csv_parse((const char *)in->csv.data, in->csv.len, IMPORT_MAX_ROWS,
	                     IMPORT_MAX_PROBLEMS, ctx->arena, &st->csv) != 0)
		return NULL;
	st->parsed = 1;
	ctx->prep = st;
	return st;
}

int owner_of_import(struct rpc_ctx *ctx, const char ***dirs, size_t *n)
{
	struct import_state *st = parse(ctx);
	struct entry_cache *cache = entry_cache_new(ctx);
	const char **out;
	size_t count = 0;

	if (st == NULL || cache == NULL)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "the file is too large or could not be read: at most %d rows",
		                IMPORT_MAX_ROWS);
	out = ARENA_ARRAY(ctx->arena, const char *, 64);
	for (size_t i = 0; out && i < st->csv.n_rows; i++) {
		const Pmif__Measure *m;
		bool seen = false;

		if (entry_measure(ctx, cache, st->csv.rows[i].field[IMP_MEASURE], &m) != 0)
			continue; /* the import names the line */
		for (size_t k = 0; k < count && !seen; k++)
			seen = strcmp(out[k], m->directorate) == 0;
		if (!seen && count < 64)
			out[count++] = m->directorate;
	}
	*dirs = out;
	*n = count;
	return 0;
}

/* Strict number: the whole field, finite or not (validation says which). */
static int number(const char *s, double *out)
{
	char *end;

	if (s[0] == '\0')
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	return *end == '\0' ? 0 : -1;
}

static void add_problem(struct rpc_ctx *ctx, Pmif__ValueImportReply *r, size_t *cap, unsigned line,
                        const char *msg)
{
	r->problem_count++;
	if (r->n_problems >= IMPORT_MAX_PROBLEMS)
		return;
	if (r->n_problems == *cap) {
		Pmif__ImportProblem **grown =
		    ARENA_ARRAY(ctx->arena, Pmif__ImportProblem *, *cap ? *cap * 2 : 16);
		if (grown == NULL)
			return;
		if (r->n_problems)
			memcpy(grown, r->problems, sizeof(*grown) * r->n_problems);
		r->problems = grown;
		*cap = *cap ? *cap * 2 : 16;
	}
	r->problems[r->n_problems] = ARENA_NEW(ctx->arena, Pmif__ImportProblem);
	if (r->problems[r->n_problems] == NULL)
		return;
	pmif__import_problem__init(r->problems[r->n_problems]);
	r->problems[r->n_problems]->line = line;
	r->problems[r->n_problems]->message = arena_strdup(ctx->arena, msg);
	r->n_problems++;
}

/* Turn a row into a ValueSet request; a message on a malformed number. */
static const char *row_request(const struct import_row *row, Pmif__ValueSetRequest *req)
{
	const char *num = row->field[IMP_NUMERATOR], *den = row->field[IMP_DENOMINATOR];

	pmif__value_set_request__init(req);
	req->measure = (char *)row->field[IMP_MEASURE];
	req->period = (char *)row->field[IMP_PERIOD];
	req->locality = (char *)row->field[IMP_LOCALITY];
	req->note = (char *)row->field[IMP_NOTE];
	if (row->field[IMP_VALUE][0] == '\0')
		return "value: missing: every row needs a value";
	if (number(row->field[IMP_VALUE], &req->value) != 0)
		return "value: not a number";
	if (num[0] || den[0]) {
		req->has_fraction = true;
		if (!num[0] || !den[0])
			return "give the numerator and the denominator together, or neither";
		if (number(num, &req->numerator) != 0)
			return "numerator: not a number";
		if (number(den, &req->denominator) != 0)
			return "denominator: not a number";
	}
	return NULL;
}

/* Each (measure, period, locality) at most once in a file. */
struct seen_set {
	const char **keys;
	unsigned *lines;
	size_t cap;
};

static unsigned seen_before(struct rpc_ctx *ctx, struct seen_set *s, const Pmif__ValueSetRequest *q,
                            unsigned line)
{
	char *key = arena_printf(ctx->arena, "%s\x1f%s\x1f%s", q->measure, q->period,
	                         q->locality[0] ? q->locality : "borough");
	uint32_t h = 2166136261u;

	if (key == NULL)
		return 0;
	for (const char *p = key; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	for (size_t i = 0; i < s->cap; i++) {
		size_t at = (h + i) % s->cap;
		if (s->keys[at] == NULL) {
			s->keys[at] = key;
			s->lines[at] = line;
			return 0;
		}
		if (strcmp(s->keys[at], key) == 0)
			return s->lines[at];
	}
	return 0;
}

static int by_line(const void *a, const void *b)
{
	const Pmif__ImportProblem *x = *(Pmif__ImportProblem *const *)a;
	const Pmif__ImportProblem *y = *(Pmif__ImportProblem *const *)b;

	return x->line < y->line ? -1 : x->line > y->line;
}

static int run_import(struct rpc_ctx *ctx, bool dry_run)
{
	const Pmif__ValueImportRequest *in = (const void *)ctx->in;
	Pmif__ValueImportReply *r = ARENA_NEW(ctx->arena, Pmif__ValueImportReply);
	struct entry_cache *cache = entry_cache_new(ctx);
	struct import_state *st = parse(ctx);
	struct seen_set seen = {0};
	struct timespec t0, t1;
	struct arena scratch, *main = ctx->arena;
	size_t cap = 0, wcap = IMPORT_MAX_WARNINGS;
	int rc;
	char msg[600];

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (r == NULL || cache == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (st == NULL)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "the file is too large: at most %d rows in one import",
		                IMPORT_MAX_ROWS);
	pmif__value_import_reply__init(r);
	r->dry_run = dry_run;
	r->warnings = ARENA_ARRAY(ctx->arena, char *, wcap);
	for (size_t i = 0; i < st->csv.n_problems && i < IMPORT_MAX_PROBLEMS; i++)
		add_problem(ctx, r, &cap, st->csv.problems[i].line, st->csv.problems[i].message);
	seen.cap = st->csv.n_rows * 2 + 1;
	seen.keys = ARENA_ARRAY(ctx->arena, const char *, seen.cap);
	seen.lines = ARENA_ARRAY(ctx->arena, unsigned, seen.cap);
	if (seen.keys == NULL || seen.lines == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");

	arena_init(&scratch, 0);
	for (size_t i = 0; i < st->csv.n_rows; i++) {
		const struct import_row *row = &st->csv.rows[i];
		Pmif__ValueSetRequest req;
		struct entry_result res;
		const char *bad = row_request(row, &req);
		unsigned first;

		r->rows++;
		if (bad) {
			add_problem(ctx, r, &cap, row->line, bad);
			continue;
		}
		if ((first = seen_before(ctx, &seen, &req, row->line)) != 0) {
			snprintf(msg, sizeof(msg), "repeats the value of line %u (%s %s %s)", first,
			         req.measure, req.period,
			         req.locality[0] ? req.locality : "borough");
			add_problem(ctx, r, &cap, row->line, msg);
			continue;
		}
		/* what one row allocates (its series, records) lives only for
		 * the row: a million rows must not keep a million histories */
		ctx->arena = &scratch;
		rc = entry_apply(ctx, cache, &req, dry_run, &res);
		ctx->arena = main;
		if (rc != 0) {
			add_problem(ctx, r, &cap, row->line,
			            ctx->message ? ctx->message : "refused");
			ctx->code = PMIF__CODE__OK;
			ctx->message = NULL;
		} else {
			r->added += res.outcome == ENTRY_ADDED;
			r->changed += res.outcome == ENTRY_CHANGED;
			r->unchanged += res.outcome == ENTRY_UNCHANGED;
			for (size_t w = 0; w < res.check.n_warnings && r->n_warnings < wcap; w++)
				r->warnings[r->n_warnings++] = arena_printf(
				    ctx->arena, "line %u: %s", row->line, res.check.warnings[w]);
		}
		if (scratch.used > SCRATCH_RESET) {
			arena_release(&scratch);
			arena_init(&scratch, 0);
		}
	}
	arena_release(&scratch);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->server_time_us =
	    (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000);
	if (r->problem_count) {
		qsort(r->problems, r->n_problems, sizeof(*r->problems), by_line);
		/* every bad line (up to IMPORT_MAX_PROBLEMS), one per line */
		char *text = arena_printf(ctx->arena,
		                          "%s was refused and nothing was imported: %u "
		                          "problem%s",
		                          in->file_name[0] ? in->file_name : "the file",
		                          r->problem_count, r->problem_count == 1 ? "" : "s");
		for (size_t i = 0; text && i < r->n_problems; i++)
			text = arena_printf(ctx->arena, "%s\n  line %u: %s", text,
			                    r->problems[i]->line, r->problems[i]->message);
		if (text && r->problem_count > r->n_problems)
			text = arena_printf(ctx->arena, "%s\n  and %zu more", text,
			                    (size_t)r->problem_count - r->n_problems);
		ctx->code = PMIF__CODE__INVALID_ARGUMENT;
		ctx->message = text ? text : "the file was refused and nothing was imported";
		return ctx->code;
	}
	ctx->audit_key =
	    arena_printf(ctx->arena, "import/%s", in->file_name[0] ? in->file_name : "values.csv");
	ctx->audit_detail = arena_printf(ctx->arena, "%u rows: %u added, %u changed, %u unchanged",
	                                 r->rows, r->added, r->changed, r->unchanged);
	return RPC_REPLY(ctx, r);
}

int rpc_value_import(struct rpc_ctx *ctx)
{
	return run_import(ctx, false);
}

int rpc_value_import_check(struct rpc_ctx *ctx)
{
	return run_import(ctx, true);
}
