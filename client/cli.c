/*
 * cli.c - option parsing from declared tables, help, errors, exit codes.
 *
 * Parsing is getopt_long's; the tables here only add the help text and
 * the multi-value bookkeeping.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli.h"

static size_t count_opts(const struct cli_opt *opts)
{
	size_t n = 0;

	while (opts && opts[n].name)
		n++;
	return n;
}

void cli_help(const struct cli_command *cmd, FILE *f)
{
	size_t n = count_opts(cmd->opts);

	fprintf(f, "usage: pmif %s%s%s%s\n\n  %s\n", cmd->name, cmd->synopsis ? " " : "",
	        cmd->synopsis ? cmd->synopsis : "", n ? " [OPTIONS]" : "", cmd->help);
	if (n)
		fprintf(f, "\noptions:\n");
	for (size_t i = 0; i < n; i++) {
		char left[64];
		const struct cli_opt *o = &cmd->opts[i];

		snprintf(left, sizeof(left), "-%s%s%s%s", o->name[1] ? "-" : "", o->name,
		         o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(f, "  %-26s %s%s\n", left, o->help, o->multi ? " (repeatable)" : "");
	}
}

/* A negative number ("-5", "-0.25"): a value, not an option. */
static bool is_negative_number(const char *s)
{
	char *end;

	if (s[0] != '-' || !(s[1] == '.' || (s[1] >= '0' && s[1] <= '9')))
		return false;
	(void)strtod(s, &end);
	return *end == '\0';
}

/*
 * getopt takes "-5" for an option.  Before parsing, each negative number
 * in argv is swapped for a placeholder of our own (getopt moves pointers,
 * never copies them); after parsing, every placeholder, wherever getopt
 * moved it and whether it became a positional or an option's value, gets
 * its number back.
 */
#define CLI_MAX_NEGATIVES 16

struct negatives {
	char placeholder[CLI_MAX_NEGATIVES][2];
	char *number[CLI_MAX_NEGATIVES];
	size_t n;
};

static void hide_negatives(struct negatives *ng, int argc, char **argv)
{
	ng->n = 0;
	for (int i = 1; i < argc && ng->n < CLI_MAX_NEGATIVES; i++)
		if (is_negative_number(argv[i])) {
			ng->placeholder[ng->n][0] = '0';
			ng->placeholder[ng->n][1] = '\0';
			ng->number[ng->n] = argv[i];
			argv[i] = ng->placeholder[ng->n++];
		}
}

static const char *number_of(const struct negatives *ng, const char *s)
{
	for (size_t k = 0; k < ng->n; k++)
		if (s == ng->placeholder[k])
			return ng->number[k];
	return s;
}

static void restore_negatives(const struct negatives *ng, int argc, char **argv,
                              struct cli_args *out)
{
	if (ng->n == 0)
		return;
	for (int i = 1; i < argc; i++)
		argv[i] = (char *)number_of(ng, argv[i]);
	for (size_t i = 0; i < out->n_opts; i++)
		for (size_t j = 0; j < out->n_values[i]; j++)
			out->values[i][j] = number_of(ng, out->values[i][j]);
}

