/*
 * test_frame.c - tests for common/frame.c: frame headers, sealing and
 * opening DATA frames, REFUSED frames and key fingerprints.
 *
 * Sealed frames are attacked the ways the wire allows: every bit flipped,
 * cut at and between chunk boundaries, extended, chunks swapped or moved
 * from another frame, and opened under the wrong counter or key.  Each
 * must be refused without a byte of plaintext reaching the caller.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <openssl/rand.h>

#include "error.h"
#include "frame.h"

#define SEALED_CHUNK (PMIF_FRAME_CHUNK + PMIF_NOISE_TAGLEN)
#define POISON       0xAA

static struct pmif_noise_cipher key_a, key_b;

static int setup(void **state)
{
	(void)state;
	key_a.has_key = key_b.has_key = 1;
	assert_int_equal(RAND_bytes(key_a.k, sizeof(key_a.k)), 1);
	assert_int_equal(RAND_bytes(key_b.k, sizeof(key_b.k)), 1);
	return 0;
}

/* Plaintext bytes that are never 0 or POISON, so a leak is visible. */
static uint8_t *make_plaintext(size_t len, unsigned seed)
{
	uint8_t *p = malloc(len ? len : 1);

	assert_non_null(p);
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(1 + (i * 7 + seed) % 160);
	return p;
}

/* Seal @p len bytes; returns the malloc'd frame and its length. */
static uint8_t *seal(const struct pmif_noise_cipher *k, uint64_t channel, uint64_t nonce,
                     const uint8_t *pt, size_t len, size_t *outlen)
{
	size_t cap = pmif_frame_sealed_size(len);
	uint8_t *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(pmif_frame_seal(k, channel, nonce, pt, len, out, cap, outlen), 0);
	assert_int_equal(*outlen, cap);
	return out;
}

/* Decode and open @p buf; on failure checks that nothing leaked into the
 * plaintext buffer.  Returns the decode error or the open result. */
static int try_open(const struct pmif_noise_cipher *k, const uint8_t *buf, size_t len, uint8_t *pt,
                    size_t cap)
{
	struct pmif_frame f;
	size_t ptlen = 12345;
	int rc;

	rc = pmif_frame_decode(buf, len, &f);
	if (rc != 0)
		return rc;
	memset(pt, POISON, cap);
	rc = pmif_frame_open(k, &f, pt, cap, &ptlen);
	if (rc != 0) {
		assert_int_equal(ptlen, 12345);
		for (size_t i = 0; i < cap; i++)
			if (pt[i] != POISON && pt[i] != 0)
				fail_msg("plaintext byte %zu leaked after a refused open", i);
	}
	return rc;
}

/* ---- headers ------------------------------------------------------------ */

static void test_header_roundtrip(void **state)
{
	uint8_t buf[PMIF_FRAME_HEADER + 3];
	struct pmif_frame f;

	(void)state;
	pmif_frame_header(buf, PMIF_FRAME_DATA, 0x0102030405060708ull, 0x1112131415161718ull);
	assert_memory_equal(buf, "PM\x01\x03\x01\x02\x03\x04\x05\x06\x07\x08", 12);
	assert_memory_equal(buf + 12, "\x11\x12\x13\x14\x15\x16\x17\x18", 8);
	memcpy(buf + PMIF_FRAME_HEADER, "abc", 3);
	assert_int_equal(pmif_frame_decode(buf, sizeof(buf), &f), 0);
	assert_int_equal(f.type, PMIF_FRAME_DATA);
	assert_true(f.channel == 0x0102030405060708ull);
	assert_true(f.nonce == 0x1112131415161718ull);
	assert_ptr_equal(f.header, buf);
	assert_ptr_equal(f.payload, buf + PMIF_FRAME_HEADER);
	assert_int_equal(f.len, 3);
	/* every type, and a header alone */
	for (int t = PMIF_FRAME_HELLO; t <= PMIF_FRAME_REFUSED; t++) {
		pmif_frame_header(buf, (enum pmif_frame_type)t, 0, UINT64_MAX);
		assert_int_equal(pmif_frame_decode(buf, PMIF_FRAME_HEADER, &f), 0);
		assert_int_equal(f.type, t);
		assert_int_equal(f.len, 0);
		assert_true(f.nonce == UINT64_MAX);
	}
}

