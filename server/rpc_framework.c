/*
 * rpc_framework.c - the framework RPCs: show (the tree of an objective's
 * outcomes, interventions and measures), list, get, add, edit, retire and
 * restore, each for any kind of record.
 *
 * The RPCs are generic: they take a kind and work through the kind table
 * (framework.h), so one handler serves directorates and measures alike and
 * a rule lives in one place.  Add and edit take fields as the user typed
 * them (FieldValue) and parse them with the framework file's rules, so an
 * option and a file key are checked the same way and the client holds no
 * rules at all.  Every change keeps the invariant that active records
 * refer only to active records: retiring waits until nothing active
 * refers to a record, restoring until what it refers to is active.
 */
#include <string.h>

#include "error.h"
#include "framework.h"
#include "server.h"

static const struct fw_kind *kind_of(struct rpc_ctx *ctx, fw_kind_id kind)
{
	const struct fw_kind *k = fw_kind(kind);

	if (k == NULL)
		rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		         "record kind %d is not one this server knows: use a matching pmif", kind);
	return k;
}

/* References from a request resolve in the store, to active records. */
static const ProtobufCMessage *store_lookup(void *arg, fw_kind_id kind, const char *id,
                                            const char **why, bool *missing)
{
	struct rpc_ctx *ctx = arg;
	const struct fw_kind *k = fw_kind(kind);
	ProtobufCMessage *rec;

	*missing = fw_find(&ctx->op, k, id, &rec) != 0;
	*why = fw_list_hint(&ctx->op, k);
	if (*missing || fw_retired(rec))
		return NULL;
	return rec;
}

static void audit_change(struct rpc_ctx *ctx, const struct fw_kind *k, const char *id,
                         const ProtobufCMessage *before, const ProtobufCMessage *after)
{
	ctx->audit_key = arena_printf(ctx->op.arena, "%s/%s", k->name, id);
	ctx->audit_before = before;
	ctx->audit_after = after;
}

static int reply_record(struct rpc_ctx *ctx, const struct fw_kind *k, ProtobufCMessage *rec)
{
	Pmif__FrameworkRecord *r = fw_wrap(ctx->op.arena, k, rec);

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	return RPC_REPLY(ctx, r);
}

/* ---------------------------------------------------------- reading */

int rpc_framework_get(struct rpc_ctx *ctx)
{
	const Pmif__FrameworkRef *in = (const void *)ctx->in;
	const struct fw_kind *k = kind_of(ctx, in->kind);
	ProtobufCMessage *rec;

	if (k == NULL || fw_get(&ctx->op, k, in->id, &rec) != 0)
		return ctx->op.code;
	return reply_record(ctx, k, rec);
}

int rpc_framework_list(struct rpc_ctx *ctx)
{
	const Pmif__FrameworkListRequest *in = (const void *)ctx->in;
	const struct fw_kind *k = kind_of(ctx, in->kind);
	const struct fw_filter filters[] = {{FW_OBJECTIVE, in->objective},
	                                    {FW_COMMITTEE, in->committee},
	                                    {FW_DIRECTORATE, in->directorate}};
	Pmif__FrameworkListReply *r = ARENA_NEW(ctx->op.arena, Pmif__FrameworkListReply);
	ProtobufCMessage **recs;
	size_t n;

	if (k == NULL)
		return ctx->op.code;
	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (fw_list(&ctx->op, k, filters, 3, in->include_retired, &recs, &n) != 0)
		return ctx->op.code;
	pmif__framework_list_reply__init(r);
	r->records = n ? ARENA_ARRAY(ctx->op.arena, Pmif__FrameworkRecord *, n) : NULL;
	for (size_t i = 0; r->records && i < n; i++)
		if ((r->records[i] = fw_wrap(ctx->op.arena, k, recs[i])) == NULL)
			return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	r->n_records = r->records ? n : 0;
	return RPC_REPLY(ctx, r);
}

/* The records of @p kind under objective @p id, as the array @p out of
 * @p kind's message type. */
static int children(struct rpc_ctx *ctx, fw_kind_id kind, const char *id, bool all, void *out,
                    size_t *n)
{
	struct fw_filter f = {FW_OBJECTIVE, id};
	ProtobufCMessage **recs;

	if (fw_list(&ctx->op, fw_kind(kind), &f, 1, all, &recs, n) != 0)
		return ctx->op.code;
	*(ProtobufCMessage ***)out = recs;
	return 0;
}

