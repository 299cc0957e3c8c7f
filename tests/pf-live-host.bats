#!/usr/bin/env bats
# tests/pf-live-host.bats: pf-live host, against npm's PeerJS server (peer
# 1.0.2, the app's) run on 127.0.0.1 by each test, and attendees that do
# what the app's attendee does, in headless chromium
# (tests/live/attendee.mjs), or pf-live join itself.  Every process a test
# starts runs under timeout(1) and is stopped by pid in teardown, with the
# processes it started (chromium); nothing is stopped by name.

load test_helper
load live/peer

# A test that hangs anyway is ended by bats.
BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-240}

ATTENDEE="$BATS_TEST_DIRNAME/live/attendee.mjs"
PRESENTER="$BATS_TEST_DIRNAME/live/presenter.mjs"

setup() {
	pf_setup
	# GLib's own start-up allocation, reported once GStreamer is loaded.
	LSAN_OPTIONS="fast_unwind_on_malloc=0:suppressions=$BATS_TEST_DIRNAME/live/lsan.supp:print_suppressions=0"
	export LSAN_OPTIONS
	PIDS=()
	STOPPED=()
	PEER1_PID=
}

teardown() {
	local p

	for p in "${STOPPED[@]}"; do
		kill -CONT "$p" 2>/dev/null
	done
	for p in "${PIDS[@]}"; do
		[ -n "$p" ] && stop_pid "$p"
	done
	stop_peer
	if [ -n "${PEER1_PID:-}" ]; then
		PEER_PID=$PEER1_PID
		stop_peer
	fi
}

# --- helpers -----------------------------------------------------------------

# need_live: skips the test when the browser or webrtcbin is missing.
need_live() {
	need_browser
	if command -v gst-inspect-1.0 >/dev/null; then
		gst-inspect-1.0 webrtcbin >/dev/null 2>&1 ||
			skip "no GStreamer webrtcbin (gstreamer1.0-plugins-bad)"
	else
		compgen -G '/usr/lib/*/gstreamer-1.0/libgstwebrtc.so' >/dev/null ||
			skip "no GStreamer webrtcbin (gstreamer1.0-plugins-bad)"
	fi
}

# started PID: remembers PID, a process this test started, for teardown.
started() {
	PIDS+=("$1")
}

# descendants PID: the pids of PID's children, theirs, and so on.
descendants() {
	local c

	for c in $(pgrep -P "$1"); do
		echo "$c"
		descendants "$c"
	done
}

# stop_pid PID: stops PID (SIGTERM, SIGKILL after 5 s) and, if they
# outlive it, the processes it had started; forgets PID.
stop_pid() {
	local pid=$1 i kids

	kids=$(descendants "$pid")
	kill "$pid" 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	for i in $kids; do
		kill -9 "$i" 2>/dev/null
	done
	forget "$pid"
}

# forget PID: PID has ended and been waited for.
forget() {
	local i

	for i in "${!PIDS[@]}"; do
		[ "${PIDS[i]}" = "$1" ] && PIDS[i]=
	done
	return 0
}

# wait_pid PID: waits for PID (started by the test); sets ST to its status.
wait_pid() {
	ST=0
	wait "$1" || ST=$?
	forget "$1"
}

# wait_line FILE ERE [SECONDS]: waits (default 60 s) until a line of FILE
# matches ERE; on timeout prints FILE to stderr and fails.
wait_line() {
	local i

	for ((i = 0; i < ${3:-60} * 10; i++)); do
		grep -Eq -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "wait_line: no line matching '$2' in $1 after ${3:-60} s:" >&2
	cat "$1" >&2
	return 1
}

# wait_file FILE [SECONDS]: waits (default 60 s) until FILE exists.
wait_file() {
	local i

	for ((i = 0; i < ${2:-60} * 10; i++)); do
		[ -e "$1" ] && return 0
		sleep 0.1
	done
	echo "wait_file: no $1 after ${2:-60} s" >&2
	return 1
}

now_ms() {
	date +%s%3N
}

# stream_head SID T: a session_start for session SID at T (epoch ms), then
# 1500 presenter heartbeats at T: about 170 KB, far more than a pipe holds, so
# that its writer returns only once the host has read the session_start.
stream_head() {
	jq -nc --arg s "$1" --argjson t "$2" '
		{type: "session_start", sessionId: $s,
		 config: {name: "Host test", tutorialUrl: "https://example.com/host-guide",
			  defaultMode: "guided"}, timestamp: $t},
		(range(1500) | {type: "heartbeat", sessionId: $s, timestamp: $t,
		 senderId: $s, sentAt: $t})'
}

# stream_body SID T: what the presenter does from T on: a heartbeat, show_me,
# do_it (30 KB: sent in chunks), an attendee's hand_raise (input, not to be
# broadcast), show_me, session_end; 100 ms apart.
stream_body() {
	jq -nc --arg s "$1" --argjson t "$2" '
		def click($type; $step; $dt; $comment; $x):
			{type: $type, sessionId: $s, timestamp: ($t + $dt),
			 senderId: "presenter", stepId: $step,
			 action: {targetAction: "button", refTarget: "button[data-testid=\"save\"]",
				  targetValue: null, targetComment: $comment},
			 coordinates: {x: $x, y: 288}};
		{type: "heartbeat", sessionId: $s, timestamp: $t, senderId: $s, sentAt: $t},
		click("show_me"; "intro-step-1"; 100; "<p>Click <b>Save</b></p>"; 412),
		click("do_it"; "intro-step-1"; 200; "<p>" + ("Säve ✓ " * 3000) + "</p>"; 413),
		{type: "hand_raise", sessionId: $s, timestamp: ($t + 250),
		 senderId: "attendee", attendeeName: "Old input", isRaised: true,
		 pfPeer: "8b0f6c2e-5d1a-4e7b-9c3f-2a6d1e0b7f44"},
		click("show_me"; "intro-step-2"; 300; null; 100),
		{type: "session_end", sessionId: $s, timestamp: ($t + 400)}'
}

