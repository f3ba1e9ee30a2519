/*
 * render_html.c - reports as one self-contained HTML page: inline CSS,
 * inline SVG charts (render_chart.c via render_svg.c), no script, no
 * external URL, readable on screen and printed on A4.
 *
 * A pack reads top down the way a member asks: what is the overall
 * picture (counts, RAG bars per objective, what needs attention), then
 * the exceptions, then each objective on its own printed page: the "so
 * what" beside the measures, each measure with its value, RAG word, rule,
 * sparkline and direction of travel, then interventions, risks, resources
 * and case studies.  Colour never carries meaning alone: every RAG,
 * status and movement is also a word, every chart has text.
 *
 * This file holds the reports' page layouts and their writers
 * (render_html_<report>(), cells of the table in render.c); the page
 * primitives are in render_html_page.c and an objective's section in
 * render_html_objective.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "render_html.h"

static void tile(struct page *p, const char *cls, unsigned n, const char *word, const char *desc)
{
	html_rawf(p,
	          "<div class=\"tile %s\"><span class=\"n\">%u</span><span class=\"w\">%s</span>"
	          "<span class=\"d\">%s</span></div>\n",
	          cls, n, word, desc);
}

/* Cards for the first @p max exceptions: what needs attention. */
static void attention(struct page *p, const Pmif__ExceptionReport *x_, size_t max)
{
	size_t n;

	if (x_ == NULL)
		return;
	if (x_->n_exceptions == 0) {
		html_raw(p, "<h3>Needs attention</h3>\n<p>No measure is red, showing special cause "
		            "concern, "
		            "or worsening this period.</p>\n");
		return;
	}
	n = x_->n_exceptions < max ? x_->n_exceptions : max;
	html_rawf(p, "<h3>Needs attention: %zu of %zu exception%s</h3>\n<div class=\"att\">\n", n,
	          x_->n_exceptions, x_->n_exceptions == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		const Pmif__MeasureLine *m = x_->exceptions[i];
		char t[RENDER_NUM_LEN];

		if (m == NULL)
			continue;
		html_raw(p, "<article>");
		html_rag(p, m->rag);
		html_raw(p, " ");
		html_reasons(p, m, m->rag == PMIF__RAG__RAG_RED);
		html_raw(p, " <span class=\"mid\">");
		html_text(p, m->objective_id);
		html_raw(p, " &middot; ");
		html_text(p, m->measure_id);
		html_raw(p, "</span><h4>");
		html_line_title(p, m);
		html_raw(p, "</h4><p><span class=\"val\">");
		html_value(p, m);
		html_raw(p, "</span>");
		if (render_has_target(m)) {
			html_raw(p, " against a target of ");
			html_text(p, render_line_target(t, m));
		}
		html_raw(p, "<span class=\"rule\">RAG rule: ");
		html_text(p, m->rag_rule);
		html_raw(p, "</span>");
		if (m->note && m->note[0]) {
			html_raw(p, "<span class=\"note\">");
			html_text(p, m->note);
			html_raw(p, "</span>");
		}
		html_raw(p, "</p></article>\n");
	}
	html_raw(p, "</div>\n");
}

