#!/usr/bin/env bats
# JSON output of the tools when the text is not UTF-8: one policy in every
# tool (pf_jv_dump_string_flags), each byte that does not start a valid
# UTF-8 sequence written as U+FFFD, so no key is dropped or emptied.

load test_helper

setup() {
	pf_setup
	PF_INDEX="$BATS_TEST_TMPDIR/index.db"
	export PF_INDEX
	DIR=$(pwd -P)
}

START='{"type":"session_start","sessionId":"abc123","timestamp":1773324000000,"config":{"name":"Demo","tutorialUrl":"https://example.com/t/","defaultMode":"guided"}}'

@test "pf-lint: --format json writes a file name that is not UTF-8 with U+FFFD, its key kept" {
	printf '%s\n{"type":"heartbeat","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","sentAt":1773324005000,"rtt":1}\n' \
		"$START" >"$(printf 'bad\377.jsonl')"
	run -0 --separate-stderr pf-lint --format json "$(printf 'bad\377.jsonl')"
	[ "$stderr" = "" ]
	[ "$output" = '{"file":"bad'$'\xef\xbf\xbd''.jsonl","line":2,"column":120,"severity":"warning","rule":"unknown-field","message":"heartbeat: unknown field '"'"'rtt'"'"'","path":"rtt"}' ]
	jq -e '.file == "bad\ufffd.jsonl"' <<<"$output"
}

@test "pf-index: --json writes a file name that is not UTF-8 with U+FFFD in every key that holds it" {
	mkdir ex
	cp "$EXAMPLES/mistakes.jsonl" "ex/$(printf 'caf\351 \377.jsonl')"
	run -0 --separate-stderr pf-index add ex
	[ "$stderr" = "pf-index: 1 added, 0 updated, 0 unchanged, 0 failed" ]
	run -0 --separate-stderr pf-index list --json
	[ "$stderr" = "" ]
	[ "$output" = '{"id":1,"sessionId":"q4z8rw","name":"Loki in 20 minutes","presenter":null,"date":"2026-03-13T14:00:00.000Z","duration":1200000,"events":7,"steps":2,"attendees":0,"questions":1,"file":"'"$DIR"'/ex/caf\ufffd \ufffd.jsonl"}' ]
	run -0 --separate-stderr pf-index search --json Which port
	[ "$stderr" = "" ]
	[ "$output" = '{"session":1,"sessionId":"q4z8rw","name":"Loki in 20 minutes","file":"'"$DIR"'/ex/caf\ufffd \ufffd.jsonl","offset":"0:19","offsetMs":19000,"type":"chat_message","snippet":"Priya: [Which] [port] does Loki listen on?","command":"pf-play --from 0:19 '"'$DIR"'/ex/caf\ufffd \ufffd.jsonl'"'"'"}' ]
}