static void test_header_bad(void **state)
{
	uint8_t buf[64];
	struct pmif_frame f, untouched;
	uint8_t *huge;

	(void)state;
	memset(&untouched, 0x5c, sizeof(untouched));
	f = untouched;
	pmif_frame_header(buf, PMIF_FRAME_DATA, 1, 1);
	memset(buf + PMIF_FRAME_HEADER, 0, sizeof(buf) - PMIF_FRAME_HEADER);

	buf[0] = 'X';
	assert_int_equal(pmif_frame_decode(buf, sizeof(buf), &f), PMIF_EINVAL);
	buf[0] = 'P';
	buf[1] = 'm';
	assert_int_equal(pmif_frame_decode(buf, sizeof(buf), &f), PMIF_EINVAL);
	buf[1] = 'M';
	for (int v = 0; v < 256; v++) {
		if (v == PMIF_FRAME_VERSION)
			continue;
		buf[2] = (uint8_t)v;
		assert_int_equal(pmif_frame_decode(buf, sizeof(buf), &f), PMIF_EINVAL);
	}
	buf[2] = PMIF_FRAME_VERSION;
	for (int t = 0; t < 256; t++) {
		if (t >= PMIF_FRAME_HELLO && t <= PMIF_FRAME_REFUSED)
			continue;
		buf[3] = (uint8_t)t;
		assert_int_equal(pmif_frame_decode(buf, sizeof(buf), &f), PMIF_EINVAL);
	}
	buf[3] = PMIF_FRAME_DATA;
	for (size_t len = 0; len < PMIF_FRAME_HEADER; len++)
		assert_int_equal(pmif_frame_decode(buf, len, &f), PMIF_EINVAL);
	assert_int_equal(pmif_frame_decode(NULL, sizeof(buf), &f), PMIF_EINVAL);
	assert_memory_equal(&f, &untouched, sizeof(f));

	/* one byte over the largest frame */
	huge = calloc(1, PMIF_FRAME_MAX + 1);
	assert_non_null(huge);
	memcpy(huge, buf, PMIF_FRAME_HEADER);
	assert_int_equal(pmif_frame_decode(huge, PMIF_FRAME_MAX + 1, &f), PMIF_EINVAL);
	assert_int_equal(pmif_frame_decode(huge, PMIF_FRAME_MAX, &f), 0);
	free(huge);
}

/* ---- seal and open ------------------------------------------------------ */

static void roundtrip(size_t len)
{
	uint8_t *pt = make_plaintext(len, (unsigned)len), *frame, *out;
	size_t flen, outlen = 0;
	struct pmif_frame f;

	frame = seal(&key_a, 0xabcdef0012345678ull, 42, pt, len, &flen);
	assert_true(flen <= PMIF_FRAME_MAX);
	assert_int_equal(flen,
	                 PMIF_FRAME_HEADER + len +
	                     PMIF_NOISE_TAGLEN *
	                         (len == 0 ? 1 : (len + PMIF_FRAME_CHUNK - 1) / PMIF_FRAME_CHUNK));
	assert_int_equal(pmif_frame_decode(frame, flen, &f), 0);
	assert_int_equal(f.type, PMIF_FRAME_DATA);
	assert_true(f.channel == 0xabcdef0012345678ull);
	assert_int_equal(f.nonce, 42);
	/* not plaintext on the wire */
	if (len >= 16)
		assert_memory_not_equal(frame + PMIF_FRAME_HEADER, pt, 16);
	out = malloc(len ? len : 1);
	assert_non_null(out);
	assert_int_equal(pmif_frame_open(&key_a, &f, out, len, &outlen), 0);
	assert_int_equal(outlen, len);
	if (len)
		assert_memory_equal(out, pt, len);
	/* one byte short of room is refused, and nothing is written */
	if (len > 0) {
		memset(out, POISON, len);
		assert_int_equal(pmif_frame_open(&key_a, &f, out, len - 1, &outlen), PMIF_ETOOBIG);
		assert_int_equal(out[0], POISON);
	}
	free(out);
	free(frame);
	free(pt);
}

