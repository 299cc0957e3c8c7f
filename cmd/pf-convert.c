/*
 * pf-convert: turn recordings into tutorials (HTML), Pathfinder JSON
 * guides, Markdown, SessionRecording documents or normalised JSONL, one by
 * one or in batch.  The conversion itself is lib/pf_convert.c, the worker
 * threads lib/pf_batch.c, putting guides in place lib/pf_guide.c, packing a
 * bundle lib/pf_bundle.c; this file names the outputs, says what became of
 * each input, in input order, and maps it all to an exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pf_alloc.h"
#include "pf_batch.h"
#include "pf_buf.h"
#include "pf_bundle.h"
#include "pf_clock.h"
#include "pf_convert.h"
#include "pf_diag.h"
#include "pf_guide.h"
#include "pf_num.h"
#include "pf_redact.h"
#include "pf_time.h"
#include "pf_version.h"

/* More workers than this only wait for the disk and the CPUs. */
#define MAX_JOBS 256

/* Descriptors a conversion keeps open: input, output, the events' spool. */
#define FDS_EACH 3

struct input {
	const char *path;
	char *dest;		/* where its output goes */
	char *name;		/* that, relative to the output directory */
	struct pf_convert_result res;
	int ok;
	int status;		/* 0, 1 (not a recording), 2 (not read or written) */
	struct pf_err err;	/* why, when status is not 0 */
	/* Lines passed over, told once its turn comes: "LINE\0NAME\0WHY\0"... */
	struct pf_buf skipped;
	const struct convert_cmd *cmd;
	off_t size;		/* its bytes, for the order of work; 0: unknown */
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
	/* The inputs converted and in place, for repository.json, --bundle. */
	struct pf_bundle_outputs outputs;
	const struct pf_convert_result **res;	/* outputs.res */
	size_t done;
	int status;		/* the worst of the conversions */
	int one_by_one;		/* no workers: lines passed over told at once */
	int config;		/* --config: write playwright.config.js */
};

static const char usage_text[] =
"Usage: pf-convert [OPTIONS] FILE...\n"
"Turn Pathfinder recordings into tutorials, guides and other forms.\n"
"\n"
"  -t, --to FORMAT          html (default), guide, recording, jsonl, md or\n"
"                           playwright\n"
"  -o, --output PATH        a file for one input (- for stdout), a directory\n"
"                           for several\n"
"      --bundle ARCHIVE     pack every output and an index.html into\n"
"                           ARCHIVE (.zip, .tar.gz, .tgz or .tar)\n"
"  -j, --jobs N             convert N inputs at once (default: the CPUs)\n"
"      --shard SHARD        convert only the share SHARD, written K/N:\n"
"                           the Kth of N shares of the inputs\n"
"      --redact             mask formfill values and secret-looking strings\n"
"      --redact-pattern ERE also mask what matches ERE (repeatable)\n"
"  -s, --speed F            playwright: the recorded gaps divided by F (0.5,\n"
"                           2, ...); max: no waiting (default 1)\n"
"  -i, --idle-limit D       playwright: cut any gap longer than D (e.g. 5s)\n"
"      --base-url URL       playwright: the Grafana to test, unless\n"
"                           GRAFANA_URL says (default: the config's)\n"
"      --config             write the specs' playwright.config.js instead\n"
"                           (to --output, or standard output); no FILE\n"
"  -q, --quiet              no warnings about lines passed over, no progress\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"FILE may be - for standard input.\n"
"Environment: SOURCE_DATE_EPOCH sets the time of bundle entries.\n"
"Exit status: 0 converted, 1 some inputs were not recordings, 2 usage\n"
"error, or an input or output could not be read or written.\n";

/*
 * A line passed over, on the converting thread.  With workers it is kept
 * with its input and told when report's turn for it comes, so messages
 * stay in input order; the memory that takes grows with the lines passed
 * over while earlier inputs are converted.  One by one, it is told at once,
 * between the lines of an output on stdout as ever.
 */
