/*
 * pages_reports.c - the member pages: scorecard, exceptions, completeness,
 * locality, a measure's detail (its SPC chart and history) and the
 * committee and Cabinet packs.  Each is one pmifd report laid out by the
 * same renderer as the packs (render.h, as an HTML fragment), with a
 * filter form of the CLI's filters and download links (CSV, JSON, PDF,
 * HTML) that go through the same front door.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "render.h"
#include "report.pb-c.h"
#include "values.pb-c.h"
#include "web.h"
#include "words.h"

/* The filters a page takes, in the order its form shows them. */
enum filter_field { F_PERIOD, F_COMMITTEE, F_DIRECTORATE, F_OBJECTIVE, F_MEASURE, F_N };

static const struct {
	const char *name, *label, *hint;
} filter_fields[F_N] = {
    [F_PERIOD] = {"period", "Period", "e.g. 2022-23-Q4"},
    [F_COMMITTEE] = {"committee", "Committee", "e.g. FAMILIES-OSC, or cabinet"},
    [F_DIRECTORATE] = {"directorate", "Directorate", "e.g. CAF"},
    [F_OBJECTIVE] = {"objective", "Objective", "e.g. PO1"},
    [F_MEASURE] = {"measure", "Measure", "e.g. FSM-UPTAKE"},
};

struct report_page {
	const char *method; /* the report RPC */
	const char *title;
	const char *slug;  /* download file names */
	unsigned fields;   /* 1 << filter_field */
	bool path_measure; /* /measure/CODE: the measure comes from the path */
};

/* The values the page was asked for ("" when not given). */
struct filters {
	const char *v[F_N];
	char period[32];
};

/* The query as it was, for the download links: "?a=b&amp;c=d&amp;". */
static void query_of(struct req *r, const struct report_page *p, const struct filters *fl)
{
	page_raw(r, "?");
	for (int i = 0; i < F_N; i++) {
		if (!(p->fields & (1u << i)) || !fl->v[i][0] || (i == F_MEASURE && p->path_measure))
			continue;
		page_rawf(r, "%s=", filter_fields[i].name);
		web_urlenc(r->f, fl->v[i]);
		page_raw(r, "&amp;");
	}
}

static void filter_form(struct req *r, const struct report_page *p, const struct filters *fl)
{
	page_raw(r, "<form method=\"get\" class=\"filters\" aria-label=\"Filters\">\n");
	for (int i = 0; i < F_N; i++) {
		if (!(p->fields & (1u << i)) || (i == F_MEASURE && p->path_measure))
			continue;
		page_rawf(r,
		          "<div><label for=\"f-%s\">%s</label><input id=\"f-%s\" name=\"%s\" "
		          "aria-describedby=\"h-%s\" value=\"",
		          filter_fields[i].name, filter_fields[i].label, filter_fields[i].name,
		          filter_fields[i].name, filter_fields[i].name);
		page_text(r, fl->v[i]);
		page_rawf(r, "\"><span class=\"mid\" id=\"h-%s\">%s</span></div>\n",
		          filter_fields[i].name, filter_fields[i].hint);
	}
	page_raw(r, "<div><button type=\"submit\">Show</button></div>\n</form>\n");
	page_raw(r, "<p class=\"downloads\">Download: ");
	static const char *const formats[] = {"csv", "json", "pdf", "html"};
	static const char *const labels[] = {"CSV", "JSON", "PDF", "HTML page"};
	for (size_t i = 0; i < 4; i++) {
		page_raw(r, "<a href=\"");
		query_of(r, p, fl);
		page_rawf(r, "format=%s\" download>%s</a> ", formats[i], labels[i]);
	}
	page_raw(r, "</p>\n");
}

/* A file name part: [A-Za-z0-9-] only. */
static void safe_name(char *out, size_t cap, const char *s)
{
	size_t n = 0;

	for (; s && *s && n + 1 < cap; s++)
		out[n++] = ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		            (*s >= '0' && *s <= '9') || *s == '-')
		               ? *s
		               : '_';
	out[n] = '\0';
}

