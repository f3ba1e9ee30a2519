/*
 * fixtures.c - the fixed keys and tokens of fixtures.h.
 */
#include <string.h>

#include "fixtures.h"

#define SEQ32(b)                                                                                   \
	{                                                                                          \
		b + 0, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10,      \
		    b + 11, b + 12, b + 13, b + 14, b + 15, b + 16, b + 17, b + 18, b + 19,        \
		    b + 20, b + 21, b + 22, b + 23, b + 24, b + 25, b + 26, b + 27, b + 28,        \
		    b + 29, b + 30, b + 31                                                         \
	}

const uint8_t fuzz_server_static_priv[32] = SEQ32(0x01);
const uint8_t fuzz_client_ephemeral_priv[32] = SEQ32(0x21);
const uint8_t fuzz_server_ephemeral_priv[32] = SEQ32(0x41);
const uint8_t fuzz_key_c2s[32] = SEQ32(0x61);
const uint8_t fuzz_key_s2c[32] = SEQ32(0x81);
const uint8_t fuzz_binding[32] = SEQ32(0xa1);
const uint8_t fuzz_other_binding[32] = SEQ32(0xc1);

/* 32 characters each: readable in a corpus file and a dictionary. */
const char *const fuzz_tokens[FUZZ_NTOKENS] = {
    [FUZZ_TOKEN_ADMIN] = "fuzz-token-admin-000000000000000",
    [FUZZ_TOKEN_DIR] = "fuzz-token-dana-0000000000000000",
    [FUZZ_TOKEN_MEMBER] = "fuzz-token-mia-00000000000000000",
    [FUZZ_TOKEN_OFF] = "fuzz-token-olly-0000000000000000",
    [FUZZ_TOKEN_REVOKED] = "fuzz-token-revoked-0000000000000",
    [FUZZ_TOKEN_ELSEWHERE] = "fuzz-token-elsewhere-00000000000",
    [FUZZ_TOKEN_IDLE] = "fuzz-token-idle-0000000000000000",
};

void fuzz_cipher(struct pmif_noise_cipher *c, const uint8_t k[32])
{
	memcpy(c->k, k, 32);
	c->n = 0;
	c->has_key = 1;
}

uint32_t fuzz_hash(const uint8_t *p, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	/* FNV's low bits mix poorly (the low byte depends on the low bytes
	 * only); a murmur3 finalizer spreads every bit over all of them */
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}
