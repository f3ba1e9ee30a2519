/*
 * router.c - the one table of pmif-web's pages: method, path, whether it
 * needs a signed-in session, and its handler.  web_route() does what
 * every page shares before its handler runs: finds the session from the
 * cookie, sends a browser without one to sign in (GET) or refuses the
 * form (POST), and checks the CSRF token on every POST.  Handlers never
 * repeat those checks.
 */
#include <string.h>
#include <time.h>

#include "web.h"

enum {
	R_SESSION = 1, /* a signed-in session is required */
	R_PREFIX = 2,  /* path is a prefix ("/measure/" + CODE) */
	R_NO_CSRF = 4, /* a POST that checks its own token (sign-in) */
};

static const struct route {
	const char *method;
	const char *path;
	unsigned flags;
	web_handler *handle;
} routes[] = {
    {"GET", "/login", 0, page_login},
    {"POST", "/login", R_NO_CSRF, page_login_post},
    {"POST", "/logout", R_SESSION, page_logout},
    {"GET", "/static/pmif.css", 0, page_css},
    {"GET", "/", R_SESSION, page_home},
    {"GET", "/scorecard", R_SESSION, page_scorecard},
    {"GET", "/exceptions", R_SESSION, page_exceptions},
    {"GET", "/completeness", R_SESSION, page_completeness},
    {"GET", "/locality", R_SESSION, page_locality},
    {"GET", "/measure/", R_SESSION | R_PREFIX, page_measure},
    {"GET", "/pack", R_SESSION, page_pack},
    {"GET", "/risks", R_SESSION, page_risks},
    {"GET", "/update", R_SESSION, page_update},
    {"POST", "/update/value", R_SESSION, page_update_value},
    {"POST", "/update/commentary", R_SESSION, page_update_commentary},
    {"POST", "/update/intervention", R_SESSION, page_update_intervention},
    {"POST", "/update/risk", R_SESSION, page_update_risk},
    {"GET", "/admin/users", R_SESSION, page_admin_users},
    {"GET", "/admin/audit", R_SESSION, page_admin_audit},
};

static bool path_matches(const struct route *rt, const char *path)
{
	if (rt->flags & R_PREFIX)
		return strncmp(path, rt->path, strlen(rt->path)) == 0 && path[strlen(rt->path)];
	return strcmp(path, rt->path) == 0;
}

/* The signed-in session from the pmif_session cookie, or NULL. */
static struct web_session *find_session(struct req *r)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "pmif_session");
	char id[SESSION_ID_HEX + 1];

	if (!session_cookie_parse(v, id))
		return NULL;
	return session_get(&r->w->sessions, id, (uint64_t)time(NULL));
}

/* May @p path go in a next= link?  Our own absolute paths only. */
static bool local_path(const char *path)
{
	if (path[0] != '/' || path[1] == '/')
		return false;
	for (const char *p = path; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("/-_.", *p)))
			return false;
	return true;
}

void web_route(struct req *r)
{
	const struct route *rt = NULL;
	bool path_known = false;
	const char *method = strcmp(r->method, "HEAD") == 0 ? "GET" : r->method;

	for (size_t i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
		if (!path_matches(&routes[i], r->path))
			continue;
		path_known = true;
		if (strcmp(routes[i].method, method) == 0) {
			rt = &routes[i];
			break;
		}
	}
	r->s = find_session(r);
	if (r->too_big) {
		page_message(r, 413, "Too much sent",
		             "That form sent more than 64 KiB; shorten the text and try again.");
		return;
	}
	if (rt == NULL) {
		if (path_known)
			page_message(r, 405, "Not allowed here",
			             "That page cannot be used that way; follow a link or a button "
			             "instead.");
		else
			page_message(
			    r, 404, "Page not found",
			    "There is no such page in PMIF; check the address, or start from "
			    "the home page.");
		return;
	}
	if ((rt->flags & R_SESSION) && r->s == NULL) {
		if (r->post)
			page_message(
			    r, 403, "Form refused",
			    "This form has expired or did not come from PMIF; reload the page "
			    "and try again.");
		else {
			char next[1536];

			web_next_target(r, local_path(r->path) ? r->path : "/", next, sizeof(next));
			answer_redirect(r, "/login?expired=1&next=%s", next);
		}
		return;
	}
	if (r->post && !(rt->flags & R_NO_CSRF) && !req_csrf_ok(r))
		return;
	rt->handle(r);
}
