/*
 * pf_guide: the Pathfinder app's rules for JSON guides that pf-convert
 * must meet, the repository.json index of a folder of guides, and guide
 * folders put in place, their ids kept apart, or removed.
 *
 * The rules are those of the app's own checker (`pathfinder-cli validate
 * --strict --package`, app 2.16.0; tests/fixtures/app/FACTS.md section 6):
 * a package id is kebab-case, a requirement token is one the app knows.
 * repository.json is the catalogue `pathfinder-cli build-repository`
 * writes (FACTS.md section 7): an object keyed by guide id, in the order of
 * the folders' names, each entry's keys in the app's order, printed as the
 * app prints it (JSON.stringify with an indent of two, every non-empty
 * array and object spread over lines).
 *
 * Ownership: arguments are borrowed; returned strings and arrays are new
 * and the caller's.  Errors: 0 or -1 with err (PF_ERR_IO: a folder or file
 * could not be read or written).  A folder that is not a guide the app
 * would list is no error: it is told to the warn callback and left out.
 */
#ifndef PF_GUIDE_H
#define PF_GUIDE_H

#include <stddef.h>

#include "pf_buf.h"
#include "pf_err.h"

/* Longest package id the app takes (the Kubernetes name limit). */
#define PF_GUIDE_ID_MAX 253

/* 1 if id is a package id the app takes: ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$,
 * at most PF_GUIDE_ID_MAX bytes. */
int pf_guide_id_ok(const char *id);

/*
 * 1 if token (already trimmed) is a requirement the app's strict checker
 * takes: one of its fixed tokens, or one of its prefixes with an argument
 * of the right form (on-page: a path from '/', min-version: X.Y.Z,
 * has-role: lower case, renderer: pathfinder or website).
 */
int pf_guide_requirement_ok(const char *token);

/* Told about a folder left out of the index: its path and why. */
typedef void pf_guide_warn_fn(void *ctx, const char *path, const char *why);

/*
 * The guide folders of dir: its subfolders (not those whose name starts
 * with '.') that hold a manifest.json, sorted by name (strcmp).  *names is
 * a new array of *n new strings; free with pf_guide_names_free.
 */
int pf_guide_list(const char *dir, char ***names, size_t *n,
    struct pf_err *err);
void pf_guide_names_free(char **names, size_t n);

/*
 * Appends to out the repository.json of the n guide folders names (in that
 * order) under dir.  A folder whose content.json cannot be read, is not
 * a JSON object, has no title or no blocks, has an id that is not
 * kebab-case or that differs from its manifest's, or repeats an id
 * already listed, is told to warn (which may be NULL) and left out; one
 * whose manifest.json the app's schema refuses is listed from its
 * content.json alone (as build-repository does), and told to warn too.
 * Returns 0 (err is for later use).
 */
int pf_guide_repository(const char *dir, char *const *names, size_t n,
    struct pf_buf *out, pf_guide_warn_fn *warn, void *ctx,
    struct pf_err *err);

/*
 * Writes dir/repository.json listing every guide folder of dir
 * (pf_guide_list, then pf_guide_repository), replacing the file whole
 * (pf_outfile).  Returns 0 or -1 with err.
 */
int pf_guide_repository_write(const char *dir, pf_guide_warn_fn *warn,
    void *ctx, struct pf_err *err);

/*
 * Sets the "id" of the guide in folder, in its content.json and then its
 * manifest.json, every other byte left as it was and each file replaced
 * whole (pf_outfile): a guide moved to a folder other than its id, to keep
 * apart from another guide of the same session, names its folder inside
 * too, as the app asks.  Returns 0, or -1 with err ("FILE: cannot set the
 * guide's id: why"); when content.json fails, manifest.json is left as it
 * was.
 */
int pf_guide_set_id(const char *folder, const char *id, struct pf_err *err);

/* The folder of the guide whose content.json is at path: a new string. */
char *pf_guide_folder(const char *path);

/*
 * Removes the guide folder: its content.json and manifest.json, then the
 * folder itself if that leaves it empty.  What cannot be removed (or is
 * not there) stays as it is; nothing is reported.
 */
void pf_guide_remove(const char *folder);

/*
 * A shelf: the guide folders one run puts into a folder.  A guide names
 * its own folder, <id>/, known only once it is converted; so a batch
 * converts each guide into a staging folder of its own (several at once),
 * then puts them in place one by one, in input order, and the shelf keeps
 * the ids it was given apart: the first guide of an id gets <id>/, later
 * ones <id>-2/, <id>-3/, ... with that id set inside (pf_guide_set_id).
 * A guide folder of that name left by an earlier run is replaced: moved
 * aside first, and put back if the new one cannot take its place.  A
 * folder that holds other files too is not replaced: it stays as it was,
 * and the new guide is thrown away with the error.
 *
 * Ownership: the shelf copies dir.  pf_guide_shelf_free accepts NULL.
 */
struct pf_guide_shelf;

struct pf_guide_shelf *pf_guide_shelf_new(const char *dir);
void pf_guide_shelf_free(struct pf_guide_shelf *s);

/*
 * Puts the guide converted into the folder stage in its place under the
 * shelf's folder, then removes stage (if it is left empty).  content is the
 * guide's content.json, stage/<id>/content.json, in a buffer of size bytes,
 * or NULL when the conversion failed: then stage is only removed.
 * *placed is 1 once the folder is in its place, content then rewritten to
 * the path there; 0 when there was no guide or it could not be moved
 * (content left as it was).  Returns 0, or -1 with err: the folder could
 * not be moved ("TARGET: why"), or it was and its id could not be set
 * inside (*placed is 1).  Either way its name is taken on the shelf.
 */
int pf_guide_shelf_put(struct pf_guide_shelf *s, const char *stage,
    char *content, size_t size, int *placed, struct pf_err *err);

#endif
