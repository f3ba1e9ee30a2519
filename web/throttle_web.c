/*
 * throttle_web.c - failed sign-ins per user and per address (see
 * throttle_web.h).
 */
#include <stdio.h>
#include <string.h>

#include "throttle_web.h"

void web_throttle_init(struct web_throttle *t)
{
	memset(t, 0, sizeof(*t));
	pthread_mutex_init(&t->mu, NULL);
}

void web_throttle_release(struct web_throttle *t)
{
	pthread_mutex_destroy(&t->mu);
}

/* The slot for @p key under t->mu: its own, or (with @p make) the emptiest
 * or oldest one made over to it; NULL when absent and not made. */
static struct web_throttle_slot *find(struct web_throttle *t, const char *key, uint64_t now,
                                      bool make)
{
	struct web_throttle_slot *victim = &t->slot[0];

	for (size_t i = 0; i < WEB_THROTTLE_SLOTS; i++) {
		struct web_throttle_slot *s = &t->slot[i];

		if (s->key[0] && strcmp(s->key, key) == 0) {
			if (now >= s->window_start + WEB_THROTTLE_WINDOW) {
				s->window_start = now;
				s->failures = 0;
			}
			return s;
		}
		if (!s->key[0] || s->window_start < victim->window_start)
			victim = s;
		if (!s->key[0])
			break;
	}
	if (!make)
		return NULL;
	snprintf(victim->key, sizeof(victim->key), "%s", key);
	victim->window_start = now;
	victim->failures = 0;
	return victim;
}

static void keys(const char *user, const char *ip, char u[128], char a[128])
{
	snprintf(u, 128, "u:%s", user ? user : "");
	snprintf(a, 128, "a:%s", ip ? ip : "");
}

bool web_throttle_allowed(struct web_throttle *t, const char *user, const char *ip, uint64_t now,
                          unsigned *retry_after)
{
	char uk[128], ak[128];
	struct web_throttle_slot *u, *a;
	uint64_t until = 0;

	keys(user, ip, uk, ak);
	pthread_mutex_lock(&t->mu);
	u = find(t, uk, now, false);
	a = find(t, ak, now, false);
	if (u && u->failures >= WEB_THROTTLE_PER_USER)
		until = u->window_start + WEB_THROTTLE_WINDOW;
	if (a && a->failures >= WEB_THROTTLE_PER_IP &&
	    a->window_start + WEB_THROTTLE_WINDOW > until)
		until = a->window_start + WEB_THROTTLE_WINDOW;
	pthread_mutex_unlock(&t->mu);
	if (until && retry_after)
		*retry_after = (unsigned)(until - now);
	return until == 0;
}

void web_throttle_failed(struct web_throttle *t, const char *user, const char *ip, uint64_t now)
{
	char uk[128], ak[128];
	struct web_throttle_slot *s;

	keys(user, ip, uk, ak);
	pthread_mutex_lock(&t->mu);
	if ((s = find(t, uk, now, true)) != NULL)
		s->failures++;
	if ((s = find(t, ak, now, true)) != NULL)
		s->failures++;
	pthread_mutex_unlock(&t->mu);
}