static void test_roundtrip_sizes(void **state)
{
	static const size_t sizes[] = {
	    0,
	    1,
	    15,
	    16,
	    17,
	    PMIF_FRAME_CHUNK - 1,
	    PMIF_FRAME_CHUNK,
	    PMIF_FRAME_CHUNK + 1,
	    200000,
	    2 * PMIF_FRAME_CHUNK,
	    PMIF_FRAME_MAX_PLAINTEXT - 1,
	    PMIF_FRAME_MAX_PLAINTEXT,
	};

	(void)state;
	assert_int_equal(PMIF_FRAME_CHUNK, 65519);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		roundtrip(sizes[i]);
}

static void test_seal_limits(void **state)
{
	uint8_t *pt = make_plaintext(PMIF_FRAME_MAX_PLAINTEXT + 1, 1);
	size_t cap = pmif_frame_sealed_size(PMIF_FRAME_MAX_PLAINTEXT + 1), outlen = 777;
	uint8_t *out = malloc(cap), small[64];

	(void)state;
	assert_non_null(out);
	assert_int_equal(
	    pmif_frame_seal(&key_a, 1, 1, pt, PMIF_FRAME_MAX_PLAINTEXT + 1, out, cap, &outlen),
	    PMIF_ETOOBIG);
	assert_int_equal(outlen, 777);
	/* too small an output buffer */
	assert_int_equal(pmif_frame_seal(&key_a, 1, 1, pt, 40, small, sizeof(small), &outlen),
	                 PMIF_ETOOBIG);
	assert_int_equal(
	    pmif_frame_seal(&key_a, 1, 1, pt, 0, small, PMIF_FRAME_HEADER + 15, &outlen),
	    PMIF_ETOOBIG);
	/* the largest counter works, one more does not */
	free(out);
	out = seal(&key_a, 1, PMIF_FRAME_MAX_COUNTER, pt, 100, &outlen);
	{
		uint8_t back[100];

		assert_int_equal(try_open(&key_a, out, outlen, back, sizeof(back)), 0);
		assert_memory_equal(back, pt, 100);
	}
	assert_int_equal(pmif_frame_seal(&key_a, 1, PMIF_FRAME_MAX_COUNTER + 1, pt, 10, small,
	                                 sizeof(small), &outlen),
	                 PMIF_EINVAL);
	/* a header claiming a counter above the largest is refused on open */
	{
		uint8_t *frame;
		size_t flen;
		uint8_t back[16];

		frame = seal(&key_a, 1, 5, pt, 10, &flen);
		pmif_frame_header(frame, PMIF_FRAME_DATA, 1, PMIF_FRAME_MAX_COUNTER + 1);
		assert_int_not_equal(try_open(&key_a, frame, flen, back, sizeof(back)), 0);
		pmif_frame_header(frame, PMIF_FRAME_DATA, 1, UINT64_MAX);
		assert_int_not_equal(try_open(&key_a, frame, flen, back, sizeof(back)), 0);
		free(frame);
	}
	/* a key-less cipher never seals */
	{
		struct pmif_noise_cipher none = {.has_key = 0};
		assert_int_not_equal(
		    pmif_frame_seal(&none, 1, 1, pt, 10, small, sizeof(small), &outlen), 0);
	}
	free(out);
	free(pt);
}

static void test_open_wrong_type(void **state)
{
	uint8_t pt[10] = {1}, back[10];
	size_t flen, n;
	uint8_t *frame = seal(&key_a, 9, 9, pt, sizeof(pt), &flen);
	struct pmif_frame f;

	(void)state;
	for (int t = PMIF_FRAME_HELLO; t <= PMIF_FRAME_REFUSED; t++) {
		if (t == PMIF_FRAME_DATA)
			continue;
		frame[3] = (uint8_t)t;
		assert_int_equal(pmif_frame_decode(frame, flen, &f), 0);
		assert_int_equal(pmif_frame_open(&key_a, &f, back, sizeof(back), &n), PMIF_EINVAL);
	}
	free(frame);
}

