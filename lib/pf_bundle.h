/*
 * pf_bundle: writing an archive of outputs (zip, tar.gz) with libarchive,
 * reproducibly: entries carry one given time, no owner, fixed modes, and
 * the caller adds them in a fixed order.  pf_bundle_pack packs the outputs
 * of a batch that way, with their index.html (and for guides the
 * repository.json of their folders).
 *
 * Ownership: the bundle owns the archive handle; the outputs are borrowed.
 * Errors: 0 or -1 with err (libarchive's message copied at once).
 */
#ifndef PF_BUNDLE_H
#define PF_BUNDLE_H

#include <stddef.h>
#include <time.h>

#include "pf_convert.h"
#include "pf_err.h"
#include "pf_guide.h"

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

/* The outputs of a batch, written under one folder. */
struct pf_bundle_outputs {
	const char *dir;	/* the folder they were written to */
	const struct pf_convert_result *const *res;	/* each path under dir */
	size_t n;
	int guides;	/* each path is a guide's content.json, in a folder
			 * of its own beside its manifest.json */
};

/*
 * Writes the bundle path (as pf_bundle_open names its form), every entry
 * at mtime: each output in its order, named by its path under o->dir (a
 * guide's manifest.json after its content.json); for guides the
 * repository.json of their folders, in the order of the folders' names
 * (pf_guide_repository: a folder it leaves out is told to warn, which may
 * be NULL); then index.html listing the outputs (pf_bundle_add_index).
 * Returns 0, or -1 with err and no archive written (one there before left
 * as it was).
 */
int pf_bundle_pack(const char *path, time_t mtime,
    const struct pf_bundle_outputs *o, pf_guide_warn_fn *warn, void *ctx,
    struct pf_err *err);

/*
 * Removes the outputs from disk (a guide's folder with pf_guide_remove),
 * then o->dir if that leaves it empty: for a folder made only to pack a
 * bundle from.  What cannot be removed stays; nothing is reported.
 */
void pf_bundle_remove_outputs(const struct pf_bundle_outputs *o);

#endif
