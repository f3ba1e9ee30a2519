/*
 * store_schema.c - the store's schema version, what it records about
 * itself, and the migrations that bring an older store up to date (see
 * store.h).
 *
 * "schema_version" in the meta database says which layout a store has.
 * A store newer than this build is refused: its records may mean things
 * this build does not know.  An older one is migrated when 'pmifd serve'
 * opens it: first a compacted copy to DIR/pre-migration-v<N>/ (the way
 * back), then every migration and the new version in one write
 * transaction, so a migration that fails leaves the store as it was.
 *
 * Schema history:
 *   1  the first layout
 *   2  meta "info": a StoreInfo record (when and by which pmifd the store
 *      was made, and its last migration)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "log.h"
#include "store.h"
#include "store.pb-c.h"

#define BINARY "pmifd " PMIF_VERSION

static int meta_get_u32(struct store *s, MDB_txn *txn, const char *name, uint32_t *out)
{
	MDB_val k = {strlen(name), (void *)name}, v;
	int rc = mdb_get(txn, s->dbi[STORE_META], &k, &v);

	if (rc != 0)
		return store_error(rc);
	if (v.mv_size != 4)
		return PMIF_ESTORE;
	memcpy(out, v.mv_data, 4);
	return 0;
}

int store_schema_read(struct store *s, MDB_txn *txn, uint32_t *version)
{
	return meta_get_u32(s, txn, "schema_version", version);
}

static int meta_put_u32(struct store *s, MDB_txn *txn, const char *name, uint32_t val)
{
	MDB_val k = {strlen(name), (void *)name}, v = {4, &val};

	return store_error(mdb_put(txn, s->dbi[STORE_META], &k, &v, 0));
}

static int info_put(struct store *s, MDB_txn *txn, const Pmif__StoreInfo *info)
{
	return store_put_pb(s, txn, STORE_META, "info", 4, &info->base);
}

int store_schema_init(struct store *s, MDB_txn *txn)
{
	Pmif__StoreInfo info = PMIF__STORE_INFO__INIT;
	int rc = meta_put_u32(s, txn, "schema_version", STORE_SCHEMA_VERSION);

	info.created_unix = (uint64_t)time(NULL);
	info.created_by = BINARY;
	if (rc == 0)
		rc = info_put(s, txn, &info);
	return rc;
}

/*
 * 1 -> 2: the StoreInfo record.  A schema-1 store does not say when it was
 * made, but 'pmifd init' wrote its first audit entry ("store created with
 * admin ..."), so that entry's time is the store's creation.  A first
 * entry that does not unpack fails the migration: the store is damaged
 * and 'pmifd check' says where.
 */
static int to_schema_2(struct store *s, MDB_txn *txn)
{
	Pmif__StoreInfo info = PMIF__STORE_INFO__INIT;
	Pmif__AuditEntry *first = NULL;
	uint8_t key[8];
	int rc;

	store_key_u64(key, 1);
	rc = store_get_pb(s, txn, STORE_AUDIT, key, sizeof(key), &pmif__audit_entry__descriptor,
	                  NULL, (ProtobufCMessage **)&first);
	if (rc == PMIF_ENOTFOUND)
		rc = 0; /* an empty trail: when it was made is not known */
	if (rc != 0) {
		log_error("the store's first audit entry cannot be read (%s): run 'pmifd check'",
		          pmif_strerror(rc));
		return rc;
	}
	if (first)
		info.created_unix = first->time_unix_us / 1000000;
	info.created_by = ""; /* made before pmifd recorded it */
	rc = info_put(s, txn, &info);
	if (first)
		protobuf_c_message_free_unpacked(&first->base, NULL);
	return rc;
}

/* migrations[v] upgrades schema v to v + 1 inside the txn. */
typedef int (*migration_fn)(struct store *s, MDB_txn *txn);
static const migration_fn migrations[STORE_SCHEMA_VERSION] = {
    [1] = to_schema_2,
};

/* The schema version of the freshly opened @p s, read in a txn of its own:
 * 0 when there is none that can be read. */
static uint32_t read_version(struct store *s)
{
	MDB_txn *txn;
	uint32_t version = 0;

	if (mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn) != 0)
		return 0;
	if (mdb_dbi_open(txn, "meta", 0, &s->dbi[STORE_META]) != 0 ||
	    meta_get_u32(s, txn, "schema_version", &version) != 0)
		version = 0;
	mdb_txn_abort(txn);
	return version;
}

/* A compacted copy of @p s as @p file in the new directory @p dir, synced,
 * readable by its owner only (it is as secret as the store). */
