/*
 * main.c - pmif-web: the browser front end of PMIF, an HTTP server on GNU
 * libmicrohttpd that holds no data of its own (see web.h).
 *
 *   pmif-web --listen 127.0.0.1:8450 --server tcp://127.0.0.1:7450
 *            --server-key FP [--tls-cert F --tls-key F] [--quiet]
 *
 * This file: the options, the daemon and its limits (connections, per
 * address, timeouts), reading a request and its body (64 KiB at most,
 * decoded by libmicrohttpd's post processor), and sending the answer
 * with the headers every answer carries (CSP and friends).
 */
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "cli.h"
#include "web.h"

#define CSP                                                                                        \
	"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "         \
	"frame-ancestors 'none'; base-uri 'none'"

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("pmif-web: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see pmif-web --help)\n", stderr);
	return EXIT_USAGE;
}

static void help(void)
{
	puts("usage: pmif-web --server-key FP [--listen HOST:PORT] [--server URL]\n"
	     "                [--tls-cert FILE --tls-key FILE] [--secure-cookies]\n"
	     "                [--max-sessions N] [--quiet]\n"
	     "\n"
	     "The browser front end of PMIF: councillors, officers and the performance team\n"
	     "sign in with their own PMIF user; every page is computed by pmifd.\n"
	     "\n"
	     "  --listen HOST:PORT   where to serve HTTP (default 127.0.0.1:8450)\n"
	     "  --server URL         pmifd (default $PMIF_SERVER or tcp://127.0.0.1:7450)\n"
	     "  --server-key FP      pmifd's key, as 'pmifd fingerprint' prints it\n"
	     "                       (default $PMIF_SERVER_KEY); required\n"
	     "  --tls-cert FILE      serve HTTPS with this PEM certificate (and --tls-key)\n"
	     "  --tls-key FILE       ... and this PEM private key\n"
	     "  --max-sessions N     signed-in browsers kept at once (default 1000)\n"
	     "  --secure-cookies     mark cookies Secure without --tls-cert (behind a TLS proxy)\n"
	     "  --quiet              no log lines on stderr\n"
	     "  --help               this text\n"
	     "\n"
	     "Without TLS, serve on loopback only, behind a reverse proxy that does TLS\n"
	     "(see the README's nginx example).");
}

/* A whole small file into malloc'd memory, NUL-terminated; NULL on failure. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (f == NULL)
		return NULL;
	for (;;) {
		if (n + 4096 + 1 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 8192);
			if (nb == NULL || cap > (1 << 20)) {
				free(nb ? nb : buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, 4096, f);
		n += got;
		if (got < 4096)
			break;
	}
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int parse_options(struct web *w, int argc, char **argv)
{
	static const struct option opts[] = {{"listen", required_argument, NULL, 'l'},
	                                     {"server", required_argument, NULL, 's'},
	                                     {"server-key", required_argument, NULL, 'k'},
	                                     {"tls-cert", required_argument, NULL, 'c'},
	                                     {"tls-key", required_argument, NULL, 'K'},
	                                     {"quiet", no_argument, NULL, 'q'},
	                                     {"max-sessions", required_argument, NULL, 'm'},
	                                     {"help", no_argument, NULL, 'h'},
	                                     {NULL, 0, NULL, 0}};
	int c;
	char *end;
	unsigned long n;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'l': w->listen = optarg; break;
		case 's': w->server = optarg; break;
		case 'k': w->server_key = optarg; break;
		case 'c': w->tls_cert = optarg; break;
		case 'K': w->tls_key = optarg; break;
		case 'q': w->quiet = true; break;
		case 'S': w->secure_cookies = true; break;
		case 'm':
			n = strtoul(optarg, &end, 10);
			if (*end || n < 1 || n > 100000)
				return usage_error(
				    "--max-sessions takes a number from 1 to 100000, not "
				    "'%s'",
				    optarg);
			w->sessions_max = (unsigned)n;
			break;
		case 'h': help(); return -1;
		case '?':
		default:
			if (optopt)
				return usage_error("option '-%c' is not one pmif-web knows",
				                   optopt);
			return usage_error(
			    "option '%s' is not one pmif-web knows, or lacks its value",
			    argv[optind - 1]);
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s': pmif-web takes options only",
		                   argv[optind]);
	if (w->server_key == NULL || w->server_key[0] == '\0')
		return usage_error(
		    "give pmifd's key with --server-key FP (what 'pmifd fingerprint' "
		    "prints on the server) or PMIF_SERVER_KEY");
	if (strncmp(w->server_key, "SHA256:", 7) != 0 ||
	    strlen(w->server_key) != 7 + 43 /* base64 of SHA-256, unpadded */)
		return usage_error("--server-key '%s' is not a key fingerprint: copy what 'pmifd "
		                   "fingerprint' prints (SHA256:...)",
		                   w->server_key);
	if ((w->tls_cert == NULL) != (w->tls_key == NULL))
		return usage_error("give --tls-cert and --tls-key together, or neither");
	if (strncmp(w->server, "tcp://", 6) != 0 && strncmp(w->server, "ipc://", 6) != 0)
		return usage_error("--server '%s' is not a pmifd address: use tcp://HOST:PORT or "
		                   "ipc:///PATH",
		                   w->server);
	w->tls = w->tls_cert != NULL;
	w->secure_cookies = w->secure_cookies || w->tls;
	return 0;
}

