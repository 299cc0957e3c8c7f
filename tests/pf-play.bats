#!/usr/bin/env bats
# pf-play: the command line, the input forms, selection (--from, --to,
# --types), the timestamps written (live, --keep-timestamps, --no-wait),
# held-back repeats, timing in real time, a closed or full stdout,
# --follow, --interactive (under a pseudo-terminal), --post and --grafana
# (against tests/helper/http-receiver.py) and --stats.
#
# Timing is checked with generous bounds and never below the millisecond:
# machines are noisy, and the sanitizer build is slow.  --no-wait output is
# exact and carries most of the scheduling checks: its timestamps are the
# schedule.

load test_helper
load play_helper

setup() {
	pf_setup
	unset GRAFANA_TOKEN GRAFANA_USER GRAFANA_PASSWORD
	BG_PIDS=()
}

teardown() {
	local p

	stop_receiver
	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	return 0
}

USAGE_HINT="Try 'pf-play --help'."
T0=1773324000000

# --- the command line ------------------------------------------------------

@test "pf-play: --help prints the usage on stdout and exits 0" {
	run -0 --separate-stderr pf-play --help
	[ "${lines[0]}" = "Usage: pf-play [OPTIONS] [FILE...]" ]
	[[ "$output" == *"--idle-limit D"* ]]
	[[ "$output" == *"--min-repeat-gap D"* ]]
	[ "$stderr" = "" ]
}

@test "pf-play: -h prints the same usage as --help" {
	run -0 --separate-stderr pf-play --help
	local long=$output
	run -0 --separate-stderr pf-play -h
	[ "$output" = "$long" ]
	[ "$stderr" = "" ]
}

@test "pf-play: --help agrees with the SYNOPSIS of pf-play(1)" {
	check_help_synopsis pf-play
}

