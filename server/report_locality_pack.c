/*
 * report_locality_pack.c - locality in the borough-wide reports: a pack's
 * locality section (each by-locality measure's comparison, exactly what
 * 'report locality' gives, from report_locality_build()) and the
 * locality exceptions (a locality's value that is red, or significantly
 * worse than the borough), which join the exception report beside their
 * measure's borough line.
 *
 * A report filtered to one locality already shows that locality's lines
 * and their own exceptions: its section compares that locality alone,
 * and it gets no extra exceptions.
 */
#include <string.h>

#include "framework.h"
#include "locality_rules.h"
#include "measures.h"
#include "report.h"
#include "values.h"

/* The selected measure with id @p id, or NULL. */
static const Pmif__Measure *measure_of(const struct report_sel *sel, const char *id)
{
	for (size_t i = 0; i < sel->n_measures; i++)
		if (strcmp(sel->measures[i]->id, id) == 0)
			return sel->measures[i];
	return NULL;
}

static bool borough_view(const struct report_sel *sel)
{
	return strcmp(sel->locality_id, VALUES_BOROUGH) == 0;
}

int report_locality_section(struct op_ctx *op, const struct report_sel *sel,
                            Pmif__ObjectiveSection **secs, size_t n, Pmif__LocalityReport ***out,
                            size_t *n_out)
{
	Pmif__LocalityReport **reps =
	    ARENA_ARRAY(op->arena, Pmif__LocalityReport *, sel->n_measures + 1);
	const char *only = borough_view(sel) ? NULL : sel->locality_id;
	size_t k = 0;
	int rc;

	if (reps == NULL)
		return report_nomem(op);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < secs[i]->n_measures; j++) {
			const Pmif__Measure *m = measure_of(sel, secs[i]->measures[j]->measure_id);
			struct pmif_period lp;
			Pmif__LocalityReport *r;

			/* a measure with no period of its kind by then has nothing to compare */
			if (m == NULL || !m->by_locality || k >= sel->n_measures ||
			    report_period_for(&sel->period, measures_period_kind(m), &lp) != 0)
				continue;
			if ((rc = report_locality_build(op, m, &sel->period, only, &r)) != 0)
				return rc;
			r->title = arena_printf(op->arena, "Locality comparison, %s: %s",
			                        r->measure->period, m->title);
			if ((r->filter = report_filter_copy(op->arena, sel->filter)) == NULL ||
			    r->title == NULL)
				return report_nomem(op);
			r->filter->measure = m->id;
			reps[k++] = r;
		}
	}
	*out = reps;
	*n_out = k;
	return 0;
}

/* The line of locality @p l of @p m when it is an exception (red there,
 * or significantly worse than the borough @p r->borough), else NULL. */
static int locality_exception(struct op_ctx *op, const struct report_sel *sel,
                              const Pmif__Measure *m, const Pmif__LocalityReport *r,
                              const Pmif__LocalityLine *l, Pmif__MeasureLine **out)
{
	struct locality_exception e = {0};
	Pmif__MeasureLine *ml;
	char buf[LOCALITY_MSG_LEN], *name;
	int rc;

	*out = NULL;
	if (!l->has_value)
		return 0;
	if ((rc = report_line_for(op, m, l->locality, &sel->period, &ml)) != 0)
		return rc;
	e.red = ml->has_value && ml->rag == PMIF__RAG__RAG_RED;
	e.worse = l->comparison == PMIF__COMPARISON__COMPARISON_WORSE && l->has_interval &&
	          r->borough && r->borough->has_value;
	if (!e.red && !e.worse)
		return 0;
	if ((name = arena_alloc(op->arena, 64)) == NULL)
		return report_nomem(op);
	e.locality = locality_short_name(name, 64, l->name && l->name[0] ? l->name : l->locality);
	e.unit = report_rule_unit(m);
	e.decimals = report_decimals(m);
	e.value = l->value;
	e.rag_rule = ml->rag_rule;
	e.lower = l->lower;
	e.upper = l->upper;
	e.method = l->method;
	e.borough = e.worse ? r->borough->value : 0;
	ml->locality_name = (char *)e.locality;
	ml->n_exception_reasons = 0;
	if ((ml->exception_reasons = ARENA_ARRAY(op->arena, char *, 2)) == NULL)
		return report_nomem(op);
	if (e.red && locality_red_reason(&e, buf, sizeof(buf)) == 0)
		ml->exception_reasons[ml->n_exception_reasons++] = arena_strdup(op->arena, buf);
	if (e.worse && locality_worse_reason(&e, buf, sizeof(buf)) == 0)
		ml->exception_reasons[ml->n_exception_reasons++] = arena_strdup(op->arena, buf);
	for (size_t i = 0; i < ml->n_exception_reasons; i++)
		if (ml->exception_reasons[i] == NULL)
			return report_nomem(op);
	ml->exception = true;
	*out = ml;
	return 0;
}

/* Add the locality exceptions of @p r to @p x (room for them is there). */
static int add_localities(struct op_ctx *op, const struct report_sel *sel,
                          const Pmif__LocalityReport *r, Pmif__ExceptionReport *x)
{
	const Pmif__Measure *m = measure_of(sel, r->measure->measure_id);
	int rc;

	for (size_t i = 0; m && i < r->n_localities; i++) {
		Pmif__MeasureLine *ml;

		if ((rc = locality_exception(op, sel, m, r, r->localities[i], &ml)) != 0)
			return rc;
		if (ml != NULL) {
			x->exceptions[x->n_exceptions++] = ml;
			x->locality_exceptions++;
		}
	}
	return 0;
}

int report_locality_exceptions(struct op_ctx *op, const struct report_sel *sel,
                               Pmif__ObjectiveSection **secs, size_t n, Pmif__LocalityReport **reps,
                               size_t n_reps, Pmif__ExceptionReport *x)
{
	size_t cap = 0;
	int rc;

	if (!borough_view(sel))
		return 0;
	for (size_t i = 0; i < n; i++)
		cap += secs[i]->n_measures;
	for (size_t i = 0; i < n_reps; i++)
		cap += reps[i]->n_localities;
	if ((x->exceptions = ARENA_ARRAY(op->arena, Pmif__MeasureLine *, cap + 1)) == NULL)
		return report_nomem(op);
	x->n_exceptions = 0;
	x->locality_exceptions = 0;
	/* in the sections' order: a measure's borough line (when it is an
	 * exception itself), then its localities that are */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < secs[i]->n_measures; j++) {
			Pmif__MeasureLine *l = secs[i]->measures[j];

			if (l->exception)
				x->exceptions[x->n_exceptions++] = l;
			for (size_t k = 0; k < n_reps; k++)
				if (strcmp(reps[k]->measure->measure_id, l->measure_id) == 0 &&
				    (rc = add_localities(op, sel, reps[k], x)) != 0)
					return rc;
		}
	}
	return 0;
}
