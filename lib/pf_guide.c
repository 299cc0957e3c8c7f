/*
 * pf_guide: what the Pathfinder app asks of a guide (package ids,
 * requirement tokens) and repository.json, the catalogue of a folder of
 * guides, read from each guide's content.json and manifest.json and
 * printed as the app's build-repository prints it; and the shelf, which
 * puts guides converted in staging folders in place.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pf_alloc.h"
#include "pf_guide.h"
#include "pf_jv.h"
#include "pf_map.h"
#include "pf_outfile.h"

/* content.json and manifest.json larger than this are not read. */
#define MAX_CONTENT ((size_t)64 * 1024 * 1024)
#define MAX_MANIFEST ((size_t)1024 * 1024)

/* --- rules ---------------------------------------------------------------- */

int
pf_guide_id_ok(const char *id)
{
	size_t n = strlen(id), i;

	if (n == 0 || n > PF_GUIDE_ID_MAX || id[0] == '-' || id[n - 1] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' &&
		    id[i] <= '9') || id[i] == '-'))
			return 0;
	return 1;
}

static const char *const fixed_tokens[] = {
	"exists-reftarget", "navmenu-open", "has-datasources", "is-admin",
	"is-logged-in", "is-editor", "dashboard-exists", "form-valid",
	"is-terminal-active", NULL
};

static const char *const prefixes[] = {
	"has-permission:", "has-role:", "has-datasource:",
	"datasource-configured:", "has-plugin:", "plugin-enabled:",
	"has-dashboard-named:", "on-page:", "has-feature:", "in-environment:",
	"min-version:", "section-completed:", "var-", "renderer:",
	"coda-exit-zero:", NULL
};

/* X.Y.Z, digits only */
static int
is_semver(const char *s)
{
	int part;

	for (part = 0; part < 3; part++) {
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
		if (part < 2 && *s++ != '.')
			return 0;
	}
	return *s == '\0';
}

int
pf_guide_requirement_ok(const char *token)
{
	size_t i, n;
	const char *arg;

	for (i = 0; fixed_tokens[i]; i++)
		if (strcmp(token, fixed_tokens[i]) == 0)
			return 1;
	/* A fixed token takes no argument ("is-admin:true"). */
	for (i = 0; fixed_tokens[i]; i++) {
		n = strlen(fixed_tokens[i]);
		if (strncmp(token, fixed_tokens[i], n) == 0 && token[n] == ':')
			return 0;
	}
	for (i = 0; prefixes[i]; i++) {
		n = strlen(prefixes[i]);
		if (strncmp(token, prefixes[i], n) != 0)
			continue;
		arg = token + n;
		if (strspn(arg, " \t\r\n") == strlen(arg))
			return 0;	/* no argument */
		if (strcmp(prefixes[i], "on-page:") == 0)
			return arg[0] == '/';
		if (strcmp(prefixes[i], "min-version:") == 0)
			return is_semver(arg);
		if (strcmp(prefixes[i], "has-role:") == 0) {
			for (; *arg; arg++)
				if (*arg >= 'A' && *arg <= 'Z')
					return 0;
			return 1;
		}
		if (strcmp(prefixes[i], "renderer:") == 0)
			return strcasecmp(arg, "pathfinder") == 0 ||
			    strcasecmp(arg, "website") == 0;
		return 1;
	}
	return 0;
}

/* --- the folders ---------------------------------------------------------- */

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
pf_guide_names_free(char **names, size_t n)
{
	size_t i;

	for (i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
}

int
pf_guide_list(const char *dir, char ***names, size_t *n, struct pf_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t cap = 0;

	*names = NULL;
	*n = 0;
	if (d == NULL)
		return pf_err_set(err, PF_ERR_IO, errno, "%s: %s", dir,
		    strerror(errno));
	while ((errno = 0, de = readdir(d)) != NULL) {
		struct stat st;
		char *m;
		int is_guide;

		if (de->d_name[0] == '.')
			continue;
		m = pf_xasprintf("%s/%s/manifest.json", dir, de->d_name);
		is_guide = stat(m, &st) == 0 && S_ISREG(st.st_mode);
		free(m);
		if (!is_guide)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 16;
			*names = pf_xrealloc(*names, cap * sizeof(**names));
		}
		(*names)[(*n)++] = pf_xstrdup(de->d_name);
	}
	if (errno != 0) {
		int saved = errno;

		closedir(d);
		pf_guide_names_free(*names, *n);
		*names = NULL;
		*n = 0;
		return pf_err_set(err, PF_ERR_IO, saved, "%s: %s", dir,
		    strerror(saved));
	}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof(**names), cmp_names);
	return 0;
}

