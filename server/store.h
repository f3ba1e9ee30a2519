/*
 * store.h - the LMDB store: one environment, one named database per record
 * type, records packed as protobuf (proto/store.proto).
 *
 * Layout of the data directory:
 *   DIR/data.mdb, DIR/lock.mdb   the LMDB environment
 *   DIR/server.key               the server's static X25519 key (keys.h)
 *
 * The "meta" database holds "schema_version" and (schema 2 on) "info", a
 * StoreInfo record; store_open() refuses a store newer than this build and
 * migrates an older one in one transaction, after a compacted copy of it
 * to DIR/pre-migration-v<N>/ (store_schema.c).
 *
 * The map: LMDB maps the whole file, and a write that needs a page past
 * the end of the map fails with MDB_MAP_FULL.  The map starts at
 * store_options.map_size (never below what the file already holds) and
 * store_grow() doubles it, up to map_max: the writer grows it and runs the
 * group again when a write finds it full (writer.h).
 *
 * Readers use their own read-only transactions (MDB_NOTLS, so a worker may
 * reset and renew its transaction freely; the workers' long-lived ones are
 * registered with the store, store_readers.h, so that a reopen or a map
 * growth can stop them); all writes go through the single writer thread
 * (writer.h).  Values returned by LMDB live only as long as
 * their transaction: the *_pb helpers unpack into a caller's allocator, so
 * the result outlives the transaction.
 */
#ifndef PMIF_STORE_H
#define PMIF_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <pthread.h>

#include <lmdb.h>
#include <protobuf-c/protobuf-c.h>

#define STORE_SCHEMA_VERSION 2

struct Pmif__StoreInfo;
struct store_reader;

/* Map sizes 'pmifd serve' uses unless told otherwise (--map-size,
 * --map-max), in MiB. */
#define STORE_MAP_MB_DEFAULT     256
#define STORE_MAP_MAX_MB_DEFAULT 16384

/*
 * The framework (server/framework.h) keeps one database per record kind,
 * keyed by the record's id, plus "framework_refs", an index of every
 * reference between records:
 *   key "<kind>.<field>" NUL <referenced id> NUL <referring id>, no value
 * e.g. "measure.committees\0CABINET\0FSM-UPTAKE".  "The measures of PO1",
 * "the measures CABINET scrutinises" and "does anything still refer to
 * PO1?" are each a range scan over one prefix.  "periods" is keyed by
 * pmif_period_key() as 4 bytes big-endian, so a year's periods (year, H1,
 * Q1, Q2, H2, Q3, Q4) are adjacent and in order.
 *
 * Data entry (server/values.h), P = be32(pmif_period_key):
 *   values               measure NUL locality NUL P        current revision
 *   value_history        measure NUL locality NUL P be32(rev)  every revision
 *   commentary           objective NUL P
 *   intervention_updates intervention NUL P
 *   case_studies         id
 *   risks                id;  risk_assessments: risk NUL P
 *   resources            subject NUL year text
 *   actions              be32(number)   committee actions (actions_store.h)
 *   comparators          measure NUL P   (comparators_store.h)
 * so a measure's series in one locality, a value's revisions, and a risk's
 * assessments over time are each one range scan in period order.
 */
enum store_db {
	STORE_META,
	STORE_USERS,
	STORE_SESSIONS,
	STORE_AUDIT,
	STORE_REQUESTS,
	STORE_DIRECTORATES,
	STORE_COMMITTEES,
	STORE_LOCALITIES,
	STORE_OBJECTIVES,
	STORE_OUTCOMES,
	STORE_INTERVENTIONS,
	STORE_MEASURES,
	STORE_FRAMEWORK_REFS,
	STORE_PERIODS,
	STORE_VALUES,
	STORE_VALUE_HISTORY,
	STORE_COMMENTARY,
	STORE_INTERVENTION_UPDATES,
	STORE_CASE_STUDIES,
	STORE_RISKS,
	STORE_RISK_ASSESSMENTS,
	STORE_RESOURCES,
	STORE_ACTIONS, /* added after schema 2: made when a store is opened */
	STORE_INTERVENTION_PLANS,
	STORE_COMPARATORS,
	STORE_NDB
};

struct store {
	MDB_env *env;
	MDB_dbi dbi[STORE_NDB];
	char *dir;
	size_t map_size; /* bytes mapped now */
	size_t map_max;  /* the ceiling store_grow() stops at */
	uint32_t schema; /* the schema the store is at (older only unmigrated) */
	/* bit i: database i is not in this store copy (store_open_copy() of a
	 * backup made before the database was added) */
	uint64_t absent;
	/* held shared by a registered reader while its transaction is live,
	 * exclusively while the store is reopened or grown; @p readers are
	 * those readers (store_readers.h) */
	pthread_rwlock_t lock;
	struct store_reader *readers;
};

/* How store_open_with() opens a store. */
struct store_options {
	/* Bytes to map at first, raised to the data file's size; 0: the size
	 * the store last ran with (LMDB keeps it in the file). */
	size_t map_size;
	/* Bytes store_grow() may go up to; below map_size: no growth. */
	size_t map_max;
	/* Migrate an older schema (copy first); false: open it as it is, for
	 * reading (pmifd check, backup). */
	bool migrate;
};

/**
 * Create a new store in @p dir (made if missing, mode 0700).  Refuses with
 * PMIF_EEXIST if a store is already there.  On success *out owns the store.
 */
int store_create(const char *dir, struct store **out);

