/*
 * main.c - pmif: global options, then the longest command name that the
 * words on the command line spell, then that command.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#define DEFAULT_SERVER  "tcp://127.0.0.1:7450"
#define DEFAULT_TIMEOUT 10

struct family {
	const struct cli_command *cmds;
	const size_t *n;
};

static const struct family families[] = {
    {session_commands, &n_session_commands},
    {admin_user_commands, &n_admin_user_commands},
    {framework_commands, &n_framework_commands},
    {admin_framework_commands, &n_admin_framework_commands},
    {period_commands, &n_period_commands},
    {report_commands, &n_report_commands},
    {value_commands, &n_value_commands},
    {entry_commands, &n_entry_commands},
    {action_commands, &n_action_commands},
    {plan_commands, &n_plan_commands},
    {comparator_commands, &n_comparator_commands},
};
#define N_FAMILIES (sizeof(families) / sizeof(families[0]))

static const struct cli_opt global_opts[] = {
    {"server", "URL", "the server (default $PMIF_SERVER or " DEFAULT_SERVER ")"},
    {"server-key", "FP", "the server key fingerprint to pin (default $PMIF_SERVER_KEY)"},
    {"json", NULL, "machine-readable output on stdout"},
    {"timeout", "SECONDS",
     "give up waiting for the server's answer after this long (default 10; a server that "
     "cannot be reached at all is reported within 3)"},
    {"request-id", "HEX",
     "send the command's first request with this id (32 hex digits): "
     "the same command run again with it is answered, not applied twice"},
    {"help", NULL, "this help"},
    {"version", NULL, "print the version"},
    {0}};

/* One command's line in a list: "  login USER    log in to the server". */
static void command_line(FILE *f, const struct cli_command *c)
{
	char left[64];

	snprintf(left, sizeof(left), "%s%s%s", c->name, c->synopsis ? " " : "",
	         c->synopsis ? c->synopsis : "");
	fprintf(f, "  %-34s %s\n", left, c->help);
}

static void usage(FILE *f)
{
	fprintf(f, "usage: pmif [GLOBAL OPTIONS] COMMAND [ARGS] [OPTIONS]\n\nglobal options:\n");
	for (const struct cli_opt *o = global_opts; o->name; o++) {
		char left[48];
		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "",
		         o->arg ? o->arg : "");
		fprintf(f, "  %-22s %s\n", left, o->help);
	}
	fprintf(f, "\ncommands:\n");
	for (size_t k = 0; k < N_FAMILIES; k++)
		for (size_t i = 0; i < *families[k].n; i++)
			command_line(f, &families[k].cmds[i]);
	fprintf(f, "\n'pmif COMMAND --help' describes a command's options.\n"
	           "exit codes: 0 ok, 1 failure, 2 usage, 3 server unreachable, 4 not "
	           "authenticated,\n5 permission denied, 6 not found, 7 invalid input, conflict "
	           "or locked period,\n8 the server cannot save changes: store full or failing\n");
}

/* The command whose name the words argv[0..] spell, longest first; *used
 * gets how many words it took. */
static const struct cli_command *find_command(int argc, char **argv, int *used)
{
	const struct cli_command *best = NULL;
	int best_words = 0;

	for (size_t k = 0; k < N_FAMILIES; k++)
		for (size_t i = 0; i < *families[k].n; i++) {
			const struct cli_command *c = &families[k].cmds[i];
			const char *p = c->name;
			int w = 0;
			bool match = true;

			while (*p && match) {
				size_t len = strcspn(p, " ");
				if (w >= argc || strlen(argv[w]) != len ||
				    strncmp(argv[w], p, len) != 0)
					match = false;
				p += len;
				while (*p == ' ')
					p++;
				w++;
			}
			if (match && w > best_words) {
				best = c;
				best_words = w;
			}
		}
	*used = best_words;
	return best;
}

/* "pmif admin user" alone (to stderr), or "pmif report --help" (to
 * stdout): the commands that start with those words.  Returns how many. */
