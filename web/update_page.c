/*
 * update_page.c - GET /update?period=P: one form for each thing the
 * user's directorates own for the period (each measure's value, each
 * objective's commentary, each intervention's progress, each risk's
 * reassessment).  What a directorate owns is what pmifd lists for it;
 * whether a change is allowed is pmifd's to say when it is saved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "update.h"
#include "values.pb-c.h"
#include "words.h"

void update_form_id(char *out, size_t cap, const char *kind, const char *id)
{
	size_t n = (size_t)snprintf(out, cap, "%s-", kind);

	for (const char *s = id ? id : ""; *s && n + 1 < cap; s++)
		out[n++] = ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		            (*s >= '0' && *s <= '9') || *s == '-' || *s == '_')
		               ? *s
		               : '_';
	out[n < cap ? n : cap - 1] = '\0';
}

/* Is @p o about the form @p form_id?  Then it shows the submitted values. */
static struct entry_outcome *mine(struct entry_outcome *o, const char *form_id)
{
	return o && strcmp(o->form_id, form_id) == 0 ? o : NULL;
}

/* A field's value: what was submitted to this form, else @p current. */
static const char *shown(struct req *r, struct entry_outcome *o, const char *name,
                         const char *current)
{
	const char *v = o ? req_arg(r, name) : NULL;

	return v ? v : o ? "" : current ? current : "";
}

/* The attributes of an input that the outcome's sentence is about. */
static void invalid_attrs(struct req *r, struct entry_outcome *o, const char *name,
                          const char *err_id)
{
	if (o && o->error && o->error_field && strcmp(o->error_field, name) == 0) {
		page_raw(r, " aria-invalid=\"true\" aria-describedby=\"");
		page_text(r, err_id);
		page_raw(r, "\"");
	}
}

/* One labelled text input. */
static void input(struct req *r, struct entry_outcome *o, const char *form_id, const char *name,
                  const char *label, const char *current, const char *err_id, const char *extra)
{
	page_raw(r, "<div class=\"field\"><label for=\"");
	page_text(r, form_id);
	page_rawf(r, "-%s\">%s</label><input id=\"", name, label);
	page_text(r, form_id);
	page_rawf(r, "-%s\" name=\"%s\"%s", name, name, extra ? extra : "");
	invalid_attrs(r, o, name, err_id);
	page_raw(r, " value=\"");
	page_text(r, shown(r, o, name, current));
	page_raw(r, "\"></div>\n");
}

static void textarea(struct req *r, struct entry_outcome *o, const char *form_id, const char *name,
                     const char *label, const char *current, const char *err_id)
{
	page_raw(r, "<div class=\"field wide\"><label for=\"");
	page_text(r, form_id);
	page_rawf(r, "-%s\">%s</label><textarea id=\"", name, label);
	page_text(r, form_id);
	page_rawf(r, "-%s\" name=\"%s\"", name, name);
	invalid_attrs(r, o, name, err_id);
	page_raw(r, ">");
	page_text(r, shown(r, o, name, current));
	page_raw(r, "</textarea></div>\n");
}

static void hidden(struct req *r, const char *name, const char *value)
{
	page_rawf(r, "<input type=\"hidden\" name=\"%s\" value=\"", name);
	page_text(r, value);
	page_raw(r, "\">");
}

/* Open a form: action, id, legend, the hidden csrf and period. */
static void form_open(struct req *r, const char *action, const char *form_id, const char *legend,
                      const char *period)
{
	char csrf[65];

	page_rawf(r, "<form method=\"post\" action=\"%s\" class=\"entry\" id=\"", action);
	page_text(r, form_id);
	page_raw(r, "\">\n<fieldset><legend>");
	page_text(r, legend);
	page_raw(r, "</legend>\n");
	req_session_csrf(r, csrf);
	page_csrf_field(r, csrf);
	hidden(r, "period", period);
	page_raw(r, "\n");
}

