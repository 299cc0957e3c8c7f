/*
 * pf-play: replay recordings in (scaled) real time.  Each event is written
 * at the moment it happened, counted from the start of playback and
 * divided by the speed, against absolute deadlines on the monotonic clock
 * so that lateness never accumulates.  Events go to stdout, to an HTTP
 * endpoint, or become Grafana annotations; with --no-wait a recording is
 * time-scaled into a new one instead.  The player is lib/pf_play; here are
 * its options, the terminal of --interactive, messages and exit status.
 */
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <termios.h>
#include <unistd.h>

#include "pf_alloc.h"
#include "pf_clock.h"
#include "pf_diag.h"
#include "pf_http.h"
#include "pf_play.h"
#include "pf_source.h"
#include "pf_time.h"
#include "pf_version.h"
#include "pf_writer.h"

struct play {
	/* options */
	struct pf_play_config cfg;
	struct pf_position from, to;
	char **types;		/* NULL-terminated, or NULL for all */
	char **exclude;
	int interactive;
	int quiet;
	int to_stdout;
	struct pf_http *post;
	struct pf_http *grafana;
	const char *dashboard_uid;

	/* --interactive */
	int tty;
	struct termios saved_tty;
	int tty_raw;

	struct pf_play *player;
	int status;
};

/* The number of the signal that asked playback to stop, or 0. */
static volatile sig_atomic_t stop_requested;

static void
on_signal(int sig)
{
	stop_requested = sig;
}

static const char usage_text[] =
"Usage: pf-play [OPTIONS] [FILE...]\n"
"Replay Pathfinder recordings in real time, or scaled.\n"
"\n"
"  -s, --speed F            play F times as fast (0.5, 2, ...); max: wait\n"
"                           for nothing but held-back repeats\n"
"  -i, --idle-limit D       shorten any gap longer than D (e.g. 5s)\n"
"      --from POS           start at POS: an offset (90s, 1:30), step:ID or\n"
"                           nav:N (the Nth navigation)\n"
"      --to POS             stop before POS\n"
"  -t, --types LIST         play only these event types (comma-separated)\n"
"  -x, --exclude-types LIST play all but these event types\n"
"      --keep-timestamps    leave the recorded timestamps as they are\n"
"  -n, --no-wait            write at once, timestamps scaled by --speed\n"
"      --min-repeat-gap D   keep repeated steps this far apart (default 500ms;\n"
"                           0 disables)\n"
"  -f, --follow             keep reading a recording that is being written\n"
"      --interactive        control playback from the terminal: space pauses,\n"
"                           + and - change the speed, n skips to the next\n"
"                           step, q quits\n"
"      --post URL           POST each event as JSON to URL\n"
"  -H, --header HEADER      add 'Name: value' to each POST (repeatable)\n"
"      --grafana URL        make each event a Grafana annotation\n"
"      --dashboard-uid UID  attach the annotations to a dashboard\n"
"      --stdout             also write events to stdout with --post/--grafana\n"
"      --stats              print timing statistics on stderr at the end\n"
"  -q, --quiet              errors only: no warnings\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"With no FILE, or when FILE is -, read standard input.\n"
"Environment: GRAFANA_TOKEN, or GRAFANA_USER and GRAFANA_PASSWORD.\n"
"Exit status: 0 played, 1 some events could not be delivered or inputs\n"
"failed, 2 usage or I/O error (an input that cannot be opened included),\n"
"128+N stopped by signal N (130 SIGINT).\n";

/* --- what a person hears of ---------------------------------------------- */

static void
show_state(void *ctx)
{
	struct play *pl = ctx;
	struct pf_play_state st;
	char pos[32];

	if (!pl->interactive || pl->tty < 0)
		return;
	pf_play_state(pl->player, &st);
	pf_time_format_offset(st.position_ms, pos, sizeof(pos));
	fprintf(stderr, "\r\033[K[%s %gx] %s  %ld events  (space pause, "
	    "+/- speed, n next step, q quit)", st.paused ? "paused" :
	    "playing", st.speed, pos, st.emitted);
	fflush(stderr);
}

