/*
 * render_table.h - shared by render_table.c (cells, wrapping, colour, the
 * measure table, output) and render_table_reports.c (what each report
 * shows).  Not for commands.
 *
 * Every writer keeps its lines within t->w display columns and cleans
 * server text (table_clean) before it reaches the terminal.
 */
#ifndef PMIF_RENDER_TABLE_H
#define PMIF_RENDER_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "render.h"

#define MAX_TEXT 20000 /* bytes of one commentary or story shown */

struct tbl {
	FILE *f;
	unsigned w;
	bool color, utf8;
	bool provisional; /* a provisional value was shown: add the footnote */
	bool failed;
};

/* SGR codes. */
#define SGR_BOLD  "1"
#define SGR_DIM   "2"
#define SGR_RED   "97;41"
#define SGR_AMBER "30;43"
#define SGR_GREEN "97;42"
#define SGR_GREY  "97;100"

struct table_cols {
	size_t title, value, target, trend, prev, last_year, spc;
	size_t compare; /* among similar councils ("3/16 Q1"); 0 when no line has one */
};

void table_sgr(struct tbl *t, const char *code);
void table_reset(struct tbl *t);
/** Server text cleaned for this terminal; never NULL, free it. */
char *table_clean(struct tbl *t, const char *s, bool newlines);
void table_spaces(struct tbl *t, size_t n);
/** Money in short form for this terminal ("£1.35m" or "GBP1.35m"). */
char *table_money(struct tbl *t, char *buf, size_t cap, double v);
/** Clean @p s in exactly @p cols columns: cut with "…" or padded. */
void table_cell(struct tbl *t, const char *s, size_t cols, bool right);
/** table_cell() for server text (cleans it first). */
void table_tcell(struct tbl *t, const char *s, size_t cols, bool right);
void table_rule(struct tbl *t, bool heavy);
/** Word-wrap clean @p s after a lead of @p lead_cols; later lines indented. */
void table_wrap(struct tbl *t, char *s, size_t lead_cols, size_t indent);
/** "Label: text" with server text, wrapped. */
void table_para(struct tbl *t, size_t indent, const char *label, const char *s);
/** Append "*" (provisional) or " " to a value of RENDER_NUM_LEN + 2 bytes. */
void table_mark(struct tbl *t, char *val, bool provisional);
/** A bold line of our own words, wrapped. */
void table_title_line(struct tbl *t, size_t indent, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Columns of a RAG cell: its symbol and word, "? No data" the widest. */
#define TABLE_RAG_COLS 9
void table_rag_cell(struct tbl *t, Pmif__Rag r);
void table_rag_strip(struct tbl *t, unsigned r, unsigned a, unsigned g, unsigned grey,
                     unsigned no_data, size_t max);
char *table_rag_counts(struct tbl *t, char *buf, size_t cap, unsigned r, unsigned a, unsigned g,
                       unsigned grey, unsigned no_data);
void table_spark(struct tbl *t, Pmif__SeriesPoint *const *pts, size_t n);
void table_dir_cell(struct tbl *t, Pmif__Direction d, size_t cols);
struct table_cols table_measure_cols(struct tbl *t, Pmif__MeasureLine *const *ms, size_t n);
void table_measure_header(struct tbl *t, const struct table_cols *c);
void table_measure_row(struct tbl *t, const struct table_cols *c, const Pmif__MeasureLine *m,
                       bool reasons);
/** Header and one row per measure, each with its RAG rule (and reasons). */
void table_measure_table(struct tbl *t, Pmif__MeasureLine *const *ms, size_t n, bool reasons);
/** The report's title, what it covers, and a rule. */
void table_header(struct tbl *t, const char *title, const char *fallback, const char *subtitle,
                  const Pmif__ReportFilter *f, unsigned long long generated);
void table_footnotes(struct tbl *t);

/* The reports (render_table_reports.c). */
void table_scorecard(struct tbl *t, const Pmif__Scorecard *s, unsigned long long now);
void table_exceptions(struct tbl *t, const Pmif__ExceptionReport *x, unsigned long long now);
void table_pack(struct tbl *t, const Pmif__CommitteePack *p, unsigned long long now);
/* A pack's actions from previous meetings (render_actions.c); nothing if it has none. */
void table_actions(struct tbl *t, const Pmif__CommitteePack *p);
void table_completeness(struct tbl *t, const Pmif__CompletenessReport *r, unsigned long long now);
void table_trend(struct tbl *t, const Pmif__TrendReport *r, unsigned long long now);
void table_locality(struct tbl *t, const Pmif__LocalityReport *r, unsigned long long now);
/* render_table_compare.c */
void table_compare(struct tbl *t, const Pmif__CompareReport *r, unsigned long long now);
/** The line under a measure row: its position among similar councils in
 *  words, with the set's source and date; nothing without one. */
void table_compare_line(struct tbl *t, const Pmif__MeasureLine *m);

/* Risks and interventions (render_table_risks.c). */
void table_interventions(struct tbl *t, const Pmif__ObjectiveSection *o);
void table_risk_lines(struct tbl *t, Pmif__RiskLine *const *risks, size_t n, size_t indent);
void table_risks(struct tbl *t, const Pmif__RiskReport *r, unsigned long long now);

#endif
