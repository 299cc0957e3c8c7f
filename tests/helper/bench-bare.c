/*
 * bench-bare: the baselines of `make bench`, the least a JSONL checker can
 * do, counting the lines that parse.  Not installed.
 *
 *   bench-bare jansson FILE   getline(3) and json_loadb(3) on every line:
 *                             what the design card's JSON library costs
 *   bench-bare pf FILE        pf_reader and pf_jv_parse, as pf-lint reads:
 *                             pf-lint's time over this is what its rules
 *                             cost
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "pf_err.h"
#include "pf_json.h"
#include "pf_jv.h"
#include "pf_reader.h"

static int
bare_jansson(const char *path, long *ok, long *bad)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	json_error_t e;

	if (f == NULL)
		return -1;
	while ((n = getline(&line, &cap, f)) > 0) {
		json_t *j = json_loadb(line, (size_t)n, 0, &e);

		if (j) {
			++*ok;
			json_decref(j);
		} else {
			++*bad;
		}
	}
	free(line);
	fclose(f);
	return 0;
}

static int
bare_pf(const char *path, long *ok, long *bad)
{
	struct pf_err err;
	struct pf_reader *r = pf_reader_open(path, 0, &err);
	struct pf_jv_parser *parser;
	struct pf_line line;
	enum pf_json_fault fault;
	int rc;

	if (r == NULL)
		return -1;
	parser = pf_jv_parser_new();
	while ((rc = pf_reader_next(r, &line, &err)) > 0) {
		if (pf_jv_parse(parser, line.data, line.len, 0, &fault, &err))
			++*ok;
		else
			++*bad;
	}
	pf_jv_parser_free(parser);
	pf_reader_free(r);
	return rc;
}

int
main(int argc, char **argv)
{
	long ok = 0, bad = 0;
	int rc;

	if (argc != 3 || (strcmp(argv[1], "jansson") != 0 &&
	    strcmp(argv[1], "pf") != 0)) {
		fprintf(stderr, "usage: bench-bare jansson|pf FILE\n");
		return 2;
	}
	rc = strcmp(argv[1], "pf") == 0 ? bare_pf(argv[2], &ok, &bad) :
	    bare_jansson(argv[2], &ok, &bad);
	if (rc < 0) {
		fprintf(stderr, "bench-bare: cannot read %s\n", argv[2]);
		return 2;
	}
	printf("%ld parsed, %ld not\n", ok, bad);
	return bad ? 1 : 0;
}
