/*
 * pf_tutorial: steps, sections, questions and attendance, worked out from
 * a recording's events as they come, in one pass and in memory that grows
 * with the steps and messages, not the events.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pf_alloc.h"
#include "pf_event.h"
#include "pf_map.h"
#include "pf_strarena.h"
#include "pf_source.h"
#include "pf_tutorial.h"

/* An attendee_status "joined" this close to a join names the same person. */
#define PAIR_WINDOW_MS 10000

struct pf_tut_state {
	struct pf_strarena *strings;	/* every string of the model */
	struct pf_map *steps;	/* stepId -> index */
	struct pf_map *by_name;	/* attendee name -> index */
	struct pf_map *by_id;	/* sender id -> index */
	struct pf_map *names;	/* sender id -> index of a name in known */
	char **known;		/* names learnt for sender ids */
	size_t nknown;
	size_t current;		/* index + 1 of the current step, or 0 */
	size_t section;		/* index + 1 of the current section, or 0 */
	size_t open_qa;		/* the oldest unanswered question: index */
	int have_start;
	size_t cap_steps, cap_sections, cap_chat, cap_known, cap_att;
};

#define GROW(arr, n, cap) do {						\
	if ((n) == (cap)) {						\
		(cap) = (cap) ? (cap) * 2 : 16;				\
		(arr) = pf_xrealloc((arr), (cap) * sizeof(*(arr)));	\
	}								\
} while (0)

/*
 * For arrays without a cap of their own: grows arr at n = 0, 1, 2, 4, 8...,
 * so appending stays linear in time.
 */
#define GROW_POW2(arr, n) do {						\
	if (((n) & ((n) - 1)) == 0)					\
		(arr) = pf_xrealloc((arr), ((n) ? (n) * 2 : 1) *	\
		    sizeof(*(arr)));					\
} while (0)

/* A copy of s in the model's arena; NULL for NULL. */
#define DUP(s) pf_strarena_strdup(t->st->strings, (s))

static const char *
get_str(const struct pf_jv *obj, const char *key)
{
	return pf_jv_str(pf_jv_get(obj, key));
}

struct pf_tutorial *
pf_tutorial_new(void)
{
	struct pf_tutorial *t = pf_xcalloc(1, sizeof(*t));

	t->st = pf_xcalloc(1, sizeof(*t->st));
	t->st->strings = pf_strarena_new();
	t->st->steps = pf_map_new();
	t->st->by_name = pf_map_new();
	t->st->by_id = pf_map_new();
	t->st->names = pf_map_new();
	t->id = DUP("");
	return t;
}

/* --- text --------------------------------------------------------------- */

static int
decode_entity(const char *p, struct pf_buf *out, size_t *used)
{
	static const struct {
		const char *name;
		const char *text;
	} named[] = {
		{ "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" },
		{ "quot;", "\"" }, { "apos;", "'" }, { "nbsp;", " " },
		{ "#39;", "'" }, { NULL, NULL }
	};
	int i;

	for (i = 0; named[i].name; i++) {
		size_t n = strlen(named[i].name);

		if (strncmp(p, named[i].name, n) == 0) {
			pf_buf_adds(out, named[i].text);
			*used = n;
			return 1;
		}
	}
	if (p[0] == '#') {
		char *end;
		unsigned long cp = p[1] == 'x' || p[1] == 'X' ?
		    strtoul(p + 2, &end, 16) : strtoul(p + 1, &end, 10);

		if (*end == ';' && end > p + 1 && cp > 0 && cp <= 0x10ffff &&
		    !(cp >= 0xd800 && cp <= 0xdfff)) {
			char u[5] = { 0 };

			if (cp < 0x80) {
				u[0] = (char)(cp < 0x20 ? ' ' : cp);
			} else if (cp < 0x800) {
				u[0] = (char)(0xc0 | (cp >> 6));
				u[1] = (char)(0x80 | (cp & 0x3f));
			} else if (cp < 0x10000) {
				u[0] = (char)(0xe0 | (cp >> 12));
				u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
				u[2] = (char)(0x80 | (cp & 0x3f));
			} else {
				u[0] = (char)(0xf0 | (cp >> 18));
				u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
				u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
				u[3] = (char)(0x80 | (cp & 0x3f));
			}
			pf_buf_adds(out, u);
			*used = (size_t)(end - p) + 1;
			return 1;
		}
	}
	return 0;
}

