/*
 * channel.c - the handshake, sealed calls and session of one channel to
 * pmifd, in memory (see channel.h).  Where the state is kept between
 * calls is the owner's business (the save hook); whom to trust is the pin
 * hook's.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "channel.h"
#include "cli.h"
#include "error.h"

int channel_fail(struct call_result *res, int exit_code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->message, sizeof(res->message), fmt, ap);
	va_end(ap);
	res->code = PMIF__CODE__UNKNOWN;
	res->exit_code = exit_code;
	return exit_code;
}

void call_result_release(struct call_result *res)
{
	for (size_t i = 0; i < res->n_warnings; i++)
		free(res->warnings[i]);
	free(res->warnings);
	res->warnings = NULL;
	res->n_warnings = 0;
}

static int save(struct channel *ch)
{
	return ch->save ? ch->save(ch, NULL) : 0;
}

int channel_open(struct channel *ch, const char *server, int timeout_ms, struct call_result *res)
{
	int maxsize = PMIF_FRAME_MAX, resend;

	memset(ch, 0, sizeof(*ch));
	ch->server = server;
	ch->timeout_ms = timeout_ms;
	ch->sock = nn_socket(AF_SP, NN_REQ);
	if (ch->sock < 0)
		return channel_fail(res, EXIT_FAIL, "cannot create a socket: %s",
		                    nn_strerror(nn_errno()));
	/* never let nanomsg resend by itself: each frame has its own nonce */
	resend = timeout_ms + 60000;
	nn_setsockopt(ch->sock, NN_REQ, NN_REQ_RESEND_IVL, &resend, sizeof(resend));
	nn_setsockopt(ch->sock, NN_SOL_SOCKET, NN_RCVMAXSIZE, &maxsize, sizeof(maxsize));
	nn_setsockopt(ch->sock, NN_SOL_SOCKET, NN_SNDTIMEO, &timeout_ms, sizeof(int));
	nn_setsockopt(ch->sock, NN_SOL_SOCKET, NN_RCVTIMEO, &timeout_ms, sizeof(int));
	if (nn_connect(ch->sock, server) < 0)
		return channel_fail(res, EXIT_USAGE,
		                    "'%s' is not a server address pmif can use (%s): use "
		                    "tcp://HOST:PORT or ipc:///PATH",
		                    server, nn_strerror(nn_errno()));
	return 0;
}

void channel_close(struct channel *ch)
{
	if (ch->sock >= 0) {
		nn_close(ch->sock);
		ch->sock = -1;
	}
	OPENSSL_cleanse(&ch->tx, sizeof(ch->tx));
	OPENSSL_cleanse(&ch->rx, sizeof(ch->rx));
	OPENSSL_cleanse(ch->token, sizeof(ch->token));
	OPENSSL_cleanse(ch->rebind_secret, sizeof(ch->rebind_secret));
	ch->token_len = 0;
	ch->have_secret = false;
}

void channel_set_session(struct channel *ch, const Pmif__LoginReply *login)
{
	size_t len = login->token.len <= sizeof(ch->token) ? login->token.len : 0;

	memcpy(ch->token, login->token.data, len);
	ch->token_len = len;
	ch->have_secret = login->rebind_secret.len == PMIF_REBIND_LEN;
	if (ch->have_secret)
		memcpy(ch->rebind_secret, login->rebind_secret.data, PMIF_REBIND_LEN);
	snprintf(ch->user, sizeof(ch->user), "%s", login->user ? login->user->name : "");
	save(ch);
}

void channel_clear_session(struct channel *ch)
{
	OPENSSL_cleanse(ch->token, sizeof(ch->token));
	OPENSSL_cleanse(ch->rebind_secret, sizeof(ch->rebind_secret));
	ch->token_len = 0;
	ch->have_secret = false;
	ch->user[0] = '\0';
	save(ch);
}

/*
 * Wait until nanomsg has a connection to the server, for CONN_REACH_MS
 * (or the timeout, if shorter) at most: a server that is down, or an
 * address where nothing listens, is reported within that, while a server
 * that is there but slow to answer gets the whole timeout.
 */
static int reach(struct channel *ch, struct call_result *res)
{
	int limit = ch->timeout_ms < CONN_REACH_MS ? ch->timeout_ms : CONN_REACH_MS;
	struct timespec pause = {0, 5 * 1000 * 1000};

	for (int waited = 0; !ch->reached; waited += 5) {
		if (nn_get_statistic(ch->sock, NN_STAT_CURRENT_CONNECTIONS) > 0) {
			ch->reached = true;
			break;
		}
		if (waited >= limit)
			return channel_fail(res, EXIT_UNREACHABLE,
			                    "cannot reach pmifd at %s within %.1f s: is the server "
			                    "running there? (see --server and PMIF_SERVER)",
			                    ch->server, limit / 1000.0);
		nanosleep(&pause, NULL);
	}
	return 0;
}

