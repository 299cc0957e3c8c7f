# shellcheck shell=bash
# tests/play_helper.bash: helpers for tests/pf-play.bats, loaded after
# test_helper.bash.  Timing helpers, the local HTTP receiver, a driver for
# pf-play under a pseudo-terminal, and jq views of a recording.

# PLAY is for the .bats file.
# shellcheck disable=SC2034
PLAY="$FIXTURES/play"
RECEIVER="$BATS_TEST_DIRNAME/helper/http-receiver.py"
PYTHON=/usr/bin/python3

# now_ms: the wall-clock time in epoch milliseconds.
now_ms() {
	local t=${EPOCHREALTIME/./}

	echo $((10#$t / 1000))
}

# between LOW HIGH VALUE: LOW <= VALUE <= HIGH, or says what it was.
between() {
	if [ "$3" -lt "$1" ] || [ "$3" -gt "$2" ]; then
		echo "expected $1 <= $3 <= $2" >&2
		return 1
	fi
}

# timeline FILE [ORIGIN]: one line of "type@offset" words for the events
# of FILE, the offset being the timestamp minus ORIGIN (default: the first
# event's timestamp).
timeline() {
	jq -rs --arg o "${2:-}" '
		(if $o == "" then .[0].timestamp else ($o | tonumber) end) as $t0
		| map("\(.type)@\(.timestamp - $t0)") | join(" ")' "$1"
}

# types FILE: the event types of FILE, space-separated, in order.
types() {
	jq -rs 'map(.type) | join(" ")' "$1"
}

# without_times FILE: FILE's events with timestamp and sentAt removed, one
# compact line each, to compare what was played regardless of when.
without_times() {
	jq -c 'del(.timestamp, .sentAt)' "$1"
}

# --- the HTTP receiver -------------------------------------------------------

# start_receiver [ARGS...]: starts tests/helper/http-receiver.py on an
# ephemeral port of 127.0.0.1, logging to requests.jsonl; sets
# RECEIVER_PID, RECEIVER_PORT and RECEIVER_URL (http://127.0.0.1:PORT).
# ARGS go to the script (--fail-first N, --fail-always).
start_receiver() {
	local i

	rm -f receiver.port requests.jsonl
	: >requests.jsonl
	"$PYTHON" "$RECEIVER" --log requests.jsonl --port-file receiver.port \
		--lifetime 60 "$@" </dev/null >receiver.out 2>&1 3>&- &
	RECEIVER_PID=$!
	for ((i = 0; i < 100; i++)); do
		[ -s receiver.port ] && break
		sleep 0.05
	done
	if ! [ -s receiver.port ]; then
		echo "start_receiver: no port after 5 s" >&2
		cat receiver.out >&2
		return 1
	fi
	RECEIVER_PORT=$(cat receiver.port)
	# shellcheck disable=SC2034 # for the .bats file
	RECEIVER_URL="http://127.0.0.1:$RECEIVER_PORT"
}

# stop_receiver: kills the receiver started by start_receiver, if any.
stop_receiver() {
	if [ -n "${RECEIVER_PID:-}" ]; then
		kill "$RECEIVER_PID" 2>/dev/null
		wait "$RECEIVER_PID" 2>/dev/null
		RECEIVER_PID=
	fi
	return 0
}

# free_port: a port of 127.0.0.1 that nothing listens on (bound, then let
# go).
free_port() {
	"$PYTHON" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# bodies: the bodies the receiver got, one compact JSON line each.
bodies() {
	jq -c '.body | fromjson' requests.jsonl
}

# requests_count: how many requests the receiver got.
requests_count() {
	wc -l <requests.jsonl | tr -d ' '
}

# --- a pseudo-terminal -------------------------------------------------------

# pty_run OUT TTYLOG ACTION... -- CMD...: runs CMD with a new pseudo-terminal
# as its controlling terminal, stdin and stderr, and its stdout in file OUT;
# everything it writes to the terminal goes to file TTYLOG.  The ACTIONs
# are done in order:
#   wait:TEXT   wait (at most 10 s) until TEXT has appeared on the terminal
#               since the last wait
#   sleep:S     sleep S seconds
#   send:KEYS   type KEYS
# Then it waits (at most 10 s) for CMD to end and returns its exit status
# (124 if it had to be killed, 125 if a wait timed out).
pty_run() {
	"$PYTHON" - "$@" <<'EOF'
import os, pty, select, signal, sys, time

args = sys.argv[1:]
out, ttylog = args[0], args[1]
sep = args.index("--")
actions, cmd = args[2:sep], args[sep + 1:]

pid, fd = pty.fork()
if pid == 0:
    o = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(o, 1)
    os.close(o)
    try:
        os.execvp(cmd[0], cmd)
    except OSError as e:
        os.write(2, ("pty_run: %s: %s\n" % (cmd[0], e)).encode())
    os._exit(127)

seen = b""
mark = 0
log = open(ttylog, "wb")

def pump(timeout):
    """Reads what the terminal has: "data", "timeout" or "eof"."""
    global seen
    r, _, _ = select.select([fd], [], [], timeout)
    if not r:
        return "timeout"
    try:
        data = os.read(fd, 4096)
    except OSError:
        data = b""
    if not data:
        return "eof"
    seen += data
    log.write(data)
    log.flush()
    return "data"

def give_up(why, code):
    sys.stderr.write("pty_run: %s\n" % why)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    sys.exit(code)

for a in actions:
    kind, _, arg = a.partition(":")
    if kind == "wait":
        end = time.monotonic() + 10
        want = arg.encode()
        while want not in seen[mark:]:
            if time.monotonic() > end or pump(0.05) == "eof":
                give_up("'%s' did not appear" % arg, 125)
        mark = seen.index(want, mark) + len(want)
    elif kind == "sleep":
        end = time.monotonic() + float(arg)
        while time.monotonic() < end:
            if pump(max(0.0, min(0.05, end - time.monotonic()))) == "eof":
                time.sleep(0.05)
    elif kind == "send":
        os.write(fd, arg.encode())

end = time.monotonic() + 10
while True:
    p, st = os.waitpid(pid, os.WNOHANG)
    if p == pid:
        break
    if time.monotonic() > end:
        give_up("killed after 10 s", 124)
    if pump(0.05) == "eof":
        time.sleep(0.01)
while pump(0.01) == "data":
    pass
log.close()
if os.WIFEXITED(st):
    sys.exit(os.WEXITSTATUS(st))
sys.exit(128 + os.WTERMSIG(st))
EOF
}

# --- following a file --------------------------------------------------------

# wait_lines FILE N: waits (at most 5 s) until FILE has at least N lines.
wait_lines() {
	local i

	for ((i = 0; i < 250; i++)); do
		[ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.02
	done
	echo "wait_lines: $1 has $(wc -l <"$1") lines after 5 s, not $2" >&2
	return 1
}

# line_of FILE N: line N of FILE.
line_of() {
	sed -n "$2p" "$1"
}

# max_gap FILE: the largest difference in ms between the timestamps of two
# consecutive events of FILE.
max_gap() {
	jq -s '[range(1; length) as $i | .[$i].timestamp - .[$i - 1].timestamp]
		| max // 0' "$1"
}

# stretch K FILE: FILE with its events K times as far apart (each
# timestamp moved away from the first, sentAt moved with it), so that a
# test of real-time speed can tell 1x from 2x with room to spare.
stretch() {
	jq -cs --argjson k "$1" '.[0].timestamp as $t0 | .[]
		| .timestamp as $t | .timestamp = $t0 + ($t - $t0) * $k
		| if .sentAt then .sentAt += .timestamp - $t else . end' "$2"
}

# span FILE: the last event's timestamp minus the first's, in ms.
span() {
	jq -s '.[-1].timestamp - .[0].timestamp' "$1"
}

# --- signals -----------------------------------------------------------------

# play_bg ARGS...: starts pf-play ARGS in the background, its stdout in
# out.jsonl and its stderr in err.txt; sets PLAY_PID to pf-play's pid.  Its
# exit status is written to play.rc when it ends (see wait_play).
play_bg() {
	local i

	rm -f play.pid play.rc
	(
		st=0
		pf-play "$@" >out.jsonl 2>err.txt 3>&- &
		echo $! >play.pid
		wait $! || st=$?
		echo "$st" >play.rc.tmp
		mv play.rc.tmp play.rc
	) 3>&- &
	BG_PIDS+=("$!")
	for ((i = 0; i < 250; i++)); do
		[ -s play.pid ] && break
		sleep 0.02
	done
	PLAY_PID=$(cat play.pid)
	BG_PIDS+=("$PLAY_PID")
}

# wait_play S: waits at most S seconds for the pf-play of play_bg to end,
# and prints its exit status; after S seconds, kills it and fails.
wait_play() {
	local i

	for ((i = 0; i < $1 * 50; i++)); do
		if [ -e play.rc ]; then
			cat play.rc
			return 0
		fi
		sleep 0.02
	done
	echo "wait_play: pf-play still runs after $1 s" >&2
	kill -KILL "$PLAY_PID" 2>/dev/null
	return 1
}

# wait_text FILE TEXT: waits (at most 5 s) until FILE holds TEXT.
wait_text() {
	local i

	for ((i = 0; i < 250; i++)); do
		grep -qF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.02
	done
	echo "wait_text: no '$2' in $1 after 5 s" >&2
	return 1
}

# wait_requests N: waits (at most 5 s) until the receiver has logged at
# least N requests.
wait_requests() {
	local i

	for ((i = 0; i < 250; i++)); do
		[ "$(requests_count)" -ge "$1" ] && return 0
		sleep 0.02
	done
	echo "wait_requests: $(requests_count) requests after 5 s, not $1" >&2
	return 1
}

# --- a FIFO whose reader stops reading ------------------------------------

# stuck_play ARGS...: plays ARGS under timeout -k 5 30 into the FIFO
# out.fifo, which the test holds open on fd R and never reads; waits until
# it is full, sends SIGINT, and waits for pf-play to end.  Sets STATUS,
# ELAPSED (ms from the signal to the end), and leaves what the FIFO held
# in got.jsonl and pf-play's stderr in err.txt.
stuck_play() {
	local pid t0 t1

	mkfifo out.fifo
	exec {R}<>out.fifo
	timeout -k 5 30 pf-play "$@" >out.fifo 2>err.txt 3>&- {R}>&- &
	pid=$!
	BG_PIDS+=("$pid")
	wait_fifo_full "$R"
	t0=$(now_ms)
	kill -INT "$pid"
	STATUS=0
	wait "$pid" || STATUS=$?
	t1=$(now_ms)
	ELAPSED=$((t1 - t0))
	fifo_drain "$R" >got.jsonl
	exec {R}>&-
}
