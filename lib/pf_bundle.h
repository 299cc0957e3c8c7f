/*
 * pf_bundle: writing an archive of outputs (zip, tar.gz) with libarchive,
 * reproducibly: entries carry one given time, no owner, fixed modes, and
 * the caller adds them in a fixed order.
 *
 * Ownership: the bundle owns the archive handle.  Errors: 0 or -1 with err
 * (libarchive's message copied at once).
 */
#ifndef PF_BUNDLE_H
#define PF_BUNDLE_H

#include <stddef.h>
#include <time.h>

#include "pf_err.h"

struct pf_bundle;

/*
 * Creates path; the format follows its name: .zip, .tar.gz or .tgz, .tar.
 * Every entry gets mtime.  NULL and err on failure.
 */
struct pf_bundle *pf_bundle_open(const char *path, time_t mtime,
    struct pf_err *err);

/* Adds the n bytes at data as the file name. */
int pf_bundle_add(struct pf_bundle *b, const char *name, const void *data,
    size_t n, struct pf_err *err);

/* Adds the file at path on disk as name. */
int pf_bundle_add_file(struct pf_bundle *b, const char *name,
    const char *path, struct pf_err *err);

/* Finishes and closes the archive; frees b.  0 or -1. */
int pf_bundle_close(struct pf_bundle *b, struct pf_err *err);

#endif
