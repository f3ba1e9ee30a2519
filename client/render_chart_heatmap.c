/*
 * render_chart_heatmap.c - the 5x5 risk heat map, once for both SVG and
 * PDF (render_chart.h): likelihood 1-5 across, impact 1-5 up, each cell
 * tinted by its score band and showing its score; each assessed risk a
 * numbered disc where it is now, a hollow disc where it was at its
 * previous assessment, an arrow between them coloured by the movement
 * (worse, better).  The key beside or below names each number with its
 * score, movement and target, so nothing is told by colour alone.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_chart.h"

#define CELLS     5
#define SLOTS     9 /* discs one cell holds, three by three, before they overlap */
#define KEY_ROW_H 13

const char *chart_heat_band(unsigned score)
{
	return score == 0    ? ""
	       : score <= 4  ? "low"
	       : score <= 9  ? "medium"
	       : score <= 14 ? "high"
	                     : "very high";
}

static enum chart_ink band_ink(unsigned score)
{
	return score <= 4    ? INK_HEAT_LOW
	       : score <= 9  ? INK_HEAT_MEDIUM
	       : score <= 14 ? INK_HEAT_HIGH
	                     : INK_HEAT_VERY_HIGH;
}

struct grid {
	double x0, y0, cell;                 /* the top left of the grid, a cell's side */
	double r, fs;                        /* a disc's radius and its number's size */
	unsigned used[CELLS + 1][CELLS + 1]; /* slots taken in each cell */
};

static bool on_grid(unsigned l, unsigned i)
{
	return l >= 1 && l <= CELLS && i >= 1 && i <= CELLS;
}

/* The centre of the next free slot of cell (l, i): three across, three
 * down, below the cell's score in its top left corner. */
static void slot(struct grid *g, unsigned l, unsigned i, double *x, double *y)
{
	unsigned k = g->used[l][i]++ % SLOTS;
	double cx = g->x0 + (l - 1) * g->cell, cy = g->y0 + (CELLS - i) * g->cell;

	*x = cx + g->cell * (0.2 + 0.3 * (k % 3));
	*y = cy + g->cell * (0.38 + 0.24 * (k / 3));
}

static void cells(struct chart *c, const struct grid *g)
{
	for (unsigned i = 1; i <= CELLS; i++)
		for (unsigned l = 1; l <= CELLS; l++) {
			double x = g->x0 + (l - 1) * g->cell, y = g->y0 + (CELLS - i) * g->cell;

			chart_rect(c, x, y, g->cell, g->cell, band_ink(l * i), INK_WHITE);
			chart_text(c, x + 4, y + 11, 8, ANCHOR_START, INK_MUTED, false, "%u",
			           l * i);
		}
	for (unsigned k = 1; k <= CELLS; k++) {
		chart_text(c, g->x0 + (k - 0.5) * g->cell, g->y0 + CELLS * g->cell + 14, 9.5,
		           ANCHOR_MIDDLE, INK_TEXT, true, "%u", k);
		chart_text(c, g->x0 - 8, g->y0 + (CELLS - k + 0.5) * g->cell + 4, 9.5, ANCHOR_END,
		           INK_TEXT, true, "%u", k);
	}
	chart_text(c, g->x0 + CELLS * g->cell / 2, g->y0 + CELLS * g->cell + 30, 10, ANCHOR_MIDDLE,
	           INK_TEXT, true, "Likelihood (1 rare ... 5 almost certain)");
	chart_text(c, 0, g->y0 - 8, 10, ANCHOR_START, INK_TEXT, true,
	           "Impact (5 severe ... 1 negligible)");
}

/* An arrow from (x0,y0) to (x1,y1), stopping short of both discs. */
static void arrow(struct chart *c, double r, double x0, double y0, double x1, double y1,
                  enum chart_ink ink)
{
	double dx = x1 - x0, dy = y1 - y0, len = sqrt(dx * dx + dy * dy), ux, uy;
	struct chart_item *it;

