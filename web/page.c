/*
 * page.c - the page shell every pmif-web page shares (skip link, header
 * with the user and the sign-out form, the main nav, main, footer), the
 * one-sentence pages (403, 404, 413 ...), redirects and cookies, request
 * arguments, and the CSRF check on every POST.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pmif.pb-c.h"
#include "web.h"
#include "words.h"

const char *web_role_word(Pmif__Role role)
{
	return pmif_role_word(role, "unknown role");
}

void page_csrf_field(struct req *r, const char *token)
{
	page_raw(r, "<input type=\"hidden\" name=\"csrf\" value=\"");
	page_text(r, token);
	page_raw(r, "\">");
}

void req_session_csrf(struct req *r, char out[65])
{
	out[0] = '\0';
	if (r->s)
		csrf_token(r->w->key, "session", r->s->id, out);
}

/* The main nav: what every user reads, then what their role does. */
static void nav(struct req *r)
{
	static const struct {
		const char *href, *label;
		int role; /* 0: everyone */
	} items[] = {
	    {"/", "Home", 0},
	    {"/scorecard", "Scorecard", 0},
	    {"/exceptions", "Exceptions", 0},
	    {"/completeness", "Completeness", 0},
	    {"/locality", "Locality", 0},
	    {"/risks", "Risks", 0},
	    {"/pack?committee=cabinet", "Cabinet pack", 0},
	    {"/update", "Quarterly update", PMIF__ROLE__DIRECTORATE},
	    {"/admin/users", "Users", PMIF__ROLE__ADMIN},
	    {"/admin/audit", "Audit trail", PMIF__ROLE__ADMIN},
	};

	/* Signed out, the page itself is the way in: no nav, so that Tab goes
	 * from the skip link straight to the sign-in form. */
	if (r->s == NULL)
		return;
	page_raw(r, "<nav aria-label=\"Main\"><ul>");
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if (items[i].role && items[i].role != r->s->role)
			continue;
		page_rawf(r, "<li><a href=\"%s\"%s>%s</a></li>", items[i].href,
		          strcmp(items[i].href, r->path) == 0 ? " aria-current=\"page\"" : "",
		          items[i].label);
	}
	page_raw(r, "</ul></nav>\n");
}

void page_open(struct req *r, const char *title)
{
	char csrf[65];

	page_raw(r, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	            "<title>");
	page_text(r, title);
	page_raw(r, " - PMIF</title>\n<link rel=\"stylesheet\" href=\"/static/pmif.css\">\n"
	            "</head>\n<body>\n<a class=\"skip\" href=\"#main\">Skip to content</a>\n"
	            "<header class=\"site\">\n<div class=\"bar\">\n"
	            "<p class=\"site-name\">");
	page_raw(r, r->s ? "<a href=\"/\">PMIF</a>" : "PMIF");
	page_raw(r, " <span>Performance Management and Improvement Framework</span></p>\n");
	if (r->s) {
		page_raw(r, "<p class=\"who\">Signed in as <strong>");
		page_text(r, r->s->user);
		page_raw(r, "</strong> (");
		page_text(r, web_role_word((Pmif__Role)r->s->role));
		if (r->s->directorates[0]) {
			page_raw(r, ": ");
			page_text(r, r->s->directorates);
		}
		page_raw(r, ")</p>\n<form method=\"post\" action=\"/logout\" class=\"signout\">");
		req_session_csrf(r, csrf);
		page_csrf_field(r, csrf);
		page_raw(r, "<button>Sign out</button></form>\n");
	}
	page_raw(r, "</div>\n");
	nav(r);
	page_raw(r, "</header>\n<main id=\"main\">\n");
}

void page_close(struct req *r)
{
	page_raw(r, "</main>\n<footer class=\"site\"><p>PMIF: the council's Performance Management "
	            "and Improvement Framework. Every judgement shown was made by the PMIF server "
	            "by the rule printed beside it.</p></footer>\n</body>\n</html>\n");
}

void page_message(struct req *r, unsigned status, const char *title, const char *sentence)
{
	r->status = status;
	page_open(r, title);
	page_raw(r, "<h1>");
	page_text(r, title);
	page_raw(r, "</h1>\n<p class=\"error\" role=\"alert\">");
	page_text(r, sentence);
	page_raw(r, "</p>\n<p><a href=\"/\">Go to the home page</a></p>\n");
	page_close(r);
}

void answer_redirect(struct req *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->location, sizeof(r->location), fmt, ap);
	va_end(ap);
	r->status = 303;
}

void answer_cookie(struct req *r, const char *fmt, ...)
{
	va_list ap;

	if (r->n_cookies >= sizeof(r->cookies) / sizeof(r->cookies[0]))
		return;
	va_start(ap, fmt);
	vsnprintf(r->cookies[r->n_cookies++], sizeof(r->cookies[0]), fmt, ap);
	va_end(ap);
}

const char *req_query(struct req *r, const char *name)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);

	return v && v[0] ? v : NULL;
}

const char *req_arg(struct req *r, const char *name)
{
	if (!r->post)
		return req_query(r, name);
	for (size_t i = 0; i < r->form.n; i++)
		if (strcmp(r->form.key[i], name) == 0)
			return r->form.value[i][0] ? r->form.value[i] : NULL;
	return NULL;
}

bool req_csrf_ok(struct req *r)
{
	if (r->s && csrf_check(r->w->key, "session", r->s->id, req_arg(r, "csrf")))
		return true;
	page_message(r, 403, "Form refused",
	             "This form has expired or did not come from PMIF; reload the page and try "
	             "again.");
	return false;
}
