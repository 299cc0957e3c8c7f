#!/usr/bin/env bats
# pf-convert: the command line; golden files of every format for the
# example session, from JSONL, gzip and the SessionRecording document;
# round trips between recording and jsonl and from the seed's document;
# determinism and reproducible bundles; batches (-o DIR, names, -j,
# --shard, bad inputs, write errors, --redact); the rules from events to
# steps of pf-convert(1), each on a small handmade fixture; the JSON guide
# against FORMATS.md 3.2 (jq); and the tutorial page in headless chromium
# (tests/browser/check.mjs): loading, playing, keys and 200 XSS payloads.
#
# The golden files were made once by pf-convert and read by eye against
# the example's events (19 steps, 3 sections, 12 joins, 6 questions each
# on the step current when it was asked).  tests/fixtures/convert/README
# says how to remake them.  The guide's content.json is stored as it should
# be, without the repeated requirements pf-convert writes today.

# Markdown code spans are in backticks: single quotes are meant.
# shellcheck disable=SC2016

load test_helper
load convert_helper

setup() {
	pf_setup
	unset SOURCE_DATE_EPOCH
	export TMPDIR="$BATS_TEST_TMPDIR/tmp"
	mkdir -p "$TMPDIR"
}

USAGE_HINT="Try 'pf-convert --help'."

# --- the command line --------------------------------------------------------

@test "pf-convert: --help prints the usage on stdout and exits 0" {
	run -0 --separate-stderr pf-convert --help
	[ "${lines[0]}" = "Usage: pf-convert [OPTIONS] FILE..." ]
	[[ "$output" == *"  -t, --to FORMAT "* ]]
	[[ "$output" == *"      --shard SHARD "* ]]
	[ "$stderr" = "" ]
	local long=$output
	run -0 --separate-stderr pf-convert -h
	[ "$output" = "$long" ]
	[ "$stderr" = "" ]
}

@test "pf-convert: --help agrees with the SYNOPSIS of pf-convert(1)" {
	check_help_synopsis pf-convert
}

