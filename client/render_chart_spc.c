/*
 * render_chart_spc.c - the two statistical charts: the SPC (XmR) chart of
 * a trend report and the locality comparison with 95% intervals (see
 * render_chart.h).  Built from the primitives in render_chart.c, so the
 * same geometry reaches the HTML page and the PDF.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "render_chart.h"

/* ---- SPC chart ---- */

/* "2021-22-Q3" -> quarter 3 and the year "2021-22"; false otherwise. */
static bool quarter_of(const char *p, int *q, char *year, size_t cap)
{
	if (p == NULL || strlen(p) != 10 || p[4] != '-' || p[7] != '-' || p[8] != 'Q' ||
	    p[9] < '1' || p[9] > '4')
		return false;
	*q = p[9] - '0';
	snprintf(year, cap, "%.7s", p);
	return true;
}

/* One legend entry: a sample drawn by the caller at (x, y), then words. */
struct legend {
	struct chart *c;
	double x, y, x0, w, fs;
};

static void legend_words(struct legend *l, const char *words)
{
	chart_text(l->c, l->x + 22, l->y + 4, l->fs, ANCHOR_START, INK_TEXT, false, "%s", words);
	l->x += 22 + chart_text_width(words, l->fs, false) + 14;
}

/* Wrap to a new legend row when the next entry would not fit. */
static void legend_room(struct legend *l, const char *words)
{
	if (l->x > l->x0 && l->x + 22 + chart_text_width(words, l->fs, false) > l->w) {
		l->x = l->x0;
		l->y += l->fs + 7;
	}
}

/* How to draw a point of an SPC chart, from its flags and the polarity. */
static void spc_style(const Pmif__SeriesPoint *p, const char *polarity, enum chart_ink *ink,
                      enum chart_mark *shape, double *r)
{
	bool high = p->flags_high != 0, low = p->flags_low != 0;
	const char *pol = render_str(polarity);

	*ink = INK_LINE;
	*shape = MARK_CIRCLE;
	*r = 2.8;
	if (!high && !low)
		return;
	*r = 4.2;
	if (strcmp(pol, "higher") == 0 || strcmp(pol, "lower") == 0) {
		bool good = (strcmp(pol, "higher") == 0) ? high : low;

		*ink = good ? INK_IMPROVE : INK_CONCERN;
		*shape = good ? MARK_DIAMOND : MARK_SQUARE;
	} else {
		*ink = INK_NEUTRAL;
		*shape = high ? MARK_TRI_UP : MARK_TRI_DOWN;
	}
}

/* One SPC chart being drawn: the scales, the plot box and the labels
 * collected for the right-hand margin. */
struct spc_plot {
	struct chart *c;
	const Pmif__TrendReport *t;
	const Pmif__SpcSummary *s;
	const char *unit, *pol;
	int dec;
	size_t n;
	struct chart_scale sx, sy;
	double px0, px1, py0, py1;
	struct rlabel {
		double y;
		enum chart_ink ink;
		char text[64];
	} labels[6];
	size_t nl;
};

static void spc_label(struct spc_plot *sp, double y, enum chart_ink ink, const char *word, double v)
{
	char buf[RENDER_NUM_LEN];

	if (sp->nl == sizeof(sp->labels) / sizeof(sp->labels[0]))
		return;
	sp->labels[sp->nl].y = y;
	sp->labels[sp->nl].ink = ink;
	snprintf(sp->labels[sp->nl++].text, 64, "%s %s", word,
	         render_value(buf, v, sp->unit, sp->dec));
}

