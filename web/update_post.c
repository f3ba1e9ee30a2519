/*
 * update_post.c - the directorate's POSTs: a value (with its keying-error
 * check), commentary, intervention progress, a risk reassessment.  Each is
 * one call to pmifd on the user's channel, which decides; pmif-web only
 * shows the outcome: saved (303 back to the form with "Saved ..."),
 * refused (422, the form again with the user's input and pmifd's sentence
 * next to the field), warned (409, the warnings and a button to confirm),
 * or not allowed (403, pmifd's sentence).  Nothing is saved on error:
 * the value is checked (ValueImportCheck, which changes nothing) before
 * it is set.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "update.h"
#include "values.pb-c.h"

/* Which input pmifd's sentence is about: it names the field first
 * ("note: ...", "value: ..."), else @p fallback. */
static const char *field_of(const char *message, const char *fallback)
{
	static const char *const fields[] = {"value",    "numerator",  "denominator", "note",
	                                     "locality", "status",     "text",        "likelihood",
	                                     "impact",   "mitigation", "commentary"};

	for (size_t i = 0; message && i < sizeof(fields) / sizeof(fields[0]); i++) {
		size_t n = strlen(fields[i]);
		if (strncmp(message, fields[i], n) == 0 && (message[n] == ':' || message[n] == ' '))
			return strcmp(fields[i], "commentary") == 0 ? "text" : fields[i];
	}
	return fallback;
}

/* After pmifd said no: the form again (422), or a page saying why. */
static void refused(struct req *r, const char *period, struct entry_outcome *o,
                    const struct call_result *res, const char *fallback_field)
{
	unsigned status = web_status_for(res);

	if (status != 422 && status != 404) {
		answer_call_failed(r, res);
		return;
	}
	o->error = res->message[0] ? res->message : "The change was refused.";
	o->error_field = field_of(o->error, fallback_field);
	r->status = 422;
	update_render(r, period, o);
}

static void saved(struct req *r, const char *period, const char *kind, const char *id)
{
	char p[96], i[240], form_id[160];

	web_urlenc_buf(p, sizeof(p), period);
	web_urlenc_buf(i, sizeof(i), id);
	update_form_id(form_id, sizeof(form_id), kind, id);
	answer_redirect(r, "/update?period=%s&saved=%s#%s", p, i, form_id);
}

