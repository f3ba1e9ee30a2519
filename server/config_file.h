/*
 * config_file.h - read a 'key = value' file (pmifd.conf) with inih, and
 * say exactly where it is wrong.
 *
 * The format: one 'key = value' a line; lines starting with '#' or ';' are
 * comments, and so is the rest of a line after ' ;'.  There are no
 * sections.  A line holds at most 198 characters (inih's buffer in Debian).
 */
#ifndef PMIF_CONFIG_FILE_H
#define PMIF_CONFIG_FILE_H

#include <stddef.h>

/**
 * Called for each key in file order.  Return 0 to go on, or -1 after
 * writing into @p why (@p cap bytes) what is wrong with the key or value,
 * as a sentence fragment without the file and line ("unknown key 'x'").
 * @p key and @p value live only for the call: copy what you keep.
 */
typedef int (*config_file_fn)(void *arg, unsigned line, const char *key, const char *value,
                              char *why, size_t cap);

/**
 * Read @p path, calling @p fn(@p arg, ...) for each key.  Returns 0, or -1
 * with one sentence in @p err (@p cap bytes) that names the file and, for
 * a bad line, its number ("/etc/pmif/pmifd.conf line 3: unknown key
 * 'wrokers'"); reading stops at the first error.
 */
int config_file_read(const char *path, config_file_fn fn, void *arg, char *err, size_t cap);

#endif