static void
on_restart(void *ctx, const char *name, int replaced)
{
	pf_diag_error("%s: %s, playing from its start", name,
	    replaced ? "replaced" : "truncated");
}

static void
on_post_failed(void *ctx, const char *url, long line, const char *msg)
{
	pf_diag_error("POST %s: event of line %ld: %s", url, line, msg);
}

static void
on_skip(void *ctx, const char *name, long line, const char *why)
{
	struct play *pl = ctx;

	if (!pl->quiet)
		pf_diag_warn_at(name, line, "passed over: %s", why);
}

/*
 * Plays one input.  Returns 0, 1 to stop playing, -1 on an error
 * (reported; status 2 when it was the output's, or the input could not be
 * opened: as in every pf tool and grep, the other inputs are still played).
 */
static int
play_file(struct play *pl, const char *path)
{
	struct pf_source *src;
	struct pf_err err;
	int r;

	src = pf_source_open(path, 0, &err);
	if (src == NULL) {
		pf_diag_err(path, &err);
		pl->status = 2;
		return -1;
	}
	pf_source_set_skip(src, on_skip, pl);
	r = pf_play_source(pl->player, src, &err);
	if (r < 0 && pf_play_counts(pl->player)->output_failed) {
		pf_diag_err("<stdout>", &err);
		pl->status = 2;
	} else if (r < 0) {
		pf_diag_err(pf_source_name(src), &err);
		if (err.kind == PF_ERR_IO)
			pl->status = 2;
	}
	pf_source_free(src);
	return r;
}

/* --- options ------------------------------------------------------------ */

static char **
split_list(const char *s)
{
	size_t n = 1, i = 0;
	const char *p;
	char **list, *copy, *tok, *save = NULL;

	for (p = s; *p; p++)
		n += *p == ',';
	list = pf_xcalloc(n + 2, sizeof(*list));
	copy = pf_xstrdup(s);
	for (tok = strtok_r(copy, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save))
		list[i++] = pf_xstrdup(tok);
	free(copy);
	return list;
}

static void
free_list(char **list)
{
	char **p;

	if (list == NULL)
		return;
	for (p = list; *p; p++)
		free(*p);
	free(list);
}

static int
duration_opt(const char *opt, const char *s, int64_t *ms)
{
	struct pf_err err;

	if (pf_time_parse_duration(s, ms, &err) < 0) {
		pf_diag_usage("%s: %s", opt, err.msg);
		return -1;
	}
	return 0;
}

static int
http_opt(struct pf_http **h, const char *url)
{
	struct pf_err err;

	if (*h != NULL) {
		char *shown = pf_http_mask_url(url);

		pf_diag_usage("'%s': only one such URL may be given", shown);
		free(shown);
		return -1;
	}
	*h = pf_http_new(url, &err);
	if (*h == NULL) {
		pf_diag_usage("%s", err.msg);
		return -1;
	}
	return 0;
}

