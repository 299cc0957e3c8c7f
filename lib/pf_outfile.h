/*
 * pf_outfile: a file written beside its target and renamed into place.
 *
 * As git's lockfiles do it: the bytes go to a temporary file in the
 * target's folder, ".NAME.pf-XXXXXX", and only pf_outfile_commit renames
 * it over the target.  A reader never sees half a file, and a failed or
 * empty run leaves an existing target exactly as it was.  A target that
 * exists and is not a regular file (a FIFO, /dev/null, a terminal) is
 * opened and written directly: there is nothing to replace.
 *
 * A process killed before its commit leaves its temporary file behind
 * (as git leaves its .lock): the target is untouched.
 *
 * Ownership: the struct is the caller's (usually embedded); it owns the
 * descriptor until commit or abort.  Errors: 0 or -1 with err (PF_ERR_IO,
 * errno kept), the message naming the target.
 */
#ifndef PF_OUTFILE_H
#define PF_OUTFILE_H

#include <stddef.h>

#include "pf_err.h"

struct pf_outfile {
	char *path;	/* the target */
	char *tmp;	/* the temporary file, or NULL when writing in place */
	int fd;		/* open for writing, or -1 */
};

/* Creates the temporary file for path; o->fd is ready for writing. */
int pf_outfile_open(struct pf_outfile *o, const char *path,
    struct pf_err *err);

/* Writes the n bytes at p to o->fd, all of them (short writes resumed). */
int pf_outfile_write(struct pf_outfile *o, const void *p, size_t n,
    struct pf_err *err);

/*
 * Renames the temporary file over the target now, keeping o->fd open, so
 * that what is written next lands in the target (pf-record does this once
 * it holds an event).  Returns 0 or -1.
 */
int pf_outfile_publish(struct pf_outfile *o, struct pf_err *err);

/*
 * Closes the descriptor and renames the file into place (a caller that
 * wrapped o->fd in a FILE closes that and sets o->fd to -1 first: fclose
 * reports the last write error).  Returns 0 or -1;
 * on failure the temporary file is removed and the target left as it was.
 * The struct is released either way.
 */
int pf_outfile_commit(struct pf_outfile *o, struct pf_err *err);

/*
 * Closes the descriptor and removes the temporary file; the target is left
 * as it was.  Does nothing on a released struct.
 */
void pf_outfile_abort(struct pf_outfile *o);

/*
 * 1 if path names the same regular file (device and inode) as the open
 * descriptor fd, 0 if not, if it is not a regular file (/dev/null), or if
 * either cannot be looked at.
 */
int pf_outfile_same_fd(const char *path, int fd);

/* 1 if paths a and b name the same existing regular file, 0 otherwise. */
int pf_outfile_same(const char *a, const char *b);

#endif
