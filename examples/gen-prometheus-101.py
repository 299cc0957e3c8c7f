#!/usr/bin/env python3
"""Generate the "Prometheus Monitoring 101" example live-session recording.

Writes, next to this script:
  prometheus-101.jsonl     one event per line (FORMATS.md section 1)
  prometheus-101.jsonl.gz  the same bytes, gzip'd with mtime=0 (reproducible)
  prometheus-101.json      the app's SessionRecording document (FORMATS.md section 2)

Deterministic: stdlib only; the only randomness is millisecond jitter from a
fixed seed, so running the script twice produces byte-identical files.

    python3 examples/gen-prometheus-101.py
"""

import gzip
import json
import os
import random

SESSION_ID = "k7m2qx"
START_MS = 1773324000000  # 2026-03-12T14:00:00Z
RECORDED_AT = "2026-03-12T14:00:00.000Z"
PRESENTER_ID = "presenter"
PRESENTER_NAME = "Tom Lindqvist"
SESSION_NAME = "Prometheus Monitoring 101"
BASE_URL = "https://grafana.com/tutorials/prometheus-101/"
SECTION_URLS = {
    1: BASE_URL + "add-data-source/",
    2: BASE_URL + "explore-metrics/",
    3: BASE_URL + "dashboard-and-alert/",
}
HEARTBEAT_MS = 5000
END_OFFSET_MS = 30 * 60 * 1000 + 412  # session_end, just after the 30-minute mark

rng = random.Random(20260312)

# id -> (name, initial mode)
ATTENDEES = {
    "p4r8nm": ("Priya Raman", "guided"),
    "m9k2ob": ("Marcus Okafor", "follow"),
    "s3f7eq": ("Sofia Esposito", "guided"),
    "d6w1kz": ("Daniel Kowalski", "guided"),
    "a2t5ky": ("Aiko Tanaka", "follow"),
    "l8m3ru": ("Lucas Moreau", "guided"),
    "f1h9dx": ("Fatima Haddad", "guided"),
    "b7c4tw": ("Ben Carter", "follow"),
    "i5s0gb": ("Ingrid Sølberg", "guided"),
    "r3c6ts": ("Rafael Costa", "guided"),
    "c0w8ei": ("Chen Wei", "follow"),
    "o6p2vv": ("Olga Petrova", "guided"),
}

# Real Grafana selectors (data-testid values from @grafana/e2e-selectors where possible).
NAV_CONNECTIONS = 'a[data-testid="data-testid Nav menu item"][href="/connections"]'
NAV_DASHBOARDS = 'a[data-testid="data-testid Nav menu item"][href="/dashboards"]'

