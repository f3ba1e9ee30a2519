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
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "framework.h"
#include "measures.h"
#include "periods_store.h"
#include "server.h"
#include "values_entry.h"

#define CACHE_SLOTS 1024

struct cached_measure {
	const char *id; /* NULL: a free slot */
	uint32_t hash;
	const Pmif__Measure *m; /* NULL: looked up, not there */
};

struct cached_period {
	uint32_t key;
	Pmif__Period *p; /* NULL: not there */
};

/*
 * A value entry_apply accepted and entry_cache_flush will store: what of
 * the record is not the series' or the request's (measure, locality,
 * submitter, time).  The strings are the request's (see entry_apply).
 */
struct entry_write {
	struct entry_write *earlier; /* an earlier revision in this request */
	const char *period, *note;
	double value, numerator, denominator;
	uint32_t revision;
	bool has_fraction;
};

/*
 * The current values of one (measure, locality) for one period kind, as
 * this request's transaction holds them: read from the store once, then
 * kept up to date by entry_apply as it writes, so that a file with many
 * rows for a series does not read the whole series again for each row.
 */
struct entry_write;

struct cached_series {
	const char *measure, *locality;
	uint32_t hash;
	enum pmif_period_kind kind;
	bool unreadable;             /* a stored record would not unpack: use the store */
	bool pending;                /* on the cache's list of series with writes to flush */
	uint32_t *keys;              /* period keys, ascending */
	double *vals;                /* vals[i]: the current value for keys[i] */
	struct entry_write **writes; /* writes[i]: not yet stored, or NULL */
	size_t n, cap;
};

struct entry_cache {
	struct arena *arena;             /* where cached records live: the request's */
	struct cached_measure *measures; /* open addressing, at most half full */
	size_t n_measures, cap_measures;
	struct cached_series **series; /* likewise */
	size_t n_series, cap_series;
	struct cached_series **dirty; /* series with writes to flush */
	size_t n_dirty, cap_dirty, n_writes;
	struct cached_period periods[CACHE_SLOTS];
	const char *localities[64];
	size_t n_localities;
};

struct entry_cache *entry_cache_new(struct op_ctx *op)
{
	struct entry_cache *c = ARENA_NEW(op->arena, struct entry_cache);

	if (c)
		c->arena = op->arena;
	return c;
}

/* Look things up for the cache in the cache's arena, so they outlive a
 * caller's per-row scratch arena. */
#define WITH_CACHE_ARENA(op, cache, stmt)                                                          \
	do {                                                                                       \
		struct arena *saved_ = (op)->arena;                                                \
		if (cache)                                                                         \
			(op)->arena = (cache)->arena;                                              \
		stmt;                                                                              \
		(op)->arena = saved_;                                                              \
	} while (0)

static uint32_t hash_more(uint32_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	return h;
}

static uint32_t hash_str(const char *s)
{
	return hash_more(2166136261u, s);
}

/* Make room for one more measure, keeping the table at most half full;
 * 0, or PMIF_ENOMEM (the table is left as it was). */
static int measures_room(struct entry_cache *c)
{
	struct cached_measure *t;
	size_t cap;

	if ((c->n_measures + 1) * 2 <= c->cap_measures)
		return 0;
	cap = arena_next_cap(c->cap_measures, 256);
	t = ARENA_ARRAY(c->arena, struct cached_measure, cap);
	if (t == NULL)
		return PMIF_ENOMEM;
	for (size_t i = 0; i < c->cap_measures; i++) {
		const struct cached_measure *e = &c->measures[i];
		size_t at = e->hash & (cap - 1);
		if (e->id == NULL)
			continue;
		while (t[at].id)
			at = (at + 1) & (cap - 1);
		t[at] = *e;
	}
	c->measures = t;
	c->cap_measures = cap;
	return 0;
}

int entry_measure(struct op_ctx *op, struct entry_cache *cache, const char *id,
                  const Pmif__Measure **out)
{
	struct cached_measure *slot = NULL;
	uint32_t h = hash_str(id);
	ProtobufCMessage *rec;
	int rc;

	if (cache && measures_room(cache) == 0) {
		size_t mask = cache->cap_measures - 1;
		for (size_t at = h & mask;; at = (at + 1) & mask) {
			struct cached_measure *c = &cache->measures[at];
			if (c->id == NULL) {
				slot = c;
				break;
			}
			if (c->hash == h && strcmp(c->id, id) == 0) {
				if (c->m == NULL)
					return PMIF_ENOTFOUND;
				*out = c->m;
				return 0;
			}
		}
	}
	WITH_CACHE_ARENA(op, cache, rc = fw_find(op, fw_kind(FW_MEASURE), id, &rec));
	if (rc != 0 && rc != PMIF_ENOTFOUND)
		return rc;
	if (slot && (slot->id = arena_strdup(cache->arena, id)) != NULL) {
		slot->hash = h;
		slot->m = rc == 0 ? (const Pmif__Measure *)rec : NULL;
		cache->n_measures++;
	}
	if (rc == 0)
		*out = (const Pmif__Measure *)rec;
	return rc;
}

