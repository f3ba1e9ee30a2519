/*
 * cmd_actions.c - 'pmif action': committee actions.  An administrator
 * records what a committee resolved or asked for at a meeting ('action
 * add') and corrects it ('action edit'); the owning directorate reports
 * progress and closes it ('action update'); anyone lists them ('action
 * list', with overdue ones marked).  The server judges overdue and checks
 * every rule; this only builds the requests and lays out the answers.
 */
#include <stdio.h>
#include <string.h>

#include "actions.pb-c.h"
#include "commands.h"

static char *opt(struct cli_args *a, const char *name)
{
	const char *v = cli_get(a, name);
	return (char *)(v ? v : "");
}

/* One action: a heading line, the text, then the note when there is one. */
static void show_view(const Pmif__ActionView *v)
{
	const Pmif__ActionRecord *a = v->action;

	printf("%-6s %-14s met %s  owner %-5s %-11s %s\n", a->id, a->committee, a->meeting,
	       a->directorate, v->status, v->due_label);
	printf("       %s\n", a->text);
	if (a->note[0])
		printf("       note: %s\n", a->note);
}

static int call_view(struct cli_global *g, const char *method, const ProtobufCMessage *in)
{
	ProtobufCMessage *out = NULL;
	int rc = call_once(g, method, in, &out);

	if (rc != 0)
		return rc;
	if (g->json)
		print_json(out);
	else
		show_view((const Pmif__ActionView *)out);
	protobuf_c_message_free_unpacked(out, NULL);
	return 0;
}

static int run_action_add(struct cli_global *g, struct cli_args *a)
{
	Pmif__ActionAddRequest in = PMIF__ACTION_ADD_REQUEST__INIT;

	in.committee = opt(a, "committee");
	in.meeting = opt(a, "meeting");
	in.text = opt(a, "text");
	in.directorate = opt(a, "directorate");
	in.due = opt(a, "due");
	in.note = opt(a, "note");
	if (!in.committee[0] || !in.meeting[0] || !in.text[0] || !in.directorate[0] || !in.due[0])
		return cli_error(EXIT_USAGE,
		                 "an action needs --committee, --meeting, --text, "
		                 "--directorate and --due: see 'pmif action add --help'");
	return call_view(g, "ActionAdd", &in.base);
}

static int run_action_update(struct cli_global *g, struct cli_args *a)
{
	Pmif__ActionUpdateRequest in = PMIF__ACTION_UPDATE_REQUEST__INIT;

	in.id = a->pos[0];
	in.status = opt(a, "status");
	in.note = opt(a, "note");
	if (!in.status[0] && !in.note[0])
		return cli_error(EXIT_USAGE,
		                 "give --status open|in-progress|done|dropped and/or --note TEXT");
	return call_view(g, "ActionUpdate", &in.base);
}

static int run_action_edit(struct cli_global *g, struct cli_args *a)
{
	Pmif__ActionEditRequest in = PMIF__ACTION_EDIT_REQUEST__INIT;

	in.id = a->pos[0];
	in.committee = opt(a, "committee");
	in.meeting = opt(a, "meeting");
	in.text = opt(a, "text");
	in.directorate = opt(a, "directorate");
	in.due = opt(a, "due");
	return call_view(g, "ActionEdit", &in.base);
}

static int run_action_list(struct cli_global *g, struct cli_args *a)
{
	Pmif__ActionListRequest in = PMIF__ACTION_LIST_REQUEST__INIT;
	Pmif__ActionListReply *out = NULL;
	size_t overdue = 0;
	int rc;

	in.committee = opt(a, "committee");
	in.directorate = opt(a, "directorate");
	in.status = opt(a, "status");
	in.overdue = cli_flag(a, "overdue");
	rc = call_once(g, "ActionList", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json) {
		print_json(&out->base);
	} else {
		for (size_t i = 0; i < out->n_actions; i++) {
			show_view(out->actions[i]);
			overdue += out->actions[i]->overdue;
		}
		if (out->n_actions == 0)
			printf("no actions%s\n",
			       in.committee[0] || in.directorate[0] || in.status[0] || in.overdue
			           ? " match"
			           : " recorded");
		else
			printf("%zu action%s, %zu overdue on %s\n", out->n_actions,
			       out->n_actions == 1 ? "" : "s", overdue, out->as_of);
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static const struct cli_opt add_opts[] = {
    {"committee", "ID", "the committee that resolved or asked for it"},
    {"meeting", "YYYY-MM-DD", "the date of that meeting"},
    {"text", "TEXT", "what was resolved or asked for, as minuted"},
    {"directorate", "ID", "the directorate that owns it and reports back"},
    {"due", "YYYY-MM-DD", "when it is due"},
    {"note", "TEXT", "a first note (optional)"},
    {0}};
static const struct cli_opt update_opts[] = {
    {"status", "STATUS", "open, in-progress, done or dropped (done and dropped need --note)"},
    {"note", "TEXT", "progress, what was done, or why it was dropped"},
    {0}};
static const struct cli_opt edit_opts[] = {
    {"committee", "ID", "another committee"},  {"meeting", "YYYY-MM-DD", "another meeting date"},
    {"text", "TEXT", "corrected wording"},     {"directorate", "ID", "another owner"},
    {"due", "YYYY-MM-DD", "another due date"}, {0}};
static const struct cli_opt list_opts[] = {
    {"committee", "ID", "only this committee's actions"},
    {"directorate", "ID", "only this directorate's actions"},
    {"status", "STATUS", "only open, in-progress, done or dropped ones"},
    {"overdue", NULL, "only those past their due date and not closed"},
    {0}};

const struct cli_command action_commands[] = {
    {"action add", NULL, "record a committee's resolution or request (admin)", add_opts, 0, 0,
     run_action_add},
    {"action update", "ID", "report progress on an action, or close it (its directorate)",
     update_opts, 1, 1, run_action_update},
    {"action edit", "ID", "correct what was recorded for an action (admin)", edit_opts, 1, 1,
     run_action_edit},
    {"action list", NULL, "committee actions, overdue ones marked", list_opts, 0, 0,
     run_action_list},
};
const size_t n_action_commands = sizeof(action_commands) / sizeof(action_commands[0]);
