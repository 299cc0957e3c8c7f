/*
 * pf_p256: the presenter's proof in a live session, ECDSA P-256 over
 * SHA-256 exactly as the app's WebCrypto code makes and checks it.
 *
 * The join code carries the presenter's public key as SubjectPublicKeyInfo
 * DER (91 bytes for P-256); an attendee sends a random nonce and the
 * presenter answers with a signature of the nonce's bytes, raw r || s (64
 * bytes), as WebCrypto's sign() writes it (FORMATS.md 4).  Built on nettle
 * (hogweed), whose curve code is constant-time; randomness comes from
 * getrandom(2).
 *
 * Ownership: a key is the caller's to free with pf_p256_free.  Errors:
 * functions return 0 or -1 with err; pf_p256_verify returns 1 for a good
 * signature and 0 for a bad one, -1 only for a key that is not a P-256 key.
 */
#ifndef PF_P256_H
#define PF_P256_H

#include <stddef.h>

#include "pf_err.h"

#define PF_P256_SPKI_LEN 91	/* SubjectPublicKeyInfo DER of a P-256 key */
#define PF_P256_SIG_LEN 64	/* r || s, 32 bytes each, big-endian */

struct pf_p256_key;

/* A new key pair from the system's random source; NULL and err if none. */
struct pf_p256_key *pf_p256_generate(struct pf_err *err);

/* Writes the public key as SubjectPublicKeyInfo DER. */
void pf_p256_public_spki(const struct pf_p256_key *k,
    unsigned char out[PF_P256_SPKI_LEN]);

/* Signs the n bytes at msg (SHA-256, then ECDSA with a random k). */
int pf_p256_sign(const struct pf_p256_key *k, const void *msg, size_t n,
    unsigned char sig[PF_P256_SIG_LEN], struct pf_err *err);

/*
 * Checks that sig is the signature of the n bytes at msg by the key whose
 * SubjectPublicKeyInfo DER is spki (spki_len bytes).  1 good, 0 bad, -1
 * with err when spki is not an uncompressed P-256 key on the curve.
 */
int pf_p256_verify(const unsigned char *spki, size_t spki_len,
    const void *msg, size_t n, const unsigned char sig[PF_P256_SIG_LEN],
    struct pf_err *err);

/* Frees the key, its secret wiped first.  k may be NULL. */
void pf_p256_free(struct pf_p256_key *k);

#endif
