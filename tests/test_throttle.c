/*
 * test_throttle.c - tests for server/throttle.c, the login throttle: the
 * window, the exponential delay, a success resetting it, names that share
 * a slot, and the table kept in DIR/throttle.map across a restart.
 *
 * Each test has a throttle of its own and a made-up clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "fixture_store.h"
#include "throttle.h"

#define T0 1700000000ull

static int setup(void **state)
{
	struct throttle *t;

	assert_int_equal(throttle_new(0, &t), 0);
	*state = t;
	return 0;
}

static int teardown(void **state)
{
	throttle_free(*state);
	return 0;
}

static void test_throttle_window(void **state)
{
	const char *u = "window-user";
	struct throttle *t = *state;

	/* successful checks never fill the window (issue 17: the 11th good
	 * login within the window was refused) */
	for (uint64_t i = 0; i < 3 * THROTTLE_CHECKS; i++) {
		assert_int_equal(throttle_wait(t, u, T0 + i), 0);
		throttle_record(t, u, 1, T0 + i);
	}
	assert_int_equal(throttle_wait(t, u, T0 + 100), 0);
	/* another name is not affected */
	assert_int_equal(throttle_wait(t, "window-other", T0 + 10), 0);
}

static void test_throttle_failures_exponential(void **state)
{
	/* checks far apart, so only the failure delay counts */
	static const unsigned expect[] = {0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60};
	const char *u = "failing-user";
	struct throttle *t = *state;

	for (size_t i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
		uint64_t now = T0 + i * 1000;

		assert_int_equal(throttle_wait(t, u, now), 0);
		throttle_record(t, u, 0, now);
		assert_int_equal(throttle_wait(t, u, now), expect[i]);
		if (expect[i])
			assert_int_equal(throttle_wait(t, u, now + expect[i] - 1), 1);
		assert_int_equal(throttle_wait(t, u, now + expect[i]), 0);
	}
}

static void test_throttle_success_resets(void **state)
{
	const char *u = "resetting-user";
	struct throttle *t = *state;

	for (uint64_t i = 0; i < 5; i++)
		throttle_record(t, u, 0, T0 + i * 1000);
	assert_int_equal(throttle_wait(t, u, T0 + 4000), 4);
	throttle_record(t, u, 1, T0 + 5000);
	assert_int_equal(throttle_wait(t, u, T0 + 5000), 0);
	/* the count starts again: two more failures still cost nothing */
	throttle_record(t, u, 0, T0 + 6000);
	throttle_record(t, u, 0, T0 + 7000);
	assert_int_equal(throttle_wait(t, u, T0 + 7000), 0);
	throttle_record(t, u, 0, T0 + 8000);
	assert_int_equal(throttle_wait(t, u, T0 + 8000), 1);
}

/* FNV-1a modulo the table size, as throttle.c slots names; used only to find
 * names that share a slot. */
static unsigned slot_of(const char *name)
{
	uint32_t h = 2166136261u;

	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h % THROTTLE_SLOTS;
}

/* A name that shares @p name's slot. */
static void colliding_name(const char *name, char *out, size_t cap)
{
	unsigned want = slot_of(name);

	for (unsigned i = 0;; i++) {
		snprintf(out, cap, "collider-%u", i);
		if (slot_of(out) == want && strcmp(out, name) != 0)
			return;
	}
}

static void test_throttle_collisions_no_crash(void **state)
{
	char other[64], long_name[5000];
	const char *u = "collide-a";
	struct throttle *t = *state;

	colliding_name(u, other, sizeof(other));
	for (uint64_t i = 0; i < 200; i++) {
		const char *n = i % 3 ? u : other;
		unsigned w = throttle_wait(t, n, T0 + i);

		assert_true(w <= 300);
		throttle_record(t, n, (int)(i % 5 == 0), T0 + i);
	}
	/* empty, long and non-ASCII names are names like any other */
	memset(long_name, 'z', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	assert_int_equal(throttle_wait(t, long_name, T0), 0);
	throttle_record(t, long_name, 0, T0);
	assert_int_equal(throttle_wait(t, "", T0), 0);
	throttle_record(t, "", 0, T0);
	assert_int_equal(throttle_wait(t, "\xff\xfe\x80", T0), 0);
	throttle_record(t, "\xff\xfe\x80", 0, T0);
}

/*
 * Throttling is per user name: what happens to another name must not wipe
 * a user's record.  throttle.c's entry_for() once resets the slot whenever a
 * different name hashes to it, so an attacker who alternates guesses for
 * "admin" with guesses for a name in the same slot (1 in THROTTLE_SLOTS names) is
 * never delayed at all.
 */
static void test_throttle_collision_keeps_delay(void **state)
{
	char other[64];
	const char *victim = "collide-victim";
	uint64_t now = T0 + 50000;
	struct throttle *t = *state;

	colliding_name(victim, other, sizeof(other));
	for (int i = 0; i < 5; i++)
		throttle_record(t, victim, 0, now);
	assert_int_equal(throttle_wait(t, victim, now), 4);
	/* a guess for the other name, one second later (whether that name
	 * is delayed too is not the point here) */
	(void)throttle_wait(t, other, now + 1);
	throttle_record(t, other, 0, now + 1);
	/* the victim's delay is still there */
	assert_true(throttle_wait(t, victim, now + 1) > 0);
}

/* A hold-off outlives the process: the table is kept in DIR/throttle.map. */
static void test_throttle_kept_in_file(void **state)
{
	struct fixture_store d;
	struct throttle *t = *state, *again;
	const char *u = "restarting-user";

	fixture_dir_make(&d, "throttle");
	assert_int_equal(throttle_open(t, d.dir), 0);
	for (uint64_t i = 0; i < 5; i++)
		throttle_record(t, u, 0, T0 + i * 1000);
	assert_int_equal(throttle_wait(t, u, T0 + 4000), 4);
	assert_int_equal(throttle_new(0, &again), 0);
	assert_int_equal(throttle_open(again, d.dir), 0);
	assert_int_equal(throttle_wait(again, u, T0 + 4000), 4);
	throttle_free(again);
	/* a directory that cannot hold the file: the throttle stays in memory */
	assert_int_equal(throttle_open(t, "/nonexistent/pmif"), PMIF_EIO);
	fixture_store_remove(&d);
}

/* A reload changes the window of the throttle it is given. */
static void test_throttle_set_window(void **state)
{
	struct throttle *t = *state;
	const char *u = "window-change";

	for (uint64_t i = 0; i < THROTTLE_CHECKS; i++)
		throttle_record(t, u, 0, T0 + i * 10);
	/* the delay has passed; the window (300 s) still holds the failures */
	assert_int_equal(throttle_wait(t, u, T0 + 200), 100);
	throttle_set_window(t, 1);
	assert_int_equal(throttle_wait(t, u, T0 + 200), 0);
	throttle_set_window(t, 0); /* no change */
	assert_int_equal(throttle_wait(t, u, T0 + 200), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_throttle_window, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_throttle_failures_exponential, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_throttle_success_resets, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_throttle_collisions_no_crash, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_throttle_collision_keeps_delay, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_throttle_kept_in_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_throttle_set_window, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
