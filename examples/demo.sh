#!/bin/sh
# make demo: the tools on the example recordings, as a user would run them.
set -eu
cd "$(dirname "$0")/.."
bin=${BUILD:-build}

run() {
	printf '\n$ %s\n' "$*"
	"$@"
}

# A pipeline, shown as typed.
run_pipe() {
	printf '\n$ %s\n' "$1"
	sh -c "$1"
}

echo "pf demo: the tools on examples/ (binaries in $bin/)"
PATH=$PWD/$bin:$PATH
export PATH
run pf-lint examples/prometheus-101.jsonl examples/prometheus-101.jsonl.gz \
	examples/prometheus-101.json
echo "(no findings: all three recordings are valid)"
printf '\n$ %s\n' "pf-lint --format json  # on a recording with mistakes"
pf-lint --format json examples/mistakes.jsonl || true

echo
echo "A live-looking stream: the example replayed 20 times as fast (gaps over"
echo "2 s cut short, heartbeats left out) and recorded as it arrives:"
out=${TMPDIR:-/tmp}/pf-demo
mkdir -p "$out"
run_pipe "pf-play --speed 20 --idle-limit 2s --exclude-types heartbeat examples/prometheus-101.jsonl | pf-record -o $out/replayed.jsonl.gz"
run pf-lint "$out/replayed.jsonl.gz"
echo
echo "The steps of the new recording, replayed as fast as they can go:"
run_pipe "pf-play --speed max --types show_me,do_it $out/replayed.jsonl.gz | cut -c 1-110"

echo
echo "The session as a tutorial page and as a Pathfinder guide:"
run pf-convert -o "$out/prometheus-101.html" examples/prometheus-101.jsonl
run pf-convert -t guide -o "$out/guides" examples/prometheus-101.jsonl
echo
echo "A library of the examples, searched:"
rm -f "$out/index.db"
run pf-index --db "$out/index.db" add examples
run pf-index --db "$out/index.db" search port 9090
echo
echo "pf demo: done.  Open these:"
echo "  tutorial  file://$out/prometheus-101.html"
echo "  guide     $out/guides/prometheus-monitoring-101-k7m2qx/content.json"
echo "  index     pf-index --db $out/index.db list"
