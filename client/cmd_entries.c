/*
 * cmd_entries.c - the rest of a quarterly update: 'pmif commentary',
 * 'pmif intervention', 'pmif case-study', 'pmif risk', 'pmif resource';
 * and the audit trail, 'pmif admin audit'.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "commands.h"
#include "render.h"
#include "values.pb-c.h"

/* The server judges a score (1 to 5); here it need only be a number. */
#define SCORE_ARG_MAX 1000
/* The most audit entries the server sends in one page (rpc_audit.c). */
#define AUDIT_LIMIT_MAX 5000

static const char *opt(struct cli_args *a, const char *name)
{
	const char *v = cli_get(a, name);
	return v ? v : "";
}

/* --text T or --file F (one of them); *buf is malloc'd for a file. */
static int text_arg(struct cli_args *a, const char *text_opt, char **text, char **buf)
{
	const char *t = cli_get(a, text_opt), *file = cli_get(a, "file");
	FILE *f;
	size_t n;

	*buf = NULL;
	if ((t != NULL) == (file != NULL))
		return cli_error(EXIT_USAGE, "give either --%s or --file", text_opt);
	if (t) {
		*text = (char *)t;
		return 0;
	}
	f = fopen(file, "r");
	if (f == NULL)
		return cli_error(EXIT_INVALID, "cannot read '%s': %s", file, strerror(errno));
	*buf = calloc(1, 1 << 20);
	n = *buf ? fread(*buf, 1, (1 << 20) - 1, f) : 0;
	fclose(f);
	if (*buf == NULL)
		return cli_error(EXIT_FAIL, "out of memory");
	while (n && ((*buf)[n - 1] == '\n' || (*buf)[n - 1] == '\r'))
		(*buf)[--n] = '\0';
	*text = *buf;
	return 0;
}

/* --NAME as a whole number from 0 to max; absent is 0. */
static int uint_arg(struct cli_args *a, const char *name, unsigned long max, uint32_t *out)
{
	const char *s = cli_get(a, name);
	char *end;
	unsigned long v;

	if (s == NULL) {
		*out = 0;
		return 0;
	}
	v = strtoul(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || v > max)
		return cli_error(EXIT_INVALID, "--%s: '%s' is not a whole number from 0 to %lu",
		                 name, s, max);
	*out = (uint32_t)v;
	return 0;
}

static int double_arg(struct cli_args *a, const char *name, double *out)
{
	const char *s = cli_get(a, name);
	char *end;

	*out = strtod(s ? s : "", &end);
	if (s == NULL || *s == '\0' || *end != '\0')
		return cli_error(EXIT_INVALID, "--%s: '%s' is not an amount", name, s ? s : "");
	return 0;
}

/* Call, print JSON or run @p show, free. */
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

static void show_commentary(const ProtobufCMessage *m)
{
	const Pmif__CommentaryRecord *c = (const void *)m;
	char t[64];

	printf("%s %s (revision %u, %s, %s)\n%s\n", c->objective, c->period, c->revision, c->author,
	       fmt_time(c->updated_unix, t, sizeof(t)), c->text);
}

static int run_commentary_set(struct cli_global *g, struct cli_args *a)
{
	Pmif__CommentarySetRequest in = PMIF__COMMENTARY_SET_REQUEST__INIT;
	char *buf;
	int rc;

	in.objective = a->pos[0];
	in.period = a->pos[1];
	if ((rc = text_arg(a, "text", &in.text, &buf)) != 0)
		return rc;
	rc = call_show(g, "CommentarySet", &in.base, show_commentary);
	free(buf);
	return rc;
}

static int run_commentary_get(struct cli_global *g, struct cli_args *a)
{
	Pmif__CommentaryGetRequest in = PMIF__COMMENTARY_GET_REQUEST__INIT;

	in.objective = a->pos[0];
	in.period = a->pos[1];
	return call_show(g, "CommentaryGet", &in.base, show_commentary);
}

static void show_update(const ProtobufCMessage *m)
{
	const Pmif__InterventionUpdateRecord *u = (const void *)m;

	printf("%s %s: %s — %s (%s)\n", u->intervention, u->period, u->status, u->text, u->author);
}

