/*
 * log.c - timestamped log lines (see log.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static int quiet;

void log_set_quiet(int q)
{
	quiet = q;
}

/*
 * Each thread keeps the text of the current second ("2026-11-23T07:10:18"),
 * so a line costs one clock read and one vsnprintf, not a gmtime_r and
 * two formats; the per-request line is on the hot path of every call.
 */
struct stamp {
	time_t sec;
	char text[24];
};
static __thread struct stamp stamp = {.sec = -1};

static void emit(const char *level, const char *fmt, va_list ap)
{
	char line[2048];
	struct timespec ts;
	size_t n;
	int m;

	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != stamp.sec) {
		struct tm tm;

		gmtime_r(&ts.tv_sec, &tm);
		strftime(stamp.text, sizeof(stamp.text), "%Y-%m-%dT%H:%M:%S", &tm);
		stamp.sec = ts.tv_sec;
	}
	m = snprintf(line, sizeof(line), "%s.%03ldZ %s ", stamp.text, ts.tv_nsec / 1000000, level);
	if (m < 0 || (size_t)m >= sizeof(line))
		return;
	n = (size_t)m;
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	if (m > 0)
		n += (size_t)m < sizeof(line) - n - 1 ? (size_t)m : sizeof(line) - n - 2;
	line[n++] = '\n';
	/* one write(2) per line: lines from different threads never interleave */
	while (write(STDERR_FILENO, line, n) < 0 && errno == EINTR)
		;
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	emit("info", fmt, ap);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("error", fmt, ap);
	va_end(ap);
}
