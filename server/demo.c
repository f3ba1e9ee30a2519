/*
 * demo.c - 'pmifd init --demo': the illustrative data in deploy/demo/
 * (values.csv and narrative.json), loaded through the same handlers the
 * RPCs use, as the first admin, inside the init transaction.
 *
 * Values up to the third quarter of 2022-23 are signed off; the latest
 * quarter, half and year stay submitted (provisional), and 2022-23-Q4 is
 * left open for entry, as it would be while the year-end update is going
 * on.  Risks carry owners and targets, six interventions a plan (owner and
 * milestones) showing each slippage RAG.  All of it is illustrative: see
 * deploy/demo/README.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "audit.h"
#include "compare.pb-c.h"
#include "demo.h"
#include "error.h"
#include "rpc.h"
#include "server.h"
#include "values.h"

#define DEMO_OPEN_PERIOD "2022-23-Q4"
#define DEMO_DUE         "2023-04-28"
/* The comparator set's source and date: made up, and said to be. */
#define DEMO_COMPARATOR_SOURCE "demo set: made-up figures for 15 fictional neighbours"
#define DEMO_COMPARATOR_DATE   "2023-05-31"

static const char *const provisional_periods[] = {"2022-23-Q4", "2022-23-H2", "2022-23"};

static int fail(struct rpc_ctx *ctx, const char *what)
{
	fprintf(stderr, "pmifd: the demo data could not be loaded (%s): %s\n", what,
	        ctx->op.message ? ctx->op.message : "unknown error");
	return PMIF_EINVAL;
}

/* Run handler @p h with input @p in as the admin; a fresh status each time. */
static int call(struct rpc_ctx *ctx, rpc_handler h, const ProtobufCMessage *in)
{
	ctx->in = in;
	ctx->out = NULL;
	ctx->op.code = PMIF__CODE__OK;
	ctx->op.message = NULL;
	ctx->prep = NULL;
	return h(ctx);
}