/* x labels: quarters under points and years under groups, or every k-th period */
static void spc_x_labels(struct spc_plot *sp)
{
	struct chart *c = sp->c;
	const Pmif__TrendReport *t = sp->t;
	size_t n = sp->n;
	double py1 = sp->py1;
	const struct chart_scale sx = sp->sx;
	bool quarters = n > 0;

	for (size_t i = 0; i < n && quarters; i++) {
		int q;
		char year[16];

		quarters = t->points[i] && quarter_of(t->points[i]->period, &q, year, sizeof(year));
	}
	if (quarters) {
		size_t start = 0;

		for (size_t i = 0; i <= n; i++) {
			int q = 0, q0 = 0;
			char year[16] = "", year0[16] = "";

			if (i < n) {
				quarter_of(t->points[i]->period, &q, year, sizeof(year));
				chart_line(c, chart_at(&sx, (double)i), py1,
				           chart_at(&sx, (double)i), py1 + 4, INK_AXIS, 1,
				           DASH_SOLID);
				chart_text(c, chart_at(&sx, (double)i), py1 + 15, 9, ANCHOR_MIDDLE,
				           INK_MUTED, false, "Q%d", q);
			}
			quarter_of(t->points[start]->period, &q0, year0, sizeof(year0));
			if (i == n || strcmp(year, year0) != 0) {
				double xa = chart_at(&sx, (double)start),
				       xb = chart_at(&sx, (double)(i - 1));

				chart_text(c, (xa + xb) / 2, py1 + 29, 10, ANCHOR_MIDDLE, INK_TEXT,
				           true, "%s", year0);
				if (i < n)
					chart_line(c, (chart_at(&sx, (double)i) + xb) / 2, py1,
					           (chart_at(&sx, (double)i) + xb) / 2, py1 + 32,
					           INK_GRID, 1, DASH_SOLID);
				start = i;
			}
		}
	} else if (n > 0) {
		double lw = 0, step_px = n > 1 ? (sx.r1 - sx.r0) / (double)(n - 1) : 1;
		size_t k;

		for (size_t i = 0; i < n; i++)
			if (t->points[i]) {
				double tw =
				    chart_text_width(render_str(t->points[i]->period), 9, false);

				lw = tw > lw ? tw : lw;
			}
		k = (size_t)ceil((lw + 8) / (step_px > 1 ? step_px : 1));
		k = k < 1 ? 1 : k;
		for (size_t i = 0; i < n; i += k)
			if (t->points[i])
				chart_text(c, chart_at(&sx, (double)i), py1 + 15, 9, ANCHOR_MIDDLE,
				           INK_MUTED, false, "%s",
				           render_str(t->points[i]->period));
	}
}

/* Process limits, mean and 2-sigma, labelled at the right. */
static void spc_limits(struct spc_plot *sp, bool limits)
{
	struct chart *c = sp->c;
	const Pmif__SpcSummary *s = sp->s;
	double px0 = sp->px0, px1 = sp->px1, py0 = sp->py0;
	const struct chart_scale sy = sp->sy;

	if (limits) {
		if (isfinite(s->upper_2sigma) && isfinite(s->lower_2sigma)) {
			chart_line(c, px0, chart_at(&sy, s->upper_2sigma), px1,
			           chart_at(&sy, s->upper_2sigma), INK_SIGMA, 0.8, DASH_DOTTED);
			chart_line(c, px0, chart_at(&sy, s->lower_2sigma), px1,
			           chart_at(&sy, s->lower_2sigma), INK_SIGMA, 0.8, DASH_DOTTED);
		}
		chart_line(c, px0, chart_at(&sy, s->upl), px1, chart_at(&sy, s->upl), INK_LIMIT,
		           1.2, DASH_DASHED);
		chart_line(c, px0, chart_at(&sy, s->lpl), px1, chart_at(&sy, s->lpl), INK_LIMIT,
		           1.2, DASH_DASHED);
		chart_line(c, px0, chart_at(&sy, s->mean), px1, chart_at(&sy, s->mean), INK_MEAN,
		           1.2, DASH_SOLID);
		spc_label(sp, chart_at(&sy, s->upl), INK_MUTED, "UPL", s->upl);
		spc_label(sp, chart_at(&sy, s->mean), INK_TEXT, "Mean", s->mean);
		spc_label(sp, chart_at(&sy, s->lpl), INK_MUTED, "LPL", s->lpl);
	} else {
		chart_text(c, px0 + 8, py0 + 12, 10, ANCHOR_START, INK_MUTED, false,
		           "Fewer than 12 points: process limits not yet calculated");
	}
}

