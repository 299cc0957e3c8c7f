/*
 * pf-convert: turn recordings into tutorials (HTML), Pathfinder JSON
 * guides, Markdown, SessionRecording documents or normalised JSONL, one by
 * one or in batch.  The conversion itself is lib/pf_convert.c; this file
 * names the outputs, runs several conversions at once in worker processes,
 * packs a bundle and maps it all to an exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_bundle.h"
#include "pf_convert.h"
#include "pf_diag.h"
#include "pf_guide.h"
#include "pf_jv.h"
#include "pf_num.h"
#include "pf_outfile.h"
#include "pf_redact.h"
#include "pf_render.h"
#include "pf_time.h"
#include "pf_version.h"

/* More workers than this only wait for the disk and the CPUs. */
#define MAX_JOBS 256

struct input {
	const char *path;
	char *dest;		/* where its output goes */
	char *name;		/* that, relative to the output directory */
	struct pf_convert_result res;
	int ok;
};

struct convert_cmd {
	struct pf_convert_options opt;
	const char *output;	/* NULL: stdout for one input */
	const char *bundle;
	long jobs;
	long shard_k, shard_n;
	int quiet;
	int progress;
	struct input *in;
	size_t nin;
	char *outdir;		/* the directory outputs go to, or NULL */
	char *tmpdir;		/* made for a bundle, removed at the end */
	size_t done;
};

static const char usage_text[] =
"Usage: pf-convert [OPTIONS] FILE...\n"
"Turn Pathfinder recordings into tutorials, guides and other forms.\n"
"\n"
"  -t, --to FORMAT          html (default), guide, recording, jsonl or md\n"
"  -o, --output PATH        a file for one input (- for stdout), a directory\n"
"                           for several\n"
"      --bundle ARCHIVE     pack every output and an index.html into\n"
"                           ARCHIVE (.zip, .tar.gz, .tgz or .tar)\n"
"  -j, --jobs N             convert N inputs at once (default: the CPUs)\n"
"      --shard SHARD        convert only the share SHARD, written K/N:\n"
"                           the Kth of N shares of the inputs\n"
"      --redact             mask formfill values and secret-looking strings\n"
"      --redact-pattern ERE also mask what matches ERE (repeatable)\n"
"  -q, --quiet              no warnings about lines passed over, no progress\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"FILE may be - for standard input.\n"
"Environment: SOURCE_DATE_EPOCH sets the time of bundle entries.\n"
"Exit status: 0 converted, 1 some inputs could not be converted,\n"
"2 usage or output error.\n";

static void
on_skip(void *ctx, const char *name, long line, const char *why)
{
	const struct convert_cmd *c = ctx;

	if (!c->quiet)
		pf_diag_warn_at(name, line, "passed over: %s", why);
}

