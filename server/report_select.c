/*
 * report_select.c - what a ReportFilter selects, and the scorecard built
 * from it: objective sections, each with its measures' lines, RAG counts
 * and the objective's commentary for the period.
 *
 * A committee's scorecard is its objectives (in the committee's order)
 * and the measures it scrutinises (Measure.committees); without a
 * committee it is every active objective in framework order and every
 * active measure.  Objective, directorate and locality narrow that down.
 * The measures are listed once (one reference-index scan or one table
 * scan) and dealt into their sections in one pass.
 */
#include <string.h>

#include "entries.h"
#include "error.h"
#include "framework.h"
#include "periods_store.h"
#include "report.h"
#include "values.h"

Pmif__ReportFilter *report_filter_copy(struct arena *a, const Pmif__ReportFilter *f)
{
	Pmif__ReportFilter *c = ARENA_NEW(a, Pmif__ReportFilter);

	if (c != NULL)
		*c = *f; /* the strings live in the request, which outlives the reply */
	return c;
}

static bool given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static int get(struct op_ctx *op, fw_kind_id kind, const char *id, void *out)
{
	return fw_get(op, fw_kind(kind), id, (ProtobufCMessage **)out);
}

/* The objectives of the sections, in order. */
static int objectives(struct op_ctx *op, struct report_sel *sel)
{
	ProtobufCMessage **all = NULL;
	size_t n = 0, kept = 0;

	if (sel->objective) {
		sel->objectives = ARENA_ARRAY(op->arena, Pmif__Objective *, 1);
		if (sel->objectives == NULL)
			return report_nomem(op);
		sel->objectives[0] = sel->objective;
		sel->n_objectives = 1;
		return 0;
	}
	if (fw_list(op, fw_kind(FW_OBJECTIVE), NULL, 0, false, &all, &n) != 0)
		return op->code;
	if (sel->committee == NULL) {
		sel->objectives = (Pmif__Objective **)all;
		sel->n_objectives = n;
		return 0;
	}
	/* the committee's objectives in its own order (active ones only) */
	sel->objectives = ARENA_ARRAY(op->arena, Pmif__Objective *, n + 1);
	if (sel->objectives == NULL)
		return report_nomem(op);
	for (size_t i = 0; i < sel->committee->n_objectives; i++)
		for (size_t j = 0; j < n; j++) {
			Pmif__Objective *o = (Pmif__Objective *)all[j];
			if (strcmp(o->id, sel->committee->objectives[i]) == 0) {
				sel->objectives[kept++] = o;
				break;
			}
		}
	sel->n_objectives = kept;
	/* a measure the committee scrutinises outside its objectives still shows */
	for (size_t i = 0; i < sel->n_measures; i++) {
		bool found = false;

		for (size_t j = 0; j < sel->n_objectives && !found; j++)
			found = strcmp(sel->objectives[j]->id, sel->measures[i]->objective) == 0;
		for (size_t j = 0; j < n && !found; j++) {
			Pmif__Objective *o = (Pmif__Objective *)all[j];
			if (strcmp(o->id, sel->measures[i]->objective) == 0) {
				Pmif__Objective **grown = ARENA_ARRAY(op->arena, Pmif__Objective *,
				                                      sel->n_objectives + 1);
				if (grown == NULL)
					return report_nomem(op);
				memcpy(grown, sel->objectives, sel->n_objectives * sizeof(*grown));
				grown[sel->n_objectives++] = o;
				sel->objectives = grown;
				found = true;
			}
		}
	}
	return 0;
}

int report_select(struct op_ctx *op, const Pmif__ReportFilter *f, bool need_period,
                  struct report_sel *out)
{
	struct fw_filter filters[3];
	ProtobufCMessage **ms = NULL;
	size_t nf = 0, n = 0, kept = 0;
	bool by_locality;

	memset(out, 0, sizeof(*out));
	out->filter = f;
	out->locality_id = VALUES_BOROUGH;
	if (!given(f->period)) {
		if (need_period)
			return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
			               "a period is required, e.g. --period 2022-23-Q3");
	} else {
		if (periods_parse(op, f->period, &out->period) != 0)
			return op->code;
		if (periods_get(op, f->period, &out->period_rec) != 0)
			return op->code;
	}
	if (given(f->committee) && get(op, FW_COMMITTEE, f->committee, &out->committee) != 0)
		return op->code;
	if (given(f->objective) && get(op, FW_OBJECTIVE, f->objective, &out->objective) != 0)
		return op->code;
	if (given(f->directorate) &&
	    get(op, FW_DIRECTORATE, f->directorate, &out->directorate) != 0)
		return op->code;
	if (given(f->locality)) {
		if (get(op, FW_LOCALITY, f->locality, &out->locality) != 0)
			return op->code;
		out->locality_id = out->locality->id;
	}
	by_locality = strcmp(out->locality_id, VALUES_BOROUGH) != 0;

	if (out->committee)
		filters[nf++] = (struct fw_filter){FW_COMMITTEE, out->committee->id};
	if (out->objective)
		filters[nf++] = (struct fw_filter){FW_OBJECTIVE, out->objective->id};
	if (out->directorate)
		filters[nf++] = (struct fw_filter){FW_DIRECTORATE, out->directorate->id};
	if (fw_list(op, fw_kind(FW_MEASURE), filters, nf, false, &ms, &n) != 0)
		return op->code;
	for (size_t i = 0; i < n; i++) {
		Pmif__Measure *m = (Pmif__Measure *)ms[i];
		if (!by_locality || m->by_locality)
			ms[kept++] = ms[i];
	}
	out->measures = (Pmif__Measure **)ms;
	out->n_measures = kept;
	return objectives(op, out);
}

