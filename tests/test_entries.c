/*
 * test_entries.c - the record store of a quarter's other entries
 * (entries_store.c): each kind put, read back and listed; the latest risk
 * assessment before a period across period kinds and risks; lists by
 * subject that do not run into a subject whose id starts the same.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "entries.h"
#include "error.h"
#include "fixture_store.h"
#include "store.h"

struct env {
	struct fixture_store fs;
	struct arena arena;
	MDB_txn *txn;
	struct op_ctx op;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	assert_non_null(e);
	fixture_store_make(&e->fs, "entries");
	arena_init(&e->arena, 0);
	assert_int_equal(mdb_txn_begin(e->fs.store->env, NULL, 0, &e->txn), 0);
	e->op = (struct op_ctx){
	    .store = e->fs.store, .txn = e->txn, .arena = &e->arena, .now = 1700000000u};
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	mdb_txn_abort(e->txn);
	arena_release(&e->arena);
	fixture_store_remove(&e->fs);
	free(e);
	return 0;
}

static struct pmif_period period(const char *s)
{
	struct pmif_period p;

	assert_int_equal(pmif_period_parse(s, &p, NULL, 0), 0);
	return p;
}

static void assess(struct op_ctx *op, const char *risk, const char *when, uint32_t likelihood)
{
	Pmif__RiskAssessmentRecord a = PMIF__RISK_ASSESSMENT_RECORD__INIT;
	struct pmif_period p = period(when);

	a.risk = (char *)risk;
	a.period = (char *)when;
	a.likelihood = likelihood;
	a.impact = 3;
	assert_int_equal(risk_assessment_put(op, &p, &a), 0);
}

static void commentary_round_trip(void **state)
{
	struct env *e = *state;
	Pmif__CommentaryRecord c = PMIF__COMMENTARY_RECORD__INIT, *got = NULL;
	struct pmif_period q2 = period("2024-25-Q2"), q3 = period("2024-25-Q3");

	c.objective = "O1";
	c.period = "2024-25-Q2";
	c.text = "Better than last quarter.";
	c.revision = 2;
	assert_int_equal(commentary_put(&e->op, &q2, &c), 0);
	assert_int_equal(commentary_find(&e->op, "O1", &q2, &got), 0);
	assert_string_equal(got->text, "Better than last quarter.");
	assert_int_equal(got->revision, 2);
	assert_int_equal(commentary_find(&e->op, "O1", &q3, &got), PMIF_ENOTFOUND);
	assert_int_equal(commentary_find(&e->op, "O", &q2, &got), PMIF_ENOTFOUND);
}

static void assessment_before_takes_the_latest_of_that_risk(void **state)
{
	struct env *e = *state;
	Pmif__RiskAssessmentRecord *a = NULL;
	struct pmif_period q1 = period("2024-25-Q1"), q3 = period("2024-25-Q3"),
	                   q4 = period("2024-25-Q4"), next = period("2025-26-Q1");

	assess(&e->op, "R-1", "2023-24-Q4", 1);
	assess(&e->op, "R-1", "2024-25-Q2", 2);
	assess(&e->op, "R-1", "2024-25-Q3", 3);
	assess(&e->op, "R-10", "2024-25-Q1", 5); /* an id R-1 starts */
	assess(&e->op, "R-2", "2024-25-Q1", 4);

	assert_int_equal(risk_assessment_find(&e->op, "R-1", &q3, &a), 0);
	assert_int_equal(a->likelihood, 3);
	assert_int_equal(risk_assessment_before(&e->op, "R-1", &q3, &a), 0);
	assert_string_equal(a->period, "2024-25-Q2");
	assert_int_equal(risk_assessment_before(&e->op, "R-1", &q4, &a), 0);
	assert_string_equal(a->period, "2024-25-Q3");
	assert_int_equal(risk_assessment_before(&e->op, "R-1", &q1, &a), 0);
	assert_string_equal(a->period, "2023-24-Q4");
	assert_int_equal(risk_assessment_before(&e->op, "R-2", &next, &a), 0);
	assert_int_equal(a->likelihood, 4); /* the last key in the database */
	/* nothing before R-2's first, and nothing for a risk never assessed */
	assert_int_equal(risk_assessment_before(&e->op, "R-2", &q1, &a), PMIF_ENOTFOUND);
	assert_int_equal(risk_assessment_before(&e->op, "R-3", &q1, &a), PMIF_ENOTFOUND);
}

