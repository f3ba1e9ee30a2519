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

enum render_format { RENDER_TABLE, RENDER_CSV, RENDER_JSON, RENDER_HTML, RENDER_PDF };

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
};

/**
 * Parse a format name ("table", "csv", "json", "html" or "pdf") into
 * *out.  Returns 0, or EXIT_USAGE (from cli.h) without printing anything;
 * *out is written only on success.
 */
int render_format_parse(const char *s, enum render_format *out);

/** The name of @p f as users type it. */
const char *render_format_name(enum render_format f);

/**
 * Render any of the six report messages (Scorecard, ExceptionReport,
 * CompletenessReport, TrendReport, LocalityReport, CommitteePack) in
 * format @p f to @p out_path, or to stdout when it is NULL or "-".
 *
 * A file is written to a temporary name beside @p out_path and renamed
 * into place only when complete, so a failed render never leaves half a
 * report.  PDF is refused on a terminal (binary) unless a path is given.
 * @p opt may be NULL (detect everything).  The message is only read.
 *
 * Returns 0, or an EXIT_* code from cli.h after printing one sentence to
 * stderr: EXIT_USAGE for an unknown message type or a PDF to a terminal,
 * EXIT_FAIL when the output cannot be written.
 *
 * PDF only: when done, cairo's and fontconfig's process-wide font caches
 * are released (they rebuild on next use), so that a leak checker sees a
 * clean exit; do not render from two threads at once.
 */
int render_message(const ProtobufCMessage *msg, enum render_format f, const char *out_path,
                   const struct render_options *opt);

/* The typed entry points commands use: render_message() with detection. */
int render_scorecard(const Pmif__Scorecard *r, enum render_format f, const char *out_path);
int render_exceptions(const Pmif__ExceptionReport *r, enum render_format f, const char *out_path);
int render_completeness(const Pmif__CompletenessReport *r, enum render_format f,
                        const char *out_path);
int render_trend(const Pmif__TrendReport *r, enum render_format f, const char *out_path);
int render_locality(const Pmif__LocalityReport *r, enum render_format f, const char *out_path);
int render_pack(const Pmif__CommitteePack *r, enum render_format f, const char *out_path);

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
};

/* The writers, one per format; msg is one of the six report types.  Each
 * returns 0 or a negative PMIF_E* code; render_message() reports it. */
int render_table_write(struct render_ctx *c, const ProtobufCMessage *msg);
int render_csv_write(struct render_ctx *c, const ProtobufCMessage *msg);
int render_html_write(struct render_ctx *c, const ProtobufCMessage *msg);
int render_pdf_write(struct render_ctx *c, const ProtobufCMessage *msg);

/* Is @p msg of message type @p d?  (NULL-safe.) */
#define RENDER_IS(msg, d) ((msg) != NULL && (msg)->descriptor == &(d))

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
const char *render_direction_word(Pmif__Direction d);             /* "improving", ... */
const char *render_direction_arrow(Pmif__Direction d, bool utf8); /* "▲" / "^" ... */
const char *render_variation_word(Pmif__Variation v);
const char *render_comparison_word(Pmif__Comparison c);
const char *render_movement_arrow(const char *movement, bool utf8); /* risks */
const char *render_movement_word(const char *movement);
const char *render_status_word(const char *status); /* interventions */
const char *render_status_class(const char *status);
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

/* A pack's measure sections: its full objectives, or the summary's when
 * the pack carries none.  *n is set. */
Pmif__ObjectiveSection *const *render_pack_sections(const Pmif__CommitteePack *p, size_t *n);

/* Footnote for provisional values. */
#define RENDER_PROVISIONAL_NOTE "provisional: awaiting sign-off"

#endif