/* The target: a step line following the target of each period. */
static void spc_target(struct spc_plot *sp)
{
	struct chart *c = sp->c;
	const struct chart_scale sx = sp->sx, sy = sp->sy;
	const Pmif__TrendReport *t = sp->t;
	double px0 = sp->px0, px1 = sp->px1;
	size_t n = sp->n;
	struct chart_item *tp = NULL;
	double last_t = NAN, dx = n > 1 ? (sx.r1 - sx.r0) / (double)(n - 1) : 20;

	for (size_t i = 0; i < n; i++) {
		const Pmif__SeriesPoint *p = t->points[i];
		bool has = p && p->has_target && isfinite(p->target);
		double xa = chart_at(&sx, (double)i) - dx / 2,
		       xb = chart_at(&sx, (double)i) + dx / 2;

		if (!has) {
			tp = NULL;
			continue;
		}
		xa = xa < px0 ? px0 : xa;
		xb = xb > px1 ? px1 : xb;
		if (tp == NULL)
			tp = chart_path(c, INK_TARGET, 1.6, DASH_DASHDOT);
		chart_path_pt(c, tp, xa, chart_at(&sy, p->target));
		chart_path_pt(c, tp, xb, chart_at(&sy, p->target));
		last_t = p->target;
	}
	if (isfinite(last_t))
		spc_label(sp, chart_at(&sy, last_t), INK_TARGET, "Target", last_t);
}

/* Place the right-hand labels top to bottom without overlap. */
static void spc_place_labels(struct spc_plot *sp)
{
	struct chart *c = sp->c;
	struct rlabel *labels = sp->labels;
	size_t nl = sp->nl;
	double px1 = sp->px1;

	for (size_t i = 1; i < nl; i++)
		for (size_t j = i; j > 0 && labels[j].y < labels[j - 1].y; j--) {
			struct rlabel tmp = labels[j];

			labels[j] = labels[j - 1];
			labels[j - 1] = tmp;
		}
	for (size_t i = 1; i < nl; i++)
		if (labels[i].y < labels[i - 1].y + 11)
			labels[i].y = labels[i - 1].y + 11;
	for (size_t i = 0; i < nl; i++)
		chart_text(c, px1 + 5, labels[i].y + 3.5, 9.5, ANCHOR_START, labels[i].ink,
		           labels[i].ink == INK_TARGET, "%s", labels[i].text);
}

/* The values: the line, then a mark per point styled by its signal. */
static void spc_values(struct spc_plot *sp)
{
	struct chart *c = sp->c;
	const Pmif__TrendReport *t = sp->t;
	const struct chart_scale sx = sp->sx, sy = sp->sy;
	size_t n = sp->n;
	const char *pol = sp->pol;
	struct chart_item *vp = NULL;

	for (size_t i = 0; i < n; i++) {
		const Pmif__SeriesPoint *p = t->points[i];

		if (!(p && p->has_value && isfinite(p->value))) {
			vp = NULL;
			continue;
		}
		if (vp == NULL)
			vp = chart_path(c, INK_LINE, 1.8, DASH_SOLID);
		chart_path_pt(c, vp, chart_at(&sx, (double)i), chart_at(&sy, p->value));
	}
	for (size_t i = 0; i < n; i++) {
		const Pmif__SeriesPoint *p = t->points[i];
		enum chart_ink ink;
		enum chart_mark shape;
		double r;

		if (!(p && p->has_value && isfinite(p->value)))
			continue;
		spc_style(p, pol, &ink, &shape, &r);
		chart_mark(c, chart_at(&sx, (double)i), chart_at(&sy, p->value), r, shape,
		           p->provisional ? INK_WHITE : ink, ink);
	}
}

