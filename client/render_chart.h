/*
 * render_chart.h - the charts of a report as a device-neutral display
 * list, computed once (render_chart.c) and drawn twice: as SVG text in
 * the HTML page (render_svg.c) and as cairo paths in the PDF
 * (render_pdf.c).  Scales, ticks, label placement, shapes and the words
 * beside them are decided here, so the two outputs cannot disagree.
 *
 * Coordinates are in points (1/72 in; CSS px in SVG), origin top left, y
 * down.  Every chart carries text, not only colour: counts and RAG words
 * inside bars, shapes as well as colours for special causes, a legend.
 */
#ifndef PMIF_RENDER_CHART_H
#define PMIF_RENDER_CHART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "report.pb-c.h"

/* Named inks; the palette (chart_palette) has sRGB for each, chosen for
 * contrast with the text drawn on or beside it. */
enum chart_ink {
	INK_NONE,
	INK_TEXT,
	INK_MUTED,
	INK_AXIS,
	INK_GRID,
	INK_WHITE,
	INK_LINE,
	INK_MEAN,
	INK_LIMIT,
	INK_SIGMA,
	INK_TARGET,
	INK_RED,
	INK_AMBER,
	INK_GREEN,
	INK_GREY,
	INK_CONCERN,
	INK_IMPROVE,
	INK_NEUTRAL,
	INK_BUDGET,
	INK_SPEND,
	INK_OVER,
	INK_APPROVED,
	INK_SUBMITTED,
	INK_MISSING,
	INK_TRACK,
	INK_NO_DATA,
	INK_HEAT_LOW, /* the risk heat map's score bands */
	INK_HEAT_MEDIUM,
	INK_HEAT_HIGH,
	INK_HEAT_VERY_HIGH,
	INK__N
};

struct chart_rgb {
	unsigned char r, g, b;
};
extern const struct chart_rgb chart_palette[INK__N];

enum chart_kind { CK_LINE, CK_PATH, CK_RECT, CK_MARK, CK_TEXT };
enum chart_dash { DASH_SOLID, DASH_DASHED, DASH_DOTTED, DASH_DASHDOT };
enum chart_mark { MARK_CIRCLE, MARK_SQUARE, MARK_DIAMOND, MARK_TRI_UP, MARK_TRI_DOWN };
enum chart_anchor { ANCHOR_START, ANCHOR_MIDDLE, ANCHOR_END };

/* One thing to draw.  Geometry by kind:
 *   CK_LINE  (x,y) to (x+w, y+h)
 *   CK_PATH  the n_pt points at chart.pts[2*pt ...] joined
 *   CK_RECT  x, y, w, h
 *   CK_MARK  a shape centred on (x,y), radius w
 *   CK_TEXT  baseline at (x,y), anchored by anchor */
struct chart_item {
	enum chart_kind kind;
	enum chart_ink stroke, fill; /* INK_NONE: not stroked / not filled */
	enum chart_dash dash;
	double width; /* stroke width */
	double x, y, w, h;
	size_t pt, n_pt;
	enum chart_mark mark;
	enum chart_anchor anchor;
	double size; /* font size */
	bool bold;
	char *text; /* owned, clean UTF-8 */
};

struct chart {
	double w, h;
	char *title; /* what it shows, in words (SVG <title>); owned */
	struct chart_item *items;
	size_t n, cap;
	double *pts;
	size_t n_pts, cap_pts;
	bool failed; /* out of memory: incomplete, do not draw */
};

/** Start an empty chart of @p w x @p h. */
void chart_init(struct chart *c, double w, double h);
/** Free what @p c owns; it may be initialised again. */
void chart_release(struct chart *c);

/** Estimated width of @p s at @p size (both outputs use a plain sans). */
double chart_text_width(const char *s, double size, bool bold);

/**
 * Nice axis ticks covering [lo, hi]: about @p want of them, at multiples
 * of 1, 2 or 5 x 10^k.  Writes up to @p cap ticks to @p out and returns
 * how many; 0 when the range is not finite.
 */
size_t chart_ticks(double lo, double hi, size_t want, double *out, size_t cap);

/* ---- primitives, for the builders in render_chart*.c ---- */

/* A linear scale from the data range [d0, d1] to the drawing range [r0, r1]. */
struct chart_scale {
	double d0, d1, r0, r1;
};
/** Where @p v lands on @p s (the middle when the data range is empty). */
double chart_at(const struct chart_scale *s, double v);
/** Widen [*lo, *hi] to take @p v; non-finite values are ignored. */
void chart_take(double *lo, double *hi, double v);
/** Pad a data range by @p frac of its width; false when empty or not finite. */
bool chart_pad_range(double *lo, double *hi, double frac);

/* Each adds one item; on out of memory they set c->failed and do nothing. */
void chart_line(struct chart *c, double x0, double y0, double x1, double y1, enum chart_ink ink,
                double width, enum chart_dash dash);
