/*
 * test_reports.c - the report RPCs (server/rpc_reports.c and report_*.c)
 * against a real temp store: a tiny framework loaded with fw_parse and
 * fw_apply, values stored with values_put and the narrative records put
 * straight into their databases, then each rpc_report_* called with a
 * context the way the dispatcher calls it (one read transaction).
 *
 * The data is made so that every number can be worked out by hand:
 *
 *   PCT  percent, higher is better, quarterly, by locality, D1, O1,
 *        committees OSC1 and CAB; target 2022-23 85, tolerance 5.
 *        Borough 2019-20-Q1..2021-22-Q1 alternate 88/90 (9 points), then
 *        78/80 for 7 points ending 2022-23-Q4 = 79 (submitted): a run of
 *        7 below the mean (special cause concern), red (6 points short),
 *        worse than Q3 (80), better than a year before (78).
 *        2022-23-Q4 north 400/500 = 80.0% (similar to 79), south
 *        300/500 = 60.0% (significantly worse).
 *   DAYS days, lower, quarterly, D2, O2, CAB: only 2022-23-Q3 = 9.5.
 *   CNT  count, no polarity, quarterly, by locality, D1, O1, OSC1:
 *        2022-23-Q4 borough 50, north 20, south 30 (south submitted).
 *   HALF percent, higher, six-monthly, D2, O2, CAB: 2022-23-H1 = 49
 *        against 50 with tolerance 2: amber.
 *   YEAR count, higher, annual, D1, O1, CAB: 2021-22 = 120 against 100.
 *
 * Period 2022-23-Q4 is open, due 2023-04-30; the tests run "now" at
 * 2023-11-14, so it is overdue.
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
#include <math.h>
#include <sys/stat.h>

#include "analytics.h"
#include "comparators_store.h"
#include "compare_import.h"
#include "error.h"
#include "fixture_store.h"
#include "framework.h"
#include "log.h"
#include "report.h"
#include "rpc.h"
#include "server.h"
#include "store.h"
#include "values.h"

#define NOW 1700000000u /* 2023-11-14 */

static const char framework_json[] =
    "{\"name\": \"Test framework\", \"notes\": \"for test_reports\","
    " \"periods\": {\"first_year\": \"2019-20\", \"last_year\": \"2023-24\"},"
    " \"directorates\": [{\"id\": \"D1\", \"name\": \"Directorate One\"},"
    "                    {\"id\": \"D2\", \"name\": \"Directorate Two\"}],"
    " \"localities\": [{\"id\": \"borough\", \"name\": \"The borough\"},"
    "                  {\"id\": \"north\", \"name\": \"North\"},"
    "                  {\"id\": \"south\", \"name\": \"South\"}],"
    " \"committees\": [{\"id\": \"CAB\", \"name\": \"Cabinet\", \"kind\": \"cabinet\","
    "                   \"objectives\": [\"O1\", \"O2\"]},"
    "                  {\"id\": \"OSC1\", \"name\": \"First OSC\", \"kind\": \"osc\","
    "                   \"objectives\": [\"O1\"]}],"
    " \"objectives\": ["
    "   {\"id\": \"O1\", \"kind\": \"policy\", \"title\": \"Objective one\","
    "    \"outcomes\": [{\"id\": \"O1-OC1\", \"text\": \"Outcome one\"}],"
    "    \"interventions\": [{\"id\": \"O1-IN1\", \"title\": \"Intervention one\","
    "                         \"directorate\": \"D1\"}]},"
    "   {\"id\": \"O2\", \"kind\": \"scorecard\", \"title\": \"Objective two\"}],"
    " \"measures\": ["
    "   {\"id\": \"PCT\", \"title\": \"A percentage\", \"objective\": \"O1\","
    "    \"kind\": \"strategic\", \"unit\": \"percent\", \"polarity\": \"higher\","
    "    \"frequency\": \"quarterly\", \"directorate\": \"D1\","
    "    \"committees\": [\"OSC1\", \"CAB\"], \"by_locality\": true,"
    "    \"targets\": {\"2021-22\": 80, \"2022-23\": 85}, \"tolerance\": 5, \"decimals\": 1},"
    "   {\"id\": \"DAYS\", \"title\": \"Some days\", \"objective\": \"O2\","
    "    \"kind\": \"operational\", \"unit\": \"days\", \"polarity\": \"lower\","
    "    \"frequency\": \"quarterly\", \"directorate\": \"D2\", \"committees\": [\"CAB\"],"
    "    \"targets\": {\"2022-23\": 10}, \"tolerance\": 1, \"decimals\": 1},"
    "   {\"id\": \"CNT\", \"title\": \"A count\", \"objective\": \"O1\","
    "    \"kind\": \"operational\", \"unit\": \"count\", \"polarity\": \"none\","
    "    \"frequency\": \"quarterly\", \"directorate\": \"D1\", \"committees\": [\"OSC1\"],"
    "    \"by_locality\": true, \"decimals\": 0},"
    "   {\"id\": \"HALF\", \"title\": \"A half-yearly one\", \"objective\": \"O2\","
    "    \"kind\": \"strategic\", \"unit\": \"percent\", \"polarity\": \"higher\","
    "    \"frequency\": \"six-monthly\", \"directorate\": \"D2\", \"committees\": [\"CAB\"],"
    "    \"targets\": {\"2022-23\": 50}, \"tolerance\": 2, \"decimals\": 1},"
    "   {\"id\": \"YEAR\", \"title\": \"A yearly one\", \"objective\": \"O1\","
    "    \"kind\": \"strategic\", \"unit\": \"count\", \"polarity\": \"higher\","
    "    \"frequency\": \"annual\", \"directorate\": \"D1\", \"committees\": [\"CAB\"],"
    "    \"targets\": {\"2021-22\": 100}, \"decimals\": 0}]}";

static struct fixture_store fs;
static struct server srv;
static struct arena arena; /* per test */

static struct rpc_ctx new_ctx(MDB_txn *txn)
{
	struct rpc_ctx ctx = {.srv = &srv,
	                      .op = {.store = srv.store, .arena = &arena, .now = NOW, .txn = txn}};

	ctx.op.actor.name = "tester";
	ctx.op.actor.role = PMIF__ROLE__MEMBER;
	return ctx;
}

/* ---- populating the store ------------------------------------------------ */

static struct pmif_period period(const char *s)
{
	struct pmif_period p;

	assert_int_equal(pmif_period_parse(s, &p, NULL, 0), 0);
	return p;
}

static void put_value(struct rpc_ctx *ctx, const char *m, const char *loc, const char *p, double v,
                      double num, double den, bool approved)
{
	Pmif__ValueRecord r = PMIF__VALUE_RECORD__INIT;

	r.measure = (char *)m;
	r.locality = (char *)loc;
	r.period = (char *)p;
	r.value = v;
	if (den > 0) {
		r.has_fraction = true;
		r.numerator = num;
		r.denominator = den;
	}
	r.note = v < 80 && strcmp(m, "PCT") == 0 ? "below target: explained" : "";
	r.status = approved ? PMIF__VALUE_STATUS__APPROVED : PMIF__VALUE_STATUS__SUBMITTED;
	r.submitted_by = "officer";
	r.submitted_unix = NOW;
	r.revision = 1;
	assert_int_equal(values_put(&ctx->op, &r), 0);
}

static void put_keyed(struct rpc_ctx *ctx, enum store_db db, const char *a, const char *b,
                      const char *p, const ProtobufCMessage *msg)
{
	uint8_t key[VALUES_KEY_MAX];
	struct pmif_period pp;
	size_t n;

	if (p)
		pp = period(p);
	n = values_key(key, a, b, p ? &pp : NULL);
	assert_true(n > 0);
	assert_int_equal(store_put_pb(srv.store, ctx->op.txn, db, key, n, msg), 0);
}

static void put_assessment(struct rpc_ctx *ctx, const char *risk, const char *p, uint32_t l,
                           uint32_t i)
{
	Pmif__RiskAssessmentRecord a = PMIF__RISK_ASSESSMENT_RECORD__INIT;

	a.risk = (char *)risk;
	a.period = (char *)p;
	a.likelihood = l;
	a.impact = i;
	a.author = "officer";
	put_keyed(ctx, STORE_RISK_ASSESSMENTS, risk, NULL, p, &a.base);
}

