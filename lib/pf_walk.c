/*
 * pf_walk: folders walked in name order, archives read member by member
 * in memory, and what is found handed to pf_index; every outcome told to
 * the caller, who prints it.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pf_alloc.h"
#include "pf_archive.h"
#include "pf_buf.h"
#include "pf_map.h"
#include "pf_walk.h"

struct pf_walk {
	struct pf_index *idx;
	struct pf_walk_options opt;
	struct pf_map *seen_archives;	/* archives read in this walk */
	struct pf_map *seen_members;	/* their recordings */
};

struct pf_walk *
pf_walk_new(struct pf_index *idx, const struct pf_walk_options *opt)
{
	struct pf_walk *w = pf_xcalloc(1, sizeof(*w));

	w->idx = idx;
	w->opt = *opt;
	w->seen_archives = pf_map_new();
	w->seen_members = pf_map_new();
	return w;
}

void
pf_walk_free(struct pf_walk *w)
{
	if (w == NULL)
		return;
	pf_map_free(w->seen_archives);
	pf_map_free(w->seen_members);
	free(w);
}

static void
tell(struct pf_walk *w, const char *name, enum pf_walk_outcome outcome,
    const struct pf_err *err)
{
	w->opt.told(w->opt.ctx, name, outcome, err);
}

/*
 * An input that failed: unreadable when the system refused it (pf_err's
 * PF_ERR_IO), which the caller may weigh more than an input that was read
 * and found wanting.
 */
static void
tell_failed(struct pf_walk *w, const char *name, const struct pf_err *err)
{
	tell(w, name, err->kind == PF_ERR_IO ? PF_WALK_UNREADABLE :
	    PF_WALK_FAILED, err);
}

/* What pf_index_add_path or _memory returned (r), told: err's kind says
 * whether the recording failed or the database. */
static void
tell_indexed(struct pf_walk *w, const char *name, int r,
    enum pf_index_outcome outcome, const struct pf_err *err)
{
	if (r < 0 && err->kind == PF_ERR_DB)
		tell(w, name, PF_WALK_DB_FAILED, err);
	else if (r < 0)
		tell_failed(w, name, err);
	else if (outcome == PF_INDEX_ADDED)
		tell(w, name, PF_WALK_ADDED, NULL);
	else if (outcome == PF_INDEX_UPDATED)
		tell(w, name, PF_WALK_UPDATED, NULL);
	else
		tell(w, name, PF_WALK_UNCHANGED, NULL);
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int
is_archive(const char *name)
{
	return has_suffix(name, ".tar") || has_suffix(name, ".tar.gz") ||
	    has_suffix(name, ".tgz") || has_suffix(name, ".zip");
}

static int
is_recording(const char *name)
{
	return has_suffix(name, ".jsonl") || has_suffix(name, ".jsonl.gz") ||
	    has_suffix(name, ".json") || has_suffix(name, ".json.gz");
}

/* Whether an archive member's name could escape a directory if extracted. */
static int
unsafe_name(const char *name)
{
	const char *p = name;

	if (*name == '/')
		return 1;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		p += n;
		if (*p == '/')
			p++;
	}
	return 0;
}

/*
 * The current member of a, whole, into data; counting as it reads, since
 * a declared size can lie (a bomb).  0, or -1 with err.
 */
static int
read_member(struct pf_walk *w, struct pf_archive *a, struct pf_buf *data,
    struct pf_err *err)
{
	pf_buf_reset(data);
	for (;;) {
		char buf[65536];
		ssize_t k = pf_archive_read(a, buf, sizeof(buf), err);

		if (k < 0)
			return -1;
		if (k == 0)
			break;
		if ((int64_t)data->len + k > w->opt.member_max)
			return pf_err_set(err, PF_ERR_DATA, 0, "more than %"
			    PRId64 " bytes (--max-member): skipped",
			    w->opt.member_max);
		pf_buf_add(data, buf, (size_t)k);
	}
	pf_buf_add(data, "", 0);
	return 0;
}

/*
 * One member of an archive known as name: refused, passed over, unchanged
 * or indexed from memory.  Nothing is ever written to disk, so crafted
 * names cannot escape anywhere; they and the members that are not regular
 * files are reported and skipped.
 */
static void
add_member(struct pf_walk *w, struct pf_archive *a,
    const struct pf_archive_entry *e, const char *name, struct pf_buf *data)
{
	enum pf_index_outcome outcome = PF_INDEX_UNCHANGED;
	struct pf_err err;
	int r;

	if (e->type == PF_ARCHIVE_DIR)
		return;
	if (e->type != PF_ARCHIVE_FILE) {
		pf_err_set(&err, PF_ERR_DATA, 0, "not a regular file: skipped");
		tell(w, name, PF_WALK_FAILED, &err);
		return;
	}
	if (unsafe_name(e->name)) {
		pf_err_set(&err, PF_ERR_DATA, 0, "unsafe member name "
		    "(absolute, or with ..): skipped");
		tell(w, name, PF_WALK_FAILED, &err);
		return;
	}
	if (!is_recording(e->name))
		return;
	if (e->size >= 0 && pf_index_is_current(w->idx, name, e->size,
	    e->mtime)) {
		tell(w, name, PF_WALK_UNCHANGED, NULL);
		return;
	}
	if (e->size > w->opt.member_max) {
		pf_err_set(&err, PF_ERR_DATA, 0, "%" PRId64 " bytes, over the "
		    "limit of %" PRId64 " (--max-member): skipped", e->size,
		    w->opt.member_max);
		tell(w, name, PF_WALK_FAILED, &err);
		return;
	}
	if (read_member(w, a, data, &err) < 0) {
		tell_failed(w, name, &err);
		return;
	}
	r = pf_index_add_memory(w->idx, name, pf_buf_str(data), data->len,
	    e->mtime, w->opt.skip, w->opt.ctx, &outcome, &err);
	tell_indexed(w, name, r, outcome, &err);
}

