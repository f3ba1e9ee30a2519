/*
 * test_framework_load.c - tests for the framework's record table, field
 * parsing and checking (framework_kinds.c, framework_fields.c), the file
 * loader (framework_load.c) and its application to a real LMDB store
 * (framework_store.c).
 *
 * Most cases start from the council's own framework file (argv[1], by
 * default deploy/framework/gateshead.json from the source tree), change
 * one thing with jansson and check the exact problem reported; the store
 * cases apply files to a store in a mkdtemp directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ftw.h>
#include <jansson.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fixture_store.h"
#include "framework.h"
#include "log.h"
#include "server.h"
#include "store.h"

static const char *seed_path = "deploy/framework/gateshead.json";

/* ---------------------------------------------------------- helpers */

static json_t *seed(void)
{
	json_error_t err;
	json_t *j = json_load_file(seed_path, 0, &err);

	if (j == NULL)
		fail_msg("cannot read %s: %s (line %d)", seed_path, err.text, err.line);
	return j;
}

/* Parse @p j's text; the problems stay in @p a. */
static int parse_json(struct arena *a, json_t *j, struct fw_model *m, struct fw_problems *p)
{
	char *text = json_dumps(j, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	int rc;

	assert_non_null(text);
	fw_problems_init(p, a);
	rc = fw_parse(a, text, strlen(text), m, p);
	free(text);
	return rc;
}

static bool has_problem(const struct fw_problems *p, const char *text)
{
	for (size_t i = 0; i < p->n; i++)
		if (strstr(p->msg[i], text))
			return true;
	return false;
}

static void print_problems(const struct fw_problems *p)
{
	for (size_t i = 0; i < p->n; i++)
		print_message("  problem: %s\n", p->msg[i]);
}

/* The seed with @p edit applied must be refused with a problem holding
 * @p want. */
static void refused(void (*edit)(json_t *), const char *want)
{
	struct arena a;
	struct fw_model m;
	struct fw_problems p;
	json_t *j = seed();

	arena_init(&a, 0);
	edit(j);
	assert_int_equal(parse_json(&a, j, &m, &p), PMIF_EINVAL);
	if (!has_problem(&p, want)) {
		print_problems(&p);
		fail_msg("no problem says \"%s\"", want);
	}
	json_decref(j);
	arena_release(&a);
}

static json_t *measure(json_t *j, size_t i)
{
	return json_array_get(json_object_get(j, "measures"), i);
}

static json_t *find_measure(json_t *j, const char *id)
{
	json_t *ms = json_object_get(j, "measures"), *m;
	size_t i;

	json_array_foreach(ms, i, m) if (strcmp(json_string_value(json_object_get(m, "id")), id) ==
	                                 0) return m;
	fail_msg("no measure %s in the seed", id);
	return NULL;
}

/* ---------------------------------------------------------- the table */

static void test_table_matches_proto(void **state)
{
	char why[256] = "";

	(void)state;
	assert_int_equal(fw_table_check(why, sizeof(why)), 0);
	for (int k = 1; k <= FW_NKINDS; k++)
		assert_non_null(fw_kind((fw_kind_id)k));
	assert_null(fw_kind((fw_kind_id)0));
	assert_null(fw_kind((fw_kind_id)(FW_NKINDS + 1)));
	assert_null(fw_kind((fw_kind_id)-1));
	/* options spell fields with '-' */
	assert_non_null(fw_field(fw_kind(FW_MEASURE), "by-locality"));
	assert_null(fw_field(fw_kind(FW_MEASURE), "position"));
}

/* ---------------------------------------------------------- the seed */

static void test_seed_parses(void **state)
{
	struct arena a;
	struct fw_model m;
	struct fw_problems p;
	json_t *j = seed();
	const Pmif__Measure *fsm;
	const Pmif__Intervention *in5;
	char fy[PMIF_PERIOD_STRLEN];

	(void)state;
	arena_init(&a, 0);
	if (parse_json(&a, j, &m, &p) != 0) {
		print_problems(&p);
		fail_msg("the seed framework is refused");
	}
	assert_int_equal(m.n[FW_OBJECTIVE], 10);
	assert_int_equal(m.n[FW_DIRECTORATE], json_array_size(json_object_get(j, "directorates")));
	assert_int_equal(m.n[FW_LOCALITY], json_array_size(json_object_get(j, "localities")));
	assert_int_equal(m.n[FW_COMMITTEE], json_array_size(json_object_get(j, "committees")));
	assert_int_equal(m.n[FW_MEASURE], json_array_size(json_object_get(j, "measures")));
	assert_true(m.n[FW_OUTCOME] >= 20);
	assert_int_equal(m.total, m.n[1] + m.n[2] + m.n[3] + m.n[4] + m.n[5] + m.n[6] + m.n[7]);
	pmif_period_format(&m.first_year, fy);
	assert_string_equal(fy, "2019-20");

	/* file order is kept as positions; outcomes carry their objective */
	assert_string_equal(fw_id(m.recs[FW_OBJECTIVE][0]), "PO1");
	assert_int_equal(fw_position(m.recs[FW_OBJECTIVE][0]), 1);
	assert_string_equal(((Pmif__Outcome *)m.recs[FW_OUTCOME][0])->objective, "PO1");
	assert_string_equal(((Pmif__Outcome *)m.recs[FW_OUTCOME][0])->text,
	                    "The circumstances which result in adverse childhood experiences are "
	                    "prevented");
	in5 = (const Pmif__Intervention *)fw_model_find(&m, FW_INTERVENTION, "PO1-IN5");
	assert_non_null(in5);
	assert_int_equal(in5->n_items, 4);
	assert_string_equal(in5->items[0], "Keep families together safely");

	fsm = (const Pmif__Measure *)fw_model_find(&m, FW_MEASURE, "FSM-UPTAKE");
	assert_non_null(fsm);
	assert_int_equal(fsm->unit, PMIF__MEASURE__UNIT__PERCENT);
	assert_int_equal(fsm->polarity, PMIF__MEASURE__POLARITY__HIGHER);
	assert_int_equal(fsm->frequency, PMIF__MEASURE__FREQUENCY__QUARTERLY);
	assert_true(fsm->by_locality);
	assert_non_null(fsm->baseline);
	assert_string_equal(fsm->baseline->period, "2019-20");
	assert_true(fsm->n_targets >= 2);
	for (size_t i = 1; i < fsm->n_targets; i++) /* targets come out in year order */
		assert_true(strcmp(fsm->targets[i - 1]->year, fsm->targets[i]->year) < 0);
	json_decref(j);
	arena_release(&a);
}

/* ---------------------------------------------------------- refusals */

static void edit_unit(json_t *j)
{
	json_object_set_new(measure(j, 3), "unit", json_string("percentage"));
}

static void test_unknown_unit(void **state)
{
	(void)state;
	refused(edit_unit, "measures[3].unit: 'percentage' is not one of count, percent, "
	                   "rate_per_1000, days, gbp, score");
}

static void edit_unit_only_once(json_t *j)
{
	edit_unit(j);
}

/* a refused value is reported once, not again as "missing" */
static void test_refused_value_reported_once(void **state)
{
	struct arena a;
	struct fw_model m;
	struct fw_problems p;
	json_t *j = seed();

	(void)state;
	arena_init(&a, 0);
	edit_unit_only_once(j);
	assert_int_equal(parse_json(&a, j, &m, &p), PMIF_EINVAL);
	assert_int_equal(p.n, 1);
	json_decref(j);
	arena_release(&a);
}

static void edit_dangling_objective(json_t *j)
{
	json_object_set_new(measure(j, 0), "objective", json_string("PO9"));
}

static void test_dangling_reference(void **state)
{
	(void)state;
	refused(edit_dangling_objective,
	        "measures[0].objective: there is no objective 'PO9' in the file");
}

static void edit_dangling_committee(json_t *j)
{
	json_array_append_new(json_object_get(measure(j, 1), "committees"), json_string("NOPE"));
}

static void test_dangling_committee(void **state)
{
	(void)state;
	refused(edit_dangling_committee, "there is no committee 'NOPE' in the file");
}

static void edit_duplicate_id(json_t *j)
{
	json_object_set(measure(j, 2), "id", json_object_get(measure(j, 0), "id"));
}

static void test_duplicate_id(void **state)
{
	(void)state;
	refused(edit_duplicate_id, "measures[2].id: 'FSM-UPTAKE' is also the id of measures[0]");
}

static void edit_unknown_field(json_t *j)
{
	json_object_set_new(measure(j, 0), "tolerence", json_real(1));
}

static void test_unknown_field(void **state)
{
	(void)state;
	refused(edit_unknown_field, "measures[0].tolerence: is not a field of a measure");
}

static void edit_missing_array(json_t *j)
{
	json_object_del(j, "localities");
}

static void test_missing_array(void **state)
{
	(void)state;
	refused(edit_missing_array, "localities: is missing");
}

static void edit_types(json_t *j)
{
	json_object_set_new(measure(j, 0), "decimals", json_real(1.5));
}

static void test_wrong_type(void **state)
{
	(void)state;
	refused(edit_types, "measures[0].decimals: must be a whole number from 0 to 6");
}

static void edit_bool(json_t *j)
{
	json_object_set_new(measure(j, 0), "by_locality", json_string("yes"));
}

static void test_wrong_bool(void **state)
{
	(void)state;
	refused(edit_bool, "measures[0].by_locality: must be true or false");
}

static void edit_target_year(json_t *j)
{
	json_object_set_new(json_object_get(measure(j, 0), "targets"), "2021-23", json_integer(5));
}

static void test_target_year_uses_period_message(void **state)
{
	(void)state;
	refused(edit_target_year, "measures[0].targets.2021-23: '2021-23' is not a period: the "
	                          "second year must follow the first");
}

static void edit_target_quarter(json_t *j)
{
	json_object_set_new(json_object_get(measure(j, 0), "targets"), "2021-22-Q1",
	                    json_integer(5));
}

static void test_target_quarter(void **state)
{
	(void)state;
	refused(edit_target_quarter,
	        "'2021-22-Q1' is a quarter: targets are set per financial year");
}

static void edit_percent_range(json_t *j)
{
	json_object_set_new(json_object_get(find_measure(j, "FSM-UPTAKE"), "targets"), "2022-23",
	                    json_integer(120));
}

static void test_percent_range(void **state)
{
	(void)state;
	refused(edit_percent_range, "targets.2022-23: 120 is not a percentage");
}

static void edit_context_target(json_t *j)
{
	json_object_set_new(json_object_get(find_measure(j, "LAC-NUMBER"), "targets"), "2022-23",
	                    json_integer(400));
}

static void test_context_measure_has_no_target(void **state)
{
	(void)state;
	refused(edit_context_target, "polarity none is context only");
}

static void edit_foreign_outcome(json_t *j)
{
	json_object_set_new(find_measure(j, "FSM-UPTAKE"), "outcome", json_string("PO2-OC1"));
}

static void test_outcome_of_another_objective(void **state)
{
	(void)state;
	refused(edit_foreign_outcome, "'PO2-OC1' is an outcome of PO2, not of the measure's");
}

static void edit_negative_tolerance(json_t *j)
{
	json_object_set_new(measure(j, 0), "tolerance", json_integer(-2));
}

static void test_negative_tolerance(void **state)
{
	(void)state;
	refused(edit_negative_tolerance, "measures[0].tolerance: -2 is negative");
}

static void edit_years(json_t *j)
{
	json_t *p = json_object_get(j, "periods");
	json_object_set_new(p, "first_year", json_string("2025-26"));
}

static void test_years_reversed(void **state)
{
	(void)state;
	refused(edit_years, "periods.last_year: 2024-25 is before first_year 2025-26");
}

static void edit_bad_id(json_t *j)
{
	json_object_set_new(json_array_get(json_object_get(j, "localities"), 0), "id",
	                    json_string("Borough"));
}

static void test_bad_id(void **state)
{
	(void)state;
	refused(edit_bad_id,
	        "localities[0].id: 'Borough' is not a locality id: use 1 to 32 of a-z");
}

static void edit_nested_objective(json_t *j)
{
	json_t *o = json_array_get(json_object_get(j, "objectives"), 0);
	json_object_set_new(json_array_get(json_object_get(o, "outcomes"), 0), "objective",
	                    json_string("PO2"));
}

static void test_nested_parent_key(void **state)
{
	(void)state;
	refused(edit_nested_objective, "objectives[0].outcomes[0].objective: comes from the "
	                               "objective this sits under");
}

static void test_syntax_error_names_line(void **state)
{
	static const char text[] = "{\n  \"name\": \"x\",\n  \"periods\": {,\n}\n";
	struct arena a;
	struct fw_model m;
	struct fw_problems p;

	(void)state;
	arena_init(&a, 0);
	fw_problems_init(&p, &a);
	assert_int_equal(fw_parse(&a, text, strlen(text), &m, &p), PMIF_EINVAL);
	assert_int_equal(p.n, 1);
	assert_non_null(strstr(p.msg[0], "line 3, column"));
	/* duplicate keys are refused too, with their line */
	fw_problems_init(&p, &a);
	assert_int_equal(fw_parse(&a, "{\"name\": \"a\",\n\"name\": \"b\"}", 26, &m, &p),
	                 PMIF_EINVAL);
	assert_non_null(strstr(p.msg[0], "line 2"));
	arena_release(&a);
}

/* Random bytes and every cut of the real file: refused, never a crash. */
static void test_garbage(void **state)
{
	struct arena a;
	struct fw_model m;
	struct fw_problems p;
	json_t *j = seed();
	char *text = json_dumps(j, JSON_COMPACT);
	size_t len = strlen(text);
	char buf[512];

	(void)state;
	srand(12345);
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)rand() % sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = (char)(rand() % 256);
		if (round % 3 == 0 && n) /* something that starts like the real thing */
			buf[0] = '{';
		arena_init(&a, 0);
		fw_problems_init(&p, &a);
		assert_int_equal(fw_parse(&a, buf, n, &m, &p), PMIF_EINVAL);
		assert_true(p.n >= 1);
		arena_release(&a);
	}
	for (size_t cut = 0; cut < len; cut += 101) {
		arena_init(&a, 0);
		fw_problems_init(&p, &a);
		assert_int_equal(fw_parse(&a, text, cut, &m, &p), PMIF_EINVAL);
		arena_release(&a);
	}
	/* the whole, with a NUL inside, is refused as well */
	text[len / 2] = '\0';
	arena_init(&a, 0);
	fw_problems_init(&p, &a);
	assert_int_equal(fw_parse(&a, text, len, &m, &p), PMIF_EINVAL);
	arena_release(&a);
	free(text);
	json_decref(j);
}

