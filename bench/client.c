/*
 * client.c - the smallest PMIF client that does everything pmif does on
 * the wire: Noise_NX handshake with key pinning, sealed DATA frames,
 * login, calls by method name.  Request inputs are built through the
 * generated descriptors from "field=value" data (see bench.h), so the
 * benchmark tables name methods that may not exist yet in this build.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "bench.h"
#include "error.h"
#include "frame.h"
#include "pmif.pb-c.h"

const ProtobufCMethodDescriptor *bench_method(const char *name)
{
	return protobuf_c_service_descriptor_get_method_by_name(&pmif__pmif__descriptor, name);
}

const char *bench_code_name(int code)
{
	const ProtobufCEnumValue *v =
	    protobuf_c_enum_descriptor_get_value(&pmif__code__descriptor, code);
	return v ? v->name : "?";
}

int bench_chan_connect(struct bench_chan *c, const char *url, int timeout_ms)
{
	memset(c, 0, sizeof(*c));
	c->sock = bench_req_socket(url, timeout_ms);
	return c->sock < 0 ? -1 : 0;
}

void bench_chan_close(struct bench_chan *c)
{
	if (c->sock >= 0)
		nn_close(c->sock);
	c->sock = -1;
	OPENSSL_cleanse(&c->tx, sizeof(c->tx));
	OPENSSL_cleanse(&c->rx, sizeof(c->rx));
	free(c->pt);
	c->pt = NULL;
	c->pt_cap = 0;
}

/* Describe a REFUSED frame into @p why; *busy when it was for load. */
static void refusal(const struct pmif_frame *f, char *why, size_t cap, bool *busy)
{
	int reason = f->len ? f->payload[0] : 0;

	snprintf(why, cap, "refused(%d): %.*s", reason, (int)(f->len > 1 ? f->len - 1 : 0),
	         (const char *)f->payload + 1);
	if (busy)
		*busy = reason == PMIF_REFUSED_BUSY;
}

int bench_chan_handshake(struct bench_chan *c, const char *fp, char *why, size_t cap, bool *busy)
{
	struct pmif_noise_handshake *hs = NULL;
	uint8_t out[PMIF_FRAME_HEADER + 64], *reply = NULL, rs[32];
	char got[PMIF_FINGERPRINT_LEN];
	struct pmif_frame f;
	size_t n;
	int len, rc = -1;

	if (busy)
		*busy = false;
	if (pmif_noise_handshake_new(&hs, PMIF_NOISE_NX, 1, (const uint8_t *)PMIF_NOISE_PROLOGUE,
	                             strlen(PMIF_NOISE_PROLOGUE), NULL, NULL, NULL) != 0 ||
	    pmif_noise_handshake_write(hs, NULL, 0, out + PMIF_FRAME_HEADER, 64, &n) != 0) {
		snprintf(why, cap, "cannot start a handshake");
		goto out;
	}
	pmif_frame_header(out, PMIF_FRAME_HELLO, 0, 0);
	if (nn_send(c->sock, out, PMIF_FRAME_HEADER + n, 0) < 0 ||
	    (len = nn_recv(c->sock, &reply, NN_MSG, 0)) < 0) {
		snprintf(why, cap, "no answer to HELLO (%s)", nn_strerror(nn_errno()));
		goto out;
	}
	if (pmif_frame_decode(reply, (size_t)len, &f) != 0) {
		snprintf(why, cap, "undecodable answer to HELLO");
		goto out;
	}
	if (f.type == PMIF_FRAME_REFUSED) {
		refusal(&f, why, cap, busy);
		goto out;
	}
	if (f.type != PMIF_FRAME_WELCOME ||
	    pmif_noise_handshake_read(hs, f.payload, f.len, NULL, 0, &n) != 0 ||
	    pmif_noise_handshake_remote_static(hs, rs) != 0) {
		snprintf(why, cap, "bad WELCOME");
		goto out;
	}
	pmif_key_fingerprint(rs, got);
	if (fp && strcmp(got, fp) != 0) {
		snprintf(why, cap, "server key %s is not the pinned %s", got, fp);
		goto out;
	}
	c->id = f.channel;
	c->next = 0;
	c->token_len = 0;
	if (pmif_noise_handshake_split(hs, &c->tx, &c->rx, NULL) != 0) {
		snprintf(why, cap, "cannot split the handshake");
		goto out;
	}
	rc = 0;
out:
	pmif_noise_handshake_free(hs);
	if (reply)
		nn_freemsg(reply);
	return rc;
}

