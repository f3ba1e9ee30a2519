/*
 * render_pdf_reports.c - what each report puts on its PDF pages (see
 * render_pdf.c for the page, text and chart primitives): the cover and
 * summary, measure tables with sparklines, the "so what", interventions,
 * risks, resources and case studies, and the trend and locality reports
 * (completeness and a pack's No data list: render_pdf_missing.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "render.h"
#include "render_chart.h"
#include "render_pdf.h"

/* ---- report parts ---- */

static enum chart_ink rag_ink(Pmif__Rag r)
{
	switch (r) {
	case PMIF__RAG__RAG_RED: return INK_RED;
	case PMIF__RAG__RAG_AMBER: return INK_AMBER;
	case PMIF__RAG__RAG_GREEN: return INK_GREEN;
	case PMIF__RAG__RAG_NO_DATA: return INK_NO_DATA;
	default: return INK_GREY;
	}
}

/* The word on a RAG badge: No data carries its symbol, not a colour alone. */
static const char *rag_badge_word(Pmif__Rag r)
{
	return r == PMIF__RAG__RAG_NO_DATA ? "\u25cb No data" : render_rag_word(r);
}

double pdf_badge(struct pdf *d, double x, double y, const char *word, enum chart_ink bg,
                 double size)
{
	const struct chart_rgb *c = &chart_palette[bg];
	bool light = 0.2126 * c->r + 0.7152 * c->g + 0.0722 * c->b > 150;
	double w;

	pdf_font(d, size, true);
	w = pdf_text_w(d, word) + 8;
	pdf_fill_rect(d, x, y, w, size + 5, bg);
	pdf_ink(d, light ? INK_TEXT : INK_WHITE);
	pdf_show(d, x + 4, y + size + 1.2, word);
	return w;
}

void pdf_cover(struct pdf *d, const char *title, const char *subtitle, const Pmif__ReportFilter *f)
{
	char *t;
	struct render_buf b = {0};

	pdf_new_page(d);
	pdf_fill_rect(d, 0, 0, PAGE_W, 6, INK_LINE);
	pdf_font(d, 8.5, true);
	pdf_ink(d, INK_MUTED);
	pdf_show(d, MARGIN_L, d->y, "PERFORMANCE MANAGEMENT AND IMPROVEMENT FRAMEWORK");
	d->y += 8;
	pdf_para(d, MARGIN_L, WIDTH, title, 20, true, INK_TEXT);
	if (subtitle && subtitle[0])
		render_buf_printf(&b, "%s", subtitle);
	if (f && f->period && f->period[0])
		render_buf_printf(&b, "%sPeriod %s", b.len ? " | " : "", f->period);
	if (f && f->from_period && f->from_period[0])
		render_buf_printf(&b, "%sFrom %s to %s", b.len ? " | " : "", f->from_period,
		                  render_str(f->to_period));
	render_buf_printf(&b, "%sGenerated %s", b.len ? " | " : "", d->generated);
	t = b.p ? b.p : "";
	pdf_para(d, MARGIN_L, WIDTH, t, 10, false, INK_MUTED);
	render_buf_release(&b);
	d->y += 8;
}

