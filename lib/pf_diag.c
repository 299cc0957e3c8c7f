/*
 * pf_diag: the one-line messages tools print on stderr, and the final
 * check of stdout that catches a full disk or a closed pipe.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pf_diag.h"

static const char *prog = "pf";

void
pf_diag_init(const char *argv0)
{
	const char *slash;

	if (argv0 == NULL || *argv0 == '\0')
		return;
	slash = strrchr(argv0, '/');
	prog = slash ? slash + 1 : argv0;
}

const char *
pf_diag_prog(void)
{
	return prog;
}

void
pf_diag_put_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

static void
vsay(const char *kind, const char *fmt, va_list ap)
{
	char msg[4096];

	fflush(stdout);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "%s: %s", prog, kind);
	pf_diag_put_text(stderr, msg);
	fputc('\n', stderr);
}

void
pf_diag_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
}

void
pf_diag_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("warning: ", fmt, ap);
	va_end(ap);
}

void
pf_diag_warn_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	char msg[4096];

	fflush(stdout);
	fprintf(stderr, "%s: ", prog);
	pf_diag_put_text(stderr, file);
	if (line > 0)
		fprintf(stderr, ":%ld", line);
	fputs(": warning: ", stderr);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pf_diag_put_text(stderr, msg);
	fputc('\n', stderr);
}

void
pf_diag_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay("", fmt, ap);
	va_end(ap);
	fprintf(stderr, "Try '%s --help'.\n", prog);
}

int
pf_diag_bad_option(int ch, char **argv)
{
	const char *arg = argv[optind - 1];

	if (strncmp(arg, "--", 2) == 0) {
		size_t len = strcspn(arg, "=");

		if (ch == ':')
			pf_diag_usage("option '%.*s' needs a value", (int)len,
			    arg);
		else if (arg[len] == '=' && optopt != 0)
			pf_diag_usage("option '%.*s' takes no value", (int)len,
			    arg);
		else
			pf_diag_usage("unknown option '%.*s'", (int)len, arg);
	} else if (ch == ':') {
		pf_diag_usage("option '-%c' needs a value", optopt);
	} else {
		pf_diag_usage("unknown option '-%c'", optopt);
	}
	return -1;
}

void
pf_diag_err(const char *what, const struct pf_err *err)
{
	if (what)
		pf_diag_error("%s: %s", what, err->msg);
	else
		pf_diag_error("%s", err->msg);
}

int
pf_diag_close_stdout(int quiet_epipe)
{
	static int closed, result;
	int failed = ferror(stdout);
	int saved = errno;

	/* Once: a second fclose of stdout would be undefined. */
	if (closed)
		return result;
	closed = 1;
	result = -1;

	if (fclose(stdout) != 0) {
		failed = 1;
		saved = errno;
	}
	if (!failed)
		return result = 0;
	if (saved == EPIPE && quiet_epipe)
		return -1;
	pf_diag_error("write error: %s", saved ? strerror(saved) :
	    "unknown error");
	return -1;
}

int
pf_diag_color(int fd)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(fd) && (nc == NULL || *nc == '\0');
}
