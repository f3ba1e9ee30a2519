/*
 * test_render.c - the report renderers (client/render_*.c): every cell of
 * the (report type, format) table renders or says it cannot, the front
 * door's PMIF_E* codes (not a report, no such format, PDF to a terminal,
 * an output that cannot be written leaves no file), the promises each
 * format makes (CSV rows and quoting,
 * self-contained escaped HTML with the RAG rule shown, PDF pages, table
 * width and colour), and garbage input (empty messages, missing
 * sub-messages, NaN, huge strings, control characters) that must render
 * without crashing.
 *
 * The realistic reports come from tests/render_sample.c, included here.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#define RENDER_SAMPLE_NO_MAIN
#include "render_sample.c"

#include "error.h"
#include "pbjson.h"
#include "render.h"
#include "render_chart.h"

static char tmpdir[] = "/tmp/test-render.XXXXXX";

static const struct render_options plain = {.width = 100, .tty = -1, .utf8 = 1, .now = 1683883800};

/* ---- helpers ---- */

static char *path_of(const char *name)
{
	return str("%s/%s", tmpdir, name);
}

/* The whole file, NUL-terminated; *len set when not NULL. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = alloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	if (len)
		*len = (size_t)n;
	return buf;
}

/* Render @p msg in @p f with @p opt to a file; return its content. */
static char *render(const ProtobufCMessage *msg, enum render_format f,
                    const struct render_options *opt, size_t *len)
{
	static unsigned seq;
	char *path = str("%s/out-%u.%s", tmpdir, seq++, render_format_name(f));

	assert_int_equal(render_message(msg, f, path, opt), 0);
	return slurp(path, len);
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* RFC 4180 records: CRLFs outside quotes. */
static size_t csv_records(const char *s)
{
	size_t n = 0;
	bool quoted = false;

	for (; *s; s++) {
		if (*s == '"')
			quoted = !quoted;
		else if (!quoted && s[0] == '\r' && s[1] == '\n')
			n++;
	}
	return n;
}

static size_t measures_in(Pmif__ObjectiveSection *const *obs, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += obs[i] ? obs[i]->n_measures : 0;
	return k;
}

/* Display columns of a line without its ANSI escapes. */
static size_t line_cols(const char *s, size_t n)
{
	size_t cols = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0x1b) {
			while (i < n && s[i] != 'm')
				i++;
			continue;
		}
		if ((c & 0xc0) != 0x80)
			cols++;
	}
	return cols;
}

static size_t max_line_cols(const char *s)
{
	size_t max = 0;

	while (*s) {
		size_t n = strcspn(s, "\n"), c = line_cols(s, n);

		max = c > max ? c : max;
		s += n + (s[n] ? 1 : 0);
	}
	return max;
}

struct report {
	const char *name;
	const ProtobufCMessage *msg;
};

static struct report reports[10];
static size_t n_reports;

static int setup(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(tmpdir));
	reports[0] = (struct report){"pack", &sample_pack(false)->base};
	reports[1] = (struct report){"cabinet", &sample_pack(true)->base};
	reports[2] = (struct report){"scorecard", &sample_scorecard()->base};
	reports[3] = (struct report){"exceptions", &sample_exceptions()->base};
	reports[4] = (struct report){"completeness", &sample_completeness()->base};
	reports[5] = (struct report){"trend", &sample_trend("FSM-UPTAKE")->base};
	reports[6] = (struct report){"trend-none", &sample_trend("LAC-NUMBER")->base};
	reports[7] = (struct report){"locality", &sample_locality()->base};
	reports[8] = (struct report){"risks", &sample_risks()->base};
	reports[9] = (struct report){"compare", &sample_compare()->base};
	n_reports = 10;
	unsetenv("NO_COLOR");
	return 0;
}

static int teardown(void **state)
{
	char cmd[256];

	(void)state;
	sample_free();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- tests ---- */

static void test_format_parse(void **state)
{
	static const char *const names[] = {"table", "csv", "json", "html", "pdf"};
	enum render_format f = RENDER_PDF;

	(void)state;
	for (size_t i = 0; i < 5; i++) {
		assert_int_equal(render_format_parse(names[i], &f), 0);
		assert_int_equal(f, (enum render_format)i);
		assert_string_equal(render_format_name(f), names[i]);
	}
	f = RENDER_CSV;
	assert_int_equal(render_format_parse("xlsx", &f), PMIF_EINVAL);
	assert_int_equal(render_format_parse("", &f), PMIF_EINVAL);
	assert_int_equal(render_format_parse(NULL, &f), PMIF_EINVAL);
	assert_int_equal(f, RENDER_CSV); /* untouched on failure */
	assert_string_equal(render_format_name(RENDER_N_FORMATS), "unknown");
	assert_string_equal(render_format_name((enum render_format) - 1), "unknown");
}

/* Entries of tmpdir whose name starts with @p prefix. */
static size_t files_named(const char *prefix)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	size_t n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		n += strncmp(e->d_name, prefix, strlen(prefix)) == 0;
	closedir(d);
	return n;
}

