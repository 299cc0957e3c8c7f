# shellcheck shell=bash
# tests/test_helper.bash: loaded by every tests/*.bats file.
#
# Tests run against the build tree (tests/run puts $PF_BUILD first in PATH;
# run directly with bats, build/ is used), with LC_ALL=C and TZ=UTC, in
# $BATS_TEST_TMPDIR, and with HOME there too: they never write in the source
# tree or in the user's home.

bats_require_minimum_version 1.5.0

FIXTURES="$BATS_TEST_DIRNAME/fixtures"
EXAMPLES="$BATS_TEST_DIRNAME/../examples"
MANDIR="$BATS_TEST_DIRNAME/../man"

PATH="${PF_BUILD:-$BATS_TEST_DIRNAME/../build}:$PATH"
LC_ALL=C
TZ=UTC
export PATH LC_ALL TZ

# The setup every test runs: a scratch directory as working directory and
# home.  A .bats file calls it from its own setup().
pf_setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	HOME="$BATS_TEST_TMPDIR/home"
	mkdir -p "$HOME"
	export HOME
	unset XDG_CONFIG_HOME XDG_DATA_HOME XDG_CACHE_HOME NO_COLOR
}

# use_fixture TOOL/NAME...: copies fixtures into the working directory, so
# that findings name them by their short name.
use_fixture() {
	local f

	for f in "$@"; do
		cp "$FIXTURES/$f" . || return 1
	done
}

# write_lines FILE LINE...: FILE holds each LINE followed by a newline.
write_lines() {
	local file=$1

	shift
	printf '%s\n' "$@" >"$file"
}

# repeat_byte CHAR COUNT: writes CHAR COUNT times to stdout (no newline).
repeat_byte() {
	head -c "$2" /dev/zero | tr '\0' "$1"
}

# pf_version: prints the toolkit's version, the Makefile's VERSION (the one
# place it is written), as `make -s print-version` says it: under make
# check, a VERSION given on make's command line counts too.  Make's
# warnings (a jobserver it cannot reach) are shown only when it fails.
pf_version() {
	local version

	version=$(make -s --no-print-directory -C "$BATS_TEST_DIRNAME/.." \
		print-version 2>"$BATS_TEST_TMPDIR/pf_version.err")
	if [ -z "$version" ]; then
		echo "pf_version: make print-version printed nothing:" >&2
		cat "$BATS_TEST_TMPDIR/pf_version.err" >&2
		return 1
	fi
	printf '%s\n' "$version"
}

# wait_for SECONDS CMD...: waits until CMD succeeds, trying every 20 ms;
# fails saying so after SECONDS.  For a test to wait for something it can
# observe (a line in a file, a file made) before it acts, such as sending
# a signal, instead of sleeping and hoping.
wait_for() {
	local limit=$1 i

	shift
	for ((i = 0; i < limit * 50; i++)); do
		"$@" && return 0
		sleep 0.02
	done
	echo "wait_for: still not true after $limit s: $*" >&2
	return 1
}

# file_is FILE TEXT: FILE exists and holds TEXT (and a newline), for
# wait_for.
file_is() {
	[ -f "$1" ] && [ "$(cat "$1")" = "$2" ]
}

# --- the browser (pf-convert's pages, pf-live's peers) ----------------------

# need_strace: skips the test when strace cannot trace here.  Under ASan,
# leaks go unchecked: LeakSanitizer does not work under ptrace.
need_strace() {
	command -v strace >/dev/null ||
		skip "no strace (apt-get install strace)"
	strace -qq -o /dev/null true 2>/dev/null ||
		skip "strace cannot trace here (ptrace not allowed)"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
}

# need_browser: skips the test when the browser checks cannot run (no
# node, no chromium, or no playwright-core: run make check-deps).
need_browser() {
	command -v node >/dev/null ||
		skip "no node"
	[ -x "${PF_CHROMIUM:-/usr/bin/chromium}" ] ||
		skip "no chromium at ${PF_CHROMIUM:-/usr/bin/chromium}"
	[ -d "$BATS_TEST_DIRNAME/browser/node_modules/playwright-core" ] ||
		skip "no playwright-core in tests/browser (make check-deps)"
}

# --- the man page's SYNOPSIS against --help ---------------------------------

