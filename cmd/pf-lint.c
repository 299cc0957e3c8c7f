/*
 * pf-lint: validate Pathfinder recordings, with diagnostics editors and CI
 * understand.  The rules live in lib/pf_lint.c; this file parses options,
 * renders findings (text, JSON lines, GitHub annotations) and maps the
 * result to the exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pf_buf.h"
#include "pf_diag.h"
#include "pf_jw.h"
#include "pf_lint.h"
#include "pf_num.h"
#include "pf_reader.h"
#include "pf_version.h"
#include "pf_writer.h"

enum format {
	FORMAT_TEXT,
	FORMAT_JSON,
	FORMAT_GITHUB
};

struct lint_cmd {
	struct pf_lint_options opt;
	enum format format;
	int strict;
	int list_rules;
	int pass;
	FILE *out;			/* where findings go */
	struct pf_writer *pass_out;	/* --pass: valid lines */
	struct pf_err pass_err;
	int pass_failed;
};

static const char usage_text[] =
"Usage: pf-lint [OPTIONS] [FILE...]\n"
"Check Pathfinder live-session recordings: JSONL event streams (plain or\n"
"gzip) and SessionRecording documents.\n"
"\n"
"  -f, --format FMT       print findings as text (default), json or github\n"
"  -s, --strict           make warnings fail too (exit status 1)\n"
"  -q, --quiet            report errors only, not warnings\n"
"  -m, --max-errors N     stop after N errors\n"
"  -d, --disable RULES    turn off rules: comma-separated ids\n"
"      --max-line BYTES   longest line accepted (default 1048576)\n"
"  -l, --list-rules       list the rules and exit\n"
"  -p, --pass             copy events without errors to stdout, findings\n"
"                         to stderr: a filter for pipelines\n"
"  -h, --help             show this help and exit\n"
"  -V, --version          show the version and exit\n"
"\n"
"With no FILE, or when FILE is -, read standard input.\n"
"Exit status: 0 no errors (warnings allowed unless --strict), 1 findings,\n"
"2 usage or I/O error.\n";

static void
escape_github(FILE *f, const char *s, int property)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c != '\r' && c != '\n' && (c < 0x20 || c == 0x7f))
			fprintf(f, "\\x%02x", c);
		else if (*s == '%')
			fputs("%25", f);
		else if (*s == '\r')
			fputs("%0D", f);
		else if (*s == '\n')
			fputs("%0A", f);
		else if (property && *s == ':')
			fputs("%3A", f);
		else if (property && *s == ',')
			fputs("%2C", f);
		else
			fputc(*s, f);
	}
}

static void
print_text(FILE *f, const struct pf_finding *fd)
{
	pf_diag_put_text(f, fd->file);
	if (fd->line > 0)
		fprintf(f, ":%ld", fd->line);
	if (fd->line > 0 && fd->column > 0)
		fprintf(f, ":%ld", fd->column);
	fprintf(f, ": %s: ", pf_severity_name(fd->severity));
	pf_diag_put_text(f, fd->message);
	fprintf(f, " [%s]\n", pf_lint_rules()[fd->rule].id);
}

static void
print_json(FILE *f, const struct pf_finding *fd)
{
	struct pf_buf b = PF_BUF_INIT;
	struct pf_jw w;

	/* Text that is not UTF-8 comes out with U+FFFD: no key is lost. */
	pf_jw_init(&w, &b, 0);
	pf_jw_begin(&w, NULL);
	pf_jw_string(&w, "file", fd->file);
	pf_jw_int(&w, "line", fd->line);
	pf_jw_int(&w, "column", fd->column);
	pf_jw_string(&w, "severity", pf_severity_name(fd->severity));
	pf_jw_string(&w, "rule", pf_lint_rules()[fd->rule].id);
	pf_jw_string(&w, "message", fd->message);
	if (fd->path)
		pf_jw_string(&w, "path", fd->path);
	pf_jw_end(&w);
	pf_buf_addc(&b, '\n');
	fwrite(b.data, 1, b.len, f);
	pf_buf_release(&b);
}

static void
print_github(FILE *f, const struct pf_finding *fd)
{
	fprintf(f, "::%s file=", fd->severity == PF_SEV_ERROR ? "error" :
	    "warning");
	escape_github(f, fd->file, 1);
	if (fd->line > 0)
		fprintf(f, ",line=%ld", fd->line);
	if (fd->line > 0 && fd->column > 0)
		fprintf(f, ",col=%ld", fd->column);
	fputs(",title=", f);
	escape_github(f, pf_lint_rules()[fd->rule].id, 1);
	fputs("::", f);
	escape_github(f, fd->message, 0);
	fprintf(f, " [%s]\n", pf_lint_rules()[fd->rule].id);
}

static void
on_finding(void *ctx, const struct pf_finding *fd)
{
	struct lint_cmd *c = ctx;

	switch (c->format) {
	case FORMAT_TEXT:
		print_text(c->out, fd);
		break;
	case FORMAT_JSON:
		print_json(c->out, fd);
		break;
	case FORMAT_GITHUB:
		print_github(c->out, fd);
		break;
	}
}

