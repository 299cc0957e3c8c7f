/*
 * pf_reader: line reading over read(2), with gzip decompressed by zlib's
 * inflate.  Lines are found with memchr in one buffer, grown as lines need
 * it up to a capped line plus one chunk, so memory stays bounded whatever
 * the input.  Following a file, tail -F's checks for truncation and
 * replacement.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "pf_alloc.h"
#include "pf_json.h"
#include "pf_reader.h"

#define CHUNK (128 * 1024)

struct pf_reader {
	int fd;
	char *name;
	char *path;		/* the file opened by name, or NULL */
	size_t max_line;

	/* Decompressed (or plain) bytes: buf[pos, end) is unread. */
	char *buf;
	size_t cap, pos, end;
	size_t max_cap;		/* what buf may grow to */
	size_t scanned;		/* buf[pos, pos+scanned) holds no LF */

	/* Compressed input, gzip only. */
	int gzip;
	int gzip_truncated;
	int in_member;		/* inside a gzip member not yet ended */
	z_stream zs;
	unsigned char *in;

	int eof;		/* the descriptor has nothing more */
	int done;		/* no more bytes will come: eof, all inflated */
	int started;		/* the first bytes were examined */
	long lineno;
	int skipping;		/* inside an over-long line */
	size_t skipped;		/* its bytes so far */

	const char *mem;	/* an input in memory (borrowed), or NULL */
	size_t memlen, mempos;
	const volatile sig_atomic_t *interrupt;	/* see pf_reader_set_interrupt */
	pf_reader_wait_fn *wait;		/* see pf_reader_set_follow */
	void *wait_ctx;
	pf_reader_restart_fn *restart;		/* see pf_reader_set_restart */
	void *restart_ctx;
	int restart_pending;	/* RESTART_TRUNCATED or RESTART_REPLACED */
	int newfd;		/* for RESTART_REPLACED: the file now at path */

	/* A decompression error, reported once the lines before it are out. */
	int failed;
	struct pf_err fail_err;
};

enum {
	RESTART_TRUNCATED = 1,
	RESTART_REPLACED
};

/*
 * At the end of a followed file: has it shrunk below what was read, or has
 * another file taken its path?  Sets r->restart_pending (and r->newfd) and
 * returns 1 if so.  A path that is missing for now (a rotation under way)
 * is no replacement yet.
 */
static int
check_restart(struct pf_reader *r)
{
	struct stat fst, pst;
	off_t off;
	int fd;

	if (r->fd < 0 || fstat(r->fd, &fst) < 0 || !S_ISREG(fst.st_mode))
		return 0;
	off = lseek(r->fd, 0, SEEK_CUR);
	if (off >= 0 && fst.st_size < off) {
		r->restart_pending = RESTART_TRUNCATED;
		return 1;
	}
	if (r->path == NULL || stat(r->path, &pst) < 0 ||
	    !S_ISREG(pst.st_mode) ||
	    (pst.st_dev == fst.st_dev && pst.st_ino == fst.st_ino))
		return 0;
	fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	if (fstat(fd, &pst) < 0 || !S_ISREG(pst.st_mode)) {
		close(fd);
		return 0;
	}
	r->newfd = fd;
	r->restart_pending = RESTART_REPLACED;
	return 1;
}

/*
 * Starts over on the new content of a followed file: from its start (or
 * on the file now at the path), with nothing kept of the old one, not
 * even a partial line, and lines numbered from 1 again.
 */
static void
restart_now(struct pf_reader *r)
{
	int replaced = r->restart_pending == RESTART_REPLACED;

	r->restart_pending = 0;
	if (replaced) {
		if (r->fd > 0)
			close(r->fd);
		r->fd = r->newfd;
		r->newfd = -1;
	} else {
		lseek(r->fd, 0, SEEK_SET);
	}
	if (r->gzip)
		inflateEnd(&r->zs);
	free(r->in);
	r->in = NULL;
	r->gzip = r->gzip_truncated = r->in_member = 0;
	r->pos = r->end = r->scanned = 0;
	r->skipping = 0;
	r->skipped = 0;
	r->eof = r->done = r->started = 0;
	r->failed = 0;
	r->lineno = 0;
	if (r->restart)
		r->restart(r->restart_ctx, replaced);
}

static int
read_raw(struct pf_reader *r, void *p, size_t n, size_t *got,
    struct pf_err *err)
{
	ssize_t k;