/* Every cell of render.c's table of (report type, format): it renders the
 * sample, or it is a hole and says so with PMIF_ENOTSUP, writing nothing. */
static void test_every_report_every_format(void **state)
{
	size_t rendered = 0;

	(void)state;
	assert_string_equal(render_report_name(reports[1].msg), "pack");
	for (size_t i = 0; i < n_reports; i++) {
		assert_string_not_equal(render_report_name(reports[i].msg), "unknown");
		for (int f = RENDER_TABLE; f < RENDER_N_FORMATS; f++) {
			char *name = str("cell-%zu-%d", i, f);
			int rc = render_message(reports[i].msg, (enum render_format)f,
			                        path_of(name), &plain);
			size_t len = 0;

			/* a hole writes nothing; a writer leaves no temp file */
			assert_int_equal(files_named(name), rc == PMIF_ENOTSUP ? 0 : 1);
			if (rc == PMIF_ENOTSUP)
				continue;
			assert_int_equal(rc, 0);
			slurp(path_of(name), &len);
			assert_true(len > 100);
			rendered++;
		}
	}
	/* today every format shows every report */
	assert_int_equal(rendered, n_reports * RENDER_N_FORMATS);
}

static void test_csv_one_row_per_item(void **state)
{
	const Pmif__CommitteePack *pack = (const Pmif__CommitteePack *)reports[0].msg;
	const Pmif__Scorecard *sc = (const Pmif__Scorecard *)reports[2].msg;
	const Pmif__ExceptionReport *x = (const Pmif__ExceptionReport *)reports[3].msg;
	const Pmif__CompletenessReport *cr = (const Pmif__CompletenessReport *)reports[4].msg;
	const Pmif__TrendReport *tr = (const Pmif__TrendReport *)reports[5].msg;
	const Pmif__LocalityReport *lr = (const Pmif__LocalityReport *)reports[7].msg;
	size_t items = 0;
	char *csv;

	(void)state;
	csv = render(&pack->base, RENDER_CSV, &plain, NULL);
	assert_true(strncmp(csv, "objective,measure_id,title,", 27) == 0);
	/* the pack's by-locality measures add a row per locality; then an
	 * empty record and the actions with their header */
	for (size_t i = 0; i < pack->n_localities; i++)
		items += pack->localities[i]->n_localities;
	assert_true(items > 0);
	assert_int_equal(csv_records(csv), 1 + measures_in(pack->objectives, pack->n_objectives) +
	                                       items + 2 + pack->n_actions);
	items = 0;
	csv = render(&sc->base, RENDER_CSV, &plain, NULL);
	assert_int_equal(csv_records(csv), 1 + measures_in(sc->objectives, sc->n_objectives));
	assert_non_null(strstr(csv, ",rag_rule,"));
	csv = render(&x->base, RENDER_CSV, &plain, NULL);
	assert_int_equal(csv_records(csv), 1 + x->n_exceptions);
	csv = render(&cr->base, RENDER_CSV, &plain, NULL);
	for (size_t i = 0; i < cr->n_directorates; i++)
		items += cr->directorates[i]->n_items;
	assert_int_equal(csv_records(csv), 1 + items);
	csv = render(&tr->base, RENDER_CSV, &plain, NULL);
	assert_int_equal(csv_records(csv), 1 + tr->n_points);
	csv = render(&lr->base, RENDER_CSV, &plain, NULL);
	assert_int_equal(csv_records(csv), 1 + 1 + lr->n_localities); /* header, borough, each */
}

static void test_csv_quoting(void **state)
{
	Pmif__Scorecard *s = sample_scorecard();
	Pmif__MeasureLine *m = s->objectives[0]->measures[0];
	char *csv;

	(void)state;
	m->note = str("fell \"sharply\", then\nrecovered");
	m->title = str("=HYPERLINK(\"x\")");
	csv = render(&s->base, RENDER_CSV, &plain, NULL);
	/* the note, then the owning directorate */
	assert_non_null(strstr(csv, ",\"fell \"\"sharply\"\", then\nrecovered\","));
	/* a spreadsheet must not run it */
	assert_non_null(strstr(csv, ",\"'=HYPERLINK(\"\"x\"\")\","));
	assert_int_equal(csv_records(csv), 1 + measures_in(s->objectives, s->n_objectives));
	/* numbers stay numbers, negative ones included */
	m->value = -2.5;
	m->decimals = 1;
	csv = render(&s->base, RENDER_CSV, &plain, NULL);
	assert_non_null(strstr(csv, ",-2.5,"));
}

