/*
 * render_table_reports.c - what each report shows as terminal text (see
 * render_table.c for cells, wrapping, colour and the measure table): the
 * overview with a RAG strip per objective, the top exceptions, each
 * objective with its measures, "so what", interventions, risks,
 * resources and case studies; completeness, trend and locality.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_table.h"

/* The per-objective overview: one line each with its RAG strip. */
static void overview(struct tbl *t, Pmif__ObjectiveSection *const *obs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const Pmif__ObjectiveSection *o = obs[i];
		char counts[64];
		size_t used;

		if (o == NULL)
			continue;
		size_t strip = t->w >= 64 ? 12 : 8;

		fputs("  ", t->f);
		table_sgr(t, SGR_BOLD);
		table_tcell(t, o->objective_id, 7, false);
		table_reset(t);
		fputc(' ', t->f);
		table_rag_strip(t, o->red, o->amber, o->green, o->grey, o->no_data, strip);
		snprintf(counts, sizeof(counts), " R:%u A:%u G:%u Grey:%u No data:%u ", o->red,
		         o->amber, o->green, o->grey, o->no_data);
		used = 2 + 7 + 1 + strip;
		if (t->w >= used + strlen(counts) + 16) {
			fputs(counts, t->f);
			used += strlen(counts);
		} else {
			fputc(' ', t->f);
			used++;
		}
		table_tcell(t, o->title, t->w > used ? t->w - used : 0, false);
		fputc('\n', t->f);
	}
}

/* The "so what", or that there is none. */
static void commentary_text(struct tbl *t, const Pmif__ObjectiveSection *o)
{
	if (o->commentary && o->commentary[0]) {
		table_para(t, 2, "So what:", o->commentary);
		if (o->commentary_by && o->commentary_by[0]) {
			char *by = table_clean(t, o->commentary_by, false);
			char line[300];

			snprintf(line, sizeof(line), "(%s)", by);
			table_spaces(t, 4);
			table_sgr(t, SGR_DIM);
			table_cell(t, line, t->w - 4, false);
			table_reset(t);
			fputc('\n', t->f);
			free(by);
		}
	} else {
		table_spaces(t, 2);
		table_sgr(t, SGR_BOLD);
		fputs("So what:", t->f);
		table_reset(t);
		fputs(" no commentary has been entered for this period.\n", t->f);
	}
}

/* Budget and spend per subject. */
static void resources_text(struct tbl *t, const Pmif__ObjectiveSection *o)
{
	char b1[32], b2[32];

	if (o->n_resources > 0) {
		table_title_line(t, 2, "Resources");
		for (size_t i = 0; i < o->n_resources; i++) {
			const Pmif__ResourceLine *r = o->resources[i];
			char line[200], *label;

			if (r == NULL)
				continue;
			label = table_clean(t, r->label && r->label[0] ? r->label : r->subject_id,
			                    false);
			if (isfinite(r->budget) && r->budget > 0 && isfinite(r->spend))
				snprintf(line, sizeof(line), "spend %s of budget %s (%.0f%%) %s",
				         table_money(t, b1, sizeof(b1), r->spend),
				         table_money(t, b2, sizeof(b2), r->budget),
				         100 * r->spend / r->budget, render_str(r->year));
			else
				snprintf(line, sizeof(line), "budget %s, spend %s %s",
				         table_money(t, b1, sizeof(b1), r->budget),
				         table_money(t, b2, sizeof(b2), r->spend),
				         render_str(r->year));
			table_spaces(t, 4);
			table_cell(t, label, t->w / 3, false);
			fputc(' ', t->f);
			table_cell(t, line, t->w - 5 - t->w / 3, false);
			fputc('\n', t->f);
			free(label);
		}
	}
}

/* The case studies, each a paragraph. */
static void case_studies_text(struct tbl *t, const Pmif__ObjectiveSection *o)
{
	for (size_t i = 0; i < o->n_case_studies; i++) {
		const Pmif__CaseStudyLine *cs = o->case_studies[i];
		struct render_buf b = {0};

		if (cs == NULL)
			continue;
		render_buf_printf(
		    &b, "%s%s%s%s: %s", render_str(cs->title),
		    cs->locality && cs->locality[0] ? " (" : "", render_str(cs->locality),
		    cs->locality && cs->locality[0] ? ")" : "", render_str(cs->story));
		table_para(t, 2, "Case study:", b.p ? b.p : "");
		render_buf_release(&b);
	}
}

