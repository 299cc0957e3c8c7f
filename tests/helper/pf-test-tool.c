/*
 * pf-test-tool: exposes libpf's pieces to the bats suite (as git's
 * t/helper/test-tool does), and generates synthetic recordings for the
 * benchmarks.  Not installed.
 *
 *   pf-test-tool duration STR      -> milliseconds
 *   pf-test-tool position STR      -> offset MS | step ID | nav N
 *   pf-test-tool lines FILE [MAX]  -> LINENO FLAGS LEN: data
 *   pf-test-tool follow FILE STOP  -> LINENO: data, and "restart: truncated"
 *                                     or "restart: replaced", following FILE
 *                                     until STOP exists at its end
 *   pf-test-tool write [-z] [-e] OUT < lines  (through pf_writer)
 *   pf-test-tool parse object|any < json -> compact JSON, or the fault
 *   pf-test-tool pack < json lines  -> each value BinaryPacked, in hex
 *   pf-test-tool unpack < hex lines -> each message as JSON, or its error;
 *                                     a chunk envelope as "chunk ID N/TOTAL
 *                                     LEN", the close message as "close"
 *   pf-test-tool p256 sign MSG     -> a new key's SPKI, and its signature
 *                                     of MSG, in hex: "SPKI SIG"
 *   pf-test-tool p256 verify SPKI MSG SIG -> good | bad | the error
 *   pf-test-tool joincode TEXT     -> id, name, url, key length, a line each
 *   pf-test-tool joincode-make ID NAME URL SPKI BASE -> the code, the URL
 *   pf-test-tool sha256 STR        -> its digest in hex, and in base64
 *   pf-test-tool gen N             -> a recording of N events on stdout
 *   pf-test-tool tick N MS         -> N events MS milliseconds apart
 *   pf-test-tool time OUT CMD...   -> runs CMD, writes the microseconds
 *                                     from fork to its exit to OUT, and
 *                                     exits as it did (for make bench)
 */
#include <sys/wait.h>

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "pf_binpack.h"
#include "pf_buf.h"
#include "pf_joincode.h"
#include "pf_json.h"
#include "pf_jv.h"
#include "pf_jw.h"
#include "pf_p256.h"
#include "pf_reader.h"
#include "pf_sha256.h"
#include "pf_time.h"
#include "pf_writer.h"

static int
fail(const char *what, const struct pf_err *err)
{
	if (err->line)
		fprintf(stderr, "pf-test-tool: %s:%ld: %s\n", what, err->line,
		    err->msg);
	else
		fprintf(stderr, "pf-test-tool: %s: %s\n", what, err->msg);
	return 1;
}

static int
cmd_duration(const char *s)
{
	struct pf_err err;
	int64_t ms;

	if (pf_time_parse_duration(s, &ms, &err) < 0)
		return fail("duration", &err);
	printf("%" PRId64 "\n", ms);
	return 0;
}

static int
cmd_position(const char *s)
{
	struct pf_err err;
	struct pf_position pos;

	if (pf_time_parse_position(s, &pos, &err) < 0)
		return fail("position", &err);
	switch (pos.kind) {
	case PF_POS_OFFSET:
		printf("offset %" PRId64 "\n", pos.ms);
		break;
	case PF_POS_STEP:
		printf("step %s\n", pos.id);
		break;
	case PF_POS_NAV:
		printf("nav %ld\n", pos.nth);
		break;
	}
	pf_position_release(&pos);
	return 0;
}

static int
cmd_lines(const char *path, const char *max)
{
	struct pf_err err;
	struct pf_reader *r;
	struct pf_line line;
	int n;

	r = pf_reader_open(path, max ? strtoul(max, NULL, 10) : 0, &err);
	if (r == NULL)
		return fail(path, &err);
	while ((n = pf_reader_next(r, &line, &err)) > 0) {
		printf("%ld %s%s%s%s %zu: ", line.lineno,
		    line.flags & PF_LINE_CRLF ? "C" : "-",
		    line.flags & PF_LINE_NO_NEWLINE ? "N" : "-",
		    line.flags & PF_LINE_TOO_LONG ? "L" : "-",
		    line.flags & PF_LINE_BOM ? "B" : "-",
		    line.flags & PF_LINE_TOO_LONG ? line.full_len : line.len);
		fwrite(line.data, 1, line.len, stdout);
		putchar('\n');
	}
	if (pf_reader_gzip_truncated(r))
		printf("gzip truncated\n");
	pf_reader_free(r);
	if (n < 0)
		return fail(path, &err);
	return 0;
}

