/*
 * render_table.c - reports as terminal text, sized to the window.
 *
 * The overview comes first (counts, a RAG strip per objective, the top
 * exceptions), then each objective: its RAG counts, its measures (value,
 * target, RAG as a word, sparkline, direction of travel) each with its RAG
 * rule underneath, and the "so what" commentary wrapped to the width.
 * Colour only on a terminal without NO_COLOR, and never alone: every RAG
 * is also a letter and a word.  Every line fits the width in display
 * columns; text from the server is cleaned of control characters first.
 *
 * This file has the cells, wrapping, colour, the measure table and the
 * output; what each report shows is in render_table_reports.c.
 */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "render.h"
#include "render_chart.h"
#include "render_table.h"

void table_sgr(struct tbl *t, const char *code)
{
	if (t->color)
		fprintf(t->f, "\x1b[%sm", code);
}

void table_reset(struct tbl *t)
{
	if (t->color)
		fputs("\x1b[0m", t->f);
}

/* Cleaned text for this terminal; "" when out of memory (marked failed). */
char *table_clean(struct tbl *t, const char *s, bool newlines)
{
	char *c = render_clean(s, newlines, t->utf8, MAX_TEXT);

	if (c == NULL) {
		t->failed = true;
		c = calloc(1, 1);
	}
	return c;
}

void table_spaces(struct tbl *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fputc(' ', t->f);
}

/* Money for this terminal: "£1.35m", or "GBP1.35m" without UTF-8. */
char *table_money(struct tbl *t, char *buf, size_t cap, double v)
{
	char raw[32], *c;

	chart_money(raw, sizeof(raw), v);
	c = render_clean(raw, false, t->utf8, 0);
	snprintf(buf, cap, "%s", c ? c : "?");
	free(c);
	return buf;
}

/* Write @p s (already clean) in exactly @p cols columns: cut with an
 * ellipsis or padded; right-aligned with @p right. */
void table_cell(struct tbl *t, const char *s, size_t cols, bool right)
{
	size_t have;

	if (cols == 0)
		return;
	if (!t->utf8) {
		for (const char *p = s; *p; p++) {
			if ((unsigned char)*p >= 0x80) { /* our own "£" or "…": make it ASCII */
				char *a = table_clean(t, s, false);

				table_cell(t, a, cols, right);
				free(a);
				return;
			}
		}
	}
	have = render_cols(s);
	if (have > cols) {
		size_t n = render_fit(s, cols - 1);
		char *head = strndup(s, n);
		size_t used = head ? render_cols(head) + 1 : cols;

		fwrite(s, 1, head ? n : 0, t->f);
		fputs(t->utf8 ? "\u2026" : ".", t->f);
		table_spaces(t, cols - used);
		free(head);
		return;
	}
	if (right)
		table_spaces(t, cols - have);
	fputs(s, t->f);
	if (!right)
		table_spaces(t, cols - have);
}

/* Clean and write server text in a cell. */
void table_tcell(struct tbl *t, const char *s, size_t cols, bool right)
{
	char *c = table_clean(t, s, false);

	table_cell(t, c, cols, right);
	free(c);
}

/* A rule across the width. */
void table_rule(struct tbl *t, bool heavy)
{
	const char *ch = t->utf8 ? (heavy ? "\u2501" : "\u2500") : (heavy ? "=" : "-");

	for (unsigned i = 0; i < t->w; i++)
		fputs(ch, t->f);
	fputc('\n', t->f);
}

/* Word-wrap @p s (clean, may hold newlines) to the width: the first line
 * after @p lead (already written, @p lead_cols wide), the rest indented
 * by @p indent. */
