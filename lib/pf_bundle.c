/*
 * pf_bundle: libarchive's writer, set up for byte-identical archives, and
 * the bundle of a batch's outputs: their files, index.html and, for guides,
 * repository.json.
 */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_bundle.h"
#include "pf_outfile.h"
#include "pf_render.h"
#include "pf_time.h"

struct pf_bundle {
	struct archive *a;
	time_t mtime;
	locale_t utf8;		/* C.UTF-8, to hand names over in; or 0 */
	struct pf_outfile file;	/* written beside the target, renamed at close */
};

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int
fail(struct pf_bundle *b, struct pf_err *err)
{
	return pf_err_set(err, PF_ERR_IO, archive_errno(b->a), "%s: %s",
	    b->file.path, archive_error_string(b->a) ? archive_error_string(b->a) :
	    "archive error");
}

static int
set_pax(struct archive *a)
{
	return archive_write_set_format_pax_restricted(a);
}

struct pf_bundle *
pf_bundle_open(const char *path, time_t mtime, struct pf_err *err)
{
	struct pf_bundle *b = pf_xcalloc(1, sizeof(*b));
	int r;

	b->a = archive_write_new();
	b->mtime = mtime;
	b->file.fd = -1;
	b->utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (ends_with(path, ".zip")) {
		r = archive_write_set_format_zip(b->a);
		/*
		 * Names in UTF-8, flagged so (bit 11).  The conversion is
		 * set up here, from the charset this thread reads in.
		 */
		if (r == ARCHIVE_OK) {
			locale_t saved = (locale_t)0;

			if (b->utf8 != (locale_t)0)
				saved = uselocale(b->utf8);
			r = archive_write_set_format_option(b->a, "zip",
			    "hdrcharset", "UTF-8");
			if (saved != (locale_t)0)
				uselocale(saved);
		}
	} else if (ends_with(path, ".tar.gz") || ends_with(path, ".tgz")) {
		r = set_pax(b->a);
		if (r == ARCHIVE_OK)
			r = archive_write_add_filter_gzip(b->a);
		/* gzip's header would carry the time and the name otherwise. */
		if (r == ARCHIVE_OK)
			r = archive_write_set_filter_option(b->a, "gzip",
			    "timestamp", NULL);
	} else if (ends_with(path, ".tar")) {
		r = set_pax(b->a);
	} else {
		pf_err_set(err, PF_ERR_USAGE, 0, "%s: the bundle must end in "
		    ".zip, .tar.gz, .tgz or .tar", path);
		goto fail;
	}
	if (r != ARCHIVE_OK) {
		pf_err_set(err, PF_ERR_IO, 0, "%s: %s", path,
		    archive_error_string(b->a));
		goto fail;
	}
	if (pf_outfile_open(&b->file, path, err) < 0)
		goto fail;
	if (archive_write_open_fd(b->a, b->file.fd) != ARCHIVE_OK) {
		fail(b, err);
		pf_outfile_abort(&b->file);
		goto fail;
	}
	return b;
fail:
	archive_write_free(b->a);
	if (b->utf8 != (locale_t)0)
		freelocale(b->utf8);
	free(b);
	return NULL;
}

int
pf_bundle_add(struct pf_bundle *b, const char *name, const void *data,
    size_t n, struct pf_err *err)
{
	struct archive_entry *e = archive_entry_new();
	locale_t saved = (locale_t)0;
	int rc = 0, r;

	archive_entry_set_pathname(e, name);
	archive_entry_set_size(e, (la_int64_t)n);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_mtime(e, b->mtime, 0);
	archive_entry_set_uid(e, 0);
	archive_entry_set_gid(e, 0);
	/*
	 * Names are UTF-8 (file names, guide ids), whatever the locale:
	 * libarchive converts a name from the locale's charset, which in the
	 * C locale fails ("Can't translate pathname") and leaves the archive
	 * half written.  So this thread reads them as UTF-8 meanwhile.
	 */
	if (b->utf8 != (locale_t)0)
		saved = uselocale(b->utf8);
	r = archive_write_header(b->a, e);
	if (saved != (locale_t)0)
		uselocale(saved);
	if (r != ARCHIVE_OK ||
	    (n > 0 && archive_write_data(b->a, data, n) < 0))
		rc = fail(b, err);
	archive_entry_free(e);
	return rc;
}

int
pf_bundle_add_file(struct pf_bundle *b, const char *name, const char *path,
    struct pf_err *err)
{
	FILE *f = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0, k;
	int rc;

	if (f == NULL)
		return pf_err_set(err, PF_ERR_IO, errno, "%s: %s", path,
		    strerror(errno));
	/* Outputs are tutorials, not recordings: small enough to hold. */
	do {
		if (len + 65536 > cap) {
			cap = cap ? cap * 2 : 65536;
			data = pf_xrealloc(data, cap);
		}
		k = fread(data + len, 1, cap - len, f);
		len += k;
	} while (k > 0);
	if (ferror(f)) {
		rc = pf_err_set(err, PF_ERR_IO, errno, "%s: read error",
		    path);
		fclose(f);
		free(data);
		return rc;
	}
	fclose(f);
	rc = pf_bundle_add(b, name, data, len, err);
	free(data);
	return rc;
}

