/*
 * pf_index: a library of recordings in SQLite.
 *
 * Each recording is read once (pf_source + pf_tutorial) into sessions,
 * steps, questions, attendees and a full-text index (FTS5) of chat
 * messages, step comments and selectors, tutorial URLs and session names.
 * Each file is indexed in one transaction, so a killed indexer leaves the
 * database as it was before that file; WAL and a busy timeout let two
 * indexers write in turn.  The schema carries its version in
 * PRAGMA user_version and is migrated forward on open; a database from a
 * newer pf is refused, never touched.
 *
 * Ownership: rows handed to callbacks are borrowed for the call.
 * Errors: 0 or -1 with err (SQLite's message copied at once), whose kind
 * says whose fault: PF_ERR_DB, the database's (it could not be opened,
 * read or written); PF_ERR_DATA, what it holds (not a pf-index database,
 * a schema of another version, no such session) or a recording added that
 * is no recording; PF_ERR_IO, a recording added that could not be opened
 * or read; PF_ERR_USAGE, a search for nothing.  Its errnum is errno
 * only: for PF_ERR_DB, the system's error when SQLite could not open or
 * read or write the database, else 0 (SQLite's own code is in the
 * message's words, never in errnum).
 */
#ifndef PF_INDEX_H
#define PF_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "pf_err.h"
#include "pf_source.h"

#define PF_INDEX_SCHEMA 1

struct pf_index;

enum pf_index_flag {
	/*
	 * Open for reading only: nothing is created or migrated, so a
	 * database in a folder the user cannot write can be listed and
	 * searched.  One that does not exist reads as an empty library.
	 */
	PF_INDEX_READONLY = 1 << 0
};

/*
 * Opens the database at path: creating and migrating it, or with
 * PF_INDEX_READONLY as it is.  A schema version this pf-index does not
 * know (newer, or negative) is refused with the database left untouched.
 */
struct pf_index *pf_index_open(const char *path, unsigned flags,
    struct pf_err *err);

/* Closes it.  idx may be NULL. */
void pf_index_close(struct pf_index *idx);

enum pf_index_outcome {
	PF_INDEX_ADDED,		/* a new file */
	PF_INDEX_UPDATED,	/* a changed file, indexed again */
	PF_INDEX_UNCHANGED,	/* same size and time, or same content */
	PF_INDEX_TOUCHED	/* new time, same content: time noted */
};

/*
 * Whether name was indexed with this size and mtime (nothing to do).
 */
int pf_index_is_current(struct pf_index *idx, const char *name,
    int64_t size, int64_t mtime);

/*
 * Indexes the recording at path on disk, known as name.  size and mtime
 * are the file's; skip reports lines passed over.  Returns 0 and sets
 * *outcome, or -1 with err.  Its kind tells one bad file from a run that
 * cannot go on: PF_ERR_IO, the recording could not be opened or read;
 * PF_ERR_DATA, it is no recording, or too big; PF_ERR_DB, the database
 * could not be read or written (nothing of the recording is in it).
 */
int pf_index_add_path(struct pf_index *idx, const char *name,
    const char *path, int64_t size, int64_t mtime, pf_source_skip_fn *skip,
    void *skip_ctx, enum pf_index_outcome *outcome, struct pf_err *err);

/* As pf_index_add_path, for a recording held in memory (borrowed). */
int pf_index_add_memory(struct pf_index *idx, const char *name,
    const void *data, size_t n, int64_t mtime, pf_source_skip_fn *skip,
    void *skip_ctx, enum pf_index_outcome *outcome, struct pf_err *err);

/*
 * Drops the sessions of every indexed name for which gone(name) says 1.
 * *removed counts them.
 */
int pf_index_prune(struct pf_index *idx, int (*gone)(void *ctx,
    const char *name), void *ctx, long *removed, struct pf_err *err);

struct pf_index_session {
	int64_t id;		/* the row id: what `show 3` takes */
	const char *session_id;
	const char *name;
	const char *presenter;	/* may be NULL */
	const char *tutorial_url;
	const char *file;
	int64_t start;		/* epoch ms (or relative: see relative) */
	int64_t duration;
	int relative;
	long events, steps, attendees, questions;
};

struct pf_index_hit {
	const struct pf_index_session *session;
	int64_t offset;		/* ms from the session's start */
	const char *type;	/* the event type the text came from */
	const char *snippet;	/* bytes 0xFF and 0xFE (never in UTF-8 text)
				 * around the matches */
};

struct pf_index_step {
	long n;			/* 1-based */
	const char *step_id;
	const char *section;
	const char *action;
	const char *reftarget;
	const char *tooltip;
	int64_t offset, duration;
	long hands;
	const char *left;	/* names, comma-separated, or "" */
};

struct pf_index_question {
	long step;		/* 0: before the first step */
	int64_t offset;
	const char *asker, *question, *answerer, *answer;	/* may be NULL */
};

struct pf_index_attendee {
	const char *attendee_id;	/* may be NULL */
	const char *name;		/* may be NULL */
	long joins;
	int64_t presence;		/* ms */
	int64_t joined, left;		/* epoch ms; -1 when unknown */
};

struct pf_index_stats {
	long files, sessions, events, steps, questions, attendances;
	long presenters;
	int64_t duration;
};

typedef int pf_index_session_fn(void *ctx, const struct pf_index_session *s);
typedef int pf_index_hit_fn(void *ctx, const struct pf_index_hit *h);
typedef int pf_index_step_fn(void *ctx, const struct pf_index_step *s);
typedef int pf_index_question_fn(void *ctx, const struct pf_index_question *q);
typedef int pf_index_attendee_fn(void *ctx, const struct pf_index_attendee *a);

/* Every session, newest first.  A callback returning -1 stops. */
int pf_index_list(struct pf_index *idx, pf_index_session_fn *fn, void *ctx,
    struct pf_err *err);

/*
 * Full-text search: every word of query must match (words are taken
 * literally, never as FTS5 syntax).  At most limit hits, the newest
 * indexed first, shown newest session first and in time order within it.
 */
int pf_index_search(struct pf_index *idx, const char *query, long limit,
    pf_index_hit_fn *fn, void *ctx, struct pf_err *err);

/*
 * The session that spec names: its row id, its session id, or its file.
 * 0 and *id set, or -1 (err says none, or several).
 */
int pf_index_find(struct pf_index *idx, const char *spec, int64_t *id,
    struct pf_err *err);

/* One session, its steps, questions and attendees (callbacks may be NULL). */
int pf_index_show(struct pf_index *idx, int64_t id, pf_index_session_fn *sfn,
    pf_index_step_fn *stfn, pf_index_question_fn *qfn,
    pf_index_attendee_fn *afn, void *ctx, struct pf_err *err);

/* Totals over the library. */
int pf_index_stats(struct pf_index *idx, struct pf_index_stats *st,
    struct pf_err *err);

#endif
