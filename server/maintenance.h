/*
 * maintenance.h - housekeeping the server does once a minute on the writer:
 * drop sessions past their lifetime and request-id records older than a
 * day (a resend arrives within seconds; a day is generous).  Each run looks
 * at a bounded number of records, resuming where the last run stopped, so
 * it never holds up writes for long however large the store grows.
 */
#ifndef PMIF_MAINTENANCE_H
#define PMIF_MAINTENANCE_H

#include <lmdb.h>

struct server;

#define MAINTENANCE_INTERVAL   60
#define MAINTENANCE_BATCH      20000
#define REQUEST_RECORD_SECONDS (24 * 3600)

/** A writer job (writer_fn): @p arg is the struct server. */
int maintenance_job(void *arg, MDB_txn *txn);

#endif
