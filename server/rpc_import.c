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
#include <stdint.h>
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
	st = ARENA_NEW(ctx->op.arena, struct import_state);
	if (st == NULL)
		return NULL;
	/* the request's copy of the file is this request's own: the rows are
	 * cut out of it in place */
	if (import_csv_parse((char *)in->csv.data, in->csv.len, IMPORT_MAX_ROWS,
	                     IMPORT_MAX_PROBLEMS, ctx->op.arena, &st->csv) != 0)
		return NULL;
	st->parsed = 1;
	ctx->prep = st;
	return st;
}

/*
 * A directorate user imports only what their directorates own.  Checked
 * here, row by row, rather than by the dispatcher for the whole file, so
 * the reply names every line that is not theirs beside every other
 * problem of the file, in one pass.  NULL when the row's measure is the
 * caller's (or unknown: entry_apply names that); else the sentence, in
 * @p msg.
 */
static const char *row_scope(struct rpc_ctx *ctx, struct entry_cache *cache, const char *measure,
                             char *msg, size_t cap)
{
	const Pmif__Measure *m;
	size_t used;

	if (ctx->op.actor.role != PMIF__ROLE__DIRECTORATE ||
	    entry_measure(&ctx->op, cache, measure, &m) != 0)
		return NULL;
	for (size_t k = 0; k < ctx->op.actor.n_directorates; k++)
		if (strcmp(m->directorate, ctx->op.actor.directorates[k]) == 0)
			return NULL;
	used = (size_t)snprintf(msg, cap, "%s belongs to %s; '%s' may change only what ", measure,
	                        m->directorate, ctx->op.actor.name);
	for (size_t k = 0; k < ctx->op.actor.n_directorates && used < cap; k++)
		used += (size_t)snprintf(msg + used, cap - used, "%s%s", k ? ", " : "",
		                         ctx->op.actor.directorates[k]);
	if (used < cap)
		snprintf(msg + used, cap - used, " own%s: leave the line out or ask %s",
		         ctx->op.actor.n_directorates == 1 ? "s" : "", m->directorate);
	return msg;
}

/* Strict number: the whole field, finite or not (validation says which). */
static int number(const char *s, double *out)
{
	static const double pow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
	                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	const char *p = s + (*s == '-' || *s == '+');
	uint64_t m = 0;
	int digits = 0, frac = -1;
	char *end;

	if (s[0] == '\0')
		return -1;
	/* plain decimals ("81.3", "-2", "1000") of at most 15 digits: the
	 * digits and the power of ten are exact doubles, so one division
	 * rounds correctly, giving what strtod gives, several times faster */
	for (; digits <= 15; p++) {
		if (*p >= '0' && *p <= '9') {
			m = m * 10 + (uint64_t)(*p - '0');
			digits++;
			frac += frac >= 0;
		} else if (*p == '.' && frac < 0) {
			frac = 0;
		} else {
			break;
		}
	}
	if (*p == '\0' && digits > 0 && digits <= 15) {
		*out = frac > 0 ? (double)m / pow10[frac] : (double)m;
		if (s[0] == '-')
			*out = -*out;
		return 0;
	}
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
		size_t grown_cap = arena_next_cap(*cap, 16);
		Pmif__ImportProblem **grown = arena_regrow(
		    ctx->op.arena, r->problems, r->n_problems, grown_cap, sizeof(*grown));
		if (grown == NULL)
			return;
		r->problems = grown;
		*cap = grown_cap;
	}
	r->problems[r->n_problems] = ARENA_NEW(ctx->op.arena, Pmif__ImportProblem);
	if (r->problems[r->n_problems] == NULL)
		return;
	pmif__import_problem__init(r->problems[r->n_problems]);
	r->problems[r->n_problems]->line = line;
	r->problems[r->n_problems]->message = arena_strdup(ctx->op.arena, msg);
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

/* Each (measure, period, locality) at most once in a file: a hash set of
 * the rows seen so far (hash << 32 | row index + 1; 0 is a free slot),
 * compared by their fields in place when the hashes match. */
