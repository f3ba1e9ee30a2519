/*
 * report_compare.c - where this council stands among similar councils,
 * for the reports (see report_compare.h).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "comparators_store.h"
#include "compare.h"
#include "error.h"
#include "measures.h"
#include "report.h"
#include "report_compare.h"
#include "values.h"

#define THIS_COUNCIL "This council"

static bool is_council(const Pmif__ComparatorFigure *f)
{
	return f->kind == NULL || f->kind[0] == '\0' || strcmp(f->kind, "council") == 0;
}

static Pmif__ComparePosition *position_new(struct op_ctx *op, const Pmif__ComparatorSetRecord *s,
                                           const char *period)
{
	Pmif__ComparePosition *c = ARENA_NEW(op->arena, Pmif__ComparePosition);

	if (c == NULL)
		return NULL;
	pmif__compare_position__init(c);
	c->period = (char *)period;
	if (s) {
		c->source = s->source;
		c->as_of = s->as_of;
		c->illustrative = s->illustrative;
	}
	return c;
}

/* The council figures of @p s, as numbers (arena); *n of them. */
static double *council_values(struct op_ctx *op, const Pmif__ComparatorSetRecord *s, size_t *n)
{
	double *v = ARENA_ARRAY(op->arena, double, s->n_figures + 1);

	*n = 0;
	if (v == NULL)
		return NULL;
	for (size_t i = 0; i < s->n_figures; i++)
		if (is_council(s->figures[i]))
			v[(*n)++] = s->figures[i]->value;
	return v;
}

/* Fill @p c for this council's line @p l against set @p s. */
static int position_fill(struct op_ctx *op, const Pmif__Measure *m,
                         const Pmif__ComparatorSetRecord *s, const Pmif__MeasureLine *l,
                         Pmif__ComparePosition *c)
{
	enum analytics_polarity pol = measures_polarity(m);
	struct compare_result r;
	size_t n;
	double *others = council_values(op, s, &n);
	char label[300], shortl[32];

	if (others == NULL)
		return report_nomem(op);
	c->comparators = (uint32_t)n;
	if (!l->has_value || !isfinite(l->value)) {
		c->status = PMIF__COMPARE_STATUS__COMPARE_NO_VALUE;
		c->label = arena_printf(op->arena,
		                        "not ranked: this council has no value for %s (%zu other "
		                        "councils have one)",
		                        l->period, n);
		c->short_label = "no value";
		return c->label ? 0 : report_nomem(op);
	}
	if (compare_position(l->value, others, n, pol, report_decimals(m), &r) != 0)
		return op_fail(op, PMIF__CODE__INTERNAL,
		               "the comparator set of %s %s holds a figure that is not a number: "
		               "load it again",
		               m->id, l->period);
	c->status = r.status == COMPARE_TOO_FEW       ? PMIF__COMPARE_STATUS__COMPARE_TOO_FEW
	            : r.status == COMPARE_NO_POLARITY ? PMIF__COMPARE_STATUS__COMPARE_NO_POLARITY
	                                              : PMIF__COMPARE_STATUS__COMPARE_RANKED;
	c->rank = r.rank;
	c->of = r.of;
	c->quartile = r.quartile;
	compare_label(label, sizeof(label), &r, pol);
	compare_short_label(shortl, sizeof(shortl), &r);
	c->label = arena_strdup(op->arena, label);
	c->short_label = arena_strdup(op->arena, shortl);
	return c->label && c->short_label ? 0 : report_nomem(op);
}

int report_compare_attach(struct op_ctx *op, const Pmif__Measure *m, const struct pmif_period *lp,
                          Pmif__MeasureLine *l)
{
	Pmif__ComparatorSetRecord *s;
	Pmif__ComparePosition *c;
	int rc = comparators_get(op, m->id, lp, &s);

	if (rc == PMIF_ENOTFOUND)
		return 0;
	if (rc != 0)
		return op->code;
	if ((c = position_new(op, s, l->period)) == NULL)
		return report_nomem(op);
	if ((rc = position_fill(op, m, s, l, c)) != 0)
		return rc;
	l->compare = c;
	return 0;
}

static Pmif__CompareRow *row_new(struct op_ctx *op, const char *name, double v, const char *kind)
{
	Pmif__CompareRow *r = ARENA_NEW(op->arena, Pmif__CompareRow);

	if (r == NULL)
		return NULL;
	pmif__compare_row__init(r);
	r->name = (char *)name;
	r->value = v;
	r->kind = (char *)kind;
	return r;
}

