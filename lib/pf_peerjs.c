/*
 * pf_peerjs.c: the PeerJS signalling client (id request, WebSocket,
 * heartbeats, message relay) over libsoup-3 on the GLib main loop.
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <libsoup/soup.h>

#include "pf_alloc.h"
#include "pf_buf.h"
#include "pf_jv.h"
#include "pf_peerjs.h"

/* A server message larger than this is not signalling: refuse it. */
#define MAX_MESSAGE (256 * 1024)

struct pf_peerjs {
	char *url;		/* as given, for messages */
	char *http_base;	/* "http://host:port/path/" */
	char *ws_base;		/* "ws://host:port/path/" */
	char *key;
	char *id;		/* NULL until fetched */
	char token[16];
	void (*on_event)(void *ctx, const struct pf_peerjs_event *ev);
	void *ctx;

	SoupSession *session;
	SoupWebsocketConnection *ws;
	GCancellable *cancel;
	guint heartbeat;	/* GSource id, 0 when none */
	int pending;		/* async calls not yet finished */
	int opened, failed, dying;
	char *ws_error;		/* the socket's last error, for CLOSED */
	struct pf_jv_parser *parser;
	struct pf_buf text;
};

static void
emit(struct pf_peerjs *p, enum pf_peerjs_kind kind, const char *src,
    const struct pf_jv *payload, const char *text)
{
	struct pf_peerjs_event ev = { kind, src, payload, text };

	p->on_event(p->ctx, &ev);
}