static int
is_block_tag(const char *p)
{
	static const char *const block[] = {
		"br", "p", "div", "li", "ul", "ol", "tr", "td", "th", "h1", "h2",
		"h3", "h4", "h5", "h6", "hr", "blockquote", "pre", "table", NULL
	};
	size_t n;
	int i;

	if (*p == '/')
		p++;
	n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
	for (i = 0; block[i]; i++)
		if (strlen(block[i]) == n && strncasecmp(p, block[i], n) == 0)
			return 1;
	return 0;
}

void
pf_html_to_text(const char *html, struct pf_buf *out)
{
	const char *p = html;
	int space = 0, any = 0;

	while (*p) {
		if (*p == '<') {
			const char *gt = strchr(p, '>');

			if (gt == NULL)
				break;	/* an unclosed tag: drop the rest */
			/* Inline tags join words; block tags part them. */
			if (is_block_tag(p + 1))
				space = any;
			p = gt + 1;
			continue;
		}
		if (isspace((unsigned char)*p)) {
			space = any;
			p++;
			continue;
		}
		if (space) {
			pf_buf_addc(out, ' ');
			space = 0;
		}
		if (*p == '&') {
			size_t used;

			if (decode_entity(p + 1, out, &used)) {
				p += used + 1;
				any = 1;
				continue;
			}
		}
		pf_buf_addc(out, *p++);
		any = 1;
	}
}

static char *
text_of(struct pf_tutorial *t, const char *html)
{
	struct pf_buf b = PF_BUF_INIT;
	char *text = NULL;

	if (html == NULL)
		return NULL;
	pf_html_to_text(html, &b);
	if (b.len > 0)
		text = pf_strarena_memdup(t->st->strings, b.data, b.len);
	pf_buf_release(&b);
	return text;
}

/* "https://grafana.com/tutorials/add-data-source/" -> "Add data source" */
static char *
title_of_url(struct pf_tutorial *t, const char *url)
{
	const char *end, *start;
	char *title, *q;
	size_t n;

	if (url == NULL || *url == '\0')
		return DUP("Steps");
	end = url + strcspn(url, "?#");
	while (end > url && end[-1] == '/')
		end--;
	start = end;
	while (start > url && start[-1] != '/')
		start--;
	n = (size_t)(end - start);
	if (n == 0 || strncmp(start - (start > url ? 1 : 0), "//", 2) == 0)
		return DUP(url);
	title = pf_strarena_memdup(t->st->strings, start, n);
	for (q = title; *q; q++)
		if (*q == '-' || *q == '_')
			*q = ' ';
	title[0] = (char)toupper((unsigned char)title[0]);
	return title;
}

/* --- building ----------------------------------------------------------- */

/* a + b and a - b, held at the int64 limits: recorded times are untrusted. */
static int64_t
sat_add(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_add_overflow(a, b, &r))
		return b > 0 ? INT64_MAX : INT64_MIN;
	return r;
}

static int64_t
sat_sub(int64_t a, int64_t b)
{
	int64_t r;

	if (__builtin_sub_overflow(a, b, &r))
		return b < 0 ? INT64_MAX : INT64_MIN;
	return r;
}

static void
open_section(struct pf_tutorial *t, const char *url)
{
	struct pf_tut_state *st = t->st;
	struct pf_tut_section *s;

	if (st->section && strcmp(t->sections[st->section - 1].url,
	    url ? url : "") == 0)
		return;
	GROW(t->sections, t->nsections, st->cap_sections);
	s = &t->sections[t->nsections++];
	memset(s, 0, sizeof(*s));
	s->url = DUP(url ? url : "");
	s->title = title_of_url(t, url);
	st->section = t->nsections;
}

/* Sets *field to a copy of s (or NULL), unless it holds that already. */
static void
set_str(struct pf_tutorial *t, char **field, const char *s)
{
	if (s == NULL ? *field == NULL : *field && strcmp(*field, s) == 0)
		return;
	*field = DUP(s);
}

static void
set_action(struct pf_tutorial *t, struct pf_tut_action *a,
    const struct pf_jv *obj)
{
	const char *ta = get_str(obj, "targetAction");
	const char *comment = get_str(obj, "targetComment");

	set_str(t, &a->action, ta ? ta : "highlight");
	set_str(t, &a->reftarget, get_str(obj, "refTarget"));
	set_str(t, &a->targetvalue, get_str(obj, "targetValue"));
	set_str(t, &a->requirements, get_str(obj, "requirements"));
	/* The tooltip's text is worked out again only when its HTML changes. */
	if (comment == NULL ? a->comment != NULL : a->comment == NULL ||
	    strcmp(a->comment, comment) != 0) {
		set_str(t, &a->comment, comment);
		a->tooltip = text_of(t, comment);
	}
}

