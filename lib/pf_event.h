/*
 * pf_event: the Pathfinder live-session event model.
 *
 * One table says, for every event type the app sends or plans (FORMATS.md
 * section 1), which base fields it carries and which fields of its own,
 * with their JSON types and allowed values.  The linter walks this table,
 * the other tools ask it what a type is; nothing else hard-codes fields.
 *
 * Everything returned here is static and borrowed for the program's life.
 */
#ifndef PF_EVENT_H
#define PF_EVENT_H

#include <stdint.h>

enum pf_event_type {
	PF_EVENT_UNKNOWN = 0,
	PF_EVENT_SESSION_START,
	PF_EVENT_SESSION_END,
	PF_EVENT_NAVIGATION,
	PF_EVENT_SHOW_ME,
	PF_EVENT_DO_IT,
	PF_EVENT_CHAT_MESSAGE,
	PF_EVENT_PAUSE,
	PF_EVENT_RESUME,
	PF_EVENT_END,
	PF_EVENT_ATTENDEE_STATUS,
	PF_EVENT_ATTENDEE_JOIN,
	PF_EVENT_ATTENDEE_LEAVE,
	PF_EVENT_MODE_CHANGE,
	PF_EVENT_SYNC_STATE,
	PF_EVENT_HEARTBEAT,
	PF_EVENT_HAND_RAISE,
	PF_EVENT_PRESENTER_CHALLENGE,	/* handshake, not session content */
	PF_EVENT_PRESENTER_RESPONSE,	/* handshake, not session content */
	PF_EVENT__COUNT
};

/* The JSON type a field must have. */
enum pf_field_kind {
	PF_FIELD_STRING,
	PF_FIELD_INTEGER,	/* a JSON integer (no fraction, no exponent) */
	PF_FIELD_NUMBER,	/* integer or real */
	PF_FIELD_BOOLEAN,
	PF_FIELD_OBJECT,
	PF_FIELD_ARRAY
};

enum pf_field_flag {
	PF_FIELD_REQUIRED = 1 << 0,
	PF_FIELD_MIN1 = 1 << 1,		/* integer >= 1 */
	PF_FIELD_NONNEG = 1 << 2,	/* integer >= 0 */
	/*
	 * values lists what the app knows, but it takes any string (mode,
	 * status): another value is a warning, not an error.
	 */
	PF_FIELD_APP_VALUES = 1 << 3
};

/*
 * One field.  Lists of fields end with an entry whose name is NULL.
 * values: for enumerations, the allowed strings, NULL-terminated.
 * fields: for objects, the fields of the object; for arrays, the fields of
 * each element (elements are objects).
 */
struct pf_field {
	const char *name;
	enum pf_field_kind kind;
	unsigned flags;
	const char *const *values;
	const struct pf_field *fields;
};

/* Which base fields a type requires: a mask of these. */
enum pf_base_field {
	PF_BASE_SESSION_ID = 1 << 0,
	PF_BASE_SENDER_ID = 1 << 1,
	PF_BASE_TIMESTAMP = 1 << 2
};

/* Epoch milliseconds below this are relative (ms since session start). */
#define PF_EPOCH_MS_MIN INT64_C(1000000000000)

/* The "type" string of t ("unknown" for PF_EVENT_UNKNOWN). */
const char *pf_event_type_name(enum pf_event_type t);

/* The type named s, or PF_EVENT_UNKNOWN. */
enum pf_event_type pf_event_type_from_name(const char *s);

/* The base fields t requires (enum pf_base_field mask). */
unsigned pf_event_base_required(enum pf_event_type t);

/* The type's own fields (base fields excluded), NULL-name terminated. */
const struct pf_field *pf_event_fields(enum pf_event_type t);

struct pf_jv;

/*
 * pf's own field on the events of an attendee, in a presenter-side
 * recording: the PeerJS id of the connection the message came on, written
 * by whatever recorded it (pf-live host).  The app's messages carry no
 * identity of their sender but attendee_leave's senderId, which is that
 * same peer id; this field pairs a join with its leave.
 */
#define PF_EVENT_PEER_FIELD "pfPeer"

/*
 * Nonzero for the base field names: type, sessionId, timestamp, senderId,
 * and pf's own pfPeer.
 */
int pf_event_is_base_field(const char *name);

/*
 * Who sent ev, as an identity to count attendees by: pfPeer when present;
 * else senderId, unless it is one of the app's stand-ins for a role
 * ("attendee" on echoes and raised hands, "presenter" on steps, the session
 * id on the presenter's heartbeats).  NULL when the event names nobody.
 * Borrowed from ev.
 */
const char *pf_event_peer(enum pf_event_type t, const struct pf_jv *ev);

/*
 * Nonzero if ev's timestamp is the presenter's clock (its own events and
 * heartbeats); zero for an attendee's clock (join, leave, raised hands, mode
 * changes, heartbeat echoes), which may run behind or ahead.
 */
int pf_event_presenter_clock(enum pf_event_type t, const struct pf_jv *ev);

/* Nonzero for show_me and do_it. */
int pf_event_is_step(enum pf_event_type t);

/* Nonzero for presenter_challenge and presenter_response. */
int pf_event_is_handshake(enum pf_event_type t);

struct pf_buf;

/*
 * Appends a one-line human summary of the event ev of type t to out, for
 * annotations and listings: "do_it: button 'Add data source'",
 * "chat: Priya: Which port?", "Priya Raman joined (guided)".
 */
void pf_event_summary(enum pf_event_type t, const struct pf_jv *ev,
    struct pf_buf *out);

/* The name of a field kind for messages: "a string", "an integer", ... */
const char *pf_field_kind_name(enum pf_field_kind k);

#endif
