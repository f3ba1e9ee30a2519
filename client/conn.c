/*
 * conn.c - handshake, pinning, sealed calls and client state (see conn.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "conn.h"
#include "error.h"
#include "frame.h"
#include "pbjson.h"
#include "rebind.h"
#include "store.pb-c.h"

/* The request id the next call sends (conn_use_request_id), once. */
static uint8_t next_request_id[16];
static bool have_next_request_id;

static int mkdirs(const char *path)
{
	char buf[4096];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -1;
	for (char *p = buf + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0700) != 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	}
	return mkdir(buf, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static char *config_dir(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	char buf[4096];

	if (xdg && xdg[0] == '/')
		snprintf(buf, sizeof(buf), "%s/pmif", xdg);
	else if (home && home[0])
		snprintf(buf, sizeof(buf), "%s/.config/pmif", home);
	else
		return NULL;
	return strdup(buf);
}

static void load_state(struct conn *c)
{
	uint8_t buf[4096];
	ssize_t n = pread(c->state_fd, buf, sizeof(buf), 0);
	Pmif__ClientState *s;

	if (n <= 0)
		return;
	s = pmif__client_state__unpack(NULL, (size_t)n, buf);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (s == NULL)
		return; /* unreadable: start afresh */
	if (strcmp(s->server_url, c->g->server) == 0) {
		if (s->server_key.len == 32) {
			memcpy(c->server_key, s->server_key.data, 32);
			c->have_key = true;
		}
		if (s->channel_id && s->tx_key.len == 32 && s->rx_key.len == 32) {
			c->have_channel = true;
			c->channel = s->channel_id;
			memcpy(c->tx.k, s->tx_key.data, 32);
			c->tx.n = s->tx_nonce;
			c->tx.has_key = 1;
			memcpy(c->rx.k, s->rx_key.data, 32);
			c->rx.n = s->rx_nonce;
			c->rx.has_key = 1;
			if (s->channel_hash.len == 32) {
				memcpy(c->channel_hash, s->channel_hash.data, 32);
				c->have_hash = true;
			}
		}
		if (s->token.len && s->token.len <= sizeof(c->token)) {
			memcpy(c->token, s->token.data, s->token.len);
			c->token_len = s->token.len;
		}
		if (s->rebind_secret.len == PMIF_REBIND_LEN) {
			memcpy(c->rebind_secret, s->rebind_secret.data, PMIF_REBIND_LEN);
			c->have_secret = true;
		}
		snprintf(c->user, sizeof(c->user), "%s", s->user);
	}
	OPENSSL_cleanse(s->tx_key.data, s->tx_key.len);
	OPENSSL_cleanse(s->rx_key.data, s->rx_key.len);
	OPENSSL_cleanse(s->token.data, s->token.len);
	OPENSSL_cleanse(s->rebind_secret.data, s->rebind_secret.len);
	pmif__client_state__free_unpacked(s, NULL);
}

/* Write the state file in place; it is locked and small. */
static int save_state(struct conn *c)
{
	Pmif__ClientState s = PMIF__CLIENT_STATE__INIT;
	uint8_t buf[4096];
	size_t len;
	int rc = 0;

	if (c->state_fd < 0)
		return -1;
	s.server_url = (char *)c->g->server;
	if (c->have_key) {
		s.server_key.data = c->server_key;
		s.server_key.len = 32;
	}
	if (c->have_channel) {
		s.channel_id = c->channel;
		s.tx_key.data = c->tx.k;
		s.tx_key.len = 32;
		s.tx_nonce = c->tx.n;
		s.rx_key.data = c->rx.k;
		s.rx_key.len = 32;
		s.rx_nonce = c->rx.n;
		if (c->have_hash) {
			s.channel_hash.data = c->channel_hash;
			s.channel_hash.len = 32;
		}
	}
	s.token.data = c->token;
	s.token.len = c->token_len;
	if (c->have_secret) {
		s.rebind_secret.data = c->rebind_secret;
		s.rebind_secret.len = PMIF_REBIND_LEN;
	}
	s.user = c->user;
	len = pmif__client_state__get_packed_size(&s);
	if (len > sizeof(buf))
		return -1;
	pmif__client_state__pack(&s, buf);
	if (pwrite(c->state_fd, buf, len, 0) != (ssize_t)len ||
	    ftruncate(c->state_fd, (off_t)len) != 0 || fdatasync(c->state_fd) != 0)
		rc = -1;
	OPENSSL_cleanse(buf, sizeof(buf));
	return rc;
}

int conn_open(struct conn *c, const struct cli_global *g)
{
	unsigned char digest[32];
	unsigned int dlen = 32;
	char hex[65], path[4200];
	int maxsize = PMIF_FRAME_MAX, resend;

	memset(c, 0, sizeof(*c));
	c->g = g;
	c->sock = -1;
	c->state_fd = -1;
	c->dir = config_dir();
	if (c->dir == NULL || mkdirs(c->dir) != 0)
		return cli_error(EXIT_FAIL, "cannot create the settings directory (set HOME or "
		                            "XDG_CONFIG_HOME)");
	EVP_Digest(g->server, strlen(g->server), digest, &dlen, EVP_sha256(), NULL);
	pmif_hex(digest, 8, hex);
	snprintf(path, sizeof(path), "%s/session-%s.state", c->dir, hex);
	c->state_path = strdup(path);
	c->state_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (c->state_fd < 0)
		return cli_error(EXIT_FAIL, "cannot open '%s': %s", path, strerror(errno));
	fchmod(c->state_fd, 0600);
	if (flock(c->state_fd, LOCK_EX) != 0)
		return cli_error(EXIT_FAIL, "cannot lock '%s': %s", path, strerror(errno));
	load_state(c);

	c->sock = nn_socket(AF_SP, NN_REQ);
	if (c->sock < 0)
		return cli_error(EXIT_FAIL, "cannot create a socket: %s", nn_strerror(nn_errno()));
	/* never let nanomsg resend by itself: each frame has its own nonce */
	resend = g->timeout_ms + 60000;
	nn_setsockopt(c->sock, NN_REQ, NN_REQ_RESEND_IVL, &resend, sizeof(resend));
	nn_setsockopt(c->sock, NN_SOL_SOCKET, NN_RCVMAXSIZE, &maxsize, sizeof(maxsize));
	nn_setsockopt(c->sock, NN_SOL_SOCKET, NN_SNDTIMEO, &g->timeout_ms, sizeof(int));
	nn_setsockopt(c->sock, NN_SOL_SOCKET, NN_RCVTIMEO, &g->timeout_ms, sizeof(int));
	if (nn_connect(c->sock, g->server) < 0)
		return cli_error(EXIT_USAGE,
		                 "'%s' is not a server address pmif can use (%s): use "
		                 "tcp://HOST:PORT or ipc:///PATH",
		                 g->server, nn_strerror(nn_errno()));
	return 0;
}

void conn_close(struct conn *c)
{
	if (c->state_fd >= 0) {
		save_state(c);
		flock(c->state_fd, LOCK_UN);
		close(c->state_fd);
		c->state_fd = -1;
	}
	if (c->sock >= 0) {
		nn_close(c->sock);
		c->sock = -1;
	}
	OPENSSL_cleanse(&c->tx, sizeof(c->tx));
	OPENSSL_cleanse(&c->rx, sizeof(c->rx));
	OPENSSL_cleanse(c->token, sizeof(c->token));
	OPENSSL_cleanse(c->rebind_secret, sizeof(c->rebind_secret));
	free(c->state_path);
	free(c->dir);
	c->state_path = c->dir = NULL;
}

void conn_set_session(struct conn *c, const Pmif__LoginReply *login)
{
	size_t len = login->token.len <= sizeof(c->token) ? login->token.len : 0;

	memcpy(c->token, login->token.data, len);
	c->token_len = len;
	c->have_secret = login->rebind_secret.len == PMIF_REBIND_LEN;
	if (c->have_secret)
		memcpy(c->rebind_secret, login->rebind_secret.data, PMIF_REBIND_LEN);
	snprintf(c->user, sizeof(c->user), "%s", login->user ? login->user->name : "");
	save_state(c);
}

void conn_clear_session(struct conn *c)
{
	OPENSSL_cleanse(c->token, sizeof(c->token));
	OPENSSL_cleanse(c->rebind_secret, sizeof(c->rebind_secret));
	c->token_len = 0;
	c->have_secret = false;
	c->user[0] = '\0';
	save_state(c);
}

void conn_use_request_id(const uint8_t id[16])
{
	memcpy(next_request_id, id, sizeof(next_request_id));
	have_next_request_id = true;
}

static int fail(struct call_result *res, int exit_code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(struct call_result *res, int exit_code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(res->message, sizeof(res->message), fmt, ap);
	va_end(ap);
	res->code = PMIF__CODE__UNKNOWN;
	res->exit_code = exit_code;
	return exit_code;
}

/* One frame out, one frame back.  *reply is nanomsg's: nn_freemsg it. */
static int exchange(struct conn *c, const uint8_t *frame, size_t len, uint8_t **reply, size_t *rlen,
                    struct call_result *res)
{
	int n;

	if (nn_send(c->sock, frame, len, 0) < 0 || (n = nn_recv(c->sock, reply, NN_MSG, 0)) < 0) {
		if (nn_errno() == ETIMEDOUT || nn_errno() == EAGAIN)
			return fail(res, EXIT_UNREACHABLE,
			            "no answer from pmifd at %s within %d s: is the server running "
			            "there? (see --server, PMIF_SERVER and --timeout)",
			            c->g->server, c->g->timeout_ms / 1000);
		return fail(res, EXIT_UNREACHABLE, "cannot reach pmifd at %s: %s", c->g->server,
		            nn_strerror(nn_errno()));
	}
	*rlen = (size_t)n;
	return 0;
}

static int known_servers_path(struct conn *c, char *buf, size_t cap)
{
	return snprintf(buf, cap, "%s/known_servers", c->dir) < (int)cap ? 0 : -1;
}

/* The fingerprint pinned for our URL in known_servers, or "" if none. */
static void known_lookup(struct conn *c, char out[PMIF_FINGERPRINT_LEN + 8])
{
	char path[4300], line[4600];
	FILE *f;

	out[0] = '\0';
	if (known_servers_path(c, path, sizeof(path)) != 0 || (f = fopen(path, "r")) == NULL)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' ');
		if (line[0] == '#' || sp == NULL)
			continue;
		*sp = '\0';
		if (strcmp(line, c->g->server) == 0) {
			snprintf(out, PMIF_FINGERPRINT_LEN + 8, "%.*s",
			         (int)strcspn(sp + 1, " \r\n"), sp + 1);
			break;
		}
	}
	fclose(f);
}