void table_wrap(struct tbl *t, char *s, size_t lead_cols, size_t indent)
{
	size_t width = t->w > indent + 10 ? t->w - indent : 10;
	size_t avail, col = 0;
	char *p = s;

	if (t->w < lead_cols + 12 && lead_cols > indent) { /* no room after the lead */
		fputc('\n', t->f);
		table_spaces(t, indent);
		lead_cols = indent;
	}
	avail = t->w > lead_cols ? t->w - lead_cols : 1;

	while (*p) {
		size_t wl = strcspn(p, " \n"), wc;

		if (*p == '\n') {
			fputc('\n', t->f);
			table_spaces(t, indent);
			avail = width;
			col = 0;
			p++;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		char save = p[wl];

		p[wl] = '\0';
		wc = render_cols(p);
		if (col > 0 && col + 1 + wc > avail) {
			fputc('\n', t->f);
			table_spaces(t, indent);
			avail = width;
			col = 0;
		} else if (col > 0) {
			fputc(' ', t->f);
			col++;
		}
		while (wc > avail) { /* a word longer than a line */
			size_t n = render_fit(p, avail - col);

			if (n == 0)
				n = 1;
			fwrite(p, 1, n, t->f);
			fputc('\n', t->f);
			table_spaces(t, indent);
			p += n;
			wl -= n;
			wc = render_cols(p);
			avail = width;
			col = 0;
		}
		fputs(p, t->f);
		col += wc;
		p[wl] = save;
		p += wl;
	}
	fputc('\n', t->f);
}

/* "label: text" wrapped, label bold, server text cleaned. */
void table_para(struct tbl *t, size_t indent, const char *label, const char *s)
{
	char *c = table_clean(t, s, true);
	size_t lc = render_cols(label);

	table_spaces(t, indent);
	table_sgr(t, SGR_BOLD);
	fputs(label, t->f);
	table_reset(t);
	fputc(' ', t->f);
	table_wrap(t, c, indent + lc + 1, indent + 2);
	free(c);
}

/* Append the provisional mark to a value (RENDER_NUM_LEN + 2 bytes), or a
 * space so that digits stay aligned with marked values. */
void table_mark(struct tbl *t, char *val, bool provisional)
{
	strcat(val, provisional ? "*" : " ");
	if (provisional)
		t->provisional = true;
}

/* A bold line of our own words, wrapped to the width. */
void table_title_line(struct tbl *t, size_t indent, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	table_spaces(t, indent);
	table_sgr(t, SGR_BOLD);
	table_wrap(t, buf, indent, indent + 2);
	table_reset(t);
}

static const char *rag_sgr(Pmif__Rag r)
{
	switch (r) {
	case PMIF__RAG__RAG_RED: return SGR_RED;
	case PMIF__RAG__RAG_AMBER: return SGR_AMBER;
	case PMIF__RAG__RAG_GREEN: return SGR_GREEN;
	case PMIF__RAG__RAG_NO_DATA: return SGR_DIM;
	default: return SGR_GREY;
	}
}

/* "R Red" or "? No data" in TABLE_RAG_COLS columns, coloured on a terminal. */
void table_rag_cell(struct tbl *t, Pmif__Rag r)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%s %s", render_rag_symbol(r, t->utf8), render_rag_word(r));
	table_sgr(t, rag_sgr(r));
	table_cell(t, buf, TABLE_RAG_COLS, false);
	table_reset(t);
}

/* A strip of RAG letters, one per measure (at most @p max), coloured. */
void table_rag_strip(struct tbl *t, unsigned r, unsigned a, unsigned g, unsigned grey,
                     unsigned no_data, size_t max)
{
	unsigned counts[5] = {r, a, g, grey, no_data};
	Pmif__Rag rags[5] = {PMIF__RAG__RAG_RED, PMIF__RAG__RAG_AMBER, PMIF__RAG__RAG_GREEN,
	                     PMIF__RAG__RAG_GREY, PMIF__RAG__RAG_NO_DATA};
	double total = (double)r + a + g + grey + no_data;
	double scale = total > (double)max ? max / total : 1;
	size_t used = 0;

	for (int k = 0; k < 5; k++) {
		size_t n = (size_t)lround(counts[k] * scale);

		if (counts[k] > 0 && n == 0)
			n = 1;
		if (used + n > max)
			n = max - used;
		table_sgr(t, rag_sgr(rags[k]));
		for (size_t i = 0; i < n; i++)
			fputs(render_rag_symbol(rags[k], t->utf8), t->f);
		table_reset(t);
		used += n;
	}
	table_spaces(t, max - used);
}