static int run_intervention_update(struct cli_global *g, struct cli_args *a)
{
	Pmif__InterventionUpdateRequest in = PMIF__INTERVENTION_UPDATE_REQUEST__INIT;

	in.intervention = a->pos[0];
	in.period = a->pos[1];
	in.status = (char *)opt(a, "status");
	in.text = (char *)opt(a, "text");
	if (!in.status[0] || !in.text[0])
		return cli_error(EXIT_USAGE,
		                 "give --status on-track|at-risk|off-track|complete and "
		                 "--text");
	return call_show(g, "InterventionUpdate", &in.base, show_update);
}

static void show_updates(const ProtobufCMessage *m)
{
	const Pmif__InterventionUpdateList *l = (const void *)m;

	for (size_t i = 0; i < l->n_updates; i++)
		show_update(&l->updates[i]->base);
	if (l->n_updates == 0)
		printf("no updates\n");
}

static int run_intervention_list(struct cli_global *g, struct cli_args *a)
{
	Pmif__InterventionUpdateListRequest in = PMIF__INTERVENTION_UPDATE_LIST_REQUEST__INIT;

	in.intervention = (char *)opt(a, "intervention");
	in.objective = (char *)opt(a, "objective");
	in.period = (char *)opt(a, "period");
	return call_show(g, "InterventionUpdates", &in.base, show_updates);
}

static void show_case_study(const ProtobufCMessage *m)
{
	const Pmif__CaseStudyRecord *c = (const void *)m;

	printf("%s %s (%s, %s%s%s)\n%s\n", c->id, c->title, c->objective, c->period,
	       c->locality[0] ? ", " : "", c->locality, c->story);
}

static int run_case_study_add(struct cli_global *g, struct cli_args *a)
{
	Pmif__CaseStudyRecord in = PMIF__CASE_STUDY_RECORD__INIT;
	size_t n;
	char *buf;
	int rc;

	in.id = a->pos[0];
	in.objective = (char *)opt(a, "objective");
	in.period = (char *)opt(a, "period");
	in.title = (char *)opt(a, "title");
	in.locality = (char *)opt(a, "locality");
	in.measures = (char **)cli_all(a, "measure", &n);
	in.n_measures = n;
	if ((rc = text_arg(a, "story", &in.story, &buf)) != 0)
		return rc;
	rc = call_show(g, "CaseStudyAdd", &in.base, show_case_study);
	free(buf);
	return rc;
}

static void show_case_studies(const ProtobufCMessage *m)
{
	const Pmif__CaseStudyListReply *l = (const void *)m;

	for (size_t i = 0; i < l->n_case_studies; i++)
		printf("%-8s %-10s %-14s %s\n", l->case_studies[i]->id,
		       l->case_studies[i]->objective, l->case_studies[i]->period,
		       l->case_studies[i]->title);
	if (l->n_case_studies == 0)
		printf("no case studies\n");
}

static int run_case_study_list(struct cli_global *g, struct cli_args *a)
{
	Pmif__CaseStudyListRequest in = PMIF__CASE_STUDY_LIST_REQUEST__INIT;

	in.objective = (char *)opt(a, "objective");
	in.period = (char *)opt(a, "period");
	return call_show(g, "CaseStudyList", &in.base, show_case_studies);
}

static void show_risk(const ProtobufCMessage *m)
{
	const Pmif__RiskView *v = (const void *)m;

	printf("%-8s %-9s %-6s", v->risk->id, v->risk->objective, v->risk->directorate);
	if (v->assessed)
		printf(" %2u (L%u x I%u) %-10s", v->score, v->likelihood, v->impact, v->movement);
	else
		printf(" %-24s", v->movement[0] ? v->movement : "");
	printf(" %s\n", v->risk->title);
	if (v->risk->owner[0] || v->target_score)
		printf("%8s owner: %s; target %s\n", "",
		       v->risk->owner[0] ? v->risk->owner : "not named",
		       v->target_score ? v->against_target : "not set");
}

static void show_risks(const ProtobufCMessage *m)
{
	const Pmif__RiskListReply *l = (const void *)m;

	for (size_t i = 0; i < l->n_risks; i++)
		show_risk(&l->risks[i]->base);
	if (l->n_risks == 0)
		printf("no risks\n");
}