static int known_add(struct conn *c, const char *fp)
{
	char path[4300];
	FILE *f;

	if (known_servers_path(c, path, sizeof(path)) != 0 || (f = fopen(path, "a")) == NULL)
		return -1;
	fchmod(fileno(f), 0600);
	fprintf(f, "%s %s\n", c->g->server, fp);
	return fclose(f);
}

/* Decide whether to trust the key the server presented. */
static int check_pin(struct conn *c, const uint8_t rs[32], struct call_result *res)
{
	char fp[PMIF_FINGERPRINT_LEN], known[PMIF_FINGERPRINT_LEN + 8], path[4300], answer[16];

	pmif_key_fingerprint(rs, fp);
	known_lookup(c, known);
	known_servers_path(c, path, sizeof(path));
	if (known[0] && strcmp(known, fp) != 0)
		return fail(res, EXIT_UNAUTH,
		            "WARNING: the server key for %s has CHANGED: it presented %s but %s is "
		            "pinned in %s. Someone may be intercepting the connection; nothing was "
		            "sent. If the server's key really was replaced, remove that line and "
		            "pin the new key with --server-key.",
		            c->g->server, fp, known, path);
	if (c->g->server_key && strcmp(c->g->server_key, fp) != 0)
		return fail(
		    res, EXIT_UNAUTH,
		    "the server at %s presented key %s, not the pinned %s: refusing to talk "
		    "to it (nothing was sent)",
		    c->g->server, fp, c->g->server_key);
	if (known[0])
		return 0;
	if (!c->g->server_key) {
		if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
			return fail(
			    res, EXIT_UNAUTH,
			    "the server at %s is not known yet; its key is %s. Compare it with "
			    "'pmifd fingerprint' on the server, then pin it: pmif --server-key "
			    "%s ... (or set PMIF_SERVER_KEY)",
			    c->g->server, fp, fp);
		fprintf(stderr,
		        "The server at %s is not known yet.\nIts key fingerprint is %s.\n"
		        "Compare it with what 'pmifd fingerprint' prints on the server.\n"
		        "Trust this key and continue? [y/N] ",
		        c->g->server, fp);
		if (fgets(answer, sizeof(answer), stdin) == NULL ||
		    (answer[0] != 'y' && answer[0] != 'Y'))
			return fail(res, EXIT_UNAUTH, "server key not trusted: nothing was sent");
	}
	if (known_add(c, fp) != 0)
		fprintf(stderr, "pmif: warning: could not record the key in %s\n", path);
	return 0;
}

