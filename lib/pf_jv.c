/*
 * pf_jv: a recursive-descent JSON parser over a bump arena.  Children of an
 * array or object collect on one shared stack and are copied into the arena
 * when the container closes, so a parse costs no malloc once the arena and
 * the stack have grown to the size of the largest line.
 */
#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pf_alloc.h"
#include "pf_jv.h"

#define ARENA_MIN (64 * 1024)

struct chunk {
	struct chunk *next;
	size_t cap;
	size_t used;
	/* the data follows, aligned for any value */
	max_align_t data[];
};

struct pf_jv_parser {
	struct chunk *arena;	/* newest first */
	size_t arena_total;	/* bytes used in the last parse */
	struct pf_jv_member *stack;
	size_t stack_len;
	size_t stack_cap;

	const char *text;
	size_t n;
	size_t pos;
	unsigned flags;
	int depth;
	size_t values;		/* parsed so far in this parse */
	size_t max_values;	/* 0: no cap */

	enum pf_json_fault fault;
	size_t fault_at;
	char msg[200];
};

/*
 * Bytes the string scanner must stop at: '"', '\\', controls, non-ASCII.
 * A constant, not a table filled on first use: parsers run on several
 * threads at once (pf_batch), and none may write shared memory.
 */
#define STOP16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
#define PASS16 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
static const unsigned char special[256] = {
	STOP16, STOP16,					/* 0x00: controls */
	0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,	/* 0x20: '"' */
	PASS16, PASS16,					/* 0x30, 0x40 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,	/* 0x50: '\\' */
	PASS16, PASS16,					/* 0x60, 0x70 */
	STOP16, STOP16, STOP16, STOP16,			/* 0x80: UTF-8 */
	STOP16, STOP16, STOP16, STOP16
};
#undef STOP16
#undef PASS16

struct pf_jv_parser *
pf_jv_parser_new(void)
{
	return pf_xcalloc(1, sizeof(struct pf_jv_parser));
}

static void
free_chunks(struct chunk *c)
{
	while (c) {
		struct chunk *next = c->next;

		free(c);
		c = next;
	}
}

void
pf_jv_parser_free(struct pf_jv_parser *p)
{
	if (p == NULL)
		return;
	free_chunks(p->arena);
	free(p->stack);
	free(p);
}

static struct chunk *
new_chunk(size_t cap)
{
	struct chunk *c = pf_xmalloc(sizeof(*c) + cap);

	c->next = NULL;
	c->cap = cap;
	c->used = 0;
	return c;
}

void
pf_jv_parser_set_max_values(struct pf_jv_parser *p, size_t max)
{
	p->max_values = max;
}

/* Empties the arena, keeping one chunk as large as the last parse needed. */
static void
arena_reset(struct pf_jv_parser *p)
{
	if (p->arena && p->arena->next) {
		size_t want = p->arena_total;

		free_chunks(p->arena);
		p->arena = new_chunk(want > ARENA_MIN ? want : ARENA_MIN);
	}
	if (p->arena == NULL)
		p->arena = new_chunk(ARENA_MIN);
	p->arena->used = 0;
	p->arena_total = 0;
}

static void *
arena_alloc(struct pf_jv_parser *p, size_t n)
{
	struct chunk *c = p->arena;
	size_t al = sizeof(max_align_t);

	n = (n + al - 1) / al * al;
	if (c->cap - c->used < n) {
		c = new_chunk(n > c->cap * 2 ? n : c->cap * 2);
		c->next = p->arena;
		p->arena = c;
	}
	c->used += n;
	p->arena_total += n;
	return (char *)c->data + c->used - n;
}

/* --- errors ------------------------------------------------------------- */