/* One frame out, one frame back.  *reply is nanomsg's: nn_freemsg it. */
static int exchange(struct channel *ch, const uint8_t *frame, size_t len, uint8_t **reply,
                    size_t *rlen, struct call_result *res)
{
	int n;

	if (reach(ch, res) != 0)
		return res->exit_code;
	if (nn_send(ch->sock, frame, len, 0) < 0 || (n = nn_recv(ch->sock, reply, NN_MSG, 0)) < 0) {
		if (nn_errno() == ETIMEDOUT || nn_errno() == EAGAIN)
			return channel_fail(
			    res, EXIT_UNREACHABLE,
			    "no answer from pmifd at %s within %d s: is the server running "
			    "there? (see --server, PMIF_SERVER and --timeout)",
			    ch->server, ch->timeout_ms / 1000);
		return channel_fail(res, EXIT_UNREACHABLE, "cannot reach pmifd at %s: %s",
		                    ch->server, nn_strerror(nn_errno()));
	}
	*rlen = (size_t)n;
	return 0;
}

/* Without a pin hook the key must be the pinned one. */
static int check_pin(struct channel *ch, const uint8_t rs[32], struct call_result *res)
{
	char fp[PMIF_FINGERPRINT_LEN];

	if (ch->pin)
		return ch->pin(ch, rs, res);
	pmif_key_fingerprint(rs, fp);
	if (ch->pinned_key == NULL || strcmp(ch->pinned_key, fp) != 0)
		return channel_fail(res, EXIT_UNAUTH,
		                    "the server at %s presented key %s, not the pinned %s: "
		                    "refusing to talk to it (nothing was sent)",
		                    ch->server, fp, ch->pinned_key ? ch->pinned_key : "(none)");
	return 0;
}

/* Read the server's answer to our handshake message and finish it. */
static int handshake_finish(struct channel *ch, struct pmif_noise_handshake *hs,
                            const uint8_t *reply, size_t rlen, struct call_result *res)
{
	struct pmif_frame f;
	uint8_t rs[32], h[32];
	size_t n;
	int rc;

	if (pmif_frame_decode(reply, rlen, &f) != 0 ||
	    (f.type != PMIF_FRAME_WELCOME && f.type != PMIF_FRAME_REFUSED))
		return channel_fail(res, EXIT_FAIL, "%s did not answer as a pmifd server does",
		                    ch->server);
	if (f.type == PMIF_FRAME_REFUSED)
		return channel_fail(
		    res, f.len && f.payload[0] == PMIF_REFUSED_BUSY ? EXIT_UNREACHABLE : EXIT_FAIL,
		    "the server refused the connection: %.*s", (int)(f.len > 1 ? f.len - 1 : 0),
		    f.len > 1 ? (const char *)f.payload + 1 : "");
	if (pmif_noise_handshake_read(hs, f.payload, f.len, NULL, 0, &n) != 0 ||
	    pmif_noise_handshake_remote_static(hs, rs) != 0)
		return channel_fail(res, EXIT_UNAUTH,
		                    "the server's handshake did not verify: it is not the pmifd "
		                    "it claims to be, or speaks another protocol version");
	if ((rc = check_pin(ch, rs, res)) != 0)
		return rc;
	if (pmif_noise_handshake_split(hs, &ch->tx, &ch->rx, h) != 0)
		return channel_fail(res, EXIT_FAIL, "cannot finish the handshake");
	ch->have_channel = true;
	ch->channel = f.channel;
	memcpy(ch->channel_hash, h, 32);
	ch->have_hash = true;
	memcpy(ch->server_key, rs, 32);
	ch->have_key = true;
	save(ch);
	OPENSSL_cleanse(h, sizeof(h));
	return 0;
}

