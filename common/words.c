/*
 * words.c - the protocol's enum words shared by client and server.
 */
#include <string.h>

#include "words.h"

static const char *const role_words[] = {
    [PMIF__ROLE__ADMIN] = "admin",
    [PMIF__ROLE__DIRECTORATE] = "directorate",
    [PMIF__ROLE__MEMBER] = "member",
};

#define N_ROLE_WORDS (sizeof(role_words) / sizeof(role_words[0]))

const char *pmif_role_word(Pmif__Role r, const char *otherwise)
{
	if ((unsigned)r < N_ROLE_WORDS && role_words[r] != NULL)
		return role_words[r];
	return otherwise;
}

Pmif__Role pmif_role_parse(const char *s)
{
	for (unsigned i = 0; s && i < N_ROLE_WORDS; i++)
		if (role_words[i] && strcmp(s, role_words[i]) == 0)
			return (Pmif__Role)i;
	return PMIF__ROLE__ROLE_NONE;
}

const char *pmif_value_status_word(Pmif__ValueStatus s)
{
	return s == PMIF__VALUE_STATUS__APPROVED ? "approved" : "provisional";
}

const struct pmif_progress pmif_progress[PMIF_N_PROGRESS] = {
    {"on-track", "On track", "green"},
    {"at-risk", "At risk", "amber"},
    {"off-track", "Off track", "red"},
    {"complete", "Complete", "done"},
};

const struct pmif_progress *pmif_progress_find(const char *word)
{
	for (size_t i = 0; word && i < PMIF_N_PROGRESS; i++)
		if (strcmp(word, pmif_progress[i].word) == 0)
			return &pmif_progress[i];
	return NULL;
}
