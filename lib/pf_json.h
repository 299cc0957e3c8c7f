/*
 * pf_json: JSON helpers shared by the tools, on top of jansson.
 *
 * Parsing one recording line with the fault classified (syntax, UTF-8,
 * NUL, duplicate key, not an object), and locating a value in raw JSON text
 * by a path such as "action.internalActions[2].refTarget", so diagnostics
 * can name a line and column without the parser keeping positions.
 *
 * Ownership: pf_json_parse_object returns a new reference (json_decref it).
 * Errors: as pf_err.h; faults are reported through *fault and err.
 */
#ifndef PF_JSON_H
#define PF_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "pf_err.h"

enum pf_json_fault {
	PF_JSON_OK = 0,
	PF_JSON_SYNTAX,		/* not JSON, or trailing data */
	PF_JSON_INCOMPLETE,	/* JSON that ends too early */
	PF_JSON_UTF8,		/* invalid UTF-8 or a lone surrogate escape */
	PF_JSON_NUL,		/* a NUL byte, or \u0000 in a string */
	PF_JSON_DUPLICATE,	/* an object with a key twice */
	PF_JSON_NOT_OBJECT,	/* valid JSON, but not an object */
	PF_JSON_TOO_DEEP	/* nesting deeper than jansson allows */
};

enum pf_json_flag {
	PF_JSON_ALLOW_DUPLICATES = 1 << 0	/* the last duplicate wins */
};

/*
 * Parses the n bytes at p as one JSON object.  Returns a new reference, or
 * NULL with *fault set and err filled (message, 1-based column).  With
 * PF_JSON_NOT_OBJECT nothing is returned either.
 */
json_t *pf_json_parse_object(const char *p, size_t n, unsigned flags,
    enum pf_json_fault *fault, struct pf_err *err);

/*
 * Finds the value at path in the JSON text [p, p+n): path is a sequence of
 * keys and indices, "a.b[3].c" ("" is the whole text).  Sets *offset to the
 * first byte of the deepest value found along the path.  Returns 1 if the
 * whole path was found, 0 if only a prefix was (offset is then that
 * prefix's value), -1 if the text is not JSON enough to tell.
 */
int pf_json_locate(const char *p, size_t n, const char *path,
    size_t *offset);

/*
 * Offsets of the elements of the array at path in [p, p+n): a new array of
 * *count offsets (free with free()), or NULL with *count 0 when there is no
 * such array.
 */
size_t *pf_json_element_offsets(const char *p, size_t n, const char *path,
    size_t *count);

/*
 * Converts byte offsets into 1-based lines and columns (columns count
 * UTF-8 characters, as jansson's do).  Offsets asked in increasing order
 * cost one pass over the text in all.
 */
struct pf_textpos {
	const char *text;
	size_t len;
	size_t offset;		/* where line/column were last computed */
	long line;
	long column;
};

void pf_textpos_init(struct pf_textpos *tp, const char *text, size_t len);
void pf_textpos_at(struct pf_textpos *tp, size_t offset, long *line,
    long *column);

/* Nonzero if the n bytes at p are valid UTF-8 (no overlongs, surrogates). */
int pf_utf8_valid(const char *p, size_t n);

/* Byte offset of the first invalid UTF-8 sequence in [p, p+n), or n. */
size_t pf_utf8_invalid_at(const char *p, size_t n);

#endif
