/*
 * render_csv.c - reports as RFC 4180 CSV: a header row, then one row per
 * measure (scorecard, exceptions, pack), per period (trend), per locality
 * (locality, the borough first) or per missing item (completeness).  A
 * pack with committee actions adds, after an empty record, a second table
 * of them (header, then one row per action).
 *
 * Fields are quoted when they hold a comma, quote, CR or LF; records end
 * in CRLF.  Numbers are plain (no unit, no separators) so spreadsheets
 * read them as numbers; judgements are the same words the other formats
 * use.  Text that a spreadsheet would run as a formula (= + - @ at the
 * start) gets a leading apostrophe: officers' notes are not code.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "render.h"
#include "render_chart.h"

struct csv {
	FILE *f;
	bool first; /* no comma before the next field */
	bool failed;
};

static void field_raw(struct csv *c, const char *s, bool text)
{
	char *clean = render_clean(s, true, true, 0);
	const char *p = clean ? clean : "";

	if (clean == NULL)
		c->failed = true;
	if (!c->first)
		fputc(',', c->f);
	c->first = false;
	if (text && p[0] != '\0' && strchr("=+-@", p[0]) != NULL) {
		fputs("\"'", c->f);
	} else if (strpbrk(p, ",\"\r\n") != NULL) {
		fputc('"', c->f);
	} else {
		fputs(p, c->f);
		free(clean);
		return;
	}
	for (; *p; p++) {
		if (*p == '"')
			fputc('"', c->f);
		fputc(*p, c->f);
	}
	fputc('"', c->f);
	free(clean);
}

/* Text from people or the server. */
static void field(struct csv *c, const char *s)
{
	field_raw(c, s, true);
}

/* A number (plain, possibly negative) or our own words. */
static void field_num(struct csv *c, const char *s)
{
	field_raw(c, s, false);
}

static void number(struct csv *c, bool has, double v, int decimals)
{
	char buf[RENDER_NUM_LEN];

	field_num(c, has ? render_plain(buf, v, decimals) : "");
}

static void end_row(struct csv *c)
{
	fputs("\r\n", c->f);
	c->first = true;
}

static void header(struct csv *c, const char *const *names)
{
	for (size_t i = 0; names[i]; i++)
		field_num(c, names[i]);
	end_row(c);
}

static const char *const measure_header[] = {"objective",
                                             "measure_id",
                                             "title",
                                             "unit",
                                             "period",
                                             "locality",
                                             "value",
                                             "provisional",
                                             "target",
                                             "rag",
                                             "rag_rule",
                                             "vs_previous",
                                             "vs_last_year",
                                             "spc_variation",
                                             "exception_reasons",
                                             "note",
                                             "directorate",
                                             "similar_rank",
                                             "similar_of",
                                             "similar_quartile",
                                             "similar_position",
                                             "similar_source",
                                             "similar_date",
                                             "similar_illustrative",
                                             NULL};

/* The position among similar councils: empty cells without a set. */
static void compare_cells(struct csv *c, const Pmif__ComparePosition *p)
{
	char buf[16];

	if (p == NULL) {
		for (int i = 0; i < 7; i++)
			field_num(c, "");
		return;
	}
	snprintf(buf, sizeof(buf), "%u", p->rank);
	field_num(c, p->rank ? buf : "");
	snprintf(buf, sizeof(buf), "%u", p->of);
	field_num(c, p->of ? buf : "");
	snprintf(buf, sizeof(buf), "%u", p->quartile);
	field_num(c, p->quartile ? buf : "");
	field(c, p->label);
	field(c, p->source);
	field(c, p->as_of);
	field_num(c, p->illustrative ? "yes" : "no");
}

