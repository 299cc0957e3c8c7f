#!/usr/bin/env bats
# pf-index: the command line; add (folders, incremental runs, --prune, bad
# files); archives (tar, tar.gz, tgz, zip, read in memory; crafted members
# and decompression bombs); list, search, show, attendance and stats on the
# examples; the database under two writers, a killed writer, a newer
# schema and a file that is not SQLite; hostile strings from a recording;
# write errors.
#
# Every test has its own database, index.db in $BATS_TEST_TMPDIR, through
# PF_INDEX (or --db when a test says so); HOME is there too.  Files are
# named by their real path: expected outputs hold @DIR@ for it (DIR).

load test_helper
load index_helper

setup() {
	pf_setup
	index_setup
	BG_PIDS=()
}

teardown() {
	local p

	for p in "${BG_PIDS[@]}"; do
		kill -9 "$p" 2>/dev/null || true
	done
	if [ -n "${RO_DIR:-}" ]; then
		chmod -R u+w "$RO_DIR"
		rm -rf "$RO_DIR"
	fi
	return 0
}

USAGE_HINT="Try 'pf-index --help'."

# --- the command line --------------------------------------------------------

@test "pf-index: --help prints the usage on stdout and exits 0" {
	run -0 --separate-stderr pf-index --help
	[ "${lines[0]}" = "Usage: pf-index [--db FILE] COMMAND [ARGS]" ]
	[[ "$output" == *"  add [--prune] [--max-member BYTES] PATH..."* ]]
	[[ "$output" == *"  list [--json]"* ]]
	[[ "$output" == *"  search [--limit N] [--json] QUERY..."* ]]
	[[ "$output" == *"  show SESSION"* ]]
	[[ "$output" == *"  attendance [--json|--csv] [--min-presence D] [--min-ratio R] SESSION"* ]]
	[[ "$output" == *"  stats"* ]]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-index -h
	[ "${lines[0]}" = "Usage: pf-index [--db FILE] COMMAND [ARGS]" ]
	[ "$stderr" = "" ]
	[ ! -e index.db ]
}

@test "pf-index: --help agrees with the SYNOPSIS of pf-index(1)" {
	check_help_synopsis pf-index
}