static int copy_to(struct store *s, const char *dir, const char *file)
{
	int fd, rc;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		log_error("cannot make '%s': %s", dir, strerror(errno));
		return PMIF_EIO;
	}
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		log_error("cannot create '%s': %s", file, strerror(errno));
		return PMIF_EIO;
	}
	rc = store_backup(s, fd);
	if (rc == 0 && fsync(fd) != 0)
		rc = PMIF_EIO;
	close(fd);
	if (rc != 0) {
		log_error("the copy to '%s' failed: %s", file, pmif_strerror(rc));
		unlink(file);
	}
	return rc;
}

/* Copy the store to DIR/pre-migration-v<N>/ (or .1, .2... if that is
 * taken) before migrating it; the chosen path goes to @p path. */
static int copy_before(struct store *s, uint32_t version, char *path, size_t cap)
{
	char file[4200];

	for (int k = 0; k < 100; k++) {
		int n = k ? snprintf(path, cap, "%s/pre-migration-v%u.%d", s->dir, version, k)
		          : snprintf(path, cap, "%s/pre-migration-v%u", s->dir, version);
		if (n < 0 || (size_t)n >= cap)
			return PMIF_EINVAL;
		snprintf(file, sizeof(file), "%s/data.mdb", path);
		if (access(file, F_OK) != 0)
			return copy_to(s, path, file);
	}
	log_error("'%s/pre-migration-v%u' and 99 more copies exist already: move them away", s->dir,
	          version);
	return PMIF_EEXIST;
}

/* Every migration from @p version on, the info and the new version, in
 * one txn; nothing kept unless all of it is. */
static int migrate(struct store *s, uint32_t version)
{
	Pmif__StoreInfo *info = NULL;
	MDB_txn *txn;
	int rc = store_error(mdb_txn_begin(s->env, NULL, 0, &txn));

	if (rc != 0)
		return rc;
	rc = store_dbs_open(s, txn, MDB_CREATE);
	for (uint32_t v = version; rc == 0 && v < STORE_SCHEMA_VERSION; v++)
		if (migrations[v])
			rc = migrations[v](s, txn);
	if (rc == 0)
		rc = store_info_get(s, txn, NULL, &info);
	if (rc == 0) {
		Pmif__StoreInfo now = *info;

		now.migrated_unix = (uint64_t)time(NULL);
		now.migrated_from = version;
		now.migrated_by = BINARY;
		rc = info_put(s, txn, &now);
		protobuf_c_message_free_unpacked(&info->base, NULL);
	}
	if (rc == 0)
		rc = meta_put_u32(s, txn, "schema_version", STORE_SCHEMA_VERSION);
	if (rc != 0) {
		mdb_txn_abort(txn);
		return rc;
	}
	return store_error(mdb_txn_commit(txn));
}

int store_schema_open(struct store *s, bool migrate_older)
{
	uint32_t version = read_version(s);
	char copy[4096];
	int rc;

	if (version == 0) {
		log_error("the store in %s has no readable schema version: it is damaged or not a "
		          "pmifd store; restore a backup",
		          s->dir);
		return PMIF_ESTATE;
	}
	if (version > STORE_SCHEMA_VERSION) {
		log_error(
		    "the store in %s was written by a newer pmifd (schema %u; this one reads "
		    "up to %u): run the newer pmifd, or restore a backup made by this version",
		    s->dir, version, STORE_SCHEMA_VERSION);
		return PMIF_ESTATE;
	}
	s->schema = version;
	if (version == STORE_SCHEMA_VERSION || !migrate_older)
		return store_dbs_open_alone(s, MDB_CREATE);
	rc = copy_before(s, version, copy, sizeof(copy));
	if (rc != 0) {
		log_error("the store in %s (schema %u) was not migrated: it could not be copied "
		          "first (%s)",
		          s->dir, version, pmif_strerror(rc));
		return PMIF_ESTATE;
	}
	log_info("copied the store in %s (schema %u) to %s before migrating it", s->dir, version,
	         copy);
	rc = migrate(s, version);
	if (rc != 0) {
		log_error("migrating the store in %s from schema %u to %u failed (%s): it is as it "
		          "was; the copy from before is in %s",
		          s->dir, version, STORE_SCHEMA_VERSION, pmif_strerror(rc), copy);
		return PMIF_ESTATE;
	}
	s->schema = STORE_SCHEMA_VERSION;
	log_info("store migrated from schema %u to %u", version, STORE_SCHEMA_VERSION);
	return 0;
}
