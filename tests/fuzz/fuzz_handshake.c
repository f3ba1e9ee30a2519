/*
 * fuzz_handshake.c - libFuzzer target for the Noise_NX handshake as pmifd
 * and pmif drive it (server/serve.c handle_hello, client/conn.c
 * handshake).
 *
 * The first input byte picks the mode (modulo 4), the rest is the message:
 *
 *   0  server: the responder (fixed static and ephemeral keys) reads the
 *      bytes as NX message 1, writes message 2 and splits.
 *   1  client: the initiator writes message 1 with the fixed ephemeral,
 *      then reads the bytes as message 2; on success it learns a static
 *      key, fingerprints it as conn.c does, and splits.
 *   2  client, frame layer: the bytes are the server's answer to HELLO;
 *      decoded as conn.c does, a REFUSED frame's reason and text are read
 *      and a WELCOME frame's payload goes to the initiator as in mode 1.
 *   3  server, frame layer: the bytes are a frame as pmifd receives it;
 *      a HELLO of the right size is answered as handle_hello does, with
 *      the channel stored in a (small, long-lived) channel table and a
 *      WELCOME frame built.
 *
 * Whenever the message 1 the server reads is exactly the one the fixed
 * client ephemeral makes, the client reads the server's message 2 as
 * well: both must finish, agree on the handshake hash and on crossed
 * transport keys, and the client must learn the fixed server key.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channels.h"
#include "error.h"
#include "fixtures.h"
#include "frame.h"
#include "noise.h"

static struct channels *table;
static uint8_t server_pub[32];
static uint8_t client_msg1[32];

static struct pmif_noise_handshake *responder(void)
{
	struct pmif_noise_handshake *hs = NULL;

	FUZZ_CHECK(pmif_noise_handshake_new(&hs, PMIF_NOISE_NX, 0,
	                                    (const uint8_t *)PMIF_NOISE_PROLOGUE,
	                                    strlen(PMIF_NOISE_PROLOGUE), fuzz_server_static_priv,
	                                    NULL, fuzz_server_ephemeral_priv) == 0);
	return hs;
}

/* A client that has written its message 1 (always client_msg1). */
static struct pmif_noise_handshake *initiator(void)
{
	struct pmif_noise_handshake *hs = NULL;
	uint8_t out[64];
	size_t n;

	FUZZ_CHECK(pmif_noise_handshake_new(
	               &hs, PMIF_NOISE_NX, 1, (const uint8_t *)PMIF_NOISE_PROLOGUE,
	               strlen(PMIF_NOISE_PROLOGUE), NULL, NULL, fuzz_client_ephemeral_priv) == 0);
	FUZZ_CHECK(pmif_noise_handshake_write(hs, NULL, 0, out, sizeof(out), &n) == 0);
	FUZZ_CHECK(n == 32 && memcmp(out, client_msg1, 32) == 0);
	return hs;
}

/* The client reads @p msg as message 2, as conn.c does.  Returns 0 and
 * the client's view of the channel when it is accepted. */
static int client_read(const uint8_t *msg, size_t len, struct pmif_noise_cipher *tx,
                       struct pmif_noise_cipher *rx, uint8_t h[32], uint8_t rs[32])
{
	struct pmif_noise_handshake *hs = initiator();
	char fp[PMIF_FINGERPRINT_LEN];
	size_t n = 0;
	int rc;

	rc = pmif_noise_handshake_read(hs, msg, len, NULL, 0, &n);
	if (rc == 0) {
		FUZZ_CHECK(n == 0 && pmif_noise_handshake_done(hs));
		FUZZ_CHECK(pmif_noise_handshake_remote_static(hs, rs) == 0);
		pmif_key_fingerprint(rs, fp);
		FUZZ_CHECK(strlen(fp) == 50);
		FUZZ_CHECK(pmif_noise_handshake_split(hs, tx, rx, h) == 0);
		/* a second split or another message is a state error */
		FUZZ_CHECK(pmif_noise_handshake_split(hs, tx, rx, h) == PMIF_ESTATE);
	} else {
		FUZZ_CHECK(rc == PMIF_EINVAL || rc == PMIF_EAUTH || rc == PMIF_ETOOBIG);
		FUZZ_CHECK(!pmif_noise_handshake_done(hs));
		/* a refused message leaves the handshake as it was */
		FUZZ_CHECK(pmif_noise_handshake_remote_static(hs, rs) == PMIF_ESTATE);
	}
	pmif_noise_handshake_free(hs);
	return rc;
}

/* Both sides finished: they must agree. */
static void check_agreement(const uint8_t *msg2, size_t len, const struct pmif_noise_cipher *s_rx,
                            const struct pmif_noise_cipher *s_tx, const uint8_t s_h[32])
{
	struct pmif_noise_cipher c_tx, c_rx;
	uint8_t c_h[32], rs[32];

	FUZZ_CHECK(client_read(msg2, len, &c_tx, &c_rx, c_h, rs) == 0);
	FUZZ_CHECK(memcmp(rs, server_pub, 32) == 0);
	FUZZ_CHECK(memcmp(c_h, s_h, 32) == 0);
	FUZZ_CHECK(memcmp(c_tx.k, s_rx->k, 32) == 0 && memcmp(c_rx.k, s_tx->k, 32) == 0);
	FUZZ_CHECK(memcmp(c_tx.k, c_rx.k, 32) != 0);
}

