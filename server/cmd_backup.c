/*
 * cmd_backup.c - 'pmifd backup' and 'pmifd restore': the command lines
 * over backup.c, with what was written or restored, and how long it took.
 *
 * Exit codes as pmifd's others: 0 success, 1 failure (one sentence on
 * stderr), 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "backup.h"
#include "error.h"
#include "frame.h"
#include "keys.h"
#include "log.h"
#include "pmifd.h"
#include "store.h"

static const char backup_help[] =
    "usage: pmifd backup --data DIR --to PATH [--replace]\n"
    "\n"
    "Hot backup of the store in DIR, safe while pmifd serves it: a compacted copy\n"
    "taken in one read transaction, written beside PATH under a temp name, synced,\n"
    "checked (every record, the audit chain), then renamed to PATH.  PATH must not\n"
    "exist; --replace replaces an earlier backup there.  PATH is a directory\n"
    "holding data.mdb.  The server key is not copied: keep DIR/server.key apart\n"
    "(docs/OPERATIONS.md).\n";

static const char restore_help[] =
    "usage: pmifd restore --from PATH --data DIR\n"
    "\n"
    "Replace the store in DIR with the backup PATH (a backup directory, or its\n"
    "data.mdb).  DIR must not be served (stop pmifd first) and must hold its\n"
    "server.key, which is left as it is.  The backup is copied in, checked, and\n"
    "renamed over DIR/data.mdb; the store it replaces stays beside it as\n"
    "DIR/data.mdb.before-restore-DATE.\n";

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void print_summary(const struct backup_summary *b)
{
	printf("  %.1f MB, %llu values (%llu revisions), %llu users, %llu audit entries "
	       "(chain verified)\n",
	       (double)b->bytes / 1e6, (unsigned long long)b->values,
	       (unsigned long long)b->revisions, (unsigned long long)b->users,
	       (unsigned long long)b->audit_entries);
}

int pmifd_cmd_backup(int argc, char **argv)
{
	static const struct option opts[] = {{"data", required_argument, 0, 'd'},
	                                     {"to", required_argument, 0, 't'},
	                                     {"replace", no_argument, 0, 'r'},
	                                     {"help", no_argument, 0, 'h'},
	                                     {0, 0, 0, 0}};
	const char *dir = NULL, *to = NULL;
	struct backup_summary sum;
	struct timespec t0;
	struct store *s;
	char why[1024];
	int c, rc, replace = 0;

	while ((c = getopt_long(argc, argv, "d:t:rh", opts, NULL)) != -1) {
		if (c == 'd')
			dir = optarg;
		else if (c == 't')
			to = optarg;
		else if (c == 'r')
			replace = 1;
		else if (c == 'h') {
			fputs(backup_help, stdout);
			return 0;
		} else
			return pmifd_usage("backup: unknown option");
	}
	if (dir == NULL || to == NULL || optind < argc)
		return pmifd_usage("backup needs --data DIR and --to PATH");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	log_set_quiet(1);
	/* as it is: whatever its map size, an older schema not migrated */
	rc = store_open_with(dir, &(struct store_options){.map_size = 0, .migrate = false}, &s);
	if (rc == PMIF_ESTATE)
		return 1; /* store_open_with() said what is wrong and what to do */
	if (rc == PMIF_ENOTFOUND) {
		fprintf(stderr,
		        "pmifd: there is no store in '%s' (no data.mdb): give the --data "
		        "directory pmifd serves\n",
		        dir);
		return 1;
	}
	if (rc != 0) {
		fprintf(stderr, "pmifd: cannot open the store in '%s': %s\n", dir,
		        pmif_strerror(rc));
		return 1;
	}
	rc = backup_take(s, to, replace, &sum, why, sizeof(why));
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "pmifd: %s\n", why);
		return 1;
	}
	printf("backed up '%s' to '%s' in %.2f s:\n", dir, to, seconds_since(&t0));
	print_summary(&sum);
	return 0;
}

int pmifd_cmd_restore(int argc, char **argv)
{
	static const struct option opts[] = {{"from", required_argument, 0, 'f'},
	                                     {"data", required_argument, 0, 'd'},
	                                     {"help", no_argument, 0, 'h'},
	                                     {0, 0, 0, 0}};
	const char *dir = NULL, *from = NULL;
	struct backup_summary sum;
	struct timespec t0;
	char why[1024], aside[4096], fp[PMIF_FINGERPRINT_LEN] = "";
	uint8_t priv[32], pub[32];
	int c, rc;

	while ((c = getopt_long(argc, argv, "f:d:h", opts, NULL)) != -1) {
		if (c == 'f')
			from = optarg;
		else if (c == 'd')
			dir = optarg;
		else if (c == 'h') {
			fputs(restore_help, stdout);
			return 0;
		} else
			return pmifd_usage("restore: unknown option");
	}
	if (dir == NULL || from == NULL || optind < argc)
		return pmifd_usage("restore needs --from PATH and --data DIR");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = backup_restore(from, dir, &sum, aside, sizeof(aside), why, sizeof(why));
	if (rc != 0) {
		fprintf(stderr, "pmifd: %s\n", why);
		return 1;
	}
	printf("restored '%s' into '%s' in %.2f s:\n", from, dir, seconds_since(&t0));
	print_summary(&sum);
	if (aside[0])
		printf("the store it replaced is kept as '%s' (remove it once the restore is "
		       "checked)\n",
		       aside);
	if (keys_load(dir, priv, pub) == 0) {
		pmif_key_fingerprint(pub, fp);
		printf("server.key left as it was (fingerprint %s)\n", fp);
	}
	OPENSSL_cleanse(priv, sizeof(priv));
	return 0;
}
