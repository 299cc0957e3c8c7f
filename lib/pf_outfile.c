/*
 * pf_outfile: temporary file beside the target, rename(2) on success, so
 * that no tool ever leaves a target half written or emptied.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int
pf_outfile_open(struct pf_outfile *o, const char *path, struct pf_err *err)
{
	const char *slash = strrchr(path, '/');
	struct stat st;
	mode_t mask;
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
	o->fd = mkostemp(o->tmp, O_CLOEXEC);
	if (o->fd < 0)
		goto fail;
	/* mkstemp makes 0600; a new file gets what open(2) would give it. */
	mask = umask(0);
	umask(mask);
	if (fchmod(o->fd, 0666 & ~mask) < 0)
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
