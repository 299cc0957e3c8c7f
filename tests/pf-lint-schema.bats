#!/usr/bin/env bats
# share/pf/pf-event.schema.json and pf-lint must agree on what a valid event
# line is.  The fixtures hold one event a line: valid.jsonl lines must pass
# both, each invalid.jsonl line breaks exactly one rule and must fail both.
# The rules about sequences (time order, sessions, repeats) are not the
# schema's business, so they are left out of the comparison.

load test_helper

setup() {
	pf_setup
}

SCHEMA="$BATS_TEST_DIRNAME/../share/pf/pf-event.schema.json"
SEQUENCE_RULES=mixed-timestamps,timestamp-backwards,duplicate-start,multiple-sessions,repeated-step

# Line numbers (one a line) of FILE that pf-lint finds an error on.
lint_error_lines() {
	pf-lint -q --format json --disable "$SEQUENCE_RULES" "$1" |
		jq -r '.line' | sort -un
}

# Line numbers of FILE that the schema rejects.
schema_error_lines() {
	/usr/bin/python3 "$BATS_TEST_DIRNAME/schema-check.py" "$SCHEMA" "$1" |
		awk '$2 != "valid" { print $1 }'
}

@test "pf-event.schema.json: is a valid draft 2020-12 schema" {
	run -0 --separate-stderr /usr/bin/python3 -c '
import json, sys
from jsonschema import Draft202012Validator
Draft202012Validator.check_schema(json.load(open(sys.argv[1])))
print("ok")' "$SCHEMA"
	[ "$output" = "ok" ]
	[ "$stderr" = "" ]
}

@test "pf-event.schema.json: accepts every line of the valid fixtures" {
	run -0 --separate-stderr schema_error_lines "$FIXTURES/schema/valid.jsonl"
	[ "$output" = "" ]
}

@test "pf-event.schema.json: rejects every line of the invalid fixtures" {
	total=$(wc -l <"$FIXTURES/schema/invalid.jsonl")
	run -0 --separate-stderr schema_error_lines "$FIXTURES/schema/invalid.jsonl"
	[ "$output" = "$(seq 1 "$total")" ]
}

@test "pf-lint: agrees with the schema on the valid fixtures" {
	run -0 --separate-stderr lint_error_lines "$FIXTURES/schema/valid.jsonl"
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: agrees with the schema on the invalid fixtures, line by line" {
	schema=$(schema_error_lines "$FIXTURES/schema/invalid.jsonl")
	run -0 --separate-stderr lint_error_lines "$FIXTURES/schema/invalid.jsonl"
	[ "$output" = "$schema" ]
	[ "$stderr" = "" ]
}

@test "pf-lint: agrees with the schema on the example recording" {
	run -0 --separate-stderr schema_error_lines "$EXAMPLES/prometheus-101.jsonl"
	[ "$output" = "" ]
	run -0 --separate-stderr lint_error_lines "$EXAMPLES/prometheus-101.jsonl"
	[ "$output" = "" ]
}
