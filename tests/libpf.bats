#!/usr/bin/env bats
# libpf's own pieces, through tests/helper/pf-test-tool (as git's
# t/helper/test-tool): durations, positions, the line reader, the writer
# and the JSON parser.

load test_helper

setup() {
	pf_setup
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

# flip_byte FILE OFFSET: inverts the bits of the byte at OFFSET in FILE.
flip_byte() {
	local b

	b=$(od -An -tu1 -j "$2" -N 1 "$1")
	# shellcheck disable=SC2059
	printf "\\$(printf '%03o' $((b ^ 255)))" |
		dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

@test "libpf: durations are read as people write them" {
	local spec want
	while read -r spec want; do
		run -0 --separate-stderr pf-test-tool duration "$spec"
		[ "$output" = "$want" ] || { echo "$spec gave $output" >&2; return 1; }
	done <<'LIST'
90 90000
90s 90000
1500ms 1500
1m30s 90000
1h2m3s 3723000
1:30 90000
1:02:03 3723000
1.5s 1500
0.25 250
0 0
LIST
}

@test "libpf: a malformed duration is refused with the examples" {
	local spec
	for spec in "" abc 1x 30s1m 1m1m -5 1:60 1:2:3:4 "1.5:00" 1:; do
		run -1 --separate-stderr pf-test-tool duration "$spec"
		[ "$output" = "" ]
		[ "$stderr" = "pf-test-tool: duration: invalid duration '$spec' (examples: 90, 90s, 1:30, 1m30s, 1500ms)" ]
	done
}

@test "libpf: positions are offsets, step:ID or nav:N" {
	run -0 pf-test-tool position 1:30
	[ "$output" = "offset 90000" ]
	run -0 pf-test-tool position step:add-ds-3
	[ "$output" = "step add-ds-3" ]
	run -0 pf-test-tool position nav:2
	[ "$output" = "nav 2" ]
	run -1 --separate-stderr pf-test-tool position nav:0
	[ "$stderr" = "pf-test-tool: position: invalid position 'nav:0': nav: needs a number from 1" ]
	run -1 --separate-stderr pf-test-tool position step:
	[ "$stderr" = "pf-test-tool: position: invalid position 'step:': step: needs a step id" ]
}

@test "libpf: the reader numbers lines, strips CR, a BOM, and flags the last line" {
	printf '\357\273\277a\r\nb\n\nc' >in.txt
	run -0 --separate-stderr pf-test-tool lines in.txt
	[ "$output" = "1 C--B 1: a
2 ---- 1: b
3 ---- 0: 
4 -N-- 1: c" ]
}

@test "libpf: the reader skips a line over the cap and goes on" {
	{ printf 'short\n'; head -c 3000 /dev/zero | tr '\0' x; printf '\nnext\n'; } >in.txt
	run -0 --separate-stderr pf-test-tool lines in.txt 1000
	[ "$output" = "1 ---- 5: short
2 --L- 3000: 
3 ---- 4: next" ]
}

@test "libpf: the reader grows its buffer for a long line, up to the cap" {
	{ printf 'short\n'; repeat_byte x 3000000; printf '\nnext\n'; } >in.txt
	gzip -c in.txt >in.gz
	for f in in.txt in.gz; do
		run -0 --separate-stderr pf-test-tool lines "$f" 4000000
		[ "${#lines[@]}" -eq 3 ]
		[ "${lines[0]}" = "1 ---- 5: short" ]
		[ "${lines[1]}" = "2 ---- 3000000: $(repeat_byte x 3000000)" ]
		[ "${lines[2]}" = "3 ---- 4: next" ]
		[ "$stderr" = "" ]
	done
}

@test "libpf: a cap beyond 256 MiB is taken as 256 MiB, never wrapped around" {
	{ printf 'short\n'; repeat_byte x 300000; printf '\nnext\n'; } >in.txt
	local max
	for max in 18446744073709551615 18446744073709420544 268435457; do
		run -0 --separate-stderr pf-test-tool lines in.txt "$max"
		[ "${#lines[@]}" -eq 3 ]
		[ "${lines[1]}" = "2 ---- 300000: $(repeat_byte x 300000)" ]
		[ "${lines[2]}" = "3 ---- 4: next" ]
		[ "$stderr" = "" ]
	done
}

@test "libpf: gzip is read by its magic bytes, concatenated members too, a cut stream flagged" {
	printf 'a\nb\n' | gzip -c >two.dat
	printf 'c\n' | gzip -c >>two.dat
	run -0 --separate-stderr pf-test-tool lines two.dat
	[ "$output" = "1 ---- 1: a
2 ---- 1: b
3 ---- 1: c" ]
	seq 1 20000 | gzip -c | head -c 20000 >cut.gz
	run -0 --separate-stderr pf-test-tool lines cut.gz
	[ "${lines[0]}" = "1 ---- 1: 1" ]
	[ "${lines[-1]}" = "gzip truncated" ]
}

@test "libpf: a gzip CRC error comes after every line inflated before it" {
	cp "$EXAMPLES/prometheus-101.jsonl.gz" bad.gz
	flip_byte bad.gz $(($(wc -c <bad.gz) - 8))
	run -1 --separate-stderr pf-test-tool lines bad.gz
	[ "${#lines[@]}" -eq "$(wc -l <"$EXAMPLES/prometheus-101.jsonl")" ]
	[ "$(printf '%s\n' "$output" | sed 's/^[0-9]* [-CNLB]* [0-9]*: //')" = "$(cat "$EXAMPLES/prometheus-101.jsonl")" ]
	[ "$stderr" = "pf-test-tool: bad.gz:461: gzip: incorrect data check" ]
}

@test "libpf: a gzip data error comes after the lines before it, at the line it cuts" {
	printf 'a\nb\n' | gzip -c >mid.gz
	# A second member whose first block has the reserved type 3.
	printf '\037\213\010\000\000\000\000\000\000\003\377\377' >>mid.gz
	run -1 --separate-stderr pf-test-tool lines mid.gz
	[ "$output" = "1 ---- 1: a
2 ---- 1: b" ]
	[ "$stderr" = "pf-test-tool: mid.gz:3: gzip: invalid block type" ]
}

@test "libpf: a followed file that is truncated or replaced is read again from its start" {
	printf 'first line of the old file\nsecond line of the old file\npartial' >f
	timeout 60 pf-test-tool follow f stop >out.txt 2>err.txt &
	local pid=$! st=0
	wait_for_lines out.txt 2
	# Shorter than what was read: truncated, and "partial" is dropped.
	printf 'new 1\n' >f
	wait_for_lines out.txt 4
	printf 'other 1\nother 2\n' >f.new
	mv f.new f
	wait_for_lines out.txt 7
	printf 'other 3\n' >>f
	wait_for_lines out.txt 8
	touch stop
	wait "$pid" || st=$?
	[ "$st" -eq 0 ]
	[ "$(cat out.txt)" = "1: first line of the old file
2: second line of the old file
restart: truncated
1: new 1
restart: replaced
1: other 1
2: other 2
3: other 3" ]
	[ "$(cat err.txt)" = "" ]
}

@test "libpf: the writer writes lines plain and gzip, appending too" {
	printf 'a\nb\n' | pf-test-tool write out.txt
	[ "$(cat out.txt)" = "a
b" ]
	printf 'c\n' | pf-test-tool write -a out.txt
	[ "$(cat out.txt)" = "a
b
c" ]
	printf 'a\nb\n' | pf-test-tool write -z -e out.gz
	[ "$(gzip -dc out.gz)" = "a
b" ]
	run -1 --separate-stderr pf-test-tool write /dev/full <<<"x"
	[ "$stderr" = "pf-test-tool: close: write error: No space left on device" ]
}

@test "libpf: the writer replaces a file only when it is whole" {
	printf 'old\n' >out.txt
	seq 1 1000 | pf-test-tool write out.txt
	[ "$(wc -l <out.txt)" -eq 1000 ]
	printf 'old\n' >out.txt
	# A 1 KiB size limit: the write fails, and out.txt stays as it was.
	run -1 --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 1; seq 1 1000 | pf-test-tool write out.txt'
	[ "$output" = "" ]
	[ "$stderr" = "pf-test-tool: close: write error: File too large" ]
	[ "$(cat out.txt)" = "old" ]
	[ -z "$(compgen -G '.out.txt.pf-*')" ]
}

@test "libpf: the JSON parser accepts JSON and names each fault" {
	local text want
	while IFS='|' read -r text want; do
		run --separate-stderr pf-test-tool parse any <<<"$text"
		[ "$output" = "$want" ] || { echo "'$text' gave '$output'" >&2; return 1; }
	done <<'LIST'
{"a":[1,2.5,-0,1e3,true,null,"\u00e9\ud83d\ude00"]}|{"a":[1,2.5,0,1000.0,true,null,"é😀"]}
{"a":1,"a":2}|duplicate 1:12 duplicate key 'a'
{"a":1,}|syntax 1:8 invalid JSON: trailing comma before '}'
{"a":"\ud800"}|utf8 1:7 lone surrogate \ud800 in a string
{"a":"\u0000"}|nul 1:7 \u0000 in a string
{"a":12345678901234567890}|syntax 1:6 invalid JSON: integer too large
{"a":1e999}|syntax 1:6 invalid JSON: number out of range
{"a":|incomplete 2:1 invalid JSON: expected a value, found the end of the text
[1] x|syntax 1:5 invalid JSON: 'x' after the value
LIST
}

@test "libpf: nesting is capped, not a stack overflow" {
	head -c 100000 /dev/zero | tr '\0' '[' >deep.json
	run -1 --separate-stderr pf-test-tool parse any <deep.json
	[ "$output" = "too-deep 1:513 invalid JSON: nesting deeper than 512 levels" ]
}
