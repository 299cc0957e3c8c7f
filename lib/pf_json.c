/*
 * pf_json: offsets to lines and columns, and UTF-8 validation.
 */
#include "pf_json.h"

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
