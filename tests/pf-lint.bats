#!/usr/bin/env bats
# pf-lint: the command line, the input forms, every rule of --list-rules
# (one failing and one passing case each), the options, hostile input and
# SessionRecording documents.
#
# The text of JSON syntax messages (rules json-syntax, invalid-utf8,
# nul-byte, duplicate-key, not-object) and their columns belong to the
# parser and may change: those findings are matched by file, line,
# severity and rule id (assert_finding_like); all others exactly.

load test_helper

setup() {
	pf_setup
}

LINT="$FIXTURES/lint"

# The first line of most inline recordings (158 bytes).
START='{"type":"session_start","sessionId":"abc123","timestamp":1773324000000,"config":{"name":"Demo","tutorialUrl":"https://example.com/t/","defaultMode":"guided"}}'
# A clean heartbeat 5 s later (113 bytes).
BEAT='{"type":"heartbeat","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","sentAt":1773324005000}'

USAGE_HINT="Try 'pf-lint --help'."

# assert_finding_like FILE LINE SEVERITY RULE: $output is exactly one
# finding of RULE on FILE:LINE, with a column, whatever its message.
assert_finding_like() {
	local re="^$1:$2:[1-9][0-9]*: $3: .+ \\[$4\\]\$"

	if [ "${#lines[@]}" -ne 1 ] || ! [[ $output =~ $re ]]; then
		echo "expected one '$1:$2:COL: $3: ... [$4]', got:" >&2
		printf '%s\n' "$output" >&2
		return 1
	fi
}

# assert_wellformed: every line of $output is a text finding, one line each.
assert_wellformed() {
	local l re='^[^:]+(:[1-9][0-9]*(:[1-9][0-9]*)?)?: (error|warning): [^[:cntrl:]]+ \[[a-z0-9-]+\]$'

	for l in "${lines[@]}"; do
		if ! [[ $l =~ $re ]]; then
			echo "not a finding: $l" >&2
			return 1
		fi
	done
}

# --- the command line ----------------------------------------------------

@test "pf-lint: --help prints the usage on stdout and exits 0" {
	run -0 --separate-stderr pf-lint --help
	[ "${lines[0]}" = "Usage: pf-lint [OPTIONS] [FILE...]" ]
	[[ "$output" == *"--list-rules"* ]]
	[ "$stderr" = "" ]
}

