/*
 * config_file.c - pmifd.conf through inih (see config_file.h).
 *
 * inih's handler is not told the line number (Debian builds it without
 * INI_HANDLER_LINENO), so the file is fed to ini_parse_stream() through a
 * reader of our own that counts lines; inih reads one line and handles it
 * before reading the next, so the count is the handled line.  The reader
 * also refuses a line too long for the buffer, which inih would otherwise
 * split into two lines silently, and takes the indent off every line: inih
 * (built with INI_ALLOW_MULTILINE) would read an indented 'workers = 4' as
 * more of the line before it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <ini.h>

#include "config_file.h"

struct reading {
	const char *path;
	FILE *f;
	unsigned line;
	bool too_long;
	int max_line; /* inih's buffer, with the newline and the NUL */
	config_file_fn fn;
	void *arg;
	unsigned bad_line; /* first line the handler refused; 0: none */
	char why[512];
};

static char *read_line(char *str, int num, void *stream)
{
	struct reading *r = stream;
	size_t n;

	if (r->too_long || r->bad_line || fgets(str, num, r->f) == NULL)
		return NULL;
	r->line++;
	r->max_line = num;
	n = strlen(str);
	if (n == (size_t)num - 1 && str[n - 1] != '\n' && !feof(r->f)) {
		r->too_long = true;
		return NULL;
	}
	n = strspn(str, " \t");
	if (n > 0)
		memmove(str, str + n, strlen(str + n) + 1);
	return str;
}

static int handle(void *user, const char *section, const char *name, const char *value)
{
	struct reading *r = user;

	if (r->bad_line)
		return 1;
	if (section[0] != '\0')
		snprintf(r->why, sizeof(r->why),
		         "sections are not used ('[%s]'): put every key at the top level", section);
	else if (r->fn(r->arg, r->line, name, value, r->why, sizeof(r->why)) == 0)
		return 1;
	r->bad_line = r->line;
	return 1; /* inih would report only the line; the reason is in r->why */
}

int config_file_read(const char *path, config_file_fn fn, void *arg, char *err, size_t cap)
{
	struct reading r = {.path = path, .fn = fn, .arg = arg};
	int rc, saved;

	r.f = fopen(path, "r");
	if (r.f == NULL) {
		snprintf(err, cap, "cannot read the config file '%s': %s", path, strerror(errno));
		return -1;
	}
	errno = 0;
	rc = ini_parse_stream(read_line, &r, handle, &r);
	saved = errno;
	if (ferror(r.f)) {
		/* a directory opens, and then fails to read */
		snprintf(err, cap, "cannot read the config file '%s': %s", path,
		         strerror(saved ? saved : EIO));
		fclose(r.f);
		return -1;
	}
	fclose(r.f);
	if (r.too_long) {
		snprintf(err, cap, "%s line %u: the line is too long (at most %d characters)", path,
		         r.line, r.max_line - 2);
		return -1;
	}
	/* rc > 0: the first line inih could not parse, which may come before
	 * the first line the handler refused */
	if (rc > 0 && (r.bad_line == 0 || (unsigned)rc < r.bad_line)) {
		snprintf(err, cap, "%s line %d: expected 'key = value'", path, rc);
		return -1;
	}
	if (r.bad_line) {
		snprintf(err, cap, "%s line %u: %s", path, r.bad_line, r.why);
		return -1;
	}
	if (rc < 0) {
		snprintf(err, cap, "cannot read the config file '%s': out of memory", path);
		return -1;
	}
	return 0;
}