static int risk_assessment(struct cli_global *g, struct cli_args *a, const char *id, bool update)
{
	Pmif__RiskUpdateRequest up = PMIF__RISK_UPDATE_REQUEST__INIT;
	int rc;

	up.id = (char *)id;
	up.period = (char *)opt(a, "period");
	up.title = (char *)opt(a, "title");
	up.mitigation = (char *)opt(a, "mitigation");
	up.owner = (char *)(update ? opt(a, "owner") : "");
	if ((rc = uint_arg(a, "likelihood", SCORE_ARG_MAX, &up.likelihood)) != 0 ||
	    (rc = uint_arg(a, "impact", SCORE_ARG_MAX, &up.impact)) != 0 ||
	    (update &&
	     (rc = uint_arg(a, "target-likelihood", SCORE_ARG_MAX, &up.target_likelihood)) != 0) ||
	    (update && (rc = uint_arg(a, "target-impact", SCORE_ARG_MAX, &up.target_impact)) != 0))
		return rc;
	if (up.period[0] && (!up.likelihood || !up.impact))
		return cli_error(EXIT_USAGE,
		                 "a reassessment needs --likelihood and --impact (1-5)");
	return call_show(g, "RiskUpdate", &up.base, show_risk);
}

static int run_risk_add(struct cli_global *g, struct cli_args *a)
{
	Pmif__RiskAddRequest in = PMIF__RISK_ADD_REQUEST__INIT;
	Pmif__RiskRecord r = PMIF__RISK_RECORD__INIT;
	int rc;

	r.id = a->pos[0];
	r.objective = (char *)opt(a, "objective");
	r.directorate = (char *)opt(a, "directorate");
	r.title = (char *)opt(a, "title");
	r.mitigation = (char *)opt(a, "mitigation");
	r.owner = (char *)opt(a, "owner");
	if ((rc = uint_arg(a, "target-likelihood", SCORE_ARG_MAX, &r.target_likelihood)) != 0 ||
	    (rc = uint_arg(a, "target-impact", SCORE_ARG_MAX, &r.target_impact)) != 0)
		return rc;
	in.risk = &r;
	rc = call_show(g, "RiskAdd", &in.base, show_risk);
	if (rc == 0 && cli_get(a, "period"))
		rc = risk_assessment(g, a, r.id, false);
	return rc;
}

static int run_risk_update(struct cli_global *g, struct cli_args *a)
{
	return risk_assessment(g, a, a->pos[0], true);
}

static int run_risk_list(struct cli_global *g, struct cli_args *a)
{
	Pmif__RiskListRequest in = PMIF__RISK_LIST_REQUEST__INIT;

	in.objective = (char *)opt(a, "objective");
	in.directorate = (char *)opt(a, "directorate");
	in.period = (char *)opt(a, "period");
	return call_show(g, "RiskList", &in.base, show_risks);
}

static void show_resource(const ProtobufCMessage *m)
{
	const Pmif__ResourceRecord *r = (const void *)m;

	char budget[RENDER_NUM_LEN], spend[RENDER_NUM_LEN], diff[RENDER_NUM_LEN];
	double over = r->spend - r->budget;

	render_value(budget, r->budget, "gbp", 0);
	render_value(spend, r->spend, "gbp", 0);
	render_value(diff, fabs(over), "gbp", 0);
	printf("%-12s %-8s budget %s spend %s (%s%s)\n", r->subject, r->year, budget, spend,
	       over < 0 ? "-" : "+", diff);
}

static void show_resources(const ProtobufCMessage *m)
{
	const Pmif__ResourceListReply *l = (const void *)m;

	for (size_t i = 0; i < l->n_resources; i++)
		show_resource(&l->resources[i]->base);
	if (l->n_resources == 0)
		printf("no resources\n");
}

static int run_resource_set(struct cli_global *g, struct cli_args *a)
{
	Pmif__ResourceSetRequest in = PMIF__RESOURCE_SET_REQUEST__INIT;
	Pmif__ResourceRecord r = PMIF__RESOURCE_RECORD__INIT;
	int rc;

	r.subject = a->pos[0];
	r.year = a->pos[1];
	if ((rc = double_arg(a, "budget", &r.budget)) != 0 ||
	    (rc = double_arg(a, "spend", &r.spend)) != 0)
		return rc;
	in.resource = &r;
	return call_show(g, "ResourceSet", &in.base, show_resource);
}

