/*
 * framework_kinds.c - the table of framework record kinds and their
 * fields (framework.h), generic access to a record's id, position and
 * retired flag, the problem list every check writes to, and comparing two
 * records field by field.  The rules across a measure's fields live here
 * beside its table entry.  Pure: nothing here touches the store.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "framework.h"

/* ---------------------------------------------------------- the table */

static const struct fw_word committee_kinds[] = {
    {"cabinet", PMIF__COMMITTEE__KIND__CABINET}, {"osc", PMIF__COMMITTEE__KIND__OSC}, {0}};
static const struct fw_word objective_kinds[] = {{"policy", PMIF__OBJECTIVE__KIND__POLICY},
                                                 {"scorecard", PMIF__OBJECTIVE__KIND__SCORECARD},
                                                 {0}};
static const struct fw_word measure_kinds[] = {{"strategic", PMIF__MEASURE__KIND__STRATEGIC},
                                               {"operational", PMIF__MEASURE__KIND__OPERATIONAL},
                                               {0}};
static const struct fw_word units[] = {{"count", PMIF__MEASURE__UNIT__COUNT},
                                       {"percent", PMIF__MEASURE__UNIT__PERCENT},
                                       {"rate_per_1000", PMIF__MEASURE__UNIT__RATE_PER_1000},
                                       {"days", PMIF__MEASURE__UNIT__DAYS},
                                       {"gbp", PMIF__MEASURE__UNIT__GBP},
                                       {"score", PMIF__MEASURE__UNIT__SCORE},
                                       {0}};
static const struct fw_word polarities[] = {{"higher", PMIF__MEASURE__POLARITY__HIGHER},
                                            {"lower", PMIF__MEASURE__POLARITY__LOWER},
                                            {"none", PMIF__MEASURE__POLARITY__NONE},
                                            {0}};
static const struct fw_word frequencies[] = {{"quarterly", PMIF__MEASURE__FREQUENCY__QUARTERLY},
                                             {"six-monthly", PMIF__MEASURE__FREQUENCY__SIX_MONTHLY},
                                             {"annual", PMIF__MEASURE__FREQUENCY__ANNUAL},
                                             {0}};

#define F_ID                                                                                       \
	{                                                                                          \
		.name = "id", .type = FT_ID, .flags = FF_REQUIRED                                  \
	}
#define F_SOURCE                                                                                   \
	{                                                                                          \
		.name = "source", .type = FT_LINE, .max_len = 100                                  \
	}

static const struct fw_field directorate_fields[] = {
    F_ID, {.name = "name", .type = FT_LINE, .flags = FF_REQUIRED, .max_len = 200}, F_SOURCE, {0}};

static const struct fw_field locality_fields[] = {
    F_ID, {.name = "name", .type = FT_LINE, .flags = FF_REQUIRED, .max_len = 200}, F_SOURCE, {0}};

static const struct fw_field committee_fields[] = {
    F_ID,
    {.name = "name", .type = FT_LINE, .flags = FF_REQUIRED, .max_len = 200},
    {.name = "kind", .type = FT_ENUM, .flags = FF_REQUIRED, .words = committee_kinds},
    {.name = "objectives", .type = FT_REFS, .ref = FW_OBJECTIVE, .max_n = 64},
    F_SOURCE,
    {0}};

static const struct fw_field objective_fields[] = {
    F_ID,
    {.name = "kind", .type = FT_ENUM, .flags = FF_REQUIRED, .words = objective_kinds},
    {.name = "title", .type = FT_LINE, .flags = FF_REQUIRED, .max_len = 500},
    F_SOURCE,
    {0}};

static const struct fw_field outcome_fields[] = {
    F_ID,
    {.name = "objective", .type = FT_REF, .flags = FF_REQUIRED | FF_PARENT, .ref = FW_OBJECTIVE},
    {.name = "text", .type = FT_LINE, .flags = FF_REQUIRED, .max_len = 1000},
    {0}};

