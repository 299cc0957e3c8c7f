/*
 * peerjs-probe: drives lib/pf_peerjs for tests/pf-live.bats.  Registers with
 * a PeerJS server, prints every event as one line on stdout, optionally
 * sends one message after OPEN, and exits after --hold milliseconds (0) or
 * on FAILED (2, the reason on stderr) or CLOSED (3).
 *
 *   peerjs-probe [--server URL] [--key KEY] [--id ID] [--hold MS]
 *                [--send DST TYPE JSON] [--count N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "pf_buf.h"
#include "pf_jv.h"
#include "pf_peerjs.h"

struct probe {
	GMainLoop *loop;
	struct pf_peerjs *peer;
	const char *send_dst, *send_type, *send_json;
	long count;		/* quit after this many relayed messages */
	int status;
};

static const char *const names[] = {
	"open", "offer", "answer", "candidate", "leave", "expire", "closed",
	"failed"
};

static void
on_event(void *ctx, const struct pf_peerjs_event *ev)
{
	struct probe *pr = ctx;
	struct pf_buf b = PF_BUF_INIT;
	struct pf_err err;

	switch (ev->kind) {
	case PF_PEERJS_OPEN:
		printf("open %s\n", pf_peerjs_id(pr->peer));
		if (pr->send_dst && pf_peerjs_send(pr->peer, pr->send_type,
		    pr->send_dst, pr->send_json, &err) < 0) {
			fprintf(stderr, "peerjs-probe: %s\n", err.msg);
			pr->status = 2;
			g_main_loop_quit(pr->loop);
		}
		break;
	case PF_PEERJS_FAILED:
		fprintf(stderr, "peerjs-probe: %s\n", ev->text);
		pr->status = 2;
		g_main_loop_quit(pr->loop);
		break;
	case PF_PEERJS_CLOSED:
		printf("closed: %s\n", ev->text);
		pr->status = 3;
		g_main_loop_quit(pr->loop);
		break;
	default:
		if (ev->payload)
			pf_jv_dump(ev->payload, &b);
		printf("%s %s%s%s\n", names[ev->kind], ev->src,
		    b.len ? " " : "", b.len ? pf_buf_str(&b) : "");
		pf_buf_release(&b);
		if (ev->kind <= PF_PEERJS_CANDIDATE && --pr->count == 0)
			g_main_loop_quit(pr->loop);
		break;
	}
	fflush(stdout);
}

static gboolean
hold_over(gpointer data)
{
	struct probe *pr = data;

	g_main_loop_quit(pr->loop);
	return G_SOURCE_REMOVE;
}

int
main(int argc, char **argv)
{
	struct probe pr = { 0 };
	const char *server = "http://localhost:9000/pathfinder";
	const char *key = "pathfinder", *id = NULL;
	long hold = 0;
	struct pf_err err;
	int i;

	pr.count = -1;
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--server") == 0 && i + 1 < argc)
			server = argv[++i];
		else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
			key = argv[++i];
		else if (strcmp(argv[i], "--id") == 0 && i + 1 < argc)
			id = argv[++i];
		else if (strcmp(argv[i], "--hold") == 0 && i + 1 < argc)
			hold = atol(argv[++i]);
		else if (strcmp(argv[i], "--count") == 0 && i + 1 < argc)
			pr.count = atol(argv[++i]);
		else if (strcmp(argv[i], "--send") == 0 && i + 3 < argc) {
			pr.send_dst = argv[++i];
			pr.send_type = argv[++i];
			pr.send_json = argv[++i];
		} else {
			fprintf(stderr, "peerjs-probe: bad argument '%s'\n",
			    argv[i]);
			return 2;
		}
	}
	pr.peer = pf_peerjs_new(server, key, id, on_event, &pr, &err);
	if (!pr.peer) {
		fprintf(stderr, "peerjs-probe: %s\n", err.msg);
		return 2;
	}
	pr.loop = g_main_loop_new(NULL, FALSE);
	if (hold > 0)
		g_timeout_add(hold, hold_over, &pr);
	pf_peerjs_start(pr.peer);
	g_main_loop_run(pr.loop);
	pf_peerjs_free(pr.peer);
	g_main_loop_unref(pr.loop);
	return pr.status;
}
