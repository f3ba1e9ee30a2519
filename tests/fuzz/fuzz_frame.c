/*
 * fuzz_frame.c - libFuzzer target for the wire frames (common/frame.c).
 *
 * Every input is used three ways:
 *
 *  1. As a frame off the wire: pmif_frame_decode(), and for a DATA frame
 *     pmif_frame_open() with the fixed key.  Opening may only succeed for a
 *     genuine sealing, and sealing is deterministic, so success must mean
 *     that sealing the plaintext again under the frame's own channel and
 *     counter gives back exactly the input.  Opening into a buffer one byte
 *     too small must be refused without writing past it.
 *  2. As plaintext: sealed under the fixed key with a channel, counter and
 *     length taken from the input (lengths cluster around the chunk size,
 *     counters around the largest allowed), then decoded and opened again.
 *     The plaintext must come back; the frame with one bit flipped, cut
 *     short, or opened with the other direction's key must not open.
 *  3. As the text of a REFUSED frame built into a buffer of a size taken
 *     from the input, which must then decode as REFUSED.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "fixtures.h"
#include "frame.h"

/* Open @p f with @p key into a buffer of exactly @p cap bytes, so ASan sees
 * any write past it.  Returns what pmif_frame_open() returned; on success
 * *out is the plaintext (caller frees). */
static int open_exact(const struct pmif_noise_cipher *key, const struct pmif_frame *f, size_t cap,
                      uint8_t **out, size_t *outlen)
{
	uint8_t *pt = malloc(cap ? cap : 1);
	int rc;

	FUZZ_CHECK(pt != NULL);
	rc = pmif_frame_open(key, f, pt, cap, outlen);
	if (rc == 0) {
		FUZZ_CHECK(*outlen <= cap);
		*out = pt;
	} else {
		free(pt);
	}
	return rc;
}

static void open_as_frame(const uint8_t *data, size_t size)
{
	struct pmif_noise_cipher key;
	struct pmif_frame f;
	uint8_t hdr[PMIF_FRAME_HEADER], *pt = NULL, *again, *small;
	size_t ptlen = 0, alen, slen;
	int rc;

	if (pmif_frame_decode(data, size, &f) != 0)
		return;
	FUZZ_CHECK(f.header == data && f.payload == data + PMIF_FRAME_HEADER);
	FUZZ_CHECK(f.len == size - PMIF_FRAME_HEADER);
	pmif_frame_header(hdr, (enum pmif_frame_type)f.type, f.channel, f.nonce);
	FUZZ_CHECK(memcmp(hdr, data, PMIF_FRAME_HEADER) == 0);
	if (f.type != PMIF_FRAME_DATA)
		return;

	fuzz_cipher(&key, fuzz_key_c2s);
	rc = open_exact(&key, &f, f.len, &pt, &ptlen);
	if (rc != 0) {
		FUZZ_CHECK(rc == PMIF_EAUTH || rc == PMIF_EINVAL);
		return;
	}
	/* it opened: it must be exactly what sealing that plaintext gives */
	alen = pmif_frame_sealed_size(ptlen);
	again = malloc(alen);
	FUZZ_CHECK(again != NULL);
	FUZZ_CHECK(pmif_frame_seal(&key, f.channel, f.nonce, pt, ptlen, again, alen, &alen) == 0);
	FUZZ_CHECK(alen == size && memcmp(again, data, size) == 0);
	free(again);
	if (ptlen > 0) {
		rc = open_exact(&key, &f, ptlen - 1, &small, &slen);
		FUZZ_CHECK(rc == PMIF_ETOOBIG);
	}
	free(pt);
}

/* Plaintext length for the round trip: the input itself, or a length near
 * one or two chunk sizes (first byte 0x?e or 0x?f) filled by repeating
 * the input. */
static size_t plaintext_length(const uint8_t *data, size_t size)
{
	unsigned chunks = (data[0] & 15) == 15 ? 2 : (data[0] & 15) == 14 ? 1 : 0;
	long len;

	if (chunks == 0)
		return size - 4;
	len = (long)chunks * PMIF_FRAME_CHUNK + (int8_t)data[1] % 33;
	return len < 0 ? 0 : (size_t)len;
}

static uint64_t counter(const uint8_t *data)
{
	uint64_t small = data[2] >> 2;

	switch (data[2] & 3) {
	case 0: return small;
	case 1: return PMIF_FRAME_MAX_COUNTER - small;
	case 2: return PMIF_FRAME_MAX_COUNTER + 1 + small; /* must be refused */
	default: return ((uint64_t)data[3] << 40) | ((uint64_t)data[1] << 8) | data[0];
	}
}