static const struct fw_field intervention_fields[] = {
    F_ID,
    {.name = "objective", .type = FT_REF, .flags = FF_REQUIRED | FF_PARENT, .ref = FW_OBJECTIVE},
    {.name = "title", .type = FT_LINE, .flags = FF_REQUIRED, .max_len = 1000},
    {.name = "items", .type = FT_LINES, .max_len = 1000, .max_n = 50},
    {.name = "directorate", .type = FT_REF, .flags = FF_REQUIRED, .ref = FW_DIRECTORATE},
    {0}};

static const struct fw_field measure_fields[] = {
    F_ID,
    {.name = "title", .type = FT_LINE, .flags = FF_REQUIRED, .max_len = 500},
    {.name = "objective", .type = FT_REF, .flags = FF_REQUIRED, .ref = FW_OBJECTIVE},
    {.name = "outcome", .type = FT_REF, .ref = FW_OUTCOME},
    {.name = "kind", .type = FT_ENUM, .flags = FF_REQUIRED, .words = measure_kinds},
    {.name = "unit", .type = FT_ENUM, .flags = FF_REQUIRED, .words = units},
    {.name = "polarity", .type = FT_ENUM, .flags = FF_REQUIRED, .words = polarities},
    {.name = "frequency", .type = FT_ENUM, .flags = FF_REQUIRED, .words = frequencies},
    {.name = "directorate", .type = FT_REF, .flags = FF_REQUIRED, .ref = FW_DIRECTORATE},
    {.name = "committees", .type = FT_REFS, .ref = FW_COMMITTEE, .max_n = 32},
    {.name = "by_locality", .type = FT_BOOL},
    {.name = "baseline", .type = FT_BASELINE},
    {.name = "targets", .type = FT_TARGETS, .max_n = 100},
    {.name = "tolerance", .type = FT_NUMBER, .min = 0, .max = FW_NUMBER_LIMIT},
    {.name = "decimals", .type = FT_INT, .min = 0, .max = 6},
    F_SOURCE,
    {.name = "description", .type = FT_TEXT, .max_len = 4000},
    {0}};

static void measure_check(struct fw_check *c, const ProtobufCMessage *rec);

static const struct fw_kind kinds[FW_NKINDS + 1] = {
    [FW_DIRECTORATE] = {.kind = FW_DIRECTORATE,
                        .name = "directorate",
                        .plural = "directorates",
                        .db = STORE_DIRECTORATES,
                        .desc = &pmif__directorate__descriptor,
                        .id_max = 24, /* users.c's limit for a user's directorates */
                        .fields = directorate_fields,
                        .extra_use = fw_directorate_users},
    [FW_COMMITTEE] = {.kind = FW_COMMITTEE,
                      .name = "committee",
                      .plural = "committees",
                      .db = STORE_COMMITTEES,
                      .desc = &pmif__committee__descriptor,
                      .id_max = 32,
                      .fields = committee_fields},
    [FW_LOCALITY] = {.kind = FW_LOCALITY,
                     .name = "locality",
                     .plural = "localities",
                     .db = STORE_LOCALITIES,
                     .desc = &pmif__locality__descriptor,
                     .lower_id = true,
                     .id_max = 32,
                     .fields = locality_fields},
    [FW_OBJECTIVE] = {.kind = FW_OBJECTIVE,
                      .name = "objective",
                      .plural = "objectives",
                      .db = STORE_OBJECTIVES,
                      .desc = &pmif__objective__descriptor,
                      .id_max = 32,
                      .fields = objective_fields},
    [FW_OUTCOME] = {.kind = FW_OUTCOME,
                    .name = "outcome",
                    .plural = "outcomes",
                    .db = STORE_OUTCOMES,
                    .desc = &pmif__outcome__descriptor,
                    .id_max = 32,
                    .fields = outcome_fields},
    [FW_INTERVENTION] = {.kind = FW_INTERVENTION,
                         .name = "intervention",
                         .plural = "interventions",
                         .db = STORE_INTERVENTIONS,
                         .desc = &pmif__intervention__descriptor,
                         .id_max = 32,
                         .fields = intervention_fields},
    [FW_MEASURE] = {.kind = FW_MEASURE,
                    .name = "measure",
                    .plural = "measures",
                    .db = STORE_MEASURES,
                    .desc = &pmif__measure__descriptor,
                    .id_max = 32,
                    .fields = measure_fields,
                    .check = measure_check,
                    .extra_use = fw_measure_values},
};