	if (r->mem) {
		/* An input in memory: an archive member. */
		k = (ssize_t)(r->memlen - r->mempos < n ? r->memlen - r->mempos :
		    n);
		memcpy(p, r->mem + r->mempos, (size_t)k);
		r->mempos += (size_t)k;
		*got = (size_t)k;
		if (k == 0)
			r->eof = 1;
		return 0;
	}
	for (;;) {
		k = read(r->fd, p, n);
		if (k < 0 && errno == EINTR) {
			if (r->interrupt && *r->interrupt)
				return pf_err_set(err, PF_ERR_IO, EINTR,
				    "interrupted");
			continue;
		}
		if (k < 0)
			return pf_err_set(err, PF_ERR_IO, errno,
			    "read error: %s", strerror(errno));
		/*
		 * Following a growing file: the end is only a pause, unless
		 * the file was truncated or replaced (the caller restarts).
		 */
		if (k == 0 && r->wait) {
			if (check_restart(r)) {
				*got = 0;
				return 0;
			}
			if (r->wait(r->wait_ctx) == 0)
				continue;
		}
		break;
	}
	*got = (size_t)k;
	if (k == 0)
		r->eof = 1;
	return 0;
}

/*
 * Reads the first bytes and decides whether the input is gzip.  The bytes
 * wait in buf[0, end) until two are there, so an interrupted read loses
 * none of them: the next call carries on.
 */
static int
start(struct pf_reader *r, struct pf_err *err)
{
	size_t got = 0, have;

	/* Two bytes decide; a short first read must not hide the magic. */
	while (r->end < 2 && !r->eof) {
		if (read_raw(r, r->buf + r->end, CHUNK - r->end, &got, err))
			return -1;
		if (r->restart_pending)
			return 0;
		r->end += got;
	}
	r->started = 1;
	have = r->end;
	if (have >= 2 && (unsigned char)r->buf[0] == 0x1f &&
	    (unsigned char)r->buf[1] == 0x8b) {
		r->gzip = 1;
		r->end = 0;
		r->in = pf_xmalloc(CHUNK);
		memcpy(r->in, r->buf, have);
		memset(&r->zs, 0, sizeof(r->zs));
		if (inflateInit2(&r->zs, 16 + MAX_WBITS) != Z_OK)
			return pf_err_set(err, PF_ERR_IO, 0,
			    "cannot initialise zlib");
		r->zs.next_in = r->in;
		r->zs.avail_in = (uInt)have;
		r->in_member = 1;
		return 0;
	}
	r->done = r->eof;
	return 0;
}

/* The decompression error kept in r, at the line it cut. */
static int
failed(struct pf_reader *r, struct pf_err *err)
{
	if (err) {
		*err = r->fail_err;
		err->line = r->lineno + 1;
	}
	return -1;
}

/*
 * Inflates into buf[end, cap-1) until at least one byte is added or the
 * input is over (r->done).  Returns 0 or -1.  On a data error, what was
 * inflated before it is kept and the error waits in r (r->failed).
 */
static int
fill_gzip(struct pf_reader *r, struct pf_err *err)
{
	size_t before = r->end;

	while (r->end == before && !r->done && !r->restart_pending) {
		int zr;

		if (r->zs.avail_in == 0 && !r->eof) {
			size_t got;

			if (read_raw(r, r->in, CHUNK, &got, err))
				return -1;
			if (r->restart_pending)
				break;
			r->zs.next_in = r->in;
			r->zs.avail_in = (uInt)got;
		}
		if (!r->in_member) {
			if (r->zs.avail_in == 0 && r->eof) {
				r->done = 1;
				break;
			}
			/* Another member follows the one that ended. */
			if (inflateReset(&r->zs) != Z_OK) {
				pf_err_set(&r->fail_err, PF_ERR_DATA, 0,
				    "gzip: cannot reset the decompressor");
				r->failed = 1;
				return failed(r, err);
			}
			r->in_member = 1;
		}
		r->zs.next_out = (unsigned char *)r->buf + r->end;
		r->zs.avail_out = (uInt)(r->cap - 1 - r->end);
		zr = inflate(&r->zs, Z_NO_FLUSH);
		r->end = (size_t)((char *)r->zs.next_out - r->buf);
		if (zr == Z_STREAM_END) {
			r->in_member = 0;
		} else if (zr == Z_BUF_ERROR) {
			/* No progress: more input is needed, and there is none. */
			if (r->zs.avail_in == 0 && r->eof) {
				r->gzip_truncated = 1;
				r->done = 1;
			}
		} else if (zr != Z_OK) {
			/* zlib's message dies with the stream: copy it now. */
			pf_err_set(&r->fail_err, PF_ERR_DATA, 0, "gzip: %s",
			    r->zs.msg ? r->zs.msg : "invalid compressed data");
			r->failed = 1;
			/* Hand out what was inflated; the error comes after. */
			return r->end > before ? 0 : failed(r, err);
		}
	}
	return 0;
}