static int handshake(struct conn *c, struct call_result *res)
{
	struct pmif_noise_handshake *hs = NULL;
	uint8_t out[PMIF_FRAME_HEADER + 64], *reply = NULL, rs[32], h[32];
	struct pmif_frame f;
	size_t n, rlen;
	int rc;

	c->have_channel = false;
	c->have_hash = false;
	rc = pmif_noise_handshake_new(&hs, PMIF_NOISE_NX, 1, (const uint8_t *)PMIF_NOISE_PROLOGUE,
	                              strlen(PMIF_NOISE_PROLOGUE), NULL, NULL, NULL);
	if (rc == 0)
		rc = pmif_noise_handshake_write(hs, NULL, 0, out + PMIF_FRAME_HEADER,
		                                sizeof(out) - PMIF_FRAME_HEADER, &n);
	if (rc != 0) {
		pmif_noise_handshake_free(hs);
		return fail(res, EXIT_FAIL, "cannot start the secure channel: %s",
		            pmif_strerror(rc));
	}
	pmif_frame_header(out, PMIF_FRAME_HELLO, 0, 0);
	rc = exchange(c, out, PMIF_FRAME_HEADER + n, &reply, &rlen, res);
	if (rc != 0) {
		pmif_noise_handshake_free(hs);
		return rc;
	}
	if (pmif_frame_decode(reply, rlen, &f) != 0 ||
	    (f.type != PMIF_FRAME_WELCOME && f.type != PMIF_FRAME_REFUSED)) {
		rc = fail(res, EXIT_FAIL, "%s did not answer as a pmifd server does", c->g->server);
	} else if (f.type == PMIF_FRAME_REFUSED) {
		rc = fail(
		    res, f.len && f.payload[0] == PMIF_REFUSED_BUSY ? EXIT_UNREACHABLE : EXIT_FAIL,
		    "the server refused the connection: %.*s", (int)(f.len > 1 ? f.len - 1 : 0),
		    f.len > 1 ? (const char *)f.payload + 1 : "");
	} else if (pmif_noise_handshake_read(hs, f.payload, f.len, NULL, 0, &n) != 0 ||
	           pmif_noise_handshake_remote_static(hs, rs) != 0) {
		rc = fail(res, EXIT_UNAUTH,
		          "the server's handshake did not verify: it is not the pmifd it claims "
		          "to be, or speaks another protocol version");
	} else if ((rc = check_pin(c, rs, res)) == 0) {
		rc = pmif_noise_handshake_split(hs, &c->tx, &c->rx, h);
		if (rc != 0) {
			rc = fail(res, EXIT_FAIL, "cannot finish the handshake");
		} else {
			c->have_channel = true;
			c->channel = f.channel;
			memcpy(c->channel_hash, h, 32);
			c->have_hash = true;
			memcpy(c->server_key, rs, 32);
			c->have_key = true;
			save_state(c);
		}
	}
	pmif_noise_handshake_free(hs);
	nn_freemsg(reply);
	return rc;
}