# producer SID: the host's input, written to stdout (a FIFO): the stream
# head at once, then head.done is touched; then, once the file go exists
# (at most 60 s), the body with timestamps from then (also kept in
# body.jsonl), and body.done.
producer() {
	local i

	stream_head "$1" "$(now_ms)" || return 1
	touch head.done
	for ((i = 0; i < 600; i++)); do
		[ -e go ] && break
		sleep 0.1
	done
	stream_body "$1" "$(now_ms)" >body.jsonl
	cat body.jsonl
	touch body.done
}

# start_producer SID: producer SID into the FIFO in.fifo, in the background.
start_producer() {
	mkfifo in.fifo
	timeout 120 bash -c "$(declare -f now_ms stream_head stream_body producer); producer $1" \
		>in.fifo 3>&- &
	started $!
}

# start_host IN ARG...: pf-live --server ... ARG... host, stdin from IN, in
# the background (at most 120 s); waits for its join code and sets
# HOST_PID, HOST_CODE.  Output in $HOST.out and $HOST.err (HOST: default
# "host"); the server is $PEER_URL.
start_host() {
	local in=$1 tag=${HOST:-host}

	shift
	timeout 120 pf-live --server "$PEER_URL" --timeout 30 "$@" host \
		<"$in" >"$tag.out" 2>"$tag.err" 3>&- &
	HOST_PID=$!
	started "$HOST_PID"
	wait_line "$tag.err" '^pf-live: join code: ' 30 || return 1
	HOST_CODE=$(sed -n 's/^pf-live: join code: //p' "$tag.err")
	[ -n "$HOST_CODE" ]
}

# start_att N MODE [FIRST]: tests/live/attendee.mjs with N attendees
# (numbered from FIRST, default 0) on the join code HOST_CODE, on the
# server at port ATT_PORT (default PEER_PORT), in the background; output
# in attFIRST.out, attFIRST.err, att-K.jsonl, att-K.id.  Sets ATT_PID.
start_att() {
	PF_ATT_FIRST=${3:-0} timeout 120 node "$ATTENDEE" "${ATT_PORT:-$PEER_PORT}" \
		"$HOST_CODE" "$1" "$2" . >"att${3:-0}.out" 2>"att${3:-0}.err" 3>&- &
	ATT_PID=$!
	started "$ATT_PID"
}

# wait_att PID FIRST: waits for an attendee run; fails unless it ended
# with "done".
wait_att() {
	wait_pid "$1"
	[ "$ST" -eq 0 ] || { cat "att$2.err" >&2; return 1; }
	[ "$(tail -n 1 "att$2.out")" = "done" ]
}

# expected: the body's broadcast events (show_me, do_it), as sent.
expected() {
	jq -c 'select(.type == "show_me" or .type == "do_it")' body.jsonl
}

# same_events GOT WANT [SID]: the two files of JSON lines are the same;
# with SID, GOT's lines are WANT's as the host sends them: sessionId SID
# and timestamp the moment of sending (as the app's presenter stamps a
# click), paced (no closer to the first than in WANT, 5 ms aside).  When they differ,
# a short summary of each (lines can be 30 KB) on stderr.
same_events() {
	local f

	if [ -z "${3:-}" ]; then
		cmp -s "$1" "$2" && return 0
	elif jq -c 'del(.timestamp)' "$1" | cmp -s - <(jq -c --arg s "$3" '.sessionId = $s | del(.timestamp)' "$2"); then
		jq -s -e --slurpfile w "$2" '. as $g |
			length == ($w | length) and
			([range(length)] | all(. as $i |
				$g[$i].timestamp - $g[0].timestamp >= $w[$i].timestamp - $w[0].timestamp - 5 and
				($i == 0 or $g[$i].timestamp >= $g[$i - 1].timestamp)))' "$1" >/dev/null &&
			return 0
		echo "same_events: $1 is not paced as $2" >&2
	fi
	echo "same_events: $1 and $2 differ; type, sessionId, stepId, timestamp, length:" >&2
	for f in "$1" "$2"; do
		echo "$f:" >&2
		jq -c '[.type, .sessionId, .stepId, .timestamp, (tostring | length)]' "$f" >&2
	done
	return 1
}

# check_events FILE SID NAME URL: FILE holds the events one attendee got
# (heartbeats aside): session_start for SID with config {NAME, URL,
# guided}, the body's show_me, do_it, show_me unchanged and in order,
# session_end for SID.
check_events() {
	local f=$1

	jq -c 'select(.type != "heartbeat")' "$f" >events.tmp
	[ "$(jq -r .type events.tmp | tr '\n' ' ')" = "session_start show_me do_it show_me session_end " ] ||
		{ echo "$f: $(jq -r .type events.tmp | tr '\n' ' ')" >&2; return 1; }
	jq -c 'select(.type == "show_me" or .type == "do_it")' events.tmp >got.tmp
	expected >want.tmp
	same_events got.tmp want.tmp "$2"
	jq -e --arg s "$2" --arg n "$3" --arg u "$4" '
		keys_unsorted == ["type", "sessionId", "config", "timestamp"] and
		.sessionId == $s and
		.config == {name: $n, tutorialUrl: $u, defaultMode: "guided"} and
		(.timestamp | type == "number")' <(sed -n 1p events.tmp) >/dev/null
	jq -e --arg s "$2" '.type == "session_end" and .sessionId == $s' \
		<(tail -n 1 events.tmp) >/dev/null
	# A heartbeat is the presenter's: senderId and sentAt as the app sends.
	[ "$(jq --arg s "$2" 'select(.type == "heartbeat") |
		.sessionId == $s and .senderId == $s and .sentAt == .timestamp' "$f" |
		grep -cv '^true$')" -eq 0 ]
}

