/*
 * pf_jv: a fast, strict JSON parser for recording lines.
 *
 * Recordings are read far more often than written, and a general-purpose
 * DOM (a malloc per value, a hash table per object) costs more than the
 * checks made on it.  pf_jv parses one JSON text into an arena: values are
 * plain structs, objects keep their members in order in an array, strings
 * are unescaped copies, and every value remembers its byte offset in the
 * text, so diagnostics can point at it.  Parsing the next text reuses the
 * arena.
 *
 * It accepts exactly RFC 8259 JSON, in UTF-8, and rejects what pf cannot
 * represent: a NUL byte or \u0000, lone surrogates, integers beyond 64
 * bits, reals beyond double, nesting deeper than PF_JV_MAX_DEPTH.  Objects
 * with a duplicate key are rejected unless PF_JSON_ALLOW_DUPLICATES is
 * given (then the last one wins for pf_jv_get, as in JavaScript).
 *
 * The text must be followed by a NUL byte (text[n] == '\0'), as pf_reader
 * lines and pf_buf contents are: the string scanner stops on it instead of
 * checking the length at every byte.  pf_jv_parse asserts it (pf builds
 * keep assertions on: nothing defines NDEBUG).
 *
 * Ownership: the parser owns every value it returns; they are borrowed
 * until the next pf_jv_parse or pf_jv_parser_free.  Errors: NULL, with the
 * fault classified (enum pf_json_fault) and err filled (message, column).
 */
#ifndef PF_JV_H
#define PF_JV_H

#include <stddef.h>
#include <stdint.h>

#include "pf_buf.h"
#include "pf_err.h"
#include "pf_json.h"

#define PF_JV_MAX_DEPTH 512

enum pf_jv_type {
	PF_JV_NULL,
	PF_JV_FALSE,
	PF_JV_TRUE,
	PF_JV_INTEGER,
	PF_JV_REAL,
	PF_JV_STRING,
	PF_JV_ARRAY,
	PF_JV_OBJECT
};

struct pf_jv_member;

struct pf_jv {
	enum pf_jv_type type;
	uint32_t n;		/* string bytes; array items; object members */
	size_t offset;		/* of the value's first byte in the text */
	size_t end;		/* just past its last byte */
	union {
		int64_t i;
		double d;
		const char *s;			/* NUL-terminated */
		const struct pf_jv *items;
		const struct pf_jv_member *members;
	} u;
};

struct pf_jv_member {
	const char *key;	/* NUL-terminated */
	uint32_t klen;
	struct pf_jv value;
};

struct pf_jv_parser;

/* A parser with its arena; reuse it for every line. */
struct pf_jv_parser *pf_jv_parser_new(void);
void pf_jv_parser_free(struct pf_jv_parser *p);

/*
 * Caps the values one parse may hold (0, the default: no cap); past it the
 * parse fails with PF_JSON_TOO_BIG.  A value costs about 80 bytes, so a
 * text of small values ("[0,0,...]") would otherwise take 40 times its
 * size in memory.
 */
void pf_jv_parser_set_max_values(struct pf_jv_parser *p, size_t max);

/*
 * Parses the n bytes at text as one JSON value.  Returns the root
 * (borrowed), or NULL with *fault and err set.  flags: enum pf_json_flag.
 */
const struct pf_jv *pf_jv_parse(struct pf_jv_parser *p, const char *text,
    size_t n, unsigned flags, enum pf_json_fault *fault, struct pf_err *err);

/* The member named key of an object (the last if repeated), or NULL. */
const struct pf_jv *pf_jv_get(const struct pf_jv *obj, const char *key);

/* The string value of v, or NULL if v is NULL or not a string. */
const char *pf_jv_str(const struct pf_jv *v);

/* Nonzero if v is non-NULL and of type t. */
static inline int
pf_jv_is(const struct pf_jv *v, enum pf_jv_type t)
{
	return v != NULL && v->type == t;
}

static inline int
pf_jv_is_number(const struct pf_jv *v)
{
	return v != NULL && (v->type == PF_JV_INTEGER || v->type == PF_JV_REAL);
}

static inline int
pf_jv_is_bool(const struct pf_jv *v)
{
	return v != NULL && (v->type == PF_JV_TRUE || v->type == PF_JV_FALSE);
}

/* "a string", "an object", ...: for messages. */
const char *pf_jv_kind_name(const struct pf_jv *v);

/* Appends v to out as compact JSON, members in their order. */
void pf_jv_dump(const struct pf_jv *v, struct pf_buf *out);

/*
 * How pf_jv_dump_string_flags escapes, besides what JSON requires ('"',
 * '\\' and the control characters, as \n, \r, \t, \b, \f or \u00xx).
 */
enum pf_jv_escape {
	/* Every non-ASCII character as \uxxxx, with surrogate pairs. */
	PF_JV_ESCAPE_ASCII = 1 << 0,
	/*
	 * Also '<', '>', '&', U+2028 and U+2029, so that the literal can
	 * stand inside an HTML <script> element: no "</script>" or "<!--"
	 * can end it, and no line separator breaks an older script parser.
	 */
	PF_JV_ESCAPE_SCRIPT = 1 << 1
};

/*
 * Appends s (n bytes, NUL bytes included) to out as a JSON string literal,
 * quotes included.  The one JSON string escaper of pf: every JSON text pf
 * writes goes through it.  Hex digits are lower-case, as jq writes them.
 * Text that is not UTF-8 is not refused: each byte that does not start a
 * valid UTF-8 sequence becomes U+FFFD, as in jq and most JSON tools, so
 * that a file name or message in another encoding still gives valid JSON
 * and its key is neither dropped nor emptied.  flags: enum pf_jv_escape.
 */
void pf_jv_dump_string_flags(const char *s, size_t n, unsigned flags,
    struct pf_buf *out);

/* pf_jv_dump_string_flags with no flags. */
void pf_jv_dump_string(const char *s, size_t n, struct pf_buf *out);

/* One change for pf_jv_splice: set member key to the JSON text value. */
struct pf_jv_edit {
	const char *key;
	const char *value;	/* JSON text, e.g. "1773324000000" */
};

/*
 * Appends to out the JSON text obj was parsed from (text, len), with the
 * members named by edits set to their new values: a member present keeps
 * its place and only its value's bytes change (every copy, when a key
 * repeats); one absent is added at the end.  Every other byte is kept as
 * it was.  obj must come from text.
 */
void pf_jv_splice(const char *text, size_t len, const struct pf_jv *obj,
    const struct pf_jv_edit *edits, size_t n, struct pf_buf *out);


#endif