static int __attribute__((format(printf, 4, 5)))
fail(struct pf_jv_parser *p, enum pf_json_fault fault, size_t at,
    const char *fmt, ...)
{
	va_list ap;

	if (p->fault != PF_JSON_OK)
		return -1;
	p->fault = fault;
	p->fault_at = at;
	va_start(ap, fmt);
	vsnprintf(p->msg, sizeof(p->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* What is at pos, for a message: "'x'", "byte 0x01", "the end of the line". */
static const char *
what_at(struct pf_jv_parser *p, size_t pos, char *buf, size_t n)
{
	unsigned char c;

	if (pos >= p->n)
		return "the end of the text";
	c = (unsigned char)p->text[pos];
	if (c > 0x20 && c < 0x7f)
		snprintf(buf, n, "'%c'", c);
	else
		snprintf(buf, n, "byte 0x%02x", c);
	return buf;
}

static int
unexpected(struct pf_jv_parser *p, const char *expected)
{
	char buf[32];

	if (p->pos >= p->n)
		return fail(p, PF_JSON_INCOMPLETE, p->pos,
		    "invalid JSON: expected %s, found the end of the text",
		    expected);
	if (p->text[p->pos] == '\0')
		return fail(p, PF_JSON_NUL, p->pos, "NUL byte in the text");
	return fail(p, PF_JSON_SYNTAX, p->pos, "invalid JSON: expected %s, "
	    "found %s", expected, what_at(p, p->pos, buf, sizeof(buf)));
}

/* --- scalars ------------------------------------------------------------ */

static inline void
skip_ws(struct pf_jv_parser *p)
{
	const char *t = p->text;
	size_t i = p->pos;

	while (i < p->n && (t[i] == ' ' || t[i] == '\n' || t[i] == '\r' ||
	    t[i] == '\t'))
		i++;
	p->pos = i;
}

static int
hex4(const char *s, unsigned *out)
{
	unsigned v = 0;
	int i;

	for (i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

static char *
put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | (cp >> 6));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | (cp >> 12));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | (cp >> 18));
		*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
		*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/* Decodes the escapes of raw[0..len) into out; returns the bytes written. */
static int
unescape(struct pf_jv_parser *p, size_t start, size_t len, char *out,
    size_t *outlen)
{
	const char *s = p->text + start, *end = s + len;
	char *o = out;

	while (s < end) {
		if (*s != '\\') {
			*o++ = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case '"':
		case '\\':
		case '/':
			*o++ = *s++;
			break;
		case 'b':
			*o++ = '\b';
			s++;
			break;
		case 'f':
			*o++ = '\f';
			s++;
			break;
		case 'n':
			*o++ = '\n';
			s++;
			break;
		case 'r':
			*o++ = '\r';
			s++;
			break;
		case 't':
			*o++ = '\t';
			s++;
			break;
		case 'u': {
			size_t at = (size_t)(s - 1 - p->text);
			unsigned cp, lo;

			if (end - s < 5 || hex4(s + 1, &cp) < 0)
				return fail(p, PF_JSON_SYNTAX, at,
				    "invalid JSON: \\u needs four hex digits");
			s += 5;
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (end - s < 6 || s[0] != '\\' || s[1] != 'u' ||
				    hex4(s + 2, &lo) < 0 || lo < 0xdc00 ||
				    lo > 0xdfff)
					return fail(p, PF_JSON_UTF8, at,
					    "lone surrogate \\u%04x in a string",
					    cp);
				cp = 0x10000 + ((cp - 0xd800) << 10) +
				    (lo - 0xdc00);
				s += 6;
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				return fail(p, PF_JSON_UTF8, at,
				    "lone surrogate \\u%04x in a string", cp);
			} else if (cp == 0) {
				return fail(p, PF_JSON_NUL, at,
				    "\\u0000 in a string");
			}
			o = put_utf8(o, cp);
			break;
		}
		default: {
			char buf[32];

			return fail(p, PF_JSON_SYNTAX, (size_t)(s - p->text),
			    "invalid JSON: invalid escape '\\' followed by %s",
			    what_at(p, (size_t)(s - p->text), buf,
			    sizeof(buf)));
		}
		}
	}
	*outlen = (size_t)(o - out);
	return 0;
}

/* p->pos is at '"'.  Sets *s and *len to an unescaped arena copy. */
static int
parse_string(struct pf_jv_parser *p, const char **s, uint32_t *len)
{
	const unsigned char *t = (const unsigned char *)p->text;
	size_t start = p->pos + 1, i = start;
	int escapes = 0;
	char *out;
	size_t outlen = 0;

	for (;;) {
		while (!special[t[i]])
			i++;
		if (i >= p->n)
			return fail(p, PF_JSON_INCOMPLETE, p->pos,
			    "invalid JSON: the string never ends");
		if (t[i] == '"')
			break;
		if (t[i] == '\\') {
			escapes = 1;
			if (i + 1 >= p->n)
				return fail(p, PF_JSON_INCOMPLETE, p->pos,
				    "invalid JSON: the string never ends");
			i += 2;
			continue;
		}
		if (t[i] < 0x20) {
			if (t[i] == 0)
				return fail(p, PF_JSON_NUL, i,
				    "NUL byte in the text");
			return fail(p, PF_JSON_SYNTAX, i, "invalid JSON: "
			    "control character 0x%02x in a string", t[i]);
		}
		{
			size_t k = pf_utf8_seq(t + i, p->n - i);

			if (k == 0)
				return fail(p, PF_JSON_UTF8, i,
				    "invalid UTF-8 byte 0x%02x", t[i]);
			i += k;
		}
	}
	if (i - start > UINT32_MAX)
		return fail(p, PF_JSON_SYNTAX, p->pos,
		    "invalid JSON: string too long");
	out = arena_alloc(p, i - start + 1);
	if (escapes) {
		if (unescape(p, start, i - start, out, &outlen) < 0)
			return -1;
	} else {
		memcpy(out, p->text + start, i - start);
		outlen = i - start;
	}
	out[outlen] = '\0';
	*s = out;
	*len = (uint32_t)outlen;
	p->pos = i + 1;
	return 0;
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
parse_number(struct pf_jv_parser *p, struct pf_jv *v)
{
	const char *t = p->text;
	size_t start = p->pos, i = start;
	int neg = 0, real = 0;

	if (t[i] == '-') {
		neg = 1;
		i++;
	}
	if (i < p->n && t[i] == '0') {
		i++;
	} else if (i < p->n && t[i] >= '1' && t[i] <= '9') {
		while (i < p->n && is_digit(t[i]))
			i++;
	} else {
		p->pos = i;
		return unexpected(p, "a digit");
	}
	if (i < p->n && t[i] == '.') {
		real = 1;
		i++;
		if (i >= p->n || !is_digit(t[i])) {
			p->pos = i;
			return unexpected(p, "a digit after '.'");
		}
		while (i < p->n && is_digit(t[i]))
			i++;
	}
	if (i < p->n && (t[i] == 'e' || t[i] == 'E')) {
		real = 1;
		i++;
		if (i < p->n && (t[i] == '+' || t[i] == '-'))
			i++;
		if (i >= p->n || !is_digit(t[i])) {
			p->pos = i;
			return unexpected(p, "a digit in the exponent");
		}
		while (i < p->n && is_digit(t[i]))
			i++;
	}
	v->offset = start;
	v->end = i;
	if (!real) {
		uint64_t u = 0, limit = neg ? (uint64_t)INT64_MAX + 1 :
		    (uint64_t)INT64_MAX;
		size_t k;

		for (k = start + neg; k < i; k++) {
			unsigned d = (unsigned)(t[k] - '0');

			if (u > (limit - d) / 10)
				return fail(p, PF_JSON_SYNTAX, start,
				    "invalid JSON: integer too large");
			u = u * 10 + d;
		}
		v->type = PF_JV_INTEGER;
		v->u.i = neg ? (int64_t)(0 - u) : (int64_t)u;
	} else {
		char buf[64], *copy = buf;

		if (i - start >= sizeof(buf))
			copy = pf_xmalloc(i - start + 1);
		memcpy(copy, t + start, i - start);
		copy[i - start] = '\0';
		v->type = PF_JV_REAL;
		v->u.d = strtod(copy, NULL);
		if (copy != buf)
			free(copy);
		if (!isfinite(v->u.d))
			return fail(p, PF_JSON_SYNTAX, start,
			    "invalid JSON: number out of range");
	}
	p->pos = i;
	return 0;
}

/* --- containers --------------------------------------------------------- */

static int parse_value(struct pf_jv_parser *p, struct pf_jv *v);

static struct pf_jv_member *
push(struct pf_jv_parser *p)
{
	if (p->stack_len == p->stack_cap) {
		p->stack_cap = p->stack_cap ? p->stack_cap * 2 : 256;
		p->stack = pf_xrealloc(p->stack,
		    p->stack_cap * sizeof(*p->stack));
	}
	return &p->stack[p->stack_len++];
}

static int
enter(struct pf_jv_parser *p)
{
	if (++p->depth > PF_JV_MAX_DEPTH)
		return fail(p, PF_JSON_TOO_DEEP, p->pos, "invalid JSON: "
		    "nesting deeper than %d levels", PF_JV_MAX_DEPTH);
	return 0;
}

static int
parse_array(struct pf_jv_parser *p, struct pf_jv *v)
{
	size_t base = p->stack_len, i, count;
	struct pf_jv *items;

	v->type = PF_JV_ARRAY;
	v->offset = p->pos;
	if (enter(p) < 0)
		return -1;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->n && p->text[p->pos] == ']') {
		p->pos++;
	} else {
		for (;;) {
			struct pf_jv item;
			struct pf_jv_member *m;

			/* Parse first: nested values may move the stack. */
			if (parse_value(p, &item))
				return -1;
			m = push(p);
			m->key = NULL;
			m->klen = 0;
			m->value = item;
			skip_ws(p);
			if (p->pos < p->n && p->text[p->pos] == ',') {
				p->pos++;
				skip_ws(p);
				if (p->pos < p->n && p->text[p->pos] == ']')
					return fail(p, PF_JSON_SYNTAX, p->pos,
					    "invalid JSON: trailing comma "
					    "before ']'");
				continue;
			}
			if (p->pos < p->n && p->text[p->pos] == ']') {
				p->pos++;
				break;
			}
			return unexpected(p, "',' or ']'");
		}
	}
	count = p->stack_len - base;
	items = arena_alloc(p, count * sizeof(*items));
	for (i = 0; i < count; i++)
		items[i] = p->stack[base + i].value;
	p->stack_len = base;
	v->n = (uint32_t)count;
	v->u.items = items;
	v->end = p->pos;
	p->depth--;
	return 0;
}

static int
cmp_members(const void *a, const void *b)
{
	const struct pf_jv_member *x = *(struct pf_jv_member *const *)a;
	const struct pf_jv_member *y = *(struct pf_jv_member *const *)b;
	int c = strcmp(x->key, y->key);

	if (c)
		return c;
	return x->value.offset < y->value.offset ? -1 :
	    x->value.offset > y->value.offset;
}

/* The first repeated key of members m[0..n), in text order, or NULL. */
static const struct pf_jv_member *
find_duplicate(struct pf_jv_member *m, size_t n)
{
	const struct pf_jv_member *dup = NULL;
	struct pf_jv_member **idx;
	size_t i, j;

	if (n <= 16) {
		for (i = 1; i < n; i++)
			for (j = 0; j < i; j++)
				if (m[i].klen == m[j].klen &&
				    memcmp(m[i].key, m[j].key, m[i].klen) == 0)
					return &m[i];
		return NULL;
	}
	/* Many keys: sort, so a hostile object costs n log n, not n^2. */
	idx = pf_xmalloc(n * sizeof(*idx));
	for (i = 0; i < n; i++)
		idx[i] = &m[i];
	qsort(idx, n, sizeof(*idx), cmp_members);
	for (i = 1; i < n; i++)
		if (strcmp(idx[i]->key, idx[i - 1]->key) == 0 &&
		    (dup == NULL || idx[i]->value.offset < dup->value.offset))
			dup = idx[i];
	free(idx);
	return dup;
}

static int
parse_object(struct pf_jv_parser *p, struct pf_jv *v)
{
	size_t base = p->stack_len, count;
	struct pf_jv_member *members;

	v->type = PF_JV_OBJECT;
	v->offset = p->pos;
	if (enter(p) < 0)
		return -1;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->n && p->text[p->pos] == '}') {
		p->pos++;
	} else {
		for (;;) {
			struct pf_jv_member *m;
			struct pf_jv value;
			const char *key;
			uint32_t klen;

			if (p->pos >= p->n || p->text[p->pos] != '"')
				return unexpected(p, "a string key");
			if (parse_string(p, &key, &klen) < 0)
				return -1;
			skip_ws(p);
			if (p->pos >= p->n || p->text[p->pos] != ':')
				return unexpected(p, "':' after the key");
			p->pos++;
			/* Parse first: nested values may move the stack. */
			if (parse_value(p, &value))
				return -1;
			m = push(p);
			m->key = key;
			m->klen = klen;
			m->value = value;
			skip_ws(p);
			if (p->pos < p->n && p->text[p->pos] == ',') {
				p->pos++;
				skip_ws(p);
				if (p->pos < p->n && p->text[p->pos] == '}')
					return fail(p, PF_JSON_SYNTAX, p->pos,
					    "invalid JSON: trailing comma "
					    "before '}'");
				continue;
			}
			if (p->pos < p->n && p->text[p->pos] == '}') {
				p->pos++;
				break;
			}
			return unexpected(p, "',' or '}'");
		}
	}
	count = p->stack_len - base;
	if (!(p->flags & PF_JSON_ALLOW_DUPLICATES) && count > 1) {
		const struct pf_jv_member *d =
		    find_duplicate(p->stack + base, count);

		if (d)
			return fail(p, PF_JSON_DUPLICATE, d->value.offset,
			    "duplicate key '%s'", d->key);
	}
	members = arena_alloc(p, count * sizeof(*members));
	if (count)
		memcpy(members, p->stack + base, count * sizeof(*members));
	p->stack_len = base;
	v->n = (uint32_t)count;
	v->u.members = members;
	v->end = p->pos;
	p->depth--;
	return 0;
}