static void assert_self_contained(const char *html)
{
	const char *p;

	assert_null(strstr(html, "http://"));
	assert_null(strstr(html, "https://"));
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "@import"));
	assert_null(strstr(html, "url("));
	/* inside tags, a src= may only carry a data: URI (text may say "src=") */
	for (p = html; (p = strchr(p, '<')) != NULL; p++) {
		size_t n = strcspn(p, ">");
		const char *a = p;

		while ((a = strstr(a, "src=")) != NULL && a < p + n) {
			assert_true(strncmp(a, "src=\"data:", 10) == 0);
			a += 4;
		}
	}
	assert_non_null(strstr(html, "<html lang=\"en\">"));
	assert_non_null(strstr(html, "<title>"));
	assert_non_null(strstr(html, "@media print"));
}

/* @p s escaped as the HTML writer escapes text. */
static char *escaped(const char *s)
{
	struct render_buf b = {0};
	char *out;

	for (; *s; s++) {
		switch (*s) {
		case '&': render_buf_add(&b, "&amp;", 5); break;
		case '<': render_buf_add(&b, "&lt;", 4); break;
		case '>': render_buf_add(&b, "&gt;", 4); break;
		case '"': render_buf_add(&b, "&quot;", 6); break;
		case '\'': render_buf_add(&b, "&#39;", 5); break;
		default: render_buf_add(&b, s, 1);
		}
	}
	out = str("%s", b.p ? b.p : "");
	render_buf_release(&b);
	return out;
}

static void test_html_self_contained(void **state)
{
	(void)state;
	for (size_t i = 0; i < n_reports; i++) {
		char *html = render(reports[i].msg, RENDER_HTML, &plain, NULL);

		assert_self_contained(html);
		assert_non_null(strstr(html, "<svg"));
	}
}

static void test_html_shows_every_measure_and_rule(void **state)
{
	const Pmif__CommitteePack *pack = (const Pmif__CommitteePack *)reports[1].msg;
	char *html = render(&pack->base, RENDER_HTML, &plain, NULL);

	(void)state;
	for (size_t i = 0; i < pack->n_objectives; i++) {
		const Pmif__ObjectiveSection *o = pack->objectives[i];

		assert_non_null(strstr(html, escaped(o->title)));
		for (size_t k = 0; k < o->n_measures; k++) {
			assert_non_null(strstr(html, escaped(o->measures[k]->title)));
			assert_non_null(strstr(html, escaped(o->measures[k]->rag_rule)));
		}
	}
	/* RAG as a word, never colour alone; provisional explained */
	assert_non_null(strstr(html, "> Red</span>"));
	assert_non_null(strstr(html, "> Amber</span>"));
	assert_non_null(strstr(html, RENDER_PROVISIONAL_NOTE));
	/* one printed page per objective */
	assert_non_null(strstr(html, "section.objective{break-before:page}"));
	assert_int_equal(count(html, "<section class=\"objective\""), pack->n_objectives);
}

static void test_html_escapes(void **state)
{
	Pmif__CommitteePack *p = sample_pack(false);
	const char *evil = "Q4 <script>alert(\"x\")</script> & 'more'";
	char *html;

	(void)state;
	p->title = str("%s", evil);
	p->objectives[0]->title = str("%s", evil);
	p->objectives[0]->measures[0]->title = str("%s", evil);
	p->objectives[0]->measures[0]->rag_rule = str("target <85%%> & \"amber\"");
	p->objectives[0]->commentary = str("</p><img src=x onerror=alert(1)>");
	p->objectives[0]->objective_id = str("PO1\" onclick=\"x");
	html = render(&p->base, RENDER_HTML, &plain, NULL);
	assert_null(strstr(html, "<script>"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "onclick=\"x"));
	assert_non_null(strstr(html, "<title>Q4 &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
	                             "&amp; &#39;more&#39;</title>"));
	assert_non_null(strstr(html, "target &lt;85%&gt; &amp; &quot;amber&quot;"));
	assert_self_contained(html);
}

static unsigned pdf_pages(const char *pdf, size_t len)
{
	unsigned n = 0;

	for (size_t i = 0; i + 11 < len; i++)
		if (memcmp(pdf + i, "/Type /Page", 11) == 0 && pdf[i + 11] != 's')
			n++;
	return n;
}

static void test_pdf(void **state)
{
	const Pmif__CommitteePack *cab = (const Pmif__CommitteePack *)reports[1].msg;
	size_t len;
	char *pdf;

	(void)state;
	for (size_t i = 0; i < n_reports; i++) {
		pdf = render(reports[i].msg, RENDER_PDF, &plain, &len);
		assert_true(len > 1000);
		assert_memory_equal(pdf, "%PDF", 4);
		assert_true(pdf_pages(pdf, len) >= 1);
	}
	pdf = render(reports[0].msg, RENDER_PDF, &plain, &len);
	assert_true(pdf_pages(pdf, len) >= 2);
	/* a cabinet pack: the summary, then the objectives running on (one
	 * starts a page only when most of the last is used: check_pdf_layout.sh
	 * looks at the page fill of the sample) */
	pdf = render(&cab->base, RENDER_PDF, &plain, &len);
	assert_true(pdf_pages(pdf, len) >= 2);
	assert_true(pdf_pages(pdf, len) <= 1 + 2 * cab->n_objectives);
}

