/*
 * cmd_serve.c - 'pmifd serve': its options as data, the config file
 * (--config) that holds the same options by the same names, and what a
 * reload (SIGHUP) may change; then serve.
 *
 * serve_opts[] is the one table: getopt's table, --help, the config
 * file's keys and the reload's comparison all come from it, so an option
 * added there is a config key (and shown in the help) with no other
 * change.  A row with .reload set takes effect on SIGHUP; any other
 * changed option is logged as needing a restart.
 *
 * The settings are built the same way at start and on every reload:
 * defaults, then the file, then the command line over it.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "config_file.h"
#include "error.h"
#include "log.h"
#include "pmifd.h"
#include "server.h"
#include "store.h"

#define DEFAULT_LISTEN "tcp://127.0.0.1:7450"
#define MAX_LISTEN     (sizeof(((struct server_config *)0)->listen) / sizeof(char *))

enum opt_kind {
	OPT_TEXT,   /* a const char * field */
	OPT_LISTEN, /* appended to listen[] */
	OPT_UINT,   /* an unsigned field in [min, max] */
	OPT_FLAG,   /* an int field: 1 when given (--quiet, --quiet=false; true/false in a file) */
	OPT_CONFIG, /* command line only: the file */
	OPT_HELP,   /* command line only */
};

struct serve_opt {
	const char *name; /* --NAME, and NAME in the config file */
	char short_name;  /* -d, or 0 */
	const char *arg;  /* the value's name in the help; NULL: none */
	const char *help;
	enum opt_kind kind;
	size_t field; /* offsetof(struct server_config, ...) */
	unsigned min, max;
	bool reload; /* a SIGHUP applies a change without a restart */
};

#define FIELD(f) offsetof(struct server_config, f)

static const struct serve_opt serve_opts[] = {
    {"config", 'c', "PATH", "read options from this file first (the command line wins)",
     OPT_CONFIG},
    {"data", 'd', "DIR", "the store's directory (required)", OPT_TEXT, FIELD(data_dir)},
    {"listen", 'l', "URL",
     "tcp://HOST:PORT or ipc:///PATH; repeatable (default " DEFAULT_LISTEN ")", OPT_LISTEN},
    {"workers", 'w', "N", "worker threads (default: one per core)", OPT_UINT, FIELD(workers), 1,
     256},
    {"max-channels", 0, "N", "open channels kept in memory (default 4096)", OPT_UINT,
     FIELD(max_channels), 1, 65536},
    {"channel-idle", 0, "S", "seconds before an unused channel is dropped (default 3600)", OPT_UINT,
     FIELD(channel_idle), 1, 86400 * 30, true},
    {"session-idle", 0, "S", "seconds a session may go unused (default 1800)", OPT_UINT,
     FIELD(session_idle), 1, 86400 * 30, true},
    {"session-max", 0, "S", "seconds a session may last at all (default 43200)", OPT_UINT,
     FIELD(session_absolute), 1, 86400 * 30, true},
    {"login-window", 0, "S", "login throttle window in seconds (default 300)", OPT_UINT,
     FIELD(login_window), 1, 86400 * 30, true},
    {"report-cache", 0, "MB", "report answers kept until the data changes (default 32; 0: off)",
     OPT_UINT, FIELD(report_cache_mb), 0, 4096, true},
    {"map-size", 0, "MB",
     "the store's map at start, grown (doubling) as data needs (default 256, never below the "
     "data file's size)",
     OPT_UINT, FIELD(map_mb), 1, 86400 * 30},
    {"map-max", 0, "MB", "the store's size ceiling: writes past it are refused (default 16384)",
     OPT_UINT, FIELD(map_max_mb), 1, 86400 * 30},
    {"stop-timeout", 0, "S", "seconds a stop waits for requests in flight (default 30)", OPT_UINT,
     FIELD(stop_timeout), 1, 3600, true},
    {"quiet", 'q', NULL, "no per-request log lines", OPT_FLAG, FIELD(quiet), .reload = true},
    {"help", 'h', NULL, "this help", OPT_HELP},
};

#define N_OPTS (sizeof(serve_opts) / sizeof(serve_opts[0]))

static const struct server_config defaults = {
    .max_channels = 4096,
    .channel_idle = 3600,
    .login_window = 300,
    .max_batch = 256,
    .session_idle = 1800,
    .session_absolute = 43200,
    .report_cache_mb = 32,
    .stop_timeout = 30,
    .map_max_mb = STORE_MAP_MAX_MB_DEFAULT,
};

