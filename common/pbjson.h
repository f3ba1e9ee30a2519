/*
 * pbjson.h - any protobuf-c message as JSON, driven by its descriptor.
 *
 * Used by the client for --json output of every command and by the server
 * for the before/after text of audit entries, so there is one mapping:
 * field names as in the .proto, enums as lowercase value names, bytes as
 * lowercase hex, 64-bit integers as JSON integers, repeated fields as
 * arrays, unset message fields as null.
 */
#ifndef PMIF_PBJSON_H
#define PMIF_PBJSON_H

#include <jansson.h>
#include <protobuf-c/protobuf-c.h>

/**
 * Convert @p msg to a new JSON object.  The caller owns the result
 * (json_decref).  Returns NULL only when out of memory.
 */
json_t *pmif_pb_to_json(const ProtobufCMessage *msg);

/**
 * @p msg as compact JSON text with sorted keys, malloc'd; the caller frees.
 * NULL msg gives "". Returns NULL when out of memory.
 */
char *pmif_pb_to_json_text(const ProtobufCMessage *msg);

/** The .proto name of enum value @p value in @p desc ("ADMIN"), or NULL when unknown. */
const char *pmif_pb_enum_name(const ProtobufCEnumDescriptor *desc, int value);

/** Lowercase hex of @p len bytes into @p out (2*len+1 bytes). */
void pmif_hex(const uint8_t *buf, size_t len, char *out);

#endif
