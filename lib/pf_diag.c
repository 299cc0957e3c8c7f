/*
 * pf_diag: the one-line messages tools print on stderr, and the final
 * check of stdout that catches a full disk or a closed pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pf_diag.h"
#include "pf_json.h"

static const char *prog = "pf";

/*
 * Makes sure descriptors 0, 1 and 2 are open, as git's sanitize_stdfds()
 * does: with fd 2 closed, the first file a tool opens would get descriptor
 * 2 and every diagnostic would land inside it.  A closed one is taken by
 * /dev/null opened the other way round (stdin for writing, stdout and
 * stderr for reading), so that using it still fails with EBADF, as on the
 * closed descriptor: a closed stdout stays a reported write error.
 */
static void
sanitize_stdfds(void)
{
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (got >= 0 && got != fd) {
			/* not the number we meant to fill: let it go */
			close(got);
		}
	}
}

void
pf_diag_init(const char *argv0)
{
	const char *slash;

	sanitize_stdfds();
	/*
	 * Unbuffered, stderr made a write(2) of every fputc: 64 for one
	 * finding of pf-lint --pass, and lines of two writers mixed byte by
	 * byte.  Line-buffered, a line is one write.  Progress lines that end
	 * in \r flush themselves.
	 */
	setvbuf(stderr, NULL, _IOLBF, 0);
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

/* The code point of the valid n-byte UTF-8 sequence at s. */
static unsigned
utf8_cp(const unsigned char *s, size_t n)
{
	unsigned c = s[0] & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
	size_t i;

	for (i = 1; i < n; i++)
		c = c << 6 | (s[i] & 0x3f);
	return c;
}

/*
 * Code points that steer a terminal or reorder text: the C1 controls (some
 * terminals take U+009B for CSI) and the bidirectional controls, with
 * which a name can make a message read backwards (U+202E).
 */
static int
is_steering(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x61c ||
	    cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069);
}

void
pf_diag_put_text(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	while (p && *p) {
		unsigned char c = *p;

		if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c == '\r')
			fputs("\\r", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else if (c < 0x80)
			fputc(c, f);
		else if ((n = pf_utf8_seq(p, strnlen((const char *)p, 4))) == 0)
			fprintf(f, "\\x%02x", c);	/* not UTF-8 */
		else {
			if (is_steering(utf8_cp(p, n)))
				fprintf(f, "\\u%04X", utf8_cp(p, n));
			else
				fwrite(p, 1, n, f);
			p += n;
			continue;
		}
		p++;
	}
}

static void
vsay(const char *kind, const char *fmt, va_list ap)
{
	char msg[4096];

	fflush(stdout);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* One line, whole, though -j's threads say things at once. */
	flockfile(stderr);
	fprintf(stderr, "%s: %s", prog, kind);
	pf_diag_put_text(stderr, msg);
	fputc('\n', stderr);
	funlockfile(stderr);
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
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	flockfile(stderr);
	fprintf(stderr, "%s: ", prog);
	pf_diag_put_text(stderr, file);
	if (line > 0)
		fprintf(stderr, ":%ld", line);
	fputs(": warning: ", stderr);
	pf_diag_put_text(stderr, msg);
	fputc('\n', stderr);
	funlockfile(stderr);
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
	pf_diag_error("<stdout>: write error: %s", saved ? strerror(saved) :
	    "unknown error");
	return -1;
}

int
pf_diag_color(int fd)
{
	const char *nc = getenv("NO_COLOR");

	return isatty(fd) && (nc == NULL || *nc == '\0');
}
