/*
 * rpc_compare.c - comparison with similar councils: ComparatorImport (an
 * administrator loads a CSV of other councils' figures with its source and
 * date), ComparatorList (what is loaded) and ReportCompare (where this
 * council stands for a measure and period).  The rules are in
 * compare_import.c and compare.c, the records in comparators_store.c, the
 * report in report_compare.c; who may call what is in rpc_table.c.
 */
#include <string.h>

#include "comparators_store.h"
#include "compare_import.h"
#include "framework.h"
#include "periods_store.h"
#include "report.h"
#include "report_compare.h"

static bool given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

int rpc_comparator_import(struct rpc_ctx *ctx)
{
	const Pmif__ComparatorImportRequest *in = (const void *)ctx->in;
	Pmif__ComparatorImportReply *r;
	int rc = compare_import_run(&ctx->op, in, &r);

	if (rc != 0)
		return rc;
	ctx->audit_key = arena_printf(ctx->op.arena, "comparators/%s",
	                              given(in->file_name) ? in->file_name : "comparators.csv");
	ctx->audit_detail =
	    arena_printf(ctx->op.arena, "%s%u rows, %u sets (%u replaced); source \"%s\", %s%s",
	                 in->dry_run ? "dry run: " : "", r->rows, r->sets, r->replaced, in->source,
	                 in->as_of, in->illustrative ? ", illustrative" : "");
	return RPC_REPLY(ctx, r);
}

int rpc_comparator_list(struct rpc_ctx *ctx)
{
	const Pmif__ComparatorListRequest *in = (const void *)ctx->in;
	Pmif__ComparatorListReply *r = ARENA_NEW(ctx->op.arena, Pmif__ComparatorListReply);
	Pmif__ComparatorSetRecord **sets;
	ProtobufCMessage *m;
	size_t n;

	if (r == NULL)
		return report_nomem(&ctx->op);
	pmif__comparator_list_reply__init(r);
	if (given(in->measure) && fw_get(&ctx->op, fw_kind(FW_MEASURE), in->measure, &m) != 0)
		return ctx->op.code;
	if (comparators_list(&ctx->op, given(in->measure) ? in->measure : NULL, &sets, &n) != 0)
		return ctx->op.code;
	if (n && (r->sets = ARENA_ARRAY(ctx->op.arena, Pmif__ComparatorSetSummary *, n)) == NULL)
		return report_nomem(&ctx->op);
	for (size_t i = 0; i < n; i++) {
		Pmif__ComparatorSetSummary *s =
		    ARENA_NEW(ctx->op.arena, Pmif__ComparatorSetSummary);

		if (s == NULL)
			return report_nomem(&ctx->op);
		pmif__comparator_set_summary__init(s);
		s->measure = sets[i]->measure;
		s->period = sets[i]->period;
		s->source = sets[i]->source;
		s->as_of = sets[i]->as_of;
		s->illustrative = sets[i]->illustrative;
		s->loaded_by = sets[i]->loaded_by;
		s->loaded_unix = sets[i]->loaded_unix;
		for (size_t k = 0; k < sets[i]->n_figures; k++) {
			const char *kind = sets[i]->figures[k]->kind;
			bool council = !given(kind) || strcmp(kind, "council") == 0;

			s->councils += council;
			s->references += !council;
		}
		r->sets[r->n_sets++] = s;
	}
	return RPC_REPLY(ctx, r);
}

int rpc_report_compare(struct rpc_ctx *ctx)
{
	uint64_t t0 = report_clock_us();
	const Pmif__ReportFilter *f = (const Pmif__ReportFilter *)ctx->in;
	Pmif__CompareReport *r;
	Pmif__Period *prec;
	Pmif__Measure *m;
	struct pmif_period p;
	int rc;

	if (!given(f->measure))
		return rpc_fail(
		    ctx, PMIF__CODE__INVALID_ARGUMENT,
		    "a measure is required, e.g. pmif report compare FSM-UPTAKE --period "
		    "2022-23-Q3");
	if (fw_get(&ctx->op, fw_kind(FW_MEASURE), f->measure, (ProtobufCMessage **)&m) != 0)
		return ctx->op.code;
	if (!given(f->period))
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "a period is required, e.g. --period 2022-23-Q3");
	if (periods_parse(&ctx->op, f->period, &p) != 0 ||
	    periods_get(&ctx->op, f->period, &prec) != 0)
		return ctx->op.code;
	if ((rc = report_compare_build(&ctx->op, m, &p, &r)) != 0)
		return rc;
	r->title = arena_printf(ctx->op.arena, "Comparison with similar councils, %s: %s",
	                        r->measure->period, m->title);
	r->filter = report_filter_copy(ctx->op.arena, f);
	if (r->title == NULL || r->filter == NULL)
		return report_nomem(&ctx->op);
	r->server_time_us = report_clock_us() - t0;
	return RPC_REPLY(ctx, r);
}
