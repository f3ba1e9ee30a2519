/*
 * test_channels.c - tests for server/channels.c, the table of open Noise
 * channels: lookup, the replay rule, idle expiry and eviction.
 *
 * The client's side is played by pmif_frame_seal() with the channel's
 * receive key; time is a made-up clock passed to every call.
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

#include "channels.h"
#include "error.h"
#include "frame.h"

#define T0 1000000

/* One channel as both ends know it. */
struct peer {
	struct pmif_noise_cipher rx, tx; /* the server's view */
	uint8_t h[32];
	uint64_t id;
};

static void peer_new(struct peer *p, uint64_t first_nonce)
{
	memset(p, 0, sizeof(*p));
	p->rx.has_key = p->tx.has_key = 1;
	p->rx.n = first_nonce;
	assert_int_equal(RAND_bytes(p->rx.k, 32), 1);
	assert_int_equal(RAND_bytes(p->tx.k, 32), 1);
	assert_int_equal(RAND_bytes(p->h, 32), 1);
}

static void peer_add(struct channels *t, struct peer *p, uint64_t now)
{
	p->id = 0;
	assert_int_equal(channels_add(t, &p->rx, &p->tx, p->h, now, &p->id), 0);
	assert_int_not_equal(p->id, 0);
}

/* A sealed frame from the client of @p p, with its decoded view. */
struct sent {
	uint8_t buf[256];
	size_t len;
	struct pmif_frame f;
	char text[64];
};

static void send_frame(const struct peer *p, uint64_t channel, uint64_t nonce, struct sent *s)
{
	snprintf(s->text, sizeof(s->text), "request %llu", (unsigned long long)nonce);
	assert_int_equal(pmif_frame_seal(&p->rx, channel, nonce, (const uint8_t *)s->text,
	                                 strlen(s->text), s->buf, sizeof(s->buf), &s->len),
	                 0);
	assert_int_equal(pmif_frame_decode(s->buf, s->len, &s->f), 0);
}

/* channels_open_frame() for @p s; on success checks the plaintext. */
static int deliver(struct channels *t, struct sent *s, uint64_t now, struct channel_grant *g)
{
	uint8_t pt[256];
	size_t ptlen = 0;
	struct channel_grant local;
	int rc;

	if (g == NULL)
		g = &local;
	rc = channels_open_frame(t, &s->f, now, pt, sizeof(pt), &ptlen, g);
	if (rc == 0) {
		assert_int_equal(ptlen, strlen(s->text));
		assert_memory_equal(pt, s->text, ptlen);
	}
	return rc;
}

static int send_and_deliver(struct channels *t, const struct peer *p, uint64_t nonce, uint64_t now)
{
	struct sent s;

	send_frame(p, p->id, nonce, &s);
	return deliver(t, &s, now, NULL);
}

/* ---- tests ------------------------------------------------------------ */

static void test_add_and_open(void **state)
{
	struct channels *t = NULL;
	struct peer a, b;
	struct sent s;
	struct channel_grant g;

	(void)state;
	assert_int_equal(channels_new(8, 600, &t), 0);
	assert_int_equal(channels_count(t), 0);
	peer_new(&a, 0);
	peer_new(&b, 0);
	a.tx.n = 5;
	peer_add(t, &a, T0);
	peer_add(t, &b, T0);
	assert_int_not_equal(a.id, b.id);
	assert_int_equal(channels_count(t), 2);

	send_frame(&a, a.id, 0, &s);
	memset(&g, 0, sizeof(g));
	assert_int_equal(deliver(t, &s, T0 + 1, &g), 0);
	assert_true(g.id == a.id);
	assert_memory_equal(g.binding, a.h, 32);
	assert_memory_equal(g.tx.k, a.tx.k, 32);
	/* each reply gets the next transmit nonce */
	assert_int_equal(g.tx_nonce, 5);
	send_frame(&a, a.id, 1, &s);
	assert_int_equal(deliver(t, &s, T0 + 2, &g), 0);
	assert_int_equal(g.tx_nonce, 6);

	/* b's frames are b's: its own binding and key */
	send_frame(&b, b.id, 0, &s);
	assert_int_equal(deliver(t, &s, T0 + 2, &g), 0);
	assert_true(g.id == b.id);
	assert_memory_equal(g.binding, b.h, 32);
	assert_int_equal(g.tx_nonce, 0);
	/* a frame sealed by a but sent on b's channel fails authentication */
	send_frame(&a, b.id, 7, &s);
	assert_int_equal(deliver(t, &s, T0 + 3, NULL), PMIF_EAUTH);
	channels_free(t);
	channels_free(NULL);
}