static int run_resource_list(struct cli_global *g, struct cli_args *a)
{
	Pmif__ResourceListRequest in = PMIF__RESOURCE_LIST_REQUEST__INIT;

	in.subject = (char *)opt(a, "subject");
	in.year = (char *)opt(a, "year");
	return call_show(g, "ResourceList", &in.base, show_resources);
}

static void show_audit(const ProtobufCMessage *m)
{
	const Pmif__AuditListReply *l = (const void *)m;

	for (size_t i = 0; i < l->n_entries; i++) {
		const Pmif__AuditView *e = l->entries[i];
		time_t t = (time_t)(e->time_unix_us / 1000000);
		struct tm tm;
		char when[32];

		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
		printf("%6llu %s %-12s %-11s %-18s %-28s %s%s%s\n", (unsigned long long)e->seq,
		       when, e->user[0] ? e->user : "-", e->role[0] ? e->role : "-", e->method,
		       e->key, strcmp(e->code, "OK") ? e->code : "",
		       strcmp(e->code, "OK") && e->detail[0] ? " " : "", e->detail);
	}
	if (l->more)
		printf("(more: page on with --after %llu)\n",
		       (unsigned long long)l->entries[l->n_entries - 1]->seq);
}

static int run_audit(struct cli_global *g, struct cli_args *a)
{
	Pmif__AuditListRequest in = PMIF__AUDIT_LIST_REQUEST__INIT;
	const char *since = cli_get(a, "since"), *after = cli_get(a, "after");
	int rc;

	if (since) {
		struct tm tm = {0};
		char *end = strptime(since, "%Y-%m-%d", &tm);
		if (end && *end == 'T')
			end = strptime(end + 1, "%H:%M:%S", &tm);
		if (end == NULL || (*end != '\0' && strcmp(end, "Z") != 0))
			return cli_error(EXIT_INVALID,
			                 "--since: '%s' is not a time: use YYYY-MM-DD or "
			                 "YYYY-MM-DDTHH:MM:SSZ (UTC)",
			                 since);
		in.since_unix = (uint64_t)timegm(&tm);
	}
	in.user = (char *)opt(a, "user");
	if ((rc = uint_arg(a, "limit", AUDIT_LIMIT_MAX, &in.limit)) != 0)
		return rc;
	if (after) {
		char *end;
		in.after_seq = strtoull(after, &end, 10);
		if (*after == '\0' || *after == '-' || *end != '\0')
			return cli_error(EXIT_INVALID,
			                 "--after: '%s' is not an entry number: use the number "
			                 "the previous page's last line gave",
			                 after);
	}
	return call_show(g, "AuditList", &in.base, show_audit);
}

static int run_audit_verify(struct cli_global *g, struct cli_args *a)
{
	Pmif__Empty in = PMIF__EMPTY__INIT;
	Pmif__AuditVerifyReply *out = NULL;
	int rc;

	(void)a;
	rc = call_once(g, "AuditVerify", &in.base, (ProtobufCMessage **)&out);
	if (rc != 0)
		return rc;
	if (g->json)
		print_json(&out->base);
	else if (out->intact)
		printf("audit chain intact: %llu entries\n", (unsigned long long)out->entries);
	rc = out->intact ? 0 : EXIT_FAIL;
	if (!out->intact)
		fprintf(stderr, "pmif: audit chain broken at entry %llu: %s\n",
		        (unsigned long long)out->first_bad, out->why);
	protobuf_c_message_free_unpacked(&out->base, NULL);
	return rc;
}

static const struct cli_opt commentary_opts[] = {
    {"text", "TEXT", "the commentary: what the numbers mean"},
    {"file", "FILE", "read the commentary from a file"},
    {0}};
static const struct cli_opt update_opts[] = {
    {"status", "STATUS", "on-track, at-risk, off-track or complete"},
    {"text", "TEXT", "progress this period"},
    {0}};
static const struct cli_opt update_list_opts[] = {
    {"intervention", "ID", "only this intervention"},
    {"objective", "ID", "only interventions of this objective"},
    {"period", "P", "only this period"},
    {0}};
