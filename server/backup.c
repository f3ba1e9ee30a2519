/*
 * backup.c - hot backups written under a temp name, checked, then renamed
 * into place; and restore into a data directory that is not being served
 * (see backup.h for the layout and the contract).
 *
 * Every failure a user can cause or fix is turned into one sentence here,
 * naming the path involved; the command line (cmd_backup.c) prints it.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "backup.h"
#include "error.h"
#include "store.h"

#define COPY_CHUNK ((size_t)1 << 20)

/* Write one sentence into why and return rc. */
static int say(int rc, char *why, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int say(int rc, char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, cap, fmt, ap);
	va_end(ap);
	return rc;
}

/* The sentence for a failed file operation in the directory @p where, the
 * errno @p err, after @p doing ("cannot back up to 'X'"). */
static int io_fail(int err, const char *doing, const char *where, char *why, size_t cap)
{
	switch (err) {
	case ENOENT:
	case ENOTDIR:
		return say(PMIF_ENOTFOUND, why, cap, "%s: there is no directory '%s'", doing,
		           where);
	case EACCES:
	case EPERM:
	case EROFS:
		return say(PMIF_EPERM, why, cap, "%s: no permission to write in '%s'", doing,
		           where);
	case ENOSPC:
	case EDQUOT:
		return say(PMIF_EDISKFULL, why, cap,
		           "%s: the disk holding '%s' is full (nothing was left behind)", doing,
		           where);
	default:
		return say(PMIF_EIO, why, cap, "%s: writing in '%s' failed: %s", doing, where,
		           strerror(err));
	}
}

static int join(char *buf, size_t cap, const char *a, const char *b)
{
	return (size_t)snprintf(buf, cap, "%s/%s", a, b) < cap ? 0 : PMIF_EINVAL;
}

/* @p path without trailing slashes, into buf. */
static int strip_slashes(const char *path, char *buf, size_t cap)
{
	size_t n;

	if ((size_t)snprintf(buf, cap, "%s", path) >= cap)
		return PMIF_EINVAL;
	n = strlen(buf);
	while (n > 1 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return 0;
}

/* The directory that holds @p path ("." for a bare name). */
static void parent_of(const char *path, char *buf, size_t cap)
{
	char *slash;

	strip_slashes(path, buf, cap);
	slash = strrchr(buf, '/');
	if (slash == NULL)
		snprintf(buf, cap, ".");
	else if (slash == buf)
		buf[1] = '\0';
	else
		*slash = '\0';
}

static int fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* A backup directory holds data.mdb and at most LMDB's lock.mdb (left by
 * someone who opened it with 'pmifd check'); nothing else. */
static int is_backup_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int has_data = 0, other = 0;

	if (d == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, "lock.mdb") == 0)
			continue;
		if (strcmp(e->d_name, "data.mdb") == 0)
			has_data = 1;
		else
			other = 1;
	}
	closedir(d);
	return has_data && !other;
}

/* Remove a backup directory (its data.mdb, lock.mdb, itself); quiet. */
static void remove_backup_dir(const char *dir)
{
	char p[PATH_MAX];

	if (join(p, sizeof(p), dir, "data.mdb") == 0)
		unlink(p);
	if (join(p, sizeof(p), dir, "lock.mdb") == 0)
		unlink(p);
	rmdir(dir);
}

static int count(struct store *s, MDB_txn *txn, enum store_db db, uint64_t *out)
{
	MDB_stat st;

	if (mdb_stat(txn, s->dbi[db], &st) != 0)
		return PMIF_ESTORE;
	*out = st.ms_entries;
	return 0;
}