/* Five RAG tiles across the width. */
static void tiles(struct pdf *d, const Pmif__Scorecard *s)
{
	const struct {
		unsigned n;
		const char *word, *desc;
		enum chart_ink ink;
	} t[5] = {{s->red, "Red", "off target, beyond tolerance", INK_RED},
	          {s->amber, "Amber", "off target, within tolerance", INK_AMBER},
	          {s->green, "Green", "on or better than target", INK_GREEN},
	          {s->grey, "Grey", "no target, or context only", INK_GREY},
	          {s->no_data, "\u25cb No data", "no value for the period", INK_NO_DATA}};
	double tw = (WIDTH - 4 * 8) / 5, h = 54;

	pdf_room(d, h + 8);
	for (int i = 0; i < 5; i++) {
		double x = MARGIN_L + i * (tw + 8);
		char n[16];

		pdf_ink(d, INK_GRID);
		cairo_set_line_width(d->cr, 0.8);
		cairo_rectangle(d->cr, x, d->y, tw, h);
		cairo_stroke(d->cr);
		pdf_fill_rect(d, x, d->y, 6, h, t[i].ink);
		snprintf(n, sizeof(n), "%u", t[i].n);
		pdf_font(d, 22, true);
		pdf_ink(d, INK_TEXT);
		pdf_show(d, x + 14, d->y + 25, n);
		pdf_font(d, 11, true);
		pdf_show(d, x + 14 + pdf_text_w(d, n) + 10, d->y + 25, t[i].word);
		pdf_font(d, 7.5, false);
		pdf_ink(d, INK_MUTED);
		{ /* five tiles are narrow: the description takes two lines */
			struct pdf_lines l = pdf_wrap(d, t[i].desc, tw - 18, 2);

			for (size_t k = 0; k < l.n; k++)
				pdf_show(d, x + 14, d->y + 38 + k * 9, l.v[k]);
			pdf_lines_free(&l);
		}
	}
	d->y += h + 10;
}

/* Column layout of the measure table. */
#define C_TITLE  0.0
#define C_VALUE  218.0
#define C_TARGET 270.0
#define C_RAG    276.0
#define C_SPARK  330.0
#define C_DIR    400.0
/* the value and target columns, right-aligned at C_VALUE and C_TARGET */
#define C_NUMBER_W (C_TARGET - C_VALUE)

/* A unit that is spelt out after the number ("9.8 days"), or NULL. */
static const char *unit_words(const char *unit)
{
	if (strcmp(render_str(unit), "days") == 0)
		return "days";
	if (strcmp(render_str(unit), "rate_per_1000") == 0)
		return "per 1,000";
	return NULL;
}

static void measure_head(struct pdf *d)
{
	pdf_room(d, 40);
	pdf_font(d, 7.5, true);
	pdf_ink(d, INK_MUTED);
	pdf_show(d, MARGIN_L + C_TITLE, d->y + 8, "Measure, and how its RAG is set");
	pdf_show_right(d, MARGIN_L + C_VALUE, d->y + 8, "Latest");
	pdf_show_right(d, MARGIN_L + C_TARGET, d->y + 8, "Target");
	pdf_show(d, MARGIN_L + C_RAG, d->y + 8, "RAG");
	pdf_show(d, MARGIN_L + C_SPARK, d->y + 8, "Last 8 periods");
	pdf_show(d, MARGIN_L + C_DIR, d->y + 8, "Direction of travel");
	d->y += 11;
	pdf_hline(d, MARGIN_L, PAGE_W - MARGIN_R, d->y, INK_TEXT, 1);
	d->y += 3;
}

/* A measure row's direction of travel (against the previous period and
 * the same period last year) and its SPC word, from row top @p y0. */
static void direction_cells(struct pdf *d, const Pmif__MeasureLine *m, double y0)
{
	char line[96];

	pdf_font(d, 7.5, m->vs_previous == PMIF__DIRECTION__DIRECTION_WORSENING);
	pdf_ink(d, m->vs_previous == PMIF__DIRECTION__DIRECTION_WORSENING ? INK_CONCERN : INK_TEXT);
	snprintf(line, sizeof(line), "%s %s vs previous",
	         render_direction_arrow(m->vs_previous, true),
	         render_direction_word(m->vs_previous));
	pdf_show(d, MARGIN_L + C_DIR, y0 + 10, line);
	pdf_font(d, 7.5, m->vs_last_year == PMIF__DIRECTION__DIRECTION_WORSENING);
	pdf_ink(d,
	        m->vs_last_year == PMIF__DIRECTION__DIRECTION_WORSENING ? INK_CONCERN : INK_TEXT);
	snprintf(line, sizeof(line), "%s %s vs last year",
	         render_direction_arrow(m->vs_last_year, true),
	         render_direction_word(m->vs_last_year));
	pdf_show(d, MARGIN_L + C_DIR, y0 + 20, line);
	pdf_font(d, 7, m->variation == PMIF__VARIATION__VARIATION_CONCERN);
	pdf_ink(d, m->variation == PMIF__VARIATION__VARIATION_CONCERN ? INK_CONCERN : INK_MUTED);
	snprintf(line, sizeof(line), "SPC: %s", render_variation_word(m->variation));
	pdf_show(d, MARGIN_L + C_DIR, y0 + 30, line);
}