static int list_prefix(int argc, char **argv, FILE *f)
{
	char prefix[256] = "";
	int found = 0;

	for (int i = 0; i < argc && i < 4; i++) {
		strncat(prefix, argv[i], sizeof(prefix) - strlen(prefix) - 2);
		strcat(prefix, " ");
	}
	for (size_t k = 0; k < N_FAMILIES; k++)
		for (size_t i = 0; i < *families[k].n; i++) {
			const struct cli_command *c = &families[k].cmds[i];
			if (strncmp(c->name, prefix, strlen(prefix)) == 0) {
				if (!found)
					fprintf(f, "commands:\n");
				command_line(f, c);
				found++;
			}
		}
	if (found)
		fprintf(f, "\n'pmif COMMAND --help' describes a command's options.\n");
	return found;
}

/* --request-id HEX: 32 hex digits, for the command's first request. */
static int parse_request_id(const char *hex)
{
	uint8_t id[16];

	if (strlen(hex) != 32 || strspn(hex, "0123456789abcdefABCDEF") != 32)
		return -1;
	for (int i = 0; i < 16; i++) {
		unsigned v;
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		id[i] = (uint8_t)v;
	}
	conn_use_request_id(id);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option lopts[] = {{"server", required_argument, 0, 's'},
	                                      {"server-key", required_argument, 0, 'k'},
	                                      {"json", no_argument, 0, 'j'},
	                                      {"timeout", required_argument, 0, 't'},
	                                      {"request-id", required_argument, 0, 'r'},
	                                      {"help", no_argument, 0, 'h'},
	                                      {"version", no_argument, 0, 'V'},
	                                      {0, 0, 0, 0}};
	struct cli_global g = {0};
	struct cli_args args;
	const struct cli_command *cmd;
	const char *env;
	int c, used, rc;
	long t;
	char *end;

	g.server = (env = getenv("PMIF_SERVER")) && *env ? env : DEFAULT_SERVER;
	g.server_key = (env = getenv("PMIF_SERVER_KEY")) && *env ? env : NULL;
	g.timeout_ms = DEFAULT_TIMEOUT * 1000;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", lopts, NULL)) != -1) {
		switch (c) {
		case 's': g.server = optarg; break;
		case 'k': g.server_key = optarg; break;
		case 'j': g.json = true; break;
		case 't':
			t = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || t < 1 || t > 3600)
				return cli_error(EXIT_USAGE,
				                 "--timeout takes whole seconds from 1 to "
				                 "3600, not '%s'",
				                 optarg);
			g.timeout_ms = (int)t * 1000;
			break;
		case 'r':
			if (parse_request_id(optarg) != 0)
				return cli_error(EXIT_USAGE,
				                 "--request-id takes 32 hex digits (16 bytes), not "
				                 "'%s'",
				                 optarg);
			break;
		case 'h': usage(stdout); return EXIT_OK;
		case 'V': printf("pmif %s\n", PMIF_VERSION); return EXIT_OK;
		default:
			fprintf(stderr, "pmif: unknown or incomplete option '%s'\n",
			        argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0 || strcmp(argv[0], "help") == 0) {
		if (argc > 1) {
			cmd = find_command(argc - 1, argv + 1, &used);
			if (cmd) {
				cli_help(cmd, stdout);
				return EXIT_OK;
			}
			if (list_prefix(argc - 1, argv + 1, stdout))
				return EXIT_OK;
		}
		usage(argc == 0 ? stderr : stdout);
		return argc == 0 ? EXIT_USAGE : EXIT_OK;
	}
	cmd = find_command(argc, argv, &used);
	if (cmd == NULL) {
		/* a group's words: "pmif report --help" lists it, "pmif report" too */
		bool help = argc > 1 && (strcmp(argv[argc - 1], "--help") == 0 ||
		                         strcmp(argv[argc - 1], "-h") == 0);

		if (list_prefix(help ? argc - 1 : argc, argv, help ? stdout : stderr))
			return help ? EXIT_OK : EXIT_USAGE;
		fprintf(stderr, "pmif: unknown command '%s'\n", argv[0]);
		fprintf(stderr, "run 'pmif help' for the list of commands\n");
		return EXIT_USAGE;
	}
	g.cmd = cmd;
	/* the command's own argv: its name word last, so getopt starts after it */
	rc = cli_parse(cmd, argc - used + 1, argv + used - 1, &args);
	if (rc == -1)
		return EXIT_OK;
	if (rc != 0)
		return rc;
	return cmd->run(&g, &args);
}
