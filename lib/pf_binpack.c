/*
 * pf_binpack: BinaryPack to JSON and back, bounded for input from the
 * network.  The encoder follows the app's packer (peerjs-js-binarypack
 * 2.x) case by case, so that what pf sends is what the app would.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pf_alloc.h"
#include "pf_binpack.h"
#include "pf_json.h"
#include "pf_jv.h"

struct cursor {
	const unsigned char *p;
	size_t n;
	size_t pos;
	int depth;
	struct pf_err *err;
};

static int
bad(struct cursor *c, size_t at, const char *what)
{
	return pf_err_set(c->err, PF_ERR_DATA, 0, "BinaryPack: byte %zu: %s",
	    at, what);
}

/* Reads a k-byte big-endian unsigned number; -1 past the end. */
static int
uint_be(struct cursor *c, size_t k, uint64_t *v)
{
	size_t i;

	if (c->n - c->pos < k)
		return bad(c, c->pos, "the message ends inside a number");
	*v = 0;
	for (i = 0; i < k; i++)
		*v = *v << 8 | c->p[c->pos + i];
	c->pos += k;
	return 0;
}

/* A length that must fit in what is left, each element at least min bytes. */
static int
length(struct cursor *c, size_t k, size_t min, size_t *len)
{
	size_t at = c->pos - 1;
	uint64_t v;

	if (uint_be(c, k, &v) < 0)
		return -1;
	if (v > (c->n - c->pos) / min)
		return bad(c, at, "a length longer than the message");
	*len = (size_t)v;
	return 0;
}

static void
put_double(double d, struct pf_buf *out)
{
	char b[32];
	int prec;

	if (!isfinite(d)) {
		pf_buf_adds(out, "null");	/* as JSON.stringify */
		return;
	}
	/* The shortest form that reads back as the same double. */
	for (prec = 15; prec <= 17; prec++) {
		snprintf(b, sizeof(b), "%.*g", prec, d);
		if (strtod(b, NULL) == d)
			break;
	}
	pf_buf_adds(out, b);
}

static int
string(struct cursor *c, size_t len, struct pf_buf *out)
{
	const unsigned char *s = c->p + c->pos;
	size_t i, k;

	if (len > c->n - c->pos)
		return bad(c, c->pos - 1, "a string longer than the message");
	for (i = 0; i < len; i += k) {
		k = s[i] < 0x80 ? 1 : pf_utf8_seq(s + i, len - i);
		if (k == 0)
			return bad(c, c->pos + i, "a string that is not UTF-8");
		if (s[i] == 0)
			return bad(c, c->pos + i, "a NUL in a string");
	}
	pf_jv_dump_string((const char *)s, len, out);
	c->pos += len;
	return 0;
}

static int value(struct cursor *c, struct pf_buf *out);

static int
array(struct cursor *c, size_t len, struct pf_buf *out)
{
	size_t i;

	pf_buf_addc(out, '[');
	for (i = 0; i < len; i++) {
		if (i)
			pf_buf_addc(out, ',');
		if (value(c, out) < 0)
			return -1;
	}
	pf_buf_addc(out, ']');
	return 0;
}

/* A map key: JavaScript makes a string of it; strings and numbers only. */
static int
key(struct cursor *c, struct pf_buf *out)
{
	unsigned char t = c->p[c->pos];

	if ((t >= 0xb0 && t <= 0xbf) || t == 0xd8 || t == 0xd9)
		return value(c, out);
	if (t < 0x80 || t >= 0xe0 || (t >= 0xcc && t <= 0xd3)) {
		pf_buf_addc(out, '"');
		if (value(c, out) < 0)
			return -1;
		pf_buf_addc(out, '"');
		return 0;
	}
	return bad(c, c->pos, "a map key that is neither a string nor a number");
}

static int
map(struct cursor *c, size_t len, struct pf_buf *out)
{
	size_t i;

	pf_buf_addc(out, '{');
	for (i = 0; i < len; i++) {
		if (i)
			pf_buf_addc(out, ',');
		if (c->pos >= c->n)
			return bad(c, c->pos, "the message ends inside a map");
		if (key(c, out) < 0)
			return -1;
		pf_buf_addc(out, ':');
		if (value(c, out) < 0)
			return -1;
	}
	pf_buf_addc(out, '}');
	return 0;
}

static int
nested(struct cursor *c, size_t at, int is_map, size_t len,
    struct pf_buf *out)
{
	int rc;

	if (++c->depth > PF_BINPACK_MAX_DEPTH)
		return bad(c, at, "nested deeper than 64");
	rc = is_map ? map(c, len, out) : array(c, len, out);
	c->depth--;
	return rc;
}

