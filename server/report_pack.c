/*
 * report_pack.c - the parts of a committee pack beyond the scorecard, per
 * objective: its outcomes, its interventions with their progress update
 * for the period, its strategic risks with their score for the period and
 * movement since the previous assessment, its resources (and its
 * interventions') for the period's financial year, and the case studies
 * told for it in the period; and the pack's list of measures with no value
 * for the period, each with the directorate that owes it.
 *
 * Each kind of record is read once for the whole pack (one table scan or
 * one reference-index list) and dealt into the sections; the per-record
 * lookups that remain (an update, an assessment, a budget) are single
 * key gets.  Records that are quarterly (updates, assessments) are taken
 * for the period itself, or for its last quarter when the pack is for a
 * half or a year (a Cabinet pack for 2022-23-H1 shows the Q2 updates).
 */
#include <string.h>

#include "entries.h"
#include "error.h"
#include "framework.h"
#include "plans.h"
#include "report.h"
#include "server.h"
#include "store.h"
#include "values.h"

/* Index of the section for objective @p id, or -1. */
static long section_of(Pmif__ObjectiveSection **secs, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(secs[i]->objective_id, id) == 0)
			return (long)i;
	return -1;
}

static bool directorate_ok(const struct report_sel *sel, const char *dir)
{
	return sel->directorate == NULL || strcmp(sel->directorate->id, dir) == 0;
}

/* Grow-by-doubling push of @p p onto an arena pointer array. */
static int push(struct op_ctx *op, void ***arr, size_t *n, void *p)
{
	if ((*n & (*n - 1)) == 0) { /* 0, 1, 2, 4, ...: full */
		size_t cap = *n ? *n * 2 : 1;
		void **grown = ARENA_ARRAY(op->arena, void *, cap);

		if (grown == NULL)
			return report_nomem(op);
		if (*n)
			memcpy(grown, *arr, *n * sizeof(*grown));
		*arr = grown;
	}
	(*arr)[(*n)++] = p;
	return 0;
}

#define PUSH(op, arr, n, p) push((op), (void ***)&(arr), &(n), (p))

/* The record keyed by @p p, or by the last quarter of @p p. */
static int find_in_period(struct op_ctx *op, const char *id, const struct pmif_period *p,
                          int (*find)(struct op_ctx *, const char *, const struct pmif_period *,
                                      void *),
                          void *out)
{
	struct pmif_period q;
	int rc = find(op, id, p, out);

	if (rc == PMIF_ENOTFOUND && p->kind != PMIF_PERIOD_QUARTER &&
	    report_period_for(p, PMIF_PERIOD_QUARTER, &q) == 0)
		rc = find(op, id, &q, out);
	return rc;
}

static int update_find(struct op_ctx *op, const char *id, const struct pmif_period *p, void *out)
{
	return intervention_update_find(op, id, p, out);
}

static int assessment_find(struct op_ctx *op, const char *id, const struct pmif_period *p,
                           void *out)
{
	return risk_assessment_find(op, id, p, out);
}

static int read_failed(struct op_ctx *op, const char *what)
{
	return op_fail(op, PMIF__CODE__INTERNAL, "the %s could not be read", what);
}

static int outcomes(struct op_ctx *op, Pmif__ObjectiveSection **secs, size_t n)
{
	ProtobufCMessage **recs;
	size_t nr;

	if (fw_list(op, fw_kind(FW_OUTCOME), NULL, 0, false, &recs, &nr) != 0)
		return op->code;
	for (size_t i = 0; i < nr; i++) {
		Pmif__Outcome *o = (Pmif__Outcome *)recs[i];
		long s = section_of(secs, n, o->objective);

		if (s >= 0 && PUSH(op, secs[s]->outcomes, secs[s]->n_outcomes, o->text) != 0)
			return op->code;
	}
	return 0;
}

/* One resource line for @p subject in @p year, if there is a record. */
static int resource(struct op_ctx *op, Pmif__ObjectiveSection *s, const char *subject,
                    const char *label, const char *year)
{
	Pmif__ResourceRecord *r = NULL;
	Pmif__ResourceLine *l;
	int rc = resource_get(op, subject, year, &r);

	if (rc == PMIF_ENOTFOUND)
		return 0;
	if (rc != 0)
		return read_failed(op, "resources");
	if ((l = ARENA_NEW(op->arena, Pmif__ResourceLine)) == NULL)
		return report_nomem(op);
	pmif__resource_line__init(l);
	l->subject_id = r->subject;
	l->label = (char *)label;
	l->year = r->year;
	l->budget = r->budget;
	l->spend = r->spend;
	l->variance = r->spend - r->budget;
	return PUSH(op, s->resources, s->n_resources, l);
}

