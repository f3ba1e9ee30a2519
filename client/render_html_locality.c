/*
 * render_html_locality.c - a pack's locality section in the HTML page:
 * each by-locality measure under its own heading, its compact locality
 * chart (SVG, render_chart_locality.c) and the figures as a table: each
 * area's value, 95% confidence interval, the server's comparison in full
 * and the interval's method.
 */
#include <math.h>
#include <string.h>

#include "render_html.h"

static void measure(struct page *p, const Pmif__LocalityReport *r, size_t i)
{
	const Pmif__MeasureLine *m = r->measure;
	struct chart c;

	html_rawf(p, "<article class=\"loc\" aria-labelledby=\"h-loc-%zu\"><h3 id=\"h-loc-%zu\">",
	          i, i);
	html_text(p, m->title && m->title[0] ? m->title : m->measure_id);
	html_raw(p, " <span class=\"mid\">");
	html_text(p, m->measure_id);
	html_raw(p, " &middot; ");
	html_text(p, m->period);
	html_raw(p, "</span></h3>\n");
	chart_locality_compact(&c, 760, r);
	html_chart(p, &c, "wide");
	html_raw(p,
	         "<table class=\"loc\"><thead><tr><th scope=\"col\">Locality</th><th scope=\"col\" "
	         "class=\"num\">Value</th><th scope=\"col\" class=\"num\">95% interval</th><th "
	         "scope=\"col\">Compared with the borough</th><th scope=\"col\">Method</th></tr>"
	         "</thead><tbody>\n");
	if (r->borough)
		html_locality_row(p, r->borough, m, true);
	for (size_t k = 0; k < r->n_localities; k++)
		if (r->localities[k])
			html_locality_row(p, r->localities[k], m, false);
	html_raw(p, "</tbody></table></article>\n");
}

void html_pack_localities(struct page *p, Pmif__LocalityReport *const *reps, size_t n)
{
	if (n == 0)
		return;
	html_raw(p, "<section class=\"localities\" aria-labelledby=\"h-loc\">\n<h2 id=\"h-loc\">"
	            "Localities: each against the borough</h2>\n");
	html_rawf(
	    p,
	    "<p class=\"mid\">%zu measure%s reported by locality, for the period of this pack: "
	    "every locality's value with its 95%% confidence interval (the whisker), against "
	    "the borough's value (the dashed line). Where the interval does not reach the "
	    "borough's value the difference is unlikely to be chance, and the locality is "
	    "significantly better or worse. A hollow mark is provisional.</p>\n",
	    n, n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++)
		if (reps[i] && reps[i]->measure)
			measure(p, reps[i], i);
	html_raw(p, "</section>\n");
}