/* Make @p fd stdout (and close it); returns a copy of the old stdout,
 * which close(stdout_to(saved)) puts back. */
static int stdout_to(int fd)
{
	int saved;

	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	return saved;
}

/* A PDF goes to stdout that is a file or a pipe; on a terminal it is
 * refused with PMIF_ESTATE before anything is written. */
static void test_pdf_to_stdout_only_when_not_a_terminal(void **state)
{
	char *path = path_of("stdout.pdf");
	int saved, pty;

	(void)state;
	saved = stdout_to(open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	assert_int_equal(render_message(reports[5].msg, RENDER_PDF, NULL, &plain), 0);
	close(stdout_to(saved));
	assert_memory_equal(slurp(path, NULL), "%PDF", 4);

	pty = posix_openpt(O_RDWR | O_NOCTTY);
	if (pty < 0 || grantpt(pty) != 0 || unlockpt(pty) != 0)
		skip();
	saved = stdout_to(open(ptsname(pty), O_RDWR | O_NOCTTY));
	assert_int_equal(render_message(reports[5].msg, RENDER_PDF, NULL, &plain), PMIF_ESTATE);
	assert_int_equal(render_message(reports[5].msg, RENDER_PDF, "-", &plain), PMIF_ESTATE);
	close(stdout_to(saved));
	close(pty);
}

static void test_table_fits_width(void **state)
{
	static const unsigned widths[] = {80, 60, 40, 132};

	(void)state;
	for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++) {
		struct render_options o = plain;

		o.width = widths[w];
		for (size_t i = 0; i < n_reports; i++) {
			char *t = render(reports[i].msg, RENDER_TABLE, &o, NULL);

			assert_true(max_line_cols(t) <= widths[w]);
			assert_null(strchr(t, '\x1b')); /* a file: no colour */
			assert_null(strstr(t, " \n"));  /* no trailing blanks */
		}
	}
}

static void test_table_shows_rag_words_rules_and_so_what(void **state)
{
	const Pmif__CommitteePack *pack = (const Pmif__CommitteePack *)reports[0].msg;
	struct render_options o = plain;
	char *t;

	(void)state;
	o.width = 80;
	t = render(&pack->base, RENDER_TABLE, &o, NULL);
	assert_non_null(strstr(t, "R Red"));
	assert_non_null(strstr(t, "So what:"));
	assert_non_null(strstr(t, "* " RENDER_PROVISIONAL_NOTE));
	assert_non_null(strstr(t, "amber within 2.0 points below, higher is better"));
	assert_non_null(strstr(t, "\u2581")); /* sparkline blocks in UTF-8 */
}

/* A line with no value is No data in every format, with its own symbol and
 * count and its owner in a pack; a context measure stays Grey. */
static void test_no_data_every_format(void **state)
{
	const ProtobufCMessage *pack = reports[0].msg; /* Families OSC: PO1 and PO2 */
	struct render_options o = plain;
	char *t;

	(void)state;
	t = render(pack, RENDER_TABLE, &o, NULL);
	assert_non_null(strstr(t, "\u25cb No data"));
	assert_non_null(strstr(t, "- Grey")); /* LAC-NUMBER: context */
	assert_non_null(strstr(t, "Grey 2 \u00b7 No data 1"));
	assert_non_null(strstr(t, "No data: 1 measure with no value for the period"));
	assert_non_null(strstr(t, "owner: Children, Adults and Families"));
	assert_non_null(strstr(t, "No data: no value has been entered for")); /* the key */
	o.utf8 = -1;
	t = render(pack, RENDER_TABLE, &o, NULL);
	assert_non_null(strstr(t, "? No data"));
	assert_non_null(strstr(t, "Grey 2, No data 1"));
	t = render(pack, RENDER_CSV, &plain, NULL);
	assert_non_null(strstr(t, ",SCHOOLS-GOOD-OUTST,"));
	assert_int_equal(count(t, ",no data,"), 1);
	assert_int_equal(count(t, ",grey,"), 2);
	t = render(pack, RENDER_JSON, &plain, NULL);
	assert_int_equal(count(t, "\"rag_no_data\""), 2); /* the summary's line and the section's */
	assert_non_null(strstr(t, "\"directorate_name\": \"Children, Adults and Families\""));
	t = render(pack, RENDER_HTML, &plain, NULL);
	assert_non_null(strstr(t, "rag-nodata\"><span aria-hidden=\"true\">\u25cb</span> No data"));
	assert_non_null(strstr(t, "rag-grey\"><span aria-hidden=\"true\">\u2013</span> Grey"));
	assert_non_null(strstr(t, "tile nodata\"><span class=\"n\">1</span>"));
	assert_non_null(strstr(t, "0 Green, 1 Grey, 1 No data</p>"));
	assert_non_null(strstr(t, "<h2 id=\"h-nodata\">No data: 1 measure"));
	assert_non_null(strstr(t, "<dt>&#9675; No data</dt>"));
	assert_non_null(strstr(t, "1 No data")); /* the stacked bar */
}