int report_commentary(struct op_ctx *op, const char *objective, const struct pmif_period *p,
                      Pmif__CommentaryRecord **out)
{
	struct pmif_period q;
	int rc = commentary_find(op, objective, p, out);

	if (rc == PMIF_ENOTFOUND && p->kind != PMIF_PERIOD_QUARTER &&
	    report_period_for(p, PMIF_PERIOD_QUARTER, &q) == 0)
		rc = commentary_find(op, objective, &q, out);
	if (rc == PMIF_ENOTFOUND) {
		*out = NULL;
		return 0;
	}
	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the commentary could not be read");
	return 0;
}

static void count(Pmif__ObjectiveSection *s, Pmif__Rag rag)
{
	switch (rag) {
	case PMIF__RAG__RAG_RED: s->red++; break;
	case PMIF__RAG__RAG_AMBER: s->amber++; break;
	case PMIF__RAG__RAG_GREEN: s->green++; break;
	case PMIF__RAG__RAG_NO_DATA: s->no_data++; break;
	default: s->grey++; break;
	}
}

int report_sections(struct op_ctx *op, const struct report_sel *sel, Pmif__ObjectiveSection ***out,
                    size_t *n)
{
	size_t ns = sel->n_objectives, kept = 0;
	Pmif__ObjectiveSection **secs = ARENA_ARRAY(op->arena, Pmif__ObjectiveSection *, ns + 1);
	int rc;

	if (secs == NULL)
		return report_nomem(op);
	for (size_t i = 0; i < ns; i++) {
		const Pmif__Objective *o = sel->objectives[i];
		Pmif__ObjectiveSection *s = ARENA_NEW(op->arena, Pmif__ObjectiveSection);
		Pmif__CommentaryRecord *c = NULL;

		if (s == NULL)
			return report_nomem(op);
		pmif__objective_section__init(s);
		s->objective_id = o->id;
		s->title = o->title;
		s->kind = o->kind == PMIF__OBJECTIVE__KIND__SCORECARD ? "scorecard" : "policy";
		s->measures = ARENA_ARRAY(op->arena, Pmif__MeasureLine *, sel->n_measures + 1);
		if (s->measures == NULL)
			return report_nomem(op);
		if ((rc = report_commentary(op, o->id, &sel->period, &c)) != 0)
			return rc;
		if (c != NULL) {
			s->commentary = c->text;
			s->commentary_by = c->author;
		}
		secs[i] = s;
	}
	/* deal the measures into their sections, in framework order */
	for (size_t i = 0; i < sel->n_measures; i++) {
		const Pmif__Measure *m = sel->measures[i];
		Pmif__MeasureLine *l;
		size_t j = 0;

		while (j < ns && strcmp(sel->objectives[j]->id, m->objective) != 0)
			j++;
		if (j == ns)
			continue; /* outside the objectives asked for */
		if ((rc = report_line_for(op, m, sel->locality_id, &sel->period, &l)) != 0)
			return rc;
		secs[j]->measures[secs[j]->n_measures++] = l;
		count(secs[j], l->rag);
	}
	/* a directorate's or a locality's view leaves out sections it has no
	 * measure in; otherwise every objective shows, with its commentary */
	for (size_t i = 0; i < ns; i++)
		if (secs[i]->n_measures ||
		    (sel->directorate == NULL && strcmp(sel->locality_id, VALUES_BOROUGH) == 0))
			secs[kept++] = secs[i];
	*out = secs;
	*n = kept;
	return 0;
}

Pmif__Scorecard *report_scorecard_of(struct op_ctx *op, const struct report_sel *sel,
                                     Pmif__ObjectiveSection **sections, size_t n, const char *title)
{
	Pmif__Scorecard *sc = ARENA_NEW(op->arena, Pmif__Scorecard);

	if (sc == NULL)
		return NULL;
	pmif__scorecard__init(sc);
	sc->title = (char *)title;
	if ((sc->filter = report_filter_copy(op->arena, sel->filter)) == NULL)
		return NULL;
	sc->generated_unix = op->now;
	sc->objectives = sections;
	sc->n_objectives = n;
	for (size_t i = 0; i < n; i++) {
		const Pmif__ObjectiveSection *s = sections[i];
		sc->red += s->red;
		sc->amber += s->amber;
		sc->green += s->green;
		sc->grey += s->grey;
		sc->no_data += s->no_data;
		for (size_t j = 0; j < s->n_measures; j++)
			sc->provisional += s->measures[j]->has_value && s->measures[j]->provisional;
	}
	return sc;
}

Pmif__ExceptionReport *report_exceptions_of(struct op_ctx *op, const struct report_sel *sel,
                                            Pmif__ObjectiveSection **sections, size_t n,
                                            const char *title)
{
	Pmif__ExceptionReport *r = ARENA_NEW(op->arena, Pmif__ExceptionReport);
	size_t total = 0;

	if (r == NULL)
		return NULL;
	pmif__exception_report__init(r);
	r->title = (char *)title;
	if ((r->filter = report_filter_copy(op->arena, sel->filter)) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		total += sections[i]->n_measures;
	if ((r->exceptions = ARENA_ARRAY(op->arena, Pmif__MeasureLine *, total + 1)) == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < sections[i]->n_measures; j++)
			if (sections[i]->measures[j]->exception)
				r->exceptions[r->n_exceptions++] = sections[i]->measures[j];
	return r;
}
