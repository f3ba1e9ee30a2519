/*
 * render_util.c - what every renderer shares: the words for each
 * judgement, number formatting by unit, and cleaning server text before
 * it reaches a terminal, a spreadsheet or cairo.  The front door (choosing
 * and opening the output, deciding the layout, dispatch) is render.c.
 *
 * Words live here, once, so the table, CSV, HTML and PDF say the same
 * thing ("Amber", "worsening", "special cause: concern").
 */
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "pbjson.h"
#include "render.h"
#include "words.h"

/* ---- words ---- */

const char *render_str(const char *s)
{
	return s ? s : "";
}

const char *render_rag_word(Pmif__Rag r)
{
	switch (r) {
	case PMIF__RAG__RAG_RED: return "Red";
	case PMIF__RAG__RAG_AMBER: return "Amber";
	case PMIF__RAG__RAG_GREEN: return "Green";
	case PMIF__RAG__RAG_NO_DATA: return "No data";
	default: return "Grey";
	}
}

const char *render_rag_letter(Pmif__Rag r)
{
	switch (r) {
	case PMIF__RAG__RAG_RED: return "R";
	case PMIF__RAG__RAG_AMBER: return "A";
	case PMIF__RAG__RAG_GREEN: return "G";
	case PMIF__RAG__RAG_NO_DATA: return "?";
	default: return "-";
	}
}

/* No data has its own symbol (a hollow circle), so it never rests on a
 * colour alone; the others keep their letters. */
const char *render_rag_symbol(Pmif__Rag r, bool utf8)
{
	if (r == PMIF__RAG__RAG_NO_DATA && utf8)
		return "\u25cb";
	return render_rag_letter(r);
}

const char *render_rag_class(Pmif__Rag r)
{
	switch (r) {
	case PMIF__RAG__RAG_RED: return "red";
	case PMIF__RAG__RAG_AMBER: return "amber";
	case PMIF__RAG__RAG_GREEN: return "green";
	case PMIF__RAG__RAG_NO_DATA: return "nodata";
	default: return "grey";
	}
}

const char *render_direction_word(Pmif__Direction d)
{
	switch (d) {
	case PMIF__DIRECTION__DIRECTION_IMPROVING: return "improving";
	case PMIF__DIRECTION__DIRECTION_WORSENING: return "worsening";
	case PMIF__DIRECTION__DIRECTION_NO_CHANGE: return "no change";
	case PMIF__DIRECTION__DIRECTION_HIGHER: return "higher";
	case PMIF__DIRECTION__DIRECTION_LOWER: return "lower";
	default: return "not comparable";
	}
}

const char *render_direction_arrow(Pmif__Direction d, bool utf8)
{
	switch (d) {
	case PMIF__DIRECTION__DIRECTION_IMPROVING: return utf8 ? "\u25b2" : "+";
	case PMIF__DIRECTION__DIRECTION_WORSENING: return utf8 ? "\u25bc" : "-";
	case PMIF__DIRECTION__DIRECTION_NO_CHANGE: return "=";
	case PMIF__DIRECTION__DIRECTION_HIGHER: return utf8 ? "\u2191" : "^";
	case PMIF__DIRECTION__DIRECTION_LOWER: return utf8 ? "\u2193" : "v";
	default: return utf8 ? "\u00b7" : ".";
	}
}

const char *render_variation_word(Pmif__Variation v)
{
	switch (v) {
	case PMIF__VARIATION__VARIATION_COMMON_CAUSE: return "common cause";
	case PMIF__VARIATION__VARIATION_IMPROVEMENT: return "special cause: improvement";
	case PMIF__VARIATION__VARIATION_CONCERN: return "special cause: concern";
	case PMIF__VARIATION__VARIATION_NEUTRAL_HIGH: return "special cause: high";
	case PMIF__VARIATION__VARIATION_NEUTRAL_LOW: return "special cause: low";
	default: return "not assessed";
	}
}

