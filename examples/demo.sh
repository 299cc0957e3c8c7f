#!/bin/sh
# make demo: the tools on the example recordings, as a user would run them.
set -eu
cd "$(dirname "$0")/.."
bin=${BUILD:-build}

run() {
	printf '\n$ %s\n' "$*"
	"$@"
}

# A pipeline, shown as typed.
run_pipe() {
	printf '\n$ %s\n' "$1"
	sh -c "$1"
}

echo "pf demo: the tools on examples/ (binaries in $bin/)"
PATH=$PWD/$bin:$PATH
export PATH
run pf-lint examples/prometheus-101.jsonl examples/prometheus-101.jsonl.gz \
	examples/prometheus-101.json
echo "(no findings: all three recordings are valid)"
printf '\n$ %s\n' "pf-lint --format json  # on a recording with mistakes"
pf-lint --format json examples/mistakes.jsonl || true

echo
echo "A live-looking stream: the example replayed 20 times as fast (gaps over"
echo "2 s cut short, heartbeats left out) and recorded as it arrives:"
out=${TMPDIR:-/tmp}/pf-demo
mkdir -p "$out"
run_pipe "pf-play --speed 20 --idle-limit 2s --exclude-types heartbeat examples/prometheus-101.jsonl | pf-record -o $out/replayed.jsonl.gz"
run pf-lint "$out/replayed.jsonl.gz"
echo
echo "The steps of the new recording, replayed as fast as they can go:"
run_pipe "pf-play --speed max --types show_me,do_it $out/replayed.jsonl.gz | cut -c 1-110"

echo
echo "The session as a tutorial page and as a Pathfinder guide:"
run pf-convert -o "$out/prometheus-101.html" examples/prometheus-101.jsonl
run pf-convert -t guide -o "$out/guides" examples/prometheus-101.jsonl
echo
echo "A library of the examples, searched:"
rm -f "$out/index.db"
run pf-index --db "$out/index.db" add examples
run pf-index --db "$out/index.db" search port 9090

# A live session on this machine: pf-live host presents the replay, pf-live
# join takes part and records it.  It needs npm's PeerJS server, which
# make check-deps installs; without it this part is left out.
peer_js=tests/browser/node_modules/peer/dist/bin/peerjs.js
echo
if [ -f "$peer_js" ] && command -v node >/dev/null 2>&1; then
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	server=http://127.0.0.1:$port/pathfinder
	node "$peer_js" --host 127.0.0.1 --port "$port" --path /pathfinder \
		--key pathfinder >"$out/peer.log" 2>&1 &
	peer_pid=$!
	trap 'kill "$peer_pid" 2>/dev/null' EXIT
	until grep -q '^Started PeerServer' "$out/peer.log"; do sleep 0.1; done
	echo "A live session on this machine (npm's PeerJS server on $server):"
	echo "pf-live host presents the example at 50 times its speed once someone"
	echo "has joined; pf-live join takes part, as an attendee in the app would."
	rm -f "$out/host.err"
	printf '\n$ %s\n' "pf-play -s 50 -i 2s -x heartbeat examples/prometheus-101.jsonl | pf-live --server $server host --wait-for 1 > $out/presenter.jsonl &"
	pf-play -s 50 -i 2s -x heartbeat examples/prometheus-101.jsonl |
		pf-live --server "$server" host --wait-for 1 >"$out/presenter.jsonl" \
		2>"$out/host.err" &
	host_pid=$!
	until grep -q '^pf-live: join URL: ' "$out/host.err" 2>/dev/null; do
		kill -0 "$host_pid" 2>/dev/null || { cat "$out/host.err"; exit 1; }
		sleep 0.1
	done
	sed 's/\(code: .\{40\}\).*/\1.../; s/\(session=.\{20\}\).*/\1.../' "$out/host.err"
	code=$(sed -n 's/^pf-live: join code: //p' "$out/host.err")
	printf '\n$ %s\n' "pf-live --server $server --name 'Demo attendee' join \"\$CODE\" | pf-record -o $out/attendee.jsonl"
	pf-live --server "$server" --name 'Demo attendee' join "$code" |
		pf-record -o "$out/attendee.jsonl"
	wait "$host_pid"
	run_pipe "jq -r .type $out/attendee.jsonl | sort | uniq -c"
	run pf-lint --strict "$out/attendee.jsonl" "$out/presenter.jsonl"
	echo "(both sides lint clean; the presenter's side has the attendee's join)"
	kill "$peer_pid" 2>/dev/null
	wait "$peer_pid" 2>/dev/null || :
	trap - EXIT
else
	echo "(the live session is left out: make check-deps installs npm's PeerJS server)"
fi

echo
echo "pf demo: done.  Open these:"
echo "  tutorial  file://$out/prometheus-101.html"
echo "  guide     $out/guides/prometheus-monitoring-101-k7m2qx/content.json"
echo "  index     pf-index --db $out/index.db list"