static void measure_row(struct pdf *d, const Pmif__MeasureLine *m, bool reasons)
{
	char v[RENDER_NUM_LEN + 2], t[RENDER_NUM_LEN], *title, *rule, *note;
	const char *unit;
	struct pdf_lines lt, lr, ln = {0}, lc;
	double h, y0;
	struct chart sp;
	struct render_buf rb = {0};

	{
		struct render_buf tb = {0};

		render_line_title(&tb, m);
		title = pdf_clean(d, tb.p ? tb.p : "", false);
		render_buf_release(&tb);
	}
	rule =
	    pdf_clean(d, m->rag_rule && m->rag_rule[0] ? m->rag_rule : "no RAG rule given", false);
	if (reasons) {
		for (size_t i = 0; i < m->n_exception_reasons; i++)
			render_buf_printf(&rb, "%s%s",
			                  i ? ", " : "Why: ", render_str(m->exception_reasons[i]));
		if (m->note && m->note[0])
			render_buf_printf(&rb, "%sNote: %s", rb.len ? ". " : "", m->note);
	} else if (m->note && m->note[0]) {
		render_buf_printf(&rb, "Note: %s", m->note);
	}
	note = pdf_clean(d, rb.p ? rb.p : "", false);
	render_buf_release(&rb);
	pdf_font(d, 8.5, true);
	lt = pdf_wrap(d, title, C_VALUE - 52, 0);
	pdf_font(d, 7, false);
	{
		char *r2 = malloc(strlen(rule) + strlen(m->measure_id ? m->measure_id : "") + 8);

		if (r2) {
			sprintf(r2, "%s: %s", render_str(m->measure_id), rule);
			lr = pdf_wrap(d, r2, C_VALUE - 52, 0);
			free(r2);
		} else {
			lr = pdf_wrap(d, rule, C_VALUE - 52, 0);
		}
	}
	if (note[0])
		ln = pdf_wrap(d, note, C_SPARK - 8, 0);
	lc = pdf_compare_wrap(d, m, C_SPARK - 8);
	h = 6 + lt.n * 10.5 + lr.n * 8.5 + ln.n * 8.5 + lc.n * 8.5 + 4;
	if (h < (m->compare ? 46 : 36))
		h = m->compare ? 46 : 36;
	if (pdf_room(d, h))
		measure_head(d);
	y0 = d->y;
	/* title, rule, note */
	pdf_font(d, 8.5, true);
	pdf_ink(d, INK_TEXT);
	for (size_t i = 0; i < lt.n; i++)
		pdf_show(d, MARGIN_L, y0 + 10 + i * 10.5, lt.v[i]);
	pdf_font(d, 7, false);
	pdf_ink(d, INK_MUTED);
	for (size_t i = 0; i < lr.n; i++)
		pdf_show(d, MARGIN_L, y0 + 10 + lt.n * 10.5 + i * 8.5, lr.v[i]);
	pdf_ink(d, INK_TEXT);
	for (size_t i = 0; i < ln.n; i++)
		pdf_show(d, MARGIN_L, y0 + 10 + lt.n * 10.5 + lr.n * 8.5 + i * 8.5, ln.v[i]);
	pdf_ink(d, INK_LINE);
	for (size_t i = 0; i < lc.n; i++)
		pdf_show(d, MARGIN_L, y0 + 10 + lt.n * 10.5 + (lr.n + ln.n + i) * 8.5, lc.v[i]);
	/* value and target: a number with a spelt-out unit ("471.5 per
	 * 1,000") is wider than its column, so there the number stands alone
	 * and the unit goes under it, beside the period */
	render_line_value(v, m);
	pdf_font(d, 10, true);
	unit = unit_words(m->unit);
	if (unit && render_has_value(m) && pdf_text_w(d, v) > C_NUMBER_W - 6)
		render_value(v, m->value, "", m->decimals);
	else
		unit = NULL;
	if (m->provisional && render_has_value(m)) {
		strcat(v, "*");
		d->provisional = true;
	}
	pdf_ink(d, INK_TEXT);
	pdf_show_right(d, MARGIN_L + C_VALUE, y0 + 11, v);
	pdf_font(d, 6.5, false);
	pdf_ink(d, INK_MUTED);
	{
		char *per = pdf_clean(d, m->period, false);

		if (unit)
			pdf_show_right(d, MARGIN_L + C_VALUE, y0 + 19, unit);
		pdf_show_right(d, MARGIN_L + C_VALUE, y0 + (unit ? 27 : 20), per);
		free(per);
	}
	pdf_font(d, 8.5, false);
	pdf_ink(d, INK_TEXT);
	render_line_target(t, m);
	if (render_has_target(m) && pdf_text_w(d, t) > C_NUMBER_W - 4)
		render_value(t, m->target, "", m->decimals); /* the rule says its unit */
	pdf_show_right(d, MARGIN_L + C_TARGET, y0 + 11, render_has_target(m) ? t : "none");
	pdf_badge(d, MARGIN_L + C_RAG, y0 + 3, rag_badge_word(m->rag), rag_ink(m->rag), 8);
	/* sparkline */
	chart_sparkline(&sp, 64, 22, m->sparkline, m->n_sparkline, m);
	pdf_draw_chart(d, &sp, MARGIN_L + C_SPARK, y0 + 2);
	chart_release(&sp);
	direction_cells(d, m, y0);
	pdf_compare_cell(d, m, MARGIN_L + C_DIR, y0 + 40);
	d->y = y0 + h;
	pdf_hline(d, MARGIN_L, PAGE_W - MARGIN_R, d->y - 1, INK_GRID, 0.5);
	pdf_lines_free(&lt);
	pdf_lines_free(&lr);
	pdf_lines_free(&ln);
	pdf_lines_free(&lc);
	free(title);
	free(rule);
	free(note);
}

