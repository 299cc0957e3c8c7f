# shellcheck shell=bash
# tests/live/peer.bash: npm's PeerJS server (tests/browser/node_modules/peer,
# installed by make check-deps) on 127.0.0.1, on a free port, for
# tests/pf-live.bats.  Each test starts its own and stops it by pid.

PEER_BIN="$BATS_TEST_DIRNAME/browser/node_modules/peer/dist/bin/peerjs.js"

# free_port: prints a TCP port on 127.0.0.1 that nothing listens on now.
free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_peer [ARG...]: starts the server with path /pathfinder and key
# pathfinder (ARGs are added), waits until it listens; sets PEER_PID,
# PEER_PORT, PEER_URL.
start_peer() {
	local i

	[ -f "$PEER_BIN" ] || {
		echo "no $PEER_BIN: run make check-deps" >&2
		return 1
	}
	PEER_PORT=$(free_port) || return 1
	# shellcheck disable=SC2034 # used by the tests
	PEER_URL="http://127.0.0.1:$PEER_PORT/pathfinder"
	node "$PEER_BIN" --host 127.0.0.1 --port "$PEER_PORT" \
		--path /pathfinder --key pathfinder "$@" \
		>"$BATS_TEST_TMPDIR/peer.log" 2>&1 3>&- &
	PEER_PID=$!
	for ((i = 0; i < 100; i++)); do
		grep -q '^Started PeerServer' "$BATS_TEST_TMPDIR/peer.log" &&
			return 0
		kill -0 "$PEER_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "the PeerJS server did not start:" >&2
	cat "$BATS_TEST_TMPDIR/peer.log" >&2
	return 1
}

# stop_peer: stops the server started by start_peer, if it runs.  The
# server waits for its clients on SIGTERM, so SIGKILL follows soon.
stop_peer() {
	local i

	[ -n "${PEER_PID:-}" ] || return 0
	kill "$PEER_PID" 2>/dev/null
	for ((i = 0; i < 20; i++)); do
		kill -0 "$PEER_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$PEER_PID" 2>/dev/null
	wait "$PEER_PID" 2>/dev/null
	PEER_PID=
}
