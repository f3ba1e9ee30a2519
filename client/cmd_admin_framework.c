/*
 * cmd_admin_framework.c - 'pmif admin framework load FILE' and, for each
 * kind of framework record, 'pmif admin KIND add|list|show|edit|retire|
 * restore'.
 *
 * The kinds differ only in their options, so one table says which options
 * each kind takes and one run function per verb serves them all (the
 * kind is the second word of the command's name).  Options go to the
 * server as typed (FieldValue): an option --by-locality fills the field
 * by_locality, and a repeatable option fills the plural field (--committee
 * fills committees).  The server parses and checks them with the framework
 * file's rules, so its messages name the field.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "framework_view.h"

/* The server's limit (server/framework.h FW_MAX_FILE). */
#define MAX_FILE ((size_t)3 << 20)

static const struct cli_opt directorate_opts[] = {
    {"name", "TEXT", "the directorate's name"},
    {"source", "TEXT", "where the definition comes from (e.g. council)"},
    {0}};
static const struct cli_opt locality_opts[] = {
    {"name", "TEXT", "the locality's name"},
    {"source", "TEXT", "where the definition comes from (e.g. council)"},
    {0}};
static const struct cli_opt committee_opts[] = {
    {"name", "TEXT", "the committee's name"},
    {"kind", "KIND", "cabinet or osc"},
    {"objective", "ID", "an objective it scrutinises; replaces the list ('' clears it)", true},
    {"source", "TEXT", "where the definition comes from"},
    {0}};
static const struct cli_opt objective_opts[] = {
    {"kind", "KIND", "policy or scorecard"},
    {"title", "TEXT", "the objective's title"},
    {"source", "TEXT", "where the definition comes from"},
    {0}};
static const struct cli_opt outcome_opts[] = {
    {"objective", "ID", "the objective it belongs to"}, {"text", "TEXT", "the outcome"}, {0}};
static const struct cli_opt intervention_opts[] = {
    {"objective", "ID", "the objective it serves"},
    {"title", "TEXT", "what is done"},
    {"item", "TEXT", "a bullet point under the title; replaces the list ('' clears it)", true},
    {"directorate", "ID", "the owner directorate"},
    {0}};
static const struct cli_opt measure_opts[] = {
    {"title", "TEXT", "what is measured"},
    {"objective", "ID", "the objective it belongs to"},
    {"outcome", "ID", "an outcome of that objective ('' for none)"},
    {"kind", "KIND", "strategic or operational"},
    {"unit", "UNIT", "count, percent, rate_per_1000, days, gbp or score"},
    {"polarity", "P", "higher, lower (is better) or none (context only)"},
    {"frequency", "F", "quarterly, six-monthly or annual"},
    {"directorate", "ID", "the owner directorate"},
    {"committee", "ID", "a committee that scrutinises it; replaces the list ('' clears it)", true},
    {"by-locality", "yes|no", "whether it is reported per locality"},
    {"baseline", "PERIOD=VALUE", "the baseline, e.g. 2019-20=78.2, or none"},
    {"target", "YEAR=VALUE",
     "the target for a financial year, e.g. 2022-23=85 (YEAR=none "
     "drops it; 'none' drops all)",
     true},
    {"tolerance", "N", "the amber band, in the measure's unit"},
    {"decimals", "N", "decimal places shown, 0 to 6"},
    {"source", "TEXT", "where the definition comes from"},
    {"description", "TEXT", "the definition in full"},
    {0}};

static const struct cli_opt list_objective_opts[] = {
    {"objective", "ID", "only those of this objective"},
    {"all", NULL, "include retired ones"},
    {0}};
static const struct cli_opt list_intervention_opts[] = {
    {"objective", "ID", "only those of this objective"},
    {"directorate", "ID", "only those this directorate owns"},
    {"all", NULL, "include retired ones"},
    {0}};
static const struct cli_opt list_measure_opts[] = {
    {"objective", "ID", "only those of this objective"},
    {"committee", "ID", "only those this committee scrutinises"},
    {"directorate", "ID", "only those this directorate owns"},
    {"all", NULL, "include retired ones"},
    {0}};
static const struct cli_opt list_opts[] = {{"all", NULL, "include retired ones"}, {0}};