/* ---------------------------------------------------------- typed fields */

static void test_text_fields(void **state)
{
	struct arena a;
	struct fw_problems p;
	struct fw_check c = {.problems = &p, .arena = &a, .path = ""};
	const struct fw_kind *k = fw_kind(FW_MEASURE);
	Pmif__Measure *m;
	char *t1[] = {"2022-23=85", "2020-21=70"}, *t2[] = {"2020-21=none", "2023-24=90"};
	char *six[] = {"six_monthly"}, *maybe[] = {"maybe"}, *bad[] = {"2022-23:85"};
	char *base[] = {"2019-20=78.2"}, *none[] = {"none"}, *id[] = {"X"};
	const char *diff[32];

	(void)state;
	arena_init(&a, 0);
	fw_problems_init(&p, &a);
	m = (Pmif__Measure *)fw_new(&a, k);
	fw_set_text(&c, k, &m->base, fw_field(k, "targets"), t1, 2);
	assert_int_equal(m->n_targets, 2);
	assert_string_equal(m->targets[0]->year, "2020-21"); /* sorted */
	fw_set_text(&c, k, &m->base, fw_field(k, "targets"), t2, 2);
	assert_int_equal(m->n_targets, 2); /* 2020-21 dropped, 2023-24 added */
	assert_string_equal(m->targets[0]->year, "2022-23");
	assert_true(m->targets[1]->value == 90);
	fw_set_text(&c, k, &m->base, fw_field(k, "frequency"), six, 1);
	assert_int_equal(m->frequency, PMIF__MEASURE__FREQUENCY__SIX_MONTHLY);
	fw_set_text(&c, k, &m->base, fw_field(k, "baseline"), base, 1);
	assert_non_null(m->baseline);
	assert_true(m->baseline->value == 78.2);
	fw_set_text(&c, k, &m->base, fw_field(k, "baseline"), none, 1);
	assert_null(m->baseline);
	assert_int_equal(p.n, 0);

	fw_set_text(&c, k, &m->base, fw_field(k, "by_locality"), maybe, 1);
	assert_true(has_problem(&p, "by_locality: 'maybe' is not yes or no"));
	fw_set_text(&c, k, &m->base, fw_field(k, "targets"), bad, 1);
	assert_true(has_problem(&p, "targets: '2022-23:85' is not YEAR=VALUE"));
	fw_set_text(&c, k, &m->base, fw_field(k, "id"), id, 1);
	assert_true(has_problem(&p, "id: the id cannot be changed"));

	/* comparing: only the changed field is named */
	{
		Pmif__Measure *copy = (Pmif__Measure *)fw_copy(&a, &m->base);
		char *t3[] = {"2022-23=86"};
		assert_int_equal(fw_diff(k, &m->base, &copy->base, diff, 32), 0);
		fw_set_text(&c, k, &copy->base, fw_field(k, "targets"), t3, 1);
		assert_int_equal(fw_diff(k, &m->base, &copy->base, diff, 32), 1);
		assert_string_equal(diff[0], "targets");
	}
	arena_release(&a);
}

