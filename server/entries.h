/*
 * entries.h - the rest of a quarter's update as records in the store:
 * commentary, intervention updates, risk assessments (each keyed
 * "subject NUL be32(period)", the values' layout, see store.h), risks and
 * case studies (keyed by their id) and resources ("subject NUL year").
 *
 * A record store: no rules and no sentences.  Every function works in
 * op->txn, unpacks into op->arena and returns 0, PMIF_ENOTFOUND (the get
 * and find ones) or another PMIF_E* code without touching op->code; the
 * handler says what went wrong.  Lists are arena arrays in key order;
 * records that do not decode are skipped ('pmifd check' names them).
 */
#ifndef PMIF_ENTRIES_H
#define PMIF_ENTRIES_H

#include <stddef.h>

#include "op.h"
#include "period.h"
#include "values.pb-c.h"

int commentary_find(struct op_ctx *op, const char *objective, const struct pmif_period *p,
                    Pmif__CommentaryRecord **out);
/** Store @p c as the commentary on c->objective for @p p (c->period). */
int commentary_put(struct op_ctx *op, const struct pmif_period *p, const Pmif__CommentaryRecord *c);

int intervention_update_find(struct op_ctx *op, const char *intervention,
                             const struct pmif_period *p, Pmif__InterventionUpdateRecord **out);
int intervention_update_put(struct op_ctx *op, const struct pmif_period *p,
                            const Pmif__InterventionUpdateRecord *u);
/** Every update of @p intervention (NULL: of every intervention). */
int intervention_updates_list(struct op_ctx *op, const char *intervention,
                              Pmif__InterventionUpdateRecord ***out, size_t *n);

int risk_get(struct op_ctx *op, const char *id, Pmif__RiskRecord **out);
int risk_put(struct op_ctx *op, const Pmif__RiskRecord *r);
int risks_list(struct op_ctx *op, Pmif__RiskRecord ***out, size_t *n);

int risk_assessment_find(struct op_ctx *op, const char *risk, const struct pmif_period *p,
                         Pmif__RiskAssessmentRecord **out);
/** The latest assessment of @p risk strictly before @p p (any kind). */
int risk_assessment_before(struct op_ctx *op, const char *risk, const struct pmif_period *p,
                           Pmif__RiskAssessmentRecord **out);
int risk_assessment_put(struct op_ctx *op, const struct pmif_period *p,
                        const Pmif__RiskAssessmentRecord *a);

int case_study_get(struct op_ctx *op, const char *id, Pmif__CaseStudyRecord **out);
int case_study_put(struct op_ctx *op, const Pmif__CaseStudyRecord *c);
int case_studies_list(struct op_ctx *op, Pmif__CaseStudyRecord ***out, size_t *n);

/** The budget and spend of @p subject (objective or intervention) in
 *  financial year @p year ("2024-25"). */
int resource_get(struct op_ctx *op, const char *subject, const char *year,
                 Pmif__ResourceRecord **out);
int resource_put(struct op_ctx *op, const Pmif__ResourceRecord *r);
/** Every resource of @p subject (NULL: of every subject), by year. */
int resources_list(struct op_ctx *op, const char *subject, Pmif__ResourceRecord ***out, size_t *n);

#endif
