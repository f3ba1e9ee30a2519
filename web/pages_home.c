/*
 * pages_home.c - signing in and out, and the home page.
 *
 * Signing in opens the user's own channel to pmifd and asks pmifd (Login);
 * the browser gets only an opaque session id.  The sign-in form carries
 * its own CSRF token, a MAC of a pre-session cookie (pmif_login), since
 * there is no session yet to tie it to.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <openssl/crypto.h>

#include "cli.h"
#include "report.pb-c.h"
#include "web.h"

#define SIGNIN_REFUSED                                                                             \
	"This form has expired or did not come from PMIF; reload the page and try again."

/* The "next" page after signing in: one of ours, else home. */
static const char *next_page(const char *next)
{
	if (next == NULL || next[0] != '/' || next[1] == '/' || strchr(next, '\\') ||
	    strpbrk(next, "\r\n\"<>"))
		return "/";
	return next;
}

static const char *secure(struct req *r)
{
	return r->w->secure_cookies ? "; Secure" : "";
}

/* The sign-in page, with @p error (pmifd's sentence) or a status line. */
static void login_form(struct req *r, const char *error, const char *user)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "pmif_login");
	char pre[SESSION_ID_HEX + 1], token[65];

	if (!session_cookie_parse(v, pre)) {
		if (!random_hex_id(pre)) {
			page_message(r, 500, "Cannot sign in",
			             "PMIF has no random numbers to make a "
			             "session with; tell the performance team.");
			return;
		}
		answer_cookie(r, "pmif_login=%s; HttpOnly; SameSite=Strict; Path=/login%s", pre,
		              secure(r));
	}
	csrf_token(r->w->key, "login", pre, token);
	page_open(r, "Sign in");
	page_raw(r, "<h1>Sign in to PMIF</h1>\n");
	if (error) {
		page_raw(r, "<p class=\"error\" role=\"alert\" id=\"signin-error\">");
		page_text(r, error);
		page_raw(r, "</p>\n");
	} else if (req_query(r, "expired")) {
		page_raw(r,
		         "<p class=\"status\" role=\"status\">Your session has ended; please sign "
		         "in again.</p>\n");
	} else if (req_query(r, "signed_out")) {
		page_raw(r, "<p class=\"status\" role=\"status\">You have signed out.</p>\n");
	}
	page_raw(r, "<form id=\"login\" method=\"post\" action=\"/login\" class=\"stack\">\n");
	page_csrf_field(r, token);
	page_raw(r, "<input type=\"hidden\" name=\"next\" value=\"");
	page_text(r, next_page(req_arg(r, "next")));
	page_raw(r, "\">\n<label for=\"user\">User name</label>\n"
	            "<input name=\"user\" id=\"user\" autocomplete=\"username\" required value=\"");
	page_text(r, user ? user : "");
	page_rawf(r,
	          "\"%s>\n<label for=\"password\">Password</label>\n"
	          "<input type=\"password\" name=\"password\" id=\"password\" "
	          "autocomplete=\"current-password\" required%s>\n"
	          "<button type=\"submit\">Sign in</button>\n</form>\n",
	          error ? " aria-describedby=\"signin-error\"" : "",
	          error ? " aria-describedby=\"signin-error\" aria-invalid=\"true\"" : "");
	page_close(r);
}

void page_login(struct req *r)
{
	login_form(r, NULL, NULL);
}

/* Make the browser session for a successful Login on @p ch. */
static void signed_in(struct req *r, struct channel *ch, const Pmif__LoginReply *out)
{
	uint64_t now = (uint64_t)time(NULL);
	uint64_t idle = out->idle_expiry_seconds ? out->idle_expiry_seconds : 1800;
	uint64_t until = out->absolute_expiry_unix ? out->absolute_expiry_unix : now + 43200;
	struct web_session *s = session_new(now, idle, until);
	const Pmif__UserInfo *u = out->user;

	if (s == NULL) {
		channel_close(ch);
		page_message(r, 500, "Cannot sign in", "PMIF ran out of memory; try again.");
		return;
	}
	s->ch = *ch; /* the session owns the channel from here on */
	snprintf(s->user, sizeof(s->user), "%s", u && u->name ? u->name : "");
	s->role = u ? (int)u->role : 0;
	for (size_t i = 0; u && i < u->n_directorates; i++) {
		size_t had = strlen(s->directorates);
		snprintf(s->directorates + had, sizeof(s->directorates) - had, "%s%s",
		         i ? ", " : "", u->directorates[i]);
	}
	if (session_add(&r->w->sessions, s, now) != 0) {
		session_put(&r->w->sessions, s);
		page_message(r, 503, "Cannot sign in",
		             "PMIF has as many people signed in as it can hold; try again in a few "
		             "minutes.");
		return;
	}
	answer_cookie(r, "pmif_session=%s; HttpOnly; SameSite=Strict; Path=/%s", s->id, secure(r));
	answer_cookie(r, "pmif_login=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/login%s",
	              secure(r));
	session_put(&r->w->sessions, s);
	answer_redirect(r, "%s", next_page(req_arg(r, "next")));
}

