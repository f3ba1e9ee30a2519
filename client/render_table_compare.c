/*
 * render_table_compare.c - comparison with similar councils on a
 * terminal: the line under a measure row in a scorecard or pack, and the
 * report of 'pmif report compare': this council's line, its position in
 * words, then every council ranked, best first, with this council's row
 * marked in words (and bold), and the national / regional figures.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render_table.h"

/* "Source: ILLUSTRATIVE figures: LG Inform, 2023-06-30" */
static void source_line(struct render_buf *b, const Pmif__ComparePosition *c)
{
	render_buf_printf(b, "%s%s%s%s", c->illustrative ? "ILLUSTRATIVE figures: " : "",
	                  render_str(c->source), c->as_of && c->as_of[0] ? ", " : "",
	                  render_str(c->as_of));
}

void table_compare_line(struct tbl *t, const Pmif__MeasureLine *m)
{
	struct render_buf b = {0};

	if (m == NULL || m->compare == NULL)
		return;
	render_buf_printf(&b, "%s (", render_str(m->compare->label));
	source_line(&b, m->compare);
	render_buf_printf(&b, ")");
	table_para(t, 4, "Compared:", b.p ? b.p : "");
	render_buf_release(&b);
}

static void rows(struct tbl *t, Pmif__CompareRow *const *rs, size_t n, const Pmif__MeasureLine *m,
                 bool ranked)
{
	char num[RENDER_NUM_LEN];
	/* marker, rank, name, value, then the words when they fit; the row of
	 * this council is named "This council" either way */
	bool words = t->w >= 56;
	size_t fixed = 2 + 4 + 1 + 1 + 14 + (words ? 17 : 0);
	size_t ncol = t->w > fixed + 30 ? 30 : t->w > fixed + 4 ? t->w - fixed : 4;

	for (size_t i = 0; i < n; i++) {
		const Pmif__CompareRow *r = rs[i];
		char rank[16] = "";

		if (ranked && r->rank)
			snprintf(rank, sizeof(rank), "%u", r->rank);
		if (r->this_council)
			table_sgr(t, SGR_BOLD);
		fputs(r->this_council ? "> " : "  ", t->f);
		table_cell(t, rank, 4, true);
		fputc(' ', t->f);
		table_tcell(t, r->name, ncol, false);
		fputc(' ', t->f);
		table_cell(t, render_value(num, r->value, m ? m->unit : "", m ? m->decimals : 1),
		           14, true);
		if (r->this_council && words)
			fputs("  <- this council", t->f);
		table_reset(t);
		fputc('\n', t->f);
	}
}

void table_compare(struct tbl *t, const Pmif__CompareReport *r, unsigned long long now)
{
	const Pmif__ComparePosition *c = r->position;
	const Pmif__MeasureLine *m = r->measure;
	struct render_buf b = {0};

	table_header(t, r->title, "Comparison with similar councils", NULL, r->filter, now);
	if (c && c->illustrative)
		table_title_line(t, 0,
		                 "ILLUSTRATIVE figures: made up for demonstration, not real "
		                 "councils' data.");
	if (m) {
		/* the position has a line of its own below: not again under the row */
		Pmif__MeasureLine plain = *m, *pl = &plain;
		struct table_cols cols;

		plain.compare = NULL;
		cols = table_measure_cols(t, &pl, 1);
		table_measure_header(t, &cols);
		table_measure_row(t, &cols, pl, false);
	}
	fputc('\n', t->f);
	table_para(t, 0, "Position:", c && c->label ? c->label : "not compared");
	if (c && c->source && c->source[0]) {
		source_line(&b, c);
		table_para(t, 0, "Source:", b.p ? b.p : "");
		render_buf_release(&b);
	}
	if (r->n_rows) {
		fputc('\n', t->f);
		table_sgr(t, SGR_DIM);
		fputs("  Rank Council", t->f);
		table_reset(t);
		fputc('\n', t->f);
		rows(t, r->rows, r->n_rows, m, true);
	}
	if (r->n_references) {
		fputc('\n', t->f);
		table_title_line(t, 0, "National and regional figures (not ranked):");
		rows(t, r->references, r->n_references, m, false);
	}
	fputc('\n', t->f);
	{
		char note[] =
		    "Rank 1 is the best (for a context measure, the highest); councils with "
		    "the same figure, to the decimals reported, share a rank. The quartile "
		    "is the quarter of the ranking the rank falls in.";

		table_sgr(t, SGR_DIM);
		table_wrap(t, note, 0, 0);
		table_reset(t);
	}
}
