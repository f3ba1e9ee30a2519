/*
 * frame.c - encode, decode, seal and open wire frames (see frame.h).
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "error.h"
#include "frame.h"

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--) {
		p[i] = (uint8_t)(v & 0xff);
		v >>= 8;
	}
}

static uint64_t get_be64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

int pmif_frame_decode(const uint8_t *buf, size_t len, struct pmif_frame *out)
{
	if (buf == NULL || len < PMIF_FRAME_HEADER || len > PMIF_FRAME_MAX)
		return PMIF_EINVAL;
	if (buf[0] != 'P' || buf[1] != 'M' || buf[2] != PMIF_FRAME_VERSION)
		return PMIF_EINVAL;
	if (buf[3] < PMIF_FRAME_HELLO || buf[3] > PMIF_FRAME_REFUSED)
		return PMIF_EINVAL;
	out->type = buf[3];
	out->channel = get_be64(buf + 4);
	out->nonce = get_be64(buf + 12);
	out->header = buf;
	out->payload = buf + PMIF_FRAME_HEADER;
	out->len = len - PMIF_FRAME_HEADER;
	return 0;
}

void pmif_frame_header(uint8_t hdr[PMIF_FRAME_HEADER], enum pmif_frame_type type, uint64_t channel,
                       uint64_t nonce)
{
	hdr[0] = 'P';
	hdr[1] = 'M';
	hdr[2] = PMIF_FRAME_VERSION;
	hdr[3] = (uint8_t)type;
	put_be64(hdr + 4, channel);
	put_be64(hdr + 12, nonce);
}

static size_t chunk_count(size_t len)
{
	return len == 0 ? 1 : (len + PMIF_FRAME_CHUNK - 1) / PMIF_FRAME_CHUNK;
}

size_t pmif_frame_sealed_size(size_t len)
{
	return PMIF_FRAME_HEADER + len + chunk_count(len) * PMIF_NOISE_TAGLEN;
}

/* Associated data of chunk @p i of @p n: header, be32(i), be32(n). */
static void chunk_ad(uint8_t ad[PMIF_FRAME_HEADER + 8], const uint8_t *header, size_t i, size_t n)
{
	memcpy(ad, header, PMIF_FRAME_HEADER);
	for (int b = 0; b < 4; b++) {
		ad[PMIF_FRAME_HEADER + b] = (uint8_t)(i >> (24 - 8 * b));
		ad[PMIF_FRAME_HEADER + 4 + b] = (uint8_t)(n >> (24 - 8 * b));
	}
}

int pmif_frame_seal(const struct pmif_noise_cipher *key, uint64_t channel, uint64_t nonce,
                    const uint8_t *pt, size_t len, uint8_t *out, size_t cap, size_t *outlen)
{
	size_t n = chunk_count(len), off = PMIF_FRAME_HEADER;
	uint8_t ad[PMIF_FRAME_HEADER + 8];

	if (len > PMIF_FRAME_MAX_PLAINTEXT || n > PMIF_FRAME_MAX_CHUNKS ||
	    cap < pmif_frame_sealed_size(len))
		return PMIF_ETOOBIG;
	if (nonce > PMIF_FRAME_MAX_COUNTER)
		return PMIF_EINVAL;
	pmif_frame_header(out, PMIF_FRAME_DATA, channel, nonce);
	for (size_t i = 0; i < n; i++) {
		size_t part = len - i * PMIF_FRAME_CHUNK;
		size_t ctlen;
		int rc;

		if (part > PMIF_FRAME_CHUNK)
			part = PMIF_FRAME_CHUNK;
		chunk_ad(ad, out, i, n);
		rc = pmif_noise_encrypt_at(key, nonce * PMIF_FRAME_MAX_CHUNKS + i, ad, sizeof(ad),
		                           part ? pt + i * PMIF_FRAME_CHUNK : NULL, part, out + off,
		                           cap - off, &ctlen);
		if (rc != 0)
			return rc;
		off += ctlen;
	}
	*outlen = off;
	return 0;
}

int pmif_frame_open(const struct pmif_noise_cipher *key, const struct pmif_frame *f, uint8_t *pt,
                    size_t cap, size_t *ptlen)
{
	const size_t sealed = PMIF_FRAME_CHUNK + PMIF_NOISE_TAGLEN;
	size_t n, total, done = 0;
	uint8_t ad[PMIF_FRAME_HEADER + 8];

	if (f->type != PMIF_FRAME_DATA || f->len < PMIF_NOISE_TAGLEN ||
	    f->nonce > PMIF_FRAME_MAX_COUNTER)
		return PMIF_EINVAL;
	n = (f->len + sealed - 1) / sealed;
	/* every chunk but the last is full, and the last holds at least a tag */
	if (n > PMIF_FRAME_MAX_CHUNKS || f->len - (n - 1) * sealed < PMIF_NOISE_TAGLEN)
		return PMIF_EAUTH;
	total = f->len - n * PMIF_NOISE_TAGLEN;
	if (total > cap)
		return PMIF_ETOOBIG;
	for (size_t i = 0; i < n; i++) {
		size_t clen = i + 1 < n ? sealed : f->len - i * sealed, got;
		int rc;

		chunk_ad(ad, f->header, i, n);
		rc = pmif_noise_decrypt_at(key, f->nonce * PMIF_FRAME_MAX_CHUNKS + i, ad,
		                           sizeof(ad), f->payload + i * sealed, clen, pt + done,
		                           cap - done, &got);
		if (rc != 0) {
			OPENSSL_cleanse(pt, done);
			return rc;
		}
		done += got;
	}
	*ptlen = done;
	return 0;
}

size_t pmif_frame_refusal(uint8_t *out, size_t cap, uint64_t channel, enum pmif_refusal why,
                          const char *text)
{
	size_t tlen = strlen(text);

	if (cap < PMIF_FRAME_HEADER + 1)
		return 0;
	if (tlen > cap - PMIF_FRAME_HEADER - 1)
		tlen = cap - PMIF_FRAME_HEADER - 1;
	pmif_frame_header(out, PMIF_FRAME_REFUSED, channel, 0);
	out[PMIF_FRAME_HEADER] = (uint8_t)why;
	memcpy(out + PMIF_FRAME_HEADER + 1, text, tlen);
	return PMIF_FRAME_HEADER + 1 + tlen;
}

void pmif_key_fingerprint(const uint8_t pub[32], char out[PMIF_FINGERPRINT_LEN])
{
	unsigned char digest[32];
	unsigned char b64[48];
	unsigned int dlen = 0;
	int n;

	EVP_Digest(pub, 32, digest, &dlen, EVP_sha256(), NULL);
	n = EVP_EncodeBlock(b64, digest, 32); /* 44 chars, one '=' of padding */
	while (n > 0 && b64[n - 1] == '=')
		n--;
	memcpy(out, "SHA256:", 7);
	memcpy(out + 7, b64, (size_t)n);
	out[7 + n] = '\0';
}
