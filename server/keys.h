/*
 * keys.h - the server's static X25519 key, DIR/server.key (mode 0600).
 *
 * Made once by 'pmifd init'; clients pin its fingerprint.  The file holds
 * one line, "pmif-server-key-v1 " and the private key in hex.  Losing it
 * means every client must pin a new key; leaking it lets someone
 * impersonate the server (but not read past traffic: every channel uses
 * fresh ephemeral keys).
 */
#ifndef PMIF_KEYS_H
#define PMIF_KEYS_H

#include <stdint.h>

/** Make a new key in @p dir; PMIF_EEXIST if one is there. */
int keys_create(const char *dir, uint8_t pub[32]);

/** Load the key from @p dir; PMIF_ENOTFOUND, PMIF_EPERM if the file is
 *  readable by others, PMIF_EINVAL if it is not a key file. */
int keys_load(const char *dir, uint8_t priv[32], uint8_t pub[32]);

#endif
