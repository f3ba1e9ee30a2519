/*
 * fixture_store.h - the unit tests' one way to get a scratch directory
 * under /tmp and, in it, a fresh store; and to remove both again.
 *
 * Failures are cmocka assertions: call these from a test or its setup.
 */
#ifndef PMIF_FIXTURE_STORE_H
#define PMIF_FIXTURE_STORE_H

struct store;

struct fixture_store {
	char dir[64];        /* /tmp/pmif-test-NAME-XXXXXX */
	char path[128];      /* DIR/store: where the store is (or goes) */
	struct store *store; /* NULL until fixture_store_make() */
};

/** Make a new directory for the test @p name (a short word); no store. */
void fixture_dir_make(struct fixture_store *f, const char *name);

/** fixture_dir_make(), then store_create() in f->path into f->store. */
void fixture_store_make(struct fixture_store *f, const char *name);

/** Close f->store (if any) and remove the directory and all in it. */
void fixture_store_remove(struct fixture_store *f);

#endif