/* The legend under the plot. */
static void spc_legend(struct chart *c, double px0, double y, double w, const char *pol)
{
	struct legend l = {c, px0, y, px0, w - 8, 9.5};

	chart_mark(c, l.x + 9, l.y, 2.8, MARK_CIRCLE, INK_LINE, INK_LINE);
	legend_words(&l, "value");
	legend_room(&l, "provisional (awaiting sign-off)");
	chart_mark(c, l.x + 9, l.y, 2.8, MARK_CIRCLE, INK_WHITE, INK_LINE);
	legend_words(&l, "provisional (awaiting sign-off)");
	if (strcmp(render_str(pol), "none") == 0) {
		legend_room(&l, "special cause: high");
		chart_mark(c, l.x + 9, l.y, 4, MARK_TRI_UP, INK_NEUTRAL, INK_NEUTRAL);
		legend_words(&l, "special cause: high");
		legend_room(&l, "special cause: low");
		chart_mark(c, l.x + 9, l.y, 4, MARK_TRI_DOWN, INK_NEUTRAL, INK_NEUTRAL);
		legend_words(&l, "special cause: low");
	} else {
		legend_room(&l, "special cause: concern");
		chart_mark(c, l.x + 9, l.y, 4, MARK_SQUARE, INK_CONCERN, INK_CONCERN);
		legend_words(&l, "special cause: concern");
		legend_room(&l, "special cause: improvement");
		chart_mark(c, l.x + 9, l.y, 4, MARK_DIAMOND, INK_IMPROVE, INK_IMPROVE);
		legend_words(&l, "special cause: improvement");
	}
	legend_room(&l, "mean");
	chart_line(c, l.x, l.y, l.x + 18, l.y, INK_MEAN, 1.2, DASH_SOLID);
	legend_words(&l, "mean");
	legend_room(&l, "process limits (UPL, LPL)");
	chart_line(c, l.x, l.y, l.x + 18, l.y, INK_LIMIT, 1.2, DASH_DASHED);
	legend_words(&l, "process limits (UPL, LPL)");
	legend_room(&l, "2 sigma");
	chart_line(c, l.x, l.y, l.x + 18, l.y, INK_SIGMA, 0.8, DASH_DOTTED);
	legend_words(&l, "2 sigma");
	legend_room(&l, "target");
	chart_line(c, l.x, l.y, l.x + 18, l.y, INK_TARGET, 1.6, DASH_DASHDOT);
	legend_words(&l, "target");
}

void chart_spc(struct chart *c, double w, double h, const Pmif__TrendReport *t)
{
	const Pmif__MeasureLine *m = t ? t->measure : NULL;
	const Pmif__SpcSummary *s = t ? t->spc : NULL;
	const char *unit = m ? m->unit : "";
	const char *pol = m ? m->polarity : "";
	int dec = m ? m->decimals : 1;
	bool limits =
	    s && !s->insufficient && isfinite(s->mean) && isfinite(s->upl) && isfinite(s->lpl);
	size_t n = t ? t->n_points : 0, n_vals = 0, n_ticks;
	double lo = INFINITY, hi = -INFINITY, ticks[16], left = 48, right = 84, top = 16;
	double bottom = 40, legend_h = 44, px0, px1, py0, py1;
	struct chart_scale sx, sy;
	char buf[RENDER_NUM_LEN];

	chart_init(c, w, h);
	for (size_t i = 0; i < n; i++) {
		const Pmif__SeriesPoint *p = t->points[i];

		if (p && p->has_value && isfinite(p->value)) {
			chart_take(&lo, &hi, p->value);
			n_vals++;
		}
		if (p && p->has_target)
			chart_take(&lo, &hi, p->target);
	}
	if (limits) {
		chart_take(&lo, &hi, s->upl);
		chart_take(&lo, &hi, s->lpl);
	}
	if (n_vals == 0 || !chart_pad_range(&lo, &hi, 0.06)) {
		chart_text(c, w / 2, h / 2, 12, ANCHOR_MIDDLE, INK_MUTED, false,
		           "No values in this period range to chart");
		chart_set_title(c, "SPC chart: no values to show");
		return;
	}
	n_ticks = chart_ticks(lo, hi, 6, ticks, 16);
	if (n_ticks > 0) {
		if (ticks[0] < lo)
			lo = ticks[0];
		if (ticks[n_ticks - 1] > hi)
			hi = ticks[n_ticks - 1];
	}
	for (size_t i = 0; i < n_ticks; i++) {
		double tw =
		    chart_text_width(render_value(buf, ticks[i], unit, dec), 10, false) + 10;

		if (tw > left)
			left = tw < 140 ? tw : 140;
	}
	px0 = left;
	px1 = w - right;
	py0 = top;
	py1 = h - bottom - legend_h;
	if (px1 - px0 < 40 || py1 - py0 < 40) {
		chart_text(c, 4, 14, 10, ANCHOR_START, INK_MUTED, false, "chart too small to draw");
		return;
	}
	sx = (struct chart_scale){0, n > 1 ? (double)(n - 1) : 1, px0 + 10, px1 - 10};
	sy = (struct chart_scale){lo, hi, py1, py0};
	/* grid and y axis */
	for (size_t i = 0; i < n_ticks; i++) {
		double y = chart_at(&sy, ticks[i]);

		chart_line(c, px0, y, px1, y, INK_GRID, 0.8, DASH_SOLID);
		chart_text(c, px0 - 6, y + 3.5, 10, ANCHOR_END, INK_MUTED, false, "%s",
		           render_value(buf, ticks[i], unit, dec));
	}
	chart_line(c, px0, py1, px1, py1, INK_AXIS, 1, DASH_SOLID);
	chart_line(c, px0, py0, px0, py1, INK_AXIS, 1, DASH_SOLID);
	{
		struct spc_plot p = {.c = c,
		                     .t = t,
		                     .s = s,
		                     .unit = unit,
		                     .pol = pol,
		                     .dec = dec,
		                     .n = n,
		                     .sx = sx,
		                     .sy = sy,
		                     .px0 = px0,
		                     .px1 = px1,
		                     .py0 = py0,
		                     .py1 = py1};

		spc_x_labels(&p);
		spc_limits(&p, limits);
		spc_target(&p);
		spc_place_labels(&p);
		spc_values(&p);
	}
	spc_legend(c, px0, h - legend_h + 6, w, pol);
	chart_set_title(c, "Statistical process control chart of %s: %zu periods%s%s",
	                m ? render_str(m->title) : "the measure", n,
	                s && s->summary && s->summary[0] ? "; " : "",
	                s ? render_str(s->summary) : "");
}

