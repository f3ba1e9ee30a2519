/*
 * pages_admin.c - the administrator's read-only views: the users, and the
 * audit trail.  pmifd decides who may see them; a refusal is its sentence.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render.h"
#include "values.pb-c.h"
#include "web.h"

static void table_open(struct req *r, const char *label, const char *caption,
                       const char *const *cols, size_t n)
{
	page_raw(r, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
	page_text(r, label);
	page_raw(r, "\"><table class=\"plain\"><caption>");
	page_text(r, caption);
	page_raw(r, "</caption>\n<thead><tr>");
	for (size_t i = 0; i < n; i++)
		page_rawf(r, "<th scope=\"col\">%s</th>", cols[i]);
	page_raw(r, "</tr></thead>\n<tbody>\n");
}

static void cell(struct req *r, const char *s)
{
	page_raw(r, "<td>");
	page_text(r, s);
	page_raw(r, "</td>");
}

void page_admin_users(struct req *r)
{
	static const char *const cols[] = {"User", "Role", "Directorates", "State", "Last sign-in"};
	Pmif__Empty in = PMIF__EMPTY__INIT;
	Pmif__UserListReply *out = NULL;
	struct call_result res;
	char when[64];

	if (web_call(r, "UserList", &in.base, (ProtobufCMessage **)&out, &res) != 0) {
		answer_call_failed(r, &res);
		call_result_release(&res);
		return;
	}
	page_open(r, "Users");
	page_raw(r, "<h1>Users</h1>\n<p>Read-only here: manage users with <code>pmif admin "
	            "user</code>.</p>\n");
	table_open(r, "Users table", "Every PMIF user and their role", cols, 5);
	for (size_t i = 0; i < out->n_users; i++) {
		const Pmif__UserInfo *u = out->users[i];
		char dirs[512] = "";

		for (size_t j = 0; j < u->n_directorates; j++) {
			size_t had = strlen(dirs);
			snprintf(dirs + had, sizeof(dirs) - had, "%s%s", j ? ", " : "",
			         u->directorates[j]);
		}
		page_raw(r, "<tr><th scope=\"row\">");
		page_text(r, u->name);
		page_raw(r, "</th>");
		cell(r, web_role_word(u->role));
		cell(r, dirs);
		cell(r, u->disabled ? "disabled" : "active");
		cell(r, u->last_login_unix ? render_time(when, sizeof(when), u->last_login_unix)
		                           : "never");
		page_raw(r, "</tr>\n");
	}
	page_raw(r, "</tbody></table></div>\n");
	page_close(r);
	protobuf_c_message_free_unpacked(&out->base, NULL);
	call_result_release(&res);
}

void page_admin_audit(struct req *r)
{
	static const char *const cols[] = {"Entry",  "When",   "User",   "Role",
	                                   "Action", "Record", "Outcome"};
	Pmif__AuditListRequest in = PMIF__AUDIT_LIST_REQUEST__INIT;
	Pmif__AuditListReply *out = NULL;
	struct call_result res;
	const char *limit = req_query(r, "limit"), *before = req_query(r, "before");
	char when[64], *end = NULL, *bend = NULL;
	unsigned long n = limit ? strtoul(limit, &end, 10) : 100;
	unsigned long long b = before ? strtoull(before, &bend, 10) : 0;

	if (limit && (*end || n < 1 || n > 1000 || limit[0] < '0' || limit[0] > '9')) {
		page_message(r, 422, "Audit trail",
		             "The limit must be a whole number from 1 to 1000, e.g. limit=100.");
		return;
	}
	if (before && (*bend || b < 1 || before[0] < '0' || before[0] > '9')) {
		page_message(
		    r, 422, "Audit trail",
		    "The entry to page back from must be an entry number, e.g. before=250; "
		    "follow the Older entries link.");
		return;
	}
	in.limit = (uint32_t)n;
	in.newest_first = true;
	in.before_seq = b;
	if (web_call(r, "AuditList", &in.base, (ProtobufCMessage **)&out, &res) != 0) {
		answer_call_failed(r, &res);
		call_result_release(&res);
		return;
	}
	page_open(r, "Audit trail");
	page_raw(r, "<h1>Audit trail</h1>\n<form method=\"get\" class=\"filters\" "
	            "aria-label=\"Filters\"><div><label for=\"f-limit\">Entries to show</label>"
	            "<input id=\"f-limit\" name=\"limit\" inputmode=\"numeric\" value=\"");
	page_rawf(r, "%lu\"></div><div><button type=\"submit\">Show</button></div></form>\n", n);
	table_open(r, "Audit table",
	           b ? "Recorded changes and refusals, newest first, from an earlier page"
	             : "Recorded changes and refusals, newest first",
	           cols, 7);
	for (size_t i = 0; i < out->n_entries; i++) {
		const Pmif__AuditView *e = out->entries[i];

		page_rawf(r, "<tr><th scope=\"row\">%llu</th>", (unsigned long long)e->seq);
		cell(r, render_time(when, sizeof(when), e->time_unix_us / 1000000));
		cell(r, e->user);
		cell(r, e->role);
		cell(r, e->method);
		cell(r, e->key);
		cell(r, e->code);
		page_raw(r, "</tr>\n");
	}
	page_raw(r, "</tbody></table></div>\n");
	page_raw(r, "<nav aria-label=\"Audit pages\"><p>");
	if (b)
		page_rawf(r, "<a href=\"/admin/audit?limit=%lu\">Newest entries</a> ", n);
	if (out->more && out->n_entries)
		page_rawf(r,
		          "<a href=\"/admin/audit?limit=%lu&amp;before=%llu\" rel=\"next\">Older "
		          "entries</a>",
		          n, (unsigned long long)out->entries[out->n_entries - 1]->seq);
	else
		page_raw(r, "No older entries.");
	page_raw(r, "</p></nav>\n");
	page_close(r);
	protobuf_c_message_free_unpacked(&out->base, NULL);
	call_result_release(&res);
}