static void risks_and_case_studies_by_id(void **state)
{
	struct env *e = *state;
	Pmif__RiskRecord r = PMIF__RISK_RECORD__INIT, *got = NULL, **rs;
	Pmif__CaseStudyRecord c = PMIF__CASE_STUDY_RECORD__INIT, **cs;
	size_t n;

	assert_int_equal(risks_list(&e->op, &rs, &n), 0);
	assert_int_equal(n, 0);
	r.id = "R-2";
	r.title = "Second";
	assert_int_equal(risk_put(&e->op, &r), 0);
	r.id = "R-1";
	r.title = "First";
	assert_int_equal(risk_put(&e->op, &r), 0);
	assert_int_equal(risk_get(&e->op, "R-1", &got), 0);
	assert_string_equal(got->title, "First");
	assert_int_equal(risk_get(&e->op, "R-3", &got), PMIF_ENOTFOUND);
	assert_int_equal(risks_list(&e->op, &rs, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rs[0]->id, "R-1");
	assert_string_equal(rs[1]->id, "R-2");

	c.id = "CS-1";
	c.objective = "O1";
	c.title = "A family helped";
	assert_int_equal(case_study_put(&e->op, &c), 0);
	assert_int_equal(case_studies_list(&e->op, &cs, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(cs[0]->title, "A family helped");
}

static void lists_by_subject_stop_at_the_subject(void **state)
{
	struct env *e = *state;
	Pmif__InterventionUpdateRecord u = PMIF__INTERVENTION_UPDATE_RECORD__INIT, **us;
	Pmif__ResourceRecord r = PMIF__RESOURCE_RECORD__INIT, *got = NULL, **rs;
	struct pmif_period q1 = period("2024-25-Q1"), q2 = period("2024-25-Q2");
	size_t n;

	u.intervention = "IN1";
	u.period = "2024-25-Q1";
	assert_int_equal(intervention_update_put(&e->op, &q1, &u), 0);
	u.period = "2024-25-Q2";
	assert_int_equal(intervention_update_put(&e->op, &q2, &u), 0);
	u.intervention = "IN10";
	assert_int_equal(intervention_update_put(&e->op, &q2, &u), 0);
	assert_int_equal(intervention_updates_list(&e->op, "IN1", &us, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(us[0]->period, "2024-25-Q1");
	assert_string_equal(us[1]->period, "2024-25-Q2");
	assert_int_equal(intervention_updates_list(&e->op, NULL, &us, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(intervention_update_find(&e->op, "IN10", &q1, &us[0]), PMIF_ENOTFOUND);

	r.subject = "O1";
	r.year = "2024-25";
	r.budget = 1000;
	r.spend = 900;
	assert_int_equal(resource_put(&e->op, &r), 0);
	r.year = "2023-24";
	assert_int_equal(resource_put(&e->op, &r), 0);
	r.subject = "O10";
	assert_int_equal(resource_put(&e->op, &r), 0);
	assert_int_equal(resource_get(&e->op, "O1", "2024-25", &got), 0);
	assert_true(got->spend == 900);
	assert_int_equal(resource_get(&e->op, "O1", "2022-23", &got), PMIF_ENOTFOUND);
	assert_int_equal(resources_list(&e->op, "O1", &rs, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(rs[0]->year, "2023-24"); /* by year */
	assert_int_equal(resources_list(&e->op, NULL, &rs, &n), 0);
	assert_int_equal(n, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(commentary_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(assessment_before_takes_the_latest_of_that_risk, setup,
	                                    teardown),
	    cmocka_unit_test_setup_teardown(risks_and_case_studies_by_id, setup, teardown),
	    cmocka_unit_test_setup_teardown(lists_by_subject_stop_at_the_subject, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
