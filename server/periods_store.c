/*
 * periods_store.c - the period records (db "periods", keyed by
 * pmif_period_key() big-endian so a year's seven periods sit together in
 * order): parse, get, put, list by year, and the periods a framework's
 * years need (see periods_store.h).
 *
 * Periods are made by loading a framework (every year, half and quarter
 * from its first_year to its last_year, locked); the RPCs that open, lock
 * and unlock them are in rpc_periods.c.
 */
#include <string.h>

#include "error.h"
#include "periods_store.h"
#include "server.h"
#include "store.h"

static void period_key(const struct pmif_period *p, uint8_t key[4])
{
	uint32_t k = pmif_period_key(p);

	key[0] = (uint8_t)(k >> 24);
	key[1] = (uint8_t)(k >> 16);
	key[2] = (uint8_t)(k >> 8);
	key[3] = (uint8_t)k;
}

int periods_parse(struct op_ctx *op, const char *text, struct pmif_period *out)
{
	char msg[PMIF_PERIOD_MSGLEN];

	if (pmif_period_parse(text, out, msg, sizeof(msg)) != 0)
		return op_fail(op, PMIF__CODE__INVALID_ARGUMENT, "%s", msg);
	return 0;
}

int periods_get(struct op_ctx *op, const char *text, Pmif__Period **out)
{
	struct pmif_period p;
	uint8_t key[4];
	int rc;

	if (periods_parse(op, text, &p) != 0)
		return op->code;
	period_key(&p, key);
	rc = store_get_pb(op->store, op->txn, STORE_PERIODS, key, 4, &pmif__period__descriptor,
	                  &op->arena->pb, (ProtobufCMessage **)out);
	if (rc == PMIF_ENOTFOUND)
		return op_fail(op, PMIF__CODE__NOT_FOUND,
		               "there is no period %s: periods run from the framework's first_year "
		               "to its last_year ('pmif admin period list'); to add years, extend "
		               "last_year and load the framework again",
		               text);
	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the period store could not be read");
	return 0;
}

int periods_put(struct op_ctx *op, const struct pmif_period *p, const Pmif__Period *rec)
{
	uint8_t key[4];

	period_key(p, key);
	if (store_put_pb(op->store, op->txn, STORE_PERIODS, key, 4, &rec->base) != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the period could not be saved");
	return 0;
}

int periods_list(struct op_ctx *op, const struct pmif_period *year, Pmif__Period__State want,
                 Pmif__Period ***out, size_t *n_out)
{
	struct pmif_period from = {0};
	Pmif__Period **list;
	size_t n = 0, cap = 64;
	MDB_cursor *cur;
	MDB_val k, v;
	uint8_t key[4];
	int mrc;

	if (year)
		from = *year;
	list = ARENA_ARRAY(op->arena, Pmif__Period *, cap);
	if (list == NULL)
		return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
	if (mdb_cursor_open(op->txn, op->store->dbi[STORE_PERIODS], &cur) != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the period store could not be read");
	period_key(&from, key); /* 0 when no year: from the start */
	k.mv_size = 4;
	k.mv_data = key;
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
	     mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const uint8_t *kb = k.mv_data;
		Pmif__Period *p;

		/* the key's top 16 bits are the year */
		if (from.kind && (k.mv_size != 4 || ((unsigned)kb[0] << 8 | kb[1]) != from.year))
			break;
		p = pmif__period__unpack(&op->arena->pb, v.mv_size, v.mv_data);
		if (p == NULL || (want && p->state != want))
			continue;
		if (n == cap) {
			Pmif__Period **grown =
			    arena_regrow(op->arena, list, n, cap * 2, sizeof(*grown));
			if (grown == NULL)
				break;
			list = grown;
			cap *= 2;
		}
		list[n++] = p;
	}
	mdb_cursor_close(cur);
	*out = list;
	*n_out = n;
	return 0;
}

int periods_ensure(struct op_ctx *op, const struct pmif_period *first,
                   const struct pmif_period *last, uint32_t *added)
{
	static const struct {
		uint8_t kind, index;
	} each[] = {{PMIF_PERIOD_YEAR, 0},    {PMIF_PERIOD_HALF, 1},    {PMIF_PERIOD_HALF, 2},
	            {PMIF_PERIOD_QUARTER, 1}, {PMIF_PERIOD_QUARTER, 2}, {PMIF_PERIOD_QUARTER, 3},
	            {PMIF_PERIOD_QUARTER, 4}};
	struct store *s = op->store;

	*added = 0;
	for (unsigned y = first->year; y <= last->year; y++)
		for (size_t i = 0; i < sizeof(each) / sizeof(each[0]); i++) {
			struct pmif_period p = {
			    .year = (uint16_t)y, .kind = each[i].kind, .index = each[i].index};
			Pmif__Period rec = PMIF__PERIOD__INIT;
			char id[PMIF_PERIOD_STRLEN];
			uint8_t key[4];
			MDB_val k = {4, key}, v;
			int rc;

			period_key(&p, key);
			rc = mdb_get(op->txn, s->dbi[STORE_PERIODS], &k, &v);
			if (rc == 0)
				continue; /* an existing period keeps its state */
			if (rc != MDB_NOTFOUND)
				return op_fail(op, PMIF__CODE__INTERNAL,
				               "the period store could not be read");
			pmif_period_format(&p, id);
			rec.id = id;
			rec.state = PMIF__PERIOD__STATE__LOCKED;
			rec.changed_unix = op->now;
			rec.changed_by = (char *)(op->actor.name ? op->actor.name : "");
			if (store_put_pb(s, op->txn, STORE_PERIODS, key, 4, &rec.base) != 0)
				return op_fail(op, PMIF__CODE__INTERNAL,
				               "the period store could not be written");
			(*added)++;
		}
	return 0;
}
