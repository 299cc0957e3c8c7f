/*
 * pf_json: parsing one line with its fault classified, and a small scanner
 * over raw JSON text for locating values by path.  The scanner never
 * recurses, so hostile nesting costs it nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "pf_alloc.h"
#include "pf_json.h"

json_t *
pf_json_parse_object(const char *p, size_t n, unsigned flags,
    enum pf_json_fault *fault, struct pf_err *err)
{
	json_error_t je;
	json_t *j;
	size_t jflags = JSON_DECODE_ANY;

	if (!(flags & PF_JSON_ALLOW_DUPLICATES))
		jflags |= JSON_REJECT_DUPLICATES;
	j = json_loadb(p, n, jflags, &je);
	if (j == NULL) {
		long col = je.column > 0 ? je.column : 1;

		switch (json_error_code(&je)) {
		case json_error_invalid_utf8:
			*fault = PF_JSON_UTF8;
			break;
		case json_error_duplicate_key:
			*fault = PF_JSON_DUPLICATE;
			break;
		case json_error_premature_end_of_input:
			*fault = PF_JSON_INCOMPLETE;
			break;
		case json_error_null_character:
			*fault = PF_JSON_NUL;
			break;
		case json_error_stack_overflow:
			*fault = PF_JSON_TOO_DEEP;
			break;
		default:
			if (memchr(p, '\0', n) != NULL)
				*fault = PF_JSON_NUL;
			else if (strncmp(je.text, "invalid Unicode", 15) == 0)
				*fault = PF_JSON_UTF8;
			else if (strncmp(je.text, "maximum parsing depth", 21)
			    == 0)
				*fault = PF_JSON_TOO_DEEP;
			else
				*fault = PF_JSON_SYNTAX;
			break;
		}
		if (*fault == PF_JSON_NUL && memchr(p, '\0', n) != NULL) {
			size_t at = (size_t)((const char *)memchr(p, '\0', n)
			    - p);

			pf_err_set_at(err, PF_ERR_DATA, 1, (long)at + 1,
			    "NUL byte in line");
		} else {
			pf_err_set_at(err, PF_ERR_DATA, je.line > 0 ?
			    je.line : 1, col, "%s", je.text);
		}
		return NULL;
	}
	if (!json_is_object(j)) {
		*fault = PF_JSON_NOT_OBJECT;
		pf_err_set_at(err, PF_ERR_DATA, 1, 1,
		    "line is %s, not an object",
		    json_is_array(j) ? "an array" :
		    json_is_string(j) ? "a string" :
		    json_is_number(j) ? "a number" :
		    json_is_boolean(j) ? "a boolean" : "null");
		json_decref(j);
		return NULL;
	}
	*fault = PF_JSON_OK;
	return j;
}

/* --- the scanner -------------------------------------------------------- */

static size_t
skip_ws(const char *p, size_t n, size_t i)
{
	while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
	    p[i] == '\r'))
		i++;
	return i;
}

/* p[i] is '"': returns the offset just past the closing quote. */
static size_t
skip_string(const char *p, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '"')
			return i + 1;
	}
	return n;
}

/* Skips one value starting at p[i]; returns the offset just past it. */
static size_t
skip_value(const char *p, size_t n, size_t i)
{
	size_t depth = 0;

	i = skip_ws(p, n, i);
	do {
		if (i >= n)
			return n;
		switch (p[i]) {
		case '"':
			i = skip_string(p, n, i);
			continue;
		case '{':
		case '[':
			depth++;
			break;
		case '}':
		case ']':
			if (depth == 0)
				return i;
			depth--;
			break;
		case ',':
		case ':':
			if (depth == 0)
				return i;
			break;
		default:
			if (depth == 0) {
				/* a scalar: runs to a delimiter */
				while (i < n && !strchr(",:}] \t\r\n", p[i]))
					i++;
				return i;
			}
		}
		i++;
	} while (depth > 0);
	return i;
}

/*
 * In the object at p[i] ('{'), finds key (klen bytes).  Returns the offset
 * of its value, or (size_t)-1.
 */
