/*
 * signoff.c - signing a period off (see signoff.h): what still awaits
 * sign-off before a lock, approving a directorate's or the whole period,
 * and the roll-up into the half-year and year the period completes.
 *
 * A period's values are found by walking each measure's keys in "values"
 * (measure NUL locality NUL be32(period), store.h) and keeping those whose
 * last four bytes are the period's key; only those are decoded, and only
 * their status, except for the ones about to be approved.  Every record to
 * approve is unpacked before the first write, because LMDB's pointers into
 * a write transaction's pages do not survive a put.
 */
#include <string.h>

#include "error.h"
#include "framework.h"
#include "measures.h"
#include "periods_store.h"
#include "server.h"
#include "signoff.h"
#include "values.h"

static int nomem(struct op_ctx *op)
{
	return op_fail(op, PMIF__CODE__RESOURCE_EXHAUSTED, "out of memory");
}

/* The current values of measure @p measure for @p p, every locality, as
 * points (status and the packed record, valid until the next write). */
static int period_points(struct op_ctx *op, const char *measure, const struct pmif_period *p,
                         struct value_point **out, size_t *n)
{
	uint8_t prefix[VALUES_KEY_MAX];
	size_t plen = values_key(prefix, measure, NULL, NULL), count = 0, cap = 0;
	uint32_t want = pmif_period_key(p);
	struct value_point *pts = NULL;
	MDB_cursor *cur;
	MDB_val k = {plen, prefix}, v;
	int rc;

	*out = NULL;
	*n = 0;
	if (plen == 0)
		return 0; /* an id too long for a key has no values */
	if (mdb_cursor_open(op->txn, op->store->dbi[STORE_VALUES], &cur) != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "the values could not be read");
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const uint8_t *kb = k.mv_data, *pk = kb + k.mv_size - 4;
		struct value_point pt;

		if (k.mv_size < plen || memcmp(kb, prefix, plen) != 0) {
			rc = MDB_NOTFOUND; /* past the measure's keys */
			break;
		}
		if (k.mv_size < plen + 5 || kb[k.mv_size - 5] != 0 ||
		    ((uint32_t)pk[0] << 24 | (uint32_t)pk[1] << 16 | (uint32_t)pk[2] << 8 |
		     pk[3]) != want)
			continue;
		if (values_decode_numbers(v.mv_data, v.mv_size, &pt) != 0)
			continue; /* 'pmifd check' names records that do not decode */
		pt.key = want;
		if (count == cap) {
			struct value_point *grown;

			cap = arena_next_cap(cap, 8);
			grown = arena_regrow(op->arena, pts, count, cap, sizeof(*grown));
			if (grown == NULL) {
				mdb_cursor_close(cur);
				return nomem(op);
			}
			pts = grown;
		}
		pts[count++] = pt;
	}
	mdb_cursor_close(cur);
	if (rc != MDB_NOTFOUND)
		return op_fail(op, PMIF__CODE__INTERNAL, "the values could not be read");
	*out = pts;
	*n = count;
	return 0;
}

/* Directorate @p id alone (NOT_FOUND if there is none), or every one. */
static int directorates(struct op_ctx *op, const char *id, ProtobufCMessage ***out, size_t *n)
{
	ProtobufCMessage **one;

	if (id == NULL)
		return fw_list(op, fw_kind(FW_DIRECTORATE), NULL, 0, true, out, n);
	if ((one = ARENA_ARRAY(op->arena, ProtobufCMessage *, 1)) == NULL)
		return nomem(op);
	if (fw_get(op, fw_kind(FW_DIRECTORATE), id, &one[0]) != 0)
		return op->code;
	*out = one;
	*n = 1;
	return 0;
}

/* The measures directorate @p id owns, retired ones with @p retired. */
static int owned(struct op_ctx *op, const char *id, bool retired, ProtobufCMessage ***out,
                 size_t *n)
{
	struct fw_filter f = {.kind = FW_DIRECTORATE, .id = id};

	return fw_list(op, fw_kind(FW_MEASURE), &f, 1, retired, out, n);
}