/* "Red 2 · Amber 1 · Green 5 · Grey 1 · No data 1" into buf. */
char *table_rag_counts(struct tbl *t, char *buf, size_t cap, unsigned r, unsigned a, unsigned g,
                       unsigned grey, unsigned no_data)
{
	const char *dot = t->utf8 ? " \u00b7 " : ", ";

	snprintf(buf, cap, "Red %u%sAmber %u%sGreen %u%sGrey %u%sNo data %u", r, dot, a, dot, g,
	         dot, grey, dot, no_data);
	return buf;
}

/* Sparkline of up to 8 points in exactly 8 columns. */
void table_spark(struct tbl *t, Pmif__SeriesPoint *const *pts, size_t n)
{
	static const char *const blocks[8] = {"\u2581", "\u2582", "\u2583", "\u2584",
	                                      "\u2585", "\u2586", "\u2587", "\u2588"};
	static const char ascii[] = "_.,-=+*#";
	double lo = INFINITY, hi = -INFINITY;
	size_t from = n > 8 ? n - 8 : 0;

	for (size_t i = from; i < n; i++)
		if (pts[i] && pts[i]->has_value && isfinite(pts[i]->value)) {
			lo = fmin(lo, pts[i]->value);
			hi = fmax(hi, pts[i]->value);
		}
	table_spaces(t, 8 - (n - from));
	for (size_t i = from; i < n; i++) {
		int k;

		if (!(pts[i] && pts[i]->has_value && isfinite(pts[i]->value))) {
			fputc(' ', t->f);
			continue;
		}
		k = hi > lo && isfinite(hi - lo) ? (int)lround(7 * (pts[i]->value - lo) / (hi - lo))
		                                 : 3;
		k = k < 0 ? 0 : k > 7 ? 7 : k;
		if (t->utf8)
			fputs(blocks[k], t->f);
		else
			fputc(ascii[k], t->f);
	}
}

static const char *dir_short(Pmif__Direction d)
{
	return d == PMIF__DIRECTION__DIRECTION_NOT_COMPARABLE ? "n/a" : render_direction_word(d);
}

void table_dir_cell(struct tbl *t, Pmif__Direction d, size_t cols)
{
	char buf[40];

	snprintf(buf, sizeof(buf), "%s %s", render_direction_arrow(d, t->utf8), dir_short(d));
	if (d == PMIF__DIRECTION__DIRECTION_WORSENING)
		table_sgr(t, SGR_BOLD);
	table_cell(t, buf, cols, false);
	table_reset(t);
}

/* Column widths of a measure table at this width; 0 drops a column.
 * Title, value, target and RAG always show; then, while they fit, the
 * trend, the direction against the previous period, against last year,
 * and the SPC signal. */
struct table_cols table_measure_cols(struct tbl *t, Pmif__MeasureLine *const *ms, size_t n)
{
	struct table_cols c = {.value = 5, .target = 6};
	char buf[RENDER_NUM_LEN];
	const size_t min_title = 18;
	size_t used;