static void section_extras(struct tbl *t, const Pmif__ObjectiveSection *o)
{
	commentary_text(t, o);
	table_interventions(t, o);
	if (o->n_risks > 0) {
		table_title_line(t, 2,
		                 "Risks (score = likelihood x impact; movement since the "
		                 "previous assessment)");
		table_risk_lines(t, o->risks, o->n_risks, 2);
	}
	resources_text(t, o);
	case_studies_text(t, o);
}

static void section(struct tbl *t, const Pmif__ObjectiveSection *o)
{
	size_t lc;

	if (o == NULL)
		return;
	fputc('\n', t->f);
	table_sgr(t, SGR_BOLD);
	table_tcell(t, o->objective_id, 7, false);
	fputc(' ', t->f);
	lc = 8;
	table_tcell(t, o->title, t->w - lc, false);
	table_reset(t);
	fputc('\n', t->f);
	{
		char counts[160];

		table_spaces(t, 2);
		table_wrap(t,
		           table_rag_counts(t, counts, sizeof(counts), o->red, o->amber, o->green,
		                            o->grey, o->no_data),
		           2, 4);
	}
	table_measure_table(t, o->measures, o->n_measures, false);
	section_extras(t, o);
}

/* Exceptions, most severe first as the server ordered them, at most @p max. */
static void top_exceptions(struct tbl *t, const Pmif__ExceptionReport *x, size_t max)
{
	size_t n;

	if (x == NULL || x->n_exceptions == 0)
		return;
	n = x->n_exceptions < max ? x->n_exceptions : max;
	fputc('\n', t->f);
	table_title_line(t, 0, "Exceptions: %zu measure%s off track or getting worse%s",
	                 x->n_exceptions, x->n_exceptions == 1 ? "" : "s",
	                 n < x->n_exceptions ? " (top shown)" : "");
	for (size_t i = 0; i < n; i++) {
		const Pmif__MeasureLine *m = x->exceptions[i];
		char val[RENDER_NUM_LEN + 2];
		struct render_buf b = {0};
		char *c;

		if (m == NULL)
			continue;
		render_line_value(val, m);
		table_mark(t, val, m->provisional && render_has_value(m));
		table_spaces(t, 2);
		table_rag_cell(t, m->rag);
		fputc(' ', t->f);
		table_cell(t, val, 11, true);
		fputc(' ', t->f);
		if (m->locality_name && m->locality_name[0]) {
			/* a locality's reasons name it and say why: whole, wrapped */
			render_line_title(&b, m);
			for (size_t k = 0; k < m->n_exception_reasons; k++)
				render_buf_printf(&b, "%s%s", k ? ", " : ": ",
				                  render_str(m->exception_reasons[k]));
			c = table_clean(t, b.p ? b.p : "", false);
			table_wrap(t, c, 15 + TABLE_RAG_COLS, 15 + TABLE_RAG_COLS);
		} else {
			for (size_t k = 0; k < m->n_exception_reasons; k++)
				render_buf_printf(&b, "%s%s", k ? ", " : "",
				                  render_str(m->exception_reasons[k]));
			if (b.len)
				render_buf_add(&b, " - ", 3);
			render_line_title(&b, m);
			c = table_clean(t, b.p ? b.p : "", false);
			table_cell(t, c, t->w - 15 - TABLE_RAG_COLS, false);
			fputc('\n', t->f);
		}
		free(c);
		render_buf_release(&b);
	}
}