const fw_kind_id fw_order[FW_NKINDS] = {FW_DIRECTORATE, FW_LOCALITY,     FW_OBJECTIVE, FW_OUTCOME,
                                        FW_COMMITTEE,   FW_INTERVENTION, FW_MEASURE};

const struct fw_kind *fw_kind(fw_kind_id kind)
{
	if ((int)kind < 1 || (int)kind > FW_NKINDS)
		return NULL;
	return &kinds[kind];
}

/* Field names compare with '-' and '_' alike (options use '-'). */
static bool same_name(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return false;
	return *a == *b;
}

const struct fw_field *fw_field(const struct fw_kind *k, const char *name)
{
	for (const struct fw_field *f = k->fields; f->name; f++)
		if (same_name(f->name, name))
			return f;
	return NULL;
}

static const ProtobufCFieldDescriptor *pbfield(const ProtobufCMessageDescriptor *d,
                                               const char *name)
{
	return protobuf_c_message_descriptor_get_field_by_name(d, name);
}

int fw_table_check(char *why, size_t cap)
{
	static const struct {
		ProtobufCType type;
		bool repeated;
	} want[] = {
	    [FT_ID] = {PROTOBUF_C_TYPE_STRING, false},
	    [FT_REF] = {PROTOBUF_C_TYPE_STRING, false},
	    [FT_REFS] = {PROTOBUF_C_TYPE_STRING, true},
	    [FT_LINE] = {PROTOBUF_C_TYPE_STRING, false},
	    [FT_TEXT] = {PROTOBUF_C_TYPE_STRING, false},
	    [FT_LINES] = {PROTOBUF_C_TYPE_STRING, true},
	    [FT_ENUM] = {PROTOBUF_C_TYPE_ENUM, false},
	    [FT_NUMBER] = {PROTOBUF_C_TYPE_DOUBLE, false},
	    [FT_INT] = {PROTOBUF_C_TYPE_UINT32, false},
	    [FT_BOOL] = {PROTOBUF_C_TYPE_BOOL, false},
	    [FT_TARGETS] = {PROTOBUF_C_TYPE_MESSAGE, true},
	    [FT_BASELINE] = {PROTOBUF_C_TYPE_MESSAGE, false},
	};
	static const char *const generic[] = {"id", "position", "retired"};

	for (int i = 1; i <= FW_NKINDS; i++) {
		const struct fw_kind *k = &kinds[i];
		const ProtobufCFieldDescriptor *wrap = protobuf_c_message_descriptor_get_field(
		    &pmif__framework_record__descriptor, (unsigned)i);

		if (k->kind != (fw_kind_id)i || wrap == NULL || wrap->descriptor != k->desc) {
			snprintf(why, cap, "kind %d is not FrameworkRecord field %d", i, i);
			return PMIF_ESTATE;
		}
		for (size_t g = 0; g < 3; g++)
			if (pbfield(k->desc, generic[g]) == NULL) {
				snprintf(why, cap, "%s has no field %s", k->desc->name, generic[g]);
				return PMIF_ESTATE;
			}
		if (strcmp(k->fields[0].name, "id") != 0) {
			snprintf(why, cap, "the first field of %s is not its id", k->name);
			return PMIF_ESTATE;
		}
		for (const struct fw_field *f = k->fields; f->name; f++) {
			const ProtobufCFieldDescriptor *pf = pbfield(k->desc, f->name);

			if (f - k->fields >= 32) { /* fw_check.skip is a 32-bit mask */
				snprintf(why, cap, "%s has more than 32 fields", k->name);
				return PMIF_ESTATE;
			}
			if (pf == NULL || pf->type != want[f->type].type ||
			    (pf->label == PROTOBUF_C_LABEL_REPEATED) != want[f->type].repeated) {
				snprintf(why, cap, "%s.%s does not match its field in %s", k->name,
				         f->name, k->desc->name);
				return PMIF_ESTATE;
			}
			if ((f->type == FT_REF || f->type == FT_REFS) && fw_kind(f->ref) == NULL) {
				snprintf(why, cap, "%s.%s refers to no kind", k->name, f->name);
				return PMIF_ESTATE;
			}
		}
	}
	return 0;
}