void chart_rect(struct chart *c, double x, double y, double w, double h, enum chart_ink fill,
                enum chart_ink stroke);
void chart_mark(struct chart *c, double x, double y, double r, enum chart_mark shape,
                enum chart_ink fill, enum chart_ink stroke);
/** Text from a format; the result is cleaned (render_clean) and owned by @p c. */
void chart_text(struct chart *c, double x, double y, double size, enum chart_anchor a,
                enum chart_ink ink, bool bold, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
/** Start a polyline; add its points with chart_path_pt().  NULL when out of memory. */
struct chart_item *chart_path(struct chart *c, enum chart_ink ink, double width,
                              enum chart_dash dash);
void chart_path_pt(struct chart *c, struct chart_item *it, double x, double y);
/** The chart's accessible description, in words. */
void chart_set_title(struct chart *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** @p s cleaned and cut with "…" to fit @p width at font @p size, into out. */
void chart_fit_text(char *out, size_t cap, const char *s, double width, double size);

/* A row of a stacked bar chart (RAG counts, completeness). */
#define CHART_MAX_SEG 5
struct chart_seg {
	double value;
	enum chart_ink ink;
	const char *word;   /* "Red": shown in the bar when it fits, and in the legend */
	const char *letter; /* "R": shown when the word does not fit */
};
struct chart_row {
	const char *label; /* left of the bar */
	struct chart_seg seg[CHART_MAX_SEG];
	size_t n_seg;
	const char *note; /* right of the bar; NULL: the total */
};

/**
 * Horizontal stacked bars, one per row, @p label_w for labels, with a
 * legend below when @p legend.  Height follows from the rows.
 */
void chart_stacked(struct chart *c, double w, double label_w, const struct chart_row *rows,
                   size_t n, bool legend);

/** The five RAG counts as a chart_row (labels point into static words):
 *  Red, Amber, Green, Grey, and No data (its own pale fill and "?"). */
struct chart_row chart_rag_row(const char *label, unsigned red, unsigned amber, unsigned green,
                               unsigned grey, unsigned no_data);

/** Completeness counts as a chart_row; @p note is not copied. */
struct chart_row chart_completeness_row(const char *label, unsigned approved, unsigned submitted,
                                        unsigned missing, const char *note);

/** A sparkline: the points' values (provisional hollow), the last marked. */
void chart_sparkline(struct chart *c, double w, double h, Pmif__SeriesPoint *const *pts, size_t n,
                     const Pmif__MeasureLine *m);

/** The SPC (XmR) chart of a trend report, with its legend. */
void chart_spc(struct chart *c, double w, double h, const Pmif__TrendReport *t);

/** Each locality's value and 95% interval against the borough. */
void chart_locality(struct chart *c, double w, const Pmif__LocalityReport *r);

/** This council among similar councils: a bar each, best first, this
 *  council's dark and named, national / regional figures as dashed lines
 *  (render_chart_compare.c). */
void chart_compare(struct chart *c, double w, const Pmif__CompareReport *r);
/** The ink and shape of a locality's mark, from the server's comparison:
 *  worse a concern square, better an improvement diamond, and so on. */
void chart_comparison_style(const Pmif__LocalityLine *l, enum chart_ink *ink,
                            enum chart_mark *shape);

/** chart_locality() in a pack's locality section (render_chart_locality.c):
 *  one short row per area, the comparison as its word (why a locality is
 *  not compared is for the text beside the chart), no word ever cut. */
void chart_locality_compact(struct chart *c, double w, const Pmif__LocalityReport *r);

/** Budget against spend, one bar per resource line. */
void chart_budget(struct chart *c, double w, Pmif__ResourceLine *const *res, size_t n);

/**
 * The 5x5 risk heat map (likelihood across, impact up): each assessed
 * risk as a numbered disc in its cell now, a hollow disc where it was at
 * its previous assessment with an arrow to where it is; the key (beside
 * the grid when @p w >= 700, else below) gives each number's id, score,
 * movement and target.  Risks not assessed are in the key only.  Height
 * follows from the risks.
 */
void chart_heatmap(struct chart *c, double w, Pmif__RiskLine *const *risks, size_t n);

/** A heat map score band's word: "low" (1-4), "medium" (5-9), "high"
 *  (10-14), "very high" (15-25); "" for 0 (static). */
const char *chart_heat_band(unsigned score);

/** Money in short form: "£1.35m", "£450k", "£900". */
char *chart_money(char *buf, size_t cap, double v);

/* ---- render_svg.c ---- */

/**
 * Write @p c as an inline <svg> element (role="img", its title as the
 * accessible name) with @p css_class on the element.  Nothing is written
 * for a failed chart.
 */
void chart_svg(FILE *f, const struct chart *c, const char *css_class);

/** Write @p s with & < > " ' escaped for HTML/XML text and attributes;
 *  the text is cleaned first (render_clean), so it is always valid UTF-8. */
void render_xml(FILE *f, const char *s);

#endif
