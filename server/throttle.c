/*
 * throttle.c - the login throttle (see throttle.h): a table of user names
 * with their recent failed checks, open addressing by name hash.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "throttle.h"

#define THROTTLE_PROBES 64
#define NAME_MAX_LEN    64

#define THROTTLE_MAGIC 0x504d4946544852ull /* "PMIFTHR" */

struct throttle_entry {
	char name[NAME_MAX_LEN];
	uint64_t checks[THROTTLE_CHECKS]; /* ring of check times */
	unsigned next;                    /* ring position */
	unsigned fails;                   /* consecutive failures */
	uint64_t not_before;
	uint64_t last;
};

/* DIR/throttle.map: a header, then the table, mapped shared. */
struct throttle_file {
	uint64_t magic;
	uint64_t slots;
	uint64_t entry_size;
	uint64_t reserved;
	struct throttle_entry table[THROTTLE_SLOTS];
};

struct throttle {
	atomic_uint window; /* seconds; a reload may change it */
	pthread_mutex_t lock;
	/* the table: mem until throttle_open() maps the file, then the file's */
	struct throttle_entry *table;
	struct throttle_file *map;
	struct throttle_entry mem[THROTTLE_SLOTS];
};

int throttle_new(unsigned window_seconds, struct throttle **out)
{
	struct throttle *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return PMIF_ENOMEM;
	atomic_init(&t->window, window_seconds ? window_seconds : 300);
	pthread_mutex_init(&t->lock, NULL);
	t->table = t->mem;
	*out = t;
	return 0;
}

void throttle_set_window(struct throttle *t, unsigned window_seconds)
{
	if (window_seconds)
		atomic_store(&t->window, window_seconds);
}

static uint32_t name_hash(const char *name)
{
	/* FNV-1a over the whole name */
	uint32_t h = 2166136261u;

	for (const char *p = name; *p; p++)
		h = (h ^ (uint8_t)*p) * 16777619u;
	return h;
}

/* An entry that no longer limits anyone may be given to another name. */
static bool stale(const struct throttle_entry *e, unsigned window, uint64_t now)
{
	return e->name[0] == '\0' || (e->last + window <= now && e->not_before <= now);
}

/*
 * The entry for @p name: its own, else a free or stale one near its hash.
 * An entry still limiting one name is never taken over by another, so a
 * guesser cannot clear a victim's delay by trying a colliding name.  NULL
 * when every nearby entry is busy: the caller then refuses (fails closed).
 */
static struct throttle_entry *entry_for(struct throttle *t, const char *name, uint64_t now)
{
	unsigned window = atomic_load(&t->window);
	uint32_t h = name_hash(name);
	struct throttle_entry *spare = NULL;

	for (unsigned i = 0; i < THROTTLE_PROBES; i++) {
		struct throttle_entry *e = &t->table[(h + i) % THROTTLE_SLOTS];

		if (e->name[0] && strncmp(e->name, name, NAME_MAX_LEN - 1) == 0)
			return e;
		if (spare == NULL && stale(e, window, now))
			spare = e;
	}
	if (spare) {
		memset(spare, 0, sizeof(*spare));
		strncpy(spare->name, name, NAME_MAX_LEN - 1);
	}
	return spare;
}

int throttle_open(struct throttle *t, const char *dir)
{
	char path[4096];
	struct throttle_file *f;
	struct stat st;
	int fd;

	if ((size_t)snprintf(path, sizeof path, "%s/throttle.map", dir) >= sizeof path)
		return PMIF_EINVAL;
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return PMIF_EIO;
	/* blocks allocated now, not when a page is first written: a full disk
	 * must fail here, not as SIGBUS on a store to the mapping later */
	if (fstat(fd, &st) != 0 || ((size_t)st.st_size != sizeof(*f) && ftruncate(fd, 0) != 0) ||
	    (errno = posix_fallocate(fd, 0, sizeof(*f))) != 0) {
		int e = errno;

		close(fd);
		errno = e; /* for the caller's log line */
		return PMIF_EIO;
	}
	f = mmap(NULL, sizeof(*f), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (f == MAP_FAILED)
		return PMIF_EIO;
	pthread_mutex_lock(&t->lock);
	if (f->magic != THROTTLE_MAGIC || f->slots != THROTTLE_SLOTS ||
	    f->entry_size != sizeof(struct throttle_entry)) {
		/* new, or written by another build: start from what is in memory */
		memcpy(f->table, t->table, sizeof(f->table));
		f->slots = THROTTLE_SLOTS;
		f->entry_size = sizeof(struct throttle_entry);
		f->magic = THROTTLE_MAGIC;
	}
	t->map = f;
	t->table = f->table;
	pthread_mutex_unlock(&t->lock);
	return 0;
}

void throttle_free(struct throttle *t)
{
	if (t == NULL)
		return;
	if (t->map) {
		msync(t->map, sizeof(*t->map), MS_SYNC);
		munmap(t->map, sizeof(*t->map));
	}
	pthread_mutex_destroy(&t->lock);
	free(t);
}

unsigned throttle_wait(struct throttle *t, const char *user, uint64_t now)
{
	struct throttle_entry *e;
	uint64_t wait = 0, oldest = UINT64_MAX;
	unsigned recent = 0, window = atomic_load(&t->window);

	pthread_mutex_lock(&t->lock);
	e = entry_for(t, user, now);
	if (e == NULL) {
		/* thousands of names under attack at once: slow everyone down */
		pthread_mutex_unlock(&t->lock);
		return 5;
	}
	if (e->not_before > now)
		wait = e->not_before - now;
	for (unsigned i = 0; i < THROTTLE_CHECKS; i++) {
		if (e->checks[i] && e->checks[i] + window > now) {
			recent++;
			if (e->checks[i] < oldest)
				oldest = e->checks[i];
		}
	}
	if (recent >= THROTTLE_CHECKS && oldest + window - now > wait)
		wait = oldest + window - now;
	pthread_mutex_unlock(&t->lock);
	return (unsigned)wait;
}

void throttle_record(struct throttle *t, const char *user, int ok, uint64_t now)
{
	struct throttle_entry *e;

	pthread_mutex_lock(&t->lock);
	e = entry_for(t, user, now);
	if (e == NULL) {
		pthread_mutex_unlock(&t->lock);
		return;
	}
	e->last = now;
	if (!ok) {
		/* only failures fill the window: a good login proves the password,
		 * so it must never be refused for "too many failed logins" */
		e->checks[e->next] = now;
		e->next = (e->next + 1) % THROTTLE_CHECKS;
	}
	if (ok) {
		e->fails = 0;
		e->not_before = 0;
	} else if (++e->fails >= 3) {
		unsigned shift = e->fails - 3 < 6 ? e->fails - 3 : 6;
		uint64_t delay = (uint64_t)1 << shift;
		e->not_before = now + (delay > 60 ? 60 : delay);
	}
	/* a crash leaves the kernel to write the page back; this covers a
	 * power cut soon after */
	if (t->map && !ok)
		msync(t->map, sizeof(*t->map), MS_ASYNC);
	pthread_mutex_unlock(&t->lock);
}
