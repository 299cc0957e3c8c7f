/*
 * pf_index: the SQLite side of pf-index: the schema and its migrations,
 * indexing one recording per transaction, and the queries.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_index.h"
#include "pf_map.h"
#include "pf_tutorial.h"

struct pf_index {
	sqlite3 *db;
	char *path;
};

/* Migrations: entry i takes user_version i to i + 1. */
static const char *const migrations[PF_INDEX_SCHEMA] = {
	"CREATE TABLE files ("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE,"
	"  size INTEGER NOT NULL,"
	"  mtime INTEGER NOT NULL,"
	"  hash TEXT NOT NULL);"
	"CREATE TABLE sessions ("
	"  id INTEGER PRIMARY KEY,"
	"  file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,"
	"  session_id TEXT NOT NULL,"
	"  name TEXT NOT NULL,"
	"  presenter TEXT,"
	"  tutorial_url TEXT NOT NULL,"
	"  start_ms INTEGER NOT NULL,"
	"  duration_ms INTEGER NOT NULL,"
	"  relative INTEGER NOT NULL,"
	"  events INTEGER NOT NULL,"
	"  steps INTEGER NOT NULL,"
	"  attendees INTEGER NOT NULL,"
	"  questions INTEGER NOT NULL);"
	"CREATE INDEX sessions_file ON sessions(file_id);"
	"CREATE INDEX sessions_session_id ON sessions(session_id);"
	"CREATE TABLE steps ("
	"  session INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
	"  n INTEGER NOT NULL,"
	"  step_id TEXT NOT NULL,"
	"  section TEXT NOT NULL,"
	"  action TEXT NOT NULL,"
	"  reftarget TEXT,"
	"  tooltip TEXT,"
	"  offset_ms INTEGER NOT NULL,"
	"  duration_ms INTEGER NOT NULL,"
	"  hands INTEGER NOT NULL,"
	"  left_names TEXT NOT NULL,"
	"  PRIMARY KEY (session, n)) WITHOUT ROWID;"
	"CREATE TABLE questions ("
	"  session INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
	"  step INTEGER NOT NULL,"
	"  offset_ms INTEGER NOT NULL,"
	"  asker TEXT, question TEXT, answerer TEXT, answer TEXT);"
	"CREATE INDEX questions_session ON questions(session);"
	"CREATE TABLE attendees ("
	"  session INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
	"  attendee_id TEXT,"
	"  name TEXT,"
	"  joins INTEGER NOT NULL,"
	"  presence_ms INTEGER NOT NULL,"
	"  joined_ms INTEGER NOT NULL,"
	"  left_ms INTEGER NOT NULL);"
	"CREATE INDEX attendees_session ON attendees(session);"
	"CREATE TABLE texts ("
	"  id INTEGER PRIMARY KEY,"
	"  session INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
	"  offset_ms INTEGER NOT NULL,"
	"  type TEXT NOT NULL,"
	"  body TEXT NOT NULL);"
	"CREATE INDEX texts_session ON texts(session);"
	"CREATE VIRTUAL TABLE texts_fts USING fts5(body, content='texts',"
	"  content_rowid='id', tokenize='unicode61 remove_diacritics 2');"
	"CREATE TRIGGER texts_ad AFTER DELETE ON texts BEGIN"
	"  INSERT INTO texts_fts(texts_fts, rowid, body)"
	"  VALUES ('delete', old.id, old.body);"
	"END;",
};

/*
 * The errno behind SQLite's last failure, or 0: SQLite keeps one only for
 * a file it could not open or an I/O error, and an older one otherwise.
 * Its own result code stays out of err.errnum, which is errno.
 */
static int
db_errno(struct pf_index *idx)
{
	int rc = sqlite3_errcode(idx->db) & 0xff;

	if (rc != SQLITE_CANTOPEN && rc != SQLITE_IOERR)
		return 0;
	return sqlite3_system_errno(idx->db);
}

/* Every failure of SQLite is PF_ERR_DB: the caller can tell it from its
 * input's. */
static int
db_fail(struct pf_index *idx, struct pf_err *err, const char *what)
{
	return pf_err_set(err, PF_ERR_DB, db_errno(idx), "%s: %s%s%s",
	    idx->path, what ? what : "", what ? ": " : "",
	    sqlite3_errmsg(idx->db));
}

/* Runs sql.  Returns SQLITE_OK, or SQLite's result code with err. */
static int
exec_rc(struct pf_index *idx, const char *sql, struct pf_err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(idx->db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		pf_err_set(err, PF_ERR_DB, db_errno(idx), "%s: %s",
		    idx->path, msg ? msg : sqlite3_errmsg(idx->db));
		sqlite3_free(msg);
	}
	return rc;
}