/* The overview: tiles, RAG bars per objective, contents, what needs attention. */
static void summary_html(struct page *p, const Pmif__Scorecard *s, const Pmif__ExceptionReport *xr)
{
	unsigned total = s->red + s->amber + s->green + s->grey + s->no_data;
	struct chart_row *rows;
	struct chart c;

	html_raw(p, "<section class=\"summary\" aria-labelledby=\"h-summary\">\n"
	            "<h2 id=\"h-summary\">At a glance</h2>\n");
	html_rawf(p, "<p>%u measure%s reported", total, total == 1 ? " is" : "s are");
	if (s->provisional)
		html_rawf(p, "; %u value%s provisional (awaiting sign-off)", s->provisional,
		          s->provisional == 1 ? " is" : "s are");
	html_raw(p, ".</p>\n<div class=\"tiles\">\n");
	tile(p, "red", s->red, "Red", "off target, beyond tolerance");
	tile(p, "amber", s->amber, "Amber", "off target, within tolerance");
	tile(p, "green", s->green, "Green", "on or better than target");
	tile(p, "grey", s->grey, "Grey", "no target, or context only");
	tile(p, "nodata", s->no_data, "\u25cb No data", "no value for the period");
	html_raw(p, "</div>\n");
	rows = calloc(s->n_objectives ? s->n_objectives : 1, sizeof(*rows));
	if (rows && s->n_objectives > 0) {
		size_t n = 0;

		for (size_t i = 0; i < s->n_objectives; i++) {
			const Pmif__ObjectiveSection *o = s->objectives[i];

			if (o == NULL)
				continue;
			rows[n++] = chart_rag_row(o->objective_id, o->red, o->amber, o->green,
			                          o->grey, o->no_data);
		}
		html_raw(p, "<h3>RAG by objective</h3>\n");
		chart_stacked(&c, 800, 70, rows, n, true);
		html_chart(p, &c, "wide");
		html_raw(p, "<nav aria-label=\"Objectives\"><ol>");
		for (size_t i = 0; i < s->n_objectives; i++) {
			const Pmif__ObjectiveSection *o = s->objectives[i];

			if (o == NULL)
				continue;
			html_raw(p, "<li><a href=\"#");
			html_anchor(p, "obj-", o->objective_id);
			html_raw(p, "\">");
			html_text(p, o->objective_id);
			html_raw(p, "</a> ");
			html_text(p, o->title);
			html_raw(p, "</li>");
		}
		html_raw(p, "</ol></nav>\n");
	}
	free(rows);
	attention(p, xr, 6);
	html_raw(p, "</section>\n");
}

/* How many exceptions are one locality's value, when any are. */
static void locality_note(struct page *p, const Pmif__ExceptionReport *x)
{
	char note[200];

	if (render_locality_note(note, sizeof(note), x) == NULL)
		return;
	html_raw(p, "<p class=\"mid\">");
	html_text(p, note);
	html_raw(p, "</p>\n");
}

static void key_html(struct page *p)
{
	html_raw(
	    p, "<section class=\"key\" aria-labelledby=\"h-key\">\n<h2 id=\"h-key\">How to read "
	       "this report</h2>\n<dl>\n"
	       "<dt>RAG (Red, Amber, Green)</dt><dd>The latest value against its target. Each "
	       "measure's rule is printed under its title: the target, how far off target still "
	       "counts as Amber, and whether higher or lower is better. Grey means there is no "
	       "target, or the measure is context (for example the number of looked-after "
	       "children), not a target to hit. Targets are indicators, never the whole "
	       "story.</dd>\n"
	       "<dt>&#9675; No data</dt><dd>No value has been entered for the period. It is "
	       "counted on its own, not as Grey, and is never Red or an exception; the "
	       "completeness report (and a pack's No data list) says which directorate owes "
	       "it.</dd>\n"
	       "<dt>Direction of travel</dt><dd>Against the previous period and the same period "
	       "last year: &#9650; improving, &#9660; worsening, = no change; for context measures "
	       "&#8593; higher or &#8595; lower, described but not judged.</dd>\n"
	       "<dt>Variation (statistical process control)</dt><dd>Whether the latest value is "
	       "within the measure's normal range (common cause) or a signal worth investigating "
	       "(special cause: a point beyond the process limits, a run of 7 on one side of the "
	       "mean, 6 rising or falling, or 2 of 3 near a limit). Needs 12 points of "
	       "history.</dd>\n"
	       "<dt>Similar councils</dt><dd>" RENDER_COMPARE_NOTE "</dd>\n"
	       "<dt>Provisional (*)</dt><dd>Submitted by the directorate, awaiting sign-off by the "
	       "performance team.</dd>\n</dl>\n</section>\n");
}