static void
add_step(struct pf_tutorial *t, enum pf_event_type type,
    const struct pf_jv *ev, int64_t at)
{
	struct pf_tut_state *st = t->st;
	const char *id = get_str(ev, "stepId");
	const struct pf_jv *action = pf_jv_get(ev, "action");
	const struct pf_jv *ia;
	struct pf_tut_step *s;
	size_t i;

	if (id == NULL || !pf_jv_is(action, PF_JV_OBJECT))
		return;
	if (!pf_map_get(st->steps, id, &i)) {
		if (st->section == 0)
			open_section(t, t->tutorial_url);
		GROW(t->steps, t->nsteps, st->cap_steps);
		i = t->nsteps++;
		s = &t->steps[i];
		memset(s, 0, sizeof(*s));
		s->id = DUP(id);
		s->section = st->section - 1;
		s->at = at;
		pf_map_put(st->steps, id, i);
	}
	s = &t->steps[i];
	set_action(t, &s->a, action);
	if (type == PF_EVENT_DO_IT)
		s->done = 1;
	else
		s->shown = 1;
	ia = pf_jv_get(action, "internalActions");
	if (pf_jv_is(ia, PF_JV_ARRAY)) {
		uint32_t k;

		free(s->internal);
		s->internal = pf_xcalloc(ia->n ? ia->n : 1,
		    sizeof(*s->internal));
		s->ninternal = 0;
		for (k = 0; k < ia->n; k++)
			if (pf_jv_is(&ia->u.items[k], PF_JV_OBJECT))
				set_action(t, &s->internal[s->ninternal++],
				    &ia->u.items[k]);
	}
	st->current = i + 1;
}

/* Remembers that sender id is called name. */
static void
learn_name(struct pf_tutorial *t, const char *id, const char *name)
{
	struct pf_tut_state *st = t->st;
	size_t i, j;

	if (id == NULL || name == NULL || *name == '\0' ||
	    pf_map_get(st->names, id, &i))
		return;
	GROW(st->known, st->nknown, st->cap_known);
	st->known[st->nknown] = DUP(name);
	pf_map_put(st->names, id, st->nknown++);
	/* An attendee known so far only by name now has an id too. */
	if (pf_map_get(st->by_name, name, &i) &&
	    !pf_map_get(st->by_id, id, &j) && t->attendees[i].id == NULL) {
		t->attendees[i].id = DUP(id);
		pf_map_put(st->by_id, id, i);
	}
}

static const char *
name_of(const struct pf_tutorial *t, const char *id)
{
	size_t i;

	if (id && pf_map_get(t->st->names, id, &i))
		return t->st->known[i];
	return NULL;
}

static struct pf_tut_attendee *
attendee(struct pf_tutorial *t, const char *id, const char *name)
{
	struct pf_tut_state *st = t->st;
	struct pf_tut_attendee *a;
	size_t i;

	if (name == NULL)
		name = name_of(t, id);
	if (id && pf_map_get(st->by_id, id, &i))
		return &t->attendees[i];
	if (name && pf_map_get(st->by_name, name, &i)) {
		a = &t->attendees[i];
		if (id && a->id == NULL) {
			a->id = DUP(id);
			pf_map_put(st->by_id, id, i);
		}
		return a;
	}
	GROW(t->attendees, t->nattendees, st->cap_att);
	i = t->nattendees++;
	a = &t->attendees[i];
	memset(a, 0, sizeof(*a));
	a->id = DUP(id);
	a->name = DUP(name);
	a->joined_at = -1;
	a->left_at = -1;
	if (id)
		pf_map_put(st->by_id, id, i);
	if (name)
		pf_map_put(st->by_name, name, i);
	return a;
}

/* The attendee with this id, or NULL: never a new one. */
static struct pf_tut_attendee *
known_attendee(struct pf_tutorial *t, const char *id)
{
	size_t i;

	if (pf_map_get(t->st->by_id, id, &i))
		return &t->attendees[i];
	return NULL;
}