static void measures(struct pdf *d, Pmif__MeasureLine *const *ms, size_t n, bool reasons)
{
	if (n == 0) {
		pdf_para(d, MARGIN_L, WIDTH, "No measures are reported here for this period.", 9,
		         false, INK_MUTED);
		return;
	}
	measure_head(d);
	for (size_t i = 0; i < n; i++)
		if (ms[i])
			measure_row(d, ms[i], reasons);
	d->y += 6;
}

static void sowhat(struct pdf *d, const Pmif__ObjectiveSection *o)
{
	char *c = pdf_clean(d,
	                    o->commentary && o->commentary[0]
	                        ? o->commentary
	                        : "No commentary has been entered for this period.",
	                    false);
	struct pdf_lines l;
	double lh = 12.5, pad = 8, h;

	pdf_font(d, 9.5, false);
	l = pdf_wrap(d, c, WIDTH - 2 * pad - 6, 0);
	h = pad + 12 + l.n * lh + pad;
	if (h <= BOTTOM - TOP && pdf_room(d, h)) {
		/* started a new page: the box fits there */
	}
	{
		double y = d->y;

		pdf_fill_rect(d, MARGIN_L, y, WIDTH, h < BOTTOM - y ? h : BOTTOM - y, INK_BUDGET);
		pdf_fill_rect(d, MARGIN_L, y, 4, h < BOTTOM - y ? h : BOTTOM - y, INK_LINE);
		pdf_font(d, 7.5, true);
		pdf_ink(d, INK_LINE);
		pdf_show(d, MARGIN_L + pad + 4, y + pad + 6, "SO WHAT: WHAT THIS TELLS US");
		d->y = y + pad + 12;
		for (size_t i = 0; i < l.n; i++) {
			if (pdf_room(d, lh))
				pdf_fill_rect(d, MARGIN_L, d->y - 4, 4, 1, INK_LINE);
			pdf_font(d, 9.5, false);
			pdf_ink(d, INK_TEXT);
			pdf_show(d, MARGIN_L + pad + 4, d->y + 9.5, l.v[i]);
			d->y += lh;
		}
		d->y += pad + 4;
	}
	if (o->commentary_by && o->commentary_by[0]) {
		d->y -= 2;
		pdf_para(d, MARGIN_L + 12, WIDTH - 12, o->commentary_by, 7.5, false, INK_MUTED);
		d->y += 4;
	}
	pdf_lines_free(&l);
	free(c);
}

