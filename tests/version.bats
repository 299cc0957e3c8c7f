#!/usr/bin/env bats
# The version: written once, as VERSION in the Makefile, and the same
# everywhere it shows: every tool's --version, the generator tag of a
# tutorial page (tests/pf-convert.bats), and the .Os line of the man pages
# that make builds and installs.  The sources carry no number of their own.

load test_helper

setup() {
	pf_setup
	BUILD_DIR=${PF_BUILD:-$BATS_TEST_DIRNAME/../build}
}

@test "version: every tool's --version prints the Makefile's VERSION" {
	local version page tool n=0
	version=$(pf_version)
	# A tool is its man page in section 1.
	for page in "$MANDIR"/pf-*.1; do
		tool=$(basename "$page" .1)
		run -0 --separate-stderr "$tool" --version
		[ "$output" = "$tool $version" ]
		[ "$stderr" = "" ]
		n=$((n + 1))
	done
	[ "$n" -ge 6 ]
}

@test "version: the man pages as built carry the Makefile's VERSION, the sources none" {
	local version page built n=0
	version=$(pf_version)
	for page in "$MANDIR"/*.[1-9]; do
		built=$BUILD_DIR/man/$(basename "$page")
		[ "$(grep '^\.Os' "$page")" = ".Os pf" ]
		[ "$(grep '^\.Os' "$built")" = ".Os pf $version" ]
		# And nothing else differs.
		diff <(grep -v '^\.Os' "$page") <(grep -v '^\.Os' "$built")
		n=$((n + 1))
	done
	[ "$n" -ge 7 ]
}

@test "version: make install installs the man pages that carry the version" {
	local line
	# A dry run: the commands that would install the pages.
	run -0 make -n -s --no-print-directory -C "$BATS_TEST_DIRNAME/.." \
		BUILD="$BUILD_DIR" DESTDIR="$BATS_TEST_TMPDIR/root" install
	for line in "${lines[@]}"; do
		case $line in
		*/man1 | */man5)
			[[ $line == "install -m 644 $BUILD_DIR/man/"* ]]
			[[ $line != *" man/"* ]]
			;;
		esac
	done
	[ "$(printf '%s\n' "${lines[@]}" | grep -c "^install -m 644 .*/man[15]\$")" = 2 ]
}

@test "version: no source defines a version of its own" {
	run -1 grep -rn 'define PF_VERSION\b' "$BATS_TEST_DIRNAME/../lib" \
		"$BATS_TEST_DIRNAME/../cmd"
	[ "$output" = "" ]
}
