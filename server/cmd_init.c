/*
 * cmd_init.c - 'pmifd init': a new store, its server key and the first
 * admin, in one go; refuses to touch an existing store.  With --framework
 * the framework file is checked before anything is created and loaded in
 * the same transaction as the admin (by the loader the FrameworkLoad RPC
 * uses): a file with any problem creates nothing.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "arena.h"
#include "audit.h"
#include "auth.h"
#include "error.h"
#include "frame.h"
#include "demo.h"
#include "framework.h"
#include "keys.h"
#include "log.h"
#include "pmifd.h"
#include "server.h"
#include "store.h"
#include "store.pb-c.h"
#include "users_store.h"

/* Read the framework file @p path and check it whole into @p m; prints
 * every problem.  0 or -1. */
static int read_framework(const char *path, struct arena *a, struct fw_model *m)
{
	FILE *f = fopen(path, "rb");
	struct fw_problems p;
	char *text = arena_alloc(a, FW_MAX_FILE + 1);
	size_t len;
	int rc;

	if (f == NULL) {
		fprintf(stderr, "pmifd: cannot read the framework file '%s': %s\n", path,
		        strerror(errno));
		return -1;
	}
	len = text ? fread(text, 1, FW_MAX_FILE + 1, f) : 0;
	rc = ferror(f);
	fclose(f);
	if (text == NULL || rc) {
		fprintf(stderr, "pmifd: cannot read the framework file '%s'\n", path);
		return -1;
	}
	if (len > FW_MAX_FILE) {
		fprintf(stderr,
		        "pmifd: the framework file '%s' is larger than the %zu bytes allowed\n",
		        path, FW_MAX_FILE);
		return -1;
	}
	fw_problems_init(&p, a);
	rc = fw_parse(a, text, len, m, &p);
	if (rc == 0)
		return 0;
	fprintf(stderr, "pmifd: the framework file '%s' has %zu problem%s; nothing was created:\n",
	        path, p.n, p.n == 1 ? "" : "s");
	for (size_t i = 0; i < p.n; i++)
		fprintf(stderr, "  %s\n", p.msg[i]);
	if (rc == PMIF_ENOMEM)
		fprintf(stderr, "pmifd: out of memory reading '%s'\n", path);
	return -1;
}

/* Load @p m in @p txn as @p admin would with 'pmif admin framework load'. */
static int load_framework(struct store *s, MDB_txn *txn, const char *admin,
                          const struct fw_model *m, struct arena *a)
{
	struct op_ctx op = {.store = s, .txn = txn, .arena = a, .now = (uint64_t)time(NULL)};
	Pmif__FrameworkLoadReply *r;

	op.actor.name = admin;
	op.actor.role = PMIF__ROLE__ADMIN;
	if (fw_apply(&op, m, &r) != 0) {
		fprintf(stderr, "pmifd: the framework could not be loaded: %s\n",
		        op.message ? op.message : "unknown error");
		return PMIF_ESTORE;
	}
	printf("loaded framework '%s': %u records, %u periods (all locked)\n", r->name, r->records,
	       r->periods_added);
	return 0;
}

/* Where --demo finds its data, unless --demo-dir says otherwise. */
static const char *demo_dir;

static int add_first_admin(struct store *s, const char *name, const struct auth_password *pw,
                           const struct fw_model *framework, struct arena *a)
{
	Pmif__UserRecord u = PMIF__USER_RECORD__INIT;
	Pmif__AuditEntry e = PMIF__AUDIT_ENTRY__INIT;
	struct op_ctx op = {.store = s, .arena = a, .now = (uint64_t)time(NULL)};
	char detail[128];
	int rc = store_error(mdb_txn_begin(s->env, NULL, 0, &op.txn));
	MDB_txn *txn = op.txn;

	if (rc != 0)
		return rc;
	u.name = (char *)name;
	u.role = PMIF__ROLE__ADMIN;
	u.created_unix = op.now;
	u.generation = 1;
	users_set_password(a, &u, pw);
	rc = users_put(&op, &u) != 0 ? PMIF_ESTORE : 0;
	if (rc == 0) {
		snprintf(detail, sizeof(detail), "store created with admin '%s'", name);
		e.time_unix_us = (uint64_t)time(NULL) * 1000000;
		e.user = (char *)name;
		e.role = PMIF__ROLE__ADMIN;
		e.method = "init";
		e.key = "store";
		e.detail = detail;
		rc = audit_append(s, txn, &e);
	}
	if (rc == 0 && framework)
		rc = load_framework(s, txn, name, framework, a);
	if (rc == 0 && demo_dir)
		rc = demo_load(s, txn, name, demo_dir, a);
	if (rc != 0) {
		mdb_txn_abort(txn);
		return rc;
	}
	return store_error(mdb_txn_commit(txn));
}