@test "pf-convert: --version prints the name and version" {
	local version
	version=$(pf_version)
	run -0 --separate-stderr pf-convert --version
	[ "$output" = "pf-convert $version" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-convert -V
	[ "$output" = "pf-convert $version" ]
	[ "$stderr" = "" ]
}

@test "pf-convert: --help and --version on a full stdout exit 2" {
	run -2 --separate-stderr bash -c 'pf-convert --help >/dev/full'
	[ "$stderr" = "pf-convert: <stdout>: write error: No space left on device" ]
	run -2 --separate-stderr bash -c 'pf-convert --version >/dev/full'
	[ "$stderr" = "pf-convert: <stdout>: write error: No space left on device" ]
}

@test "pf-convert: an unknown option is a usage error" {
	run -2 --separate-stderr pf-convert --bogus x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: unknown option '--bogus'
$USAGE_HINT" ]
	run -2 --separate-stderr pf-convert -z x.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: unknown option '-z'
$USAGE_HINT" ]
	run -2 --separate-stderr pf-convert --redact=yes x.jsonl
	[ "$stderr" = "pf-convert: option '--redact' takes no value
$USAGE_HINT" ]
}

@test "pf-convert: an option missing its value is a usage error" {
	local opt

	for opt in -t --to -o --output -j --jobs --bundle --shard --redact-pattern; do
		run -2 --separate-stderr pf-convert "$opt"
		[ "$output" = "" ]
		[ "$stderr" = "pf-convert: option '$opt' needs a value
$USAGE_HINT" ]
	done
}

@test "pf-convert: no input is a usage error" {
	run -2 --separate-stderr pf-convert -t md
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: no input: give one or more recordings (- for standard input)
$USAGE_HINT" ]
}

@test "pf-convert: an unknown --to is a usage error" {
	local f

	for f in pdf HTML '' guides; do
		run -2 --separate-stderr pf-convert --to "$f" "$EXAMPLE.jsonl"
		[ "$output" = "" ]
		[ "$stderr" = "pf-convert: --to: unknown format '$f' (html, guide, recording, jsonl, md or playwright)
$USAGE_HINT" ]
	done
}

@test "pf-convert: --jobs must be a whole number from 1 to 256" {
	local j

	for j in 0 -1 x 2x '' 1.5 ' 2' 257 99999999999999999999; do
		run -2 --separate-stderr pf-convert -j "$j" "$EXAMPLE.jsonl"
		[ "$output" = "" ]
		[ "$stderr" = "pf-convert: --jobs: '$j' is not a whole number from 1 to 256
$USAGE_HINT" ]
	done
}

@test "pf-convert: --shard must be K/N with 1 <= K <= N" {
	local s

	for s in 0/2 3/2 x 1/0 1/2x /2 1/ 2 -1/2 1/-2 ' 1/2' \
	    1/99999999999999999999 99999999999999999999/99999999999999999999; do
		run -2 --separate-stderr pf-convert --shard "$s" "$EXAMPLE.jsonl"
		[ "$output" = "" ]
		[ "$stderr" = "pf-convert: --shard: '$s' is not K/N with 1 <= K <= N
$USAGE_HINT" ]
	done
}

@test "pf-convert: --redact-pattern must compile" {
	run -2 --separate-stderr pf-convert --redact-pattern '(' "$EXAMPLE.jsonl"
	[ "$output" = "" ]
	[[ "${stderr_lines[0]}" == "pf-convert: --redact-pattern: invalid pattern '(': "* ]]
	[ "${stderr_lines[1]}" = "$USAGE_HINT" ]
}

@test "pf-convert: --bundle with another extension exits 2 and leaves nothing behind" {
	local b

	for b in site.rar site.gz site.zip.txt site; do
		run -2 --separate-stderr pf-convert --bundle "$b" "$EXAMPLE.jsonl"
		[ "$output" = "" ]
		[ "$stderr" = "pf-convert: $b: the bundle must end in .zip, .tar.gz, .tgz or .tar" ]
		[ ! -e "$b" ]
	done
	# The outputs made for the bundle are gone too.
	[ "$(ls -A "$TMPDIR")" = "" ]
}

@test "pf-convert: the examples of pf-convert(1) are written to be run by the suite" {
	# Like the other pages, "$ pf-convert ..." lines in the displays.
	check_man_examples pf-convert
}

@test "pf-convert: the examples of pf-convert(1) work" {
	ln -s "$EXAMPLES" examples
	run -0 --separate-stderr pf-convert -o prometheus-101.html examples/prometheus-101.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	same_page prometheus-101.html
	run -0 --separate-stderr pf-convert -t guide -o guides examples/prometheus-101.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$(names guides)" = "$GUIDE_ID repository.json " ]
	mkdir recordings
	cp examples/prometheus-101.jsonl.gz recordings/a.jsonl.gz
	cp "$CONVERT/steps.jsonl" recordings/b.jsonl
	gzip recordings/b.jsonl
	local job
	for job in 1 2 3 4; do
		run -0 --separate-stderr pf-convert -j 2 --shard "$job/4" --redact \
			--bundle "site-$job.zip" recordings/*.jsonl.gz
		[ "$stderr" = "" ]
	done
	[ "$(unzip -Z1 site-1.zip | tr '\n' ' ')" = "a.html index.html " ]
	[ "$(unzip -Z1 site-2.zip | tr '\n' ' ')" = "b.html index.html " ]
	[ "$(unzip -Z1 site-3.zip | tr '\n' ' ')" = "index.html " ]
	pf-convert -t recording examples/prometheus-101.jsonl >session.json
	pf-convert -t jsonl session.json >session.jsonl
	same_file examples/prometheus-101.jsonl session.jsonl
}

# --- golden files ------------------------------------------------------------

@test "pf-convert: the example as a tutorial page (html) matches its golden file" {
	run -0 --separate-stderr pf-convert "$EXAMPLE.jsonl"
	[ "$stderr" = "" ]
	printf '%s\n' "$output" >got.html
	same_page got.html
}

@test "pf-convert: the example as Markdown matches its golden file" {
	run -0 --separate-stderr pf-convert -t md -o got.md "$EXAMPLE.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	same_file "$GOLDEN/prometheus-101.md" got.md
}

@test "pf-convert: the example as a SessionRecording matches its golden file and the app's export" {
	run -0 --separate-stderr pf-convert --to recording -o got.json "$EXAMPLE.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	same_file "$GOLDEN/prometheus-101.json" got.json
	# The same document as examples/prometheus-101.json (the app's export,
	# written by the example's generator), but for the layout.
	[ "$(jq -S . got.json)" = "$(jq -S . "$EXAMPLE.json")" ]
}

@test "pf-convert: the example as JSONL matches its golden file, which is the example itself" {
	run -0 --separate-stderr pf-convert -t jsonl -o got.jsonl "$EXAMPLE.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	same_file "$GOLDEN/prometheus-101.jsonl" got.jsonl
	# The example is already normalised: compact, keys in their order.
	same_file "$EXAMPLE.jsonl" got.jsonl
}

@test "pf-convert: the example as a guide matches its golden content.json, manifest.json and repository.json" {
	run -0 --separate-stderr pf-convert -t guide -o guides "$EXAMPLE.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$(names guides)" = "$GUIDE_ID repository.json " ]
	[ "$(names "guides/$GUIDE_ID")" = "content.json manifest.json " ]
	same_file "$GOLDEN/guide/$GUIDE_ID/manifest.json" "guides/$GUIDE_ID/manifest.json"
	same_file "$GOLDEN/guide/$GUIDE_ID/content.json" "guides/$GUIDE_ID/content.json"
	same_file "$GOLDEN/guide/repository.json" guides/repository.json
	same_tree "$GOLDEN/guide" guides
}

@test "pf-convert: the golden files agree with the example's events" {
	local steps joins
	steps=$(jq -r 'select(.stepId) | .stepId' "$EXAMPLE.jsonl" | sort -u | wc -l)
	joins=$(jq -r 'select(.type == "attendee_join") | .name' "$EXAMPLE.jsonl" | sort -u | wc -l)
	[ "$steps" = 19 ]
	[ "$joins" = 12 ]
	grep -qx "<div><dt>Attendees</dt><dd>$joins</dd></div>" "$GOLDEN/prometheus-101.html"
	grep -qx "<div><dt>Steps</dt><dd>$steps</dd></div>" "$GOLDEN/prometheus-101.html"
	[ "$(step_tags "$GOLDEN/prometheus-101.html" | wc -l)" = "$steps" ]
	[ "$(jq '.attendees | length' "$GOLDEN/prometheus-101.json")" = "$joins" ]
	[ "$(jq -r '.steps[].id' < <(sed -n 's/^<script type="application\/json" id="pf-data">\(.*\)<\/script>$/\1/p' "$GOLDEN/prometheus-101.html") | sort -u | wc -l)" = "$steps" ]
	# Steps in order of first appearance, in the section of their URL.
	[ "$(jq -r 'select(.stepId) | .stepId' "$EXAMPLE.jsonl" | awk '!seen[$0]++' | tr '\n' ' ')" = \
		"$(step_tags "$GOLDEN/prometheus-101.html" | sed 's/.*data-step-id="\([^"]*\)".*/\1/' | tr '\n' ' ')" ]
	[ "$(grep -c '^## ' "$GOLDEN/prometheus-101.md")" = 3 ]
	[ "$(sed -n 's/^## //p; s/^### Step \([0-9]*\):.*/\1/p' "$GOLDEN/prometheus-101.md" | tr '\n' ' ')" = \
		"Add data source 1 2 3 4 5 6 7 8 Explore metrics 9 10 11 12 13 Dashboard and alert 14 15 16 17 18 19 " ]
	# Six questions, each after the step current when it was asked.
	[ "$(grep -c '^> \*\*Question from' "$GOLDEN/prometheus-101.md")" = 6 ]
	[ "$(jq -c '[.blocks[] | select(.type == "section") | .blocks | map(.type) | join(",")]' "$GOLDEN/guide/$GUIDE_ID/content.json")" = \
		'["interactive,interactive,markdown,interactive,interactive,interactive,interactive,interactive,interactive,markdown","interactive,interactive,interactive,interactive,markdown,interactive,markdown","multistep,interactive,interactive,interactive,multistep,markdown,interactive,markdown"]' ]
}

@test "pf-convert: the gzip'd example gives the same bytes in every format" {
	convert_every_format "$EXAMPLE.jsonl" plain
	convert_every_format "$EXAMPLE.jsonl.gz" gz
	same_tree plain gz
}

@test "pf-convert: the SessionRecording document gives the same bytes in every format" {
	# examples/prometheus-101.json is the app's export of the same session:
	# its events are the JSONL's, and what it has besides (chat, attendees,
	# name, presenter, duration) is derived from them, so nothing differs.
	# (A document could name the session where its events do not: then
	# the title and presenter come from the document.)
	convert_every_format "$EXAMPLE.jsonl" plain
	convert_every_format "$EXAMPLE.json" doc
	same_tree plain doc
}

@test "pf-convert: standard input (-) gives the same bytes as the file, plain, gzip'd or a document" {
	local f

	for f in "$EXAMPLE.jsonl" "$EXAMPLE.jsonl.gz" "$EXAMPLE.json"; do
		run -0 --separate-stderr bash -c 'pf-convert -t md - <"$1" >got.md' sh "$f"
		[ "$stderr" = "" ]
		same_file "$GOLDEN/prometheus-101.md" got.md
	done
	pf-convert -t guide -o from-stdin - <"$EXAMPLE.jsonl.gz"
	pf-convert -t guide -o from-file "$EXAMPLE.jsonl"
	same_tree from-file from-stdin
}

# --- round trips -------------------------------------------------------------

@test "pf-convert: recording -> jsonl -> recording gives the same bytes" {
	pf-convert -t jsonl -o back.jsonl "$GOLDEN/prometheus-101.json"
	pf-convert -t recording -o again.json back.jsonl
	same_file "$GOLDEN/prometheus-101.json" again.json
	# And from the app's own export, laid out differently.
	pf-convert -t recording -o app.json "$EXAMPLE.json"
	pf-convert -t jsonl app.json | pf-convert -t recording -o app2.json -
	same_file app.json app2.json
}

@test "pf-convert: jsonl -> recording -> jsonl gives the same bytes" {
	local f

	for f in "$EXAMPLE.jsonl" "$CONVERT"/{steps,sections,questions,attendance,pairing,multistep,tooltip,secrets}.jsonl; do
		pf-convert -t recording -o doc.json "$f"
		pf-convert -t jsonl -o back.jsonl doc.json
		same_file "$f" back.jsonl
	done
}

@test "pf-convert: a seed document becomes JSONL with absolute times, sessionId and the presenter's senderId" {
	run -0 --separate-stderr pf-convert -t jsonl "$CONVERT/seed.json"
	[ "$stderr" = "" ]
	printf '%s\n' "$output" >seed.jsonl
	same_file "$CONVERT/expected/seed.jsonl" seed.jsonl
	# recordedAt 2026-03-12T14:00:00Z + the relative times.
	[ "$(jq -sc 'map(.timestamp - 1773324000000)' seed.jsonl)" = \
		"$(jq -c '.events | map(.timestamp)' "$CONVERT/seed.json")" ]
	# sessionId on every event that carries one (not attendee_join), the
	# presenter's senderId on the presenter's events.
	[ "$(jq -r '[.type, .sessionId // "-", .senderId // "-"] | join(" ")' seed.jsonl)" = \
		"session_start seed42 -
attendee_join - -
navigation seed42 presenter
show_me seed42 presenter
do_it seed42 presenter
session_end seed42 -" ]
	run -0 --separate-stderr pf-lint --strict seed.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	# The seed's document and the JSONL made from it are the same session,
	# but for the presenter's name: the document has it, and no event of
	# this seed carries it (no chat from the presenter).
	pf-convert -t recording -o a.json "$CONVERT/seed.json"
	pf-convert -t recording -o b.json seed.jsonl
	[ "$(jq -c .presenter a.json)" = '{"id":"presenter","name":"Tom"}' ]
	[ "$(jq -c .presenter b.json)" = '{"id":"presenter"}' ]
	[ "$(jq -S 'del(.presenter.name)' a.json)" = "$(jq -S 'del(.presenter.name)' b.json)" ]
	jq -e '.id == "seed42" and .recordedAt == "2026-03-12T14:00:00.000Z" and .duration == 20000' a.json
}

# --- determinism -------------------------------------------------------------

@test "pf-convert: two runs give the same bytes in every format" {
	local f

	for f in "$EXAMPLE.jsonl" "$CONVERT/questions.jsonl" "$CONVERT/multistep.jsonl"; do
		rm -rf one two
		convert_every_format "$f" one
		convert_every_format "$f" two
		same_tree one two
	done
}

@test "pf-convert: --bundle .zip and .tar.gz are reproducible under SOURCE_DATE_EPOCH" {
	local ext

	cp "$EXAMPLE.jsonl.gz" talk.jsonl.gz
	cp "$CONVERT/questions.jsonl" .
	export SOURCE_DATE_EPOCH=1700000000
	for ext in zip tar.gz; do
		run -0 --separate-stderr pf-convert --bundle "one.$ext" talk.jsonl.gz questions.jsonl
		[ "$output" = "" ]
		[ "$stderr" = "" ]
		sleep 1.1	# a clock in the archive would show
		run -0 --separate-stderr pf-convert -j 1 --bundle "two.$ext" talk.jsonl.gz questions.jsonl
		cmp "one.$ext" "two.$ext"
	done
	# Every output and index.html, in input order, at 2023-11-14 22:13:20.
	run -0 /usr/bin/python3 -m zipfile -l one.zip
	[ "${lines[0]}" = "File Name                                             Modified             Size" ]
	[ "$(printf '%s\n' "${lines[@]:1}" | awk '{print $1, $2, $3, $4}')" = "talk.html 2023-11-14 22:13:20 $(pf-convert talk.jsonl.gz | wc -c)
questions.html 2023-11-14 22:13:20 $(pf-convert questions.jsonl | wc -c)
index.html 2023-11-14 22:13:20 $(unzip -p one.zip index.html | wc -c)" ]
	run -0 tar --full-time -tzvf one.tar.gz
	[ "$(printf '%s\n' "${lines[@]}" | awk '{print $4, $5, $6}')" = "2023-11-14 22:13:20 talk.html
2023-11-14 22:13:20 questions.html
2023-11-14 22:13:20 index.html" ]
	# The entries are the conversions.
	unzip -p one.zip talk.html >got.html
	same_page got.html
	tar -xzf one.tar.gz questions.html
	pf-convert -o q.html questions.jsonl
	same_file q.html questions.html
}

@test "pf-convert: --bundle .tgz and .tar are reproducible too, and at 1970 without SOURCE_DATE_EPOCH" {
	cp "$EXAMPLE.jsonl" talk.jsonl
	pf-convert -t md --bundle a.tgz talk.jsonl
	pf-convert -t md --bundle b.tgz talk.jsonl
	cmp a.tgz b.tgz
	pf-convert -t md --bundle a.tar talk.jsonl
	pf-convert -t md --bundle b.tar talk.jsonl
	cmp a.tar b.tar
	run -0 tar --full-time -tvf a.tar
	[ "$(printf '%s\n' "${lines[@]}" | awk '{print $4, $5, $6}')" = "1970-01-01 00:00:00 talk.md
1970-01-01 00:00:00 index.html" ]
	tar -xf a.tar talk.md
	same_file "$GOLDEN/prometheus-101.md" talk.md
	[ "$(ls -A "$TMPDIR")" = "" ]
}

@test "pf-convert: a guide bundle holds each guide's content.json and manifest.json and the index" {
	export SOURCE_DATE_EPOCH=1700000000
	run -0 --separate-stderr pf-convert -t guide --bundle guides.zip "$EXAMPLE.jsonl" "$CONVERT/questions.jsonl"
	[ "$stderr" = "" ]
	run -0 /usr/bin/python3 -m zipfile -l guides.zip
	[ "$(printf '%s\n' "${lines[@]:1}" | awk '{print $1, $2, $3}')" = "$GUIDE_ID/content.json 2023-11-14 22:13:20
$GUIDE_ID/manifest.json 2023-11-14 22:13:20
question-rules-qa1/content.json 2023-11-14 22:13:20
question-rules-qa1/manifest.json 2023-11-14 22:13:20
repository.json 2023-11-14 22:13:20
index.html 2023-11-14 22:13:20" ]
	unzip -q guides.zip
	pf-convert -t guide -o direct "$EXAMPLE.jsonl" "$CONVERT/questions.jsonl"
	same_tree "direct/$GUIDE_ID" "$GUIDE_ID"
	same_file "direct/$GUIDE_ID/manifest.json" "$GUIDE_ID/manifest.json"
	same_tree direct/question-rules-qa1 question-rules-qa1
	check_guide question-rules-qa1
	# The bundle's repository.json lists its guides, as in a folder: in
	# the order of their names, whatever the order of the inputs.
	same_file direct/repository.json repository.json
	run -0 --separate-stderr pf-convert -t guide --bundle rev.zip "$EXAMPLE.jsonl" "$CONVERT/strict.jsonl"
	mkdir rev
	(cd rev && unzip -q ../rev.zip)
	[ "$(jq -c keys_unsorted rev/repository.json)" = "[\"explore-logs-strict-1-x\",\"$GUIDE_ID\"]" ]
	check_repository rev
}

@test "pf-convert: a bundle's index.html lists each converted input with its facts" {
	cp "$EXAMPLE.jsonl" talk.jsonl
	cp "$CONVERT/questions.jsonl" "q&a.jsonl"
	run -0 --separate-stderr pf-convert -t md --bundle site.tar talk.jsonl "q&a.jsonl"
	[ "$stderr" = "" ]
	tar -xf site.tar index.html
	[ "$(cat index.html)" = "<!DOCTYPE html>
<html lang=\"en\">
<head>
<meta charset=\"utf-8\">
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\">
<title>Recorded sessions</title>
</head>
<body>
<main>
<h1>Recorded sessions</h1>
<ul>
<li><a href=\"./talk.md\">Prometheus Monitoring 101</a> <time datetime=\"2026-03-12T14:00:00.000Z\">2026-03-12</time> (30:00, 19 steps, 12 attendees)</li>
<li><a href=\"./q&amp;a.md\">Question rules</a> <time datetime=\"2026-03-12T14:00:00.000Z\">2026-03-12</time> (0:30, 2 steps, 1 attendee)</li>
</ul>
</main>
</body>
</html>" ]
}

@test "pf-convert: a bundle's index.html links to its files, even one named like a URL scheme" {
	cp "$CONVERT/steps.jsonl" "javascript:alert(1).jsonl"
	cp "$CONVERT/steps.jsonl" "data:x.jsonl"
	pf-convert --bundle site.zip "javascript:alert(1).jsonl" "data:x.jsonl"
	unzip -p site.zip index.html >idx.html
	# A relative href must not read as a scheme: "./javascript:..." or
	# "javascript%3A...", never "javascript:...".
	run -0 grep -o 'href="[^"]*"' idx.html
	[ "${#lines[@]}" = 2 ]
	local h
	for h in "${lines[@]}"; do
		[[ ! "$h" =~ ^href=\"[A-Za-z][A-Za-z0-9+.-]*: ]] || {
			echo "a link that reads as a URL scheme: $h" >&2
			return 1
		}
	done
}

# --- batches -----------------------------------------------------------------

@test "pf-convert: several inputs need -o DIR or --bundle" {
	run -2 --separate-stderr pf-convert "$EXAMPLE.jsonl" "$CONVERT/steps.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: several inputs need --output DIR or --bundle
$USAGE_HINT" ]
	run -2 --separate-stderr pf-convert -o - "$EXAMPLE.jsonl" "$CONVERT/steps.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: several outputs cannot go to standard output: give --output DIR
$USAGE_HINT" ]
	run -2 --separate-stderr pf-convert -t guide -o - "$EXAMPLE.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: a guide is a folder: give --output DIR
$USAGE_HINT" ]
	# Nothing written (bats keeps its separate-stderr-* files here).
	[ "$(names . | sed 's/separate-stderr-[^ ]* //g')" = "home tmp " ]
}

@test "pf-convert: -o DIR names each output after its input, in every format" {
	mkdir in
	cp "$EXAMPLE.jsonl.gz" in/talk.jsonl.gz
	cp "$EXAMPLE.json" in/session.json
	cp "$CONVERT/steps.jsonl" in/steps.ndjson
	local f ext
	for f in html:html md:md recording:json jsonl:jsonl; do
		ext=${f#*:}
		run -0 --separate-stderr pf-convert -t "${f%:*}" -o "out-$ext" in/talk.jsonl.gz in/session.json in/steps.ndjson
		[ "$output" = "" ]
		[ "$stderr" = "" ]
		[ "$(names "out-$ext")" = "session.$ext steps.$ext talk.$ext " ]
		pf-convert -t "${f%:*}" -o one "$CONVERT/steps.jsonl"
		same_file one "out-$ext/steps.$ext"
	done
	same_page out-html/talk.html
	same_page out-html/session.html
	same_file "$GOLDEN/prometheus-101.md" out-md/talk.md
}

@test "pf-convert: names that would clash get -2, -3 in input order" {
	mkdir a b c
	cp "$EXAMPLE.jsonl" a/talk.jsonl
	cp "$CONVERT/steps.jsonl" b/talk.jsonl
	cp "$CONVERT/questions.jsonl" c/talk.jsonl
	gzip c/talk.jsonl
	run -0 --separate-stderr pf-convert -t md -o out a/talk.jsonl b/talk.jsonl c/talk.jsonl.gz
	[ "$stderr" = "" ]
	[ "$(names out)" = "talk-2.md talk-3.md talk.md " ]
	[ "$(head -n 1 out/talk.md)" = "# Prometheus Monitoring 101" ]
	[ "$(head -n 1 out/talk-2.md)" = "# Step rules" ]
	[ "$(head -n 1 out/talk-3.md)" = "# Question rules" ]
	# Input order decides, whatever the number of jobs.
	run -0 --separate-stderr pf-convert -t md -j 3 -o out2 c/talk.jsonl.gz b/talk.jsonl a/talk.jsonl
	[ "$(head -n 1 out2/talk.md)" = "# Question rules" ]
	[ "$(head -n 1 out2/talk-3.md)" = "# Prometheus Monitoring 101" ]
}

@test "pf-convert: two guides of one session in a batch do not overwrite each other" {
	# The same session twice (a copy, a gzip'd copy): two outputs, as for
	# every other format, not one folder written twice.
	run -0 --separate-stderr pf-convert -t guide -o out "$EXAMPLE.jsonl" "$EXAMPLE.jsonl.gz"
	[ "$stderr" = "" ]
	[ "$(find out -name content.json | wc -l)" = 2 ]
	# The second one's id is its folder's name, inside too.
	[ "$(jq -r .id out/prometheus-monitoring-101-k7m2qx-2/content.json)" = prometheus-monitoring-101-k7m2qx-2 ]
	[ "$(jq -r .id out/prometheus-monitoring-101-k7m2qx-2/manifest.json)" = prometheus-monitoring-101-k7m2qx-2 ]
	[ "$(jq -r .id out/prometheus-monitoring-101-k7m2qx/content.json)" = prometheus-monitoring-101-k7m2qx ]
	run -0 --separate-stderr pf-convert -t guide --bundle g.zip "$EXAMPLE.jsonl" "$EXAMPLE.jsonl.gz"
	[ "$(/usr/bin/python3 -c 'import sys, zipfile; n = zipfile.ZipFile(sys.argv[1]).namelist(); print(len(n), len(set(n)))' g.zip)" = "6 6" ]
	[ "$(jq -c keys out/repository.json)" = '["prometheus-monitoring-101-k7m2qx","prometheus-monitoring-101-k7m2qx-2"]' ]
}

@test "pf-convert: a guide folder that cannot be replaced is named, the other guides put in place, exit 2" {
	pf-convert -t guide -o out "$EXAMPLE.jsonl"
	cp "out/$GUIDE_ID/content.json" old-content.json
	touch "out/$GUIDE_ID/notes.txt"
	run -2 --separate-stderr pf-convert -t guide -o out "$EXAMPLE.jsonl" "$CONVERT/steps.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: out/$GUIDE_ID: Directory not empty" ]
	[ -f "out/$GUIDE_ID/notes.txt" ]
	# The guide there is kept, not lost; nothing is left hidden.
	cmp "out/$GUIDE_ID/content.json" old-content.json
	[ "$(find out -name '.pf-*')" = "" ]
	[ -f out/step-rules-steps1/content.json ]
	[ "$(jq -c keys out/repository.json)" = "[\"$GUIDE_ID\",\"step-rules-steps1\"]" ]
}

@test "pf-convert: -j 1, -j 2 and -j 4 make the same tree" {
	local f
	mkdir in
	for f in steps sections questions attendance pairing multistep tooltip secrets; do
		cp "$CONVERT/$f.jsonl" in/
	done
	cp "$EXAMPLE.jsonl.gz" in/talk.jsonl.gz
	pf-convert -j 1 -o j1 in/*
	pf-convert -j 2 -o j2 in/*
	pf-convert -j 4 -o j4 in/*
	[ "$(count j1)" = 9 ]
	same_tree j1 j2
	same_tree j1 j4
	pf-convert -t guide -j 1 -o g1 in/*
	pf-convert -t guide -j 3 -o g3 in/*
	[ "$(count g1)" = 10 ]
	same_tree g1 g3
}

@test "pf-convert: -j 2 gives each worker the next input when it is free, and says everything in input order" {
	local i pid small rc=0

	mkdir in
	# The first input is a pipe that nothing writes to yet: the worker
	# that takes it waits.  The other must convert every other input
	# meanwhile: were the inputs dealt out in fixed shares, every other
	# one would wait behind the pipe.
	mkfifo in/a-big.jsonl
	for i in 01 02 03 04 05 06 07 08 09 10 11 12; do
		cp "$CONVERT/steps.jsonl" "in/s$i.jsonl"
	done
	printf 'not json\n' >in/s05.jsonl
	pf-convert -t md -j 2 -o out in/a-big.jsonl in/s*.jsonl 2>err &
	pid=$!
	# Not a timing: the small ones either all come or some never do
	# until the pipe is written; the bound only keeps a failure from
	# hanging the suite.
	for ((i = 0; i < 600; i++)); do
		small=$(find out -name 's*.md' 2>/dev/null | wc -l)
		[ "$small" -lt 11 ] || break
		sleep 0.1
	done
	# Nothing may have been said yet: the pipe's input comes first.
	[ ! -s err ]
	{ printf 'not json\n'; cat "$EXAMPLE.jsonl"; } >in/a-big.jsonl
	wait "$pid" || rc=$?
	[ "$small" = 11 ]
	[ "$rc" = 1 ]
	[ "$(count out)" = 12 ]
	same_file "$GOLDEN/prometheus-101.md" out/a-big.md
	# What the pipe's input made them say comes first, though it finished
	# last; then the others', in input order: as with one job.
	[ "$(cat err)" = "pf-convert: in/a-big.jsonl:1: warning: passed over: invalid JSON: expected a value, found 'n'
pf-convert: in/s05.jsonl:1: warning: passed over: invalid JSON: expected a value, found 'n'
pf-convert: in/s05.jsonl: no events: not a recording" ]
	rm in/a-big.jsonl
	{ printf 'not json\n'; cat "$EXAMPLE.jsonl"; } >in/a-big.jsonl
	run -1 --separate-stderr pf-convert -t md -j 1 -o one in/a-big.jsonl in/s*.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "$(cat err)" ]
	same_tree one out
}

@test "pf-convert: --shard 1/3, 2/3 and 3/3 convert each input exactly once" {
	local f k
	mkdir in
	for f in steps sections questions attendance pairing multistep tooltip secrets; do
		cp "$CONVERT/$f.jsonl" in/
	done
	cp "$EXAMPLE.jsonl.gz" in/talk.jsonl.gz
	# Each job gets the list in another order: the shares are of the
	# sorted list, so they still split it.
	local -a reversed shuffled
	mapfile -t reversed < <(printf '%s\n' in/* | sort -r)
	mapfile -t shuffled < <(printf '%s\n' in/* | shuf)
	pf-convert -t md --shard 1/3 -o s1 in/*
	pf-convert -t md --shard 2/3 -o s2 "${reversed[@]}"
	pf-convert -t md --shard 3/3 -j 2 -o s3 "${shuffled[@]}"
	for k in 1 2 3; do
		[ "$(count s$k)" = 3 ]
	done
	[ "$(printf '%s\n' s1/* s2/* s3/* | sed 's,.*/,,' | sort | tr '\n' ' ')" = \
		"attendance.md multistep.md pairing.md questions.md secrets.md sections.md steps.md talk.md tooltip.md " ]
	# The sorted list, every third from the first.
	[ "$(names s1)" = "attendance.md questions.md steps.md " ]
	# 1/1 is everything.
	pf-convert -t md --shard 1/1 -o all in/*
	[ "$(count all)" = 9 ]
}

@test "pf-convert: bad inputs are reported and skipped, the others are converted; a missing one makes it exit 2" {
	echo 'not a recording' >notrec.jsonl
	run -2 --separate-stderr pf-convert -j 1 -t md -o out "$EXAMPLE.jsonl" missing.jsonl notrec.jsonl "$CONVERT/steps.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: missing.jsonl: No such file or directory
pf-convert: notrec.jsonl:1: warning: passed over: invalid JSON: expected a value, found 'n'
pf-convert: notrec.jsonl: no events: not a recording" ]
	[ "$(names out)" = "prometheus-101.md steps.md " ]
	same_file "$GOLDEN/prometheus-101.md" out/prometheus-101.md
	# The same in parallel: the same messages, in input order too.
	run -2 --separate-stderr pf-convert -q -j 4 -t md -o par "$EXAMPLE.jsonl" missing.jsonl notrec.jsonl "$CONVERT/steps.jsonl"
	[ "$stderr" = "pf-convert: missing.jsonl: No such file or directory
pf-convert: notrec.jsonl: no events: not a recording" ]
	same_tree out par
	# And in a bundle: the index lists what was converted.
	run -2 --separate-stderr pf-convert -q -t md --bundle site.tar missing.jsonl "$CONVERT/steps.jsonl"
	[ "$stderr" = "pf-convert: missing.jsonl: No such file or directory" ]
	[ "$(tar -tf site.tar | tr '\n' ' ')" = "steps.md index.html " ]
	# Without the missing one, what is not a recording is 1.
	run -1 --separate-stderr pf-convert -q -j 1 -t md -o one "$EXAMPLE.jsonl" notrec.jsonl
	[ "$stderr" = "pf-convert: notrec.jsonl: no events: not a recording" ]
	[ "$(names one)" = "prometheus-101.md " ]
}

@test "pf-convert: a missing file alone exits 2, as in every pf tool" {
	run -2 --separate-stderr pf-convert missing.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: missing.jsonl: No such file or directory" ]
}

@test "pf-convert: an empty input is not a recording" {
	: >empty.jsonl
	run -1 --separate-stderr pf-convert empty.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: empty.jsonl: no events: not a recording" ]
	run -1 --separate-stderr pf-convert -t jsonl - </dev/null
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: <stdin>: no events: not a recording" ]
	printf '\n\n' >blank.jsonl
	run -1 --separate-stderr pf-convert -q -t md blank.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: blank.jsonl: no events: not a recording" ]
}

@test "pf-convert: standard input (-) converts, and in a batch its output is named stdin" {
	run -0 --separate-stderr pf-convert -t md - <"$CONVERT/steps.jsonl"
	[ "$stderr" = "" ]
	[ "${lines[0]}" = "# Step rules" ]
	run -0 --separate-stderr pf-convert -o out - "$CONVERT/steps.jsonl" <"$EXAMPLE.jsonl.gz"
	[ "$stderr" = "" ]
	[ "$(names out)" = "stdin.html steps.html " ]
	same_page out/stdin.html
}

@test "pf-convert: -o /dev/full exits 2 with a write error, in every format" {
	local f

	for f in html md recording jsonl; do
		run -2 --separate-stderr pf-convert -t "$f" -o /dev/full "$EXAMPLE.jsonl"
		[ "$output" = "" ]
		[ "$stderr" = "pf-convert: $EXAMPLE.jsonl: /dev/full: write error: No space left on device" ]
	done
}

@test "pf-convert: a full standard output exits 2 with one write error" {
	# shellcheck disable=SC2016
	run -2 --separate-stderr bash -c 'pf-convert -t md "$1" >/dev/full' sh "$EXAMPLE.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: $EXAMPLE.jsonl: <stdout>: write error: No space left on device" ]
}

@test "pf-convert: an output that cannot be made exits 2" {
	# Exit 1 is for inputs; an output that cannot be written is 2.
	run -2 --separate-stderr pf-convert -o nodir/talk.html "$EXAMPLE.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: $EXAMPLE.jsonl: nodir/talk.html: No such file or directory" ]
	run -2 --separate-stderr pf-convert -t guide -o /dev/full "$EXAMPLE.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: $EXAMPLE.jsonl: /dev/full/$GUIDE_ID: Not a directory" ]
	run -2 --separate-stderr pf-convert --bundle nodir/site.zip "$EXAMPLE.jsonl"
	[ "$output" = "" ]
	[[ "$stderr" == "pf-convert: nodir/site.zip: "* ]]
	[ "$(ls -A "$TMPDIR")" = "" ]
}

@test "pf-convert: an output that is its input is refused with exit 2, the file untouched" {
	cp "$EXAMPLE.jsonl" rec.jsonl
	ln rec.jsonl hard.jsonl
	run -2 --separate-stderr pf-convert -t jsonl -o rec.jsonl rec.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: rec.jsonl: input and output are the same file" ]
	run -2 --separate-stderr pf-convert -t jsonl -o hard.jsonl rec.jsonl
	[ "$stderr" = "pf-convert: rec.jsonl: input and output are the same file" ]
	# shellcheck disable=SC2016
	run -2 --separate-stderr bash -c 'pf-convert -t md -o rec.jsonl - <rec.jsonl'
	[ "$stderr" = "pf-convert: <stdin>: input and output are the same file" ]
	same_file "$EXAMPLE.jsonl" rec.jsonl
	[ "$(find . -maxdepth 1 -name '.*' ! -name . | wc -l)" = 0 ]
}

@test "pf-convert: a failed conversion leaves an existing output as it was, in every format" {
	local f

	printf '{not json\n' >bad.jsonl
	for f in html md recording jsonl; do
		echo "kept" >"out.$f"
		run -1 --separate-stderr pf-convert -q -t "$f" -o "out.$f" bad.jsonl
		[ "$stderr" = "pf-convert: bad.jsonl: no events: not a recording" ]
		[ "$(cat "out.$f")" = "kept" ]
	done
	# No temporary file is left beside them.
	[ "$(find . -maxdepth 1 -name '.*' ! -name . | wc -l)" = 0 ]
}

@test "pf-convert: a new output is made with the umask's mode, an existing one is replaced whole" {
	(umask 027 && pf-convert -t md -o talk.md "$EXAMPLE.jsonl")
	[ "$(stat -c %a talk.md)" = 640 ]
	ln talk.md other-name.md
	pf-convert -t md -o talk.md "$CONVERT/steps.jsonl"
	# Renamed into place: the old file (still under its other name) is intact.
	pf-convert -t md -o want.md "$EXAMPLE.jsonl"
	same_file want.md other-name.md
}

@test "pf-convert: -j above the descriptor limit converts every input" {
	local i

	mkdir in
	for i in $(seq 1 120); do
		cp "$CONVERT/steps.jsonl" "in/r$i.jsonl"
	done
	# shellcheck disable=SC2016
	run -0 --separate-stderr bash -c 'ulimit -n 48 && pf-convert -t md -j 200 -o out in/*.jsonl'
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$(find out -name '*.md' | wc -l)" = 120 ]
}

@test "pf-convert: --bundle keeps names apart from its index.html and writes UTF-8 names" {
	local b

	mkdir in
	cp "$CONVERT/steps.jsonl" in/index.jsonl
	cp "$CONVERT/steps.jsonl" "in/caf$(printf '\303\251').jsonl"
	for b in site.zip site.tar site.tar.gz; do
		run -0 --separate-stderr env LC_ALL=C pf-convert -q --bundle "$b" in/*.jsonl
		[ "$stderr" = "" ]
	done
	run -0 python3 -c '
import sys, tarfile, zipfile
z = zipfile.ZipFile("site.zip")
print(" ".join("%s:%d" % (i.filename, i.flag_bits >> 11 & 1) for i in z.infolist()))
for t in ("site.tar", "site.tar.gz"):
    print(" ".join(tarfile.open(t, encoding="utf-8").getnames()))'
	[ "$output" = "caf$(printf '\303\251').html:1 index-2.html:0 index.html:0
caf$(printf '\303\251').html index-2.html index.html
caf$(printf '\303\251').html index-2.html index.html" ]
}

@test "pf-convert: a SOURCE_DATE_EPOCH that is not a time is an error, no bundle made" {
	local v

	for v in x -1 1.5 99999999999999; do
		run -2 --separate-stderr env SOURCE_DATE_EPOCH="$v" pf-convert --bundle site.zip "$CONVERT/steps.jsonl"
		[ "$output" = "" ]
		[ "$stderr" = "pf-convert: SOURCE_DATE_EPOCH: '$v' is not a whole number from 0 to 253402300799" ]
		[ ! -e site.zip ]
	done
}

@test "pf-convert: a bundle that cannot be written whole leaves an existing archive as it was" {
	echo kept >site.tar
	# The tar (3 KiB) is over a 2 KiB file size limit, the Markdown it
	# holds (486 bytes) under it.
	# shellcheck disable=SC2016
	run -2 --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 2 &&
	    pf-convert -q -t md --bundle site.tar "$1"' sh "$CONVERT/steps.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: site.tar: Write error" ]
	[ "$(cat site.tar)" = kept ]
	[ "$(find . -maxdepth 1 -name '.*' ! -name . | wc -l)" = 0 ]
}

@test "pf-convert: lines that are not events are passed over with a warning; -q silences it" {
	run -0 --separate-stderr pf-convert -t md -o got.md "$CONVERT/passed-over.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: $CONVERT/passed-over.jsonl:2: warning: passed over: invalid JSON: expected a value, found 't'
pf-convert: $CONVERT/passed-over.jsonl:4: warning: passed over: not an event: no \"type\"
pf-convert: $CONVERT/passed-over.jsonl:5: warning: passed over: expected an object, found an array" ]
	pf-convert -t md -o clean.md "$CONVERT/steps.jsonl"
	same_file clean.md got.md
	run -0 --separate-stderr pf-convert -q -t jsonl "$CONVERT/passed-over.jsonl"
	[ "$stderr" = "" ]
	[ "$output" = "$(cat "$CONVERT/steps.jsonl")" ]
	run -0 --separate-stderr pf-convert --quiet -o out "$CONVERT/passed-over.jsonl" "$CONVERT/steps.jsonl"
	[ "$stderr" = "" ]
}

@test "pf-convert: --redact takes linear time on a long string with no secret" {
	# 200 KB of letters: regexec tried the e-mail pattern from every
	# offset, about a minute; now a moment.
	python3 -c '
import json
print(json.dumps({"type": "session_start", "sessionId": "s1", "timestamp": 1773324000000, "config": {"name": "Long", "tutorialUrl": "https://example.com/t/"}}))
print(json.dumps({"type": "chat_message", "sessionId": "s1", "timestamp": 1773324001000, "senderId": "a", "senderName": "n", "message": "a" * 200000 + " x@example.com " + "b." * 50000}))' >long.jsonl
	run -0 --separate-stderr timeout 20 pf-convert --redact -t jsonl long.jsonl
	[ "$stderr" = "" ]
	[ "$(jq -r .message <<<"${lines[1]}" | grep -o 'a [^ ]* b' )" = "a [REDACTED] b" ]
}

@test "pf-convert: e-mail addresses are masked as the pattern reads them, from its first character" {
	printf '%s\n' '{"type":"session_start","sessionId":"s1","timestamp":1773324000000,"config":{"name":"Mail","tutorialUrl":"https://example.com/t/"}}' \
		'{"type":"chat_message","sessionId":"s1","timestamp":1773324001000,"senderId":"a","senderName":"n","message":"a.b+c@x.y.com1 @z.io q@r @@s.tt u@v.w x@-.ab y@a..bc z@a.b.cd"}' >mail.jsonl
	run -0 --separate-stderr pf-convert --redact -t jsonl mail.jsonl
	[ "$(jq -r .message <<<"${lines[1]}")" = "[REDACTED]1 @z.io q@r @@s.tt u@v.w [REDACTED] y@a..bc [REDACTED]" ]
}

@test "pf-convert: a chat bomb is refused at the tutorial model's cap, naming its line" {
	python3 -c '
import gzip, json, sys
lines = [json.dumps({"type": "session_start", "sessionId": "s1", "timestamp": 1773324000000, "config": {"name": "Bomb", "tutorialUrl": "https://example.com/t/"}})]
chat = json.dumps({"type": "chat_message", "sessionId": "s1", "timestamp": 1773324001000, "senderId": "a", "senderName": "n", "message": "spam " * 2000})
sys.stdout.buffer.write(gzip.compress(("\n".join(lines + [chat] * 30000) + "\n").encode(), 9))' >bomb.jsonl.gz
	run -1 --separate-stderr pf-convert -t md -o out.md bomb.jsonl.gz
	[ "$output" = "" ]
	[[ "$stderr" =~ ^pf-convert:\ bomb\.jsonl\.gz:2[0-9]{4}:\ the\ session\ keeps\ more\ than\ 256\ MiB\ of\ chat,\ steps\ and\ names:\ over\ the\ cap$ ]]
	[ ! -e out.md ]
}

@test "pf-convert: --redact masks formfill values and e-mail addresses in every format" {
	local f

	convert_every_format "$CONVERT/secrets.jsonl" plain
	grep -rq 'tom.admin@example.com' plain
	grep -rq 'http://prometheus:9090' plain
	for f in html md recording jsonl; do
		pf-convert --redact -t "$f" -o "red.$f" "$CONVERT/secrets.jsonl"
	done
	pf-convert --redact -t guide -o guide "$CONVERT/secrets.jsonl"
	for f in red.* guide/*/content.json guide/*/manifest.json; do
		if grep -Eq '@example\.com|@grafana\.example\.org|prometheus:9090' "$f"; then
			echo "not masked in $f:" >&2
			grep -Eo '.{0,40}(@example\.com|@grafana\.example\.org|prometheus:9090).{0,20}' "$f" >&2
			return 1
		fi
	done
	grep -q 'with `\[REDACTED\]`' red.md
	[ "$(jq -r 'select(.action.targetAction == "formfill") | .action.targetValue' red.jsonl | sort -u)" = "[REDACTED]" ]
	# The example: its formfill values masked, the rest as it was.
	pf-convert --redact -t jsonl -o ex.jsonl "$EXAMPLE.jsonl"
	[ "$(jq -r 'select(.action.targetAction == "formfill") | .action.targetValue' ex.jsonl | sort -u)" = "[REDACTED]" ]
	[ "$(jq -r '.action.internalActions[]? | select(.targetAction == "formfill") | .targetValue' ex.jsonl | sort -u)" = "[REDACTED]" ]
	pf-convert --redact -t md -o ex.md "$EXAMPLE.jsonl"
	lacks 'with `http://prometheus:9090`|prometheus-workshop`' ex.md
	[ "$(diff <(jq -c 'del(.action)' "$EXAMPLE.jsonl") <(jq -c 'del(.action)' ex.jsonl))" = "" ]
}

@test "pf-convert: --redact-pattern masks what it matches and implies --redact" {
	pf-convert -t md --redact-pattern 'Lindqvist' --redact-pattern 'Bad Gateway' -o got.md "$EXAMPLE.jsonl"
	lacks 'Lindqvist|Bad Gateway' got.md
	grep -q 'Presented by Tom \\\[REDACTED\\\]' got.md
	grep -q 'with `\[REDACTED\]`' got.md
}

# --- from events to steps ----------------------------------------------------

@test "pf-convert: show_me and do_it merge into one step; show-only steps are marked; steps in order of first appearance" {
	pf-convert -o got.html "$CONVERT/steps.jsonl"
	# b (shown, then done as a button: its last action), a (shown only),
	# c (shown only), d (done only).
	[ "$(step_tags got.html)" = '<li class="interactive interactive-step step" id="step-1" data-step-id="b" data-targetaction="button" data-reftarget="Save" data-targetcomment="Step B">
<li class="interactive interactive-step step" id="step-2" data-step-id="a" data-targetaction="highlight" data-reftarget="[data-testid=&quot;a&quot;]" data-targetcomment="Step A" data-doit="false">
<li class="interactive interactive-step step" id="step-3" data-step-id="c" data-targetaction="hover" data-reftarget="[data-testid=&quot;c&quot;]" data-targetcomment="Step C" data-doit="false">
<li class="interactive interactive-step step" id="step-4" data-step-id="d" data-targetaction="button" data-reftarget="Go" data-targetcomment="Step D">' ]
	[ "$(grep -o '<span>Show me[^<]*</span>' got.html | tr '\n' ' ')" = \
		"<span>Show me and Do it</span> <span>Show me only</span> <span>Show me only</span> <span>Show me and Do it</span> " ]
	pf-convert -t md "$CONVERT/steps.jsonl" | tail -n +5 >got.md
	same_file "$CONVERT/expected/steps.md" got.md
	pf-convert -t guide -o g "$CONVERT/steps.jsonl"
	[ "$(jq -c '[.blocks[1].blocks[] | [.action, .reftarget, .doIt]]' g/step-rules-steps1/content.json)" = \
		'[["button","Save",true],["highlight","[data-testid=\"a\"]",false],["hover","[data-testid=\"c\"]",false],["button","Go",true]]' ]
}

@test "pf-convert: a new tutorial URL opens a new section titled after its last path segment" {
	pf-convert -t md "$CONVERT/sections.jsonl" | tail -n +5 >got.md
	same_file "$CONVERT/expected/sections.md" got.md
	pf-convert -o got.html "$CONVERT/sections.jsonl"
	# A sync_state to the same URL opens nothing; a URL with no step makes
	# no section; going back opens a new one.
	[ "$(grep -o '<h2 id="section-[0-9]*-title">[^<]*' got.html | tr '\n' ' ')" = \
		'<h2 id="section-1-title">First part <h2 id="section-2-title">Second part <h2 id="section-4-title">First part ' ]
	[ "$(grep -o '<span id="section-[0-9]*" class="interactive" data-targetaction="sequence" data-reftarget="span#section-[0-9]*">' got.html | wc -l)" = 3 ]
	pf-convert -t guide -o g "$CONVERT/sections.jsonl"
	[ "$(jq -c '[.blocks[] | select(.type == "section") | [.title, (.blocks | length)]]' g/section-rules-sect1/content.json)" = \
		'[["First part",1],["Second part",2],["First part",1]]' ]
}

@test "pf-convert: a question belongs to the current step and the presenter's next message answers it" {
	pf-convert -t md "$CONVERT/questions.jsonl" | tail -n +5 >got.md
	same_file "$CONVERT/expected/questions.md" got.md
	pf-convert -o got.html "$CONVERT/questions.jsonl"
	# Before the first step: a section of its own.
	grep -qx '<h2 id="before-title">Before the first step</h2>' got.html
	grep -qx '<div class="qa"><p><span class="who">Ann</span> asked at <time>0:02</time>: Is this recorded?</p><p><span class="who">Tom</span> answered: Yes it is.</p></div>' got.html
	# Three questions on step 1 (the last shown or done when asked), none
	# on step 2; the last one unanswered.
	[ "$(sed -n '/id="step-1"/,/^<\/li>/p' got.html | grep -c '<div class="qa">')" = 3 ]
	[ "$(sed -n '/id="step-2"/,/^<\/li>/p' got.html | grep -c '<div class="qa">')" = 0 ]
	grep -qx '<div class="qa"><p><span class="who">Bob</span> asked at <time>0:24</time>: Can you do that again?</p></div>' got.html
	pf-convert -t guide -o g "$CONVERT/questions.jsonl"
	[ "$(jq -c '[.blocks[] | .type, (.blocks[]? | .type)]' g/question-rules-qa1/content.json)" = \
		'["markdown","markdown","section","interactive","markdown","markdown","markdown","interactive"]' ]
}

@test "pf-convert: suggested times, hands raised and attendees who left, step by step" {
	pf-convert -t md "$CONVERT/attendance.jsonl" | tail -n +5 >got.md
	same_file "$CONVERT/expected/attendance.md" got.md
	pf-convert -o got.html "$CONVERT/attendance.jsonl"
	[ "$(grep -o '<p class="facts">.*</p>' got.html)" = '<p class="facts"><span>Suggested time: 1 min</span><span>Show me only</span><span>Hands raised: 2</span></p>
<p class="facts"><span>Suggested time: 1 min 30 s</span><span>Show me only</span><span>Left during this step: Bob, Cleo</span></p>
<p class="facts"><span>Suggested time: 1 h 0 min</span><span>Show me only</span></p>' ]
	grep -qx '<div><dt>Attendees</dt><dd>3</dd></div>' got.html
	grep -qx '<div><dt>Duration</dt><dd>1 h 2 min</dd></div>' got.html
}

@test "pf-convert: attendees are tied to sender ids by chat, hand_raise and a status within 10 s of a join" {
	pf-convert -t md -o got.md "$CONVERT/pairing.jsonl"
	# Dan's status came 10 s after his join, Eve's 11 s: eve1 stays a
	# stranger, and a peer id known only from its leave is nobody (issue
	# 9: never printed as a name).  Fay is known by her chat, Gus by his
	# hand.
	[ "$(grep '^- Left' got.md)" = "- Left during this step: Dan, Fay, Gus" ]
	pf-convert -t recording -o got.json "$CONVERT/pairing.jsonl"
	[ "$(jq -c '[.attendees[] | select(.name) | [.id, .name, .leftAt]]' got.json)" = \
		'[["dan1","Dan",1773324051000],["Eve","Eve",null],["fay1","Fay",1773324053000],["gus1","Gus",1773324054000]]' ]
}

@test "pf-convert: a multistep keeps its internal actions in html, md and the guide" {
	pf-convert -o got.html "$CONVERT/multistep.jsonl"
	local attr
	attr=$(grep -o 'data-step-id="m1"[^>]*data-internal-actions="[^"]*"' got.html |
		sed 's/.*data-internal-actions="//; s/"$//' |
		/usr/bin/python3 -c 'import html, sys; print(html.unescape(sys.stdin.read().strip()))')
	[ "$(jq -c . <<<"$attr")" = \
		'[{"targetAction":"button","refTarget":"New","requirements":" on-page:/dashboards , is-admin,"},{"targetAction":"formfill","refTarget":"input[id=\"title\"]","targetValue":"My board"},{"targetAction":"highlight","refTarget":"a[data-testid=\"data-testid Nav menu item\"][href=\"/dashboards\"]","requirements":"navmenu-open"}]' ]
	[ "$(sed -n '/id="step-1"/,/^<\/li>/p' got.html | grep -c '^<li>')" = 3 ]
	pf-convert -t md "$CONVERT/multistep.jsonl" | tail -n +5 >got.md
	same_file "$CONVERT/expected/multistep.md" got.md
	pf-convert -t guide -o g "$CONVERT/multistep.jsonl"
	# A multistep block, its requirements split on commas and trimmed (the
	# suggested ones: the next test).
	[ "$(jq -c '.blocks[1].blocks[0] | .steps |= map(del(select(.action == "highlight").requirements))' g/multistep-rules-ms1/content.json)" = \
		'{"type":"multistep","content":"Make a dashboard\n\nDo these actions.","steps":[{"action":"button","reftarget":"New","requirements":["on-page:/dashboards","is-admin"]},{"action":"formfill","reftarget":"input[id=\"title\"]","targetvalue":"My board"},{"action":"highlight","reftarget":"a[data-testid=\"data-testid Nav menu item\"][href=\"/dashboards\"]"}]}' ]
}

@test "pf-convert: guide requirements: exists-reftarget for highlights, navmenu-open for the navigation menu" {
	pf-convert -t guide -o g "$CONVERT/multistep.jsonl"
	[ "$(jq -c '[.blocks[1].blocks[1:][] | [.action, .requirements]]' g/multistep-rules-ms1/content.json)" = \
		'[["highlight",["exists-reftarget"]],["highlight",["navmenu-open"]],["button",null],["formfill",null]]' ]
	# A multistep's own requirements, with the suggested ones, each once.
	[ "$(jq -c '[.blocks[1].blocks[0].steps[] | [.action, .requirements]]' g/multistep-rules-ms1/content.json)" = \
		'[["button",["on-page:/dashboards","is-admin"]],["formfill",null],["highlight",["navmenu-open"]]]' ]
	# In the example too, the multisteps' own requirements included once.
	pf-convert -t guide -o ex "$EXAMPLE.jsonl"
	[ "$(jq -c '[.. | objects | select(.type == "multistep") | .steps[].requirements]' "ex/$GUIDE_ID/content.json")" = \
		'[["navmenu-open"],["on-page:/dashboards"],["exists-reftarget"],["exists-reftarget"],["exists-reftarget","has-datasource:prometheus"],["on-page:/alerting/new"]]' ]
}

@test "pf-convert: a tooltip's HTML is reduced to text" {
	local text='Click Save & test then wait for the green banner ✓'

	pf-convert -o got.html "$CONVERT/tooltip.jsonl"
	grep -qx '<span class="interactive-comment">Click Save &amp; test then wait for the green banner ✓</span>' got.html
	grep -q ' data-targetcomment="Click Save &amp; test then wait for the green banner ✓"' got.html
	lacks 'javascript:|&lt;strong|&lt;br' got.html
	pf-convert -t md -o got.md "$CONVERT/tooltip.jsonl"
	grep -qx '### Step 1: Click Save &amp; test then wait for the green banner ✓' got.md
	pf-convert -t guide -o g "$CONVERT/tooltip.jsonl"
	[ "$(jq -r '.blocks[1].blocks[0].tooltip' g/tooltip-rules-tip1/content.json)" = "$text" ]
	# The recording keeps the HTML as it was.
	pf-convert -t jsonl "$CONVERT/tooltip.jsonl" | cmp - "$CONVERT/tooltip.jsonl"
}

@test "pf-convert: only http and https tutorial URLs become links" {
	pf-convert -o got.html "$CONVERT/javascript-url.jsonl"
	[ "$(grep -o '<p class="section-url">.*</p>' got.html)" = '<p class="section-url">javascript:alert(document.domain)//</p>
<p class="section-url">JaVaScRiPt:alert(2)//x/</p>
<p class="section-url"><a href="https://grafana.com/tutorials/safe/" rel="noopener noreferrer">https://grafana.com/tutorials/safe/</a></p>' ]
	lacks '[Hh][Rr][Ee][Ff]="[Jj][Aa][Vv][Aa]' got.html
	pf-convert -t md -o got.md "$CONVERT/javascript-url.jsonl"
	grep -qx '`javascript:alert(document.domain)//`' got.md
	grep -qx '`JaVaScRiPt:alert(2)//x/`' got.md
	grep -qx '<https://grafana.com/tutorials/safe/>' got.md
	lacks '<[Jj]ava|\]\([Jj]ava' got.md
}

@test "pf-convert: an https tutorial URL cannot break out of its Markdown link" {
	pf-convert -t md -o got.md "$CONVERT/autolink.jsonl"
	# Not an autolink: a code span, where HTML is inert text.
	grep -qx '`https://evil.example/a b><img src=x onerror=alert(1)> # Owned`' got.md
	lacks '^<https://evil|^# Owned' got.md
	pf-convert -o got.html "$CONVERT/autolink.jsonl"
	lacks '<img' got.html
}

@test "pf-convert: a session without steps still makes every format" {
	convert_every_format "$CONVERT/nosteps.jsonl" out
	grep -qx '<p>This session has no steps.</p>' out/out.html
	grep -qx '<div><dt>Steps</dt><dd>0</dd></div>' out/out.html
	[ "$(jq -c '[.blocks[].type]' out/guide/only-talk-none1/content.json)" = '["markdown"]' ]
	check_guide out/guide/only-talk-none1
	same_file "$CONVERT/nosteps.jsonl" out/out.jsonl
}

@test "pf-convert: every guide is one the app accepts (schema 1.1.0, lower-case keys, complete blocks)" {
	local f d

	check_guide "$GOLDEN/guide/$GUIDE_ID"
	"$PYTHON" "$XSS_RECORDING" >xss.jsonl 2>/dev/null
	for f in "$EXAMPLE.jsonl" "$CONVERT"/{steps,sections,questions,attendance,pairing,multistep,tooltip,secrets,javascript-url,autolink,timing}.jsonl "$CONVERT/seed.json" xss.jsonl; do
		rm -rf g
		pf-convert -q -t guide -o g "$f"
		[ "$(count g)" = 2 ]
		for d in g/*/; do
			check_guide "${d%/}"
		done
	done
	# No recording field names anywhere, in any case.
	pf-convert -t guide -o ex "$EXAMPLE.jsonl"
	lacks '"(refTarget|targetValue|targetAction|targetComment|internalActions)"' "ex/$GUIDE_ID/content.json"
}

@test "pf-convert: 200 XSS payloads in every field stay text in the page's source" {
	run -0 --separate-stderr "$PYTHON" "$XSS_RECORDING"
	[ "$stderr" = 200 ]
	printf '%s\n' "$output" >xss.jsonl
	pf-convert -o xss.html xss.jsonl
	# The page's own two scripts and nothing else that runs or loads.
	[ "$(grep -o '<script' xss.html | wc -l)" = 2 ]
	lacks '<(img|svg|iframe|object|embed|video|audio|form|base|link|math|template|details|body onload)[ >]|</script><script>' xss.html
	# The script data has <, >, &, U+2028 and U+2029 escaped.
	local data
	data=$(sed -n 's/^<script type="application\/json" id="pf-data">\(.*\)<\/script>$/\1/p' xss.html)
	[ -n "$data" ]
	[[ "$data" != *"<"* && "$data" != *">"* && "$data" != *"&"* ]]
	printf '%s\n' "$data" >data.json
	lacks "$(printf '\342\200\250|\342\200\251')" data.json
	grep -q '\\u2028window.__xss=21\\u2029' data.json
	jq -e '.steps | length == 67' <<<"$data" >/dev/null
	# Markdown: no raw HTML outside code spans.
	pf-convert -t md -o xss.md xss.jsonl
	sed 's/`[^`]*`//g' xss.md >xss-text.md
	lacks '<[a-zA-Z/!?]' xss-text.md
}

@test "pf-convert: fields of the wrong type and odd values convert without a crash" {
	# Non-string stepId and targetAction, a float timestamp, no timestamp,
	# bad entities, empty URLs, a nested multistep, events before
	# session_start: garbage in, some output out, never a crash (the
	# sanitizer build runs this too).
	local f

	for f in html md recording jsonl guide; do
		run -0 --separate-stderr pf-convert -q -t "$f" -o "out-$f" "$CONVERT/odd.jsonl"
		[ "$output" = "" ]
		[ "$stderr" = "" ]
	done
	[ "$(jq -c '[.. | objects | .action? // empty] | unique' out-guide/untitled-session/content.json)" = '["noop"]' ]
	lacks '"(refTarget|targetValue|targetAction|targetComment|internalActions)"' out-guide/untitled-session/content.json
}

@test "pf-convert: timestamps at the ends of the 64-bit range convert without overflow" {
	# A session ending at INT64_MAX, and one spanning the whole range: the
	# durations cannot be computed in int64 (undefined behaviour, which
	# UBSan stops); they must still convert.
	local f t

	for f in extreme-end extreme-span; do
		for t in html md recording jsonl guide; do
			run -0 --separate-stderr pf-convert -t "$t" -o "$f-$t" "$CONVERT/$f.jsonl"
			[ "$output" = "" ]
			[ "$stderr" = "" ]
		done
	done
}

# --- the app's strict package check (issue 9) -------------------------------
#
# check_strict and check_repository (convert_helper.bash) hold the rules of
# the app's `pathfinder-cli validate --strict --package` and the shape of
# its build-repository output, from tests/fixtures/app/FACTS.md; the app
# itself is not needed.

@test "pf-convert: every guide of every example and fixture passes the app's strict package check" {
	local f n d st
	"$PYTHON" "$XSS_RECORDING" >xss.jsonl 2>/dev/null
	for f in "$EXAMPLES"/*.jsonl "$EXAMPLES"/*.jsonl.gz "$EXAMPLES"/*.json \
		"$CONVERT"/*.jsonl "$CONVERT/seed.json" "$FIXTURES"/app/*.jsonl xss.jsonl; do
		n=$((n + 1))
		st=0
		pf-convert -q -t guide -o "g$n" "$f" 2>err || st=$?
		# Never a guide the app refuses: passed, or refused with exit 1.
		if [ "$st" = 1 ] && [ -s err ] && ! [ -e "g$n" ]; then
			continue
		fi
		[ "$st" = 0 ] || {
			echo "$f: exit $st" >&2
			return 1
		}
		for d in "g$n"/*/; do
			check_strict "${d%/}" || {
				echo "... converted from $f" >&2
				return 1
			}
		done
		check_repository "g$n"
	done
	[ "$n" -ge 30 ]
}

@test "pf-convert: the guide's first block repeats no title: the page's facts come first" {
	pf-convert -t guide -o g "$EXAMPLE.jsonl"
	[ "$(jq -r '.blocks[0].content | split("\n")[0]' "g/$GUIDE_ID/content.json")" = \
		'Presented by **Tom Lindqvist** · 2026-03-12 14:00 UTC · 30 min · 12 attendees' ]
	[ "$(jq -r .title "g/$GUIDE_ID/content.json")" = 'Prometheus Monitoring 101' ]
	lacks '"content": "#' "g/$GUIDE_ID/content.json"
}

@test "pf-convert: an empty name takes its title from the tutorial URL, else the session id" {
	local start='{"type":"session_start","sessionId":"%s","timestamp":1773324000000,"config":{"name":"%s","tutorialUrl":"%s","defaultMode":"guided"}}\n'
	# shellcheck disable=SC2059
	{
		printf "$start" ab12 "" "https://grafana.com/tutorials/loki_101/?x#y" >url.jsonl
		printf "$start" ab12 " " "https://grafana.com" >host.jsonl
		printf "$start" "" "" "//" >none.jsonl
	}
	pf-convert -t guide -o g url.jsonl host.jsonl none.jsonl
	[ "$(names g)" = "loki-101-ab12 repository.json session-ab12 untitled-session " ]
	[ "$(jq -r .title g/loki-101-ab12/content.json)" = "Loki 101" ]
	[ "$(jq -r .title g/session-ab12/content.json)" = "Session ab12" ]
	[ "$(jq -r .title g/untitled-session/content.json)" = "Untitled session" ]
	run -0 --separate-stderr pf-convert -t md url.jsonl
	[ "${lines[0]}" = "# Loki 101" ]
	run -0 --separate-stderr pf-convert url.jsonl
	[[ "$output" == *"<title>Loki 101</title>"* ]]
	[[ "$output" == *"<h1>Loki 101</h1>"* ]]
	# The SessionRecording keeps the name as recorded.
	run -0 --separate-stderr pf-convert -t recording url.jsonl
	[ "$(jq -r .name <<<"$output")" = "" ]
}

@test "pf-convert: a multistep without its actions becomes a noop step, never an empty multistep" {
	pf-convert -q -t guide -o g "$CONVERT/strict.jsonl"
	[ "$(jq -c '.blocks[1].blocks[1]' g/explore-logs-strict-1-x/content.json)" = \
		'{"type":"interactive","action":"noop","tooltip":"Run the query","content":"Run the query\n\nDo the actions the presenter showed here (the recording does not list them).","showMe":true,"doIt":true}' ]
	[ "$(jq '[.. | objects | select(.type? == "multistep") | .steps | length] | min' g/explore-logs-strict-1-x/content.json)" -gt 0 ]
}

@test "pf-convert: a step without a reftarget is a noop, in a multistep too" {
	pf-convert -q -t guide -o g "$CONVERT/strict.jsonl"
	[ "$(jq -c '.blocks[1].blocks[0].steps[1]' g/explore-logs-strict-1-x/content.json)" = '{"action":"noop"}' ]
	[ "$(jq -c '.blocks[1].blocks[2] | [.action, has("reftarget"), has("requirements")]' g/explore-logs-strict-1-x/content.json)" = '["noop",false,false]' ]
}

@test "pf-convert: requirement tokens the app does not know are left out of the guide" {
	pf-convert -q -t guide -o g "$CONVERT/strict.jsonl"
	# Recorded: "bogus, on-page:/explore ,is-admin:true,has-datasource:loki,
	# exists-reftarget,min-version:12,renderer:pathfinder".
	[ "$(jq -c '.blocks[1].blocks[0].steps[0].requirements' g/explore-logs-strict-1-x/content.json)" = \
		'["exists-reftarget","on-page:/explore","has-datasource:loki","renderer:pathfinder"]' ]
}

@test "pf-convert: guide ids are kebab-case whatever the title and session id" {
	pf-convert -q -t guide -o g "$CONVERT/strict.jsonl"
	[ "$(names g)" = "explore-logs-strict-1-x repository.json " ]
	[ "$(jq -r .id g/explore-logs-strict-1-x/manifest.json)" = explore-logs-strict-1-x ]
	local long
	long=$(printf 'Word %.0s' {1..40})
	printf '{"type":"session_start","sessionId":"-%s-","timestamp":1773324000000,"config":{"name":"%s!","tutorialUrl":"","defaultMode":"guided"}}\n' \
		"$(printf 'X%.0s' {1..300})" "$long" >long.jsonl
	pf-convert -t guide -o l long.jsonl
	local id
	id=$(jq -r .id l/*/content.json)
	[[ "$id" =~ ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$ ]]
	[ "${#id}" -le 253 ]
	[ "$id" = "$(printf 'word-%.0s' {1..12})$(printf 'x%.0s' {1..64})" ]
}

@test "pf-convert: the manifest says where the guide starts, its category and targeting" {
	pf-convert -q -t guide -o g "$CONVERT/strict.jsonl" "$CONVERT/steps.jsonl"
	# The first step's on-page: requirement, else "/".
	[ "$(jq -c '[.startingLocation, .targeting, .category]' g/explore-logs-strict-1-x/manifest.json)" = \
		'["/explore",{"match":{"and":[{"urlPrefix":"/explore"}]}},"live-session"]' ]
	[ "$(jq -c '[.startingLocation, .targeting, .category]' g/step-rules-steps1/manifest.json)" = \
		'["/",{"match":{"and":[{"urlPrefix":"/"}]}},"live-session"]' ]
	same_file "$GOLDEN/guide/$GUIDE_ID/manifest.json" <(pf-convert -t guide -o ex "$EXAMPLE.jsonl" && cat "ex/$GUIDE_ID/manifest.json")
}

@test "pf-convert: repository.json lists every guide of the folder, old and new, as the app's build-repository does" {
	pf-convert -t guide -o g "$EXAMPLE.jsonl"
	check_repository g
	same_file "$GOLDEN/guide/repository.json" g/repository.json
	pf-convert -q -t guide -o g "$CONVERT/steps.jsonl" "$CONVERT/strict.jsonl"
	[ "$(jq -c 'to_entries | map([.key, .value.path, .value.title])' g/repository.json)" = \
		'[["explore-logs-strict-1-x","explore-logs-strict-1-x/","Explore logs"],["prometheus-monitoring-101-k7m2qx","prometheus-monitoring-101-k7m2qx/","Prometheus Monitoring 101"],["step-rules-steps1","step-rules-steps1/","Step rules"]]' ]
	check_repository g
}

@test "pf-convert: a folder repository.json cannot list is named in a warning and left out" {
	pf-convert -t guide -o g "$EXAMPLE.jsonl"
	mkdir g/no-manifest g/mismatch g/bad-manifest g/.hidden
	echo '{"id":"no-manifest","title":"T","blocks":[]}' >g/no-manifest/content.json
	echo '{"id":"mismatch","title":"T","blocks":[]}' >g/mismatch/content.json
	echo '{"id":"other","type":"guide"}' >g/mismatch/manifest.json
	echo '{"id":"bad-manifest","title":"B","blocks":[]}' >g/bad-manifest/content.json
	echo '{"id":"bad-manifest","type":"guide","category":5}' >g/bad-manifest/manifest.json
	cp -r "g/$GUIDE_ID" g/copy
	cp -r "g/$GUIDE_ID" g/.hidden/
	run -0 --separate-stderr pf-convert -t guide -o g "$CONVERT/steps.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: g/bad-manifest: warning: repository.json: manifest.json: \"category\" is not what the app's schema takes: listed from content.json alone
pf-convert: g/mismatch: warning: repository.json: not listed: the id differs: content.json has \"mismatch\", manifest.json has \"other\"
pf-convert: g/$GUIDE_ID: warning: repository.json: not listed: the id \"$GUIDE_ID\" is taken by copy/" ]
	[ "$(jq -c 'to_entries | map([.key, .value.path])' g/repository.json)" = \
		'[["bad-manifest","bad-manifest/"],["prometheus-monitoring-101-k7m2qx","copy/"],["step-rules-steps1","step-rules-steps1/"]]' ]
	[ "$(jq -c '."bad-manifest"' g/repository.json)" = '{"path":"bad-manifest/","title":"B","type":"guide"}' ]
}

@test "pf-convert: a run that converts nothing leaves repository.json as it was; one that cannot write it exits 2" {
	pf-convert -t guide -o g "$EXAMPLE.jsonl"
	cp g/repository.json before.json
	cp -r "g/$GUIDE_ID" g/copy
	run -1 --separate-stderr pf-convert -t guide -o g /dev/null
	same_file before.json g/repository.json
	rm -r g/copy g/repository.json
	mkdir g/repository.json
	run -2 --separate-stderr pf-convert -t guide -o g "$CONVERT/steps.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "pf-convert: g/repository.json: Is a directory" ]
	[ -d g/repository.json ]
	[ -f g/step-rules-steps1/content.json ]
}

# --- in a browser ------------------------------------------------------------

@test "pf-convert: the example page loads in chromium with no error and no request" {
	need_browser
	pf-convert -o page.html "$EXAMPLE.jsonl"
	browser load page.html
	[ "$(seen '[.errors, .requests, .dialogs]')" = '[[],[],[]]' ]
	[ "$(seen .player_visible)" = true ]
	local steps
	steps=$(jq -r 'select(.stepId) | .stepId' "$EXAMPLE.jsonl" | sort -u | wc -l)
	[ "$steps" = 19 ]
	[ "$(seen .steps)" = "$steps" ]
	[ "$(seen .data_steps)" = "$steps" ]
}

@test "pf-convert: the page meets WCAG 2.1 AA (axe-core) in light and dark mode, as loaded and with a step current" {
	need_axe
	local f
	"$PYTHON" "$XSS_RECORDING" >xss.jsonl 2>/dev/null
	# The example; a session without a name (its title made up); chat
	# and questions; every field hostile.
	for f in "$EXAMPLE.jsonl" "$CONVERT/odd.jsonl" "$CONVERT/questions.jsonl" xss.jsonl; do
		pf-convert -q -o page.html "$f"
		browser axe page.html
		[ "$(seen '[.errors, .requests]')" = '[[],[]]' ]
		# axe ran its rules: some passed.
		[ "$(seen .passes)" -gt 0 ]
		if [ "$(seen .violations)" != '[]' ]; then
			echo "$f: $(jq -r '.violations[]' browser.json)" >&2
			return 1
		fi
	done
}

@test "pf-convert: the page plays two 2 s steps at 2x in about half the time" {
	need_browser
	pf-convert -o page.html "$CONVERT/timing.jsonl"
	browser play page.html 2
	[ "$(seen '[.errors, .requests, .recorded_ms, .speed]')" = '[[],[],4000,2]' ]
	local got
	got=$(seen .observed_ms)
	# 2000 ms in theory; 0.35x to 0.75x of the 4000 ms recorded.
	if [ "$got" -lt 1400 ] || [ "$got" -gt 3000 ]; then
		echo "two steps took $got ms at 2x (recorded: 4000 ms)" >&2
		return 1
	fi
}

@test "pf-convert: the page's keys: arrows move between steps, + and - change speed, space plays" {
	need_browser
	pf-convert -o page.html "$EXAMPLE.jsonl"
	browser keys page.html
	[ "$(seen '[.errors, .requests]')" = '[[],[]]' ]
	[ "$(seen '[.start, .after_right, .after_right2, .after_left]')" = '["","add-ds-1","add-ds-2","add-ds-1"]' ]
	[ "$(seen '[.speed_after_plus, .speed_after_minus2]')" = '["2","0.5"]' ]
	[ "$(seen '[.playing_after_space, .playing_after_space2]')" = '["true","false"]' ]
	[ "$(seen .current_class)" = 1 ]
	[ "$(seen .live)" = '"Step 1: Open Connections from the main menu."' ]
}

@test "pf-convert: the page made from 200 XSS payloads runs none and shows them as text" {
	need_browser
	"$PYTHON" "$XSS_RECORDING" >xss.jsonl 2>/dev/null
	pf-convert -o xss.html xss.jsonl
	browser xss xss.html
	[ "$(seen '[.xss, .dialogs, .scripts, .foreign, .bad_links, .handlers]')" = '[null,[],2,0,[],[]]' ]
	[ "$(seen '[.errors, .requests]')" = '[[],[]]' ]
	local text p
	text=$(jq -r .text browser.json)
	for p in '<script>window.__xss=1</script>' \
		'<img src=x onerror="window.__xss=3">' \
		"'><svg onload=window.__xss=5>" \
		'<a href="javascript:window.__xss=9">x</a>' \
		'<body onload=window.__xss=11>' \
		'{{constructor.constructor('"'"'window.__xss=25'"'"')()}}'; do
		[[ "$text" == *"$p"* ]] || {
			echo "payload not shown as text: $p" >&2
			return 1
		}
	done
	# The chat played to the end: every message shown by the player too.
	[ "$(seen .chat_live)" = "$(jq -s '[.[] | select(.type == "chat_message")] | length' xss.jsonl)" ]
}