	for (size_t i = 0; i < n; i++) {
		size_t v, g;

		if (ms[i] == NULL)
			continue;
		v = render_cols(render_line_value(buf, ms[i])) + 1; /* + the provisional mark */
		g = render_cols(render_line_target(buf, ms[i]));
		c.value = v > c.value ? v : c.value;
		c.target = g > c.target ? g : c.target;
	}
	c.value = c.value > 17 ? 17 : c.value;
	c.target = c.target > 17 ? 17 : c.target;
	/* indent 2, then the columns with one space before each but the first */
	while (2 + 8 + 1 + c.value + 1 + c.target + 1 + TABLE_RAG_COLS > t->w &&
	       (c.value > 7 || c.target > 6)) {
		if (c.value >= c.target && c.value > 7)
			c.value--;
		else
			c.target--;
	}
	used = 2 + 1 + c.value + 1 + c.target + 1 + TABLE_RAG_COLS;
	if (t->w >= used + 9 + min_title) {
		c.trend = 8;
		used += 9;
	}
	if (t->w >= used + 12 + min_title) {
		c.prev = 11;
		used += 12;
	}
	for (size_t i = 0; i < n && c.compare == 0; i++)
		if (ms[i] && ms[i]->compare && t->w >= used + 9 + min_title) {
			c.compare = 8;
			used += 9;
		}
	if (t->w >= used + 12 + min_title + 20) {
		c.last_year = 11;
		used += 12;
	}
	if (t->w >= used + 13 + min_title + 40) {
		c.spc = 12;
		used += 13;
	}
	c.title = t->w > used + 8 ? t->w - used : 8;
	return c;
}

static const char *spc_short(Pmif__Variation v)
{
	switch (v) {
	case PMIF__VARIATION__VARIATION_COMMON_CAUSE: return "common cause";
	case PMIF__VARIATION__VARIATION_IMPROVEMENT: return "improvement";
	case PMIF__VARIATION__VARIATION_CONCERN: return "concern";
	case PMIF__VARIATION__VARIATION_NEUTRAL_HIGH: return "high";
	case PMIF__VARIATION__VARIATION_NEUTRAL_LOW: return "low";
	default: return "n/a";
	}
}

void table_measure_header(struct tbl *t, const struct table_cols *c)
{
	table_spaces(t, 2);
	table_sgr(t, SGR_DIM);
	table_cell(t, "Measure", c->title, false);
	fputc(' ', t->f);
	table_cell(t, "Value ", c->value, true);
	fputc(' ', t->f);
	table_cell(t, "Target", c->target, true);
	fputc(' ', t->f);
	table_cell(t, "RAG", TABLE_RAG_COLS, false);
	if (c->trend) {
		fputc(' ', t->f);
		table_cell(t, "Trend", c->trend, false);
	}
	if (c->prev) {
		fputc(' ', t->f);
		table_cell(t, "vs previous", c->prev, false);
	}
	if (c->last_year) {
		fputc(' ', t->f);
		table_cell(t, "vs last yr", c->last_year, false);
	}
	if (c->spc) {
		fputc(' ', t->f);
		table_cell(t, "SPC", c->spc, false);
	}
	if (c->compare) {
		fputc(' ', t->f);
		table_cell(t, "Similar", c->compare, false);
	}
	table_reset(t);
	fputc('\n', t->f);
}

/* One measure: its row, then its RAG rule (and why it is an exception,
 * and the officer's note) on indented lines below. */