static void case_studies(struct pdf *d, const Pmif__ObjectiveSection *o, bool brief)
{
	if (o->n_case_studies == 0)
		return;
	pdf_heading(d, "Case studies: the difference it makes", 11);
	for (size_t i = 0; i < o->n_case_studies; i++) {
		const Pmif__CaseStudyLine *cs = o->case_studies[i];
		struct render_buf b = {0};

		if (cs == NULL)
			continue;
		render_buf_printf(&b, "%s%s%s%s", render_str(cs->title),
		                  cs->locality && cs->locality[0] ? " (" : "",
		                  render_str(cs->locality),
		                  cs->locality && cs->locality[0] ? ")" : "");
		pdf_para(d, MARGIN_L, WIDTH, b.p ? b.p : "", 9, true, INK_TEXT);
		render_buf_release(&b);
		if (!brief)
			pdf_para(d, MARGIN_L, WIDTH, cs->story, 8.5, false, INK_TEXT);
		d->y += 5;
	}
}

/* Start a section below what is on the page, under a rule, while over 45%
 * of the page is free, else on a new page: a spill from the section before
 * never leaves a near-empty page. */
static void run_on(struct pdf *d)
{
	if (d->y > TOP + (BOTTOM - TOP) * 0.55) {
		pdf_new_page(d);
	} else {
		d->y += 10;
		pdf_hline(d, MARGIN_L, PAGE_W - MARGIN_R, d->y, INK_TEXT, 1);
		d->y += 14;
	}
}

static void objective(struct pdf *d, const Pmif__ObjectiveSection *o, bool cabinet, bool pack)
{
	struct chart c;
	struct chart_row row;
	char counts[128], *id;
	double w;

	if (o == NULL)
		return;
	/* in a pack an objective runs on below what comes before it while
	 * the page has room (so a spill never leaves a near-empty page); a
	 * scorecard gives each objective its own page */
	if (pack)
		run_on(d);
	else
		pdf_new_page(d);
	id = pdf_clean(d, o->objective_id, false);
	w = pdf_badge(d, MARGIN_L, d->y, id[0] ? id : "?", INK_TEXT, 13);
	free(id);
	{
		double y0 = d->y;

		pdf_para(d, MARGIN_L + w + 8, WIDTH - w - 8, o->title, 14, true, INK_TEXT);
		if (d->y < y0 + 22)
			d->y = y0 + 22;
	}
	snprintf(counts, sizeof(counts),
	         "%u measures: %u Red, %u Amber, %u Green, %u Grey, %u No data",
	         o->red + o->amber + o->green + o->grey + o->no_data, o->red, o->amber, o->green,
	         o->grey, o->no_data);
	pdf_para(d, MARGIN_L, WIDTH, counts, 8.5, false, INK_MUTED);
	row = chart_rag_row("", o->red, o->amber, o->green, o->grey, o->no_data);
	chart_stacked(&c, WIDTH, 0, &row, 1, false);
	pdf_chart_here(d, &c, MARGIN_L);
	sowhat(d, o);
	measures(d, o->measures, o->n_measures, false);
	pdf_interventions(d, o);
	pdf_risk_list(d, o->risks, o->n_risks,
	              "Strategic risks (score = likelihood x impact; the heat map is at the front)",
	              false);
	if (o->n_resources > 0 && !cabinet) {
		pdf_heading(d, "Resources: budget and spend", 11);
		chart_budget(&c, WIDTH, o->resources, o->n_resources);
		pdf_chart_here(d, &c, MARGIN_L);
	}
	case_studies(d, o, cabinet);
}

