/*
 * cmd_values.c - 'pmif value ...': set, get, history, import, approve.
 *
 * Approving a period that completes a half-year or year (Q2, Q4, H2) also
 * prints what the server says those periods still need; the client only
 * lays it out.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "values.pb-c.h"
#include "words.h"

/* A number as the user typed it; exit code 7 with a message if not. */
static int parse_number(const char *field, const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (s[0] == '\0' || *end != '\0' || errno == ERANGE)
		return cli_error(EXIT_INVALID, "%s: '%s' is not a number", field, s);
	return 0;
}

static void print_value(const Pmif__ValueRecord *v, const char *rag)
{
	char t[64];

	printf("%-14s %-9s %12.15g", v->period, v->locality, v->value);
	if (v->has_fraction)
		printf(" (%.15g/%.15g)", v->numerator, v->denominator);
	printf("  %-11s", pmif_value_status_word(v->status));
	if (rag)
		printf(" %-5s", rag);
	printf("  %s %s", v->submitted_by, fmt_time(v->submitted_unix, t, sizeof(t)));
	if (v->note[0])
		printf("\n%30s note: %s", "", v->note);
	printf("\n");
}

static int run_set(struct cli_global *g, struct cli_args *a)
{
	Pmif__ValueSetRequest in = PMIF__VALUE_SET_REQUEST__INIT;
	Pmif__ValueSetReply *out = NULL;
	const char *num = cli_get(a, "numerator"), *den = cli_get(a, "denominator");
	int rc;

	in.measure = a->pos[0];
	in.period = a->pos[1];
	if ((rc = parse_number("value", a->pos[2], &in.value)) != 0)
		return rc;
	in.locality = (char *)(cli_get(a, "locality") ? cli_get(a, "locality") : "");
	in.note = (char *)(cli_get(a, "note") ? cli_get(a, "note") : "");
	if (num || den) {
		if (!num || !den)
			return cli_error(EXIT_USAGE, "give --numerator and --denominator together");
		in.has_fraction = true;
		if ((rc = parse_number("numerator", num, &in.numerator)) != 0 ||
		    (rc = parse_number("denominator", den, &in.denominator)) != 0)
			return rc;
	}
	rc = call_once(g, "ValueSet", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json) {
		print_json(&out->base);
	} else {
		printf("%s %s %s: %.15g %s (%s: %s)\n", out->value->measure, out->value->period,
		       out->value->locality, out->value->value,
		       out->changed ? "submitted, awaiting sign-off" : "unchanged", out->rag,
		       out->rag_rule);
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static int run_get(struct cli_global *g, struct cli_args *a)
{
	Pmif__ValueGetRequest in = PMIF__VALUE_GET_REQUEST__INIT;
	Pmif__ValueGetReply *out = NULL;
	int rc;

	in.measure = a->pos[0];
	in.period = (char *)(cli_get(a, "period") ? cli_get(a, "period") : "");
	in.locality = (char *)(cli_get(a, "locality") ? cli_get(a, "locality") : "");
	rc = call_once(g, "ValueGet", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json) {
		print_json(&out->base);
	} else {
		printf("%s: %s (%s)\n", out->measure, out->title, out->unit);
		if (out->n_values == 0)
			printf("no values yet\n");
		for (size_t i = 0; i < out->n_values; i++)
			print_value(out->values[i]->value, out->values[i]->rag);
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static int run_history(struct cli_global *g, struct cli_args *a)
{
	Pmif__ValueHistoryRequest in = PMIF__VALUE_HISTORY_REQUEST__INIT;
	Pmif__ValueHistoryReply *out = NULL;
	char t[64];
	int rc;

	in.measure = a->pos[0];
	in.period = a->pos[1];
	in.locality = (char *)(cli_get(a, "locality") ? cli_get(a, "locality") : "");
	rc = call_once(g, "ValueHistory", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json) {
		print_json(&out->base);
	} else {
		printf("%-4s %-22s %-16s %12s %12s  %s\n", "REV", "WHEN", "WHO", "OLD", "NEW",
		       "STATUS");
		for (size_t i = 0; i < out->n_revisions; i++) {
			const Pmif__ValueRecord *v = out->revisions[i];
			bool approval =
			    v->status == PMIF__VALUE_STATUS__APPROVED && v->approved_by[0];
			char old[32] = "-";
			if (i > 0)
				snprintf(old, sizeof(old), "%.15g", out->revisions[i - 1]->value);
			printf(
			    "%-4u %-22s %-16s %12s %12.15g  %s%s%s\n", v->revision,
			    fmt_time(approval ? v->approved_unix : v->submitted_unix, t, sizeof(t)),
			    approval ? v->approved_by : v->submitted_by, old, v->value,
			    pmif_value_status_word(v->status), v->note[0] ? "  note: " : "",
			    v->note);
		}
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static int run_import(struct cli_global *g, struct cli_args *a)
{
	Pmif__ValueImportRequest in = PMIF__VALUE_IMPORT_REQUEST__INIT;
	Pmif__ValueImportReply *out = NULL;
	bool dry = cli_flag(a, "dry-run");
	const char *slash;
	size_t len;
	char *text = read_file(a->pos[0], (size_t)1 << 30, &len);
	int rc;

	if (text == NULL)
		return cli_error(EXIT_INVALID, "cannot read '%s': %s", a->pos[0], strerror(errno));
	slash = strrchr(a->pos[0], '/');
	in.csv.data = (uint8_t *)text;
	in.csv.len = len;
	in.dry_run = dry;
	in.file_name = (char *)(slash ? slash + 1 : a->pos[0]);
	rc = call_once(g, dry ? "ValueImportCheck" : "ValueImport", &in.base,
	               (ProtobufCMessage **)&out);
	free(text);
	if (rc != 0)
		return rc;
	if (g->json) {
		print_json(&out->base);
	} else {
		for (size_t i = 0; i < out->n_warnings; i++)
			fprintf(stderr, "pmif: warning: %s\n", out->warnings[i]);
		printf(
		    "%s%u rows: %u %sadded, %u %schanged, %u unchanged (%.1f ms on the server)\n",
		    dry ? "dry run, nothing changed: " : "imported ", out->rows, out->added,
		    dry ? "would be " : "", out->changed, dry ? "would be " : "", out->unchanged,
		    out->server_time_us / 1000.0);
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

/* "2022-23-H2 and 2022-23" */
static void print_periods(char **p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%s%s", i == 0 ? "" : i + 1 == n ? " and " : ", ", p[i]);
}

/* Measures of @p s with at least one value still owed. */
static unsigned measures_owing(const Pmif__SignoffPeriod *s)
{
	unsigned n = 0;

	for (size_t i = 0; i < s->n_items; i++)
		n += i == 0 || strcmp(s->items[i]->measure, s->items[i - 1]->measure) != 0;
	return n;
}

/* One sentence per directorate and period: complete, or what it lacks. */
static void print_signoff_line(const Pmif__SignoffPeriod *s)
{
	if (s->measures == 0) {
		printf("  %s reports no %s measures for %s\n", s->directorate, s->frequency,
		       s->period);
	} else if (s->n_items == 0) {
		printf("  %s: %s is complete: all %u %s value%s approved\n", s->directorate,
		       s->period, s->expected, s->frequency, s->expected == 1 ? "" : "s");
	} else {
		unsigned owing = measures_owing(s);

		printf("  %s: %u of %u %s measure%s still need%s a %s value (%u missing, %u "
		       "awaiting sign-off; %s is %s):\n",
		       s->directorate, owing, s->measures, s->frequency,
		       s->measures == 1 ? "" : "s", owing == 1 ? "s" : "", s->period, s->missing,
		       s->submitted, s->period, s->state);
	}
}

/* What to do next about @p period, from the rows of the reply for it. */
static void print_next(const Pmif__ValueApproveReply *r, const char *period, const char *dir)
{
	bool submitted = false, locked_missing = false;

	for (size_t i = 0; i < r->n_signoff; i++) {
		const Pmif__SignoffPeriod *s = r->signoff[i];

		if (strcmp(s->period, period) != 0)
			continue;
		submitted |= s->submitted > 0;
		locked_missing |= s->missing > 0 && strcmp(s->state, "locked") == 0;
	}
	if (locked_missing)
		printf("next: 'pmif admin period open %s' so the missing values can be entered\n",
		       period);
	if (submitted)
		printf("next: 'pmif value approve --period %s%s%s' to sign off what is entered\n",
		       period, dir[0] ? " --directorate " : "", dir);
}

/* What approving a Q2, Q4 or H2 rolls into (ValueApproveReply.signoff). */
static void print_signoff(const Pmif__ValueApproveReply *r, const char *period, const char *dir)
{
	printf("%s rolls into ", period);
	print_periods(r->completes, r->n_completes);
	printf(":\n");
	for (size_t i = 0; i < r->n_signoff; i++) {
		const Pmif__SignoffPeriod *s = r->signoff[i];

		print_signoff_line(s);
		for (size_t k = 0; k < s->n_items; k++)
			printf("    %-18s %-10s %-17s %s\n", s->items[k]->measure,
			       s->items[k]->locality, s->items[k]->status, s->items[k]->title);
	}
	printf("nothing is added up from %s values (the framework does not say how a measure "
	       "aggregates): the ",
	       r->n_signoff ? r->signoff[0]->frequency : "shorter");
	print_periods(r->completes, r->n_completes);
	printf(" report%s show%s each %s measure at its %s value\n", r->n_completes > 1 ? "s" : "",
	       r->n_completes > 1 ? "" : "s", r->n_signoff ? r->signoff[0]->frequency : "shorter",
	       period);
	for (size_t i = 0; i < r->n_completes; i++)
		print_next(r, r->completes[i], dir);
}

static int run_approve(struct cli_global *g, struct cli_args *a)
{
	Pmif__ValueApproveRequest in = PMIF__VALUE_APPROVE_REQUEST__INIT;
	Pmif__ValueApproveReply *out = NULL;
	const char *dir = cli_get(a, "directorate"), *period = cli_get(a, "period");
	int rc;

	if (a->n_pos == 2 && !dir && !period) {
		in.measure = a->pos[0];
		in.period = a->pos[1];
		in.locality = (char *)(cli_get(a, "locality") ? cli_get(a, "locality") : "");
	} else if (a->n_pos == 0 && period && !cli_get(a, "locality")) {
		in.directorate = (char *)(dir ? dir : "");
		in.period = (char *)period;
	} else {
		return cli_error(EXIT_USAGE,
		                 "usage: pmif value approve MEASURE PERIOD [--locality ID] "
		                 "| pmif value approve --period P [--directorate ID]");
	}
	rc = call_once(g, "ValueApprove", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json) {
		print_json(&out->base);
	} else {
		printf("approved %u value%s (%u already approved)\n", out->approved,
		       out->approved == 1 ? "" : "s", out->already_approved);
		if (out->n_completes)
			print_signoff(out, in.period, in.directorate);
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static const struct cli_opt set_opts[] = {
    {"locality", "ID", "the locality (default: borough-wide)"},
    {"numerator", "N", "the count the value is a share of (with --denominator)"},
    {"denominator", "D", "the population or total (with --numerator)"},
    {"note", "TEXT", "why the value is what it is (needed when it is red)"},
    {0}};
static const struct cli_opt get_opts[] = {
    {"period", "P", "only this period"}, {"locality", "ID", "only this locality"}, {0}};
static const struct cli_opt loc_opts[] = {{"locality", "ID", "the locality (default: borough)"},
                                          {0}};
static const struct cli_opt import_opts[] = {
    {"dry-run", NULL, "check every line and say what would change; change nothing"}, {0}};
static const struct cli_opt approve_opts[] = {
    {"locality", "ID", "the locality (default: borough)"},
    {"period", "P",
     "approve every value of this period (a Q2, Q4 or H2 also shows what the half-year "
     "and year it completes still need)"},
    {"directorate", "ID", "with --period: only the values of this directorate's measures"},
    {0}};

const struct cli_command value_commands[] = {
    {"value set", "MEASURE PERIOD VALUE", "enter a value (submitted, awaiting sign-off)", set_opts,
     3, 3, run_set},
    {"value get", "MEASURE", "show a measure's values (provisional ones marked)", get_opts, 1, 1,
     run_get},
    {"value history", "MEASURE PERIOD", "every revision of a value: who, when, old, new", loc_opts,
     2, 2, run_history},
    {"value import", "FILE.csv", "import values from CSV, all or nothing", import_opts, 1, 1,
     run_import},
    {"value approve", "[MEASURE PERIOD]",
     "sign off a value, a directorate's period or a whole period (admin)", approve_opts, 0, 2,
     run_approve},
};
const size_t n_value_commands = sizeof(value_commands) / sizeof(value_commands[0]);