@test "pf-lint: -h prints the same usage as --help" {
	run -0 --separate-stderr pf-lint --help
	local long=$output
	run -0 --separate-stderr pf-lint -h
	[ "$output" = "$long" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: --help agrees with the SYNOPSIS of pf-lint(1)" {
	check_help_synopsis pf-lint
}

@test "pf-lint: --version prints the name and version" {
	local version
	version=$(pf_version)
	run -0 --separate-stderr pf-lint --version
	[ "$output" = "pf-lint $version" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-lint -V
	[ "$output" = "pf-lint $version" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: an unknown long option is a usage error" {
	run -2 --separate-stderr pf-lint --bogus x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-lint: unknown option '--bogus'
$USAGE_HINT" ]
}

@test "pf-lint: an unknown short option is a usage error" {
	run -2 --separate-stderr pf-lint -x x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-lint: unknown option '-x'
$USAGE_HINT" ]
}

@test "pf-lint: an option missing its value is a usage error" {
	run -2 --separate-stderr pf-lint --format
	[ "$output" = "" ]
	[ "$stderr" = "pf-lint: option '--format' needs a value
$USAGE_HINT" ]
	run -2 --separate-stderr pf-lint -m
	[ "$output" = "" ]
	[ "$stderr" = "pf-lint: option '-m' needs a value
$USAGE_HINT" ]
}

@test "pf-lint: a short option missing its value is named alone, not with the options grouped before it" {
	run -2 --separate-stderr pf-lint -qf
	[ "$output" = "" ]
	[ "$stderr" = "pf-lint: option '-f' needs a value
$USAGE_HINT" ]
}

@test "pf-lint: a value given to an option that takes none is a usage error naming that option" {
	run -2 --separate-stderr pf-lint --help=x
	[ "$output" = "" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ "${stderr_lines[0]}" == "pf-lint: "*"--help"* ]]
	[ "${stderr_lines[1]}" = "$USAGE_HINT" ]
}

@test "pf-lint: an unknown --format is a usage error" {
	run -2 --separate-stderr pf-lint --format xml x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-lint: --format: unknown format 'xml' (text, json or github)
$USAGE_HINT" ]
}

@test "pf-lint: an unknown rule in --disable is a usage error" {
	run -2 --separate-stderr pf-lint --disable unknown-field,no-such-rule x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-lint: unknown rule 'no-such-rule' (see --list-rules)
$USAGE_HINT" ]
}

@test "pf-lint: --max-errors must be a whole number from 1" {
	local v

	for v in 0 2x -1 '' ' 2' 99999999999999999999; do
		run -2 --separate-stderr pf-lint --max-errors "$v" x.jsonl
		[ "$output" = "" ]
		[ "$stderr" = "pf-lint: --max-errors: '$v' is not a whole number from 1 to 9223372036854775807
$USAGE_HINT" ]
	done
}

@test "pf-lint: --max-line must be a whole number from 1 to 256 MiB" {
	local v

	for v in 0 -1 1k 268435457 18446744073709420544; do
		run -2 --separate-stderr pf-lint --max-line "$v" x.jsonl
		[ "$output" = "" ]
		[ "$stderr" = "pf-lint: --max-line: '$v' is not a whole number from 1 to 268435456
$USAGE_HINT" ]
	done
}

@test "pf-lint: a missing file is an I/O error (exit 2)" {
	run -2 --separate-stderr pf-lint nope.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-lint: nope.jsonl: No such file or directory" ]
}

@test "pf-lint: a missing file does not stop the other files from being checked" {
	use_fixture lint/field-type.bad.jsonl
	run -2 --separate-stderr pf-lint nope.jsonl field-type.bad.jsonl
	[ "$output" = "field-type.bad.jsonl:2:121: error: hand_raise: 'isRaised' must be a boolean, not a string [field-type]" ]
	[ "$stderr" = "pf-lint: nope.jsonl: No such file or directory" ]
}

@test "pf-lint: a directory is an I/O error (exit 2)" {
	mkdir recordings
	run -2 --separate-stderr pf-lint recordings
	[ "$output" = "" ]
	[ "$stderr" = "pf-lint: recordings: Is a directory" ]
}

@test "pf-lint: an empty file is a valid, empty recording" {
	: >empty.jsonl
	run -0 --separate-stderr pf-lint --strict empty.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: empty standard input is a valid, empty recording" {
	run -0 --separate-stderr pf-lint --strict </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: with no FILE it reads standard input and names it <stdin>" {
	run -1 --separate-stderr pf-lint <"$LINT/field-type.bad.jsonl"
	[ "$output" = "<stdin>:2:121: error: hand_raise: 'isRaised' must be a boolean, not a string [field-type]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: - among the files is standard input" {
	use_fixture lint/field-type.bad.jsonl lint/missing-field.bad.jsonl
	run -1 --separate-stderr pf-lint field-type.bad.jsonl - <missing-field.bad.jsonl
	[ "$output" = "field-type.bad.jsonl:2:121: error: hand_raise: 'isRaised' must be a boolean, not a string [field-type]
<stdin>:2:1: error: hand_raise: missing required field 'attendeeName' [missing-field]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: several files are checked in order, each as a recording of its own" {
	use_fixture lint/field-type.bad.jsonl lint/missing-field.good.jsonl lint/missing-field.bad.jsonl
	run -1 --separate-stderr pf-lint field-type.bad.jsonl missing-field.good.jsonl missing-field.bad.jsonl
	# Each file starts with its own session_start: no duplicate-start,
	# no timestamp-backwards across files.
	[ "$output" = "field-type.bad.jsonl:2:121: error: hand_raise: 'isRaised' must be a boolean, not a string [field-type]
missing-field.bad.jsonl:2:1: error: hand_raise: missing required field 'attendeeName' [missing-field]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: a write error on stdout (/dev/full) exits 2 with a message" {
	use_fixture lint/field-type.bad.jsonl
	run -2 --separate-stderr bash -c 'pf-lint field-type.bad.jsonl >/dev/full'
	[ "$output" = "" ]
	[ "$stderr" = "pf-lint: <stdout>: write error: No space left on device" ]
}

@test "pf-lint: --version, --help and --list-rules report a write error on stdout" {
	local opt

	for opt in --version --help --list-rules; do
		run -2 --separate-stderr bash -c "pf-lint $opt >/dev/full"
		[ "$output" = "" ]
		[ "$stderr" = "pf-lint: <stdout>: write error: No space left on device" ]
	done
}

@test "pf-lint: --pass reports a write error on stdout and exits 2" {
	# shellcheck disable=SC2016
	run -2 --separate-stderr bash -c 'pf-lint --pass "$1" >/dev/full' sh "$EXAMPLES/prometheus-101.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-lint: <stdout>: write error: No space left on device" ]
}

@test "pf-lint: a clean recording writes nothing, so a full stdout is no error" {
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c 'pf-lint "$1" >/dev/full' sh "$EXAMPLES/prometheus-101.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

# --- the examples --------------------------------------------------------

@test "pf-lint: the example recording prometheus-101.jsonl is clean" {
	run -0 --separate-stderr pf-lint --strict "$EXAMPLES/prometheus-101.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: the example recording prometheus-101.jsonl.gz is clean" {
	run -0 --separate-stderr pf-lint --strict "$EXAMPLES/prometheus-101.jsonl.gz"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: the example document prometheus-101.json is clean" {
	run -0 --separate-stderr pf-lint --strict "$EXAMPLES/prometheus-101.json"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: the three forms of the example are clean in one run and on stdin" {
	run -0 --separate-stderr pf-lint --strict "$EXAMPLES/prometheus-101.jsonl" \
		"$EXAMPLES/prometheus-101.json" "$EXAMPLES/prometheus-101.jsonl.gz"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-lint --strict - <"$EXAMPLES/prometheus-101.jsonl.gz"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-lint --strict <"$EXAMPLES/prometheus-101.json"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: the examples of pf-lint(1) print what the man page shows" {
	check_man_examples pf-lint
}

@test "pf-lint: the example with mistakes gets its findings in input order" {
	cp "$EXAMPLES/mistakes.jsonl" .
	run -1 --separate-stderr pf-lint mistakes.jsonl
	[ "$output" = "$(cat "$LINT/mistakes.expected")" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: CRLF line endings are accepted without a finding" {
	sed 's/$/\r/' "$EXAMPLES/prometheus-101.jsonl" >crlf.jsonl
	run -0 --separate-stderr pf-lint --strict crlf.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

# --- gzip ----------------------------------------------------------------

@test "pf-lint: gzip input is recognised by its bytes and gets the same findings" {
	gzip -cn <"$LINT/field-type.bad.jsonl" >recording.data
	run -1 --separate-stderr pf-lint recording.data
	[ "$output" = "recording.data:2:121: error: hand_raise: 'isRaised' must be a boolean, not a string [field-type]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: gzip input on standard input is decompressed" {
	gzip -cn <"$LINT/field-type.bad.jsonl" >bad.jsonl.gz
	run -1 --separate-stderr pf-lint <bad.jsonl.gz
	[ "$output" = "<stdin>:2:121: error: hand_raise: 'isRaised' must be a boolean, not a string [field-type]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: a gzip stream without its trailer is reported as truncated on its last line" {
	gzip -cn <"$LINT/field-type.good.jsonl" >full.gz
	head -c "$(($(wc -c <full.gz) - 8))" full.gz >cut.jsonl.gz
	run -0 --separate-stderr pf-lint cut.jsonl.gz
	[ "$output" = "cut.jsonl.gz:2: warning: the gzip stream ends early: the recording is truncated [truncated]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: a gzip stream cut after its header is reported as truncated" {
	gzip -cn <"$LINT/field-type.good.jsonl" >full.gz
	head -c 10 full.gz >cut.jsonl.gz
	run -0 --separate-stderr pf-lint cut.jsonl.gz
	[ "$output" = "cut.jsonl.gz: warning: the gzip stream ends early: the recording is truncated [truncated]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: a gzip stream cut in the middle of a line is truncated, and that line is reported" {
	head -c 5000 "$EXAMPLES/prometheus-101.jsonl.gz" >cut.jsonl.gz
	run -1 --separate-stderr timeout 60 pf-lint cut.jsonl.gz
	assert_wellformed
	[[ "${lines[0]}" == "cut.jsonl.gz:"*": warning: the last line has no newline: the recording may be truncated [truncated]" ]]
	[[ "${lines[1]}" == "cut.jsonl.gz:"*": error: "*" [json-syntax]" ]]
	[[ "${lines[2]}" == "cut.jsonl.gz:"*": warning: the gzip stream ends early: the recording is truncated [truncated]" ]]
	[ "${#lines[@]}" -eq 3 ]
	[ "$stderr" = "" ]
}

@test "pf-lint: concatenated gzip members are read as one recording" {
	gzip -cn <"$LINT/field-type.good.jsonl" >two.gz
	printf '%s\n' "$BEAT" | gzip -cn >>two.gz
	run -0 --separate-stderr pf-lint --strict two.gz
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: gzip data corrupt from its first block is a bad-gzip finding, not an I/O error" {
	printf '\037\213\010\000\000\000\000\000\000\003garbage\n' >corrupt.gz
	run -1 --separate-stderr pf-lint corrupt.gz
	[[ "$output" == "corrupt.gz:1: error: "*" [bad-gzip]" ]]
	[ "${#lines[@]}" -eq 1 ]
	[ "$stderr" = "" ]
}

# --- every rule: a failing and a passing case ------------------------------

@test "pf-lint: json-syntax: a line that is not valid JSON is an error on its line" {
	use_fixture lint/json-syntax.bad.jsonl
	run -1 --separate-stderr pf-lint json-syntax.bad.jsonl
	assert_finding_like json-syntax.bad.jsonl 2 error json-syntax
	[[ "$output" == *": error: invalid JSON: "* ]]
	[ "$stderr" = "" ]
}

@test "pf-lint: json-syntax: the same line closed passes" {
	use_fixture lint/json-syntax.good.jsonl
	run -0 --separate-stderr pf-lint --strict json-syntax.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: not-object: a line holding an array is an error" {
	use_fixture lint/not-object.bad.jsonl
	run -1 --separate-stderr pf-lint not-object.bad.jsonl
	assert_finding_like not-object.bad.jsonl 2 error not-object
	[ "$stderr" = "" ]
}

@test "pf-lint: not-object: lines holding objects pass" {
	use_fixture lint/not-object.good.jsonl
	run -0 --separate-stderr pf-lint --strict not-object.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: invalid-utf8: an invalid byte in a string is an error" {
	printf '%s\n{"type":"chat_message","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","senderName":"T\377m","message":"hi"}\n' \
		"$START" >utf8.jsonl
	run -1 --separate-stderr timeout 60 pf-lint utf8.jsonl
	assert_finding_like utf8.jsonl 2 error invalid-utf8
	[ "$stderr" = "" ]
}

@test "pf-lint: invalid-utf8: multibyte characters and surrogate pairs pass" {
	printf '%s\n{"type":"chat_message","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","senderName":"Zo\303\253 \360\237\230\200","message":"\\ud83d\\ude00 caf\\u00e9"}\n' \
		"$START" >utf8.jsonl
	run -0 --separate-stderr pf-lint --strict utf8.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: nul-byte: a NUL byte in a line is an error" {
	printf '%s\n{"type":"chat_message","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","senderName":"Tom","message":"a\000b"}\n' \
		"$START" >nul.jsonl
	run -1 --separate-stderr timeout 60 pf-lint nul.jsonl
	assert_finding_like nul.jsonl 2 error nul-byte
	[ "$stderr" = "" ]
}

@test "pf-lint: nul-byte: an escaped control character other than NUL passes" {
	printf '%s\n{"type":"chat_message","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","senderName":"Tom","message":"a\\u0001b\\tc"}\n' \
		"$START" >nul.jsonl
	run -0 --separate-stderr pf-lint --strict nul.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: line-too-long: a line over --max-line is an error with its size" {
	write_lines long.jsonl "$START" \
		"{\"type\":\"chat_message\",\"sessionId\":\"abc123\",\"timestamp\":1773324005000,\"senderId\":\"presenter\",\"senderName\":\"Tom\",\"message\":\"$(repeat_byte a 200)\"}"
	run -1 --separate-stderr pf-lint --max-line 200 long.jsonl
	[ "$output" = "long.jsonl:2:1: error: line is 325 bytes, over the limit of 200 [line-too-long]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: line-too-long: a line of exactly --max-line bytes passes" {
	write_lines long.jsonl "$START" \
		"{\"type\":\"chat_message\",\"sessionId\":\"abc123\",\"timestamp\":1773324005000,\"senderId\":\"presenter\",\"senderName\":\"Tom\",\"message\":\"$(repeat_byte a 200)\"}"
	run -0 --separate-stderr pf-lint --strict --max-line 325 long.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: duplicate-key: an object with the same key twice is an error" {
	use_fixture lint/duplicate-key.bad.jsonl
	run -1 --separate-stderr pf-lint duplicate-key.bad.jsonl
	assert_finding_like duplicate-key.bad.jsonl 2 error duplicate-key
	[ "$stderr" = "" ]
}

@test "pf-lint: duplicate-key: the same key in different objects passes" {
	use_fixture lint/duplicate-key.good.jsonl
	run -0 --separate-stderr pf-lint --strict duplicate-key.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: duplicate-key: a duplicated unknown key is one duplicate and one unknown field" {
	printf '%s\n%s\n' "$START" \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","sentAt":1773324005000,"rtt":1,"rtt":2}' >dup.jsonl
	run -1 --separate-stderr pf-lint dup.jsonl
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" =~ ^dup\.jsonl:2:[0-9]+:\ error:\ .+\ \[duplicate-key\]$ ]]
	[ "${lines[1]}" = "dup.jsonl:2:120: warning: heartbeat: unknown field 'rtt' [unknown-field]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: truncated: a last line without a newline is a warning after its end" {
	printf '%s\n%s' "$START" "$BEAT" >cut.jsonl
	run -0 --separate-stderr pf-lint cut.jsonl
	[ "$output" = "cut.jsonl:2:114: warning: the last line has no newline: the recording may be truncated [truncated]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: truncated: a last line with its newline passes" {
	printf '%s\n%s\n' "$START" "$BEAT" >whole.jsonl
	run -0 --separate-stderr pf-lint --strict whole.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: bad-gzip: undecompressible data after a gzip member is an error" {
	gzip -cn <"$LINT/field-type.good.jsonl" >bad.jsonl.gz
	printf 'garbage' >>bad.jsonl.gz
	run -1 --separate-stderr pf-lint bad.jsonl.gz
	[ "$output" = "bad.jsonl.gz:3: error: gzip: incorrect header check: the rest of the input is unreadable [bad-gzip]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: bad-gzip: a whole gzip stream passes" {
	gzip -cn <"$LINT/field-type.good.jsonl" >good.jsonl.gz
	run -0 --separate-stderr pf-lint --strict good.jsonl.gz
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: bom: a byte order mark at the start is a warning" {
	printf '\357\273\277%s\n%s\n' "$START" "$BEAT" >bom.jsonl
	run -0 --separate-stderr pf-lint bom.jsonl
	[ "$output" = "bom.jsonl:1:1: warning: the input starts with a UTF-8 byte order mark [bom]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: bom: U+FEFF inside a string passes" {
	printf '%s\n{"type":"chat_message","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","senderName":"Tom","message":"\357\273\277hi \\ufeff"}\n' \
		"$START" >bom.jsonl
	run -0 --separate-stderr pf-lint --strict bom.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: bom: a byte order mark before a document is a warning" {
	printf '\357\273\277' | cat - "$EXAMPLES/prometheus-101.json" >bom.json
	run -0 --separate-stderr pf-lint bom.json
	[ "$output" = "bom.json:1:1: warning: the input starts with a UTF-8 byte order mark [bom]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: blank-line: an empty line is a warning" {
	use_fixture lint/blank-line.bad.jsonl
	run -0 --separate-stderr pf-lint blank-line.bad.jsonl
	[ "$output" = "blank-line.bad.jsonl:2:1: warning: blank line [blank-line]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: blank-line: a recording without empty lines passes" {
	use_fixture lint/blank-line.good.jsonl
	run -0 --separate-stderr pf-lint --strict blank-line.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: missing-type: an event without type is an error" {
	use_fixture lint/missing-type.bad.jsonl
	run -1 --separate-stderr pf-lint missing-type.bad.jsonl
	[ "$output" = "missing-type.bad.jsonl:2:1: error: missing 'type' [missing-type]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: missing-type: an empty or non-string type is an error at the type" {
	printf '%s\n%s\n%s\n' "$START" \
		'{"type":"","sessionId":"abc123","timestamp":1773324005000}' \
		'{"type":7,"sessionId":"abc123","timestamp":1773324006000}' >type.jsonl
	run -1 --separate-stderr pf-lint type.jsonl
	[ "$output" = "type.jsonl:2:9: error: 'type' must be a non-empty string, not an empty one [missing-type]
type.jsonl:3:9: error: 'type' must be a non-empty string, not an integer [missing-type]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: missing-type: events with a type pass" {
	use_fixture lint/missing-type.good.jsonl
	run -0 --separate-stderr pf-lint --strict missing-type.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: unknown-type: an event type pf does not know is a warning" {
	use_fixture lint/unknown-type.bad.jsonl
	run -0 --separate-stderr pf-lint unknown-type.bad.jsonl
	[ "$output" = "unknown-type.bad.jsonl:2:9: warning: unknown event type 'screen_share' [unknown-type]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: unknown-type: types declared but not yet sent by the app pass" {
	use_fixture lint/unknown-type.good.jsonl
	run -0 --separate-stderr pf-lint --strict unknown-type.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: missing-field: a required field that is absent is an error at the event" {
	use_fixture lint/missing-field.bad.jsonl
	run -1 --separate-stderr pf-lint missing-field.bad.jsonl
	[ "$output" = "missing-field.bad.jsonl:2:1: error: hand_raise: missing required field 'attendeeName' [missing-field]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: missing-field: an event with all its fields passes" {
	use_fixture lint/missing-field.good.jsonl
	run -0 --separate-stderr pf-lint --strict missing-field.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: field-type: a field of the wrong JSON type is an error at its value" {
	use_fixture lint/field-type.bad.jsonl
	run -1 --separate-stderr pf-lint field-type.bad.jsonl
	[ "$output" = "field-type.bad.jsonl:2:121: error: hand_raise: 'isRaised' must be a boolean, not a string [field-type]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: field-type: columns count characters, not bytes" {
	printf '%s\n{"type":"hand_raise","sessionId":"abc123","timestamp":1773324005000,"senderId":"a1b2c3","attendeeName":"Zo\303\253 \360\237\230\200","isRaised":"yes"}\n' \
		"$START" >mb.jsonl
	run -1 --separate-stderr pf-lint mb.jsonl
	[ "$output" = "mb.jsonl:2:123: error: hand_raise: 'isRaised' must be a boolean, not a string [field-type]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: field-type: fields of the right types pass" {
	use_fixture lint/field-type.good.jsonl
	run -0 --separate-stderr pf-lint --strict field-type.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: bad-enum: a targetAction outside its enumeration is an error" {
	use_fixture lint/bad-enum.bad.jsonl
	run -1 --separate-stderr pf-lint bad-enum.bad.jsonl
	[ "$output" = "bad-enum.bad.jsonl:2:126: error: do_it: 'action.targetAction' is 'click'; expected one of button, highlight, formfill, navigate, hover, multistep [bad-enum]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: bad-enum: a targetAction inside its enumeration passes" {
	use_fixture lint/bad-enum.good.jsonl
	run -0 --separate-stderr pf-lint --strict bad-enum.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: field-range: a stepNumber of 0 is an error" {
	use_fixture lint/field-range.bad.jsonl
	run -1 --separate-stderr pf-lint field-range.bad.jsonl
	[ "$output" = "field-range.bad.jsonl:2:144: error: navigation: 'stepNumber' is 0; it must be 1 or more [field-range]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: field-range: a negative sentAt is an error" {
	printf '%s\n%s\n' "$START" \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","sentAt":-1}' >range.jsonl
	run -1 --separate-stderr pf-lint range.jsonl
	[ "$output" = "range.jsonl:2:100: error: heartbeat: 'sentAt' is -1; it must not be negative [field-range]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: field-range: a stepNumber of 1 passes" {
	use_fixture lint/field-range.good.jsonl
	run -0 --separate-stderr pf-lint --strict field-range.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: unknown-field: a field the format does not define is a warning at its value" {
	use_fixture lint/unknown-field.bad.jsonl
	run -0 --separate-stderr pf-lint unknown-field.bad.jsonl
	[ "$output" = "unknown-field.bad.jsonl:2:120: warning: heartbeat: unknown field 'rtt' [unknown-field]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: unknown-field: a field whose name holds a dot is located at its value too" {
	printf '%s\n%s\n' "$START" \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","sentAt":1773324005000,"a.b":1}' >dot.jsonl
	run -0 --separate-stderr pf-lint dot.jsonl
	[ "$output" = "dot.jsonl:2:120: warning: heartbeat: unknown field 'a.b' [unknown-field]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: unknown-field: every optional field of attendee_status passes" {
	use_fixture lint/unknown-field.good.jsonl
	run -0 --separate-stderr pf-lint --strict unknown-field.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: bad-timestamp: a fractional timestamp is an error" {
	use_fixture lint/bad-timestamp.bad.jsonl
	run -1 --separate-stderr pf-lint bad-timestamp.bad.jsonl
	[ "$output" = "bad-timestamp.bad.jsonl:2:54: error: heartbeat: 'timestamp' must be an integer (epoch milliseconds), not a real number [bad-timestamp]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: bad-timestamp: a negative timestamp is an error" {
	printf '%s\n%s\n' "$START" \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":-5,"senderId":"presenter","sentAt":1773324005000}' >neg.jsonl
	run -1 --separate-stderr pf-lint neg.jsonl
	[ "$output" = "neg.jsonl:2:54: error: heartbeat: 'timestamp' is negative (-5) [bad-timestamp]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: bad-timestamp: an integer timestamp passes" {
	use_fixture lint/bad-timestamp.good.jsonl
	run -0 --separate-stderr pf-lint --strict bad-timestamp.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: mixed-timestamps: a relative timestamp after epoch ones is an error" {
	use_fixture lint/mixed-timestamps.bad.jsonl
	run -1 --separate-stderr pf-lint mixed-timestamps.bad.jsonl
	[ "$output" = "mixed-timestamps.bad.jsonl:2:54: error: heartbeat: timestamp 5000 is relative, but line 1 set epoch-millisecond timestamps [mixed-timestamps]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: mixed-timestamps: relative timestamps throughout pass" {
	use_fixture lint/mixed-timestamps.good.jsonl
	run -0 --separate-stderr pf-lint --strict mixed-timestamps.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: timestamp-backwards: a timestamp earlier than the previous one is an error" {
	use_fixture lint/timestamp-backwards.bad.jsonl
	run -1 --separate-stderr pf-lint timestamp-backwards.bad.jsonl
	[ "$output" = "timestamp-backwards.bad.jsonl:2:54: error: heartbeat: timestamp 1773323999000 goes back 1000 ms from line 1 [timestamp-backwards]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: timestamp-backwards: equal timestamps pass" {
	use_fixture lint/timestamp-backwards.good.jsonl
	run -0 --separate-stderr pf-lint --strict timestamp-backwards.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: unknown-value: a mode the app does not have is a warning naming the ones it has" {
	use_fixture lint/unknown-value.bad.jsonl
	run -0 --separate-stderr pf-lint unknown-value.bad.jsonl
	[ "$output" = "unknown-value.bad.jsonl:2:71: warning: attendee_join: 'mode' is 'watch'; the app knows only guided, follow [unknown-value]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: unknown-value: a mode and a status the app has pass" {
	use_fixture lint/unknown-value.good.jsonl
	run -0 --separate-stderr pf-lint --strict unknown-value.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: clock-skew: an attendee's clock two minutes behind the presenter's is a warning" {
	use_fixture lint/clock-skew.bad.jsonl
	run -0 --separate-stderr pf-lint clock-skew.bad.jsonl
	[ "$output" = "clock-skew.bad.jsonl:2:55: warning: hand_raise: timestamp 1773323880000 is 120000 ms from the presenter's on line 1: the attendee's clock is off [clock-skew]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: clock-skew: attendees 3 s behind and 2 s ahead pass" {
	use_fixture lint/clock-skew.good.jsonl
	run -0 --separate-stderr pf-lint --strict clock-skew.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: first-not-start: a recording that does not open with session_start is a warning" {
	use_fixture lint/first-not-start.bad.jsonl
	run -0 --separate-stderr pf-lint first-not-start.bad.jsonl
	[ "$output" = "first-not-start.bad.jsonl:1:1: warning: the session's first event is heartbeat, not session_start [first-not-start]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: first-not-start: the app's order, handshake, attendee_join, session_start, passes" {
	use_fixture lint/first-not-start.good.jsonl
	run -0 --separate-stderr pf-lint --strict first-not-start.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: duplicate-start: a session_start with a changed config is an error naming the first" {
	use_fixture lint/duplicate-start.bad.jsonl
	run -1 --separate-stderr pf-lint duplicate-start.bad.jsonl
	[ "$output" = "duplicate-start.bad.jsonl:2:81: error: session_start: its config differs from the one on line 1 [duplicate-start]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: duplicate-start: one session_start per attendee, one config, and a session_end each pass" {
	use_fixture lint/duplicate-start.good.jsonl
	run -0 --separate-stderr pf-lint --strict duplicate-start.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: after-end: events after session_end are one warning, at the first" {
	use_fixture lint/after-end.bad.jsonl
	run -0 --separate-stderr pf-lint after-end.bad.jsonl
	[ "$output" = "after-end.bad.jsonl:3:1: warning: heartbeat after the session_end on line 2 [after-end]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: after-end: a session_end as the last event passes" {
	use_fixture lint/after-end.good.jsonl
	run -0 --separate-stderr pf-lint --strict after-end.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: unresumed-pause: a pause never resumed is a warning at the pause" {
	use_fixture lint/unresumed-pause.bad.jsonl
	run -0 --separate-stderr pf-lint unresumed-pause.bad.jsonl
	[ "$output" = "unresumed-pause.bad.jsonl:2:1: warning: pause with no resume after it [unresumed-pause]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: unresumed-pause: a pause and its resume pass" {
	use_fixture lint/unresumed-pause.good.jsonl
	run -0 --separate-stderr pf-lint --strict unresumed-pause.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: multiple-sessions: a second sessionId is an error naming the first" {
	use_fixture lint/multiple-sessions.bad.jsonl
	run -1 --separate-stderr pf-lint multiple-sessions.bad.jsonl
	[ "$output" = "multiple-sessions.bad.jsonl:2:33: error: heartbeat: sessionId 'zzz999' differs from 'abc123' on line 1 [multiple-sessions]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: multiple-sessions: one sessionId, and attendee_join without one, pass" {
	use_fixture lint/multiple-sessions.good.jsonl
	run -0 --separate-stderr pf-lint --strict multiple-sessions.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: handshake: a nonce longer than the app takes is a warning" {
	use_fixture lint/handshake.bad.jsonl
	run -0 --separate-stderr pf-lint handshake.bad.jsonl
	[ "$output" = "handshake.bad.jsonl:1:39: warning: presenter_challenge: a nonce of 129 bytes: the app takes 1 to 128 and closes the connection [handshake]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: handshake: a handshake as the app makes it passes" {
	use_fixture lint/handshake.good.jsonl
	run -0 --separate-stderr pf-lint --strict handshake.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: empty-reftarget: an empty refTarget on a highlight is an error" {
	use_fixture lint/empty-reftarget.bad.jsonl
	run -1 --separate-stderr pf-lint empty-reftarget.bad.jsonl
	[ "$output" = "empty-reftarget.bad.jsonl:2:152: error: show_me: 'action.refTarget' is empty for a highlight action [empty-reftarget]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: empty-reftarget: a selector, and an empty refTarget on a multistep, pass" {
	use_fixture lint/empty-reftarget.good.jsonl
	run -0 --separate-stderr pf-lint --strict empty-reftarget.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: formfill-no-value: a formfill without targetValue is a warning" {
	use_fixture lint/formfill-no-value.bad.jsonl
	run -0 --separate-stderr pf-lint formfill-no-value.bad.jsonl
	[ "$output" = "formfill-no-value.bad.jsonl:2:112: warning: show_me: formfill step without 'action.targetValue' [formfill-no-value]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: formfill-no-value: a formfill with its targetValue passes" {
	use_fixture lint/formfill-no-value.good.jsonl
	run -0 --separate-stderr pf-lint --strict formfill-no-value.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: multistep-no-actions: a multistep with empty internalActions is an error" {
	use_fixture lint/multistep-no-actions.bad.jsonl
	run -1 --separate-stderr pf-lint multistep-no-actions.bad.jsonl
	[ "$output" = "multistep-no-actions.bad.jsonl:2:112: error: show_me: multistep step without 'action.internalActions' [multistep-no-actions]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: multistep-no-actions: a multistep with internal actions passes" {
	use_fixture lint/multistep-no-actions.good.jsonl
	run -0 --separate-stderr pf-lint --strict multistep-no-actions.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: bad-coordinates: a coordinate given as a string is an error" {
	use_fixture lint/bad-coordinates.bad.jsonl
	run -1 --separate-stderr pf-lint bad-coordinates.bad.jsonl
	[ "$output" = "bad-coordinates.bad.jsonl:2:176: error: show_me: 'coordinates.x' must be a number, not a string [bad-coordinates]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: bad-coordinates: integer and real coordinates pass" {
	use_fixture lint/bad-coordinates.good.jsonl
	run -0 --separate-stderr pf-lint --strict bad-coordinates.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: repeated-step: the same do_it again within 500 ms is a warning" {
	use_fixture lint/repeated-step.bad.jsonl
	run -0 --separate-stderr pf-lint repeated-step.bad.jsonl
	[ "$output" = "repeated-step.bad.jsonl:3:1: warning: do_it of step 's1' comes 300 ms from the one shown on line 2: Pathfinder drops a repeat closer than 500 ms [repeated-step]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: repeated-step: a repeat 500 ms later, and a show_me of the same step, pass" {
	use_fixture lint/repeated-step.good.jsonl
	run -0 --separate-stderr pf-lint --strict repeated-step.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: selector-syntax: an unclosed bracket is an error naming its character" {
	use_fixture lint/selector-syntax.bad.jsonl
	run -1 --separate-stderr pf-lint selector-syntax.bad.jsonl
	[ "$output" = "selector-syntax.bad.jsonl:2:152: error: selector 'div[data-testid=\"panel\" > button': unclosed '[' at character 4 [selector-syntax]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: selector-syntax: brackets inside quotes, and button text, pass" {
	use_fixture lint/selector-syntax.good.jsonl
	run -0 --separate-stderr pf-lint --strict selector-syntax.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: fragile-selector: a positional selector is a warning" {
	use_fixture lint/fragile-selector.bad.jsonl
	run -0 --separate-stderr pf-lint fragile-selector.bad.jsonl
	[ "$output" = "fragile-selector.bad.jsonl:2:152: warning: selector 'ul.nav > li:nth-of-type(3) > a' uses :nth-of-type: it breaks when the page changes; prefer a data-testid [fragile-selector]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: fragile-selector: a data-testid selector passes" {
	use_fixture lint/fragile-selector.good.jsonl
	run -0 --separate-stderr pf-lint --strict fragile-selector.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: empty-chat: an empty chat message is a warning" {
	use_fixture lint/empty-chat.bad.jsonl
	run -0 --separate-stderr pf-lint empty-chat.bad.jsonl
	[ "$output" = "empty-chat.bad.jsonl:2:123: warning: chat_message: the message is empty [empty-chat]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: empty-chat: a chat message with text passes" {
	use_fixture lint/empty-chat.good.jsonl
	run -0 --separate-stderr pf-lint --strict empty-chat.good.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: document: a recordedAt that is not ISO-8601 is an error at its value" {
	use_fixture lint/document.bad.json
	run -1 --separate-stderr pf-lint document.bad.json
	[ "$output" = "document.bad.json:7:17: error: SessionRecording: 'recordedAt' is 'March 12, 2026', not an ISO-8601 time such as 2026-03-12T14:00:00Z [document]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: document: recordedAt must name a real moment, not only have the shape" {
	for at in 2026-13-45T99:99:99Z 2026-02-29T10:00:00Z 2026-04-31T10:00:00Z \
	    2026-03-12T24:00:00Z 2026-03-12T14:00:00+24:00 2026-03-12T14:00:00. \
	    +026-03-12T14:00:00Z 2026-03-12T14:00:00z; do
		sed "s/2026-03-12T14:00:00Z/$at/" "$LINT/document.good.json" >at.json
		run -1 --separate-stderr pf-lint at.json
		[ "$output" = "at.json:7:17: error: SessionRecording: 'recordedAt' is '$at', not an ISO-8601 time such as 2026-03-12T14:00:00Z [document]" ]
		[ "$stderr" = "" ]
	done
	for at in 2024-02-29T10:00:00Z 2000-02-29T23:59:60.5Z 2026-03-12T14:00:00.123456-09:30; do
		sed "s/2026-03-12T14:00:00Z/$at/" "$LINT/document.good.json" >at.json
		run -0 --separate-stderr pf-lint at.json
		[ "$output" = "" ]
		[ "$stderr" = "" ]
	done
}

@test "pf-lint: document: a missing field of the document is an error at its start" {
	grep -v '"duration"' "$LINT/document.good.json" >nodur.json
	run -1 --separate-stderr pf-lint nodur.json
	[ "$output" = "nodur.json:1:1: error: SessionRecording: missing required field 'duration' [document]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: document: a whole SessionRecording as the app declares it passes" {
	use_fixture lint/document.good.json
	run -0 --separate-stderr pf-lint --strict document.good.json
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: every rule of --list-rules has a failing and a passing test here" {
	local id n missing=

	run -0 --separate-stderr pf-lint --list-rules
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -gt 0 ]
	while read -r id _; do
		n=$(grep -c "^@test \"pf-lint: $id: " "$BATS_TEST_FILENAME" || true)
		[ "$n" -ge 2 ] || missing="$missing $id"
	done <<<"$output"
	if [ -n "$missing" ]; then
		echo "rules without a pair of tests:$missing" >&2
		return 1
	fi
}

# --- options -------------------------------------------------------------

@test "pf-lint: --list-rules lists every rule with its severity and summary" {
	run -0 --separate-stderr pf-lint --list-rules
	[ "$output" = "$(cat "$LINT/rules.txt")" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-lint -l
	[ "$output" = "$(cat "$LINT/rules.txt")" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: findings of several rules come in input order" {
	use_fixture lint/options.jsonl
	run -1 --separate-stderr pf-lint options.jsonl
	[ "$output" = "options.jsonl:2:100: error: heartbeat: 'sentAt' must be an integer, not a string [field-type]
options.jsonl:3:120: warning: heartbeat: unknown field 'rtt' [unknown-field]
options.jsonl:4:126: error: do_it: 'action.targetAction' is 'click'; expected one of button, highlight, formfill, navigate, hover, multistep [bad-enum]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: --format json prints one JSON object per finding" {
	use_fixture lint/options.jsonl
	run -1 --separate-stderr pf-lint --format json options.jsonl
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 3 ]
	printf '%s\n' "$output" | jq -e -s 'length == 3 and all(.[];
		(keys_unsorted == ["file","line","column","severity","rule","message","path"])
		and (.line | type == "number") and (.column | type == "number"))'
	[ "${lines[0]}" = '{"file":"options.jsonl","line":2,"column":100,"severity":"error","rule":"field-type","message":"heartbeat: '"'"'sentAt'"'"' must be an integer, not a string","path":"sentAt"}' ]
	[ "${lines[1]}" = '{"file":"options.jsonl","line":3,"column":120,"severity":"warning","rule":"unknown-field","message":"heartbeat: unknown field '"'"'rtt'"'"'","path":"rtt"}' ]
	[ "${lines[2]}" = '{"file":"options.jsonl","line":4,"column":126,"severity":"error","rule":"bad-enum","message":"do_it: '"'"'action.targetAction'"'"' is '"'"'click'"'"'; expected one of button, highlight, formfill, navigate, hover, multistep","path":"action.targetAction"}' ]
}

@test "pf-lint: --format json escapes quotes in messages" {
	use_fixture lint/selector-syntax.bad.jsonl
	run -1 --separate-stderr pf-lint -f json selector-syntax.bad.jsonl
	[ "$stderr" = "" ]
	[ "$output" = '{"file":"selector-syntax.bad.jsonl","line":2,"column":152,"severity":"error","rule":"selector-syntax","message":"selector '"'"'div[data-testid=\"panel\" > button'"'"': unclosed '"'"'['"'"' at character 4","path":"action.refTarget"}' ]
	jq -e '.message | startswith("selector '"'"'div[data-testid=\"panel\"")' <<<"$output"
}

@test "pf-lint: --format json reports a syntax error as valid JSON too" {
	use_fixture lint/json-syntax.bad.jsonl
	run -1 --separate-stderr pf-lint --format json json-syntax.bad.jsonl
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 1 ]
	jq -e '.file == "json-syntax.bad.jsonl" and .line == 2 and .column > 0 and .severity == "error" and .rule == "json-syntax" and .path == ""' <<<"$output"
}

@test "pf-lint: --format github prints workflow annotations" {
	use_fixture lint/options.jsonl
	run -1 --separate-stderr pf-lint --format github options.jsonl
	[ "$output" = "::error file=options.jsonl,line=2,col=100,title=field-type::heartbeat: 'sentAt' must be an integer, not a string [field-type]
::warning file=options.jsonl,line=3,col=120,title=unknown-field::heartbeat: unknown field 'rtt' [unknown-field]
::error file=options.jsonl,line=4,col=126,title=bad-enum::do_it: 'action.targetAction' is 'click'; expected one of button, highlight, formfill, navigate, hover, multistep [bad-enum]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: --format github escapes commas and colons in the file name and % in the message" {
	printf '%s\n%s\n' "$START" \
		'{"type":"show_me","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","stepId":"s1","action":{"targetAction":"highlight","refTarget":"a[href=\"/100%\"]:nth-child(2)"}}' >'a,b:c.jsonl'
	run -0 --separate-stderr pf-lint --format github 'a,b:c.jsonl'
	[ "$output" = "::warning file=a%2Cb%3Ac.jsonl,line=2,col=152,title=fragile-selector::selector 'a[href=\"/100%25\"]:nth-child(2)' uses :nth-child: it breaks when the page changes; prefer a data-testid [fragile-selector]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: --strict makes warnings fail" {
	use_fixture lint/unknown-field.bad.jsonl
	run -0 --separate-stderr pf-lint unknown-field.bad.jsonl
	[ "$output" = "unknown-field.bad.jsonl:2:120: warning: heartbeat: unknown field 'rtt' [unknown-field]" ]
	[ "$stderr" = "" ]
	run -1 --separate-stderr pf-lint --strict unknown-field.bad.jsonl
	[ "$output" = "unknown-field.bad.jsonl:2:120: warning: heartbeat: unknown field 'rtt' [unknown-field]" ]
	[ "$stderr" = "" ]
	run -1 --separate-stderr pf-lint -s unknown-field.bad.jsonl
	[ "$output" = "unknown-field.bad.jsonl:2:120: warning: heartbeat: unknown field 'rtt' [unknown-field]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: -q hides the warnings and keeps the errors" {
	use_fixture lint/options.jsonl
	run -1 --separate-stderr pf-lint -q options.jsonl
	[ "$output" = "options.jsonl:2:100: error: heartbeat: 'sentAt' must be an integer, not a string [field-type]
options.jsonl:4:126: error: do_it: 'action.targetAction' is 'click'; expected one of button, highlight, formfill, navigate, hover, multistep [bad-enum]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: -q --strict passes a recording with only warnings" {
	use_fixture lint/unknown-field.bad.jsonl
	run -0 --separate-stderr pf-lint --quiet --strict unknown-field.bad.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: --max-errors 2 stops after two errors and reads no further file" {
	use_fixture lint/options.jsonl lint/field-type.bad.jsonl
	printf '%s\n%s\n' "$START" \
		'{"type":"do_it","sessionId":"abc123","timestamp":1773324012000,"senderId":"presenter","stepId":"s1","action":{"targetAction":"click","refTarget":"Save"}}' >more.jsonl
	run -1 --separate-stderr pf-lint --max-errors 2 field-type.bad.jsonl options.jsonl more.jsonl
	[ "$output" = "field-type.bad.jsonl:2:121: error: hand_raise: 'isRaised' must be a boolean, not a string [field-type]
options.jsonl:2:100: error: heartbeat: 'sentAt' must be an integer, not a string [field-type]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: --max-errors 1 stops at the first error" {
	use_fixture lint/options.jsonl
	run -1 --separate-stderr pf-lint -m 1 options.jsonl
	[ "$output" = "options.jsonl:2:100: error: heartbeat: 'sentAt' must be an integer, not a string [field-type]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: --disable a,b turns off both rules" {
	use_fixture lint/options.jsonl
	run -0 --separate-stderr pf-lint --disable field-type,bad-enum options.jsonl
	[ "$output" = "options.jsonl:3:120: warning: heartbeat: unknown field 'rtt' [unknown-field]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: -d can be given several times" {
	use_fixture lint/options.jsonl
	run -1 --separate-stderr pf-lint -d unknown-field -d field-type options.jsonl
	[ "$output" = "options.jsonl:4:126: error: do_it: 'action.targetAction' is 'click'; expected one of button, highlight, formfill, navigate, hover, multistep [bad-enum]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: --pass copies the error-free lines to stdout and the findings to stderr" {
	use_fixture lint/options.jsonl
	run -1 --separate-stderr pf-lint --pass options.jsonl
	[ "$output" = "$(sed -n '1p;3p;5p' options.jsonl)" ]
	[ "$stderr" = "options.jsonl:2:100: error: heartbeat: 'sentAt' must be an integer, not a string [field-type]
options.jsonl:3:120: warning: heartbeat: unknown field 'rtt' [unknown-field]
options.jsonl:4:126: error: do_it: 'action.targetAction' is 'click'; expected one of button, highlight, formfill, navigate, hover, multistep [bad-enum]" ]
}

@test "pf-lint: --pass writes each finding to stderr whole, in one write" {
	need_strace
	pf-test-tool gen 1000 | sed 's/"timestamp":/"timestamp":"x",/' >bad.jsonl
	strace -qq -e trace=write -e signal=none -o trace \
		pf-lint --pass bad.jsonl >/dev/null 2>findings || [ $? = 1 ]
	[ "$(wc -l <findings)" = 1000 ]
	[ "$(head -n 1 findings)" = "bad.jsonl:1:62: error: invalid JSON: expected a string key, found '1' [json-syntax]" ]
	# Unbuffered, stderr took a write(2) for every character.
	[ "$(grep -c '^write(2, ' trace)" = 1000 ]
}

@test "pf-lint: --pass drops a line that is not JSON" {
	use_fixture lint/json-syntax.bad.jsonl
	run -1 --separate-stderr pf-lint --pass json-syntax.bad.jsonl
	[ "$output" = "$(sed -n 1p json-syntax.bad.jsonl)" ]
	[[ "$stderr" =~ ^json-syntax\.bad\.jsonl:2:[0-9]+:\ error:\ .+\ \[json-syntax\]$ ]]
}

@test "pf-lint: --pass on a clean recording copies it whole and exits 0" {
	run -0 --separate-stderr pf-lint --pass <"$EXAMPLES/prometheus-101.jsonl.gz"
	[ "$output" = "$(cat "$EXAMPLES/prometheus-101.jsonl")" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: --pass writes CRLF lines without their CR" {
	printf '%s\r\n%s\r\n' "$START" "$BEAT" >crlf.jsonl
	run -0 --separate-stderr pf-lint --pass crlf.jsonl
	[ "$output" = "$START
$BEAT" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: --pass --format json sends JSON findings to stderr" {
	use_fixture lint/options.jsonl
	run -1 --separate-stderr pf-lint --pass --format json options.jsonl
	[ "$output" = "$(sed -n '1p;3p;5p' options.jsonl)" ]
	[ "${#stderr_lines[@]}" -eq 3 ]
	printf '%s\n' "$stderr" | jq -e -s '[.[].rule] == ["field-type","unknown-field","bad-enum"]'
}

@test "pf-lint: --pass turns a SessionRecording document into its events, one per line" {
	use_fixture lint/document-event.bad.json
	run -1 --separate-stderr pf-lint --pass document-event.bad.json
	[ "$output" = '{"type":"session_start","sessionId":"abc123","timestamp":1773324000000,"config":{"name":"Demo","tutorialUrl":"https://example.com/t/","defaultMode":"guided"}}
{"type":"attendee_join","timestamp":1773324001000,"name":"Ann","mode":"guided"}
{"type":"show_me","sessionId":"abc123","senderId":"presenter","timestamp":1773324002000,"stepId":"s1","action":{"targetAction":"highlight","refTarget":"[data-testid=\"a\"]"}}
{"type":"session_end","sessionId":"abc123","timestamp":1773324020000}' ]
	[ "$stderr" = "document-event.bad.json:16:56: error: do_it: 'action.refTarget' is empty for a button action [empty-reftarget]" ]
}

@test "pf-lint: --pass holds back a document's event with a duplicate key, as it does a line" {
	sed 's/"name": "Ann", "mode": "guided"/"name": "Ann", "mode": "guided", "config": {"a": 1, "a": 2}/' \
	    "$LINT/document.good.json" >dup.json
	run -1 --separate-stderr pf-lint --pass -q dup.json
	[ "$output" = '{"type":"session_start","sessionId":"abc123","timestamp":1773324000000,"config":{"name":"Demo","tutorialUrl":"https://example.com/t/","defaultMode":"guided"}}
{"type":"show_me","sessionId":"abc123","senderId":"presenter","timestamp":1773324002000,"stepId":"s1","action":{"targetAction":"highlight","refTarget":"[data-testid=\"a\"]"}}
{"type":"do_it","sessionId":"abc123","senderId":"presenter","timestamp":1773324003000,"stepId":"s2","action":{"targetAction":"button","refTarget":"Save"}}
{"type":"session_end","sessionId":"abc123","timestamp":1773324020000}' ]
	[ "$stderr" = "dup.json:11:116: error: duplicate key 'a' [duplicate-key]" ]
}

@test "pf-lint: --pass on the example document prints the events of the example recording" {
	run -0 --separate-stderr pf-lint --pass "$EXAMPLES/prometheus-101.json"
	[ "$output" = "$(cat "$EXAMPLES/prometheus-101.jsonl")" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: --max-line applies to a last line without a newline too" {
	printf '%s' "$START" >nonl.jsonl
	run -1 --separate-stderr pf-lint --max-line 157 nonl.jsonl
	[ "$output" = "nonl.jsonl:1:1: error: line is 158 bytes, over the limit of 157 [line-too-long]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: --max-line does not count a CR before the newline" {
	printf '%s\r\n' "$START" >crlf.jsonl
	run -0 --separate-stderr pf-lint --strict --max-line 158 crlf.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: the line after an over-long one is checked normally" {
	write_lines long.jsonl "$START" \
		"{\"type\":\"chat_message\",\"sessionId\":\"abc123\",\"timestamp\":1773324005000,\"senderId\":\"presenter\",\"senderName\":\"Tom\",\"message\":\"$(repeat_byte a 300000)\"}" \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1773324006000,"senderId":"presenter","sentAt":"x"}'
	run -1 --separate-stderr pf-lint --max-line 1000 long.jsonl
	[ "$output" = "long.jsonl:2:1: error: line is 300125 bytes, over the limit of 1000 [line-too-long]
long.jsonl:3:100: error: heartbeat: 'sentAt' must be an integer, not a string [field-type]" ]
	[ "$stderr" = "" ]
}

# --- hostile input -------------------------------------------------------

@test "pf-lint: hostile: a lone surrogate escape is an invalid-utf8 error" {
	printf '%s\n%s\n' "$START" \
		'{"type":"chat_message","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","senderName":"Tom","message":"\ud800"}' >sur.jsonl
	run -1 --separate-stderr timeout 60 pf-lint sur.jsonl
	assert_finding_like sur.jsonl 2 error invalid-utf8
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: an escaped NUL in a string is a nul-byte error" {
	printf '%s\n%s\n' "$START" \
		'{"type":"chat_message","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","senderName":"Tom","message":"a\u0000b"}' >nul.jsonl
	run -1 --separate-stderr timeout 60 pf-lint nul.jsonl
	assert_finding_like nul.jsonl 2 error nul-byte
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: a 5 MiB line is a line-too-long error" {
	{
		printf '%s\n{"type":"chat_message","message":"' "$START"
		repeat_byte a 5242880
		printf '"}\n'
	} >big.jsonl
	run -1 --separate-stderr timeout 60 pf-lint big.jsonl
	[ "$output" = "big.jsonl:2:1: error: line is 5242916 bytes, over the limit of 1048576 [line-too-long]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: a 5 MiB line under a larger --max-line is parsed" {
	{
		printf '%s\n{"type":"chat_message","message":"' "$START"
		repeat_byte a 5242880
		printf '"}\n'
	} >big.jsonl
	run -1 --separate-stderr timeout 60 pf-lint --max-line 6000000 big.jsonl
	[ "$output" = "big.jsonl:2:1: error: chat_message: missing required field 'sessionId' [missing-field]
big.jsonl:2:1: error: chat_message: missing required field 'senderId' [missing-field]
big.jsonl:2:1: error: chat_message: missing required field 'timestamp' [missing-field]
big.jsonl:2:1: error: chat_message: missing required field 'senderName' [missing-field]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: 100,000 nested arrays are a json-syntax error" {
	{
		printf '%s\n' "$START"
		repeat_byte '[' 100000
		printf '\n'
	} >deep.jsonl
	run -1 --separate-stderr timeout 60 pf-lint deep.jsonl
	assert_finding_like deep.jsonl 2 error json-syntax
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: 100,000 balanced nested arrays inside an event are a json-syntax error" {
	{
		printf '%s\n{"type":"heartbeat","x":' "$START"
		repeat_byte '[' 100000
		repeat_byte ']' 100000
		printf '}\n'
	} >deep.jsonl
	run -1 --separate-stderr timeout 60 pf-lint deep.jsonl
	assert_finding_like deep.jsonl 2 error json-syntax
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: 100,000 nested arrays in a document are a json-syntax error" {
	{
		printf '{\n  "events": '
		repeat_byte '[' 100000
		printf '\n}\n'
	} >deep.json
	run -1 --separate-stderr timeout 60 pf-lint deep.json
	assert_finding_like deep.json 2 error json-syntax
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: a document of more than 4 million values is refused at the cap" {
	# 100 KiB of gzip, 10 MB of "0,": 5 million values, about 400 MB
	# parsed.  The cap stops it after 4 million, in bounded memory.
	python3 -c '
import gzip, sys
sys.stdout.buffer.write(gzip.compress(b"{\"id\":\"x\",\"events\":[" + b"0," * 5000000 + b"0]}", 9))' >bomb.json.gz
	run -1 --separate-stderr timeout 60 pf-lint bomb.json.gz
	[ "$output" = "bomb.json.gz:1:8000015: error: more than 4000000 JSON values: over the cap [document]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: U+202E and C1 controls in a message are escaped" {
	printf '%s\n' "$START" >x.jsonl
	printf '{"type":"chat_message","sessionId":"abc123","timestamp":1773324005000,"senderId":"a","senderName":"n","message":"hi","\xe2\x80\xaeevil\xc2\x9b":1}\n' >>x.jsonl
	run -0 --separate-stderr pf-lint x.jsonl
	[ "$output" = "x.jsonl:2:127: warning: chat_message: unknown field '\\u202Eevil\\u009B' [unknown-field]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: 90,000 unknown keys in a line, one of them twice, take linear time" {
	python3 -c '
import sys
head = "{\"type\":\"heartbeat\",\"sessionId\":\"abc123\",\"timestamp\":1773324005000,\"senderId\":\"presenter\",\"sentAt\":1,"
keys = ",".join("\"k%d\":1" % i for i in range(90000))
print(sys.argv[1])
print(head + keys + "}")
print(head + "\"k0\":0," + keys + "}")' "$START" >keys.jsonl
	run -1 --separate-stderr timeout 20 pf-lint keys.jsonl
	[ "$stderr" = "" ]
	[ "${#lines[@]}" = 180001 ]
	[ "$(grep -c '\[unknown-field\]$' <<<"$output")" = 180000 ]
	[[ "${lines[90000]}" =~ ^keys\.jsonl:3:[0-9]+:\ error:\ duplicate\ key\ \'k0\'\ \[duplicate-key\]$ ]]
}

@test "pf-lint: hostile: NaN and Infinity are json-syntax errors" {
	printf '%s\n%s\n%s\n' "$START" \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","sentAt":NaN}' \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1773324006000,"senderId":"presenter","sentAt":-Infinity}' >nan.jsonl
	run -1 --separate-stderr timeout 60 pf-lint nan.jsonl
	[ "${#lines[@]}" -eq 2 ]
	[[ "${lines[0]}" =~ ^nan\.jsonl:2:[0-9]+:\ error:\ .+\ \[json-syntax\]$ ]]
	[[ "${lines[1]}" =~ ^nan\.jsonl:3:[0-9]+:\ error:\ .+\ \[json-syntax\]$ ]]
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: a trailing comma is a json-syntax error" {
	printf '%s\n%s\n' "$START" \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","sentAt":1773324005000,}' >comma.jsonl
	run -1 --separate-stderr timeout 60 pf-lint comma.jsonl
	assert_finding_like comma.jsonl 2 error json-syntax
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: a second byte order mark is a json-syntax error" {
	printf '\357\273\277\357\273\277%s\n' "$START" >bom2.jsonl
	run -1 --separate-stderr timeout 60 pf-lint bom2.jsonl
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "bom2.jsonl:1:1: warning: the input starts with a UTF-8 byte order mark [bom]" ]
	[[ "${lines[1]}" =~ ^bom2\.jsonl:1:[0-9]+:\ error:\ .+\ \[json-syntax\]$ ]]
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: a byte order mark on a later line is a json-syntax error" {
	printf '%s\n\357\273\277%s\n' "$START" "$BEAT" >bom.jsonl
	run -1 --separate-stderr timeout 60 pf-lint bom.jsonl
	assert_finding_like bom.jsonl 2 error json-syntax
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: a line of only spaces and tabs is a blank line" {
	printf '%s\n   \n\t \t\n%s\n' "$START" "$BEAT" >spaces.jsonl
	run -0 --separate-stderr timeout 60 pf-lint spaces.jsonl
	[ "$output" = "spaces.jsonl:2:1: warning: blank line [blank-line]
spaces.jsonl:3:1: warning: blank line [blank-line]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: text that is not JSON is a json-syntax error" {
	printf 'hello world\n' >hello.jsonl
	run -1 --separate-stderr timeout 60 pf-lint hello.jsonl
	assert_finding_like hello.jsonl 1 error json-syntax
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: a document that is not valid JSON is a json-syntax error on its line" {
	sed '5s/,$//' "$LINT/document.good.json" >broken.json
	run -1 --separate-stderr timeout 60 pf-lint broken.json
	assert_finding_like broken.json 6 error json-syntax
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: all 256 byte values give well-formed findings" {
	printf '\000\001\002\003\004\005\006\007\010\011\012\013\014\015\016\017' >bytes.bin
	printf '\020\021\022\023\024\025\026\027\030\031\032\033\034\035\036\037' >>bytes.bin
	local i
	for ((i = 32; i < 256; i++)); do
		# shellcheck disable=SC2059
		printf "\\$(printf '%03o' "$i")" >>bytes.bin
	done
	printf '\n' >>bytes.bin
	[ "$(wc -c <bytes.bin)" -eq 257 ]
	run -1 --separate-stderr timeout 60 pf-lint bytes.bin
	assert_wellformed
	[ "${#lines[@]}" -ge 1 ]
	[ "$stderr" = "" ]
}

@test "pf-lint: hostile: control characters from a recording never split or color a text finding" {
	printf '%s\n%s\n' "$START" \
		'{"type":"x\ny\u001b[31m","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter"}' >ctl.jsonl
	run -0 --separate-stderr pf-lint ctl.jsonl
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" != *[[:cntrl:]]* ]]
	[[ "$output" == "ctl.jsonl:2:9: warning: unknown event type 'x"*"' [unknown-type]" ]]
	[ "$stderr" = "" ]
}

# --- SessionRecording documents ------------------------------------------

@test "pf-lint: a broken event in a document is reported at the line and column of its field" {
	use_fixture lint/document-event.bad.json
	run -1 --separate-stderr pf-lint document-event.bad.json
	[ "$output" = "document-event.bad.json:16:56: error: do_it: 'action.refTarget' is empty for a button action [empty-reftarget]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: --format json gives the JSON path of a broken event's field in a document" {
	use_fixture lint/document-event.bad.json
	run -1 --separate-stderr pf-lint --format json document-event.bad.json
	[ "$output" = '{"file":"document-event.bad.json","line":16,"column":56,"severity":"error","rule":"empty-reftarget","message":"do_it: '"'"'action.refTarget'"'"' is empty for a button action","path":"events[3].action.refTarget"}' ]
	jq -e '.path == "events[3].action.refTarget"' <<<"$output"
	[ "$stderr" = "" ]
}

@test "pf-lint: a seed-variant document (relative times, sessionId, no sender ids) passes" {
	use_fixture lint/document-seed.good.json
	run -0 --separate-stderr pf-lint --strict document-seed.good.json
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: an epoch timestamp in a seed-variant document is a mixed-timestamps error" {
	sed 's/"timestamp": 15000/"timestamp": 1773324015000/' "$LINT/document-seed.good.json" >mixed.json
	run -1 --separate-stderr pf-lint mixed.json
	[ "$output" = "mixed.json:11:38: error: show_me: timestamp 1773324015000 is epoch milliseconds, but line 9 set relative timestamps [mixed-timestamps]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: a document on one line is still a document" {
	jq -c . "$LINT/document-event.bad.json" >one.json
	run -1 --separate-stderr pf-lint --format json one.json
	[ "$stderr" = "" ]
	jq -e '.line == 1 and .rule == "empty-reftarget" and .path == "events[3].action.refTarget"' <<<"$output"
}

@test "pf-lint: a document read from gzip on stdin is checked" {
	gzip -cn <"$LINT/document-event.bad.json" >doc.json.gz
	run -1 --separate-stderr pf-lint <doc.json.gz
	[ "$output" = "<stdin>:16:56: error: do_it: 'action.refTarget' is empty for a button action [empty-reftarget]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: wrong chat and attendee entries of a document are located by path" {
	jq '.chat[0].message = "" | .attendees[0].joinedAt = "x"' "$LINT/document.good.json" >entries.json
	run -1 --separate-stderr pf-lint --format json entries.json
	[ "$stderr" = "" ]
	printf '%s\n' "$output" | jq -e -s '[.[] | [.rule, .path]] == [["empty-chat", "chat[0].message"], ["field-type", "attendees[0].joinedAt"]]'
}

@test "pf-lint: a JSONL recording whose first line is cut short is still checked line by line" {
	printf '%s\n%s\n%s\n' \
		'{"type":"session_start","sessionId":"abc123","timestamp":1773324000000,"config":{"name":"Demo"' \
		"$BEAT" \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1773324010000,"senderId":"presenter","sentAt":"x"}' >cut.jsonl
	run -1 --separate-stderr pf-lint cut.jsonl
	[ "${#lines[@]}" -eq 3 ]
	[[ "${lines[0]}" =~ ^cut\.jsonl:1:[0-9]+:\ error:\ .+\ \[json-syntax\]$ ]]
	[ "${lines[1]}" = "cut.jsonl:2:1: warning: the session's first event is heartbeat, not session_start [first-not-start]" ]
	[ "${lines[2]}" = "cut.jsonl:3:100: error: heartbeat: 'sentAt' must be an integer, not a string [field-type]" ]
	[ "$stderr" = "" ]
}

# --- streams as the app makes them (tests/fixtures/app, FACTS.md) ----------

@test "pf-lint: presenter-side streams shaped as the app sends them lint clean, even with --strict" {
	local f

	for f in two-attendees skewed-clocks leave-only declared-types wire-decoded; do
		cp "$FIXTURES/app/$f.jsonl" .
		run -0 --separate-stderr pf-lint --strict "$f.jsonl"
		[ "$output" = "" ]
		[ "$stderr" = "" ]
	done
}

@test "pf-lint: the app's repeat rule: at 0, 300 and 600 ms only the 300 is dropped" {
	cp "$FIXTURES/app/repeat-0-300-600.jsonl" "$FIXTURES/app/repeat-edges.jsonl" .
	run -0 --separate-stderr pf-lint repeat-0-300-600.jsonl repeat-edges.jsonl
	[ "$output" = "repeat-0-300-600.jsonl:6:1: warning: show_me of step 'add-data-source-step-1' comes 300 ms from the one shown on line 5: Pathfinder drops a repeat closer than 500 ms [repeated-step]
repeat-edges.jsonl:7:1: warning: show_me of step 'add-data-source-step-1' comes 300 ms from the one shown on line 6: Pathfinder drops a repeat closer than 500 ms [repeated-step]" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: a second session id or a changed config in an app stream is still an error" {
	cp "$FIXTURES/app/bad-second-session.jsonl" "$FIXTURES/app/bad-changed-config.jsonl" .
	run -1 --separate-stderr pf-lint bad-second-session.jsonl bad-changed-config.jsonl
	[ "$output" = "bad-second-session.jsonl:8:37: error: session_start: sessionId 'q8w2zk' differs from 'p3x9fa' on line 4 [multiple-sessions]
bad-changed-config.jsonl:8:55: error: session_start: its config differs from the one on line 4 [duplicate-start]" ]
}

@test "pf-lint: an app stream of 50 attendees and an hour of heartbeats lints clean" {
	python3 - <<'EOF2' >big.jsonl
import json
sid, t0 = "p3x9fa", 1773324000000
cfg = {"name": "Big", "tutorialUrl": "https://grafana.com/docs/x/", "defaultMode": "guided"}
out = []
for a in range(50):
    out.append({"type": "presenter_challenge", "nonce": "n%021d" % a})
    out.append({"type": "attendee_join", "name": "A%d" % a, "mode": "guided", "timestamp": t0 + a * 100 - 2000 + a % 7 * 500})
    out.append({"type": "session_start", "sessionId": sid, "config": cfg, "timestamp": t0 + a * 100})
for k in range(1, 721):
    now = t0 + 5000 + k * 5000
    for a in range(50):
        out.append({"type": "heartbeat", "sessionId": sid, "timestamp": now, "senderId": sid, "sentAt": now})
    for a in range(50):
        out.append({"type": "heartbeat", "sessionId": sid, "timestamp": now + 40 - 3000 + a * 100, "senderId": "attendee", "sentAt": now})
    if k % 10 == 0:
        step = {"type": "show_me", "sessionId": sid, "timestamp": now + 1000, "senderId": "presenter", "stepId": "s%d" % k, "action": {"targetAction": "highlight", "refTarget": "[data-testid=\"x\"]", "targetValue": None, "targetComment": None}, "coordinates": {"x": 1, "y": 2}}
        out += [step] * 50
for a in range(50):
    out.append({"type": "session_end", "sessionId": sid, "timestamp": t0 + 4000000})
for e in out:
    print(json.dumps(e, separators=(",", ":")))
EOF2
	[ "$(wc -l <big.jsonl)" = 75800 ]
	run -0 --separate-stderr pf-lint --strict big.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

# --- the event schema's fixtures -----------------------------------------

@test "pf-lint: every event the JSON schema rejects draws an error" {
	local line n=0 st bad=

	while IFS= read -r line; do
		n=$((n + 1))
		printf '%s\n' "$line" >one.jsonl
		st=0
		pf-lint -q one.jsonl >out 2>err || st=$?
		# exit 1, some error on stdout, nothing on stderr
		if [ "$st" -ne 1 ] || [ ! -s out ] || [ -s err ]; then
			bad="$bad $n"
		fi
	done <"$FIXTURES/schema/invalid.jsonl"
	[ "$n" -gt 0 ]
	if [ -n "$bad" ]; then
		echo "lines of schema/invalid.jsonl pf-lint accepts:$bad" >&2
		return 1
	fi
}

@test "pf-lint: every event the JSON schema accepts draws no error" {
	local line n=0 st bad=

	while IFS= read -r line; do
		n=$((n + 1))
		printf '%s\n' "$line" >one.jsonl
		st=0
		pf-lint -q one.jsonl >out 2>err || st=$?
		if [ "$st" -ne 0 ] || [ -s out ] || [ -s err ]; then
			bad="$bad $n"
		fi
	done <"$FIXTURES/schema/valid.jsonl"
	[ "$n" -gt 0 ]
	if [ -n "$bad" ]; then
		echo "lines of schema/valid.jsonl pf-lint rejects:$bad" >&2
		return 1
	fi
}