static void
on_skip(void *ctx, const char *name, long line, const char *why)
{
	struct input *in = ctx;

	if (in->cmd->quiet)
		return;
	if (in->cmd->one_by_one) {
		pf_diag_warn_at(name, line, "passed over: %s", why);
		return;
	}
	pf_buf_addf(&in->skipped, "%ld", line);
	pf_buf_addc(&in->skipped, '\0');
	pf_buf_adds(&in->skipped, name);
	pf_buf_addc(&in->skipped, '\0');
	pf_buf_adds(&in->skipped, why);
	pf_buf_addc(&in->skipped, '\0');
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

/* Converts input i; runs on a worker thread (pf_batch), prints nothing. */
static void
convert_one(void *ctx, size_t i)
{
	struct convert_cmd *c = ctx;
	struct input *in = &c->in[i];
	struct pf_convert_options opt = c->opt;
	int rc;

	opt.skip_ctx = in;
	pf_err_clear(&in->err);
	rc = pf_convert_file(in->path, in->dest, &opt, &in->res, &in->err);
	/* As in every pf tool: what cannot be read or written is 2. */
	in->status = rc == 0 ? 0 : in->err.kind == PF_ERR_DATA ? 1 : 2;
	in->ok = rc == 0;
}

/* Says what became of input i, in input order, on the main thread. */
static void
report(void *ctx, size_t i)
{
	struct convert_cmd *c = ctx;
	struct input *in = &c->in[i];
	const char *p = in->skipped.data, *end = p + in->skipped.len;

	while (p < end) {
		long line = strtol(p, NULL, 10);
		const char *name = p + strlen(p) + 1;
		const char *why = name + strlen(name) + 1;

		pf_diag_warn_at(name, line, "passed over: %s", why);
		p = why + strlen(why) + 1;
	}
	pf_buf_release(&in->skipped);
	if (in->status) {
		const char *name = strcmp(in->path, "-") == 0 ? "<stdin>" :
		    in->path;

		if (in->err.line > 0)
			pf_diag_error("%s:%ld: %s", name, in->err.line,
			    in->err.msg);
		else
			pf_diag_error("%s: %s", name, in->err.msg);
	}
	if (in->status > c->status)
		c->status = in->status;
	c->done++;
	show_progress(c);
}

static void
on_shortfall(void *ctx, size_t started, size_t wanted, int errnum)
{
	(void)ctx;
	pf_diag_warn("cannot start worker %zu of %zu (%s): converting its "
	    "share here", started + 1, wanted, strerror(errnum));
}

/*
 * Converts every input, c->jobs at once (pf_batch: each worker takes the
 * next input when it is free), everything said about them in input order.
 * Returns the worst status.
 */
/* Larger inputs first; equal ones in input order, so runs repeat. */
static int
larger_first(const void *a, const void *b, void *ctx)
{
	const struct input *in = ctx;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;

	if (in[i].size != in[j].size)
		return in[i].size > in[j].size ? -1 : 1;
	return i < j ? -1 : i > j;
}

static int
convert_all(struct convert_cmd *c)
{
	struct pf_batch b = { 0 };
	struct stat st;
	size_t *order = pf_xcalloc(c->nin ? c->nin : 1, sizeof(*order));
	size_t i;

	/*
	 * The largest first: a big recording started last would keep one
	 * worker busy alone at the end while the others wait.
	 */
	for (i = 0; i < c->nin; i++) {
		order[i] = i;
		c->in[i].size = strcmp(c->in[i].path, "-") != 0 &&
		    stat(c->in[i].path, &st) == 0 ? st.st_size : 0;
	}
	qsort_r(order, c->nin, sizeof(*order), larger_first, c->in);
	b.order = order;
	b.n = c->nin;
	b.jobs = pf_batch_jobs(c->jobs > 0 ? (size_t)c->jobs : 1, c->nin,
	    FDS_EACH);
	b.work = convert_one;
	b.done = report;
	b.shortfall = on_shortfall;
	b.ctx = c;
	/* pf_batch starts no thread for these: all happens here, in order. */
	c->one_by_one = b.jobs <= 1 || b.n <= 1;
	if (c->one_by_one)
		b.order = NULL;	/* one by one, as they come */
	pf_batch_run(&b);
	free(order);
	return c->status;
}

/*
 * Puts each guide in place from its staging folder, in input order
 * (pf_guide_shelf: an id already taken gets -2, -3, ...).  Returns 0 or 2
 * (reported).
 */
static int
settle_guides(struct convert_cmd *c)
{
	struct pf_guide_shelf *shelf = pf_guide_shelf_new(c->outdir);
	struct pf_err err;
	size_t i;
	int status = 0;

	for (i = 0; i < c->nin; i++) {
		struct input *in = &c->in[i];

		if (pf_guide_shelf_put(shelf, in->dest, in->ok ? in->res.path :
		    NULL, sizeof(in->res.path), &in->ok, &err) < 0) {
			pf_diag_err(NULL, &err);
			status = 2;
		}
	}
	pf_guide_shelf_free(shelf);
	return status;
}

/* The inputs converted, and put in place: the outputs of the batch. */
static void
list_outputs(struct convert_cmd *c)
{
	size_t i;

	c->res = pf_xcalloc(c->nin + 1, sizeof(*c->res));
	for (i = 0; i < c->nin; i++)
		if (c->in[i].ok)
			c->res[c->outputs.n++] = &c->in[i].res;
	c->outputs.dir = c->outdir;
	c->outputs.res = c->res;
	c->outputs.guides = c->opt.format == PF_FORMAT_GUIDE;
}

static void
on_repository_warning(void *ctx, const char *path, const char *why)
{
	(void)ctx;
	pf_diag_warn_at(path, 0, "repository.json: %s", why);
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
	struct pf_err err;

	if (c->outputs.n == 0)
		return 0;
	if (pf_guide_repository_write(c->outdir ? c->outdir : c->in[0].dest,
	    on_repository_warning, NULL, &err) < 0) {
		pf_diag_err(NULL, &err);
		return 2;
	}
	return 0;
}

/* Packs the outputs into --bundle.  Returns 0 or 2 (reported). */
static int
make_bundle(const struct convert_cmd *c)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long epoch = 0;
	struct pf_err err;

	/* reproducible-builds.org: a value that is not a time is an error. */
	if (sde && *sde && pf_num_parse(sde, 0, 253402300799LL, &epoch,
	    &err) < 0) {
		pf_diag_error("SOURCE_DATE_EPOCH: %s", err.msg);
		return 2;
	}
	if (pf_bundle_pack(c->bundle, (time_t)epoch, &c->outputs,
	    on_repository_warning, NULL, &err) < 0) {
		pf_diag_err(NULL, &err);
		return 2;
	}
	return 0;
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
	enum { OPT_BUNDLE = 256, OPT_SHARD, OPT_REDACT, OPT_REDACT_PATTERN,
		OPT_BASE_URL, OPT_CONFIG };
	static const struct option longopts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "output", required_argument, NULL, 'o' },
		{ "bundle", required_argument, NULL, OPT_BUNDLE },
		{ "jobs", required_argument, NULL, 'j' },
		{ "shard", required_argument, NULL, OPT_SHARD },
		{ "redact", no_argument, NULL, OPT_REDACT },
		{ "redact-pattern", required_argument, NULL,
		    OPT_REDACT_PATTERN },
		{ "speed", required_argument, NULL, 's' },
		{ "idle-limit", required_argument, NULL, 'i' },
		{ "base-url", required_argument, NULL, OPT_BASE_URL },
		{ "config", no_argument, NULL, OPT_CONFIG },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct pf_err err;
	const char *pace_opt = NULL;
	int ch, f;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":t:o:j:s:i:qhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 't':
			f = pf_format_from_name(optarg);
			if (f < 0) {
				pf_diag_usage("--to: unknown format '%s' (html, "
				    "guide, recording, jsonl, md or playwright)",
				    optarg);
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
		case 's':
			if (pf_clock_parse_speed(optarg,
			    &c->opt.playwright.speed, &err) < 0) {
				pf_diag_usage("--speed: %s", err.msg);
				return -1;
			}
			pace_opt = "--speed";
			break;
		case 'i':
			if (pf_time_parse_duration(optarg,
			    &c->opt.playwright.idle_limit, &err) < 0) {
				pf_diag_usage("--idle-limit: %s", err.msg);
				return -1;
			}
			pace_opt = "--idle-limit";
			break;
		case OPT_BASE_URL:
			c->opt.playwright.base_url = optarg;
			pace_opt = "--base-url";
			break;
		case OPT_CONFIG:
			c->config = 1;
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
	if (pace_opt && c->opt.format != PF_FORMAT_PLAYWRIGHT) {
		pf_diag_usage("%s: only with --to playwright", pace_opt);
		return -1;
	}
	if (c->config && optind < argc) {
		pf_diag_usage("--config takes no FILE: it writes the "
		    "configuration alone");
		return -1;
	}
	if (!c->config && optind >= argc) {
		pf_diag_usage("no input: give one or more recordings (- for "
		    "standard input)");
		return -1;
	}
	return 0;
}

/* --config: the specs' playwright.config.js, to --output or stdout. */
static int
write_config(const char *output)
{
	struct pf_err err;

	if (pf_convert_playwright_config(output ? output : "-", &err) < 0) {
		pf_diag_error("%s", err.msg);
		return 2;
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
	c.opt.playwright.speed = 1;
	c.opt.skip = on_skip;
	c.jobs = sysconf(_SC_NPROCESSORS_ONLN);
	r = parse_args(&c, argc, argv);
	if (r != 0) {
		status = r < 0 ? 2 : 0;
		goto out;
	}
	if (c.config) {
		status = write_config(c.output);
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
		    c.shard_k - 1) {
			c.in[c.nin].cmd = &c;
			c.in[c.nin++].path = files[i];
		}
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
	list_outputs(&c);
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
	if (c.tmpdir) {
		c.outputs.dir = c.tmpdir;	/* made for the bundle alone */
		pf_bundle_remove_outputs(&c.outputs);
	}
	for (i = 0; i < c.nin; i++) {
		free(c.in[i].dest);
		free(c.in[i].name);
		pf_buf_release(&c.in[i].skipped);
	}
	free(c.in);
	free(c.res);
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
