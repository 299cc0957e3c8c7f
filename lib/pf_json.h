/*
 * pf_json: what the JSON parser (pf_jv) and its users share: the kinds of
 * fault a text can have, parse flags, and turning byte offsets into lines
 * and columns.
 *
 * Ownership: nothing here allocates.
 */
#ifndef PF_JSON_H
#define PF_JSON_H

#include <stddef.h>

enum pf_json_fault {
	PF_JSON_OK = 0,
	PF_JSON_SYNTAX,		/* not JSON, or trailing data */
	PF_JSON_INCOMPLETE,	/* JSON that ends too early */
	PF_JSON_UTF8,		/* invalid UTF-8 or a lone surrogate escape */
	PF_JSON_NUL,		/* a NUL byte, or \u0000 in a string */
	PF_JSON_DUPLICATE,	/* an object with a key twice */
	PF_JSON_NOT_OBJECT,	/* valid JSON, but not an object */
	PF_JSON_TOO_DEEP,	/* nesting deeper than PF_JV_MAX_DEPTH */
	PF_JSON_TOO_BIG		/* more values than the parser's cap */
};

enum pf_json_flag {
	PF_JSON_ALLOW_DUPLICATES = 1 << 0,	/* the last duplicate wins */
	PF_JSON_ANY = 1 << 1			/* any value, not only an object */
};

/*
 * Converts byte offsets into 1-based lines and columns (columns count
 * UTF-8 characters, as editors do).  Offsets asked in increasing order
 * cost one pass over the text in all.
 */
struct pf_textpos {
	const char *text;
	size_t len;
	size_t offset;		/* where line/column were last computed */
	long line;
	long column;
};

/*
 * The length (2 to 4) of the valid multi-byte UTF-8 sequence at s, of
 * which avail bytes can be read; 0 if there is none there (an ASCII byte,
 * a stray continuation, an overlong form, a surrogate, or past U+10FFFF).
 */
size_t pf_utf8_seq(const unsigned char *s, size_t avail);

/*
 * The length of the UTF-8 byte order mark at the start of the n bytes at
 * s: 3, or 0 if they do not start with one.  RFC 8259 lets a reader skip
 * it; every tool skips it the same way.
 */
size_t pf_utf8_bom(const char *s, size_t n);

void pf_textpos_init(struct pf_textpos *tp, const char *text, size_t len);
void pf_textpos_at(struct pf_textpos *tp, size_t offset, long *line,
    long *column);

#endif