/*
 * Reads and parses the JSON object in path, at most max bytes.  Returns
 * the root, or NULL with why set.
 */
static const struct pf_jv *
read_object(const char *path, size_t max, struct pf_jv_parser *p,
    struct pf_buf *text, char *why, size_t nwhy)
{
	const struct pf_jv *root;
	enum pf_json_fault fault;
	struct pf_err jerr;
	char chunk[65536];
	size_t k;
	FILE *f = fopen(path, "rb");

	pf_buf_reset(text);
	if (f == NULL) {
		snprintf(why, nwhy, "%s", strerror(errno));
		return NULL;
	}
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		pf_buf_add(text, chunk, k);
		if (text->len > max) {
			fclose(f);
			snprintf(why, nwhy, "larger than %zu bytes", max);
			return NULL;
		}
	}
	if (ferror(f)) {
		snprintf(why, nwhy, "%s", strerror(errno ? errno : EIO));
		fclose(f);
		return NULL;
	}
	fclose(f);
	pf_err_clear(&jerr);
	root = pf_jv_parse(p, pf_buf_str(text), text->len,
	    PF_JSON_ALLOW_DUPLICATES, &fault, &jerr);
	if (root == NULL) {
		snprintf(why, nwhy, "not JSON: %.300s", jerr.msg);
		return NULL;
	}
	if (root->type != PF_JV_OBJECT) {
		snprintf(why, nwhy, "not a JSON object");
		return NULL;
	}
	return root;
}

/* --- printing as the app does (JSON.stringify with an indent of 2) ---------- */

static void
indent(struct pf_buf *out, int level)
{
	int i;

	for (i = 0; i < level; i++)
		pf_buf_adds(out, "  ");
}

static void
put_number(struct pf_buf *out, const struct pf_jv *v)
{
	char num[40];
	int prec;

	if (v->type == PF_JV_INTEGER) {
		pf_buf_addf(out, "%" PRId64, v->u.i);
		return;
	}
	/* The shortest form that reads back the same, as JavaScript prints. */
	for (prec = 15; prec <= 17; prec++) {
		snprintf(num, sizeof(num), "%.*g", prec, v->u.d);
		if (strtod(num, NULL) == v->u.d)
			break;
	}
	pf_buf_adds(out, num);
}

static void put_value(struct pf_buf *out, const struct pf_jv *v, int level);

static void
put_scalar(struct pf_buf *out, const struct pf_jv *v)
{
	switch (v->type) {
	case PF_JV_NULL:
		pf_buf_adds(out, "null");
		break;
	case PF_JV_TRUE:
		pf_buf_adds(out, "true");
		break;
	case PF_JV_FALSE:
		pf_buf_adds(out, "false");
		break;
	case PF_JV_STRING:
		pf_jv_dump_string(v->u.s, v->n, out);
		break;
	default:
		put_number(out, v);
		break;
	}
}

static void
put_key(struct pf_buf *out, int level, const char *key)
{
	indent(out, level);
	pf_jv_dump_string(key, strlen(key), out);
	pf_buf_adds(out, ": ");
}

static void
put_array(struct pf_buf *out, const struct pf_jv *v, int level)
{
	size_t i;

	if (v->n == 0) {
		pf_buf_adds(out, "[]");
		return;
	}
	pf_buf_adds(out, "[\n");
	for (i = 0; i < v->n; i++) {
		indent(out, level + 1);
		put_value(out, &v->u.items[i], level + 1);
		pf_buf_adds(out, i + 1 < v->n ? ",\n" : "\n");
	}
	indent(out, level);
	pf_buf_addc(out, ']');
}

/*
 * An object as JavaScript holds it after JSON.parse: a repeated key keeps
 * the place of its first appearance and the value of its last.
 */