/* Close it: the outcome's sentence and warnings, then the buttons. */
static void form_close(struct req *r, struct entry_outcome *o, const char *err_id)
{
	page_raw(r, "</fieldset>\n");
	if (o)
		o->shown = true;
	if (o && o->error) {
		page_raw(r, "<p class=\"field-error\" role=\"alert\" id=\"");
		page_text(r, err_id);
		page_raw(r, "\">");
		page_text(r, o->error);
		page_raw(r, "</p>\n");
	}
	if (o && o->n_warnings) {
		page_raw(r, "<div class=\"warning\" role=\"alert\"><p><strong>Check before saving:"
		            "</strong> nothing has been saved yet.</p><ul>\n");
		for (size_t i = 0; i < o->n_warnings; i++) {
			page_raw(r, "<li>");
			page_text(r, o->warnings[i]);
			page_raw(r, "</li>\n");
		}
		page_raw(
		    r,
		    "</ul></div>\n<button name=\"confirm\" value=\"1\">Confirm and save</button> ");
	}
	page_raw(r, "<button>Save</button>\n</form>\n");
}

/* The localities, for the value forms of measures reported by locality. */
static Pmif__FrameworkListReply *localities(struct req *r)
{
	Pmif__FrameworkListRequest in = PMIF__FRAMEWORK_LIST_REQUEST__INIT;
	Pmif__FrameworkListReply *out = NULL;
	struct call_result res;

	in.kind = PMIF__FRAMEWORK_RECORD__KIND__LOCALITY;
	if (web_call(r, "FrameworkList", &in.base, (ProtobufCMessage **)&out, &res) != 0)
		out = NULL;
	call_result_release(&res);
	return out;
}

static void locality_field(struct req *r, struct entry_outcome *o, const char *form_id,
                           const Pmif__FrameworkListReply *locs, const char *err_id)
{
	const char *cur = shown(r, o, "locality", "");

	page_raw(r, "<div class=\"field\"><label for=\"");
	page_text(r, form_id);
	page_raw(r, "-locality\">Locality</label><select id=\"");
	page_text(r, form_id);
	page_raw(r, "-locality\" name=\"locality\"");
	invalid_attrs(r, o, "locality", err_id);
	page_raw(r, "><option value=\"\">Borough-wide</option>");
	for (size_t i = 0; locs && i < locs->n_records; i++) {
		const Pmif__Locality *l = WEB_RECORD(locs->records[i], LOCALITY, locality);
		if (l == NULL || l->retired || strcmp(l->id, "borough") == 0)
			continue;
		page_raw(r, "<option value=\"");
		page_text(r, l->id);
		page_raw(r, strcmp(cur, l->id) == 0 ? "\" selected>" : "\">");
		page_text(r, l->name && l->name[0] ? l->name : l->id);
		page_raw(r, "</option>");
	}
	page_raw(r, "</select></div>\n");
}

/* What is entered now for the measure in the period, one line per locality. */
static void value_now(struct req *r, const char *measure, const char *period)
{
	Pmif__ValueGetRequest in = PMIF__VALUE_GET_REQUEST__INIT;
	Pmif__ValueGetReply *out = NULL;
	struct call_result res;

	in.measure = (char *)measure;
	in.period = (char *)period;
	if (web_call(r, "ValueGet", &in.base, (ProtobufCMessage **)&out, &res) == 0) {
		page_raw(r, "<p class=\"now\">Entered now: ");
		for (size_t i = 0; i < out->n_values; i++) {
			const Pmif__ValueRecord *v = out->values[i]->value;
			if (v == NULL)
				continue;
			page_raw(r, i ? "; " : "");
			page_text(r, v->locality);
			page_rawf(r, " %.15g", v->value);
			page_raw(r, out->values[i]->provisional ? " (provisional)" : " (approved)");
		}
		page_raw(r, out->n_values ? ".</p>\n" : "nothing yet.</p>\n");
		protobuf_c_message_free_unpacked(&out->base, NULL);
	}
	call_result_release(&res);
}

static void value_form(struct req *r, const Pmif__Measure *m, const char *period,
                       const Pmif__FrameworkListReply *locs, struct entry_outcome *o_all)
{
	char form_id[160], err_id[160], legend[400];
	struct entry_outcome *o;

	update_form_id(form_id, sizeof(form_id), "value", m->id);
	update_form_id(err_id, sizeof(err_id), "err", m->id);
	o = mine(o_all, form_id);
	snprintf(legend, sizeof(legend), "%s: %s", m->id, m->title);
	form_open(r, "/update/value", form_id, legend, period);
	value_now(r, m->id, period);
	hidden(r, "measure", m->id);
	/* a measure not reported by locality is borough-wide only */
	locality_field(r, o, form_id, m->by_locality ? locs : NULL, err_id);
	input(r, o, form_id, "value", "Value", "", err_id, " inputmode=\"decimal\" required");
	input(r, o, form_id, "numerator", "Numerator (optional)", "", err_id,
	      " inputmode=\"decimal\"");
	input(r, o, form_id, "denominator", "Denominator (optional)", "", err_id,
	      " inputmode=\"decimal\"");
	textarea(r, o, form_id, "note", "Note (needed for a red value)", "", err_id);
	form_close(r, o, err_id);
}