/* --listen HOST:PORT (or [V6]:PORT) as a socket address. */
static int listen_addr(const char *spec, struct sockaddr_storage *ss, bool *v6)
{
	char host[256];
	const char *colon = strrchr(spec, ':'), *h = spec;
	size_t hl;
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV | AI_PASSIVE,
	                         .ai_socktype = SOCK_STREAM},
	                *ai = NULL;

	if (colon == NULL || colon[1] == '\0')
		return -1;
	hl = (size_t)(colon - spec);
	if (hl >= 2 && spec[0] == '[' && spec[hl - 1] == ']') {
		h = spec + 1;
		hl -= 2;
	}
	if (hl == 0 || hl >= sizeof(host))
		return -1;
	memcpy(host, h, hl);
	host[hl] = '\0';
	if (strspn(colon + 1, "0123456789") != strlen(colon + 1) || atoi(colon + 1) > 65535)
		return -1;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || ai == NULL)
		return -1;
	memcpy(ss, ai->ai_addr, ai->ai_addrlen);
	*v6 = ai->ai_family == AF_INET6;
	freeaddrinfo(ai);
	return 0;
}

/* ---- one request ---- */

static enum MHD_Result post_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                  const char *filename, const char *content_type,
                                  const char *transfer_encoding, const char *data, uint64_t off,
                                  size_t size)
{
	struct form *f = &((struct req *)cls)->form;
	size_t i;

	(void)kind, (void)filename, (void)content_type, (void)transfer_encoding;
	/* a value may come in pieces: a piece at offset 0 starts a field */
	if (off == 0 || f->n == 0 || strcmp(f->key[f->n - 1], key) != 0) {
		if (f->n >= WEB_FORM_FIELDS)
			return MHD_YES; /* past the fields any form has: ignored */
		f->key[f->n] = strdup(key);
		f->value[f->n] = strdup("");
		if (f->key[f->n] == NULL || f->value[f->n] == NULL)
			return MHD_NO;
		f->n++;
	}
	i = f->n - 1;
	if (size) {
		size_t had = strlen(f->value[i]);
		char *nv = realloc(f->value[i], had + size + 1);
		if (nv == NULL)
			return MHD_NO;
		memcpy(nv + had, data, size);
		nv[had + size] = '\0';
		f->value[i] = nv;
	}
	return MHD_YES;
}

static void peer_address(struct req *r)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(r->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	snprintf(r->ip, sizeof(r->ip), "unknown");
	if (ci && ci->client_addr) {
		socklen_t len = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
		                                                       : sizeof(struct sockaddr_in);
		getnameinfo(ci->client_addr, len, r->ip, sizeof(r->ip), NULL, 0, NI_NUMERICHOST);
	}
}