static int
value(struct cursor *c, struct pf_buf *out)
{
	size_t at = c->pos, len;
	unsigned char t;
	uint64_t u;

	if (c->pos >= c->n)
		return bad(c, c->pos, "the message ends where a value should be");
	t = c->p[c->pos++];
	if (t < 0x80) {
		pf_buf_addf(out, "%u", t);
		return 0;
	}
	if (t >= 0xe0) {
		pf_buf_addf(out, "%d", (int)t - 256);
		return 0;
	}
	if (t >= 0xa0 && t <= 0xaf)
		return bad(c, at, "raw bytes, which no event carries");
	if (t >= 0xb0 && t <= 0xbf)
		return string(c, t & 0x0f, out);
	if (t >= 0x90 && t <= 0x9f)
		return nested(c, at, 0, t & 0x0f, out);
	if (t <= 0x8f)
		return nested(c, at, 1, t & 0x0f, out);
	switch (t) {
	case 0xc0:
	case 0xc1:	/* undefined */
	case 0xd4:
	case 0xd5:
	case 0xd6:
	case 0xd7:
		pf_buf_adds(out, "null");
		return 0;
	case 0xc2:
		pf_buf_adds(out, "false");
		return 0;
	case 0xc3:
		pf_buf_adds(out, "true");
		return 0;
	case 0xca: {
		uint32_t bits;
		float f;

		if (uint_be(c, 4, &u) < 0)
			return -1;
		bits = (uint32_t)u;
		memcpy(&f, &bits, sizeof(f));
		put_double(f, out);
		return 0;
	}
	case 0xcb: {
		double d;

		if (uint_be(c, 8, &u) < 0)
			return -1;
		memcpy(&d, &u, sizeof(d));
		put_double(d, out);
		return 0;
	}
	case 0xcc:
	case 0xcd:
	case 0xce:
	case 0xcf:
		if (uint_be(c, (size_t)1 << (t - 0xcc), &u) < 0)
			return -1;
		/* Past 2^63 JavaScript holds a double; so does pf_jv. */
		if (u > INT64_MAX)
			put_double((double)u, out);
		else
			pf_buf_addf(out, "%" PRIu64, u);
		return 0;
	case 0xd0:
	case 0xd1:
	case 0xd2:
	case 0xd3: {
		size_t k = (size_t)1 << (t - 0xd0);
		int64_t v;

		if (uint_be(c, k, &u) < 0)
			return -1;
		/* Sign-extend from k bytes. */
		if (k < 8 && (u >> (8 * k - 1)) & 1)
			u |= ~(uint64_t)0 << (8 * k);
		memcpy(&v, &u, sizeof(v));
		pf_buf_addf(out, "%" PRId64, v);
		return 0;
	}
	case 0xd8:
	case 0xd9:
		if (length(c, t == 0xd8 ? 2 : 4, 1, &len) < 0)
			return -1;
		return string(c, len, out);
	case 0xda:
	case 0xdb:
		return bad(c, at, "raw bytes, which no event carries");
	case 0xdc:
	case 0xdd:
		if (length(c, t == 0xdc ? 2 : 4, 1, &len) < 0)
			return -1;
		return nested(c, at, 0, len, out);
	case 0xde:
	case 0xdf:
		if (length(c, t == 0xde ? 2 : 4, 2, &len) < 0)
			return -1;
		return nested(c, at, 1, len, out);
	default:
		return bad(c, at, "a type byte BinaryPack does not define");
	}
}

int
pf_binpack_to_json(const void *p, size_t n, struct pf_buf *out,
    struct pf_err *err)
{
	struct cursor c = { p, n, 0, 0, err };

	if (value(&c, out) < 0)
		return -1;
	if (c.pos != n)
		return bad(&c, c.pos, "bytes after the value");
	return 0;
}

/* --- encoding ------------------------------------------------------------ */

static void
be(struct pf_buf *out, unsigned char type, uint64_t v, size_t k)
{
	size_t i;

	if (type)
		pf_buf_addc(out, (char)type);
	for (i = k; i-- > 0;)
		pf_buf_addc(out, (char)(v >> (8 * i) & 0xff));
}

/* The app's pack_integer, case for case and in its order. */
static void
pack_integer(int64_t v, struct pf_buf *out)
{
	if (v >= -32 && v <= 0x7f)
		be(out, 0, (uint64_t)v & 0xff, 1);
	else if (v >= 0 && v <= 0xff)
		be(out, 0xcc, (uint64_t)v, 1);
	else if (v >= -128 && v <= 0x7f)
		be(out, 0xd0, (uint64_t)v, 1);
	else if (v >= 0 && v <= 0xffff)
		be(out, 0xcd, (uint64_t)v, 2);
	else if (v >= -32768 && v <= 0x7fff)
		be(out, 0xd1, (uint64_t)v, 2);
	else if (v >= 0 && v <= 0xffffffff)
		be(out, 0xce, (uint64_t)v, 4);
	else if (v >= INT32_MIN && v <= INT32_MAX)
		be(out, 0xd2, (uint64_t)v, 4);
	else
		be(out, 0xd3, (uint64_t)v, 8);
}