/* backup_verify() for the file @p file, named @p label in sentences. */
static int verify_copy(const char *file, const char *label, struct backup_summary *out, char *why,
                       size_t cap)
{
	struct backup_summary sum = {0};
	struct audit_report rep = {0};
	struct store *c = NULL;
	MDB_txn *txn = NULL;
	struct stat st;
	int rc = store_open_copy(file, &c);

	if (rc == PMIF_ENOTFOUND)
		return say(rc, why, cap, "no such backup '%s'", label);
	if (rc == PMIF_EINVAL)
		return say(rc, why, cap, "'%s' is not a PMIF backup (not a PMIF store)", label);
	if (rc == PMIF_ESTATE)
		return say(rc, why, cap,
		           "'%s' is a store of another schema than this pmifd's (%d): use the "
		           "pmifd that made it",
		           label, STORE_SCHEMA_VERSION);
	if (rc != 0)
		return say(rc, why, cap, "cannot open '%s' as a store: %s", label,
		           pmif_strerror(rc));
	rc = store_read_begin(c, &txn);
	if (rc == 0 && store_check_records(c, txn, NULL) != 0)
		rc = say(PMIF_ESTORE, why, cap, "'%s' has damaged records: it cannot be used",
		         label);
	else if (rc == 0 && audit_verify(c, txn, &rep) != 0)
		rc = say(PMIF_ESTORE, why, cap, "the audit trail in '%s' cannot be read", label);
	else if (rc == 0 && rep.first_bad)
		rc = say(PMIF_ESTORE, why, cap,
		         "the audit chain in '%s' is broken at entry %llu: %s", label,
		         (unsigned long long)rep.first_bad, rep.why);
	if (rc == 0)
		rc = count(c, txn, STORE_VALUES, &sum.values);
	if (rc == 0)
		rc = count(c, txn, STORE_VALUE_HISTORY, &sum.revisions);
	if (rc == 0)
		rc = count(c, txn, STORE_USERS, &sum.users);
	if (rc == 0 && stat(file, &st) == 0)
		sum.bytes = (uint64_t)st.st_size;
	if (rc != 0 && why[0] == '\0')
		say(rc, why, cap, "cannot read '%s': %s", label, pmif_strerror(rc));
	if (txn)
		mdb_txn_abort(txn);
	store_close(c);
	if (rc != 0)
		return rc;
	sum.audit_entries = rep.entries;
	*out = sum;
	return 0;
}

int backup_verify(const char *file, struct backup_summary *out, char *why, size_t cap)
{
	why[0] = '\0';
	return verify_copy(file, file, out, why, cap);
}

/* Rename the checked copy @p tmp to @p to: never over anything, unless
 * @p replace, when the old backup is swapped out and removed. */
static int put_in_place(const char *tmp, const char *to, int replace, char *why, size_t cap)
{
	char old[PATH_MAX];
	struct stat st;

	if (replace && lstat(to, &st) == 0) {
		if (renameat2(AT_FDCWD, tmp, AT_FDCWD, to, RENAME_EXCHANGE) == 0) {
			remove_backup_dir(tmp);
			return 0;
		}
		/* no atomic exchange on this file system: old one aside first */
		if ((size_t)snprintf(old, sizeof(old), "%s.old-%ld", to, (long)getpid()) >=
		        sizeof(old) ||
		    rename(to, old) != 0)
			return say(PMIF_EIO, why, cap, "cannot replace '%s': %s", to,
			           strerror(errno));
		if (rename(tmp, to) != 0) {
			int err = errno;
			rename(old, to);
			return say(PMIF_EIO, why, cap, "cannot replace '%s': %s", to,
			           strerror(err));
		}
		remove_backup_dir(old);
		return 0;
	}
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if ((errno == EINVAL || errno == ENOSYS) && lstat(to, &st) != 0 && errno == ENOENT &&
	    rename(tmp, to) == 0)
		return 0;
	if (errno == EEXIST || errno == ENOTEMPTY)
		return say(PMIF_EEXIST, why, cap,
		           "'%s' appeared while the backup was taken: nothing was replaced", to);
	return say(PMIF_EIO, why, cap, "cannot rename the backup to '%s': %s", to, strerror(errno));
}

int backup_take(struct store *s, const char *path, int replace, struct backup_summary *out,
                char *why, size_t cap)
{
	char to[PATH_MAX], parent[PATH_MAX], tmp[PATH_MAX], file[PATH_MAX];
	char doing[PATH_MAX + 32];
	struct stat st;
	int fd = -1, rc;

	why[0] = '\0';
	if (strip_slashes(path, to, sizeof(to)) != 0)
		return say(PMIF_EINVAL, why, cap, "the path '%s' is too long", path);
	parent_of(to, parent, sizeof(parent));
	snprintf(doing, sizeof(doing), "cannot back up to '%s'", to);
	if (lstat(to, &st) == 0) {
		if (!replace)
			return say(PMIF_EEXIST, why, cap,
			           "'%s' already exists: back up to a new path, or give --replace "
			           "to replace that backup",
			           to);
		if (!S_ISDIR(st.st_mode) || !is_backup_dir(to))
			return say(PMIF_EEXIST, why, cap,
			           "'%s' is not a PMIF backup (a directory holding only data.mdb): "
			           "it was left as it is",
			           to);
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.partial-%ld", to, (long)getpid()) >=
	        sizeof(tmp) ||
	    join(file, sizeof(file), tmp, "data.mdb") != 0)
		return say(PMIF_EINVAL, why, cap, "the path '%s' is too long", to);
	if (mkdir(tmp, 0700) != 0)
		return io_fail(errno, doing, parent, why, cap);
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = io_fail(errno, doing, parent, why, cap);
		goto fail;
	}
	rc = store_backup(s, fd);
	if (rc == PMIF_EDISKFULL)
		rc = io_fail(ENOSPC, doing, parent, why, cap);
	else if (rc != 0)
		rc =
		    say(rc, why, cap, "%s: copying the store failed: %s", doing, pmif_strerror(rc));
	if (rc == 0 && fsync(fd) != 0)
		rc = io_fail(errno, doing, parent, why, cap);
	if (close(fd) != 0 && rc == 0)
		rc = io_fail(errno, doing, parent, why, cap);
	fd = -1;
	if (rc == 0 && fsync_path(tmp) != 0)
		rc = io_fail(errno, doing, parent, why, cap);
	if (rc == 0) {
		rc = verify_copy(file, to, out, why, cap);
		if (rc != 0) {
			char first[512];
			snprintf(first, sizeof(first), "%s", why);
			say(rc, why, cap, "%s: the copy failed its check (%s)", doing, first);
		}
	}
	if (rc == 0)
		rc = put_in_place(tmp, to, replace, why, cap);
	if (rc != 0)
		goto fail;
	fsync_path(parent);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	remove_backup_dir(tmp);
	return rc;
}

