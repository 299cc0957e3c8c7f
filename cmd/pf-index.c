/*
 * pf-index: a searchable library of recordings, with attendance.  The
 * database work is lib/pf_index.c, walking folders and archives
 * lib/pf_walk.c; this file parses the commands, prints rows as text, JSON
 * lines or CSV, and weighs outcomes into the exit status.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_diag.h"
#include "pf_index.h"
#include "pf_jw.h"
#include "pf_num.h"
#include "pf_time.h"
#include "pf_version.h"
#include "pf_walk.h"

#define MEMBER_MAX ((int64_t)256 * 1024 * 1024)
/* A member is held in memory whole: --max-member goes no higher. */
#define MEMBER_LIMIT ((int64_t)1024 * 1024 * 1024)

enum output {
	OUT_TEXT,
	OUT_JSON,
	OUT_CSV
};

struct index_cmd {
	struct pf_index *idx;
	const char *db;
	int quiet;
	int progress;
	enum output out;
	int prune;
	int64_t member_max;
	long limit;
	int64_t min_presence;
	double min_ratio;
	int64_t duration;	/* of the session shown */
	int color;
	long added, updated, unchanged, failed, seen;
	int db_failed;		/* stop: the next path would fail too */
	int status;
};

static const char usage_text[] =
"Usage: pf-index [--db FILE] COMMAND [ARGS]\n"
"Keep a searchable library of Pathfinder recordings.\n"
"\n"
"Commands:\n"
"  add [--prune] [--max-member BYTES] PATH...\n"
"                           index recordings, folders (recursively) and\n"
"                           archives (.tar, .tar.gz, .tgz, .zip)\n"
"  list [--json]            the sessions\n"
"  search [--limit N] [--json] QUERY...\n"
"                           full-text search of chat, steps, selectors,\n"
"                           tutorial URLs and session names\n"
"  show SESSION             a session's steps, questions and departures\n"
"  attendance [--json|--csv] [--min-presence D] [--min-ratio R] SESSION\n"
"                           per attendee: joins, presence, completion\n"
"  stats                    totals over the library\n"
"\n"
"Options:\n"
"      --db FILE            the database (default: $PF_INDEX, else\n"
"                           $XDG_DATA_HOME/pf/index.db)\n"
"  -q, --quiet              no progress, no summary, no warnings\n"
"  -h, --help               show this help and exit\n"
"  -V, --version            show the version and exit\n"
"\n"
"SESSION is the number 'list' shows, a session id, or a file.\n"
"Exit status: 0 done, 1 some inputs were not recordings or nothing matched,\n"
"2 usage, database or I/O error (an input that cannot be opened included).\n";

/* --- output helpers ----------------------------------------------------- */

/*
 * A shell word for s: 'quoted', with quotes inside escaped; a name with
 * control characters in it becomes bash's $'...', escaped, so that it
 * neither reaches the terminal raw nor loses a byte.
 */