/* A CSV field, quoted. */
static void csv_field(FILE *f, const char *s, bool last)
{
	fputc('"', f);
	for (; s && *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputs(last ? "\"\n" : "\",", f);
}

/* "line 2: text" -> "text": the check numbers lines of a one-line file. */
static const char *unlined(const char *s)
{
	if (s && strncmp(s, "line ", 5) == 0) {
		const char *p = s + 5;
		while (isdigit((unsigned char)*p))
			p++;
		if (p[0] == ':' && p[1] == ' ')
			return p + 2;
	}
	return s;
}

/* An import's refusal is "FILE was refused ...: N problems" and then a
 * line per problem, "  line 2: note: ...": keep the first problem alone,
 * in place, since the form has one line. */
static void first_problem(char *message)
{
	char *nl = strchr(message, '\n'), *p, *end;

	if (nl == NULL)
		return;
	for (p = nl + 1; *p == ' '; p++)
		;
	p = (char *)unlined(p);
	if ((end = strchr(p, '\n')) != NULL)
		*end = '\0';
	memmove(message, p, strlen(p) + 1);
}

/*
 * Ask pmifd to check the value as one line of an import (nothing is
 * changed).  Returns 0 when it may be saved, 1 when the outcome has been
 * answered (refused or warned), or -1 when the check itself was not
 * allowed (the set is then asked, for its own refusal).
 */
static int check_value(struct req *r, const char *period, struct entry_outcome *o)
{
	Pmif__ValueImportRequest in = PMIF__VALUE_IMPORT_REQUEST__INIT;
	Pmif__ValueImportReply *out = NULL;
	struct call_result res;
	char *csv = NULL, *warnings[16];
	size_t len = 0, n_warn = 0;
	FILE *f = open_memstream(&csv, &len);
	const char *loc = req_arg(r, "locality");
	int rc;

	if (f == NULL)
		return -1;
	fputs("measure,period,locality,value,numerator,denominator,note\n", f);
	csv_field(f, req_arg(r, "measure"), false);
	csv_field(f, period, false);
	csv_field(f, loc ? loc : "borough", false);
	csv_field(f, req_arg(r, "value"), false);
	csv_field(f, req_arg(r, "numerator"), false);
	csv_field(f, req_arg(r, "denominator"), false);
	csv_field(f, req_arg(r, "note"), true);
	fclose(f);
	in.csv.data = (uint8_t *)csv;
	in.csv.len = len;
	in.dry_run = true;
	in.file_name = "the form";
	rc = web_call(r, "ValueImportCheck", &in.base, (ProtobufCMessage **)&out, &res);
	free(csv);
	if (rc != 0) {
		rc = res.code == PMIF__CODE__PERMISSION_DENIED ? -1 : 1;
		if (rc == 1) {
			first_problem(res.message);
			refused(r, period, o, &res, "value");
		}
		call_result_release(&res);
		return rc;
	}
	if (out->n_problems || out->problem_count) {
		struct call_result why = {.code = PMIF__CODE__INVALID_ARGUMENT};
		snprintf(why.message, sizeof(why.message), "%s",
		         out->n_problems ? unlined(out->problems[0]->message)
		                         : "The value was refused.");
		refused(r, period, o, &why, "value");
		rc = 1;
	} else if (!req_arg(r, "confirm")) {
		for (size_t i = 0; i < out->n_warnings && n_warn < 16; i++)
			warnings[n_warn++] = (char *)unlined(out->warnings[i]);
		for (size_t i = 0; i < res.n_warnings && n_warn < 16; i++)
			warnings[n_warn++] = (char *)unlined(res.warnings[i]);
		if (n_warn) {
			o->warnings = warnings;
			o->n_warnings = n_warn;
			r->status = 409;
			update_render(r, period, o);
			o->warnings = NULL;
			rc = 1;
		}
	}
	protobuf_c_message_free_unpacked(&out->base, NULL);
	call_result_release(&res);
	return rc;
}

/* A number from the form; NaN when it is not one (pmifd then says why). */
static double number(const char *s, bool *given)
{
	char *end;
	double v;

	*given = s != NULL;
	if (s == NULL)
		return __builtin_nan("");
	v = strtod(s, &end);
	return *end == '\0' ? v : __builtin_nan("");
}

void page_update_value(struct req *r)
{
	Pmif__ValueSetRequest in = PMIF__VALUE_SET_REQUEST__INIT;
	Pmif__ValueSetReply *out = NULL;
	struct call_result res;
	struct entry_outcome o = {{0}};
	const char *measure = req_arg(r, "measure"), *period = req_arg(r, "period");
	const char *loc = req_arg(r, "locality"), *note = req_arg(r, "note");
	bool has_v, has_n, has_d;

	period = period ? period : "";
	update_form_id(o.form_id, sizeof(o.form_id), "value", measure);
	if (check_value(r, period, &o) == 1)
		return;
	in.measure = (char *)(measure ? measure : "");
	in.period = (char *)period;
	in.locality = (char *)(loc && strcmp(loc, "borough") != 0 ? loc : "");
	in.value = number(req_arg(r, "value"), &has_v);
	in.numerator = number(req_arg(r, "numerator"), &has_n);
	in.denominator = number(req_arg(r, "denominator"), &has_d);
	in.has_fraction = has_n || has_d;
	(void)has_v;
	in.note = (char *)(note ? note : "");
	if (web_call(r, "ValueSet", &in.base, (ProtobufCMessage **)&out, &res) == 0) {
		saved(r, period, "value", in.measure);
		protobuf_c_message_free_unpacked(&out->base, NULL);
	} else {
		refused(r, period, &o, &res, "value");
	}
	call_result_release(&res);
}

void page_update_commentary(struct req *r)
{
	Pmif__CommentarySetRequest in = PMIF__COMMENTARY_SET_REQUEST__INIT;
	Pmif__CommentaryRecord *out = NULL;
	struct call_result res;
	struct entry_outcome o = {{0}};
	const char *obj = req_arg(r, "objective"), *period = req_arg(r, "period");
	const char *text = req_arg(r, "text");

	in.objective = (char *)(obj ? obj : "");
	in.period = (char *)(period ? period : "");
	in.text = (char *)(text ? text : "");
	update_form_id(o.form_id, sizeof(o.form_id), "commentary", in.objective);
	if (web_call(r, "CommentarySet", &in.base, (ProtobufCMessage **)&out, &res) == 0) {
		saved(r, in.period, "commentary", in.objective);
		protobuf_c_message_free_unpacked(&out->base, NULL);
	} else {
		refused(r, in.period, &o, &res, "text");
	}
	call_result_release(&res);
}

void page_update_intervention(struct req *r)
{
	Pmif__InterventionUpdateRequest in = PMIF__INTERVENTION_UPDATE_REQUEST__INIT;
	Pmif__InterventionUpdateRecord *out = NULL;
	struct call_result res;
	struct entry_outcome o = {{0}};
	const char *id = req_arg(r, "intervention"), *period = req_arg(r, "period");
	const char *status = req_arg(r, "status"), *text = req_arg(r, "text");

	in.intervention = (char *)(id ? id : "");
	in.period = (char *)(period ? period : "");
	in.status = (char *)(status ? status : "");
	in.text = (char *)(text ? text : "");
	update_form_id(o.form_id, sizeof(o.form_id), "intervention", in.intervention);
	if (web_call(r, "InterventionUpdate", &in.base, (ProtobufCMessage **)&out, &res) == 0) {
		saved(r, in.period, "intervention", in.intervention);
		protobuf_c_message_free_unpacked(&out->base, NULL);
	} else {
		refused(r, in.period, &o, &res, "text");
	}
	call_result_release(&res);
}

/* A 1-5 score from the form; 0 when it is not a whole number (pmifd says why). */
static uint32_t score(const char *s)
{
	char *end;
	unsigned long v = s ? strtoul(s, &end, 10) : 0;

	return s && *end == '\0' && v <= 1000 ? (uint32_t)v : 0;
}

void page_update_risk(struct req *r)
{
	Pmif__RiskUpdateRequest in = PMIF__RISK_UPDATE_REQUEST__INIT;
	Pmif__RiskView *out = NULL;
	struct call_result res;
	struct entry_outcome o = {{0}};
	const char *id = req_arg(r, "risk"), *period = req_arg(r, "period");
	const char *mitigation = req_arg(r, "mitigation");

	in.id = (char *)(id ? id : "");
	in.period = (char *)(period ? period : "");
	in.likelihood = score(req_arg(r, "likelihood"));
	in.impact = score(req_arg(r, "impact"));
	in.mitigation = (char *)(mitigation ? mitigation : "");
	in.title = "";
	update_form_id(o.form_id, sizeof(o.form_id), "risk", in.id);
	if (web_call(r, "RiskUpdate", &in.base, (ProtobufCMessage **)&out, &res) == 0) {
		saved(r, in.period, "risk", in.id);
		protobuf_c_message_free_unpacked(&out->base, NULL);
	} else {
		refused(r, in.period, &o, &res, "likelihood");
	}
	call_result_release(&res);
}