@test "pf-play: --version prints the name and version" {
	local version
	version=$(pf_version)
	run -0 --separate-stderr pf-play --version
	[ "$output" = "pf-play $version" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-play -V
	[ "$output" = "pf-play $version" ]
	[ "$stderr" = "" ]
}

@test "pf-play: an unknown long option is a usage error" {
	run -2 --separate-stderr pf-play --bogus x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: unknown option '--bogus'
$USAGE_HINT" ]
}

@test "pf-play: an unknown short option is a usage error" {
	run -2 --separate-stderr pf-play -z x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: unknown option '-z'
$USAGE_HINT" ]
}

@test "pf-play: an option missing its value is a usage error" {
	local opt

	for opt in --speed --idle-limit --from --to --types --exclude-types \
		--min-repeat-gap --post --header --grafana --dashboard-uid; do
		run -2 --separate-stderr pf-play "$opt"
		[ "$output" = "" ]
		[ "$stderr" = "pf-play: option '$opt' needs a value
$USAGE_HINT" ]
	done
	for opt in -s -i -t -x -H; do
		run -2 --separate-stderr pf-play "$opt"
		[ "$output" = "" ]
		[ "$stderr" = "pf-play: option '$opt' needs a value
$USAGE_HINT" ]
	done
}

@test "pf-play: a value given to an option that takes none is a usage error" {
	run -2 --separate-stderr pf-play --no-wait=yes x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: option '--no-wait' takes no value
$USAGE_HINT" ]
}

@test "pf-play: --speed must be a number from 0.001 to 1000000, or max" {
	local v

	for v in 0 -1 abc 2x '' inf nan 0.0 1e400 0x10; do
		run -2 --separate-stderr pf-play --speed "$v" x.jsonl
		[ "$output" = "" ]
		[ "$stderr" = "pf-play: --speed: '$v' is not a number from 0.001 to 1000000, or max
$USAGE_HINT" ]
	done
	run -2 --separate-stderr pf-play -s -1 x.jsonl
	[ "$stderr" = "pf-play: --speed: '-1' is not a number from 0.001 to 1000000, or max
$USAGE_HINT" ]
}

@test "pf-play: --speed takes any factor in its range, and max" {
	local v

	for v in 0.5 2 20 1e3 0.001 max; do
		run -0 --separate-stderr pf-play --no-wait -s "$v" "$FIXTURES/play/ticks.jsonl"
		[ "${#lines[@]}" -eq 11 ]
		[ "$stderr" = "" ]
	done
}

@test "pf-play: a bad --from or --to position is a usage error" {
	run -2 --separate-stderr pf-play --from xyz x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: --from: invalid position 'xyz' (examples: 90s, 1:30, step:ID, nav:2)
$USAGE_HINT" ]
	run -2 --separate-stderr pf-play --to nav:0 x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: --to: invalid position 'nav:0': nav: needs a number from 1
$USAGE_HINT" ]
	run -2 --separate-stderr pf-play --from step: x.jsonl
	[ "$stderr" = "pf-play: --from: invalid position 'step:': step: needs a step id
$USAGE_HINT" ]
	run -2 --separate-stderr pf-play --to -5s x.jsonl
	[ "$stderr" = "pf-play: --to: invalid position '-5s' (examples: 90s, 1:30, step:ID, nav:2)
$USAGE_HINT" ]
}

@test "pf-play: a bad --idle-limit or --min-repeat-gap duration is a usage error" {
	run -2 --separate-stderr pf-play --idle-limit 5x x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: --idle-limit: invalid duration '5x' (examples: 90, 90s, 1:30, 1m30s, 1500ms)
$USAGE_HINT" ]
	run -2 --separate-stderr pf-play -i -1s x.jsonl
	[ "$stderr" = "pf-play: --idle-limit: invalid duration '-1s' (examples: 90, 90s, 1:30, 1m30s, 1500ms)
$USAGE_HINT" ]
	run -2 --separate-stderr pf-play --min-repeat-gap abc x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: --min-repeat-gap: invalid duration 'abc' (examples: 90, 90s, 1:30, 1m30s, 1500ms)
$USAGE_HINT" ]
}

@test "pf-play: --header without --post is a usage error" {
	run -2 --separate-stderr pf-play -H 'X-A: b' x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: --header goes with --post
$USAGE_HINT" ]
}

@test "pf-play: a --header that is not 'Name: value' is a usage error" {
	run -2 --separate-stderr pf-play --post http://127.0.0.1:9/ -H NoColon x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: --header: header 'NoColon' is not 'Name: value'
$USAGE_HINT" ]
}

@test "pf-play: --dashboard-uid without --grafana is a usage error" {
	run -2 --separate-stderr pf-play --dashboard-uid abc x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: --dashboard-uid goes with --grafana
$USAGE_HINT" ]
}

@test "pf-play: --no-wait does not go with --follow or --interactive" {
	run -2 --separate-stderr pf-play --no-wait --follow x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: --no-wait does not go with --follow
$USAGE_HINT" ]
	run -2 --separate-stderr pf-play -n --interactive x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: --no-wait does not go with --interactive
$USAGE_HINT" ]
}

@test "pf-play: --post and --grafana take one http:// or https:// URL each" {
	run -2 --separate-stderr pf-play --post ftp://example.com/ x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: 'ftp://example.com/' is not an http:// or https:// URL
$USAGE_HINT" ]
	run -2 --separate-stderr pf-play --post http://a/ --post http://b/ x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: 'http://b/': only one such URL may be given
$USAGE_HINT" ]
	run -2 --separate-stderr pf-play --grafana localhost:3000 x.jsonl
	[ "$output" = "" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ "${stderr_lines[0]}" == "pf-play: '"*"localhost:3000"*"' is not an http:// or https:// URL" ]]
	[ "${stderr_lines[1]}" = "$USAGE_HINT" ]
}

@test "pf-play: -- ends the options" {
	cp "$PLAY/ticks.jsonl" ./-s
	run -0 --separate-stderr pf-play -n -- -s
	[ "${#lines[@]}" -eq 11 ]
	[ "$stderr" = "" ]
}

# --- inputs --------------------------------------------------------------

@test "pf-play: a missing file fails that input: exit 2 with a message" {
	run -2 --separate-stderr pf-play -n nope.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: nope.jsonl: No such file or directory" ]
}

@test "pf-play: one missing file among several does not stop the others" {
	use_fixture play/ticks.jsonl play/idle.jsonl
	run -2 --separate-stderr pf-play -n --keep-timestamps nope.jsonl ticks.jsonl gone.jsonl idle.jsonl
	[ "$output" = "$(cat ticks.jsonl idle.jsonl)" ]
	[ "$stderr" = "pf-play: nope.jsonl: No such file or directory
pf-play: gone.jsonl: No such file or directory" ]
}

@test "pf-play: a directory fails that input: exit 2" {
	mkdir recordings
	run -2 --separate-stderr pf-play -n recordings
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: recordings: Is a directory" ]
}

@test "pf-play: an empty file plays nothing and exits 0" {
	: >empty.jsonl
	run -0 --separate-stderr pf-play empty.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-play: empty standard input plays nothing and exits 0" {
	run -0 --separate-stderr pf-play </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-play: with no FILE, or with -, it reads standard input" {
	run -0 --separate-stderr pf-play -n --keep-timestamps <"$PLAY/ticks.jsonl"
	[ "$output" = "$(cat "$PLAY/ticks.jsonl")" ]
	[ "$stderr" = "" ]
	use_fixture play/idle.jsonl
	run -0 --separate-stderr pf-play -n --keep-timestamps idle.jsonl - <"$PLAY/ticks.jsonl"
	[ "$output" = "$(cat idle.jsonl "$PLAY/ticks.jsonl")" ]
	[ "$stderr" = "" ]
}

@test "pf-play: a gzip recording plays as the plain one does" {
	gzip -cn <"$PLAY/session.jsonl" >session.jsonl.gz
	run -0 --separate-stderr pf-play -n -s 3 "$PLAY/session.jsonl"
	local plain=$output
	run -0 --separate-stderr pf-play -n -s 3 session.jsonl.gz
	[ "$output" = "$plain" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-play -n -s 3 <session.jsonl.gz
	[ "$output" = "$plain" ]
}

@test "pf-play: the example as a SessionRecording document, JSONL and gzip plays the same events" {
	run -0 --separate-stderr pf-play -n -s 2 "$EXAMPLES/prometheus-101.jsonl"
	local jsonl=$output
	[ "${#lines[@]}" -eq "$(jq -s length "$EXAMPLES/prometheus-101.jsonl")" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-play -n -s 2 "$EXAMPLES/prometheus-101.json"
	[ "$output" = "$jsonl" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-play -n -s 2 "$EXAMPLES/prometheus-101.jsonl.gz"
	[ "$output" = "$jsonl" ]
	[ "$stderr" = "" ]
}

@test "pf-play: bad lines and a partial last line are passed over with a warning, the rest plays" {
	use_fixture play/bad.jsonl
	run -0 --separate-stderr pf-play -n --keep-timestamps bad.jsonl
	[ "$output" = "$(sed -n '1p;2p;4p;6p' bad.jsonl)" ]
	[ "${#stderr_lines[@]}" -eq 3 ]
	[[ "${stderr_lines[0]}" =~ ^pf-play:\ bad\.jsonl:3:\ (warning:\ )?passed\ over:\ .+$ ]]
	[[ "${stderr_lines[1]}" =~ ^pf-play:\ bad\.jsonl:5:\ (warning:\ )?passed\ over:\ .+$ ]]
	[[ "${stderr_lines[2]}" =~ ^pf-play:\ bad\.jsonl:7:\ (warning:\ )?passed\ over:\ partial\ last\ line.*$ ]]
}

@test "pf-play: bad lines on standard input are reported as <stdin>" {
	run -0 --separate-stderr pf-play -n --keep-timestamps <"$PLAY/bad.jsonl"
	[ "${#lines[@]}" -eq 4 ]
	[ "${#stderr_lines[@]}" -eq 3 ]
	[[ "${stderr_lines[0]}" =~ ^pf-play:\ \<stdin\>:3:\ (warning:\ )?passed\ over:\ .+$ ]]
}

@test "pf-play: -q does not report the lines passed over" {
	use_fixture play/bad.jsonl
	run -0 --separate-stderr pf-play -n -q --keep-timestamps bad.jsonl
	[ "$output" = "$(sed -n '1p;2p;4p;6p' bad.jsonl)" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-play -n --quiet --keep-timestamps bad.jsonl
	[ "$stderr" = "" ]
}

@test "pf-play: several files play back to back, each after the one before" {
	use_fixture play/ticks.jsonl play/idle.jsonl
	run -0 --separate-stderr pf-play -n ticks.jsonl idle.jsonl
	[ "$stderr" = "" ]
	printf '%s\n' "$output" >out.jsonl
	# idle.jsonl starts where ticks.jsonl ended, 2 s in.
	[ "$(timeline out.jsonl)" = "session_start@0 heartbeat@200 heartbeat@400 heartbeat@600 heartbeat@800 heartbeat@1000 heartbeat@1200 heartbeat@1400 heartbeat@1600 heartbeat@1800 session_end@2000 session_start@2000 heartbeat@2100 chat_message@12100 session_end@12200" ]
}

@test "pf-play: several files in real time take the time of both" {
	local t0 t1

	t0=$(now_ms)
	run -0 --separate-stderr timeout 20 pf-play -s 2 "$PLAY/ticks.jsonl" "$PLAY/ticks.jsonl"
	t1=$(now_ms)
	[ "${#lines[@]}" -eq 22 ]
	[ "$stderr" = "" ]
	# 4 s of sessions at 2x: not the 1 s of one file, not the 4 s of 1x.
	between 1950 3800 $((t1 - t0))
}

@test "pf-play: handshake messages are not played" {
	write_lines hs.jsonl "$(line_of "$PLAY/ticks.jsonl" 1)" \
		'{"type":"presenter_challenge","nonce":"n1"}' \
		'{"type":"presenter_response","nonce":"n1","signature":"s"}' \
		"$(line_of "$PLAY/ticks.jsonl" 11)"
	run -0 --separate-stderr pf-play -n --keep-timestamps hs.jsonl
	[ "$output" = "$(sed -n '1p;4p' hs.jsonl)" ]
	[ "$stderr" = "" ]
}

@test "pf-play: events whose timestamps go backwards keep their order and play at once" {
	run -0 --separate-stderr pf-play -n "$EXAMPLES/mistakes.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "$(types "$EXAMPLES/mistakes.jsonl")" ]
	# The chat was recorded 1 s before the do_it ahead of it.
	[ "$(timeline out.jsonl)" = "session_start@0 show_me@12000 show_me@12200 do_it@20000 chat_message@20000 pause@31000 session_end@1201000" ]
}

# --- selection: --from, --to, --types, --exclude-types ----------------------

@test "pf-play: --from OFFSET starts at the first event at or after it, right away, after session_start" {
	local pos

	for pos in 90s 1:30 90 1m30s 90000ms; do
		run -0 --separate-stderr pf-play -n --from "$pos" "$PLAY/session.jsonl"
		printf '%s\n' "$output" >out.jsonl
		[ "$(timeline out.jsonl $T0)" = "session_start@0 navigation@0 do_it@10000 session_end@30000" ]
		[ "$stderr" = "" ]
	done
	# Inclusive: an event exactly at the offset plays.
	run -0 --separate-stderr pf-play -n --from 89.999 "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start navigation do_it session_end" ]
	run -0 --separate-stderr pf-play -n --from 90.001 "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start do_it session_end" ]
}

@test "pf-play: --from step:ID starts at the first event of that step" {
	run -0 --separate-stderr pf-play -n --from step:s1 "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl $T0)" = "session_start@0 show_me@0 show_me@800 chat_message@10000 navigation@70000 do_it@80000 session_end@100000" ]
	run -0 --separate-stderr pf-play -n --from step:s2 "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start do_it session_end" ]
}

@test "pf-play: --from nav:N starts at the Nth navigation" {
	run -0 --separate-stderr pf-play -n --from nav:1 "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start navigation show_me show_me chat_message navigation do_it session_end" ]
	run -0 --separate-stderr pf-play -n --from nav:2 "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl $T0)" = "session_start@0 navigation@0 do_it@10000 session_end@30000" ]
	[ "$(jq -r 'select(.type == "navigation") | .stepNumber' out.jsonl)" = 2 ]
}

@test "pf-play: a --from past the end plays only the session_start" {
	run -0 --separate-stderr pf-play -n --from 1h "$PLAY/session.jsonl"
	[ "$output" = "$(line_of "$PLAY/session.jsonl" 1)" ]
	[ "$stderr" = "" ]
	# A navigation that is not there is an error.
	run -1 --separate-stderr pf-play -n --from nav:3 "$PLAY/session.jsonl"
	[ "$output" = "$(line_of "$PLAY/session.jsonl" 1)" ]
	[ "$stderr" = "pf-play: $PLAY/session.jsonl: --from 'nav:3': the recording has only 2 navigations" ]
}

@test "pf-play: --to stops before the position (exclusive)" {
	run -0 --separate-stderr pf-play -n --to nav:2 "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start heartbeat navigation show_me show_me chat_message" ]
	run -0 --separate-stderr pf-play -n --to 20s "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start heartbeat navigation" ]
	run -0 --separate-stderr pf-play -n --to 20.001 "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start heartbeat navigation show_me" ]
	run -0 --separate-stderr pf-play -n --to step:s2 "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start heartbeat navigation show_me show_me chat_message navigation" ]
	[ "$stderr" = "" ]
}

@test "pf-play: --from and --to together play the stretch between" {
	run -0 --separate-stderr pf-play -n --from 30s --to 100s "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl $T0)" = "session_start@0 chat_message@0 navigation@60000" ]
	run -0 --separate-stderr pf-play -n --from nav:1 --to nav:2 "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start navigation show_me show_me chat_message" ]
}

@test "pf-play: --from and --to apply to each file of several" {
	use_fixture play/session.jsonl
	run -0 --separate-stderr pf-play -n --from nav:2 session.jsonl session.jsonl
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl $T0)" = "session_start@0 navigation@0 do_it@10000 session_end@30000 session_start@30000 navigation@30000 do_it@40000 session_end@60000" ]
}