static size_t
object_member(const char *p, size_t n, size_t i, const char *key, size_t klen)
{
	i++;
	for (;;) {
		size_t ks, ke;

		i = skip_ws(p, n, i);
		if (i >= n || p[i] != '"')
			return (size_t)-1;
		ks = i + 1;
		i = skip_string(p, n, i);
		ke = i - 1;
		i = skip_ws(p, n, i);
		if (i >= n || p[i] != ':')
			return (size_t)-1;
		i = skip_ws(p, n, i + 1);
		if (ke - ks == klen && memcmp(p + ks, key, klen) == 0)
			return i;
		i = skip_ws(p, n, skip_value(p, n, i));
		if (i >= n || p[i] != ',')
			return (size_t)-1;
		i++;
	}
}

/* In the array at p[i] ('['), finds element idx; returns its offset. */
static size_t
array_element(const char *p, size_t n, size_t i, unsigned long idx)
{
	unsigned long k;

	i = skip_ws(p, n, i + 1);
	if (i < n && p[i] == ']')
		return (size_t)-1;
	for (k = 0;; k++) {
		if (k == idx)
			return i;
		i = skip_ws(p, n, skip_value(p, n, i));
		if (i >= n || p[i] != ',')
			return (size_t)-1;
		i = skip_ws(p, n, i + 1);
	}
}

int
pf_json_locate(const char *p, size_t n, const char *path, size_t *offset)
{
	size_t i = skip_ws(p, n, 0);

	if (i >= n)
		return -1;
	*offset = i;
	while (*path) {
		size_t next;

		if (*path == '.')
			path++;
		if (*path == '[') {
			char *end;
			unsigned long idx = strtoul(path + 1, &end, 10);

			if (*end != ']' || p[i] != '[')
				return 0;
			next = array_element(p, n, i, idx);
			path = end + 1;
		} else {
			size_t klen = strcspn(path, ".[");

			if (p[i] != '{')
				return 0;
			next = object_member(p, n, i, path, klen);
			path += klen;
		}
		if (next == (size_t)-1 || next >= n)
			return 0;
		i = next;
		*offset = i;
	}
	return 1;
}

size_t *
pf_json_element_offsets(const char *p, size_t n, const char *path,
    size_t *count)
{
	size_t i, cap = 64, k = 0;
	size_t *offs;

	*count = 0;
	if (pf_json_locate(p, n, path, &i) != 1 || p[i] != '[')
		return NULL;
	offs = pf_xmalloc(cap * sizeof(*offs));
	i = skip_ws(p, n, i + 1);
	if (i < n && p[i] == ']') {
		*count = 0;
		return offs;
	}
	while (i < n) {
		if (k == cap) {
			cap *= 2;
			offs = pf_xrealloc(offs, cap * sizeof(*offs));
		}
		offs[k++] = i;
		i = skip_ws(p, n, skip_value(p, n, i));
		if (i >= n || p[i] != ',')
			break;
		i = skip_ws(p, n, i + 1);
	}
	*count = k;
	return offs;
}

void
pf_textpos_init(struct pf_textpos *tp, const char *text, size_t len)
{
	tp->text = text;
	tp->len = len;
	tp->offset = 0;
	tp->line = 1;
	tp->column = 1;
}

void
pf_textpos_at(struct pf_textpos *tp, size_t offset, long *line, long *column)
{
	size_t i;

	if (offset > tp->len)
		offset = tp->len;
	if (offset < tp->offset)
		pf_textpos_init(tp, tp->text, tp->len);
	for (i = tp->offset; i < offset; i++) {
		unsigned char c = (unsigned char)tp->text[i];

		if (c == '\n') {
			tp->line++;
			tp->column = 1;
		} else if ((c & 0xc0) != 0x80) {
			tp->column++;	/* continuation bytes do not count */
		}
	}
	tp->offset = offset;
	*line = tp->line;
	*column = tp->column;
}

size_t
pf_utf8_invalid_at(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		size_t k, need;
		unsigned long cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			need = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			need = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			need = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		for (k = 1; k <= need; k++) {
			if (i + k >= n || (p[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000) ||
		    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
			return i;
		i += need + 1;
	}
	return n;
}

int
pf_utf8_valid(const char *p, size_t n)
{
	return pf_utf8_invalid_at(p, n) == n;
}
