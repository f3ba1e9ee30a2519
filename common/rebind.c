/*
 * rebind.c - the rebind proof both sides compute (see rebind.h).
 */
#include <string.h>

#include "noise.h"
#include "rebind.h"

int pmif_rebind_proof(const uint8_t secret[PMIF_REBIND_LEN], const uint8_t h[32],
                      uint8_t proof[PMIF_REBIND_LEN])
{
	return pmif_hmac_sha256(secret, PMIF_REBIND_PROOF_LABEL, strlen(PMIF_REBIND_PROOF_LABEL), h,
	                        32, proof);
}
