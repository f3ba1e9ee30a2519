/*
 * cmd_plans.c - interventions as people manage them: 'pmif intervention
 * owner' (who manages it), 'pmif intervention milestone add|complete' and
 * 'pmif intervention plan' (the plans with their slippage RAG, judged by
 * the server).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "values.pb-c.h"

static const char *opt(struct cli_args *a, const char *name)
{
	const char *v = cli_get(a, name);
	return v ? v : "";
}

static const char *rag_word(const char *rag)
{
	return strcmp(rag, "green") == 0      ? "Green"
	       : strcmp(rag, "amber") == 0    ? "Amber"
	       : strcmp(rag, "red") == 0      ? "Red"
	       : strcmp(rag, "complete") == 0 ? "Complete"
	                                      : "No milestones";
}

static void show_plan(const Pmif__InterventionPlanView *v)
{
	printf("%s  %s  [%s]\n", v->intervention, v->title, rag_word(v->rag));
	printf("    owner: %s (%s)\n", v->owner[0] ? v->owner : "not named yet", v->directorate);
	printf("    %s\n", v->rag_reason);
	for (size_t i = 0; i < v->n_milestones; i++) {
		const Pmif__MilestoneView *m = v->milestones[i];
		const Pmif__Milestone *s = m->milestone;

		printf("    %2u  %-9s  due %s  %s", s->number, m->state, s->due, s->title);
		if (s->completed[0])
			printf(" (done %s)", s->completed);
		else if (m->days_late > 0)
			printf(" (%d day%s late)", m->days_late, m->days_late == 1 ? "" : "s");
		putchar('\n');
	}
}

static void show_one(const ProtobufCMessage *m)
{
	show_plan((const Pmif__InterventionPlanView *)m);
}

static void show_list(const ProtobufCMessage *m)
{
	const Pmif__InterventionPlanList *l = (const void *)m;

	if (l->period[0])
		printf("slippage as of %s (the end of %s, or today if sooner)\n", l->as_of,
		       l->period);
	else
		printf("slippage as of %s (today)\n", l->as_of);
	for (size_t i = 0; i < l->n_plans; i++)
		show_plan(l->plans[i]);
	if (l->n_plans == 0)
		printf("no interventions\n");
	printf("rule: %s\n", l->rag_rule);
}

static int call_show(struct cli_global *g, const char *method, const ProtobufCMessage *in,
                     void (*show)(const ProtobufCMessage *))
{
	ProtobufCMessage *out = NULL;
	int rc = call_once(g, method, in, &out);

	if (rc != 0)
		return rc;
	if (g->json)
		print_json(out);
	else
		show(out);
	protobuf_c_message_free_unpacked(out, NULL);
	return 0;
}

static int run_owner(struct cli_global *g, struct cli_args *a)
{
	Pmif__InterventionOwnerRequest in = PMIF__INTERVENTION_OWNER_REQUEST__INIT;

	in.intervention = a->pos[0];
	in.owner = a->pos[1];
	return call_show(g, "InterventionOwnerSet", &in.base, show_one);
}

static int run_milestone_add(struct cli_global *g, struct cli_args *a)
{
	Pmif__MilestoneAddRequest in = PMIF__MILESTONE_ADD_REQUEST__INIT;

	in.intervention = a->pos[0];
	in.title = (char *)opt(a, "title");
	in.due = (char *)opt(a, "due");
	if (!in.title[0] || !in.due[0])
		return cli_error(EXIT_USAGE, "give the milestone's --title and --due YYYY-MM-DD");
	return call_show(g, "MilestoneAdd", &in.base, show_one);
}

static int run_milestone_complete(struct cli_global *g, struct cli_args *a)
{
	Pmif__MilestoneCompleteRequest in = PMIF__MILESTONE_COMPLETE_REQUEST__INIT;
	char *end;
	unsigned long n = strtoul(a->pos[1], &end, 10);

	if (a->pos[1][0] < '1' || a->pos[1][0] > '9' || *end != '\0' || n > 1000)
		return cli_error(
		    EXIT_INVALID,
		    "'%s' is not a milestone number: 'pmif intervention plan %s' lists "
		    "them",
		    a->pos[1], a->pos[0]);
	in.intervention = a->pos[0];
	in.number = (uint32_t)n;
	in.date = (char *)opt(a, "date");
	return call_show(g, "MilestoneComplete", &in.base, show_one);
}

static int run_plan(struct cli_global *g, struct cli_args *a)
{
	Pmif__InterventionPlanListRequest in = PMIF__INTERVENTION_PLAN_LIST_REQUEST__INIT;

	in.intervention = a->n_pos ? a->pos[0] : "";
	in.objective = (char *)opt(a, "objective");
	in.directorate = (char *)opt(a, "directorate");
	in.period = (char *)opt(a, "period");
	return call_show(g, "InterventionPlans", &in.base, show_list);
}

static const struct cli_opt add_opts[] = {
    {"title", "TEXT", "what will be done"}, {"due", "YYYY-MM-DD", "when it is due"}, {0}};
static const struct cli_opt complete_opts[] = {
    {"date", "YYYY-MM-DD", "when it was done (default today)"}, {0}};
static const struct cli_opt plan_opts[] = {
    {"objective", "ID", "only this objective's interventions"},
    {"directorate", "ID", "only this directorate's interventions"},
    {"period", "P", "judge slippage as of the end of this period (default today)"},
    {0}};

const struct cli_command plan_commands[] = {
    {"intervention owner", "ID NAME", "name the person or role who manages an intervention", NULL,
     2, 2, run_owner},
    {"intervention milestone add", "ID", "add a milestone with its due date", add_opts, 1, 1,
     run_milestone_add},
    {"intervention milestone complete", "ID NUMBER", "mark a milestone done", complete_opts, 2, 2,
     run_milestone_complete},
    {"intervention plan", "[ID]", "interventions' owners and milestones with their slippage RAG",
     plan_opts, 0, 1, run_plan},
};
const size_t n_plan_commands = sizeof(plan_commands) / sizeof(plan_commands[0]);