static void
pack_double(double d, struct pf_buf *out)
{
	uint64_t u;

	/* JavaScript has one number type: a whole one packs as an integer. */
	if (d == floor(d) && d >= -9223372036854775808.0 &&
	    d < 9223372036854775808.0) {
		pack_integer((int64_t)d, out);
		return;
	}
	if (d == floor(d) && d >= 0 && d < 18446744073709551616.0) {
		be(out, 0xcf, (uint64_t)d, 8);
		return;
	}
	memcpy(&u, &d, sizeof(u));
	be(out, 0xcb, u, 8);
}

static void
pack_string(const char *s, size_t n, struct pf_buf *out)
{
	if (n <= 0x0f)
		be(out, (unsigned char)(0xb0 + n), 0, 0);
	else if (n <= 0xffff)
		be(out, 0xd8, n, 2);
	else
		be(out, 0xd9, n, 4);
	pf_buf_add(out, s, n);
}

static void
pack_count(size_t n, unsigned char fix, unsigned char t16, struct pf_buf *out)
{
	if (n <= 0x0f)
		be(out, (unsigned char)(fix + n), 0, 0);
	else if (n <= 0xffff)
		be(out, t16, n, 2);
	else
		be(out, (unsigned char)(t16 + 1), n, 4);
}

void
pf_binpack_from_jv(const struct pf_jv *v, struct pf_buf *out)
{
	uint32_t i;

	switch (v->type) {
	case PF_JV_NULL:
		pf_buf_addc(out, (char)0xc0);
		break;
	case PF_JV_FALSE:
		pf_buf_addc(out, (char)0xc2);
		break;
	case PF_JV_TRUE:
		pf_buf_addc(out, (char)0xc3);
		break;
	case PF_JV_INTEGER:
		pack_integer(v->u.i, out);
		break;
	case PF_JV_REAL:
		pack_double(v->u.d, out);
		break;
	case PF_JV_STRING:
		pack_string(v->u.s, v->n, out);
		break;
	case PF_JV_ARRAY:
		pack_count(v->n, 0x90, 0xdc, out);
		for (i = 0; i < v->n; i++)
			pf_binpack_from_jv(&v->u.items[i], out);
		break;
	case PF_JV_OBJECT:
		pack_count(v->n, 0x80, 0xde, out);
		for (i = 0; i < v->n; i++) {
			pack_string(v->u.members[i].key, v->u.members[i].klen,
			    out);
			pf_binpack_from_jv(&v->u.members[i].value, out);
		}
		break;
	}
}

/* --- chunks ----------------------------------------------------------------- */

void
pf_binpack_chunk_pack(int64_t id, int64_t index, int64_t total,
    const void *data, size_t len, struct pf_buf *out)
{
	pack_count(4, 0x80, 0xde, out);
	pack_string("__peerData", 10, out);
	pack_integer(id, out);
	pack_string("n", 1, out);
	pack_integer(index, out);
	pack_string("data", 4, out);
	pack_count(len, 0xa0, 0xda, out);	/* raw bytes */
	pf_buf_add(out, data, len);
	pack_string("total", 5, out);
	pack_integer(total, out);
}

/* Skips one value at the cursor, checking it as pf_binpack_to_json does. */
static int
skip(struct cursor *c, struct pf_buf *scratch)
{
	pf_buf_reset(scratch);
	return value(c, scratch);
}

/* Reads an integer value at the cursor; -1 if it is not one. */
static int
read_int(struct cursor *c, struct pf_buf *scratch, int64_t *v)
{
	unsigned char t = c->pos < c->n ? c->p[c->pos] : 0xc0;

	if (!(t < 0x80 || t >= 0xe0 || (t >= 0xcc && t <= 0xd3)) ||
	    t == 0xcf || skip(c, scratch) < 0)
		return -1;
	*v = strtoll(pf_buf_str(scratch), NULL, 10);
	return 0;
}

int
pf_binpack_chunk(const void *p, size_t n, struct pf_binpack_chunk *ch,
    struct pf_err *err)
{
	struct cursor c = { p, n, 0, 0, err };
	struct pf_buf scratch = PF_BUF_INIT;
	size_t i, count, klen, len;
	unsigned char t;
	int have = 0, rc = -1;