/*
 * Grows buf so that a chunk fits after buf[end], up to max_cap: a long
 * line takes memory only when it comes.
 */
static void
grow(struct pf_reader *r)
{
	size_t want = r->cap * 2;

	if (want < r->end + CHUNK + 1)
		want = r->end + CHUNK + 1;
	if (want > r->max_cap)
		want = r->max_cap;
	r->buf = pf_xrealloc(r->buf, want);
	r->cap = want;
}

/*
 * Makes room and reads more bytes into buf[end, ...).  Returns 0 (having
 * added bytes, or with r->done set) or -1.
 */
static int
fill(struct pf_reader *r, struct pf_err *err)
{
	size_t got;

	if (r->restart_pending)
		restart_now(r);
	if (!r->started)
		return start(r, err);
	if (r->failed)
		return failed(r, err);
	if (r->done)
		return 0;
	if (r->pos > 0 && (r->pos == r->end || r->cap - 1 - r->end < CHUNK)) {
		memmove(r->buf, r->buf + r->pos, r->end - r->pos);
		r->end -= r->pos;
		r->pos = 0;
	}
	if (r->cap - 1 - r->end < CHUNK && r->cap < r->max_cap)
		grow(r);
	if (r->gzip)
		return fill_gzip(r, err);
	if (read_raw(r, r->buf + r->end, r->cap - 1 - r->end, &got, err))
		return -1;
	r->end += got;
	r->done = r->eof;
	return 0;
}

struct pf_reader *
pf_reader_fdopen(int fd, const char *name, size_t max_line,
    struct pf_err *err)
{
	struct pf_reader *r;

	(void)err;
	r = pf_xcalloc(1, sizeof(*r));
	r->fd = fd;
	r->newfd = -1;
	r->name = pf_xstrdup(name);
	r->max_line = max_line ? max_line : PF_MAX_LINE_DEFAULT;
	if (r->max_line > PF_MAX_LINE_LIMIT)
		r->max_line = PF_MAX_LINE_LIMIT;
	/*
	 * At most one capped line, its CR LF, and a whole chunk behind it;
	 * at first two chunks, grown when a line needs more.
	 */
	r->max_cap = r->max_line + 2 + CHUNK + 1;
	r->cap = r->max_cap < 2 * CHUNK ? r->max_cap : 2 * CHUNK;
	r->buf = pf_xmalloc(r->cap);
	return r;
}

struct pf_reader *
pf_reader_memopen(const void *data, size_t n, const char *name,
    size_t max_line, struct pf_err *err)
{
	struct pf_reader *r = pf_reader_fdopen(-1, name, max_line, err);

	r->mem = data;
	r->memlen = n;
	return r;
}

