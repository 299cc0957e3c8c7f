/*
 * pf_qr.c: QR codes through libqrencode, drawn with half blocks.
 */
#include <errno.h>
#include <string.h>

#include <qrencode.h>

#include "pf_qr.h"

/* Whether module (x, y) of the drawing, quiet zone included, is light. */
static int
light(const QRcode *qr, int x, int y)
{
	x -= PF_QR_MARGIN;
	y -= PF_QR_MARGIN;
	if (x < 0 || y < 0 || x >= qr->width || y >= qr->width)
		return 1;
	return !(qr->data[y * qr->width + x] & 1);
}

int
pf_qr_draw(const char *text, struct pf_buf *out, struct pf_err *err)
{
	QRcode *qr;
	int x, y, n, top, bottom;

	qr = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_L);
	if (!qr)
		return pf_err_set(err, PF_ERR_DATA, 0, "no QR code holds %zu "
		    "bytes: %s", strlen(text), strerror(errno));
	n = qr->width + 2 * PF_QR_MARGIN;
	for (y = 0; y < n; y += 2) {
		for (x = 0; x < n; x++) {
			top = light(qr, x, y);
			bottom = y + 1 < n ? light(qr, x, y + 1) : 1;
			pf_buf_adds(out, top && bottom ? "\u2588" : top ?
			    "\u2580" : bottom ? "\u2584" : " ");
		}
		pf_buf_addc(out, '\n');
	}
	QRcode_free(qr);
	return 0;
}
