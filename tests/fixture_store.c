/*
 * fixture_store.c - scratch directories and stores for the unit tests
 * (see fixture_store.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include <ftw.h>

#include "fixture_store.h"
#include "store.h"

void fixture_dir_make(struct fixture_store *f, const char *name)
{
	int n = snprintf(f->dir, sizeof(f->dir), "/tmp/pmif-test-%s-XXXXXX", name);

	assert_true(n > 0 && (size_t)n < sizeof(f->dir));
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/store", f->dir);
	f->store = NULL;
}

void fixture_store_make(struct fixture_store *f, const char *name)
{
	fixture_dir_make(f, name);
	assert_int_equal(store_create(f->path, &f->store), 0);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void fixture_store_remove(struct fixture_store *f)
{
	store_close(f->store);
	f->store = NULL;
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