/* The recordings inside an archive, each known as path//member. */
static void
add_archive(struct pf_walk *w, const char *path)
{
	struct pf_archive *a;
	struct pf_archive_entry e;
	struct pf_buf data = PF_BUF_INIT;
	struct pf_err err;
	int r;

	pf_map_put(w->seen_archives, path, 1);
	a = pf_archive_open(path, &err);
	if (a == NULL) {
		tell_failed(w, path, &err);
		return;
	}
	while ((r = pf_archive_next(a, &e, &err)) > 0) {
		char *name = pf_xasprintf("%s//%s", path, e.name);

		pf_map_put(w->seen_members, name, 1);
		add_member(w, a, &e, name, &data);
		free(name);
	}
	if (r < 0)
		tell_failed(w, path, &err);
	pf_buf_release(&data);
	pf_archive_close(a);
}

static void
add_file(struct pf_walk *w, const char *path, const struct stat *st)
{
	enum pf_index_outcome outcome = PF_INDEX_UNCHANGED;
	struct pf_err err;
	int r;

	if (is_archive(path)) {
		add_archive(w, path);
		return;
	}
	if (pf_index_is_current(w->idx, path, (int64_t)st->st_size,
	    (int64_t)st->st_mtime)) {
		tell(w, path, PF_WALK_UNCHANGED, NULL);
		return;
	}
	r = pf_index_add_path(w->idx, path, path, (int64_t)st->st_size,
	    (int64_t)st->st_mtime, w->opt.skip, w->opt.ctx, &outcome, &err);
	tell_indexed(w, path, r, outcome, &err);
}

static int
by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void add_path(struct pf_walk *w, const char *path, int explicit);

/* A folder, recursively, in name order. */
static void
add_dir(struct pf_walk *w, const char *dir)
{
	struct dirent **list;
	int n, i;

	n = scandir(dir, &list, NULL, by_name);
	if (n < 0) {
		struct pf_err err;

		pf_err_set(&err, PF_ERR_IO, errno, "%s", strerror(errno));
		tell(w, dir, PF_WALK_UNREADABLE, &err);
		return;
	}
	for (i = 0; i < n; i++) {
		const char *d = list[i]->d_name;

		if (strcmp(d, ".") != 0 && strcmp(d, "..") != 0) {
			char *p = pf_xasprintf("%s/%s", dir, d);

			add_path(w, p, 0);
			free(p);
		}
		free(list[i]);
	}
	free(list);
}

/*
 * path given explicitly (followed if a link, read whatever its name) or
 * met in a folder (a link only to a file, and only names that look like
 * recordings or archives).
 */
static void
add_path(struct pf_walk *w, const char *path, int explicit)
{
	struct stat st;
	char *real;

	if ((explicit ? stat(path, &st) : lstat(path, &st)) < 0) {
		struct pf_err err;

		pf_err_set(&err, PF_ERR_IO, errno, "%s", strerror(errno));
		tell(w, path, PF_WALK_UNREADABLE, &err);
		return;
	}
	if (S_ISLNK(st.st_mode)) {
		/* Inside a folder: a link to a file counts, not to a folder. */
		if (stat(path, &st) < 0 || S_ISDIR(st.st_mode))
			return;
	}
	/* The index knows every file by its real path. */
	real = realpath(path, NULL);
	if (real == NULL)
		real = pf_xstrdup(path);
	if (S_ISDIR(st.st_mode))
		add_dir(w, real);
	else if (S_ISREG(st.st_mode) && (explicit || is_recording(real) ||
	    is_archive(real)))
		add_file(w, real, &st);
	else if (explicit) {
		struct pf_err err;

		pf_err_set(&err, PF_ERR_DATA, 0, "not a regular file or folder");
		tell(w, path, PF_WALK_FAILED, &err);
	}
	free(real);
}

void
pf_walk_add(struct pf_walk *w, const char *path)
{
	add_path(w, path, 1);
}

/*
 * Whether an indexed name is gone: its file is missing, or it was a member
 * of an archive that this walk read and no longer found in it (or whose
 * archive is missing).
 */
static int
gone(void *ctx, const char *name)
{
	struct pf_walk *w = ctx;
	const char *sep = strstr(name, "//");
	struct stat st;
	size_t v;
	int missing;
	char *archive;

	if (sep == NULL)
		return stat(name, &st) < 0 && errno == ENOENT;
	archive = pf_xmemdup(name, (size_t)(sep - name));
	missing = stat(archive, &st) < 0 && errno == ENOENT;
	if (!missing && pf_map_get(w->seen_archives, archive, &v))
		missing = !pf_map_get(w->seen_members, name, &v);
	free(archive);
	return missing;
}

int
pf_walk_prune(struct pf_walk *w, long *removed, struct pf_err *err)
{
	return pf_index_prune(w->idx, gone, w, removed, err);
}