/* Send the packed request once on the current channel.  Returns 0 with
 * the decrypted reply, 1 if the channel must be rebuilt, or an exit code. */
static int attempt(struct conn *c, const uint8_t *req, size_t len, uint8_t **pt, size_t *ptlen,
                   struct call_result *res)
{
	size_t flen = pmif_frame_sealed_size(len), rlen;
	uint8_t *frame = malloc(flen), *reply = NULL;
	struct pmif_frame f;
	uint64_t nonce = c->tx.n;
	int rc;

	if (frame == NULL)
		return fail(res, EXIT_FAIL, "out of memory");
	rc = pmif_frame_seal(&c->tx, c->channel, nonce, req, len, frame, flen, &flen);
	if (rc != 0) {
		free(frame);
		return fail(res, EXIT_INVALID, "the request is too large to send");
	}
	/* the nonce is spent before the frame leaves */
	c->tx.n = nonce + 1;
	if (save_state(c) != 0) {
		free(frame);
		return fail(res, EXIT_FAIL, "cannot write '%s'", c->state_path);
	}
	rc = exchange(c, frame, flen, &reply, &rlen, res);
	free(frame);
	if (rc != 0)
		return rc;
	if (pmif_frame_decode(reply, rlen, &f) != 0) {
		rc = fail(res, EXIT_FAIL, "the server's answer was not understood");
	} else if (f.type == PMIF_FRAME_REFUSED) {
		uint8_t why = f.len ? f.payload[0] : 0;
		if (why == PMIF_REFUSED_UNKNOWN_CHANNEL || why == PMIF_REFUSED_REPLAY ||
		    why == PMIF_REFUSED_AUTH)
			rc = 1;
		else
			rc = fail(res, why == PMIF_REFUSED_BUSY ? EXIT_UNREACHABLE : EXIT_FAIL,
			          "the server refused the request: %.*s",
			          (int)(f.len > 1 ? f.len - 1 : 0),
			          f.len > 1 ? (const char *)f.payload + 1 : "");
	} else if (f.type != PMIF_FRAME_DATA || f.channel != c->channel || f.nonce < c->rx.n) {
		rc = fail(res, EXIT_FAIL, "the server's answer does not belong to this request");
	} else {
		*pt = malloc(f.len);
		if (*pt == NULL) {
			rc = fail(res, EXIT_FAIL, "out of memory");
		} else if (pmif_frame_open(&c->rx, &f, *pt, f.len, ptlen) != 0) {
			free(*pt);
			*pt = NULL;
			rc =
			    fail(res, EXIT_FAIL,
			         "the server's answer failed authentication: it was altered on the "
			         "way");
		} else {
			c->rx.n = f.nonce + 1;
			save_state(c);
			rc = 0;
		}
	}
	nn_freemsg(reply);
	return rc;
}

