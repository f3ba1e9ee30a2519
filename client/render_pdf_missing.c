/*
 * render_pdf_missing.c - what is missing, on PDF pages: the completeness
 * report (by directorate, against the period's entry deadline) and a
 * pack's No data list (each measure with no value for the period, with
 * the directorate that owes it).  The primitives are in render_pdf.c;
 * the cover and badges in render_pdf_reports.c.
 */
#include <stdlib.h>
#include <string.h>

#include <cairo.h>

#include "render.h"
#include "render_chart.h"
#include "render_pdf.h"

void pdf_no_data(struct pdf *d, Pmif__MissingItem *const *items, size_t n)
{
	char line[96];

	if (n == 0)
		return;
	snprintf(line, sizeof(line), "No data: %zu measure%s with no value for the period", n,
	         n == 1 ? "" : "s");
	pdf_heading(d, line, 11);
	for (size_t i = 0; i < n; i++) {
		const Pmif__MissingItem *it = items[i];
		struct render_buf t = {0};

		if (it == NULL)
			continue;
		pdf_room(d, 14);
		pdf_badge(d, MARGIN_L, d->y, "\u25cb No data", INK_NO_DATA, 7);
		render_buf_printf(
		    &t, "%s %s (%s, %s) - owner: %s", render_str(it->measure_id),
		    render_str(it->title), render_str(it->period), render_str(it->locality),
		    it->directorate_name && it->directorate_name[0] ? it->directorate_name
		                                                    : render_str(it->directorate));
		pdf_para(d, MARGIN_L + 82, WIDTH - 82, t.p ? t.p : "", 8, false, INK_TEXT);
		render_buf_release(&t);
		d->y += 2;
	}
	d->y += 4;
}

void pdf_completeness(struct pdf *d, const Pmif__CompletenessReport *r)
{
	struct chart c;
	struct chart_row *rows = calloc(r->n_directorates ? r->n_directorates : 1, sizeof(*rows));
	char(*notes)[48] = calloc(r->n_directorates ? r->n_directorates : 1, sizeof(*notes));
	struct render_buf b = {0};
	size_t n = 0;

	pdf_cover(d, d->running, NULL, r->filter);
	render_buf_printf(&b, "%sThe period is %s%s%s.", r->overdue ? "OVERDUE: " : "",
	                  r->period_state && r->period_state[0] ? r->period_state : "unknown",
	                  r->due_date && r->due_date[0] ? "; entry was due by " : "",
	                  render_str(r->due_date));
	pdf_para(d, MARGIN_L, WIDTH, b.p ? b.p : "", 11, true, r->overdue ? INK_RED : INK_TEXT);
	render_buf_release(&b);
	d->y += 6;
	if (rows && notes) {
		for (size_t i = 0; i < r->n_directorates; i++) {
			const Pmif__DirectorateCompleteness *dc = r->directorates[i];

			if (dc == NULL)
				continue;
			snprintf(notes[n], sizeof(notes[n]), "of %u expected", dc->expected);
			rows[n] = chart_completeness_row(dc->directorate, dc->approved,
			                                 dc->submitted, dc->missing, notes[n]);
			n++;
		}
		chart_stacked(&c, WIDTH, 60, rows, n, true);
		pdf_chart_here(d, &c, MARGIN_L);
	}
	free(rows);
	free(notes);
	for (size_t i = 0; i < r->n_directorates; i++) {
		const Pmif__DirectorateCompleteness *dc = r->directorates[i];
		char line[128];

		if (dc == NULL)
			continue;
		pdf_heading(d, dc->name && dc->name[0] ? dc->name : render_str(dc->directorate),
		            11);
		snprintf(line, sizeof(line),
		         "%u expected: %u approved, %u awaiting sign-off, %u missing", dc->expected,
		         dc->approved, dc->submitted, dc->missing);
		pdf_para(d, MARGIN_L, WIDTH, line, 8.5, false, INK_MUTED);
		for (size_t k = 0; k < dc->n_items; k++) {
			const Pmif__MissingItem *it = dc->items[k];
			struct render_buf t = {0};
			bool missing;

			if (it == NULL)
				continue;
			missing = it->status && strcmp(it->status, "missing") == 0;
			pdf_room(d, 14);
			pdf_badge(d, MARGIN_L, d->y, missing ? "missing" : "awaiting sign-off",
			          missing ? INK_RED : INK_AMBER, 7);
			render_buf_printf(&t, "%s %s (%s)", render_str(it->measure_id),
			                  render_str(it->title), render_str(it->locality));
			pdf_para(d, MARGIN_L + 82, WIDTH - 82, t.p ? t.p : "", 8, false, INK_TEXT);
			render_buf_release(&t);
			d->y += 2;
		}
	}
}
