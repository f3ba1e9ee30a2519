/*
 * call.c - pmif-web's calls to pmifd on the signed-in user's channel, and
 * how a refusal is answered: pmifd's own sentence, with the HTTP status
 * that says the same thing (403 refused, 404 not found, 422 invalid ...).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "web.h"

int web_call(struct req *r, const char *method, const ProtobufCMessage *in, ProtobufCMessage **out,
             struct call_result *res)
{
	int rc;

	if (r->s == NULL) {
		memset(res, 0, sizeof(*res));
		res->code = PMIF__CODE__UNAUTHENTICATED;
		return channel_fail(res, EXIT_UNAUTH,
		                    "Your session has ended; please sign in again.");
	}
	pthread_mutex_lock(&r->s->lock);
	rc = channel_call(&r->s->ch, method, in, out, res);
	pthread_mutex_unlock(&r->s->lock);
	if (rc != 0 && res->code == PMIF__CODE__UNAUTHENTICATED)
		session_end(&r->w->sessions, r->s); /* pmifd ended it: so do we */
	if (rc != 0 && res->code == PMIF__CODE__UNKNOWN && !r->w->quiet)
		fprintf(stderr, "pmif-web: %s: %s\n", method, res->message);
	return rc;
}

unsigned web_status_for(const struct call_result *res)
{
	switch (res->code) {
	case PMIF__CODE__UNAUTHENTICATED: return 401;
	case PMIF__CODE__PERMISSION_DENIED: return 403;
	case PMIF__CODE__NOT_FOUND: return 404;
	case PMIF__CODE__INVALID_ARGUMENT:
	case PMIF__CODE__ALREADY_EXISTS:
	case PMIF__CODE__FAILED_PRECONDITION:
	case PMIF__CODE__OUT_OF_RANGE:
	case PMIF__CODE__ABORTED: return 422;
	case PMIF__CODE__RESOURCE_EXHAUSTED: return 429;
	case PMIF__CODE__UNKNOWN: return res->exit_code == EXIT_UNREACHABLE ? 503 : 502;
	default: return res->exit_code == EXIT_UNREACHABLE ? 503 : 500;
	}
}

void answer_call_failed(struct req *r, const struct call_result *res)
{
	unsigned status = web_status_for(res);

	if (status == 401) {
		char next[1536];

		web_next_target(r, r->post ? "/" : r->path, next, sizeof(next));
		answer_redirect(r, "/login?expired=1&next=%s", next);
		return;
	}
	if (res->code == PMIF__CODE__UNKNOWN) {
		/* a local failure: its detail is for the log, not the page */
		page_message(r, status, "PMIF is not answering",
		             status == 503
		                 ? "The PMIF server is not answering just now; try again "
		                   "in a minute, and tell the performance team if it "
		                   "goes on."
		                 : "The PMIF server's answer could not be read; try again, "
		                   "and tell the performance team if it goes on.");
		return;
	}
	page_message(r, status,
	             status == 403   ? "Not allowed"
	             : status == 404 ? "Not found"
	                             : "Cannot do that",
	             res->message[0] ? res->message : "The request was refused.");
}

/* Is @p id a quarter ("2022-23-Q4")? */
static bool is_quarter(const char *id)
{
	return strlen(id) == 10 && id[7] == '-' && id[8] == 'Q';
}

void web_latest_period(struct req *r, char *out, size_t cap)
{
	Pmif__PeriodListRequest in = PMIF__PERIOD_LIST_REQUEST__INIT;
	Pmif__PeriodListReply *pl = NULL;
	struct call_result res;
	const char *open = NULL, *any = NULL;

	out[0] = '\0';
	if (web_call(r, "PeriodList", &in.base, (ProtobufCMessage **)&pl, &res) != 0) {
		call_result_release(&res);
		return;
	}
	for (size_t i = 0; i < pl->n_periods; i++) {
		const Pmif__Period *p = pl->periods[i];

		if (!is_quarter(p->id))
			continue;
		if (any == NULL || strcmp(p->id, any) > 0)
			any = p->id;
		if (p->state == PMIF__PERIOD__STATE__OPEN &&
		    (open == NULL || strcmp(p->id, open) > 0))
			open = p->id;
	}
	snprintf(out, cap, "%s", open ? open : any ? any : "");
	protobuf_c_message_free_unpacked(&pl->base, NULL);
	call_result_release(&res);
}