static void test_replay(void **state)
{
	struct channels *t = NULL;
	struct peer a;
	struct sent s0, s5;

	(void)state;
	assert_int_equal(channels_new(4, 600, &t), 0);
	peer_new(&a, 0);
	peer_add(t, &a, T0);

	send_frame(&a, a.id, 0, &s0);
	assert_int_equal(deliver(t, &s0, T0, NULL), 0);
	/* the same frame again */
	assert_int_equal(deliver(t, &s0, T0, NULL), PMIF_EREPLAY);
	/* skipping ahead is fine */
	send_frame(&a, a.id, 5, &s5);
	assert_int_equal(deliver(t, &s5, T0, NULL), 0);
	assert_int_equal(deliver(t, &s5, T0, NULL), PMIF_EREPLAY);
	/* anything below the highest accepted is refused, even unseen ones */
	for (uint64_t n = 0; n <= 5; n++)
		assert_int_equal(send_and_deliver(t, &a, n, T0), PMIF_EREPLAY);
	assert_int_equal(send_and_deliver(t, &a, 6, T0), 0);
	assert_int_equal(send_and_deliver(t, &a, 1000, T0), 0);
	assert_int_equal(send_and_deliver(t, &a, 999, T0), PMIF_EREPLAY);
	channels_free(t);
}

static void test_first_nonce_from_handshake(void **state)
{
	struct channels *t = NULL;
	struct peer a;

	(void)state;
	assert_int_equal(channels_new(4, 600, &t), 0);
	/* the channel starts where the handshake left the receive cipher */
	peer_new(&a, 3);
	peer_add(t, &a, T0);
	assert_int_equal(send_and_deliver(t, &a, 2, T0), PMIF_EREPLAY);
	assert_int_equal(send_and_deliver(t, &a, 3, T0), 0);
	channels_free(t);
}

static void test_altered_frame_does_not_advance(void **state)
{
	struct channels *t = NULL;
	struct peer a;
	struct sent s;

	(void)state;
	assert_int_equal(channels_new(4, 600, &t), 0);
	peer_new(&a, 0);
	peer_add(t, &a, T0);

	/* an altered frame far ahead must not move the window to it */
	send_frame(&a, a.id, 100, &s);
	s.buf[s.len - 1] ^= 1;
	assert_int_equal(deliver(t, &s, T0, NULL), PMIF_EAUTH);
	assert_int_equal(send_and_deliver(t, &a, 1, T0), 0);
	/* nor an altered frame with the next nonce */
	send_frame(&a, a.id, 2, &s);
	s.buf[PMIF_FRAME_HEADER] ^= 0x40;
	assert_int_equal(deliver(t, &s, T0, NULL), PMIF_EAUTH);
	s.buf[PMIF_FRAME_HEADER] ^= 0x40;
	assert_int_equal(deliver(t, &s, T0, NULL), 0);
	/* a frame too big for the caller's buffer changes nothing either */
	{
		uint8_t pt[4];
		size_t n;
		struct channel_grant g;

		send_frame(&a, a.id, 3, &s);
		assert_int_equal(channels_open_frame(t, &s.f, T0, pt, sizeof(pt), &n, &g),
		                 PMIF_ETOOBIG);
		assert_int_equal(deliver(t, &s, T0, NULL), 0);
	}
	/* nor does an altered frame refresh the idle clock */
	send_frame(&a, a.id, 10, &s);
	s.buf[s.len - 1] ^= 1;
	assert_int_equal(deliver(t, &s, T0 + 500, NULL), PMIF_EAUTH);
	assert_int_equal(send_and_deliver(t, &a, 11, T0 + 601), PMIF_ENOTFOUND);
	channels_free(t);
}

static void test_unknown_id(void **state)
{
	struct channels *t = NULL;
	struct peer a;
	struct sent s;

	(void)state;
	assert_int_equal(channels_new(4, 600, &t), 0);
	peer_new(&a, 0);
	peer_add(t, &a, T0);
	/* the right slot with the wrong random part */
	send_frame(&a, a.id ^ (1ull << 40), 0, &s);
	assert_int_equal(deliver(t, &s, T0, NULL), PMIF_ENOTFOUND);
	/* a slot that is not in use, and one beyond the table */
	send_frame(&a, (a.id & ~0xffffull) | ((a.id + 1) & 0xffff), 0, &s);
	assert_int_equal(deliver(t, &s, T0, NULL), PMIF_ENOTFOUND);
	send_frame(&a, 0xffff, 0, &s);
	assert_int_equal(deliver(t, &s, T0, NULL), PMIF_ENOTFOUND);
	send_frame(&a, 0, 0, &s);
	assert_int_equal(deliver(t, &s, T0, NULL), PMIF_ENOTFOUND);
	/* the channel itself is unharmed */
	assert_int_equal(send_and_deliver(t, &a, 0, T0), 0);
	channels_free(t);
}

static void test_idle_expiry(void **state)
{
	struct channels *t = NULL;
	struct peer a, b;

	(void)state;
	assert_int_equal(channels_new(4, 600, &t), 0);
	peer_new(&a, 0);
	peer_new(&b, 0);
	peer_add(t, &a, T0);
	peer_add(t, &b, T0);
	/* use keeps a channel alive: 600 s after the last use is still fine */
	assert_int_equal(send_and_deliver(t, &a, 0, T0 + 500), 0);
	assert_int_equal(send_and_deliver(t, &a, 1, T0 + 1100), 0);
	/* b was not used for more than 600 s */
	assert_int_equal(send_and_deliver(t, &b, 0, T0 + 601), PMIF_ENOTFOUND);
	assert_int_equal(channels_count(t), 1);
	/* and stays gone */
	assert_int_equal(send_and_deliver(t, &b, 1, T0 + 602), PMIF_ENOTFOUND);
	assert_int_equal(send_and_deliver(t, &a, 2, T0 + 1701), PMIF_ENOTFOUND);
	assert_int_equal(channels_count(t), 0);
	channels_free(t);
}