static int
exec(struct pf_index *idx, const char *sql, struct pf_err *err)
{
	return exec_rc(idx, sql, err) == SQLITE_OK ? 0 : -1;
}

static sqlite3_stmt *
prepare(struct pf_index *idx, const char *sql, struct pf_err *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v2(idx->db, sql, -1, &st, NULL) != SQLITE_OK) {
		db_fail(idx, err, NULL);
		return NULL;
	}
	return st;
}

static int
user_version(struct pf_index *idx, int *v, struct pf_err *err)
{
	sqlite3_stmt *st = prepare(idx, "PRAGMA user_version", err);

	if (st == NULL)
		return -1;
	*v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	return 0;
}

/*
 * Opens path for reading.  Reading the schema finds a file that is not
 * SQLite.  A WAL database needs its -shm file, which SQLite cannot make in
 * a folder the user cannot write ("attempt to write a readonly
 * database"): then it is opened immutable, read as it is on disk.
 */
static int
open_readonly(struct pf_index *idx, const char *path, struct pf_err *err)
{
	struct pf_buf uri = PF_BUF_INIT;
	const char *p;
	int rc;

	if (sqlite3_open_v2(path, &idx->db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK && exec(idx, "SELECT count(*) FROM sqlite_master",
	    err) == 0)
		return 0;
	if (sqlite3_errcode(idx->db) != SQLITE_READONLY &&
	    sqlite3_errcode(idx->db) != SQLITE_CANTOPEN)
		return db_fail(idx, err, NULL);
	sqlite3_close(idx->db);
	pf_buf_adds(&uri, "file:");
	for (p = path; *p; p++) {
		if (*p == '?' || *p == '#' || *p == '%')
			pf_buf_addf(&uri, "%%%02X", (unsigned char)*p);
		else
			pf_buf_addc(&uri, *p);
	}
	pf_buf_adds(&uri, "?immutable=1");
	rc = sqlite3_open_v2(pf_buf_str(&uri), &idx->db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_URI, NULL) == SQLITE_OK && exec(idx, "SELECT count(*) "
	    "FROM sqlite_master", err) == 0 ? 0 : db_fail(idx, err, NULL);
	pf_buf_release(&uri);
	return rc;
}

struct pf_index *
pf_index_open(const char *path, unsigned flags, struct pf_err *err)
{
	struct pf_index *idx = pf_xcalloc(1, sizeof(*idx));
	int v, i;

	idx->path = pf_xstrdup(path);
	if (flags & PF_INDEX_READONLY) {
		struct stat st;

		/*
		 * Reading creates nothing: a library not made yet reads as
		 * an empty one, made in memory.
		 */
		if (stat(path, &st) < 0 && errno == ENOENT) {
			flags &= ~(unsigned)PF_INDEX_READONLY;
			path = ":memory:";
		}
	}
	if (flags & PF_INDEX_READONLY) {
		if (open_readonly(idx, path, err) < 0)
			goto fail;
	} else if (sqlite3_open_v2(path, &idx->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		db_fail(idx, err, NULL);
		goto fail;
	}
	sqlite3_busy_timeout(idx->db, 30000);
	if (user_version(idx, &v, err) < 0)
		goto fail;
	if (v < 0) {
		pf_err_set(err, PF_ERR_DATA, 0, "%s: not a pf-index database, "
		    "or damaged (schema version %d)", path, v);
		goto fail;
	}
	if (v > PF_INDEX_SCHEMA) {
		pf_err_set(err, PF_ERR_DATA, 0, "%s: the database is of schema "
		    "version %d, newer than this pf-index knows (%d); use a "
		    "newer pf", path, v, PF_INDEX_SCHEMA);
		goto fail;
	}
	if (flags & PF_INDEX_READONLY) {
		if (v < PF_INDEX_SCHEMA) {
			pf_err_set(err, PF_ERR_DATA, 0, "%s: the database is "
			    "of schema version %d, older than this pf-index's "
			    "(%d): 'pf-index add' updates it", path, v,
			    PF_INDEX_SCHEMA);
			goto fail;
		}
		return idx;
	}
	/*
	 * Switching a new database to WAL takes an exclusive lock and does
	 * not wait for it as other statements do: two indexers starting at
	 * once would see "database is locked".  Wait here, as long as the
	 * busy timeout would.
	 */
	for (i = 0;; i++) {
		int rc = exec_rc(idx, "PRAGMA journal_mode=WAL", err) & 0xff;

		if (rc == SQLITE_OK)
			break;
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || i == 300)
			goto fail;
		sqlite3_sleep(100);
	}
	if (exec(idx, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
	    "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY", err) < 0)
		goto fail;
	if (v < PF_INDEX_SCHEMA) {
		/* Migrate under a write lock; another indexer may race us. */
		if (exec(idx, "BEGIN IMMEDIATE", err) < 0)
			goto fail;
		if (user_version(idx, &v, err) < 0) {
			exec(idx, "ROLLBACK", NULL);
			goto fail;
		}
		for (i = v; i < PF_INDEX_SCHEMA; i++) {
			char pragma[64];

			snprintf(pragma, sizeof(pragma),
			    "PRAGMA user_version=%d", i + 1);
			if (exec(idx, migrations[i], err) < 0 ||
			    exec(idx, pragma, err) < 0) {
				exec(idx, "ROLLBACK", NULL);
				goto fail;
			}
		}
		if (exec(idx, "COMMIT", err) < 0)
			goto fail;
	}
	return idx;
fail:
	pf_index_close(idx);
	return NULL;
}

void
pf_index_close(struct pf_index *idx)
{
	if (idx == NULL)
		return;
	sqlite3_close(idx->db);
	free(idx->path);
	free(idx);
}

/* --- adding ------------------------------------------------------------- */

static int
hash_file(const char *path, char out[17], struct pf_err *err)
{
	uint64_t h = PF_FNV1A64_INIT;
	char buf[65536];
	ssize_t k;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return pf_err_set(err, PF_ERR_IO, errno, "%s", strerror(errno));
	while ((k = read(fd, buf, sizeof(buf))) > 0)
		h = pf_fnv1a64(h, buf, (size_t)k);
	if (k < 0) {
		int e = errno;

		close(fd);
		return pf_err_set(err, PF_ERR_IO, e, "read error: %s",
		    strerror(e));
	}
	close(fd);
	snprintf(out, 17, "%016" PRIx64, h);
	return 0;
}

int
pf_index_is_current(struct pf_index *idx, const char *name, int64_t size,
    int64_t mtime)
{
	sqlite3_stmt *st = prepare(idx, "SELECT 1 FROM files WHERE name = ? "
	    "AND size = ? AND mtime = ?", NULL);
	int current;

	if (st == NULL)
		return 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, size);
	sqlite3_bind_int64(st, 3, mtime);
	current = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return current;
}