/* The intervention's owner, milestones and slippage RAG as of the period. */
static int slippage(struct op_ctx *op, const struct pmif_period *p, const Pmif__Intervention *iv,
                    bool has_update, Pmif__InterventionLine *l)
{
	Pmif__InterventionPlanRecord *plan = NULL;
	Pmif__InterventionPlanView *v;
	int rc = plans_get(op, iv->id, &plan);

	if (rc != 0 && rc != PMIF_ENOTFOUND)
		return read_failed(op, "intervention plans");
	v = plans_view(op, iv, rc == 0 ? plan : NULL, plans_as_of(op, p), has_update);
	if (v == NULL)
		return report_nomem(op);
	l->owner = v->owner;
	l->as_of = v->as_of;
	l->rag_rule = arena_alloc(op->arena, 400);
	if (l->rag_rule == NULL)
		return report_nomem(op);
	slip_rule_text(&plans_rule, l->rag_rule, 400);
	l->rag = v->rag;
	l->rag_reason = v->rag_reason;
	l->milestones = (uint32_t)v->n_milestones;
	for (size_t i = 0; i < v->n_milestones; i++) {
		const char *st = v->milestones[i]->state;
		if (strncmp(st, "done", 4) == 0)
			l->milestones_done++;
		else if (!l->next_due[0]) {
			l->next_due = v->milestones[i]->milestone->due;
			l->next_milestone = v->milestones[i]->milestone->title;
		}
	}
	return 0;
}

static int interventions(struct op_ctx *op, const struct report_sel *sel,
                         Pmif__ObjectiveSection **secs, size_t n, const char *year)
{
	ProtobufCMessage **recs;
	size_t nr;
	int rc;

	if (fw_list(op, fw_kind(FW_INTERVENTION), NULL, 0, false, &recs, &nr) != 0)
		return op->code;
	for (size_t i = 0; i < nr; i++) {
		Pmif__Intervention *iv = (Pmif__Intervention *)recs[i];
		Pmif__InterventionUpdateRecord *u = NULL;
		Pmif__InterventionLine *l;
		long s = section_of(secs, n, iv->objective);

		if (s < 0 || !directorate_ok(sel, iv->directorate))
			continue;
		if ((l = ARENA_NEW(op->arena, Pmif__InterventionLine)) == NULL)
			return report_nomem(op);
		pmif__intervention_line__init(l);
		l->intervention_id = iv->id;
		l->title = iv->title;
		l->directorate = iv->directorate;
		rc = find_in_period(op, iv->id, &sel->period, update_find, &u);
		if (rc == 0) {
			l->status = u->status;
			l->text = u->text;
			l->period = u->period;
			l->updated_by = u->author;
		} else if (rc != PMIF_ENOTFOUND) {
			return read_failed(op, "intervention updates");
		}
		if ((rc = slippage(op, &sel->period, iv, u != NULL, l)) != 0)
			return rc;
		if (PUSH(op, secs[s]->interventions, secs[s]->n_interventions, l) != 0)
			return op->code;
		if ((rc = resource(op, secs[s], iv->id, iv->title, year)) != 0)
			return rc;
	}
	return 0;
}

int report_risk_line(struct op_ctx *op, const struct pmif_period *p, Pmif__RiskRecord *k,
                     Pmif__RiskLine **out)
{
	Pmif__RiskLine *l = ARENA_NEW(op->arena, Pmif__RiskLine);
	Pmif__RiskAssessmentRecord *a = NULL, *prev = NULL;
	struct pmif_period ap = *p;
	int rc;

	if (l == NULL)
		return report_nomem(op);
	pmif__risk_line__init(l);
	l->risk_id = k->id;
	l->title = k->title;
	l->directorate = k->directorate;
	l->mitigation = k->mitigation;
	l->owner = k->owner;
	l->objective_id = k->objective;
	l->target_likelihood = k->target_likelihood;
	l->target_impact = k->target_impact;
	l->target_score = k->target_likelihood * k->target_impact;
	rc = find_in_period(op, k->id, p, assessment_find, &a);
	if (rc != 0 && rc != PMIF_ENOTFOUND)
		return read_failed(op, "risk assessments");
	if (rc == 0 && pmif_period_parse(a->period, &ap, NULL, 0) != 0)
		ap = *p;
	/* the assessment before the one shown (or before the period) */
	rc = risk_assessment_before(op, k->id, &ap, &prev);
	if (rc != 0 && rc != PMIF_ENOTFOUND)
		return read_failed(op, "risk assessments");
	if (rc == 0) {
		l->has_previous = true;
		l->previous_period = prev->period;
		l->previous_score = prev->likelihood * prev->impact;
		l->previous_likelihood = prev->likelihood;
		l->previous_impact = prev->impact;
	}
	if (a == NULL) {
		l->movement = "not assessed";
	} else {
		l->likelihood = a->likelihood;
		l->impact = a->impact;
		l->score = a->likelihood * a->impact;
		l->movement = !l->has_previous               ? "new"
		              : l->score > l->previous_score ? "up"
		              : l->score < l->previous_score ? "down"
		                                             : "no change";
	}
	l->against_target =
	    (char *)slip_risk_target(l->score, l->target_likelihood, l->target_impact);
	*out = l;
	return 0;
}

