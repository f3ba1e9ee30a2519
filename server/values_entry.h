/*
 * values_entry.h - entering one value: every rule between a request and
 * the store, shared by ValueSet, ValueImport and the demo loader.
 */
#ifndef PMIF_VALUES_ENTRY_H
#define PMIF_VALUES_ENTRY_H

#include <stdbool.h>

#include "rpc.h"
#include "values.h"

/* What entering a value did. */
enum entry_outcome { ENTRY_ADDED, ENTRY_CHANGED, ENTRY_UNCHANGED };

struct entry_result {
	enum entry_outcome outcome;
	Pmif__ValueRecord *before; /* NULL when added */
	Pmif__ValueRecord *after;
	enum analytics_rag rag;
	char rag_rule[ANALYTICS_RULE_TEXT_LEN];
	struct validate_result check;
};

/* A cache of measures and periods for many entries in one request. */
struct entry_cache;
struct entry_cache *entry_cache_new(struct rpc_ctx *ctx);

/**
 * Check @p in against the measure, period, locality and value rules and,
 * unless @p dry_run, store it as a new submitted revision (nothing is
 * written when it equals the current value).  On a refusal sets ctx's
 * status (NOT_FOUND, INVALID_ARGUMENT, FAILED_PRECONDITION) and returns
 * it; warnings stay in out->check.  @p cache may be NULL.
 */
int entry_apply(struct rpc_ctx *ctx, struct entry_cache *cache, const Pmif__ValueSetRequest *in,
                bool dry_run, struct entry_result *out);

/** The measure @p id (active or not) via @p cache; quiet. */
int entry_measure(struct rpc_ctx *ctx, struct entry_cache *cache, const char *id,
                  const Pmif__Measure **out);

#endif