/* What users typed, echoed in a message, cannot reach the terminal raw. */
static void test_quote(void **state)
{
	struct arena a;
	const char *q;

	(void)state;
	arena_init(&a, 0);
	assert_string_equal(fw_quote(&a, "PO1"), "PO1");
	assert_string_equal(fw_quote(&a, "a\x1b[31mb\n"), "a?[31mb?");
	assert_string_equal(fw_quote(&a, "\xff\xfeok"), "??ok");
	assert_string_equal(fw_quote(&a, "caf\xc3\xa9"), "caf\xc3\xa9"); /* valid UTF-8 kept */
	q = fw_quote(&a, "0123456789012345678901234567890123456789012345");
	assert_string_equal(q, "0123456789012345678901234567890123456789...");
	/* never half a character: 39 ASCII bytes then a 2-byte one across the cut */
	q = fw_quote(&a, "012345678901234567890123456789012345678\xc3\xa9xyz");
	assert_string_equal(q, "012345678901234567890123456789012345678...");
	arena_release(&a);
}

/* ---------------------------------------------------------- the store */

struct env {
	struct fixture_store fs;
	struct arena arena;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	fixture_store_make(&e->fs, "fw");
	arena_init(&e->arena, 0);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	arena_release(&e->arena);
	fixture_store_remove(&e->fs);
	free(e);
	return 0;
}

