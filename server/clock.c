/*
 * clock.c - wall-clock seconds and monotonic intervals (see clock.h).
 */
#include "clock.h"

uint64_t clock_now(void)
{
	return (uint64_t)time(NULL);
}

long long clock_usec_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (long long)(t1.tv_sec - t0->tv_sec) * 1000000 + (t1.tv_nsec - t0->tv_nsec) / 1000;
}