/* A pack's actions from previous meetings in every format: counted, each
 * with its owner, due date and note, overdue said in words (not by colour
 * alone); a pack with none has no such section. */
static void test_actions_every_format(void **state)
{
	Pmif__CommitteePack *pack = (Pmif__CommitteePack *)reports[0].msg; /* Families OSC */
	Pmif__ActionView **saved = pack->actions;
	size_t n_saved = pack->n_actions, len;
	struct render_options o = plain;
	char *t, *csv;

	(void)state;
	assert_int_equal(pack->n_actions, 3);
	t = render(&pack->base, RENDER_TABLE, &o, NULL);
	assert_non_null(
	    strstr(t, "Actions from previous meetings: 3 actions, 1 overdue on 2023-05-10"));
	assert_int_equal(count(t, "Overdue "), 1);
	assert_non_null(strstr(t, "A-3: in progress; owner Children, Adults and Families;"));
	assert_non_null(strstr(t, "Done         A-2: owner"));
	assert_non_null(strstr(t, "Open         A-4: owner"));
	assert_non_null(strstr(t, "Note: Circulated to members on 14 February 2023."));
	csv = render(&pack->base, RENDER_CSV, &plain, NULL);
	assert_non_null(strstr(csv, "\r\n\r\naction_id,committee,meeting,action,owner,owner_name,"
	                            "due,status,overdue,days_overdue,closed_on,note,as_of\r\n"));
	assert_non_null(strstr(csv, "A-3,FAMILIES-OSC,2022-11-21,"));
	assert_non_null(strstr(csv, ",2023-03-31,in progress,yes,40,,"));
	assert_non_null(strstr(csv, ",2023-01-31,done,no,0,2023-02-14,"));
	t = render(&pack->base, RENDER_JSON, &plain, NULL);
	assert_non_null(strstr(t, "\"actions_as_of\": \"2023-05-10\""));
	assert_int_equal(count(t, "\"due_label\""), 3);
	t = render(&pack->base, RENDER_HTML, &plain, NULL);
	assert_non_null(strstr(t, "<h2 id=\"h-actions\">Actions from previous meetings</h2>"));
	assert_int_equal(count(t, "<tr class=\"overdue\">"), 1);
	assert_int_equal(count(t, "<span class=\"badge red\">Overdue</span> in progress"), 1);
	assert_non_null(strstr(t, "overdue: due 2023-03-31, 40 days ago"));
	assert_non_null(strstr(t, "<span class=\"badge done\">Done</span>"));
	t = render(&pack->base, RENDER_PDF, &plain, &len);
	assert_memory_equal(t, "%PDF", 4);
	/* none: no section anywhere, and the CSV is one table again */
	pack->actions = NULL;
	pack->n_actions = 0;
	t = render(&pack->base, RENDER_TABLE, &o, NULL);
	assert_null(strstr(t, "Actions from previous meetings"));
	t = render(&pack->base, RENDER_HTML, &plain, NULL);
	assert_null(strstr(t, "h-actions"));
	csv = render(&pack->base, RENDER_CSV, &plain, NULL);
	assert_null(strstr(csv, "action_id"));
	pack->actions = saved;
	pack->n_actions = n_saved;
}

static void test_no_color(void **state)
{
	struct render_options o = plain;
	char *t;

	(void)state;
	o.tty = 1; /* as if stdout were a terminal */
	unsetenv("NO_COLOR");
	t = render(reports[0].msg, RENDER_TABLE, &o, NULL);
	assert_non_null(strstr(t, "\x1b["));
	assert_true(max_line_cols(t) <= o.width);
	setenv("NO_COLOR", "1", 1);
	for (size_t i = 0; i < n_reports; i++) {
		t = render(reports[i].msg, RENDER_TABLE, &o, NULL);
		assert_null(strchr(t, '\x1b'));
	}
	unsetenv("NO_COLOR");
}

static void test_ascii_without_utf8(void **state)
{
	struct render_options o = plain;

	(void)state;
	o.utf8 = -1;
	for (size_t i = 0; i < n_reports; i++) {
		char *t = render(reports[i].msg, RENDER_TABLE, &o, NULL);

		for (const unsigned char *p = (const unsigned char *)t; *p; p++)
			assert_true(*p < 0x80);
	}
}

static void test_json_is_the_message(void **state)
{
	(void)state;
	for (size_t i = 0; i < n_reports; i++) {
		char *text = render(reports[i].msg, RENDER_JSON, &plain, NULL);
		json_t *got = json_loads(text, 0, NULL), *want = pmif_pb_to_json(reports[i].msg);

		assert_non_null(got);
		assert_true(json_equal(got, want));
		json_decref(got);
		json_decref(want);
	}
}