@test "pf-play: -t plays only the listed types, and session_start always" {
	run -0 --separate-stderr pf-play -n -t chat_message,do_it "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl $T0)" = "session_start@0 chat_message@30000 do_it@100000" ]
	run -0 --separate-stderr pf-play -n --types session_end "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start session_end" ]
	[ "$stderr" = "" ]
}

@test "pf-play: -x plays all but the listed types, and session_start always" {
	run -0 --separate-stderr pf-play -n -x heartbeat,chat_message "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start navigation show_me show_me navigation do_it session_end" ]
	run -0 --separate-stderr pf-play -n --exclude-types session_start,heartbeat "$PLAY/ticks.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl)" = "session_start@0 session_end@2000" ]
	run -0 --separate-stderr pf-play -n -t session_end,heartbeat -x heartbeat "$PLAY/ticks.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start session_end" ]
}

@test "pf-play: --from with a filter still plays session_start first" {
	run -0 --separate-stderr pf-play -n --from nav:2 -x session_start,navigation "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start do_it session_end" ]
}

# --- timestamps ----------------------------------------------------------

@test "pf-play: --no-wait -s 2 of the example is clean for pf-lint" {
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c 'pf-play --no-wait -s 2 "$1" | pf-lint --strict; s=("${PIPESTATUS[@]}"); exit $((s[0] * 10 + s[1]))' sh "$EXAMPLES/prometheus-101.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-play: --no-wait timestamps are the first one's plus the scaled offsets" {
	pf-play --no-wait -s 2 "$EXAMPLES/prometheus-101.jsonl" >out.jsonl
	# Each event's offset from the start is halved, rounded half up (the
	# example has no repeats to hold back); the rest of each line is
	# untouched.
	# shellcheck disable=SC2016
	run -0 jq -n --slurpfile a "$EXAMPLES/prometheus-101.jsonl" --slurpfile b out.jsonl '
		$a[0].timestamp as $t0
		| [range(0; $a | length) as $i
		   | select($b[$i].timestamp != $t0 + (($a[$i].timestamp - $t0) / 2 + 0.5 | floor))]
		| length'
	[ "$output" = 0 ]
	[ "$(jq -s length out.jsonl)" = "$(jq -s length "$EXAMPLES/prometheus-101.jsonl")" ]
	[ "$(without_times out.jsonl)" = "$(without_times "$EXAMPLES/prometheus-101.jsonl")" ]
	# A few by hand: the start, the first join (an odd offset), the end.
	local t0 ts
	t0=$(jq -s '.[0].timestamp' "$EXAMPLES/prometheus-101.jsonl")
	[ "$(jq -s '.[0].timestamp' out.jsonl)" = "$t0" ]
	ts=$(jq -s 'map(select(.type == "attendee_join"))[0].timestamp' "$EXAMPLES/prometheus-101.jsonl")
	[ $(((ts - t0) % 2)) -eq 1 ]
	[ "$(jq -s 'map(select(.type == "attendee_join"))[0].timestamp' out.jsonl)" = $((t0 + (ts - t0 + 1) / 2)) ]
	ts=$(jq -s '.[-1].timestamp' "$EXAMPLES/prometheus-101.jsonl")
	[ "$(jq -s '.[-1].timestamp' out.jsonl)" = $((t0 + (ts - t0 + 1) / 2)) ]
}

@test "pf-play: a line with its timestamp twice is timed by the last and both copies are set" {
	printf '%s\n' '{"type":"session_start","sessionId":"a","timestamp":1000,"config":{"name":"x","tutorialUrl":"u"}}' \
	    '{"type":"heartbeat","sessionId":"a","timestamp":1,"timestamp":3000}' >dup.jsonl
	run -0 --separate-stderr pf-play -n -s 2 dup.jsonl
	[ "$output" = '{"type":"session_start","sessionId":"a","timestamp":1000,"config":{"name":"x","tutorialUrl":"u"}}
{"type":"heartbeat","sessionId":"a","timestamp":2000,"timestamp":2000}' ]
	[ "$stderr" = "" ]
}

@test "pf-play: --no-wait moves a heartbeat's sentAt with its timestamp" {
	run -0 --separate-stderr pf-play -n -s 4 "$PLAY/ticks.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl)" = "session_start@0 heartbeat@50 heartbeat@100 heartbeat@150 heartbeat@200 heartbeat@250 heartbeat@300 heartbeat@350 heartbeat@400 heartbeat@450 session_end@500" ]
	[ "$(jq -c 'select(.type == "heartbeat") | .sentAt - .timestamp' out.jsonl | sort -u)" = 7 ]
	[ "$(line_of out.jsonl 2)" = '{"type":"heartbeat","sessionId":"abc123","timestamp":1773324000050,"senderId":"presenter","sentAt":1773324000057}' ]
}

@test "pf-play: --no-wait at several speeds and with --idle-limit" {
	run -0 pf-play -n "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl)" = "session_start@0 heartbeat@5000 navigation@10000 show_me@20000 show_me@20800 chat_message@30000 navigation@90000 do_it@100000 session_end@120000" ]
	run -0 pf-play -n -s 0.5 "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl)" = "session_start@0 heartbeat@10000 navigation@20000 show_me@40000 show_me@41600 chat_message@60000 navigation@180000 do_it@200000 session_end@240000" ]
	run -0 pf-play -n -i 5s "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl)" = "session_start@0 heartbeat@5000 navigation@10000 show_me@15000 show_me@15800 chat_message@20800 navigation@25800 do_it@30800 session_end@35800" ]
	# The limit applies before scaling.
	run -0 pf-play -n -i 1s -s 2 "$PLAY/idle.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl)" = "session_start@0 heartbeat@50 chat_message@550 session_end@600" ]
}

@test "pf-play: --keep-timestamps leaves every line as it was" {
	run -0 --separate-stderr pf-play -n -s 4 --keep-timestamps "$PLAY/session.jsonl"
	[ "$output" = "$(cat "$PLAY/session.jsonl")" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr timeout 10 pf-play -s 8 --keep-timestamps "$PLAY/ticks.jsonl"
	[ "$output" = "$(cat "$PLAY/ticks.jsonl")" ]
	[ "$stderr" = "" ]
}

@test "pf-play: in real time the timestamps are the wall-clock time of playback" {
	local t0 t1

	t0=$(now_ms)
	run -0 --separate-stderr timeout 10 pf-play -s 2 "$PLAY/ticks.jsonl"
	t1=$(now_ms)
	[ "$stderr" = "" ]
	printf '%s\n' "$output" >out.jsonl
	between "$t0" "$t1" "$(jq -s '.[0].timestamp' out.jsonl)"
	between "$t0" "$t1" "$(jq -s '.[-1].timestamp' out.jsonl)"
	# 2 s of session at twice the speed: the stamps are the times the
	# events were due, 1 s apart at 2x (2 s at 1x).
	between 950 1900 "$(span out.jsonl)"
	[ "$(jq -c 'select(.type == "heartbeat") | .sentAt - .timestamp' out.jsonl | sort -u)" = 7 ]
	[ "$(without_times out.jsonl)" = "$(without_times "$PLAY/ticks.jsonl")" ]
}

# --- repeated steps ----------------------------------------------------------

@test "pf-play: a repeated step brought within 500 ms by scaling is held back, and what follows moves with it" {
	run -0 --separate-stderr pf-play -n -s 4 "$PLAY/repeats.jsonl"
	printf '%s\n' "$output" >out.jsonl
	# show_me s1 again 800 ms later: 200 ms at -s 4, held to 500 ms.  The
	# do_it (another type), the show_me after it (the previous step is a
	# do_it) and the show_me recorded 100 ms after that (already too close)
	# are not held; everything after the hold moves by 300 ms.
	[ "$(timeline out.jsonl)" = "session_start@0 show_me@250 show_me@750 do_it@950 show_me@975 show_me@1000 show_me@1200 session_end@1300" ]
	[ "$stderr" = "" ]
}

@test "pf-play: --min-repeat-gap sets the gap kept, 0 disables it" {
	run -0 pf-play -n -s 4 --min-repeat-gap 0 "$PLAY/repeats.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl)" = "session_start@0 show_me@250 show_me@450 do_it@650 show_me@675 show_me@700 show_me@900 session_end@1000" ]
	run -0 pf-play -n -s 4 --min-repeat-gap 700ms "$PLAY/repeats.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl)" = "session_start@0 show_me@250 show_me@950 do_it@1150 show_me@1175 show_me@1200 show_me@1400 session_end@1500" ]
	# Recorded closer than the gap: nothing to keep.
	run -0 pf-play -n -s 4 --min-repeat-gap 1s "$PLAY/repeats.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl)" = "session_start@0 show_me@250 show_me@450 do_it@650 show_me@675 show_me@700 show_me@900 session_end@1000" ]
}

@test "pf-play: at speed 1 nothing is held back" {
	run -0 pf-play -n "$PLAY/repeats.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl)" = "session_start@0 show_me@1000 show_me@1800 do_it@2600 show_me@2700 show_me@2800 show_me@3600 session_end@4000" ]
}

