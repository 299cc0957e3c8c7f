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

# same_page GOT: GOT is the example's tutorial page, golden/prometheus-101.html
# with the toolkit's version for its @VERSION@ (the page's generator tag).
same_page() {
	local version

	version=$(pf_version) || return 1
	sed "s/@VERSION@/$version/g" "$GOLDEN/prometheus-101.html" \
		>"$BATS_TEST_TMPDIR/golden-page.html"
	same_file "$BATS_TEST_TMPDIR/golden-page.html" "$1"
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

# need_axe: need_browser, and axe-core in tests/browser (make check-deps,
# or npm ci there).
need_axe() {
	need_browser
	[ -f "$BATS_TEST_DIRNAME/browser/node_modules/axe-core/axe.min.js" ] ||
		skip "no axe-core in tests/browser (cd tests/browser && npm ci)"
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

# --- the app's strict package check ------------------------------------------
#
# What `pathfinder-cli validate --strict --package DIR` refuses or warns
# about (app 2.16.0, tests/fixtures/app/FACTS.md section 6), written in jq
# from the app's schema facts, so the suite needs no copy of the app.

# The requirement tokens the app knows: fixed ones, and prefixes that take
# an argument (requirements.types.ts; argument forms: condition-validator.ts).
REQ_FIXED='["exists-reftarget","navmenu-open","has-datasources","is-admin",
	"is-logged-in","is-editor","dashboard-exists","form-valid","is-terminal-active"]'
REQ_PREFIXES='["has-permission:","has-role:","has-datasource:",
	"datasource-configured:","has-plugin:","plugin-enabled:",
	"has-dashboard-named:","on-page:","has-feature:","in-environment:",
	"min-version:","section-completed:","var-","renderer:","coda-exit-zero:"]'

# check_strict DIR: the guide folder DIR passes the app's strict package
# check: a kebab-case id (at most 253 characters) equal in content.json,
# manifest.json and the folder's name; a non-empty title; blocks, none
# empty where the app requires content or steps; no H1 in blocks[0] whose
# words are a prefix of the title's or the other way round (the app's
# duplicate-heading rule); a reftarget on every action but noop and popout;
# only requirement tokens the app knows; and a manifest with description,
# category, author, startingLocation (a path) and targeting.match, so that
# the app has no warning to give.
check_strict() {
	local dir=$1 c=$1/content.json m=$1/manifest.json bad

	check_guide "$dir" || return 1
	bad=$(jq -r --argjson fixed "$REQ_FIXED" --argjson prefixes "$REQ_PREFIXES" '
		def kebab: type == "string" and test("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
			and length <= 253;
		def words: ascii_downcase | gsub("[!?.,:;\u0027\"()]"; "")
			| [splits("\\s+")] | map(select(. != ""));
		def prefix($a; $b): ($a | length) <= ($b | length)
			and all(range($a | length); $a[.] == $b[.]);
		def known: . as $t | ($fixed | index([$t])) != null or
			(any($fixed[]; . as $f | $t | startswith($f + ":")) | not) and
			any($prefixes[]; . as $p | $t | startswith($p) and
				($t[($p | length):] | test("\\S")) and
				(if $p == "on-page:" then $t[8:] | startswith("/")
				 elif $p == "min-version:" then $t[12:] | test("^[0-9]+\\.[0-9]+\\.[0-9]+$")
				 elif $p == "has-role:" then $t[9:] == ($t[9:] | ascii_downcase)
				 elif $p == "renderer:" then $t[9:] | ascii_downcase | IN("pathfinder", "website")
				 else true end));
		[ (if (.id | kebab) then empty else "id \(.id | tojson) is not kebab-case" end),
		  (if (.title | type) == "string" and .title != "" then empty else "no title" end),
		  (if (.blocks | type) == "array" and (.blocks | length) > 0 then empty else "no blocks" end),
		  (.blocks[0] | select(.type? == "markdown") | .content
		      | sub("^\\s+"; "") | sub("\\s+$"; "") | split("\n")[0]
		      | capture("^#\\s+(?<h>.+)$")? | .h | sub("^\\s+"; "") | sub("\\s+$"; "")
		      | words as $h | ($ARGS.named.title | words) as $t
		      | select(($h | length) > 0 and ($t | length) > 0 and
		               (prefix($h; $t) or prefix($t; $h)))
		      | "blocks[0] starts with a heading that repeats the title"),
		  (.. | objects | select(.type? == "multistep" or .type? == "guided")
		      | select((.steps | type) != "array" or (.steps | length) == 0)
		      | "a \(.type) without steps"),
		  (.. | objects | select(.type? | IN("markdown", "interactive", "multistep"))
		      | select((.content | type) != "string" or .content == "")
		      | "a \(.type) block without content"),
		  (.. | objects | select(has("action"))
		      | select((.action | IN("noop", "popout") | not) and
		               ((.reftarget | type) != "string" or (.reftarget | test("^\\s*$"))))
		      | "action \(.action) without a reftarget"),
		  (.. | objects | select(has("requirements")) | .requirements[]
		      | select(known | not) | "unknown requirement \(tojson)")
		] | .[]' --arg title "$(jq -r .title "$c")" "$c") || return 1
	if [ -n "$bad" ]; then
		echo "check_strict: $c:" >&2
		echo "$bad" | cut -c 1-300 >&2
		return 1
	fi
	bad=$(jq -r '
		[ (if (.description | type) == "string" then empty else "no description" end),
		  (if (.category | type) == "string" then empty else "no category" end),
		  (if (.startingLocation | type) == "string" and (.startingLocation | startswith("/"))
		   then empty else "no startingLocation" end),
		  (if (.targeting | type) == "object" and (.targeting.match | type) == "object"
		   then empty else "no targeting" end),
		  (if (.id | type) == "string" and (.id | test("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$"))
		   then empty else "id \(.id | tojson) is not kebab-case" end)
		] | .[]' "$m") || return 1
	if [ -n "$bad" ]; then
		echo "check_strict: $m:" >&2
		echo "$bad" >&2
		return 1
	fi
}

# check_repository DIR: DIR/repository.json is the catalogue the app's
# build-repository makes of DIR (FACTS.md section 7): an object keyed by
# content id, one entry per folder holding a manifest.json, in the order of
# the folders' names, each with path "<folder>/", the content's title, the
# manifest's type, description, category, author, startingLocation and
# targeting as written, and testEnvironment (the app's default: tier
# cloud), keys in that order.
check_repository() {
	local dir=$1 want d

	want=$(for d in "$dir"/*/; do
		d=${d%/}
		[ -f "$d/manifest.json" ] || continue
		jq -n --arg path "${d##*/}/" --slurpfile c "$d/content.json" \
			--slurpfile m "$d/manifest.json" '
			$m[0] as $m | {($c[0].id): ({path: $path, title: $c[0].title,
				type: $m.type} + ([("description", "category", "author",
				"startingLocation", "targeting") | select($m[.] != null)
				| {(.): $m[.]}] | add // {})
				+ {testEnvironment: ($m.testEnvironment // {tier: "cloud"})})}'
	done | jq -s 'add // {}')
	if [ "$(jq -c . "$dir/repository.json")" != "$(jq -c . <<<"$want")" ]; then
		echo "check_repository: $dir/repository.json is not:" >&2
		jq . <<<"$want" | head -n 40 >&2
		return 1
	fi
	# Printed as JSON.stringify(value, null, 2) prints it.
	same_file <(jq --indent 2 . <<<"$want") "$dir/repository.json"
}