const char *render_comparison_word(Pmif__Comparison c)
{
	switch (c) {
	case PMIF__COMPARISON__COMPARISON_SIMILAR: return "similar to the borough";
	case PMIF__COMPARISON__COMPARISON_BETTER: return "significantly better";
	case PMIF__COMPARISON__COMPARISON_WORSE: return "significantly worse";
	case PMIF__COMPARISON__COMPARISON_HIGHER: return "significantly higher";
	case PMIF__COMPARISON__COMPARISON_LOWER: return "significantly lower";
	default: return "not compared";
	}
}

const char *render_movement_arrow(const char *m, bool utf8)
{
	m = render_str(m);
	if (strcmp(m, "up") == 0)
		return utf8 ? "\u25b2" : "^";
	if (strcmp(m, "down") == 0)
		return utf8 ? "\u25bc" : "v";
	if (strcmp(m, "no change") == 0)
		return "=";
	if (strcmp(m, "new") == 0)
		return utf8 ? "\u2605" : "*";
	return utf8 ? "\u00b7" : ".";
}

const char *render_movement_word(const char *m)
{
	m = render_str(m);
	if (strcmp(m, "up") == 0)
		return "risk increased";
	if (strcmp(m, "down") == 0)
		return "risk reduced";
	if (strcmp(m, "no change") == 0)
		return "no change";
	if (strcmp(m, "new") == 0)
		return "new risk";
	return "not assessed";
}

const char *render_status_word(const char *s)
{
	const struct pmif_progress *p = pmif_progress_find(s);

	return p ? p->label : "No update";
}

const char *render_slip_word(const char *rag)
{
	rag = render_str(rag);
	return strcmp(rag, "green") == 0      ? "Green"
	       : strcmp(rag, "amber") == 0    ? "Amber"
	       : strcmp(rag, "red") == 0      ? "Red"
	       : strcmp(rag, "complete") == 0 ? "Complete"
	                                      : "No milestones";
}

const char *render_slip_class(const char *rag)
{
	rag = render_str(rag);
	return strcmp(rag, "green") == 0 || strcmp(rag, "amber") == 0 || strcmp(rag, "red") == 0
	           ? rag
	       : strcmp(rag, "complete") == 0 ? "done"
	                                      : "grey";
}

const char *render_status_class(const char *s)
{
	const struct pmif_progress *p = pmif_progress_find(s);

	return p ? p->colour : "grey";
}

/* ---- numbers ---- */

int render_decimals(int d)
{
	return d < 0 ? 0 : d > 6 ? 6 : d;
}

/* Digits of |v| with thousands separators into buf. */
static void grouped(char *buf, size_t cap, double v, int decimals)
{
	char raw[RENDER_NUM_LEN];
	const char *dot;
	size_t ip, o = 0;

	snprintf(raw, sizeof(raw), "%.*f", decimals, fabs(v));
	dot = strchr(raw, '.');
	ip = dot ? (size_t)(dot - raw) : strlen(raw);
	if (v < 0 && strspn(raw, "0.") != strlen(raw))
		buf[o++] = '-';
	for (size_t i = 0; i < ip && o + 2 < cap; i++) {
		buf[o++] = raw[i];
		if ((ip - i - 1) % 3 == 0 && i + 1 < ip)
			buf[o++] = ',';
	}
	for (size_t i = ip; raw[i] && o + 1 < cap; i++)
		buf[o++] = raw[i];
	buf[o] = '\0';
}