/* At each end of a followed file: 20 ms, then stop if the STOP file is. */
static int
follow_wait(void *ctx)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	nanosleep(&ts, NULL);
	return access(ctx, F_OK) == 0;
}

static void
follow_restart(void *ctx, int replaced)
{
	(void)ctx;
	printf("restart: %s\n", replaced ? "replaced" : "truncated");
	fflush(stdout);
}

static int
cmd_follow(const char *path, const char *stop)
{
	struct pf_err err;
	struct pf_reader *r;
	struct pf_line line;
	int n;

	r = pf_reader_open(path, 0, &err);
	if (r == NULL)
		return fail(path, &err);
	pf_reader_set_follow(r, follow_wait, (void *)stop);
	pf_reader_set_restart(r, follow_restart, NULL);
	while ((n = pf_reader_next(r, &line, &err)) > 0) {
		printf("%ld: %s\n", line.lineno, line.data);
		fflush(stdout);
	}
	pf_reader_free(r);
	if (n < 0)
		return fail(path, &err);
	return 0;
}

static int
cmd_write(int argc, char **argv)
{
	unsigned flags = 0;
	struct pf_err err;
	struct pf_writer *w;
	struct pf_reader *r;
	struct pf_line line;
	int i, n;

	for (i = 2; i < argc - 1; i++) {
		if (strcmp(argv[i], "-z") == 0)
			flags |= PF_WRITER_GZIP;
		else if (strcmp(argv[i], "-e") == 0)
			flags |= PF_WRITER_EACH;
		else if (strcmp(argv[i], "-a") == 0)
			flags |= PF_WRITER_APPEND;
	}
	w = pf_writer_open(argv[argc - 1], flags, &err);
	if (w == NULL)
		return fail(argv[argc - 1], &err);
	r = pf_reader_open("-", 0, &err);
	while ((n = pf_reader_next(r, &line, &err)) > 0)
		if (pf_writer_line(w, line.data, line.len, &err) < 0) {
			pf_reader_free(r);
			pf_writer_close(w, NULL);
			return fail("write", &err);
		}
	pf_reader_free(r);
	if (pf_writer_close(w, &err) < 0)
		return fail("close", &err);
	return 0;
}

/* Parses stdin with pf_jv: prints it compact, or the fault and where. */
static int
cmd_parse(const char *mode)
{
	static const char *const faults[] = {
		"ok", "syntax", "incomplete", "utf8", "nul", "duplicate",
		"not-object", "too-deep"
	};
	struct pf_buf in = PF_BUF_INIT, out = PF_BUF_INIT;
	struct pf_jv_parser *p = pf_jv_parser_new();
	enum pf_json_fault fault;
	const struct pf_jv *v;
	struct pf_err err;
	char chunk[4096];
	size_t n;

	while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
		pf_buf_add(&in, chunk, n);
	pf_buf_add(&in, "", 0);
	v = pf_jv_parse(p, in.data, in.len, strcmp(mode, "any") == 0 ?
	    PF_JSON_ANY : 0, &fault, &err);
	if (v) {
		pf_jv_dump(v, &out);
		printf("%s\n", out.data);
	} else {
		printf("%s %ld:%ld %s\n", faults[fault], err.line, err.column,
		    err.msg);
	}
	pf_buf_release(&in);
	pf_buf_release(&out);
	pf_jv_parser_free(p);
	return v ? 0 : 1;
}

/*
 * pf_jw: "jw-string FLAGS" escapes stdin (FLAGS: "-", "ascii", "script")
 * and prints the literal; "jw-real DIGITS V..." prints each V formatted;
 * "jw-record" prints a record with one member of each kind.
 */