static int
literal(struct pf_jv_parser *p, struct pf_jv *v, const char *word,
    size_t len, enum pf_jv_type type)
{
	if (p->n - p->pos < len || memcmp(p->text + p->pos, word, len) != 0)
		return unexpected(p, "a value");
	v->type = type;
	v->offset = p->pos;
	p->pos += len;
	v->end = p->pos;
	return 0;
}

static int
parse_value(struct pf_jv_parser *p, struct pf_jv *v)
{
	skip_ws(p);
	v->n = 0;
	if (p->pos >= p->n)
		return unexpected(p, "a value");
	/* Each value costs about 80 bytes of arena and stack: bounded. */
	if (++p->values > p->max_values && p->max_values > 0)
		return fail(p, PF_JSON_TOO_BIG, p->pos, "more than %zu JSON "
		    "values: over the cap", p->max_values);
	switch (p->text[p->pos]) {
	case '{':
		return parse_object(p, v);
	case '[':
		return parse_array(p, v);
	case '"':
		v->type = PF_JV_STRING;
		v->offset = p->pos;
		if (parse_string(p, &v->u.s, &v->n) < 0)
			return -1;
		v->end = p->pos;
		return 0;
	case 't':
		return literal(p, v, "true", 4, PF_JV_TRUE);
	case 'f':
		return literal(p, v, "false", 5, PF_JV_FALSE);
	case 'n':
		return literal(p, v, "null", 4, PF_JV_NULL);
	case '-':
	case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return parse_number(p, v);
	default:
		if ((unsigned char)p->text[p->pos] >= 0x80 &&
		    pf_utf8_seq((const unsigned char *)p->text + p->pos,
		    p->n - p->pos) == 0)
			return fail(p, PF_JSON_UTF8, p->pos,
			    "invalid UTF-8 byte 0x%02x",
			    (unsigned char)p->text[p->pos]);
		return unexpected(p, "a value");
	}
}