@test "pf-index: --version prints the name and version" {
	local version
	version=$(pf_version)
	run -0 --separate-stderr pf-index --version
	[ "$output" = "pf-index $version" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-index -V
	[ "$output" = "pf-index $version" ]
	[ "$stderr" = "" ]
}

@test "pf-index: an unknown option is a usage error" {
	run -2 --separate-stderr pf-index --bogus list
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: unknown option '--bogus'
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index -z list
	[ "$stderr" = "pf-index: unknown option '-z'
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index list --bogus
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: unknown option '--bogus'
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index search -z port
	[ "$stderr" = "pf-index: unknown option '-z'
$USAGE_HINT" ]
	[ ! -e index.db ]
}

@test "pf-index: an unknown command, or none, is a usage error" {
	run -2 --separate-stderr pf-index frob
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: unknown command 'frob'
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: no command (add, list, search, show, attendance or stats)
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index --db x.db
	[ "$stderr" = "pf-index: no command (add, list, search, show, attendance or stats)
$USAGE_HINT" ]
	[ ! -e x.db ]
	[ ! -e index.db ]
}

@test "pf-index: each command without its operands is a usage error" {
	run -2 --separate-stderr pf-index add
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: add: give one or more recordings, folders or archives
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index add --prune
	[ "$stderr" = "pf-index: add: give one or more recordings, folders or archives
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index search
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: search: give the words to look for
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index search --json
	[ "$stderr" = "pf-index: search: give the words to look for
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index show
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: show: give one SESSION
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index show 1 2
	[ "$stderr" = "pf-index: show: give one SESSION
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index attendance
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: attendance: give one SESSION
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index attendance --csv 1 2
	[ "$stderr" = "pf-index: attendance: give one SESSION
$USAGE_HINT" ]
}

@test "pf-index: a usage error makes no database" {
	local args
	for args in "add" "add --prune" "frob" "list x" "show" "search" \
		"search --limit 0 x" "attendance --min-ratio 2 1" "stats x"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr pf-index $args
		if [ -e index.db ]; then
			echo "'pf-index $args' made index.db" >&2
			return 1
		fi
	done
	run -2 --separate-stderr env -u PF_INDEX pf-index add
	[ ! -e "$HOME/.local" ]
}

@test "pf-index: list and stats take no operand" {
	run -2 --separate-stderr pf-index list x
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: list: unexpected argument 'x'
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index stats --json x
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: stats: unexpected argument 'x'
$USAGE_HINT" ]
}

@test "pf-index: an option missing its value is a usage error" {
	local opt

	run -2 --separate-stderr pf-index --db
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: option '--db' needs a value
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index add --max-member
	[ "$stderr" = "pf-index: option '--max-member' needs a value
$USAGE_HINT" ]
	run -2 --separate-stderr pf-index search --limit
	[ "$stderr" = "pf-index: option '--limit' needs a value
$USAGE_HINT" ]
	for opt in --min-presence --min-ratio; do
		run -2 --separate-stderr pf-index attendance "$opt"
		[ "$output" = "" ]
		[ "$stderr" = "pf-index: option '$opt' needs a value
$USAGE_HINT" ]
	done
}

@test "pf-index: --limit must be a whole number from 1" {
	local v

	for v in 0 -3 abc 1x '' 2.5 ' 2' 2147483648 99999999999999999999; do
		run -2 --separate-stderr pf-index search --limit "$v" port
		[ "$output" = "" ]
		[ "$stderr" = "pf-index: --limit: '$v' is not a whole number from 1 to 2147483647
$USAGE_HINT" ]
	done
	[ ! -e index.db ]
}

@test "pf-index: --max-member must be a whole number of bytes from 1 to 1 GiB" {
	local v

	for v in 0 -1 1k abc '' 1e6 1073741825 99999999999999999999; do
		run -2 --separate-stderr pf-index add --max-member "$v" x.jsonl
		[ "$output" = "" ]
		[ "$stderr" = "pf-index: --max-member: '$v' is not a whole number from 1 to 1073741824
$USAGE_HINT" ]
	done
	[ ! -e index.db ]
}

@test "pf-index: --min-ratio must be a number from 0 to 1" {
	local v

	for v in 1.5 -0.1 x '' inf nan -nan 0.5x 1e400; do
		run -2 --separate-stderr pf-index attendance --min-ratio "$v" 1
		[ "$output" = "" ]
		[ "$stderr" = "pf-index: --min-ratio: '$v' is not a number from 0 to 1
$USAGE_HINT" ]
	done
	[ ! -e index.db ]
}

@test "pf-index: --min-presence must be a duration" {
	local v

	for v in xyz -5m '' nan 5x; do
		run -2 --separate-stderr pf-index attendance --min-presence "$v" 1
		[ "$output" = "" ]
		[ "$stderr" = "pf-index: --min-presence: invalid duration '$v' (examples: 90, 90s, 1:30, 1m30s, 1500ms)
$USAGE_HINT" ]
	done
}

@test "pf-index: an option of another command is a usage error" {
	index_examples
	# show has no --json (its text would come out without its summary),
	# list has no --csv, stats no --limit, add no --json.
	run -2 --separate-stderr pf-index show --json 1
	[ "$output" = "" ]
	[[ "$stderr" == "pf-index: "*"
$USAGE_HINT" ]]
	run -2 --separate-stderr pf-index list --csv
	[ "$output" = "" ]
	[[ "$stderr" == "pf-index: "*"
$USAGE_HINT" ]]
	run -2 --separate-stderr pf-index stats --limit 3
	[ "$output" = "" ]
	run -2 --separate-stderr pf-index add --json ex
	[ "$output" = "" ]
}

@test "pf-index: the database is PF_INDEX, else under XDG_DATA_HOME, else under HOME" {
	use_fixture index/marks.jsonl
	run -0 --separate-stderr env PF_INDEX=a.db pf-index add marks.jsonl
	[ -f a.db ]
	[ ! -e "$HOME/.local" ]

	run -0 --separate-stderr env -u PF_INDEX XDG_DATA_HOME="$PWD/xdg/deep" \
		pf-index add marks.jsonl
	[ "$stderr" = "pf-index: 1 added, 0 updated, 0 unchanged, 0 failed" ]
	[ -f xdg/deep/pf/index.db ]
	[ ! -e "$HOME/.local" ]

	run -0 --separate-stderr env -u PF_INDEX -u XDG_DATA_HOME pf-index add marks.jsonl
	[ "$stderr" = "pf-index: 1 added, 0 updated, 0 unchanged, 0 failed" ]
	[ -f "$HOME/.local/share/pf/index.db" ]
	run -0 --separate-stderr env -u PF_INDEX -u XDG_DATA_HOME pf-index list
	[ "${#lines[@]}" -eq 1 ]
	[[ "$output" == *"  Marks  ($DIR/marks.jsonl)" ]]

	# --db wins over all of them.
	run -0 --separate-stderr pf-index --db b.db add marks.jsonl
	[ -f b.db ]
	[ ! -e index.db ]
}

@test "pf-index: -q, before or after the command, silences the summary and warnings" {
	copy_examples ex
	echo 'not json' >ex/notes.jsonl
	run -1 --separate-stderr pf-index -q add ex
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: $DIR/ex/notes.jsonl: no events: not a recording" ]
	run -1 --separate-stderr pf-index add -q ex
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: $DIR/ex/notes.jsonl: no events: not a recording" ]
	run -1 --separate-stderr pf-index add --quiet ex
	[ "$stderr" = "pf-index: $DIR/ex/notes.jsonl: no events: not a recording" ]
}

# --- add ---------------------------------------------------------------------

@test "pf-index: add indexes the examples folder and says so on stderr" {
	copy_examples ex
	run -0 --separate-stderr pf-index add ex
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: 4 added, 0 updated, 0 unchanged, 0 failed" ]
	[ "$(sql index.db 'SELECT name FROM files ORDER BY id')" = "$DIR/ex/mistakes.jsonl
$DIR/ex/prometheus-101.json
$DIR/ex/prometheus-101.jsonl
$DIR/ex/prometheus-101.jsonl.gz" ]
	db_sound index.db
}

@test "pf-index: add run again finds everything unchanged" {
	index_examples
	local before
	before=$(sql index.db 'SELECT id, file_id FROM sessions ORDER BY id')
	run -0 --separate-stderr pf-index add ex
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: 0 added, 0 updated, 4 unchanged, 0 failed" ]
	[ "$(sql index.db 'SELECT id, file_id FROM sessions ORDER BY id')" = "$before" ]
	# The same file named twice, or through another path, is one file.
	run -0 --separate-stderr pf-index add ex/mistakes.jsonl "$DIR/ex/../ex/mistakes.jsonl"
	[ "$stderr" = "pf-index: 0 added, 0 updated, 2 unchanged, 0 failed" ]
	[ "$(sql index.db 'SELECT count(*) FROM files')" = 4 ]
}

@test "pf-index: a touched file is not indexed again, its new time is noted" {
	index_examples
	local id
	id=$(sql index.db "SELECT s.id FROM sessions s JOIN files f ON f.id = s.file_id WHERE f.name = '$DIR/ex/mistakes.jsonl'")
	[ "$id" = 1 ]
	touch -d '2030-01-02 03:04:05 UTC' ex/mistakes.jsonl
	run -0 --separate-stderr pf-index add ex
	[ "$stderr" = "pf-index: 0 added, 0 updated, 4 unchanged, 0 failed" ]
	[ "$(sql index.db "SELECT s.id FROM sessions s JOIN files f ON f.id = s.file_id WHERE f.name = '$DIR/ex/mistakes.jsonl'")" = 1 ]
	[ "$(sql index.db "SELECT mtime FROM files WHERE name = '$DIR/ex/mistakes.jsonl'")" = "$(date -d '2030-01-02 03:04:05 UTC' +%s)" ]
	[ "$(sql index.db 'SELECT max(id) FROM sessions')" = 4 ]
	# Noted: the next run does not even hash it.
	run -0 --separate-stderr pf-index add ex
	[ "$stderr" = "pf-index: 0 added, 0 updated, 4 unchanged, 0 failed" ]
}

@test "pf-index: a changed file is indexed again and its new text is searchable" {
	index_examples
	sed -i 's/Which port does Loki listen on?/Which quokka port is it, then?/' ex/mistakes.jsonl
	touch -d '2030-01-02 03:04:05 UTC' ex/mistakes.jsonl
	run -0 --separate-stderr pf-index add ex
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: 0 added, 1 updated, 3 unchanged, 0 failed" ]
	run -0 --separate-stderr pf-index search quokka
	[ "$output" = "Loki in 20 minutes  0:19  chat_message  Priya: Which [quokka] port is it, then?
    pf-play --from 0:19 '$DIR/ex/mistakes.jsonl'" ]
	[ "$stderr" = "" ]
	run -1 --separate-stderr pf-index search listen
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$(sql index.db 'SELECT count(*) FROM sessions')" = 4 ]
	db_sound index.db
}

@test "pf-index: add --prune drops the sessions of files that are gone" {
	index_examples
	rm ex/prometheus-101.json
	run -0 --separate-stderr pf-index add --prune ex
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: 1 pruned
pf-index: 0 added, 0 updated, 3 unchanged, 0 failed" ]
	run -0 --separate-stderr pf-index list --json
	[ "${#lines[@]}" -eq 3 ]
	[ "$(jq -r .file <<<"$output" | grep -c 'prometheus-101\.json$')" -eq 0 ]
	[ "$(sql index.db 'SELECT count(*) FROM files')" = 3 ]
	[ "$(sql index.db 'SELECT count(*) FROM attendees')" = 24 ]
	db_sound index.db
	# Nothing gone: no "pruned" line.
	run -0 --separate-stderr pf-index add --prune ex
	[ "$stderr" = "pf-index: 0 added, 0 updated, 3 unchanged, 0 failed" ]
}

@test "pf-index: files that are not recordings are reported and skipped, the others indexed" {
	copy_examples ex
	mkdir ex/junk
	echo 'hello world' >ex/notes.jsonl
	printf '\000\001\002garbage' >ex/junk/bin.jsonl
	echo '{"a":1}' >ex/junk/obj.json
	: >ex/junk/empty.jsonl
	echo 'not a recording, and not named like one' >ex/junk/readme.txt
	run -1 --separate-stderr pf-index add ex
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: $DIR/ex/junk/bin.jsonl:1: warning: passed over: partial last line: NUL byte in the text
pf-index: $DIR/ex/junk/bin.jsonl: no events: not a recording
pf-index: $DIR/ex/junk/empty.jsonl: no events: not a recording
pf-index: $DIR/ex/junk/obj.json:1: warning: passed over: not an event: no \"type\"
pf-index: $DIR/ex/junk/obj.json: no events: not a recording
pf-index: $DIR/ex/notes.jsonl:1: warning: passed over: invalid JSON: expected a value, found 'h'
pf-index: $DIR/ex/notes.jsonl: no events: not a recording
pf-index: 4 added, 0 updated, 0 unchanged, 4 failed" ]
	[ "$(sql index.db 'SELECT count(*) FROM sessions')" = 4 ]
	# A file named explicitly is read whatever its name.
	run -1 --separate-stderr pf-index add ex/junk/readme.txt
	[ "$stderr" = "pf-index: $DIR/ex/junk/readme.txt:1: warning: passed over: invalid JSON: expected a value, found 'n'
pf-index: $DIR/ex/junk/readme.txt: no events: not a recording
pf-index: 0 added, 0 updated, 0 unchanged, 1 failed" ]
	db_sound index.db
}

@test "pf-index: an unreadable file is reported and skipped, the others indexed, and exits 2" {
	copy_examples ex
	cp ex/mistakes.jsonl ex/locked.jsonl
	chmod 000 ex/locked.jsonl
	run -2 --separate-stderr as_unprivileged pf-index add ex
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: $DIR/ex/locked.jsonl: Permission denied
pf-index: 4 added, 0 updated, 0 unchanged, 1 failed" ]
	[ "$(sql index.db 'SELECT count(*) FROM files')" = 4 ]
}

@test "pf-index: a database that cannot be written stops the run there, exits 2, and keeps what it had" {
	local before
	cp "$EXAMPLES/mistakes.jsonl" "$EXAMPLES/prometheus-101.jsonl" .
	pf-test-tool gen 20000 >big.jsonl
	pf-index -q add mistakes.jsonl
	before=$(db_counts index.db)
	# No file may grow past 200 KiB, and SIGXFSZ is ignored: a write past
	# it fails (EFBIG), in the middle of big.jsonl's transaction.  Unlike
	# an unreadable file, that fails the paths after it too: they are not
	# read (nope.jsonl would be reported).
	run -2 --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 200; exec pf-index add big.jsonl prometheus-101.jsonl nope.jsonl'
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: $DIR/big.jsonl: $PF_INDEX: disk I/O error
pf-index: 0 added, 0 updated, 0 unchanged, 1 failed" ]
	db_sound index.db
	[ "$(db_counts index.db)" = "$before" ]
}

@test "pf-index: an archive that cannot be opened exits 2, one of no known format 1" {
	make_archives
	cp a.tar locked.tar
	chmod 000 locked.tar
	head -c 4096 /dev/urandom >random.zip
	run -2 --separate-stderr as_unprivileged pf-index add locked.tar a.zip
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: $DIR/locked.tar: Failed to open '$DIR/locked.tar'
pf-index: 2 added, 0 updated, 0 unchanged, 1 failed" ]
	run -1 --separate-stderr pf-index add random.zip a.zip
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: $DIR/random.zip: Unrecognized archive format
pf-index: 0 added, 0 updated, 2 unchanged, 1 failed" ]
}

@test "pf-index: a path that does not exist is reported, the others indexed, and exits 2" {
	copy_examples ex
	run -2 --separate-stderr pf-index add nope.jsonl ex/mistakes.jsonl missing/
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: nope.jsonl: No such file or directory
pf-index: missing/: No such file or directory
pf-index: 1 added, 0 updated, 0 unchanged, 2 failed" ]
	[ "$(sql index.db 'SELECT count(*) FROM files')" = 1 ]
}

@test "pf-index: a missing path among good ones: those after it are indexed too, and it exits 2 as grep does" {
	copy_examples ex
	run -2 --separate-stderr pf-index add ex/mistakes.jsonl nope.jsonl ex/prometheus-101.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: nope.jsonl: No such file or directory
pf-index: 2 added, 0 updated, 0 unchanged, 1 failed" ]
	[ "$(sql index.db 'SELECT name FROM files ORDER BY name')" = "$DIR/ex/mistakes.jsonl
$DIR/ex/prometheus-101.jsonl" ]
	# A recording that is no recording is still 1, the missing path 2.
	echo 'not json' >ex/notes.jsonl
	run -2 --separate-stderr pf-index -q add ex/notes.jsonl nope.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: $DIR/ex/notes.jsonl: no events: not a recording
pf-index: nope.jsonl: No such file or directory" ]
	run -1 --separate-stderr pf-index -q add ex/notes.jsonl
	[ "$stderr" = "pf-index: $DIR/ex/notes.jsonl: no events: not a recording" ]
}

@test "pf-index: FIFOs are passed over in a folder and reported when named" {
	copy_examples ex
	mkfifo ex/pipe.jsonl
	run -0 --separate-stderr timeout 20 pf-index add ex
	[ "$stderr" = "pf-index: 4 added, 0 updated, 0 unchanged, 0 failed" ]
	run -1 --separate-stderr timeout 20 pf-index add ex/pipe.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: ex/pipe.jsonl: not a regular file or folder
pf-index: 0 added, 0 updated, 0 unchanged, 1 failed" ]
}

@test "pf-index: links to folders are not followed, links to files are" {
	mkdir -p lib/sub other
	cp "$EXAMPLES/mistakes.jsonl" other/
	cp "$EXAMPLES/prometheus-101.jsonl" lib/sub/
	ln -s .. lib/sub/loop
	ln -s "$DIR/other" lib/other-folder
	ln -s "$DIR/other/mistakes.jsonl" lib/linked.jsonl
	run -0 --separate-stderr timeout 20 pf-index add lib
	[ "$stderr" = "pf-index: 2 added, 0 updated, 0 unchanged, 0 failed" ]
	[ "$(sql index.db 'SELECT name FROM files ORDER BY name')" = "$DIR/lib/sub/prometheus-101.jsonl
$DIR/other/mistakes.jsonl" ]
}

# --- archives ----------------------------------------------------------------

# make_archives: a.tar, a.tar.gz, a.tgz and a.zip, each holding
# top/mistakes.jsonl and top/deep/prometheus-101.jsonl.gz, and a README.
make_archives() {
	mkdir -p src/top/deep
	cp "$EXAMPLES/mistakes.jsonl" src/top/
	cp "$EXAMPLES/prometheus-101.jsonl.gz" src/top/deep/
	echo 'not a recording' >src/top/README
	(cd src && tar -cf ../a.tar top && tar -cf - top | gzip -9 >../a.tar.gz &&
		cp ../a.tar.gz ../a.tgz && "$PYTHON" -m zipfile -c ../a.zip top)
}

@test "pf-index: tar, tar.gz, tgz and zip archives are indexed member by member" {
	make_archives
	run -0 --separate-stderr pf-index add a.tar a.tar.gz a.tgz a.zip
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: 8 added, 0 updated, 0 unchanged, 0 failed" ]
	run -0 --separate-stderr pf-index list --json
	[ "$(jq -r .file <<<"$output" | sort)" = "$DIR/a.tar.gz//top/deep/prometheus-101.jsonl.gz
$DIR/a.tar.gz//top/mistakes.jsonl
$DIR/a.tar//top/deep/prometheus-101.jsonl.gz
$DIR/a.tar//top/mistakes.jsonl
$DIR/a.tgz//top/deep/prometheus-101.jsonl.gz
$DIR/a.tgz//top/mistakes.jsonl
$DIR/a.zip//top/deep/prometheus-101.jsonl.gz
$DIR/a.zip//top/mistakes.jsonl" ]
	[ "$(jq -r '[.name, .steps, .attendees] | @tsv' <<<"$output" | sort | uniq -c | sed 's/^ *//')" = "4 Loki in 20 minutes	2	0
4 Prometheus Monitoring 101	19	12" ]
	run -0 --separate-stderr pf-index add a.tar a.tar.gz a.tgz a.zip
	[ "$stderr" = "pf-index: 0 added, 0 updated, 8 unchanged, 0 failed" ]
	# Nothing was extracted.
	[ "$(find . -name 'mistakes.jsonl' -not -path './src/*' | wc -l)" -eq 0 ]
	db_sound index.db
}

@test "pf-index: archives inside a folder are found, and shown by their member name" {
	make_archives
	mkdir lib
	mv a.tar.gz a.zip lib/
	run -0 --separate-stderr pf-index add lib
	[ "$stderr" = "pf-index: 4 added, 0 updated, 0 unchanged, 0 failed" ]
	run -0 --separate-stderr pf-index show "$DIR/lib/a.zip//top/mistakes.jsonl"
	[ "${lines[0]}" = "Loki in 20 minutes" ]
	[ "${lines[2]}" = "file $DIR/lib/a.zip//top/mistakes.jsonl" ]
}

@test "pf-index: a search hit in an archive comes with the command that plays it" {
	make_archives
	pf-index -q add a.tar.gz a.zip
	run -0 --separate-stderr pf-index search --json Loki listen
	[ "$(jq -r .command <<<"$output" | sort)" = "tar -xOf '$DIR/a.tar.gz' 'top/mistakes.jsonl' | pf-play --from 0:19 -
unzip -p '$DIR/a.zip' 'top/mistakes.jsonl' | pf-play --from 0:19 -" ]
	run -0 --separate-stderr pf-index search port 9090
	[[ "$output" == *"
    tar -xOf '$DIR/a.tar.gz' 'top/deep/prometheus-101.jsonl.gz' | pf-play --from 4:05 -"* ]]
	# The command works: played without waiting, from 4:05, Priya's
	# question is the first chat message.
	local cmd
	cmd=$(pf-index search --json port 9090 | jq -r 'select(.file | test("tar.gz//")) | .command')
	run -0 --separate-stderr bash -c "${cmd/pf-play /pf-play --no-wait }"
	[ "$(jq -r 'select(.type == "chat_message") | .message' <<<"$output" | head -n 1)" = "Should we use port 9090 or 9091?" ]
}

@test "pf-index: members that climb out, are absolute or are links are reported and skipped" {
	[ ! -e /tmp/evil.jsonl ]
	mkdir -p work/inner
	cd work/inner
	local rec="$EXAMPLES/mistakes.jsonl"
	craft_archive evil.tar "file:../evil.jsonl=$rec" "file:/tmp/evil.jsonl=$rec" \
		"file:ok/../../evil2.jsonl=$rec" "symlink:link.jsonl=/etc/passwd" \
		"symlink:up.jsonl=../../../evil3.jsonl" "hardlink:hard.jsonl=ok/good.jsonl" \
		"file:ok/good.jsonl=$rec"
	craft_archive evil.zip "file:../evil.jsonl=$rec" "file:/tmp/evil.jsonl=$rec" \
		"file:ok/good.jsonl=$rec"
	local d
	d=$(pwd -P)
	run -1 --separate-stderr timeout 60 pf-index add evil.tar evil.zip
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: $d/evil.tar//../evil.jsonl: unsafe member name (absolute, or with ..): skipped
pf-index: $d/evil.tar///tmp/evil.jsonl: unsafe member name (absolute, or with ..): skipped
pf-index: $d/evil.tar//ok/../../evil2.jsonl: unsafe member name (absolute, or with ..): skipped
pf-index: $d/evil.tar//link.jsonl: not a regular file: skipped
pf-index: $d/evil.tar//up.jsonl: not a regular file: skipped
pf-index: $d/evil.tar//hard.jsonl: not a regular file: skipped
pf-index: $d/evil.zip//../evil.jsonl: unsafe member name (absolute, or with ..): skipped
pf-index: $d/evil.zip///tmp/evil.jsonl: unsafe member name (absolute, or with ..): skipped
pf-index: 2 added, 0 updated, 0 unchanged, 8 failed" ]
	[ "$(sql "$PF_INDEX" 'SELECT name FROM files ORDER BY name')" = "$d/evil.tar//ok/good.jsonl
$d/evil.zip//ok/good.jsonl" ]
	# Nothing was written anywhere.
	[ ! -e /tmp/evil.jsonl ]
	[ "$(cd "$BATS_TEST_TMPDIR" && find . -name 'evil*.jsonl' | wc -l)" -eq 0 ]
	[ "$(find "$BATS_TEST_TMPDIR/.." -maxdepth 1 -name 'evil*' | wc -l)" -eq 0 ]
	[ "$(ls -A)" = "evil.tar
evil.zip" ]
}

@test "pf-index: a decompression bomb in a tar.gz stops at --max-member" {
	local rec="$EXAMPLES/mistakes.jsonl"
	mkdir work
	cd work
	craft_archive bomb.tar.gz "zeros:bomb.jsonl=50000000" "file:ok/good.jsonl=$rec"
	[ "$(stat -c %s bomb.tar.gz)" -lt 200000 ]
	run -1 --separate-stderr timeout 60 pf-index add --max-member 1000000 bomb.tar.gz
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: $DIR/work/bomb.tar.gz//bomb.jsonl: 50000000 bytes, over the limit of 1000000 (--max-member): skipped
pf-index: 1 added, 0 updated, 0 unchanged, 1 failed" ]
	[ "$(sql "$PF_INDEX" 'SELECT name FROM files')" = "$DIR/work/bomb.tar.gz//ok/good.jsonl" ]
	# Nothing was written.
	[ "$(ls -A)" = "bomb.tar.gz" ]
}

@test "pf-index: a zip member that lies about its size stops at --max-member" {
	local rec="$EXAMPLES/mistakes.jsonl"
	craft_archive liar.zip "liar:bomb.jsonl=50000000" "file:ok/good.jsonl=$rec"
	run -1 --separate-stderr timeout 60 pf-index add --max-member 1000000 liar.zip
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: $DIR/liar.zip//bomb.jsonl: more than 1000000 bytes (--max-member): skipped
pf-index: 1 added, 0 updated, 0 unchanged, 1 failed" ]
	[ "$(sql index.db 'SELECT name FROM files')" = "$DIR/liar.zip//ok/good.jsonl" ]
}

@test "pf-index: a gzip'd member that expands far beyond --max-member does no harm" {
	local rec="$EXAMPLES/mistakes.jsonl"
	craft_archive gz.tar "gzzeros:bomb.jsonl.gz=50000000" "file:ok/good.jsonl=$rec"
	run -1 --separate-stderr timeout 60 pf-index add --max-member 1000000 gz.tar
	[ "$output" = "" ]
	[[ "$stderr" == *"pf-index: $DIR/gz.tar//bomb.jsonl.gz: "* ]]
	[ "${stderr##*$'\n'}" = "pf-index: 1 added, 0 updated, 0 unchanged, 1 failed" ]
	[ "$(sql index.db 'SELECT name FROM files')" = "$DIR/gz.tar//ok/good.jsonl" ]
}

@test "pf-index: a gzip'd member that is a document bomb stops at the document's value cap" {
	local rec="$EXAMPLES/mistakes.jsonl"
	python3 -c '
import gzip, sys
sys.stdout.buffer.write(gzip.compress(b"{\"id\":\"x\",\"events\":[" + b"0," * 5000000 + b"0]}", 9))' >doc.jsonl.gz
	craft_archive nest.tar "file:doc.jsonl.gz=doc.jsonl.gz" "file:ok/good.jsonl=$rec"
	run -1 --separate-stderr timeout 60 pf-index -q add --max-member 1000000 nest.tar
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: $DIR/nest.tar//doc.jsonl.gz: not a valid SessionRecording document: more than 4000000 JSON values: over the cap" ]
	[ "$(sql index.db 'SELECT name FROM files')" = "$DIR/nest.tar//ok/good.jsonl" ]
}

@test "pf-index: a truncated or unrecognised archive is reported, without a crash" {
	make_archives
	head -c 3000 a.tar.gz >cut.tar.gz
	head -c 2000 a.zip >cut.zip
	head -c 4096 /dev/urandom >random.zip
	: >empty.tar
	run -1 --separate-stderr timeout 60 pf-index add cut.tar.gz cut.zip random.zip
	[ "$output" = "" ]
	[[ "$stderr" == *"pf-index: $DIR/cut.tar.gz: "* ]]
	[[ "$stderr" == *"pf-index: $DIR/random.zip: "* ]]
	[[ "${stderr##*$'\n'}" == "pf-index: "*" added, 0 updated, 0 unchanged, "*" failed" ]]
	db_sound index.db
}

@test "pf-index: archive member names are printed with control characters escaped" {
	local rec="$EXAMPLES/mistakes.jsonl"
	craft_archive esc.tar "file:$(printf 'x\033]0;owned\007\033[2J\n.jsonl')=$rec" \
		"file:$(printf '../\033[2Jup.jsonl')=$rec"
	run -1 --separate-stderr pf-index add esc.tar
	no_controls
	[[ "$stderr" == *'\x1b[2Jup.jsonl: unsafe member name'* ]]
	run -0 --separate-stderr pf-index list
	no_controls
	run -0 --separate-stderr pf-index search Loki listen
	no_controls
}

@test "pf-index: a changed member of an archive is indexed again, the others not" {
	make_archives
	pf-index -q add a.tar
	sed -i 's/Which port does Loki listen on?/Which quokka port is it, then?/' src/top/mistakes.jsonl
	touch -d '2030-01-02 03:04:05 UTC' src/top/mistakes.jsonl
	(cd src && tar -cf ../a.tar top)
	run -0 --separate-stderr pf-index add a.tar
	[ "$stderr" = "pf-index: 0 added, 1 updated, 1 unchanged, 0 failed" ]
	run -0 --separate-stderr pf-index search quokka
	[ "$output" = "Loki in 20 minutes  0:19  chat_message  Priya: Which [quokka] port is it, then?
    tar -xOf '$DIR/a.tar' 'top/mistakes.jsonl' | pf-play --from 0:19 -" ]
	run -1 --separate-stderr pf-index search listen
	db_sound index.db
}

@test "pf-index: add --prune drops members gone from an archive, and archives gone" {
	make_archives
	pf-index -q add a.tar a.zip
	[ "$(sql index.db 'SELECT count(*) FROM files')" = 4 ]
	rm a.zip
	(cd src && tar -cf ../a.tar top/mistakes.jsonl)
	touch -d '2030-01-02 03:04:05 UTC' a.tar
	run -0 --separate-stderr pf-index add --prune a.tar
	[ "$(sql index.db 'SELECT name FROM files')" = "$DIR/a.tar//top/mistakes.jsonl" ]
	db_sound index.db
}

# --- list --------------------------------------------------------------------

@test "pf-index: list prints the sessions, newest first" {
	index_examples
	run -0 --separate-stderr pf-index list
	same_output list.txt
	[ "$stderr" = "" ]
}

@test "pf-index: list --json gives one object a line, with every field" {
	index_examples
	run -0 --separate-stderr pf-index list --json
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 4 ]
	jq -e -s 'all(.[]; keys_unsorted == ["id", "sessionId", "name",
		"presenter", "date", "duration", "events", "steps", "attendees",
		"questions", "file"])' <<<"$output"
	[ "$(jq -c '[.id, .sessionId, .name, .presenter, .date, .duration, .events, .steps, .attendees, .questions]' <<<"$output")" = '[1,"q4z8rw","Loki in 20 minutes",null,"2026-03-13T14:00:00.000Z",1200000,7,2,0,1]
[2,"k7m2qx","Prometheus Monitoring 101","Tom Lindqvist","2026-03-12T14:00:00.000Z",1800412,460,19,12,6]
[3,"k7m2qx","Prometheus Monitoring 101","Tom Lindqvist","2026-03-12T14:00:00.000Z",1800412,460,19,12,6]
[4,"k7m2qx","Prometheus Monitoring 101","Tom Lindqvist","2026-03-12T14:00:00.000Z",1800412,460,19,12,6]' ]
	[ "$(jq -r .file <<<"$output")" = "$DIR/ex/mistakes.jsonl
$DIR/ex/prometheus-101.json
$DIR/ex/prometheus-101.jsonl
$DIR/ex/prometheus-101.jsonl.gz" ]
}

@test "pf-index: list and stats of an empty library" {
	run -0 --separate-stderr pf-index list
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-index list --json
	[ "$output" = "" ]
	run -0 --separate-stderr pf-index stats
	[ "$output" = "0 sessions in 0 files, 0:00 recorded
0 events, 0 steps, 0 questions
0 attendances, 0 presenters" ]
	run -0 --separate-stderr pf-index stats --json
	[ "$output" = '{"files":0,"sessions":0,"events":0,"steps":0,"questions":0,"attendances":0,"presenters":0,"duration":0}' ]
	run -1 --separate-stderr pf-index search port
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-index: a recording with relative timestamps has no date" {
	use_fixture index/relative.jsonl
	pf-index -q add relative.jsonl
	run -0 --separate-stderr pf-index list
	[ "$output" = "  1  (no date)            1:05    0 steps    0 attendees  Relative  ($DIR/relative.jsonl)" ]
	run -0 --separate-stderr pf-index list --json
	[ "$(jq -c '[.date, .duration]' <<<"$output")" = '[null,65000]' ]
	run -0 --separate-stderr pf-index show rel001
	[ "${lines[0]}" = "Relative" ]
	[[ "${lines[1]}" == "session rel001, "*", 1:05" ]]
	[[ "${lines[1]}" != *"(no date) UTC"* ]]
}

# --- search ------------------------------------------------------------------

@test "pf-index: search 'port 9090' finds Priya's question at 4:05, with the command" {
	copy_examples ex
	pf-index -q add ex/prometheus-101.jsonl ex/mistakes.jsonl
	run -0 --separate-stderr pf-index search port 9090
	[ "$output" = "Prometheus Monitoring 101  4:05  chat_message  Priya Raman: Should we use [port] [9090] or 9091?
    pf-play --from 4:05 '$DIR/ex/prometheus-101.jsonl'" ]
	[ "$stderr" = "" ]
	# The words may come as one argument.
	run -0 --separate-stderr pf-index search 'port   9090'
	[ "${lines[1]}" = "    pf-play --from 4:05 '$DIR/ex/prometheus-101.jsonl'" ]
}

@test "pf-index: search finds the hit in each copy of a session" {
	index_examples
	run -0 --separate-stderr pf-index search port 9090
	[ "${#lines[@]}" -eq 6 ]
	[ "$(printf '%s\n' "${lines[@]}" | sort)" = "$(expected search-port.txt | sort)" ]
}

@test "pf-index: search --limit keeps the best hits" {
	index_examples
	run -0 --separate-stderr pf-index search --limit 1 port 9090
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" = "Prometheus Monitoring 101  4:05  chat_message  Priya Raman: Should we use [port] [9090] or 9091?" ]
	run -0 --separate-stderr pf-index search --json prometheus
	[ "${#lines[@]}" -eq 20 ]
	run -0 --separate-stderr pf-index search --json --limit 2 prometheus
	[ "${#lines[@]}" -eq 2 ]
	run -0 --separate-stderr pf-index search --json --limit 1000 prometheus
	[ "${#lines[@]}" -gt 20 ]
}

@test "pf-index: search --json gives one object a hit, with every field" {
	copy_examples ex
	pf-index -q add ex/prometheus-101.jsonl ex/mistakes.jsonl
	run -0 --separate-stderr pf-index search --json port 9090
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 1 ]
	jq -e 'keys_unsorted == ["session", "sessionId", "name", "file",
		"offset", "offsetMs", "type", "snippet", "command"]' <<<"$output"
	[ "$(jq -c '[.session, .sessionId, .name, .offset, .offsetMs, .type, .snippet]' <<<"$output")" = '[1,"k7m2qx","Prometheus Monitoring 101","4:05",245153,"chat_message","Priya Raman: Should we use [port] [9090] or 9091?"]' ]
	[ "$(jq -r .file <<<"$output")" = "$DIR/ex/prometheus-101.jsonl" ]
	[ "$(jq -r .command <<<"$output")" = "pf-play --from 4:05 '$DIR/ex/prometheus-101.jsonl'" ]
}

@test "pf-index: search looks in step comments, selectors, tutorial URLs and session names" {
	copy_examples ex
	pf-index -q add ex/prometheus-101.jsonl
	run -0 --separate-stderr pf-index search --json Pushgateway
	[ "$(jq -r '.type + " " + .offset' <<<"$output")" = "chat_message 4:40" ]
	run -0 --separate-stderr pf-index search --json editorToggle
	[ "$(jq -r '.type + " " + .offset' <<<"$output")" = "show_me 13:50" ]
	run -0 --separate-stderr pf-index search --json Builder Code mode
	[ "$(jq -r '.type + " " + .offset' <<<"$output")" = "show_me 13:50" ]
	# The values typed, and those of a multistep's actions.
	run -0 --separate-stderr pf-index search --json prometheus-workshop
	[ "$(jq -r '.type + " " + .offset' <<<"$output")" = "do_it 6:20
do_it 13:00" ]
	run -0 --separate-stderr pf-index search --json High HTTP request rate
	[ "$(jq -r '.type + " " + .offset' <<<"$output")" = "do_it 26:20" ]
	# A tutorial page is found where its first step begins.
	run -0 --separate-stderr pf-index search --json add-data-source
	[ "$(jq -r '.type + " " + .offset + " " + .snippet' <<<"$output")" = "navigation 3:00 https://grafana.com/tutorials/prometheus-101/[add-data-source]/" ]
	run -0 --separate-stderr pf-index search --json Monitoring 101
	[ "$(jq -r '.type + " " + .offset' <<<"$output")" = "session_start 0:00" ]
}

@test "pf-index: search words are literal, never FTS5 or SQL syntax" {
	index_examples
	local before q
	before=$(db_counts index.db)
	for q in '"port' 'port?' '9090*' '*' '"' '""' '(port' 'port)' \
		'NEAR(port 9090)' '^port' 'body:port' '{body}: port' "'" \
		"'; DROP TABLE files; --" '"; DROP TABLE texts_fts; --' \
		'port AND 9090' 'port NOT 9091' 'port OR nothing' "\\" '-' ':' '+' \
		'%' '_' '); DELETE FROM sessions; --' 'texts_fts MATCH *'; do
		run --separate-stderr pf-index search "$q"
		if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
			echo "search [$q] exited $status: $stderr" >&2
			return 1
		fi
		[ "$stderr" = "" ]
	done
	[ "$(db_counts index.db)" = "$before" ]
	db_sound index.db
	[ "$(sql index.db 'SELECT count(*) FROM files')" = 4 ]
}

@test "pf-index: operators are words, and * is no prefix" {
	copy_examples ex
	pf-index -q add ex/prometheus-101.jsonl ex/mistakes.jsonl
	# OR is a word: all three must be in the text, as in Priya's question.
	run -0 --separate-stderr pf-index search --json port OR 9091
	[ "$(jq -r .snippet <<<"$output")" = "Priya Raman: Should we use [port] 9090 [or] [9091]?" ]
	run -1 --separate-stderr pf-index search port OR nothing
	[ "$output" = "" ]
	run -1 --separate-stderr pf-index search 'NOT' 'port'
	[ "$output" = "" ]
	run -1 --separate-stderr pf-index search '909*'
	[ "$output" = "" ]
	run -0 --separate-stderr pf-index search --json '"port"' '9090?'
	[ "$(jq -r .offset <<<"$output")" = "4:05" ]
}

@test "pf-index: search that finds nothing exits 1 and prints nothing" {
	index_examples
	run -1 --separate-stderr pf-index search zzyzx
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	run -1 --separate-stderr pf-index search --json port zzyzx
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "pf-index: a search of blanks only is a usage error" {
	index_examples
	run -2 --separate-stderr pf-index search ' ' ''
	[ "$output" = "" ]
	[[ "$stderr" == "pf-index: "* ]]
}

@test "pf-index: search shows matches in bold on a terminal, in brackets with NO_COLOR" {
	copy_examples ex
	pf-index -q add ex/prometheus-101.jsonl
	run -0 tty_stdout tty.out pf-index search port 9090
	[ "$(head -n 1 tty.out)" = "Prometheus Monitoring 101  4:05  chat_message  Priya Raman: Should we use "$'\e[1m'"port"$'\e[0m'" "$'\e[1m'"9090"$'\e[0m'" or 9091?" ]
	run -0 tty_stdout tty.out env NO_COLOR=1 pf-index search port 9090
	[ "$(head -n 1 tty.out)" = "Prometheus Monitoring 101  4:05  chat_message  Priya Raman: Should we use [port] [9090] or 9091?" ]
}

@test "pf-index: the command of a hit quotes the file for the shell" {
	mkdir "my dir"
	cp "$EXAMPLES/mistakes.jsonl" "my dir/it's \$HOME \`x\` ;.jsonl"
	pf-index -q add "my dir"
	run -0 --separate-stderr pf-index search --json Loki listen
	local cmd
	cmd=$(jq -r .command <<<"$output")
	[ "$cmd" = "pf-play --from 0:19 '$DIR/my dir/it'\\''s \$HOME \`x\` ;.jsonl'" ]
	run -0 --separate-stderr bash -c "${cmd/pf-play /pf-play --no-wait }"
	[ "$(jq -r 'select(.type == "chat_message") | .message' <<<"$output")" = "Which port does Loki listen on?" ]
}

# --- show --------------------------------------------------------------------

@test "pf-index: show by number prints the steps, hands, departures and questions" {
	index_examples
	run -0 --separate-stderr pf-index show 3
	same_output show-prometheus.txt
	[ "$stderr" = "" ]
	# A few steps, as they read: who left during step 11, 14 and 19, the
	# hands of Daniel Kowalski (8), Lucas Moreau (13), Fatima Haddad (18).
	[[ "$output" == *"
  8  8:25  button for 3:54  Click Save & test and wait for the green banner.
     Save & test
     hands raised: 1
"* ]]
	[[ "$output" == *"
 11  13:50  hover for 6:10  Switch between Builder and Code mode here.
     grafana:components.DataSource.Prometheus.queryEditor.editorToggle
     left during it: Ben Carter
"* ]]
	[[ "$output" == *"
 13  21:20  button for 1:55  Click Run query.
     Run query
     hands raised: 1
"* ]]
	[[ "$output" == *"
 14  23:15  multistep for 0:55  Create a new, empty dashboard.
     dashboard-1
     left during it: Chen Wei
"* ]]
	[[ "$output" == *"
 19  28:10  button for 1:49  Click Save dashboard.
     Save dashboard
     left during it: Olga Petrova
"* ]]
	[[ "$output" == *"
     9:05 (step 8) Daniel Kowalski: Save & test says Bad Gateway for me, what did I miss?
"* ]]
	[ "$(grep -c 'hands raised' <<<"$output")" -eq 3 ]
	[ "$(grep -c 'left during it' <<<"$output")" -eq 3 ]
}

@test "pf-index: show takes the file, by its absolute or relative path" {
	index_examples
	run -0 --separate-stderr pf-index show "$DIR/ex/prometheus-101.jsonl"
	same_output show-prometheus.txt
	run -0 --separate-stderr pf-index show ex/mistakes.jsonl
	same_output show-mistakes.txt
	[ "$stderr" = "" ]
}

@test "pf-index: show takes a session id, and refuses one shared by several files" {
	index_examples
	run -0 --separate-stderr pf-index show q4z8rw
	same_output show-mistakes.txt
	run -1 --separate-stderr pf-index show k7m2qx
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: 'k7m2qx' names 3 sessions; give the number from 'pf-index list'" ]
}

@test "pf-index: show of a session not in the index exits 1" {
	index_examples
	local s
	for s in 99 0 1x nope "$DIR/ex/nope.jsonl" "1 OR 1=1" "' OR ''='" "%"; do
		run -1 --separate-stderr pf-index show "$s"
		[ "$output" = "" ]
		[ "$stderr" = "pf-index: no session '$s' in the index" ]
	done
}

# --- attendance --------------------------------------------------------------

@test "pf-index: attendance prints each attendee's joins, presence and verdict" {
	index_examples
	run -0 --separate-stderr pf-index attendance 3
	same_output attendance.txt
	[ "$stderr" = "" ]
	no_controls
}

@test "pf-index: attendance --csv, with the default thresholds" {
	index_examples
	run -0 --separate-stderr pf-index attendance --csv 3
	same_output attendance.csv
	[ "$stderr" = "" ]
}

@test "pf-index: attendance --json gives one object an attendee" {
	index_examples
	run -0 --separate-stderr pf-index attendance --json 3
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -eq 12 ]
	jq -e -s 'all(.[]; keys_unsorted == ["name", "id", "joins", "presence",
		"ratio", "completed"])' <<<"$output"
	[ "$(jq -r 'select(.completed | not) | .name' <<<"$output")" = "Ben Carter" ]
	[ "$(jq -c 'select(.name == "Ben Carter") | [.id, .joins, .presence, .ratio]' <<<"$output")" = '["b7c4tw",1,799779,0.444]' ]
	[ "$(jq -c 'select(.name == "Chen Wei") | [.id, .presence, .ratio, .completed]' <<<"$output")" = '["c0w8ei",970283,0.539,true]' ]
	[ "$(jq -r 'select(.id == "i5s0gb") | .name' <<<"$output")" = "Ingrid Sølberg" ]
}

@test "pf-index: those who left early have not completed with --min-presence 29m --min-ratio 0.9" {
	index_examples
	run -0 --separate-stderr pf-index attendance --csv --min-presence 29m --min-ratio 0.9 3
	same_output attendance-strict.csv
	run -0 --separate-stderr pf-index attendance --json --min-presence 29m --min-ratio 0.9 3
	[ "$(jq -r 'select(.completed | not) | .name' <<<"$output" | sort | tr '\n' ,)" = "Ben Carter,Chen Wei,Ingrid Sølberg,Olga Petrova,Rafael Costa," ]
}

@test "pf-index: --min-presence and --min-ratio decide, either one sufficing" {
	index_examples
	# Presence alone: 29:30 is reached by Priya and no one else.
	run -0 --separate-stderr pf-index attendance --json --min-presence 29m30s --min-ratio 1 3
	[ "$(jq -r 'select(.completed) | .name' <<<"$output")" = "Priya Raman" ]
	# At the threshold counts: Ben Carter was there 799779 ms.
	run -0 --separate-stderr pf-index attendance --json --min-presence 799779ms --min-ratio 1 3
	[ "$(jq -r 'select(.completed | not) | .name' <<<"$output")" = "" ]
	run -0 --separate-stderr pf-index attendance --json --min-presence 799780ms --min-ratio 1 3
	[ "$(jq -r 'select(.completed | not) | .name' <<<"$output")" = "Ben Carter" ]
	# Ratio alone: Ben Carter's share is 0.4442.
	run -0 --separate-stderr pf-index attendance --json --min-presence 1h --min-ratio 0.444 3
	[ "$(jq -r 'select(.completed | not) | .name' <<<"$output")" = "" ]
	run -0 --separate-stderr pf-index attendance --json --min-presence 1h --min-ratio 0.445 3
	[ "$(jq -r 'select(.completed | not) | .name' <<<"$output")" = "Ben Carter" ]
	# The extremes.
	run -0 --separate-stderr pf-index attendance --json --min-presence 1h --min-ratio 0 3
	[ "$(jq -r 'select(.completed | not) | .name' <<<"$output")" = "" ]
	run -0 --separate-stderr pf-index attendance --json --min-presence 0 --min-ratio 1 3
	[ "$(jq -r 'select(.completed | not) | .name' <<<"$output")" = "" ]
	run -0 --separate-stderr pf-index attendance --json --min-presence 1h --min-ratio 1 3
	[ "$(jq -r 'select(.completed) | .name' <<<"$output")" = "" ]
	# The text says the same.
	run -0 --separate-stderr pf-index attendance --min-presence 1h --min-ratio 0.445 3
	[ "$(grep -c '  completed$' <<<"$output")" -eq 11 ]
	[ "$(grep -c '  not completed$' <<<"$output")" -eq 1 ]
	[[ "$output" == *"
Ben Carter  joins 1  present 13:19 (44%)  not completed
"* ]]
}

@test "pf-index: attendance --csv quotes cells and guards against formulas" {
	use_fixture index/quoting.jsonl
	pf-index -q add quoting.jsonl
	run -0 --separate-stderr pf-index attendance --csv csv001
	same_output quoting.csv
	[ "$stderr" = "" ]
	# And it parses back, as a spreadsheet would read it.
	"$PYTHON" -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1])))
assert rows[0] == ["name", "id", "joins", "presence_ms", "ratio", "completed"], rows[0]
assert rows[1][0] == "Smith, \"Jo\"", rows[1]
assert rows[2][0] == "'"'"'=HYPERLINK(\"http://x\",\"y\")", rows[2]
assert rows[6][1] == "'"'"'=id6", rows[6]
assert all(len(r) == 6 for r in rows)' <(printf '%s\n' "$output")
}

# --- stats -------------------------------------------------------------------

@test "pf-index: stats totals the library" {
	index_examples
	run -0 --separate-stderr pf-index stats
	same_output stats.txt
	[ "$stderr" = "" ]
	run -0 --separate-stderr pf-index stats --json
	same_output stats.json
	[ "$stderr" = "" ]
}

# --- the database ------------------------------------------------------------

# two_writers DB: pf-index add a and pf-index add b started together in
# the background on DB; both must succeed.
two_writers() {
	local db=$1 pa pb sa=0 sb=0

	pf-index --db "$db" add a 2>a.err &
	pa=$!
	pf-index --db "$db" add b 2>b.err &
	pb=$!
	BG_PIDS=("$pa" "$pb")
	wait "$pa" || sa=$?
	wait "$pb" || sb=$?
	if [ "$sa" -ne 0 ] || [ "$sb" -ne 0 ]; then
		echo "two_writers $db: add a exited $sa, add b $sb:" >&2
		cat a.err b.err >&2
		return 1
	fi
	[ "$(cat a.err)" = "pf-index: 7 added, 0 updated, 0 unchanged, 0 failed" ]
	[ "$(cat b.err)" = "pf-index: 7 added, 0 updated, 0 unchanged, 0 failed" ]
	[ "$(sql "$db" 'SELECT count(*) FROM files')" = 14 ]
	[ "$(sql "$db" 'SELECT count(DISTINCT session_id) FROM sessions')" = 13 ]
	db_sound "$db"
}

@test "pf-index: two add commands at once on one database both finish" {
	local n
	mkdir a b
	for n in 1 2 3 4 5 6; do
		sed "s/q4z8rw/a0000$n/" "$EXAMPLES/mistakes.jsonl" >"a/r$n.jsonl"
		sed "s/q4z8rw/b0000$n/" "$EXAMPLES/mistakes.jsonl" >"b/r$n.jsonl"
	done
	cp "$EXAMPLES/prometheus-101.jsonl" a/
	cp "$EXAMPLES/prometheus-101.jsonl.gz" b/
	# On a database made before.
	pf-index --db old.db list
	two_writers old.db
	run -0 --separate-stderr pf-index --db old.db search --json Loki listen
	[ "${#lines[@]}" -eq 12 ]
	# On a new database, that both make and switch to WAL: a race, so twenty
	# times.
	for n in {1..20}; do
		two_writers "new$n.db"
	done
}

@test "pf-index: an add killed while it writes its transaction leaves none of it, and the next run completes" {
	need_strace
	pf-test-tool gen 300000 >big.jsonl
	cp "$EXAMPLES/mistakes.jsonl" .
	pf-index -q add mistakes.jsonl
	# What a run that is not killed leaves, to tell whole from half.
	pf-index --db whole.db -q add mistakes.jsonl big.jsonl
	local before whole n
	before=$(db_counts index.db)
	whole=$(db_counts whole.db)
	[ "$before" != "$whole" ]
	# The kill points are not left to chance: SIGKILL at the first write
	# to the WAL (the transaction begun, nothing of it on disk) and at
	# the 2000th (about half of its pages written; it writes about 4400).
	for n in 1 2000; do
		run -137 kill_at_wal_write "$n" index.db pf-index add big.jsonl
		db_sound index.db
		# Never half: nothing of big.jsonl, no commit frame was written.
		run -0 db_counts index.db
		if [ "$output" != "$before" ]; then
			echo "killed at WAL write $n: $output" >&2
			echo "before: $before" >&2
			echo "whole:  $whole" >&2
			false
		fi
	done
	[ "$(sql index.db "SELECT count(*) FROM files WHERE name = '$DIR/mistakes.jsonl'")" = 1 ]
	run -0 --separate-stderr pf-index add big.jsonl mistakes.jsonl
	[ "$stderr" = "pf-index: 1 added, 0 updated, 1 unchanged, 0 failed" ]
	db_sound index.db
	[ "$(db_counts index.db)" = "$whole" ]
	run -0 --separate-stderr pf-index list --json
	[ "$(jq -r .name <<<"$output" | sort)" = "Benchmark workshop
Loki in 20 minutes" ]
}

@test "pf-index: a database of a newer schema is refused and left untouched" {
	sql v99.db 'CREATE TABLE t (x); PRAGMA user_version = 99'
	cp v99.db v99.orig
	use_fixture index/marks.jsonl
	local cmd
	for cmd in list stats "add marks.jsonl" "search port" "show 1"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr pf-index --db v99.db $cmd
		[ "$output" = "" ]
		[ "$stderr" = "pf-index: v99.db: the database is of schema version 99, newer than this pf-index knows (1); use a newer pf" ]
		cmp v99.db v99.orig
	done
	[ ! -e v99.db-wal ]
	[ ! -e v99.db-journal ]
}

@test "pf-index: a database file that is not SQLite is an error, left untouched" {
	head -c 8192 /dev/urandom >random.db
	cp random.db random.orig
	run -2 --separate-stderr pf-index --db random.db list
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: random.db: file is not a database" ]
	use_fixture index/marks.jsonl
	run -2 --separate-stderr pf-index --db random.db add marks.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: random.db: file is not a database" ]
	cmp random.db random.orig
}

@test "pf-index: a database that cannot be made is an error" {
	use_fixture index/marks.jsonl
	run -2 --separate-stderr pf-index --db no/such/dir/index.db add marks.jsonl
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: no/such/dir/index.db: unable to open database file" ]
	[ ! -e no ]
}

@test "pf-index: reading a library not made yet shows an empty one and makes nothing" {
	local cmd

	for cmd in list stats; do
		run -0 --separate-stderr pf-index --db no/such/dir/index.db $cmd
		[ "$stderr" = "" ]
	done
	run -1 --separate-stderr pf-index --db lib.db search port
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ ! -e no ]
	[ ! -e lib.db ]
}

@test "pf-index: a library in a folder the user cannot write is read, and left as it was" {
	local as=() ro=ro cmd
	use_fixture index/marks.jsonl
	if [ "$(id -u)" = 0 ]; then
		# As root every write succeeds: read as nobody, from a folder
		# nobody can reach (the test's own is private to root).
		command -v setpriv >/dev/null || skip "no setpriv to drop root"
		ro=$(mktemp -d /tmp/pf-index-ro.XXXXXX)
		RO_DIR=$ro
		as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	else
		mkdir ro
	fi
	pf-index -q --db "$ro/index.db" add marks.jsonl
	cp "$ro/index.db" index.orig
	chmod 555 "$ro"
	chmod 444 "$ro/index.db"
	for cmd in list stats "search marks" "show 1" "attendance 1"; do
		# shellcheck disable=SC2086
		run -0 --separate-stderr "${as[@]}" env PATH="$PATH" pf-index --db "$ro/index.db" $cmd
		[ "$stderr" = "" ]
		[ -n "$output" ]
	done
	cmp "$ro/index.db" index.orig
	[ "$(ls -A "$ro")" = index.db ]
}

@test "pf-index: a database of a negative schema version is refused as damaged, left untouched" {
	sql neg.db 'CREATE TABLE t (x); PRAGMA user_version = -1'
	cp neg.db neg.orig
	use_fixture index/marks.jsonl
	local cmd
	for cmd in list stats "add marks.jsonl" "search port"; do
		# shellcheck disable=SC2086
		run -2 --separate-stderr pf-index --db neg.db $cmd
		[ "$output" = "" ]
		[ "$stderr" = "pf-index: neg.db: not a pf-index database, or damaged (schema version -1)" ]
		cmp neg.db neg.orig
	done
}

# --- attendance from streams as the app makes them ---------------------------

@test "pf-index: a leave whose peer id no join names is nobody new; pfPeer pairs it with its join" {
	cp "$FIXTURES/app/two-attendees.jsonl" "$FIXTURES/app/leave-only.jsonl" "$FIXTURES/app/pf-peer.jsonl" .
	pf-index -q add two-attendees.jsonl leave-only.jsonl pf-peer.jsonl
	run -0 --separate-stderr pf-index attendance --csv 1
	[ "$output" = 'name,id,joins,presence_ms,ratio,completed
"Priya Raman","",1,33156,1.000,yes
"Jonas Berg","",1,26736,0.806,yes' ]
	run -0 --separate-stderr pf-index attendance --csv 2
	[ "$output" = 'name,id,joins,presence_ms,ratio,completed
"Priya Raman","",1,13156,1.000,yes' ]
	# With pfPeer, Priya's leave ends her presence 9.2 s before the end.
	run -0 --separate-stderr pf-index attendance --csv 3
	[ "$output" = 'name,id,joins,presence_ms,ratio,completed
"Priya Raman","8b0f6c2e-5d1a-4e7b-9c3f-2a6d1e0b7f44",1,23956,0.723,yes
"Jonas Berg","c3a91f5e-2b7d-4c8e-9f10-6d2e4b8a1c73",1,26736,0.806,yes' ]
	run -0 --separate-stderr pf-index stats --json
	[ "$(jq .attendances <<<"$output")" = 5 ]
}

@test "pf-index: attendance, stats and pf-convert agree on the count of every app stream" {
	local f n md
	for f in "$FIXTURES"/app/*.jsonl; do
		cp "$f" .
	done
	pf-index -q add ./*.jsonl || true
	for f in ./*.jsonl; do
		f=${f#./}
		n=$(sql index.db "SELECT s.attendees FROM sessions s JOIN files f ON f.id = s.file_id WHERE f.name = '$DIR/$f'")
		[ -n "$n" ]
		md=$(pf-convert -q -t md "$f" | sed -n 's/.* \([0-9]*\) attendees\{0,1\} .*/\1/p')
		[ "$md" = "$n" ]
		[ "$(sql index.db "SELECT count(*) FROM attendees a JOIN sessions s ON s.id = a.session JOIN files f ON f.id = s.file_id WHERE f.name = '$DIR/$f'")" = "$n" ]
		# No peer id is ever printed as a name.
		run -0 pf-convert -q -t md "$f"
		[[ "$output" != *"Left during this step: 8b0f6c2e"* ]]
	done
}

# --- hostile strings ---------------------------------------------------------

@test "pf-index: hostile names, chat and selectors are printed with control characters escaped" {
	use_fixture index/hostile.jsonl
	run -0 --separate-stderr pf-index add hostile.jsonl
	local name='It'\''s "Bobby"; DROP TABLE files; -- é中😀 \x01\x1b[31mred\x1b[0m\nline2'
	run -0 --separate-stderr pf-index list
	no_controls
	[ "$output" = "  1  2026-03-13 14:00     1:00    1 steps    1 attendees  $name  ($DIR/hostile.jsonl)" ]
	run -0 --separate-stderr pf-index show 1
	no_controls
	[ "${lines[0]}" = "$name" ]
	[[ "$output" == *'
  1  0:05  highlight for 0:55  Click \x1b[1mboom here
     button[data-x="a'\''b"] \x1b]0;pwn\x07 ü
'* ]]
	[[ "$output" == *'
     0:08 (step 1) =cmd|'\'' /C calc'\''!A0, "O'\''Neil"\x1b[2J: why \x1b[31mred\x1b[0m? '\'' OR 1=1; -- \x07 café\nnext line \ back'* ]]
	run -0 --separate-stderr pf-index attendance 1
	no_controls
	[ "${lines[4]}" = '=cmd|'\'' /C calc'\''!A0, "O'\''Neil"\x1b[2J  joins 1  present 0:59 (98%)  completed' ]
	run -0 --separate-stderr pf-index search Bobby
	no_controls
	run -0 --separate-stderr pf-index search pwn
	no_controls
	[[ "$output" == *'\x1b]0;[pwn]\x07'* ]]
	run -0 --separate-stderr pf-index search calc
	no_controls
	# The SQL in it was only text.
	db_sound index.db
	[ "$(sql index.db 'SELECT count(*) FROM files')" = 1 ]
}

@test "pf-index: hostile strings come back exactly in --json" {
	use_fixture index/hostile.jsonl
	pf-index -q add hostile.jsonl
	local name person
	name=$(jq -rs '.[0].config.name | @json' hostile.jsonl)
	person=$(jq -rs 'map(select(.type == "attendee_join"))[0].name | @json' hostile.jsonl)
	run -0 --separate-stderr pf-index list --json
	[ "$(jq '.name' <<<"$output")" = "$name" ]
	run -0 --separate-stderr pf-index attendance --json 1
	[ "$(jq '.name' <<<"$output")" = "$person" ]
	run -0 --separate-stderr pf-index search --json Bobby
	[ "$(jq '.name' <<<"$output")" = "$name" ]
	# The snippet is the end of the chat message, from "why", with the
	# match in brackets.
	run -0 --separate-stderr pf-index search --json café
	[ "$(jq -r .snippet <<<"$output")" = "...$(jq -r 'select(.type == "chat_message") | .message | sub("café"; "[café]")' hostile.jsonl)" ]
	# The session is found by its hostile id as well.
	run -0 --separate-stderr pf-index show h0stil
}

@test "pf-index: the bytes that mark matches in a snippet are not taken from the text" {
	use_fixture index/marks.jsonl
	pf-index -q add marks.jsonl
	run -0 --separate-stderr pf-index search --json gamma
	[ "$(jq -c .snippet <<<"$output")" = '"Ann: alpha \u0001beta\u0002 [gamma]"' ]
	run -0 --separate-stderr pf-index search gamma
	[ "${lines[0]}" = 'Marks  0:07  chat_message  Ann: alpha \x01beta\x02 [gamma]' ]
}

# --- write errors ------------------------------------------------------------

@test "pf-index: a write error on stdout (/dev/full) exits 2 with a message" {
	index_examples
	local cmd
	# shellcheck disable=SC2016
	run -2 --separate-stderr bash -c 'pf-index list >/dev/full'
	[ "$output" = "" ]
	[ "$stderr" = "pf-index: <stdout>: write error: No space left on device" ]
	for cmd in "list --json" "search port" "search --json port" "show 3" \
		"attendance 3" "attendance --csv 3" "stats" "stats --json" "--help" \
		"--version"; do
		# shellcheck disable=SC2016
		run -2 --separate-stderr bash -c 'pf-index $1 >/dev/full' sh "$cmd"
		[ "$stderr" = "pf-index: <stdout>: write error: No space left on device" ]
	done
}

@test "pf-index: a closed stdout exits 2 with a message" {
	index_examples
	# shellcheck disable=SC2016
	run -2 --separate-stderr bash -c 'pf-index list >&-'
	[ "$stderr" = "pf-index: <stdout>: write error: Bad file descriptor" ]
}