/* Take DIR/serve.lock as 'pmifd serve' does (cmd_serve.c), so no server
 * starts on DIR while it is restored; *fd keeps the lock. */
static int lock_serve(const char *dir, int *fd, char *why, size_t cap)
{
	char p[PATH_MAX];

	if (join(p, sizeof(p), dir, "serve.lock") != 0)
		return say(PMIF_EINVAL, why, cap, "the path '%s' is too long", dir);
	*fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0)
		return io_fail(errno, "cannot restore", dir, why, cap);
	if (flock(*fd, LOCK_EX | LOCK_NB) != 0)
		return say(PMIF_EBUSY, why, cap,
		           "a pmifd is serving '%s': stop it first (systemctl stop pmifd), then "
		           "restore",
		           dir);
	return 0;
}

/* Make sure no process has DIR's LMDB environment open: each one holds a
 * shared fcntl lock on byte 0 of lock.mdb, so taking it exclusively
 * (what LMDB's first opener tries) says nobody does.  *fd keeps it until
 * lock.mdb is removed; -1 when there is no lock.mdb. */
static int lock_lmdb(const char *dir, int *fd, char *why, size_t cap)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
	char p[PATH_MAX];

	if (join(p, sizeof(p), dir, "lock.mdb") != 0)
		return PMIF_EINVAL;
	*fd = open(p, O_RDWR | O_CLOEXEC);
	if (*fd < 0)
		return errno == ENOENT ? 0 : io_fail(errno, "cannot restore", dir, why, cap);
	if (fcntl(*fd, F_SETLK, &fl) != 0)
		return say(PMIF_EBUSY, why, cap,
		           "the store in '%s' is open in another process (a pmifd backup or "
		           "check?): let it finish, then restore",
		           dir);
	return 0;
}

/* Copy @p src to the new file @p dst (0600) and sync it. */
static int copy_file(const char *src, const char *dst, const char *dir, char *why, size_t cap)
{
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, rc = 0, plain = 0;
	char *buf = NULL;
	ssize_t n;

	if (in < 0)
		return say(PMIF_EIO, why, cap, "cannot read the backup '%s': %s", src,
		           strerror(errno));
	out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		rc = io_fail(errno, "cannot restore", dir, why, cap);
		goto out;
	}
	for (;;) {
		if (!plain) {
			n = copy_file_range(in, NULL, out, NULL, COPY_CHUNK * 64, 0);
			if (n < 0 && (errno == EXDEV || errno == ENOSYS || errno == EINVAL ||
			              errno == EOPNOTSUPP)) {
				plain = 1;
				continue;
			}
		} else {
			if (buf == NULL && (buf = malloc(COPY_CHUNK)) == NULL) {
				rc = say(PMIF_ENOMEM, why, cap, "out of memory copying '%s'", src);
				goto out;
			}
			n = read(in, buf, COPY_CHUNK);
			if (n > 0 && write(out, buf, (size_t)n) != n) {
				n = -1;
				if (errno == 0)
					errno = ENOSPC;
			}
		}
		if (n == 0)
			break;
		if (n < 0 && errno != EINTR) {
			rc = io_fail(errno, "cannot restore", dir, why, cap);
			goto out;
		}
	}
	if (fsync(out) != 0)
		rc = io_fail(errno, "cannot restore", dir, why, cap);