static void test_refuses_non_reports_and_bad_paths(void **state)
{
	Pmif__ReportFilter f = PMIF__REPORT_FILTER__INIT;
	char *bad = str("%s/no/such/dir/x.html", tmpdir);

	(void)state;
	assert_int_equal(render_message(&f.base, RENDER_HTML, path_of("nonreport"), &plain),
	                 PMIF_EINVAL);
	assert_int_equal(render_message(NULL, RENDER_HTML, path_of("nonreport"), &plain),
	                 PMIF_EINVAL);
	assert_int_equal(
	    render_message(reports[0].msg, RENDER_N_FORMATS, path_of("nonreport"), &plain),
	    PMIF_EINVAL);
	assert_int_equal(files_named("nonreport"), 0);
	assert_string_equal(render_report_name(&f.base), "unknown");
	assert_string_equal(render_report_name(NULL), "unknown");

	/* the temporary file cannot be made: PMIF_EIO, errno says why */
	errno = 0;
	assert_int_equal(render_message(reports[0].msg, RENDER_HTML, bad, &plain), PMIF_EIO);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(access(bad, F_OK), -1);
}

/* The output cannot be put in place (a directory is in the way): the
 * code, the reason, and neither the report nor its temporary file left. */
static void test_unwritable_output_leaves_nothing(void **state)
{
	char *dir = path_of("in-the-way");

	(void)state;
	assert_int_equal(mkdir(dir, 0755), 0);
	for (int f = RENDER_TABLE; f < RENDER_N_FORMATS; f++) {
		errno = 0;
		assert_int_equal(render_message(reports[2].msg, (enum render_format)f, dir, &plain),
		                 PMIF_EIO);
		assert_int_equal(errno, EISDIR);
		assert_int_equal(files_named("in-the-way"), 1); /* the directory alone */
	}
	assert_int_equal(rmdir(dir), 0);
}

static void test_numbers(void **state)
{
	char b[RENDER_NUM_LEN];

	(void)state;
	assert_string_equal(render_value(b, 81.44, "percent", 1), "81.4%");
	assert_string_equal(render_value(b, 1350000, "gbp", 0), "\u00a31,350,000");
	assert_string_equal(render_value(b, -1234.5, "gbp", 2), "-\u00a31,234.50");
	assert_string_equal(render_value(b, 9.75, "days", 1), "9.8 days");
	assert_string_equal(render_value(b, 435, "count", 0), "435");
	assert_string_equal(render_value(b, 1234567, "count", 0), "1,234,567");
	assert_string_equal(render_value(b, NAN, "percent", 1), "n/a");
	assert_string_equal(render_value(b, INFINITY, "count", 0), "n/a");
	assert_string_equal(render_value(b, 1e300, "count", 99), "1e+300");
	assert_string_equal(render_value(b, -0.01, "count", 0), "0");
	assert_string_equal(render_plain(b, NAN, 1), "");
	assert_string_equal(render_plain(b, 2.26, 1), "2.3");
}

static void test_clean_text(void **state)
{
	char *s;

	(void)state;
	s = render_clean("a\x1b[31mb\x07\x7f\xc2\x9bz \xff\xfe", false, true, 0);
	assert_null(strchr(s, '\x1b'));
	assert_string_equal(s, "a?[31mb???z ??");
	free(s);
	s = render_clean("\u00a3 5 \u2013 \u201cok\u201d\u2026 caf\u00e9 \u4e2d", false, false, 0);
	assert_string_equal(s, "GBP 5 - \"ok\"... cafe ?");
	free(s);
	s = render_clean("line\nnext\u202eevil", true, true, 0);
	assert_string_equal(s, "line\nnext?evil");
	free(s);
	s = render_clean("abcd\u00e9", false, true, 5); /* cut inside a sequence */
	assert_string_equal(s, "abcd\u2026");
	free(s);
	assert_int_equal(render_cols("caf\u00e9 \u4e2d"), 7);
	assert_int_equal(render_fit("ab\u2581cd", 3), 5);
}

static void test_ticks(void **state)
{
	double t[16];
	size_t n;

	(void)state;
	n = chart_ticks(0, 1, 6, t, 16);
	assert_int_equal(n, 6);
	assert_true(fabs(t[1] - 0.2) < 1e-12 && fabs(t[5] - 1) < 1e-12);
	n = chart_ticks(78.3, 84.1, 6, t, 16);
	assert_true(n >= 3 && n <= 8 && t[0] >= 78.3 && t[n - 1] <= 84.1);
	assert_int_equal(chart_ticks(NAN, 1, 6, t, 16), 0);
	assert_int_equal(chart_ticks(-1e308, 1e308, 6, t, 16), 0);
	assert_int_equal(chart_ticks(5, 5, 6, t, 16), 1);
}

