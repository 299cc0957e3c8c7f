/*
 * pf_sha256: SHA-256 and base64 through nettle, the library that also
 * signs and checks the presenter's proof (pf_p256).
 */
#include <stdint.h>

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

void
pf_base64url(const void *p, size_t n, struct pf_buf *out)
{
	struct base64_encode_ctx ctx;
	size_t len;

	pf_buf_grow(out, BASE64_ENCODE_LENGTH(n) + BASE64_ENCODE_FINAL_LENGTH);
	base64url_encode_init(&ctx);
	len = base64_encode_update(&ctx, out->data + out->len, n, p);
	len += base64_encode_final(&ctx, out->data + out->len + len);
	/* WebCrypto's base64url has no padding. */
	while (len > 0 && out->data[out->len + len - 1] == '=')
		len--;
	out->len += len;
	out->data[out->len] = '\0';
}

int
pf_unbase64(const char *s, size_t n, int url, struct pf_buf *out)
{
	struct base64_decode_ctx ctx;
	size_t len = BASE64_DECODE_LENGTH(n), more = 0;

	pf_buf_reset(out);
	pf_buf_grow(out, len + 1);
	if (url)
		base64url_decode_init(&ctx);
	else
		base64_decode_init(&ctx);
	if (!base64_decode_update(&ctx, &len, (uint8_t *)out->data, n, s))
		return -1;
	/* Padding is optional; nettle's final step wants it. */
	if (n % 4 != 0 && (!base64_decode_update(&ctx, &more,
	    (uint8_t *)out->data + len, 4 - n % 4, "===") || more != 0))
		return -1;
	if (!base64_decode_final(&ctx))
		return -1;
	out->len = len;
	out->data[len] = '\0';
	return 0;
}