static int
parse_args(struct play *pl, int argc, char **argv, char ***headers)
{
	enum {
		OPT_FROM = 256, OPT_TO, OPT_KEEP, OPT_MIN_GAP, OPT_INTERACTIVE,
		OPT_POST, OPT_GRAFANA, OPT_DASHBOARD, OPT_STDOUT, OPT_STATS
	};
	static const struct option longopts[] = {
		{ "speed", required_argument, NULL, 's' },
		{ "idle-limit", required_argument, NULL, 'i' },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "to", required_argument, NULL, OPT_TO },
		{ "types", required_argument, NULL, 't' },
		{ "exclude-types", required_argument, NULL, 'x' },
		{ "keep-timestamps", no_argument, NULL, OPT_KEEP },
		{ "no-wait", no_argument, NULL, 'n' },
		{ "min-repeat-gap", required_argument, NULL, OPT_MIN_GAP },
		{ "follow", no_argument, NULL, 'f' },
		{ "interactive", no_argument, NULL, OPT_INTERACTIVE },
		{ "post", required_argument, NULL, OPT_POST },
		{ "header", required_argument, NULL, 'H' },
		{ "grafana", required_argument, NULL, OPT_GRAFANA },
		{ "dashboard-uid", required_argument, NULL, OPT_DASHBOARD },
		{ "stdout", no_argument, NULL, OPT_STDOUT },
		{ "stats", no_argument, NULL, OPT_STATS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct pf_err err;
	size_t nheaders = 0;
	int ch;

	*headers = pf_xcalloc((size_t)argc + 1, sizeof(**headers));
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":s:i:t:x:nfH:qhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 's':
			if (pf_clock_parse_speed(optarg, &pl->cfg.speed,
			    &err) < 0) {
				pf_diag_usage("--speed: %s", err.msg);
				return -1;
			}
			break;
		case 'i':
			if (duration_opt("--idle-limit", optarg,
			    &pl->cfg.idle_limit) < 0)
				return -1;
			break;
		case OPT_FROM:
		case OPT_TO: {
			struct pf_position *p = ch == OPT_FROM ? &pl->from :
			    &pl->to;

			pf_position_release(p);
			if (pf_time_parse_position(optarg, p, &err) < 0) {
				pf_diag_usage("%s: %s", ch == OPT_FROM ?
				    "--from" : "--to", err.msg);
				return -1;
			}
			if (ch == OPT_FROM) {
				pl->cfg.from = &pl->from;
				pl->cfg.from_arg = optarg;
			} else {
				pl->cfg.to = &pl->to;
				pl->cfg.to_arg = optarg;
			}
			break;
		}
		case 't':
			free_list(pl->types);
			pl->types = split_list(optarg);
			break;
		case 'x':
			free_list(pl->exclude);
			pl->exclude = split_list(optarg);
			break;
		case OPT_KEEP:
			pl->cfg.keep_timestamps = 1;
			break;
		case 'n':
			pl->cfg.no_wait = 1;
			break;
		case OPT_MIN_GAP:
			if (duration_opt("--min-repeat-gap", optarg,
			    &pl->cfg.min_repeat_gap) < 0)
				return -1;
			break;
		case 'f':
			pl->cfg.follow = 1;
			break;
		case OPT_INTERACTIVE:
			pl->interactive = 1;
			break;
		case OPT_POST:
			if (http_opt(&pl->post, optarg) < 0)
				return -1;
			break;
		case 'H':
			(*headers)[nheaders++] = optarg;
			break;
		case OPT_GRAFANA: {
			char *url;
			size_t len = strlen(optarg);
			int rc;

			if (strncmp(optarg, "http://", 7) != 0 &&
			    strncmp(optarg, "https://", 8) != 0) {
				url = pf_http_mask_url(optarg);
				pf_diag_usage("'%s' is not an http:// "
				    "or https:// URL", url);
				free(url);
				return -1;
			}
			while (len > 0 && optarg[len - 1] == '/')
				len--;
			url = pf_xasprintf("%.*s/api/annotations", (int)len,
			    optarg);
			rc = http_opt(&pl->grafana, url);
			free(url);
			if (rc < 0)
				return -1;
			break;
		}
		case OPT_DASHBOARD:
			pl->dashboard_uid = optarg;
			break;
		case OPT_STDOUT:
			pl->to_stdout = 1;
			break;
		case OPT_STATS:
			pl->cfg.stats = 1;
			break;
		case 'q':
			pl->quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			return 1;
		case 'V':
			printf("pf-play %s\n", PF_VERSION);
			return 1;
		default:
			return pf_diag_bad_option(ch, argv);
		}
	}
	if (nheaders && pl->post == NULL) {
		pf_diag_usage("--header goes with --post");
		return -1;
	}
	for (size_t i = 0; i < nheaders; i++)
		if (pf_http_add_header(pl->post, (*headers)[i], &err) < 0) {
			pf_diag_usage("--header: %s", err.msg);
			return -1;
		}
	if (pl->dashboard_uid && pl->grafana == NULL) {
		pf_diag_usage("--dashboard-uid goes with --grafana");
		return -1;
	}
	if (pl->cfg.no_wait && (pl->cfg.follow || pl->interactive)) {
		pf_diag_usage("--no-wait does not go with %s", pl->cfg.follow ?
		    "--follow" : "--interactive");
		return -1;
	}
	return 0;
}