/* Ask pmifd; a refusal is shown on the form in pmifd's words. */
static void login_call(struct req *r, const char *user, const char *password)
{
	Pmif__LoginRequest in = PMIF__LOGIN_REQUEST__INIT;
	Pmif__LoginReply *out = NULL;
	struct call_result res;
	struct channel ch;
	int rc;

	rc = channel_open(&ch, r->w->server, WEB_TIMEOUT_MS, &res);
	ch.pinned_key = r->w->server_key;
	in.user = (char *)user;
	in.password = (char *)password;
	if (rc == 0)
		rc = channel_call(&ch, "Login", &in.base, (ProtobufCMessage **)&out, &res);
	if (rc == 0) {
		channel_set_session(&ch, out);
		OPENSSL_cleanse(out->token.data, out->token.len);
		OPENSSL_cleanse(out->rebind_secret.data, out->rebind_secret.len);
		signed_in(r, &ch, out);
		protobuf_c_message_free_unpacked(&out->base, NULL);
		call_result_release(&res);
		return;
	}
	channel_close(&ch);
	/* a wrong password, or one pmifd's own throttle would not even check */
	if (res.code == PMIF__CODE__UNAUTHENTICATED || res.code == PMIF__CODE__RESOURCE_EXHAUSTED)
		web_throttle_failed(&r->w->throttle, user, r->ip, (uint64_t)time(NULL));
	if (res.code == PMIF__CODE__UNKNOWN) {
		if (!r->w->quiet)
			fprintf(stderr, "pmif-web: sign-in: %s\n", res.message);
		r->status = web_status_for(&res);
		login_form(r, "The PMIF server is not answering just now; try again in a minute.",
		           user);
	} else {
		r->status = res.code == PMIF__CODE__RESOURCE_EXHAUSTED ? 429 : 401;
		login_form(r, res.message[0] ? res.message : "Sign-in refused.", user);
	}
	call_result_release(&res);
}

void page_login_post(struct req *r)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "pmif_login");
	const char *user = req_arg(r, "user"), *password = req_arg(r, "password");
	char pre[SESSION_ID_HEX + 1];
	unsigned wait = 0;

	if (!session_cookie_parse(v, pre) ||
	    !csrf_check(r->w->key, "login", pre, req_arg(r, "csrf"))) {
		page_message(r, 403, "Form refused", SIGNIN_REFUSED);
		return;
	}
	if (user == NULL || password == NULL) {
		r->status = 401;
		login_form(r, "Enter your user name and your password, then sign in.", user);
		return;
	}
	if (!web_throttle_allowed(&r->w->throttle, user, r->ip, (uint64_t)time(NULL), &wait)) {
		char msg[200];

		snprintf(msg, sizeof(msg),
		         "Too many failed sign-ins for this user or from this address; wait %u "
		         "minute%s and try again.",
		         (wait + 59) / 60, (wait + 59) / 60 == 1 ? "" : "s");
		r->status = 429;
		login_form(r, msg, user);
		return;
	}
	login_call(r, user, password);
}

void page_logout(struct req *r)
{
	Pmif__Empty in = PMIF__EMPTY__INIT;
	ProtobufCMessage *out = NULL;
	struct call_result res;

	if (web_call(r, "Logout", &in.base, &out, &res) == 0)
		protobuf_c_message_free_unpacked(out, NULL);
	call_result_release(&res);
	session_end(&r->w->sessions, r->s);
	answer_cookie(r, "pmif_session=; Max-Age=0; HttpOnly; SameSite=Strict; Path=/%s",
	              secure(r));
	answer_redirect(r, "/login?signed_out=1");
}

/* ---- home ---- */

/* The committees, each a link to its pack for @p period. */
static void committees(struct req *r, const char *period)
{
	Pmif__FrameworkListRequest in = PMIF__FRAMEWORK_LIST_REQUEST__INIT;
	Pmif__FrameworkListReply *out = NULL;
	struct call_result res;

	in.kind = PMIF__FRAMEWORK_RECORD__KIND__COMMITTEE;
	page_raw(r, "<section aria-labelledby=\"h-comm\"><h2 id=\"h-comm\">Committee packs</h2>\n");
	if (web_call(r, "FrameworkList", &in.base, (ProtobufCMessage **)&out, &res) == 0) {
		page_raw(r, "<ul class=\"links\">\n");
		for (size_t i = 0; i < out->n_records; i++) {
			const Pmif__Committee *c =
			    WEB_RECORD(out->records[i], COMMITTEE, committee);
			if (c == NULL)
				continue;
			page_raw(r, "<li><a href=\"/pack?committee=");
			web_urlenc(r->f,
			           c->kind == PMIF__COMMITTEE__KIND__CABINET ? "cabinet" : c->id);
			page_raw(r, "&amp;period=");
			web_urlenc(r->f, period);
			page_raw(r, "\">");
			page_text(r, c->name && c->name[0] ? c->name : c->id);
			page_raw(r, "</a></li>\n");
		}
		page_raw(r, "</ul>\n");
		protobuf_c_message_free_unpacked(&out->base, NULL);
	} else {
		page_raw(r, "<p>");
		page_text(r, res.message);
		page_raw(r, "</p>\n");
	}
	page_raw(r, "</section>\n");
	call_result_release(&res);
}

