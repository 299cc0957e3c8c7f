#!/usr/bin/env bats
# The examples of README.md and of the man pages (man/*.1, man/*.5), run.
#
# doc_examples extracts every example command: in README.md, the indented
# code blocks that start with a command ("$ ..." or a tool's name); in a
# man page, the literal displays (.Bd -literal, .Dl) of EXAMPLES.  A line
# "$ CMD" is a command and the lines after it, up to the next "$ " line
# or the end of the block, are what it prints (stdout and stderr); "$ echo
# $?" and a number is its exit status.  In a block without "$ ", each line
# is a command.  A line ending with "\" or "|" goes on on the next line;
# "  # words" at the end of a line is a comment.
#
# Each document's test runs its examples in order, in its own scratch
# directory holding a copy of examples/ and the files the examples name,
# with bash -o pipefail: the status must be 0 (or the one shown) and, when
# the document shows output, the output must be what is shown ("..." as
# its last line: what is shown is the start).  A document that shows an
# absolute path names its files as if it ran in /srv/pf (README.md) or
# /srv/rec (pf-index(1)): the scratch directory's real path is read as
# that.  Some commands stand for something the test cannot run as is
# (see example_plan): they are run in a form that can run, with the
# difference said there, or skipped with the reason (pf-live's, which
# need a PeerJS server, a presenter and attendees); an example that
# example_plan does not know and that is not a pf tool fails the test.

load test_helper
load play_helper

setup() {
	pf_setup
	BG_PIDS=()
}

teardown() {
	local p

	stop_receiver
	for p in "${BG_PIDS[@]}"; do
		kill -- "$p" 2>/dev/null || true
	done
	return 0
}

DOCDIR="$BATS_TEST_DIRNAME/.."

# doc_examples FILE OUTDIR: writes each example of FILE as OUTDIR/N.cmd
# (the command), OUTDIR/N.out (what it prints, when shown), OUTDIR/N.st
# (its exit status, when shown) and OUTDIR/N.where (FILE:LINE).  Prints
# the number of examples.
doc_examples() {
	"$PYTHON" - "$1" "$2" <<'EOF'
import os, re, sys

path, outdir = sys.argv[1], sys.argv[2]
os.makedirs(outdir, exist_ok=True)
lines = open(path, encoding="utf-8").read().split("\n")
name = os.path.basename(path)
blocks = []          # [(first line number, [lines])]

if path.endswith(".md"):
    cur, start = None, 0
    for i, l in enumerate(lines, 1):
        if l.startswith("    ") and (cur is not None or
                                    (i > 1 and lines[i - 2].strip() == "")):
            if cur is None:
                cur, start = [], i
            cur.append(l[4:])
        elif cur is not None:
            blocks.append((start, cur))
            cur = None
    if cur is not None:
        blocks.append((start, cur))
    def is_example(b):
        w = b[1][0].split()
        return bool(w) and (w[0] == "$" or w[0].startswith("pf-") or
                            w[0] == "make" or re.match(r"^[A-Z_]+=", w[0]))
    blocks = [b for b in blocks if is_example(b)]
else:
    sect, cur, start = None, None, 0
    for i, l in enumerate(lines, 1):
        if l.startswith(".Sh "):
            sect = l[4:].strip()
            continue
        if sect != "EXAMPLES":
            continue
        if l.startswith(".Dl "):
            blocks.append((i, [l[4:]]))
        elif l.startswith(".Bd -literal"):
            cur, start = [], i + 1
        elif l.startswith(".Ed") and cur is not None:
            blocks.append((start, cur))
            cur = None
        elif cur is not None:
            cur.append(l)
    def unescape(l):
        return l.replace("\\e", "\\").replace("\\&", "").replace("\\-", "-")
    blocks = [(s, [unescape(l) for l in b]) for s, b in blocks]
    # Lines of a recording or a document shown as data, not commands.
    blocks = [b for b in blocks if b[1] and not b[1][0].startswith("{")]

n = 0
def emit(where, cmd, out, st):
    global n
    n += 1
    base = os.path.join(outdir, str(n))
    open(base + ".cmd", "w").write(cmd + "\n")
    open(base + ".where", "w").write(where + "\n")
    if out is not None:
        open(base + ".out", "w").write("\n".join(out) + "\n")
    if st is not None:
        open(base + ".st", "w").write(st + "\n")

def strip_comment(l):
    return re.sub(r"\s{2,}#\s.*$", "", l).rstrip()

for start, b in blocks:
    dollar = any(l.startswith("$ ") for l in b)
    i = 0
    pending = None   # [where, cmd, out, st]
    while i < len(b):
        l = b[i]
        where = "%s:%d" % (name, start + i)
        if dollar and not l.startswith("$ "):
            if pending is not None:
                pending[2].append(l)
            i += 1
            continue
        cmd = strip_comment(l[2:] if dollar else l)
        while (cmd.endswith("\\") or cmd.endswith("|")) and i + 1 < len(b):
            i += 1
            nxt = strip_comment(b[i]).strip()
            cmd = cmd[:-1].rstrip() + " " + nxt if cmd.endswith("\\") \
                else cmd + " " + nxt
        i += 1
        if cmd == "echo $?" and pending is not None:
            pending[3] = b[i].strip()
            i += 1
            continue
        if pending is not None:
            emit(pending[0], pending[1], pending[2] or None, pending[3])
        if not cmd:
            pending = None
            continue
        pending = [where, cmd, [], None]
    if pending is not None:
        emit(pending[0], pending[1], pending[2] or None, pending[3])
print(n)
EOF
}

