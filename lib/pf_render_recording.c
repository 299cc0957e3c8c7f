/*
 * pf_render_recording: a SessionRecording document (the app's export),
 * written in three parts: the head, each event as the caller hands it
 * over, and the tail with the chat and the attendees.
 */
#include <inttypes.h>

#include "pf_render.h"
#include "pf_render_int.h"
#include "pf_time.h"

int
pf_render_recording_head(const struct pf_tutorial *t, FILE *out)
{
	char iso[40];

	fputs("{\n  \"id\": ", out);
	J(t->id);
	fputs(",\n  \"name\": ", out);
	J(t->title);
	fputs(",\n  \"presenter\": {\"id\": \"presenter\"", out);
	if (t->presenter) {
		fputs(", \"name\": ", out);
		J(t->presenter);
	}
	fputs("},\n  \"tutorialUrl\": ", out);
	J(t->tutorial_url ? t->tutorial_url : "");
	pf_time_format_iso8601(t->relative ? 0 : t->start, iso, sizeof(iso));
	fprintf(out, ",\n  \"duration\": %" PRId64 ",\n  \"recordedAt\": "
	    "\"%s\",\n  \"events\": [", pf_tutorial_duration(t), iso);
	return ferror(out) ? -1 : 0;
}

int
pf_render_recording_event(const char *json, size_t n, int first, FILE *out)
{
	fputs(first ? "\n    " : ",\n    ", out);
	fwrite(json, 1, n, out);
	return ferror(out) ? -1 : 0;
}

int
pf_render_recording_tail(const struct pf_tutorial *t, FILE *out)
{
	size_t i;

	fputs(t->events ? "\n  ],\n  \"chat\": [" : "],\n  \"chat\": [", out);
	for (i = 0; i < t->nchat; i++) {
		const struct pf_tut_chat *c = &t->chat[i];

		fprintf(out, "%s\n    {\"type\": \"chat_message\", "
		    "\"sessionId\": ", i ? "," : "");
		J(t->id);
		fprintf(out, ", \"timestamp\": %" PRId64, c->ts);
		if (c->sender_id) {
			fputs(", \"senderId\": ", out);
			J(c->sender_id);
		}
		fputs(", \"senderName\": ", out);
		J(c->name);
		fputs(", \"message\": ", out);
		J(c->text);
		fputc('}', out);
	}
	fputs(t->nchat ? "\n  ],\n  \"attendees\": [" :
	    "],\n  \"attendees\": [", out);
	for (i = 0; i < t->nattendees; i++) {
		const struct pf_tut_attendee *a = &t->attendees[i];

		fputs(i ? ",\n    {\"id\": " : "\n    {\"id\": ", out);
		J(a->id ? a->id : a->name);
		if (a->name) {
			fputs(", \"name\": ", out);
			J(a->name);
		}
		fprintf(out, ", \"joinedAt\": %" PRId64, a->joined_at >= 0 ?
		    a->joined_at : t->start);
		if (a->left_at >= 0)
			fprintf(out, ", \"leftAt\": %" PRId64, a->left_at);
		fputc('}', out);
	}
	fputs(t->nattendees ? "\n  ]\n}\n" : "]\n}\n", out);
	return ferror(out) ? -1 : 0;
}
