#!/usr/bin/env bats
# tests/pf-convert-playwright.bats: pf-convert -t playwright.  The specs it
# writes run with @playwright/test (npm, tests/browser) in Debian's chromium
# against a stand-in for Grafana (tests/browser/standin.mjs), served on
# 127.0.0.1 by the test and stopped by pid: a page with an element for each
# target the recordings name, built from their selectors as the app reads
# them.

load test_helper

BATS_TEST_TIMEOUT=${BATS_TEST_TIMEOUT:-900}

PW="$FIXTURES/convert/playwright.jsonl"
EXAMPLE_JSONL="$EXAMPLES/prometheus-101.jsonl"
NODE_MODULES="$BATS_TEST_DIRNAME/browser/node_modules"
STANDIN="$BATS_TEST_DIRNAME/browser/standin.mjs"
REPORT="$BATS_TEST_DIRNAME/browser/pw-report.mjs"

setup() {
	pf_setup
	STANDIN_PIDS=()
}

teardown() {
	local pid

	for pid in "${STANDIN_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	return 0
}

need_playwright() {
	need_browser
	[ -d "$NODE_MODULES/@playwright/test" ] ||
		skip "no @playwright/test in tests/browser (make check-deps)"
	ln -sfn "$NODE_MODULES" node_modules
}

