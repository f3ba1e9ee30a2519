/*
 * render_chart.c - chart geometry, once, for both SVG and PDF (see
 * render_chart.h): nice ticks, scales, stacked RAG bars, sparklines, the
 * SPC chart, the locality interval chart and budget bars.
 *
 * Builders never fail loudly: out of memory sets chart.failed and the
 * writers skip the chart.  Non-finite numbers from the message are left
 * out of scales and drawing, so NaN or 1e308 gives a sparse chart, not a
 * crash.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_chart.h"

const struct chart_rgb chart_palette[INK__N] = {
    [INK_NONE] = {255, 255, 255},         [INK_TEXT] = {0x1b, 0x1b, 0x1b},
    [INK_MUTED] = {0x55, 0x55, 0x55},     [INK_AXIS] = {0x70, 0x70, 0x70},
    [INK_GRID] = {0xe2, 0xe2, 0xe2},      [INK_WHITE] = {255, 255, 255},
    [INK_LINE] = {0x1f, 0x4e, 0x79},      [INK_MEAN] = {0x44, 0x44, 0x44},
    [INK_LIMIT] = {0x77, 0x77, 0x77},     [INK_SIGMA] = {0xb8, 0xb8, 0xb8},
    [INK_TARGET] = {0x00, 0x69, 0x5c},    [INK_RED] = {0xb3, 0x26, 0x1e},
    [INK_AMBER] = {0xf2, 0xb7, 0x05},     [INK_GREEN] = {0x2e, 0x7d, 0x32},
    [INK_GREY] = {0x6b, 0x6b, 0x6b},      [INK_CONCERN] = {0xc4, 0x3e, 0x00},
    [INK_IMPROVE] = {0x15, 0x65, 0xc0},   [INK_NEUTRAL] = {0x6a, 0x1b, 0x9a},
    [INK_BUDGET] = {0xdc, 0xe5, 0xef},    [INK_SPEND] = {0x1f, 0x4e, 0x79},
    [INK_OVER] = {0xb3, 0x26, 0x1e},      [INK_APPROVED] = {0x2e, 0x7d, 0x32},
    [INK_SUBMITTED] = {0xf2, 0xb7, 0x05}, [INK_MISSING] = {0xb3, 0x26, 0x1e},
    [INK_TRACK] = {0xee, 0xee, 0xee},     [INK_NO_DATA] = {0xcf, 0xd8, 0xdc},
    [INK_HEAT_LOW] = {0xd9, 0xee, 0xda},  [INK_HEAT_MEDIUM] = {0xfd, 0xf0, 0xc4},
    [INK_HEAT_HIGH] = {0xfb, 0xd9, 0xb4}, [INK_HEAT_VERY_HIGH] = {0xf5, 0xc0, 0xbd},
};

/* Text drawn on a filled @p ink: white on dark fills, black on light. */
static enum chart_ink ink_on(enum chart_ink ink)
{
	const struct chart_rgb *c = &chart_palette[ink];
	double lum = 0.2126 * c->r + 0.7152 * c->g + 0.0722 * c->b;

	return lum > 150 ? INK_TEXT : INK_WHITE;
}

void chart_init(struct chart *c, double w, double h)
{
	memset(c, 0, sizeof(*c));
	c->w = w;
	c->h = h;
}

void chart_release(struct chart *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i].text);
	free(c->items);
	free(c->pts);
	free(c->title);
	memset(c, 0, sizeof(*c));
}

static struct chart_item *chart_add(struct chart *c, enum chart_kind kind)
{
	if (c->failed)
		return NULL;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct chart_item *p = realloc(c->items, cap * sizeof(*p));

		if (p == NULL) {
			c->failed = true;
			return NULL;
		}
		c->items = p;
		c->cap = cap;
	}
	struct chart_item *it = &c->items[c->n++];

	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->width = 1;
	return it;
}

