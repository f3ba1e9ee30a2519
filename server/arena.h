/*
 * arena.h - request-scoped memory.
 *
 * Everything a request allocates (unpacked messages, reply messages, text)
 * comes from one arena and is released at once when the request ends, so
 * handlers build protobuf replies without pairing every allocation with a
 * free.  An arena is used by one thread at a time.
 */
#ifndef PMIF_ARENA_H
#define PMIF_ARENA_H

#include <stddef.h>

#include <protobuf-c/protobuf-c.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used;           /* bytes handed out in total, for limits */
	size_t limit;          /* 0: unlimited */
	ProtobufCAllocator pb; /* allocator view for protobuf_c_message_unpack */
};

/** Prepare @p a; @p limit caps the total bytes it hands out (0: none). */
void arena_init(struct arena *a, size_t limit);
/** Release every chunk; @p a may be reused after arena_init. */
void arena_release(struct arena *a);
/** @p n zeroed bytes aligned for any type, or NULL (limit reached or no memory). */
void *arena_alloc(struct arena *a, size_t n);
/** A copy of @p s in the arena (NULL in, NULL out). */
char *arena_strdup(struct arena *a, const char *s);
/** printf into the arena. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** A copy of @p n bytes. */
void *arena_memdup(struct arena *a, const void *p, size_t n);
/**
 * Grow an arena array: a new zeroed array of @p cap elements of @p size
 * bytes holding the first @p n elements of @p old (NULL when @p n is 0).
 * NULL when out of memory, @p old untouched.  Use with arena_next_cap():
 *
 *	if (n == cap) {
 *		size_t grown_cap = arena_next_cap(cap, 16);
 *		T *grown = arena_regrow(a, arr, n, grown_cap, sizeof(*grown));
 *		if (grown == NULL)
 *			return PMIF_ENOMEM;
 *		arr = grown, cap = grown_cap;
 *	}
 */
void *arena_regrow(struct arena *a, const void *old, size_t n, size_t cap, size_t size);

/** The capacity a full array of @p cap grows to: twice it, or @p first. */
static inline size_t arena_next_cap(size_t cap, size_t first)
{
	return cap ? cap * 2 : first;
}

/* Allocate a zeroed object of type T / array of n T. */
#define ARENA_NEW(a, T)      ((T *)arena_alloc((a), sizeof(T)))
#define ARENA_ARRAY(a, T, n) ((T *)arena_alloc((a), sizeof(T) * (n)))

#endif