static void put_risk(struct rpc_ctx *ctx, const char *id, const char *objective, bool retired)
{
	Pmif__RiskRecord r = PMIF__RISK_RECORD__INIT;

	r.id = (char *)id;
	r.title = (char *)id;
	r.objective = (char *)objective;
	r.directorate = "D1";
	r.mitigation = "mitigated";
	r.retired = retired;
	if (strcmp(id, "R1") == 0) { /* managed down to 2 x 3 by a named owner */
		r.owner = "Risk Owner";
		r.target_likelihood = 2;
		r.target_impact = 3;
	}
	assert_int_equal(store_put_pb(srv.store, ctx->op.txn, STORE_RISKS, id, strlen(id), &r.base),
	                 0);
}

/* O1-IN1's plan: milestone 1 due 2022-10-10, done 2022-10-12 (late);
 * milestone 2 due 2023-03-20, open. */
static void put_plan(struct rpc_ctx *ctx)
{
	Pmif__InterventionPlanRecord r = PMIF__INTERVENTION_PLAN_RECORD__INIT;
	Pmif__Milestone m1 = PMIF__MILESTONE__INIT, m2 = PMIF__MILESTONE__INIT;
	Pmif__Milestone *ms[] = {&m1, &m2};

	m1.number = 1;
	m1.title = "First";
	m1.due = "2022-10-10";
	m1.completed = "2022-10-12";
	m2.number = 2;
	m2.title = "Second";
	m2.due = "2023-03-20";
	r.intervention = "O1-IN1";
	r.owner = "Head of One";
	r.milestones = ms;
	r.n_milestones = 2;
	assert_int_equal(
	    store_put_pb(srv.store, ctx->op.txn, STORE_INTERVENTION_PLANS, "O1-IN1", 6, &r.base),
	    0);
}

static void put_case_study(struct rpc_ctx *ctx, const char *id, const char *p)
{
	Pmif__CaseStudyRecord c = PMIF__CASE_STUDY_RECORD__INIT;

	c.id = (char *)id;
	c.title = (char *)id;
	c.story = "a story";
	c.objective = "O1";
	c.period = (char *)p;
	c.locality = "north";
	assert_int_equal(
	    store_put_pb(srv.store, ctx->op.txn, STORE_CASE_STUDIES, id, strlen(id), &c.base), 0);
}

static void put_resource(struct rpc_ctx *ctx, const char *subject, double budget, double spend)
{
	Pmif__ResourceRecord r = PMIF__RESOURCE_RECORD__INIT;

	r.subject = (char *)subject;
	r.year = "2022-23";
	r.budget = budget;
	r.spend = spend;
	put_keyed(ctx, STORE_RESOURCES, subject, "2022-23", NULL, &r.base);
}

static void open_period(struct rpc_ctx *ctx, const char *p, const char *due)
{
	Pmif__Period rec = PMIF__PERIOD__INIT;
	struct pmif_period pp = period(p);
	uint32_t k = pmif_period_key(&pp);
	uint8_t key[4] = {(uint8_t)(k >> 24), (uint8_t)(k >> 16), (uint8_t)(k >> 8), (uint8_t)k};

	rec.id = (char *)p;
	rec.state = PMIF__PERIOD__STATE__OPEN;
	rec.due = (char *)due;
	assert_int_equal(store_put_pb(srv.store, ctx->op.txn, STORE_PERIODS, key, 4, &rec.base), 0);
}

static void populate(struct rpc_ctx *ctx)
{
	static const char *const quarters[] = {
	    "2019-20-Q1", "2019-20-Q2", "2019-20-Q3", "2019-20-Q4", "2020-21-Q1", "2020-21-Q2",
	    "2020-21-Q3", "2020-21-Q4", "2021-22-Q1", "2021-22-Q2", "2021-22-Q3", "2021-22-Q4",
	    "2022-23-Q1", "2022-23-Q2", "2022-23-Q3", "2022-23-Q4"};
	Pmif__CommentaryRecord c = PMIF__COMMENTARY_RECORD__INIT;
	Pmif__InterventionUpdateRecord u = PMIF__INTERVENTION_UPDATE_RECORD__INIT;

	for (size_t i = 0; i < 16; i++) {
		double v = i < 9 ? (i % 2 ? 90 : 88) : (i % 2 ? 78 : 80);
		if (i == 15)
			v = 79;
		put_value(ctx, "PCT", "borough", quarters[i], v, i == 15 ? 790 : 0,
		          i == 15 ? 1000 : 0, i != 15);
	}
	put_value(ctx, "PCT", "north", "2022-23-Q4", 80.0, 400, 500, true);
	put_value(ctx, "PCT", "south", "2022-23-Q4", 60.0, 300, 500, true);
	put_value(ctx, "DAYS", "borough", "2022-23-Q3", 9.5, 0, 0, true);
	put_value(ctx, "CNT", "borough", "2022-23-Q4", 50, 0, 0, true);
	put_value(ctx, "CNT", "north", "2022-23-Q4", 20, 0, 0, true);
	put_value(ctx, "CNT", "south", "2022-23-Q4", 30, 0, 0, false);
	put_value(ctx, "HALF", "borough", "2022-23-H1", 49, 0, 0, true);
	put_value(ctx, "YEAR", "borough", "2021-22", 120, 0, 0, true);

	c.objective = "O1";
	c.period = "2022-23-Q4";
	c.text = "So what for O1";
	c.author = "officer";
	put_keyed(ctx, STORE_COMMENTARY, "O1", NULL, "2022-23-Q4", &c.base);
	c.period = "2022-23-Q2";
	c.text = "So what for O1 at Q2";
	put_keyed(ctx, STORE_COMMENTARY, "O1", NULL, "2022-23-Q2", &c.base);

	u.intervention = "O1-IN1";
	u.period = "2022-23-Q4";
	u.status = "at-risk";
	u.text = "slipping";
	u.author = "officer";
	put_keyed(ctx, STORE_INTERVENTION_UPDATES, "O1-IN1", NULL, "2022-23-Q4", &u.base);

	put_risk(ctx, "R1", "O1", false);
	put_risk(ctx, "R2", "O1", false);
	put_risk(ctx, "R3", "O1", true);
	put_assessment(ctx, "R1", "2022-23-Q3", 3, 3);
	put_assessment(ctx, "R1", "2022-23-Q4", 4, 3);
	put_assessment(ctx, "R2", "2022-23-Q4", 2, 2);
	put_assessment(ctx, "R3", "2022-23-Q4", 5, 5);
	put_plan(ctx);
	put_resource(ctx, "O1", 1000, 1200);
	put_resource(ctx, "O1-IN1", 500, 400);
	put_case_study(ctx, "CS1", "2022-23-Q4");
	put_case_study(ctx, "CS2", "2022-23-Q2");
	open_period(ctx, "2022-23-Q4", "2023-04-30");
}

static int group_setup(void **state)
{
	struct fw_problems problems;
	struct fw_model model;
	Pmif__FrameworkLoadReply *reply;
	struct rpc_ctx ctx;
	MDB_txn *txn;

	(void)state;
	log_set_quiet(1);
	fixture_store_make(&fs, "reports");
	srv.store = fs.store;
	arena_init(&arena, 0);
	fw_problems_init(&problems, &arena);
	if (fw_parse(&arena, framework_json, strlen(framework_json), &model, &problems) != 0) {
		for (size_t i = 0; i < problems.n; i++)
			print_message("problem: %s\n", problems.msg[i]);
		fail_msg("the test framework is refused");
	}
	assert_int_equal(mdb_txn_begin(srv.store->env, NULL, 0, &txn), 0);
	ctx = new_ctx(txn);
	ctx.op.actor.role = PMIF__ROLE__ADMIN;
	assert_int_equal(fw_apply(&ctx.op, &model, &reply), 0);
	populate(&ctx);
	assert_int_equal(mdb_txn_commit(txn), 0);
	arena_release(&arena);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	fixture_store_remove(&fs); /* srv.store too */
	return 0;
}

static int test_setup(void **state)
{
	(void)state;
	arena_init(&arena, 0);
	return 0;
}

static int test_teardown(void **state)
{
	(void)state;
	arena_release(&arena);
	return 0;
}

/* ---- calling a report ------------------------------------------------------ */

