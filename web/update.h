/*
 * update.h - the directorate's quarterly update, shared by its two files:
 * update_page.c lays out the forms (GET /update, and again after a POST
 * that pmifd refused or warned about), update_post.c takes each POST to
 * pmifd.  A re-shown form keeps what the user typed and carries pmifd's
 * sentence next to the field it is about.
 */
#ifndef PMIF_WEB_UPDATE_H
#define PMIF_WEB_UPDATE_H

#include <stdbool.h>
#include <stddef.h>

#include "web.h"

/* What a POST came to, for the form it came from. */
struct entry_outcome {
	char form_id[160];       /* "value-FSM-UPTAKE", "commentary-PO1" ... */
	const char *error;       /* pmifd's sentence, or NULL */
	const char *error_field; /* the input it is about ("value", "note" ...) */
	char *const *warnings;   /* keying-error warnings to confirm */
	size_t n_warnings;
	bool shown; /* set when its form was on the page */
};

/**
 * The update page for @p period (status r->status), with @p o's form
 * showing the submitted values and its outcome (NULL: a fresh page).
 */
void update_render(struct req *r, const char *period, struct entry_outcome *o);

/** The form id for @p kind ("value", "commentary" ...) and @p id, made
 *  safe for an id attribute ([A-Za-z0-9_-]). */
void update_form_id(char *out, size_t cap, const char *kind, const char *id);

#endif
