/*
 * op.c - an operation's status: the failure sentence and the warnings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "op.h"

int op_vfail(struct op_ctx *op, Pmif__Code code, const char *fmt, va_list ap)
{
	char buf[1024];

	vsnprintf(buf, sizeof(buf), fmt, ap);
	op->code = code;
	op->message = arena_strdup(op->arena, buf);
	return (int)code;
}

int op_fail(struct op_ctx *op, Pmif__Code code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = op_vfail(op, code, fmt, ap);
	va_end(ap);
	return rc;
}

void op_vwarn(struct op_ctx *op, const char *fmt, va_list ap)
{
	char buf[1024];
	char **grown;

	vsnprintf(buf, sizeof(buf), fmt, ap);
	grown = arena_alloc(op->arena, sizeof(char *) * (op->n_warnings + 1));
	if (grown == NULL)
		return;
	if (op->n_warnings)
		memcpy(grown, op->warnings, sizeof(char *) * op->n_warnings);
	grown[op->n_warnings] = arena_strdup(op->arena, buf);
	op->warnings = grown;
	op->n_warnings++;
}

void op_warn(struct op_ctx *op, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	op_vwarn(op, fmt, ap);
	va_end(ap);
}
