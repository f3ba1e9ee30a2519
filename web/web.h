/*
 * web.h - what the files of pmif-web share: the program's settings and
 * state (struct web), one HTTP request being answered (struct req), the
 * page writer and the handlers the route table in router.c names.
 *
 * pmif-web holds no data of its own: every page is one or more calls to
 * pmifd on the signed-in user's own channel (session.h), and every report
 * is laid out by the same renderers as pmif's (render.h, as an HTML
 * fragment).  It never decides what a role may see or change: a refusal
 * is pmifd's, shown in pmifd's words.
 */
#ifndef PMIF_WEB_H
#define PMIF_WEB_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include <microhttpd.h>

#include "channel.h"
#include "session.h"
#include "throttle_web.h"

#define WEB_BODY_MAX    (64 * 1024) /* a request body past this is answered 413 */
#define WEB_FORM_FIELDS 64
#define WEB_TIMEOUT_MS  10000 /* a call to pmifd */

/* The program: settings from the command line and what every request shares. */
struct web {
	const char *listen;
	const char *server;     /* pmifd's URL */
	const char *server_key; /* its pinned fingerprint */
	const char *tls_cert, *tls_key;
	bool tls, quiet;
	bool secure_cookies; /* TLS here, or --secure-cookies behind a TLS proxy */
	unsigned sessions_max;
	uint8_t key[32]; /* this run's secret: CSRF tokens are MACs under it */
	struct session_table sessions;
	struct web_throttle throttle;
	pthread_mutex_t render_lock; /* the PDF renderer is not thread-safe */
};

/* A submitted form (urlencoded body), decoded by libmicrohttpd. */
struct form {
	char *key[WEB_FORM_FIELDS];
	char *value[WEB_FORM_FIELDS];
	size_t n;
};

/* One request, from its first byte to its answer. */
struct req {
	struct web *w;
	struct MHD_Connection *conn;
	const char *method, *path;
	bool post;
	struct MHD_PostProcessor *pp;
	struct form form;
	size_t body_len;
	bool too_big;
	char ip[64];
	struct web_session *s;   /* the signed-in session (a reference), or NULL */
	struct timespec started; /* for the log's page time */

	/* the answer */
	FILE *f; /* the page being written (a memory stream) */
	char *buf;
	size_t len;
	unsigned status;
	const char *ctype;
	char location[2048];
	char cookies[3][256];
	size_t n_cookies;
	char disposition[256];
	bool raw; /* the body is not a page (a download, the stylesheet) */
};

/* ---- text (html.c): the one escape every piece of text goes through ---- */

/** Write @p s to @p f HTML-escaped: render_xml() (& < > " ', control
 *  characters, bidi overrides and invalid UTF-8 made harmless); NULL
 *  writes nothing. */
void web_escape(FILE *f, const char *s);
/** Write @p s to @p f percent-encoded for a URL query value. */
void web_urlenc(FILE *f, const char *s);
/** web_urlenc() into @p out (cut short to fit @p cap). */
void web_urlenc_buf(char *out, size_t cap, const char *s);
/** The next= value that brings the browser back to @p path (a local path)
 *  with this GET request's query, percent-encoded whole into @p out; "%2F"
 *  (home) when it does not fit. */
void web_next_target(struct req *r, const char *path, char *out, size_t cap);
/** Escaped text on the page. */
void page_text(struct req *r, const char *s);
/** Literal markup (never user or server text). */
void page_raw(struct req *r, const char *s);
void page_rawf(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- the page shell and answers (page.c) ---- */

/** Start a page: head, skip link, header with the user and the nav. */
void page_open(struct req *r, const char *title);
/** End it (closes main, writes the footer). */
void page_close(struct req *r);
/** A whole page saying one thing, with status @p status. */
void page_message(struct req *r, unsigned status, const char *title, const char *sentence);
/** 303 to @p fmt. */
void answer_redirect(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Add a Set-Cookie header value. */
void answer_cookie(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** The hidden csrf field for this request's session (or sign-in form). */
void page_csrf_field(struct req *r, const char *token);
/** A query parameter (GET) or form field (POST), or NULL when absent or empty. */
const char *req_arg(struct req *r, const char *name);
/** A query parameter only. */
const char *req_query(struct req *r, const char *name);
/** The session's CSRF token (65 bytes). */
void req_session_csrf(struct req *r, char out[65]);
/** Does the POST carry this session's CSRF token?  Answers 403 if not. */
bool req_csrf_ok(struct req *r);

/* ---- calling pmifd (call.c) ---- */

/**
 * Call @p method on the signed-in user's channel.  0 with *out, or the
 * exit code with @p res saying why; an UNAUTHENTICATED answer ends the
 * session (the next page sends the browser to sign in).
 */
int web_call(struct req *r, const char *method, const ProtobufCMessage *in, ProtobufCMessage **out,
             struct call_result *res);
/** Answer a failed call: 403 for refusals, 404, 422, 503 ...; pmifd's sentence. */
void answer_call_failed(struct req *r, const struct call_result *res);
/** The latest period to show (open first), into @p out; "" when there is none. */
void web_latest_period(struct req *r, char *out, size_t cap);
/** HTTP status for a failed call. */
unsigned web_status_for(const struct call_result *res);

/* ---- handlers (one file per family) ---- */
typedef void web_handler(struct req *r);
web_handler page_login, page_login_post, page_logout, page_home;               /* pages_home.c */
web_handler page_scorecard, page_exceptions, page_completeness, page_locality, /* pages_reports.c */
    page_measure, page_pack, page_risks;
web_handler page_update, page_update_value, page_update_commentary, /* pages_update.c */
    page_update_intervention, page_update_risk;
web_handler page_admin_users, page_admin_audit; /* pages_admin.c */
web_handler page_css;                           /* style.c */

/** Route @p r to its handler (router.c); every answer is in r. */
void web_route(struct req *r);

/** A framework record's @p member when it holds a @p KIND (its oneof is a
 *  union: the other members alias it), else NULL. */
#define WEB_RECORD(rec, KIND, member)                                                              \
	((rec)->record_case == PMIF__FRAMEWORK_RECORD__RECORD_##KIND ? (rec)->member : NULL)

/** The role as a word. */
const char *web_role_word(Pmif__Role role);

#endif