@test "pf-play: --idle-limit bringing a repeat within 500 ms holds it back" {
	run -0 pf-play -n -i 300ms "$PLAY/session.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl)" = "session_start@0 heartbeat@300 navigation@600 show_me@900 show_me@1400 chat_message@1700 navigation@2000 do_it@2300 session_end@2600" ]
}

@test "pf-play: -s max waits for nothing but held-back repeats" {
	run -0 pf-play -n -s max "$PLAY/repeats.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(timeline out.jsonl)" = "session_start@0 show_me@0 show_me@500 do_it@500 show_me@500 show_me@500 show_me@500 session_end@500" ]
	local t0 t1
	t0=$(now_ms)
	run -0 --separate-stderr timeout 10 pf-play -s max "$PLAY/repeats.jsonl"
	t1=$(now_ms)
	[ "${#lines[@]}" -eq 8 ]
	between 450 3000 $((t1 - t0))
	t0=$(now_ms)
	run -0 --separate-stderr timeout 10 pf-play -s max "$PLAY/session.jsonl" "$PLAY/ticks.jsonl" --min-repeat-gap 0
	t1=$(now_ms)
	[ "${#lines[@]}" -eq 20 ]
	between 0 1000 $((t1 - t0))
	# --help says so, as pf-play(1) does.
	run -0 pf-play --help
	[[ "$output" == *"max: wait
                           for nothing but held-back repeats"* ]]
}

@test "pf-play: a held-back repeat is emitted at least 500 ms after the step before it in real time" {
	run -0 --separate-stderr timeout 10 pf-play -s 4 "$PLAY/repeats.jsonl"
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "$(types "$PLAY/repeats.jsonl")" ]
	# 500 ms, not the 200 ms of 4x without the hold nor the 800 of 1x.
	between 495 790 "$(jq -s '.[2].timestamp - .[1].timestamp' out.jsonl)"
}

@test "pf-play: its held-back output has no repeated-step finding the recording did not have" {
	run -0 --separate-stderr pf-lint "$PLAY/repeats.jsonl"
	[[ "$output" == "$PLAY/repeats.jsonl:6:1: warning: show_me of step 's1' comes 100 ms from the one shown on line 5: "*"[repeated-step]" ]]
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c 'pf-play -n -s 4 "$1" | pf-lint' sh "$PLAY/repeats.jsonl"
	[ "${#lines[@]}" -eq 1 ]
	[[ "${lines[0]}" == "<stdin>:6:1: warning: show_me of step 's1' comes 25 ms from the one shown on line 5: "*"[repeated-step]" ]]
	# Without the hold, pf-lint sees the repeat that Pathfinder would drop.
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c 'pf-play -n -s 4 --min-repeat-gap 0 "$1" | pf-lint' sh "$PLAY/repeats.jsonl"
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" == "<stdin>:3:1: warning: show_me of step 's1' comes 200 ms from the one shown on line 2: "*"[repeated-step]" ]]
}

# --- timing --------------------------------------------------------------

@test "pf-play: --speed 2 plays 6 s of events in about 3 s, in order" {
	local t0 t1

	stretch 3 "$PLAY/ticks.jsonl" >ticks6.jsonl
	t0=$(now_ms)
	run -0 --separate-stderr timeout 20 pf-play --speed 2 ticks6.jsonl
	t1=$(now_ms)
	[ "$stderr" = "" ]
	# Deadlines are never early: at least 3 s; and well under the 6 s
	# that 1x would take, even on a busy machine.
	between 2950 5800 $((t1 - t0))
	printf '%s\n' "$output" >out.jsonl
	[ "$(without_times out.jsonl)" = "$(without_times ticks6.jsonl)" ]
}

@test "pf-play: --speed 0.5 takes twice as long" {
	local t0 t1

	t0=$(now_ms)
	run -0 --separate-stderr timeout 15 pf-play -s 0.5 "$PLAY/ticks.jsonl"
	t1=$(now_ms)
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 11 ]
	between 3800 7000 $((t1 - t0))
	printf '%s\n' "$output" >out.jsonl
	between 3700 5500 "$(span out.jsonl)"
	[ "$(without_times out.jsonl)" = "$(without_times "$PLAY/ticks.jsonl")" ]
}

@test "pf-play: --idle-limit shortens a long gap in real time" {
	local t0 t1

	t0=$(now_ms)
	run -0 --separate-stderr timeout 15 pf-play --idle-limit 300ms "$PLAY/idle.jsonl"
	t1=$(now_ms)
	[ "$stderr" = "" ]
	# 100 + 300 (not 10000) + 100 ms.
	between 450 3000 $((t1 - t0))
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start heartbeat chat_message session_end" ]
}

@test "pf-play: each event is written when it happens, not at the end" {
	# The reader stamps each line as it arrives.
	stretch 2 "$PLAY/ticks.jsonl" >ticks4.jsonl
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c 'pf-play -s 2 "$1" | while IFS= read -r l; do echo "${EPOCHREALTIME/./}"; done' sh ticks4.jsonl
	[ "${#lines[@]}" -eq 11 ]
	# 4 s at 2x: 2 s from the first line to the last (4 s at 1x).
	between 1950 3800 $(((lines[10] - lines[0]) / 1000))
	between 150 1000 $(((lines[1] - lines[0]) / 1000))
}

@test "pf-play: events a reader held back in the pipe keep their scheduled timestamps, and the pace" {
	local t0 t1

	# 20 KB events 200 ms apart: the pipe (64 KiB) is full at the fourth,
	# and the reader takes nothing for 2 s, so the six after it are
	# written late.  Each is stamped with the time it was due, not the
	# time the held-up write let it go.
	jq -c --arg pad "$(repeat_byte x 20000)" '.pad = $pad' "$PLAY/ticks.jsonl" >big.jsonl
	t0=$(now_ms)
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c 'timeout 20 pf-play --stats "$1" | { sleep 2; cat; }; exit "${PIPESTATUS[0]}"' sh big.jsonl
	t1=$(now_ms)
	printf '%s\n' "$output" >out.jsonl
	[ "$(without_times out.jsonl)" = "$(without_times big.jsonl)" ]
	# Some events were written half a second late or more...
	[[ "$stderr" =~ ^pf-play:\ 11\ events\ in\ [0-9.]+\ s\;\ lateness\ .*,\ max\ ([0-9]+)\.[0-9]{3}\ ms$ ]]
	between 500 5000 "${BASH_REMATCH[1]}"
	# ...but their timestamps are 200 ms apart, as they were due, not run
	# together behind the held pipe.
	local gap
	for gap in $(jq -s 'range(1; length) as $i | .[$i].timestamp - .[$i - 1].timestamp' out.jsonl); do
		between 150 300 "$gap"
	done
	between "$t0" "$t1" "$(jq -s '.[0].timestamp' out.jsonl)"
	between "$t0" "$t1" "$(jq -s '.[-1].timestamp' out.jsonl)"
	[ "$(jq -c 'select(.type == "heartbeat") | .sentAt - .timestamp' out.jsonl | sort -u)" = 7 ]
}

@test "pf-play: an event that comes late on a followed input is stamped when it is played, not when it was due" {
	local st

	line_of "$PLAY/ticks.jsonl" 1 >live.jsonl
	play_bg -f -s 4 live.jsonl
	wait_lines out.jsonl 1
	# Due 50 ms after the session_start, it comes a second later.
	sleep 1
	{
		line_of "$PLAY/ticks.jsonl" 2
		line_of "$PLAY/ticks.jsonl" 11
	} >>live.jsonl
	st=$(wait_play 5)
	[ "$st" -eq 0 ]
	[ "$(cat err.txt)" = "" ]
	[ "$(types out.jsonl)" = "session_start heartbeat session_end" ]
	between 900 5000 "$(jq -s '.[1].timestamp - .[0].timestamp' out.jsonl)"
	between 0 300 "$(jq -s '.[2].timestamp - .[1].timestamp' out.jsonl)"
}