static int handshake(struct channel *ch, struct call_result *res)
{
	struct pmif_noise_handshake *hs = NULL;
	uint8_t out[PMIF_FRAME_HEADER + 64], *reply = NULL;
	size_t n, rlen;
	int rc;

	ch->have_channel = false;
	ch->have_hash = false;
	rc = pmif_noise_handshake_new(&hs, PMIF_NOISE_NX, 1, (const uint8_t *)PMIF_NOISE_PROLOGUE,
	                              strlen(PMIF_NOISE_PROLOGUE), NULL, NULL, NULL);
	if (rc == 0)
		rc = pmif_noise_handshake_write(hs, NULL, 0, out + PMIF_FRAME_HEADER,
		                                sizeof(out) - PMIF_FRAME_HEADER, &n);
	if (rc != 0) {
		pmif_noise_handshake_free(hs);
		return channel_fail(res, EXIT_FAIL, "cannot start the secure channel: %s",
		                    pmif_strerror(rc));
	}
	pmif_frame_header(out, PMIF_FRAME_HELLO, 0, 0);
	rc = exchange(ch, out, PMIF_FRAME_HEADER + n, &reply, &rlen, res);
	if (rc == 0) {
		rc = handshake_finish(ch, hs, reply, rlen, res);
		nn_freemsg(reply);
	}
	pmif_noise_handshake_free(hs);
	return rc;
}

/* Open the sealed answer @p f to the request just sent. */
static int open_reply(struct channel *ch, const struct pmif_frame *f, uint8_t **pt, size_t *ptlen,
                      struct call_result *res)
{
	if (f->type == PMIF_FRAME_REFUSED) {
		uint8_t why = f->len ? f->payload[0] : 0;
		if (why == PMIF_REFUSED_UNKNOWN_CHANNEL || why == PMIF_REFUSED_REPLAY ||
		    why == PMIF_REFUSED_AUTH)
			return 1;
		return channel_fail(res, why == PMIF_REFUSED_BUSY ? EXIT_UNREACHABLE : EXIT_FAIL,
		                    "the server refused the request: %.*s",
		                    (int)(f->len > 1 ? f->len - 1 : 0),
		                    f->len > 1 ? (const char *)f->payload + 1 : "");
	}
	if (f->type != PMIF_FRAME_DATA || f->channel != ch->channel || f->nonce < ch->rx.n)
		return channel_fail(res, EXIT_FAIL,
		                    "the server's answer does not belong to this request");
	*pt = malloc(f->len ? f->len : 1);
	if (*pt == NULL)
		return channel_fail(res, EXIT_FAIL, "out of memory");
	if (pmif_frame_open(&ch->rx, f, *pt, f->len, ptlen) != 0) {
		free(*pt);
		*pt = NULL;
		return channel_fail(res, EXIT_FAIL,
		                    "the server's answer failed authentication: it was altered on "
		                    "the way");
	}
	ch->rx.n = f->nonce + 1;
	save(ch);
	return 0;
}

/* Send the packed request once on the current channel.  Returns 0 with
 * the decrypted reply, 1 if the channel must be rebuilt, or an exit code. */
static int attempt(struct channel *ch, const uint8_t *req, size_t len, uint8_t **pt, size_t *ptlen,
                   struct call_result *res)
{
	size_t flen = pmif_frame_sealed_size(len), rlen;
	uint8_t *frame = malloc(flen), *reply = NULL;
	struct pmif_frame f;
	uint64_t nonce = ch->tx.n;
	int rc;

	if (frame == NULL)
		return channel_fail(res, EXIT_FAIL, "out of memory");
	rc = pmif_frame_seal(&ch->tx, ch->channel, nonce, req, len, frame, flen, &flen);
	if (rc != 0) {
		free(frame);
		return channel_fail(res, EXIT_INVALID, "the request is too large to send");
	}
	/* the nonce is spent before the frame leaves */
	ch->tx.n = nonce + 1;
	if (ch->save && (rc = ch->save(ch, res)) != 0) {
		free(frame);
		return rc;
	}
	rc = exchange(ch, frame, flen, &reply, &rlen, res);
	free(frame);
	if (rc != 0)
		return rc;
	if (pmif_frame_decode(reply, rlen, &f) != 0)
		rc = channel_fail(res, EXIT_FAIL, "the server's answer was not understood");
	else
		rc = open_reply(ch, &f, pt, ptlen, res);
	nn_freemsg(reply);
	return rc;
}

/* @p req packed for the current channel, into malloc'd memory (NULL when
 * out of memory): with the rebind proof over the channel's handshake hash
 * whenever there is a session that can be moved, so that a session made on
 * another channel (before a pmifd restart, say) is moved to this one. */
static uint8_t *pack_request(const struct channel *ch, Pmif__Request *req, size_t *len)
{
	uint8_t proof[PMIF_REBIND_LEN], *out;

	if (ch->token_len && ch->have_secret && ch->have_hash &&
	    pmif_rebind_proof(ch->rebind_secret, ch->channel_hash, proof) == 0) {
		req->binding_proof.data = proof;
		req->binding_proof.len = sizeof(proof);
	}
	*len = pmif__request__get_packed_size(req);
	out = malloc(*len ? *len : 1);
	if (out)
		pmif__request__pack(req, out);
	OPENSSL_cleanse(proof, sizeof(proof));
	req->binding_proof.data = NULL;
	req->binding_proof.len = 0;
	return out;
}