static void
put_shell(const char *s)
{
	const char *p;
	int ctl = 0;

	for (p = s; *p; p++)
		ctl |= (unsigned char)*p < 0x20 || *p == 0x7f;
	if (ctl) {
		fputs("$'", stdout);
		for (p = s; *p; p++) {
			unsigned char c = (unsigned char)*p;

			if (c == '\'' || c == '\\')
				printf("\\%c", c);
			else if (c < 0x20 || c == 0x7f)
				printf("\\x%02x", c);
			else
				putchar(c);
		}
		putchar('\'');
		return;
	}
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

/*
 * A JSON line is built in a buffer and printed whole by json_line.
 * Non-ASCII is escaped, as it always was here; a recording's bytes that
 * are not UTF-8 come out as U+FFFD (see pf_jv_dump_string_flags).
 */
static void
json_begin(struct pf_jw *w, struct pf_buf *b)
{
	pf_buf_reset(b);
	pf_jw_init(w, b, PF_JV_ESCAPE_ASCII);
	pf_jw_begin(w, NULL);
}

static void
json_line(struct pf_jw *w)
{
	pf_jw_end(w);
	pf_buf_addc(w->out, '\n');
	fwrite(w->out->data, 1, w->out->len, stdout);
}

static void
date_of(const struct pf_index_session *s, char *buf, size_t n)
{
	if (s->relative)
		snprintf(buf, n, "(no date)");
	else
		pf_time_format_date(s->start, buf, n);
}

/* --- add ---------------------------------------------------------------- */

static void
on_skip(void *ctx, const char *name, long line, const char *why)
{
	const struct index_cmd *c = ctx;

	if (!c->quiet)
		pf_diag_warn_at(name, line, "passed over: %s", why);
}

/* Each file or member the walk met: counted, reported, weighed. */
static void
on_told(void *ctx, const char *name, enum pf_walk_outcome outcome,
    const struct pf_err *err)
{
	struct index_cmd *c = ctx;
	int status = 1;

	c->seen++;
	switch (outcome) {
	case PF_WALK_ADDED:
		c->added++;
		break;
	case PF_WALK_UPDATED:
		c->updated++;
		break;
	case PF_WALK_UNCHANGED:
		c->unchanged++;
		break;
	case PF_WALK_DB_FAILED:
		c->db_failed = 1;
		/* FALLTHROUGH */
	case PF_WALK_UNREADABLE:
		/* As grep: 2, and the other inputs are still indexed. */
		status = 2;
		/* FALLTHROUGH */
	case PF_WALK_FAILED:
		pf_diag_error("%s: %s", name, err->msg);
		c->failed++;
		if (c->status < status)
			c->status = status;
		break;
	}
	if (c->progress) {
		fprintf(stderr, "\r%s: %ld files seen", pf_diag_prog(), c->seen);
		fflush(stderr);
	}
}

static int
cmd_add(struct index_cmd *c, int argc, char **argv)
{
	struct pf_walk_options opt = { c->member_max, on_told, on_skip, c };
	struct pf_walk *w = pf_walk_new(c->idx, &opt);
	int i;

	c->progress = !c->quiet && isatty(2);
	/* A database that failed fails the next path too: stop there. */
	for (i = 0; i < argc && !c->db_failed; i++)
		pf_walk_add(w, argv[i]);
	if (c->progress)
		fputc('\n', stderr);
	if (c->prune && !c->db_failed) {
		struct pf_err err;
		long removed;

		if (pf_walk_prune(w, &removed, &err) < 0) {
			pf_diag_err(NULL, &err);
			pf_walk_free(w);
			return 2;
		}
		if (!c->quiet && removed)
			fprintf(stderr, "%s: %ld pruned\n", pf_diag_prog(),
			    removed);
	}
	pf_walk_free(w);
	if (!c->quiet)
		fprintf(stderr, "%s: %ld added, %ld updated, %ld unchanged, "
		    "%ld failed\n", pf_diag_prog(), c->added, c->updated,
		    c->unchanged, c->failed);
	return c->status;
}

/* --- list, search ------------------------------------------------------- */

static void
print_session_json(const struct pf_index_session *s)
{
	struct pf_buf b = PF_BUF_INIT;
	struct pf_jw w;
	char iso[40];

	json_begin(&w, &b);
	pf_jw_int(&w, "id", s->id);
	pf_jw_string(&w, "sessionId", s->session_id);
	pf_jw_string(&w, "name", s->name);
	pf_jw_string(&w, "presenter", s->presenter);
	if (s->relative)
		pf_jw_null(&w, "date");
	else {
		pf_time_format_iso8601(s->start, iso, sizeof(iso));
		pf_jw_string(&w, "date", iso);
	}
	pf_jw_int(&w, "duration", s->duration);
	pf_jw_int(&w, "events", s->events);
	pf_jw_int(&w, "steps", s->steps);
	pf_jw_int(&w, "attendees", s->attendees);
	pf_jw_int(&w, "questions", s->questions);
	pf_jw_string(&w, "file", s->file);
	json_line(&w);
	pf_buf_release(&b);
}

static int
list_row(void *ctx, const struct pf_index_session *s)
{
	struct index_cmd *c = ctx;
	char date[40], dur[32];

	c->seen++;
	if (c->out == OUT_JSON) {
		print_session_json(s);
		return 0;
	}
	date_of(s, date, sizeof(date));
	pf_time_format_offset(s->duration, dur, sizeof(dur));
	printf("%3" PRId64 "  %-16s  %7s  %3ld steps  %3ld attendees  ", s->id,
	    date, dur, s->steps, s->attendees);
	pf_diag_put_text(stdout, s->name);
	printf("  (");
	pf_diag_put_text(stdout, s->file);
	printf(")\n");
	return 0;
}

/*
 * The snippet with its match marks (bytes 0xFF, 0xFE) as brackets, or as
 * bold on a terminal; with escape set, control characters from the
 * recording are shown escaped, so only our own codes reach the terminal.
 */
static void
put_snippet(const struct index_cmd *c, const char *s, struct pf_buf *b,
    int escape)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == 0xff)
			pf_buf_adds(b, c->color && escape ? "\033[1m" : "[");
		else if (ch == 0xfe)
			pf_buf_adds(b, c->color && escape ? "\033[0m" : "]");
		else if (escape && ch == '\n')
			pf_buf_adds(b, "\\n");
		else if (escape && (ch < 0x20 || ch == 0x7f))
			pf_buf_addf(b, "\\x%02x", ch);
		else
			pf_buf_addc(b, (char)ch);
	}
}

