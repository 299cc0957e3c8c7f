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

#include "pf_convert.h"
#include "pf_err.h"

struct pf_bundle;

/*
 * Starts the archive path; the format follows its name: .zip, .tar.gz or
 * .tgz, .tar.  It is written beside path and renamed into place by
 * pf_bundle_close (pf_outfile), so an existing archive stays as it was
 * until the new one is whole.  Every entry gets mtime.  NULL and err on
 * failure.
 */
struct pf_bundle *pf_bundle_open(const char *path, time_t mtime,
    struct pf_err *err);

/* Adds the n bytes at data as the file name (UTF-8, in either format). */
int pf_bundle_add(struct pf_bundle *b, const char *name, const void *data,
    size_t n, struct pf_err *err);

/* Adds the file at path on disk as name. */
int pf_bundle_add_file(struct pf_bundle *b, const char *name,
    const char *path, struct pf_err *err);

/* An output in the bundle, as its index.html lists it. */
struct pf_bundle_item {
	const char *name;	/* its path in the bundle, UTF-8 */
	const struct pf_convert_result *res;	/* what the conversion made */
};

/*
 * Adds index.html: a page listing the n items in their order, each a link
 * to its name ("./" before it, so that no name reads as a scheme) titled
 * with its title, then its date when known, its duration, its steps and
 * its attendees.  Names and titles are HTML-escaped (pf_render); the page
 * allows no script, style or fetch (Content-Security-Policy).
 */
int pf_bundle_add_index(struct pf_bundle *b,
    const struct pf_bundle_item *items, size_t n, struct pf_err *err);

/*
 * Finishes the archive and renames it into place; frees b.  0, or -1 with
 * the target left as it was.
 */
int pf_bundle_close(struct pf_bundle *b, struct pf_err *err);

/* Throws the archive away, the target left as it was; frees b (or NULL). */
void pf_bundle_abort(struct pf_bundle *b);

#endif