/* A pack's measures with no value for the period, each with its owner. */
static void no_data_list(struct tbl *t, Pmif__MissingItem *const *items, size_t n)
{
	if (n == 0)
		return;
	fputc('\n', t->f);
	table_title_line(t, 0, "No data: %zu measure%s with no value for the period", n,
	                 n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		const Pmif__MissingItem *it = items[i];
		struct render_buf b = {0};
		char *c;

		if (it == NULL)
			continue;
		render_buf_printf(
		    &b, "%s %s (%s, %s) - owner: %s", render_str(it->measure_id),
		    render_str(it->title), render_str(it->period), render_str(it->locality),
		    it->directorate_name && it->directorate_name[0] ? it->directorate_name
		                                                    : render_str(it->directorate));
		c = table_clean(t, b.p ? b.p : "", false);
		table_spaces(t, 2);
		table_rag_cell(t, PMIF__RAG__RAG_NO_DATA);
		fputc(' ', t->f);
		table_wrap(t, c, 3 + TABLE_RAG_COLS, 3 + TABLE_RAG_COLS);
		free(c);
		render_buf_release(&b);
	}
}

static void scorecard_body(struct tbl *t, const Pmif__Scorecard *s, const Pmif__ExceptionReport *x,
                           const Pmif__CommitteePack *pack, Pmif__ObjectiveSection *const *obs,
                           size_t n_obs)
{
	unsigned total = s->red + s->amber + s->green + s->grey + s->no_data;

	char counts[160], line[256], prov[48] = "";

	if (s->provisional)
		snprintf(prov, sizeof(prov), " (%u provisional)", s->provisional);
	snprintf(line, sizeof(line), "%u measure%s: %s%s", total, total == 1 ? "" : "s",
	         table_rag_counts(t, counts, sizeof(counts), s->red, s->amber, s->green, s->grey,
	                          s->no_data),
	         prov);
	table_sgr(t, SGR_BOLD);
	fputs("Overview:", t->f);
	table_reset(t);
	fputc(' ', t->f);
	table_wrap(t, line, 10, 2);
	overview(t, s->objectives, s->n_objectives);
	top_exceptions(t, x, 5);
	if (pack) {
		no_data_list(t, pack->no_data, pack->n_no_data);
		table_actions(t, pack);
	}
	for (size_t i = 0; i < n_obs; i++) {
		table_rule(t, false);
		section(t, obs[i]);
	}
}

void table_scorecard(struct tbl *t, const Pmif__Scorecard *s, unsigned long long now)
{
	table_header(t, s->title, "Scorecard", NULL, s->filter,
	             s->generated_unix ? s->generated_unix : now);
	scorecard_body(t, s, NULL, NULL, s->objectives, s->n_objectives);
}

void table_exceptions(struct tbl *t, const Pmif__ExceptionReport *x, unsigned long long now)
{
	table_header(t, x->title, "Exception report", NULL, x->filter, now);
	{
		char line[160];

		char note[200];

		snprintf(line, sizeof(line),
		         "%zu measure%s red, showing special cause concern, or worsening.",
		         x->n_exceptions, x->n_exceptions == 1 ? " is" : "s are");
		table_wrap(t, line, 0, 2);
		if (render_locality_note(note, sizeof(note), x))
			table_wrap(t, note, 0, 2);
		fputc('\n', t->f);
	}
	table_measure_table(t, x->exceptions, x->n_exceptions, true);
}

static void pack_localities(struct tbl *t, const Pmif__CommitteePack *p);

void table_pack(struct tbl *t, const Pmif__CommitteePack *p, unsigned long long now)
{
	static const Pmif__Scorecard empty = PMIF__SCORECARD__INIT;
	const Pmif__Scorecard *s = p->summary ? p->summary : &empty;
	size_t n;
	Pmif__ObjectiveSection *const *obs = render_pack_sections(p, &n);
	struct render_buf sub = {0};

	render_buf_printf(&sub, "%s%s", render_str(p->committee_name),
	                  p->cabinet ? " (Cabinet summary)" : "");
	table_header(t, p->title, "Committee pack", sub.p, p->filter,
	             s->generated_unix ? s->generated_unix : now);
	render_buf_release(&sub);
	scorecard_body(t, s, p->exceptions, p, obs, n);
	pack_localities(t, p);
}