/* The fields of measure_header for @p m, without ending the row. */
static void measure_fields(struct csv *c, const char *objective, const Pmif__MeasureLine *m)
{
	struct render_buf b = {0};

	field(c, m->objective_id && m->objective_id[0] ? m->objective_id : objective);
	field(c, m->measure_id);
	field(c, m->title);
	field(c, m->unit);
	field(c, m->period);
	field(c, m->locality);
	number(c, render_has_value(m), m->value, m->decimals);
	field_num(c, m->provisional ? "yes" : "no");
	number(c, render_has_target(m), m->target, m->decimals);
	/* the word a spreadsheet filters on: "red" ... "grey", "no data" */
	field_num(c, m->rag == PMIF__RAG__RAG_NO_DATA ? "no data" : render_rag_class(m->rag));
	field(c, m->rag_rule);
	field_num(c, render_direction_word(m->vs_previous));
	field_num(c, render_direction_word(m->vs_last_year));
	field_num(c, render_variation_word(m->variation));
	for (size_t i = 0; i < m->n_exception_reasons; i++)
		render_buf_printf(&b, "%s%s", i ? "; " : "", render_str(m->exception_reasons[i]));
	field(c, b.p ? b.p : "");
	render_buf_release(&b);
	field(c, m->note);
	field(c, m->directorate); /* who owns it: who owes a value that is missing */
	compare_cells(c, m->compare);
}

static void measure_row(struct csv *c, const char *objective, const Pmif__MeasureLine *m)
{
	if (m == NULL)
		return;
	measure_fields(c, objective, m);
	end_row(c);
}

static void sections(struct csv *c, Pmif__ObjectiveSection *const *obs, size_t n)
{
	header(c, measure_header);
	for (size_t i = 0; i < n; i++) {
		if (obs[i] == NULL)
			continue;
		for (size_t k = 0; k < obs[i]->n_measures; k++)
			measure_row(c, obs[i]->objective_id, obs[i]->measures[k]);
	}
}

static void exceptions(struct csv *c, const Pmif__ExceptionReport *x)
{
	header(c, measure_header);
	for (size_t i = 0; i < x->n_exceptions; i++)
		measure_row(c, "", x->exceptions[i]);
}

static void completeness(struct csv *c, const Pmif__CompletenessReport *r)
{
	static const char *const names[] = {"period",           "due_date",   "directorate",
	                                    "directorate_name", "measure_id", "title",
	                                    "locality",         "status",     NULL};
	const char *period = r->filter ? r->filter->period : "";

	header(c, names);
	for (size_t i = 0; i < r->n_directorates; i++) {
		const Pmif__DirectorateCompleteness *d = r->directorates[i];

		if (d == NULL)
			continue;
		for (size_t k = 0; k < d->n_items; k++) {
			const Pmif__MissingItem *it = d->items[k];

			if (it == NULL)
				continue;
			field(c, period);
			field(c, r->due_date);
			field(c, d->directorate);
			field(c, d->name);
			field(c, it->measure_id);
			field(c, it->title);
			field(c, it->locality);
			field(c, it->status);
			end_row(c);
		}
	}
}

static const char *signal(const Pmif__SeriesPoint *p, const char *polarity)
{
	bool high = p->flags_high != 0;

	if (!p->flags_high && !p->flags_low)
		return "";
	if (strcmp(polarity, "higher") == 0)
		return high ? "special cause: improvement" : "special cause: concern";
	if (strcmp(polarity, "lower") == 0)
		return high ? "special cause: concern" : "special cause: improvement";
	return high ? "special cause: high" : "special cause: low";
}

static void trend(struct csv *c, const Pmif__TrendReport *r)
{
	static const char *const names[] = {"measure_id",
	                                    "period",
	                                    "value",
	                                    "provisional",
	                                    "target",
	                                    "mean",
	                                    "lower_process_limit",
	                                    "upper_process_limit",
	                                    "spc_signal",
	                                    "spc_rules_high",
	                                    "spc_rules_low",
	                                    NULL};
	const Pmif__MeasureLine *m = r->measure;
	const Pmif__SpcSummary *s = r->spc;
	bool lim = s && !s->insufficient;
	int dec = m ? m->decimals : 3;

	header(c, names);
	for (size_t i = 0; i < r->n_points; i++) {
		const Pmif__SeriesPoint *p = r->points[i];
		char buf[16];

		if (p == NULL)
			continue;
		field(c, m ? m->measure_id : "");
		field(c, p->period);
		number(c, p->has_value && isfinite(p->value), p->value, dec);
		field_num(c, p->provisional ? "yes" : "no");
		number(c, p->has_target, p->target, dec);
		number(c, lim, lim ? s->mean : 0, dec + 2);
		number(c, lim, lim ? s->lpl : 0, dec + 2);
		number(c, lim, lim ? s->upl : 0, dec + 2);
		field_num(c, signal(p, m ? render_str(m->polarity) : ""));
		snprintf(buf, sizeof(buf), "%u", p->flags_high);
		field_num(c, buf);
		snprintf(buf, sizeof(buf), "%u", p->flags_low);
		field_num(c, buf);
		end_row(c);
	}
}

