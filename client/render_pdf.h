/*
 * render_pdf.h - shared by render_pdf.c (pages, text, charts, output) and
 * render_pdf_reports.c (what each report draws).  Not for commands.
 *
 * Units are PDF points on A4 portrait; y grows down the page and d->y is
 * the cursor: the top of the next thing to draw.
 */
#ifndef PMIF_RENDER_PDF_H
#define PMIF_RENDER_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include <cairo.h>

#include "render.h"
#include "render_chart.h"
#include "render_pdf_page.h"

struct pdf {
	cairo_t *cr;
	double y;
	int page;      /* 1-based, 0 before the first */
	int total;     /* pages in the first pass; 0 while counting */
	char *running; /* title in the page header and footer, clean */
	char generated[64];
	bool provisional;
	bool failed; /* out of memory */
};

/* Lines of wrapped text, each malloc'd. */
struct pdf_lines {
	char **v;
	size_t n;
};

void pdf_ink(struct pdf *d, enum chart_ink i);
void pdf_font(struct pdf *d, double size, bool bold);
/** Advance width of clean UTF-8 @p s in the current font. */
double pdf_text_w(struct pdf *d, const char *s);
/** Clean UTF-8 @p s with its baseline at (x, y); _right ends it at x. */
void pdf_show(struct pdf *d, double x, double y, const char *s);
void pdf_show_right(struct pdf *d, double x, double y, const char *s);
/** One line of clean @p s, cut with "…" to @p width. */
void pdf_show_fit(struct pdf *d, double x, double y, const char *s, double width);
/** render_clean() for cairo (at most MAX_TEXT bytes); never NULL, free it. */
char *pdf_clean(struct pdf *d, const char *s, bool newlines);
void pdf_fill_rect(struct pdf *d, double x, double y, double w, double h, enum chart_ink i);
void pdf_hline(struct pdf *d, double x0, double x1, double y, enum chart_ink i, double w);
/** Finish the page (footer) and start the next. */
void pdf_new_page(struct pdf *d);
/** Make room for @p h points; true when that started a new page. */
bool pdf_room(struct pdf *d, double h);
/** Break clean @p s into lines of at most @p width (at most @p max, 0: all). */
struct pdf_lines pdf_wrap(struct pdf *d, const char *s, double width, size_t max);
void pdf_lines_free(struct pdf_lines *l);
/** A paragraph of server text at the cursor, paginating line by line. */
void pdf_para(struct pdf *d, double x, double width, const char *s, double size, bool bold,
              enum chart_ink i);
/** A heading kept with what follows it. */
void pdf_heading(struct pdf *d, const char *s, double size);
/** Draw @p c with its top left at (x, y). */
void pdf_draw_chart(struct pdf *d, const struct chart *c, double x, double y);
/** Place @p c at the cursor (a new page if it does not fit) and release it. */
void pdf_chart_here(struct pdf *d, struct chart *c, double x);

/** The cover: running title, @p subtitle (may be NULL), the filter. */
void pdf_cover(struct pdf *d, const char *title, const char *subtitle, const Pmif__ReportFilter *f);
/** A badge with @p word on @p bg at (x, y top), @p size points; its width. */
double pdf_badge(struct pdf *d, double x, double y, const char *word, enum chart_ink bg,
                 double size);
/** A pack's No data list with each owner (render_pdf_missing.c); nothing if @p n is 0. */
void pdf_no_data(struct pdf *d, Pmif__MissingItem *const *items, size_t n);
/** A pack's actions from previous meetings (render_actions.c); nothing if it has none. */
void pdf_actions(struct pdf *d, const Pmif__CommitteePack *k);

/** A pack's locality section (render_pdf_locality.c); nothing if @p n is 0. */
void pdf_pack_localities(struct pdf *d, Pmif__LocalityReport *const *reps, size_t n);

/* The reports (render_pdf_reports.c; completeness in render_pdf_missing.c). */
void pdf_pack(struct pdf *d, const Pmif__CommitteePack *k);
void pdf_scorecard(struct pdf *d, const Pmif__Scorecard *s);
void pdf_exceptions(struct pdf *d, const Pmif__ExceptionReport *x);
void pdf_completeness(struct pdf *d, const Pmif__CompletenessReport *r);
void pdf_trend(struct pdf *d, const Pmif__TrendReport *r);
void pdf_locality(struct pdf *d, const Pmif__LocalityReport *r);
/** One measure's row under its column heads (a one-measure report's headline). */
void pdf_measure_headline(struct pdf *d, const Pmif__MeasureLine *m);

/* Among similar councils (render_pdf_compare.c). */
void pdf_compare(struct pdf *d, const Pmif__CompareReport *r);
/** The words of @p m's position among similar councils, with source and
 *  date, wrapped to @p width in the current 7 pt font; none without one. */
struct pdf_lines pdf_compare_wrap(struct pdf *d, const Pmif__MeasureLine *m, double width);
/** "Similar: 3/16 Q1" at (x, y baseline) in the direction column; nothing without one. */
void pdf_compare_cell(struct pdf *d, const Pmif__MeasureLine *m, double x, double y);

/* Risks and interventions (render_pdf_risks.c). */
void pdf_interventions(struct pdf *d, const Pmif__ObjectiveSection *o);
void pdf_risk_list(struct pdf *d, Pmif__RiskLine *const *risks, size_t n, const char *heading,
                   bool numbered);
void pdf_heatmap(struct pdf *d, Pmif__RiskLine *const *risks, size_t n, const char *heading);
void pdf_pack_risks(struct pdf *d, Pmif__ObjectiveSection *const *obs, size_t n);
void pdf_risk_report(struct pdf *d, const Pmif__RiskReport *r);

#endif
