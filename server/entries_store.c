/*
 * entries_store.c - commentary, intervention updates, risks and their
 * assessments, case studies and resources in LMDB (see entries.h).
 */
#include <string.h>

#include <lmdb.h>

#include "entries.h"
#include "error.h"
#include "server.h"
#include "store.h"
#include "values.h"

/* The record of @p db under "a NUL [b NUL] [be32(p)]". */
static int get_keyed(struct op_ctx *op, enum store_db db, const ProtobufCMessageDescriptor *d,
                     const char *a, const char *b, const struct pmif_period *p, void *out)
{
	uint8_t key[VALUES_KEY_MAX];
	size_t n = values_key(key, a, b, p);

	if (n == 0)
		return PMIF_ENOTFOUND;
	return store_get_pb(op->store, op->txn, db, key, n, d, &op->arena->pb, out);
}

static int put_keyed(struct op_ctx *op, enum store_db db, const char *a, const char *b,
                     const struct pmif_period *p, const ProtobufCMessage *m)
{
	uint8_t key[VALUES_KEY_MAX];
	size_t n = values_key(key, a, b, p);

	if (n == 0)
		return PMIF_EINVAL;
	return store_put_pb(op->store, op->txn, db, key, n, m);
}

static int get_by_id(struct op_ctx *op, enum store_db db, const ProtobufCMessageDescriptor *d,
                     const char *id, void *out)
{
	return store_get_pb(op->store, op->txn, db, id, strlen(id), d, &op->arena->pb, out);
}

/* Every record of @p db, under the prefix "subject NUL" when @p subject
 * is not NULL. */
static int list(struct op_ctx *op, enum store_db db, const ProtobufCMessageDescriptor *d,
                const char *subject, void *out, size_t *n)
{
	uint8_t prefix[VALUES_KEY_MAX] = {0};
	size_t plen = subject ? values_key(prefix, subject, NULL, NULL) : 0;

	if (subject && plen == 0) {
		*(void **)out = NULL;
		*n = 0;
		return 0;
	}
	return values_scan(op, db, d, prefix, plen, out, n);
}

int commentary_find(struct op_ctx *op, const char *objective, const struct pmif_period *p,
                    Pmif__CommentaryRecord **out)
{
	return get_keyed(op, STORE_COMMENTARY, &pmif__commentary_record__descriptor, objective,
	                 NULL, p, out);
}

int commentary_put(struct op_ctx *op, const struct pmif_period *p, const Pmif__CommentaryRecord *c)
{
	return put_keyed(op, STORE_COMMENTARY, c->objective, NULL, p, &c->base);
}

int intervention_update_find(struct op_ctx *op, const char *intervention,
                             const struct pmif_period *p, Pmif__InterventionUpdateRecord **out)
{
	return get_keyed(op, STORE_INTERVENTION_UPDATES,
	                 &pmif__intervention_update_record__descriptor, intervention, NULL, p, out);
}

int intervention_update_put(struct op_ctx *op, const struct pmif_period *p,
                            const Pmif__InterventionUpdateRecord *u)
{
	return put_keyed(op, STORE_INTERVENTION_UPDATES, u->intervention, NULL, p, &u->base);
}

int intervention_updates_list(struct op_ctx *op, const char *intervention,
                              Pmif__InterventionUpdateRecord ***out, size_t *n)
{
	return list(op, STORE_INTERVENTION_UPDATES, &pmif__intervention_update_record__descriptor,
	            intervention, out, n);
}

int risk_get(struct op_ctx *op, const char *id, Pmif__RiskRecord **out)
{
	return get_by_id(op, STORE_RISKS, &pmif__risk_record__descriptor, id, out);
}

int risk_put(struct op_ctx *op, const Pmif__RiskRecord *r)
{
	return store_put_pb(op->store, op->txn, STORE_RISKS, r->id, strlen(r->id), &r->base);
}

int risks_list(struct op_ctx *op, Pmif__RiskRecord ***out, size_t *n)
{
	return list(op, STORE_RISKS, &pmif__risk_record__descriptor, NULL, out, n);
}

int risk_assessment_find(struct op_ctx *op, const char *risk, const struct pmif_period *p,
                         Pmif__RiskAssessmentRecord **out)
{
	return get_keyed(op, STORE_RISK_ASSESSMENTS, &pmif__risk_assessment_record__descriptor,
	                 risk, NULL, p, out);
}

int risk_assessment_put(struct op_ctx *op, const struct pmif_period *p,
                        const Pmif__RiskAssessmentRecord *a)
{
	return put_keyed(op, STORE_RISK_ASSESSMENTS, a->risk, NULL, p, &a->base);
}

int risk_assessment_before(struct op_ctx *op, const char *risk, const struct pmif_period *p,
                           Pmif__RiskAssessmentRecord **out)
{
	uint8_t key[VALUES_KEY_MAX];
	size_t plen = values_key(key, risk, NULL, NULL), n = values_key(key, risk, NULL, p);
	MDB_cursor *cur;
	MDB_val k = {n, key}, v;
	int rc;

	if (n == 0)
		return PMIF_ENOTFOUND;
	rc = mdb_cursor_open(op->txn, op->store->dbi[STORE_RISK_ASSESSMENTS], &cur);
	if (rc != 0)
		return store_error(rc);
	/* the first key at or after p, then one step back */
	rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	rc =
	    rc == 0 ? mdb_cursor_get(cur, &k, &v, MDB_PREV) : mdb_cursor_get(cur, &k, &v, MDB_LAST);
	if (rc == 0 && (k.mv_size != plen + 4 || memcmp(k.mv_data, key, plen) != 0))
		rc = MDB_NOTFOUND;
	if (rc == 0) {
		*out = pmif__risk_assessment_record__unpack(&op->arena->pb, v.mv_size, v.mv_data);
		if (*out == NULL)
			rc = MDB_NOTFOUND;
	}
	mdb_cursor_close(cur);
	return store_error(rc);
}

int case_study_get(struct op_ctx *op, const char *id, Pmif__CaseStudyRecord **out)
{
	return get_by_id(op, STORE_CASE_STUDIES, &pmif__case_study_record__descriptor, id, out);
}

int case_study_put(struct op_ctx *op, const Pmif__CaseStudyRecord *c)
{
	return store_put_pb(op->store, op->txn, STORE_CASE_STUDIES, c->id, strlen(c->id), &c->base);
}

int case_studies_list(struct op_ctx *op, Pmif__CaseStudyRecord ***out, size_t *n)
{
	return list(op, STORE_CASE_STUDIES, &pmif__case_study_record__descriptor, NULL, out, n);
}

int resource_get(struct op_ctx *op, const char *subject, const char *year,
                 Pmif__ResourceRecord **out)
{
	return get_keyed(op, STORE_RESOURCES, &pmif__resource_record__descriptor, subject, year,
	                 NULL, out);
}

int resource_put(struct op_ctx *op, const Pmif__ResourceRecord *r)
{
	return put_keyed(op, STORE_RESOURCES, r->subject, r->year, NULL, &r->base);
}

int resources_list(struct op_ctx *op, const char *subject, Pmif__ResourceRecord ***out, size_t *n)
{
	return list(op, STORE_RESOURCES, &pmif__resource_record__descriptor, subject, out, n);
}
