/*
 * audit.h - the append-only, hash-chained audit trail.
 *
 * Entry n (db "audit", key = n as 8 bytes big-endian, from 1) carries
 * prev_hash = hash of entry n-1 (32 zero bytes for n = 1) and
 * hash = SHA-256 of the entry packed with its hash field empty.  The meta
 * record "audit_head" holds the last sequence number and hash, so a
 * truncated or rolled-back trail is detected as well as an altered entry.
 * Appends happen in the same transaction as the change they record.
 */
#ifndef PMIF_AUDIT_H
#define PMIF_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <lmdb.h>

#include "store.pb-c.h"

struct store;

/**
 * Append @p e (seq, prev_hash and hash are filled in here) inside the
 * write transaction @p txn.  Fields of @p e are not kept after return.
 */
int audit_append(struct store *s, MDB_txn *txn, Pmif__AuditEntry *e);

struct audit_report {
	uint64_t entries;   /* entries checked */
	uint64_t first_bad; /* 0 when the chain is intact */
	char why[256];      /* what is wrong with first_bad */
};

/** Walk the whole chain in @p txn.  Returns 0 whether or not it is intact
 *  (see @p out->first_bad); an error only when the store cannot be read. */
int audit_verify(struct store *s, MDB_txn *txn, struct audit_report *out);

#endif
