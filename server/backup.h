/*
 * backup.h - hot backups of the store, their verification, and restore.
 *
 * A backup is a directory PATH holding one file, data.mdb: a compacted
 * LMDB copy of the store taken in one read transaction while pmifd serves.
 * It is written under a temp name beside PATH (PATH.partial-PID), synced,
 * opened as a store of its own and checked (every record unpacks, the
 * audit chain verifies, the schema is this build's), and only then renamed
 * to PATH, so PATH either does not exist or is a whole, checked backup.
 *
 * The server key (DIR/server.key) is not in a backup: it is a secret that
 * changes only when rotated, so it is kept once, apart from the nightly
 * copies (docs/OPERATIONS.md).  Restore replaces DIR/data.mdb only and
 * leaves the key, throttle.map and serve.lock of DIR as they are.
 *
 * Every function here that can fail for a reason the operator caused or can
 * fix writes one sentence saying so into @p why (never NULL, @p cap bytes)
 * and returns a negative PMIF_E* code; the sentence names the path.
 */
#ifndef PMIF_BACKUP_H
#define PMIF_BACKUP_H

#include <stddef.h>
#include <stdint.h>

struct store;

/** What a checked backup (or restored store) holds. */
struct backup_summary {
	uint64_t bytes;         /* size of its data.mdb */
	uint64_t values;        /* current values */
	uint64_t revisions;     /* every value revision kept */
	uint64_t users;         /* user records */
	uint64_t audit_entries; /* entries in the (verified) audit chain */
};

/**
 * Check the store copy in the file @p file: a PMIF store of this schema,
 * every record readable, the audit chain intact.  Fills @p out on success.
 * PMIF_ENOTFOUND (no such file), PMIF_EINVAL (not a PMIF store),
 * PMIF_ESTATE (another schema), PMIF_ESTORE (damaged records or chain).
 */
int backup_verify(const char *file, struct backup_summary *out, char *why, size_t cap);

/**
 * Back the open store @p s up to the directory @p to, which must not exist
 * unless @p replace is set and it is a PMIF backup (it is then swapped out
 * atomically and removed).  On failure nothing is left at @p to or beside
 * it.  PMIF_EEXIST, PMIF_ENOTFOUND (no such parent directory), PMIF_EPERM,
 * PMIF_EDISKFULL, PMIF_EIO, or backup_verify()'s codes.
 */
int backup_take(struct store *s, const char *to, int replace, struct backup_summary *out, char *why,
                size_t cap);

/**
 * Restore the backup @p from (a backup directory, or a data.mdb file) into
 * the data directory @p dir, which must hold its server key and must not be
 * served: DIR/serve.lock is held for the whole restore, as 'pmifd serve'
 * holds it.  The backup is copied in under a temp name, checked, and
 * renamed over DIR/data.mdb; the store it replaces stays beside it, its
 * name written to @p aside (@p aside_cap bytes; "" when DIR had none).
 * LMDB's lock.mdb is removed once no process has the old store open.
 * PMIF_ENOTFOUND (no such backup or dir, no key), PMIF_EBUSY (served, or
 * the store is open elsewhere), backup_verify()'s codes, PMIF_EIO.
 */
int backup_restore(const char *from, const char *dir, struct backup_summary *out, char *aside,
                   size_t aside_cap, char *why, size_t cap);

#endif