static void test_full_table_evicts_lru(void **state)
{
	struct channels *t = NULL;
	struct peer p[5];

	(void)state;
	assert_int_equal(channels_new(4, 3600, &t), 0);
	for (int i = 0; i < 4; i++) {
		peer_new(&p[i], 0);
		peer_add(t, &p[i], T0 + (uint64_t)i);
	}
	assert_int_equal(channels_count(t), 4);
	/* channel 0 is used again, so 1 is now the least recently used */
	assert_int_equal(send_and_deliver(t, &p[0], 0, T0 + 10), 0);
	peer_new(&p[4], 0);
	peer_add(t, &p[4], T0 + 11);
	assert_int_equal(channels_count(t), 4);
	assert_int_equal(send_and_deliver(t, &p[1], 0, T0 + 12), PMIF_ENOTFOUND);
	assert_int_equal(send_and_deliver(t, &p[0], 1, T0 + 12), 0);
	assert_int_equal(send_and_deliver(t, &p[2], 0, T0 + 12), 0);
	assert_int_equal(send_and_deliver(t, &p[3], 0, T0 + 12), 0);
	assert_int_equal(send_and_deliver(t, &p[4], 0, T0 + 12), 0);
	/* the new channel took the evicted one's slot under a new id */
	assert_int_equal(p[4].id & 0xffff, p[1].id & 0xffff);
	assert_true(p[4].id != p[1].id);
	channels_free(t);
}

static void test_many_channels(void **state)
{
	enum { N = 1000 };
	struct channels *t = NULL;
	struct peer *p = calloc(N, sizeof(*p));

	(void)state;
	assert_non_null(p);
	assert_int_equal(channels_new(N, 600, &t), 0);
	for (int i = 0; i < N; i++) {
		peer_new(&p[i], 0);
		peer_add(t, &p[i], T0);
	}
	assert_int_equal(channels_count(t), N);
	for (int i = 0; i < N; i++)
		for (int k = i + 1; k < i + 5 && k < N; k++)
			assert_true(p[i].id != p[k].id);
	for (int i = N - 1; i >= 0; i -= 7)
		assert_int_equal(send_and_deliver(t, &p[i], 0, T0 + 1), 0);
	channels_free(t);
	free(p);
}

static void test_garbage(void **state)
{
	struct channels *t = NULL;
	struct peer a;
	uint8_t buf[300], pt[300];

	(void)state;
	assert_int_equal(channels_new(4, 600, &t), 0);
	peer_new(&a, 0);
	peer_add(t, &a, T0);
	srand(77);
	for (int i = 0; i < 3000; i++) {
		size_t len = PMIF_FRAME_HEADER + (size_t)rand() % (sizeof(buf) - PMIF_FRAME_HEADER);
		struct pmif_frame f;
		struct channel_grant g;
		size_t n;
		int rc;

		for (size_t k = 0; k < len; k++)
			buf[k] = (uint8_t)rand();
		/* aimed at the real channel with a fresh nonce, or anywhere */
		pmif_frame_header(buf, PMIF_FRAME_DATA, i % 2 ? a.id : (uint64_t)rand(),
		                  (uint64_t)(i + 1));
		assert_int_equal(pmif_frame_decode(buf, len, &f), 0);
		rc = channels_open_frame(t, &f, T0, pt, sizeof(pt), &n, &g);
		assert_int_not_equal(rc, 0);
	}
	/* none of it moved the replay window: nonce 1 still opens */
	assert_int_equal(send_and_deliver(t, &a, 1, T0), 0);
	/* a HELLO on a data channel, and the reserved nonce */
	{
		struct sent s;
		send_frame(&a, a.id, 2, &s);
		s.f.type = PMIF_FRAME_HELLO;
		assert_int_not_equal(deliver(t, &s, T0, NULL), 0);
		s.f.type = PMIF_FRAME_DATA;
		s.f.nonce = UINT64_MAX;
		assert_int_equal(deliver(t, &s, T0, NULL), PMIF_EREPLAY);
	}
	assert_int_equal(send_and_deliver(t, &a, 2, T0), 0);
	channels_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_add_and_open),
	    cmocka_unit_test(test_replay),
	    cmocka_unit_test(test_first_nonce_from_handshake),
	    cmocka_unit_test(test_altered_frame_does_not_advance),
	    cmocka_unit_test(test_unknown_id),
	    cmocka_unit_test(test_idle_expiry),
	    cmocka_unit_test(test_full_table_evicts_lru),
	    cmocka_unit_test(test_many_channels),
	    cmocka_unit_test(test_garbage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
