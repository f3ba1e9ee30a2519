/*
 * render_html_objective.c - one objective's section of an HTML pack, in
 * the order a member reads it: the "so what" beside the measures, each
 * measure with its value, RAG word, rule, sparkline and direction of
 * travel, then interventions, risks, resources, case studies and the
 * directorates' commentary.
 */
#include <math.h>
#include <string.h>

#include "render_html.h"

static const char *variation_class(Pmif__Variation v)
{
	switch (v) {
	case PMIF__VARIATION__VARIATION_CONCERN: return "concern";
	case PMIF__VARIATION__VARIATION_IMPROVEMENT: return "improvement";
	default: return "plain";
	}
}

void html_measures_table(struct page *p, Pmif__MeasureLine *const *ms, size_t n, bool reasons)
{
	/* the exceptions table has its reasons instead: the width is spent */
	bool compare = !reasons && html_compare_any(ms, n);

	if (n == 0) {
		html_raw(p, "<p>No measures are reported here for this period.</p>\n");
		return;
	}
	html_raw(p, "<table class=\"measures\">\n");
	html_caption(p, "Measures: value, RAG, direction of travel and variation");
	html_raw(
	    p,
	    "<thead><tr><th scope=\"col\">Measure and how its RAG is "
	    "set"
	    "</th><th scope=\"col\" class=\"num\">Latest</th><th scope=\"col\" class=\"num\">Target"
	    "</th><th scope=\"col\">RAG</th><th scope=\"col\">Last 8 periods</th>"
	    "<th scope=\"col\">Direction of travel</th><th scope=\"col\">Variation (SPC)</th>");
	if (compare)
		html_raw(p, "<th scope=\"col\">Similar councils</th>");
	if (reasons)
		html_raw(p, "<th scope=\"col\">Why it is an exception</th>");
	html_raw(p, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const Pmif__MeasureLine *m = ms[i];
		char t[RENDER_NUM_LEN];
		struct chart c;

		if (m == NULL)
			continue;
		html_raw(p, "<tr><td><span class=\"mt\">");
		html_line_title(p, m);
		html_raw(p, "</span> <span class=\"mid\">");
		html_text(p, m->measure_id);
		if (m->locality && m->locality[0] && strcmp(m->locality, "borough") != 0) {
			html_raw(p, " &middot; ");
			html_text(p, m->locality);
		}
		html_raw(p, "</span><span class=\"rule\">RAG rule: ");
		html_text(p, m->rag_rule && m->rag_rule[0] ? m->rag_rule : "no RAG rule given");
		html_raw(p, "</span>");
		if (m->note && m->note[0]) {
			html_raw(p, "<span class=\"note\">Officer's note: ");
			html_text(p, m->note);
			html_raw(p, "</span>");
		}
		html_raw(p, "</td><td class=\"num\"><span class=\"val\">");
		html_value(p, m);
		html_raw(p, "</span><br><span class=\"mid\">");
		html_text(p, m->period);
		html_raw(p, "</span></td><td class=\"num\">");
		html_text(p, render_has_target(m) ? render_line_target(t, m) : "none");
		html_raw(p, "</td><td>");
		html_rag(p, m->rag);
		html_raw(p, "</td><td class=\"sp\">");
		chart_sparkline(&c, 128, 34, m->sparkline, m->n_sparkline, m);
		html_chart(p, &c, "spark");
		html_raw(p, "</td><td>");
		html_direction(p, "on previous", m->vs_previous, m->previous_period,
		               m->has_previous, m->previous_value, m);
		html_direction(p, "on last year", m->vs_last_year, m->last_year_period,
		               m->has_last_year, m->last_year_value, m);
		html_rawf(p, "</td><td class=\"spcc\"><span class=\"spc %s\">%s</span>",
		          variation_class(m->variation), render_variation_word(m->variation));
		if (m->spc_summary && m->spc_summary[0] &&
		    m->variation != PMIF__VARIATION__VARIATION_COMMON_CAUSE &&
		    m->variation != PMIF__VARIATION__VARIATION_NOT_ASSESSED) {
			html_raw(p, "<span class=\"rule\">");
			html_text(p, m->spc_summary);
			html_raw(p, "</span>");
		}
		html_raw(p, "</td>");
		if (compare)
			html_compare_cell(p, m);
		if (reasons) {
			html_raw(p, "<td>");
			html_reasons(p, m, false);
			html_raw(p, "</td>");
		}
		html_raw(p, "</tr>\n");
	}
	html_raw(p, "</tbody>\n</table>\n");
}