struct seen_set {
	const struct import_row *rows;
	uint64_t *slots;
	size_t cap; /* a power of two, at least twice the rows */
};

static const char *row_locality(const struct import_row *r)
{
	return r->field[IMP_LOCALITY][0] ? r->field[IMP_LOCALITY] : VALUES_BOROUGH;
}

static uint32_t fnv(uint32_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return (h ^ 0x1f) * 16777619u;
}

static uint32_t seen_hash(const struct import_row *r)
{
	return fnv(fnv(fnv(2166136261u, r->field[IMP_MEASURE]), r->field[IMP_PERIOD]),
	           row_locality(r));
}

/* The line of an earlier row with the same key as rows[i] (whose
 * seen_hash is @p h), or 0 after adding rows[i]. */
static unsigned seen_before(struct seen_set *s, size_t i, uint32_t h)
{
	const struct import_row *r = &s->rows[i];
	const char *loc = row_locality(r);

	for (size_t at = h & (s->cap - 1);; at = (at + 1) & (s->cap - 1)) {
		const struct import_row *o;

		if (s->slots[at] == 0) {
			s->slots[at] = (uint64_t)h << 32 | ((uint32_t)i + 1);
			return 0;
		}
		if (s->slots[at] >> 32 != h)
			continue;
		o = &s->rows[(uint32_t)s->slots[at] - 1];
		if (strcmp(o->field[IMP_MEASURE], r->field[IMP_MEASURE]) == 0 &&
		    strcmp(o->field[IMP_PERIOD], r->field[IMP_PERIOD]) == 0 &&
		    strcmp(row_locality(o), loc) == 0)
			return o->line;
	}
}

static int by_line(const void *a, const void *b)
{
	const Pmif__ImportProblem *x = *(Pmif__ImportProblem *const *)a;
	const Pmif__ImportProblem *y = *(Pmif__ImportProblem *const *)b;

	return x->line < y->line ? -1 : x->line > y->line;
}

/* The file is refused: every problem (up to IMPORT_MAX_PROBLEMS), one a
 * line, in line order, in one message.  @p not_theirs of them are rows of
 * another directorate's measures. */
static int refuse_file(struct rpc_ctx *ctx, Pmif__ValueImportReply *r, const char *file_name,
                       unsigned not_theirs)
{
	char *text;

	qsort(r->problems, r->n_problems, sizeof(*r->problems), by_line);
	text = arena_printf(ctx->op.arena,
	                    "%s was refused and nothing was imported: %u "
	                    "problem%s",
	                    file_name[0] ? file_name : "the file", r->problem_count,
	                    r->problem_count == 1 ? "" : "s");
	for (size_t i = 0; text && i < r->n_problems; i++)
		text = arena_printf(ctx->op.arena, "%s\n  line %u: %s", text, r->problems[i]->line,
		                    r->problems[i]->message);
	if (text && r->problem_count > r->n_problems)
		text = arena_printf(ctx->op.arena, "%s\n  and %zu more", text,
		                    (size_t)r->problem_count - r->n_problems);
	/* a file refused only for what is not the caller's is a permission
	 * refusal; with any other problem, a problem of the file */
	ctx->op.code = not_theirs == r->problem_count ? PMIF__CODE__PERMISSION_DENIED
	                                              : PMIF__CODE__INVALID_ARGUMENT;
	ctx->op.message = text ? text : "the file was refused and nothing was imported";
	return ctx->op.code;
}