# Prints the options of the SYNOPSIS of an mdoc page, one a line: the short
# option ("-f") when it has one, else the long one ("--max-line"), with " ="
# appended when it takes a value.  Then a line "operands: none|optional|
# required".
_synopsis_options() {
	local page=$1 in=0 line i word operands=none
	local -a w

	while IFS= read -r line; do
		case $line in
		'.Sh SYNOPSIS'*)
			in=1
			continue
			;;
		'.Sh '*)
			[ "$in" = 1 ] && break
			continue
			;;
		esac
		[ "$in" = 1 ] || continue
		line=${line//\\-/-}
		line=${line//\\&/}
		read -r -a w <<<"$line"
		[ ${#w[@]} -gt 0 ] || continue
		w[0]=${w[0]#.}
		for ((i = 0; i < ${#w[@]}; i++)); do
			word=${w[i]}
			if [ "$word" = Fl ] && [ $((i + 1)) -lt ${#w[@]} ]; then
				local opt=${w[i + 1]} arg=
				if [ "${w[i + 2]:-}" = Ar ]; then
					arg=" ="
					i=$((i + 3))
				else
					i=$((i + 1))
				fi
				if [ "${opt#-}" != "$opt" ]; then
					echo "-$opt$arg"
				elif [ -n "$arg" ] || [ ${#opt} -eq 1 ]; then
					echo "-$opt$arg"
				else
					local k
					for ((k = 0; k < ${#opt}; k++)); do
						echo "-${opt:k:1}"
					done
				fi
			elif [ "$word" = Ar ]; then
				# An operand: optional inside .Op or .Oo, else required.
				if [[ " ${w[*]:0:i} " == *" Op "* ||
					" ${w[*]:0:i} " == *" Oo "* ]]; then
					[ "$operands" = required ] || operands=optional
				else
					operands=required
				fi
			fi
		done
	done <"$page"
	echo "operands: $operands"
}

# Prints the options of TOOL --help in the form of _synopsis_options.
_help_options() {
	local help=$1 line first operands=none
	local -a w

	first=${help%%$'\n'*}
	read -r -a w <<<"$first"
	local i
	for ((i = 2; i < ${#w[@]}; i++)); do
		case ${w[i]} in
		'[OPTIONS]' | '[OPTION]...' | '[OPTIONS]...') ;;
		'['*) [ "$operands" = required ] || operands=optional ;;
		*) operands=required ;;
		esac
	done
	while IFS= read -r line; do
		read -r -a w <<<"$line"
		[ ${#w[@]} -gt 0 ] || continue
		local opt='' next=1
		case ${w[0]} in
		-[!-],) opt=${w[0]%,} ;;
		--?*) opt=${w[0]} ;;
		*) continue ;;
		esac
		# "-f, --format FMT": skip the long name, look for the value.
		[ "${w[1]:-}" != "${w[1]#--}" ] && [ "${w[0]}" != "$opt" ] &&
			next=2
		if [[ ${w[next]:-} =~ ^[A-Z][A-Z_]*$ ]]; then
			echo "$opt ="
		else
			echo "$opt"
		fi
	done <<<"$help"
	echo "operands: $operands"
}

# check_help_synopsis TOOL [PAGE]: TOOL --help agrees with the SYNOPSIS of
# PAGE (man/TOOL.1): its first line is "Usage: TOOL ...", with operands
# when and as the SYNOPSIS has them (optional or required); the options it
# lists are those of the SYNOPSIS, each taking a value in both or in neither.
check_help_synopsis() {
	local tool=$1 page=${2:-$MANDIR/$1.1} help man_opts help_opts

	[ -f "$page" ] || {
		echo "check_help_synopsis: no man page $page" >&2
		return 1
	}
	help=$("$tool" --help) || {
		echo "check_help_synopsis: $tool --help failed" >&2
		return 1
	}
	case ${help%%$'\n'*} in
	"Usage: $tool "* | "Usage: $tool") ;;
	*)
		echo "check_help_synopsis: first line is not 'Usage: $tool ...':" \
			"${help%%$'\n'*}" >&2
		return 1
		;;
	esac
	if ! grep -qx "\.Nm $tool" "$page"; then
		echo "check_help_synopsis: $page does not name $tool (.Nm)" >&2
		return 1
	fi
	man_opts=$(_synopsis_options "$page" | sort -u)
	help_opts=$(_help_options "$help" | sort -u)
	if [ "$man_opts" != "$help_opts" ]; then
		echo "check_help_synopsis: $tool --help and $page disagree:" >&2
		diff <(echo "$man_opts") <(echo "$help_opts") |
			sed -n 's/^</  SYNOPSIS:/p; s/^>/  --help:  /p' >&2
		return 1
	fi
	# A parser that finds nothing would agree with anything.
	if [ "$(grep -c '^-' <<<"$man_opts")" -eq 0 ]; then
		echo "check_help_synopsis: no options found in $page" >&2
		return 1
	fi
}

# --- the man page's examples ------------------------------------------------

# check_man_examples TOOL [PAGE]: runs each example of PAGE (man/TOOL.1)
# that reads only files under examples/: a line "$ TOOL ARGS" in a literal
# display; the lines after it, up to the next "$ " line or the end of the
# display, are what it prints (stdout and stderr); "$ echo $?" followed by a
# number is its exit status.  Examples with pipes, redirections, globs or
# quotes are left out.  Fails when none was found.
check_man_examples() {
	local tool=$1 page=${2:-$MANDIR/$1.1}
	local in=0 cmd='' expect='' want_status='' reading_status=0 line count=0 rc=0

	[ -f "$page" ] || {
		echo "check_man_examples: no man page $page" >&2
		return 1
	}
	[ -e examples ] || ln -s "$EXAMPLES" examples

	_man_example_run() {
		local -a words
		local got st

		if [ -z "$cmd" ]; then
			expect='' want_status=''
			return 0
		fi
		read -r -a words <<<"$cmd"
		st=0
		got=$("${words[@]}" 2>&1) || st=$?
		count=$((count + 1))
		if [ "$got" != "$expect" ]; then
			echo "man example '\$ $cmd' printed:" >&2
			printf '%s\n' "$got" >&2
			echo "instead of:" >&2
			printf '%s\n' "$expect" >&2
			rc=1
		fi
		if [ -n "$want_status" ] && [ "$st" != "$want_status" ]; then
			echo "man example '\$ $cmd' exited $st, not $want_status" >&2
			rc=1
		fi
		cmd='' expect='' want_status=''
	}

	while IFS= read -r line; do
		case $line in
		'.Bd -literal'*)
			in=1
			continue
			;;
		'.Ed')
			_man_example_run
			in=0
			continue
			;;
		esac
		[ "$in" = 1 ] || continue
		line=${line//\\e/\\}
		line=${line//\\&/}
		line=${line//\\-/-}
		if [ "$reading_status" = 1 ]; then
			reading_status=0
			want_status=$line
			continue
		fi
		case $line in
		'$ echo $?')
			reading_status=1
			;;
		'$ '*)
			_man_example_run
			local c=${line#'$ '} word ok=1
			case $c in
			"$tool "*) ;;
			*) ok=0 ;;
			esac
			case $c in
			*[\|\<\>\*\?\;\&\$\`\"\'\\]*) ok=0 ;;
			esac
			if [ "$ok" = 1 ]; then
				for word in ${c#"$tool "}; do
					case $word in
					-*) ;;
					examples/*) [ -e "$word" ] || ok=0 ;;
					*) ok=0 ;;
					esac
				done
			fi
			[ "$ok" = 1 ] && cmd=$c
			;;
		*)
			if [ -n "$cmd" ]; then
				expect=${expect:+$expect$'\n'}$line
			fi
			;;
		esac
	done <"$page"
	_man_example_run
	unset -f _man_example_run
	if [ "$count" -eq 0 ]; then
		echo "check_man_examples: no runnable example in $page" >&2
		return 1
	fi
	return "$rc"
}

# --- pipes whose reader stalls (pf-record and pf-play tests) ---------------

# wait_fifo_full FD: waits (at most 10 s) until the pipe on FD is full and
# its writer blocked: no room for a writer, and nothing more for 60 ms.
wait_fifo_full() {
	python3 -c 'import array, fcntl, select, sys, termios, time
fd, last, still = int(sys.argv[1]), -1, 0
for _ in range(500):
    _, w, _ = select.select([], [fd], [], 0)
    n = array.array("i", [0])
    fcntl.ioctl(fd, termios.FIONREAD, n)
    still = still + 1 if not w and n[0] == last else 0
    if still >= 3:
        sys.exit(0)
    last = n[0]
    time.sleep(0.02)
print("wait_fifo_full: the pipe never filled", file=sys.stderr)
sys.exit(1)' "$1"
}

# fifo_drain FD: prints what is in the pipe on FD, without waiting for more.
fifo_drain() {
	python3 -c 'import os, sys
fd = int(sys.argv[1])
os.set_blocking(fd, False)
while True:
    try:
        d = os.read(fd, 65536)
    except BlockingIOError:
        break
    if not d:
        break
    sys.stdout.buffer.write(d)' "$1"
}
