/*
 * framework_load.c - a whole framework definition from a JSON file
 * (deploy/framework/gateshead.json is the reference), for the
 * FrameworkLoad RPC and for 'pmifd init --framework'.
 *
 * Two steps.  fw_parse() reads and checks the file whole, without the
 * store: every problem is collected (by JSON path, or line and column for
 * a syntax error) and one problem refuses the file, so nothing is written
 * unless all of it is sound; references are resolved within the file.
 * fw_apply() then makes the store say what the file says, in the caller's
 * write transaction: records new to the store are added, records that
 * differ are changed (the reply names the fields), and records the file no
 * longer has are deleted when nothing refers to them and retired when
 * something does.  Loading the same file again writes nothing.
 *
 * The RPC parses in its prepare step (on a worker) so the writer thread
 * only diffs and writes.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "framework.h"
#include "period.h"
#include "periods_store.h"

#define NAME_MAX_LEN  200
#define NOTES_MAX_LEN 16000
#define MAX_YEARS     50

struct parser {
	struct arena *a;
	struct fw_problems *p;
	struct fw_model *m;
	size_t cap[FW_NKINDS + 1];
	const char **paths[FW_NKINDS + 1]; /* where each record is, for messages */
	uint32_t *refused[FW_NKINDS + 1];  /* fields refused while reading (fw_check.skip) */
};

/* "id, title, objective, ..." of the keys a record of @p k may have. */
static const char *field_names(struct arena *a, const struct fw_kind *k, bool nested)
{
	char buf[512];
	size_t len = 0;

	buf[0] = '\0';
	for (const struct fw_field *f = k->fields; f->name && len < sizeof(buf); f++)
		if (!(nested && (f->flags & FF_PARENT)))
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
			                        f == k->fields ? "" : ", ", f->name);
	if (k->kind == FW_OBJECTIVE && len < sizeof(buf))
		snprintf(buf + len, sizeof(buf) - len, ", outcomes, interventions");
	return arena_strdup(a, buf);
}

static int push(struct parser *ps, fw_kind_id kind, ProtobufCMessage *rec, const char *path,
                uint32_t refused)
{
	struct fw_model *m = ps->m;

	if (m->n[kind] == ps->cap[kind]) {
		size_t n = m->n[kind], cap = arena_next_cap(ps->cap[kind], 16);
		ProtobufCMessage **recs = arena_regrow(ps->a, m->recs[kind], n, cap, sizeof(*recs));
		const char **paths = arena_regrow(ps->a, ps->paths[kind], n, cap, sizeof(*paths));
		uint32_t *bad = arena_regrow(ps->a, ps->refused[kind], n, cap, sizeof(*bad));

		if (recs == NULL || paths == NULL || bad == NULL)
			return PMIF_ENOMEM;
		m->recs[kind] = recs;
		ps->paths[kind] = paths;
		ps->refused[kind] = bad;
		ps->cap[kind] = cap;
	}
	m->recs[kind][m->n[kind]] = rec;
	ps->paths[kind][m->n[kind]] = path;
	ps->refused[kind][m->n[kind]] = refused;
	m->n[kind]++;
	fw_set_position(rec, (uint32_t)m->n[kind]);
	return 0;
}

/* One record of @p kind from the object @p obj at @p path; @p parent is the
 * enclosing objective's id for outcomes and interventions. */