static void
stop(struct pf_peerjs *p)
{
	if (p->heartbeat) {
		g_source_remove(p->heartbeat);
		p->heartbeat = 0;
	}
	if (p->ws) {
		g_signal_handlers_disconnect_by_data(p->ws, p);
		if (soup_websocket_connection_get_state(p->ws) ==
		    SOUP_WEBSOCKET_STATE_OPEN)
			soup_websocket_connection_close(p->ws,
			    SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
		g_object_unref(p->ws);
		p->ws = NULL;
	}
}

static void
fail(struct pf_peerjs *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
fail(struct pf_peerjs *p, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (p->failed)
		return;
	p->failed = 1;
	va_start(ap, fmt);
	msg = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	stop(p);
	emit(p, PF_PEERJS_FAILED, NULL, NULL, msg);
	g_free(msg);
}

/* "host" or "[v6]" with ":port", from a parsed URI. */
static char *
authority(GUri *u, int tls)
{
	const char *host = g_uri_get_host(u);
	int port = g_uri_get_port(u);

	if (port < 0)
		port = tls ? 443 : 80;
	if (strchr(host, ':'))
		return pf_xasprintf("[%s]:%d", host, port);
	return pf_xasprintf("%s:%d", host, port);
}

struct pf_peerjs *
pf_peerjs_new(const char *url, const char *key, const char *id,
    void (*on_event)(void *ctx, const struct pf_peerjs_event *ev),
    void *ctx, struct pf_err *err)
{
	struct pf_peerjs *p;
	GUri *u;
	const char *scheme, *path;
	char *auth;
	int tls;
	size_t n;
	guint32 r;
	static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";

	u = g_uri_parse(url, G_URI_FLAGS_NONE, NULL);
	if (!u) {
		pf_err_set(err, PF_ERR_USAGE, 0,
		    "'%s' is not a URL (http://host:port/path)", url);
		return NULL;
	}
	scheme = g_uri_get_scheme(u);
	if ((strcmp(scheme, "http") != 0 && strcmp(scheme, "https") != 0) ||
	    !g_uri_get_host(u) || !*g_uri_get_host(u) || g_uri_get_query(u)) {
		pf_err_set(err, PF_ERR_USAGE, 0,
		    "'%s' is not an http(s)://host[:port][/path] URL", url);
		g_uri_unref(u);
		return NULL;
	}
	tls = strcmp(scheme, "https") == 0;
	path = g_uri_get_path(u);
	n = strlen(path);
	auth = authority(u, tls);

	p = pf_xcalloc(1, sizeof(*p));
	p->url = pf_xstrdup(url);
	p->http_base = pf_xasprintf("%s://%s%s%s%s", tls ? "https" : "http",
	    auth, n && path[0] == '/' ? "" : "/", path,
	    n && path[n - 1] == '/' ? "" : "/");
	p->ws_base = pf_xasprintf("%s://%s%s%s%s", tls ? "wss" : "ws",
	    auth, n && path[0] == '/' ? "" : "/", path,
	    n && path[n - 1] == '/' ? "" : "/");
	free(auth);
	g_uri_unref(u);
	p->key = pf_xstrdup(key);
	p->id = id ? pf_xstrdup(id) : NULL;
	/* As PeerJS's randomToken: a few base-36 characters. */
	for (n = 0; n < 10; n++) {
		r = g_random_int_range(0, 36);
		p->token[n] = digits[r];
	}
	p->on_event = on_event;
	p->ctx = ctx;
	p->session = soup_session_new_with_options("timeout", 30, NULL);
	p->cancel = g_cancellable_new();
	p->parser = pf_jv_parser_new();
	pf_jv_parser_set_max_values(p->parser, 100000);
	pf_buf_init(&p->text);
	return p;
}

const char *
pf_peerjs_id(const struct pf_peerjs *p)
{
	return p->id;
}

static gboolean
send_heartbeat(gpointer data)
{
	struct pf_peerjs *p = data;

	if (p->ws && soup_websocket_connection_get_state(p->ws) ==
	    SOUP_WEBSOCKET_STATE_OPEN)
		soup_websocket_connection_send_text(p->ws,
		    "{\"type\":\"HEARTBEAT\"}");
	return G_SOURCE_CONTINUE;
}

static void
on_message(SoupWebsocketConnection *ws, gint type, GBytes *message,
    gpointer data)
{
	struct pf_peerjs *p = data;
	const struct pf_jv *root, *payload, *msg;
	const char *kind, *src;
	enum pf_json_fault fault;
	struct pf_err err;
	gsize n;
	const void *bytes = g_bytes_get_data(message, &n);

	if (type != SOUP_WEBSOCKET_DATA_TEXT || n > MAX_MESSAGE)
		return;		/* PeerJS ignores what it cannot parse */
	pf_buf_reset(&p->text);
	pf_buf_add(&p->text, bytes, n);
	root = pf_jv_parse(p->parser, pf_buf_str(&p->text), p->text.len,
	    PF_JSON_ALLOW_DUPLICATES, &fault, &err);
	if (!root || root->type != PF_JV_OBJECT)
		return;
	kind = pf_jv_str(pf_jv_get(root, "type"));
	src = pf_jv_str(pf_jv_get(root, "src"));
	payload = pf_jv_get(root, "payload");
	if (payload && payload->type != PF_JV_OBJECT)
		payload = NULL;
	if (!kind)
		return;
	if (strcmp(kind, "OPEN") == 0) {
		if (p->opened)
			return;
		p->opened = 1;
		p->heartbeat = g_timeout_add(PF_PEERJS_HEARTBEAT_MS,
		    send_heartbeat, p);
		emit(p, PF_PEERJS_OPEN, NULL, NULL, NULL);
	} else if (strcmp(kind, "ID-TAKEN") == 0) {
		fail(p, "the id '%s' is taken on the PeerJS server at %s: "
		    "another peer has registered it", p->id, p->url);
	} else if (strcmp(kind, "ERROR") == 0) {
		msg = payload ? pf_jv_get(payload, "msg") : NULL;
		fail(p, "the PeerJS server at %s refused us: %s", p->url,
		    pf_jv_str(msg) ? pf_jv_str(msg) : "no reason given");
	} else if (!p->opened) {
		return;
	} else if (strcmp(kind, "OFFER") == 0 || strcmp(kind, "ANSWER") == 0 ||
	    strcmp(kind, "CANDIDATE") == 0) {
		if (!src || !payload)
			return;
		emit(p, kind[0] == 'O' ? PF_PEERJS_OFFER : kind[0] == 'A' ?
		    PF_PEERJS_ANSWER : PF_PEERJS_CANDIDATE, src, payload,
		    NULL);
	} else if (strcmp(kind, "LEAVE") == 0 && src) {
		emit(p, PF_PEERJS_LEAVE, src, payload, NULL);
	} else if (strcmp(kind, "EXPIRE") == 0 && src) {
		emit(p, PF_PEERJS_EXPIRE, src, payload, NULL);
	}
}

static void
on_error(SoupWebsocketConnection *ws, GError *error, gpointer data)
{
	struct pf_peerjs *p = data;

	g_free(p->ws_error);
	p->ws_error = g_strdup(error->message);
}

static void
on_closed(SoupWebsocketConnection *ws, gpointer data)
{
	struct pf_peerjs *p = data;
	char *msg;
	gushort code = soup_websocket_connection_get_close_code(ws);

	if (p->failed)
		return;
	if (!p->opened) {
		fail(p, "the PeerJS server at %s closed the connection before "
		    "registering us%s%s", p->url, p->ws_error ? ": " : "",
		    p->ws_error ? p->ws_error : "");
		return;
	}
	if (p->ws_error)
		msg = g_strdup_printf("the PeerJS server at %s went away: %s",
		    p->url, p->ws_error);
	else if (code)
		msg = g_strdup_printf("the PeerJS server at %s closed the "
		    "connection (code %u)", p->url, (unsigned)code);
	else
		msg = g_strdup_printf("the PeerJS server at %s went away",
		    p->url);
	p->failed = 1;		/* no more events */
	stop(p);
	emit(p, PF_PEERJS_CLOSED, NULL, NULL, msg);
	g_free(msg);
}

static void
ws_connected(GObject *obj, GAsyncResult *res, gpointer data)
{
	struct pf_peerjs *p = data;
	GError *error = NULL;
	SoupWebsocketConnection *ws;

	ws = soup_session_websocket_connect_finish(SOUP_SESSION(obj), res,
	    &error);
	p->pending--;
	if (p->dying) {
		if (ws)
			g_object_unref(ws);
		g_clear_error(&error);
		return;
	}
	if (!ws) {
		fail(p, "cannot open the PeerJS server's WebSocket at %s: %s",
		    p->url, error->message);
		g_error_free(error);
		return;
	}
	soup_websocket_connection_set_max_incoming_payload_size(ws,
	    MAX_MESSAGE);
	soup_websocket_connection_set_keepalive_interval(ws, 0);
	p->ws = ws;
	g_signal_connect(ws, "message", G_CALLBACK(on_message), p);
	g_signal_connect(ws, "error", G_CALLBACK(on_error), p);
	g_signal_connect(ws, "closed", G_CALLBACK(on_closed), p);
}

static void
open_socket(struct pf_peerjs *p)
{
	SoupMessage *msg;
	char *k = g_uri_escape_string(p->key, NULL, FALSE);
	char *i = g_uri_escape_string(p->id, NULL, FALSE);
	char *url = pf_xasprintf("%speerjs?key=%s&id=%s&token=%s&version=%s",
	    p->ws_base, k, i, p->token, PF_PEERJS_VERSION);

	msg = soup_message_new("GET", url);
	p->pending++;
	soup_session_websocket_connect_async(p->session, msg, NULL, NULL,
	    G_PRIORITY_DEFAULT, p->cancel, ws_connected, p);
	g_object_unref(msg);
	free(url);
	g_free(k);
	g_free(i);
}

static int
valid_id(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 128)
		return 0;
	for (i = 0; i < n; i++)
		if (!g_ascii_isalnum(s[i]) && s[i] != '-' && s[i] != '_')
			return 0;
	return 1;
}

static void
id_fetched(GObject *obj, GAsyncResult *res, gpointer data)
{
	struct pf_peerjs *p = data;
	SoupMessage *msg = soup_session_get_async_result_message(
	    SOUP_SESSION(obj), res);
	GError *error = NULL;
	GBytes *body;
	const char *s;
	gsize n;
	guint status;

	body = soup_session_send_and_read_finish(SOUP_SESSION(obj), res,
	    &error);
	p->pending--;
	if (p->dying)
		goto out;
	if (!body) {
		fail(p, "cannot reach the PeerJS server at %s: %s", p->url,
		    error->message);
		goto out;
	}
	status = soup_message_get_status(msg);
	if (status != SOUP_STATUS_OK) {
		fail(p, "the PeerJS server at %s answered the id request with "
		    "HTTP %u %s (is the URL's path right, and the key?)",
		    p->url, status, soup_message_get_reason_phrase(msg));
		goto out;
	}
	s = g_bytes_get_data(body, &n);
	while (n && g_ascii_isspace(s[n - 1]))
		n--;
	if (!s || !valid_id(s, n)) {
		fail(p, "the PeerJS server at %s answered the id request with "
		    "something that is not a peer id", p->url);
		goto out;
	}
	p->id = pf_xmemdup(s, n);
	open_socket(p);
out:
	if (body)
		g_bytes_unref(body);
	g_clear_error(&error);
}

void
pf_peerjs_start(struct pf_peerjs *p)
{
	SoupMessage *msg;
	char *k, *url;

	if (p->id) {
		open_socket(p);
		return;
	}
	k = g_uri_escape_string(p->key, NULL, FALSE);
	url = pf_xasprintf("%s%s/id?ts=%" G_GINT64_FORMAT "%u&version=%s",
	    p->http_base, k, g_get_real_time() / 1000, g_random_int(),
	    PF_PEERJS_VERSION);
	msg = soup_message_new("GET", url);
	p->pending++;
	soup_session_send_and_read_async(p->session, msg, G_PRIORITY_DEFAULT,
	    p->cancel, id_fetched, p);
	g_object_unref(msg);
	free(url);
	g_free(k);
}

int
pf_peerjs_send(struct pf_peerjs *p, const char *type, const char *dst,
    const char *payload_json, struct pf_err *err)
{
	struct pf_buf b = PF_BUF_INIT;

	if (!p->ws || soup_websocket_connection_get_state(p->ws) !=
	    SOUP_WEBSOCKET_STATE_OPEN)
		return pf_err_set(err, PF_ERR_IO, 0,
		    "the PeerJS server's socket is not open");
	pf_buf_adds(&b, "{\"type\":");
	pf_jv_dump_string(type, strlen(type), &b);
	pf_buf_adds(&b, ",\"payload\":");
	pf_buf_adds(&b, payload_json);
	pf_buf_adds(&b, ",\"dst\":");
	pf_jv_dump_string(dst, strlen(dst), &b);
	pf_buf_addc(&b, '}');
	soup_websocket_connection_send_text(p->ws, pf_buf_str(&b));
	pf_buf_release(&b);
	return 0;
}

void
pf_peerjs_free(struct pf_peerjs *p)
{
	if (!p)
		return;
	p->dying = 1;
	stop(p);
	g_cancellable_cancel(p->cancel);
	/* Let cancelled calls finish, so none outlives p. */
	while (p->pending > 0)
		g_main_context_iteration(NULL, TRUE);
	g_object_unref(p->cancel);
	g_object_unref(p->session);
	pf_jv_parser_free(p->parser);
	pf_buf_release(&p->text);
	g_free(p->ws_error);
	free(p->url);
	free(p->http_base);
	free(p->ws_base);
	free(p->key);
	free(p->id);
	free(p);
}
