/*
 * render_pdf.c - reports as A4 PDF committee papers, drawn with cairo.
 *
 * The same content and charts as the HTML page (the charts are the same
 * display lists from render_chart.c, drawn here with cairo paths): a
 * summary first (RAG tiles, RAG bars per objective, what needs
 * attention), the exceptions, then each objective from a new page with
 * its "so what", measure table (RAG word, rule, sparkline, direction),
 * interventions, risks, resources and case studies.  Tables paginate and
 * repeat their header; every page has "Page N of M" in the footer, so the
 * document is laid out twice: once to count pages, once to draw.
 *
 * This file has the page, text and chart primitives and the output; what
 * each report draws is in render_pdf_reports.c.  Text goes through
 * render_clean() first: cairo's toy text API refuses invalid UTF-8 by
 * putting the context into an error state.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>

#include "error.h"
#include "render.h"
#include "render_chart.h"
#include "render_pdf.h"

/* ---- drawing primitives ---- */

void pdf_ink(struct pdf *d, enum chart_ink i)
{
	const struct chart_rgb *c = &chart_palette[i];

	cairo_set_source_rgb(d->cr, c->r / 255.0, c->g / 255.0, c->b / 255.0);
}

void pdf_font(struct pdf *d, double size, bool bold)
{
	cairo_select_font_face(d->cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
	                       bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(d->cr, size);
}

double pdf_text_w(struct pdf *d, const char *s)
{
	cairo_text_extents_t e;

	if (s[0] == '\0')
		return 0;
	cairo_text_extents(d->cr, s, &e);
	return e.x_advance;
}

/* Text (clean UTF-8) at a baseline. */
void pdf_show(struct pdf *d, double x, double y, const char *s)
{
	cairo_move_to(d->cr, x, y);
	cairo_show_text(d->cr, s);
}

void pdf_show_right(struct pdf *d, double x, double y, const char *s)
{
	pdf_show(d, x - pdf_text_w(d, s), y, s);
}

char *pdf_clean(struct pdf *d, const char *s, bool newlines)
{
	char *c = render_clean(s, newlines, true, MAX_TEXT);

	if (c == NULL) {
		d->failed = true;
		c = calloc(1, 1);
	}
	return c;
}

void pdf_fill_rect(struct pdf *d, double x, double y, double w, double h, enum chart_ink i)
{
	pdf_ink(d, i);
	cairo_rectangle(d->cr, x, y, w, h);
	cairo_fill(d->cr);
}

void pdf_hline(struct pdf *d, double x0, double x1, double y, enum chart_ink i, double w)
{
	pdf_ink(d, i);
	cairo_set_line_width(d->cr, w);
	cairo_move_to(d->cr, x0, y);
	cairo_line_to(d->cr, x1, y);
	cairo_stroke(d->cr);
}

/* ---- pages ---- */

static void footer(struct pdf *d)
{
	char buf[64];

	pdf_hline(d, MARGIN_L, PAGE_W - MARGIN_R, PAGE_H - 36, INK_GRID, 0.6);
	pdf_font(d, 8, false);
	pdf_ink(d, INK_MUTED);
	if (d->total > 0)
		snprintf(buf, sizeof(buf), "Page %d of %d", d->page, d->total);
	else
		snprintf(buf, sizeof(buf), "Page %d of 999", d->page);
	pdf_show_right(d, PAGE_W - MARGIN_R, PAGE_H - 24, buf);
	{
		struct render_buf b = {0};

		render_buf_printf(&b, "%s | generated %s", d->running, d->generated);
		pdf_show_fit(d, MARGIN_L, PAGE_H - 24, b.p ? b.p : "",
		             WIDTH - pdf_text_w(d, buf) - 20);
		render_buf_release(&b);
	}
}

void pdf_new_page(struct pdf *d)
{
	if (d->page > 0) {
		footer(d);
		cairo_show_page(d->cr);
	}
	d->page++;
	d->y = TOP;
	if (d->page > 1) {
		pdf_font(d, 8, false);
		pdf_ink(d, INK_MUTED);
		pdf_show_fit(d, MARGIN_L, TOP - 18, d->running, WIDTH);
		pdf_hline(d, MARGIN_L, PAGE_W - MARGIN_R, TOP - 12, INK_GRID, 0.6);
	}
}

/* Make room for @p h points, starting a new page when needed.  Returns
 * true when a page was started. */
bool pdf_room(struct pdf *d, double h)
{
	if (d->y + h <= BOTTOM)
		return false;
	pdf_new_page(d);
	return true;
}

/* ---- wrapped text ---- */

void pdf_lines_free(struct pdf_lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static void lines_add(struct pdf *d, struct pdf_lines *l, const char *s, size_t n)
{
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
	char *copy = strndup(s, n);

	if (v == NULL || copy == NULL) {
		free(copy);
		if (v)
			l->v = v;
		d->failed = true;
		return;
	}
	l->v = v;
	l->v[l->n++] = copy;
}

/* Break clean @p s into lines no wider than @p width in the current
 * font, at most @p max (0: no limit; the last line then ends in "…"). */
struct pdf_lines pdf_wrap(struct pdf *d, const char *s, double width, size_t max)
{
	struct pdf_lines l = {0};
	const char *p = s, *line = s;
	double space = pdf_text_w(d, " "), used = 0;

	while (*p) {
		const char *w = p;
		size_t wl;
		double ww;
		char save[1];

		if (*p == '\n') {
			lines_add(d, &l, line, (size_t)(p - line));
			line = ++p;
			used = 0;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		wl = strcspn(w, " \n");
		{
			char *word = strndup(w, wl);

			if (word == NULL) {
				d->failed = true;
				break;
			}
			ww = pdf_text_w(d, word);
			free(word);
		}
		(void)save;
		if (used > 0 && used + space + ww > width) {
			lines_add(d, &l, line, (size_t)(w - line));
			line = w;
			used = 0;
		}
		while (used == 0 && ww > width && wl > 1) { /* a word wider than the line */
			size_t n = wl;

			while (n > 1) {
				char *part = strndup(w, n);

				if (part == NULL) {
					d->failed = true;
					return l;
				}
				ww = pdf_text_w(d, part);
				free(part);
				if (ww <= width)
					break;
				n = n * 3 / 4;
				while (n > 1 && ((unsigned char)w[n] & 0xc0) == 0x80)
					n--;
			}
			lines_add(d, &l, w, n);
			w += n;
			wl -= n;
			line = w;
			{
				char *rest = strndup(w, wl);

				ww = rest ? pdf_text_w(d, rest) : 0;
				free(rest);
			}
		}
		used += (used > 0 ? space : 0) + ww;
		p = w + wl;
	}
	if (p > line) {
		/* trim trailing spaces */
		const char *e = p;

		while (e > line && e[-1] == ' ')
			e--;
		if (e > line)
			lines_add(d, &l, line, (size_t)(e - line));
	}
	for (size_t i = 0; i < l.n; i++) { /* lines start without spaces */
		size_t k = strspn(l.v[i], " ");

		memmove(l.v[i], l.v[i] + k, strlen(l.v[i] + k) + 1);
	}
	if (max > 0 && l.n > max) {
		char *last = l.v[max - 1];
		size_t n = strlen(last);
		char *e = malloc(n + 4);

		for (size_t i = max; i < l.n; i++)
			free(l.v[i]);
		l.n = max;
		if (e) {
			memcpy(e, last, n + 1);
			while (n > 0 && pdf_text_w(d, e) + pdf_text_w(d, "\u2026") > width) {
				n--;
				while (n > 0 && ((unsigned char)e[n] & 0xc0) == 0x80)
					n--;
				e[n] = '\0';
			}
			strcat(e, "\u2026");
			free(last);
			l.v[max - 1] = e;
		}
	}
	return l;
}

/* A paragraph of server text at the cursor, paginating line by line. */
void pdf_para(struct pdf *d, double x, double width, const char *s, double size, bool bold,
              enum chart_ink i)
{
	char *c = pdf_clean(d, s, true);
	struct pdf_lines l;
	double lh = size * 1.35;

	pdf_font(d, size, bold);
	l = pdf_wrap(d, c, width, 0);
	for (size_t k = 0; k < l.n; k++) {
		pdf_room(d, lh);
		pdf_font(d, size, bold);
		pdf_ink(d, i);
		pdf_show(d, x, d->y + size, l.v[k]);
		d->y += lh;
	}
	pdf_lines_free(&l);
	free(c);
}

void pdf_heading(struct pdf *d, const char *s, double size)
{
	pdf_room(d, size * 2.6 + 40); /* keep a heading with what follows */
	d->y += size * 0.5;
	pdf_para(d, MARGIN_L, WIDTH, s, size, true, INK_TEXT);
	d->y += size * 0.3;
}

/* One line of clean @p s in the current font, cut to @p width with "…". */
void pdf_show_fit(struct pdf *d, double x, double y, const char *s, double width)
{
	struct pdf_lines l = pdf_wrap(d, s, width, 1);

	if (l.n > 0)
		pdf_show(d, x, y, l.v[0]);
	pdf_lines_free(&l);
}

/* ---- charts: the display list as cairo paths ---- */

static void dash(struct pdf *d, enum chart_dash k)
{
	static const double dashed[] = {6, 4}, dotted[] = {1.5, 3}, dashdot[] = {8, 3, 2, 3};

	switch (k) {
	case DASH_DASHED: cairo_set_dash(d->cr, dashed, 2, 0); break;
	case DASH_DOTTED: cairo_set_dash(d->cr, dotted, 2, 0); break;
	case DASH_DASHDOT: cairo_set_dash(d->cr, dashdot, 4, 0); break;
	default: cairo_set_dash(d->cr, NULL, 0, 0);
	}
}

static void paint(struct pdf *d, const struct chart_item *it)
{
	if (it->fill != INK_NONE) {
		pdf_ink(d, it->fill);
		if (it->stroke != INK_NONE)
			cairo_fill_preserve(d->cr);
		else
			cairo_fill(d->cr);
	}
	if (it->stroke != INK_NONE) {
		pdf_ink(d, it->stroke);
		cairo_set_line_width(d->cr, it->width);
		dash(d, it->dash);
		cairo_stroke(d->cr);
	}
	cairo_new_path(d->cr);
}

static void mark_path(struct pdf *d, const struct chart_item *it)
{
	double x = it->x, y = it->y, r = it->w;

	switch (it->mark) {
	case MARK_CIRCLE:
		cairo_new_sub_path(d->cr);
		cairo_arc(d->cr, x, y, r, 0, 2 * M_PI);
		break;
	case MARK_SQUARE: cairo_rectangle(d->cr, x - r, y - r, 2 * r, 2 * r); break;
	case MARK_DIAMOND: {
		double k = r * 1.25;

		cairo_move_to(d->cr, x, y - k);
		cairo_line_to(d->cr, x + k, y);
		cairo_line_to(d->cr, x, y + k);
		cairo_line_to(d->cr, x - k, y);
		cairo_close_path(d->cr);
		break;
	}
	default: {
		double k = r * 1.3, s = it->mark == MARK_TRI_UP ? 1 : -1;

		cairo_move_to(d->cr, x, y - s * k);
		cairo_line_to(d->cr, x + k, y + s * k * 0.8);
		cairo_line_to(d->cr, x - k, y + s * k * 0.8);
		cairo_close_path(d->cr);
	}
	}
}

/* Draw @p c with its top left at (x, y). */
void pdf_draw_chart(struct pdf *d, const struct chart *c, double x, double y)
{
	if (c->failed)
		return;
	cairo_save(d->cr);
	cairo_translate(d->cr, x, y);
	cairo_set_line_join(d->cr, CAIRO_LINE_JOIN_ROUND);
	for (size_t i = 0; i < c->n; i++) {
		const struct chart_item *it = &c->items[i];

		switch (it->kind) {
		case CK_LINE:
			cairo_move_to(d->cr, it->x, it->y);
			cairo_line_to(d->cr, it->x + it->w, it->y + it->h);
			paint(d, it);
			break;
		case CK_PATH:
			if (it->n_pt < 2)
				break;
			for (size_t k = 0; k < it->n_pt; k++) {
				double px = c->pts[2 * (it->pt + k)],
				       py = c->pts[2 * (it->pt + k) + 1];

				if (k == 0)
					cairo_move_to(d->cr, px, py);
				else
					cairo_line_to(d->cr, px, py);
			}
			paint(d, it);
			break;
		case CK_RECT:
			if (!(it->w > 0) || !(it->h > 0))
				break;
			cairo_rectangle(d->cr, it->x, it->y, it->w, it->h);
			paint(d, it);
			break;
		case CK_MARK:
			mark_path(d, it);
			paint(d, it);
			break;
		case CK_TEXT: {
			double tw;

			pdf_font(d, it->size, it->bold);
			tw = pdf_text_w(d, it->text);
			pdf_ink(d, it->fill == INK_NONE ? INK_TEXT : it->fill);
			pdf_show(d,
			         it->anchor == ANCHOR_MIDDLE ? it->x - tw / 2
			         : it->anchor == ANCHOR_END  ? it->x - tw
			                                     : it->x,
			         it->y, it->text);
			break;
		}
		}
	}
	cairo_set_dash(d->cr, NULL, 0, 0);
	cairo_restore(d->cr);
}

/* Place a chart at the cursor (new page if it does not fit) and release it. */
void pdf_chart_here(struct pdf *d, struct chart *c, double x)
{
	pdf_room(d, c->h + 4);
	pdf_draw_chart(d, c, x, d->y);
	d->y += c->h + 4;
	chart_release(c);
}

/* ---- output ---- */

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
	                                            : CAIRO_STATUS_WRITE_ERROR;
}

static cairo_status_t to_nowhere(void *closure, const unsigned char *data, unsigned int len)
{
	(void)closure;
	(void)data;
	(void)len;
	return CAIRO_STATUS_SUCCESS;
}

/* One report to lay out: its running title (or the fallback when the
 * message has none), its "generated" time (0: the caller's now) and the
 * function of render_pdf_reports.c that draws it. */
struct job {
	const ProtobufCMessage *msg;
	const char *title, *fallback;
	unsigned long long generated;
	void (*draw)(struct pdf *d, const ProtobufCMessage *msg);
};

static const char *title_of(const struct job *j)
{
	return j->title && j->title[0] ? j->title : j->fallback;
}

/* Lay the whole report out once on @p surface; returns the page count,
 * or a negative PMIF_E* code. */
static int layout(cairo_surface_t *surface, const struct job *j, int total, unsigned long long now)
{
	struct pdf d = {.total = total};
	int rc;

	render_time(d.generated, sizeof(d.generated), j->generated ? j->generated : now);
	d.cr = cairo_create(surface);
	d.running = render_clean(title_of(j), false, true, 300);
	if (d.running == NULL) {
		cairo_destroy(d.cr);
		return PMIF_ENOMEM;
	}
	j->draw(&d, j->msg);
	if (d.provisional) {
		pdf_room(&d, 14);
		d.y += 4;
		pdf_para(&d, MARGIN_L, WIDTH, "* " RENDER_PROVISIONAL_NOTE, 8, false, INK_MUTED);
	}
	footer(&d);
	cairo_show_page(d.cr);
	rc = cairo_status(d.cr) == CAIRO_STATUS_NO_MEMORY ? PMIF_ENOMEM
	     : cairo_status(d.cr) != CAIRO_STATUS_SUCCESS ? PMIF_EIO
	     : d.failed                                   ? PMIF_ENOMEM
	                                                  : d.page;
	cairo_destroy(d.cr);
	free(d.running);
	return rc;
}

static int write_pdf(struct render_ctx *c, const struct job *j)
{
	cairo_surface_t *s;
	int pages, rc;

	/* first pass: count the pages */
	s = cairo_pdf_surface_create_for_stream(to_nowhere, NULL, PAGE_W, PAGE_H);
	pages = layout(s, j, 0, c->now);
	cairo_surface_destroy(s);
	if (pages < 0)
		return pages;
	s = cairo_pdf_surface_create_for_stream(to_file, c->out, PAGE_W, PAGE_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "PMIF");
	{
		char *t = render_clean(title_of(j), false, true, 300);

		if (t)
			cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, t);
		free(t);
	}
	rc = layout(s, j, pages, c->now);
	cairo_surface_finish(s);
	if (rc >= 0 && cairo_surface_status(s) != CAIRO_STATUS_SUCCESS)
		rc = PMIF_EIO;
	cairo_surface_destroy(s);
	/* No cairo object is alive now.  Hand back cairo's and fontconfig's
	 * process-wide font caches (both rebuild on next use): pmif renders
	 * once and exits, and LeakSanitizer runs must see a clean exit. */
	cairo_debug_reset_static_data();
	FcFini();
	return rc < 0 ? rc : 0;
}

/* ---- the writers in render.c's table: one per report ---- */

static void draw_pack(struct pdf *d, const ProtobufCMessage *msg)
{
	pdf_pack(d, (const Pmif__CommitteePack *)msg);
}

int render_pdf_pack(struct render_ctx *c, const ProtobufCMessage *msg)
{
	const Pmif__CommitteePack *k = (const Pmif__CommitteePack *)msg;
	struct job j = {msg, k->title, "Committee performance pack",
	                k->summary ? k->summary->generated_unix : 0, draw_pack};

	return write_pdf(c, &j);
}

static void draw_scorecard(struct pdf *d, const ProtobufCMessage *msg)
{
	pdf_scorecard(d, (const Pmif__Scorecard *)msg);
}

int render_pdf_scorecard(struct render_ctx *c, const ProtobufCMessage *msg)
{
	const Pmif__Scorecard *s = (const Pmif__Scorecard *)msg;
	struct job j = {msg, s->title, "Scorecard", s->generated_unix, draw_scorecard};

	return write_pdf(c, &j);
}

static void draw_exceptions(struct pdf *d, const ProtobufCMessage *msg)
{
	pdf_exceptions(d, (const Pmif__ExceptionReport *)msg);
}

int render_pdf_exceptions(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct job j = {msg, ((const Pmif__ExceptionReport *)msg)->title, "Exception report", 0,
	                draw_exceptions};

	return write_pdf(c, &j);
}

static void draw_completeness(struct pdf *d, const ProtobufCMessage *msg)
{
	pdf_completeness(d, (const Pmif__CompletenessReport *)msg);
}

int render_pdf_completeness(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct job j = {msg, ((const Pmif__CompletenessReport *)msg)->title, "Completeness", 0,
	                draw_completeness};

	return write_pdf(c, &j);
}

static void draw_trend(struct pdf *d, const ProtobufCMessage *msg)
{
	pdf_trend(d, (const Pmif__TrendReport *)msg);
}

int render_pdf_trend(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct job j = {msg, ((const Pmif__TrendReport *)msg)->title, "Trend", 0, draw_trend};

	return write_pdf(c, &j);
}

static void draw_locality(struct pdf *d, const ProtobufCMessage *msg)
{
	pdf_locality(d, (const Pmif__LocalityReport *)msg);
}

int render_pdf_locality(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct job j = {msg, ((const Pmif__LocalityReport *)msg)->title, "Locality comparison", 0,
	                draw_locality};

	return write_pdf(c, &j);
}

static void draw_risks(struct pdf *d, const ProtobufCMessage *msg)
{
	pdf_risk_report(d, (const Pmif__RiskReport *)msg);
}

int render_pdf_risks(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct job j = {msg, ((const Pmif__RiskReport *)msg)->title, "Strategic risks", 0,
	                draw_risks};

	return write_pdf(c, &j);
}

static void draw_compare(struct pdf *d, const ProtobufCMessage *msg)
{
	pdf_compare(d, (const Pmif__CompareReport *)msg);
}

int render_pdf_compare(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct job j = {msg, ((const Pmif__CompareReport *)msg)->title,
	                "Comparison with similar councils", 0, draw_compare};

	return write_pdf(c, &j);
}
