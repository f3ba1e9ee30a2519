/*
 * pmifd.c - the server's command line: init, serve, backup, check,
 * fingerprint.
 *
 * Exit codes: 0 success, 1 failure, 2 usage.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "audit.h"
#include "auth.h"
#include "error.h"
#include "frame.h"
#include "keys.h"
#include "log.h"
#include "pmifd.h"
#include "server.h"
#include "store.h"

#define EXIT_USAGE 2

static const char usage_text[] =
    "usage: pmifd COMMAND [OPTIONS]\n"
    "\n"
    "  init --data DIR --admin USER [--password-stdin]\n"
    "        create a new store in DIR, its server key, and the first admin\n"
    "  serve --data DIR [--listen URL]... [--workers N]\n"
    "  serve --config FILE [OPTIONS]\n"
    "        serve clients (default --listen tcp://127.0.0.1:7450)\n"
    "  backup --data DIR --to PATH     hot copy of the store (while serving)\n"
    "  check --data DIR                verify the store and its audit chain\n"
    "  fingerprint --data DIR          print the server key's fingerprint\n"
    "\n"
    "'pmifd COMMAND --help' lists a command's options.\n";

int pmifd_usage(const char *fmt, ...)
{
	if (fmt) {
		va_list ap;
		fprintf(stderr, "pmifd: ");
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fprintf(stderr, "\n");
	}
	fputs(usage_text, stderr);
	return EXIT_USAGE;
}

/* Read a password: one line from stdin with --password-stdin, else from
 * the terminal without echo, twice. */
int pmifd_read_password(int from_stdin, char *buf, size_t cap)
{
	char again[1100];

	if (from_stdin || !isatty(STDIN_FILENO)) {
		if (fgets(buf, (int)cap, stdin) == NULL) {
			fprintf(stderr, "pmifd: no password on standard input\n");
			return -1;
		}
		buf[strcspn(buf, "\r\n")] = '\0';
		return 0;
	}
	for (;;) {
		struct termios old, noecho;

		tcgetattr(STDIN_FILENO, &old);
		noecho = old;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &noecho);
		fprintf(stderr, "Password for the admin: ");
		if (fgets(buf, (int)cap, stdin) == NULL)
			buf[0] = '\0';
		fprintf(stderr, "\nAgain: ");
		if (fgets(again, sizeof(again), stdin) == NULL)
			again[0] = '\0';
		fprintf(stderr, "\n");
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		buf[strcspn(buf, "\r\n")] = '\0';
		again[strcspn(again, "\r\n")] = '\0';
		if (strcmp(buf, again) == 0)
			break;
		fprintf(stderr, "The two passwords differ; try again.\n");
	}
	OPENSSL_cleanse(again, sizeof(again));
	return 0;
}

static int cmd_fingerprint(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
	const char *dir = NULL;
	uint8_t priv[32], pub[32];
	char fp[PMIF_FINGERPRINT_LEN];
	int c;

	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		if (c == 'd')
			dir = optarg;
		else
			return pmifd_usage(c == 'h' ? NULL : "fingerprint: unknown option");
	}
	if (dir == NULL)
		return pmifd_usage("fingerprint needs --data DIR");
	if (keys_load(dir, priv, pub) != 0)
		return 1;
	OPENSSL_cleanse(priv, sizeof(priv));
	pmif_key_fingerprint(pub, fp);
	printf("%s\n", fp);
	return 0;
}

static int cmd_backup(int argc, char **argv)
{
	static const struct option opts[] = {{"data", required_argument, 0, 'd'},
	                                     {"to", required_argument, 0, 't'},
	                                     {"help", no_argument, 0, 'h'},
	                                     {0, 0, 0, 0}};
	const char *dir = NULL, *to = NULL;
	struct store *s;
	char src[4096], dst[4096];
	int c, rc, in = -1, out = -1;
	ssize_t n;
	char buf[256];

	while ((c = getopt_long(argc, argv, "d:t:h", opts, NULL)) != -1) {
		if (c == 'd')
			dir = optarg;
		else if (c == 't')
			to = optarg;
		else
			return pmifd_usage(c == 'h' ? NULL : "backup: unknown option");
	}
	if (dir == NULL || to == NULL)
		return pmifd_usage("backup needs --data DIR and --to PATH");
	snprintf(dst, sizeof(dst), "%s/data.mdb", to);
	if (access(dst, F_OK) == 0) {
		fprintf(stderr, "pmifd: '%s' already holds a store: back up to a new directory\n",
		        to);
		return 1;
	}
	rc = store_open(dir, &s);
	if (rc != 0) {
		fprintf(stderr, "pmifd: cannot open the store in '%s': %s\n", dir,
		        pmif_strerror(rc));
		return 1;
	}
	rc = store_backup(s, to);
	store_close(s);
	if (rc != 0)
		return 1;
	/* the key goes with the store, still readable by its owner only */
	snprintf(src, sizeof(src), "%s/server.key", dir);
	snprintf(dst, sizeof(dst), "%s/server.key", to);
	in = open(src, O_RDONLY | O_CLOEXEC);
	out = in >= 0 ? open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600) : -1;
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			rc = 1;
	OPENSSL_cleanse(buf, sizeof(buf));
	if (in < 0 || out < 0)
		rc = 1;
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	if (rc != 0) {
		fprintf(stderr,
		        "pmifd: the store was copied but the server key was not: copy '%s' "
		        "by hand\n",
		        src);
		return 1;
	}
	printf("backed up '%s' to '%s'\n", dir, to);
	return 0;
}

static int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
	const char *dir = NULL;
	struct store *s;
	struct audit_report rep;
	MDB_txn *txn;
	int c, rc;

	while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
		if (c == 'd')
			dir = optarg;
		else
			return pmifd_usage(c == 'h' ? NULL : "check: unknown option");
	}
	if (dir == NULL)
		return pmifd_usage("check needs --data DIR");
	rc = store_open(dir, &s);
	if (rc != 0) {
		fprintf(stderr, "pmifd: cannot open the store in '%s': %s\n", dir,
		        pmif_strerror(rc));
		return 1;
	}
	rc = store_read_begin(s, &txn);
	if (rc == 0) {
		rc = store_check_records(s, txn, stdout);
		if (audit_verify(s, txn, &rep) != 0)
			rc = 1;
		mdb_txn_abort(txn);
	}
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, "pmifd: the store in '%s' has damaged records\n", dir);
		return 1;
	}
	if (rep.first_bad) {
		fprintf(stderr, "pmifd: audit chain broken at entry %llu: %s\n",
		        (unsigned long long)rep.first_bad, rep.why);
		return 1;
	}
	printf("audit chain intact: %llu entries\n", (unsigned long long)rep.entries);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;

	if (argc < 2)
		return pmifd_usage(NULL);
	cmd = argv[1];
	argc--;
	argv++;
	if (strcmp(cmd, "init") == 0)
		return pmifd_cmd_init(argc, argv);
	if (strcmp(cmd, "serve") == 0)
		return pmifd_cmd_serve(argc, argv);
	if (strcmp(cmd, "backup") == 0)
		return cmd_backup(argc, argv);
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc, argv);
	if (strcmp(cmd, "fingerprint") == 0)
		return cmd_fingerprint(argc, argv);
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("pmifd %s\n", PMIF_VERSION);
		return 0;
	}
	return pmifd_usage("unknown command '%s'", cmd);
}
