/*
 * render.h - lay out the reports pmifd computes (report.proto) as a
 * terminal table, CSV, JSON, a self-contained HTML page or a PDF.
 *
 * The server makes every judgement (RAG and its rule, direction of travel,
 * SPC, confidence intervals, exceptions); the renderers only lay out what
 * the message says, so nothing here re-derives a rule.  One file (or
 * two) per format: render_table*.c, render_csv.c, render_html.c,
 * render_pdf*.c; JSON is pmif_pb_to_json() itself.  The chart geometry is
 * computed once in render_chart*.c and drawn as SVG by render_svg.c and
 * with cairo by render_pdf.c; what they all share is in render_util.c.
 *
 * The first half of this header is what commands call; the second half,
 * marked, is shared by the render_*.c files only.
 */
#ifndef PMIF_RENDER_H
#define PMIF_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <protobuf-c/protobuf-c.h>

#include "report.pb-c.h"

/* The output formats.  RENDER_N_FORMATS counts them (not a format). */
enum render_format {
	RENDER_TABLE,
	RENDER_CSV,
	RENDER_JSON,
	RENDER_HTML,
	RENDER_PDF,
	RENDER_N_FORMATS
};

/**
 * How the output is laid out.  Zero-initialised means "decide from the
 * environment", which is what commands want; tests set fields to pin the
 * result.
 */
struct render_options {
	unsigned width;         /* table columns; 0: the terminal's, or 100 */
	int tty;                /* treat the output as a terminal: -1 no, 0 detect, 1 yes */
	int utf8;               /* -1 ASCII only, 0 detect from the locale, 1 UTF-8 */
	unsigned long long now; /* "generated" time when the message has none; 0: time() */
	bool fragment;          /* HTML only: the report's content without the page shell (doctype,
	                           head, inline style, <main>, footer), for a page of pmif-web's */
};

/**
 * Parse a format name ("table", "csv", "json", "html" or "pdf") into
 * *out.  Returns 0, or PMIF_EINVAL for any other name (or NULL); *out is
 * written only on success.  Prints nothing.
 */
int render_format_parse(const char *s, enum render_format *out);

/** The name of @p f as users type it ("unknown" when it is not a format). */
const char *render_format_name(enum render_format f);

/**
 * The name of @p msg's report as users say it ("scorecard", "exceptions",
 * "completeness", "trend", "locality", "pack", "compare"), or "unknown" when @p msg
 * is NULL or not a report.  Static storage.
 */
const char *render_report_name(const ProtobufCMessage *msg);

/**
 * Render any of the six report messages (Scorecard, ExceptionReport,
 * CompletenessReport, TrendReport, LocalityReport, CommitteePack) in
 * format @p f to @p out_path, or to stdout when it is NULL or "-".  The
 * writer is looked up in one table of (report type, format) in render.c.
 *
 * A file is written to a temporary name beside @p out_path and renamed
 * into place only when complete: on any failure the temporary file is
 * removed and @p out_path is untouched.  @p opt may be NULL (detect
 * everything).  The message is only read.  Never prints and never exits:
 * the caller says what went wrong (cmd_report.c maps each code to an exit
 * code and one sentence).
 *
 * Returns 0, or
 * - PMIF_EINVAL: @p msg is NULL or not a report, or @p f is not a format;
 * - PMIF_ENOTSUP: format @p f has no writer for this report (name the
 *   pair with render_format_name() and render_report_name());
 * - PMIF_ESTATE: a binary format (PDF) to stdout that is a terminal;
 * - PMIF_EIO: the output could not be created, written or renamed into
 *   place; errno holds the system's reason (EIO when there was none);
 * - PMIF_ENOMEM: out of memory while rendering.
 *
 * PDF only: when done, cairo's and fontconfig's process-wide font caches
 * are released (they rebuild on next use), so that a leak checker sees a
 * clean exit; do not render from two threads at once.
 */
int render_message(const ProtobufCMessage *msg, enum render_format f, const char *out_path,
                   const struct render_options *opt);

/**
 * As render_message(), but to the open stream @p out (a memory stream, a
 * socket's buffer), which is flushed and left open.  Nothing is said about
 * terminals: the caller knows where @p out goes.  Returns 0, PMIF_EINVAL,
 * PMIF_ENOTSUP, PMIF_EIO or PMIF_ENOMEM as render_message() does.
 */
