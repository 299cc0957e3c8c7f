/*
 * pf_time: parsing "1m30s"-style durations and positions, formatting
 * offsets and ISO-8601 times, and the two clocks the tools use.
 */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pf_alloc.h"
#include "pf_num.h"
#include "pf_time.h"

/* The largest duration accepted: about 292 years would overflow; cap at
 * ten years, far beyond any session. */
#define MAX_MS ((double)10 * 366 * 24 * 3600 * 1000)

/* Reads a non-negative decimal number at *p; returns -1 if there is none. */
static double
number(const char **p)
{
	const char *s = *p;
	double v = 0, scale = 1;
	int digits = 0;

	while (isdigit((unsigned char)*s)) {
		v = v * 10 + (*s++ - '0');
		digits++;
	}
	if (*s == '.') {
		s++;
		while (isdigit((unsigned char)*s)) {
			scale /= 10;
			v += (*s++ - '0') * scale;
			digits++;
		}
	}
	if (digits == 0)
		return -1;
	*p = s;
	return v;
}

static int
bad(struct pf_err *err, const char *s)
{
	return pf_err_set(err, PF_ERR_USAGE, 0, "invalid duration '%s' "
	    "(examples: 90, 90s, 1:30, 1m30s, 1500ms)", s);
}

/* "1:30", "1:02:03" (the last field may have decimals). */
static int
parse_clock(const char *s, double *ms)
{
	double parts[3];
	int n = 0;
	const char *p = s;

	for (;;) {
		double v = number(&p);

		if (v < 0 || n == 3)
			return -1;
		parts[n++] = v;
		if (*p == '\0')
			break;
		if (*p != ':')
			return -1;
		p++;
	}
	if (n < 2)
		return -1;
	/* Every field but the first is below 60 and whole but the last. */
	for (int i = 1; i < n; i++)
		if (parts[i] >= 60)
			return -1;
	for (int i = 0; i < n - 1; i++)
		if (parts[i] != (double)(long long)parts[i])
			return -1;
	*ms = n == 2 ? (parts[0] * 60 + parts[1]) * 1000 :
	    ((parts[0] * 60 + parts[1]) * 60 + parts[2]) * 1000;
	return 0;
}

int
pf_time_parse_duration(const char *s, int64_t *out, struct pf_err *err)
{
	const char *p = s;
	double total = 0;
	int units = 0;
	int last_rank = 5;

	if (*s == '\0')
		return bad(err, s);
	if (strchr(s, ':')) {
		if (parse_clock(s, &total) < 0)
			return bad(err, s);
		goto done;
	}
	while (*p) {
		double v = number(&p);
		double mult;
		int rank;

		if (v < 0)
			return bad(err, s);
		if (*p == '\0' && units == 0) {
			total = v * 1000;	/* a bare number is seconds */
			goto done;
		}
		if (strncmp(p, "ms", 2) == 0) {
			mult = 1;
			rank = 0;
			p += 2;
		} else if (*p == 's') {
			mult = 1000;
			rank = 1;
			p++;
		} else if (*p == 'm') {
			mult = 60 * 1000;
			rank = 2;
			p++;
		} else if (*p == 'h') {
			mult = 3600 * 1000;
			rank = 3;
			p++;
		} else {
			return bad(err, s);
		}
		/* Units go from large to small, each once: 1h2m3s. */
		if (rank >= last_rank)
			return bad(err, s);
		last_rank = rank;
		total += v * mult;
		units++;
	}
done:
	if (total > MAX_MS)
		return pf_err_set(err, PF_ERR_USAGE, 0,
		    "duration '%s' is too long", s);
	*out = (int64_t)(total + 0.5);
	return 0;
}

