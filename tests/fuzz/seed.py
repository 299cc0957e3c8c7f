#!/usr/bin/env python3
"""Seeds a fuzz target's corpus from the project's fixtures.

    seed.py binpack DIR MAXLEN vectors.tsv   each vector's bytes
    seed.py jv DIR MAXLEN FILE...      each line of each file, and each whole
                                       file that fits in MAXLEN bytes
    seed.py lint DIR MAXLEN FILE...    each file that fits, the start of one
                                       that does not, and small ones gzipped

Seeds are named by their content's hash, so a line in many files is one
seed.  Run by "make fuzz".
"""
import gzip
import hashlib
import os
import sys


def put(outdir, data):
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(outdir, name), "wb") as f:
        f.write(data)


def head(data, maxlen):
    """The whole lines of data that fit in maxlen bytes."""
    if len(data) <= maxlen:
        return data
    cut = data.rfind(b"\n", 0, maxlen)
    return data[: cut + 1] if cut >= 0 else data[:maxlen]


def main():
    kind, outdir, maxlen = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.makedirs(outdir, exist_ok=True)
    if kind == "binpack":
        with open(sys.argv[4]) as f:
            for line in f:
                put(outdir, bytes.fromhex(line.rstrip("\n").split("\t")[1]))
        return
    for path in sys.argv[4:]:
        with open(path, "rb") as f:
            data = f.read()
        if path.endswith(".gz"):
            if len(data) <= maxlen:
                put(outdir, data)
            data = gzip.decompress(data)
        if kind == "jv":
            for line in data.split(b"\n"):
                if line.strip() and len(line) <= maxlen:
                    put(outdir, line)
            if len(data) <= maxlen:
                put(outdir, data)
        elif kind == "lint":
            put(outdir, head(data, maxlen))
            if len(data) <= 2048:
                put(outdir, gzip.compress(data, mtime=0))
        else:
            sys.exit("seed.py: unknown kind '%s'" % kind)


if __name__ == "__main__":
    main()
