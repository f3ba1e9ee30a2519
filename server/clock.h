/*
 * clock.h - the server's two clocks, in one place below every layer that
 * needs the time: wall-clock seconds for what is stored or compared with
 * stored times (sessions, throttle hold-offs, request records), and the
 * monotonic clock for measuring how long something took.
 */
#ifndef PMIF_CLOCK_H
#define PMIF_CLOCK_H

#include <stdint.h>
#include <time.h>

/** Seconds since the epoch (UTC). */
uint64_t clock_now(void);

/** Microseconds of CLOCK_MONOTONIC since @p t0 (taken with
 *  clock_gettime(CLOCK_MONOTONIC)). */
long long clock_usec_since(const struct timespec *t0);

#endif