# att_events K: attendee K's events (att-K.jsonl without arrival times).
att_events() {
	jq -c .ev "att-$1.jsonl" >"ev-$1.jsonl"
	echo "ev-$1.jsonl"
}

# check_header SID [NAME URL]: the first three lines of host.err, and the
# join code they give (its name and url when NAME and URL are given).
check_header() {
	local code

	[ "$(sed -n 1p host.err)" = "pf-live: hosting session $1" ]
	code=$(sed -n 's/^pf-live: join code: //p' host.err)
	[[ "$code" =~ ^[A-Za-z0-9+/]+=*$ ]]
	[ "$(sed -n 2p host.err)" = "pf-live: join code: $code" ]
	[ "$(sed -n 3p host.err)" = "pf-live: join URL: http://localhost:3000/a/grafana-grafanadocsplugin-app?session=$(jq -rn --arg c "$code" '$c | @uri')" ]
	printf '%s' "$code" | base64 -d | jq -e --arg s "$1" '
		.id == $s and (.pubkey | test("^[A-Za-z0-9_-]{120,}$"))' >/dev/null
	if [ $# -ge 3 ]; then
		printf '%s' "$code" | base64 -d |
			jq -e --arg n "$2" --arg u "$3" '.name == $n and .url == $u' >/dev/null
	fi
}

# one_event FILE TYPE JQ [ARG...]: FILE has exactly one event of TYPE, and
# the jq filter JQ (ARGs are jq's, before it) is true of it.
one_event() {
	local f=$1 t=$2

	shift 2
	jq -c --arg t "$t" 'select(.type == $t)' "$f" >one.tmp
	[ "$(wc -l <one.tmp)" -eq 1 ] ||
		{ echo "one_event: $(wc -l <one.tmp) $t in $f" >&2; return 1; }
	jq -e "$@" one.tmp >/dev/null
}

# between LOW HIGH VALUE: LOW <= VALUE <= HIGH, or says what it was.
between() {
	if [ "$3" -lt "$1" ] || [ "$3" -gt "$2" ]; then
		echo "expected $1 <= $3 <= $2" >&2
		return 1
	fi
}

# lint_clean FILE: pf-lint --strict finds nothing in FILE.
lint_clean() {
	run pf-lint --strict "$1"
	[ "$output" = "" ] || { echo "$output" >&2; return 1; }
	[ "$status" -eq 0 ]
}

# --- hosting ---------------------------------------------------------------

@test "pf-live host: one attendee gets every event in order, stamped as sent; the stream is the presenter's side" {
	need_live
	start_peer
	start_producer pfhost
	start_host in.fifo --id pfhost
	wait_file head.done 30
	start_att 1 normal
	wait_line att0.out '^joined 0$'
	touch go
	wait_att "$ATT_PID" 0
	wait_pid "$HOST_PID"
	[ "$ST" -eq 0 ]
	[ "$(cat att0.out)" = "joined 0
done" ]
	check_events "$(att_events 0)" pfhost "Host test" https://example.com/host-guide
	id=$(cat att-0.id)
	# stderr: the header, then the join.
	check_header pfhost
	[ "$(sed -n 4p host.err)" = "pf-live: attendee $id (\"att-0\") joined; 1 in the session" ]
	run ! grep -Eq 'closed|dropped' host.err
	# stdout: the attendee's join (with pfPeer), the session_start it was
	# sent, heartbeats, each click once, the session_end it was sent.
	[ "$(jq -r 'select(.type != "heartbeat") | .type' host.out | tr '\n' ' ')" = "attendee_join session_start show_me do_it show_me session_end " ]
	jq -e --arg p "$id" 'keys_unsorted == ["type", "name", "mode", "timestamp", "pfPeer"] and
		.name == "att-0" and .mode == "guided" and .pfPeer == $p' <(sed -n 1p host.out)
	jq -c 'select(.type == "show_me" or .type == "do_it")' host.out >got.jsonl
	expected >want.jsonl
	same_events got.jsonl want.jsonl pfhost
	[ "$(jq -c 'select(.type == "session_start")' host.out)" = "$(head -n 1 ev-0.jsonl)" ]
	[ "$(jq -c 'select(.type == "session_end")' host.out)" = "$(tail -n 1 ev-0.jsonl)" ]
	# Echoes carry pfPeer and the attendee's words.
	[ "$(jq --arg p "$id" 'select(.type == "heartbeat" and .senderId == "attendee") | .pfPeer == $p' host.out |
		grep -cv '^true$')" -eq 0 ]
	# Not broadcast: the input's heartbeats and attendee messages.
	run ! grep -q 'Old input' host.out
	run ! grep -q '"Old input"' ev-0.jsonl
	lint_clean host.out
}

@test "pf-live host: three attendees each get every event; the stream has each join, start and end" {
	need_live
	start_peer
	start_producer pfhost
	start_host in.fifo --id pfhost
	wait_file head.done 30
	start_att 3 normal
	wait_line att0.out '^joined 0$'
	wait_line att0.out '^joined 1$'
	wait_line att0.out '^joined 2$'
	touch go
	wait_att "$ATT_PID" 0
	wait_pid "$HOST_PID"
	[ "$ST" -eq 0 ]
	[ "$(sort att0.out | tr '\n' ' ')" = "done joined 0 joined 1 joined 2 " ]
	for k in 0 1 2; do
		check_events "$(att_events "$k")" pfhost "Host test" https://example.com/host-guide
	done
	check_header pfhost
	[ "$(grep -c '^pf-live: attendee .* joined; [123] in the session$' host.err)" -eq 3 ]
	grep -q '^pf-live: attendee .* joined; 3 in the session$' host.err
	run ! grep -Eq 'closed|dropped' host.err
	# Three joins, by the three peers; three session_start; each click
	# once; three session_end.
	[ "$(jq -r 'select(.type == "attendee_join") | .pfPeer' host.out | sort)" = "$(cat att-0.id att-1.id att-2.id | sort)" ]
	[ "$(jq -r 'select(.type == "attendee_join") | .name' host.out | sort | tr '\n' ' ')" = "att-0 att-1 att-2 " ]
	[ "$(jq -c 'select(.type == "session_start")' host.out | wc -l)" -eq 3 ]
	[ "$(jq -c 'select(.type == "session_end")' host.out | wc -l)" -eq 3 ]
	jq -c 'select(.type == "show_me" or .type == "do_it")' host.out >got.jsonl
	expected >want.jsonl
	same_events got.jsonl want.jsonl pfhost
	[ "$(jq -r 'select(.type != "heartbeat") | .type' host.out | tail -n 3 | tr '\n' ' ')" = "session_end session_end session_end " ]
	lint_clean host.out
}

@test "pf-live host: --wait-for 2 reads nothing until both attendees are in; --name, --url" {
	need_live
	start_peer
	touch go
	start_producer waitt1
	start_host in.fifo --id waitt1 --wait-for 2 --name 'Wait "test"' --url https://example.com/wait
	check_header waitt1 'Wait "test"' https://example.com/wait
	start_att 1 normal 0
	first=$ATT_PID
	wait_line att0.out '^joined 0$'
	sleep 2
	# One in: the producer is still stuck in its first write.
	[ ! -e head.done ]
	[ "$(jq -r .type host.out | grep -v heartbeat | tr '\n' ' ')" = "attendee_join session_start " ]
	start_att 1 normal 1
	wait_line att1.out '^joined 1$'
	wait_file head.done 30
	wait_att "$first" 0
	wait_att "$ATT_PID" 1
	wait_pid "$HOST_PID"
	[ "$ST" -eq 0 ]
	# Both got it all; session_start named by the options.
	check_events "$(att_events 0)" waitt1 'Wait "test"' https://example.com/wait
	check_events "$(att_events 1)" waitt1 'Wait "test"' https://example.com/wait
	grep -q '^pf-live: attendee .* joined; 2 in the session$' host.err
}

@test "pf-live host: pf-live join gets the events from pf-live host; --record" {
	need_live
	start_peer
	start_producer joinh1
	start_host in.fifo --id joinh1 --record rec.jsonl
	wait_file head.done 30
	timeout 60 pf-live --server "$PEER_URL" --timeout 30 --name 'Ada "L"' join "$HOST_CODE" \
		>join.out 2>join.err 3>&- &
	join=$!
	started "$join"
	wait_line host.err '^pf-live: attendee .* joined; 1 in the session$'
	touch go
	wait_pid "$join"
	[ "$ST" -eq 0 ]
	[ ! -s join.err ]
	check_events join.out joinh1 "Host test" https://example.com/host-guide
	wait_pid "$HOST_PID"
	[ "$ST" -eq 0 ]
	# --record: the stream in the file, nothing on stdout.
	[ ! -s host.out ]
	one_event rec.jsonl attendee_join '.name == "Ada \"L\"" and .mode == "guided" and
		(.pfPeer | test("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))'
	jq -c 'select(.type == "show_me" or .type == "do_it")' rec.jsonl >got.jsonl
	expected >want.jsonl
	same_events got.jsonl want.jsonl joinh1
	lint_clean rec.jsonl
}

# --- pacing: the player's clock ---------------------------------------------

@test "pf-live host: -s 2 presents a recording twice as fast, -i cuts its long pause; the attendee gets each when due" {
	need_live
	start_peer
	# The presenter's four events: 3 s, a pause of 60 s, 3 s apart.  At
	# 2x with the pause cut to 3 s, they are sent 1.5 s apart: 1.5, 3 and
	# 4.5 s after the first (never earlier), where 1x would take 3, 6 and
	# 9 s, and the whole pause 30 s or more.
	cat >in.jsonl <<'EOF'
{"type":"session_start","sessionId":"rec123","config":{"name":"Speed","tutorialUrl":"https://example.com/speed","defaultMode":"guided"},"timestamp":1000000}
{"type":"show_me","sessionId":"rec123","timestamp":1000000,"senderId":"presenter","stepId":"s1","action":{"targetAction":"button","refTarget":"button.x","targetValue":null,"targetComment":null},"coordinates":{"x":1,"y":2}}
{"type":"do_it","sessionId":"rec123","timestamp":1003000,"senderId":"presenter","stepId":"s1","action":{"targetAction":"button","refTarget":"button.x","targetValue":null,"targetComment":null},"coordinates":{"x":1,"y":2}}
{"type":"chat_message","sessionId":"rec123","timestamp":1063000,"senderId":"presenter","message":"after the pause"}
{"type":"show_me","sessionId":"rec123","timestamp":1066000,"senderId":"presenter","stepId":"s2","action":{"targetAction":"button","refTarget":"button.y","targetValue":null,"targetComment":null},"coordinates":{"x":3,"y":4}}
{"type":"session_end","sessionId":"rec123","timestamp":1066000}
EOF
	start_host in.jsonl --id speed1 --wait-for 1 -s 2 -i 3s
	run --separate-stderr timeout 60 pf-live --server "$PEER_URL" --timeout 30 join "$HOST_CODE" 3>&-
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	printf '%s\n' "$output" | jq -c 'select(.type != "heartbeat")' >got.jsonl
	[ "$(jq -r .type got.jsonl | tr '\n' ' ')" = "session_start show_me do_it chat_message show_me session_end " ]
	# Each is stamped when sent: how long after the first.
	mapfile -t off < <(jq -s '[.[] | select(.type != "session_start" and
		.type != "session_end") | .timestamp] | .[0] as $t0 | .[1:][] - $t0' got.jsonl)
	[ "${#off[@]}" -eq 3 ]
	between 1495 2900 "${off[0]}"
	between 2995 4400 "${off[1]}"
	between 4495 5900 "${off[2]}"
	wait_pid "$HOST_PID"
	[ "$ST" -eq 0 ]
	# The stream has them as the attendee got them.
	sel='select(.type == "show_me" or .type == "do_it" or .type == "chat_message")'
	[ "$(jq -c "$sel" host.out)" = "$(jq -c "$sel" got.jsonl)" ]
}

@test "pf-live host: -s 2 keeps a repeat recorded 600 ms apart 500 ms apart, as the app needs; what follows moves with it" {
	need_live
	start_peer
	# show_me s1 twice, 600 ms apart, then its do_it 400 ms later.  At 2x
	# the repeat would come 300 ms after the first, and the app's attendee
	# drops a repeat stamped less than 500 ms after the last: it is held
	# to 500 ms, and the do_it comes 200 ms after it.
	cat >in.jsonl <<'EOF'
{"type":"session_start","sessionId":"rep123","config":{"name":"Repeat","tutorialUrl":"https://example.com/repeat","defaultMode":"guided"},"timestamp":1000000}
{"type":"show_me","sessionId":"rep123","timestamp":1000000,"senderId":"presenter","stepId":"s1","action":{"targetAction":"button","refTarget":"button.x","targetValue":null,"targetComment":null},"coordinates":{"x":1,"y":2}}
{"type":"show_me","sessionId":"rep123","timestamp":1000600,"senderId":"presenter","stepId":"s1","action":{"targetAction":"button","refTarget":"button.x","targetValue":null,"targetComment":null},"coordinates":{"x":1,"y":2}}
{"type":"do_it","sessionId":"rep123","timestamp":1001000,"senderId":"presenter","stepId":"s1","action":{"targetAction":"button","refTarget":"button.x","targetValue":null,"targetComment":null},"coordinates":{"x":1,"y":2}}
{"type":"session_end","sessionId":"rep123","timestamp":1001000}
EOF
	start_host in.jsonl --id repeat1 --wait-for 1 -s 2
	run --separate-stderr timeout 60 pf-live --server "$PEER_URL" --timeout 30 join "$HOST_CODE" 3>&-
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	printf '%s\n' "$output" | jq -c 'select(.type != "heartbeat")' >got.jsonl
	[ "$(jq -r .type got.jsonl | tr '\n' ' ')" = "session_start show_me show_me do_it session_end " ]
	# Stamped when sent, as the app compares them: the repeat's and the
	# do_it's time after the first show_me.
	mapfile -t off < <(jq -s '[.[] | select(.type == "show_me" or
		.type == "do_it") | .timestamp] | .[0] as $t0 | .[1:][] - $t0' got.jsonl)
	[ "${#off[@]}" -eq 2 ]
	between 500 1400 "${off[0]}"
	between 695 1600 "${off[1]}"
	# pf-lint's repeated-step rule, the app's, finds nothing to drop.
	run -0 --separate-stderr pf-lint got.jsonl
	[ "$output" = "" ]
	wait_pid "$HOST_PID"
	[ "$ST" -eq 0 ]
}

# --- relaying: pf-live join CODE | pf-live host -----------------------------

@test "pf-live host: --wait-for still takes the input's leading session_start for the code; an attendee's chat is not presented" {
	need_live
	start_peer
	cat >in.jsonl <<'EOF'
{"type":"session_start","sessionId":"old123","config":{"name":"Ahead 101","tutorialUrl":"https://example.com/ahead","defaultMode":"guided"},"timestamp":1000}
{"type":"show_me","sessionId":"old123","timestamp":1000,"senderId":"presenter","stepId":"s1","action":{"targetAction":"button","refTarget":"button.x","targetValue":null,"targetComment":null},"coordinates":{"x":1,"y":2}}
{"type":"chat_message","sessionId":"old123","timestamp":1100,"senderId":"p4r8nm","message":"from an attendee"}
{"type":"chat_message","sessionId":"old123","timestamp":1150,"senderId":"presenter","message":"from the presenter"}
{"type":"do_it","sessionId":"old123","timestamp":1200,"senderId":"presenter","stepId":"s1","action":{"targetAction":"button","refTarget":"button.x","targetValue":null,"targetComment":null},"coordinates":{"x":1,"y":2}}
EOF
	start_host in.jsonl --id ahead1 --wait-for 1
	# The code carries the input's name and URL, read before registering.
	[ "$(printf '%s' "$HOST_CODE" | base64 -d | jq -c '[.id, .name, .url]')" = '["ahead1","Ahead 101","https://example.com/ahead"]' ]
	run --separate-stderr timeout 60 pf-live --server "$PEER_URL" --timeout 30 join "$HOST_CODE" 3>&-
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(printf '%s\n' "$output" | jq -r 'select(.type != "heartbeat") | [.type, .sessionId, .message // .config.name // .stepId] | join(" ") | rtrimstr(" ")')" = "session_start ahead1 Ahead 101
show_me ahead1 s1
chat_message ahead1 from the presenter
do_it ahead1 s1
session_end ahead1" ]
	wait_pid "$HOST_PID"
	[ "$ST" -eq 0 ]
}

@test "pf-live host: on a terminal, the join URL's QR code follows it (the symbol qrencode makes); not otherwise" {
	need_live
	command -v qrencode >/dev/null || skip "no qrencode (make check-deps)"
	start_peer
	# script(1) gives pf-live a terminal: its stderr.
	timeout 60 script -qec "pf-live --server '$PEER_URL' --name QR host </dev/null" /dev/null \
		>tty.out 3>&-
	tr -d '\r' <tty.out >tty.txt
	[ "$(grep -c '^pf-live: ' tty.txt)" -eq 3 ]
	url=$(sed -n 's/^pf-live: join URL: //p' tty.txt)
	[[ "$url" = "http://localhost:3000/a/grafana-grafanadocsplugin-app?session="* ]]
	# The same symbol from qrencode, as '#' for dark modules, drawn with
	# half blocks: light modules drawn, two rows a line.
	qrencode -t ASCII -l L -8 -m 2 "$url" | python3 -c '
import sys
m = [[c == "#" for c in l.rstrip("\n")[::2]] for l in sys.stdin]
n = len(m)
for y in range(0, n, 2):
    print("".join(
        "\u2588" if t and b else "\u2580" if t else "\u2584" if b else " "
        for t, b in ((not m[y][x], y + 1 == n or not m[y + 1][x]) for x in range(n))))' >want.txt
	grep -v '^pf-live: ' tty.txt >got.txt
	[ "$(wc -l <want.txt)" -gt 10 ]
	cmp got.txt want.txt
	# Not a terminal: the three lines only.
	run --separate-stderr timeout 60 pf-live --server "$PEER_URL" --name QR host </dev/null 3>&-
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 3 ]
	[[ "$stderr" = "pf-live: hosting session "* ]]
}

@test "pf-live host: relays the app's presenter (pf-live join | pf-live host); hand_raise in the stream" {
	need_live
	# The presenter on one server, the relay on another with the same id,
	# so that every event of the relay's stream is of one session.
	start_peer
	PEER1_PID=$PEER_PID
	port1=$PEER_PORT
	node "$PRESENTER" "$port1" abc123 good . >presenter.out 2>presenter.err 3>&- &
	pres=$!
	started "$pres"
	wait_line presenter.out . 30
	code=$(head -n 1 presenter.out)
	url1=$PEER_URL
	start_peer
	# The relay's input: pf-live join, started once the attendee is in.
	mkfifo in.fifo
	# shellcheck disable=SC2016 # expanded by the inner bash
	timeout 120 bash -c 'for i in $(seq 600); do [ -e go ] && break; sleep 0.1; done
		exec pf-live --server "$1" --timeout 30 join "$2"' relay "$url1" "$code" \
		>in.fifo 2>join.err 3>&- &
	started $!
	join=$!
	start_host in.fifo --id abc123 --name Relay --url https://example.com/relay
	start_att 1 hand
	wait_line att0.out '^joined 0$'
	touch go
	wait_att "$ATT_PID" 0
	wait_pid "$join"
	[ "$ST" -eq 0 ]
	[ ! -s join.err ]
	wait_pid "$pres"
	[ "$ST" -eq 0 ]
	wait_pid "$HOST_PID"
	[ "$ST" -eq 0 ]
	# The attendee got the presenter's clicks unchanged (sent.jsonl: what
	# the page sent), and a session_end.
	jq -c '.ev | select(.type != "heartbeat")' att-0.jsonl >ev.jsonl
	[ "$(jq -r .type ev.jsonl | tr '\n' ' ')" = "session_start show_me do_it show_me session_end " ]
	jq -c 'select(.type == "show_me" or .type == "do_it")' ev.jsonl >got.jsonl
	jq -c 'select(.type == "show_me" or .type == "do_it")' sent.jsonl >want.jsonl
	same_events got.jsonl want.jsonl abc123
	jq -e '.config == {name: "Relay", tutorialUrl: "https://example.com/relay", defaultMode: "guided"}' <(head -n 1 ev.jsonl)
	# The hand_raise is in the relay's stream, with its pfPeer.
	id=$(cat att-0.id)
	# shellcheck disable=SC2016 # jq's variables
	one_event host.out hand_raise --arg p "$id" '
		keys_unsorted == ["type", "sessionId", "timestamp", "senderId", "attendeeName", "isRaised", "pfPeer"] and
		.attendeeName == "att-0" and .isRaised == true and .pfPeer == $p'
	[ "$(jq -r 'select(.type != "heartbeat") | .type' host.out | tr '\n' ' ')" = "attendee_join session_start hand_raise show_me do_it show_me session_end " ]
	lint_clean host.out
}

@test "pf-live host: relays another pf-live host, config and all; attendee_leave in the stream" {
	need_live
	# Host A (server 1) reads the producer; pf-live join A | host B (server
	# 2, the same id); two attendees on B, of which attendee 0 leaves after
	# its first show_me.
	start_peer
	PEER1_PID=$PEER_PID
	url1=$PEER_URL
	start_producer chain1
	HOST=a start_host in.fifo --id chain1
	hosta=$HOST_PID
	wait_file head.done 30
	start_peer
	mkfifo relay.fifo
	timeout 120 pf-live --server "$url1" --timeout 30 join "$HOST_CODE" \
		>relay.fifo 2>join.err 3>&- &
	join=$!
	started "$join"
	HOST='' start_host relay.fifo --id chain1
	# B has the config once the join has passed A's session_start on.
	wait_line a.out '"session_start"'
	sleep 2
	start_att 2 leave
	wait_line att0.out '^joined 0$'
	wait_line att0.out '^joined 1$'
	touch go
	wait_att "$ATT_PID" 0
	wait_pid "$hosta"
	[ "$ST" -eq 0 ]
	wait_pid "$join"
	[ "$ST" -eq 0 ]
	wait_pid "$HOST_PID"
	[ "$ST" -eq 0 ]
	[ "$(grep -c '^left 0$' att0.out)" -eq 1 ]
	run ! grep -q '^closed' att0.out
	check_events "$(att_events 1)" chain1 "Host test" https://example.com/host-guide
	# Attendee 0 left after its first show_me.
	jq -c .ev att-0.jsonl | grep -q '"show_me"'
	id=$(cat att-0.id)
	# shellcheck disable=SC2016 # jq's variables
	one_event host.out attendee_leave --arg p "$id" '
		keys_unsorted == ["type", "sessionId", "timestamp", "senderId", "pfPeer"] and
		.sessionId == "chain1" and .senderId == $p and .pfPeer == $p'
	grep -q "^pf-live: attendee $id left; 1 in the session\$" host.err
	# One session_end: to attendee 1, the one still there.
	[ "$(jq -r 'select(.type == "session_end") | .type' host.out | wc -l)" -eq 1 ]
	lint_clean host.out
	lint_clean a.out
}

# --- attendees that misbehave ------------------------------------------------

# hostile MODE WAIT: attendee 0 does MODE while attendee 1 is normal, the
# host started with --wait-for WAIT; the host closes attendee 0 (or, for
# hostile-early, may ignore what it sent early), attendee 1 gets
# everything, the host exits 0.  Whether attendee 0's PeerJS sees the close
# is not checked: "closed 0" or "open 0".  In-session modes act once both
# are in, as the stream starts; hostile-early connects once attendee 1 is
# in, and the stream's body waits until the host has dealt with it.
hostile() {
	need_live
	start_peer
	[ "$1" = hostile-early ] || touch go
	start_producer hostl1
	start_host in.fifo --id hostl1 --wait-for "$2" --name Hostile --url https://example.com/h
	start_att 2 "$1"
	if [ "$1" = hostile-early ]; then
		wait_line att0.out '^early 0$'
		id0=$(cat att-0.id)
		# Until the host closes it, or it is in after all (at most 15 s).
		for _ in $(seq 150); do
			grep -Eq "^pf-live: closed (attendee|connection) $id0: " host.err && break
			grep -Eq '^(joined|closed|refused) 0' att0.out && break
			sleep 0.1
		done
		touch go
	fi
	wait_att "$ATT_PID" 0
	wait_pid "$HOST_PID"
	[ "$ST" -eq 0 ]
	grep -q '^joined 1$' att0.out
	check_events "$(att_events 1)" hostl1 Hostile https://example.com/h
	id0=$(cat att-0.id)
	# What attendee 0 sent before a proper join is not in the stream.
	run ! grep -q 'early-junk' host.out
}

@test "pf-live host: a second presenter_challenge closes that attendee; the other gets everything" {
	hostile hostile-challenge 2
	grep -Eq '^(closed|open) 0$' att0.out
	grep -q "^pf-live: closed attendee $id0: " host.err
}

@test "pf-live host: BinaryPack nested 10000 deep closes that attendee; the other gets everything" {
	hostile hostile-deep 2
	grep -Eq '^(closed|open) 0$' att0.out
	grep -q "^pf-live: closed attendee $id0: " host.err
}

@test "pf-live host: a BinaryPack string claiming 4 GB closes that attendee; the other gets everything" {
	hostile hostile-huge 2
	grep -Eq '^(closed|open) 0$' att0.out
	grep -q "^pf-live: closed attendee $id0: " host.err
}

@test "pf-live host: messages before the challenge are not taken; the other attendee gets everything" {
	hostile hostile-early 1
	# Either the host closed attendee 0, or it ignored the early messages
	# and took its proper join later.
	if grep -Eq '^(closed|open) 0$' att0.out; then
		grep -Eq "^pf-live: closed (attendee|connection) $id0: " host.err
	else
		grep -q '^joined 0$' att0.out
		[ "$(jq -c 'select(.pfPeer == "'"$id0"'" and .type == "attendee_join")' host.out | wc -l)" -eq 1 ]
	fi
}

@test "pf-live host: a stalled attendee is dropped past --max-queue; the other gets everything" {
	need_live
	start_peer
	mkfifo in.fifo
	jq -nc --argjson t "$(now_ms)" '{type: "session_start", sessionId: "stall1",
		config: {name: "Stall", tutorialUrl: "", defaultMode: "guided"}, timestamp: $t}' >head.jsonl
	# shellcheck disable=SC2016 # expanded by the inner bash
	timeout 120 bash -c 'cat head.jsonl
		for i in $(seq 600); do [ -e go ] && break; sleep 0.1; done
		cat body.jsonl' >in.fifo 3>&- &
	started $!
	start_host in.fifo --id stall1 --max-queue 262144
	start_att 1 normal 0
	live=$ATT_PID
	start_att 1 normal 1
	stalled=$ATT_PID
	wait_line att0.out '^joined 0$'
	wait_line att1.out '^joined 1$'
	# Stop attendee 1's browser: the processes its node started.
	node1=$(pgrep -P "$stalled")
	mapfile -t STOPPED < <(descendants "$node1")
	[ "${#STOPPED[@]}" -gt 0 ]
	kill -STOP "${STOPPED[@]}"
	# Sixty do_it of 40 KB, 40 ms apart (2.4 MB in 2.4 s: the live attendee
	# keeps up), then session_end.
	jq -nc --argjson t "$(now_ms)" '
		(range(60) as $i | {type: "do_it", sessionId: "stall1", timestamp: ($t + 40 * $i),
		 senderId: "presenter", stepId: "big-\($i)",
		 action: {targetAction: "button", refTarget: "button#b\($i)", targetValue: null,
			  targetComment: ("<p>" + ("x" * 40000) + "</p>")},
		 coordinates: {x: $i, y: 1}}),
		{type: "session_end", sessionId: "stall1", timestamp: ($t + 2500)}' >body.jsonl
	touch go
	wait_att "$live" 0
	wait_pid "$HOST_PID"
	[ "$ST" -eq 0 ]
	id1=$(cat att-1.id)
	# host.md has "dropped attendee ID: its queue passed N bytes" as an
	# example; the words are the host's, the id and the limit are checked.
	grep -Eq "^pf-live: (dropped|closed) attendee $id1: .*\b262144 bytes" host.err
	[ "$(grep -Ec '^pf-live: (dropped|closed) attendee' host.err)" -eq 1 ]
	# Attendee 0: every do_it, in order, unchanged; then session_end.
	jq -c '.ev | select(.type == "do_it")' att-0.jsonl >got.jsonl
	jq -c 'select(.type == "do_it")' body.jsonl >want.jsonl
	same_events got.jsonl want.jsonl stall1
	[ "$(jq -r '.ev.type' att-0.jsonl | grep -v heartbeat | tail -n 1)" = session_end ]
}

