/*
 * dispatch.h - one decrypted request in, one packed reply out.
 *
 * The only place that decodes the envelope and the method's input, looks
 * the method up in the table, authenticates the session, checks the role,
 * answers resent writes from the request-id cache, runs the handler (reads
 * on the calling worker, writes on the writer thread) and audits.
 */
#ifndef PMIF_DISPATCH_H
#define PMIF_DISPATCH_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

#include "store_readers.h"

struct server;

/* A worker's reusable state: its read transaction, registered with the
 * store (reset between requests, never held while idle). */
struct dispatch_worker {
	struct server *srv;
	struct store_reader reader;
};

/** Set up @p w to dispatch for @p srv (registers its reader with
 *  srv->store). */
void dispatch_worker_init(struct dispatch_worker *w, struct server *srv);

/** End @p w's read transaction for good; its memory may then go. */
void dispatch_worker_release(struct dispatch_worker *w);

/* What the request log line says. */
struct dispatch_result {
	const char *method; /* static storage */
	char user[65];
	int code;
	bool cached; /* answered from the reply cache */
};

/* How to answer a request later, from the writer thread: @p send gets the
 * packed reply (NULL when out of memory; the callee must not keep it) and
 * the log facts, once. */
struct dispatch_reply_to {
	void (*send)(void *cookie, const uint8_t *reply, size_t len,
	             const struct dispatch_result *res);
	void *cookie;
};

/**
 * Handle the request @p req (plaintext, @p len bytes, not kept) that
 * arrived on a channel with handshake hash @p binding.
 *
 * Returns 0 when the answer is ready: *reply holds a packed Reply the
 * caller frees with free() (NULL only when out of memory) and @p res the
 * log facts.  Returns 1 when the request was a write handed to the writer
 * with @p later: its reply will come through later->send once the write
 * is durable, and nothing here is set.  With @p later NULL every request
 * is answered before the call returns.
 */
int dispatch_request(struct dispatch_worker *w, const uint8_t binding[32], const uint8_t *req,
                     size_t len, const struct dispatch_reply_to *later, uint8_t **reply,
                     size_t *reply_len, struct dispatch_result *res);

#endif
