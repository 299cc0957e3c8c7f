/*
 * pf_convert: one recording into one of pf-convert's forms.
 *
 * Reads the recording through pf_source (so JSONL, gzip and documents
 * alike), optionally masks it (pf_redact), normalises each event (a seed
 * document's relative times made absolute from its recordedAt, a missing
 * sessionId or presenter senderId filled in, every event written compact,
 * keys in their order), builds the pf_tutorial model and renders it.
 *
 * Ownership: the caller owns the options and the result.  Errors: -1 with
 * err filled, its kind saying whose fault: PF_ERR_DATA, the input is no
 * recording; PF_ERR_IO, an input or output could not be read or written;
 * PF_ERR_USAGE, the output is the input.  Lines passed over go to the skip
 * callback.
 *
 * Threads: conversions to different outputs may run at once (pf_batch),
 * sharing one options struct, which they only read (its redactor too); the
 * skip callback then runs on the converting thread.
 */
#ifndef PF_CONVERT_H
#define PF_CONVERT_H

#include <stddef.h>
#include <stdint.h>

#include "pf_err.h"
#include "pf_redact.h"
#include "pf_render.h"
#include "pf_source.h"

enum pf_format {
	PF_FORMAT_HTML,
	PF_FORMAT_GUIDE,
	PF_FORMAT_RECORDING,
	PF_FORMAT_JSONL,
	PF_FORMAT_MD,
	PF_FORMAT_PLAYWRIGHT
};

/* The format named s ("html", "guide", ...), or -1. */
int pf_format_from_name(const char *s);

/* The file name extension of a format (".html", ".spec.js"; "" for
 * guide). */
const char *pf_format_extension(enum pf_format f);

struct pf_convert_options {
	enum pf_format format;
	struct pf_redact *redact;	/* NULL: no masking */
	struct pf_render_playwright_options playwright;	/* its pace */
	pf_source_skip_fn *skip;	/* told about lines passed over */
	void *skip_ctx;
};

/* What a conversion produced, for listings and bundles. */
struct pf_convert_result {
	char title[256];
	char date[40];		/* ISO-8601, or "" */
	int64_t duration;	/* ms */
	size_t steps;
	size_t attendees;
	long events;
	char path[1024];	/* the main file written, as given */
};

/*
 * Converts input ("-" for stdin) to dest: a file ("-" for stdout), or for
 * PF_FORMAT_GUIDE a directory in which the folder <id>/ is made.
 * Returns 0, or -1 with err (its kind as above).
 */
int pf_convert_file(const char *input, const char *dest,
    const struct pf_convert_options *opt, struct pf_convert_result *res,
    struct pf_err *err);

/*
 * Writes the playwright.config.js that PF_FORMAT_PLAYWRIGHT's specs run
 * with to dest (a file, or "-" for stdout).  Returns 0, or -1 with err
 * (PF_ERR_IO).
 */
int pf_convert_playwright_config(const char *dest, struct pf_err *err);

#endif
