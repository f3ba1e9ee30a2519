/*
 * log.c - timestamped log lines (see log.h).
 *
 * Lines are written to stderr with one write(2) each, unless the server
 * has started the log thread (log_start): then info lines are appended to
 * a buffer that the thread writes out every LOG_FLUSH_MS or when it fills,
 * so a request's line costs a copy instead of a system call into the
 * filesystem (which cost 10-25 us a request, a fifth of a read's time).
 * An error line is written at once, after everything buffered before it.
 *
 * A line is one event: "TIME LEVEL WHAT key=value...", e.g.
 *   2026-11-23T07:10:18.120Z info rpc Login user=mia code=0 us=5130
 * Under systemd, when stderr is the journal (JOURNAL_STREAM names it), the
 * time is left to journald and the level goes as a syslog priority prefix
 * ("<6>info ..."), which journald takes off and records, so 'journalctl
 * -p err' finds the errors.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

#define LOG_FLUSH_MS 100
#define LOG_BUFFER   (64 * 1024)

static int quiet;
static pthread_once_t journal_once = PTHREAD_ONCE_INIT;
static bool to_journal;

static struct {
	pthread_mutex_t lock;
	pthread_cond_t wake; /* the buffer is half full, or stop */
	pthread_t thread;
	bool running, stopping;
	size_t used;
	char buf[LOG_BUFFER];
} async = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

/* Is stderr the journal's stream?  JOURNAL_STREAM is "DEVICE:INODE" of it
 * (systemd.exec(5)); a child that inherited the variable but not the
 * stream must still stamp its lines. */
static void detect_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	to_journal = js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
	             fstat(STDERR_FILENO, &st) == 0 && (unsigned long long)st.st_dev == dev &&
	             (unsigned long long)st.st_ino == ino;
}

void log_set_quiet(int q)
{
	quiet = q;
}

static void write_all(const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(STDERR_FILENO, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return; /* nowhere to log to: nothing better to do */
		p += w;
		n -= (size_t)w;
	}
}

/* Write out what is buffered; with async.lock held. */
static void flush_locked(void)
{
	write_all(async.buf, async.used);
	async.used = 0;
}

static void *log_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&async.lock);
	while (!async.stopping) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += LOG_FLUSH_MS * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&async.wake, &async.lock, &until);
		flush_locked();
	}
	flush_locked();
	pthread_mutex_unlock(&async.lock);
	return NULL;
}

int log_start(void)
{
	int rc;

	pthread_mutex_lock(&async.lock);
	async.stopping = false;
	rc = pthread_create(&async.thread, NULL, log_main, NULL);
	async.running = rc == 0;
	pthread_mutex_unlock(&async.lock);
	return rc == 0 ? 0 : -1;
}

void log_stop(void)
{
	pthread_mutex_lock(&async.lock);
	if (!async.running) {
		pthread_mutex_unlock(&async.lock);
		return;
	}
	async.stopping = true;
	pthread_cond_signal(&async.wake);
	pthread_mutex_unlock(&async.lock);
	pthread_join(async.thread, NULL);
	pthread_mutex_lock(&async.lock);
	async.running = false;
	pthread_mutex_unlock(&async.lock);
}

/* Hand one finished line (with its newline) to stderr. */
static void put_line(const char *line, size_t n, bool urgent)
{
	pthread_mutex_lock(&async.lock);
	if (!async.running) {
		pthread_mutex_unlock(&async.lock);
		write_all(line, n);
		return;
	}
	if (async.used + n > sizeof(async.buf))
		flush_locked();
	if (urgent || n > sizeof(async.buf)) {
		flush_locked();
		write_all(line, n);
	} else {
		memcpy(async.buf + async.used, line, n);
		async.used += n;
		if (async.used > sizeof(async.buf) / 2)
			pthread_cond_signal(&async.wake);
	}
	pthread_mutex_unlock(&async.lock);
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

/* "TIME LEVEL " (or "<PRIORITY>LEVEL " for the journal) into @p line. */
static int prefix(char *line, size_t cap, const char *level)
{
	struct timespec ts;

	pthread_once(&journal_once, detect_journal);
	if (to_journal)
		return snprintf(line, cap, "<%c>%s ", level[0] == 'e' ? '3' : '6', level);
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ts.tv_sec != stamp.sec) {
		struct tm tm;

		gmtime_r(&ts.tv_sec, &tm);
		strftime(stamp.text, sizeof(stamp.text), "%Y-%m-%dT%H:%M:%S", &tm);
		stamp.sec = ts.tv_sec;
	}
	return snprintf(line, cap, "%s.%03ldZ %s ", stamp.text, ts.tv_nsec / 1000000, level);
}

static void emit(const char *level, bool urgent, const char *fmt, va_list ap)
{
	char line[2048];
	size_t n;
	int m = prefix(line, sizeof(line), level);

	if (m < 0 || (size_t)m >= sizeof(line))
		return;
	n = (size_t)m;
	m = vsnprintf(line + n, sizeof(line) - n - 1, fmt, ap);
	if (m > 0)
		n += (size_t)m < sizeof(line) - n - 1 ? (size_t)m : sizeof(line) - n - 2;
	line[n++] = '\n';
	put_line(line, n, urgent);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	if (quiet)
		return;
	va_start(ap, fmt);
	emit("info", false, fmt, ap);
	va_end(ap);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("error", true, fmt, ap);
	va_end(ap);
}
