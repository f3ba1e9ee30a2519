/*
 * audit.h - the append-only, hash-chained audit trail.
 *
 * Entry n (db "audit", key = n as 8 bytes big-endian, from 1) carries
 * prev_hash = hash of entry n-1 (32 zero bytes for n = 1) and
 * hash = SHA-256 of the entry packed with its hash field empty.  The meta
 * record "audit_head" holds the last sequence number and hash, so a
 * truncated or rolled-back trail is detected as well as an altered entry.
 * Appends happen in the same transaction as the change they record.
 *
 * The records an entry is about (before and after the change) were kept
 * as JSON text in before/after; entries written now keep them as packed
 * protobuf (image_type, before_image, after_image), so the single writer
 * thread only packs, and the JSON is rendered when the trail is read
 * (audit_images_json), identical to what the old entries hold.  Only the
 * message types in a fixed table are ever rendered: records with secrets
 * (UserRecord with its password hash, SessionRecord) are not in it, and the
 * handlers audit UserInfo, which has none.
 *
 * An entry is stored packed with its hash field last (after the fields
 * numbered above it): the bytes hashed are then the start of the stored
 * value, so the writer packs once and hashes in place.  Readers re-pack
 * the unpacked entry to check it, as for entries stored in field order.
 */
#ifndef PMIF_AUDIT_H
#define PMIF_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <lmdb.h>

#include <protobuf-c/protobuf-c.h>

#include "store.pb-c.h"

struct arena;
struct store;

/**
 * Append @p e (seq, prev_hash and hash are filled in here) inside the
 * write transaction @p txn.  Fields of @p e are not kept after return;
 * seq keeps the number given, the chain fields are cleared.
 *
 * @return 0; PMIF_ESTORE for a damaged head record; store_error() codes.
 */
int audit_append(struct store *s, MDB_txn *txn, Pmif__AuditEntry *e);

/**
 * audit_append() with the records @p before and @p after (NULL: no record,
 * as for an addition or a deletion) kept as packed images of their type.
 * Both must be of one message type, which should be in the table
 * (audit_image_type()): an image of another type is kept but never shown.
 * @p e's before, after and image fields are set here and cleared on return;
 * the messages are not kept.
 *
 * @return as audit_append(); PMIF_EINVAL when the two differ in type;
 *         PMIF_ENOMEM.
 */
int audit_append_images(struct store *s, MDB_txn *txn, Pmif__AuditEntry *e,
                        const ProtobufCMessage *before, const ProtobufCMessage *after);

/** The descriptor of the image type named @p name ("pmif.ValueRecord"), or
 *  NULL when it is not one the trail shows. */
const ProtobufCMessageDescriptor *audit_image_type(const char *name);

/** Every image type the trail shows (static; @p n gets the count). */
const ProtobufCMessageDescriptor *const *audit_image_types(size_t *n);

/**
 * The before and after records of @p e as JSON text, as 'pmif admin audit'
 * shows them: pmif_pb_to_json_text() of the record, "" for none.  Old
 * entries give their stored text; newer ones are rendered from the images.
 * An image that cannot be shown (a type not in the table, or damaged: the
 * chain check names it) gives a short note in brackets instead.
 *
 * @p before and @p after are written only on success, and point into @p e
 * or into @p a: valid while both live.
 *
 * @return 0 or PMIF_ENOMEM.
 */
int audit_images_json(struct arena *a, const Pmif__AuditEntry *e, const char **before,
                      const char **after);

struct audit_report {
	uint64_t entries;   /* entries checked */
	uint64_t first_bad; /* 0 when the chain is intact */
	char why[256];      /* what is wrong with first_bad */
};

/** Walk the whole chain in @p txn.  Returns 0 whether or not it is intact
 *  (see @p out->first_bad); an error only when the store cannot be read. */
int audit_verify(struct store *s, MDB_txn *txn, struct audit_report *out);

#endif
