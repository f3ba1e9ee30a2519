/*
 * actions_store.h - the committee action records (db "actions"): an
 * action's id "A-<n>" is its number n, and the key is be32(n), so the
 * records are in the order they were recorded and the next number is the
 * last key's plus one.
 *
 * Functions work in op->txn; those that fail with a status say so, in a
 * sentence for a person.  Records returned live in op->arena and die with
 * the request.  Who may change an action, and how, is rpc_actions.c's and
 * actions.h's.
 */
#ifndef PMIF_ACTIONS_STORE_H
#define PMIF_ACTIONS_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "actions.pb-c.h"
#include "rpc.h"

/** Longest id: "A-" and up to 10 digits. */
#define ACTIONS_ID_MAX 12

/**
 * The action @p id ("A-12"; "a-12" and "12" are taken too) in op->txn:
 * 0 and *out, or a NOT_FOUND status naming the id (INVALID_ARGUMENT when
 * it is not an action id at all, INTERNAL when the store cannot be read).
 */
int actions_get(struct op_ctx *op, const char *id, Pmif__ActionRecord **out);

/**
 * The id for a new action ("A-<last number + 1>", "A-1" for the first)
 * into @p buf, from op->txn: 0, or an INTERNAL status.
 */
int actions_next_id(struct op_ctx *op, char buf[ACTIONS_ID_MAX + 1]);

/** Store @p a under its id in op->txn (a write transaction); INTERNAL
 *  status if it cannot be saved.  @p a is not kept. */
int actions_put(struct op_ctx *op, const Pmif__ActionRecord *a);

/**
 * Every action in op->txn, in the order recorded, as an arena array in
 * *out (records that do not unpack are skipped: 'pmifd check' names
 * them).  0, or an INTERNAL status.
 */
int actions_all(struct op_ctx *op, Pmif__ActionRecord ***out, size_t *n);

/**
 * The view of @p a that leaves the server, judged on day @p today: its
 * status in words, whether it is overdue and by how many days, the due
 * date in words, and the names of its committee and directorate (their
 * ids when the framework no longer has them).  Arena memory; NULL when out
 * of memory (no status set).
 */
Pmif__ActionView *actions_view(struct op_ctx *op, Pmif__ActionRecord *a, int32_t today);

#endif