/* Send @p msg as a file in @p fmt. */
static void download(struct req *r, const struct report_page *p, const struct filters *fl,
                     const ProtobufCMessage *msg, enum render_format fmt)
{
	static const char *const ctypes[RENDER_N_FORMATS] = {
	    [RENDER_TABLE] = "text/plain; charset=utf-8",
	    [RENDER_CSV] = "text/csv; charset=utf-8",
	    [RENDER_JSON] = "application/json",
	    [RENDER_HTML] = "text/html; charset=utf-8",
	    [RENDER_PDF] = "application/pdf",
	};
	struct render_options opt = {.tty = -1, .utf8 = 1};
	char a[48], b[48], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc = PMIF_ENOMEM;

	if (f != NULL) {
		if (fmt == RENDER_PDF)
			pthread_mutex_lock(&r->w->render_lock);
		rc = render_message_to(msg, fmt, f, &opt);
		if (fmt == RENDER_PDF)
			pthread_mutex_unlock(&r->w->render_lock);
		if (fclose(f) != 0 && rc == 0)
			rc = PMIF_EIO;
	}
	if (rc != 0) {
		free(buf);
		page_message(r, 500, "Cannot make the file",
		             "The report could not be written in that format; try another format.");
		return;
	}
	fwrite(buf, 1, len, r->f);
	free(buf);
	r->raw = true;
	r->ctype = ctypes[fmt];
	safe_name(a, sizeof(a), p->path_measure ? fl->v[F_MEASURE] : p->slug);
	safe_name(b, sizeof(b), fl->v[F_COMMITTEE][0] ? fl->v[F_COMMITTEE] : fl->period);
	snprintf(r->disposition, sizeof(r->disposition), "attachment; filename=\"%s-%s%s%s.%s\"", a,
	         b, fl->v[F_COMMITTEE][0] ? "-" : "", fl->v[F_COMMITTEE][0] ? fl->period : "",
	         render_format_name(fmt));
}

/* The value history of a measure for the period (under its chart). */
static void history(struct req *r, const char *measure, const char *period)
{
	Pmif__ValueHistoryRequest in = PMIF__VALUE_HISTORY_REQUEST__INIT;
	Pmif__ValueHistoryReply *out = NULL;
	struct call_result res;

	in.measure = (char *)measure;
	in.period = (char *)period;
	page_raw(r, "<section aria-labelledby=\"h-hist\"><h2 id=\"h-hist\">Revisions for ");
	page_text(r, period);
	page_raw(r, "</h2>\n");
	if (web_call(r, "ValueHistory", &in.base, (ProtobufCMessage **)&out, &res) != 0) {
		page_raw(r, "<p>");
		page_text(r, res.message);
		page_raw(r, "</p>\n</section>\n");
		call_result_release(&res);
		return;
	}
	page_raw(r, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Revisions "
	            "table\"><table class=\"plain\"><caption>Every revision of the value, oldest "
	            "first</caption>\n<thead><tr><th scope=\"col\">Revision</th><th "
	            "scope=\"col\">Locality</th><th scope=\"col\" class=\"num\">Value</th><th "
	            "scope=\"col\">Status</th><th scope=\"col\">Entered by</th><th "
	            "scope=\"col\">Note</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < out->n_revisions; i++) {
		const Pmif__ValueRecord *v = out->revisions[i];
		char when[64];

		page_rawf(r, "<tr><th scope=\"row\">%u</th><td>", v->revision);
		page_text(r, v->locality);
		page_rawf(r, "</td><td class=\"num\">%.15g", v->value);
		if (v->has_fraction)
			page_rawf(r, " (%.15g / %.15g)", v->numerator, v->denominator);
		page_rawf(r, "</td><td>%s</td><td>", pmif_value_status_word(v->status));
		page_text(r, v->submitted_by);
		page_rawf(r, ", %s</td><td>", render_time(when, sizeof(when), v->submitted_unix));
		page_text(r, v->note);
		page_raw(r, "</td></tr>\n");
	}
	if (out->n_revisions == 0)
		page_raw(
		    r,
		    "<tr><td colspan=\"6\">No value has been entered for this period.</td></tr>\n");
	page_raw(r, "</tbody></table></div>\n</section>\n");
	protobuf_c_message_free_unpacked(&out->base, NULL);
	call_result_release(&res);
}

