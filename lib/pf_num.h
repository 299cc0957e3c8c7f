/*
 * pf_num: whole numbers from text, range-checked.
 *
 * Every numeric option of every tool goes through here, so that no tool
 * takes "99999999999" or "-1" for a size, and every refusal names the range
 * in the same words.  Only decimal digits are taken: no sign but a leading
 * '-' for a negative bound, no spaces, no suffix (pf_time parses durations).
 *
 * Errors: functions return 0, or -1 with err (PF_ERR_USAGE) saying "'TEXT'
 * is not a whole number from MIN to MAX".
 */
#ifndef PF_NUM_H
#define PF_NUM_H

#include "pf_err.h"

/* Parses s as a whole number from min to max into *out. */
int pf_num_parse(const char *s, long long min, long long max, long long *out,
    struct pf_err *err);

/* As pf_num_parse, for a long. */
int pf_num_long(const char *s, long min, long max, long *out,
    struct pf_err *err);

/* As pf_num_parse, for a size (min and max fit a long long). */
int pf_num_size(const char *s, size_t min, size_t max, size_t *out,
    struct pf_err *err);

#endif
