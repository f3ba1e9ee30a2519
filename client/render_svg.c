/*
 * render_svg.c - a chart's display list (render_chart.h) as inline SVG for
 * the HTML page, and the one HTML/XML escaper every HTML writer uses.
 *
 * Colours are written as attributes, not CSS classes, so a chart copied
 * out of the page (or printed) keeps them; the page's CSS only sizes it.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_chart.h"

void render_xml(FILE *f, const char *s)
{
	char *clean = render_clean(s, true, true, 0);
	const char *p = clean ? clean : "";

	for (; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(*p, f);
		}
	}
	free(clean);
}

static void hex(FILE *f, const char *attr, enum chart_ink ink)
{
	const struct chart_rgb *c;

	if (ink == INK_NONE) {
		fprintf(f, " %s=\"none\"", attr);
		return;
	}
	c = &chart_palette[ink];
	fprintf(f, " %s=\"#%02x%02x%02x\"", attr, c->r, c->g, c->b);
}

/* Numbers short and locale-proof ("12.5", never "12,5"). */
static void num(FILE *f, double v)
{
	char buf[32];

	if (!isfinite(v))
		v = 0;
	snprintf(buf, sizeof(buf), "%.2f", v);
	/* trim trailing zeros: 12.50 -> 12.5, 3.00 -> 3 */
	char *dot = strchr(buf, '.');

	if (dot) {
		char *e = buf + strlen(buf) - 1;

		while (e > dot && *e == '0')
			*e-- = '\0';
		if (e == dot)
			*e = '\0';
	}
	fputs(strcmp(buf, "-0") == 0 ? "0" : buf, f);
}

static void stroke(FILE *f, const struct chart_item *it)
{
	hex(f, "stroke", it->stroke);
	if (it->stroke == INK_NONE)
		return;
	fputs(" stroke-width=\"", f);
	num(f, it->width);
	fputc('"', f);
	switch (it->dash) {
	case DASH_DASHED: fputs(" stroke-dasharray=\"6 4\"", f); break;
	case DASH_DOTTED: fputs(" stroke-dasharray=\"1.5 3\"", f); break;
	case DASH_DASHDOT: fputs(" stroke-dasharray=\"8 3 2 3\"", f); break;
	default: break;
	}
}

static void xy(FILE *f, const char *a, double x, const char *b, double y)
{
	fprintf(f, " %s=\"", a);
	num(f, x);
	fprintf(f, "\" %s=\"", b);
	num(f, y);
	fputc('"', f);
}

static void mark_svg(FILE *f, const struct chart_item *it)
{
	double x = it->x, y = it->y, r = it->w;

	switch (it->mark) {
	case MARK_CIRCLE:
		fputs("<circle", f);
		xy(f, "cx", x, "cy", y);
		fputs(" r=\"", f);
		num(f, r);
		fputc('"', f);
		break;
	case MARK_SQUARE:
		fputs("<rect", f);
		xy(f, "x", x - r, "y", y - r);
		xy(f, "width", 2 * r, "height", 2 * r);
		break;
	default: {
		double px[4], py[4];
		int k = 0;

		if (it->mark == MARK_DIAMOND) {
			double d = r * 1.25;

			px[0] = x, py[0] = y - d, px[1] = x + d, py[1] = y;
			px[2] = x, py[2] = y + d, px[3] = x - d, py[3] = y;
			k = 4;
		} else {
			double d = r * 1.3, s = it->mark == MARK_TRI_UP ? 1 : -1;

			px[0] = x, py[0] = y - s * d;
			px[1] = x + d, py[1] = y + s * d * 0.8;
			px[2] = x - d, py[2] = y + s * d * 0.8;
			k = 3;
		}
		fputs("<polygon points=\"", f);
		for (int i = 0; i < k; i++) {
			if (i)
				fputc(' ', f);
			num(f, px[i]);
			fputc(',', f);
			num(f, py[i]);
		}
		fputc('"', f);
	}
	}
	hex(f, "fill", it->fill);
	stroke(f, it);
	fputs("/>", f);
}

void chart_svg(FILE *f, const struct chart *c, const char *css_class)
{
	if (c->failed)
		return;
	fputs("<svg role=\"img\"", f); /* inline in HTML5: no xmlns needed */
	if (css_class)
		fprintf(f, " class=\"%s\"", css_class);
	fputs(" viewBox=\"0 0 ", f);
	num(f, c->w);
	fputc(' ', f);
	num(f, c->h);
	fputs("\"", f);
	xy(f, "width", c->w, "height", c->h);
	fputs(" font-family=\"Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif\">", f);
	if (c->title) {
		fputs("<title>", f);
		render_xml(f, c->title);
		fputs("</title>", f);
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct chart_item *it = &c->items[i];

		switch (it->kind) {
		case CK_LINE:
			fputs("<line", f);
			xy(f, "x1", it->x, "y1", it->y);
			xy(f, "x2", it->x + it->w, "y2", it->y + it->h);
			stroke(f, it);
			fputs("/>", f);
			break;
		case CK_PATH:
			if (it->n_pt < 2)
				break;
			fputs("<polyline fill=\"none\" stroke-linejoin=\"round\" points=\"", f);
			for (size_t k = 0; k < it->n_pt; k++) {
				if (k)
					fputc(' ', f);
				num(f, c->pts[2 * (it->pt + k)]);
				fputc(',', f);
				num(f, c->pts[2 * (it->pt + k) + 1]);
			}
			fputc('"', f);
			stroke(f, it);
			fputs("/>", f);
			break;
		case CK_RECT:
			if (!(it->w > 0) || !(it->h > 0))
				break;
			fputs("<rect", f);
			xy(f, "x", it->x, "y", it->y);
			xy(f, "width", it->w, "height", it->h);
			hex(f, "fill", it->fill);
			stroke(f, it);
			fputs("/>", f);
			break;
		case CK_MARK: mark_svg(f, it); break;
		case CK_TEXT:
			fputs("<text", f);
			xy(f, "x", it->x, "y", it->y);
			fputs(" font-size=\"", f);
			num(f, it->size);
			fputc('"', f);
			if (it->bold)
				fputs(" font-weight=\"bold\"", f);
			if (it->anchor == ANCHOR_MIDDLE)
				fputs(" text-anchor=\"middle\"", f);
			else if (it->anchor == ANCHOR_END)
				fputs(" text-anchor=\"end\"", f);
			hex(f, "fill", it->fill == INK_NONE ? INK_TEXT : it->fill);
			fputc('>', f);
			render_xml(f, it->text);
			fputs("</text>", f);
			break;
		}
	}
	fputs("</svg>", f);
}