static void
put_object(struct pf_buf *out, const struct pf_jv *v, int level)
{
	struct pf_map *first = pf_map_new(), *last = pf_map_new();
	size_t i, k, shown = 0, count = 0;

	for (i = 0; i < v->n; i++) {
		if (!pf_map_get(first, v->u.members[i].key, &k)) {
			pf_map_put(first, v->u.members[i].key, i);
			count++;
		}
		pf_map_put(last, v->u.members[i].key, i);
	}
	if (count == 0) {
		pf_buf_adds(out, "{}");
		goto out;
	}
	pf_buf_adds(out, "{\n");
	for (i = 0; i < v->n; i++) {
		const char *key = v->u.members[i].key;

		pf_map_get(first, key, &k);
		if (k != i)
			continue;
		pf_map_get(last, key, &k);
		put_key(out, level + 1, key);
		shown++;
		put_value(out, &v->u.members[k].value, level + 1);
		pf_buf_adds(out, shown < count ? ",\n" : "\n");
	}
	indent(out, level);
	pf_buf_addc(out, '}');
out:
	pf_map_free(first);
	pf_map_free(last);
}

static void
put_value(struct pf_buf *out, const struct pf_jv *v, int level)
{
	if (v->type == PF_JV_ARRAY)
		put_array(out, v, level);
	else if (v->type == PF_JV_OBJECT)
		put_object(out, v, level);
	else
		put_scalar(out, v);
}

/* --- the manifest as the app's schema reads it ----------------------------- */

/* The fields of an entry, in the app's order, and how each is checked. */
enum kind { STRING, AUTHOR, TARGETING, TESTENV, IDS, DEPS };

static const struct field {
	const char *key;
	enum kind kind;
	int if_nonempty;	/* an empty array is left out */
} entry_fields[] = {
	{ "description", STRING, 0 },
	{ "category", STRING, 0 },
	{ "author", AUTHOR, 0 },
	{ "startingLocation", STRING, 0 },
	{ "milestones", IDS, 0 },
	{ "depends", DEPS, 1 },
	{ "recommends", DEPS, 1 },
	{ "suggests", DEPS, 1 },
	{ "provides", IDS, 1 },
	{ "conflicts", IDS, 1 },
	{ "replaces", IDS, 1 },
	{ "targeting", TARGETING, 0 },
	{ "testEnvironment", TESTENV, 0 },
};

static const char *const author_keys[] = { "name", "team", NULL };
static const char *const testenv_strings[] = { "tier", "minVersion",
    "instance", NULL };
static const char *const testenv_keys[] = { "tier", "minVersion", "datasets",
    "datasources", "plugins", "instance", NULL };

static int
strings_ok(const struct pf_jv *v, int nonempty)
{
	size_t i;

	if (!pf_jv_is(v, PF_JV_ARRAY))
		return 0;
	for (i = 0; i < v->n; i++)
		if (!pf_jv_is(&v->u.items[i], PF_JV_STRING) ||
		    (nonempty && v->u.items[i].n == 0))
			return 0;
	return 1;
}

/* Whether the value of a field has the type the app's schema asks. */
static int
field_ok(const struct field *f, const struct pf_jv *v)
{
	size_t i;

	switch (f->kind) {
	case STRING:
		return pf_jv_is(v, PF_JV_STRING);
	case AUTHOR:
		if (!pf_jv_is(v, PF_JV_OBJECT))
			return 0;
		for (i = 0; author_keys[i]; i++)
			if (pf_jv_get(v, author_keys[i]) &&
			    !pf_jv_is(pf_jv_get(v, author_keys[i]),
			    PF_JV_STRING))
				return 0;
		return 1;
	case TARGETING:
		return pf_jv_is(v, PF_JV_OBJECT) && (pf_jv_get(v, "match") ==
		    NULL || pf_jv_is(pf_jv_get(v, "match"), PF_JV_OBJECT));
	case TESTENV:
		if (!pf_jv_is(v, PF_JV_OBJECT))
			return 0;
		for (i = 0; testenv_strings[i]; i++)
			if (pf_jv_get(v, testenv_strings[i]) &&
			    !pf_jv_is(pf_jv_get(v, testenv_strings[i]),
			    PF_JV_STRING))
				return 0;
		for (i = 2; i < 5; i++)
			if (pf_jv_get(v, testenv_keys[i]) &&
			    !strings_ok(pf_jv_get(v, testenv_keys[i]), 0))
				return 0;
		return 1;
	case IDS:
		return strings_ok(v, 1);
	case DEPS:
		if (!pf_jv_is(v, PF_JV_ARRAY))
			return 0;
		for (i = 0; i < v->n; i++) {
			const struct pf_jv *c = &v->u.items[i];

			if (pf_jv_is(c, PF_JV_STRING) ? c->n == 0 :
			    !strings_ok(c, 1) || c->n == 0)
				return 0;
		}
		return 1;
	}
	return 0;
}