/* The command that plays the session from the hit. */
static void
play_command(const struct pf_index_hit *h, const char *at)
{
	const char *file = h->session->file, *sep = strstr(file, "//");

	char *archive;

	if (sep == NULL) {
		printf("pf-play --from %s ", at);
		put_shell(file);
		return;
	}
	/* A member of an archive: have the archiver hand it over. */
	archive = pf_xmemdup(file, (size_t)(sep - file));
	printf("%s ", sep - file >= 4 && memcmp(sep - 4, ".zip", 4) == 0 ?
	    "unzip -p" : "tar -xOf");
	put_shell(archive);
	putchar(' ');
	put_shell(sep + 2);
	printf(" | pf-play --from %s -", at);
	free(archive);
}

static int
search_row(void *ctx, const struct pf_index_hit *h)
{
	struct index_cmd *c = ctx;
	struct pf_buf snip = PF_BUF_INIT;
	char at[32];

	c->seen++;
	pf_time_format_offset(h->offset, at, sizeof(at));
	if (c->out == OUT_JSON) {
		struct pf_buf b = PF_BUF_INIT;
		struct pf_jw w;
		char *cmd = NULL;
		size_t len = 0;
		FILE *save = stdout, *mem = open_memstream(&cmd, &len);

		put_snippet(c, h->snippet, &snip, 0);
		json_begin(&w, &b);
		pf_jw_int(&w, "session", h->session->id);
		pf_jw_string(&w, "sessionId", h->session->session_id);
		pf_jw_string(&w, "name", h->session->name);
		pf_jw_string(&w, "file", h->session->file);
		pf_jw_string(&w, "offset", at);
		pf_jw_int(&w, "offsetMs", h->offset);
		pf_jw_string(&w, "type", h->type);
		pf_jw_string(&w, "snippet", pf_buf_str(&snip));
		if (mem) {
			stdout = mem;
			play_command(h, at);
			stdout = save;
			fclose(mem);
			pf_jw_string(&w, "command", cmd);
			free(cmd);
		}
		json_line(&w);
		pf_buf_release(&b);
	} else {
		pf_diag_put_text(stdout, h->session->name);
		printf("  %s  %s  ", at, h->type);
		put_snippet(c, h->snippet, &snip, 1);
		fputs(pf_buf_str(&snip), stdout);
		printf("\n    ");
		play_command(h, at);
		putchar('\n');
	}
	pf_buf_release(&snip);
	return 0;
}

