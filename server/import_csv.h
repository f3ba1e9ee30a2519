/*
 * import_csv.h - split a values CSV file into rows, with the line each
 * row starts on, using libcsv.  Only the shape is checked here (header,
 * field count, strict quoting); what the fields mean is checked by the
 * value import itself, which names the same line numbers.
 *
 * The header must be exactly
 *   measure,period,locality,value,numerator,denominator,note
 * (a UTF-8 byte-order mark and CRLF line ends are accepted).  A quoted
 * field may span lines; its row is numbered by the line it starts on.
 */
#ifndef PMIF_IMPORT_CSV_H
#define PMIF_IMPORT_CSV_H

#include <stddef.h>

#include "arena.h"

#define IMPORT_CSV_FIELDS 7
#define IMPORT_CSV_HEADER "measure,period,locality,value,numerator,denominator,note"

enum import_field {
	IMP_MEASURE,
	IMP_PERIOD,
	IMP_LOCALITY,
	IMP_VALUE,
	IMP_NUMERATOR,
	IMP_DENOMINATOR,
	IMP_NOTE
};

struct import_row {
	unsigned line;
	const char *field[IMPORT_CSV_FIELDS]; /* NUL-terminated, trimmed of surrounding spaces */
};

struct import_problem {
	unsigned line;
	const char *message;
};

struct import_csv {
	struct import_row *rows;
	size_t n_rows;
	struct import_problem *problems;
	size_t n_problems;
};

/**
 * Parse @p len bytes of @p text, which is cut up in place: fields point
 * into it (so it must live as long as the rows) or into @p a.  Everything
 * else is allocated from @p a and lives as long as it.  Returns 0 (look at out->n_problems: each
 * names a line), PMIF_ENOMEM, or PMIF_ETOOBIG past @p max_rows rows.  At most
 * @p max_problems problems are kept (the count still grows past it).
 */
int import_csv_parse(char *text, size_t len, size_t max_rows, size_t max_problems, struct arena *a,
                     struct import_csv *out);

/**
 * import_csv_parse() for another file: its first line must be exactly
 * @p header, of @p nfields fields (1..IMPORT_CSV_FIELDS: PMIF_EINVAL
 * otherwise); the rows' first @p nfields fields are set, the rest NULL.
 * The comparator import (compare_import.c) reads its CSV with it.
 */
int import_csv_parse_as(const char *header, size_t nfields, char *text, size_t len, size_t max_rows,
                        size_t max_problems, struct arena *a, struct import_csv *out);

#endif
