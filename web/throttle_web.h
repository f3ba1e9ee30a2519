/*
 * throttle_web.h - pmif-web's own sign-in throttle, in front of pmifd's:
 * failed sign-ins counted per user name and per peer address over a
 * window, so one browser cannot spend pmifd's password checks (and, since
 * every browser reaches pmifd from pmif-web's one address, pmifd could
 * not tell them apart).  A bounded table; the oldest entry gives way.
 * Thread-safe.
 */
#ifndef PMIF_WEB_THROTTLE_H
#define PMIF_WEB_THROTTLE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#define WEB_THROTTLE_WINDOW   300 /* seconds */
#define WEB_THROTTLE_PER_USER 10  /* failures per window per user name */
#define WEB_THROTTLE_PER_IP   30  /* failures per window per address */
#define WEB_THROTTLE_SLOTS    1024

struct web_throttle_slot {
	char key[128]; /* "u:NAME" or "a:ADDRESS" */
	uint64_t window_start;
	unsigned failures;
};

struct web_throttle {
	pthread_mutex_t mu;
	struct web_throttle_slot slot[WEB_THROTTLE_SLOTS];
};

void web_throttle_init(struct web_throttle *t);
void web_throttle_release(struct web_throttle *t);

/** May @p user sign in from @p ip at @p now?  false: wait (*retry_after
 *  seconds, when not NULL). */
bool web_throttle_allowed(struct web_throttle *t, const char *user, const char *ip, uint64_t now,
                          unsigned *retry_after);

/** Count a failed sign-in for @p user and @p ip. */
void web_throttle_failed(struct web_throttle *t, const char *user, const char *ip, uint64_t now);

#endif