int
pf_time_parse_position(const char *s, struct pf_position *pos,
    struct pf_err *err)
{
	memset(pos, 0, sizeof(*pos));
	if (strncmp(s, "step:", 5) == 0) {
		if (s[5] == '\0')
			return pf_err_set(err, PF_ERR_USAGE, 0,
			    "invalid position '%s': step: needs a step id", s);
		pos->kind = PF_POS_STEP;
		pos->id = pf_xstrdup(s + 5);
		return 0;
	}
	if (strncmp(s, "nav:", 4) == 0) {
		long n;

		if (pf_num_long(s + 4, 1, LONG_MAX, &n, NULL) < 0)
			return pf_err_set(err, PF_ERR_USAGE, 0,
			    "invalid position '%s': nav: needs a number from 1",
			    s);
		pos->kind = PF_POS_NAV;
		pos->nth = n;
		return 0;
	}
	pos->kind = PF_POS_OFFSET;
	if (pf_time_parse_duration(s, &pos->ms, NULL) < 0)
		return pf_err_set(err, PF_ERR_USAGE, 0,
		    "invalid position '%s' (examples: 90s, 1:30, step:ID, "
		    "nav:2)", s);
	return 0;
}

void
pf_position_release(struct pf_position *pos)
{
	if (pos == NULL)
		return;
	free(pos->id);
	pos->id = NULL;
}

char *
pf_time_format_offset(int64_t ms, char *buf, size_t n)
{
	int64_t s = ms / 1000;

	if (ms < 0)
		s = 0;
	if (s >= 3600)
		snprintf(buf, n, "%lld:%02lld:%02lld", (long long)(s / 3600),
		    (long long)(s / 60 % 60), (long long)(s % 60));
	else
		snprintf(buf, n, "%lld:%02lld", (long long)(s / 60),
		    (long long)(s % 60));
	return buf;
}

char *
pf_time_format_iso8601(int64_t epoch_ms, char *buf, size_t n)
{
	time_t t = (time_t)(epoch_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec, (int)(epoch_ms % 1000));
	return buf;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era;
	int yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (int)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The n digits at s as a number, or -1 when one is not a digit. */
static int
digits(const char *s, int n)
{
	int v = 0;

	while (n-- > 0) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return days[m - 1];
}

/*
 * One parser for every tool, so that what pf-lint accepts is what
 * pf-convert can use: a time that passes the shape but names no real
 * moment (month 13, February 30, 25 o'clock) is refused here, not
 * quietly turned into another date.
 */
int
pf_time_parse_iso8601(const char *s, int64_t *epoch_ms)
{
	int y, mo, d, h, mi, sec, ms = 0, n;
	int64_t t, off = 0;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':')
		return -1;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	sec = digits(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 ||
	    d > days_in_month(y, mo) || h < 0 || h > 23 || mi < 0 ||
	    mi > 59 || sec < 0 || sec > 60)
		return -1;
	s += 19;
	if (*s == '.') {
		for (s++, n = 0; isdigit((unsigned char)*s); s++, n++)
			if (n < 3)
				ms = ms * 10 + (*s - '0');
		if (n == 0)
			return -1;
		for (; n < 3; n++)
			ms *= 10;
	}
	if (*s == '+' || *s == '-') {
		int oh = digits(s + 1, 2), om = s[3] == ':' ?
		    digits(s + 4, 2) : -1;

		if (oh < 0 || oh > 23 || om < 0 || om > 59 || s[6] != '\0')
			return -1;
		off = (*s == '+' ? 1 : -1) * (oh * 60 + om) * INT64_C(60000);
	} else if (strcmp(s, "Z") != 0)
		return -1;
	t = ((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60 + sec;
	*epoch_ms = t * 1000 + ms - off;
	return 0;
}

char *
pf_time_format_date(int64_t epoch_ms, char *buf, size_t n)
{
	char iso[40];

	pf_time_format_iso8601(epoch_ms, iso, sizeof(iso));
	snprintf(buf, n, "%.10s %.5s", iso, iso + 11);
	return buf;
}

int64_t
pf_time_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
pf_time_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
pf_time_add_sat(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

int64_t
pf_time_sub_sat(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return r;
}

int64_t
pf_time_round_sat(double x)
{
	if (isnan(x))
		return 0;
	/* 2^63 is exact in a double; every double below it fits. */
	if (x >= 9223372036854775808.0)
		return INT64_MAX;
	if (x <= -9223372036854775808.0)
		return INT64_MIN;
	return (int64_t)llround(x);
}
