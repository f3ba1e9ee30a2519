/*
 * fixtures.h - the fixed keys, tokens, users and helpers shared by the fuzz
 * targets and make_corpus.
 *
 * The seeds make_corpus writes are only useful if they are valid for the
 * targets: a sealed frame must be sealed under the key the target opens
 * with, a handshake message 2 must answer the ephemeral the target's
 * initiator used, a token must name a session the target's store holds.
 * Everything either side needs to agree on lives here.  None of it is
 * secret: these keys exist only in fuzzing.
 */
#ifndef PMIF_FUZZ_FIXTURES_H
#define PMIF_FUZZ_FIXTURES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "noise.h"

/* A property the code under test must have; a failure is a finding, so it
 * aborts (libFuzzer saves the input as crash-*). */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: fuzz property failed: %s\n", __FILE__, __LINE__,   \
			        #cond);                                                            \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* Keys: the server's static key, the two fixed ephemerals of the
 * handshake, and the two directions of an established channel. */
extern const uint8_t fuzz_server_static_priv[32];
extern const uint8_t fuzz_client_ephemeral_priv[32];
extern const uint8_t fuzz_server_ephemeral_priv[32];
extern const uint8_t fuzz_key_c2s[32]; /* client -> server (server's rx) */
extern const uint8_t fuzz_key_s2c[32]; /* server -> client (server's tx) */
/* The handshake hash the dispatch target's channel and sessions carry. */
extern const uint8_t fuzz_binding[32];
/* Another channel's handshake hash (a session bound elsewhere). */
extern const uint8_t fuzz_other_binding[32];

/* The one password every user of the dispatch store has. */
#define FUZZ_PASSWORD "fuzzing-password-1"

/* Users of the dispatch store (fuzz_dispatch.c creates them). */
#define FUZZ_USER_ADMIN  "admin"
#define FUZZ_USER_DIR    "dana" /* directorate OPS */
#define FUZZ_USER_MEMBER "mia"
#define FUZZ_USER_OFF    "olly" /* disabled */
#define FUZZ_DIRECTORATE "OPS"

/* Session tokens of the dispatch store: 32 bytes each (no NUL kept). */
enum fuzz_token {
	FUZZ_TOKEN_ADMIN,     /* live admin session */
	FUZZ_TOKEN_DIR,       /* live directorate session */
	FUZZ_TOKEN_MEMBER,    /* live member session */
	FUZZ_TOKEN_OFF,       /* session of the disabled user */
	FUZZ_TOKEN_REVOKED,   /* admin session of an older generation */
	FUZZ_TOKEN_ELSEWHERE, /* admin session bound to another channel */
	FUZZ_TOKEN_IDLE,      /* admin session unused for too long */
	FUZZ_NTOKENS
};
extern const char *const fuzz_tokens[FUZZ_NTOKENS];

/* Fill @p c with key @p k at nonce 0. */
void fuzz_cipher(struct pmif_noise_cipher *c, const uint8_t k[32]);

/* FNV-1a over @p len bytes, finalized: a cheap, stable function of an input. */
uint32_t fuzz_hash(const uint8_t *p, size_t len);

/*
 * fuzz_dispatch lets a request that may reach scrypt (0.4 s per hash) run
 * only when fuzz_hash(whole input) % this == 0; the others are rejected
 * before dispatch.  PMIF_FUZZ_SCRYPT_ONE_IN in the environment overrides
 * it (1: let every such request run).
 */
#define FUZZ_SCRYPT_ONE_IN 256

#endif