@test "pf-play: --stats prints the count, the time and the lateness on stderr" {
	run -0 --separate-stderr timeout 10 pf-play --stats -s 4 "$PLAY/ticks.jsonl"
	[ "${#lines[@]}" -eq 11 ]
	[[ "$stderr" =~ ^pf-play:\ 11\ events\ in\ [0-9]+\.[0-9]{3}\ s\;\ lateness\ mean\ [0-9]+\.[0-9]{3}\ ms,\ p99\ [0-9]+\.[0-9]{3}\ ms,\ max\ [0-9]+\.[0-9]{3}\ ms$ ]]
	local secs=${stderr#*events in }
	secs=${secs%% s;*}
	# 2 s at 4x: 0.5 s (2 s at 1x).
	between 450 1900 "$((10#${secs/./}))"
}

@test "pf-play: --stats without waiting says no lateness was measured" {
	run -0 --separate-stderr pf-play --stats -n "$PLAY/ticks.jsonl"
	[ "${#lines[@]}" -eq 11 ]
	[[ "$stderr" =~ ^pf-play:\ 11\ events\ in\ [0-9]+\.[0-9]{3}\ s\ \(no\ waiting,\ no\ lateness\ measured\)$ ]]
	run -0 --separate-stderr pf-play --stats -s max -x heartbeat "$PLAY/ticks.jsonl"
	[ "${#lines[@]}" -eq 2 ]
	[[ "$stderr" =~ ^pf-play:\ 2\ events\ in\ [0-9]+\.[0-9]{3}\ s\ \(no\ waiting,\ no\ lateness\ measured\)$ ]]
	run -0 --separate-stderr pf-play --stats </dev/null
	[ "$stderr" = "pf-play: 0 events in 0.000 s (no waiting, no lateness measured)" ]
}

# --- the output ----------------------------------------------------------

@test "pf-play: a closed stdout (head -1) ends playback quietly with exit 0" {
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c 'pf-play -s 20 "$1" | head -n 1; exit "${PIPESTATUS[0]}"' sh "$PLAY/ticks.jsonl"
	[ "${#lines[@]}" -eq 1 ]
	[ "$(jq -r .type <<<"$output")" = session_start ]
	[ "$stderr" = "" ]
}

@test "pf-play: a closed stdout with --no-wait ends quietly with exit 0" {
	local f=$EXAMPLES/prometheus-101.jsonl

	# Far more than a pipe holds.
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c 'pf-play -n "$@" | head -n 1; exit "${PIPESTATUS[0]}"' sh "$f" "$f" "$f" "$f" "$f" "$f" "$f" "$f" "$f" "$f"
	[ "$output" = "$(head -n 1 "$f")" ]
	[ "$stderr" = "" ]
}

@test "pf-play: a write error on stdout (/dev/full) exits 2 with a message" {
	# shellcheck disable=SC2016
	run -2 --separate-stderr bash -c 'pf-play -n "$1" >/dev/full' sh "$PLAY/ticks.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: <stdout>: write error: No space left on device" ]
	# shellcheck disable=SC2016
	run -2 --separate-stderr bash -c 'timeout 10 pf-play -s 20 "$1" >/dev/full' sh "$PLAY/ticks.jsonl"
	[ "$stderr" = "pf-play: <stdout>: write error: No space left on device" ]
	# shellcheck disable=SC2016
	run -2 --separate-stderr bash -c 'pf-play -n "$@" >/dev/full' sh "$EXAMPLES/prometheus-101.jsonl" "$PLAY/ticks.jsonl"
	[ "$stderr" = "pf-play: <stdout>: write error: No space left on device" ]
}

@test "pf-play: SIGINT ends playback into a FIFO that is not being read, exit 130, saying what it took" {
	pf-test-tool gen 3000 >feed.jsonl
	# A live pace: each event is written, and counted, when it is played.
	stuck_play --speed 1000 feed.jsonl
	# shellcheck disable=SC2153 # STATUS comes from stuck_play
	[ "$STATUS" -eq 130 ]
	between 0 3000 "$ELAPSED"
	[ -s got.jsonl ]
	[ -z "$(tail -c 1 got.jsonl)" ]
	local n
	n=$(wc -l <got.jsonl)
	[ "$(jq -r .type got.jsonl | head -n 1)" = session_start ]
	[ "$(cat err.txt)" = "pf-play: interrupted by SIGINT: $n events played, $n written whole; the standard output was not being read" ]
}

@test "pf-play: SIGINT ends --no-wait playback into a FIFO that is not being read, exit 130, counting the lines it took" {
	local n played

	pf-test-tool gen 3000 >feed.jsonl
	pf-play -n feed.jsonl >all.jsonl
	stuck_play -n feed.jsonl
	# shellcheck disable=SC2153 # STATUS comes from stuck_play
	[ "$STATUS" -eq 130 ]
	between 0 3000 "$ELAPSED"
	# A prefix of the output, perhaps ending in a partial line.
	cmp -n "$(wc -c <got.jsonl)" got.jsonl all.jsonl
	n=$(wc -l <got.jsonl)
	[ "$n" -gt 0 ]
	[[ "$(cat err.txt)" =~ ^pf-play:\ interrupted\ by\ SIGINT:\ ([0-9]+)\ events\ played,\ $n\ written\ whole\;\ the\ standard\ output\ was\ not\ being\ read$ ]]
	played=${BASH_REMATCH[1]}
	# Played but still in its buffer: not written.
	[ "$played" -ge "$n" ]
	[ "$played" -lt 3000 ]
}

@test "pf-play: --help and --version on a full stdout exit 2" {
	# shellcheck disable=SC2016
	run -2 --separate-stderr bash -c 'pf-play --help >/dev/full'
	[ "$stderr" = "pf-play: <stdout>: write error: No space left on device" ]
	# shellcheck disable=SC2016
	run -2 --separate-stderr bash -c 'pf-play --version >/dev/full'
	[ "$stderr" = "pf-play: <stdout>: write error: No space left on device" ]
}

@test "pf-play: the documented time-scaling example writes a valid recording four times as fast" {
	pf-play --no-wait -s 4 "$EXAMPLES/prometheus-101.jsonl" >fast.jsonl
	run -0 --separate-stderr pf-lint --strict fast.jsonl
	[ "$output" = "" ]
	local recorded
	recorded=$(jq -s '.[-1].timestamp - .[0].timestamp' "$EXAMPLES/prometheus-101.jsonl")
	[ "$(jq -s '.[-1].timestamp - .[0].timestamp' fast.jsonl)" = $(((recorded + 2) / 4)) ]
}

# --- --follow ------------------------------------------------------------

@test "pf-play: --follow plays lines as they are appended and stops after session_end" {
	local pid st=0

	line_of "$PLAY/ticks.jsonl" 1 >live.jsonl
	timeout 20 pf-play --follow -s 4 live.jsonl >out.jsonl 2>err.txt 3>&- &
	pid=$!
	BG_PIDS+=("$pid")
	wait_lines out.jsonl 1
	# At the end of the file it waits for more.
	sleep 0.3
	kill -0 "$pid"
	line_of "$PLAY/ticks.jsonl" 2 >>live.jsonl
	wait_lines out.jsonl 2
	# A line written in two goes is played once whole.
	local l3
	l3=$(line_of "$PLAY/ticks.jsonl" 3)
	printf '%s' "${l3:0:50}" >>live.jsonl
	sleep 0.3
	[ "$(wc -l <out.jsonl)" -eq 2 ]
	printf '%s\n' "${l3:50}" >>live.jsonl
	wait_lines out.jsonl 3
	# Nothing after the session_end is played.
	{
		line_of "$PLAY/ticks.jsonl" 11
		line_of "$PLAY/ticks.jsonl" 4
	} >>live.jsonl
	wait "$pid" || st=$?
	[ "$st" -eq 0 ]
	[ "$(types out.jsonl)" = "session_start heartbeat heartbeat session_end" ]
	[ "$(jq -c 'select(.type == "heartbeat") | .sentAt - .timestamp' out.jsonl | sort -u)" = 7 ]
	[ "$(cat err.txt)" = "" ]
}

@test "pf-play: --follow ends on SIGTERM with what it played, exit 143" {
	local pid st=0 t0 t1

	line_of "$PLAY/ticks.jsonl" 1 >live.jsonl
	pf-play -f live.jsonl >out.jsonl 2>err.txt 3>&- &
	pid=$!
	BG_PIDS+=("$pid")
	wait_lines out.jsonl 1
	line_of "$PLAY/ticks.jsonl" 2 >>live.jsonl
	wait_lines out.jsonl 2
	t0=$(now_ms)
	kill -TERM "$pid"
	wait "$pid" || st=$?
	t1=$(now_ms)
	[ "$st" -eq 143 ]
	between 0 1500 $((t1 - t0))
	[ "$(types out.jsonl)" = "session_start heartbeat" ]
	[ "$(cat err.txt)" = "pf-play: interrupted by SIGTERM: 2 events played" ]
}

@test "pf-play: --follow plays a truncated file's new session from its start" {
	local st

	sed -n 1,2p "$PLAY/ticks.jsonl" >live.jsonl
	play_bg -f -s 1000 live.jsonl
	wait_lines out.jsonl 2
	: >live.jsonl
	wait_text err.txt truncated
	sed 's/abc123/new456/' "$PLAY/ticks.jsonl" >>live.jsonl
	st=$(wait_play 5)
	[ "$st" -eq 0 ]
	[ "$(cat err.txt)" = "pf-play: live.jsonl: truncated, playing from its start" ]
	[ "$(types out.jsonl)" = "session_start heartbeat session_start heartbeat heartbeat heartbeat heartbeat heartbeat heartbeat heartbeat heartbeat heartbeat session_end" ]
	[ "$(jq -r .sessionId out.jsonl | uniq | tr '\n' ' ')" = "abc123 new456 " ]
	[ "$(without_times out.jsonl | tail -n 11)" = "$(without_times "$PLAY/ticks.jsonl" | sed 's/abc123/new456/')" ]
}

