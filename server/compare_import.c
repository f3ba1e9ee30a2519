/*
 * compare_import.c - checking and loading a comparator CSV (see
 * compare_import.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "comparators_store.h"
#include "compare_import.h"
#include "error.h"
#include "framework.h"
#include "import_csv.h"
#include "measures.h"
#include "periods_store.h"

#define MAX_PROBLEMS 100
#define NAME_MAX_LEN 100
#define SOURCE_MAX   300

/* The sets a file makes, in the order they first appear. */
struct set_list {
	Pmif__ComparatorSetRecord **sets;
	size_t n, cap;
	unsigned *first_line; /* line of each set's first row */
};

struct problems {
	Pmif__ComparatorImportReply *r;
	size_t cap;
};

const char *compare_kind_word(const char *s)
{
	if (s == NULL || s[0] == '\0' || strcmp(s, "council") == 0)
		return "council";
	if (strcmp(s, "national") == 0)
		return "national";
	if (strcmp(s, "regional") == 0)
		return "regional";
	return NULL;
}

static void add_problem(struct op_ctx *op, struct problems *ps, unsigned line, const char *msg)
{
	Pmif__ComparatorImportReply *r = ps->r;
	Pmif__ImportProblem *p;

	r->problem_count++;
	if (r->n_problems >= MAX_PROBLEMS)
		return;
	if (r->n_problems == ps->cap) {
		size_t cap = arena_next_cap(ps->cap, 16);
		Pmif__ImportProblem **grown =
		    arena_regrow(op->arena, r->problems, r->n_problems, cap, sizeof(*grown));
		if (grown == NULL)
			return;
		r->problems = grown;
		ps->cap = cap;
	}
	if ((p = ARENA_NEW(op->arena, Pmif__ImportProblem)) == NULL)
		return;
	pmif__import_problem__init(p);
	p->line = line;
	p->message = arena_strdup(op->arena, msg);
	r->problems[r->n_problems++] = p;
}

/* Text of 1 to @p max bytes, no control characters. */
static bool text_ok(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return true;
}

static int number(const char *s, double *out)
{
	char *end;

	if (s[0] == '\0')
		return -1;
	errno = 0;
	*out = strtod(s, &end);
	return *end == '\0' && errno != ERANGE && isfinite(*out) ? 0 : -1;
}

/* "YYYY-MM-DD", a real day in a year periods support. */
static bool date_ok(const char *s)
{
	int32_t n;

	return pmif_period_day_parse(s, &n) == 0;
}

static const char *kind_name(enum pmif_period_kind k)
{
	switch (k) {
	case PMIF_PERIOD_YEAR: return "a year, e.g. 2022-23";
	case PMIF_PERIOD_HALF: return "a half-year, e.g. 2022-23-H1";
	default: return "a quarter, e.g. 2022-23-Q3";
	}
}

/* The measure and period of a row, checked: NULL, or the problem in @p msg. */
static const char *row_subject(struct op_ctx *op, const struct import_row *row, char *msg,
                               size_t cap, Pmif__Measure **m)
{
	const char *id = row->field[0], *period = row->field[1];
	struct pmif_period p;
	Pmif__Period *prec;

	if (id[0] == '\0')
		return "measure: missing: every row names the measure it compares";
	if (fw_get(op, fw_kind(FW_MEASURE), id, (ProtobufCMessage **)m) != 0)
		goto status;
	if (period[0] == '\0')
		return "period: missing: every row names its period, e.g. 2022-23-Q3";
	if (periods_parse(op, period, &p) != 0 || periods_get(op, period, &prec) != 0)
		goto status;
	if (p.kind != measures_period_kind(*m)) {
		snprintf(msg, cap, "period %s: %s is reported for %s, so its comparators are too",
		         period, id, kind_name(measures_period_kind(*m)));
		return msg;
	}
	return NULL;
status:
	snprintf(msg, cap, "%s", op->message ? op->message : "refused");
	op->code = PMIF__CODE__OK;
	op->message = NULL;
	return msg;
}

