/*
 * bench-arrivals: how punctually lines arrive.  Reads lines from stdin,
 * notes when each one arrives (CLOCK_MONOTONIC), and at the end compares
 * line i's arrival with when it was due, first arrival + i * INTERVAL_US:
 * prints the p50, p99 and largest lateness, and the drift: how much later
 * the last second's lines are than the first second's, median against
 * median, so that what is measured is error that accumulates and not one
 * line's jitter (which p99 and max report).  Used by `make bench` for
 * pf-play and scriptreplay alike, so both are measured the same way.
 * Not installed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* The median of the n values at v, which it sorts. */
static int64_t
median(int64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp);
	return v[n / 2];
}

int
main(int argc, char **argv)
{
	int64_t interval, *at = NULL, *late;
	size_t n = 0, cap = 0, i;
	char buf[65536];
	ssize_t k;

	if (argc != 3) {
		fprintf(stderr, "usage: bench-arrivals NAME INTERVAL_US\n");
		return 2;
	}
	interval = strtoll(argv[2], NULL, 10) * 1000;
	/* read(2), not stdio: a line must be seen when it comes. */
	while ((k = read(0, buf, sizeof(buf))) > 0) {
		int64_t t = now_ns();

		for (i = 0; i < (size_t)k; i++) {
			if (buf[i] != '\n')
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 65536;
				at = realloc(at, cap * sizeof(*at));
				if (at == NULL)
					return 2;
			}
			at[n++] = t;
		}
	}
	if (n < 2) {
		fprintf(stderr, "bench-arrivals: fewer than two lines\n");
		return 1;
	}
	late = malloc(n * sizeof(*late));
	if (late == NULL)
		return 2;
	for (i = 0; i < n; i++)
		late[i] = at[i] - (at[0] + (int64_t)i * interval);
	{
		/* A second's lines, or half of them all if fewer. */
		size_t w = (size_t)(1000000000 / interval);
		int64_t drift;

		if (w == 0)
			w = 1;
		if (w > n / 2)
			w = n / 2;
		/* Sorting a window in place leaves the set of values whole. */
		drift = median(late + n - w, w) - median(late, w);
		qsort(late, n, sizeof(*late), cmp);
		printf("%s: %zu lines over %.3f s: lateness p50 %.3f ms, "
		    "p99 %.3f ms, max %.3f ms; drift %.3f ms\n", argv[1], n,
		    (double)(at[n - 1] - at[0]) / 1e9,
		    (double)late[n / 2] / 1e6,
		    (double)late[(size_t)((double)(n - 1) * 0.99)] / 1e6,
		    (double)late[n - 1] / 1e6, (double)drift / 1e6);
	}
	free(at);
	free(late);
	return 0;
}
