/*
 * pf_sha256: SHA-256 (FIPS 180-4) and base64, for the hashes of a page's
 * inline script and style in its Content-Security-Policy, the idempotency
 * keys of pf-play's POSTs, and the live session's codes, nonces and
 * signatures (base64url).  nettle does the work.
 */
#ifndef PF_SHA256_H
#define PF_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "pf_buf.h"

/* Writes the 32-byte digest of the n bytes at p to out. */
void pf_sha256(const void *p, size_t n, unsigned char out[32]);

/* Appends the base64 (RFC 4648, padded) of the n bytes at p to out. */
void pf_base64(const void *p, size_t n, struct pf_buf *out);

/*
 * Appends the base64url of the n bytes at p to out, without padding, as
 * WebCrypto and the app write keys, nonces and signatures.
 */
void pf_base64url(const void *p, size_t n, struct pf_buf *out);

/*
 * Decodes the n characters at s, base64 or (url nonzero) base64url,
 * padding optional, into out (replacing what it held).  0, or -1 when the
 * text is not that encoding.
 */
int pf_unbase64(const char *s, size_t n, int url, struct pf_buf *out);

#endif
