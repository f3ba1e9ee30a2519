/*
 * session.h - pmif-web's browser sessions: a bounded table, guarded by
 * one mutex, of opaque random ids (32 bytes from RAND_bytes, as hex in
 * the pmif_session cookie), each holding its user's own channel to pmifd
 * (the pmifd session token, rebind secret and channel keys stay here in
 * memory, never in the browser).  A session ends when idle past pmifd's
 * idle expiry, past pmifd's absolute expiry, at sign-out, or when pmifd
 * says its session is gone.
 *
 * Also the pure checks around it: the cookie's form and the CSRF tokens
 * (MACs of the session id, or of the sign-in form's own cookie, under
 * the run's secret), which the unit test drives with its own clock.
 */
#ifndef PMIF_WEB_SESSION_H
#define PMIF_WEB_SESSION_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "channel.h"

#define SESSION_ID_HEX 64 /* 32 random bytes */

struct web_session {
	char id[SESSION_ID_HEX + 1];
	struct channel ch;    /* the user's channel to pmifd; use it under lock */
	pthread_mutex_t lock; /* one call at a time on the channel */
	unsigned refs;        /* table's own + each request holding it */
	bool ended;           /* out of the table; freed at the last put */
	uint64_t last_used, idle_seconds, absolute_until;
	char user[80];
	int role;               /* Pmif__Role */
	char directorates[256]; /* comma-separated */
};

struct session_table {
	pthread_mutex_t mu;
	struct web_session **slot;
	size_t cap;
};

/** A table of at most @p cap sessions.  0 or PMIF_ENOMEM. */
int session_table_init(struct session_table *t, size_t cap);
/** End every session and free the table. */
void session_table_release(struct session_table *t);

/**
 * A new session, not yet in the table: a fresh random id, refs 1 (the
 * caller's), times from @p now.  The caller fills ch and the user, then
 * session_add()s it.  NULL when out of memory or randomness.
 */
struct web_session *session_new(uint64_t now, uint64_t idle_seconds, uint64_t absolute_until);

/** Put @p s into @p t (the table takes its own reference), sweeping
 *  expired sessions first.  0, or PMIF_EBUSY when every slot is live. */
int session_add(struct session_table *t, struct web_session *s, uint64_t now);

/**
 * The live session whose id is @p id, with a reference for the caller
 * (session_put() it), its idle clock restarted; NULL when there is none
 * or it has expired at @p now (an expired one is ended).
 */
struct web_session *session_get(struct session_table *t, const char *id, uint64_t now);

/** Drop a reference; the last one frees the session (closing its channel). */
void session_put(struct session_table *t, struct web_session *s);

/** Take @p s out of the table (sign-out, or pmifd ended it). */
void session_end(struct session_table *t, struct web_session *s);

/** End every expired session; returns how many. */
size_t session_sweep(struct session_table *t, uint64_t now);

/** Live sessions in the table. */
size_t session_count(struct session_table *t);

/** Has @p s expired at @p now? */
bool session_expired(const struct web_session *s, uint64_t now);

/* ---- pure checks ---- */

/**
 * Is @p value a session id as pmif-web makes them (SESSION_ID_HEX
 * lowercase hex digits, nothing else)?  Copies it to @p out if so.
 */
bool session_cookie_parse(const char *value, char out[SESSION_ID_HEX + 1]);

/** The CSRF token for @p id under @p key and @p purpose ("session",
 *  "login"): hex HMAC-SHA256, 64 characters and a NUL. */
void csrf_token(const uint8_t key[32], const char *purpose, const char *id, char out[65]);

/** Does @p token (may be NULL) match csrf_token(key, purpose, id)?  Constant time. */
bool csrf_check(const uint8_t key[32], const char *purpose, const char *id, const char *token);

/** 32 random bytes as hex into @p out; false without randomness. */
bool random_hex_id(char out[SESSION_ID_HEX + 1]);

#endif