/* What needs attention: the first @p max exceptions, two lines each. */
static void attention(struct pdf *d, const Pmif__ExceptionReport *x, size_t max)
{
	size_t n;
	char h[96];

	if (x == NULL)
		return;
	if (x->n_exceptions == 0) {
		pdf_heading(d, "Needs attention", 12);
		pdf_para(
		    d, MARGIN_L, WIDTH,
		    "No measure is red, showing special cause concern, or worsening this period.",
		    9, false, INK_TEXT);
		return;
	}
	n = x->n_exceptions < max ? x->n_exceptions : max;
	snprintf(h, sizeof(h), "Needs attention: %zu of %zu exceptions", n, x->n_exceptions);
	pdf_heading(d, h, 12);
	for (size_t i = 0; i < n; i++) {
		const Pmif__MeasureLine *m = x->exceptions[i];
		char v[RENDER_NUM_LEN + 2], t[RENDER_NUM_LEN], right[160], *title, *why;
		struct render_buf b = {0};
		struct pdf_lines lt, lw;
		double rw, y0;

		if (m == NULL)
			continue;
		render_line_value(v, m);
		if (m->provisional && render_has_value(m)) {
			strcat(v, "*");
			d->provisional = true;
		}
		if (render_has_target(m))
			snprintf(right, sizeof(right), "%s against %s", v,
			         render_line_target(t, m));
		else
			snprintf(right, sizeof(right), "%s", v);
		for (size_t k = 0; k < m->n_exception_reasons; k++)
			render_buf_printf(&b, "%s%s",
			                  k ? ", " : "Why: ", render_str(m->exception_reasons[k]));
		render_buf_printf(&b, "%s%s: %s", b.len ? ". " : "", render_str(m->measure_id),
		                  render_str(m->rag_rule));
		/* the title and the reasons wrap: a member reads them whole */
		pdf_font(d, 9.5, true);
		rw = pdf_text_w(d, right);
		{
			struct render_buf tb = {0};

			render_line_title(&tb, m);
			title = pdf_clean(d, tb.p ? tb.p : "", false);
			render_buf_release(&tb);
		}
		lt = pdf_wrap(d, title, WIDTH - 52 - rw - 12, 0);
		free(title);
		why = pdf_clean(d, b.p ? b.p : "", false);
		render_buf_release(&b);
		pdf_font(d, 7.5, false);
		lw = pdf_wrap(d, why, WIDTH - 52, 0);
		free(why);
		pdf_room(d, 8 + lt.n * 11.5 + lw.n * 9 + 6);
		y0 = d->y;
		pdf_badge(d, MARGIN_L, y0 + 1, rag_badge_word(m->rag), rag_ink(m->rag), 8);
		pdf_font(d, 9.5, true);
		pdf_ink(d, INK_TEXT);
		pdf_show_right(d, PAGE_W - MARGIN_R, y0 + 10, right);
		for (size_t k = 0; k < lt.n; k++)
			pdf_show(d, MARGIN_L + 52, y0 + 10 + k * 11.5, lt.v[k]);
		pdf_font(d, 7.5, false);
		pdf_ink(d, INK_MUTED);
		for (size_t k = 0; k < lw.n; k++)
			pdf_show(d, MARGIN_L + 52, y0 + 10 + lt.n * 11.5 + k * 9, lw.v[k]);
		d->y = y0 + 8 + (lt.n ? lt.n : 1) * 11.5 + lw.n * 9 + 6;
		pdf_hline(d, MARGIN_L, PAGE_W - MARGIN_R, d->y - 3, INK_GRID, 0.5);
		pdf_lines_free(&lt);
		pdf_lines_free(&lw);
	}
	d->y += 4;
}