/* Flip every bit of a small frame: each flip is refused. */
static void test_bit_flips_small(void **state)
{
	uint8_t *pt = make_plaintext(100, 3), back[100];
	size_t flen;
	uint8_t *frame = seal(&key_a, 0x1234, 77, pt, 100, &flen);

	(void)state;
	for (size_t pos = 0; pos < flen; pos++) {
		for (int bit = 0; bit < 8; bit++) {
			int rc;

			frame[pos] ^= (uint8_t)(1u << bit);
			rc = try_open(&key_a, frame, flen, back, sizeof(back));
			if (rc == 0)
				fail_msg("flip of bit %d of byte %zu was accepted", bit, pos);
			/* past the magic, version and type the frame decodes, and
			 * only authentication can catch it (a huge counter aside) */
			if (pos >= 4 && !(pos >= 12 && pos < 20 && rc == PMIF_EINVAL))
				assert_int_equal(rc, PMIF_EAUTH);
			frame[pos] ^= (uint8_t)(1u << bit);
		}
	}
	assert_int_equal(try_open(&key_a, frame, flen, back, sizeof(back)), 0);
	assert_memory_equal(back, pt, 100);
	free(frame);
	free(pt);
}

/* Flips in a multi-chunk frame: the chunk edges, every tag, and a sample
 * of the rest; and a flip in the last chunk must not release the first. */
static void test_bit_flips_large(void **state)
{
	size_t len = 200000, flen;
	uint8_t *pt = make_plaintext(len, 5), *back = malloc(len);
	uint8_t *frame = seal(&key_a, 7, 1000, pt, len, &flen);
	size_t positions[600], n = 0;

	(void)state;
	assert_non_null(back);
	for (size_t c = 0; c < 4; c++) {
		size_t start = PMIF_FRAME_HEADER + c * SEALED_CHUNK;
		size_t end = c < 3 ? start + SEALED_CHUNK : flen;

		positions[n++] = start;
		positions[n++] = start + 1;
		positions[n++] = end - PMIF_NOISE_TAGLEN - 1;
		for (size_t t = end - PMIF_NOISE_TAGLEN; t < end; t++)
			positions[n++] = t;
	}
	srand(99);
	while (n < sizeof(positions) / sizeof(positions[0]))
		positions[n++] = PMIF_FRAME_HEADER + (size_t)rand() % (flen - PMIF_FRAME_HEADER);
	for (size_t i = 0; i < n; i++) {
		uint8_t bit = (uint8_t)(1u << (i % 8));

		frame[positions[i]] ^= bit;
		assert_int_equal(try_open(&key_a, frame, flen, back, len), PMIF_EAUTH);
		frame[positions[i]] ^= bit;
	}
	assert_int_equal(try_open(&key_a, frame, flen, back, len), 0);
	assert_memory_equal(back, pt, len);
	free(frame);
	free(back);
	free(pt);
}

static void test_bit_flip_max(void **state)
{
	size_t len = PMIF_FRAME_MAX_PLAINTEXT, flen;
	uint8_t *pt = make_plaintext(len, 11), *back = malloc(len);
	uint8_t *frame = seal(&key_a, 7, 3, pt, len, &flen);
	size_t where[] = {PMIF_FRAME_HEADER, flen / 2, flen - 1};

	(void)state;
	assert_non_null(back);
	for (size_t i = 0; i < sizeof(where) / sizeof(where[0]); i++) {
		frame[where[i]] ^= 0x10;
		assert_int_equal(try_open(&key_a, frame, flen, back, len), PMIF_EAUTH);
		frame[where[i]] ^= 0x10;
	}
	assert_int_equal(try_open(&key_a, frame, flen, back, len), 0);
	assert_memory_equal(back, pt, len);
	free(frame);
	free(back);
	free(pt);
}