/*
 * Credentials for --grafana come from the environment, never argv.
 * Returns 0, or -1 (reported) for a token that would break its header.
 */
static int
grafana_auth(struct play *pl)
{
	const char *token = getenv("GRAFANA_TOKEN");
	const char *user = getenv("GRAFANA_USER");
	const char *password = getenv("GRAFANA_PASSWORD");
	struct pf_err err;

	if (token && *token) {
		if (pf_http_set_bearer(pl->grafana, token, &err) < 0) {
			pf_diag_error("GRAFANA_TOKEN: %s", err.msg);
			return -1;
		}
	} else if (user && *user)
		pf_http_set_basic(pl->grafana, user, password ? password : "");
	else if (!pl->quiet)
		pf_diag_warn("--grafana: neither GRAFANA_TOKEN nor "
		    "GRAFANA_USER is set; sending without credentials");
	return 0;
}

static void
tty_open(struct play *pl)
{
	struct termios raw;

	pl->tty = open("/dev/tty", O_RDWR | O_CLOEXEC);
	if (pl->tty < 0) {
		if (!pl->quiet)
			pf_diag_warn("--interactive: no terminal; playing "
			    "without controls");
		return;
	}
	if (tcgetattr(pl->tty, &pl->saved_tty) == 0) {
		raw = pl->saved_tty;
		raw.c_lflag &= (tcflag_t)~(ICANON | ECHO);
		raw.c_cc[VMIN] = 0;
		raw.c_cc[VTIME] = 0;
		if (tcsetattr(pl->tty, TCSANOW, &raw) == 0)
			pl->tty_raw = 1;
	}
}

static void
tty_close(struct play *pl)
{
	if (pl->tty < 0)
		return;
	if (pl->tty_raw)
		tcsetattr(pl->tty, TCSANOW, &pl->saved_tty);
	fputs("\n", stderr);
	close(pl->tty);
	pl->tty = -1;
}

static void
print_stats(const struct play *pl)
{
	struct pf_play_stats st;
	char line[256];

	pf_play_stats(pl->player, &st);
	snprintf(line, sizeof(line), "%s: %ld events in %.3f s",
	    pf_diag_prog(), pf_play_counts(pl->player)->emitted, st.elapsed_s);
	if (st.late_count == 0) {
		fprintf(stderr, "%s (no waiting, no lateness measured)\n",
		    line);
		return;
	}
	fprintf(stderr, "%s; lateness mean %.3f ms, p99 %.3f ms, max %.3f ms\n",
	    line, st.late_mean_ms, st.late_p99_ms, st.late_max_ms);
}

static const char *
signal_name(int sig)
{
	switch (sig) {
	case SIGINT:
		return "SIGINT";
	case SIGTERM:
		return "SIGTERM";
	case SIGHUP:
		return "SIGHUP";
	}
	return "a signal";
}

