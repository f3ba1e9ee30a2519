/*
 * cmd_admin_comparator.c - comparison with similar councils, the data
 * behind it:
 *
 *   admin comparator import FILE.csv --source "..." --date YYYY-MM-DD
 *                           [--illustrative] [--dry-run]
 *   admin comparator list [--measure ID]     (also 'comparator list')
 *
 * The CSV (header measure,period,comparator,value,kind) is sent whole and
 * checked on the server, which names every problem by line in one pass
 * and loads nothing unless every line is good.  Members read the result
 * with 'pmif report compare'.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "compare.pb-c.h"

static int run_import(struct cli_global *g, struct cli_args *a)
{
	Pmif__ComparatorImportRequest in = PMIF__COMPARATOR_IMPORT_REQUEST__INIT;
	Pmif__ComparatorImportReply *out = NULL;
	const char *source = cli_get(a, "source"), *date = cli_get(a, "date"), *slash;
	bool dry = cli_flag(a, "dry-run");
	size_t len;
	char *text;
	int rc;

	if (source == NULL || date == NULL)
		return cli_error(EXIT_USAGE,
		                 "say where the figures come from and when: --source \"LG Inform, "
		                 "CIPFA nearest neighbours\" --date 2023-06-30");
	if ((text = read_file(a->pos[0], (size_t)1 << 28, &len)) == NULL)
		return cli_error(EXIT_INVALID, "cannot read '%s': %s: nothing was loaded",
		                 a->pos[0], strerror(errno));
	slash = strrchr(a->pos[0], '/');
	in.csv.data = (uint8_t *)text;
	in.csv.len = len;
	in.source = (char *)source;
	in.as_of = (char *)date;
	in.illustrative = cli_flag(a, "illustrative");
	in.dry_run = dry;
	in.file_name = (char *)(slash ? slash + 1 : a->pos[0]);
	rc = call_once(g, "ComparatorImport", &in.base, (ProtobufCMessage **)&out);
	free(text);
	if (rc != 0)
		return rc;
	if (g->json)
		print_json(&out->base);
	else
		printf("%s%u rows: %u comparator set%s %s (%u replacing an earlier one); source "
		       "\"%s\", %s%s\n",
		       dry ? "dry run, nothing changed: " : "loaded ", out->rows, out->sets,
		       out->sets == 1 ? "" : "s", dry ? "would be written" : "written",
		       out->replaced, source, date, in.illustrative ? ", marked illustrative" : "");
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static int run_list(struct cli_global *g, struct cli_args *a)
{
	Pmif__ComparatorListRequest in = PMIF__COMPARATOR_LIST_REQUEST__INIT;
	Pmif__ComparatorListReply *out = NULL;
	const char *m = cli_get(a, "measure");
	char when[64];
	int rc;

	in.measure = (char *)(m ? m : "");
	if ((rc = call_once(g, "ComparatorList", &in.base, (ProtobufCMessage **)&out)) != 0)
		return rc;
	if (g->json) {
		print_json(&out->base);
	} else if (out->n_sets == 0) {
		printf("No comparator sets%s%s.\n", m ? " for " : "", m ? m : "");
	} else {
		printf("%-16s %-11s %8s %5s  %-10s  %s\n", "MEASURE", "PERIOD", "COUNCILS", "REFS",
		       "DATE", "SOURCE (LOADED BY, WHEN)");
		for (size_t i = 0; i < out->n_sets; i++) {
			const Pmif__ComparatorSetSummary *s = out->sets[i];

			printf("%-16s %-11s %8u %5u  %-10s  %s%s (%s, %s)\n", s->measure, s->period,
			       s->councils, s->references, s->as_of,
			       s->illustrative ? "ILLUSTRATIVE: " : "", s->source, s->loaded_by,
			       fmt_time(s->loaded_unix, when, sizeof(when)));
		}
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static const struct cli_opt import_opts[] = {
    {"source", "TEXT",
     "where the figures come from, e.g. \"LG Inform, CIPFA nearest neighbours\" "
     "(required)"},
    {"date", "YYYY-MM-DD", "when the source published them, or they were read (required)"},
    {"illustrative", NULL, "made-up figures (demos, training): every report says so"},
    {"dry-run", NULL, "check every line and say what would be loaded; change nothing"},
    {0}};
static const struct cli_opt list_opts[] = {{"measure", "ID", "only this measure's sets"}, {0}};

const struct cli_command comparator_commands[] = {
    {"admin comparator import", "FILE.csv",
     "load other councils' figures (measure,period,comparator,value,kind), all or nothing",
     import_opts, 1, 1, run_import},
    {"admin comparator list", NULL, "the comparator sets loaded: measure, period, source, date",
     list_opts, 0, 0, run_list},
    {"comparator list", NULL, "the comparator sets loaded: measure, period, source, date",
     list_opts, 0, 0, run_list},
};
const size_t n_comparator_commands = sizeof(comparator_commands) / sizeof(comparator_commands[0]);