struct filter {
	const char *period, *committee, *objective, *directorate, *locality, *from, *to, *measure;
};

static Pmif__Code last_code;
static char last_message[512];

/* Run @p fn on @p f in one read transaction: the reply, or NULL with
 * last_code/last_message set. */
static void *report(rpc_handler fn, struct filter f)
{
	Pmif__ReportFilter *in = ARENA_NEW(&arena, Pmif__ReportFilter);
	struct rpc_ctx ctx;
	MDB_txn *txn;
	int rc;

	pmif__report_filter__init(in);
	in->period = (char *)(f.period ? f.period : "");
	in->committee = (char *)(f.committee ? f.committee : "");
	in->objective = (char *)(f.objective ? f.objective : "");
	in->directorate = (char *)(f.directorate ? f.directorate : "");
	in->locality = (char *)(f.locality ? f.locality : "");
	in->from_period = (char *)(f.from ? f.from : "");
	in->to_period = (char *)(f.to ? f.to : "");
	in->measure = (char *)(f.measure ? f.measure : "");
	assert_int_equal(store_read_begin(srv.store, &txn), 0);
	ctx = new_ctx(txn);
	ctx.in = &in->base;
	rc = fn(&ctx);
	mdb_txn_abort(txn);
	last_code = ctx.op.code;
	snprintf(last_message, sizeof(last_message), "%s", ctx.op.message ? ctx.op.message : "");
	if (rc != 0) {
		assert_int_not_equal(ctx.op.code, PMIF__CODE__OK);
		return NULL;
	}
	assert_int_equal(ctx.op.code, PMIF__CODE__OK);
	assert_non_null(ctx.out);
	/* whatever a handler builds must pack (the dispatcher packs it next) */
	assert_true(protobuf_c_message_get_packed_size(ctx.out) > 0);
	return ctx.out;
}

static void refused(rpc_handler fn, struct filter f, Pmif__Code want, const char *says)
{
	void *r = report(fn, f);

	if (r != NULL || last_code != want)
		fail_msg("wanted code %d, got %d (%s)", want, last_code, last_message);
	if (says && !strstr(last_message, says))
		fail_msg("message '%s' does not say '%s'", last_message, says);
}

static Pmif__MeasureLine *line_of(Pmif__ObjectiveSection **secs, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < secs[i]->n_measures; j++)
			if (strcmp(secs[i]->measures[j]->measure_id, id) == 0)
				return secs[i]->measures[j];
	return NULL;
}

static bool has_reason(const Pmif__MeasureLine *l, const char *why)
{
	for (size_t i = 0; i < l->n_exception_reasons; i++)
		if (strcmp(l->exception_reasons[i], why) == 0)
			return true;
	return false;
}

/* ---- tests ----------------------------------------------------------------- */

static void test_period_for(void **state)
{
	struct pmif_period out, q3 = period("2022-23-Q3"), q4 = period("2022-23-Q4");
	char buf[PMIF_PERIOD_STRLEN];

	(void)state;
	assert_int_equal(report_period_for(&q3, PMIF_PERIOD_HALF, &out), 0);
	pmif_period_format(&out, buf);
	assert_string_equal(buf, "2022-23-H1");
	assert_int_equal(report_period_for(&q3, PMIF_PERIOD_YEAR, &out), 0);
	pmif_period_format(&out, buf);
	assert_string_equal(buf, "2021-22");
	assert_int_equal(report_period_for(&q4, PMIF_PERIOD_HALF, &out), 0);
	pmif_period_format(&out, buf);
	assert_string_equal(buf, "2022-23-H2");
	assert_int_equal(report_period_for(&q4, PMIF_PERIOD_YEAR, &out), 0);
	pmif_period_format(&out, buf);
	assert_string_equal(buf, "2022-23");
	q3 = period("2022-23-H1");
	assert_int_equal(report_period_for(&q3, PMIF_PERIOD_QUARTER, &out), 0);
	pmif_period_format(&out, buf);
	assert_string_equal(buf, "2022-23-Q2");
	q3 = period("2022-23");
	assert_int_equal(report_period_for(&q3, PMIF_PERIOD_QUARTER, &out), 0);
	pmif_period_format(&out, buf);
	assert_string_equal(buf, "2022-23-Q4");
	assert_int_equal(report_period_for(&q3, PMIF_PERIOD_YEAR, &out), 0);
	assert_int_equal(pmif_period_compare(&out, &q3), 0);
	/* the very first quarter has no half before it */
	q3 = period("1990-91-Q1");
	assert_int_equal(report_period_for(&q3, PMIF_PERIOD_HALF, &out), PMIF_EINVAL);
}

static void test_scorecard(void **state)
{
	Pmif__Scorecard *sc = report(rpc_report_scorecard, (struct filter){.period = "2022-23-Q4"});
	Pmif__MeasureLine *l;

	(void)state;
	assert_non_null(sc);
	assert_int_equal(sc->n_objectives, 2);
	assert_string_equal(sc->objectives[0]->objective_id, "O1");
	assert_string_equal(sc->objectives[0]->kind, "policy");
	assert_string_equal(sc->objectives[1]->kind, "scorecard");
	assert_string_equal(sc->objectives[0]->commentary, "So what for O1");
	assert_string_equal(sc->objectives[1]->commentary, "");
	/* PCT red, CNT grey (context, with a value); no data, counted apart
	 * from grey: YEAR (no 2022-23 value), DAYS (no Q4 value), HALF (no H2
	 * value) */
	assert_int_equal(sc->red, 1);
	assert_int_equal(sc->amber + sc->green, 0);
	assert_int_equal(sc->grey, 1);
	assert_int_equal(sc->no_data, 3);
	assert_int_equal(sc->objectives[0]->red, 1);
	assert_int_equal(sc->objectives[0]->grey, 1);
	assert_int_equal(sc->objectives[0]->no_data, 1);
	assert_int_equal(sc->objectives[1]->grey, 0);
	assert_int_equal(sc->objectives[1]->no_data, 2);
	assert_int_equal(sc->provisional, 1);
	assert_int_equal(sc->generated_unix, NOW);
	assert_string_equal(sc->filter->period, "2022-23-Q4");
	assert_non_null(strstr(sc->title, "2022-23-Q4"));

	l = line_of(sc->objectives, sc->n_objectives, "PCT");
	assert_non_null(l);
	assert_string_equal(l->period, "2022-23-Q4");
	assert_string_equal(l->locality, "borough");
	assert_string_equal(l->unit, "percent");
	assert_string_equal(l->polarity, "higher");
	assert_string_equal(l->frequency, "quarterly");
	assert_string_equal(l->kind, "strategic");
	assert_true(l->has_value);
	assert_true(l->value == 79);
	assert_true(l->provisional);
	assert_string_equal(l->note, "below target: explained");
	assert_true(l->has_target);
	assert_true(l->target == 85);
	assert_int_equal(l->rag, PMIF__RAG__RAG_RED);
	assert_string_equal(l->rag_rule,
	                    "target 85%, amber within 5 points below, higher is better");
	assert_int_equal(l->vs_previous, PMIF__DIRECTION__DIRECTION_WORSENING);
	assert_string_equal(l->previous_period, "2022-23-Q3");
	assert_true(l->previous_value == 80);
	assert_int_equal(l->vs_last_year, PMIF__DIRECTION__DIRECTION_IMPROVING);
	assert_string_equal(l->last_year_period, "2021-22-Q4");
	assert_true(l->last_year_value == 78);
	assert_int_equal(l->variation, PMIF__VARIATION__VARIATION_CONCERN);
	assert_non_null(strstr(l->spc_summary, "special cause variation: concern"));
	assert_non_null(strstr(l->spc_summary, "below the mean"));
	assert_true(l->exception);
	assert_true(has_reason(l, "red"));
	assert_true(has_reason(l, "special cause concern"));
	assert_true(has_reason(l, "worsening"));
	/* sparkline: the last 8 quarters, the latest provisional and flagged low */
	assert_int_equal(l->n_sparkline, REPORT_SPARK_POINTS);
	assert_string_equal(l->sparkline[0]->period, "2021-22-Q1");
	assert_string_equal(l->sparkline[7]->period, "2022-23-Q4");
	assert_true(l->sparkline[7]->provisional);
	assert_false(l->sparkline[6]->provisional);
	assert_true(l->sparkline[7]->flags_low & ANALYTICS_SPC_RUN);
	assert_true(l->sparkline[0]->has_target && l->sparkline[0]->target == 80);
	assert_true(l->sparkline[7]->target == 85);

	l = line_of(sc->objectives, sc->n_objectives, "DAYS");
	assert_non_null(l);
	assert_false(l->has_value);
	assert_int_equal(l->rag, PMIF__RAG__RAG_NO_DATA); /* a target, but no value: not grey */
	assert_string_equal(l->rag_rule,
	                    "target 10 days, amber within 1 days above, lower is better");
	assert_int_equal(l->vs_previous, PMIF__DIRECTION__DIRECTION_NOT_COMPARABLE);
	assert_true(l->has_previous && l->previous_value == 9.5);
	assert_false(l->exception);
	assert_string_equal(l->spc_summary, "no value for 2022-23-Q4");

	l = line_of(sc->objectives, sc->n_objectives, "YEAR");
	assert_non_null(l);
	assert_false(l->has_value || l->has_target);
	assert_int_equal(l->rag, PMIF__RAG__RAG_NO_DATA); /* missing wins over no target */
	assert_false(l->exception);

	l = line_of(sc->objectives, sc->n_objectives, "CNT");
	assert_non_null(l);
	assert_int_equal(l->rag, PMIF__RAG__RAG_GREY); /* context, with a value: grey */
	assert_string_equal(l->rag_rule, "context measure: no polarity, no RAG");
	assert_int_equal(l->n_sparkline, 1);
	assert_string_equal(l->spc_summary, "fewer than 12 points: limits not computed");
}

