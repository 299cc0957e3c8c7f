/*
 * pf_binpack: BinaryPack, the encoding of the app's live data channel.
 *
 * The Pathfinder app sets no serialization on its PeerJS data channels, so
 * PeerJS packs every message with BinaryPack (npm peerjs-js-binarypack), a
 * MessagePack-like encoding of JavaScript values: fixed and sized integers,
 * doubles, UTF-8 strings (0xb0-0xbf, 0xd8, 0xd9), raw bytes (0xa0-0xaf,
 * 0xda, 0xdb), arrays and maps (FORMATS.md 4).  This module turns a packed
 * message into one line of JSON, as the tools read events, and a parsed
 * JSON value into a packed message, byte for byte as the app's packer
 * would write it.
 *
 * Decoding takes untrusted input from the network, so it is bounded: every
 * length is checked against the bytes that remain before anything is
 * allocated, nesting stops at PF_BINPACK_MAX_DEPTH, strings must be valid
 * UTF-8, and a map key must be a string or a number (JavaScript turns it
 * into a string).  Raw bytes, which no event carries, are refused by
 * pf_binpack_to_json; pf_binpack_chunk reads PeerJS's chunk envelope,
 * whose "data" member is raw bytes.
 *
 * Ownership: output goes to the caller's buffer.  Errors: 0 or -1 with err
 * (PF_ERR_DATA) naming the byte offset and what was wrong there.
 */
#ifndef PF_BINPACK_H
#define PF_BINPACK_H

#include <stddef.h>
#include <stdint.h>

#include "pf_buf.h"
#include "pf_err.h"

struct pf_jv;

/* Arrays and maps nested deeper than this are refused. */
#define PF_BINPACK_MAX_DEPTH 64

/*
 * Appends the packed message (n bytes at p) to out as compact JSON, keys in
 * their order (a key packed twice comes out twice: JavaScript keeps the
 * last value, pf-lint reports it), a NaN or infinite double as null (as
 * JSON.stringify writes it), undefined (0xc1, 0xd4 to 0xd7) as null, an
 * unsigned integer past 2^63 as a double (as JavaScript holds it).  The whole input must be one
 * value.  Returns 0, or -1 with err; out may then hold part of the text.
 */
int pf_binpack_to_json(const void *p, size_t n, struct pf_buf *out,
    struct pf_err *err);

/* Appends v packed as the app's packer writes the same JavaScript value. */
void pf_binpack_from_jv(const struct pf_jv *v, struct pf_buf *out);

/* One piece of a message PeerJS split (messages over about 16 KB). */
struct pf_binpack_chunk {
	int64_t id;		/* "__peerData": which message */
	int64_t index;		/* "n": 0-based */
	int64_t total;		/* "total": pieces in all */
	const unsigned char *data;	/* borrowed from the input */
	size_t len;
};

/* PeerJS splits a packed message longer than this into chunks. */
#define PF_BINPACK_CHUNK_MTU 16300

/*
 * Appends piece index (0-based) of total of the message numbered id, the
 * len bytes at data, packed in the envelope PeerJS's chunker writes.
 */
void pf_binpack_chunk_pack(int64_t id, int64_t index, int64_t total,
    const void *data, size_t len, struct pf_buf *out);

/*
 * If the packed message is a chunk envelope {__peerData, n, data, total},
 * fills *c and returns 1; returns 2 for PeerJS's close message
 * {__peerData: {type: "close"}}; 0 for any other message (decode it with
 * pf_binpack_to_json); -1 with err for an envelope that is malformed (n
 * not below total, total not at least 1, data not raw bytes, other keys).
 */
int pf_binpack_chunk(const void *p, size_t n, struct pf_binpack_chunk *c,
    struct pf_err *err);

/*
 * A message being put back together from its chunks.  Pieces of one
 * message at a time, as PeerJS sends them over an ordered channel: a piece
 * of another message starts over.  Start from PF_BINPACK_PARTS_INIT.
 */
struct pf_binpack_parts {
	int64_t id, total, seen;
	size_t bytes;
	struct pf_buf *piece;	/* total of them */
	unsigned char *have;	/* which have come */
};
#define PF_BINPACK_PARTS_INIT { 0, 0, 0, 0, NULL, NULL }

/*
 * Takes piece c.  Returns 1 when the message is whole (then it is in whole,
 * which is reset first, and parts is empty again), 0 when pieces are still
 * missing, -1 with err for more than max_pieces pieces or max_bytes bytes.
 */
int pf_binpack_parts_take(struct pf_binpack_parts *parts,
    const struct pf_binpack_chunk *c, int64_t max_pieces, size_t max_bytes,
    struct pf_buf *whole, struct pf_err *err);

/* Drops the pieces held. */
void pf_binpack_parts_release(struct pf_binpack_parts *parts);

#endif
