/*
 * pf_redact: a masked copy of an event, by field (formfill values, secret
 * member names) and by pattern (POSIX regular expressions over every
 * string).
 */
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pf_alloc.h"
#include "pf_redact.h"

/* What looks like a secret wherever it appears in a string. */
static const char *const builtin[] = {
	/* Grafana service account, cloud and API tokens */
	"gl(sa|c|cp|ar)_[A-Za-z0-9_=+/-]{16,}",
	"eyJrIjoi[A-Za-z0-9+/=]{16,}",
	/* JSON Web Tokens */
	"eyJ[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}",
	/* GitHub, Slack, AWS, Stripe-style keys */
	"gh[pousr]_[A-Za-z0-9]{20,}",
	"xox[abprs]-[A-Za-z0-9-]{10,}",
	"AKIA[0-9A-Z]{16}",
	"sk_(live|test)_[A-Za-z0-9]{16,}",
	/* credentials in headers and URLs */
	"[Bb]earer[[:space:]]+[A-Za-z0-9._~+/=-]{8,}",
	"[Bb]asic[[:space:]]+[A-Za-z0-9+/=]{8,}",
	"://[^/[:space:]:@]+:[^/[:space:]@]+@",
	/* name=value pairs that name a secret */
	"([Pp][Aa][Ss][Ss]([Ww][Oo][Rr][Dd])?|[Pp][Ww][Dd]|[Ss][Ee][Cc][Rr][Ee][Tt]|"
	    "[Tt][Oo][Kk][Ee][Nn]|[Aa][Pp][Ii][_-]?[Kk][Ee][Yy])"
	    "[\"']?[[:space:]]*[:=][[:space:]]*[^[:space:]\"',;&]+",
	/*
	 * E-mail addresses come last, matched by mask_emails: as the
	 * regular expression [A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*
	 * \.[A-Za-z]{2,} they took regexec(3) quadratic time on a long run
	 * of letters (21 s for 100 KB), trying the run from every offset.
	 */
	NULL
};

/* Member names whose value is a secret, whatever it looks like. */
static const char *const secret_names[] = {
	"password", "passwd", "pwd", "secret", "token", "apikey", "api_key",
	"accesstoken", "access_token", "authorization", "credentials", NULL
};

struct pf_redact {
	regex_t *re;
	size_t n;
	size_t cap;
	size_t nbuiltin;	/* re[0..nbuiltin) are the built-in patterns */
};

static int
add(struct pf_redact *r, const char *ere, struct pf_err *err)
{
	int rc;

	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->re = pf_xrealloc(r->re, r->cap * sizeof(*r->re));
	}
	rc = regcomp(&r->re[r->n], ere, REG_EXTENDED);
	if (rc != 0) {
		char msg[256];

		regerror(rc, &r->re[r->n], msg, sizeof(msg));
		return pf_err_set(err, PF_ERR_USAGE, 0,
		    "invalid pattern '%s': %s", ere, msg);
	}
	r->n++;
	return 0;
}

struct pf_redact *
pf_redact_new(void)
{
	struct pf_redact *r = pf_xcalloc(1, sizeof(*r));
	int i;

	for (i = 0; builtin[i]; i++)
		if (add(r, builtin[i], NULL) < 0)
			abort();	/* a built-in pattern must compile */
	r->nbuiltin = r->n;
	return r;
}

int
pf_redact_add_pattern(struct pf_redact *r, const char *ere,
    struct pf_err *err)
{
	return add(r, ere, err);
}

void
pf_redact_free(struct pf_redact *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++)
		regfree(&r->re[i]);
	free(r->re);
	free(r);
}

static int
is_local(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '%' ||
	    c == '+' || c == '-';
}

static int
is_label(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '-';
}

static int
is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/*
 * The length of the longest domain at d, as the expression
 * [A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,} would take it: labels
 * joined by dots, the last one (not the first) starting with two letters or
 * more, which end the match.  0 if there is none.  One pass over d.
 */
static size_t
domain_len(const char *d)
{
	size_t i = 0, best = 0, label;
	int first = 1;

	for (;;) {
		size_t letters = 0;

		label = i;
		while (is_alpha((unsigned char)d[i + letters]))
			letters++;
		if (!first && letters >= 2)
			best = label + letters;
		i += letters;
		while (is_label((unsigned char)d[i]))
			i++;
		if (i == label || d[i] != '.')
			return best;
		i++;
		first = 0;
	}
}

/*
 * Masks e-mail addresses in s, leftmost first, as regexec would find them
 * but in linear time: the local part is the run of its characters just
 * before an '@' (not reaching back into what was masked already).
 */
