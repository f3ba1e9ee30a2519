/*
 * render_html_page.c - the HTML page and its primitives: escaping, the
 * document head with its inline CSS (no script, no external URL), the
 * cover block and footer, and the small pieces every report uses (RAG
 * badge, value with its provisional marker, direction of travel,
 * exception reasons).  Colour never carries meaning alone: every RAG,
 * status and movement is also a word.
 */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "render_html.h"

/* Escaped text. */
void html_text(struct page *p, const char *s)
{
	render_xml(p->f, s);
}

/* Literal markup. */
void html_raw(struct page *p, const char *s)
{
	fputs(s, p->f);
}

void html_rawf(struct page *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(p->f, fmt, ap);
	va_end(ap);
}

/* An id attribute value from server text: [A-Za-z0-9_-] only. */
void html_anchor(struct page *p, const char *prefix, const char *id)
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
    ".tile.nodata{border-left:8px dashed var(--grey)}\n"
    ".rag{display:inline-block;min-width:4.6em;padding:2px 7px;border-radius:3px;"
    "font-weight:bold;font-size:13px;white-space:nowrap;text-align:left}\n"
    ".rag-red{background:var(--red);color:#fff}.rag-amber{background:var(--amber);color:#000}\n"
    ".rag-green{background:var(--green);color:#fff}.rag-grey{background:var(--grey);color:#fff}\n"
    ".rag-nodata{background:#fff;color:var(--ink);border:1px dashed var(--grey);"
    "padding:1px 6px}\n"
    ".badge{display:inline-block;padding:2px 7px;border-radius:3px;font-weight:bold;"
    "font-size:12.5px;white-space:nowrap;border:1px solid transparent}\n"
    ".badge.red{background:var(--red);color:#fff}.badge.amber{background:var(--amber);"
    "color:#000}\n.badge.green{background:var(--green);color:#fff}.badge.grey{background:#fff;"
    "color:var(--grey);border-color:var(--grey)}\n"
    ".badge.done{background:#fff;color:var(--navy);border-color:var(--navy)}\n"
    ".badge.nodata{background:#fff;color:var(--ink);border:1px dashed var(--grey)}\n"
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
    ".actions tr.overdue td:first-child{border-left:4px solid var(--red);padding-left:6px}\n"
    ".actions td.date{white-space:nowrap}\n"
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
    ".banner.illustrative{background:#fff4d6;border:1px solid #b88a00}.illus{color:#7a5a00}\n"
    "tr.us td{background:#dce5ef;font-weight:bold}\n"
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

const char *render_html_css(void)
{
	return css;
}

