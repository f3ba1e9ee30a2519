/*
 * test_arena.c - request-scoped memory (server/arena.c): zeroed, aligned
 * allocations, the byte limit, and growing arrays with arena_regrow.
 */
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "arena.h"

static void test_alloc_zeroed_aligned(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 0);
	for (size_t n = 1; n < 5000; n += 97) {
		unsigned char *p = arena_alloc(&a, n);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
		for (size_t i = 0; i < n; i++)
			assert_int_equal(p[i], 0);
		memset(p, 0xab, n);
	}
	assert_string_equal(arena_printf(&a, "%s-%d", "q", 3), "q-3");
	assert_null(arena_strdup(&a, NULL));
	arena_release(&a);
}

static void test_limit(void **state)
{
	struct arena a;

	(void)state;
	arena_init(&a, 1000);
	assert_non_null(arena_alloc(&a, 600));
	assert_null(arena_alloc(&a, 600)); /* over the limit */
	assert_non_null(arena_alloc(&a, 100));
	arena_release(&a);
}

static void test_regrow(void **state)
{
	struct arena a;
	uint32_t *arr = NULL;
	size_t n = 0, cap = 0;

	(void)state;
	arena_init(&a, 0);
	for (uint32_t i = 0; i < 1000; i++) {
		if (n == cap) {
			size_t grown_cap = arena_next_cap(cap, 16);
			uint32_t *grown = arena_regrow(&a, arr, n, grown_cap, sizeof(*grown));
			assert_non_null(grown);
			for (size_t j = n; j < grown_cap; j++)
				assert_int_equal(grown[j], 0); /* the new tail is zeroed */
			arr = grown, cap = grown_cap;
		}
		arr[n++] = i * 7;
	}
	assert_int_equal(cap, 1024); /* 16, 32, ... 1024 */
	for (uint32_t i = 0; i < 1000; i++)
		assert_int_equal(arr[i], i * 7);
	/* a capacity below the count, or one whose bytes overflow, is refused */
	assert_null(arena_regrow(&a, arr, n, n - 1, sizeof(*arr)));
	assert_null(arena_regrow(&a, arr, n, SIZE_MAX / 2, sizeof(*arr)));
	assert_int_equal(arena_next_cap(0, 8), 8);
	assert_int_equal(arena_next_cap(8, 16), 16);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alloc_zeroed_aligned),
	    cmocka_unit_test(test_limit),
	    cmocka_unit_test(test_regrow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
