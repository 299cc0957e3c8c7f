/*
 * fuzz-jv: libFuzzer target for lib/pf_jv, the JSON parser every line of
 * every recording goes through.  Each input, NUL-terminated as pf_jv
 * requires, must parse or fail with a fault, never crash or leak (the
 * sanitizers watch).  What parses is walked and checked: offsets nest,
 * strings are UTF-8 without NUL, numbers are finite, pf_jv_get finds every
 * key; it dumps to JSON that parses back to the same dump; a cap on the
 * values counts them exactly; and an object spliced with new members
 * reads back with them and nothing else changed.  Built and run by
 * "make fuzz".
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pf_buf.h"
#include "pf_json.h"
#include "pf_jv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct pf_jv_parser *parser, *again;

/* Nonzero if s[0..n) is UTF-8 without a NUL byte. */
static int
valid_utf8(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c == 0)
			return 0;
		if (c < 0x80) {
			i++;
			continue;
		}
		{
			size_t k = pf_utf8_seq((const unsigned char *)s + i,
			    n - i);

			if (k == 0)
				return 0;
			i += k;
		}
	}
	return 1;
}

/*
 * Checks v, parsed from a text of size bytes, and what it holds; counts
 * its values into *count.  dups: the parse allowed duplicate keys.
 */
static void
walk(const struct pf_jv *v, size_t size, int dups, size_t *count, int depth)
{
	uint32_t i;

	(*count)++;
	if (depth > PF_JV_MAX_DEPTH || v->offset >= v->end || v->end > size)
		abort();
	if (pf_jv_kind_name(v) == NULL)
		abort();
	switch (v->type) {
	case PF_JV_NULL:
	case PF_JV_FALSE:
	case PF_JV_TRUE:
		if (v->end - v->offset != (v->type == PF_JV_FALSE ? 5 : 4))
			abort();
		break;
	case PF_JV_INTEGER:
		if (!pf_jv_is_number(v))
			abort();
		break;
	case PF_JV_REAL:
		if (!pf_jv_is_number(v) || !isfinite(v->u.d))
			abort();
		break;
	case PF_JV_STRING:
		if (pf_jv_str(v) != v->u.s || strlen(v->u.s) != v->n ||
		    !valid_utf8(v->u.s, v->n))
			abort();
		break;
	case PF_JV_ARRAY:
		for (i = 0; i < v->n; i++) {
			const struct pf_jv *it = &v->u.items[i];

			if (it->offset <= v->offset || it->end >= v->end ||
			    (i > 0 && it->offset < v->u.items[i - 1].end))
				abort();
			walk(it, size, dups, count, depth + 1);
		}
		break;
	case PF_JV_OBJECT:
		for (i = 0; i < v->n; i++) {
			const struct pf_jv_member *m = &v->u.members[i];
			const struct pf_jv *got;

			if (m->value.offset <= v->offset ||
			    m->value.end >= v->end ||
			    (i > 0 && m->value.offset <
			    v->u.members[i - 1].value.end))
				abort();
			if (strlen(m->key) != m->klen ||
			    !valid_utf8(m->key, m->klen))
				abort();
			/* The last member of that name: this one if unique. */
			got = pf_jv_get(v, m->key);
			if (got == NULL || (!dups && got != &m->value))
				abort();
			if (dups && got < &m->value)
				abort();
			walk(&m->value, size, dups, count, depth + 1);
		}
		if (pf_jv_get(v, "") != NULL) {
			for (i = 0; i < v->n; i++)
				if (v->u.members[i].klen == 0)
					break;
			if (i == v->n)
				abort();
		}
		break;
	default:
		abort();
	}
}

/* The compact dump of what text parses to (flags), or "" if it fails. */
static void
dump_of(struct pf_jv_parser *p, const char *text, size_t n, unsigned flags,
    struct pf_buf *out)
{
	enum pf_json_fault fault;
	struct pf_err err;
	const struct pf_jv *v;

	pf_buf_reset(out);
	v = pf_jv_parse(p, text, n, flags, &fault, &err);
	if (v)
		pf_jv_dump(v, out);
	pf_buf_add(out, "", 0);
}

/*
 * Splices two members into the object root, parsed from text (size bytes,
 * no duplicate keys): one it may hold, the first member's name, and one
 * it cannot hold, whose name needs escapes.  The result must read back
 * with the new values and the other members as they were.
 */