out:
	free(buf);
	if (out >= 0 && close(out) != 0 && rc == 0)
		rc = io_fail(errno, "cannot restore", dir, why, cap);
	close(in);
	return rc;
}

/* The data.mdb of the backup @p from (a backup directory or the file). */
static int backup_source(const char *from, char *src, size_t cap_src, char *why, size_t cap)
{
	struct stat st;

	if (stat(from, &st) != 0)
		return say(PMIF_ENOTFOUND, why, cap, "no such backup '%s'", from);
	if (!S_ISDIR(st.st_mode)) {
		snprintf(src, cap_src, "%s", from);
		return 0;
	}
	if (join(src, cap_src, from, "data.mdb") != 0)
		return say(PMIF_EINVAL, why, cap, "the path '%s' is too long", from);
	if (access(src, F_OK) != 0)
		return say(PMIF_EINVAL, why, cap, "'%s' is not a PMIF backup: it holds no data.mdb",
		           from);
	return 0;
}

/* Keep DIR/data.mdb as DIR/data.mdb.before-restore-DATE (a hard link: the
 * live name is then replaced in one rename). */
static int keep_aside(const char *live, char *aside, size_t aside_cap, char *why, size_t cap)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	aside[0] = '\0';
	if (access(live, F_OK) != 0)
		return 0;
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	/* a second restore within the second gets -2, -3, ... */
	for (int n = 1; n < 100; n++) {
		int len =
		    n == 1 ? snprintf(aside, aside_cap, "%s.before-restore-%s", live, stamp)
		           : snprintf(aside, aside_cap, "%s.before-restore-%s-%d", live, stamp, n);
		if (len < 0 || (size_t)len >= aside_cap)
			return say(PMIF_EINVAL, why, cap, "the path '%s' is too long", live);
		rc = link(live, aside);
		if (rc == 0 || errno != EEXIST)
			break;
	}
	if (rc != 0) {
		rc = say(PMIF_EIO, why, cap, "cannot keep the current store aside as '%s': %s",
		         aside, strerror(errno));
		aside[0] = '\0';
		return rc;
	}
	return 0;
}

int backup_restore(const char *from, const char *dir, struct backup_summary *out, char *aside,
                   size_t aside_cap, char *why, size_t cap)
{
	char src[PATH_MAX], tmp[PATH_MAX], live[PATH_MAX], p[PATH_MAX];
	int serve_fd = -1, lmdb_fd = -1, made_tmp = 0, rc;
	struct stat st;

	why[0] = '\0';
	aside[0] = '\0';
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return say(PMIF_ENOTFOUND, why, cap, "no such data directory '%s'", dir);
	if (join(p, sizeof(p), dir, "server.key") != 0 || access(p, F_OK) != 0)
		return say(PMIF_ENOTFOUND, why, cap,
		           "'%s' has no server.key: put the server's key there first (backups do "
		           "not hold it; see docs/OPERATIONS.md)",
		           dir);
	rc = lock_serve(dir, &serve_fd, why, cap);
	if (rc == 0)
		rc = lock_lmdb(dir, &lmdb_fd, why, cap);
	if (rc == 0)
		rc = backup_source(from, src, sizeof(src), why, cap);
	if (rc == 0 && ((size_t)snprintf(tmp, sizeof(tmp), "%s/data.mdb.restoring-%ld", dir,
	                                 (long)getpid()) >= sizeof(tmp) ||
	                join(live, sizeof(live), dir, "data.mdb") != 0))
		rc = say(PMIF_EINVAL, why, cap, "the path '%s' is too long", dir);
	if (rc == 0) {
		made_tmp = 1;
		rc = copy_file(src, tmp, dir, why, cap);
	}
	/* check the copy that will be used, not only the backup it came from */
	if (rc == 0)
		rc = verify_copy(tmp, from, out, why, cap);
	if (rc == 0)
		rc = keep_aside(live, aside, aside_cap, why, cap);
	if (rc == 0 && rename(tmp, live) != 0) {
		rc = say(PMIF_EIO, why, cap, "cannot put the restored store in place as '%s': %s",
		         live, strerror(errno));
		if (aside[0])
			unlink(aside);
		aside[0] = '\0';
	}
	if (rc == 0) {
		made_tmp = 0;
		/* the reader table of the old store means nothing to the new one */
		if (join(p, sizeof(p), dir, "lock.mdb") == 0)
			unlink(p);
		fsync_path(dir);
	}
	if (made_tmp)
		unlink(tmp);
	if (lmdb_fd >= 0)
		close(lmdb_fd);
	if (serve_fd >= 0)
		close(serve_fd);
	return rc;
}