# --- refusals ----------------------------------------------------------------

@test "pf-live host: the PeerJS server going away ends no running connection; it is said in plain words" {
	need_live
	start_peer
	start_producer gone1
	start_host in.fifo --id gone1
	wait_file head.done 30
	timeout 60 pf-live --server "$PEER_URL" --timeout 30 join "$HOST_CODE" \
		>join.out 2>join.err 3>&- &
	join=$!
	started "$join"
	wait_line host.err '^pf-live: attendee .* joined; 1 in the session$'
	stop_peer || :	# its status is the kill's
	wait_line host.err '^pf-live: .*; the attendees in the session stay, but no more can join$'
	touch go
	wait_pid "$join"
	[ "$ST" -eq 0 ]
	[ ! -s join.err ]
	check_events join.out gone1 "Host test" https://example.com/host-guide
	wait_pid "$HOST_PID"
	[ "$ST" -eq 0 ]
	# One line about the server, and nothing else went wrong.
	[ "$(grep -v '^pf-live: \(hosting session\|join code\|join URL\|attendee\)' host.err)" = "$(grep 'no more can join' host.err)" ]
}

@test "pf-live host: a server that is down gives one clear line, exit 2" {
	port=$(free_port)
	run --separate-stderr timeout 60 pf-live --server "http://127.0.0.1:$port/pathfinder" host </dev/null
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	# One line that names the server and the reason (join's words are
	# "cannot reach the PeerJS server at URL: ...").
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	[[ "$stderr" == "pf-live: cannot "*" the PeerJS server"*" at http://127.0.0.1:$port/pathfinder: Could not connect to 127.0.0.1: Connection refused" ]]
}

