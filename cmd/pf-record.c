/*
 * pf-record: capture a live stream of Pathfinder events from standard
 * input into a recording, losing nothing (the recorder is pf_record).
 * The tool reads standard input, and stops at its end, at a signal or at
 * --max-duration; it says what happened, and maps it to the exit status.
 * A new recording is written beside its target and renamed into place
 * with its first event, so an empty or failed run leaves an existing file
 * alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "pf_diag.h"
#include "pf_num.h"
#include "pf_outfile.h"
#include "pf_reader.h"
#include "pf_record.h"
#include "pf_redact.h"
#include "pf_time.h"
#include "pf_version.h"
#include "pf_writer.h"

/* After a stop signal, the ticks (100 ms) an output that blocks is given. */
#define STOP_GRACE_TICKS 10

struct record {
	/* options */
	struct pf_record_config cfg;
	const char *output;
	int gzip;
	int append;
	int tee;
	int64_t max_duration;	/* ms, 0: none */
	int redact;
	int quiet;

	/* state */
	struct pf_redact *redactor;
	struct pf_record *rec;
	int64_t start_ns;
	const char *stop_reason;
	int draining;		/* a stop signal came: read what is there */
	int stdin_flags;	/* to restore, if stdin_changed */
	int stdin_changed;
	int stdout_flags;	/* to restore, if stdout_changed */
	int stdout_changed;
};

static volatile sig_atomic_t interrupted;	/* any handler ran */
static volatile sig_atomic_t got_signal;	/* SIGINT, SIGTERM, SIGHUP */
static volatile sig_atomic_t stop_ticks;	/* ticks since got_signal */
static volatile sig_atomic_t give_up_output;	/* a blocked write may fail */

/*
 * A stop signal gives the output STOP_GRACE_TICKS ticks to take what is
 * left; after them, or at a second stop signal, a write that blocks (its
 * reader has stopped reading) fails instead of holding the recorder.
 */
static void
on_signal(int sig)
{
	if (sig == SIGALRM) {
		if (got_signal && ++stop_ticks >= STOP_GRACE_TICKS)
			give_up_output = 1;
	} else {
		if (got_signal)
			give_up_output = 1;
		got_signal = sig;
	}
	interrupted = 1;
}

static const char *
signal_name(int sig)
{
	return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" :
	    sig == SIGHUP ? "SIGHUP" : "a signal";
}

static const char usage_text[] =
"Usage: pf-record [OPTIONS]\n"
"Record a live stream of Pathfinder events from standard input.\n"
"\n"
"  -o, --output FILE        write the recording to FILE (default: stdout);\n"
"                           FILE.gz is written gzip-compressed\n"
"  -z, --gzip               gzip-compress the output\n"
"  -a, --append             continue the recording in FILE\n"
"      --tee                also copy each recorded event to stdout\n"
"      --fsync WHEN         always, interval (once a second) or never\n"
"                           (default never)\n"
"      --restamp            stamp every event with its arrival time\n"
"      --name NAME          session name, if a session_start is made up\n"
"      --tutorial-url URL   tutorial URL, if a session_start is made up\n"
"      --session-id ID      session id, if the stream carries none\n"
"      --mode MODE          default attendee mode: guided or follow\n"
"      --continue           go on after a session_end\n"
"      --no-heartbeat       drop heartbeat events\n"
"      --max-line BYTES     longest line accepted (default 1048576,\n"
"                           at most 268435456)\n"
"      --max-duration D     stop after D (e.g. 90m, 1h30m)\n"
"      --max-events N       stop after N events\n"
"      --redact             mask formfill values and secret-looking strings\n"
"      --redact-pattern ERE also mask what matches ERE (repeatable)\n"
"      --strict             stop at the first bad line\n"
"  -q, --quiet              errors only: no warnings, no summary\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"Exit status: 0 recorded, 1 some lines were rejected, 2 usage or I/O error.\n";

/* --- what the recorder tells ---------------------------------------------- */

/* The output as pf_writer names it, in messages about writing it. */
static const char *
output_name(const struct record *rc)
{
	return strcmp(rc->output, "-") == 0 ? "<stdout>" : rc->output;
}

static void
on_rejected(void *ctx, long line, const char *msg)
{
	(void)ctx;
	pf_diag_error("<stdin>:%ld: %s", line, msg);
}

static void
on_warning(void *ctx, long line, const char *msg)
{
	const struct record *rc = ctx;

	if (!rc->quiet)
		pf_diag_warn_at("<stdin>", line, "%s", msg);
}