const struct pf_jv *
pf_jv_parse(struct pf_jv_parser *p, const char *text, size_t n,
    unsigned flags, enum pf_json_fault *fault, struct pf_err *err)
{
	struct pf_jv *root;

	/*
	 * The scanners stop on the NUL instead of checking the length at
	 * every byte: a text without one would be read past its end.  One
	 * byte to check makes that a clear stop, not a quiet misreading.
	 */
	assert(text[n] == '\0');
	arena_reset(p);
	p->text = text;
	p->n = n;
	p->pos = 0;
	p->flags = flags;
	p->depth = 0;
	p->values = 0;
	p->stack_len = 0;
	p->fault = PF_JSON_OK;
	root = arena_alloc(p, sizeof(*root));
	if (parse_value(p, root) == 0) {
		skip_ws(p);
		if (p->pos < n) {
			char buf[32];

			if (p->text[p->pos] == '\0')
				fail(p, PF_JSON_NUL, p->pos,
				    "NUL byte in the text");
			else
				fail(p, PF_JSON_SYNTAX, p->pos, "invalid "
				    "JSON: %s after the value",
				    what_at(p, p->pos, buf, sizeof(buf)));
		}
	}
	if (p->fault == PF_JSON_OK && root->type != PF_JV_OBJECT &&
	    !(flags & PF_JSON_ANY))
		fail(p, PF_JSON_NOT_OBJECT, root->offset, "expected an "
		    "object, found %s", pf_jv_kind_name(root));
	*fault = p->fault;
	if (p->fault == PF_JSON_OK)
		return root;
	if (err) {
		struct pf_textpos tp;
		long line, col;

		pf_textpos_init(&tp, text, n);
		pf_textpos_at(&tp, p->fault_at, &line, &col);
		pf_err_set_at(err, PF_ERR_DATA, line, col, "%s", p->msg);
	}
	return NULL;
}

