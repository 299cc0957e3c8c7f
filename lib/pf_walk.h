/*
 * pf_walk: finding the recordings to index under the paths 'pf-index add'
 * is given, and adding them to a pf_index.
 *
 * A folder is walked recursively in name order; links to folders are not
 * followed, links to files are.  In a folder only names that look like
 * recordings (.jsonl, .json, either .gz) or archives (.tar, .tar.gz, .tgz,
 * .zip) are read; a path given explicitly is read whatever its name.  An
 * archive's members are read in memory through pf_archive, never written
 * to disk, and are known as "ARCHIVE//MEMBER"; members that are not
 * regular files, whose names could climb out of a folder, or that pass
 * the size limit are refused.  A file or member whose size and time the
 * index already holds is not read again.
 *
 * Every file and member met is told to the caller once, with its outcome;
 * the walk itself never stops for one that failed.  A walk also remembers
 * the archives it read and their members, so that pf_walk_prune can tell
 * a member gone from its archive.
 *
 * Ownership: names and errors handed to the callbacks are borrowed for the
 * call; the walk borrows its index, which must outlive it.
 * Errors: told through the callback (pf_walk_prune: -1 with err).
 */
#ifndef PF_WALK_H
#define PF_WALK_H

#include <stdint.h>

#include "pf_err.h"
#include "pf_index.h"
#include "pf_source.h"

enum pf_walk_outcome {
	PF_WALK_ADDED,		/* a new recording */
	PF_WALK_UPDATED,	/* a changed one, indexed again */
	PF_WALK_UNCHANGED,	/* same size and time, or same content */
	PF_WALK_FAILED,		/* not a recording, or refused: err says why */
	PF_WALK_UNREADABLE,	/* could not be opened or read: err says why */
	PF_WALK_DB_FAILED	/* the database failed: err says why */
};

/*
 * Told about each file or member: name as the index knows it (a real
 * path, or ARCHIVE//MEMBER; a path given that cannot be looked at is
 * named as given), its outcome, and err for the three failures (else
 * NULL).
 */
typedef void pf_walk_fn(void *ctx, const char *name,
    enum pf_walk_outcome outcome, const struct pf_err *err);

struct pf_walk_options {
	int64_t member_max;	/* bytes an archive member may hold */
	pf_walk_fn *told;	/* each outcome */
	pf_source_skip_fn *skip;	/* lines passed over in a recording */
	void *ctx;		/* for both */
};

struct pf_walk;

/* A walk adding to idx.  opt is copied. */
struct pf_walk *pf_walk_new(struct pf_index *idx,
    const struct pf_walk_options *opt);

/*
 * Adds the recording, folder or archive at path, telling each outcome.
 * The walk carries on past every failure, the database's too: the caller
 * decides whether to give it another path.
 */
void pf_walk_add(struct pf_walk *w, const char *path);

/*
 * Drops from the index every name whose file is gone, and every member of
 * an archive this walk read that it no longer found there (or whose
 * archive is gone).  *removed counts them.  0, or -1 with err.
 */
int pf_walk_prune(struct pf_walk *w, long *removed, struct pf_err *err);

/* Frees the walk.  w may be NULL. */
void pf_walk_free(struct pf_walk *w);

#endif