/* One line: what a signal left played, delivered and cut short. */
static void
report_stop(const struct play *pl)
{
	const struct pf_play_counts *c = pf_play_counts(pl->player);
	char line[512];
	int n;

	n = snprintf(line, sizeof(line), "interrupted by %s: %ld event%s "
	    "played", signal_name(stop_requested), c->emitted,
	    c->emitted == 1 ? "" : "s");
	if (c->output_stuck)
		n += snprintf(line + n, sizeof(line) - (size_t)n,
		    ", %llu written whole", c->output_lines);
	if (pl->post || pl->grafana) {
		n += snprintf(line + n, sizeof(line) - (size_t)n,
		    ", %ld delivered", c->delivered);
		if (c->failed_posts)
			n += snprintf(line + n, sizeof(line) - (size_t)n,
			    ", %ld not", c->emitted - c->delivered);
		if (c->cut_line)
			n += snprintf(line + n, sizeof(line) - (size_t)n,
			    "; the POST of the event of line %ld was cut "
			    "short", c->cut_line);
	}
	if (c->output_stuck)
		snprintf(line + n, sizeof(line) - (size_t)n, "; the standard "
		    "output was not being read");
	pf_diag_error("%s", line);
}

int
main(int argc, char **argv)
{
	static char *stdin_only[] = { "-", NULL };
	static const struct pf_play_hooks hooks = {
		.restarted = on_restart,
		.post_failed = on_post_failed,
		.state = show_state,
	};
	struct play pl;
	struct sigaction sa;
	struct pf_err err;
	char **headers = NULL, **files;
	int r, i, output_closed;

	pf_diag_init(argv[0]);
	memset(&pl, 0, sizeof(pl));
	pl.cfg.speed = 1;
	pl.cfg.min_repeat_gap = PF_CLOCK_REPEAT_GAP;
	pl.tty = -1;
	r = parse_args(&pl, argc, argv, &headers);
	if (r != 0) {
		pl.status = r < 0 ? 2 : 0;
		goto out;
	}
	files = optind < argc ? argv + optind : stdin_only;
	if (pl.grafana && grafana_auth(&pl) < 0) {
		pl.status = 2;
		goto out;
	}
	pl.cfg.types = pl.types;
	pl.cfg.exclude = pl.exclude;
	pl.cfg.stop = &stop_requested;
	pl.player = pf_play_new(&pl.cfg, &hooks, &pl);
	pf_play_set_post(pl.player, pl.post);
	pf_play_set_grafana(pl.player, pl.grafana, pl.dashboard_uid);
	if ((pl.post == NULL && pl.grafana == NULL) || pl.to_stdout)
		pf_play_set_output(pl.player, pf_writer_fdopen(1, "<stdout>",
		    0, &err));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0;	/* no SA_RESTART: a blocked write comes back */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (pl.interactive) {
		tty_open(&pl);
		pf_play_set_keys(pl.player, pl.tty);
	}
#ifdef PR_SET_TIMERSLACK
	/*
	 * Linux may defer a timer by up to 50 us to batch wakeups; a player
	 * keeping millisecond deadlines asks it not to.
	 */
	if (!pl.cfg.no_wait)
		prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL);
#endif
	for (i = 0; files[i]; i++) {
		r = play_file(&pl, files[i]);
		if (r < 0 && pf_play_counts(pl.player)->output_failed)
			break;
		if (r < 0 && pl.status == 0)
			pl.status = 1;
		if (r > 0 || pf_play_over(pl.player))
			break;
	}
	tty_close(&pl);
	if (pf_play_finish(pl.player, &err) < 0) {
		pf_diag_err("<stdout>", &err);
		pl.status = 2;
	}
	if (pf_play_counts(pl.player)->failed_posts && pl.status == 0)
		pl.status = 1;
	if (pl.cfg.stats)
		print_stats(&pl);
	if (stop_requested) {
		report_stop(&pl);
		pl.status = 128 + stop_requested;
	}
out:
	output_closed = pl.player &&
	    pf_play_counts(pl.player)->output_closed;
	pf_play_free(pl.player);
	pf_http_free(pl.post);
	pf_http_free(pl.grafana);
	pf_position_release(&pl.from);
	pf_position_release(&pl.to);
	free_list(pl.types);
	free_list(pl.exclude);
	free(headers);
	if (pf_diag_close_stdout(1) && pl.status == 0 && !output_closed)
		pl.status = 2;
	return pl.status;
}