void table_completeness(struct tbl *t, const Pmif__CompletenessReport *r, unsigned long long now)
{
	table_header(t, r->title, "Completeness", NULL, r->filter, now);
	{
		struct render_buf b = {0};
		char *c;

		render_buf_printf(&b, "The period is %s",
		                  r->period_state && r->period_state[0] ? r->period_state
		                                                        : "unknown");
		if (r->due_date && r->due_date[0])
			render_buf_printf(&b, "; entry was due by %s", r->due_date);
		render_buf_add(&b, ".", 1);
		c = table_clean(t, b.p ? b.p : "", false);
		if (r->overdue) {
			table_sgr(t, SGR_RED);
			fputs("OVERDUE", t->f);
			table_reset(t);
			fputc(' ', t->f);
		}
		table_wrap(t, c, r->overdue ? 8 : 0, 2);
		free(c);
		render_buf_release(&b);
	}
	for (size_t i = 0; i < r->n_directorates; i++) {
		const Pmif__DirectorateCompleteness *d = r->directorates[i];
		char line[160];

		if (d == NULL)
			continue;
		fputc('\n', t->f);
		table_sgr(t, SGR_BOLD);
		table_tcell(t, d->name && d->name[0] ? d->name : d->directorate, t->w, false);
		table_reset(t);
		fputc('\n', t->f);
		snprintf(line, sizeof(line),
		         "expected %u: approved %u, awaiting sign-off %u, missing %u", d->expected,
		         d->approved, d->submitted, d->missing);
		table_spaces(t, 2);
		table_cell(t, line, t->w - 2, false);
		fputc('\n', t->f);
		for (size_t k = 0; k < d->n_items; k++) {
			const Pmif__MissingItem *it = d->items[k];
			size_t rest =
			    t->w > 4 + 18 + 1 + 14 + 1 ? t->w - (4 + 18 + 1 + 14 + 1) : 10;

			if (it == NULL)
				continue;
			table_spaces(t, 4);
			if (it->status && strcmp(it->status, "missing") == 0)
				table_sgr(t, SGR_BOLD);
			table_tcell(t, it->status, 18, false);
			table_reset(t);
			fputc(' ', t->f);
			table_tcell(t, it->locality, 14, false);
			fputc(' ', t->f);
			{
				struct render_buf b = {0};
				char *c;

				render_buf_printf(&b, "%s %s", render_str(it->measure_id),
				                  render_str(it->title));
				c = table_clean(t, b.p ? b.p : "", false);
				table_cell(t, c, rest, false);
				free(c);
				render_buf_release(&b);
			}
			fputc('\n', t->f);
		}
	}
}

/* One measure's headline: value, target, RAG and its rule. */
static void measure_headline(struct tbl *t, const Pmif__MeasureLine *m)
{
	struct table_cols c;

	if (m == NULL)
		return;
	c = table_measure_cols(t, (Pmif__MeasureLine *const *)&m, 1);
	table_measure_header(t, &c);
	table_measure_row(t, &c, m, false);
}