/* Settings being built, and the copies of the file's text they point to. */
struct settings {
	struct server_config cfg;
	const char *config_path;
	unsigned set_on[N_OPTS]; /* the file line that set each option; 0: not from the file */
	bool cli_listen;         /* the command line gave --listen: the file's are dropped */
	char *owned[MAX_LISTEN + 8];
	unsigned n_owned;
};

/* What 'pmifd serve' was started with: a reload reads them again. */
struct serve_args {
	int argc;
	char **argv;
};

static void settings_release(struct settings *s)
{
	for (unsigned i = 0; i < s->n_owned; i++)
		free(s->owned[i]);
	s->n_owned = 0;
}

static void *field_of(struct server_config *cfg, const struct serve_opt *o)
{
	return (char *)cfg + o->field;
}

static const void *cfield_of(const struct server_config *cfg, const struct serve_opt *o)
{
	return (const char *)cfg + o->field;
}

static int parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int parse_flag(const char *s, int *out)
{
	static const char *const yes[] = {"true", "yes", "on", "1"}, *const no[] = {"false", "no",
	                                                                            "off", "0"};

	for (size_t i = 0; i < 4; i++) {
		if (strcmp(s, yes[i]) == 0 || strcmp(s, no[i]) == 0) {
			*out = strcmp(s, yes[i]) == 0;
			return 0;
		}
	}
	return -1;
}

/*
 * Set option @p o from @p value (NULL: a flag given bare) into @p s.  The
 * value must outlive @p s (argv, or a copy in s->owned).  @p dashes is
 * "--" on the command line, "" in the file, for the sentence in @p why.
 */
static int set_option(struct settings *s, const struct serve_opt *o, const char *value,
                      const char *dashes, char *why, size_t cap)
{
	switch (o->kind) {
	case OPT_TEXT:
		if (value[0] == '\0')
			goto empty;
		*(const char **)field_of(&s->cfg, o) = value;
		return 0;
	case OPT_LISTEN:
		if (value[0] == '\0')
			goto empty;
		if (s->cfg.n_listen == MAX_LISTEN) {
			snprintf(why, cap, "at most %zu %s%s addresses", MAX_LISTEN, dashes,
			         o->name);
			return -1;
		}
		s->cfg.listen[s->cfg.n_listen++] = value;
		return 0;
	case OPT_UINT:
		if (parse_uint(value, o->min, o->max, field_of(&s->cfg, o)) == 0)
			return 0;
		snprintf(why, cap, "'%s' is not a valid number for %s%s (%u to %u)", value, dashes,
		         o->name, o->min, o->max);
		return -1;
	case OPT_FLAG:
		if (value == NULL) {
			*(int *)field_of(&s->cfg, o) = 1;
			return 0;
		}
		if (parse_flag(value, field_of(&s->cfg, o)) == 0)
			return 0;
		snprintf(why, cap, "'%s' is not true or false, for %s%s", value, dashes, o->name);
		return -1;
	case OPT_CONFIG: s->config_path = value; return 0;
	case OPT_HELP: return 0;
	}
	return -1;
empty:
	snprintf(why, cap, "%s%s needs a value", dashes, o->name);
	return -1;
}

static const struct serve_opt *find_option(const char *name)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (strcmp(serve_opts[i].name, name) == 0)
			return &serve_opts[i];
	return NULL;
}

/* One 'key = value' of the file (config_file_fn). */
static int file_key(void *arg, unsigned line, const char *key, const char *value, char *why,
                    size_t cap)
{
	struct settings *s = arg;
	const struct serve_opt *o = find_option(key);
	size_t i = o ? (size_t)(o - serve_opts) : 0;
	char *copy;

	if (o == NULL || o->kind == OPT_CONFIG || o->kind == OPT_HELP) {
		snprintf(why, cap,
		         "unknown key '%s' (the keys are the options of 'pmifd serve --help', "
		         "without the dashes)",
		         key);
		return -1;
	}
	if (s->set_on[i] && o->kind != OPT_LISTEN) {
		snprintf(why, cap, "%s is set twice (first on line %u)", key, s->set_on[i]);
		return -1;
	}
	if (value[0] == '\0') {
		snprintf(why, cap, "%s needs a value", key);
		return -1;
	}
	if (s->n_owned == sizeof(s->owned) / sizeof(s->owned[0])) {
		snprintf(why, cap, "too many values (%s)", key);
		return -1;
	}
	copy = strdup(value);
	if (copy == NULL) {
		snprintf(why, cap, "out of memory");
		return -1;
	}
	s->owned[s->n_owned++] = copy;
	s->set_on[i] = line;
	return set_option(s, o, copy, "", why, cap);
}

