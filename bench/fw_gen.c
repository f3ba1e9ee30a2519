/*
 * fw_gen.c - frameworks of a chosen size for "report time vs size".
 *
 *   pmif-bench fw-gen BASE.json OUT.json --measures N
 *                     [--sizes PO3:10,PO4:100,PO5:1000,PO1:*]
 *
 * Keeps everything of BASE (deploy/framework/gateshead.json: directorates,
 * localities, committees, objectives, periods) and adds N generated
 * measures BENCH-00001..BENCH-N, the first 10 under PO3, the next 100
 * under PO4 and so on ("*": the rest), so scorecards of those objectives
 * are a size series in one store.  Their ids are the ones csv-gen writes
 * values for (20 quarters x 5 localities each).  Each measure is kept
 * small (no description) so 10,000 fit the framework file limit; the
 * polarities and targets vary so RAG, direction and SPC all have work to
 * do.  The step after this one (the Scorecard timing itself) is
 * planned in docs/BENCHMARKS.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "bench.h"

static json_t *measure(unsigned i, const char *objective)
{
	/* percent throughout: csv-gen's values are numerator / denominator */
	static const char *const units[] = {"percent"};
	static const char *const polarity[] = {"higher", "lower", "none"};
	char id[32], title[64];
	json_t *targets = json_object(), *m;

	snprintf(id, sizeof(id), "BENCH-%05u", i);
	snprintf(title, sizeof(title), "Measure %u", i);
	for (unsigned y = 2; y < 5; y++) { /* 2022-23 .. 2024-25 */
		char year[16];
		snprintf(year, sizeof(year), "%u-%02u", 2020 + y, 21 + y);
		json_object_set_new(targets, year, json_real(40.0 + (i * 7 + y * 3) % 50));
	}
	if (i % 3 == 2) { /* context only: no targets, no tolerance */
		json_decref(targets);
		return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:b}", "id", id,
		                 "title", title, "objective", objective, "kind", "operational",
		                 "unit", units[0], "polarity", "none", "frequency", "quarterly",
		                 "directorate", "CAF", "committees", "CABINET", "by_locality", 1);
	}
	m = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:b, s:o, s:f}", "id", id,
	              "title", title, "objective", objective, "kind",
	              i % 3 ? "operational" : "strategic", "unit", units[0], "polarity",
	              polarity[i % 3], "frequency", "quarterly", "directorate", "CAF", "committees",
	              "CABINET", "by_locality", 1, "targets", targets, "tolerance",
	              1.0 + (double)(i % 4));
	return m;
}

/* The objective of measure @p i (1-based) under "ID:COUNT,...,ID:*". */
static const char *objective_of(const char *sizes, unsigned i, char *buf, size_t cap)
{
	unsigned upto = 0;
	const char *p = sizes;

	while (*p) {
		size_t idlen = strcspn(p, ":");
		const char *count = p + idlen + (p[idlen] == ':');
		snprintf(buf, cap, "%.*s", (int)(idlen < cap ? idlen : cap - 1), p);
		if (*count == '*')
			return buf;
		upto += (unsigned)strtoul(count, NULL, 10);
		if (i <= upto)
			return buf;
		p = count + strcspn(count, ",");
		if (*p == ',')
			p++;
	}
	return buf; /* past the end: the last objective named */
}

int bench_cmd_fw_gen(int argc, char **argv)
{
	unsigned n = (unsigned)bench_opt_num(argc, argv, "--measures", 10000);
	const char *sizes = bench_opt(argc, argv, "--sizes", "PO3:10,PO4:100,PO5:1000,PO1:*");
	char objective[32];
	json_error_t err;
	json_t *fw, *measures;

	if (argc < 3 || argv[1][0] == '-' || argv[2][0] == '-') {
		fprintf(stderr, "usage: pmif-bench fw-gen BASE.json OUT.json --measures N "
		                "[--sizes ID:N,...,ID:*]\n");
		return 2;
	}
	fw = json_load_file(argv[1], 0, &err);
	if (fw == NULL || !json_is_array(measures = json_object_get(fw, "measures"))) {
		bench_note("cannot read the framework %s: %s", argv[1],
		           fw ? "no measures" : err.text);
		return 1;
	}
	for (unsigned i = 1; i <= n; i++)
		json_array_append_new(
		    measures, measure(i, objective_of(sizes, i, objective, sizeof(objective))));
	if (json_dump_file(fw, argv[2], JSON_COMPACT) != 0) {
		bench_note("cannot write %s", argv[2]);
		return 1;
	}
	bench_emit("fw.gen", "measures=%u sizes=%s base_measures=%zu file=%s", n, sizes,
	           json_array_size(measures) - n, argv[2]);
	json_decref(fw);
	return 0;
}