/* @p req packed for the current channel, into malloc'd memory (NULL when
 * out of memory): with the rebind proof over the channel's handshake hash
 * whenever there is a session that can be moved, so that a session made on
 * another channel (before a pmifd restart, say) is moved to this one. */
static uint8_t *pack_request(const struct conn *c, Pmif__Request *req, size_t *len)
{
	uint8_t proof[PMIF_REBIND_LEN], *out;

	if (c->token_len && c->have_secret && c->have_hash &&
	    pmif_rebind_proof(c->rebind_secret, c->channel_hash, proof) == 0) {
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

int conn_call(struct conn *c, const char *method, const ProtobufCMessage *in,
              ProtobufCMessage **out, struct call_result *res)
{
	const ProtobufCServiceDescriptor *svc = &pmif__pmif__descriptor;
	const ProtobufCMethodDescriptor *m =
	    protobuf_c_service_descriptor_get_method_by_name(svc, method);
	Pmif__Request req = PMIF__REQUEST__INIT;
	Pmif__Reply *reply;
	uint8_t rid[16], *packed = NULL, *pt = NULL;
	size_t plen, ptlen = 0;
	int rc = 1;

	memset(res, 0, sizeof(*res));
	if (m == NULL)
		return fail(res, EXIT_FAIL, "internal error: no method %s", method);
	if (have_next_request_id) {
		memcpy(rid, next_request_id, sizeof(rid));
		have_next_request_id = false;
	} else if (RAND_bytes(rid, sizeof(rid)) != 1) {
		return fail(res, EXIT_FAIL, "no random numbers available");
	}
	req.method = (uint32_t)(m - svc->methods);
	req.request_id.data = rid;
	req.request_id.len = sizeof(rid);
	req.token.data = c->token;
	req.token.len = c->token_len;
	req.body.len = protobuf_c_message_get_packed_size(in);
	req.body.data = malloc(req.body.len ? req.body.len : 1);
	if (req.body.data == NULL)
		return fail(res, EXIT_FAIL, "out of memory");
	protobuf_c_message_pack(in, req.body.data);

	/* at most one fresh handshake: the server may have forgotten us */
	for (int tries = 0; rc == 1 && tries < 2; tries++) {
		if (!c->have_channel && (rc = handshake(c, res)) != 0)
			break;
		/* packed anew for each channel: the proof is over its hash */
		if ((packed = pack_request(c, &req, &plen)) == NULL) {
			rc = fail(res, EXIT_FAIL, "out of memory");
			break;
		}
		rc = attempt(c, packed, plen, &pt, &ptlen, res);
		OPENSSL_cleanse(packed, plen);
		free(packed);
		if (rc == 1)
			c->have_channel = false;
	}
	OPENSSL_cleanse(req.body.data, req.body.len);
	free(req.body.data);
	if (rc == 1)
		return fail(res, EXIT_FAIL, "the server keeps refusing this connection's frames");
	if (rc != 0)
		return rc;
	reply = pmif__reply__unpack(NULL, ptlen, pt);
	if (reply == NULL) {
		free(pt);
		return fail(res, EXIT_FAIL,
		            "the server's reply could not be decoded: is pmif the "
		            "same version as pmifd?");
	}
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
			rc = fail(res, EXIT_FAIL, "the server's answer could not be decoded");
	} else {
		rc = res->exit_code;
	}
	OPENSSL_cleanse(pt, ptlen);
	free(pt);
	pmif__reply__free_unpacked(reply, NULL);
	return rc;
}

int conn_report(const struct cli_global *g, const struct call_result *res)
{
	for (size_t i = 0; i < res->n_warnings; i++)
		fprintf(stderr, "pmif: warning: %s\n", res->warnings[i]);
	if (res->exit_code == EXIT_OK)
		return EXIT_OK;
	fprintf(stderr, "pmif: %s\n", res->message[0] ? res->message : "the request failed");
	if (g->json) {
		json_t *j =
		    json_pack("{s:{s:s,s:s,s:i}}", "error", "code",
		              pmif_pb_enum_name(&pmif__code__descriptor, (int)res->code)
		                  ? pmif_pb_enum_name(&pmif__code__descriptor, (int)res->code)
		                  : "UNKNOWN",
		              "message", res->message, "exit", res->exit_code);
		if (j) {
			json_dumpf(j, stdout, JSON_INDENT(2));
			fputc('\n', stdout);
			json_decref(j);
		}
	}
	return res->exit_code;
}