/* getopt's table and short options from serve_opts[]. */
static void getopt_tables(struct option *longs, char *shorts)
{
	size_t n = 0;

	for (size_t i = 0; i < N_OPTS; i++) {
		const struct serve_opt *o = &serve_opts[i];

		longs[i] = (struct option){o->name,
		                           o->kind == OPT_FLAG ? optional_argument
		                           : o->arg            ? required_argument
		                                               : no_argument,
		                           NULL, 256 + (int)i};
		if (o->short_name) {
			shorts[n++] = o->short_name;
			if (o->arg)
				shorts[n++] = ':';
		}
	}
	longs[N_OPTS] = (struct option){0};
	shorts[n] = '\0';
}

static const struct serve_opt *option_for(int c)
{
	if (c >= 256 && c < 256 + (int)N_OPTS)
		return &serve_opts[c - 256];
	for (size_t i = 0; i < N_OPTS; i++)
		if (serve_opts[i].short_name && serve_opts[i].short_name == c)
			return &serve_opts[i];
	return NULL;
}

/*
 * One pass over the command line.  @p apply 0: only note --config and
 * --help; 1: apply every option.  Returns 0, 1 for --help, or -1 with the
 * sentence in @p why.
 */
static int scan_args(struct settings *s, int argc, char **argv, int apply, char *why, size_t cap)
{
	struct option longs[N_OPTS + 1];
	char shorts[2 * N_OPTS + 2], bad[512];
	int c, help = 0;

	getopt_tables(longs, shorts + 1);
	shorts[0] = ':'; /* a missing value is ':', not '?' */
	optind = 0;      /* glibc: start afresh */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const struct serve_opt *o = option_for(c);

		if (c == '?' || c == ':') {
			snprintf(why, cap, "serve: %s '%s'",
			         c == '?' ? "unknown option" : "a value is missing after",
			         argv[optind - 1]);
			return -1;
		}
		if (o->kind == OPT_HELP)
			help = 1;
		if (!apply && o->kind != OPT_CONFIG)
			continue;
		if (apply && o->kind == OPT_LISTEN && !s->cli_listen) {
			s->cli_listen = true; /* the command line's addresses replace the file's */
			s->cfg.n_listen = 0;
		}
		if (set_option(s, o, optarg, "--", bad, sizeof(bad)) != 0) {
			snprintf(why, cap, "serve: %s", bad);
			return -1;
		}
	}
	if (optind < argc) {
		snprintf(why, cap, "serve: unexpected argument '%s'", argv[optind]);
		return -1;
	}
	return help;
}

/*
 * Build the settings: defaults, the --config file, the command line.
 * Returns 0, 1 for --help, 2 for a command-line error (sentence in @p why,
 * for the usage), or -1 for a config file error (sentence in @p why).
 */
static int settings_load(struct settings *s, int argc, char **argv, char *why, size_t cap)
{
	int rc;

	*s = (struct settings){.cfg = defaults};
	rc = scan_args(s, argc, argv, 0, why, cap);
	if (rc != 0)
		return rc < 0 ? 2 : 1;
	if (s->config_path && config_file_read(s->config_path, file_key, s, why, cap) != 0)
		return -1;
	if (scan_args(s, argc, argv, 1, why, cap) < 0)
		return 2;
	if (s->cfg.data_dir == NULL) {
		snprintf(why, cap, "serve needs --data DIR (or 'data = DIR' in a --config file)");
		return 2;
	}
	if (s->cfg.map_mb > s->cfg.map_max_mb) {
		snprintf(
		    why, cap,
		    "serve: --map-size %u MB is more than --map-max %u MB: lower --map-size or "
		    "raise --map-max",
		    s->cfg.map_mb, s->cfg.map_max_mb);
		return 2;
	}
	if (s->cfg.map_mb == 0)
		s->cfg.map_mb = STORE_MAP_MB_DEFAULT < s->cfg.map_max_mb ? STORE_MAP_MB_DEFAULT
		                                                         : s->cfg.map_max_mb;
	if (s->cfg.n_listen == 0)
		s->cfg.listen[s->cfg.n_listen++] = DEFAULT_LISTEN;
	return 0;
}