/* Send @p req, handshaking first when there is no channel and at most once
 * more when the server has forgotten it.  0 with the plaintext reply, or
 * an exit code. */
static int send_request(struct channel *ch, Pmif__Request *req, uint8_t **pt, size_t *ptlen,
                        struct call_result *res)
{
	uint8_t *packed;
	size_t plen;
	int rc = 1;

	for (int tries = 0; rc == 1 && tries < 2; tries++) {
		if (!ch->have_channel && (rc = handshake(ch, res)) != 0)
			break;
		/* packed anew for each channel: the proof is over its hash */
		if ((packed = pack_request(ch, req, &plen)) == NULL)
			return channel_fail(res, EXIT_FAIL, "out of memory");
		rc = attempt(ch, packed, plen, pt, ptlen, res);
		OPENSSL_cleanse(packed, plen);
		free(packed);
		if (rc == 1)
			ch->have_channel = false;
	}
	if (rc == 1)
		return channel_fail(res, EXIT_FAIL,
		                    "the server keeps refusing this connection's frames");
	return rc;
}

/* The server's Reply in @p pt: its code, message and warnings into @p res,
 * and on OK the body unpacked as @p m's output into *out. */
static int take_reply(const ProtobufCMethodDescriptor *m, const uint8_t *pt, size_t ptlen,
                      ProtobufCMessage **out, struct call_result *res)
{
	Pmif__Reply *reply = pmif__reply__unpack(NULL, ptlen, pt);
	int rc = 0;

	if (reply == NULL)
		return channel_fail(res, EXIT_FAIL,
		                    "the server's reply could not be decoded: is pmif the "
		                    "same version as pmifd?");
	res->code = reply->code;
	snprintf(res->message, sizeof(res->message), "%s", reply->message);
	if (reply->n_warnings) {
		res->warnings = calloc(reply->n_warnings, sizeof(char *));
		for (size_t i = 0; res->warnings && i < reply->n_warnings; i++)
			res->warnings[res->n_warnings++] = strdup(reply->warnings[i]);
	}
	res->exit_code = cli_exit_for(reply->code);
	if (reply->code == PMIF__CODE__OK) {
		*out =
		    protobuf_c_message_unpack(m->output, NULL, reply->body.len, reply->body.data);
		if (*out == NULL)
			rc = channel_fail(res, EXIT_FAIL,
			                  "the server's answer could not be decoded");
	} else {
		rc = res->exit_code;
	}
	pmif__reply__free_unpacked(reply, NULL);
	return rc;
}

int channel_call(struct channel *ch, const char *method, const ProtobufCMessage *in,
                 ProtobufCMessage **out, struct call_result *res)
{
	const ProtobufCServiceDescriptor *svc = &pmif__pmif__descriptor;
	const ProtobufCMethodDescriptor *m =
	    protobuf_c_service_descriptor_get_method_by_name(svc, method);
	Pmif__Request req = PMIF__REQUEST__INIT;
	uint8_t rid[16], *pt = NULL;
	size_t ptlen = 0;
	int rc;

	memset(res, 0, sizeof(*res));
	if (m == NULL)
		return channel_fail(res, EXIT_FAIL, "internal error: no method %s", method);
	if (ch->have_next_request_id) {
		memcpy(rid, ch->next_request_id, sizeof(rid));
		ch->have_next_request_id = false;
	} else if (RAND_bytes(rid, sizeof(rid)) != 1) {
		return channel_fail(res, EXIT_FAIL, "no random numbers available");
	}
	req.method = (uint32_t)(m - svc->methods);
	req.request_id.data = rid;
	req.request_id.len = sizeof(rid);
	req.token.data = ch->token;
	req.token.len = ch->token_len;
	req.body.len = protobuf_c_message_get_packed_size(in);
	req.body.data = malloc(req.body.len ? req.body.len : 1);
	if (req.body.data == NULL)
		return channel_fail(res, EXIT_FAIL, "out of memory");
	protobuf_c_message_pack(in, req.body.data);
	rc = send_request(ch, &req, &pt, &ptlen, res);
	OPENSSL_cleanse(req.body.data, req.body.len);
	free(req.body.data);
	if (rc != 0)
		return rc;
	rc = take_reply(m, pt, ptlen, out, res);
	OPENSSL_cleanse(pt, ptlen);
	free(pt);
	return rc;
}