int
pf_bundle_close(struct pf_bundle *b, struct pf_err *err)
{
	int rc = 0;

	if (archive_write_close(b->a) != ARCHIVE_OK)
		rc = fail(b, err);
	archive_write_free(b->a);
	if (rc == 0)
		rc = pf_outfile_commit(&b->file, err);
	else
		pf_outfile_abort(&b->file);
	if (b->utf8 != (locale_t)0)
		freelocale(b->utf8);
	free(b);
	return rc;
}

void
pf_bundle_abort(struct pf_bundle *b)
{
	if (b == NULL)
		return;
	archive_write_free(b->a);
	pf_outfile_abort(&b->file);
	if (b->utf8 != (locale_t)0)
		freelocale(b->utf8);
	free(b);
}

int
pf_bundle_add_index(struct pf_bundle *b, const struct pf_bundle_item *items,
    size_t n, struct pf_err *err)
{
	char *text = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&text, &len);
	int rc;

	if (f == NULL)
		return pf_err_set(err, PF_ERR_IO, errno, "index.html: %s",
		    strerror(errno));
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	    "charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'\">\n<title>Recorded sessions</title>\n"
	    "</head>\n<body>\n<main>\n<h1>Recorded sessions</h1>\n<ul>\n", f);
	for (i = 0; i < n; i++) {
		const struct pf_convert_result *res = items[i].res;
		char dur[32];

		pf_time_format_offset(res->duration, dur, sizeof(dur));
		/* "./": a name like "javascript:x.html" stays a path. */
		fputs("<li><a href=\"./", f);
		pf_render_html_text(f, items[i].name);
		fputs("\">", f);
		pf_render_html_text(f, res->title);
		fputs("</a>", f);
		if (*res->date)
			fprintf(f, " <time datetime=\"%s\">%.10s</time>",
			    res->date, res->date);
		fprintf(f, " (%s, %zu step%s, %zu attendee%s)</li>\n", dur,
		    res->steps, res->steps == 1 ? "" : "s",
		    res->attendees, res->attendees == 1 ? "" : "s");
	}
	fputs("</ul>\n</main>\n</body>\n</html>\n", f);
	fclose(f);
	rc = pf_bundle_add(b, "index.html", text, len, err);
	free(text);
	return rc;
}

/* --- a batch's outputs ---------------------------------------------------- */

/* An output's path under o->dir. */
static const char *
name_of(const struct pf_bundle_outputs *o, size_t i)
{
	return o->res[i]->path + strlen(o->dir) + 1;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds output i, and a guide's manifest.json beside it. */
static int
add_output(struct pf_bundle *b, const struct pf_bundle_outputs *o, size_t i,
    struct pf_err *err)
{
	char *folder, *manifest;
	int rc;

	if (pf_bundle_add_file(b, name_of(o, i), o->res[i]->path, err) < 0)
		return -1;
	if (!o->guides)
		return 0;
	folder = pf_guide_folder(o->res[i]->path);
	manifest = pf_xasprintf("%s/manifest.json", folder);
	rc = pf_bundle_add_file(b, manifest + strlen(o->dir) + 1, manifest,
	    err);
	free(manifest);
	free(folder);
	return rc;
}

/* Adds repository.json: the catalogue of the bundle's own guides. */
static int
add_repository(struct pf_bundle *b, const struct pf_bundle_outputs *o,
    pf_guide_warn_fn *warn, void *ctx, struct pf_err *err)
{
	char **names = pf_xcalloc(o->n + 1, sizeof(*names));
	struct pf_buf text = PF_BUF_INIT;
	size_t i;
	int rc;

	for (i = 0; i < o->n; i++)
		names[i] = pf_guide_folder(name_of(o, i));
	/* In the order of the folders' names, as in a folder. */
	qsort(names, o->n, sizeof(*names), cmp_str);
	rc = pf_guide_repository(o->dir, names, o->n, &text, warn, ctx, err);
	if (rc == 0)
		rc = pf_bundle_add(b, "repository.json", text.data, text.len,
		    err);
	pf_guide_names_free(names, o->n);
	pf_buf_release(&text);
	return rc;
}

int
pf_bundle_pack(const char *path, time_t mtime,
    const struct pf_bundle_outputs *o, pf_guide_warn_fn *warn, void *ctx,
    struct pf_err *err)
{
	struct pf_bundle *b = pf_bundle_open(path, mtime, err);
	struct pf_bundle_item *items = NULL;
	size_t i;

	if (b == NULL)
		return -1;
	for (i = 0; i < o->n; i++)
		if (add_output(b, o, i, err) < 0)
			goto fail;
	if (o->guides && add_repository(b, o, warn, ctx, err) < 0)
		goto fail;
	items = pf_xcalloc(o->n + 1, sizeof(*items));
	for (i = 0; i < o->n; i++) {
		items[i].name = name_of(o, i);
		items[i].res = o->res[i];
	}
	if (pf_bundle_add_index(b, items, o->n, err) < 0)
		goto fail;
	free(items);
	return pf_bundle_close(b, err);
fail:
	free(items);
	pf_bundle_abort(b);
	return -1;
}

void
pf_bundle_remove_outputs(const struct pf_bundle_outputs *o)
{
	size_t i;

	for (i = 0; i < o->n; i++) {
		if (o->guides) {
			char *folder = pf_guide_folder(o->res[i]->path);

			pf_guide_remove(folder);
			free(folder);
		} else {
			unlink(o->res[i]->path);
		}
	}
	rmdir(o->dir);
}
