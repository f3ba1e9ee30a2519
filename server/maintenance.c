/*
 * maintenance.c - prune expired sessions and old request records (see
 * maintenance.h).  Runs only on the writer thread.
 */
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "error.h"
#include "log.h"
#include "maintenance.h"
#include "server.h"
#include "store.h"
#include "store.pb-c.h"

/* Where each database's scan stopped last time (writer thread only). */
struct maintenance {
	unsigned char resume_key[STORE_NDB][512];
	size_t resume_len[STORE_NDB];
};

int maintenance_new(struct maintenance **out)
{
	struct maintenance *m = calloc(1, sizeof(*m));

	if (m == NULL)
		return PMIF_ENOMEM;
	*out = m;
	return 0;
}

void maintenance_free(struct maintenance *m)
{
	free(m);
}

typedef int (*expired_fn)(struct server *srv, const MDB_val *v, uint64_t now);

static int session_expired(struct server *srv, const MDB_val *v, uint64_t now)
{
	Pmif__SessionRecord *s = pmif__session_record__unpack(NULL, v->mv_size, v->mv_data);
	int old;

	if (s == NULL)
		return 1; /* unreadable: of no use to anyone */
	old = now > s->last_used_unix + atomic_load(&srv->session_idle) ||
	      now > s->created_unix + atomic_load(&srv->session_absolute);
	pmif__session_record__free_unpacked(s, NULL);
	return old;
}

static int request_expired(struct server *srv, const MDB_val *v, uint64_t now)
{
	Pmif__RequestRecord *r = pmif__request_record__unpack(NULL, v->mv_size, v->mv_data);
	int old;

	(void)srv;
	if (r == NULL)
		return 1;
	old = now > r->time_unix + REQUEST_RECORD_SECONDS;
	pmif__request_record__free_unpacked(r, NULL);
	return old;
}

/* Scan up to MAINTENANCE_BATCH records of @p db from where the last scan
 * stopped, deleting the expired ones. */
static int prune(struct server *srv, MDB_txn *txn, enum store_db db, expired_fn expired,
                 uint64_t now, unsigned *deleted)
{
	struct maintenance *m = srv->maintenance;
	MDB_cursor *cur;
	MDB_val k, v;
	unsigned seen = 0;
	int rc = mdb_cursor_open(txn, srv->store->dbi[db], &cur), op;

	if (rc != 0)
		return store_error(rc);
	k.mv_size = m->resume_len[db];
	k.mv_data = m->resume_key[db];
	op = m->resume_len[db] ? MDB_SET_RANGE : MDB_FIRST;
	for (rc = mdb_cursor_get(cur, &k, &v, op); rc == 0 && seen < MAINTENANCE_BATCH;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT), seen++) {
		if (expired(srv, &v, now)) {
			rc = mdb_cursor_del(cur, 0);
			if (rc != 0)
				break;
			(*deleted)++;
		}
	}
	if (rc == 0 && k.mv_size <= sizeof(m->resume_key[db])) {
		memcpy(m->resume_key[db], k.mv_data, k.mv_size); /* continue here next time */
		m->resume_len[db] = k.mv_size;
	} else {
		m->resume_len[db] = 0; /* reached the end: start over next time */
	}
	mdb_cursor_close(cur);
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_error(rc);
}

int maintenance_job(void *arg, MDB_txn *txn)
{
	struct server *srv = arg;
	uint64_t now = clock_now();
	unsigned sessions = 0, requests = 0;
	int rc = prune(srv, txn, STORE_SESSIONS, session_expired, now, &sessions);

	if (rc == 0)
		rc = prune(srv, txn, STORE_REQUESTS, request_expired, now, &requests);
	if (rc == 0 && (sessions || requests))
		log_info("maintenance: dropped %u expired sessions and %u old request records",
		         sessions, requests);
	return rc;
}
