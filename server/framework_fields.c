/*
 * framework_fields.c - one field of a framework record from the framework
 * file's JSON or from what a user typed, and the check of a whole record
 * against its kind's table (framework_kinds.c).  Pure: where a reference
 * must be resolved, the caller's lookup does it.
 *
 * Every message names the field (after the caller's path, e.g.
 * "measures[3].unit") and says the rule and what to do, in one sentence.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "framework.h"
#include "period.h"

#define AT(rec, pf)    ((char *)(rec) + (pf)->offset)
#define COUNT(rec, pf) (*(size_t *)((char *)(rec) + (pf)->quantifier_offset))

static const ProtobufCFieldDescriptor *pbfield(const ProtobufCMessageDescriptor *d,
                                               const char *name)
{
	return protobuf_c_message_descriptor_get_field_by_name(d, name);
}

/* ---------------------------------------------------------- setting */

static char *arena_strndup0(struct arena *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* Is @p s valid UTF-8?  jansson refuses to make a string of anything else. */
static bool utf8_ok(const char *s)
{
	json_t *j = json_string(s);

	json_decref(j);
	return j != NULL;
}

const char *fw_quote(struct arena *a, const char *s)
{
	size_t len = strlen(s), n = len > 40 ? 40 : len;
	bool utf8 = utf8_ok(s);
	char *q = arena_alloc(a, n + 4);

	if (q == NULL)
		return "";
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		q[i] = ch < 0x20 || ch == 0x7f || (ch >= 0x80 && !utf8) ? '?' : s[i];
	}
	/* a cut in the middle of a UTF-8 sequence would leave half a character */
	while (n > 0 && utf8 && n < len && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	if (n < len)
		memcpy(q + n, "...", 4);
	return q;
}

static int target_cmp(const void *x, const void *y)
{
	const Pmif__Target *a = *(Pmif__Target *const *)x, *b = *(Pmif__Target *const *)y;
	struct pmif_period pa, pb;

	if (pmif_period_parse(a->year, &pa, NULL, 0) != 0 ||
	    pmif_period_parse(b->year, &pb, NULL, 0) != 0)
		return strcmp(a->year, b->year);
	return pmif_period_compare(&pa, &pb);
}

/* Parse a target's year: a financial year, by period.h's rules. */
static bool parse_year(struct fw_check *c, const char *field, const char *text)
{
	struct pmif_period p;
	char msg[PMIF_PERIOD_MSGLEN];

	if (pmif_period_parse(text, &p, msg, sizeof(msg)) != 0) {
		fw_problem(c->problems, c->path, field, "%s", msg);
		return false;
	}
	if (p.kind != PMIF_PERIOD_YEAR) {
		fw_problem(c->problems, c->path, field,
		           "'%s' is a %s: targets are set per financial year, e.g. %.7s", text,
		           pmif_period_kind_name((enum pmif_period_kind)p.kind), text);
		return false;
	}
	return true;
}

static Pmif__Target *new_target(struct arena *a, const char *year, double value)
{
	Pmif__Target *t = ARENA_NEW(a, Pmif__Target);

	if (t == NULL)
		return NULL;
	pmif__target__init(t);
	t->year = arena_strdup(a, year);
	t->value = value;
	return t;
}

static Pmif__Baseline *new_baseline(struct arena *a, const char *period, double value)
{
	Pmif__Baseline *b = ARENA_NEW(a, Pmif__Baseline);

	if (b == NULL)
		return NULL;
	pmif__baseline__init(b);
	b->period = arena_strdup(a, period);
	b->value = value;
	return b;
}

static void set_strings(struct arena *a, ProtobufCMessage *rec, const ProtobufCFieldDescriptor *pf,
                        char **vals, size_t n)
{
	char **copy = n ? ARENA_ARRAY(a, char *, n) : NULL;

	for (size_t i = 0; copy && i < n; i++)
		copy[i] = vals[i];
	*(char ***)AT(rec, pf) = copy;
	COUNT(rec, pf) = copy ? n : 0;
}

void fw_set_json(struct fw_check *c, const struct fw_kind *k, ProtobufCMessage *rec,
                 const struct fw_field *f, json_t *v)
{
	const ProtobufCFieldDescriptor *pf = pbfield(k->desc, f->name);
	struct arena *a = c->arena;
	char words[256], sub[64];

	if (v == NULL || json_is_null(v))
		return;
	switch (f->type) {
	case FT_ID:
	case FT_REF:
	case FT_LINE:
	case FT_TEXT:
		if (!json_is_string(v)) {
			fw_problem(c->problems, c->path, f->name,
			           "must be text in double quotes, not a %s",
			           json_is_number(v) ? "number" : "list or object or true/false");
			return;
		}
		*(char **)AT(rec, pf) =
		    arena_strndup0(a, json_string_value(v), json_string_length(v));
		return;
	case FT_REFS:
	case FT_LINES: {
		size_t n = json_is_array(v) ? json_array_size(v) : 0;
		char **vals = n ? ARENA_ARRAY(a, char *, n) : NULL;

		if (!json_is_array(v)) {
			fw_problem(c->problems, c->path, f->name,
			           "must be a list of text in [ ], e.g. [\"a\", \"b\"]");
			return;
		}
		for (size_t i = 0; i < n; i++) {
			json_t *e = json_array_get(v, i);
			snprintf(sub, sizeof(sub), "%s[%zu]", f->name, i);
			if (!json_is_string(e)) {
				fw_problem(c->problems, c->path, sub,
				           "must be text in double quotes");
				return;
			}
			if (vals)
				vals[i] =
				    arena_strndup0(a, json_string_value(e), json_string_length(e));
		}
		set_strings(a, rec, pf, vals, n);
		return;
	}
	case FT_ENUM: {
		const struct fw_word *w =
		    json_is_string(v) ? fw_word_find(f, json_string_value(v), false) : NULL;
		if (w == NULL) {
			if (json_is_string(v))
				fw_problem(c->problems, c->path, f->name, "'%s' is not one of %s",
				           fw_quote(a, json_string_value(v)),
				           fw_words_list(f, words, sizeof(words)));
			else
				fw_problem(c->problems, c->path, f->name,
				           "must be one of %s, in double quotes",
				           fw_words_list(f, words, sizeof(words)));
			return;
		}
		*(int *)AT(rec, pf) = w->value;
		return;
	}
	case FT_NUMBER:
		if (!json_is_number(v)) {
			fw_problem(c->problems, c->path, f->name,
			           "must be a number, without quotes");
			return;
		}
		*(double *)AT(rec, pf) = json_number_value(v);
		return;
	case FT_INT:
		if (!json_is_integer(v) || json_integer_value(v) < (json_int_t)f->min ||
		    json_integer_value(v) > (json_int_t)f->max) {
			fw_problem(c->problems, c->path, f->name,
			           "must be a whole number from %.15g to %.15g", f->min, f->max);
			return;
		}
		*(uint32_t *)AT(rec, pf) = (uint32_t)json_integer_value(v);
		return;
	case FT_BOOL:
		if (!json_is_boolean(v)) {
			fw_problem(c->problems, c->path, f->name,
			           "must be true or false, without quotes");
			return;
		}
		*(protobuf_c_boolean *)AT(rec, pf) = json_is_true(v);
		return;
	case FT_TARGETS: {
		size_t n = json_is_object(v) ? json_object_size(v) : 0, i = 0;
		Pmif__Target **ts = n ? ARENA_ARRAY(a, Pmif__Target *, n) : NULL;
		const char *year;
		json_t *val;

		if (!json_is_object(v)) {
			fw_problem(c->problems, c->path, f->name,
			           "must be an object of financial year to target, e.g. "
			           "{\"2022-23\": 85}");
			return;
		}
		json_object_foreach(v, year, val)
		{
			snprintf(sub, sizeof(sub), "%s.%s", f->name, fw_quote(a, year));
			if (!parse_year(c, sub, year))
				continue;
			if (!json_is_number(val)) {
				fw_problem(c->problems, c->path, sub,
				           "must be a number, without quotes");
				continue;
			}
			if (ts && (ts[i] = new_target(a, year, json_number_value(val))) != NULL)
				i++;
		}
		if (ts)
			qsort(ts, i, sizeof(*ts), target_cmp);
		*(Pmif__Target ***)AT(rec, pf) = ts;
		COUNT(rec, pf) = i;
		return;
	}
	case FT_BASELINE: {
		json_t *bv = json_object_get(v, "value"), *bp = json_object_get(v, "period");
		const char *key;
		json_t *val;
		bool ok = true;

		if (!json_is_object(v)) {
			fw_problem(
			    c->problems, c->path, f->name,
			    "must be an object like {\"value\": 78.2, \"period\": \"2019-20\"} "
			    "or null");
			return;
		}
		json_object_foreach(v, key, val) if (strcmp(key, "value") != 0 &&
		                                     strcmp(key, "period") != 0)
		{
			snprintf(sub, sizeof(sub), "%s.%s", f->name, fw_quote(a, key));
			fw_problem(c->problems, c->path, sub,
			           "a baseline has only a value and a period: remove this");
			ok = false;
		}
		if (!json_is_number(bv)) {
			fw_problem(c->problems, c->path, "baseline.value",
			           "must be a number, without quotes");
			ok = false;
		}
		if (!json_is_string(bp)) {
			fw_problem(c->problems, c->path, "baseline.period",
			           "must be a period in double quotes, e.g. \"2019-20\"");
			ok = false;
		}
		if (ok)
			*(Pmif__Baseline **)AT(rec, pf) =
			    new_baseline(a, json_string_value(bp), json_number_value(bv));
		return;
	}
	}
}

static bool parse_double(const char *s, double *out)
{
	char *end;
	double d;

	if (s[0] == '\0' || isspace((unsigned char)s[0]))
		return false;
	errno = 0;
	d = strtod(s, &end);
	if (*end != '\0' || errno == ERANGE || !isfinite(d))
		return false;
	*out = d;
	return true;
}

/* "YEAR=VALUE" / "PERIOD=VALUE": split at the '='. */
static bool split_pair(struct arena *a, const char *s, char **left, const char **right)
{
	const char *eq = strchr(s, '=');

	if (eq == NULL || eq == s)
		return false;
	*left = arena_strndup0(a, s, (size_t)(eq - s));
	*right = eq + 1;
	return *left != NULL;
}

static void set_targets_text(struct fw_check *c, ProtobufCMessage *rec,
                             const ProtobufCFieldDescriptor *pf, const struct fw_field *f,
                             char **values, size_t n)
{
	struct arena *a = c->arena;
	size_t have = COUNT(rec, pf), cap = have + n, count = 0;
	Pmif__Target **old = *(Pmif__Target ***)AT(rec, pf);
	Pmif__Target **ts = cap ? ARENA_ARRAY(a, Pmif__Target *, cap) : NULL;

	if (n == 1 && strcmp(values[0], "none") == 0) {
		*(Pmif__Target ***)AT(rec, pf) = NULL;
		COUNT(rec, pf) = 0;
		return;
	}
	if (cap && ts == NULL)
		return;
	for (size_t i = 0; i < have; i++)
		ts[count++] = old[i];
	for (size_t i = 0; i < n; i++) {
		char *year;
		const char *val;
		double d = 0;
		bool drop;
		size_t k;

		if (!split_pair(a, values[i], &year, &val)) {
			fw_problem(c->problems, c->path, f->name,
			           "'%s' is not YEAR=VALUE: write e.g. 2022-23=85, or 2022-23=none "
			           "to drop that year's target",
			           fw_quote(a, values[i]));
			continue;
		}
		if (!parse_year(c, f->name, year))
			continue;
		drop = strcmp(val, "none") == 0;
		if (!drop && !parse_double(val, &d)) {
			fw_problem(c->problems, c->path, f->name,
			           "the target for %s, '%s', is not a number: write e.g. %s=85",
			           year, fw_quote(a, val), year);
			continue;
		}
		for (k = 0; k < count && strcmp(ts[k]->year, year) != 0; k++)
			;
		if (drop) {
			if (k < count)
				ts[k] = ts[--count];
		} else if (k < count) {
			ts[k] = new_target(a, year, d);
		} else {
			ts[count++] = new_target(a, year, d);
		}
	}
	for (size_t i = 0; i < count; i++)
		if (ts[i] == NULL)
			return;
	if (ts)
		qsort(ts, count, sizeof(*ts), target_cmp);
	*(Pmif__Target ***)AT(rec, pf) = count ? ts : NULL;
	COUNT(rec, pf) = count;
}

void fw_set_text(struct fw_check *c, const struct fw_kind *k, ProtobufCMessage *rec,
                 const struct fw_field *f, char **values, size_t n)
{
	const ProtobufCFieldDescriptor *pf = pbfield(k->desc, f->name);
	struct arena *a = c->arena;
	char words[256];
	const char *v = n ? values[0] : "";
	double d;

	for (size_t i = 0; i < n; i++)
		if (!utf8_ok(values[i])) {
			fw_problem(c->problems, c->path, f->name,
			           "is not valid UTF-8 text: check the terminal's encoding");
			return;
		}
	if (n > 1 && f->type != FT_REFS && f->type != FT_LINES && f->type != FT_TARGETS) {
		fw_problem(c->problems, c->path, f->name, "takes one value, not %zu", n);
		return;
	}
	switch (f->type) {
	case FT_ID:
		fw_problem(c->problems, c->path, f->name,
		           "the id cannot be changed: add a new %s and retire this one", k->name);
		return;
	case FT_REF:
	case FT_LINE:
	case FT_TEXT: *(const char **)AT(rec, pf) = arena_strdup(a, v); return;
	case FT_REFS:
	case FT_LINES:
		/* one empty value clears the list */
		set_strings(a, rec, pf, values, n == 1 && v[0] == '\0' ? 0 : n);
		return;
	case FT_ENUM: {
		const struct fw_word *w = fw_word_find(f, v, true);
		if (w == NULL) {
			fw_problem(c->problems, c->path, f->name, "'%s' is not one of %s",
			           fw_quote(a, v), fw_words_list(f, words, sizeof(words)));
			return;
		}
		*(int *)AT(rec, pf) = w->value;
		return;
	}
	case FT_NUMBER:
		if (!parse_double(v, &d)) {
			fw_problem(c->problems, c->path, f->name,
			           "'%s' is not a number: write e.g. 2.5", fw_quote(a, v));
			return;
		}
		*(double *)AT(rec, pf) = d;
		return;
	case FT_INT: {
		char *end;
		unsigned long u;

		errno = 0;
		u = strtoul(v, &end, 10);
		if (!isdigit((unsigned char)v[0]) || *end != '\0' || errno ||
		    u > (unsigned long)f->max) {
			fw_problem(c->problems, c->path, f->name,
			           "'%s' is not a whole number from %.15g to %.15g", fw_quote(a, v),
			           f->min, f->max);
			return;
		}
		*(uint32_t *)AT(rec, pf) = (uint32_t)u;
		return;
	}
	case FT_BOOL:
		if (strcmp(v, "yes") == 0 || strcmp(v, "true") == 0)
			*(protobuf_c_boolean *)AT(rec, pf) = 1;
		else if (strcmp(v, "no") == 0 || strcmp(v, "false") == 0)
			*(protobuf_c_boolean *)AT(rec, pf) = 0;
		else
			fw_problem(c->problems, c->path, f->name, "'%s' is not yes or no",
			           fw_quote(a, v));
		return;
	case FT_TARGETS: set_targets_text(c, rec, pf, f, values, n); return;
	case FT_BASELINE: {
		char *period;
		const char *val;

		if (strcmp(v, "none") == 0) {
			*(Pmif__Baseline **)AT(rec, pf) = NULL;
			return;
		}
		if (!split_pair(a, v, &period, &val) || !parse_double(val, &d)) {
			fw_problem(c->problems, c->path, f->name,
			           "'%s' is not PERIOD=VALUE: write e.g. 2019-20=78.2, or none",
			           fw_quote(a, v));
			return;
		}
		*(Pmif__Baseline **)AT(rec, pf) = new_baseline(a, period, d);
		return;
	}
	}
}

/* ---------------------------------------------------------- checking */

static const char *article(const char *noun)
{
	return strchr("aeiou", noun[0]) ? "an" : "a";
}

static void check_id_text(struct fw_check *c, const struct fw_kind *k, const char *field,
                          const char *id)
{
	size_t len = strlen(id);
	bool ok = len > 0 && len <= k->id_max &&
	          (k->lower_id ? islower((unsigned char)id[0]) : isupper((unsigned char)id[0]));

	for (size_t i = 0; ok && i < len; i++) {
		unsigned char ch = (unsigned char)id[i];
		ok = (k->lower_id ? islower(ch) : isupper(ch)) || isdigit(ch) || ch == '-';
	}
	if (len == 0)
		fw_problem(c->problems, c->path, field, "is missing: every %s needs an id",
		           k->name);
	else if (!ok)
		fw_problem(c->problems, c->path, field,
		           "'%s' is not %s %s id: use 1 to %zu of %s, 0-9 and '-', starting with a "
		           "letter",
		           fw_quote(c->arena, id), article(k->name), k->name, k->id_max,
		           k->lower_id ? "a-z" : "A-Z");
}

static void check_ref(struct fw_check *c, const char *field, fw_kind_id kind, const char *id)
{
	const struct fw_kind *rk = fw_kind(kind);
	const char *why = "";
	bool missing = false;

	if (c->lookup == NULL || c->lookup(c->arg, kind, id, &why, &missing) != NULL)
		return;
	if (missing) {
		c->problems->n_unknown_ref++;
		fw_problem(c->problems, c->path, field, "there is no %s '%s'%s", rk->name,
		           fw_quote(c->arena, id), why);
	} else {
		fw_problem(c->problems, c->path, field,
		           "%s '%s' is retired: restore it first, or name another", rk->name,
		           fw_quote(c->arena, id));
	}
}

static void check_text(struct fw_check *c, const char *field, const struct fw_field *f,
                       const char *s)
{
	size_t len = strlen(s);

	if (len > f->max_len) {
		fw_problem(c->problems, c->path, field,
		           "is %zu bytes long, more than the %zu allowed: shorten it", len,
		           f->max_len);
		return;
	}
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if ((ch < 0x20 && !(f->type == FT_TEXT && (ch == '\n' || ch == '\t'))) ||
		    ch == 0x7f) {
			fw_problem(c->problems, c->path, field,
			           "holds a control character (byte %u): use plain text%s", ch,
			           f->type == FT_TEXT ? "" : " on one line");
			return;
		}
	}
}

