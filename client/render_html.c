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
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "render.h"
#include "render_chart.h"

struct page {
	FILE *f;
	unsigned long long now;
	bool provisional; /* a provisional value was shown */
	bool cabinet;
};

/* Escaped text. */
static void x(struct page *p, const char *s)
{
	render_xml(p->f, s);
}

/* Literal markup. */
static void h(struct page *p, const char *s)
{
	fputs(s, p->f);
}

static void hf(struct page *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void hf(struct page *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(p->f, fmt, ap);
	va_end(ap);
}

/* An id attribute value from server text: [A-Za-z0-9_-] only. */
static void anchor(struct page *p, const char *prefix, const char *id)
{
	fputs(prefix, p->f);
	for (const char *s = render_str(id); *s; s++) {
		char c = *s;

		fputc((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		              c == '-' || c == '_'
		          ? c
		          : '_',
		      p->f);
	}
}

static const char css[] =
    ":root{--red:#b3261e;--amber:#f2b705;--green:#2e7d32;--grey:#6b6b6b;--ink:#1b1b1b;"
    "--muted:#555;--line:#d7d9de;--bg:#f3f4f6;--navy:#1f4e79;--concern:#c43e00;"
    "--improve:#1565c0}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.45 Arial,'Liberation Sans',"
    "'DejaVu Sans',sans-serif}\n"
    "main,header.cover,footer{max-width:1120px;margin:0 auto;padding:0 20px}\n"
    "header.cover{padding-top:22px;padding-bottom:6px}\n"
    ".kicker{margin:0;color:var(--muted);font-size:13px;text-transform:uppercase;"
    "letter-spacing:.06em}\n"
    "h1{font-size:28px;margin:4px 0 6px}\n"
    "h2{font-size:22px;margin:0 0 10px}\n"
    "h3{font-size:16px;margin:18px 0 8px}\n"
    ".meta{color:var(--muted);margin:0}\n"
    "section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:18px 22px;"
    "margin:16px 0}\n"
    ".tiles{display:flex;flex-wrap:wrap;gap:10px;margin:4px 0 14px}\n"
    ".tile{flex:1 1 120px;border:1px solid var(--line);border-left:8px solid var(--grey);"
    "border-radius:4px;padding:8px 12px}\n"
    ".tile .n{display:block;font-size:30px;font-weight:bold;line-height:1.1}\n"
    ".tile .w{font-weight:bold}.tile .d{display:block;color:var(--muted);font-size:12px}\n"
    ".tile.red{border-left-color:var(--red)}.tile.amber{border-left-color:var(--amber)}\n"
    ".tile.green{border-left-color:var(--green)}.tile.prov{border-left-color:var(--navy)}\n"
    ".rag{display:inline-block;min-width:4.6em;padding:2px 7px;border-radius:3px;"
    "font-weight:bold;font-size:13px;white-space:nowrap;text-align:left}\n"
    ".rag-red{background:var(--red);color:#fff}.rag-amber{background:var(--amber);color:#000}\n"
    ".rag-green{background:var(--green);color:#fff}.rag-grey{background:var(--grey);color:#fff}\n"
    ".badge{display:inline-block;padding:2px 7px;border-radius:3px;font-weight:bold;"
    "font-size:12.5px;white-space:nowrap;border:1px solid transparent}\n"
    ".badge.red{background:var(--red);color:#fff}.badge.amber{background:var(--amber);"
    "color:#000}\n.badge.green{background:var(--green);color:#fff}.badge.grey{background:#fff;"
    "color:var(--grey);border-color:var(--grey)}\n"
    ".badge.done{background:#fff;color:var(--navy);border-color:var(--navy)}\n"
    "table{border-collapse:collapse;width:100%;font-size:14px}\n"
    "th{text-align:left;font-size:12px;color:var(--muted);font-weight:bold;"
    "border-bottom:2px solid var(--ink);padding:6px 8px;vertical-align:bottom}\n"
    "td{border-bottom:1px solid var(--line);padding:7px 8px;vertical-align:top}\n"
    "tbody th{font-size:14px;color:var(--ink);border-bottom:1px solid var(--line);"
    "padding:7px 8px;vertical-align:top;text-align:left}\n"
    "td.num,th.num{text-align:right;white-space:nowrap}\n"
    ".mt{font-weight:bold}.mid{color:var(--muted);font-size:12px}\n"
    ".rule{display:block;color:var(--muted);font-size:12px;margin-top:2px}\n"
    ".note{display:block;font-size:12.5px;margin-top:3px;font-style:italic}\n"
    ".val{font-size:17px;font-weight:bold}\n"
    ".dir{display:block;font-size:12.5px;margin-bottom:3px}.dir b{white-space:nowrap}\n"
    "table.measures td.spcc{min-width:130px}\n"
    ".dir.worsening{color:var(--concern);font-weight:bold}.dir.improving{color:var(--improve)}\n"
    ".spc{font-size:12.5px}.spc.concern{color:var(--concern);font-weight:bold}"
    ".spc.improvement{color:var(--improve);font-weight:bold}\n"
    ".sowhat{border-left:6px solid var(--navy);background:#eef3f8;padding:10px 14px;"
    "margin:8px 0 14px}\n"
    ".sowhat h3{margin:0 0 4px;font-size:14px;text-transform:uppercase;letter-spacing:.05em;"
    "color:var(--navy)}\n"
    ".sowhat p{margin:0 0 6px;font-size:15.5px}.by{color:var(--muted);font-size:12.5px}\n"
    ".oid{display:inline-block;background:var(--ink);color:#fff;border-radius:3px;"
    "padding:1px 8px;margin-right:8px;font-size:.8em;vertical-align:2px}\n"
    ".counts{margin:0 0 8px;color:var(--muted)}\n"
    ".reasons span{display:inline-block;border:1px solid var(--concern);color:var(--concern);"
    "border-radius:10px;padding:0 7px;margin:1px 3px 1px 0;font-size:12px;font-weight:bold}\n"
    ".att{display:grid;grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:10px}\n"
    ".att article{border:1px solid var(--line);border-radius:4px;padding:10px 12px}\n"
    ".att h4{margin:4px 0}\n"
    ".case{border:1px solid var(--line);border-radius:4px;padding:10px 14px;margin:8px 0}\n"
    ".case h4{margin:0 0 4px}.tag{display:inline-block;background:#eceff3;border-radius:10px;"
    "padding:0 8px;font-size:12px;margin-right:4px}\n"
    ".mv{white-space:nowrap;font-weight:bold}.mv.up{color:var(--concern)}"
    ".mv.down{color:var(--improve)}\n"
    "ul.outcomes{margin:4px 0 8px;padding-left:20px;color:var(--muted);font-size:13.5px}\n"
    "nav ol{columns:2;margin:6px 0;padding-left:22px}nav a{color:var(--navy)}\n"
    ".key dt{font-weight:bold;margin-top:6px}.key dd{margin:0 0 0 16px}\n"
    "footer{color:var(--muted);font-size:13px;padding-bottom:30px}\n"
    "svg{max-width:100%;height:auto;display:block}\n"
    "svg.wide{width:100%}svg.spark{width:128px;height:34px;max-width:none}\n"
    "table.measures th:first-child{width:33%}td.sp{min-width:140px}\n"
    ".banner{padding:10px 14px;border-radius:4px;font-weight:bold;margin:8px 0}\n"
    ".banner.overdue{background:var(--red);color:#fff}.banner.ok{background:#e8f1e9}\n"
    ".headline{display:flex;flex-wrap:wrap;gap:22px;align-items:baseline;margin:4px 0 10px}\n"
    ".headline .big{font-size:34px;font-weight:bold}\n"
    ".sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}\n"
    "@page{size:A4;margin:13mm 11mm 14mm}\n"
    "@media print{body{background:#fff;font-size:10pt}"
    "main,header.cover,footer{max-width:none;padding:0}"
    "section{border:0;border-radius:0;padding:0;margin:0 0 10px}"
    "section.objective{break-before:page}"
    "tr,.case,.att article,.sowhat,svg{break-inside:avoid}"
    "thead{display:table-header-group}h2,h3{break-after:avoid}"
    "table{font-size:8.5pt}.val{font-size:10.5pt}nav{display:none}"
    "svg.spark{width:84px;height:24px}td.sp,table.measures td.spcc{min-width:0}"
    "table.measures th:first-child{width:38%}.rule,.mid,.dir,.note{font-size:7.5pt}"
    ".rag{font-size:8pt;min-width:0}td{padding:4px 5px}th{padding:4px 5px}"
    ".sowhat p{font-size:10.5pt}}\n"
    "body.cabinet .case p{display:none}\n"
    "@media print{body.cabinet section.objective{break-inside:avoid-page}"
    "body.cabinet ul.outcomes{display:none}}\n";

static void doc_open(struct page *p, const char *title, const char *body_class)
{
	h(p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	x(p, title);
	h(p, "</title>\n<style>\n");
	h(p, css);
	hf(p, "</style>\n</head>\n<body class=\"%s\">\n", body_class);
}

static void doc_close(struct page *p)
{
	h(p, "<footer>\n");
	if (p->provisional)
		h(p,
		  "<p><strong>*</strong> " RENDER_PROVISIONAL_NOTE
		  ": the value has been submitted by the directorate but not yet signed off by the "
		  "performance team.</p>\n");
	h(p,
	  "<p>Produced by PMIF, the council's Performance Management and Improvement Framework. "
	  "Every judgement in this report (RAG, direction of travel, statistical process control, "
	  "locality comparison) was made by the PMIF server by the rule printed beside it.</p>\n"
	  "</footer>\n</body>\n</html>\n");
}

/* The report's title block. */
static void cover(struct page *p, const char *title, const char *subtitle,
                  const Pmif__ReportFilter *f, unsigned long long generated)
{
	char when[64];

	h(p, "<header class=\"cover\">\n<p class=\"kicker\">Performance Management and Improvement "
	     "Framework</p>\n<h1>");
	x(p, title);
	h(p, "</h1>\n<p class=\"meta\">");
	if (subtitle && subtitle[0]) {
		x(p, subtitle);
		h(p, " &middot; ");
	}
	if (f && f->period && f->period[0]) {
		h(p, "Period <strong>");
		x(p, f->period);
		h(p, "</strong> &middot; ");
	}
	if (f && f->from_period && f->from_period[0]) {
		h(p, "From ");
		x(p, f->from_period);
		h(p, " to ");
		x(p, f->to_period);
		h(p, " &middot; ");
	}
	if (f && f->locality && f->locality[0]) {
		h(p, "Locality ");
		x(p, f->locality);
		h(p, " &middot; ");
	}
	hf(p, "Generated %s</p>\n</header>\n<main>\n",
	   render_time(when, sizeof(when), generated ? generated : p->now));
}

static void chart_out(struct page *p, struct chart *c, const char *cls)
{
	chart_svg(p->f, c, cls);
	chart_release(c);
}

static void rag_badge(struct page *p, Pmif__Rag r)
{
	static const char *const sym[] = {"\u2013", "\u2715", "!", "\u2713"};
	unsigned i = (unsigned)r < 4 ? (unsigned)r : 0;

	hf(p, "<span class=\"rag rag-%s\"><span aria-hidden=\"true\">%s</span> %s</span>",
	   render_rag_class(r), sym[i], render_rag_word(r));
}

/* Value with its provisional marker. */
static void value_html(struct page *p, const Pmif__MeasureLine *m)
{
	char v[RENDER_NUM_LEN];

	x(p, render_line_value(v, m));
	if (m->provisional && render_has_value(m)) {
		h(p, "<span aria-label=\"provisional\">*</span>");
		p->provisional = true;
	}
}

/* "▲ improving" and, smaller, what it is compared with. */
static void direction_html(struct page *p, const char *label, Pmif__Direction d, const char *period,
                           bool has, double prev, const Pmif__MeasureLine *m)
{
	char v[RENDER_NUM_LEN];

	hf(p, "<span class=\"dir %s\"><b>%s %s</b> <span class=\"mid\">%s",
	   render_direction_word(d), render_direction_arrow(d, true), render_direction_word(d),
	   label);
	if (has && isfinite(prev)) {
		h(p, " (");
		x(p, render_value(v, prev, m->unit, m->decimals));
		if (period && period[0]) {
			h(p, " in ");
			x(p, period);
		}
		h(p, ")");
	}
	h(p, "</span></span>");
}

static const char *variation_class(Pmif__Variation v)
{
	switch (v) {
	case PMIF__VARIATION__VARIATION_CONCERN: return "concern";
	case PMIF__VARIATION__VARIATION_IMPROVEMENT: return "improvement";
	default: return "plain";
	}
}

/* The exception reasons as chips; "red" is left out when @p skip_red
 * (the RAG badge beside it already says so). */
static void reasons_html(struct page *p, const Pmif__MeasureLine *m, bool skip_red)
{
	h(p, "<span class=\"reasons\">");
	for (size_t i = 0; i < m->n_exception_reasons; i++) {
		if (skip_red && m->exception_reasons[i] &&
		    strcmp(m->exception_reasons[i], "red") == 0)
			continue;
		h(p, "<span>");
		x(p, m->exception_reasons[i]);
		h(p, "</span>");
	}
	h(p, "</span>");
}

static void measures_table(struct page *p, Pmif__MeasureLine *const *ms, size_t n, bool reasons)
{
	if (n == 0) {
		h(p, "<p>No measures are reported here for this period.</p>\n");
		return;
	}
	h(p,
	  "<table class=\"measures\">\n<thead><tr><th scope=\"col\">Measure and how its RAG is set"
	  "</th><th scope=\"col\" class=\"num\">Latest</th><th scope=\"col\" class=\"num\">Target"
	  "</th><th scope=\"col\">RAG</th><th scope=\"col\">Last 8 periods</th>"
	  "<th scope=\"col\">Direction of travel</th><th scope=\"col\">Variation (SPC)</th>");
	if (reasons)
		h(p, "<th scope=\"col\">Why it is an exception</th>");
	h(p, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const Pmif__MeasureLine *m = ms[i];
		char t[RENDER_NUM_LEN];
		struct chart c;

		if (m == NULL)
			continue;
		h(p, "<tr><td><span class=\"mt\">");
		x(p, m->title && m->title[0] ? m->title : m->measure_id);
		h(p, "</span> <span class=\"mid\">");
		x(p, m->measure_id);
		if (m->locality && m->locality[0] && strcmp(m->locality, "borough") != 0) {
			h(p, " &middot; ");
			x(p, m->locality);
		}
		h(p, "</span><span class=\"rule\">RAG rule: ");
		x(p, m->rag_rule && m->rag_rule[0] ? m->rag_rule : "no RAG rule given");
		h(p, "</span>");
		if (m->note && m->note[0]) {
			h(p, "<span class=\"note\">Officer's note: ");
			x(p, m->note);
			h(p, "</span>");
		}
		h(p, "</td><td class=\"num\"><span class=\"val\">");
		value_html(p, m);
		h(p, "</span><br><span class=\"mid\">");
		x(p, m->period);
		h(p, "</span></td><td class=\"num\">");
		x(p, render_has_target(m) ? render_line_target(t, m) : "none");
		h(p, "</td><td>");
		rag_badge(p, m->rag);
		h(p, "</td><td class=\"sp\">");
		chart_sparkline(&c, 128, 34, m->sparkline, m->n_sparkline, m);
		chart_out(p, &c, "spark");
		h(p, "</td><td>");
		direction_html(p, "on previous", m->vs_previous, m->previous_period,
		               m->has_previous, m->previous_value, m);
		direction_html(p, "on last year", m->vs_last_year, m->last_year_period,
		               m->has_last_year, m->last_year_value, m);
		hf(p, "</td><td class=\"spcc\"><span class=\"spc %s\">%s</span>",
		   variation_class(m->variation), render_variation_word(m->variation));
		if (m->spc_summary && m->spc_summary[0] &&
		    m->variation != PMIF__VARIATION__VARIATION_COMMON_CAUSE &&
		    m->variation != PMIF__VARIATION__VARIATION_NOT_ASSESSED) {
			h(p, "<span class=\"rule\">");
			x(p, m->spc_summary);
			h(p, "</span>");
		}
		h(p, "</td>");
		if (reasons) {
			h(p, "<td>");
			reasons_html(p, m, false);
			h(p, "</td>");
		}
		h(p, "</tr>\n");
	}
	h(p, "</tbody>\n</table>\n");
}

static void interventions_html(struct page *p, const Pmif__ObjectiveSection *o)
{
	if (o->n_interventions == 0)
		return;
	h(p, "<h3>Interventions: what the council is doing</h3>\n<table>\n<thead><tr>"
	     "<th scope=\"col\">Intervention</th><th scope=\"col\">Status</th>"
	     "<th scope=\"col\">Progress this period</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < o->n_interventions; i++) {
		const Pmif__InterventionLine *in = o->interventions[i];

		if (in == NULL)
			continue;
		h(p, "<tr><td><span class=\"mt\">");
		x(p, in->title);
		h(p, "</span><br><span class=\"mid\">");
		x(p, in->intervention_id);
		if (in->directorate && in->directorate[0]) {
			h(p, " &middot; ");
			x(p, in->directorate);
		}
		hf(p, "</span></td><td><span class=\"badge %s\">%s</span></td><td>",
		   render_status_class(in->status), render_status_word(in->status));
		x(p, in->text && in->text[0] ? in->text : "No progress update for this period.");
		if (in->updated_by && in->updated_by[0]) {
			h(p, " <span class=\"mid\">(");
			x(p, in->updated_by);
			h(p, ")</span>");
		}
		h(p, "</td></tr>\n");
	}
	h(p, "</tbody>\n</table>\n");
}

static void risks_html(struct page *p, const Pmif__ObjectiveSection *o)
{
	if (o->n_risks == 0)
		return;
	h(p, "<h3>Strategic risks</h3>\n<table>\n<thead><tr><th scope=\"col\">Risk</th>"
	     "<th scope=\"col\" class=\"num\">Score<br>(likelihood &times; impact)</th>"
	     "<th scope=\"col\">Since the last report</th><th scope=\"col\">Mitigation</th>"
	     "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < o->n_risks; i++) {
		const Pmif__RiskLine *r = o->risks[i];
		const char *mv = render_str(r ? r->movement : "");

		if (r == NULL)
			continue;
		h(p, "<tr><td><span class=\"mt\">");
		x(p, r->title);
		h(p, "</span><br><span class=\"mid\">");
		x(p, r->risk_id);
		if (r->directorate && r->directorate[0]) {
			h(p, " &middot; ");
			x(p, r->directorate);
		}
		hf(p,
		   "</span></td><td class=\"num\"><span class=\"val\">%u</span><br>"
		   "<span class=\"mid\">%u &times; %u</span></td>",
		   r->score, r->likelihood, r->impact);
		hf(p, "<td><span class=\"mv %s\">%s %s</span>",
		   strcmp(mv, "up") == 0     ? "up"
		   : strcmp(mv, "down") == 0 ? "down"
		                             : "same",
		   render_movement_arrow(mv, true), render_movement_word(mv));
		if (r->has_previous) {
			hf(p, "<br><span class=\"mid\">from %u", r->previous_score);
			if (r->previous_period && r->previous_period[0]) {
				h(p, " in ");
				x(p, r->previous_period);
			}
			h(p, "</span>");
		}
		h(p, "</td><td>");
		x(p, r->mitigation);
		h(p, "</td></tr>\n");
	}
	h(p, "</tbody>\n</table>\n");
}

static void case_studies_html(struct page *p, const Pmif__ObjectiveSection *o)
{
	if (o->n_case_studies == 0)
		return;
	h(p, "<h3>Case studies: the difference it makes</h3>\n");
	for (size_t i = 0; i < o->n_case_studies; i++) {
		const Pmif__CaseStudyLine *cs = o->case_studies[i];

		if (cs == NULL)
			continue;
		h(p, "<article class=\"case\"><h4>");
		x(p, cs->title);
		h(p, "</h4>");
		if (cs->locality && cs->locality[0]) {
			h(p, "<span class=\"tag\">");
			x(p, cs->locality);
			h(p, "</span>");
		}
		for (size_t k = 0; k < cs->n_measures; k++) {
			h(p, "<span class=\"tag\">");
			x(p, cs->measures[k]);
			h(p, "</span>");
		}
		h(p, "<p>");
		x(p, cs->story);
		h(p, "</p></article>\n");
	}
}

static void commentary_html(struct page *p, const Pmif__ObjectiveSection *o)
{
	h(p, "<div class=\"sowhat\"><h3>So what: what this tells us</h3><p>");
	if (o->commentary && o->commentary[0]) {
		x(p, o->commentary);
		h(p, "</p>");
		if (o->commentary_by && o->commentary_by[0]) {
			h(p, "<p class=\"by\">");
			x(p, o->commentary_by);
			h(p, "</p>");
		}
	} else {
		h(p, "No commentary has been entered for this period.</p>");
	}
	h(p, "</div>\n");
}

static void objective_html(struct page *p, const Pmif__ObjectiveSection *o)
{
	struct chart c;
	struct chart_row row;

	if (o == NULL)
		return;
	h(p, "<section class=\"objective\" id=\"");
	anchor(p, "obj-", o->objective_id);
	h(p, "\" aria-labelledby=\"");
	anchor(p, "h-", o->objective_id);
	h(p, "\">\n<h2 id=\"");
	anchor(p, "h-", o->objective_id);
	h(p, "\"><span class=\"oid\">");
	x(p, o->objective_id);
	h(p, "</span>");
	x(p, o->title);
	h(p, "</h2>\n");
	hf(p, "<p class=\"counts\">%u measure%s: %u Red, %u Amber, %u Green, %u Grey</p>\n",
	   o->red + o->amber + o->green + o->grey,
	   o->red + o->amber + o->green + o->grey == 1 ? "" : "s", o->red, o->amber, o->green,
	   o->grey);
	row = chart_rag_row("", o->red, o->amber, o->green, o->grey);
	chart_stacked(&c, 760, 0, &row, 1, false);
	chart_out(p, &c, "wide");
	if (o->n_outcomes > 0) {
		h(p, "<ul class=\"outcomes\" aria-label=\"Outcomes\">");
		for (size_t i = 0; i < o->n_outcomes; i++) {
			h(p, "<li>");
			x(p, o->outcomes[i]);
			h(p, "</li>");
		}
		h(p, "</ul>\n");
	}
	commentary_html(p, o);
	measures_table(p, o->measures, o->n_measures, false);
	interventions_html(p, o);
	risks_html(p, o);
	if (o->n_resources > 0) {
		h(p, "<h3>Resources: budget and spend</h3>\n");
		chart_budget(&c, 760, o->resources, o->n_resources);
		chart_out(p, &c, "wide");
	}
	case_studies_html(p, o);
	h(p, "</section>\n");
}

static void tile(struct page *p, const char *cls, unsigned n, const char *word, const char *desc)
{
	hf(p,
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
		h(p,
		  "<h3>Needs attention</h3>\n<p>No measure is red, showing special cause concern, "
		  "or worsening this period.</p>\n");
		return;
	}
	n = x_->n_exceptions < max ? x_->n_exceptions : max;
	hf(p, "<h3>Needs attention: %zu of %zu exception%s</h3>\n<div class=\"att\">\n", n,
	   x_->n_exceptions, x_->n_exceptions == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		const Pmif__MeasureLine *m = x_->exceptions[i];
		char t[RENDER_NUM_LEN];

		if (m == NULL)
			continue;
		h(p, "<article>");
		rag_badge(p, m->rag);
		h(p, " ");
		reasons_html(p, m, m->rag == PMIF__RAG__RAG_RED);
		h(p, " <span class=\"mid\">");
		x(p, m->objective_id);
		h(p, " &middot; ");
		x(p, m->measure_id);
		h(p, "</span><h4>");
		x(p, m->title && m->title[0] ? m->title : m->measure_id);
		h(p, "</h4><p><span class=\"val\">");
		value_html(p, m);
		h(p, "</span>");
		if (render_has_target(m)) {
			h(p, " against a target of ");
			x(p, render_line_target(t, m));
		}
		h(p, "<span class=\"rule\">RAG rule: ");
		x(p, m->rag_rule);
		h(p, "</span>");
		if (m->note && m->note[0]) {
			h(p, "<span class=\"note\">");
			x(p, m->note);
			h(p, "</span>");
		}
		h(p, "</p></article>\n");
	}
	h(p, "</div>\n");
}

/* The overview: tiles, RAG bars per objective, contents, what needs attention. */
static void summary_html(struct page *p, const Pmif__Scorecard *s, const Pmif__ExceptionReport *xr)
{
	unsigned total = s->red + s->amber + s->green + s->grey;
	struct chart_row *rows;
	struct chart c;

	h(p, "<section class=\"summary\" aria-labelledby=\"h-summary\">\n"
	     "<h2 id=\"h-summary\">At a glance</h2>\n");
	hf(p, "<p>%u measure%s reported", total, total == 1 ? " is" : "s are");
	if (s->provisional)
		hf(p, "; %u value%s provisional (awaiting sign-off)", s->provisional,
		   s->provisional == 1 ? " is" : "s are");
	h(p, ".</p>\n<div class=\"tiles\">\n");
	tile(p, "red", s->red, "Red", "off target, beyond tolerance");
	tile(p, "amber", s->amber, "Amber", "off target, within tolerance");
	tile(p, "green", s->green, "Green", "on or better than target");
	tile(p, "grey", s->grey, "Grey", "no target, or context only");
	h(p, "</div>\n");
	rows = calloc(s->n_objectives ? s->n_objectives : 1, sizeof(*rows));
	if (rows && s->n_objectives > 0) {
		size_t n = 0;

		for (size_t i = 0; i < s->n_objectives; i++) {
			const Pmif__ObjectiveSection *o = s->objectives[i];

			if (o == NULL)
				continue;
			rows[n++] =
			    chart_rag_row(o->objective_id, o->red, o->amber, o->green, o->grey);
		}
		h(p, "<h3>RAG by objective</h3>\n");
		chart_stacked(&c, 800, 70, rows, n, true);
		chart_out(p, &c, "wide");
		h(p, "<nav aria-label=\"Objectives\"><ol>");
		for (size_t i = 0; i < s->n_objectives; i++) {
			const Pmif__ObjectiveSection *o = s->objectives[i];

			if (o == NULL)
				continue;
			h(p, "<li><a href=\"#");
			anchor(p, "obj-", o->objective_id);
			h(p, "\">");
			x(p, o->objective_id);
			h(p, "</a> ");
			x(p, o->title);
			h(p, "</li>");
		}
		h(p, "</ol></nav>\n");
	}
	free(rows);
	attention(p, xr, 6);
	h(p, "</section>\n");
}

static void key_html(struct page *p)
{
	h(p, "<section class=\"key\" aria-labelledby=\"h-key\">\n<h2 id=\"h-key\">How to read "
	     "this report</h2>\n<dl>\n"
	     "<dt>RAG (Red, Amber, Green)</dt><dd>The latest value against its target. Each "
	     "measure's rule is printed under its title: the target, how far off target still "
	     "counts as Amber, and whether higher or lower is better. Grey means there is no "
	     "target, or the measure is context (for example the number of looked-after "
	     "children), not a target to hit. Targets are indicators, never the whole "
	     "story.</dd>\n"
	     "<dt>Direction of travel</dt><dd>Against the previous period and the same period "
	     "last year: &#9650; improving, &#9660; worsening, = no change; for context measures "
	     "&#8593; higher or &#8595; lower, described but not judged.</dd>\n"
	     "<dt>Variation (statistical process control)</dt><dd>Whether the latest value is "
	     "within the measure's normal range (common cause) or a signal worth investigating "
	     "(special cause: a point beyond the process limits, a run of 7 on one side of the "
	     "mean, 6 rising or falling, or 2 of 3 near a limit). Needs 12 points of "
	     "history.</dd>\n"
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
	doc_open(p, title, k->cabinet ? "pack cabinet" : "pack");
	cover(p, title, k->committee_name && k->committee_name[0] ? k->committee_name : NULL,
	      k->filter, s->generated_unix);
	summary_html(p, s, k->exceptions);
	if (!k->cabinet && k->exceptions && k->exceptions->n_exceptions > 0) {
		h(p, "<section class=\"exceptions\" aria-labelledby=\"h-exc\">\n<h2 id=\"h-exc\">"
		     "Exceptions: red, special cause concern, or worsening</h2>\n");
		measures_table(p, k->exceptions->exceptions, k->exceptions->n_exceptions, true);
		h(p, "</section>\n");
	}
	for (size_t i = 0; i < n; i++)
		objective_html(p, obs[i]);
	key_html(p);
	h(p, "</main>\n");
	doc_close(p);
}

static void write_scorecard(struct page *p, const Pmif__Scorecard *s)
{
	const char *title = s->title && s->title[0] ? s->title : "Scorecard";

	doc_open(p, title, "scorecard");
	cover(p, title, NULL, s->filter, s->generated_unix);
	summary_html(p, s, NULL);
	for (size_t i = 0; i < s->n_objectives; i++)
		objective_html(p, s->objectives[i]);
	key_html(p);
	h(p, "</main>\n");
	doc_close(p);
}

static void write_exceptions(struct page *p, const Pmif__ExceptionReport *r)
{
	const char *title = r->title && r->title[0] ? r->title : "Exception report";

	doc_open(p, title, "exceptions");
	cover(p, title, NULL, r->filter, 0);
	hf(p,
	   "<section aria-labelledby=\"h-exc\"><h2 id=\"h-exc\">%zu exception%s: red, special "
	   "cause concern, or worsening</h2>\n",
	   r->n_exceptions, r->n_exceptions == 1 ? "" : "s");
	measures_table(p, r->exceptions, r->n_exceptions, true);
	h(p, "</section>\n");
	key_html(p);
	h(p, "</main>\n");
	doc_close(p);
}

static void write_completeness(struct page *p, const Pmif__CompletenessReport *r)
{
	const char *title = r->title && r->title[0] ? r->title : "Completeness";
	struct chart_row *rows = calloc(r->n_directorates ? r->n_directorates : 1, sizeof(*rows));
	char(*notes)[48] = calloc(r->n_directorates ? r->n_directorates : 1, sizeof(*notes));
	struct chart c;
	size_t n = 0;

	doc_open(p, title, "completeness");
	cover(p, title, NULL, r->filter, 0);
	h(p, "<section aria-labelledby=\"h-st\"><h2 id=\"h-st\">Where entry stands</h2>\n");
	hf(p, "<div class=\"banner %s\">", r->overdue ? "overdue" : "ok");
	if (r->overdue)
		h(p, "Overdue: ");
	h(p, "the period is ");
	x(p, r->period_state && r->period_state[0] ? r->period_state : "in an unknown state");
	if (r->due_date && r->due_date[0]) {
		h(p, "; entry was due by ");
		x(p, r->due_date);
	}
	h(p, ".</div>\n");
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
		chart_out(p, &c, "wide");
	}
	free(rows);
	free(notes);
	h(p, "</section>\n");
	for (size_t i = 0; i < r->n_directorates; i++) {
		const Pmif__DirectorateCompleteness *d = r->directorates[i];

		if (d == NULL)
			continue;
		h(p, "<section><h2>");
		x(p, d->name && d->name[0] ? d->name : d->directorate);
		hf(p, "</h2>\n<p>%u expected: %u approved, %u awaiting sign-off, %u missing.</p>\n",
		   d->expected, d->approved, d->submitted, d->missing);
		if (d->n_items == 0) {
			h(p, "<p>Nothing outstanding.</p></section>\n");
			continue;
		}
		h(p,
		  "<table><thead><tr><th scope=\"col\">Measure</th><th scope=\"col\">Locality</th>"
		  "<th scope=\"col\">Status</th></tr></thead><tbody>\n");
		for (size_t k = 0; k < d->n_items; k++) {
			const Pmif__MissingItem *it = d->items[k];
			bool missing = it && it->status && strcmp(it->status, "missing") == 0;

			if (it == NULL)
				continue;
			h(p, "<tr><td><span class=\"mt\">");
			x(p, it->title);
			h(p, "</span> <span class=\"mid\">");
			x(p, it->measure_id);
			h(p, "</span></td><td>");
			x(p, it->locality);
			hf(p, "</td><td><span class=\"badge %s\">", missing ? "red" : "amber");
			x(p, it->status);
			h(p, "</span></td></tr>\n");
		}
		h(p, "</tbody></table></section>\n");
	}
	h(p, "</main>\n");
	doc_close(p);
}

/* Value, RAG with its rule, and direction: the headline of one measure. */
static void headline(struct page *p, const Pmif__MeasureLine *m)
{
	char t[RENDER_NUM_LEN];

	if (m == NULL)
		return;
	h(p, "<div class=\"headline\"><span class=\"big\">");
	value_html(p, m);
	h(p, "</span><span>");
	rag_badge(p, m->rag);
	h(p, "</span><span>Target ");
	x(p, render_has_target(m) ? render_line_target(t, m) : "none");
	h(p, "</span><span>");
	direction_html(p, "on previous", m->vs_previous, m->previous_period, m->has_previous,
	               m->previous_value, m);
	direction_html(p, "on last year", m->vs_last_year, m->last_year_period, m->has_last_year,
	               m->last_year_value, m);
	h(p, "</span></div>\n<p class=\"rule\">RAG rule: ");
	x(p, m->rag_rule && m->rag_rule[0] ? m->rag_rule : "no RAG rule given");
	h(p, "</p>\n");
}

static void write_trend(struct page *p, const Pmif__TrendReport *r)
{
	const Pmif__MeasureLine *m = r->measure;
	const Pmif__SpcSummary *s = r->spc;
	const char *title = r->title && r->title[0] ? r->title : "Trend";
	struct chart c;

	doc_open(p, title, "trend");
	cover(p, title, m ? m->title : NULL, r->filter, 0);
	h(p, "<section aria-labelledby=\"h-tr\"><h2 id=\"h-tr\">");
	x(p, m && m->title && m->title[0] ? m->title : "Measure");
	h(p, "</h2>\n");
	headline(p, m);
	h(p, "<h3>Statistical process control chart</h3>\n");
	chart_spc(&c, 900, 400, r);
	chart_out(p, &c, "wide");
	if (s && s->summary && s->summary[0]) {
		h(p, "<p><strong>Variation:</strong> ");
		x(p, s->summary);
		h(p, "</p>\n");
	}
	if (s && s->assurance_label && s->assurance_label[0]) {
		h(p, "<p><strong>Assurance:</strong> ");
		x(p, s->assurance_label);
		h(p, "</p>\n");
	}
	h(p, "</section>\n<section aria-labelledby=\"h-pts\"><h2 id=\"h-pts\">The values</h2>\n"
	     "<table><thead><tr><th scope=\"col\">Period</th><th scope=\"col\" class=\"num\">Value"
	     "</th><th scope=\"col\" class=\"num\">Target</th><th scope=\"col\">Signal</th></tr>"
	     "</thead><tbody>\n");
	for (size_t i = 0; i < r->n_points; i++) {
		const Pmif__SeriesPoint *pt = r->points[i];
		char v[RENDER_NUM_LEN];
		const char *unit = m ? m->unit : "";
		int dec = m ? m->decimals : 1;

		if (pt == NULL)
			continue;
		h(p, "<tr><td>");
		x(p, pt->period);
		h(p, "</td><td class=\"num\">");
		x(p, pt->has_value ? render_value(v, pt->value, unit, dec) : "n/a");
		if (pt->provisional && pt->has_value) {
			h(p, "*");
			p->provisional = true;
		}
		h(p, "</td><td class=\"num\">");
		x(p, pt->has_target ? render_value(v, pt->target, unit, dec) : "");
		h(p, "</td><td>");
		if (pt->flags_high || pt->flags_low) {
			const char *pol = m ? render_str(m->polarity) : "";
			bool hi = pt->flags_high != 0;
			const char *w =
			    strcmp(pol, "higher") == 0  ? (hi ? "improvement" : "concern")
			    : strcmp(pol, "lower") == 0 ? (hi ? "concern" : "improvement")
			    : hi                        ? "high"
			                                : "low";

			hf(p, "<span class=\"spc %s\">special cause: %s</span>", w, w);
		}
		h(p, "</td></tr>\n");
	}
	h(p, "</tbody></table></section>\n");
	key_html(p);
	h(p, "</main>\n");
	doc_close(p);
}

static void locality_row(struct page *p, const Pmif__LocalityLine *l, const Pmif__MeasureLine *m,
                         bool borough)
{
	char v[RENDER_NUM_LEN], a[RENDER_NUM_LEN], b[RENDER_NUM_LEN];
	const char *unit = m ? m->unit : "";
	int dec = m ? m->decimals : 1;

	hf(p, "<tr%s><th scope=\"row\">", borough ? " class=\"mt\"" : "");
	x(p, l->name && l->name[0] ? l->name : l->locality);
	h(p, "</th><td class=\"num\">");
	x(p, l->has_value ? render_value(v, l->value, unit, dec) : "n/a");
	if (l->provisional && l->has_value) {
		h(p, "*");
		p->provisional = true;
	}
	h(p, "</td><td class=\"num\">");
	if (l->has_interval)
		hf(p, "%s to %s", render_value(a, l->lower, unit, dec + 1),
		   render_value(b, l->upper, unit, dec + 1));
	h(p, "</td><td>");
	if (borough)
		h(p, "the reference");
	else
		x(p, l->comparison_label && l->comparison_label[0]
		         ? l->comparison_label
		         : render_comparison_word(l->comparison));
	h(p, "</td><td class=\"mid\">");
	x(p, l->method);
	h(p, "</td></tr>\n");
}

static void write_locality(struct page *p, const Pmif__LocalityReport *r)
{
	const Pmif__MeasureLine *m = r->measure;
	const char *title = r->title && r->title[0] ? r->title : "Locality comparison";
	struct chart c;

	doc_open(p, title, "locality");
	cover(p, title, m ? m->title : NULL, r->filter, 0);
	h(p, "<section aria-labelledby=\"h-lc\"><h2 id=\"h-lc\">");
	x(p, m && m->title && m->title[0] ? m->title : "Measure");
	h(p, " by locality</h2>\n");
	headline(p, m);
	h(p, "<h3>Each locality against the borough (95% confidence intervals)</h3>\n");
	chart_locality(&c, 900, r);
	chart_out(p, &c, "wide");
	h(p,
	  "<p class=\"mid\">The whisker is the 95% confidence interval: where it does not cross "
	  "the borough line the difference is unlikely to be chance, and the locality is labelled "
	  "significantly better or worse.</p>\n");
	h(p,
	  "<table><thead><tr><th scope=\"col\">Locality</th><th scope=\"col\" class=\"num\">"
	  "Value</th><th scope=\"col\" class=\"num\">95% interval</th><th scope=\"col\">Compared "
	  "with the borough</th><th scope=\"col\">Method</th></tr></thead><tbody>\n");
	if (r->borough)
		locality_row(p, r->borough, m, true);
	for (size_t i = 0; i < r->n_localities; i++)
		if (r->localities[i])
			locality_row(p, r->localities[i], m, false);
	h(p, "</tbody></table></section>\n");
	h(p, "</main>\n");
	doc_close(p);
}

int render_html_write(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct page p = {.f = c->out, .now = c->now};

	if (RENDER_IS(msg, pmif__committee_pack__descriptor))
		write_pack(&p, (const Pmif__CommitteePack *)msg);
	else if (RENDER_IS(msg, pmif__scorecard__descriptor))
		write_scorecard(&p, (const Pmif__Scorecard *)msg);
	else if (RENDER_IS(msg, pmif__exception_report__descriptor))
		write_exceptions(&p, (const Pmif__ExceptionReport *)msg);
	else if (RENDER_IS(msg, pmif__completeness_report__descriptor))
		write_completeness(&p, (const Pmif__CompletenessReport *)msg);
	else if (RENDER_IS(msg, pmif__trend_report__descriptor))
		write_trend(&p, (const Pmif__TrendReport *)msg);
	else if (RENDER_IS(msg, pmif__locality_report__descriptor))
		write_locality(&p, (const Pmif__LocalityReport *)msg);
	else
		return PMIF_EINVAL;
	return ferror(c->out) ? PMIF_EIO : 0;
}
