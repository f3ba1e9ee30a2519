/*
 * arena.c - bump allocator in growing chunks (see arena.h).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define CHUNK_MIN (16 * 1024)
#define ALIGN     16

struct arena_chunk {
	struct arena_chunk *next;
	size_t size;
	size_t off;
	_Alignas(ALIGN) unsigned char data[];
};

static void *pb_alloc(void *data, size_t size)
{
	return arena_alloc(data, size);
}

static void pb_free(void *data, void *ptr)
{
	(void)data; /* released with the arena */
	(void)ptr;
}

void arena_init(struct arena *a, size_t limit)
{
	a->head = NULL;
	a->used = 0;
	a->limit = limit;
	a->pb.alloc = pb_alloc;
	a->pb.free = pb_free;
	a->pb.allocator_data = a;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used = 0;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	size_t need = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
	void *p;

	if (need < n || (a->limit && a->used + need > a->limit))
		return NULL;
	if (c == NULL || c->size - c->off < need) {
		size_t size = need > CHUNK_MIN ? need : CHUNK_MIN;
		if (c && c->size * 2 > size && c->size < (1u << 20))
			size = c->size * 2;
		c = malloc(sizeof(*c) + size);
		if (c == NULL)
			return NULL;
		c->size = size;
		c->off = 0;
		c->next = a->head;
		a->head = c;
	}
	p = c->data + c->off;
	c->off += need;
	a->used += need;
	memset(p, 0, n);
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_memdup(a, s, strlen(s) + 1) : NULL;
}

void *arena_memdup(struct arena *a, const void *p, size_t n)
{
	void *q = arena_alloc(a, n ? n : 1);

	if (q && n)
		memcpy(q, p, n);
	return q;
}

void *arena_regrow(struct arena *a, const void *old, size_t n, size_t cap, size_t size)
{
	void *q;

	if (cap < n || (size && cap > SIZE_MAX / size))
		return NULL;
	q = arena_alloc(a, cap * size);
	if (q && n)
		memcpy(q, old, n * size);
	return q;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	s = arena_alloc(a, (size_t)n + 1);
	if (s == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}