/* "dir/talk.jsonl.gz" -> "talk" */
static char *
stem(const char *path)
{
	const char *base = strrchr(path, '/');
	static const char *const ext[] = { ".gz", ".jsonl", ".json", ".ndjson",
	    NULL };
	char *s;
	size_t n;
	int i, again = 1;

	if (strcmp(path, "-") == 0)
		return pf_xstrdup("stdin");
	s = pf_xstrdup(base ? base + 1 : path);
	while (again) {
		again = 0;
		for (i = 0; ext[i]; i++) {
			size_t k = strlen(ext[i]);

			n = strlen(s);
			if (n > k && strcmp(s + n - k, ext[i]) == 0) {
				s[n - k] = '\0';
				again = 1;
			}
		}
	}
	return s;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Decides each input's destination, names kept apart deterministically. */
static void
plan(struct convert_cmd *c)
{
	size_t i, j;

	for (i = 0; i < c->nin; i++) {
		struct input *in = &c->in[i];
		char *s = stem(in->path);
		int n = 1;

		if (c->outdir == NULL) {
			in->dest = pf_xstrdup(c->opt.format == PF_FORMAT_GUIDE ?
			    (c->output ? c->output : ".") :
			    (c->output ? c->output : "-"));
			free(s);
			continue;
		}
		if (c->opt.format == PF_FORMAT_GUIDE) {
			/*
			 * A guide names its own folder, <id>/, known only once
			 * converted: each is made in a folder of its own and
			 * moved into place afterwards (settle_guides).
			 */
			in->name = s;
			in->dest = pf_xasprintf("%s/.pf-stage-%zu", c->outdir, i);
			continue;
		}
		for (;;) {
			free(in->name);
			in->name = n == 1 ? pf_xasprintf("%s%s", s,
			    pf_format_extension(c->opt.format)) :
			    pf_xasprintf("%s-%d%s", s, n,
			    pf_format_extension(c->opt.format));
			for (j = 0; j < i; j++)
				if (strcmp(c->in[j].name, in->name) == 0)
					break;
			/* A bundle's own index.html is taken too. */
			if (j == i && !(c->bundle &&
			    strcmp(in->name, "index.html") == 0))
				break;
			n++;
		}
		in->dest = pf_xasprintf("%s/%s", c->outdir, in->name);
		free(s);
	}
}

static void
show_progress(struct convert_cmd *c)
{
	if (!c->progress)
		return;
	fprintf(stderr, "\r%s: %zu/%zu converted", pf_diag_prog(), c->done,
	    c->nin);
	if (c->done == c->nin)
		fputc('\n', stderr);
	fflush(stderr);
}

/* Converts input i here; returns 0 or 1 (reported). */
static int
convert_here(struct convert_cmd *c, size_t i)
{
	struct input *in = &c->in[i];
	struct pf_err err;

	int rc;

	pf_err_clear(&err);
	rc = pf_convert_file(in->path, in->dest, &c->opt, &in->res, &err);
	if (rc < 0) {
		const char *name = strcmp(in->path, "-") == 0 ? "<stdin>" :
		    in->path;

		if (err.line > 0)
			pf_diag_error("%s:%ld: %s", name, err.line, err.msg);
		else
			pf_diag_error("%s: %s", name, err.msg);
		return rc == -2 ? 2 : 1;
	}
	in->ok = 1;
	return 0;
}

/* What a worker sends back for each input it converted. */
struct report {
	size_t input;
	int status;		/* 0, 1 or 2, as convert_here */
	struct pf_convert_result res;
};

/*
 * A worker process: converts inputs w, w + jobs, w + 2 jobs, ... and
 * reports each on fd.  A report is smaller than PIPE_BUF, so each write is
 * atomic.  Never returns.
 */
static void
worker(struct convert_cmd *c, size_t w, size_t jobs, int fd)
{
	size_t i;
	int worst = 0;

	for (i = w; i < c->nin; i += jobs) {
		struct report r;

		memset(&r, 0, sizeof(r));
		r.input = i;
		r.status = convert_here(c, i);
		r.res = c->in[i].res;
		if (r.status > worst)
			worst = r.status;
		if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r))
			worst = 2;
	}
	fflush(NULL);
	_exit(worst);
}

/* Converts input i in this process; returns the worse of it and status. */
static int
convert_in_parent(struct convert_cmd *c, size_t i, int status)
{
	int r = convert_here(c, i);

	c->done++;
	show_progress(c);
	return r > status ? r : status;
}

/*
 * Workers that can be started: each holds a pipe open in the parent, and
 * a conversion needs a few descriptors of its own.
 */
static size_t
clamp_to_fds(size_t jobs)
{
	struct rlimit rl;
	size_t room;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY)
		return jobs;
	room = rl.rlim_cur > 32 ? (size_t)rl.rlim_cur - 32 : 1;
	return jobs < room ? jobs : room;
}

/*
 * Converts every input.  With more than one job, a fixed set of worker
 * processes shares the inputs out, each input going to one worker by its
 * place in the list, so a batch costs a fork per worker, not per input.
 * Returns the worst status.
 */