@test "pf-play: --follow plays a file that replaced the followed one (mv) from its start" {
	local st

	sed -n 1,2p "$PLAY/ticks.jsonl" >live.jsonl
	play_bg --follow -s 1000 live.jsonl
	wait_lines out.jsonl 2
	sed 's/abc123/new456/' "$PLAY/ticks.jsonl" >next.jsonl
	mv next.jsonl live.jsonl
	st=$(wait_play 5)
	[ "$st" -eq 0 ]
	[ "$(cat err.txt)" = "pf-play: live.jsonl: replaced, playing from its start" ]
	[ "$(types out.jsonl)" = "session_start heartbeat session_start heartbeat heartbeat heartbeat heartbeat heartbeat heartbeat heartbeat heartbeat heartbeat session_end" ]
	[ "$(jq -r .sessionId out.jsonl | uniq | tr '\n' ' ')" = "abc123 new456 " ]
}

@test "pf-play: --follow remembers nothing of the content before a restart" {
	local st

	# --from nav:2 was reached in the old content; the new one is
	# searched again from its start.
	sed -n 1,7p "$PLAY/session.jsonl" >live.jsonl
	play_bg -f -s 1000 --from nav:2 live.jsonl
	wait_lines out.jsonl 2
	: >live.jsonl
	wait_text err.txt truncated
	sed 's/abc123/new456/' "$PLAY/session.jsonl" >>live.jsonl
	st=$(wait_play 5)
	[ "$st" -eq 0 ]
	[ "$(cat err.txt)" = "pf-play: live.jsonl: truncated, playing from its start" ]
	[ "$(types out.jsonl)" = "session_start navigation session_start navigation do_it session_end" ]
	[ "$(jq -r 'select(.type == "navigation") | .stepNumber' out.jsonl | tr '\n' ' ')" = "2 2 " ]
}

# --- --interactive -------------------------------------------------------

@test "pf-play: --interactive: q quits at once with exit 0" {
	local t0 t1

	t0=$(now_ms)
	run -0 --separate-stderr pty_run out.jsonl tty.txt 'wait:1 events' send:q -- \
		pf-play --interactive "$PLAY/slow.jsonl"
	t1=$(now_ms)
	[ "$stderr" = "" ]
	# The session lasts 30 s.
	between 0 5000 $((t1 - t0))
	[ "$(types out.jsonl)" = session_start ]
	grep -q '\[playing 1x\] 0:00  1 events  (space pause, +/- speed, n next step, q quit)' tty.txt
}

@test "pf-play: --interactive: space pauses and resumes" {
	run -0 --separate-stderr pty_run out.jsonl tty.txt 'wait:1 events' 'send: ' \
		'wait:[paused 1x]' sleep:1 'send: ' 'wait:[playing 1x]' -- \
		pf-play --interactive "$PLAY/ticks.jsonl"
	[ "$stderr" = "" ]
	[ "$(without_times out.jsonl)" = "$(without_times "$PLAY/ticks.jsonl")" ]
	# Nothing was played during the pause of 1 s.
	between 950 4000 "$(max_gap out.jsonl)"
	between 2900 6000 "$(span out.jsonl)"
}

@test "pf-play: --interactive: + and - double and halve the speed" {
	run -0 --separate-stderr pty_run out.jsonl tty.txt 'wait:1 events' \
		send:+ 'wait:[playing 2x]' send:- 'wait:[playing 1x]' \
		send:- 'wait:[playing 0.5x]' send:q -- \
		pf-play --interactive "$PLAY/slow.jsonl"
	[ "$stderr" = "" ]
	stretch 2 "$PLAY/ticks.jsonl" >ticks4.jsonl
	run -0 --separate-stderr pty_run out.jsonl tty.txt 'wait:1 events' \
		send:++ 'wait:[playing 4x]' -- \
		pf-play --interactive ticks4.jsonl
	[ "$stderr" = "" ]
	[ "$(without_times out.jsonl)" = "$(without_times ticks4.jsonl)" ]
	# 4 s at 4x: 1 s, and some more for the time the keys took at 1x;
	# 2 s or more at 2x.
	between 950 1900 "$(span out.jsonl)"
}

@test "pf-play: --interactive: n jumps to the next step" {
	local t0 t1

	t0=$(now_ms)
	run -0 --separate-stderr pty_run out.jsonl tty.txt 'wait:1 events' \
		send:n 'wait:7 events' send:q -- \
		pf-play --interactive "$PLAY/slow.jsonl"
	t1=$(now_ms)
	[ "$stderr" = "" ]
	# The step is 20 s in; the events before it are played on the way.
	between 0 5000 $((t1 - t0))
	[ "$(types out.jsonl)" = "session_start heartbeat heartbeat heartbeat heartbeat heartbeat show_me" ]
}

@test "pf-play: --interactive without a terminal warns and plays normally" {
	local t0 t1

	stretch 2 "$PLAY/ticks.jsonl" >ticks4.jsonl
	t0=$(now_ms)
	run -0 --separate-stderr setsid -w pf-play --interactive -s 2 ticks4.jsonl </dev/null
	t1=$(now_ms)
	[ "$stderr" = "pf-play: warning: --interactive: no terminal; playing without controls" ]
	printf '%s\n' "$output" >out.jsonl
	[ "$(without_times out.jsonl)" = "$(without_times ticks4.jsonl)" ]
	# 4 s at 2x (4 s at 1x).
	between 1950 3800 $((t1 - t0))
}

# --- --post and --grafana ----------------------------------------------------

@test "pf-play: --post sends each event as an application/json POST, nothing on stdout" {
	start_receiver
	run -0 --separate-stderr pf-play -n -s 2 --post "$RECEIVER_URL/events" \
		-H 'X-Test-Run: 42' --header 'X-Other: two words' "$PLAY/session.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$(bodies)" = "$(pf-play -n -s 2 "$PLAY/session.jsonl" | jq -c .)" ]
	[ "$(jq -r '[.method, .path, .headers["content-type"], .headers["x-test-run"], .headers["x-other"], .status] | join("|")' requests.jsonl | sort -u)" = "POST|/events|application/json|42|two words|200" ]
	# The bodies are the lines as written, byte for byte.
	[ "$(jq -r .body requests.jsonl)" = "$(pf-play -n -s 2 "$PLAY/session.jsonl")" ]
}

@test "pf-play: --post with --stdout also writes the events to stdout" {
	start_receiver
	run -0 --separate-stderr pf-play -n --post "$RECEIVER_URL/" --stdout "$PLAY/ticks.jsonl"
	[ "$output" = "$(pf-play -n "$PLAY/ticks.jsonl")" ]
	[ "$stderr" = "" ]
	[ "$(jq -r .body requests.jsonl)" = "$output" ]
}

@test "pf-play: --post in real time sends each event when it happens" {
	local t0 t1

	start_receiver
	t0=$(now_ms)
	run -0 --separate-stderr timeout 10 pf-play -s 2 --post "$RECEIVER_URL/e" "$PLAY/ticks.jsonl"
	t1=$(now_ms)
	[ "$stderr" = "" ]
	bodies >got.jsonl
	[ "$(without_times got.jsonl)" = "$(without_times "$PLAY/ticks.jsonl")" ]
	# 2 s at 2x, stamped when due (2 s at 1x).
	between 950 1900 "$(span got.jsonl)"
	between "$t0" "$t1" "$(jq -s '.[-1].timestamp' got.jsonl)"
}

@test "pf-play: --post retries a 503 answer and delivers the event" {
	start_receiver --fail-first 2
	run -0 --separate-stderr pf-play -n --post "$RECEIVER_URL/events" "$PLAY/idle.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$(jq -r .status requests.jsonl | tr '\n' ' ')" = "503 503 200 200 200 200 " ]
	[ "$(jq -r '.body | fromjson | .type' requests.jsonl | tr '\n' ' ')" = "session_start session_start session_start heartbeat chat_message session_end " ]
}

@test "pf-play: an event still failing after the retries is reported, the rest is sent, exit 1" {
	local t0 t1

	start_receiver --fail-always
	t0=$(now_ms)
	run -1 --separate-stderr pf-play -n -t none --post "$RECEIVER_URL/events" "$PLAY/ticks.jsonl"
	t1=$(now_ms)
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: POST $RECEIVER_URL/events: event of line 1: HTTP 503" ]
	# One try and four more, 100, 200, 400 and 800 ms apart.
	[ "$(requests_count)" -eq 5 ]
	between 1400 6000 $((t1 - t0))
	[ "$(jq -r '.body | fromjson | .type' requests.jsonl | sort -u)" = session_start ]
}

@test "pf-play: a 4xx answer is final: reported at once, exit 1, the other events go on" {
	start_receiver --fail-first 1 --fail-status 400
	run -1 --separate-stderr pf-play -n -x heartbeat --post "$RECEIVER_URL/events" "$PLAY/idle.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: POST $RECEIVER_URL/events: event of line 1: HTTP 400" ]
	[ "$(jq -r '[.status, (.body | fromjson | .type)] | join(" ")' requests.jsonl)" = "400 session_start
200 chat_message
200 session_end" ]
}