/* The figure of a row, checked: NULL, or the problem in @p msg. */
static const char *row_figure(const struct import_row *row, Pmif__ComparatorFigure *f, char *msg,
                              size_t cap)
{
	pmif__comparator_figure__init(f);
	f->name = (char *)row->field[2];
	if (!text_ok(f->name, NAME_MAX_LEN))
		return f->name[0]
		           ? "comparator: a name of at most 100 characters, no control "
		             "characters"
		           : "comparator: missing: name the council (or 'England', a region)";
	if (row->field[3][0] == '\0')
		return "value: missing: every row needs the comparator's figure";
	if (number(row->field[3], &f->value) != 0) {
		snprintf(msg, cap, "value: '%.40s' is not a number", row->field[3]);
		return msg;
	}
	if ((f->kind = (char *)compare_kind_word(row->field[4])) == NULL) {
		snprintf(msg, cap, "kind: '%.40s' is not one of council, national, regional",
		         row->field[4]);
		return msg;
	}
	return NULL;
}

/* The set of (@p measure, @p period) in @p l, made when new. */
static Pmif__ComparatorSetRecord *set_for(struct op_ctx *op, struct set_list *l,
                                          const char *measure, const char *period, unsigned line)
{
	Pmif__ComparatorSetRecord *s;

	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->sets[i]->measure, measure) == 0 &&
		    strcmp(l->sets[i]->period, period) == 0)
			return l->sets[i];
	if (l->n == l->cap) {
		size_t cap = arena_next_cap(l->cap, 16);
		void *g = arena_regrow(op->arena, l->sets, l->n, cap, sizeof(*l->sets));
		void *h = arena_regrow(op->arena, l->first_line, l->n, cap, sizeof(*l->first_line));
		if (g == NULL || h == NULL)
			return NULL;
		l->sets = g;
		l->first_line = h;
		l->cap = cap;
	}
	if ((s = ARENA_NEW(op->arena, Pmif__ComparatorSetRecord)) == NULL)
		return NULL;
	pmif__comparator_set_record__init(s);
	s->measure = (char *)measure;
	s->period = (char *)period;
	l->first_line[l->n] = line;
	l->sets[l->n++] = s;
	return s;
}

/* Add @p f to @p s: NULL, or the problem (a repeat, too many). */
static const char *set_add(struct op_ctx *op, Pmif__ComparatorSetRecord *s,
                           const Pmif__ComparatorFigure *f, char *msg, size_t cap)
{
	Pmif__ComparatorFigure **grown, *copy;

	for (size_t i = 0; i < s->n_figures; i++)
		if (strcmp(s->figures[i]->name, f->name) == 0) {
			snprintf(msg, cap, "repeats %s for %s %s: give each comparator once",
			         f->name, s->measure, s->period);
			return msg;
		}
	if (s->n_figures >= COMPARE_MAX_FIGURES) {
		snprintf(msg, cap,
		         "%s %s has more than %d comparators: keep the nearest neighbours",
		         s->measure, s->period, COMPARE_MAX_FIGURES);
		return msg;
	}
	grown = arena_regrow(op->arena, s->figures, s->n_figures, s->n_figures + 1, sizeof(*grown));
	copy = ARENA_NEW(op->arena, Pmif__ComparatorFigure);
	if (grown == NULL || copy == NULL)
		return "out of memory";
	*copy = *f;
	s->figures = grown;
	s->figures[s->n_figures++] = copy;
	return NULL;
}

static int by_line(const void *a, const void *b)
{
	const Pmif__ImportProblem *x = *(Pmif__ImportProblem *const *)a;
	const Pmif__ImportProblem *y = *(Pmif__ImportProblem *const *)b;

	return x->line < y->line ? -1 : x->line > y->line;
}

/* Every problem, one a line, in one INVALID_ARGUMENT message. */
static int refuse_file(struct op_ctx *op, Pmif__ComparatorImportReply *r, const char *file)
{
	char *text;

	qsort(r->problems, r->n_problems, sizeof(*r->problems), by_line);
	text = arena_printf(op->arena, "%s was refused and nothing was loaded: %u problem%s",
	                    file[0] ? file : "the file", r->problem_count,
	                    r->problem_count == 1 ? "" : "s");
	for (size_t i = 0; text && i < r->n_problems; i++)
		text = arena_printf(op->arena, "%s\n  line %u: %s", text, r->problems[i]->line,
		                    r->problems[i]->message);
	if (text && r->problem_count > r->n_problems)
		text = arena_printf(op->arena, "%s\n  and %zu more", text,
		                    (size_t)r->problem_count - r->n_problems);
	op->code = PMIF__CODE__INVALID_ARGUMENT;
	op->message = text ? text : "the file was refused and nothing was loaded";
	return op->code;
}

