/*
 * pf_http: POSTing events to an HTTP endpoint, with libcurl.
 *
 * One connection is kept alive across requests.  A request that fails to
 * connect, times out or gets a 5xx answer is tried again after a growing
 * pause (100 ms, 200 ms, 400 ms, ...); a 4xx answer is final.  Every try of
 * one body carries the same "Idempotency-Key: <hex SHA-256 of the body>"
 * header, so that an endpoint can drop the second copy of a request that
 * arrived although its answer did not (a timeout, then a retry).
 *
 * A request, and the pause before a retry, can be interrupted: see
 * pf_http_set_interrupt.
 *
 * Ownership: the handle owns copies of the URL, headers and credentials.
 * Errors: 0 or -1 with err filled; the message names the last HTTP status
 * ("HTTP 503") or libcurl's reason; err->errnum is EINTR when the
 * interrupt flag stopped it, else 0 (it is an errno, never a status).
 * Messages never hold the password of a URL.
 */
#ifndef PF_HTTP_H
#define PF_HTTP_H

#include <signal.h>
#include <stddef.h>

#include "pf_err.h"

/* The request header that carries the body's hash. */
#define PF_HTTP_IDEMPOTENCY_KEY "Idempotency-Key"

struct pf_http;

/* A client for url (http:// or https://).  NULL and err on failure. */
struct pf_http *pf_http_new(const char *url, struct pf_err *err);

/* Adds a request header, "Name: value".  0, or -1 if it is malformed. */
int pf_http_add_header(struct pf_http *h, const char *header,
    struct pf_err *err);

/*
 * Authenticates with "Authorization: Bearer token".  0, or -1 (and nothing
 * set) if the token holds a control character, which would end the header
 * line and start another.
 */
int pf_http_set_bearer(struct pf_http *h, const char *token,
    struct pf_err *err);

/* Authenticates with HTTP basic authentication. */
void pf_http_set_basic(struct pf_http *h, const char *user,
    const char *password);

/*
 * Makes a request in progress, and the pause before a retry, stop within
 * about a second once *flag is nonzero (a signal handler sets it); the
 * request then fails with err->errnum EINTR.  flag may be NULL.
 */
void pf_http_set_interrupt(struct pf_http *h,
    const volatile sig_atomic_t *flag);

/*
 * POSTs body (n bytes) as application/json with its idempotency key,
 * trying up to 1 + retries times.  Returns 0 on a 2xx answer, else -1.
 */
int pf_http_post(struct pf_http *h, const char *body, size_t n, int retries,
    struct pf_err *err);

/*
 * The URL requests go to, for messages: a password in it is shown as
 * "***" (http://user:***@host/).  Borrowed.
 */
const char *pf_http_url(const struct pf_http *h);

/*
 * A copy of url with the password of its user information, if any,
 * replaced by "***", for messages.  The caller frees it.
 */
char *pf_http_mask_url(const char *url);

/* Frees the client.  h may be NULL. */
void pf_http_free(struct pf_http *h);

#endif
