#!/usr/bin/env bats
# libpf's own pieces, through tests/helper/pf-test-tool (as git's
# t/helper/test-tool): durations, positions, the line reader, the writer
# and the JSON parser.

load test_helper

setup() {
	pf_setup
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
