/*
 * commands.h - the command families, one file each; main.c puts their
 * tables together.
 */
#ifndef PMIF_COMMANDS_H
#define PMIF_COMMANDS_H

#include <stddef.h>

#include "cli.h"
#include "conn.h"

extern const struct cli_command session_commands[];
extern const size_t n_session_commands;
extern const struct cli_command admin_user_commands[];
extern const size_t n_admin_user_commands;
extern const struct cli_command framework_commands[];
extern const size_t n_framework_commands;
extern const struct cli_command admin_framework_commands[];
extern const size_t n_admin_framework_commands;
extern const struct cli_command period_commands[];
extern const size_t n_period_commands;
extern const struct cli_command report_commands[];
extern const size_t n_report_commands;
extern const struct cli_command value_commands[];
extern const size_t n_value_commands;
extern const struct cli_command entry_commands[];
extern const size_t n_entry_commands;
extern const struct cli_command action_commands[];
extern const size_t n_action_commands;
extern const struct cli_command plan_commands[];
extern const size_t n_plan_commands;
extern const struct cli_command comparator_commands[];
extern const size_t n_comparator_commands;

/**
 * Open a connection, make one call, print errors, close.  On success *out
 * holds the reply (caller frees with protobuf_c_message_free_unpacked) and
 * 0 is returned; otherwise the exit code.
 */
int call_once(struct cli_global *g, const char *method, const ProtobufCMessage *in,
              ProtobufCMessage **out);

/** Print @p msg as JSON on stdout (for --json). */
void print_json(const ProtobufCMessage *msg);

/** Format a unix time as "2026-11-23 14:05 UTC" ("never" for 0). */
const char *fmt_time(unsigned long long t, char *buf, size_t cap);

/** Role name as users type it. */
const char *role_text(Pmif__Role r);

/** The whole of @p path ("-": standard input), malloc'd, into *len; NULL
 *  with errno set on failure (EFBIG past about @p max bytes). */
char *read_file(const char *path, size_t max, size_t *len);

#endif
