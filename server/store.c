/*
 * store.c - LMDB environment, named databases, schema version, protobuf
 * records (see store.h).
 */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "log.h"
#include "store.h"
#include "compare.pb-c.h"
#include "store.pb-c.h"
#include "store_readers.h"
#include "actions.pb-c.h"
#include "values.pb-c.h"

#define STORE_MAX_READERS 512

static const char *const db_names[STORE_NDB] = {
    [STORE_META] = "meta",
    [STORE_USERS] = "users",
    [STORE_SESSIONS] = "sessions",
    [STORE_AUDIT] = "audit",
    [STORE_REQUESTS] = "requests",
    [STORE_DIRECTORATES] = "directorates",
    [STORE_COMMITTEES] = "committees",
    [STORE_LOCALITIES] = "localities",
    [STORE_OBJECTIVES] = "objectives",
    [STORE_OUTCOMES] = "outcomes",
    [STORE_INTERVENTIONS] = "interventions",
    [STORE_MEASURES] = "measures",
    [STORE_FRAMEWORK_REFS] = "framework_refs",
    [STORE_PERIODS] = "periods",
    [STORE_VALUES] = "values",
    [STORE_VALUE_HISTORY] = "value_history",
    [STORE_COMMENTARY] = "commentary",
    [STORE_INTERVENTION_UPDATES] = "intervention_updates",
    [STORE_CASE_STUDIES] = "case_studies",
    [STORE_RISKS] = "risks",
    [STORE_RISK_ASSESSMENTS] = "risk_assessments",
    [STORE_RESOURCES] = "resources",
    [STORE_ACTIONS] = "actions",
    [STORE_INTERVENTION_PLANS] = "intervention_plans",
    [STORE_COMPARATORS] = "comparators",
};

/* What each database's values are, for store_check_records(). */
static const ProtobufCMessageDescriptor *const db_records[STORE_NDB] = {
    [STORE_USERS] = &pmif__user_record__descriptor,
    [STORE_SESSIONS] = &pmif__session_record__descriptor,
    [STORE_AUDIT] = &pmif__audit_entry__descriptor,
    [STORE_REQUESTS] = &pmif__request_record__descriptor,
    [STORE_DIRECTORATES] = &pmif__directorate__descriptor,
    [STORE_COMMITTEES] = &pmif__committee__descriptor,
    [STORE_LOCALITIES] = &pmif__locality__descriptor,
    [STORE_OBJECTIVES] = &pmif__objective__descriptor,
    [STORE_OUTCOMES] = &pmif__outcome__descriptor,
    [STORE_INTERVENTIONS] = &pmif__intervention__descriptor,
    [STORE_MEASURES] = &pmif__measure__descriptor,
    [STORE_PERIODS] = &pmif__period__descriptor,
    [STORE_VALUES] = &pmif__value_record__descriptor,
    [STORE_VALUE_HISTORY] = &pmif__value_record__descriptor,
    [STORE_COMMENTARY] = &pmif__commentary_record__descriptor,
    [STORE_INTERVENTION_UPDATES] = &pmif__intervention_update_record__descriptor,
    [STORE_CASE_STUDIES] = &pmif__case_study_record__descriptor,
    [STORE_RISKS] = &pmif__risk_record__descriptor,
    [STORE_RISK_ASSESSMENTS] = &pmif__risk_assessment_record__descriptor,
    [STORE_RESOURCES] = &pmif__resource_record__descriptor,
    [STORE_ACTIONS] = &pmif__action_record__descriptor,
    [STORE_INTERVENTION_PLANS] = &pmif__intervention_plan_record__descriptor,
    [STORE_COMPARATORS] = &pmif__comparator_set_record__descriptor,
};

/* Databases added to schema 2 after it was first released: 'pmifd serve'
 * creates them in an older store (MDB_CREATE), and a backup made before
 * them is still a backup of this schema. */
_Static_assert(STORE_NDB <= 64, "store.absent is a 64-bit mask");
static const bool db_added_later[STORE_NDB] = {
    [STORE_ACTIONS] = true,
    [STORE_INTERVENTION_PLANS] = true,
    [STORE_COMPARATORS] = true,
};

static __thread int last_failure;

int store_error(int rc)
{
	switch (rc) {
	case MDB_SUCCESS: return 0;
	case MDB_NOTFOUND: return PMIF_ENOTFOUND;
	case MDB_KEYEXIST: return PMIF_EEXIST;
	case ENOMEM: return PMIF_ENOMEM;
	case ENOSPC: return last_failure = PMIF_EDISKFULL;
	case EIO: return last_failure = PMIF_EDISKIO;
	case MDB_MAP_FULL: return last_failure = PMIF_EMAPFULL;
	case MDB_READERS_FULL:
	case MDB_TXN_FULL: return PMIF_EBUSY;
	default: return PMIF_ESTORE;
	}
}