static void summary(struct pdf *d, const Pmif__Scorecard *s, const Pmif__ExceptionReport *x)
{
	struct chart c;
	struct chart_row *rows;
	char line[128];
	unsigned total = s->red + s->amber + s->green + s->grey + s->no_data;

	pdf_heading(d, "At a glance", 14);
	snprintf(line, sizeof(line), "%u measures reported; %u provisional (awaiting sign-off).",
	         total, s->provisional);
	pdf_para(d, MARGIN_L, WIDTH, line, 9.5, false, INK_TEXT);
	d->y += 4;
	tiles(d, s);
	rows = calloc(s->n_objectives ? s->n_objectives : 1, sizeof(*rows));
	if (rows && s->n_objectives > 0) {
		size_t n = 0;

		for (size_t i = 0; i < s->n_objectives; i++)
			if (s->objectives[i])
				rows[n++] = chart_rag_row(
				    s->objectives[i]->objective_id, s->objectives[i]->red,
				    s->objectives[i]->amber, s->objectives[i]->green,
				    s->objectives[i]->grey, s->objectives[i]->no_data);
		pdf_heading(d, "RAG by objective", 11);
		chart_stacked(&c, WIDTH, 60, rows, n, true);
		pdf_chart_here(d, &c, MARGIN_L);
	}
	free(rows);
	attention(d, x, 6);
}

static void key(struct pdf *d)
{
	pdf_heading(d, "How to read this report", 11);
	pdf_para(
	    d, MARGIN_L, WIDTH,
	    "RAG (Red, Amber, Green): the latest value against its target; each measure's rule is "
	    "printed under its title (the target, how far off target still counts as Amber, and "
	    "whether higher or lower is better). " RENDER_GREY_NOTE " " RENDER_NO_DATA_NOTE " "
	    "Direction of travel: against the previous period and the same period last year. "
	    "SPC: whether the latest value is within the measure's normal range (common cause) or "
	    "a signal worth investigating (special cause). " RENDER_COMPARE_NOTE
	    " * provisional: awaiting sign-off.",
	    8, false, INK_MUTED);
}

/* ---- whole reports ---- */

void pdf_pack(struct pdf *d, const Pmif__CommitteePack *k)
{
	static const Pmif__Scorecard empty = PMIF__SCORECARD__INIT;
	const Pmif__Scorecard *s = k->summary ? k->summary : &empty;
	size_t n;
	Pmif__ObjectiveSection *const *obs = render_pack_sections(k, &n);

	pdf_cover(d, d->running, k->committee_name, k->filter);
	summary(d, s, k->exceptions);
	pdf_no_data(d, k->no_data, k->n_no_data);
	pdf_actions(d, k);
	key(d);
	if (!k->cabinet && k->exceptions && k->exceptions->n_exceptions > 0) {
		char note[200];

		run_on(d);

		pdf_heading(d, "Exceptions: red, special cause concern, or worsening", 14);
		if (render_locality_note(note, sizeof(note), k->exceptions))
			pdf_para(d, MARGIN_L, WIDTH, note, 9, false, INK_MUTED);
		measures(d, k->exceptions->exceptions, k->exceptions->n_exceptions, true);
	}
	pdf_pack_risks(d, obs, n);
	for (size_t i = 0; i < n; i++)
		objective(d, obs[i], k->cabinet, true);
	pdf_pack_localities(d, k->localities, k->n_localities);
}

void pdf_scorecard(struct pdf *d, const Pmif__Scorecard *s)
{
	pdf_cover(d, d->running, NULL, s->filter);
	summary(d, s, NULL);
	key(d);
	for (size_t i = 0; i < s->n_objectives; i++)
		objective(d, s->objectives[i], false, false);
}

void pdf_exceptions(struct pdf *d, const Pmif__ExceptionReport *x)
{
	char line[96];

	pdf_cover(d, d->running, NULL, x->filter);
	char note[200];

	snprintf(line, sizeof(line), "%zu exceptions: red, special cause concern, or worsening",
	         x->n_exceptions);
	pdf_heading(d, line, 13);
	if (render_locality_note(note, sizeof(note), x))
		pdf_para(d, MARGIN_L, WIDTH, note, 9, false, INK_MUTED);
	measures(d, x->exceptions, x->n_exceptions, true);
	key(d);
}

static void headline(struct pdf *d, const Pmif__MeasureLine *m)
{
	if (m == NULL)
		return;
	measures(d, (Pmif__MeasureLine *const *)&m, 1, false);
}

void pdf_measure_headline(struct pdf *d, const Pmif__MeasureLine *m)
{
	headline(d, m);
}