/* --- access ------------------------------------------------------------- */

const struct pf_jv *
pf_jv_get(const struct pf_jv *obj, const char *key)
{
	size_t klen;
	uint32_t i;

	if (obj == NULL || obj->type != PF_JV_OBJECT)
		return NULL;
	klen = strlen(key);
	for (i = obj->n; i-- > 0;) {
		const struct pf_jv_member *m = &obj->u.members[i];

		if (m->klen == klen && m->key[0] == key[0] &&
		    memcmp(m->key, key, klen) == 0)
			return &m->value;
	}
	return NULL;
}

const char *
pf_jv_str(const struct pf_jv *v)
{
	return v && v->type == PF_JV_STRING ? v->u.s : NULL;
}

const char *
pf_jv_kind_name(const struct pf_jv *v)
{
	switch (v->type) {
	case PF_JV_NULL:
		return "null";
	case PF_JV_FALSE:
	case PF_JV_TRUE:
		return "a boolean";
	case PF_JV_INTEGER:
		return "an integer";
	case PF_JV_REAL:
		return "a real number";
	case PF_JV_STRING:
		return "a string";
	case PF_JV_ARRAY:
		return "an array";
	case PF_JV_OBJECT:
		return "an object";
	}
	return "a value";
}

/* --- output ------------------------------------------------------------- */

