/*
 * pf_time: durations, positions and clocks.
 *
 * Durations are written as people write them: "90" (seconds), "90s",
 * "1500ms", "1m30s", "1h2m3s", "1:30", "1:02:03", with decimals allowed
 * ("1.5s", "0.25").  Positions in a recording are a duration from the
 * session start, "step:ID" (the first event of that step) or "nav:N" (the
 * Nth navigation, from 1).  All values are integer milliseconds.
 *
 * Arithmetic on times read from input saturates: the *_sat functions give
 * INT64_MIN or INT64_MAX where the exact result does not fit, never a
 * wrapped value.
 *
 * Errors: parsers return -1 and fill err (PF_ERR_USAGE) with a message
 * that quotes the input.
 */
#ifndef PF_TIME_H
#define PF_TIME_H

#include <stdint.h>

#include "pf_err.h"

/* Parses a duration into *ms (>= 0).  Returns 0 or -1. */
int pf_time_parse_duration(const char *s, int64_t *ms, struct pf_err *err);

enum pf_position_kind {
	PF_POS_OFFSET,	/* ms from the session start */
	PF_POS_STEP,	/* the first event with stepId == id */
	PF_POS_NAV	/* the nth navigation event (1-based) */
};

struct pf_position {
	enum pf_position_kind kind;
	int64_t ms;	/* PF_POS_OFFSET */
	long nth;	/* PF_POS_NAV */
	char *id;	/* PF_POS_STEP: owned; free with pf_position_release */
};

/* Parses a position.  Returns 0 or -1. */
int pf_time_parse_position(const char *s, struct pf_position *pos,
    struct pf_err *err);

/* Frees what a parsed position owns.  pos may be NULL. */
void pf_position_release(struct pf_position *pos);

/* Formats ms as "m:ss" or "h:mm:ss" into buf (size n); returns buf. */
char *pf_time_format_offset(int64_t ms, char *buf, size_t n);

/* Formats epoch ms as ISO-8601 UTC, "2026-03-12T14:00:00.000Z". */
char *pf_time_format_iso8601(int64_t epoch_ms, char *buf, size_t n);

/* Formats epoch ms for people, in UTC minutes: "2026-03-12 14:00". */
char *pf_time_format_date(int64_t epoch_ms, char *buf, size_t n);

/*
 * Parses an ISO-8601 UTC time ("2026-03-12T14:00:00Z", with optional
 * fraction and a +hh:mm offset) into epoch ms.  Returns 0 or -1.
 */
int pf_time_parse_iso8601(const char *s, int64_t *epoch_ms);

/* Wall-clock time, epoch milliseconds. */
int64_t pf_time_now_ms(void);

/* A monotonic clock in nanoseconds, for deadlines. */
int64_t pf_time_mono_ns(void);

/* a + b, saturated to the range of int64_t. */
int64_t pf_time_add_sat(int64_t a, int64_t b);

/* a - b, saturated to the range of int64_t. */
int64_t pf_time_sub_sat(int64_t a, int64_t b);

/* x rounded to the nearest whole number (halves away from 0), saturated
 * to the range of int64_t; a NaN gives 0. */
int64_t pf_time_round_sat(double x);

#endif