static void test_scorecard_other_frequencies(void **state)
{
	Pmif__Scorecard *sc = report(rpc_report_scorecard, (struct filter){.period = "2022-23-Q3"});
	Pmif__MeasureLine *l;

	(void)state;
	assert_non_null(sc);
	l = line_of(sc->objectives, sc->n_objectives, "HALF");
	assert_non_null(l);
	assert_string_equal(l->period, "2022-23-H1");
	assert_string_equal(l->frequency, "six-monthly");
	assert_true(l->has_value && l->value == 49);
	assert_int_equal(l->rag, PMIF__RAG__RAG_AMBER);
	assert_string_equal(l->previous_period, "2021-22-H2");
	l = line_of(sc->objectives, sc->n_objectives, "YEAR");
	assert_non_null(l);
	assert_string_equal(l->period, "2021-22");
	assert_true(l->has_value && l->value == 120);
	assert_int_equal(l->rag, PMIF__RAG__RAG_GREEN);
	l = line_of(sc->objectives, sc->n_objectives, "DAYS");
	assert_true(l->has_value && l->value == 9.5);
	assert_int_equal(l->rag, PMIF__RAG__RAG_GREEN);
	/* a context measure with no value for the period is missing too */
	l = line_of(sc->objectives, sc->n_objectives, "CNT");
	assert_false(l->has_value);
	assert_int_equal(l->rag, PMIF__RAG__RAG_NO_DATA);
	assert_int_equal(sc->grey, 0);
	assert_int_equal(sc->no_data, 1);
	/* the first quarter of the series: one sparkline point, nothing to
	 * compare with; a half that ended before the framework's first year */
	sc = report(rpc_report_scorecard, (struct filter){.period = "2019-20-Q1"});
	assert_non_null(sc);
	l = line_of(sc->objectives, sc->n_objectives, "PCT");
	assert_int_equal(l->n_sparkline, 1);
	assert_false(l->has_previous);
	assert_int_equal(l->vs_previous, PMIF__DIRECTION__DIRECTION_NOT_COMPARABLE);
	l = line_of(sc->objectives, sc->n_objectives, "HALF");
	assert_string_equal(l->period, "2018-19-H2");
	assert_false(l->has_value);
	assert_int_equal(l->n_sparkline, 1);
	/* the commentary of a half falls back to its last quarter */
	sc = report(rpc_report_scorecard, (struct filter){.period = "2022-23-H1"});
	assert_non_null(sc);
	assert_string_equal(sc->objectives[0]->commentary, "So what for O1 at Q2");
	l = line_of(sc->objectives, sc->n_objectives, "PCT");
	assert_string_equal(l->period, "2022-23-Q2");
}

static void test_scorecard_filters(void **state)
{
	Pmif__Scorecard *sc;

	(void)state;
	/* a committee: its objectives, and only the measures it scrutinises */
	sc = report(rpc_report_scorecard,
	            (struct filter){.period = "2022-23-Q4", .committee = "OSC1"});
	assert_non_null(sc);
	assert_int_equal(sc->n_objectives, 1);
	assert_int_equal(sc->objectives[0]->n_measures, 2);
	assert_string_equal(sc->objectives[0]->measures[0]->measure_id, "PCT");
	assert_string_equal(sc->objectives[0]->measures[1]->measure_id, "CNT");
	assert_non_null(strstr(sc->title, "First OSC"));
	/* a directorate: its measures only, sections without any left out */
	sc = report(rpc_report_scorecard,
	            (struct filter){.period = "2022-23-Q4", .directorate = "D2"});
	assert_non_null(sc);
	assert_int_equal(sc->n_objectives, 1);
	assert_string_equal(sc->objectives[0]->objective_id, "O2");
	assert_int_equal(sc->objectives[0]->n_measures, 2);
	/* an objective */
	sc = report(rpc_report_scorecard,
	            (struct filter){.period = "2022-23-Q4", .objective = "O2"});
	assert_non_null(sc);
	assert_int_equal(sc->n_objectives, 1);
	assert_string_equal(sc->objectives[0]->objective_id, "O2");
	/* a locality: the measures reported by locality, with its values */
	sc = report(rpc_report_scorecard,
	            (struct filter){.period = "2022-23-Q4", .locality = "south"});
	assert_non_null(sc);
	assert_int_equal(sc->n_objectives, 1);
	assert_int_equal(sc->objectives[0]->n_measures, 2);
	assert_string_equal(sc->objectives[0]->measures[0]->locality, "south");
	assert_true(sc->objectives[0]->measures[0]->value == 60);
	assert_true(sc->objectives[0]->measures[1]->provisional);
	/* filters combine */
	sc = report(
	    rpc_report_scorecard,
	    (struct filter){.period = "2022-23-Q4", .committee = "CAB", .directorate = "D1"});
	assert_non_null(sc);
	assert_int_equal(sc->n_objectives, 1);
	assert_int_equal(sc->objectives[0]->n_measures, 2); /* PCT, YEAR */
}

static void test_exceptions(void **state)
{
	Pmif__ExceptionReport *r =
	    report(rpc_report_exceptions, (struct filter){.period = "2022-23-Q4"});

	(void)state;
	assert_non_null(r);
	/* PCT only: DAYS, HALF and YEAR have no data, which is not red; then
	 * PCT's south (60%: red, and significantly worse than the borough's
	 * 79); north's 80% is amber (at the tolerance) and similar */
	assert_int_equal(r->n_exceptions, 2);
	assert_string_equal(r->exceptions[0]->measure_id, "PCT");
	assert_string_equal(r->exceptions[0]->note, "below target: explained");
	assert_true(r->exceptions[0]->locality_name == NULL || !r->exceptions[0]->locality_name[0]);
	assert_int_equal(r->locality_exceptions, 1);
	assert_string_equal(r->exceptions[1]->measure_id, "PCT");
	assert_string_equal(r->exceptions[1]->locality, "south");
	assert_string_equal(r->exceptions[1]->locality_name, "South");
	assert_int_equal(r->exceptions[1]->rag, PMIF__RAG__RAG_RED);
	assert_int_equal(r->exceptions[1]->n_exception_reasons, 2);
	assert_string_equal(r->exceptions[1]->exception_reasons[0],
	                    "red in South: 60.0% (target 85%, amber within 5 points below, higher "
	                    "is better)");
	assert_true(strncmp(r->exceptions[1]->exception_reasons[1],
	                    "significantly worse than the borough in South: 60.0% (95% interval ",
	                    66) == 0);
	assert_non_null(strstr(r->exceptions[1]->exception_reasons[1],
	                       "Wilson score) against the borough's 79.0%"));
	/* one locality's exceptions are its own lines: none added */
	r = report(rpc_report_exceptions,
	           (struct filter){.period = "2022-23-Q4", .locality = "south"});
	assert_non_null(r);
	assert_int_equal(r->locality_exceptions, 0);
	for (size_t i = 0; i < r->n_exceptions; i++)
		assert_true(r->exceptions[i]->locality_name == NULL ||
		            !r->exceptions[i]->locality_name[0]);
	/* Q3: PCT went from 78 to 80 (improving), 5 points short is amber (the
	 * tolerance itself is amber), but still part of the run below the mean */
	r = report(rpc_report_exceptions, (struct filter){.period = "2022-23-Q3"});
	assert_non_null(r);
	assert_int_equal(r->n_exceptions, 1);
	assert_int_equal(r->exceptions[0]->rag, PMIF__RAG__RAG_AMBER);
	assert_false(has_reason(r->exceptions[0], "worsening"));
	assert_false(has_reason(r->exceptions[0], "red"));
	assert_true(has_reason(r->exceptions[0], "special cause concern"));
	/* a committee whose measures are all fine has none */
	r = report(rpc_report_exceptions,
	           (struct filter){.period = "2022-23-Q3", .objective = "O2"});
	assert_non_null(r);
	assert_int_equal(r->n_exceptions, 0);
}

