/*
 * frame.h - the bytes on the wire: a fixed header, then a Noise message.
 *
 * Every nanomsg message between pmif and pmifd is one frame:
 *
 *   offset  size  field
 *        0     2  magic "PM"
 *        2     1  version (PMIF_FRAME_VERSION)
 *        3     1  type (enum pmif_frame_type)
 *        4     8  channel id, big-endian (0 in HELLO)
 *       12     8  nonce, big-endian (0 in HELLO and WELCOME)
 *       20     -  payload
 *
 * HELLO and WELCOME carry the two Noise_NX handshake messages.  DATA carries
 * the plaintext sealed under the channel's key in chunks of at most 65519
 * bytes, each a Noise transport message (<= 65535 bytes with its tag): the
 * header's nonce field is a frame counter f, chunk i of n is sealed at
 * Noise nonce f * 4096 + i with associated data = the 20-byte header,
 * be32(i), be32(n), so chunks cannot be reordered, dropped or moved to
 * another frame.  REFUSED is the
 * server's plaintext answer when it cannot use a frame at all (one reason
 * byte, then a short text).  Sealing and opening DATA frames happens only
 * in pmif_frame_seal() and pmif_frame_open().
 */
#ifndef PMIF_FRAME_H
#define PMIF_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "noise.h"

#define PMIF_FRAME_VERSION 1
#define PMIF_FRAME_HEADER  20
/* Largest frame either side accepts (NN_RCVMAXSIZE on both sockets): a
 * values CSV of a million rows (~75 MB) must fit one request. */
#define PMIF_FRAME_MAX (128u * 1024 * 1024)
/* Plaintext bytes per sealed chunk, and chunks per frame. */
#define PMIF_FRAME_CHUNK      (PMIF_NOISE_MAX_MSG - PMIF_NOISE_TAGLEN)
#define PMIF_FRAME_MAX_CHUNKS 4096
/* Largest plaintext that fits in one DATA frame: room for the header and
 * one tag per chunk (at most PMIF_FRAME_MAX / PMIF_FRAME_CHUNK + 1 of them,
 * 2,049, well under PMIF_FRAME_MAX_CHUNKS). */
#define PMIF_FRAME_MAX_PLAINTEXT                                                                   \
	(PMIF_FRAME_MAX - PMIF_FRAME_HEADER -                                                      \
	 (PMIF_FRAME_MAX / PMIF_FRAME_CHUNK + 1) * PMIF_NOISE_TAGLEN)
/* Largest frame counter: f * 4096 + i must stay below 2^64 - 1. */
#define PMIF_FRAME_MAX_COUNTER ((UINT64_C(1) << 52) - 2)

/* The Noise prologue binds the protocol name and our version: a peer
 * speaking anything else derives different keys and fails the handshake. */
#define PMIF_NOISE_PROTOCOL "Noise_NX_25519_ChaChaPoly_SHA256"
#define PMIF_NOISE_PROLOGUE "PMIF/1 " PMIF_NOISE_PROTOCOL

enum pmif_frame_type {
	PMIF_FRAME_HELLO = 1,
	PMIF_FRAME_WELCOME = 2,
	PMIF_FRAME_DATA = 3,
	PMIF_FRAME_REFUSED = 4,
};

/* Why the server refused a frame (first payload byte of REFUSED). */
enum pmif_refusal {
	PMIF_REFUSED_MALFORMED = 1,       /* not a frame this version understands */
	PMIF_REFUSED_UNKNOWN_CHANNEL = 2, /* channel expired or evicted: handshake again */
	PMIF_REFUSED_REPLAY = 3,          /* nonce already used */
	PMIF_REFUSED_AUTH = 4,            /* the frame failed authentication */
	PMIF_REFUSED_BUSY = 5,            /* too many channels or handshakes */
};

/* A decoded frame.  payload points into the buffer given to decode and
 * lives as long as it does. */
struct pmif_frame {
	uint8_t type;
	uint64_t channel;
	uint64_t nonce;
	const uint8_t *header;
	const uint8_t *payload;
	size_t len;
};

/**
 * Decode the header of @p buf.  Checks magic, version, type and size; does
 * not look at the payload.  Returns 0 and fills @p out, or PMIF_EINVAL.
 */
int pmif_frame_decode(const uint8_t *buf, size_t len, struct pmif_frame *out);

/** Write a header for @p type into @p hdr. */
void pmif_frame_header(uint8_t hdr[PMIF_FRAME_HEADER], enum pmif_frame_type type, uint64_t channel,
                       uint64_t nonce);

/** Size of the DATA frame that seals @p len bytes of plaintext. */
size_t pmif_frame_sealed_size(size_t len);

/**
 * Build a DATA frame: header + @p pt sealed with @p key under frame
 * counter @p nonce.  @p out must hold pmif_frame_sealed_size(len) bytes.
 * Returns 0 and the frame length in *outlen, or PMIF_ETOOBIG/PMIF_ECRYPTO.
 */
int pmif_frame_seal(const struct pmif_noise_cipher *key, uint64_t channel, uint64_t nonce,
                    const uint8_t *pt, size_t len, uint8_t *out, size_t cap, size_t *outlen);

/**
 * Open the DATA frame @p f (from pmif_frame_decode) with @p key under the
 * frame's own counter; the caller has already checked that counter against
 * its replay rule.  Returns 0 with the plaintext in @p pt (never partly
 * written on failure), PMIF_EAUTH when the frame was altered, cut or sealed
 * under another key, PMIF_ETOOBIG if @p cap is too small.
 */
int pmif_frame_open(const struct pmif_noise_cipher *key, const struct pmif_frame *f, uint8_t *pt,
                    size_t cap, size_t *ptlen);

/** Build a REFUSED frame into @p out (cap >= PMIF_FRAME_HEADER + 1 + strlen(text)). */
size_t pmif_frame_refusal(uint8_t *out, size_t cap, uint64_t channel, enum pmif_refusal why,
                          const char *text);

/** SSH-style fingerprint "SHA256:<base64, no padding>" of a static public key. */
#define PMIF_FINGERPRINT_LEN 52
void pmif_key_fingerprint(const uint8_t pub[32], char out[PMIF_FINGERPRINT_LEN]);

#endif
