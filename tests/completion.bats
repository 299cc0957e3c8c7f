#!/usr/bin/env bats
# share/bash-completion/pf: every tool's long options complete, and the
# values of the options that take a fixed set of them.

load test_helper

setup() {
	pf_setup
	# shellcheck source=/dev/null
	source "$BATS_TEST_DIRNAME/../share/bash-completion/pf"
}

# complete TOOL WORD...: what completing the last word offers, one a line.
complete_words() {
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_pf "$1"
	printf '%s\n' "${COMPREPLY[@]}"
}

@test "completion: every long option of every --help completes" {
	local tool opt missing=''
	for tool in pf-lint pf-record pf-play pf-convert pf-index pf-live; do
		for opt in $("$tool" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
			# pf-index's and pf-live's options follow their command.
			case $tool in
			pf-index) set -- "$tool" add "$opt" ;;
			pf-live) set -- "$tool" join "$opt" ;;
			*) set -- "$tool" "$opt" ;;
			esac
			if ! complete_words "$@" | grep -qx -- "$opt"; then
				case "$tool $opt" in
				"pf-index --db" | "pf-index --help" | "pf-index --version" | "pf-index --quiet") ;;
				"pf-live --help" | "pf-live --version") ;;
				*) missing="$missing $tool:$opt" ;;
				esac
			fi
		done
	done
	[ "$missing" = "" ] || { echo "not completed:$missing" >&2; return 1; }
}

@test "completion: option values and pf-index commands complete" {
	[ "$(complete_words pf-convert -t g)" = "guide" ]
	[ "$(complete_words pf-lint --format j)" = "json" ]
	[ "$(complete_words pf-record --fsync i)" = "interval" ]
	[ "$(complete_words pf-play --speed m)" = "max" ]
	[ "$(complete_words pf-index st)" = "stats" ]
	[ "$(complete_words pf-lint --disable duplicate-)" = "duplicate-key
duplicate-start" ]
}
