/*
 * html.c - the one escape every piece of text on a pmif-web page goes
 * through (user input echoed back, pmifd's sentences, names): the report
 * renderers' render_xml() (render.h), so the pages and the reports in them
 * escape alike; percent-encoding for links, and the page writer's
 * primitives.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "web.h"

void web_escape(FILE *f, const char *s)
{
	/* the renderers' own escape: pages and reports escape alike */
	if (s)
		render_xml(f, s);
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

struct next_build {
	FILE *f;
	bool first;
};

static enum MHD_Result next_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
	struct next_build *b = cls;

	(void)kind;
	fputs(b->first ? "?" : "&", b->f);
	b->first = false;
	web_urlenc(b->f, key);
	if (value) {
		fputc('=', b->f);
		web_urlenc(b->f, value);
	}
	return MHD_YES;
}

void web_next_target(struct req *r, const char *path, char *out, size_t cap)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct next_build b = {f, true};

	if (f == NULL) {
		snprintf(out, cap, "%%2F");
		return;
	}
	fputs(path, f);
	if (!r->post)
		MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, next_arg, &b);
	fclose(f);
	/* a target too long for the Location header goes home rather than half-way */
	if (buf == NULL || len > cap / 3 - 1)
		snprintf(out, cap, "%%2F");
	else
		web_urlenc_buf(out, cap, buf);
	free(buf);
}