/* ---- locality intervals ---- */

void chart_comparison_style(const Pmif__LocalityLine *l, enum chart_ink *ink,
                            enum chart_mark *shape)
{
	switch (l->comparison) {
	case PMIF__COMPARISON__COMPARISON_WORSE:
		*ink = INK_CONCERN;
		*shape = MARK_SQUARE;
		break;
	case PMIF__COMPARISON__COMPARISON_BETTER:
		*ink = INK_IMPROVE;
		*shape = MARK_DIAMOND;
		break;
	case PMIF__COMPARISON__COMPARISON_HIGHER:
		*ink = INK_NEUTRAL;
		*shape = MARK_TRI_UP;
		break;
	case PMIF__COMPARISON__COMPARISON_LOWER:
		*ink = INK_NEUTRAL;
		*shape = MARK_TRI_DOWN;
		break;
	case PMIF__COMPARISON__COMPARISON_SIMILAR:
		*ink = INK_GREY;
		*shape = MARK_CIRCLE;
		break;
	default: *ink = INK_LINE; *shape = MARK_CIRCLE;
	}
}

void chart_locality(struct chart *c, double w, const Pmif__LocalityReport *r)
{
	const double row_h = 38, top = 26, fs = 10.5;
	const Pmif__MeasureLine *m = r ? r->measure : NULL;
	const char *unit = m ? m->unit : "";
	int dec = m ? m->decimals : 1;
	size_t n = r ? r->n_localities : 0, n_ticks;
	double lo = INFINITY, hi = -INFINITY, ticks[16];
	double label_w = w * 0.40, value_w = w * 0.15, px0, px1, py1;
	const Pmif__LocalityLine *b = r ? r->borough : NULL;
	bool b_ok = b && b->has_value && isfinite(b->value);
	struct chart_scale sx;
	char buf[256], num[RENDER_NUM_LEN];

	chart_init(c, w, top + row_h * (double)(n + 1) + 40);
	for (size_t i = 0; i < n; i++) {
		const Pmif__LocalityLine *l = r->localities[i];

		if (l == NULL)
			continue;
		if (l->has_value)
			chart_take(&lo, &hi, l->value);
		if (l->has_interval) {
			chart_take(&lo, &hi, l->lower);
			chart_take(&lo, &hi, l->upper);
		}
	}
	if (b_ok)
		chart_take(&lo, &hi, b->value);
	if (!chart_pad_range(&lo, &hi, 0.08)) {
		c->h = 40;
		chart_text(c, 4, 20, 12, ANCHOR_START, INK_MUTED, false,
		           "No locality values to chart");
		chart_set_title(c, "Locality comparison: no values");
		return;
	}
	n_ticks = chart_ticks(lo, hi, 5, ticks, 16);
	if (n_ticks > 0) {
		lo = ticks[0] < lo ? ticks[0] : lo;
		hi = ticks[n_ticks - 1] > hi ? ticks[n_ticks - 1] : hi;
	}
	px0 = label_w;
	px1 = w - value_w;
	py1 = top + row_h * (double)(n + (b ? 1 : 0));
	sx = (struct chart_scale){lo, hi, px0 + 10, px1 - 10};
	for (size_t i = 0; i < n_ticks; i++) {
		double x = chart_at(&sx, ticks[i]);

		chart_line(c, x, top - 4, x, py1, INK_GRID, 0.8, DASH_SOLID);
		chart_line(c, x, py1, x, py1 + 4, INK_AXIS, 1, DASH_SOLID);
		chart_text(c, x, py1 + 16, 9.5, ANCHOR_MIDDLE, INK_MUTED, false, "%s",
		           render_value(num, ticks[i], unit, dec));
	}
	chart_line(c, px0, py1, px1, py1, INK_AXIS, 1, DASH_SOLID);
	chart_text(c, px1 + 8, top - 10, 9.5, ANCHOR_START, INK_MUTED, true, "Value");
	if (b_ok) {
		double x = chart_at(&sx, b->value);

		chart_line(c, x, top - 6, x, py1, INK_TEXT, 1.2, DASH_DASHED);
		chart_text(c, x, top - 10, 9.5, ANCHOR_MIDDLE, INK_TEXT, true, "Borough %s",
		           render_value(num, b->value, unit, dec));
	}
	for (size_t i = 0; i < n + (b ? 1 : 0); i++) {
		const Pmif__LocalityLine *l = i == 0 && b ? b : r->localities[i - (b ? 1 : 0)];
		double y = top + row_h * (double)i + row_h / 2;
		enum chart_ink ink;
		enum chart_mark shape;
		bool is_b = l == b;

		if (l == NULL)
			continue;
		chart_comparison_style(l, &ink, &shape);
		/* name, and under it the comparison in words */
		chart_fit_text(buf, sizeof(buf), l->name && l->name[0] ? l->name : l->locality,
		               label_w - 10, fs);
		chart_text(c, 0, y - 2, fs, ANCHOR_START, INK_TEXT, true, "%s", buf);
		/* the short word for the server's judgement; its full label is in the table */
		chart_fit_text(buf, sizeof(buf),
		               is_b ? "the reference line"
		               : l->comparison == PMIF__COMPARISON__COMPARISON_NOT_COMPARED &&
		                       l->comparison_label && l->comparison_label[0]
		                   ? l->comparison_label
		                   : render_comparison_word(l->comparison),
		               label_w - 10, 9.5);
		chart_text(c, 0, y + 11, 9.5, ANCHOR_START,
		           is_b || ink == INK_LINE || ink == INK_GREY ? INK_MUTED : ink,
		           !is_b && ink != INK_GREY && ink != INK_LINE, "%s", buf);
		if (l->has_interval && isfinite(l->lower) && isfinite(l->upper)) {
			double xa = chart_at(&sx, l->lower), xb = chart_at(&sx, l->upper);

			chart_line(c, xa, y, xb, y, INK_AXIS, 1.4, DASH_SOLID);
			chart_line(c, xa, y - 5, xa, y + 5, INK_AXIS, 1.4, DASH_SOLID);
			chart_line(c, xb, y - 5, xb, y + 5, INK_AXIS, 1.4, DASH_SOLID);
		}
		if (l->has_value && isfinite(l->value)) {
			chart_mark(c, chart_at(&sx, l->value), y, is_b ? 4 : 4.6,
			           is_b ? MARK_CIRCLE : shape,
			           l->provisional ? INK_WHITE : (is_b ? INK_TEXT : ink),
			           is_b ? INK_TEXT : ink);
			chart_text(c, px1 + 8, y + 4, fs + 0.5, ANCHOR_START, INK_TEXT, true,
			           "%s%s", render_value(num, l->value, unit, dec),
			           l->provisional ? "*" : "");
		} else {
			chart_text(c, px1 + 8, y + 4, fs, ANCHOR_START, INK_MUTED, false,
			           "no value");
		}
		if (i + 1 < n + (b ? 1 : 0))
			chart_line(c, 0, y + row_h / 2, w, y + row_h / 2, INK_GRID, 0.5,
			           DASH_SOLID);
	}
	c->h = py1 + 26;
	chart_set_title(
	    c,
	    "Each locality's value of %s with its 95%% confidence interval, against the "
	    "borough value%s%s",
	    m ? render_str(m->title) : "the measure", b_ok ? " of " : "",
	    b_ok ? render_value(num, b->value, unit, dec) : "");
}