/**
 * Open the existing store in @p dir as @p opt says: PMIF_ENOTFOUND if
 * there is none, PMIF_ESTATE if its schema is newer than this build or a
 * migration failed (each logged in a sentence that says what to do; a
 * failed migration leaves the store as it was).
 */
int store_open_with(const char *dir, const struct store_options *opt, struct store **out);

/** store_open_with() with the serving defaults (256 MiB growing to
 *  16 GiB, migrating). */
int store_open(const char *dir, struct store **out);

/**
 * Grow the map: double it, at most to s->map_max, and log it.  The caller
 * guarantees that no transaction of @p s is alive in this process (LMDB
 * remaps the file) and that no other thread touches @p s meanwhile.
 * PMIF_EMAPFULL when the map is already at its ceiling, PMIF_ENOMEM when
 * the address space for the larger map is not there (the map is as it was).
 */
int store_grow(struct store *s);

/**
 * Close the LMDB environment and open it again, named databases and all.
 * LMDB keeps every page a write transaction dirtied on a free list that it
 * never returns to the system, so after a bulk write (a year's import) the
 * server would hold that memory for good; reopening hands it back.  The
 * caller guarantees that no transaction of @p s is alive and that no other
 * thread touches @p s until this returns.  On failure the store is
 * unusable (s->env is NULL).
 */
int store_reopen(struct store *s);

/** Close and free; safe on NULL.  No transaction may be open. */
void store_close(struct store *s);

/** Map an LMDB return code to PMIF_E*.  A storage failure (disk full,
 *  size ceiling, disk I/O error) is also remembered for this thread, for
 *  store_failure_take(). */
int store_error(int mdb_rc);

/** The storage failure (PMIF_EDISKFULL, PMIF_EMAPFULL, PMIF_EDISKIO) that
 *  store_error() last saw on this thread, or 0; clears it.  This is how a
 *  write whose handler reported its own message still tells the client the
 *  store is full or failing. */
int store_failure_take(void);

/** Begin a read-only transaction (caller commits or aborts). */
int store_read_begin(struct store *s, MDB_txn **txn);

/**
 * Read the record at @p key in @p db and unpack it with @p alloc (the
 * result lives as long as the allocator's memory).  PMIF_ENOTFOUND when
 * absent, PMIF_ESTORE when the stored bytes do not unpack.
 */
int store_get_pb(struct store *s, MDB_txn *txn, enum store_db db, const void *key, size_t klen,
                 const ProtobufCMessageDescriptor *desc, ProtobufCAllocator *alloc,
                 ProtobufCMessage **out);

/** Pack @p msg and put it at @p key in @p db (overwrites). */
int store_put_pb(struct store *s, MDB_txn *txn, enum store_db db, const void *key, size_t klen,
                 const ProtobufCMessage *msg);

/** Delete @p key from @p db: PMIF_ENOTFOUND when absent. */
int store_del(struct store *s, MDB_txn *txn, enum store_db db, const void *key, size_t klen);

/** Check that every record of every typed database unpacks; one line per
 *  database to @p report (may be NULL).  PMIF_ESTORE if any does not. */
int store_check_records(struct store *s, MDB_txn *txn, FILE *report);

/**
 * Hot, compacted copy of the whole store into the open file @p fd (one read
 * transaction, so a consistent snapshot while writes go on).  Does not sync
 * or close @p fd.  PMIF_EDISKFULL / PMIF_EDISKIO / PMIF_ESTORE on failure.
 */
int store_backup(struct store *s, int fd);

/**
 * Open the store copy in the file @p file (a backup's data.mdb) read-only,
 * with no lock file, and check it is a PMIF store of a schema this build
 * can serve (the same or older).
 * PMIF_EINVAL when it is not a PMIF store (not LMDB, or missing databases;
 * a database added since schema 2, such as "comparators", may be missing:
 * a copy made before it is still a good backup, s->absent says so),
 * PMIF_ESTATE for another schema version, PMIF_ENOTFOUND when @p file does
 * not exist.  On success *out owns the store: only read transactions.
 */
int store_open_copy(const char *file, struct store **out);

/** The store's StoreInfo record, unpacked with @p alloc: PMIF_ENOTFOUND for
 *  a store of schema 1 (it has none). */
int store_info_get(struct store *s, MDB_txn *txn, ProtobufCAllocator *alloc,
                   struct Pmif__StoreInfo **out);

/* store_schema.c: the schema version and migrations, for store.c. */

/** Open (with MDB_CREATE: make) every named database in @p txn; the
 *  handles are good once @p txn commits. */
int store_dbs_open(struct store *s, MDB_txn *txn, unsigned flags);

/** store_dbs_open() in a write txn of its own, committed. */
int store_dbs_open_alone(struct store *s, unsigned flags);

/** Create the meta records of a new store (schema_version, info) in @p txn. */
int store_schema_init(struct store *s, MDB_txn *txn);

/** The "schema_version" recorded in @p txn (meta's handle open). */
int store_schema_read(struct store *s, MDB_txn *txn, uint32_t *version);

/**
 * Open the named databases of the freshly opened env of @p s, check its
 * schema and, with @p migrate, bring an older one up to date: a copy to
 * DIR/pre-migration-v<N>/ first, then every migration and the new version
 * in one write transaction.  Sets s->schema.
 */
int store_schema_open(struct store *s, bool migrate);

/** 8-byte big-endian key for sequence numbers (sorts numerically). */
void store_key_u64(uint8_t key[8], uint64_t v);
uint64_t store_key_get_u64(const uint8_t key[8]);

#endif