@test "pf-play: a connection refused is retried, then reported with exit 1; --stdout still writes" {
	local port t0 t1

	port=$(free_port)
	t0=$(now_ms)
	run -1 --separate-stderr pf-play -n -t none --stdout --post "http://127.0.0.1:$port/events" "$PLAY/ticks.jsonl"
	t1=$(now_ms)
	[ "$output" = "$(line_of "$PLAY/ticks.jsonl" 1)" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" == "pf-play: POST http://127.0.0.1:$port/events: event of line 1: "?* ]]
	between 1400 8000 $((t1 - t0))
}

@test "pf-play: --grafana makes each event an annotation with a Bearer token" {
	start_receiver
	run -0 --separate-stderr env GRAFANA_TOKEN=glsa_test pf-play -n -t do_it,session_end \
		--grafana "$RECEIVER_URL" "$PLAY/session.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$(bodies)" = '{"time":1773324000000,"tags":["pathfinder","session_start","session:abc123"],"text":"session started: Demo"}
{"time":1773324100000,"tags":["pathfinder","do_it","session:abc123"],"text":"do_it: button '"'Save'"'"}
{"time":1773324120000,"tags":["pathfinder","session_end","session:abc123"],"text":"session ended: done"}' ]
	[ "$(jq -r '[.method, .path, .headers["content-type"], .headers.authorization] | join("|")' requests.jsonl | sort -u)" = "POST|/api/annotations|application/json|Bearer glsa_test" ]
}

@test "pf-play: --grafana with --dashboard-uid adds dashboardUID; a trailing slash or a path is kept right" {
	start_receiver
	run -0 --separate-stderr env GRAFANA_TOKEN=t pf-play -n -t none --grafana "$RECEIVER_URL/grafana/" \
		--dashboard-uid 'abc"123' "$PLAY/session.jsonl"
	[ "$stderr" = "" ]
	[ "$(bodies)" = '{"time":1773324000000,"tags":["pathfinder","session_start","session:abc123"],"text":"session started: Demo","dashboardUID":"abc\"123"}' ]
	[ "$(jq -r .path requests.jsonl)" = /grafana/api/annotations ]
}

@test "pf-play: --grafana uses basic authentication from GRAFANA_USER and GRAFANA_PASSWORD" {
	start_receiver
	run -0 --separate-stderr env GRAFANA_USER=admin GRAFANA_PASSWORD=s3cret pf-play -n -t none \
		--grafana "$RECEIVER_URL" "$PLAY/ticks.jsonl"
	[ "$stderr" = "" ]
	[ "$(jq -r .headers.authorization requests.jsonl)" = "Basic $(printf admin:s3cret | base64)" ]
	# GRAFANA_TOKEN comes first.
	: >requests.jsonl
	run -0 --separate-stderr env GRAFANA_TOKEN=tok GRAFANA_USER=admin GRAFANA_PASSWORD=s3cret \
		pf-play -n -t none --grafana "$RECEIVER_URL" "$PLAY/ticks.jsonl"
	[ "$(jq -r .headers.authorization requests.jsonl)" = "Bearer tok" ]
}

@test "pf-play: --grafana without credentials warns and sends without them" {
	start_receiver
	run -0 --separate-stderr env -u GRAFANA_TOKEN -u GRAFANA_USER -u GRAFANA_PASSWORD \
		pf-play -n -t none --grafana "$RECEIVER_URL" "$PLAY/ticks.jsonl"
	[ "$stderr" = "pf-play: warning: --grafana: neither GRAFANA_TOKEN nor GRAFANA_USER is set; sending without credentials" ]
	[ "$(jq -r '.headers.authorization // "none"' requests.jsonl)" = none ]
	[ "$(requests_count)" -eq 1 ]
}

@test "pf-play: --grafana in real time stamps annotations with the time of emission" {
	local t0 t1

	start_receiver
	t0=$(now_ms)
	run -0 --separate-stderr env GRAFANA_TOKEN=t timeout 10 pf-play -s 4 --grafana "$RECEIVER_URL" -x heartbeat "$PLAY/ticks.jsonl"
	t1=$(now_ms)
	[ "$(requests_count)" -eq 2 ]
	between "$t0" "$t1" "$(bodies | jq -s '.[0].time')"
	# 2 s at 4x (2 s at 1x).
	between 450 1900 "$(bodies | jq -s '.[1].time - .[0].time')"
}

@test "pf-play: --post and --grafana together each get every event, and --stdout too" {
	start_receiver
	run -0 --separate-stderr env GRAFANA_TOKEN=t pf-play -n -t chat_message --stdout \
		--post "$RECEIVER_URL/events" --grafana "$RECEIVER_URL" "$PLAY/session.jsonl"
	[ "$stderr" = "" ]
	[ "$(types <(printf '%s\n' "$output"))" = "session_start chat_message" ]
	[ "$(jq -r .path requests.jsonl | tr '\n' ' ')" = "/events /api/annotations /events /api/annotations " ]
	[ "$(bodies | jq -r 'select(.tags) | .text')" = "session started: Demo
chat: Priya: hi" ]
}

@test "pf-play: the documented example replays the second section into an endpoint" {
	start_receiver
	run -0 --separate-stderr timeout 20 pf-play -s max --from nav:2 --to nav:3 \
		--post "$RECEIVER_URL/events" -H 'X-Test-Run: 42' "$EXAMPLES/prometheus-101.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	bodies >got.jsonl
	[ "$(without_times got.jsonl)" = "$(pf-play -n --from nav:2 --to nav:3 "$EXAMPLES/prometheus-101.jsonl" | jq -c 'del(.timestamp, .sentAt)')" ]
	[ "$(jq -r 'select(.type == "navigation") | .stepNumber' got.jsonl)" = 2 ]
	[ "$(jq -r '.headers["x-test-run"]' requests.jsonl | sort -u)" = 42 ]
}

# --- signals -------------------------------------------------------------

@test "pf-play: SIGINT during a POST to a server that does not answer stops it at once, exit 130" {
	local t0 t1 st

	start_receiver --hang-first 1
	play_bg -s max --post "$RECEIVER_URL/events" "$PLAY/ticks.jsonl"
	wait_requests 1
	t0=$(now_ms)
	kill -INT "$PLAY_PID"
	st=$(wait_play 8)
	t1=$(now_ms)
	[ "$st" -eq 130 ]
	# Not after the 10 s timeout and the retries.
	between 0 5000 $((t1 - t0))
	[ "$(cat out.jsonl)" = "" ]
	[ "$(cat err.txt)" = "pf-play: interrupted by SIGINT: 0 events played, 0 delivered; the POST of the event of line 1 was cut short" ]
	[ "$(requests_count)" -eq 1 ]
}

@test "pf-play: SIGTERM in the pause before a retry stops at once, exit 143" {
	local t0 t1 st

	start_receiver --fail-always
	play_bg -n --post "$RECEIVER_URL/events" "$PLAY/ticks.jsonl"
	wait_requests 1
	t0=$(now_ms)
	kill -TERM "$PLAY_PID"
	st=$(wait_play 8)
	t1=$(now_ms)
	[ "$st" -eq 143 ]
	between 0 5000 $((t1 - t0))
	[ "$(cat out.jsonl)" = "" ]
	[ "$(cat err.txt)" = "pf-play: interrupted by SIGTERM: 0 events played, 0 delivered; the POST of the event of line 1 was cut short" ]
	# The first event's tries only: nothing after it was sent.
	[ "$(jq -r '.body | fromjson | .type' requests.jsonl | sort -u)" = session_start ]
}

@test "pf-play: with -s max, SIGINT stops playback and says what was delivered" {
	local t0 t1 st

	# Each answer takes 1 s (11 events would take 11 s): the third is
	# still being answered when the signal comes, also on a busy machine.
	start_receiver --delay 1
	play_bg -s max --stdout --post "$RECEIVER_URL/events" "$PLAY/ticks.jsonl"
	wait_requests 3
	t0=$(now_ms)
	kill -INT "$PLAY_PID"
	st=$(wait_play 8)
	t1=$(now_ms)
	[ "$st" -eq 130 ]
	between 0 2000 $((t1 - t0))
	# Two delivered; the third was being answered, and was written to
	# stdout before its POST.
	[ "$(cat err.txt)" = "pf-play: interrupted by SIGINT: 2 events played, 2 delivered; the POST of the event of line 3 was cut short" ]
	[ "$(wc -l <out.jsonl)" -eq 3 ]
	[ "$(requests_count)" -eq 3 ]
}

@test "pf-play: a failed POST is counted in the line a signal prints" {
	local st

	# 1 s an answer: the third is still being answered when the signal
	# comes, also on a busy machine.
	start_receiver --fail-first 1 --fail-status 400 --delay 1
	play_bg -s max --post "$RECEIVER_URL/events" "$PLAY/ticks.jsonl"
	wait_requests 3
	kill -INT "$PLAY_PID"
	st=$(wait_play 8)
	[ "$st" -eq 130 ]
	[ "$(cat err.txt)" = "pf-play: POST $RECEIVER_URL/events: event of line 1: HTTP 400
pf-play: interrupted by SIGINT: 2 events played, 1 delivered, 1 not; the POST of the event of line 3 was cut short" ]
}

@test "pf-play: SIGINT while waiting for the next event: exit 130 with the count on stderr" {
	local st

	play_bg "$PLAY/slow.jsonl"
	wait_lines out.jsonl 1
	kill -INT "$PLAY_PID"
	st=$(wait_play 5)
	[ "$st" -eq 130 ]
	[ "$(types out.jsonl)" = session_start ]
	[ "$(cat err.txt)" = "pf-play: interrupted by SIGINT: 1 event played" ]
}

@test "pf-play: every try of a POST carries the same Idempotency-Key, the SHA-256 of its body" {
	local body key

	start_receiver --fail-first 2
	run -0 --separate-stderr pf-play -n --post "$RECEIVER_URL/events" "$PLAY/idle.jsonl"
	[ "$stderr" = "" ]
	[ "$(requests_count)" -eq 6 ]
	while IFS=$'\t' read -r key body; do
		[ "$key" = "$(printf '%s' "$body" | sha256sum | cut -d' ' -f1)" ]
	done < <(jq -r '[.headers["idempotency-key"], .body] | @tsv' requests.jsonl)
	# Three tries of the session_start with one key; one key per event.
	[ "$(jq -r '.headers["idempotency-key"]' requests.jsonl | sed -n 1,3p | sort -u | wc -l)" -eq 1 ]
	[ "$(jq -r '.headers["idempotency-key"]' requests.jsonl | sort -u | wc -l)" -eq 4 ]
	# --grafana's annotations carry one too.
	: >requests.jsonl
	run -0 --separate-stderr env GRAFANA_TOKEN=t pf-play -n -t none --grafana "$RECEIVER_URL" "$PLAY/ticks.jsonl"
	[ "$(jq -r '.headers["idempotency-key"]' requests.jsonl)" = "$(jq -j .body requests.jsonl | sha256sum | cut -d' ' -f1)" ]
}

# --- the limits ----------------------------------------------------------

@test "pf-play: a speed out of range is refused with the range" {
	local v

	for v in 1e-12 1e-100 0.0009 1000001 1e7; do
		run -2 --separate-stderr pf-play -n -s "$v" "$PLAY/ticks.jsonl"
		[ "$output" = "" ]
		[ "$stderr" = "pf-play: --speed: '$v' is not a number from 0.001 to 1000000, or max
$USAGE_HINT" ]
	done
	for v in 0.001 1000000 1e6 1e-3; do
		run -0 --separate-stderr pf-play -n -s "$v" "$PLAY/ticks.jsonl"
		[ "${#lines[@]}" -eq 11 ]
		[ "$stderr" = "" ]
	done
}

@test "pf-play: --no-wait timestamps that would pass the largest integer stop there, never wrap" {
	write_lines far.jsonl \
		'{"type":"session_start","sessionId":"s","timestamp":1000,"config":{"name":"x"}}' \
		'{"type":"chat_message","sessionId":"s","timestamp":9000000000000000000,"senderId":"p","text":"late"}' \
		'{"type":"session_end","sessionId":"s","timestamp":9000000000000000001}'
	run -0 --separate-stderr pf-play -n -s 0.001 far.jsonl
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" == *'"timestamp":1000,'* ]]
	[[ "${lines[1]}" == *'"timestamp":9223372036854775807,'* ]]
	[[ "${lines[2]}" == *'"timestamp":9223372036854775807}' ]]
	# Timestamps far apart in both directions.
	write_lines wide.jsonl \
		'{"type":"session_start","sessionId":"s","timestamp":-9000000000000000000,"config":{"name":"x"}}' \
		'{"type":"session_end","sessionId":"s","timestamp":9000000000000000000}'
	run -0 --separate-stderr pf-play -n wide.jsonl
	[ "$stderr" = "" ]
	[[ "${lines[1]}" == *'"timestamp":9000000000000000000}' ]]
}

@test "pf-play: an event in the year 9999 is waited for, not played at once" {
	local st

	write_lines y9999.jsonl "$(line_of "$PLAY/ticks.jsonl" 1)" \
		'{"type":"chat_message","sessionId":"abc123","timestamp":253402300799000,"senderId":"p","text":"far"}' \
		"$(line_of "$PLAY/ticks.jsonl" 11)"
	play_bg -s 1000000 y9999.jsonl
	wait_lines out.jsonl 1
	# Still waiting, with one event played.
	sleep 0.3
	[ ! -e play.rc ]
	[ "$(wc -l <out.jsonl)" -eq 1 ]
	kill -INT "$PLAY_PID"
	st=$(wait_play 5)
	[ "$st" -eq 130 ]
	[ "$(cat err.txt)" = "pf-play: interrupted by SIGINT: 1 event played" ]
	# Written as a new recording, it keeps its place.
	run -0 --separate-stderr pf-play -n y9999.jsonl
	[[ "${lines[1]}" == *'"timestamp":253402300799000,'* ]]
}

# --- small ones ------------------------------------------------------------

@test "pf-play: a password in a --post URL is masked in every message" {
	start_receiver --fail-status 400 --fail-always
	local url=${RECEIVER_URL/http:\/\//http://user:s3cret@}
	run -1 --separate-stderr pf-play -n -t none --post "$url/events" "$PLAY/ticks.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-play: POST http://user:***@127.0.0.1:$RECEIVER_PORT/events: event of line 1: HTTP 400" ]
	# The password was sent, as basic authentication.
	[ "$(jq -r .headers.authorization requests.jsonl)" = "Basic $(printf user:s3cret | base64)" ]
	run -2 --separate-stderr pf-play --post http://a/ --post 'http://u:pw@b:1/x?y=@' x.jsonl
	[ "$stderr" = "pf-play: 'http://u:***@b:1/x?y=@': only one such URL may be given
$USAGE_HINT" ]
	run -2 --separate-stderr pf-play --post 'ftp://u:pw@b/' x.jsonl
	[ "$stderr" = "pf-play: 'ftp://u:***@b/' is not an http:// or https:// URL
$USAGE_HINT" ]
	run -2 --separate-stderr pf-play --grafana 'ftp://u:pw@b/' x.jsonl
	[ "$stderr" = "pf-play: 'ftp://u:***@b/' is not an http:// or https:// URL
$USAGE_HINT" ]
}

@test "pf-play: a CR or LF in GRAFANA_TOKEN is refused: exit 2, nothing sent" {
	local tok

	start_receiver
	for tok in $'glsa\r\nX-Injected: 1' $'glsa\nX-Injected: 1' $'glsa\r'; do
		run -2 --separate-stderr env GRAFANA_TOKEN="$tok" pf-play -n \
			--grafana "$RECEIVER_URL" "$PLAY/ticks.jsonl"
		[ "$output" = "" ]
		[ "$stderr" = "pf-play: GRAFANA_TOKEN: a token may not hold a control character such as CR or LF" ]
	done
	[ "$(requests_count)" -eq 0 ]
}

@test "pf-play: a --from or --to step or navigation not in the recording is an error, exit 1" {
	run -1 --separate-stderr pf-play -n --from step:typo "$PLAY/session.jsonl"
	[ "$output" = "$(line_of "$PLAY/session.jsonl" 1)" ]
	[ "$stderr" = "pf-play: $PLAY/session.jsonl: --from 'step:typo': the recording has no such step" ]
	run -1 --separate-stderr pf-play -n --to step:typo "$PLAY/session.jsonl"
	[ "${#lines[@]}" -eq 9 ]
	[ "$stderr" = "pf-play: $PLAY/session.jsonl: --to 'step:typo': the recording has no such step" ]
	run -1 --separate-stderr pf-play -n --to nav:5 "$PLAY/session.jsonl"
	[ "$stderr" = "pf-play: $PLAY/session.jsonl: --to 'nav:5': the recording has only 2 navigations" ]
	run -1 --separate-stderr pf-play -n --from nav:1 "$PLAY/ticks.jsonl"
	[ "$stderr" = "pf-play: $PLAY/ticks.jsonl: --from 'nav:1': the recording has no navigation" ]
	run -1 --separate-stderr pf-play -n --from nav:2 --to nav:1 "$PLAY/session.jsonl"
	[ "$stderr" = "pf-play: $PLAY/session.jsonl: --from 'nav:2' is not before --to 'nav:1'" ]
	# Each input is checked; the others play.
	use_fixture play/session.jsonl play/ticks.jsonl
	run -1 --separate-stderr pf-play -n --from step:s2 ticks.jsonl session.jsonl
	printf '%s\n' "$output" >out.jsonl
	[ "$(types out.jsonl)" = "session_start session_start do_it session_end" ]
	[ "$stderr" = "pf-play: ticks.jsonl: --from 'step:s2': the recording has no such step" ]
	# An offset past the end is not an error.
	run -0 --separate-stderr pf-play -n --to 1h "$PLAY/session.jsonl"
	[ "${#lines[@]}" -eq 9 ]
	[ "$stderr" = "" ]
}
