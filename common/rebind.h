/*
 * rebind.h - the proof that moves a session to a new channel.
 *
 * A session is bound to the Noise handshake hash of the channel it was made
 * on.  At login the server also hands the client a 32-byte rebind secret
 * (LoginReply.rebind_secret).  On any other channel - after a pmifd
 * restart, or once its channel was dropped - the client sends, with each
 * request, the proof
 *
 *   binding_proof = HMAC-SHA256(rebind_secret,
 *                               "pmif-rebind-proof-v1" || handshake hash)
 *
 * (the label is its 20 ASCII bytes, no NUL; the hash is the 32 bytes
 * Split() leaves as h).  A proof is good for one channel only, so nothing
 * that travels can be replayed on another.  How the server makes the
 * secret is its own business (server/auth.h); the client only keeps it.
 */
#ifndef PMIF_REBIND_H
#define PMIF_REBIND_H

#include <stdint.h>

#define PMIF_REBIND_LEN         32
#define PMIF_REBIND_PROOF_LABEL "pmif-rebind-proof-v1"

/** The proof for the channel whose handshake hash is @p h, into @p proof.
 *  0, or PMIF_ECRYPTO. */
int pmif_rebind_proof(const uint8_t secret[PMIF_REBIND_LEN], const uint8_t h[32],
                      uint8_t proof[PMIF_REBIND_LEN]);

#endif