/* The request's own fields: source and date. */
static int check_request(struct op_ctx *op, const Pmif__ComparatorImportRequest *in)
{
	if (in->source == NULL || !text_ok(in->source, SOURCE_MAX))
		return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
		               "say where the figures come from with --source \"...\" (e.g. "
		               "\"LG Inform, CIPFA nearest neighbours\"), at most 300 characters");
	if (!date_ok(in->as_of))
		return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
		               "--date '%s' is not a date: give the day the figures were "
		               "published or read as YYYY-MM-DD, e.g. 2023-06-30",
		               fw_quote(op->arena, in->as_of ? in->as_of : ""));
	return 0;
}

/* Store every set (stamped), counting replacements. */
static int store_sets(struct op_ctx *op, const Pmif__ComparatorImportRequest *in,
                      struct set_list *l, Pmif__ComparatorImportReply *r)
{
	for (size_t i = 0; i < l->n; i++) {
		Pmif__ComparatorSetRecord *s = l->sets[i];
		bool replaced = false;

		s->source = in->source;
		s->as_of = in->as_of;
		s->illustrative = in->illustrative;
		s->loaded_by = (char *)op->actor.name;
		s->loaded_unix = op->now;
		if (!in->dry_run && comparators_put(op, s, &replaced) != 0)
			return op->code;
		r->replaced += replaced;
	}
	r->sets = (uint32_t)l->n;
	return 0;
}

int compare_import_run(struct op_ctx *op, const Pmif__ComparatorImportRequest *in,
                       Pmif__ComparatorImportReply **out)
{
	Pmif__ComparatorImportReply *r = ARENA_NEW(op->arena, Pmif__ComparatorImportReply);
	struct problems ps = {.r = r};
	struct set_list sets = {0};
	struct import_csv csv;
	char msg[600];
	int rc;

	if (r == NULL)
		return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__comparator_import_reply__init(r);
	r->dry_run = in->dry_run;
	if ((rc = check_request(op, in)) != 0)
		return rc;
	rc = import_csv_parse_as(COMPARE_CSV_HEADER, COMPARE_CSV_FIELDS, (char *)in->csv.data,
	                         in->csv.len, COMPARE_MAX_ROWS, MAX_PROBLEMS, op->arena, &csv);
	if (rc == PMIF_ETOOBIG)
		return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
		               "the file is too large: at most %d rows in one load",
		               COMPARE_MAX_ROWS);
	if (rc != 0)
		return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < csv.n_problems && i < MAX_PROBLEMS; i++)
		add_problem(op, &ps, csv.problems[i].line, csv.problems[i].message);
	for (size_t i = 0; i < csv.n_rows; i++) {
		const struct import_row *row = &csv.rows[i];
		Pmif__ComparatorSetRecord *s;
		Pmif__ComparatorFigure f;
		Pmif__Measure *m;
		const char *bad;

		r->rows++;
		if ((bad = row_subject(op, row, msg, sizeof(msg), &m)) == NULL)
			bad = row_figure(row, &f, msg, sizeof(msg));
		if (bad == NULL) {
			if ((s = set_for(op, &sets, m->id, row->field[1], row->line)) == NULL)
				return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
			bad = set_add(op, s, &f, msg, sizeof(msg));
		}
		if (bad)
			add_problem(op, &ps, row->line, bad);
	}
	if (r->problem_count == 0 && csv.n_rows == 0)
		add_problem(op, &ps, 1,
		            "the file has no figures: one row per comparator, under "
		            "the header '" COMPARE_CSV_HEADER "'");
	if (r->problem_count)
		return refuse_file(op, r, in->file_name ? in->file_name : "");
	if ((rc = store_sets(op, in, &sets, r)) != 0)
		return rc;
	*out = r;
	return 0;
}
