/*
 * pf_batch: worker threads taking items from one queue (an index advanced
 * under a mutex), and the calling thread saying what became of them in
 * their order, as each finishes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "pf_alloc.h"
#include "pf_batch.h"

struct queue {
	const struct pf_batch *b;
	pthread_mutex_t lock;
	pthread_cond_t finished;	/* an item was finished */
	size_t next;			/* the next item to hand out */
	unsigned char *over;		/* over[i]: item i is finished */
};

size_t
pf_batch_jobs(size_t want, size_t n, size_t fds_each)
{
	struct rlimit rl;
	size_t jobs = want < n ? want : n, room;

	if (fds_each == 0)
		fds_each = 1;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur != RLIM_INFINITY) {
		/* Every worker shares this process's table of descriptors. */
		room = rl.rlim_cur > 32 ? ((size_t)rl.rlim_cur - 32) /
		    fds_each : 0;
		if (jobs > room)
			jobs = room;
	}
	return jobs > 0 ? jobs : 1;
}

static void *
worker(void *arg)
{
	struct queue *q = arg;
	size_t i;

	for (;;) {
		pthread_mutex_lock(&q->lock);
		i = q->next < q->b->n ? q->next++ : q->b->n;
		pthread_mutex_unlock(&q->lock);
		if (i == q->b->n)
			return NULL;
		if (q->b->order)
			i = q->b->order[i];
		q->b->work(q->b->ctx, i);
		pthread_mutex_lock(&q->lock);
		q->over[i] = 1;
		pthread_cond_signal(&q->finished);
		pthread_mutex_unlock(&q->lock);
	}
}

void
pf_batch_run(const struct pf_batch *b)
{
	struct queue q;
	pthread_t *threads;
	size_t started, i;
	int rc = 0;

	if (b->jobs <= 1 || b->n <= 1) {
		for (i = 0; i < b->n; i++) {
			b->work(b->ctx, i);
			b->done(b->ctx, i);
		}
		return;
	}
	q.b = b;
	q.next = 0;
	q.over = pf_xcalloc(b->n, 1);
	pthread_mutex_init(&q.lock, NULL);
	pthread_cond_init(&q.finished, NULL);
	threads = pf_xcalloc(b->jobs, sizeof(*threads));
	for (started = 0; started < b->jobs; started++) {
		rc = pthread_create(&threads[started], NULL, worker, &q);
		if (rc != 0)
			break;
	}
	if (started < b->jobs && b->shortfall)
		b->shortfall(b->ctx, started, b->jobs, rc);
	for (i = 0; i < b->n; i++) {
		if (started == 0) {
			/* No worker at all: this thread is the one. */
			b->work(b->ctx, i);
		} else {
			pthread_mutex_lock(&q.lock);
			while (!q.over[i])
				pthread_cond_wait(&q.finished, &q.lock);
			pthread_mutex_unlock(&q.lock);
		}
		b->done(b->ctx, i);
	}
	for (i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	pthread_cond_destroy(&q.finished);
	pthread_mutex_destroy(&q.lock);
	free(threads);
	free(q.over);
}
