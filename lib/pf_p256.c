/*
 * pf_p256: ECDSA P-256/SHA-256 with WebCrypto's encodings (SPKI DER public
 * keys, raw r || s signatures), over nettle's hogweed.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/ecdsa.h>
#include <nettle/sha2.h>

#include "pf_alloc.h"
#include "pf_p256.h"
#include "pf_sha256.h"

/*
 * SubjectPublicKeyInfo of an id-ecPublicKey on prime256v1: everything
 * before the uncompressed point 04 || X || Y.  Fixed for this curve.
 */
static const unsigned char spki_prefix[] = {
	0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02,
	0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03,
	0x42, 0x00, 0x04
};

struct pf_p256_key {
	struct ecc_point pub;
	struct ecc_scalar key;
};

/* nettle's random callback: the kernel's generator, which cannot fail
 * once it is seeded (getrandom blocks until then). */
static void
random_bytes(void *ctx, size_t n, uint8_t *out)
{
	(void)ctx;
	while (n > 0) {
		ssize_t k = getrandom(out, n, 0);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			abort();	/* no randomness: nothing safe to do */
		out += k;
		n -= (size_t)k;
	}
}

struct pf_p256_key *
pf_p256_generate(struct pf_err *err)
{
	struct pf_p256_key *k = pf_xcalloc(1, sizeof(*k));
	unsigned char probe;

	if (getrandom(&probe, 1, GRND_NONBLOCK) < 0 && errno == ENOSYS) {
		pf_err_set(err, PF_ERR_IO, errno, "no random source: %s",
		    strerror(errno));
		free(k);
		return NULL;
	}
	ecc_point_init(&k->pub, nettle_get_secp_256r1());
	ecc_scalar_init(&k->key, nettle_get_secp_256r1());
	ecdsa_generate_keypair(&k->pub, &k->key, NULL, random_bytes);
	return k;
}

/* Writes the 32-byte big-endian form of x. */
static void
put32(unsigned char out[32], const mpz_t x)
{
	size_t n = (mpz_sizeinbase(x, 2) + 7) / 8;

	memset(out, 0, 32);
	mpz_export(out + 32 - n, NULL, 1, 1, 1, 0, x);
}

void
pf_p256_public_spki(const struct pf_p256_key *k,
    unsigned char out[PF_P256_SPKI_LEN])
{
	mpz_t x, y;

	mpz_init(x);
	mpz_init(y);
	ecc_point_get(&k->pub, x, y);
	memcpy(out, spki_prefix, sizeof(spki_prefix));
	put32(out + sizeof(spki_prefix), x);
	put32(out + sizeof(spki_prefix) + 32, y);
	mpz_clear(x);
	mpz_clear(y);
}

static void
digest(const void *msg, size_t n, uint8_t d[SHA256_DIGEST_SIZE])
{
	pf_sha256(msg, n, d);
}

int
pf_p256_sign(const struct pf_p256_key *k, const void *msg, size_t n,
    unsigned char sig[PF_P256_SIG_LEN], struct pf_err *err)
{
	struct dsa_signature s;
	uint8_t d[SHA256_DIGEST_SIZE];

	(void)err;
	digest(msg, n, d);
	dsa_signature_init(&s);
	ecdsa_sign(&k->key, NULL, random_bytes, sizeof(d), d, &s);
	put32(sig, s.r);
	put32(sig + 32, s.s);
	dsa_signature_clear(&s);
	return 0;
}

int
pf_p256_verify(const unsigned char *spki, size_t spki_len,
    const void *msg, size_t n, const unsigned char sig[PF_P256_SIG_LEN],
    struct pf_err *err)
{
	struct ecc_point pub;
	struct dsa_signature s;
	uint8_t d[SHA256_DIGEST_SIZE];
	mpz_t x, y;
	int ok = -1;

	if (spki_len != PF_P256_SPKI_LEN ||
	    memcmp(spki, spki_prefix, sizeof(spki_prefix)) != 0)
		return pf_err_set(err, PF_ERR_DATA, 0, "the public key is not "
		    "an uncompressed P-256 key (SubjectPublicKeyInfo DER)");
	mpz_init(x);
	mpz_init(y);
	mpz_import(x, 32, 1, 1, 1, 0, spki + sizeof(spki_prefix));
	mpz_import(y, 32, 1, 1, 1, 0, spki + sizeof(spki_prefix) + 32);
	ecc_point_init(&pub, nettle_get_secp_256r1());
	if (!ecc_point_set(&pub, x, y)) {
		pf_err_set(err, PF_ERR_DATA, 0, "the public key is not a point "
		    "on the P-256 curve");
		goto out;
	}
	dsa_signature_init(&s);
	mpz_import(s.r, 32, 1, 1, 1, 0, sig);
	mpz_import(s.s, 32, 1, 1, 1, 0, sig + 32);
	digest(msg, n, d);
	ok = ecdsa_verify(&pub, sizeof(d), d, &s) ? 1 : 0;
	dsa_signature_clear(&s);
out:
	ecc_point_clear(&pub);
	mpz_clear(x);
	mpz_clear(y);
	return ok;
}

void
pf_p256_free(struct pf_p256_key *k)
{
	if (k == NULL)
		return;
	/* The secret scalar's limbs, wiped before nettle frees them. */
	memset(k->key.p, 0, (size_t)ecc_size(nettle_get_secp_256r1()) *
	    sizeof(*k->key.p));
	ecc_point_clear(&k->pub);
	ecc_scalar_clear(&k->key);
	free(k);
}
