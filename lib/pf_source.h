/*
 * pf_source: the events of a recording, whatever its form.
 *
 * Opens a JSONL recording (plain or gzip, a file or "-") or a
 * SessionRecording document, told apart by content, and hands out its
 * events one at a time in order, each parsed and also as one line of JSON.
 * Lines that are not events (not JSON, no type, too long, blank) are passed
 * over; each but a blank line is reported through the skip callback, so a
 * tool can say so and still play or convert the rest: a recording cut
 * short by a crash ends in a partial line, and every tool reads past it.
 *
 * An event's parsed values index its raw line: their offsets are offsets
 * into raw, whatever the input's form.
 *
 * Ownership: an event and everything it points to is borrowed until the
 * next pf_source_next or pf_source_free.  Errors: -1 with err filled when
 * the input cannot be read; bad lines are not errors.
 */
#ifndef PF_SOURCE_H
#define PF_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "pf_err.h"
#include "pf_event.h"
#include "pf_jv.h"
#include "pf_reader.h"

struct pf_source_event {
	const struct pf_jv *ev;	/* the event object */
	const char *raw;	/* the event as one line of JSON, no newline */
	size_t rawlen;
	long line;		/* where it starts in the input */
	enum pf_event_type type;
	const char *type_name;	/* as written, also for unknown types */
	int has_ts;		/* "timestamp" is an integer */
	int64_t ts;
	const char *session_id;	/* NULL when absent */
};

/* Told about each line passed over: its number and why. */
typedef void pf_source_skip_fn(void *ctx, const char *name, long line,
    const char *why);

struct pf_source;

/* Opens path ("-" for stdin); max_line 0 for the default cap. */
struct pf_source *pf_source_open(const char *path, size_t max_line,
    struct pf_err *err);

/* As pf_source_open, over n bytes in memory (borrowed). */
struct pf_source *pf_source_memopen(const void *data, size_t n,
    const char *name, size_t max_line, struct pf_err *err);

/* Sets the callback for lines passed over (default: none). */
void pf_source_set_skip(struct pf_source *s, pf_source_skip_fn *fn,
    void *ctx);

/*
 * The reader underneath, to follow a growing file or be interrupted (see
 * pf_reader.h).  Borrowed.
 */
struct pf_reader *pf_source_reader(struct pf_source *s);

/* The next event: 1, 0 at the end, -1 on a read error. */
int pf_source_next(struct pf_source *s, struct pf_source_event *e,
    struct pf_err *err);

/*
 * For a SessionRecording document, its root object (name, presenter,
 * recordedAt...), available after the first pf_source_next; else NULL.
 */
const struct pf_jv *pf_source_document(struct pf_source *s);

/* The input's name ("<stdin>" for "-").  Borrowed. */
const char *pf_source_name(const struct pf_source *s);

/* Closes the input.  s may be NULL. */
void pf_source_free(struct pf_source *s);

/*
 * Whether the start of an input (p, n bytes, as pf_reader_peek gives it)
 * is a SessionRecording document: its first non-blank line opens an object
 * that does not close on that line and names no "type" (as an event cut
 * short would), or is a whole object with "events" and no "type".  parser
 * is scratch space.
 */
int pf_source_sniff_document(struct pf_jv_parser *parser, const char *p,
    size_t n);

/*
 * A SessionRecording document is read whole: these are its caps, 64 MiB of
 * decoded text and 4 million JSON values, so that reading one never takes
 * more than about 400 MiB however it was made.  A real document is far
 * below both (the example's 460 events: 100 KiB, 5,000 values).
 */
#define PF_DOC_MAX ((size_t)64 * 1024 * 1024)
#define PF_DOC_MAX_VALUES ((size_t)4 * 1000 * 1000)

#endif