static int parse_record(struct parser *ps, fw_kind_id kind, json_t *obj, const char *path,
                        const char *parent)
{
	const struct fw_kind *k = fw_kind(kind);
	struct fw_check c = {.problems = ps->p, .arena = ps->a, .path = path};
	ProtobufCMessage *rec;
	const char *key;
	json_t *v;
	uint32_t refused = 0;

	if (!json_is_object(obj)) {
		fw_problem(ps->p, path, NULL, "must be an object { ... } describing %s %s",
		           strchr("aeiou", k->name[0]) ? "an" : "a", k->name);
		return 0;
	}
	rec = fw_new(ps->a, k);
	if (rec == NULL)
		return PMIF_ENOMEM;
	json_object_foreach(obj, key, v)
	{
		const struct fw_field *f = fw_field(k, key);

		if (kind == FW_OBJECTIVE &&
		    (strcmp(key, "outcomes") == 0 || strcmp(key, "interventions") == 0))
			continue; /* the caller's */
		size_t before = ps->p->n;

		if (f == NULL || strcmp(f->name, key) != 0 || (parent && (f->flags & FF_PARENT))) {
			if (f && parent && (f->flags & FF_PARENT))
				fw_problem(ps->p, path, key,
				           "comes from the objective this sits under: remove it");
			else
				fw_problem(ps->p, path, fw_quote(ps->a, key),
				           "is not a field of %s %s: the fields are %s",
				           strchr("aeiou", k->name[0]) ? "an" : "a", k->name,
				           field_names(ps->a, k, parent != NULL));
			continue;
		}
		fw_set_json(&c, k, rec, f, v);
		if (ps->p->n != before)
			refused |= 1u << (f - k->fields);
	}
	if (parent)
		for (const struct fw_field *f = k->fields; f->name; f++)
			if (f->flags & FF_PARENT) {
				char *vals[1] = {(char *)parent};
				fw_set_text(&c, k, rec, f, vals, 1);
			}
	return push(ps, kind, rec, path, refused);
}

/* The array @p key of @p obj, each element a record of @p kind. */
static int parse_array(struct parser *ps, json_t *obj, const char *key, const char *prefix,
                       fw_kind_id kind, const char *parent)
{
	json_t *arr = json_object_get(obj, key), *el;
	const char *path = prefix ? arena_printf(ps->a, "%s.%s", prefix, key) : key;
	size_t i;
	int rc;

	if (arr == NULL) {
		if (parent == NULL) /* nested lists may be left out; top-level ones not */
			fw_problem(
			    ps->p, path, NULL,
			    "is missing: give the list, [] if empty (a file without it would "
			    "retire every %s)",
			    fw_kind(kind)->name);
		return 0;
	}
	if (!json_is_array(arr)) {
		fw_problem(ps->p, path, NULL, "must be a list [ ... ] of %s",
		           fw_kind(kind)->plural);
		return 0;
	}
	json_array_foreach(arr, i, el)
	{
		const char *elpath = arena_printf(ps->a, "%s[%zu]", path, i);

		if (elpath == NULL)
			return PMIF_ENOMEM;
		rc = parse_record(ps, kind, el, elpath, parent);
		if (rc != 0)
			return rc;
		if (kind == FW_OBJECTIVE && json_is_object(el)) {
			const char *id = fw_id(ps->m->recs[kind][ps->m->n[kind] - 1]);
			if ((rc = parse_array(ps, el, "outcomes", elpath, FW_OUTCOME, id)) != 0 ||
			    (rc = parse_array(ps, el, "interventions", elpath, FW_INTERVENTION,
			                      id)) != 0)
				return rc;
		}
	}
	return 0;
}

static void parse_year_field(struct parser *ps, json_t *periods, const char *key,
                             struct pmif_period *out, char **text)
{
	json_t *v = json_object_get(periods, key);
	char msg[PMIF_PERIOD_MSGLEN];

	if (!json_is_string(v)) {
		fw_problem(ps->p, "periods", key,
		           "must be a financial year in double quotes, e.g. \"2021-22\"");
		return;
	}
	if (pmif_period_parse(json_string_value(v), out, msg, sizeof(msg)) != 0) {
		fw_problem(ps->p, "periods", key, "%s", msg);
		return;
	}
	if (out->kind != PMIF_PERIOD_YEAR) {
		fw_problem(ps->p, "periods", key, "'%s' is a %s: give a financial year, e.g. %.7s",
		           json_string_value(v),
		           pmif_period_kind_name((enum pmif_period_kind)out->kind),
		           json_string_value(v));
		out->kind = 0;
		return;
	}
	*text = arena_strdup(ps->a, json_string_value(v));
}