static const char *jstr(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

/* The whole of DIR/@p name, in the arena. */
static int read_demo_file(struct rpc_ctx *ctx, const char *dir, const char *name, char *path,
                          size_t cap, char **text, size_t *len)
{
	FILE *f;
	long n;

	snprintf(path, cap, "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL) {
		fprintf(stderr, "pmifd: cannot read '%s': %s\n", path, strerror(errno));
		return PMIF_EIO;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	*text = n < 0 ? NULL : arena_alloc(ctx->op.arena, (size_t)n + 1);
	if (*text == NULL || fread(*text, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		return PMIF_EIO;
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

static int load_values(struct rpc_ctx *ctx, const char *dir, unsigned *rows)
{
	Pmif__ValueImportRequest in = PMIF__VALUE_IMPORT_REQUEST__INIT;
	char path[4200], *text;
	size_t len;
	int rc = read_demo_file(ctx, dir, "values.csv", path, sizeof(path), &text, &len);

	if (rc != 0)
		return rc;
	in.csv.data = (uint8_t *)text;
	in.csv.len = len;
	in.file_name = "values.csv";
	rc = call(ctx, rpc_value_import, &in.base);
	if (rc != 0)
		return fail(ctx, path);
	*rows = ((Pmif__ValueImportReply *)ctx->out)->rows;
	return 0;
}

/* The illustrative comparator set (comparators.csv), marked so. */
static int load_comparators(struct rpc_ctx *ctx, const char *dir, unsigned *sets)
{
	Pmif__ComparatorImportRequest in = PMIF__COMPARATOR_IMPORT_REQUEST__INIT;
	char path[4200], *text;
	size_t len;
	int rc;

	/* a demo directory of an earlier release has none: nothing to compare */
	snprintf(path, sizeof(path), "%s/comparators.csv", dir);
	if (access(path, F_OK) != 0 && errno == ENOENT)
		return 0;
	if ((rc = read_demo_file(ctx, dir, "comparators.csv", path, sizeof(path), &text, &len)) !=
	    0)
		return rc;
	in.csv.data = (uint8_t *)text;
	in.csv.len = len;
	in.file_name = "comparators.csv";
	in.source = DEMO_COMPARATOR_SOURCE;
	in.as_of = DEMO_COMPARATOR_DATE;
	in.illustrative = true;
	rc = call(ctx, rpc_comparator_import, &in.base);
	if (rc != 0)
		return fail(ctx, path);
	*sets = ((Pmif__ComparatorImportReply *)ctx->out)->sets;
	return 0;
}

/* Sign off everything but the latest periods. */
static int approve(struct rpc_ctx *ctx, unsigned *approved)
{
	ProtobufCMessage **vals;
	size_t n;

	if (values_scan(&ctx->op, STORE_VALUES, &pmif__value_record__descriptor, NULL, 0, &vals,
	                &n) != 0)
		return PMIF_ESTORE;
	for (size_t i = 0; i < n; i++) {
		Pmif__ValueRecord *v = (Pmif__ValueRecord *)vals[i];
		bool latest = false;

		for (size_t k = 0; k < sizeof(provisional_periods) / sizeof(*provisional_periods);
		     k++)
			latest |= strcmp(v->period, provisional_periods[k]) == 0;
		if (latest)
			continue;
		v->status = PMIF__VALUE_STATUS__APPROVED;
		v->approved_by = (char *)ctx->op.actor.name;
		v->approved_unix = ctx->op.now;
		v->revision++;
		if (values_put(&ctx->op, v) != 0)
			return fail(ctx, "approving");
		(*approved)++;
	}
	return 0;
}

/* The committee actions: each recorded, then its status and note reported
 * as the owner would (an action recorded "done" is closed on the day the
 * demo is made). */
static int load_actions(struct rpc_ctx *ctx, json_t *root, unsigned *items)
{
	json_t *arr = json_object_get(root, "actions"), *o;
	size_t i;

	json_array_foreach(arr, i, o)
	{
		Pmif__ActionAddRequest add = PMIF__ACTION_ADD_REQUEST__INIT;
		Pmif__ActionUpdateRequest up = PMIF__ACTION_UPDATE_REQUEST__INIT;
		const Pmif__ActionView *v;
		add.committee = (char *)jstr(o, "committee");
		add.meeting = (char *)jstr(o, "meeting");
		add.text = (char *)jstr(o, "text");
		add.directorate = (char *)jstr(o, "directorate");
		add.due = (char *)jstr(o, "due");
		if (call(ctx, rpc_action_add, &add.base) != 0)
			return ctx->op.code;
		v = (const Pmif__ActionView *)ctx->out;
		up.id = v->action->id;
		up.status = strcmp(jstr(o, "status"), "open") == 0 ? "" : (char *)jstr(o, "status");
		up.note = (char *)jstr(o, "note");
		if ((up.status[0] || up.note[0]) && call(ctx, rpc_action_update, &up.base) != 0)
			return ctx->op.code;
		(*items)++;
	}
	return 0;
}

/* One risk of the register with its owner, target and assessments. */
static int load_risk(struct rpc_ctx *ctx, json_t *o)
{
	Pmif__RiskAddRequest add = PMIF__RISK_ADD_REQUEST__INIT;
	Pmif__RiskRecord r = PMIF__RISK_RECORD__INIT;
	json_t *as = json_object_get(o, "assessments"), *a;
	size_t k;
	int rc;

	r.id = (char *)jstr(o, "id");
	r.title = (char *)jstr(o, "title");
	r.objective = (char *)jstr(o, "objective");
	r.directorate = (char *)jstr(o, "directorate");
	r.mitigation = (char *)jstr(o, "mitigation");
	r.owner = (char *)jstr(o, "owner");
	r.target_likelihood = (uint32_t)json_integer_value(json_object_get(o, "target_likelihood"));
	r.target_impact = (uint32_t)json_integer_value(json_object_get(o, "target_impact"));
	add.risk = &r;
	if ((rc = call(ctx, rpc_risk_add, &add.base)) != 0)
		return rc;
	json_array_foreach(as, k, a)
	{
		Pmif__RiskUpdateRequest up = PMIF__RISK_UPDATE_REQUEST__INIT;
		up.id = r.id;
		up.period = (char *)jstr(a, "period");
		up.likelihood = (uint32_t)json_integer_value(json_object_get(a, "likelihood"));
		up.impact = (uint32_t)json_integer_value(json_object_get(a, "impact"));
		if ((rc = call(ctx, rpc_risk_update, &up.base)) != 0)
			return rc;
	}
	return 0;
}

/* One intervention's plan: its owner, then each milestone (and its completion). */
static int load_plan(struct rpc_ctx *ctx, json_t *o)
{
	Pmif__InterventionOwnerRequest own = PMIF__INTERVENTION_OWNER_REQUEST__INIT;
	json_t *ms = json_object_get(o, "milestones"), *m;
	size_t k;
	int rc;

	own.intervention = (char *)jstr(o, "intervention");
	own.owner = (char *)jstr(o, "owner");
	if ((rc = call(ctx, rpc_intervention_owner_set, &own.base)) != 0)
		return rc;
	json_array_foreach(ms, k, m)
	{
		Pmif__MilestoneAddRequest add = PMIF__MILESTONE_ADD_REQUEST__INIT;
		Pmif__MilestoneCompleteRequest done = PMIF__MILESTONE_COMPLETE_REQUEST__INIT;

		add.intervention = own.intervention;
		add.title = (char *)jstr(m, "title");
		add.due = (char *)jstr(m, "due");
		if ((rc = call(ctx, rpc_milestone_add, &add.base)) != 0)
			return rc;
		if (!json_object_get(m, "completed"))
			continue;
		done.intervention = own.intervention;
		done.number = (uint32_t)(k + 1);
		done.date = (char *)jstr(m, "completed");
		if ((rc = call(ctx, rpc_milestone_complete, &done.base)) != 0)
			return rc;
	}
	return 0;
}

static int load_narrative(struct rpc_ctx *ctx, const char *dir, unsigned *items)
{
	char path[4200];
	json_error_t err;
	json_t *root, *arr, *o;
	size_t i;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/narrative.json", dir);
	root = json_load_file(path, 0, &err);
	if (root == NULL) {
		fprintf(stderr, "pmifd: '%s' line %d: %s\n", path, err.line, err.text);
		return PMIF_EINVAL;
	}
	json_array_foreach((arr = json_object_get(root, "commentary")), i, o)
	{
		Pmif__CommentarySetRequest in = PMIF__COMMENTARY_SET_REQUEST__INIT;
		in.objective = (char *)jstr(o, "objective");
		in.period = (char *)jstr(o, "period");
		in.text = (char *)jstr(o, "text");
		if ((rc = call(ctx, rpc_commentary_set, &in.base)) != 0)
			goto out;
		(*items)++;
	}
	json_array_foreach((arr = json_object_get(root, "intervention_updates")), i, o)
	{
		Pmif__InterventionUpdateRequest in = PMIF__INTERVENTION_UPDATE_REQUEST__INIT;
		in.intervention = (char *)jstr(o, "intervention");
		in.period = (char *)jstr(o, "period");
		in.status = (char *)jstr(o, "status");
		in.text = (char *)jstr(o, "text");
		if ((rc = call(ctx, rpc_intervention_update, &in.base)) != 0)
			goto out;
		(*items)++;
	}
	json_array_foreach((arr = json_object_get(root, "case_studies")), i, o)
	{
		Pmif__CaseStudyRecord in = PMIF__CASE_STUDY_RECORD__INIT;
		json_t *ms = json_object_get(o, "measures"), *m;
		size_t k;
		in.id = (char *)jstr(o, "id");
		in.title = (char *)jstr(o, "title");
		in.story = (char *)jstr(o, "story");
		in.objective = (char *)jstr(o, "objective");
		in.period = (char *)jstr(o, "period");
		in.locality = (char *)jstr(o, "locality");
		in.measures = ARENA_ARRAY(ctx->op.arena, char *, json_array_size(ms) + 1);
		json_array_foreach(ms, k, m) in.measures[in.n_measures++] =
		    (char *)json_string_value(m);
		if ((rc = call(ctx, rpc_case_study_add, &in.base)) != 0)
			goto out;
		(*items)++;
	}
	json_array_foreach((arr = json_object_get(root, "risks")), i, o)
	{
		if ((rc = load_risk(ctx, o)) != 0)
			goto out;
		(*items)++;
	}
	json_array_foreach((arr = json_object_get(root, "resources")), i, o)
	{
		Pmif__ResourceSetRequest in = PMIF__RESOURCE_SET_REQUEST__INIT;
		Pmif__ResourceRecord r = PMIF__RESOURCE_RECORD__INIT;
		r.subject = (char *)(json_object_get(o, "objective") ? jstr(o, "objective")
		                                                     : jstr(o, "intervention"));
		r.year = (char *)jstr(o, "year");
		r.budget = json_number_value(json_object_get(o, "budget"));
		r.spend = json_number_value(json_object_get(o, "spend"));
		in.resource = &r;
		if ((rc = call(ctx, rpc_resource_set, &in.base)) != 0)
			goto out;
		(*items)++;
	}
	if ((rc = load_actions(ctx, root, items)) != 0)
		goto out;
	json_array_foreach((arr = json_object_get(root, "plans")), i, o)
	{
		if ((rc = load_plan(ctx, o)) != 0)
			goto out;
		(*items)++;
	}
out:
	if (rc != 0)
		fail(ctx, path);
	json_decref(root);
	return rc ? PMIF_EINVAL : 0;
}

int demo_load(struct store *s, MDB_txn *txn, const char *admin, const char *dir, struct arena *a)
{
	/* the demo is entered through the handlers, as an admin would enter it
	 * with pmif, so it meets every rule a user's data does; no server runs,
	 * and none of these handlers needs one */
	struct rpc_ctx ctx = {
	    .op = {.store = s, .txn = txn, .arena = a, .now = (uint64_t)time(NULL)}};
	Pmif__PeriodOpenRequest open = PMIF__PERIOD_OPEN_REQUEST__INIT;
	Pmif__AuditEntry e = PMIF__AUDIT_ENTRY__INIT;
	unsigned rows = 0, approved = 0, items = 0, sets = 0;
	char detail[200];
	int rc;

	ctx.op.actor.name = admin;
	ctx.op.actor.role = PMIF__ROLE__ADMIN;
	ctx.authenticated = true;
	rc = load_values(&ctx, dir, &rows);
	if (rc == 0)
		rc = approve(&ctx, &approved);
	if (rc == 0)
		rc = load_narrative(&ctx, dir, &items);
	if (rc == 0)
		rc = load_comparators(&ctx, dir, &sets);
	if (rc == 0) {
		open.period = DEMO_OPEN_PERIOD;
		open.due = DEMO_DUE;
		if (call(&ctx, rpc_period_open, &open.base) != 0)
			rc = fail(&ctx, "opening " DEMO_OPEN_PERIOD);
	}
	if (rc != 0)
		return rc;
	snprintf(detail, sizeof(detail),
	         "demo data: %u values (%u signed off), %u narrative items, %u illustrative "
	         "comparator sets; %s open",
	         rows, approved, items, sets, DEMO_OPEN_PERIOD);
	e.time_unix_us = ctx.op.now * 1000000;
	e.user = (char *)admin;
	e.role = PMIF__ROLE__ADMIN;
	e.method = "init";
	e.key = "demo";
	e.detail = detail;
	rc = audit_append(s, txn, &e);
	if (rc == 0)
		printf("loaded %s\n", detail);
	return rc;
}