int store_failure_take(void)
{
	int rc = last_failure;

	last_failure = 0;
	return rc;
}

void store_key_u64(uint8_t key[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		key[i] = (uint8_t)v;
		v >>= 8;
	}
}

uint64_t store_key_get_u64(const uint8_t key[8])
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | key[i];
	return v;
}

#define MB ((size_t)1 << 20)

/* The data file's size in bytes, rounded up to a whole MiB; 0 if none. */
static size_t file_size(const char *dir)
{
	char path[4096];
	struct stat st;

	if ((size_t)snprintf(path, sizeof(path), "%s/data.mdb", dir) >= sizeof(path) ||
	    stat(path, &st) != 0)
		return 0;
	return ((size_t)st.st_size + MB - 1) / MB * MB;
}

/* Create and open the LMDB environment of @p s->dir into @p s->env, with a
 * map of s->map_size bytes (0: the one the file records); s->map_size is
 * then what LMDB mapped (never less than the data). */
static int env_init(struct store *s)
{
	MDB_envinfo info;
	int rc = mdb_env_create(&s->env);

	if (rc == 0)
		rc = mdb_env_set_mapsize(s->env, s->map_size);
	if (rc == 0)
		rc = mdb_env_set_maxdbs(s->env, 64);
	if (rc == 0)
		rc = mdb_env_set_maxreaders(s->env, STORE_MAX_READERS);
	if (rc == 0)
		rc = mdb_env_open(s->env, s->dir, MDB_NOTLS, 0600);
	if (rc == 0)
		rc = mdb_env_info(s->env, &info);
	if (rc != 0) {
		log_error("cannot open the store in '%s': %s", s->dir, mdb_strerror(rc));
		if (s->env)
			mdb_env_close(s->env);
		s->env = NULL;
		return store_error(rc);
	}
	s->map_size = info.me_mapsize;
	return 0;
}

/* A store of @p dir with no environment yet, or NULL (out of memory). */
static struct store *store_alloc(const char *dir)
{
	struct store *s = calloc(1, sizeof(*s));

	if (s == NULL)
		return NULL;
	s->dir = strdup(dir);
	if (s->dir == NULL || store_readers_init(s) != 0) {
		free(s->dir);
		free(s);
		return NULL;
	}
	return s;
}

/* Open the environment of @p dir with a map as @p opt says. */
static int env_open(const char *dir, const struct store_options *opt, struct store **out)
{
	struct store *s = store_alloc(dir);
	size_t held = file_size(dir);
	int rc;

	if (s == NULL)
		return PMIF_ENOMEM;
	s->map_size = opt->map_size && opt->map_size < held ? held : opt->map_size;
	rc = env_init(s);
	if (rc != 0) {
		store_close(s);
		return rc;
	}
	s->map_max = opt->map_max > s->map_size ? opt->map_max : s->map_size;
	if (opt->map_max && opt->map_max < s->map_size)
		log_error("the store in '%s' already holds %zu MB, more than --map-max %zu MB: "
		          "it is served at %zu MB and cannot grow; raise --map-max",
		          dir, held / MB, opt->map_max / MB, s->map_size / MB);
	*out = s;
	return 0;
}

static const struct store_options serving = {
    .map_size = (size_t)STORE_MAP_MB_DEFAULT * MB,
    .map_max = (size_t)STORE_MAP_MAX_MB_DEFAULT * MB,
    .migrate = true,
};

int store_dbs_open(struct store *s, MDB_txn *txn, unsigned flags)
{
	int rc = 0;

	for (int i = 0; rc == 0 && i < STORE_NDB; i++)
		rc = mdb_dbi_open(txn, db_names[i], flags, &s->dbi[i]);
	return store_error(rc);
}

int store_dbs_open_alone(struct store *s, unsigned flags)
{
	MDB_txn *txn;
	int rc = store_error(mdb_txn_begin(s->env, NULL, 0, &txn));

	if (rc != 0)
		return rc;
	rc = store_dbs_open(s, txn, flags);
	if (rc != 0) {
		mdb_txn_abort(txn);
		return rc;
	}
	return store_error(mdb_txn_commit(txn));
}