static void
join(struct pf_tutorial *t, struct pf_tut_attendee *a, int64_t ts,
    const char *mode)
{
	if (mode)
		set_str(t, &a->mode, mode);
	a->joins++;
	if (a->joined_at < 0)
		a->joined_at = ts;
	if (!a->present) {
		a->present = 1;
		a->since = ts;
	}
}

static void
leave(struct pf_tutorial *t, struct pf_tut_attendee *a, int64_t ts)
{
	struct pf_tut_state *st = t->st;

	if (a->present) {
		a->presence = sat_add(a->presence, sat_sub(ts, a->since));
		a->present = 0;
	}
	a->left_at = ts;
	if (st->current) {
		struct pf_tut_step *s = &t->steps[st->current - 1];
		const char *who = a->name ? a->name : a->id ? a->id : "?";

		GROW_POW2(s->left, s->nleft);
		s->left[s->nleft++] = DUP(who);
	}
}

/*
 * An attendee_status "joined" from id: the app's attendee_join carries no
 * sender id, so link id to the latest join without one, if close enough.
 */
static void
pair_join(struct pf_tutorial *t, const char *id, int64_t ts)
{
	struct pf_tut_state *st = t->st;
	size_t i, best = (size_t)-1;

	if (pf_map_get(st->by_id, id, &i) || pf_map_get(st->names, id, &i))
		return;
	for (i = 0; i < t->nattendees; i++) {
		struct pf_tut_attendee *a = &t->attendees[i];

		int64_t d = sat_sub(ts, a->since);

		if (a->id == NULL && a->name && a->joined_at >= 0 &&
		    d <= PAIR_WINDOW_MS && d >= -PAIR_WINDOW_MS &&
		    (best == (size_t)-1 ||
		    a->since > t->attendees[best].since))
			best = i;
	}
	if (best != (size_t)-1)
		learn_name(t, id, t->attendees[best].name);
}

static void
add_chat(struct pf_tutorial *t, const struct pf_jv *ev, int64_t ts,
    int64_t at)
{
	struct pf_tut_state *st = t->st;
	const char *sender = get_str(ev, "senderId");
	const char *id = pf_event_peer(PF_EVENT_CHAT_MESSAGE, ev);
	const char *name = get_str(ev, "senderName");
	const char *text = get_str(ev, "message");
	struct pf_tut_chat *c;
	int presenter = sender != NULL && strcmp(sender, "presenter") == 0;

	if (text == NULL)
		return;
	if (name == NULL)
		name = name_of(t, id);
	if (presenter && t->presenter == NULL && name)
		t->presenter = DUP(name);
	if (!presenter)
		learn_name(t, id, name);
	GROW(t->chat, t->nchat, st->cap_chat);
	c = &t->chat[t->nchat++];
	c->at = at;
	c->ts = ts;
	c->sender_id = DUP(sender);	/* as written, for the export */
	c->name = DUP(name ? name : id ? id : "someone");
	c->text = DUP(text);
	c->presenter = presenter;
	c->step = st->current;
	if (!presenter && strchr(text, '?')) {
		struct pf_tut_qa *q;

		GROW_POW2(t->qa, t->nqa);
		q = &t->qa[t->nqa++];
		memset(q, 0, sizeof(*q));
		q->step = st->current;
		q->at = at;
		q->asker = c->name;
		q->question = c->text;
	} else if (presenter && st->open_qa < t->nqa) {
		struct pf_tut_qa *q = &t->qa[st->open_qa++];

		q->answerer = c->name;
		q->answer = c->text;
		q->answered_at = at;
	}
}

size_t
pf_tutorial_size(const struct pf_tutorial *t)
{
	const struct pf_tut_state *st = t->st;
	size_t n = pf_strarena_size(st->strings);

	n += st->cap_steps * sizeof(*t->steps) + st->cap_chat *
	    sizeof(*t->chat) + st->cap_att * sizeof(*t->attendees) +
	    st->cap_sections * sizeof(*t->sections) + st->cap_known *
	    sizeof(*st->known) + t->nqa * sizeof(*t->qa);
	return n;
}