/* An object holding only the keys the schema knows, in the schema's
 * order (zod builds its result so). */
static void
put_known(struct pf_buf *out, const struct pf_jv *v, const char *const *keys,
    int level)
{
	size_t i, n = 0, shown = 0;

	for (i = 0; keys[i]; i++)
		n += pf_jv_get(v, keys[i]) != NULL;
	if (n == 0) {
		pf_buf_adds(out, "{}");
		return;
	}
	pf_buf_adds(out, "{\n");
	for (i = 0; keys[i]; i++) {
		const struct pf_jv *m = pf_jv_get(v, keys[i]);

		if (m == NULL)
			continue;
		put_key(out, level + 1, keys[i]);
		shown++;
		put_value(out, m, level + 1);
		pf_buf_adds(out, shown < n ? ",\n" : "\n");
	}
	indent(out, level);
	pf_buf_addc(out, '}');
}

static void
put_field(struct pf_buf *out, const struct field *f, const struct pf_jv *v)
{
	static const char *const match_key[] = { "match", NULL };

	pf_buf_adds(out, ",\n");
	put_key(out, 2, f->key);
	switch (f->kind) {
	case AUTHOR:
		put_known(out, v, author_keys, 2);
		break;
	case TARGETING:
		put_known(out, v, match_key, 2);
		break;
	case TESTENV:
		put_known(out, v, testenv_keys, 2);
		break;
	default:
		put_value(out, v, 2);
		break;
	}
}

/* --- repository.json ------------------------------------------------------ */

struct entry {
	char *id;
	struct pf_buf text;	/* "  "id": {...}" */
};

/* A key JavaScript orders before the others: an array index. */
static int
index_key(const char *id, uint64_t *value)
{
	uint64_t v = 0;
	const char *p;

	if (id[0] == '\0' || (id[0] == '0' && id[1] != '\0'))
		return 0;
	for (p = id; *p; p++) {
		if (*p < '0' || *p > '9')
			return 0;
		v = v * 10 + (uint64_t)(*p - '0');
		if (v >= 4294967295u)
			return 0;
	}
	*value = v;
	return 1;
}

static int
cmp_index_entries(const void *a, const void *b)
{
	uint64_t x = 0, y = 0;

	index_key(((const struct entry *)a)->id, &x);
	index_key(((const struct entry *)b)->id, &y);
	return x < y ? -1 : x > y;
}

/*
 * The entry of one folder, or 0 with why set when it is left out.  A
 * manifest the app's schema refuses makes an entry from content.json
 * alone, as build-repository does, and a warning.
 */
static int
make_entry(const char *dir, const char *name, struct pf_jv_parser *pc,
    struct pf_jv_parser *pm, struct pf_buf *ct, struct pf_buf *mt,
    struct entry *e, char *why, size_t nwhy, char *note, size_t nnote)
{
	const struct pf_jv *content, *manifest, *v;
	const char *id, *title, *type = "guide";
	char *path, sub[400];
	size_t i;