static void write_pack(struct page *p, const Pmif__CommitteePack *k)
{
	static const Pmif__Scorecard empty = PMIF__SCORECARD__INIT;
	const Pmif__Scorecard *s = k->summary ? k->summary : &empty;
	size_t n;
	Pmif__ObjectiveSection *const *obs = render_pack_sections(k, &n);
	const char *title = k->title && k->title[0] ? k->title : "Committee performance pack";

	p->cabinet = k->cabinet;
	html_doc_open(p, title, k->cabinet ? "pack cabinet" : "pack");
	html_cover(p, title, k->committee_name && k->committee_name[0] ? k->committee_name : NULL,
	           k->filter, s->generated_unix);
	summary_html(p, s, k->exceptions);
	if (!k->cabinet && k->exceptions && k->exceptions->n_exceptions > 0) {
		html_raw(
		    p, "<section class=\"exceptions\" aria-labelledby=\"h-exc\">\n<h2 id=\"h-exc\">"
		       "Exceptions: red, special cause concern, or worsening</h2>\n");
		locality_note(p, k->exceptions);
		html_measures_table(p, k->exceptions->exceptions, k->exceptions->n_exceptions,
		                    true);
		html_raw(p, "</section>\n");
	}
	html_no_data(p, k->no_data, k->n_no_data);
	html_actions(p, k);
	html_pack_risks(p, obs, n);
	for (size_t i = 0; i < n; i++)
		html_objective(p, obs[i]);
	html_pack_localities(p, k->localities, k->n_localities);
	key_html(p);
	html_main_close(p);
	html_doc_close(p);
}

static void write_scorecard(struct page *p, const Pmif__Scorecard *s)
{
	const char *title = s->title && s->title[0] ? s->title : "Scorecard";

	html_doc_open(p, title, "scorecard");
	html_cover(p, title, NULL, s->filter, s->generated_unix);
	summary_html(p, s, NULL);
	for (size_t i = 0; i < s->n_objectives; i++)
		html_objective(p, s->objectives[i]);
	key_html(p);
	html_main_close(p);
	html_doc_close(p);
}

static void write_exceptions(struct page *p, const Pmif__ExceptionReport *r)
{
	const char *title = r->title && r->title[0] ? r->title : "Exception report";

	html_doc_open(p, title, "exceptions");
	html_cover(p, title, NULL, r->filter, 0);
	html_rawf(
	    p,
	    "<section aria-labelledby=\"h-exc\"><h2 id=\"h-exc\">%zu exception%s: red, special "
	    "cause concern, or worsening</h2>\n",
	    r->n_exceptions, r->n_exceptions == 1 ? "" : "s");
	locality_note(p, r);
	html_measures_table(p, r->exceptions, r->n_exceptions, true);
	html_raw(p, "</section>\n");
	key_html(p);
	html_main_close(p);
	html_doc_close(p);
}

