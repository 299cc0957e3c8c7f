/*
 * pf_joincode: join codes and URLs of live sessions, read and written as
 * the app does (base64 of Latin-1 JSON, the key in base64url).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_joincode.h"
#include "pf_json.h"
#include "pf_jv.h"
#include "pf_jw.h"
#include "pf_sha256.h"

#define JOIN_PATH "/a/grafana-grafanadocsplugin-app?session="

static int
hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? (tolower(c) - 'a' + 10) :
	    -1;
}

/* The value of the "session" parameter of a URL, percent-decoded. */
static char *
session_param(const char *url)
{
	const char *q = strchr(url, '?'), *p;
	struct pf_buf b = PF_BUF_INIT;

	for (p = q; p; p = strchr(p + 1, '&'))
		if (strncmp(p + 1, "session=", 8) == 0)
			break;
	if (p == NULL)
		return NULL;
	for (p += 9; *p && *p != '&' && *p != '#'; p++) {
		if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
			pf_buf_addc(&b, (char)(hexval(p[1]) << 4 | hexval(p[2])));
			p += 2;
		} else {
			pf_buf_addc(&b, *p == '+' ? ' ' : *p);
		}
	}
	return pf_buf_detach(&b, NULL);
}

static const char *
str(const struct pf_jv *o, const char *a, const char *b)
{
	const char *s = pf_jv_str(pf_jv_get(o, a));

	return s && *s ? s : b ? pf_jv_str(pf_jv_get(o, b)) : NULL;
}

int
pf_joincode_parse(const char *text, struct pf_joincode *jc,
    struct pf_err *err)
{
	struct pf_buf raw = PF_BUF_INIT, json = PF_BUF_INIT, key = PF_BUF_INIT,
	    code = PF_BUF_INIT;
	struct pf_jv_parser *p = NULL;
	const struct pf_jv *o;
	enum pf_json_fault fault;
	struct pf_err jerr;
	char *param = NULL;
	const char *s, *pubkey;
	size_t i;
	int rc = -1;

	memset(jc, 0, sizeof(*jc));
	if (strstr(text, "://") != NULL || strchr(text, '?') != NULL) {
		param = session_param(text);
		if (param == NULL) {
			pf_err_set(err, PF_ERR_DATA, 0, "a join URL has a "
			    "'session' parameter, and this one has none");
			goto out;
		}
		text = param;
	}
	/* atob ignores blanks; so does the app's trim. */
	for (s = text; *s; s++)
		if (!isspace((unsigned char)*s))
			pf_buf_addc(&code, *s);
	if (pf_unbase64(pf_buf_str(&code), code.len, 0, &raw) == 0) {
		/* btoa's bytes are Latin-1: each one a code point. */
		for (i = 0; i < raw.len; i++) {
			unsigned char c = (unsigned char)raw.data[i];

			if (c < 0x80) {
				pf_buf_addc(&json, (char)c);
			} else {
				pf_buf_addc(&json, (char)(0xc0 | c >> 6));
				pf_buf_addc(&json, (char)(0x80 | (c & 0x3f)));
			}
		}
		p = pf_jv_parser_new();
		o = pf_jv_parse(p, pf_buf_str(&json), json.len,
		    PF_JSON_ALLOW_DUPLICATES, &fault, &jerr);
		if (o && str(o, "id", NULL)) {
			jc->id = pf_xstrdup(str(o, "id", NULL));
			jc->name = pf_xstrdup(str(o, "name", NULL) ?
			    str(o, "name", NULL) : "Live Session");
			s = str(o, "url", "tutorialUrl");
			jc->url = pf_xstrdup(s ? s : "");
			pubkey = str(o, "pubkey", "sessionPublicKey");
			if (pubkey) {
				if (pf_unbase64(pubkey, strlen(pubkey), 1,
				    &key) < 0 || key.len != PF_P256_SPKI_LEN) {
					pf_err_set(err, PF_ERR_DATA, 0, "the "
					    "code's public key is not a P-256 "
					    "key in base64url");
					goto out;
				}
				memcpy(jc->pubkey, key.data, key.len);
				jc->pubkey_len = key.len;
			}
			rc = 0;
			goto out;
		}
	}
	/* The legacy form: the presenter's six-character peer id alone. */
	if (code.len == 6) {
		for (i = 0; i < 6; i++)
			if (!isalnum((unsigned char)code.data[i]))
				break;
		if (i == 6) {
			for (i = 0; i < 6; i++)
				code.data[i] = (char)tolower((unsigned char)
				    code.data[i]);
			jc->id = pf_xstrdup(pf_buf_str(&code));
			jc->name = pf_xstrdup("Session");
			jc->url = pf_xstrdup("");
			rc = 0;
			goto out;
		}
	}
	pf_err_set(err, PF_ERR_DATA, 0, "not a join code: neither base64 of "
	    "a JSON object with an 'id' nor a six-character peer id");
out:
	if (rc < 0)
		pf_joincode_release(jc);
	pf_jv_parser_free(p);
	pf_buf_release(&raw);
	pf_buf_release(&json);
	pf_buf_release(&key);
	pf_buf_release(&code);
	free(param);
	return rc;
}

char *
pf_joincode_make(const char *id, const char *name, const char *url,
    const unsigned char spki[PF_P256_SPKI_LEN])
{
	struct pf_buf json = PF_BUF_INIT, out = PF_BUF_INIT, key = PF_BUF_INIT;
	struct pf_jw w;

	pf_base64url(spki, PF_P256_SPKI_LEN, &key);
	/* ASCII: the app's atob gives Latin-1, never UTF-8, back. */
	pf_jw_init(&w, &json, PF_JV_ESCAPE_ASCII);
	pf_jw_begin(&w, NULL);
	pf_jw_string(&w, "id", id);
	pf_jw_string(&w, "name", name);
	pf_jw_string(&w, "url", url);
	pf_jw_string(&w, "pubkey", pf_buf_str(&key));
	pf_jw_end(&w);
	pf_base64(json.data, json.len, &out);
	pf_buf_release(&json);
	pf_buf_release(&key);
	return pf_buf_detach(&out, NULL);
}

char *
pf_joincode_url(const char *base, const char *code)
{
	struct pf_buf b = PF_BUF_INIT;
	size_t n = strlen(base);
	const char *p;

	while (n > 0 && base[n - 1] == '/')
		n--;
	pf_buf_add(&b, base, n);
	pf_buf_adds(&b, JOIN_PATH);
	/* encodeURIComponent: base64's + / = are escaped. */
	for (p = code; *p; p++) {
		if (isalnum((unsigned char)*p) || strchr("-_.!~*'()", *p))
			pf_buf_addc(&b, *p);
		else
			pf_buf_addf(&b, "%%%02X", (unsigned char)*p);
	}
	return pf_buf_detach(&b, NULL);
}

void
pf_joincode_release(struct pf_joincode *jc)
{
	if (jc == NULL)
		return;
	free(jc->id);
	free(jc->name);
	free(jc->url);
	jc->id = jc->name = jc->url = NULL;
	jc->pubkey_len = 0;
}