char *render_value(char *buf, double v, const char *unit, int decimals)
{
	char num[RENDER_NUM_LEN - 16];

	unit = render_str(unit);
	decimals = render_decimals(decimals);
	if (!isfinite(v)) {
		snprintf(buf, RENDER_NUM_LEN, "n/a");
		return buf;
	}
	if (fabs(v) >= 1e15)
		snprintf(num, sizeof(num), "%.3g", v);
	else
		grouped(num, sizeof(num), v, decimals);
	if (strcmp(unit, "percent") == 0)
		snprintf(buf, RENDER_NUM_LEN, "%s%%", num);
	else if (strcmp(unit, "gbp") == 0)
		snprintf(buf, RENDER_NUM_LEN, "%s\u00a3%s", num[0] == '-' ? "-" : "",
		         num[0] == '-' ? num + 1 : num);
	else if (strcmp(unit, "days") == 0)
		snprintf(buf, RENDER_NUM_LEN, "%s days", num);
	else if (strcmp(unit, "rate_per_1000") == 0)
		snprintf(buf, RENDER_NUM_LEN, "%s per 1,000", num);
	else
		snprintf(buf, RENDER_NUM_LEN, "%s", num);
	return buf;
}

char *render_plain(char *buf, double v, int decimals)
{
	if (!isfinite(v))
		buf[0] = '\0';
	else if (fabs(v) >= 1e15)
		snprintf(buf, RENDER_NUM_LEN, "%.17g", v);
	else
		snprintf(buf, RENDER_NUM_LEN, "%.*f", render_decimals(decimals), v);
	return buf;
}

bool render_has_value(const Pmif__MeasureLine *m)
{
	return m && m->has_value && isfinite(m->value);
}

bool render_has_target(const Pmif__MeasureLine *m)
{
	return m && m->has_target && isfinite(m->target);
}

char *render_line_value(char *buf, const Pmif__MeasureLine *m)
{
	if (!render_has_value(m)) {
		snprintf(buf, RENDER_NUM_LEN, "n/a");
		return buf;
	}
	return render_value(buf, m->value, m->unit, m->decimals);
}

char *render_locality_note(char *buf, size_t cap, const Pmif__ExceptionReport *x)
{
	unsigned n = x ? x->locality_exceptions : 0;

	if (n == 0 || cap == 0)
		return NULL;
	snprintf(buf, cap,
	         "%u of these %s one locality's value: red there, or significantly worse than "
	         "the borough (its 95%% confidence interval does not reach the borough's value).",
	         n, n == 1 ? "is" : "are");
	return buf;
}

char *render_area_name(char *buf, size_t cap, const char *name)
{
	const char *cut;
	int n;

	if (cap == 0)
		return buf;
	name = render_str(name);
	cut = strstr(name, " (");
	n = cut && cut > name ? (int)(cut - name) : (int)strlen(name);
	snprintf(buf, cap, "%.*s", n, name);
	return buf;
}

void render_line_title(struct render_buf *b, const Pmif__MeasureLine *m)
{
	render_buf_printf(b, "%s", m->title && m->title[0] ? m->title : render_str(m->measure_id));
	if (m->locality_name && m->locality_name[0])
		render_buf_printf(b, " \u2014 %s", m->locality_name);
}

char *render_line_target(char *buf, const Pmif__MeasureLine *m)
{
	if (!render_has_target(m)) {
		buf[0] = '\0';
		return buf;
	}
	return render_value(buf, m->target, m->unit, m->decimals);
}

char *render_time(char *buf, size_t cap, unsigned long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t == 0 || t > 253402300799ULL || gmtime_r(&tt, &tm) == NULL)
		snprintf(buf, cap, "unknown");
	else
		strftime(buf, cap, "%Y-%m-%d %H:%M UTC", &tm);
	return buf;
}

Pmif__ObjectiveSection *const *render_pack_sections(const Pmif__CommitteePack *p, size_t *n)
{
	if (p->n_objectives > 0) {
		*n = p->n_objectives;
		return p->objectives;
	}
	if (p->summary) {
		*n = p->summary->n_objectives;
		return p->summary->objectives;
	}
	*n = 0;
	return NULL;
}

/* ---- text ---- */

/* Decode one UTF-8 sequence at s (n bytes left).  Returns its length and
 * the code point in *cp, or 0 for an invalid sequence. */
