/*
 * fuzz-binpack: libFuzzer target for lib/pf_binpack, the decoder that
 * takes bytes from the network.  Every input must decode or fail with an
 * error, never crash or leak (the sanitizers watch); what decodes must be
 * JSON that pf_jv parses, and from the second round on packing and
 * decoding must give the same text (the first may normalise: -0 as 0, an
 * integer past 2^63 as a double).  Built and run by "make fuzz".
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pf_binpack.h"
#include "pf_buf.h"
#include "pf_json.h"
#include "pf_jv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pf_jv_parser *parser;
	struct pf_buf json = PF_BUF_INIT, packed = PF_BUF_INIT,
	    again = PF_BUF_INIT;
	struct pf_binpack_chunk chunk;
	enum pf_json_fault fault;
	struct pf_err err;
	const struct pf_jv *v;

	if (parser == NULL)
		parser = pf_jv_parser_new();
	if (pf_binpack_chunk(data, size, &chunk, &err) == 1 &&
	    (chunk.data < data || chunk.data + chunk.len > data + size))
		abort();
	if (pf_binpack_to_json(data, size, &json, &err) == 0) {
		int round;

		for (round = 0; round < 2; round++) {
			v = pf_jv_parse(parser, pf_buf_str(&json), json.len,
			    PF_JSON_ANY | PF_JSON_ALLOW_DUPLICATES, &fault,
			    &err);
			if (v == NULL)
				abort();	/* the decoder wrote bad JSON */
			pf_buf_reset(&packed);
			pf_binpack_from_jv(v, &packed);
			pf_buf_reset(&again);
			if (pf_binpack_to_json(packed.data, packed.len,
			    &again, &err) < 0)
				abort();	/* pf packed what it cannot read */
			if (round == 1 && (again.len != json.len ||
			    memcmp(again.data, json.data, json.len) != 0))
				abort();	/* packing changed something */
			pf_buf_reset(&json);
			pf_buf_add(&json, again.data, again.len);
		}
	}
	pf_buf_release(&json);
	pf_buf_release(&packed);
	pf_buf_release(&again);
	return 0;
}
