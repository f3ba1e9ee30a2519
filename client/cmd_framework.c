/*
 * cmd_framework.c - reading the framework, for every role: 'framework
 * show' (the tree of objectives, their outcomes, interventions and
 * measures), 'measure list' and 'measure show'.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "framework_view.h"

#define MEASURE PMIF__FRAMEWORK_RECORD__KIND__MEASURE

static const char *retired(protobuf_c_boolean r)
{
	return r ? " (retired)" : "";
}

static void print_tree(const Pmif__ObjectiveTree *t)
{
	const Pmif__Objective *o = t->objective;

	printf("\n%s  %s  [%s]%s\n", o->id, o->title,
	       o->kind == PMIF__OBJECTIVE__KIND__SCORECARD ? "Balanced Scorecard"
	                                                   : "policy objective",
	       retired(o->retired));
	if (t->n_committees) {
		printf("  scrutinised by: ");
		for (size_t i = 0; i < t->n_committees; i++)
			printf("%s%s", i ? ", " : "", t->committees[i]);
		printf("\n");
	}
	if (t->n_outcomes)
		printf("  outcomes:\n");
	for (size_t i = 0; i < t->n_outcomes; i++)
		printf("    %-9s %s%s\n", t->outcomes[i]->id, t->outcomes[i]->text,
		       retired(t->outcomes[i]->retired));
	if (t->n_interventions)
		printf("  interventions:\n");
	for (size_t i = 0; i < t->n_interventions; i++) {
		const Pmif__Intervention *in = t->interventions[i];
		printf("    %-9s %s (%s)%s\n", in->id, in->title, in->directorate,
		       retired(in->retired));
		for (size_t k = 0; k < in->n_items; k++)
			printf("              - %s\n", in->items[k]);
	}
	if (t->n_measures)
		printf("  measures:\n");
	for (size_t i = 0; i < t->n_measures; i++) {
		const Pmif__Measure *m = t->measures[i];
		printf("    %-20s %s (%s)%s\n", m->id, m->title, m->directorate,
		       retired(m->retired));
	}
}

static int run_show(struct cli_global *g, struct cli_args *a)
{
	Pmif__FrameworkShowRequest in = PMIF__FRAMEWORK_SHOW_REQUEST__INIT;
	Pmif__FrameworkTree *out = NULL;
	const char *objective = cli_get(a, "objective");
	int rc;

	in.objective = (char *)(objective ? objective : "");
	in.include_retired = cli_flag(a, "all");
	rc = call_once(g, "FrameworkShow", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json) {
		print_json(&out->base);
	} else {
		if (out->info && out->info->name[0])
			printf("%s\n", out->info->name);
		if (out->n_objectives == 0)
			printf("no objectives yet: an admin loads them with 'pmif admin framework "
			       "load "
			       "FILE'\n");
		for (size_t i = 0; i < out->n_objectives; i++)
			print_tree(out->objectives[i]);
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

/* 'measure list' and every 'admin KIND list'. */
int fw_list_command(struct cli_global *g, struct cli_args *a, Pmif__FrameworkRecord__Kind kind)
{
	Pmif__FrameworkListRequest in = PMIF__FRAMEWORK_LIST_REQUEST__INIT;
	Pmif__FrameworkListReply *out = NULL;
	const char *v;
	int rc;

	in.kind = kind;
	if ((v = cli_get(a, "objective")) != NULL)
		in.objective = (char *)v;
	if ((v = cli_get(a, "committee")) != NULL)
		in.committee = (char *)v;
	if ((v = cli_get(a, "directorate")) != NULL)
		in.directorate = (char *)v;
	in.include_retired = cli_flag(a, "all");
	rc = call_once(g, "FrameworkList", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json)
		print_json(&out->base);
	else if (out->n_records == 0)
		printf("no %ss match\n", fw_view_kind_name(kind));
	else
		fw_view_table(kind, out);
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static int run_measure_list(struct cli_global *g, struct cli_args *a)
{
	return fw_list_command(g, a, MEASURE);
}

static int run_measure_show(struct cli_global *g, struct cli_args *a)
{
	Pmif__FrameworkRef in = PMIF__FRAMEWORK_REF__INIT;
	Pmif__FrameworkRecord *out = NULL;
	int rc;

	in.kind = MEASURE;
	in.id = a->pos[0];
	rc = call_once(g, "FrameworkGet", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json)
		print_json(&out->base);
	else if (fw_view_record(out))
		fw_view_print(fw_view_record(out));
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static const struct cli_opt show_opts[] = {
    {"objective", "ID", "only this objective (e.g. PO1 or BS-EMP)"},
    {"all", NULL, "include retired records"},
    {0}};
static const struct cli_opt list_opts[] = {
    {"objective", "ID", "only the measures of this objective"},
    {"committee", "ID", "only the measures this committee scrutinises"},
    {"directorate", "ID", "only the measures this directorate owns"},
    {"all", NULL, "include retired measures"},
    {0}};

const struct cli_command framework_commands[] = {
    {"framework show", NULL,
     "the framework: objectives with their outcomes, interventions and "
     "measures",
     show_opts, 0, 0, run_show},
    {"measure list", NULL, "list measures (filters combine)", list_opts, 0, 0, run_measure_list},
    {"measure show", "ID", "every attribute of one measure", NULL, 1, 1, run_measure_show},
};
const size_t n_framework_commands = sizeof(framework_commands) / sizeof(framework_commands[0]);
