/*
 * render.c - the front door of the renderers (render.h): parsing format
 * names, choosing and opening the output (a temporary file renamed into
 * place), deciding the layout (width, colour, UTF-8) and handing the
 * message to the format's writer.  The writers and render_util.c never
 * call back up into this file.
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

#include "cli.h"
#include "error.h"
#include "pbjson.h"
#include "render.h"

/* ---- formats and dispatch ---- */

static const char *const format_names[] = {
    [RENDER_TABLE] = "table", [RENDER_CSV] = "csv", [RENDER_JSON] = "json",
    [RENDER_HTML] = "html",   [RENDER_PDF] = "pdf",
};

int render_format_parse(const char *s, enum render_format *out)
{
	for (size_t i = 0; s && i < sizeof(format_names) / sizeof(format_names[0]); i++) {
		if (strcmp(s, format_names[i]) == 0) {
			*out = (enum render_format)i;
			return 0;
		}
	}
	return EXIT_USAGE;
}

const char *render_format_name(enum render_format f)
{
	if ((unsigned)f < sizeof(format_names) / sizeof(format_names[0]))
		return format_names[f];
	return "unknown";
}

static bool is_report(const ProtobufCMessage *m)
{
	return RENDER_IS(m, pmif__scorecard__descriptor) ||
	       RENDER_IS(m, pmif__exception_report__descriptor) ||
	       RENDER_IS(m, pmif__completeness_report__descriptor) ||
	       RENDER_IS(m, pmif__trend_report__descriptor) ||
	       RENDER_IS(m, pmif__locality_report__descriptor) ||
	       RENDER_IS(m, pmif__committee_pack__descriptor);
}

static int json_write(struct render_ctx *c, const ProtobufCMessage *msg)
{
	json_t *j = pmif_pb_to_json(msg);
	int rc;

	if (j == NULL)
		return PMIF_ENOMEM;
	rc = json_dumpf(j, c->out, JSON_INDENT(2) | JSON_SORT_KEYS);
	json_decref(j);
	if (rc != 0)
		return PMIF_EIO;
	fputc('\n', c->out);
	return 0;
}

/* Columns of the terminal on fd, or 0. */
static unsigned term_width(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 0;
}

/* Does the user's locale (LC_ALL / LC_CTYPE / LANG) use UTF-8?  Asked
 * without touching the process's own locale. */
static bool locale_utf8(void)
{
	locale_t loc = newlocale(LC_CTYPE_MASK, "", (locale_t)0);
	bool utf8 = false;

	if (loc != (locale_t)0) {
		const char *cs = nl_langinfo_l(CODESET, loc);

		utf8 = cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
		freelocale(loc);
	}
	return utf8;
}

static bool no_color(void)
{
	const char *nc = getenv("NO_COLOR");

	/* no-color.org: present and not empty */
	return nc != NULL && nc[0] != '\0';
}

/* Decide the layout for output to stdout (to_stdout) or a file. */
static void decide(struct render_ctx *c, const struct render_options *o, bool to_stdout)
{
	bool tty = o->tty > 0 || (o->tty == 0 && to_stdout && isatty(STDOUT_FILENO));

	c->width = o->width;
	if (c->width == 0 && to_stdout && o->tty >= 0)
		c->width = term_width(STDOUT_FILENO);
	if (c->width == 0)
		c->width = 100;
	if (c->width < 40)
		c->width = 40;
	if (c->width > 400)
		c->width = 400;
	c->color = tty && !no_color();
	c->utf8 = o->utf8 > 0 || (o->utf8 == 0 && locale_utf8());
	c->now = o->now ? o->now : (unsigned long long)time(NULL);
}

static int write_format(struct render_ctx *c, const ProtobufCMessage *msg, enum render_format f)
{
	switch (f) {
	case RENDER_TABLE: return render_table_write(c, msg);
	case RENDER_CSV: return render_csv_write(c, msg);
	case RENDER_JSON: return json_write(c, msg);
	case RENDER_HTML: return render_html_write(c, msg);
	case RENDER_PDF: return render_pdf_write(c, msg);
	}
	return PMIF_EINVAL;
}

int render_message(const ProtobufCMessage *msg, enum render_format f, const char *out_path,
                   const struct render_options *opt)
{
	static const struct render_options detect;
	struct render_ctx c = {0};
	bool to_stdout = out_path == NULL || strcmp(out_path, "-") == 0;
	char *tmp = NULL;
	int rc, fd = -1;

	if (!is_report(msg))
		return cli_error(EXIT_USAGE, "this message is not a report that can be rendered");
	if ((unsigned)f > RENDER_PDF)
		return cli_error(EXIT_USAGE, "unknown report format");
	decide(&c, opt ? opt : &detect, to_stdout);
	if (to_stdout) {
		if (f == RENDER_PDF && isatty(STDOUT_FILENO))
			return cli_error(EXIT_USAGE, "a PDF cannot be shown on a terminal: "
			                             "give a file with -o FILE");
		c.out = stdout;
	} else {
		size_t n = strlen(out_path);

		tmp = malloc(n + 16);
		if (tmp == NULL)
			return cli_error(EXIT_FAIL, "out of memory");
		memcpy(tmp, out_path, n);
		memcpy(tmp + n, ".tmp-XXXXXX", 12);
		fd = mkstemp(tmp);
		if (fd < 0 || (c.out = fdopen(fd, "w")) == NULL) {
			rc = cli_error(EXIT_FAIL, "cannot write '%s': %s", out_path,
			               strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			free(tmp);
			return rc;
		}
		/* mkstemp makes 0600; a report is an ordinary file */
		mode_t mask = umask(0);

		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	rc = write_format(&c, msg, f);
	if (fflush(c.out) != 0 || ferror(c.out))
		rc = rc ? rc : PMIF_EIO;
	if (!to_stdout) {
		if (fclose(c.out) != 0)
			rc = rc ? rc : PMIF_EIO;
		if (rc == 0 && rename(tmp, out_path) != 0)
			rc = PMIF_EIO;
		if (rc != 0)
			unlink(tmp);
		free(tmp);
	}
	if (rc == PMIF_ENOMEM)
		return cli_error(EXIT_FAIL, "out of memory while rendering the report");
	if (rc != 0)
		return cli_error(EXIT_FAIL, "cannot write the %s report to '%s': %s",
		                 render_format_name(f), to_stdout ? "standard output" : out_path,
		                 pmif_strerror(rc));
	return 0;
}

int render_scorecard(const Pmif__Scorecard *r, enum render_format f, const char *out_path)
{
	return render_message(r ? &r->base : NULL, f, out_path, NULL);
}

int render_exceptions(const Pmif__ExceptionReport *r, enum render_format f, const char *out_path)
{
	return render_message(r ? &r->base : NULL, f, out_path, NULL);
}

int render_completeness(const Pmif__CompletenessReport *r, enum render_format f,
                        const char *out_path)
{
	return render_message(r ? &r->base : NULL, f, out_path, NULL);
}

int render_trend(const Pmif__TrendReport *r, enum render_format f, const char *out_path)
{
	return render_message(r ? &r->base : NULL, f, out_path, NULL);
}

int render_locality(const Pmif__LocalityReport *r, enum render_format f, const char *out_path)
{
	return render_message(r ? &r->base : NULL, f, out_path, NULL);
}

int render_pack(const Pmif__CommitteePack *r, enum render_format f, const char *out_path)
{
	return render_message(r ? &r->base : NULL, f, out_path, NULL);
}