/* --- show, attendance, stats -------------------------------------------- */

static int
show_session(void *ctx, const struct pf_index_session *s)
{
	struct index_cmd *c = ctx;
	char date[40], dur[32];

	c->duration = s->duration;
	if (c->out != OUT_TEXT)
		return 0;
	date_of(s, date, sizeof(date));
	pf_time_format_offset(s->duration, dur, sizeof(dur));
	pf_diag_put_text(stdout, s->name);
	printf("\nsession ");
	pf_diag_put_text(stdout, s->session_id);
	if (s->presenter) {
		printf(", presented by ");
		pf_diag_put_text(stdout, s->presenter);
	}
	printf(", %s%s, %s\nfile ", date, s->relative ? "" : " UTC", dur);
	pf_diag_put_text(stdout, s->file);
	printf("\n%ld steps, %ld attendees, %ld questions, %ld events\n",
	    s->steps, s->attendees, s->questions, s->events);
	return 0;
}

static int
show_step(void *ctx, const struct pf_index_step *s)
{
	char at[32], dur[32];

	(void)ctx;
	pf_time_format_offset(s->offset, at, sizeof(at));
	pf_time_format_offset(s->duration, dur, sizeof(dur));
	printf("\n%3ld  %s  %s for %s  ", s->n, at, s->action, dur);
	pf_diag_put_text(stdout, s->tooltip ? s->tooltip : s->step_id);
	printf("\n     ");
	pf_diag_put_text(stdout, s->reftarget ? s->reftarget : "");
	if (s->hands)
		printf("\n     hands raised: %ld", s->hands);
	if (*s->left) {
		printf("\n     left during it: ");
		pf_diag_put_text(stdout, s->left);
	}
	putchar('\n');
	return 0;
}

static int
show_question(void *ctx, const struct pf_index_question *q)
{
	char at[32];

	(void)ctx;
	pf_time_format_offset(q->offset, at, sizeof(at));
	printf("     %s (step %ld) ", at, q->step);
	pf_diag_put_text(stdout, q->asker);
	printf(": ");
	pf_diag_put_text(stdout, q->question);
	if (q->answer) {
		printf("\n          ");
		pf_diag_put_text(stdout, q->answerer);
		printf(": ");
		pf_diag_put_text(stdout, q->answer);
	}
	putchar('\n');
	return 0;
}

static int
attendee_row(void *ctx, const struct pf_index_attendee *a)
{
	struct index_cmd *c = ctx;
	double ratio = c->duration > 0 ? (double)a->presence /
	    (double)c->duration : 0;
	int done = a->presence >= c->min_presence || ratio >= c->min_ratio;
	const char *name = a->name ? a->name : a->attendee_id;
	char pres[32];

	c->seen++;
	pf_time_format_offset(a->presence, pres, sizeof(pres));
	if (c->out == OUT_JSON) {
		struct pf_buf b = PF_BUF_INIT;
		struct pf_jw w;

		json_begin(&w, &b);
		pf_jw_string(&w, "name", a->name);
		pf_jw_string(&w, "id", a->attendee_id);
		pf_jw_int(&w, "joins", a->joins);
		pf_jw_int(&w, "presence", a->presence);
		/* Three decimals, in six digits as the lines have always had. */
		pf_jw_real(&w, "ratio",
		    (double)(long)(ratio * 1000 + 0.5) / 1000, 6);
		pf_jw_bool(&w, "completed", done);
		json_line(&w);
		pf_buf_release(&b);
	} else if (c->out == OUT_CSV) {
		const char *fields[2] = { a->name ? a->name : "",
		    a->attendee_id ? a->attendee_id : "" };
		int f;

		for (f = 0; f < 2; f++) {
			const char *p;

			/* RFC 4180, and no cell a spreadsheet would run. */
			putchar('"');
			if (strchr("=+-@\t\r", fields[f][0]) && fields[f][0])
				putchar('\'');
			for (p = fields[f]; *p; p++) {
				if (*p == '"')
					putchar('"');
				putchar(*p);
			}
			fputs("\",", stdout);
		}
		printf("%ld,%" PRId64 ",%.3f,%s\n", a->joins, a->presence,
		    ratio, done ? "yes" : "no");
	} else {
		pf_diag_put_text(stdout, name ? name : "?");
		printf("  joins %ld  present %s (%.0f%%)  %s\n", a->joins, pres,
		    ratio * 100, done ? "completed" : "not completed");
	}
	return 0;
}