void html_doc_open(struct page *p, const char *title, const char *body_class)
{
	if (p->fragment) {
		html_rawf(p, "<div class=\"report %s\">\n", body_class);
		return;
	}
	html_raw(
	    p, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
	html_text(p, title);
	html_raw(p, "</title>\n<style>\n");
	html_raw(p, css);
	html_rawf(p, "</style>\n</head>\n<body class=\"%s\">\n", body_class);
}

void html_caption(struct page *p, const char *text)
{
	if (!p->fragment)
		return;
	html_raw(p, "<caption class=\"sr\">");
	html_text(p, text);
	html_raw(p, "</caption>");
}

void html_main_close(struct page *p)
{
	if (!p->fragment)
		html_raw(p, "</main>\n");
}

void html_doc_close(struct page *p)
{
	html_raw(p, p->fragment ? "<div class=\"report-foot\">\n" : "<footer>\n");
	if (p->provisional)
		html_raw(p, "<p><strong>*</strong> " RENDER_PROVISIONAL_NOTE
		            ": the value has been submitted by the directorate but not yet signed "
		            "off by the "
		            "performance team.</p>\n");
	html_raw(
	    p,
	    "<p>Produced by PMIF, the council's Performance Management and Improvement Framework. "
	    "Every judgement in this report (RAG, direction of travel, statistical process "
	    "control, "
	    "locality comparison) was made by the PMIF server by the rule printed beside "
	    "it.</p>\n");
	html_raw(p, p->fragment ? "</div>\n</div>\n" : "</footer>\n</body>\n</html>\n");
}

/* The report's title block. */
void html_cover(struct page *p, const char *title, const char *subtitle,
                const Pmif__ReportFilter *f, unsigned long long generated)
{
	char when[64];

	html_raw(p, p->fragment ? "<div class=\"cover\">\n" : "<header class=\"cover\">\n");
	html_raw(p, "<p class=\"kicker\">Performance Management and Improvement "
	            "Framework</p>\n<h1>");
	html_text(p, title);
	html_raw(p, "</h1>\n<p class=\"meta\">");
	if (subtitle && subtitle[0]) {
		html_text(p, subtitle);
		html_raw(p, " &middot; ");
	}
	if (f && f->period && f->period[0]) {
		html_raw(p, "Period <strong>");
		html_text(p, f->period);
		html_raw(p, "</strong> &middot; ");
	}
	if (f && f->from_period && f->from_period[0]) {
		html_raw(p, "From ");
		html_text(p, f->from_period);
		html_raw(p, " to ");
		html_text(p, f->to_period);
		html_raw(p, " &middot; ");
	}
	if (f && f->locality && f->locality[0]) {
		html_raw(p, "Locality ");
		html_text(p, f->locality);
		html_raw(p, " &middot; ");
	}
	html_rawf(p, "Generated %s</p>\n%s",
	          render_time(when, sizeof(when), generated ? generated : p->now),
	          p->fragment ? "</div>\n" : "</header>\n<main>\n");
}

void html_chart(struct page *p, struct chart *c, const char *cls)
{
	chart_svg(p->f, c, cls);
	chart_release(c);
}

void html_rag(struct page *p, Pmif__Rag r)
{
	static const char *const sym[] = {"\u2013", "\u2715", "!", "\u2713", "\u25cb"};
	unsigned i = (unsigned)r < 5 ? (unsigned)r : 0;

	html_rawf(p, "<span class=\"rag rag-%s\"><span aria-hidden=\"true\">%s</span> %s</span>",
	          render_rag_class(r), sym[i], render_rag_word(r));
}

/* Value with its provisional marker. */
void html_value(struct page *p, const Pmif__MeasureLine *m)
{
	char v[RENDER_NUM_LEN];

	html_text(p, render_line_value(v, m));
	if (m->provisional && render_has_value(m)) {
		html_raw(p, "<span aria-label=\"provisional\">*</span>");
		p->provisional = true;
	}
}

/* "▲ improving" and, smaller, what it is compared with. */
void html_direction(struct page *p, const char *label, Pmif__Direction d, const char *period,
                    bool has, double prev, const Pmif__MeasureLine *m)
{
	char v[RENDER_NUM_LEN];

	html_rawf(p, "<span class=\"dir %s\"><b>%s %s</b> <span class=\"mid\">%s",
	          render_direction_word(d), render_direction_arrow(d, true),
	          render_direction_word(d), label);
	if (has && isfinite(prev)) {
		html_raw(p, " (");
		html_text(p, render_value(v, prev, m->unit, m->decimals));
		if (period && period[0]) {
			html_raw(p, " in ");
			html_text(p, period);
		}
		html_raw(p, ")");
	}
	html_raw(p, "</span></span>");
}

void html_line_title(struct page *p, const Pmif__MeasureLine *m)
{
	struct render_buf b = {0};

	render_line_title(&b, m);
	html_text(p, b.p ? b.p : "");
	render_buf_release(&b);
}

/* The exception reasons as chips; "red" is left out when @p skip_red
 * (the RAG badge beside it already says so). */
void html_reasons(struct page *p, const Pmif__MeasureLine *m, bool skip_red)
{
	html_raw(p, "<span class=\"reasons\">");
	for (size_t i = 0; i < m->n_exception_reasons; i++) {
		if (skip_red && m->exception_reasons[i] &&
		    strcmp(m->exception_reasons[i], "red") == 0)
			continue;
		html_raw(p, "<span>");
		html_text(p, m->exception_reasons[i]);
		html_raw(p, "</span>");
	}
	html_raw(p, "</span>");
}