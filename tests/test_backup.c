/*
 * test_backup.c - tests for server/backup.c: a backup is written whole or
 * not at all, never over an existing path, checked before it is renamed
 * into place; restore refuses a served dir, a dir without its key and
 * anything that is not a backup (garbage included), and keeps the store it
 * replaces.  Real stores in a temp dir, no mocks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit.h"
#include "backup.h"
#include "error.h"
#include "fixture_store.h"
#include "keys.h"
#include "log.h"
#include "store.h"

struct fixture {
	struct fixture_store fs;
	char p[256];
	char why[1024];
};

/* A store with @p n audit entries, so the chain has something to check. */
static void append_entries(struct store *s, int n)
{
	MDB_txn *txn;

	assert_int_equal(mdb_txn_begin(s->env, NULL, 0, &txn), 0);
	for (int i = 0; i < n; i++) {
		Pmif__AuditEntry e = PMIF__AUDIT_ENTRY__INIT;
		e.time_unix_us = 1700000000000000ull + (uint64_t)i;
		e.user = "admin";
		e.method = "ValueSet";
		e.key = "value/X/2024-25-Q1/borough";
		assert_int_equal(audit_append(s, txn, &e), 0);
	}
	assert_int_equal(mdb_txn_commit(txn), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	log_set_quiet(1);
	fixture_store_make(&f->fs, "backup");
	append_entries(f->fs.store, 5);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fixture_store_remove(&f->fs);
	free(f);
	return 0;
}

static const char *path(struct fixture *f, const char *rel)
{
	snprintf(f->p, sizeof(f->p), "%s/%s", f->fs.dir, rel);
	return f->p;
}

static int exists(struct fixture *f, const char *rel)
{
	return access(path(f, rel), F_OK) == 0;
}

static int has_temp(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strstr(e->d_name, ".partial-") || strstr(e->d_name, ".restoring-"))
			found = 1;
	closedir(d);
	return found;
}

/* No temp file or directory is left in the fixture's dir or in r/. */
static int leftovers(struct fixture *f)
{
	char r[128];

	snprintf(r, sizeof(r), "%s/r", f->fs.dir);
	return has_temp(f->fs.dir) || has_temp(r);
}

static void test_backup_whole_or_nothing(void **state)
{
	struct fixture *f = *state;
	struct backup_summary b;
	char to[256];

	snprintf(to, sizeof(to), "%s/bk", f->fs.dir);
	assert_int_equal(backup_take(f->fs.store, to, 0, &b, f->why, sizeof(f->why)), 0);
	assert_int_equal(b.audit_entries, 5);
	assert_true(b.bytes > 0);
	assert_true(exists(f, "bk/data.mdb"));
	assert_false(exists(f, "bk/lock.mdb"));
	assert_false(leftovers(f));

	/* never over an existing path, unless asked */
	append_entries(f->fs.store, 2);
	assert_int_equal(backup_take(f->fs.store, to, 0, &b, f->why, sizeof(f->why)), PMIF_EEXIST);
	assert_non_null(strstr(f->why, "already exists"));
	assert_int_equal(backup_take(f->fs.store, to, 1, &b, f->why, sizeof(f->why)), 0);
	assert_int_equal(b.audit_entries, 7);
	assert_int_equal(backup_verify(path(f, "bk/data.mdb"), &b, f->why, sizeof(f->why)), 0);
	assert_int_equal(b.audit_entries, 7);
	assert_false(leftovers(f));

	/* --replace leaves a directory that is not a backup alone */
	assert_int_equal(mkdir(path(f, "other"), 0700), 0);
	fclose(fopen(path(f, "other/notes.txt"), "w"));
	assert_int_equal(backup_take(f->fs.store, path(f, "other"), 1, &b, f->why, sizeof(f->why)),
	                 PMIF_EEXIST);
	assert_true(exists(f, "other/notes.txt"));

	/* no such directory: nothing made */
	snprintf(to, sizeof(to), "%s/none/bk", f->fs.dir);
	assert_int_equal(backup_take(f->fs.store, to, 0, &b, f->why, sizeof(f->why)),
	                 PMIF_ENOTFOUND);
	assert_non_null(strstr(f->why, "there is no directory"));
	assert_false(exists(f, "none"));
	assert_false(leftovers(f));
}