void table_measure_row(struct tbl *t, const struct table_cols *c, const Pmif__MeasureLine *m,
                       bool reasons)
{
	char val[RENDER_NUM_LEN + 2], tgt[RENDER_NUM_LEN];

	if (m == NULL)
		return;
	render_line_value(val, m);
	table_mark(t, val, m->provisional && render_has_value(m));
	table_spaces(t, 2);
	{
		struct render_buf tb = {0};

		render_line_title(&tb, m);
		table_tcell(t, tb.p ? tb.p : "", c->title, false);
		render_buf_release(&tb);
	}
	fputc(' ', t->f);
	table_cell(t, val, c->value, true);
	fputc(' ', t->f);
	table_cell(t, render_line_target(tgt, m), c->target, true);
	fputc(' ', t->f);
	table_rag_cell(t, m->rag);
	if (c->trend) {
		fputc(' ', t->f);
		table_spark(t, m->sparkline, m->n_sparkline);
	}
	if (c->prev) {
		fputc(' ', t->f);
		table_dir_cell(t, m->vs_previous, c->prev);
	}
	if (c->last_year) {
		fputc(' ', t->f);
		table_dir_cell(t, m->vs_last_year, c->last_year);
	}
	if (c->spc) {
		fputc(' ', t->f);
		table_cell(t, spc_short(m->variation), c->spc, false);
	}
	if (c->compare) {
		fputc(' ', t->f);
		table_tcell(t, m->compare ? m->compare->short_label : "", c->compare, false);
	}
	fputc('\n', t->f);

	/* the rule, always and in full: no member has to ask who set the tolerance */
	{
		struct render_buf b = {0};
		char *line;

		render_buf_printf(&b, "%s%s%s", render_str(m->measure_id),
		                  m->measure_id && m->measure_id[0] ? ": " : "",
		                  m->rag_rule && m->rag_rule[0] ? m->rag_rule
		                                                : "no RAG rule given");
		line = table_clean(t, b.p ? b.p : "", false);
		render_buf_release(&b);
		table_spaces(t, 4);
		table_sgr(t, SGR_DIM);
		table_wrap(t, line, 4, 6);
		table_reset(t);
		free(line);
	}
	table_compare_line(t, m);
	if (reasons && m->n_exception_reasons > 0) {
		struct render_buf b = {0};

		for (size_t i = 0; i < m->n_exception_reasons; i++)
			render_buf_printf(&b, "%s%s", i ? ", " : "",
			                  render_str(m->exception_reasons[i]));
		table_para(t, 4, "Why:", b.p ? b.p : "");
		render_buf_release(&b);
	}
	if (m->note && m->note[0])
		table_para(t, 4, "Note:", m->note);
}

void table_measure_table(struct tbl *t, Pmif__MeasureLine *const *ms, size_t n, bool reasons)
{
	struct table_cols c = table_measure_cols(t, ms, n);

	if (n == 0) {
		table_spaces(t, 2);
		fputs("No measures.\n", t->f);
		return;
	}
	table_measure_header(t, &c);
	for (size_t i = 0; i < n; i++)
		table_measure_row(t, &c, ms[i], reasons);
}

/* Title, then "period · committee · generated" under it. */
void table_header(struct tbl *t, const char *title, const char *fallback, const char *subtitle,
                  const Pmif__ReportFilter *f, unsigned long long generated)
{
	char when[64];
	struct render_buf b = {0};
	char *c;

	table_sgr(t, SGR_BOLD);
	table_tcell(t, title && title[0] ? title : fallback, t->w, false);
	table_reset(t);
	fputc('\n', t->f);
	if (subtitle && subtitle[0])
		render_buf_printf(&b, "%s; ", subtitle);
	if (f && f->period && f->period[0])
		render_buf_printf(&b, "Period %s", f->period);
	if (f && f->from_period && f->from_period[0])
		render_buf_printf(&b, "%sFrom %s to %s", b.len ? "; " : "", f->from_period,
		                  render_str(f->to_period));
	if (f && f->committee && f->committee[0])
		render_buf_printf(&b, "%sCommittee %s", b.len ? "; " : "", f->committee);
	if (f && f->objective && f->objective[0])
		render_buf_printf(&b, "%sObjective %s", b.len ? "; " : "", f->objective);
	if (f && f->locality && f->locality[0])
		render_buf_printf(&b, "%sLocality %s", b.len ? "; " : "", f->locality);
	render_buf_printf(&b, "%sGenerated %s", b.len ? "; " : "",
	                  render_time(when, sizeof(when), generated));
	c = table_clean(t, b.p ? b.p : "", false);
	table_sgr(t, SGR_DIM);
	table_wrap(t, c, 0, 0);
	table_reset(t);
	free(c);
	render_buf_release(&b);
	table_rule(t, true);
}

void table_footnotes(struct tbl *t)
{
	fputc('\n', t->f);
	table_sgr(t, SGR_DIM);
	if (t->provisional)
		fprintf(t->f, "* %s\n", RENDER_PROVISIONAL_NOTE);
	{
		char key[] = "RAG: Red, Amber, Green against target. " RENDER_GREY_NOTE
		             " " RENDER_NO_DATA_NOTE
		             " The rule under each measure says how its RAG was set.";

		table_wrap(t, key, 0, 0);
	}
	table_reset(t);
}

