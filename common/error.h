/*
 * error.h - the error codes every PMIF module returns.
 *
 * Functions return 0 on success and a negative PMIF_E* code on failure.
 * Library errors (LMDB, nanomsg, OpenSSL, protobuf-c) are mapped to these at
 * the boundary so callers never see a foreign errno space.  Status codes
 * sent on the wire (gRPC numbering) live in status.h; pmif_error_status()
 * maps one to the other.
 */
#ifndef PMIF_ERROR_H
#define PMIF_ERROR_H

enum pmif_error {
	PMIF_OK = 0,
	PMIF_ENOMEM = -1,      /* out of memory */
	PMIF_EINVAL = -2,      /* invalid argument or malformed input */
	PMIF_ENOTFOUND = -3,   /* no such record */
	PMIF_EEXIST = -4,      /* record already exists */
	PMIF_EPERM = -5,       /* not allowed */
	PMIF_EAUTH = -6,       /* authentication failed (MAC, password, token) */
	PMIF_ETOOBIG = -7,     /* input or output larger than a limit */
	PMIF_ECRYPTO = -8,     /* a cryptographic primitive failed */
	PMIF_ESTORE = -9,      /* the LMDB store failed */
	PMIF_ETRANSPORT = -10, /* the nanomsg transport failed */
	PMIF_ETIMEDOUT = -11,  /* no answer in time */
	PMIF_ESTATE = -12,     /* call not valid in the object's current state */
	PMIF_EREPLAY = -13,    /* nonce already used: replayed or reordered */
	PMIF_EIO = -14,        /* file or system I/O failed */
	PMIF_EBUSY = -15,      /* a limit on concurrent work was reached */
	PMIF_EDISKFULL = -16,  /* the store's disk is full (ENOSPC) */
	PMIF_EMAPFULL = -17,   /* the store reached its size ceiling (MDB_MAP_FULL) */
	PMIF_EDISKIO = -18,    /* the store's disk failed (EIO) */
	PMIF_ENOTSUP = -19,    /* not supported (e.g. a report in a format that cannot show it) */
};

/** A short lowercase description of @p err; never NULL, static storage. */
const char *pmif_strerror(int err);

#endif
