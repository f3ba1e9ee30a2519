/*
 * values_entry.c - the rules for entering one value (see values_entry.h).
 *
 * Order of checks, each with its own message: the measure exists and is
 * active; the period exists, is of the measure's frequency, and is open
 * (administrators may correct a locked period); the locality exists and
 * the measure is reported by locality; then the number itself
 * (validate.h: ranges, numerator/denominator, a note for red or
 * special-cause concern, keying warnings against history and target).
 */
#include <math.h>
#include <string.h>

#include "error.h"
#include "framework.h"
#include "server.h"
#include "values_entry.h"

#define CACHE_SLOTS 1024

struct cached_measure {
	const char *id;
	const Pmif__Measure *m; /* NULL: looked up, not there */
};

struct cached_period {
	uint32_t key;
	Pmif__Period *p; /* NULL: not there */
};

struct entry_cache {
	struct arena *arena; /* where cached records live: the request's */
	struct cached_measure measures[CACHE_SLOTS];
	struct cached_period periods[CACHE_SLOTS];
	const char *localities[64];
	size_t n_localities;
	bool localities_loaded;
};

struct entry_cache *entry_cache_new(struct rpc_ctx *ctx)
{
	struct entry_cache *c = ARENA_NEW(ctx->arena, struct entry_cache);

	if (c)
		c->arena = ctx->arena;
	return c;
}

/* Look things up for the cache in the cache's arena, so they outlive a
 * caller's per-row scratch arena. */
#define WITH_CACHE_ARENA(ctx, cache, stmt)                                                         \
	do {                                                                                       \
		struct arena *saved_ = (ctx)->arena;                                               \
		if (cache)                                                                         \
			(ctx)->arena = (cache)->arena;                                             \
		stmt;                                                                              \
		(ctx)->arena = saved_;                                                             \
	} while (0)

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

int entry_measure(struct rpc_ctx *ctx, struct entry_cache *cache, const char *id,
                  const Pmif__Measure **out)
{
	struct cached_measure *slot = NULL;
	ProtobufCMessage *rec;
	int rc;

	if (cache) {
		for (uint32_t i = 0, h = hash_str(id); i < 8; i++) {
			struct cached_measure *c = &cache->measures[(h + i) % CACHE_SLOTS];
			if (c->id && strcmp(c->id, id) == 0) {
				if (c->m == NULL)
					return PMIF_ENOTFOUND;
				*out = c->m;
				return 0;
			}
			if (c->id == NULL && slot == NULL)
				slot = c;
		}
	}
	WITH_CACHE_ARENA(ctx, cache, rc = fw_find(ctx, fw_kind(FW_MEASURE), id, &rec));
	if (rc != 0 && rc != PMIF_ENOTFOUND)
		return rc;
	if (slot) {
		slot->id = arena_strdup(cache->arena, id);
		slot->m = rc == 0 ? (const Pmif__Measure *)rec : NULL;
	}
	if (rc == 0)
		*out = (const Pmif__Measure *)rec;
	return rc;
}

static int period_of(struct rpc_ctx *ctx, struct entry_cache *cache, const char *text,
                     struct pmif_period *p, Pmif__Period **out)
{
	struct cached_period *c = NULL;
	uint32_t key;
	int rc;

	if (periods_parse(ctx, text, p) != 0)
		return ctx->code;
	key = pmif_period_key(p);
	if (cache) {
		c = &cache->periods[key % CACHE_SLOTS];
		if (c->key == key && c->p) {
			*out = c->p;
			return 0;
		}
	}
	WITH_CACHE_ARENA(ctx, cache, rc = periods_get(ctx, text, out));
	if (rc != 0)
		return ctx->code;
	if (c) {
		c->key = key;
		c->p = *out;
	}
	return 0;
}

static int check_locality(struct rpc_ctx *ctx, struct entry_cache *cache, const char *id)
{
	ProtobufCMessage *rec;
	int rc;

	if (cache) {
		for (size_t i = 0; i < cache->n_localities; i++)
			if (strcmp(cache->localities[i], id) == 0)
				return 0;
	}
	rc = fw_find(ctx, fw_kind(FW_LOCALITY), id, &rec);
	if (rc == PMIF_ENOTFOUND)
		return rpc_fail(
		    ctx, PMIF__CODE__NOT_FOUND,
		    "locality: there is no locality '%.40s': 'pmif admin locality list' "
		    "shows them",
		    id);
	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the framework could not be read");
	if (fw_retired(rec))
		return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
		                "locality: '%s' is retired: values are no longer entered for it",
		                id);
	if (cache && cache->n_localities < sizeof(cache->localities) / sizeof(cache->localities[0]))
		cache->localities[cache->n_localities++] = arena_strdup(cache->arena, id);
	return 0;
}

static const char *frequency_text(const Pmif__Measure *m)
{
	switch (values_period_kind(m)) {
	case PMIF_PERIOD_HALF: return "six-monthly: give a half such as 2022-23-H1";
	case PMIF_PERIOD_YEAR: return "annually: give a financial year such as 2022-23";
	default: return "quarterly: give a quarter such as 2022-23-Q3";
	}
}

static bool same_value(const Pmif__ValueRecord *a, const Pmif__ValueSetRequest *in)
{
	return a->value == in->value && a->has_fraction == in->has_fraction &&
	       (!a->has_fraction ||
	        (a->numerator == in->numerator && a->denominator == in->denominator)) &&
	       strcmp(a->note, in->note) == 0;
}

