/*
 * render_actions.c - a committee pack's "Actions from previous meetings"
 * as a table (terminal), in HTML and on PDF pages: each action the
 * committee asked for that is still open or in progress, and those closed
 * since the pack's period began, with its owner, due date and the owner's
 * note.  Overdue is said in words ("Overdue: due 2022-09-30, 45 days
 * ago"), never by colour alone.  The server judges overdue (as of the
 * pack's actions_as_of); this only lays it out.  The CSV block is in
 * render_csv.c, beside the CSV primitives.
 */
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_html.h"
#include "render_pdf.h"
#include "render_table.h"

/* "3 actions, 1 overdue on 2026-12-04" */
static void count_line(struct render_buf *b, const Pmif__CommitteePack *k)
{
	size_t overdue = 0;

	for (size_t i = 0; i < k->n_actions; i++)
		overdue += k->actions[i] && k->actions[i]->overdue;
	render_buf_printf(b, "%zu action%s, %zu overdue on %s", k->n_actions,
	                  k->n_actions == 1 ? "" : "s", overdue, render_str(k->actions_as_of));
}

/* The badge word: "Overdue" for an overdue action, else its status. */
static const char *badge_word(const Pmif__ActionView *v)
{
	static const struct {
		const char *status, *word;
	} words[] = {{"open", "Open"},
	             {"in progress", "In progress"},
	             {"done", "Done"},
	             {"dropped", "Dropped"}};

	if (v->overdue)
		return "Overdue";
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (v->status && strcmp(v->status, words[i].status) == 0)
			return words[i].word;
	return render_str(v->status);
}

/* "A-2: in progress; owner Resources & Digital; asked at the meeting of
 * 2022-06-13; overdue: due 2022-09-30, 45 days ago" (the status only when
 * the badge says "Overdue" instead) */
static void detail_line(struct render_buf *b, const Pmif__ActionView *v)
{
	const Pmif__ActionRecord *a = v->action;

	render_buf_printf(b, "%s: %s%sowner %s; asked at the meeting of %s; %s", render_str(a->id),
	                  v->overdue ? render_str(v->status) : "", v->overdue ? "; " : "",
	                  v->directorate_name && v->directorate_name[0]
	                      ? v->directorate_name
	                      : render_str(a->directorate),
	                  render_str(a->meeting), render_str(v->due_label));
}

/* ---- table ---- */

void table_actions(struct tbl *t, const Pmif__CommitteePack *k)
{
	struct render_buf head = {0};

	if (k->n_actions == 0)
		return;
	count_line(&head, k);
	fputc('\n', t->f);
	table_title_line(t, 0, "Actions from previous meetings: %s", head.p ? head.p : "");
	render_buf_release(&head);
	for (size_t i = 0; i < k->n_actions; i++) {
		const Pmif__ActionView *v = k->actions[i];
		struct render_buf b = {0};
		char *c;

		if (v == NULL || v->action == NULL)
			continue;
		table_spaces(t, 2);
		if (v->overdue)
			table_sgr(t, SGR_RED);
		table_cell(t, badge_word(v), 12, false);
		if (v->overdue)
			table_reset(t);
		fputc(' ', t->f);
		detail_line(&b, v);
		c = table_clean(t, b.p ? b.p : "", false);
		table_wrap(t, c, 15, 15);
		free(c);
		render_buf_release(&b);
		table_para(t, 15, "Action:", v->action->text);
		if (v->action->note && v->action->note[0])
			table_para(t, 15, "Note:", v->action->note);
	}
}

/* ---- HTML ---- */

void html_actions(struct page *p, const Pmif__CommitteePack *k)
{
	struct render_buf head = {0};

	if (k->n_actions == 0)
		return;
	count_line(&head, k);
	html_raw(p, "<section class=\"actions\" aria-labelledby=\"h-actions\">\n<h2 "
	            "id=\"h-actions\">Actions from previous meetings</h2>\n<p>");
	html_text(p, head.p ? head.p : "");
	render_buf_release(&head);
	html_raw(p,
	         "</p>\n<table><thead><tr><th scope=\"col\">Action</th>"
	         "<th scope=\"col\">Asked</th><th scope=\"col\">Owner</th>"
	         "<th scope=\"col\">Due</th><th scope=\"col\">Status</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < k->n_actions; i++) {
		const Pmif__ActionView *v = k->actions[i];
		const Pmif__ActionRecord *a = v ? v->action : NULL;
		const char *cls = v && v->overdue ? "red"
		                  : v && a && a->status >= PMIF__ACTION_STATUS__ACTION_DONE
		                      ? "done"
		                      : "grey";

		if (a == NULL)
			continue;
		html_rawf(p, "<tr%s><td><span class=\"mid\">",
		          v->overdue ? " class=\"overdue\"" : "");
		html_text(p, a->id);
		html_raw(p, "</span> ");
		html_text(p, a->text);
		if (a->note && a->note[0]) {
			html_raw(p, "<span class=\"note\">Note: ");
			html_text(p, a->note);
			html_raw(p, "</span>");
		}
		html_raw(p, "</td><td class=\"date\">");
		html_text(p, a->meeting);
		html_raw(p, "</td><td>");
		html_text(p, v->directorate_name && v->directorate_name[0] ? v->directorate_name
		                                                           : a->directorate);
		html_raw(p, "</td><td>");
		html_text(p, v->due_label);
		html_rawf(p, "</td><td><span class=\"badge %s\">", cls);
		html_text(p, badge_word(v));
		html_raw(p, "</span>");
		if (v->overdue) {
			html_raw(p, " ");
			html_text(p, v->status);
		}
		html_raw(p, "</td></tr>\n");
	}
	html_raw(p, "</tbody></table></section>\n");
}

/* ---- PDF ---- */

void pdf_actions(struct pdf *d, const Pmif__CommitteePack *k)
{
	struct render_buf head = {0};

	if (k->n_actions == 0)
		return;
	pdf_heading(d, "Actions from previous meetings", 11);
	count_line(&head, k);
	pdf_para(d, MARGIN_L, WIDTH, head.p ? head.p : "", 8.5, false, INK_MUTED);
	render_buf_release(&head);
	d->y += 4;
	for (size_t i = 0; i < k->n_actions; i++) {
		const Pmif__ActionView *v = k->actions[i];
		const Pmif__ActionRecord *a = v ? v->action : NULL;
		struct render_buf b = {0};

		if (a == NULL)
			continue;
		pdf_room(d, 28);
		pdf_badge(d, MARGIN_L, d->y, badge_word(v),
		          v->overdue                                      ? INK_RED
		          : a->status >= PMIF__ACTION_STATUS__ACTION_DONE ? INK_GREEN
		                                                          : INK_GREY,
		          7);
		detail_line(&b, v);
		pdf_para(d, MARGIN_L + 82, WIDTH - 82, b.p ? b.p : "", 8, true, INK_TEXT);
		render_buf_release(&b);
		pdf_para(d, MARGIN_L + 82, WIDTH - 82, a->text, 8, false, INK_TEXT);
		if (a->note && a->note[0]) {
			render_buf_printf(&b, "Note: %s", a->note);
			pdf_para(d, MARGIN_L + 82, WIDTH - 82, b.p ? b.p : "", 8, false, INK_MUTED);
			render_buf_release(&b);
		}
		d->y += 3;
	}
	d->y += 4;
}
