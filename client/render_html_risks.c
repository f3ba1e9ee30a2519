/*
 * render_html_risks.c - risks and interventions as people manage them, in
 * the HTML page: the 5x5 heat map (SVG, render_chart_heatmap.c) with the
 * table of the same risks (owner, score now and before, movement, target,
 * mitigation), the interventions with their slippage RAG, owner and
 * milestones, and the risk report's page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

#include "render_html.h"

static void owner_text(struct page *p, const char *owner, const char *directorate)
{
	html_raw(p, "<br><span class=\"mid\">");
	if (owner && owner[0]) {
		html_raw(p, "owner: ");
		html_text(p, owner);
		html_raw(p, " &middot; ");
	}
	html_text(p, directorate);
	html_raw(p, "</span>");
}

static void risk_row(struct page *p, size_t k, const Pmif__RiskLine *r, bool numbered)
{
	const char *mv = render_str(r->movement);

	if (numbered)
		html_rawf(p, "<tr><td class=\"num\">%zu</td>", k + 1);
	else
		html_raw(p, "<tr>");
	html_raw(p, "<td><span class=\"mt\">");
	html_text(p, r->title);
	html_raw(p, "</span><br><span class=\"mid\">");
	html_text(p, r->risk_id);
	html_raw(p, "</span>");
	owner_text(p, r->owner, r->directorate);
	if (r->likelihood)
		html_rawf(p,
		          "</td><td class=\"num\"><span class=\"val\">%u</span><br>"
		          "<span class=\"mid\">L%u &times; I%u, %s</span></td>",
		          r->score, r->likelihood, r->impact, chart_heat_band(r->score));
	else
		html_raw(p, "</td><td class=\"num\"><span class=\"mid\">not assessed</span></td>");
	html_rawf(p, "<td><span class=\"mv %s\">%s %s</span>",
	          strcmp(mv, "up") == 0     ? "up"
	          : strcmp(mv, "down") == 0 ? "down"
	                                    : "same",
	          render_movement_arrow(mv, true), render_movement_word(mv));
	if (r->has_previous) {
		html_rawf(p, "<br><span class=\"mid\">from %u (L%u &times; I%u)", r->previous_score,
		          r->previous_likelihood, r->previous_impact);
		if (r->previous_period && r->previous_period[0]) {
			html_raw(p, " in ");
			html_text(p, r->previous_period);
		}
		html_raw(p, "</span>");
	}
	if (r->target_score)
		html_rawf(p,
		          "</td><td class=\"num\">%u<br><span class=\"mid\">L%u &times; I%u, "
		          "%s</span></td><td>",
		          r->target_score, r->target_likelihood, r->target_impact,
		          render_str(r->against_target));
	else
		html_raw(p, "</td><td class=\"num\"><span class=\"mid\">none set</span></td><td>");
	html_text(p, r->mitigation);
	html_raw(p, "</td></tr>\n");
}

void html_risks(struct page *p, Pmif__RiskLine *const *risks, size_t n, const char *heading,
                bool map)
{
	struct chart c;

	if (n == 0)
		return;
	html_rawf(p, "<h3>%s</h3>\n", heading);
	if (map) {
		chart_heatmap(&c, 760, risks, n);
		html_chart(p, &c, "heatmap");
	}
	html_raw(p, "<table class=\"risks\">\n<thead><tr>");
	if (map)
		html_raw(p, "<th scope=\"col\" class=\"num\">#</th>");
	html_raw(p, "<th scope=\"col\">Risk</th>"
	            "<th scope=\"col\" class=\"num\">Score<br>(likelihood &times; impact)</th>"
	            "<th scope=\"col\">Since the last assessment</th>"
	            "<th scope=\"col\" class=\"num\">Target</th><th scope=\"col\">Mitigation</th>"
	            "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++)
		if (risks[i])
			risk_row(p, i, risks[i], map);
	html_raw(p, "</tbody>\n</table>\n");
}

static void milestones_cell(struct page *p, const Pmif__InterventionLine *in)
{
	html_raw(p, "<td>");
	if (in->milestones == 0) {
		html_raw(p, "<span class=\"mid\">no milestones set</span></td>");
		return;
	}
	html_rawf(p, "%u of %u done", in->milestones_done, in->milestones);
	if (in->next_due && in->next_due[0]) {
		html_raw(p, "<br><span class=\"mid\">next: ");
		html_text(p, in->next_milestone);
		html_raw(p, ", due ");
		html_text(p, in->next_due);
		html_raw(p, "</span>");
	}
	html_raw(p, "</td>");
}

void html_interventions(struct page *p, const Pmif__ObjectiveSection *o)
{
	if (o->n_interventions == 0)
		return;
	html_raw(p, "<h3>Interventions: what the council is doing</h3>\n<table>\n<thead><tr>"
	            "<th scope=\"col\">Intervention</th><th scope=\"col\">Slippage</th>"
	            "<th scope=\"col\">Milestones</th><th scope=\"col\">Status</th>"
	            "<th scope=\"col\">Progress this period</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < o->n_interventions; i++) {
		const Pmif__InterventionLine *in = o->interventions[i];

		if (in == NULL)
			continue;
		html_raw(p, "<tr><td><span class=\"mt\">");
		html_text(p, in->title);
		html_raw(p, "</span><br><span class=\"mid\">");
		html_text(p, in->intervention_id);
		html_raw(p, "</span>");
		owner_text(p, in->owner, in->directorate);
		html_rawf(p, "</td><td><span class=\"badge %s\">%s</span>",
		          render_slip_class(in->rag), render_slip_word(in->rag));
		if (in->rag_reason && in->rag_reason[0]) {
			html_raw(p, "<br><span class=\"mid\">");
			html_text(p, in->rag_reason);
			html_raw(p, "</span>");
		}
		html_raw(p, "</td>");
		milestones_cell(p, in);
		html_rawf(p, "<td><span class=\"badge %s\">%s</span></td><td>",
		          render_status_class(in->status), render_status_word(in->status));
		html_text(p, in->text && in->text[0] ? in->text
		                                     : "No progress update for this period.");
		if (in->updated_by && in->updated_by[0]) {
			html_raw(p, " <span class=\"mid\">(");
			html_text(p, in->updated_by);
			html_raw(p, ")</span>");
		}
		html_raw(p, "</td></tr>\n");
	}
	html_raw(p, "</tbody>\n</table>\n");
	for (size_t i = 0; i < o->n_interventions; i++)
		if (o->interventions[i] && o->interventions[i]->rag_rule &&
		    o->interventions[i]->rag_rule[0]) {
			html_raw(p, "<p class=\"mid\">Slippage as of ");
			html_text(p, o->interventions[i]->as_of);
			html_raw(p, ". ");
			html_text(p, o->interventions[i]->rag_rule);
			html_raw(p, ".</p>\n");
			break;
		}
}

void html_pack_risks(struct page *p, Pmif__ObjectiveSection *const *obs, size_t n)
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
	html_raw(p, "<section class=\"risks\" aria-labelledby=\"h-risks\">\n<h2 id=\"h-risks\">"
	            "Strategic risks at a glance</h2>\n");
	html_risks(p, all, k,
	           "The 5&times;5 heat map: where each risk is now, where it was at its previous "
	           "assessment, and its target",
	           true);
	html_raw(p, "</section>\n");
	free(all);
}

int render_html_risks(struct render_ctx *ctx, const ProtobufCMessage *msg)
{
	const Pmif__RiskReport *r = (const Pmif__RiskReport *)msg;
	const char *title = r->title && r->title[0] ? r->title : "Strategic risks";
	struct page p = {.f = ctx->out, .now = ctx->now, .fragment = ctx->fragment};
	char sub[160];

	snprintf(sub, sizeof(sub), "%zu risks: %u above target, %u moved up, %u moved down",
	         r->n_risks, r->above_target, r->moved_up, r->moved_down);
	html_doc_open(&p, title, "risks");
	html_cover(&p, title, sub, r->filter, 0);
	html_raw(&p,
	         "<section aria-labelledby=\"h-risks\"><h2 id=\"h-risks\">Risk heat map</h2>\n");
	if (r->n_risks == 0)
		html_raw(&p, "<p>No risks are registered for these objectives.</p>\n");
	html_risks(
	    &p, r->risks, r->n_risks,
	    "Where each risk is now, where it was at its previous assessment, and its target",
	    true);
	html_raw(&p, "</section>\n");
	html_main_close(&p);
	html_doc_close(&p);
	return ferror(ctx->out) ? PMIF_EIO : 0;
}
