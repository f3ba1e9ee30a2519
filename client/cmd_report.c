/*
 * cmd_report.c - 'pmif report ...': the reports members read.  The server
 * computes every report (report.proto); this file only turns the options
 * into a ReportFilter, makes one call and hands the reply to the
 * renderers (render.h) in the format asked for, to the terminal or to a
 * file (-o).
 *
 *   report scorecard|exceptions|completeness|pack --period P [filters]
 *   report pack --cabinet --period P          (the CABINET committee)
 *   report trend MEASURE [--from P] [--to P] [--locality ID]
 *   report locality MEASURE --period P
 *   report risks --period P [filters]      (the heat map in html/pdf)
 *   report compare MEASURE --period P        (among similar councils)
 *
 * --format takes table (the default), csv, json, html or pdf; the global
 * --json is --format json.  A PDF is binary, so it goes to a file (-o) or
 * a pipe, never to a terminal.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "error.h"
#include "render.h"

/* The committee 'report pack --cabinet' means. */
#define CABINET_ID "CABINET"

enum report_kind {
	R_SCORECARD,
	R_EXCEPTIONS,
	R_COMPLETENESS,
	R_TREND,
	R_LOCALITY,
	R_PACK,
	R_RISKS,
	R_COMPARE
};

static const char *const methods[] = {
    [R_SCORECARD] = "ReportScorecard",
    [R_EXCEPTIONS] = "ReportExceptions",
    [R_COMPLETENESS] = "ReportCompleteness",
    [R_TREND] = "ReportTrend",
    [R_LOCALITY] = "ReportLocality",
    [R_PACK] = "ReportPack",
    [R_RISKS] = "ReportRisks",
    [R_COMPARE] = "ReportCompare",
};

/* The format: --format, or json with the global --json. */
static int format_of(struct cli_global *g, struct cli_args *a, enum render_format *f)
{
	const char *s = cli_get(a, "format");

	*f = g->json ? RENDER_JSON : RENDER_TABLE;
	if (s == NULL)
		return 0;
	if (render_format_parse(s, f) != 0)
		return cli_error(EXIT_USAGE,
		                 "--format takes table, csv, json, html or pdf, not '%s'", s);
	if (g->json && *f != RENDER_JSON)
		return cli_error(EXIT_USAGE, "--json and --format %s disagree: give one of them",
		                 s);
	return 0;
}

/*
 * Say in one sentence why render_message() returned @p rc for @p msg in
 * format @p f to @p path, and return the exit code (README, cli.h).  Call
 * it straight after render_message(): PMIF_EIO's reason is in errno.
 */
static int render_failed(int rc, const ProtobufCMessage *msg, enum render_format f,
                         const char *path)
{
	const char *reason = strerror(errno);
	bool to_stdout = path == NULL || strcmp(path, "-") == 0;

	switch (rc) {
	case PMIF_ENOTSUP:
		return cli_error(EXIT_USAGE,
		                 "the %s format cannot show a %s report: choose another --format",
		                 render_format_name(f), render_report_name(msg));
	case PMIF_ESTATE:
		return cli_error(EXIT_USAGE,
		                 "the %s format is binary and cannot be shown on a "
		                 "terminal: write it to a file with -o FILE",
		                 render_format_name(f));
	case PMIF_EIO:
		if (to_stdout)
			return cli_error(EXIT_FAIL,
			                 "cannot write the report to standard output: %s", reason);
		return cli_error(EXIT_FAIL, "cannot write '%s': %s: nothing was written", path,
		                 reason);
	case PMIF_ENOMEM:
		return cli_error(EXIT_FAIL, "out of memory while rendering the report: nothing "
		                            "was written");
	case PMIF_EINVAL:
		return cli_error(EXIT_FAIL, "the server's reply is not a report this pmif can "
		                            "render: is pmif older than pmifd?");
	default:
		return cli_error(EXIT_FAIL, "cannot render the %s report: %s",
		                 render_format_name(f), pmif_strerror(rc));
	}
}

