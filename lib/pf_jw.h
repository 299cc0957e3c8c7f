/*
 * pf_jw: a small writer of one-line JSON records, for the tools' JSON
 * output (pf-lint --format json, pf-index --json) and the bodies pf sends
 * (Grafana annotations).  It places the braces, brackets, keys and commas;
 * strings go through pf_jv_dump_string_flags, the one escaper, so text that
 * is not UTF-8 comes out with U+FFFD in place of each bad byte; numbers are
 * formatted as jansson formats them, so output written with jansson before
 * keeps its bytes.
 *
 * It checks nothing: begin and end must pair, and a key is given for an
 * object member and NULL for an array item or the top-level value.
 *
 * Ownership: the writer borrows the buffer it appends to and owns nothing,
 * so it needs no release.  Errors: none (memory is pf_alloc's).
 */
#ifndef PF_JW_H
#define PF_JW_H

#include <stdint.h>

#include "pf_buf.h"
#include "pf_jv.h"

struct pf_jw {
	struct pf_buf *out;	/* borrowed */
	unsigned flags;		/* enum pf_jv_escape, for every string */
	int comma;		/* a value came before at this level */
};

/* Starts a writer that appends to out; flags: enum pf_jv_escape. */
void pf_jw_init(struct pf_jw *w, struct pf_buf *out, unsigned flags);

/* '{' and '}' of an object, a member named key or an item (key NULL). */
void pf_jw_begin(struct pf_jw *w, const char *key);
void pf_jw_end(struct pf_jw *w);

/* '[' and ']' of an array, likewise. */
void pf_jw_array_begin(struct pf_jw *w, const char *key);
void pf_jw_array_end(struct pf_jw *w);

/* A string member or item; a NULL s writes null. */
void pf_jw_string(struct pf_jw *w, const char *key, const char *s);

void pf_jw_int(struct pf_jw *w, const char *key, int64_t v);
void pf_jw_bool(struct pf_jw *w, const char *key, int v);
void pf_jw_null(struct pf_jw *w, const char *key);

/*
 * A real number with digits significant digits (0, or more than 17,
 * means 17), byte for byte as jansson writes a json_real dumped with
 * JSON_REAL_PRECISION(digits) (none: 17): "%.*g", then ".0" when that
 * has neither '.' nor 'e' (so 1 stays a real: "1.0"), and an exponent
 * without '+' or leading zeros ("1e-7", "1e21").
 * A NaN or an infinity, which JSON cannot hold, writes null.
 */
void pf_jw_real(struct pf_jw *w, const char *key, double v, int digits);

/*
 * Formats v as pf_jw_real does into buf (n bytes, at least 32) and
 * returns buf; "null" for a NaN or an infinity.
 */
char *pf_jw_format_real(double v, int digits, char *buf, size_t n);

#endif
