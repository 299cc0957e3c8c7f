/*
 * pf_event: the table of event types and their fields, from FORMATS.md
 * section 1.  Where the seed documents and the shipped app differ, both are
 * accepted (watch mode, the caught_up/behind statuses).
 */
#include <string.h>

#include "pf_buf.h"
#include "pf_event.h"
#include "pf_jv.h"

#define REQ PF_FIELD_REQUIRED
#define APP PF_FIELD_APP_VALUES
#define END { NULL, 0, 0, NULL, NULL }

/* What the app knows (FORMATS.md 1; its collaboration types). */
static const char *const modes[] = { "guided", "follow", NULL };
static const char *const target_actions[] = {
	"button", "highlight", "formfill", "navigate", "hover", "multistep",
	NULL
};
static const char *const statuses[] = {
	"joined", "left", "mode_changed", "error", NULL
};

static const struct pf_field config_fields[] = {
	{ "name", PF_FIELD_STRING, REQ, NULL, NULL },
	{ "tutorialUrl", PF_FIELD_STRING, REQ, NULL, NULL },
	{ "defaultMode", PF_FIELD_STRING, REQ | APP, modes, NULL },
	END
};

static const struct pf_field internal_action_fields[] = {
	{ "targetAction", PF_FIELD_STRING, REQ, NULL, NULL },
	{ "refTarget", PF_FIELD_STRING, 0, NULL, NULL },
	{ "targetValue", PF_FIELD_STRING, 0, NULL, NULL },
	{ "targetState", PF_FIELD_STRING, 0, NULL, NULL },
	{ "requirements", PF_FIELD_STRING, 0, NULL, NULL },
	{ "targetComment", PF_FIELD_STRING, 0, NULL, NULL },
	END
};

static const struct pf_field action_fields[] = {
	{ "targetAction", PF_FIELD_STRING, REQ, target_actions, NULL },
	{ "refTarget", PF_FIELD_STRING, REQ, NULL, NULL },
	{ "targetValue", PF_FIELD_STRING, 0, NULL, NULL },
	{ "targetComment", PF_FIELD_STRING, 0, NULL, NULL },
	{ "internalActions", PF_FIELD_ARRAY, 0, NULL, internal_action_fields },
	END
};

static const struct pf_field coordinates_fields[] = {
	{ "x", PF_FIELD_NUMBER, REQ, NULL, NULL },
	{ "y", PF_FIELD_NUMBER, REQ, NULL, NULL },
	END
};

static const struct pf_field no_fields[] = { END };

static const struct pf_field session_start_fields[] = {
	{ "config", PF_FIELD_OBJECT, REQ, NULL, config_fields },
	END
};

static const struct pf_field session_end_fields[] = {
	{ "reason", PF_FIELD_STRING, 0, NULL, NULL },
	END
};

static const struct pf_field navigation_fields[] = {
	{ "tutorialUrl", PF_FIELD_STRING, REQ, NULL, NULL },
	{ "stepNumber", PF_FIELD_INTEGER, PF_FIELD_MIN1, NULL, NULL },
	END
};

static const struct pf_field step_fields[] = {
	{ "stepId", PF_FIELD_STRING, REQ, NULL, NULL },
	{ "action", PF_FIELD_OBJECT, REQ, NULL, action_fields },
	{ "coordinates", PF_FIELD_OBJECT, 0, NULL, coordinates_fields },
	END
};

static const struct pf_field chat_fields[] = {
	{ "senderName", PF_FIELD_STRING, REQ, NULL, NULL },
	{ "message", PF_FIELD_STRING, REQ, NULL, NULL },
	END
};

static const struct pf_field control_fields[] = {
	{ "message", PF_FIELD_STRING, 0, NULL, NULL },
	END
};

static const struct pf_field attendee_status_fields[] = {
	{ "status", PF_FIELD_STRING, REQ | APP, statuses, NULL },
	{ "currentStep", PF_FIELD_INTEGER, 0, NULL, NULL },
	{ "mode", PF_FIELD_STRING, APP, modes, NULL },
	{ "error", PF_FIELD_STRING, 0, NULL, NULL },
	END
};

static const struct pf_field attendee_join_fields[] = {
	{ "name", PF_FIELD_STRING, REQ, NULL, NULL },
	{ "mode", PF_FIELD_STRING, REQ | APP, modes, NULL },
	END
};

static const struct pf_field mode_change_fields[] = {
	{ "mode", PF_FIELD_STRING, REQ | APP, modes, NULL },
	END
};

static const struct pf_field sync_state_fields[] = {
	{ "tutorialUrl", PF_FIELD_STRING, REQ, NULL, NULL },
	{ "stepNumber", PF_FIELD_INTEGER, REQ | PF_FIELD_MIN1, NULL, NULL },
	END
};

static const struct pf_field heartbeat_fields[] = {
	{ "sentAt", PF_FIELD_INTEGER, REQ | PF_FIELD_NONNEG, NULL, NULL },
	END
};

static const struct pf_field hand_raise_fields[] = {
	{ "attendeeName", PF_FIELD_STRING, REQ, NULL, NULL },
	{ "isRaised", PF_FIELD_BOOLEAN, REQ, NULL, NULL },
	END
};