/* Run @p fn in one write transaction, committed when it returns 0. */
static int in_txn(struct env *e, int (*fn)(struct op_ctx *, void *), void *arg)
{
	MDB_txn *txn = NULL;
	struct op_ctx op = {.store = e->fs.store, .arena = &e->arena, .now = 1700000000};
	int rc;

	assert_int_equal(mdb_txn_begin(e->fs.store->env, NULL, 0, &txn), 0);
	op.txn = txn;
	op.actor.name = "admin";
	op.actor.role = PMIF__ROLE__ADMIN;
	rc = fn(&op, arg);
	if (rc != 0 && op.message)
		print_message("  %s\n", op.message);
	if (rc == 0)
		assert_int_equal(mdb_txn_commit(txn), 0);
	else
		mdb_txn_abort(txn);
	return rc;
}

struct apply_arg {
	struct fw_model m;
	Pmif__FrameworkLoadReply *r;
};

static int do_apply(struct op_ctx *op, void *arg)
{
	struct apply_arg *aa = arg;
	return fw_apply(op, &aa->m, &aa->r);
}

static Pmif__FrameworkLoadReply *apply(struct env *e, json_t *j)
{
	struct apply_arg aa;
	struct fw_problems p;

	if (parse_json(&e->arena, j, &aa.m, &p) != 0) {
		print_problems(&p);
		fail_msg("file refused");
	}
	assert_int_equal(in_txn(e, do_apply, &aa), 0);
	return aa.r;
}

