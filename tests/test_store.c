/*
 * test_store.c - tests for server/store.c, the LMDB store.
 *
 * Every test works in its own mkdtemp directory.  Records are written with
 * store_put_pb() and read back with store_get_pb(), and compared field by
 * field; raw mdb_put() plants garbage and odd schema versions where the
 * store's own functions would never write them.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "fixture_store.h"
#include "log.h"
#include "store.h"
#include "store.pb-c.h"

#define MB(n) ((size_t)(n) << 20)

/* the store goes in f->path, one level below f->dir, so create makes it */
#define fixture fixture_store

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	fixture_dir_make(f, "store");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fixture_store_remove(f);
	free(f);
	return 0;
}

static MDB_txn *write_begin(struct store *s)
{
	MDB_txn *txn = NULL;

	assert_int_equal(mdb_txn_begin(s->env, NULL, 0, &txn), 0);
	return txn;
}

static MDB_txn *read_begin(struct store *s)
{
	MDB_txn *txn = NULL;

	assert_int_equal(store_read_begin(s, &txn), 0);
	assert_non_null(txn);
	return txn;
}

/* A user record with every kind of field set. */
static void make_user(Pmif__UserRecord *u, const char *name, uint8_t salt[16], uint8_t hash[32])
{
	static char *dirs[] = {"CAF", "RD"};

	pmif__user_record__init(u);
	u->name = (char *)name;
	u->role = PMIF__ROLE__DIRECTORATE;
	u->directorates = dirs;
	u->n_directorates = 2;
	u->created_unix = 1700000000;
	u->last_login_unix = 1700000100;
	u->must_change_password = 1;
	u->scrypt_log2_n = 17;
	u->scrypt_r = 8;
	u->scrypt_p = 1;
	for (int i = 0; i < 16; i++)
		salt[i] = (uint8_t)(i + 1);
	for (int i = 0; i < 32; i++)
		hash[i] = (uint8_t)(0xa0 + i);
	u->salt.data = salt;
	u->salt.len = 16;
	u->hash.data = hash;
	u->hash.len = 32;
	u->generation = 7;
}