static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* ASCII for the typography people paste into commentary. */
static const char *ascii_for(uint32_t cp)
{
	switch (cp) {
	case 0xa3: return "GBP";
	case 0x2018:
	case 0x2019:
	case 0x201a:
	case 0x2032: return "'";
	case 0x201c:
	case 0x201d:
	case 0x201e:
	case 0x2033: return "\"";
	case 0x2013:
	case 0x2014:
	case 0x2212: return "-";
	case 0x2026: return "...";
	case 0xa0:
	case 0x2009:
	case 0x202f: return " ";
	case 0x2022:
	case 0xb7: return "*";
	case 0xe9:
	case 0xe8: return "e";
	default: return "?";
	}
}

char *render_clean(const char *s, bool keep_newlines, bool utf8, size_t max_bytes)
{
	const unsigned char *p = (const unsigned char *)render_str(s);
	size_t n = strnlen((const char *)p, max_bytes ? max_bytes : SIZE_MAX);
	bool cut = p[n] != '\0';
	/* worst case: every byte becomes "GBP"/"..." (3), plus the ellipsis */
	char *out = malloc(n * 3 + 8);
	size_t o = 0, i = 0;

	if (out == NULL)
		return NULL;
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);

		if (len == 0) {
			if (cut && n - i < 4)
				break; /* a sequence split by the cut, not garbage */
			out[o++] = '?';
			i++;
			continue;
		}
		if (cp == '\n' && keep_newlines) {
			out[o++] = '\n';
		} else if (cp == '\t' || cp == '\n' || cp == '\r') {
			out[o++] = ' ';
		} else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == 0x2028 ||
		           cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
		           (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff) {
			out[o++] = '?'; /* controls and bidi overrides */
		} else if (cp < 0x80 || utf8) {
			memcpy(out + o, p + i, len);
			o += len;
		} else {
			const char *a = ascii_for(cp);
			size_t al = strlen(a);

			memcpy(out + o, a, al);
			o += al;
		}
		i += len;
	}
	if (cut) {
		const char *e = utf8 ? "\u2026" : "...";

		memcpy(out + o, e, strlen(e));
		o += strlen(e);
	}
	out[o] = '\0';
	return out;
}

/* Zero-width code points: combining marks and joiners. */
static bool zero_width(uint32_t cp)
{
	return (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) ||
	       (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x20d0 && cp <= 0x20ff);
}

/* Double-width code points: the common CJK and emoji blocks. */
static bool wide(uint32_t cp)
{
	return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	       (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	       (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	       (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) ||
	       (cp >= 0x20000 && cp <= 0x3fffd);
}

static size_t cp_cols(uint32_t cp)
{
	return zero_width(cp) ? 0 : wide(cp) ? 2 : 1;
}

size_t render_cols(const char *s)
{
	const unsigned char *p = (const unsigned char *)render_str(s);
	size_t n = strlen((const char *)p), cols = 0;

	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = utf8_decode(p + i, n - i, &cp);

		if (len == 0) {
			cols++;
			i++;
			continue;
		}
		cols += cp_cols(cp);
		i += len;
	}
	return cols;
}

size_t render_fit(const char *s, size_t cols)
{
	const unsigned char *p = (const unsigned char *)render_str(s);
	size_t n = strlen((const char *)p), used = 0, i = 0;

	while (i < n) {
		uint32_t cp = 0;
		size_t len = utf8_decode(p + i, n - i, &cp);
		size_t w = len ? cp_cols(cp) : 1;

		if (len == 0)
			len = 1;
		if (used + w > cols)
			break;
		used += w;
		i += len;
	}
	return i;
}

/* ---- buffer ---- */

void render_buf_add(struct render_buf *b, const char *s, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->p, cap);
		if (p == NULL) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void render_buf_printf(struct render_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if ((size_t)n < sizeof(small)) {
		render_buf_add(b, small, (size_t)n);
		return;
	}
	char *big = malloc((size_t)n + 1);

	if (big == NULL) {
		b->failed = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	render_buf_add(b, big, (size_t)n);
	free(big);
}

void render_buf_release(struct render_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->failed = false;
}