static int
on_pass(void *ctx, const char *p, size_t n)
{
	struct lint_cmd *c = ctx;

	if (c->pass_failed)
		return -1;
	if (pf_writer_line(c->pass_out, p, n, &c->pass_err) < 0) {
		c->pass_failed = 1;
		return -1;
	}
	return 0;
}

static void
list_rules(void)
{
	const struct pf_lint_rule *r = pf_lint_rules();
	int i;

	for (i = 0; i < PF_RULE__COUNT; i++)
		printf("%-21s %-8s %s\n", r[i].id,
		    pf_severity_name(r[i].severity), r[i].summary);
}

static int
disable_rules(struct lint_cmd *c, const char *list)
{
	char *copy = strdup(list), *tok, *save = NULL;
	int rc = 0;

	if (copy == NULL) {
		pf_diag_error("out of memory");
		return -1;
	}
	for (tok = strtok_r(copy, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		int id = pf_lint_rule_find(tok);

		if (id < 0) {
			pf_diag_usage("unknown rule '%s' (see --list-rules)",
			    tok);
			rc = -1;
			break;
		}
		c->opt.disabled[id] = 1;
	}
	free(copy);
	return rc;
}

static int
parse_count(const char *opt, const char *s, long min, long max, long *out)
{
	struct pf_err err;

	if (pf_num_long(s, min, max, out, &err) < 0) {
		pf_diag_usage("%s: %s", opt, err.msg);
		return -1;
	}
	return 0;
}

static int
parse_args(struct lint_cmd *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "max-errors", required_argument, NULL, 'm' },
		{ "disable", required_argument, NULL, 'd' },
		{ "max-line", required_argument, NULL, 'L' },
		{ "list-rules", no_argument, NULL, 'l' },
		{ "pass", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int ch;
	long n;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":f:sqm:d:lphV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (strcmp(optarg, "text") == 0)
				c->format = FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				c->format = FORMAT_JSON;
			else if (strcmp(optarg, "github") == 0)
				c->format = FORMAT_GITHUB;
			else {
				pf_diag_usage("--format: unknown format '%s' "
				    "(text, json or github)", optarg);
				return -1;
			}
			break;
		case 's':
			c->strict = 1;
			break;
		case 'q':
			c->opt.quiet = 1;
			break;
		case 'm':
			if (parse_count("--max-errors", optarg, 1, LONG_MAX,
			    &n))
				return -1;
			c->opt.max_errors = n;
			break;
		case 'd':
			if (disable_rules(c, optarg))
				return -1;
			break;
		case 'L':
			if (parse_count("--max-line", optarg, 1,
			    PF_MAX_LINE_LIMIT, &n))
				return -1;
			c->opt.max_line = (size_t)n;
			break;
		case 'l':
			c->list_rules = 1;
			break;
		case 'p':
			c->pass = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		case 'V':
			printf("pf-lint %s\n", PF_VERSION);
			return 1;
		default:
			return pf_diag_bad_option(ch, argv);
		}
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static char *stdin_only[] = { "-", NULL };
	struct lint_cmd c;
	struct pf_lint *l = NULL;
	struct pf_err err;
	char **files;
	int rc, status = 0, i;

	pf_diag_init(argv[0]);
	memset(&c, 0, sizeof(c));
	c.out = stdout;
	rc = parse_args(&c, argc, argv);
	if (rc != 0)
		return rc < 0 ? 2 : (pf_diag_close_stdout(0) ? 2 : 0);
	if (c.list_rules) {
		list_rules();
		return pf_diag_close_stdout(0) ? 2 : 0;
	}
	files = optind < argc ? argv + optind : stdin_only;
	if (c.pass) {
		c.out = stderr;
		pf_err_clear(&err);
		c.pass_out = pf_writer_fdopen(1, "<stdout>", 0, &err);
	}
	l = pf_lint_new(&c.opt, on_finding, c.pass ? on_pass : NULL, &c);
	for (i = 0; files[i] && !pf_lint_stopped(l); i++) {
		pf_err_clear(&err);
		if (pf_lint_file(l, files[i], &err) < 0) {
			if (c.pass_failed)
				break;
			pf_diag_error("%s: %s", strcmp(files[i], "-") == 0 ?
			    "<stdin>" : files[i], err.msg);
			status = 2;
		}
	}
	if (pf_lint_errors(l) > 0 || (c.strict && pf_lint_warnings(l) > 0))
		status = status ? status : 1;
	if (c.pass_out) {
		struct pf_err cerr;

		pf_err_clear(&cerr);
		if (!c.pass_failed && pf_writer_close(c.pass_out, &cerr) < 0) {
			c.pass_failed = 1;
			c.pass_err = cerr;
		} else if (c.pass_failed) {
			pf_writer_close(c.pass_out, NULL);
		}
		if (c.pass_failed) {
			if (c.pass_err.errnum != EPIPE)
				pf_diag_error("<stdout>: %s", c.pass_err.msg);
			status = 2;
		}
	}
	pf_lint_free(l);
	if (pf_diag_close_stdout(0))
		status = 2;
	return status;
}
