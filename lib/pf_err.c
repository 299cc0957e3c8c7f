/*
 * pf_err: filling in struct pf_err.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pf_err.h"

void
pf_err_clear(struct pf_err *err)
{
	if (err == NULL)
		return;
	memset(err, 0, sizeof(*err));
}

static void
vset(struct pf_err *err, enum pf_err_kind kind, int errnum, long line,
    long column, const char *fmt, va_list ap)
{
	err->kind = kind;
	err->errnum = errnum;
	err->line = line;
	err->column = column;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int
pf_err_set(struct pf_err *err, enum pf_err_kind kind, int errnum,
    const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vset(err, kind, errnum, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int
pf_err_set_at(struct pf_err *err, enum pf_err_kind kind, long line,
    long column, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	va_start(ap, fmt);
	vset(err, kind, 0, line, column, fmt, ap);
	va_end(ap);
	return -1;
}