static const struct cli_opt case_opts[] = {{"objective", "ID", "the objective it illustrates"},
                                           {"period", "P", "the period it belongs to"},
                                           {"title", "TEXT", "a headline"},
                                           {"story", "TEXT", "the story"},
                                           {"file", "FILE", "read the story from a file"},
                                           {"locality", "ID", "where it happened"},
                                           {"measure", "ID", "a measure it relates to", true},
                                           {0}};
static const struct cli_opt filter_opts[] = {
    {"objective", "ID", "only this objective"}, {"period", "P", "only this period"}, {0}};
static const struct cli_opt risk_add_opts[] = {
    {"objective", "ID", "the objective at risk"},
    {"directorate", "ID", "the owner"},
    {"title", "TEXT", "the risk"},
    {"mitigation", "TEXT", "what is being done about it"},
    {"period", "P", "first assessment for this period (with --likelihood, --impact)"},
    {"likelihood", "1-5", "how likely"},
    {"impact", "1-5", "how bad"},
    {"owner", "NAME", "the person or role who manages the risk"},
    {"target-likelihood", "1-5", "the likelihood it is managed down to"},
    {"target-impact", "1-5", "the impact it is managed down to"},
    {0}};
static const struct cli_opt risk_update_opts[] = {
    {"period", "P", "reassess for this period (with --likelihood, --impact)"},
    {"likelihood", "1-5", "how likely"},
    {"impact", "1-5", "how bad"},
    {"title", "TEXT", "a new title"},
    {"mitigation", "TEXT", "new mitigation"},
    {"owner", "NAME", "a new owner (person or role)"},
    {"target-likelihood", "1-5", "a new target likelihood (with --target-impact)"},
    {"target-impact", "1-5", "a new target impact (with --target-likelihood)"},
    {0}};
static const struct cli_opt risk_list_opts[] = {
    {"objective", "ID", "only this objective"},
    {"directorate", "ID", "only this owner"},
    {"period", "P", "show scores and movement for this period"},
    {0}};
static const struct cli_opt resource_opts[] = {
    {"budget", "POUNDS", "the budget for the year"}, {"spend", "POUNDS", "spend so far"}, {0}};
static const struct cli_opt resource_list_opts[] = {
    {"subject", "ID", "only this objective or intervention"},
    {"year", "YYYY-YY", "only this financial year"},
    {0}};
static const struct cli_opt audit_opts[] = {
    {"since", "TIME", "entries from this UTC time (YYYY-MM-DD[THH:MM:SSZ])"},
    {"user", "USER", "only this user's entries"},
    {"limit", "N", "at most N entries (default 1000, at most 5000)"},
    {"after", "SEQ", "entries after this sequence number (paging)"},
    {0}};

const struct cli_command entry_commands[] = {
    {"commentary set", "OBJECTIVE PERIOD", "write the \"so what\" for an objective",
     commentary_opts, 2, 2, run_commentary_set},
    {"commentary get", "OBJECTIVE PERIOD", "read an objective's commentary", NULL, 2, 2,
     run_commentary_get},
    {"intervention update", "ID PERIOD", "record an intervention's progress", update_opts, 2, 2,
     run_intervention_update},
    {"intervention list", NULL, "intervention progress updates", update_list_opts, 0, 0,
     run_intervention_list},
    {"case-study add", "ID", "add or replace a case study", case_opts, 1, 1, run_case_study_add},
    {"case-study list", NULL, "list case studies", filter_opts, 0, 0, run_case_study_list},
    {"risk add", "ID", "add a risk to the register", risk_add_opts, 1, 1, run_risk_add},
    {"risk update", "ID", "reassess a risk or change its text", risk_update_opts, 1, 1,
     run_risk_update},
    {"risk list", NULL, "the risk register, with movement since the last assessment",
     risk_list_opts, 0, 0, run_risk_list},
    {"resource set", "SUBJECT YEAR", "budget and spend of an objective or intervention (admin)",
     resource_opts, 2, 2, run_resource_set},
    {"resource list", NULL, "budgets and spend", resource_list_opts, 0, 0, run_resource_list},
    {"admin audit", NULL, "the audit trail (admin)", audit_opts, 0, 0, run_audit},
    {"admin audit verify", NULL, "check the audit trail's hash chain (admin)", NULL, 0, 0,
     run_audit_verify},
};
const size_t n_entry_commands = sizeof(entry_commands) / sizeof(entry_commands[0]);