static void test_truncated_and_extended(void **state)
{
	size_t len = 200000, flen;
	uint8_t *pt = make_plaintext(len, 13), *back = malloc(len);
	uint8_t *frame = seal(&key_a, 7, 8, pt, len, &flen);
	uint8_t *longer = malloc(flen + SEALED_CHUNK);
	const size_t cuts[] = {
	    /* at chunk boundaries: whole chunks dropped from the end */
	    PMIF_FRAME_HEADER + SEALED_CHUNK,
	    PMIF_FRAME_HEADER + 2 * SEALED_CHUNK,
	    PMIF_FRAME_HEADER + 3 * SEALED_CHUNK,
	    /* in the middle of a chunk and of a tag */
	    PMIF_FRAME_HEADER + SEALED_CHUNK + 100,
	    PMIF_FRAME_HEADER + 3 * SEALED_CHUNK + PMIF_NOISE_TAGLEN + 1,
	    flen - 1,
	    flen - PMIF_NOISE_TAGLEN,
	    /* a last chunk shorter than a tag */
	    PMIF_FRAME_HEADER + SEALED_CHUNK + 5,
	    PMIF_FRAME_HEADER + 100,
	    PMIF_FRAME_HEADER + PMIF_NOISE_TAGLEN,
	    PMIF_FRAME_HEADER + PMIF_NOISE_TAGLEN - 1,
	    PMIF_FRAME_HEADER + 1,
	    PMIF_FRAME_HEADER,
	};

	(void)state;
	assert_non_null(back);
	assert_non_null(longer);
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		int rc = try_open(&key_a, frame, cuts[i], back, len);

		if (rc == 0)
			fail_msg("frame cut to %zu bytes was accepted", cuts[i]);
		if (cuts[i] >= PMIF_FRAME_HEADER + PMIF_NOISE_TAGLEN)
			assert_int_equal(rc, PMIF_EAUTH);
	}
	/* extended by a byte, a tag's worth, or a whole chunk */
	memcpy(longer, frame, flen);
	memset(longer + flen, 0, SEALED_CHUNK);
	assert_int_not_equal(try_open(&key_a, longer, flen + 1, back, len), 0);
	assert_int_not_equal(try_open(&key_a, longer, flen + PMIF_NOISE_TAGLEN, back, len), 0);
	memcpy(longer + flen, frame + PMIF_FRAME_HEADER, SEALED_CHUNK);
	assert_int_not_equal(try_open(&key_a, longer, flen + SEALED_CHUNK, back, len), 0);
	free(longer);
	free(frame);
	free(back);
	free(pt);
}

static void test_chunks_swapped_or_moved(void **state)
{
	size_t len = 3 * PMIF_FRAME_CHUNK, flen, flen2;
	uint8_t *pt = make_plaintext(len, 17), *back = malloc(len);
	uint8_t *frame = seal(&key_a, 7, 20, pt, len, &flen);
	uint8_t *other = seal(&key_a, 7, 21, pt, len, &flen2);
	uint8_t *tmp = malloc(SEALED_CHUNK);
	uint8_t *c0 = frame + PMIF_FRAME_HEADER, *c1 = c0 + SEALED_CHUNK;

	(void)state;
	assert_non_null(back);
	assert_non_null(tmp);
	/* swap chunks 0 and 1 */
	memcpy(tmp, c0, SEALED_CHUNK);
	memcpy(c0, c1, SEALED_CHUNK);
	memcpy(c1, tmp, SEALED_CHUNK);
	assert_int_equal(try_open(&key_a, frame, flen, back, len), PMIF_EAUTH);
	memcpy(c1, c0, SEALED_CHUNK);
	memcpy(c0, tmp, SEALED_CHUNK);
	assert_int_equal(try_open(&key_a, frame, flen, back, len), 0);
	/* chunk 1 of another frame (same key, same plaintext, next counter) */
	memcpy(c1, other + PMIF_FRAME_HEADER + SEALED_CHUNK, SEALED_CHUNK);
	assert_int_equal(try_open(&key_a, frame, flen, back, len), PMIF_EAUTH);
	free(tmp);
	free(other);
	free(frame);
	free(back);
	free(pt);
}

static void test_wrong_counter_or_key(void **state)
{
	uint8_t *pt = make_plaintext(300, 19), back[300];
	size_t flen, n = 0;
	uint8_t *frame = seal(&key_a, 0x55, 1000, pt, 300, &flen);
	struct pmif_frame f;

	(void)state;
	/* the counter in the struct differs from the one sealed under */
	assert_int_equal(pmif_frame_decode(frame, flen, &f), 0);
	f.nonce = 1001;
	assert_int_equal(pmif_frame_open(&key_a, &f, back, sizeof(back), &n), PMIF_EAUTH);
	f.nonce = 999;
	assert_int_equal(pmif_frame_open(&key_a, &f, back, sizeof(back), &n), PMIF_EAUTH);
	f.nonce = 0;
	assert_int_equal(pmif_frame_open(&key_a, &f, back, sizeof(back), &n), PMIF_EAUTH);
	/* the header rewritten to another counter, or another channel */
	pmif_frame_header(frame, PMIF_FRAME_DATA, 0x55, 1001);
	assert_int_equal(try_open(&key_a, frame, flen, back, sizeof(back)), PMIF_EAUTH);
	pmif_frame_header(frame, PMIF_FRAME_DATA, 0x56, 1000);
	assert_int_equal(try_open(&key_a, frame, flen, back, sizeof(back)), PMIF_EAUTH);
	pmif_frame_header(frame, PMIF_FRAME_DATA, 0x55, 1000);
	/* another key, or the key with another nonce base (c->n is ignored) */
	assert_int_equal(try_open(&key_b, frame, flen, back, sizeof(back)), PMIF_EAUTH);
	{
		struct pmif_noise_cipher k = key_a;
		k.n = 12345;
		assert_int_equal(try_open(&k, frame, flen, back, sizeof(back)), 0);
		k.k[0] ^= 1;
		assert_int_equal(try_open(&k, frame, flen, back, sizeof(back)), PMIF_EAUTH);
	}
	free(frame);
	free(pt);
}

