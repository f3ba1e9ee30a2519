/*
 * import_csv.c - values CSV into rows with line numbers (see import_csv.h).
 */
#include <csv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "import_csv.h"

/* Field text is copied into blocks of this size: one arena allocation per
 * field would round each up and cost a call each. */
#define STRING_BLOCK ((size_t)1 << 20)

struct parse_state {
	struct arena *a;
	struct import_csv *out;
	size_t cap_rows, max_rows, max_problems, cap_problems;
	unsigned line;        /* physical line being fed */
	unsigned record_line; /* line the current record started on */
	const char *fields[IMPORT_CSV_FIELDS];
	char *strings; /* the current block for field text, packed unaligned */
	size_t strings_left;
	size_t n_fields; /* fields seen in the current record */
	int header_done;
	int failed;         /* PMIF_E* to return */
	const char *header; /* the header the file must start with */
	size_t nfields;     /* fields in it, at most IMPORT_CSV_FIELDS */
};

static void problem(struct parse_state *st, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(struct parse_state *st, unsigned line, const char *fmt, ...)
{
	struct import_csv *o = st->out;
	char buf[300];
	va_list ap;

	if (o->n_problems < st->max_problems) {
		if (o->n_problems == st->cap_problems) {
			size_t cap = st->cap_problems ? st->cap_problems * 2 : 16;
			struct import_problem *p = ARENA_ARRAY(st->a, struct import_problem, cap);
			if (p == NULL) {
				st->failed = PMIF_ENOMEM;
				return;
			}
			if (o->n_problems)
				memcpy(p, o->problems, sizeof(*p) * o->n_problems);
			o->problems = p;
			st->cap_problems = cap;
		}
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
		o->problems[o->n_problems].line = line;
		o->problems[o->n_problems].message = arena_strdup(st->a, buf);
	}
	o->n_problems++;
}

/* A field of a plain line, trimmed as on_field() trims and terminated in
 * place: s[len] is the comma or line end after it (or trailing blanks). */
static void field_in_place(struct parse_state *st, char *s, size_t len)
{
	if (st->n_fields == 0)
		st->record_line = st->line;
	if (st->n_fields++ >= st->nfields)
		return;
	while (len && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	s[len] = '\0';
	st->fields[st->n_fields - 1] = s;
}

static void on_field(void *data, size_t len, void *priv)
{
	struct parse_state *st = priv;
	const char *s = data ? data : "";
	char *copy;

	if (st->n_fields == 0)
		st->record_line = st->line;
	if (st->n_fields++ >= st->nfields)
		return;
	while (len && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	if (st->strings_left < len + 1) {
		size_t block = len + 1 > STRING_BLOCK ? len + 1 : STRING_BLOCK;
		if ((st->strings = arena_alloc(st->a, block)) == NULL) {
			st->failed = PMIF_ENOMEM;
			return;
		}
		st->strings_left = block;
	}
	copy = st->strings;
	st->strings += len + 1;
	st->strings_left -= len + 1;
	memcpy(copy, s, len);
	copy[len] = '\0';
	st->fields[st->n_fields - 1] = copy;
}

static void on_record(int c, void *priv)
{
	struct parse_state *st = priv;
	struct import_csv *o = st->out;
	size_t n = st->n_fields;

	(void)c;
	st->n_fields = 0;
	if (n == 0)
		return;
	if (!st->header_done) {
		char got[512] = "";
		st->header_done = 1;
		for (size_t i = 0; i < n && i < st->nfields; i++) {
			if (i)
				strncat(got, ",", sizeof(got) - strlen(got) - 1);
			strncat(got, st->fields[i], sizeof(got) - strlen(got) - 1);
		}
		if (n != st->nfields || strcmp(got, st->header) != 0)
			problem(st, st->record_line,
			        "the header must be exactly '%s', not '%.200s%s'", st->header, got,
			        n > st->nfields ? ",..." : "");
		return;
	}
	if (n != st->nfields) {
		problem(st, st->record_line, "has %zu fields, but a row needs %zu (%s)", n,
		        st->nfields, st->header);
		return;
	}
	if (o->n_rows == st->max_rows) {
		st->failed = PMIF_ETOOBIG;
		return;
	}
	if (o->n_rows == st->cap_rows) {
		size_t cap = st->cap_rows ? st->cap_rows * 2 : 1024;
		struct import_row *rows = ARENA_ARRAY(st->a, struct import_row, cap);
		if (rows == NULL) {
			st->failed = PMIF_ENOMEM;
			return;
		}
		if (o->n_rows)
			memcpy(rows, o->rows, sizeof(*rows) * o->n_rows);
		o->rows = rows;
		st->cap_rows = cap;
	}
	o->rows[o->n_rows].line = st->record_line;
	memcpy(o->rows[o->n_rows].field, st->fields, sizeof(st->fields));
	o->n_rows++;
}

/*
 * A line with no quote is plain CSV whatever libcsv's options: split it
 * here and make the same callbacks libcsv would, without its byte-by-byte
 * state machine.  libcsv ends a record at a CR too, so a line with a CR
 * before its end goes to libcsv, as does any line inside a quoted field.
 * @p n excludes the line's '\n'; with one (@p newline), the fields are
 * cut out of the text in place instead of copied.  Returns false to leave
 * the line to libcsv.
 */
static bool plain_line(struct parse_state *st, char *s, size_t n, bool newline)
{
	size_t i = 0, start = 0;

	if (n && s[n - 1] == '\r')
		n--;
	if (memchr(s, '"', n) || memchr(s, '\r', n))
		return false;
	/* spaces and tabs only: libcsv skips the line without a record */
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n)
		return true;
	for (;;) {
		const char *comma = memchr(s + start, ',', n - start);
		size_t end = comma ? (size_t)(comma - s) : n;

		if (newline)
			field_in_place(st, s + start, end - start);
		else
			on_field(s + start, end - start, st);
		if (comma == NULL)
			break;
		start = end + 1;
	}
	on_record('\n', st);
	return true;
}

/* Quotes in @p n bytes of @p s, modulo 2. */
static unsigned quote_parity(const char *s, size_t n)
{
	unsigned odd = 0;

	for (const char *q = s, *end = s + n; (q = memchr(q, '"', (size_t)(end - q))) != NULL; q++)
		odd ^= 1;
	return odd;
}

int import_csv_parse(char *text, size_t len, size_t max_rows, size_t max_problems, struct arena *a,
                     struct import_csv *out)
{
	return import_csv_parse_as(IMPORT_CSV_HEADER, IMPORT_CSV_FIELDS, text, len, max_rows,
	                           max_problems, a, out);
}

int import_csv_parse_as(const char *header, size_t nfields, char *text, size_t len, size_t max_rows,
                        size_t max_problems, struct arena *a, struct import_csv *out)
{
	struct parse_state st = {.a = a,
	                         .out = out,
	                         .max_rows = max_rows,
	                         .max_problems = max_problems,
	                         .line = 1,
	                         .header = header,
	                         .nfields = nfields};
	struct csv_parser p;
	size_t off = 0;
	unsigned in_quotes = 0; /* libcsv is inside a quoted field */

	memset(out, 0, sizeof(*out));
	if (nfields == 0 || nfields > IMPORT_CSV_FIELDS)
		return PMIF_EINVAL;
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return PMIF_ENOMEM;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		off = 3;
	/* one row per line at most: size the row array once */
	for (const char *q = text + off, *end = text + len; q && q < end; st.cap_rows++)
		if ((q = memchr(q, '\n', (size_t)(end - q))) != NULL)
			q++;
	if (st.cap_rows > max_rows + 1)
		st.cap_rows = max_rows + 1;
	if (st.cap_rows && (out->rows = ARENA_ARRAY(a, struct import_row, st.cap_rows)) == NULL) {
		csv_free(&p);
		return PMIF_ENOMEM;
	}
	/* feed one physical line at a time so callbacks know the line number */
	while (off < len && !st.failed) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) + 1 : len - off;

		/* in strict CSV a quoted field holds an even number of quotes
		 * (doubled ones and the two around it): with an even count so
		 * far, libcsv stands between records at the end of a line */
		if (!in_quotes && plain_line(&st, text + off, nl ? n - 1 : n, nl != NULL)) {
			off += n;
			if (nl)
				st.line++;
			continue;
		}
		in_quotes ^= quote_parity(text + off, n);
		if (csv_parse(&p, text + off, n, on_field, on_record, &st) != n) {
			problem(&st, st.line,
			        "is not valid CSV (%s): check the quotes on this line",
			        csv_strerror(csv_error(&p)));
			break;
		}
		off += n;
		if (nl)
			st.line++;
	}
	if (!st.failed && off >= len && csv_fini(&p, on_field, on_record, &st) != 0)
		problem(&st, st.record_line ? st.record_line : st.line,
		        "ends inside a quoted field: a closing quote is missing");
	csv_free(&p);
	if (!st.header_done && !st.failed)
		problem(&st, 1, "the file is empty: the first line must be '%s'", header);
	return st.failed;
}
