/*
 * main.c - pmif-bench: the PMIF benchmark suite, one subcommand per
 * benchmark.  bench/run.sh starts the servers and runs them all in one go;
 * docs/BENCHMARKS.md says what each measures and why.
 */
#include <stdio.h>
#include <string.h>

#include "bench.h"

static int cmd_methods(int argc, char **argv);

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
} commands[] = {
    {"echo-server", bench_cmd_echo_server, "URL [--workers N]: the echo floor's server"},
    {"floor", bench_cmd_floor, "--echo URL ...: echo floor latency and throughput"},
    {"read", bench_cmd_read, "--pmif URL --fp FP --user U --echo URL: read RPC latency"},
    {"load", bench_cmd_load, "--pmif URL ... --data DIR --pid PID: read/write throughput"},
    {"handshake", bench_cmd_handshake, "--pmif URL --fp FP --user U: handshake and login"},
    {"rss", bench_cmd_rss, "--pid PID [--label L]: server memory"},
    {"lmdb", bench_cmd_lmdb, "--dir DIR: LMDB single-commit and read floors"},
    {"csv-gen", bench_cmd_csv_gen, "FILE [--rows N]: the import CSV"},
    {"sqlite-import", bench_cmd_sqlite_import, "FILE DB: sqlite3 imports the CSV"},
    {"csv-import", bench_cmd_csv_import, "FILE --pmif URL ...: PMIF imports the CSV"},
    {"fw-gen", bench_cmd_fw_gen, "BASE OUT --measures N: a framework of N measures"},
    {"report-size", bench_cmd_report_size, "--pmif URL ...: scorecard time vs framework size"},
    {"soak", bench_cmd_soak, "--pmif URL ... --data DIR --pid PID: mixed load for a long time"},
    {"methods", cmd_methods, ": the Pmif methods this build knows"},
};

static int cmd_methods(int argc, char **argv)
{
	const char *names[] = {"Health",          "WhoAmI",   "FrameworkGet",
	                       "ReportScorecard", "ValueSet", "ValueImport"};
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		bench_emit("methods", "method=%s present=%d", names[i],
		           bench_method(names[i]) != NULL);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 2)
		for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
			if (strcmp(argv[1], commands[i].name) == 0)
				return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "usage: pmif-bench COMMAND ...\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(stderr, "  %-14s %s\n", commands[i].name, commands[i].help);
	fprintf(stderr, "Results are 'name=... key=value' lines on stdout; see bench/run.sh.\n");
	return 2;
}
