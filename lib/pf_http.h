/*
 * pf_http: POSTing events to an HTTP endpoint, with libcurl.
 *
 * One connection is kept alive across requests.  A request that fails to
 * connect, times out or gets a 5xx answer is tried again after a growing
 * pause (100 ms, 200 ms, 400 ms, ...); a 4xx answer is final.
 *
 * Ownership: the handle owns copies of the URL, headers and credentials.
 * Errors: 0 or -1 with err filled; err->errnum holds the last HTTP status
 * (0 when no answer came).
 */
#ifndef PF_HTTP_H
#define PF_HTTP_H

#include <stddef.h>

#include "pf_err.h"

struct pf_http;

/* A client for url (http:// or https://).  NULL and err on failure. */
struct pf_http *pf_http_new(const char *url, struct pf_err *err);

/* Adds a request header, "Name: value".  0, or -1 if it is malformed. */
int pf_http_add_header(struct pf_http *h, const char *header,
    struct pf_err *err);

/* Authenticates with "Authorization: Bearer token". */
void pf_http_set_bearer(struct pf_http *h, const char *token);

/* Authenticates with HTTP basic authentication. */
void pf_http_set_basic(struct pf_http *h, const char *user,
    const char *password);

/*
 * POSTs body (n bytes) as application/json, trying up to 1 + retries
 * times.  Returns 0 on a 2xx answer, else -1.
 */
int pf_http_post(struct pf_http *h, const char *body, size_t n, int retries,
    struct pf_err *err);

/* The URL requests go to.  Borrowed. */
const char *pf_http_url(const struct pf_http *h);

/* Frees the client.  h may be NULL. */
void pf_http_free(struct pf_http *h);

#endif