static void write_completeness(struct page *p, const Pmif__CompletenessReport *r)
{
	const char *title = r->title && r->title[0] ? r->title : "Completeness";
	struct chart_row *rows = calloc(r->n_directorates ? r->n_directorates : 1, sizeof(*rows));
	char(*notes)[48] = calloc(r->n_directorates ? r->n_directorates : 1, sizeof(*notes));
	struct chart c;
	size_t n = 0;

	html_doc_open(p, title, "completeness");
	html_cover(p, title, NULL, r->filter, 0);
	html_raw(p, "<section aria-labelledby=\"h-st\"><h2 id=\"h-st\">Where entry stands</h2>\n");
	html_rawf(p, "<div class=\"banner %s\">", r->overdue ? "overdue" : "ok");
	if (r->overdue)
		html_raw(p, "Overdue: ");
	html_raw(p, "the period is ");
	html_text(p,
	          r->period_state && r->period_state[0] ? r->period_state : "in an unknown state");
	if (r->due_date && r->due_date[0]) {
		html_raw(p, "; entry was due by ");
		html_text(p, r->due_date);
	}
	html_raw(p, ".</div>\n");
	if (rows && notes) {
		for (size_t i = 0; i < r->n_directorates; i++) {
			const Pmif__DirectorateCompleteness *d = r->directorates[i];

			if (d == NULL)
				continue;
			snprintf(notes[n], sizeof(notes[n]), "of %u expected", d->expected);
			rows[n] = chart_completeness_row(d->directorate, d->approved, d->submitted,
			                                 d->missing, notes[n]);
			n++;
		}
		chart_stacked(&c, 1000, 70, rows, n, true);
		html_chart(p, &c, "wide");
	}
	free(rows);
	free(notes);
	html_raw(p, "</section>\n");
	for (size_t i = 0; i < r->n_directorates; i++) {
		const Pmif__DirectorateCompleteness *d = r->directorates[i];

		if (d == NULL)
			continue;
		html_raw(p, "<section><h2>");
		html_text(p, d->name && d->name[0] ? d->name : d->directorate);
		html_rawf(
		    p,
		    "</h2>\n<p>%u expected: %u approved, %u awaiting sign-off, %u missing.</p>\n",
		    d->expected, d->approved, d->submitted, d->missing);
		if (d->n_items == 0) {
			html_raw(p, "<p>Nothing outstanding.</p></section>\n");
			continue;
		}
		html_raw(p, "<table>");
		html_caption(p, "Values owed or awaiting sign-off");
		html_raw(p, "<thead><tr><th scope=\"col\">Measure</th><th "
		            "scope=\"col\">Locality</th>"
		            "<th scope=\"col\">Status</th></tr></thead><tbody>\n");
		for (size_t k = 0; k < d->n_items; k++) {
			const Pmif__MissingItem *it = d->items[k];
			bool missing = it && it->status && strcmp(it->status, "missing") == 0;

			if (it == NULL)
				continue;
			html_raw(p, "<tr><td><span class=\"mt\">");
			html_text(p, it->title);
			html_raw(p, "</span> <span class=\"mid\">");
			html_text(p, it->measure_id);
			html_raw(p, "</span></td><td>");
			html_text(p, it->locality);
			html_rawf(p, "</td><td><span class=\"badge %s\">",
			          missing ? "red" : "amber");
			html_text(p, it->status);
			html_raw(p, "</span></td></tr>\n");
		}
		html_raw(p, "</tbody></table></section>\n");
	}
	html_main_close(p);
	html_doc_close(p);
}

/* Value, RAG with its rule, and direction: the headline of one measure. */
static void headline(struct page *p, const Pmif__MeasureLine *m)
{
	char t[RENDER_NUM_LEN];

	if (m == NULL)
		return;
	html_raw(p, "<div class=\"headline\"><span class=\"big\">");
	html_value(p, m);
	html_raw(p, "</span><span>");
	html_rag(p, m->rag);
	html_raw(p, "</span><span>Target ");
	html_text(p, render_has_target(m) ? render_line_target(t, m) : "none");
	html_raw(p, "</span><span>");
	html_direction(p, "on previous", m->vs_previous, m->previous_period, m->has_previous,
	               m->previous_value, m);
	html_direction(p, "on last year", m->vs_last_year, m->last_year_period, m->has_last_year,
	               m->last_year_value, m);
	html_raw(p, "</span></div>\n<p class=\"rule\">RAG rule: ");
	html_text(p, m->rag_rule && m->rag_rule[0] ? m->rag_rule : "no RAG rule given");
	html_raw(p, "</p>\n");
}