	*note = '\0';
	path = pf_xasprintf("%s/%s/content.json", dir, name);
	content = read_object(path, MAX_CONTENT, pc, ct, sub, sizeof(sub));
	free(path);
	if (content == NULL) {
		snprintf(why, nwhy, "content.json: %s", sub);
		return 0;
	}
	id = pf_jv_str(pf_jv_get(content, "id"));
	title = pf_jv_str(pf_jv_get(content, "title"));
	if (id == NULL || !pf_guide_id_ok(id)) {
		snprintf(why, nwhy, "content.json: the id is not kebab-case");
		return 0;
	}
	if (title == NULL || *title == '\0') {
		snprintf(why, nwhy, "content.json: no title");
		return 0;
	}
	if (!pf_jv_is(pf_jv_get(content, "blocks"), PF_JV_ARRAY)) {
		snprintf(why, nwhy, "content.json: no blocks");
		return 0;
	}
	path = pf_xasprintf("%s/%s/manifest.json", dir, name);
	manifest = read_object(path, MAX_MANIFEST, pm, mt, sub, sizeof(sub));
	free(path);
	if (manifest != NULL) {
		const char *mid = pf_jv_str(pf_jv_get(manifest, "id"));
		const char *mtype = pf_jv_str(pf_jv_get(manifest, "type"));

		if (mid == NULL || !pf_guide_id_ok(mid))
			snprintf(sub, sizeof(sub), "the id is not kebab-case");
		else if (mtype == NULL || (strcmp(mtype, "guide") &&
		    strcmp(mtype, "path") && strcmp(mtype, "journey")))
			snprintf(sub, sizeof(sub), "the type is not guide, "
			    "path or journey");
		else
			*sub = '\0';
		for (i = 0; *sub == '\0' && i < sizeof(entry_fields) /
		    sizeof(*entry_fields); i++) {
			v = pf_jv_get(manifest, entry_fields[i].key);
			if (v && !field_ok(&entry_fields[i], v))
				snprintf(sub, sizeof(sub), "\"%s\" is not what "
				    "the app's schema takes",
				    entry_fields[i].key);
		}
		if (*sub == '\0' && strcmp(mid, id) != 0) {
			snprintf(why, nwhy, "the id differs: content.json has "
			    "\"%s\", manifest.json has \"%s\"", id, mid);
			return 0;
		}
		if (*sub)
			manifest = NULL;
		else
			type = mtype;
	}
	if (manifest == NULL)
		snprintf(note, nnote, "manifest.json: %s: listed from "
		    "content.json alone", sub);
	e->id = pf_xstrdup(id);
	pf_buf_init(&e->text);
	put_key(&e->text, 1, id);
	pf_buf_adds(&e->text, "{\n");
	put_key(&e->text, 2, "path");
	path = pf_xasprintf("%s/", name);
	pf_jv_dump_string(path, strlen(path), &e->text);
	free(path);
	pf_buf_adds(&e->text, ",\n");
	put_key(&e->text, 2, "title");
	pf_jv_dump_string(title, strlen(title), &e->text);
	pf_buf_adds(&e->text, ",\n");
	put_key(&e->text, 2, "type");
	pf_jv_dump_string(type, strlen(type), &e->text);
	for (i = 0; manifest && i < sizeof(entry_fields) /
	    sizeof(*entry_fields); i++) {
		const struct field *f = &entry_fields[i];

		v = pf_jv_get(manifest, f->key);
		if (v == NULL && f->kind == TESTENV) {
			/* The schema's default. */
			pf_buf_adds(&e->text, ",\n");
			put_key(&e->text, 2, f->key);
			pf_buf_adds(&e->text, "{\n      \"tier\": \"cloud\"\n"
			    "    }");
			continue;
		}
		if (v == NULL || (f->if_nonempty && v->n == 0))
			continue;
		put_field(&e->text, f, v);
	}
	pf_buf_adds(&e->text, "\n  }");
	return 1;
}

int
pf_guide_repository(const char *dir, char *const *names, size_t n,
    struct pf_buf *out, pf_guide_warn_fn *warn, void *ctx,
    struct pf_err *err)
{
	struct pf_jv_parser *pc = pf_jv_parser_new(), *pm = pf_jv_parser_new();
	struct pf_buf ct = PF_BUF_INIT, mt = PF_BUF_INIT;
	struct entry *e = pf_xcalloc(n ? n : 1, sizeof(*e));
	struct pf_map *ids = pf_map_new();
	size_t i, k, ne = 0, nindex = 0;
	char why[1024], note[1024];

