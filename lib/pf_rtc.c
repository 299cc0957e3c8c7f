/*
 * pf_rtc.c: one webrtcbin data channel as PeerJS's offerer or answerer,
 * with every webrtcbin callback passed on to the caller's GLib main context.
 */
#include <string.h>

#include <gst/gst.h>
#include <gst/sdp/sdp.h>
#define GST_USE_UNSTABLE_API
#include <gst/webrtc/webrtc.h>

#include "pf_alloc.h"
#include "pf_rtc.h"

struct pf_rtc {
	GMainContext *ctx;
	GstElement *pipe, *webrtc;
	GMutex lock;		/* guards channel and failing */
	GstWebRTCDataChannel *channel;
	GSource *failing;	/* a failure held back: see on_bus */
	void (*on_event)(void *ctx, const struct pf_rtc_event *ev);
	void *cb_ctx;
	gint pending;		/* items posted, not yet freed */
	gint dying;
	int done;		/* CLOSED delivered: nothing more */
	int open;
};

struct item {
	struct pf_rtc *r;
	enum pf_rtc_kind kind;
	char *text;
	unsigned mline;
	GBytes *bytes;
};

static gboolean
deliver(gpointer data)
{
	struct item *it = data;
	struct pf_rtc *r = it->r;
	struct pf_rtc_event ev = { it->kind, it->text, it->mline, NULL, 0 };
	gsize n = 0;

	if (g_atomic_int_get(&r->dying) || r->done)
		return G_SOURCE_REMOVE;
	if (it->bytes) {
		ev.data = g_bytes_get_data(it->bytes, &n);
		ev.len = n;
	}
	if (it->kind == PF_RTC_OPEN) {
		if (r->open)
			return G_SOURCE_REMOVE;	/* told twice on adoption */
		r->open = 1;
	}
	if (it->kind == PF_RTC_CLOSED) {
		r->done = 1;
		r->open = 0;
	}
	r->on_event(r->cb_ctx, &ev);
	return G_SOURCE_REMOVE;
}

static void
item_free(gpointer data)
{
	struct item *it = data;

	g_free(it->text);
	if (it->bytes)
		g_bytes_unref(it->bytes);
	g_atomic_int_add(&it->r->pending, -1);
	g_free(it);
}

/*
 * Passes an event to the main context, after ms milliseconds or (0) at
 * once; text is copied, bytes reffed.  Returns the source (a reference
 * for the caller) when ms is not 0.
 */
static GSource *
post_in(struct pf_rtc *r, enum pf_rtc_kind kind, const char *text,
    unsigned mline, GBytes *bytes, guint ms)
{
	struct item *it;
	GSource *src;

	if (g_atomic_int_get(&r->dying))
		return NULL;
	it = g_new0(struct item, 1);
	it->r = r;
	it->kind = kind;
	it->text = g_strdup(text);
	it->mline = mline;
	it->bytes = bytes ? g_bytes_ref(bytes) : NULL;
	g_atomic_int_inc(&r->pending);
	src = ms ? g_timeout_source_new(ms) : g_idle_source_new();
	g_source_set_priority(src, G_PRIORITY_DEFAULT);
	g_source_set_callback(src, deliver, it, item_free);
	g_source_attach(src, r->ctx);
	if (ms)
		return src;
	g_source_unref(src);
	return NULL;
}

static void
post(struct pf_rtc *r, enum pf_rtc_kind kind, const char *text,
    unsigned mline, GBytes *bytes)
{
	post_in(r, kind, text, mline, bytes, 0);
}

/*
 * Our SDP ("offer" or "answer", as the promise's reply names it) is made:
 * it becomes the local description and goes to the caller as kind.
 */
static void
described(struct pf_rtc *r, GstPromise *promise, const char *field,
    enum pf_rtc_kind kind, const char *failure)
{
	const GstStructure *reply;
	GstWebRTCSessionDescription *desc = NULL;
	gchar *text;

	if (gst_promise_wait(promise) != GST_PROMISE_RESULT_REPLIED ||
	    !(reply = gst_promise_get_reply(promise)) ||
	    !gst_structure_get(reply, field,
	    GST_TYPE_WEBRTC_SESSION_DESCRIPTION, &desc, NULL) || !desc) {
		post(r, PF_RTC_CLOSED, failure, 0, NULL);
		gst_promise_unref(promise);
		return;
	}
	gst_promise_unref(promise);
	g_signal_emit_by_name(r->webrtc, "set-local-description", desc, NULL);
	text = gst_sdp_message_as_text(desc->sdp);
	post(r, kind, text, 0, NULL);
	g_free(text);
	gst_webrtc_session_description_free(desc);
}

