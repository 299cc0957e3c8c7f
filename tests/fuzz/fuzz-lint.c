/*
 * fuzz-lint: libFuzzer target for lib/pf_lint over lib/pf_reader, as
 * pf-lint drives them.  Each input is a whole recording (JSONL or a
 * SessionRecording document, plain or gzip) that pf_lint_file reads
 * through the line reader, end-of-input checks included.  It is linted
 * as `pf-lint --pass` does, or, when its size is odd, with a 64-byte line
 * cap, two errors at most and warnings off (once, not both: each lint
 * costs the reader's buffers).  Nothing may crash or leak; each finding must
 * name a rule with the rule's severity and a line the input has; the
 * counts must match the findings; a line passed on must be an object that
 * pf_jv reads without a fault (a duplicate key included: it found that a
 * document's event with one was passed on).  Built and run by "make fuzz".
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "pf_json.h"
#include "pf_jv.h"
#include "pf_lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct run {
	const char *name;
	long max_line;		/* the last line a finding may name; 0: any */
	const struct pf_lint_options *opt;
	long errors;
	long warnings;
	struct pf_jv_parser *parser;
};

static void
on_finding(void *ctx, const struct pf_finding *f)
{
	struct run *r = ctx;
	const struct pf_lint_rule *rule;

	if ((unsigned)f->rule >= PF_RULE__COUNT)
		abort();
	rule = &pf_lint_rules()[f->rule];
	if (f->severity != rule->severity || r->opt->disabled[f->rule])
		abort();
	if (f->severity == PF_SEV_WARNING && r->opt->quiet)
		abort();
	if (f->file == NULL || strcmp(f->file, r->name) != 0)
		abort();
	if (f->line < 0 || f->column < 0 ||
	    (r->max_line > 0 && f->line > r->max_line))
		abort();
	if (f->path == NULL || f->message == NULL || f->message[0] == '\0')
		abort();
	/* Every byte of the strings is readable, to their NUL. */
	(void)strlen(f->path);
	if (f->severity == PF_SEV_ERROR)
		r->errors++;
	else
		r->warnings++;
}

/* What --pass writes must be an event the next tool reads cleanly. */
static int
on_pass(void *ctx, const char *p, size_t n)
{
	struct run *r = ctx;
	enum pf_json_fault fault;
	char *copy = malloc(n + 1);

	if (copy == NULL)
		abort();
	memcpy(copy, p, n);
	copy[n] = '\0';
	if (pf_jv_parse(r->parser, copy, n, 0, &fault, NULL) == NULL)
		abort();
	free(copy);
	return 0;
}

static void
lint(const char *path, long max_line, const struct pf_lint_options *opt,
    int pass, struct pf_jv_parser *parser)
{
	struct run r = { path, max_line, opt, 0, 0, parser };
	struct pf_lint *l = pf_lint_new(opt, on_finding,
	    pass ? on_pass : NULL, &r);
	struct pf_err err;

	if (pf_lint_file(l, path, &err) < 0)
		abort();	/* a file in memory is always readable */
	if (pf_lint_errors(l) != r.errors ||
	    pf_lint_warnings(l) != r.warnings)
		abort();
	if (opt->max_errors > 0 && r.errors > opt->max_errors)
		abort();
	if (pf_lint_stopped(l) != (opt->max_errors > 0 &&
	    r.errors >= opt->max_errors))
		abort();
	pf_lint_free(l);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	static struct pf_jv_parser *parser;
	static const struct pf_lint_options plain;
	static struct pf_lint_options tight;
	long lines = 1;
	size_t i;

	if (fd < 0) {
		/* The input as a file, in memory: pf_lint_file opens a path. */
		fd = memfd_create("fuzz-lint", MFD_CLOEXEC);
		if (fd < 0) {
			perror("memfd_create");
			abort();
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		parser = pf_jv_parser_new();
		tight.max_line = 64;
		tight.max_errors = 2;
		tight.quiet = 1;
	}
	if (ftruncate(fd, 0) < 0 ||
	    (size > 0 && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	/* Plain text has its lines; gzip, whatever it inflates to. */
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b)
		lines = 0;
	for (i = 0; lines > 0 && i < size; i++)
		lines += data[i] == '\n';

	if (size % 2 == 0)
		lint(path, lines, &plain, 1, parser);
	else
		lint(path, lines, &tight, 0, parser);
	return 0;
}
