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

# --- RFC 8259's edges, as pf_jv decides them ------------------------------

# parse_each MODE: each line of stdin is TEXT|STATUS|OUTPUT.  TEXT goes
# through printf %b (\xHH is a byte, \\ a backslash: write \\u0000 for
# JSON's \u0000), then a newline, to "pf-test-tool parse MODE", which must
# exit STATUS and print OUTPUT ("=" for TEXT itself) and nothing on stderr.
parse_each() {
	local text st want
	while IFS='|' read -r text st want; do
		[ "$want" = "=" ] && want=$(printf '%b' "$text")
		run --separate-stderr pf-test-tool parse "$1" < <(printf '%b\n' "$text")
		if [ "$status" != "$st" ] || [ "$output" != "$want" ] || [ -n "$stderr" ]; then
			echo "'$text': status $status, '$output', stderr '$stderr'; wanted $st, '$want'" >&2
			return 1
		fi
	done
}

@test "libpf: pf_jv_parse stops at once on a text that is not followed by a NUL" {
	run -134 --separate-stderr pf-test-tool parse-unterminated
	[ "$output" = "" ]
	[[ "$stderr" == *"pf_jv_parse: Assertion \`text[n] == '\\0'' failed." ]]
}

@test "libpf: JSON duplicate keys are refused at any depth, as unescaped, among many keys too" {
	parse_each any <<'LIST'
{"a":{"b":1,"b":[2]}}|1|duplicate 1:17 duplicate key 'b'
[{"a":1},{"a":1}]|0|=
{"a":1,"A":2,"a ":3}|0|=
{"\xc3\xa9":1,"\\u00e9":2}|1|duplicate 1:17 duplicate key 'é'
{"":1,"":2}|1|duplicate 1:10 duplicate key ''
LIST
	# Over 16 keys pf_jv sorts them: still the first repeat in the text.
	local i many='{'
	for i in $(seq 0 19); do many+="\"k$i\":$i,"; done
	many+='"k7":1,"k3":2}'
	run -1 --separate-stderr pf-test-tool parse object <<<"$many"
	[ "$output" = "duplicate 1:$((${#many} - 8)) duplicate key 'k7'" ]
	[ "$stderr" = "" ]
}

@test "libpf: JSON \\u0000 and a NUL byte are refused as nul, in keys and values" {
	parse_each any <<'LIST'
{"\\u0000":1}|1|nul 1:3 \u0000 in a string
["x\\u0000"]|1|nul 1:4 \u0000 in a string
"a\x00b"|1|nul 1:3 NUL byte in the text
{"a"\x00:1}|1|nul 1:5 NUL byte in the text
[1]\x00|1|nul 1:4 NUL byte in the text
"\\u0001\\u001f"|0|"\u0001\u001f"
LIST
}

@test "libpf: JSON surrogate pairs decode; a lone, reversed or unpaired surrogate is refused" {
	parse_each any <<'LIST'
"\\ud83d\\ude00"|0|"😀"
"\\uD834\\uDD1E"|0|"𝄞"
"\\ud800\\udc00"|0|"𐀀"
"\\ud800"|1|utf8 1:2 lone surrogate \ud800 in a string
"\\udfff"|1|utf8 1:2 lone surrogate \udfff in a string
"\\udc00\\ud800"|1|utf8 1:2 lone surrogate \udc00 in a string
"\\ud800\\ud800"|1|utf8 1:2 lone surrogate \ud800 in a string
"ab\\ud800\\u0041"|1|utf8 1:4 lone surrogate \ud800 in a string
"\\ud800x"|1|utf8 1:2 lone surrogate \ud800 in a string
{"\\udbff":1}|1|utf8 1:3 lone surrogate \udbff in a string
LIST
	# The last pair there is: U+10FFFF.
	run -0 --separate-stderr pf-test-tool parse any <<<'"\udbff\udfff"'
	[ "$output" = "$(printf '"\xf4\x8f\xbf\xbf"')" ]
}

