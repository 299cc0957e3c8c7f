/*
 * pf_archive: libarchive's read API, reached through dlopen so that the
 * library and its dependencies load only when an archive is read.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "pf_alloc.h"
#include "pf_archive.h"

/* The functions used, by name: one table, filled once. */
static struct {
	int loaded;
	struct archive *(*read_new)(void);
	int (*support_filter_all)(struct archive *);
	int (*support_format_all)(struct archive *);
	int (*open_filename)(struct archive *, const char *, size_t);
	int (*next_header)(struct archive *, struct archive_entry **);
	la_ssize_t (*read_data)(struct archive *, void *, size_t);
	int (*read_free)(struct archive *);
	const char *(*error_string)(struct archive *);
	int (*error_no)(struct archive *);
	const char *(*entry_pathname)(struct archive_entry *);
	__LA_MODE_T (*entry_filetype)(struct archive_entry *);
	time_t (*entry_mtime)(struct archive_entry *);
	int (*entry_size_is_set)(struct archive_entry *);
	la_int64_t (*entry_size)(struct archive_entry *);
} la;

struct pf_archive {
	struct archive *a;
};

static int
load(struct pf_err *err)
{
	static const char *const names[] = {
		"libarchive.so.13", "libarchive.so", NULL
	};
	void *h = NULL;
	int i;

	if (la.loaded)
		return 0;
	for (i = 0; names[i] && h == NULL; i++)
		h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (h == NULL)
		return pf_err_set(err, PF_ERR_IO, 0, "cannot load libarchive: %s",
		    dlerror());
#define SYM(field, name) \
	if ((*(void **)&la.field = dlsym(h, name)) == NULL) \
		return pf_err_set(err, PF_ERR_IO, 0, "libarchive lacks %s", name)
	SYM(read_new, "archive_read_new");
	SYM(support_filter_all, "archive_read_support_filter_all");
	SYM(support_format_all, "archive_read_support_format_all");
	SYM(open_filename, "archive_read_open_filename");
	SYM(next_header, "archive_read_next_header");
	SYM(read_data, "archive_read_data");
	SYM(read_free, "archive_read_free");
	SYM(error_string, "archive_error_string");
	SYM(error_no, "archive_errno");
	SYM(entry_pathname, "archive_entry_pathname");
	SYM(entry_filetype, "archive_entry_filetype");
	SYM(entry_mtime, "archive_entry_mtime");
	SYM(entry_size_is_set, "archive_entry_size_is_set");
	SYM(entry_size, "archive_entry_size");
#undef SYM
	la.loaded = 1;
	return 0;
}

/*
 * libarchive's error, copied.  Its number is the system's errno when
 * opening or reading the file failed: that is PF_ERR_IO, so that a caller
 * can tell an archive it could not read from a damaged one.  libarchive's
 * own numbers (an unknown format, a misuse, no memory for a header's
 * claims, or -1 for the rest) mean the archive is at fault.
 */
static int
fail(struct pf_archive *a, struct pf_err *err)
{
	const char *msg = la.error_string(a->a);
	int no = la.error_no(a->a);
	/*
	 * archive.h leaves its numbers unset; archive_private.h has them:
	 * EFTYPE or else EILSEQ for a format, EINVAL for a misuse.
	 */
#ifdef EFTYPE
	int format = EFTYPE;
#else
	int format = EILSEQ;
#endif
	int sys = no > 0 && no != format && no != EINVAL && no != ENOMEM;

	return pf_err_set(err, sys ? PF_ERR_IO : PF_ERR_DATA, no, "%s",
	    msg ? msg : "unreadable archive");
}

struct pf_archive *
pf_archive_open(const char *path, struct pf_err *err)
{
	struct pf_archive *a;

	if (load(err) < 0)
		return NULL;
	a = pf_xcalloc(1, sizeof(*a));
	a->a = la.read_new();
	la.support_filter_all(a->a);
	la.support_format_all(a->a);
	if (la.open_filename(a->a, path, 65536) != ARCHIVE_OK) {
		fail(a, err);
		pf_archive_close(a);
		return NULL;
	}
	return a;
}

int
pf_archive_next(struct pf_archive *a, struct pf_archive_entry *e,
    struct pf_err *err)
{
	struct archive_entry *ae;
	int r = la.next_header(a->a, &ae);

	if (r == ARCHIVE_EOF)
		return 0;
	if (r != ARCHIVE_OK && r != ARCHIVE_WARN)
		return fail(a, err);
	e->name = la.entry_pathname(ae);
	if (e->name == NULL)
		e->name = "";
	switch (la.entry_filetype(ae)) {
	case AE_IFREG:
		e->type = PF_ARCHIVE_FILE;
		break;
	case AE_IFDIR:
		e->type = PF_ARCHIVE_DIR;
		break;
	default:
		e->type = PF_ARCHIVE_OTHER;
		break;
	}
	e->mtime = (int64_t)la.entry_mtime(ae);
	e->size = la.entry_size_is_set(ae) ? (int64_t)la.entry_size(ae) : -1;
	return 1;
}

ssize_t
pf_archive_read(struct pf_archive *a, void *buf, size_t n, struct pf_err *err)
{
	la_ssize_t k = la.read_data(a->a, buf, n);

	if (k < 0)
		return fail(a, err);
	return (ssize_t)k;
}

void
pf_archive_close(struct pf_archive *a)
{
	if (a == NULL)
		return;
	if (a->a)
		la.read_free(a->a);
	free(a);
}
