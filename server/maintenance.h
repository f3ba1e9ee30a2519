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
struct maintenance;

#define MAINTENANCE_INTERVAL   60
#define MAINTENANCE_BATCH      20000
#define REQUEST_RECORD_SECONDS (24 * 3600)

/** Where the scans are to resume, all at the start (a server run's own:
 *  srv->maintenance); *out is the caller's.  0 or PMIF_ENOMEM. */
int maintenance_new(struct maintenance **out);

/** Free; safe on NULL. */
void maintenance_free(struct maintenance *m);

/** A writer job (writer_fn): @p arg is the struct server, whose
 *  srv->maintenance says where to resume (only the writer touches it). */
int maintenance_job(void *arg, MDB_txn *txn);

#endif