static int risks(struct op_ctx *op, const struct report_sel *sel, Pmif__ObjectiveSection **secs,
                 size_t n)
{
	Pmif__RiskRecord **recs;
	size_t nr;
	int rc;

	if (risks_list(op, &recs, &nr) != 0)
		return read_failed(op, "risk register");
	for (size_t i = 0; i < nr; i++) {
		Pmif__RiskRecord *k = recs[i];
		Pmif__RiskLine *l = NULL;
		long s = section_of(secs, n, k->objective);

		if (s < 0 || k->retired || !directorate_ok(sel, k->directorate))
			continue;
		if ((rc = report_risk_line(op, &sel->period, k, &l)) != 0)
			return rc;
		if (PUSH(op, secs[s]->risks, secs[s]->n_risks, l) != 0)
			return op->code;
	}
	return 0;
}

static int case_studies(struct op_ctx *op, const struct report_sel *sel,
                        Pmif__ObjectiveSection **secs, size_t n)
{
	Pmif__CaseStudyRecord **recs;
	size_t nr;
	bool borough = strcmp(sel->locality_id, VALUES_BOROUGH) == 0;

	if (case_studies_list(op, &recs, &nr) != 0)
		return read_failed(op, "case studies");
	for (size_t i = 0; i < nr; i++) {
		Pmif__CaseStudyRecord *c = recs[i];
		Pmif__CaseStudyLine *l;
		struct pmif_period cp;
		long s = section_of(secs, n, c->objective);

		/* told in the period (a half or a year takes its quarters') */
		if (s < 0 || pmif_period_parse(c->period, &cp, NULL, 0) != 0 ||
		    !pmif_period_contains(&sel->period, &cp))
			continue;
		if (!borough && c->locality[0] && strcmp(c->locality, sel->locality_id) != 0)
			continue;
		if ((l = ARENA_NEW(op->arena, Pmif__CaseStudyLine)) == NULL)
			return report_nomem(op);
		pmif__case_study_line__init(l);
		l->case_study_id = c->id;
		l->title = c->title;
		l->story = c->story;
		l->locality = c->locality;
		l->measures = c->measures;
		l->n_measures = c->n_measures;
		l->period = c->period;
		if (PUSH(op, secs[s]->case_studies, secs[s]->n_case_studies, l) != 0)
			return op->code;
	}
	return 0;
}

int report_pack_extras(struct op_ctx *op, const struct report_sel *sel,
                       Pmif__ObjectiveSection **secs, size_t n)
{
	struct pmif_period y;
	char *year;
	int rc;

	if (pmif_period_parent(&sel->period, PMIF_PERIOD_YEAR, &y) != 0 ||
	    (year = report_period_text(op->arena, &y)) == NULL)
		return report_nomem(op);
	if ((rc = outcomes(op, secs, n)) != 0)
		return rc;
	/* the objective's own budget first, then its interventions' */
	for (size_t i = 0; i < n; i++)
		if ((rc = resource(op, secs[i], secs[i]->objective_id, secs[i]->title, year)) != 0)
			return rc;
	if ((rc = interventions(op, sel, secs, n, year)) != 0)
		return rc;
	if ((rc = risks(op, sel, secs, n)) != 0)
		return rc;
	return case_studies(op, sel, secs, n);
}

int report_pack_no_data(struct op_ctx *op, Pmif__ObjectiveSection **secs, size_t n,
                        Pmif__MissingItem ***out, size_t *n_out)
{
	ProtobufCMessage **dirs;
	Pmif__MissingItem **items = NULL;
	size_t nd, ni = 0;

	if (fw_list(op, fw_kind(FW_DIRECTORATE), NULL, 0, false, &dirs, &nd) != 0)
		return op->code;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < secs[i]->n_measures; j++) {
			const Pmif__MeasureLine *l = secs[i]->measures[j];
			Pmif__MissingItem *it;

			if (l->rag != PMIF__RAG__RAG_NO_DATA)
				continue;
			if ((it = ARENA_NEW(op->arena, Pmif__MissingItem)) == NULL)
				return report_nomem(op);
			pmif__missing_item__init(it);
			it->measure_id = l->measure_id;
			it->title = l->title;
			it->locality = l->locality;
			it->status = "missing";
			it->directorate = l->directorate;
			it->directorate_name = l->directorate; /* unless the record says more */
			it->period = l->period;
			for (size_t k = 0; k < nd; k++) {
				Pmif__Directorate *d = (Pmif__Directorate *)dirs[k];

				if (strcmp(d->id, l->directorate) == 0)
					it->directorate_name = d->name;
			}
			if (PUSH(op, items, ni, it) != 0)
				return op->code;
		}
	*out = items;
	*n_out = ni;
	return 0;
}