/* The server side of message 1 -> message 2.  Returns 0 with the message
 * in @p out and the new channel's ciphers, as handle_hello gets them. */
static int server_answer(const uint8_t *msg, size_t len, uint8_t *out, size_t cap, size_t *outlen,
                         struct pmif_noise_cipher *rx, struct pmif_noise_cipher *tx, uint8_t h[32])
{
	struct pmif_noise_handshake *hs = responder();
	uint8_t payload[64];
	size_t n = 0;
	int rc;

	/* pmifd reads with no room for a payload; the noise layer allows one */
	rc = pmif_noise_handshake_read(hs, msg, len, payload, len == 32 ? 0 : sizeof(payload), &n);
	if (rc == 0) {
		FUZZ_CHECK(n == len - 32 && !pmif_noise_handshake_done(hs));
		rc = pmif_noise_handshake_write(hs, NULL, 0, out, cap, outlen);
		/* a low-order ephemeral gives no shared secret: refused, not used */
		FUZZ_CHECK(rc == 0 || rc == PMIF_EINVAL);
	} else {
		FUZZ_CHECK(rc == PMIF_EINVAL || rc == PMIF_ETOOBIG);
	}
	if (rc == 0) {
		FUZZ_CHECK(*outlen == 96 && pmif_noise_handshake_done(hs));
		FUZZ_CHECK(pmif_noise_handshake_split(hs, rx, tx, h) == 0);
	}
	pmif_noise_handshake_free(hs);
	return rc;
}

static void mode_server(const uint8_t *msg, size_t len)
{
	struct pmif_noise_cipher rx, tx;
	uint8_t out[128], h[32];
	size_t n;

	if (server_answer(msg, len, out, sizeof(out), &n, &rx, &tx, h) != 0)
		return;
	if (len == 32 && memcmp(msg, client_msg1, 32) == 0)
		check_agreement(out, n, &rx, &tx, h);
}

static void mode_client(const uint8_t *msg, size_t len)
{
	struct pmif_noise_cipher tx, rx;
	uint8_t h[32], rs[32];

	client_read(msg, len, &tx, &rx, h, rs);
}

/* What conn.c's handshake() does with the server's answer to HELLO. */
static void mode_client_frame(const uint8_t *buf, size_t len)
{
	struct pmif_frame f;
	char message[512];

	if (pmif_frame_decode(buf, len, &f) != 0)
		return;
	if (f.type == PMIF_FRAME_REFUSED) {
		int busy = f.len && f.payload[0] == PMIF_REFUSED_BUSY;
		int tlen = (int)(f.len > 1 ? f.len - 1 : 0);
		int n;

		/* conn.c prints "%.*s" of f.payload + 1: stay inside the frame */
		n = snprintf(message, sizeof(message), "refused (%d): %.*s", busy, tlen,
		             f.len > 1 ? (const char *)f.payload + 1 : "");
		FUZZ_CHECK(n >= 0);
	} else if (f.type == PMIF_FRAME_WELCOME) {
		mode_client(f.payload, f.len);
	}
}

/* What serve.c's handle_hello does with a frame. */
static void mode_server_frame(const uint8_t *buf, size_t len)
{
	struct pmif_noise_cipher rx, tx;
	struct pmif_frame f, w;
	uint8_t out[PMIF_FRAME_HEADER + 128], h[32];
	size_t n;
	uint64_t id;

	if (pmif_frame_decode(buf, len, &f) != 0 || f.type != PMIF_FRAME_HELLO)
		return;
	if (f.len != 32)
		return; /* refused as malformed before any crypto */
	if (server_answer(f.payload, f.len, out + PMIF_FRAME_HEADER,
	                  sizeof(out) - PMIF_FRAME_HEADER, &n, &rx, &tx, h) != 0)
		return;
	FUZZ_CHECK(channels_add(table, &rx, &tx, h, 1000, &id) == 0);
	FUZZ_CHECK(id != 0 && channels_count(table) >= 1);
	pmif_frame_header(out, PMIF_FRAME_WELCOME, id, 0);
	FUZZ_CHECK(pmif_frame_decode(out, PMIF_FRAME_HEADER + n, &w) == 0);
	FUZZ_CHECK(w.type == PMIF_FRAME_WELCOME && w.channel == id && w.len == n);
	if (memcmp(f.payload, client_msg1, 32) == 0)
		check_agreement(w.payload, w.len, &rx, &tx, h);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	FUZZ_CHECK(pmif_noise_public_from_private(fuzz_server_static_priv, server_pub) == 0);
	FUZZ_CHECK(pmif_noise_public_from_private(fuzz_client_ephemeral_priv, client_msg1) == 0);
	/* two slots: later handshakes evict the least recently used */
	FUZZ_CHECK(channels_new(2, 3600, &table) == 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] & 3) {
	case 0: mode_server(data + 1, size - 1); break;
	case 1: mode_client(data + 1, size - 1); break;
	case 2: mode_client_frame(data + 1, size - 1); break;
	default: mode_server_frame(data + 1, size - 1); break;
	}
	return 0;
}