/* Appends \uxxxx for the BMP code point cp, lower-case as jq writes it. */
static void
add_u(struct pf_buf *out, unsigned cp)
{
	static const char hex[] = "0123456789abcdef";
	char u[6] = { '\\', 'u', hex[cp >> 12 & 15], hex[cp >> 8 & 15],
	    hex[cp >> 4 & 15], hex[cp & 15] };

	pf_buf_add(out, u, sizeof(u));
}

/* The code point of the valid k-byte UTF-8 sequence at p (k from 2 to 4). */
static unsigned
decode_utf8(const unsigned char *p, size_t k)
{
	unsigned cp = p[0] & (0x7f >> k);
	size_t i;

	for (i = 1; i < k; i++)
		cp = cp << 6 | (p[i] & 0x3f);
	return cp;
}

/*
 * Whether the k-byte sequence at p is U+2028 or U+2029: JSON allows them
 * raw, but they end a line in the scripts of older browsers.
 */
static int
is_line_separator(const unsigned char *p, size_t k)
{
	return k == 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] == 0xa8 || p[2] == 0xa9);
}

void
pf_jv_dump_string_flags(const char *s, size_t n, unsigned flags,
    struct pf_buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	int script = (flags & PF_JV_ESCAPE_SCRIPT) != 0;
	int ascii = (flags & PF_JV_ESCAPE_ASCII) != 0;
	size_t i = 0, run = 0;

	pf_buf_addc(out, '"');
	while (i < n) {
		unsigned char c = p[i];
		size_t k = 1;

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\' &&
		    !(script && (c == '<' || c == '>' || c == '&'))) {
			i++;
			continue;
		}
		if (c >= 0x80) {
			k = pf_utf8_seq(p + i, n - i);
			if (k > 0 && !ascii && !(script &&
			    is_line_separator(p + i, k))) {
				i += k;
				continue;
			}
		}
		pf_buf_add(out, s + run, i - run);
		switch (c) {
		case '"':
			pf_buf_adds(out, "\\\"");
			break;
		case '\\':
			pf_buf_adds(out, "\\\\");
			break;
		case '\n':
			pf_buf_adds(out, "\\n");
			break;
		case '\r':
			pf_buf_adds(out, "\\r");
			break;
		case '\t':
			pf_buf_adds(out, "\\t");
			break;
		case '\b':
			pf_buf_adds(out, "\\b");
			break;
		case '\f':
			pf_buf_adds(out, "\\f");
			break;
		default:
			if (c < 0x80) {
				add_u(out, c);
			} else if (k == 0) {
				/* Not UTF-8: the byte becomes U+FFFD, as in jq. */
				k = 1;
				if (ascii)
					add_u(out, 0xfffd);
				else
					pf_buf_adds(out, "\xef\xbf\xbd");
			} else {
				unsigned cp = decode_utf8(p + i, k);

				if (cp >= 0x10000) {
					cp -= 0x10000;
					add_u(out, 0xd800 | cp >> 10);
					add_u(out, 0xdc00 | (cp & 0x3ff));
				} else {
					add_u(out, cp);
				}
			}
		}
		i += k;
		run = i;
	}
	pf_buf_add(out, s + run, n - run);
	pf_buf_addc(out, '"');
}