/* The stored hash of name into out (17 bytes); 1 found, 0 not, -1. */
static int
stored_hash(struct pf_index *idx, const char *name, char out[17],
    struct pf_err *err)
{
	sqlite3_stmt *st = prepare(idx, "SELECT hash FROM files WHERE name = ?",
	    err);
	int found = 0;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(out, 17, "%s", (const char *)sqlite3_column_text(st, 0));
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

#define BIND_TEXT(st, i, s) \
	sqlite3_bind_text((st), (i), (s), -1, SQLITE_STATIC)

static int
step_done(struct pf_index *idx, sqlite3_stmt *st, struct pf_err *err)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc != SQLITE_DONE)
		return db_fail(idx, err, NULL);
	return 0;
}

/*
 * Storing one model, a helper per table, in the order store() calls them.
 * Each prepares its statement once and steps it per row; the caller holds
 * the transaction, so a failure anywhere leaves nothing behind.
 */

/*
 * files: one row per indexed name, with the size, time and content hash
 * that let a later run pass over an unchanged file without reading it.
 * The old row goes first: its session and everything under it go with it
 * (ON DELETE CASCADE), which is how a changed file replaces its session.
 */
static int
store_file(struct pf_index *idx, const char *name, int64_t size,
    int64_t mtime, const char *hash, int64_t *file, struct pf_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((st = prepare(idx, "DELETE FROM files WHERE name = ?", err)) ==
	    NULL)
		return -1;
	BIND_TEXT(st, 1, name);
	rc = step_done(idx, st, err);
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	st = prepare(idx, "INSERT INTO files (name, size, mtime, hash) "
	    "VALUES (?, ?, ?, ?)", err);
	if (st == NULL)
		return -1;
	BIND_TEXT(st, 1, name);
	sqlite3_bind_int64(st, 2, size);
	sqlite3_bind_int64(st, 3, mtime);
	BIND_TEXT(st, 4, hash);
	rc = step_done(idx, st, err);
	*file = sqlite3_last_insert_rowid(idx->db);
	sqlite3_finalize(st);
	return rc;
}

/*
 * sessions: the recording's row, with its counts kept beside it so that
 * list and stats read one table instead of counting every step and
 * attendee again.
 */
