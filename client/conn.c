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
#include <time.h>
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
			memcpy(c->ch.server_key, s->server_key.data, 32);
			c->ch.have_key = true;
		}
		if (s->channel_id && s->tx_key.len == 32 && s->rx_key.len == 32) {
			c->ch.have_channel = true;
			c->ch.channel = s->channel_id;
			memcpy(c->ch.tx.k, s->tx_key.data, 32);
			c->ch.tx.n = s->tx_nonce;
			c->ch.tx.has_key = 1;
			memcpy(c->ch.rx.k, s->rx_key.data, 32);
			c->ch.rx.n = s->rx_nonce;
			c->ch.rx.has_key = 1;
			if (s->channel_hash.len == 32) {
				memcpy(c->ch.channel_hash, s->channel_hash.data, 32);
				c->ch.have_hash = true;
			}
		}
		if (s->token.len && s->token.len <= sizeof(c->ch.token)) {
			memcpy(c->ch.token, s->token.data, s->token.len);
			c->ch.token_len = s->token.len;
		}
		if (s->rebind_secret.len == PMIF_REBIND_LEN) {
			memcpy(c->ch.rebind_secret, s->rebind_secret.data, PMIF_REBIND_LEN);
			c->ch.have_secret = true;
		}
		snprintf(c->ch.user, sizeof(c->ch.user), "%s", s->user);
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
	if (c->ch.have_key) {
		s.server_key.data = c->ch.server_key;
		s.server_key.len = 32;
	}
	if (c->ch.have_channel) {
		s.channel_id = c->ch.channel;
		s.tx_key.data = c->ch.tx.k;
		s.tx_key.len = 32;
		s.tx_nonce = c->ch.tx.n;
		s.rx_key.data = c->ch.rx.k;
		s.rx_key.len = 32;
		s.rx_nonce = c->ch.rx.n;
		if (c->ch.have_hash) {
			s.channel_hash.data = c->ch.channel_hash;
			s.channel_hash.len = 32;
		}
	}
	s.token.data = c->ch.token;
	s.token.len = c->ch.token_len;
	if (c->ch.have_secret) {
		s.rebind_secret.data = c->ch.rebind_secret;
		s.rebind_secret.len = PMIF_REBIND_LEN;
	}
	s.user = c->ch.user;
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

/* The channel's save hook: into the state file. */
static int save_hook(struct channel *ch, struct call_result *res)
{
	struct conn *c = ch->owner;

	if (save_state(c) == 0)
		return 0;
	return res ? channel_fail(res, EXIT_FAIL, "cannot write '%s'", c->state_path) : EXIT_FAIL;
}

static channel_pin_fn check_pin;

int conn_open(struct conn *c, const struct cli_global *g)
{
	unsigned char digest[32];
	unsigned int dlen = 32;
	char hex[65], path[4200];
	struct call_result res;
	int rc;

	memset(c, 0, sizeof(*c));
	c->g = g;
	c->ch.sock = -1;
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

	rc = channel_open(&c->ch, g->server, g->timeout_ms, &res);
	c->ch.pinned_key = g->server_key;
	c->ch.pin = check_pin;
	c->ch.save = save_hook;
	c->ch.owner = c;
	load_state(c); /* even on failure: conn_close saves what was there */
	if (rc != 0)
		return cli_error(rc, "%s", res.message);
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
	channel_close(&c->ch);
	free(c->state_path);
	free(c->dir);
	c->state_path = c->dir = NULL;
}

void conn_set_session(struct conn *c, const Pmif__LoginReply *login)
{
	channel_set_session(&c->ch, login);
}

void conn_clear_session(struct conn *c)
{
	channel_clear_session(&c->ch);
}

void conn_use_request_id(const uint8_t id[16])
{
	memcpy(next_request_id, id, sizeof(next_request_id));
	have_next_request_id = true;
}

int conn_call(struct conn *c, const char *method, const ProtobufCMessage *in,
              ProtobufCMessage **out, struct call_result *res)
{
	if (have_next_request_id) {
		memcpy(c->ch.next_request_id, next_request_id, sizeof(next_request_id));
		c->ch.have_next_request_id = true;
		have_next_request_id = false;
	}
	return channel_call(&c->ch, method, in, out, res);
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
static int check_pin(struct channel *ch, const uint8_t rs[32], struct call_result *res)
{
	struct conn *c = ch->owner;
	char fp[PMIF_FINGERPRINT_LEN], known[PMIF_FINGERPRINT_LEN + 8], path[4300], answer[16];

	pmif_key_fingerprint(rs, fp);
	known_lookup(c, known);
	known_servers_path(c, path, sizeof(path));
	if (known[0] && strcmp(known, fp) != 0)
		return channel_fail(
		    res, EXIT_UNAUTH,
		    "WARNING: the server key for %s has CHANGED: it presented %s but %s is "
		    "pinned in %s. Someone may be intercepting the connection; nothing was "
		    "sent. If the server's key really was replaced, remove that line and "
		    "pin the new key with --server-key.",
		    c->g->server, fp, known, path);
	if (c->g->server_key && strcmp(c->g->server_key, fp) != 0)
		return channel_fail(
		    res, EXIT_UNAUTH,
		    "the server at %s presented key %s, not the pinned %s: refusing to talk "
		    "to it (nothing was sent)",
		    c->g->server, fp, c->g->server_key);
	if (known[0])
		return 0;
	if (!c->g->server_key) {
		if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
			return channel_fail(
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
			return channel_fail(res, EXIT_UNAUTH,
			                    "server key not trusted: nothing was sent");
	}
	if (known_add(c, fp) != 0)
		fprintf(stderr, "pmif: warning: could not record the key in %s\n", path);
	return 0;
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