void
pf_jv_dump_string(const char *s, size_t n, struct pf_buf *out)
{
	pf_jv_dump_string_flags(s, n, 0, out);
}

void
pf_jv_dump(const struct pf_jv *v, struct pf_buf *out)
{
	uint32_t i;

	switch (v->type) {
	case PF_JV_NULL:
		pf_buf_adds(out, "null");
		break;
	case PF_JV_FALSE:
		pf_buf_adds(out, "false");
		break;
	case PF_JV_TRUE:
		pf_buf_adds(out, "true");
		break;
	case PF_JV_INTEGER:
		pf_buf_addf(out, "%lld", (long long)v->u.i);
		break;
	case PF_JV_REAL: {
		char b[40];
		int prec;

		/* The shortest form that reads back as the same double. */
		for (prec = 15; prec <= 17; prec++) {
			snprintf(b, sizeof(b), "%.*g", prec, v->u.d);
			if (strtod(b, NULL) == v->u.d)
				break;
		}
		pf_buf_adds(out, b);
		if (strspn(b, "-0123456789") == strlen(b))
			pf_buf_adds(out, ".0");	/* stays a real */
		break;
	}
	case PF_JV_STRING:
		pf_jv_dump_string(v->u.s, v->n, out);
		break;
	case PF_JV_ARRAY:
		pf_buf_addc(out, '[');
		for (i = 0; i < v->n; i++) {
			if (i)
				pf_buf_addc(out, ',');
			pf_jv_dump(&v->u.items[i], out);
		}
		pf_buf_addc(out, ']');
		break;
	case PF_JV_OBJECT:
		pf_buf_addc(out, '{');
		for (i = 0; i < v->n; i++) {
			if (i)
				pf_buf_addc(out, ',');
			pf_jv_dump_string(v->u.members[i].key,
			    v->u.members[i].klen, out);
			pf_buf_addc(out, ':');
			pf_jv_dump(&v->u.members[i].value, out);
		}
		pf_buf_addc(out, '}');
		break;
	}
}

void
pf_jv_splice(const char *text, size_t len, const struct pf_jv *obj,
    const struct pf_jv_edit *edits, size_t n, struct pf_buf *out)
{
	size_t at = 0, i;
	int done[16] = { 0 };
	int comma;

	if (n > 16)
		n = 16;
	/*
	 * Replace in text order: members are stored in it.  Every copy of a
	 * repeated key is set, so that the member pf_jv_get reads (the last)
	 * and any reader that takes the first agree on the new value.
	 */
	for (uint32_t k = 0; k < obj->n; k++) {
		const struct pf_jv_member *m = &obj->u.members[k];

		for (i = 0; i < n; i++) {
			if (strcmp(m->key, edits[i].key) != 0)
				continue;
			pf_buf_add(out, text + at, m->value.offset - at);
			pf_buf_adds(out, edits[i].value);
			at = m->value.end;
			done[i] = 1;
		}
	}
	/* The rest up to the closing brace, then the members to add. */
	pf_buf_add(out, text + at, obj->end - 1 - at);
	comma = obj->n > 0;
	for (i = 0; i < n; i++) {
		if (done[i])
			continue;
		if (comma)
			pf_buf_addc(out, ',');
		comma = 1;
		pf_jv_dump_string(edits[i].key, strlen(edits[i].key), out);
		pf_buf_addc(out, ':');
		pf_buf_adds(out, edits[i].value);
	}
	pf_buf_add(out, text + obj->end - 1, len - (obj->end - 1));
}
