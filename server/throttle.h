/*
 * throttle.h - the login throttle: how long a password check for a user
 * name must wait.
 *
 * Per user name, known or not: at most THROTTLE_CHECKS failed password
 * checks per window (default 300 s, --login-window, a reload may change
 * it) and, after three consecutive failures, an exponential delay (1, 2,
 * 4 ... 60 s) before the next check.  Nothing locks an account for good.
 *
 * A throttle is an object: 'pmifd serve' makes one for its run
 * (server_run) and keeps it in DIR/throttle.map so that a restart never
 * clears a hold-off; tests make their own.  Every call is thread-safe.
 */
#ifndef PMIF_THROTTLE_H
#define PMIF_THROTTLE_H

#include <stdint.h>

#define THROTTLE_CHECKS 10

/* Entries in the table (open addressing on the name's FNV-1a hash). */
#define THROTTLE_SLOTS 16384

struct throttle;

/** A throttle in memory counting failures over @p window_seconds (0: 300
 *  s); *out is the caller's, for throttle_free().  0 or PMIF_ENOMEM. */
int throttle_new(unsigned window_seconds, struct throttle **out);

/**
 * Keep @p t in DIR/throttle.map (made if missing, mode 0600) from now on,
 * mapped shared, so a restart or a crash never clears a hold-off: its
 * times are wall-clock seconds, so they hold across processes.  A file
 * of another size or build is started afresh from what @p t holds.
 * PMIF_EIO (errno says why) when the file cannot be made or mapped: @p t
 * then stays in memory.
 */
int throttle_open(struct throttle *t, const char *dir);

/** Write the table back to its file, if any, and free; safe on NULL. */
void throttle_free(struct throttle *t);

/** From now on count failed checks over @p window_seconds (0: no change);
 *  safe while serving. */
void throttle_set_window(struct throttle *t, unsigned window_seconds);

/** 0 if a password check for @p user may run at @p now; otherwise the
 *  number of seconds to wait (> 0).  Does not record anything. */
unsigned throttle_wait(struct throttle *t, const char *user, uint64_t now);

/** Record a password check for @p user at @p now and whether it succeeded. */
void throttle_record(struct throttle *t, const char *user, int ok, uint64_t now);

#endif