/* The current commentary for an objective ("" when none; malloc'd). */
static char *commentary_now(struct req *r, const char *objective, const char *period)
{
	Pmif__CommentaryGetRequest in = PMIF__COMMENTARY_GET_REQUEST__INIT;
	Pmif__CommentaryRecord *out = NULL;
	struct call_result res;
	char *text = NULL;

	in.objective = (char *)objective;
	in.period = (char *)period;
	if (web_call(r, "CommentaryGet", &in.base, (ProtobufCMessage **)&out, &res) == 0) {
		text = strdup(out->text ? out->text : "");
		protobuf_c_message_free_unpacked(&out->base, NULL);
	}
	call_result_release(&res);
	return text ? text : strdup("");
}

static void commentary_form(struct req *r, const char *objective, const char *period,
                            struct entry_outcome *o_all)
{
	char form_id[160], err_id[160], legend[200], *now = commentary_now(r, objective, period);
	struct entry_outcome *o;

	update_form_id(form_id, sizeof(form_id), "commentary", objective);
	update_form_id(err_id, sizeof(err_id), "err-commentary", objective);
	o = mine(o_all, form_id);
	snprintf(legend, sizeof(legend), "Commentary for %s: the \"so what\"", objective);
	form_open(r, "/update/commentary", form_id, legend, period);
	hidden(r, "objective", objective);
	textarea(r, o, form_id, "text", "Commentary", now ? now : "", err_id);
	form_close(r, o, err_id);
	free(now);
}

static void intervention_form(struct req *r, const Pmif__Intervention *iv, const char *period,
                              struct entry_outcome *o_all)
{
	char form_id[160], err_id[160], legend[400];
	struct entry_outcome *o;
	const char *cur;

	update_form_id(form_id, sizeof(form_id), "intervention", iv->id);
	update_form_id(err_id, sizeof(err_id), "err-intervention", iv->id);
	o = mine(o_all, form_id);
	cur = shown(r, o, "status", "on-track");
	snprintf(legend, sizeof(legend), "Intervention %s: %s", iv->id, iv->title);
	form_open(r, "/update/intervention", form_id, legend, period);
	hidden(r, "intervention", iv->id);
	page_raw(r, "<div class=\"field\"><label for=\"");
	page_text(r, form_id);
	page_raw(r, "-status\">Progress</label><select id=\"");
	page_text(r, form_id);
	page_raw(r, "-status\" name=\"status\"");
	invalid_attrs(r, o, "status", err_id);
	page_raw(r, ">");
	for (size_t i = 0; i < PMIF_N_PROGRESS; i++)
		page_rawf(r, "<option value=\"%s\"%s>%s</option>", pmif_progress[i].word,
		          strcmp(cur, pmif_progress[i].word) == 0 ? " selected" : "",
		          pmif_progress[i].label);
	page_raw(r, "</select></div>\n");
	textarea(r, o, form_id, "text", "What has happened this period", "", err_id);
	form_close(r, o, err_id);
}

static void score_select(struct req *r, struct entry_outcome *o, const char *form_id,
                         const char *name, const char *label, unsigned current, const char *err_id)
{
	char cur[16];
	const char *v;

	snprintf(cur, sizeof(cur), "%u", current ? current : 3);
	v = shown(r, o, name, cur);
	page_raw(r, "<div class=\"field\"><label for=\"");
	page_text(r, form_id);
	page_rawf(r, "-%s\">%s (1 to 5)</label><select id=\"", name, label);
	page_text(r, form_id);
	page_rawf(r, "-%s\" name=\"%s\"", name, name);
	invalid_attrs(r, o, name, err_id);
	page_raw(r, ">");
	for (int i = 1; i <= 5; i++)
		page_rawf(r, "<option%s>%d</option>", atoi(v) == i ? " selected" : "", i);
	page_raw(r, "</select></div>\n");
}