int render_message_to(const ProtobufCMessage *msg, enum render_format f, FILE *out,
                      const struct render_options *opt);

/**
 * Write @p s to @p f escaped for HTML and XML text and attribute values:
 * & < > " ' as entities, after render_clean() (invalid UTF-8, control
 * characters and bidi overrides become '?'; newlines are kept).  The one
 * escape of every HTML and SVG writer, and of pmif-web's pages.
 */
void render_xml(FILE *f, const char *s);

/** The stylesheet the HTML reports carry inline (static storage), for a
 *  program that serves it as a file instead (pmif-web). */
const char *render_html_css(void);

/* ---------------------------------------------------------------------
 * Shared by the render_*.c files; commands use only what is above.
 * ------------------------------------------------------------------- */

/* What a format writer gets: the open output and the decided layout. */
struct render_ctx {
	FILE *out;
	unsigned width; /* table only */
	bool color;     /* ANSI colour (table only) */
	bool utf8;      /* may write non-ASCII (table only; the others always do) */
	unsigned long long now;
	bool fragment; /* HTML: content only (render_options.fragment) */
};

/*
 * A writer lays out one report type in one format on c->out.  @p msg is
 * of the type the table row in render.c names (the writer may cast it).
 * Returns 0 or a negative PMIF_E* code (PMIF_ENOMEM, PMIF_EIO); it never
 * prints an error and never exits.  render.c holds the one table of
 * (report type, format) -> writer; these are its cells.
 */
typedef int render_writer(struct render_ctx *c, const ProtobufCMessage *msg);

render_writer render_table_scorecard, render_table_exceptions, render_table_completeness,
    render_table_trend, render_table_locality, render_table_pack; /* render_table.c */
render_writer render_csv_scorecard, render_csv_exceptions, render_csv_completeness,
    render_csv_trend, render_csv_locality, render_csv_pack; /* render_csv.c */
render_writer render_html_scorecard, render_html_exceptions, render_html_completeness,
    render_html_trend, render_html_locality, render_html_pack; /* render_html.c */
render_writer render_pdf_scorecard, render_pdf_exceptions, render_pdf_completeness,
    render_pdf_trend, render_pdf_locality, render_pdf_pack; /* render_pdf.c */
/* The risk report (heat map in HTML and PDF). */
render_writer render_table_risks, render_csv_risks, render_html_risks, render_pdf_risks;
/* Comparison with similar councils: render_table_compare.c / render_table.c,
 * render_csv.c, render_html_compare.c, render_pdf_compare.c / render_pdf.c. */
render_writer render_table_compare, render_csv_compare, render_html_compare, render_pdf_compare;

/* Labels: static strings, never NULL. */
const char *render_rag_word(Pmif__Rag r);   /* "Red", "Amber", "Green", "Grey", "No data" */
const char *render_rag_letter(Pmif__Rag r); /* "R", "A", "G", "-", "?" */
const char *render_rag_symbol(Pmif__Rag r, bool utf8); /* the letter; "○" for No data */
const char *render_rag_class(Pmif__Rag r); /* "red", "amber", "green", "grey", "nodata" */
/* What Grey and No data mean, for every report's key. */
#define RENDER_GREY_NOTE                                                                           \
	"Grey: a value with no target to judge it by, or a context measure (for example the "      \
	"number of looked-after children)."
#define RENDER_NO_DATA_NOTE                                                                        \
	"No data: no value has been entered for the period; it is counted on its own, never "      \
	"as Red or an exception, and completeness says which directorate owes it."
/* What the Similar councils column means, for the HTML and PDF keys. */
#define RENDER_COMPARE_NOTE                                                                        \
	"Similar councils: where other councils' figures have been loaded for the measure and "    \
	"period, this council's rank among them (1 is the best; equal figures share a rank) and "  \
	"the quarter of the ranking it falls in, with the figures' source and date; figures "      \
	"marked illustrative are made up."
