/*
 * comparators_store.c - comparator sets in LMDB (see comparators_store.h).
 */
#include <string.h>

#include <lmdb.h>

#include "comparators_store.h"
#include "error.h"
#include "server.h"
#include "store.h"
#include "values.h"

int comparators_get(struct op_ctx *op, const char *measure, const struct pmif_period *p,
                    Pmif__ComparatorSetRecord **out)
{
	uint8_t key[VALUES_KEY_MAX];
	size_t n = values_key(key, measure, NULL, p);
	int rc;

	if (n == 0)
		return PMIF_ENOTFOUND;
	rc = store_get_pb(op->store, op->txn, STORE_COMPARATORS, key, n,
	                  &pmif__comparator_set_record__descriptor, &op->arena->pb,
	                  (ProtobufCMessage **)out);
	if (rc != 0 && rc != PMIF_ENOTFOUND)
		return op_fail(op, PMIF__CODE__INTERNAL,
		               "the comparator set of %s cannot be read (%s): run 'pmifd check'",
		               measure, pmif_strerror(rc));
	return rc;
}

int comparators_put(struct op_ctx *op, const Pmif__ComparatorSetRecord *rec, bool *replaced)
{
	uint8_t key[VALUES_KEY_MAX];
	struct pmif_period p;
	MDB_val k, v;
	size_t n;
	int rc;

	if (pmif_period_parse(rec->period, &p, NULL, 0) != 0 ||
	    (n = values_key(key, rec->measure, NULL, &p)) == 0)
		return op_fail(op, PMIF__CODE__INTERNAL,
		               "a comparator set with a bad measure or period reached the store");
	k.mv_size = n;
	k.mv_data = key;
	rc = mdb_get(op->txn, op->store->dbi[STORE_COMPARATORS], &k, &v);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return op_fail(op, PMIF__CODE__INTERNAL, "the comparator sets cannot be read (%s)",
		               pmif_strerror(store_error(rc)));
	*replaced = rc == 0;
	rc = store_put_pb(op->store, op->txn, STORE_COMPARATORS, key, n, &rec->base);
	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL,
		               "the comparator set could not be saved (%s)", pmif_strerror(rc));
	return 0;
}

int comparators_list(struct op_ctx *op, const char *measure, Pmif__ComparatorSetRecord ***out,
                     size_t *n_out)
{
	Pmif__ComparatorSetRecord **list = NULL;
	size_t n = 0, cap = 0, plen = measure ? strlen(measure) + 1 : 0;
	MDB_cursor *cur;
	MDB_val k = {plen, (void *)measure}, v;
	int rc = mdb_cursor_open(op->txn, op->store->dbi[STORE_COMPARATORS], &cur);

	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the comparator sets cannot be read (%s)",
		               pmif_strerror(store_error(rc)));
	rc = mdb_cursor_get(cur, &k, &v, plen ? MDB_SET_RANGE : MDB_FIRST);
	for (; rc == 0; rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Pmif__ComparatorSetRecord *rec;

		if (plen && (k.mv_size < plen || memcmp(k.mv_data, measure, plen) != 0))
			break;
		rec = pmif__comparator_set_record__unpack(&op->arena->pb, v.mv_size, v.mv_data);
		if (rec == NULL)
			continue;
		if (n == cap) {
			size_t grown_cap = arena_next_cap(cap, 16);
			Pmif__ComparatorSetRecord **grown =
			    arena_regrow(op->arena, list, n, grown_cap, sizeof(*grown));
			if (grown == NULL)
				break;
			list = grown;
			cap = grown_cap;
		}
		list[n++] = rec;
	}
	mdb_cursor_close(cur);
	if (rc != 0 && rc != MDB_NOTFOUND && n == 0 && cap == 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the comparator sets cannot be read (%s)",
		               pmif_strerror(store_error(rc)));
	*out = list;
	*n_out = n;
	return 0;
}