/* Every format of @p msg, in both table modes, must render. */
static void render_everything(const ProtobufCMessage *msg)
{
	struct render_options o = plain;

	for (int f = RENDER_TABLE; f <= RENDER_PDF; f++)
		render(msg, (enum render_format)f, &plain, NULL);
	o.tty = 1;
	o.width = 40;
	o.utf8 = -1;
	assert_true(max_line_cols(render(msg, RENDER_TABLE, &o, NULL)) <= 40);
}

static void test_garbage_empty_messages(void **state)
{
	Pmif__Scorecard s = PMIF__SCORECARD__INIT;
	Pmif__ExceptionReport x = PMIF__EXCEPTION_REPORT__INIT;
	Pmif__CompletenessReport c = PMIF__COMPLETENESS_REPORT__INIT;
	Pmif__TrendReport t = PMIF__TREND_REPORT__INIT;
	Pmif__LocalityReport l = PMIF__LOCALITY_REPORT__INIT;
	Pmif__CommitteePack p = PMIF__COMMITTEE_PACK__INIT;

	(void)state;
	render_everything(&s.base);
	render_everything(&x.base);
	render_everything(&c.base);
	render_everything(&t.base);
	render_everything(&l.base);
	render_everything(&p.base);
	p.cabinet = true;
	render_everything(&p.base);
}

/* A measure line with everything wrong. */
static Pmif__MeasureLine *bad_line(const char *huge)
{
	Pmif__MeasureLine *m = NEW(Pmif__MeasureLine, PMIF__MEASURE_LINE__INIT);

	m->measure_id = str("\x1b]0;pwned\x07ID");
	m->title = (char *)huge;
	m->unit = str("gbp");
	m->polarity = NULL;
	m->decimals = 1000;
	m->has_value = true;
	m->value = NAN;
	m->has_target = true;
	m->target = INFINITY;
	m->rag = (Pmif__Rag)99;
	m->rag_rule = (char *)huge;
	m->vs_previous = (Pmif__Direction)-3;
	m->variation = (Pmif__Variation)77;
	m->note = str("bad \xff\xfe utf-8 \xe2\x82 and \x1b[2J clear");
	m->provisional = true;
	m->n_sparkline = 3;
	m->sparkline = ARRAY(Pmif__SeriesPoint *, 3);
	m->sparkline[0] = NEW(Pmif__SeriesPoint, PMIF__SERIES_POINT__INIT);
	m->sparkline[0]->has_value = true;
	m->sparkline[0]->value = 1e308;
	m->sparkline[1] = NULL;
	m->sparkline[2] = NEW(Pmif__SeriesPoint, PMIF__SERIES_POINT__INIT);
	m->sparkline[2]->has_value = true;
	m->sparkline[2]->value = -1e308;
	m->n_exception_reasons = 1;
	m->exception_reasons = ARRAY(char *, 1);
	m->exception_reasons[0] = (char *)huge;
	return m;
}

static void test_garbage_values_and_strings(void **state)
{
	size_t n = 1 << 20;
	char *huge = alloc(n + 1);
	Pmif__CommitteePack *p = sample_pack(false);
	Pmif__ObjectiveSection *o = p->objectives[0];
	Pmif__TrendReport *t = sample_trend("FSM-UPTAKE");
	Pmif__LocalityReport *l = sample_locality();
	Pmif__CompletenessReport *c = sample_completeness();
	struct render_options col = plain;
	char *table;

	(void)state;
	for (size_t i = 0; i < n; i++)
		huge[i] = "Lorem ipsum & <dolor> \"sit\" amet, "[i % 35];
	huge[n] = '\0';
	p->title = huge;
	p->summary->title = huge;
	p->summary->filter = NULL;
	p->filter = NULL;
	p->exceptions->exceptions[0] = bad_line(huge);
	o->title = huge;
	o->commentary = huge;
	o->measures[0] = bad_line(huge);
	o->measures[1] = NULL;
	o->interventions[0]->status = str("exploded");
	o->interventions[1] = NULL;
	o->risks[0]->movement = NULL;
	o->risks[0]->title = huge;
	o->risks[1] = NULL;
	o->resources[0]->budget = NAN;
	o->resources[0]->spend = -INFINITY;
	o->resources[1]->budget = 0;
	o->resources[1]->spend = 1e308;
	o->case_studies[0]->story = huge;
	o->red = UINT32_MAX;
	render_everything(&p->base);
	/* the content can never drive the terminal, even with colour on */
	col.tty = 1;
	table = render(&p->base, RENDER_TABLE, &col, NULL);
	assert_null(strstr(table, "\x1b]0;"));
	assert_null(strstr(table, "\x1b[2J"));

	t->points[3]->value = NAN;
	t->points[4] = NULL;
	t->points[5]->value = 1e308;
	t->points[6]->target = -INFINITY;
	t->spc->upl = NAN;
	t->measure->polarity = NULL;
	render_everything(&t->base);
	t->spc = NULL;
	t->measure = NULL;
	render_everything(&t->base);
	t->n_points = 1;
	render_everything(&t->base);

	l->localities[0]->lower = NAN;
	l->localities[1] = NULL;
	l->localities[2]->value = INFINITY;
	l->localities[3]->name = huge;
	render_everything(&l->base);
	l->borough = NULL;
	l->measure = NULL;
	render_everything(&l->base);

	c->directorates[0]->items[0] = NULL;
	c->directorates[1]->name = huge;
	c->directorates[2] = NULL;
	c->due_date = huge;
	render_everything(&c->base);
}