static size_t changes(const Pmif__FrameworkLoadReply *r)
{
	return r->n_added + r->n_changed + r->n_retired + r->n_deleted + r->n_info_changed +
	       r->periods_added + r->reordered;
}

static void test_apply_is_idempotent(void **state)
{
	struct env *e = *state;
	json_t *j = seed();
	Pmif__FrameworkLoadReply *r = apply(e, j);
	MDB_txn *txn;

	assert_int_equal(r->n_added, r->records);
	assert_int_equal(r->periods_added, 6 * 7); /* 2019-20 to 2024-25 */
	assert_int_equal(r->n_info_changed, 4);
	r = apply(e, j);
	assert_int_equal(changes(r), 0);

	/* one target changed: exactly that is reported */
	json_object_set_new(json_object_get(find_measure(j, "FSM-UPTAKE"), "targets"), "2022-23",
	                    json_real(85.5));
	r = apply(e, j);
	assert_int_equal(changes(r), 1);
	assert_int_equal(r->n_changed, 1);
	assert_string_equal(r->changed[0]->id, "FSM-UPTAKE");
	assert_int_equal(r->changed[0]->n_fields, 1);
	assert_string_equal(r->changed[0]->fields[0], "targets");
	assert_int_equal(changes(apply(e, j)), 0);

	assert_int_equal(store_read_begin(e->fs.store, &txn), 0);
	assert_int_equal(store_check_records(e->fs.store, txn, NULL), 0);
	mdb_txn_abort(txn);
	json_decref(j);
}