void table_trend(struct tbl *t, const Pmif__TrendReport *r, unsigned long long now)
{
	const Pmif__MeasureLine *m = r->measure;
	const Pmif__SpcSummary *s = r->spc;
	const char *unit = m ? m->unit : "";
	int dec = m ? m->decimals : 1;
	char a[RENDER_NUM_LEN], b[RENDER_NUM_LEN + 2], c[RENDER_NUM_LEN];
	size_t vcol = t->w >= 64 ? 14 : 11, pcol = t->w >= 64 ? 12 : 11, tcol = vcol, rest;

	table_header(t, r->title, "Trend", NULL, r->filter, now);
	measure_headline(t, m);
	fputc('\n', t->f);
	if (s && !s->insufficient) {
		char line[300], *cl;

		snprintf(line, sizeof(line), "mean %s, process limits %s to %s (%u points)",
		         render_value(a, s->mean, unit, dec), render_value(b, s->lpl, unit, dec),
		         render_value(c, s->upl, unit, dec), s->n);
		cl = table_clean(t, line, false);
		table_sgr(t, SGR_BOLD);
		fputs("SPC:", t->f);
		table_reset(t);
		fputc(' ', t->f);
		table_wrap(t, cl, 5, 2);
		free(cl);
	}
	if (s && s->summary && s->summary[0])
		table_para(t, 0, "Variation:", s->summary);
	if (s && s->assurance_label && s->assurance_label[0])
		table_para(t, 0, "Assurance:", s->assurance_label);
	if (s == NULL || s->insufficient) {
		char note[] = "Fewer than 12 points: process limits not yet calculated.";

		table_wrap(t, note, 0, 0);
	}
	fputc('\n', t->f);
	rest = t->w > pcol + vcol + tcol + 3 ? t->w - (pcol + vcol + tcol + 3) : 0;
	table_sgr(t, SGR_DIM);
	table_cell(t, "Period", pcol, false);
	fputc(' ', t->f);
	table_cell(t, "Value ", vcol, true);
	fputc(' ', t->f);
	table_cell(t, "Target ", tcol, true);
	fputc(' ', t->f);
	table_cell(t, "Signal", rest, false);
	table_reset(t);
	fputc('\n', t->f);
	for (size_t i = 0; i < r->n_points; i++) {
		const Pmif__SeriesPoint *p = r->points[i];
		char val[RENDER_NUM_LEN + 2];
		const char *sig = "";

		if (p == NULL)
			continue;
		if (p->has_value && isfinite(p->value)) {
			render_value(val, p->value, unit, dec);
			table_mark(t, val, p->provisional);
		} else {
			snprintf(val, sizeof(val), "n/a ");
		}
		if (p->flags_high || p->flags_low) {
			const char *pol = m ? render_str(m->polarity) : "";
			bool high = p->flags_high != 0;

			if (strcmp(pol, "higher") == 0)
				sig =
				    high ? "special cause: improvement" : "special cause: concern";
			else if (strcmp(pol, "lower") == 0)
				sig =
				    high ? "special cause: concern" : "special cause: improvement";
			else
				sig = high ? "special cause: high" : "special cause: low";
		}
		table_tcell(t, p->period, pcol, false);
		fputc(' ', t->f);
		table_cell(t, val, vcol, true);
		fputc(' ', t->f);
		if (p->has_target && isfinite(p->target))
			strcat(render_value(b, p->target, unit, dec), " ");
		else
			b[0] = '\0';
		table_cell(t, b, tcol, true);
		fputc(' ', t->f);
		if (sig[0])
			table_sgr(t, SGR_BOLD);
		table_cell(t, sig, rest, false);
		table_reset(t);
		fputc('\n', t->f);
	}
	if (r->n_points == 0)
		fputs("No points in this range.\n", t->f);
}

/* An interval strip: '-' the 95% interval, 'o' the value, '|' the borough. */
static void interval_strip(struct tbl *t, const Pmif__LocalityLine *l, double lo, double hi,
                           double borough, size_t cols)
{
	char strip[128];
	size_t n = cols < sizeof(strip) - 1 ? cols : sizeof(strip) - 1;

	memset(strip, ' ', n);
	strip[n] = '\0';
	if (n >= 3 && hi > lo && isfinite(hi - lo)) {
#define POS(v) ((size_t)lround(((v)-lo) / (hi - lo) * (double)(n - 1)))
		if (l->has_interval && isfinite(l->lower) && isfinite(l->upper) && l->lower >= lo &&
		    l->upper <= hi)
			for (size_t i = POS(l->lower); i <= POS(l->upper) && i < n; i++)
				strip[i] = '-';
		if (isfinite(borough) && borough >= lo && borough <= hi)
			strip[POS(borough)] = '|';
		if (l->has_value && isfinite(l->value) && l->value >= lo && l->value <= hi)
			strip[POS(l->value)] = 'o';
#undef POS
	}
	fputs(strip, t->f);
}

static void strip_key(struct tbl *t)
{
	char key[] = "Interval strip: - the 95% confidence interval, o the value, | the "
	             "borough value.";

	fputc('\n', t->f);
	table_sgr(t, SGR_DIM);
	table_wrap(t, key, 0, 0);
	table_reset(t);
}

/* The localities of @p r, the borough first, each with its value, its
 * interval strip and how it compares; then the strip's key. */
