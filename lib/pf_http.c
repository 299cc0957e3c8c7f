/*
 * pf_http: a kept-alive libcurl handle that POSTs JSON bodies, each with
 * an idempotency key, and retries what may succeed on a second try; a
 * signal's flag stops a request or a pause within about a second.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "pf_alloc.h"
#include "pf_http.h"
#include "pf_sha256.h"
#include "pf_time.h"

/* A pause before a retry is slept in slices this long, checking the flag. */
#define PAUSE_SLICE_MS 50

struct pf_http {
	CURL *curl;
	char *url;
	char *shown_url;	/* url with its password masked */
	struct curl_slist *headers;
	char *userpwd;
	const volatile sig_atomic_t *stop;
	char errbuf[CURL_ERROR_SIZE];
};

static size_t
discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;	/* the answer's body is not needed */
}

static int
stopped(const struct pf_http *h)
{
	return h->stop != NULL && *h->stop != 0;
}

/* libcurl calls this often during a transfer; nonzero aborts it. */
static int
on_progress(void *ctx, curl_off_t dltotal, curl_off_t dlnow,
    curl_off_t ultotal, curl_off_t ulnow)
{
	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	return stopped(ctx);
}

/* Appends line to *list; on a failed allocation, the list stays whole. */
static void
add_line(struct curl_slist **list, const char *line)
{
	struct curl_slist *l = curl_slist_append(*list, line);

	if (l != NULL)
		*list = l;
}

char *
pf_http_mask_url(const char *url)
{
	const char *auth = strstr(url, "://");
	const char *at = NULL, *colon, *p;
	size_t end;

	if (auth == NULL)
		return pf_xstrdup(url);
	auth += 3;
	end = strcspn(auth, "/?#");
	for (p = auth; p < auth + end; p++)
		if (*p == '@')
			at = p;
	if (at == NULL)
		return pf_xstrdup(url);
	colon = memchr(auth, ':', (size_t)(at - auth));
	if (colon == NULL)
		return pf_xstrdup(url);
	return pf_xasprintf("%.*s***%s", (int)(colon + 1 - url), url, at);
}

struct pf_http *
pf_http_new(const char *url, struct pf_err *err)
{
	static int initialised;
	struct pf_http *h;

	if (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0) {
		char *shown = pf_http_mask_url(url);

		pf_err_set(err, PF_ERR_USAGE, 0,
		    "'%s' is not an http:// or https:// URL", shown);
		free(shown);
		return NULL;
	}
	if (!initialised) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		initialised = 1;
	}
	h = pf_xcalloc(1, sizeof(*h));
	h->curl = curl_easy_init();
	if (h->curl == NULL) {
		free(h);
		pf_err_set(err, PF_ERR_IO, 0, "cannot initialise libcurl");
		return NULL;
	}
	h->url = pf_xstrdup(url);
	h->shown_url = pf_http_mask_url(url);
	add_line(&h->headers, "Content-Type: application/json");
	curl_easy_setopt(h->curl, CURLOPT_URL, h->url);
	curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "pf-play");
	curl_easy_setopt(h->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h->curl, CURLOPT_XFERINFODATA, h);
	curl_easy_setopt(h->curl, CURLOPT_NOPROGRESS, 0L);
	return h;
}

int
pf_http_add_header(struct pf_http *h, const char *header, struct pf_err *err)
{
	const char *colon = strchr(header, ':');

	if (colon == NULL || colon == header ||
	    strcspn(header, " \t\r\n") < (size_t)(colon - header) ||
	    strpbrk(header, "\r\n"))
		return pf_err_set(err, PF_ERR_USAGE, 0,
		    "header '%s' is not 'Name: value'", header);
	add_line(&h->headers, header);
	return 0;
}

int
pf_http_set_bearer(struct pf_http *h, const char *token, struct pf_err *err)
{
	const unsigned char *p;
	char *line;

	for (p = (const unsigned char *)token; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return pf_err_set(err, PF_ERR_USAGE, 0, "a token may "
			    "not hold a control character such as CR or LF");
	line = pf_xasprintf("Authorization: Bearer %s", token);
	add_line(&h->headers, line);
	free(line);
	return 0;
}

void
pf_http_set_basic(struct pf_http *h, const char *user, const char *password)
{
	free(h->userpwd);
	h->userpwd = pf_xasprintf("%s:%s", user, password);
	curl_easy_setopt(h->curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(h->curl, CURLOPT_USERPWD, h->userpwd);
}

void
pf_http_set_interrupt(struct pf_http *h, const volatile sig_atomic_t *flag)
{
	h->stop = flag;
}

/* Sleeps ms, in slices; returns 0, or -1 as soon as the flag is set. */
static int
pause_ms(const struct pf_http *h, long ms)
{
	int64_t end = pf_time_mono_ns() + (int64_t)ms * 1000000;

	while (!stopped(h)) {
		int64_t left = end - pf_time_mono_ns();
		struct timespec ts;

		if (left <= 0)
			return 0;
		if (left > (int64_t)PAUSE_SLICE_MS * 1000000)
			left = (int64_t)PAUSE_SLICE_MS * 1000000;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)left;
		nanosleep(&ts, NULL);	/* a signal ends it early: fine */
	}
	return -1;
}

static int
interrupted(struct pf_err *err)
{
	return pf_err_set(err, PF_ERR_IO, EINTR, "interrupted");
}

int
pf_http_post(struct pf_http *h, const char *body, size_t n, int retries,
    struct pf_err *err)
{
	struct curl_slist *headers = NULL, *l;
	unsigned char digest[32];
	char key[sizeof(PF_HTTP_IDEMPOTENCY_KEY) + 2 + 64 + 1];
	long wait = 100;
	int attempt, i, rc = -1;

	/* The key is the body's: the same for every try of it. */
	pf_sha256(body, n, digest);
	i = snprintf(key, sizeof(key), "%s: ", PF_HTTP_IDEMPOTENCY_KEY);
	for (int k = 0; k < 32; k++, i += 2)
		snprintf(key + i, sizeof(key) - (size_t)i, "%02x", digest[k]);
	for (l = h->headers; l != NULL; l = l->next)
		add_line(&headers, l->data);
	add_line(&headers, key);
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)n);
	for (attempt = 0;; attempt++) {
		CURLcode code;
		long status = 0;

		if (stopped(h)) {
			interrupted(err);
			goto out;
		}
		h->errbuf[0] = '\0';
		code = curl_easy_perform(h->curl);
		if (code == CURLE_OK) {
			curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE,
			    &status);
			if (status >= 200 && status < 300) {
				rc = 0;
				goto out;
			}
			/* errnum is an errno: the status is in the message. */
			pf_err_set(err, PF_ERR_IO, 0, "HTTP %ld", status);
			if (status < 500)
				goto out;	/* the request is wrong: final */
		} else if (code == CURLE_ABORTED_BY_CALLBACK) {
			interrupted(err);
			goto out;
		} else {
			pf_err_set(err, PF_ERR_IO, 0, "%s", h->errbuf[0] ?
			    h->errbuf : curl_easy_strerror(code));
		}
		if (attempt >= retries)
			goto out;
		if (pause_ms(h, wait) < 0) {
			interrupted(err);
			goto out;
		}
		wait *= 2;
	}
out:
	/* The handle must not keep a pointer to the list freed here. */
	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(headers);
	return rc;
}

const char *
pf_http_url(const struct pf_http *h)
{
	return h->shown_url;
}

void
pf_http_free(struct pf_http *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->headers);
	free(h->userpwd);
	free(h->shown_url);
	free(h->url);
	free(h);
}
