/*
 * pf_writer: line output over write(2), plain or through zlib's deflate,
 * buffered or one write per line; a new file goes through pf_outfile (a
 * temporary file renamed into place).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_outfile.h"
#include "pf_writer.h"

#define BUFSZ (64 * 1024)

struct pf_writer {
	int fd;
	char *name;
	unsigned flags;
	char *buf;		/* bytes waiting for write(2) */
	size_t len;
	z_stream zs;
	struct pf_buf line;	/* a line being assembled (gzip, events) */
	unsigned long long written;
	unsigned long long lines;	/* lines handed to the kernel whole */
	unsigned long long gz_lines;	/* lines given to deflate */
	const volatile sig_atomic_t *interrupt;	/* see set_interrupt */
	int regular;		/* a regular file: a failed line can be cut off */
	off_t base;		/* its size when opened */
	off_t good;		/* its size after the last whole line */
	int failed;		/* errno of a failed write: refuse further writes */
	struct pf_outfile file;	/* the file beside the target, or path NULL */
};

static int write_line(struct pf_writer *w, const char *p, size_t n,
    struct pf_err *err);

/*
 * After a drain that returned rc: with gzip, the lines given to deflate
 * before a sync flush that went out are whole in the output.
 */
static int
flushed(struct pf_writer *w, int rc)
{
	if (rc == 0 && (w->flags & PF_WRITER_GZIP))
		w->lines = w->gz_lines;
	return rc;
}

/*
 * With the interrupt flag set, whether fd cannot take a byte now: a write
 * would block, and nothing is going to come and unblock it.
 */
static int
would_block(const struct pf_writer *w)
{
	struct pollfd pfd = { w->fd, POLLOUT, 0 };

	return !w->regular && poll(&pfd, 1, 0) == 0;
}

static int
write_all(struct pf_writer *w, const char *p, size_t n, struct pf_err *err)
{
	while (n > 0) {
		ssize_t k;

		if (w->interrupt && *w->interrupt && would_block(w)) {
			errno = EINTR;
			k = -1;
		} else {
			k = write(w->fd, p, n);
		}
		if (k < 0) {
			if (errno == EINTR && !(w->interrupt && *w->interrupt))
				continue;
			w->failed = errno ? errno : EIO;
			return pf_err_set(err, PF_ERR_IO, w->failed,
			    "write error: %s", strerror(w->failed));
		}
		if (!(w->flags & PF_WRITER_GZIP)) {
			const char *q = p, *end = p + k;

			while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
				w->lines++;
				q++;
			}
		}
		p += k;
		n -= (size_t)k;
		w->written += (unsigned long long)k;
	}
	return 0;
}

static int
drain(struct pf_writer *w, struct pf_err *err)
{
	int rc = 0;

	if (w->len > 0)
		rc = write_all(w, w->buf, w->len, err);
	w->len = 0;
	return rc;
}

/* Adds n bytes to the output buffer, writing when it is full. */
static int
emit(struct pf_writer *w, const char *p, size_t n, struct pf_err *err)
{
	if (w->len + n > BUFSZ) {
		if (drain(w, err))
			return -1;
		if (n > BUFSZ)
			return write_all(w, p, n, err);
	}
	memcpy(w->buf + w->len, p, n);
	w->len += n;
	return 0;
}

/* Deflates n bytes with the given flush mode into the output buffer. */
static int
deflate_bytes(struct pf_writer *w, const char *p, size_t n, int flush,
    struct pf_err *err)
{
	unsigned char out[16384];
	int zr;

	w->zs.next_in = (unsigned char *)(uintptr_t)p;
	w->zs.avail_in = (uInt)n;
	do {
		w->zs.next_out = out;
		w->zs.avail_out = sizeof(out);
		zr = deflate(&w->zs, flush);
		if (zr == Z_STREAM_ERROR)
			return pf_err_set(err, PF_ERR_IO, 0,
			    "gzip: compression failed");
		if (emit(w, (char *)out, sizeof(out) - w->zs.avail_out, err))
			return -1;
	} while (w->zs.avail_out == 0 || (flush == Z_FINISH && zr != Z_STREAM_END));
	return 0;
}

struct pf_writer *
pf_writer_fdopen(int fd, const char *name, unsigned flags, struct pf_err *err)
{
	struct pf_writer *w = pf_xcalloc(1, sizeof(*w));

	w->fd = fd;
	w->name = pf_xstrdup(name);
	w->flags = flags;
	w->file.fd = -1;
	{
		struct stat st;

		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
			w->regular = 1;
			w->base = lseek(fd, 0, SEEK_END);
			w->good = w->base;
			if (w->base < 0)
				w->regular = 0;
		}
	}
	w->buf = pf_xmalloc(BUFSZ);
	pf_buf_init(&w->line);
	if (flags & PF_WRITER_GZIP) {
		/* 16 + windowBits: a gzip header and trailer, not zlib's. */
		if (deflateInit2(&w->zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
		    Z_DEFAULT_STRATEGY) != Z_OK) {
			pf_err_set(err, PF_ERR_IO, 0, "cannot initialise zlib");
			free(w->buf);
			free(w->name);
			free(w);
			return NULL;
		}
	}
	return w;
}

/* Puts pf_outfile's error (which names the file) in the writer's words. */
static int
file_error(struct pf_err *err, const char *what, const struct pf_err *e)
{
	if (what)
		return pf_err_set(err, PF_ERR_IO, e->errnum, "%s: %s", what,
		    strerror(e->errnum));
	return pf_err_set(err, PF_ERR_IO, e->errnum, "%s",
	    strerror(e->errnum));
}

struct pf_writer *
pf_writer_open(const char *path, unsigned flags, struct pf_err *err)
{
	struct pf_outfile file;
	struct pf_writer *w;
	struct pf_err e;
	int fd;

	if (strcmp(path, "-") == 0)
		return pf_writer_fdopen(1, "<stdout>", flags, err);
	if (flags & (PF_WRITER_APPEND | PF_WRITER_EXCL)) {
		/* In place: nothing there can be lost. */
		fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC |
		    (flags & PF_WRITER_APPEND ? O_APPEND : 0) |
		    (flags & PF_WRITER_EXCL ? O_EXCL : 0), 0666);
		if (fd < 0) {
			pf_err_set(err, PF_ERR_IO, errno, "%s",
			    strerror(errno));
			return NULL;
		}
		return pf_writer_fdopen(fd, path, flags, err);
	}
	if (pf_outfile_open(&file, path, &e) < 0) {
		file_error(err, NULL, &e);
		return NULL;
	}
	w = pf_writer_fdopen(file.fd, path, flags, err);
	if (w == NULL) {
		pf_outfile_abort(&file);
		return NULL;
	}
	w->file = file;
	return w;
}

int
pf_writer_publish(struct pf_writer *w, struct pf_err *err)
{
	struct pf_err e;

	if (w->file.path && pf_outfile_publish(&w->file, &e) < 0)
		return file_error(err, "cannot put the file in place", &e);
	return 0;
}

/*
 * After a failed write of a whole line (disk full, a size limit), cuts
 * the file back to its last whole line, so that what is there stays a
 * readable recording.
 */
static void
cut_back(struct pf_writer *w)
{
	if (w->regular && (w->flags & PF_WRITER_EACH) &&
	    ftruncate(w->fd, w->good) == 0)
		lseek(w->fd, w->good, SEEK_SET);
}

int
pf_writer_line(struct pf_writer *w, const char *p, size_t n,
    struct pf_err *err)
{
	int rc = write_line(w, p, n, err);

	if (rc < 0)
		cut_back(w);
	else if (w->regular && (w->flags & PF_WRITER_EACH))
		w->good = w->base + (off_t)w->written;
	return rc;
}

static int
write_line(struct pf_writer *w, const char *p, size_t n, struct pf_err *err)
{
	if (w->failed)
		return pf_err_set(err, PF_ERR_IO, w->failed,
		    "write error: %s", strerror(w->failed));
	if (w->flags & PF_WRITER_GZIP) {
		if (deflate_bytes(w, p, n, Z_NO_FLUSH, err) ||
		    deflate_bytes(w, "\n", 1, (w->flags & PF_WRITER_EACH) ?
		    Z_SYNC_FLUSH : Z_NO_FLUSH, err))
			return -1;
		w->gz_lines++;
	} else if (w->flags & PF_WRITER_EACH) {
		/* One write(2) a line: the line reaches the kernel whole. */
		pf_buf_reset(&w->line);
		pf_buf_add(&w->line, p, n);
		pf_buf_addc(&w->line, '\n');
		return write_all(w, w->line.data, w->line.len, err);
	} else {
		if (emit(w, p, n, err) || emit(w, "\n", 1, err))
			return -1;
	}
	if (w->flags & PF_WRITER_EACH)
		return flushed(w, drain(w, err));
	return 0;
}

int
pf_writer_flush(struct pf_writer *w, struct pf_err *err)
{
	if (w->failed)
		return pf_err_set(err, PF_ERR_IO, w->failed,
		    "write error: %s", strerror(w->failed));
	if ((w->flags & PF_WRITER_GZIP) &&
	    deflate_bytes(w, "", 0, Z_SYNC_FLUSH, err))
		return -1;
	return flushed(w, drain(w, err));
}

int
pf_writer_sync(struct pf_writer *w, struct pf_err *err)
{
	if (pf_writer_flush(w, err))
		return -1;
	if (fsync(w->fd) < 0 && errno != EINVAL && errno != EROFS)
		return pf_err_set(err, PF_ERR_IO, errno, "fsync: %s",
		    strerror(errno));
	return 0;
}

void
pf_writer_set_interrupt(struct pf_writer *w,
    const volatile sig_atomic_t *flag)
{
	w->interrupt = flag;
}

unsigned long long
pf_writer_lines(const struct pf_writer *w)
{
	return w->lines;
}

const char *
pf_writer_name(const struct pf_writer *w)
{
	return w->name;
}

static void
release(struct pf_writer *w)
{
	if (w->flags & PF_WRITER_GZIP)
		deflateEnd(&w->zs);
	pf_buf_release(&w->line);
	free(w->buf);
	free(w->name);
	free(w);
}

int
pf_writer_close(struct pf_writer *w, struct pf_err *err)
{
	struct pf_err e;
	int rc = 0;

	if (w == NULL)
		return 0;
	if (!w->failed && (w->flags & PF_WRITER_GZIP))
		rc = deflate_bytes(w, "", 0, Z_FINISH, err);
	if (rc == 0 && !w->failed)
		rc = drain(w, err);
	if (w->failed && rc == 0)
		rc = pf_err_set(err, PF_ERR_IO, w->failed, "write error: %s",
		    strerror(w->failed));
	if (w->file.path) {
		/* Whole: into place; failed: the target is left as it was. */
		if (rc < 0)
			pf_outfile_abort(&w->file);
		else if (pf_outfile_commit(&w->file, &e) < 0)
			rc = file_error(err, "cannot put the file in place", &e);
	} else if (w->fd > 1 && close(w->fd) < 0 && rc == 0) {
		rc = pf_err_set(err, PF_ERR_IO, errno, "close: %s",
		    strerror(errno));
	}
	release(w);
	return rc;
}

void
pf_writer_abort(struct pf_writer *w)
{
	if (w == NULL)
		return;
	if (w->file.path)
		pf_outfile_abort(&w->file);
	else if (w->fd > 1)
		close(w->fd);
	release(w);
}