void
pf_tutorial_add(struct pf_tutorial *t, const struct pf_jv *ev)
{
	struct pf_tut_state *st = t->st;
	const char *tname = get_str(ev, "type");
	const struct pf_jv *tsv = pf_jv_get(ev, "timestamp");
	const char *sid = get_str(ev, "sessionId");
	const char *sender;
	enum pf_event_type type;
	int64_t ts, at;

	if (tname == NULL)
		return;
	t->events++;
	type = pf_event_type_from_name(tname);
	/* Who sent it, when the event says (pfPeer, a real peer id). */
	sender = pf_event_peer(type, ev);
	if (type == PF_EVENT_HEARTBEAT || pf_event_is_handshake(type))
		return;
	ts = pf_jv_is(tsv, PF_JV_INTEGER) ? tsv->u.i : (st->have_start ?
	    t->end : 0);
	if (!st->have_start) {
		st->have_start = 1;
		t->start = ts;
		t->end = ts;
		t->relative = ts < PF_EPOCH_MS_MIN;
	}
	if (ts > t->end)
		t->end = ts;
	at = sat_sub(ts, t->start);
	if (sid && *t->id == '\0') {
		t->id = DUP(sid);
	}
	switch (type) {
	case PF_EVENT_SESSION_START: {
		const struct pf_jv *config = pf_jv_get(ev, "config");

		if (t->title == NULL && get_str(config, "name"))
			t->title = DUP(get_str(config, "name"));
		if (t->default_mode == NULL && get_str(config, "defaultMode"))
			t->default_mode = DUP(get_str(config,
			    "defaultMode"));
		if (get_str(config, "tutorialUrl")) {
			if (t->tutorial_url == NULL)
				t->tutorial_url = DUP(get_str(config,
				    "tutorialUrl"));
			open_section(t, get_str(config, "tutorialUrl"));
		}
		break;
	}
	case PF_EVENT_NAVIGATION:
	case PF_EVENT_SYNC_STATE:
		if (get_str(ev, "tutorialUrl")) {
			if (t->tutorial_url == NULL)
				t->tutorial_url = DUP(get_str(ev,
				    "tutorialUrl"));
			open_section(t, get_str(ev, "tutorialUrl"));
		}
		break;
	case PF_EVENT_SHOW_ME:
	case PF_EVENT_DO_IT:
		add_step(t, type, ev, at);
		break;
	case PF_EVENT_CHAT_MESSAGE:
		add_chat(t, ev, ts, at);
		break;
	case PF_EVENT_HAND_RAISE:
		learn_name(t, sender, get_str(ev, "attendeeName"));
		if (pf_jv_is(pf_jv_get(ev, "isRaised"), PF_JV_TRUE)) {
			t->hands++;
			if (st->current)
				t->steps[st->current - 1].hands++;
		}
		break;
	case PF_EVENT_ATTENDEE_JOIN: {
		const char *name = get_str(ev, "name");

		if (sender)
			learn_name(t, sender, name);
		if (name || sender)
			join(t, attendee(t, sender, name), ts,
			    get_str(ev, "mode"));
		break;
	}
	case PF_EVENT_ATTENDEE_STATUS: {
		const char *status = get_str(ev, "status");
		struct pf_tut_attendee *a;

		if (sender && status && strcmp(status, "joined") == 0)
			pair_join(t, sender, ts);
		if (sender && status && strcmp(status, "left") == 0 &&
		    (a = known_attendee(t, sender)) != NULL && a->present)
			leave(t, a, ts);
		break;
	}
	case PF_EVENT_ATTENDEE_LEAVE: {
		struct pf_tut_attendee *a;

		/*
		 * Its senderId is the leaver's peer id, which no join of the
		 * app names: without pfPeer on the join (or a status that
		 * paired them) it is somebody unknown, not a new attendee.
		 */
		if (sender && (a = known_attendee(t, sender)) != NULL) {
			/* A status "left" may have come first: count once. */
			if (a->present || a->left_at < 0)
				leave(t, a, ts);
			a->left_at = ts;
		}
		break;
	}
	case PF_EVENT_MODE_CHANGE:
		if (sender && get_str(ev, "mode")) {
			size_t i;

			if (pf_map_get(st->by_id, sender, &i))
				set_str(t, &t->attendees[i].mode,
				    get_str(ev, "mode"));
		}
		break;
	default:
		break;
	}
}

void
pf_tutorial_use_document(struct pf_tutorial *t, const struct pf_jv *doc)
{
	const struct pf_jv *presenter;
	const char *s;

	if (doc == NULL)
		return;
	presenter = pf_jv_get(doc, "presenter");
	if (t->title == NULL && (s = get_str(doc, "name")) != NULL)
		t->title = DUP(s);
	if (t->presenter == NULL && (s = get_str(presenter, "name")) != NULL)
		t->presenter = DUP(s);
	if (t->tutorial_url == NULL &&
	    (s = get_str(doc, "tutorialUrl")) != NULL)
		t->tutorial_url = DUP(s);
	if (*t->id == '\0' && ((s = get_str(doc, "id")) != NULL ||
	    (s = get_str(doc, "sessionId")) != NULL)) {
		t->id = DUP(s);
	}
}