/* Is @p name not a user name?  Says why, as 'pmif admin user add' would. */
static bool bad_admin_name(struct arena *a, const char *name)
{
	struct op_ctx op = {.arena = a};

	if (users_check_name(&op, name) == 0)
		return false;
	fprintf(stderr,
	        "pmifd: --admin: %s: use 1-64 of a-z, 0-9, '.', '_' and '-', starting with a "
	        "letter\n",
	        op.message ? op.message : "not a user name");
	return true;
}

/* Everything after the options: the password, the store, its key, the
 * admin and (if @p framework) the framework; an exit code. */
static int create(const char *dir, const char *admin, int from_stdin,
                  const struct fw_model *framework, struct arena *a)
{
	const char *why;
	int rc;
	char password[1100];
	char fp[PMIF_FINGERPRINT_LEN];
	struct auth_password pw;
	struct store *s = NULL;
	uint8_t pub[32];

	if (pmifd_read_password(from_stdin, password, sizeof(password)) != 0)
		return 1;
	if ((why = auth_password_weakness(password)) != NULL) {
		fprintf(stderr, "pmifd: %s\n", why);
		return 1;
	}
	rc = auth_init(0);
	if (rc == 0)
		rc = auth_password_hash(password, &pw);
	OPENSSL_cleanse(password, sizeof(password));
	if (rc != 0) {
		fprintf(stderr, "pmifd: cannot hash the password: %s\n", pmif_strerror(rc));
		return 1;
	}
	rc = store_create(dir, &s);
	if (rc == PMIF_EEXIST) {
		fprintf(stderr,
		        "pmifd: '%s' already holds a store: nothing was changed (use a new "
		        "directory, or 'pmifd serve --data %s')\n",
		        dir, dir);
		return 1;
	}
	if (rc == 0) {
		rc = keys_create(dir, pub);
		if (rc == PMIF_EEXIST)
			fprintf(stderr, "pmifd: '%s/server.key' already exists\n", dir);
	}
	if (rc == 0)
		rc = add_first_admin(s, admin, &pw, framework, a);
	store_close(s);
	OPENSSL_cleanse(&pw, sizeof(pw));
	if (rc != 0) {
		fprintf(stderr, "pmifd: could not create the store in '%s': %s\n", dir,
		        pmif_strerror(rc));
		return 1;
	}
	pmif_key_fingerprint(pub, fp);
	printf("created store in %s with admin '%s'\n", dir, admin);
	printf("server key fingerprint: %s\n", fp);
	printf("clients pin it with: pmif --server-key %s login %s\n", fp, admin);
	return 0;
}

int pmifd_cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"data", required_argument, 0, 'd'},     {"admin", required_argument, 0, 'a'},
	    {"password-stdin", no_argument, 0, 'p'}, {"framework", required_argument, 0, 'f'},
	    {"demo", no_argument, 0, 'D'},           {"demo-dir", required_argument, 0, 'E'},
	    {"help", no_argument, 0, 'h'},           {0, 0, 0, 0}};
	const char *dir = NULL, *admin = NULL, *framework = NULL;
	struct fw_model model;
	struct arena arena;
	int from_stdin = 0, c, rc;

	while ((c = getopt_long(argc, argv, "d:a:f:ph", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'a': admin = optarg; break;
		case 'f': framework = optarg; break;
		case 'p': from_stdin = 1; break;
		case 'D': demo_dir = demo_dir ? demo_dir : PMIF_DEMO_DIR; break;
		case 'E': demo_dir = optarg; break;
		default: return pmifd_usage(c == 'h' ? NULL : "init: unknown option");
		}
	}
	if (dir == NULL || admin == NULL)
		return pmifd_usage("init needs --data DIR and --admin USER");
	if (optind < argc)
		return pmifd_usage("init: unexpected argument '%s'", argv[optind]);
	/* the demo data needs the council's framework: the default one */
	if (demo_dir && framework == NULL)
		framework = PMIF_FRAMEWORK_FILE;
	arena_init(&arena, 0);
	if (bad_admin_name(&arena, admin))
		rc = 1;
	else if (framework && read_framework(framework, &arena, &model) != 0)
		rc = 1;
	else
		rc = create(dir, admin, from_stdin, framework ? &model : NULL, &arena);
	arena_release(&arena);
	return rc;
}