/* Is @p id one of the comma-separated @p list? */
static bool owns(const char *list, const char *id)
{
	size_t n = strlen(id);

	if (n == 0)
		return false;
	for (const char *p = list; (p = strstr(p, id)) != NULL; p += n)
		if ((p == list || p[-1] == ' ' || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return true;
	return false;
}

/* Red and no-data counts for the period; for a directorate, what it owes. */
static void attention(struct req *r, const char *period)
{
	Pmif__ReportFilter f = PMIF__REPORT_FILTER__INIT;
	Pmif__Scorecard *sc = NULL;
	Pmif__CompletenessReport *cr = NULL;
	struct call_result res;

	f.period = (char *)period;
	page_raw(r, "<section aria-labelledby=\"h-att\"><h2 id=\"h-att\">What needs "
	            "attention</h2>\n");
	if (web_call(r, "ReportScorecard", &f.base, (ProtobufCMessage **)&sc, &res) == 0) {
		page_rawf(r,
		          "<ul class=\"counts-list\"><li><strong>%u</strong> Red (&#10005;)</li>"
		          "<li><strong>%u</strong> Amber (!)</li><li><strong>%u</strong> No data "
		          "(&#9675;)</li><li><strong>%u</strong> provisional, awaiting "
		          "sign-off</li></ul>\n",
		          sc->red, sc->amber, sc->no_data, sc->provisional);
		protobuf_c_message_free_unpacked(&sc->base, NULL);
	}
	call_result_release(&res);
	if (r->s->role == PMIF__ROLE__DIRECTORATE &&
	    web_call(r, "ReportCompleteness", &f.base, (ProtobufCMessage **)&cr, &res) == 0) {
		size_t owed = 0;
		page_raw(r, "<h3>Still to submit this period</h3>\n<ul>\n");
		for (size_t i = 0; i < cr->n_directorates; i++) {
			const Pmif__DirectorateCompleteness *d = cr->directorates[i];
			if (!owns(r->s->directorates, d->directorate))
				continue;
			for (size_t j = 0; j < d->n_items; j++) {
				if (strcmp(d->items[j]->status, "missing") != 0)
					continue;
				page_raw(r, "<li>");
				page_text(r, d->items[j]->measure_id);
				page_raw(r, " ");
				page_text(r, d->items[j]->title);
				if (d->items[j]->locality[0]) {
					page_raw(r, " (");
					page_text(r, d->items[j]->locality);
					page_raw(r, ")");
				}
				page_raw(r, "</li>\n");
				owed++;
			}
		}
		if (owed == 0)
			page_raw(r, "<li>Nothing: every value is in.</li>\n");
		page_raw(r, "</ul>\n<p><a href=\"/update?period=");
		web_urlenc(r->f, period);
		page_raw(r, "\">Go to the quarterly update</a></p>\n");
		protobuf_c_message_free_unpacked(&cr->base, NULL);
	}
	call_result_release(&res);
	page_raw(r, "</section>\n");
}

void page_home(struct req *r)
{
	char period[32];

	web_latest_period(r, period, sizeof(period));
	if (r->s == NULL || r->s->ended) {
		answer_redirect(r, "/login?expired=1&next=/");
		return;
	}
	page_open(r, "Home");
	page_raw(r, "<h1>PMIF home</h1>\n<p class=\"lead\">Latest period: <strong>");
	page_text(r, period[0] ? period : "none yet");
	page_raw(r, "</strong></p>\n");
	if (period[0])
		attention(r, period);
	page_raw(r, "<section aria-labelledby=\"h-rep\"><h2 id=\"h-rep\">Reports</h2>\n"
	            "<ul class=\"links\">\n");
	static const struct {
		const char *href, *label;
	} pages[] = {{"/scorecard", "Scorecard"},
	             {"/exceptions", "Exceptions"},
	             {"/completeness", "Completeness"},
	             {"/locality", "Locality comparison"},
	             {"/risks", "Risks"},
	             {"/pack?committee=cabinet", "Cabinet pack"}};
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		page_rawf(r, "<li><a href=\"%s\">%s</a></li>\n", pages[i].href, pages[i].label);
	if (r->s->role == PMIF__ROLE__DIRECTORATE)
		page_raw(r, "<li><a href=\"/update\">Quarterly update</a></li>\n");
	if (r->s->role == PMIF__ROLE__ADMIN)
		page_raw(r, "<li><a href=\"/admin/users\">Users</a></li>\n"
		            "<li><a href=\"/admin/audit\">Audit trail</a></li>\n");
	page_raw(r, "</ul>\n</section>\n");
	committees(r, period);
	page_close(r);
}
