#!/usr/bin/env bats
# tests/pf-live.bats: pf-live and its signalling module lib/pf_peerjs,
# against npm's PeerJS server (peer 1.0.2, the app's) run on 127.0.0.1 by
# each test and stopped by pid.  lib/pf_peerjs is driven through
# tests/live/peerjs-probe.c.

load test_helper
load live/peer

setup() {
	pf_setup
}

teardown() {
	if [ -n "${BG_PID:-}" ]; then
		kill "$BG_PID" 2>/dev/null
		wait "$BG_PID" 2>/dev/null || true
	fi
	stop_peer
}

UUID='^open [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'

@test "pf_peerjs: takes the id the server assigns and gets OPEN" {
	start_peer
	run --separate-stderr peerjs-probe --server "$PEER_URL" --hold 300
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[[ "$output" =~ $UUID ]]
	grep -q "^Client connected: ${output#open }$" peer.log
}

@test "pf_peerjs: registers a chosen id; the same id again is reported taken" {
	start_peer
	peerjs-probe --server "$PEER_URL" --id abc123 --hold 3000 >first.out &
	BG_PID=$!
	for _ in $(seq 50); do grep -q . first.out && break; sleep 0.1; done
	[ "$(cat first.out)" = "open abc123" ]
	run --separate-stderr peerjs-probe --server "$PEER_URL" --id abc123 --hold 1000
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "peerjs-probe: the id 'abc123' is taken on the PeerJS server at $PEER_URL: another peer has registered it" ]
}

@test "pf_peerjs: relays an OFFER to another peer, with its sender" {
	start_peer
	peerjs-probe --server "$PEER_URL" --id abc123 --count 1 >to.out &
	BG_PID=$!
	for _ in $(seq 50); do grep -q . to.out && break; sleep 0.1; done
	run --separate-stderr peerjs-probe --server "$PEER_URL" --hold 500 \
		--send abc123 OFFER '{"sdp":{"type":"offer","sdp":"v=0"},"type":"data","connectionId":"dc_x1"}'
	[ "$status" -eq 0 ]
	wait "$BG_PID"
	BG_PID=
	src=${output#open }
	[ "$(cat to.out)" = "open abc123
offer $src {\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"},\"type\":\"data\",\"connectionId\":\"dc_x1\"}" ]
}

@test "pf_peerjs: heartbeats keep the registration past the server's alive timeout" {
	# The server drops a client that sends no HEARTBEAT for 7 s; the probe
	# stays 9 s (heartbeats at 5 s) and must not be closed.
	start_peer --alive_timeout 7000
	run --separate-stderr peerjs-probe --server "$PEER_URL" --id abc123 --hold 9000
	[ "$stderr" = "" ]
	[ "$output" = "open abc123" ]
	[ "$status" -eq 0 ]
}

@test "pf_peerjs: a wrong key is reported with the server's words" {
	start_peer
	run --separate-stderr peerjs-probe --server "$PEER_URL" --key nope --hold 2000
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "peerjs-probe: the PeerJS server at $PEER_URL refused us: Invalid key provided" ]
}

@test "pf_peerjs: a server that is down gives one clear error" {
	port=$(free_port)
	run --separate-stderr peerjs-probe --server "http://127.0.0.1:$port/pathfinder" --hold 5000
	[ "$status" -eq 2 ]
	[ "$output" = "" ]
	[ "$stderr" = "peerjs-probe: cannot reach the PeerJS server at http://127.0.0.1:$port/pathfinder: Could not connect to 127.0.0.1: Connection refused" ]
}

@test "pf_peerjs: a wrong path is reported with the HTTP status" {
	start_peer
	run --separate-stderr peerjs-probe --server "http://127.0.0.1:$PEER_PORT/elsewhere" --hold 2000
	[ "$status" -eq 2 ]
	[ "$stderr" = "peerjs-probe: the PeerJS server at http://127.0.0.1:$PEER_PORT/elsewhere answered the id request with HTTP 404 Not Found (is the URL's path right, and the key?)" ]
}

@test "pf_peerjs: a server that goes away after OPEN is reported once" {
	start_peer
	peerjs-probe --server "$PEER_URL" --id abc123 --hold 10000 >probe.out 2>probe.err &
	BG_PID=$!
	for _ in $(seq 50); do grep -q . probe.out && break; sleep 0.1; done
	kill -9 "$PEER_PID"
	wait "$PEER_PID" 2>/dev/null || true
	PEER_PID=
	st=0
	wait "$BG_PID" || st=$?
	BG_PID=
	[ "$st" -eq 3 ]
	[ "$(sed -n 1p probe.out)" = "open abc123" ]
	[[ "$(sed -n 2p probe.out)" = "closed: the PeerJS server at http://127.0.0.1:"*"/pathfinder "* ]]
	[ "$(wc -l <probe.out)" -eq 2 ]
	[ ! -s probe.err ]
}