static void add_security_headers(struct MHD_Response *resp, bool tls)
{
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
	if (tls)
		MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
}

/* Route the request and send what the handler wrote. */
static enum MHD_Result answer(struct req *r)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	r->f = open_memstream(&r->buf, &r->len);
	if (r->f == NULL)
		return MHD_NO;
	r->status = 200;
	r->ctype = "text/html; charset=utf-8";
	web_route(r);
	if (fclose(r->f) != 0) {
		r->f = NULL;
		return MHD_NO;
	}
	r->f = NULL;
	resp = MHD_create_response_from_buffer(r->len, r->buf, MHD_RESPMEM_MUST_FREE);
	if (resp == NULL)
		return MHD_NO;
	r->buf = NULL; /* the response frees it */
	add_security_headers(resp, r->w->tls);
	MHD_add_response_header(resp, "Content-Type", r->ctype);
	MHD_add_response_header(resp, "Cache-Control",
	                        r->raw && r->disposition[0] == '\0' ? "public, max-age=3600"
	                                                            : "no-store");
	if (r->location[0])
		MHD_add_response_header(resp, "Location", r->location);
	if (r->disposition[0])
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
	for (size_t i = 0; i < r->n_cookies; i++)
		MHD_add_response_header(resp, "Set-Cookie", r->cookies[i]);
	ret = MHD_queue_response(r->conn, r->status, resp);
	MHD_destroy_response(resp);
	if (!r->w->quiet) {
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		fprintf(stderr, "pmif-web: %s %s %s %u %s %.1f ms\n", r->ip, r->method, r->path,
		        r->status, r->s ? r->s->user : "-",
		        (double)(now.tv_sec - r->started.tv_sec) * 1e3 +
		            (double)(now.tv_nsec - r->started.tv_nsec) / 1e6);
	}
	return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **ctx)
{
	struct req *r = *ctx;

	(void)version;
	if (r == NULL) {
		const char *cl;

		if ((r = calloc(1, sizeof(*r))) == NULL)
			return MHD_NO;
		r->w = cls;
		r->conn = conn;
		r->method = method;
		r->path = url;
		r->post = strcmp(method, "POST") == 0;
		clock_gettime(CLOCK_MONOTONIC, &r->started);
		peer_address(r);
		*ctx = r;
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > WEB_BODY_MAX) {
			r->too_big = true; /* answered before the body is read */
			return answer(r);
		}
		if (r->post)
			r->pp = MHD_create_post_processor(conn, 8192, post_field, r);
		return MHD_YES;
	}
	if (*upload_size) {
		r->body_len += *upload_size;
		if (r->body_len > WEB_BODY_MAX)
			r->too_big = true;
		else if (r->pp && MHD_post_process(r->pp, upload, *upload_size) != MHD_YES)
			r->form.n = r->form.n; /* malformed: what was decoded stays; CSRF decides */
		*upload_size = 0;
		return MHD_YES;
	}
	return answer(r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **ctx,
                         enum MHD_RequestTerminationCode toe)
{
	struct req *r = *ctx;

	(void)conn, (void)toe;
	if (r == NULL)
		return;
	if (r->pp)
		MHD_destroy_post_processor(r->pp);
	for (size_t i = 0; i < r->form.n; i++) {
		free(r->form.key[i]);
		free(r->form.value[i]);
	}
	if (r->f)
		fclose(r->f);
	free(r->buf);
	session_put(&((struct web *)cls)->sessions, r->s);
	free(r);
	*ctx = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	if (((struct web *)cls)->quiet)
		return;
	fputs("pmif-web: ", stderr);
	vfprintf(stderr, fmt, ap);
}

/* ---- the daemon ---- */

static struct MHD_Daemon *start(struct web *w, char *cert, char *key)
{
	struct sockaddr_storage ss;
	bool v6 = false;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_AUTO;

