/*
 * cli.h - what every pmif command shares: exit codes, options declared as
 * data (with their help text, so --help and errors cannot drift apart),
 * the global options, and error reporting.
 */
#ifndef PMIF_CLI_H
#define PMIF_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "pmif.pb-c.h"

/* Exit codes: fixed by the brief, relied on by scripts. */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,
	EXIT_USAGE = 2,
	EXIT_UNREACHABLE = 3,
	EXIT_UNAUTH = 4,
	EXIT_DENIED = 5,
	EXIT_NOTFOUND = 6,
	EXIT_INVALID = 7,
	EXIT_STORE = 8, /* the server cannot save changes: store full or failing */
};

/* One option of a command.  arg is the value's name ("USER"), NULL for a
 * flag.  multi: may be given more than once. */
struct cli_opt {
	const char *name;
	const char *arg;
	const char *help;
	bool multi;
};

#define CLI_MAX_OPTS   24
#define CLI_MAX_VALUES 64

/* Parsed options of one command: values[i] for opts[i]. */
struct cli_args {
	const struct cli_opt *opts;
	size_t n_opts;
	const char *values[CLI_MAX_OPTS][CLI_MAX_VALUES];
	size_t n_values[CLI_MAX_OPTS];
	char **pos; /* positional arguments */
	size_t n_pos;
};

/* A command: "admin user add" has path {"admin", "user", "add"} flattened
 * as name "admin user add".  run gets the parsed args. */
struct cli_global;
struct cli_command {
	const char *name;
	const char *synopsis; /* positional arguments, e.g. "USER" */
	const char *help;     /* one line */
	const struct cli_opt *opts;
	size_t min_pos, max_pos;
	int (*run)(struct cli_global *g, struct cli_args *a);
};

struct cli_global {
	const char *server;     /* URL */
	const char *server_key; /* pinned fingerprint, or NULL */
	bool json;
	int timeout_ms;
	const struct cli_command *cmd;
};

/**
 * Parse argv (after the command words) against @p cmd's options.  Prints a
 * usage error and returns EXIT_USAGE on bad options, or -1 after printing
 * help for --help; 0 on success.
 */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, struct cli_args *out);

/** Print @p cmd's help (synopsis and each option with its text). */
void cli_help(const struct cli_command *cmd, FILE *f);

/** The first value of option @p name, or NULL. */
const char *cli_get(const struct cli_args *a, const char *name);
/** Was the flag @p name given? */
bool cli_flag(const struct cli_args *a, const char *name);
/** All values of option @p name; *n set to their count. */
const char **cli_all(const struct cli_args *a, const char *name, size_t *n);

/** Print "pmif: <message>" to stderr; returns @p code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Exit code for a server status code. */
int cli_exit_for(Pmif__Code code);

/** Read a password: from stdin with @p from_stdin (one line), else prompt
 *  on the terminal without echo.  Returns 0 or an exit code. */
int cli_read_password(bool from_stdin, const char *prompt, char *buf, size_t cap);

#endif
