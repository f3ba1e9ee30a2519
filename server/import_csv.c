/*
 * import_csv.c - values CSV into rows with line numbers (see import_csv.h).
 */
#include <csv.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "import_csv.h"

struct parse_state {
	struct arena *a;
	struct import_csv *out;
	size_t cap_rows, max_rows, max_problems, cap_problems;
	unsigned line;        /* physical line being fed */
	unsigned record_line; /* line the current record started on */
	const char *fields[IMPORT_CSV_FIELDS];
	size_t n_fields; /* fields seen in the current record */
	int header_done;
	int failed; /* PMIF_E* to return */
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

static void on_field(void *data, size_t len, void *priv)
{
	struct parse_state *st = priv;
	const char *s = data ? data : "";
	char *copy;

	if (st->n_fields == 0)
		st->record_line = st->line;
	if (st->n_fields++ >= IMPORT_CSV_FIELDS)
		return;
	while (len && (s[0] == ' ' || s[0] == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	copy = arena_alloc(st->a, len + 1);
	if (copy == NULL) {
		st->failed = PMIF_ENOMEM;
		return;
	}
	memcpy(copy, s, len);
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
		for (size_t i = 0; i < n && i < IMPORT_CSV_FIELDS; i++) {
			if (i)
				strncat(got, ",", sizeof(got) - strlen(got) - 1);
			strncat(got, st->fields[i], sizeof(got) - strlen(got) - 1);
		}
		if (n != IMPORT_CSV_FIELDS || strcmp(got, IMPORT_CSV_HEADER) != 0)
			problem(st, st->record_line,
			        "the header must be exactly '" IMPORT_CSV_HEADER
			        "', not '%.200s%s'",
			        got, n > IMPORT_CSV_FIELDS ? ",..." : "");
		return;
	}
	if (n != IMPORT_CSV_FIELDS) {
		problem(st, st->record_line, "has %zu fields, but a row needs %d (%s)", n,
		        IMPORT_CSV_FIELDS, IMPORT_CSV_HEADER);
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

int import_csv_parse(const char *text, size_t len, size_t max_rows, size_t max_problems,
                     struct arena *a, struct import_csv *out)
{
	struct parse_state st = {
	    .a = a, .out = out, .max_rows = max_rows, .max_problems = max_problems, .line = 1};
	struct csv_parser p;
	size_t off = 0;

	memset(out, 0, sizeof(*out));
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return PMIF_ENOMEM;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		off = 3;
	/* feed one physical line at a time so callbacks know the line number */
	while (off < len && !st.failed) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (text + off)) + 1 : len - off;

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
		problem(&st, 1,
		        "the file is empty: the first line must be '" IMPORT_CSV_HEADER "'");
	return st.failed;
}
