# shellcheck shell=bash
# tests/convert_helper.bash: helpers for tests/pf-convert.bats, loaded after
# test_helper.bash.  Fixture paths, comparisons that say what differs, the
# checks a Pathfinder JSON guide must pass (jq), and a driver for the
# browser checks of tests/browser/check.mjs.

# For the .bats file.
# shellcheck disable=SC2034
CONVERT="$FIXTURES/convert"
# shellcheck disable=SC2034
GOLDEN="$CONVERT/golden"
# shellcheck disable=SC2034,SC2153 # EXAMPLES: test_helper.bash
EXAMPLE="$EXAMPLES/prometheus-101"
# shellcheck disable=SC2034
GUIDE_ID=prometheus-monitoring-101-k7m2qx
BROWSER_CHECK="$BATS_TEST_DIRNAME/browser/check.mjs"
XSS_RECORDING="$BATS_TEST_DIRNAME/helper/xss-recording.py"
PYTHON=/usr/bin/python3

# same_file EXPECTED GOT: the two files hold the same bytes, or the start
# of their differences is printed.
same_file() {
	if ! cmp -s "$1" "$2"; then
		echo "same_file: $2 differs from $1:" >&2
		diff -u "$1" "$2" | head -n 40 | cut -c 1-300 >&2
		return 1
	fi
}

# same_tree EXPECTED GOT: two directories with the same files, byte for
# byte.
same_tree() {
	if ! diff -r "$1" "$2" >diff.out 2>&1; then
		echo "same_tree: $2 differs from $1:" >&2
		head -n 40 diff.out | cut -c 1-300 >&2
		return 1
	fi
}

# lacks ERE FILE...: no line of the FILEs matches ERE (grep -E), or the
# lines that do are printed.  (A bare "! grep" would not fail a test.)
lacks() {
	local ere=$1

	shift
	if grep -HnE -- "$ere" "$@" >lacks.out; then
		echo "lacks: /$ere/ found:" >&2
		head -n 10 lacks.out | cut -c 1-300 >&2
		return 1
	fi
}

# names DIR: the names in DIR, sorted, each followed by a space.
names() {
	local f out=''

	for f in "$1"/*; do
		[ -e "$f" ] && out+="${f##*/} "
	done
	echo "$out"
}

# count DIR: how many names DIR holds.
count() {
	local -a f=("$1"/*)

	if [ -e "${f[0]}" ]; then
		echo "${#f[@]}"
	else
		echo 0
	fi
}

# convert_every_format INPUT DIR: INPUT converted to every format, in DIR:
# out.html, out.md, out.json (recording), out.jsonl and guide/<id>/.
convert_every_format() {
	local in=$1 dir=$2

	mkdir -p "$dir" &&
		pf-convert -q -t html -o "$dir/out.html" "$in" &&
		pf-convert -q -t md -o "$dir/out.md" "$in" &&
		pf-convert -q -t recording -o "$dir/out.json" "$in" &&
		pf-convert -q -t jsonl -o "$dir/out.jsonl" "$in" &&
		pf-convert -q -t guide -o "$dir/guide" "$in"
}

# step_tags HTML: the opening tag of every step of a tutorial page, one a
# line, in page order.
step_tags() {
	grep -o '<li class="interactive interactive-step step"[^>]*>' "$1"
}

# --- the JSON guide ----------------------------------------------------------

# The keys a guide may use (FORMATS.md 3.2): lower case, or the app's own
# camel-case flags; never the recording's refTarget, targetValue, ...
GUIDE_KEYS='["schemaVersion","id","title","blocks","type","content",
	"action","reftarget","targetvalue","tooltip","requirements","showMe",
	"doIt","skippable","hint","steps","description","objectives"]'

# check_guide DIR: DIR/content.json and DIR/manifest.json are a guide the
# app accepts: schema 1.1.0, known lower-case keys only, every interactive
# block with action and content (and reftarget unless noop), guide actions
# only (no "multistep" action: a multistep is a block), requirements
# non-empty strings without repeats, containers nested 5 deep at most, the
# manifest naming the same id, the folder named after it.
check_guide() {
	local dir=$1 c=$1/content.json m=$1/manifest.json bad

	if ! [ -f "$c" ] || ! [ -f "$m" ]; then
		echo "check_guide: no $c or $m" >&2
		return 1
	fi
	bad=$(jq -c --argjson keys "$GUIDE_KEYS" '
		def depth: if type == "object" and has("blocks")
			then 1 + ([.blocks[] | depth] | max // 0) else 0 end;
		[ (if .schemaVersion != "1.1.0" then "schemaVersion \(.schemaVersion)" else empty end),
		  (if (.id | type) != "string" or .id == "" then "empty id" else empty end),
		  (if (.title | type) != "string" or .title == "" then "empty title" else empty end),
		  ([.. | objects | keys[]] | unique - $keys | .[] | "key \(.)"),
		  (.. | objects | select(.type == "interactive")
		      | select((has("action") and has("content") and
		               (.action == "noop" or (.reftarget | type) == "string")) | not)
		      | "incomplete interactive block \(tojson)"),
		  (.. | objects | select(has("action"))
		      | select(.action | IN("highlight", "button", "formfill",
		               "navigate", "hover", "noop", "popout") | not)
		      | "action \(.action)"),
		  (.. | objects | select(.type == "multistep")
		      | select((.content | type) != "string" or (.steps | length) == 0)
		      | "incomplete multistep \(tojson)"),
		  (.. | objects | select(has("requirements")) | .requirements
		      | select(type != "array" or any(.[]; type != "string" or . == "")
		               or (unique | length) != length)
		      | "requirements \(tojson)"),
		  (if depth > 5 then "nested \(depth) deep" else empty end)
		] | .[]' "$c") || return 1
	if [ -n "$bad" ]; then
		echo "check_guide: $c:" >&2
		echo "$bad" | cut -c 1-300 >&2
		return 1
	fi
	bad=$(jq -rn --slurpfile c "$c" --slurpfile m "$m" '
		[ (if $m[0].id != $c[0].id then "manifest id \($m[0].id)" else empty end),
		  (if $m[0].type != "guide" then "manifest type \($m[0].type)" else empty end),
		  (if $m[0].schemaVersion != "1.1.0" then "manifest schemaVersion" else empty end)
		] | .[]') || return 1
	if [ -n "$bad" ]; then
		echo "check_guide: $m: $bad" >&2
		return 1
	fi
	if [ "$(basename "$dir")" != "$(jq -r .id "$c")" ]; then
		echo "check_guide: folder $dir is not named after the id" >&2
		return 1
	fi
}

# --- the browser -------------------------------------------------------------

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

# browser COMMAND PAGE [ARG]: runs tests/browser/check.mjs (at most 120 s)
# and leaves the JSON it printed in browser.json; fails when it did not
# print one or says it failed.
browser() {
	local st=0

	timeout 120 node "$BROWSER_CHECK" "$1" "$(realpath "$2")" ${3:+"$3"} \
		>browser.json 2>browser.err || st=$?
	if [ "$st" != 0 ] || ! jq -e 'type == "object"' browser.json >/dev/null 2>&1; then
		echo "browser: check.mjs $1 exited $st:" >&2
		head -c 2000 browser.json browser.err >&2
		return 1
	fi
	if jq -e 'has("failure")' browser.json >/dev/null; then
		echo "browser: check.mjs $1 failed: $(jq -r .failure browser.json)" >&2
		return 1
	fi
}

# seen FILTER: the compact jq value of FILTER in browser.json.
seen() {
	jq -c "$1" browser.json
}