# Interactive steps, keyed by step id. Each value is the `action` object.
STEPS = {
    # --- Section 1: add a Prometheus data source --------------------------
    "add-ds-1": {
        "targetAction": "highlight",
        "refTarget": NAV_CONNECTIONS,
        "targetComment": "Open <strong>Connections</strong> from the main menu.",
    },
    "add-ds-2": {
        "targetAction": "highlight",
        "refTarget": 'button[data-testid="data-testid Add new connection"]',
        "targetComment": "Click <strong>Add new connection</strong>.",
    },
    "add-ds-3": {
        "targetAction": "highlight",
        "refTarget": 'a[href="/connections/datasources/prometheus"]',
        "targetComment": "Pick <strong>Prometheus</strong> from the list of data sources.",
    },
    "add-ds-4": {
        "targetAction": "button",
        "refTarget": "Add new data source",
        "targetComment": "Click <strong>Add new data source</strong>.",
    },
    "add-ds-5": {
        "targetAction": "formfill",
        "refTarget": 'input[data-testid="data-testid Data source settings page name input field"]',
        "targetValue": "prometheus-workshop",
        "targetComment": "Give the data source a name you will recognise.",
    },
    "add-ds-6": {
        "targetAction": "formfill",
        "refTarget": "grafana:components.DataSource.DataSourceHttpSettings.urlInput",
        "targetValue": "http://prometheus:9090",
        "targetComment": "Enter the <em>Prometheus server URL</em>. Inside Docker use the service name, not <code>localhost</code>.",
    },
    "add-ds-7": {
        "targetAction": "highlight",
        "refTarget": 'button:contains("Save & test")',
        "targetComment": "Scroll down to <strong>Save &amp; test</strong> at the bottom of the page.",
    },
    "add-ds-8": {
        "targetAction": "button",
        "refTarget": "Save & test",
        "targetComment": "Click <strong>Save &amp; test</strong> and wait for the green banner.",
    },
    # --- Section 2: explore metrics, build a query ------------------------
    "explore-1": {
        "targetAction": "navigate",
        "refTarget": "/explore",
        "targetComment": "Open <strong>Explore</strong>.",
    },
    "explore-2": {
        "targetAction": "highlight",
        "refTarget": "grafana:components.DataSourcePicker.container",
        "targetComment": "Make sure <strong>prometheus-workshop</strong> is selected in the data source picker.",
    },
    "explore-3": {
        "targetAction": "hover",
        "refTarget": "grafana:components.DataSource.Prometheus.queryEditor.editorToggle",
        "targetComment": "Switch between <em>Builder</em> and <em>Code</em> mode here.",
    },
    "explore-4": {
        "targetAction": "formfill",
        "refTarget": "grafana:components.QueryField.container",
        "targetValue": "rate(prometheus_http_requests_total[5m])",
        "targetComment": "Type the PromQL query: the per-second request rate over 5 minutes.",
    },
    "explore-5": {
        "targetAction": "button",
        "refTarget": "Run query",
        "targetComment": "Click <strong>Run query</strong>.",
    },
    # --- Section 3: dashboard panel + alert rule ---------------------------
    "dashboard-1": {
        "targetAction": "multistep",
        "refTarget": "dashboard-1",
        "targetComment": "Create a new, empty dashboard.",
        "internalActions": [
            {"targetAction": "highlight", "refTarget": NAV_DASHBOARDS,
             "requirements": "navmenu-open"},
            {"targetAction": "button", "refTarget": "New",
             "requirements": "on-page:/dashboards"},
            {"targetAction": "highlight", "refTarget": 'a[href="/dashboard/new"]',
             "requirements": "exists-reftarget"},
        ],
    },
    "dashboard-2": {
        "targetAction": "button",
        "refTarget": "Add visualization",
        "targetComment": "Click <strong>Add visualization</strong>.",
    },
    "dashboard-3": {
        "targetAction": "formfill",
        "refTarget": "grafana:components.QueryField.container",
        "targetValue": "sum by (code) (rate(prometheus_http_requests_total[5m]))",
        "targetComment": "Break the rate down by HTTP status <code>code</code>.",
    },
    "dashboard-4": {
        "targetAction": "formfill",
        "refTarget": 'input[data-testid="data-testid Panel editor option pane field input Title"]',
        "targetValue": "HTTP request rate",
        "targetComment": "Give the panel a <strong>Title</strong>.",
    },
    "dashboard-5": {
        "targetAction": "multistep",
        "refTarget": "dashboard-5",
        "targetComment": "Create an alert rule from this panel.",
        "internalActions": [
            {"targetAction": "highlight", "refTarget": 'button[data-testid="data-testid Tab Alert"]',
             "requirements": "exists-reftarget"},
            {"targetAction": "button", "refTarget": "New alert rule",
             "requirements": "exists-reftarget,has-datasource:prometheus"},
            {"targetAction": "formfill", "refTarget": 'input[id="name"]',
             "targetValue": "High HTTP request rate",
             "requirements": "on-page:/alerting/new"},
        ],
    },
    "dashboard-6": {
        "targetAction": "button",
        "refTarget": "Save dashboard",
        "targetComment": "Click <strong>Save dashboard</strong>.",
    },
}

# --- timeline -----------------------------------------------------------------

_events = []  # (offset_ms, insertion_seq, event)


def at(clock, jitter=True):
    """'MM:SS' -> offset in ms from the start, plus deterministic ms jitter."""
    mm, ss = clock.split(":")
    ms = (int(mm) * 60 + int(ss)) * 1000
    if jitter:
        ms += rng.randint(1, 950)
    return ms


def emit(offset_ms, etype, sender=None, session=True, **fields):
    ev = {"type": etype}
    if session:
        ev["sessionId"] = SESSION_ID
    ev["timestamp"] = START_MS + offset_ms
    if sender is not None:
        ev["senderId"] = sender
    ev.update(fields)
    _events.append((offset_ms, len(_events), ev))
    return ev


def name_of(aid):
    return ATTENDEES[aid][0]


def join(clock, aid):
    # The app's attendee_join carries no sender id; the attendee's own
    # "joined" status, a moment later, is what ties the name to the id.
    name, mode = ATTENDEES[aid]
    t = at(clock)
    emit(t, "attendee_join", session=False, name=name, mode=mode)
    emit(t + 1200, "attendee_status", sender=aid, status="joined", mode=mode)


def leave(clock, aid):
    emit(at(clock), "attendee_leave", sender=aid)


def status(clock, aid, st, **extra):
    emit(at(clock), "attendee_status", sender=aid, status=st, **extra)


