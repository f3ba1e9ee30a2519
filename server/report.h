/*
 * report.h - what the report handlers (rpc_reports.c) share: the period a
 * measure is reported for, a measure's series read once, the MeasureLine
 * builder, the selection a ReportFilter makes, and the extra parts of a
 * committee pack.
 *
 *   report_line.c     periods, series, SPC wording, one MeasureLine
 *   report_select.c   filter -> objectives and measures; scorecard sections
 *   report_pack.c     a pack's interventions, risks, resources, case studies, no data
 *   report_locality.c confidence intervals and the locality comparison
 *   report_actions.c  a pack's actions from previous meetings
 *   report_locality_pack.c  a pack's locality section, locality exceptions
 *   rpc_reports.c     the six RPCs
 *
 * Everything works in op->txn (one read snapshot for the whole report)
 * and allocates from op->arena; functions that return a status set it
 * with op_fail() and return it, 0 on success.  Nothing here keeps state
 * between requests.
 */
#ifndef PMIF_REPORT_H
#define PMIF_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analytics.h"
#include "period.h"
#include "pmif.pb-c.h"
#include "rpc.h"

struct value_point;

/* Points of a sparkline: the measure's last eight periods. */
#define REPORT_SPARK_POINTS 8

/** Set RESOURCE_EXHAUSTED ("out of memory") and return it. */
int report_nomem(struct op_ctx *op);

/** Microseconds on the monotonic clock (for server_time_us). */
uint64_t report_clock_us(void);

/* ---------------------------------------------------------- periods */

/**
 * The period of @p kind that a report for @p p shows: @p p itself when it
 * is of that kind, otherwise the latest period of @p kind that ends on or
 * before the day @p p ends (a six-monthly measure in a 2022-23-Q3 report
 * shows 2022-23-H1, an annual one 2021-22; a quarterly one in a 2022-23
 * report shows 2022-23-Q4).  0 or PMIF_EINVAL (before the first
 * supported period).
 */
int report_period_for(const struct pmif_period *p, enum pmif_period_kind kind,
                      struct pmif_period *out);

/** The canonical text of @p p, in the arena (NULL when out of memory). */
char *report_period_text(struct arena *a, const struct pmif_period *p);

/* ---------------------------------------------------------- series */

/* A measure's values in one locality, oldest first, each with its parsed
 * period and key; non-finite values and unparsable periods are left out.
 * Points into arena memory. */
struct report_series {
	struct value_point *pts; /* numbers, keys ascending; values_point_record() for the rest */
	struct pmif_period *periods;
	size_t n;
};

/** Read the series of @p m in @p locality for its own period kind, up to
 *  and including @p last (NULL: all).  One range scan. */
int report_series_read(struct op_ctx *op, const Pmif__Measure *m, const char *locality,
                       const struct pmif_period *last, struct report_series *out);

/** Index of @p p in @p s, or -1. */
long report_series_find(const struct report_series *s, const struct pmif_period *p);

/** Number of points of @p s up to and including @p p. */
size_t report_series_upto(const struct report_series *s, const struct pmif_period *p);

/* ---------------------------------------------------------- measures */

/** The vocabulary words of a measure's enums, as the framework file spells them. */
const char *report_unit_word(const Pmif__Measure *m);
const char *report_polarity_word(const Pmif__Measure *m);
const char *report_frequency_word(const Pmif__Measure *m);
const char *report_kind_word(const Pmif__Measure *m);
/** The unit as the RAG rule reads it: "%", "days", "£", "per 1,000", or NULL. */
const char *report_rule_unit(const Pmif__Measure *m);
/** The measure's decimals, clamped to what analytics accepts. */
int report_decimals(const Pmif__Measure *m);

/* An XmR chart over points [from, to) of a series. */
struct report_spc {
	struct analytics_spc spc;
	struct analytics_spc_point *points; /* to - from of them */
	size_t from, to;
	bool ok; /* computed (false: the values could not be charted) */
};

/** Chart points [from, to) of @p s for @p m, with the target @p has_target
 *  / @p target for the assurance test. */
int report_spc_run(struct op_ctx *op, const Pmif__Measure *m, const struct report_series *s,
                   size_t from, size_t to, bool has_target, double target, struct report_spc *out);

/** "special cause variation: concern (run of 7 or more below the mean)",
 *  for point @p i of the series (an index into s, within [from, to)). */
const char *report_spc_text(struct arena *a, const Pmif__Measure *m, const struct report_spc *r,
                            size_t i);

/** Point @p p of @p m with its value from @p s (if any), target and the
 *  SPC bits from @p r (may be NULL). */
Pmif__SeriesPoint *report_point(struct arena *a, const Pmif__Measure *m,
                                const struct report_series *s, const struct report_spc *r,
                                const struct pmif_period *p);

/**
 * The MeasureLine of @p m in @p locality for the measure's own period
 * @p lp (see report_period_for), from the series @p s (which must hold
 * every value up to @p lp; later ones are ignored): value, target, RAG
 * and its rule, direction against the previous period and the same
 * period last year, SPC over the series up to @p lp, the sparkline and
 * the exception reasons.
 */
int report_line(struct op_ctx *op, const Pmif__Measure *m, const char *locality,
                const struct pmif_period *lp, const struct report_series *s,
                Pmif__MeasureLine **out);

/** The line of @p m for the report period @p p: reads the series (once)
 *  and calls report_line for the measure's own period. */