const char *render_direction_word(Pmif__Direction d);             /* "improving", ... */
const char *render_direction_arrow(Pmif__Direction d, bool utf8); /* "▲" / "^" ... */
const char *render_variation_word(Pmif__Variation v);
const char *render_comparison_word(Pmif__Comparison c);
const char *render_movement_arrow(const char *movement, bool utf8); /* risks */
const char *render_movement_word(const char *movement);
const char *render_status_word(const char *status); /* interventions */
const char *render_status_class(const char *status);
/* An intervention's slippage RAG ("green", "amber", "red", "complete",
 * "none"): its word ("Green" ... "No milestones") and badge class. */
const char *render_slip_word(const char *rag);
const char *render_slip_class(const char *rag);
const char *render_str(const char *s); /* s, or "" for NULL */

/* Formatting numbers.  Buffers are RENDER_NUM_LEN bytes; results are
 * written there and returned.  Non-finite values give "n/a" (or "" for
 * the plain CSV form); magnitudes beyond 1e15 switch to %g. */
#define RENDER_NUM_LEN 64
/** @p v in @p unit with thousands separators: "81.4%", "£1,350,000", "9.8 days". */
char *render_value(char *buf, double v, const char *unit, int decimals);
/** @p v as a plain number for machines: "1350000.00"; "" when not finite. */
char *render_plain(char *buf, double v, int decimals);
/** A measure line's latest value, "n/a" without one. */
char *render_line_value(char *buf, const Pmif__MeasureLine *m);
/** A measure line's target, "" without one. */
char *render_line_target(char *buf, const Pmif__MeasureLine *m);
/** Clamp a message's decimals to 0..6. */
int render_decimals(int d);
/** Does a line carry a usable (finite) value / target? */
bool render_has_value(const Pmif__MeasureLine *m);
bool render_has_target(const Pmif__MeasureLine *m);

/** "2024-11-23 14:05 UTC" for unix time @p t (0: "unknown"). */
char *render_time(char *buf, size_t cap, unsigned long long t);

/**
 * A cleaned copy of @p s (NULL is ""): invalid UTF-8 and control
 * characters (C0, DEL, C1; and newlines unless @p keep_newlines) become
 * spaces or '?', so text from the server can never drive a terminal or
 * break cairo.  With !@p utf8 the result is ASCII (common typography
 * transliterated: £ -> GBP, curly quotes, dashes, ellipsis).  At most
 * @p max_bytes of @p s are read; longer text ends in an ellipsis.
 * Returns a malloc'd string the caller frees, or NULL when out of memory.
 */
char *render_clean(const char *s, bool keep_newlines, bool utf8, size_t max_bytes);

/** Display columns of UTF-8 @p s (one per code point; combining marks 0). */
size_t render_cols(const char *s);
/** Byte length of the longest prefix of @p s that fits @p cols columns. */
size_t render_fit(const char *s, size_t cols);

/* Growable byte buffer for builders (charts, text). */
struct render_buf {
	char *p;
	size_t len, cap;
	bool failed; /* an allocation failed: the content is incomplete */
};
void render_buf_add(struct render_buf *b, const char *s, size_t n);
void render_buf_printf(struct render_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void render_buf_release(struct render_buf *b);

/** "3 of these are one locality's value: red there, or significantly
 *  worse than the borough." into @p buf; NULL (nothing written) when the
 *  report has no locality exception. */
char *render_locality_note(char *buf, size_t cap, const Pmif__ExceptionReport *x);

/** An area's name as a chart says it: up to its first " (" (the places
 *  it takes in), "Birtley & South" for "Birtley & South (Birtley, ...)";
 *  the whole name when there is none.  Into @p buf; returns @p buf. */
char *render_area_name(char *buf, size_t cap, const char *name);

/** The title a measure line is shown by, into @p b: its title (or id),
 *  and for one locality's line in a borough report (a locality
 *  exception) an em dash and the locality's name. */
void render_line_title(struct render_buf *b, const Pmif__MeasureLine *m);

/* A pack's measure sections: its full objectives, or the summary's when
 * the pack carries none.  *n is set. */
Pmif__ObjectiveSection *const *render_pack_sections(const Pmif__CommitteePack *p, size_t *n);

/* Footnote for provisional values. */
#define RENDER_PROVISIONAL_NOTE "provisional: awaiting sign-off"

#endif
