/*
 * error.c - descriptions for PMIF_E* codes.
 */
#include "error.h"

const char *pmif_strerror(int err)
{
	switch (err) {
	case PMIF_OK: return "success";
	case PMIF_ENOMEM: return "out of memory";
	case PMIF_EINVAL: return "invalid input";
	case PMIF_ENOTFOUND: return "not found";
	case PMIF_EEXIST: return "already exists";
	case PMIF_EPERM: return "not allowed";
	case PMIF_EAUTH: return "authentication failed";
	case PMIF_ETOOBIG: return "too large";
	case PMIF_ECRYPTO: return "cryptographic operation failed";
	case PMIF_ESTORE: return "store failure";
	case PMIF_ETRANSPORT: return "transport failure";
	case PMIF_ETIMEDOUT: return "timed out";
	case PMIF_ESTATE: return "invalid state";
	case PMIF_EREPLAY: return "replayed or reordered message";
	case PMIF_EIO: return "i/o error";
	case PMIF_EBUSY: return "busy";
	case PMIF_EDISKFULL: return "disk full";
	case PMIF_EMAPFULL: return "store size ceiling reached";
	case PMIF_EDISKIO: return "disk input/output error";
	case PMIF_ENOTSUP: return "not supported";
	}
	return "unknown error";
}
