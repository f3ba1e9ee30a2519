/*
 * html.c - the one escape function every piece of text on a pmif-web
 * page goes through (user input echoed back, pmifd's sentences, names),
 * percent-encoding for links, and the page writer's primitives.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "web.h"

/* Length of the valid UTF-8 sequence at @p s (1..4), or 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0)
		n = 2, cp = s[0] & 0x1f;
	else if ((s[0] & 0xf0) == 0xe0)
		n = 3, cp = s[0] & 0x0f;
	else if ((s[0] & 0xf8) == 0xf0)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0; /* overlong, out of range or a surrogate */
	if (cp >= 0x80 && cp < 0xa0)
		return 0; /* C1 controls */
	return n;
}

void web_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (p && *p) {
		size_t n;

		switch (*p) {
		case '&':
			fputs("&amp;", f);
			p++;
			continue;
		case '<':
			fputs("&lt;", f);
			p++;
			continue;
		case '>':
			fputs("&gt;", f);
			p++;
			continue;
		case '"':
			fputs("&quot;", f);
			p++;
			continue;
		case '\'':
			fputs("&#39;", f);
			p++;
			continue;
		case '\n':
		case '\t':
			fputc(*p, f);
			p++;
			continue;
		default: break;
		}
		if (*p < 0x20 || *p == 0x7f) {
			fputc(' ', f);
			p++;
			continue;
		}
		n = utf8_len(p);
		if (n == 0) {
			fputs("\xef\xbf\xbd", f); /* U+FFFD */
			p++;
			continue;
		}
		fwrite(p, 1, n, f);
		p += n;
	}
}

void web_urlenc(FILE *f, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.' || *p == '~')
			fputc(*p, f);
		else
			fprintf(f, "%%%02X", *p);
	}
}

void page_text(struct req *r, const char *s)
{
	web_escape(r->f, s);
}

void page_raw(struct req *r, const char *s)
{
	fputs(s, r->f);
}

void page_rawf(struct req *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(r->f, fmt, ap);
	va_end(ap);
}

void web_urlenc_buf(char *out, size_t cap, const char *s)
{
	FILE *f = fmemopen(out, cap, "w");

	if (f == NULL) {
		if (cap)
			out[0] = '\0';
		return;
	}
	setvbuf(f, NULL, _IONBF, 0);
	web_urlenc(f, s);
	fputc('\0', f);
	fclose(f);
	out[cap - 1] = '\0';
}
