/*
 * pf_writer: writing recordings, one event per line.
 *
 * Plain or gzip, to a file or standard output ("-").  Buffered by default
 * for throughput; PF_WRITER_EACH hands every line to the kernel before the
 * call returns (with gzip: a sync flush per line), so a killed writer loses
 * at most the line being written and a gzip file stays readable up to it.
 *
 * A file is written beside its target and renamed into place by
 * pf_writer_close (see pf_outfile): a failed or abandoned run leaves an
 * existing file as it was.  pf_writer_publish renames it early, for a
 * writer whose file must be at its place while it is being written.
 * PF_WRITER_APPEND and PF_WRITER_EXCL write in place.
 *
 * Ownership: the writer owns its descriptor (stdout excepted) and buffers.
 * Errors: functions return 0 or -1 with err filled (PF_ERR_IO, errno kept,
 * EPIPE included so callers can end quietly on a closed pipe).
 */
#ifndef PF_WRITER_H
#define PF_WRITER_H

#include <signal.h>
#include <stddef.h>

#include "pf_err.h"

enum pf_writer_flag {
	PF_WRITER_GZIP = 1 << 0,	/* gzip-compress the output */
	PF_WRITER_EACH = 1 << 1,	/* one write(2) per line, no buffering */
	PF_WRITER_APPEND = 1 << 2,	/* append to an existing file, in place */
	PF_WRITER_EXCL = 1 << 3		/* create the file, in place; fail if it
					 * exists */
};

struct pf_writer;

/*
 * Opens path ("-" for standard output) for writing: a file that is not
 * appended to or created exclusively is written to a temporary file beside
 * it (a path that exists and is not a regular file, such as /dev/null or
 * a FIFO, is written directly).  NULL and err on failure.
 */
struct pf_writer *pf_writer_open(const char *path, unsigned flags,
    struct pf_err *err);

/* As pf_writer_open, on an open descriptor; closed on free unless 1. */
struct pf_writer *pf_writer_fdopen(int fd, const char *name, unsigned flags,
    struct pf_err *err);

/* Writes the n bytes at p and a newline (p holds no newline). */
int pf_writer_line(struct pf_writer *w, const char *p, size_t n,
    struct pf_err *err);

/* Hands everything buffered to the kernel (gzip: a sync flush). */
int pf_writer_flush(struct pf_writer *w, struct pf_err *err);

/* pf_writer_flush, then fsync(2). */
int pf_writer_sync(struct pf_writer *w, struct pf_err *err);

/*
 * Renames the temporary file over the target now; what is written next
 * lands in the target, and pf_writer_abort no longer takes it back.  Does
 * nothing for an output written in place.  Returns 0 or -1.
 */
int pf_writer_publish(struct pf_writer *w, struct pf_err *err);

/*
 * Lets a signal end a write that blocks (a pipe or FIFO whose reader has
 * stopped reading): while *flag is nonzero, a write(2) interrupted by a
 * signal (EINTR) is not retried, and a write that cannot take a byte at
 * once is not begun; the call fails with err->errnum EINTR.  While *flag
 * is zero, interrupted writes are retried as before.  A signal handler
 * sets the flag, and must be installed without SA_RESTART so that the
 * blocked write(2) comes back.  The failure is a failed write like any
 * other: the writer refuses further lines, and the output may end in a
 * partial line (pf_writer_lines says how many went out whole).  A regular
 * file is never given up on.  flag NULL (the default) turns it off.
 */
void pf_writer_set_interrupt(struct pf_writer *w,
    const volatile sig_atomic_t *flag);

/*
 * How many lines have been handed to the kernel whole, newline included:
 * for plain output, as the bytes go out; for gzip, the lines before the
 * last sync flush that went out (every line with PF_WRITER_EACH).
 */
unsigned long long pf_writer_lines(const struct pf_writer *w);

/* The output's name: the path, or "<stdout>".  Borrowed. */
const char *pf_writer_name(const struct pf_writer *w);

/*
 * Finishes the stream (gzip trailer), flushes, closes, and renames the
 * temporary file into place.  Returns 0 or -1; after a failed write or
 * close the temporary file is removed instead, and the target left as it
 * was (unless published).  The writer is freed either way.  w may be NULL.
 */
int pf_writer_close(struct pf_writer *w, struct pf_err *err);

/*
 * Abandons the output: closes it without finishing the stream, and removes
 * the temporary file, leaving the target as it was.  Bytes already written
 * in place (standard output, appending, after pf_writer_publish) stay.
 * Frees the writer.  w may be NULL.
 */
void pf_writer_abort(struct pf_writer *w);

#endif
