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

/** From now on buffer info lines and write them out every 100 ms from a
 *  thread of the log's own (errors still go at once); 0 or -1. */
int log_start(void);
/** Write out what is buffered and stop that thread; safe if not started. */
void log_stop(void);

#endif