static size_t
mask_emails(const char *s, struct pf_buf *out)
{
	const char *p = s, *at, *start;
	size_t masked = 0, dlen;

	while ((at = strchr(p, '@')) != NULL) {
		for (start = at; start > p && is_local((unsigned char)start[-1]);)
			start--;
		dlen = start < at ? domain_len(at + 1) : 0;
		if (dlen == 0) {
			pf_buf_add(out, p, (size_t)(at + 1 - p));
			p = at + 1;
			continue;
		}
		pf_buf_add(out, p, (size_t)(start - p));
		pf_buf_adds(out, PF_REDACTED);
		p = at + 1 + dlen;
		masked++;
	}
	pf_buf_adds(out, p);
	return masked;
}

/* Masks what pattern re matches in s; the number of matches. */
static size_t
mask_pattern(const regex_t *re, const char *s, struct pf_buf *out)
{
	const char *p = s;
	regmatch_t m;
	size_t masked = 0;

	while (*p && regexec(re, p, 1, &m, p == s ? 0 : REG_NOTBOL) == 0) {
		if (m.rm_eo == m.rm_so) {
			/* an empty match: step over one byte */
			pf_buf_add(out, p, 1);
			p++;
			continue;
		}
		pf_buf_add(out, p, (size_t)m.rm_so);
		pf_buf_adds(out, PF_REDACTED);
		p += m.rm_eo;
		masked++;
	}
	pf_buf_adds(out, p);
	return masked;
}

size_t
pf_redact_string(struct pf_redact *r, const char *s, size_t n,
    struct pf_buf *out)
{
	char *copy = pf_xmemdup(s, n);
	size_t masked = 0, i, hit;

	/*
	 * One pattern at a time over the whole string, masking as it goes:
	 * the built-in ones, e-mail addresses, then the caller's.
	 */
	for (i = 0; i <= r->n; i++) {
		struct pf_buf next = PF_BUF_INIT;

		if (i < r->nbuiltin)
			hit = mask_pattern(&r->re[i], copy, &next);
		else if (i == r->nbuiltin)
			hit = mask_emails(copy, &next);
		else
			hit = mask_pattern(&r->re[i - 1], copy, &next);
		if (hit) {
			free(copy);
			copy = pf_buf_detach(&next, NULL);
			masked += hit;
		} else {
			pf_buf_release(&next);
		}
	}
	/* Strings with a NUL cannot reach here: pf_jv rejects them. */
	pf_buf_adds(out, copy);
	free(copy);
	return masked;
}

static int
is_secret_name(const char *key)
{
	int i;

	for (i = 0; secret_names[i]; i++)
		if (strcasecmp(key, secret_names[i]) == 0)
			return 1;
	return 0;
}

/* Whether the object is an action (or internal action) filling a form. */
static int
is_formfill(const struct pf_jv *obj)
{
	const char *ta = pf_jv_str(pf_jv_get(obj, "targetAction"));

	return ta != NULL && strcmp(ta, "formfill") == 0;
}

static size_t
dump(struct pf_redact *r, const struct pf_jv *v, struct pf_buf *out)
{
	struct pf_buf s = PF_BUF_INIT;
	size_t masked = 0;
	uint32_t i;

	switch (v->type) {
	case PF_JV_STRING:
		masked = pf_redact_string(r, v->u.s, v->n, &s);
		pf_jv_dump_string(s.data, s.len, out);
		pf_buf_release(&s);
		return masked;
	case PF_JV_ARRAY:
		pf_buf_addc(out, '[');
		for (i = 0; i < v->n; i++) {
			if (i)
				pf_buf_addc(out, ',');
			masked += dump(r, &v->u.items[i], out);
		}
		pf_buf_addc(out, ']');
		return masked;
	case PF_JV_OBJECT: {
		int formfill = is_formfill(v);

		pf_buf_addc(out, '{');
		for (i = 0; i < v->n; i++) {
			const struct pf_jv_member *m = &v->u.members[i];

			if (i)
				pf_buf_addc(out, ',');
			pf_jv_dump_string(m->key, m->klen, out);
			pf_buf_addc(out, ':');
			if (m->value.type == PF_JV_STRING &&
			    ((formfill && strcmp(m->key, "targetValue") == 0) ||
			    is_secret_name(m->key))) {
				pf_buf_adds(out, "\"" PF_REDACTED "\"");
				masked++;
			} else {
				masked += dump(r, &m->value, out);
			}
		}
		pf_buf_addc(out, '}');
		return masked;
	}
	default:
		pf_jv_dump(v, out);
		return 0;
	}
}

size_t
pf_redact_event(struct pf_redact *r, const struct pf_jv *ev,
    struct pf_buf *out)
{
	return dump(r, ev, out);
}