static void
offer_created(GstPromise *promise, gpointer data)
{
	described(data, promise, "offer", PF_RTC_OFFER,
	    "webrtcbin could not make an SDP offer");
}

static void
answer_created(GstPromise *promise, gpointer data)
{
	described(data, promise, "answer", PF_RTC_ANSWER,
	    "webrtcbin could not answer the peer's SDP offer");
}

/* The offer is in place: now the answer can be made. */
static void
offer_taken(GstPromise *promise, gpointer data)
{
	struct pf_rtc *r = data;
	GstPromise *p;

	gst_promise_unref(promise);
	p = gst_promise_new_with_change_func(answer_created, r, NULL);
	g_signal_emit_by_name(r->webrtc, "create-answer", NULL, p);
}

static void
on_ice_candidate(GstElement *webrtc, guint mline, gchar *candidate,
    gpointer data)
{
	post(data, PF_RTC_CANDIDATE, candidate, mline, NULL);
}

static void
on_ice_state(GObject *obj, GParamSpec *pspec, gpointer data)
{
	GstWebRTCICEConnectionState s;

	g_object_get(obj, "ice-connection-state", &s, NULL);
	if (s == GST_WEBRTC_ICE_CONNECTION_STATE_FAILED)
		post(data, PF_RTC_CLOSED, "no network path to the peer "
		    "(ICE failed)", 0, NULL);
}

static void
on_open(GstWebRTCDataChannel *ch, gpointer data)
{
	post(data, PF_RTC_OPEN, NULL, 0, NULL);
}

static void
on_close(GstWebRTCDataChannel *ch, gpointer data)
{
	post(data, PF_RTC_CLOSED, "the peer closed the data channel", 0,
	    NULL);
}

static void
on_error(GstWebRTCDataChannel *ch, GError *error, gpointer data)
{
	char *msg = g_strdup_printf("the data channel failed: %s",
	    error ? error->message : "no reason given");

	post(data, PF_RTC_CLOSED, msg, 0, NULL);
	g_free(msg);
}

static void
on_data(GstWebRTCDataChannel *ch, GBytes *bytes, gpointer data)
{
	if (bytes)
		post(data, PF_RTC_MESSAGE, NULL, 0, bytes);
}

static void
on_string(GstWebRTCDataChannel *ch, gchar *s, gpointer data)
{
	GBytes *b;

	if (!s)
		return;
	b = g_bytes_new(s, strlen(s));
	post(data, PF_RTC_MESSAGE, NULL, 0, b);
	g_bytes_unref(b);
}

static void
watch_channel(struct pf_rtc *r)
{
	g_signal_connect(r->channel, "on-open", G_CALLBACK(on_open), r);
	g_signal_connect(r->channel, "on-close", G_CALLBACK(on_close), r);
	g_signal_connect(r->channel, "on-error", G_CALLBACK(on_error), r);
	g_signal_connect(r->channel, "on-message-data", G_CALLBACK(on_data),
	    r);
	g_signal_connect(r->channel, "on-message-string",
	    G_CALLBACK(on_string), r);
}

/* The answerer's channel: the first the peer opens is the session's. */
static void
on_data_channel(GstElement *webrtc, GstWebRTCDataChannel *ch, gpointer data)
{
	struct pf_rtc *r = data;
	GstWebRTCDataChannelState state;

	g_mutex_lock(&r->lock);
	if (r->channel || g_atomic_int_get(&r->dying)) {
		g_mutex_unlock(&r->lock);
		return;
	}
	r->channel = g_object_ref(ch);
	watch_channel(r);
	g_object_get(ch, "ready-state", &state, NULL);
	g_mutex_unlock(&r->lock);
	/* It may be open already: then on-open has been and gone. */
	if (state == GST_WEBRTC_DATA_CHANNEL_STATE_OPEN)
		post(r, PF_RTC_OPEN, NULL, 0, NULL);
}

/*
 * A peer that sends its last message and hangs up at once (the app's
 * endSession: session_end, then close) has the message and its SCTP ABORT
 * arrive together.  sctpenc's error reaches this bus on the thread that has
 * just taken the message in, before webrtcbin's own thread passes the
 * message on; so the failure waits FAIL_GRACE_MS behind what is already
 * inside (0.1 to 4.5 ms, measured), and the message is not lost.
 */