/* Copy @p len bytes of laid-out text to @p out without trailing blanks
 * (padding of the last cell), keeping a final colour reset. */
static void trimmed(const char *s, size_t len, FILE *out)
{
	static const char reset_seq[] = "\x1b[0m";
	const size_t rl = sizeof(reset_seq) - 1;
	size_t i = 0;

	while (i < len) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - s) : len, e = end;
		bool reset = false;

		for (;;) {
			if (e > i && s[e - 1] == ' ') {
				e--;
			} else if (e >= i + rl && memcmp(s + e - rl, reset_seq, rl) == 0 &&
			           e - rl > i && s[e - rl - 1] == ' ') {
				e -= rl;
				reset = true;
			} else {
				break;
			}
		}
		fwrite(s + i, 1, e - i, out);
		if (reset)
			fputs(reset_seq, out);
		if (nl)
			fputc('\n', out);
		i = end + 1;
	}
}

/* A report being written: the text is built in memory, then trimmed
 * onto the output. */
struct run {
	struct tbl t;
	char *text;
	size_t len;
};

static int begin(struct run *r, const struct render_ctx *c)
{
	*r = (struct run){.t = {.w = c->width, .color = c->color, .utf8 = c->utf8}};
	r->t.f = open_memstream(&r->text, &r->len);
	return r->t.f ? 0 : PMIF_ENOMEM;
}

/* Finish a report begun with begin(): footnotes, then the trimmed text. */
static int end(struct run *r, struct render_ctx *c)
{
	int rc = 0;

	table_footnotes(&r->t);
	if (fclose(r->t.f) != 0 || r->t.failed)
		rc = PMIF_ENOMEM;
	else
		trimmed(r->text, r->len, c->out);
	free(r->text);
	return rc;
}

/* The writers in render.c's table: one per report. */

int render_table_scorecard(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct run r;

	if (begin(&r, c) != 0)
		return PMIF_ENOMEM;
	table_scorecard(&r.t, (const Pmif__Scorecard *)msg, c->now);
	return end(&r, c);
}

int render_table_exceptions(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct run r;

	if (begin(&r, c) != 0)
		return PMIF_ENOMEM;
	table_exceptions(&r.t, (const Pmif__ExceptionReport *)msg, c->now);
	return end(&r, c);
}

int render_table_completeness(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct run r;

	if (begin(&r, c) != 0)
		return PMIF_ENOMEM;
	table_completeness(&r.t, (const Pmif__CompletenessReport *)msg, c->now);
	return end(&r, c);
}

int render_table_trend(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct run r;

	if (begin(&r, c) != 0)
		return PMIF_ENOMEM;
	table_trend(&r.t, (const Pmif__TrendReport *)msg, c->now);
	return end(&r, c);
}

int render_table_locality(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct run r;

	if (begin(&r, c) != 0)
		return PMIF_ENOMEM;
	table_locality(&r.t, (const Pmif__LocalityReport *)msg, c->now);
	return end(&r, c);
}

int render_table_pack(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct run r;

	if (begin(&r, c) != 0)
		return PMIF_ENOMEM;
	table_pack(&r.t, (const Pmif__CommitteePack *)msg, c->now);
	return end(&r, c);
}

int render_table_risks(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct run r;

	if (begin(&r, c) != 0)
		return PMIF_ENOMEM;
	table_risks(&r.t, (const Pmif__RiskReport *)msg, c->now);
	return end(&r, c);
}

int render_table_compare(struct render_ctx *c, const ProtobufCMessage *msg)
{
	struct run r;

	if (begin(&r, c) != 0)
		return PMIF_ENOMEM;
	table_compare(&r.t, (const Pmif__CompareReport *)msg, c->now);
	return end(&r, c);
}
