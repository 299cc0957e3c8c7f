/*
 * pf_joincode: the join code of a live session, and its join URL.
 *
 * The app's code is btoa(JSON.stringify({id, name, url, pubkey})): base64
 * of a JSON object whose text is Latin-1 (btoa takes nothing else), with
 * the presenter's peer id, the session's name, its tutorial URL and the
 * presenter's public key (SubjectPublicKeyInfo DER, base64url).  Older
 * codes say tutorialUrl and sessionPublicKey, or are a bare six-character
 * peer id with no key.  The join URL carries the code, percent-encoded, as
 * its "session" parameter (FORMATS.md 4; the app's join-code-utils.ts).
 *
 * Ownership: a parsed code owns its strings; release it.  Errors: 0 or -1
 * with err (PF_ERR_DATA) saying what the text lacks.
 */
#ifndef PF_JOINCODE_H
#define PF_JOINCODE_H

#include <stddef.h>

#include "pf_err.h"
#include "pf_p256.h"

struct pf_joincode {
	char *id;		/* the presenter's peer id */
	char *name;		/* "Live Session" when the code has none */
	char *url;		/* the tutorial's URL, or "" */
	unsigned char pubkey[PF_P256_SPKI_LEN];
	size_t pubkey_len;	/* 0: the code carries no key (a bare id) */
};

/*
 * Reads a join code, or a join URL ("...?session=CODE..."), as the app
 * does: surrounding blanks ignored, a bare [a-z0-9]{6} taken for a peer id.
 */
int pf_joincode_parse(const char *text, struct pf_joincode *jc,
    struct pf_err *err);

/*
 * The join code for these fields, as the app writes it (keys id, name, url,
 * pubkey; characters beyond ASCII escaped, so that the app's atob and
 * JSON.parse read them whatever they are).  A new string.
 */
char *pf_joincode_make(const char *id, const char *name, const char *url,
    const unsigned char spki[PF_P256_SPKI_LEN]);

/* The join URL of code on the Grafana at base ("http://host:3000"). */
char *pf_joincode_url(const char *base, const char *code);

/* Frees the strings of jc.  jc may be NULL. */
void pf_joincode_release(struct pf_joincode *jc);

#endif
