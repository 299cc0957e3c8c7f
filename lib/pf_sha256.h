/*
 * pf_sha256: SHA-256 (FIPS 180-4) and base64, for the hashes of a page's
 * inline script and style in its Content-Security-Policy and the
 * idempotency keys of pf-play's POSTs.  nettle does the work.
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

#endif