struct pf_reader *
pf_reader_open(const char *path, size_t max_line, struct pf_err *err)
{
	struct pf_reader *r;
	struct stat st;
	int fd;

	if (strcmp(path, "-") == 0)
		return pf_reader_fdopen(0, "<stdin>", max_line, err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pf_err_set(err, PF_ERR_IO, errno, "%s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		pf_err_set(err, PF_ERR_IO, EISDIR, "%s", strerror(EISDIR));
		return NULL;
	}
	r = pf_reader_fdopen(fd, path, max_line, err);
	r->path = pf_xstrdup(path);
	return r;
}

/* Hands out buf[pos, pos+len) as a line ending at eol bytes further on. */
static void
take_line(struct pf_reader *r, struct pf_line *line, size_t len, size_t eol)
{
	char *p = r->buf + r->pos;

	line->flags = 0;
	line->full_len = 0;
	line->lineno = ++r->lineno;
	r->pos += len + eol;
	r->scanned = 0;
	if (len > 0 && p[len - 1] == '\r') {
		len--;
		line->flags |= PF_LINE_CRLF;
	}
	p[len] = '\0';
	if (line->lineno == 1 && pf_utf8_bom(p, len) > 0) {
		p += 3;
		len -= 3;
		line->flags |= PF_LINE_BOM;
	}
	line->data = p;
	line->len = len;
	if (eol == 0)
		line->flags |= PF_LINE_NO_NEWLINE;
}

/* Reports an over-long line of full bytes that was skipped. */
static void
too_long(struct pf_reader *r, struct pf_line *line, size_t full,
    unsigned flags)
{
	line->data = "";
	line->len = 0;
	line->full_len = full;
	line->lineno = ++r->lineno;
	line->flags = PF_LINE_TOO_LONG | flags;
	r->scanned = 0;
	r->skipping = 0;
	r->skipped = 0;
}

int
pf_reader_next(struct pf_reader *r, struct pf_line *line, struct pf_err *err)
{
	for (;;) {
		size_t avail = r->end - r->pos;
		char *nl = NULL;

		if (avail > r->scanned)
			nl = memchr(r->buf + r->pos + r->scanned, '\n',
			    avail - r->scanned);
		if (nl != NULL) {
			size_t len = (size_t)(nl - (r->buf + r->pos));

			if (r->skipping || len > r->max_line + 1 ||
			    (len == r->max_line + 1 && nl[-1] != '\r')) {
				/* The length of the line, its CR not counted. */
				too_long(r, line, r->skipped + len -
				    (len > 0 && nl[-1] == '\r'), 0);
				r->pos += len + 1;
				return 1;
			}
			take_line(r, line, len, 1);
			return 1;
		}
		r->scanned = avail;
		if (avail > r->max_line + 1) {
			/* Over the cap: forget it, keep counting to its end. */
			r->skipping = 1;
			r->skipped += avail;
			r->pos = r->end;
			r->scanned = 0;
			avail = 0;
		}
		if (r->done && r->started) {
			if (r->skipping) {
				too_long(r, line, r->skipped + avail,
				    PF_LINE_NO_NEWLINE);
				r->pos = r->end;
				return 1;
			}
			if (avail == 0)
				return 0;
			if (avail > r->max_line) {
				/* No LF, so no CR allowance either. */
				too_long(r, line, avail, PF_LINE_NO_NEWLINE);
				r->pos = r->end;
				return 1;
			}
			take_line(r, line, avail, 0);
			return 1;
		}
		if (fill(r, err))
			return -1;
	}
}

int
pf_reader_peek(struct pf_reader *r, const char **p, size_t *n,
    struct pf_err *err)
{
	for (;;) {
		size_t avail = r->end - r->pos;

		if (r->started && (r->done || avail > r->max_line ||
		    memchr(r->buf + r->pos, '\n', avail))) {
			*p = r->buf + r->pos;
			*n = avail;
			return 0;
		}
		if (fill(r, err))
			return -1;
	}
}

int
pf_reader_slurp(struct pf_reader *r, struct pf_buf *out, size_t cap,
    struct pf_err *err)
{
	size_t total = 0;

	for (;;) {
		size_t avail = r->end - r->pos;

		if (total + avail > cap)
			return pf_err_set(err, PF_ERR_DATA, 0,
			    "input larger than %zu bytes", cap);
		pf_buf_add(out, r->buf + r->pos, avail);
		total += avail;
		r->pos = r->end;
		r->scanned = 0;
		if (r->started && r->done)
			return 0;
		if (fill(r, err))
			return -1;
	}
}

void
pf_reader_set_interrupt(struct pf_reader *r,
    const volatile sig_atomic_t *flag)
{
	r->interrupt = flag;
}

void
pf_reader_set_follow(struct pf_reader *r, pf_reader_wait_fn *wait, void *ctx)
{
	r->wait = wait;
	r->wait_ctx = ctx;
}

void
pf_reader_set_restart(struct pf_reader *r, pf_reader_restart_fn *fn,
    void *ctx)
{
	r->restart = fn;
	r->restart_ctx = ctx;
}

const char *
pf_reader_name(const struct pf_reader *r)
{
	return r->name;
}

int
pf_reader_is_gzip(const struct pf_reader *r)
{
	return r->gzip;
}

int
pf_reader_gzip_truncated(const struct pf_reader *r)
{
	return r->gzip_truncated;
}

void
pf_reader_free(struct pf_reader *r)
{
	if (r == NULL)
		return;
	if (r->gzip)
		inflateEnd(&r->zs);
	if (r->fd > 0)
		close(r->fd);
	if (r->newfd >= 0)
		close(r->newfd);
	free(r->in);
	free(r->buf);
	free(r->name);
	free(r->path);
	free(r);
}