static void locality_row(struct csv *c, const Pmif__MeasureLine *m, const Pmif__LocalityLine *l,
                         bool borough)
{
	int dec = m ? m->decimals : 3;

	field(c, m ? m->measure_id : "");
	field(c, l->locality);
	field(c, l->name);
	number(c, l->has_value && isfinite(l->value), l->value, dec);
	field_num(c, l->provisional ? "yes" : "no");
	number(c, l->has_interval, l->lower, dec + 1);
	number(c, l->has_interval, l->upper, dec + 1);
	number(c, l->has_interval || l->denominator != 0, l->numerator, 0);
	number(c, l->has_interval || l->denominator != 0, l->denominator, 0);
	field(c, borough ? "reference"
	                 : (l->comparison_label && l->comparison_label[0]
	                        ? l->comparison_label
	                        : render_comparison_word(l->comparison)));
	field(c, l->method);
	end_row(c);
}

static void locality(struct csv *c, const Pmif__LocalityReport *r)
{
	static const char *const names[] = {"measure_id",  "locality",   "name",     "value",
	                                    "provisional", "lower_95",   "upper_95", "numerator",
	                                    "denominator", "comparison", "method",   NULL};

	header(c, names);
	if (r->borough)
		locality_row(c, r->measure, r->borough, true);
	for (size_t i = 0; i < r->n_localities; i++)
		if (r->localities[i])
			locality_row(c, r->measure, r->localities[i], false);
}

/* A comparison: one row per council, ranked, then the reference figures;
 * every row repeats the measure, period, source and date, so each row
 * stands alone in a spreadsheet. */
static void compare(struct csv *c, const Pmif__CompareReport *r)
{
	static const char *const names[] = {"measure_id", "period",       "rank",     "name",
	                                    "kind",       "this_council", "value",    "source",
	                                    "date",       "illustrative", "position", NULL};
	const Pmif__MeasureLine *m = r->measure;
	const Pmif__ComparePosition *p = r->position;
	char buf[16];

	header(c, names);
	for (size_t pass = 0; pass < 2; pass++) {
		Pmif__CompareRow *const *rows = pass ? r->references : r->rows;
		size_t n = pass ? r->n_references : r->n_rows;

		for (size_t i = 0; i < n; i++) {
			field(c, m ? m->measure_id : "");
			field(c, p ? p->period : "");
			snprintf(buf, sizeof(buf), "%u", rows[i]->rank);
			field_num(c, rows[i]->rank ? buf : "");
			field(c, rows[i]->name);
			field(c, rows[i]->kind);
			field_num(c, rows[i]->this_council ? "yes" : "no");
			number(c, true, rows[i]->value, m ? m->decimals : 1);
			field(c, p ? p->source : "");
			field(c, p ? p->as_of : "");
			field_num(c, p && p->illustrative ? "yes" : "no");
			field(c, rows[i]->this_council && p ? p->label : "");
			end_row(c);
		}
	}
}

/* ---- a pack with a locality section: the measure rows, each by-locality
 * measure's borough row with its interval, then a row per locality ---- */

static const char *const interval_header[] = {"lower_95",   "upper_95",  "numerator", "denominator",
                                              "vs_borough", "ci_method", NULL};

/* The interval columns of @p l (NULL: all empty). */
static void interval_fields(struct csv *c, const Pmif__MeasureLine *m, const Pmif__LocalityLine *l,
                            bool borough)
{
	int dec = m ? m->decimals : 3;

	if (l == NULL) {
		for (size_t i = 0; interval_header[i]; i++)
			field_num(c, "");
		return;
	}
	number(c, l->has_interval, l->lower, dec + 1);
	number(c, l->has_interval, l->upper, dec + 1);
	number(c, l->has_interval || l->denominator != 0, l->numerator, 0);
	number(c, l->has_interval || l->denominator != 0, l->denominator, 0);
	field(c, borough ? "reference"
	                 : (l->comparison_label && l->comparison_label[0]
	                        ? l->comparison_label
	                        : render_comparison_word(l->comparison)));
	field(c, l->method);
}