# example_plan CMD: how the test runs the example CMD, one line:
#   run                 as is
#   run:CMD2            CMD2 instead, for the reason in the comment
#   status:N            as is, exiting N
#   receiver            against the test's HTTP receiver
#   timed:S             as is for S seconds: a real-time playback of the
#                       30-minute session; it must still run (or have
#                       ended well) then, and have said nothing on stderr
#   skip:REASON         not run, and why
# Nothing for a command it does not know.
example_plan() {
	case $1 in
	'make demo' | 'make check')
		echo "skip:it builds into build/ and runs the demo or the whole suite, this file with it"
		;;
	pf-live* | *'| pf-live '* | *'|pf-live '*)
		echo "skip:pf-live needs a PeerJS server, a presenter and attendees (tests/pf-live.bats and tests/pf-live-host.bats run them)"
		;;
	'GRAFANA_URL='*'npx playwright test'*)
		echo "skip:it needs a Grafana (tests/pf-convert-playwright.bats runs the specs against a stand-in page)"
		;;
	pathfinder-cli*)
		echo "skip:pathfinder-cli is the app's checker, built from its source (tests/pf-convert.bats runs it when PF_PATHFINDER_CLI is set)"
		;;
	'- run: '*)
		# A step of a GitHub Actions workflow: its command.
		echo "run:${1#- run: }"
		;;
	*'--post http://127.0.0.1:8080/'* | *'--grafana http://localhost:3000'*)
		# Against the test's HTTP receiver instead of a test endpoint or
		# a Grafana, at -s max instead of in real time.
		echo "receiver"
		;;
	'pf-play -s 2 -i 5s -x heartbeat examples/prometheus-101.jsonl' | \
		'pf-play --follow live.jsonl | consumer')
		echo "timed:2"
		;;
	'pf-lint --format json examples/mistakes.jsonl | jq '*)
		# Under pipefail: pf-lint's status for findings.
		echo "status:1"
		;;
	'live-stream | pf-record --append -o workshop.jsonl')
		# A recording whose recorder was stopped, and the rest of the
		# stream.
		echo "run:head -n 300 examples/prometheus-101.jsonl >workshop.jsonl && tail -n +301 examples/prometheus-101.jsonl >rest.jsonl && LIVE_STREAM=rest.jsonl $1"
		;;
	'pf-play --speed 20 examples/prometheus-101.jsonl | pf-record -o copy.jsonl')
		# 90 s in real time; its idle gaps cut to 2 s, 9 s.
		echo "run:${1/--speed 20/--speed 20 --idle-limit 2s}"
		;;
	'gzip -dc examples/'*)
		echo run
		;;
	'live-stream | '* | pf-lint* | pf-record* | pf-play* | pf-convert* | pf-index* | \
		'GRAFANA_TOKEN='*)
		echo run
		;;
	esac
}