/* ---------------------------------------------------------- records */

#define AT(rec, pf)    ((char *)(rec) + (pf)->offset)
#define COUNT(rec, pf) (*(size_t *)((char *)(rec) + (pf)->quantifier_offset))

ProtobufCMessage *fw_new(struct arena *a, const struct fw_kind *k)
{
	ProtobufCMessage *m = arena_alloc(a, k->desc->sizeof_message);

	if (m)
		protobuf_c_message_init(k->desc, m);
	return m;
}

ProtobufCMessage *fw_copy(struct arena *a, const ProtobufCMessage *rec)
{
	return arena_memdup(a, rec, rec->descriptor->sizeof_message);
}

const char *fw_id(const ProtobufCMessage *rec)
{
	return *(char **)AT(rec, pbfield(rec->descriptor, "id"));
}

void fw_set_id(ProtobufCMessage *rec, const char *id)
{
	*(const char **)AT(rec, pbfield(rec->descriptor, "id")) = id;
}

bool fw_retired(const ProtobufCMessage *rec)
{
	return *(protobuf_c_boolean *)AT(rec, pbfield(rec->descriptor, "retired"));
}

void fw_set_retired(ProtobufCMessage *rec, bool retired)
{
	*(protobuf_c_boolean *)AT(rec, pbfield(rec->descriptor, "retired")) = retired;
}

uint32_t fw_position(const ProtobufCMessage *rec)
{
	return *(uint32_t *)AT(rec, pbfield(rec->descriptor, "position"));
}

void fw_set_position(ProtobufCMessage *rec, uint32_t pos)
{
	*(uint32_t *)AT(rec, pbfield(rec->descriptor, "position")) = pos;
}

size_t fw_strings(const ProtobufCMessage *rec, const struct fw_field *f, char *const **vals,
                  char **one)
{
	const ProtobufCFieldDescriptor *pf = pbfield(rec->descriptor, f->name);

	if (pf->label == PROTOBUF_C_LABEL_REPEATED) {
		*vals = *(char ***)AT(rec, pf);
		return COUNT(rec, pf);
	}
	*one = *(char **)AT(rec, pf);
	*vals = one;
	return (*one)[0] ? 1 : 0;
}

Pmif__FrameworkRecord *fw_wrap(struct arena *a, const struct fw_kind *k, ProtobufCMessage *rec)
{
	Pmif__FrameworkRecord *r = ARENA_NEW(a, Pmif__FrameworkRecord);
	const ProtobufCFieldDescriptor *pf;

	if (r == NULL)
		return NULL;
	pmif__framework_record__init(r);
	pf = protobuf_c_message_descriptor_get_field(&pmif__framework_record__descriptor,
	                                             (unsigned)k->kind);
	r->record_case = (Pmif__FrameworkRecord__RecordCase)k->kind;
	*(ProtobufCMessage **)((char *)r + pf->offset) = rec;
	return r;
}

/* ---------------------------------------------------------- problems */

void fw_problems_init(struct fw_problems *p, struct arena *a)
{
	memset(p, 0, sizeof(*p));
	p->arena = a;
}

