/*
 * pf_diag: diagnostics on stderr, for cmd/ only.
 *
 * Every message starts with the program's name: "pf-lint: message".  This
 * module and pf_alloc are the only parts of lib/ that print, and only the
 * tools (cmd/) call it: the library reports through struct pf_err and
 * callbacks and leaves the wording of the exit to the tool.
 */
#ifndef PF_DIAG_H
#define PF_DIAG_H

#include <stdio.h>

#include "pf_err.h"

/*
 * Sets the program name from argv[0] (its basename), and first makes sure
 * descriptors 0 to 2 are open (to /dev/null), so that no file a tool opens
 * takes the place of stderr.  Every tool calls it first.
 */
void pf_diag_init(const char *argv0);

/* The program name.  Borrowed. */
const char *pf_diag_prog(void);

/* "prog: message" */
void pf_diag_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "prog: warning: message" */
void pf_diag_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "prog: FILE:LINE: warning: message" (no ":LINE" when line is 0) */
void pf_diag_warn_at(const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "prog: message" then "Try 'prog --help'." */
void pf_diag_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Reports what getopt_long(3) objected to, for a caller using opterr = 0
 * and an optstring starting with ':'.  ch is what getopt_long returned
 * (':' or '?'); argv is the program's.  Always returns -1.
 */
int pf_diag_bad_option(int ch, char **argv);

/* "prog: what: err->msg", with "what: " left out when what is NULL. */
void pf_diag_err(const char *what, const struct pf_err *err);

/*
 * Flushes and closes stdout, reporting a write error once.  Returns 0, or
 * -1 after printing "prog: write error: ...".  EPIPE is reported too unless
 * quiet_epipe is set.  Only the first call closes; later ones return its
 * result.
 */
int pf_diag_close_stdout(int quiet_epipe);

/*
 * Writes s to f with control characters escaped (\n, \t, \r, \xNN for C0
 * controls, DEL and bytes that are not UTF-8; \uXXXX for the C1 controls
 * and the bidirectional controls such as U+202E): text from a recording or
 * a file name must neither move the cursor, nor split or reorder a line of
 * output.  Every diagnostic goes through it.  s may be NULL.
 */
void pf_diag_put_text(FILE *f, const char *s);

/* Nonzero if colour may be used on fd: a terminal, and NO_COLOR unset. */
int pf_diag_color(int fd);

#endif