# example_scratch: the files the examples name, in the working directory:
# examples/ (a copy), recordings/ and archive/, live.jsonl, workshop.jsonl
# and .jsonl.gz, ~/recordings (two sessions) and workshops-2025.tar.gz (a
# third); live-stream (prints $LIVE_STREAM, by default the example
# session) and consumer (reads it all) on PATH; JOB for the CI examples.
example_scratch() {
	cp -r "$EXAMPLES" examples
	rm -f examples/*.py examples/*.sh examples/*.png
	mkdir -p recordings archive bin "$HOME/recordings"
	cp examples/prometheus-101.jsonl.gz recordings/
	cp examples/prometheus-101.jsonl archive/
	cp examples/prometheus-101.jsonl live.jsonl
	cp examples/prometheus-101.jsonl workshop.jsonl
	cp examples/prometheus-101.jsonl.gz workshop.jsonl.gz
	cp examples/prometheus-101.jsonl "$HOME/recordings/"
	cp examples/mistakes.jsonl "$HOME/recordings/loki-2.jsonl"
	tar -czf workshops-2025.tar.gz -C examples mistakes.jsonl
	# shellcheck disable=SC2016 # expanded by the script
	printf '#!/bin/sh\nexec cat "${LIVE_STREAM:-%s}"\n' "$PWD/examples/prometheus-101.jsonl" >bin/live-stream
	printf '#!/bin/sh\nexec cat >/dev/null\n' >bin/consumer
	chmod +x bin/live-stream bin/consumer
	PATH="$PWD/bin:$PATH"
	JOB=1
	export JOB
}

# run_doc FILE [DIR AS]: runs the examples of FILE (relative to the
# source tree) as the comment at the top says; AS is the absolute
# directory that FILE's sample output names for DIR (relative to the
# scratch directory, . for itself).  Sets RAN and
# SKIPPED to the number of examples run and skipped, and prints the
# skipped ones with their reason (bats shows them with --show-output-of-
# passing-tests, and on failure).
run_doc() {
	local doc=$1 dir=${2:-.} as=${3:-} n i cmd plan got st want_st rc=0 here
	local -a skipped=()

	RAN=0

	example_scratch
	here=$(cd "$dir" && pwd -P)
	n=$(doc_examples "$DOCDIR/$doc" ex)
	[ "$n" -gt 0 ] || {
		echo "no example found in $doc" >&2
		return 1
	}
	for ((i = 1; i <= n; i++)); do
		cmd=$(cat "ex/$i.cmd")
		plan=$(example_plan "$cmd")
		case $plan in
		'')
			echo "$(cat "ex/$i.where"): example not known to tests/docs.bats: $cmd" >&2
			rc=1
			continue
			;;
		skip:*)
			skipped+=("$(cat "ex/$i.where"): $cmd: ${plan#skip:}")
			continue
			;;
		run:*) cmd=${plan#run:} ;;
		status:*) ;;
		receiver)
			start_receiver >&2
			cmd=${cmd//http:\/\/127.0.0.1:8080/$RECEIVER_URL}
			cmd=${cmd//http:\/\/localhost:3000/$RECEIVER_URL}
			cmd=${cmd/pf-play /pf-play -s max }
			;;
		esac
		RAN=$((RAN + 1))
		st=0
		if [ "${plan%%:*}" = timed ]; then
			# In a process group of its own, ended with SIGTERM: the
			# playback says how far it got, and nothing else.
			local pg
			setsid bash -o pipefail -c "$cmd" >/dev/null 2>timed.err 3>&- &
			pg=$!
			BG_PIDS+=("-$pg")
			sleep "${plan#timed:}"
			kill -TERM -- "-$pg" 2>/dev/null || true
			wait "$pg" || st=$?
			if [ "$st" -ne 0 ] && [ "$st" -ne 143 ]; then
				echo "$(cat "ex/$i.where"): '$cmd' exited $st" >&2
				rc=1
			fi
			if grep -qvE '^pf-play: interrupted by SIGTERM: [0-9]+ events? played$' timed.err; then
				echo "$(cat "ex/$i.where"): '$cmd' wrote on stderr:" >&2
				cat timed.err >&2
				rc=1
			fi
			continue
		fi
		got=$(bash -o pipefail -c "$cmd" 2>&1) || st=$?
		[ -z "$as" ] || got=${got//$here/$as}
		want_st=0
		[ "${plan%%:*}" != status ] || want_st=${plan#status:}
		[ ! -e "ex/$i.st" ] || want_st=$(cat "ex/$i.st")
		if [ "$st" != "$want_st" ]; then
			echo "$(cat "ex/$i.where"): '$cmd' exited $st, not $want_st:" >&2
			printf '%s\n' "$got" >&2
			rc=1
		fi
		if [ "$plan" = receiver ]; then
			if [ "$(requests_count)" -eq 0 ]; then
				echo "$(cat "ex/$i.where"): '$cmd' sent nothing" >&2
				rc=1
			fi
			stop_receiver || true
		fi
		[ -e "ex/$i.out" ] || continue
		local want
		want=$(cat "ex/$i.out")
		if [ "${want##*$'\n'}" = ... ]; then
			want=${want%$'\n'...}
			got=$(head -n "$(wc -l <<<"$want")" <<<"$got")
		fi
		if [ "$got" != "$want" ]; then
			echo "$(cat "ex/$i.where"): '$cmd' printed:" >&2
			printf '%s\n' "$got" >&2
			echo "instead of what $doc shows:" >&2
			printf '%s\n' "$want" >&2
			rc=1
		fi
	done
	SKIPPED=${#skipped[@]}
	printf '# %s: %d examples, %d run, %d skipped\n' "$doc" "$n" "$RAN" "$SKIPPED" >&3
	for i in "${skipped[@]}"; do
		printf '#   skipped %s\n' "$i" >&3
	done
	return "$rc"
}

@test "docs: the examples of README.md run and print what it shows" {
	run_doc README.md . /srv/pf
	[ "$RAN" -ge 15 ]
}

@test "docs: the examples of pf-lint(1) run and print what it shows" {
	run_doc man/pf-lint.1
	[ "$RAN" -ge 6 ]
}

@test "docs: the examples of pf-record(1) run" {
	run_doc man/pf-record.1
	[ "$RAN" -eq 4 ]
}

@test "docs: the examples of pf-play(1) run" {
	run_doc man/pf-play.1
	[ "$RAN" -eq 5 ]
}

@test "docs: the examples of pf-convert(1) run and print what it shows" {
	run_doc man/pf-convert.1
	[ "$RAN" -ge 5 ]
}

@test "docs: the examples of pf-index(1) run and print what it shows" {
	run_doc man/pf-index.1 "$HOME/recordings" /srv/rec
	[ "$RAN" -eq 4 ]
}

@test "docs: the examples of pf-live(1) are all skipped, each with its reason" {
	run_doc man/pf-live.1
	[ "$RAN" -eq 0 ]
	[ "$SKIPPED" -eq 5 ]
}

@test "docs: the examples of pf-recording(5) run, and the lines it shows are the example's" {
	run_doc man/pf-recording.5
	[ "$RAN" -eq 2 ]
	# Its first display shows lines of examples/prometheus-101.jsonl...
	sed -n '/^\.Sh EXAMPLES/,$p' "$MANDIR/pf-recording.5" | grep '^{"' >shown.jsonl
	[ "$(wc -l <shown.jsonl)" -ge 5 ]
	while IFS= read -r line; do
		grep -qxF -- "$line" "$EXAMPLES/prometheus-101.jsonl" || {
			echo "pf-recording(5) shows a line not in prometheus-101.jsonl: $line" >&2
			false
		}
	done <shown.jsonl
	# ...and its second the start of examples/prometheus-101.json.
	sed -n '/^\.Sh EXAMPLES/,$p' "$MANDIR/pf-recording.5" |
		awk '/^\.Bd -literal$/ { n++; next } /^\.Ed/ { next } n == 2 && /^\./ { exit } n == 2' >shown.json
	[ "$(wc -l <shown.json)" -ge 5 ]
	[ "$(cat shown.json)" = "$(jq . "$EXAMPLES/prometheus-101.json" | head -n "$(wc -l <shown.json)")" ]
}