void fw_problem(struct fw_problems *p, const char *path, const char *field, const char *fmt, ...)
{
	char text[768], head[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	head[0] = '\0';
	if (path && path[0] && field && field[0])
		snprintf(head, sizeof(head), "%s.%s: ", path, field);
	else if ((path && path[0]) || (field && field[0]))
		snprintf(head, sizeof(head), "%s: ", path && path[0] ? path : field);
	if (p->n == p->cap) {
		size_t cap = arena_next_cap(p->cap, 16);
		char **grown = arena_regrow(p->arena, p->msg, p->n, cap, sizeof(*grown));
		if (grown == NULL)
			return;
		p->msg = grown;
		p->cap = cap;
	}
	p->msg[p->n] = arena_printf(p->arena, "%s%s", head, text);
	if (p->msg[p->n])
		p->n++;
}

/* Replies are read into a 1024-byte buffer by pmif: keep under it. */
#define FW_MESSAGE_MAX 1000

int fw_problems_fail(struct op_ctx *op, const struct fw_problems *p, const char *intro)
{
	Pmif__Code code =
	    p->n && p->n_unknown_ref == p->n ? PMIF__CODE__NOT_FOUND : PMIF__CODE__INVALID_ARGUMENT;
	char buf[FW_MESSAGE_MAX + 1];
	size_t len, shown = 0;

	if (p->n == 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the request failed for no stated reason");
	if (p->n == 1 && intro == NULL)
		return op_fail(op, code, "%s", p->msg[0]);
	if (intro)
		len = (size_t)snprintf(buf, sizeof(buf), "%s; %zu problem%s:", intro, p->n,
		                       p->n == 1 ? "" : "s");
	else
		len = (size_t)snprintf(buf, sizeof(buf), "%zu problems:", p->n);
	for (size_t i = 0; i < p->n && len < sizeof(buf); i++) {
		size_t need = strlen(p->msg[i]) + 3;
		/* keep room for the "and N more" line */
		if (len + need + (i + 1 < p->n ? 24 : 0) > FW_MESSAGE_MAX)
			break;
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "\n  %s", p->msg[i]);
		shown++;
	}
	if (shown < p->n && len < sizeof(buf))
		snprintf(buf + len, sizeof(buf) - len, "\n  ... and %zu more", p->n - shown);
	return op_fail(op, code, "%s", buf);
}

/* ---------------------------------------------------------- words */

const char *fw_words_list(const struct fw_field *f, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (const struct fw_word *w = f->words; w && w->text && len < cap; w++)
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", w == f->words ? "" : ", ",
		                        w->text);
	return buf;
}

const char *fw_word(const struct fw_field *f, int value)
{
	for (const struct fw_word *w = f->words; w && w->text; w++)
		if (w->value == value)
			return w->text;
	return "?";
}

const struct fw_word *fw_word_find(const struct fw_field *f, const char *text, bool loose)
{
	for (const struct fw_word *w = f->words; w->text; w++)
		if (loose ? same_name(w->text, text) : strcmp(w->text, text) == 0)
			return w;
	return NULL;
}

static void check_in_unit(struct fw_check *c, const char *field, Pmif__Measure__Unit unit, double v)
{
	switch (unit) {
	case PMIF__MEASURE__UNIT__PERCENT:
		if (v < 0 || v > 100)
			fw_problem(
			    c->problems, c->path, field,
			    "%.15g is not a percentage: the unit is percent, so give 0 to 100", v);
		break;
	case PMIF__MEASURE__UNIT__COUNT:
	case PMIF__MEASURE__UNIT__RATE_PER_1000:
	case PMIF__MEASURE__UNIT__DAYS:
		if (v < 0)
			fw_problem(c->problems, c->path, field,
			           "%.15g is negative, which a %s cannot be: give 0 or more", v,
			           unit == PMIF__MEASURE__UNIT__COUNT  ? "count"
			           : unit == PMIF__MEASURE__UNIT__DAYS ? "number of days"
			                                               : "rate");
		break;
	default: break;
	}
}

