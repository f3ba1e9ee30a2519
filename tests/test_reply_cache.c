/*
 * test_reply_cache.c - tests for server/reply_cache.c: an answer is given
 * back only for the same method, caller, request and snapshot, within its
 * time; the byte budget holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "reply_cache.h"

static const uint8_t body[] = "objective=PO1 period=2022-23-Q4";
static const uint8_t answer[] = "the scorecard, packed";

static struct reply_key key(unsigned method, const char *user, const uint8_t *b, size_t n)
{
	struct reply_key k = {.method = method, .user = user, .body = b, .body_len = n};
	return k;
}

/* 1 and the bytes equal to @p want when there is a hit. */
static int lookup(struct reply_cache *c, const struct reply_key *k, uint64_t txnid, uint64_t now,
                  const uint8_t *want, size_t want_len)
{
	uint8_t *got = NULL;
	size_t len = 0;
	int hit = reply_cache_get(c, k, txnid, now, &got, &len);

	if (hit) {
		assert_int_equal(len, want_len);
		assert_memory_equal(got, want, len);
		free(got);
	}
	return hit;
}

static void test_hit_only_for_the_same_everything(void **state)
{
	struct reply_cache *c;
	struct reply_key k = key(7, "mona", body, sizeof(body));
	struct reply_key other_user = key(7, "max", body, sizeof(body));
	struct reply_key other_method = key(8, "mona", body, sizeof(body));
	struct reply_key other_body = key(7, "mona", body, sizeof(body) - 2);
	uint64_t hits, misses;

	(void)state;
	assert_int_equal(reply_cache_new(1 << 20, 60, &c), 0);
	assert_false(lookup(c, &k, 41, 1000, answer, sizeof(answer)));
	reply_cache_put(c, &k, 41, 1000, answer, sizeof(answer));
	assert_true(lookup(c, &k, 41, 1000, answer, sizeof(answer)));
	assert_true(lookup(c, &k, 41, 1059, answer, sizeof(answer)));
	/* a commit since (snapshot 42): the answer may be different */
	assert_false(lookup(c, &k, 42, 1001, answer, sizeof(answer)));
	/* too old, though nothing changed */
	assert_false(lookup(c, &k, 41, 1060, answer, sizeof(answer)));
	assert_false(lookup(c, &other_user, 41, 1000, answer, sizeof(answer)));
	assert_false(lookup(c, &other_method, 41, 1000, answer, sizeof(answer)));
	assert_false(lookup(c, &other_body, 41, 1000, answer, sizeof(answer)));
	reply_cache_stats(c, &hits, &misses);
	assert_int_equal(hits, 2);
	assert_int_equal(misses, 6);
	reply_cache_free(c);
}

static void test_newer_answer_replaces(void **state)
{
	static const uint8_t newer[] = "the scorecard after the update";
	struct reply_cache *c;
	struct reply_key k = key(7, "mona", body, sizeof(body));

	(void)state;
	assert_int_equal(reply_cache_new(1 << 20, 60, &c), 0);
	reply_cache_put(c, &k, 41, 1000, answer, sizeof(answer));
	reply_cache_put(c, &k, 42, 1001, newer, sizeof(newer));
	assert_true(lookup(c, &k, 42, 1001, newer, sizeof(newer)));
	assert_false(lookup(c, &k, 41, 1001, answer, sizeof(answer)));
	reply_cache_free(c);
}

static void test_budget(void **state)
{
	struct reply_cache *c;
	uint8_t *big = calloc(1, 40000);
	char user[16];
	int kept = 0;

	(void)state;
	assert_non_null(big);
	/* 256 KiB in all: one answer may take an eighth, 32 KiB */
	assert_int_equal(reply_cache_new(256 * 1024, 60, &c), 0);
	{
		struct reply_key k = key(1, "mona", body, sizeof(body));
		reply_cache_put(c, &k, 5, 100, big, 40000);
		assert_false(lookup(c, &k, 5, 100, big, 40000));
	}
	/* many 20 KB answers of one snapshot: only as many as fit are kept */
	for (int i = 0; i < 40; i++) {
		struct reply_key k = key(1, user, body, sizeof(body));
		snprintf(user, sizeof(user), "user%d", i);
		reply_cache_put(c, &k, 5, 100, big, 20000);
	}
	for (int i = 0; i < 40; i++) {
		struct reply_key k = key(1, user, body, sizeof(body));
		snprintf(user, sizeof(user), "user%d", i);
		kept += lookup(c, &k, 5, 100, big, 20000);
	}
	assert_true(kept > 0 && kept <= 13);
	/* a newer snapshot's answers push the stale ones out */
	for (int i = 0; i < 10; i++) {
		struct reply_key k = key(2, user, body, sizeof(body));
		snprintf(user, sizeof(user), "new%d", i);
		reply_cache_put(c, &k, 6, 101, big, 20000);
	}
	kept = 0;
	for (int i = 0; i < 10; i++) {
		struct reply_key k = key(2, user, body, sizeof(body));
		snprintf(user, sizeof(user), "new%d", i);
		kept += lookup(c, &k, 6, 101, big, 20000);
	}
	assert_true(kept >= 9); /* two keys may share a slot */
	reply_cache_free(c);
	free(big);
}

static void test_off(void **state)
{
	struct reply_cache *c = (struct reply_cache *)&c;
	struct reply_key k = key(7, "mona", body, sizeof(body));
	uint8_t *got = NULL;
	size_t len = 0;

	(void)state;
	assert_int_equal(reply_cache_new(0, 60, &c), 0);
	assert_null(c);
	reply_cache_put(c, &k, 1, 1, answer, sizeof(answer));
	assert_int_equal(reply_cache_get(c, &k, 1, 1, &got, &len), 0);
	reply_cache_free(c);
}

/* A reload's new budget: 0 drops everything and keeps nothing more; a
 * budget again keeps answers again. */
static void test_set_limit(void **state)
{
	struct reply_cache *c;
	struct reply_key k = key(7, "mona", body, sizeof(body));

	(void)state;
	assert_int_equal(reply_cache_new(1 << 20, 60, &c), 0);
	reply_cache_put(c, &k, 1, 1, answer, sizeof(answer));
	assert_int_equal(lookup(c, &k, 1, 1, answer, sizeof(answer)), 1);
	reply_cache_set_limit(c, 0);
	assert_int_equal(lookup(c, &k, 1, 1, answer, sizeof(answer)), 0);
	reply_cache_put(c, &k, 1, 1, answer, sizeof(answer));
	assert_int_equal(lookup(c, &k, 1, 1, answer, sizeof(answer)), 0);
	reply_cache_set_limit(c, 1 << 20);
	reply_cache_put(c, &k, 1, 1, answer, sizeof(answer));
	assert_int_equal(lookup(c, &k, 1, 1, answer, sizeof(answer)), 1);
	reply_cache_set_limit(NULL, 0); /* safe on NULL */
	reply_cache_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_hit_only_for_the_same_everything),
	    cmocka_unit_test(test_newer_answer_replaces),
	    cmocka_unit_test(test_budget),
	    cmocka_unit_test(test_off),
	    cmocka_unit_test(test_set_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
