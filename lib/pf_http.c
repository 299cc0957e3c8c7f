/*
 * pf_http: a kept-alive libcurl handle that POSTs JSON bodies and retries
 * what may succeed on a second try.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "pf_alloc.h"
#include "pf_http.h"

struct pf_http {
	CURL *curl;
	char *url;
	struct curl_slist *headers;
	char *userpwd;
	char errbuf[CURL_ERROR_SIZE];
};

static size_t
discard(char *p, size_t size, size_t n, void *ctx)
{
	(void)p;
	(void)ctx;
	return size * n;	/* the answer's body is not needed */
}

struct pf_http *
pf_http_new(const char *url, struct pf_err *err)
{
	static int initialised;
	struct pf_http *h;

	if (strncmp(url, "http://", 7) != 0 &&
	    strncmp(url, "https://", 8) != 0) {
		pf_err_set(err, PF_ERR_USAGE, 0,
		    "'%s' is not an http:// or https:// URL", url);
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
	h->headers = curl_slist_append(NULL,
	    "Content-Type: application/json");
	curl_easy_setopt(h->curl, CURLOPT_URL, h->url);
	curl_easy_setopt(h->curl, CURLOPT_POST, 1L);
	curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h->curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, 10000L);
	curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(h->curl, CURLOPT_ERRORBUFFER, h->errbuf);
	curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "pf-play");
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
	h->headers = curl_slist_append(h->headers, header);
	return 0;
}

void
pf_http_set_bearer(struct pf_http *h, const char *token)
{
	char *line = pf_xasprintf("Authorization: Bearer %s", token);

	h->headers = curl_slist_append(h->headers, line);
	free(line);
}

void
pf_http_set_basic(struct pf_http *h, const char *user, const char *password)
{
	free(h->userpwd);
	h->userpwd = pf_xasprintf("%s:%s", user, password);
	curl_easy_setopt(h->curl, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	curl_easy_setopt(h->curl, CURLOPT_USERPWD, h->userpwd);
}

static void
pause_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000 };

	while (nanosleep(&ts, &ts) != 0)
		;
}

int
pf_http_post(struct pf_http *h, const char *body, size_t n, int retries,
    struct pf_err *err)
{
	long wait = 100;
	int attempt;

	curl_easy_setopt(h->curl, CURLOPT_HTTPHEADER, h->headers);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(h->curl, CURLOPT_POSTFIELDSIZE_LARGE,
	    (curl_off_t)n);
	for (attempt = 0;; attempt++) {
		CURLcode rc;
		long status = 0;

		h->errbuf[0] = '\0';
		rc = curl_easy_perform(h->curl);
		if (rc == CURLE_OK) {
			curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE,
			    &status);
			if (status >= 200 && status < 300)
				return 0;
			pf_err_set(err, PF_ERR_IO, (int)status, "HTTP %ld", status);
			if (status < 500)
				return -1;	/* the request is wrong: final */
		} else {
			pf_err_set(err, PF_ERR_IO, 0, "%s", h->errbuf[0] ?
			    h->errbuf : curl_easy_strerror(rc));
		}
		if (attempt >= retries)
			return -1;
		pause_ms(wait);
		wait *= 2;
	}
}

const char *
pf_http_url(const struct pf_http *h)
{
	return h->url;
}

void
pf_http_free(struct pf_http *h)
{
	if (h == NULL)
		return;
	curl_easy_cleanup(h->curl);
	curl_slist_free_all(h->headers);
	free(h->userpwd);
	free(h->url);
	free(h);
}