static void
on_cut(void *ctx, const char *path, long long bytes)
{
	const struct record *rc = ctx;

	if (!rc->quiet)
		pf_diag_warn_at(path, 0,
		    "dropped a partial last line (%lld bytes)", bytes);
}

static void
on_copy_failed(void *ctx, const char *name, const struct pf_err *err)
{
	const struct record *rc = ctx;

	if (rc->quiet)
		return;
	if (err->errnum == EAGAIN || err->errnum == EWOULDBLOCK)
		pf_diag_warn_at(name, 0, "full, its reader is not keeping up; "
		    "no longer copying events");
	else
		pf_diag_warn_at(name, 0, "%s; no longer copying events",
		    err->msg);
}

static void
on_sync_failed(void *ctx, const struct pf_err *err)
{
	pf_diag_error("%s: %s", output_name(ctx), err->msg);
}

/* A failed write of the recording, unless it was told already. */
static void
report_write(const struct record *rc, const struct pf_err *err)
{
	if (err->kind == PF_ERR_NONE)
		return;
	if (err->errnum == EINTR && got_signal)
		pf_diag_error("%s: not being read; given up on %s, without a "
		    "session_end", output_name(rc), signal_name(got_signal));
	else
		pf_diag_error("%s: %s", output_name(rc), err->msg);
}

/* --- input -------------------------------------------------------------- */

/*
 * Makes the standard input non-blocking, to read what is there without
 * waiting for more; it is made blocking again at the end, as it was found,
 * for whoever reads it next.  0 or -1.
 */