static int
cmd_show(struct index_cmd *c, const char *spec, int attendance)
{
	struct pf_err err;
	int64_t id;

	char *real = realpath(spec, NULL);

	/* A file as given on the command line: the index knows it absolute. */
	if (real && pf_index_find(c->idx, real, &id, &err) == 0) {
		free(real);
		goto found;
	}
	free(real);
	if (pf_index_find(c->idx, spec, &id, &err) < 0) {
		pf_diag_err(NULL, &err);
		return 1;
	}
found:
	if (attendance) {
		if (pf_index_show(c->idx, id, show_session, NULL, NULL, NULL, c,
		    &err) < 0)
			goto fail;
		if (c->out == OUT_CSV)
			printf("name,id,joins,presence_ms,ratio,completed\n");
		if (pf_index_show(c->idx, id, NULL, NULL, NULL, attendee_row,
		    c, &err) < 0)
			goto fail;
		return 0;
	}
	if (pf_index_show(c->idx, id, show_session, show_step, NULL, NULL, c,
	    &err) < 0)
		goto fail;
	printf("\nquestions\n");
	if (pf_index_show(c->idx, id, NULL, NULL, show_question, NULL, c,
	    &err) < 0)
		goto fail;
	return 0;
fail:
	pf_diag_err(NULL, &err);
	return 2;
}

static int
cmd_stats(struct index_cmd *c)
{
	struct pf_index_stats s;
	struct pf_err err;
	char dur[32];

	if (pf_index_stats(c->idx, &s, &err) < 0) {
		pf_diag_err(NULL, &err);
		return 2;
	}
	if (c->out == OUT_JSON) {
		struct pf_buf b = PF_BUF_INIT;
		struct pf_jw w;

		json_begin(&w, &b);
		pf_jw_int(&w, "files", s.files);
		pf_jw_int(&w, "sessions", s.sessions);
		pf_jw_int(&w, "events", s.events);
		pf_jw_int(&w, "steps", s.steps);
		pf_jw_int(&w, "questions", s.questions);
		pf_jw_int(&w, "attendances", s.attendances);
		pf_jw_int(&w, "presenters", s.presenters);
		pf_jw_int(&w, "duration", s.duration);
		json_line(&w);
		pf_buf_release(&b);
		return 0;
	}
	pf_time_format_offset(s.duration, dur, sizeof(dur));
	printf("%ld sessions in %ld files, %s recorded\n%ld events, %ld steps, "
	    "%ld questions\n%ld attendances, %ld presenters\n", s.sessions,
	    s.files, dur, s.events, s.steps, s.questions, s.attendances,
	    s.presenters);
	return 0;
}

/* --- options ------------------------------------------------------------ */

static char *
default_db(void)
{
	const char *env = getenv("PF_INDEX"), *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char *dir, *path;

	if (env && *env)
		return pf_xstrdup(env);
	if (xdg && *xdg)
		dir = pf_xasprintf("%s/pf", xdg);
	else if (home && *home)
		dir = pf_xasprintf("%s/.local/share/pf", home);
	else
		return NULL;
	/* Make the folders on the way, as mkdir -p would. */
	for (char *p = dir + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
	}
	mkdir(dir, 0700);
	path = pf_xasprintf("%s/index.db", dir);
	free(dir);
	return path;
}

