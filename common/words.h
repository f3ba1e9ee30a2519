/*
 * words.h - the words client and server both print or parse for the
 * protocol's enums, kept once so the two never drift apart.
 */
#ifndef PMIF_WORDS_H
#define PMIF_WORDS_H

#include "pmif.pb-c.h"
#include "values.pb-c.h"

/** "admin", "directorate", "member"; @p otherwise for ROLE_NONE or an
 * unknown value. */
const char *pmif_role_word(Pmif__Role r, const char *otherwise);

/** The role named by @p s (as pmif_role_word spells it), else ROLE_NONE. */
Pmif__Role pmif_role_parse(const char *s);

/** "approved" for an approved value, else "provisional" (submitted, not
 *  yet signed off). */
const char *pmif_value_status_word(Pmif__ValueStatus s);

/* An intervention's progress as its directorate reports it each period:
 * the word on the wire and in the store, the label a person reads and the
 * colour class the reports draw it in. */
struct pmif_progress {
	const char *word, *label, *colour;
};

#define PMIF_N_PROGRESS 4
extern const struct pmif_progress pmif_progress[PMIF_N_PROGRESS];

/** The entry of pmif_progress whose word is @p word, or NULL. */
const struct pmif_progress *pmif_progress_find(const char *word);

#endif
