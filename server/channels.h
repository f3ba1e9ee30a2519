/*
 * channels.h - the server's table of open Noise channels, in memory only.
 *
 * A channel is made by a handshake and then carries DATA frames.  The
 * table is bounded (max_channels, at most 65536): when full, the channel
 * used least recently is evicted.  A channel unused for idle_seconds is
 * dropped.  Its id is 48 random bits above the 16-bit slot number, so a
 * lookup is one slot and a stale id never matches a reused slot.
 *
 * Replay rule: each DATA frame's nonce must be above every nonce accepted
 * before on that channel; a frame that fails authentication changes
 * nothing.  Channels are never restored after a restart: clients handshake
 * again, and a session made on an old channel moves to the new one when its
 * client proves it holds the session's rebind secret (dispatch.c,
 * common/rebind.h), so users need not log in again.
 */
#ifndef PMIF_CHANNELS_H
#define PMIF_CHANNELS_H

#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "noise.h"

struct channels;

/** What a worker needs to answer one request on a channel. */
struct channel_grant {
	uint64_t id;
	struct pmif_noise_cipher tx; /* key to seal the reply with */
	uint64_t tx_nonce;           /* reserved for this reply */
	uint8_t binding[32];         /* handshake hash: sessions are bound to it */
};

int channels_new(unsigned max_channels, unsigned idle_seconds, struct channels **out);
void channels_free(struct channels *t); /* wipes keys; safe on NULL */

/** From now on drop a channel unused for @p idle_seconds (0: no change);
 *  safe while serving and on NULL. */
void channels_set_idle(struct channels *t, unsigned idle_seconds);

/** Store a finished handshake's ciphers; returns the new channel id in *id. */
int channels_add(struct channels *t, const struct pmif_noise_cipher *rx,
                 const struct pmif_noise_cipher *tx, const uint8_t h[32], uint64_t now,
                 uint64_t *id);

/**
 * Check and decrypt the DATA frame @p f into @p pt.  On success fills
 * @p grant.  Errors: PMIF_ENOTFOUND (unknown or expired channel),
 * PMIF_EREPLAY (nonce not above the last accepted), PMIF_EAUTH (altered),
 * PMIF_ETOOBIG.
 */
int channels_open_frame(struct channels *t, const struct pmif_frame *f, uint64_t now, uint8_t *pt,
                        size_t cap, size_t *ptlen, struct channel_grant *grant);

/** Number of channels open now. */
unsigned channels_count(struct channels *t);

#endif