static const char *opt(struct cli_args *a, const char *name)
{
	const char *v = cli_get(a, name);

	return v ? v : "";
}

static int run(struct cli_global *g, struct cli_args *a, enum report_kind kind)
{
	Pmif__ReportFilter in = PMIF__REPORT_FILTER__INIT;
	ProtobufCMessage *out = NULL;
	enum render_format f;
	const char *path = cli_get(a, "o");
	bool needs_period = kind != R_TREND;
	int rc;

	if ((rc = format_of(g, a, &f)) != 0)
		return rc;
	in.period = (char *)opt(a, "period");
	in.committee = (char *)opt(a, "committee");
	in.objective = (char *)opt(a, "objective");
	in.directorate = (char *)opt(a, "directorate");
	in.locality = (char *)opt(a, "locality");
	in.from_period = (char *)opt(a, "from");
	in.to_period = (char *)opt(a, "to");
	if (kind == R_TREND || kind == R_LOCALITY || kind == R_COMPARE)
		in.measure = a->pos[0];
	if (kind == R_TREND && !in.to_period[0])
		in.to_period = in.period; /* 'trend M --period P' ends the trend at P */
	if (cli_flag(a, "cabinet")) {
		if (in.committee[0] && strcmp(in.committee, CABINET_ID) != 0)
			return cli_error(EXIT_USAGE,
			                 "--cabinet is the %s committee: leave out "
			                 "--committee %s",
			                 CABINET_ID, in.committee);
		in.committee = CABINET_ID;
	}
	if (needs_period && !in.period[0])
		return cli_error(EXIT_USAGE, "give the period to report on with --period, e.g. "
		                             "--period 2022-23-Q3");
	if (kind == R_PACK && !in.committee[0])
		return cli_error(EXIT_USAGE, "give the committee with --committee ID (see 'pmif "
		                             "admin committee list'), or --cabinet");
	if (f == RENDER_PDF && path == NULL && isatty(STDOUT_FILENO))
		return cli_error(EXIT_USAGE, "a PDF cannot be shown on a terminal: write it to a "
		                             "file with -o FILE.pdf");
	if (path != NULL && path[0] == '\0')
		return cli_error(EXIT_USAGE, "-o needs a file name");

	if ((rc = call_once(g, methods[kind], &in.base, &out)) != 0)
		return rc;
	rc = render_message(out, f, path, NULL);
	if (rc != 0)
		rc = render_failed(rc, out, f, path);
	else if (path != NULL && strcmp(path, "-") != 0)
		fprintf(g->json ? stderr : stdout, "wrote %s (%s)\n", path, render_format_name(f));
	protobuf_c_message_free_unpacked(out, NULL);
	return rc;
}

static int run_scorecard(struct cli_global *g, struct cli_args *a)
{
	return run(g, a, R_SCORECARD);
}

static int run_exceptions(struct cli_global *g, struct cli_args *a)
{
	return run(g, a, R_EXCEPTIONS);
}

static int run_completeness(struct cli_global *g, struct cli_args *a)
{
	return run(g, a, R_COMPLETENESS);
}

static int run_trend(struct cli_global *g, struct cli_args *a)
{
	return run(g, a, R_TREND);
}

static int run_locality(struct cli_global *g, struct cli_args *a)
{
	return run(g, a, R_LOCALITY);
}

static int run_pack(struct cli_global *g, struct cli_args *a)
{
	return run(g, a, R_PACK);
}

static int run_risks(struct cli_global *g, struct cli_args *a)
{
	return run(g, a, R_RISKS);
}

static int run_compare(struct cli_global *g, struct cli_args *a)
{
	return run(g, a, R_COMPARE);
}