void chart_line(struct chart *c, double x0, double y0, double x1, double y1, enum chart_ink ink,
                double width, enum chart_dash dash)
{
	struct chart_item *it = chart_add(c, CK_LINE);

	if (it == NULL)
		return;
	it->x = x0;
	it->y = y0;
	it->w = x1 - x0;
	it->h = y1 - y0;
	it->stroke = ink;
	it->width = width;
	it->dash = dash;
}

void chart_rect(struct chart *c, double x, double y, double w, double h, enum chart_ink fill,
                enum chart_ink stroke)
{
	struct chart_item *it = chart_add(c, CK_RECT);

	if (it == NULL)
		return;
	it->x = x;
	it->y = y;
	it->w = w;
	it->h = h;
	it->fill = fill;
	it->stroke = stroke;
}

void chart_mark(struct chart *c, double x, double y, double r, enum chart_mark shape,
                enum chart_ink fill, enum chart_ink stroke)
{
	struct chart_item *it = chart_add(c, CK_MARK);

	if (it == NULL)
		return;
	it->x = x;
	it->y = y;
	it->w = r;
	it->mark = shape;
	it->fill = fill;
	it->stroke = stroke;
	it->width = 1.2;
}

void chart_text(struct chart *c, double x, double y, double size, enum chart_anchor a,
                enum chart_ink ink, bool bold, const char *fmt, ...)
{
	struct chart_item *it = chart_add(c, CK_TEXT);
	char buf[512];
	va_list ap;

	if (it == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	it->text = render_clean(buf, false, true, 0);
	if (it->text == NULL) {
		c->failed = true;
		c->n--;
		return;
	}
	it->x = x;
	it->y = y;
	it->size = size;
	it->anchor = a;
	it->fill = ink;
	it->bold = bold;
}

/* Start a path; add points with path_pt. */
struct chart_item *chart_path(struct chart *c, enum chart_ink ink, double width,
                              enum chart_dash dash)
{
	struct chart_item *it = chart_add(c, CK_PATH);

