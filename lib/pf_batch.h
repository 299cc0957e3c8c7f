/*
 * pf_batch: a pool of threads working through a list of items.
 *
 * The items 0 .. n-1 wait in one queue: each worker takes the next item
 * when it is free, so one long item holds up only the worker that has it,
 * never a fixed share of the list.  What is said about the items comes
 * back in their order, whatever the order they finished in: the done
 * callback runs on the calling thread, for item 0, then 1, ..., each as
 * soon as it and every item before it are finished.  So a tool that
 * prints only from done says the same, byte for byte, with one worker or
 * many.
 *
 * Ownership: the caller owns ctx and whatever work writes to; work must
 * touch only its own item's state and what is safe to share between
 * threads.  Errors: none to return; a worker that cannot be started is
 * told to the short callback and the others (or the calling thread) do
 * its part, so every item is worked on whatever happens.
 */
#ifndef PF_BATCH_H
#define PF_BATCH_H

#include <stddef.h>

/* Works on item i.  Runs on a worker thread, several at once. */
typedef void pf_batch_work_fn(void *ctx, size_t i);

/* Item i is finished, and all before it.  Runs on the calling thread. */
typedef void pf_batch_done_fn(void *ctx, size_t i);

/*
 * Only started of the wanted workers could be started; errnum says why.
 * Runs on the calling thread, before any done.
 */
typedef void pf_batch_short_fn(void *ctx, size_t started, size_t wanted,
    int errnum);

struct pf_batch {
	size_t n;			/* the items: 0 .. n-1 */
	size_t jobs;			/* workers at most; 0 or 1: none */
	pf_batch_work_fn *work;
	pf_batch_done_fn *done;
	pf_batch_short_fn *shortfall;	/* may be NULL */
	void *ctx;			/* passed to each callback */
	/*
	 * The order items are handed out in, a permutation of 0 .. n-1, or
	 * NULL for 0, 1, ...: the longest first, when the caller can tell,
	 * so that the last item started is a short one.  done's order is
	 * the items' own whatever this is.
	 */
	const size_t *order;
};

/*
 * How many workers to start for n items when want are asked for and each
 * item keeps fds_each descriptors open while it is worked on: no more than
 * the items, and no more than the limit on open files (RLIMIT_NOFILE)
 * leaves room for, 32 descriptors kept for the calling thread.  At least 1.
 */
size_t pf_batch_jobs(size_t want, size_t n, size_t fds_each);

/*
 * Works on every item of b and returns once each is done (work, then
 * done, for every item).  With b->jobs of 1 or less, or a single item, no
 * thread is started: work and done alternate on the calling thread.
 */
void pf_batch_run(const struct pf_batch *b);

#endif
