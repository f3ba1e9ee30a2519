/*
 * channel.h - one client's secure channel to pmifd, held in memory: the
 * Noise handshake, the sealed request/reply exchange over a nanomsg REQ
 * socket, and the session (token and rebind secret) it carries.
 *
 * Both clients link this (library pmif_channel): pmif keeps the state in
 * a file between invocations (conn.c, through the save hook), pmif-web
 * keeps one channel per browser session in memory.  There is one copy of
 * the handshake and of the sealing, here.
 *
 * A channel is used by one thread at a time (the caller serialises).
 */
#ifndef PMIF_CHANNEL_H
#define PMIF_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "frame.h"
#include "noise.h"
#include "pmif.pb-c.h"
#include "rebind.h"

/** The outcome of a call: code and message from the server, or a local
 *  failure already mapped to an exit code (cli.h's EXIT_*). */
struct call_result {
	Pmif__Code code;
	char message[16384];
	char **warnings;
	size_t n_warnings;
	int exit_code; /* what pmif should exit with */
};

struct channel;

/**
 * Decide whether to trust the server key @p rs the handshake presented.
 * Returns 0 to go on, or an exit code after filling @p res.
 */
typedef int channel_pin_fn(struct channel *ch, const uint8_t rs[32], struct call_result *res);

/** Persist the channel's state (nonces, keys, session).  Called after every
 *  change and before each frame is sent.  Returns 0, or an exit code after
 *  filling @p res when it is not NULL; a failure before a frame is sent
 *  fails the call. */
typedef int channel_save_fn(struct channel *ch, struct call_result *res);

struct channel {
	const char *server;     /* URL; not copied, outlives the channel */
	const char *pinned_key; /* fingerprint the server must present, or NULL */
	int timeout_ms;
	channel_pin_fn *pin;   /* NULL: the key must be pinned_key */
	channel_save_fn *save; /* NULL: memory only */
	void *owner;           /* for the hooks */

	int sock;
	bool have_channel;
	uint64_t channel;
	uint8_t channel_hash[32]; /* the channel's handshake hash ... */
	bool have_hash;           /* ... unknown for a channel an older pmif made */
	struct pmif_noise_cipher tx, rx;
	uint8_t server_key[32];
	bool have_key;
	uint8_t token[64];
	size_t token_len;
	uint8_t rebind_secret[PMIF_REBIND_LEN];
	bool have_secret; /* false for a session an older pmif saved */
	char user[80];
	bool reached; /* a connection to the server was seen on this socket */
	uint8_t next_request_id[16];
	bool have_next_request_id; /* the next call sends next_request_id, once */
};

/* How long a client waits to reach a server that is not there at all, at
 * most (the timeout, if shorter): no one should wait ten seconds to learn
 * that. */
#define CONN_REACH_MS 3000

/**
 * Make @p ch a channel to @p server (nothing is sent yet): zeroes it, then
 * creates and connects the socket.  The hooks and pinned_key may be set
 * after.  Returns 0, or an exit code with @p res saying why.
 */
int channel_open(struct channel *ch, const char *server, int timeout_ms, struct call_result *res);

/** Close the socket and wipe the keys and the session; safe to call twice. */
void channel_close(struct channel *ch);

/**
 * Call @p method with @p in; on OK, *out is the unpacked reply (free with
 * protobuf_c_message_free_unpacked).  Handshakes first if needed and again,
 * transparently, if the server has forgotten the channel.  Prints nothing;
 * @p res says what happened (free its warnings with call_result_release).
 * Returns 0 or the exit code.
 */
int channel_call(struct channel *ch, const char *method, const ProtobufCMessage *in,
                 ProtobufCMessage **out, struct call_result *res);

/** Remember the session after login (token, rebind secret, user) / forget it. */
void channel_set_session(struct channel *ch, const Pmif__LoginReply *login);
void channel_clear_session(struct channel *ch);

/** Fill @p res with a local failure; returns @p exit_code. */
int channel_fail(struct call_result *res, int exit_code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** Free @p res's warnings. */
void call_result_release(struct call_result *res);

#endif