# start_standin PORTFILE [--drop REFTARGET]... RECORDING...: serves a
# stand-in that holds the targets of the recordings (less those dropped),
# and writes the port it listens on to PORTFILE.  The recordings are
# normalised first, as the stand-in reads them.
start_standin() {
	local portfile=$1 n args=()

	shift
	while [ $# -gt 0 ]; do
		if [ "$1" = --drop ]; then
			args+=("$1" "$2")
			shift 2
			continue
		fi
		n=$portfile-rec-${#args[@]}.jsonl
		pf-convert -q -t jsonl -o "$n" "$1" || return 1
		args+=("$n")
		shift
	done
	rm -f "$portfile"
	node "$STANDIN" "$portfile" "${args[@]}" 2>"$portfile.err" &
	STANDIN_PIDS+=($!)
}

# standin_port PORTFILE: the port, once the stand-in has said it.
standin_port() {
	wait_for 20 test -s "$1" || { cat "$1.err" >&2; return 1; }
	cat "$1"
}

# run_playwright DIR [--pace]: runs the specs in DIR with the configuration
# pf-convert --config writes, stops the stand-ins, and sets output to what
# pw-report.mjs makes of the JSON report (with --pace, the pace too).
run_playwright() {
	local dir=$1 pace=${2:-} f=0 pid

	pf-convert --config -o playwright.config.js || return 1
	PF_SPECS="$dir" PF_TARGET_TIMEOUT_MS=3000 \
	CHROMIUM="${PF_CHROMIUM:-/usr/bin/chromium}" \
		timeout 600 node node_modules/@playwright/test/cli.js test \
		-c playwright.config.js --reporter=json >report.json \
		2>playwright.err || f=$?
	for pid in "${STANDIN_PIDS[@]}"; do
		kill "$pid"
		wait "$pid" 2>/dev/null || true	# 143: the TERM it was sent
	done
	STANDIN_PIDS=()
	# 0 all passed, 1 a test failed: anything else is Playwright's trouble.
	if [ "$f" -gt 1 ]; then
		echo "playwright exited with $f:" >&2
		head -n 20 playwright.err >&2
		return 1
	fi
	run -0 node "$REPORT" ${pace:+"$pace"} report.json
}

# run_specs DIR [--pace] [--drop REFTARGET]... RECORDING...: runs the specs
# in DIR against one stand-in for the recordings, at GRAFANA_URL.
run_specs() {
	local dir=$1 pace='' port

	shift
	if [ "$1" = --pace ]; then
		pace=--pace
		shift
	fi
	start_standin port "$@" || return 1
	port=$(standin_port port) || return 1
	GRAFANA_URL="http://127.0.0.1:$port" run_playwright "$dir" $pace
}

@test "pf-convert -t playwright: the spec of a recording, one step a step, stable" {
	run --separate-stderr -0 pf-convert -t playwright -s 2 -o got.spec.js "$PW"
	[ "$output" = "" ] && [ "$stderr" = "" ]
	diff -u "$FIXTURES/convert/golden/playwright.spec.js" got.spec.js >&2
	# The prelude is share/pf/playwright/prelude.js, whole.
	python3 -c 'import sys; a = open(sys.argv[1]).read(); b = open(sys.argv[2]).read(); sys.exit(a not in b)' \
		"$BATS_TEST_DIRNAME/../share/pf/playwright/prelude.js" got.spec.js
	# Deterministic: the same bytes again.
	pf-convert -t playwright -s 2 -o again.spec.js "$PW"
	cmp got.spec.js again.spec.js
}

@test "pf-convert -t playwright: -s max waits for nothing; -i cuts the gaps before they are scaled" {
	run -0 pf-convert -t playwright -s max "$PW"
	[[ "$output" != *"await at("* ]]
	[[ "$output" == *"played as fast as the UI allows."* ]]
	run -0 pf-convert -t playwright -s 2 -i 1s "$PW"
	# Nine gaps (1, 2 ... 2, 5 s) of at most 1 s, halved: 0.5 s apart.
	[ "$(grep -o 'await at([0-9]*)' <<<"$output" | tr -dc '0-9\n' |
		tr '\n' ' ')" = "500 1000 1500 2000 2500 3000 3500 4000 4500 " ]
	[[ "$output" == *"paced at 2x with gaps cut to 1 s: about 5 s."* ]]
}

@test "pf-convert -t playwright: several inputs become NAME.spec.js in the output folder" {
	cp "$PW" "$FIXTURES/convert/timing.jsonl" .
	run -0 pf-convert -t playwright -o specs playwright.jsonl timing.jsonl
	[ "$(ls specs)" = "$(printf 'playwright.spec.js\ntiming.spec.js')" ]
	grep -q '^test.describe("Two seconds a step"' specs/timing.spec.js
}

@test "pf-convert -t playwright: a value masked by --redact is read from a named variable" {
	printf '%s\n' '{"type":"do_it","sessionId":"r1","timestamp":1773324001000,"senderId":"presenter","stepId":"s1","action":{"targetAction":"formfill","refTarget":"#pw","targetValue":"hunter2","targetComment":"Password"}}' >secret.jsonl
	run -0 pf-convert -t playwright --redact secret.jsonl
	[[ "$output" == *'await fillIn(target, secret("PF_SECRET_STEP_1"));'* ]]
	[[ "$output" != *hunter2* ]]
	run -0 pf-convert -t playwright secret.jsonl
	[[ "$output" == *'await fillIn(target, "hunter2");'* ]]
}

@test "pf-convert -t playwright: what cannot be played is a test.fixme with the reason" {
	run -0 pf-convert -t playwright -s max "$PW"
	[ "$(grep -c 'test.fixme(' <<<"$output")" = 1 ]
	[[ "$output" == *'test.fixme("6. A legend no selector can name", { annotation: { type: '"'fixme'"', description: "the selector '"'div.legend:nth-match(0)'"' has no translation: :nth-match() wants a whole number from 1" } },'* ]]
	run -0 pf-convert -t playwright -s max "$FIXTURES/convert/strict.jsonl"
	[ "$(grep -o 'test.fixme("[^"]*", { annotation: { type: .fixme., description: "[^"]*"' <<<"$output")" = \
'test.fixme("1. Open Explore", { annotation: { type: '"'fixme'"', description: "action 2 of 2: button without a target"
test.fixme("2. Run the query", { annotation: { type: '"'fixme'"', description: "a multistep without its recorded actions"
test.fixme("3. The result", { annotation: { type: '"'fixme'"', description: "highlight without a target"' ]
}

@test "pf-convert: --speed, --idle-limit and --base-url only with -t playwright" {
	run -2 pf-convert -s 2 "$PW"
	[ "$output" = "pf-convert: --speed: only with --to playwright
Try 'pf-convert --help'." ]
	run -2 pf-convert --base-url http://g:3000 "$PW"
	[ "$output" = "pf-convert: --base-url: only with --to playwright
Try 'pf-convert --help'." ]
	run -2 pf-convert -t playwright -s fast "$PW"
	[ "$output" = "pf-convert: --speed: 'fast' is not a number from 0.001 to 1000000, or max
Try 'pf-convert --help'." ]
	run -2 pf-convert -t playwright -i 5q "$PW"
	[ "$output" = "pf-convert: --idle-limit: invalid duration '5q' (examples: 90, 90s, 1:30, 1m30s, 1500ms)
Try 'pf-convert --help'." ]
	[ ! -e playwright.spec.js ]
}

@test "pf-convert --base-url: the spec's Grafana, unless GRAFANA_URL says" {
	run -0 pf-convert -t playwright --base-url http://grafana:3000 "$PW"
	[[ "$output" == *'test.use({ baseURL: process.env.GRAFANA_URL || "http://grafana:3000" });'* ]]
}

@test "pf-convert --config: the configuration the specs run with" {
	run -0 pf-convert --config
	[ "$output" = "$(cat "$BATS_TEST_DIRNAME/../share/pf/playwright/playwright.config.js")" ]
	run -0 pf-convert --config -o playwright.config.js
	[ "$output" = "" ]
	cmp playwright.config.js "$BATS_TEST_DIRNAME/../share/pf/playwright/playwright.config.js"
	run -2 pf-convert --config "$PW"
	[ "$output" = "pf-convert: --config takes no FILE: it writes the configuration alone
Try 'pf-convert --help'." ]
	run -2 pf-convert --config -o /nonexistent/playwright.config.js
	[ "$output" = "pf-convert: /nonexistent/playwright.config.js: No such file or directory" ]
}

@test "playwright: every example and fixture runs green against its stand-in; what cannot be played is fixme" {
	need_playwright
	local f n recs=()

	mkdir specs
	for f in "$EXAMPLES"/prometheus-101.jsonl "$EXAMPLES"/prometheus-101.json \
	    "$EXAMPLES"/prometheus-101.jsonl.gz "$EXAMPLES"/mistakes.jsonl \
	    "$FIXTURES"/convert/*.jsonl "$FIXTURES"/convert/seed.json; do
		n=$(basename "$f" | tr . -)
		pf-convert -q -t playwright -s max -o "specs/$n.spec.js" "$f"
		recs+=("$f")
	done
	PF_SECRET_STEP_3=key run_specs specs "${recs[@]}"
	# Every spec's test passed; only fixme tests were not run.
	[ "$(grep -c '^passed ' <<<"$output")" = "$(find specs -name "*.spec.js" | wc -l)" ]
	[ "$(grep -v '^passed ' <<<"$output")" = "\
fixme mistakes-jsonl.spec.js › 2. loki-2: the selector 'input[data-testid='data-testid Datasource HTTP settings url'' has no translation: unclosed '[' at character 6
fixme odd-jsonl.spec.js › 1. a: the recording does not say what it does
fixme odd-jsonl.spec.js › 2. (a step with no name): a multistep without its recorded actions
fixme playwright-jsonl.spec.js › 6. A legend no selector can name: the selector 'div.legend:nth-match(0)' has no translation: :nth-match() wants a whole number from 1
fixme strict-jsonl.spec.js › 1. Open Explore: action 2 of 2: button without a target
fixme strict-jsonl.spec.js › 2. Run the query: a multistep without its recorded actions
fixme strict-jsonl.spec.js › 3. The result: highlight without a target" ]
}

@test "playwright: a page without a step's target fails at that step, by its name" {
	need_playwright
	mkdir specs
	pf-convert -t playwright -s max -o specs/pw.spec.js "$PW"
	PF_SECRET_STEP_3=key run_specs specs --drop 'Run query' "$PW"
	[ "$output" = "fixme pw.spec.js › 6. A legend no selector can name: the selector 'div.legend:nth-match(0)' has no translation: :nth-match() wants a whole number from 1
failed pw.spec.js › Playwright forms at 4. Run the query" ]
	PF_SECRET_STEP_3=key run_specs specs \
		--drop 'div[data-testid="panel"]:nth-match(2)' "$PW"
	[ "$(sed -n 2p <<<"$output")" = "failed pw.spec.js › Playwright forms at 5.1. Hover over" ]
	PF_SECRET_STEP_3=key run_specs specs \
		--drop 'panel:CPU usage > button:contains("Inspect")' "$PW"
	[ "$(sed -n 2p <<<"$output")" = "failed pw.spec.js › Playwright forms at 7. Inspect the CPU panel" ]
	# A masked value nobody gave fails its step, saying which variable.
	run_specs specs "$PW"
	[ "$(sed -n 2p <<<"$output")" = "failed pw.spec.js › Playwright forms at 3. Paste your API key" ]
	grep -q 'PF_SECRET_STEP_3 is not set' report.json
}

@test "playwright: the example without one of its targets fails at that step" {
	need_playwright
	mkdir specs
	pf-convert -t playwright -s max -o specs/p101.spec.js "$EXAMPLE_JSONL"
	run_specs specs --drop 'Add visualization' "$EXAMPLE_JSONL"
	[ "$output" = "failed p101.spec.js › Prometheus Monitoring 101 at 15. Click Add visualization." ]
	run_specs specs --drop 'grafana:components.QueryField.container' "$EXAMPLE_JSONL"
	[ "$output" = "failed p101.spec.js › Prometheus Monitoring 101 at 12. Type the PromQL query: the per-second request rate over 5 minutes." ]
}

@test "playwright: every example and fixture, without one of its targets, fails at that step" {
	need_playwright
	local lost i rec drop n

	# A recording, and the target its Grafana has lost: each spec runs
	# against a stand-in of its own, which it names with --base-url.
	# nosteps, odd and strict have no target to lose.
	lost=$(cat <<'EOF'
examples/prometheus-101.jsonl	Save dashboard
examples/prometheus-101.json	New alert rule
examples/prometheus-101.jsonl.gz	grafana:components.DataSourcePicker.container
examples/mistakes.jsonl	div.page-body > div > div:nth-child(3) > button
tests/fixtures/convert/attendance.jsonl	[data-testid="s2"]
tests/fixtures/convert/autolink.jsonl	[data-testid="s1"]
tests/fixtures/convert/extreme-end.jsonl	#a
tests/fixtures/convert/extreme-span.jsonl	#a
tests/fixtures/convert/javascript-url.jsonl	[data-testid="s3"]
tests/fixtures/convert/multistep.jsonl	input[id="title"]
tests/fixtures/convert/pairing.jsonl	[data-testid="s1"]
tests/fixtures/convert/passed-over.jsonl	Go
tests/fixtures/convert/playwright.jsonl	textarea#query
tests/fixtures/convert/questions.jsonl	Connect
tests/fixtures/convert/secrets.jsonl	grafana:components.DataSource.DataSourceHttpSettings.urlInput
tests/fixtures/convert/sections.jsonl	[data-testid="s4"]
tests/fixtures/convert/seed.json	[data-testid="s1"]
tests/fixtures/convert/steps.jsonl	[data-testid="a"]
tests/fixtures/convert/timing.jsonl	[data-testid="s3"]
tests/fixtures/convert/tooltip.jsonl	Save & test
EOF
)
	i=0
	while IFS='	' read -r rec drop; do
		start_standin "port-$i" --drop "$drop" "$BATS_TEST_DIRNAME/../$rec"
		i=$((i + 1))
	done <<<"$lost"
	mkdir specs
	i=0
	while IFS='	' read -r rec drop; do
		n=$(basename "$rec" | tr . -)
		pf-convert -q -t playwright -s max \
			--base-url "http://127.0.0.1:$(standin_port "port-$i")" \
			-o "specs/$n.spec.js" "$BATS_TEST_DIRNAME/../$rec"
		i=$((i + 1))
	done <<<"$lost"
	unset GRAFANA_URL
	PF_SECRET_STEP_3=key run_playwright specs
	[ "$output" = "\
failed attendance-jsonl.spec.js › Attendance rules at 2. s2
failed autolink-jsonl.spec.js › Hostile http URL at 1. s1
failed extreme-end-jsonl.spec.js › Long at 1. s1
failed extreme-span-jsonl.spec.js › Wide at 1. s1
failed javascript-url-jsonl.spec.js › Hostile URL at 3. s3
fixme mistakes-jsonl.spec.js › 2. loki-2: the selector 'input[data-testid='data-testid Datasource HTTP settings url'' has no translation: unclosed '[' at character 6
failed mistakes-jsonl.spec.js › Loki in 20 minutes at 1. loki-1
failed multistep-jsonl.spec.js › Multistep rules at 1.2. Fill in
failed pairing-jsonl.spec.js › Who is who at 1. s1
failed passed-over-jsonl.spec.js › Step rules at 4. Step D
fixme playwright-jsonl.spec.js › 6. A legend no selector can name: the selector 'div.legend:nth-match(0)' has no translation: :nth-match() wants a whole number from 1
failed playwright-jsonl.spec.js › Playwright forms at 8. Type the query
failed prometheus-101-json.spec.js › Prometheus Monitoring 101 at 18.2. Click the button
failed prometheus-101-jsonl-gz.spec.js › Prometheus Monitoring 101 at 10. Make sure prometheus-workshop is selected in the data source picker.
failed prometheus-101-jsonl.spec.js › Prometheus Monitoring 101 at 19. Click Save dashboard.
failed questions-jsonl.spec.js › Question rules at 2. Connect
failed secrets-jsonl.spec.js › Secrets at 2. The URL
failed sections-jsonl.spec.js › Section rules at 4. s4
failed seed-json.spec.js › Seed session at 1. First
failed steps-jsonl.spec.js › Step rules at 2. Step A
failed timing-jsonl.spec.js › Two seconds a step at 3. Step 3
failed tooltip-jsonl.spec.js › Tooltip rules at 1. Click Save & test then wait for the green banner ✓" ]
}

@test "playwright: -s 2 plays a 20 s session in 10 s, within 10%" {
	need_playwright
	mkdir specs
	pf-convert -t playwright -s 2 -o specs/pw.spec.js "$PW"
	PF_SECRET_STEP_3=key run_specs specs --pace "$PW"
	[ "$(sed -n 2p <<<"$output")" = "passed pw.spec.js › Playwright forms" ]
	pace=$(sed -n 's/^pace //p' <<<"$output")
	echo "pace: $pace ms" >&3
	# The session's 20 s, from the clock's start (the page at /), halved.
	[ "$pace" -ge 9000 ] && [ "$pace" -le 11000 ]
}

@test "pf-convert -t playwright: selectors as the app reads them, in Playwright's words" {
	local i=0 sel

	for sel in 'li.row:nth-match(2) span.label' 'li.row:nth-match(2) > span' \
	    'button:contains("Save")' 'div:text(" Alerting ")' \
	    'panel:CPU > button' "{grafana:components.NavMenu.item}[href='/']" \
	    'grafana:components.PanelEditor.OptionsPane.fieldInput:Title'; do
		i=$((i + 1))
		printf '{"type":"show_me","sessionId":"sel","timestamp":%d,"senderId":"presenter","stepId":"s%d","action":{"targetAction":"hover","refTarget":%s,"targetComment":"s%d"}}\n' \
			"$((1773324000000 + i))" "$i" "$(jq -Rn --arg s "$sel" '$s')" "$i"
	done >sel.jsonl
	run -0 pf-convert -t playwright -s max sel.jsonl
	[ "$(grep -o 'find(page, .*);\|description: "[^"]*"' <<<"$output" | sort -u)" = "$(cat <<'OUT'
description: "the selector 'li.row:nth-match(2) > span' has no translation: the app finds nothing after :nth-match() for a selector that starts with '>'"
find(page, ":nth-match(li.row, 2) span.label");
find(page, "[data-viz-panel-key]:has([data-testid*=\"Panel header CPU\"]) button");
find(page, "button:has-text(\"Save\")");
find(page, "div:text-matches(\"^\\\\s*Alerting\\\\s*$\", \"i\")");
find(page, grafana("components.NavMenu.item") + "[href='/']");
find(page, grafana("components.PanelEditor.OptionsPane.fieldInput", "Title"));
OUT
)" ]
}