static int by_rank(const void *a, const void *b)
{
	const Pmif__CompareRow *x = *(Pmif__CompareRow *const *)a;
	const Pmif__CompareRow *y = *(Pmif__CompareRow *const *)b;

	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	if (x->this_council != y->this_council)
		return x->this_council ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* The councils of @p s and this council (when it has a value), ranked,
 * best first; the national and regional figures apart. */
static int rows_fill(struct op_ctx *op, const Pmif__Measure *m, const Pmif__ComparatorSetRecord *s,
                     Pmif__CompareReport *r)
{
	const Pmif__MeasureLine *l = r->measure;
	bool ours = l->has_value && isfinite(l->value);
	size_t n = 0, cap = s->n_figures + 1;
	double *v = ARENA_ARRAY(op->arena, double, cap);
	uint32_t *ranks = ARENA_ARRAY(op->arena, uint32_t, cap);

	r->rows = ARENA_ARRAY(op->arena, Pmif__CompareRow *, cap);
	r->references = ARENA_ARRAY(op->arena, Pmif__CompareRow *, cap);
	if (!v || !ranks || !r->rows || !r->references)
		return report_nomem(op);
	for (size_t i = 0; i < s->n_figures; i++) {
		const Pmif__ComparatorFigure *f = s->figures[i];
		Pmif__CompareRow *row = row_new(op, f->name, f->value, f->kind);

		if (row == NULL)
			return report_nomem(op);
		if (!is_council(f)) {
			r->references[r->n_references++] = row;
			continue;
		}
		v[n] = f->value;
		r->rows[n++] = row;
	}
	if (ours) {
		Pmif__CompareRow *row = row_new(op, THIS_COUNCIL, l->value, "council");

		if (row == NULL)
			return report_nomem(op);
		row->this_council = true;
		v[n] = l->value;
		r->rows[n++] = row;
	}
	r->n_rows = n;
	if (compare_ranks(v, n, measures_polarity(m), report_decimals(m), ranks) != 0)
		return op_fail(op, PMIF__CODE__INTERNAL,
		               "the comparator set of %s %s holds a figure that is not a number: "
		               "load it again",
		               m->id, l->period);
	for (size_t i = 0; i < n; i++)
		r->rows[i]->rank = ranks[i];
	qsort(r->rows, n, sizeof(*r->rows), by_rank);
	/* with too few to rank, the rows are listed in order of value, unranked */
	if (r->position->status == PMIF__COMPARE_STATUS__COMPARE_TOO_FEW)
		for (size_t i = 0; i < n; i++)
			r->rows[i]->rank = 0;
	return 0;
}

int report_compare_build(struct op_ctx *op, const Pmif__Measure *m, const struct pmif_period *p,
                         Pmif__CompareReport **out)
{
	Pmif__CompareReport *r = ARENA_NEW(op->arena, Pmif__CompareReport);
	Pmif__ComparatorSetRecord *s = NULL;
	struct pmif_period lp;
	int rc;

	if (r == NULL)
		return report_nomem(op);
	pmif__compare_report__init(r);
	if ((rc = report_line_for(op, m, VALUES_BOROUGH, p, &r->measure)) != 0)
		return rc;
	if (pmif_period_parse(r->measure->period, &lp, NULL, 0) != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "a report line has a bad period");
	rc = comparators_get(op, m->id, &lp, &s);
	if (rc != 0 && rc != PMIF_ENOTFOUND)
		return op->code;
	if (s == NULL) {
		if ((r->position = position_new(op, NULL, r->measure->period)) == NULL)
			return report_nomem(op);
		r->position->status = PMIF__COMPARE_STATUS__COMPARE_NONE;
		r->position->label = arena_printf(
		    op->arena,
		    "no comparator set has been loaded for %s %s: the performance team loads "
		    "them",
		    m->id, r->measure->period);
		r->position->short_label = "";
		*out = r;
		return r->position->label ? 0 : report_nomem(op);
	}
	r->position = r->measure->compare;
	if (r->position == NULL)
		return op_fail(op, PMIF__CODE__INTERNAL, "the comparison was not computed");
	if ((rc = rows_fill(op, m, s, r)) != 0)
		return rc;
	*out = r;
	return 0;
}