static int
store_session(struct pf_index *idx, int64_t file, const struct pf_tutorial *t,
    int64_t *session, struct pf_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = prepare(idx, "INSERT INTO sessions (file_id, session_id, name, "
	    "presenter, tutorial_url, start_ms, duration_ms, relative, events, "
	    "steps, attendees, questions) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?)", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, file);
	BIND_TEXT(st, 2, t->id);
	BIND_TEXT(st, 3, t->title);
	if (t->presenter)
		BIND_TEXT(st, 4, t->presenter);
	BIND_TEXT(st, 5, t->tutorial_url ? t->tutorial_url : "");
	sqlite3_bind_int64(st, 6, t->start);
	sqlite3_bind_int64(st, 7, pf_tutorial_duration(t));
	sqlite3_bind_int(st, 8, t->relative);
	sqlite3_bind_int64(st, 9, t->events);
	sqlite3_bind_int64(st, 10, (int64_t)t->nsteps);
	sqlite3_bind_int64(st, 11, (int64_t)t->nattendees);
	sqlite3_bind_int64(st, 12, (int64_t)t->nqa);
	rc = step_done(idx, st, err);
	*session = sqlite3_last_insert_rowid(idx->db);
	sqlite3_finalize(st);
	return rc;
}

/*
 * steps: what show lists for each step, with the names of those who left
 * during it joined into one column, since they are only ever shown.
 */
static int
store_steps(struct pf_index *idx, int64_t session,
    const struct pf_tutorial *t, struct pf_err *err)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	st = prepare(idx, "INSERT INTO steps (session, n, step_id, section, "
	    "action, reftarget, tooltip, offset_ms, duration_ms, hands, "
	    "left_names) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", err);
	if (st == NULL)
		return -1;
	for (i = 0; i < t->nsteps && rc == 0; i++) {
		const struct pf_tut_step *s = &t->steps[i];
		struct pf_buf left = PF_BUF_INIT;
		size_t k;

		for (k = 0; k < s->nleft; k++) {
			if (k)
				pf_buf_adds(&left, ", ");
			pf_buf_adds(&left, s->left[k]);
		}
		sqlite3_bind_int64(st, 1, session);
		sqlite3_bind_int64(st, 2, (int64_t)i + 1);
		BIND_TEXT(st, 3, s->id);
		BIND_TEXT(st, 4, t->sections[s->section].title);
		BIND_TEXT(st, 5, s->a.action);
		if (s->a.reftarget)
			BIND_TEXT(st, 6, s->a.reftarget);
		if (s->a.tooltip)
			BIND_TEXT(st, 7, s->a.tooltip);
		sqlite3_bind_int64(st, 8, s->at);
		sqlite3_bind_int64(st, 9, s->duration);
		sqlite3_bind_int64(st, 10, s->hands);
		BIND_TEXT(st, 11, pf_buf_str(&left));
		rc = step_done(idx, st, err);
		pf_buf_release(&left);
	}
	sqlite3_finalize(st);
	return rc;
}

static int
add_text(struct pf_index *idx, sqlite3_stmt *st, int64_t session,
    int64_t offset, const char *type, const char *body, struct pf_err *err)
{
	if (body == NULL || *body == '\0')
		return 0;
	sqlite3_bind_int64(st, 1, session);
	sqlite3_bind_int64(st, 2, offset);
	BIND_TEXT(st, 3, type);
	BIND_TEXT(st, 4, body);
	return step_done(idx, st, err);
}

/*
 * texts and texts_fts: everything search finds, each text with the moment
 * and the event type it came from, so a hit can say where to play from:
 * the session's name, each tutorial page (at its first visit), what each
 * step says and where it points, and the chat.
 */