int report_line_for(struct op_ctx *op, const Pmif__Measure *m, const char *locality,
                    const struct pmif_period *p, Pmif__MeasureLine **out);

/* ---------------------------------------------------------- selection */

/* What a ReportFilter selects. */
struct report_sel {
	const Pmif__ReportFilter *filter;
	struct pmif_period period;
	Pmif__Period *period_rec;
	Pmif__Committee *committee; /* NULL: none given; likewise below */
	Pmif__Objective *objective;
	Pmif__Directorate *directorate;
	Pmif__Locality *locality;
	const char *locality_id;      /* "borough" unless filtered */
	Pmif__Objective **objectives; /* the sections, in order */
	size_t n_objectives;
	Pmif__Measure **measures; /* active measures selected, framework order */
	size_t n_measures;
};

/**
 * Resolve @p f: the period (required when @p need_period: INVALID_ARGUMENT
 * when empty or malformed, NOT_FOUND when outside the framework's years),
 * each id given (NOT_FOUND when unknown), then the objectives (the
 * committee's, or every active one) and the active measures that match
 * every filter (a committee's measures are the ones it scrutinises; with
 * a locality other than the borough, only measures reported by locality).
 */
int report_select(struct op_ctx *op, const Pmif__ReportFilter *f, bool need_period,
                  struct report_sel *out);

/** A copy of @p f for the reply (arena). */
Pmif__ReportFilter *report_filter_copy(struct arena *a, const Pmif__ReportFilter *f);

/** The objective sections of a scorecard for @p sel: every selected
 *  measure's line, counts, commentary.  *out is an arena array. */
int report_sections(struct op_ctx *op, const struct report_sel *sel, Pmif__ObjectiveSection ***out,
                    size_t *n);

/** A scorecard from @p sections (counts summed). */
Pmif__Scorecard *report_scorecard_of(struct op_ctx *op, const struct report_sel *sel,
                                     Pmif__ObjectiveSection **sections, size_t n,
                                     const char *title);

/** The exception lines of @p sections, in order. */
Pmif__ExceptionReport *report_exceptions_of(struct op_ctx *op, const struct report_sel *sel,
                                            Pmif__ObjectiveSection **sections, size_t n,
                                            const char *title);

/** The commentary of @p objective for @p p, or for the last quarter of
 *  @p p when there is none for @p p itself; NULL when neither exists. */
int report_commentary(struct op_ctx *op, const char *objective, const struct pmif_period *p,
                      Pmif__CommentaryRecord **out);

/* ---------------------------------------------------------- pack */

/** Add a pack's full parts to @p sections (one per objective of @p sel):
 *  outcomes, interventions with their update, risks with movement,
 *  resources for the year, case studies of the period. */
int report_pack_extras(struct op_ctx *op, const struct report_sel *sel,
                       Pmif__ObjectiveSection **sections, size_t n);

/** The report line of risk @p k for period @p p: its assessment in the
 *  period (or its last quarter), the one before it (the movement), its
 *  owner and target.  *out lives in op->arena. */
int report_risk_line(struct op_ctx *op, const struct pmif_period *p, Pmif__RiskRecord *k,
                     Pmif__RiskLine **out);

/** Every line of @p secs with no value for the period (RAG_NO_DATA), as
 *  items naming the measure, its locality, its own period and the owning
 *  directorate (id and name), in section order, status "missing".
 *  *out is an arena array (NULL when there are none). */
/**
 * The pack's "Actions from previous meetings" (report_actions.c): the
 * actions of @p sel's committee (and directorate, when one is given)
 * still open or in progress, and those closed since @p sel's period began,
 * judged overdue on the day of op->now, which *as_of says.  Arena memory.
 */
int report_pack_actions(struct op_ctx *op, const struct report_sel *sel, Pmif__ActionView ***out,
                        size_t *n, char **as_of);

int report_pack_no_data(struct op_ctx *op, Pmif__ObjectiveSection **secs, size_t n,
                        Pmif__MissingItem ***out, size_t *n_out);

/* ---------------------------------------------------------- locality */

/** The locality comparison for @p m in the report period @p p (borough
 *  line, every active locality or only @p only when not NULL). */
int report_locality_build(struct op_ctx *op, const Pmif__Measure *m, const struct pmif_period *p,
                          const char *only, Pmif__LocalityReport **out);

/* ---------------------------------------------------------- locality in packs
 * (report_locality_pack.c) */

/** The locality comparison (report_locality_build) of every by-locality
 *  measure among the lines of @p secs, in their order, for the period of
 *  @p sel (only its locality when it names one).  *out is an arena array. */
int report_locality_section(struct op_ctx *op, const struct report_sel *sel,
                            Pmif__ObjectiveSection **secs, size_t n, Pmif__LocalityReport ***out,
                            size_t *n_out);

/** Rebuild @p x's exceptions from @p secs, each borough exception line
 *  followed by its measure's locality exceptions from @p reps: a
 *  locality value that is red, or significantly worse than the borough,
 *  with locality_name set and the reasons in words; counts them in
 *  x->locality_exceptions.  Nothing changes when @p sel names a locality. */
int report_locality_exceptions(struct op_ctx *op, const struct report_sel *sel,
                               Pmif__ObjectiveSection **secs, size_t n, Pmif__LocalityReport **reps,
                               size_t n_reps, Pmif__ExceptionReport *x);

#endif
