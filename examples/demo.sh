#!/bin/sh
# make demo: the tools on the example recordings, as a user would run them.
set -eu
cd "$(dirname "$0")/.."
bin=${BUILD:-build}

run() {
	printf '\n$ %s\n' "$*"
	"$@"
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
echo "pf demo: done"
