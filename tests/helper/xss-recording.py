#!/usr/bin/python3
"""Writes a recording whose every text field carries XSS payloads.

Each payload, if it ran, would set window.__xss; a page made from this
recording must show them all as text and run none.  Usage:
xss-recording.py > hostile.jsonl  (prints the payload count on stderr)
"""
import json
import sys

BASE = [
    "<script>window.__xss=1</script>",
    "</script><script>window.__xss=2</script>",
    "<img src=x onerror=\"window.__xss=3\">",
    "\"><img src=x onerror=window.__xss=4>",
    "'><svg onload=window.__xss=5>",
    "<svg><script>window.__xss=6</script></svg>",
    "javascript:window.__xss=7",
    "JaVaScRiPt:window.__xss=8",
    "<a href=\"javascript:window.__xss=9\">x</a>",
    "<iframe srcdoc=\"<script>parent.__xss=10</script>\"></iframe>",
    "<body onload=window.__xss=11>",
    "<details open ontoggle=window.__xss=12>",
    "<input autofocus onfocus=window.__xss=13>",
    "\" onmouseover=\"window.__xss=14",
    "' onfocus='window.__xss=15' autofocus='",
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=16>",
    "<style>@import 'http://127.0.0.1:1/x.css';</style>",
    "<link rel=stylesheet href=http://127.0.0.1:1/x.css>",
    "<meta http-equiv=refresh content=\"0;url=javascript:window.__xss=19\">",
    "<base href=\"http://127.0.0.1:1/\">",
    "\u2028window.__xss=21\u2029",
    "</textarea><script>window.__xss=22</script>",
    "<!--<script>window.__xss=23</script>-->",
    "<![CDATA[<script>window.__xss=24</script>]]>",
    "{{constructor.constructor('window.__xss=25')()}}",
    "${window.__xss=26}",
    "&lt;script&gt;window.__xss=27&lt;/script&gt;",
    "<object data=\"javascript:window.__xss=28\"></object>",
    "<embed src=\"javascript:window.__xss=29\">",
    "<video><source onerror=\"window.__xss=30\"></video>",
    "<form action=javascript:window.__xss=31><button>x</button></form>",
    "`-alert(1)-`",
    "\\\"};window.__xss=33;//",
    "</style><script>window.__xss=34</script>",
    "<scr<script>ipt>window.__xss=35</scr</script>ipt>",
    "data:text/html,<script>window.__xss=36</script>",
    "\x3cscript\x3ewindow.__xss=37\x3c/script\x3e",
    "<noscript><p title=\"</noscript><img src=x onerror=window.__xss=38>\">",
    "<template><script>window.__xss=39</script></template>",
    "<select><option><script>window.__xss=40</script></option></select>",
]
WRAP = ["%s", "x%sx", "%s\n%s", "[data-testid=\"%s\"]", "%s & <b>bold</b>"]


def payloads():
    out = []
    for w in WRAP:
        for b in BASE:
            out.append(w.replace("%s", b))
    return out


def main():
    p = payloads()
    t = 1773324000000
    sid = "x55x55"
    ev = [{"type": "session_start", "sessionId": sid, "timestamp": t,
           "config": {"name": p[0] + " workshop", "tutorialUrl": p[6],
                      "defaultMode": "guided"}}]
    for i, s in enumerate(p):
        t += 1000
        kind = i % 6
        if kind == 0:
            ev.append({"type": "navigation", "sessionId": sid, "timestamp": t,
                       "senderId": "presenter", "tutorialUrl": s,
                       "stepNumber": 1})
        elif kind == 1:
            ev.append({"type": "show_me", "sessionId": sid, "timestamp": t,
                       "senderId": "presenter", "stepId": "step-%d %s" % (i, s),
                       "action": {"targetAction": "formfill",
                                  "refTarget": s, "targetValue": s,
                                  "targetComment": s}})
        elif kind == 2:
            ev.append({"type": "do_it", "sessionId": sid, "timestamp": t,
                       "senderId": "presenter", "stepId": "ms-%d" % i,
                       "action": {"targetAction": "multistep",
                                  "refTarget": "ms-%d" % i,
                                  "targetComment": s,
                                  "internalActions": [
                                      {"targetAction": "button",
                                       "refTarget": s, "requirements": s},
                                      {"targetAction": s, "refTarget": s,
                                       "targetValue": s}]}})
        elif kind == 3:
            ev.append({"type": "attendee_join", "timestamp": t, "name": s,
                       "mode": "guided"})
            ev.append({"type": "hand_raise", "sessionId": sid,
                       "timestamp": t, "senderId": "a%d" % i,
                       "attendeeName": s, "isRaised": True})
        elif kind == 4:
            ev.append({"type": "chat_message", "sessionId": sid,
                       "timestamp": t, "senderId": "a%d" % i,
                       "senderName": s, "message": s + " ?"})
        else:
            ev.append({"type": "chat_message", "sessionId": sid,
                       "timestamp": t, "senderId": "presenter",
                       "senderName": s, "message": s})
    ev.append({"type": "session_end", "sessionId": sid, "timestamp": t + 1000,
               "reason": p[1]})
    for e in ev:
        sys.stdout.write(json.dumps(e, ensure_ascii=False,
                                    separators=(",", ":")) + "\n")
    print(len(p), file=sys.stderr)


if __name__ == "__main__":
    main()