	if (it == NULL)
		return NULL;
	it->stroke = ink;
	it->width = width;
	it->dash = dash;
	it->pt = c->n_pts;
	return it;
}

void chart_path_pt(struct chart *c, struct chart_item *it, double x, double y)
{
	if (it == NULL || c->failed)
		return;
	if (2 * (c->n_pts + 1) > c->cap_pts) {
		size_t cap = c->cap_pts ? c->cap_pts * 2 : 128;
		double *p = realloc(c->pts, cap * sizeof(*p));

		if (p == NULL) {
			c->failed = true;
			return;
		}
		c->pts = p;
		c->cap_pts = cap;
	}
	c->pts[2 * c->n_pts] = x;
	c->pts[2 * c->n_pts + 1] = y;
	c->n_pts++;
	it->n_pt++;
}

void chart_set_title(struct chart *c, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	free(c->title);
	c->title = render_clean(buf, false, true, 0);
	if (c->title == NULL)
		c->failed = true;
}

double chart_text_width(const char *s, double size, bool bold)
{
	return (double)render_cols(s) * size * (bold ? 0.66 : 0.6);
}

/* A copy of @p s cut to @p width at @p size, with an ellipsis. */
void chart_fit_text(char *out, size_t cap, const char *s, double width, double size)
{
	char *clean = render_clean(s, false, true, 400);
	size_t cols;

	if (clean == NULL) {
		out[0] = '\0';
		return;
	}
	cols = width > 0 ? (size_t)(width / (size * 0.62)) : 0;
	if (render_cols(clean) <= cols) {
		snprintf(out, cap, "%s", clean);
	} else if (cols >= 2) {
		size_t n = render_fit(clean, cols - 1);

		snprintf(out, cap, "%.*s\u2026", (int)(n < cap - 4 ? n : cap - 4), clean);
	} else {
		out[0] = '\0';
	}
	free(clean);
}

size_t chart_ticks(double lo, double hi, size_t want, double *out, size_t cap)
{
	double range, raw, mag, step, norm, t0;
	size_t n = 0;

	if (!isfinite(lo) || !isfinite(hi) || want < 2 || cap == 0)
		return 0;
	if (hi < lo) {
		double t = lo;

		lo = hi;
		hi = t;
	}
	range = hi - lo;
	if (!isfinite(range))
		return 0;
	if (range == 0) {
		out[0] = lo;
		return 1;
	}
	raw = range / (double)(want - 1);
	mag = pow(10, floor(log10(raw)));
	norm = raw / mag;
	step = (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
	if (!isfinite(step) || step <= 0)
		return 0;
	t0 = ceil(lo / step - 1e-9) * step;
	for (double t = t0; t <= hi + step * 1e-9 && n < cap; t += step) {
		out[n++] = fabs(t) < step * 1e-9 ? 0 : t;
		if (n > 100)
			break;
	}
	return n;
}

double chart_at(const struct chart_scale *s, double v)
{
	if (s->d1 == s->d0)
		return (s->r0 + s->r1) / 2;
	return s->r0 + (v - s->d0) * (s->r1 - s->r0) / (s->d1 - s->d0);
}

/* Extend [*lo, *hi] to take v (finite values only). */
void chart_take(double *lo, double *hi, double v)
{
	if (!isfinite(v))
		return;
	if (v < *lo)
		*lo = v;
	if (v > *hi)
		*hi = v;
}

/* Pad a data range so nothing sits on the frame; false when empty or
 * too wide to scale. */
bool chart_pad_range(double *lo, double *hi, double frac)
{
	double r;

	if (*lo > *hi)
		return false;
	r = *hi - *lo;
	if (!isfinite(r))
		return false;
	if (r == 0) {
		r = fabs(*lo) > 0 ? fabs(*lo) * 0.1 : 1;
		*lo -= r;
		*hi += r;
		return isfinite(*lo) && isfinite(*hi);
	}
	*lo -= r * frac;
	*hi += r * frac;
	return isfinite(*lo) && isfinite(*hi);
}

/* ---- stacked bars ---- */

struct chart_row chart_rag_row(const char *label, unsigned red, unsigned amber, unsigned green,
                               unsigned grey, unsigned no_data)
{
	struct chart_row r = {.label = label, .n_seg = 5};

	r.seg[0] = (struct chart_seg){red, INK_RED, "Red", "R"};
	r.seg[1] = (struct chart_seg){amber, INK_AMBER, "Amber", "A"};
	r.seg[2] = (struct chart_seg){green, INK_GREEN, "Green", "G"};
	r.seg[3] = (struct chart_seg){grey, INK_GREY, "Grey", "-"};
	r.seg[4] = (struct chart_seg){no_data, INK_NO_DATA, "No data", "?"};
	return r;
}

struct chart_row chart_completeness_row(const char *label, unsigned approved, unsigned submitted,
                                        unsigned missing, const char *note)
{
	struct chart_row r = {.label = label, .n_seg = 3, .note = note};

	r.seg[0] = (struct chart_seg){approved, INK_APPROVED, "approved", "ok"};
	r.seg[1] = (struct chart_seg){submitted, INK_SUBMITTED, "awaiting sign-off", "pending"};
	r.seg[2] = (struct chart_seg){missing, INK_MISSING, "missing", "missing"};
	return r;
}

void chart_stacked(struct chart *c, double w, double label_w, const struct chart_row *rows,
                   size_t n, bool legend)
{
	const double row_h = 24, bar_h = 18, fs = 11, note_w = 92;
	double bar_x = label_w, bar_w = w - label_w - note_w;
	double y = 4;
	char buf[256];

	chart_init(c, w, 0);
	if (bar_w < 60)
		bar_w = 60;
	for (size_t i = 0; i < n; i++) {
		const struct chart_row *r = &rows[i];
		double total = 0, x = bar_x;

		for (size_t k = 0; k < r->n_seg && k < CHART_MAX_SEG; k++)
			if (isfinite(r->seg[k].value) && r->seg[k].value > 0)
				total += r->seg[k].value;
		if (label_w > 0) {
			chart_fit_text(buf, sizeof(buf), r->label, label_w - 8, fs);
			chart_text(c, 0, y + bar_h / 2 + fs * 0.35, fs, ANCHOR_START, INK_TEXT,
			           true, "%s", buf);
		}
		chart_rect(c, bar_x, y, bar_w, bar_h, INK_TRACK, INK_NONE);
		for (size_t k = 0; total > 0 && k < r->n_seg && k < CHART_MAX_SEG; k++) {
			const struct chart_seg *s = &r->seg[k];
			double sw;

			if (!isfinite(s->value) || s->value <= 0)
				continue;
			sw = bar_w * s->value / total;
			chart_rect(c, x, y, sw, bar_h, s->ink, INK_WHITE);
			/* the count and the word (or its letter) in the bar */
			snprintf(buf, sizeof(buf), "%.0f %s", s->value, s->word);
			if (chart_text_width(buf, fs, true) + 6 > sw)
				snprintf(buf, sizeof(buf), "%.0f %s", s->value, s->letter);
			if (chart_text_width(buf, fs, true) + 4 > sw)
				snprintf(buf, sizeof(buf), "%.0f%s", s->value, s->letter);
			if (chart_text_width(buf, fs, true) + 2 <= sw)
				chart_text(c, x + sw / 2, y + bar_h / 2 + fs * 0.35, fs,
				           ANCHOR_MIDDLE, ink_on(s->ink), true, "%s", buf);
			x += sw;
		}
		if (total <= 0)
			chart_text(c, bar_x + 6, y + bar_h / 2 + fs * 0.35, fs, ANCHOR_START,
			           INK_MUTED, false, "none");
		if (r->note)
			chart_text(c, bar_x + bar_w + 8, y + bar_h / 2 + fs * 0.35, fs - 1,
			           ANCHOR_START, INK_MUTED, false, "%s", r->note);
		else
			chart_text(c, bar_x + bar_w + 8, y + bar_h / 2 + fs * 0.35, fs - 1,
			           ANCHOR_START, INK_MUTED, false, "%.0f in all", total);
		y += row_h;
	}
	if (legend && n > 0) {
		double x = bar_x;

		y += 4;
		for (size_t k = 0; k < rows[0].n_seg && k < CHART_MAX_SEG; k++) {
			const struct chart_seg *s = &rows[0].seg[k];

			chart_rect(c, x, y, 14, 12, s->ink, INK_NONE);
			if (render_cols(s->letter) == 1)
				chart_text(c, x + 7, y + 9.5, 9, ANCHOR_MIDDLE, ink_on(s->ink),
				           true, "%s", s->letter);
			chart_text(c, x + 18, y + 10, fs - 1, ANCHOR_START, INK_TEXT, false, "%s",
			           s->word);
			x += 26 + chart_text_width(s->word, fs - 1, false);
		}
		y += 18;
	}
	c->h = y + 2;
	snprintf(buf, sizeof(buf), "%s", "");
	if (n == 1) {
		const struct chart_row *r = &rows[0];
		char words[256] = "";

		for (size_t k = 0; k < r->n_seg && k < CHART_MAX_SEG; k++) {
			size_t o = strlen(words);

			snprintf(words + o, sizeof(words) - o, "%s%.0f %s", o ? ", " : "",
			         isfinite(r->seg[k].value) ? r->seg[k].value : 0, r->seg[k].word);
		}
		chart_set_title(c, "%s: %s", render_str(r->label), words);
	} else {
		chart_set_title(
		    c, "Stacked bars for %zu rows, with the count and word in each part", n);
	}
}

/* ---- sparkline ---- */

void chart_sparkline(struct chart *c, double w, double h, Pmif__SeriesPoint *const *pts, size_t n,
                     const Pmif__MeasureLine *m)
{
	const double pad = 4;
	double lo = INFINITY, hi = -INFINITY;
	struct chart_scale sx, sy;
	struct chart_item *p = NULL;
	size_t first = n, last = n;
	char a[RENDER_NUM_LEN], b[RENDER_NUM_LEN];
	const char *unit = m ? m->unit : "";
	int dec = m ? m->decimals : 1;

	chart_init(c, w, h);
	for (size_t i = 0; i < n; i++) {
		if (pts[i] && pts[i]->has_value && isfinite(pts[i]->value)) {
			chart_take(&lo, &hi, pts[i]->value);
			if (first == n)
				first = i;
			last = i;
		}
	}
	if (first == n || !chart_pad_range(&lo, &hi, 0.08)) {
		chart_text(c, w / 2, h / 2 + 3, 9, ANCHOR_MIDDLE, INK_MUTED, false, "no trend yet");
		chart_set_title(c, "No values to show a trend");
		return;
	}
	sx = (struct chart_scale){0, n > 1 ? (double)(n - 1) : 1, pad, w - pad};
	sy = (struct chart_scale){lo, hi, h - pad, pad};
	/* the target as a faint line, when the latest point has one in view */
	if (pts[last]->has_target && isfinite(pts[last]->target) && pts[last]->target >= lo &&
	    pts[last]->target <= hi)
		chart_line(c, pad, chart_at(&sy, pts[last]->target), w - pad,
		           chart_at(&sy, pts[last]->target), INK_TARGET, 0.8, DASH_DASHED);
	for (size_t i = 0; i < n; i++) {
		bool ok = pts[i] && pts[i]->has_value && isfinite(pts[i]->value);

		if (!ok) {
			p = NULL; /* a gap breaks the line */
			continue;
		}
		if (p == NULL)
			p = chart_path(c, INK_LINE, 1.6, DASH_SOLID);
		chart_path_pt(c, p, chart_at(&sx, (double)i), chart_at(&sy, pts[i]->value));
	}
	for (size_t i = 0; i < n; i++) {
		if (!(pts[i] && pts[i]->has_value && isfinite(pts[i]->value)))
			continue;
		if (pts[i]->provisional)
			chart_mark(c, chart_at(&sx, (double)i), chart_at(&sy, pts[i]->value), 2.4,
			           MARK_CIRCLE, INK_WHITE, INK_LINE);
		else if (i == last)
			chart_mark(c, chart_at(&sx, (double)i), chart_at(&sy, pts[i]->value), 2.6,
			           MARK_CIRCLE, INK_LINE, INK_LINE);
	}
	chart_set_title(
	    c, "Trend: %s in %s to %s in %s%s", render_value(a, pts[first]->value, unit, dec),
	    render_str(pts[first]->period), render_value(b, pts[last]->value, unit, dec),
	    render_str(pts[last]->period), pts[last]->provisional ? " (provisional)" : "");
}

/* ---- budget and spend ---- */

char *chart_money(char *buf, size_t cap, double v)
{
	double a = fabs(v);
	const char *sign = v < 0 ? "-" : "";

	if (!isfinite(v))
		snprintf(buf, cap, "n/a");
	else if (a >= 1e12)
		snprintf(buf, cap, "%s\u00a3%.3g", sign, a);
	else if (a >= 1e6)
		snprintf(buf, cap, "%s\u00a3%.2fm", sign, a / 1e6);
	else if (a >= 1e4)
		snprintf(buf, cap, "%s\u00a3%.0fk", sign, a / 1e3);
	else
		snprintf(buf, cap, "%s\u00a3%.0f", sign, a);
	return buf;
}

void chart_budget(struct chart *c, double w, Pmif__ResourceLine *const *res, size_t n)
{
	const double row_h = 34, fs = 10.5;
	double max = 0, label_w = w * 0.34, note_w = w * 0.28, bx = label_w, bw;
	char lab[256], b1[32], b2[32], b3[32];
	double y = 2;

	chart_init(c, w, 0);
	bw = w - label_w - note_w;
	for (size_t i = 0; i < n; i++) {
		if (res[i] == NULL)
			continue;
		if (isfinite(res[i]->budget) && res[i]->budget > max)
			max = res[i]->budget;
		if (isfinite(res[i]->spend) && res[i]->spend > max)
			max = res[i]->spend;
	}
	for (size_t i = 0; i < n; i++) {
		const Pmif__ResourceLine *r = res[i];
		bool bud = r && isfinite(r->budget) && r->budget > 0;
		bool sp = r && isfinite(r->spend) && r->spend >= 0;

		if (r == NULL)
			continue;
		chart_fit_text(lab, sizeof(lab), r->label && r->label[0] ? r->label : r->subject_id,
		               label_w - 8, fs);
		chart_text(c, 0, y + 12, fs, ANCHOR_START, INK_TEXT, true, "%s", lab);
		chart_text(c, 0, y + 25, 9, ANCHOR_START, INK_MUTED, false, "%s",
		           render_str(r->year));
		if (max > 0 && bud)
			chart_rect(c, bx, y + 3, bw * r->budget / max, 22, INK_BUDGET, INK_LINE);
		if (max > 0 && sp) {
			double within = bud && r->spend > r->budget ? r->budget : r->spend;

			chart_rect(c, bx, y + 9, bw * within / max, 10, INK_SPEND, INK_NONE);
			if (bud && r->spend > r->budget)
				chart_rect(c, bx + bw * r->budget / max, y + 9,
				           bw * (r->spend - r->budget) / max, 10, INK_OVER,
				           INK_NONE);
		}
		if (bud && sp) {
			chart_text(c, bx + bw + 8, y + 12, fs, ANCHOR_START, INK_TEXT, true,
			           "%s of %s (%.0f%%)", chart_money(b1, sizeof(b1), r->spend),
			           chart_money(b2, sizeof(b2), r->budget),
			           100.0 * r->spend / r->budget);
			if (r->spend > r->budget)
				chart_text(c, bx + bw + 8, y + 25, 9, ANCHOR_START, INK_OVER, true,
				           "%s over budget",
				           chart_money(b3, sizeof(b3), r->spend - r->budget));
			else
				chart_text(c, bx + bw + 8, y + 25, 9, ANCHOR_START, INK_MUTED,
				           false, "%s unspent",
				           chart_money(b3, sizeof(b3), r->budget - r->spend));
		} else {
			chart_text(c, bx + bw + 8, y + 12, fs, ANCHOR_START, INK_MUTED, false,
			           "budget %s, spend %s",
			           bud ? chart_money(b1, sizeof(b1), r->budget) : "n/a",
			           sp ? chart_money(b2, sizeof(b2), r->spend) : "n/a");
		}
		y += row_h;
	}
	/* key */
	chart_rect(c, bx, y + 4, 16, 10, INK_BUDGET, INK_LINE);
	chart_text(c, bx + 20, y + 13, 9, ANCHOR_START, INK_TEXT, false, "budget");
	chart_rect(c, bx + 70, y + 6, 16, 6, INK_SPEND, INK_NONE);
	chart_text(c, bx + 90, y + 13, 9, ANCHOR_START, INK_TEXT, false, "spend");
	chart_rect(c, bx + 136, y + 6, 16, 6, INK_OVER, INK_NONE);
	chart_text(c, bx + 156, y + 13, 9, ANCHOR_START, INK_TEXT, false, "over budget");
	c->h = y + 20;
	chart_set_title(c, "Budget against spend for %zu lines", n);
}