int bench_call(struct bench_chan *c, const ProtobufCMethodDescriptor *method,
               const ProtobufCMessage *in, struct bench_reply *r)
{
	const ProtobufCServiceDescriptor *svc = &pmif__pmif__descriptor;
	Pmif__Request req = PMIF__REQUEST__INIT;
	Pmif__Reply *rep = NULL;
	uint8_t stackbuf[4096], *packed = stackbuf, *frame = NULL, *reply = NULL, *body = NULL;
	size_t plen, flen, blen, ptlen;
	struct pmif_frame f;
	int len, rc = -1;

	r->code = -1;
	r->message[0] = '\0';
	r->body.data = NULL;
	r->body.len = 0;
	RAND_bytes(r->rid, sizeof(r->rid));
	blen = protobuf_c_message_get_packed_size(in);
	body = malloc(blen ? blen : 1);
	if (body == NULL)
		goto out;
	protobuf_c_message_pack(in, body);
	req.method = (uint32_t)(method - svc->methods);
	req.request_id.data = r->rid;
	req.request_id.len = sizeof(r->rid);
	req.token.data = c->token;
	req.token.len = c->token_len;
	req.body.data = body;
	req.body.len = blen;
	plen = pmif__request__get_packed_size(&req);
	if (plen > sizeof(stackbuf) && (packed = malloc(plen)) == NULL)
		goto out;
	pmif__request__pack(&req, packed);
	flen = pmif_frame_sealed_size(plen);
	frame = malloc(flen);
	if (frame == NULL ||
	    pmif_frame_seal(&c->tx, c->id, c->next++, packed, plen, frame, flen, &flen) != 0) {
		snprintf(r->message, sizeof(r->message), "cannot seal the request");
		goto out;
	}
	r->req_bytes = flen;
	if (nn_send(c->sock, frame, flen, 0) < 0 ||
	    (len = nn_recv(c->sock, &reply, NN_MSG, 0)) < 0) {
		snprintf(r->message, sizeof(r->message), "no answer (%s)", nn_strerror(nn_errno()));
		reply = NULL;
		goto out;
	}
	r->rep_bytes = (size_t)len;
	if (pmif_frame_decode(reply, (size_t)len, &f) != 0) {
		snprintf(r->message, sizeof(r->message), "undecodable answer");
		goto out;
	}
	if (f.type == PMIF_FRAME_REFUSED) {
		refusal(&f, r->message, sizeof(r->message), NULL);
		goto out;
	}
	if (c->pt_cap < (size_t)len) {
		free(c->pt);
		c->pt_cap = (size_t)len < 65536 ? 65536 : (size_t)len;
		if ((c->pt = malloc(c->pt_cap)) == NULL) {
			c->pt_cap = 0;
			goto out;
		}
	}
	if (f.type != PMIF_FRAME_DATA ||
	    pmif_frame_open(&c->rx, &f, c->pt, c->pt_cap, &ptlen) != 0 ||
	    (rep = pmif__reply__unpack(NULL, ptlen, c->pt)) == NULL) {
		snprintf(r->message, sizeof(r->message), "the reply did not open or decode");
		goto out;
	}
	r->code = rep->code;
	snprintf(r->message, sizeof(r->message), "%s", rep->message);
	/* the body points into c->pt: it lives until the next call */
	if (rep->body.len) {
		r->body.len = rep->body.len;
		memmove(c->pt, rep->body.data, rep->body.len);
		r->body.data = c->pt;
	}
	rc = 0;
out:
	if (rep)
		pmif__reply__free_unpacked(rep, NULL);
	if (reply)
		nn_freemsg(reply);
	if (packed != stackbuf)
		free(packed);
	free(frame);
	free(body);
	return rc;
}