static const struct cli_opt period_opts[] = {
    {"period", "P", "the period, e.g. 2022-23-Q3 (required)"},
    {"committee", "ID", "only what this committee scrutinises (e.g. FAMILIES-OSC)"},
    {"objective", "ID", "only this objective (e.g. PO1 or BS-EMP)"},
    {"directorate", "ID", "only the measures this directorate owns"},
    {"locality", "ID", "values for this locality instead of the borough"},
    {"format", "FORMAT", "table (default), csv, json, html or pdf"},
    {"o", "FILE", "write the report to FILE instead of the terminal"},
    {0}};
static const struct cli_opt pack_opts[] = {
    {"period", "P", "the period, e.g. 2022-23-H1 (required)"},
    {"committee", "ID", "the committee (e.g. FAMILIES-OSC)"},
    {"cabinet", NULL, "the Cabinet pack (the " CABINET_ID " committee)"},
    {"objective", "ID", "only this objective of the committee's"},
    {"directorate", "ID", "only the measures this directorate owns"},
    {"locality", "ID", "values for this locality instead of the borough"},
    {"format", "FORMAT", "table (default), csv, json, html or pdf"},
    {"o", "FILE", "write the report to FILE instead of the terminal"},
    {0}};
static const struct cli_opt risks_opts[] = {
    {"period", "P", "the period, e.g. 2022-23-Q3 (required)"},
    {"committee", "ID", "only the risks of this committee's objectives"},
    {"objective", "ID", "only this objective's risks"},
    {"directorate", "ID", "only the risks this directorate owns"},
    {"format", "FORMAT", "table (default), csv, json, html or pdf (html and pdf: a heat map)"},
    {"o", "FILE", "write the report to FILE instead of the terminal"},
    {0}};
static const struct cli_opt trend_opts[] = {
    {"from", "P", "first period (default: the start of the series)"},
    {"to", "P", "last period (default: the latest value)"},
    {"period", "P", "the same as --to"},
    {"locality", "ID", "this locality's series instead of the borough's"},
    {"format", "FORMAT", "table (default), csv, json, html or pdf"},
    {"o", "FILE", "write the report to FILE instead of the terminal"},
    {0}};
static const struct cli_opt locality_opts[] = {
    {"period", "P", "the period, e.g. 2022-23-Q3 (required)"},
    {"locality", "ID", "only this locality against the borough"},
    {"format", "FORMAT", "table (default), csv, json, html or pdf"},
    {"o", "FILE", "write the report to FILE instead of the terminal"},
    {0}};

static const struct cli_opt compare_opts[] = {
    {"period", "P", "the period, e.g. 2022-23-Q3 (required)"},
    {"format", "FORMAT", "table (default), csv, json, html or pdf"},
    {"o", "FILE", "write the report to FILE instead of the terminal"},
    {0}};

const struct cli_command report_commands[] = {
    {"report scorecard", NULL,
     "every measure of the period by objective: value, target, RAG, direction, SPC", period_opts, 0,
     0, run_scorecard},
    {"report exceptions", NULL,
     "the measures that are red, show special-cause concern or are worsening", period_opts, 0, 0,
     run_exceptions},
    {"report completeness", NULL,
     "what is missing or awaiting sign-off for the period, by directorate", period_opts, 0, 0,
     run_completeness},
    {"report trend", "MEASURE", "a measure's series with its SPC chart (XmR) and targets",
     trend_opts, 1, 1, run_trend},
    {"report locality", "MEASURE",
     "each locality against the borough, with 95% confidence intervals", locality_opts, 1, 1,
     run_locality},
    {"report pack", NULL,
     "a committee's pack: summary, exceptions, then each objective in full "
     "(--committee ID or --cabinet)",
     pack_opts, 0, 0, run_pack},
    {"report risks", NULL,
     "the risk register for the period: scores, movement since the last assessment, "
     "targets; a 5x5 heat map in html and pdf",
     risks_opts, 0, 0, run_risks},
    {"report compare", "MEASURE",
     "this council among similar councils: rank, quartile and every comparator's figure",
     compare_opts, 1, 1, run_compare},
};
const size_t n_report_commands = sizeof(report_commands) / sizeof(report_commands[0]);