int signoff_pending(struct op_ctx *op, const struct pmif_period *p, struct signoff_count **out,
                    size_t *n, uint32_t *total)
{
	ProtobufCMessage **dirs, **ms;
	struct signoff_count *c;
	size_t nd, nm, np, count = 0;
	struct value_point *pts;
	uint32_t sum = 0;

	if (directorates(op, NULL, &dirs, &nd) != 0)
		return op->code;
	if ((c = ARENA_ARRAY(op->arena, struct signoff_count, nd + 1)) == NULL)
		return nomem(op);
	for (size_t i = 0; i < nd; i++) {
		const char *id = ((Pmif__Directorate *)dirs[i])->id;
		uint32_t here = 0;

		if (owned(op, id, true, &ms, &nm) != 0)
			return op->code;
		for (size_t j = 0; j < nm; j++) {
			if (period_points(op, ((Pmif__Measure *)ms[j])->id, p, &pts, &np) != 0)
				return op->code;
			for (size_t k = 0; k < np; k++)
				here += pts[k].status != PMIF__VALUE_STATUS__APPROVED;
		}
		if (here > 0)
			c[count++] = (struct signoff_count){.directorate = id, .count = here};
		sum += here;
	}
	*out = c;
	*n = count;
	*total = sum;
	return 0;
}

char *signoff_pending_text(struct op_ctx *op, const struct signoff_count *c, size_t n)
{
	char *t = arena_strdup(op->arena, "");

	for (size_t i = 0; t && i < n; i++)
		t = arena_printf(op->arena, "%s%s%s %u", t, i ? ", " : "", c[i].directorate,
		                 c[i].count);
	return t;
}

int signoff_approve_one(struct op_ctx *op, const Pmif__ValueRecord *v, Pmif__ValueApproveReply *r)
{
	Pmif__ValueRecord *a;

	if (v->status == PMIF__VALUE_STATUS__APPROVED) {
		r->already_approved++;
		return 0;
	}
	a = arena_memdup(op->arena, v, sizeof(*v));
	if (a == NULL)
		return nomem(op);
	a->status = PMIF__VALUE_STATUS__APPROVED;
	a->approved_by = (char *)op->actor.name;
	a->approved_unix = op->now;
	a->revision = v->revision + 1;
	if (values_put(op, a) != 0)
		return op->code;
	r->approved++;
	return 0;
}

/* Approve measure @p id's values for @p p. */
static int approve_measure(struct op_ctx *op, const char *id, const struct pmif_period *p,
                           Pmif__ValueApproveReply *r)
{
	struct value_point *pts;
	Pmif__ValueRecord **pending;
	size_t np, nt = 0;

	if (period_points(op, id, p, &pts, &np) != 0)
		return op->code;
	if ((pending = ARENA_ARRAY(op->arena, Pmif__ValueRecord *, np + 1)) == NULL)
		return nomem(op);
	for (size_t k = 0; k < np; k++) {
		if (pts[k].status == PMIF__VALUE_STATUS__APPROVED)
			r->already_approved++;
		else if (values_point_record(op, &pts[k], &pending[nt]) == 0)
			nt++;
		else
			return op_fail(op, PMIF__CODE__INTERNAL, "the values could not be read");
	}
	/* every record is unpacked: now the writes may move pages */
	for (size_t k = 0; k < nt; k++)
		if (signoff_approve_one(op, pending[k], r) != 0)
			return op->code;
	return 0;
}

/* ---------------------------------------------------------- roll-up */

static const char *frequency_word(enum pmif_period_kind kind)
{
	switch (kind) {
	case PMIF_PERIOD_YEAR: return "annual";
	case PMIF_PERIOD_HALF: return "six-monthly";
	default: return "quarterly";
	}
}

static int add_item(struct op_ctx *op, Pmif__SignoffPeriod *s, const Pmif__Measure *m,
                    const char *locality, const char *status)
{
	Pmif__SignoffItem *it = ARENA_NEW(op->arena, Pmif__SignoffItem);

	if (it == NULL)
		return nomem(op);
	pmif__signoff_item__init(it);
	it->measure = m->id;
	it->title = m->title;
	it->locality = (char *)locality;
	it->status = (char *)status;
	s->items[s->n_items++] = it;
	return 0;
}

/* What directorate @p dir's measures reported for @p p have: @p locs are
 * the borough then each active strategic locality, as in the
 * completeness report. */