static void write_trend(struct page *p, const Pmif__TrendReport *r)
{
	const Pmif__MeasureLine *m = r->measure;
	const Pmif__SpcSummary *s = r->spc;
	const char *title = r->title && r->title[0] ? r->title : "Trend";
	struct chart c;

	html_doc_open(p, title, "trend");
	html_cover(p, title, m ? m->title : NULL, r->filter, 0);
	html_raw(p, "<section aria-labelledby=\"h-tr\"><h2 id=\"h-tr\">");
	html_text(p, m && m->title && m->title[0] ? m->title : "Measure");
	html_raw(p, "</h2>\n");
	headline(p, m);
	html_raw(p, "<h3>Statistical process control chart</h3>\n");
	chart_spc(&c, 900, 400, r);
	html_chart(p, &c, "wide");
	if (s && s->summary && s->summary[0]) {
		html_raw(p, "<p><strong>Variation:</strong> ");
		html_text(p, s->summary);
		html_raw(p, "</p>\n");
	}
	if (s && s->assurance_label && s->assurance_label[0]) {
		html_raw(p, "<p><strong>Assurance:</strong> ");
		html_text(p, s->assurance_label);
		html_raw(p, "</p>\n");
	}
	html_raw(p,
	         "</section>\n<section aria-labelledby=\"h-pts\"><h2 id=\"h-pts\">The values</h2>\n"
	         "<table>");
	html_caption(p, "The value for each period, with its target and signal");
	html_raw(
	    p, "<thead><tr><th scope=\"col\">Period</th><th scope=\"col\" class=\"num\">Value"
	       "</th><th scope=\"col\" class=\"num\">Target</th><th scope=\"col\">Signal</th></tr>"
	       "</thead><tbody>\n");
	for (size_t i = 0; i < r->n_points; i++) {
		const Pmif__SeriesPoint *pt = r->points[i];
		char v[RENDER_NUM_LEN];
		const char *unit = m ? m->unit : "";
		int dec = m ? m->decimals : 1;

		if (pt == NULL)
			continue;
		html_raw(p, "<tr><td>");
		html_text(p, pt->period);
		html_raw(p, "</td><td class=\"num\">");
		html_text(p, pt->has_value ? render_value(v, pt->value, unit, dec) : "n/a");
		if (pt->provisional && pt->has_value) {
			html_raw(p, "*");
			p->provisional = true;
		}
		html_raw(p, "</td><td class=\"num\">");
		html_text(p, pt->has_target ? render_value(v, pt->target, unit, dec) : "");
		html_raw(p, "</td><td>");
		if (pt->flags_high || pt->flags_low) {
			const char *pol = m ? render_str(m->polarity) : "";
			bool hi = pt->flags_high != 0;
			const char *w =
			    strcmp(pol, "higher") == 0  ? (hi ? "improvement" : "concern")
			    : strcmp(pol, "lower") == 0 ? (hi ? "concern" : "improvement")
			    : hi                        ? "high"
			                                : "low";

			html_rawf(p, "<span class=\"spc %s\">special cause: %s</span>", w, w);
		}
		html_raw(p, "</td></tr>\n");
	}
	html_raw(p, "</tbody></table></section>\n");
	key_html(p);
	html_main_close(p);
	html_doc_close(p);
}

void html_locality_row(struct page *p, const Pmif__LocalityLine *l, const Pmif__MeasureLine *m,
                       bool borough)
{
	char v[RENDER_NUM_LEN], a[RENDER_NUM_LEN], b[RENDER_NUM_LEN];
	const char *unit = m ? m->unit : "";
	int dec = m ? m->decimals : 1;

	html_rawf(p, "<tr%s><th scope=\"row\">", borough ? " class=\"mt\"" : "");
	html_text(p, l->name && l->name[0] ? l->name : l->locality);
	html_raw(p, "</th><td class=\"num\">");
	html_text(p, l->has_value && isfinite(l->value) ? render_value(v, l->value, unit, dec)
	                                                : "n/a");
	if (l->provisional && l->has_value) {
		html_raw(p, "*");
		p->provisional = true;
	}
	html_raw(p, "</td><td class=\"num\">");
	if (l->has_interval)
		html_rawf(p, "%s to %s", render_value(a, l->lower, unit, dec + 1),
		          render_value(b, l->upper, unit, dec + 1));
	html_raw(p, "</td><td>");
	if (borough)
		html_raw(p, "the reference");
	else
		html_text(p, l->comparison_label && l->comparison_label[0]
		                 ? l->comparison_label
		                 : render_comparison_word(l->comparison));
	html_raw(p, "</td><td class=\"mid\">");
	html_text(p, l->method);
	html_raw(p, "</td></tr>\n");
}