/* The value of @p o in @p cfg as text, for the log. */
static const char *value_text(const struct server_config *cfg, const struct serve_opt *o, char *buf,
                              size_t cap)
{
	size_t n = 0;

	buf[0] = '\0';
	switch (o->kind) {
	case OPT_TEXT: return *(const char *const *)cfield_of(cfg, o);
	case OPT_UINT: snprintf(buf, cap, "%u", *(const unsigned *)cfield_of(cfg, o)); break;
	case OPT_FLAG: return *(const int *)cfield_of(cfg, o) ? "true" : "false";
	case OPT_LISTEN:
		for (unsigned i = 0; i < cfg->n_listen && n < cap; i++)
			n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? " " : "",
			                      cfg->listen[i]);
		break;
	default: break;
	}
	return buf;
}

/*
 * SIGHUP (server_config.reload): read the settings again and take the
 * reloadable ones that changed into @p next; the rest stay as they are.
 */
static int reload(void *arg, const struct server_config *now, struct server_config *next)
{
	const struct serve_args *a = arg;
	struct settings s;
	char why[768], was[512], is[512];
	unsigned changed = 0;
	int rc = settings_load(&s, a->argc, a->argv, why, sizeof(why));

	if (rc != 0) {
		log_error("reload: %s; the settings stay as they were", why);
		settings_release(&s);
		return -1;
	}
	*next = *now;
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct serve_opt *o = &serve_opts[i];
		const char *v0 = value_text(now, o, was, sizeof(was));
		const char *v1 = value_text(&s.cfg, o, is, sizeof(is));

		if (o->kind == OPT_CONFIG || o->kind == OPT_HELP || strcmp(v0, v1) == 0)
			continue;
		if (!o->reload) {
			log_error("reload: changing %s needs a restart: it stays %s", o->name, v0);
			continue;
		}
		log_info("reload: %s %s -> %s", o->name, v0, v1);
		memcpy(field_of(next, o), cfield_of(&s.cfg, o),
		       o->kind == OPT_FLAG ? sizeof(int) : sizeof(unsigned));
		changed++;
	}
	if (changed == 0)
		log_info("reload: nothing to change");
	settings_release(&s);
	return 0;
}

static void print_help(FILE *f)
{
	fputs("usage: pmifd serve --data DIR [OPTIONS]\n"
	      "       pmifd serve --config FILE [OPTIONS]\n",
	      f);
	for (size_t i = 0; i < N_OPTS; i++) {
		const struct serve_opt *o = &serve_opts[i];
		char left[64];

		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "",
		         o->arg ? o->arg : "");
		fprintf(f, "  %-20s%s\n", left, o->help);
	}
	fputs("A config file holds the same options, one 'name = value' a line (flags: 'quiet = "
	      "true');\n"
	      "SIGHUP reads it again and applies session-idle, session-max, login-window,\n"
	      "channel-idle, report-cache, stop-timeout and quiet.\n",
	      f);
}

/*
 * Hold DIR/serve.lock for the life of the process, so a second 'pmifd
 * serve' on the same store refuses instead of running a second writer
 * beside the first (each with its own group commit, sessions and
 * request-id cache).  LMDB's own lock file allows many processes, so it
 * does not stop this.  Returns 0, or -1 after saying why.  A directory
 * that cannot hold the lock is left to server_run(), which says what is
 * wrong with it.
 */
static int lock_data_dir(const char *dir)
{
	char path[4096];
	int fd;

	if ((size_t)snprintf(path, sizeof path, "%s/serve.lock", dir) >= sizeof path)
		return 0;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EWOULDBLOCK) {
			fprintf(
			    stderr,
			    "pmifd: another pmifd is already serving %s: stop it first, or give "
			    "this one its own --data directory\n",
			    dir);
			close(fd);
			return -1;
		}
		close(fd);
	}
	return 0; /* fd stays open: the lock lasts as long as the process */
}

int pmifd_cmd_serve(int argc, char **argv)
{
	struct serve_args args = {argc, argv};
	struct settings s;
	char why[768];
	int rc = settings_load(&s, argc, argv, why, sizeof(why));

	if (rc == 1) {
		print_help(stdout);
		rc = 0;
	} else if (rc == 2) {
		rc = pmifd_usage("%s", why);
	} else if (rc < 0) {
		fprintf(stderr, "pmifd: %s\n", why);
		rc = 2;
	} else if (lock_data_dir(s.cfg.data_dir) != 0) {
		rc = 1;
	} else {
		if (s.config_path) {
			s.cfg.reload = reload;
			s.cfg.reload_arg = &args;
		}
		rc = server_run(&s.cfg) == 0 ? 0 : 1;
	}
	settings_release(&s);
	return rc;
}
