/*
 * conn.h - the client's side of the channel: handshake, key pinning,
 * sealed calls, and the per-server state file that lets one login serve
 * many pmif invocations.
 *
 * State lives in $XDG_CONFIG_HOME/pmif/ (or ~/.config/pmif/), mode 0700:
 *   known_servers          "URL FINGERPRINT" lines, like SSH's known_hosts
 *   session-<hash>.state   per server URL: the channel's keys, nonces and
 *                          handshake hash, the session token and its rebind
 *                          secret (protobuf ClientState, 0600)
 * The state file is locked (flock) for the whole command, and each nonce is
 * written to it before the frame that uses it is sent, so a nonce is never
 * used twice even if pmif is killed mid-call.
 *
 * A session outlives its channel: on a channel other than the one it was
 * made on (after a pmifd restart, say) each request carries a proof made
 * from the rebind secret and the channel's handshake hash (rebind.h), and
 * the server moves the session to the new channel.
 */
#ifndef PMIF_CONN_H
#define PMIF_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "channel.h"
#include "cli.h"
#include "pmif.pb-c.h"

/* The channel itself (handshake, sealing, the session) is channel.h's;
 * this adds the state file it is kept in between pmif invocations and the
 * known_servers pin with its first-use prompt. */
struct conn {
	struct channel ch;
	const struct cli_global *g;
	int state_fd; /* locked state file */
	char *state_path;
	char *dir;
};

/** Open the connection to g->server and load its state.  Returns 0 or an
 *  exit code (after printing why). */
int conn_open(struct conn *c, const struct cli_global *g);

/** Save state, unlock and close; safe to call twice. */
void conn_close(struct conn *c);

/**
 * Call @p method with @p in; on OK, *out is the unpacked reply (free with
 * protobuf_c_message_free_unpacked).  Handshakes first if needed and again,
 * transparently, if the server has forgotten the channel.  Prints nothing;
 * @p res says what happened.
 */
int conn_call(struct conn *c, const char *method, const ProtobufCMessage *in,
              ProtobufCMessage **out, struct call_result *res);

/** Print @p res's error (and warnings) as pmif does; returns its exit code. */
int conn_report(const struct cli_global *g, const struct call_result *res);

/** Remember the session after login: its token, its rebind secret (may be
 *  empty from an older server), its user / forget it (after logout). */
void conn_set_session(struct conn *c, const Pmif__LoginReply *login);
void conn_clear_session(struct conn *c);

/** Send the next request of this process (the command's first) with the
 *  request id @p id instead of a random one: running the same command
 *  again after its answer was lost is then answered, not applied twice. */
void conn_use_request_id(const uint8_t id[16]);

#endif