/*
 * Whether command takes option k (in the order of command_options' enum:
 * json, csv, prune, limit, min-presence, min-ratio, max-member).
 */
static int
allowed(const char *command, int k)
{
	static const struct {
		const char *command;
		const char *takes;	/* a digit per option it takes */
	} table[] = {
		{ "add", "26" },
		{ "list", "0" },
		{ "search", "03" },
		{ "show", "" },
		{ "attendance", "0145" },
		{ "stats", "0" },
	};
	size_t i;

	for (i = 0; i < sizeof(table) / sizeof(*table); i++)
		if (strcmp(command, table[i].command) == 0)
			return strchr(table[i].takes, '0' + k) != NULL;
	return 0;
}

/* Options of a command; returns the index of its first operand, or -1. */
static int
command_options(struct index_cmd *c, int argc, char **argv)
{
	enum { OPT_JSON = 256, OPT_CSV, OPT_PRUNE, OPT_LIMIT, OPT_MIN_PRESENCE,
		OPT_MIN_RATIO, OPT_MAX_MEMBER };
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "csv", no_argument, NULL, OPT_CSV },
		{ "prune", no_argument, NULL, OPT_PRUNE },
		{ "limit", required_argument, NULL, OPT_LIMIT },
		{ "min-presence", required_argument, NULL, OPT_MIN_PRESENCE },
		{ "min-ratio", required_argument, NULL, OPT_MIN_RATIO },
		{ "max-member", required_argument, NULL, OPT_MAX_MEMBER },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	struct pf_err err;
	char *end;
	int ch;

	/* 0, not 1: GNU getopt then forgets its permutation state too. */
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":q", longopts, NULL)) != -1) {
		if (ch >= OPT_JSON && ch <= OPT_MAX_MEMBER &&
		    !allowed(argv[0], ch - OPT_JSON)) {
			pf_diag_usage("%s does not take %s", argv[0],
			    argv[optind - 1]);
			return -1;
		}
		switch (ch) {
		case OPT_JSON:
			c->out = OUT_JSON;
			break;
		case OPT_CSV:
			c->out = OUT_CSV;
			break;
		case OPT_PRUNE:
			c->prune = 1;
			break;
		case OPT_LIMIT:
			if (pf_num_long(optarg, 1, INT_MAX, &c->limit,
			    &err) < 0) {
				pf_diag_usage("--limit: %s", err.msg);
				return -1;
			}
			break;
		case OPT_MAX_MEMBER: {
			long long v;

			if (pf_num_parse(optarg, 1, MEMBER_LIMIT, &v,
			    &err) < 0) {
				pf_diag_usage("--max-member: %s", err.msg);
				return -1;
			}
			c->member_max = v;
			break;
		}
		case OPT_MIN_PRESENCE:
			if (pf_time_parse_duration(optarg, &c->min_presence,
			    &err) < 0) {
				pf_diag_usage("--min-presence: %s", err.msg);
				return -1;
			}
			break;
		case OPT_MIN_RATIO:
			errno = 0;
			c->min_ratio = strtod(optarg, &end);
			if (errno || *end || end == optarg ||
			    !(c->min_ratio >= 0 && c->min_ratio <= 1)) {
				pf_diag_usage("--min-ratio: '%s' is not a number "
				    "from 0 to 1", optarg);
				return -1;
			}
			break;
		case 'q':
			c->quiet = 1;
			break;
		default:
			pf_diag_bad_option(ch, argv);
			return -1;
		}
	}
	return optind;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct index_cmd c;
	struct pf_err err;
	char *db = NULL, **args;
	const char *command;
	int ch, nargs, first, status = 0;

	pf_diag_init(argv[0]);
	memset(&c, 0, sizeof(c));
	c.limit = 20;
	c.min_presence = 30 * 60 * 1000;
	c.min_ratio = 0.5;
	c.member_max = MEMBER_MAX;
	c.color = pf_diag_color(1);
	opterr = 0;
	/* "+": options before the command only; the command has its own. */
	while ((ch = getopt_long(argc, argv, "+:qhV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			c.db = optarg;
			break;
		case 'q':
			c.quiet = 1;
			break;
		case 'h':
			fputs(usage_text, stdout);
			goto out;
		case 'V':
			printf("pf-index %s\n", PF_VERSION);
			goto out;
		default:
			status = 2;
			pf_diag_bad_option(ch, argv);
			goto out;
		}
	}
	if (optind >= argc) {
		pf_diag_usage("no command (add, list, search, show, attendance "
		    "or stats)");
		status = 2;
		goto out;
	}
	command = argv[optind];
	if (strcmp(command, "add") && strcmp(command, "list") &&
	    strcmp(command, "search") && strcmp(command, "show") &&
	    strcmp(command, "attendance") && strcmp(command, "stats")) {
		pf_diag_usage("unknown command '%s'", command);
		status = 2;
		goto out;
	}
	args = argv + optind;
	nargs = argc - optind;
	first = command_options(&c, nargs, args);
	if (first < 0) {
		status = 2;
		goto out;
	}
	args += first;
	nargs -= first;
	if ((strcmp(command, "show") == 0 || strcmp(command, "attendance") == 0)
	    && nargs != 1) {
		pf_diag_usage("%s: give one SESSION", command);
		status = 2;
		goto out;
	}
	if ((strcmp(command, "list") == 0 || strcmp(command, "stats") == 0) &&
	    nargs != 0) {
		pf_diag_usage("%s: unexpected argument '%s'", command, args[0]);
		status = 2;
		goto out;
	}
	if (strcmp(command, "add") == 0 && nargs == 0) {
		pf_diag_usage("add: give one or more recordings, folders or "
		    "archives");
		status = 2;
		goto out;
	}
	if (strcmp(command, "search") == 0 && nargs == 0) {
		pf_diag_usage("search: give the words to look for");
		status = 2;
		goto out;
	}
	if (c.db == NULL) {
		db = default_db();
		if (db == NULL) {
			pf_diag_usage("no database: set PF_INDEX, HOME or give "
			    "--db FILE");
			status = 2;
			goto out;
		}
		c.db = db;
	}
	c.idx = pf_index_open(c.db, strcmp(command, "add") == 0 ? 0 :
	    PF_INDEX_READONLY, &err);
	if (c.idx == NULL) {
		pf_diag_err(NULL, &err);
		status = 2;
		goto out;
	}
	if (strcmp(command, "add") == 0) {
		status = cmd_add(&c, nargs, args);
	} else if (strcmp(command, "list") == 0) {
		if (pf_index_list(c.idx, list_row, &c, &err) < 0) {
			pf_diag_err(NULL, &err);
			status = 2;
		}
	} else if (strcmp(command, "search") == 0) {
		struct pf_buf q = PF_BUF_INIT;
		int i;

		for (i = 0; i < nargs; i++) {
			if (i)
				pf_buf_addc(&q, ' ');
			pf_buf_adds(&q, args[i]);
		}
		if (pf_index_search(c.idx, pf_buf_str(&q), c.limit, search_row,
		    &c, &err) < 0) {
			pf_diag_err(NULL, &err);
			status = 2;
		} else if (c.seen == 0) {
			status = 1;	/* as grep: nothing matched */
		}
		pf_buf_release(&q);
	} else if (strcmp(command, "show") == 0) {
		status = cmd_show(&c, args[0], 0);
	} else if (strcmp(command, "attendance") == 0) {
		status = cmd_show(&c, args[0], 1);
	} else {
		status = cmd_stats(&c);
	}
out:
	pf_index_close(c.idx);
	free(db);
	if (pf_diag_close_stdout(1) && status == 0)
		status = 2;
	return status;
}
