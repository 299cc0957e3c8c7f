#!/bin/sh
# make bench, pf-live (issue 10): pf-live host fanning out to 1, 10 and 50
# attendees (tests/live/attendee.mjs: npm peerjs in headless chromium, as
# the app's attendee), on npm's PeerJS server on 127.0.0.1.
#   fan-out latency: from the moment a line is written to pf-live host's
#     stdin to its arrival at each attendee, p50 and p99 over every
#     (event, attendee); the writer puts the moment in the event's stepId
#   CPU: pf-live host's user+system time from the first event written to
#     the last session_end sent, over the deliveries (events x attendees)
#   memory: pf-live host's peak resident set; per attendee, the growth
#     from 1 to 50 attendees over the 49 more
#   join: from starting pf-live join on pf-live host to its first event
# All on one 2-core machine: the attendees' chromium shares it with the
# host, so these are upper bounds.  A failed command fails the benchmark.
set -eu

build=${PF_BUILD:?PF_BUILD must name the build directory}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pf-bench-live.XXXXXX")
events=${PF_BENCH_LIVE_EVENTS:-100}
peer_pid=
host_pid=
att_pid=

cleanup() {
	for p in $att_pid $host_pid $peer_pid; do
		kill "$p" 2>/dev/null || :
	done
	wait 2>/dev/null || :
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT

fail() {
	echo "pf bench: failed: $*" >&2
	for f in "$work"/*.err; do
		[ -s "$f" ] && { echo "--- $f" >&2; tail -5 "$f" >&2; }
	done
	exit 1
}

command -v node >/dev/null || fail "no node (make check-deps)"
[ -x /usr/bin/chromium ] || fail "no /usr/bin/chromium (make check-deps)"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
server="http://127.0.0.1:$port/pathfinder"
node "$here/browser/node_modules/peer/dist/bin/peerjs.js" --host 127.0.0.1 \
	--port "$port" --path /pathfinder --key pathfinder >"$work/peer.err" 2>&1 &
peer_pid=$!
i=0
until grep -q '^Started PeerServer' "$work/peer.err"; do
	i=$((i + 1))
	[ "$i" -lt 100 ] || fail "the PeerJS server did not start"
	sleep 0.1
done

# wait_for FILE PATTERN COUNT SECONDS: until COUNT lines of FILE match.
wait_for() {
	i=0
	while [ "$(grep -c "$2" "$1" 2>/dev/null || :)" -lt "$3" ]; do
		i=$((i + 1))
		[ "$i" -lt $(($4 * 10)) ] || return 1
		sleep 0.1
	done
}

# The writer: once $work/go exists, one show_me every 50 ms, each stamped
# with the moment it is written, then the end of input.
cat >"$work/writer.mjs" <<'EOF'
import { existsSync } from 'node:fs';
const [go, n] = process.argv.slice(2);
// pf-live host paces by the first event as it reads it: node's stdout,
// set up on first use, would make that one late and every other with it.
process.stdout.write('');
while (!existsSync(go))
	await new Promise((r) => setTimeout(r, 20));
for (let i = 0; i < Number(n); i++) {
	const now = Date.now();
	process.stdout.write(JSON.stringify({ type: 'show_me', sessionId: 'bench',
		timestamp: now, senderId: 'presenter', stepId: `b${i}-${now}`,
		action: { targetAction: 'button', refTarget: 'button.x',
			targetValue: null, targetComment: null },
		coordinates: { x: 1, y: 2 } }) + '\n');
	await new Promise((r) => setTimeout(r, 50));
}
EOF

# fanout N: one run with N attendees; prints "p50 p99 cpu_us_per_delivery
# peak_kb".
fanout() {
	n=$1
	rm -rf "$work/att" "$work/go"
	mkdir "$work/att"
	node "$work/writer.mjs" "$work/go" "$events" |
		"$build/pf-live" --server "$server" host --wait-for "$n" \
		>"$work/host.out" 2>"$work/host.err" &
	host_pid=$!
	wait_for "$work/host.err" '^pf-live: join URL: ' 1 30 ||
		fail "pf-live host did not register"
	code=$(sed -n 's/^pf-live: join code: //p' "$work/host.err")
	PF_ATT_TIMEOUT=120 node "$here/live/attendee.mjs" "$port" "$code" "$n" \
		normal "$work/att" >"$work/att.out" 2>"$work/att.err" &
	att_pid=$!
	wait_for "$work/att.out" '^joined ' "$n" 120 ||
		fail "$n attendees did not all join"
	# The host's own pid, not the pipeline's: its CPU and memory.
	hpid=$(pgrep -n -x pf-live -P $$ || pgrep -n -f "$build/pf-live --server $server host")
	cpu0=$(awk '{ print $14 + $15 }' "/proc/$hpid/stat")
	touch "$work/go"
	wait_for "$work/host.out" '"type":"session_end"' "$n" 120 ||
		fail "the session did not end"
	cpu=$(($(awk '{ print $14 + $15 }' "/proc/$hpid/stat") - cpu0))
	wait "$att_pid" || fail "the attendees did not all finish"
	att_pid=
	kb=$(awk '/^VmHWM/ { print $2 }' "/proc/$hpid/status" 2>/dev/null || echo 0)
	wait "$host_pid" || fail "pf-live host exited $?"
	host_pid=
	got=$(cat "$work"/att/att-*.jsonl | grep -c '"type":"show_me"' || :)
	[ "$got" -eq $((events * n)) ] ||
		fail "$got of $((events * n)) steps arrived"
	cat "$work"/att/att-*.jsonl | python3 -c '
import json, sys
lat = sorted(l["at"] - int(l["ev"]["stepId"].split("-")[1])
    for l in map(json.loads, sys.stdin) if l["ev"]["type"] == "show_me")
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
print("%.1f %.1f" % (p(0.5), p(0.99)))' >"$work/lat"
	hz=$(getconf CLK_TCK)
	echo "$(cat "$work/lat") $(awk -v c="$cpu" -v hz="$hz" -v d=$((events * n)) \
		'BEGIN { printf "%.0f", c / hz * 1e6 / d }') $kb"
}

echo
echo "== pf-live host (issue 10): $events events, 50 ms apart =="
for n in ${PF_BENCH_LIVE_SIZES:-1 10 50}; do
	r=$(fanout "$n")
	echo "$n $r" >>"$work/results"
	echo "$n $r" | awk '{ printf "%2d attendees: fan-out p50 %6s ms, p99 %6s ms; CPU %4s us per event per attendee; peak RSS %s KiB\n", $1, $2, $3, $4, $5 }'
done
# Memory per attendee: the growth from the first size to the last.
awk 'NR == 1 { n1 = $1; k1 = $5 } { n = $1; k = $5; p99 = $3 }
END {
	if (n > n1)
		printf "memory per attendee:         %.0f KiB (%d to %d attendees)\n", (k - k1) / (n - n1), n1, n
	if (n == 50)
		printf "p99 at 50 attendees:         %s ms   (target <= 50 ms: %s)\n", p99, (p99 <= 50 ? "met" : "NOT met")
}' "$work/results"

# Join: pf-live join on a pf-live host, from its start to its first event.
# The host ends at the end of its input: a FIFO held open keeps it up.
mkfifo "$work/in"
"$build/pf-live" --server "$server" host --id benchj <"$work/in" >"$work/hj.out" 2>"$work/host.err" &
host_pid=$!
exec 3>"$work/in"
wait_for "$work/host.err" '^pf-live: join URL: ' 1 30 || fail "pf-live host did not register"
code=$(sed -n 's/^pf-live: join code: //p' "$work/host.err")
for _ in 1 2 3; do
	: >"$work/join.out"
	s=$(date +%s%N)
	"$build/pf-live" --server "$server" join "$code" >"$work/join.out" 2>"$work/join.err" &
	join_pid=$!
	i=0
	until [ -s "$work/join.out" ]; do
		i=$((i + 1))
		[ "$i" -lt 3000 ] || fail "pf-live join had no event in 30 s"
		sleep 0.01
	done
	e=$(date +%s%N)
	kill "$join_pid"
	wait "$join_pid" 2>/dev/null || :
	echo $(((e - s) / 1000000))
done | sort -n >"$work/join.ms"
echo "join to first event (median of 3): $(sed -n 2p "$work/join.ms") ms"
exec 3>&-
wait "$host_pid" || fail "pf-live host exited $?"
host_pid=
