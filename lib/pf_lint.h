/*
 * pf_lint: the recording linter, as a library.
 *
 * Checks JSONL recordings and SessionRecording documents against the rules
 * of pf-recording(5).  Each rule has a stable id and a fixed severity.
 * Findings leave through a callback, in input order; the caller renders
 * them.  Lines that carry no error can be handed on through a second
 * callback, which is how `pf-lint --pass` filters a stream.
 *
 * Ownership: a finding and its strings are borrowed for the duration of
 * the callback.  Errors: pf_lint_file returns -1 only when the input could
 * not be read at all (err says why); bad data is findings, not errors.
 */
#ifndef PF_LINT_H
#define PF_LINT_H

#include <stddef.h>

#include "pf_err.h"

enum pf_severity {
	PF_SEV_ERROR,
	PF_SEV_WARNING
};

/* The rules, in the order pf-lint --list-rules prints them. */
enum pf_rule {
	/* the line as text and JSON */
	PF_RULE_JSON_SYNTAX,
	PF_RULE_NOT_OBJECT,
	PF_RULE_INVALID_UTF8,
	PF_RULE_NUL_BYTE,
	PF_RULE_LINE_TOO_LONG,
	PF_RULE_DUPLICATE_KEY,
	PF_RULE_TRUNCATED,
	PF_RULE_BAD_GZIP,
	PF_RULE_BOM,
	PF_RULE_BLANK_LINE,
	/* the event's shape */
	PF_RULE_MISSING_TYPE,
	PF_RULE_UNKNOWN_TYPE,
	PF_RULE_MISSING_FIELD,
	PF_RULE_FIELD_TYPE,
	PF_RULE_BAD_ENUM,
	PF_RULE_UNKNOWN_VALUE,
	PF_RULE_FIELD_RANGE,
	PF_RULE_UNKNOWN_FIELD,
	/* time */
	PF_RULE_BAD_TIMESTAMP,
	PF_RULE_MIXED_TIMESTAMPS,
	PF_RULE_TIMESTAMP_BACKWARDS,
	PF_RULE_CLOCK_SKEW,
	/* the session's structure */
	PF_RULE_FIRST_NOT_START,
	PF_RULE_DUPLICATE_START,
	PF_RULE_AFTER_END,
	PF_RULE_UNRESUMED_PAUSE,
	PF_RULE_MULTIPLE_SESSIONS,
	PF_RULE_HANDSHAKE,
	/* steps */
	PF_RULE_EMPTY_REFTARGET,
	PF_RULE_FORMFILL_NO_VALUE,
	PF_RULE_MULTISTEP_NO_ACTIONS,
	PF_RULE_BAD_COORDINATES,
	PF_RULE_REPEATED_STEP,
	/* selectors */
	PF_RULE_SELECTOR_SYNTAX,
	PF_RULE_FRAGILE_SELECTOR,
	/* chat */
	PF_RULE_EMPTY_CHAT,
	/* SessionRecording documents */
	PF_RULE_DOCUMENT,
	PF_RULE__COUNT
};

struct pf_lint_rule {
	const char *id;			/* stable: "json-syntax" */
	enum pf_severity severity;
	const char *summary;		/* one line, for --list-rules */
};

/* The rule table (PF_RULE__COUNT entries).  Static. */
const struct pf_lint_rule *pf_lint_rules(void);

/* The rule with that id, or -1. */
int pf_lint_rule_find(const char *id);

/* "error" or "warning". */
const char *pf_severity_name(enum pf_severity s);

struct pf_finding {
	enum pf_rule rule;
	enum pf_severity severity;
	const char *file;	/* as given: a path or "<stdin>" */
	long line;		/* 1-based; 0 when about the whole file */
	long column;		/* 1-based characters; 0 when unknown */
	const char *path;	/* JSON path of the value, "" for the line */
	const char *message;	/* one line, no final period */
};

/* Receives each finding. */
typedef void pf_lint_report_fn(void *ctx, const struct pf_finding *f);

/*
 * Receives each event that has no error: the line's bytes as read (without
 * its line ending), or for a document a compact rendering of the event.
 * Returns 0, or -1 to stop linting (a write error the caller recorded).
 */
typedef int pf_lint_pass_fn(void *ctx, const char *data, size_t len);

struct pf_lint_options {
	unsigned char disabled[PF_RULE__COUNT];	/* nonzero: rule is off */
	size_t max_line;	/* line cap in bytes; 0 for the default */
	long max_errors;	/* stop after this many errors; 0: never */
	int quiet;		/* warnings are neither reported nor counted */
};

struct pf_lint;

/* A linter; report is required, pass may be NULL. */
struct pf_lint *pf_lint_new(const struct pf_lint_options *opt,
    pf_lint_report_fn *report, pf_lint_pass_fn *pass, void *ctx);

/*
 * Lints one input: path, or "-" for standard input.  Returns 0 when it was
 * read (findings or not), -1 when it could not be opened or read, or when
 * the pass callback failed.
 */
int pf_lint_file(struct pf_lint *l, const char *path, struct pf_err *err);

/* Errors and warnings reported so far, over all inputs. */
long pf_lint_errors(const struct pf_lint *l);
long pf_lint_warnings(const struct pf_lint *l);

/* Nonzero once max_errors was reached: later inputs are not read. */
int pf_lint_stopped(const struct pf_lint *l);

/* Frees the linter.  l may be NULL. */
void pf_lint_free(struct pf_lint *l);

#endif