static void report_page(struct req *r, const struct report_page *p)
{
	Pmif__ReportFilter f = PMIF__REPORT_FILTER__INIT;
	struct filters fl = {{0}};
	ProtobufCMessage *msg = NULL;
	struct call_result res;
	const char *fmt_name = req_query(r, "format");
	enum render_format fmt = RENDER_HTML;
	struct render_options opt = {.tty = -1, .utf8 = 1, .fragment = true};
	int rc;

	for (int i = 0; i < F_N; i++) {
		const char *v =
		    (p->fields & (1u << i)) ? req_query(r, filter_fields[i].name) : NULL;
		fl.v[i] = v ? v : "";
	}
	if (p->path_measure)
		fl.v[F_MEASURE] = r->path + strlen("/measure/");
	if (fl.v[F_PERIOD][0])
		snprintf(fl.period, sizeof(fl.period), "%.31s", fl.v[F_PERIOD]);
	else if (p->fields & (1u << F_PERIOD))
		web_latest_period(r, fl.period, sizeof(fl.period));
	fl.v[F_PERIOD] = fl.period;
	if (fmt_name && (render_format_parse(fmt_name, &fmt) != 0 || fmt == RENDER_TABLE)) {
		page_message(
		    r, 422, "Unknown format",
		    "The format must be csv, json, pdf or html; follow one of the download "
		    "links.");
		return;
	}
	f.period = fl.period;
	f.committee =
	    (char *)(strcasecmp(fl.v[F_COMMITTEE], "cabinet") == 0 ? "CABINET" : fl.v[F_COMMITTEE]);
	f.directorate = (char *)fl.v[F_DIRECTORATE];
	f.objective = (char *)fl.v[F_OBJECTIVE];
	f.measure = (char *)fl.v[F_MEASURE];
	if (p->path_measure)
		f.to_period = fl.period;
	rc = web_call(r, p->method, &f.base, &msg, &res);
	if (rc != 0 &&
	    (fmt_name || web_status_for(&res) == 401 || res.code == PMIF__CODE__UNKNOWN)) {
		answer_call_failed(r, &res);
	} else if (rc == 0 && fmt_name) {
		download(r, p, &fl, msg, fmt);
	} else {
		page_open(r, p->title);
		if (rc != 0) {
			r->status = web_status_for(&res);
			page_raw(r, "<h1>");
			page_text(r, p->title);
			page_raw(r, "</h1>\n");
		}
		filter_form(r, p, &fl);
		if (rc != 0) {
			page_raw(r, "<p class=\"error\" role=\"alert\">");
			page_text(r, res.message);
			page_raw(r, "</p>\n");
		} else {
			page_raw(
			    r,
			    "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
			page_text(r, p->title);
			page_raw(r, "\">\n");
			if (render_message_to(msg, RENDER_HTML, r->f, &opt) != 0)
				page_raw(r, "<p class=\"error\" role=\"alert\">The report could "
				            "not be laid "
				            "out; try a download instead.</p>\n");
			page_raw(r, "</div>\n");
			if (p->path_measure)
				history(r, fl.v[F_MEASURE], fl.period);
		}
		page_close(r);
	}
	if (msg)
		protobuf_c_message_free_unpacked(msg, NULL);
	call_result_release(&res);
}

#define BIT(f) (1u << (f))

void page_scorecard(struct req *r)
{
	static const struct report_page p = {
	    "ReportScorecard", "Scorecard", "scorecard",
	    BIT(F_PERIOD) | BIT(F_COMMITTEE) | BIT(F_DIRECTORATE) | BIT(F_OBJECTIVE), false};
	report_page(r, &p);
}

void page_exceptions(struct req *r)
{
	static const struct report_page p = {"ReportExceptions", "Exceptions", "exceptions",
	                                     BIT(F_PERIOD) | BIT(F_COMMITTEE), false};
	report_page(r, &p);
}

void page_completeness(struct req *r)
{
	static const struct report_page p = {"ReportCompleteness", "Completeness", "completeness",
	                                     BIT(F_PERIOD) | BIT(F_DIRECTORATE), false};
	report_page(r, &p);
}

void page_risks(struct req *r)
{
	static const struct report_page p = {"ReportRisks", "Risks", "risks",
	                                     BIT(F_PERIOD) | BIT(F_COMMITTEE) | BIT(F_DIRECTORATE),
	                                     false};
	report_page(r, &p);
}

/*
 * Without the one thing a page needs (the measure, the committee), list
 * what there is to choose from, as links: the measures reported by
 * locality, or the committees.
 */
static void chooser(struct req *r, const char *title, const char *intro,
                    Pmif__FrameworkRecord__Kind kind)
{
	Pmif__FrameworkListRequest in = PMIF__FRAMEWORK_LIST_REQUEST__INIT;
	Pmif__FrameworkListReply *out = NULL;
	struct call_result res;
	const char *period = req_query(r, "period");

	in.kind = kind;
	if (web_call(r, "FrameworkList", &in.base, (ProtobufCMessage **)&out, &res) != 0) {
		answer_call_failed(r, &res);
		call_result_release(&res);
		return;
	}
	page_open(r, title);
	page_raw(r, "<h1>");
	page_text(r, title);
	page_raw(r, "</h1>\n<p>");
	page_text(r, intro);
	page_raw(r, "</p>\n<ul class=\"links\">\n");
	for (size_t i = 0; i < out->n_records; i++) {
		const Pmif__Measure *m = WEB_RECORD(out->records[i], MEASURE, measure);
		const Pmif__Committee *c = WEB_RECORD(out->records[i], COMMITTEE, committee);

		if ((m && (!m->by_locality || m->retired)) || (!m && !c))
			continue;
		page_raw(r,
		         m ? "<li><a href=\"/locality?measure=" : "<li><a href=\"/pack?committee=");
		web_urlenc(r->f, m                                           ? m->id
		                 : c->kind == PMIF__COMMITTEE__KIND__CABINET ? "cabinet"
		                                                             : c->id);
		if (period) {
			page_raw(r, "&amp;period=");
			web_urlenc(r->f, period);
		}
		page_raw(r, "\">");
		page_text(r, m ? m->id : c->name && c->name[0] ? c->name : c->id);
		if (m) {
			page_raw(r, "</a>: ");
			page_text(r, m->title);
			page_raw(r, "</li>\n");
		} else {
			page_raw(r, "</a></li>\n");
		}
	}
	page_raw(r, "</ul>\n");
	page_close(r);
	protobuf_c_message_free_unpacked(&out->base, NULL);
	call_result_release(&res);
}

void page_locality(struct req *r)
{
	static const struct report_page p = {"ReportLocality", "Locality comparison", "locality",
	                                     BIT(F_MEASURE) | BIT(F_PERIOD), false};

	if (req_query(r, "measure") == NULL && req_query(r, "format") == NULL) {
		chooser(r, "Locality comparison",
		        "Choose a measure to compare each locality with the borough:",
		        PMIF__FRAMEWORK_RECORD__KIND__MEASURE);
		return;
	}
	report_page(r, &p);
}

void page_measure(struct req *r)
{
	static const struct report_page p = {"ReportTrend", "Measure detail", "measure",
	                                     BIT(F_PERIOD) | BIT(F_MEASURE), true};
	report_page(r, &p);
}

void page_pack(struct req *r)
{
	static const struct report_page p = {"ReportPack", "Committee pack", "pack",
	                                     BIT(F_PERIOD) | BIT(F_COMMITTEE), false};

	if (req_query(r, "committee") == NULL && req_query(r, "format") == NULL) {
		chooser(r, "Committee packs",
		        "Choose a committee's pack:", PMIF__FRAMEWORK_RECORD__KIND__COMMITTEE);
		return;
	}
	report_page(r, &p);
}