static int
input_nonblocking(struct record *rc)
{
	int fl;

	if (rc->stdin_changed)
		return 0;
	fl = fcntl(0, F_GETFL);
	if (fl < 0 || fcntl(0, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	rc->stdin_flags = fl;
	rc->stdin_changed = 1;
	return 0;
}

/*
 * Reacts to a signal or the timer.  Returns 0 to go on, 1 to stop now.
 * A stop signal does not stop at once: what was sent before it is still
 * in the pipe, so the input turns non-blocking and is read to its dry end
 * (rc->draining) before the session_end is written.
 */
static int
on_interrupt(struct record *rc)
{
	interrupted = 0;
	if (got_signal && !rc->draining) {
		rc->draining = 1;
		rc->stop_reason = got_signal == SIGINT ? "interrupted (SIGINT)" :
		    got_signal == SIGTERM ? "terminated (SIGTERM)" :
		    "hangup (SIGHUP)";
		return input_nonblocking(rc) < 0 ? 1 : 0;
	}
	pf_record_tick(rc->rec);
	if (rc->max_duration &&
	    (pf_time_mono_ns() - rc->start_ns) / 1000000 >= rc->max_duration) {
		rc->stop_reason = "max-duration reached";
		return 1;
	}
	return 0;
}

/* --- options ------------------------------------------------------------ */

static int
parse_args(struct record *rc, int argc, char **argv)
{
	enum {
		OPT_TEE = 256, OPT_FSYNC, OPT_RESTAMP, OPT_TUTORIAL_URL,
		OPT_SESSION_ID, OPT_MODE, OPT_CONTINUE, OPT_NO_HEARTBEAT,
		OPT_MAX_LINE, OPT_MAX_DURATION, OPT_MAX_EVENTS, OPT_REDACT,
		OPT_REDACT_PATTERN, OPT_STRICT, OPT_NAME
	};
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "gzip", no_argument, NULL, 'z' },
		{ "append", no_argument, NULL, 'a' },
		{ "tee", no_argument, NULL, OPT_TEE },
		{ "fsync", required_argument, NULL, OPT_FSYNC },
		{ "restamp", no_argument, NULL, OPT_RESTAMP },
		{ "name", required_argument, NULL, OPT_NAME },
		{ "tutorial-url", required_argument, NULL, OPT_TUTORIAL_URL },
		{ "session-id", required_argument, NULL, OPT_SESSION_ID },
		{ "mode", required_argument, NULL, OPT_MODE },
		{ "continue", no_argument, NULL, OPT_CONTINUE },
		{ "no-heartbeat", no_argument, NULL, OPT_NO_HEARTBEAT },
		{ "max-line", required_argument, NULL, OPT_MAX_LINE },
		{ "max-duration", required_argument, NULL, OPT_MAX_DURATION },
		{ "max-events", required_argument, NULL, OPT_MAX_EVENTS },
		{ "redact", no_argument, NULL, OPT_REDACT },
		{ "redact-pattern", required_argument, NULL,
		    OPT_REDACT_PATTERN },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct pf_err err;
	int ch;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":o:zaqhV", longopts, NULL))
	    != -1) {
		switch (ch) {
		case 'o':
			rc->output = optarg;
			break;
		case 'z':
			rc->gzip = 1;
			break;
		case 'a':
			rc->append = 1;
			break;
		case OPT_TEE:
			rc->tee = 1;
			break;
		case OPT_FSYNC:
			if (strcmp(optarg, "always") == 0)
				rc->cfg.fsync = PF_RECORD_FSYNC_ALWAYS;
			else if (strcmp(optarg, "interval") == 0)
				rc->cfg.fsync = PF_RECORD_FSYNC_INTERVAL;
			else if (strcmp(optarg, "never") == 0)
				rc->cfg.fsync = PF_RECORD_FSYNC_NEVER;
			else {
				pf_diag_usage("--fsync: '%s' is not always, "
				    "interval or never", optarg);
				return -1;
			}
			break;
		case OPT_RESTAMP:
			rc->cfg.restamp = 1;
			break;
		case OPT_NAME:
			rc->cfg.name = optarg;
			break;
		case OPT_TUTORIAL_URL:
			rc->cfg.tutorial_url = optarg;
			break;
		case OPT_SESSION_ID:
			if (*optarg == '\0') {
				pf_diag_usage("--session-id: empty id");
				return -1;
			}
			rc->cfg.session_id = optarg;
			break;
		case OPT_MODE:
			if (strcmp(optarg, "guided") != 0 &&
			    strcmp(optarg, "follow") != 0) {
				pf_diag_usage("--mode: '%s' is not guided or "
				    "follow", optarg);
				return -1;
			}
			rc->cfg.mode = optarg;
			break;
		case OPT_CONTINUE:
			rc->cfg.cont = 1;
			break;
		case OPT_NO_HEARTBEAT:
			rc->cfg.no_heartbeat = 1;
			break;
		case OPT_MAX_LINE:
			if (pf_num_size(optarg, 1, PF_MAX_LINE_LIMIT,
			    &rc->cfg.max_line, &err) < 0) {
				pf_diag_usage("--max-line: %s", err.msg);
				return -1;
			}
			break;
		case OPT_MAX_DURATION:
			if (pf_time_parse_duration(optarg, &rc->max_duration,
			    &err) < 0) {
				pf_diag_usage("--max-duration: %s", err.msg);
				return -1;
			}
			if (rc->max_duration == 0) {
				pf_diag_usage("--max-duration: must be more "
				    "than 0");
				return -1;
			}
			break;
		case OPT_MAX_EVENTS:
			if (pf_num_long(optarg, 1, LONG_MAX,
			    &rc->cfg.max_events, &err) < 0) {
				pf_diag_usage("--max-events: %s", err.msg);
				return -1;
			}
			break;
		case OPT_REDACT:
			rc->redact = 1;
			break;
		case OPT_REDACT_PATTERN:
			rc->redact = 1;
			if (pf_redact_add_pattern(rc->redactor, optarg,
			    &err) < 0) {
				pf_diag_usage("--redact-pattern: %s", err.msg);
				return -1;
			}
			break;
		case OPT_STRICT:
			rc->cfg.strict = 1;
			break;
		case 'q':
			rc->quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		case 'V':
			printf("pf-record %s\n", PF_VERSION);
			return 1;
		default:
			return pf_diag_bad_option(ch, argv);
		}
	}
	if (optind < argc) {
		pf_diag_usage("unexpected argument '%s' (events come on "
		    "standard input)", argv[optind]);
		return -1;
	}
	if (rc->tee && strcmp(rc->output, "-") == 0) {
		pf_diag_usage("--tee needs --output FILE");
		return -1;
	}
	if (rc->append && strcmp(rc->output, "-") == 0) {
		pf_diag_usage("--append needs --output FILE");
		return -1;
	}
	{
		size_t len = strlen(rc->output);

		if (len > 3 && strcmp(rc->output + len - 3, ".gz") == 0)
			rc->gzip = 1;
	}
	return 0;
}

static void
install_handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a read must come back */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	/* A file size limit must be a write error, not a kill. */
	signal(SIGXFSZ, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
}

/*
 * A tick every 100 ms: the interval fsync, --max-duration and the grace
 * of a stuck output after a stop signal need it, and it bounds the wait
 * of a signal that lands between the check of the flag and the read or
 * write that would block.  Started once the output is open: opening a
 * FIFO waits for its reader, and a tick would cut that wait short.
 */