static int
cmd_jw(int argc, char **argv)
{
	struct pf_buf in = PF_BUF_INIT, out = PF_BUF_INIT;
	char chunk[4096], num[32];
	struct pf_jw w;
	size_t n;
	int i;

	if (strcmp(argv[1], "jw-string") == 0) {
		unsigned flags = strcmp(argv[2], "ascii") == 0 ?
		    PF_JV_ESCAPE_ASCII : strcmp(argv[2], "script") == 0 ?
		    PF_JV_ESCAPE_SCRIPT : 0;

		while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0)
			pf_buf_add(&in, chunk, n);
		pf_jv_dump_string_flags(in.data ? in.data : "", in.len, flags,
		    &out);
		printf("%s\n", out.data);
	} else if (strcmp(argv[1], "jw-real") == 0) {
		for (i = 3; i < argc; i++)
			printf("%s\n", pf_jw_format_real(strtod(argv[i], NULL),
			    atoi(argv[2]), num, sizeof(num)));
	} else {
		pf_jw_init(&w, &out, 0);
		pf_jw_begin(&w, NULL);
		pf_jw_string(&w, "s", "a\"b");
		pf_jw_string(&w, "none", NULL);
		pf_jw_int(&w, "i", -9223372036854775807LL - 1);
		pf_jw_real(&w, "r", 1, 0);
		pf_jw_bool(&w, "t", 1);
		pf_jw_bool(&w, "f", 0);
		pf_jw_null(&w, "n");
		pf_jw_array_begin(&w, "a");
		pf_jw_int(&w, NULL, 1);
		pf_jw_begin(&w, NULL);
		pf_jw_end(&w);
		pf_jw_array_begin(&w, NULL);
		pf_jw_array_end(&w);
		pf_jw_string(&w, NULL, "x");
		pf_jw_array_end(&w);
		pf_jw_begin(&w, "o");
		pf_jw_real(&w, "nan", strtod("nan", NULL), 0);
		pf_jw_end(&w);
		pf_jw_end(&w);
		printf("%s\n", out.data);
	}
	pf_buf_release(&in);
	pf_buf_release(&out);
	return 0;
}

/*
 * A synthetic but valid recording of n events, shaped like a long workshop
 * run many times over: 1 s apart, a heartbeat every fourth event, the
 * presenter showing and doing 400 steps again and again with real Grafana
 * selectors, a new section every ten steps among 40 tutorial pages,
 * attendees asking and the presenter answering, joins and raised hands.
 */