static int parse_options(const struct cli_command *cmd, int argc, char **argv, struct cli_args *out)
{
	struct option lopts[CLI_MAX_OPTS + 2];
	char shorts[2 * CLI_MAX_OPTS + 2] = "h";
	size_t n = count_opts(cmd->opts), ns = 1;
	int c, idx;

	memset(out, 0, sizeof(*out));
	out->opts = cmd->opts;
	out->n_opts = n;
	for (size_t i = 0; i < n; i++) {
		lopts[i].name = cmd->opts[i].name;
		lopts[i].has_arg = cmd->opts[i].arg ? required_argument : no_argument;
		lopts[i].flag = NULL;
		lopts[i].val = 256 + (int)i;
		/* a one-letter option is also "-X" (e.g. "-o FILE") */
		if (cmd->opts[i].name[0] && !cmd->opts[i].name[1] && ns + 2 < sizeof(shorts)) {
			shorts[ns++] = cmd->opts[i].name[0];
			if (cmd->opts[i].arg)
				shorts[ns++] = ':';
			shorts[ns] = '\0';
		}
	}
	lopts[n] = (struct option){"help", no_argument, NULL, 'h'};
	lopts[n + 1] = (struct option){0, 0, 0, 0};
	optind = 0; /* 0, not 1: makes GNU getopt forget main()'s "+" ordering */
	opterr = 0;
	/* GNU getopt permutes: options may come before or after positionals */
	while ((c = getopt_long(argc, argv, shorts, lopts, &idx)) != -1) {
		size_t i;

		for (i = 0; c > 0 && c < 256 && c != 'h' && c != '?' && c != ':' && i < n; i++)
			if (cmd->opts[i].name[0] == c && !cmd->opts[i].name[1]) {
				c = 256 + (int)i;
				break;
			}

		if (c == 'h') {
			cli_help(cmd, stdout);
			return -1;
		}
		if (c == '?' || c == ':') {
			if (optopt >= 256 && (size_t)(optopt - 256) < n)
				fprintf(stderr, "pmif %s: --%s needs a value (%s)\n", cmd->name,
				        cmd->opts[optopt - 256].name, cmd->opts[optopt - 256].arg);
			else if (optopt > 0 && optopt < 256 && strchr(shorts, optopt))
				fprintf(stderr, "pmif %s: -%c needs a value\n", cmd->name, optopt);
			else if (optopt > 0 && optopt < 256) /* in a cluster like "-5x" */
				fprintf(stderr, "pmif %s: unknown option '-%c'\n", cmd->name,
				        optopt);
			else
				fprintf(stderr, "pmif %s: unknown option '%s'\n", cmd->name,
				        argv[optind - 1]);
			fprintf(stderr, "run 'pmif %s --help' for its options\n", cmd->name);
			return EXIT_USAGE;
		}
		i = (size_t)(c - 256);
		if (out->n_values[i] > 0 && !cmd->opts[i].multi) {
			fprintf(stderr, "pmif %s: --%s given twice\n", cmd->name,
			        cmd->opts[i].name);
			return EXIT_USAGE;
		}
		if (out->n_values[i] == CLI_MAX_VALUES) {
			fprintf(stderr, "pmif %s: --%s given too many times\n", cmd->name,
			        cmd->opts[i].name);
			return EXIT_USAGE;
		}
		out->values[i][out->n_values[i]++] = cmd->opts[i].arg ? optarg : "";
	}
	out->pos = argv + optind;
	out->n_pos = (size_t)(argc - optind);
	if (out->n_pos < cmd->min_pos || out->n_pos > cmd->max_pos) {
		fprintf(stderr, "usage: pmif %s%s%s\n", cmd->name, cmd->synopsis ? " " : "",
		        cmd->synopsis ? cmd->synopsis : "");
		fprintf(stderr, "run 'pmif %s --help' for more\n", cmd->name);
		return EXIT_USAGE;
	}
	return 0;
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_args *out)
{
	struct negatives ng;
	int rc;

	hide_negatives(&ng, argc, argv);
	rc = parse_options(cmd, argc, argv, out);
	restore_negatives(&ng, argc, argv, out);
	return rc;
}

static int find(const struct cli_args *a, const char *name)
{
	for (size_t i = 0; i < a->n_opts; i++)
		if (strcmp(a->opts[i].name, name) == 0)
			return (int)i;
	return -1;
}

const char *cli_get(const struct cli_args *a, const char *name)
{
	int i = find(a, name);

	return i >= 0 && a->n_values[i] ? a->values[i][0] : NULL;
}

bool cli_flag(const struct cli_args *a, const char *name)
{
	int i = find(a, name);

	return i >= 0 && a->n_values[i] > 0;
}

const char **cli_all(const struct cli_args *a, const char *name, size_t *n)
{
	int i = find(a, name);

	*n = i >= 0 ? a->n_values[i] : 0;
	return i >= 0 ? (const char **)a->values[i] : NULL;
}

int cli_error(int code, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "pmif: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int cli_exit_for(Pmif__Code code)
{
	switch (code) {
	case PMIF__CODE__OK: return EXIT_OK;
	case PMIF__CODE__UNAUTHENTICATED: return EXIT_UNAUTH;
	case PMIF__CODE__PERMISSION_DENIED: return EXIT_DENIED;
	case PMIF__CODE__NOT_FOUND: return EXIT_NOTFOUND;
	case PMIF__CODE__INVALID_ARGUMENT:
	case PMIF__CODE__ALREADY_EXISTS:
	case PMIF__CODE__FAILED_PRECONDITION:
	case PMIF__CODE__OUT_OF_RANGE:
	case PMIF__CODE__ABORTED: return EXIT_INVALID;
	case PMIF__CODE__UNAVAILABLE:
	case PMIF__CODE__DEADLINE_EXCEEDED: return EXIT_UNREACHABLE;
	case PMIF__CODE__STORE_DISK_FULL:
	case PMIF__CODE__STORE_MAP_FULL:
	case PMIF__CODE__STORE_IO_ERROR: return EXIT_STORE;
	default: return EXIT_FAIL;
	}
}

int cli_read_password(bool from_stdin, const char *prompt, char *buf, size_t cap)
{
	struct termios old, noecho;
	bool tty = !from_stdin && isatty(STDIN_FILENO);

	if (!from_stdin && !tty)
		return cli_error(EXIT_USAGE, "no terminal to ask for the password: use "
		                             "--password-stdin");
	if (tty) {
		tcgetattr(STDIN_FILENO, &old);
		noecho = old;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho);
		fprintf(stderr, "%s", prompt);
	}
	if (fgets(buf, (int)cap, stdin) == NULL)
		buf[0] = '\0';
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	buf[strcspn(buf, "\r\n")] = '\0';
	if (buf[0] == '\0')
		return cli_error(EXIT_USAGE, "no password given");
	return 0;
}