static int run_import(struct rpc_ctx *ctx, bool dry_run)
{
	const Pmif__ValueImportRequest *in = (const void *)ctx->in;
	Pmif__ValueImportReply *r = ARENA_NEW(ctx->op.arena, Pmif__ValueImportReply);
	struct entry_cache *cache = entry_cache_new(&ctx->op);
	struct import_state *st = parse(ctx);
	struct seen_set seen = {0};
	uint32_t h_next;
	struct timespec t0, t1;
	struct arena scratch, *main = ctx->op.arena;
	size_t cap = 0, wcap = IMPORT_MAX_WARNINGS;
	unsigned not_theirs = 0; /* rows refused for scope alone */
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
	r->warnings = ARENA_ARRAY(ctx->op.arena, char *, wcap);
	for (size_t i = 0; i < st->csv.n_problems && i < IMPORT_MAX_PROBLEMS; i++)
		add_problem(ctx, r, &cap, st->csv.problems[i].line, st->csv.problems[i].message);
	seen.rows = st->csv.rows;
	for (seen.cap = 16; seen.cap < st->csv.n_rows * 2; seen.cap *= 2)
		;
	seen.slots = ARENA_ARRAY(ctx->op.arena, uint64_t, seen.cap);
	if (seen.slots == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");

	arena_init(&scratch, 0);
	h_next = st->csv.n_rows ? seen_hash(&st->csv.rows[0]) : 0;
	for (size_t i = 0; i < st->csv.n_rows; i++) {
		const struct import_row *row = &st->csv.rows[i];
		uint32_t h = h_next;
		Pmif__ValueSetRequest req;
		struct entry_result res;
		const char *bad = row_request(row, &req);
		unsigned first;

		r->rows++;
		if (i + 1 < st->csv.n_rows) {
			/* the table is too big for the cache: ask for the next
			 * row's slot now, and this row's work hides the wait */
			h_next = seen_hash(&st->csv.rows[i + 1]);
			__builtin_prefetch(&seen.slots[h_next & (seen.cap - 1)]);
		}
		if (bad) {
			add_problem(ctx, r, &cap, row->line, bad);
			continue;
		}
		if ((bad = row_scope(ctx, cache, req.measure, msg, sizeof(msg))) != NULL) {
			add_problem(ctx, r, &cap, row->line, bad);
			not_theirs++;
			continue;
		}
		if ((first = seen_before(&seen, i, h)) != 0) {
			snprintf(msg, sizeof(msg), "repeats the value of line %u (%s %s %s)", first,
			         req.measure, req.period,
			         req.locality[0] ? req.locality : "borough");
			add_problem(ctx, r, &cap, row->line, msg);
			continue;
		}
		/* what one row allocates (its series, records) lives only for
		 * the row: a million rows must not keep a million histories */
		ctx->op.arena = &scratch;
		rc = entry_apply(&ctx->op, cache, &req, dry_run, &res);
		ctx->op.arena = main;
		if (rc != 0) {
			add_problem(ctx, r, &cap, row->line,
			            ctx->op.message ? ctx->op.message : "refused");
			ctx->op.code = PMIF__CODE__OK;
			ctx->op.message = NULL;
		} else {
			r->added += res.outcome == ENTRY_ADDED;
			r->changed += res.outcome == ENTRY_CHANGED;
			r->unchanged += res.outcome == ENTRY_UNCHANGED;
			for (size_t w = 0; w < res.check.n_warnings && r->n_warnings < wcap; w++)
				r->warnings[r->n_warnings++] = arena_printf(
				    ctx->op.arena, "line %u: %s", row->line, res.check.warnings[w]);
		}
		if (scratch.used > SCRATCH_RESET) {
			arena_release(&scratch);
			arena_init(&scratch, 0);
		}
	}
	arena_release(&scratch);
	/* entry_apply kept the values in the cache: store them, in key order */
	if (r->problem_count == 0 && entry_cache_flush(&ctx->op, cache) != 0)
		return ctx->op.code;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->server_time_us =
	    (uint64_t)((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000);
	if (r->problem_count)
		return refuse_file(ctx, r, in->file_name, not_theirs);
	ctx->audit_key = arena_printf(ctx->op.arena, "import/%s",
	                              in->file_name[0] ? in->file_name : "values.csv");
	ctx->audit_detail =
	    arena_printf(ctx->op.arena, "%u rows: %u added, %u changed, %u unchanged", r->rows,
	                 r->added, r->changed, r->unchanged);
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