static int
store_texts(struct pf_index *idx, int64_t session,
    const struct pf_tutorial *t, struct pf_err *err)
{
	sqlite3_stmt *st;
	size_t i;
	int rc;

	st = prepare(idx, "INSERT INTO texts (session, offset_ms, type, body) "
	    "VALUES (?, ?, ?, ?)", err);
	if (st == NULL)
		return -1;
	rc = add_text(idx, st, session, 0, "session_start", t->title, err);
	for (i = 0; i < t->nsections && rc == 0; i++) {
		const struct pf_tut_section *sec = &t->sections[i];
		int64_t at = sec->nsteps ? t->steps[sec->first_step].at : 0;
		size_t k;

		/* A page visited again is found at its first visit. */
		for (k = 0; k < i; k++)
			if (strcmp(t->sections[k].url, sec->url) == 0)
				break;
		if (k == i)
			rc = add_text(idx, st, session, at, "navigation",
			    sec->url, err);
	}
	for (i = 0; i < t->nsteps && rc == 0; i++) {
		const struct pf_tut_step *s = &t->steps[i];
		struct pf_buf body = PF_BUF_INIT;
		size_t k;

		if (s->a.tooltip)
			pf_buf_addf(&body, "%s ", s->a.tooltip);
		if (s->a.reftarget)
			pf_buf_addf(&body, "%s ", s->a.reftarget);
		if (s->a.targetvalue)
			pf_buf_adds(&body, s->a.targetvalue);
		for (k = 0; k < s->ninternal; k++)
			pf_buf_addf(&body, " %s %s", s->internal[k].reftarget ?
			    s->internal[k].reftarget : "",
			    s->internal[k].targetvalue ?
			    s->internal[k].targetvalue : "");
		rc = add_text(idx, st, session, s->at, s->done ? "do_it" :
		    "show_me", pf_buf_str(&body), err);
		pf_buf_release(&body);
	}
	for (i = 0; i < t->nchat && rc == 0; i++) {
		struct pf_buf body = PF_BUF_INIT;

		pf_buf_addf(&body, "%s: %s", t->chat[i].name, t->chat[i].text);
		rc = add_text(idx, st, session, t->chat[i].at, "chat_message",
		    body.data, err);
		pf_buf_release(&body);
	}
	sqlite3_finalize(st);
	if (rc < 0)
		return -1;
	/*
	 * Index the session's texts in one statement: FTS5 builds a whole
	 * batch far faster than a row at a time through a trigger.
	 */
	st = prepare(idx, "INSERT INTO texts_fts(rowid, body) SELECT id, body "
	    "FROM texts WHERE session = ?", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, session);
	rc = step_done(idx, st, err);
	sqlite3_finalize(st);
	return rc;
}

/*
 * questions: each with its step and, once answered, the answer, for show;
 * kept in the order asked (rowid), which show keeps.
 */
static int
store_questions(struct pf_index *idx, int64_t session,
    const struct pf_tutorial *t, struct pf_err *err)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	st = prepare(idx, "INSERT INTO questions (session, step, offset_ms, "
	    "asker, question, answerer, answer) VALUES (?, ?, ?, ?, ?, ?, ?)",
	    err);
	if (st == NULL)
		return -1;
	for (i = 0; i < t->nqa && rc == 0; i++) {
		const struct pf_tut_qa *q = &t->qa[i];

		sqlite3_bind_int64(st, 1, session);
		sqlite3_bind_int64(st, 2, (int64_t)q->step);
		sqlite3_bind_int64(st, 3, q->at);
		BIND_TEXT(st, 4, q->asker);
		BIND_TEXT(st, 5, q->question);
		if (q->answerer) {
			BIND_TEXT(st, 6, q->answerer);
			BIND_TEXT(st, 7, q->answer);
		}
		rc = step_done(idx, st, err);
	}
	sqlite3_finalize(st);
	return rc;
}

/*
 * attendees: joins and presence per attendee, kept as measured rather than
 * as completed or not, so that attendance can weigh them against any
 * --min-presence and --min-ratio without indexing again.
 */
static int
store_attendees(struct pf_index *idx, int64_t session,
    const struct pf_tutorial *t, struct pf_err *err)
{
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	st = prepare(idx, "INSERT INTO attendees (session, attendee_id, name, "
	    "joins, presence_ms, joined_ms, left_ms) VALUES (?, ?, ?, ?, ?, ?, "
	    "?)", err);
	if (st == NULL)
		return -1;
	for (i = 0; i < t->nattendees && rc == 0; i++) {
		const struct pf_tut_attendee *a = &t->attendees[i];

		sqlite3_bind_int64(st, 1, session);
		if (a->id)
			BIND_TEXT(st, 2, a->id);
		if (a->name)
			BIND_TEXT(st, 3, a->name);
		sqlite3_bind_int64(st, 4, a->joins);
		sqlite3_bind_int64(st, 5, a->presence);
		sqlite3_bind_int64(st, 6, a->joined_at);
		sqlite3_bind_int64(st, 7, a->left_at);
		rc = step_done(idx, st, err);
	}
	sqlite3_finalize(st);
	return rc;
}

/* Writes the model of one file; the caller holds the transaction. */
static int
store(struct pf_index *idx, const char *name, int64_t size, int64_t mtime,
    const char *hash, const struct pf_tutorial *t, struct pf_err *err)
{
	int64_t file, session;

	if (store_file(idx, name, size, mtime, hash, &file, err) < 0 ||
	    store_session(idx, file, t, &session, err) < 0 ||
	    store_steps(idx, session, t, err) < 0 ||
	    store_texts(idx, session, t, err) < 0 ||
	    store_questions(idx, session, t, err) < 0 ||
	    store_attendees(idx, session, t, err) < 0)
		return -1;
	return 0;
}

/*
 * Indexes the recording src, known as name, unless its content is known.
 * 0, or -1 with err: src's fault (from pf_tutorial_read), or the
 * database's (PF_ERR_DB).
 */
