/*
 * framework_view.h - how pmif shows framework records, shared by the
 * reading commands (cmd_framework.c) and the admin ones
 * (cmd_admin_framework.c).  Display only: every rule is the server's.
 */
#ifndef PMIF_FRAMEWORK_VIEW_H
#define PMIF_FRAMEWORK_VIEW_H

#include "cli.h"
#include "pmif.pb-c.h"

/** The record inside @p r, or NULL when it holds none. */
const ProtobufCMessage *fw_view_record(const Pmif__FrameworkRecord *r);

/** Every field of @p rec, one "label: value" line each (targets one line
 *  per year). */
void fw_view_print(const ProtobufCMessage *rec);

/** A table of @p r's records with the columns that suit @p kind. */
void fw_view_table(Pmif__FrameworkRecord__Kind kind, const Pmif__FrameworkListReply *r);

/** List @p kind with the filters --objective, --committee, --directorate
 *  and --all that @p a holds; prints a table or JSON.  An exit code. */
int fw_list_command(struct cli_global *g, struct cli_args *a, Pmif__FrameworkRecord__Kind kind);

/** "measure", "directorate", ... */
const char *fw_view_kind_name(Pmif__FrameworkRecord__Kind kind);

#endif
