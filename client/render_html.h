/*
 * render_html.h - what the HTML writers share (internal to client/):
 * the page being written and its primitives (render_html_page.c), and
 * one objective's section of a pack (render_html_objective.c).  The
 * writers, render_html_<report>(), are declared in render.h; only
 * render_html*.c include this.
 */
#ifndef PMIF_RENDER_HTML_H
#define PMIF_RENDER_HTML_H

#include <stdbool.h>
#include <stdio.h>

#include "render.h"
#include "render_chart.h"

struct page {
	FILE *f;
	unsigned long long now;
	bool provisional; /* a provisional value was shown */
	bool cabinet;
	bool fragment; /* content only: no page shell (render_options.fragment) */
};

/* ---- primitives (render_html_page.c) ---- */
void html_text(struct page *p, const char *s); /* escaped text */
void html_raw(struct page *p, const char *s);  /* literal markup */
void html_rawf(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void html_anchor(struct page *p, const char *prefix, const char *id);
void html_doc_open(struct page *p, const char *title, const char *body_class);
void html_doc_close(struct page *p);
void html_main_close(struct page *p); /* "</main>", unless a fragment */
/* A table's caption, for assistive technology: in a fragment only (the
 * standalone pages keep their bytes; the heading above says the same). */
void html_caption(struct page *p, const char *text);
void html_cover(struct page *p, const char *title, const char *subtitle,
                const Pmif__ReportFilter *f, unsigned long long generated);
void html_chart(struct page *p, struct chart *c, const char *cls); /* writes, then releases */
void html_rag(struct page *p, Pmif__Rag r);
void html_value(struct page *p, const Pmif__MeasureLine *m);
void html_direction(struct page *p, const char *label, Pmif__Direction d, const char *period,
                    bool has, double prev, const Pmif__MeasureLine *m);
void html_reasons(struct page *p, const Pmif__MeasureLine *m, bool skip_red);
/* The line's title (render_line_title), escaped. */
void html_line_title(struct page *p, const Pmif__MeasureLine *m);

/* ---- an objective's section (render_html_objective.c) ---- */
void html_measures_table(struct page *p, Pmif__MeasureLine *const *ms, size_t n, bool reasons);
void html_objective(struct page *p, const Pmif__ObjectiveSection *o);
/* ---- risks and interventions (render_html_risks.c) ---- */
/* The heat map and the table of @p risks under an h3 @p heading (markup). */
void html_risks(struct page *p, Pmif__RiskLine *const *risks, size_t n, const char *heading,
                bool map);
/* Every risk of a pack's sections on one heat map, as its own section. */
void html_pack_risks(struct page *p, Pmif__ObjectiveSection *const *obs, size_t n);
/* An objective's interventions with slippage RAG, owner and milestones. */
void html_interventions(struct page *p, const Pmif__ObjectiveSection *o);
/* ---- among similar councils (render_html_compare.c) ---- */
/* Does any line carry a comparison (so the table gets the column)? */
bool html_compare_any(Pmif__MeasureLine *const *ms, size_t n);
/* The "Similar councils" cell of @p m: rank, words, source and date. */
void html_compare_cell(struct page *p, const Pmif__MeasureLine *m);

/* One area's row of a locality figures table (render_html.c): name,
 * value, 95% interval, the server's comparison, the method. */
void html_locality_row(struct page *p, const Pmif__LocalityLine *l, const Pmif__MeasureLine *m,
                       bool borough);
/* A pack's locality section (render_html_locality.c); nothing when @p n is 0. */
void html_pack_localities(struct page *p, Pmif__LocalityReport *const *reps, size_t n);
/* A pack's No data list, with each measure's owner; nothing when @p n is 0. */
void html_no_data(struct page *p, Pmif__MissingItem *const *items, size_t n);
/* A pack's actions from previous meetings (render_actions.c); nothing if it has none. */
void html_actions(struct page *p, const Pmif__CommitteePack *k);

#endif
