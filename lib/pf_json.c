/*
 * pf_json: byte offsets to lines and columns.
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
