/*
 * actions_store.c - the committee action records in LMDB (see
 * actions_store.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "actions.h"
#include "actions_store.h"
#include "error.h"
#include "framework.h"
#include "server.h"
#include "store.h"

/* The number of id "A-12" (or "a-12", "12"): 1 and up, or 0 if it is not one. */
static uint32_t id_number(const char *id)
{
	unsigned long n;
	char *end;

	if (id == NULL)
		return 0;
	if ((id[0] == 'A' || id[0] == 'a') && id[1] == '-')
		id += 2;
	if (id[0] < '1' || id[0] > '9' || strlen(id) > 10)
		return 0;
	n = strtoul(id, &end, 10);
	return *end == '\0' && n <= UINT32_MAX ? (uint32_t)n : 0;
}

static void key_of(uint8_t key[4], uint32_t n)
{
	key[0] = (uint8_t)(n >> 24);
	key[1] = (uint8_t)(n >> 16);
	key[2] = (uint8_t)(n >> 8);
	key[3] = (uint8_t)n;
}

int actions_get(struct op_ctx *op, const char *id, Pmif__ActionRecord **out)
{
	uint32_t n = id_number(id);
	uint8_t key[4];
	int rc;

	if (n == 0)
		return op_fail(op, PMIF__CODE__INVALID_ARGUMENT,
		               "'%.40s' is not an action id: they look like A-12 ('pmif action "
		               "list' shows them)",
		               id ? id : "");
	key_of(key, n);
	rc = store_get_pb(op->store, op->txn, STORE_ACTIONS, key, sizeof(key),
	                  &pmif__action_record__descriptor, &op->arena->pb,
	                  (ProtobufCMessage **)out);
	if (rc == PMIF_ENOTFOUND)
		return op_fail(op, PMIF__CODE__NOT_FOUND,
		               "there is no action A-%u: 'pmif action list' shows them", n);
	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the committee actions could not be read");
	return 0;
}

int actions_next_id(struct op_ctx *op, char buf[ACTIONS_ID_MAX + 1])
{
	MDB_cursor *cur;
	MDB_val k, v;
	uint32_t last = 0;
	int rc = mdb_cursor_open(op->txn, op->store->dbi[STORE_ACTIONS], &cur);

	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the committee actions could not be read");
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == 0 && k.mv_size == 4) {
		const uint8_t *p = k.mv_data;
		last = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	}
	mdb_cursor_close(cur);
	if ((rc != 0 && rc != MDB_NOTFOUND) || last == UINT32_MAX)
		return op_fail(op, PMIF__CODE__INTERNAL, "the committee actions could not be read");
	snprintf(buf, ACTIONS_ID_MAX + 1, "A-%u", last + 1);
	return 0;
}

int actions_put(struct op_ctx *op, const Pmif__ActionRecord *a)
{
	uint32_t n = id_number(a->id);
	uint8_t key[4];

	if (n == 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the action could not be saved");
	key_of(key, n);
	if (store_put_pb(op->store, op->txn, STORE_ACTIONS, key, sizeof(key), &a->base) != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the action could not be saved");
	return 0;
}

int actions_all(struct op_ctx *op, Pmif__ActionRecord ***out, size_t *n)
{
	Pmif__ActionRecord **recs = NULL;
	size_t count = 0, cap = 0;
	MDB_cursor *cur;
	MDB_val k, v;
	int rc = mdb_cursor_open(op->txn, op->store->dbi[STORE_ACTIONS], &cur);

	if (rc != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the committee actions could not be read");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		Pmif__ActionRecord *a =
		    pmif__action_record__unpack(&op->arena->pb, v.mv_size, v.mv_data);

		if (a == NULL)
			continue;
		if (count == cap) {
			Pmif__ActionRecord **grown;

			cap = cap ? cap * 2 : 16;
			grown = ARENA_ARRAY(op->arena, Pmif__ActionRecord *, cap);
			if (grown == NULL) {
				mdb_cursor_close(cur);
				return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
			}
			if (count)
				memcpy(grown, recs, count * sizeof(*recs));
			recs = grown;
		}
		recs[count++] = a;
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND)
		return op_fail(op, PMIF__CODE__INTERNAL, "the committee actions could not be read");
	*out = recs;
	*n = count;
	return 0;
}

Pmif__ActionView *actions_view(struct op_ctx *op, Pmif__ActionRecord *a, int32_t today)
{
	Pmif__ActionView *v = ARENA_NEW(op->arena, Pmif__ActionView);
	char *label = arena_alloc(op->arena, ACTIONS_LABEL_LEN);
	ProtobufCMessage *rec;

	if (v == NULL || label == NULL)
		return NULL;
	pmif__action_view__init(v);
	v->action = a;
	v->status = (char *)actions_status_word(a->status);
	v->overdue = actions_overdue(a, today, &v->days_overdue);
	actions_due_label(a, today, label);
	v->due_label = label;
	v->committee_name = a->committee;
	v->directorate_name = a->directorate;
	if (fw_find(op, fw_kind(FW_COMMITTEE), a->committee, &rec) == 0)
		v->committee_name = ((Pmif__Committee *)rec)->name;
	if (fw_find(op, fw_kind(FW_DIRECTORATE), a->directorate, &rec) == 0)
		v->directorate_name = ((Pmif__Directorate *)rec)->name;
	return v;
}