	/* PeerJS writes __peerData first: {__peerData, n, data, total}. */
	if (n < 12 || (c.p[0] & 0xf0) != 0x80 ||
	    memcmp(c.p + 1, "\xba__peerData", 11) != 0)
		return 0;
	memset(ch, 0, sizeof(*ch));
	count = c.p[0] & 0x0f;
	c.pos = 1;
	for (i = 0; i < count; i++) {
		const char *k;

		t = c.pos < n ? c.p[c.pos] : 0;
		klen = t >= 0xb0 && t <= 0xbf ? t & 0x0fu : 0;
		if (klen == 0 || n - c.pos - 1 < klen) {
			bad(&c, c.pos, "a chunk envelope with a key that is "
			    "not a short string");
			goto out;
		}
		k = (const char *)c.p + c.pos + 1;
		c.pos += 1 + klen;
		if (klen == 10 && memcmp(k, "__peerData", 10) == 0) {
			if (c.pos < n && (c.p[c.pos] & 0xf0) == 0x80) {
				/* {type: "close"}: the peer closes. */
				if (skip(&c, &scratch) < 0)
					goto out;
				rc = strcmp(pf_buf_str(&scratch),
				    "{\"type\":\"close\"}") == 0 ? 2 : 0;
				goto out;
			}
			if (read_int(&c, &scratch, &ch->id) < 0)
				break;
			have |= 1;
		} else if (klen == 1 && *k == 'n') {
			if (read_int(&c, &scratch, &ch->index) < 0)
				break;
			have |= 2;
		} else if (klen == 5 && memcmp(k, "total", 5) == 0) {
			if (read_int(&c, &scratch, &ch->total) < 0)
				break;
			have |= 4;
		} else if (klen == 4 && memcmp(k, "data", 4) == 0) {
			t = c.pos < n ? c.p[c.pos++] : 0;
			if (t >= 0xa0 && t <= 0xaf)
				len = t & 0x0f;
			else if (t != 0xda && t != 0xdb)
				break;
			else if (length(&c, t == 0xda ? 2 : 4, 1, &len) < 0)
				goto out;
			ch->data = c.p + c.pos;
			ch->len = len;
			c.pos += len;
			have |= 8;
		} else {
			break;
		}
	}
	if (i < count || have != 15) {
		bad(&c, c.pos, "a chunk envelope that is not {__peerData, n, "
		    "data, total}");
		goto out;
	}
	if (c.pos != n) {
		bad(&c, c.pos, "bytes after the chunk envelope");
		goto out;
	}
	if (ch->total < 1 || ch->index < 0 || ch->index >= ch->total) {
		bad(&c, 0, "a chunk number out of its range");
		goto out;
	}
	rc = 1;
out:
	pf_buf_release(&scratch);
	return rc;
}

/* --- reassembly ----------------------------------------------------------- */

void
pf_binpack_parts_release(struct pf_binpack_parts *parts)
{
	int64_t i;

	for (i = 0; parts->piece && i < parts->total; i++)
		pf_buf_release(&parts->piece[i]);
	free(parts->piece);
	free(parts->have);
	*parts = (struct pf_binpack_parts)PF_BINPACK_PARTS_INIT;
}

int
pf_binpack_parts_take(struct pf_binpack_parts *parts,
    const struct pf_binpack_chunk *c, int64_t max_pieces, size_t max_bytes,
    struct pf_buf *whole, struct pf_err *err)
{
	int64_t i;

	if (c->total > max_pieces)
		return pf_err_set(err, PF_ERR_DATA, 0, "a message in %" PRId64
		    " pieces, over the limit of %" PRId64, c->total,
		    max_pieces);
	if (!parts->piece || parts->id != c->id || parts->total != c->total) {
		pf_binpack_parts_release(parts);
		parts->id = c->id;
		parts->total = c->total;
		parts->piece = pf_xcalloc((size_t)c->total,
		    sizeof(*parts->piece));
		parts->have = pf_xcalloc((size_t)c->total, 1);
	}
	if (parts->have[c->index])
		return 0;	/* a piece again: the first one stands */
	if (c->len > max_bytes - parts->bytes) {
		pf_binpack_parts_release(parts);
		return pf_err_set(err, PF_ERR_DATA, 0, "a message over %zu "
		    "bytes", max_bytes);
	}
	parts->bytes += c->len;
	parts->have[c->index] = 1;
	pf_buf_add(&parts->piece[c->index], c->data, c->len);
	if (++parts->seen < parts->total)
		return 0;
	pf_buf_reset(whole);
	for (i = 0; i < parts->total; i++)
		pf_buf_add(whole, parts->piece[i].data, parts->piece[i].len);
	pf_binpack_parts_release(parts);
	return 1;
}