static void round_trip(const uint8_t *data, size_t size)
{
	struct pmif_noise_cipher key, other;
	struct pmif_frame f;
	uint64_t channel, nonce;
	uint8_t *pt, *frame, *back = NULL, *junk;
	size_t len, flen, cap, backlen, junklen, cut, pos;
	uint32_t h = fuzz_hash(data, size);
	int rc;

	if (size < 4)
		return;
	len = plaintext_length(data, size);
	pt = malloc(len ? len : 1);
	FUZZ_CHECK(pt != NULL);
	/* the input's tail, repeated by doubling */
	if (size > 4 && len > 0) {
		size_t have = len < size - 4 ? len : size - 4;
		memcpy(pt, data + 4, have);
		while (have < len) {
			size_t more = len - have < have ? len - have : have;
			memcpy(pt + have, pt, more);
			have += more;
		}
	} else {
		memset(pt, 0x5a, len);
	}
	channel = ((uint64_t)h << 16) ^ data[3];
	nonce = counter(data);
	fuzz_cipher(&key, fuzz_key_c2s);
	fuzz_cipher(&other, fuzz_key_s2c);

	cap = pmif_frame_sealed_size(len);
	frame = malloc(cap);
	FUZZ_CHECK(frame != NULL);
	rc = pmif_frame_seal(&key, channel, nonce, pt, len, frame, cap, &flen);
	if (nonce > PMIF_FRAME_MAX_COUNTER) {
		FUZZ_CHECK(rc == PMIF_EINVAL);
		goto out;
	}
	FUZZ_CHECK(rc == 0 && flen == cap);
	/* one byte short of room must be refused, not overrun */
	junk = malloc(cap - 1);
	FUZZ_CHECK(junk != NULL);
	FUZZ_CHECK(pmif_frame_seal(&key, channel, nonce, pt, len, junk, cap - 1, &junklen) ==
	           PMIF_ETOOBIG);
	free(junk);

	FUZZ_CHECK(pmif_frame_decode(frame, flen, &f) == 0);
	FUZZ_CHECK(f.type == PMIF_FRAME_DATA && f.channel == channel && f.nonce == nonce);
	FUZZ_CHECK(open_exact(&key, &f, f.len, &back, &backlen) == 0);
	FUZZ_CHECK(backlen == len && memcmp(back, pt, len) == 0);
	free(back);

	/* the reply direction's key must not open it (no reflection) */
	FUZZ_CHECK(open_exact(&other, &f, f.len, &back, &backlen) != 0);

	/* one bit flipped anywhere: header, any chunk, any tag */
	pos = h % flen;
	frame[pos] ^= (uint8_t)(1u << (data[1] & 7));
	if (pmif_frame_decode(frame, flen, &f) == 0)
		FUZZ_CHECK(open_exact(&key, &f, f.len, &back, &backlen) != 0);
	frame[pos] ^= (uint8_t)(1u << (data[1] & 7));

	/* cut short anywhere, then by exactly its last chunk */
	cut = 1 + (h >> 8) % (flen - PMIF_FRAME_HEADER);
	if (pmif_frame_decode(frame, flen - cut, &f) == 0)
		FUZZ_CHECK(open_exact(&key, &f, f.len, &back, &backlen) != 0);
	if (flen > PMIF_FRAME_CHUNK + PMIF_NOISE_TAGLEN + PMIF_FRAME_HEADER) {
		/* drop the last chunk whole */
		size_t whole = (flen - PMIF_FRAME_HEADER) / (PMIF_FRAME_CHUNK + PMIF_NOISE_TAGLEN);
		size_t keep = PMIF_FRAME_HEADER + whole * (PMIF_FRAME_CHUNK + PMIF_NOISE_TAGLEN);
		if (keep == flen)
			keep -= PMIF_FRAME_CHUNK + PMIF_NOISE_TAGLEN;
		FUZZ_CHECK(pmif_frame_decode(frame, keep, &f) == 0);
		FUZZ_CHECK(open_exact(&key, &f, f.len, &back, &backlen) != 0);
	}
out:
	free(frame);
	free(pt);
}

static void refusal(const uint8_t *data, size_t size)
{
	char text[300], fp[PMIF_FINGERPRINT_LEN];
	size_t tlen = size > 2 ? size - 2 : 0, cap, n;
	uint8_t *out, key[32] = {0};
	struct pmif_frame f;

	if (size < 2)
		return;
	if (tlen >= sizeof(text))
		tlen = sizeof(text) - 1;
	memcpy(text, data + 2, tlen);
	text[tlen] = '\0';
	cap = data[0] + (data[1] & 1 ? 0 : PMIF_FRAME_HEADER);
	out = malloc(cap ? cap : 1);
	FUZZ_CHECK(out != NULL);
	n = pmif_frame_refusal(out, cap, 7, (enum pmif_refusal)data[1], text);
	FUZZ_CHECK(n <= cap);
	if (cap > PMIF_FRAME_HEADER) {
		FUZZ_CHECK(n == PMIF_FRAME_HEADER + 1 +
		                    (strlen(text) < cap - PMIF_FRAME_HEADER - 1
		                         ? strlen(text)
		                         : cap - PMIF_FRAME_HEADER - 1));
		FUZZ_CHECK(pmif_frame_decode(out, n, &f) == 0);
		FUZZ_CHECK(f.type == PMIF_FRAME_REFUSED && f.channel == 7 && f.len >= 1);
		FUZZ_CHECK(f.payload[0] == data[1]);
	}
	free(out);

	memcpy(key, data, size < 32 ? size : 32);
	pmif_key_fingerprint(key, fp);
	FUZZ_CHECK(strlen(fp) == 50 && memcmp(fp, "SHA256:", 7) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	open_as_frame(data, size);
	round_trip(data, size);
	refusal(data, size);
	return 0;
}