static uint32_t series_hash(const char *measure, const char *locality, enum pmif_period_kind kind)
{
	uint32_t h = hash_more(hash_str(measure) * 16777619u, locality);

	return (h ^ (uint32_t)kind) * 16777619u;
}

static int series_room(struct entry_cache *c)
{
	struct cached_series **t;
	size_t cap;

	if ((c->n_series + 1) * 2 <= c->cap_series)
		return 0;
	cap = arena_next_cap(c->cap_series, 256);
	t = ARENA_ARRAY(c->arena, struct cached_series *, cap);
	if (t == NULL)
		return PMIF_ENOMEM;
	for (size_t i = 0; i < c->cap_series; i++) {
		struct cached_series *e = c->series[i];
		size_t at;
		if (e == NULL)
			continue;
		for (at = e->hash & (cap - 1); t[at]; at = (at + 1) & (cap - 1))
			;
		t[at] = e;
	}
	c->series = t;
	c->cap_series = cap;
	return 0;
}

/*
 * The cached series of (@p m, @p locality) for periods of @p kind, read
 * from the store the first time.  NULL with op's status set on failure.
 */
static struct cached_series *series_of(struct op_ctx *op, struct entry_cache *c,
                                       const Pmif__Measure *m, const char *locality,
                                       enum pmif_period_kind kind)
{
	uint32_t h = series_hash(m->id, locality, kind);
	struct cached_series *s, **slot;
	size_t mask;
	int rc;

	if (series_room(c) != 0) {
		op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
		return NULL;
	}
	mask = c->cap_series - 1;
	for (slot = &c->series[h & mask]; *slot; slot = &c->series[(slot - c->series + 1) & mask]) {
		s = *slot;
		if (s->hash == h && s->kind == kind && strcmp(s->measure, m->id) == 0 &&
		    strcmp(s->locality, locality) == 0)
			return s;
	}
	s = ARENA_NEW(c->arena, struct cached_series);
	if (s == NULL || (s->measure = arena_strdup(c->arena, m->id)) == NULL ||
	    (s->locality = arena_strdup(c->arena, locality)) == NULL) {
		op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
		return NULL;
	}
	s->hash = h;
	s->kind = kind;
	rc = values_series_numbers(op, m->id, locality, kind, c->arena, &s->keys, &s->vals, &s->n);
	if (rc == PMIF_ESTORE)
		s->unreadable = true;
	else if (rc == PMIF_ENOMEM) {
		op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
		return NULL;
	} else if (rc != 0) {
		op_fail(op, PMIF__CODE__INTERNAL, "the values could not be read");
		return NULL;
	}
	if (s->n && (s->writes = ARENA_ARRAY(c->arena, struct entry_write *, s->n)) == NULL) {
		op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
		return NULL;
	}
	s->cap = s->n;
	*slot = s;
	c->n_series++;
	return s;
}