static void test_completeness(void **state)
{
	Pmif__CompletenessReport *r =
	    report(rpc_report_completeness, (struct filter){.period = "2022-23-Q4"});
	const Pmif__DirectorateCompleteness *d1, *d2;

	(void)state;
	assert_non_null(r);
	assert_int_equal(r->n_directorates, 2);
	d1 = r->directorates[0];
	d2 = r->directorates[1];
	assert_string_equal(d1->directorate, "D1");
	assert_string_equal(d1->name, "Directorate One");
	/* PCT and CNT x (borough, north, south); YEAR is annual */
	assert_int_equal(d1->expected, 6);
	assert_int_equal(d1->approved, 4);
	assert_int_equal(d1->submitted, 2);
	assert_int_equal(d1->missing, 0);
	assert_int_equal(d1->n_items, 2);
	assert_string_equal(d1->items[0]->measure_id, "PCT");
	assert_string_equal(d1->items[0]->locality, "borough");
	assert_string_equal(d1->items[0]->status, "awaiting sign-off");
	assert_string_equal(d1->items[1]->measure_id, "CNT");
	assert_string_equal(d1->items[1]->locality, "south");
	/* every item names its owner and the period it is owed for */
	assert_string_equal(d1->items[1]->directorate, "D1");
	assert_string_equal(d1->items[1]->directorate_name, "Directorate One");
	assert_string_equal(d1->items[1]->period, "2022-23-Q4");
	/* DAYS borough only; HALF is six-monthly */
	assert_int_equal(d2->expected, 1);
	assert_int_equal(d2->missing, 1);
	assert_string_equal(d2->items[0]->measure_id, "DAYS");
	assert_string_equal(d2->items[0]->status, "missing");
	assert_string_equal(d2->items[0]->directorate, "D2");
	assert_string_equal(d2->items[0]->directorate_name, "Directorate Two");
	assert_string_equal(r->due_date, "2023-04-30");
	assert_true(r->overdue);
	assert_string_equal(r->period_state, "open");

	/* a half: the six-monthly measures; locked, no due date */
	r = report(rpc_report_completeness, (struct filter){.period = "2022-23-H1"});
	assert_non_null(r);
	assert_int_equal(r->directorates[0]->expected, 0);
	assert_int_equal(r->directorates[1]->expected, 1);
	assert_int_equal(r->directorates[1]->approved, 1);
	assert_string_equal(r->period_state, "locked");
	assert_false(r->overdue);
	/* one directorate */
	r = report(rpc_report_completeness,
	           (struct filter){.period = "2021-22", .directorate = "D1"});
	assert_non_null(r);
	assert_int_equal(r->n_directorates, 1);
	assert_int_equal(r->directorates[0]->expected, 1);
	assert_int_equal(r->directorates[0]->approved, 1);
}

static void test_trend(void **state)
{
	Pmif__TrendReport *r = report(rpc_report_trend, (struct filter){.measure = "PCT"});

	(void)state;
	assert_non_null(r);
	assert_int_equal(r->n_points, 16);
	assert_string_equal(r->points[0]->period, "2019-20-Q1");
	assert_false(r->points[0]->has_target); /* no target for 2019-20 */
	assert_true(r->points[15]->has_target && r->points[15]->target == 85);
	assert_true(r->points[15]->provisional);
	assert_non_null(r->spc);
	assert_false(r->spc->insufficient);
	assert_int_equal(r->spc->n, 16);
	assert_true(r->spc->lpl < r->spc->mean && r->spc->mean < r->spc->upl);
	assert_true(r->spc->lower_2sigma > r->spc->lpl && r->spc->upper_2sigma < r->spc->upl);
	assert_int_equal(r->spc->variation, PMIF__VARIATION__VARIATION_CONCERN);
	assert_non_null(strstr(r->spc->summary, "below the mean"));
	assert_true(r->spc->assurance_label[0] != '\0');
	assert_true(r->points[15]->flags_low & ANALYTICS_SPC_RUN);
	assert_string_equal(r->measure->measure_id, "PCT");
	assert_string_equal(r->measure->period, "2022-23-Q4");

	/* a window: eight points is too few for limits */
	r = report(rpc_report_trend,
	           (struct filter){.measure = "PCT", .from = "2021-22-Q1", .to = "2022-23-Q4"});
	assert_non_null(r);
	assert_int_equal(r->n_points, 8);
	assert_true(r->spc->insufficient);
	assert_int_equal(r->measure->variation, PMIF__VARIATION__VARIATION_NOT_ASSESSED);
	/* --to a quarter for a six-monthly measure: its latest half by then */
	r = report(rpc_report_trend, (struct filter){.measure = "HALF", .to = "2022-23-Q3"});
	assert_non_null(r);
	assert_int_equal(r->n_points, 1);
	assert_string_equal(r->points[0]->period, "2022-23-H1");
	/* gaps stay in, so the axis is even */
	r = report(rpc_report_trend,
	           (struct filter){.measure = "DAYS", .from = "2022-23-Q1", .to = "2022-23-Q4"});
	assert_non_null(r);
	assert_int_equal(r->n_points, 4);
	assert_false(r->points[0]->has_value);
	assert_true(r->points[2]->has_value);
	/* a locality's series */
	r = report(rpc_report_trend, (struct filter){.measure = "PCT", .locality = "north"});
	assert_non_null(r);
	assert_int_equal(r->n_points, 1);
	assert_true(r->points[0]->value == 80);
}

static void test_locality(void **state)
{
	Pmif__LocalityReport *r =
	    report(rpc_report_locality, (struct filter){.measure = "PCT", .period = "2022-23-Q4"});
	struct analytics_ci ci;

	(void)state;
	assert_non_null(r);
	assert_string_equal(r->borough->locality, "borough");
	assert_true(r->borough->has_value && r->borough->value == 79);
	assert_true(r->borough->has_interval);
	assert_int_equal(r->n_localities, 2);
	assert_string_equal(r->localities[0]->locality, "north");
	assert_string_equal(r->localities[0]->method, "Wilson score");
	assert_int_equal(analytics_wilson(400, 500, &ci), 0);
	assert_true(fabs(r->localities[0]->lower - 100 * ci.lower) < 1e-9);
	assert_true(fabs(r->localities[0]->upper - 100 * ci.upper) < 1e-9);
	assert_int_equal(r->localities[0]->comparison, PMIF__COMPARISON__COMPARISON_SIMILAR);
	assert_string_equal(r->localities[0]->comparison_label, "similar to the borough");
	assert_int_equal(r->localities[1]->comparison, PMIF__COMPARISON__COMPARISON_WORSE);
	assert_string_equal(r->localities[1]->comparison_label,
	                    "significantly worse than the borough");
	assert_true(r->localities[1]->numerator == 300 && r->localities[1]->denominator == 500);
	assert_string_equal(r->measure->measure_id, "PCT");

	/* a count: Byar interval, but a part is not compared with the whole */
	r = report(rpc_report_locality, (struct filter){.measure = "CNT", .period = "2022-23-Q4"});
	assert_non_null(r);
	assert_true(r->localities[0]->has_interval);
	assert_string_equal(r->localities[0]->method, "Byar");
	assert_int_equal(r->localities[0]->comparison, PMIF__COMPARISON__COMPARISON_NOT_COMPARED);
	assert_non_null(strstr(r->localities[0]->comparison_label, "not compared"));
	assert_true(r->localities[1]->provisional);

	/* no locality values at all: each says why */
	r = report(rpc_report_locality, (struct filter){.measure = "PCT", .period = "2022-23-Q3"});
	assert_non_null(r);
	assert_string_equal(r->localities[0]->comparison_label,
	                    "not compared: no value for 2022-23-Q3");
	/* one locality only */
	r = report(rpc_report_locality,
	           (struct filter){.measure = "PCT", .period = "2022-23-Q4", .locality = "south"});
	assert_non_null(r);
	assert_int_equal(r->n_localities, 1);
	/* a borough-only measure */
	refused(rpc_report_locality, (struct filter){.measure = "DAYS", .period = "2022-23-Q4"},
	        PMIF__CODE__FAILED_PRECONDITION, "borough only");
}