static void parse_periods(struct parser *ps, json_t *root)
{
	json_t *periods = json_object_get(root, "periods"), *v;
	const char *key;

	if (!json_is_object(periods)) {
		fw_problem(ps->p, "periods", NULL,
		           "must be an object like {\"first_year\": \"2019-20\", \"last_year\": "
		           "\"2024-25\"}");
		return;
	}
	json_object_foreach(periods, key,
	                    v) if (strcmp(key, "first_year") != 0 && strcmp(key, "last_year") != 0)
	    fw_problem(ps->p, "periods", NULL,
	               "'%s' is not a field here: give only first_year and last_year",
	               fw_quote(ps->a, key));
	parse_year_field(ps, periods, "first_year", &ps->m->first_year, &ps->m->info->first_year);
	parse_year_field(ps, periods, "last_year", &ps->m->last_year, &ps->m->info->last_year);
	if (ps->m->first_year.kind && ps->m->last_year.kind) {
		if (pmif_period_compare(&ps->m->first_year, &ps->m->last_year) > 0)
			fw_problem(ps->p, "periods", "last_year",
			           "%s is before first_year %s: swap them", ps->m->info->last_year,
			           ps->m->info->first_year);
		else if (ps->m->last_year.year - ps->m->first_year.year >= MAX_YEARS)
			fw_problem(ps->p, "periods", "last_year",
			           "the years span more than %d: load a shorter range", MAX_YEARS);
	}
}

static void parse_text(struct parser *ps, json_t *root, const char *key, size_t max, bool required,
                       char **out)
{
	json_t *v = json_object_get(root, key);
	const char *s;

	if (v == NULL && !required)
		return;
	if (!json_is_string(v) || (required && json_string_length(v) == 0)) {
		fw_problem(ps->p, key, NULL, "must be %stext in double quotes",
		           required ? "non-empty " : "");
		return;
	}
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v) || json_string_length(v) > max)
		fw_problem(ps->p, key, NULL, "must be at most %zu bytes of text", max);
	else
		*out = arena_strdup(ps->a, s);
}

static int by_id(const void *x, const void *y)
{
	return strcmp(fw_id(*(ProtobufCMessage *const *)x), fw_id(*(ProtobufCMessage *const *)y));
}