static void check_number(struct fw_check *c, const char *field, double v, double min, double max)
{
	if (!isfinite(v))
		fw_problem(c->problems, c->path, field, "is not a finite number: give a number");
	else if (v < min && min == 0)
		fw_problem(c->problems, c->path, field, "%.15g is negative: it must be 0 or more",
		           v);
	else if (v < min || v > max)
		fw_problem(c->problems, c->path, field,
		           "%.15g is outside the allowed %.15g to %.15g", v, min, max);
}

static void check_field(struct fw_check *c, const struct fw_kind *k, const ProtobufCMessage *rec,
                        const struct fw_field *f)
{
	const ProtobufCFieldDescriptor *pf = pbfield(k->desc, f->name);
	char sub[96], words[256];

	switch (f->type) {
	case FT_ID: check_id_text(c, k, f->name, *(char **)AT(rec, pf)); return;
	case FT_REF: {
		const char *id = *(char **)AT(rec, pf);
		if (id[0])
			check_ref(c, f->name, f->ref, id);
		else if (f->flags & FF_REQUIRED)
			fw_problem(c->problems, c->path, f->name,
			           "is missing: give the id of %s %s",
			           article(fw_kind(f->ref)->name), fw_kind(f->ref)->name);
		return;
	}
	case FT_REFS:
	case FT_LINES: {
		char **vals = *(char ***)AT(rec, pf);
		size_t n = COUNT(rec, pf);

		if (n > f->max_n) {
			fw_problem(c->problems, c->path, f->name,
			           "has %zu entries, more than the %zu allowed", n, f->max_n);
			return;
		}
		for (size_t i = 0; i < n; i++) {
			snprintf(sub, sizeof(sub), "%s[%zu]", f->name, i);
			if (vals[i][0] == '\0') {
				fw_problem(c->problems, c->path, sub,
				           "is empty: remove it or fill it in");
				continue;
			}
			if (f->type == FT_LINES) {
				check_text(c, sub, f, vals[i]);
				continue;
			}
			for (size_t j = 0; j < i; j++)
				if (strcmp(vals[i], vals[j]) == 0) {
					fw_problem(c->problems, c->path, sub,
					           "'%s' is listed twice: give each once",
					           fw_quote(c->arena, vals[i]));
					goto next;
				}
			check_ref(c, sub, f->ref, vals[i]);
		next:;
		}
		return;
	}
	case FT_LINE:
	case FT_TEXT: {
		const char *s = *(char **)AT(rec, pf);
		if (s[0] == '\0' && (f->flags & FF_REQUIRED))
			fw_problem(c->problems, c->path, f->name, "is missing: every %s needs one",
			           k->name);
		else
			check_text(c, f->name, f, s);
		return;
	}
	case FT_ENUM: {
		int v = *(int *)AT(rec, pf);
		if (v == 0 && (f->flags & FF_REQUIRED))
			fw_problem(c->problems, c->path, f->name, "is missing: give one of %s",
			           fw_words_list(f, words, sizeof(words)));
		else if (v != 0 && strcmp(fw_word(f, v), "?") == 0)
			fw_problem(c->problems, c->path, f->name,
			           "has the unknown value %d: give one of %s", v,
			           fw_words_list(f, words, sizeof(words)));
		return;
	}
	case FT_NUMBER: check_number(c, f->name, *(double *)AT(rec, pf), f->min, f->max); return;
	case FT_INT: {
		uint32_t v = *(uint32_t *)AT(rec, pf);
		if (v < f->min || v > f->max)
			fw_problem(c->problems, c->path, f->name,
			           "%u is outside the allowed %.15g to %.15g", v, f->min, f->max);
		return;
	}
	case FT_BOOL: return;
	case FT_TARGETS: {
		Pmif__Target **ts = *(Pmif__Target ***)AT(rec, pf);
		size_t n = COUNT(rec, pf);

		if (n > f->max_n)
			fw_problem(c->problems, c->path, f->name,
			           "has %zu years, more than the %zu allowed", n, f->max_n);
		for (size_t i = 0; i < n && i <= f->max_n; i++) {
			snprintf(sub, sizeof(sub), "%s.%s", f->name,
			         fw_quote(c->arena, ts[i]->year));
			if (!parse_year(c, sub, ts[i]->year))
				continue;
			if (i > 0 && strcmp(ts[i]->year, ts[i - 1]->year) == 0)
				fw_problem(c->problems, c->path, sub,
				           "is given twice: give each year once");
			check_number(c, sub, ts[i]->value, -FW_NUMBER_LIMIT, FW_NUMBER_LIMIT);
		}
		return;
	}
	case FT_BASELINE: {
		const Pmif__Baseline *b = *(Pmif__Baseline **)AT(rec, pf);
		struct pmif_period p;
		char msg[PMIF_PERIOD_MSGLEN];

		if (b == NULL)
			return;
		if (pmif_period_parse(b->period, &p, msg, sizeof(msg)) != 0)
			fw_problem(c->problems, c->path, "baseline.period", "%s", msg);
		check_number(c, "baseline.value", b->value, -FW_NUMBER_LIMIT, FW_NUMBER_LIMIT);
		return;
	}
	}
}

void fw_check_record(struct fw_check *c, const struct fw_kind *k, const ProtobufCMessage *rec)
{
	size_t before = c->problems->n;

	for (const struct fw_field *f = k->fields; f->name; f++)
		if (!(c->skip & (1u << (f - k->fields))))
			check_field(c, k, rec, f);
	/* rules across fields only make sense once each field is sound */
	if (k->check && c->problems->n == before && c->skip == 0)
		k->check(c, rec);
}

/* A value in the measure's unit: percentages 0-100, counts, rates and
 * days not negative. */
