/*
 * render.c - the front door of the renderers (render.h): the one table
 * of (report type, format) -> writer, format names, choosing and opening
 * the output (a temporary file renamed into place), deciding the layout
 * (width, colour, UTF-8) and calling the writer.  The writers and
 * render_util.c never call back up into this file, and nothing here
 * prints: every failure is a PMIF_E* code for the caller to report.
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

/* ---- the table: formats, reports, and who writes each pair ---- */

static int json_write(struct render_ctx *c, const ProtobufCMessage *msg);

/* A format: its name, and whether it is binary (never to a terminal). */
static const struct format {
	const char *name;
	bool binary;
} formats[RENDER_N_FORMATS] = {
    [RENDER_TABLE] = {"table", false}, [RENDER_CSV] = {"csv", false},
    [RENDER_JSON] = {"json", false},   [RENDER_HTML] = {"html", false},
    [RENDER_PDF] = {"pdf", true},
};

/*
 * A report: its message type, its name, and its writer in each format
 * (NULL where a format cannot show it: render_message() then returns
 * PMIF_ENOTSUP).  Adding a report is one row here and its writers;
 * adding a format is one entry in formats[] and a column in each row.
 */
static const struct report {
	const ProtobufCMessageDescriptor *type;
	const char *name;
	render_writer *write[RENDER_N_FORMATS];
} reports[] = {
    {&pmif__scorecard__descriptor,
     "scorecard",
     {[RENDER_TABLE] = render_table_scorecard,
      [RENDER_CSV] = render_csv_scorecard,
      [RENDER_JSON] = json_write,
      [RENDER_HTML] = render_html_scorecard,
      [RENDER_PDF] = render_pdf_scorecard}},
    {&pmif__exception_report__descriptor,
     "exceptions",
     {[RENDER_TABLE] = render_table_exceptions,
      [RENDER_CSV] = render_csv_exceptions,
      [RENDER_JSON] = json_write,
      [RENDER_HTML] = render_html_exceptions,
      [RENDER_PDF] = render_pdf_exceptions}},
    {&pmif__completeness_report__descriptor,
     "completeness",
     {[RENDER_TABLE] = render_table_completeness,
      [RENDER_CSV] = render_csv_completeness,
      [RENDER_JSON] = json_write,
      [RENDER_HTML] = render_html_completeness,
      [RENDER_PDF] = render_pdf_completeness}},
    {&pmif__trend_report__descriptor,
     "trend",
     {[RENDER_TABLE] = render_table_trend,
      [RENDER_CSV] = render_csv_trend,
      [RENDER_JSON] = json_write,
      [RENDER_HTML] = render_html_trend,
      [RENDER_PDF] = render_pdf_trend}},
    {&pmif__locality_report__descriptor,
     "locality",
     {[RENDER_TABLE] = render_table_locality,
      [RENDER_CSV] = render_csv_locality,
      [RENDER_JSON] = json_write,
      [RENDER_HTML] = render_html_locality,
      [RENDER_PDF] = render_pdf_locality}},
    {&pmif__committee_pack__descriptor,
     "pack",
     {[RENDER_TABLE] = render_table_pack,
      [RENDER_CSV] = render_csv_pack,
      [RENDER_JSON] = json_write,
      [RENDER_HTML] = render_html_pack,
      [RENDER_PDF] = render_pdf_pack}},
    {&pmif__risk_report__descriptor,
     "risks",
     {[RENDER_TABLE] = render_table_risks,
      [RENDER_CSV] = render_csv_risks,
      [RENDER_JSON] = json_write,
      [RENDER_HTML] = render_html_risks,
      [RENDER_PDF] = render_pdf_risks}},
    {&pmif__compare_report__descriptor,
     "compare",
     {[RENDER_TABLE] = render_table_compare,
      [RENDER_CSV] = render_csv_compare,
      [RENDER_JSON] = json_write,
      [RENDER_HTML] = render_html_compare,
      [RENDER_PDF] = render_pdf_compare}},
};

/* The row for @p msg's type, or NULL when it is not a report. */
static const struct report *report_of(const ProtobufCMessage *msg)
{
	for (size_t i = 0; msg && i < sizeof(reports) / sizeof(reports[0]); i++)
		if (msg->descriptor == reports[i].type)
			return &reports[i];
	return NULL;
}