/* One locality of @p r as a row under its measure. */
static void pack_locality_row(struct csv *c, const char *objective, const Pmif__LocalityReport *r,
                              const Pmif__LocalityLine *l)
{
	const Pmif__MeasureLine *m = r->measure;

	field(c, m->objective_id && m->objective_id[0] ? m->objective_id : objective);
	field(c, m->measure_id);
	field(c, m->title);
	field(c, m->unit);
	field(c, m->period);
	field(c, l->locality);
	number(c, l->has_value && isfinite(l->value), l->value, m->decimals);
	field_num(c, l->provisional ? "yes" : "no");
	/* target, rag, rag_rule, directions, SPC, reasons, note: the borough's row */
	for (size_t i = 0; i < 8; i++)
		field_num(c, "");
	field(c, m->directorate);
	compare_cells(c, NULL); /* localities are never compared */
	interval_fields(c, m, l, false);
	end_row(c);
}

/* The pack's locality comparison of measure @p id, or NULL. */
static const Pmif__LocalityReport *locality_report_of(const Pmif__CommitteePack *p, const char *id)
{
	for (size_t j = 0; id && j < p->n_localities; j++) {
		const Pmif__LocalityReport *r = p->localities[j];

		if (r && r->measure && r->measure->measure_id &&
		    strcmp(r->measure->measure_id, id) == 0)
			return r;
	}
	return NULL;
}

static void pack_sections(struct csv *c, const Pmif__CommitteePack *p,
                          Pmif__ObjectiveSection *const *obs, size_t n)
{
	for (size_t i = 0; measure_header[i]; i++)
		field_num(c, measure_header[i]);
	header(c, interval_header);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; obs[i] && k < obs[i]->n_measures; k++) {
			const Pmif__MeasureLine *m = obs[i]->measures[k];
			const Pmif__LocalityReport *r;

			if (m == NULL)
				continue;
			r = locality_report_of(p, m->measure_id);
			measure_fields(c, obs[i]->objective_id, m);
			interval_fields(c, m, r ? r->borough : NULL, true);
			end_row(c);
			for (size_t j = 0; r && j < r->n_localities; j++)
				if (r->localities[j])
					pack_locality_row(c, obs[i]->objective_id, r,
					                  r->localities[j]);
		}
	}
}

/* The writers in render.c's table: one per report. */

int render_csv_compare(struct render_ctx *ctx, const ProtobufCMessage *msg)
{
	struct csv c = {.f = ctx->out, .first = true};

	compare(&c, (const Pmif__CompareReport *)msg);
	return c.failed ? PMIF_ENOMEM : 0;
}

int render_csv_scorecard(struct render_ctx *ctx, const ProtobufCMessage *msg)
{
	const Pmif__Scorecard *s = (const Pmif__Scorecard *)msg;
	struct csv c = {.f = ctx->out, .first = true};

	sections(&c, s->objectives, s->n_objectives);
	return c.failed ? PMIF_ENOMEM : 0;
}

/* A pack's actions from previous meetings: after the measures, one empty
 * record and a table of their own (one row per action), only when the
 * pack has any, so a pack without actions is one table as before. */
static void actions(struct csv *c, const Pmif__CommitteePack *k)
{
	static const char *const names[] = {
	    "action_id", "committee", "meeting",      "action",    "owner", "owner_name", "due",
	    "status",    "overdue",   "days_overdue", "closed_on", "note",  "as_of",      NULL};

	if (k->n_actions == 0)
		return;
	end_row(c);
	header(c, names);
	for (size_t i = 0; i < k->n_actions; i++) {
		const Pmif__ActionView *v = k->actions[i];
		const Pmif__ActionRecord *a = v ? v->action : NULL;

		if (a == NULL)
			continue;
		field(c, a->id);
		field(c, a->committee);
		field_num(c, a->meeting);
		field(c, a->text);
		field(c, a->directorate);
		field(c, v->directorate_name);
		field_num(c, a->due);
		field_num(c, v->status);
		field_num(c, v->overdue ? "yes" : "no");
		number(c, true, v->days_overdue, 0);
		field_num(c, a->closed_on);
		field(c, a->note);
		field_num(c, k->actions_as_of);
		end_row(c);
	}
}

