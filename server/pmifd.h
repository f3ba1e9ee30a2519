/*
 * pmifd.h - the server's subcommands, one file each where they are long.
 */
#ifndef PMIF_PMIFD_H
#define PMIF_PMIFD_H

#include <stdarg.h>
#include <stddef.h>

/** Print @p fmt (if any) and the usage; returns the usage exit code 2. */
int pmifd_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/** Read a password from stdin or the terminal (see pmifd.c). */
int pmifd_read_password(int from_stdin, char *buf, size_t cap);

int pmifd_cmd_init(int argc, char **argv);
int pmifd_cmd_serve(int argc, char **argv);
int pmifd_cmd_backup(int argc, char **argv);
int pmifd_cmd_restore(int argc, char **argv);

#endif