def mode_change(clock, aid, mode):
    emit(at(clock), "mode_change", sender=aid, mode=mode)


def chat(clock, aid, message):
    if aid == PRESENTER_ID:
        emit(at(clock), "chat_message", sender=PRESENTER_ID,
             senderName=PRESENTER_NAME, message=message)
    else:
        emit(at(clock), "chat_message", sender=aid,
             senderName=name_of(aid), message=message)


def hand(clock, aid, raised):
    emit(at(clock), "hand_raise", sender=aid, attendeeName=name_of(aid), isRaised=raised)


def section(clock, number, sync=False):
    off = at(clock)
    emit(off, "navigation", sender=PRESENTER_ID,
         tutorialUrl=SECTION_URLS[number], stepNumber=number)
    if sync:
        emit(off + 1000, "sync_state", sender=PRESENTER_ID,
             tutorialUrl=SECTION_URLS[number], stepNumber=number)


def step(clock, etype, step_id, xy=None):
    fields = {"stepId": step_id, "action": STEPS[step_id]}
    if xy is not None:
        fields["coordinates"] = {"x": xy[0], "y": xy[1]}
    emit(at(clock), etype, sender=PRESENTER_ID, **fields)


def show_and_do(clock_show, clock_do, step_id, xy=None):
    step(clock_show, "show_me", step_id, xy)
    step(clock_do, "do_it", step_id, xy)


# 00:00 start
emit(0, "session_start",
     config={"name": SESSION_NAME, "tutorialUrl": SECTION_URLS[1], "defaultMode": "guided"})

# Lobby: people drift in.
join("00:12", "p4r8nm")
join("00:31", "m9k2ob")
chat("00:48", PRESENTER_ID,
     "Welcome everyone! We'll start in a couple of minutes while people join.")
join("01:05", "s3f7eq")
join("01:20", "d6w1kz")
join("01:40", "a2t5ky")
join("02:02", "l8m3ru")
join("02:15", "f1h9dx")

# Section 1: add a Prometheus data source.
section("02:30", 1, sync=True)
join("02:45", "b7c4tw")
show_and_do("03:00", "03:06", "add-ds-1", xy=(36, 412))
join("03:10", "i5s0gb")
show_and_do("03:35", "03:41", "add-ds-2", xy=(1688.5, 142))
chat("04:05", "p4r8nm", "Should we use port 9090 or 9091?")
join("04:20", "r3c6ts")
chat("04:40", PRESENTER_ID,
     "9090 is the Prometheus server itself. 9091 is the Pushgateway, which you only "
     "need for short-lived batch jobs. Use 9090 today.")
show_and_do("05:00", "05:05", "add-ds-3", xy=(402, 318.25))
show_and_do("05:40", "05:44", "add-ds-4")
show_and_do("06:20", "06:27", "add-ds-5")
show_and_do("07:05", "07:14", "add-ds-6", xy=(620, 540))
join("07:50", "c0w8ei")
step("08:10", "show_me", "add-ds-7", xy=(212, 1034))  # show only, it just points
show_and_do("08:25", "08:31", "add-ds-8")
status("08:50", "d6w1kz", "error", currentStep=8,
       error="Post \"http://localhost:9090/api/v1/query\": dial tcp 127.0.0.1:9090: connect: connection refused")
hand("08:55", "d6w1kz", True)
chat("09:05", "d6w1kz", "Save & test says Bad Gateway for me, what did I miss?")
chat("09:40", PRESENTER_ID,
     "You probably have localhost in the URL. Inside the Grafana container localhost is "
     "Grafana itself; use http://prometheus:9090, the service name from docker-compose.")
hand("10:05", "d6w1kz", False)
chat("10:20", "d6w1kz", "That fixed it, green banner now. Thanks!")
join("10:40", "o6p2vv")
mode_change("11:00", "a2t5ky", "guided")
status("11:02", "a2t5ky", "mode_changed", mode="guided", currentStep=8)

# Section 2: explore metrics, build a query in Explore.
section("12:00", 2)
show_and_do("12:20", "12:24", "explore-1")
show_and_do("13:00", "13:07", "explore-2", xy=(318, 96))
step("13:50", "show_me", "explore-3", xy=(1402, 188))

# Coffee break.
emit(at("14:30"), "pause", sender=PRESENTER_ID,
     message="Take five minutes, grab a coffee. We continue with PromQL at 14:20 UTC.")
status("16:05", "b7c4tw", "left")
leave("16:06", "b7c4tw")
emit(at("19:30"), "resume", sender=PRESENTER_ID,
     message="Welcome back! Let's write our first PromQL query.")