	if (listen_addr(w->listen, &ss, &v6) != 0) {
		usage_error("--listen '%s' is not an address to listen on: use HOST:PORT with a "
		            "numeric host, e.g. 127.0.0.1:8450",
		            w->listen);
		return NULL;
	}
	if (v6)
		flags |= MHD_USE_IPv6;
	if (w->tls)
		flags |= MHD_USE_TLS;
	return MHD_start_daemon(
	    flags, 0, NULL, NULL, on_request, w, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, w,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_NOTIFY_COMPLETED, on_completed,
	    w, MHD_OPTION_THREAD_POOL_SIZE, 4u, MHD_OPTION_CONNECTION_LIMIT, 256u,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, 64u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024),
	    w->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, cert, MHD_OPTION_HTTPS_MEM_KEY,
	    key, MHD_OPTION_END);
}

/* Wait for SIGINT or SIGTERM, sweeping expired sessions every 15 s. */
static void serve_until_signal(struct web *w)
{
	sigset_t set;
	struct timespec tick = {15, 0};

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	for (;;) {
		int sig = sigtimedwait(&set, NULL, &tick);
		if (sig == SIGINT || sig == SIGTERM)
			break;
		session_sweep(&w->sessions, (uint64_t)time(NULL));
	}
}

int main(int argc, char **argv)
{
	struct web w = {.listen = "127.0.0.1:8450", .sessions_max = 1000};
	struct MHD_Daemon *d;
	char *cert = NULL, *key = NULL;
	sigset_t set;
	int rc;

	w.server = getenv("PMIF_SERVER") && getenv("PMIF_SERVER")[0] ? getenv("PMIF_SERVER")
	                                                             : "tcp://127.0.0.1:7450";
	w.server_key = getenv("PMIF_SERVER_KEY");
	if ((rc = parse_options(&w, argc, argv)) != 0)
		return rc < 0 ? EXIT_OK : rc;
	if (w.tls) {
		if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
			fprintf(stderr, "pmif-web: this libmicrohttpd was built without TLS: serve "
			                "plain HTTP on loopback behind a proxy instead\n");
			return EXIT_FAIL;
		}
		if ((cert = slurp(w.tls_cert)) == NULL || (key = slurp(w.tls_key)) == NULL) {
			fprintf(stderr, "pmif-web: cannot read '%s': %s\n",
			        cert ? w.tls_key : w.tls_cert, strerror(errno));
			free(cert);
			return EXIT_FAIL;
		}
	}
	if (RAND_bytes(w.key, sizeof(w.key)) != 1 ||
	    session_table_init(&w.sessions, w.sessions_max) != 0) {
		fprintf(stderr, "pmif-web: cannot set up: no randomness or memory\n");
		return EXIT_FAIL;
	}
	web_throttle_init(&w.throttle);
	pthread_mutex_init(&w.render_lock, NULL);
	/* the signals are waited for here, never delivered to a worker */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	d = start(&w, cert, key);
	if (d == NULL) {
		rc = errno;
		if (listen_addr(w.listen, &(struct sockaddr_storage){0}, &(bool){0}) == 0)
			fprintf(stderr, "pmif-web: cannot listen on %s: %s\n", w.listen,
			        strerror(rc ? rc : EADDRINUSE));
		rc = listen_addr(w.listen, &(struct sockaddr_storage){0}, &(bool){0}) == 0
		         ? EXIT_FAIL
		         : EXIT_USAGE;
	} else {
		if (!w.quiet)
			fprintf(stderr, "pmif-web: serving %s://%s for pmifd at %s\n",
			        w.tls ? "https" : "http", w.listen, w.server);
		serve_until_signal(&w);
		MHD_stop_daemon(d);
		rc = EXIT_OK;
	}
	session_table_release(&w.sessions);
	web_throttle_release(&w.throttle);
	pthread_mutex_destroy(&w.render_lock);
	free(cert);
	free(key);
	return rc;
}