@test "libpf: JSON in overlong or invalid UTF-8 is refused at the byte; every valid length passes" {
	parse_each any <<'LIST'
"\xc0\xaf"|1|utf8 1:2 invalid UTF-8 byte 0xc0
"\xe0\x80\xaf"|1|utf8 1:2 invalid UTF-8 byte 0xe0
"\xc1\xbf"|1|utf8 1:2 invalid UTF-8 byte 0xc1
"\xf0\x8f\xbf\xbf"|1|utf8 1:2 invalid UTF-8 byte 0xf0
"\xed\xa0\x80"|1|utf8 1:2 invalid UTF-8 byte 0xed
"\xf4\x90\x80\x80"|1|utf8 1:2 invalid UTF-8 byte 0xf4
"\xf5\x80\x80\x80"|1|utf8 1:2 invalid UTF-8 byte 0xf5
"\xff"|1|utf8 1:2 invalid UTF-8 byte 0xff
"\x80"|1|utf8 1:2 invalid UTF-8 byte 0x80
"\xc3"|1|utf8 1:2 invalid UTF-8 byte 0xc3
"\xe2\x82"|1|utf8 1:2 invalid UTF-8 byte 0xe2
"\xc3\xa9\xff"|1|utf8 1:3 invalid UTF-8 byte 0xff
{"\xc0\xaf":1}|1|utf8 1:3 invalid UTF-8 byte 0xc0
\xfe|1|utf8 1:1 invalid UTF-8 byte 0xfe
"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\xf0\x90\x80\x80\xf4\x8f\xbf\xbf"|0|=
LIST
}

@test "libpf: JSON numbers: 1e400 and -1e400 are refused, -0 is 0, no leading zeros or plus" {
	parse_each any <<'LIST'
1e400|1|syntax 1:1 invalid JSON: number out of range
-1e400|1|syntax 1:1 invalid JSON: number out of range
[0,1E+400]|1|syntax 1:4 invalid JSON: number out of range
1.8e308|1|syntax 1:1 invalid JSON: number out of range
1.7976931348623157e308|0|1.7976931348623157e+308
1e-400|0|0.0
-0|0|0
[-0.0,-0e0,0e-0]|0|[-0.0,-0.0,0.0]
9223372036854775807|0|=
-9223372036854775808|0|=
9223372036854775808|1|syntax 1:1 invalid JSON: integer too large
-9223372036854775809|1|syntax 1:1 invalid JSON: integer too large
01|1|syntax 1:2 invalid JSON: '1' after the value
-01|1|syntax 1:3 invalid JSON: '1' after the value
00|1|syntax 1:2 invalid JSON: '0' after the value
[01]|1|syntax 1:3 invalid JSON: expected ',' or ']', found '1'
{"a":007}|1|syntax 1:7 invalid JSON: expected ',' or '}', found '0'
0.5|0|=
.5|1|syntax 1:1 invalid JSON: expected a value, found '.'
1.|1|syntax 1:3 invalid JSON: expected a digit after '.', found byte 0x0a
1e|1|syntax 1:3 invalid JSON: expected a digit in the exponent, found byte 0x0a
+1|1|syntax 1:1 invalid JSON: expected a value, found '+'
-|1|syntax 1:2 invalid JSON: expected a digit, found byte 0x0a
LIST
}

@test "libpf: JSON nesting: 512 levels parse, the 513th is refused where it opens" {
	local arr obj mixed
	arr=$(printf '[%.0s' $(seq 512))$(printf ']%.0s' $(seq 512))
	run -0 --separate-stderr pf-test-tool parse any <<<"$arr"
	[ "$output" = "$arr" ]
	[ "$stderr" = "" ]
	run -1 --separate-stderr pf-test-tool parse any <<<"[$arr]"
	[ "$output" = "too-deep 1:513 invalid JSON: nesting deeper than 512 levels" ]
	obj=$(printf '{"a":%.0s' $(seq 512))1$(printf '}%.0s' $(seq 512))
	run -0 --separate-stderr pf-test-tool parse object <<<"$obj"
	[ "$output" = "$obj" ]
	run -1 --separate-stderr pf-test-tool parse object <<<"{\"b\":$obj}"
	[ "$output" = "too-deep 1:2561 invalid JSON: nesting deeper than 512 levels" ]
	# Arrays and objects count alike.
	mixed=$(printf '[{"a":%.0s' $(seq 256))0$(printf '}]%.0s' $(seq 256))
	run -0 --separate-stderr pf-test-tool parse any <<<"$mixed"
	[ "$output" = "$mixed" ]
	run -1 --separate-stderr pf-test-tool parse any <<<"[$mixed]"
	[ "$output" = "too-deep 1:1533 invalid JSON: nesting deeper than 512 levels" ]
}