void
pf_tutorial_finish(struct pf_tutorial *t)
{
	size_t i;

	if (t->title == NULL)
		t->title = DUP("Untitled session");
	for (i = 0; i < t->nsteps; i++) {
		int64_t until = i + 1 < t->nsteps ? t->steps[i + 1].at :
		    sat_sub(t->end, t->start);

		t->steps[i].duration = until > t->steps[i].at ?
		    sat_sub(until, t->steps[i].at) : 0;
		if (t->sections[t->steps[i].section].nsteps++ == 0)
			t->sections[t->steps[i].section].first_step = i;
	}
	/* Group the questions by step, keeping their order: a counting sort. */
	t->qa_start = pf_xcalloc(t->nsteps + 2, sizeof(*t->qa_start));
	t->qa_order = pf_xcalloc(t->nqa ? t->nqa : 1, sizeof(*t->qa_order));
	for (i = 0; i < t->nqa; i++)
		t->qa_start[t->qa[i].step + 1]++;
	for (i = 1; i < t->nsteps + 2; i++)
		t->qa_start[i] += t->qa_start[i - 1];
	{
		size_t *fill = pf_xcalloc(t->nsteps + 1, sizeof(*fill));

		for (i = 0; i < t->nqa; i++) {
			size_t s = t->qa[i].step;

			t->qa_order[t->qa_start[s] + fill[s]++] = i;
		}
		free(fill);
	}
	for (i = 0; i < t->nattendees; i++) {
		struct pf_tut_attendee *a = &t->attendees[i];

		if (a->present) {
			a->presence = sat_add(a->presence,
			    sat_sub(t->end, a->since));
			a->present = 0;
		}
	}
}

struct pf_tutorial *
pf_tutorial_read(struct pf_source *src, const struct pf_tutorial_hooks *hooks,
    struct pf_err *err)
{
	struct pf_tutorial *t = pf_tutorial_new();
	struct pf_source_event e;
	int n;

	while ((n = pf_source_next(src, &e, err)) > 0) {
		const struct pf_jv *ev = e.ev;

		if (hooks && hooks->prepare) {
			ev = hooks->prepare(hooks->ctx, src, &e);
			if (ev == NULL)
				continue;
		}
		pf_tutorial_add(t, ev);
		/* Checked as it grows: a chat bomb is refused, not held. */
		if (pf_tutorial_size(t) > PF_TUTORIAL_MAX) {
			pf_err_set_at(err, PF_ERR_DATA, e.line, 0, "the "
			    "session keeps more than %zu MiB of chat, steps "
			    "and names: over the cap", PF_TUTORIAL_MAX >> 20);
			goto fail;
		}
		if (hooks && hooks->fed)
			hooks->fed(hooks->ctx);
	}
	if (n < 0)
		goto fail;
	if (t->events == 0) {
		pf_err_set(err, PF_ERR_DATA, 0, "no events: not a recording");
		goto fail;
	}
	pf_tutorial_use_document(t, pf_source_document(src));
	pf_tutorial_finish(t);
	return t;
fail:
	pf_tutorial_free(t);
	return NULL;
}

const size_t *
pf_tutorial_step_qa(const struct pf_tutorial *t, size_t step, size_t *n)
{
	if (t->qa_start == NULL || step > t->nsteps) {
		*n = 0;
		return NULL;
	}
	*n = t->qa_start[step + 1] - t->qa_start[step];
	return t->qa_order + t->qa_start[step];
}

int64_t
pf_tutorial_duration(const struct pf_tutorial *t)
{
	return sat_sub(t->end, t->start);
}

void
pf_tutorial_free(struct pf_tutorial *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nsteps; i++) {
		free(t->steps[i].internal);
		free(t->steps[i].left);
	}
	free(t->st->known);
	pf_map_free(t->st->steps);
	pf_map_free(t->st->by_name);
	pf_map_free(t->st->by_id);
	pf_map_free(t->st->names);
	pf_strarena_free(t->st->strings);
	free(t->st);
	free(t->steps);
	free(t->sections);
	free(t->chat);
	free(t->qa);
	free(t->qa_order);
	free(t->qa_start);
	free(t->attendees);
	free(t);
}
