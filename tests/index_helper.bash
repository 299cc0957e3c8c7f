# shellcheck shell=bash
# tests/index_helper.bash: helpers for tests/pf-index.bats, loaded after
# test_helper.bash.  The examples indexed in a scratch database, expected
# outputs with the scratch directory in them, SQL against the database,
# crafted archives, an unreadable file even for root, and a run with stdout
# on a pseudo-terminal.

# For the .bats file.
# shellcheck disable=SC2034
INDEX="$FIXTURES/index"
PYTHON=/usr/bin/python3

# index_setup: the database of every test is index.db in the working
# directory, through PF_INDEX (tests that give --db say so); DIR is the
# working directory as pf-index names it (symbolic links resolved).
index_setup() {
	PF_INDEX="$BATS_TEST_TMPDIR/index.db"
	export PF_INDEX
	DIR=$(pwd -P)
	unset XDG_DATA_HOME
}

# copy_examples [TO]: the recordings of examples/ (and the other files,
# which pf-index passes over) copied to TO (default ex), so that tests may
# touch, change and delete them.
copy_examples() {
	local to=${1:-ex}

	mkdir -p "$to" &&
		cp "$EXAMPLES"/* "$to"/
}

# index_examples: copy_examples, then indexed quietly.  The sessions are
# numbered in name order: 1 mistakes.jsonl, 2 prometheus-101.json,
# 3 prometheus-101.jsonl, 4 prometheus-101.jsonl.gz.
index_examples() {
	copy_examples ex && pf-index -q add ex
}

# expected NAME: the expected output fixtures/index/expected/NAME, with
# @DIR@ replaced by $DIR.
expected() {
	sed "s|@DIR@|$DIR|g" "$INDEX/expected/$1"
}

# same_output NAME: $output is the expected output NAME, or the difference
# is printed.
# shellcheck disable=SC2154 # output: set by bats's run
same_output() {
	local want

	want=$(expected "$1")
	if [ "$output" != "$want" ]; then
		echo "same_output: output differs from expected/$1:" >&2
		diff -u <(printf '%s\n' "$want") <(printf '%s\n' "$output") |
			head -n 60 >&2
		return 1
	fi
}

# sql DB QUERY: runs QUERY with sqlite3 (or Python's sqlite3 module when
# there is no sqlite3), one row a line, columns separated by '|'.
sql() {
	if [ -x /usr/bin/sqlite3 ]; then
		/usr/bin/sqlite3 "$1" "$2"
	else
		"$PYTHON" - "$1" "$2" <<'EOF'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
for stmt in [s for s in sys.argv[2].split(";") if s.strip()]:
    for row in con.execute(stmt):
        print("|".join("" if v is None else str(v) for v in row))
con.commit()
EOF
	fi
}

# db_counts DB: the row counts of the tables, on one line.
db_counts() {
	sql "$1" "SELECT (SELECT count(*) FROM files), (SELECT count(*) FROM
		sessions), (SELECT count(*) FROM steps), (SELECT count(*) FROM
		questions), (SELECT count(*) FROM attendees), (SELECT count(*)
		FROM texts)"
}

# db_sound DB: PRAGMA integrity_check and the FTS5 index's own check pass.
db_sound() {
	local got

	got=$(sql "$1" "PRAGMA integrity_check") || return 1
	if [ "$got" != ok ]; then
		echo "db_sound: integrity_check: $got" >&2
		return 1
	fi
	sql "$1" "INSERT INTO texts_fts(texts_fts) VALUES('integrity-check')" ||
		return 1
}

# craft_archive OUT SPEC...: writes the archive OUT (.tar, .tar.gz, .tgz or
# .zip, with Python's tarfile and zipfile, which write any name asked for).
# Each SPEC adds a member:
#   file:NAME=PATH      a regular member NAME holding the bytes of PATH
#   symlink:NAME=TARGET a symbolic link (tar only)
#   hardlink:NAME=TARGET a hard link (tar only)
#   zeros:NAME=N        a regular member of N zero bytes
#   gzzeros:NAME=N      a regular member: N zero bytes, gzip-compressed
#   liar:NAME=N         (zip only) N zero bytes, deflated, whose headers say
#                       they hold 100 bytes
craft_archive() {
	"$PYTHON" - "$@" <<'EOF'
import gzip, io, struct, sys, tarfile, zipfile

out, specs = sys.argv[1], sys.argv[2:]
members = []
for spec in specs:
    kind, _, rest = spec.partition(":")
    name, _, arg = rest.partition("=")
    members.append((kind, name, arg))

def data_of(kind, arg):
    if kind == "file":
        with open(arg, "rb") as f:
            return f.read()
    if kind in ("zeros", "liar"):
        return b"\0" * int(arg)
    if kind == "gzzeros":
        return gzip.compress(b"\0" * int(arg), 9)
    raise SystemExit("craft_archive: no data for " + kind)

if out.endswith(".zip"):
    liars = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for kind, name, arg in members:
            if kind in ("symlink", "hardlink"):
                raise SystemExit("craft_archive: no links in a zip")
            info = zipfile.ZipInfo(name, (2026, 3, 12, 14, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data_of(kind, arg))
            if kind == "liar":
                liars.append(name.encode())
    if liars:
        b = bytearray(open(out, "rb").read())
        i = b.find(b"PK\x03\x04")
        while i >= 0:
            n = struct.unpack_from("<H", b, i + 26)[0]
            if bytes(b[i + 30:i + 30 + n]) in liars:
                struct.pack_into("<I", b, i + 22, 100)
            i = b.find(b"PK\x03\x04", i + 4)
        i = b.find(b"PK\x01\x02")
        while i >= 0:
            n = struct.unpack_from("<H", b, i + 28)[0]
            if bytes(b[i + 46:i + 46 + n]) in liars:
                struct.pack_into("<I", b, i + 24, 100)
            i = b.find(b"PK\x01\x02", i + 4)
        open(out, "wb").write(b)
else:
    mode = "w:gz" if out.endswith((".tar.gz", ".tgz")) else "w"
    with tarfile.open(out, mode, format=tarfile.PAX_FORMAT) as t:
        for kind, name, arg in members:
            info = tarfile.TarInfo(name)
            info.mtime = 1773324000
            if kind == "symlink":
                info.type, info.linkname = tarfile.SYMTYPE, arg
                t.addfile(info)
            elif kind == "hardlink":
                info.type, info.linkname = tarfile.LNKTYPE, arg
                t.addfile(info)
            else:
                data = data_of(kind, arg)
                info.size = len(data)
                t.addfile(info, io.BytesIO(data))
EOF
}

# as_unprivileged CMD...: runs CMD so that a file of mode 000 cannot be
# read: as is when not root; as root, in a new user namespace, where root's
# files are no longer root's to override (status 125 when that cannot be
# done).
as_unprivileged() {
	if [ "$(id -u)" -ne 0 ]; then
		"$@"
	elif unshare -U true 2>/dev/null; then
		unshare -U "$@"
	else
		echo "as_unprivileged: no user namespace for root" >&2
		return 125
	fi
}

# tty_stdout OUT CMD...: runs CMD with its stdout on a new pseudo-terminal
# and copies what it writes there to file OUT (the terminal's \r\n made
# \n again); stdin and stderr are left alone.  Returns CMD's status (124
# when it had to be killed after 20 s).
tty_stdout() {
	"$PYTHON" - "$@" <<'EOF'
import os, pty, select, signal, sys, time, tty

out, cmd = sys.argv[1], sys.argv[2:]
master, slave = pty.openpty()
tty.setraw(slave)
pid = os.fork()
if pid == 0:
    os.close(master)
    os.dup2(slave, 1)
    os.close(slave)
    try:
        os.execvp(cmd[0], cmd)
    except OSError as e:
        os.write(2, ("tty_stdout: %s: %s\n" % (cmd[0], e)).encode())
    os._exit(127)
os.close(slave)
data = b""
end = time.monotonic() + 20
status = None
while True:
    r, _, _ = select.select([master], [], [], 0.05)
    if r:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            chunk = b""
        data += chunk
        if chunk:
            continue
    if status is None:
        p, st = os.waitpid(pid, os.WNOHANG)
        if p == pid:
            status = st
            end = time.monotonic() + 1
    if status is not None and not r:
        break
    if time.monotonic() > end:
        if status is None:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            sys.exit(124)
        break
open(out, "wb").write(data)
if os.WIFEXITED(status):
    sys.exit(os.WEXITSTATUS(status))
sys.exit(128 + os.WTERMSIG(status))
EOF
}

# no_controls: $output (and $stderr, when set) hold no control character
# but newline, or say where one is.
# shellcheck disable=SC2154 # output: set by bats's run
no_controls() {
	local text

	for text in "$output" "${stderr:-}"; do
		if LC_ALL=C grep -qP '[\x00-\x09\x0b-\x1f\x7f]' <<<"$text"; then
			echo "no_controls: a raw control character in:" >&2
			LC_ALL=C grep -nP '[\x00-\x09\x0b-\x1f\x7f]' <<<"$text" |
				cat -v >&2
			return 1
		fi
	done
}

# kill_at_wal_write N DB CMD...: runs CMD (a pf-index writing to DB) under
# strace, which sends it SIGKILL as it enters its Nth pwrite to DB's WAL
# (DB-wal): a kill point that does not depend on the machine's speed, and
# no hook in pf-index.  pf-index sets a cache that holds a whole
# recording's pages, so a transaction's pages reach the WAL only in its
# COMMIT: the Nth write is in the middle of writing the transaction out,
# with N-1 writes on disk and the commit frame not yet.  Prints CMD's
# stderr; returns CMD's status (137 when the kill came).  Needs strace
# (and ptrace allowed); the caller skips without it.
kill_at_wal_write() {
	local n=$1 db=$2

	shift 2
	strace -f -qq -o /dev/null -P "$(pwd -P)/$db-wal" -e trace=pwrite64 \
		-e inject=pwrite64:signal=KILL:when="$n" "$@"
}
