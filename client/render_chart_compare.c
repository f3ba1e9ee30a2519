/*
 * render_chart_compare.c - the bar chart of a comparison with similar
 * councils (render_chart.h): one bar per council, best first as the
 * server ranked them, this council's bar dark and named in words beside
 * it, the national and regional figures as dashed reference lines, and
 * "ILLUSTRATIVE" underneath when the set is made up.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "render.h"
#include "render_chart.h"

/* Data range of the bars and reference lines, from zero when all are
 * positive so bar lengths compare; false when there is nothing. */
static bool range_of(const Pmif__CompareReport *r, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t i = 0; i < r->n_rows; i++)
		chart_take(lo, hi, r->rows[i]->value);
	for (size_t i = 0; i < r->n_references; i++)
		chart_take(lo, hi, r->references[i]->value);
	if (!isfinite(*lo))
		return false;
	if (*lo > 0)
		*lo = 0;
	if (*hi < 0)
		*hi = 0;
	if (*hi - *lo <= 0)
		*hi = *lo + 1;
	*hi += (*hi - *lo) * 0.04;
	return true;
}

static void references(struct chart *c, const Pmif__CompareReport *r, const struct chart_scale *sx,
                       double top, double bottom)
{
	const Pmif__MeasureLine *m = r->measure;
	char num[RENDER_NUM_LEN];

	for (size_t i = 0; i < r->n_references; i++) {
		const Pmif__CompareRow *ref = r->references[i];
		double x = chart_at(sx, ref->value), y = top - 8 - 12.0 * (double)i;

		if (!isfinite(ref->value))
			continue;
		chart_line(c, x, y + 3, x, bottom, INK_TEXT, 1.2, DASH_DASHED);
		chart_text(c, x, y, 9.5, x > c->w * 0.75 ? ANCHOR_END : ANCHOR_START, INK_TEXT,
		           true, "%s %s", render_str(ref->name),
		           render_value(num, ref->value, m ? m->unit : "", m ? m->decimals : 1));
	}
}

void chart_compare(struct chart *c, double w, const Pmif__CompareReport *r)
{
	const double row_h = 19, fs = 10;
	const Pmif__MeasureLine *m = r ? r->measure : NULL;
	const char *unit = m ? m->unit : "";
	int dec = m ? m->decimals : 1;
	size_t n = r ? r->n_rows : 0, n_ticks;
	double lo, hi, ticks[16], label_w = w * 0.28, value_w = w * 0.26, top, bottom;
	struct chart_scale sx;
	char buf[256], num[RENDER_NUM_LEN];

	chart_init(c, w, 40);
	if (r == NULL || n == 0 || !range_of(r, &lo, &hi)) {
		chart_text(c, 4, 20, 12, ANCHOR_START, INK_MUTED, false,
		           "No comparator figures to chart");
		chart_set_title(c, "Comparison with similar councils: no figures");
		return;
	}
	n_ticks = chart_ticks(lo, hi, 5, ticks, 16);
	top = 22 + 12.0 * (double)r->n_references;
	bottom = top + row_h * (double)n;
	sx = (struct chart_scale){lo, hi, label_w, w - value_w};
	for (size_t i = 0; i < n_ticks; i++) {
		double x = chart_at(&sx, ticks[i]);

		if (ticks[i] < lo || ticks[i] > hi)
			continue;
		chart_line(c, x, top, x, bottom, INK_GRID, 0.8, DASH_SOLID);
		chart_text(c, x, bottom + 14, 9, ANCHOR_MIDDLE, INK_MUTED, false, "%s",
		           render_value(num, ticks[i], unit, dec));
	}
	for (size_t i = 0; i < n; i++) {
		const Pmif__CompareRow *row = r->rows[i];
		double y = top + row_h * (double)i, x0 = chart_at(&sx, lo > 0 ? lo : 0),
		       x1 = chart_at(&sx, row->value);
		bool us = row->this_council;

		if (row->rank)
			snprintf(buf, sizeof(buf), "%u. %s", row->rank, render_str(row->name));
		else
			snprintf(buf, sizeof(buf), "%s", render_str(row->name));
		{
			char fit[256];

			chart_fit_text(fit, sizeof(fit), buf, label_w - 8, fs);
			chart_text(c, 0, y + row_h - 6, fs, ANCHOR_START, INK_TEXT, us, "%s", fit);
		}
		chart_rect(c, x0 < x1 ? x0 : x1, y + 3, fabs(x1 - x0), row_h - 6,
		           us ? INK_SPEND : INK_BUDGET, us ? INK_SPEND : INK_AXIS);
		chart_text(c, w - value_w + 6, y + row_h - 6, fs, ANCHOR_START, INK_TEXT, us,
		           "%s%s", render_value(num, row->value, unit, dec),
		           us ? "  \xe2\x97\x80 this council" : "");
	}
	chart_line(c, chart_at(&sx, lo > 0 ? lo : 0), top, chart_at(&sx, lo > 0 ? lo : 0), bottom,
	           INK_AXIS, 1, DASH_SOLID);
	references(c, r, &sx, top, bottom);
	c->h = bottom + 24;
	/* the source and date are beside the chart; a chart shown on its own
	 * still says when its figures are made up */
	if (r->position && r->position->illustrative) {
		chart_text(c, 0, c->h + 2, 9, ANCHOR_START, INK_MUTED, true,
		           "ILLUSTRATIVE figures: not real councils' data");
		c->h += 12;
	}
	chart_set_title(c, "%s: this council's value against %zu similar councils, best first%s%s",
	                m ? render_str(m->title) : "the measure", n ? n - 1 : 0,
	                r->position && r->position->label ? "; " : "",
	                r->position && r->position->label ? r->position->label : "");
}