static int rollup_one(struct op_ctx *op, const char *dir, const struct pmif_period *p, char **locs,
                      size_t nl, Pmif__SignoffPeriod **out)
{
	Pmif__SignoffPeriod *s = ARENA_NEW(op->arena, Pmif__SignoffPeriod);
	char name[PMIF_PERIOD_STRLEN];
	ProtobufCMessage **ms;
	Pmif__Period *rec;
	size_t nm, cap = 0;

	if (s == NULL)
		return nomem(op);
	pmif__signoff_period__init(s);
	pmif_period_format(p, name);
	if (periods_get(op, name, &rec) != 0 || owned(op, dir, false, &ms, &nm) != 0)
		return op->code;
	s->period = rec->id;
	s->directorate = (char *)dir;
	s->frequency = (char *)frequency_word((enum pmif_period_kind)p->kind);
	s->state = rec->state == PMIF__PERIOD__STATE__OPEN ? "open" : "locked";
	for (size_t i = 0; i < nm; i++) {
		const Pmif__Measure *m = (const Pmif__Measure *)ms[i];
		if (measures_period_kind(m) == (enum pmif_period_kind)p->kind)
			cap += m->by_locality ? nl : 1;
	}
	if ((s->items = ARENA_ARRAY(op->arena, Pmif__SignoffItem *, cap + 1)) == NULL)
		return nomem(op);
	for (size_t i = 0; i < nm; i++) {
		const Pmif__Measure *m = (const Pmif__Measure *)ms[i];

		if (measures_period_kind(m) != (enum pmif_period_kind)p->kind)
			continue;
		s->measures++;
		for (size_t k = 0; k < (m->by_locality ? nl : 1); k++) {
			Pmif__ValueRecord *v = NULL;
			int rc = values_find(op, m->id, locs[k], p, &v);

			s->expected++;
			if (rc != 0 && rc != PMIF_ENOTFOUND)
				return op_fail(op, PMIF__CODE__INTERNAL,
				               "the values could not be read");
			if (rc == PMIF_ENOTFOUND) {
				s->missing++;
				rc = add_item(op, s, m, locs[k], "missing");
			} else if (v->status == PMIF__VALUE_STATUS__APPROVED) {
				s->approved++;
			} else {
				s->submitted++;
				rc = add_item(op, s, m, locs[k], "awaiting sign-off");
			}
			if (rc != 0)
				return rc;
		}
	}
	*out = s;
	return 0;
}

/* The borough, then every active locality but the borough. */
static int localities(struct op_ctx *op, char ***out, size_t *n)
{
	ProtobufCMessage **recs;
	size_t nr, count = 0;
	char **locs;

	if (fw_list(op, fw_kind(FW_LOCALITY), NULL, 0, false, &recs, &nr) != 0)
		return op->code;
	if ((locs = ARENA_ARRAY(op->arena, char *, nr + 1)) == NULL)
		return nomem(op);
	locs[count++] = VALUES_BOROUGH;
	for (size_t i = 0; i < nr; i++) {
		char *id = ((Pmif__Locality *)recs[i])->id;
		if (strcmp(id, VALUES_BOROUGH) != 0)
			locs[count++] = id;
	}
	*out = locs;
	*n = count;
	return 0;
}

/* r->completes and r->signoff for @p dirs after approving @p p. */
static int rollup(struct op_ctx *op, ProtobufCMessage **dirs, size_t nd,
                  const struct pmif_period *p, Pmif__ValueApproveReply *r)
{
	struct pmif_period each[3];
	char **locs = NULL;
	size_t nup, nl = 0;

	if (pmif_period_completes(p, each + 1, &nup) != 0)
		return op_fail(op, PMIF__CODE__INTERNAL, "a bad period reached the roll-up");
	if (nup == 0)
		return 0;
	each[0] = *p;
	r->completes = ARENA_ARRAY(op->arena, char *, nup);
	r->signoff = ARENA_ARRAY(op->arena, Pmif__SignoffPeriod *, nd * (nup + 1));
	if (r->completes == NULL || r->signoff == NULL)
		return nomem(op);
	for (size_t i = 0; i < nup; i++) {
		char name[PMIF_PERIOD_STRLEN];

		pmif_period_format(&each[i + 1], name);
		if ((r->completes[r->n_completes++] = arena_strdup(op->arena, name)) == NULL)
			return nomem(op);
	}
	if (localities(op, &locs, &nl) != 0)
		return op->code;
	for (size_t d = 0; d < nd; d++) {
		const Pmif__Directorate *dir = (const Pmif__Directorate *)dirs[d];

		if (dir->retired)
			continue; /* owes nothing any more */
		for (size_t i = 0; i <= nup; i++)
			if (rollup_one(op, dir->id, &each[i], locs, nl,
			               &r->signoff[r->n_signoff++]) != 0)
				return op->code;
	}
	return 0;
}

int signoff_approve(struct op_ctx *op, const char *directorate, const struct pmif_period *p,
                    Pmif__ValueApproveReply *r)
{
	ProtobufCMessage **dirs, **ms;
	size_t nd, nm;

	if (directorates(op, directorate, &dirs, &nd) != 0)
		return op->code;
	for (size_t d = 0; d < nd; d++) {
		if (owned(op, ((Pmif__Directorate *)dirs[d])->id, true, &ms, &nm) != 0)
			return op->code;
		for (size_t i = 0; i < nm; i++)
			if (approve_measure(op, ((Pmif__Measure *)ms[i])->id, p, r) != 0)
				return op->code;
	}
	return rollup(op, dirs, nd, p, r);
}