/* A pack's locality section and its locality exception, in every format. */
static void test_pack_localities(void **state)
{
	Pmif__CommitteePack *p = sample_pack(false);
	const Pmif__LocalityLine *chop = p->localities[0]->localities[1];
	char *table, *csv, *html, *json, *pdf, row[160];
	size_t len, before, before_len;

	(void)state;
	assert_int_equal(chop->comparison, PMIF__COMPARISON__COMPARISON_WORSE);
	table = render(&p->base, RENDER_TABLE, &plain, NULL);
	assert_non_null(strstr(table, "Localities: 2 measures reported by locality"));
	assert_non_null(strstr(table, "LAC-NUMBER Number of looked-after children"));
	assert_non_null(strstr(table, "significantly worse than the borough"));
	assert_non_null(strstr(table, "\u2014 Chopwell & West"));
	csv = render(&p->base, RENDER_CSV, &plain, NULL);
	assert_non_null(strstr(csv, ",directorate,similar_rank,similar_of,similar_quartile,"
	                            "similar_position,similar_source,similar_date,"
	                            "similar_illustrative,lower_95,upper_95,numerator,denominator,"
	                            "vs_borough,ci_method\r\n"));
	snprintf(row, sizeof(row), ",chopwell,%.1f,yes,,,,,,,,,", chop->value);
	assert_non_null(strstr(csv, row));
	snprintf(row, sizeof(row),
	         ",%.2f,%.2f,1105,1402,significantly worse than the borough,"
	         "Wilson score\r\n",
	         chop->lower, chop->upper);
	assert_non_null(strstr(csv, row));
	html = render(&p->base, RENDER_HTML, &plain, NULL);
	assert_non_null(strstr(html, "<section class=\"localities\""));
	assert_int_equal(count(html, "<article class=\"loc\""), 2);
	assert_non_null(strstr(html, "1 of these is one locality&#39;s value"));
	assert_self_contained(html);
	json = render(&p->base, RENDER_JSON, &plain, NULL);
	assert_non_null(strstr(json, "\"locality_exceptions\": 1"));
	assert_non_null(strstr(json, "\"locality_name\": \"Chopwell & West\""));
	/* the section adds to the PDF (it runs on below the last objective
	 * while there is room, so not always a page); without it, it is gone */
	pdf = render(&p->base, RENDER_PDF, &plain, &len);
	before = pdf_pages(pdf, len);
	before_len = len;
	p->n_localities = 0;
	pdf = render(&p->base, RENDER_PDF, &plain, &len);
	assert_true(pdf_pages(pdf, len) <= before);
	assert_true(len < before_len);
	table = render(&p->base, RENDER_TABLE, &plain, NULL);
	assert_null(strstr(table, "Localities:"));
	csv = render(&p->base, RENDER_CSV, &plain, NULL);
	assert_null(strstr(csv, "vs_borough"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format_parse),
	    cmocka_unit_test(test_every_report_every_format),
	    cmocka_unit_test(test_csv_one_row_per_item),
	    cmocka_unit_test(test_csv_quoting),
	    cmocka_unit_test(test_html_self_contained),
	    cmocka_unit_test(test_html_shows_every_measure_and_rule),
	    cmocka_unit_test(test_html_escapes),
	    cmocka_unit_test(test_pdf),
	    cmocka_unit_test(test_pdf_to_stdout_only_when_not_a_terminal),
	    cmocka_unit_test(test_table_fits_width),
	    cmocka_unit_test(test_table_shows_rag_words_rules_and_so_what),
	    cmocka_unit_test(test_no_data_every_format),
	    cmocka_unit_test(test_actions_every_format),
	    cmocka_unit_test(test_no_color),
	    cmocka_unit_test(test_ascii_without_utf8),
	    cmocka_unit_test(test_json_is_the_message),
	    cmocka_unit_test(test_refuses_non_reports_and_bad_paths),
	    cmocka_unit_test(test_unwritable_output_leaves_nothing),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_clean_text),
	    cmocka_unit_test(test_ticks),
	    cmocka_unit_test(test_garbage_empty_messages),
	    cmocka_unit_test(test_garbage_values_and_strings),
	    cmocka_unit_test(test_pack_localities),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
