/*
 * cmd_serve.c - 'pmifd serve': options into a server_config, then serve.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "error.h"
#include "pmifd.h"
#include "server.h"
#include "store.h"

#define DEFAULT_LISTEN "tcp://127.0.0.1:7450"

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

static int parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < min || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

int pmifd_cmd_serve(int argc, char **argv)
{
	static const struct option opts[] = {{"data", required_argument, 0, 'd'},
	                                     {"listen", required_argument, 0, 'l'},
	                                     {"workers", required_argument, 0, 'w'},
	                                     {"max-channels", required_argument, 0, 'C'},
	                                     {"channel-idle", required_argument, 0, 'I'},
	                                     {"login-window", required_argument, 0, 'L'},
	                                     {"session-idle", required_argument, 0, 'S'},
	                                     {"session-max", required_argument, 0, 'A'},
	                                     {"report-cache", required_argument, 0, 'R'},
	                                     {"map-size", required_argument, 0, 'M'},
	                                     {"map-max", required_argument, 0, 'X'},
	                                     {"quiet", no_argument, 0, 'q'},
	                                     {"help", no_argument, 0, 'h'},
	                                     {0, 0, 0, 0}};
	static const char help[] =
	    "usage: pmifd serve --data DIR [OPTIONS]\n"
	    "  --listen URL        tcp://HOST:PORT or ipc:///PATH; repeatable "
	    "(default " DEFAULT_LISTEN ")\n"
	    "  --workers N         worker threads (default: one per core)\n"
	    "  --max-channels N    open channels kept in memory (default 4096)\n"
	    "  --channel-idle S    seconds before an unused channel is dropped (default 3600)\n"
	    "  --session-idle S    seconds a session may go unused (default 1800)\n"
	    "  --session-max S     seconds a session may last at all (default 43200)\n"
	    "  --login-window S    login throttle window in seconds (default 300)\n"
	    "  --report-cache MB   report answers kept until the data changes (default 32; 0: "
	    "off)\n"
	    "  --map-size MB       the store's map at start, grown (doubling) as data needs "
	    "(default 256,\n"
	    "                      never below the data file's size)\n"
	    "  --map-max MB        the store's size ceiling: writes past it are refused "
	    "(default 16384)\n"
	    "  --quiet             no per-request log lines\n";
	struct server_config cfg = {
	    .max_channels = 4096,
	    .channel_idle = 3600,
	    .login_window = 300,
	    .max_batch = 256,
	    .session_idle = 1800,
	    .session_absolute = 43200,
	    .report_cache_mb = 32,
	    .map_max_mb = STORE_MAP_MAX_MB_DEFAULT,
	};
	unsigned *target;
	int c;

	while ((c = getopt_long(argc, argv, "d:l:w:qh", opts, NULL)) != -1) {
		switch (c) {
		case 'd': cfg.data_dir = optarg; continue;
		case 'l':
			if (cfg.n_listen == sizeof(cfg.listen) / sizeof(cfg.listen[0]))
				return pmifd_usage("serve: at most 8 --listen addresses");
			cfg.listen[cfg.n_listen++] = optarg;
			continue;
		case 'q': cfg.quiet = 1; continue;
		case 'h': fputs(help, stdout); return 0;
		case 'w': target = &cfg.workers; break;
		case 'C': target = &cfg.max_channels; break;
		case 'I': target = &cfg.channel_idle; break;
		case 'L': target = &cfg.login_window; break;
		case 'S': target = &cfg.session_idle; break;
		case 'A': target = &cfg.session_absolute; break;
		case 'M': target = &cfg.map_mb; break;
		case 'X': target = &cfg.map_max_mb; break;
		case 'R':
			/* 0 turns it off, so not through the 1.. range below */
			if (parse_uint(optarg, 0, 4096, &cfg.report_cache_mb) != 0)
				return pmifd_usage(
				    "serve: '%s' is not a valid number for --report-cache "
				    "(megabytes, 0 to 4096)",
				    optarg);
			continue;
		default: fputs(help, stderr); return 2;
		}
		if (parse_uint(optarg, 1, c == 'C' ? 65536 : (c == 'w' ? 256 : 86400 * 30),
		               target) != 0) {
			const char *name = "?";
			for (const struct option *o = opts; o->name; o++)
				if (o->val == c)
					name = o->name;
			return pmifd_usage("serve: '%s' is not a valid number for --%s", optarg,
			                   name);
		}
	}
	if (cfg.map_mb > cfg.map_max_mb)
		return pmifd_usage("serve: --map-size %u MB is more than --map-max %u MB: lower "
		                   "--map-size or raise --map-max",
		                   cfg.map_mb, cfg.map_max_mb);
	if (cfg.map_mb == 0)
		cfg.map_mb =
		    STORE_MAP_MB_DEFAULT < cfg.map_max_mb ? STORE_MAP_MB_DEFAULT : cfg.map_max_mb;
	if (cfg.data_dir == NULL)
		return pmifd_usage("serve needs --data DIR");
	if (optind < argc)
		return pmifd_usage("serve: unexpected argument '%s'", argv[optind]);
	if (cfg.n_listen == 0)
		cfg.listen[cfg.n_listen++] = DEFAULT_LISTEN;
	if (lock_data_dir(cfg.data_dir) != 0)
		return 1;
	return server_run(&cfg) == 0 ? 0 : 1;
}
