/*
 * cmd_periods.c - 'pmif admin period open|lock|unlock|list' and
 * 'pmif period list' (the same list, for every role).
 *
 * A lock is refused (exit 7) while values of the period still await
 * sign-off, unless --force; the server counts them and words the sentence.
 *
 * Period names go to the server as typed; it parses them with
 * common/period.h and its message is what the user sees.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "period.h"

static const char *state_text(Pmif__Period__State s)
{
	switch (s) {
	case PMIF__PERIOD__STATE__OPEN: return "open";
	case PMIF__PERIOD__STATE__LOCKED: return "locked";
	default: return "-";
	}
}

static int print_period(struct cli_global *g, Pmif__Period *p)
{
	if (g->json)
		print_json(&p->base);
	else if (p->due[0])
		printf("%s is %s (values due by %s)\n", p->id, state_text(p->state), p->due);
	else
		printf("%s is %s\n", p->id, state_text(p->state));
	protobuf_c_message_free_unpacked(&p->base, NULL);
	return 0;
}

static int run_open(struct cli_global *g, struct cli_args *a)
{
	Pmif__PeriodOpenRequest in = PMIF__PERIOD_OPEN_REQUEST__INIT;
	Pmif__Period *out = NULL;
	const char *due = cli_get(a, "due");
	int rc;

	in.period = a->pos[0];
	in.due = (char *)(due ? due : "");
	rc = call_once(g, "PeriodOpen", &in.base, (ProtobufCMessage **)&out);
	return rc ? rc : print_period(g, out);
}

static int run_named(struct cli_global *g, struct cli_args *a, const char *method, bool force)
{
	Pmif__PeriodName in = PMIF__PERIOD_NAME__INIT;
	Pmif__Period *out = NULL;
	int rc;

	in.period = a->pos[0];
	in.force = force;
	rc = call_once(g, method, &in.base, (ProtobufCMessage **)&out);
	return rc ? rc : print_period(g, out);
}

static int run_lock(struct cli_global *g, struct cli_args *a)
{
	return run_named(g, a, "PeriodLock", cli_flag(a, "force"));
}

static int run_unlock(struct cli_global *g, struct cli_args *a)
{
	return run_named(g, a, "PeriodUnlock", false);
}

static int run_list(struct cli_global *g, struct cli_args *a)
{
	Pmif__PeriodListRequest in = PMIF__PERIOD_LIST_REQUEST__INIT;
	Pmif__PeriodListReply *out = NULL;
	const char *year = cli_get(a, "year"), *state = cli_get(a, "state");
	char b1[64], b2[64];
	int rc;

	in.year = (char *)(year ? year : "");
	in.state = (char *)(state ? state : "");
	rc = call_once(g, "PeriodList", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json) {
		print_json(&out->base);
	} else {
		printf("%-11s %-7s %-10s %-24s %s\n", "PERIOD", "STATE", "DUE", "DATES", "CHANGED");
		for (size_t i = 0; i < out->n_periods; i++) {
			const Pmif__Period *p = out->periods[i];
			struct pmif_period pp;
			int sy, sm, sd, ey, em, ed;

			/* display only: the server has already checked the name */
			if (pmif_period_parse(p->id, &pp, NULL, 0) != 0)
				memset(&pp, 0, sizeof(pp));
			pmif_period_dates(&pp, &sy, &sm, &sd, &ey, &em, &ed);
			snprintf(b1, sizeof(b1), "%04d-%02d-%02d to %04d-%02d-%02d", sy, sm, sd, ey,
			         em, ed);
			printf("%-11s %-7s %-10s %-24s %s%s%s\n", p->id, state_text(p->state),
			       p->due[0] ? p->due : "-", b1,
			       fmt_time(p->changed_unix, b2, sizeof(b2)),
			       p->changed_by[0] ? " by " : "", p->changed_by);
		}
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return 0;
}

static const struct cli_opt open_opts[] = {
    {"due", "YYYY-MM-DD", "the deadline for entering values"}, {0}};
static const struct cli_opt lock_opts[] = {
    {"force", NULL,
     "lock although values still await sign-off (without it the lock is refused, "
     "naming how many and whose; the audit entry says it was forced)"},
    {0}};
static const struct cli_opt list_opts[] = {
    {"year", "YYYY-YY", "only this financial year's periods (e.g. 2021-22)"},
    {"state", "STATE", "only open or only locked periods"},
    {0}};

const struct cli_command period_commands[] = {
    {"admin period open", "PERIOD", "open a period for entry (e.g. 2021-22-Q1)", open_opts, 1, 1,
     run_open},
    {"admin period lock", "PERIOD",
     "lock a period: no more entry or changes; refused while values await sign-off", lock_opts, 1,
     1, run_lock},
    {"admin period unlock", "PERIOD", "reopen a locked period for corrections", NULL, 1, 1,
     run_unlock},
    {"admin period list", NULL, "list periods with their state and due date", list_opts, 0, 0,
     run_list},
    {"period list", NULL, "list periods with their state and due date", list_opts, 0, 0, run_list},
};
const size_t n_period_commands = sizeof(period_commands) / sizeof(period_commands[0]);