static void put_user(struct store *s, const char *name)
{
	Pmif__UserRecord u;
	uint8_t salt[16], hash[32];
	MDB_txn *txn = write_begin(s);

	make_user(&u, name, salt, hash);
	assert_int_equal(store_put_pb(s, txn, STORE_USERS, name, strlen(name), &u.base), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
}

/* Read @p name and check it is exactly what put_user() wrote. */
static void check_user(struct store *s, const char *name)
{
	Pmif__UserRecord *got = NULL;
	MDB_txn *txn = read_begin(s);

	assert_int_equal(store_get_pb(s, txn, STORE_USERS, name, strlen(name),
	                              &pmif__user_record__descriptor, NULL,
	                              (ProtobufCMessage **)&got),
	                 0);
	assert_non_null(got);
	assert_string_equal(got->name, name);
	assert_int_equal(got->role, PMIF__ROLE__DIRECTORATE);
	assert_int_equal(got->n_directorates, 2);
	assert_string_equal(got->directorates[0], "CAF");
	assert_string_equal(got->directorates[1], "RD");
	assert_int_equal(got->created_unix, 1700000000);
	assert_int_equal(got->last_login_unix, 1700000100);
	assert_true(got->must_change_password);
	assert_int_equal(got->scrypt_log2_n, 17);
	assert_int_equal(got->salt.len, 16);
	assert_int_equal(got->salt.data[15], 16);
	assert_int_equal(got->hash.len, 32);
	assert_int_equal(got->hash.data[31], 0xa0 + 31);
	assert_int_equal(got->generation, 7);
	protobuf_c_message_free_unpacked(&got->base, NULL);
	mdb_txn_abort(txn);
}

static void put_raw(struct store *s, enum store_db db, const char *key, const void *val, size_t len)
{
	MDB_txn *txn = write_begin(s);
	MDB_val k = {strlen(key), (void *)key}, v = {len, (void *)val};

	assert_int_equal(mdb_put(txn, s->dbi[db], &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
}

/* ---- tests ------------------------------------------------------------ */

static void test_create_open_close(void **state)
{
	struct fixture *f = *state;
	struct store *s = NULL, *again = (struct store *)0x1;
	struct stat st;
	char data[160];

	assert_int_equal(store_create(f->path, &s), 0);
	assert_non_null(s);
	assert_string_equal(s->dir, f->path);
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	snprintf(data, sizeof(data), "%s/data.mdb", f->path);
	assert_int_equal(stat(data, &st), 0);

	/* a second create refuses, whether the first is open or closed */
	assert_int_equal(store_create(f->path, &again), PMIF_EEXIST);
	assert_ptr_equal(again, (struct store *)0x1);
	store_close(s);
	assert_int_equal(store_create(f->path, &again), PMIF_EEXIST);
	assert_ptr_equal(again, (struct store *)0x1);

	assert_int_equal(store_open(f->path, &s), 0);
	store_close(s);
	store_close(NULL);
}

static void test_open_missing(void **state)
{
	struct fixture *f = *state;
	struct store *s = (struct store *)0x1;
	char missing[160];

	snprintf(missing, sizeof(missing), "%s/nothing-here", f->dir);
	assert_int_equal(store_open(missing, &s), PMIF_ENOTFOUND);
	/* an existing but empty directory has no store either */
	assert_int_equal(store_open(f->dir, &s), PMIF_ENOTFOUND);
	assert_ptr_equal(s, (struct store *)0x1);
}

static void test_put_get_del(void **state)
{
	struct fixture *f = *state;
	struct store *s = NULL;
	Pmif__UserRecord *got = (Pmif__UserRecord *)0x1;
	MDB_txn *txn;

	assert_int_equal(store_create(f->path, &s), 0);
	put_user(s, "ann");
	put_user(s, "bob");
	check_user(s, "ann");
	check_user(s, "bob");

	/* overwrite: the new value wins */
	{
		Pmif__UserRecord u;
		uint8_t salt[16], hash[32];
		Pmif__UserRecord *r = NULL;

		make_user(&u, "ann", salt, hash);
		u.generation = 99;
		u.n_directorates = 0;
		txn = write_begin(s);
		assert_int_equal(store_put_pb(s, txn, STORE_USERS, "ann", 3, &u.base), 0);
		assert_int_equal(mdb_txn_commit(txn), 0);
		txn = read_begin(s);
		assert_int_equal(store_get_pb(s, txn, STORE_USERS, "ann", 3,
		                              &pmif__user_record__descriptor, NULL,
		                              (ProtobufCMessage **)&r),
		                 0);
		assert_int_equal(r->generation, 99);
		assert_int_equal(r->n_directorates, 0);
		protobuf_c_message_free_unpacked(&r->base, NULL);
		mdb_txn_abort(txn);
	}

	/* the same key in another database is another record */
	txn = read_begin(s);
	assert_int_equal(store_get_pb(s, txn, STORE_SESSIONS, "bob", 3,
	                              &pmif__session_record__descriptor, NULL,
	                              (ProtobufCMessage **)&got),
	                 PMIF_ENOTFOUND);
	mdb_txn_abort(txn);

	/* delete, then it is gone; deleting again is NOTFOUND */
	txn = write_begin(s);
	assert_int_equal(store_del(s, txn, STORE_USERS, "bob", 3), 0);
	assert_int_equal(store_del(s, txn, STORE_USERS, "bob", 3), PMIF_ENOTFOUND);
	assert_int_equal(store_del(s, txn, STORE_USERS, "nobody", 6), PMIF_ENOTFOUND);
	assert_int_equal(mdb_txn_commit(txn), 0);
	txn = read_begin(s);
	assert_int_equal(store_get_pb(s, txn, STORE_USERS, "bob", 3, &pmif__user_record__descriptor,
	                              NULL, (ProtobufCMessage **)&got),
	                 PMIF_ENOTFOUND);
	assert_ptr_equal(got, (Pmif__UserRecord *)0x1);
	mdb_txn_abort(txn);

	/* an aborted write leaves nothing behind */
	{
		Pmif__UserRecord u;
		uint8_t salt[16], hash[32];

		make_user(&u, "cat", salt, hash);
		txn = write_begin(s);
		assert_int_equal(store_put_pb(s, txn, STORE_USERS, "cat", 3, &u.base), 0);
		mdb_txn_abort(txn);
		txn = read_begin(s);
		assert_int_equal(store_get_pb(s, txn, STORE_USERS, "cat", 3,
		                              &pmif__user_record__descriptor, NULL,
		                              (ProtobufCMessage **)&got),
		                 PMIF_ENOTFOUND);
		mdb_txn_abort(txn);
	}

	/* records survive close and reopen */
	put_user(s, "dan");
	store_close(s);
	assert_int_equal(store_open(f->path, &s), 0);
	check_user(s, "dan");
	store_close(s);
}

static void test_empty_record(void **state)
{
	struct fixture *f = *state;
	struct store *s = NULL;
	Pmif__RequestRecord rec = PMIF__REQUEST_RECORD__INIT, *got = NULL;
	MDB_txn *txn;

	/* a message with every field at its default packs to zero bytes */
	assert_int_equal(store_create(f->path, &s), 0);
	txn = write_begin(s);
	assert_int_equal(store_put_pb(s, txn, STORE_REQUESTS, "k", 1, &rec.base), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	txn = read_begin(s);
	assert_int_equal(store_get_pb(s, txn, STORE_REQUESTS, "k", 1,
	                              &pmif__request_record__descriptor, NULL,
	                              (ProtobufCMessage **)&got),
	                 0);
	assert_int_equal(got->time_unix, 0);
	assert_int_equal(got->reply.len, 0);
	protobuf_c_message_free_unpacked(&got->base, NULL);
	mdb_txn_abort(txn);
	store_close(s);
}

static void test_garbage_record(void **state)
{
	/* bytes that are no protobuf at all: an invalid wire type, a length
	 * running past the end, a varint that never ends, a truncated tag */
	static const uint8_t bad[][12] = {
	    {0x0f, 0x01},
	    {0x0a, 0x7f, 'a', 'b'},
	    {0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff},
	    {0x80},
	};
	static const size_t bad_len[] = {2, 4, 12, 1};
	struct fixture *f = *state;
	struct store *s = NULL;
	MDB_txn *txn;

	assert_int_equal(store_create(f->path, &s), 0);
	for (size_t i = 0; i < sizeof(bad_len) / sizeof(bad_len[0]); i++) {
		ProtobufCMessage *got = (ProtobufCMessage *)0x1;

		put_raw(s, STORE_USERS, "mallory", bad[i], bad_len[i]);
		txn = read_begin(s);
		assert_int_equal(store_get_pb(s, txn, STORE_USERS, "mallory", 7,
		                              &pmif__user_record__descriptor, NULL, &got),
		                 PMIF_ESTORE);
		assert_ptr_equal(got, (ProtobufCMessage *)0x1);
		mdb_txn_abort(txn);
	}
	/* a seeded stream of random records may fail but never crash */
	srand(4242);
	txn = write_begin(s);
	for (int i = 0; i < 2000; i++) {
		uint8_t buf[64];
		char key[16];
		size_t len = (size_t)(rand() % 64);
		MDB_val k, v = {len, buf};

		for (size_t b = 0; b < len; b++)
			buf[b] = (uint8_t)rand();
		snprintf(key, sizeof(key), "r%04d", i);
		k.mv_size = strlen(key);
		k.mv_data = key;
		assert_int_equal(mdb_put(txn, s->dbi[STORE_SESSIONS], &k, &v, 0), 0);
	}
	assert_int_equal(mdb_txn_commit(txn), 0);
	txn = read_begin(s);
	for (int i = 0; i < 2000; i++) {
		ProtobufCMessage *got = NULL;
		char key[16];
		int rc;

		snprintf(key, sizeof(key), "r%04d", i);
		rc = store_get_pb(s, txn, STORE_SESSIONS, key, strlen(key),
		                  &pmif__session_record__descriptor, NULL, &got);
		assert_true(rc == 0 || rc == PMIF_ESTORE);
		if (rc == 0)
			protobuf_c_message_free_unpacked(got, NULL);
	}
	mdb_txn_abort(txn);
	store_close(s);
}

static void test_schema_version(void **state)
{
	struct fixture *f = *state;
	struct store *s = NULL;
	MDB_txn *txn;
	MDB_val k = {14, "schema_version"}, v;
	uint32_t version;

	assert_int_equal(store_create(f->path, &s), 0);
	txn = read_begin(s);
	assert_int_equal(mdb_get(txn, s->dbi[STORE_META], &k, &v), 0);
	assert_int_equal(v.mv_size, 4);
	memcpy(&version, v.mv_data, 4);
	assert_int_equal(version, STORE_SCHEMA_VERSION);
	mdb_txn_abort(txn);
	store_close(s);

	/* the version survives a reopen unchanged */
	assert_int_equal(store_open(f->path, &s), 0);
	txn = read_begin(s);
	assert_int_equal(mdb_get(txn, s->dbi[STORE_META], &k, &v), 0);
	memcpy(&version, v.mv_data, 4);
	assert_int_equal(version, STORE_SCHEMA_VERSION);
	mdb_txn_abort(txn);
	store_close(s);
}

/* Set the stored schema_version to @p len bytes of @p val behind the
 * store's back (raw LMDB), then try store_open(). */
static int open_with_version(struct fixture *f, const void *val, size_t len)
{
	struct store *s = (struct store *)0x1;
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi meta;
	MDB_val k = {14, "schema_version"}, v = {len, (void *)val};
	int rc;

	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 32), 0);
	assert_int_equal(mdb_env_set_mapsize(env, (size_t)1 << 30), 0);
	assert_int_equal(mdb_env_open(env, f->path, MDB_NOTLS, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
	assert_int_equal(mdb_put(txn, meta, &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);

	rc = store_open(f->path, &s);
	if (rc == 0)
		store_close(s);
	else
		assert_ptr_equal(s, (struct store *)0x1);
	return rc;
}

static void test_schema_newer_refused(void **state)
{
	struct fixture *f = *state;
	struct store *s = NULL;
	uint32_t newer = STORE_SCHEMA_VERSION + 1, zero = 0, huge = UINT32_MAX;
	uint32_t current = STORE_SCHEMA_VERSION;

	assert_int_equal(store_create(f->path, &s), 0);
	store_close(s);
	assert_int_equal(open_with_version(f, &newer, 4), PMIF_ESTATE);
	assert_int_equal(open_with_version(f, &huge, 4), PMIF_ESTATE);
	assert_int_equal(open_with_version(f, &zero, 4), PMIF_ESTATE);
	/* garbage in place of the version: refused, whatever the reason */
	assert_int_not_equal(open_with_version(f, "\x01\x00", 2), 0);
	assert_int_not_equal(open_with_version(f, "12345678", 8), 0);
	/* and the right version opens again */
	assert_int_equal(open_with_version(f, &current, 4), 0);
}

/* A backup made before "comparators" was added (a pmifd of the same
 * schema, 2, without that database) is still a good backup: it opens, the
 * database is marked absent, and its records check. */
static void test_open_copy_before_comparators(void **state)
{
	struct fixture *f = *state;
	struct store *s = NULL, *copy = NULL;
	char to[160];
	MDB_txn *txn;
	int fd;

	assert_int_equal(store_create(f->path, &s), 0);
	put_user(s, "older");
	assert_int_equal(mdb_txn_begin(s->env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_drop(txn, s->dbi[STORE_COMPARATORS], 1), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	snprintf(to, sizeof(to), "%s/older.mdb", f->dir);
	fd = open(to, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	assert_int_equal(store_backup(s, fd), 0);
	close(fd);
	store_close(s);

	assert_int_equal(store_open_copy(to, &copy), 0);
	assert_true(copy->absent & ((uint64_t)1 << STORE_COMPARATORS));
	assert_false(copy->absent & ((uint64_t)1 << STORE_VALUES));
	check_user(copy, "older");
	txn = read_begin(copy);
	assert_int_equal(store_check_records(copy, txn, NULL), 0);
	mdb_txn_abort(txn);
	store_close(copy);
	/* the store itself gets the database back when opened for serving */
	assert_int_equal(store_open(f->path, &s), 0);
	txn = read_begin(s);
	{
		MDB_stat st;

		assert_int_equal(mdb_stat(txn, s->dbi[STORE_COMPARATORS], &st), 0);
		assert_int_equal(st.ms_entries, 0);
	}
	mdb_txn_abort(txn);
	store_close(s);
}

static void test_key_u64(void **state)
{
	static const uint64_t values[] = {0, 1, 255, 256, 0x0102030405060708ull, UINT64_MAX};
	uint8_t a[8], b[8];

	(void)state;
	store_key_u64(a, 0x0102030405060708ull);
	for (int i = 0; i < 8; i++)
		assert_int_equal(a[i], i + 1);
	for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
		store_key_u64(a, values[i]);
		assert_true(store_key_get_u64(a) == values[i]);
	}
	/* byte order sorts as the numbers do */
	for (uint64_t x = 1; x < (1ull << 40); x = x * 3 + 1) {
		store_key_u64(a, x);
		store_key_u64(b, x + 1);
		assert_true(memcmp(a, b, 8) < 0);
	}
}

static void test_error_mapping(void **state)
{
	(void)state;
	assert_int_equal(store_error(MDB_SUCCESS), 0);
	assert_int_equal(store_error(MDB_NOTFOUND), PMIF_ENOTFOUND);
	assert_int_equal(store_error(MDB_KEYEXIST), PMIF_EEXIST);
	assert_int_equal(store_error(MDB_MAP_FULL), PMIF_EMAPFULL);
	assert_int_equal(store_error(ENOSPC), PMIF_EDISKFULL);
	assert_int_equal(store_error(EIO), PMIF_EDISKIO);
	/* the last storage failure is remembered once */
	assert_int_equal(store_failure_take(), PMIF_EDISKIO);
	assert_int_equal(store_failure_take(), 0);
	assert_int_equal(store_error(MDB_NOTFOUND), PMIF_ENOTFOUND);
	assert_int_equal(store_failure_take(), 0);
	assert_int_equal(store_error(MDB_CORRUPTED), PMIF_ESTORE);
	assert_int_equal(store_error(12345), PMIF_ESTORE);
}

static void test_backup(void **state)
{
	struct fixture *f = *state;
	struct store *s = NULL, *copy = NULL;
	char to[160];
	MDB_txn *txn;
	MDB_stat st;
	int fd;

	assert_int_equal(store_create(f->path, &s), 0);
	for (int i = 0; i < 200; i++) {
		char name[16];
		snprintf(name, sizeof(name), "user%03d", i);
		put_user(s, name);
	}
	snprintf(to, sizeof(to), "%s/backup.mdb", f->dir);
	fd = open(to, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_true(fd >= 0);
	/* hot: a reader is open while the copy is taken */
	txn = read_begin(s);
	assert_int_equal(store_backup(s, fd), 0);
	mdb_txn_abort(txn);
	close(fd);
	/* a write after the backup is not in it */
	put_user(s, "later");
	store_close(s);

	assert_int_equal(store_open_copy(to, &copy), 0);
	for (int i = 0; i < 200; i += 37) {
		char name[16];
		snprintf(name, sizeof(name), "user%03d", i);
		check_user(copy, name);
	}
	check_user(copy, "user199");
	txn = read_begin(copy);
	assert_int_equal(mdb_stat(txn, copy->dbi[STORE_USERS], &st), 0);
	assert_int_equal(st.ms_entries, 200);
	assert_int_equal(store_check_records(copy, txn, NULL), 0);
	mdb_txn_abort(txn);
	store_close(copy);
	/* opened read-only without a lock file: nothing was written beside it */
	snprintf(to, sizeof(to), "%s/backup.mdb-lock", f->dir);
	assert_int_not_equal(access(to, F_OK), 0);

	/* a copy into a file that cannot be written fails cleanly */
	assert_int_equal(store_open(f->path, &s), 0);
	fd = open("/dev/null", O_RDONLY);
	assert_int_not_equal(store_backup(s, fd), 0);
	close(fd);
	store_close(s);
}

/* store_open_copy() tells "not a PMIF store" from a missing file, for
 * garbage, an empty file, and an LMDB file that is not a PMIF store. */
static void test_open_copy_refuses(void **state)
{
	struct fixture *f = *state;
	struct store *s = (struct store *)1;
	char p[160];
	FILE *fp;
	MDB_env *env;

	snprintf(p, sizeof(p), "%s/nothing", f->dir);
	assert_int_equal(store_open_copy(p, &s), PMIF_ENOTFOUND);
	snprintf(p, sizeof(p), "%s/garbage", f->dir);
	fp = fopen(p, "w");
	assert_non_null(fp);
	for (int i = 0; i < 3000; i++)
		fputs("not a store ", fp);
	fclose(fp);
	assert_int_equal(store_open_copy(p, &s), PMIF_EINVAL);
	snprintf(p, sizeof(p), "%s/empty", f->dir);
	fclose(fopen(p, "w"));
	assert_int_equal(store_open_copy(p, &s), PMIF_EINVAL);
	/* a valid LMDB file with none of PMIF's databases */
	snprintf(p, sizeof(p), "%s/other.mdb", f->dir);
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_open(env, p, MDB_NOSUBDIR, 0600), 0);
	{
		MDB_txn *txn;
		MDB_dbi dbi;
		MDB_val k = {1, "k"}, v = {1, "v"};
		assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
		assert_int_equal(mdb_dbi_open(txn, NULL, 0, &dbi), 0);
		assert_int_equal(mdb_put(txn, dbi, &k, &v, 0), 0);
		assert_int_equal(mdb_txn_commit(txn), 0);
	}
	mdb_env_close(env);
	assert_int_equal(store_open_copy(p, &s), PMIF_EINVAL);
	assert_ptr_equal(s, (struct store *)1); /* out untouched on failure */
}

static void test_check_records(void **state)
{
	struct fixture *f = *state;
	struct store *s = NULL;
	MDB_txn *txn;
	char *text = NULL;
	size_t textlen = 0;
	FILE *report;

	assert_int_equal(store_create(f->path, &s), 0);
	put_user(s, "ann");
	put_user(s, "bob");
	txn = read_begin(s);
	report = open_memstream(&text, &textlen);
	assert_non_null(report);
	assert_int_equal(store_check_records(s, txn, report), 0);
	fclose(report);
	assert_non_null(strstr(text, "users"));
	assert_null(strstr(text, "unreadable"));
	free(text);
	mdb_txn_abort(txn);

	/* one record in the sessions database is garbage */
	put_raw(s, STORE_SESSIONS, "broken", "\x0a\x7f\x01", 3);
	txn = read_begin(s);
	text = NULL;
	report = open_memstream(&text, &textlen);
	assert_non_null(report);
	assert_int_equal(store_check_records(s, txn, report), PMIF_ESTORE);
	fclose(report);
	assert_non_null(strstr(text, "unreadable"));
	/* the line that says so is the sessions line */
	{
		const char *line = strstr(text, "sessions");
		assert_non_null(line);
		assert_non_null(strstr(line, "unreadable"));
		assert_true(strchr(line, '\n') > strstr(line, "unreadable"));
	}
	free(text);
	/* without a report it still says so */
	assert_int_equal(store_check_records(s, txn, NULL), PMIF_ESTORE);
	mdb_txn_abort(txn);

	/* removing it makes the store clean again */
	txn = write_begin(s);
	assert_int_equal(store_del(s, txn, STORE_SESSIONS, "broken", 6), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	txn = read_begin(s);
	assert_int_equal(store_check_records(s, txn, NULL), 0);
	mdb_txn_abort(txn);
	store_close(s);
}

/* ---- the map: growth up to the ceiling -------------------------------- */

/* Put @p n values of 64 KiB at keys PREFIX-i in one txn: 0 or the code. */
static int put_blobs(struct store *s, const char *prefix, int n)
{
	static char blob[64 * 1024];
	MDB_txn *txn = write_begin(s);
	int rc = 0;

	memset(blob, 'x', sizeof(blob));
	for (int i = 0; rc == 0 && i < n; i++) {
		char key[32];
		MDB_val k = {(size_t)snprintf(key, sizeof(key), "%s-%d", prefix, i), key};
		MDB_val v = {sizeof(blob), blob};
		rc = store_error(mdb_put(txn, s->dbi[STORE_REQUESTS], &k, &v, 0));
	}
	if (rc != 0) {
		mdb_txn_abort(txn);
		return rc;
	}
	return store_error(mdb_txn_commit(txn));
}

static void test_map_grows_to_ceiling(void **state)
{
	struct fixture *f = *state;
	struct store_options opt = {.map_size = MB(1), .map_max = MB(4), .migrate = true};
	struct store *s = NULL;

	assert_int_equal(store_create(f->path, &s), 0);
	store_close(s);
	assert_int_equal(store_open_with(f->path, &opt, &s), 0);
	assert_int_equal(s->map_size, MB(1));
	assert_int_equal(s->map_max, MB(4));
	/* 1.5 MiB does not fit in 1 MiB: nothing of it is kept */
	assert_int_equal(put_blobs(s, "a", 24), PMIF_EMAPFULL);
	assert_int_equal(store_grow(s), 0);
	assert_int_equal(s->map_size, MB(2));
	assert_int_equal(put_blobs(s, "a", 24), 0);
	/* 2 MiB more: 4 MiB is the ceiling, and it fits there */
	assert_int_equal(put_blobs(s, "b", 32), PMIF_EMAPFULL);
	assert_int_equal(store_grow(s), 0);
	assert_int_equal(s->map_size, MB(4));
	assert_int_equal(store_grow(s), PMIF_EMAPFULL);
	assert_int_equal(s->map_size, MB(4));
	assert_int_equal(put_blobs(s, "b", 32), 0);
	/* and past it nothing more goes in */
	assert_int_equal(put_blobs(s, "c", 24), PMIF_EMAPFULL);
	store_close(s);

	/* opened again with a smaller --map-size: never below the file */
	opt.map_size = MB(1);
	opt.map_max = MB(8);
	assert_int_equal(store_open_with(f->path, &opt, &s), 0);
	assert_true(s->map_size >= MB(4));
	assert_int_equal(put_blobs(s, "c", 24), PMIF_EMAPFULL);
	assert_int_equal(store_grow(s), 0);
	assert_int_equal(put_blobs(s, "c", 24), 0);
	store_close(s);

	/* a ceiling below what the file holds: served at its size, no growth */
	opt.map_max = MB(2);
	assert_int_equal(store_open_with(f->path, &opt, &s), 0);
	assert_true(s->map_size > MB(2));
	assert_int_equal(s->map_max, s->map_size);
	assert_int_equal(store_grow(s), PMIF_EMAPFULL);
	store_close(s);

	/* pmifd check's way: whatever size the store has */
	opt = (struct store_options){.map_size = 0, .migrate = false};
	assert_int_equal(store_open_with(f->path, &opt, &s), 0);
	assert_true(s->map_size >= MB(5));
	store_close(s);
}

/* ---- schema versions and migration ------------------------------------ */

/* Where tests/data/store-schema1 is (main's argument). */
static const char *schema1_dir;

/* Copy the schema-1 store into f->path (a store made by the pmifd of
 * commit 105c1b4, the last with schema 1). */
static void copy_schema1(struct fixture *f)
{
	char from[4096], to[256], buf[8192];
	FILE *in, *out;
	size_t n;

	assert_int_equal(mkdir(f->path, 0700), 0);
	snprintf(from, sizeof(from), "%s/data.mdb", schema1_dir);
	snprintf(to, sizeof(to), "%s/data.mdb", f->path);
	in = fopen(from, "rb");
	assert_non_null(in);
	out = fopen(to, "wb");
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* The schema_version and whether meta "info" exists, read with raw LMDB. */
static uint32_t raw_version(const char *path, int *has_info)
{
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi meta;
	MDB_val k = {14, "schema_version"}, ik = {4, "info"}, v;
	uint32_t version;

	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 32), 0);
	assert_int_equal(mdb_env_open(env, path, MDB_NOTLS | MDB_RDONLY, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, MDB_RDONLY, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
	assert_int_equal(mdb_get(txn, meta, &k, &v), 0);
	assert_int_equal(v.mv_size, 4);
	memcpy(&version, v.mv_data, 4);
	*has_info = mdb_get(txn, meta, &ik, &v) == 0;
	mdb_txn_abort(txn);
	mdb_env_close(env);
	return version;
}

static void test_new_store_has_info(void **state)
{
	struct fixture *f = *state;
	struct store *s = NULL;
	Pmif__StoreInfo *info = NULL;
	MDB_txn *txn;

	assert_int_equal(store_create(f->path, &s), 0);
	assert_int_equal(s->schema, STORE_SCHEMA_VERSION);
	txn = read_begin(s);
	assert_int_equal(store_info_get(s, txn, NULL, &info), 0);
	assert_string_equal(info->created_by, "pmifd " PMIF_VERSION);
	assert_true(info->created_unix > 1700000000);
	assert_int_equal(info->migrated_unix, 0);
	protobuf_c_message_free_unpacked(&info->base, NULL);
	mdb_txn_abort(txn);
	store_close(s);
}

static void test_migrate_schema1(void **state)
{
	struct fixture *f = *state;
	struct store *s = NULL, *old = NULL;
	struct store_options as_it_is = {.map_size = 0, .migrate = false};
	Pmif__StoreInfo *info = NULL;
	Pmif__AuditEntry *first = NULL;
	char copy[256];
	struct stat st;
	uint8_t key[8];
	MDB_txn *txn;
	int has_info;

	copy_schema1(f);
	/* opened as it is (pmifd check, backup): left at schema 1 */
	assert_int_equal(store_open_with(f->path, &as_it_is, &s), 0);
	assert_int_equal(s->schema, 1);
	store_close(s);
	assert_int_equal(raw_version(f->path, &has_info), 1);
	assert_false(has_info);
	snprintf(copy, sizeof(copy), "%s/pre-migration-v1", f->path);
	assert_int_not_equal(stat(copy, &st), 0);

	/* served: copied first, then migrated */
	assert_int_equal(store_open(f->path, &s), 0);
	assert_int_equal(s->schema, STORE_SCHEMA_VERSION);
	txn = read_begin(s);
	assert_int_equal(store_info_get(s, txn, NULL, &info), 0);
	store_key_u64(key, 1);
	assert_int_equal(store_get_pb(s, txn, STORE_AUDIT, key, 8, &pmif__audit_entry__descriptor,
	                              NULL, (ProtobufCMessage **)&first),
	                 0);
	/* made when its first audit entry says, by a pmifd that did not say */
	assert_true(info->created_unix == first->time_unix_us / 1000000);
	assert_string_equal(info->created_by, "");
	assert_int_equal(info->migrated_from, 1);
	assert_string_equal(info->migrated_by, "pmifd " PMIF_VERSION);
	assert_true(info->migrated_unix >= info->created_unix);
	/* the records are as they were */
	assert_int_equal(store_check_records(s, txn, NULL), 0);
	protobuf_c_message_free_unpacked(&info->base, NULL);
	protobuf_c_message_free_unpacked(&first->base, NULL);
	mdb_txn_abort(txn);
	store_close(s);

	/* the copy from before is schema 1, readable by its owner only */
	snprintf(copy, sizeof(copy), "%s/pre-migration-v1/data.mdb", f->path);
	assert_int_equal(stat(copy, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(copy, sizeof(copy), "%s/pre-migration-v1", f->path);
	assert_int_equal(store_open_with(copy, &as_it_is, &old), 0);
	assert_int_equal(old->schema, 1);
	store_close(old);

	/* opened again: nothing more to do, no second copy */
	assert_int_equal(store_open(f->path, &s), 0);
	store_close(s);
	snprintf(copy, sizeof(copy), "%s/pre-migration-v1.1", f->path);
	assert_int_not_equal(stat(copy, &st), 0);
}

static void test_migration_failure_leaves_store(void **state)
{
	struct fixture *f = *state;
	struct store *s = (struct store *)0x1;
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi audit;
	uint8_t key[8];
	MDB_val k = {8, key}, v = {7, "garbage"};
	char copy[256];
	struct stat st;
	int has_info;

	copy_schema1(f);
	/* the first audit entry, which the migration reads, is damaged */
	store_key_u64(key, 1);
	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, 32), 0);
	assert_int_equal(mdb_env_open(env, f->path, MDB_NOTLS, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "audit", 0, &audit), 0);
	assert_int_equal(mdb_put(txn, audit, &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);

	assert_int_equal(store_open(f->path, &s), PMIF_ESTATE);
	assert_ptr_equal(s, (struct store *)0x1);
	/* nothing of the migration kept; the copy was made first */
	assert_int_equal(raw_version(f->path, &has_info), 1);
	assert_false(has_info);
	snprintf(copy, sizeof(copy), "%s/pre-migration-v1/data.mdb", f->path);
	assert_int_equal(stat(copy, &st), 0);
	/* a second try makes a second copy rather than overwrite the first */
	assert_int_equal(store_open(f->path, &s), PMIF_ESTATE);
	snprintf(copy, sizeof(copy), "%s/pre-migration-v1.1/data.mdb", f->path);
	assert_int_equal(stat(copy, &st), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_create_open_close, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_missing, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_put_get_del, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_empty_record, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_garbage_record, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_schema_version, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_schema_newer_refused, setup, teardown),
	    cmocka_unit_test(test_key_u64),
	    cmocka_unit_test(test_error_mapping),
	    cmocka_unit_test_setup_teardown(test_backup, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_copy_refuses, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_open_copy_before_comparators, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_check_records, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_map_grows_to_ceiling, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_new_store_has_info, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migrate_schema1, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_migration_failure_leaves_store, setup, teardown),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_store DIR (tests/data/store-schema1)\n");
		return 2;
	}
	schema1_dir = argv[1];
	log_set_quiet(1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
