/*
 * compare_import.h - what a comparator CSV must satisfy, and loading it:
 * the rules between ComparatorImport (rpc_compare.c) and the comparator
 * record store (comparators_store.h).
 *
 * The file's header is exactly COMPARE_CSV_HEADER; each row is one figure
 * for a measure and period: another council's ("council", ranked), or
 * the national or regional one (shown beside, not ranked).  Every row is
 * checked and every problem named by its line in one pass; any problem
 * refuses the whole file and nothing changes.  A file replaces, whole,
 * the set of each (measure, period) it names, with the request's source
 * and date.
 */
#ifndef PMIF_COMPARE_IMPORT_H
#define PMIF_COMPARE_IMPORT_H

#include <stdbool.h>

#include "compare.pb-c.h"
#include "rpc.h"

#define COMPARE_CSV_HEADER "measure,period,comparator,value,kind"
#define COMPARE_CSV_FIELDS 5
/* Most figures in one set, and rows in one file. */
#define COMPARE_MAX_FIGURES 200
#define COMPARE_MAX_ROWS    100000

/**
 * Check @p in and, unless @p in->dry_run, store its sets (each stamped
 * with the caller and op->now).  On success *out (arena) says how many
 * rows and sets.  A refused file is INVALID_ARGUMENT with one message
 * naming every problem by line (at most 100), nothing written.
 */
int compare_import_run(struct op_ctx *op, const Pmif__ComparatorImportRequest *in,
                       Pmif__ComparatorImportReply **out);

/** The kind word of a figure ("council" for an empty one), or NULL when
 *  @p s is not one of council, national, regional. */
const char *compare_kind_word(const char *s);

#endif