int bench_login(struct bench_chan *c, const char *user, const char *password, struct bench_reply *r)
{
	const ProtobufCMethodDescriptor *m = bench_method("Login");
	Pmif__LoginRequest in = PMIF__LOGIN_REQUEST__INIT;

	in.user = (char *)user;
	in.password = (char *)password;
	for (int tries = 0; tries < 200; tries++) {
		Pmif__LoginReply *lr;

		if (bench_call(c, m, &in.base, r) != 0)
			return -1;
		if (r->code == PMIF__CODE__OK) {
			lr = pmif__login_reply__unpack(NULL, r->body.len, r->body.data);
			if (lr == NULL || lr->token.len > sizeof(c->token)) {
				snprintf(r->message, sizeof(r->message), "bad login reply");
				return -1;
			}
			memcpy(c->token, lr->token.data, lr->token.len);
			c->token_len = lr->token.len;
			pmif__login_reply__free_unpacked(lr, NULL);
			return 0;
		}
		/* busy hashing, or throttled: wait, then try again */
		if (r->code != PMIF__CODE__RESOURCE_EXHAUSTED && !strstr(r->message, "too many"))
			return -1;
		bench_sleep_us(250000);
	}
	return -1;
}

/* ------------------------------------------------------------ builders */

static const char *substitute(const char *v, const char *subst, char *buf, size_t cap)
{
	const char *at = strstr(v, "{t}");

	if (at == NULL || subst == NULL)
		return v;
	snprintf(buf, cap, "%.*s%s%s", (int)(at - v), v, subst, at + 3);
	return buf;
}

/* A bytes field: "@PATH" is the file's contents, anything else the text. */
static int set_bytes(void *slot, const char *v, char *why, size_t cap)
{
	ProtobufCBinaryData *b = slot;
	FILE *f;
	long len;

	if (v[0] != '@') {
		b->len = strlen(v);
		return (b->data = (uint8_t *)strdup(v)) ? 0 : -1;
	}
	f = fopen(v + 1, "rb");
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (b->data = malloc((size_t)len + 1)) == NULL ||
	    fread(b->data, 1, (size_t)len, f) != (size_t)len) {
		snprintf(why, cap, "cannot read '%s'", v + 1);
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	b->len = (size_t)len;
	return 0;
}

/* Set one field of @p msg; strings are copied into malloc'd memory owned
 * by the message (bench_msg_free releases them). */
static int set_field(ProtobufCMessage *msg, const ProtobufCFieldDescriptor *fd, const char *v,
                     char *why, size_t cap)
{
	char *base = (char *)msg;
	void *slot = base + fd->offset;

	if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
		char **arr;
		if (fd->type != PROTOBUF_C_TYPE_STRING) {
			snprintf(why, cap, "field '%s' is a repeated non-string", fd->name);
			return -1;
		}
		arr = malloc(sizeof(char *));
		if (arr == NULL || (arr[0] = strdup(v)) == NULL) {
			free(arr);
			return -1;
		}
		*(char ***)slot = arr;
		*(size_t *)(base + fd->quantifier_offset) = 1;
		return 0;
	}
	if (fd->label == PROTOBUF_C_LABEL_OPTIONAL && fd->quantifier_offset &&
	    fd->type != PROTOBUF_C_TYPE_STRING && fd->type != PROTOBUF_C_TYPE_MESSAGE)
		*(protobuf_c_boolean *)(base + fd->quantifier_offset) = 1;
	switch (fd->type) {
	case PROTOBUF_C_TYPE_STRING: return (*(char **)slot = strdup(v)) ? 0 : -1;
	case PROTOBUF_C_TYPE_BYTES: return set_bytes(slot, v, why, cap);
	case PROTOBUF_C_TYPE_ENUM: {
		const ProtobufCEnumValue *ev = protobuf_c_enum_descriptor_get_value_by_name(
		    (const ProtobufCEnumDescriptor *)fd->descriptor, v);
		if (ev == NULL) {
			snprintf(why, cap, "field '%s' has no value '%s'", fd->name, v);
			return -1;
		}
		*(int *)slot = ev->value;
		return 0;
	}
	case PROTOBUF_C_TYPE_BOOL: *(protobuf_c_boolean *)slot = strcmp(v, "true") == 0; return 0;
	case PROTOBUF_C_TYPE_UINT32: *(uint32_t *)slot = (uint32_t)strtoul(v, NULL, 10); return 0;
	case PROTOBUF_C_TYPE_INT32: *(int32_t *)slot = (int32_t)strtol(v, NULL, 10); return 0;
	case PROTOBUF_C_TYPE_UINT64: *(uint64_t *)slot = strtoull(v, NULL, 10); return 0;
	case PROTOBUF_C_TYPE_INT64: *(int64_t *)slot = strtoll(v, NULL, 10); return 0;
	case PROTOBUF_C_TYPE_DOUBLE: *(double *)slot = strtod(v, NULL); return 0;
	default:
		snprintf(why, cap, "field '%s' has a type the builder does not set", fd->name);
		return -1;
	}
}

