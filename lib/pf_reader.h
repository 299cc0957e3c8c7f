/*
 * pf_reader: a streaming line reader for recordings.
 *
 * Reads a file or standard input ("-") line by line in constant memory.
 * Gzip input is recognised by its magic bytes, never by the file name, and
 * is decompressed on the fly (concatenated members included).  Lines are
 * numbered by physical line; a CR before the LF is removed and flagged; a
 * UTF-8 byte order mark at the start of the input is removed and flagged.
 *
 * A line longer than the reader's cap is not kept: it is skipped to its end
 * and returned as an empty line flagged PF_LINE_TOO_LONG, so an over-long
 * line is a finding with a line number, never an out-of-memory.  The buffer
 * starts small and grows as lines need it, up to the cap and one chunk of
 * input (128 KiB): a large cap costs memory only when a line is that long.
 *
 * A gzip stream that turns out damaged (a CRC or data error) is not thrown
 * away: the lines inflated before the damage are handed out first, then
 * pf_reader_next fails with the error at the line the damage cut.
 *
 * Ownership: the reader owns its buffers.  A returned line is borrowed:
 * valid until the next call on the reader.  Errors: functions return -1 and
 * fill the struct pf_err; end of input is not an error.
 */
#ifndef PF_READER_H
#define PF_READER_H

#include <signal.h>
#include <stddef.h>

#include "pf_buf.h"
#include "pf_err.h"

/* The default cap on a line's length, in bytes (1 MiB). */
#define PF_MAX_LINE_DEFAULT (1024 * 1024)

/*
 * The largest cap a reader takes, in bytes (256 MiB); a larger max_line is
 * taken as this.  Tools refuse a larger option value.
 */
#define PF_MAX_LINE_LIMIT (256 * 1024 * 1024)

enum pf_line_flag {
	PF_LINE_CRLF = 1 << 0,		/* the line ended in CR LF */
	PF_LINE_NO_NEWLINE = 1 << 1,	/* the last line, with no final LF */
	PF_LINE_TOO_LONG = 1 << 2,	/* over the cap: data is "", see full_len */
	PF_LINE_BOM = 1 << 3		/* a UTF-8 BOM was removed from its start */
};

struct pf_line {
	const char *data;	/* borrowed; NUL-terminated at data[len] */
	size_t len;		/* bytes, without CR and LF */
	size_t full_len;	/* for PF_LINE_TOO_LONG: the bytes the line had */
	long lineno;		/* 1-based physical line number */
	unsigned flags;		/* enum pf_line_flag */
};

struct pf_reader;

/*
 * Opens path ("-" for standard input) with lines capped at max_line bytes
 * (0 for PF_MAX_LINE_DEFAULT, at most PF_MAX_LINE_LIMIT).  Returns NULL and
 * fills err on failure.
 */
struct pf_reader *pf_reader_open(const char *path, size_t max_line,
    struct pf_err *err);

/*
 * As pf_reader_open, on an open descriptor.  name is what pf_reader_name
 * returns.  The reader closes fd when freed unless it is 0 (stdin).
 */
struct pf_reader *pf_reader_fdopen(int fd, const char *name, size_t max_line,
    struct pf_err *err);

/*
 * As pf_reader_open, over n bytes in memory (borrowed: they must outlive
 * the reader), gzip or not.  name is what pf_reader_name returns.
 */
struct pf_reader *pf_reader_memopen(const void *data, size_t n,
    const char *name, size_t max_line, struct pf_err *err);

/*
 * The next line.  Returns 1 and fills *line, 0 at end of input, or -1 on a
 * read or decompression error (err->kind PF_ERR_IO or PF_ERR_DATA).  A
 * decompression error comes after the whole lines inflated before it, with
 * err->line the number of the line it cut; it is returned again by every
 * later call.
 */
int pf_reader_next(struct pf_reader *r, struct pf_line *line,
    struct pf_err *err);

/*
 * Looks at the start of the unread input without consuming it: fills *p and
 * *n with what is buffered, reading until it holds a whole line, the cap, or
 * the end of input.  Returns 0 or -1.  A BOM is not removed here.
 */
int pf_reader_peek(struct pf_reader *r, const char **p, size_t *n,
    struct pf_err *err);

/*
 * Appends all unread input to out, up to cap bytes.  Returns 0, or -1 with
 * err (PF_ERR_DATA "larger than ...") when the input exceeds cap.  Lines
 * are no longer counted after this.
 */
int pf_reader_slurp(struct pf_reader *r, struct pf_buf *out, size_t cap,
    struct pf_err *err);

/*
 * Makes a read interrupted by a signal (EINTR) fail with err->errnum EINTR
 * when *flag is nonzero, instead of being retried; the reader stays usable
 * and the next call carries on.  A signal handler sets the flag.
 */
void pf_reader_set_interrupt(struct pf_reader *r,
    const volatile sig_atomic_t *flag);

/*
 * Called at the end of the input while following a growing file: it waits
 * a little (it may sleep) and returns 0 to read again, nonzero to end the
 * input there.
 */
typedef int pf_reader_wait_fn(void *ctx);

/* Follows the input as it grows (tail -f), asking wait at each end. */
void pf_reader_set_follow(struct pf_reader *r, pf_reader_wait_fn *wait,
    void *ctx);

/*
 * Told, while following, that the file shrank below what was read
 * (replaced 0) or that another file took its path (replaced 1), as tail -F
 * notices; the reader then drops any partial line and reads the new
 * content from its start, numbering its lines from 1 again.
 */
typedef void pf_reader_restart_fn(void *ctx, int replaced);

/*
 * Sets the function told of a restart while following; fn may be NULL.
 * The checks are made at each end of the input, before the wait function
 * is asked: the size against the offset read (a file, not a pipe), and,
 * for a reader opened by path, the file at the path (device and inode),
 * which is opened in place of the old one once it exists.  The restart
 * itself, and the call of fn, happen in the pf_reader_next that follows.
 */
void pf_reader_set_restart(struct pf_reader *r, pf_reader_restart_fn *fn,
    void *ctx);

/* The input's name: the path, or "<stdin>" for "-".  Borrowed. */
const char *pf_reader_name(const struct pf_reader *r);

/* Nonzero if the input is gzip-compressed. */
int pf_reader_is_gzip(const struct pf_reader *r);

/* Nonzero once end of input was reached inside a gzip member. */
int pf_reader_gzip_truncated(const struct pf_reader *r);

/* Closes the input and frees the reader.  r may be NULL. */
void pf_reader_free(struct pf_reader *r);

#endif
