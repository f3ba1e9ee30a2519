/*
 * render_pdf_compare.c - comparison with similar councils in the PDF: the
 * position under a measure row (scorecard, packs) and the report of
 * 'pmif report compare': this council's line, its position in words, the
 * bar chart (render_chart_compare.c), then every council ranked with this
 * council's row shaded and named.  Illustrative figures say so on the
 * report's first lines and beside every position.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_pdf.h"

struct pdf_lines pdf_compare_wrap(struct pdf *d, const Pmif__MeasureLine *m, double width)
{
	const Pmif__ComparePosition *c = m ? m->compare : NULL;
	struct pdf_lines l = {0};
	struct render_buf b = {0};
	char *clean;

	if (c == NULL)
		return l;
	render_buf_printf(&b, "Compared: %s (%s%s%s%s)", render_str(c->label),
	                  c->illustrative ? "ILLUSTRATIVE figures: " : "", render_str(c->source),
	                  c->as_of && c->as_of[0] ? ", " : "", render_str(c->as_of));
	clean = pdf_clean(d, b.p ? b.p : "", false);
	render_buf_release(&b);
	l = pdf_wrap(d, clean, width, 0);
	free(clean);
	return l;
}

void pdf_compare_cell(struct pdf *d, const Pmif__MeasureLine *m, double x, double y)
{
	char line[64];

	if (m == NULL || m->compare == NULL)
		return;
	snprintf(line, sizeof(line), "Similar: %s%s", render_str(m->compare->short_label),
	         m->compare->illustrative ? " (illus.)" : "");
	pdf_font(d, 7, true);
	pdf_ink(d, INK_LINE);
	pdf_show(d, x, y, line);
}

static void rows(struct pdf *d, Pmif__CompareRow *const *rs, size_t n, const Pmif__MeasureLine *m)
{
	char v[RENDER_NUM_LEN], rank[16];

	for (size_t i = 0; i < n; i++) {
		const Pmif__CompareRow *r = rs[i];
		char *name = pdf_clean(d, r->name, false);
		double y0;

		pdf_room(d, 15);
		y0 = d->y;
		if (r->this_council)
			pdf_fill_rect(d, MARGIN_L, y0, WIDTH, 14, INK_BUDGET);
		pdf_font(d, 9, r->this_council);
		pdf_ink(d, INK_TEXT);
		snprintf(rank, sizeof(rank), "%u", r->rank);
		if (r->rank)
			pdf_show_right(d, MARGIN_L + 24, y0 + 10, rank);
		pdf_show_fit(d, MARGIN_L + 34, y0 + 10, name, WIDTH - 200);
		pdf_show_right(d, MARGIN_L + WIDTH - 110, y0 + 10,
		               render_value(v, r->value, m ? m->unit : "", m ? m->decimals : 1));
		if (r->this_council)
			pdf_show(d, MARGIN_L + WIDTH - 100, y0 + 10, "\xe2\x97\x80 this council");
		free(name);
		d->y = y0 + 14;
		pdf_hline(d, MARGIN_L, PAGE_W - MARGIN_R, d->y, INK_GRID, 0.5);
		d->y += 1;
	}
}

void pdf_compare(struct pdf *d, const Pmif__CompareReport *r)
{
	const Pmif__MeasureLine *m = r->measure;
	const Pmif__ComparePosition *c = r->position;
	struct render_buf b = {0};
	struct chart ch;

	pdf_cover(d, d->running, m ? m->title : NULL, r->filter);
	if (c && c->illustrative)
		pdf_para(
		    d, MARGIN_L, WIDTH,
		    "ILLUSTRATIVE figures: the comparator set is made up for demonstration and "
		    "is not real councils' data.",
		    10, true, INK_CONCERN);
	if (m) {
		Pmif__MeasureLine plain = *m;

		plain.compare = NULL; /* its own paragraph below */
		pdf_measure_headline(d, &plain);
	}
	pdf_para(d, MARGIN_L, WIDTH, c && c->label ? c->label : "not compared", 11, true, INK_TEXT);
	if (c && c->source && c->source[0]) {
		render_buf_printf(&b, "Source: %s%s%s%s",
		                  c->illustrative ? "ILLUSTRATIVE figures: " : "",
		                  render_str(c->source), c->as_of && c->as_of[0] ? ", " : "",
		                  render_str(c->as_of));
		pdf_para(d, MARGIN_L, WIDTH, b.p ? b.p : "", 8.5, false, INK_MUTED);
		render_buf_release(&b);
	}
	if (r->n_rows) {
		pdf_heading(d, "Each council's value, best first", 12);
		chart_compare(&ch, WIDTH, r);
		pdf_chart_here(d, &ch, MARGIN_L);
		pdf_heading(d, "The ranking", 11);
		rows(d, r->rows, r->n_rows, m);
	}
	if (r->n_references) {
		pdf_heading(d, "National and regional figures (not ranked)", 11);
		rows(d, r->references, r->n_references, m);
	}
	d->y += 6;
	pdf_para(d, MARGIN_L, WIDTH,
	         "Rank 1 is the best (for a context measure, the highest); councils with the same "
	         "figure, to the decimals reported, share a rank. The quartile is the quarter of "
	         "the ranking the rank falls in.",
	         8, false, INK_MUTED);
}