static void risk_form(struct req *r, const Pmif__RiskView *rv, const char *period,
                      struct entry_outcome *o_all)
{
	char form_id[160], err_id[160], legend[400];
	struct entry_outcome *o;
	const Pmif__RiskRecord *k = rv->risk;

	update_form_id(form_id, sizeof(form_id), "risk", k->id);
	update_form_id(err_id, sizeof(err_id), "err-risk", k->id);
	o = mine(o_all, form_id);
	snprintf(legend, sizeof(legend), "Risk %s: %s", k->id, k->title);
	form_open(r, "/update/risk", form_id, legend, period);
	hidden(r, "risk", k->id);
	score_select(r, o, form_id, "likelihood", "Likelihood", rv->likelihood, err_id);
	score_select(r, o, form_id, "impact", "Impact", rv->impact, err_id);
	textarea(r, o, form_id, "mitigation", "Mitigation (leave empty to keep it)", "", err_id);
	form_close(r, o, err_id);
}

/* The records of @p kind that @p directorate owns (NULL on failure). */
static Pmif__FrameworkListReply *owned(struct req *r, Pmif__FrameworkRecord__Kind kind,
                                       const char *directorate, struct call_result *res)
{
	Pmif__FrameworkListRequest in = PMIF__FRAMEWORK_LIST_REQUEST__INIT;
	Pmif__FrameworkListReply *out = NULL;

	in.kind = kind;
	in.directorate = (char *)directorate;
	if (web_call(r, "FrameworkList", &in.base, (ProtobufCMessage **)&out, res) != 0)
		return NULL;
	return out;
}

static void section_measures(struct req *r, const char *d, const char *period,
                             struct entry_outcome *o)
{
	Pmif__FrameworkListReply *ms, *locs = localities(r);
	struct call_result res;
	const char *objectives[64];
	size_t n_obj = 0;

	page_raw(r, "<section aria-labelledby=\"h-val-");
	page_text(r, d);
	page_raw(r, "\"><h2 id=\"h-val-");
	page_text(r, d);
	page_raw(r, "\">Values</h2>\n");
	if ((ms = owned(r, PMIF__FRAMEWORK_RECORD__KIND__MEASURE, d, &res)) == NULL) {
		page_raw(r, "<p class=\"error\" role=\"alert\">");
		page_text(r, res.message);
		page_raw(r, "</p>\n");
	}
	for (size_t i = 0; ms && i < ms->n_records; i++) {
		const Pmif__Measure *m = WEB_RECORD(ms->records[i], MEASURE, measure);
		if (m == NULL || m->retired)
			continue;
		value_form(r, m, period, locs, o);
		bool seen = false;
		for (size_t j = 0; j < n_obj; j++)
			seen = seen || strcmp(objectives[j], m->objective) == 0;
		if (!seen && n_obj < 64 && m->objective[0])
			objectives[n_obj++] = m->objective;
	}
	page_raw(r, "</section>\n");
	call_result_release(&res);
	if (n_obj) {
		page_raw(r, "<section aria-labelledby=\"h-com-");
		page_text(r, d);
		page_raw(r, "\"><h2 id=\"h-com-");
		page_text(r, d);
		page_raw(r, "\">Commentary</h2>\n");
		for (size_t j = 0; j < n_obj; j++)
			commentary_form(r, objectives[j], period, o);
		page_raw(r, "</section>\n");
	}
	if (ms)
		protobuf_c_message_free_unpacked(&ms->base, NULL);
	if (locs)
		protobuf_c_message_free_unpacked(&locs->base, NULL);
}

static void section_interventions(struct req *r, const char *d, const char *period,
                                  struct entry_outcome *o)
{
	struct call_result res;
	Pmif__FrameworkListReply *ivs =
	    owned(r, PMIF__FRAMEWORK_RECORD__KIND__INTERVENTION, d, &res);
	size_t n = 0;

	call_result_release(&res);
	for (size_t i = 0; ivs && i < ivs->n_records; i++) {
		const Pmif__Intervention *iv =
		    WEB_RECORD(ivs->records[i], INTERVENTION, intervention);
		if (iv == NULL || iv->retired)
			continue;
		if (n++ == 0) {
			page_raw(r, "<section aria-labelledby=\"h-int-");
			page_text(r, d);
			page_raw(r, "\"><h2 id=\"h-int-");
			page_text(r, d);
			page_raw(r, "\">Intervention progress</h2>\n");
		}
		intervention_form(r, iv, period, o);
	}
	if (n)
		page_raw(r, "</section>\n");
	if (ivs)
		protobuf_c_message_free_unpacked(&ivs->base, NULL);
}