static void test_garbage(void **state)
{
	uint8_t buf[600], back[600];

	(void)state;
	srand(2024);
	for (int i = 0; i < 5000; i++) {
		size_t len = (size_t)rand() % sizeof(buf);
		int rc;

		for (size_t k = 0; k < len; k++)
			buf[k] = (uint8_t)rand();
		/* half of them with a valid DATA header, so open gets to work */
		if (i % 2 && len >= PMIF_FRAME_HEADER)
			pmif_frame_header(buf, PMIF_FRAME_DATA, (uint64_t)rand(), (uint64_t)rand());
		rc = try_open(&key_a, buf, len, back, sizeof(back));
		assert_int_not_equal(rc, 0);
	}
}

/* ---- refusals and fingerprints ------------------------------------------- */

static void test_refusal(void **state)
{
	uint8_t out[64];
	struct pmif_frame f;
	size_t n;

	(void)state;
	n = pmif_frame_refusal(out, sizeof(out), 0x99, PMIF_REFUSED_REPLAY, "replayed");
	assert_int_equal(n, PMIF_FRAME_HEADER + 1 + 8);
	assert_int_equal(pmif_frame_decode(out, n, &f), 0);
	assert_int_equal(f.type, PMIF_FRAME_REFUSED);
	assert_int_equal(f.channel, 0x99);
	assert_int_equal(f.nonce, 0);
	assert_int_equal(f.payload[0], PMIF_REFUSED_REPLAY);
	assert_memory_equal(f.payload + 1, "replayed", 8);
	/* long text is cut to fit, a buffer without room for the reason is 0 */
	n = pmif_frame_refusal(out, 25, 1, PMIF_REFUSED_BUSY, "far too long a reason to fit");
	assert_int_equal(n, 25);
	assert_memory_equal(out + PMIF_FRAME_HEADER + 1, "far ", 4);
	assert_int_equal(pmif_frame_refusal(out, PMIF_FRAME_HEADER, 1, PMIF_REFUSED_BUSY, "x"), 0);
	assert_int_equal(pmif_frame_refusal(out, PMIF_FRAME_HEADER + 1, 1, PMIF_REFUSED_AUTH, "x"),
	                 PMIF_FRAME_HEADER + 1);
}

static void test_fingerprint(void **state)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint8_t pub[32] = {0};
	char fp[PMIF_FINGERPRINT_LEN], fp2[PMIF_FINGERPRINT_LEN];

	(void)state;
	/* SHA-256 of 32 zero bytes, base64 without padding (Python) */
	memset(fp, 'x', sizeof(fp));
	pmif_key_fingerprint(pub, fp);
	assert_string_equal(fp, "SHA256:Zmh6rfhivXdsj8GLjp+OIAiXFIVu4jOzkCpZHQ1fKSU");
	for (int i = 0; i < 32; i++)
		pub[i] = (uint8_t)i;
	pmif_key_fingerprint(pub, fp);
	assert_string_equal(fp, "SHA256:Yw3NKWbEM2aRElRIu7JbT/QSpJxzLbLIq8G4WBvXEN0");
	/* the format for random keys: "SHA256:" and 43 base64 characters */
	for (int i = 0; i < 200; i++) {
		assert_int_equal(RAND_bytes(pub, sizeof(pub)), 1);
		pmif_key_fingerprint(pub, fp);
		assert_int_equal(strlen(fp), 7 + 43);
		assert_memory_equal(fp, "SHA256:", 7);
		assert_int_equal(strspn(fp + 7, b64), 43);
		pub[31] ^= 1;
		pmif_key_fingerprint(pub, fp2);
		assert_string_not_equal(fp, fp2);
	}
}