struct list_arg {
	fw_kind_id kind;
	struct fw_filter filter;
	size_t n;
	const char *what;
};

static int do_list(struct op_ctx *op, void *arg)
{
	struct list_arg *la = arg;
	ProtobufCMessage **recs;

	return fw_list(op, fw_kind(la->kind), &la->filter, 1, false, &recs, &la->n);
}

static int do_referrer(struct op_ctx *op, void *arg)
{
	struct list_arg *la = arg;

	return fw_referrer(op, fw_kind(la->kind), la->filter.id, true, &la->what);
}

static void test_lists_are_range_scans(void **state)
{
	struct env *e = *state;
	json_t *j = seed(), *m;
	size_t cabinet = 0, po1 = 0, i;
	struct list_arg la = {.kind = FW_MEASURE, .filter = {FW_COMMITTEE, "CABINET"}};

	apply(e, j);
	json_array_foreach(json_object_get(j, "measures"), i, m)
	{
		json_t *c;
		size_t k;
		json_array_foreach(json_object_get(m, "committees"), k,
		                   c) if (strcmp(json_string_value(c), "CABINET") == 0) cabinet++;
		if (strcmp(json_string_value(json_object_get(m, "objective")), "PO1") == 0)
			po1++;
	}
	assert_int_equal(in_txn(e, do_list, &la), 0);
	assert_int_equal(la.n, cabinet);
	la.filter = (struct fw_filter){FW_OBJECTIVE, "PO1"};
	assert_int_equal(in_txn(e, do_list, &la), 0);
	assert_int_equal(la.n, po1);
	/* a filter that names nothing is NOT_FOUND; one that does not apply INVALID */
	la.filter = (struct fw_filter){FW_OBJECTIVE, "PO9"};
	assert_int_equal(in_txn(e, do_list, &la), PMIF__CODE__NOT_FOUND);
	la.kind = FW_LOCALITY;
	la.filter = (struct fw_filter){FW_OBJECTIVE, "PO1"};
	assert_int_equal(in_txn(e, do_list, &la), PMIF__CODE__INVALID_ARGUMENT);
	/* PO1 is in use; a locality nothing refers to is not */
	la.kind = FW_OBJECTIVE;
	assert_int_equal(in_txn(e, do_referrer, &la), 0);
	assert_non_null(la.what);
	la.kind = FW_LOCALITY;
	la.filter.id = "birtley";
	assert_int_equal(in_txn(e, do_referrer, &la), 0);
	assert_null(la.what);
	json_decref(j);
}

