/*
 * pf_num: decimal whole numbers checked against a range, the one parser
 * behind every numeric option.
 */
#include <errno.h>
#include <stdlib.h>

#include "pf_num.h"

int
pf_num_parse(const char *s, long long min, long long max, long long *out,
    struct pf_err *err)
{
	const char *p = s;
	char *end;
	long long v;

	if (*p == '-')
		p++;
	if (*p < '0' || *p > '9')
		goto bad;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (*end != '\0' || errno == ERANGE || v < min || v > max)
		goto bad;
	*out = v;
	return 0;
bad:
	return pf_err_set(err, PF_ERR_USAGE, 0,
	    "'%s' is not a whole number from %lld to %lld", s, min, max);
}

int
pf_num_long(const char *s, long min, long max, long *out, struct pf_err *err)
{
	long long v;

	if (pf_num_parse(s, min, max, &v, err))
		return -1;
	*out = (long)v;
	return 0;
}

int
pf_num_size(const char *s, size_t min, size_t max, size_t *out,
    struct pf_err *err)
{
	long long v;

	if (max > (size_t)9223372036854775807LL)
		max = (size_t)9223372036854775807LL;
	if (pf_num_parse(s, (long long)min, (long long)max, &v, err))
		return -1;
	*out = (size_t)v;
	return 0;
}