static int
cmd_gen(const char *count)
{
	long n = strtol(count, NULL, 10), i;
	int64_t t = INT64_C(1773324000000);
	static const char *const sel[] = {
		"button[data-testid=\\\"data-testid Add new connection\\\"]",
		"input[data-testid=\\\"data-testid Datasource HTTP settings url\\\"]",
		"div[data-testid=\\\"data-testid panel content\\\"] canvas",
		"a[data-testid=\\\"data-testid Nav menu item\\\"][href=\\\"/explore\\\"]",
	};

	static const char *const questions[] = {
		"Should we use port 9090 or 9091?",
		"Save & test says Bad Gateway, what did I miss?",
		"What is the difference between rate() and irate()?",
		"Why [5m] and not [1m] in the range?",
		"Can the alert rule use the same query as the panel?",
		"Will the recording be shared afterwards?",
		"Where do I find the data source UID?",
		"How do I change the scrape interval?",
		"Is there a way to template the job label?",
		"Which unit should the panel use for bytes?",
		"Can I import this dashboard in Grafana Cloud?",
		"Why does Explore show no data for the last hour?",
		"How do recording rules differ from alert rules?",
		"What does the Pushgateway keep after a restart?",
		"Is histogram_quantile exact?",
		"How do I silence an alert during maintenance?",
	};
	static const char *const answers[] = {
		"9090 is the Prometheus server; 9091 is the Pushgateway.",
		"Use prometheus:9090 in the URL, not localhost.",
		"rate() averages the whole range, irate() uses two samples.",
		"The range should cover at least four scrape intervals.",
		"Yes, create the rule from the panel and it copies the query.",
		"Yes, I will post it in the channel today.",
		"It is in the URL of the data source settings page.",
		"Set scrape_interval in prometheus.yml and reload.",
		"Yes, with a variable of type query on label_values(job).",
		"Pick Data, bytes(IEC) in the standard options.",
		"Yes, export the JSON and import it there.",
		"Check the time range and the data source picker.",
		"Recording rules store a result, alert rules fire on one.",
		"Nothing unless persistence is switched on.",
		"No, it interpolates between bucket bounds.",
		"Create a silence from the alert's menu.",
	};
	enum { NQUESTIONS = sizeof(questions) / sizeof(*questions) };

	printf("{\"type\":\"session_start\",\"sessionId\":\"b3nch1\","
	    "\"timestamp\":%" PRId64 ",\"config\":{\"name\":\"Benchmark "
	    "workshop\",\"tutorialUrl\":\"https://grafana.com/tutorials/"
	    "bench/\",\"defaultMode\":\"guided\"}}\n", t);
	for (i = 1; i < n - 1; i++) {
		long phase = i / 8, step = phase % 400;

		t += 1000;
		switch (i % 8) {
		case 0:
		case 4:
			printf("{\"type\":\"heartbeat\",\"sessionId\":\"b3nch1\","
			    "\"timestamp\":%" PRId64 ",\"senderId\":"
			    "\"presenter\",\"sentAt\":%" PRId64 "}\n", t, t);
			break;
		case 1:
		case 2:
			printf("{\"type\":\"%s\",\"sessionId\":\"b3nch1\","
			    "\"timestamp\":%" PRId64 ",\"senderId\":\"presenter\","
			    "\"stepId\":\"step-%ld\",\"action\":{\"targetAction\":"
			    "\"highlight\",\"refTarget\":\"%s\",\"targetComment\":"
			    "\"Click <strong>here</strong> to continue\"},"
			    "\"coordinates\":{\"x\":%ld,\"y\":%ld}}\n",
			    i % 8 == 1 ? "show_me" : "do_it", t, step,
			    sel[step % 4], 100 + i % 500, 200 + i % 300);
			break;
		case 3:
			if (phase % 2 == 0)
				printf("{\"type\":\"chat_message\",\"sessionId\":"
				    "\"b3nch1\",\"timestamp\":%" PRId64 ","
				    "\"senderId\":\"att%03ld\",\"senderName\":"
				    "\"Attendee %ld\",\"message\":\"%s (step "
				    "%ld)\"}\n", t, i % 997, i % 997,
				    questions[phase / 2 % NQUESTIONS], step);
			else
				printf("{\"type\":\"chat_message\",\"sessionId\":"
				    "\"b3nch1\",\"timestamp\":%" PRId64 ","
				    "\"senderId\":\"presenter\",\"senderName\":"
				    "\"Tom Lindqvist\",\"message\":\"%s\"}\n", t,
				    answers[phase / 2 % NQUESTIONS]);
			break;
		case 5:
			if (phase % 10 == 0)
				printf("{\"type\":\"navigation\",\"sessionId\":"
				    "\"b3nch1\",\"timestamp\":%" PRId64 ","
				    "\"senderId\":\"presenter\",\"tutorialUrl\":"
				    "\"https://grafana.com/tutorials/bench/part-%ld/\","
				    "\"stepNumber\":1}\n", t, phase / 10 % 40);
			else
				printf("{\"type\":\"heartbeat\",\"sessionId\":"
				    "\"b3nch1\",\"timestamp\":%" PRId64 ","
				    "\"senderId\":\"presenter\",\"sentAt\":%"
				    PRId64 "}\n", t, t);
			break;
		case 6:
			printf("{\"type\":\"attendee_join\",\"timestamp\":%" PRId64
			    ",\"name\":\"Attendee %ld\",\"mode\":\"follow\"}\n",
			    t, i % 997);
			break;
		default:
			printf("{\"type\":\"hand_raise\",\"sessionId\":\"b3nch1\","
			    "\"timestamp\":%" PRId64 ",\"senderId\":\"att%03ld\","
			    "\"attendeeName\":\"Attendee %ld\",\"isRaised\":%s}\n",
			    t, i % 997, i % 997, i % 16 < 8 ? "true" : "false");
			break;
		}
	}
	printf("{\"type\":\"session_end\",\"sessionId\":\"b3nch1\","
	    "\"timestamp\":%" PRId64 ",\"reason\":\"presenter ended the "
	    "session\"}\n", t + 1000);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

/* A session_start and heartbeats every ms milliseconds: a metronome. */
static int
cmd_tick(const char *count, const char *ms)
{
	long n = strtol(count, NULL, 10), step = strtol(ms, NULL, 10), i;
	int64_t t = INT64_C(1773324000000);

	printf("{\"type\":\"session_start\",\"sessionId\":\"t1ck00\","
	    "\"timestamp\":%" PRId64 ",\"config\":{\"name\":\"Metronome\","
	    "\"tutorialUrl\":\"\",\"defaultMode\":\"guided\"}}\n", t);
	for (i = 1; i < n; i++)
		printf("{\"type\":\"heartbeat\",\"sessionId\":\"t1ck00\","
		    "\"timestamp\":%" PRId64 ",\"senderId\":\"presenter\","
		    "\"sentAt\":%" PRId64 "}\n", t + i * step, t + i * step);
	return fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1;
}

static int
cmd_pack(void)
{
	struct pf_jv_parser *p = pf_jv_parser_new();
	struct pf_buf out = PF_BUF_INIT;
	char *line = NULL;
	size_t cap = 0, i;
	ssize_t n;
	int rc = 0;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		enum pf_json_fault fault;
		struct pf_err err;
		const struct pf_jv *v;

		if (line[n - 1] == '\n')
			line[--n] = '\0';
		v = pf_jv_parse(p, line, (size_t)n, PF_JSON_ANY, &fault, &err);
		if (v == NULL) {
			rc = fail("pack", &err);
			continue;
		}
		pf_buf_reset(&out);
		pf_binpack_from_jv(v, &out);
		for (i = 0; i < out.len; i++)
			printf("%02x", (unsigned char)out.data[i]);
		putchar('\n');
	}
	free(line);
	pf_buf_release(&out);
	pf_jv_parser_free(p);
	return rc;
}

