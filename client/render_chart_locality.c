/*
 * render_chart_locality.c - the locality chart of a pack's locality
 * section: chart_locality()'s picture (each area's value with its 95%
 * confidence interval against the borough's dashed line) in short rows,
 * so that a Cabinet pack can show a dozen measures in a few pages.
 *
 * Columns: the area's short name, the server's comparison as its word,
 * the interval plot, the value.  Why an area is not compared is a
 * sentence too long for a row: the section prints it beside the chart.
 * Every word is sized to fit its column, so none is ever cut.
 */
#include <math.h>
#include <string.h>

#include "render.h"
#include "render_chart.h"

#define ROW_H 17.0
#define TOP   16.0
#define FS    9.0

/* The short word for @p l's comparison. */
static const char *word_of(const Pmif__LocalityLine *l, bool borough)
{
	if (borough)
		return "the reference";
	switch (l->comparison) {
	case PMIF__COMPARISON__COMPARISON_SIMILAR: return "similar";
	case PMIF__COMPARISON__COMPARISON_BETTER: return "significantly better";
	case PMIF__COMPARISON__COMPARISON_WORSE: return "significantly worse";
	case PMIF__COMPARISON__COMPARISON_HIGHER: return "significantly higher";
	case PMIF__COMPARISON__COMPARISON_LOWER: return "significantly lower";
	default: return "not compared";
	}
}

/* The data range of every value and interval of @p r. */
static bool range_of(const Pmif__LocalityReport *r, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t i = 0; i <= r->n_localities; i++) {
		const Pmif__LocalityLine *l = i == 0 ? r->borough : r->localities[i - 1];

		if (l == NULL)
			continue;
		if (l->has_value)
			chart_take(lo, hi, l->value);
		if (l->has_interval) {
			chart_take(lo, hi, l->lower);
			chart_take(lo, hi, l->upper);
		}
	}
	return chart_pad_range(lo, hi, 0.06);
}

/* One area's row at @p y (its middle). */
static void row(struct chart *c, const Pmif__LocalityLine *l, bool borough, double y,
                const struct chart_scale *sx, double word_x, double value_x, double name_w,
                const Pmif__MeasureLine *m)
{
	char full[128], name[128], num[RENDER_NUM_LEN];
	enum chart_ink ink;
	enum chart_mark shape;

	chart_comparison_style(l, &ink, &shape);
	render_area_name(full, sizeof(full), l->name && l->name[0] ? l->name : l->locality);
	chart_fit_text(name, sizeof(name), full, name_w, FS);
	chart_text(c, 0, y + 3, FS, ANCHOR_START, INK_TEXT, borough, "%s", name);
	chart_text(c, word_x, y + 3, FS - 0.5, ANCHOR_START,
	           borough || ink == INK_LINE || ink == INK_GREY ? INK_MUTED : ink,
	           !borough && ink != INK_LINE && ink != INK_GREY, "%s", word_of(l, borough));
	if (l->has_interval && isfinite(l->lower) && isfinite(l->upper)) {
		double xa = chart_at(sx, l->lower), xb = chart_at(sx, l->upper);

		chart_line(c, xa, y, xb, y, INK_AXIS, 1.2, DASH_SOLID);
		chart_line(c, xa, y - 4, xa, y + 4, INK_AXIS, 1.2, DASH_SOLID);
		chart_line(c, xb, y - 4, xb, y + 4, INK_AXIS, 1.2, DASH_SOLID);
	}
	if (l->has_value && isfinite(l->value)) {
		chart_mark(c, chart_at(sx, l->value), y, 3.8, borough ? MARK_CIRCLE : shape,
		           l->provisional ? INK_WHITE : (borough ? INK_TEXT : ink),
		           borough ? INK_TEXT : ink);
		chart_text(c, value_x, y + 3, FS, ANCHOR_START, INK_TEXT, true, "%s%s",
		           render_value(num, l->value, m ? m->unit : "", m ? m->decimals : 1),
		           l->provisional ? "*" : "");
	} else {
		chart_text(c, value_x, y + 3, FS, ANCHOR_START, INK_MUTED, false, "no value");
	}
}

void chart_locality_compact(struct chart *c, double w, const Pmif__LocalityReport *r)
{
	const Pmif__MeasureLine *m = r ? r->measure : NULL;
	const Pmif__LocalityLine *b = r ? r->borough : NULL;
	bool b_ok = b && b->has_value && isfinite(b->value);
	size_t rows = r ? r->n_localities + (b ? 1 : 0) : 0, n_ticks;
	double word_x = w * 0.28, px0 = w * 0.50, value_x = w * 0.82, lo, hi, ticks[16], py1;
	struct chart_scale sx;
	char num[RENDER_NUM_LEN];

	chart_init(c, w, TOP + ROW_H * (double)rows + 18);
	if (r == NULL || !range_of(r, &lo, &hi)) {
		c->h = 24;
		chart_text(c, 0, 14, FS, ANCHOR_START, INK_MUTED, false,
		           "No locality values for this period");
		chart_set_title(c, "Locality comparison: no values");
		return;
	}
	n_ticks = chart_ticks(lo, hi, 4, ticks, 16);
	if (n_ticks > 0) {
		lo = fmin(lo, ticks[0]);
		hi = fmax(hi, ticks[n_ticks - 1]);
	}
	py1 = TOP + ROW_H * (double)rows;
	sx = (struct chart_scale){lo, hi, px0 + 6, value_x - 10};
	for (size_t i = 0; i < n_ticks; i++) {
		double x = chart_at(&sx, ticks[i]);

		chart_line(c, x, TOP - 2, x, py1, INK_GRID, 0.6, DASH_SOLID);
		chart_text(c, x, py1 + 11, 7.5, ANCHOR_MIDDLE, INK_MUTED, false, "%s",
		           render_value(num, ticks[i], m ? m->unit : "", m ? m->decimals : 1));
	}
	chart_line(c, sx.r0 - 6, py1, sx.r1 + 6, py1, INK_AXIS, 0.8, DASH_SOLID);
	if (b_ok) {
		double x = chart_at(&sx, b->value);

		chart_line(c, x, TOP - 4, x, py1, INK_TEXT, 1, DASH_DASHED);
		chart_text(c, x, TOP - 6, 7.5, ANCHOR_MIDDLE, INK_TEXT, true, "borough %s",
		           render_value(num, b->value, m ? m->unit : "", m ? m->decimals : 1));
	}
	for (size_t i = 0; i < rows; i++) {
		const Pmif__LocalityLine *l =
		    b ? (i == 0 ? b : r->localities[i - 1]) : r->localities[i];
		double y = TOP + ROW_H * (double)i + ROW_H / 2;

		if (l == NULL)
			continue;
		row(c, l, l == b, y, &sx, word_x, value_x, word_x - 8, m);
		if (i + 1 < rows)
			chart_line(c, 0, y + ROW_H / 2, w, y + ROW_H / 2, INK_GRID, 0.4,
			           DASH_SOLID);
	}
	chart_set_title(c,
	                "Each locality's value of %s with its 95%% confidence interval, against "
	                "the borough value%s%s",
	                m ? render_str(m->title) : "the measure", b_ok ? " of " : "",
	                b_ok ? render_value(num, b->value, m ? m->unit : "", m ? m->decimals : 1)
	                     : "");
}