#define FAIL_GRACE_MS 250

static GstBusSyncReply
on_bus(GstBus *bus, GstMessage *m, gpointer data)
{
	struct pf_rtc *r = data;
	GError *error = NULL;
	char *msg;

	if (GST_MESSAGE_TYPE(m) == GST_MESSAGE_ERROR) {
		gst_message_parse_error(m, &error, NULL);
		msg = g_strdup_printf("WebRTC failed: %s",
		    error ? error->message : "no reason given");
		g_mutex_lock(&r->lock);
		if (!r->failing)
			r->failing = post_in(r, PF_RTC_CLOSED, msg, 0, NULL,
			    FAIL_GRACE_MS);
		g_mutex_unlock(&r->lock);
		g_free(msg);
		g_clear_error(&error);
	}
	return GST_BUS_DROP;
}

int
pf_rtc_available(struct pf_err *err)
{
	GstElementFactory *f = gst_element_factory_find("webrtcbin");

	if (!f)
		return pf_err_set(err, PF_ERR_IO, 0, "GStreamer has no "
		    "webrtcbin: install gstreamer1.0-plugins-bad and "
		    "gstreamer1.0-nice");
	gst_object_unref(f);
	return 0;
}

/* A webrtcbin in a running pipeline, its callbacks connected. */
static struct pf_rtc *
start(void (*on_event)(void *ctx, const struct pf_rtc_event *ev), void *ctx,
    struct pf_err *err)
{
	struct pf_rtc *r;
	GstBus *bus;

	r = pf_xcalloc(1, sizeof(*r));
	g_mutex_init(&r->lock);
	r->ctx = g_main_context_ref_thread_default();
	r->on_event = on_event;
	r->cb_ctx = ctx;
	r->webrtc = gst_element_factory_make("webrtcbin", NULL);
	if (!r->webrtc) {
		pf_rtc_available(err);
		goto fail;
	}
	r->pipe = gst_pipeline_new(NULL);
	gst_bin_add(GST_BIN(r->pipe), r->webrtc);
	g_object_set(r->webrtc, "bundle-policy",
	    GST_WEBRTC_BUNDLE_POLICY_MAX_BUNDLE, NULL);
	bus = gst_pipeline_get_bus(GST_PIPELINE(r->pipe));
	gst_bus_set_sync_handler(bus, on_bus, r, NULL);
	gst_object_unref(bus);
	g_signal_connect(r->webrtc, "on-ice-candidate",
	    G_CALLBACK(on_ice_candidate), r);
	g_signal_connect(r->webrtc, "notify::ice-connection-state",
	    G_CALLBACK(on_ice_state), r);
	return r;
fail:
	pf_rtc_free(r);
	return NULL;
}

static int
play(struct pf_rtc *r, struct pf_err *err)
{
	if (gst_element_set_state(r->pipe, GST_STATE_PLAYING) ==
	    GST_STATE_CHANGE_FAILURE)
		return pf_err_set(err, PF_ERR_IO, 0, "cannot start webrtcbin");
	return 0;
}

struct pf_rtc *
pf_rtc_new(const char *label, int ordered,
    void (*on_event)(void *ctx, const struct pf_rtc_event *ev), void *ctx,
    struct pf_err *err)
{
	struct pf_rtc *r;
	GstStructure *opts;
	GstPromise *p;

	if (!(r = start(on_event, ctx, err)))
		return NULL;
	if (play(r, err) < 0)
		goto fail;
	opts = gst_structure_new("config", "ordered", G_TYPE_BOOLEAN,
	    (gboolean)!!ordered, NULL);
	g_signal_emit_by_name(r->webrtc, "create-data-channel", label, opts,
	    &r->channel);
	gst_structure_free(opts);
	if (!r->channel) {
		pf_err_set(err, PF_ERR_IO, 0,
		    "webrtcbin cannot make a data channel");
		goto fail;
	}
	watch_channel(r);
	/*
	 * One offer, made now that the channel is in it.  webrtcbin's
	 * on-negotiation-needed comes as it starts, before the channel exists
	 * (an offer with no m-line, which only a peer that renegotiates gets
	 * over), and not again while that need stands.
	 */
	p = gst_promise_new_with_change_func(offer_created, r, NULL);
	g_signal_emit_by_name(r->webrtc, "create-offer", NULL, p);
	return r;
fail:
	pf_rtc_free(r);
	return NULL;
}