static int
add_source(struct pf_index *idx, const char *name, struct pf_source *src,
    int64_t size, int64_t mtime, const char *hash,
    enum pf_index_outcome *outcome, struct pf_err *err)
{
	struct pf_tutorial *t = NULL;
	char old[17];
	int found, rc = -1;

	found = stored_hash(idx, name, old, err);
	if (found < 0)
		return -1;
	if (found && strcmp(old, hash) == 0) {
		/* Touched, not changed: remember the new size and time. */
		sqlite3_stmt *st = prepare(idx, "UPDATE files SET size = ?, "
		    "mtime = ? WHERE name = ?", err);

		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, size);
		sqlite3_bind_int64(st, 2, mtime);
		BIND_TEXT(st, 3, name);
		rc = step_done(idx, st, err);
		sqlite3_finalize(st);
		*outcome = PF_INDEX_TOUCHED;
		return rc;
	}
	/* Read outside the transaction: the write lock is held briefly. */
	t = pf_tutorial_read(src, NULL, err);
	if (t == NULL)
		goto out;
	if (exec(idx, "BEGIN IMMEDIATE", err) < 0)
		goto out;
	if (store(idx, name, size, mtime, hash, t, err) < 0) {
		exec(idx, "ROLLBACK", NULL);
		goto out;
	}
	if (exec(idx, "COMMIT", err) < 0) {
		exec(idx, "ROLLBACK", NULL);
		goto out;
	}
	*outcome = found ? PF_INDEX_UPDATED : PF_INDEX_ADDED;
	rc = 0;
out:
	pf_tutorial_free(t);
	return rc;
}

int
pf_index_add_path(struct pf_index *idx, const char *name, const char *path,
    int64_t size, int64_t mtime, pf_source_skip_fn *skip, void *skip_ctx,
    enum pf_index_outcome *outcome, struct pf_err *err)
{
	struct pf_source *src;
	char hash[17];
	int rc;

	if (hash_file(path, hash, err) < 0)
		return -1;
	src = pf_source_open(path, 0, err);
	if (src == NULL)
		return -1;
	pf_source_set_skip(src, skip, skip_ctx);
	rc = add_source(idx, name, src, size, mtime, hash, outcome, err);
	pf_source_free(src);
	return rc;
}

int
pf_index_add_memory(struct pf_index *idx, const char *name,
    const void *data, size_t n, int64_t mtime, pf_source_skip_fn *skip,
    void *skip_ctx, enum pf_index_outcome *outcome, struct pf_err *err)
{
	uint64_t h = PF_FNV1A64_INIT;
	struct pf_source *src;
	char hash[17];
	int rc;

	h = pf_fnv1a64(h, data, n);
	snprintf(hash, sizeof(hash), "%016" PRIx64, h);
	src = pf_source_memopen(data, n, name, 0, err);
	if (src == NULL)
		return -1;
	pf_source_set_skip(src, skip, skip_ctx);
	rc = add_source(idx, name, src, (int64_t)n, mtime, hash, outcome, err);
	pf_source_free(src);
	return rc;
}

int
pf_index_prune(struct pf_index *idx, int (*gone)(void *ctx, const char *name),
    void *ctx, long *removed, struct pf_err *err)
{
	sqlite3_stmt *st = prepare(idx, "SELECT name FROM files ORDER BY name",
	    err);
	sqlite3_stmt *del = NULL;
	char **names = NULL;
	size_t n = 0, i;
	int rc = -1;

	*removed = 0;
	if (st == NULL)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);

		if (gone(ctx, name)) {
			names = pf_xrealloc(names, (n + 1) * sizeof(*names));
			names[n++] = pf_xstrdup(name);
		}
	}
	sqlite3_finalize(st);
	if (exec(idx, "BEGIN IMMEDIATE", err) < 0)
		goto out;
	del = prepare(idx, "DELETE FROM files WHERE name = ?", err);
	if (del == NULL) {
		exec(idx, "ROLLBACK", NULL);
		goto out;
	}
	for (i = 0; i < n; i++) {
		BIND_TEXT(del, 1, names[i]);
		if (step_done(idx, del, err) < 0) {
			exec(idx, "ROLLBACK", NULL);
			goto out;
		}
		*removed += sqlite3_changes(idx->db) > 0;
	}
	rc = exec(idx, "COMMIT", err);
out:
	sqlite3_finalize(del);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

/* --- queries ------------------------------------------------------------ */

