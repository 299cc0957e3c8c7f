/*
 * pf_json: byte offsets to lines and columns, the one UTF-8 check and the
 * one byte order mark check.
 */
#include <string.h>

#include "pf_json.h"

size_t
pf_utf8_seq(const unsigned char *s, size_t avail)
{
	unsigned char c = s[0];

	if (c >= 0xc2 && c <= 0xdf)
		return avail >= 2 && (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (avail < 3 || (s[1] & 0xc0) != 0x80 ||
		    (s[2] & 0xc0) != 0x80)
			return 0;
		if (c == 0xe0 && s[1] < 0xa0)
			return 0;	/* overlong */
		if (c == 0xed && s[1] >= 0xa0)
			return 0;	/* a surrogate */
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (avail < 4 || (s[1] & 0xc0) != 0x80 ||
		    (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80)
			return 0;
		if (c == 0xf0 && s[1] < 0x90)
			return 0;	/* overlong */
		if (c == 0xf4 && s[1] >= 0x90)
			return 0;	/* beyond U+10FFFF */
		return 4;
	}
	return 0;
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
pf_utf8_bom(const char *s, size_t n)
{
	return n >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
}