@test "pf-live host: an id that is taken gives one plain line, exit 2" {
	command -v node >/dev/null || skip "no node"
	start_peer
	peerjs-probe --server "$PEER_URL" --id abc123 --hold 10000 >probe.out 3>&- &
	started $!
	wait_line probe.out '^open abc123$' 10
	run --separate-stderr timeout 60 pf-live --server "$PEER_URL" --id abc123 host </dev/null
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "pf-live: the id 'abc123' is taken on the PeerJS server at $PEER_URL: another peer has registered it" ]
}

@test "pf-live host: --speed and --idle-limit take pf-play's values, and refuse others in its words" {
	local v port

	for v in 0 -1 abc 2x '' inf nan 0.0 1e400 0x10 0.0009 1000001; do
		run -2 --separate-stderr pf-live --speed "$v" host </dev/null
		[ "$output" = "" ]
		[ "$stderr" = "pf-live: --speed: '$v' is not a number from 0.001 to 1000000, or max
Try 'pf-live --help'." ]
	done
	run -2 --separate-stderr pf-live -s -1 host </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-live: --speed: '-1' is not a number from 0.001 to 1000000, or max
Try 'pf-live --help'." ]
	for v in 5x -1s '' 1:xx; do
		run -2 --separate-stderr pf-live --idle-limit "$v" host </dev/null
		[ "$output" = "" ]
		[ "$stderr" = "pf-live: --idle-limit: invalid duration '$v' (examples: 90, 90s, 1:30, 1m30s, 1500ms)
Try 'pf-live --help'." ]
	done
	run -2 --separate-stderr pf-live -i 5x host </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-live: --idle-limit: invalid duration '5x' (examples: 90, 90s, 1:30, 1m30s, 1500ms)
Try 'pf-live --help'." ]
	for v in -s -i; do
		run -2 --separate-stderr pf-live host "$v" </dev/null
		[ "$output" = "" ]
		[ "$stderr" = "pf-live: option '$v' needs a value
Try 'pf-live --help'." ]
	done
	# An attendee has no pace to set.
	run -2 --separate-stderr pf-live -s 2 join abc123
	[ "$output" = "" ]
	[ "$stderr" = "pf-live: --speed is not an option of join
Try 'pf-live --help'." ]
	run -2 --separate-stderr pf-live --idle-limit 5s join abc123
	[ "$output" = "" ]
	[ "$stderr" = "pf-live: --idle-limit is not an option of join
Try 'pf-live --help'." ]
	# Taken: the host goes on, to a server that is down.
	port=$(free_port)
	for v in "-s 0.001" "-s 1000000" "--speed 1e3" "-s max" "-i 0" "--idle-limit 1m30s" "-s 2 -i 1500ms"; do
		# shellcheck disable=SC2086 # the option and its value, split
		run -2 --separate-stderr timeout 60 pf-live --server "http://127.0.0.1:$port/pathfinder" $v host </dev/null
		[ "$output" = "" ]
		[[ "$stderr" == "pf-live: cannot "*" the PeerJS server"*" at http://127.0.0.1:$port/pathfinder: Could not connect to 127.0.0.1: Connection refused" ]]
	done
}

@test "pf-live host: usage errors exit 2 with one line and the hint" {
	run --separate-stderr pf-live --server http://127.0.0.1:9/pathfinder host extra
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[[ "$stderr" = "pf-live: "*"
Try 'pf-live --help'." ]]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 2 ]
	for a in --wait-for:-1 --wait-for:x --max-queue:0 --max-queue:-5; do
		opt=${a%%:*} val=${a#*:}
		run --separate-stderr pf-live --server http://127.0.0.1:9/pathfinder "$opt" "$val" host </dev/null
		[ "$status" -eq 2 ]
		[ "$output" = "" ]
		[[ "$stderr" = "pf-live: $opt: '$val' "*"
Try 'pf-live --help'." ]]
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 2 ]
	done
}