static void test_pack(void **state)
{
	Pmif__CommitteePack *p =
	    report(rpc_report_pack, (struct filter){.committee = "CAB", .period = "2022-23-Q4"});
	const Pmif__ObjectiveSection *o1;

	(void)state;
	assert_non_null(p);
	assert_true(p->cabinet);
	assert_string_equal(p->committee_id, "CAB");
	assert_string_equal(p->committee_name, "Cabinet");
	assert_int_equal(p->n_objectives, 2);
	assert_non_null(p->summary);
	assert_int_equal(p->summary->n_objectives, 2);
	assert_int_equal(p->summary->red, 1);
	assert_int_equal(p->summary->objectives[0]->n_interventions, 0); /* the summary is lean */
	assert_non_null(p->exceptions);
	assert_int_equal(p->exceptions->n_exceptions, 2); /* PCT, and PCT in South */
	assert_int_equal(p->exceptions->locality_exceptions, 1);
	assert_string_equal(p->exceptions->exceptions[1]->locality, "south");
	/* the locality section: PCT is CAB's one measure by locality */
	assert_int_equal(p->n_localities, 1);
	assert_string_equal(p->localities[0]->measure->measure_id, "PCT");
	assert_string_equal(p->localities[0]->filter->measure, "PCT");
	assert_int_equal(p->localities[0]->n_localities, 2);
	assert_string_equal(p->localities[0]->localities[1]->locality, "south");
	assert_int_equal(p->localities[0]->localities[1]->comparison,
	                 PMIF__COMPARISON__COMPARISON_WORSE);
	assert_true(p->localities[0]->borough->value == 79);
	o1 = p->objectives[0];
	assert_int_equal(o1->n_measures, 2); /* PCT, YEAR: CAB does not scrutinise CNT */
	assert_int_equal(o1->n_outcomes, 1);
	assert_string_equal(o1->outcomes[0], "Outcome one");
	assert_int_equal(o1->n_interventions, 1);
	assert_string_equal(o1->interventions[0]->status, "at-risk");
	assert_string_equal(o1->interventions[0]->text, "slipping");
	assert_string_equal(o1->interventions[0]->updated_by, "officer");
	assert_int_equal(o1->n_risks, 2); /* R3 is retired */
	assert_string_equal(o1->risks[0]->risk_id, "R1");
	assert_int_equal(o1->risks[0]->score, 12);
	assert_true(o1->risks[0]->has_previous);
	assert_int_equal(o1->risks[0]->previous_score, 9);
	assert_string_equal(o1->risks[0]->previous_period, "2022-23-Q3");
	assert_string_equal(o1->risks[0]->movement, "up");
	assert_string_equal(o1->risks[1]->movement, "new");
	assert_int_equal(o1->n_resources, 2);
	assert_string_equal(o1->resources[0]->subject_id, "O1");
	assert_true(o1->resources[0]->variance == 200);
	assert_string_equal(o1->resources[1]->subject_id, "O1-IN1");
	assert_true(o1->resources[1]->variance == -100);
	assert_int_equal(o1->n_case_studies, 1);
	assert_string_equal(o1->case_studies[0]->case_study_id, "CS1");
	assert_int_equal(p->objectives[1]->n_interventions, 0);
	/* what has no data, in section order, each with its owner */
	assert_int_equal(p->summary->no_data, 3);
	assert_int_equal(p->n_no_data, 3);
	assert_string_equal(p->no_data[0]->measure_id, "YEAR");
	assert_string_equal(p->no_data[0]->period, "2022-23");
	assert_string_equal(p->no_data[0]->directorate, "D1");
	assert_string_equal(p->no_data[0]->directorate_name, "Directorate One");
	assert_string_equal(p->no_data[1]->measure_id, "DAYS");
	assert_string_equal(p->no_data[1]->period, "2022-23-Q4");
	assert_string_equal(p->no_data[1]->locality, "borough");
	assert_string_equal(p->no_data[1]->status, "missing");
	assert_string_equal(p->no_data[1]->directorate_name, "Directorate Two");
	assert_string_equal(p->no_data[2]->measure_id, "HALF");
	assert_string_equal(p->no_data[2]->period, "2022-23-H2");
	for (size_t i = 0; i < p->exceptions->n_exceptions; i++)
		assert_true(p->exceptions->exceptions[i]->has_value);

	/* an OSC pack for a quarter with no updates: "" status, risks not assessed */
	p = report(rpc_report_pack, (struct filter){.committee = "OSC1", .period = "2022-23-Q2"});
	assert_non_null(p);
	assert_false(p->cabinet);
	assert_int_equal(p->n_objectives, 1);
	assert_string_equal(p->objectives[0]->interventions[0]->status, "");
	assert_string_equal(p->objectives[0]->risks[0]->movement, "not assessed");
	assert_int_equal(p->objectives[0]->n_case_studies, 1);
	assert_string_equal(p->objectives[0]->case_studies[0]->case_study_id, "CS2");
	/* OSC1 at Q2: PCT has its value, CNT none */
	assert_int_equal(p->n_no_data, 1);
	assert_string_equal(p->no_data[0]->measure_id, "CNT");
	/* a year pack takes every case study of the year and Q4's updates */
	p = report(rpc_report_pack, (struct filter){.committee = "CAB", .period = "2022-23"});
	assert_non_null(p);
	assert_int_equal(p->objectives[0]->n_case_studies, 2);
	assert_string_equal(p->objectives[0]->interventions[0]->status, "at-risk");
	assert_int_equal(p->objectives[0]->risks[0]->score, 12);
}

/* Slippage as of each period's end (NOW is later than all of them), and
 * the risk report with targets and the previous assessment. */