#define SESSION_COLUMNS \
	"s.id, s.session_id, s.name, s.presenter, s.tutorial_url, f.name, " \
	"s.start_ms, s.duration_ms, s.relative, s.events, s.steps, " \
	"s.attendees, s.questions"

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Reads SESSION_COLUMNS starting at column i. */
static void
read_session(sqlite3_stmt *st, int i, struct pf_index_session *s)
{
	s->id = sqlite3_column_int64(st, i);
	s->session_id = col_text(st, i + 1);
	s->name = col_text(st, i + 2);
	s->presenter = col_text(st, i + 3);
	s->tutorial_url = col_text(st, i + 4);
	s->file = col_text(st, i + 5);
	s->start = sqlite3_column_int64(st, i + 6);
	s->duration = sqlite3_column_int64(st, i + 7);
	s->relative = sqlite3_column_int(st, i + 8);
	s->events = (long)sqlite3_column_int64(st, i + 9);
	s->steps = (long)sqlite3_column_int64(st, i + 10);
	s->attendees = (long)sqlite3_column_int64(st, i + 11);
	s->questions = (long)sqlite3_column_int64(st, i + 12);
}

int
pf_index_list(struct pf_index *idx, pf_index_session_fn *fn, void *ctx,
    struct pf_err *err)
{
	sqlite3_stmt *st = prepare(idx, "SELECT " SESSION_COLUMNS " FROM "
	    "sessions s JOIN files f ON f.id = s.file_id "
	    "ORDER BY s.start_ms DESC, f.name", err);
	int rc;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct pf_index_session s;

		read_session(st, 0, &s);
		if (fn(ctx, &s) < 0)
			break;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(idx, err, NULL);
	return 0;
}

/* The words of q, each quoted, so FTS5 takes them as plain text. */
static char *
fts_query(const char *q)
{
	struct pf_buf b = PF_BUF_INIT;

	while (*q) {
		size_t n;

		q += strspn(q, " \t\r\n");
		n = strcspn(q, " \t\r\n");
		if (n == 0)
			break;
		if (b.len)
			pf_buf_addc(&b, ' ');
		pf_buf_addc(&b, '"');
		for (size_t i = 0; i < n; i++) {
			if (q[i] == '"')
				pf_buf_addc(&b, '"');
			pf_buf_addc(&b, q[i]);
		}
		pf_buf_addc(&b, '"');
		q += n;
	}
	return pf_buf_detach(&b, NULL);
}

int
pf_index_search(struct pf_index *idx, const char *query, long limit,
    pf_index_hit_fn *fn, void *ctx, struct pf_err *err)
{
	char *q = fts_query(query);
	sqlite3_stmt *st = NULL;
	int rc = -1, r;

	if (*q == '\0') {
		pf_err_set(err, PF_ERR_USAGE, 0, "empty search");
		goto out;
	}
	/*
	 * The newest matches first, cut to the limit by FTS5 itself, which
	 * walks its index in rowid order (ranking would score every match:
	 * tens of milliseconds for a common word in a big library).  The
	 * hits kept are shown by session, in the order they happened, each
	 * with its snippet made by rowid.
	 */
	st = prepare(idx, "WITH hits AS (SELECT rowid AS id FROM texts_fts "
	    "WHERE texts_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2) "
	    "SELECT " SESSION_COLUMNS ", t.offset_ms, t.type, "
	    "(SELECT snippet(texts_fts, 0, CAST(X'FF' AS TEXT), "
	    "CAST(X'FE' AS TEXT), '...', 12) "
	    "FROM texts_fts WHERE texts_fts MATCH ?1 AND rowid = hits.id) "
	    "FROM hits JOIN texts t ON t.id = hits.id "
	    "JOIN sessions s ON s.id = t.session "
	    "JOIN files f ON f.id = s.file_id "
	    "ORDER BY s.start_ms DESC, s.id DESC, t.offset_ms, t.id", err);
	if (st == NULL)
		goto out;
	BIND_TEXT(st, 1, q);
	sqlite3_bind_int64(st, 2, limit);
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		struct pf_index_session s;
		struct pf_index_hit h;

		read_session(st, 0, &s);
		h.session = &s;
		h.offset = sqlite3_column_int64(st, 13);
		h.type = col_text(st, 14);
		h.snippet = col_text(st, 15);
		if (fn(ctx, &h) < 0)
			break;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		db_fail(idx, err, "search");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	free(q);
	return rc;
}

int
pf_index_find(struct pf_index *idx, const char *spec, int64_t *id,
    struct pf_err *err)
{
	sqlite3_stmt *st;
	char *end;
	long long n = strtoll(spec, &end, 10);
	int found = 0;