/* Index of the first period key in @p s not below @p key. */
static size_t series_at(const struct cached_series *s, uint32_t key)
{
	size_t lo = 0, hi = s->n;

	/* files mostly run forwards in time: try the end first */
	if (hi == 0 || s->keys[hi - 1] < key)
		return hi;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Record in @p s that @p key now holds @p value (at index @p at), to be
 * stored by entry_cache_flush as @p w (whose earlier revision, if it was
 * written in this request too, it chains). */
static int series_set(struct entry_cache *c, struct cached_series *s, size_t at, uint32_t key,
                      double value, struct entry_write *w)
{
	if (!s->pending) {
		if (c->n_dirty == c->cap_dirty) {
			size_t cap = arena_next_cap(c->cap_dirty, 256);
			struct cached_series **d =
			    arena_regrow(c->arena, c->dirty, c->n_dirty, cap, sizeof(*d));
			if (d == NULL)
				return PMIF_ENOMEM;
			c->dirty = d;
			c->cap_dirty = cap;
		}
		c->dirty[c->n_dirty++] = s;
		s->pending = true;
	}
	if (at < s->n && s->keys[at] == key) {
		s->vals[at] = value;
		if (s->writes[at])
			w->earlier = s->writes[at];
		else
			c->n_writes++;
		s->writes[at] = w;
		return 0;
	}
	if (s->n == s->cap) {
		size_t cap = arena_next_cap(s->cap, 16);
		uint32_t *k = arena_regrow(c->arena, s->keys, s->n, cap, sizeof(*k));
		double *v = arena_regrow(c->arena, s->vals, s->n, cap, sizeof(*v));
		struct entry_write **p = arena_regrow(c->arena, s->writes, s->n, cap, sizeof(*p));
		if (k == NULL || v == NULL || p == NULL)
			return PMIF_ENOMEM;
		s->keys = k;
		s->vals = v;
		s->writes = p;
		s->cap = cap;
	}
	memmove(s->keys + at + 1, s->keys + at, sizeof(*s->keys) * (s->n - at));
	memmove(s->vals + at + 1, s->vals + at, sizeof(*s->vals) * (s->n - at));
	memmove(s->writes + at + 1, s->writes + at, sizeof(*s->writes) * (s->n - at));
	s->keys[at] = key;
	s->vals[at] = value;
	s->writes[at] = w;
	s->n++;
	c->n_writes++;
	return 0;
}

/* Series in the order of their keys: measure, then locality. */
static int by_key(const void *a, const void *b)
{
	const struct cached_series *x = *(struct cached_series *const *)a;
	const struct cached_series *y = *(struct cached_series *const *)b;
	int d = strcmp(x->measure, y->measure);

	if (d == 0)
		d = strcmp(x->locality, y->locality);
	return d ? d : (int)x->kind - (int)y->kind;
}

/* The record @p w of series @p s stands for, in @p rec. */
static void write_record(struct op_ctx *op, const struct cached_series *s,
                         const struct entry_write *w, Pmif__ValueRecord *rec)
{
	pmif__value_record__init(rec);
	rec->measure = (char *)s->measure;
	rec->period = (char *)w->period;
	rec->locality = (char *)s->locality;
	rec->value = w->value;
	rec->has_fraction = w->has_fraction;
	rec->numerator = w->numerator;
	rec->denominator = w->denominator;
	rec->note = (char *)w->note;
	rec->status = PMIF__VALUE_STATUS__SUBMITTED;
	rec->submitted_by = (char *)(op->actor.name ? op->actor.name : "");
	rec->submitted_unix = op->now;
	rec->revision = w->revision;
}

/* Store @p w (its earlier revisions first: each is a revision in the
 * history, the last one the current value). */
static int flush_write(struct op_ctx *op, struct values_bulk *b, const struct cached_series *s,
                       const struct entry_write *w, const struct pmif_period *p)
{
	Pmif__ValueRecord rec;

	if (w->earlier && flush_write(op, b, s, w->earlier, p) != 0)
		return op->code;
	write_record(op, s, w, &rec);
	return values_put_at(op, &rec, p, b);
}

int entry_cache_flush(struct op_ctx *op, struct entry_cache *cache)
{
	struct values_bulk bulk;
	int rc = 0;

	if (cache == NULL || cache->n_writes == 0)
		return 0;
	if (values_bulk_begin(op, &bulk) != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the values could not be saved");
	/* key order, so that values_put_at can append */
	qsort(cache->dirty, cache->n_dirty, sizeof(*cache->dirty), by_key);
	for (size_t i = 0; rc == 0 && i < cache->n_dirty; i++) {
		struct cached_series *s = cache->dirty[i];

		for (size_t k = 0; rc == 0 && k < s->n; k++) {
			struct pmif_period p;

			if (s->writes[k] == NULL)
				continue;
			if (pmif_period_from_key(s->keys[k], &p) != 0)
				rc = op_fail(op, PMIF__CODE__INTERNAL,
				             "a value with a bad period reached the store");
			else
				rc = flush_write(op, &bulk, s, s->writes[k], &p);
			s->writes[k] = NULL;
		}
		s->pending = false;
	}
	values_bulk_end(&bulk);
	cache->n_dirty = 0;
	cache->n_writes = 0;
	return rc;
}

static int period_of(struct op_ctx *op, struct entry_cache *cache, const char *text,
                     struct pmif_period *p, Pmif__Period **out)
{
	struct cached_period *c = NULL;
	uint32_t key;
	int rc;

	if (periods_parse(op, text, p) != 0)
		return op->code;
	key = pmif_period_key(p);
	if (cache) {
		/* the low bits are the quarter and kind: mix in the year */
		c = &cache->periods[(key * 2654435761u) >> 22 & (CACHE_SLOTS - 1)];
		if (c->key == key && c->p) {
			*out = c->p;
			return 0;
		}
	}
	WITH_CACHE_ARENA(op, cache, rc = periods_get(op, text, out));
	if (rc != 0)
		return op->code;
	if (c) {
		c->key = key;
		c->p = *out;
	}
	return 0;
}

static int check_locality(struct op_ctx *op, struct entry_cache *cache, const char *id)
{
	ProtobufCMessage *rec;
	int rc;

	if (cache) {
		for (size_t i = 0; i < cache->n_localities; i++)
			if (strcmp(cache->localities[i], id) == 0)
				return 0;
	}
	rc = fw_find(op, fw_kind(FW_LOCALITY), id, &rec);
	if (rc == PMIF_ENOTFOUND)
		return op_fail(op, PMIF__CODE__NOT_FOUND,
		               "locality: there is no locality '%.40s': 'pmif admin locality list' "
		               "shows them",
		               id);
	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the framework could not be read");
	if (fw_retired(rec))
		return op_fail(op, PMIF__CODE__FAILED_PRECONDITION,
		               "locality: '%s' is retired: values are no longer entered for it",
		               id);
	if (cache && cache->n_localities < sizeof(cache->localities) / sizeof(cache->localities[0]))
		cache->localities[cache->n_localities++] = arena_strdup(cache->arena, id);
	return 0;
}

static const char *frequency_text(const Pmif__Measure *m)
{
	switch (measures_period_kind(m)) {
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

/* The series of earlier values, as numbers, for the validation rules:
 * read from the store (no cache, or a series the cache cannot hold). */
static int history(struct op_ctx *op, const Pmif__Measure *m, const char *locality,
                   const struct pmif_period *p, struct validate_measure *rules)
{
	struct pmif_period prev;
	struct value_point *series;
	double *vals;
	size_t n;
	int rc;

	if (pmif_period_previous(p, &prev) != 0)
		return 0;
	rc = values_series_points(op, m->id, locality, p->kind, &prev, op->arena, &series, &n);
	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the values could not be read");
	vals = ARENA_ARRAY(op->arena, double, n ? n : 1);
	if (vals == NULL)
		return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	for (size_t i = 0; i < n; i++)
		vals[i] = series[i].value;
	rules->history = vals;
	rules->n_history = n;
	return 0;
}

/* The same from the cached series @p s: the values before @p p's key
 * are the first *at of s->vals, used in place.  *exists says whether @p p
 * itself has a current value. */
static void history_cached(const struct cached_series *s, const struct pmif_period *p,
                           struct validate_measure *rules, size_t *at, bool *exists)
{
	struct pmif_period prev;
	uint32_t key = pmif_period_key(p);

	*at = series_at(s, key);
	*exists = *at < s->n && s->keys[*at] == key;
	if (pmif_period_previous(p, &prev) != 0)
		return;
	rules->history = s->vals;
	rules->n_history = *at;
}

int entry_apply(struct op_ctx *op, struct entry_cache *cache, const Pmif__ValueSetRequest *in,
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
	struct cached_series *s = NULL;
	struct entry_write *w;
	size_t at = 0;
	bool exists = true; /* unless the cache knows better: look */
	int rc;

	/* not the whole of *out: validate_value fills the check (~2 KB), and
	 * until then only its error and warning count are read */
	out->outcome = ENTRY_ADDED;
	out->before = out->after = NULL;
	out->rag = 0;
	out->rag_rule[0] = '\0';
	out->check.error[0] = '\0';
	out->check.n_warnings = 0;
	out->check.rag = 0;
	out->check.variation = 0;
	rc = entry_measure(op, cache, in->measure, &m);
	if (rc == PMIF_ENOTFOUND)
		return op_fail(
		    op, PMIF__CODE__NOT_FOUND,
		    "measure: there is no measure '%.40s': 'pmif measure list' shows them",
		    in->measure);
	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the framework could not be read");
	if (m->retired)
		return op_fail(op, PMIF__CODE__FAILED_PRECONDITION,
		               "measure: %s is retired: values are no longer entered for it",
		               m->id);
	if (period_of(op, cache, in->period, &p, &period) != 0)
		return op->code;
	if (p.kind != measures_period_kind(m))
		return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
		               "period: %s is reported %s, not %s", m->id, frequency_text(m),
		               in->period);
	if (period->state != PMIF__PERIOD__STATE__OPEN && op->actor.role != PMIF__ROLE__ADMIN)
		return op_fail(op, PMIF__CODE__FAILED_PRECONDITION,
		               "period %s is locked, so no values can be entered for it: an "
		               "administrator can reopen it with 'pmif admin period unlock %s'",
		               in->period, in->period);
	if (strcmp(locality, VALUES_BOROUGH) != 0) {
		if (!m->by_locality)
			return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
			               "locality: %s is reported borough-wide only: leave out "
			               "--locality",
			               m->id);
		if (check_locality(op, cache, locality) != 0)
			return op->code;
	}
	measures_rules(m, &p, &rules);
	if (cache && (s = series_of(op, cache, m, locality, p.kind)) == NULL)
		return op->code;
	if (s && !s->unreadable)
		history_cached(s, &p, &rules, &at, &exists);
	else if (history(op, m, locality, &p, &rules) != 0)
		return op->code;
	vin = (struct validate_input){.value = in->value,
	                              .has_numerator = in->has_fraction,
	                              .numerator = in->numerator,
	                              .has_denominator = in->has_fraction,
	                              .denominator = in->denominator,
	                              .note = in->note};
	rc = validate_value(&rules, &vin, &out->check);
	if (rc == PMIF_ENOMEM)
		return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (rc != 0)
		return op_fail(op, PMIF__CODE__INVALID_ARGUMENT, "%s", out->check.error);
	out->rag = out->check.rag;
	if (cache == NULL) {
		rag_rule = (struct analytics_rag_rule){.polarity = rules.polarity,
		                                       .has_target = rules.has_target,
		                                       .target = rules.target,
		                                       .tolerance = rules.tolerance,
		                                       .decimals = rules.decimals,
		                                       .unit = validate_unit_text(rules.unit)};
		if (analytics_rag_rule_text(&rag_rule, out->rag_rule, sizeof(out->rag_rule)) != 0)
			out->rag_rule[0] = '\0';
	}

	if (exists && s && !s->unreadable && s->writes[at]) {
		/* entered earlier in this request, not stored yet */
		if ((old = ARENA_NEW(op->arena, Pmif__ValueRecord)) == NULL)
			return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
		write_record(op, s, s->writes[at], old);
		rc = 0;
	} else {
		rc = exists ? values_find(op, m->id, locality, &p, &old) : PMIF_ENOTFOUND;
	}
	if (rc != 0 && rc != PMIF_ENOTFOUND)
		return op_fail(op, PMIF__CODE__INTERNAL, "the values could not be read");
	if (rc == 0 && same_value(old, in)) {
		out->outcome = ENTRY_UNCHANGED;
		out->before = old;
		out->after = old;
		return 0;
	}
	rec = ARENA_NEW(op->arena, Pmif__ValueRecord);
	if (rec == NULL)
		return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__value_record__init(rec);
	rec->measure = m->id;
	rec->period = arena_strdup(op->arena, in->period);
	rec->locality = (char *)locality;
	rec->value = in->value;
	rec->has_fraction = in->has_fraction;
	rec->numerator = in->has_fraction ? in->numerator : 0;
	rec->denominator = in->has_fraction ? in->denominator : 0;
	rec->note = in->note;
	rec->status = PMIF__VALUE_STATUS__SUBMITTED;
	rec->submitted_by = (char *)(op->actor.name ? op->actor.name : "");
	rec->submitted_unix = op->now;
	rec->revision = old ? old->revision + 1 : 1;
	out->outcome = old ? ENTRY_CHANGED : ENTRY_ADDED;
	out->before = old;
	out->after = rec;
	if (dry_run)
		return 0;
	if (s == NULL || s->unreadable)
		return values_put_at(op, rec, &p, NULL) != 0 ? op->code : 0;
	/* kept for entry_cache_flush, and seen by later entries as stored;
	 * a dry run wrote nothing, so its later rows see the store as it was */
	w = ARENA_NEW(cache->arena, struct entry_write);
	if (w == NULL)
		return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	*w = (struct entry_write){.period = in->period,
	                          .note = in->note,
	                          .value = rec->value,
	                          .numerator = rec->numerator,
	                          .denominator = rec->denominator,
	                          .revision = rec->revision,
	                          .has_fraction = rec->has_fraction};
	if (series_set(cache, s, at, pmif_period_key(&p), rec->value, w) != 0)
		return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	return 0;
}