static void test_plans_and_risks(void **state)
{
	Pmif__CommitteePack *p;
	const Pmif__InterventionLine *in;
	Pmif__RiskReport *r;

	(void)state;
	/* 2023-03-31: milestone 2 is 11 days overdue (amber); there is an update */
	p = report(rpc_report_pack, (struct filter){.committee = "CAB", .period = "2022-23-Q4"});
	assert_non_null(p);
	in = p->objectives[0]->interventions[0];
	assert_string_equal(in->owner, "Head of One");
	assert_string_equal(in->as_of, "2023-03-31");
	assert_string_equal(in->rag, "amber");
	assert_non_null(strstr(in->rag_reason, "milestone 2 'Second' is 11 days overdue"));
	assert_int_equal(in->milestones, 2);
	assert_int_equal(in->milestones_done, 1);
	assert_string_equal(in->next_due, "2023-03-20");
	assert_string_equal(in->next_milestone, "Second");
	assert_non_null(strstr(in->rag_rule, "more than 30 days overdue"));
	/* 2022-09-30, no update for Q2: milestone 1 is due in 10 days with no progress */
	p = report(rpc_report_pack, (struct filter){.committee = "OSC1", .period = "2022-23-Q2"});
	assert_non_null(p);
	in = p->objectives[0]->interventions[0];
	assert_string_equal(in->rag, "amber");
	assert_non_null(strstr(in->rag_reason, "in 10 days, and there is no progress update"));
	assert_int_equal(in->milestones_done, 0); /* done after the as-of day */
	/* 2022-06-30: nothing due within 14 days */
	p = report(rpc_report_pack, (struct filter){.committee = "OSC1", .period = "2022-23-Q1"});
	assert_non_null(p);
	assert_string_equal(p->objectives[0]->interventions[0]->rag, "green");

	r = report(rpc_report_risks, (struct filter){.committee = "CAB", .period = "2022-23-Q4"});
	assert_non_null(r);
	assert_int_equal(r->n_risks, 2); /* R3 is retired */
	assert_string_equal(r->risks[0]->risk_id, "R1");
	assert_int_equal(r->risks[0]->score, 12);
	assert_int_equal(r->risks[0]->previous_likelihood, 3);
	assert_int_equal(r->risks[0]->previous_impact, 3);
	assert_string_equal(r->risks[0]->movement, "up");
	assert_int_equal(r->risks[0]->target_score, 6);
	assert_string_equal(r->risks[0]->against_target, "above target");
	assert_string_equal(r->risks[0]->owner, "Risk Owner");
	assert_string_equal(r->risks[0]->objective_id, "O1");
	assert_string_equal(r->risks[1]->against_target, "no target");
	assert_int_equal(r->above_target, 1);
	assert_int_equal(r->moved_up, 1);
	assert_int_equal(r->moved_down, 0);
	r = report(rpc_report_risks, (struct filter){.objective = "O2", .period = "2022-23-Q4"});
	assert_non_null(r);
	assert_int_equal(r->n_risks, 0);
	r = report(rpc_report_risks, (struct filter){.directorate = "D2", .period = "2022-23-Q4"});
	assert_non_null(r);
	assert_int_equal(r->n_risks, 0); /* both are D1's */
	assert_null(report(rpc_report_risks, (struct filter){.committee = "CAB"}));
	assert_int_equal(last_code, PMIF__CODE__INVALID_ARGUMENT);
	assert_null(
	    report(rpc_report_risks, (struct filter){.period = "2022-23-Q4", .objective = "NOPE"}));
	assert_int_equal(last_code, PMIF__CODE__NOT_FOUND);
}