/* Remove from @p arr every object whose @p key is (or lists) @p id. */
static void drop(json_t *arr, const char *key, const char *id)
{
	for (size_t i = json_array_size(arr); i-- > 0;) {
		json_t *v = json_object_get(json_array_get(arr, i), key);
		if (json_is_string(v) && strcmp(json_string_value(v), id) == 0)
			json_array_remove(arr, i);
		else if (json_is_array(v))
			for (size_t k = json_array_size(v); k-- > 0;)
				if (strcmp(json_string_value(json_array_get(v, k)), id) == 0)
					json_array_remove(v, k);
	}
}

static int do_add_user(struct op_ctx *op, void *arg)
{
	Pmif__UserRecord u = PMIF__USER_RECORD__INIT;
	char *dirs[] = {arg};

	u.name = "dan";
	u.role = PMIF__ROLE__DIRECTORATE;
	u.directorates = dirs;
	u.n_directorates = 1;
	return store_put_pb(op->store, op->txn, STORE_USERS, "dan", 3, &u.base);
}

static bool listed(Pmif__FrameworkLoadChange **v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i]->id, id) == 0)
			return true;
	return false;
}

static void test_absent_records_retire_or_delete(void **state)
{
	struct env *e = *state;
	json_t *j = seed(), *obj;
	Pmif__FrameworkLoadReply *r;
	const char *dir;
	size_t i;

	apply(e, j);
	/* take the owner directorate of the last measure out of the file with
	 * everything it owns; a user still belongs to it */
	dir = json_string_value(json_object_get(
	    measure(j, json_array_size(json_object_get(j, "measures")) - 1), "directorate"));
	dir = strdup(dir);
	assert_int_equal(in_txn(e, do_add_user, (void *)dir), 0);
	drop(json_object_get(j, "directorates"), "id", dir);
	drop(json_object_get(j, "measures"), "directorate", dir);
	json_array_foreach(json_object_get(j, "objectives"), i, obj)
	    drop(json_object_get(obj, "interventions"), "directorate", dir);
	r = apply(e, j);
	assert_int_equal(r->n_retired, 1);
	assert_string_equal(r->retired[0]->id, dir);
	assert_non_null(strstr(r->retired[0]->fields[0], "user dan"));
	assert_true(r->n_deleted >= 1); /* its measures: nothing refers to them */
	assert_int_equal(r->n_added + r->n_changed, 0);
	/* again: nothing changes, the retired directorate stays retired */
	assert_int_equal(changes(apply(e, j)), 0);
	/* the original file restores it */
	json_decref(j);
	j = seed();
	r = apply(e, j);
	assert_true(listed(r->changed, r->n_changed, dir));
	assert_true(r->n_added >= 1);
	assert_int_equal(r->n_retired + r->n_deleted, 0);
	free((void *)dir);
	json_decref(j);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_table_matches_proto),
	    cmocka_unit_test(test_seed_parses),
	    cmocka_unit_test(test_unknown_unit),
	    cmocka_unit_test(test_refused_value_reported_once),
	    cmocka_unit_test(test_dangling_reference),
	    cmocka_unit_test(test_dangling_committee),
	    cmocka_unit_test(test_duplicate_id),
	    cmocka_unit_test(test_unknown_field),
	    cmocka_unit_test(test_missing_array),
	    cmocka_unit_test(test_wrong_type),
	    cmocka_unit_test(test_wrong_bool),
	    cmocka_unit_test(test_target_year_uses_period_message),
	    cmocka_unit_test(test_target_quarter),
	    cmocka_unit_test(test_percent_range),
	    cmocka_unit_test(test_context_measure_has_no_target),
	    cmocka_unit_test(test_outcome_of_another_objective),
	    cmocka_unit_test(test_negative_tolerance),
	    cmocka_unit_test(test_years_reversed),
	    cmocka_unit_test(test_bad_id),
	    cmocka_unit_test(test_nested_parent_key),
	    cmocka_unit_test(test_syntax_error_names_line),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_text_fields),
	    cmocka_unit_test(test_quote),
	    cmocka_unit_test_setup_teardown(test_apply_is_idempotent, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lists_are_range_scans, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_absent_records_retire_or_delete, setup, teardown),
	};

	if (argc > 1)
		seed_path = argv[1];
	log_set_quiet(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