@test "libpf: JSON trailing and doubled commas are refused where they stand" {
	parse_each any <<'LIST'
[1,]|1|syntax 1:4 invalid JSON: trailing comma before ']'
[1 , ]|1|syntax 1:6 invalid JSON: trailing comma before ']'
{"a":[1,2,],"b":1}|1|syntax 1:11 invalid JSON: trailing comma before ']'
{"a":{"b":1,},"c":1}|1|syntax 1:13 invalid JSON: trailing comma before '}'
[1,,2]|1|syntax 1:4 invalid JSON: expected a value, found ','
[,1]|1|syntax 1:2 invalid JSON: expected a value, found ','
{,}|1|syntax 1:2 invalid JSON: expected a string key, found ','
{"a":1,,"b":2}|1|syntax 1:8 invalid JSON: expected a string key, found ','
[,]|1|syntax 1:2 invalid JSON: expected a value, found ','
LIST
}

@test "libpf: JSON strings refuse bare control characters; DEL and escaped controls pass" {
	parse_each any <<'LIST'
"a\tb"|1|syntax 1:3 invalid JSON: control character 0x09 in a string
"a\nb"|1|syntax 1:3 invalid JSON: control character 0x0a in a string
"\r"|1|syntax 1:2 invalid JSON: control character 0x0d in a string
"\x01"|1|syntax 1:2 invalid JSON: control character 0x01 in a string
"\x1f"|1|syntax 1:2 invalid JSON: control character 0x1f in a string
{"a\tb":1}|1|syntax 1:4 invalid JSON: control character 0x09 in a string
"\x7f"|0|=
"\\t\\n\\r\\b\\f\\/\\"\\\\"|0|"\t\n\r\b\f/\"\\"
LIST
}

@test "libpf: JSON top-level scalars are values; where an object is wanted they are named" {
	parse_each any <<'LIST'
7|0|=
-2.5|0|=
"s"|0|=
true|0|=
false|0|=
null|0|=
[]|0|=
  {}  |0|{}
LIST
	parse_each object <<'LIST'
7|1|not-object 1:1 expected an object, found an integer
-2.5|1|not-object 1:1 expected an object, found a real number
"s"|1|not-object 1:1 expected an object, found a string
true|1|not-object 1:1 expected an object, found a boolean
null|1|not-object 1:1 expected an object, found null
  []|1|not-object 1:3 expected an object, found an array
{}|0|=
LIST
}

@test "libpf: a UTF-8 BOM is not JSON: the parser refuses it, the reader removes it" {
	parse_each object <<'LIST'
\xef\xbb\xbf{}|1|syntax 1:1 invalid JSON: expected a value, found byte 0xef
{"a":1}\xef\xbb\xbf|1|syntax 1:8 invalid JSON: byte 0xef after the value
{"\xef\xbb\xbf":"\xef\xbb\xbf"}|0|=
LIST
	printf '\xef\xbb\xbf{"a":1}\n' >bom.jsonl
	run -0 --separate-stderr pf-test-tool lines bom.jsonl
	[ "$output" = '1 ---B 7: {"a":1}' ]
}

# --- BinaryPack (lib/pf_binpack) -------------------------------------------

