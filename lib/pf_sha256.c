/*
 * pf_sha256: SHA-256 and base64 through nettle, the library that also
 * signs and checks the presenter's proof (pf_p256).
 */
#include <nettle/base64.h>
#include <nettle/sha2.h>

#include "pf_sha256.h"

void
pf_sha256(const void *p, size_t n, unsigned char out[32])
{
	struct sha256_ctx c;

	sha256_init(&c);
	sha256_update(&c, n, p);
	sha256_digest(&c, SHA256_DIGEST_SIZE, out);
}

void
pf_base64(const void *p, size_t n, struct pf_buf *out)
{
	size_t len = BASE64_ENCODE_RAW_LENGTH(n);

	pf_buf_grow(out, len);
	base64_encode_raw(out->data + out->len, n, p);
	out->len += len;
	out->data[out->len] = '\0';
}