static int
cmd_unpack(void)
{
	struct pf_buf bin = PF_BUF_INIT, out = PF_BUF_INIT;
	char *line = NULL;
	size_t cap = 0, i;
	ssize_t n;
	int rc = 0;

	while ((n = getline(&line, &cap, stdin)) > 0) {
		struct pf_binpack_chunk ch;
		struct pf_err err;
		int r;

		pf_buf_reset(&bin);
		for (i = 0; i + 1 < (size_t)n && line[i] != '\n'; i += 2) {
			unsigned b;

			sscanf(line + i, "%2x", &b);
			pf_buf_addc(&bin, (char)b);
		}
		r = pf_binpack_chunk(bin.data, bin.len, &ch, &err);
		if (r == 1) {
			printf("chunk %" PRId64 " %" PRId64 "/%" PRId64 " %zu\n",
			    ch.id, ch.index, ch.total, ch.len);
			continue;
		}
		if (r == 2) {
			puts("close");
			continue;
		}
		pf_buf_reset(&out);
		if (r < 0 || pf_binpack_to_json(bin.data, bin.len, &out,
		    &err) < 0) {
			printf("error: %s\n", err.msg);
			rc = 1;
			continue;
		}
		printf("%s\n", pf_buf_str(&out));
	}
	free(line);
	pf_buf_release(&bin);
	pf_buf_release(&out);
	return rc;
}