ProtobufCMessage *fw_model_find(const struct fw_model *m, fw_kind_id kind, const char *id)
{
	size_t lo = 0, hi = m->n[kind];

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(id, fw_id(m->by_id[kind][mid]));
		if (c == 0)
			return m->by_id[kind][mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const ProtobufCMessage *model_lookup(void *arg, fw_kind_id kind, const char *id,
                                            const char **why, bool *missing)
{
	const ProtobufCMessage *rec = fw_model_find(arg, kind, id);

	*missing = rec == NULL;
	*why = " in the file: add it, or correct the id";
	return rec;
}

/* Sort each kind by id, report duplicate ids, then check every record. */
static int check_model(struct parser *ps)
{
	struct fw_model *m = ps->m;

	for (int kind = 1; kind <= FW_NKINDS; kind++) {
		size_t n = m->n[kind];

		m->by_id[kind] = n ? ARENA_ARRAY(ps->a, ProtobufCMessage *, n) : NULL;
		if (n && m->by_id[kind] == NULL)
			return PMIF_ENOMEM;
		if (n)
			memcpy(m->by_id[kind], m->recs[kind], sizeof(ProtobufCMessage *) * n);
		if (n)
			qsort(m->by_id[kind], n, sizeof(ProtobufCMessage *), by_id);
		for (size_t i = 1; i < n; i++) {
			/* positions are 1 + the index in file order (push) */
			uint32_t p1 = fw_position(m->by_id[kind][i - 1]);
			uint32_t p2 = fw_position(m->by_id[kind][i]);
			const char *id = fw_id(m->by_id[kind][i]);

			if (id[0] == '\0' || strcmp(id, fw_id(m->by_id[kind][i - 1])) != 0)
				continue;
			fw_problem(ps->p, ps->paths[kind][(p1 > p2 ? p1 : p2) - 1], "id",
			           "'%s' is also the id of %s: ids must be unique", id,
			           ps->paths[kind][(p1 < p2 ? p1 : p2) - 1]);
		}
		m->total += n;
	}
	for (int kind = 1; kind <= FW_NKINDS; kind++)
		for (size_t i = 0; i < m->n[kind]; i++) {
			struct fw_check c = {.problems = ps->p,
			                     .arena = ps->a,
			                     .path = ps->paths[kind][i],
			                     .lookup = model_lookup,
			                     .arg = m,
			                     .skip = ps->refused[kind][i]};
			fw_check_record(&c, fw_kind((fw_kind_id)kind), m->recs[kind][i]);
		}
	return 0;
}

/* A jansson message quoting the input: control bytes made '?'. */
static void clean(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

int fw_parse(struct arena *a, const char *text, size_t len, struct fw_model *out,
             struct fw_problems *problems)
{
	static const char *const top[] = {"name",         "notes",      "periods",
	                                  "directorates", "localities", "committees",
	                                  "objectives",   "measures",   NULL};
	static const struct {
		const char *key;
		fw_kind_id kind;
	} arrays[] = {{"directorates", FW_DIRECTORATE},
	              {"localities", FW_LOCALITY},
	              {"committees", FW_COMMITTEE},
	              {"objectives", FW_OBJECTIVE},
	              {"measures", FW_MEASURE}};
	struct fw_model m = {0};
	struct parser ps = {.a = a, .p = problems, .m = &m};
	json_error_t err;
	json_t *root, *v;
	const char *key;
	int rc = 0;

	root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		clean(err.text);
		fw_problem(problems, NULL, NULL,
		           "line %d, column %d: %s: the file is not valid JSON there, fix it",
		           err.line, err.column, err.text);
		return PMIF_EINVAL;
	}
	m.info = ARENA_NEW(a, Pmif__FrameworkInfo);
	if (m.info == NULL) {
		json_decref(root);
		return PMIF_ENOMEM;
	}
	pmif__framework_info__init(m.info);
	if (!json_is_object(root)) {
		fw_problem(problems, NULL, NULL,
		           "the file must hold one JSON object { \"name\": ..., \"objectives\": "
		           "[...], ... }");
		json_decref(root);
		return PMIF_EINVAL;
	}
	json_object_foreach(root, key, v)
	{
		size_t i;
		for (i = 0; top[i] && strcmp(top[i], key) != 0; i++)
			;
		if (top[i] == NULL)
			fw_problem(
			    problems, NULL, NULL,
			    "'%s' is not a part of a framework file: the parts are name, notes, "
			    "periods, directorates, localities, committees, objectives, measures",
			    fw_quote(a, key));
	}
	parse_text(&ps, root, "name", NAME_MAX_LEN, true, &m.info->name);
	parse_text(&ps, root, "notes", NOTES_MAX_LEN, false, &m.info->notes);
	parse_periods(&ps, root);
	for (size_t i = 0; rc == 0 && i < sizeof(arrays) / sizeof(arrays[0]); i++)
		rc = parse_array(&ps, root, arrays[i].key, NULL, arrays[i].kind, NULL);
	json_decref(root);
	if (rc == 0)
		rc = check_model(&ps);
	if (rc != 0)
		return rc;
	if (problems->n)
		return PMIF_EINVAL;
	*out = m;
	return 0;
}

/* ---------------------------------------------------------- applying */

struct change_list {
	Pmif__FrameworkLoadChange **v;
	size_t n, cap;
};

struct apply {
	struct op_ctx *op;
	const struct fw_model *m;
	struct change_list added, changed, retired, deleted;
	uint32_t reordered;
};

static int note(struct apply *ap, struct change_list *l, const struct fw_kind *k, const char *id,
                const char **fields, size_t n)
{
	struct arena *a = ap->op->arena;
	Pmif__FrameworkLoadChange *c = ARENA_NEW(a, Pmif__FrameworkLoadChange);

	if (c == NULL)
		return op_fail(ap->op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__framework_load_change__init(c);
	c->kind = k->kind;
	c->id = (char *)id;
	c->fields = n ? arena_memdup(a, fields, sizeof(char *) * n) : NULL;
	c->n_fields = c->fields ? n : 0;
	if (l->n == l->cap) {
		size_t cap = arena_next_cap(l->cap, 16);
		Pmif__FrameworkLoadChange **grown =
		    arena_regrow(a, l->v, l->n, cap, sizeof(*grown));
		if (grown == NULL)
			return op_fail(ap->op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
		l->v = grown;
		l->cap = cap;
	}
	l->v[l->n++] = c;
	return 0;
}

/* Add or update every record of the file. */
static int apply_records(struct apply *ap, const struct fw_kind *k)
{
	struct op_ctx *op = ap->op;

	for (size_t i = 0; i < ap->m->n[k->kind]; i++) {
		ProtobufCMessage *rec = ap->m->recs[k->kind][i], *old;
		const char *fields[32];
		size_t n;
		int rc = fw_find(op, k, fw_id(rec), &old);

		if (rc == PMIF_ENOTFOUND) {
			if (fw_put(op, k, NULL, rec) || fw_audit(op, k, fw_id(rec), NULL, rec) ||
			    note(ap, &ap->added, k, fw_id(rec), NULL, 0))
				return op->code;
			continue;
		}
		if (rc != 0)
			return op_fail(op, PMIF__CODE__INTERNAL,
			               "the framework store could not be read");
		n = fw_diff(k, old, rec, fields, 31);
		if (fw_retired(old))
			fields[n++] = "retired";
		if (n == 0 && fw_position(old) == fw_position(rec))
			continue;
		if (fw_put(op, k, old, rec) || fw_audit(op, k, fw_id(rec), old, rec))
			return op->code;
		if (n == 0)
			ap->reordered++;
		else if (note(ap, &ap->changed, k, fw_id(rec), fields, n))
			return op->code;
	}
	return 0;
}

/* Retire or delete every stored record of @p k the file does not have. */
static int remove_absent(struct apply *ap, const struct fw_kind *k)
{
	struct op_ctx *op = ap->op;
	ProtobufCMessage **recs;
	size_t n;

	if (fw_list(op, k, NULL, 0, true, &recs, &n) != 0)
		return op->code;
	for (size_t i = 0; i < n; i++) {
		const char *id = fw_id(recs[i]), *what;
		ProtobufCMessage *rec;

		if (fw_model_find(ap->m, k->kind, id))
			continue;
		if (fw_referrer(op, k, id, false, &what) != 0)
			return op->code;
		if (what == NULL) {
			if (fw_delete(op, k, recs[i]) || fw_audit(op, k, id, recs[i], NULL) ||
			    note(ap, &ap->deleted, k, id, NULL, 0))
				return op->code;
		} else if (!fw_retired(recs[i])) {
			rec = fw_copy(op->arena, recs[i]);
			if (rec == NULL)
				return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
			fw_set_retired(rec, true);
			if (fw_put(op, k, recs[i], rec) || fw_audit(op, k, id, recs[i], rec) ||
			    note(ap, &ap->retired, k, id, &what, 1))
				return op->code;
		}
	}
	return 0;
}

static int apply_info(struct op_ctx *op, const Pmif__FrameworkInfo *want,
                      Pmif__FrameworkLoadReply *r)
{
	Pmif__FrameworkInfo *have;
	const char *changed[4];
	size_t n = 0;

	if (fw_info_get(op, &have) != 0)
		return op->code;
	if (strcmp(have->name, want->name) != 0)
		changed[n++] = "name";
	if (strcmp(have->notes, want->notes) != 0)
		changed[n++] = "notes";
	if (strcmp(have->first_year, want->first_year) != 0)
		changed[n++] = "first_year";
	if (strcmp(have->last_year, want->last_year) != 0)
		changed[n++] = "last_year";
	if (n == 0)
		return 0;
	r->info_changed = arena_memdup(op->arena, changed, sizeof(char *) * n);
	r->n_info_changed = r->info_changed ? n : 0;
	return fw_info_put(op, want);
}

int fw_apply(struct op_ctx *op, const struct fw_model *m, Pmif__FrameworkLoadReply **out)
{
	struct apply ap = {.op = op, .m = m};
	Pmif__FrameworkLoadReply *r = ARENA_NEW(op->arena, Pmif__FrameworkLoadReply);

	if (r == NULL)
		return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	pmif__framework_load_reply__init(r);
	for (int i = 0; i < FW_NKINDS; i++)
		if (apply_records(&ap, fw_kind(fw_order[i])) != 0)
			return op->code;
	/* referrers first, so what they alone kept in use can go too */
	for (int i = FW_NKINDS - 1; i >= 0; i--)
		if (remove_absent(&ap, fw_kind(fw_order[i])) != 0)
			return op->code;
	if (periods_ensure(op, &m->first_year, &m->last_year, &r->periods_added) != 0 ||
	    apply_info(op, m->info, r) != 0)
		return op->code;
	r->name = m->info->name;
	r->records = (uint32_t)m->total;
	r->added = ap.added.v;
	r->n_added = ap.added.n;
	r->changed = ap.changed.v;
	r->n_changed = ap.changed.n;
	r->retired = ap.retired.v;
	r->n_retired = ap.retired.n;
	r->deleted = ap.deleted.v;
	r->n_deleted = ap.deleted.n;
	r->reordered = ap.reordered;
	*out = r;
	return 0;
}