	(void)err;
	for (i = 0; i < n; i++) {
		char *where = pf_xasprintf("%s/%s", dir, names[i]);

		if (!make_entry(dir, names[i], pc, pm, &ct, &mt, &e[ne], why,
		    sizeof(why), note, sizeof(note))) {
			if (warn) {
				char *m = pf_xasprintf("not listed: %s", why);

				warn(ctx, where, m);
				free(m);
			}
		} else if (pf_map_get(ids, e[ne].id, &k)) {
			snprintf(why, sizeof(why), "not listed: the id \"%s\" is "
			    "taken by %s/", e[ne].id, names[k]);
			if (warn)
				warn(ctx, where, why);
			free(e[ne].id);
			pf_buf_release(&e[ne].text);
		} else {
			if (*note && warn)
				warn(ctx, where, note);
			pf_map_put(ids, e[ne].id, i);
			ne++;
		}
		free(where);
	}
	/* JavaScript puts keys that are array indices first, in order. */
	for (i = 0; i < ne; i++) {
		uint64_t v;

		if (index_key(e[i].id, &v)) {
			struct entry t = e[i];

			memmove(&e[nindex + 1], &e[nindex],
			    (i - nindex) * sizeof(*e));
			e[nindex++] = t;
		}
	}
	if (nindex > 1)
		qsort(e, nindex, sizeof(*e), cmp_index_entries);
	if (ne == 0)
		pf_buf_adds(out, "{}\n");
	else {
		pf_buf_adds(out, "{\n");
		for (i = 0; i < ne; i++) {
			pf_buf_add(out, e[i].text.data, e[i].text.len);
			pf_buf_adds(out, i + 1 < ne ? ",\n" : "\n");
		}
		pf_buf_adds(out, "}\n");
	}
	for (i = 0; i < ne; i++) {
		free(e[i].id);
		pf_buf_release(&e[i].text);
	}
	free(e);
	pf_map_free(ids);
	pf_buf_release(&ct);
	pf_buf_release(&mt);
	pf_jv_parser_free(pc);
	pf_jv_parser_free(pm);
	return 0;
}

int
pf_guide_repository_write(const char *dir, pf_guide_warn_fn *warn,
    void *ctx, struct pf_err *err)
{
	struct pf_buf text = PF_BUF_INIT;
	struct pf_outfile file;
	char **names = NULL, *path = NULL;
	size_t n = 0;
	int rc = -1;

	if (pf_guide_list(dir, &names, &n, err) < 0)
		goto out;
	if (pf_guide_repository(dir, names, n, &text, warn, ctx, err) < 0)
		goto out;
	path = pf_xasprintf("%s/repository.json", dir);
	if (pf_outfile_open(&file, path, err) < 0)
		goto out;
	if (pf_outfile_write(&file, text.data, text.len, err) < 0) {
		pf_outfile_abort(&file);
		goto out;
	}
	rc = pf_outfile_commit(&file, err);
out:
	free(path);
	pf_guide_names_free(names, n);
	pf_buf_release(&text);
	return rc;
}

/* --- renaming ------------------------------------------------------------- */

/* Sets the "id" member of the JSON object in path; 0 or -1 with err. */
static int
set_id(const char *path, const char *id, struct pf_err *err)
{
	struct pf_buf text = PF_BUF_INIT, out = PF_BUF_INIT, value = PF_BUF_INIT;
	struct pf_jv_parser *p = pf_jv_parser_new();
	enum pf_json_fault fault;
	const struct pf_jv *root;
	struct pf_jv_edit edit;
	struct pf_outfile file;
	struct pf_err why;
	char chunk[65536];
	size_t n;
	FILE *f = fopen(path, "rb");
	int rc = -1;

	pf_err_set(&why, PF_ERR_IO, errno, "%s", strerror(errno));
	if (f == NULL)
		goto out;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		pf_buf_add(&text, chunk, n);
	fclose(f);
	root = pf_jv_parse(p, pf_buf_str(&text), text.len, 0, &fault, &why);
	if (root == NULL)
		goto out;
	pf_jv_dump_string(id, strlen(id), &value);
	edit.key = "id";
	edit.value = value.data;
	/* Only the value changes: the app's order and spacing stay. */
	pf_jv_splice(pf_buf_str(&text), text.len, root, &edit, 1, &out);
	if (pf_outfile_open(&file, path, &why) < 0)
		goto out;
	if (pf_outfile_write(&file, out.data, out.len, &why) < 0) {
		pf_outfile_abort(&file);
		goto out;
	}
	rc = pf_outfile_commit(&file, &why);
out:
	if (rc < 0)
		pf_err_set(err, why.kind, why.errnum, "%s: cannot set the "
		    "guide's id: %s", path, why.msg);
	pf_jv_parser_free(p);
	pf_buf_release(&text);
	pf_buf_release(&out);
	pf_buf_release(&value);
	return rc;
}

int
pf_guide_set_id(const char *folder, const char *id, struct pf_err *err)
{
	char *content = pf_xasprintf("%s/content.json", folder);
	char *manifest = pf_xasprintf("%s/manifest.json", folder);
	int rc = set_id(content, id, err) < 0 || set_id(manifest, id, err) < 0 ?
	    -1 : 0;

	free(content);
	free(manifest);
	return rc;
}