static int objective_tree(struct rpc_ctx *ctx, Pmif__Objective *o, bool all,
                          Pmif__ObjectiveTree **out)
{
	Pmif__ObjectiveTree *t = ARENA_NEW(ctx->op.arena, Pmif__ObjectiveTree);
	Pmif__Committee **cs = NULL;
	size_t n_cs = 0;

	if (t == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__objective_tree__init(t);
	t->objective = o;
	if (children(ctx, FW_OUTCOME, o->id, all, &t->outcomes, &t->n_outcomes) ||
	    children(ctx, FW_INTERVENTION, o->id, all, &t->interventions, &t->n_interventions) ||
	    children(ctx, FW_MEASURE, o->id, all, &t->measures, &t->n_measures) ||
	    children(ctx, FW_COMMITTEE, o->id, all, &cs, &n_cs))
		return ctx->op.code;
	t->committees = n_cs ? ARENA_ARRAY(ctx->op.arena, char *, n_cs) : NULL;
	for (size_t i = 0; t->committees && i < n_cs; i++)
		t->committees[i] = cs[i]->id;
	t->n_committees = t->committees ? n_cs : 0;
	*out = t;
	return 0;
}

int rpc_framework_show(struct rpc_ctx *ctx)
{
	const Pmif__FrameworkShowRequest *in = (const void *)ctx->in;
	Pmif__FrameworkTree *r = ARENA_NEW(ctx->op.arena, Pmif__FrameworkTree);
	ProtobufCMessage **objs, *one;
	size_t n;

	if (r == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__framework_tree__init(r);
	if (fw_info_get(&ctx->op, &r->info) != 0)
		return ctx->op.code;
	if (in->objective[0]) {
		if (fw_get(&ctx->op, fw_kind(FW_OBJECTIVE), in->objective, &one) != 0)
			return ctx->op.code;
		objs = &one;
		n = 1;
	} else if (fw_list(&ctx->op, fw_kind(FW_OBJECTIVE), NULL, 0, in->include_retired, &objs,
	                   &n) != 0) {
		return ctx->op.code;
	}
	r->objectives = n ? ARENA_ARRAY(ctx->op.arena, Pmif__ObjectiveTree *, n) : NULL;
	for (size_t i = 0; r->objectives && i < n; i++)
		if (objective_tree(ctx, (Pmif__Objective *)objs[i], in->include_retired,
		                   &r->objectives[i]) != 0)
			return ctx->op.code;
	r->n_objectives = r->objectives ? n : 0;
	return RPC_REPLY(ctx, r);
}

/* ---------------------------------------------------------- writing */

/* Set @p rec's fields from the request and check the whole record. */
static int apply_fields(struct rpc_ctx *ctx, const struct fw_kind *k, ProtobufCMessage *rec,
                        Pmif__FieldValue **fields, size_t n)
{
	struct fw_problems p;
	struct fw_check c = {
	    .problems = &p, .arena = ctx->op.arena, .path = "", .lookup = store_lookup, .arg = ctx};

	fw_problems_init(&p, ctx->op.arena);
	for (size_t i = 0; i < n; i++) {
		const struct fw_field *f = fw_field(k, fields[i]->field);

		if (f == NULL) {
			fw_problem(&p, NULL, NULL, "%s %s has no field '%s'",
			           strchr("aeiou", k->name[0]) ? "an" : "a", k->name,
			           fw_quote(ctx->op.arena, fields[i]->field));
			continue;
		}
		fw_set_text(&c, k, rec, f, fields[i]->values, fields[i]->n_values);
	}
	if (p.n == 0)
		fw_check_record(&c, k, rec);
	return p.n ? fw_problems_fail(&ctx->op, &p, NULL) : 0;
}

int rpc_framework_add(struct rpc_ctx *ctx)
{
	const Pmif__FrameworkEditRequest *in = (const void *)ctx->in;
	const struct fw_kind *k = kind_of(ctx, in->kind);
	ProtobufCMessage *rec, *old;
	uint32_t pos;
	int rc;

	if (k == NULL)
		return ctx->op.code;
	rc = fw_find(&ctx->op, k, in->id, &old);
	if (rc == 0)
		return rpc_fail(ctx, PMIF__CODE__ALREADY_EXISTS,
		                "%s '%s' already exists%s: change it with 'pmif admin %s %s %s'",
		                k->name, fw_id(old), fw_retired(old) ? " (retired)" : "", k->name,
		                fw_retired(old) ? "restore" : "edit", fw_id(old));
	if (rc != PMIF_ENOTFOUND)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the framework store could not be read");
	rec = fw_new(ctx->op.arena, k);
	if (rec == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	fw_set_id(rec, in->id);
	if (apply_fields(ctx, k, rec, in->fields, in->n_fields) != 0 ||
	    fw_next_position(&ctx->op, k, &pos) != 0)
		return ctx->op.code;
	fw_set_position(rec, pos);
	if (fw_put(&ctx->op, k, NULL, rec) != 0)
		return ctx->op.code;
	audit_change(ctx, k, in->id, NULL, rec);
	return reply_record(ctx, k, rec);
}

int rpc_framework_edit(struct rpc_ctx *ctx)
{
	const Pmif__FrameworkEditRequest *in = (const void *)ctx->in;
	const struct fw_kind *k = kind_of(ctx, in->kind);
	ProtobufCMessage *old, *rec;
	const char *changed[32], *what;

	if (k == NULL || fw_get(&ctx->op, k, in->id, &old) != 0)
		return ctx->op.code;
	if (fw_retired(old))
		return rpc_fail(
		    ctx, PMIF__CODE__FAILED_PRECONDITION,
		    "%s '%s' is retired: restore it first with 'pmif admin %s restore %s'", k->name,
		    in->id, k->name, in->id);
	if (in->n_fields == 0)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "nothing to change: give the fields to set ('pmif admin %s edit "
		                "--help' lists them)",
		                k->name);
	rec = fw_copy(ctx->op.arena, old);
	if (rec == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (apply_fields(ctx, k, rec, in->fields, in->n_fields) != 0)
		return ctx->op.code;
	if (fw_diff(k, old, rec, changed, 32) == 0)
		return reply_record(ctx, k, rec); /* nothing to write */
	/* a measure's outcome belongs to its objective: moving an outcome to
	 * another objective would leave its measures under the old one */
	if (k->kind == FW_OUTCOME &&
	    strcmp(((Pmif__Outcome *)old)->objective, ((Pmif__Outcome *)rec)->objective) != 0) {
		if (fw_referrer(&ctx->op, k, in->id, false, &what) != 0)
			return ctx->op.code;
		if (what)
			return rpc_fail(
			    ctx, PMIF__CODE__FAILED_PRECONDITION,
			    "outcome '%s' cannot move to another objective while %s names "
			    "it: change that first",
			    in->id, what);
	}
	if (fw_put(&ctx->op, k, old, rec) != 0)
		return ctx->op.code;
	audit_change(ctx, k, in->id, old, rec);
	return reply_record(ctx, k, rec);
}

int rpc_framework_retire(struct rpc_ctx *ctx)
{
	const Pmif__FrameworkRef *in = (const void *)ctx->in;
	const struct fw_kind *k = kind_of(ctx, in->kind);
	ProtobufCMessage *old, *rec;
	const char *what;

	if (k == NULL || fw_get(&ctx->op, k, in->id, &old) != 0)
		return ctx->op.code;
	if (fw_retired(old))
		return reply_record(ctx, k, old);
	if (fw_referrer(&ctx->op, k, in->id, true, &what) != 0)
		return ctx->op.code;
	if (what)
		return rpc_fail(
		    ctx, PMIF__CODE__FAILED_PRECONDITION,
		    "%s '%s' is still used by %s (and perhaps others): retire or change "
		    "those first",
		    k->name, in->id, what);
	rec = fw_copy(ctx->op.arena, old);
	if (rec == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	fw_set_retired(rec, true);
	if (fw_put(&ctx->op, k, old, rec) != 0)
		return ctx->op.code;
	audit_change(ctx, k, in->id, old, rec);
	return reply_record(ctx, k, rec);
}

int rpc_framework_restore(struct rpc_ctx *ctx)
{
	const Pmif__FrameworkRef *in = (const void *)ctx->in;
	const struct fw_kind *k = kind_of(ctx, in->kind);
	ProtobufCMessage *old, *rec;

	if (k == NULL || fw_get(&ctx->op, k, in->id, &old) != 0)
		return ctx->op.code;
	if (!fw_retired(old))
		return reply_record(ctx, k, old);
	rec = fw_copy(ctx->op.arena, old);
	if (rec == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	fw_set_retired(rec, false);
	/* what it refers to must be active again first */
	if (apply_fields(ctx, k, rec, NULL, 0) != 0 || fw_put(&ctx->op, k, old, rec) != 0)
		return ctx->op.code;
	audit_change(ctx, k, in->id, old, rec);
	return reply_record(ctx, k, rec);
}

/* ------------------------------------------- loading a whole framework file */

int rpc_framework_load_prepare(struct rpc_ctx *ctx)
{
	const Pmif__FrameworkLoadRequest *in = (const void *)ctx->in;
	struct fw_model *m = ARENA_NEW(ctx->op.arena, struct fw_model);
	struct fw_problems p;
	const char *name = in->file_name[0] ? in->file_name : "the framework file";
	int rc;

	if (m == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (in->text.len > FW_MAX_FILE)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "the framework file is %zu bytes, more than the %zu allowed",
		                in->text.len, FW_MAX_FILE);
	fw_problems_init(&p, ctx->op.arena);
	rc = fw_parse(ctx->op.arena, (const char *)in->text.data, in->text.len, m, &p);
	if (rc == PMIF_ENOMEM)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED,
		                "the server ran out of memory reading the framework file");
	if (rc != 0) {
		p.n_unknown_ref = 0; /* a file's bad reference is a bad file */
		return fw_problems_fail(&ctx->op, &p,
		                        arena_printf(ctx->op.arena,
		                                     "%s was not loaded and nothing was changed",
		                                     fw_quote(ctx->op.arena, name)));
	}
	ctx->prep = m;
	return 0;
}

int rpc_framework_load(struct rpc_ctx *ctx)
{
	Pmif__FrameworkLoadReply *r;

	if (fw_apply(&ctx->op, ctx->prep, &r) != 0)
		return ctx->op.code;
	ctx->audit_key = "framework";
	ctx->audit_after = &r->base;
	ctx->audit_detail = arena_printf(
	    ctx->op.arena, "%zu added, %zu changed, %zu retired, %zu deleted, %u periods added",
	    r->n_added, r->n_changed, r->n_retired, r->n_deleted, r->periods_added);
	return RPC_REPLY(ctx, r);
}
