/*
 * pf_err: why a library call failed.
 *
 * Fallible functions take a `struct pf_err *` and, on failure, fill it in
 * and return -1 (or NULL).  The message is copied into the struct, so it
 * stays valid after the handle that produced it is gone.  The caller owns
 * the struct (usually on its stack) and decides how to print it.
 */
#ifndef PF_ERR_H
#define PF_ERR_H

enum pf_err_kind {
	PF_ERR_NONE = 0,
	PF_ERR_IO,	/* the system said no: open, read, write */
	PF_ERR_DATA,	/* the input is malformed: bad gzip, bad JSON document */
	PF_ERR_USAGE,	/* the caller asked for something impossible */
	PF_ERR_DB	/* a database (SQLite) failed, not the input: its next
			 * use is likely to fail too */
};

struct pf_err {
	enum pf_err_kind kind;
	int errnum;		/* errno, or 0 */
	long line;		/* 1-based input line, or 0 when not about a line */
	long column;		/* 1-based column, or 0 */
	char msg[512];		/* one line, no final period, no newline */
};

/* Clears err (kind PF_ERR_NONE, empty message).  err may be NULL. */
void pf_err_clear(struct pf_err *err);

/*
 * Records a failure: printf-style message, the kind and errno (0 for none).
 * Returns -1 so callers can `return pf_err_set(...)`.  err may be NULL.
 */
int pf_err_set(struct pf_err *err, enum pf_err_kind kind, int errnum,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* As pf_err_set, also recording the 1-based line and column. */
int pf_err_set_at(struct pf_err *err, enum pf_err_kind kind, long line,
    long column, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif
