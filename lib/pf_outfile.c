/*
 * pf_outfile: temporary file beside the target, rename(2) on success, so
 * that no tool ever leaves a target half written or emptied.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "pf_alloc.h"
#include "pf_outfile.h"

static void
release(struct pf_outfile *o)
{
	free(o->path);
	free(o->tmp);
	o->path = o->tmp = NULL;
	o->fd = -1;
}

/*
 * mkstemp(3) with the mode open(2) gives a new file: 0666 less the umask,
 * applied by the kernel.  mkstemp makes 0600, and reading the umask means
 * setting it to 0 and back, a window in which a file or folder another
 * thread makes takes mode 0666 or 0777.  tmpl ends in "XXXXXX".
 */
static int
open_temp(char *tmpl)
{
	static const char chars[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	char *x = tmpl + strlen(tmpl) - 6;
	unsigned char r[6];
	int tries, i, fd;

	for (tries = 0; tries < 100; tries++) {
		if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
			/* Early boot: names need only differ, not be secret. */
			unsigned long v = (unsigned long)clock() ^
			    (unsigned long)getpid() * 2654435761UL ^
			    (unsigned long)tries * 40503UL;

			for (i = 0; i < 6; i++, v >>= 5)
				r[i] = (unsigned char)v;
		}
		for (i = 0; i < 6; i++)
			x[i] = chars[r[i] % (sizeof(chars) - 1)];
		fd = open(tmpl, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	return -1;
}

int
pf_outfile_open(struct pf_outfile *o, const char *path, struct pf_err *err)
{
	const char *slash = strrchr(path, '/');
	struct stat st;
	int saved;

	o->path = pf_xstrdup(path);
	o->tmp = NULL;
	o->fd = -1;
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
		o->fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
		if (o->fd < 0)
			goto fail;
		return 0;
	}
	if (slash)
		o->tmp = pf_xasprintf("%.*s/.%s.pf-XXXXXX",
		    (int)(slash - path), path, slash + 1);
	else
		o->tmp = pf_xasprintf(".%s.pf-XXXXXX", path);
	o->fd = open_temp(o->tmp);
	if (o->fd < 0)
		goto fail;
	return 0;
fail:
	saved = errno;
	pf_outfile_abort(o);
	return pf_err_set(err, PF_ERR_IO, saved, "%s: %s", path,
	    strerror(saved));
}

int
pf_outfile_write(struct pf_outfile *o, const void *p, size_t n,
    struct pf_err *err)
{
	const char *c = p;

	while (n > 0) {
		ssize_t k = write(o->fd, c, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return pf_err_set(err, PF_ERR_IO, errno, "%s: %s",
			    o->path, strerror(errno));
		c += k;
		n -= (size_t)k;
	}
	return 0;
}

int
pf_outfile_publish(struct pf_outfile *o, struct pf_err *err)
{
	if (o->tmp == NULL)
		return 0;
	if (rename(o->tmp, o->path) < 0)
		return pf_err_set(err, PF_ERR_IO, errno, "%s: %s", o->path,
		    strerror(errno));
	free(o->tmp);
	o->tmp = NULL;
	return 0;
}

int
pf_outfile_commit(struct pf_outfile *o, struct pf_err *err)
{
	int saved;

	if (o->path == NULL)
		return 0;
	if (o->fd >= 0 && close(o->fd) < 0) {
		saved = errno;
		o->fd = -1;
		goto fail;
	}
	o->fd = -1;
	if (o->tmp && rename(o->tmp, o->path) < 0) {
		saved = errno;
		goto fail;
	}
	release(o);
	return 0;
fail:
	pf_err_set(err, PF_ERR_IO, saved, "%s: %s", o->path, strerror(saved));
	pf_outfile_abort(o);
	return -1;
}

void
pf_outfile_abort(struct pf_outfile *o)
{
	if (o->path == NULL)
		return;
	if (o->fd >= 0)
		close(o->fd);
	if (o->tmp)
		unlink(o->tmp);
	release(o);
}

/* Only a regular file can be emptied by its own output: not /dev/null. */
static int
same(const struct stat *a, const struct stat *b)
{
	return S_ISREG(a->st_mode) && a->st_dev == b->st_dev &&
	    a->st_ino == b->st_ino;
}

int
pf_outfile_same_fd(const char *path, int fd)
{
	struct stat a, b;

	return stat(path, &a) == 0 && fstat(fd, &b) == 0 && same(&a, &b);
}

int
pf_outfile_same(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && same(&sa, &sb);
}