	if (!(len > 2 * r + 2))
		return;
	ux = dx / len;
	uy = dy / len;
	x0 += ux * (r + 1);
	y0 += uy * (r + 1);
	x1 -= ux * (r + 1.5);
	y1 -= uy * (r + 1.5);
	chart_line(c, x0, y0, x1, y1, ink, 1.8, DASH_SOLID);
	if ((it = chart_path(c, ink, 1.8, DASH_SOLID)) == NULL)
		return;
	chart_path_pt(c, it, x1 - ux * 6 - uy * 4, y1 - uy * 6 + ux * 4);
	chart_path_pt(c, it, x1, y1);
	chart_path_pt(c, it, x1 - ux * 6 + uy * 4, y1 - uy * 6 - ux * 4);
}

static enum chart_ink movement_ink(const char *mv)
{
	return strcmp(mv, "up") == 0     ? INK_CONCERN
	       : strcmp(mv, "down") == 0 ? INK_IMPROVE
	                                 : INK_MUTED;
}

/* Each risk where it is now, and where it was with an arrow from there:
 * every arrow and hollow disc first, so no arrow crosses a disc of now. */
static void risks_on_grid(struct chart *c, struct grid *g, Pmif__RiskLine *const *risks, size_t n)
{
	double *at = calloc(n ? 2 * n : 1, sizeof(*at));

	if (at == NULL) {
		c->failed = true;
		return;
	}
	for (size_t k = 0; k < n; k++)
		if (risks[k] && on_grid(risks[k]->likelihood, risks[k]->impact))
			slot(g, risks[k]->likelihood, risks[k]->impact, &at[2 * k], &at[2 * k + 1]);
	for (size_t k = 0; k < n; k++) {
		const Pmif__RiskLine *r = risks[k];
		double px, py;

		if (r == NULL || !on_grid(r->likelihood, r->impact) || !r->has_previous ||
		    !on_grid(r->previous_likelihood, r->previous_impact) ||
		    (r->previous_likelihood == r->likelihood && r->previous_impact == r->impact))
			continue;
		slot(g, r->previous_likelihood, r->previous_impact, &px, &py);
		chart_mark(c, px, py, g->r, MARK_CIRCLE, INK_WHITE, INK_MUTED);
		chart_text(c, px, py + g->fs * 0.36, g->fs, ANCHOR_MIDDLE, INK_MUTED, false, "%zu",
		           k + 1);
		arrow(c, g->r, px, py, at[2 * k], at[2 * k + 1],
		      movement_ink(render_str(r->movement)));
	}
	for (size_t k = 0; k < n; k++) {
		if (risks[k] == NULL || !on_grid(risks[k]->likelihood, risks[k]->impact))
			continue;
		chart_mark(c, at[2 * k], at[2 * k + 1], g->r, MARK_CIRCLE, INK_LINE, INK_WHITE);
		chart_text(c, at[2 * k], at[2 * k + 1] + g->fs * 0.36, g->fs, ANCHOR_MIDDLE,
		           INK_WHITE, true, "%zu", k + 1);
	}
	free(at);
}

static void legend(struct chart *c, double x, double y)
{
	static const struct {
		enum chart_ink ink;
		const char *word;
	} bands[] = {{INK_HEAT_LOW, "low 1-4"},
	             {INK_HEAT_MEDIUM, "medium 5-9"},
	             {INK_HEAT_HIGH, "high 10-14"},
	             {INK_HEAT_VERY_HIGH, "very high 15-25"}};

	chart_mark(c, x + 6, y, 6, MARK_CIRCLE, INK_LINE, INK_WHITE);
	chart_text(c, x + 18, y + 3, 9, ANCHOR_START, INK_TEXT, false, "now");
	chart_mark(c, x + 56, y, 6, MARK_CIRCLE, INK_WHITE, INK_MUTED);
	chart_text(c, x + 68, y + 3, 9, ANCHOR_START, INK_TEXT, false, "previous assessment");
	chart_line(c, x + 170, y, x + 192, y, INK_CONCERN, 1.8, DASH_SOLID);
	chart_text(c, x + 196, y + 3, 9, ANCHOR_START, INK_TEXT, false, "worse");
	chart_line(c, x + 232, y, x + 254, y, INK_IMPROVE, 1.8, DASH_SOLID);
	chart_text(c, x + 258, y + 3, 9, ANCHOR_START, INK_TEXT, false, "better");
	y += 16;
	for (size_t i = 0; i < sizeof(bands) / sizeof(bands[0]); i++) {
		chart_rect(c, x + i * 95.0, y - 7, 14, 10, bands[i].ink, INK_AXIS);
		chart_text(c, x + i * 95.0 + 18, y + 2, 9, ANCHOR_START, INK_TEXT, false, "%s",
		           bands[i].word);
	}
}