static void write_locality(struct page *p, const Pmif__LocalityReport *r)
{
	const Pmif__MeasureLine *m = r->measure;
	const char *title = r->title && r->title[0] ? r->title : "Locality comparison";
	struct chart c;

	html_doc_open(p, title, "locality");
	html_cover(p, title, m ? m->title : NULL, r->filter, 0);
	html_raw(p, "<section aria-labelledby=\"h-lc\"><h2 id=\"h-lc\">");
	html_text(p, m && m->title && m->title[0] ? m->title : "Measure");
	html_raw(p, " by locality</h2>\n");
	headline(p, m);
	html_raw(p, "<h3>Each locality against the borough (95% confidence intervals)</h3>\n");
	chart_locality(&c, 900, r);
	html_chart(p, &c, "wide");
	html_raw(
	    p,
	    "<p class=\"mid\">The whisker is the 95% confidence interval: where it does not cross "
	    "the borough line the difference is unlikely to be chance, and the locality is "
	    "labelled "
	    "significantly better or worse.</p>\n");
	html_raw(p, "<table>");
	html_caption(p, "Each locality against the borough");
	html_raw(
	    p,
	    "<thead><tr><th scope=\"col\">Locality</th><th scope=\"col\" class=\"num\">"
	    "Value</th><th scope=\"col\" class=\"num\">95% interval</th><th scope=\"col\">Compared "
	    "with the borough</th><th scope=\"col\">Method</th></tr></thead><tbody>\n");
	if (r->borough)
		html_locality_row(p, r->borough, m, true);
	for (size_t i = 0; i < r->n_localities; i++)
		if (r->localities[i])
			html_locality_row(p, r->localities[i], m, false);
	html_raw(p, "</tbody></table></section>\n");
	html_main_close(p);
	html_doc_close(p);
}

/* The writers in render.c's table: one per report. */

int render_html_pack(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct page p = {.f = c->out, .now = c->now, .fragment = c->fragment};

	write_pack(&p, (const Pmif__CommitteePack *)msg);
	return ferror(c->out) ? PMIF_EIO : 0;
}

int render_html_scorecard(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct page p = {.f = c->out, .now = c->now, .fragment = c->fragment};

	write_scorecard(&p, (const Pmif__Scorecard *)msg);
	return ferror(c->out) ? PMIF_EIO : 0;
}

int render_html_exceptions(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct page p = {.f = c->out, .now = c->now, .fragment = c->fragment};

	write_exceptions(&p, (const Pmif__ExceptionReport *)msg);
	return ferror(c->out) ? PMIF_EIO : 0;
}

int render_html_completeness(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct page p = {.f = c->out, .now = c->now, .fragment = c->fragment};

	write_completeness(&p, (const Pmif__CompletenessReport *)msg);
	return ferror(c->out) ? PMIF_EIO : 0;
}

int render_html_trend(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct page p = {.f = c->out, .now = c->now, .fragment = c->fragment};

	write_trend(&p, (const Pmif__TrendReport *)msg);
	return ferror(c->out) ? PMIF_EIO : 0;
}

int render_html_locality(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct page p = {.f = c->out, .now = c->now, .fragment = c->fragment};

	write_locality(&p, (const Pmif__LocalityReport *)msg);
	return ferror(c->out) ? PMIF_EIO : 0;
}
