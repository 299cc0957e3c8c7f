/*
 * pf_qr: a QR code of a text (the join URL), drawn for a terminal.
 *
 * libqrencode makes the symbol (byte mode, error correction L, the
 * smallest version that holds the text); this module draws it with
 * Unicode half blocks, two rows of modules to a line, with the quiet zone
 * of two modules around it.  Light modules are drawn, dark ones left
 * blank, as qrencode -t UTF8 does: on a terminal's dark background the
 * symbol then reads dark on light, as a phone's camera expects.
 *
 * Errors: 0, or -1 with err when the text does not fit a QR code.
 */
#ifndef PF_QR_H
#define PF_QR_H

#include "pf_buf.h"
#include "pf_err.h"

/* Modules of quiet zone on each side. */
#define PF_QR_MARGIN 2

/* Appends the drawing of text's QR code to out, a line per two rows. */
int pf_qr_draw(const char *text, struct pf_buf *out, struct pf_err *err);

#endif