static void locality_rows(struct tbl *t, const Pmif__LocalityReport *r, bool key)
{
	const Pmif__MeasureLine *m = r->measure;
	const char *unit = m ? m->unit : "";
	int dec = m ? m->decimals : 1;
	double lo = INFINITY, hi = -INFINITY, bv = NAN;
	size_t vcol = 11, ccol, scol, lcol;

	if (r->borough && r->borough->has_value && isfinite(r->borough->value))
		bv = r->borough->value;
	for (size_t i = 0; i < r->n_localities; i++) {
		const Pmif__LocalityLine *l = r->localities[i];

		if (l == NULL)
			continue;
		if (l->has_value && isfinite(l->value)) {
			lo = fmin(lo, l->value);
			hi = fmax(hi, l->value);
		}
		if (l->has_interval && isfinite(l->lower) && isfinite(l->upper)) {
			lo = fmin(lo, l->lower);
			hi = fmax(hi, l->upper);
		}
	}
	if (isfinite(bv)) {
		lo = fmin(lo, bv);
		hi = fmax(hi, bv);
	}
	/* name, value, interval strip (when there is room), comparison */
	scol = t->w >= 90 ? 20 : t->w >= 64 ? 12 : 0;
	lcol = t->w >= 100 ? 28 : t->w >= 64 ? 22 : 12;
	ccol = t->w - lcol - vcol - scol - (scol ? 3 : 2);
	table_sgr(t, SGR_DIM);
	table_cell(t, "Locality", lcol, false);
	fputc(' ', t->f);
	table_cell(t, "Value ", vcol, true);
	fputc(' ', t->f);
	if (scol) {
		table_cell(t, "95% interval", scol, false);
		fputc(' ', t->f);
	}
	table_cell(t, "Compared with borough", ccol, false);
	table_reset(t);
	fputc('\n', t->f);
	for (size_t i = 0; i <= r->n_localities; i++) {
		const Pmif__LocalityLine *l = i == 0 ? r->borough : r->localities[i - 1];
		char val[RENDER_NUM_LEN + 2];

		if (l == NULL)
			continue;
		if (l->has_value && isfinite(l->value)) {
			render_value(val, l->value, unit, dec);
			table_mark(t, val, l->provisional);
		} else {
			snprintf(val, sizeof(val), "n/a ");
		}
		if (i == 0)
			table_sgr(t, SGR_BOLD);
		table_tcell(t, l->name && l->name[0] ? l->name : l->locality, lcol, false);
		fputc(' ', t->f);
		table_cell(t, val, vcol, true);
		fputc(' ', t->f);
		if (scol) {
			interval_strip(t, l, lo, hi, bv, scol);
			fputc(' ', t->f);
		}
		if (i == 0)
			table_cell(t, "(the reference)", ccol, false);
		else
			table_tcell(t,
			            l->comparison_label && l->comparison_label[0]
			                ? l->comparison_label
			                : render_comparison_word(l->comparison),
			            ccol, false);
		table_reset(t);
		fputc('\n', t->f);
	}
	if (scol && key)
		strip_key(t);
}

void table_locality(struct tbl *t, const Pmif__LocalityReport *r, unsigned long long now)
{
	table_header(t, r->title, "Locality comparison", NULL, r->filter, now);
	measure_headline(t, r->measure);
	fputc('\n', t->f);
	locality_rows(t, r, true);
}

/* A pack's locality section: each by-locality measure, its localities
 * against the borough. */
static void pack_localities(struct tbl *t, const Pmif__CommitteePack *p)
{
	if (p->n_localities == 0)
		return;
	table_rule(t, false);
	table_title_line(t, 0,
	                 "Localities: %zu measure%s reported by locality, each locality against "
	                 "the borough with its 95%% confidence interval",
	                 p->n_localities, p->n_localities == 1 ? "" : "s");
	for (size_t i = 0; i < p->n_localities; i++) {
		const Pmif__LocalityReport *r = p->localities[i];
		const Pmif__MeasureLine *m = r ? r->measure : NULL;

		if (m == NULL)
			continue;
		fputc('\n', t->f);
		table_title_line(t, 2, "%s %s (%s)", render_str(m->measure_id),
		                 render_str(m->title), render_str(m->period));
		locality_rows(t, r, false);
	}
	if (t->w >= 64)
		strip_key(t);
}