static void
start_ticks(void)
{
	struct itimerval it;

	it.it_interval.tv_sec = 0;
	it.it_interval.tv_usec = 100000;
	it.it_value = it.it_interval;
	setitimer(ITIMER_REAL, &it, NULL);
}

/*
 * The copy of --tee, on its own non-blocking descriptor where it can be
 * (Linux reopens a pipe or a terminal through /proc), else on stdout made
 * non-blocking until the end: a reader that stops reading must not stop
 * the recording.  A regular file never blocks: it is written as it is.
 */
static struct pf_writer *
open_tee(struct record *rc, struct pf_err *err)
{
	struct stat st;
	int fd, fl;

	/* Only a stdout open for writing: a closed one stays an error. */
	fl = fcntl(1, F_GETFL);
	if (fl >= 0 && (fl & O_ACCMODE) != O_RDONLY && fstat(1, &st) == 0 &&
	    (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode))) {
		fd = open("/proc/self/fd/1", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0)
			return pf_writer_fdopen(fd, "<stdout>", PF_WRITER_EACH,
			    err);
	}
	if (fstat(1, &st) == 0 && !S_ISREG(st.st_mode) &&
	    (fl = fcntl(1, F_GETFL)) >= 0 && !(fl & O_NONBLOCK) &&
	    fcntl(1, F_SETFL, fl | O_NONBLOCK) == 0) {
		rc->stdout_flags = fl;
		rc->stdout_changed = 1;
	}
	return pf_writer_fdopen(1, "<stdout>", PF_WRITER_EACH, err);
}

/*
 * Whether to finish the output and put it at its place: always once it
 * holds an event; before that, only if that replaces nothing and nothing
 * failed (an empty run creates an empty recording but leaves an existing
 * one exactly as it was).  Otherwise it is abandoned.
 */
static int
keep_output(const struct record *rc, const struct pf_record_state *st,
    int status)
{
	struct stat sb;

	if (st->published || rc->append || strcmp(rc->output, "-") == 0)
		return 1;
	if (status == 2 || st->output_failed)
		return 0;
	return stat(rc->output, &sb) < 0 || !S_ISREG(sb.st_mode);
}

/* 1 if the output is a regular file that is also the standard input. */
static int
output_is_stdin(const struct record *rc)
{
	struct stat st;

	return strcmp(rc->output, "-") != 0 && stat(rc->output, &st) == 0 &&
	    S_ISREG(st.st_mode) && pf_outfile_same_fd(rc->output, 0);
}

static void
summary(const struct record *rc, const struct pf_record_state *st)
{
	char dur[32];

	if (rc->quiet)
		return;
	pf_time_format_offset(st->duration_ms, dur, sizeof(dur));
	fprintf(stderr, "%s: %ld event%s, %s recorded, %ld line%s rejected",
	    pf_diag_prog(), st->events, st->events == 1 ? "" : "s", dur,
	    st->rejected, st->rejected == 1 ? "" : "s");
	if (st->dropped)
		fprintf(stderr, ", %ld dropped", st->dropped);
	fprintf(stderr, "\n");
}

/*
 * Waits for a non-blocking input (shared, inherited, or after a
 * session_end); the tick or a signal ends the wait, and so does the end
 * of the grace after a session_end.  0, or 1 when the grace is over.
 */
static int
wait_input(const struct record *rc)
{
	struct pf_record_state st;
	struct pollfd pfd = { 0, POLLIN, 0 };
	int ms = -1;

	pf_record_state(rc->rec, &st);
	if (st.ending) {
		int64_t left = st.end_deadline_ns - pf_time_mono_ns();

		if (left <= 0)
			return 1;
		ms = (int)((left + 999999) / 1000000);
	}
	poll(&pfd, 1, ms);
	return 0;
}

/*
 * Reads standard input into the recorder until it ends, a stop signal's
 * input runs dry, or the recorder or --max-duration stops.  Returns 0, or
 * 2 after a read error.
 */