static void
check_splice(const char *text, size_t size, const struct pf_jv *root)
{
	static const char odd[] = "pf\"fuzz\\\n\x7f\xc3\xa9";
	struct pf_buf out = PF_BUF_INIT;
	struct pf_jv_edit edits[2];
	enum pf_json_fault fault;
	struct pf_err err;
	const struct pf_jv *v;
	size_t nedits = 0, added = 0, i;

	if (root->n > 0)
		edits[nedits++] = (struct pf_jv_edit){ root->u.members[0].key,
		    "[1773324000000,\"x\"]" };
	/* Each name once: a splice sets a member once. */
	if (root->n == 0 || strcmp(root->u.members[0].key, odd) != 0) {
		edits[nedits++] = (struct pf_jv_edit){ odd, "-0.5e-3" };
		added = pf_jv_get(root, odd) == NULL;
	}
	pf_jv_splice(text, size, root, edits, nedits, &out);
	pf_buf_add(&out, "", 0);
	v = pf_jv_parse(again, out.data, out.len, 0, &fault, &err);
	if (v == NULL || v->n != root->n + added)
		abort();
	for (i = 0; i < nedits; i++) {
		const struct pf_jv *got = pf_jv_get(v, edits[i].key);

		if (got == NULL || got->end - got->offset !=
		    strlen(edits[i].value) || memcmp(out.data + got->offset,
		    edits[i].value, got->end - got->offset) != 0)
			abort();
	}
	/* Every other member: the same bytes, in the same order. */
	for (i = 0; i < root->n; i++) {
		const struct pf_jv_member *m = &root->u.members[i];
		const struct pf_jv_member *n = &v->u.members[i];
		size_t len = m->value.end - m->value.offset;

		if (strcmp(m->key, n->key) != 0)
			abort();
		if (i == 0 || strcmp(m->key, odd) == 0)
			continue;
		if (n->value.end - n->value.offset != len ||
		    memcmp(text + m->value.offset, out.data + n->value.offset,
		    len) != 0)
			abort();
	}
	pf_buf_release(&out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pf_buf d1 = PF_BUF_INIT, d2 = PF_BUF_INIT;
	char *text;
	enum pf_json_fault fault, fault2;
	struct pf_err err;
	const struct pf_jv *v;
	size_t count = 0;
	int dups = 0;

	if (parser == NULL) {
		parser = pf_jv_parser_new();
		again = pf_jv_parser_new();
	}
	/*
	 * pf_jv's contract: a NUL after the text.  Exactly one, in a block
	 * of its own, so that ASan sees any read past it.
	 */
	text = malloc(size + 1);
	if (text == NULL)
		return 0;
	if (size)
		memcpy(text, data, size);
	text[size] = '\0';

	v = pf_jv_parse(parser, text, size, PF_JSON_ANY, &fault, &err);
	if (v == NULL && fault == PF_JSON_DUPLICATE) {
		dups = 1;
		v = pf_jv_parse(parser, text, size,
		    PF_JSON_ANY | PF_JSON_ALLOW_DUPLICATES, &fault, &err);
	}
	if ((v == NULL) != (fault != PF_JSON_OK))
		abort();
	if (v == NULL) {
		/* A fault is one of the kinds, and says where. */
		if (fault < PF_JSON_SYNTAX || fault > PF_JSON_TOO_BIG ||
		    fault == PF_JSON_NOT_OBJECT || fault == PF_JSON_TOO_BIG ||
		    err.line < 1 || err.column < 1 || err.msg[0] == '\0')
			abort();
		/* Objects only: the same fault, or the same text is bad. */
		if (pf_jv_parse(parser, text, size, 0, &fault2,
		    NULL) != NULL)
			abort();
		goto out;
	}
	walk(v, size, dups, &count, 0);

	/* Only objects without the flag; the fault says what it was. */
	if (pf_jv_parse(again, text, size, dups ?
	    PF_JSON_ALLOW_DUPLICATES : 0, &fault2, NULL) == NULL) {
		if (v->type == PF_JV_OBJECT || fault2 != PF_JSON_NOT_OBJECT)
			abort();
	} else if (v->type != PF_JV_OBJECT) {
		abort();
	}

	if (v->type == PF_JV_OBJECT && !dups)
		check_splice(text, size, v);

	/* A dump parses back to itself. */
	pf_jv_dump(v, &d1);
	pf_buf_add(&d1, "", 0);
	dump_of(again, d1.data, d1.len, PF_JSON_ANY | (dups ?
	    PF_JSON_ALLOW_DUPLICATES : 0), &d2);
	if (d1.len != d2.len || memcmp(d1.data, d2.data, d1.len) != 0)
		abort();

	/* A cap on the values: exactly count pass it, count - 1 do not. */
	pf_jv_parser_set_max_values(again, count);
	if (pf_jv_parse(again, text, size, PF_JSON_ANY | (dups ?
	    PF_JSON_ALLOW_DUPLICATES : 0), &fault2, NULL) == NULL)
		abort();
	if (count > 1) {
		pf_jv_parser_set_max_values(again, count - 1);
		if (pf_jv_parse(again, text, size, PF_JSON_ANY | (dups ?
		    PF_JSON_ALLOW_DUPLICATES : 0), &fault2, NULL) != NULL ||
		    fault2 != PF_JSON_TOO_BIG)
			abort();
	}
	pf_jv_parser_set_max_values(again, 0);
out:
	free(text);
	pf_buf_release(&d1);
	pf_buf_release(&d2);
	return 0;
}