static void
put_hex(const unsigned char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

/* Reads hex into out (at most max bytes); the number of bytes. */
static size_t
get_hex(const char *s, unsigned char *out, size_t max)
{
	size_t n = 0;
	unsigned b;

	while (n < max && sscanf(s + 2 * n, "%2x", &b) == 1)
		out[n++] = (unsigned char)b;
	return n;
}

static int
cmd_p256(int argc, char **argv)
{
	unsigned char spki[PF_P256_SPKI_LEN], sig[PF_P256_SIG_LEN];
	struct pf_err err;

	if (argc == 4 && strcmp(argv[2], "sign") == 0) {
		struct pf_p256_key *k = pf_p256_generate(&err);

		if (k == NULL)
			return fail("p256", &err);
		pf_p256_public_spki(k, spki);
		pf_p256_sign(k, argv[3], strlen(argv[3]), sig, &err);
		put_hex(spki, sizeof(spki));
		putchar(' ');
		put_hex(sig, sizeof(sig));
		putchar('\n');
		pf_p256_free(k);
		return 0;
	}
	if (argc == 6 && strcmp(argv[2], "verify") == 0) {
		size_t n = get_hex(argv[3], spki, sizeof(spki));
		int r;

		memset(sig, 0, sizeof(sig));
		get_hex(argv[5], sig, sizeof(sig));
		r = pf_p256_verify(spki, n, argv[4], strlen(argv[4]), sig, &err);
		if (r < 0)
			return fail("p256", &err);
		puts(r ? "good" : "bad");
		return r ? 0 : 1;
	}
	return 2;
}

static int
cmd_joincode(int argc, char **argv)
{
	struct pf_joincode jc;
	struct pf_err err;

	if (argc == 3) {
		if (pf_joincode_parse(argv[2], &jc, &err) < 0)
			return fail("joincode", &err);
		printf("%s\n%s\n%s\n%zu\n", jc.id, jc.name, jc.url,
		    jc.pubkey_len);
		pf_joincode_release(&jc);
		return 0;
	}
	if (argc == 7) {
		unsigned char spki[PF_P256_SPKI_LEN];
		char *code, *url;

		memset(spki, 0, sizeof(spki));
		get_hex(argv[5], spki, sizeof(spki));
		code = pf_joincode_make(argv[2], argv[3], argv[4], spki);
		url = pf_joincode_url(argv[6], code);
		printf("%s\n%s\n", code, url);
		free(code);
		free(url);
		return 0;
	}
	return 2;
}

/*
 * How long a command takes as its user waits for it, fork to exit, timed
 * here rather than by date(1) around it, whose own start would be counted.
 */
static int
cmd_time(const char *out, char **argv)
{
	struct timespec t0, t1;
	int status;
	pid_t pid;
	FILE *f;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0) {
		perror("pf-test-tool time: fork");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		fprintf(stderr, "pf-test-tool time: %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("pf-test-tool time: waitpid");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if ((f = fopen(out, "w")) == NULL) {
		perror(out);
		return 2;
	}
	fprintf(f, "%lld\n", (long long)(t1.tv_sec - t0.tv_sec) * 1000000 +
	    (t1.tv_nsec - t0.tv_nsec) / 1000);
	if (fclose(f) != 0) {
		perror(out);
		return 2;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int
main(int argc, char **argv)
{
	if (argc >= 3 && strcmp(argv[1], "duration") == 0)
		return cmd_duration(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "position") == 0)
		return cmd_position(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "lines") == 0)
		return cmd_lines(argv[2], argc > 3 ? argv[3] : NULL);
	if (argc >= 4 && strcmp(argv[1], "follow") == 0)
		return cmd_follow(argv[2], argv[3]);
	if (argc >= 3 && strcmp(argv[1], "write") == 0)
		return cmd_write(argc, argv);
	if (argc >= 3 && strcmp(argv[1], "parse") == 0)
		return cmd_parse(argv[2]);
	if ((argc == 3 && strcmp(argv[1], "jw-string") == 0) ||
	    (argc >= 3 && strcmp(argv[1], "jw-real") == 0) ||
	    (argc == 2 && strcmp(argv[1], "jw-record") == 0))
		return cmd_jw(argc, argv);
	if (argc == 2 && strcmp(argv[1], "parse-unterminated") == 0) {
		/* Breaks pf_jv_parse's precondition: "{}" with no NUL after. */
		static const char text[] = { '{', '}', 'x' };
		struct pf_jv_parser *p = pf_jv_parser_new();
		enum pf_json_fault fault;

		pf_jv_parse(p, text, 2, 0, &fault, NULL);
		pf_jv_parser_free(p);
		return 0;
	}
	if (argc == 3 && strcmp(argv[1], "sha256") == 0) {
		unsigned char d[32];
		struct pf_buf b = PF_BUF_INIT;

		pf_sha256(argv[2], strlen(argv[2]), d);
		put_hex(d, sizeof(d));
		pf_base64(d, sizeof(d), &b);
		printf(" %s\n", pf_buf_str(&b));
		pf_buf_release(&b);
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "p256") == 0)
		return cmd_p256(argc, argv);
	if (argc >= 3 && strcmp(argv[1], "joincode") == 0)
		return cmd_joincode(argc, argv);
	if (argc == 7 && strcmp(argv[1], "joincode-make") == 0)
		return cmd_joincode(argc, argv);
	if (argc == 2 && strcmp(argv[1], "pack") == 0)
		return cmd_pack();
	if (argc == 2 && strcmp(argv[1], "unpack") == 0)
		return cmd_unpack();
	if (argc == 5 && strcmp(argv[1], "chunk") == 0) {
		/* chunk ID TOTAL N: piece 0 of message ID, N bytes 0, 1, 2... */
		struct pf_buf out = PF_BUF_INIT;
		size_t i, n = strtoul(argv[4], NULL, 10);
		unsigned char *data = malloc(n + 1);

		for (i = 0; i < n; i++)
			data[i] = (unsigned char)i;
		pf_binpack_chunk_pack(strtoll(argv[2], NULL, 10), 0,
		    strtoll(argv[3], NULL, 10), data, n, &out);
		put_hex((const unsigned char *)out.data, out.len);
		putchar('\n');
		free(data);
		pf_buf_release(&out);
		return 0;
	}
	if (argc >= 3 && strcmp(argv[1], "gen") == 0)
		return cmd_gen(argv[2]);
	if (argc >= 4 && strcmp(argv[1], "tick") == 0)
		return cmd_tick(argv[2], argv[3]);
	if (argc >= 4 && strcmp(argv[1], "time") == 0)
		return cmd_time(argv[2], argv + 3);
	fprintf(stderr, "usage: pf-test-tool duration|position|lines|follow|"
	    "write|parse|gen|tick|time ARGS\n");
	return 2;
}