static void section_risks(struct req *r, const char *d, const char *period, struct entry_outcome *o)
{
	Pmif__RiskListRequest in = PMIF__RISK_LIST_REQUEST__INIT;
	Pmif__RiskListReply *out = NULL;
	struct call_result res;
	size_t n = 0;

	in.directorate = (char *)d;
	in.period = (char *)period;
	if (web_call(r, "RiskList", &in.base, (ProtobufCMessage **)&out, &res) != 0)
		out = NULL;
	call_result_release(&res);
	for (size_t i = 0; out && i < out->n_risks; i++) {
		const Pmif__RiskView *rv = out->risks[i];
		if (rv->risk == NULL || rv->risk->retired || strcmp(rv->risk->directorate, d) != 0)
			continue;
		if (n++ == 0) {
			page_raw(r, "<section aria-labelledby=\"h-risk-");
			page_text(r, d);
			page_raw(r, "\"><h2 id=\"h-risk-");
			page_text(r, d);
			page_raw(r, "\">Risk reassessment</h2>\n");
		}
		risk_form(r, rv, period, o);
	}
	if (n)
		page_raw(r, "</section>\n");
	if (out)
		protobuf_c_message_free_unpacked(&out->base, NULL);
}

/* The period filter and the outcome line at the top. */
static void update_head(struct req *r, const char *period, struct entry_outcome *o, bool matched)
{
	const char *saved = req_query(r, "saved");

	page_raw(r, "<h1>Quarterly update for ");
	page_text(r, period);
	page_raw(r, "</h1>\n<form method=\"get\" action=\"/update\" class=\"filters\" "
	            "aria-label=\"Period\"><div><label for=\"f-period\">Period</label><input "
	            "id=\"f-period\" name=\"period\" value=\"");
	page_text(r, period);
	page_raw(r, "\"></div><div><button type=\"submit\">Show</button></div></form>\n");
	if (!r->post && saved) {
		page_raw(r, "<p class=\"status\" role=\"status\">Saved ");
		page_text(r, saved);
		page_raw(r, " for ");
		page_text(r, period);
		page_raw(r, ".</p>\n");
	}
	if (o && !matched && o->error) {
		/* the form it came from is not on this page: say it here */
		page_raw(r, "<p class=\"error\" role=\"alert\">");
		page_text(r, o->error);
		page_raw(r, "</p>\n");
	}
}

void update_render(struct req *r, const char *period, struct entry_outcome *o)
{
	char dirs[sizeof(r->s->directorates)], *save = NULL;

	FILE *page = r->f, *forms;
	char *buf = NULL;
	size_t len = 0;

	/* the forms first, aside: the head says what no form on the page showed */
	if ((forms = open_memstream(&buf, &len)) == NULL) {
		page_message(r, 500, "Quarterly update", "PMIF ran out of memory; try again.");
		return;
	}
	r->f = forms;
	snprintf(dirs, sizeof(dirs), "%s", r->s->directorates);
	if (dirs[0] == '\0')
		page_raw(r,
		         "<p>You have no directorate, so there is nothing here for you to enter: "
		         "the update forms list what a directorate owns.</p>\n");
	for (char *d = strtok_r(dirs, ", ", &save); d; d = strtok_r(NULL, ", ", &save)) {
		section_measures(r, d, period, o);
		section_interventions(r, d, period, o);
		section_risks(r, d, period, o);
	}
	fclose(forms);
	r->f = page;
	page_open(r, "Quarterly update");
	update_head(r, period, o, o && o->shown);
	if (buf)
		fwrite(buf, 1, len, r->f);
	free(buf);
	page_close(r);
}

void page_update(struct req *r)
{
	char period[32];
	const char *p = req_query(r, "period");

	if (p)
		snprintf(period, sizeof(period), "%.31s", p);
	else
		web_latest_period(r, period, sizeof(period));
	if (r->s->ended) {
		answer_redirect(r, "/login?expired=1&next=/update");
		return;
	}
	update_render(r, period, NULL);
}