int render_format_parse(const char *s, enum render_format *out)
{
	for (size_t i = 0; s && i < RENDER_N_FORMATS; i++) {
		if (strcmp(s, formats[i].name) == 0) {
			*out = (enum render_format)i;
			return 0;
		}
	}
	return PMIF_EINVAL;
}

const char *render_format_name(enum render_format f)
{
	return (unsigned)f < RENDER_N_FORMATS ? formats[f].name : "unknown";
}

const char *render_report_name(const ProtobufCMessage *msg)
{
	const struct report *r = report_of(msg);

	return r ? r->name : "unknown";
}

/* Every report's JSON is the message itself. */
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

/* ---- layout and output ---- */

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
	c->fragment = o->fragment;
}

/* PMIF_EIO with errno set to @p err (EIO when the system gave none). */
static int io_error(int err)
{
	errno = err ? err : EIO;
	return PMIF_EIO;
}

/*
 * Open a temporary file beside @p path for writing: *tmp (malloc'd, the
 * caller frees it and removes the file) and *out.  A report is an
 * ordinary file, so the mode follows the umask rather than mkstemp's 0600.
 */
static int open_temp(const char *path, char **tmp, FILE **out)
{
	size_t n = strlen(path);
	char *name = malloc(n + 16);
	mode_t mask;
	int fd, err;

	if (name == NULL)
		return PMIF_ENOMEM;
	memcpy(name, path, n);
	memcpy(name + n, ".tmp-XXXXXX", 12);
	fd = mkstemp(name);
	if (fd < 0 || (*out = fdopen(fd, "w")) == NULL) {
		err = errno;
		if (fd >= 0) {
			close(fd);
			unlink(name);
		}
		free(name);
		return io_error(err);
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	*tmp = name;
	return 0;
}

int render_message(const ProtobufCMessage *msg, enum render_format f, const char *out_path,
                   const struct render_options *opt)
{
	static const struct render_options detect;
	const struct report *r = report_of(msg);
	struct render_ctx c = {0};
	bool to_stdout = out_path == NULL || strcmp(out_path, "-") == 0;
	char *tmp = NULL;
	int rc, err = 0;

	if (r == NULL || (unsigned)f >= RENDER_N_FORMATS)
		return PMIF_EINVAL;
	if (r->write[f] == NULL)
		return PMIF_ENOTSUP;
	if (to_stdout && formats[f].binary && isatty(STDOUT_FILENO))
		return PMIF_ESTATE;
	decide(&c, opt ? opt : &detect, to_stdout);
	if (to_stdout)
		c.out = stdout;
	else if ((rc = open_temp(out_path, &tmp, &c.out)) != 0)
		return rc;
	errno = 0;
	rc = r->write[f](&c, msg);
	if (rc == PMIF_EIO)
		err = errno;
	if (fflush(c.out) != 0 || ferror(c.out)) {
		if (rc == 0) {
			rc = PMIF_EIO;
			err = errno;
		}
	}
	if (!to_stdout) {
		if (fclose(c.out) != 0 && rc == 0) {
			rc = PMIF_EIO;
			err = errno;
		}
		if (rc == 0 && rename(tmp, out_path) != 0) {
			rc = PMIF_EIO;
			err = errno;
		}
		if (rc != 0)
			unlink(tmp);
		free(tmp);
	}
	return rc == PMIF_EIO ? io_error(err) : rc;
}

int render_message_to(const ProtobufCMessage *msg, enum render_format f, FILE *out,
                      const struct render_options *opt)
{
	static const struct render_options detect;
	const struct report *r = report_of(msg);
	struct render_ctx c = {0};
	int rc, err = 0;

	if (r == NULL || (unsigned)f >= RENDER_N_FORMATS || out == NULL)
		return PMIF_EINVAL;
	if (r->write[f] == NULL)
		return PMIF_ENOTSUP;
	decide(&c, opt ? opt : &detect, false);
	c.out = out;
	errno = 0;
	rc = r->write[f](&c, msg);
	if (rc == PMIF_EIO)
		err = errno;
	if ((fflush(out) != 0 || ferror(out)) && rc == 0) {
		rc = PMIF_EIO;
		err = errno;
	}
	return rc == PMIF_EIO ? io_error(err) : rc;
}