/* The series of earlier values, as numbers, for the validation rules. */
static int history(struct rpc_ctx *ctx, const Pmif__Measure *m, const char *locality,
                   const struct pmif_period *p, struct validate_measure *rules)
{
	struct pmif_period prev;
	Pmif__ValueRecord **series;
	double *vals;
	size_t n;
	int rc;

	if (pmif_period_previous(p, &prev) != 0)
		return 0;
	rc = values_series(ctx, m->id, locality, p->kind, &prev, &series, &n);
	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the values could not be read");
	vals = ARENA_ARRAY(ctx->arena, double, n ? n : 1);
	if (vals == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < n; i++)
		vals[i] = series[i]->value;
	rules->history = vals;
	rules->n_history = n;
	return 0;
}

int entry_apply(struct rpc_ctx *ctx, struct entry_cache *cache, const Pmif__ValueSetRequest *in,
                bool dry_run, struct entry_result *out)
{
	const Pmif__Measure *m;
	Pmif__Period *period;
	struct pmif_period p;
	struct validate_measure rules;
	struct validate_input vin;
	struct analytics_rag_rule rag_rule;
	const char *locality = in->locality[0] ? in->locality : VALUES_BOROUGH;
	Pmif__ValueRecord *old = NULL, *rec;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = entry_measure(ctx, cache, in->measure, &m);
	if (rc == PMIF_ENOTFOUND)
		return rpc_fail(
		    ctx, PMIF__CODE__NOT_FOUND,
		    "measure: there is no measure '%.40s': 'pmif measure list' shows them",
		    in->measure);
	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the framework could not be read");
	if (m->retired)
		return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
		                "measure: %s is retired: values are no longer entered for it",
		                m->id);
	if (period_of(ctx, cache, in->period, &p, &period) != 0)
		return ctx->code;
	if (p.kind != values_period_kind(m))
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
		                "period: %s is reported %s, not %s", m->id, frequency_text(m),
		                in->period);
	if (period->state != PMIF__PERIOD__STATE__OPEN && ctx->caller.role != PMIF__ROLE__ADMIN)
		return rpc_fail(ctx, PMIF__CODE__FAILED_PRECONDITION,
		                "period %s is locked, so no values can be entered for it: an "
		                "administrator can reopen it with 'pmif admin period unlock %s'",
		                in->period, in->period);
	if (strcmp(locality, VALUES_BOROUGH) != 0) {
		if (!m->by_locality)
			return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT,
			                "locality: %s is reported borough-wide only: leave out "
			                "--locality",
			                m->id);
		if (check_locality(ctx, cache, locality) != 0)
			return ctx->code;
	}
	values_rules(m, &p, &rules);
	if (history(ctx, m, locality, &p, &rules) != 0)
		return ctx->code;
	vin = (struct validate_input){.value = in->value,
	                              .has_numerator = in->has_fraction,
	                              .numerator = in->numerator,
	                              .has_denominator = in->has_fraction,
	                              .denominator = in->denominator,
	                              .note = in->note};
	rc = validate_value(&rules, &vin, &out->check);
	if (rc == PMIF_ENOMEM)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (rc != 0)
		return rpc_fail(ctx, PMIF__CODE__INVALID_ARGUMENT, "%s", out->check.error);
	out->rag = out->check.rag;
	rag_rule = (struct analytics_rag_rule){.polarity = rules.polarity,
	                                       .has_target = rules.has_target,
	                                       .target = rules.target,
	                                       .tolerance = rules.tolerance,
	                                       .decimals = rules.decimals,
	                                       .unit = validate_unit_text(rules.unit)};
	if (analytics_rag_rule_text(&rag_rule, out->rag_rule, sizeof(out->rag_rule)) != 0)
		out->rag_rule[0] = '\0';

	rc = values_find(ctx, m->id, locality, &p, &old);
	if (rc != 0 && rc != PMIF_ENOTFOUND)
		return rpc_fail(ctx, PMIF__CODE__INTERNAL, "the values could not be read");
	if (rc == 0 && same_value(old, in)) {
		out->outcome = ENTRY_UNCHANGED;
		out->before = old;
		out->after = old;
		return 0;
	}
	rec = ARENA_NEW(ctx->arena, Pmif__ValueRecord);
	if (rec == NULL)
		return rpc_fail(ctx, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__value_record__init(rec);
	rec->measure = m->id;
	rec->period = arena_strdup(ctx->arena, in->period);
	rec->locality = (char *)locality;
	rec->value = in->value;
	rec->has_fraction = in->has_fraction;
	rec->numerator = in->has_fraction ? in->numerator : 0;
	rec->denominator = in->has_fraction ? in->denominator : 0;
	rec->note = in->note;
	rec->status = PMIF__VALUE_STATUS__SUBMITTED;
	rec->submitted_by = (char *)(ctx->caller.name ? ctx->caller.name : "");
	rec->submitted_unix = ctx->now;
	rec->revision = old ? old->revision + 1 : 1;
	out->outcome = old ? ENTRY_CHANGED : ENTRY_ADDED;
	out->before = old;
	out->after = rec;
	if (!dry_run && values_put(ctx, rec) != 0)
		return ctx->code;
	return 0;
}
