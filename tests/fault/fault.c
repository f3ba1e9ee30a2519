/*
 * fault.c - an LD_PRELOAD shim for tests: makes write, pwrite, writev,
 * pwritev, fsync, fdatasync and msync fail for files under one directory.
 *
 * Environment:
 *   PMIF_FAULT_DIR      fail only calls on files under this directory
 *                       (msync, which has no file, always counts)
 *   PMIF_FAULT_ERRNO    EIO (default) or ENOSPC
 *   PMIF_FAULT_AT       the first matching call that fails, 1-based
 *                       (default 1)
 *   PMIF_FAULT_COUNT    how many matching calls fail from there: a window;
 *                       0 = every one after (default 1)
 *   PMIF_FAULT_CONTROL  if set, calls count (and fail) only while this
 *                       file exists; removing it clears the fault
 *   PMIF_FAULT_DELAY_MS if set, nothing fails: each matching fsync,
 *                       fdatasync and msync is made this much slower
 *                       instead (a slow disk: requests stay in flight)
 *
 * Built by CMake for the tests only; never installed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const char *dir, *control;
static size_t dir_len;
static int fault_errno = EIO;
static unsigned long at = 1, count = 1, calls, delay_ms;

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static ssize_t (*real_pwritev)(int, const struct iovec *, int, off_t);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_msync)(void *, size_t, int);

static void init(void)
{
	const char *e;

	real_write = (ssize_t(*)(int, const void *, size_t))dlsym(RTLD_NEXT, "write");
	real_pwrite = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite");
	real_pwrite64 = (ssize_t(*)(int, const void *, size_t, off_t))dlsym(RTLD_NEXT, "pwrite64");
	real_writev = (ssize_t(*)(int, const struct iovec *, int))dlsym(RTLD_NEXT, "writev");
	real_pwritev =
	    (ssize_t(*)(int, const struct iovec *, int, off_t))dlsym(RTLD_NEXT, "pwritev");
	real_fsync = (int (*)(int))dlsym(RTLD_NEXT, "fsync");
	real_fdatasync = (int (*)(int))dlsym(RTLD_NEXT, "fdatasync");
	real_msync = (int (*)(void *, size_t, int))dlsym(RTLD_NEXT, "msync");
	dir = getenv("PMIF_FAULT_DIR");
	dir_len = dir ? strlen(dir) : 0;
	control = getenv("PMIF_FAULT_CONTROL");
	e = getenv("PMIF_FAULT_ERRNO");
	if (e && strcmp(e, "ENOSPC") == 0)
		fault_errno = ENOSPC;
	if ((e = getenv("PMIF_FAULT_AT")) != NULL)
		at = strtoul(e, NULL, 10);
	if ((e = getenv("PMIF_FAULT_COUNT")) != NULL)
		count = strtoul(e, NULL, 10);
	if ((e = getenv("PMIF_FAULT_DELAY_MS")) != NULL)
		delay_ms = strtoul(e, NULL, 10);
}

/* Whether this call on @p fd (-1: msync) must fail; sets errno if so.
 * With PMIF_FAULT_DELAY_MS a matching sync (@p sync) is slowed instead. */
static int fault_call(int fd, int sync)
{
	char link[64], path[4096];
	struct stat st;
	ssize_t n;
	int fail = 0;
	int saved = errno;

	pthread_once(&once, init);
	if (dir == NULL || dir_len == 0)
		return 0;
	if (fd >= 0) {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, path, sizeof(path) - 1);
		if (n <= 0)
			return 0;
		path[n] = '\0';
		if (strncmp(path, dir, dir_len) != 0 || (path[dir_len] != '/' && path[dir_len]))
			return 0;
	}
	if (control && stat(control, &st) != 0) {
		errno = saved;
		return 0;
	}
	if (delay_ms) {
		struct timespec ts = {.tv_sec = (time_t)(delay_ms / 1000),
		                      .tv_nsec = (long)(delay_ms % 1000) * 1000000L};

		if (sync) {
			static const char msg[] = "pmif-fault: delaying a sync\n";
			if (real_write)
				(void)!real_write(2, msg, sizeof(msg) - 1);
			nanosleep(&ts, NULL);
		}
		errno = saved;
		return 0;
	}
	pthread_mutex_lock(&lock);
	calls++;
	if (calls >= at && (count == 0 || calls < at + count))
		fail = 1;
	pthread_mutex_unlock(&lock);
	errno = fail ? fault_errno : saved;
	if (fail) {
		static const char msg[] = "pmif-fault: failing a call\n";
		if (real_write)
			(void)!real_write(2, msg, sizeof(msg) - 1);
	}
	return fail;
}

static int fault(int fd)
{
	return fault_call(fd, 0);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	if (fault(fd))
		return -1;
	return real_write(fd, buf, len);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	if (fault(fd))
		return -1;
	return real_pwrite(fd, buf, len, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t len, off_t off)
{
	if (fault(fd))
		return -1;
	return real_pwrite64(fd, buf, len, off);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	if (fault(fd))
		return -1;
	return real_writev(fd, iov, n);
}

ssize_t pwritev(int fd, const struct iovec *iov, int n, off_t off)
{
	if (fault(fd))
		return -1;
	return real_pwritev(fd, iov, n, off);
}

int fsync(int fd)
{
	if (fault_call(fd, 1))
		return -1;
	return real_fsync(fd);
}

int fdatasync(int fd)
{
	if (fault_call(fd, 1))
		return -1;
	return real_fdatasync(fd);
}

int msync(void *addr, size_t len, int flags)
{
	if (fault_call(-1, 1))
		return -1;
	return real_msync(addr, len, flags);
}
