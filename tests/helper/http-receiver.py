#!/usr/bin/python3
"""tests/helper/http-receiver.py: a local HTTP endpoint for the pf-play tests.

    http-receiver.py --log FILE --port-file FILE [--fail-first N]
                     [--fail-always] [--fail-status CODE] [--lifetime S]
                     [--delay S] [--hang-first N]

Listens on 127.0.0.1 on a port the system picks (port 0), then writes that
port to --port-file (whole, by a rename).  Every request is appended to
--log as one JSON line, before it is answered:

    {"method": "POST", "path": "/events", "headers": {"content-type": ...},
     "body": "<the body as text>", "status": 200}

Header names are lower-cased; "status" is null for a request left
unanswered.  The answer is 200 with "{}", or --fail-status
(503 by default) for the first N requests (--fail-first) or for every one
(--fail-always).  --delay S waits S seconds (a fraction) before every
answer; the first N requests (--hang-first) get no answer at all, as from a
server that hangs: the client times out or gives up.  The server exits
after --lifetime seconds (60 by default) in case nobody kills it.  Python 3
standard library only.
"""

import argparse
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--fail-first", type=int, default=0)
    ap.add_argument("--fail-always", action="store_true")
    ap.add_argument("--fail-status", type=int, default=503)
    ap.add_argument("--lifetime", type=float, default=60)
    ap.add_argument("--delay", type=float, default=0)
    ap.add_argument("--hang-first", type=int, default=0)
    opts = ap.parse_args()

    lock = threading.Lock()
    state = {"count": 0}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as libcurl expects

        def log_message(self, fmt, *args):
            pass  # quiet: the log file says it all

        def _handle(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n > 0 else b""
            with lock:
                state["count"] += 1
                hang = state["count"] <= opts.hang_first
                fail = opts.fail_always or state["count"] <= opts.fail_first
                status = opts.fail_status if fail else 200
                rec = {
                    "method": self.command,
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": body.decode("utf-8", "replace"),
                    "status": None if hang else status,
                }
                # Opened for each request: the file may be moved away.
                with open(opts.log, "a", encoding="utf-8") as log:
                    log.write(json.dumps(rec, sort_keys=True) + "\n")
            if hang:
                time.sleep(opts.lifetime)  # the server ends first
                return
            if opts.delay > 0:
                time.sleep(opts.delay)
            answer = b"{}" if status == 200 else b'{"message":"failing"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        do_POST = _handle
        do_GET = _handle
        do_PUT = _handle

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    tmp = opts.port_file + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(tmp, opts.port_file)

    timer = threading.Timer(opts.lifetime, server.shutdown)
    timer.daemon = True
    timer.start()
    try:
        server.serve_forever(poll_interval=0.05)
    except KeyboardInterrupt:
        pass
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
