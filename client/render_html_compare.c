/*
 * render_html_compare.c - comparison with similar councils in HTML: the
 * "Similar councils" cell of a measures table (scorecard, packs), and the
 * page of 'pmif report compare': this council's line, its position in
 * words, the bar chart (render_chart_compare.c) and the ranked table
 * with this council's row highlighted and named.  Illustrative figures
 * say so in a banner and beside every position.
 */
#include <math.h>
#include <string.h>

#include "error.h"
#include "render_html.h"

bool html_compare_any(Pmif__MeasureLine *const *ms, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ms[i] && ms[i]->compare)
			return true;
	return false;
}

/* "(ILLUSTRATIVE) LG Inform, 2023-06-30" */
static void source_text(struct page *p, const Pmif__ComparePosition *c)
{
	if (c->illustrative)
		html_raw(p, "<strong class=\"illus\">Illustrative figures</strong> &middot; ");
	html_text(p, c->source);
	if (c->as_of && c->as_of[0]) {
		html_raw(p, ", ");
		html_text(p, c->as_of);
	}
}

void html_compare_cell(struct page *p, const Pmif__MeasureLine *m)
{
	const Pmif__ComparePosition *c = m ? m->compare : NULL;

	html_raw(p, "<td>");
	if (c == NULL) {
		html_raw(p, "<span class=\"mid\">no comparator set</span></td>");
		return;
	}
	html_raw(p, "<span class=\"mt\">");
	html_text(p, c->short_label);
	html_raw(p, "</span><span class=\"rule\">");
	html_text(p, c->label);
	html_raw(p, "</span><span class=\"rule\">");
	source_text(p, c);
	html_raw(p, "</span></td>");
}

static void headline(struct page *p, const Pmif__CompareReport *r)
{
	const Pmif__MeasureLine *m = r->measure;
	const Pmif__ComparePosition *c = r->position;

	html_raw(p, "<div class=\"headline\"><span class=\"big\">");
	if (c && c->rank)
		html_rawf(p, "%u of %u", c->rank, c->of);
	else
		html_raw(p, "Not ranked");
	html_raw(p, "</span><span>This council: ");
	if (m)
		html_value(p, m);
	html_raw(p, "</span>");
	if (m) {
		html_raw(p, "<span>");
		html_rag(p, m->rag);
		html_raw(p, "</span>");
	}
	html_raw(p, "</div>\n<p><strong>");
	html_text(p, c ? c->label : "no comparison");
	html_raw(p, "</strong></p>\n");
	if (c && c->source && c->source[0]) {
		html_raw(p, "<p class=\"mid\">Source: ");
		source_text(p, c);
		html_raw(p, "</p>\n");
	}
}

static void row_html(struct page *p, const Pmif__CompareRow *row, const Pmif__MeasureLine *m)
{
	char num[RENDER_NUM_LEN];

	html_raw(p, row->this_council ? "<tr class=\"us\"><td class=\"num\">"
	                              : "<tr><td class=\"num\">");
	if (row->rank)
		html_rawf(p, "%u", row->rank);
	html_raw(p, "</td><td>");
	html_text(p, row->name);
	if (row->this_council)
		html_raw(p, " <strong>&#9664; this council</strong>");
	html_raw(p, "</td><td class=\"num\">");
	html_text(p, render_value(num, row->value, m ? m->unit : "", m ? m->decimals : 1));
	html_raw(p, "</td></tr>\n");
}

static void write_compare(struct page *p, const Pmif__CompareReport *r)
{
	const Pmif__MeasureLine *m = r->measure;
	const char *title = r->title && r->title[0] ? r->title : "Comparison with similar councils";
	struct chart c;

	html_doc_open(p, title, "compare");
	html_cover(p, title, m ? m->title : NULL, r->filter, 0);
	html_raw(p, "<section aria-labelledby=\"h-cmp\"><h2 id=\"h-cmp\">");
	html_text(p, m && m->title && m->title[0] ? m->title : "Measure");
	html_raw(p, " among similar councils</h2>\n");
	if (r->position && r->position->illustrative)
		html_raw(p,
		         "<p class=\"banner illustrative\">Illustrative figures: the comparator "
		         "set is made up for demonstration and is not real councils' data.</p>\n");
	headline(p, r);
	if (r->n_rows > 0) {
		html_raw(p, "<h3>Each council's value, best first</h3>\n");
		chart_compare(&c, 900, r);
		html_chart(p, &c, "wide");
		html_raw(p,
		         "<table><thead><tr><th scope=\"col\" class=\"num\">Rank</th><th "
		         "scope=\"col\">Council</th><th scope=\"col\" class=\"num\">Value</th></tr>"
		         "</thead><tbody>\n");
		for (size_t i = 0; i < r->n_rows; i++)
			row_html(p, r->rows[i], m);
		html_raw(p, "</tbody></table>\n");
	}
	if (r->n_references > 0) {
		html_raw(p,
		         "<h3>National and regional figures (not ranked)</h3>\n<table><tbody>\n");
		for (size_t i = 0; i < r->n_references; i++)
			row_html(p, r->references[i], m);
		html_raw(p, "</tbody></table>\n");
	}
	html_raw(p, "<p class=\"mid\">Rank 1 is the best (for a context measure, the highest); "
	            "councils with the same figure, to the decimals reported, share a rank. The "
	            "quartile is the quarter of the ranking the rank falls in.</p>\n");
	html_raw(p, "</section>\n</main>\n");
	html_doc_close(p);
}

int render_html_compare(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct page p = {.f = c->out, .now = c->now};

	write_compare(&p, (const Pmif__CompareReport *)msg);
	return ferror(c->out) ? PMIF_EIO : 0;
}
