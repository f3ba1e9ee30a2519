/*
 * demo.h - the illustrative demo data for 'pmifd init --demo'.
 */
#ifndef PMIF_DEMO_H
#define PMIF_DEMO_H

#include <lmdb.h>

#include "arena.h"

struct store;

/** Load values.csv and narrative.json from @p dir into @p txn as @p admin
 *  (the framework must already be loaded).  Prints what it did. */
int demo_load(struct store *s, MDB_txn *txn, const char *admin, const char *dir, struct arena *a);

#endif