static void test_bad_input(void **state)
{
	char huge[5000];

	(void)state;
	refused(rpc_report_scorecard, (struct filter){0}, PMIF__CODE__INVALID_ARGUMENT,
	        "period is required");
	refused(rpc_report_scorecard, (struct filter){.period = "2022-23-Q5"},
	        PMIF__CODE__INVALID_ARGUMENT, "is not a period");
	refused(rpc_report_scorecard, (struct filter){.period = "2022-23-q1"},
	        PMIF__CODE__INVALID_ARGUMENT, NULL);
	refused(rpc_report_scorecard, (struct filter){.period = "2030-31-Q1"},
	        PMIF__CODE__NOT_FOUND, "no period");
	refused(rpc_report_scorecard, (struct filter){.period = "2022-23-Q4", .committee = "NOPE"},
	        PMIF__CODE__NOT_FOUND, "NOPE");
	refused(rpc_report_exceptions, (struct filter){.period = "2022-23-Q4", .objective = "NOPE"},
	        PMIF__CODE__NOT_FOUND, NULL);
	refused(rpc_report_completeness,
	        (struct filter){.period = "2022-23-Q4", .directorate = "NOPE"},
	        PMIF__CODE__NOT_FOUND, NULL);
	refused(rpc_report_scorecard, (struct filter){.period = "2022-23-Q4", .locality = "nope"},
	        PMIF__CODE__NOT_FOUND, NULL);
	refused(rpc_report_trend, (struct filter){0}, PMIF__CODE__INVALID_ARGUMENT, "measure");
	refused(rpc_report_trend, (struct filter){.measure = "NOPE"}, PMIF__CODE__NOT_FOUND, NULL);
	refused(rpc_report_trend,
	        (struct filter){.measure = "PCT", .from = "2022-23", .to = "2020-21"},
	        PMIF__CODE__INVALID_ARGUMENT, "after");
	refused(rpc_report_trend, (struct filter){.measure = "PCT", .from = "nonsense"},
	        PMIF__CODE__INVALID_ARGUMENT, NULL);
	refused(rpc_report_trend, (struct filter){.measure = "DAYS", .locality = "north"},
	        PMIF__CODE__FAILED_PRECONDITION, NULL);
	refused(rpc_report_locality, (struct filter){.measure = "PCT"},
	        PMIF__CODE__INVALID_ARGUMENT, "period");
	refused(rpc_report_locality, (struct filter){.measure = "NOPE", .period = "2022-23-Q4"},
	        PMIF__CODE__NOT_FOUND, NULL);
	refused(rpc_report_pack, (struct filter){.period = "2022-23-Q4"},
	        PMIF__CODE__INVALID_ARGUMENT, "committee");
	refused(rpc_report_pack, (struct filter){.committee = "NOPE", .period = "2022-23-Q4"},
	        PMIF__CODE__NOT_FOUND, NULL);
	/* garbage ids: a clear NOT_FOUND, never a crash or a raw byte echoed */
	memset(huge, 'A', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	refused(rpc_report_trend, (struct filter){.measure = huge}, PMIF__CODE__NOT_FOUND, NULL);
	refused(rpc_report_scorecard, (struct filter){.period = "2022-23-Q4", .committee = huge},
	        PMIF__CODE__NOT_FOUND, NULL);
	refused(rpc_report_scorecard,
	        (struct filter){.period = "2022-23-Q4", .committee = "\x1b[31m\xff"},
	        PMIF__CODE__NOT_FOUND, NULL);
	assert_null(strchr(last_message, '\x1b'));
	refused(rpc_report_scorecard, (struct filter){.period = huge}, PMIF__CODE__INVALID_ARGUMENT,
	        NULL);
}

/* The reports read everything in one snapshot and cost one range scan per
 * line: a scorecard of the little framework takes well under 50 ms even
 * under sanitizers, so a regression to something quadratic shows. */
static void test_fast_enough(void **state)
{
	uint64_t t0 = report_clock_us();

	(void)state;
	for (int i = 0; i < 20; i++)
		assert_non_null(report(
		    rpc_report_pack, (struct filter){.committee = "CAB", .period = "2022-23-Q4"}));
	assert_true(report_clock_us() - t0 < 20 * 50000u);
}

/* ---- comparison with similar councils ----------------------------------- */

/* Load @p csv as an admin in a write transaction of its own: the status. */
static Pmif__Code load_comparators(const char *csv, bool illustrative,
                                   Pmif__ComparatorImportReply **out)
{
	Pmif__ComparatorImportRequest in = PMIF__COMPARATOR_IMPORT_REQUEST__INIT;
	char *copy = arena_strdup(&arena, csv);
	struct rpc_ctx ctx;
	MDB_txn *txn;
	int rc;

	assert_non_null(copy);
	in.csv.data = (uint8_t *)copy;
	in.csv.len = strlen(copy);
	in.source = "test source";
	in.as_of = "2023-06-30";
	in.illustrative = illustrative;
	in.file_name = "t.csv";
	assert_int_equal(mdb_txn_begin(srv.store->env, NULL, 0, &txn), 0);
	ctx = new_ctx(txn);
	ctx.op.actor.role = PMIF__ROLE__ADMIN;
	rc = compare_import_run(&ctx.op, &in, out);
	snprintf(last_message, sizeof(last_message), "%s", ctx.op.message ? ctx.op.message : "");
	if (rc == 0)
		assert_int_equal(mdb_txn_commit(txn), 0);
	else
		mdb_txn_abort(txn);
	return ctx.op.code;
}

static size_t sets_loaded(void)
{
	Pmif__ComparatorSetRecord **sets;
	struct rpc_ctx ctx;
	MDB_txn *txn;
	size_t n = 0;

	assert_int_equal(store_read_begin(srv.store, &txn), 0);
	ctx = new_ctx(txn);
	assert_int_equal(comparators_list(&ctx.op, NULL, &sets, &n), 0);
	mdb_txn_abort(txn);
	return n;
}

static void load_sets(void)
{
	Pmif__ComparatorImportReply *r = NULL;

	/* PCT (higher is better, 79 in 2022-23-Q4): 85 is better, 79 ties;
	 * DAYS has no 2022-23-Q4 value; CNT has no polarity (50); HALF has
	 * two councils for 2022-23-H1, too few */
	assert_int_equal(load_comparators("measure,period,comparator,value,kind\n"
	                                  "PCT,2022-23-Q4,A,85,council\n"
	                                  "PCT,2022-23-Q4,B,79.04,\n"
	                                  "PCT,2022-23-Q4,C,70,council\n"
	                                  "PCT,2022-23-Q4,D,60,council\n"
	                                  "PCT,2022-23-Q4,Nation,82,national\n"
	                                  "DAYS,2022-23-Q4,A,9,council\n"
	                                  "DAYS,2022-23-Q4,B,11,council\n"
	                                  "DAYS,2022-23-Q4,C,12,council\n"
	                                  "CNT,2022-23-Q4,A,10,council\n"
	                                  "CNT,2022-23-Q4,B,60,council\n"
	                                  "CNT,2022-23-Q4,C,70,council\n"
	                                  "HALF,2022-23-H1,A,40,council\n"
	                                  "HALF,2022-23-H1,B,60,regional\n"
	                                  "HALF,2022-23-H1,C,55,council\n",
	                                  true, &r),
	                 PMIF__CODE__OK);
	assert_int_equal(r->rows, 14);
	assert_int_equal(r->sets, 4);
	assert_int_equal(r->replaced, 0);
	assert_int_equal(sets_loaded(), 4);
}

static void test_compare(void **state)
{
	Pmif__ComparatorImportReply *r = NULL;
	Pmif__CompareReport *c;
	Pmif__Scorecard *sc;
	Pmif__MeasureLine *l;

	(void)state;
	/* a bad file: every problem, nothing written */
	assert_int_equal(load_comparators("measure,period,comparator,value,kind\n"
	                                  "PCT,2022-23-Q4,A,85,council\n"
	                                  "PCT,2022-23-H2,B,85,council\n"
	                                  "PCT,2022-23-Q4,C,inf,council\n",
	                                  false, &r),
	                 PMIF__CODE__INVALID_ARGUMENT);
	assert_non_null(strstr(last_message, "2 problems"));
	assert_non_null(
	    strstr(last_message, "line 3: period 2022-23-H2: PCT is reported for a quarter"));
	assert_non_null(strstr(last_message, "line 4: value: 'inf' is not a number"));
	assert_int_equal(sets_loaded(), 0);

	load_sets();

	sc = report(rpc_report_scorecard, (struct filter){.period = "2022-23-Q4"});
	assert_non_null(sc);
	l = line_of(sc->objectives, sc->n_objectives, "PCT");
	assert_non_null(l->compare);
	assert_int_equal(l->compare->status, PMIF__COMPARE_STATUS__COMPARE_RANKED);
	assert_int_equal(l->compare->rank, 2); /* 79.04 reads 79.0: a tie */
	assert_int_equal(l->compare->of, 5);
	assert_int_equal(l->compare->quartile, 2);
	assert_int_equal(l->compare->comparators, 4);
	assert_true(l->compare->illustrative);
	assert_string_equal(l->compare->source, "test source");
	assert_string_equal(l->compare->as_of, "2023-06-30");
	assert_string_equal(l->compare->label,
	                    "2nd of 5 similar councils, second quartile (higher is better)");
	assert_string_equal(l->compare->short_label, "2/5 Q2");
	l = line_of(sc->objectives, sc->n_objectives, "DAYS");
	assert_int_equal(l->compare->status, PMIF__COMPARE_STATUS__COMPARE_NO_VALUE);
	assert_int_equal(l->compare->rank, 0);
	assert_non_null(strstr(l->compare->label, "this council has no value for 2022-23-Q4"));
	l = line_of(sc->objectives, sc->n_objectives, "CNT");
	assert_int_equal(l->compare->status, PMIF__COMPARE_STATUS__COMPARE_NO_POLARITY);
	assert_int_equal(l->compare->rank, 3);
	assert_int_equal(l->compare->of, 4);
	/* no set for YEAR; and a locality's line is never compared */
	assert_null(line_of(sc->objectives, sc->n_objectives, "YEAR")->compare);
	sc = report(rpc_report_scorecard,
	            (struct filter){.period = "2022-23-Q4", .locality = "north"});
	assert_null(line_of(sc->objectives, sc->n_objectives, "PCT")->compare);

	c = report(rpc_report_compare, (struct filter){.period = "2022-23-Q4", .measure = "PCT"});
	assert_non_null(c);
	assert_int_equal(c->n_rows, 5);
	assert_int_equal(c->n_references, 1);
	assert_string_equal(c->references[0]->kind, "national");
	assert_int_equal(c->references[0]->rank, 0);
	assert_string_equal(c->rows[0]->name, "A");
	assert_int_equal(c->rows[0]->rank, 1);
	assert_true(c->rows[1]->this_council); /* this council before its tie */
	assert_int_equal(c->rows[1]->rank, 2);
	assert_string_equal(c->rows[2]->name, "B");
	assert_int_equal(c->rows[2]->rank, 2);
	assert_int_equal(c->rows[4]->rank, 5);
	assert_ptr_equal(c->position, c->measure->compare);

	/* too few: no ranks, rows still listed */
	c = report(rpc_report_compare, (struct filter){.period = "2022-23-Q3", .measure = "HALF"});
	assert_non_null(c);
	assert_string_equal(c->measure->period, "2022-23-H1");
	assert_int_equal(c->position->status, PMIF__COMPARE_STATUS__COMPARE_TOO_FEW);
	assert_int_equal(c->n_rows, 3);
	for (size_t i = 0; i < c->n_rows; i++)
		assert_int_equal(c->rows[i]->rank, 0);
	assert_int_equal(c->n_references, 1);
	/* no set: said, not refused */
	c = report(rpc_report_compare, (struct filter){.period = "2022-23-Q4", .measure = "YEAR"});
	assert_non_null(c);
	assert_int_equal(c->position->status, PMIF__COMPARE_STATUS__COMPARE_NONE);
	assert_int_equal(c->n_rows, 0);
	refused(rpc_report_compare, (struct filter){.period = "2022-23-Q4"},
	        PMIF__CODE__INVALID_ARGUMENT, "a measure is required");
	refused(rpc_report_compare, (struct filter){.measure = "PCT"}, PMIF__CODE__INVALID_ARGUMENT,
	        "a period is required");
	refused(rpc_report_compare, (struct filter){.period = "2022-23-Q4", .measure = "NOPE"},
	        PMIF__CODE__NOT_FOUND, "there is no measure 'NOPE'");

	/* loading the same measure and period again replaces the set whole */
	assert_int_equal(load_comparators("measure,period,comparator,value,kind\n"
	                                  "PCT,2022-23-Q4,A,70,council\n"
	                                  "PCT,2022-23-Q4,B,71,council\n"
	                                  "PCT,2022-23-Q4,C,72,council\n",
	                                  false, &r),
	                 PMIF__CODE__OK);
	assert_int_equal(r->replaced, 1);
	assert_int_equal(sets_loaded(), 4);
	c = report(rpc_report_compare, (struct filter){.period = "2022-23-Q4", .measure = "PCT"});
	assert_int_equal(c->position->rank, 1);
	assert_int_equal(c->position->of, 4);
	assert_false(c->position->illustrative);
	assert_int_equal(c->n_references, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_period_for),
	    cmocka_unit_test_setup_teardown(test_scorecard, test_setup, test_teardown),
	    cmocka_unit_test_setup_teardown(test_scorecard_other_frequencies, test_setup,
	                                    test_teardown),
	    cmocka_unit_test_setup_teardown(test_scorecard_filters, test_setup, test_teardown),
	    cmocka_unit_test_setup_teardown(test_exceptions, test_setup, test_teardown),
	    cmocka_unit_test_setup_teardown(test_completeness, test_setup, test_teardown),
	    cmocka_unit_test_setup_teardown(test_trend, test_setup, test_teardown),
	    cmocka_unit_test_setup_teardown(test_locality, test_setup, test_teardown),
	    cmocka_unit_test_setup_teardown(test_pack, test_setup, test_teardown),
	    cmocka_unit_test_setup_teardown(test_plans_and_risks, test_setup, test_teardown),
	    cmocka_unit_test_setup_teardown(test_bad_input, test_setup, test_teardown),
	    cmocka_unit_test_setup_teardown(test_fast_enough, test_setup, test_teardown),
	    cmocka_unit_test_setup_teardown(test_compare, test_setup, test_teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
