/*
 * pf_archive: reading the members of an archive (tar, tar.gz, tgz, zip)
 * in memory, never extracting them.
 *
 * libarchive is loaded with dlopen(3) on first use: it brings a dozen
 * libraries with it (ICU among them) whose loading would otherwise cost
 * every start of pf-index several milliseconds, archives or not.
 *
 * Ownership: an entry's name is borrowed until the next call on the
 * archive.  Errors: -1 with err (libarchive's message copied at once):
 * PF_ERR_IO when the system would not open or read the file, PF_ERR_DATA
 * for an archive damaged, cut short or of no known format.
 */
#ifndef PF_ARCHIVE_H
#define PF_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "pf_err.h"

enum pf_archive_type {
	PF_ARCHIVE_FILE,
	PF_ARCHIVE_DIR,
	PF_ARCHIVE_OTHER	/* links, devices, fifos */
};

struct pf_archive_entry {
	const char *name;
	enum pf_archive_type type;
	int64_t mtime;
	int64_t size;		/* -1 when the archive does not say */
};

struct pf_archive;

/* Opens the archive at path for reading.  NULL and err on failure. */
struct pf_archive *pf_archive_open(const char *path, struct pf_err *err);

/* The next member: 1, 0 at the end, -1 on a damaged archive. */
int pf_archive_next(struct pf_archive *a, struct pf_archive_entry *e,
    struct pf_err *err);

/* Reads up to n bytes of the current member: the count, 0 at its end, -1. */
ssize_t pf_archive_read(struct pf_archive *a, void *buf, size_t n,
    struct pf_err *err);

/* Closes the archive.  a may be NULL. */
void pf_archive_close(struct pf_archive *a);

#endif
