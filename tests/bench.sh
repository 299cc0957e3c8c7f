#!/bin/sh
# make bench: the performance targets of the issues, measured in one run
# against their peers and printed as ratios.  Each timing is the median of
# three runs; the machines are shared, so read the ratios, not the seconds.
set -eu

build=${PF_BUILD:?PF_BUILD must name the build directory}
events=${PF_BENCH_EVENTS:-1000000}
work=$(mktemp -d "${TMPDIR:-/tmp}/pf-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
# A measurement that fails (in a subshell) ends the whole run with status 1.
trap 'echo "pf bench: stopped: a command failed" >&2; exit 1' TERM
trap 'exit 130' INT
export LC_ALL=C

# median_seconds CMD...: runs CMD three times, prints the median wall time.
# A command that fails fails the benchmark: its time would mean nothing.
# Each run starts after sync(1), so that the kernel writing back what was
# written before (the inputs made, the last run's outputs) is not counted.
median_seconds() {
	for _ in 1 2 3; do
		sync
		if ! /usr/bin/time -f %e -o "$work/t" "$@" >/dev/null 2>"$work/err"; then
			echo "pf bench: failed: $* ($(tail -1 "$work/err"))" >&2
			kill -TERM $$
			exit 1
		fi
		tail -1 "$work/t"
	done | sort -n | sed -n 2p
}

# peak_kb CMD...: the peak resident set of one run, in KiB.
peak_kb() {
	if ! /usr/bin/time -f %M -o "$work/m" "$@" >/dev/null 2>"$work/err"; then
		echo "pf bench: failed: $* ($(tail -1 "$work/err"))" >&2
		kill -TERM $$
		exit 1
	fi
	tail -1 "$work/m"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN {
	ok = (op == ">=") ? (v >= t) : (v <= t); print ok ? "met" : "NOT met" }'; }

rec=$work/bench.jsonl
"$build/pf-test-tool" gen "$events" >"$rec"
size=$(wc -c <"$rec")
echo "pf bench: $events events, $((size / 1000000)) MB ($rec)"
"$build/pf-lint" "$rec" || { echo "pf bench: the generated recording does not lint clean" >&2; exit 1; }

echo
echo "== pf-lint (issue 2) =="
t_lint=$(median_seconds "$build/pf-lint" "$rec")
t_jq=$(median_seconds jq -e 'type == "object" and (.type | type == "string") and (.timestamp | type == "number")' "$rec")
t_bare=$(median_seconds "$build/bench-bare" pf "$rec")
t_jansson=$(median_seconds "$build/bench-bare" jansson "$rec")
echo "pf-lint:                     ${t_lint} s"
echo "pf_reader + pf_jv_parse:     ${t_bare} s   (pf-lint's own parse loop, no rules)"
echo "jq -e (type and timestamp):  ${t_jq} s"
echo "getline + json_loadb loop:   ${t_jansson} s   (jansson)"
r=$(ratio "$t_lint" "$t_bare")
echo "rules' cost, vs own parse:   ${r}x   (target <= 2x: $(verdict "$r" 2 '<='))"
r=$(ratio "$t_jq" "$t_lint")
echo "throughput vs jq:            ${r}x   (target >= 2.5x: $(verdict "$r" 2.5 '>='))"
r=$(ratio "$t_lint" "$t_jansson")
echo "time vs jansson loop:        ${r}x   (target <= 1.25x: $(verdict "$r" 1.25 '<='))"
head -n $((events / 10)) "$rec" >"$work/small.jsonl"
m_small=$(peak_kb "$build/pf-lint" "$work/small.jsonl")
m_big=$(peak_kb "$build/pf-lint" "$rec")
gzip -1 -c "$rec" >"$rec.gz"
m_gz=$(peak_kb "$build/pf-lint" "$rec.gz")
m_bare=$(peak_kb "$build/bench-bare" pf "$rec")
echo "peak memory:                 $((m_small / 1024)) MB at $((events / 10)) events, $((m_big / 1024)) MB at $events, $((m_gz / 1024)) MB gzip   (target <= 16 MB: $(verdict "$m_big" 16384 '<='))"
echo "peak memory, own parse loop: $((m_bare / 1024)) MB at $events"

echo
echo "== pf-play and pf-record (issue 3) =="
secs=${PF_BENCH_PLAY_SECONDS:-60}
ticks=$((secs * 1000))
"$build/pf-test-tool" tick "$ticks" 1 >"$work/tick.jsonl"
# The same schedule for scriptreplay: one 2-byte line every millisecond.
{
	echo "Script started on 2026-01-01 00:00:00+00:00"
	i=0
	while [ "$i" -lt "$ticks" ]; do echo e; i=$((i + 1)); done
} >"$work/tick.typescript"
awk -v n="$ticks" 'BEGIN { print "0.000000 2"; for (i = 1; i < n; i++) print "0.001000 2" }' >"$work/tick.timing"
echo "1 ms spacing for $secs s, arrivals timed by a reader on a pipe:"
"$build/pf-play" "$work/tick.jsonl" | "$build/bench-arrivals" "  pf-play" 1000 | tee "$work/play.txt"
scriptreplay -t "$work/tick.timing" "$work/tick.typescript" | "$build/bench-arrivals" "  scriptreplay" 1000
p99=$(sed 's/.*p99 \([-0-9.]*\) ms.*/\1/' "$work/play.txt")
drift=$(sed 's/.*drift \([-0-9.]*\) ms.*/\1/' "$work/play.txt")
adrift=$(awk -v d="$drift" 'BEGIN { print (d < 0 ? -d : d) }')
echo "pf-play p99 lateness:        ${p99} ms   (target <= 1 ms: $(verdict "$p99" 1 '<='))"
echo "pf-play drift:               ${adrift} ms   (target <= 1 ms: $(verdict "$adrift" 1 '<='))"

t_play=$(median_seconds "$build/pf-play" --speed max --no-wait "$rec")
r=$(ratio "$t_play" "$t_lint")
echo "pf-play --speed max:         ${t_play} s, ${r}x pf-lint's time   (target <= 1.5x: $(verdict "$r" 1.5 '<='))"
t_rec=$(median_seconds sh -c "cat '$rec' | '$build/pf-record' -q -o '$work/rec.jsonl'")
rate=$(awk -v n="$events" -v t="$t_rec" 'BEGIN { printf "%d", (t > 0 ? n / t : 0) }')
echo "pf-record from a pipe:       ${t_rec} s, ${rate} events/s   (target >= 200000: $(verdict "$rate" 200000 '>='))"

echo
echo "== pf-convert (issue 4) =="
t_conv=$(median_seconds "$build/pf-convert" -q -o "$work/bench.html" "$rec")
r=$(ratio "$t_conv" "$t_lint")
echo "pf-convert to HTML:          ${t_conv} s, ${r}x pf-lint's time   (target <= 2x: $(verdict "$r" 2 '<='))"
mkdir -p "$work/many"
i=0
while [ "$i" -lt 1000 ]; do
	cp examples/prometheus-101.jsonl "$work/many/session-$i.jsonl"
	i=$((i + 1))
done
t_j1=$(median_seconds "$build/pf-convert" -q -j 1 -o "$work/out1" "$work"/many/*.jsonl)
t_j2=$(median_seconds "$build/pf-convert" -q -j 2 -o "$work/out2" "$work"/many/*.jsonl)
r=$(ratio "$t_j2" "$t_j1")
echo "1000 workshops, -j 1:        ${t_j1} s"
echo "1000 workshops, -j 2:        ${t_j2} s, ${r}x   (target <= 0.6x: $(verdict "$r" 0.6 '<='))"
# Real batches are not 1,000 copies of one file: one 50 MB recording among
# 10 of 5 MB, 100 of 500 KB, 1,000 of 5 KB and 100 of 1 KB.  The biggest is
# about a third of the whole, so two workers can still halve the time.
mkdir -p "$work/mixed"
for spec in 300000:1 30000:10 3000:100 30:1000 6:100; do
	n=${spec%%:*} copies=${spec#*:}
	"$build/pf-test-tool" gen "$n" >"$work/mixed/size-$n-0.jsonl"
	i=1
	while [ "$i" -lt "$copies" ]; do
		cp "$work/mixed/size-$n-0.jsonl" "$work/mixed/size-$n-$i.jsonl"
		i=$((i + 1))
	done
done
mb=$(cat "$work"/mixed/*.jsonl | wc -c)
t_m1=$(median_seconds "$build/pf-convert" -q -j 1 -o "$work/mout1" "$work"/mixed/*.jsonl)
t_m2=$(median_seconds "$build/pf-convert" -q -j 2 -o "$work/mout2" "$work"/mixed/*.jsonl)
r=$(ratio "$t_m2" "$t_m1")
echo "1211 mixed, 1 KB-50 MB, -j 1: ${t_m1} s ($((mb / 1000000)) MB)"
echo "1211 mixed, -j 2:            ${t_m2} s, ${r}x   (target <= 0.6x: $(verdict "$r" 0.6 '<='))"

echo
echo "== pf-index (issue 5) =="
rm -f "$work/index.db"*
t_idx=$(median_seconds sh -c "rm -f '$work/index.db'*; '$build/pf-index' -q --db '$work/index.db' add '$rec'")
rate=$(awk -v n="$events" -v t="$t_idx" 'BEGIN { printf "%d", (t > 0 ? n / t : 0) }')
echo "indexing $events events:     ${t_idx} s, ${rate} events/s   (target >= 250000: $(verdict "$rate" 250000 '>='))"
# Search: each query timed from the command's start to its end, as a user
# waits for it (fork to exit, by pf-test-tool time), over a spread of
# common and rare words.  /bin/true timed the same way says what starting
# a process costs on this machine.
for q in port 9090 prometheus pushgateway "port 9090" server datasource \
	testid connection explore canvas panel step attendee workshop \
	bench "add new" url part nothing-matches-this; do
	# 1 is "nothing matched"; anything else fails the run.
	st=0
	# shellcheck disable=SC2086 # two-word queries are two words
	"$build/pf-test-tool" time "$work/us" "$build/pf-index" \
		--db "$work/index.db" search --limit 20 $q >/dev/null || st=$?
	if [ "$st" -gt 1 ]; then
		echo "pf bench: failed: pf-index search $q" >&2
		kill -TERM $$
	fi
	cat "$work/us"
done | sort -n >"$work/search.us"
for _ in 1 2 3 4 5 6 7 8 9 10 11; do
	if ! "$build/pf-test-tool" time "$work/us" /bin/true; then
		echo "pf bench: failed: /bin/true" >&2
		kill -TERM $$
	fi
	cat "$work/us"
done | sort -n >"$work/true.us"
p50=$(awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }' "$work/search.us")
p50_true=$(awk '{ a[NR] = $1 } END { printf "%.1f", a[int((NR + 1) / 2)] / 1000 }' "$work/true.us")
echo "search p50 (20 queries):     ${p50} ms   (target <= 10 ms: $(verdict "$p50" 10 '<=')); /bin/true: ${p50_true} ms"
"$build/pf-index" -q --db "$work/many.db" add "$work/many"
t_re=$(median_seconds "$build/pf-index" -q --db "$work/many.db" add "$work/many")
echo "add over 1000 unchanged:     ${t_re} s   (target <= 1 s: $(verdict "$t_re" 1 '<='))"