	st = prepare(idx, "SELECT s.id FROM sessions s JOIN files f ON "
	    "f.id = s.file_id WHERE s.id = ? OR s.session_id = ? OR f.name = ? "
	    "ORDER BY s.id", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, *end == '\0' && end != spec ? n : -1);
	BIND_TEXT(st, 2, spec);
	BIND_TEXT(st, 3, spec);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (found++ == 0)
			*id = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	if (found == 0)
		return pf_err_set(err, PF_ERR_DATA, 0, "no session '%s' in the "
		    "index", spec);
	if (found > 1)
		return pf_err_set(err, PF_ERR_DATA, 0, "'%s' names %d sessions; "
		    "give the number from 'pf-index list'", spec, found);
	return 0;
}

int
pf_index_show(struct pf_index *idx, int64_t id, pf_index_session_fn *sfn,
    pf_index_step_fn *stfn, pf_index_question_fn *qfn,
    pf_index_attendee_fn *afn, void *ctx, struct pf_err *err)
{
	sqlite3_stmt *st;

	st = prepare(idx, "SELECT " SESSION_COLUMNS " FROM sessions s JOIN "
	    "files f ON f.id = s.file_id WHERE s.id = ?", err);
	if (st == NULL)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (sqlite3_step(st) == SQLITE_ROW && sfn) {
		struct pf_index_session s;

		read_session(st, 0, &s);
		sfn(ctx, &s);
	}
	sqlite3_finalize(st);
	if (stfn) {
		st = prepare(idx, "SELECT n, step_id, section, action, "
		    "reftarget, tooltip, offset_ms, duration_ms, hands, "
		    "left_names FROM steps WHERE session = ? ORDER BY n", err);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW) {
			struct pf_index_step s;

			s.n = (long)sqlite3_column_int64(st, 0);
			s.step_id = col_text(st, 1);
			s.section = col_text(st, 2);
			s.action = col_text(st, 3);
			s.reftarget = col_text(st, 4);
			s.tooltip = col_text(st, 5);
			s.offset = sqlite3_column_int64(st, 6);
			s.duration = sqlite3_column_int64(st, 7);
			s.hands = (long)sqlite3_column_int64(st, 8);
			s.left = col_text(st, 9);
			stfn(ctx, &s);
		}
		sqlite3_finalize(st);
	}
	if (qfn) {
		st = prepare(idx, "SELECT step, offset_ms, asker, question, "
		    "answerer, answer FROM questions WHERE session = ? "
		    "ORDER BY rowid", err);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW) {
			struct pf_index_question q;

			q.step = (long)sqlite3_column_int64(st, 0);
			q.offset = sqlite3_column_int64(st, 1);
			q.asker = col_text(st, 2);
			q.question = col_text(st, 3);
			q.answerer = col_text(st, 4);
			q.answer = col_text(st, 5);
			qfn(ctx, &q);
		}
		sqlite3_finalize(st);
	}
	if (afn) {
		st = prepare(idx, "SELECT attendee_id, name, joins, presence_ms, "
		    "joined_ms, left_ms FROM attendees WHERE session = ? "
		    "ORDER BY rowid", err);
		if (st == NULL)
			return -1;
		sqlite3_bind_int64(st, 1, id);
		while (sqlite3_step(st) == SQLITE_ROW) {
			struct pf_index_attendee a;

			a.attendee_id = col_text(st, 0);
			a.name = col_text(st, 1);
			a.joins = (long)sqlite3_column_int64(st, 2);
			a.presence = sqlite3_column_int64(st, 3);
			a.joined = sqlite3_column_int64(st, 4);
			a.left = sqlite3_column_int64(st, 5);
			afn(ctx, &a);
		}
		sqlite3_finalize(st);
	}
	return 0;
}

int
pf_index_stats(struct pf_index *idx, struct pf_index_stats *s,
    struct pf_err *err)
{
	sqlite3_stmt *st = prepare(idx, "SELECT (SELECT count(*) FROM files), "
	    "count(*), coalesce(sum(events), 0), coalesce(sum(steps), 0), "
	    "coalesce(sum(questions), 0), coalesce(sum(attendees), 0), "
	    "count(DISTINCT presenter), coalesce(sum(duration_ms), 0) "
	    "FROM sessions", err);

	if (st == NULL)
		return -1;
	memset(s, 0, sizeof(*s));
	if (sqlite3_step(st) == SQLITE_ROW) {
		s->files = (long)sqlite3_column_int64(st, 0);
		s->sessions = (long)sqlite3_column_int64(st, 1);
		s->events = (long)sqlite3_column_int64(st, 2);
		s->steps = (long)sqlite3_column_int64(st, 3);
		s->questions = (long)sqlite3_column_int64(st, 4);
		s->attendances = (long)sqlite3_column_int64(st, 5);
		s->presenters = (long)sqlite3_column_int64(st, 6);
		s->duration = sqlite3_column_int64(st, 7);
	}
	sqlite3_finalize(st);
	return 0;
}