/* One line of the key: "1 R-CYP-01 12 up from 6, target 4  title...". */
static void key_row(struct chart *c, double x, double y, double w, double fs, size_t k,
                    const Pmif__RiskLine *r)
{
	char where[160], title[256], id[64];
	double tx;
	int len;

	if (r->likelihood && r->impact) {
		const char *mv = render_str(r->movement);

		len = strcmp(mv, "up") == 0 || strcmp(mv, "down") == 0
		          ? snprintf(where, sizeof(where), "%u, %s from %u", r->score, mv,
		                     r->previous_score)
		      : strcmp(mv, "no change") == 0
		          ? snprintf(where, sizeof(where), "%u, unchanged", r->score)
		          : snprintf(where, sizeof(where), "%u, %s", r->score, mv);
	} else {
		len = snprintf(where, sizeof(where), "not assessed");
	}
	if (r->target_score && len > 0 && (size_t)len < sizeof(where))
		snprintf(where + len, sizeof(where) - (size_t)len, ", target %u", r->target_score);
	chart_mark(c, x + 6, y - 3, 6, MARK_CIRCLE, r->likelihood ? INK_LINE : INK_GREY, INK_WHITE);
	chart_text(c, x + 6, y, 7, ANCHOR_MIDDLE, INK_WHITE, true, "%zu", k + 1);
	chart_fit_text(id, sizeof(id), render_str(r->risk_id), 80, 9);
	chart_text(c, x + 16, y, fs, ANCHOR_START, INK_TEXT, true, "%s", id);
	tx = x + 16 + chart_text_width(id, fs, true) + 5;
	chart_text(c, tx, y, fs, ANCHOR_START, INK_TEXT, false, "%s", where);
	tx += chart_text_width(where, fs, false) + 6;
	/* titles only where there is room for them whole enough to read (the
	 * lists beside the map name every risk in full) */
	if (fs >= 9 && tx < x + w - 40) {
		chart_fit_text(title, sizeof(title), render_str(r->title), x + w - tx, fs);
		chart_text(c, tx, y, fs, ANCHOR_START, INK_MUTED, false, "%s", title);
	}
}

void chart_heatmap(struct chart *c, double w, Pmif__RiskLine *const *risks, size_t n)
{
	struct grid g = {.x0 = 40, .y0 = 24};
	unsigned up = 0, down = 0, shown = 0;
	double y, kx, ky;

	/* the key beside the grid unless the chart is too narrow for both */
	bool beside = w >= 480;
	double kfs = w >= 700 ? 9 : 7.5;

	g.cell = fmin(76, ((beside ? w * (w >= 700 ? 0.55 : 0.62) : w) - g.x0 - 10) / CELLS);
	g.r = fmin(8, g.cell * 0.12);
	g.fs = g.r * 0.95;
	chart_init(c, w, 0);
	cells(c, &g);
	risks_on_grid(c, &g, risks, n);
	y = g.y0 + CELLS * g.cell + 52;
	legend(c, 0, y);
	y += 24;
	kx = beside ? g.x0 + CELLS * g.cell + 18 : 0;
	ky = beside ? g.y0 + 4 : y + 6;
	chart_text(c, kx, ky, 9.5, ANCHOR_START, INK_TEXT, true,
	           "Key: score now, movement, target");
	ky += KEY_ROW_H + 4;
	for (size_t k = 0; k < n; k++) {
		if (risks[k] == NULL)
			continue;
		key_row(c, kx, ky, w - kx, kfs, k, risks[k]);
		up += strcmp(render_str(risks[k]->movement), "up") == 0;
		down += strcmp(render_str(risks[k]->movement), "down") == 0;
		shown += risks[k]->likelihood != 0;
		ky += KEY_ROW_H + 2;
	}
	c->h = fmax(y, ky);
	chart_set_title(c,
	                "Risk heat map: %zu risks, %u assessed for the period on a 5 by 5 grid of "
	                "likelihood and impact; %u moved up and %u moved down since the previous "
	                "assessment",
	                n, shown, up, down);
}
