/*
 * pmifd.c - the server's command line: init, serve, backup, restore,
 * check, fingerprint.
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
#include <time.h>
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
#include "store.pb-c.h"

#define EXIT_USAGE 2

static const char usage_text[] =
    "usage: pmifd COMMAND [OPTIONS]\n"
    "\n"
    "  init --data DIR --admin USER [--password-stdin]\n"
    "        create a new store in DIR, its server key, and the first admin\n"
    "  serve --data DIR [--listen URL]... [--workers N]\n"
    "  serve --config FILE [OPTIONS]\n"
    "        serve clients (default --listen tcp://127.0.0.1:7450)\n"
    "  backup --data DIR --to PATH [--replace]\n"
    "        hot, checked copy of the store (while serving); not the key\n"
    "  restore --from PATH --data DIR  replace DIR's store with a backup (not served)\n"
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

/*
 * Open the store in @p dir for reading as it is: whatever its size (the
 * map it last ran with), an older schema not migrated.  0, or -1 after
 * saying why.
 */
static int open_as_it_is(const char *dir, struct store **out)
{
	static const struct store_options as_it_is = {.map_size = 0, .migrate = false};
	int rc = store_open_with(dir, &as_it_is, out);

	if (rc == PMIF_ESTATE)
		return -1; /* store_open_with() said what is wrong and what to do */
	if (rc != 0) {
		fprintf(stderr, "pmifd: cannot open the store in '%s': %s\n", dir,
		        pmif_strerror(rc));
		return -1;
	}
	return 0;
}

/* The store's schema, its StoreInfo and its map, for 'pmifd check'. */
static void print_about(struct store *s, MDB_txn *txn)
{
	Pmif__StoreInfo *info = NULL;
	char when[32];
	time_t t;

	printf("schema %u", s->schema);
	if (s->schema < STORE_SCHEMA_VERSION)
		printf(" (older: 'pmifd serve' migrates it to %u, after a copy to "
		       "%s/pre-migration-v%u)",
		       STORE_SCHEMA_VERSION, s->dir, s->schema);
	printf("; map %zu MB\n", s->map_size >> 20);
	if (s->schema < 2 || store_info_get(s, txn, NULL, &info) != 0)
		return;
	t = (time_t)info->created_unix;
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&t));
	printf("created %s by %s\n", info->created_unix ? when : "(time not known)",
	       info->created_by[0] ? info->created_by : "a pmifd before schema 2");
	if (info->migrated_unix) {
		t = (time_t)info->migrated_unix;
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M UTC", gmtime(&t));
		printf("migrated from schema %u on %s by %s\n", info->migrated_from, when,
		       info->migrated_by);
	}
	protobuf_c_message_free_unpacked(&info->base, NULL);
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
	rc = open_as_it_is(dir, &s);
	if (rc != 0)
		return 1;
	rc = store_read_begin(s, &txn);
	if (rc == 0) {
		print_about(s, txn);
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
		return pmifd_cmd_backup(argc, argv);
	if (strcmp(cmd, "restore") == 0)
		return pmifd_cmd_restore(argc, argv);
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