static void case_studies_html(struct page *p, const Pmif__ObjectiveSection *o)
{
	if (o->n_case_studies == 0)
		return;
	html_raw(p, "<h3>Case studies: the difference it makes</h3>\n");
	for (size_t i = 0; i < o->n_case_studies; i++) {
		const Pmif__CaseStudyLine *cs = o->case_studies[i];

		if (cs == NULL)
			continue;
		html_raw(p, "<article class=\"case\"><h4>");
		html_text(p, cs->title);
		html_raw(p, "</h4>");
		if (cs->locality && cs->locality[0]) {
			html_raw(p, "<span class=\"tag\">");
			html_text(p, cs->locality);
			html_raw(p, "</span>");
		}
		for (size_t k = 0; k < cs->n_measures; k++) {
			html_raw(p, "<span class=\"tag\">");
			html_text(p, cs->measures[k]);
			html_raw(p, "</span>");
		}
		html_raw(p, "<p>");
		html_text(p, cs->story);
		html_raw(p, "</p></article>\n");
	}
}

static void commentary_html(struct page *p, const Pmif__ObjectiveSection *o)
{
	html_raw(p, "<div class=\"sowhat\"><h3>So what: what this tells us</h3><p>");
	if (o->commentary && o->commentary[0]) {
		html_text(p, o->commentary);
		html_raw(p, "</p>");
		if (o->commentary_by && o->commentary_by[0]) {
			html_raw(p, "<p class=\"by\">");
			html_text(p, o->commentary_by);
			html_raw(p, "</p>");
		}
	} else {
		html_raw(p, "No commentary has been entered for this period.</p>");
	}
	html_raw(p, "</div>\n");
}

/* A pack's measures with no value for the period: what, where, and who owes it. */
void html_no_data(struct page *p, Pmif__MissingItem *const *items, size_t n)
{
	if (n == 0)
		return;
	html_rawf(p,
	          "<section class=\"nodata\" aria-labelledby=\"h-nodata\">\n<h2 "
	          "id=\"h-nodata\">No data: %zu measure%s with no value for the period</h2>\n"
	          "<table>",
	          n, n == 1 ? "" : "s");
	html_caption(p, "Measures with no value, and who owes them");
	html_raw(p, "<thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Period</th>"
	            "<th scope=\"col\">Locality</th><th scope=\"col\">Owner</th>"
	            "<th scope=\"col\">RAG</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const Pmif__MissingItem *it = items[i];

		if (it == NULL)
			continue;
		html_raw(p, "<tr><td><span class=\"mt\">");
		html_text(p, it->title);
		html_raw(p, "</span> <span class=\"mid\">");
		html_text(p, it->measure_id);
		html_raw(p, "</span></td><td>");
		html_text(p, it->period);
		html_raw(p, "</td><td>");
		html_text(p, it->locality);
		html_raw(p, "</td><td>");
		html_text(p, it->directorate_name && it->directorate_name[0] ? it->directorate_name
		                                                             : it->directorate);
		html_raw(p, "</td><td>");
		html_rag(p, PMIF__RAG__RAG_NO_DATA);
		html_raw(p, "</td></tr>\n");
	}
	html_raw(p, "</tbody></table></section>\n");
}

void html_objective(struct page *p, const Pmif__ObjectiveSection *o)
{
	struct chart c;
	struct chart_row row;
	unsigned total;

	if (o == NULL)
		return;
	total = o->red + o->amber + o->green + o->grey + o->no_data;
	html_raw(p, "<section class=\"objective\" id=\"");
	html_anchor(p, "obj-", o->objective_id);
	html_raw(p, "\" aria-labelledby=\"");
	html_anchor(p, "h-", o->objective_id);
	html_raw(p, "\">\n<h2 id=\"");
	html_anchor(p, "h-", o->objective_id);
	html_raw(p, "\"><span class=\"oid\">");
	html_text(p, o->objective_id);
	html_raw(p, "</span>");
	html_text(p, o->title);
	html_raw(p, "</h2>\n");
	html_rawf(p,
	          "<p class=\"counts\">%u measure%s: %u Red, %u Amber, %u Green, %u Grey, %u No "
	          "data</p>\n",
	          total, total == 1 ? "" : "s", o->red, o->amber, o->green, o->grey, o->no_data);
	row = chart_rag_row("", o->red, o->amber, o->green, o->grey, o->no_data);
	chart_stacked(&c, 760, 0, &row, 1, false);
	html_chart(p, &c, "wide");
	if (o->n_outcomes > 0) {
		html_raw(p, "<ul class=\"outcomes\" aria-label=\"Outcomes\">");
		for (size_t i = 0; i < o->n_outcomes; i++) {
			html_raw(p, "<li>");
			html_text(p, o->outcomes[i]);
			html_raw(p, "</li>");
		}
		html_raw(p, "</ul>\n");
	}
	commentary_html(p, o);
	html_measures_table(p, o->measures, o->n_measures, false);
	html_interventions(p, o);
	html_risks(p, o->risks, o->n_risks, "Strategic risks", false);
	if (o->n_resources > 0) {
		html_raw(p, "<h3>Resources: budget and spend</h3>\n");
		chart_budget(&c, 760, o->resources, o->n_resources);
		html_chart(p, &c, "wide");
	}
	case_studies_html(p, o);
	html_raw(p, "</section>\n");
}