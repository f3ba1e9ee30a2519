/*
 * render_table_risks.c - risks and interventions on a terminal: the 5x5
 * heat map as a text grid (each cell lists the numbers of the risks in it
 * now), the risks numbered with score, movement from the previous
 * assessment, owner and target; interventions with their slippage RAG,
 * owner and next milestone.  The same data as the HTML and PDF heat map.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "render_chart.h"
#include "render_table.h"

#define CELL_COLS 11

static const char *slip_sgr(const char *rag)
{
	const char *c = render_slip_class(rag);

	return strcmp(c, "red") == 0     ? SGR_RED
	       : strcmp(c, "amber") == 0 ? SGR_AMBER
	       : strcmp(c, "green") == 0 ? SGR_GREEN
	                                 : SGR_BOLD;
}

void table_interventions(struct tbl *t, const Pmif__ObjectiveSection *o)
{
	const char *rule = NULL, *as_of = NULL;

	if (o->n_interventions == 0)
		return;
	table_title_line(t, 2, "Interventions (slippage RAG by milestones; progress this period)");
	for (size_t i = 0; i < o->n_interventions; i++) {
		const Pmif__InterventionLine *in = o->interventions[i];
		struct render_buf b = {0};
		char lead[64], *text;

		if (in == NULL)
			continue;
		if (in->rag_rule && in->rag_rule[0]) {
			rule = in->rag_rule;
			as_of = in->as_of;
		}
		snprintf(lead, sizeof(lead), "[%s]", render_slip_word(in->rag));
		table_spaces(t, 4);
		table_sgr(t, slip_sgr(in->rag));
		fputs(lead, t->f);
		table_reset(t);
		fputc(' ', t->f);
		render_buf_printf(&b, "%s (%s; owner %s)", render_str(in->title),
		                  render_str(in->intervention_id),
		                  in->owner && in->owner[0] ? in->owner : "not named");
		if (in->milestones)
			render_buf_printf(&b, ". Milestones %u of %u done", in->milestones_done,
			                  in->milestones);
		if (in->next_due && in->next_due[0])
			render_buf_printf(&b, "; next '%s' due %s", render_str(in->next_milestone),
			                  in->next_due);
		if (in->rag_reason && in->rag_reason[0])
			render_buf_printf(&b, ". Slippage: %s", in->rag_reason);
		render_buf_printf(&b, ". Status: %s", render_status_word(in->status));
		if (in->text && in->text[0])
			render_buf_printf(&b, ": %s", in->text);
		text = table_clean(t, b.p ? b.p : "", false);
		table_wrap(t, text, 4 + strlen(lead) + 1, 6);
		free(text);
		render_buf_release(&b);
	}
	if (rule) {
		char buf[600];

		snprintf(buf, sizeof(buf), "Slippage as of %s. %s.", render_str(as_of), rule);
		table_spaces(t, 4);
		table_sgr(t, SGR_DIM);
		table_wrap(t, buf, 4, 4);
		table_reset(t);
	}
}

/* The grid: impact 5 at the top, likelihood 1-5 across; a cell lists its
 * risks (cells narrow with the terminal, "+" when a cell has more). */
static void grid(struct tbl *t, Pmif__RiskLine *const *risks, size_t n, size_t indent)
{
	size_t room = t->w > indent + 12 ? (t->w - indent - 6) / 5 : 4;
	int cols = room > CELL_COLS + 1 ? CELL_COLS : room > 4 ? (int)room - 1 : 3;

	table_spaces(t, indent);
	fputs("impact\n", t->f);
	for (unsigned imp = 5; imp >= 1; imp--) {
		table_spaces(t, indent);
		fprintf(t->f, "  %u |", imp);
		for (unsigned l = 1; l <= 5; l++) {
			char cell[64] = "";
			size_t len = 0;

			for (size_t k = 0; k < n && len < sizeof(cell) - 8; k++)
				if (risks[k] && risks[k]->likelihood == l &&
				    risks[k]->impact == imp)
					len += (size_t)snprintf(cell + len, sizeof(cell) - len,
					                        "%s%zu", len ? "," : "", k + 1);
			if (len > (size_t)cols - 1)
				snprintf(cell + cols - 2, sizeof(cell) - (size_t)(cols - 2), "+");
			fprintf(t->f, " %-*s|", cols - 1, cell);
		}
		fputc('\n', t->f);
	}
	table_spaces(t, indent);
	fputs("     ", t->f);
	for (unsigned l = 1; l <= 5; l++)
		fprintf(t->f, l < 5 ? " %-*u" : " %u", cols, l);
	fputc('\n', t->f);
	table_spaces(t, indent + 6);
	fputs("likelihood\n", t->f);
}

void table_risk_lines(struct tbl *t, Pmif__RiskLine *const *risks, size_t n, size_t indent)
{
	if (n == 0)
		return;
	grid(t, risks, n, indent);
	for (size_t i = 0; i < n; i++) {
		const Pmif__RiskLine *r = risks[i];
		struct render_buf b = {0};
		char lead[160], *text;

		if (r == NULL)
			continue;
		if (r->likelihood)
			snprintf(lead, sizeof(lead), "%2zu %2u (L%u x I%u) %s %s", i + 1, r->score,
			         r->likelihood, r->impact,
			         render_movement_arrow(r->movement, t->utf8),
			         render_movement_word(r->movement));
		else
			snprintf(lead, sizeof(lead), "%2zu not assessed", i + 1);
		table_spaces(t, indent + 2);
		if (r->movement && strcmp(r->movement, "up") == 0)
			table_sgr(t, SGR_BOLD);
		fputs(lead, t->f);
		table_reset(t);
		render_buf_printf(&b, "%s: ", render_str(r->risk_id));
		if (r->has_previous)
			render_buf_printf(&b, "from %u (L%u x I%u) in %s; ", r->previous_score,
			                  r->previous_likelihood, r->previous_impact,
			                  render_str(r->previous_period));
		if (r->target_score)
			render_buf_printf(&b, "target %u (L%u x I%u), %s; ", r->target_score,
			                  r->target_likelihood, r->target_impact,
			                  render_str(r->against_target));
		render_buf_printf(&b, "owner %s: %s",
		                  r->owner && r->owner[0] ? r->owner : render_str(r->directorate),
		                  render_str(r->title));
		text = table_clean(t, b.p ? b.p : "", false);
		fputs(": ", t->f);
		table_wrap(t, text, indent + 2 + render_cols(lead) + 2, indent + 6);
		free(text);
		render_buf_release(&b);
	}
}

void table_risks(struct tbl *t, const Pmif__RiskReport *r, unsigned long long now)
{
	char sub[160];

	snprintf(sub, sizeof(sub), "%zu risks: %u above target, %u moved up, %u moved down",
	         r->n_risks, r->above_target, r->moved_up, r->moved_down);
	table_header(t, r->title, "Strategic risks", sub, r->filter, now);
	fputc('\n', t->f);
	if (r->n_risks == 0)
		fputs("No risks are registered for these objectives.\n", t->f);
	table_risk_lines(t, r->risks, r->n_risks, 0);
}