struct pf_rtc *
pf_rtc_accept(const char *offer,
    void (*on_event)(void *ctx, const struct pf_rtc_event *ev), void *ctx,
    struct pf_err *err)
{
	struct pf_rtc *r;
	GstSDPMessage *msg;
	GstWebRTCSessionDescription *desc;
	GstPromise *p;

	if (gst_sdp_message_new_from_text(offer, &msg) != GST_SDP_OK) {
		pf_err_set(err, PF_ERR_DATA, 0,
		    "the peer's SDP offer is not SDP");
		return NULL;
	}
	desc = gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_OFFER,
	    msg);
	if (!(r = start(on_event, ctx, err))) {
		gst_webrtc_session_description_free(desc);
		return NULL;
	}
	g_signal_connect(r->webrtc, "on-data-channel",
	    G_CALLBACK(on_data_channel), r);
	if (play(r, err) < 0) {
		gst_webrtc_session_description_free(desc);
		pf_rtc_free(r);
		return NULL;
	}
	p = gst_promise_new_with_change_func(offer_taken, r, NULL);
	g_signal_emit_by_name(r->webrtc, "set-remote-description", desc, p);
	gst_webrtc_session_description_free(desc);
	return r;
}

int
pf_rtc_set_answer(struct pf_rtc *r, const char *sdp, struct pf_err *err)
{
	GstSDPMessage *msg;
	GstWebRTCSessionDescription *desc;

	if (gst_sdp_message_new_from_text(sdp, &msg) != GST_SDP_OK)
		return pf_err_set(err, PF_ERR_DATA, 0,
		    "the peer's SDP answer is not SDP");
	desc = gst_webrtc_session_description_new(GST_WEBRTC_SDP_TYPE_ANSWER,
	    msg);
	g_signal_emit_by_name(r->webrtc, "set-remote-description", desc,
	    NULL);
	gst_webrtc_session_description_free(desc);
	return 0;
}

void
pf_rtc_add_candidate(struct pf_rtc *r, unsigned mline, const char *candidate)
{
	g_signal_emit_by_name(r->webrtc, "add-ice-candidate", mline,
	    candidate);
}

int
pf_rtc_send(struct pf_rtc *r, const void *data, size_t len,
    struct pf_err *err)
{
	GBytes *b;
	GError *error = NULL;
	gboolean ok;

	if (!r->open || r->done)
		return pf_err_set(err, PF_ERR_IO, 0,
		    "the data channel is not open");
	b = g_bytes_new(data, len);
	ok = gst_webrtc_data_channel_send_data_full(r->channel, b, &error);
	g_bytes_unref(b);
	if (!ok) {
		pf_err_set(err, PF_ERR_IO, 0, "cannot send on the data "
		    "channel: %s", error ? error->message : "no reason given");
		g_clear_error(&error);
		return -1;
	}
	return 0;
}

unsigned long long
pf_rtc_buffered(const struct pf_rtc *r)
{
	guint64 n = 0;

	if (r->open && r->channel)
		g_object_get(r->channel, "buffered-amount", &n, NULL);
	return n;
}

void
pf_rtc_close(struct pf_rtc *r)
{
	g_mutex_lock(&r->lock);
	if (r->channel)
		gst_webrtc_data_channel_close(r->channel);
	g_mutex_unlock(&r->lock);
}

void
pf_rtc_free(struct pf_rtc *r)
{
	if (!r)
		return;
	g_atomic_int_set(&r->dying, 1);
	g_mutex_lock(&r->lock);		/* an adoption under way is done */
	if (r->failing) {
		g_source_destroy(r->failing);
		g_source_unref(r->failing);
		r->failing = NULL;
	}
	g_mutex_unlock(&r->lock);
	if (r->channel) {
		g_signal_handlers_disconnect_by_data(r->channel, r);
		gst_webrtc_data_channel_close(r->channel);
	}
	if (r->pipe) {
		gst_element_set_state(r->pipe, GST_STATE_NULL);
		gst_object_unref(r->pipe);
	} else if (r->webrtc) {
		gst_object_unref(r->webrtc);
	}
	if (r->channel)
		g_object_unref(r->channel);
	/* Let posted items go, so none outlives r. */
	while (g_atomic_int_get(&r->pending) > 0)
		g_main_context_iteration(r->ctx, TRUE);
	g_main_context_unref(r->ctx);
	g_mutex_clear(&r->lock);
	free(r);
}