static int
record_input(struct record *rc, struct pf_reader *in)
{
	struct pf_record_state st;
	struct pf_line line;
	struct pf_err err;
	int n, r;

	for (;;) {
		if (interrupted && on_interrupt(rc))
			return 0;
		n = pf_reader_next(in, &line, &err);
		if (n == 0) {
			if (!rc->draining)
				rc->stop_reason = "end of input";
			return 0;
		}
		if (n < 0) {
			if (err.errnum == EINTR)
				continue;
			if (err.errnum == EAGAIN || err.errnum == EWOULDBLOCK) {
				/* Once draining, all that was sent is
				 * recorded. */
				if (rc->draining || wait_input(rc))
					return 0;
				continue;
			}
			if (err.line)	/* a damaged gzip stream */
				pf_diag_error("<stdin>:%ld: %s", err.line,
				    err.msg);
			else
				pf_diag_error("<stdin>: %s", err.msg);
			rc->stop_reason = "read error";
			return 2;
		}
		r = pf_record_line(rc->rec, &line, &err);
		if (r < 0)
			report_write(rc, &err);
		if (r <= 0)
			return 0;
		/* The others of a session_end are read as they are there. */
		pf_record_state(rc->rec, &st);
		if (st.ending && input_nonblocking(rc) < 0)
			return 0;
	}
}

int
main(int argc, char **argv)
{
	static const struct pf_record_hooks hooks = {
		.rejected = on_rejected,
		.warning = on_warning,
		.cut = on_cut,
		.copy_failed = on_copy_failed,
		.sync_failed = on_sync_failed
	};
	struct record rc;
	struct pf_record_state st;
	struct pf_reader *in = NULL;
	struct pf_writer *w;
	struct pf_err err;
	int status = 0, r;
	unsigned flags;

	pf_diag_init(argv[0]);
	memset(&rc, 0, sizeof(rc));
	rc.output = "-";
	rc.cfg.name = "Recorded session";
	rc.cfg.tutorial_url = "";
	rc.cfg.mode = "guided";
	rc.cfg.max_line = PF_MAX_LINE_DEFAULT;
	rc.redactor = pf_redact_new();
	r = parse_args(&rc, argc, argv);
	if (r != 0) {
		status = r < 0 ? 2 : 0;
		goto out;
	}
	if (rc.redact)
		rc.cfg.redact = rc.redactor;
	rc.rec = pf_record_new(&rc.cfg, &hooks, &rc);
	if (output_is_stdin(&rc)) {
		pf_diag_error("%s: the output is the same file as the standard "
		    "input", rc.output);
		status = 2;
		goto out;
	}
	/* Before the output exists: a signal from then on ends it cleanly. */
	install_handlers();
	if (rc.append && pf_record_resume(rc.rec, rc.output, rc.gzip,
	    &err) < 0) {
		if (err.line)
			pf_diag_error("%s:%ld: %s", rc.output, err.line,
			    err.msg);
		else
			pf_diag_error("%s: %s", rc.output, err.msg);
		status = 2;
		goto out;
	}
	flags = PF_WRITER_EACH | (rc.gzip ? PF_WRITER_GZIP : 0) |
	    (rc.append ? PF_WRITER_APPEND : 0);
	w = pf_writer_open(rc.output, flags, &err);
	if (w == NULL) {
		pf_diag_error("%s: %s", rc.output, err.msg);
		status = 2;
		goto out;
	}
	/* An output that takes nothing cannot keep a stop signal waiting. */
	pf_writer_set_interrupt(w, &give_up_output);
	pf_record_set_output(rc.rec, w);
	start_ticks();
	if (rc.tee)
		pf_record_set_copy(rc.rec, open_tee(&rc, &err));
	in = pf_reader_fdopen(0, "<stdin>", rc.cfg.max_line, &err);
	pf_reader_set_interrupt(in, &interrupted);
	rc.start_ns = pf_time_mono_ns();
	status = record_input(&rc, in);
	if (pf_record_finish(rc.rec, rc.stop_reason, &err) < 0)
		report_write(&rc, &err);
	pf_record_state(rc.rec, &st);
	if (pf_record_close(rc.rec, keep_output(&rc, &st, status), &err) < 0)
		pf_diag_error("%s: %s", rc.output, err.msg);
	pf_record_state(rc.rec, &st);
	if (st.output_failed)
		status = 2;
	else if (status == 0 && st.rejected)
		status = 1;
	summary(&rc, &st);
out:
	if (rc.stdin_changed)
		fcntl(0, F_SETFL, rc.stdin_flags);
	if (rc.stdout_changed)
		fcntl(1, F_SETFL, rc.stdout_flags);
	pf_reader_free(in);
	pf_record_free(rc.rec);
	pf_redact_free(rc.redactor);
	if (pf_diag_close_stdout(1) && status == 0)
		status = 2;
	return status;
}