int store_create(const char *dir, struct store **out)
{
	char path[4096];
	struct store *s = NULL;
	MDB_txn *txn = NULL;
	int rc;

	if (snprintf(path, sizeof(path), "%s/data.mdb", dir) >= (int)sizeof(path))
		return PMIF_EINVAL;
	if (access(path, F_OK) == 0)
		return PMIF_EEXIST;
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		log_error("cannot create '%s': %s", dir, strerror(errno));
		return PMIF_EIO;
	}
	rc = env_open(dir, &serving, &s);
	if (rc != 0)
		return rc;
	rc = store_dbs_open_alone(s, MDB_CREATE);
	if (rc == 0)
		rc = store_error(mdb_txn_begin(s->env, NULL, 0, &txn));
	if (rc == 0)
		rc = store_schema_init(s, txn);
	if (rc == 0) {
		rc = store_error(mdb_txn_commit(txn));
		txn = NULL;
	}
	if (txn)
		mdb_txn_abort(txn);
	if (rc != 0) {
		store_close(s);
		return rc;
	}
	s->schema = STORE_SCHEMA_VERSION;
	*out = s;
	return 0;
}

int store_open_with(const char *dir, const struct store_options *opt, struct store **out)
{
	char path[4096];
	struct store *s = NULL;
	int rc;

	if (snprintf(path, sizeof(path), "%s/data.mdb", dir) >= (int)sizeof(path))
		return PMIF_EINVAL;
	if (access(path, F_OK) != 0)
		return PMIF_ENOTFOUND;
	rc = env_open(dir, opt, &s);
	if (rc == 0)
		rc = store_schema_open(s, opt->migrate);
	if (rc != 0) {
		store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int store_open(const char *dir, struct store **out)
{
	return store_open_with(dir, &serving, out);
}

int store_grow(struct store *s)
{
	size_t from = s->map_size, to;
	int rc;

	if (from >= s->map_max)
		return PMIF_EMAPFULL;
	to = from > s->map_max / 2 ? s->map_max : from * 2;
	rc = mdb_env_set_mapsize(s->env, to);
	if (rc != 0) {
		log_error("the store map cannot grow from %zu MB to %zu MB: %s", from / MB, to / MB,
		          mdb_strerror(rc));
		/* LMDB unmapped the old map before it failed to map the new one:
		 * open the environment again at the old size */
		if (store_reopen(s) != 0)
			return PMIF_ESTORE;
		return rc == ENOMEM ? PMIF_ENOMEM : store_error(rc);
	}
	s->map_size = to;
	log_info("store map grown from %zu MB to %zu MB (ceiling %zu MB)", from / MB, to / MB,
	         s->map_max / MB);
	return 0;
}

int store_reopen(struct store *s)
{
	int rc;

	mdb_env_close(s->env);
	s->env = NULL;
	/* give the freed pages back before the new environment allocates its
	 * buffers, so those land on fresh, untouched pages */
	malloc_trim(0);
	rc = env_init(s);
	if (rc == 0)
		rc = store_dbs_open_alone(s, 0);
	return rc;
}

void store_close(struct store *s)
{
	if (s == NULL)
		return;
	if (s->env)
		mdb_env_close(s->env);
	store_readers_clear(s);
	free(s->dir);
	free(s);
}

int store_read_begin(struct store *s, MDB_txn **txn)
{
	return store_error(mdb_txn_begin(s->env, NULL, MDB_RDONLY, txn));
}

int store_get_pb(struct store *s, MDB_txn *txn, enum store_db db, const void *key, size_t klen,
                 const ProtobufCMessageDescriptor *desc, ProtobufCAllocator *alloc,
                 ProtobufCMessage **out)
{
	MDB_val k = {klen, (void *)key}, v;
	ProtobufCMessage *m;
	int rc;

	/* LMDB refuses keys it could never hold: no such record, not a fault */
	if (klen == 0 || klen > (size_t)mdb_env_get_maxkeysize(s->env))
		return PMIF_ENOTFOUND;
	rc = mdb_get(txn, s->dbi[db], &k, &v);

	if (rc != 0)
		return store_error(rc);
	m = protobuf_c_message_unpack(desc, alloc, v.mv_size, v.mv_data);
	if (m == NULL) {
		log_error("record in '%s' does not unpack as %s", db_names[db], desc->name);
		return PMIF_ESTORE;
	}
	*out = m;
	return 0;
}

int store_put_pb(struct store *s, MDB_txn *txn, enum store_db db, const void *key, size_t klen,
                 const ProtobufCMessage *msg)
{
	MDB_val k = {klen, (void *)key}, v;
	size_t len = protobuf_c_message_get_packed_size(msg);
	int rc;

	/* Reserve the value in the page and pack straight into it. */
	v.mv_size = len;
	rc = mdb_put(txn, s->dbi[db], &k, &v, MDB_RESERVE);
	if (rc != 0)
		return store_error(rc);
	protobuf_c_message_pack(msg, v.mv_data);
	return 0;
}

int store_del(struct store *s, MDB_txn *txn, enum store_db db, const void *key, size_t klen)
{
	MDB_val k = {klen, (void *)key};

	return store_error(mdb_del(txn, s->dbi[db], &k, NULL));
}

int store_backup(struct store *s, int fd)
{
	/* one read transaction: a consistent snapshot, writers go on */
	return store_error(mdb_env_copyfd2(s->env, fd, MDB_CP_COMPACT));
}

int store_open_copy(const char *file, struct store **out)
{
	struct store *s = store_alloc(file);
	MDB_txn *txn = NULL;
	uint32_t version = 0;
	int rc;

	if (s == NULL)
		return PMIF_ENOMEM;
	rc = mdb_env_create(&s->env);
	if (rc == 0)
		rc = mdb_env_set_maxdbs(s->env, 64);
	/* no lock file: nothing else has this copy open */
	if (rc == 0)
		rc = mdb_env_open(s->env, file, MDB_RDONLY | MDB_NOSUBDIR | MDB_NOLOCK, 0600);
	if (rc == MDB_INVALID || rc == MDB_VERSION_MISMATCH || rc == ENOENT) {
		rc = rc == ENOENT ? PMIF_ENOTFOUND : PMIF_EINVAL;
		goto out;
	}
	if (rc == 0)
		rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn);
	/* every database a PMIF store has, or it is not one; those added
	 * since schema 2 are missing from a copy made before them */
	for (int i = 0; rc == 0 && i < STORE_NDB; i++) {
		rc = mdb_dbi_open(txn, db_names[i], 0, &s->dbi[i]);
		if (rc == MDB_NOTFOUND && db_added_later[i]) {
			s->absent |= (uint64_t)1 << i;
			rc = 0;
		}
	}
	if (rc == MDB_NOTFOUND || rc == MDB_INCOMPATIBLE) {
		rc = PMIF_EINVAL;
		goto out;
	}
	rc = store_error(rc);
	if (rc == 0)
		rc = store_schema_read(s, txn, &version);
	if (rc == PMIF_ENOTFOUND || (rc == PMIF_ESTORE && version == 0)) {
		rc = PMIF_EINVAL;
		goto out;
	}
	/* an older schema is a good backup: 'pmifd serve' migrates it */
	if (rc == 0 && version > STORE_SCHEMA_VERSION)
		rc = PMIF_ESTATE;
	s->schema = version;
	if (rc == 0) {
		/* a read-only commit keeps the database handles */
		rc = store_error(mdb_txn_commit(txn));
		txn = NULL;
	}
out:
	if (txn)
		mdb_txn_abort(txn);
	if (rc != 0) {
		store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int store_info_get(struct store *s, MDB_txn *txn, ProtobufCAllocator *alloc,
                   struct Pmif__StoreInfo **out)
{
	return store_get_pb(s, txn, STORE_META, "info", 4, &pmif__store_info__descriptor, alloc,
	                    (ProtobufCMessage **)out);
}

int store_check_records(struct store *s, MDB_txn *txn, FILE *report)
{
	int bad = 0;

	for (int i = 0; i < STORE_NDB; i++) {
		MDB_cursor *cur;
		MDB_val k, v;
		size_t n = 0, broken = 0;
		int mrc;

		if (db_records[i] == NULL)
			continue;
		if (s->absent & ((uint64_t)1 << i)) {
			if (report)
				fprintf(report, "%-14s %8s (not in this copy: made before it)\n",
				        db_names[i], "-");
			continue;
		}
		if (mdb_cursor_open(txn, s->dbi[i], &cur) != 0)
			return PMIF_ESTORE;
		for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
		     mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
			ProtobufCMessage *m =
			    protobuf_c_message_unpack(db_records[i], NULL, v.mv_size, v.mv_data);
			n++;
			if (m == NULL)
				broken++;
			else
				protobuf_c_message_free_unpacked(m, NULL);
		}
		mdb_cursor_close(cur);
		if (report)
			fprintf(report, "%-14s %8zu records%s\n", db_names[i], n,
			        broken ? ", some unreadable" : "");
		if (broken)
			bad = 1;
	}
	return bad ? PMIF_ESTORE : 0;
}
