/*
 * render_pdf_locality.c - a pack's locality section on PDF pages: each
 * by-locality measure's compact locality chart (render_chart_locality.c)
 * under its title, then in words why any locality is not compared.  The
 * section follows the objectives without a page of its own, so it never
 * leaves a near-empty page behind it; a measure's title and chart are
 * kept together.
 */
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_chart.h"
#include "render_pdf.h"

static const char intro[] =
    "Each measure reported by locality, for the period of this pack: every locality's value "
    "with its 95% confidence interval (the whisker), against the borough's value (the dashed "
    "line). Where the interval does not reach the borough's value the difference is unlikely "
    "to be chance, and the locality is significantly better or worse. A hollow mark is "
    "provisional.";

/* Why the localities of @p r that are not compared are not, each reason once. */
static void not_compared(struct pdf *d, const Pmif__LocalityReport *r)
{
	for (size_t i = 0; i < r->n_localities; i++) {
		const Pmif__LocalityLine *l = r->localities[i];
		const char *why = l ? render_str(l->comparison_label) : "";
		bool seen = false;
		struct render_buf b = {0};

		if (l == NULL || l->comparison != PMIF__COMPARISON__COMPARISON_NOT_COMPARED ||
		    why[0] == '\0')
			continue;
		for (size_t k = 0; k < i && !seen; k++)
			seen = r->localities[k] &&
			       r->localities[k]->comparison ==
			           PMIF__COMPARISON__COMPARISON_NOT_COMPARED &&
			       strcmp(render_str(r->localities[k]->comparison_label), why) == 0;
		if (seen)
			continue;
		/* the server's label starts "not compared: "; say it once, capitalised */
		if (strncmp(why, "not compared: ", 14) == 0)
			why += 14;
		render_buf_printf(&b, "Not compared: %s.", why);
		pdf_para(d, MARGIN_L, WIDTH, b.p ? b.p : "", 8, false, INK_MUTED);
		render_buf_release(&b);
	}
}

void pdf_pack_localities(struct pdf *d, Pmif__LocalityReport *const *reps, size_t n)
{
	if (n == 0)
		return;
	pdf_heading(d, "Localities: each against the borough", 14);
	pdf_para(d, MARGIN_L, WIDTH, intro, 8.5, false, INK_MUTED);
	d->y += 4;
	for (size_t i = 0; i < n; i++) {
		const Pmif__LocalityReport *r = reps[i];
		const Pmif__MeasureLine *m = r ? r->measure : NULL;
		struct render_buf t = {0};
		struct chart c;

		if (m == NULL)
			continue;
		chart_locality_compact(&c, WIDTH, r);
		render_buf_printf(&t, "%s (%s, %s)", render_str(m->title),
		                  render_str(m->measure_id), render_str(m->period));
		/* the title (two lines at most) with its chart */
		pdf_room(d, 2 * 12 + 6 + c.h + 4);
		pdf_para(d, MARGIN_L, WIDTH, t.p ? t.p : "", 9.5, true, INK_TEXT);
		render_buf_release(&t);
		d->y += 3;
		for (size_t k = 0; k <= r->n_localities; k++) {
			const Pmif__LocalityLine *l = k == 0 ? r->borough : r->localities[k - 1];

			d->provisional |= l && l->has_value && l->provisional;
		}
		pdf_chart_here(d, &c, MARGIN_L);
		not_compared(d, r);
		d->y += 8;
	}
}
