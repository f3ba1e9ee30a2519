/*
 * render_pdf_risks.c - risks and interventions in the PDF (cairo): the
 * 5x5 heat map (render_chart_heatmap.c, the same display list as the
 * SVG), each risk with its owner, movement and target, each intervention
 * with its slippage RAG, owner and next milestone; a pack's heat map of
 * all its risks and the risk report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render_pdf.h"

static enum chart_ink slip_ink(const char *rag)
{
	const char *c = render_slip_class(rag);

	return strcmp(c, "green") == 0   ? INK_GREEN
	       : strcmp(c, "amber") == 0 ? INK_AMBER
	       : strcmp(c, "red") == 0   ? INK_RED
	       : strcmp(c, "done") == 0  ? INK_LINE
	                                 : INK_GREY;
}

/* "owner X. 2 of 3 milestones done; next 'Y' due D. Status: on track" */
static void intervention_detail(struct render_buf *b, const Pmif__InterventionLine *in)
{
	render_buf_printf(b, "%s, owner %s (%s)", render_str(in->intervention_id),
	                  in->owner && in->owner[0] ? in->owner : "not named",
	                  render_str(in->directorate));
	if (in->milestones)
		render_buf_printf(b, ". %u of %u milestones done", in->milestones_done,
		                  in->milestones);
	if (in->next_due && in->next_due[0])
		render_buf_printf(b, "; next '%s' due %s", render_str(in->next_milestone),
		                  in->next_due);
	if (in->rag_reason && in->rag_reason[0])
		render_buf_printf(b, ". Slippage: %s", in->rag_reason);
	render_buf_printf(b, ". Progress: %s", render_status_word(in->status));
}

void pdf_interventions(struct pdf *d, const Pmif__ObjectiveSection *o)
{
	const Pmif__InterventionLine *ruled = NULL;

	if (o->n_interventions == 0)
		return;
	pdf_heading(d, "Interventions: what the council is doing (RAG = slippage)", 11);
	for (size_t i = 0; i < o->n_interventions; i++) {
		const Pmif__InterventionLine *in = o->interventions[i];
		struct render_buf b = {0};

		if (in == NULL)
			continue;
		if (in->rag_rule && in->rag_rule[0])
			ruled = in;
		pdf_room(d, 40);
		pdf_badge(d, MARGIN_L, d->y, render_slip_word(in->rag), slip_ink(in->rag), 7.5);
		pdf_para(d, MARGIN_L + 72, WIDTH - 72, render_str(in->title), 8.5, true, INK_TEXT);
		intervention_detail(&b, in);
		pdf_para(d, MARGIN_L + 72, WIDTH - 72, b.p ? b.p : "", 7.5, false, INK_MUTED);
		render_buf_release(&b);
		if (in->text && in->text[0])
			pdf_para(d, MARGIN_L + 72, WIDTH - 72, in->text, 8, false, INK_TEXT);
		d->y += 4;
	}
	if (ruled) {
		struct render_buf b = {0};

		render_buf_printf(&b, "Slippage as of %s. %s.", render_str(ruled->as_of),
		                  ruled->rag_rule);
		pdf_para(d, MARGIN_L, WIDTH, b.p ? b.p : "", 7, false, INK_MUTED);
		render_buf_release(&b);
	}
}

static void risk_detail(struct render_buf *b, const Pmif__RiskLine *r)
{
	if (r->likelihood)
		render_buf_printf(b, "%u (likelihood %u x impact %u, %s) %s %s", r->score,
		                  r->likelihood, r->impact, chart_heat_band(r->score),
		                  render_movement_arrow(r->movement, true),
		                  render_movement_word(r->movement));
	else
		render_buf_printf(b, "not assessed this period");
	if (r->has_previous)
		render_buf_printf(b, " from %u (%u x %u) in %s", r->previous_score,
		                  r->previous_likelihood, r->previous_impact,
		                  render_str(r->previous_period));
	if (r->target_score)
		render_buf_printf(b, "; target %u (%u x %u): %s", r->target_score,
		                  r->target_likelihood, r->target_impact,
		                  render_str(r->against_target));
	render_buf_printf(b, "; owner %s (%s)", r->owner && r->owner[0] ? r->owner : "not named",
	                  render_str(r->directorate));
}

void pdf_risk_list(struct pdf *d, Pmif__RiskLine *const *risks, size_t n, const char *heading,
                   bool numbered)
{
	if (n == 0)
		return;
	pdf_heading(d, heading, 11);
	for (size_t i = 0; i < n; i++) {
		const Pmif__RiskLine *r = risks[i];
		struct render_buf b = {0};
		char id[80];

		if (r == NULL)
			continue;
		pdf_room(d, 36);
		snprintf(id, sizeof(id), "%zu", i + 1);
		if (numbered)
			pdf_badge(d, MARGIN_L, d->y, id, INK_LINE, 7.5);
		snprintf(id, sizeof(id), "%s: ", render_str(r->risk_id));
		render_buf_printf(&b, "%s%s", id, render_str(r->title));
		pdf_para(d, MARGIN_L + 24, WIDTH - 24, b.p ? b.p : "", 8.5, true,
		         r->movement && strcmp(r->movement, "up") == 0 ? INK_CONCERN : INK_TEXT);
		render_buf_release(&b);
		risk_detail(&b, r);
		pdf_para(d, MARGIN_L + 24, WIDTH - 24, b.p ? b.p : "", 7.5, false, INK_TEXT);
		render_buf_release(&b);
		if (r->mitigation && r->mitigation[0])
			pdf_para(d, MARGIN_L + 24, WIDTH - 24, r->mitigation, 7.5, false,
			         INK_MUTED);
		d->y += 4;
	}
}

void pdf_heatmap(struct pdf *d, Pmif__RiskLine *const *risks, size_t n, const char *heading)
{
	struct chart c;

	if (n == 0)
		return;
	chart_heatmap(&c, WIDTH, risks, n);
	pdf_room(d, c.h + 60); /* the heading stays with its map */
	pdf_heading(d, heading, 12);
	pdf_chart_here(d, &c, MARGIN_L);
}

void pdf_pack_risks(struct pdf *d, Pmif__ObjectiveSection *const *obs, size_t n)
{
	size_t total = 0, k = 0;
	Pmif__RiskLine **all;

	for (size_t i = 0; i < n; i++)
		total += obs[i] ? obs[i]->n_risks : 0;
	if (total == 0 || (all = calloc(total, sizeof(*all))) == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; obs[i] && j < obs[i]->n_risks; j++)
			all[k++] = obs[i]->risks[j];
	pdf_heatmap(d, all, k, "Strategic risks at a glance: the 5 x 5 heat map");
	free(all);
}

void pdf_risk_report(struct pdf *d, const Pmif__RiskReport *r)
{
	char sub[160];

	snprintf(sub, sizeof(sub), "%zu risks: %u above target, %u moved up, %u moved down",
	         r->n_risks, r->above_target, r->moved_up, r->moved_down);
	pdf_cover(d, d->running, sub, r->filter);
	if (r->n_risks == 0)
		pdf_para(d, MARGIN_L, WIDTH, "No risks are registered for these objectives.", 10,
		         false, INK_TEXT);
	pdf_heatmap(d, r->risks, r->n_risks,
	            "Where each risk is now, where it was at its previous assessment, its target");
	pdf_risk_list(d, r->risks, r->n_risks, "The risks, numbered as on the map", true);
}