int render_csv_pack(struct render_ctx *ctx, const ProtobufCMessage *msg)
{
	struct csv c = {.f = ctx->out, .first = true};
	const Pmif__CommitteePack *p = (const Pmif__CommitteePack *)msg;
	size_t n;
	Pmif__ObjectiveSection *const *obs = render_pack_sections(p, &n);

	if (p->n_localities == 0)
		sections(&c, obs, n);
	else
		pack_sections(&c, p, obs, n);
	actions(&c, p);
	return c.failed ? PMIF_ENOMEM : 0;
}

int render_csv_exceptions(struct render_ctx *ctx, const ProtobufCMessage *msg)
{
	struct csv c = {.f = ctx->out, .first = true};

	exceptions(&c, (const Pmif__ExceptionReport *)msg);
	return c.failed ? PMIF_ENOMEM : 0;
}

int render_csv_completeness(struct render_ctx *ctx, const ProtobufCMessage *msg)
{
	struct csv c = {.f = ctx->out, .first = true};

	completeness(&c, (const Pmif__CompletenessReport *)msg);
	return c.failed ? PMIF_ENOMEM : 0;
}

int render_csv_trend(struct render_ctx *ctx, const ProtobufCMessage *msg)
{
	struct csv c = {.f = ctx->out, .first = true};

	trend(&c, (const Pmif__TrendReport *)msg);
	return c.failed ? PMIF_ENOMEM : 0;
}

int render_csv_locality(struct render_ctx *ctx, const ProtobufCMessage *msg)
{
	struct csv c = {.f = ctx->out, .first = true};

	locality(&c, (const Pmif__LocalityReport *)msg);
	return c.failed ? PMIF_ENOMEM : 0;
}

/* A whole number, or empty when @p has is false. */
static void count(struct csv *c, bool has, unsigned v)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", v);
	field_num(c, has ? buf : "");
}

/* One row per risk: now, the previous assessment, the target (the heat map's data). */
int render_csv_risks(struct render_ctx *ctx, const ProtobufCMessage *msg)
{
	static const char *const names[] = {"number",
	                                    "risk_id",
	                                    "title",
	                                    "objective_id",
	                                    "directorate",
	                                    "owner",
	                                    "likelihood",
	                                    "impact",
	                                    "score",
	                                    "band",
	                                    "previous_period",
	                                    "previous_likelihood",
	                                    "previous_impact",
	                                    "previous_score",
	                                    "movement",
	                                    "target_likelihood",
	                                    "target_impact",
	                                    "target_score",
	                                    "against_target",
	                                    "mitigation",
	                                    NULL};
	const Pmif__RiskReport *r = (const Pmif__RiskReport *)msg;
	struct csv c = {.f = ctx->out, .first = true};

	header(&c, names);
	for (size_t i = 0; i < r->n_risks; i++) {
		const Pmif__RiskLine *l = r->risks[i];
		bool now = l && l->likelihood != 0, prev = l && l->has_previous;

		if (l == NULL)
			continue;
		count(&c, true, (unsigned)(i + 1));
		field(&c, l->risk_id);
		field(&c, l->title);
		field(&c, l->objective_id);
		field(&c, l->directorate);
		field(&c, l->owner);
		count(&c, now, l->likelihood);
		count(&c, now, l->impact);
		count(&c, now, l->score);
		field_num(&c, chart_heat_band(l->score));
		field(&c, prev ? l->previous_period : "");
		count(&c, prev, l->previous_likelihood);
		count(&c, prev, l->previous_impact);
		count(&c, prev, l->previous_score);
		field_num(&c, l->movement);
		count(&c, l->target_score != 0, l->target_likelihood);
		count(&c, l->target_score != 0, l->target_impact);
		count(&c, l->target_score != 0, l->target_score);
		field_num(&c, l->against_target);
		field(&c, l->mitigation);
		end_row(&c);
	}
	return c.failed ? PMIF_ENOMEM : 0;
}
