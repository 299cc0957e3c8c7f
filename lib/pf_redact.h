/*
 * pf_redact: masking what should not outlive a workshop.
 *
 * Recordings carry what presenters typed: the values of formfill steps,
 * and now and then a token, a password or an address pasted into a chat.
 * A redactor rewrites an event with those replaced by "[REDACTED]": the
 * targetValue of every formfill action (internal actions included), the
 * values of members whose name says secret (password, token, apiKey, ...),
 * and every part of any string that matches a secret pattern (Grafana and
 * cloud tokens, bearer credentials, JWTs, "password=..." pairs, e-mail
 * addresses) or a pattern the caller adds.
 *
 * Ownership: the redactor owns its compiled patterns.  Errors: adding a
 * pattern that does not compile fails with err.
 */
#ifndef PF_REDACT_H
#define PF_REDACT_H

#include <stddef.h>

#include "pf_buf.h"
#include "pf_err.h"
#include "pf_jv.h"

#define PF_REDACTED "[REDACTED]"

struct pf_redact;

/* A redactor with the built-in patterns. */
struct pf_redact *pf_redact_new(void);

/* Adds a POSIX extended regular expression; 0 or -1. */
int pf_redact_add_pattern(struct pf_redact *r, const char *ere,
    struct pf_err *err);

/*
 * Appends ev to out as one compact line of JSON, masked.  Returns how many
 * values were masked (0: the event had nothing to hide).
 */
size_t pf_redact_event(struct pf_redact *r, const struct pf_jv *ev,
    struct pf_buf *out);

/*
 * Appends s (n bytes) to out with every secret-looking part masked.
 * Returns how many parts were masked.
 */
size_t pf_redact_string(struct pf_redact *r, const char *s, size_t n,
    struct pf_buf *out);

/* Frees the redactor.  r may be NULL. */
void pf_redact_free(struct pf_redact *r);

#endif