static const struct {
	const char *word;
	Pmif__FrameworkRecord__Kind kind;
} kinds[] = {
    {"directorate", PMIF__FRAMEWORK_RECORD__KIND__DIRECTORATE},
    {"committee", PMIF__FRAMEWORK_RECORD__KIND__COMMITTEE},
    {"locality", PMIF__FRAMEWORK_RECORD__KIND__LOCALITY},
    {"objective", PMIF__FRAMEWORK_RECORD__KIND__OBJECTIVE},
    {"outcome", PMIF__FRAMEWORK_RECORD__KIND__OUTCOME},
    {"intervention", PMIF__FRAMEWORK_RECORD__KIND__INTERVENTION},
    {"measure", PMIF__FRAMEWORK_RECORD__KIND__MEASURE},
};

/* The kind "admin KIND verb" is about. */
static Pmif__FrameworkRecord__Kind kind_of(const struct cli_global *g)
{
	const char *w = g->cmd->name + strlen("admin ");
	size_t len = strcspn(w, " ");

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].word) == len && strncmp(kinds[i].word, w, len) == 0)
			return kinds[i].kind;
	return PMIF__FRAMEWORK_RECORD__KIND__KIND_UNSET;
}

/* Print what the server answered for one record. */
static int print_record(struct cli_global *g, Pmif__FrameworkRecord *out, const char *what)
{
	const ProtobufCMessage *rec = fw_view_record(out);

	if (g->json) {
		print_json(&out->base);
	} else if (rec) {
		if (what)
			printf("%s %s %s\n", what,
			       fw_view_kind_name((Pmif__FrameworkRecord__Kind)out->record_case),
			       *(char *const *)((const char *)rec +
			                        protobuf_c_message_descriptor_get_field_by_name(
			                            rec->descriptor, "id")
			                            ->offset));
		else
			fw_view_print(rec);
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

/* add and edit: every option given becomes a FieldValue. */
static int run_change(struct cli_global *g, struct cli_args *a, const char *method,
                      const char *what)
{
	Pmif__FrameworkEditRequest in = PMIF__FRAMEWORK_EDIT_REQUEST__INIT;
	Pmif__FieldValue fields[CLI_MAX_OPTS], *ptrs[CLI_MAX_OPTS];
	char names[CLI_MAX_OPTS][40];
	Pmif__FrameworkRecord *out = NULL;
	int rc;

	in.kind = kind_of(g);
	in.id = a->pos[0];
	for (size_t i = 0; i < a->n_opts; i++) {
		const struct cli_opt *o = &a->opts[i];

		if (a->n_values[i] == 0)
			continue;
		pmif__field_value__init(&fields[in.n_fields]);
		snprintf(names[in.n_fields], sizeof(names[0]), "%s%s", o->name,
		         o->multi ? "s" : "");
		fields[in.n_fields].field = names[in.n_fields];
		fields[in.n_fields].values = (char **)a->values[i];
		fields[in.n_fields].n_values = a->n_values[i];
		ptrs[in.n_fields] = &fields[in.n_fields];
		in.n_fields++;
	}
	in.fields = ptrs;
	rc = call_once(g, method, &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (!g->json)
		printf("%s %s %s:\n", what, fw_view_kind_name(in.kind), in.id);
	return print_record(g, out, NULL);
}

static int run_add(struct cli_global *g, struct cli_args *a)
{
	return run_change(g, a, "FrameworkAdd", "added");
}

static int run_edit(struct cli_global *g, struct cli_args *a)
{
	return run_change(g, a, "FrameworkEdit", "saved");
}

static int run_list(struct cli_global *g, struct cli_args *a)
{
	return fw_list_command(g, a, kind_of(g));
}

static int run_ref(struct cli_global *g, struct cli_args *a, const char *method, const char *what)
{
	Pmif__FrameworkRef in = PMIF__FRAMEWORK_REF__INIT;
	Pmif__FrameworkRecord *out = NULL;
	int rc;

	in.kind = kind_of(g);
	in.id = a->pos[0];
	rc = call_once(g, method, &in.base, (ProtobufCMessage **)&out);
	return rc ? rc : print_record(g, out, what);
}

static int run_show(struct cli_global *g, struct cli_args *a)
{
	return run_ref(g, a, "FrameworkGet", NULL);
}

static int run_retire(struct cli_global *g, struct cli_args *a)
{
	return run_ref(g, a, "FrameworkRetire", "retired");
}

static int run_restore(struct cli_global *g, struct cli_args *a)
{
	return run_ref(g, a, "FrameworkRestore", "restored");
}

/* ---------------------------------------------------------- load */

static void print_changes(const char *what, Pmif__FrameworkLoadChange **v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		printf("%-8s %s %s", what, fw_view_kind_name(v[i]->kind), v[i]->id);
		for (size_t k = 0; k < v[i]->n_fields; k++)
			printf("%s%s", k ? ", " : ": ", v[i]->fields[k]);
		printf("\n");
	}
}

static int run_load(struct cli_global *g, struct cli_args *a)
{
	Pmif__FrameworkLoadRequest in = PMIF__FRAMEWORK_LOAD_REQUEST__INIT;
	Pmif__FrameworkLoadReply *out = NULL;
	const char *path = a->pos[0], *base = strrchr(path, '/');
	FILE *f = fopen(path, "rb");
	uint8_t *text;
	size_t len;
	int rc;

	if (f == NULL)
		return cli_error(EXIT_FAIL, "cannot read '%s': %s", path, strerror(errno));
	text = malloc(MAX_FILE + 1);
	len = text ? fread(text, 1, MAX_FILE + 1, f) : 0;
	rc = text == NULL || ferror(f);
	fclose(f);
	if (rc) {
		free(text);
		return cli_error(EXIT_FAIL, "cannot read '%s'", path);
	}
	if (len > MAX_FILE) {
		free(text);
		return cli_error(EXIT_INVALID,
		                 "'%s' is larger than the %zu MiB a framework file may be", path,
		                 MAX_FILE >> 20);
	}
	in.text.data = text;
	in.text.len = len;
	in.file_name = (char *)(base ? base + 1 : path);
	rc = call_once(g, "FrameworkLoad", &in.base, (ProtobufCMessage **)&out);
	free(text);
	if (rc != 0)
		return rc;
	if (g->json) {
		print_json(&out->base);
	} else {
		printf("loaded '%s' from %s: %u records\n", out->name, in.file_name, out->records);
		print_changes("added", out->added, out->n_added);
		print_changes("changed", out->changed, out->n_changed);
		print_changes("retired", out->retired, out->n_retired);
		print_changes("deleted", out->deleted, out->n_deleted);
		for (size_t i = 0; i < out->n_info_changed; i++)
			printf("changed  framework %s\n", out->info_changed[i]);
		if (out->periods_added)
			printf("added    %u periods (locked)\n", out->periods_added);
		if (out->reordered)
			printf("moved    %u records to their place in the file\n", out->reordered);
		if (out->n_added + out->n_changed + out->n_retired + out->n_deleted +
		        out->n_info_changed + out->periods_added + out->reordered ==
		    0)
			printf("no changes\n");
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

#define KIND_COMMANDS(article, word, plural, opts, lopts)                                          \
	{"admin " word " add",                                                                     \
	 "ID",                                                                                     \
	 "add " word " ID with the options' fields",                                               \
	 opts,                                                                                     \
	 1,                                                                                        \
	 1,                                                                                        \
	 run_add},                                                                                 \
	    {"admin " word " list", NULL, "list the " plural, lopts, 0, 0, run_list},              \
	    {"admin " word " show", "ID", "every field of one " word, NULL, 1, 1, run_show},       \
	    {"admin " word " edit",                                                                \
	     "ID",                                                                                 \
	     "change the fields given as options",                                                 \
	     opts,                                                                                 \
	     1,                                                                                    \
	     1,                                                                                    \
	     run_edit},                                                                            \
	    {"admin " word " retire",                                                              \
	     "ID",                                                                                 \
	     "retire " article " " word                                                            \
	     " (kept for history; refused while active records use it)",                           \
	     NULL,                                                                                 \
	     1,                                                                                    \
	     1,                                                                                    \
	     run_retire},                                                                          \
	{                                                                                          \
		"admin " word " restore", "ID", "make a retired " word " active again", NULL, 1,   \
		    1, run_restore                                                                 \
	}

const struct cli_command admin_framework_commands[] = {
    {"admin framework load", "FILE",
     "load a whole framework definition (JSON); the same file twice changes nothing", NULL, 1, 1,
     run_load},
    KIND_COMMANDS("a", "directorate", "directorates", directorate_opts, list_opts),
    KIND_COMMANDS("a", "committee", "committees", committee_opts, list_objective_opts),
    KIND_COMMANDS("a", "locality", "localities", locality_opts, list_opts),
    KIND_COMMANDS("an", "objective", "objectives", objective_opts, list_opts),
    KIND_COMMANDS("an", "outcome", "outcomes", outcome_opts, list_objective_opts),
    KIND_COMMANDS("an", "intervention", "interventions", intervention_opts, list_intervention_opts),
    KIND_COMMANDS("a", "measure", "measures", measure_opts, list_measure_opts),
};
const size_t n_admin_framework_commands =
    sizeof(admin_framework_commands) / sizeof(admin_framework_commands[0]);