static int
convert_all(struct convert_cmd *c)
{
	size_t jobs = c->jobs > 0 ? (size_t)c->jobs : 1, started, w, alive, i;
	struct pollfd *fds;
	pid_t *pids;
	int status = 0;

	if (jobs > c->nin)
		jobs = c->nin;
	jobs = clamp_to_fds(jobs);
	if (jobs <= 1) {
		for (i = 0; i < c->nin; i++)
			status = convert_in_parent(c, i, status);
		return status;
	}
	fds = pf_xcalloc(jobs, sizeof(*fds));
	pids = pf_xcalloc(jobs, sizeof(*pids));
	fflush(NULL);
	for (w = 0; w < jobs; w++) {
		int p[2] = { -1, -1 };

		if (pipe(p) < 0 || (pids[w] = fork()) < 0) {
			int saved = errno;

			if (p[0] >= 0) {
				close(p[0]);
				close(p[1]);
			}
			pf_diag_warn("cannot start worker %zu of %zu (%s): "
			    "converting its share here", w + 1, jobs,
			    strerror(saved));
			break;
		}
		if (pids[w] == 0) {
			size_t k;

			close(p[0]);
			for (k = 0; k < w; k++)
				close(fds[k].fd);
			worker(c, w, jobs, p[1]);
		}
		close(p[1]);
		fds[w].fd = p[0];
		fds[w].events = POLLIN;
	}
	started = w;
	/* The shares of workers that could not start are converted here. */
	for (i = 0; i < c->nin; i++)
		if (i % jobs >= started)
			status = convert_in_parent(c, i, status);
	for (alive = started; alive > 0;) {
		if (poll(fds, started, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (w = 0; w < started; w++) {
			struct report r;
			ssize_t n;

			if (fds[w].fd < 0 || !(fds[w].revents & (POLLIN |
			    POLLHUP)))
				continue;
			n = read(fds[w].fd, &r, sizeof(r));
			if (n == (ssize_t)sizeof(r) && r.input < c->nin) {
				c->in[r.input].res = r.res;
				c->in[r.input].ok = r.status == 0;
				if (r.status > status)
					status = r.status;
				c->done++;
				show_progress(c);
				continue;
			}
			close(fds[w].fd);	/* the worker is done */
			fds[w].fd = -1;
			alive--;
		}
	}
	for (w = 0; w < started; w++) {
		int ws;

		if (waitpid(pids[w], &ws, 0) < 0)
			continue;
		if (WIFSIGNALED(ws)) {
			pf_diag_error("a worker was killed by signal %d; its "
			    "inputs after the last one reported were not "
			    "converted", WTERMSIG(ws));
			if (status < 1)
				status = 1;
		}
	}
	free(fds);
	free(pids);
	return status;
}

/* The manifest.json beside a guide's content.json: a new string. */
static char *
manifest_of(const char *content)
{
	const char *slash = strrchr(content, '/');

	return pf_xasprintf("%.*s/manifest.json", (int)(slash - content),
	    content);
}

/*
 * Moves each guide from its staging folder to <outdir>/<id>, in input
 * order; an id already taken in this run gets -2, -3, ...  A folder left
 * by an earlier run is replaced.
 */
static int
settle_guides(struct convert_cmd *c)
{
	char **taken = pf_xcalloc(c->nin + 1, sizeof(*taken));
	size_t i, j, ntaken = 0;
	struct pf_err err;
	int status = 0;

	for (i = 0; i < c->nin; i++) {
		struct input *in = &c->in[i];
		char *id, *stage_folder, *name = NULL, *target;
		char *slash;
		int n = 1;

		if (!in->ok) {
			rmdir(in->dest);
			continue;
		}
		stage_folder = pf_xstrdup(in->res.path);
		slash = strrchr(stage_folder, '/');
		*slash = '\0';
		id = strrchr(stage_folder, '/') + 1;
		for (;;) {
			free(name);
			name = n == 1 ? pf_xstrdup(id) :
			    pf_xasprintf("%s-%d", id, n);
			for (j = 0; j < ntaken; j++)
				if (strcmp(taken[j], name) == 0)
					break;
			if (j == ntaken)
				break;
			n++;
		}
		target = pf_xasprintf("%s/%s", c->outdir, name);
		{
			char *old = pf_xasprintf("%s/content.json", target);
			char *oldm = pf_xasprintf("%s/manifest.json", target);

			unlink(old);
			unlink(oldm);
			rmdir(target);
			free(old);
			free(oldm);
		}
		if (rename(stage_folder, target) < 0) {
			pf_diag_error("%s: %s", target, strerror(errno));
			in->ok = 0;
			status = 2;
		} else {
			snprintf(in->res.path, sizeof(in->res.path),
			    "%s/content.json", target);
			if (n > 1 && pf_guide_set_id(target, name, &err) < 0) {
				pf_diag_err(NULL, &err);
				status = 2;
			}
		}
		rmdir(in->dest);
		taken[ntaken++] = name;
		free(target);
		free(stage_folder);
	}
	for (j = 0; j < ntaken; j++)
		free(taken[j]);
	free(taken);
	return status;
}

/* --- repository.json --------------------------------------------------- */

static void
on_repository_warning(void *ctx, const char *path, const char *why)
{
	(void)ctx;
	pf_diag_warn_at(path, 0, "repository.json: %s", why);
}

/* The folder, under the output directory, of a guide converted here. */
static char *
guide_folder(const struct input *in)
{
	const char *end = strrchr(in->res.path, '/'), *start = end;

	while (start > in->res.path && start[-1] != '/')
		start--;
	return pf_xmemdup(start, (size_t)(end - start));
}

/*
 * Rewrites repository.json in the directory the guides went to, listing
 * every guide folder there, once at least one input was converted (a run
 * that converted nothing leaves the directory as it was).  Returns 0 or 2
 * (reported).
 */
static int
write_repository(const struct convert_cmd *c)
{
	const char *dir = c->outdir ? c->outdir : c->in[0].dest;
	struct pf_err err;
	size_t i;

	for (i = 0; i < c->nin && !c->in[i].ok; i++)
		;
	if (i == c->nin)
		return 0;
	if (pf_guide_repository_write(dir, on_repository_warning, NULL,
	    &err) < 0) {
		pf_diag_err(NULL, &err);
		return 2;
	}
	return 0;
}

/* --- bundles ------------------------------------------------------------ */

static int
make_bundle(struct convert_cmd *c)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long epoch = 0;
	struct pf_bundle *b;
	struct pf_bundle_item *items = NULL;
	struct pf_buf idx = PF_BUF_INIT;
	struct pf_err err;
	size_t i, nitems = 0;

	/* reproducible-builds.org: a value that is not a time is an error. */
	if (sde && *sde && pf_num_parse(sde, 0, 253402300799LL, &epoch,
	    &err) < 0) {
		pf_diag_error("SOURCE_DATE_EPOCH: %s", err.msg);
		return 2;
	}

	b = pf_bundle_open(c->bundle, (time_t)epoch, &err);
	if (b == NULL) {
		pf_diag_err(NULL, &err);
		return 2;
	}
	for (i = 0; i < c->nin; i++) {
		const struct input *in = &c->in[i];
		const char *rel;

		if (!in->ok)
			continue;
		rel = in->res.path + strlen(c->outdir) + 1;
		if (pf_bundle_add_file(b, rel, in->res.path, &err) < 0)
			goto fail;
		if (c->opt.format == PF_FORMAT_GUIDE) {
			/* content.json's manifest.json sits beside it. */
			char *m = manifest_of(in->res.path);
			char *mrel;

			mrel = m + strlen(c->outdir) + 1;
			if (pf_bundle_add_file(b, mrel, m, &err) < 0) {
				free(m);
				goto fail;
			}
			free(m);
		}
	}
	if (c->opt.format == PF_FORMAT_GUIDE) {
		/* The catalogue of the bundle's own guides. */
		char **names = pf_xcalloc(c->nin + 1, sizeof(*names));
		size_t n = 0;

		for (i = 0; i < c->nin; i++)
			if (c->in[i].ok)
				names[n++] = guide_folder(&c->in[i]);
		/* In the order of the folders' names, as in a folder. */
		qsort(names, n, sizeof(*names), cmp_str);
		pf_guide_repository(c->outdir, names, n, &idx,
		    on_repository_warning, NULL, &err);
		pf_guide_names_free(names, n);
		if (pf_bundle_add(b, "repository.json", idx.data, idx.len,
		    &err) < 0)
			goto fail;
		pf_buf_reset(&idx);
	}
	pf_buf_release(&idx);
	items = pf_xcalloc(c->nin + 1, sizeof(*items));
	for (i = 0; i < c->nin; i++)
		if (c->in[i].ok) {
			items[nitems].name = c->in[i].res.path +
			    strlen(c->outdir) + 1;
			items[nitems++].res = &c->in[i].res;
		}
	if (pf_bundle_add_index(b, items, nitems, &err) < 0)
		goto fail;
	free(items);
	if (pf_bundle_close(b, &err) < 0) {
		pf_diag_err(NULL, &err);
		return 2;
	}
	return 0;
fail:
	pf_diag_err(NULL, &err);
	free(items);
	pf_buf_release(&idx);
	pf_bundle_abort(b);
	return 2;
}

/* Removes the temporary output tree of a bundle (depth two at most). */
static void
remove_tree(const char *dir, const struct convert_cmd *c)
{
	size_t i;

	for (i = 0; i < c->nin; i++) {
		if (!c->in[i].ok)
			continue;
		if (c->opt.format == PF_FORMAT_GUIDE) {
			char *m = manifest_of(c->in[i].res.path);

			unlink(c->in[i].res.path);
			unlink(m);
			*strrchr(m, '/') = '\0';
			rmdir(m);
			free(m);
		} else {
			unlink(c->in[i].dest);
		}
	}
	for (i = 0; i < c->nin; i++)
		if (!c->in[i].ok && c->opt.format != PF_FORMAT_GUIDE)
			unlink(c->in[i].dest);
	rmdir(dir);
}

/* --- options ------------------------------------------------------------ */

/* K/N: this is the K-th of N jobs sharing the inputs. */
static int
parse_shard(struct convert_cmd *c, const char *arg, struct pf_err *err)
{
	const char *slash = strchr(arg, '/');
	char *k = slash ? pf_xmemdup(arg, (size_t)(slash - arg)) : NULL;
	int ok = k && pf_num_long(slash + 1, 1, LONG_MAX, &c->shard_n,
	    NULL) == 0 && pf_num_long(k, 1, c->shard_n, &c->shard_k, NULL) == 0;

	free(k);
	if (!ok)
		return pf_err_set(err, PF_ERR_USAGE, 0,
		    "'%s' is not K/N with 1 <= K <= N", arg);
	return 0;
}

static int
parse_args(struct convert_cmd *c, int argc, char **argv)
{
	enum { OPT_BUNDLE = 256, OPT_SHARD, OPT_REDACT, OPT_REDACT_PATTERN };
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "bundle", required_argument, NULL, OPT_BUNDLE },
		{ "jobs", required_argument, NULL, 'j' },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "redact", no_argument, NULL, OPT_REDACT },
		{ "redact-pattern", required_argument, NULL,
		    OPT_REDACT_PATTERN },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct pf_err err;
	int ch, f;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":t:o:j:qhV", longopts, NULL))
	    != -1) {
		switch (ch) {
		case 't':
			f = pf_format_from_name(optarg);
			if (f < 0) {
				pf_diag_usage("--to: unknown format '%s' (html, "
				    "guide, recording, jsonl or md)", optarg);
				return -1;
			}
			c->opt.format = (enum pf_format)f;
			break;
		case 'o':
			c->output = optarg;
			break;
		case OPT_BUNDLE:
			c->bundle = optarg;
			break;
		case 'j':
			if (pf_num_long(optarg, 1, MAX_JOBS,
			    &c->jobs, &err) < 0) {
				pf_diag_usage("--jobs: %s", err.msg);
				return -1;
			}
			break;
		case OPT_SHARD:
			if (parse_shard(c, optarg, &err) < 0) {
				pf_diag_usage("--shard: %s", err.msg);
				return -1;
			}
			break;
		case OPT_REDACT:
			if (c->opt.redact == NULL)
				c->opt.redact = pf_redact_new();
			break;
		case OPT_REDACT_PATTERN:
			if (c->opt.redact == NULL)
				c->opt.redact = pf_redact_new();
			if (pf_redact_add_pattern(c->opt.redact, optarg,
			    &err) < 0) {
				pf_diag_usage("--redact-pattern: %s", err.msg);
				return -1;
			}
			break;
		case 'q':
			c->quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		case 'V':
			printf("pf-convert %s\n", PF_VERSION);
			return 1;
		default:
			return pf_diag_bad_option(ch, argv);
		}
	}
	if (optind >= argc) {
		pf_diag_usage("no input: give one or more recordings (- for "
		    "standard input)");
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct convert_cmd c;
	char **files = NULL;
	size_t nfiles, i;
	int r, status = 0;

	pf_diag_init(argv[0]);
	memset(&c, 0, sizeof(c));
	c.opt.format = PF_FORMAT_HTML;
	c.opt.skip = on_skip;
	c.opt.skip_ctx = &c;
	c.jobs = sysconf(_SC_NPROCESSORS_ONLN);
	r = parse_args(&c, argc, argv);
	if (r != 0) {
		status = r < 0 ? 2 : 0;
		goto out;
	}
	nfiles = (size_t)(argc - optind);
	files = pf_xcalloc(nfiles, sizeof(*files));
	for (i = 0; i < nfiles; i++)
		files[i] = argv[optind + i];
	/* Shards split the sorted inputs, so every job agrees on them. */
	if (c.shard_n > 1)
		qsort(files, nfiles, sizeof(*files), cmp_str);
	c.in = pf_xcalloc(nfiles, sizeof(*c.in));
	for (i = 0; i < nfiles; i++)
		if (c.shard_n <= 1 || (long)(i % (size_t)c.shard_n) ==
		    c.shard_k - 1)
			c.in[c.nin++].path = files[i];
	if (c.bundle) {
		if (c.output == NULL) {
			char *t = getenv("TMPDIR");

			c.tmpdir = pf_xasprintf("%s/pf-convert.XXXXXX",
			    t && *t ? t : "/tmp");
			if (mkdtemp(c.tmpdir) == NULL) {
				pf_diag_error("%s: %s", c.tmpdir,
				    strerror(errno));
				status = 2;
				goto out;
			}
			c.outdir = pf_xstrdup(c.tmpdir);
		}
	}
	if (c.output && (nfiles > 1 || c.bundle)) {
		if (strcmp(c.output, "-") == 0) {
			pf_diag_usage("several outputs cannot go to standard "
			    "output: give --output DIR");
			status = 2;
			goto out;
		}
		if (mkdir(c.output, 0777) < 0 && errno != EEXIST) {
			pf_diag_error("%s: %s", c.output, strerror(errno));
			status = 2;
			goto out;
		}
		c.outdir = pf_xstrdup(c.output);
	}
	if (nfiles > 1 && c.outdir == NULL) {
		pf_diag_usage("several inputs need --output DIR or --bundle");
		status = 2;
		goto out;
	}
	if (c.outdir == NULL && c.opt.format == PF_FORMAT_GUIDE && c.output &&
	    strcmp(c.output, "-") == 0) {
		pf_diag_usage("a guide is a folder: give --output DIR");
		status = 2;
		goto out;
	}
	plan(&c);
	c.progress = !c.quiet && c.nin > 1 && isatty(2);
	status = convert_all(&c);
	if (c.outdir && c.opt.format == PF_FORMAT_GUIDE) {
		r = settle_guides(&c);
		if (r > status)
			status = r;
	}
	/* Guides written where they stay get the folder's repository.json. */
	if (c.opt.format == PF_FORMAT_GUIDE && c.tmpdir == NULL) {
		r = write_repository(&c);
		if (r > status)
			status = r;
	}
	if (c.bundle) {
		r = make_bundle(&c);
		if (r > status)
			status = r;
	}
out:
	if (c.tmpdir)
		remove_tree(c.tmpdir, &c);
	for (i = 0; i < c.nin; i++) {
		free(c.in[i].dest);
		free(c.in[i].name);
	}
	free(c.in);
	free(files);
	free(c.outdir);
	free(c.tmpdir);
	pf_redact_free(c.opt.redact);
	/* A write error on stdout was reported by the conversion already. */
	if (status >= 2)
		fclose(stdout);
	else if (pf_diag_close_stdout(0))
		status = 2;
	return status;
}