static const struct pf_field challenge_fields[] = {
	{ "nonce", PF_FIELD_STRING, REQ, NULL, NULL },
	END
};

static const struct pf_field response_fields[] = {
	{ "nonce", PF_FIELD_STRING, REQ, NULL, NULL },
	{ "signature", PF_FIELD_STRING, REQ, NULL, NULL },
	END
};

#define SID PF_BASE_SESSION_ID
#define SND PF_BASE_SENDER_ID
#define TS PF_BASE_TIMESTAMP

static const struct {
	const char *name;
	unsigned base;
	const struct pf_field *fields;
} types[PF_EVENT__COUNT] = {
	[PF_EVENT_UNKNOWN] = { "unknown", TS, no_fields },
	[PF_EVENT_SESSION_START] = { "session_start", SID | TS,
	    session_start_fields },
	[PF_EVENT_SESSION_END] = { "session_end", SID | TS,
	    session_end_fields },
	[PF_EVENT_NAVIGATION] = { "navigation", SID | SND | TS,
	    navigation_fields },
	[PF_EVENT_SHOW_ME] = { "show_me", SID | SND | TS, step_fields },
	[PF_EVENT_DO_IT] = { "do_it", SID | SND | TS, step_fields },
	[PF_EVENT_CHAT_MESSAGE] = { "chat_message", SID | SND | TS,
	    chat_fields },
	[PF_EVENT_PAUSE] = { "pause", SID | SND | TS, control_fields },
	[PF_EVENT_RESUME] = { "resume", SID | SND | TS, control_fields },
	[PF_EVENT_END] = { "end", SID | SND | TS, control_fields },
	[PF_EVENT_ATTENDEE_STATUS] = { "attendee_status", SID | SND | TS,
	    attendee_status_fields },
	[PF_EVENT_ATTENDEE_JOIN] = { "attendee_join", TS,
	    attendee_join_fields },
	[PF_EVENT_ATTENDEE_LEAVE] = { "attendee_leave", SID | SND | TS,
	    no_fields },
	[PF_EVENT_MODE_CHANGE] = { "mode_change", SID | SND | TS,
	    mode_change_fields },
	[PF_EVENT_SYNC_STATE] = { "sync_state", SID | SND | TS,
	    sync_state_fields },
	[PF_EVENT_HEARTBEAT] = { "heartbeat", SID | SND | TS,
	    heartbeat_fields },
	[PF_EVENT_HAND_RAISE] = { "hand_raise", SID | SND | TS,
	    hand_raise_fields },
	[PF_EVENT_PRESENTER_CHALLENGE] = { "presenter_challenge", 0,
	    challenge_fields },
	[PF_EVENT_PRESENTER_RESPONSE] = { "presenter_response", 0,
	    response_fields },
};

const char *
pf_event_type_name(enum pf_event_type t)
{
	if ((unsigned)t >= PF_EVENT__COUNT)
		t = PF_EVENT_UNKNOWN;
	return types[t].name;
}

enum pf_event_type
pf_event_type_from_name(const char *s)
{
	int i;

	/* Few types, short names: a scan beats a hash at this size. */
	for (i = 1; i < PF_EVENT__COUNT; i++)
		if (s[0] == types[i].name[0] && strcmp(s, types[i].name) == 0)
			return (enum pf_event_type)i;
	return PF_EVENT_UNKNOWN;
}

unsigned
pf_event_base_required(enum pf_event_type t)
{
	if ((unsigned)t >= PF_EVENT__COUNT)
		t = PF_EVENT_UNKNOWN;
	return types[t].base;
}

const struct pf_field *
pf_event_fields(enum pf_event_type t)
{
	if ((unsigned)t >= PF_EVENT__COUNT)
		t = PF_EVENT_UNKNOWN;
	return types[t].fields;
}

int
pf_event_is_base_field(const char *name)
{
	return strcmp(name, "type") == 0 || strcmp(name, "sessionId") == 0 ||
	    strcmp(name, "timestamp") == 0 || strcmp(name, "senderId") == 0 ||
	    strcmp(name, PF_EVENT_PEER_FIELD) == 0;
}

const char *
pf_event_peer(enum pf_event_type t, const struct pf_jv *ev)
{
	const char *peer = pf_jv_str(pf_jv_get(ev, PF_EVENT_PEER_FIELD));
	const char *sender = pf_jv_str(pf_jv_get(ev, "senderId"));
	const char *sid = pf_jv_str(pf_jv_get(ev, "sessionId"));

	if (peer && *peer)
		return peer;
	if (sender == NULL || *sender == '\0')
		return NULL;
	/* The app's stand-ins for a role, not a person (FORMATS.md 1). */
	if (strcmp(sender, "attendee") == 0 ||
	    strcmp(sender, "presenter") == 0 || strcmp(sender, "unknown") == 0 ||
	    (sid && strcmp(sender, sid) == 0))
		return NULL;
	(void)t;
	return sender;
}