static void measure_check(struct fw_check *c, const ProtobufCMessage *rec)
{
	const Pmif__Measure *m = (const Pmif__Measure *)rec;
	char sub[64];

	if (m->baseline)
		check_in_unit(c, "baseline.value", m->unit, m->baseline->value);
	for (size_t i = 0; i < m->n_targets; i++) {
		snprintf(sub, sizeof(sub), "targets.%s", m->targets[i]->year);
		check_in_unit(c, sub, m->unit, m->targets[i]->value);
	}
	if (m->polarity == PMIF__MEASURE__POLARITY__NONE && m->n_targets)
		fw_problem(c->problems, c->path, "targets",
		           "a measure with polarity none is context only and is never rated, so it "
		           "cannot have targets: remove them or give a polarity");
	if (m->outcome[0] && c->lookup) {
		const char *why;
		bool missing;
		const Pmif__Outcome *o = (const Pmif__Outcome *)c->lookup(
		    c->arg, FW_OUTCOME, m->outcome, &why, &missing);
		if (o && strcmp(o->objective, m->objective) != 0)
			fw_problem(
			    c->problems, c->path, "outcome",
			    "'%s' is an outcome of %s, not of the measure's objective %s: name "
			    "one of %s's outcomes or none",
			    m->outcome, o->objective, m->objective, m->objective);
	}
}

/* ---------------------------------------------------------- comparing */

static bool pb_equal(const ProtobufCMessage *a, const ProtobufCMessage *b);

static size_t value_size(const ProtobufCFieldDescriptor *f)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_DOUBLE: return sizeof(double);
	case PROTOBUF_C_TYPE_BOOL: return sizeof(protobuf_c_boolean);
	case PROTOBUF_C_TYPE_ENUM: return sizeof(int);
	case PROTOBUF_C_TYPE_STRING: return sizeof(char *);
	case PROTOBUF_C_TYPE_MESSAGE: return sizeof(ProtobufCMessage *);
	default: return 4;
	}
}

/* One value of the types the framework records use. */
static bool value_equal(const ProtobufCFieldDescriptor *f, const void *x, const void *y)
{
	switch (f->type) {
	case PROTOBUF_C_TYPE_STRING: return strcmp(*(char *const *)x, *(char *const *)y) == 0;
	case PROTOBUF_C_TYPE_DOUBLE: return *(const double *)x == *(const double *)y;
	case PROTOBUF_C_TYPE_MESSAGE: {
		const ProtobufCMessage *mx = *(ProtobufCMessage *const *)x;
		const ProtobufCMessage *my = *(ProtobufCMessage *const *)y;
		if (mx == NULL || my == NULL)
			return mx == my;
		return pb_equal(mx, my);
	}
	default: return memcmp(x, y, value_size(f)) == 0;
	}
}

static bool field_equal(const ProtobufCFieldDescriptor *f, const ProtobufCMessage *a,
                        const ProtobufCMessage *b)
{
	if (f->label == PROTOBUF_C_LABEL_REPEATED) {
		size_t n = COUNT(a, f), sz = value_size(f);
		const char *xa = *(char *const *)AT(a, f), *xb = *(char *const *)AT(b, f);

		if (n != COUNT(b, f))
			return false;
		for (size_t i = 0; i < n; i++)
			if (!value_equal(f, xa + i * sz, xb + i * sz))
				return false;
		return true;
	}
	return value_equal(f, AT(a, f), AT(b, f));
}

static bool pb_equal(const ProtobufCMessage *a, const ProtobufCMessage *b)
{
	for (unsigned i = 0; i < a->descriptor->n_fields; i++)
		if (!field_equal(&a->descriptor->fields[i], a, b))
			return false;
	return true;
}

size_t fw_diff(const struct fw_kind *k, const ProtobufCMessage *a, const ProtobufCMessage *b,
               const char **out, size_t cap)
{
	size_t n = 0;

	for (const struct fw_field *f = k->fields; f->name; f++)
		if (f->type != FT_ID && !field_equal(pbfield(k->desc, f->name), a, b) && n < cap)
			out[n++] = f->name;
	return n;
}
