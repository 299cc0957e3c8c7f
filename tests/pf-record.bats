#!/usr/bin/env bats
# pf-record: the command line, what it writes for a stream (time, session,
# hygiene), every option, the exit statuses, write errors, signals, and
# crashes (SIGKILL at random moments must leave a readable prefix).
#
# Events that carry a believable timestamp are recorded byte for byte, so
# most outputs are compared exactly.  What pf-record stamps itself (arrival
# times, and the session_end it writes, stamped on "the stream's clock")
# is compared within bounds: the test's clock before and after the run,
# or a window after the last event.  The text of JSON syntax messages
# belongs to the parser and may change: those diagnostics are matched by
# file, line and "invalid JSON: ", as in pf-lint.bats.

load test_helper

setup() {
	pf_setup
}

USAGE_HINT="Try 'pf-record --help'."
# shellcheck disable=SC2153 # EXAMPLES comes from test_helper.bash
EXAMPLE="$EXAMPLES/prometheus-101.jsonl"

# The session of the inline streams: it starts at T0 (158 bytes).
T0=1773324000000
START='{"type":"session_start","sessionId":"abc123","timestamp":1773324000000,"config":{"name":"Demo","tutorialUrl":"https://example.com/t/","defaultMode":"guided"}}'

# ts_of LINE: the timestamp of an event line.
ts_of() {
	[[ $1 =~ \"timestamp\":([0-9]+) ]] && printf '%s' "${BASH_REMATCH[1]}"
}

# The example starts with a session_start at EXAMPLE_T0 and ends with a
# session_end; EXAMPLE_LAST is the time of the event before it.
EXAMPLE_N=$(wc -l <"$EXAMPLE")
EXAMPLE_T0=$(ts_of "$(head -n 1 "$EXAMPLE")")
EXAMPLE_LAST=$(ts_of "$(tail -n 2 "$EXAMPLE" | head -n 1)")
EXAMPLE_END=$(ts_of "$(tail -n 1 "$EXAMPLE")")

# beat S: a heartbeat of session abc123, S seconds after T0 (no newline).
beat() {
	local ts=$((T0 + $1 * 1000))

	printf '{"type":"heartbeat","sessionId":"abc123","timestamp":%d,"senderId":"presenter","sentAt":%d}' "$ts" "$ts"
}

# join LINE...: the lines, one a line, without the final newline (as $(...)
# and $output hold text).
join() {
	local IFS=$'\n'

	printf '%s' "$*"
}

# made_start SID TS [NAME [URL [MODE]]]: the session_start pf-record makes
# up when the stream has none.
made_start() {
	printf '{"type":"session_start","sessionId":"%s","timestamp":%s,"config":{"name":"%s","tutorialUrl":"%s","defaultMode":"%s"}}' \
		"$1" "$2" "${3-Recorded session}" "${4-}" "${5:-guided}"
}

# example_summary: what pf-record says after recording the example.
example_summary() {
	printf 'pf-record: %d events, %s recorded, 0 lines rejected' \
		"$EXAMPLE_N" "$(dur $((EXAMPLE_END - EXAMPLE_T0)))"
}

# now_ms: the wall clock in epoch milliseconds.
now_ms() {
	date +%s%3N
}

# dur MS: a duration as the summary writes it (M:SS, or H:MM:SS).
dur() {
	local s=$(($1 / 1000))

	if [ "$s" -ge 3600 ]; then
		printf '%d:%02d:%02d' $((s / 3600)) $((s / 60 % 60)) $((s % 60))
	else
		printf '%d:%02d' $((s / 60)) $((s % 60))
	fi
}

# assert_end_line LINE REASON LOW HIGH [SID]: LINE is a session_end that
# pf-record wrote for session SID (abc123) with REASON, stamped from LOW to
# HIGH.  Sets END_TS to its timestamp.
assert_end_line() {
	local line=$1 reason=$2 low=$3 high=$4 sid=${5:-abc123}
	local pre="{\"type\":\"session_end\",\"sessionId\":\"$sid\",\"timestamp\":"
	local post=",\"reason\":\"$reason\"}"
	local ts=${line#"$pre"}

	ts=${ts%"$post"}
	if [[ $line != "$pre"*"$post" ]] || ! [[ $ts =~ ^[0-9]+$ ]] ||
		[ "$ts" -lt "$low" ] || [ "$ts" -gt "$high" ]; then
		echo "expected ${pre}[$low..$high]$post" >&2
		echo "got      $line" >&2
		return 1
	fi
	END_TS=$ts
}

# assert_ends TEXT EXPECTED REASON LOW HIGH [SID]: TEXT (a recording read
# into a string) is EXPECTED followed by one session_end of pf-record's
# (see assert_end_line).
assert_ends() {
	local text=$1 expected=$2
	local body=${text%$'\n'*} last=${text##*$'\n'}

	shift 2
	if [ "$text" = "$last" ] || [ "$body" != "$expected" ]; then
		printf 'recorded:\n%s\nexpected, before the session_end:\n%s\n' \
			"$text" "$expected" >&2
		return 1
	fi
	assert_end_line "$last" "$@"
}

# assert_file_ends FILE EXPECTED REASON LOW HIGH [SID]: the same for a file,
# which must end with a newline.
assert_file_ends() {
	local file=$1

	shift
	if [ ! -s "$file" ] || [ -n "$(tail -c 1 "$file")" ]; then
		echo "$file is empty or does not end with a newline" >&2
		return 1
	fi
	assert_ends "$(cat "$file")" "$@"
}

# mask_now TEXT LOW HIGH: TEXT with every 13-digit number from LOW to HIGH
# (an arrival time) written NOW.
mask_now() {
	local text=$1 lo=$2 hi=$3 out='' n

	while [[ $text =~ ([0-9]{13}) ]]; do
		n=${BASH_REMATCH[1]}
		out+=${text%%"$n"*}
		if [ "$n" -ge "$lo" ] && [ "$n" -le "$hi" ]; then
			out+=NOW
		else
			out+=$n
		fi
		text=${text#*"$n"}
	done
	printf '%s' "$out$text"
}

# assert_lint_clean FILE: pf-lint finds nothing at all in FILE.
assert_lint_clean() {
	local st=0 out

	out=$(pf-lint "$1" 2>&1) || st=$?
	if [ "$st" -ne 0 ] || [ -n "$out" ]; then
		echo "pf-lint $1 exited $st:" >&2
		printf '%s\n' "$out" >&2
		return 1
	fi
}

# assert_same FILE1 FILE2: the files hold the same bytes.
assert_same() {
	if ! cmp "$1" "$2" >&2; then
		diff -u "$1" "$2" | head -20 >&2
		return 1
	fi
}

# wait_for_lines FILE N: waits (up to 10 s) until FILE has N lines.
wait_for_lines() {
	local i

	for ((i = 0; i < 500; i++)); do
		[ -f "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ] && return 0
		sleep 0.02
	done
	echo "wait_for_lines: $1 never had $2 lines" >&2
	return 1
}

# wait_for_glob PATTERN: waits (up to 10 s) until a file matches PATTERN,
# such as the temporary file pf-record writes before its first event.
wait_for_glob() {
	local i

	for ((i = 0; i < 500; i++)); do
		compgen -G "$1" >/dev/null && return 0
		sleep 0.02
	done
	echo "wait_for_glob: nothing matched $1" >&2
	return 1
}

# assert_no_temp: no temporary file of pf-record's is left behind.
assert_no_temp() {
	if compgen -G '.*.pf-*' >/dev/null; then
		echo "left behind: $(compgen -G '.*.pf-*')" >&2
		return 1
	fi
}

# start_recorder ARG...: starts pf-record ARG... (under timeout 60) in the
# background, reading the FIFO "in", which the test holds open on fd $IN
# and writes with >&"$IN"; its stdout goes to rec.out, its stderr to
# rec.err.  REC_PID is the pid to signal (timeout passes signals on).
start_recorder() {
	mkfifo in
	exec {IN}<>in
	timeout 60 pf-record "$@" <in >rec.out 2>rec.err 3>&- {IN}>&- &
	REC_PID=$!
}

# finish_recorder: waits for it; STATUS is its exit status.
finish_recorder() {
	STATUS=0
	wait "$REC_PID" || STATUS=$?
	exec {IN}>&-
}

# flip_byte FILE OFFSET: inverts the bits of the byte at OFFSET in FILE.
flip_byte() {
	local b

	b=$(od -An -tu1 -j "$2" -N 1 "$1")
	# shellcheck disable=SC2059
	printf "\\$(printf '%03o' $((b ^ 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# --- the command line ----------------------------------------------------

@test "pf-record: --help prints the usage on stdout and exits 0" {
	local opt

	run -0 --separate-stderr pf-record --help
	[ "${lines[0]}" = "Usage: pf-record [OPTIONS]" ]
	[ "${lines[${#lines[@]} - 1]}" = "Exit status: 0 recorded, 1 some lines were rejected, 2 usage or I/O error." ]
	for opt in output gzip append tee fsync restamp name tutorial-url \
		session-id mode continue no-heartbeat max-line max-duration \
		max-events redact redact-pattern strict quiet help version; do
		[[ "$output" == *" --$opt "* ]]
	done
	[ "$stderr" = "" ]
}

@test "pf-record: -h prints the same usage as --help" {
	run -0 --separate-stderr pf-record --help
	local long=$output
	run -0 --separate-stderr pf-record -h
	[ "$output" = "$long" ]
	[ "$stderr" = "" ]
}

@test "pf-record: --help agrees with the SYNOPSIS of pf-record(1)" {
	check_help_synopsis pf-record
}

@test "pf-record: --version and -V print the name and version" {
	local version
	version=$(pf_version)
	run -0 --separate-stderr pf-record --version
	[ "$output" = "pf-record $version" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-record -V
	[ "$output" = "pf-record $version" ]
	[ "$stderr" = "" ]
}

@test "pf-record: --help and --version report a write error on stdout once, exit 2" {
	local opt

	for opt in --help --version; do
		run -2 --separate-stderr bash -c "pf-record $opt >/dev/full"
		[ "$output" = "" ]
		[ "$stderr" = "pf-record: <stdout>: write error: No space left on device" ]
	done
}

@test "pf-record: an unknown long option is a usage error" {
	run -2 --separate-stderr pf-record --bogus </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: unknown option '--bogus'
$USAGE_HINT" ]
}

@test "pf-record: an unknown short option is a usage error" {
	run -2 --separate-stderr pf-record -x </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: unknown option '-x'
$USAGE_HINT" ]
}

@test "pf-record: an option missing its value is a usage error" {
	local opt

	for opt in --output --fsync --name --tutorial-url --session-id --mode \
		--max-line --max-duration --max-events --redact-pattern; do
		run -2 --separate-stderr pf-record "$opt" </dev/null
		[ "$output" = "" ]
		[ "$stderr" = "pf-record: option '$opt' needs a value
$USAGE_HINT" ]
	done
	run -2 --separate-stderr pf-record -q -o </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: option '-o' needs a value
$USAGE_HINT" ]
}

@test "pf-record: a value given to an option that takes none is a usage error" {
	run -2 --separate-stderr pf-record --tee=x -o rec.jsonl </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: option '--tee' takes no value
$USAGE_HINT" ]
	[ ! -e rec.jsonl ]
}

@test "pf-record: an argument is a usage error: events come on standard input" {
	local arg

	for arg in rec.jsonl -; do
		run -2 --separate-stderr pf-record "$arg" </dev/null
		[ "$output" = "" ]
		[ "$stderr" = "pf-record: unexpected argument '$arg' (events come on standard input)
$USAGE_HINT" ]
	done
	run -2 --separate-stderr pf-record -q -- --tee </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: unexpected argument '--tee' (events come on standard input)
$USAGE_HINT" ]
}

@test "pf-record: --fsync takes always, interval or never" {
	run -2 --separate-stderr pf-record --fsync sometimes </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: --fsync: 'sometimes' is not always, interval or never
$USAGE_HINT" ]
	run -2 --separate-stderr pf-record --fsync '' </dev/null
	[ "$stderr" = "pf-record: --fsync: '' is not always, interval or never
$USAGE_HINT" ]
}

@test "pf-record: --mode takes guided or follow" {
	run -2 --separate-stderr pf-record --mode Guided </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: --mode: 'Guided' is not guided or follow
$USAGE_HINT" ]
}

@test "pf-record: --max-events must be a positive number" {
	local n

	for n in 0 -1 2x '' ' 5' +5 9223372036854775808 99999999999999999999999; do
		run -2 --separate-stderr pf-record --max-events "$n" </dev/null
		[ "$output" = "" ]
		[ "$stderr" = "pf-record: --max-events: '$n' is not a whole number from 1 to 9223372036854775807
$USAGE_HINT" ]
	done
}

@test "pf-record: --max-duration must be a duration of more than 0" {
	local d

	for d in 0 0s 0:00; do
		run -2 --separate-stderr pf-record --max-duration "$d" </dev/null
		[ "$output" = "" ]
		[ "$stderr" = "pf-record: --max-duration: must be more than 0
$USAGE_HINT" ]
	done
	for d in x -1 1h1h 10q ''; do
		run -2 --separate-stderr pf-record --max-duration "$d" </dev/null
		[ "$output" = "" ]
		[ "$stderr" = "pf-record: --max-duration: invalid duration '$d' (examples: 90, 90s, 1:30, 1m30s, 1500ms)
$USAGE_HINT" ]
	done
}

@test "pf-record: --max-line must be a number from 1 to 256 MiB" {
	local n

	for n in 0 -5 1k '' 268435457 99999999999 18446744073709420544 \
		18446744073709551615 99999999999999999999999; do
		run -2 --separate-stderr pf-record --max-line "$n" </dev/null
		[ "$output" = "" ]
		[ "$stderr" = "pf-record: --max-line: '$n' is not a whole number from 1 to 268435456
$USAGE_HINT" ]
	done
	run -0 --separate-stderr pf-record -q --max-line 268435456 <"$EXAMPLE"
	[ "$output" = "$(cat "$EXAMPLE")" ]
	[ "$stderr" = "" ]
}

@test "pf-record: the largest --max-line costs memory only when a line is that long" {
	if ldd "$(command -v pf-record)" 2>/dev/null | grep -q 'lib[a-z]*san'; then
		skip "a sanitizer reserves more address space than the limit"
	fi
	local long
	long="{\"type\":\"chat_message\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 1000)),\"senderId\":\"a1\",\"senderName\":\"Ann\",\"message\":\"$(repeat_byte a 3000000)\"}"
	write_lines in.jsonl "$START" "$long" "$(beat 5)"
	# 128 MiB of address space: not enough for a 256 MiB buffer up front.
	run -0 --separate-stderr bash -c 'ulimit -v 131072; exec pf-record -q --max-line 268435456 -o rec.jsonl' <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	assert_file_ends rec.jsonl "$(cat in.jsonl)" "end of input" $((T0 + 5000)) $((T0 + 15000))
}

@test "pf-record: --session-id must not be empty" {
	run -2 --separate-stderr pf-record --session-id '' </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: --session-id: empty id
$USAGE_HINT" ]
}

@test "pf-record: an invalid --redact-pattern is a usage error" {
	run -2 --separate-stderr pf-record --redact-pattern '(' </dev/null
	[ "$output" = "" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ "${stderr_lines[0]}" == "pf-record: --redact-pattern: invalid pattern '(': "?* ]]
	[ "${stderr_lines[1]}" = "$USAGE_HINT" ]
}

@test "pf-record: --tee needs --output FILE" {
	run -2 --separate-stderr pf-record --tee </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: --tee needs --output FILE
$USAGE_HINT" ]
	run -2 --separate-stderr pf-record --tee -o - </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: --tee needs --output FILE
$USAGE_HINT" ]
}

@test "pf-record: --append needs --output FILE" {
	run -2 --separate-stderr pf-record --append </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: --append needs --output FILE
$USAGE_HINT" ]
	run -2 --separate-stderr pf-record -a -o - </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: --append needs --output FILE
$USAGE_HINT" ]
}

@test "pf-record: a usage error creates no file and reads no input" {
	write_lines in.jsonl "$START"
	run -2 --separate-stderr pf-record -o rec.jsonl --mode x <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: --mode: 'x' is not guided or follow
$USAGE_HINT" ]
	[ ! -e rec.jsonl ]
}

# --- input and output ----------------------------------------------------

@test "pf-record: empty input writes nothing and exits 0" {
	run -0 --separate-stderr pf-record </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: 0 events, 0:00 recorded, 0 lines rejected" ]
	run -0 --separate-stderr pf-record -o rec.jsonl </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: 0 events, 0:00 recorded, 0 lines rejected" ]
	[ -f rec.jsonl ] && [ ! -s rec.jsonl ]
}

@test "pf-record: empty input with gzip output is an empty gzip stream" {
	run -0 --separate-stderr pf-record -o rec.jsonl.gz </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: 0 events, 0:00 recorded, 0 lines rejected" ]
	run -0 gzip -dc rec.jsonl.gz
	[ "$output" = "" ]
}

@test "pf-record: blank lines are ignored, so a blank stream writes nothing" {
	printf '\n   \n\t\n\r\n' >in.jsonl
	run -0 --separate-stderr pf-record <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: 0 events, 0:00 recorded, 0 lines rejected" ]
}

@test "pf-record: the example recording piped through comes out byte for byte" {
	run -0 --separate-stderr pf-record -o copy.jsonl <"$EXAMPLE"
	[ "$output" = "" ]
	[ "$stderr" = "$(example_summary)" ]
	assert_same "$EXAMPLE" copy.jsonl
	assert_lint_clean copy.jsonl
}

@test "pf-record: with no -o, or -o -, the recording goes to stdout" {
	run -0 --separate-stderr pf-record <"$EXAMPLE"
	[ "$output" = "$(cat "$EXAMPLE")" ]
	[ "$stderr" = "$(example_summary)" ]
	run -0 --separate-stderr pf-record -q --output - <"$EXAMPLE"
	[ "$output" = "$(cat "$EXAMPLE")" ]
	[ "$stderr" = "" ]
}

@test "pf-record: gzip input on stdin is decompressed" {
	run -0 --separate-stderr pf-record -o copy.jsonl <"$EXAMPLE.gz"
	[ "$output" = "" ]
	[ "$stderr" = "$(example_summary)" ]
	assert_same "$EXAMPLE" copy.jsonl
}

@test "pf-record: CRLF input is recorded with LF line ends" {
	printf '%s\r\n' "$START" "$(beat 5)" "$(beat 10)" >in.jsonl
	run -0 --separate-stderr pf-record <in.jsonl
	assert_ends "$output" "$(join "$START" "$(beat 5)" "$(beat 10)")" \
		"end of input" $((T0 + 10000)) $((T0 + 20000))
	[[ "$output" != *$'\r'* ]]
	[ "$stderr" = "pf-record: 3 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
}

@test "pf-record: a UTF-8 byte order mark before the first event is dropped" {
	printf '\357\273\277%s\n%s\n' "$START" "$(beat 5)" >in.jsonl
	run -0 --separate-stderr pf-record <in.jsonl
	assert_ends "$output" "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	[ "$stderr" = "pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
}

@test "pf-record: a valid last line without a newline is recorded" {
	printf '%s\n%s' "$START" "$(beat 5)" >in.jsonl
	run -0 --separate-stderr pf-record -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	assert_file_ends rec.jsonl "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	[ "$stderr" = "pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
}

@test "pf-record: a cut last line is rejected as partial, exit 1" {
	printf '%s\n%s\n{"type":"heartbeat","sessionId":"ab' "$START" "$(beat 5)" >in.jsonl
	run -1 --separate-stderr pf-record <in.jsonl
	assert_ends "$output" "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ "${stderr_lines[0]}" == "pf-record: <stdin>:3: partial last line: invalid JSON: "?* ]]
	[ "${stderr_lines[1]}" = "pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 1 line rejected" ]
}

@test "pf-record: an output file in a missing directory is an error (exit 2)" {
	write_lines in.jsonl "$START"
	run -2 --separate-stderr pf-record -o nodir/rec.jsonl <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: nodir/rec.jsonl: No such file or directory" ]
}

@test "pf-record: an output that is a directory is an error (exit 2)" {
	mkdir recordings
	write_lines in.jsonl "$START"
	run -2 --separate-stderr pf-record -o recordings <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: recordings: Is a directory" ]
}

@test "pf-record: an empty, rejected or failed run leaves an existing recording as it was" {
	write_lines rec.jsonl "$START" "$(beat 5)"
	cp rec.jsonl before.jsonl
	run -0 --separate-stderr pf-record -o rec.jsonl </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: 0 events, 0:00 recorded, 0 lines rejected" ]
	assert_same before.jsonl rec.jsonl
	write_lines bad.jsonl 'oops' '{"type":'
	run -1 --separate-stderr pf-record -q -o rec.jsonl <bad.jsonl
	[ "$output" = "" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	assert_same before.jsonl rec.jsonl
	mkdir dir
	run -2 --separate-stderr pf-record -o rec.jsonl <dir
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: <stdin>: read error: Is a directory
pf-record: 0 events, 0:00 recorded, 0 lines rejected" ]
	assert_same before.jsonl rec.jsonl
	gzip -cn before.jsonl >rec.jsonl.gz
	cp rec.jsonl.gz before.jsonl.gz
	run -0 --separate-stderr pf-record -q -o rec.jsonl.gz </dev/null
	assert_same before.jsonl.gz rec.jsonl.gz
	assert_no_temp
}

@test "pf-record: a run with events replaces an existing recording" {
	write_lines rec.jsonl "$START" "$(beat 5)" "$(beat 10)"
	write_lines in.jsonl "$START" "$(beat 7)"
	run -0 --separate-stderr pf-record -q -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	assert_file_ends rec.jsonl "$(cat in.jsonl)" "end of input" $((T0 + 7000)) $((T0 + 17000))
	assert_no_temp
}

@test "pf-record: an output that is the standard input is refused, exit 2, and left alone" {
	write_lines rec.jsonl "$START" "$(beat 5)"
	cp rec.jsonl before.jsonl
	ln rec.jsonl link.jsonl
	for opts in "-o rec.jsonl" "-a -o rec.jsonl" "-o link.jsonl"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr pf-record $opts <rec.jsonl
		[ "$output" = "" ]
		[ "$stderr" = "pf-record: ${opts##* }: the output is the same file as the standard input" ]
		assert_same before.jsonl rec.jsonl
	done
	assert_no_temp
}

@test "pf-record: with stderr closed, diagnostics never land in the recording" {
	write_lines in.jsonl "$START" 'oops' "$(beat 5)"
	run -1 --separate-stderr bash -c 'pf-record -o rec.jsonl <in.jsonl 2>&-'
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	assert_file_ends rec.jsonl "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	assert_lint_clean rec.jsonl
	# With stdout closed as well, --tee copies nowhere, not into the file.
	rm rec.jsonl
	run -1 --separate-stderr bash -c 'pf-record --tee -o rec.jsonl <in.jsonl >&- 2>&-'
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	assert_file_ends rec.jsonl "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	# With stdin closed, reading fails, and the failed run creates nothing.
	run -2 --separate-stderr bash -c 'pf-record -o new.jsonl <&-'
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: <stdin>: read error: Bad file descriptor
pf-record: 0 events, 0:00 recorded, 0 lines rejected" ]
	[ ! -e new.jsonl ]
	assert_no_temp
}

@test "pf-record: a read error on stdin is an error (exit 2)" {
	mkdir dir
	run -2 --separate-stderr pf-record <dir
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: <stdin>: read error: Is a directory
pf-record: 0 events, 0:00 recorded, 0 lines rejected" ]
}

@test "pf-record: a damaged gzip stream is recorded up to the damage, then reported at its line, exit 2" {
	head -n -1 "$EXAMPLE" >feed.jsonl
	gzip -cn feed.jsonl >bad.gz
	# The CRC of the member: all of it inflates, and then fails the check.
	flip_byte bad.gz $(($(wc -c <bad.gz) - 8))
	run -2 --separate-stderr pf-record -o rec.jsonl <bad.gz
	[ "$output" = "" ]
	assert_file_ends rec.jsonl "$(cat feed.jsonl)" "read error" \
		"$EXAMPLE_LAST" $((EXAMPLE_LAST + 10000)) k7m2qx
	[ "$stderr" = "pf-record: <stdin>:$EXAMPLE_N: gzip: incorrect data check
pf-record: $((EXAMPLE_N - 1)) events, $(dur $((END_TS - EXAMPLE_T0))) recorded, 0 lines rejected" ]
}

# --- write errors ----------------------------------------------------------

@test "pf-record: a write error on stdout (/dev/full) exits 2 with a message" {
	write_lines in.jsonl "$START" "$(beat 5)"
	run -2 --separate-stderr bash -c 'pf-record <in.jsonl >/dev/full'
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: <stdout>: write error: No space left on device
pf-record: 0 events, 0:00 recorded, 0 lines rejected" ]
}

@test "pf-record: a write error on -o /dev/full exits 2 with a message naming it" {
	write_lines in.jsonl "$START" "$(beat 5)"
	run -2 --separate-stderr pf-record -o /dev/full <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: /dev/full: write error: No space left on device
pf-record: 0 events, 0:00 recorded, 0 lines rejected" ]
	run -2 --separate-stderr pf-record -z -o /dev/full <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: /dev/full: write error: No space left on device
pf-record: 0 events, 0:00 recorded, 0 lines rejected" ]
}

@test "pf-record: a file size limit exits 2 naming the file, leaving only whole lines" {
	# 1024 bytes hold the first K lines of the example and part of the next.
	local k
	k=$(head -c 1024 "$EXAMPLE" | tr -cd '\n' | wc -c)
	head -n "$k" "$EXAMPLE" >want.jsonl
	[ "$(wc -c <want.jsonl)" -lt 1024 ]
	run -2 --separate-stderr bash -c 'ulimit -f 1; exec pf-record -o small.jsonl' <"$EXAMPLE"
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: small.jsonl: write error: File too large
pf-record: $k events, $(dur $(($(ts_of "$(tail -n 1 want.jsonl)") - EXAMPLE_T0))) recorded, 0 lines rejected" ]
	assert_same want.jsonl small.jsonl
	assert_lint_clean small.jsonl
}

@test "pf-record: a file size limit on gzip output exits 2, and every event it counted can be read" {
	run -2 --separate-stderr bash -c 'ulimit -f 1; exec pf-record -o small.jsonl.gz' <"$EXAMPLE"
	[ "$output" = "" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[ "${stderr_lines[0]}" = "pf-record: small.jsonl.gz: write error: File too large" ]
	[[ "${stderr_lines[1]}" =~ ^pf-record:\ ([0-9]+)\ events,\ [0-9]+:[0-9][0-9]\ recorded,\ 0\ lines\ rejected$ ]]
	local n=${BASH_REMATCH[1]}
	[ "$n" -gt 0 ]
	run --separate-stderr pf-play --no-wait --keep-timestamps -s max small.jsonl.gz
	[ "$status" -lt 128 ]
	[ "$output" = "$(head -n "$n" "$EXAMPLE")" ]
}

# --- the session -----------------------------------------------------------

@test "pf-record: a stream without session_start gets one made up from its sessionId and first timestamp" {
	write_lines in.jsonl "$(beat 5)" "$(beat 10)"
	run -0 --separate-stderr pf-record <in.jsonl
	assert_ends "$output" "$(join "$(made_start abc123 $((T0 + 5000)))" "$(beat 5)" "$(beat 10)")" \
		"end of input" $((T0 + 10000)) $((T0 + 20000))
	[ "$stderr" = "pf-record: 2 events, $(dur $((END_TS - T0 - 5000))) recorded, 0 lines rejected" ]
	printf '%s\n' "$output" >rec.jsonl
	assert_lint_clean rec.jsonl
}

@test "pf-record: joins with no session_start and no sessionId get a random 6-character one after them" {
	local ts=$((T0 + 1000)) id1 id2

	# The joins wait for a session_start in the app's order; the stream
	# ends without one, so one is made up, in that order.
	write_lines in.jsonl "{\"type\":\"attendee_join\",\"timestamp\":$ts,\"name\":\"Priya Raman\",\"mode\":\"guided\"}"
	run -0 --separate-stderr pf-record <in.jsonl
	[ "${lines[0]}" = "$(cat in.jsonl)" ]
	[[ "${lines[1]}" =~ ^\{\"type\":\"session_start\",\"sessionId\":\"([a-z0-9]{6})\", ]]
	id1=${BASH_REMATCH[1]}
	[ "${lines[1]}" = "$(made_start "$id1" "$ts")" ]
	assert_ends "$output" "$(join "$(cat in.jsonl)" "${lines[1]}")" \
		"end of input" "$ts" $((ts + 10000)) "$id1"
	[ "$stderr" = "pf-record: 1 event, 0:00 recorded, 0 lines rejected" ]
	printf '%s\n' "$output" >rec.jsonl
	assert_lint_clean rec.jsonl
	run -0 --separate-stderr pf-record -q <in.jsonl
	[[ "${lines[1]}" =~ ^\{\"type\":\"session_start\",\"sessionId\":\"([a-z0-9]{6})\", ]]
	id2=${BASH_REMATCH[1]}
	[ "$id1" != "$id2" ]
}

@test "pf-record: --name, --tutorial-url, --mode and --session-id fill the made-up session_start" {
	local ts=$((T0 + 1000)) join_line

	join_line="{\"type\":\"attendee_join\",\"timestamp\":$ts,\"name\":\"Priya Raman\",\"mode\":\"follow\"}"
	write_lines in.jsonl "$join_line"
	run -0 --separate-stderr pf-record --name 'Workshop' \
		--tutorial-url https://grafana.com/tutorials/prometheus-101/ \
		--mode follow --session-id zz9zz9 <in.jsonl
	assert_ends "$output" "$(join "$join_line" "$(made_start zz9zz9 "$ts" Workshop https://grafana.com/tutorials/prometheus-101/ follow)")" \
		"end of input" "$ts" $((ts + 10000)) zz9zz9
	[ "$stderr" = "pf-record: 1 event, 0:00 recorded, 0 lines rejected" ]
	printf '%s\n' "$output" >rec.jsonl
	assert_lint_clean rec.jsonl
	run -0 --separate-stderr pf-record -q --name Talk --mode guided <in.jsonl
	[[ "${lines[1]}" == '{"type":"session_start","sessionId":"'??????'","timestamp":'"$ts"',"config":{"name":"Talk","tutorialUrl":"","defaultMode":"guided"}}' ]]
}

@test "pf-record: the made-up session_start escapes its strings as JSON" {
	write_lines in.jsonl "$(beat 5)"
	run -0 --separate-stderr pf-record -q --name $'Say "hi" \\ \xc3\xbcber\ttab' \
		--tutorial-url 'https://x.example/a?b=1&c=<2>' <in.jsonl
	[ "${lines[0]}" = '{"type":"session_start","sessionId":"abc123","timestamp":1773324005000,"config":{"name":"Say \"hi\" \\ über\ttab","tutorialUrl":"https://x.example/a?b=1&c=<2>","defaultMode":"guided"}}' ]
	printf '%s\n' "$output" >rec.jsonl
	assert_lint_clean rec.jsonl
}

@test "pf-record: --session-id does not split a stream that carries its own sessionId" {
	# pf-record(1): "The session id to use when the stream carries none."
	write_lines in.jsonl "$(beat 5)" "$(beat 10)"
	run -0 --separate-stderr pf-record --session-id zz9zz9 -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	assert_file_ends rec.jsonl "$(join "$(made_start abc123 $((T0 + 5000)))" "$(beat 5)" "$(beat 10)")" \
		"end of input" $((T0 + 10000)) $((T0 + 20000))
	assert_lint_clean rec.jsonl
}

@test "pf-record: joins with no sessionId, then events with one: the made-up session_start takes the stream's id" {
	local join_line="{\"type\":\"attendee_join\",\"timestamp\":$((T0 + 1000)),\"name\":\"Priya Raman\",\"mode\":\"guided\"}"

	# attendee_join has no sessionId in the shipped app (FORMATS.md); it is
	# written as it comes, and the id comes with the first event that has
	# one.  --session-id is for a stream that carries none.
	write_lines in.jsonl "$join_line" "$(beat 5)" "$(beat 10)"
	for opt in "" "--session-id zz9zz9"; do
		rm -f rec.jsonl
		# shellcheck disable=SC2086
		run -0 --separate-stderr pf-record -q $opt -o rec.jsonl <in.jsonl
		[ "$output" = "" ]
		[ "$stderr" = "" ]
		assert_file_ends rec.jsonl "$(join "$join_line" "$(made_start abc123 $((T0 + 5000)))" "$(beat 5)" "$(beat 10)")" \
			"end of input" $((T0 + 10000)) $((T0 + 20000))
		assert_lint_clean rec.jsonl
	done
}

@test "pf-record: a session_end that arrives is recorded as is, and ends the recording" {
	local end="{\"type\":\"session_end\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 6000)),\"reason\":\"presenter ended the session\"}"

	write_lines in.jsonl "$START" "$(beat 5)" "$end" "$(beat 7)" "not even JSON"
	run -0 --separate-stderr pf-record <in.jsonl
	[ "$output" = "$(join "$START" "$(beat 5)" "$end")" ]
	[ "$stderr" = "pf-record: 3 events, 0:06 recorded, 0 lines rejected" ]
}

@test "pf-record: --continue records past a session_end and adds none of its own" {
	local end="{\"type\":\"session_end\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 6000)),\"reason\":\"presenter ended the session\"}"

	write_lines in.jsonl "$START" "$(beat 5)" "$end" "$(beat 7)"
	run -0 --separate-stderr pf-record --continue <in.jsonl
	[ "$output" = "$(cat in.jsonl)" ]
	[ "$stderr" = "pf-record: 4 events, 0:07 recorded, 0 lines rejected" ]
}

@test "pf-record: the session_end of an old recording piped in is stamped just after its last event" {
	head -n -1 "$EXAMPLE" >in.jsonl
	run -0 --separate-stderr pf-record -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	assert_file_ends rec.jsonl "$(cat in.jsonl)" "end of input" \
		"$EXAMPLE_LAST" $((EXAMPLE_LAST + 10000)) k7m2qx
	[ "$stderr" = "pf-record: $((EXAMPLE_N - 1)) events, $(dur $((END_TS - EXAMPLE_T0))) recorded, 0 lines rejected" ]
	assert_lint_clean rec.jsonl
}

@test "pf-record: the session_end of a live stream is stamped with the time it is written" {
	local before after

	write_lines in.jsonl '{"type":"heartbeat","sessionId":"abc123","senderId":"presenter","sentAt":1}'
	before=$(now_ms)
	run -0 --separate-stderr pf-record <in.jsonl
	after=$(now_ms)
	[ "$(mask_now "$output" "$before" "$after")" = '{"type":"session_start","sessionId":"abc123","timestamp":NOW,"config":{"name":"Recorded session","tutorialUrl":"","defaultMode":"guided"}}
{"type":"heartbeat","sessionId":"abc123","senderId":"presenter","sentAt":1,"timestamp":NOW}
{"type":"session_end","sessionId":"abc123","timestamp":NOW,"reason":"end of input"}' ]
	[ "$stderr" = "pf-record: 1 event, 0:00 recorded, 0 lines rejected" ]
}

# --- time ------------------------------------------------------------------

@test "pf-record: a missing or implausible timestamp becomes the arrival time, only its bytes change" {
	local before after

	write_lines in.jsonl "$START" \
		'{"type":"heartbeat","sessionId":"abc123","senderId":"presenter","sentAt":1}' \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":15000,"senderId":"presenter","sentAt":2}' \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":"1773324005000","senderId":"presenter","sentAt":3}' \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1773324005000.5,"senderId":"presenter","sentAt":4}' \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":null,"senderId":"presenter","sentAt":5}' \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":-1773324005000,"senderId":"presenter","sentAt":6}' \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":99999999999999,"senderId":"presenter","sentAt":7}' \
		'{"type":"heartbeat", "sessionId" : "abc123" , "timestamp" : 15000 , "senderId":"presenter","sentAt":8}'
	before=$(now_ms)
	run -0 --separate-stderr pf-record <in.jsonl
	after=$(now_ms)
	[ "$(mask_now "$output" "$before" "$after")" = "$START"'
{"type":"heartbeat","sessionId":"abc123","senderId":"presenter","sentAt":1,"timestamp":NOW}
{"type":"heartbeat","sessionId":"abc123","timestamp":NOW,"senderId":"presenter","sentAt":2}
{"type":"heartbeat","sessionId":"abc123","timestamp":NOW,"senderId":"presenter","sentAt":3}
{"type":"heartbeat","sessionId":"abc123","timestamp":NOW,"senderId":"presenter","sentAt":4}
{"type":"heartbeat","sessionId":"abc123","timestamp":NOW,"senderId":"presenter","sentAt":5}
{"type":"heartbeat","sessionId":"abc123","timestamp":NOW,"senderId":"presenter","sentAt":6}
{"type":"heartbeat","sessionId":"abc123","timestamp":NOW,"senderId":"presenter","sentAt":7}
{"type":"heartbeat", "sessionId" : "abc123" , "timestamp" : NOW , "senderId":"presenter","sentAt":8}
{"type":"session_end","sessionId":"abc123","timestamp":NOW,"reason":"end of input"}' ]
	[[ "$stderr" =~ ^pf-record:\ 9\ events,\ [0-9]+:[0-9][0-9]:[0-9][0-9]\ recorded,\ 0\ lines\ rejected$ ]]
}

@test "pf-record: 1e12 ms is the oldest timestamp believed" {
	local before after

	write_lines in.jsonl \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1000000000000,"senderId":"presenter","sentAt":1}' \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":999999999999,"senderId":"presenter","sentAt":2}'
	before=$(now_ms)
	run -0 --separate-stderr pf-record <in.jsonl
	after=$(now_ms)
	[ "$(mask_now "$output" "$before" "$after")" = "$(made_start abc123 1000000000000)"'
{"type":"heartbeat","sessionId":"abc123","timestamp":1000000000000,"senderId":"presenter","sentAt":1}
{"type":"heartbeat","sessionId":"abc123","timestamp":NOW,"senderId":"presenter","sentAt":2}
{"type":"session_end","sessionId":"abc123","timestamp":NOW,"reason":"end of input"}' ]
}

@test "pf-record: a timestamp up to a day ahead of the clock is believed, further is not" {
	local before after soon far

	before=$(now_ms)
	soon=$((before + 23 * 3600 * 1000))
	far=$((before + 25 * 3600 * 1000))
	write_lines in.jsonl \
		"{\"type\":\"heartbeat\",\"sessionId\":\"abc123\",\"timestamp\":$far,\"senderId\":\"presenter\",\"sentAt\":1}" \
		"{\"type\":\"heartbeat\",\"sessionId\":\"abc123\",\"timestamp\":$soon,\"senderId\":\"presenter\",\"sentAt\":2}"
	run -0 --separate-stderr pf-record <in.jsonl
	after=$(now_ms)
	local body=${output%$'\n'*}
	[ "$(mask_now "$body" "$before" "$after")" = "$(made_start abc123 NOW)"'
{"type":"heartbeat","sessionId":"abc123","timestamp":NOW,"senderId":"presenter","sentAt":1}
{"type":"heartbeat","sessionId":"abc123","timestamp":'"$soon"',"senderId":"presenter","sentAt":2}' ]
	# The stream's clock is now 23 hours ahead of the wall clock.
	assert_end_line "${output##*$'\n'}" "end of input" "$soon" $((soon + 10000))
	[[ "${lines[0]}" =~ \"timestamp\":([0-9]+) ]]
	[ "$stderr" = "pf-record: 2 events, $(dur $((END_TS - BASH_REMATCH[1]))) recorded, 0 lines rejected" ]
}

@test "pf-record: --restamp stamps every event, session_start included, with its arrival time" {
	local before after

	write_lines in.jsonl "$START" "$(beat 5)" "$(beat 10)"
	before=$(now_ms)
	run -0 --separate-stderr pf-record --restamp <in.jsonl
	after=$(now_ms)
	[ "$(mask_now "$output" "$before" "$after")" = '{"type":"session_start","sessionId":"abc123","timestamp":NOW,"config":{"name":"Demo","tutorialUrl":"https://example.com/t/","defaultMode":"guided"}}
{"type":"heartbeat","sessionId":"abc123","timestamp":NOW,"senderId":"presenter","sentAt":1773324005000}
{"type":"heartbeat","sessionId":"abc123","timestamp":NOW,"senderId":"presenter","sentAt":1773324010000}
{"type":"session_end","sessionId":"abc123","timestamp":NOW,"reason":"end of input"}' ]
	[ "$stderr" = "pf-record: 3 events, 0:00 recorded, 0 lines rejected" ]
}

@test "pf-record: a timestamp going backwards is recorded as the previous one, in place, with a warning" {
	write_lines in.jsonl "$START" "$(beat 10)" "$(beat 5)" "$(beat 8)" "$(beat 12)"
	run -0 --separate-stderr pf-record <in.jsonl
	assert_ends "$output" "$(join "$START" "$(beat 10)" \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1773324010000,"senderId":"presenter","sentAt":1773324005000}' \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1773324010000,"senderId":"presenter","sentAt":1773324008000}' \
		"$(beat 12)")" "end of input" $((T0 + 12000)) $((T0 + 22000))
	[ "$stderr" = "pf-record: <stdin>:3: warning: timestamp goes back 5000 ms; recorded as the previous one
pf-record: <stdin>:4: warning: timestamp goes back 2000 ms; recorded as the previous one
pf-record: 5 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
}

@test "pf-record: -q silences the summary and the timestamp warnings, not the rejected lines" {
	write_lines in.jsonl "$START" "$(beat 10)" "$(beat 5)" '{"no":"type"}'
	run -1 --separate-stderr pf-record -q <in.jsonl
	assert_ends "$output" "$(join "$START" "$(beat 10)" \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1773324010000,"senderId":"presenter","sentAt":1773324005000}')" \
		"end of input" $((T0 + 10000)) $((T0 + 20000))
	[ "$stderr" = 'pf-record: <stdin>:4: not an event: no "type" string' ]
	run -1 --separate-stderr pf-record --quiet <in.jsonl
	[ "$stderr" = 'pf-record: <stdin>:4: not an event: no "type" string' ]
}

# --- input hygiene ---------------------------------------------------------

@test "pf-record: handshake messages are dropped and counted" {
	write_lines in.jsonl "$START" \
		'{"type":"presenter_challenge","nonce":"n0nce"}' \
		'{"type":"presenter_response","nonce":"n0nce","signature":"c2ln"}' \
		"$(beat 5)"
	run -0 --separate-stderr pf-record -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	assert_file_ends rec.jsonl "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	[ "$stderr" = "pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected, 2 dropped" ]
	assert_lint_clean rec.jsonl
}

@test "pf-record: a handshake before any event starts no session" {
	write_lines in.jsonl '{"type":"presenter_challenge","nonce":"n0nce"}'
	run -0 --separate-stderr pf-record <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: 0 events, 0:00 recorded, 0 lines rejected, 1 dropped" ]
}

@test "pf-record: --no-heartbeat drops heartbeats and counts them" {
	local chat="{\"type\":\"chat_message\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 6000)),\"senderId\":\"a1\",\"senderName\":\"Ann\",\"message\":\"hi\"}"

	write_lines in.jsonl "$START" "$(beat 5)" "$chat" "$(beat 10)"
	run -0 --separate-stderr pf-record --no-heartbeat -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	assert_file_ends rec.jsonl "$(join "$START" "$chat")" \
		"end of input" $((T0 + 6000)) $((T0 + 16000))
	[ "$stderr" = "pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected, 2 dropped" ]
	assert_lint_clean rec.jsonl
	# Without it, heartbeats are kept.
	run -0 --separate-stderr pf-record -q <in.jsonl
	assert_ends "$output" "$(cat in.jsonl)" "end of input" $((T0 + 10000)) $((T0 + 20000))
}

@test "pf-record: bad lines are reported with their line number and not written, exit 1" {
	write_lines in.jsonl "$START" 'not json' '{"x":1}' '{"type":""}' '{"type":5}' \
		'[1]' '"text"' '' '   ' "$(beat 5)" '{"type":"heartbeat","type":"heartbeat"}'
	run -1 --separate-stderr pf-record <in.jsonl
	assert_ends "$output" "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	[ "${#stderr_lines[@]}" -eq 8 ]
	[[ "${stderr_lines[0]}" == "pf-record: <stdin>:2: invalid JSON: "?* ]]
	[ "${stderr_lines[1]}" = 'pf-record: <stdin>:3: not an event: no "type" string' ]
	[ "${stderr_lines[2]}" = 'pf-record: <stdin>:4: not an event: no "type" string' ]
	[ "${stderr_lines[3]}" = 'pf-record: <stdin>:5: not an event: no "type" string' ]
	[[ "${stderr_lines[4]}" == "pf-record: <stdin>:6: "?* ]]
	[[ "${stderr_lines[5]}" == "pf-record: <stdin>:7: "?* ]]
	[[ "${stderr_lines[6]}" == "pf-record: <stdin>:11: "?* ]]
	[ "${stderr_lines[7]}" = "pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 7 lines rejected" ]
}

@test "pf-record: invalid UTF-8 and NUL bytes are rejected" {
	printf '%s\n{"type":"chat_message","sessionId":"abc123","timestamp":1773324005000,"senderId":"a1","senderName":"Ann","message":"caf\351"}\n{"type":"chat_message","sessionId":"abc123","timestamp":1773324005000,"senderId":"a1","senderName":"Ann","message":"a\\u0000b"}\n{"type":"chat_message","sessionId":"abc123","timestamp":1773324005000,"senderId":"a1","senderName":"Ann","message":"a\000b"}\n' \
		"$START" >in.jsonl
	run -1 --separate-stderr pf-record <in.jsonl
	assert_ends "$output" "$START" "end of input" "$T0" $((T0 + 10000))
	[ "${#stderr_lines[@]}" -eq 4 ]
	[[ "${stderr_lines[0]}" == "pf-record: <stdin>:2: "?* ]]
	[[ "${stderr_lines[1]}" == "pf-record: <stdin>:3: "?* ]]
	[[ "${stderr_lines[2]}" == "pf-record: <stdin>:4: "?* ]]
	[ "${stderr_lines[3]}" = "pf-record: 1 event, 0:00 recorded, 3 lines rejected" ]
}

@test "pf-record: --max-line accepts a line of BYTES and rejects a longer one" {
	write_lines in.jsonl "$START" "$(beat 5)"
	run -0 --separate-stderr pf-record --max-line 158 <in.jsonl
	assert_ends "$output" "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	[ "$stderr" = "pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
	run -1 --separate-stderr pf-record --max-line 157 <in.jsonl
	assert_ends "$output" "$(join "$(made_start abc123 $((T0 + 5000)))" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	[ "$stderr" = "pf-record: <stdin>:1: line is 158 bytes, over the limit of 157 (--max-line)
pf-record: 1 event, 0:00 recorded, 1 line rejected" ]
}

@test "pf-record: --max-line does not count the CR of a CRLF line, accepting or rejecting it" {
	printf '%s\r\n%s\r\n' "$START" "$(beat 5)" >in.jsonl
	run -0 --separate-stderr pf-record -q --max-line 158 <in.jsonl
	assert_ends "$output" "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	run -1 --separate-stderr pf-record -q --max-line 157 <in.jsonl
	[ "$stderr" = "pf-record: <stdin>:1: line is 158 bytes, over the limit of 157 (--max-line)" ]
}

@test "pf-record: a line over 1 MiB is rejected by default, and the next one is read" {
	local long

	long="{\"type\":\"chat_message\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 1000)),\"senderId\":\"a1\",\"senderName\":\"Ann\",\"message\":\"$(repeat_byte a 1048576)\"}"

	write_lines in.jsonl "$START" "$long" "$(beat 5)"
	run -1 --separate-stderr pf-record <in.jsonl
	assert_ends "$output" "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	[ "$stderr" = "pf-record: <stdin>:2: line is ${#long} bytes, over the limit of 1048576 (--max-line)
pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 1 line rejected" ]
}

@test "pf-record: --strict stops at the first bad line with a session_end saying so, exit 1" {
	write_lines in.jsonl "$START" "$(beat 5)" 'oops' "$(beat 7)" 'again'
	run -1 --separate-stderr pf-record --strict <in.jsonl
	assert_ends "$output" "$(join "$START" "$(beat 5)")" \
		"stopped at a bad line (--strict)" $((T0 + 5000)) $((T0 + 15000))
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ "${stderr_lines[0]}" == "pf-record: <stdin>:3: invalid JSON: "?* ]]
	[ "${stderr_lines[1]}" = "pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 1 line rejected" ]
}

@test "pf-record: --strict stops at an over-long line" {
	local long

	long="{\"type\":\"chat_message\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 6000)),\"senderId\":\"a1\",\"senderName\":\"Ann\",\"message\":\"$(repeat_byte a 100)\"}"

	write_lines in.jsonl "$START" "$(beat 5)" "$long" "$(beat 7)"
	run -1 --separate-stderr pf-record --strict --max-line 158 <in.jsonl
	assert_ends "$output" "$(join "$START" "$(beat 5)")" \
		"stopped at a bad line (--strict)" $((T0 + 5000)) $((T0 + 15000))
	[ "$stderr" = "pf-record: <stdin>:3: line is ${#long} bytes, over the limit of 158 (--max-line)
pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 1 line rejected" ]
}

@test "pf-record: --strict with a bad first line writes nothing, exit 1" {
	write_lines in.jsonl '{"type":' "$START"
	run -1 --separate-stderr pf-record --strict <in.jsonl
	[ "$output" = "" ]
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ "${stderr_lines[0]}" == "pf-record: <stdin>:1: invalid JSON: "?* ]]
	[ "${stderr_lines[1]}" = "pf-record: 0 events, 0:00 recorded, 1 line rejected" ]
}

@test "pf-record: without --strict a bad line does not stop the recording" {
	write_lines in.jsonl "$START" 'oops' "$(beat 5)"
	run -1 --separate-stderr pf-record -q <in.jsonl
	assert_ends "$output" "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
}

# --- limits ------------------------------------------------------------------

@test "pf-record: --max-events N stops after N events with a session_end saying so" {
	write_lines in.jsonl "$START" "$(beat 5)" "$(beat 10)" "$(beat 15)"
	run -0 --separate-stderr pf-record --max-events 2 <in.jsonl
	assert_ends "$output" "$(join "$START" "$(beat 5)")" \
		"max-events reached" $((T0 + 5000)) $((T0 + 15000))
	[ "$stderr" = "pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
}

@test "pf-record: --max-events does not count the session_start it makes up" {
	write_lines in.jsonl "$(beat 5)" "$(beat 10)"
	run -0 --separate-stderr pf-record --max-events 1 <in.jsonl
	assert_ends "$output" "$(join "$(made_start abc123 $((T0 + 5000)))" "$(beat 5)")" \
		"max-events reached" $((T0 + 5000)) $((T0 + 15000))
	[ "$stderr" = "pf-record: 1 event, 0:00 recorded, 0 lines rejected" ]
}

@test "pf-record: --max-events larger than the stream changes nothing" {
	run -0 --separate-stderr pf-record --max-events 1000 <"$EXAMPLE"
	[ "$output" = "$(cat "$EXAMPLE")" ]
	[ "$stderr" = "$(example_summary)" ]
}

@test "pf-record: --max-duration stops a stream that never ends, within 10 s" {
	local t1 t2

	mkfifo in
	exec {IN}<>in
	write_lines head.jsonl "$START" "$(beat 5)"
	cat head.jsonl >&"$IN"
	t1=$(now_ms)
	run -0 --separate-stderr timeout 60 pf-record --max-duration 1s {IN}>&- <in
	t2=$(now_ms)
	exec {IN}>&-
	[ $((t2 - t1)) -ge 900 ]
	[ $((t2 - t1)) -lt 10000 ]
	# The session_end is about a second after the last event.
	assert_ends "$output" "$(cat head.jsonl)" "max-duration reached" \
		$((T0 + 5000 + 500)) $((T0 + 5000 + 10000))
	[ "$stderr" = "pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
}

@test "pf-record: --max-duration longer than the stream changes nothing" {
	local d

	for d in 1h30m 5400 1:30:00 1500ms; do
		run -0 --separate-stderr pf-record --max-duration "$d" <"$EXAMPLE"
		[ "$output" = "$(cat "$EXAMPLE")" ]
		[ "$stderr" = "$(example_summary)" ]
	done
}

# --- redaction ---------------------------------------------------------------

@test "pf-record: --redact masks formfill values, secret members and secret-looking strings" {
	write_lines in.jsonl "$START" \
		'{"type":"do_it","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","stepId":"s1","action":{"targetAction":"formfill","refTarget":"input[name=q]","targetValue":"up{job=\"x\"}"}}' \
		'{"type":"chat_message","sessionId":"abc123","timestamp":1773324006000,"senderId":"a1","senderName":"Ann","message":"mail ann@example.com, token=abc123def, glsa_ABCDEFGHIJKLMNOPQRSTUV, AKIAABCDEFGHIJKLMNOP, ghp_abcdefghijklmnopqrstuvwxyz, Bearer abcdefgh12345678, eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefghijk, api_key: xyz987; plain words stay"}' \
		'{"type":"do_it","sessionId":"abc123","timestamp":1773324007000,"senderId":"presenter","stepId":"s2","action":{"targetAction":"multistep","refTarget":"s2","internalActions":[{"targetAction":"formfill","refTarget":"#pw","targetValue":"hunter2"},{"targetAction":"button","refTarget":"Save"}]}}' \
		'{"type":"chat_message","sessionId":"abc123","timestamp":1773324008000,"senderId":"a1","senderName":"Ann","message":"see INC-12345","password":"x","extra":{"Token":"t0","n":1}}' \
		'{"type":"show_me","sessionId":"abc123","timestamp":1773324009000,"senderId":"presenter","stepId":"s3","action":{"targetAction":"highlight","refTarget":"button[data-testid=\"save\"]","targetValue":"not a form","targetComment":"Click <b>Save</b>"}}'
	run -0 --separate-stderr pf-record --redact <in.jsonl
	assert_ends "$output" "$(join "$START" \
		'{"type":"do_it","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","stepId":"s1","action":{"targetAction":"formfill","refTarget":"input[name=q]","targetValue":"[REDACTED]"}}' \
		'{"type":"chat_message","sessionId":"abc123","timestamp":1773324006000,"senderId":"a1","senderName":"Ann","message":"mail [REDACTED], [REDACTED], [REDACTED], [REDACTED], [REDACTED], [REDACTED], [REDACTED], [REDACTED]; plain words stay"}' \
		'{"type":"do_it","sessionId":"abc123","timestamp":1773324007000,"senderId":"presenter","stepId":"s2","action":{"targetAction":"multistep","refTarget":"s2","internalActions":[{"targetAction":"formfill","refTarget":"#pw","targetValue":"[REDACTED]"},{"targetAction":"button","refTarget":"Save"}]}}' \
		'{"type":"chat_message","sessionId":"abc123","timestamp":1773324008000,"senderId":"a1","senderName":"Ann","message":"see INC-12345","password":"[REDACTED]","extra":{"Token":"[REDACTED]","n":1}}' \
		'{"type":"show_me","sessionId":"abc123","timestamp":1773324009000,"senderId":"presenter","stepId":"s3","action":{"targetAction":"highlight","refTarget":"button[data-testid=\"save\"]","targetValue":"not a form","targetComment":"Click <b>Save</b>"}}')" \
		"end of input" $((T0 + 9000)) $((T0 + 19000))
	[ "$stderr" = "pf-record: 6 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
}

@test "pf-record: --redact leaves an event with nothing to mask byte for byte" {
	local spaced='{"type":"chat_message", "sessionId" : "abc123", "timestamp":1773324006000, "senderId":"a1","senderName":"Ann","message":"nothing secret"}'

	write_lines in.jsonl "$START" "$spaced"
	run -0 --separate-stderr pf-record -q --redact <in.jsonl
	assert_ends "$output" "$(join "$START" "$spaced")" \
		"end of input" $((T0 + 6000)) $((T0 + 16000))
}

@test "pf-record: --redact-pattern masks what matches, implies --redact, and can be repeated" {
	write_lines in.jsonl "$START" \
		'{"type":"do_it","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","stepId":"s1","action":{"targetAction":"formfill","refTarget":"#q","targetValue":"x"}}' \
		'{"type":"chat_message","sessionId":"abc123","timestamp":1773324006000,"senderId":"a1","senderName":"Ann","message":"tickets INC-12345 and INC-9 on host db-7"}'
	run -0 --separate-stderr pf-record --redact-pattern 'INC-[0-9]+' --redact-pattern 'db-[0-9]' <in.jsonl
	assert_ends "$output" "$(join "$START" \
		'{"type":"do_it","sessionId":"abc123","timestamp":1773324005000,"senderId":"presenter","stepId":"s1","action":{"targetAction":"formfill","refTarget":"#q","targetValue":"[REDACTED]"}}' \
		'{"type":"chat_message","sessionId":"abc123","timestamp":1773324006000,"senderId":"a1","senderName":"Ann","message":"tickets [REDACTED] and [REDACTED] on host [REDACTED]"}')" \
		"end of input" $((T0 + 6000)) $((T0 + 16000))
	[ "$stderr" = "pf-record: 3 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
}

@test "pf-record: --redact masks an event that also gets the arrival time" {
	local before after

	write_lines in.jsonl "$START" \
		'{"type":"do_it","sessionId":"abc123","timestamp":15,"senderId":"presenter","stepId":"s1","action":{"targetAction":"formfill","refTarget":"#q","targetValue":"secret"}}'
	before=$(now_ms)
	run -0 --separate-stderr pf-record -q --redact <in.jsonl
	after=$(now_ms)
	[ "$(mask_now "$output" "$before" "$after")" = "$START"'
{"type":"do_it","sessionId":"abc123","timestamp":NOW,"senderId":"presenter","stepId":"s1","action":{"targetAction":"formfill","refTarget":"#q","targetValue":"[REDACTED]"}}
{"type":"session_end","sessionId":"abc123","timestamp":NOW,"reason":"end of input"}' ]
}

# --- tee, gzip, fsync ----------------------------------------------------------

@test "pf-record: --tee copies every line it records to stdout" {
	write_lines in.jsonl "$(beat 5)" '{"type":"presenter_challenge","nonce":"n"}' 'bad' "$(beat 10)"
	run -1 --separate-stderr pf-record --tee -o rec.jsonl <in.jsonl
	[ "$output" = "$(cat rec.jsonl)" ]
	assert_file_ends rec.jsonl "$(join "$(made_start abc123 $((T0 + 5000)))" "$(beat 5)" "$(beat 10)")" \
		"end of input" $((T0 + 10000)) $((T0 + 20000))
	[ "${#stderr_lines[@]}" -eq 2 ]
	[[ "${stderr_lines[0]}" == "pf-record: <stdin>:3: invalid JSON: "?* ]]
	[ "${stderr_lines[1]}" = "pf-record: 2 events, $(dur $((END_TS - T0 - 5000))) recorded, 1 line rejected, 1 dropped" ]
}

@test "pf-record: --tee copies plain lines when the recording is gzip" {
	write_lines in.jsonl "$START" "$(beat 5)"
	run -0 --separate-stderr pf-record -q --tee -o rec.jsonl.gz <in.jsonl
	[ "$output" = "$(gzip -dc rec.jsonl.gz)" ]
	assert_ends "$output" "$(cat in.jsonl)" "end of input" $((T0 + 5000)) $((T0 + 15000))
}

@test "pf-record: --tee to a failing stdout stops copying with a warning, and recording goes on" {
	write_lines in.jsonl "$START" "$(beat 5)"
	run -0 --separate-stderr bash -c 'pf-record --tee -o rec.jsonl <in.jsonl >/dev/full'
	[ "$output" = "" ]
	assert_file_ends rec.jsonl "$(cat in.jsonl)" "end of input" $((T0 + 5000)) $((T0 + 15000))
	[ "$stderr" = "pf-record: <stdout>: warning: write error: No space left on device; no longer copying events
pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
}

@test "pf-record: --tee into a reader that stops reading drops the copy with a warning, and recording goes on" {
	pf-test-tool gen 2000 >feed.jsonl
	# Held open and never read: the pipe fills after 64 KiB.
	mkfifo tee.fifo
	exec {T}<>tee.fifo
	run -0 --separate-stderr bash -c 'timeout -k 5 60 pf-record --tee -o rec.jsonl <feed.jsonl >tee.fifo'
	exec {T}>&-
	[ "$output" = "" ]
	assert_same feed.jsonl rec.jsonl
	[ "$stderr" = "pf-record: <stdout>: warning: full, its reader is not keeping up; no longer copying events
pf-record: 2000 events, 33:19 recorded, 0 lines rejected" ]
}

@test "pf-record: --tee into a reader that stops reading does not keep SIGINT from stopping it" {
	pf-test-tool gen 2000 | head -n -1 >feed.jsonl
	mkfifo in tee.fifo
	exec {IN}<>in {T}<>tee.fifo
	timeout -k 5 60 pf-record --tee -o rec.jsonl <in >tee.fifo 2>rec.err {IN}>&- {T}>&- &
	REC_PID=$!
	# In the background: a recorder stuck on its copy would never read it.
	cat feed.jsonl >&"$IN" &
	local feeder=$!
	wait_for_lines rec.jsonl 1999
	kill -s INT "$REC_PID"
	finish_recorder
	kill "$feeder" 2>/dev/null || true
	wait "$feeder" || true
	exec {T}>&-
	[ "$STATUS" -eq 0 ]
	assert_file_ends rec.jsonl "$(cat feed.jsonl)" "interrupted (SIGINT)" \
		1773325998000 1773326008000 b3nch1
	[ "$(cat rec.err)" = "pf-record: <stdout>: warning: full, its reader is not keeping up; no longer copying events
pf-record: 1999 events, $(dur $((END_TS - 1773324000000))) recorded, 0 lines rejected" ]
}

@test "pf-record: -o FILE.gz writes gzip that gzip -dc reads" {
	write_lines in.jsonl "$START" "$(beat 5)"
	run -0 --separate-stderr pf-record -o rec.jsonl.gz <in.jsonl
	[ "$output" = "" ]
	gzip -t rec.jsonl.gz
	gzip -dc rec.jsonl.gz >rec.jsonl
	assert_file_ends rec.jsonl "$(cat in.jsonl)" "end of input" $((T0 + 5000)) $((T0 + 15000))
	[ "$stderr" = "pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
	assert_lint_clean rec.jsonl.gz
}

@test "pf-record: -z and --gzip compress any output, stdout included" {
	run -0 --separate-stderr pf-record -q -z -o rec.data <"$EXAMPLE"
	[ "$(gzip -dc rec.data)" = "$(cat "$EXAMPLE")" ]
	run -0 --separate-stderr pf-record -q --gzip -o rec2.data <"$EXAMPLE"
	[ "$(gzip -dc rec2.data)" = "$(cat "$EXAMPLE")" ]
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c 'pf-record -q -z <"$1" >rec.gz' sh "$EXAMPLE"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$(gzip -dc rec.gz)" = "$(cat "$EXAMPLE")" ]
}

@test "pf-record: --fsync always, interval and never all write the same recording" {
	local when

	for when in always interval never; do
		rm -f rec.jsonl
		run -0 --separate-stderr pf-record --fsync "$when" -o rec.jsonl <"$EXAMPLE"
		[ "$output" = "" ]
		[ "$stderr" = "$(example_summary)" ]
		assert_same "$EXAMPLE" rec.jsonl
		run -0 --separate-stderr pf-record --fsync "$when" -o rec.jsonl.gz <"$EXAMPLE"
		[ "$(gzip -dc rec.jsonl.gz)" = "$(cat "$EXAMPLE")" ]
		# A pipe cannot be synced: that is no error.
		run -0 --separate-stderr pf-record --fsync "$when" <"$EXAMPLE"
		[ "$output" = "$(cat "$EXAMPLE")" ]
		[ "$stderr" = "$(example_summary)" ]
	done
}

@test "pf-record: each event reaches the kernel in one write(2) before the next line is read" {
	need_strace
	write_lines in.jsonl "$START" "$(beat 5)" "$(beat 10)" "$(beat 15)"
	# One line every 100 ms: most reads of stdin get one line.
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c 'while IFS= read -r l; do printf "%s\n" "$l"; sleep 0.1; done <in.jsonl |
		strace -s 65536 -o trace.txt -e trace=openat,read,write pf-record -q -o rec.jsonl'
	assert_file_ends rec.jsonl "$(cat in.jsonl)" "end of input" $((T0 + 15000)) $((T0 + 25000))
	local fd
	# The temporary file beside rec.jsonl, renamed into place.
	fd=$(sed -n 's/^openat(.*"\.rec\.jsonl\.pf-[^"]*".* = \([0-9][0-9]*\)$/\1/p' trace.txt)
	[ -n "$fd" ]
	# Lines read from stdin and not yet written must be none when stdin
	# is read again; the sizes of the writes of the recording.
	# shellcheck disable=SC2016
	run -0 awk -v fd="$fd" '
		/^read\(0,/ && / = [1-9][0-9]*$/ {
			if (pending) print "read with " pending " line(s) unwritten"
			pending += gsub(/\\n/, "&")
		}
		index($0, "write(" fd ",") == 1 { pending--; printf "%s ", $NF }
		END { print "" }' trace.txt
	local sizes='' l
	while IFS= read -r l; do sizes+="$((${#l} + 1)) "; done <rec.jsonl
	[ "$output" = "$sizes" ]
}

@test "pf-record: --fsync always syncs after each event, never not at all, interval at most once a second" {
	need_strace
	head -n 20 "$EXAMPLE" >in.jsonl
	strace -o always.txt -e trace=fsync,fdatasync pf-record -q --fsync always -o rec.jsonl <in.jsonl
	strace -o never.txt -e trace=fsync,fdatasync pf-record -q --fsync never -o rec.jsonl <in.jsonl
	strace -o interval.txt -e trace=fsync,fdatasync pf-record -q --fsync interval -o rec.jsonl <in.jsonl
	# 20 events and the session_end, then once more at the end.
	[ "$(grep -c '^f.*sync(' always.txt)" -ge 21 ]
	[ "$(grep -c '^f.*sync(' never.txt)" -eq 0 ]
	local n
	n=$(grep -c '^f.*sync(' interval.txt)
	[ "$n" -ge 1 ]
	[ "$n" -le 3 ]
}

@test "pf-record: gzip output is flushed with one write(2) per event" {
	need_strace
	head -n 20 "$EXAMPLE" >in.jsonl
	strace -o trace.txt -e trace=openat,write pf-record -q -o rec.jsonl.gz <in.jsonl
	local fd
	fd=$(sed -n 's/^openat(.*"\.rec\.jsonl\.gz\.pf-[^"]*".* = \([0-9][0-9]*\)$/\1/p' trace.txt)
	[ -n "$fd" ]
	# 20 events, the session_end, and the gzip trailer.
	[ "$(grep -c "^write($fd," trace.txt)" -eq 22 ]
	[ "$(gzip -dc rec.jsonl.gz | wc -l)" -eq 21 ]
}

# --- --append ----------------------------------------------------------------

@test "pf-record: --append continues a recording on the same session" {
	write_lines rec.jsonl "$START" "$(beat 5)"
	write_lines in.jsonl "$(beat 10)" "$(beat 15)"
	run -0 --separate-stderr pf-record --append -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	assert_file_ends rec.jsonl "$(join "$START" "$(beat 5)" "$(beat 10)" "$(beat 15)")" \
		"end of input" $((T0 + 15000)) $((T0 + 25000))
	# The length of the recording, or of what this run added.
	[ "$stderr" = "pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ] ||
		[ "$stderr" = "pf-record: 2 events, $(dur $((END_TS - T0 - 10000))) recorded, 0 lines rejected" ]
	assert_lint_clean rec.jsonl
}

@test "pf-record: -a continues a recording that has no sessionId of its own under the stream's" {
	write_lines rec.jsonl "$START"
	write_lines in.jsonl "$(beat 5)"
	run -0 --separate-stderr pf-record -q -a -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	assert_file_ends rec.jsonl "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
}

@test "pf-record: --append cuts a partial last line off, with a warning" {
	write_lines rec.jsonl "$START" "$(beat 5)"
	printf '{"type":"heartbeat","sessionId":"abc123","timestamp":17733' >>rec.jsonl
	write_lines in.jsonl "$(beat 10)"
	run -0 --separate-stderr pf-record --append -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: rec.jsonl: warning: dropped a partial last line (58 bytes)
pf-record: 1 event, 0:10 recorded, 0 lines rejected" ]
	assert_file_ends rec.jsonl "$(join "$START" "$(beat 5)" "$(beat 10)")" \
		"end of input" $((T0 + 10000)) $((T0 + 20000))
	assert_lint_clean rec.jsonl
}

@test "pf-record: -q means errors only, as in every pf tool: the cut's warning and the summary go" {
	write_lines rec.jsonl "$START" "$(beat 5)"
	printf '{"type":"heartbeat","sessionId":"abc123","timestamp":17733' >>rec.jsonl
	write_lines in.jsonl "$(beat 10)"
	run -0 --separate-stderr pf-record -q --append -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	assert_file_ends rec.jsonl "$(join "$START" "$(beat 5)" "$(beat 10)")" \
		"end of input" $((T0 + 10000)) $((T0 + 20000))
}

@test "pf-record: -n is not --name: -n means --no-wait in pf-play and nothing else" {
	run -2 --separate-stderr pf-record -n Talk </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: unknown option '-n'
$USAGE_HINT" ]
}

@test "pf-record: --append after an over-long CRLF line keeps every byte of the whole lines" {
	local long

	long="{\"type\":\"chat_message\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 1000)),\"senderId\":\"a1\",\"senderName\":\"Ann\",\"message\":\"$(repeat_byte a 300)\"}"
	printf '%s\r\n' "$START" "$long" "$(beat 5)" >rec.jsonl
	cp rec.jsonl before.jsonl
	write_lines in.jsonl "$(beat 10)"
	run -0 --separate-stderr pf-record -q --append --max-line 200 -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	cmp -n "$(wc -c <before.jsonl)" before.jsonl rec.jsonl
	assert_file_ends rec.jsonl "$(cat before.jsonl; beat 10)" \
		"end of input" $((T0 + 10000)) $((T0 + 20000))
	# A partial last line after it is cut, and only that.
	cp before.jsonl rec.jsonl
	printf '{"type":"heart\r' >>rec.jsonl
	run -0 --separate-stderr pf-record --append --max-line 200 -o rec.jsonl <in.jsonl
	[ "$stderr" = "pf-record: rec.jsonl: warning: dropped a partial last line (15 bytes)
pf-record: 1 event, 0:10 recorded, 0 lines rejected" ]
	assert_file_ends rec.jsonl "$(cat before.jsonl; beat 10)" \
		"end of input" $((T0 + 10000)) $((T0 + 20000))
}

@test "pf-record: --append refuses a recording that has ended, and leaves it alone" {
	local end="{\"type\":\"session_end\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 6000)),\"reason\":\"presenter ended the session\"}"

	write_lines rec.jsonl "$START" "$(beat 5)" "$end"
	cp rec.jsonl before.jsonl
	write_lines in.jsonl "$(beat 10)"
	run -2 --separate-stderr pf-record --append -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: rec.jsonl:3: the recording has ended (session_end); record a new one instead" ]
	assert_same before.jsonl rec.jsonl
}

@test "pf-record: --append refuses a recording of another --session-id, and leaves it alone" {
	write_lines rec.jsonl "$START" "$(beat 5)"
	cp rec.jsonl before.jsonl
	write_lines in.jsonl '{"type":"heartbeat","sessionId":"zz9zz9","timestamp":1773324010000,"senderId":"presenter","sentAt":1773324010000}'
	run -2 --separate-stderr pf-record --append --session-id zz9zz9 -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: rec.jsonl: the recording is of session 'abc123', not 'zz9zz9'" ]
	assert_same before.jsonl rec.jsonl
	# The same --session-id is accepted.
	write_lines in.jsonl "$(beat 10)"
	run -0 --separate-stderr pf-record -q --append --session-id abc123 -o rec.jsonl <in.jsonl
	assert_file_ends rec.jsonl "$(join "$START" "$(beat 5)" "$(beat 10)")" \
		"end of input" $((T0 + 10000)) $((T0 + 20000))
}

@test "pf-record: a refused --append does not cut the partial last line either" {
	write_lines rec.jsonl "$START" "$(beat 5)"
	printf '{"type":"heartbeat","sessionId":"abc123","timestamp":17733' >>rec.jsonl
	cp rec.jsonl before.jsonl
	write_lines in.jsonl "$(beat 10)"
	run -2 --separate-stderr pf-record --append --session-id zz9zz9 -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: rec.jsonl: the recording is of session 'abc123', not 'zz9zz9'" ]
	assert_same before.jsonl rec.jsonl
}

@test "pf-record: --append to gzip adds a gzip member that gzip -dc and pf-lint read" {
	write_lines part.jsonl "$START" "$(beat 5)"
	gzip -cn part.jsonl >rec.jsonl.gz
	write_lines in.jsonl "$(beat 10)"
	run -0 --separate-stderr pf-record -q --append -o rec.jsonl.gz <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	gzip -t rec.jsonl.gz
	gzip -dc rec.jsonl.gz >rec.jsonl
	assert_file_ends rec.jsonl "$(join "$START" "$(beat 5)" "$(beat 10)")" \
		"end of input" $((T0 + 10000)) $((T0 + 20000))
	assert_lint_clean rec.jsonl.gz
}

@test "pf-record: --append refuses gzip events on a plain recording and plain on gzip" {
	write_lines rec.jsonl "$START" "$(beat 5)"
	cp rec.jsonl before.jsonl
	write_lines in.jsonl "$(beat 10)"
	run -2 --separate-stderr pf-record --append -z -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: rec.jsonl: the recording is not gzip; cannot append gzip events" ]
	assert_same before.jsonl rec.jsonl
	gzip -cn before.jsonl >gz.jsonl
	cp gz.jsonl before.gz
	run -2 --separate-stderr pf-record --append -o gz.jsonl <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: gz.jsonl: the recording is gzip; cannot append plain events" ]
	assert_same before.gz gz.jsonl
}

@test "pf-record: --append refuses a gzip recording that is cut short" {
	write_lines part.jsonl "$START" "$(beat 5)"
	gzip -cn part.jsonl | head -c 40 >rec.jsonl.gz
	cp rec.jsonl.gz before.gz
	write_lines in.jsonl "$(beat 10)"
	run -2 --separate-stderr pf-record --append -o rec.jsonl.gz <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: rec.jsonl.gz: the gzip stream is cut short; cannot append to it" ]
	assert_same before.gz rec.jsonl.gz
}

@test "pf-record: --append to a missing file starts a new recording" {
	write_lines in.jsonl "$START" "$(beat 5)"
	run -0 --separate-stderr pf-record -q --append -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	assert_file_ends rec.jsonl "$(cat in.jsonl)" "end of input" $((T0 + 5000)) $((T0 + 15000))
}

@test "pf-record: --append to an empty FILE.gz starts a new gzip recording" {
	# What a gzip recorder killed before its first event leaves.
	: >rec.jsonl.gz
	write_lines in.jsonl "$START" "$(beat 5)"
	run -0 --separate-stderr pf-record -q --append -o rec.jsonl.gz <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	gzip -dc rec.jsonl.gz >rec.jsonl
	assert_file_ends rec.jsonl "$(cat in.jsonl)" "end of input" $((T0 + 5000)) $((T0 + 15000))
}

@test "pf-record: --append never records an event earlier than the recording's last one" {
	write_lines rec.jsonl "$START" "$(beat 10)"
	write_lines in.jsonl "$(beat 5)"
	run -0 --separate-stderr pf-record --append -o rec.jsonl <in.jsonl
	[ "$output" = "" ]
	assert_file_ends rec.jsonl "$(join "$START" "$(beat 10)" \
		'{"type":"heartbeat","sessionId":"abc123","timestamp":1773324010000,"senderId":"presenter","sentAt":1773324005000}')" \
		"end of input" $((T0 + 10000)) $((T0 + 20000))
	[ "${stderr_lines[0]}" = "pf-record: <stdin>:1: warning: timestamp goes back 5000 ms; recorded as the previous one" ]
}

@test "pf-record: --append to a directory is an error (exit 2)" {
	mkdir recordings
	write_lines in.jsonl "$START"
	run -2 --separate-stderr pf-record --append -o recordings <in.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: recordings: Is a directory" ]
}

# --- signals -----------------------------------------------------------------

# signal_ends SIG REASON: pf-record gets SIG after recording three events.
signal_ends() {
	start_recorder -o rec.jsonl
	printf '%s\n' "$START" "$(beat 5)" "$(beat 10)" >&"$IN"
	wait_for_lines rec.jsonl 3
	kill -s "$1" "$REC_PID"
	finish_recorder
	[ "$STATUS" -eq 0 ]
	[ "$(cat rec.out)" = "" ]
	assert_file_ends rec.jsonl "$(join "$START" "$(beat 5)" "$(beat 10)")" \
		"$2" $((T0 + 10000)) $((T0 + 20000))
	[ "$(cat rec.err)" = "pf-record: 3 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
	assert_lint_clean rec.jsonl
}

@test "pf-record: SIGINT ends the recording with a session_end \"interrupted (SIGINT)\", exit 0" {
	signal_ends INT "interrupted (SIGINT)"
}

@test "pf-record: SIGTERM ends the recording with a session_end \"terminated (SIGTERM)\", exit 0" {
	signal_ends TERM "terminated (SIGTERM)"
}

@test "pf-record: SIGHUP ends the recording with a session_end \"hangup (SIGHUP)\", exit 0" {
	signal_ends HUP "hangup (SIGHUP)"
}

# sent_before_signal SIG REASON [OPTION...]: sends the example but its
# session_end, then SIG at once: all must be in the recording.
sent_before_signal() {
	local sig=$1 reason=$2

	shift 2
	rm -f in rec.jsonl
	start_recorder -o rec.jsonl "$@"
	head -n 1 feed.jsonl >&"$IN"
	wait_for_lines rec.jsonl 1
	# All are written (most into the pipe) before the signal is sent.
	tail -n +2 feed.jsonl >&"$IN"
	kill -s "$sig" "$REC_PID"
	finish_recorder
	[ "$STATUS" -eq 0 ]
	assert_file_ends rec.jsonl "$(cat feed.jsonl)" "$reason" \
		"$EXAMPLE_LAST" $((EXAMPLE_LAST + 10000)) k7m2qx
	[ "$(cat rec.err)" = "pf-record: $((EXAMPLE_N - 1)) events, $(dur $((END_TS - EXAMPLE_T0))) recorded, 0 lines rejected" ]
}

@test "pf-record: lines sent before the signal are all recorded" {
	head -n -1 "$EXAMPLE" >feed.jsonl
	sent_before_signal INT "interrupted (SIGINT)"
	sent_before_signal TERM "terminated (SIGTERM)"
	sent_before_signal HUP "hangup (SIGHUP)"
}

@test "pf-record: lines sent before the signal are all recorded, even when each is synced" {
	# --fsync always makes pf-record slower than the lines come.
	head -n -1 "$EXAMPLE" >feed.jsonl
	sent_before_signal INT "interrupted (SIGINT)" --fsync always
	sent_before_signal TERM "terminated (SIGTERM)" --fsync always
	sent_before_signal HUP "hangup (SIGHUP)" --fsync always
}

@test "pf-record: a signal before any event writes nothing and exits 0" {
	start_recorder -o rec.jsonl
	# The handlers are set before the temporary file is made.
	wait_for_glob '.rec.jsonl.pf-*'
	kill -s TERM "$REC_PID"
	finish_recorder
	[ "$STATUS" -eq 0 ]
	[ -f rec.jsonl ] && [ ! -s rec.jsonl ]
	[ "$(cat rec.out)" = "" ]
	[ "$(cat rec.err)" = "pf-record: 0 events, 0:00 recorded, 0 lines rejected" ]
	assert_no_temp
	# An existing recording is left as it was.
	rm in
	write_lines rec.jsonl "$START" "$(beat 5)"
	cp rec.jsonl before.jsonl
	start_recorder -o rec.jsonl
	wait_for_glob '.rec.jsonl.pf-*'
	kill -s INT "$REC_PID"
	finish_recorder
	[ "$STATUS" -eq 0 ]
	assert_same before.jsonl rec.jsonl
	assert_no_temp
}

# start_killable ARG...: as start_recorder, without timeout: REC_PID is
# pf-record's own pid, for SIGKILL.
start_killable() {
	mkfifo in
	exec {IN}<>in
	pf-record "$@" <in >rec.out 2>rec.err 3>&- {IN}>&- &
	REC_PID=$!
}

@test "pf-record: killed before its first event, it leaves an existing recording as it was" {
	write_lines rec.jsonl "$START" "$(beat 5)"
	cp rec.jsonl before.jsonl
	start_killable -o rec.jsonl
	wait_for_glob '.rec.jsonl.pf-*'
	kill -s KILL "$REC_PID"
	finish_recorder
	[ "$STATUS" -eq 137 ]
	assert_same before.jsonl rec.jsonl
}

@test "pf-record: killed after its first event, it leaves what it recorded at its place" {
	write_lines rec.jsonl "$START" "$(beat 5)" "$(beat 10)"
	start_killable -o rec.jsonl
	printf '%s\n' "$START" "$(beat 7)" >&"$IN"
	# The old recording had three lines: wait for the new one's two.
	wait_for 10 file_is rec.jsonl "$(join "$START" "$(beat 7)")"
	kill -s KILL "$REC_PID"
	finish_recorder
	[ "$STATUS" -eq 137 ]
	[ "$(cat rec.jsonl)" = "$(join "$START" "$(beat 7)")" ]
	assert_no_temp
}

@test "pf-record: a signal leaves the standard input blocking, as it found it" {
	mkfifo in
	exec {IN}<>in
	# pf-record and, after it, grep share the shell's standard input.
	# shellcheck disable=SC2016
	bash -c 'exec 3<&0; pf-record -q -o rec.jsonl <&3 3<&- & echo $! >rec.pid; wait $!; echo "status $?"; grep "^flags:" /proc/self/fdinfo/0' \
		<in >after.txt 2>rec.err {IN}>&- &
	local sh=$! st=0 flags
	printf '%s\n' "$START" "$(beat 5)" >&"$IN"
	wait_for_lines rec.jsonl 2
	wait_for_lines rec.pid 1
	kill -s INT "$(cat rec.pid)"
	wait "$sh" || st=$?
	exec {IN}>&-
	[ "$st" -eq 0 ]
	[ "$(cat rec.err)" = "" ]
	assert_file_ends rec.jsonl "$(join "$START" "$(beat 5)")" \
		"interrupted (SIGINT)" $((T0 + 5000)) $((T0 + 15000))
	[ "$(head -n 1 after.txt)" = "status 0" ]
	flags=$(sed -n 's/^flags:[[:space:]]*//p' after.txt)
	[ -n "$flags" ]
	# O_NONBLOCK is 04000.
	[ $((8#$flags & 8#4000)) -eq 0 ]
}

@test "pf-record: an event whose first byte comes alone is recorded whole" {
	# More than the 100 ms tick between the first byte and the rest.
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c '{ printf "{"; sleep 0.3; printf "%s\n" "${1#\{}"; } | pf-record' sh "$(beat 5)"
	assert_ends "$output" "$(join "$(made_start abc123 $((T0 + 5000)))" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	[ "$stderr" = "pf-record: 1 event, 0:00 recorded, 0 lines rejected" ]
}

@test "pf-record: a line that comes in pieces, with pauses, is recorded whole" {
	# Pieces of 40 bytes, 150 ms apart: more than the 100 ms tick.
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c '{ printf "%s\n" "$1"; l=$2; while [ -n "$l" ]; do printf "%s" "${l:0:40}"; l=${l:40}; sleep 0.15; done; echo; } | pf-record' \
		sh "$START" "$(beat 5)"
	assert_ends "$output" "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	[ "$stderr" = "pf-record: 2 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
}

# --- an output that is not being read ------------------------------------------

@test "pf-record: SIGINT ends a recording into a FIFO that is not being read, within seconds, exit 2" {
	local i n t0 t1 feeder

	{
		printf '%s\n' "$START"
		for ((i = 1; i < 2000; i++)); do printf '%s\n' "$(beat "$i")"; done
	} >feed.jsonl
	mkfifo in out.fifo
	# The reader opens the FIFO and never reads: it fills after 64 KiB.
	exec {IN}<>in {R}<>out.fifo
	timeout -k 5 30 pf-record -o out.fifo <in >rec.out 2>rec.err {IN}>&- {R}>&- &
	REC_PID=$!
	cat feed.jsonl >&"$IN" &
	feeder=$!
	wait_fifo_full "$R"
	t0=$(now_ms)
	kill -s INT "$REC_PID"
	finish_recorder
	t1=$(now_ms)
	kill "$feeder" 2>/dev/null || true
	wait "$feeder" || true
	fifo_drain "$R" >got.jsonl
	exec {R}>&-
	[ "$STATUS" -eq 2 ]
	# A second for the reader to take what is left, then it gives up.
	[ $((t1 - t0)) -lt 5000 ]
	# What went out: whole events, the first ones of the stream.
	[ -s got.jsonl ]
	[ -z "$(tail -c 1 got.jsonl)" ]
	cmp -n "$(wc -c <got.jsonl)" got.jsonl feed.jsonl
	n=$(wc -l <got.jsonl)
	[ "$(cat rec.out)" = "" ]
	[ "$(cat rec.err)" = "pf-record: out.fifo: not being read; given up on SIGINT, without a session_end
pf-record: $n events, $(dur $(((n - 1) * 1000))) recorded, 0 lines rejected" ]
}

@test "pf-record: -o FIFO waits for a reader that opens it later than the 100 ms tick" {
	mkfifo out.fifo
	write_lines in.jsonl "$START" "$(beat 5)"
	timeout -k 5 30 pf-record -q -o out.fifo <in.jsonl 2>rec.err &
	REC_PID=$!
	# The late reader is the point: no readiness to wait for.
	sleep 0.5
	timeout 30 cat out.fifo >got.jsonl
	STATUS=0
	wait "$REC_PID" || STATUS=$?
	[ "$STATUS" -eq 0 ]
	[ "$(cat rec.err)" = "" ]
	assert_file_ends got.jsonl "$(join "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
}

# --- crashes -----------------------------------------------------------------

# crash_trials N FEED OUT [OPTION...]: N times, plays FEED through pf-play
# --speed 1000 (the example's 5 s heartbeats come every 5 ms) into
# pf-record -q -o OUT OPTION..., and kills pf-record with SIGKILL after a
# random 0-199 ms.  What it left is kept as OUT.1 ... OUT.N.
crash_trials() {
	local n=$1 feed=$2 out=$3 i gen rec st
	shift 3
	mkfifo crash.fifo
	for ((i = 1; i <= n; i++)); do
		rm -f "$out"
		pf-play --speed 1000 --keep-timestamps -q "$feed" >crash.fifo 2>/dev/null 3>&- &
		gen=$!
		pf-record -q -o "$out" "$@" <crash.fifo 3>&- &
		rec=$!
		sleep "0.$(printf '%03d' $((RANDOM % 200)))"
		kill -9 "$rec"
		st=0
		wait "$rec" || st=$?
		kill "$gen" 2>/dev/null || true
		wait "$gen" || true
		if [ "$st" -ne 137 ]; then
			echo "trial $i: pf-record exited $st, not 137 (SIGKILL)" >&2
			return 1
		fi
		if [ -e "$out" ]; then mv "$out" "$out.$i"; else : >"$out.$i"; fi
	done
	rm -f crash.fifo
}

# check_crash_prefixes EXPECTED FILE...: each FILE is a prefix of EXPECTED,
# so at most its last line is partial; pf-lint finds nothing in one that
# ends with a whole line and reports a partial last line as truncated;
# pf-play plays them (a file with a partial line on its own); and the
# trials recorded something.
check_crash_prefixes() {
	local expected=$1 f size total=0
	shift
	for f in "$@"; do
		size=$(wc -c <"$f")
		if ! cmp -s -n "$size" "$f" "$expected"; then
			echo "$f is not a prefix of $expected:" >&2
			cmp -n "$size" "$f" "$expected" >&2 || true
			return 1
		fi
		total=$((total + $(wc -l <"$f")))
		run --separate-stderr pf-lint "$f"
		if [ "$status" -ge 128 ]; then
			echo "pf-lint $f died: status $status" >&2
			return 1
		fi
		if [ "$size" -gt 0 ] && [ -n "$(tail -c 1 "$f")" ]; then
			if [[ "$output" != *"$f:"*": warning: the last line has no newline: the recording may be truncated [truncated]"* ]]; then
				echo "pf-lint $f does not report the partial line:" >&2
				printf '%s\n' "$output" >&2
				return 1
			fi
		elif [ "$status" -ne 0 ] || [ -n "$output" ]; then
			echo "pf-lint $f exited $status:" >&2
			printf '%s\n' "$output" >&2
			return 1
		fi
		if [ "$size" -gt 0 ] && [ -n "$(tail -c 1 "$f")" ]; then
			run --separate-stderr pf-play --speed max --no-wait "$f"
			if [ "$status" -ge 128 ]; then
				echo "pf-play $f died: status $status" >&2
				return 1
			fi
		fi
	done
	# The files that end with a whole line, played in one run.
	run --separate-stderr pf-play --speed max --no-wait "$@"
	if [ "$status" -ge 128 ]; then
		echo "pf-play died: status $status" >&2
		return 1
	fi
	if [ "$total" -eq 0 ]; then
		echo "no trial recorded anything" >&2
		return 1
	fi
}

@test "pf-record: killed by SIGKILL at 50 random moments, it leaves a prefix of the stream" {
	cp "$EXAMPLE" feed.jsonl
	crash_trials 50 feed.jsonl rec.jsonl
	check_crash_prefixes feed.jsonl rec.jsonl.*
}

@test "pf-record: killed by SIGKILL at 50 random moments, it leaves its session_start and a prefix of the stream" {
	tail -n +2 "$EXAMPLE" >feed.jsonl
	{
		made_start k7m2qx 1773324005000
		echo
		cat feed.jsonl
	} >expected.jsonl
	crash_trials 50 feed.jsonl rec.jsonl
	check_crash_prefixes expected.jsonl rec.jsonl.*
}

@test "pf-record: killed by SIGKILL at 10 random moments, its gzip output reads as a prefix of the stream" {
	local trial total=0

	cp "$EXAMPLE" feed.jsonl
	crash_trials 10 feed.jsonl rec.jsonl.gz
	# Not i: bats's run sets a global i.
	for trial in 1 2 3 4 5 6 7 8 9 10; do
		run --separate-stderr pf-play --no-wait --keep-timestamps -s max "rec.jsonl.gz.$trial"
		[ "$status" -lt 128 ]
		printf '%s' "$output" >got.jsonl
		[ -s got.jsonl ] && echo >>got.jsonl
		cmp -s -n "$(wc -c <got.jsonl)" got.jsonl feed.jsonl
		total=$((total + $(wc -l <got.jsonl)))
		run --separate-stderr pf-lint "rec.jsonl.gz.$trial"
		[ "$status" -lt 128 ]
	done
	# Without a flush per event, a killed recorder leaves no event at all.
	[ "$total" -gt 0 ]
}

# --- streams as the app sends them (tests/fixtures/app) ------------------------

# record_app NAME EVENTS DURATION DROPPED: pf-record on the app-shaped
# stream tests/fixtures/app/NAME.jsonl writes it as it came, less its
# handshake lines (byte for byte, nothing made up, no session_end added),
# and says so.
record_app() {
	local in="$FIXTURES/app/$1.jsonl"

	grep -v '^{"type":"presenter_' "$in" >expected.jsonl
	run -0 --separate-stderr pf-record -o rec.jsonl <"$in"
	[ "$output" = "" ]
	[ "$stderr" = "pf-record: $2 events, $3 recorded, 0 lines rejected, $4 dropped" ]
	assert_same expected.jsonl rec.jsonl
}

# lint_app_clean: pf-lint --strict finds nothing in rec.jsonl.
lint_app_clean() {
	run -0 --separate-stderr pf-lint --strict rec.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-record: two attendees in the app's order (handshake, join, session_start each) are recorded as they came, and lint clean" {
	record_app two-attendees 36 0:32 4
	# The stream's own session: no other id, no made-up name.
	[ "$(jq -r '.sessionId // empty' rec.jsonl | sort -u)" = p3x9fa ]
	[ "$(jq -c 'select(.type == "session_start") | .config.name' rec.jsonl | sort -u)" = '"Prometheus Monitoring 101"' ]
	lint_app_clean
}

@test "pf-record: attendees' clocks 3 s behind and 2 s ahead are kept as they came, and lint clean" {
	record_app skewed-clocks 36 0:32 4
	lint_app_clean
}

@test "pf-record: types the app declares but never sends are recorded as they came, and lint clean" {
	record_app declared-types 39 0:32 4
	lint_app_clean
}

@test "pf-record: a stream decoded per connection keeps every copy and both session_end lines, and lints clean" {
	record_app wire-decoded 46 0:32 4
	[ "$(grep -c '"type":"session_end"' rec.jsonl)" -eq 2 ]
	lint_app_clean
}

@test "pf-record: a leave from a peer that never joined is recorded as it came, and lint clean" {
	record_app leave-only 9 0:12 2
	lint_app_clean
}

@test "pf-record: pf's own pfPeer on attendee events is recorded as it came, and lint clean" {
	record_app pf-peer 36 0:32 4
	lint_app_clean
}

@test "pf-record: the 0/300/600 ms repeat is recorded as it came: pf-lint has its one warning, no error" {
	record_app repeat-0-300-600 6 0:12 2
	run -1 --separate-stderr pf-lint --strict rec.jsonl
	[ "$output" = "rec.jsonl:4:1: warning: show_me of step 'add-data-source-step-1' comes 300 ms from the one shown on line 3: Pathfinder drops a repeat closer than 500 ms [repeated-step]" ]
	[ "$stderr" = "" ]
}

@test "pf-record: the repeat edges are recorded as they came: pf-lint has its one warning, no error" {
	record_app repeat-edges 10 0:12 2
	run -1 --separate-stderr pf-lint --strict rec.jsonl
	[ "$output" = "rec.jsonl:5:1: warning: show_me of step 'add-data-source-step-1' comes 300 ms from the one shown on line 4: Pathfinder drops a repeat closer than 500 ms [repeated-step]" ]
	[ "$stderr" = "" ]
}

@test "pf-record: a second session id is recorded as it came: pf-lint finds that error and no other" {
	record_app bad-second-session 6 0:12 4
	run -1 --separate-stderr pf-lint --strict rec.jsonl
	[ "$output" = "rec.jsonl:4:37: error: session_start: sessionId 'q8w2zk' differs from 'p3x9fa' on line 2 [multiple-sessions]" ]
	[ "$stderr" = "" ]
}

@test "pf-record: a changed config is recorded as it came: pf-lint finds that error and no other" {
	record_app bad-changed-config 6 0:12 4
	run -1 --separate-stderr pf-lint --strict rec.jsonl
	[ "$output" = "rec.jsonl:4:55: error: session_start: its config differs from the one on line 2 [duplicate-start]" ]
	[ "$stderr" = "" ]
}

@test "pf-record: a join is written as it comes, before the session_start it waits for" {
	local join_line="{\"type\":\"attendee_join\",\"name\":\"Priya Raman\",\"mode\":\"guided\",\"timestamp\":$((T0 - 200))}"

	start_recorder -o rec.jsonl
	printf '%s\n' '{"type":"presenter_challenge","nonce":"7b-IRl8Dre0pqxTCVufYUA"}' "$join_line" >&"$IN"
	wait_for_lines rec.jsonl 1
	[ "$(cat rec.jsonl)" = "$join_line" ]
	printf '%s\n' "$START" "$(beat 5)" >&"$IN"
	exec {IN}>&-
	finish_recorder
	[ "$STATUS" -eq 0 ]
	assert_file_ends rec.jsonl "$(join "$join_line" "$START" "$(beat 5)")" \
		"end of input" $((T0 + 5000)) $((T0 + 15000))
	[ "$(cat rec.err)" = "pf-record: 3 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected, 1 dropped" ]
	assert_lint_clean rec.jsonl
}

@test "pf-record: killed after a join, before its session_start, it leaves the join" {
	local join_line="{\"type\":\"attendee_join\",\"name\":\"Priya Raman\",\"mode\":\"guided\",\"timestamp\":$((T0 - 200))}"

	start_killable -o rec.jsonl
	printf '%s\n' "$join_line" >&"$IN"
	wait_for 10 file_is rec.jsonl "$join_line"
	kill -s KILL "$REC_PID"
	finish_recorder
	[ "$STATUS" -eq 137 ]
	[ "$(cat rec.jsonl)" = "$join_line" ]
	assert_no_temp
}

@test "pf-record: a session_end per attendee: all are recorded, none is added, and what follows them is not" {
	local end1="{\"type\":\"session_end\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 6000))}"
	local end2="{\"type\":\"session_end\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 6001))}"

	write_lines in.jsonl "$START" "$(beat 5)" "$end1" "$end2" "$(beat 7)" "not even JSON"
	run -0 --separate-stderr pf-record <in.jsonl
	[ "$output" = "$(join "$START" "$(beat 5)" "$end1" "$end2")" ]
	[ "$stderr" = "pf-record: 4 events, 0:06 recorded, 0 lines rejected" ]
}

@test "pf-record: a session_end that comes a moment after another is recorded; then it stops though the input stays open" {
	local end1="{\"type\":\"session_end\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 6000))}"
	local end2="{\"type\":\"session_end\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 6001))}"
	local t0 t1

	start_recorder -o rec.jsonl
	printf '%s\n' "$START" "$end1" >&"$IN"
	wait_for_lines rec.jsonl 2
	printf '%s\n' "$end2" >&"$IN"
	t0=$(now_ms)
	# The input is still open: the recorder ends on its own.
	STATUS=0
	wait "$REC_PID" || STATUS=$?
	t1=$(now_ms)
	exec {IN}>&-
	[ "$STATUS" -eq 0 ]
	[ $((t1 - t0)) -lt 5000 ]
	[ "$(cat rec.jsonl)" = "$(join "$START" "$end1" "$end2")" ]
	[ "$(cat rec.err)" = "pf-record: 3 events, 0:06 recorded, 0 lines rejected" ]
}

@test "pf-record: an attendee's clock behind the presenter's is kept; only the presenter's is held to its order" {
	local echo_line="{\"type\":\"heartbeat\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 9800)),\"senderId\":\"attendee\",\"sentAt\":$((T0 + 10000))}"
	local join_line="{\"type\":\"attendee_join\",\"name\":\"Jonas Berg\",\"mode\":\"guided\",\"timestamp\":$((T0 + 2000))}"

	write_lines in.jsonl "$START" "$(beat 10)" "$echo_line" "$join_line" "$(beat 12)"
	run -0 --separate-stderr pf-record <in.jsonl
	assert_ends "$output" "$(cat in.jsonl)" "end of input" $((T0 + 12000)) $((T0 + 22000))
	[ "$stderr" = "pf-record: 5 events, $(dur $((END_TS - T0))) recorded, 0 lines rejected" ]
}

@test "pf-record: a session_start after events that needed a made-up one is kept, with a warning" {
	local start2="{\"type\":\"session_start\",\"sessionId\":\"abc123\",\"timestamp\":$((T0 + 6000)),\"config\":{\"name\":\"Demo\",\"tutorialUrl\":\"https://example.com/t/\",\"defaultMode\":\"guided\"}}"

	write_lines in.jsonl "$(beat 5)" "$start2" "$(beat 7)"
	run -0 --separate-stderr pf-record <in.jsonl
	assert_ends "$output" "$(join "$(made_start abc123 $((T0 + 5000)))" "$(beat 5)" "$start2" "$(beat 7)")" \
		"end of input" $((T0 + 7000)) $((T0 + 17000))
	[ "$stderr" = "pf-record: <stdin>:2: warning: a session_start after the one made up for the events before it
pf-record: 3 events, $(dur $((END_TS - T0 - 5000))) recorded, 0 lines rejected" ]
}

# --- pf-lint on what pf-record writes ------------------------------------------

@test "pf-record: pf-lint passes everything pf-record writes from a valid stream" {
	local opts input

	head -n -1 "$EXAMPLE" >noend.jsonl
	tail -n +2 "$EXAMPLE" >nostart.jsonl
	for input in "$EXAMPLE" noend.jsonl nostart.jsonl; do
		for opts in "" --restamp --redact "--redact-pattern Priya" \
			"--max-events 50" "--max-events 1" "--max-duration 1h" \
			"--name Workshop --tutorial-url https://grafana.com/tutorials/x/ --mode follow" \
			-z "--fsync always" --strict --continue --tee; do
			rm -f rec.jsonl
			# shellcheck disable=SC2086
			run -0 --separate-stderr pf-record -q $opts -o rec.jsonl <"$input"
			if ! assert_lint_clean rec.jsonl; then
				echo "from $input with '$opts'" >&2
				return 1
			fi
		done
	done
}