void pdf_trend(struct pdf *d, const Pmif__TrendReport *r)
{
	const Pmif__MeasureLine *m = r->measure;
	const Pmif__SpcSummary *s = r->spc;
	struct chart c;

	pdf_cover(d, d->running, m ? m->title : NULL, r->filter);
	headline(d, m);
	pdf_heading(d, "Statistical process control chart", 12);
	chart_spc(&c, WIDTH, 330, r);
	pdf_chart_here(d, &c, MARGIN_L);
	if (s && s->summary && s->summary[0]) {
		struct render_buf b = {0};

		render_buf_printf(&b, "Variation: %s", s->summary);
		pdf_para(d, MARGIN_L, WIDTH, b.p ? b.p : "", 9.5, false, INK_TEXT);
		render_buf_release(&b);
	}
	if (s && s->assurance_label && s->assurance_label[0]) {
		struct render_buf b = {0};

		render_buf_printf(&b, "Assurance: %s", s->assurance_label);
		pdf_para(d, MARGIN_L, WIDTH, b.p ? b.p : "", 9.5, false, INK_TEXT);
		render_buf_release(&b);
	}
	key(d);
}

void pdf_locality(struct pdf *d, const Pmif__LocalityReport *r)
{
	const Pmif__MeasureLine *m = r->measure;
	struct chart c;

	pdf_cover(d, d->running, m ? m->title : NULL, r->filter);
	headline(d, m);
	pdf_heading(d, "Each locality against the borough (95% confidence intervals)", 12);
	chart_locality(&c, WIDTH, r);
	pdf_chart_here(d, &c, MARGIN_L);
	pdf_para(
	    d, MARGIN_L, WIDTH,
	    "The whisker is the 95% confidence interval: where it does not cross the borough line "
	    "the difference is unlikely to be chance, and the locality is labelled significantly "
	    "better or worse.",
	    8.5, false, INK_MUTED);
	pdf_heading(d, "The figures", 11);
	for (size_t i = 0; i <= r->n_localities; i++) {
		const Pmif__LocalityLine *l = i == 0 ? r->borough : r->localities[i - 1];
		struct render_buf b = {0};
		char v[RENDER_NUM_LEN], lo[RENDER_NUM_LEN], hi[RENDER_NUM_LEN];
		const char *unit = m ? m->unit : "";
		int dec = m ? m->decimals : 1;
		double y0;

		if (l == NULL)
			continue;
		pdf_room(d, 26);
		y0 = d->y;
		render_buf_printf(&b, "%s",
		                  l->has_value ? render_value(v, l->value, unit, dec) : "n/a");
		if (l->provisional && l->has_value) {
			render_buf_add(&b, "*", 1);
			d->provisional = true;
		}
		pdf_font(d, 9.5, true);
		pdf_ink(d, INK_TEXT);
		pdf_show_fit(d, PAGE_W - MARGIN_R - 190, y0 + 9, b.p ? b.p : "", 190);
		render_buf_release(&b);
		if (l->has_interval) {
			struct render_buf iv = {0};

			render_buf_printf(&iv, "95%% interval %s to %s",
			                  render_value(lo, l->lower, unit, dec + 1),
			                  render_value(hi, l->upper, unit, dec + 1));
			pdf_font(d, 8, false);
			pdf_ink(d, INK_MUTED);
			pdf_show_fit(d, PAGE_W - MARGIN_R - 190, y0 + 19, iv.p ? iv.p : "", 190);
			render_buf_release(&iv);
		}
		pdf_para(d, MARGIN_L, WIDTH - 200, l->name && l->name[0] ? l->name : l->locality, 9,
		         true, INK_TEXT);
		pdf_para(d, MARGIN_L, WIDTH - 200,
		         i == 0 ? "the borough: the reference"
		         : l->comparison_label && l->comparison_label[0]
		             ? l->comparison_label
		             : render_comparison_word(l->comparison),
		         8, false, INK_MUTED);
		if (d->y < y0 + 24)
			d->y = y0 + 24;
		pdf_hline(d, MARGIN_L, PAGE_W - MARGIN_R, d->y - 2, INK_GRID, 0.5);
		d->y += 2;
	}
}