int bench_msg_build(const ProtobufCMethodDescriptor *m, const struct bench_rpc *rpc,
                    const char *subst, ProtobufCMessage **out, char *why, size_t cap)
{
	const ProtobufCMessageDescriptor *d = m->input;
	ProtobufCMessage *msg = calloc(1, d->sizeof_message);
	char buf[256];

	if (msg == NULL)
		return -1;
	protobuf_c_message_init(d, msg);
	for (size_t i = 0; i < sizeof(rpc->fields) / sizeof(rpc->fields[0]) && rpc->fields[i].name;
	     i++) {
		const ProtobufCFieldDescriptor *fd =
		    protobuf_c_message_descriptor_get_field_by_name(d, rpc->fields[i].name);
		if (fd == NULL) {
			snprintf(why, cap, "%s has no field '%s'", d->name, rpc->fields[i].name);
			bench_msg_free(msg);
			return -1;
		}
		if (set_field(msg, fd, substitute(rpc->fields[i].value, subst, buf, sizeof(buf)),
		              why, cap) != 0) {
			bench_msg_free(msg);
			return -1;
		}
	}
	*out = msg;
	return 0;
}

void bench_msg_free(ProtobufCMessage *msg)
{
	const ProtobufCMessageDescriptor *d;

	if (msg == NULL)
		return;
	d = msg->descriptor;
	for (unsigned i = 0; i < d->n_fields; i++) {
		const ProtobufCFieldDescriptor *fd = &d->fields[i];
		char *slot = (char *)msg + fd->offset;
		if (fd->type == PROTOBUF_C_TYPE_BYTES && fd->label != PROTOBUF_C_LABEL_REPEATED) {
			ProtobufCBinaryData *b = (ProtobufCBinaryData *)slot;
			if (b->data &&
			    (!fd->default_value ||
			     b->data != ((const ProtobufCBinaryData *)fd->default_value)->data))
				free(b->data);
			continue;
		}
		if (fd->type != PROTOBUF_C_TYPE_STRING)
			continue;
		if (fd->label == PROTOBUF_C_LABEL_REPEATED) {
			size_t n = *(size_t *)((char *)msg + fd->quantifier_offset);
			char **arr = *(char ***)slot;
			for (size_t k = 0; k < n; k++)
				free(arr[k]);
			free(arr);
		} else if (*(char **)slot != fd->default_value &&
		           *(char **)slot != (char *)protobuf_c_empty_string) {
			free(*(char **)slot);
		}
	}
	free(msg);
}

int bench_session(struct bench_chan *c, const char *url, const char *fp, const char *user,
                  int timeout_ms, char *why, size_t cap)
{
	const char *password = getenv("BENCH_PASSWORD");
	struct bench_reply r;
	bool busy = true;

	if (password == NULL) {
		snprintf(why, cap, "set BENCH_PASSWORD to the password of '%s'", user);
		return -1;
	}
	if (bench_chan_connect(c, url, timeout_ms) != 0) {
		snprintf(why, cap, "cannot connect to %s", url);
		return -1;
	}
	for (int tries = 0; busy && tries < 100; tries++) {
		if (bench_chan_handshake(c, fp, why, cap, &busy) == 0)
			break;
		if (!busy)
			return -1;
		bench_sleep_us(20000);
	}
	if (busy)
		return -1;
	if (bench_login(c, user, password, &r) != 0) {
		snprintf(why, cap, "login as '%s' failed: %s %s", user, bench_code_name(r.code),
		         r.message);
		return -1;
	}
	return 0;
}
