/*
 * words.h - the words client and server both print or parse for the
 * protocol's enums, kept once so the two never drift apart.
 */
#ifndef PMIF_WORDS_H
#define PMIF_WORDS_H

#include "pmif.pb-c.h"

/** "admin", "directorate", "member"; @p otherwise for ROLE_NONE or an
 * unknown value. */
const char *pmif_role_word(Pmif__Role r, const char *otherwise);

/** The role named by @p s (as pmif_role_word spells it), else ROLE_NONE. */
Pmif__Role pmif_role_parse(const char *s);

#endif