static void test_verify_garbage(void **state)
{
	struct fixture *f = *state;
	struct backup_summary b;
	FILE *fp = fopen(path(f, "garbage"), "w");

	assert_non_null(fp);
	for (int i = 0; i < 5000; i++)
		fputc((i * 7919) & 0xff, fp);
	fclose(fp);
	assert_int_equal(backup_verify(path(f, "garbage"), &b, f->why, sizeof(f->why)),
	                 PMIF_EINVAL);
	assert_non_null(strstr(f->why, "is not a PMIF backup"));
	assert_int_equal(backup_verify(path(f, "missing"), &b, f->why, sizeof(f->why)),
	                 PMIF_ENOTFOUND);
	assert_non_null(strstr(f->why, "no such backup"));
}

static void test_restore(void **state)
{
	struct fixture *f = *state;
	struct backup_summary b;
	char bk[256], r[256], aside[512], garbage[256];
	uint8_t pub[32];
	struct store *back;
	int lock;

	snprintf(bk, sizeof(bk), "%s/bk", f->fs.dir);
	snprintf(r, sizeof(r), "%s/r", f->fs.dir);
	snprintf(garbage, sizeof(garbage), "%s/garbage", f->fs.dir);
	assert_int_equal(backup_take(f->fs.store, bk, 0, &b, f->why, sizeof(f->why)), 0);
	assert_int_equal(mkdir(r, 0700), 0);

	/* no key in the dir: refused, nothing written */
	assert_int_equal(backup_restore(bk, r, &b, aside, sizeof(aside), f->why, sizeof(f->why)),
	                 PMIF_ENOTFOUND);
	assert_non_null(strstr(f->why, "has no server.key"));
	assert_false(exists(f, "r/data.mdb"));
	assert_int_equal(keys_create(r, pub), 0);

	/* into a fresh dir: nothing to keep aside */
	assert_int_equal(backup_restore(bk, r, &b, aside, sizeof(aside), f->why, sizeof(f->why)),
	                 0);
	assert_string_equal(aside, "");
	assert_int_equal(b.audit_entries, 5);
	assert_int_equal(store_open(r, &back), 0);
	store_close(back);

	/* again: the store it replaces is kept, lock.mdb is cleared */
	assert_true(exists(f, "r/lock.mdb"));
	assert_int_equal(backup_restore(bk, r, &b, aside, sizeof(aside), f->why, sizeof(f->why)),
	                 0);
	assert_non_null(strstr(aside, "data.mdb.before-restore-"));
	assert_int_equal(access(aside, F_OK), 0);
	assert_false(exists(f, "r/lock.mdb"));

	/* a served dir (serve.lock held) is refused */
	lock = open(path(f, "r/serve.lock"), O_RDWR | O_CREAT, 0600);
	assert_true(lock >= 0);
	assert_int_equal(flock(lock, LOCK_EX | LOCK_NB), 0);
	assert_int_equal(backup_restore(bk, r, &b, aside, sizeof(aside), f->why, sizeof(f->why)),
	                 PMIF_EBUSY);
	assert_non_null(strstr(f->why, "a pmifd is serving"));
	close(lock);

	/* garbage and a missing backup are refused, and leave no temp file */
	test_verify_garbage(state);
	assert_int_equal(
	    backup_restore(garbage, r, &b, aside, sizeof(aside), f->why, sizeof(f->why)),
	    PMIF_EINVAL);
	assert_non_null(strstr(f->why, "is not a PMIF backup"));
	assert_int_equal(
	    backup_restore(path(f, "nope"), r, &b, aside, sizeof(aside), f->why, sizeof(f->why)),
	    PMIF_ENOTFOUND);
	assert_false(leftovers(f));
	assert_int_equal(backup_verify(path(f, "r/data.mdb"), &b, f->why, sizeof(f->why)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_backup_whole_or_nothing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verify_garbage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restore, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