char *
pf_guide_folder(const char *path)
{
	return pf_xmemdup(path, (size_t)(strrchr(path, '/') - path));
}

void
pf_guide_remove(const char *folder)
{
	char *content = pf_xasprintf("%s/content.json", folder);
	char *manifest = pf_xasprintf("%s/manifest.json", folder);

	unlink(content);
	unlink(manifest);
	rmdir(folder);
	free(content);
	free(manifest);
}

/* --- the shelf ------------------------------------------------------------ */

struct pf_guide_shelf {
	char *dir;
	char **taken;		/* the folder names given, in order */
	size_t n, cap;
};

struct pf_guide_shelf *
pf_guide_shelf_new(const char *dir)
{
	struct pf_guide_shelf *s = pf_xcalloc(1, sizeof(*s));

	s->dir = pf_xstrdup(dir);
	return s;
}

void
pf_guide_shelf_free(struct pf_guide_shelf *s)
{
	if (s == NULL)
		return;
	pf_guide_names_free(s->taken, s->n);
	free(s->dir);
	free(s);
}

/*
 * The first of id, id-2, id-3, ... not taken on s, a new string; *k is
 * its number (1 for id itself).
 */
static char *
untaken(const struct pf_guide_shelf *s, const char *id, int *k)
{
	char *name = NULL;
	size_t j;

	for (*k = 1;; (*k)++) {
		free(name);
		name = *k == 1 ? pf_xstrdup(id) : pf_xasprintf("%s-%d", id, *k);
		for (j = 0; j < s->n && strcmp(s->taken[j], name) != 0; j++)
			;
		if (j == s->n)
			return name;
	}
}

/*
 * Whether folder holds nothing but a guide (content.json, manifest.json):
 * one of ours to replace.  1 when it does or is not there; 0 when it holds
 * files of someone else's, or cannot be read (errno says why).
 */
static int
only_a_guide(const char *folder)
{
	struct dirent *de;
	DIR *d = opendir(folder);
	int ok = 1;

	if (d == NULL)
		return errno == ENOENT;
	while (ok && (de = readdir(d)) != NULL)
		ok = strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, "content.json") == 0 ||
		    strcmp(de->d_name, "manifest.json") == 0;
	closedir(d);
	if (!ok)
		errno = ENOTEMPTY;
	return ok;
}

/*
 * Moves the guide folder to target, replacing a guide an earlier run left
 * there.  The old guide is moved aside first and put back if the new one
 * cannot take its place, so that a failure loses neither; a target that
 * holds files of its own is left alone ("Directory not empty").
 */
static int
replace_guide(const char *folder, const char *target, struct pf_err *err)
{
	char *aside = pf_xasprintf("%s.pf-old", folder);
	int had_old = 0, saved;

	if (!only_a_guide(target))
		goto fail;
	if (rename(target, aside) == 0)
		had_old = 1;
	else if (errno != ENOENT)
		goto fail;
	if (rename(folder, target) < 0) {
		saved = errno;
		if (had_old)
			rename(aside, target);
		errno = saved;
		goto fail;
	}
	if (had_old)
		pf_guide_remove(aside);
	free(aside);
	return 0;
fail:
	saved = errno;
	free(aside);
	return pf_err_set(err, PF_ERR_IO, saved, "%s: %s", target,
	    strerror(saved));
}

int
pf_guide_shelf_put(struct pf_guide_shelf *s, const char *stage,
    char *content, size_t size, int *placed, struct pf_err *err)
{
	char *folder, *name, *target;
	int k, rc = 0;

	*placed = 0;
	if (content == NULL) {
		rmdir(stage);
		return 0;
	}
	/* stage/<id>/content.json: the folder stage/<id>, named id. */
	folder = pf_guide_folder(content);
	name = untaken(s, strrchr(folder, '/') + 1, &k);
	target = pf_xasprintf("%s/%s", s->dir, name);
	if (replace_guide(folder, target, err) < 0) {
		rc = -1;
		pf_guide_remove(folder);	/* no guide left hidden */
	} else {
		*placed = 1;
		snprintf(content, size, "%s/content.json", target);
		if (k > 1)
			rc = pf_guide_set_id(target, name, err);
	}
	rmdir(stage);
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 16;
		s->taken = pf_xrealloc(s->taken, s->cap * sizeof(*s->taken));
	}
	s->taken[s->n++] = name;
	free(target);
	free(folder);
	return rc;
}