/* The worked example of docs/SECURITY.md ("A worked example"), byte for
 * byte: a Request {request_id = 00 01 .. 0f} sealed with the key
 * 00 01 .. 1f on channel 0x1d2c3b4a59690007 at frame counter 5, and an
 * empty plaintext at counter 6.  (The same bytes come from any
 * ChaCha20-Poly1305 with nonce 0^4 || le64(f * 4096 + i).) */
static void test_doc_example(void **state)
{
	static const uint8_t want[54] = {
	    0x50, 0x4d, 0x01, 0x03, 0x1d, 0x2c, 0x3b, 0x4a, 0x59, 0x69, 0x00, 0x07, 0x00, 0x00,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x44, 0x10, 0x3d, 0xae, 0xbe, 0x0f, 0x64, 0x1c,
	    0xc7, 0x39, 0x93, 0x48, 0xaa, 0xf0, 0x9b, 0xce, 0xdc, 0x04, 0xa7, 0xdc, 0x55, 0xa3,
	    0x2e, 0x8d, 0x8b, 0xe8, 0xea, 0x31, 0xf3, 0x44, 0x4e, 0xc2, 0x51, 0x08};
	static const uint8_t want_empty[36] = {
	    0x50, 0x4d, 0x01, 0x03, 0x1d, 0x2c, 0x3b, 0x4a, 0x59, 0x69, 0x00, 0x07,
	    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x68, 0x4e, 0xc2, 0xb0,
	    0xba, 0x46, 0x1a, 0x43, 0x96, 0x15, 0xeb, 0x9c, 0xd7, 0xe8, 0xc8, 0xb8};
	struct pmif_noise_cipher k = {.has_key = 1};
	uint8_t pt[18] = {0x12, 0x10}, out[64], back[18];
	struct pmif_frame f;
	size_t n, m;

	(void)state;
	for (int i = 0; i < 32; i++)
		k.k[i] = (uint8_t)i;
	for (int i = 0; i < 16; i++)
		pt[2 + i] = (uint8_t)i;
	assert_int_equal(pmif_frame_seal(&k, UINT64_C(0x1d2c3b4a59690007), 5, pt, sizeof(pt), out,
	                                 sizeof(out), &n),
	                 0);
	assert_int_equal(n, sizeof(want));
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(pmif_frame_decode(want, sizeof(want), &f), 0);
	assert_int_equal(pmif_frame_open(&k, &f, back, sizeof(back), &m), 0);
	assert_int_equal(m, sizeof(pt));
	assert_memory_equal(back, pt, sizeof(pt));
	assert_int_equal(
	    pmif_frame_seal(&k, UINT64_C(0x1d2c3b4a59690007), 6, NULL, 0, out, sizeof(out), &n), 0);
	assert_int_equal(n, sizeof(want_empty));
	assert_memory_equal(out, want_empty, sizeof(want_empty));
	/* the documented limits */
	assert_int_equal(PMIF_FRAME_MAX, 134217728);
	assert_int_equal(PMIF_FRAME_CHUNK, 65519);
	assert_int_equal(PMIF_FRAME_MAX_PLAINTEXT, 134184924);
	assert_true(PMIF_FRAME_MAX_COUNTER == UINT64_C(4503599627370494));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_header_roundtrip),
	    cmocka_unit_test(test_header_bad),
	    cmocka_unit_test(test_roundtrip_sizes),
	    cmocka_unit_test(test_seal_limits),
	    cmocka_unit_test(test_open_wrong_type),
	    cmocka_unit_test(test_bit_flips_small),
	    cmocka_unit_test(test_bit_flips_large),
	    cmocka_unit_test(test_bit_flip_max),
	    cmocka_unit_test(test_truncated_and_extended),
	    cmocka_unit_test(test_chunks_swapped_or_moved),
	    cmocka_unit_test(test_wrong_counter_or_key),
	    cmocka_unit_test(test_garbage),
	    cmocka_unit_test(test_refusal),
	    cmocka_unit_test(test_fingerprint),
	    cmocka_unit_test(test_doc_example),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
