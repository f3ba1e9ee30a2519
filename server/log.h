/*
 * log.h - pmifd's log: one line per event on stderr (journald adds the
 * rest under systemd).  Never pass secrets: passwords, tokens, keys.
 */
#ifndef PMIF_LOG_H
#define PMIF_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/** Silence info lines (errors still print); for tools and tests. */
void log_set_quiet(int quiet);

#endif