int
pf_event_presenter_clock(enum pf_event_type t, const struct pf_jv *ev)
{
	const char *sender = pf_jv_str(pf_jv_get(ev, "senderId"));
	const char *sid = pf_jv_str(pf_jv_get(ev, "sessionId"));

	switch (t) {
	case PF_EVENT_SESSION_START:
	case PF_EVENT_SESSION_END:
	case PF_EVENT_SHOW_ME:
	case PF_EVENT_DO_IT:
	case PF_EVENT_NAVIGATION:
	case PF_EVENT_SYNC_STATE:
	case PF_EVENT_PAUSE:
	case PF_EVENT_RESUME:
	case PF_EVENT_END:
		return 1;
	case PF_EVENT_ATTENDEE_JOIN:
	case PF_EVENT_ATTENDEE_LEAVE:
	case PF_EVENT_HAND_RAISE:
	case PF_EVENT_MODE_CHANGE:
		return 0;
	default:
		/* heartbeats, chat, status: whoever sent it */
		if (pf_jv_get(ev, PF_EVENT_PEER_FIELD) != NULL)
			return 0;
		return sender != NULL && (strcmp(sender, "presenter") == 0 ||
		    (sid != NULL && strcmp(sender, sid) == 0));
	}
}

int
pf_event_is_step(enum pf_event_type t)
{
	return t == PF_EVENT_SHOW_ME || t == PF_EVENT_DO_IT;
}

int
pf_event_is_handshake(enum pf_event_type t)
{
	return t == PF_EVENT_PRESENTER_CHALLENGE ||
	    t == PF_EVENT_PRESENTER_RESPONSE;
}

const char *
pf_field_kind_name(enum pf_field_kind k)
{
	switch (k) {
	case PF_FIELD_STRING:
		return "a string";
	case PF_FIELD_INTEGER:
		return "an integer";
	case PF_FIELD_NUMBER:
		return "a number";
	case PF_FIELD_BOOLEAN:
		return "a boolean";
	case PF_FIELD_OBJECT:
		return "an object";
	case PF_FIELD_ARRAY:
		return "an array";
	}
	return "a value";
}

/* The string member key of ev, or def. */
static const char *
str(const struct pf_jv *ev, const char *key, const char *def)
{
	const char *s = pf_jv_str(pf_jv_get(ev, key));

	return s ? s : def;
}

void
pf_event_summary(enum pf_event_type t, const struct pf_jv *ev,
    struct pf_buf *out)
{
	const struct pf_jv *action = pf_jv_get(ev, "action");
	const struct pf_jv *config = pf_jv_get(ev, "config");

	switch (t) {
	case PF_EVENT_SHOW_ME:
	case PF_EVENT_DO_IT:
		pf_buf_addf(out, "%s: %s '%s'", pf_event_type_name(t),
		    str(action, "targetAction", "action"),
		    str(action, "refTarget", ""));
		break;
	case PF_EVENT_SESSION_START:
		pf_buf_addf(out, "session started: %s",
		    str(config, "name", "(unnamed)"));
		break;
	case PF_EVENT_SESSION_END:
		pf_buf_addf(out, "session ended: %s",
		    str(ev, "reason", "no reason given"));
		break;
	case PF_EVENT_NAVIGATION:
		pf_buf_addf(out, "navigation: %s", str(ev, "tutorialUrl", ""));
		break;
	case PF_EVENT_CHAT_MESSAGE:
		pf_buf_addf(out, "chat: %s: %s", str(ev, "senderName", "?"),
		    str(ev, "message", ""));
		break;
	case PF_EVENT_PAUSE:
	case PF_EVENT_RESUME:
	case PF_EVENT_END:
		pf_buf_adds(out, pf_event_type_name(t));
		if (pf_jv_str(pf_jv_get(ev, "message")))
			pf_buf_addf(out, ": %s", str(ev, "message", ""));
		break;
	case PF_EVENT_ATTENDEE_JOIN:
		pf_buf_addf(out, "%s joined (%s)", str(ev, "name", "someone"),
		    str(ev, "mode", "guided"));
		break;
	case PF_EVENT_ATTENDEE_LEAVE:
		pf_buf_addf(out, "%s left", str(ev, "senderId", "someone"));
		break;
	case PF_EVENT_ATTENDEE_STATUS:
		pf_buf_addf(out, "%s: %s", str(ev, "senderId", "attendee"),
		    str(ev, "status", "status"));
		break;
	case PF_EVENT_MODE_CHANGE:
		pf_buf_addf(out, "%s switched to %s mode",
		    str(ev, "senderId", "attendee"), str(ev, "mode", "?"));
		break;
	case PF_EVENT_SYNC_STATE:
		pf_buf_addf(out, "sync: %s", str(ev, "tutorialUrl", ""));
		break;
	case PF_EVENT_HAND_RAISE:
		pf_buf_addf(out, "%s %s a hand",
		    str(ev, "attendeeName", "someone"),
		    pf_jv_is(pf_jv_get(ev, "isRaised"), PF_JV_FALSE) ?
		    "lowered" : "raised");
		break;
	default:
		pf_buf_adds(out, str(ev, "type", "event"));
		break;
	}
}