emit(at("19:45"), "sync_state", sender=PRESENTER_ID, tutorialUrl=SECTION_URLS[2], stepNumber=2)

show_and_do("20:00", "20:08", "explore-4", xy=(540, 230))
chat("20:25", "s3f7eq", "What's the difference between rate() and irate()?")
chat("20:55", PRESENTER_ID,
     "rate() averages over the whole range, irate() only looks at the last two samples. "
     "Use rate() for dashboards and alerts, irate() for spiky, fast-moving graphs.")
step("21:05", "show_me", "explore-4", xy=(540, 230))  # shown again after the question
show_and_do("21:20", "21:25", "explore-5", xy=(1790, 96))
hand("21:50", "l8m3ru", True)
chat("21:55", "l8m3ru", "Why [5m] and not [1m] in the range?")
chat("22:30", PRESENTER_ID,
     "The range should cover at least four scrape intervals. With a 15 s scrape interval "
     "1m works, but 5m gives a smoother line and survives a missed scrape.")
hand("22:35", "l8m3ru", False)

# Section 3: build a dashboard panel and an alert rule.
section("23:00", 3)
show_and_do("23:15", "23:22", "dashboard-1")
leave("24:00", "c0w8ei")
show_and_do("24:10", "24:15", "dashboard-2", xy=(960, 480))
show_and_do("24:50", "24:58", "dashboard-3", xy=(540, 610))
show_and_do("25:30", "25:36", "dashboard-4", xy=(1650, 214))
mode_change("26:00", "m9k2ob", "guided")
show_and_do("26:20", "26:29", "dashboard-5")
hand("26:50", "f1h9dx", True)
chat("27:00", "f1h9dx", "Can the alert rule use the same query as the panel?")
chat("27:35", PRESENTER_ID,
     "Yes. When you create the rule from the panel, Grafana copies the panel's query in; "
     "you only add the threshold and the evaluation interval.")
hand("27:40", "f1h9dx", False)
show_and_do("28:10", "28:16", "dashboard-6", xy=(1702, 58))
leave("28:30", "o6p2vv")
chat("28:45", "i5s0gb", "Will the recording be shared afterwards?")
chat("29:10", PRESENTER_ID,
     "Yes, I'll post the recording and the tutorial link in the workshop channel today.")
chat("29:30", "m9k2ob", "Thanks Tom, great session!")
chat("29:50", PRESENTER_ID, "Thanks everyone for joining, see you at Loki 101 next week!")

emit(END_OFFSET_MS, "session_end", reason="presenter ended the session")

# Presenter heartbeats every 5 s for the whole session.
for off in range(HEARTBEAT_MS, END_OFFSET_MS, HEARTBEAT_MS):
    emit(off, "heartbeat", sender=PRESENTER_ID, sentAt=START_MS + off)

# Stable sort: by time, then by the order written above.
events = [ev for _, _, ev in sorted(_events, key=lambda t: (t[0], t[1]))]
assert events[0]["type"] == "session_start" and events[-1]["type"] == "session_end"

# --- output -------------------------------------------------------------------

here = os.path.dirname(os.path.abspath(__file__))

jsonl = "".join(
    json.dumps(ev, separators=(",", ":"), ensure_ascii=False) + "\n" for ev in events
).encode("utf-8")
with open(os.path.join(here, "prometheus-101.jsonl"), "wb") as f:
    f.write(jsonl)
with open(os.path.join(here, "prometheus-101.jsonl.gz"), "wb") as f:
    f.write(gzip.compress(jsonl, compresslevel=9, mtime=0))

attendees = []
by_id = {}
for ev in events:
    if ev["type"] == "attendee_join":
        aid = next(k for k, v in ATTENDEES.items() if v[0] == ev["name"])
        rec = {"id": aid, "name": ev["name"], "joinedAt": ev["timestamp"]}
        by_id[aid] = rec
        attendees.append(rec)
    elif ev["type"] == "attendee_leave":
        by_id[ev["senderId"]]["leftAt"] = ev["timestamp"]

recording = {
    "id": SESSION_ID,
    "name": SESSION_NAME,
    "presenter": {"id": PRESENTER_ID, "name": PRESENTER_NAME},
    "tutorialUrl": events[0]["config"]["tutorialUrl"],
    "duration": events[-1]["timestamp"] - events[0]["timestamp"],
    "recordedAt": RECORDED_AT,
    "events": events,
    "chat": [ev for ev in events if ev["type"] == "chat_message"],
    "attendees": attendees,
}
with open(os.path.join(here, "prometheus-101.json"), "w", encoding="utf-8", newline="\n") as f:
    f.write(json.dumps(recording, indent=2, ensure_ascii=False) + "\n")