@test "libpf: BinaryPack as the app's packer writes it, both ways, for 48 values" {
	local vec="$FIXTURES/binpack/vectors.tsv"

	grep -v '^#' "$vec" | cut -f1 >values.json
	grep -v '^#' "$vec" | cut -f2 >want.hex
	[ "$(wc -l <values.json)" = 48 ]
	run -0 --separate-stderr pf-test-tool pack <values.json
	[ "$output" = "$(cat want.hex)" ]
	run -0 --separate-stderr pf-test-tool unpack <want.hex
	[ "$output" = "$(cat values.json)" ]
}

@test "libpf: PeerJS's chunk envelope and close message are told apart from events" {
	run -0 --separate-stderr pf-test-tool unpack < <(grep '^#' "$FIXTURES/binpack/vectors.tsv" | cut -f2)
	[ "$output" = "chunk 7 1/3 3
close" ]
}

@test "libpf: a chunk envelope packs as PeerJS's chunker packs it, and reads back" {
	local n js
	for n in 3 200 16300 70000; do
		js=$(cd "$BATS_TEST_DIRNAME/browser" && node -e '
const { pack } = require("peerjs-js-binarypack");
const n = Number(process.argv[1]), d = new Uint8Array(n);
for (let i = 0; i < n; i++) d[i] = i & 0xff;
process.stdout.write(Buffer.from(pack({ __peerData: 123456, n: 0, data: d, total: 5 })).toString("hex"));
' "$n")
		run -0 --separate-stderr pf-test-tool chunk 123456 5 "$n"
		[ "$output" = "$js" ]
		run -0 --separate-stderr pf-test-tool unpack <<<"$output"
		[ "$output" = "chunk 123456 0/5 $n" ]
	done
}

@test "libpf: every example event packs and unpacks to itself" {
	pf-test-tool pack <"$EXAMPLES/prometheus-101.jsonl" >ex.hex
	run -0 --separate-stderr pf-test-tool unpack <ex.hex
	[ "$output" = "$(cat "$EXAMPLES/prometheus-101.jsonl")" ]
}

@test "libpf: hostile BinaryPack is refused with the byte and the reason, never a crash" {
	local deep
	deep=$(printf '91%.0s' $(seq 1 100))c0
	printf '%s\n' "" dd7fffffff df7fffffff "$deep" b2c328 a3010203 c4 c0c0 \
	    81c0c0 cd01 b100 dbffffffff01 b1 d80005616263 \
	    84ba5f5f706565724461746107b16e03b464617461a3010203b5746f74616c03 \
	    84ba5f5f706565724461746107b16e01b464617461c0b5746f74616c03 >bad.hex
	run -1 --separate-stderr pf-test-tool unpack <bad.hex
	[ "$output" = "error: BinaryPack: byte 0: the message ends where a value should be
error: BinaryPack: byte 0: a length longer than the message
error: BinaryPack: byte 0: a length longer than the message
error: BinaryPack: byte 64: nested deeper than 64
error: BinaryPack: byte 1: a string that is not UTF-8
error: BinaryPack: byte 0: raw bytes, which no event carries
error: BinaryPack: byte 0: a type byte BinaryPack does not define
error: BinaryPack: byte 1: bytes after the value
error: BinaryPack: byte 1: a map key that is neither a string nor a number
error: BinaryPack: byte 1: the message ends inside a number
error: BinaryPack: byte 1: a NUL in a string
error: BinaryPack: byte 0: raw bytes, which no event carries
error: BinaryPack: byte 0: a string longer than the message
error: BinaryPack: byte 0: a length longer than the message
error: BinaryPack: byte 0: a chunk number out of its range
error: BinaryPack: byte 22: a chunk envelope that is not {__peerData, n, data, total}" ]
}

@test "libpf: 3,000 random and mangled BinaryPack messages decode or fail cleanly" {
	python3 - "$FIXTURES/binpack/vectors.tsv" >fuzz.hex <<'EOF2'
import random, sys
random.seed(2026)
seeds = [bytes.fromhex(l.rstrip("\n").split("\t")[1]) for l in open(sys.argv[1])]
for i in range(3000):
    b = bytearray(random.choice(seeds))
    for _ in range(random.randint(1, 4)):
        op = random.randint(0, 2)
        if op == 0 and b:
            b[random.randrange(len(b))] = random.randrange(256)
        elif op == 1 and b:
            del b[random.randrange(len(b)):]
        else:
            b.insert(random.randrange(len(b) + 1), random.randrange(256))
    print(b.hex())
EOF2
	run --separate-stderr pf-test-tool unpack <fuzz.hex
	# Every message gets a line: JSON, "error: ...", a chunk or close.
	[ "$status" -le 1 ]
	[ "${#lines[@]}" = 3000 ]
	[ "$stderr" = "" ]
	[ "$(grep -vc '^error: BinaryPack: byte [0-9]*: ' <<<"$output" | tr -d ' ')" -ge 1 ]
	grep -v '^error: \|^chunk \|^close$' <<<"$output" | jq -c . >/dev/null
}

# --- the presenter's proof and the join code (lib/pf_p256, lib/pf_joincode) --

# webcrypto JS: runs JS with WebCrypto (node's, as the app's browser has it).
webcrypto() {
	node --input-type=module -e "const subtle = globalThis.crypto.subtle;
const hex = (b) => Buffer.from(b).toString('hex');
const unhex = (h) => new Uint8Array(Buffer.from(h, 'hex'));
const alg = { name: 'ECDSA', namedCurve: 'P-256' }, sha = { name: 'ECDSA', hash: 'SHA-256' };
$1" "${@:2}"
}

@test "libpf: a WebCrypto signature verifies; a changed byte, message or key does not" {
	command -v node >/dev/null || skip "no node"
	local spki sig bad
	read -r spki sig < <(webcrypto "
const k = await subtle.generateKey(alg, true, ['sign', 'verify']);
const s = await subtle.sign(sha, k.privateKey, new TextEncoder().encode('Xq3v9Lk2mP0aZr7tYb4wCg'));
console.log(hex(await subtle.exportKey('spki', k.publicKey)), hex(s));")
	[ "${#spki}" = 182 ]
	[ "${#sig}" = 128 ]
	run -0 --separate-stderr pf-test-tool p256 verify "$spki" Xq3v9Lk2mP0aZr7tYb4wCg "$sig"
	[ "$output" = good ]
	bad=${sig:0:127}$(( (${sig:127:1} + 1) % 10 ))
	[[ "${sig:127:1}" =~ [0-9] ]] || bad=${sig:0:127}0
	run -1 --separate-stderr pf-test-tool p256 verify "$spki" Xq3v9Lk2mP0aZr7tYb4wCg "$bad"
	[ "$output" = bad ]
	run -1 --separate-stderr pf-test-tool p256 verify "$spki" Xq3v9Lk2mP0aZr7tYb4wCh "$sig"
	[ "$output" = bad ]
	run -1 --separate-stderr pf-test-tool p256 verify "${spki:0:180}" Xq3v9Lk2mP0aZr7tYb4wCg "$sig"
	[ "$stderr" = "pf-test-tool: p256: the public key is not an uncompressed P-256 key (SubjectPublicKeyInfo DER)" ]
	run -1 --separate-stderr pf-test-tool p256 verify "${spki:0:54}$(printf '0%.0s' $(seq 1 128))" Xq3v9Lk2mP0aZr7tYb4wCg "$sig"
	[ "$stderr" = "pf-test-tool: p256: the public key is not a point on the P-256 curve" ]
}

@test "libpf: what pf signs, WebCrypto verifies" {
	command -v node >/dev/null || skip "no node"
	local spki sig
	read -r spki sig < <(pf-test-tool p256 sign Xq3v9Lk2mP0aZr7tYb4wCg)
	run -0 webcrypto "
const k = await subtle.importKey('spki', unhex(process.argv[1]), alg, false, ['verify']);
console.log(await subtle.verify(sha, k, unhex(process.argv[2]), new TextEncoder().encode('Xq3v9Lk2mP0aZr7tYb4wCg')));" "$spki" "$sig"
	[ "$output" = true ]
}

@test "libpf: a join code as the app writes it is read, name in Latin-1, key in base64url" {
	command -v node >/dev/null || skip "no node"
	local spki code
	read -r spki _ < <(pf-test-tool p256 sign x)
	code=$(webcrypto "
const key = Buffer.from(process.argv[1], 'hex').toString('base64url');
console.log(btoa(JSON.stringify({ id: 'p3x9fa', name: 'Caf\\u00e9 101', url: 'https://grafana.com/t/', pubkey: key })));" "$spki")
	run -0 --separate-stderr pf-test-tool joincode "  $code  "
	[ "$output" = "p3x9fa
Caf$(printf '\303\251') 101
https://grafana.com/t/
91" ]
	run -0 --separate-stderr pf-test-tool joincode "http://localhost:3000/a/grafana-grafanadocsplugin-app?x=1&session=$(node -e 'console.log(encodeURIComponent(process.argv[1]))' "$code")#top"
	[ "${lines[0]}" = p3x9fa ]
	# The legacy forms: tutorialUrl and sessionPublicKey, a bare peer id.
	code=$(node -e "console.log(btoa(JSON.stringify({ id: 'abc123', tutorialUrl: 'https://t/' })))")
	run -0 --separate-stderr pf-test-tool joincode "$code"
	[ "$output" = "abc123
Live Session
https://t/
0" ]
	run -0 --separate-stderr pf-test-tool joincode AbC123
	[ "$output" = "abc123
Session

0" ]
}

@test "libpf: a join code pf makes reads back in the app's way, whatever the name" {
	command -v node >/dev/null || skip "no node"
	local spki out code url
	read -r spki _ < <(pf-test-tool p256 sign x)
	out=$(pf-test-tool joincode-make p3x9fa "Caf$(printf '\303\251') \"101\" $(printf '\342\234\223 \360\237\230\200')" https://grafana.com/t/ "$spki" http://localhost:3000/)
	code=${out%%$'\n'*}
	url=${out#*$'\n'}
	run -0 node -e "
const code = process.argv[1], url = new URL(process.argv[2]);
const o = JSON.parse(atob(new URLSearchParams(url.search).get('session')));
console.log(url.pathname, o.id, o.name, o.url, Buffer.from(o.pubkey, 'base64url').toString('hex') === process.argv[3], atob(code) === atob(new URLSearchParams(url.search).get('session')));" "$code" "$url" "$spki"
	[ "$output" = "/a/grafana-grafanadocsplugin-app p3x9fa Caf$(printf '\303\251') \"101\" $(printf '\342\234\223 \360\237\230\200') https://grafana.com/t/ true true" ]
	run -0 --separate-stderr pf-test-tool joincode "$url"
	[ "${lines[1]}" = "Caf$(printf '\303\251') \"101\" $(printf '\342\234\223 \360\237\230\200')" ]
	[ "${lines[3]}" = 91 ]
}

@test "libpf: text that is no join code is refused, saying what a code is" {
	local t
	for t in "" xyz "$(printf '%s' '{"name":"x"}' | base64 -w0)" "http://h/a/x?other=1"; do
		run -1 --separate-stderr pf-test-tool joincode "$t"
	done
	run -1 --separate-stderr pf-test-tool joincode xyz
	[ "$stderr" = "pf-test-tool: joincode: not a join code: neither base64 of a JSON object with an 'id' nor a six-character peer id" ]
	run -1 --separate-stderr pf-test-tool joincode "http://h/a/x?other=1"
	[ "$stderr" = "pf-test-tool: joincode: a join URL has a 'session' parameter, and this one has none" ]
	run -1 --separate-stderr pf-test-tool joincode "$(printf '%s' '{"id":"abc123","pubkey":"AAAA"}' | base64 -w0)"
	[ "$stderr" = "pf-test-tool: joincode: the code's public key is not a P-256 key in base64url" ]
}

@test "libpf: SHA-256 and base64 give the known answers (FIPS 180-4, RFC 4648)" {
	run -0 pf-test-tool sha256 abc
	[ "$output" = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=" ]
	run -0 pf-test-tool sha256 ""
	[ "$output" = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=" ]
	run -0 pf-test-tool sha256 abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq
	[ "${output%% *}" = 248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1 ]
}

# escape_each: lines "FLAGS|INPUT|LITERAL" (INPUT and LITERAL through
# printf %b): pf-test-tool jw-string FLAGS turns INPUT into LITERAL.
escape_each() {
	local flags in want got
	while IFS='|' read -r flags in want; do
		got=$(printf '%b' "$in" | pf-test-tool jw-string "$flags")
		[ "$got" = "$(printf '%b' "$want")" ] ||
			{ echo "$flags '$in' gave '$got'" >&2; return 1; }
	done
}

@test "libpf: the JSON string escaper writes each byte that does not start valid UTF-8 as U+FFFD" {
	escape_each <<'LIST'
-|a\xffb|"a\xef\xbf\xbdb"
-|caf\xc3|"caf\xef\xbf\xbd"
-|\xc0\xaf|"\xef\xbf\xbd\xef\xbf\xbd"
-|\xed\xa0\x80|"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
-|\xf4\x90\x80\x80|"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
-|\x80caf\xc3\xa9 \xf0\x9f\x98\x80|"\xef\xbf\xbdcaf\xc3\xa9 \xf0\x9f\x98\x80"
ascii|\xffcaf\xc3\xa9 \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf|"\\ufffdcaf\\u00e9 \\ud83d\\ude00 \\udbff\\udfff"
script|\xe2\x80|"\xef\xbf\xbd\xef\xbf\xbd"
LIST
}

@test "libpf: the JSON string escaper writes controls short or as lower-case \\u00xx, and script-safe text with < > & U+2028 U+2029 escaped" {
	escape_each <<'LIST'
-|"\\/\x7f|"\\"\\\\/\x7f"
-|\x01\x08\x0c\x0a\x0d\x09\x1b\x1f|"\\u0001\\b\\f\\n\\r\\t\\u001b\\u001f"
-|</script>&\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaa|"</script>&\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaa"
script|</script>&\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaa|"\\u003c/script\\u003e\\u0026\\u2028\\u2029\xe2\x80\xaa"
ascii|<&>\xe2\x80\xa8|"<&>\\u2028"
LIST
	# A NUL byte is part of the text, not its end.
	run -0 --separate-stderr pf-test-tool jw-string - < <(printf 'a\000b')
	[ "$output" = '"a\u0000b"' ]
}

@test "libpf: pf_jw_real writes reals byte for byte as jansson, in 6 and in 17 digits" {
	# Each line: the value, jansson's json_dumps with JSON_REAL_PRECISION(6)
	# (pf-index's ratio), and with the default 17.
	local v six seventeen
	while read -r v six seventeen; do
		[ "$(pf-test-tool jw-real 6 "$v")" = "$six" ] ||
			{ echo "$v in 6 digits" >&2; return 1; }
		[ "$(pf-test-tool jw-real 0 "$v")" = "$seventeen" ] ||
			{ echo "$v in 17 digits" >&2; return 1; }
	done <<'LIST'
0 0.0 0.0
1 1.0 1.0
0.993 0.993 0.99299999999999999
0.1 0.1 0.10000000000000001
-3 -3.0 -3.0
100 100.0 100.0
12345.678 12345.7 12345.678
1e6 1e6 1000000.0
999999.5 1e6 999999.5
123456789 1.23457e8 123456789.0
1e21 1e21 1e21
1.5e-7 1.5e-7 1.4999999999999999e-7
0.0001 0.0001 0.0001
2.5e-300 2.5e-300 2.5e-300
LIST
	run -0 pf-test-tool jw-real 6 nan inf -inf
	[ "$output" = "null
null
null" ]
}

@test "libpf: pf_jw writes a record: commas, nesting, null for a NULL string and a NaN" {
	run -0 --separate-stderr pf-test-tool jw-record
	[ "$output" = '{"s":"a\"b","none":null,"i":-9223372036854775808,"r":1.0,"t":true,"f":false,"n":null,"a":[1,{},[],"x"],"o":{"nan":null}}' ]
}
