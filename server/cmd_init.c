/*
 * cmd_init.c - 'pmifd init': a new store, its server key and the first
 * admin, in one go; refuses to touch an existing store.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
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
#include "store.h"
#include "store.pb-c.h"

static int add_first_admin(struct store *s, const char *name, const struct auth_password *pw)
{
	Pmif__UserRecord u = PMIF__USER_RECORD__INIT;
	Pmif__AuditEntry e = PMIF__AUDIT_ENTRY__INIT;
	MDB_txn *txn;
	char detail[128];
	int rc = store_error(mdb_txn_begin(s->env, NULL, 0, &txn));

	if (rc != 0)
		return rc;
	u.name = (char *)name;
	u.role = PMIF__ROLE__ADMIN;
	u.created_unix = (uint64_t)time(NULL);
	u.generation = 1;
	u.scrypt_log2_n = pw->log2_n;
	u.scrypt_r = pw->r;
	u.scrypt_p = pw->p;
	u.salt.data = (uint8_t *)pw->salt;
	u.salt.len = sizeof(pw->salt);
	u.hash.data = (uint8_t *)pw->hash;
	u.hash.len = sizeof(pw->hash);
	rc = store_put_pb(s, txn, STORE_USERS, name, strlen(name), &u.base);
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
	if (rc != 0) {
		mdb_txn_abort(txn);
		return rc;
	}
	return store_error(mdb_txn_commit(txn));
}

static int valid_user_name(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len > 64 || name[0] < 'a' || name[0] > 'z')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789._-", name[i]))
			return 0;
	return 1;
}

int pmifd_cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {{"data", required_argument, 0, 'd'},
	                                     {"admin", required_argument, 0, 'a'},
	                                     {"password-stdin", no_argument, 0, 'p'},
	                                     {"help", no_argument, 0, 'h'},
	                                     {0, 0, 0, 0}};
	const char *dir = NULL, *admin = NULL, *why;
	int from_stdin = 0, c, rc;
	char password[1100];
	char fp[PMIF_FINGERPRINT_LEN];
	struct auth_password pw;
	struct store *s = NULL;
	uint8_t pub[32];

	while ((c = getopt_long(argc, argv, "d:a:ph", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'a': admin = optarg; break;
		case 'p': from_stdin = 1; break;
		default: return pmifd_usage(c == 'h' ? NULL : "init: unknown option");
		}
	}
	if (dir == NULL || admin == NULL)
		return pmifd_usage("init needs --data DIR and --admin USER");
	if (optind < argc)
		return pmifd_usage("init: unexpected argument '%s'", argv[optind]);
	if (!valid_user_name(admin)) {
		fprintf(stderr,
		        "pmifd: '%s' is not a valid user name: use 1-64 of a-z, 0-9, '.', "
		        "'_' and '-', starting with a letter\n",
		        admin);
		return 1;
	}
	if (pmifd_read_password(from_stdin, password, sizeof(password)) != 0)
		return 1;
	if ((why = auth_password_weakness(password)) != NULL) {
		fprintf(stderr, "pmifd: %s\n", why);
		return 1;
	}
	rc = auth_init(0, 0);
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
		rc = add_first_admin(s, admin, &pw);
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
