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
	char rag_rule[ANALYTICS_RULE_TEXT_LEN]; /* empty when entered with a cache */
	struct validate_result check;
};

/* A cache for many entries in one request: measures, periods and
 * localities, and each (measure, locality) series as it stands in the
 * request's transaction.  Lives in op->arena as it was when made; every
 * entry_apply with it must use the same transaction. */
struct entry_cache;
struct entry_cache *entry_cache_new(struct op_ctx *op);

/**
 * Check @p in against the measure, period, locality and value rules and,
 * unless @p dry_run, store it as a new submitted revision (nothing is
 * written when it equals the current value).  On a refusal sets op's
 * status (NOT_FOUND, INVALID_ARGUMENT, FAILED_PRECONDITION) and returns
 * it; warnings stay in out->check.  @p cache may be NULL; with one,
 * out->rag_rule is left empty (bulk entry does not report it) and the
 * value is not stored yet but kept in the cache, where later entries see
 * it, until entry_cache_flush(): in->period and in->note must stay valid
 * until then (the cache keeps the pointers).
 */
int entry_apply(struct op_ctx *op, struct entry_cache *cache, const Pmif__ValueSetRequest *in,
                bool dry_run, struct entry_result *out);

/**
 * Store every value entry_apply() kept in @p cache (NULL: none), in key
 * order, before the transaction commits.  Returns 0, or op's status set
 * (the transaction must then be discarded, and the cache with it).
 */
int entry_cache_flush(struct op_ctx *op, struct entry_cache *cache);

/** The measure @p id (active or not) via @p cache; quiet. */
int entry_measure(struct op_ctx *op, struct entry_cache *cache, const char *id,
                  const Pmif__Measure **out);

#endif
